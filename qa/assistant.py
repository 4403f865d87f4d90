"""The one API that the TUI, the CLI and the eval suite call."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from index import backend
from index.api import Index, default_corpus_paths
from index.config import index_location
from index.embedding.encoders import prepare_model
from index.errors import IndexMissingError
from index.settings import IndexSettings, default_index_dir
from qa.answer.compose import Composer
from qa.answer.constraints import unindexed_outlets
from qa.answer.verdict import form as verdict_form
from qa.answer.verdict.answer import Verdicts
from qa.archive.naming import article_name
from qa.archive.overview import ArticleEntry, Overview, OverviewSettings, example_questions
from qa.conversation.turns import Conversation
from qa.lexicon.titles import role_aliases
from qa.question.casing import recase, typed_in_lower_case
from qa.question.followup import carried_terms, resolve, unsure_ground, who_said_so
from qa.question.query import analyse, content_terms, fts_query
from qa.question.spelling import correct
from qa.retrieval import titled
from qa.retrieval.filters import check_filters
from qa.retrieval.search import Retriever
from qa.settings import QASettings
from qa.types import Answer, Article, Filters, Hit, IndexInfo

# progress(stage, done, total): stage is e.g. "loading the model and the index", "embedding", "storing"
Progress = Callable[[str, int, int], None]


LOADING = "loading the model and the index"


def named_stage(progress: Progress | None, label: str) -> Progress | None:
    """`progress` with each of a stage's steps named under `label` ("indexing …: embedding")."""
    if progress is None:
        return None
    return lambda stage, done, total: progress(f"{label}: {stage}", done, total)


def build_index(paths: list[str | Path], index_dir: str | Path, *, settings: IndexSettings | None = None,
                progress: Progress | None = None, skip_near_duplicates: bool = False):
    """Add (or update) the articles under `paths` in the index at `index_dir`, creating it if needed.
    Unchanged articles are skipped by content hash. Returns the index's AddReport."""
    index = backend.create_index(index_dir, settings)
    try:
        return index.add_paths(paths, progress=progress, skip_near_duplicates=skip_near_duplicates)
    finally:
        index.close()


def _not_said_before(cands: list, conversation: Conversation | None) -> list:
    """A follow-up does not repeat the previous answer's sentences (while other candidates are left)."""
    last = conversation.turns[-1] if conversation and conversation.turns else None
    if last is None or last.answer is None or not cands:
        return cands
    said = {(s.article_id, s.start) for s in last.answer.sources}
    # a sentence said before may come back only to give the phrase a new question asks for
    fresh = [c for c in cands if (c.article_id, c.start) not in said or c.phrase is not None]
    return fresh or cands


RECASE_WINDOWS = 30  # keyword hits whose articles show how a question typed in lower case writes its names
MAX_TITLES_TRIED = 2  # titles of the person a whereabouts question is asked again with (each a search)


class Assistant:
    def __init__(self, index: Index, settings: QASettings | None = None):
        self.index = index
        self.settings = settings or QASettings()
        self.retriever = Retriever(index, self.settings)
        self.composer = Composer(index, self.settings, self.retriever.doc_freq)
        self._outlets: list[str] | None = None
        self.verdicts = Verdicts(self.retriever, self.composer, self.settings, self.outlets)

    @classmethod
    def open(cls, index_dir: str | Path | None = None, *, model: str | None = None,
             progress: Progress | None = None, build_default: bool | None = None,
             settings: QASettings | None = None, index_settings: IndexSettings | None = None) -> "Assistant":
        """Open the index at `index_dir`: a folder, or `qdrant+URL` / `qdrant+PATH` (default:
        $BYLINE_INDEX, the config file's `index`, or the user's data dir; see `index.config`).

        The bundled seed corpus is indexed first only where there is nothing yet (a missing or empty
        folder) and only in the default location, unless `build_default` says otherwise (True: also
        elsewhere; False: never). A folder holding other files is never built into.
        Raises a BylineError subclass with one clear line when the index is missing, corrupt or
        made with another model.
        """
        location = index_location(index_dir)
        if backend.is_qdrant(location):  # never built into implicitly: `byline index build` does that
            index = backend.open_index(location, model=model)
        else:
            default = default_index_dir()
            path = Path(index_dir).expanduser() if index_dir else location
            if build_default is None:
                build_default = path.resolve() == default.expanduser().resolve()
            if not Index.exists(path):
                empty = not path.exists() or (path.is_dir() and not any(path.iterdir()))
                if not (build_default and empty):
                    why = "" if empty else " (the folder holds other files, so nothing was built there)"
                    raise IndexMissingError(f"No index at {path}{why}; build one with: "
                                            f"byline index build PATH --index {path}")
                bundled = default_corpus_paths()
                wanted = index_settings or IndexSettings()
                prepare_model(wanted.model, wanted.backend, progress)
                build_index(bundled, path, settings=index_settings,
                            progress=named_stage(progress, f"indexing the {len(bundled)} bundled articles"))
            index = Index.open(path, model=model)
        prepare_model(index.settings.model, index.settings.backend, progress)
        if progress:
            progress(LOADING, 0, 1)
        index.encoder  # noqa: B018 - load now, not on the first question
        index.vectors  # noqa: B018
        if progress:
            progress(LOADING, 1, 1)
        return cls(index, settings)

    def _forget(self) -> None:
        """Drop everything derived from the index (a writer committed a new version)."""
        self.retriever = Retriever(self.index, self.settings)
        self.composer = Composer(self.index, self.settings, self.retriever.doc_freq)
        self._outlets = None
        self.verdicts = Verdicts(self.retriever, self.composer, self.settings, self.outlets)

    # ------------------------------------------------------------------ asking
    def outlets(self) -> list[str]:
        if self._outlets is None:
            self._outlets = [name for name, _ in self.index.outlets()]
        return self._outlets

    def _prepare(self, question: str, conversation: Conversation | None):
        query = analyse(question, self.outlets(), self.settings.max_question_chars)
        spelled, fixes = correct(query.text, self.retriever.doc_freq, self.retriever.vocabulary)
        resolved, context = resolve(spelled, conversation, self._earlier_articles(conversation))
        rewritten = resolved != query.text
        if rewritten:
            notes = query.notes + [f"“{wrong}” read as “{right}”." for wrong, right in fixes]
            unsure = unsure_ground(spelled, resolved, conversation)
            if unsure:
                notes.append(unsure)
            query = analyse(resolved, self.outlets(), self.settings.max_question_chars)
            query.notes = notes
        if typed_in_lower_case(query.text):  # "who leads the russian side in geneva": written as the articles write it
            recased = recase(query.text, [a.text for a in self.retriever.keyword_articles(query, RECASE_WINDOWS)])
            if recased != query.text:
                notes, query = query.notes, analyse(recased, self.outlets(), self.settings.max_question_chars)
                query.notes = notes
        carried = carried_terms(query.text, conversation)
        if carried:  # "When do they start?" after "Where are the talks in January held?": talks, January
            query.terms = query.terms + [t for t in content_terms(carried) if t not in query.terms]
            query.match = fts_query(query.terms)
        return query, resolved if rewritten else None, context

    def _earlier_articles(self, conversation: Conversation | None, most: int = 3) -> list[str]:
        """The texts of the articles the last answer cited (genders for pronouns are read from them)."""
        last = conversation.turns[-1] if conversation and conversation.turns else None
        if last is None or last.answer is None:
            return []
        ids = list(dict.fromkeys(s.article_id for s in last.answer.sources))[:most]
        return [row.text for row in (self.index.article(i) for i in ids) if row is not None]

    def retrieve(self, question: str, *, filters: Filters | None = None, k: int = 10,
                 conversation: Conversation | None = None) -> list[Hit]:
        with self.index.snapshot() as changed:
            if changed:
                self._forget()
            filters = check_filters(filters, self.outlets())
            query, _, context = self._prepare(question, conversation)
            return self.retriever.search(query, filters, k, context).hits[:k]

    def ask(self, question: str, conversation: Conversation | None = None,
            filters: Filters | None = None, k: int | None = None) -> Answer:
        """Answer with a citation on every sentence, or abstain. Raises QuestionError on bad input.

        The whole question reads one committed version of the index; when another process has
        committed since the last question, the new version (and its articles) is used."""
        with self.index.snapshot() as changed:
            if changed:
                self._forget()
            return self._ask(question, conversation, filters, k)

    def _ask(self, question: str, conversation: Conversation | None, filters: Filters | None,
             k: int | None) -> Answer:
        t0 = time.perf_counter()
        filters = check_filters(filters, self.outlets())
        said = who_said_so(question, conversation)
        if said is not None:  # "Who said so?": the previous answer's attribution, nothing retrieved anew
            said.timings = {"total": round((time.perf_counter() - t0) * 1000, 3)}
            return said
        query, resolved, context = self._prepare(question, conversation)
        unindexed = unindexed_outlets(query.text, self.outlets())
        form = verdict_form.read(query.text, self.outlets()) if not unindexed else None
        if form is not None:  # yes, no, and when: a verdict claim by claim
            answer = self.verdicts.answer(question, query, form, filters)
            return self._finish(answer, question, query, resolved, filters, t0)
        k = k or 10
        ranked = self.retriever.search(query, filters, max(k, self.settings.rerank_depth), context)
        query, ranked = self._of_titled_article(query, ranked, filters, context)
        t1 = time.perf_counter()
        filtered = filters is not None and filters.active
        if ranked.filtered_out_everything:
            answer = self.composer.abstain(query.text, query, [], [], reason=(
                f"No indexed article matches the filters ({filters.describe()})."))
        elif unindexed:  # "a report by Bloomberg": what it says cannot be checked against these articles
            cands = self.composer.candidates(query, ranked.hits, ranked.query_vector, rows=ranked.rows)
            answer = self.composer.abstain(query.text, query, ranked.hits[:k], cands, reason=(
                f"The question cites {' and '.join(unindexed)}, but no article of "
                f"{'theirs' if len(unindexed) > 1 else 'it'} is in the index."))
        else:
            cands = self.composer.candidates(query, ranked.hits, ranked.query_vector, rows=ranked.rows)
            fresh = _not_said_before(cands, conversation)
            answer = self.composer.build(query.text, query, ranked.hits[:k], fresh, filtered=filtered)
            if answer.abstained and query.asked.located:  # "Where was Putin …?", said of "the Russian president"
                answer = self._where_by_title(query, cands, filters, context, k) or answer
            if answer.abstained and len(fresh) < len(cands):  # only what was said before answers it: say it again
                answer = self.composer.build(query.text, query, ranked.hits[:k], cands, filtered=filtered)
                if not answer.abstained:
                    answer.notes.append("The articles say no more about this than the previous answer.")
        if answer.abstained and filtered and not ranked.filtered_out_everything:
            self._what_filters_hide(answer, question, conversation, filters, k)
        t2 = time.perf_counter()
        answer.timings = {**{k_: round(v, 3) for k_, v in ranked.timings.items()},
                          "compose": round((t2 - t1) * 1000, 3)}
        return self._finish(answer, question, query, resolved, filters, t0)

    def _where_by_title(self, query, cands, filters: Filters | None, context: str | None, k: int) -> Answer | None:
        """"Where was Putin during the call?" where the articles say it of "the Russian president" alone: asked
        again with each title the retrieved articles give the person ("Russian President Putin"), the first
        answer, with a note naming the title read as the person; None when no title answers either."""
        who = query.asked.located
        texts = tuple({c.article_rowid: c.article.text for c in cands}.values())
        ids = {c.article_id for c in cands}
        for alias in sorted(role_aliases(who, texts))[:MAX_TITLES_TRIED]:
            title = " ".join(w.capitalize() for w in alias.split())
            retitled = query.text.replace(who, f"the {title}", 1)  # "Where was the Russian President …?"
            again = analyse(retitled, self.outlets(), self.settings.max_question_chars)
            if again.asked.located is None:
                continue
            answer = self._asked_again(query, again, filters, context, k)
            if answer is None:  # the question's other words can outweigh the title's sentence ("… during the
                # video call with Biden"): the title alone, asked of the articles already found for the question
                alone = analyse(f"Where was the {title}?", self.outlets(), self.settings.max_question_chars)
                answer = self._asked_again(query, alone, filters, context, k, within=ids)
            if answer is not None:
                answer.notes.append(f"Read “the {alias}” as {who}: the articles give {who} that title.")
                return answer
        return None

    def _asked_again(self, query, again, filters: Filters | None, context: str | None, k: int,
                     within: set[str] | None = None) -> Answer | None:
        """`query` answered as `again` reads it, from `within` these articles if given; None when it abstains."""
        ranked = self.retriever.search(again, filters, max(k, self.settings.rerank_depth), context)
        hits = ranked.hits if within is None else [h for h in ranked.hits if h.article_id in within]
        found = self.composer.candidates(again, hits, ranked.query_vector, rows=ranked.rows)
        answer = self.composer.build(query.text, again, hits[:k], found,
                                     filtered=filters is not None and filters.active)
        return None if answer.abstained else answer

    def _what_filters_hide(self, answer: Answer, question: str, conversation: Conversation | None,
                           filters: Filters, k: int) -> None:
        """A refusal under filters says whether they hide the answer: asked again without them, does any
        article answer? Then the refusal names the filters and how many other articles answer."""
        wider = self._ask(question, conversation, None, k)
        if wider.abstained:
            return
        n = len({s.article_id for s in wider.sources})
        answer.text = "The articles the filters keep don't say. " + answer.text.split(". ", 1)[-1]
        answer.reason = (f"None of the articles the filters keep ({filters.describe()}) answers this; "
                         f"{n} other article{'s' if n != 1 else ''} {'do' if n != 1 else 'does'}: "
                         f"ask again without the filters.")

    def _finish(self, answer: Answer, question: str, query, resolved: str | None, filters: Filters | None,
                t0: float) -> Answer:
        answer.question = question if len(question) <= self.settings.max_question_chars else query.text
        answer.resolved_question = resolved
        answer.filters = filters if filters is not None and filters.active else None
        answer.timings["total"] = round((time.perf_counter() - t0) * 1000, 3)
        return answer

    def _of_titled_article(self, query, ranked, filters: Filters | None, context: str | None):
        """A question quoting an article's title is asked of that article, without the title's words."""
        named = titled.find(query.text, ranked.hits, self._title)
        if named is None:
            return query, ranked
        rest = analyse(named.rest, self.outlets(), self.settings.max_question_chars)
        wide = self.retriever.search(rest, filters, self.settings.k_dense + self.settings.k_keyword, context)
        hits = [h for h in wide.hits if h.article_id == named.article_id]
        if not hits:
            return query, ranked
        rest.notes = query.notes + [f"Asked of the article “{named.title}”."]
        timings = {k: ranked.timings.get(k, 0.0) + v for k, v in wide.timings.items()}
        return rest, replace(wide, hits=hits, timings=timings)

    def _title(self, article_id: str) -> str | None:
        row = self.index.article(article_id)
        return row.title if row is not None else None

    def passage(self, hit: Hit, max_tokens: int = 256) -> str:
        """The text around a hit, widened evenly to at most `max_tokens` model tokens."""
        text = self.index.article(hit.article_id).text
        enc = self.index.encoder
        window = enc.count_tokens(text[hit.start:hit.end])
        if window >= max_tokens:
            return text[hit.start:hit.end]
        spare = max_tokens - window
        before = enc.token_offsets(text[:hit.start])[-(spare // 2):] if spare // 2 else []
        start = before[0][0] if before else hit.start
        taken = len(before)
        after = enc.token_offsets(text[hit.end:])[: spare - taken]
        end = hit.end + after[-1][1] if after else hit.end
        return text[start:end]

    # ------------------------------------------------------------------ reading
    def article(self, article_id: str) -> Article:
        with self.index.snapshot():
            row = self.index.article(article_id)
        if row is None:
            raise IndexMissingError(f"No article {article_id!r} in the index")
        return Article(row.id, row.title, row.source, row.published_at, row.url, row.path, row.text,
                       row.author, row.tags)

    def info(self) -> IndexInfo:
        return replace(self.index.stats(), outlets=tuple(self.outlets()))

    def overview(self, settings: OverviewSettings | None = None) -> Overview:
        """What the index holds: every article's title (or first words), outlet and day, and example
        questions made from its frequent names and headlines, only those the index answers with a
        short answer (each is asked). Read
        from one committed version of the index, as a question is."""
        with self.index.snapshot() as changed:
            if changed:
                self._forget()
            return self._overview(settings or OverviewSettings())

    def _overview(self, s: OverviewSettings) -> Overview:
        rows = self.index.list()  # (id, title, source, published_at, path), oldest first
        entries, texts, titles, people = [], [], [], []
        newest = {r[0] for r in rows[-s.sample_articles:]}
        for article_id, title, outlet, published_at, _ in rows:
            text = None
            if article_id in newest or not (title or "").strip():
                row = self.index.article(article_id)
                text = row.text if row is not None else ""
            if article_id in newest:
                texts.append(text[: s.sample_chars])
                if row is not None:  # the people spaCy found at index time, once an article
                    people.append({text[b:e] for b, e, label in self.index.entities(row.rowid, 0, s.sample_chars)
                                   if label == "PERSON"})
            titled = bool((title or "").strip())
            entries.append(ArticleEntry(article_id, article_name(title, text),
                                        titled, outlet or None, (published_at or "")[:10] or None))
            if titled:
                titles.append(title)
        candidates = example_questions(list(reversed(titles)), texts, limit=s.example_candidates,
                                       max_chars=s.max_example_chars, people=people)
        examples = []
        for question in candidates:  # only questions the index answers with a short answer
            if len(examples) == s.examples:
                break
            answer = self.ask(question)
            short = answer.short_answer.text.strip() if answer.short_answer is not None else ""
            if not answer.abstained and short and short.casefold() not in question.casefold():
                examples.append(question)
        return Overview(tuple(entries), tuple(examples))

    def settings_dict(self) -> dict:
        st = self.index.stats()
        return {"index": {"model": st.model, "backend": st.backend, "dimension": st.dimension,
                          "vector_index": st.vector_index, **st.chunking},
                "qa": self.settings.to_dict()}

    def close(self) -> None:
        self.index.close()
