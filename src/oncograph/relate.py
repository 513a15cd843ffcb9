"""From sentences and mentions to facts about the report's own patients.

The extractor walks the document once, keeping track of the patient a sentence
speaks of (a "Case 2" section, "A 58-year-old woman…", "In the second, a
37-year-old man…") and of the time the narrative has reached ("In May
2011", "Six years later").  Each sentence about a patient yields draft
facts; at the end, drafts of the same patient are reconciled: the abstract's
account and the case section's account merge, a generic mention ("spinal
metastasis", "surgery", "chemotherapy") yields to the specific ones it only
repeats, and the primary site is never also a metastasis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .context import Assertion, SentenceKind, assertion, clause_bounds, find_age_sex, sentence_kind
from .facts import (
    Evidence,
    MarkerResult,
    Metastasis,
    NegativeFinding,
    Patient,
    PrimaryTumor,
    Treatment,
)
from .recognise import DateMention, Lexicon, Mention, find_dates, number_value
from .segment import Sentence
from .terms import TermIndex

__all__ = ["PatientExtractor", "SentenceInfo"]

NARRATIVE_SECTIONS = {"abstract", "case", "results"}

_MET_CUE = re.compile(
    r"\b(?:metasta\w*|spread|deposits?|lesions?|nodules?|masse?s?|infiltrat\w*|involv\w*|destruction|"
    r"recurr\w*|relapse\w*|tumou?rs?|implants?|seeding|thicken\w*|uptake|secondar\w*)\b",
    re.IGNORECASE,
)
_METASTATIC_WORD = re.compile(r"\b(?:metasta\w*|deposits?|secondar\w*|spread)\b", re.IGNORECASE)
_LATERALITY = re.compile(r"\b(left|right|bilateral|both)\s+(?:\w+\s+){0,1}$", re.IGNORECASE)
_DX_VERB = re.compile(r"\b(?:showed|revealed|confirmed|demonstrated|consistent with|diagnosed|diagnosis)\b",
                      re.IGNORECASE)

# marker polarity cues
_POST_POS = re.compile(
    r"\b(?:(?:was|were|is|are)\s+(?:(?:diffuse(?:ly)?|strong(?:ly)?|focal(?:ly)?|weak(?:ly)?|partial(?:ly)?|also|"
    r"all|both)\s+)*(?:positive|expressed|immunoreactive|detected|found|identified|present)(?!\s+(?:for|in|of)\b))|"
    r"\(\s*\+\s*\)|"
    r"-positive\b|\bpositive\b(?!\s+(?:for|in|of)\b)",
    re.IGNORECASE,
)
_POST_NEG = re.compile(
    r"\b(?:(?:was|were|is|are)\s+(?:(?:all|also|both|completely|entirely)\s+)*(?:negative|not expressed|not detected)"
    r"(?!\s+(?:for|in|of)\b))|\(\s*[-−–]\s*\)|-negative\b|\bnegative\b(?!\s+(?:for|in|of)\b)",
    re.IGNORECASE,
)
_PRE_POS = re.compile(
    r"\b(?:(?:positive|positivity|immunoreactivity|immunopositivity|reactivity) (?:for|in|of|to)|"
    r"stain(?:ed|ing)? (?:positively |strongly |diffusely )?for|express(?:ed|ion of|ing)|"
    r"immunoreactive (?:for|to)|immunopositive for)\b",
    re.IGNORECASE,
)
_PRE_NEG = re.compile(r"\b(?:(?:negative|negativity) (?:for|in|of)|not for|no (?:staining|expression|reactivity) "
                      r"(?:for|of)|but not|lack(?:ed|ing)? (?:expression of )?)\b", re.IGNORECASE)
# where a polarity stops: a new clause ("…negative for CK7, and a KRAS mutation was found")
_MARKER_BREAK = re.compile(r";|\bwhereas\b|\bwhile\b|\bbut\b|\bhowever\b|\.\s|"
                           r",\s*and\s+(?=(?:a|an|the|no|there|it|this|these)\b)", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"^[^.;%]{0,40}?(\d+(?:\.\d+)?)\s*%")
_UNIT = r"(?:ng|µg|μg|ug|pg|mg|k?U|m?IU|mU|nmol|pmol|µmol)\s*/\s*(?:m[lL]|d[lL]|[lL])"
_SERIAL_AFTER = re.compile(
    r"^[^.;%\d]{0,40}?\b(?:from|between)\s+(?P<first>\d+(?:[.,]\d+)?)\s*(?:" + _UNIT + r")?\s+(?:to|and)\s+"
    r"(?P<second>\d+(?:[.,]\d+)?)\s*(?P<unit>" + _UNIT + r")(?![\w/])")
# a gene named with a variant of it: "BRAF V600E mutation", "EGFR exon 19 deletion", "ALK rearrangement"
_VARIANT_AFTER = re.compile(
    r"^[\s-]*(?:(?:[A-Z]\d+[A-Z*]?|p\.\S+|c\.\S+|exon\s+\d+|codon\s+\d+|germline|somatic|pathogenic)\s+){0,3}"
    r"(?:mutations?|mutated|mutant|variants?|deletions?|insertions?|amplifi\w+|rearrange\w+|fusions?|"
    r"translocations?)\b")
# a line of therapy: "second-line sunitinib", "sunitinib as third-line therapy"
_LINE_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
               "fifth": 5, "5th": 5}
_LINE_BEFORE = re.compile(r"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th)[- ]line\s+(?:\w+\s+){0,3}$",
                          re.IGNORECASE)
_LINE_AFTER = re.compile(r"^\s*(?:was\s+\w+\s+)?(?:as|in the)\s+(?:a\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|"
                         r"fifth|5th)[- ]line\b", re.IGNORECASE)
# a dose changed: "was increased from 400 mg/day to 800 mg/day", "was reduced to 300 mg daily"
_DOSE_TEXT = (r"\d+(?:\.\d+)?\s*(?:mg/m2|mg/m²|mg/kg|mg|g|mcg|µg)"
              r"(?:\s*(?:/|per)\s*(?:day|d|week|wk)\b|\s+(?:daily|once daily|twice daily|a day))?")
_DOSE_CHANGE = re.compile(
    r"\s*(?:\([^)]{0,30}\)\s*)?(?:" + _DOSE_TEXT + r"\s*)?(?:(?:dose|dosage)\s+)?(?:was|were|had been|has been)?\s*"
    r"(increased|escalated|raised|doubled|reduced|decreased|lowered|de-escalated)\s+"
    r"(?:from\s+(?P<old>" + _DOSE_TEXT + r")\s+)?to\s+(?P<new>" + _DOSE_TEXT + r")",
    re.IGNORECASE)


def _line_of(text: str, start: int, end: int) -> int | None:
    m = _LINE_BEFORE.search(text[max(0, start - 40):start]) or _LINE_AFTER.match(text[end:end + 50])
    return _LINE_WORDS[m.group(1).lower()] if m else None


_DENIED_BEFORE = re.compile(r"\b(?:no|not|without|absence of|neither|nor)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
# a serum level: "PSA of 12 ng/mL", "CA 19-9 was 800 U/mL"
_LEVEL_AFTER = re.compile(r"^[^.;%\d]{0,30}?(?<![\w.])(\d+(?:[.,]\d+)?)\s*(" + _UNIT + r")(?![\w/])")

_DOSE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(mg/m2|mg/m²|mg/kg|mg|g|mcg|µg)(?!\w)(?:\s*(?:/|per)\s*(day|d|week|wk)\b|"
    r"\s+(daily|once daily|twice daily|a day))?",
    re.IGNORECASE,
)
_GY = re.compile(r"(\d+(?:\.\d+)?)\s*(?:gray|Gy)\b(?:\s*\(Gy\))?", re.IGNORECASE)
_FRACTIONS = re.compile(
    r"\b(?:in|into|divided(?:\s+into)?|over|with)?\s*(\d+|single|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|twelve|fifteen|twenty|twenty-five|thirty)\s+fractions?\b|\bsingle[- ]fraction\b",
    re.IGNORECASE,
)
_EXAMINED = re.compile(r"\s*(?:scans?\s+)?(?:of|at)\s+(?:the\s+)?(?:[\w-]+,?\s+(?:and\s+)?){0,3}")
_QUALIFIED = re.compile(r"\s+(?:mass|component|swelling|destruction|lesions?|involvement|metastas[ie]s)\b")
# "a mass of the caecum", "a tumour arising in the stomach": a tumour not yet named, and its site
_GENERIC_TUMOUR_OF = re.compile("(?:\\b(?:tumou?r|mass|neoplasm|lesion)|[\u2018'\"\u201c][^\u2019'\"\u201d]{2,40}"
                                "[\u2019'\"\u201d])\\s+"
                                r"(?:of|in|arising\s+(?:in|from))\s+"
                                r"(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_RECURRENT = re.compile(r"\brecurren\w*|\brelaps\w*", re.IGNORECASE)
# "hepatic metastases from a carcinoma of the breast": the later site is where the tumour came from
_ORIGIN_BEFORE = re.compile(r"\b(?:from|originating|arising|secondary\s+to)\b[^,;]*$", re.IGNORECASE)
_INTENT = re.compile(r"\b(adjuvant|neoadjuvant|palliative|curative|salvage|maintenance)\b", re.IGNORECASE)
_SWITCH = re.compile(r"\bswitch\w*\b[^.]*?\b(?:to|with)\b", re.IGNORECASE)
_RESECT = re.compile(r"\b(resect(?:ed|ion|ions)?|excis(?:ed|ion|ions)?|removed|removal)\b(?!\s+margins?)",
                     re.IGNORECASE)
_RISK = re.compile(r"\b(very low|low|intermediate|high)[- ]risk\b", re.IGNORECASE)
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:×|x)\s*\d+(?:\.\d+)?\s*cm|(\d+(?:\.\d+)?)\s*cm\b", re.IGNORECASE)
_SIZE_CONTEXT = re.compile(r"\b(?:tumou?r (?:diameter|size)|diameter|measur\w+|sized?)\b|\bcm\b[^.]{0,40}\bmass\b",
                           re.IGNORECASE)
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
_FOLLOW_UP = re.compile(r"\bfollow[- ]up\b", re.IGNORECASE)

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

#: a title about a tumour taken for another names no type for the patient
_MIMIC = re.compile(r"\b(?:mimick\w*|masquerad\w*|misdiagnos\w*|mistaken|resembl\w*|simulat\w*|disguised|versus|vs\.?|"
                    r"or)\b|\bpresenting as\b", re.IGNORECASE)
_CAPTION = re.compile(r"\s*\[?\s*(?:figure|fig\.|table|image|photograph)\s*\d*[a-z]?\s*[:.)\]]", re.IGNORECASE)
_GOES_ON = re.compile(r"\b(?:continu\w*|remain\w* on|maintained on|still on|kept on)\b", re.IGNORECASE)
_QUOTES = {"‘": "’", "“": "”", "'": "'", '"': '"', "«": "»"}


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether a name is set in quotation marks: a label someone gave (a diagnosis later revised, a
    "so-called" entity), not a finding the report asserts."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return before in _QUOTES and after == _QUOTES[before]


def _measured(text: str, start: int, end: int) -> bool:
    """Whether the substance named at text[start:end] is a laboratory value rather than a treatment."""
    return bool(_MEASURED_AFTER.match(text[end:end + 60]) or _MEASURED_BEFORE.search(text[max(0, start - 30):start]))


@dataclass(frozen=True)
class SentenceInfo:
    """A sentence with its mentions and the raw-file evidence span."""

    sentence: Sentence
    mentions: tuple[Mention, ...]
    evidence: Evidence


@dataclass
class _When:
    year: int | None = None
    month: int | None = None
    strength: int = 0  # 3 stated in the sentence, 2 carried in a case section, 1 carried in an abstract


@dataclass
class _Draft:
    kind: str
    term: str
    when: _When
    evidence: Evidence
    sentence: int
    attrs: dict[str, object] = field(default_factory=dict)


@dataclass
class _PatientDraft:
    key: int
    label: str
    age: int | None = None
    sex: str | None = None
    case_number: int | None = None
    pronoun_sex: str | None = None
    tumors: list[_Draft] = field(default_factory=list)
    primary_sites: list[tuple[int, _Draft]] = field(default_factory=list)  # (link strength, draft)
    metastases: list[_Draft] = field(default_factory=list)
    markers: list[_Draft] = field(default_factory=list)
    treatments: list[_Draft] = field(default_factory=list)
    negatives: list[_Draft] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    anchor: _When = field(default_factory=_When)
    coordinated: dict[str, set[str]] = field(default_factory=dict)

    def absorb(self, other: _PatientDraft) -> None:
        for name in ("tumors", "primary_sites", "metastases", "markers", "treatments", "negatives", "evidence"):
            getattr(self, name).extend(getattr(other, name))
        for k3, v3 in other.coordinated.items():
            self.coordinated.setdefault(k3, set()).update(v3)
        self.case_number = self.case_number or other.case_number
        self.pronoun_sex = self.pronoun_sex or other.pronoun_sex
        if other.anchor.year and other.anchor.strength >= self.anchor.strength:
            self.anchor = other.anchor


class PatientExtractor:
    """Extract the patients of one document from its sentences.

    Parameters
    ----------
    index : TermIndex
        The ontology's terms.
    lexicon : Lexicon
        The matcher made from them.
    """

    def __init__(self, index: TermIndex, lexicon: Lexicon) -> None:
        self.index = index
        self.lexicon = lexicon
        self.patients: list[_PatientDraft] = []
        self._current: _PatientDraft | None = None
        self._placeholder = False
        self._section_id: int | None = None
        self._cited_paragraph: int | None = None
        self._dates: list[DateMention] = []
        self._title_tumors: list[str] = []  # the tumour types the document's title names
        self._resection = self._term("resection")
        self._excision = self._term("excision")
        self._metastasectomy = self._term("metastasectomy")

    def _term(self, label: str) -> str | None:
        term = self.index.find_label(label)
        return term.name if term else None

    # ------------------------------------------------------------------ walking
    def run(self, infos: Iterable[SentenceInfo]) -> tuple[Patient, ...]:
        """Walk the sentences in order and return the reconciled patients."""
        for info in infos:
            self._step(info)
        self._close_section()
        aged = [p for p in self.patients if p.age is not None]
        for p in [p for p in self.patients if p.age is None and not p.case_number]:
            if len(aged) == 1:
                aged[0].absorb(p)
                self.patients.remove(p)
        for i, p in enumerate(self.patients, 1):
            p.key = i
            if p.label.startswith("patient"):
                p.label = "patient" if len(self.patients) == 1 else f"patient {i}"
        return tuple(self._finish(p) for p in self.patients if self._has_content(p))

    @staticmethod
    def _has_content(p: _PatientDraft) -> bool:
        return p.age is not None or bool(p.tumors or p.metastases or p.markers or p.treatments)

    def _close_section(self) -> None:
        cur = self._current
        if cur is not None and self._placeholder and cur.age is None:
            others = [p for p in self.patients if p is not cur]
            if len(others) == 1:
                others[0].absorb(cur)
                self.patients.remove(cur)
        self._current = None
        self._placeholder = False

    def _new_patient(self, label: str) -> _PatientDraft:
        p = _PatientDraft(key=len(self.patients) + 1, label=label)
        self.patients.append(p)
        return p

    def _step(self, info: SentenceInfo) -> None:
        s = info.sentence
        sec = s.section
        if s.index == 0 and sec.kind == "front" and not _MIMIC.search(s.text):
            self._title_tumors = [m.term for m in info.mentions if m.category == "tumor"]
        if id(sec) != self._section_id:
            self._close_section()
            self._section_id = id(sec)
            self._cited_paragraph = None
            if sec.kind == "case":
                label = f"case {sec.case_number}" if sec.case_number else "patient"
                existing = [p for p in self.patients if p.case_number and p.case_number == sec.case_number]
                if existing:
                    self._current = existing[0]
                else:
                    self._current = self._new_patient(label)
                    self._current.case_number = sec.case_number
                    self._placeholder = True
            elif sec.kind == "results" and len(self.patients) == 1:
                self._current = self.patients[0]  # a report's results go on with its one patient
        if sec.kind not in NARRATIVE_SECTIONS:
            return
        text = s.text
        kind = sentence_kind(text)
        if self._cited_paragraph == s.paragraph:
            kind = SentenceKind.CITED
        intros = find_age_sex(text)
        if intros and kind == SentenceKind.CITED:
            self._cited_paragraph = s.paragraph
            return
        if intros and kind in (SentenceKind.PATIENT, SentenceKind.GENERIC, SentenceKind.SUMMARY):
            start, _end, age, sex = intros[0]
            if not re.search(r"\b(?:patients|cases)\b", text[:start]) or kind == SentenceKind.PATIENT:
                self._introduce(age, sex, sec.kind, info)
                kind = SentenceKind.PATIENT
        if kind != SentenceKind.PATIENT or self._current is None:
            return
        self._read_sentence(self._current, info)

    def _introduce(self, age: int, sex: str | None, section_kind: str, info: SentenceInfo) -> None:
        match = next((p for p in self.patients if p.age == age and (p.sex == sex or not p.sex or not sex)), None)
        cur = self._current
        if section_kind == "case" and cur is not None and self._placeholder and cur.age is None:
            if match is not None and match is not cur:
                if cur.case_number and not match.case_number:
                    match.label = cur.label
                match.absorb(cur)
                self.patients.remove(cur)
                self._current = match
            else:
                cur.age, cur.sex = age, sex
            self._placeholder = False
        elif match is not None:
            self._current = match
        else:
            n = len(self.patients) + 1
            self._current = self._new_patient("patient" if n == 1 else f"patient {n}")
            self._current.age, self._current.sex = age, sex
            self._placeholder = False
        if self._current is not None:
            if sex and not self._current.sex:
                self._current.sex = sex
            self._current.evidence.append(info.evidence)

    # ------------------------------------------------------------------ one sentence
    def _at(self, text: str, when: _When, pos: int) -> _When:
        """The date of the clause around ``pos`` when it states one, else the sentence's."""
        cs, ce = clause_bounds(text, pos)
        near = [d for d in self._dates if cs <= d.start < ce and d.year]
        if not near:
            return when
        d = min(near, key=lambda d: abs(d.start - pos))
        return _When(d.year, d.month, 3)

    def _when(self, p: _PatientDraft, info: SentenceInfo) -> _When:
        text = info.sentence.text
        dates = find_dates(text)
        self._dates = dates
        absolute = [d for d in dates if d.year]
        if absolute:
            d = absolute[0]
            when = _When(d.year, d.month, 3)
            last = absolute[-1]
            p.anchor = _When(last.year, last.month, 3)
            return when
        relative = [d for d in dates if d.relative_years or d.relative_months]
        if relative and p.anchor.year:
            d = relative[0]
            if d.relative_years and d.relative_years > 0:
                when = _When(p.anchor.year + d.relative_years, None, 3)
                p.anchor = when
                return when
            if d.relative_months and d.relative_months > 0 and p.anchor.month and p.anchor.year:
                months = p.anchor.year * 12 + p.anchor.month - 1 + d.relative_months
                when = _When(months // 12, months % 12 + 1, 3)
                p.anchor = when
                return when
            return _When()
        if relative:
            return _When()
        strength = 2 if info.sentence.section.kind == "case" else 1
        return _When(p.anchor.year, p.anchor.month, strength if p.anchor.year else 0)

    def _read_sentence(self, p: _PatientDraft, info: SentenceInfo) -> None:
        text = info.sentence.text
        if not p.pronoun_sex:
            if re.search(r"\b(?:she|her)\b", text, re.IGNORECASE):
                p.pronoun_sex = "female"
            elif re.search(r"\b(?:he|his|him)\b", text, re.IGNORECASE):
                p.pronoun_sex = "male"
        when = self._when(p, info)
        mentions = list(info.mentions)
        size = _SIZE.search(text)
        if size and _SIZE_CONTEXT.search(text) and not _METASTATIC_WORD.search(text) and not re.search(
                r"\b(?:recurren\w*|metasta\w*|lesions?|nodules?)\b", text, re.IGNORECASE):
            dims = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", size.group())]
            p.treatments.append(self._draft("size", "", _When(), info, size_cm=max(dims)))
        self._tumors(p, info, mentions, when)
        self._resected_site(p, info, mentions, when)
        self._sites(p, info, mentions, when)
        self._markers(p, info, mentions)
        if not _CAPTION.match(text):  # a picture of a specimen shows what was done, it is not a new operation
            self._treatments(p, info, mentions, when)
        if _FOLLOW_UP.search(text) and when.strength == 3:
            p.treatments.append(_Draft("followup", "", when, info.evidence, info.sentence.index))

    def _finding(self, p: _PatientDraft, kind: str, term: str, a: Assertion, info: SentenceInfo,
                 when: _When) -> None:
        """Keep a finding the sentence names without asserting it (a relative's is not the patient's)."""
        if a.family or not term:
            return
        status = "negated" if a.negated else "uncertain" if a.uncertain else "hypothetical"
        p.negatives.append(self._draft(kind, term, when, info, status=status, trigger=a.trigger))

    def _draft(self, kind: str, term: str, when: _When, info: SentenceInfo, **attrs: object) -> _Draft:
        return _Draft(kind, term, replace(when), info.evidence, info.sentence.index, dict(attrs))

    def _tumors(self, p: _PatientDraft, info: SentenceInfo, mentions: list[Mention], when: _When) -> None:
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

    def _resected_site(self, p: _PatientDraft, info: SentenceInfo, mentions: list[Mention], when: _When) -> None:
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

    def _sites(self, p: _PatientDraft, info: SentenceInfo, mentions: list[Mention], when: _When) -> None:
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
                            explicit=bool(_METASTATIC_WORD.search(clause)))
            if a.affirmed:
                p.metastases.append(d)
            else:
                self._finding(p, "metastasis", m.term, a, info, when)

    def _markers(self, p: _PatientDraft, info: SentenceInfo, mentions: list[Mention]) -> None:
        text = info.sentence.text
        markers = [m for m in mentions if m.category == "marker"]
        if not markers:
            return
        events: list[tuple[int, str, object]] = [(m.start, "marker", m) for m in markers]
        for regex, kind in ((_POST_POS, "post+"), (_POST_NEG, "post-"), (_PRE_POS, "pre+"), (_PRE_NEG, "pre-"),
                            (_MARKER_BREAK, "break")):
            for mm in regex.finditer(text):
                if kind.startswith("post") and any(mm.start() >= mk.start and mm.end() <= mk.end for mk in markers):
                    continue
                events.append((mm.start(), kind, mm))
        events.sort(key=lambda e: (e[0], e[1] != "pre-"))
        pre: str | None = None
        pending: list[Mention] = []
        status: dict[int, str] = {}

        def flush(polarity: str | None) -> None:
            for mk in pending:
                if polarity:
                    status.setdefault(mk.start, polarity)
            pending.clear()

        last_end = -1
        for pos, kind, obj in events:
            if pos < last_end and kind != "marker":
                continue
            if kind == "marker":
                pending.append(obj)  # type: ignore[arg-type]
            elif kind in ("post+", "post-"):
                if pre and pending:
                    # "negative for ER and PR, and HER2 was positive": a polarity after the list names only the
                    # markers of its own clause (after the last comma); those before keep the one before them
                    cut = text.rfind(",", pending[0].end, pos)
                    if cut >= 0:
                        own = [mk for mk in pending if mk.start > cut]
                        pending[:] = [mk for mk in pending if mk.start < cut]
                        flush(pre)
                        pending.extend(own)
                flush("positive" if kind == "post+" else "negative")
                pre = None
            elif kind in ("pre+", "pre-"):
                flush(pre)
                pre = "positive" if kind == "pre+" else "negative"
            else:
                flush(pre)
                pre = None
            if kind != "marker":
                last_end = obj.end()  # type: ignore[attr-defined]
        flush(pre)
        for mk in markers:
            value = _PERCENT_AFTER.match(text[mk.end:])
            if value and not re.search(r"\b(?:positive|negative)\b", text[mk.end:mk.end + value.end()]):
                pct = float(value.group(1))
                # "positive for ER (90%)": the share stained, and the polarity said before it
                pol = status.get(mk.start) if pct > 0 else None
                p.markers.append(self._draft("marker", mk.term, _When(), info, status=pol,
                                             value=f"{value.group(1)}%", percent=pct))
                continue
            serial = _SERIAL_AFTER.match(text[mk.end:])
            if serial:
                # "CEA fell from 250 to 4.1 ng/mL": each measurement a result of its own
                unit = re.sub(r"\s+", "", serial.group("unit"))
                for v in (serial.group("first"), serial.group("second")):
                    p.markers.append(self._draft("marker", mk.term, _When(), info, status=None, value=f"{v} {unit}"))
                continue
            level = _LEVEL_AFTER.match(text[mk.end:])
            if level and not re.search(r"\b(?:positive|negative)\b", text[mk.end:mk.end + level.end()]):
                unit = re.sub(r"\s+", "", level.group(2))
                p.markers.append(self._draft("marker", mk.term, _When(), info, status=None,
                                             value=f"{level.group(1)} {unit}"))
                continue
            pol = status.get(mk.start)
            if not pol and _VARIANT_AFTER.match(text[mk.end:]):
                # "a BRCA1 variant", "KRAS G12D mutation": found unless the sentence denies it
                pol = "negative" if assertion(text, mk.start, mk.end).negated else "positive"
            if pol == "positive" and _DENIED_BEFORE.search(text[max(0, mk.start - 30):mk.start]):
                pol = "negative"  # "no ALK rearrangement was detected"
            if pol:
                p.markers.append(self._draft("marker", mk.term, _When(), info, status=pol))

    def _treatments(self, p: _PatientDraft, info: SentenceInfo, mentions: list[Mention], when: _When) -> None:
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
        gys = [(g.start(), float(g.group(1))) for g in _GY.finditer(text)]
        fracs = []
        for fm in _FRACTIONS.finditer(text):
            word = (fm.group(1) or "single").lower()
            n = number_value(word)
            if n:
                fracs.append((fm.start(), n))
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
                dose = self._dose(text, end, until, alone=not agents)
                switched = None
                sw = _SWITCH.search(text)
                if sw and start >= sw.end() - 3:
                    prev = [t for s2, _e2, t, c in found
                            if c == "agent" and sw.start() - 40 <= s2 < sw.end() and t != term]
                    switched = prev[-1] if prev else None
                    if switched == term:
                        switched = None
                line = _line_of(text, start, end)
                change = _DOSE_CHANGE.match(text, end)
                if change and (until is None or change.end() <= until):
                    # "imatinib was increased from 400 mg/day to 800 mg/day": each dose its own fact
                    up = re.match(r"(?i)increas|escalat|rais|doubl", change.group(1))
                    direction = "increased" if up else "reduced"
                    before = self._dose(change.group("old"), 0) if change.group("old") else {}
                    if before:
                        p.treatments.append(self._draft("drug", term, when, info, intent=intent, line=line,
                                                        target=target, **before))
                    p.treatments.append(self._draft("drug", term, when, info, intent=intent, line=line,
                                                    target=target, dose_change=direction,
                                                    **self._dose(change.group("new"), 0)))
                    continue
                p.treatments.append(self._draft("drug", term, when, info, intent=intent, switched_from=switched,
                                                target=target, line=line, **dose))
            elif category == "radiotherapy":
                pairs = self._radiation(gys, fracs)
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
            for gy, n in self._radiation(gys, fracs):
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

    _MET_WORD = re.compile(r"\b(?:metasta\w*|deposits?|lesions?|nodules?|recurren\w*)\b", re.IGNORECASE)

    def _target(self, text: str, start: int, end: int, mentions: list[Mention]) -> str | None:
        """What a procedure was aimed at: the primary tumour, a metastasis, or not said."""
        def classify(a: int, b: int) -> str | None:
            if self._MET_WORD.search(text[a:b]):
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

    @staticmethod
    def _radiation(gys: list[tuple[int, float]], fracs: list[tuple[int, int]]) -> list[tuple[float, int | None]]:
        pairs: list[tuple[float, int | None]] = []
        for i, (pos, gy) in enumerate(gys):
            nxt = gys[i + 1][0] if i + 1 < len(gys) else 10**9
            n = next((f for fp, f in fracs if pos < fp < nxt), None)
            pairs.append((gy, n))
        # "2.5 Gy per fraction to a total of 45 Gy": per-fraction and total
        if len(pairs) == 2 and pairs[0][0] < pairs[1][0] and pairs[0][1] is None and pairs[1][1] is None:
            per, total = pairs[0][0], pairs[1][0]
            if per and total / per == int(total / per):
                return [(total, int(total / per))]
        return pairs

    @staticmethod
    def _dose(text: str, end: int, until: int | None = None, alone: bool = True) -> dict[str, object]:
        """The dose written after a drug (before the next drug, ``until``); anywhere in the sentence when
        the drug is the only one named (``alone``)."""
        m = _DOSE.search(text, end, min(len(text), end + 40, until if until is not None else len(text)))
        if m is None and alone:
            m = _DOSE.search(text)
        if not m:
            return {}
        value = float(m.group(1))
        unit = m.group(2)
        per = m.group(3) or m.group(4)
        if per:
            per = {"d": "day", "wk": "week", "daily": "day", "once daily": "day", "a day": "day"}.get(per.lower(),
                                                                                                     per.lower())
        text_value = m.group(1) + " " + unit + (f"/{per}" if per and per != "twice daily" else "")
        return {"dose": text_value, "dose_value": value, "dose_unit": unit + (f"/{per}" if per else "")}

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

    # ------------------------------------------------------------------ reconciling
    def _finish(self, p: _PatientDraft) -> Patient:
        primary = self._primary(p)
        mets = self._metastases(p, primary)
        follow = [d for d in p.treatments if d.kind == "followup" and d.when.year]
        last = max(follow, key=lambda d: (d.when.year or 0, d.when.month or 0)) if follow else None
        return Patient(
            key=p.key,
            label=p.label,
            age=p.age,
            sex=p.sex or p.pronoun_sex,
            primary=primary,
            metastases=mets,
            markers=self._markers_final(p),
            treatments=self._treatments_final(p),
            negatives=tuple(
                NegativeFinding(d.kind, d.term, (d.evidence,), str(d.attrs.get("status", "negated")),
                                str(d.attrs.get("trigger", ""))) for d in self._unique_findings(p.negatives)
                if not any(m.site == d.term for m in mets)
            ),
            evidence=tuple(sorted(set(p.evidence))),
            follow_up_year=last.when.year if last else None,
            follow_up_month=last.when.month if last else None,
            follow_up_evidence=(last.evidence,) if last else (),
        )

    @staticmethod
    def _unique_findings(drafts: list[_Draft]) -> list[_Draft]:
        seen: dict[tuple[str, str, object], _Draft] = {}
        for d in drafts:
            seen.setdefault((d.kind, d.term, d.attrs.get("status")), d)
        return list(seen.values())

    @staticmethod
    def _unique(drafts: list[_Draft]) -> list[_Draft]:
        seen: dict[str, _Draft] = {}
        for d in drafts:
            seen.setdefault(d.term, d)
        return list(seen.values())

    def _most_specific(self, names: list[str]) -> list[str]:
        return [n for n in names if not any(o != n and self.index.subsumes(n, o) for o in names)]

    def _primary(self, p: _PatientDraft) -> PrimaryTumor | None:
        if not p.tumors:
            return None
        primaries = [d for d in p.tumors if not d.attrs.get("metastatic")] or p.tumors
        names = sorted({d.term for d in primaries})
        specific = self._most_specific(names)
        # the type named most often (then first) among the most specific ones
        counts = {n: sum(1 for d in p.tumors if self.index.subsumes(n, d.term) or d.term == n) for n in specific}
        first = {n: min(d.sentence for d in p.tumors if d.term == n) for n in specific}
        tumor_type = max(specific, key=lambda n: (counts[n], -first[n]))
        # a title that names this tumour more narrowly ("Leiomyosarcoma of the stomach: a case report" for a
        # "gastric tumour") names the patient's type, when the document has one patient
        narrower = [t for t in self._title_tumors if t != tumor_type and self.index.subsumes(tumor_type, t)]
        if narrower and len(self.patients) == 1:
            tumor_type = self._most_specific(narrower)[0]
        site = None
        if p.primary_sites:
            best = max(s for s, _ in p.primary_sites)
            cands = sorted({d.term for s, d in p.primary_sites if s == best})
            spec = self._most_specific(cands)
            site = spec[0] if spec else None
        # the year the primary was diagnosed or resected: the earliest dated tumour mention
        dated = [d for d in p.tumors if d.when.year and not d.attrs.get("metastatic")]
        year = month = None
        if dated:
            best_strength = max(d.when.strength for d in dated)
            d0 = min((d for d in dated if d.when.strength == best_strength),
                     key=lambda d: (d.evidence.section != "case", d.sentence))
            year, month = d0.when.year, d0.when.month
        risk = next((d.attrs["risk"] for d in p.tumors if d.attrs.get("risk")), None)
        sizes = [d for d in p.treatments if d.kind == "size"]
        size = sizes[-1].attrs.get("size_cm") if sizes else None
        evidence = tuple(sorted({d.evidence for d in p.tumors if d.term == tumor_type}))
        return PrimaryTumor(tumor_type, site, year, month, float(size) if isinstance(size, float) else None, None,
                            str(risk) if risk else None, evidence)

    def _metastases(self, p: _PatientDraft, primary: PrimaryTumor | None) -> tuple[Metastasis, ...]:
        drafts = p.metastases
        if primary and primary.site:
            ps = primary.site
            drafts = [d for d in drafts
                      if not (self.index.subsumes(ps, d.term) or self.index.subsumes(d.term, ps))
                      or (d.attrs.get("explicit") and d.term != ps and not self.index.subsumes(ps, d.term))]
        # merge by site and laterality
        groups: dict[tuple[str, str | None], list[_Draft]] = {}
        for d in drafts:
            lat = d.attrs.get("laterality")
            groups.setdefault((d.term, lat if isinstance(lat, str) else None), []).append(d)
        for (term, lat), ds in list(groups.items()):
            if lat is None:
                sided = [k for k in groups if k[0] == term and k[1] is not None]
                if len(sided) == 1:
                    groups[sided[0]].extend(ds)
                    del groups[(term, lat)]
        # a general site ("spine") named apart from the specific ones ("L1", "L3") only repeats them
        terms = {t for t, _ in groups}
        keep: dict[tuple[str, str | None], list[_Draft]] = {}
        for (term, lat), ds in groups.items():
            specifics = [o for o in terms if o != term and self.index.subsumes(term, o)]
            if specifics and not set(specifics) & p.coordinated.get(term, set()):
                continue
            keep[(term, lat)] = ds
        out = []
        for (term, lat), ds in sorted(keep.items(), key=lambda kv: min(d.sentence for d in kv[1])):
            dated = [d for d in ds if d.when.year]
            year = month = None
            if dated:
                best = max(dated, key=lambda d: (d.when.strength, d.evidence.section == "case", -d.sentence))
                year, month = best.when.year, best.when.month
            out.append(Metastasis(term, lat, year, month, tuple(sorted({d.evidence for d in ds}))))
        return tuple(out)

    def _markers_final(self, p: _PatientDraft) -> tuple[MarkerResult, ...]:
        by_marker: dict[tuple[str, str], list[_Draft]] = {}
        for d in p.markers:
            # a status once per marker, a stained share once; each serum level its own result (serial values)
            value = d.attrs.get("value")
            kind = "status" if value is None else "percent" if d.attrs.get("percent") is not None else str(value)
            by_marker.setdefault((d.term, kind), []).append(d)
        out = []
        for (term, is_value), ds in by_marker.items():
            # the case section's statement wins over the abstract's
            ds.sort(key=lambda d: (d.evidence.section != "case", d.sentence))
            d = ds[0]
            status = d.attrs.get("status")
            value = d.attrs.get("value")
            pct = d.attrs.get("percent")
            out.append(MarkerResult(term, status if isinstance(status, str) else None,
                                    value if isinstance(value, str) else None,
                                    float(pct) if isinstance(pct, (int, float)) else None,
                                    tuple(sorted({x.evidence for x in ds}))))
            del is_value
        # "ER-positive … ER 90%": the share carries the status, so the bare status is not told twice
        shares = {(m.marker, m.status) for m in out if m.percent is not None and m.status}
        out = [m for m in out if m.value is not None or (m.marker, m.status) not in shares]
        return tuple(sorted(out, key=lambda m: min(e.start for e in m.evidence)))

    def _compatible(self, a: _Draft, b: _Draft) -> bool:
        """Whether two drafts can be the same treatment told twice."""
        if a.kind != b.kind:
            return False
        if a.term and b.term and not (self.index.subsumes(a.term, b.term) or self.index.subsumes(b.term, a.term)):
            return False
        if a.kind != "drug":
            ta, tb = a.attrs.get("target"), b.attrs.get("target")
            if ta and tb and ta != tb:
                return False
        for key in ("dose", "dose_gy", "fractions", "site"):
            va, vb = a.attrs.get(key), b.attrs.get(key)
            if va is not None and vb is not None and va != vb:
                return False
        return not (a.kind != "drug" and a.when.year and b.when.year and a.when.year != b.when.year
                    and min(a.when.strength, b.when.strength) >= 2)

    def _unify(self, keep: _Draft, other: _Draft) -> _Draft:
        term = keep.term
        if not term or (other.term and self.index.subsumes(term, other.term)):
            term = other.term
        attrs = dict(keep.attrs)
        for k, v in other.attrs.items():
            if attrs.get(k) is None and v is not None:
                attrs[k] = v
        when = keep.when if keep.when.strength >= other.when.strength else other.when
        if keep.kind == "drug" and keep.when.year and other.when.year and keep.when.strength == other.when.strength:
            when = keep.when if keep.when.year <= other.when.year else other.when  # a drug dates from its start
        if not when.year:
            when = other.when if other.when.year else keep.when
        evidence = min(keep.evidence, other.evidence)
        return _Draft(keep.kind, term, when, evidence, min(keep.sentence, other.sentence), attrs)

    def _treatments_final(self, p: _PatientDraft) -> tuple[Treatment, ...]:
        drafts = [d for d in p.treatments if d.kind not in ("followup", "size")]
        # a dose sentence with no radiotherapy named refers to the last radiotherapy before it
        for i, d in enumerate(drafts):
            if d.kind == "radiotherapy" and not d.term:
                prev = [x for x in drafts[:i] if x.kind == "radiotherapy" and x.term]
                if prev:
                    drafts[i] = _Draft(d.kind, prev[-1].term, d.when, d.evidence, d.sentence, d.attrs)
        drafts = [d for d in drafts if d.term]

        def info(d: _Draft) -> tuple[int, int, int]:
            n = sum(1 for v in d.attrs.values() if v is not None)
            return (n, len(self.index.ancestors(d.term)), d.when.strength)

        evidence_of: dict[int, set[Evidence]] = {}
        kept: list[_Draft] = []
        for d in sorted(drafts, key=lambda d: (tuple(-x for x in info(d)), d.sentence)):
            targets = [i for i, k in enumerate(kept) if self._compatible(k, d)]
            if targets:
                for i in targets:
                    evidence_of.setdefault(i, {kept[i].evidence}).add(d.evidence)
                    kept[i] = self._unify(kept[i], d)
            else:
                evidence_of[len(kept)] = {d.evidence}
                kept.append(d)
        # a therapy class named in the sentence that names the drug is that drug ("adjuvant chemotherapy with
        # capecitabine"); named on its own, it is a treatment of its own
        drug_sentences = {e.start for i, k in enumerate(kept) if k.kind == "drug"
                          for e in evidence_of.get(i, {k.evidence})}
        out = []
        for i, k in enumerate(kept):
            if k.kind == "systemic" and any(
                    e.start in drug_sentences
                    or (_GOES_ON.search(e.sentence) and any(s < e.start for s in drug_sentences))
                    for e in evidence_of.get(i, {k.evidence})):
                continue  # the drug itself, or the therapy under way going on ("continued chemotherapy")
            if k.kind == "surgery" and self._generic_surgery(k.term) and any(
                    o.kind == "surgery" and o is not k and not self._generic_surgery(o.term) for o in kept):
                continue
            if k.kind == "surgery" and k.term in (self._resection, self._excision) and all(
                    any(e in evidence_of.get(j, {o.evidence}) for j, o in enumerate(kept)
                        if o.kind == "surgery" and o.term not in (self._resection, self._excision))
                    for e in evidence_of.get(i, {k.evidence})):
                continue  # "an R0 resection (pancreaticoduodenectomy)": the resection is the operation it names
            a = k.attrs

            def num(key: str, a: dict[str, object] = a) -> float | None:
                v = a.get(key)
                return float(v) if isinstance(v, int | float) else None

            fr = num("fractions")
            out.append(Treatment(
                kind=k.kind, term=k.term,
                dose=a.get("dose") if isinstance(a.get("dose"), str) else None,  # type: ignore[arg-type]
                dose_value=num("dose_value"),
                dose_unit=a.get("dose_unit") if isinstance(a.get("dose_unit"), str) else None,  # type: ignore[arg-type]
                dose_gy=num("dose_gy"), fractions=int(fr) if fr is not None else None,
                intent=a.get("intent") if isinstance(a.get("intent"), str) else None,  # type: ignore[arg-type]
                site=a.get("site") if isinstance(a.get("site"), str) else None,  # type: ignore[arg-type]
                year=k.when.year, month=k.when.month,
                switched_from=a.get("switched_from") if isinstance(a.get("switched_from"), str) else None,  # type: ignore[arg-type]
                evidence=tuple(sorted(evidence_of.get(i, {k.evidence}))),
                line=int(ln) if (ln := num("line")) is not None else None,
                dose_change=a.get("dose_change") if isinstance(a.get("dose_change"), str) else None,  # type: ignore[arg-type]
            ))
        return tuple(sorted(out, key=lambda t: (min(e.start for e in t.evidence), t.term, t.dose_gy or 0)))

    def _generic_surgery(self, term: str) -> bool:
        t = self.index.terms.get(term)
        return t is not None and t.label in ("surgery", "surgical procedure", "operation")
