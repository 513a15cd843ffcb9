"""The KGX export (``--format kgx``): Biolink nodes and edges of one made-up report, and ``kgx validate``."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from oncograph.cli import cli
from oncograph.export import ExportError, export, export_files, has_files
from oncograph.interchange.kgx import EDGE_COLUMNS, NODE_COLUMNS, data_curie
from oncograph.pipeline import ingest
from oncograph.store import Store

# a made-up report, written for this test
REPORT = """A made-up case of a stromal tumour. PMID: 11111111

A 58-year-old man was diagnosed with a gastrointestinal stromal tumor of the stomach in 2015.
Immunohistochemistry was positive for CD117 and negative for desmin.
In 2017 a liver metastasis was found, and he was treated with imatinib.
There was no evidence of lung metastasis.
"""
CASE = "ONCDATA:report.txt%2Fpatient%2F1"
GIST, LIVER, LUNG, STOMACH = "MONDO:0011719", "UBERON:0002107", "UBERON:0002048", "UBERON:0000945"
KIT, DES, IMATINIB = "HGNC:6342", "HGNC:2770", "CHEBI:45783"
REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "kgx_validate.py"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kgx")
    (path / "docs").mkdir()
    (path / "docs" / "report.txt").write_text(REPORT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store(folder: Path) -> Store:
    store = Store()
    assert ingest([folder / "docs" / "report.txt"], store).ok
    return store


def _table(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def nodes(store: Store) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in _table(export_files(store, "kgx")["nodes.tsv"])}


@pytest.fixture(scope="module")
def edges(store: Store) -> list[dict[str, str]]:
    return _table(export_files(store, "kgx")["edges.tsv"])


def _edge(edges: list[dict[str, str]], subject: str, predicate: str, obj: str) -> dict[str, str]:
    hits = [e for e in edges if (e["subject"], e["predicate"], e["object"]) == (subject, predicate, obj)]
    assert len(hits) == 1, (subject, predicate, obj, edges)
    return hits[0]


def test_kgx_is_two_files_with_the_kgx_columns(store: Store) -> None:
    files = export_files(store, "kgx")
    assert sorted(files) == ["edges.tsv", "nodes.tsv"]
    assert files["nodes.tsv"].decode().splitlines()[0].split("\t") == list(NODE_COLUMNS)
    assert files["edges.tsv"].decode().splitlines()[0].split("\t") == list(EDGE_COLUMNS)
    assert has_files("kgx")


def test_one_stream_is_refused_with_the_way_out(store: Store) -> None:
    with pytest.raises(ExportError, match="give --out DIR"):
        export(store, "kgx")


def test_node_categories(nodes: dict[str, dict[str, str]]) -> None:
    assert {k: v["category"] for k, v in nodes.items()} == {
        CASE: "biolink:Case", "PMID:11111111": "biolink:Publication", GIST: "biolink:Disease",
        STOMACH: "biolink:AnatomicalEntity", LIVER: "biolink:AnatomicalEntity", LUNG: "biolink:AnatomicalEntity",
        KIT: "biolink:Gene", DES: "biolink:Gene", IMATINIB: "biolink:Drug"}


def test_term_nodes_carry_name_xref_iri_and_source(nodes: dict[str, dict[str, str]]) -> None:
    gist = nodes[GIST]
    assert gist["name"] == "gastrointestinal stromal tumor"
    assert "NCIT:C3868" in gist["xref"].split("|")
    assert gist["iri"] == "http://purl.obolibrary.org/obo/MONDO_0011719"
    assert gist["provided_by"] == "infores:oncograph"


def test_a_case_id_keeps_its_iri(nodes: dict[str, dict[str, str]]) -> None:
    assert nodes[CASE]["iri"] == "https://w3id.org/oncograph/data/report.txt/patient/1"
    assert data_curie(nodes[CASE]["iri"]) == CASE


def test_the_primary_tumour_is_a_phenotype_of_the_case(edges: list[dict[str, str]]) -> None:
    e = _edge(edges, CASE, "biolink:has_phenotype", GIST)
    assert e["category"] == "biolink:CaseToDiseaseAssociation"
    assert e["negated"] == "False"


def test_a_metastatic_site_is_a_location_of_the_disease_for_the_case(edges: list[dict[str, str]]) -> None:
    e = _edge(edges, GIST, "biolink:disease_has_location", LIVER)
    assert (e["original_subject"], e["original_predicate"], e["negated"]) == (CASE, "ONC:hasMetastasis", "False")


def test_the_primary_site_is_told_apart_from_a_metastasis(edges: list[dict[str, str]]) -> None:
    assert _edge(edges, GIST, "biolink:disease_has_location", STOMACH)["original_predicate"] == "ONC:hasPrimaryTumor"


def test_an_absent_metastasis_is_negated(edges: list[dict[str, str]]) -> None:
    e = _edge(edges, GIST, "biolink:disease_has_location", LUNG)
    assert e["negated"] == "True"
    assert e["supporting_text"] == "There was no evidence of lung metastasis."


def test_a_negative_marker_is_negated(edges: list[dict[str, str]]) -> None:
    assert _edge(edges, CASE, "biolink:has_biomarker", DES)["negated"] == "True"


def test_a_positive_marker_is_not_negated(edges: list[dict[str, str]]) -> None:
    e = _edge(edges, CASE, "biolink:has_biomarker", KIT)
    assert (e["negated"], e["category"]) == ("False", "biolink:CaseToGeneAssociation")


def test_a_drug_is_applied_to_treat_the_cases_disease(edges: list[dict[str, str]]) -> None:
    e = _edge(edges, IMATINIB, "biolink:applied_to_treat", GIST)
    assert e["original_subject"] == CASE
    assert e["supporting_text"] == "In 2017 a liver metastasis was found, and he was treated with imatinib."


def test_every_edge_is_an_observation_by_text_mining_with_its_publication(edges: list[dict[str, str]]) -> None:
    assert len(edges) == 7
    assert {(e["knowledge_level"], e["agent_type"], e["primary_knowledge_source"], e["publications"])
            for e in edges} == {("observation", "text_mining_agent", "infores:oncograph", "PMID:11111111")}


def test_every_edge_end_is_a_node(nodes: dict[str, dict[str, str]], edges: list[dict[str, str]]) -> None:
    assert {e[end] for e in edges for end in ("subject", "object")} <= set(nodes)


def test_the_export_is_deterministic_and_sorted(folder: Path, store: Store) -> None:
    again = Store()
    assert ingest([folder / "docs" / "report.txt"], again).ok
    first, second = export_files(store, "kgx"), export_files(again, "kgx")
    assert first == second
    ids = [r["id"] for r in _table(first["edges.tsv"])]
    assert ids == sorted(ids)


def test_one_document_and_an_unknown_one(store: Store) -> None:
    assert export_files(store, "kgx", document="report.txt") == export_files(store, "kgx")
    with pytest.raises(ExportError, match="no document"):
        export_files(store, "kgx", document="missing.txt")


def test_cli_writes_the_files_into_out_dir(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "store"
    assert runner.invoke(cli, ["-q", "ingest", str(folder / "docs"), "--store", str(path)]).exit_code == 0
    out = tmp_path / "kgx"
    result = runner.invoke(cli, ["export", "--format", "kgx", "--store", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["edges.tsv", "nodes.tsv"]
    assert CASE in (out / "nodes.tsv").read_text(encoding="utf-8")


def test_cli_without_out_is_an_error(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "store"
    assert CliRunner().invoke(cli, ["-q", "ingest", str(folder / "docs"), "--store", str(path)]).exit_code == 0
    done = subprocess.run([sys.executable, "-m", "oncograph", "export", "--format", "kgx", "--store", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "give --out DIR" in done.stderr
    assert done.stdout == ""


def _kgx_python() -> Path | None:
    given = os.environ.get("ONCOGRAPH_KGX_PYTHON")
    path = Path(given) if given else REPO / ".oncograph" / "kgx-venv" / "bin" / "python"
    return path if path.exists() else None


@pytest.mark.slow
@pytest.mark.skipif(_kgx_python() is None, reason="no kgx venv ($ONCOGRAPH_KGX_PYTHON or .oncograph/kgx-venv)")
def test_kgx_validate_passes(store: Store, tmp_path: Path) -> None:
    from oncograph.export import write_files

    write_files(export_files(store, "kgx"), tmp_path)
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path), "--python", str(_kgx_python())],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no messages" in done.stdout


@pytest.mark.slow
@pytest.mark.skipif(_kgx_python() is None, reason="no kgx venv ($ONCOGRAPH_KGX_PYTHON or .oncograph/kgx-venv)")
def test_kgx_validate_fails_on_an_unknown_predicate(store: Store, tmp_path: Path) -> None:
    from oncograph.export import write_files

    files = export_files(store, "kgx")
    files["edges.tsv"] = files["edges.tsv"].replace(b"biolink:has_biomarker", b"biolink:has_marker_result")
    write_files(files, tmp_path)
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path), "--python", str(_kgx_python())],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "has_marker_result' is not in Biolink Model" in done.stdout
