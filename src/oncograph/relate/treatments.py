"""Treatments: drugs with their own doses and dose changes, lines and intent, radiotherapy, operations."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..context import assertion, clause_bounds
from ..numerals import ORDINALS
from ..quantities import dose_after, dose_change, fractions, pair_radiation, radiation_doses
from ..recognise import Mention
from .drafts import PatientDraft, ReaderBase, SentenceInfo, When
from .lesions import _RESECT

__all__ = ["TreatmentReader"]

_MET_WORD = re.compile(r"\b(?:metasta\w*|deposits?|lesions?|nodules?|recurren\w*)\b", re.IGNORECASE)

# a line of therapy: "second-line sunitinib", "sunitinib as third-line therapy"
_LINE_BEFORE = re.compile(r"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th)[- ]line\s+(?:\w+\s+){0,3}$",
                          re.IGNORECASE)
_LINE_AFTER = re.compile(r"^\s*(?:was\s+\w+\s+)?(?:as|in the)\s+(?:a\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|"
                         r"fifth|5th)[- ]line\b", re.IGNORECASE)
def _line_of(text: str, start: int, end: int) -> int | None:
    m = _LINE_BEFORE.search(text[max(0, start - 40):start]) or _LINE_AFTER.match(text[end:end + 50])
    return ORDINALS[m.group(1).lower()] if m else None


_INTENT = re.compile(r"\b(adjuvant|neoadjuvant|palliative|curative|salvage|maintenance)\b", re.IGNORECASE)


_SWITCH = re.compile(r"\bswitch\w*\b[^.]*?\b(?:to|with)\b", re.IGNORECASE)


# a substance measured, not given: a concentration after it, or a laboratory word around it
_CONCENTRATION = (r"\d+(?:[.,]\d+)?\s*(?:mg|g|µg|μg|ug|ng|pg|mmol|µmol|μmol|umol|nmol|pmol|meq|mEq|u|U|iu|IU|"
                  r"mU|mIU|kU)\s*/\s*(?:d[lL]|[lL]|m[lL]|24\s*h)\b")


_MEASURED_AFTER = re.compile(
    r"^\s*(?:\([^)]{1,20}\)\s*)?(?:levels?|concentrations?|values?|titers?|titres?)?\s*[:=,]?\s*"
    r"(?:(?:was|were|is|are|of|at|rose to|fell to)\s+)?(?:\w+ly\s+)?"
    r"(?:elevated|raised|normal|high|low|within|above|below|" + _CONCENTRATION + r")",
    re.IGNORECASE)


_MEASURED_BEFORE = re.compile(
    r"(?:\b(?:serum|plasma|blood|urine|urinary)\s+|\b(?:levels?|concentrations?) of\s+(?:the\s+)?)$", re.IGNORECASE)


#: the drug classes a report names as a therapy of the tumour ("received immune checkpoint inhibitors")
_THERAPY_CLASSES = frozenset({
    "MESH:D000970",  # Antineoplastic Agents (their immunological, hormonal… subclasses)
    "MESH:D050071",  # Bone Density Conservation Agents
    "MESH:D000911",  # Antibodies, Monoclonal
    "MESH:D004164",  # Diphosphonates (bisphosphonates)
})


def _measured(text: str, start: int, end: int) -> bool:
    """Whether the substance named at text[start:end] is a laboratory value rather than a treatment."""
    return bool(_MEASURED_AFTER.match(text[end:end + 60]) or _MEASURED_BEFORE.search(text[max(0, start - 30):start]))


class TreatmentReader(ReaderBase):
    """Treatments (a part of :class:`~oncograph.relate.PatientExtractor`)."""

    def _treatments(self, p: PatientDraft, info: SentenceInfo, mentions: list[Mention], when: When) -> None:
        text = info.sentence.text
        sentence_when = when
        intent_m = _INTENT.search(text)
        intent = intent_m.group(1).lower() if intent_m else None
        found: list[tuple[int, int, str, str]] = []  # start, end, term, kind
        for m in mentions:
            if m.category in ("agent", "surgery", "radiotherapy", "systemic", "diagnostic", "imaging", "procedure"):
                found.append((m.start, m.end, m.term, m.category))
        covered = [(s, e) for s, e, _, _ in found]
        for rm in _RESECT.finditer(text):
            if any(s <= rm.start() < e for s, e in covered):
                continue
            word = rm.group(1).lower()
            term = self._excision if word.startswith("excis") else self._resection
            if term:
                found.append((rm.start(), rm.end(), term, "surgery"))
        found.sort()
        found = self._regimen_components(text, found)
        gys, fracs = radiation_doses(text), fractions(text)
        for start, end, term, category in found:
            a = assertion(text, start, end)
            if not a.affirmed:
                if category in ("agent", "surgery", "radiotherapy", "systemic"):
                    self._finding(p, "treatment" if category == "agent" else "procedure", term, a, info, when)
                continue
            site = self._procedure_site(text, start, end, info.mentions)
            target = self._target(text, start, end, mentions)
            when = self._at(text, sentence_when, start)
            if category == "agent":
                if _measured(text, start, end):
                    continue  # "creatinine 1.2 mg/dL", "serum alkaline phosphatase was raised": a laboratory value
                if self.index[term].kind == "class" and not self.index.ancestors(term) & _THERAPY_CLASSES:
                    continue  # "analgesics", "antibiotics": care around the disease, not a therapy of it
                agents = [(s2, e2) for s2, e2, t2, c2 in found if c2 == "agent" and t2 != term]
                until = min((s2 for s2, _e2 in agents if s2 >= end), default=None)
                dose = dose_after(text, end, until, alone=not agents)
                switched = None
                sw = _SWITCH.search(text)
                if sw and start >= sw.end() - 3:
                    prev = [t for s2, _e2, t, c in found
                            if c == "agent" and sw.start() - 40 <= s2 < sw.end() and t != term]
                    switched = prev[-1] if prev else None
                    if switched == term:
                        switched = None
                line = _line_of(text, start, end)
                change = dose_change(text, end)
                if change and (until is None or change.end <= until):
                    # "imatinib was increased from 400 mg/day to 800 mg/day": each dose its own fact
                    if change.old:
                        p.treatments.append(self._draft("drug", term, when, info, intent=intent, line=line,
                                                        target=target, **change.old))
                    p.treatments.append(self._draft("drug", term, when, info, intent=intent, line=line,
                                                    target=target, dose_change=change.direction, **change.new))
                    continue
                p.treatments.append(self._draft("drug", term, when, info, intent=intent, switched_from=switched,
                                                target=target, line=line, **dose))
            elif category == "radiotherapy":
                pairs = pair_radiation(gys, fracs)
                if not pairs:
                    p.treatments.append(self._draft("radiotherapy", term, when, info, intent=intent, site=site,
                                                    target=target))
                for gy, n in pairs:
                    p.treatments.append(self._draft("radiotherapy", term, when, info, intent=intent, site=site,
                                                    dose_gy=gy, fractions=n, target=target))
            elif category == "surgery":
                if term == self._resection and self._metastasectomy and target == "metastasis":
                    term = self._metastasectomy
                if term == self._metastasectomy:
                    target = "metastasis"
                p.treatments.append(self._draft("surgery", term, when, info, intent=intent, site=site,
                                                target=target))
            elif category == "systemic":
                p.treatments.append(self._draft("systemic", term, when, info, intent=intent, target=target))
            elif category in ("diagnostic", "imaging"):
                p.treatments.append(self._draft("diagnostic", term, when, info, site=site))
            elif not any(c in ("agent", "surgery", "radiotherapy", "systemic") for _, _, _, c in found):
                p.treatments.append(self._draft("procedure", term, when, info, intent=intent, site=site))
        if gys and not any(c == "radiotherapy" for _, _, _, c in found):
            # "36 Gy divided into 4 fractions were given": the dose of the last radiotherapy named
            for gy, n in pair_radiation(gys, fracs):
                p.treatments.append(self._draft("radiotherapy", "", when, info, dose_gy=gy, fractions=n,
                                                intent=intent))

    def _regimen_components(self, text: str, found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
        """ "folinic acid, fluorouracil and oxaliplatin (FOLFOX)" and "FOLFOX (folinic acid, fluorouracil and
        oxaliplatin)": the drugs spelled out beside a regimen are that regimen, not treatments of their own."""
        drop: set[int] = set()
        for i, (s0, e0, term, cat) in enumerate(found):
            t = self.index.terms.get(term)
            if cat != "agent" or t is None or t.kind != "regimen":
                continue
            if text[:s0].rstrip().endswith("("):
                # the list just before the parenthesis
                j = i - 1
                edge = text[:s0].rstrip()[:-1].rstrip()
                while j >= 0 and found[j][3] == "agent" and re.fullmatch(r"[\s,]*(?:and|plus|&)?[\s,]*",
                                                                           edge[found[j][1]:]):
                    drop.add(j)
                    edge = edge[:found[j][0]].rstrip()
                    j -= 1
            close = text.find(")", e0)
            if re.match(r"\s*\(", text[e0:]) and close > 0:
                drop.update(j for j, f in enumerate(found) if f[3] == "agent" and e0 < f[0] and f[1] <= close)
        return [f for j, f in enumerate(found) if j not in drop]

    def _target(self, text: str, start: int, end: int, mentions: list[Mention]) -> str | None:
        """What a procedure was aimed at: the primary tumour, a metastasis, or not said."""
        def classify(a: int, b: int) -> str | None:
            if _MET_WORD.search(text[a:b]):
                return "metastasis"
            for m in mentions:
                if m.category == "tumor" and a <= m.start < b and not re.search(
                        r"metastatic\s+(?:\w+\s+)?$", text[max(0, m.start - 20):m.start], re.IGNORECASE):
                    return "primary"
            return None

        after = re.match(r"\s+(?:of|for|to)\s+((?:\S+\s+){0,3}\S+)", text[end:end + 60])
        if after:
            found = classify(end + after.start(1), end + after.end(1))
            if found:
                return found
        before = re.search(r"((?:\S+\s+){0,3}?\S+)\s+(?:was|were|had|has|have)\s+(?:\w+\s+)?(?:been\s+)?(?:\w+ly\s+)?$",
                           text[max(0, start - 60):start])
        if before:
            off = max(0, start - 60)
            found = classify(off + before.start(1), off + before.end(1))
            if found:
                return found
        cs, ce = clause_bounds(text, start)
        return classify(cs, ce)

    def _procedure_site(self, text: str, start: int, end: int, mentions: Iterable[Mention]) -> str | None:
        for m in mentions:
            if m.category != "site":
                continue
            if m.start >= end and re.fullmatch(r"\s+(?:of|at|to|on|in)\s+(?:the\s+)?(?:(?:left|right)\s+)?",
                                               text[end:m.start]):
                return m.term
            if m.end <= start and m.adjective and re.fullmatch(r"\s*", text[m.end:start]):
                return m.term
        return None
