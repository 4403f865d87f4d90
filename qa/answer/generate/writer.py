"""The answer a language model writes, kept only where verification accepts it.

`Writer.ask` asks the extractive assistant first (its hits are the passages, its answer the
fallback), then the model, verifying each sentence as soon as the stream completes it. Kept
sentences cite the exact sentence (or two) of the passage that supports them. The model can only
add: the extractive short answer and lead sentence still open the answer, the verified sentences
follow (a stand-in model whose true but off-question sentences led took seed lead_correct from
0.862 to 0.448; with the lead kept it stays as without a model: `python -m bench.fabricating_model`).
Anything else (an abstention, an unreachable server, a timeout, a refusal, malformed output, no
sentence verified) gives the extractive answer with a one-line note. A stop (Ctrl+C, a cancelled worker) keeps the sentences verified so far.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from qa.answer.generate import prompt
from qa.answer.generate.client import ChatClient, LLMError
from qa.answer.generate.sentences import Generated, not_answered, parse, split
from qa.answer.generate.settings import LLMSettings
from qa.answer.generate.verify import Verifier, VerifySettings
from qa.types import Answer, Dropped, Sentence, Source


@dataclass(frozen=True)
class Checked:
    """One generated sentence and what verification said of it (for a live display)."""

    generated: Generated
    kept: bool
    reason: str | None
    detail: str | None


class Writer:
    """The assistant's API (`ask`, and everything else passed through) with a model writing answers."""

    def __init__(self, assistant, settings: LLMSettings, verify: VerifySettings | None = None):
        self.assistant = assistant
        self.settings = settings
        self.client = ChatClient(settings)
        self.verifier = Verifier(assistant.index.encoder, verify)

    def __getattr__(self, name):  # retrieve, article, info, overview, close… are the assistant's
        return getattr(self.assistant, name)

    def label(self, model: str | None = None) -> str:
        return f"{model or self.settings.model or 'the model'} at {self.settings.where}"

    def ask(self, question: str, conversation=None, filters=None, k: int | None = None, *,
            on_token: Callable[[str], None] | None = None, on_sentence: Callable[[Checked], None] | None = None,
            cancelled: Callable[[], bool] | None = None, stream: bool = True) -> Answer:
        extractive = self.assistant.ask(question, conversation=conversation, filters=filters, k=k)
        hits = extractive.hits
        if not hits and not extractive.abstained:  # a yes/no answer keeps no hits: retrieve them
            hits = self.assistant.retrieve(question, filters=filters, k=k or 10, conversation=conversation)
        if extractive.abstained or not hits:
            extractive.notes.append(f"{self.label()} was not asked: the articles don't answer this.")
            return extractive
        t0 = time.perf_counter()
        passages = prompt.passages(self.assistant.index, _cited_first(extractive, hits))
        asked = extractive.resolved_question or extractive.question
        messages = prompt.messages(asked, passages, conversation)
        state = _Stream(self, passages, on_sentence)

        def token(piece: str) -> None:
            state.add(piece)
            if on_token:
                on_token(piece)

        try:
            reply = self.client.complete(messages, stream=stream, on_token=token, cancelled=cancelled)
        except LLMError as exc:
            return _fallback(extractive, f"No answer from {self.label()}: {exc}; the extractive answer follows.")
        if not_answered(reply.text):
            return _fallback(extractive, f"{self.label(reply.model)} found no answer in the passages; "
                                         "the extractive answer follows.")
        state.finish(final=not reply.interrupted)
        timings = {"llm_ttft": round(reply.ttft_ms or reply.total_ms, 3), "llm_total": round(reply.total_ms, 3),
                   "verify": round(state.verify_ms, 3)}
        stopped = ["Stopped: only the sentences verified before the stop are shown."] if reply.interrupted else []
        if not state.kept:
            if not state.checked and reply.interrupted:
                note = "Stopped before the model finished a sentence; the extractive answer follows."
            elif not state.checked:
                note = f"{self.label(reply.model)} gave an empty answer; the extractive answer follows."
            else:
                note = (f"None of the {len(state.checked)} sentences {self.label(reply.model)} wrote could be "
                        "verified against the passages; the extractive answer follows.")
            answer = _fallback(extractive, note)
            answer.dropped = state.dropped
            answer.timings = {**answer.timings, **timings}
            return answer
        answer, added = state.answer(extractive)
        if added:
            answer.generated_by = self.label(reply.model)
            answer.generated_sentences = added
        else:  # every verified sentence restated what the extractive answer already quotes
            answer.notes.append(f"{self.label(reply.model)} added nothing the quoted answer does not say.")
        answer.notes += stopped
        total = (time.perf_counter() - t0) * 1000 + extractive.timings.get("total", 0.0)
        answer.timings = {**extractive.timings, **timings, "total": round(total, 3)}
        return answer


def _cited_first(answer: Answer, hits: list) -> list:
    """The hits holding the extractive answer's cited sentences first, then the rest by rank."""
    def cited(hit) -> bool:
        return any(s.article_id == hit.article_id and s.start < hit.end and hit.start < s.end for s in answer.sources)

    return sorted(hits, key=lambda h: not cited(h))


def _fallback(extractive: Answer, note: str) -> Answer:
    extractive.notes.append(note)
    return extractive


class _Stream:
    """The reply as it arrives: complete sentences are verified at once, the rest waits."""

    def __init__(self, writer: Writer, passages, on_sentence):
        self.writer = writer
        self.passages = {p.number: p for p in passages}
        self.on_sentence = on_sentence
        self.buffer = ""
        self.checked: list[tuple[Generated, object, list]] = []  # (sentence, judgement, evidence spans)
        self.verify_ms = 0.0

    def add(self, piece: str) -> None:
        self.buffer += piece
        done, rest = split(self.buffer, final=False)
        if done:
            self.buffer = rest
            for raw in done:
                self._check(raw)

    def finish(self, final: bool) -> None:
        done, _ = split(self.buffer, final=final)
        self.buffer = ""
        for raw in done:
            self._check(raw)

    def _check(self, raw: str) -> None:
        t0 = time.perf_counter()
        g = parse(raw)
        if not g.text.strip(" .,;:-"):  # a marker or punctuation alone
            return
        known = [n for n in g.citations if n in self.passages]
        spans = [(n, s) for n in known for s in self.passages[n].sentences]
        evidence = [self._text(n, s) for n, s in spans]
        if not g.citations:
            j = _judgement("uncited")
        elif len(known) < len(g.citations):
            j = _judgement("unknown_citation", ", ".join(str(n) for n in g.citations if n not in self.passages))
        else:
            j = self.writer.verifier.judge(g.text, evidence)
        self.verify_ms += (time.perf_counter() - t0) * 1000
        unit = [spans[i] for i in j.best] if j.kept else []
        self.checked.append((g, j, unit))
        if self.on_sentence:
            self.on_sentence(Checked(g, j.kept, j.reason, j.detail))

    def _text(self, number: int, span: tuple[int, int]) -> str:
        p = self.passages[number]
        return p.text[span[0] - p.start: span[1] - p.start]

    @property
    def kept(self) -> list:
        return [c for c in self.checked if c[1].kept]

    @property
    def dropped(self) -> list[Dropped]:
        return [Dropped(g.text, g.citations, j.reason, j.detail) for g, j, _ in self.checked if not j.kept]

    def answer(self, extractive: Answer) -> tuple[Answer, int]:
        """The answer (the extractive lead, or a verdict's lines, then the model's verified sentences)
        and how many sentences the model added."""
        sources: list[Source] = []

        def number_of(article_id, start, end, quote, make) -> int:
            for s in sources:
                if s.article_id == article_id and s.start == start and s.end == end:
                    return s.number
            sources.append(make(len(sources) + 1))
            return len(sources)

        verdict = getattr(extractive, "verdict", None) is not None
        if verdict:  # a yes/no answer keeps its verdict, claim lines and their numbered sources as they are
            sources.extend(extractive.sources)
        short = extractive.short_answer
        if short is not None:
            old = extractive.source(short.citation)
            if old is not None:
                n = number_of(old.article_id, old.start, old.end, old.quote, lambda i: replace(old, number=i))
                short = replace(short, citation=n)
        sentences = []
        said = set()
        added = 0
        if verdict:
            sentences.extend(extractive.sentences)
            said = {(x.article_id, x.start, x.end) for x in extractive.sources}
        elif extractive.sentences:  # the extractive lead stays first: the model can only add to it
            lead = extractive.sentences[0]
            numbers = []
            for n in lead.citations:
                old = extractive.source(n)
                if old is not None:
                    numbers.append(number_of(old.article_id, old.start, old.end, old.quote,
                                             lambda i, old=old: replace(old, number=i)))
                    said.add((old.article_id, old.start, old.end))
            sentences.append(replace(lead, citations=tuple(dict.fromkeys(numbers))))
        for g, j, unit in self.kept:
            if all((self.passages[n].article_id, s, e) in said for n, (s, e) in unit):
                continue  # the model restated the lead's own sentence
            numbers = []
            for number, (start, end) in unit:
                p = self.passages[number]
                text = self._text(number, (start, end))
                numbers.append(number_of(p.article_id, start, end, text, lambda i, p=p, s=start, e=end, t=text:
                                         Source(i, p.article_id, p.title, p.outlet, p.published_at, p.url, t, s, e,
                                                round(j.score, 4))))
            sentences.append(Sentence(g.text, tuple(dict.fromkeys(numbers))))
            added += 1
        text = " ".join(f"{st.text} " + "".join(f"[{n}]" for n in st.citations) for st in sentences)
        return replace(extractive, text=text, sentences=sentences, sources=sources, notes=list(extractive.notes),
                       short_answer=short if short is not None and short.citation <= len(sources) else None,
                       dropped=self.dropped), added


def _judgement(reason: str, detail: str | None = None):
    from qa.answer.generate.verify import Judgement

    return Judgement(False, reason, detail)
