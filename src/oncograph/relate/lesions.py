"""Tumours and sites: the primary tumour and its site, metastases and recurrences, and what is only near them."""

from __future__ import annotations

import re

from ..context import assertion, clause_bounds
from ..recognise import Mention
from .drafts import PatientDraft, ReaderBase, SentenceInfo, When

__all__ = ["LesionReader"]

_MET_CUE = re.compile(
    r"\b(?:metasta\w*|spread|deposits?|lesions?|nodules?|masse?s?|infiltrat\w*|involv\w*|destruction|"
    r"recurr\w*|relapse\w*|tumou?rs?|implants?|seeding|thicken\w*|uptake|secondar\w*)\b",
    re.IGNORECASE,
)
_METASTATIC_WORD = re.compile(r"\b(?:metasta\w*|deposits?|secondar\w*|spread)\b", re.IGNORECASE)
_LATERALITY = re.compile(r"\b(left|right|bilateral|both)\s+(?:\w+\s+){0,1}$", re.IGNORECASE)
_DX_VERB = re.compile(r"\b(?:showed|revealed|confirmed|demonstrated|consistent with|diagnosed|diagnosis)\b",
                      re.IGNORECASE)
_EXAMINED = re.compile(r"\s*(?:scans?\s+)?(?:of|at)\s+(?:the\s+)?(?:[\w-]+,?\s+(?:and\s+)?){0,3}")
_QUALIFIED = re.compile(r"\s+(?:mass|component|swelling|destruction|lesions?|involvement|metastas[ie]s)\b")
# "a mass of the caecum", "a tumour arising in the stomach": a tumour not yet named, and its site
_GENERIC_TUMOUR_OF = re.compile("(?:\\b(?:tumou?r|mass|neoplasm|lesion)|[\u2018'\"\u201c][^\u2019'\"\u201d]{2,40}"
                                "[\u2019'\"\u201d])\\s+"
                                r"(?:of|in|arising\s+(?:in|from))\s+"
                                r"(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_GREW_AGAIN = re.compile(r"\b(?:recurr\w*|relaps\w*|regrow\w*|grew again|local(?:ly)? recurren\w*)", re.IGNORECASE)
_RECURRENT = re.compile(r"\brecurren\w*|\brelaps\w*", re.IGNORECASE)
# "hepatic metastases from a carcinoma of the breast": the later site is where the tumour came from
_ORIGIN_BEFORE = re.compile(r"\b(?:from|originating|arising|secondary\s+to)\b[^,;]*$", re.IGNORECASE)
_RESECT = re.compile(r"\b(resect(?:ed|ion|ions)?|excis(?:ed|ion|ions)?|removed|removal)\b(?!\s+margins?)",
                     re.IGNORECASE)
_RISK = re.compile(r"\b(very low|low|intermediate|high)[- ]risk\b", re.IGNORECASE)
# a site a lesion reaches, presses on or lies next to is its neighbour, not a lesion of its own
_NEIGHBOUR = re.compile(
    r"\b(?:(?:directly\s+)?(?:invad\w*|invasion\s+(?:of|into))\s+(?:into\s+)?(?:the\s+)?"
    r"(?:adjacent|neighbou?ring|surrounding|nearby|contiguous)|"
    r"across|reach\w*(?:\s+back)?\s+(?:in)?to|extend\w*\s+(?:in)?to|toward|towards|abutting|adjacent\s+to|"
    r"close\s+to|next\s+to|beside|alongside|near|compress\w*|displac\w*|encas\w*|abut\w*)\s+(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}(?:(?:portion|part|segment|wall|surface|side|margin|border|pole|aspect|edge|"
    r"tip|apex|base|dome|capsule)\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
# "buttock pain", "back ache": where a symptom is felt, not a lesion
_SYMPTOM_AFTER = re.compile(r"\s*(?:pain|ache|aches|tenderness|discomfort|numbness|weakness|paraesthesias?|"
                            r"paresthesias?|radiating)\b", re.IGNORECASE)
_QUOTES = {"‘": "’", "“": "”", "'": "'", '"': '"', "«": "»"}


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether a name is set in quotation marks: a label someone gave (a diagnosis later revised, a
    "so-called" entity), not a finding the report asserts."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return before in _QUOTES and after == _QUOTES[before]


class LesionReader(ReaderBase):
    """Tumours and sites (a part of :class:`~oncograph.relate.PatientExtractor`)."""

    def _tumors(self, p: PatientDraft, info: SentenceInfo, mentions: list[Mention], when: When) -> None:
        text = info.sentence.text
        sites = [m for m in mentions if m.category == "site"]
        for m in mentions:
            if m.category != "tumor":
                continue
            a = assertion(text, m.start, m.end)
            if not a.affirmed or _quoted(text, m.start, m.end):
                self._finding(p, "tumor", m.term, a, info, when)
                continue
            before = text[max(0, m.start - 40):m.start]
            metastatic = bool(re.search(r"(?:metastatic|metastasis (?:from|of)|metastases (?:from|of)|"
                                        r"arising from|secondary to|from)\s+(?:\w+\s+){0,2}$", before, re.IGNORECASE))
            risk = _RISK.search(text[max(0, m.start - 20):m.end])
            d = self._draft("tumor", m.term, self._at(text, when, m.start), info, metastatic=metastatic,
                            risk=risk.group(1).lower() if risk else None)
            p.tumors.append(d)
            # the site the tumour's own name states ("metastatic lung adenocarcinoma" too): the weakest link,
            # a default that a stated site refines
            for named in m.named_sites:
                p.primary_sites.append((1, self._draft("site", named, when, info)))
            if metastatic:
                # "a deposit secondary to a carcinoma of the kidney": the tumour it came from, and that
                # tumour's own site
                if not re.search(r"metastatic\s+(?:\w+\s+){0,2}$", before, re.IGNORECASE):
                    of = re.match(r"\s*(?:\([^)]{1,15}\)\s*)?of\s+(?:the\s+)?", text[m.end:m.end + 40])
                    for site in sites:
                        if of and site.start == m.end + of.end() and assertion(text, site.start, site.end).affirmed:
                            p.primary_sites.append((3, self._draft("site", site.term, when, info)))
                continue
            # the primary site: "<tumour> (ABBR) of the <site>", "<site adj> <tumour>",
            # "mass in <site> … showed <tumour>"
            after = text[m.end:m.end + 60]
            link = re.match(r"\s*(?:\([^)]{1,15}\)\s*)?(?:of|in|arising (?:in|from)|originating (?:in|from))\s+"
                            r"(?:the\s+)?", after)
            for site in sites:
                strength = 0
                adjacent = site.adjective and 0 <= m.start - site.end <= 25 and not re.search(
                    r"[,;.]|\b(?:and|or|with)\b", text[site.end:m.start])
                linked = link is not None and (site.start == m.end + link.end() or (
                    # "of the left breast": a side word between, or inside the site's own name
                    re.fullmatch(r"(?:left|right|bilateral|upper|lower)\s+", text[m.end + link.end():site.start])
                    is not None))
                if linked or adjacent:
                    strength = 3
                elif (re.search(r"\b(?:mass|tumou?r)\s+(?:\w+\s+){0,2}(?:in|at|of|on)\s+(?:the\s+)?(?:\w+\s+){0,2}$",
                                text[max(0, site.start - 40):site.start], re.IGNORECASE)
                      and _DX_VERB.search(text[site.end:m.start]) and site.end < m.start):
                    strength = 2
                elif (re.search(r"\b(?:resection|gastrectomy|resected)\b", text, re.IGNORECASE)
                      and re.search(r"\bdiagnos\w+", text, re.IGNORECASE)
                      and re.search(r"\b(?:of|from)\s+(?:the\s+)?(?:\w+\s+){0,1}$", text[:site.start])):
                    strength = 1
                if strength:
                    if not assertion(text, site.start, site.end).affirmed:
                        continue
                    p.primary_sites.append((strength, self._draft("site", site.term, when, info)))

    def _resected_site(self, p: PatientDraft, info: SentenceInfo, mentions: list[Mention], when: When) -> None:
        """ "a tumour of the ileum was resected": where the tumour was taken from, a weak primary site
        (not for a recurrence or a metastasis, and only where the sentence names no tumour type itself)."""
        text = info.sentence.text
        if any(m.category == "tumor" and not _quoted(text, m.start, m.end) for m in mentions) \
                or not _RESECT.search(text):
            return
        for m in mentions:
            if m.category != "site":
                continue
            cs, ce = clause_bounds(text, m.start)
            if (_GENERIC_TUMOUR_OF.search(text[max(cs, m.start - 50):m.start])
                    and not _METASTATIC_WORD.search(text[cs:ce]) and not _RECURRENT.search(text[cs:ce])
                    and assertion(text, m.start, m.end).affirmed):
                p.primary_sites.append((1, self._draft("site", m.term, when, info)))

    @staticmethod
    def _told_as_recurrence(text: str, clause_start: int, m: Mention) -> bool:
        """ "the tumour recurred in the uterus", "a local recurrence in the gastric bed": a recurrence word
        just before the site (or right after it), no metastasis word between."""
        before = text[max(clause_start, m.start - 60):m.start]
        return bool((_GREW_AGAIN.search(before) and not _METASTATIC_WORD.search(before))
                    or _GREW_AGAIN.match(text[m.end:m.end + 20].lstrip()))

    def _sites(self, p: PatientDraft, info: SentenceInfo, mentions: list[Mention], when: When) -> None:
        text = info.sentence.text
        site_ms = [m for m in mentions if m.category == "site"]
        runs: list[list[Mention]] = []
        for m in site_ms:
            if runs and re.fullmatch(r"[\s,]*(?:and|or|as well as)?[\s,]*(?:(?:to|in|at|of|into)\s+)?"
                                     r"(?:the\s+|an?\s+|both\s+)?(?:(?:left|right|bilateral)\s+)?",
                                     text[runs[-1][-1].end:m.start]):
                runs[-1].append(m)
            else:
                runs.append([m])
        examined: set[int] = set()
        for run in runs:
            for m in run:
                p.coordinated.setdefault(m.term, set()).update(o.term for o in run)
            # "an MRI of the neck and thorax": the regions examined, not lesions
            if any(o.category in ("imaging", "diagnostic") and _EXAMINED.fullmatch(text[o.end:run[0].start])
                   for o in mentions):
                examined.update(m.start for m in run)
            # "a head CT", "chest and abdominal MRI": a region that names the examination
            if any(o.category == "imaging" and re.fullmatch(r"[\s-]*", text[run[-1].end:o.start])
                   for o in mentions if o.start >= run[-1].end):
                examined.update(m.start for m in run)
        for i, m in enumerate(mentions):
            if m.category != "site":
                continue
            cs, ce = clause_bounds(text, m.start)
            clause = text[cs:ce]
            if m.start in examined or not _MET_CUE.search(clause):
                continue
            if _NEIGHBOUR.search(text[max(cs, m.start - 40):m.start]) or _SYMPTOM_AFTER.match(text, m.end):
                continue
            # "colorectal liver metastases", "breast bone metastases": a site adjective on another site names
            # where the metastases came from
            nxt_m = mentions[i + 1] if i + 1 < len(mentions) else None
            if (m.adjective and nxt_m is not None and nxt_m.category == "site" and not nxt_m.adjective
                    and re.fullmatch(r"[\s-]+", text[m.end:nxt_m.start])
                    and _METASTATIC_WORD.match(text, nxt_m.end + 1)):
                continue
            # "a soft tissue nodule in the deltoid": a site word that only qualifies the lesion
            nxt = text[m.end:m.end + 12]
            if _QUALIFIED.match(nxt) and any(
                    o.category == "site" and o.start > m.end and o.start < ce
                    and not _ORIGIN_BEFORE.search(text[m.end:o.start]) for o in mentions[i + 1:]):
                continue
            # a site named only as the object of a procedure ("biopsy of the bone marrow") is not a lesion
            a = assertion(text, m.start, m.end)
            before = text[max(cs, m.start - 25):m.start]
            lat = _LATERALITY.search(before)
            laterality = None
            if lat:
                laterality = "bilateral" if lat.group(1).lower() in ("bilateral", "both") else lat.group(1).lower()
            d = self._draft("metastasis", m.term, self._at(text, when, m.start), info, laterality=laterality,
                            explicit=bool(_METASTATIC_WORD.search(clause)),
                            recurrence=self._told_as_recurrence(text, cs, m))
            if a.affirmed:
                p.metastases.append(d)
            else:
                self._finding(p, "metastasis", m.term, a, info, when)
