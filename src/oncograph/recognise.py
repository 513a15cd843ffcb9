"""Mentions of ontology terms, dates, ages, doses and values in a sentence.

The lexicon is made from the ontology's labels and exact synonyms (see
:mod:`oncograph.terms`); a few adjectives that name a site ("gastric",
"sacral") are declared here because they are not synonyms of the organ.
Matching is case-insensitive, longest first, on word boundaries, tolerant of
plural endings and of hyphen/space variants ("S-100", "S100"); synonyms written
in capitals of up to five letters ("CT", "SMA", "GIST") match only in capitals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .terms import TermIndex, term_index

__all__ = [
    "ADJECTIVES",
    "DateMention",
    "Lexicon",
    "Mention",
    "find_dates",
    "lexicon",
    "number_value",
]

#: adjectives that name an anatomical site, by the label of the site term
ADJECTIVES: dict[str, tuple[str, ...]] = {
    "stomach": ("gastric",),
    "liver": ("hepatic", "intrahepatic"),
    "lung": ("pulmonary",),
    "sacrum": ("sacral",),
    "vertebral column": ("spinal", "spine"),
    "omentum": ("omental",),
    "orbit of skull": ("orbital",),
    "retroperitoneal space": ("retroperitoneal",),
    "skin of body": ("cutaneous", "dermal"),
    "bone element": ("osseous", "skeletal", "bony"),
    "lymph node": ("nodal",),
    "peritoneum": ("peritoneal",),
    "duodenum": ("duodenal",),
    "colon": ("colonic",),
    "rectum": ("rectal",),
    "esophagus": ("esophageal", "oesophageal"),
    "spleen": ("splenic",),
    "pancreas": ("pancreatic",),
    "kidney": ("renal",),
    "adrenal gland": ("adrenal",),
    "brain": ("cerebral", "intracranial"),
    "small intestine": ("intestinal",),
    "rib": ("costal",),
    "bony pelvis": ("pelvic",),
    "ilium": ("iliac",),
    "femur": ("femoral",),
    "mesentery": ("mesenteric",),
    "bone marrow": ("marrow",),
}

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "single": 1,
}


def number_value(word: str) -> int | None:
    """The integer a numeral or number word ("13", "Thirteen", "twenty-one") stands for."""
    w = word.strip().lower().replace(",", "")
    if w.isdigit():
        return int(w)
    if "-" in w:
        parts = [NUMBER_WORDS.get(p) for p in w.split("-")]
        if all(p is not None for p in parts) and len(parts) == 2:
            return (parts[0] or 0) + (parts[1] or 0)
    return NUMBER_WORDS.get(w)


@dataclass(frozen=True)
class Mention:
    """A term found in a sentence; offsets are relative to the sentence text."""

    start: int
    end: int
    text: str
    term: str
    category: str
    adjective: bool = False


@dataclass(frozen=True)
class DateMention:
    """A date in a sentence: absolute (year, month) or relative (±years/months)."""

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    relative_years: int | None = None
    relative_months: int | None = None


def _variant_pattern(synonym: str) -> str:
    parts = re.split(r"(\s+|-)", synonym.strip())
    out = []
    for part in parts:
        if not part:
            continue
        if part.isspace():
            out.append(r"[\s-]+")
        elif part == "-":
            out.append(r"[-\s]?")
        else:
            out.append(re.escape(part))
    body = "".join(out)
    # a word ending in a letter may take a plural ending
    if re.search(r"[A-Za-z]$", synonym):
        body += r"(?:e?s)?"
    return body


class Lexicon:
    """A compiled matcher for every term of a :class:`~oncograph.terms.TermIndex`."""

    def __init__(self, index: TermIndex) -> None:
        self.index = index
        entries: dict[tuple[str, bool], tuple[str, bool]] = {}
        for term in index:
            for text in (term.label, *term.synonyms):
                text = text.strip()
                if len(text) < 2:
                    continue
                caps = text.isupper() and len(text.replace("-", "")) <= 5
                key = (text if caps else text.lower(), caps)
                entries.setdefault(key, (term.name, False))
            for adj in ADJECTIVES.get(term.label, ()):
                entries.setdefault((adj, False), (term.name, True))
        self._lookup_ci: dict[str, tuple[str, bool]] = {}
        self._lookup_cs: dict[str, tuple[str, bool]] = {}
        ci, cs = [], []
        for (text, caps), value in sorted(entries.items(), key=lambda kv: -len(kv[0][0])):
            if caps:
                cs.append(_variant_pattern(text))
                self._lookup_cs[self._key(text)] = value
            else:
                ci.append(_variant_pattern(text))
                self._lookup_ci[self._key(text)] = value
        border = r"(?<![\w-])(?:{})(?![\w])"
        self._ci = re.compile(border.format("|".join(ci)), re.IGNORECASE) if ci else None
        self._cs = re.compile(border.format("|".join(cs))) if cs else None

    @staticmethod
    def _key(text: str) -> str:
        return re.sub(r"[\s-]+", "", text.lower())

    def _resolve(self, found: str, case_sensitive: bool) -> tuple[str, bool] | None:
        table = self._lookup_cs if case_sensitive else self._lookup_ci
        key = self._key(found)
        for cand in (key, key[:-1] if key.endswith("s") else None, key[:-2] if key.endswith("es") else None):
            if cand and cand in table:
                return table[cand]
        return None

    def find(self, text: str) -> list[Mention]:
        """Every term mention in ``text``, longest match first, no overlaps."""
        found: list[Mention] = []
        for regex, cs in ((self._ci, False), (self._cs, True)):
            if regex is None:
                continue
            for m in regex.finditer(text):
                hit = self._resolve(m.group(), cs)
                if hit is None:
                    continue
                name, adjective = hit
                found.append(Mention(m.start(), m.end(), m.group(), name,
                                     self.index[name].category, adjective))
        levels = list(self._vertebrae(text))
        if levels:
            # "L1 and L3 spine", "T5 and T9 vertebral bodies": the head noun belongs to the levels
            found = [f for f in found if not (f.category == "site" and any(
                0 <= f.start - lv.end <= 12 and re.fullmatch(r"[\s,and]*", text[lv.end:f.start]) for lv in levels)
                and re.match(r"(?i)spin|vertebr", f.text))]
            found = [f for f in found if not (f.category == "site" and re.match(r"(?i)vertebr", f.text) and any(
                0 <= lv.start - f.end <= 12 for lv in levels))]
        found.extend(levels)
        found.sort(key=lambda x: (x.start, -(x.end - x.start)))
        out: list[Mention] = []
        for men in found:
            if out and men.start < out[-1].end:
                if men.end - men.start > out[-1].end - out[-1].start and men.start == out[-1].start:
                    out[-1] = men
                continue
            out.append(men)
        return out

    _LEVEL = r"([CTL])\s?(\d{1,2})"
    _LEVEL_LIST = re.compile(
        r"(?<![\w-])([CTL]\s?\d{1,2}(?:\s*(?:,|and|-|–|to|/)\s*[CTL]?\s?\d{1,2})*)"
        r"(?=\s+(?:and\s+\w+\s+)?(?:vertebra|vertebrae|vertebral|spine|spinous|level|body|bodies)\b)"
    )
    _LEVEL_AFTER = re.compile(
        r"(?:vertebra|vertebrae|vertebral bod(?:y|ies))\s+(?:of\s+)?(?:the\s+)?"
        r"([CTL]\s?\d{1,2}(?:\s*(?:,|and|-|–|to|/)\s*[CTL]?\s?\d{1,2})*)(?![\w-])"
    )

    def _vertebrae(self, text: str) -> Iterable[Mention]:
        for regex in (self._LEVEL_LIST, self._LEVEL_AFTER):
            for m in regex.finditer(text):
                group = m.group(1)
                base = m.start(1)
                region = None
                for lm in re.finditer(r"([CTL])?\s?(\d{1,2})", group):
                    region = lm.group(1) or region
                    if region is None:
                        continue
                    term = self.index.find_label(f"{region}{int(lm.group(2))} vertebra")
                    if term is not None:
                        yield Mention(base + lm.start(), base + lm.end(), lm.group().strip(),
                                      term.name, "site")


@cache
def lexicon() -> Lexicon:
    """The lexicon of the packaged ontology."""
    return Lexicon(term_index())


_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ABS_DATE = re.compile(
    rf"\b(?:(?P<month>{_MONTH_RE})\.?,?\s+(?:\d{{1,2}},?\s+)?)?(?P<year>(?:19[5-9]\d|20[0-4]\d))\b(?!\s*(?:patients|cases|mg|%))",
    re.IGNORECASE,
)
_NUM = r"(\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"|(?:twenty|thirty)-\w+)"
_REL_DATE = re.compile(
    rf"\b{_NUM}\s+(years?|months?)\s+(later|after(?:wards)?|thereafter|earlier|before|previously|ago|prior)\b",
    re.IGNORECASE,
)


def find_dates(text: str) -> list[DateMention]:
    """Absolute dates ("March 2003", "In 2017") and relative ones ("Thirteen years later")."""
    out: list[DateMention] = []
    for m in _ABS_DATE.finditer(text):
        # not a reference list, page range or volume: "2005 Jun;35(6)" is fine, "(2019)" in front matter is fine
        month = _MONTHS.get((m.group("month") or "").lower().rstrip("."))
        out.append(DateMention(m.start(), m.end(), int(m.group("year")), month))
    for m in _REL_DATE.finditer(text):
        n = number_value(m.group(1))
        if n is None or (m.group(1).lower() in ("a", "an") and False):
            continue
        sign = 1 if m.group(3).lower().startswith(("later", "after", "there")) else -1
        if m.group(2).lower().startswith("year"):
            out.append(DateMention(m.start(), m.end(), relative_years=sign * n))
        else:
            out.append(DateMention(m.start(), m.end(), relative_months=sign * n))
    out.sort(key=lambda d: d.start)
    return out
