"""What the integrity tests and `python -m bench integrity` do to an index: damage it the way a
disk, a crash or a hostile environment would, and run the real `byline` command on it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def byline(*args: str, fault: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """The `byline` command in a fresh process (so a fault point can kill it)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "HF_HUB_OFFLINE": "1"}
    env.pop("BYLINE_FAULT", None)
    if fault:
        env["BYLINE_FAULT"] = fault
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def byline_here(*args: str) -> subprocess.CompletedProcess:
    """The `byline` command run in this process through typer's CliRunner, for a step whose process is not
    what the test is about (an add before or after a kill): the same exit code, stdout and stderr, without
    a fresh interpreter loading the model and spaCy again. An exception the command lets out is written to
    stderr as Python would write it, so "Traceback" checks still see it. A kill needs `byline(fault=…)`."""
    import traceback

    from typer.testing import CliRunner

    from cli.main import app

    result = CliRunner().invoke(app, list(args), env={"BYLINE_FAULT": None, "BYLINE_FAULT_ONCE": None})
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["byline", *args], result.exit_code, result.stdout, stderr)


def copy_index(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def vector_file(index_dir: Path) -> Path:
    files = sorted(index_dir.glob("vectors-*.faiss"), key=lambda f: int(f.stem.split("-")[1]))
    return files[-1]


def damage_vectors(index_dir: Path, rng: np.random.Generator, size: int = 4096) -> Path:
    """Random bytes written over part of the data of the current vector file (not its header)."""
    file = vector_file(index_dir)
    data = bytearray(file.read_bytes())
    start = int(rng.integers(64, max(65, len(data) - size)))
    data[start:start + size] = rng.bytes(min(size, len(data) - start))
    file.write_bytes(bytes(data))
    return file


def truncate_vectors(index_dir: Path) -> Path:
    file = vector_file(index_dir)
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2])
    return file


def damage_page(index_dir: Path, rng: np.random.Generator) -> int:
    """Random bytes over one page of the database that holds data (after a checkpoint, so the page
    is in the main file); returns the page number."""
    db_path = index_dir / "byline.sqlite"
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = sorted({r[0] for r in db.execute("SELECT pageno FROM dbstat") if r[0] > 1})
    db.close()
    page = int(rng.choice(pages))
    with open(db_path, "r+b") as fh:
        fh.seek((page - 1) * page_size)
        fh.write(rng.bytes(page_size))
    return page


def write_articles(folder: Path, seed_corpus: Path, count: int, seed: int = 7, prefix: str = "gen") -> list[Path]:
    """`count` distinct articles (seed articles with their words shuffled), so each needs encoding."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in sorted(seed_corpus.glob("*.txt"))]
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        words = texts[i % len(texts)].split()
        rng.shuffle(words)
        path = folder / f"{prefix}_{seed}_{i:03d}.txt"
        path.write_text(f"Generated story {i}\n\n" + " ".join(words), encoding="utf-8")
        out.append(path)
    return out


def half_present(index_dir: Path) -> int:
    """Articles missing sentences or chunks, or chunks missing their keyword row or vector."""
    db = sqlite3.connect(f"file:{index_dir / 'byline.sqlite'}?mode=ro", uri=True)
    try:
        return sum(db.execute(sql).fetchone()[0] for sql in (
            "SELECT count(*) FROM articles WHERE rowid NOT IN (SELECT article FROM chunks)",
            "SELECT count(*) FROM articles WHERE rowid NOT IN (SELECT article FROM sentence_spans)",
            "SELECT count(*) FROM chunks WHERE id NOT IN (SELECT rowid FROM chunks_fts)",
            "SELECT count(*) FROM chunks c LEFT JOIN embeddings e ON e.hash = c.hash WHERE e.hash IS NULL",
        ))
    finally:
        db.close()


WRITER = """
import os, sys, time
from pathlib import Path
from index.api import Index
index = Index.open(sys.argv[1], lock_timeout=60)
files, cycles, log = [Path(p) for p in sys.argv[3:]], int(sys.argv[2]), Path(sys.argv[1]).parent / "writer.log"
stop, i, parent = Path(sys.argv[1]).parent / "readers.done", 0, os.getppid()
# at least `cycles`, and on until the readers are done, or their test process is gone (an interrupted run)
while (i < cycles or not stop.exists()) and os.getppid() == parent:
    i += 1
    index.add_paths(files)
    index.remove([f.stem for f in files])
    with open(log, "a") as out:
        out.write(f"{i}\\n")
"""

QUESTIONS = ("How many soldiers had Russia gathered near the Ukrainian border?",
             "What did Sullivan say about Nord Stream 2?",
             "Which Canadian minister did Blinken brief on the Biden-Putin call?",
             "How long did the video call last?")


def _fresh(index_dir: Path, loaded):
    from index.api import Index
    from qa import Assistant

    index = Index.open(index_dir)
    getattr(index, "reader", index)._encoder = loaded.index.encoder
    return Assistant(index)


def concurrency_probe(index_dir: Path, extra: list[Path], cycles: int, asks: int, verifies: int) -> dict:
    """Asks (alternately by one long-lived assistant and by fresh opens, as `byline ask` does) and
    verifies (a fresh open each, as `byline index verify` does) alongside a writer process doing
    `cycles` cycles of adding all of `extra` and removing it again. Counts damage reported on this
    healthy index and citations whose quote is not the cited article's text at the cited span."""
    from index.api import Index
    from index.ingest.loading import load_paths
    from qa import Assistant

    texts = {d.id: d.text for d in load_paths(extra)[0]}
    assistant = Assistant.open(index_dir, build_default=False)
    texts.update({row.id: assistant.index.article(row.id).text for row in assistant.index.list()})
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(index_dir), str(cycles), *map(str, extra)],
                              cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, stderr=subprocess.PIPE, text=True)
    out = {"asks": 0, "verifies": 0, "false_damage": [], "wrong_citations": 0, "citations": 0,
           "new_article_cited": 0, "reads_while_writing": 0}
    log, stop = index_dir.parent / "writer.log", index_dir.parent / "readers.done"
    log.unlink(missing_ok=True)
    stop.unlink(missing_ok=True)
    while not log.exists() and writer.poll() is None:
        time.sleep(0.05)  # start reading once the writer is committing
    try:
        while out["asks"] < asks or out["verifies"] < verifies:
            out["reads_while_writing"] += writer.poll() is None
            if out["verifies"] < verifies and (out["verifies"] * asks <= out["asks"] * verifies):
                index = Index.open(index_dir)
                out["false_damage"] += index.verify()
                index.close()
                out["verifies"] += 1
                continue
            try:
                question = QUESTIONS[out["asks"] % len(QUESTIONS)]
                if out["asks"] % 2:  # as a long-lived reader (the chat app) asks
                    answer = assistant.ask(question)
                else:  # as `byline ask` does: a fresh open (the model shared, to keep the probe fast)
                    answer = _fresh(index_dir, assistant).ask(question)
            except Exception as exc:  # noqa: BLE001 - any error here is a false damage report
                out["false_damage"].append(f"ask: {exc}")
            else:
                for s in answer.sources:
                    out["citations"] += 1
                    out["wrong_citations"] += texts.get(s.article_id, "")[s.start:s.end] != s.quote
                    out["new_article_cited"] += s.article_id not in texts or s.article_id in {p.stem for p in extra}
            out["asks"] += 1
    finally:
        stop.touch()
        _, err = writer.communicate(timeout=600)
        assistant.close()
    out["cycles"] = len(log.read_text().split()) if log.exists() else 0
    out["writer_ok"] = writer.returncode == 0 or err[-500:]
    return out


def damage_bytes(index_dir: Path, rng: np.random.Generator, tables: tuple[str, ...] = ()) -> tuple[int, str]:
    """8-64 random bytes at a random place in one random page of the database (of one of `tables`,
    as dbstat names them, when given), after a checkpoint; returns (page, what dbstat calls it)."""
    db_path = index_dir / "byline.sqlite"
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = sorted({(r[0], r[1]) for r in db.execute("SELECT pageno, name FROM dbstat")
                    if r[0] > 1 and (not tables or r[1] in tables)})
    db.close()
    page, name = pages[int(rng.integers(len(pages)))]
    size = int(rng.integers(8, 65))
    offset = int(rng.integers(0, page_size - size))
    with open(db_path, "r+b") as fh:
        fh.seek((page - 1) * page_size + offset)
        fh.write(rng.bytes(size))
    return page, name


def read_every_row(index) -> None:
    """What answers read, for every article: its row and text, sentences, entities, windows with
    their vectors, and every window row (a damaged row raises the store's error)."""
    for row in index.list():
        article = index.article(row.id)
        index.sentences(article.rowid, 0, 1 << 30)
        index.entities(article.rowid, 0, 1 << 30)
        index.windows(article.rowid, 0, 1 << 30)
    index.chunks(index.store.chunk_ids().tolist())


def stored_values(index_dir: Path) -> dict:
    """Every stored value as SQLite reads it, table by table in key order (no index is used), with
    the keyword index's vocabulary; a part SQLite cannot read holds what SQLite said. Ids (rowids,
    window ids) are left out: a repaired article may come back under new ones."""
    db = sqlite3.connect(f"file:{index_dir / 'byline.sqlite'}?mode=ro", uri=True)
    key: dict = {}

    def articles():
        rows = db.execute("SELECT rowid, id, title, source, source_key, published_at, day, url, path, text, "
                          "content_hash, simhash, chars FROM articles NOT INDEXED ORDER BY rowid").fetchall()
        key.update({r[0]: r[1] for r in rows})
        return sorted(r[1:] for r in rows)

    parts = {
        "articles": articles,
        "spans": lambda: sorted((key.get(a, str(a)), s) for a, s in db.execute("SELECT article, spans FROM sentence_spans")),
        "entities": lambda: sorted((key.get(a, str(a)), e) for a, e in db.execute(
            "SELECT article, entities FROM article_entities")),
        "chunks": lambda: sorted((key.get(r[0], str(r[0])), *r[1:]) for r in db.execute(
            "SELECT article, ordinal, start, end, sent_lo, sent_hi, hash FROM chunks NOT INDEXED")),
        "vectors": lambda: sorted(db.execute("SELECT hash, vector FROM embeddings")),
        "keywords": lambda: sorted(db.execute("SELECT term, doc, cnt FROM chunks_vocab")),
    }
    out = {}
    try:
        for name, read in parts.items():
            try:
                out[name] = read()
            except sqlite3.Error as exc:
                out[name] = f"unreadable: {exc}"
    finally:
        db.close()
    return out
