"""Format 4's per-article blobs (index.embedded.packing) give back exactly what was stored."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from index.ingest.annotate import Entity
from index.embedded.packing import pack_entities, pack_spans, pack_text, unpack_entities, unpack_spans, unpack_text


@given(st.text())
def test_text_round_trips(text):
    assert unpack_text(pack_text(text)) == text


@given(st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 10**5)), max_size=200))
def test_sentence_spans_round_trip(pairs):
    spans, at = [], 0
    for gap, length in pairs:
        spans.append((at + gap, at + gap + length))
        at += gap + length
    assert unpack_spans(pack_spans(spans)) == spans


def test_entities_keep_the_first_of_one_start_and_come_back_sorted():
    found = [Entity(40, 46, "GPE"), Entity(3, 9, "PERSON"), Entity(40, 52, "ORG"), Entity(10, 14, "DATE")]
    assert unpack_entities(pack_entities(found)) == [(3, 9, "PERSON"), (10, 14, "DATE"), (40, 46, "GPE")]
    assert unpack_entities(pack_entities([])) == [] and unpack_spans(pack_spans([])) == []
