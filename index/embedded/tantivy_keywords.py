"""Keyword search for large indexes: tantivy (Rust, segment-based BM25) beside FTS5 (issue 13).

FTS5 answers a query by walking the whole posting list of every term, so its time grows with the
index: on 1,276,288 windows (10,000 articles) the searches `qa` sends take p50 104 / p95 171 ms, and
tantivy 2.2 / 2.9 ms (`python -m bench.keyword_engines`; bench/README.md, issue 13, sixth part).
Above `IndexSettings.keyword_index_above` windows (100,000) the embedded index keeps a tantivy index
in `<index>/keywords/` and searches there.

- **Derived, never the record.** FTS5 and the rest of SQLite stay the index; this directory is built
  from them, and may be deleted at any time. Its `generation` file names the index version
  (`vectors_version`) it holds. The writer updates it after each SQLite commit, and a reader uses it
  only while its generation is the version the reader's snapshot sees: a crash between the two
  commits, a failed update or a missing directory leaves FTS5 answering until the next write
  rebuilds it from SQLite.
- **The same terms.** Each window is tokenized as FTS5 tokenizes it (`index.terms.tokenize`): the words in
  one field, every stem prefix (`russ*`, from 4 letters, as `qa.question.query` asks for them) in another, so
  that a prefix query is one term with its own window count, as in FTS5. Each term's weight turns tantivy's
  IDF into FTS5's (`index.terms.fts_weight`).
- **FTS5's ranking, to the bit.** tantivy stores a window's length in one byte (lengths over 40 are rounded)
  and normalises a prefix by the length of the prefix field, so its own order is not FTS5's: of the searches
  of 100 MultiHop questions, it returns 94% of FTS5's top 60 and 93% of its top 10. So its best
  `EXACT_DEPTH` windows are scored again with FTS5's bm25 as SQLite computes it (`index.terms.Bm25`, the
  row counts from `hits`, the table's sizes from FTS5's own record): the same windows and scores as FTS5
  for 159 of those 163 searches, the same top 10 for all, and MultiHop dev's 569 answers unchanged.
- **Word counts for `qa`** (`doc_freq`, `vocabulary`) come from tantivy's term dictionary too: FTS5's
  vocabulary table walks every posting list of the words it counts (93 ms for the words starting
  with "s" at 10,000 articles, 3.8 ms here). A prefix's count adds up its words' counts, as FTS5's
  vocabulary and the Qdrant backend count it: `qa` weighs and drops words alike on every engine.
- **Filters** (outlet, date range, unstated outlet or date) are fields of each window, matching
  `index.embedded.sql.filter_clause` exactly.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from index.faults import fault_point
from index.embedded.packing import unpack_text
from index.embedded.sql import ARTICLE_KEYS, WINDOW_SPANS
from index.terms import PREFIX_MIN, Phrase, digit_pairs, fts_weight, parse_match, prefix_terms, tokenize

DIR_NAME = "keywords"
BUILDING = "keywords.building"
_GENERATION = "generation"
PREFIX_WORDS = 1_000_000  # words of one prefix counted for `doc_freq` (the MultiHop index has 2,446 starting with "a")
_HEAP = 200_000_000  # bytes of tantivy's in-memory segment before it writes one out
# A write of this many windows waits for the merges its commit starts. Not waiting, a 30,000-article
# build in batches left 76 segments and 3.8 GB of files for 564 MB of live ones (merges cut short
# when the writer closed); a one-article add does not wait (a merge of large segments takes seconds).
MERGE_AFTER = 10_000


def _tantivy():
    import tantivy  # imported when an index is large enough to use it

    return tantivy


def _schema():
    t = _tantivy()
    sb = t.SchemaBuilder()
    sb.add_unsigned_field("id", indexed=True, fast=True)
    sb.add_text_field("words", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("stems", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("outlet", tokenizer_name="raw", index_option="basic")  # articles.source_key, "" when none
    sb.add_integer_field("day", indexed=True, fast=True)  # YYYYMMDD, 0 when undated
    return sb.build()


def _day(day: str | None) -> int:
    return int(day.replace("-", "")) if day else 0


def _document(chunk_id: int, text: str, outlet: str | None, day: str | None):
    t = _tantivy()
    tokens = tokenize(text)
    doc = t.Document()
    doc.add_unsigned("id", chunk_id)
    # a digit pair ("100 000") is one term: FTS5 matches it as a phrase; "_" never is a token character
    doc.add_text("words", " ".join(tokens + [p.replace(" ", "_") for p in digit_pairs(tokens)]))
    doc.add_text("stems", " ".join(prefix_terms(tokens)))
    doc.add_text("outlet", outlet or "")
    doc.add_integer("day", _day(day))
    return doc


Row = tuple[int, str, str | None, str | None]  # chunk id, window text, outlet key, day


def window_texts(store, ids: Sequence[int] | None = None) -> Iterator[Row]:
    """The rows of every chunk of the index, or of `ids`, article by article, streamed (one
    article's text in memory at a time)."""
    batches = [None] if ids is None else [list(ids)[i:i + 500] for i in range(0, len(ids), 500)]
    for batch in batches:
        where = "" if batch is None else f"WHERE id IN ({','.join('?' * len(batch))})"
        last, text, key, day = None, "", None, None
        for cid, article, start, end in store.db.execute(WINDOW_SPANS.format(where=where), batch or []):
            if article != last:
                last = article
                blob, key, day = store.db.execute(ARTICLE_KEYS, (article,)).fetchone()
                text = unpack_text(blob)
            yield cid, text[start:end], key, day


def generation(path: Path) -> int | None:
    """The index version the keyword directory of the index at `path` holds, or None."""
    try:
        return int((path / DIR_NAME / _GENERATION).read_text())
    except (OSError, ValueError):
        return None


_SEGMENT_FILE = re.compile(r"^([0-9a-f]{32})\.")


def _sweep(directory: Path) -> None:
    """Delete the segment files `meta.json` does not list: those of merges cut short when an earlier
    writer closed, which tantivy's own clean-up does not know (3.2 GB beside 564 MB of live files
    after a 30,000-article build in batches). We hold the index's write lock."""
    try:
        meta = json.loads((directory / "meta.json").read_text())
        live = {s["segment_id"].replace("-", "") for s in meta["segments"]}
    except (OSError, ValueError, KeyError):
        return
    for f in directory.iterdir():
        m = _SEGMENT_FILE.match(f.name)
        if m and m.group(1) not in live:
            f.unlink(missing_ok=True)


def _set_generation(directory: Path, version: int) -> None:
    tmp = directory / (_GENERATION + ".tmp")
    tmp.write_text(str(version))
    tmp.replace(directory / _GENERATION)


def discard(path: Path) -> None:
    """Remove the keyword directory (searches fall back to FTS5)."""
    shutil.rmtree(path / DIR_NAME, ignore_errors=True)
    shutil.rmtree(path / BUILDING, ignore_errors=True)


def build(path: Path, rows: Iterable[Row], version: int) -> int:
    """Write every window into a new directory beside the live one, then swap it in; returns the count."""
    t = _tantivy()
    staging = path / BUILDING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    index = t.Index(_schema(), path=str(staging))
    writer = index.writer(heap_size=_HEAP, num_threads=1)
    n = 0
    for row in rows:
        writer.add_document(_document(*row))
        n += 1
    writer.commit()
    writer.wait_merging_threads()
    _set_generation(staging, version)
    shutil.rmtree(path / DIR_NAME, ignore_errors=True)  # a crash here leaves none: FTS5 answers
    staging.rename(path / DIR_NAME)
    return n


def update(path: Path, removed: Sequence[int], rows: Iterable[Row], before: int, version: int,
           merge: bool = False) -> bool:
    """Apply one commit's change to a directory that holds `before`; False (nothing done) when it
    holds another version, so that the caller rebuilds it. A large change (a build's batch) or
    `merge` (optimize) waits for tantivy's merges; a small add leaves them to a later write."""
    if generation(path) != before:
        return False
    t = _tantivy()
    directory = path / DIR_NAME
    _set_generation(directory, -1)  # being changed: no reader may trust it until the new generation
    _sweep(directory)
    index = t.Index.open(str(directory))
    writer = index.writer(heap_size=_HEAP, num_threads=1)
    if removed:
        schema = index.schema
        writer.delete_documents_by_query(t.Query.term_set_query(schema, "id", [int(i) for i in removed]))
    added = 0
    for row in rows:
        writer.add_document(_document(*row))
        added += 1
    fault_point("keywords_before_commit")
    writer.commit()
    writer.garbage_collect_files()  # files of merges an earlier write left unfinished
    if merge or added >= MERGE_AFTER:
        writer.wait_merging_threads()
    _set_generation(directory, version)
    return True


def sync(path: Path, store, above: int, before: int, version: int, removed: Sequence[int],
         added: Sequence[int], total: int, merge: bool = False) -> None:
    """After the SQLite commit of `version` (from `before`): bring the keyword directory to it, or
    build it when the index has grown past `above` windows. A failure leaves FTS5 answering."""
    if total <= above and not (path / DIR_NAME).exists():
        return
    try:
        if not update(path, removed, window_texts(store, added), before, version, merge):
            build(path, window_texts(store), version)
    except (OSError, ValueError, sqlite3.Error):  # disk full, a damaged directory: searched by FTS5 until the next write
        discard(path)


class KeywordSearcher:
    """Searches one keyword directory; `current(version)` says whether it holds that index version."""

    def __init__(self, path: Path):
        self.path = path
        self._index = None
        self._searcher = None
        self._generation: int | None = None

    def current(self, version: int) -> bool:
        if self._generation != version:
            self._generation = generation(self.path)
            if self._generation != version:
                return False
            try:
                if self._index is None:
                    self._index = _tantivy().Index.open(str(self.path / DIR_NAME))
                else:
                    self._index.reload()
                self._searcher = self._index.searcher()
            except (OSError, ValueError):  # unreadable: FTS5 answers, the next write rebuilds it
                self._index = self._searcher = self._generation = None
                return False
            if generation(self.path) != version:  # changed while it was opened
                self._generation = None
                return False
        return True

    def problem(self, version: int, windows: int) -> str | None:
        """`verify`'s look at the keyword directory in use (`current(version)`): it opened (tantivy
        reads each segment's footer) and holds one document a window; None when not in use or whole."""
        if not self.current(version):
            return None
        held = self._searcher.num_docs
        return None if held == windows else (f"the tantivy keyword index holds {held} windows for {windows}; "
                                             "the next write rebuilds it")

    def doc_freq(self, term: str, prefix: bool) -> int:
        """Windows holding the word, or (`prefix`) the windows of each word starting with it added up,
        as FTS5's vocabulary counts them (`Store.doc_freq`): `qa` weighs and drops words by these counts,
        and reads them alike from either engine."""
        if prefix:
            return sum(n for w, n in self._searcher.terms_with_prefix("words", term, limit=PREFIX_WORDS)
                       if "_" not in w)
        return self._searcher.doc_freq("words", term)

    def hits(self, phrase: Phrase) -> int | None:
        """The live windows holding an instance of the phrase (FTS5's n in bm25's IDF), or None where this
        directory has no term for it (a prefix under PREFIX_MIN letters, a phrase of words that are not numbers)."""
        t = _tantivy()
        tokens = phrase.tokens
        if len(tokens) == 1 and phrase.prefix:
            if len(tokens[0]) < PREFIX_MIN:
                return None
            field, term = "stems", tokens[0] + "*"
        elif len(tokens) == 1:
            field, term = "words", tokens[0]
        elif not phrase.prefix and len(tokens) == 2 and digit_pairs(list(tokens)):
            field, term = "words", "_".join(tokens)
        else:
            return None
        if not self._searcher.doc_freq(field, term):
            return 0
        query = t.Query.term_query(self._index.schema, field, term, index_option="basic")
        return self._searcher.search(query, 1, count=True).count  # deleted windows left out, as FTS5 leaves them

    def vocabulary(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """Indexed words starting with `prefix` and their window counts, the most common first."""
        return [(w, n) for w, n in self._searcher.terms_with_prefix("words", prefix, limit=limit) if "_" not in w]

    def search(self, match: str, k: int, outlets: Sequence[str] = (), since: str | None = None,
               until: str | None = None, no_outlet: bool = False, no_date: bool = False) -> list[tuple[int, float]]:
        t = _tantivy()
        searcher, schema = self._searcher, self._index.schema
        query = parse_match(match)
        total = searcher.num_docs
        parts = []
        fields = (("words", [w.replace(" ", "_") for w in query.words]), ("stems", [p + "*" for p in query.prefixes]))
        for field, terms in fields:
            for term, repeats in Counter(terms).items():  # FTS5's bm25 adds a repeated phrase each time
                hits = searcher.doc_freq(field, term)
                if hits:
                    q = t.Query.term_query(schema, field, term, index_option="freq")
                    parts.append((t.Occur.Should, t.Query.boost_query(q, repeats * fts_weight(total, hits))))
        if not parts:
            return []
        q = t.Query.boolean_query(parts)
        where = _filter(schema, outlets, since, until, no_outlet, no_date)
        if where is not None:
            q = t.Query.boolean_query([(t.Occur.Must, q), (t.Occur.Must, t.Query.const_score_query(where, 0.0))])
        hits = searcher.search(q, k, count=False).hits
        ids = searcher.fast_field_values("id", [address for _, address in hits])
        return [(int(i), float(score)) for (score, _), i in zip(hits, ids)]


def _filter(schema, outlets, since, until, no_outlet, no_date):
    """`index.embedded.sql.filter_clause` as a tantivy query, or None when there is no filter."""
    t = _tantivy()
    Q, should, must = t.Query, t.Occur.Should, t.Occur.Must
    clauses = []
    outlet = ([Q.term_set_query(schema, "outlet", [s.casefold() for s in outlets])] if outlets else []) + (
        [Q.term_query(schema, "outlet", "")] if no_outlet else [])
    if outlet:
        clauses.append(Q.boolean_query([(should, q) for q in outlet]))
    day = []
    if since or until:
        day.append(Q.range_query(schema, "day", t.FieldType.Integer, _day(since) if since else 1,
                                 _day(until) if until else None))
    if no_date:
        day.append(Q.range_query(schema, "day", t.FieldType.Integer, 0, 0))
    if day:
        clauses.append(Q.boolean_query([(should, q) for q in day]))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else Q.boolean_query([(must, q) for q in clauses])
