"""A question that calls the person it asks for "she" or "he" is not answered by someone the articles
call the other; and a name a tagger cut at its particle ("Ursula von") is given whole. Examples from
both corpora: the seed articles (asked end to end) and MultiHop-RAG sentences."""

from __future__ import annotations

import pytest

from qa.answer.phrasing import _wanted_gender
from qa.lexicon.names import gender_in, name_end
from qa.question.asked import analyse_question


@pytest.mark.parametrize("question, gender", [
    ("Who is the pop star that was rumored to have a secret start to her relationship with a Chiefs TE?", "f"),
    ("Who is the individual associated with OpenAI, recognized for his vision of AI agents?", "m"),
    ("Who threatened Moscow with further sanctions on behalf of her commission?", "f"),  # seeds
    ("Which pop star was seen supporting his team while she watched from a suite?", None),  # two people
    ("When did she speak with Putin?", None),  # asks for a date, not a person
])
def test_the_asked_persons_gender_is_read_from_the_questions_pronouns(question, gender):
    assert analyse_question(question).gender == gender


def test_the_articles_say_a_persons_gender_by_the_pronoun_after_the_name():
    texts = ("Speaking to the publication, Taylor Swift said she connected with Kelce in July.",
             "Travis Kelce confessed on his podcast that he tried and failed to give her a bracelet.")
    assert gender_in("Taylor Swift", texts) == "f" and gender_in("Travis Kelce", texts) == "m"
    assert gender_in("Jake Sullivan", ("National security adviser Jake Sullivan said he spoke.",)) == "m"
    assert gender_in("Ushakov", ("Ushakov was there.",)) is None  # no pronoun: unknown, never excluded


def test_a_pronoun_that_may_be_a_named_persons_asks_nothing_of_the_answer():
    texts = ("US President Joe Biden said he would respond.",)
    assert _wanted_gender("m", ("Biden",), texts) is None  # "Who did Biden meet with his ministers?"
    assert _wanted_gender("f", ("Biden",), texts) == "f"


def test_a_name_cut_at_its_particle_is_given_whole():
    text = "EU Commission President Ursula von der Leyen threatened Moscow with further sanctions."
    s = text.index("Ursula")
    assert text[s:name_end(text, s, s + len("Ursula von"))] == "Ursula von der Leyen"
    assert name_end(text, s, s + len("Ursula")) == s + len("Ursula")  # not cut at a particle: as it is


def test_a_woman_asked_for_by_her_title_is_named_in_full(assistant):
    answer = assistant.ask("Who threatened Moscow with further sanctions on behalf of her commission?")
    assert answer.short_answer is not None and answer.short_answer.text.endswith("Ursula von der Leyen")
