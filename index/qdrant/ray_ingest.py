"""Ingestion through Ray Data (`byline index build PATH --qdrant … --ray ADDRESS`), for corpora too big
for one machine's cores. Needs `pip install 'byline[cluster]'`.

The pipeline:
1. read and clean (`index.ingest.loading`, in the driver, streaming): each article's content hash is
   checked against the backend in batches, so unchanged articles never reach the cluster;
2. split, annotate, chunk (`index.qdrant.points.split`): a stateless `map_batches` stage;
3. embed: `map_batches(Embed, compute=ActorPoolStrategy(size=N))` (Ray 2.51+ spelling of
   `concurrency=N`), a callable class that loads the ONNX encoder once per actor and encodes each
   article's windows on their own, so an article has the same vectors whichever actor, block or
   build (embedded or Ray) encodes it;
4. write (`backend.upsert`), batch by batch as results stream back to the driver. Point ids are
   content hashes (`index.qdrant.points`), so a task Ray retries, or a whole rerun, overwrites the same
   points: no duplicates. The driver writes because Qdrant's local mode is one process's folder;
   against a Qdrant server the write could be a fourth `map_batches` stage on the workers.

Rows travel between stages as pickled `Prepared` objects (one bytes column), which keeps Arrow out of
the way of nested spans and vectors.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from index.qdrant.dependency_logs import logs_to_file
from index.faults import fault_point, forwarded
from index.qdrant.points import embed, split
from index.reports import AddReport
from index.settings import IndexSettings

# Articles a Ray block (a task's batch). The vectors do not depend on it: each article's windows are
# encoded in their own batches (`index.embedding.encoders.encode_articles`), as `byline index build` encodes them.
DOCS_A_BLOCK = 16
ARTICLES_A_CHECK = 256  # articles whose stored hashes are read in one request


def _retried() -> dict:
    """Ray Data restarts a killed actor and runs its batch again (its actor pools retry by default;
    writes are idempotent, so nothing is written twice); crash tests' fault settings go along."""
    env = forwarded()
    return {"runtime_env": {"env_vars": env}} if env else {}


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
    """The encoder, loaded once per actor; each article's windows encoded on their own."""

    def __init__(self, model: str, backend: str, batch_size: int):
        from index.embedding.encoders import load_encoder

        self.encoder = load_encoder(model, backend)
        self.batch_size = batch_size

    def __call__(self, batch: dict) -> dict:
        fault_point("ray_embed")  # crash tests: a worker killed mid-build; Ray restarts it and retries
        prepared = _unpack(batch)
        embed(prepared, self.encoder, self.batch_size)
        return _pack(prepared)


def ingest(paths: Sequence[str | Path], index, *, address: str | None = None, concurrency: int | None = None,
           num_cpus: int | None = None, progress=None, follow_symlinks: bool = False) -> AddReport:
    """Index `paths` into `index` (a QdrantBackend) with Ray; `address` None starts a one-node cluster
    here (or joins the one `ray.init` already started in this process)."""
    import ray

    from index.ingest.loading import iter_documents
    from index.qdrant.write import changed_batches, measure_average

    report = AddReport()
    loaded = iter_documents(paths, report.issues, max_bytes=index.settings.max_file_bytes,  # refuses a missing path
                            follow_symlinks=follow_symlinks)
    docs = [d for batch in changed_batches(index, loaded, report, ARTICLES_A_CHECK) for d in batch]
    if not docs:
        return report
    measure_average(index, docs)  # bm25's average window length, from the whole input (up to 1,000 articles)
    import ray.data  # noqa: F401 - sets up its loggers now, so that logs_to_file can reroute them

    with logs_to_file("ray", ("ray", "ray.data")) as log:  # Ray's own lines: a file the CLI names in one line
        started = not ray.is_initialized()
        if started:
            ray.init(address=address, num_cpus=num_cpus if address is None else None, include_dashboard=False,
                     log_to_driver=False, logging_level=logging.INFO)
        try:
            _run(ray, index, docs, report, concurrency, progress)
        finally:
            if started:
                ray.shutdown()
    report.dependency_log = str(log[0]) if log else None
    return report


def _run(ray, index, docs: list, report: AddReport, concurrency: int | None, progress) -> None:
    """Split, annotate and embed `docs` on Ray actors; write each batch into `index` as it comes back."""
    from index.qdrant.write import note_empty, note_written, reserve

    actors = concurrency or max(1, int(ray.cluster_resources().get("CPU", os.cpu_count() or 1)))
    s = index.settings
    held = set(index.article_ids([d.id for d in docs]))
    first = reserve(index, len(docs))  # places in the write order, in input order (Ray returns batches in any)
    seq = {d.id: first + n for n, d in enumerate(docs)}
    ray.data.DataContext.get_current().enable_progress_bars = False
    per_batch = DOCS_A_BLOCK
    ds = ray.data.from_items([{"blob": pickle.dumps(d)} for d in docs], override_num_blocks=-(-len(docs) // per_batch))
    ds = ds.map_batches(Split, fn_constructor_kwargs={"settings": s.to_dict()}, batch_size=per_batch,
                        compute=ray.data.ActorPoolStrategy(min_size=1, max_size=actors), batch_format="numpy")
    ds = ds.map_batches(Embed, fn_constructor_kwargs={"model": s.model, "backend": s.backend, "batch_size": s.batch_size},
                        batch_size=per_batch, compute=ray.data.ActorPoolStrategy(size=actors), batch_format="numpy",
                        **_retried())
    for batch in ds.iter_batches(batch_size=DOCS_A_BLOCK * 4, batch_format="numpy"):
        prepared = _unpack(batch)
        for p in prepared:
            p.seq = seq[p.doc.id]
        index.upsert(prepared)
        note_written(report, prepared, held)
        if progress:
            progress("storing", len(report.added) + len(report.updated), len(docs))
    note_empty(report, docs)
