"""Qdrant parity of `verify` (issue 24): deleted window points and zeroed vectors are caught by the
manifest of counts and checksums each article point keeps."""

from __future__ import annotations

import pytest

pytest.importorskip("qdrant_client")


def test_verify_full_over_qdrant_catches_deleted_points_and_a_zeroed_vector(tmp_path, seed_corpus):
    from qdrant_client import models

    from index import backend
    from index.qdrant.points import chunk_key
    from index.qdrant.schema import CHUNKS, DENSE

    location = f"qdrant+{tmp_path / 'qdrant'}"
    index = backend.create_index(location)
    index.add_paths(sorted(seed_corpus.glob("*.txt")))
    assert index.verify(full=True) == [] and index.verify() == []
    (first, second), = [index.scroll_articles(["id", "content_hash", "windows"])[:2]]
    gone = [chunk_key(first.payload["id"], first.payload["content_hash"], n) for n in range(10)]
    index.client.delete(CHUNKS, points_selector=models.PointIdsList(points=gone))
    zeroed = chunk_key(second.payload["id"], second.payload["content_hash"], 3)
    index.client.update_vectors(CHUNKS, [models.PointVectors(id=zeroed, vector={DENSE: [0.0] * index.dimension})])
    quick, full = index.verify(), index.verify(full=True)
    index.close()
    assert quick == [quick[0]] and quick[0].startswith("10 window points are missing")
    assert len(full) == 2 and first.payload["id"] in full[0] and second.payload["id"] in full[1]
    assert "miss window points" in full[0] and "differ from their checksum" in full[1]
