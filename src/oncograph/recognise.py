"""Mentions of vocabulary terms, dates, ages, doses and values in a sentence.

Terms are found by :mod:`oncograph.lexicon` (one automaton pass over the whole
vocabulary, with the rules written there); this module adds what a dictionary
cannot hold: vertebra levels written as ranges and lists ("T5–T9", "L1 and L3
vertebrae", "the vertebral bodies of C3 and C4"), and dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from . import lexicon as _lexicon
from .numerals import NUMBER_WORDS, number_value
from .terms import TermIndex, term_index

__all__ = [
    "DateMention",
    "Lexicon",
    "Mention",
    "find_dates",
    "lexicon",
    "number_value",
]

LYMPH_NODE = "UBERON:0000029"

#: sites that name a family of tumours rather than where one arose
FAMILY_SITES = frozenset({
    "UBERON:0001555",  # digestive tract ("gastrointestinal stromal tumour", "gastrointestinal neuroendocrine…")
    "UBERON:0001007",  # digestive system
    "ONC:SoftTissue",  # "soft tissue sarcoma"
})

#: the UBERON label of a vertebra by its level letter and number
_LEVEL_LABELS: dict[str, Callable[[int], str]] = {
    "C": lambda n: f"vertebral bone {n}" if n <= 2 else f"mammalian cervical vertebra {n}",
    "T": lambda n: f"thoracic vertebra {n}",
    "L": lambda n: f"lumbar vertebra {n}",
    "S": lambda n: f"sacral vertebra {n}",
}
_LEVEL_COUNT = {"C": 7, "T": 12, "L": 5, "S": 5}

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9

@dataclass(frozen=True)
class Mention:
    """A term found in a sentence; offsets are relative to the sentence text."""

    start: int
    end: int
    text: str
    term: str
    category: str
    adjective: bool = False
    #: for a tumour, the sites its own name states ("prostate adenocarcinoma", "sarcoma of the uterus")
    named_sites: tuple[str, ...] = ()


@dataclass(frozen=True)
class DateMention:
    """A date in a sentence: absolute (year, month) or relative (±years/months)."""

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    relative_years: int | None = None
    relative_months: int | None = None


class Lexicon:
    """Terms and vertebra levels in a sentence.

    Parameters
    ----------
    index : TermIndex
        The vocabulary's terms.
    matcher : oncograph.lexicon.Lexicon, optional
        The compiled automaton (the packaged one by default).
    """

    def __init__(self, index: TermIndex, matcher: _lexicon.Lexicon | None = None) -> None:
        self.index = index
        self.matcher = matcher or _lexicon.lexicon()
        self._levels: dict[tuple[str, int], str] = {}
        self._label_sites: dict[str, tuple[str, ...]] = {}
        self._station_of: dict[str, str | None] = {}
        # the site adjectives of forms.tsv, by the site they name ("axillary" → axilla)
        self._adjectives: dict[str, list[str]] = {}
        for row in _lexicon.table_rows("forms.tsv"):
            if row["kind"] == "adjective" and row["branch"] == "anatomy":
                t = index.vocab.find(row["label"], branch="anatomy")
                if t is not None:
                    self._adjectives.setdefault(t.curie, []).append(row["form"])
        for letter, label in _LEVEL_LABELS.items():
            for n in range(1, _LEVEL_COUNT[letter] + 1):
                t = index.vocab.find(label(n), branch="anatomy")
                if t is not None:
                    self._levels[(letter, n)] = t.curie

    def find(self, text: str) -> list[Mention]:
        """Every term mention in ``text``, longest first, no overlaps."""
        return self._mentions(text, self.matcher.find(text))

    def find_all(self, texts: Sequence[str]) -> list[list[Mention]]:
        """:meth:`find` for each of ``texts`` (a document's sentences), one pass of the automaton for all."""
        return [self._mentions(t, hits) for t, hits in zip(texts, self.matcher.find_all(texts), strict=True)]

    def _mentions(self, text: str, hits: list[_lexicon.Hit]) -> list[Mention]:
        found = [Mention(h.start, h.end, h.text, h.term, h.category, h.adjective,
                         self._named_sites(text, h.start, h.end, h.term) if h.category == "tumor" else ())
                 for h in hits]
        levels = list(self._vertebrae(text))
        if levels:
            # "L1 and L3 spine", "T5 and T9 vertebral bodies": the head noun belongs to the levels
            found = [f for f in found if not (f.category == "site" and any(
                0 <= f.start - lv.end <= 12 and re.fullmatch(r"[\s,and]*", text[lv.end:f.start]) for lv in levels)
                and re.match(r"(?i)spin|vertebr", f.text))]
            found = [f for f in found if not (f.category == "site" and re.match(r"(?i)vertebr", f.text) and any(
                0 <= lv.start - f.end <= 12 for lv in levels))]
            found = [f for f in found if not any(f.start < lv.end and lv.start < f.end for lv in levels)]
        found.extend(levels)
        found.sort(key=lambda x: (x.start, -(x.end - x.start)))
        out: list[Mention] = []
        for men in found:
            if out and men.start < out[-1].end:
                if men.end - men.start > out[-1].end - out[-1].start and men.start == out[-1].start:
                    out[-1] = men
                continue
            out.append(men)
        out = self._stations(text, out)
        # "HER2-positive breast cancer", "EGFR-mutant lung adenocarcinoma": a tumour named by a marker result
        # states that result too; the marker is a mention of its own inside the tumour's
        inner = [Mention(h.start, h.end, h.text, h.term, h.category, h.adjective)
                 for men in out if men.category == "tumor"
                 for h in self.matcher.find_within(text, men.start, men.end, "marker")]
        if inner:
            out = sorted(out + inner, key=lambda x: (x.start, -(x.end - x.start)))
        return out

    _STATION_GAP = re.compile(r"\s+(?:of|in|at)\s+(?:the\s+)?(?:(?:left|right|ipsilateral|contralateral|bilateral|"
                              r"both)\s+)?$", re.IGNORECASE)

    def _stations(self, text: str, found: list[Mention]) -> list[Mention]:
        """ "the lymph nodes of the axilla" is the axillary lymph node station, where the vocabulary has it."""
        out: list[Mention] = []
        i = 0
        while i < len(found):
            m = found[i]
            nxt = found[i + 1] if i + 1 < len(found) else None
            if (m.term == LYMPH_NODE and nxt is not None and nxt.category == "site"
                    and self._STATION_GAP.match(text[m.end:nxt.start] + "")):
                station = self._station(nxt.term)
                if station:
                    out.append(Mention(m.start, nxt.end, text[m.start:nxt.end], station, "site"))
                    i += 2
                    continue
            out.append(m)
            i += 1
        return out

    def _station(self, region: str) -> str | None:
        if region not in self._station_of:
            t = self.index.vocab.get(region)
            names = [*self._adjectives.get(region, ()), *((t.label,) if t is not None else ())]
            hit = None
            for name in names:
                hit = next((c for c in self.matcher.lookup(f"{name} lymph node")
                            if c != LYMPH_NODE and self.index.vocab.within(c, LYMPH_NODE)), None)
                if hit:
                    break
            self._station_of[region] = hit
        return self._station_of[region]

    def _named_sites(self, text: str, start: int, end: int, term: str) -> tuple[str, ...]:
        """The sites a tumour's name states: in the words written, else in the term's label ("NSCLC" is a
        non-small cell lung carcinoma, so it names the lung). A family named after a system or a tissue
        ("gastrointestinal stromal tumour", "soft tissue sarcoma") names no primary site."""
        written = tuple(i.term for i in self.matcher.find_within(text, start, end, "site")
                        if i.term not in FAMILY_SITES)
        if written:
            return written
        hit = self._label_sites.get(term)
        if hit is None:
            t = self.index.vocab.get(term)
            label = t.label if t is not None else ""
            hit = self._label_sites[term] = tuple(
                i.term for i in self.matcher.find_within(label, 0, len(label), "site") if i.term not in FAMILY_SITES)
        return hit

    _LEVEL_LIST = re.compile(
        r"(?<![\w-])([CTLS]\s?\d{1,2}(?:\s*(?:,|and|-|–|to|/)\s*[CTLS]?\s?\d{1,2})*)"
        r"(?=\s+(?:and\s+\w+\s+)?(?:vertebra|vertebrae|vertebral|spine|spinous|level|body|bodies)\b)"
    )
    _LEVEL_AFTER = re.compile(
        r"(?:vertebra|vertebrae|vertebral bod(?:y|ies))\s+(?:of\s+)?(?:the\s+)?"
        r"([CTLS]\s?\d{1,2}(?:\s*(?:,|and|-|–|to|/)\s*[CTLS]?\s?\d{1,2})*)(?![\w-])"
    )

    def _vertebrae(self, text: str) -> Iterable[Mention]:
        for regex in (self._LEVEL_LIST, self._LEVEL_AFTER):
            for m in regex.finditer(text):
                group = m.group(1)
                base = m.start(1)
                region = None
                for lm in re.finditer(r"([CTLS])?\s?(\d{1,2})", group):
                    region = lm.group(1) or region
                    if region is None:
                        continue
                    curie = self._levels.get((region, int(lm.group(2))))
                    if curie is not None:
                        yield Mention(base + lm.start(), base + lm.end(), lm.group().strip(), curie, "site")


@cache
def lexicon() -> Lexicon:
    """The lexicon of the packaged vocabulary."""
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
    """Absolute dates ("March 2003", "In 2017") and relative ones ("Six years later")."""
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
