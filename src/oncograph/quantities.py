"""Quantities a sentence states: drug doses and their changes, radiation doses and fractions, tumour sizes.

Part of the recognise stage: these functions find and read the quantities; relating them to a drug, a
radiotherapy or a tumour is the relate stage's work.

>>> dose_after("imatinib 400 mg/day was started", 8)
{'dose': '400 mg/day', 'dose_value': 400.0, 'dose_unit': 'mg/day'}
>>> radiation("30 Gy in 10 fractions")
[(30.0, 10)]
>>> tumour_size("the tumour measured 4.5 x 3 cm")
4.5
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import number_value

__all__ = ["DoseChange", "dose_after", "dose_change", "radiation", "tumour_size"]

_DOSE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(mg/m2|mg/m²|mg/kg|mg|g|mcg|µg)(?!\w)(?:\s*(?:/|per)\s*(day|d|week|wk)\b|"
    r"\s+(daily|once daily|twice daily|a day))?",
    re.IGNORECASE,
)
# a dose changed: "was increased from 400 mg/day to 800 mg/day", "was reduced to 300 mg daily"
_DOSE_TEXT = (r"\d+(?:\.\d+)?\s*(?:mg/m2|mg/m²|mg/kg|mg|g|mcg|µg)"
              r"(?:\s*(?:/|per)\s*(?:day|d|week|wk)\b|\s+(?:daily|once daily|twice daily|a day))?")
_DOSE_CHANGE = re.compile(
    r"\s*(?:\([^)]{0,30}\)\s*)?(?:" + _DOSE_TEXT + r"\s*)?(?:(?:dose|dosage)\s+)?(?:was|were|had been|has been)?\s*"
    r"(increased|escalated|raised|doubled|reduced|decreased|lowered|de-escalated)\s+"
    r"(?:from\s+(?P<old>" + _DOSE_TEXT + r")\s+)?to\s+(?P<new>" + _DOSE_TEXT + r")",
    re.IGNORECASE)
_GY = re.compile(r"(\d+(?:\.\d+)?)\s*(?:gray|Gy)\b(?:\s*\(Gy\))?", re.IGNORECASE)
_FRACTIONS = re.compile(
    r"\b(?:in|into|divided(?:\s+into)?|over|with)?\s*(\d+|single|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|twelve|fifteen|twenty|twenty-five|thirty)\s+fractions?\b|\bsingle[- ]fraction\b",
    re.IGNORECASE,
)
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:×|x)\s*\d+(?:\.\d+)?\s*cm|(\d+(?:\.\d+)?)\s*cm\b", re.IGNORECASE)
_SIZE_CONTEXT = re.compile(r"\b(?:tumou?r (?:diameter|size)|diameter|measur\w+|sized?)\b|\bcm\b[^.]{0,40}\bmass\b",
                           re.IGNORECASE)
_PER = {"d": "day", "wk": "week", "daily": "day", "once daily": "day", "a day": "day"}


def dose_after(text: str, end: int, until: int | None = None, alone: bool = True) -> dict[str, object]:
    """The dose written after a drug ending at ``end`` (before the next drug, ``until``); anywhere in the
    sentence when the drug is the only one named (``alone``). Keys: dose (as written, normalised),
    dose_value, dose_unit; empty when there is none."""
    m = _DOSE.search(text, end, min(len(text), end + 40, until if until is not None else len(text)))
    if m is None and alone:
        m = _DOSE.search(text)
    if not m:
        return {}
    value = float(m.group(1))
    unit = m.group(2)
    per = m.group(3) or m.group(4)
    if per:
        per = _PER.get(per.lower(), per.lower())
    text_value = m.group(1) + " " + unit + (f"/{per}" if per and per != "twice daily" else "")
    return {"dose": text_value, "dose_value": value, "dose_unit": unit + (f"/{per}" if per else "")}


@dataclass(frozen=True)
class DoseChange:
    """A dose raised or lowered: from the ``old`` dose (if written) to the ``new`` one."""

    direction: str  # "increased" | "reduced"
    old: dict[str, object]
    new: dict[str, object]
    end: int


def dose_change(text: str, end: int) -> DoseChange | None:
    """The change of dose written right after a drug ending at ``end`` ("was increased from 400 to 800 mg/day")."""
    change = _DOSE_CHANGE.match(text, end)
    if not change:
        return None
    up = re.match(r"(?i)increas|escalat|rais|doubl", change.group(1))
    old = dose_after(change.group("old"), 0) if change.group("old") else {}
    return DoseChange("increased" if up else "reduced", old, dose_after(change.group("new"), 0), change.end())


def radiation_doses(text: str) -> list[tuple[int, float]]:
    """Each radiation dose in grays, with its offset."""
    return [(g.start(), float(g.group(1))) for g in _GY.finditer(text)]


def fractions(text: str) -> list[tuple[int, int]]:
    """Each number of fractions ("in 10 fractions", "a single fraction"), with its offset."""
    out = []
    for fm in _FRACTIONS.finditer(text):
        n = number_value((fm.group(1) or "single").lower())
        if n:
            out.append((fm.start(), n))
    return out


def radiation(text: str) -> list[tuple[float, int | None]]:
    """The radiation doses of a sentence, each with the number of fractions written after it."""
    return pair_radiation(radiation_doses(text), fractions(text))


def pair_radiation(gys: list[tuple[int, float]], fracs: list[tuple[int, int]]) -> list[tuple[float, int | None]]:
    """Doses paired with the fractions written after each; "2.5 Gy per fraction to 45 Gy" is 45 Gy in 18."""
    pairs: list[tuple[float, int | None]] = []
    for i, (pos, gy) in enumerate(gys):
        nxt = gys[i + 1][0] if i + 1 < len(gys) else 10**9
        n = next((f for fp, f in fracs if pos < fp < nxt), None)
        pairs.append((gy, n))
    if len(pairs) == 2 and pairs[0][0] < pairs[1][0] and pairs[0][1] is None and pairs[1][1] is None:
        per, total = pairs[0][0], pairs[1][0]
        if per and total / per == int(total / per):
            return [(total, int(total / per))]
    return pairs


def tumour_size(text: str) -> float | None:
    """The largest dimension in cm of a size the sentence gives as a tumour's ("measured 4 x 3 cm")."""
    size = _SIZE.search(text)
    if not size or not _SIZE_CONTEXT.search(text):
        return None
    return max(float(x) for x in re.findall(r"\d+(?:\.\d+)?", size.group()))
