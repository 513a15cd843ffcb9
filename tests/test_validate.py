"""Data-quality rules (ontology/shapes.ttl): one rule per test, on facts built by hand, and on ingested texts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from oncograph.cli import cli
from oncograph.emit import emit
from oncograph.facts import DocumentFacts, Evidence, Metastasis, Patient, PrimaryTumor, Treatment
from oncograph.pipeline import ingest
from oncograph.query import run_query
from oncograph.store import Store
from oncograph.validate import Issue, check_triples, load_shapes, validate_store

LIVER = "UBERON:0002107"
GIST = "MONDO:0011719"
IMATINIB = "CHEBI:45783"
SUNITINIB = "CHEBI:38940"
EV = (Evidence(0, 30, "She had a stomach GIST in 2019."),)


def _doc(*patients: Patient, characters: int = 500) -> DocumentFacts:
    return DocumentFacts("t.txt", "case_report", patients, characters=characters)


def _rules(facts: DocumentFacts) -> list[tuple[str, str]]:
    return [(i.severity, i.rule) for i in check_triples(emit(facts))]


def _clean_patient(**kw: object) -> Patient:
    base: dict[str, object] = dict(key=1, label="patient", age=60, sex="female",
                                   primary=PrimaryTumor(GIST, None, 2019, 3, evidence=EV), evidence=EV)
    base.update(kw)
    return Patient(**base)  # type: ignore[arg-type]


def test_the_shapes_are_shacl_and_each_has_a_rule_name() -> None:
    g = load_shapes()
    sh = "http://www.w3.org/ns/shacl#"
    shapes = {str(s) for s in g.subjects(predicate=None, object=None)
              if (s, None, None) in g and str(s).startswith("https://w3id.org/oncograph/shapes/")}
    assert len(shapes) >= 10
    labels = {str(o) for s, p, o in g if str(p).endswith("#label") and str(s).startswith("https://w3id.org/oncograph/")}
    assert {"evidence-offsets", "fact-evidence", "event-after-follow-up", "switch-before-start",
            "metastasis-before-diagnosis", "term-resolves", "age-range"} <= labels
    assert any(str(p) == sh + "severity" for _, p, _ in g)


def test_clean_facts_conform() -> None:
    facts = _doc(_clean_patient(metastases=(Metastasis(LIVER, None, 2020, 5, EV),),
                                treatments=(Treatment("drug", IMATINIB, year=2020, month=6, evidence=EV),)))
    assert check_triples(emit(facts)) == []


def test_an_event_after_the_end_of_follow_up_is_a_violation() -> None:
    p = _clean_patient(follow_up_year=2021, follow_up_month=4, follow_up_evidence=EV,
                       metastases=(Metastasis(LIVER, None, 2021, 9, EV),))
    (issue,) = check_triples(emit(_doc(p)))
    assert (issue.severity, issue.rule) == ("violation", "event-after-follow-up")
    assert issue.value.endswith("/patient/1/metastasis/1/detection")
    assert "2021-9" in issue.message and "2021-4" in issue.message
    assert issue.evidence == EV[0].sentence


def test_a_year_alone_is_after_follow_up_only_in_a_later_year() -> None:
    same_year = _clean_patient(follow_up_year=2021, follow_up_month=4, follow_up_evidence=EV,
                               metastases=(Metastasis(LIVER, None, 2021, None, EV),))
    assert _rules(_doc(same_year)) == []
    later = _clean_patient(follow_up_year=2021, follow_up_month=4, follow_up_evidence=EV,
                           metastases=(Metastasis(LIVER, None, 2022, None, EV),))
    assert _rules(_doc(later)) == [("violation", "event-after-follow-up")]


def test_a_drug_switched_to_before_the_one_it_replaced_started_is_a_violation() -> None:
    p = _clean_patient(treatments=(Treatment("drug", IMATINIB, year=2021, month=6, evidence=EV),
                                   Treatment("drug", SUNITINIB, year=2021, month=2, switched_from=IMATINIB,
                                             evidence=EV)))
    assert _rules(_doc(p)) == [("violation", "switch-before-start")]
    fine = _clean_patient(treatments=(Treatment("drug", IMATINIB, year=2021, month=2, evidence=EV),
                                      Treatment("drug", SUNITINIB, year=2021, month=6, switched_from=IMATINIB,
                                                evidence=EV)))
    assert _rules(_doc(fine)) == []


def test_a_metastasis_dated_before_the_diagnosis_is_a_warning() -> None:
    p = _clean_patient(metastases=(Metastasis(LIVER, None, 2018, None, EV),))
    assert _rules(_doc(p)) == [("warning", "metastasis-before-diagnosis")]


def test_implausible_age_and_doses_are_warnings() -> None:
    assert _rules(_doc(_clean_patient(age=140))) == [("warning", "age-range")]
    rt = Treatment("radiotherapy", "MESH:D011878", dose_gy=300.0, fractions=5, evidence=EV)
    rules = _rules(_doc(_clean_patient(treatments=(rt,))))
    assert rules.count(("warning", "radiation-dose-range")) == 2  # over 150 Gy, and 60 Gy a fraction
    drug = Treatment("drug", IMATINIB, dose_value=40000.0, dose_unit="mg", evidence=EV)
    assert _rules(_doc(_clean_patient(treatments=(drug,)))) == [("warning", "drug-dose-range")]


def test_a_fact_without_evidence_is_a_violation() -> None:
    p = _clean_patient(metastases=(Metastasis(LIVER),))
    (issue,) = check_triples(emit(_doc(p)))
    assert (issue.rule, issue.focus.endswith("/patient/1/metastasis/1")) == ("fact-evidence", True)


def test_evidence_past_the_end_of_its_file_is_a_violation() -> None:
    far = (Evidence(480, 620, "The liver lesion grew."),)
    p = _clean_patient(metastases=(Metastasis(LIVER, evidence=far),))
    issues = check_triples(emit(_doc(p, characters=500)))
    assert [(i.rule, "620" in i.message) for i in issues] == [("evidence-offsets", True)]


def test_a_term_the_ontology_does_not_have_is_a_violation() -> None:
    from rdflib import URIRef

    from oncograph.vocab import ONC

    good = emit(_doc(_clean_patient(metastases=(Metastasis(LIVER, evidence=EV),))))
    unknown = URIRef("http://purl.obolibrary.org/obo/UBERON_9999999")
    bad = [(s, p, unknown if p == ONC.hasSite else o) for s, p, o in good]
    issues = check_triples(bad)
    assert [(i.rule, i.value) for i in issues] == [("term-resolves", str(unknown))]


def test_two_sexes_are_a_violation() -> None:
    from rdflib import Literal, URIRef

    from oncograph.vocab import ONC

    triples = emit(_doc(_clean_patient()))
    patient = next(s for s, p, o in triples if p == ONC.sex)
    assert isinstance(patient, URIRef)
    assert [i.rule for i in check_triples([*triples, (patient, ONC.sex, Literal("male"))])] == [
        "patient-demographics"]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


CONTRADICTION = (
    "Case report\n\n"
    "A 58-year-old woman presented in March 2015 with a gastrointestinal stromal tumor of the stomach, "
    "which was resected in April 2015. She was lost to follow-up in June 2016. "
    "In September 2017, computed tomography showed liver metastases.\n"
)
CLEAN = (
    "Case report\n\n"
    "A 61-year-old man presented in March 2015 with a gastrointestinal stromal tumor of the stomach, "
    "which was resected in April 2015. In September 2016, computed tomography showed liver metastases.\n"
)


@pytest.fixture()
def two_reports(tmp_path: Path) -> tuple[Store, Path]:
    folder = tmp_path / "docs"
    folder.mkdir()
    _write(folder, "contradiction.txt", CONTRADICTION)
    _write(folder, "clean.txt", CLEAN)
    store = Store()
    report = ingest([folder], store)
    assert report.ok
    return store, folder


def test_ingest_records_the_issues_in_the_documents_graph(two_reports: tuple[Store, Path]) -> None:
    store, _ = two_reports
    result = run_query(store, "quality-issues")
    rows = [dict(zip(result.columns, r, strict=True)) for r in result.rows]
    found = {(r["document"], r["rule"], r["severity"]) for r in rows}
    assert ("contradiction.txt", "event-after-follow-up", "violation") in found
    assert not any(doc == "clean.txt" for doc, _, _ in found)
    after = [r for r in rows if r["rule"] == "event-after-follow-up"]
    assert after and all("September 2017" in r["evidence"] for r in after)  # the detection and its imaging


def test_validate_store_flags_one_document_and_passes_the_other(two_reports: tuple[Store, Path]) -> None:
    store, _ = two_reports
    report = validate_store(store)
    assert not report.conforms and report.documents == 2
    assert {i.document for i in report.issues} == {"contradiction.txt"}
    clean = validate_store(store, ["clean.txt"])
    assert clean.conforms and clean.issues == () and clean.documents == 1


def test_validate_command_prints_the_report_and_exits_1_on_violations(two_reports: tuple[Store, Path],
                                                                      tmp_path: Path) -> None:
    _, folder = two_reports
    path = tmp_path / "store"
    on_disk = Store(path)
    assert ingest([folder], on_disk).ok
    on_disk.flush()
    del on_disk
    runner = CliRunner()
    res = runner.invoke(cli, ["validate", "--store", str(path)])
    assert res.exit_code == 1
    assert "VIOLATION event-after-follow-up [contradiction.txt]" in res.output
    assert "evidence: In September 2017, computed tomography showed liver metastases." in res.output
    ok = runner.invoke(cli, ["validate", "--store", str(path), "--document", "clean.txt", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["issues"] == []
    missing = subprocess.run([sys.executable, "-m", "oncograph", "validate", "--store", str(path), "--document",
                              "nope.txt"], capture_output=True, text=True, check=False)
    assert missing.returncode == 1
    assert missing.stderr.strip() == "oncograph: error: no such document in the store: nope.txt"


def test_the_seeds_contradiction_is_flagged_without_curation(tmp_path: Path) -> None:
    seeds = Path(__file__).parent.parent / "seeds"
    store = Store()
    assert ingest([seeds], store).ok
    report = validate_store(store)
    rules = {(i.document, i.rule) for i in report.issues if i.severity == "violation"}
    assert ("000_217cd778b81c9127.txt", "event-after-follow-up") in rules
    assert all(isinstance(i, Issue) for i in report.issues)


def test_ingest_without_checking_records_no_issues(tmp_path: Path) -> None:
    path = _write(tmp_path, "contradiction.txt", CONTRADICTION)
    store = Store()
    assert ingest([path], store, check=False).ok
    assert run_query(store, "quality-issues").rows == ()
    assert not validate_store(store).conforms  # the rules still hold when asked
