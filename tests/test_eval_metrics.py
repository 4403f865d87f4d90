"""Every eval metric on small hand-made cases, each chosen so a wrong formula fails."""

import math

import pytest

from eval import metrics as m
from eval.normalize import locate, normalize, squash


# ---- normalisation -------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("100,000 troops", "100 000 troops"),
    ("100000 troops", "100,000 troops"),
    ("The “Alternative Route”!", "alternative route"),
    ("It’s", "it's"),
    ("1,234,567", "1234567"),
    ("recognising the organisation", "recognizing the organization"),
])
def test_normalize_treats_formats_alike(a, b):
    assert normalize(a) == normalize(b)


def test_normalize_does_not_glue_a_year_to_the_next_number():
    assert normalize("in 2021 100 people") == "in 2021 100 people"


def test_squash_is_the_papers_form():
    assert squash("a b\nc\td") == "abc\td"  # only spaces and newlines go


def test_locate_exact_then_folded():
    text = "He said: “No accusing  fingers”, according to Washington."
    assert locate("according to Washington", text) == (text.index("according"), text.index("according") + 23)
    start, end = locate('"no accusing fingers"', text)
    assert text[start:end] == "“No accusing  fingers”"
    assert locate("not there", text) is None


# ---- retrieval ---------------------------------------------------------------------------

RANKED = ["x", "g2", "y", "g1", "z"]
GOLD = ["g1", "g2"]


def test_distinct_keeps_first_order():
    assert m.distinct(["a", "b", "a", "c", "b"]) == ["a", "b", "c"]


def test_hit_at_k():
    assert not m.hit_at(RANKED, GOLD, 1)
    assert m.hit_at(RANKED, GOLD, 2)
    assert m.hit_at(RANKED, ["g1"], 4) and not m.hit_at(RANKED, ["g1"], 3)


def test_reciprocal_rank_uses_first_gold_and_cutoff():
    assert m.reciprocal_rank(RANKED, GOLD) == pytest.approx(1 / 2)
    assert m.reciprocal_rank(RANKED, ["g1"]) == pytest.approx(1 / 4)
    assert m.reciprocal_rank(RANKED, ["g1"], k=3) == 0.0
    assert m.reciprocal_rank(RANKED, ["nope"]) == 0.0


def test_recall_at_counts_distinct_gold():
    assert m.recall_at(RANKED, GOLD, 2) == 0.5
    assert m.recall_at(RANKED, GOLD + ["g1"], 5) == 1.0


def test_ndcg_binary():
    # gold at ranks 2 and 4; ideal at ranks 1 and 2
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    idcg = 1 / math.log2(2) + 1 / math.log2(3)
    assert m.ndcg_at(RANKED, GOLD, 10) == pytest.approx(dcg / idcg)
    assert m.ndcg_at(["g1", "g2"], GOLD, 10) == pytest.approx(1.0)
    assert m.ndcg_at(["x"], GOLD, 10) == 0.0


# ---- spans -----------------------------------------------------------------------------

def test_spans_match_inside_either_way_and_not_on_a_sliver():
    quote = m.Span("a", "q", 100, 200)
    assert m.spans_match(quote, m.Span("a", "chunk", 50, 250))  # quote inside the chunk
    assert m.spans_match(quote, m.Span("a", "chunk", 120, 160))  # small chunk inside a long quote
    assert m.spans_match(quote, m.Span("a", "chunk", 140, 300))  # 60 of 100 quote chars
    assert not m.spans_match(quote, m.Span("a", "chunk", 190, 400))  # 10 chars: a sliver
    assert not m.spans_match(quote, m.Span("b", "chunk", 100, 200))  # other article
    assert not m.spans_match(quote, m.Span("a", "chunk", 200, 300))  # touching, not overlapping


def test_spans_match_falls_back_to_text_when_unpositioned():
    gold = m.Span("a", "No accusing fingers, according to Washington.")
    assert m.spans_match(gold, m.Span("a", "“No accusing fingers”, according to Washington. More text.", 0, 60))
    assert not m.spans_match(gold, m.Span("a", "Something else entirely", 0, 23))


def test_evidence_recall_counts_quotes_within_k_chunks():
    gold = [m.Span("a", "q1", 0, 50), m.Span("b", "q2", 100, 150)]
    chunks = [m.Span("c", "", 0, 100), m.Span("a", "", 0, 60), m.Span("b", "", 90, 160)]
    assert m.evidence_recall(gold, chunks, 1) == 0.0
    assert m.evidence_recall(gold, chunks, 2) == 0.5
    assert m.evidence_recall(gold, chunks, 3) == 1.0


def test_citation_precision_recall():
    gold = [m.Span("a", "g1", 0, 50), m.Span("b", "g2", 0, 50)]
    cited = [m.Span("a", "s1", 10, 40), m.Span("a", "s2", 300, 340), m.Span("c", "s3", 0, 50)]
    assert m.citation_precision(cited, gold) == pytest.approx(1 / 3)
    assert m.citation_article_precision(cited, ["a", "b"]) == pytest.approx(2 / 3)
    assert m.citation_recall(cited, gold) == 0.5
    assert m.citation_precision([], gold) is None
    assert m.citation_recall([], gold) == 0.0


# ---- MultiHop-RAG ----------------------------------------------------------------------------

def test_multihop_scores_match_the_papers_rules():
    quotes = ["Caesars has a bonus.", "New customers get $1000."]
    passages = [
        "unrelated text",
        "unrelated again",
        "Caesars   has a\nbonus. and more",  # hit at rank 3: spaces/newlines ignored
        "New customers get $1000. Caesars has a bonus.",  # rank 4: one new quote
    ]
    s = m.multihop_scores(passages, quotes)
    assert s["hits@4"] == 1.0 and s["hits@10"] == 1.0
    assert s["rr@10"] == pytest.approx(1 / 3)
    assert s["ap@10"] == pytest.approx((1 / 3 + 1 / 4) / 2)
    # only tabs differ: the paper does not remove tabs, so no hit
    assert m.multihop_scores(["Caesars\thas a bonus."], ["Caesars has a bonus."])["hits@10"] == 0.0
    # case matters in the paper
    assert m.multihop_scores(["caesars has a bonus."], ["Caesars has a bonus."])["hits@10"] == 0.0


def test_multihop_hit_after_rank_4_and_beyond_10():
    q = ["gold fact"]
    assert m.multihop_scores(["x"] * 5 + ["the gold fact"], q) == {
        "hits@4": 0.0, "hits@10": 1.0, "rr@10": pytest.approx(1 / 6), "ap@10": pytest.approx(1 / 6)}
    assert m.multihop_scores(["x"] * 10 + ["gold fact"], q)["hits@10"] == 0.0


# ---- answers ---------------------------------------------------------------------------------

def test_answer_contains_normalised_whole_words():
    assert m.answer_contains("Russia said it would send 100 000 troops [1].", "100,000 troops")
    assert m.answer_contains("It was “no accusing fingers”.", "No accusing fingers")
    assert not m.answer_contains("Polandia is far.", "Poland")  # whole words only
    assert not m.answer_contains("", "Poland")


def test_answer_content_tokens():
    assert m.answer_correct("Presidents Clinton, Bush and Obama", "Obama, George W. Bush and Clinton") is False
    assert m.answer_correct("He advised Obama, George W. Bush and Bill Clinton", "Obama, George W. Bush and Clinton")
    assert m.answer_covers_content("the jokes, and an exchange of many compliments", "jokes and an exchange of compliments")
    assert not m.answer_covers_content("jokes only", "jokes and an exchange of compliments")


def test_token_f1():
    assert m.token_f1("the cat sat", "cat sat down") == pytest.approx(2 * (2 / 2) * (2 / 3) / (2 / 2 + 2 / 3))
    assert m.token_f1("dog", "cat") == 0.0
    assert m.token_f1("Poland [1]", "Poland") == 1.0


# ---- abstention and latency --------------------------------------------------------------------

def test_abstention_scores():
    should = [True, True, False, False, False]
    did = [True, False, True, False, False]
    s = m.abstention_scores(should, did)
    assert s["abstain_precision"] == 0.5
    assert s["abstain_recall"] == 0.5
    assert s["abstain_f1"] == 0.5
    assert s["wrong_abstain_rate"] == pytest.approx(1 / 3)
    never = m.abstention_scores([True, False], [False, False])
    assert never["abstain_precision"] is None and never["abstain_recall"] == 0.0 and never["abstain_f1"] == 0.0
    assert m.abstention_scores([False], [True])["abstain_f1"] is None  # nothing should be abstained on


def test_percentile_interpolates_like_numpy():
    xs = [10, 20, 30, 40, 100]
    assert m.percentile(xs, 50) == 30
    assert m.percentile(xs, 95) == pytest.approx(88.0)
    assert m.percentile([], 50) is None


def test_lead_correct_reads_the_short_answer_then_the_first_sentence():
    assert m.lead_correct("some 100,000", "Russia massed troops.", "some 100,000")
    assert m.lead_correct(None, "Biden says the talks can only work if Putin “defuses, not escalates, the situation”.",
                          "defuse, not escalate, the situation")  # stems: defuses = defuse
    assert m.lead_correct("two-hour", None, "about two hours")  # plural s dropped
    assert m.lead_correct(None, "Talks in Geneva, scheduled for Jan. 9-10.", "January 9-10")  # month spelt out
    assert not m.lead_correct("Eric Green", "Antony Blinken went too.", "Victoria Nuland")
    # the short answer is the lead: a wrong bold name is wrong though its sentence names the gold one
    assert not m.lead_correct("Caroline Ellison", "Ellison tied Sam Bankman-Fried to the fraud.", "Sam Bankman-Fried")
    assert not m.lead_correct(None, None, "anything")


def test_a_gold_answers_asides_and_alternatives_are_its_forms():
    gold = "the leaders of Britain (Johnson), Germany (Merkel), France (Macron) and Italy (Draghi)"
    assert m.lead_correct("the leaders of Britain, Germany, France and Italy", None, gold)
    assert not m.lead_correct("the leaders of Britain", None, gold)  # one of four is not the answer
    alternatives = "Ukraine joining NATO / NATO military infrastructure moving into Ukraine"
    assert m.lead_correct(None, "Moving NATO military infrastructure to Ukraine is a red line.", alternatives)
    assert m.gold_forms("some 100,000") == ["some 100,000"]


def test_a_wrong_lead_is_a_wrong_short_answer_or_only_other_figures():
    assert m.wrong_lead("more than 120,000", "Ukraine has 120,000 soldiers.", "some 100,000")
    assert m.wrong_lead(None, "Ukraine has 120,000 soldiers.", "some 100,000")
    assert not m.wrong_lead(None, "Russia is said to have massed troops.", "some 100,000")  # no figure: not wrong
    assert not m.wrong_lead("some 100,000", "…", "some 100,000")
