"""`--min METRIC=VALUE` / `--max METRIC=VALUE`: thresholds a run must meet (for CI and scripts)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from eval.definitions import CATALOGUE, lookup


class FloorError(ValueError):
    """A floor given on the command line cannot be understood."""


@dataclass(frozen=True)
class Floor:
    metric: str
    value: float
    kind: str = "min"  # "min": metric >= value; "max": metric <= value

    def __str__(self) -> str:
        return f"{self.metric} {'>=' if self.kind == 'min' else '<='} {self.value:g}"


def parse(spec: str, kind: str = "min") -> Floor:
    """'hit@5=0.9' -> Floor('hit@5', 0.9). The metric must be a known one."""
    name, sep, value = spec.partition("=")
    name = name.strip()
    if not sep or not name:
        raise FloorError(f"--{kind} {spec!r}: expected METRIC=VALUE, e.g. hit@5=0.9")
    try:
        number = float(value)
    except ValueError as e:
        raise FloorError(f"--{kind} {spec!r}: {value.strip()!r} is not a number") from e
    if lookup(name) is None:
        known = ", ".join(m.name for m in CATALOGUE)
        raise FloorError(f"--{kind} {spec!r}: unknown metric {name!r}; known: {known}, latency_<stage>_p50_ms/_p95_ms")
    return Floor(name, number, kind)


def parse_all(mins: Iterable[str] = (), maxs: Iterable[str] = ()) -> list[Floor]:
    return [parse(s, "min") for s in mins or ()] + [parse(s, "max") for s in maxs or ()]


def failures(metrics: Mapping[str, float | None], floors: Iterable[Floor]) -> list[str]:
    """One line per floor not met (a metric the run did not measure fails its floor)."""
    out = []
    for f in floors:
        v = metrics.get(f.metric)
        if v is None:
            out.append(f"{f}: not measured in this run")
        elif (f.kind == "min" and v < f.value) or (f.kind == "max" and v > f.value):
            out.append(f"{f}: measured {v:.4g}")
    return out
