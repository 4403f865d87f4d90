"""`verify [--full]` over Qdrant (issue 24): the points and vectors against a manifest kept in the
collection. Each article point records how many windows it has (`windows`) and the CRC-32 of their
vectors' 8-bit codes in window order (`vectors_crc`, `index.qdrant.schema.article_payload`); the
vectors are stored as the embedded index keeps them (`index.qdrant.points.as_stored`, DOT distance: not
normalised), so their codes read back are the same bytes.

A quick verify compares the number of window points with the sum the articles record (a deleted
point is seen); `--full` reads every article's windows by id and compares each article's count and
checksum (a deleted, zeroed or changed vector is named by its article).
"""

from __future__ import annotations

import numpy as np

from index.embedded.checksums import vectors_crc
from index.qdrant.points import chunk_key
from index.qdrant.schema import CHUNKS, DENSE

FIX = "add the named articles again to rewrite their windows: byline index add PATH"


def problems(backend, full: bool) -> list[str]:
    client = backend.client
    articles = backend.scroll_articles(["id", "content_hash", "windows", "vectors_crc"])
    expected = sum(int(p.payload.get("windows") or 0) for p in articles)
    out = []
    held = client.count(CHUNKS, exact=True).count
    if not full:
        if held < expected:
            out.append(f"{expected - held} window points are missing ({held} held, the articles record {expected}); "
                       f"byline index verify --full names their articles")
        return out
    missing, changed = [], []
    for p in articles:
        n = int(p.payload.get("windows") or 0)
        ids = [chunk_key(p.payload["id"], p.payload["content_hash"], i) for i in range(n)]
        found = {str(q.id): q.vector[DENSE]
                 for q in client.retrieve(CHUNKS, ids, with_payload=False, with_vectors=[DENSE])}
        if len(found) < n:
            missing.append(p.payload["id"])
            continue
        crc = p.payload.get("vectors_crc")  # None: written before the checksums
        if crc is not None and vectors_crc(np.array([found[str(i)] for i in ids])) != crc:
            changed.append(p.payload["id"])
    for label, ids in (("articles miss window points", missing),
                       ("articles' vectors differ from their checksum", changed)):
        if ids:
            out.append(f"{len(ids)} {label} ({', '.join(ids[:5])}{' …' if len(ids) > 5 else ''}); {FIX}")
    return out
