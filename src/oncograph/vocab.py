"""The vocabulary of oncograph's own namespace, declared once.

Schema names (classes and properties) live in :data:`ONC`; the domain terms are
the external vocabularies' own classes (UBERON, MONDO, ChEBI, HGNC, MeSH IRIs), and
the few terms of our namespace that no release has are read from
``ontology/terms.tsv`` (:mod:`oncograph.vocabulary`), not declared here.
``tests/test_vocab.py`` checks that every name below is declared in
``ontology/oncograph.ttl`` with the right kind.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from .namespaces import BASE, ONC_NS

__all__ = ["BASE", "DATA", "OBO", "ONC", "ONTOLOGY_IRI", "PART_OF"]

ONTOLOGY_IRI = URIRef(BASE + "ontology")
DATA = Namespace(BASE + "data/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
PART_OF = OBO["BFO_0000050"]  # reused: "part of"


class ONC(DefinedNamespace):
    """Classes and properties of the oncograph schema."""

    _NS = Namespace(ONC_NS)
    _fail = True

    # --- classes: documents, studies, patients -------------------------------------
    Document: URIRef
    Study: URIRef
    Patient: URIRef
    # --- classes: tumours ----------------------------------------------------------
    Tumor: URIRef
    PrimaryTumor: URIRef
    Metastasis: URIRef
    LocalRecurrence: URIRef
    # --- classes: data quality and curation ------------------------------------------
    QualityIssue: URIRef
    CurationDecision: URIRef
    Finding: URIRef
    NegativeFinding: URIRef
    UncertainFinding: URIRef
    # --- classes: roots of the domain-term hierarchies (terms are punned) ---------------
    AnatomicalSite: URIRef
    TumorType: URIRef
    Marker: URIRef
    TherapeuticAgent: URIRef
    AgentRole: URIRef
    Procedure: URIRef
    SurgicalProcedure: URIRef
    RadiotherapyProcedure: URIRef
    SystemicTherapy: URIRef
    DiagnosticProcedure: URIRef
    ImagingProcedure: URIRef
    # --- classes: findings and events -------------------------------------------
    MarkerResult: URIRef
    ClinicalEvent: URIRef
    Diagnosis: URIRef
    TreatmentEvent: URIRef
    DrugTreatment: URIRef
    SurgeryEvent: URIRef
    RadiotherapyEvent: URIRef
    DiagnosticEvent: URIRef
    MetastasisDetection: URIRef
    Recurrence: URIRef
    FollowUpEnd: URIRef
    Outcome: URIRef
    # --- classes: cohort figures ------------------------------------------------
    StudyStatistic: URIRef
    StudyMeasure: URIRef
    StudyDesign: URIRef
    StudyArm: URIRef
    CitedStudy: URIRef
    Claim: URIRef
    StudySiteCount: URIRef
    StudyTreatmentCount: URIRef
    # --- classes: provenance -------------------------------------------------------
    Evidence: URIRef

    # --- object properties -------------------------------------------------------
    reportedIn: URIRef  # Patient/Study -> Document
    describesStudy: URIRef  # Document -> Study
    hasPrimaryTumor: URIRef  # Patient -> PrimaryTumor
    hasMetastasis: URIRef  # Patient -> Metastasis
    metastasisOf: URIRef  # Metastasis -> PrimaryTumor
    hasMarkerResult: URIRef  # Patient -> MarkerResult
    hasTreatment: URIRef  # Patient -> TreatmentEvent
    hasEvent: URIRef  # Patient -> ClinicalEvent (any)
    hasFinding: URIRef  # Patient -> Finding (denied, uncertain or hypothetical)
    hasNegativeFinding: URIRef  # Patient -> NegativeFinding (a sub-property of hasFinding)
    hasSite: URIRef  # Tumor/NegativeFinding/StudySiteCount/TreatmentEvent -> site term
    hasTumorType: URIRef  # Tumor/Study -> tumour-type term
    hasMarker: URIRef  # MarkerResult -> marker term
    hasAgent: URIRef  # DrugTreatment -> agent term
    hasProcedure: URIRef  # TreatmentEvent/DiagnosticEvent -> procedure term
    switchedFrom: URIRef  # DrugTreatment -> DrugTreatment
    hasEvidence: URIRef  # any fact -> Evidence
    fromDocument: URIRef  # Evidence -> Document
    hasStatistic: URIRef  # Study -> StudyStatistic
    measureTerm: URIRef  # StudyStatistic -> StudyMeasure individual
    hasDesign: URIRef  # Study -> StudyDesign individual
    hasArm: URIRef  # Study -> StudyArm
    citesStudy: URIRef  # Document -> CitedStudy
    claimsStatistic: URIRef  # Claim -> StudyStatistic
    hasLocalRecurrence: URIRef  # Patient -> LocalRecurrence
    recurrenceOf: URIRef  # LocalRecurrence -> PrimaryTumor
    makesClaim: URIRef  # CitedStudy -> Claim
    mentionsTerm: URIRef  # Claim -> a term it speaks of
    hasPopulationTreatment: URIRef  # Study -> procedure or agent term
    hasSiteCount: URIRef  # Study -> StudySiteCount
    hasTreatmentCount: URIRef  # Study -> StudyTreatmentCount
    hasQualityIssue: URIRef  # Document -> QualityIssue
    hasCurationDecision: URIRef  # Document -> CurationDecision
    concerns: URIRef  # QualityIssue/CurationDecision -> the node it is about
    curatedBy: URIRef  # fact -> CurationDecision

    # --- annotation properties -----------------------------------------------------
    within: URIRef  # term -> each term it is, is a kind of or lies in (materialised in the closure graph)

    # --- data properties -----------------------------------------------------------
    # document metadata
    title: URIRef
    journal: URIRef
    publicationYear: URIRef
    doi: URIRef
    pmid: URIRef
    pmcid: URIRef
    authors: URIRef
    fileName: URIRef
    sourceFormat: URIRef
    contentHash: URIRef
    characterCount: URIRef
    # quality issues and curation decisions
    severity: URIRef
    issueMessage: URIRef
    qualityRule: URIRef
    curationAction: URIRef
    curator: URIRef
    curationDate: URIRef
    curationReason: URIRef
    previousValue: URIRef
    curatedValue: URIRef
    # patients
    patientLabel: URIRef
    age: URIRef
    sex: URIRef
    # tumours and events
    year: URIRef
    month: URIRef
    laterality: URIRef
    sizeCm: URIRef
    mitoticCount: URIRef
    riskClass: URIRef
    status: URIRef
    therapyLine: URIRef
    doseChange: URIRef
    assertionTrigger: URIRef
    valueText: URIRef
    percentValue: URIRef
    doseText: URIRef
    doseValue: URIRef
    doseUnit: URIRef
    totalDoseGy: URIRef
    fractions: URIRef
    intent: URIRef
    outcomeText: URIRef
    # cohort figures
    patientCount: URIRef
    measure: URIRef
    statistic: URIRef
    timePoint: URIRef
    timeUnit: URIRef
    lowerBound: URIRef
    upperBound: URIRef
    intervalKind: URIRef
    pValue: URIRef
    denominator: URIRef
    subgroup: URIRef
    stage: URIRef
    share: URIRef
    measureKind: URIRef  # annotation on StudyMeasure individuals
    value: URIRef
    unit: URIRef
    count: URIRef
    role: URIRef
    # provenance
    sentenceText: URIRef
    startOffset: URIRef
    endOffset: URIRef
    section: URIRef
    extractorVersion: URIRef
