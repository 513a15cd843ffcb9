"""The facts oncograph extracts, as frozen dataclasses.

One module (:mod:`oncograph.emit`) turns them into triples; nothing else knows
how they look in RDF.  Term fields hold the local name of an ontology term
(``"Sacrum"``, ``"KIT"``, ``"Imatinib"``); the IRI is minted in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Claim",
    "DocumentFacts",
    "Evidence",
    "LocalRecurrence",
    "MarkerResult",
    "Metastasis",
    "NegativeFinding",
    "Patient",
    "PrimaryTumor",
    "StudyArm",
    "StudyFacts",
    "StudySiteCount",
    "StudyStatistic",
    "StudyTreatmentCount",
    "Treatment",
]


@dataclass(frozen=True, order=True)
class Evidence:
    """Where a fact was read: the sentence, its section, and offsets in the original file."""

    start: int
    end: int
    sentence: str
    section: str = ""


@dataclass(frozen=True)
class PrimaryTumor:
    """The patient's primary tumour: its type, site, year of diagnosis and pathology."""

    tumor_type: str | None
    site: str | None = None
    year: int | None = None
    month: int | None = None
    size_cm: float | None = None
    mitotic_count: str | None = None
    risk: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Metastasis:
    """A metastasis at an anatomical site, dated when the text allows."""

    site: str
    laterality: str | None = None
    year: int | None = None
    month: int | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class LocalRecurrence:
    """The tumour grown again at the primary site after treatment ("a local recurrence in the gastric bed")."""

    site: str
    year: int | None = None
    month: int | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class NegativeFinding:
    """A finding the text names without asserting it: absent ("no metastasis in lymph nodes"), uncertain
    ("a lung metastasis was suspected") or hypothetical; ``trigger`` is the wording that says so."""

    kind: str  # "metastasis", "marker", "tumor", "treatment"
    term: str
    evidence: tuple[Evidence, ...] = ()
    status: str = "negated"  # "negated" | "uncertain" | "hypothetical"
    trigger: str = ""


@dataclass(frozen=True)
class MarkerResult:
    """An immunohistochemical or molecular marker result."""

    marker: str
    status: str | None = None  # "positive" | "negative" | None for a measured value
    value: str | None = None  # "20%"
    percent: float | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Treatment:
    """A drug, surgery, radiotherapy or diagnostic procedure given to a patient."""

    kind: str  # "drug" | "surgery" | "radiotherapy" | "systemic" | "diagnostic" | "procedure"
    term: str
    dose: str | None = None
    dose_value: float | None = None
    dose_unit: str | None = None
    dose_gy: float | None = None
    fractions: int | None = None
    intent: str | None = None
    site: str | None = None
    year: int | None = None
    month: int | None = None
    switched_from: str | None = None  # term of the agent this one replaced
    evidence: tuple[Evidence, ...] = ()
    line: int | None = None  # line of therapy: 1 for "first-line", 2 for "second-line"…
    dose_change: str | None = None  # "increased" | "reduced": this dose replaced an earlier one of the drug


@dataclass(frozen=True)
class Patient:
    """A patient the document itself reports, with everything said of them."""

    key: int  # 1-based order of appearance in the document
    label: str  # "case 1", "patient"
    age: int | None = None
    sex: str | None = None  # "female" | "male"
    primary: PrimaryTumor | None = None
    metastases: tuple[Metastasis, ...] = ()
    markers: tuple[MarkerResult, ...] = ()
    treatments: tuple[Treatment, ...] = ()
    negatives: tuple[NegativeFinding, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    follow_up_year: int | None = None  # the end of follow-up, when the report dates it
    follow_up_month: int | None = None
    follow_up_evidence: tuple[Evidence, ...] = ()
    local_recurrences: tuple[LocalRecurrence, ...] = ()


@dataclass(frozen=True)
class StudySiteCount:
    """How many patients of a cohort had their primary tumour, a metastasis or a recurrence at a site."""

    role: str  # "primary" | "metastasis" | "recurrence"
    site: str
    count: int
    evidence: tuple[Evidence, ...] = ()
    share: float | None = None  # the percentage of the cohort, where stated


@dataclass(frozen=True)
class StudyTreatmentCount:
    """How many patients of a cohort underwent a procedure or received an agent."""

    term: str
    count: int
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class StudyStatistic:
    """A cohort figure: a measure of the vocabulary, at a time point, for a subgroup, with its value.

    ``measure`` is the figure named in words, qualified by its statistic, time point and subgroup
    ("median overall survival in responders"); ``measure_id`` is the measure of
    ``ontology/measures.tsv`` it is a value of ("OverallSurvival").
    """

    measure: str
    value: float
    unit: str  # "%", "months", "years", "weeks", "days", "ratio", "patients"
    count: int | None = None
    evidence: tuple[Evidence, ...] = ()
    measure_id: str = ""
    statistic: str = ""  # "median", "mean", "rate", "count"
    time_point: float | None = None
    time_unit: str = ""
    low: float | None = None  # confidence interval or range
    high: float | None = None
    interval: str = ""  # "95% CI", "range", "IQR"
    p_value: str = ""
    denominator: int | None = None
    subgroup: str = ""


@dataclass(frozen=True)
class StudyArm:
    """A group of a study's cohort: a named arm or subgroup and its size."""

    label: str
    n: int
    description: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Claim:
    """What a document attributes to another study or to the literature: a claim, never a fact of its own.

    ``source`` names who makes it ("Lee et al.", "an earlier series", "[12]", or "the literature" for a
    statement about published cases in general); ``terms`` are the tumours, sites, markers and treatments
    it speaks of; ``statistics`` the figures it gives.
    """

    source: str
    terms: tuple[str, ...] = ()
    statistics: tuple[StudyStatistic, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class StudyFacts:
    """The cohort a study document reports."""

    n_patients: int | None = None
    tumor_types: tuple[str, ...] = ()
    site_counts: tuple[StudySiteCount, ...] = ()
    treatment_counts: tuple[StudyTreatmentCount, ...] = ()
    statistics: tuple[StudyStatistic, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    designs: tuple[str, ...] = ()  # local names of onc:StudyDesign individuals: "RetrospectiveStudy"
    treatments: tuple[str, ...] = ()  # terms of the treatments that define the population
    stage: str = ""  # "metastatic", "locally advanced", "stage IV"…
    arms: tuple[StudyArm, ...] = ()


@dataclass(frozen=True)
class DocumentFacts:
    """Everything extracted from one document."""

    name: str
    kind: str  # "case_report" | "cohort_study" | "other"
    patients: tuple[Patient, ...] = ()
    study: StudyFacts | None = None
    extractor_version: str = ""
    notes: tuple[str, ...] = field(default=())
    claims: tuple[Claim, ...] = ()
    characters: int = 0  # the length of the original file, which every evidence offset lies within
