"""Site counts of a cohort: how many patients had their primary tumour, a metastasis or a recurrence at a site.

The role comes from the words around the site ("liver metastases", "the primary arose in", "recurred
in the peritoneum"), the nearest cue before the site winning; the count is written right after the
site ("the liver (n = 85)", "the peritoneum in 40", "bone, 9 (4%)") or opens its clause ("three arose in
the ileum", "eleven primary tumours were rectal").

>>> from oncograph.recognise import Mention
>>> text = "Metastases involved the liver in 85 patients and bone in 9."
>>> at = {w: text.index(w) for w in ("liver", "bone")}
>>> ms = [Mention(at["liver"], at["liver"] + 5, "liver", "UBERON:0002107", "site"),
...       Mention(at["bone"], at["bone"] + 4, "bone", "UBERON:0001474", "site")]
>>> [(c.role, c.site, c.count) for c in site_counts(text, ms)]
[('metastasis', 'UBERON:0002107', 85), ('metastasis', 'UBERON:0001474', 9)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..facts import Evidence, StudySiteCount, StudyStatistic
from ..recognise import Mention
from .numbers import NUM, parse_number

__all__ = ["ROLE_WORDS", "site_counts", "site_shares"]

ROLE_WORDS = {"primary": "primary tumour", "metastasis": "metastasis", "recurrence": "recurrence"}

_CUES = [
    ("primary", re.compile(r"\bprimar(?:y|ies)\b|\barose\b|\barising\b|\boriginat\w*|\bsites? of "
                           r"origin\b", re.IGNORECASE)),
    ("metastasis", re.compile(r"\bmetasta\w*|\bdeposits?\b|\bspread\b|\bsecondar(?:y|ies)\b|\bdissemina\w*|"
                              r"\bsatellite\b", re.IGNORECASE)),
    ("recurrence", re.compile(r"\brecurr\w*|\brelaps\w*", re.IGNORECASE)),
]
_ROLE_AFTER = re.compile(r"^\s+(?:(?P<metastasis>metastas[ie]s|metastasis|metastatic|deposits?|secondaries)|"
                         r"(?P<recurrence>recurrences?|relapses?))\b", re.IGNORECASE)
_NOT_COUNT = r"(?!\s*(?:%|per\s?cent|percent|months?|years?|weeks?|days?|mm|cm|mg|gy)\b|\d|[.,]\d|\s*[-–]\s*\d)"
_COUNT_AFTER = [
    re.compile(rf"^\s*\(\s*(?:n\s*[=:]\s*)?(?P<n>\d+){_NOT_COUNT}(?:\s*(?:patients?|cases?))?"
               rf"(?:\s*[,;]\s*(?P<pct>\d+(?:\.\d+)?)\s*%)?\s*\)", re.IGNORECASE),
    re.compile(r"^\s*[:,]\s*(?P<n>\d+)\s*\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\)", re.IGNORECASE),
    re.compile(rf"^\s*(?:metastas[ie]s|metastasis|recurrences?|relapses?|primar(?:y|ies)|tumou?rs?)?\s*"
               r"(?:(?:was|were)\s+)?(?:(?:present|found|seen|detected|observed|documented|diagnosed|identified|"
               rf"noted|involved|affected)\s+)?in\s+(?P<n>{NUM}){_NOT_COUNT}"
               r"(?:\s+(?:of\s+(?:them|these|those|the\s+\w+)|patients?|cases?))*"
               r"(?:\s*\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%[^()]{0,40}\))?", re.IGNORECASE),
]
_COUNT_BEFORE = re.compile(
    rf"(?:^|[,;:]\s*|\band\s+|\bwhile\s+|\bwhereas\s+)(?P<n>{NUM}){_NOT_COUNT}(?:\s*\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\))?"
    r"\s+(?:(?:[\w-]+\s+){0,3}?"
    r"(?:were|was|arose|originated|occurred|lay|located|developed|involved|had|recurred|relapsed)\b"
    r"(?:\s+(?:located|found|situated|seen))?\s*(?:in|at|from|on|within|to)?|in|at|from|on)\s*(?:the\s+)?$",
    re.IGNORECASE,
)


def _role(text: str, m: Mention) -> str | None:
    after = _ROLE_AFTER.match(text[m.end:])
    if after:
        return "metastasis" if after.group("metastasis") else "recurrence"
    before = text[:m.start]
    best: tuple[int, str] | None = None
    for role, cue in _CUES:
        for c in cue.finditer(before):
            if best is None or c.start() > best[0]:
                best = (c.start(), role)
    if best is not None:
        return best[1]
    for role, cue in _CUES:
        if cue.search(text[m.end:m.end + 60]):
            return role
    return None


def _count(text: str, m: Mention) -> tuple[int, float | None] | None:
    rest = text[m.end:]
    for p in _COUNT_AFTER:
        c = p.match(rest)
        if c:
            n = parse_number(c.group("n"))
            if n is not None and n < 1900:
                return int(n), (float(c.group("pct")) if c.group("pct") else None)
    b = _COUNT_BEFORE.search(text[:m.start])
    if b:
        n = parse_number(b.group("n"))
        if n is not None and n < 1900:
            return int(n), (float(b.group("pct")) if b.group("pct") else None)
    return None


def site_counts(text: str, mentions: Sequence[Mention], evidence: Evidence | None = None) -> list[StudySiteCount]:
    """The site counts one sentence of a study states."""
    ev = (evidence,) if evidence is not None else ()
    out: list[StudySiteCount] = []
    for m in mentions:
        if m.category != "site":
            continue
        count = _count(text, m)
        if count is None:
            continue
        role = _role(text, m)
        if role is None:
            continue
        out.append(StudySiteCount(role, m.term, count[0], ev, count[1]))
    return out


def site_shares(mentions: Sequence[Mention], counts: Sequence[StudySiteCount]) -> list[StudyStatistic]:
    """The share of the cohort each counted site stands for, as a figure ("proportion with liver metastasis")."""
    out = []
    by_term = {m.term: m for m in mentions if m.category == "site"}
    for c in counts:
        if c.share is None:
            continue
        m = by_term.get(c.site)
        name = m.text.lower() if m else c.site
        out.append(StudyStatistic(f"proportion with {name} {ROLE_WORDS[c.role]}", c.share, "%", c.count, c.evidence,
                                  "Prevalence", "rate", subgroup=f"{name} {ROLE_WORDS[c.role]}"))
    return out
