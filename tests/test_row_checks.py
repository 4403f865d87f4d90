"""Every stored row is checked (issue 24): random bytes written into random pages of the database
are caught by verify, refused by what an answer reads and by the next add, and repair restores an
index equal to a clean build or names the articles to re-add; it never makes damage permanent."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from index.api import Index
from index.errors import BylineError, IndexCorruptError, IndexMismatchError
from tests.integrity_tools import (byline, byline_here, damage_bytes, read_every_row, stored_values, vector_file,
                                   write_articles)

# the pages a trial damages, in turn: text blobs, vectors, the keyword index, windows, sentences and
# entities, and any page at all
PAGES = (("articles",), ("embeddings",), ("chunks_fts_data",), ("chunks",), ("sentence_spans", "article_entities"), ())
TRIALS = 12


def _open(path: Path, encoder) -> Index:
    index = Index.open(path)
    index.reader._encoder = encoder  # the model loaded once for the whole test
    return index


def test_random_bytes_in_random_pages_are_caught_refused_and_repaired_or_named(seed_index_dir, tmp_path,
                                                                                seed_corpus, assistant):
    encoder = assistant.index.encoder
    clean = stored_values(seed_index_dir)
    new = write_articles(tmp_path / "new", seed_corpus, 1)
    rng = np.random.default_rng(2024)
    changed = 0
    for trial in range(TRIALS):
        target = tmp_path / f"t{trial}"
        shutil.copytree(seed_index_dir, target)
        damage_bytes(target, rng, PAGES[trial % len(PAGES)])
        damaged = stored_values(target)
        before = (target / "byline.sqlite").read_bytes()
        if damaged != clean:  # damage that changed a stored value: caught, refused
            changed += 1
            with pytest.raises(BylineError) as caught:  # on open, or by verify
                problems = Index.open(target).verify(full=True)
                raise IndexCorruptError("; ".join(problems)) if problems else AssertionError("verify passed")
            assert "\n" not in str(caught.value) and str(caught.value), trial
            if {k for k in clean if clean[k] != damaged[k]} != {"keywords"}:  # a row an answer reads
                with pytest.raises(IndexCorruptError, match="damaged"):  # on open, or when read
                    read_every_row(_open(target, encoder))
            with pytest.raises(IndexCorruptError, match="damaged"):
                _open(target, encoder).add_paths(new)
            assert (target / "byline.sqlite").read_bytes() == before, trial  # nothing written
        try:
            report = Index.repair_at(target)  # in place, or into a new database when SQLite cannot read it whole
        except IndexCorruptError as exc:  # not even the manifest can be read: said in one line, nothing changed
            assert "rebuild" in str(exc) and "\n" not in str(exc)
            assert (target / "byline.sqlite").read_bytes() == before
            continue
        if report.lost:  # no copy held their text: named, reported by verify until re-added
            assert Index.open(target).verify() != []
            _open(target, encoder).add_paths([x["file"] for x in report.lost])
        assert stored_values(target) == clean, trial  # as a clean build, bit for bit
        assert Index.open(target).verify(full=True) == [], trial
    assert changed >= TRIALS // 2  # most trials change a stored value (the others touch free space)


def test_repair_mends_a_damaged_stored_vector_from_the_intact_vector_file(fresh_index):
    """The reverse of the old repair: the database's copy is the damaged one."""
    db = sqlite3.connect(fresh_index / "byline.sqlite")
    (h, blob), = db.execute("SELECT hash, vector FROM embeddings ORDER BY hash LIMIT 1 OFFSET 7")
    db.execute("UPDATE embeddings SET vector = ? WHERE hash = ?", (bytes(255 - b for b in blob), h))
    db.commit()
    db.close()
    file_before = vector_file(fresh_index).read_bytes()
    verify = byline("index", "verify", "--full", "--index", str(fresh_index))
    assert verify.returncode == 1 and "1 stored vectors fail their checksums" in verify.stderr
    repaired = byline("index", "repair", "--index", str(fresh_index))
    assert repaired.returncode == 0 and "restored 1 damaged stored vectors from the intact vector file" in repaired.stdout
    assert "nothing was re-embedded" in repaired.stdout
    db = sqlite3.connect(fresh_index / "byline.sqlite")
    assert db.execute("SELECT vector FROM embeddings WHERE hash = ?", (h,)).fetchone()[0] == blob
    db.close()
    assert byline("index", "verify", "--full", "--index", str(fresh_index)).returncode == 0
    assert vector_file(fresh_index).read_bytes()[-1000:] == file_before[-1000:]  # the same vectors


def test_a_vector_damaged_in_both_copies_is_embedded_again_and_said(fresh_index, assistant):
    clean = stored_values(fresh_index)
    db = sqlite3.connect(fresh_index / "byline.sqlite")
    (h, blob), = db.execute("SELECT hash, vector FROM embeddings ORDER BY hash LIMIT 1 OFFSET 3")
    db.execute("UPDATE embeddings SET vector = ? WHERE hash = ?", (bytes(len(blob)), h))
    db.commit()
    db.close()
    file = vector_file(fresh_index)
    file.write_bytes(file.read_bytes()[:-64] + bytes(64))  # the file fails its checksum too
    index = _open(fresh_index, assistant.index.encoder)
    report = index.repair()
    assert report.reembedded >= 1 and len(report.rederived) >= 1 and report.damaged_files == [file.name]
    assert stored_values(fresh_index) == clean and Index.open(fresh_index).verify(full=True) == []


def test_ask_refuses_a_damaged_row_it_reads_in_one_line(fresh_index):
    db = sqlite3.connect(fresh_index / "byline.sqlite")
    db.execute("UPDATE chunks SET sent_hi = sent_hi + 1")  # every window row now differs from its checksum
    db.commit()
    db.close()
    ask = byline_here("ask", "How many soldiers had Russia gathered near the Ukrainian border?", "--json",
                      "--index", str(fresh_index))  # in-process: the message is what is checked
    assert ask.returncode == 1 and '"code": "index_damaged"' in ask.stdout and "byline index repair" in ask.stdout
    assert ask.stderr.count("\n") == 1


def test_the_quick_check_stamp_keys_on_the_change_time(fresh_index):
    """Bytes written and the modification time set back as it was: the stamp still sees the write."""
    import os

    from index.embedded.checked import unchanged

    db = fresh_index / "byline.sqlite"
    Index.open(fresh_index).optimize()  # a clean write stamps the file
    assert unchanged(db)
    st = db.stat()
    with open(db, "r+b") as fh:
        fh.seek(st.st_size - 100)
        fh.write(b"x" * 8)
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert not unchanged(db)


def test_a_format_4_index_gets_its_checksums_on_open(fresh_index):
    clean = stored_values(fresh_index)
    db = sqlite3.connect(fresh_index / "byline.sqlite")
    for table in ("articles", "sentence_spans", "article_entities", "chunks", "embeddings"):
        db.execute(f"ALTER TABLE {table} DROP COLUMN crc")
    db.execute("""UPDATE manifest SET value = '4' WHERE key = 'format_version'""")
    db.commit()
    db.close()
    index = Index.open(fresh_index)
    assert index.stats().format_version == 5 and index.verify(full=True) == []
    assert stored_values(fresh_index) == clean


def test_a_read_only_format_4_index_is_refused_in_one_line(tmp_path, seed_index_dir):
    import os
    import subprocess

    source = shutil.copytree(seed_index_dir, tmp_path / "src")
    db = sqlite3.connect(source / "byline.sqlite")
    db.execute("""UPDATE manifest SET value = '4' WHERE key = 'format_version'""")
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    target = tmp_path / "ro"
    if os.geteuid() != 0:
        for f in [source, *source.iterdir()]:
            f.chmod(0o555 if f.is_dir() else 0o444)
        target = source
    else:  # root ignores file modes: a read-only bind mount
        target.mkdir()
        if subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True).returncode:
            pytest.skip("cannot make a read-only folder here (root without mount)")
        subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], check=True)
    try:
        with pytest.raises(IndexMismatchError, match="writable"):
            Index.open(target)
    finally:
        if target == source:
            source.chmod(0o755)
        else:
            subprocess.run(["umount", "-l", str(target)], check=True)


@pytest.fixture()
def fresh_index(tmp_path, seed_index_dir) -> Path:
    target = tmp_path / "idx"
    shutil.copytree(seed_index_dir, target)
    return target
