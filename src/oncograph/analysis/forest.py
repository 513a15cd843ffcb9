"""One measure across studies: the rows of ``measure-across-studies`` and a forest-plot style figure.

Each row is one figure of one study (a subgroup, a time point); the pooled value is the mean of the
study-level figures (those without a subgroup) weighted by each study's number of patients.

>>> pooled([Figure("a", "", 40.0, 100, None, None), Figure("b", "", 60.0, 300, None, None)])
55.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..query import Result

__all__ = ["Figure", "figures_of", "pooled"]


@dataclass(frozen=True)
class Figure:
    """One study's value of the measure, with what the plot needs."""

    document: str
    subgroup: str
    value: float
    n: int | None
    low: float | None
    high: float | None
    label: str = ""
    unit: str = ""


def _num(cell: str) -> float | None:
    try:
        return float(cell)
    except (TypeError, ValueError):
        return None


def figures_of(result: Result) -> list[Figure]:
    """The figures of a ``measure-across-studies`` result."""
    col = {c: i for i, c in enumerate(result.columns)}
    out = []
    for row in result.rows:
        value = _num(row[col["value"]])
        if value is None:
            continue
        n = _num(row[col["n_patients"]])
        out.append(Figure(row[col["document"]], row[col["subgroup"]], value, int(n) if n is not None else None,
                          _num(row[col["low"]]), _num(row[col["high"]]), row[col["figure"]], row[col["unit"]]))
    return out


def pooled(figures: Sequence[Figure]) -> float | None:
    """The mean of the study-level figures, weighted by the patients of each study (None if none has n)."""
    whole = [f for f in figures if not f.subgroup and f.n]
    total = sum(f.n or 0 for f in whole)
    if not total:
        return None
    return round(sum(f.value * (f.n or 0) for f in whole) / total, 6)
