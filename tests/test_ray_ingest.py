"""Ingestion through Ray Data on a one-node cluster (`ray.init(num_cpus=2)`) into Qdrant local mode:
the five seed articles, split and embedded by Ray actors in blocks of two, hold the embedded index's
vectors bit for bit and answer as it does, and a second run writes nothing new. Needs the cluster extra (CI installs it); about 30 s, most of it
Ray starting its actors."""

from __future__ import annotations

import pytest

ray = pytest.importorskip("ray")  # only a guard for users without `byline[cluster]`: CI runs it
pytest.importorskip("ray.data")
pytest.importorskip("qdrant_client")

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
BLOCK = 2  # articles a Ray block here: the local build encodes all five seed articles in one step


def _point_ids(index) -> list[int]:
    from index.qdrant.schema import CHUNKS

    ids, offset = [], None
    while True:
        points, offset = index.client.scroll(CHUNKS, limit=1_000, offset=offset)
        ids += [int(p.id) for p in points]
        if offset is None:
            return sorted(ids)


@pytest.fixture(scope="module")
def one_node():
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    if started:
        ray.shutdown()


@pytest.fixture(scope="module")
def ingested(one_node, tmp_path_factory, seed_corpus):
    from index import backend
    from index.qdrant.ray_ingest import ingest

    index = backend.create_index(f"qdrant+{tmp_path_factory.mktemp('ray') / 'qdrant'}")
    with pytest.MonkeyPatch.context() as patch:  # three blocks on two actors, none like the local build's
        patch.setattr("index.qdrant.ray_ingest.DOCS_A_BLOCK", BLOCK)
        report = ingest([seed_corpus], index, concurrency=2)
    yield index, report
    index.close()


def test_ray_ingests_every_seed_article_once(ingested, assistant):
    index, report = ingested
    embedded = assistant.index
    assert sorted(report.added) == sorted(r.id for r in embedded.list())
    assert report.issues == []
    assert index.chunk_count() == embedded.chunk_count() == report.chunks_embedded


def test_the_ray_built_index_holds_the_embedded_vectors_bit_for_bit(ingested, assistant):
    """Every window has the same id, span and vector bytes on both: each article's windows are
    encoded on their own (`index.embedding.encoders.encode_articles`), whichever block and actor encodes it."""
    from bench.compare_backends import compare_points

    index, _ = ingested
    found = compare_points(assistant.index, index)
    assert found["windows"]["same_ids"] == assistant.index.chunk_count() == index.chunk_count()
    assert found["windows"]["spans_differ"] == found["windows"]["texts_differ"] == 0
    assert found["vectors"]["identical"] == found["vectors"]["of"] == assistant.index.chunk_count()


def test_the_ray_built_index_answers_as_the_embedded_one(ingested, seed_answers):
    """Answer for answer, from the same vectors (above) and the same keyword scores; the embedded
    index's answers are the session's (conftest.seed_answers)."""
    from qa import Assistant

    index, _ = ingested
    ours = Assistant(index)
    questions = list(seed_answers)
    assert [ours.ask(q).text for q in questions] == [seed_answers[q].text for q in questions]


def test_running_the_pipeline_again_writes_nothing(ingested, seed_corpus):
    from index.qdrant.ray_ingest import ingest

    index, first = ingested
    count = index.chunk_count()
    again = ingest([seed_corpus], index, concurrency=2)
    assert sorted(again.unchanged) == sorted(first.added) and again.added == again.updated == []
    assert index.chunk_count() == count


def test_a_worker_killed_mid_build_is_replaced_and_nothing_is_written_twice(one_node, tmp_path, seed_corpus,
                                                                            monkeypatch, ingested):
    from index import backend
    from index.faults import ENV, ONCE
    from index.qdrant.ray_ingest import ingest

    fired = tmp_path / "fired"
    monkeypatch.setenv(ENV, "ray_embed")
    monkeypatch.setenv(ONCE, str(fired))
    index = backend.create_index(f"qdrant+{tmp_path / 'qdrant'}")
    try:
        report = ingest([seed_corpus], index, concurrency=2)
        assert fired.exists()  # an embedding worker was killed (SIGKILL) on its first batch
        first, _ = ingested
        assert len(report.added) == 5 and index.chunk_count() == first.chunk_count()
        assert sorted(a.id for a in index.list()) == sorted(a.id for a in first.list())
        assert _point_ids(index) == _point_ids(first)  # the very same windows: none twice, none missing
    finally:
        index.close()
