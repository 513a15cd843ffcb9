"""The FHIR R4 / mCODE export: bundle contents, validation by fhir.resources, determinism, read-back, CLI.

The fixture is two short hand-written reports, ingested as ``oncograph ingest`` does.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from oncograph.cli import cli
from oncograph.export import ExportError, export, export_files
from oncograph.interchange import EXPORT_FORMATS
from oncograph.interchange.fhir import PROFILES, condition_resource
from oncograph.pipeline import ingest
from oncograph.store import Store

fhir_r4b = pytest.importorskip("fhir.resources.R4B")
from fhir.resources.R4B.bundle import Bundle  # noqa: E402

GASTRIC = (
    "Case presentation\n\n"
    "A 58-year-old man with several weeks of epigastric pain was referred to our clinic, where a complete "
    "clinical, laboratory and radiological work-up was performed. In March 2012 he was diagnosed with a "
    "gastrointestinal stromal tumor of the stomach and underwent a partial gastrectomy. Immunohistochemistry "
    "showed that the tumor cells were positive for CD117 and negative for desmin. He then received imatinib "
    "400 mg daily as adjuvant therapy. In 2015 a metastasis was found in the liver. There was no evidence of "
    "metastasis in the lung. In 2016 a metastasis in the L2 vertebra was treated with radiotherapy, 30 Gy in "
    "10 fractions.\n"
)
UTERINE = (
    "Case presentation\n\n"
    "A 47-year-old woman with pelvic pressure for several months was referred to our hospital, where a full "
    "clinical and imaging assessment was carried out. She was diagnosed with a leiomyosarcoma of the uterus "
    "in 2019.\n"
)
PATIENT_A = "https://w3id.org/oncograph/data/a-gastric.txt/patient/1"
UBERON = "http://purl.obolibrary.org/obo/uberon.owl"
Json = dict[str, Any]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    (folder / "a-gastric.txt").write_text(GASTRIC, encoding="utf-8")
    (folder / "b-uterine.txt").write_text(UTERINE, encoding="utf-8")
    path = tmp_path_factory.mktemp("store") / "store"
    store = Store(path)
    report = ingest([folder], store)
    assert report.ok, report.errors
    store.flush()
    return path


@pytest.fixture(scope="module")
def store(store_path: Path) -> Iterator[Store]:
    yield Store(store_path, read_only=True)


@pytest.fixture(scope="module")
def bundles(store: Store) -> list[Json]:
    return [json.loads(line) for line in export(store, "fhir").decode("utf-8").splitlines()]


@pytest.fixture(scope="module")
def gastric(bundles: list[Json]) -> list[Json]:
    """The resources of the first report's one patient."""
    return [e["resource"] for e in bundles[0]["entry"]]


def of_profile(resources: list[Json], kind: str) -> list[Json]:
    return [r for r in resources if PROFILES[kind] in r.get("meta", {}).get("profile", [])]


def codes(concept: Json) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


def test_fhir_is_an_export_format() -> None:
    assert "fhir" in EXPORT_FORMATS


def test_one_bundle_per_patient_in_document_order(bundles: list[Json]) -> None:
    assert [b["resourceType"] for b in bundles] == ["Bundle", "Bundle"]
    firsts = [b["entry"][0]["resource"] for b in bundles]
    assert [p["resourceType"] for p in firsts] == ["Patient", "Patient"]
    assert [p["identifier"][0]["value"] for p in firsts] == [
        PATIENT_A, "https://w3id.org/oncograph/data/b-uterine.txt/patient/1"]


def test_every_resource_validates_with_fhir_resources(bundles: list[Json]) -> None:
    for bundle in bundles:
        Bundle.model_validate(bundle)
        for entry in bundle["entry"]:
            resource = entry["resource"]
            fhir_r4b.get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def test_validation_would_reject_a_resource_without_a_required_element(gastric: list[Json]) -> None:
    broken = {k: v for k, v in of_profile(gastric, "marker")[0].items() if k != "status"}
    with pytest.raises(ValueError, match="status"):
        fhir_r4b.get_fhir_model_class("Observation").model_validate(broken)


def test_patient_gender_and_age(gastric: list[Json]) -> None:
    patient = gastric[0]
    assert patient["gender"] == "male"
    age = next(r for r in gastric if r["resourceType"] == "Observation" and r["code"]["text"].startswith("age"))
    assert age["valueQuantity"]["value"] == 58
    assert age["subject"]["reference"] == f"urn:uuid:{patient['id']}"


def test_primary_condition_has_tumour_type_and_body_site_codes(gastric: list[Json]) -> None:
    (primary,) = of_profile(gastric, "primary")
    assert ("http://purl.obolibrary.org/obo/mondo.owl", "MONDO:0011719") in codes(primary["code"])
    assert codes(primary["bodySite"][0]) == {(UBERON, "UBERON:0000945")}
    assert primary["onsetDateTime"] == "2012-03"


def test_secondary_conditions_carry_their_sites(gastric: list[Json]) -> None:
    confirmed = [c for c in of_profile(gastric, "secondary")
                 if c["verificationStatus"]["coding"][0]["code"] == "confirmed"]
    sites = {code for c in confirmed for code in codes(c["bodySite"][0])}
    assert (UBERON, "UBERON:0002107") in sites  # liver
    assert (UBERON, "UBERON:0002048") not in sites  # lung: denied by the report


def test_a_denied_metastasis_is_refuted(gastric: list[Json]) -> None:
    refuted = [c for c in of_profile(gastric, "secondary")
               if c["verificationStatus"]["coding"][0]["code"] == "refuted"]
    assert [codes(c["bodySite"][0]) for c in refuted] == [{(UBERON, "UBERON:0002048")}]


def test_a_hypothetical_finding_is_not_exported() -> None:
    row = {"patient": PATIENT_A, "condition": PATIENT_A + "/negative/9", "role": "secondary",
           "status": "hypothetical", "site": "http://purl.obolibrary.org/obo/UBERON_0002107"}
    assert condition_resource(row, {}) is None


def test_marker_results_keep_their_polarity(gastric: list[Json]) -> None:
    values = {next(c["code"] for c in o["code"]["coding"] if c["system"] == "http://www.genenames.org"):
              o["valueCodeableConcept"]["coding"][0]["code"] for o in of_profile(gastric, "marker")}
    assert values == {"HGNC:6342": "POS", "HGNC:2770": "NEG"}  # KIT (CD117), desmin


def test_medication_request_carries_drug_dose_and_intent(gastric: list[Json]) -> None:
    (drug,) = of_profile(gastric, "drug")
    assert ("http://purl.obolibrary.org/obo/chebi.owl", "CHEBI:45783") in codes(drug["medicationCodeableConcept"])
    assert drug["dosageInstruction"][0]["text"] == "400 mg/day"
    assert drug["extension"][0]["valueCodeableConcept"]["text"] == "adjuvant"
    (primary,) = of_profile(gastric, "primary")
    assert drug["reasonReference"] == [{"reference": f"urn:uuid:{primary['id']}"}]


def test_surgery_is_a_cancer_related_surgical_procedure(gastric: list[Json]) -> None:
    (surgery,) = of_profile(gastric, "surgery")
    assert surgery["status"] == "completed"
    assert surgery["performedDateTime"] == "2012-03"
    assert surgery["code"]["coding"][0]["system"] == "https://www.nlm.nih.gov/mesh"


def test_radiotherapy_carries_total_dose_and_fractions(gastric: list[Json]) -> None:
    (course,) = of_profile(gastric, "radiotherapy")
    (dose,) = [e for e in course["extension"] if e["url"].endswith("mcode-radiotherapy-dose-delivered-to-volume")]
    parts = {p["url"]: p for p in dose["extension"]}
    assert parts["totalDoseDelivered"]["valueQuantity"] == {
        "value": 3000, "unit": "cGy", "system": "http://unitsofmeasure.org", "code": "cGy"}
    assert parts["fractionsDelivered"]["valueUnsignedInt"] == 10


def test_provenance_gives_the_sentence_and_offsets_of_a_fact(gastric: list[Json]) -> None:
    (negative,) = [o for o in of_profile(gastric, "marker") if o["valueCodeableConcept"]["text"] == "negative"]
    (prov,) = [p for p in gastric if p["resourceType"] == "Provenance"
               and p["target"] == [{"reference": f"urn:uuid:{negative['id']}"}]]
    entity = prov["entity"][0]
    assert entity["what"]["display"].startswith("a-gastric.txt: ")
    parts = {p["url"]: p for p in entity["extension"][0]["extension"]}
    assert "negative for desmin" in parts["sentence"]["valueString"]
    assert 0 < parts["start"]["valueInteger"] < parts["end"]["valueInteger"]


def test_every_reference_resolves_inside_its_bundle(bundles: list[Json]) -> None:
    def references(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            if isinstance(node.get("reference"), str):
                yield node["reference"]
            for value in node.values():
                yield from references(value)
        elif isinstance(node, list):
            for value in node:
                yield from references(value)

    for bundle in bundles:
        full_urls = {e["fullUrl"] for e in bundle["entry"]}
        assert set(references(bundle["entry"])) <= full_urls


def test_no_snomed_loinc_or_rxnorm_code_is_written(store: Store) -> None:
    text = export(store, "fhir").decode("utf-8")
    for system in ("snomed.info", "loinc.org", "rxnorm"):
        assert system not in text


def test_full_urls_are_uuid5_of_the_fact_iri(bundles: list[Json]) -> None:
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/oncograph/")
    assert bundles[0]["entry"][0]["fullUrl"] == f"urn:uuid:{uuid.uuid5(namespace, PATIENT_A)}"


def test_export_is_byte_identical_when_repeated(store: Store) -> None:
    assert export(store, "fhir") == export(store, "fhir")
    assert export_files(store, "fhir") == export_files(store, "fhir")


def test_one_document_only(store: Store) -> None:
    lines = export(store, "fhir", document="b-uterine.txt").splitlines()
    assert len(lines) == 1
    assert b"leiomyosarcoma" in lines[0]
    with pytest.raises(ExportError, match="no document"):
        export(store, "fhir", document="missing.txt")


def test_files_are_named_from_the_report_and_the_patient(store: Store) -> None:
    assert sorted(export_files(store, "fhir")) == ["a-gastric-patient.json", "b-uterine-patient.json"]


def test_cli_writes_one_file_per_patient_that_reads_back(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "fhir"
    result = CliRunner().invoke(cli, ["export", "--format", "fhir", "--store", str(store_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a-gastric-patient.json", "b-uterine-patient.json"]
    bundle = Bundle.model_validate_json((out / "a-gastric-patient.json").read_text(encoding="utf-8"))
    assert bundle.type == "collection"
    patient = bundle.entry[0].resource
    assert patient.get_resource_type() == "Patient"
    assert patient.gender == "male"


def test_cli_writes_ndjson_to_standard_output(store_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "fhir", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert all(json.loads(line)["resourceType"] == "Bundle" for line in lines)
