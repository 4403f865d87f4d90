"""Progress on stderr, stage by stage, for every command that waits: `progress(stage, done, total)`.

On a terminal, rich bars, one a stage ("preparing the model (once, about 5 s)", "indexing the 5 bundled
articles: embedding"); when they go, one line says what was done and how long it took, so the answer never
arrives after a blank. Anywhere else (a log, a pipe, `| tee`), plain lines: a stage's name when it starts,
`done/total` every few seconds, and the time it took when it ends. Never bars, never nothing.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

from rich.text import Text

PLAIN_EVERY_S = 3.0  # seconds between two plain lines of one stage (a 14-minute eval prints ~280)


def _group(stage: str) -> str:
    """The stage a step belongs to: "indexing the 5 bundled articles" for "…: embedding"."""
    return stage.split(": ", 1)[0]


def _count(done: int, total: int) -> str:
    return f"{done:,}/{total:,}" if total else f"{done:,}"


class PlainLines:
    """Progress as plain lines on a stream (stderr that is not a terminal). A stage starts when the one
    before it last reported (its first report may already be its last), and ends at `done == total`, when
    the next stage starts, or at `close()`."""

    def __init__(self, stream=None, quiet: tuple[str, ...] = (), every: float = PLAIN_EVERY_S):
        self.stream, self.quiet, self.every = stream, quiet, every  # None: sys.stderr as it is when writing
        self.started: dict[str, float] = {}
        self.last: dict[str, float] = {}
        self.counts: dict[str, tuple[int, int]] = {}
        self.open: list[str] = []
        self.previous: float | None = None

    def _say(self, line: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(line + "\n")
        stream.flush()

    def _end(self, stage: str, now: float) -> None:
        self.open.remove(stage)
        took = now - self.started[stage]
        if stage not in self.quiet:
            self._say(f"{stage}: done, {_count(*self.counts[stage])} in {took:.1f} s")

    def close(self) -> None:
        """End the stages still open (a count with no known total ends with the work)."""
        now = time.monotonic()
        for stage in list(self.open):
            self._end(stage, now)

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        self.counts[stage] = (done, total)
        if stage not in self.started:
            for earlier in list(self.open):
                self._end(earlier, self.previous or now)
            self.started[stage] = self.previous or now
            self.last[stage] = now
            self.open.append(stage)
            if stage not in self.quiet and not (total and done >= total):
                self._say(f"{stage}…")
        self.previous = now
        if stage not in self.open:
            return
        if total and done >= total:
            self._end(stage, now)
        elif now - self.last[stage] >= self.every and stage not in self.quiet:
            self.last[stage] = now
            self._say(f"{stage}: {_count(done, total)} after {now - self.started[stage]:.0f} s")


class Bars:
    """Progress as rich bars on a terminal, and one line at the end saying what was done."""

    def __init__(self, bar, quiet: tuple[str, ...] = ()):
        self.bar, self.quiet = bar, quiet
        self.tasks: dict[str, int] = {}
        self.groups: dict[str, list[float]] = {}  # group -> [first seen, last seen]

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total or None)
        self.bar.update(self.tasks[stage], completed=done, total=total or None)
        now = time.monotonic()
        self.groups.setdefault(_group(stage), [now, now])[1] = now

    def summary(self) -> Text | None:
        done = [(g, t[1] - t[0]) for g, t in self.groups.items() if g not in self.quiet]
        if not done:
            return None
        return Text("done: " + " · ".join(f"{g} ({took:.1f} s)" for g, took in done), style="dim")


@contextmanager
def stage_progress(enabled: bool = True, *, quiet: tuple[str, ...] = ()):
    """Yields a `progress(stage, done, total)` callback drawing on stderr (None when not `enabled`).
    Stages in `quiet` (loading an existing index: a second or two) show a bar on a terminal and nothing else."""
    if not enabled:
        yield None
        return
    from cli.render import console

    err = console(stderr=True)
    if not err.is_terminal:
        lines = PlainLines(None, quiet)
        yield lines
        lines.close()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        bars = Bars(bar, quiet)
        yield bars
    line = bars.summary()
    if line is not None:
        err.print(line)
