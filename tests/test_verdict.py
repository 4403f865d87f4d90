"""Yes, no, and when: a yes/no question gets a verdict first, then its claims side by side, each with
its outlet, date and cited sentence; a claim the articles do not state gives "the articles don't say"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from eval.metrics import gold_polarity, lead_correct, wrong_lead
from eval.questions import load_questions
from qa.answer.verdict import judge
from qa.answer.verdict.form import read, shown
from qa.lexicon.words import manner_differs

runner = CliRunner()
SEED_QUESTIONS = Path(__file__).resolve().parent.parent / "eval" / "seed_questions.jsonl"
OUTLETS = ["ARD", "lefigaro", "TechCrunch", "The Verge", "The Independent - Life and Style"]


def test_a_polar_question_denied_by_its_article_is_answered_no(assistant):
    answer = assistant.ask("Did Biden offer Putin any concessions?")
    assert answer.verdict == "no" and not answer.abstained
    assert answer.sentences[0].text == "No."
    (claim,) = answer.claims
    assert claim.verdict == "contradicted"
    quote = answer.source(claim.citations[0]).quote
    assert "did not offer any concessions" in quote or "made no concessions" in quote


def test_a_passage_that_says_the_opposite_by_a_prefix_answers_no(assistant):
    """"It is unlikely that Moscow will opt for a large-scale invasion" denies "likely" as "not likely" would;
    a prefix that makes no opposite ("impress", "press") denies nothing."""
    from qa.lexicon.words import opposite_word

    assert opposite_word("judged it likely", "it is unlikely") and opposite_word("legal", "an illegal act")
    assert opposite_word("were the practices illegal?", "Alameda acted legally")  # words compared by their stems
    assert not opposite_word("he will impress them", "the press said") and not opposite_word("likely", "likely")
    answer = assistant.ask("Do the articles judge a large-scale Russian invasion of Ukraine to be likely?")
    assert answer.verdict == "no" and "unlikely" in answer.source(answer.claims[0].citations[0]).quote
    assert answer.claims[0].note == "Its passage says the opposite."


@pytest.mark.parametrize("question, denial", [
    ("Did the United States and NATO accept the veto Moscow requested on new NATO memberships?",
     "categorically refused the veto"),
    ("Does Blinken accept the claim that Ukraine is the aggressor?", "is absurd"),
])
def test_a_passage_that_refuses_or_rejects_what_is_asked_answers_no(assistant, question, denial):
    """A refusal negates as "not" does: "refused the veto" answers "Did they accept the veto?" with No."""
    answer = assistant.ask(question)
    assert answer.verdict == "no" and answer.sentences[0].text == "No."
    (claim,) = answer.claims
    assert claim.verdict == "contradicted" and denial in answer.source(claim.citations[0]).quote


@pytest.mark.parametrize("question, head, words", [
    ("Does the Wired article suggest that Sony headphones do not offer the best value in their class?", "offer",
     {"best", "value", "class"}),
    ("Does the Sporting News article suggest he is not the top scorer for Manchester United?", "scorer",
     {"top", "manchester"}),
    ("Did Biden fail to threaten Putin with economic sanctions?", "threaten", {"putin", "economic", "sanctions"}),
    ("Does The Verge discuss the trial without mentioning any layoffs?", "mentioning", {"layoffs"}),
    ("Did the article suggest there was no valid alternative to Google?", "alternative", {"valid", "google"}),
])
def test_a_claims_denial_is_read_from_the_question_parse(question, head, words):
    """The negated predicate, its head and its scope's words; not its subject ("Sony headphones", "Biden")."""
    from qa.answer.verdict.denial import denials

    (denial,) = denials(question, question)
    assert denial.head == head and words <= set(denial.words)
    assert not {"sony", "headphones", "biden", "wired"} & set(denial.words)


@pytest.mark.parametrize("question, aside", [
    ("Was the coverage of the game without Jim Harbaugh consistent?", None),  # "without" a noun describes
    ("Does the article quoting “no accusing fingers” call the talks useful?", "the article quoting “no accusing "
                                                                               "fingers”"),
    ("Did Biden threaten Putin with economic sanctions?", None),
])
def test_descriptions_and_plain_claims_deny_nothing(question, aside):
    from qa.answer.verdict.denial import denials

    assert denials(question, question, aside) == ()


def test_a_passage_states_a_denial_only_with_its_head_and_no_negation_of_its_own():
    from qa.answer.verdict.denial import denials, stated

    (denial,) = denials(*["Do Sony headphones not offer the best value in their class?"] * 2)
    assert stated(denial, "With this sale, they offer some of the best value in their class.")
    assert not stated(denial, "With this sale, they do not offer the best value in their class.")
    assert not stated(denial, "They are some of the best value in their class.")  # "offer" is not said


def test_a_claim_whose_passage_states_what_it_denies_makes_the_answer_no(assistant):
    """"Biden did not threaten Putin with economic sanctions" against ARD's "Biden threatened economic
    sanctions": that claim is false, whatever the other claim's passage says, so the answer is No."""
    answer = assistant.ask("Does ARD report that Biden did not threaten Putin with economic sanctions, while Le "
                           "Figaro reports that the Geneva talks are to be led by senior State Department officials?")
    assert answer.verdict == "no" and answer.sentences[0].text == "No."
    ard = next(c for c in answer.claims if c.outlet == "ARD")
    assert ard.verdict == "contradicted" and ard.note == "Its passage states what the question says it does not."
    assert "Biden threatened economic sanctions" in answer.source(ard.citations[0]).quote


def test_a_meeting_held_by_video_answers_no_to_one_held_face_to_face(assistant):
    """How a meeting was held contradicts as a negation does: "via a protected videolink" answers "Did they
    meet face to face?" with No, and "Did they talk by video?" with Yes."""
    answer = assistant.ask("Did Biden and Putin meet face to face on December 7?")
    assert answer.verdict == "no" and answer.sentences[0].text == "No."
    (claim,) = answer.claims
    assert claim.verdict == "contradicted" and "videolink" in answer.source(claim.citations[0]).quote
    assert assistant.ask("Did Biden and Putin talk by video on December 7?").verdict == "yes"


@pytest.mark.parametrize("claim, passage, differs", [
    ("Did Biden and Putin meet face to face?", "a virtual US-Russian summit took place via a protected videolink",
     True),
    ("Did the two CEOs meet in person in Las Vegas?", "The two chief executives spoke by phone on Monday", True),
    ("Did Musk and Altman talk by phone?", "The two met in person at a conference in Paris", True),
    ("Did the two leaders hold an in-person summit?", "The summit was held by video link", True),
    ("Did the ministers meet in person?", "The ministers met in Geneva on Monday", False),  # says no manner
    ("Did they meet in person after the video call?", "They talked via a video link", False),  # the claim says both
])
def test_how_a_meeting_was_held_differs(claim, passage, differs):
    assert manner_differs(claim, passage) is differs


def test_a_time_question_compares_the_outlets_dates(assistant):
    answer = assistant.ask("Did ARD report on the Biden-Putin video summit before Le Figaro reported on "
                           "the talks in Geneva?")
    assert answer.verdict == "yes" and answer.sentences[0].text == "Yes."
    assert [c.outlet for c in answer.claims] == ["ARD", "Le Figaro"]
    assert [c.published_at[:10] for c in answer.claims] == ["2021-12-07", "2022-01-09"]
    assert "In time: ARD, 7 Dec 2021 → Le Figaro, 9 Jan 2022." in answer.notes
    for claim in answer.claims:  # each claim cites a sentence of its own outlet's article
        assert answer.source(claim.citations[0]).outlet == claim.outlet


def test_the_reversed_order_is_answered_no(assistant):
    answer = assistant.ask("Did Le Figaro report on the talks in Geneva before ARD covered the Biden-Putin "
                           "video summit?")
    assert answer.verdict == "no" and answer.sentences[0].text == "No."


def test_a_claim_no_article_states_gets_no_verdict(assistant):
    answer = assistant.ask("Did Biden and Putin discuss the football World Cup?")
    assert answer.verdict == "don't say" and answer.abstained
    assert answer.text.startswith("The articles don't say.")
    assert [c.verdict for c in answer.claims] == ["not found"]
    assert answer.reason


@pytest.mark.parametrize("question, name", [
    ("Did Chinese President Xi Jinping speak with Putin about the outcome of the video summit?",
     "Chinese President Xi Jinping"),  # the hand order's closest passage, on the summit, read as "No"
    ("Did Ukraine's defence minister meet US Defense Secretary Lloyd Austin in December?",
     "Defense Secretary Lloyd Austin"),  # …and Resnikov's CNN interview as "Yes"
])
def test_a_claim_about_someone_no_article_mentions_gets_no_verdict(assistant, question, name):
    answer = assistant.ask(question)
    assert answer.verdict == "don't say" and answer.text.startswith("The articles don't say.")
    assert [c.verdict for c in answer.claims] == ["not found"]
    assert answer.reason == f"The indexed articles never mention {name}."


def test_a_name_written_otherwise_or_an_outlet_is_not_an_unknown_name(assistant):
    """"OSCE" is written out in full in Le Figaro's article, and "Le Figaro" is an outlet, not a word of its text:
    neither makes the claim unfound."""
    answer = assistant.ask("In Le Figaro's schedule for the week, does the NATO-Russia Council meeting come before "
                           "the OSCE Permanent Council meeting?")
    assert answer.verdict == "yes"
    assert not any((c.note or "").startswith("The indexed articles never mention") for c in answer.claims)


def test_an_outlet_whose_articles_do_not_say_it_makes_the_answer_no(assistant):
    """"Do both …?" asks what outlets report: Le Figaro's indexed article never mentions the pipeline, so
    the answer is No, its row "not reported" beside ARD's cited sentence (not "the articles don't say")."""
    answer = assistant.ask("Do ARD and Le Figaro both discuss the Nord Stream 2 pipeline?")
    assert answer.verdict == "no" and not answer.abstained and answer.sentences[0].text == "No."
    rows = {c.outlet: c.verdict for c in answer.claims}
    assert rows == {"ARD": "supported", "Le Figaro": "not reported"}
    ard = next(c for c in answer.claims if c.outlet == "ARD")
    assert "Nord Stream 2" in answer.source(ard.citations[0]).quote
    assert answer.notes[0] == "The sources disagree: ARD states it; Le Figaro does not report it."
    assert [c.text for c in answer.claims] == ["discuss the Nord Stream 2 pipeline?"] * 2  # the outlet has its column


def test_a_note_says_when_sources_disagree_and_only_then():
    from qa.answer.verdict.answer import _disagreement
    from qa.types import ClaimVerdict

    def row(verdict, outlet):
        return ClaimVerdict("claim", verdict, outlet, None, (), 0.5, None)

    assert _disagreement([row("supported", "ARD"), row("contradicted", "Le Figaro")]) == \
        "The sources disagree: ARD states it; Le Figaro contradicts it."
    assert _disagreement([row("supported", "ARD"), row("supported", "Le Figaro")]) is None
    assert _disagreement([row("not supported", "ARD"), row("contradicted", "Le Figaro")]) is None
    assert _disagreement([row("supported", "ARD"), row("not supported", "ARD")]) is None  # one source's two reports


def test_ask_json_carries_the_verdict_and_the_claims(seed_index_dir):
    result = runner.invoke(app, ["ask", "Did Biden offer Putin any concessions?", "--index", str(seed_index_dir),
                                 "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verdict"] == "no"
    (claim,) = data["claims"]
    assert set(claim) == {"text", "verdict", "outlet", "published_at", "citations", "score", "note"}
    assert claim["verdict"] == "contradicted" and claim["citations"] == [1]
    assert data["sources"][0]["number"] == 1


def test_ask_prints_the_verdict_then_a_row_per_claim(seed_index_dir):
    result = runner.invoke(app, ["ask", "Do both ARD and Le Figaro report that Biden threatened Russia with "
                                 "severe sanctions?", "--index", str(seed_index_dir)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Yes."
    shown = " ".join(result.output.split())
    assert "ARD" in shown and "Le Figaro" in shown and "2021-12-07" in shown and "2022-01-09" in shown


def test_each_claim_row_agrees_with_the_verdict_above_it(assistant):
    """A reader never sees "Yes." above a contradicted claim, nor "No." above claims that all hold (unless the
    question asks only for an order, which the dates settle)."""
    asked = [q for q in load_questions(SEED_QUESTIONS) if q.type in ("polar", "comparison", "temporal")]
    seen = set()
    for q in asked:
        answer = assistant.ask(q.question)
        rows = {c.verdict for c in answer.claims}
        seen.add(answer.verdict)
        if answer.verdict == "yes":
            assert rows == {"supported"}, q.question
        elif answer.verdict == "no" and not judge.by_dates(read(q.question, assistant.outlets())):
            assert rows & {"contradicted", "not supported", "not reported"}, q.question
    assert {"yes", "no"} <= seen


def test_claims_are_cut_at_each_outlet_and_the_same_source():
    form = read("Between the TechCrunch report on Sam Bankman-Fried's trial and the subsequent report by the "
                "same source on the prosecution's allegations against him, was there consistency in the "
                "portrayal of the charges he is facing?", OUTLETS)
    assert form.kind == "temporal"
    assert [(c.outlet, c.later) for c in form.claims] == [("TechCrunch", False), ("TechCrunch", True)]
    form = read("Did TechCrunch report on the lawsuit before The Verge covered the ruling?", OUTLETS)
    assert form.order == "before" and [c.outlet for c in form.claims] == ["TechCrunch", "The Verge"]
    form = read("Was the Independent - Life and Style report on 6 December 2023 consistent?", OUTLETS)
    assert form.claims[0].day == ("2023-12-06", "2023-12-06")


def test_outlets_named_in_a_list_share_the_claim_that_follows_them():
    """"Do ARD and Le Figaro both report that …?" asks each outlet the same thing, negation included."""
    form = read("Do ARD and Le Figaro both report that the talks did not bring a breakthrough?", OUTLETS)
    assert [c.outlet for c in form.claims] == ["ARD", "lefigaro"]
    assert all(c.text.endswith("the talks did not bring a breakthrough?") for c in form.claims)
    assert all(judge.negated(c.text) for c in form.claims)
    form = read("Did TechCrunch report on the lawsuit before The Verge covered the ruling?", OUTLETS)
    assert "ruling" not in form.claims[0].text  # a claim with words of its own keeps them
    assert [shown(c, form.outlets_named) for c in form.claims] == ["report on the lawsuit", "covered the ruling?"]


def test_articles_described_without_their_outlet_are_claims_of_their_own():
    """"the analysis piece", "the article quoting …" name an article as an outlet would; an outlet's article,
    "the other article" and a bare "the article" do not, and a description with no words of its own after it
    is part of the claim before it."""
    form = read("Do both ARD and the analysis piece mention that Blinken phoned Zelensky?", OUTLETS)
    assert [(c.outlet, c.described) for c in form.claims] == [("ARD", None), (None, "the analysis piece")]
    assert all(c.own.endswith("mention that Blinken phoned Zelensky?") for c in form.claims)
    form = read("Does the article quoting “no accusing fingers” say the call lasted two hours?", OUTLETS)
    (claim,) = form.claims
    assert claim.described == "the article quoting “no accusing fingers”"
    assert not judge.negated(claim.own)  # the quote's "no" is not the claim's
    for question in ("Does the ARD report on the summit say the talks failed while the Le Figaro article says so?",
                     "Does the article from The Verge say the deal closed, while the other article says it failed?",
                     "Does the article say the talks failed?"):
        assert not any(c.described for c in read(question, OUTLETS).claims), question
    form = read("Does the analysis piece describe the call as longer than the two hours given in the article quoting "
                "“no accusing fingers”?", OUTLETS)
    assert [c.described for c in form.claims] == ["the analysis piece"]


def test_a_described_article_is_found_by_its_quote_or_its_title(assistant):
    find = assistant.verdicts.described_article
    assert find("the article quoting “no accusing fingers”").id.startswith("000_")
    assert find("the article that mentions “room for jokes”").id.startswith("000_")
    assert find("the article on deep US–Russia differences").id.startswith("003_")
    assert find("the wire report") is None  # no article's words say which one is


def test_a_claim_about_a_described_article_is_read_from_that_article(assistant):
    answer = assistant.ask("Does the article quoting “no accusing fingers” say the video call lasted two hours?")
    assert answer.verdict == "yes"
    (claim,) = answer.claims
    assert claim.outlet == "the article quoting “no accusing fingers”"
    source = answer.source(claim.citations[0])
    assert source.article_id.startswith("000_") and "lasted two hours" in source.quote


def test_a_described_article_found_by_no_words_is_one_no_other_claim_names(assistant):
    """"the wire report" fits no article's words: its claim is read from the articles of no outlet the question
    names, so Le Figaro's silence on the figure makes the answer No."""
    answer = assistant.ask("Do both the wire report and Le Figaro give a figure of about 100,000 for the Russian "
                           "troops massed near Ukraine?")
    assert answer.verdict == "no" and answer.sentences[0].text == "No."
    rows = {c.outlet: c for c in answer.claims}
    assert rows["Le Figaro"].verdict == "not reported"
    wire = answer.source(rows["the wire report"].citations[0])
    assert wire.outlet != "Le Figaro" and "100,000" in wire.quote


def test_look_up_questions_are_not_yes_no_questions():
    assert read("Which company did Sam Bankman-Fried found?", OUTLETS) is None
    assert read("Considering the TechCrunch article, who is the CEO of OpenAI?", OUTLETS) is None


def test_a_bare_verdict_lead_is_scored_against_a_yes_no_gold():
    assert gold_polarity("No; the talks were to be exploratory") == "no"
    assert gold_polarity("Consistent") == "yes" and gold_polarity("Sam Altman") is None
    assert lead_correct(None, "Yes.", "Consistent")
    assert lead_correct(None, "No.", "No; the talks were to be exploratory")
    assert not lead_correct(None, "Yes.", "no")
    assert wrong_lead(None, "Yes.", "no")
    assert not lead_correct(None, "There was no change.", "Yes")  # only a bare verdict is read as one


def test_which_outlet_first_names_the_outlet_and_the_order_with_dates(assistant):
    answer = assistant.ask("Which outlet reported first that Biden threatened Russia with severe sanctions?")
    assert answer.sentences[0].text == "ARD reported it first, on 7 Dec 2021." and not answer.abstained
    assert [(c.outlet, c.published_at[:10]) for c in answer.claims] == [("ARD", "2021-12-07"),
                                                                         ("Le Figaro", "2022-01-09")]
    assert "In time: ARD, 7 Dec 2021 → Le Figaro, 9 Jan 2022." in answer.notes
    for claim in answer.claims:  # each outlet's date rests on a cited sentence of its own article
        assert answer.source(claim.citations[0]).outlet == claim.outlet
        assert "sanctions" in answer.source(claim.citations[0]).quote


def test_which_of_two_named_outlets_reported_last(assistant):
    answer = assistant.ask("Which of ARD and Le Figaro reported later that Biden threatened Russia with severe "
                           "sanctions?")
    assert answer.sentences[0].text == "Le Figaro reported it last, on 9 Jan 2022."
    assert [c.outlet for c in answer.claims] == ["Le Figaro", "ARD"]


def test_which_outlet_first_says_when_only_one_outlet_states_it(assistant):
    answer = assistant.ask("Which outlet reported the Biden-Putin video call first?")
    assert answer.sentences[0].text == "Only ARD's articles state it (7 Dec 2021)."
    assert [c.outlet for c in answer.claims] == ["ARD"]


def test_which_outlet_first_is_read_only_where_it_asks_for_an_outlet():
    form = read("Which of TechCrunch and The Verge reported on the FTX trial earlier?", OUTLETS)
    assert form.kind == "first" and form.order == "first"
    assert [(c.text, c.outlet) for c in form.claims] == [("the FTX trial", "TechCrunch"),
                                                          ("the FTX trial", "The Verge")]
    assert read("Which outlet was the last to report on Nord Stream 2?", OUTLETS).order == "last"
    assert read("Which city hosted the talks first?", OUTLETS) is None
    assert read("Which of the reforms came first?", OUTLETS) is None
