"""Facts to RDF: the one place that knows how a fact looks as triples.

Every IRI of instance data is minted here (:func:`document_iri`,
:func:`graph_iri`, and the ``_mint`` helper) from the document name and the
fact's position, never from labels, so two builds give the same IRIs.
Individuals point at vocabulary terms by OWL 2 punning, and a term's IRI is
the external identifier itself (``:met onc:hasSite obo:UBERON_0003690``); every
fact links to its evidence.  :func:`terms_used` says which terms a document's
facts point at, so the store can hold their descriptions and closure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.term import Node

from .facts import (
    Claim,
    DocumentFacts,
    Evidence,
    MarkerResult,
    Metastasis,
    Patient,
    StudyFacts,
    StudyStatistic,
    Treatment,
)
from .vocab import BASE, DATA, ONC
from .vocabulary import vocabulary

__all__ = ["Triple", "document_iri", "emit", "graph_iri", "term_iri", "terms_used"]

Triple = tuple[Node, Node, Node]
GRAPH_BASE = BASE + "graph/"

_EVENT_CLASS = {
    "drug": ONC.DrugTreatment,
    "systemic": ONC.DrugTreatment,
    "surgery": ONC.SurgeryEvent,
    "radiotherapy": ONC.RadiotherapyEvent,
    "diagnostic": ONC.DiagnosticEvent,
    "procedure": ONC.TreatmentEvent,
}


def _slug(name: str) -> str:
    return quote(re.sub(r"\s+", "_", name.strip()), safe="._-~")


def document_iri(name: str) -> URIRef:
    """The IRI of an ingested document, from its file name."""
    return DATA[_slug(name)]


def graph_iri(name: str) -> URIRef:
    """The named graph that holds everything read from one document."""
    return URIRef(GRAPH_BASE + "document/" + _slug(name))


def term_iri(curie: str) -> URIRef:
    """The IRI of a vocabulary term from its CURIE (``UBERON:0002107`` → the OBO PURL)."""
    return URIRef(vocabulary().iri(curie))


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _dec(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 6))).normalize() if value != int(value) else Decimal(int(value)),
                   datatype=XSD.decimal)


#: the property that names the term of an unasserted finding, by its kind
_FINDING_TERM = {"metastasis": ONC.hasSite, "marker": ONC.hasMarker, "tumor": ONC.hasTumorType,
                 "treatment": ONC.hasAgent, "procedure": ONC.hasProcedure}


def _str(value: str) -> Literal:
    return Literal(value, datatype=XSD.string)


class _Emitter:
    def __init__(self, facts: DocumentFacts, metadata: object | None) -> None:
        self.facts = facts
        self.doc = document_iri(facts.name)
        self.triples: list[Triple] = []
        self.metadata = metadata
        self._evidence: dict[Evidence, URIRef] = {}
        self.terms: set[str] = set()

    def term(self, curie: str) -> URIRef:
        self.terms.add(curie)
        return term_iri(curie)

    def triples_unique(self) -> list[Triple]:
        seen: set[Triple] = set()
        out = []
        for t in self.triples:
            if t not in seen:
                seen.add(t)
                out.append(t)
        return out

    def add(self, s: Node, p: Node, o: Node | None) -> None:
        if o is not None:
            self.triples.append((s, p, o))

    def mint(self, *parts: object) -> URIRef:
        return URIRef(str(self.doc) + "/" + "/".join(str(p) for p in parts))

    def evidence(self, subject: URIRef, evidence: Iterable[Evidence]) -> None:
        for ev in evidence:
            node = self._evidence.get(ev)
            if node is None:
                node = self.mint("evidence", f"{ev.start}-{ev.end}")
                self._evidence[ev] = node
                self.add(node, RDF.type, ONC.Evidence)
                self.add(node, ONC.fromDocument, self.doc)
                self.add(node, ONC.sentenceText, _str(ev.sentence))
                self.add(node, ONC.startOffset, _int(ev.start))
                self.add(node, ONC.endOffset, _int(ev.end))
                if ev.section:
                    self.add(node, ONC.section, _str(ev.section))
                self.add(node, ONC.extractorVersion, _str(self.facts.extractor_version))
            self.add(subject, ONC.hasEvidence, node)

    def when(self, subject: URIRef, year: int | None, month: int | None) -> None:
        if year is not None:
            self.add(subject, ONC.year, _int(year))
        if month is not None:
            self.add(subject, ONC.month, _int(month))

    # ------------------------------------------------------------------ parts
    def document(self) -> None:
        d = self.doc
        self.add(d, RDF.type, ONC.Document)
        self.add(d, RDFS.label, _str(self.facts.name))
        self.add(d, ONC.fileName, _str(self.facts.name))
        if self.facts.characters:
            self.add(d, ONC.characterCount, _int(self.facts.characters))
        md = self.metadata
        if md is None:
            return
        for attr, prop in (("title", ONC.title), ("journal", ONC.journal), ("doi", ONC.doi),
                           ("pmid", ONC.pmid), ("pmcid", ONC.pmcid)):
            value = getattr(md, attr, None)
            if value:
                self.add(d, prop, _str(str(value)))
        year = getattr(md, "year", None)
        if year:
            self.add(d, ONC.publicationYear, _int(int(year)))
        authors = getattr(md, "authors", None)
        if authors:
            self.add(d, ONC.authors, _str("; ".join(authors)))

    def patient_label(self, p: Patient) -> str:
        """What people call the patient: first author and year of the report, and the case ("Lee 2019, case 2")."""
        authors = getattr(self.metadata, "authors", None) or ()
        year = getattr(self.metadata, "year", None)
        first = str(authors[0]).strip() if authors else ""
        who = f"{first} {year}".strip() if first else self.facts.name
        return f"{who}, {p.label}"

    def patient(self, p: Patient) -> None:
        iri = self.mint("patient", p.key)
        self.add(iri, RDF.type, ONC.Patient)
        self.add(iri, RDFS.label, _str(self.patient_label(p)))
        self.add(iri, ONC.patientLabel, _str(p.label))
        self.add(iri, ONC.reportedIn, self.doc)
        if p.age is not None:
            self.add(iri, ONC.age, _int(p.age))
        if p.sex:
            self.add(iri, ONC.sex, _str(p.sex))
        self.evidence(iri, p.evidence)
        primary = None
        if p.primary is not None:
            primary = self.mint("patient", p.key, "primary")
            pt = p.primary
            self.add(primary, RDF.type, ONC.PrimaryTumor)
            self.add(iri, ONC.hasPrimaryTumor, primary)
            if pt.tumor_type:
                self.add(primary, ONC.hasTumorType, self.term(pt.tumor_type))
            if pt.site:
                self.add(primary, ONC.hasSite, self.term(pt.site))
            self.when(primary, pt.year, pt.month)
            if pt.size_cm is not None:
                self.add(primary, ONC.sizeCm, _dec(pt.size_cm))
            if pt.mitotic_count:
                self.add(primary, ONC.mitoticCount, _str(pt.mitotic_count))
            if pt.risk:
                self.add(primary, ONC.riskClass, _str(pt.risk))
            self.evidence(primary, pt.evidence)
            if pt.year is not None:
                dx = self.mint("patient", p.key, "diagnosis")
                self.add(dx, RDF.type, ONC.Diagnosis)
                self.add(iri, ONC.hasEvent, dx)
                self.when(dx, pt.year, pt.month)
                self.evidence(dx, pt.evidence[:1])
        for i, m in enumerate(p.metastases, 1):
            self.metastasis(iri, p.key, i, m, primary)
        for i, r in enumerate(p.markers, 1):
            self.marker(iri, p.key, i, r)
        for i, t in enumerate(p.treatments, 1):
            self.treatment(iri, p.key, i, t, p.treatments)
        if p.follow_up_year is not None:
            fu = self.mint("patient", p.key, "follow-up-end")
            self.add(fu, RDF.type, ONC.FollowUpEnd)
            self.add(iri, ONC.hasEvent, fu)
            self.when(fu, p.follow_up_year, p.follow_up_month)
            self.evidence(fu, p.follow_up_evidence)
        for i, lr in enumerate(p.local_recurrences, 1):
            node = self.mint("patient", p.key, "recurrence", i)
            self.add(node, RDF.type, ONC.LocalRecurrence)
            self.add(iri, ONC.hasLocalRecurrence, node)
            self.add(node, ONC.hasSite, self.term(lr.site))
            if primary is not None:
                self.add(node, ONC.recurrenceOf, primary)
            self.when(node, lr.year, lr.month)
            self.evidence(node, lr.evidence)
        for i, n in enumerate(p.negatives, 1):
            node = self.mint("patient", p.key, "negative", i)
            negated = n.status == "negated"
            self.add(node, RDF.type, ONC.NegativeFinding if negated else ONC.UncertainFinding)
            self.add(iri, ONC.hasNegativeFinding if negated else ONC.hasFinding, node)
            self.add(node, _FINDING_TERM.get(n.kind, ONC.hasSite), self.term(n.term))
            self.add(node, ONC.status, _str("absent" if negated else n.status))
            if n.trigger:
                self.add(node, ONC.assertionTrigger, _str(n.trigger))
            self.evidence(node, n.evidence)

    def metastasis(self, patient: URIRef, key: int, i: int, m: Metastasis, primary: URIRef | None) -> None:
        node = self.mint("patient", key, "metastasis", i)
        self.add(node, RDF.type, ONC.Metastasis)
        self.add(patient, ONC.hasMetastasis, node)
        self.add(node, ONC.hasSite, self.term(m.site))
        if m.laterality:
            self.add(node, ONC.laterality, _str(m.laterality))
        if primary is not None:
            self.add(node, ONC.metastasisOf, primary)
        self.when(node, m.year, m.month)
        self.evidence(node, m.evidence)
        if m.year is not None:
            ev = self.mint("patient", key, "metastasis", i, "detection")
            self.add(ev, RDF.type, ONC.MetastasisDetection)
            self.add(patient, ONC.hasEvent, ev)
            self.add(ev, ONC.hasSite, self.term(m.site))
            self.when(ev, m.year, m.month)
            self.evidence(ev, m.evidence[:1])

    def marker(self, patient: URIRef, key: int, i: int, r: MarkerResult) -> None:
        node = self.mint("patient", key, "marker", i)
        self.add(node, RDF.type, ONC.MarkerResult)
        self.add(patient, ONC.hasMarkerResult, node)
        self.add(node, ONC.hasMarker, self.term(r.marker))
        if r.status:
            self.add(node, ONC.status, _str(r.status))
        if r.value:
            self.add(node, ONC.valueText, _str(r.value))
        if r.percent is not None:
            self.add(node, ONC.percentValue, _dec(r.percent))
        self.evidence(node, r.evidence)

    def treatment(self, patient: URIRef, key: int, i: int, t: Treatment, all_t: tuple[Treatment, ...]) -> None:
        node = self.mint("patient", key, "treatment", i)
        self.add(node, RDF.type, _EVENT_CLASS.get(t.kind, ONC.TreatmentEvent))
        self.add(patient, ONC.hasTreatment if t.kind != "diagnostic" else ONC.hasEvent, node)
        if t.kind != "diagnostic":
            self.add(patient, ONC.hasEvent, node)
        self.add(node, ONC.hasAgent if t.kind == "drug" else ONC.hasProcedure, self.term(t.term))
        if t.dose:
            self.add(node, ONC.doseText, _str(t.dose))
        if t.dose_value is not None:
            self.add(node, ONC.doseValue, _dec(t.dose_value))
        if t.dose_unit:
            self.add(node, ONC.doseUnit, _str(t.dose_unit))
        if t.dose_gy is not None:
            self.add(node, ONC.totalDoseGy, _dec(t.dose_gy))
        if t.fractions is not None:
            self.add(node, ONC.fractions, _int(t.fractions))
        if t.intent:
            self.add(node, ONC.intent, _str(t.intent))
        if t.line is not None:
            self.add(node, ONC.therapyLine, _int(t.line))
        if t.dose_change:
            self.add(node, ONC.doseChange, _str(t.dose_change))
        if t.site:
            self.add(node, ONC.hasSite, self.term(t.site))
        if t.switched_from:
            prev = next((j for j, o in enumerate(all_t, 1) if o.kind == "drug" and o.term == t.switched_from), None)
            if prev is not None:
                self.add(node, ONC.switchedFrom, self.mint("patient", key, "treatment", prev))
        self.when(node, t.year, t.month)
        self.evidence(node, t.evidence)

    def study(self, s: StudyFacts) -> None:
        node = self.mint("study")
        self.add(node, RDF.type, ONC.Study)
        self.add(self.doc, ONC.describesStudy, node)
        self.add(node, ONC.reportedIn, self.doc)
        self.add(node, RDFS.label, _str(f"cohort of {self.facts.name}"))
        if s.n_patients is not None:
            self.add(node, ONC.patientCount, _int(s.n_patients))
        for t in s.tumor_types:
            self.add(node, ONC.hasTumorType, self.term(t))
        self.evidence(node, s.evidence)
        for i, c in enumerate(s.site_counts, 1):
            sc = self.mint("study", "site", i)
            self.add(sc, RDF.type, ONC.StudySiteCount)
            self.add(node, ONC.hasSiteCount, sc)
            self.add(sc, ONC.role, _str(c.role))
            self.add(sc, ONC.hasSite, self.term(c.site))
            self.add(sc, ONC.count, _int(c.count))
            if c.share is not None:
                self.add(sc, ONC.share, _dec(c.share))
            self.evidence(sc, c.evidence)
        for i, tc in enumerate(s.treatment_counts, 1):
            tn = self.mint("study", "treatment", i)
            self.add(tn, RDF.type, ONC.StudyTreatmentCount)
            self.add(node, ONC.hasTreatmentCount, tn)
            self.add(tn, ONC.hasProcedure, self.term(tc.term))
            self.add(tn, ONC.count, _int(tc.count))
            self.evidence(tn, tc.evidence)
        for i, st in enumerate(s.statistics, 1):
            sn = self.mint("study", "statistic", i)
            self.add(node, ONC.hasStatistic, sn)
            self.statistic(sn, st)
        for design in s.designs:
            self.add(node, ONC.hasDesign, ONC._NS[design])
        for t in s.treatments:
            self.add(node, ONC.hasPopulationTreatment, self.term(t))
        if s.stage:
            self.add(node, ONC.stage, _str(s.stage))
        for i, arm in enumerate(s.arms, 1):
            an = self.mint("study", "arm", i)
            self.add(an, RDF.type, ONC.StudyArm)
            self.add(node, ONC.hasArm, an)
            self.add(an, RDFS.label, _str(arm.label))
            self.add(an, ONC.patientCount, _int(arm.n))
            if arm.description:
                self.add(an, ONC.subgroup, _str(arm.description))
            self.evidence(an, arm.evidence)

    def claims(self, claims: Iterable[Claim]) -> None:
        """What the document attributes to other studies: a cited study per source, a claim per sentence."""
        sources: dict[str, URIRef] = {}
        for i, claim in enumerate(claims, 1):
            cited = sources.get(claim.source)
            if cited is None:
                cited = sources[claim.source] = self.mint("cited", len(sources) + 1)
                self.add(cited, RDF.type, ONC.CitedStudy)
                self.add(cited, RDFS.label, _str(claim.source))
                self.add(self.doc, ONC.citesStudy, cited)
            cn = self.mint("claim", i)
            self.add(cn, RDF.type, ONC.Claim)
            self.add(cited, ONC.makesClaim, cn)
            for t in claim.terms:
                self.add(cn, ONC.mentionsTerm, self.term(t))
            for j, st in enumerate(claim.statistics, 1):
                sn = self.mint("claim", i, "statistic", j)
                self.add(cn, ONC.claimsStatistic, sn)
                self.statistic(sn, st)
            self.evidence(cn, claim.evidence)

    def statistic(self, sn: URIRef, st: StudyStatistic) -> None:
        """A study figure: its measure (in words and as a vocabulary term), value and what qualifies it."""
        self.add(sn, RDF.type, ONC.StudyStatistic)
        self.add(sn, ONC.measure, _str(st.measure))
        if st.measure_id:
            self.add(sn, ONC.measureTerm, ONC._NS[st.measure_id])
        self.add(sn, ONC.value, _dec(st.value))
        self.add(sn, ONC.unit, _str(st.unit))
        if st.count is not None:
            self.add(sn, ONC.count, _int(st.count))
        if st.statistic:
            self.add(sn, ONC.statistic, _str(st.statistic))
        if st.time_point is not None:
            self.add(sn, ONC.timePoint, _dec(st.time_point))
            self.add(sn, ONC.timeUnit, _str(st.time_unit))
        if st.low is not None and st.high is not None:
            self.add(sn, ONC.lowerBound, _dec(st.low))
            self.add(sn, ONC.upperBound, _dec(st.high))
            self.add(sn, ONC.intervalKind, _str(st.interval))
        if st.p_value:
            self.add(sn, ONC.pValue, _str(st.p_value))
        if st.denominator is not None:
            self.add(sn, ONC.denominator, _int(st.denominator))
        if st.subgroup:
            self.add(sn, ONC.subgroup, _str(st.subgroup))
        self.evidence(sn, st.evidence)


def emit(facts: DocumentFacts, metadata: object | None = None) -> list[Triple]:
    """The triples that state ``facts`` (and the document's ``metadata``), in a stable order.

    Parameters
    ----------
    facts : DocumentFacts
        What was extracted from one document.
    metadata : oncograph.document.Metadata, optional
        Its bibliographic metadata.

    Returns
    -------
    list of (subject, predicate, object)
        rdflib terms; the store puts them in the document's named graph.

    Examples
    --------
    >>> from oncograph.facts import DocumentFacts, Patient
    >>> triples = emit(DocumentFacts("a.txt", "case_report", (Patient(1, "case 1", 71, "female"),)))
    >>> (document_iri("a.txt") + "/patient/1", ONC.age, _int(71)) in triples
    True
    """
    return _run(facts, metadata).triples_unique()


def terms_used(facts: DocumentFacts) -> set[str]:
    """The CURIEs of every vocabulary term the triples of ``facts`` point at."""
    return _run(facts, None).terms


def _run(facts: DocumentFacts, metadata: object | None) -> _Emitter:
    e = _Emitter(facts, metadata)
    e.document()
    for p in facts.patients:
        e.patient(p)
    if facts.study is not None:
        e.study(facts.study)
    e.claims(facts.claims)
    return e
