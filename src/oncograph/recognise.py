"""Mentions of ontology terms, dates, ages, doses and values in a sentence.

The lexicon is made from the ontology's labels and exact synonyms (see
:mod:`oncograph.terms`); a few adjectives that name a site ("gastric",
"sacral") are declared here because they are not synonyms of the organ.
Matching compares runs of words by their letters and digits only (so "S-100",
"S 100" and "S100" are one key), longest run first, tolerant of plural endings,
in one pass of dictionary look-ups over the words; synonyms written in capitals
of up to five letters ("CT", "SMA", "GIST") match only in capitals.
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


_TOKEN = re.compile(r"[^\W_]+")
_GAP = re.compile(r"[\s-]*")


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
        # keys: the synonym's letters and digits run together ("S-100", "S100" → "s100")
        self._ci: dict[str, tuple[str, bool]] = {}
        self._cs: dict[str, tuple[str, bool]] = {}
        self._max_tokens = 1
        for (text, caps), value in sorted(entries.items()):
            tokens = _TOKEN.findall(text)
            if not tokens:
                continue
            self._max_tokens = max(self._max_tokens, len(tokens))
            if caps:
                self._cs.setdefault("".join(tokens), value)
            else:
                self._ci.setdefault("".join(tokens).lower(), value)

    def _lookup(self, raw: str) -> tuple[str, bool] | None:
        lower = raw.lower()
        for cut in (0, 1, 2):
            if cut and not lower.endswith("es"[2 - cut:]):
                continue
            cand = raw[: len(raw) - cut]
            hit = self._ci.get(cand.lower()) or self._cs.get(cand)
            if hit:
                return hit
        return None

    def find(self, text: str) -> list[Mention]:
        """Every term mention in ``text``, longest match first, no overlaps.

        Words are compared with their letters and digits only, so hyphens and
        spaces between words do not matter; a plural "s"/"es" may follow.
        """
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        joinable = [bool(_GAP.fullmatch(text[toks[j][1]:toks[j + 1][0]])) for j in range(len(toks) - 1)]
        found: list[Mention] = []
        i = 0
        while i < len(toks):
            start = toks[i][0]
            if start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum():
                i += 1  # "retro-orbital" is not "orbital"
                continue
            longest = 1
            while longest < self._max_tokens and i + longest < len(toks) and joinable[i + longest - 1]:
                longest += 1
            hit = None
            for n in range(longest, 0, -1):
                hit = self._lookup("".join(t for _, _, t in toks[i:i + n]))
                if hit:
                    end = toks[i + n - 1][1]
                    name, adjective = hit
                    found.append(Mention(start, end, text[start:end], name, self.index[name].category, adjective))
                    i += n
                    break
            if not hit:
                i += 1
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
