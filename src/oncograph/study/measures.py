"""The measure vocabulary of study figures, and where a sentence names a measure.

The vocabulary is data: ``ontology/measures.tsv`` (one row per measure, with its forms, abbreviations,
kind and MeSH mapping); the ontology holds the same measures as individuals of ``onc:StudyMeasure``.

>>> [(m.measure.id, m.statistic, m.time_points) for m in find_measures("The 1-, 3- and 5-year OS rates were")]
[('OverallSurvival', '', ((1.0, 'years'), (3.0, 'years'), (5.0, 'years')))]
>>> [(m.measure.id, m.statistic, m.label) for m in find_measures("median progression-free survival was")]
[('ProgressionFreeSurvival', 'median', 'progression-free survival')]
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .numbers import parse_number, time_unit

__all__ = ["Measure", "MeasureMention", "defined_measures", "find_measures", "measure_by_id", "measure_vocabulary"]


@dataclass(frozen=True)
class Measure:
    """One measure of the vocabulary."""

    id: str  # local name in the ontology namespace: "OverallSurvival"
    label: str
    kind: str  # survival | rate | time | ratio | p | age | count
    forms: tuple[str, ...]
    abbreviations: tuple[str, ...]
    mesh: str = ""
    mapping: str = ""
    definition: str = ""

    def accepts(self, unit: str) -> bool:
        """Whether a figure in ``unit`` can be a value of this measure."""
        if self.kind == "survival":
            return unit in ("%", "months", "years", "weeks", "days")
        if self.kind == "rate":
            return unit == "%"
        if self.kind in ("time", "age"):
            return unit in ("months", "years", "weeks", "days")
        if self.kind in ("ratio", "p"):
            return unit == self.kind
        return unit == "patients"


@dataclass(frozen=True)
class MeasureMention:
    """A measure named in a sentence, with what is said around it."""

    start: int
    end: int
    measure: Measure
    label: str  # the measure as the sentence qualifies it: "intracranial response rate", "time to bone metastasis"
    statistic: str = ""  # "median", "mean"
    time_points: tuple[tuple[float, str], ...] = ()  # ((5.0, "years"),)


@functools.cache
def measure_vocabulary() -> tuple[Measure, ...]:
    """The measures of ``ontology/measures.tsv``, in file order."""
    text = importlib.resources.files("oncograph.resources.ontology").joinpath("measures.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    header, body = rows[0], rows[1:]
    out = []
    for row in body:
        r = dict(zip(header, row, strict=True))
        out.append(Measure(r["id"], r["label"], r["kind"], _split(r["forms"]), _split(r["abbreviations"]),
                           r["mesh"], r["mapping"], r["definition"]))
    return tuple(out)


def _split(cell: str) -> tuple[str, ...]:
    """The members of a " | "-joined cell."""
    return tuple(x.strip() for x in cell.split("|") if x.strip())


@functools.cache
def _by_id() -> dict[str, Measure]:
    return {m.id: m for m in measure_vocabulary()}


def measure_by_id(measure_id: str) -> Measure:
    """The measure of the vocabulary with this local name ("OverallSurvival")."""
    return _by_id()[measure_id]


@functools.cache
def _form_pattern() -> tuple[re.Pattern[str], dict[str, Measure]]:
    forms: dict[str, Measure] = {}
    for m in measure_vocabulary():
        for f in (m.label, *m.forms):
            forms.setdefault(f.lower(), m)
    alts = sorted(forms, key=len, reverse=True)
    body = "|".join(re.escape(f).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?") for f in alts)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.IGNORECASE), forms


@functools.cache
def _abbreviation_pattern() -> tuple[re.Pattern[str], dict[str, Measure]]:
    abbr = {a: m for m in measure_vocabulary() for a in m.abbreviations}
    alts = sorted(abbr, key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, alts))})(?![\w-])"), abbr


_POINT = (r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|sixty|"
          r"ninety)")
_TIME_PREFIX = re.compile(
    rf"(?P<points>(?:{_POINT}\s*-?\s*(?:(?:year|month|yr|week|day)s?\s*-?\s*)?(?:,\s*|\s+(?:and|or|to)\s+))*"
    rf"{_POINT})\s*-?\s*(?P<unit>years?|months?|yrs?|weeks?|days?)\s*-?\s*"
    r"(?:(?:cumulative|actuarial|estimated|overall|crude|observed|intracranial|extracranial|intracerebral|cns|local|"
    r"locoregional|distant|systemic|hepatic|pulmonary|cancer|disease)\s+)?$",
    re.IGNORECASE,
)
_TIME_SUFFIX = re.compile(
    rf"\s*(?:rates?\s+)?(?:at|after)\s+(?P<points>(?:{_POINT}\s*(?:,\s*|\s+(?:and|or)\s+))*{_POINT})\s*"
    r"(?P<unit>years?|months?|yrs?|weeks?|days?)\b",
    re.IGNORECASE,
)
_STATISTIC = re.compile(r"\b(median|mean|average|averaged)\b(?:\s+(?:\S+\s+){0,3})?$", re.IGNORECASE)
_STATISTIC_AFTER = re.compile(r"^\W*(?:\w+\s+){0,3}?(?:was|were|of|averaged|at|lasted)?\s*(?:a|an|the)?\s*"
                              r"(median|mean|average)\b", re.IGNORECASE)
_QUALIFIERS = {"cns", "intracranial", "intracerebral", "extracranial", "local", "locoregional", "distant",
               "systemic", "hepatic", "pulmonary", "peritoneal", "cerebral", "brain", "liver", "lung", "bone",
               "objective", "overall", "operative", "perioperative", "postoperative", "30-day", "90-day",
               "in-hospital", "major", "severe", "grade 3", "grade 3-4", "cumulative", "pathological"}
_EVENT = re.compile(r"\s*(?:the\s+)?(?P<event>(?:(?:[\w-]+\s+)?(?:diagnosis|onset|start|resection|surgery)\s+(?:of\s+)?"
                    r"(?:[\w-]+\s+){0,4}?to\s+)?"
                    r"(?:[\w-]+\s+){0,4}?[\w-]+?)(?=\s+(?:was|were|is|of|in|for|among|averaged|lasted|ranged|from|after|"
                    r"since)\b|\s*[(,;:.]|$)", re.IGNORECASE)


def _points(text: str, unit: str) -> tuple[tuple[float, str], ...]:
    vals = [parse_number(x) for x in re.findall(_POINT, text, re.IGNORECASE)]
    return tuple((v, time_unit(unit)) for v in vals if v is not None)


def find_measures(text: str, defined: Mapping[str, str] | None = None,
                  qualifier_spans: Iterable[tuple[int, int]] = ()) -> list[MeasureMention]:
    """The measures ``text`` names, left to right.

    Parameters
    ----------
    text : str
        A sentence.
    defined : mapping, optional
        Short forms the document defines for a measure ("RR" → "ResponseRate").
    qualifier_spans : iterable of (start, end), optional
        Site mentions of the sentence; one right before a measure qualifies it ("liver recurrence").
    """
    pattern, forms = _form_pattern()
    apattern, abbr = _abbreviation_pattern()
    by_id = _by_id()
    spans = list(qualifier_spans)
    found: list[tuple[int, int, Measure]] = []
    for m in pattern.finditer(text):
        found.append((m.start(), m.end(), forms[re.sub(r"[\s-]+", " ", m.group().lower())]
                      if re.sub(r"[\s-]+", " ", m.group().lower()) in forms else _lookup(m.group(), forms)))
    taken = [(s, e) for s, e, _ in found]
    short = {**{a: by_id[i] for a, i in (defined or {}).items() if i in by_id}}
    for m in apattern.finditer(text):
        if all(m.end() <= s or m.start() >= e for s, e in taken):
            found.append((m.start(), m.end(), short.pop(m.group(), abbr[m.group()])))
    if short:
        alts = "|".join(map(re.escape, sorted(short, key=len, reverse=True)))
        spattern = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")
        for m in spattern.finditer(text):
            if all(m.end() <= s or m.start() >= e for s, e, _ in found):
                found.append((m.start(), m.end(), short[m.group()]))
    out: list[MeasureMention] = []
    covered = 0
    for start, end, measure in sorted(found, key=lambda x: x[0]):
        if start < covered:
            continue  # inside the event of a "time to …" before it
        label = measure.label
        generic_duration = measure.id == "DurationOfTreatment" and text[start:end].lower() == "duration of"
        if generic_duration:  # "the duration of sunitinib treatment"
            ev = _EVENT.match(text, end)
            if not ev or not ev.group("event").strip():
                continue
            label = f"duration of {ev.group('event').strip()}"
            end = ev.end()
        if measure.id == "TimeToEvent":
            ev = _EVENT.match(text, end)
            if not ev or not ev.group("event").strip():
                continue
            event = ev.group("event").strip()
            span = re.match(r"(?:the\s+)?(?:[\w-]+\s+)?(?:diagnosis|onset|start|time|date|resection|surgery)\b"
                            r".*?\bto\s+(?:the\s+)?(?P<to>.+)$", event)
            if span:  # "the time from diagnosis to nodal relapse": the time to the second event
                event = span.group("to")
            elif re.search(r"\bfrom$", text[start:end].lower()) and " to " in event:
                event = event.split(" to ", 1)[1]  # "the interval from nephrectomy to pancreatic metastasis"
            label = f"time to {event}"
            last = event.split()[-1].lower()
            if last in ("progression", "recurrence", "relapse"):
                measure = by_id["TimeToProgression" if last == "progression" else "TimeToRecurrence"]
            end = ev.end()
        covered = end
        before = text[:start]
        points: tuple[tuple[float, str], ...] = ()
        tp = _TIME_PREFIX.search(before[-40:])
        qual_start = start
        if tp:
            points = _points(tp.group("points"), tp.group("unit"))
            qual_start = start - len(tp.group())
            inner = re.search(r"([\w-]+)\s+$", tp.group())
            if inner and inner.group(1).lower() in _QUALIFIERS and inner.group(1).lower() not in label \
                    and not re.match(r"\d", inner.group(1)):
                label = f"{inner.group(1)} {label}"  # "12-month intracranial PFS"
        else:
            ts = _TIME_SUFFIX.match(text, end)
            if ts:
                points = _points(ts.group("points"), ts.group("unit"))
        qualifier = _qualifier(text, qual_start, spans)
        if qualifier and qualifier.lower() not in label:
            label = f"{qualifier} {label}"
        stat = ""
        sm = _STATISTIC.search(text[max(0, qual_start - 30):qual_start])
        if sm:
            stat = "mean" if sm.group(1).lower().startswith(("mean", "aver")) else "median"
        else:
            sa = _STATISTIC_AFTER.match(text[end:end + 40])
            if sa:
                stat = "mean" if sa.group(1).lower().startswith(("mean", "aver")) else "median"
        out.append(MeasureMention(start, end, measure, label, stat, points))
    return out


def _lookup(form: str, forms: Mapping[str, Measure]) -> Measure:
    key = re.sub(r"[^a-z0-9]", "", form.lower())
    for f, m in forms.items():
        if re.sub(r"[^a-z0-9]", "", f) == key:
            return m
    raise KeyError(form)  # pragma: no cover - the pattern only matches the forms


def _qualifier(text: str, start: int, spans: list[tuple[int, int]]) -> str:
    """A site or scope word right before a measure: "intracranial response rate", "liver recurrence"."""
    before = text[:start].rstrip()
    for s, e in spans:
        if e == len(before) and e - s < 40:
            return text[s:e]
    words = re.findall(r"[\w-]+(?:\s+\d(?:-\d)?)?", before[-30:])
    if words and words[-1].lower() in _QUALIFIERS:
        if len(words) > 1 and words[-2].lower() in _QUALIFIERS:
            return f"{words[-2]} {words[-1]}"
        return str(words[-1])
    return ""


_DEFINES = re.compile(r"(?P<long>[A-Za-z][\w\s-]{2,60}?)\s*\(\s*(?P<short>[A-Z][A-Za-z0-9]{1,5})\s*[),;]")


def defined_measures(texts: Iterable[str]) -> dict[str, str]:
    """Short forms a document defines for a measure: "response rate (RR)" → {"RR": "ResponseRate"}."""
    out: dict[str, str] = {}
    pattern, forms = _form_pattern()
    for text in texts:
        for d in _DEFINES.finditer(text):
            words = d.group("long").split()
            for k in range(len(words)):
                tail = " ".join(words[k:])
                if pattern.fullmatch(tail):
                    key = re.sub(r"[\s-]+", " ", tail.lower())
                    out.setdefault(d.group("short"), (forms.get(key) or _lookup(tail, forms)).id)
                    break
    return out


