"""Ingestion through Ray Data (`byline index build PATH --qdrant … --ray ADDRESS`), for corpora too big
for one machine's cores. Needs `pip install 'byline[cluster]'`.

The pipeline:
1. read and clean (`index.loading`, in the driver, streaming): each article's content hash is
   checked against the backend in batches, so unchanged articles never reach the cluster;
2. split, annotate, chunk (`index.prepare.split`): a stateless `map_batches` stage;
3. embed: `map_batches(Embed, concurrency=N)`, a callable class that loads the ONNX encoder once
   per actor and encodes whole batches of windows;
4. write (`backend.upsert`), batch by batch as results stream back to the driver. Point ids are
   content hashes (`index.prepare`), so a task Ray retries, or a whole rerun, overwrites the same
   points: no duplicates. The driver writes because Qdrant's local mode is one process's folder;
   against a Qdrant server the write could be a fourth `map_batches` stage on the workers.

Rows travel between stages as pickled `Prepared` objects (one bytes column), which keeps Arrow out of
the way of nested spans and vectors.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from index.documents import Document, LoadIssue
from index.errors import InputError
from index.prepare import embed, split
from index.reports import AddReport
from index.settings import IndexSettings

# Articles a Ray block (a task's batch). Its windows are encoded together, and the int8 encoder
# quantizes activations per batch, so vectors depend a little on how articles are batched: with whole
# blocks, a corpus of up to 16 articles is encoded exactly as `byline index build` encodes it (the
# test compares answers one by one); smaller blocks moved one seed answer of 58 (lead_correct -0.017).
DOCS_A_BLOCK = 16
ARTICLES_A_CHECK = 256  # articles whose stored hashes are read in one request


def _pack(items: Iterable) -> dict:
    return {"blob": np.array([pickle.dumps(x) for x in items], dtype=object)}


def _unpack(batch: dict) -> list:
    return [pickle.loads(b) for b in batch["blob"]]


class Split:
    """Sentences, entities (spaCy, loaded once per worker) and windows of a batch of articles."""

    def __init__(self, settings: dict):
        self.settings = IndexSettings(**settings)

    def __call__(self, batch: dict) -> dict:
        return _pack(split(_unpack(batch), self.settings))


class Embed:
    """The encoder, loaded once per actor; every window of a batch encoded together."""

    def __init__(self, model: str, backend: str, batch_size: int):
        from index.encoders import load_encoder

        self.encoder = load_encoder(model, backend)
        self.batch_size = batch_size

    def __call__(self, batch: dict) -> dict:
        prepared = _unpack(batch)
        embed(prepared, self.encoder, self.batch_size)
        return _pack(prepared)


def _changed(index, docs: Iterable[Document], report: AddReport) -> Iterable[Document]:
    """The documents that are new or changed (checked against the backend in batches)."""
    from index.qdrant_write import stored_hashes

    seen: set[str] = set()
    pending: list[Document] = []

    def check():
        stored = stored_hashes(index, [d.id for d in pending])
        for d in pending:
            if stored.get(d.id) == d.content_hash:
                report.unchanged.append(d.id)
            else:
                yield d
        pending.clear()

    for doc in docs:
        if doc.id in seen:
            report.issues.append(LoadIssue(doc.path or doc.id, f"duplicate article id {doc.id!r}; kept the first"))
            continue
        seen.add(doc.id)
        pending.append(doc)
        if len(pending) >= ARTICLES_A_CHECK:
            yield from check()
    yield from check()


def ingest(paths: Sequence[str | Path], index, *, address: str | None = None, concurrency: int | None = None,
           num_cpus: int | None = None, progress=None) -> AddReport:
    """Index `paths` into `index` (a QdrantBackend) with Ray; `address` None starts a one-node cluster
    here (or joins the one `ray.init` already started in this process)."""
    import ray

    from index.loading import iter_documents

    for p in paths:
        if not Path(p).exists():
            raise InputError(f"No such file or folder: {p}")
    report = AddReport()
    docs = list(_changed(index, iter_documents(paths, report.issues, max_bytes=index.settings.max_file_bytes), report))
    if not docs:
        return report
    if not ray.is_initialized():
        ray.init(address=address, num_cpus=num_cpus if address is None else None, include_dashboard=False,
                 log_to_driver=False, configure_logging=False)
    actors = concurrency or max(1, int(ray.cluster_resources().get("CPU", os.cpu_count() or 1)))
    s = index.settings
    held = set(index.article_ids([d.id for d in docs]))
    ray.data.DataContext.get_current().enable_progress_bars = False
    per_batch = DOCS_A_BLOCK  # not fewer for a small corpus: see DOCS_A_BLOCK
    ds = ray.data.from_items([{"blob": pickle.dumps(d)} for d in docs], override_num_blocks=-(-len(docs) // per_batch))
    ds = ds.map_batches(Split, fn_constructor_kwargs={"settings": s.to_dict()}, batch_size=per_batch,
                        concurrency=(1, actors), batch_format="numpy")
    ds = ds.map_batches(Embed, fn_constructor_kwargs={"model": s.model, "backend": s.backend, "batch_size": s.batch_size},
                        batch_size=per_batch, concurrency=actors, batch_format="numpy")
    written = 0
    for batch in ds.iter_batches(batch_size=DOCS_A_BLOCK * 4, batch_format="numpy"):
        prepared = _unpack(batch)
        index.upsert(prepared)
        for p in prepared:
            (report.updated if p.doc.id in held else report.added).append(p.doc.id)
        report.chunks_embedded += sum(len(p.chunks) for p in prepared)
        written += len(prepared)
        if progress:
            progress("storing", written, len(docs))
    done = set(report.added) | set(report.updated)
    for d in docs:
        if d.id not in done:
            report.issues.append(LoadIssue(d.path or d.id, "no words to index, skipped", "error"))
    return report
