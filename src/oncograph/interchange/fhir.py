"""HL7 FHIR R4 with mCODE profiles: one Bundle per patient.

Each Bundle (``type: collection``) holds the Patient, an age Observation, a
PrimaryCancerCondition and SecondaryCancerConditions with body-site codings,
TumorMarkerTest Observations, CancerRelatedMedicationRequests, surgical
Procedures, RadiotherapyCourseSummary Procedures with total dose and fractions,
and one Provenance per fact carrying the document, the sentence and its offsets.

Codings come only from the vocabularies the graph holds (the term's own IRI and
its cross-references), under the code-system URIs of HL7 Terminology where one
is registered. No SNOMED CT, LOINC or RxNorm code is written: the graph has none,
and none is made up here. Every ``fullUrl`` is a ``urn:uuid:`` derived (uuid5)
from the fact's IRI, so exporting the same store twice gives the same bytes.

The SPARQL is in the ``export-fhir-*`` queries of the library.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox

from ..export import ExportError, QuadSource, selected_graphs
from ..query import select
from ..vocabulary import vocabulary

__all__ = ["CODE_SYSTEMS", "PROFILES", "bundles", "export", "export_files"]

Json = dict[str, Any]

MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
#: mCODE (STU 3 / STU 4) profile of each kind of resource written
PROFILES = {
    "patient": MCODE + "mcode-cancer-patient",
    "primary": MCODE + "mcode-primary-cancer-condition",
    "secondary": MCODE + "mcode-secondary-cancer-condition",
    "marker": MCODE + "mcode-tumor-marker-test",
    "drug": MCODE + "mcode-cancer-related-medication-request",
    "surgery": MCODE + "mcode-cancer-related-surgical-procedure",
    "radiotherapy": MCODE + "mcode-radiotherapy-course-summary",
}

#: CURIE prefix -> FHIR code system URI, and whether the code keeps the prefix ("UBERON:0002107")
CODE_SYSTEMS: dict[str, tuple[str, bool]] = {
    "UBERON": ("http://purl.obolibrary.org/obo/uberon.owl", True),
    "MONDO": ("http://purl.obolibrary.org/obo/mondo.owl", True),
    "NCIT": ("http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl", False),
    "CHEBI": ("http://purl.obolibrary.org/obo/chebi.owl", True),
    "HGNC": ("http://www.genenames.org", True),
    "MESH": ("https://www.nlm.nih.gov/mesh", False),
    "ONC": ("https://w3id.org/oncograph/ontology", False),
}

_ONC = "https://w3id.org/oncograph/"
_EXT = _ONC + "fhir/StructureDefinition/"
_UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, _ONC)
_UCUM = "http://unitsofmeasure.org"
_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
_DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
#: the assertion status of a fact in the graph -> Condition.verificationStatus (others are not exported)
_VERIFICATION_OF = {"asserted": "confirmed", "absent": "refuted", "uncertain": "unconfirmed"}
_POLARITY = {"positive": ("POS", "Positive"), "negative": ("NEG", "Negative")}
_GENDER = {"female": "female", "male": "male"}


@dataclass(frozen=True)
class Term:
    """A vocabulary term as the graph describes it: IRI, label, cross-references."""

    iri: str
    label: str
    xrefs: tuple[str, ...] = ()


# ------------------------------------------------------------------ reading
def _rows(store: QuadSource, name: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
          ) -> list[dict[str, str]]:
    columns, rows = select(store, f"export-fhir-{name}", bindings=bindings)  # type: ignore[arg-type]
    return [{c: str(t.value) for c, t in zip(columns, row, strict=True) if t is not None} for row in rows]


def _terms(store: QuadSource) -> dict[str, Term]:
    return {r["term"]: Term(r["term"], r.get("label", ""), tuple(r.get("xrefs", "").split()))
            for r in _rows(store, "terms")}


def _document_name(store: QuadSource, document: str) -> str:
    graph = selected_graphs(store, document)[0]
    return unquote(graph.rsplit("/", 1)[-1])


# ------------------------------------------------------------------ small builders
def _uuid(iri: str) -> str:
    """The ``urn:uuid:`` of a fact's resource, the same on every export."""
    return f"urn:uuid:{uuid.uuid5(_UUID_NAMESPACE, iri)}"


def _ref(iri: str) -> Json:
    return {"reference": _uuid(iri)}


def _coding(curie: str, display: str | None = None) -> Json | None:
    prefix, _, local = curie.partition(":")
    known = CODE_SYSTEMS.get(prefix.upper())
    if known is None or not local:
        return None
    system, keep_prefix = known
    coding = {"system": system, "code": f"{prefix.upper()}:{local}" if keep_prefix else local}
    if display:
        coding["display"] = display
    return coding


def concept(term: Term, *, text: str | None = None) -> Json:
    """A CodeableConcept: the term's own coding first, then its cross-references in known systems."""
    codings = []
    own = vocabulary().curie(term.iri)
    if own:
        coding = _coding(own, term.label or None)
        if coding:
            codings.append(coding)
    for xref in term.xrefs:
        coding = _coding(xref)
        if coding and coding not in codings:
            codings.append(coding)
    out: Json = {"coding": codings} if codings else {}
    out["text"] = text or term.label or term.iri
    return out


def _date(row: Mapping[str, str]) -> str | None:
    year = row.get("year")
    if not year:
        return None
    month = row.get("month")
    return f"{int(year):04d}-{int(month):02d}" if month else f"{int(year):04d}"


def _number(value: str) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _resource(kind: str, resource_type: str, iri: str, **content: Any) -> Json:
    out: Json = {"resourceType": resource_type, "id": _uuid(iri).rsplit(":", 1)[-1]}
    if kind in PROFILES:
        out["meta"] = {"profile": [PROFILES[kind]]}
    out.update({k: v for k, v in content.items() if v is not None})
    return out


def _intent(text: str | None) -> list[Json] | None:
    if not text:
        return None
    return [{"url": MCODE + "mcode-procedure-intent", "valueCodeableConcept": {"text": text}}]


# ------------------------------------------------------------------ resources
def patient_resource(row: Mapping[str, str]) -> Json:
    """The Patient: its graph IRI as identifier, gender, the report's label for the case."""
    return _resource(
        "patient", "Patient", row["patient"],
        identifier=[{"system": "urn:ietf:rfc:3986", "value": row["patient"]}],
        gender=_GENDER.get(row.get("sex", ""), "unknown" if row.get("sex") else None),
        extension=[{"url": _EXT + "case-label", "valueString": row.get("name") or row["label"]}],
    )


def age_resource(row: Mapping[str, str]) -> Json | None:
    """The age the report gives, as an Observation (coded by text only: no LOINC code in the graph)."""
    if not row.get("age"):
        return None
    return _resource(
        "age", "Observation", row["patient"] + "#age",
        status="final", code={"text": "age at presentation"}, subject=_ref(row["patient"]),
        valueQuantity={"value": int(row["age"]), "unit": "a", "system": _UCUM, "code": "a"},
    )


def condition_resource(row: Mapping[str, str], terms: Mapping[str, Term]) -> Json | None:
    """A Primary- or SecondaryCancerCondition; a denied one is ``refuted``, a hedged one ``unconfirmed``."""
    verification = _VERIFICATION_OF.get(row["status"])
    if verification is None:  # hypothetical, family: not the patient's condition
        return None
    site = terms.get(row.get("site", ""))
    body_site = None
    if site is not None:
        where = f"{row['laterality']} {site.label}" if row.get("laterality") else site.label
        body_site = [concept(site, text=where)]
    if row["role"] == "primary":
        kind_of = terms.get(row.get("type", ""))
        code = concept(kind_of) if kind_of else {"text": "primary cancer (type not stated)"}
    else:
        code = {"text": f"metastasis to {site.label if site else 'an unstated site'}"}
    return _resource(
        row["role"], "Condition", row["condition"],
        verificationStatus={"coding": [{"system": _VERIFICATION, "code": verification}]},
        category=[{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                               "code": "encounter-diagnosis"}]}],
        code=code, bodySite=body_site, subject=_ref(row["patient"]), onsetDateTime=_date(row),
    )


def marker_resource(row: Mapping[str, str], terms: Mapping[str, Term]) -> Json:
    """A TumorMarkerTest: positive/negative as a coded value, a measured value as a quantity or text."""
    marker = terms.get(row["marker"], Term(row["marker"], row["marker"]))
    value: dict[str, Any] = {}
    polarity = _POLARITY.get(row.get("status", ""))
    if polarity is not None:
        coded = {"coding": [{"system": _INTERPRETATION, "code": polarity[0], "display": polarity[1]}],
                 "text": row["status"]}
        value = {"valueCodeableConcept": coded, "interpretation": [coded]}
    elif row.get("percent"):
        value = {"valueQuantity": {"value": _number(row["percent"]), "unit": "%", "system": _UCUM, "code": "%"}}
    elif row.get("value"):
        value = {"valueString": row["value"]}
    return _resource(
        "marker", "Observation", row["result"],
        status="final",
        category=[{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                               "code": "laboratory"}]}],
        code=concept(marker), subject=_ref(row["patient"]), **value,
    )


def medication_resource(row: Mapping[str, str], terms: Mapping[str, Term], reason: str | None) -> Json:
    """A CancerRelatedMedicationRequest: reported (not ordered here), status unknown, dose as text."""
    drug = terms.get(row["term"], Term(row["term"], row["term"]))
    dosage: Json = {}
    if row.get("dose"):
        dosage["text"] = row["dose"]
    if _date(row):
        dosage["timing"] = {"repeat": {"boundsPeriod": {"start": _date(row)}}}
    return _resource(
        "drug", "MedicationRequest", row["treatment"],
        extension=_intent(row.get("intent")),
        status="unknown", intent="order", reportedBoolean=True,
        medicationCodeableConcept=concept(drug), subject=_ref(row["patient"]),
        reasonReference=[_ref(reason)] if reason else None,
        reasonCode=None if reason else [{"text": "cancer (condition not extracted)"}],
        dosageInstruction=[dosage] if dosage else None,
    )


def procedure_resource(row: Mapping[str, str], terms: Mapping[str, Term], reason: str | None) -> Json:
    """A surgical Procedure, or a RadiotherapyCourseSummary with total dose (cGy) and fractions."""
    what = terms.get(row["term"], Term(row["term"], row["term"]))
    site = terms.get(row.get("site", ""))
    extension = _intent(row.get("intent")) or []
    if row["kind"] == "radiotherapy" and (row.get("dose_gy") or row.get("fractions")):
        dose: list[Json] = []
        if site is not None:
            dose.append({"url": "volume", "valueReference": {"display": site.label}})
        if row.get("dose_gy"):
            dose.append({"url": "totalDoseDelivered",
                         "valueQuantity": {"value": _number(str(float(row["dose_gy"]) * 100)), "unit": "cGy",
                                           "system": _UCUM, "code": "cGy"}})
        if row.get("fractions"):
            dose.append({"url": "fractionsDelivered", "valueUnsignedInt": int(row["fractions"])})
        extension.append({"url": MCODE + "mcode-radiotherapy-dose-delivered-to-volume", "extension": dose})
    return _resource(
        row["kind"], "Procedure", row["treatment"],
        extension=extension or None,
        status="completed", code=concept(what), subject=_ref(row["patient"]),
        performedDateTime=_date(row),
        bodySite=[concept(site)] if site is not None else None,
        reasonReference=[_ref(reason)] if reason else None,
    )


def _evidence_extension(row: Mapping[str, str]) -> Json:
    parts: list[Json] = [{"url": "sentence", "valueString": row["sentence"]},
                         {"url": "start", "valueInteger": int(row["start"])},
                         {"url": "end", "valueInteger": int(row["end"])}]
    if row.get("section"):
        parts.append({"url": "section", "valueString": row["section"]})
    return {"url": _EXT + "evidence", "extension": parts}


def provenance_resource(fact: str, evidence: Sequence[Mapping[str, str]], document: Mapping[str, str]) -> Json:
    """The Provenance of one fact's resource: the report, each sentence with its offsets, the extractor."""
    source: Json = {"display": document["document"]}
    for key, system in (("doi", "https://doi.org"), ("pmid", "https://pubmed.ncbi.nlm.nih.gov")):
        if document.get(key):
            source["identifier"] = {"system": system, "value": document[key]}
            break
    version = next((e["version"] for e in evidence if e.get("version")), "oncograph")
    return _resource(
        "provenance", "Provenance", fact + "#provenance",
        target=[_ref(fact)],
        # the graph records no time of extraction: say so rather than invent one
        _recorded={"extension": [{"url": _DATA_ABSENT, "valueCode": "unknown"}]},
        agent=[{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                                     "code": "assembler"}]},
                "who": {"display": version}}],
        entity=[{"role": "source", "what": {**source, "display": f"{document['document']}: {e['sentence']}"},
                 "extension": [_evidence_extension(e)]} for e in evidence],
    )


# ------------------------------------------------------------------ bundles
def _first_primary(conditions: Iterable[Mapping[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in conditions:
        if c["role"] == "primary":
            out.setdefault(c["patient"], c["condition"])
    return out


def _by_patient(rows: Iterable[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        out[r["patient"]].append(r)
    return out


def bundles(store: QuadSource, document: str | None = None) -> list[tuple[Mapping[str, str], Json]]:
    """Every patient (or one document's) with its Bundle, in the order of document and patient."""
    bindings = {"document": ox.Literal(_document_name(store, document))} if document else None
    patients = _rows(store, "patients", bindings)
    if not patients:
        return []
    terms = _terms(store)
    conditions = _by_patient(_rows(store, "conditions"))
    markers = _by_patient(_rows(store, "markers"))
    treatments = _by_patient(_rows(store, "treatments"))
    evidence = _by_patient(_rows(store, "evidence"))
    primary = _first_primary(c for rows in conditions.values() for c in rows)
    out: list[tuple[Mapping[str, str], Json]] = []
    for p in patients:
        iri = p["patient"]
        facts: list[tuple[str, Json | None]] = [(iri, patient_resource(p)), (iri + "#age", age_resource(p))]
        facts += [(c["condition"], condition_resource(c, terms)) for c in conditions.get(iri, [])]
        facts += [(m["result"], marker_resource(m, terms)) for m in markers.get(iri, [])]
        for t in treatments.get(iri, []):
            build = medication_resource if t["kind"] == "drug" else procedure_resource
            facts.append((t["treatment"], build(t, terms, primary.get(iri))))
        kept = [(fact, r) for fact, r in facts if r is not None]
        out.append((p, _bundle(iri, kept, evidence.get(iri, []), p)))
    return out


def _bundle(patient: str, resources: Sequence[tuple[str, Json]], evidence: Sequence[Mapping[str, str]],
            document: Mapping[str, str]) -> Json:
    by_fact: dict[str, list[Mapping[str, str]]] = defaultdict(list)
    for e in evidence:
        by_fact[e["fact"]].append(e)
    entries = list(resources)
    entries += [(fact + "#provenance", provenance_resource(fact, by_fact[fact], document))
                for fact, _ in resources if by_fact.get(fact)]
    return {
        "resourceType": "Bundle",
        "id": _uuid(patient + "#bundle").rsplit(":", 1)[-1],
        "type": "collection",
        "entry": [{"fullUrl": _uuid(iri), "resource": r} for iri, r in entries],
    }


# ------------------------------------------------------------------ the contract
def _file_name(row: Mapping[str, str], taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", PurePosixPath(row["document"]).stem).strip("-") or "document"
    case = re.sub(r"[^A-Za-z0-9._-]+", "-", row["label"]).strip("-") or "patient"
    name = f"{stem}-{case}.json"
    if name in taken:
        name = f"{stem}-{case}-{row['patient'].rsplit('/', 1)[-1]}.json"
    taken.add(name)
    return name


def export(store: QuadSource, fmt: str, document: str | None = None) -> bytes:
    """NDJSON: one Bundle per line per patient, in the order of document and patient."""
    _check(fmt)
    lines = [json.dumps(b, ensure_ascii=False, separators=(",", ":")) for _, b in bundles(store, document)]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def export_files(store: QuadSource, fmt: str, document: str | None = None) -> dict[str, bytes]:
    """One pretty-printed JSON Bundle per patient, named ``<document stem>-<case label>.json``."""
    _check(fmt)
    taken: set[str] = set()
    return {_file_name(p, taken): (json.dumps(b, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            for p, b in bundles(store, document)}


def _check(fmt: str) -> None:
    if fmt != "fhir":
        raise ExportError(f"the FHIR writer does not write {fmt!r}")
