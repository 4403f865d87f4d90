"""A role question ("Who is Germany's finance minister?") is answered only by a name the text gives
that title: the role's noun, every word that narrows it, and no owner, rank or nationality of another.
Examples from both corpora: the seed articles (asked end to end) and MultiHop-RAG sentences."""

from __future__ import annotations

import pytest

from qa.answer.describe import role_tie
from qa.question.structure import asked_role


@pytest.mark.parametrize("question, head, narrowing, parties", [
    ("Who is Germany's finance minister?", "minister", {"finance"}, {"Germany"}),
    ("Who is the head of the Kremlin's football team?", "head", {"football", "team"}, {"Kremlin"}),
    ("Who is Biden's national security adviser?", "adviser", {"national", "security"}, {"Biden"}),
    ("Who was the US ambassador to Russia?", "ambassador", set(), {"US", "Russia"}),
    ("Who is the CEO of OpenAI?", "ceo", set(), {"OpenAI"}),  # MultiHop-RAG
    ("Who is the Chiefs' head coach?", "coach", {"head"}, {"Chiefs"}),  # MultiHop-RAG
    ("Who serves as Russia's foreign minister?", "minister", {"foreign"}, {"Russia"}),  # "serve as" names a role
    ("Who is currently serving as the US ambassador in Moscow?", "ambassador", set(), {"US", "Moscow"}),
])
def test_a_role_question_is_read_into_its_noun_narrowing_words_and_parties(question, head, narrowing, parties):
    role = asked_role(question)
    assert (role.head, set(role.narrowing), set(role.parties)) == (head, narrowing, parties)


@pytest.mark.parametrize("question", [
    "Who is Yuri Ushakov?",  # a named person: what he is, not who holds a title
    "Who is the individual who founded FTX and was charged with fraud?",  # MultiHop-RAG: a verb of its own
    "Who are the leaders of Britain and France?",  # a list
    "Who did Blinken brief on Friday?",
    "Who served as a witness?",  # "serve as" something that is not a role
])
def test_other_who_questions_ask_no_role(question):
    assert asked_role(question) is None


def _holds(question: str, sentence: str, name: str, article: str = "") -> bool:
    """The name's phrase as the answer finder gives it: the title before the name inside it."""
    text = article + sentence
    core = text.index(name)
    lo = len(article)
    return role_tie(asked_role(question), text, lo, len(text), core, core, core + len(name)) > 0


@pytest.mark.parametrize("question, sentence, name, held", [
    # seeds: the foreign minister is not his deputy, nor another country's minister
    ("Who is Russia's foreign minister?", "Russia has its red lines. “We will not allow it,” Foreign Minister "
     "Sergey Lavrov told RIA-Novosti.", "Sergey Lavrov", True),
    ("Who is Russia's foreign minister?", "That of Russian Deputy Foreign Minister Sergei Ryablakov arrived.",
     "Sergei Ryablakov", False),
    ("Who is Germany's finance minister?", "Blinken briefed Canadian Foreign Minister Mélanie Joly on Friday.",
     "Mélanie Joly", False),
    ("Who is Canada's foreign minister?", "Blinken briefed Canadian Foreign Minister Mélanie Joly on Friday.",
     "Mélanie Joly", True),
    ("Who is the head of the Kremlin's football team?", "Kremlin spokesman Dmitry Peskov had said so.",
     "Dmitry Peskov", False),
    ("Who is the Kremlin's spokesman?", "Kremlin spokesman Dmitry Peskov had said so.", "Dmitry Peskov", True),
    # MultiHop-RAG: a title that names its own owner is another team's or company's
    ("Who is the head coach of the Kansas City Chiefs?",
     "Jets head coach Robert Saleh is letting the officiating crew hear it.", "Robert Saleh", False),
    ("Who is the CEO of OpenAI?", "Talks are happening between Quora CEO Adam D’Angelo and others.",
     "Adam D’Angelo", False),
    ("Who is the CEO of OpenAI?", "OpenAI CEO Sam Altman had pointed to GPU shortages.", "Sam Altman", True),
    ("Who is the CEO of Microsoft?", "Altman ran into Satya Nadella, Microsoft’s CEO.", "Satya Nadella", True),
    ("Who is Epic's CEO?", "Sweeney is Epic’s CEO, co-founder, and its controlling shareholder.", "Sweeney", True),
    ("Who is the Wallabies coach?", "Jones was named Wallabies coach at the start of the year.", "Jones", True),
    ("Who is the Wallabies coach?", "Under fire Wallabies coach Eddie Jones spoke.", "Eddie Jones", True),
])
def test_a_name_holds_the_role_only_when_its_title_says_so(question, sentence, name, held):
    assert _holds(question, sentence, name) is held


def test_a_title_that_names_the_owner_ties_closer_than_an_article_that_does():
    """2: the title names the Wallabies; 1: "coach" alone, in an article about the Wallabies job."""
    role = asked_role("Who is the Wallabies coach?")
    titled = "Wallabies coach Eddie Jones has again denied any contact with Japan."
    near = "The move could help land highly-regarded coach Joe Schmidt for the vacant Wallabies job."
    assert role_tie(role, titled, 0, len(titled), 0, titled.index("Eddie"), titled.index(" has")) == 2
    at = near.index("Joe")
    assert role_tie(role, near, 0, len(near), at, at, at + len("Joe Schmidt")) == 1


def test_an_untitled_owner_must_be_named_in_the_paragraph():
    sentence = "Head coach Andy Reid was also asked about his star tight end."
    question = "Who is the head coach of the Kansas City Chiefs?"
    assert _holds(question, sentence, "Andy Reid", article="The Kansas City Chiefs lost on Sunday. ")
    assert not _holds(question, sentence, "Andy Reid", article="The Jets lost on Sunday. ")
    # seeds: "Foreign Minister Sergey Lavrov", in a paragraph on Russia's demands, is not Ukraine's
    assert not _holds(question, sentence, "Andy Reid", article="The Kansas City Chiefs lost on Sunday.\n\n")


@pytest.mark.parametrize("question, role", [
    ("Who is Germany's finance minister?", "Germany's finance minister"),
    ("Who is Ukraine's foreign minister?", "Ukraine's foreign minister"),  # not Lavrov: his paragraph is on Russia
    ("Who is currently serving as the US ambassador in Moscow?", "the US ambassador in Moscow"),  # not Fried
    ("Who is the US ambassador to Russia?", "the US ambassador to Russia"),  # not Daniel Fried, ambassador to Poland
    ("Who is the head of the Kremlin's football team?", "the head of the Kremlin's football team"),
])
def test_a_role_no_article_gives_anyone_is_refused_with_the_role_named(assistant, question, role):
    answer = assistant.ask(question)
    assert answer.abstained and answer.short_answer is None
    assert answer.reason.startswith(f"No passage names anyone as {role}")


@pytest.mark.parametrize("question, name", [
    ("Who is Russia's foreign minister?", "Sergey Lavrov"),  # not "Russian Deputy Foreign Minister" Ryablakov
    ("Who is Canada's foreign minister?", "Mélanie Joly"),
    ("Who is Biden's national security adviser?", "Jake Sullivan"),
    ("Who is the Ukrainian defence minister?", "Oleksiy Resnikov"),  # "Defense Minister": two spellings
    ("Who is Italy's prime minister?", "Mario Draghi"),
])
def test_a_role_the_articles_give_is_answered_with_that_name(assistant, question, name):
    assert name in assistant.ask(question).short_answer.text


@pytest.mark.parametrize("question, side", [
    ("Who is the president of France?", "France"),  # seeds-style: the French president
    ("Who is the CEO of Snap?", None),  # MultiHop-RAG: a company is the owner of the title, not a nationality
    ("Who is the founder of Flexport?", None),
])
def test_the_owner_of_a_title_is_a_side_only_when_it_is_a_country(question, side):
    from qa.question.asked import analyse_question

    asked = analyse_question(question)
    assert asked.side == side and asked.titled == (side is not None)


@pytest.mark.parametrize("question", ["Who is Russia's foreign minister?", "Who is the foreign minister of Russia?"])
def test_a_role_is_answered_however_its_owner_is_written(assistant, question):
    """'X of Russia' and 'Russia's X' ask the same: the title need not repeat the country the article is
    about ("Foreign Minister Sergey Lavrov told RIA-Novosti")."""
    answer = assistant.ask(question)
    assert answer.short_answer is not None and answer.short_answer.text.endswith("Sergey Lavrov")


def test_a_who_is_question_of_many_words_is_not_parsed_for_a_role():
    from qa.question.parse import structure

    misses = structure.cache_info().misses
    long = ("Who is the individual associated with FTX and Alameda Research that allegedly used customer funds "
            "to secure personal gains, as reported by Fortune?")
    assert asked_role(long) is None and structure.cache_info().misses == misses  # no 13 ms parse for it
    assert asked_role("Who was the US ambassador to Russia in 2021?") is not None  # a role question is short


@pytest.mark.parametrize("question, name, not_name", [
    # the title before the name, not inside the entity: "… and Director for Russia at the National Security
    # Council Eric Green", beside "Secretary of State Antony Blinken" in the same sentence
    ("Which National Security Council director for Russia accompanied Biden during the video summit?", "Eric Green",
     "Blinken"),
    # a title elsewhere in the sentences ranks a name described by more of the question's words
    ("Which National Security Council official responsible for Russia sat in with the US president during the "
     "video link?", "Eric Green",
     "Sullivan"),
    # a rank the question lacks matches nothing: the title "Russian Deputy Foreign Minister Sergei Ryablakov" holds
    # two of the question's words, and is still not the Russian minister
    ("Which Russian minister said Moscow's initiatives would not be drowned in endless discussions?",
     "Sergey Lavrov", "Ryablakov"),
])
def test_a_which_role_question_is_answered_by_the_name_titled_as_described(assistant, question, name, not_name):
    short = assistant.ask(question).short_answer
    assert short is not None and name in short.text and not_name not in short.text


def test_a_first_name_is_not_a_nationality():
    """"Yuri" ends as "Israeli" does; it made Kremlin adviser Yuri Ushakov a foreigner to every side."""
    from qa.lexicon.names import demonym

    assert not any(demonym(w) for w in ("Yuri", "Ivan", "Dmitri", "Helsinki"))
    assert all(demonym(w) for w in ("Russian", "Ukrainian", "Israeli", "British", "European", "US"))


def test_a_kremlin_adviser_is_found_for_a_russian_side_question(assistant):
    answer = assistant.ask("Which Kremlin adviser told reporters the Russian soldiers on their own territory "
                           "threatened no one?")
    assert answer.short_answer is not None and answer.short_answer.text.endswith("Yuri Ushakov")


def test_a_person_asked_by_title_has_that_title_not_a_neighbours(assistant):
    """"… French President Emmanuel Macron, British Prime Minister Boris Johnson …": the word "Minister" in the
    sentence belongs to Johnson's title; Macron is no minister. A minister with that title is found."""
    answer = assistant.ask("Which French minister did Biden confer with after the call with Putin?")
    assert answer.abstained and answer.short_answer is None
    answer = assistant.ask("Which British minister did Biden speak to after the summit?")
    assert answer.short_answer.text.endswith("Boris Johnson")


@pytest.mark.parametrize("text, stem, held", [
    # lower case, and the sentence naming her by surname alone
    ("…, followed by comments from White House spokeswoman Jen Psaki. Later, Psaki said", "spoke", True),
    ("Simon Miles, a historian of the Cold War at Duke University, said it", "histo", True),  # apposition after
    ("Kremlin spokesman Dmitry Peskov and Psaki spoke", "spoke", False),  # Peskov's title, not Psaki's
    ("The minister met Psaki on Friday", "minis", False),  # a word of the sentence, not a title of hers
])
def test_a_title_is_read_where_the_articles_write_it_before_or_after_the_name(text, stem, held):
    from qa.lexicon.titles import titles_holding

    assert bool(titles_holding("Psaki" if "Psaki" in text else "Miles", stem, (text,))) is held


def test_a_person_named_by_surname_answers_the_title_another_article_gives_them(assistant):
    """"In turn, Psaki announced that … further sanctions against NS2 would not have a deterrent effect": her
    title is in another article ("White House spokeswoman Jen Psaki"); Kremlin spokesman Peskov, titled in
    his own sentence, is not the White House's."""
    answer = assistant.ask("Which White House spokeswoman said more sanctions against NS2 would not deter the Kremlin?")
    assert answer.short_answer is not None and answer.short_answer.text == "Jen Psaki"
    assert "Psaki announced" in answer.sentences[0].text


@pytest.mark.parametrize("question, phrase, head", [
    ("Which head of NATO was briefed by the US Secretary of State on the call?", "head of NATO", "head"),
    ("Who is the Ukrainian head of state that Biden was due to phone on Sunday?", "the Ukrainian head of state",
     "head"),
    ("Who, a former US envoy to Warsaw, predicted that the coming fortnight would be tough?",
     "a former US envoy to Warsaw", "envoy"),
    ("Who is Germany's chancellor-designate?", "Germany's chancellor-designate", "chancellor"),
    ("Which US cabinet member admitted he did not expect a breakthrough?", "US cabinet member", "member"),
])
def test_the_description_of_the_person_asked_for_is_read_from_the_parse(question, phrase, head):
    from qa.question.structure import described_person

    described = described_person(question)
    assert (described.phrase, described.head) == (phrase, head)


@pytest.mark.parametrize("question", [
    "Who is Yuri Ushakov?",  # a name, not a description
    "Who led the US delegation at the Geneva talks?",  # described by what they did
    "who speaks for the Kremlin",
])
def test_a_person_named_or_described_by_an_act_has_no_description(question):
    from qa.question.structure import described_person

    assert described_person(question) is None


@pytest.mark.parametrize("question, name", [
    # the title means the description, in other words: no title list ties "head of state" to "President"
    ("Who is the Ukrainian head of state that Biden was due to phone on Sunday?", "Volodymyr Zelensky"),
    ("Which US cabinet member admitted he did not expect a breakthrough during the week of talks with Russia?",
     "Antony Blinken"),
    ("Who, a former US envoy to Warsaw, predicted that the coming fortnight would be tough?", "Daniel Fried"),
])
def test_a_person_described_in_other_words_than_their_title_leads_the_answer(assistant, question, name):
    answer = assistant.ask(question)
    assert not answer.abstained and name in answer.sentences[0].text
    assert answer.short_answer is None  # the title does not say the description's noun: no name in bold


def test_a_description_whose_noun_the_title_holds_gives_the_name_in_bold(assistant):
    answer = assistant.ask("who is germany's chancellor designate?")
    assert answer.short_answer.text == "Chancellor-designate Olaf Scholz"


def test_a_description_no_title_fits_far_better_than_the_others_picks_no_one(assistant):
    from qa.answer.role_match import RoleMatch

    match = RoleMatch(assistant.index.encoder)
    titles = [("stoltenberg", "NATO Secretary General"), ("maio", "Italian Foreign Minister"),
              ("joly", "Canadian Foreign Minister")]
    assert match.pick("head of NATO", titles) == 0
    assert match.pick("Italian foreign minister", titles) == 1
    assert match.pick("foreign minister", titles) is None  # two ministers fit it alike
    assert match.pick("Duke University historian", titles) is None  # none fits it
