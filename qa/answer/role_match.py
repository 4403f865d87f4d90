"""Which of the named people a question describes, read by the embedding model from the titles the sentences
give them: "Which head of NATO was briefed …?" is answered by "NATO Secretary General Jens Stoltenberg", "Who
is the Ukrainian head of state …?" by "Ukrainian President Volodymyr Zelensky", "Which US cabinet member …?"
by "Secretary of State Antony Blinken". The words differ, so no list of titles ties them; the sentence model
that retrieval uses puts the question's description ("head of NATO", `qa.question.structure.described_person`)
close to the title that means it (0.79 here) and far from the others (at most 0.50).

A person is picked when the title closest to the description is at least `MIN_SIMILARITY` close, and at
least `MARGIN` closer than the closest title of anyone else. Both were chosen on the tuning halves of the
seed-style sets (all 18), from the person questions whose description the parse reads, over the people of the
best `DEPTH` sentences: every pair on the grid 0.60-0.65 x 0.15-0.20 fixes the same 6 of them and changes no
right lead (the lowest pair is kept); a margin of 0.05 fixes 8 but leads 2 wrong. Built into the answer
(`qa.answer.compose.Composer._titled_as_described`), it moved the tuning halves from 353 to 360 right leads of
436 (wrong 14 -> 13; near misses abstained 122 -> 121: "Which EU foreign policy chief …?" is led, without a bold
name, by the Commission President's sentence) and the test halves, read only in total, from 348 to 357 of 458
(wrong 32 -> 31, near misses unchanged). MultiHop-RAG dev did not change.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MIN_SIMILARITY = 0.60
MARGIN = 0.15
DEPTH = 8  # the best sentences whose people are weighed (the "Which US cabinet member …?" one is 6th)
CACHE = 4096  # titles and descriptions embedded once per process, up to this many


class RoleMatch:
    def __init__(self, encoder):
        self._encoder = encoder
        self._vectors: dict[str, np.ndarray] = {}

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            if len(self._vectors) + len(missing) > CACHE:
                self._vectors.clear()
            vecs = np.asarray(self._encoder.encode(missing), dtype=np.float32)
            vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
            self._vectors.update(zip(missing, vecs))
        return np.stack([self._vectors[t] for t in texts])

    def pick(self, described: str, options: Sequence[tuple[str, str]]) -> int | None:
        """The index of the option (person key, title) whose title the description fits, or None when no
        title fits it closely enough, or another person's fits it almost as well."""
        if not options:
            return None
        vecs = self._embed([described, *(title for _, title in options)])
        sims = vecs[1:] @ vecs[0]
        best: dict[str, int] = {}
        for i, (person, _) in enumerate(options):
            if person not in best or sims[i] > sims[best[person]]:
                best[person] = i
        ranked = sorted(best.values(), key=lambda i: -sims[i])
        top = ranked[0]
        if sims[top] < MIN_SIMILARITY or len(ranked) > 1 and sims[top] - sims[ranked[1]] < MARGIN:
            return None
        return top
