"""How a Byline index is laid out in Qdrant: three collections, their payloads and filters.

- `byline_chunks`: one point a window, id = `index.qdrant.points.chunk_key` (a hash of the article, its
  content and the window's place: a retried write overwrites, never duplicates). Vectors: `dense`
  (the encoder's 384-d vectors as the embedded index stores them, dot product as FAISS) and
  `keyword` (sparse, Byline's own BM25 term weights, `Modifier.IDF`: Qdrant keeps the IDF up to
  date as points are added and deleted). Payload: article id and row key, outlet (as given and
  case-folded), day (a datetime, for range filters), the window's character span and sentence span,
  its distinct words.
- `byline_articles`: payload-only points, id = `index.qdrant.points.article_key`: text, title, outlet,
  date, url, path, source file, content hash, sentence spans and named entities, so that answers
  cite exact passages. `complete` turns true once the article's windows are all written.
- `byline_terms`: payload-only, one point a word (id = its keyword term id): the word and all its
  prefixes, for spelling correction and the prefix terms of keyword queries.
- `byline_meta`: one point: model, encoder backend, dimension, chunking, format, write version.

On a cluster (`qdrant+URL`), the collections would be sharded by month with custom shard keys
(`sharding_method=CUSTOM`, one key `YYYY-MM` a month, writes routed by the article's month) and
`replication_factor=2` on three or more nodes; see docs/scale.md. Local mode has no shards or
replicas, so none of that is set here: the tests run one node.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from pathlib import Path

from qdrant_client import QdrantClient, models

from index.embedded.checksums import vectors_crc
from index.errors import IndexBusyError
from index.qdrant.points import Prepared

CHUNKS, ARTICLES, TERMS, META = "byline_chunks", "byline_articles", "byline_terms", "byline_meta"
DENSE, KEYWORD = "dense", "keyword"
META_ID = 1
WRITE_BATCH = 256  # points a request

_clients: dict[str, list] = {}  # local mode locks its folder: one client a folder per process, shared
_guard = threading.Lock()


def connect(target: str) -> QdrantClient:
    """A client for a URL, a local folder or ":memory:" (each ":memory:" connection is its own store)."""
    if target.startswith(("http://", "https://")):
        return QdrantClient(url=target, timeout=60, check_compatibility=False)  # no extra request, no warning
    if target == ":memory:":
        return QdrantClient(location=":memory:")
    with _guard:
        held = _clients.get(target)
        if held is None:
            try:
                Path(target).mkdir(parents=True, exist_ok=True)
                with warnings.catch_warnings():  # "local mode is not recommended above 20,000 points":
                    warnings.simplefilter("ignore", UserWarning)  # docs/scale.md says so, once
                    held = _clients[target] = [QdrantClient(path=target), 0]
            except (OSError, RuntimeError) as exc:  # RuntimeError: another process holds the folder
                raise IndexBusyError(f"Qdrant's local folder {target} cannot be opened ({one_line(exc)}); "
                                     "local mode serves one process at a time: close the other one, "
                                     "or run a Qdrant server and use qdrant+URL") from exc
        held[1] += 1
        return held[0]


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def disconnect(target: str, client: QdrantClient) -> None:
    with _guard:
        held = _clients.get(target)
        if held is not None and held[0] is client:
            held[1] -= 1
            if held[1] <= 0:
                del _clients[target]
                client.close()
            return
    client.close()


def create_collections(client: QdrantClient, dimension: int, remote: bool) -> None:
    if not client.collection_exists(CHUNKS):
        client.create_collection(
            CHUNKS,
            vectors_config={DENSE: models.VectorParams(size=dimension, distance=models.Distance.DOT)},
            sparse_vectors_config={KEYWORD: models.SparseVectorParams(modifier=models.Modifier.IDF)},
            # on a server: int8 codes in RAM, originals on disk (docs/scale.md); ignored by local mode
            quantization_config=models.ScalarQuantization(scalar=models.ScalarQuantizationConfig(
                type=models.ScalarType.INT8, always_ram=True)) if remote else None)
    for name in (ARTICLES, TERMS, META):
        if not client.collection_exists(name):
            client.create_collection(name, vectors_config={})
    if remote:  # local mode has no payload indexes (it scans)
        for name, field, kind in ((CHUNKS, "article_key", models.PayloadSchemaType.INTEGER),
                                  (CHUNKS, "article_id", models.PayloadSchemaType.KEYWORD),
                                  (CHUNKS, "outlet_key", models.PayloadSchemaType.KEYWORD),
                                  (CHUNKS, "day", models.PayloadSchemaType.DATETIME),
                                  (CHUNKS, "words", models.PayloadSchemaType.KEYWORD),
                                  (ARTICLES, "id", models.PayloadSchemaType.KEYWORD),
                                  (TERMS, "heads", models.PayloadSchemaType.KEYWORD)):
            client.create_payload_index(name, field, kind)


def day_of(published_at: str | None) -> str | None:
    return f"{published_at[:10]}T00:00:00Z" if published_at and len(published_at) >= 10 else None


def article_payload(p: Prepared, complete: bool) -> dict:
    d = p.doc
    return {"id": d.id, "title": d.title, "source": d.source,
            "outlet_key": d.source.casefold() if d.source else None, "published_at": d.published_at,
            "day": day_of(d.published_at), "url": d.url, "author": d.author, "tags": list(d.tags),
            "path": d.path, "file": d.file, "text": d.text,
            "content_hash": d.content_hash, "sentences": [list(s) for s in p.sentences],
            "entities": [[e.start, e.end, e.label] for e in p.entities], "complete": complete, "seq": p.seq, "windows": len(p.chunks),
            "vectors_crc": None if getattr(p, "vectors", None) is None else vectors_crc(p.vectors)}  # index.qdrant.verify


def chunk_payload(p: Prepared, chunk, words: Sequence[str]) -> dict:
    d = p.doc
    return {"article_id": d.id, "article_key": p.key, "outlet_key": d.source.casefold() if d.source else None,
            "day": day_of(d.published_at), "start": chunk.start, "end": chunk.end, "ordinal": chunk.ordinal,
            "sent_lo": chunk.sent_lo, "sent_hi": chunk.sent_hi, "words": list(words), "seq": p.seq}


def match(field: str, value) -> models.FieldCondition:
    return models.FieldCondition(key=field, match=models.MatchValue(value=value))


def match_any(field: str, values: Sequence) -> models.FieldCondition:
    return models.FieldCondition(key=field, match=models.MatchAny(any=list(values)))


def is_null(field: str) -> models.IsNullCondition:
    return models.IsNullCondition(is_null=models.PayloadField(key=field))


def search_filter(outlets: Sequence[str] = (), since: str | None = None, until: str | None = None,
                  no_outlet: bool = False, no_date: bool = False) -> models.Filter | None:
    """The rule of `index.embedded.sql.filter_clause` as a Qdrant filter over the chunks' payload."""
    must: list = []
    outlet: list = []
    if outlets:
        outlet.append(match_any("outlet_key", [s.casefold() for s in outlets]))
    if no_outlet:
        outlet.append(is_null("outlet_key"))
    if outlet:
        must.append(models.Filter(should=outlet))
    dated: list = []
    if since or until:
        dated.append(models.FieldCondition(key="day", range=models.DatetimeRange(
            gte=f"{since}T00:00:00Z" if since else None, lte=f"{until}T00:00:00Z" if until else None)))
    if no_date:
        dated.append(is_null("day"))
    if dated:
        must.append(models.Filter(should=dated))
    return models.Filter(must=must) if must else None


class Allowed:
    """What `filter_ids` returns on Qdrant: the filter itself, and how many windows pass it."""

    def __init__(self, flt: models.Filter, count: int):
        self.filter, self.count = flt, count

    def __len__(self) -> int:
        return self.count
