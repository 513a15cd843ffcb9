"""The records relate works on: a sentence with its mentions, the time reached, and typed draft facts.

A draft is a fact as one sentence tells it; :mod:`.reconcile` merges the drafts of a patient into
its facts. Each kind of fact has its own draft type, with the fields that kind can carry, so that a
reader cannot give a marker a dose; :data:`DRAFT_TYPES` says which type each kind takes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from ..facts import Evidence
from ..recognise import DateMention, Lexicon, Mention
from ..segment import Sentence
from ..terms import TermIndex

if TYPE_CHECKING:
    from ..context import Assertion
    from ..facts import Patient

__all__ = ["DRAFT_TYPES", "Draft", "FindingDraft", "MarkerDraft", "MetastasisDraft", "PatientDraft", "ReaderBase",
           "SentenceInfo", "SiteDraft", "SizeDraft", "TreatmentDraft", "TumorDraft", "When"]


@dataclass(frozen=True)
class SentenceInfo:
    """A sentence with its mentions and the raw-file evidence span."""

    sentence: Sentence
    mentions: tuple[Mention, ...]
    evidence: Evidence


@dataclass
class When:
    """The time a fact is dated to, and how firmly."""

    year: int | None = None
    month: int | None = None
    strength: int = 0  # 3 stated in the sentence, 2 carried in a case section, 1 carried in an abstract


@dataclass
class Draft:
    """A fact as one sentence tells it: its kind, term, time and evidence (and, in subclasses, what else)."""

    kind: str
    term: str
    when: When
    evidence: Evidence
    sentence: int

    @property
    def attrs(self) -> dict[str, Any]:
        """The fields of this kind of draft beyond the common ones, by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)[len(fields(Draft)):]}


@dataclass
class TumorDraft(Draft):
    """A tumour named for the patient."""

    metastatic: bool | None = None
    risk: str | None = None


@dataclass
class SiteDraft(Draft):
    """A site named as the primary tumour's."""


@dataclass
class MetastasisDraft(Draft):
    """A metastatic (or recurrent) lesion at a site."""

    laterality: str | None = None
    explicit: bool | None = None
    recurrence: bool | None = None  # the clause speaks of the tumour growing again


@dataclass
class MarkerDraft(Draft):
    """A marker result: a status, a measured value or a share of cells."""

    status: str | None = None
    value: str | None = None
    percent: float | None = None


@dataclass
class TreatmentDraft(Draft):
    """A treatment, diagnostic procedure or follow-up visit, with what the sentence says of it."""

    intent: str | None = None
    line: int | None = None
    target: str | None = None
    site: str | None = None
    dose: str | None = None
    dose_value: float | None = None
    dose_unit: str | None = None
    dose_change: str | None = None
    dose_gy: float | None = None
    fractions: int | None = None
    switched_from: str | None = None


@dataclass
class SizeDraft(Draft):
    """A tumour size stated in a sentence."""

    size_cm: float | None = None


@dataclass
class FindingDraft(Draft):
    """A finding the report does not assert (negated, uncertain, hypothetical), with its trigger."""

    status: str | None = None
    trigger: str | None = None


#: the draft type of each kind of fact
DRAFT_TYPES: dict[str, type[Draft]] = {
    "tumor": TumorDraft, "site": SiteDraft, "metastasis": MetastasisDraft, "marker": MarkerDraft,
    "size": SizeDraft, "followup": TreatmentDraft,
    **{k: TreatmentDraft for k in ("drug", "radiotherapy", "surgery", "systemic", "diagnostic", "procedure")},
}


@dataclass
class PatientDraft:
    """A patient as the walk has met them so far: who, and the drafts of their facts."""

    key: int
    label: str
    age: int | None = None
    sex: str | None = None
    case_number: int | None = None
    pronoun_sex: str | None = None
    tumors: list[TumorDraft] = field(default_factory=list)
    primary_sites: list[tuple[int, Draft]] = field(default_factory=list)  # (link strength, draft)
    metastases: list[MetastasisDraft] = field(default_factory=list)
    markers: list[MarkerDraft] = field(default_factory=list)
    treatments: list[Draft] = field(default_factory=list)  # treatments, follow-up visits, sizes
    negatives: list[FindingDraft] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    anchor: When = field(default_factory=When)
    coordinated: dict[str, set[str]] = field(default_factory=dict)

    def absorb(self, other: PatientDraft) -> None:
        for name in ("tumors", "primary_sites", "metastases", "markers", "treatments", "negatives", "evidence"):
            getattr(self, name).extend(getattr(other, name))
        for k3, v3 in other.coordinated.items():
            self.coordinated.setdefault(k3, set()).update(v3)
        self.case_number = self.case_number or other.case_number
        self.pronoun_sex = self.pronoun_sex or other.pronoun_sex
        if other.anchor.year and other.anchor.strength >= self.anchor.strength:
            self.anchor = other.anchor


class ReaderBase:
    """What every part of the extractor shares: the terms, the patients met, the walk's state.

    The parts (:mod:`.tracking`, :mod:`.timeline`, :mod:`.lesions`, :mod:`.markers`, :mod:`.treatments`,
    :mod:`.reconcile`) are mixed into :class:`~oncograph.relate.PatientExtractor`; the methods one part
    calls on another are declared here for the type checker.
    """

    index: TermIndex
    lexicon: Lexicon
    patients: list[PatientDraft]
    _current: PatientDraft | None
    _placeholder: bool
    _section_id: int | None
    _cited_paragraph: int | None
    _dates: list[DateMention]
    _title_tumors: list[str]
    _title_evidence: Evidence | None
    _resection: str | None
    _excision: str | None
    _metastasectomy: str | None

    if TYPE_CHECKING:
        def _draft(self, kind: str, term: str, when: When, info: SentenceInfo, **attrs: object) -> Any: ...
        def _finding(self, p: PatientDraft, kind: str, term: str, a: Assertion, info: SentenceInfo,
                     when: When) -> None: ...
        def _at(self, text: str, when: When, pos: int) -> When: ...
        def _when(self, p: PatientDraft, info: SentenceInfo) -> When: ...
        def _tumors(self, p: PatientDraft, info: SentenceInfo, mentions: list[Mention], when: When) -> None: ...
        def _resected_site(self, p: PatientDraft, info: SentenceInfo, mentions: list[Mention],
                           when: When) -> None: ...
        def _sites(self, p: PatientDraft, info: SentenceInfo, mentions: list[Mention], when: When) -> None: ...
        def _markers(self, p: PatientDraft, info: SentenceInfo, mentions: list[Mention]) -> None: ...
        def _treatments(self, p: PatientDraft, info: SentenceInfo, mentions: list[Mention], when: When) -> None: ...
        def _finish(self, p: PatientDraft) -> Patient: ...
