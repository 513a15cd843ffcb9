"""Who and what a sentence is about: the sentence's subject, its clauses, the persons it introduces.

The status of a single mention (negated, uncertain, hypothetical, historical,
family) is :mod:`oncograph.assertion`'s (ConText with medspaCy's rules); it is
re-exported here. Sentence-level rules say whether a sentence speaks of the
report's own patient, of the literature (a cited author, "previously
reported"), of a relative, or of tumours in general.
"""

from __future__ import annotations

import re

from .assertion import Assertion, assertion

__all__ = [
    "AGE_SEX",
    "Assertion",
    "SentenceKind",
    "assertion",
    "clause_bounds",
    "find_age_sex",
    "sentence_kind",
]

_CLAUSE_BREAK = re.compile(
    r";|:\s|\.\s|\bbut\b|\bwhereas\b|\bwhile\b|\balthough\b|\bhowever\b|\bexcept\b|"
    r",\s+and\s+(?=(?:the|a|an|his|her|its|it|there|he|she)\b)",
    re.IGNORECASE,
)

_FAMILY = re.compile(
    r"\b(?:family history|relatives?|mother|father|sister|brother|daughter|son|aunt|uncle|"
    r"grand(?:mother|father)|sibling|cousin|first-degree)\b",
    re.IGNORECASE,
)

_ANAPHOR = re.compile(
    r"\b(?:she|he|her|his|him|herself|himself|the patient|our patient|this patient|the (?:wo)?man|"
    r"the (?:fe)?male|in our cases?|in (?:the )?case \d|case \d patient|the case \d|"
    r"the (?:first|second|third) patient)\b",
    re.IGNORECASE,
)
_LITERATURE = re.compile(
    r"\bet al\b|\bin the literature\b|\bliterature\b|\b(?:has|have) (?:so far |previously )?been "
    r"(?:reported|published|described|documented)\b|\breported (?:by|in (?:the|\d{4}|\w+ \d{4}))\b|"
    r"\bpreviously (?:reported|described|published)\b|\bprevious (?:cases|reports|studies|series|papers)\b|"
    r"\bearlier (?:papers|reports|series|studies)\b|\bpublished\b|\bwe found only\b|\breview(?:ed)? the literature\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|underwent|showed|revealed|demonstrated|confirmed|received|presented|developed|"
    r"performed|found|given|observed|detected|noted|diagnosed|treated|resected|excised|removed|referred|"
    r"complained|switched|continued|started|began|appeared|stained|measured|taken|held|came|denied)\b",
    re.IGNORECASE,
)
_PRESENT_GENERIC = re.compile(
    r"\b(?:is|are|(?-i:may)|can|should|must|usually|often|commonly|rarely|typically|tends?|remains)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
_SUMMARY = re.compile(r"^\s*(?:we|here we|herein,? we|this (?:paper|report|article))\s+(?:describe|present|report)\b"
                      r"(?!.*\b\d{1,3}[- ]year[- ]old\b)", re.IGNORECASE)

AGE_SEX = (
    re.compile(
        r"\b(\d{1,3})[- ](year|yr|month|week|day)s?[- ]old\s+(?:(?:[A-Za-z]+)\s+){0,3}?"
        r"(woman|man|female|male|lady|girl|boy|gentleman|patient|child|infant|baby|neonate|newborn|toddler)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(woman|man|female|male|lady|girl|boy|gentleman|patient)\s+(?:aged|of)\s+(\d{1,3})\b"
        r"(?!\s*(?:cm|mm|%|\.\d))",
        re.IGNORECASE,
    ),
)
_PER_YEAR = {"year": 1, "yr": 1, "month": 12, "week": 52, "day": 365}
_SEX = {"woman": "female", "female": "female", "lady": "female", "girl": "female",
        "man": "male", "male": "male", "boy": "male", "gentleman": "male"}


class SentenceKind:
    """Labels for what a sentence speaks of."""

    PATIENT = "patient"
    CITED = "cited"
    FAMILY = "family"
    GENERIC = "generic"
    SUMMARY = "summary"


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """The clause of ``text`` around ``pos``: between the nearest breaks."""
    start, end = 0, len(text)
    for m in _CLAUSE_BREAK.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def sentence_kind(text: str) -> str:
    """Whether a sentence reports on the patient, the literature, a relative, or tumours in general."""
    if _LITERATURE.search(text):
        return SentenceKind.CITED
    if _FAMILY.search(text):
        return SentenceKind.FAMILY
    if _SUMMARY.search(text):
        return SentenceKind.SUMMARY
    if not _ANAPHOR.search(text) and not _YEAR.search(text):
        generic = len(_PRESENT_GENERIC.findall(text))
        past = len(_PAST.findall(text))
        if generic and generic >= past:
            return SentenceKind.GENERIC
    return SentenceKind.PATIENT


def find_age_sex(text: str) -> list[tuple[int, int, int, str | None]]:
    """Every ``(start, end, age, sex)`` introduction of a person in ``text``."""
    out = []
    for m in AGE_SEX[0].finditer(text):
        # an age in months, weeks or days is an age in whole years: a 5-month-old infant is 0
        years = int(m.group(1)) // _PER_YEAR[m.group(2).lower()]
        out.append((m.start(), m.end(), years, _SEX.get(m.group(3).lower())))
    for m in AGE_SEX[1].finditer(text):
        out.append((m.start(), m.end(), int(m.group(2)), _SEX.get(m.group(1).lower())))
    out.sort()
    return [o for o in out if 0 <= o[2] < 120]
