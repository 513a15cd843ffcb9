"""Cohort studies as data: the study record and every figure of its abstract and results.

``cohort`` finds the cohort's size, design and population; ``measures`` names what a figure measures
from the vocabulary of ``ontology/measures.tsv``; ``numbers`` reads values, ranges, intervals and
p-values; ``figures`` gives each value its measure, time point and subgroup, and counts patients with
a characteristic; ``sites`` counts primary, metastatic and recurrence sites.

Only the abstract, methods and results speak of the study's own cohort. A sentence that attributes its
figures to another study ("Lee et al. reported…", "an earlier series", "[12]") speaks of no figure of the
cohort: :mod:`oncograph.claims` keeps it as that study's claim, wherever in the document it is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from ..facts import StudyArm, StudyFacts, StudySiteCount, StudyStatistic, StudyTreatmentCount
from ..relate import SentenceInfo
from .cohort import cited_source, cohort_size, stage_of, study_designs
from .figures import count_figures, sentence_figures
from .measures import MeasureMention, defined_measures
from .numbers import NUM, parse_number
from .sites import site_counts, site_shares

__all__ = ["STUDY_SECTIONS", "extract_study", "looks_like_study"]

STUDY_SECTIONS = {"abstract", "methods", "results"}
_TREATMENT_CATEGORIES = ("surgery", "radiotherapy", "systemic", "agent")
_TREATED_COUNT = re.compile(
    rf"(?:\b(?P<a>{NUM})\s+patients?\s+(?:who\s+)?(?:underwent|received)\b|\b(?:undertaken|performed|given|administered)"
    rf"\s+(?:to|in)\s+(?P<b>{NUM})\s+patients?)",
    re.IGNORECASE,
)
_EARLIER = re.compile(r"\b(?:progressed|progression|failure|failed|refractory|resistant|prior|previous|previously|"
                      r"earlier|"
                      r"after|despite)\b(?:\s+(?:on|to|of|with))?\s*(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_WHOLE_COHORT_SITE = re.compile(r"^\s*(?:with|having|who had)\s+[^,;.()]{0,80}?$", re.IGNORECASE)


def _own(infos: Sequence[SentenceInfo]) -> list[SentenceInfo]:
    return [i for i in infos if i.sentence.section.kind in STUDY_SECTIONS and cited_source(i.sentence.text) is None]


def looks_like_study(infos: Sequence[SentenceInfo]) -> bool:
    """Whether the document reports a cohort (a count of its own patients in its abstract or results)."""
    return cohort_size([i.sentence.text for i in _own(infos)]) is not None


def extract_study(infos: Sequence[SentenceInfo], defined: Mapping[str, str] | None = None) -> StudyFacts | None:
    """The study record of a document, or None if it reports no cohort of its own (``defined``: the document's
    short forms of measures, read from ``infos`` when not given)."""
    own = _own(infos)
    size = cohort_size([i.sentence.text for i in own])
    if size is None:
        return None
    n, n_index = size
    n_info = own[n_index]
    if defined is None:
        defined = defined_measures(i.sentence.text for i in infos)
    sites: list[StudySiteCount] = []
    stats: list[StudyStatistic] = []
    treatments: list[StudyTreatmentCount] = []
    tumor_types: list[str] = []
    carried: MeasureMention | None = None
    where: list[int] = []  # the section each figure was read in
    for info in own:
        text, mentions = info.sentence.text, info.mentions
        spans = [(m.start, m.end) for m in mentions if m.category == "site"]
        for m in mentions:
            if m.category == "tumor" and m.term not in tumor_types:
                tumor_types.append(m.term)
        counted = site_counts(text, mentions, info.evidence)
        sites.extend(counted)
        result = sentence_figures(text, info.evidence, defined=defined, sites=spans, carried=carried)
        carried = result.last
        here = (*result.figures, *site_shares(mentions, counted),
                *count_figures(text, info.evidence, cohort=n, site_spans=spans))
        stats.extend(here)
        where.extend([info.sentence.section.start] * len(here))
        treatments.extend(_treatment_counts(info))
    sites.extend(_whole_cohort_sites(n_info, n, sites))
    arms = tuple(StudyArm(s.measure, int(s.value), "", s.evidence) for s in stats
                 if s.measure_id == "PatientCount" and re.match(r"(?:group|arm|cohort)\s+\S+$", s.measure))
    title = next((i for i in infos if i.sentence.section.kind == "front"), None)
    head = [i.sentence.text for i in (*([title] if title else []), *own)
            if i.sentence.section.kind in ("front", "abstract", "methods")]
    for m in title.mentions if title else ():
        if m.category == "tumor" and m.term not in tumor_types:
            tumor_types.append(m.term)
    population = [m.term for i in (title, n_info) if i is not None for m in i.mentions
                  if m.category in _TREATMENT_CATEGORIES and not _EARLIER.search(i.sentence.text[:m.start])]
    return StudyFacts(
        n, tuple(tumor_types), tuple(_unique_sites(sites)), tuple(treatments), tuple(_unique(stats, where)),
        (n_info.evidence,), study_designs(head), tuple(dict.fromkeys(population)), stage_of(_opening(infos)),
        arms)


def _opening(infos: Sequence[SentenceInfo]) -> str:
    """The title, abstract and methods: where a study defines its population."""
    return " ".join(i.sentence.text for i in infos if i.sentence.section.kind in ("front", "abstract", "methods"))


def _treatment_counts(info: SentenceInfo) -> list[StudyTreatmentCount]:
    out = []
    procs = [x for x in info.mentions if x.category in _TREATMENT_CATEGORIES]
    for tm in _TREATED_COUNT.finditer(info.sentence.text):
        count = parse_number(tm.group("a") or tm.group("b"))
        if count and procs:
            after = [x for x in procs if x.start >= tm.start()]
            near = after[0] if after else procs[-1]
            out.append(StudyTreatmentCount(near.term, int(count), (info.evidence,)))
    return out


def _whole_cohort_sites(info: SentenceInfo, n: int, found: Iterable[StudySiteCount]) -> list[StudySiteCount]:
    """ "30 patients with liver metastases were included": every patient of the cohort had the site."""
    text = info.sentence.text
    size = re.search(rf"\b{re.escape(f'{n:,}') if n >= 1000 and f'{n:,}' in text else n}\s+\w*\s*(?:patients|"
                     rf"cases)\b", text)
    if not size:
        return []
    have = {(c.role, c.site) for c in found}
    out = []
    for m in info.mentions:
        if m.category != "site" or m.start < size.end():
            continue
        if not _WHOLE_COHORT_SITE.match(text[size.end():m.start]):
            break
        after = text[m.end:m.end + 25]
        role = "metastasis" if re.match(r"\s*(?:metastas[ie]s|metastasis|metastatic|"
                                        r"deposits?)\b", after, re.IGNORECASE) \
            else "recurrence" if re.match(r"\s*(?:recurrences?|relapses?)\b", after, re.IGNORECASE) else None
        if role and (role, m.term) not in have:
            out.append(StudySiteCount(role, m.term, n, (info.evidence,)))
        break
    return out


def _unique(stats: Sequence[StudyStatistic], sections: Sequence[int]) -> list[StudyStatistic]:
    """Each figure once: the same words and value, or a restatement (the results repeating the abstract's
    figure of the same measure, statistic and value without naming a subgroup)."""
    seen: set[tuple[str, float]] = set()
    said: dict[tuple[str, str, float, str], int] = {}
    out = []
    for s, section in zip(stats, sections, strict=True):
        key = (s.measure.lower(), s.value)
        family = "Survival" if s.measure_id == "OverallSurvival" else s.measure_id
        again = (family, s.statistic, s.value, s.unit)
        if key in seen or (again in said and said[again] != section and not s.subgroup
                           and s.measure_id != "PatientCount"):
            continue
        seen.add(key)
        said.setdefault(again, section)
        out.append(s)
    return out


def _unique_sites(counts: Iterable[StudySiteCount]) -> list[StudySiteCount]:
    seen: set[tuple[str, str, int]] = set()
    out = []
    for c in counts:
        if (c.role, c.site, c.count) not in seen:
            seen.add((c.role, c.site, c.count))
            out.append(c)
    return out
