"""Numbers as abstracts write them: in figures or words, with units, ranges, intervals and p-values.

>>> parse_number("twenty-two"), parse_number("1,234"), parse_number("4.5")
(22.0, 1234.0, 4.5)
>>> [(v.value, v.unit) for v in find_values("OS was 61% at 5 years; median 38 weeks (range 9-70).")]
[(61.0, '%'), (38.0, 'weeks')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..numerals import number_value, word_pattern

__all__ = ["NUM", "Value", "find_values", "parse_number", "qualify", "time_unit"]

#: a number in figures ("1,234", "4.5", "0.47") or in words ("seventeen", "twenty-two")
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+|\b(?:(?:one |a )?hundred|{word_pattern()})\b)"

_TIME = r"(?:months?|mo\b|mos\b|years?|yrs?\b|y\b|weeks?|wks?\b|days?|d\b)"
_PCT = r"(?:\s?%|\s*per\s?cent\b|\s*percent\b)"
_DASH = r"\s*(?:-|–|—|to)\s*"
_PCT_NOUN = r"patients|cases|subjects|participants|tumou?rs|lesions|men|women|children"
_FIG = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"  # figures only: "twenty-two" is no range


def parse_number(text: str) -> float | None:
    """The value of a number in figures or words; None if it is neither."""
    t = text.strip().lower().replace(",", "")
    try:
        return float(t)
    except ValueError:
        pass
    n = number_value(t)
    return float(n) if n is not None and t not in ("a", "an", "single") else None


def time_unit(text: str) -> str:
    """The canonical plural of a time unit ("mo" → "months", "yr" → "years")."""
    t = text.lower().rstrip(".")
    for full in ("month", "year", "week", "day"):
        if t.startswith(full[0]) and (t.startswith(full[:2]) or len(t) <= 3):
            return full + "s"
    return t


@dataclass(frozen=True)
class Value:
    """A figure in a sentence: its number and unit, and what qualifies it (range, interval, p)."""

    start: int
    end: int
    value: float
    unit: str  # "%", "months", "years", "weeks", "days", "ratio", "patients"
    low: float | None = None  # confidence interval or range
    high: float | None = None
    interval: str = ""  # "95% CI", "range", "IQR"
    p_value: str = ""  # as written after the comparator: "0.03", "<0.001"
    count: int | None = None  # "12 of 30 patients (40%)": 12
    denominator: int | None = None  # … 30
    qualified_end: int = -1  # where the value's range, interval and p-value end (-1: at ``end``)

    @property
    def span_end(self) -> int:
        """The end of the value with what qualifies it."""
        return max(self.end, self.qualified_end)


_RANGE_AFTER = re.compile(
    rf"\s*[(\[,;]?\s*(?:(?P<kind>range|iqr|interquartile range|(?P<level>\d{{2}}(?:\.\d)?)\s?%\s*(?:ci|confidence "
    rf"interval)"
    rf"(?:\s*\[ci\])?)\s*[:,=]?\s*)?(?P<low>-?{_FIG}){_DASH}(?P<high>-?{_FIG})\s*(?P<unit>{_TIME}|%)?\s*[)\]]?",
    re.IGNORECASE,
)
_OF_AFTER = re.compile(r"\s*[(\[]\s*(?P<n>\d+)\s*(?:/|of)\s*(?P<d>\d+)\s*(?:patients|cases)?\s*[)\]]", re.IGNORECASE)
_P_AFTER = re.compile(r"[\s,;(]*(?:p|p-value|p value)\s*(?P<cmp>[=<>≤≥]|of)\s*(?P<p>0?\.\d+|"
                      r"1(?:\.0+)?)\)?", re.IGNORECASE)
_COUNT_OF = re.compile(
    rf"\b(?P<n>{NUM})\s*(?:/|of|out of)\s*(?:the\s+|these\s+|those\s+|all\s+)?(?P<d>{NUM})\s*"
    r"(?:[a-z-]+\s+){0,2}?(?:patients|cases|subjects|participants|tumou?rs|lesions|men|women|children)?\s*"
    rf"[(\[,]\s*(?P<pct>{NUM}){_PCT}\s*[)\]]?",
    re.IGNORECASE,
)
_BARE_RANGE = re.compile(rf"(?P<low>{_FIG}){_DASH}(?P<high>{_FIG})\s*(?P<unit>{_TIME}|{_PCT})", re.IGNORECASE)
_WITH_RANGE = re.compile(rf"(?P<num>{NUM})\s*\(\s*(?:range[:,]?\s*)?(?P<low>{_FIG}){_DASH}(?P<high>{_FIG})\s*\)\s*"
                         rf"(?P<time>{_TIME})", re.IGNORECASE)
_N_PCT = re.compile(rf"\b(?P<n>{NUM})\s+(?:{_PCT_NOUN})\s*[(\[]\s*(?P<pct>{NUM}){_PCT}\s*[)\]]", re.IGNORECASE)
_SIMPLE = re.compile(
    rf"(?<![\w.-])(?P<num>{NUM})(?:(?P<pct>{_PCT})|\s*-?\s*(?P<time>{_TIME}))(?![\w-])",
    re.IGNORECASE,
)
_THRESHOLD = re.compile(r"(?:\b(?:under|over|above|below|older than|younger than|less than|more than|greater than|"
                        r"at least|at most|up to|within|exceeding|≥|≤|<|>)\s*|[<>≤≥]=?\s*)$", re.IGNORECASE)
_LIST_BEFORE = re.compile(rf"((?:{NUM}\s*,\s*)*{NUM}\s*,?\s*(?:and|or|vs\.?|versus)\s*)$", re.IGNORECASE)


def qualify(text: str, end: int) -> tuple[dict[str, object], int]:
    """The range, interval and p-value written right after a value ending at ``end``."""
    out: dict[str, object] = {}
    r = _RANGE_AFTER.match(text, end)
    if r and (r.group("kind") or text[end:r.start("low")].strip().startswith(("(", "["))):
        kind = (r.group("kind") or "range").lower()
        out["low"], out["high"] = parse_number(r.group("low")), parse_number(r.group("high"))
        out["interval"] = f"{r.group('level')}% CI" if r.group("level") else ("IQR" if "q" in kind else "range")
        end = r.end()
    c = _OF_AFTER.match(text, end)
    if c:
        out["count"], out["denominator"] = int(c.group("n")), int(c.group("d"))
        end = c.end()
    p = _P_AFTER.match(text, end)
    if p:
        out["p_value"] = (p.group("cmp") if p.group("cmp") not in ("=", "of") else "") + p.group("p")
        end = p.end()
    out["qualified_end"] = end
    return out, end


def find_values(text: str) -> list[Value]:
    """The figures of a sentence: percentages (with their counts) and durations.

    Ranges ("6-30 weeks"), thresholds ("under 60 years"), confidence levels ("95% CI") and time points
    ("5-year", "at 3 years") are not figures. In a list whose unit is written once ("90, 70 and 50%"),
    every member takes the unit.
    """
    values: list[Value] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _COUNT_OF.finditer(text):
        n, d, pct = (parse_number(m.group(g)) for g in ("n", "d", "pct"))
        if n is None or d is None or pct is None or n > d:
            continue
        q, end = qualify(text, m.end())
        values.append(Value(m.start("pct"), m.end(), pct, "%", count=int(n), denominator=int(d), **q))  # type: ignore[arg-type]
        taken.append((m.start(), end))
    for m in _WITH_RANGE.finditer(text):
        num = parse_number(m.group("num"))
        if num is None or not free(m.start(), m.end()):
            continue
        values.append(Value(m.start(), m.end(), num, time_unit(m.group("time")), parse_number(m.group("low")),
                            parse_number(m.group("high")), "range"))
        taken.append((m.start(), m.end()))
    for m in _N_PCT.finditer(text):
        n, pct = parse_number(m.group("n")), parse_number(m.group("pct"))
        if n is None or pct is None or not free(m.start(), m.end()):
            continue
        q, end = qualify(text, m.end())
        values.append(Value(m.start("pct"), m.end(), pct, "%", count=int(n), **q))  # type: ignore[arg-type]
        taken.append((m.start(), end))
    for m in _BARE_RANGE.finditer(text):
        if free(m.start(), m.end()):
            taken.append((m.start(), m.end()))
    for m in _SIMPLE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        after = text[m.end():m.end() + 12]
        before = text[max(0, m.start() - 25):m.start()]
        if m.group("pct") and re.match(r"\s*(?:ci|confidence)", after, re.IGNORECASE):
            continue  # the level of an interval
        if m.group("time") and re.search(r"\bat\s*$|\bat\s+(?:\d+\s*(?:,|and)\s*)+$|\bwithin\s*$|\bafter\s*$", before,
                                         re.IGNORECASE) and not re.search(r"\b(?:median|mean|average)\b[^,;]*$", before,
                                                                          re.IGNORECASE):
            continue  # a time point: "OS at 5 years", "after 2 years"
        if _THRESHOLD.search(before) or re.match(r"\s*(?:or|and)\s+(?:older|younger|more|less|above|over|under|"
                                                 r"longer)\b",
                                                 after, re.IGNORECASE):
            continue
        if m.group("time") and re.match(r"\d+(?:\.\d+)?-(?:year|month|week|day)\b(?!s)", text[m.start():m.end()]):
            continue  # "12-month": a time point
        if m.group("time") and re.match(r"\s*-", text[m.end():m.end() + 2]):
            continue
        num = parse_number(m.group("num"))
        if num is None:
            continue
        unit = "%" if m.group("pct") else time_unit(m.group("time"))
        if unit not in ("%", "months", "years", "weeks", "days"):
            continue
        if m.group("time") and re.match(r"\s*-?\s*(?:year|month|week|day)\s*[-\s]?(?:overall|survival|os|dfs|pfs|rfs|"
                                        r"dss|disease|progression|recurrence|relapse|mortality|event|local|cumulative|"
                                        r"actuarial|rate)", text[m.start() + len(m.group("num")):], re.IGNORECASE):
            continue  # "5-year survival": a time point
        q, end = qualify(text, m.end())
        values.append(Value(m.start(), m.end(), num, unit, **q))  # type: ignore[arg-type]
        taken.append((m.start(), end))
        # "90, 70 and 50%": the members before take the unit
        lm = _LIST_BEFORE.search(text[:m.start()])
        if lm:
            for nm in re.finditer(NUM, lm.group(1), re.IGNORECASE):
                s = lm.start(1) + nm.start()
                v = parse_number(nm.group())
                if v is not None and free(s, s + len(nm.group())):
                    values.append(Value(s, s + len(nm.group()), v, unit))
                    taken.append((s, s + len(nm.group())))
    return sorted(values, key=lambda v: v.start)
