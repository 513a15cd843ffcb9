"""Cohort figures of a study: patient count, site counts, rates and medians.

Only the abstract, methods and results speak of the study's own cohort; the
introduction's figures come from earlier series and are never read.
Statistics are rates, proportions, medians and p-values (a number with %, a
time unit or a p); bare counts of patients who underwent something are kept as
treatment counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from .context import SentenceKind, sentence_kind
from .facts import StudyFacts, StudySiteCount, StudyStatistic, StudyTreatmentCount
from .recognise import NUMBER_WORDS, Mention, number_value
from .relate import SentenceInfo

__all__ = ["STUDY_SECTIONS", "extract_study", "looks_like_study"]

STUDY_SECTIONS = {"abstract", "methods", "results"}

_NUM = r"(\d[\d,]*|" + "|".join(sorted((w for w in NUMBER_WORDS if len(w) > 2), key=len, reverse=True)) + r")"
_N_PATIENTS = re.compile(
    rf"\b{_NUM}\s+(?:consecutive\s+|eligible\s+|adult\s+)?(?:patients|cases|subjects|individuals)\b",
    re.IGNORECASE,
)
_COHORT_VERB = re.compile(
    r"\b(?:identified|included|enrolled|analy[sz]ed|reviewed|recruited|studied|underwent|were treated|"
    r"registered|extracted|evaluated)\b",
    re.IGNORECASE,
)
_PCT = r"(\d+(?:\.\d+)?)\s*%"
_PRESENT_IN = re.compile(
    rf"(?P<subject>[A-Za-z][\w\s-]{{2,60}}?)\s+(?:was|were)?\s*(?:present|documented|seen|observed|found|"
    rf"developed|occurred|reported)?\s*in\s+{_NUM}(?:\s+(?:of\s+(?:them|these(?:\s+\d+)?|the\s+\w+)|patients?|cases?))*\s*"
    rf"\(\s*{_PCT}\s*\)",
    re.IGNORECASE,
)
_SURVIVAL_PAIR = re.compile(
    r"(\d+)\s*-?\s*and\s*(\d+)\s*-?\s*year\s+((?:overall\s+|disease-free\s+|recurrence-free\s+|progression-free\s+)?"
    r"survival)(?:\s+rates?)?\s+(?:were|of|was)\s+(\d+(?:\.\d+)?)\s*%?\s*and\s+(\d+(?:\.\d+)?)\s*%",
    re.IGNORECASE,
)
_SURVIVAL_ONE = re.compile(
    r"(\d+)\s*-?\s*year\s+((?:overall\s+|disease-free\s+|recurrence-free\s+|progression-free\s+)?survival|"
    r"OS|DFS|RFS|PFS|DSS)"
    r"(?:\s+rate)?\s+(?:was|of|were)\s+(\d+(?:\.\d+)?)\s*%",
    re.IGNORECASE,
)
_MEDIAN = re.compile(
    r"\bmedian\s+((?:overall\s+|disease-free\s+|recurrence-free\s+|progression-free\s+)?survival)?"
    r"(?:\s+time)?\s*(?:was|of|were)?\s*(\d+(?:\.\d+)?)\s*(?:\([^)]*\)\s*)?(months?|years?|weeks?|days?)"
    r"(?P<rest>(?:\s+with\s+[\w\s-]+?)?(?:(?:,\s*|\s+and\s+)\d+(?:\.\d+)?\s*(?:months?|years?)\s+with\s+[\w\s-]+?)*)"
    r"(?=[,.;]|\s+each|\s+and\s+[a-z]|$)",
    re.IGNORECASE,
)
_WITH_VALUE = re.compile(r"(\d+(?:\.\d+)?)\s*(months?|years?)\s+(with\s+[\w\s-]+?)(?=,|\s+and\s+\d|$)",
                         re.IGNORECASE)
_SITE_COUNT = re.compile(rf"^\s*(?:the\s+)?(?:\w+\s+)?in\s+{_NUM}\b", re.IGNORECASE)
_TREATED_COUNT = re.compile(
    rf"(?:\b{_NUM}\s+patients?\s+(?:who\s+)?underwent\b|\bundertaken\s+in\s+{_NUM}\s+patients?|"
    rf"\bperformed\s+in\s+{_NUM}\s+patients?|\bunderwent\b[^.]*?\bin\s+{_NUM}\s+patients?)",
    re.IGNORECASE,
)


_ABBREVIATIONS = {"os": "overall survival", "dfs": "disease-free survival", "rfs": "recurrence-free survival",
                  "pfs": "progression-free survival", "dss": "disease-specific survival"}


def _n(word: str) -> int | None:
    return number_value(word.replace(",", ""))


def looks_like_study(infos: Sequence[SentenceInfo]) -> bool:
    """Whether the document reports a cohort (a count of its own patients in its abstract or results)."""
    return _cohort_size(infos) is not None


def _cohort_sentences(infos: Sequence[SentenceInfo]) -> Iterator[SentenceInfo]:
    """Sentences that speak of the study's own cohort: abstract, methods, results; no citations."""
    for info in infos:
        if info.sentence.section.kind in STUDY_SECTIONS and sentence_kind(info.sentence.text) != SentenceKind.CITED:
            yield info


def _cohort_size(infos: Sequence[SentenceInfo]) -> tuple[int, SentenceInfo] | None:
    for info in _cohort_sentences(infos):
        text = info.sentence.text
        for m in _N_PATIENTS.finditer(text):
            n = _n(m.group(1))
            if n and n >= 3 and _COHORT_VERB.search(text) and not re.search(r"\bof\s*$", text[:m.start()]):
                return n, info
    return None


def extract_study(infos: Sequence[SentenceInfo]) -> StudyFacts | None:
    """The cohort figures of a study document, or None if it reports no cohort."""
    size = _cohort_size(infos)
    if size is None:
        return None
    n, n_info = size
    site_counts: list[StudySiteCount] = []
    treatments: list[StudyTreatmentCount] = []
    stats: list[StudyStatistic] = []
    tumor_types: list[str] = []
    for info in _cohort_sentences(infos):
        text = info.sentence.text
        ev = (info.evidence,)
        for m in info.mentions:
            if m.category == "tumor" and m.term not in tumor_types:
                tumor_types.append(m.term)
        site_counts.extend(_site_counts(text, info.mentions, ev))
        stats.extend(_statistics(text, info.mentions, ev))
        for tm in _TREATED_COUNT.finditer(text):
            count = next((_n(g) for g in tm.groups() if g), None)
            procs = [x for x in info.mentions if x.category in ("surgery", "radiotherapy", "systemic", "agent")]
            if count and procs:
                before = [x for x in procs if x.start < tm.end()]
                near = before[0] if before else procs[0]
                treatments.append(StudyTreatmentCount(near.term, count, ev))
    seen: set[tuple[object, ...]] = set()
    uniq_stats = []
    for s in stats:
        key = (s.measure, s.value)
        if key not in seen:
            seen.add(key)
            uniq_stats.append(s)
    return StudyFacts(n, tuple(tumor_types), tuple(site_counts), tuple(treatments), tuple(uniq_stats),
                      (n_info.evidence,))


def _site_counts(text: str, mentions: Sequence[Mention], ev: tuple[object, ...]) -> list[StudySiteCount]:
    out = []
    primary_context = bool(re.search(r"\bprimary\s+(?:sites?|tumou?rs?|locations?)\b", text, re.IGNORECASE))
    for m in mentions:
        if m.category != "site":
            continue
        after = text[m.end:m.end + 40]
        role = None
        met = re.match(r"\s+metastas[ie]s\b", after, re.IGNORECASE)
        if met:
            role = "metastasis"
            after = after[met.end():]
        elif primary_context:
            role = "primary"
        if role is None:
            continue
        cm = re.match(rf"\s*(?:was\s+present\s+|was\s+found\s+|occurred\s+)?in\s+{_NUM}\b", after, re.IGNORECASE)
        cm = cm or re.match(r"\s*\(\s*n\s*=\s*(\d+)", after, re.IGNORECASE)
        if not cm:
            continue
        count = _n(cm.group(1))
        if count is not None:
            out.append(StudySiteCount(role, m.term, count, ev))  # type: ignore[arg-type]
    return out


def _statistics(text: str, mentions: Sequence[Mention], ev: tuple[object, ...]) -> list[StudyStatistic]:
    out: list[StudyStatistic] = []
    for m in _SURVIVAL_PAIR.finditer(text):
        kind = " ".join(m.group(3).lower().split())
        out.append(StudyStatistic(f"{m.group(1)}-year {kind} rate", float(m.group(4)), "%", None, ev))  # type: ignore[arg-type]
        out.append(StudyStatistic(f"{m.group(2)}-year {kind} rate", float(m.group(5)), "%", None, ev))  # type: ignore[arg-type]
    if not out:
        for m in _SURVIVAL_ONE.finditer(text):
            kind = " ".join(m.group(2).lower().split())
            kind = _ABBREVIATIONS.get(kind, kind)
            out.append(StudyStatistic(f"{m.group(1)}-year {kind} rate", float(m.group(3)), "%", None, ev))  # type: ignore[arg-type]
    for m in _MEDIAN.finditer(text):
        what = m.group(1)
        if not what:
            sm = re.search(r"\b((?:overall\s+|disease-free\s+|recurrence-free\s+|progression-free\s+)?survival)\b",
                           text, re.IGNORECASE)
            if not sm:
                continue
            what = sm.group(1)
        what = " ".join(what.lower().split())
        unit = m.group(3).lower().rstrip("s") + "s"
        rest = m.group("rest") or ""
        first_with = re.match(r"\s+(with\s+[\w\s-]+?)(?=,|\s+and\s+\d|$)", rest)
        measure = f"median {what}" + (f" {first_with.group(1).strip()}" if first_with else "")
        out.append(StudyStatistic(measure, float(m.group(2)), unit, None, ev))  # type: ignore[arg-type]
        for wm in _WITH_VALUE.finditer(rest[first_with.end() if first_with else 0:]):
            out.append(StudyStatistic(f"median {what} {wm.group(3).strip()}", float(wm.group(1)),
                                      wm.group(2).lower().rstrip("s") + "s", None, ev))  # type: ignore[arg-type]
    previous: list[tuple[str, int | None]] = []
    for m in _PRESENT_IN.finditer(text):
        subject = " ".join(m.group("subject").split())
        subject = re.sub(r"^(?:and|or|with|in|the|of|whereas|while)\s+", "", subject, flags=re.IGNORECASE)
        subject = re.sub(r"\s+(?:was|were)$", "", subject, flags=re.IGNORECASE).strip()
        if not subject or subject.lower() in ("them", "patients"):
            continue
        count = _n(m.group(2))
        measure = f"proportion with {subject.lower()}"
        # "in 4 of these 11 cases": a share of the group counted just before
        these = re.search(r"\bof\s+these\s+(\d+)", m.group())
        if these:
            base = next((s for s, c in reversed(previous) if c == int(these.group(1))), None)
            if base:
                measure += f" among those with {base}"
        previous.append((subject.lower(), count))
        out.append(StudyStatistic(measure, float(m.group(3)), "%", count, ev))  # type: ignore[arg-type]
    del mentions
    return out
