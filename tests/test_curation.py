"""Curation decisions: applied at ingest, kept over re-ingest, visible in the graph, refused when stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from oncograph.curation import (
    COLUMNS,
    CurationRow,
    append_row,
    draft_row,
    parse_curation,
    read_curation,
)
from oncograph.emit import graph_iri
from oncograph.errors import InputError
from oncograph.pipeline import ingest
from oncograph.query import run_query
from oncograph.store import Store

REPORT = (
    "Case report\n\n"
    "A 47-year-old man had a gastrointestinal stromal tumor of the jejunum resected in May 2012. "
    "In July 2014, magnetic resonance imaging showed metastases in the liver and the spleen. "
    "Imatinib was started in August 2014.\n"
)
HEADER = "\t".join(COLUMNS) + "\n"


def _row(*cells: str) -> str:
    return "\t".join(cells) + "\n"


def _rows(result: object) -> list[dict[str, str]]:
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]  # type: ignore[attr-defined]


def _sites(store: Store) -> set[str]:
    return {r["site_label"] for r in _rows(run_query(store, "metastases"))}


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    path = tmp_path / "docs" / "jejunum.txt"
    path.parent.mkdir()
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_the_report_reads_as_expected_without_curation(report: Path) -> None:
    store = Store()
    assert ingest([report.parent], store).ok
    assert {"liver", "spleen"} <= _sites(store)


def test_a_suppression_removes_the_fact_and_records_the_decision(report: Path) -> None:
    store = Store()
    ingest([report.parent], store)
    row = draft_row(store, "suppress", _fact(store, "spleen"), curator="ann", date="2026-12-01",
                    reason="the spleen lesion was a cyst")
    assert (row.document, row.property, row.previous) == ("jejunum.txt", "hasSite", "UBERON:0002106")
    report_ = ingest([report.parent], store, curation=[row])
    assert report_.ok and report_.warnings == [] and report_.documents[0].curated == 1
    assert "spleen" not in _sites(store) and "liver" in _sites(store)
    (decision,) = _rows(run_query(store, "curation-decisions"))
    assert (decision["action"], decision["curator"], decision["date"], decision["previous"]) == (
        "suppress", "ann", "2026-12-01", "UBERON:0002106")
    assert decision["fact"].endswith("/" + row.target)


SITES = {"liver": "http://purl.obolibrary.org/obo/UBERON_0002107", "spleen": "http://purl.obolibrary.org/obo/UBERON_0002106"}


def _fact(store: Store, site_label: str) -> str:
    """The IRI of the patient's metastasis at the site, read from the document's graph."""
    from oncograph.vocab import ONC

    for q in store.quads(str(graph_iri("jejunum.txt"))):
        if (q.predicate.value == str(ONC.hasSite) and "/metastasis/" in q.subject.value
                and not q.subject.value.endswith("/detection") and q.object.value == SITES[site_label]):
            return str(q.subject.value)
    raise AssertionError(site_label)


def test_a_correction_survives_two_ingests_and_says_who_made_it(report: Path, tmp_path: Path) -> None:
    store = Store()
    ingest([report.parent], store)
    patient = _fact(store, "liver").rsplit("/metastasis/", 1)[0]
    row = draft_row(store, "correct", patient, "age", "49", curator="bo", date="2026-11-30",
                    reason="the discharge letter gives 49")
    assert row.previous == "47"
    path = tmp_path / "curation.tsv"
    append_row(path, row)
    rows = read_curation(path)
    for _ in range(2):
        assert ingest([report.parent], store, curation=rows).ok
        ages = {r["age"] for r in _rows(run_query(store, "patients"))}
        assert ages == {"49"}
    again = ingest([report.parent], store, curation=rows)
    assert again.skipped == ["jejunum.txt"]  # unchanged file, unchanged decisions: a hash, not a read
    forced = ingest([report.parent], store, curation=rows, force=True)
    assert forced.documents[0].curated == 1
    assert {r["age"] for r in _rows(run_query(store, "patients"))} == {"49"}
    (decision,) = _rows(run_query(store, "curation-decisions"))
    assert (decision["curator"], decision["previous"], decision["curated"]) == ("bo", "47", "49")


def test_a_new_decision_makes_the_unchanged_document_read_again(report: Path) -> None:
    store = Store()
    ingest([report.parent], store)
    row = draft_row(store, "suppress", _fact(store, "liver"), curator="ann", date="2026-12-01")
    second = ingest([report.parent], store, curation=[row])
    assert second.skipped == [] and second.documents[0].curated == 1
    assert ingest([report.parent], store).documents[0].curated == 0  # without the file, the fact is back
    assert "liver" in _sites(store)


def test_an_addition_needs_the_text_to_state_it(report: Path) -> None:
    store = Store()
    ingest([report.parent], store)
    patient = _fact(store, "liver").rsplit("/metastasis/", 1)[0]
    row = draft_row(store, "add", patient, "hasMetastasis", "UBERON:0002048", curator="cy", date="2026-12-02",
                    evidence="magnetic resonance imaging showed metastases")
    out = ingest([report.parent], store, curation=[row])
    assert out.warnings == [] and out.documents[0].curated == 1
    assert "lung" in _sites(store)
    wrong = CurationRow(**{**row.__dict__, "evidence": "a lung nodule was biopsied"})
    stale = ingest([report.parent], store, curation=[wrong])
    assert len(stale.warnings) == 1 and "does not say" in stale.warnings[0]
    assert "lung" not in _sites(store)


def test_a_stale_row_is_reported_and_never_lands_on_another_fact(report: Path) -> None:
    store = Store()
    ingest([report.parent], store)
    spleen = _fact(store, "spleen")
    row = draft_row(store, "suppress", spleen, curator="ann", date="2026-12-01")
    moved = CurationRow(**{**row.__dict__, "previous": "UBERON:0002107"})  # written when this fact was the liver
    out = ingest([report.parent], store, curation=[moved])
    assert len(out.warnings) == 1 and "no longer applies" in out.warnings[0] and "UBERON:0002106" in out.warnings[0]
    assert {"liver", "spleen"} <= _sites(store)
    gone = CurationRow(**{**row.__dict__, "target": "patient/1/metastasis/99"})
    assert "has no patient/1/metastasis/99" in ingest([report.parent], store, curation=[gone]).warnings[0]


@pytest.mark.parametrize(("cells", "message"), [
    (("delete", "a.txt", "patient/1", "", "", "", "", "ann", "2026-01-01", ""), "unknown action"),
    (("correct", "a.txt", "patient/1", "age", "50", "", "", "ann", "2026-01-01", ""),
     "needs property, value and previous"),
    (("suppress", "a.txt", "patient/1", "", "", "", "", "", "2026-01-01", ""), "no curator"),
    (("suppress", "a.txt", "patient/1", "", "", "", "", "ann", "1/1/2026", ""), "is not YYYY-MM-DD"),
    (("add", "a.txt", "patient/1", "hasMetastasis", "UBERON:0002107", "", "", "ann", "2026-01-01", ""),
     "needs property, value and the evidence"),
])
def test_a_malformed_row_is_refused_with_its_line(cells: tuple[str, ...], message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_curation(HEADER + _row(*cells), "c.tsv")
    assert "c.tsv" in str(err.value) and "line 2" in str(err.value) and message in str(err.value)


def test_a_file_without_the_header_is_not_a_curation_file() -> None:
    with pytest.raises(InputError, match="missing column"):
        parse_curation("suppress\ta.txt\n", "c.tsv")
    assert parse_curation("") == []


def test_the_curate_command_writes_a_row_that_ingest_applies(report: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    store = Store(store_path)
    assert ingest([report.parent], store).ok
    spleen = _fact(store, "spleen")
    store.flush()
    del store
    short = "data:" + spleen.split("/data/", 1)[1]
    cur = tmp_path / "c.tsv"
    run = subprocess.run([sys.executable, "-m", "oncograph", "curate", "suppress", short, "--curator", "dee",
                          "--date", "2026-12-03", "--reason", "a cyst", "--file", str(cur), "--store",
                          str(store_path)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    (row,) = read_curation(cur)
    assert (row.action, row.curator, row.previous, row.reason) == ("suppress", "dee", "UBERON:0002106", "a cyst")
    run = subprocess.run([sys.executable, "-m", "oncograph", "ingest", str(report.parent), "--curation", str(cur),
                          "--store", str(store_path)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "1 curation decision(s)" in run.stderr + run.stdout


def test_the_shipped_seed_graph_shows_the_worked_example() -> None:
    """curation.tsv of the repository is applied by `oncograph build`: graph/ holds its decision."""
    import pyoxigraph as ox

    repo = Path(__file__).parent.parent
    (row,) = read_curation(repo / "curation.tsv")
    dump = ox.Store()
    dump.bulk_load(path=str(repo / "graph" / "oncograph.nq"), format=ox.RdfFormat.N_QUADS)
    decisions = [q.subject for q in dump.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode("https://w3id.org/oncograph/ontology/CurationDecision"))]
    assert len(decisions) == 1
    curator = next(dump.quads_for_pattern(decisions[0], ox.NamedNode("https://w3id.org/oncograph/ontology/curator"),
                                          None)).object
    assert curator.value == row.curator
    target = ox.NamedNode(f"https://w3id.org/oncograph/data/{row.document}/{row.target}")
    assert not list(dump.quads_for_pattern(target, None, None))  # the suppressed fact is gone
