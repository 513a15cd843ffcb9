"""The query library on a store holding three tiny hand-written documents, with exact expected rows."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from oncograph.errors import QueryError
from oncograph.query import format_result, list_queries, load_query, resolve_parameter, run_query
from oncograph.store import Store
from oncograph.vocab import ONC

QUERIES = Path(__file__).resolve().parents[1] / "queries"
P = "https://w3id.org/oncograph/data/case_one.txt/patient/1"


def table(store: Store, name: str, columns: tuple[str, ...], document: str | None = None,
          **params: str) -> list[tuple[str, ...]]:
    """The named columns of a query's rows (in the query's order), optionally for one document."""
    result = run_query(store, name, params)
    idx = [result.columns.index(c) for c in columns]
    doc_col = result.columns.index("document") if "document" in result.columns else None
    return [tuple(r[i] for i in idx) for r in result.rows
            if document is None or doc_col is None or r[doc_col] == document]


def xrefs(store: Store, name: str, label_col: str, xref_col: str, document: str) -> dict[str, set[str]]:
    return {label: set(x.split()) for label, x in table(store, name, (label_col, xref_col), document)}


def test_patients(fixture_store: Store) -> None:
    assert table(fixture_store, "patients", ("patient", "document", "label", "age", "sex")) == [
        (P, "case_one.txt", "patient", "61", "female"),
        ("https://w3id.org/oncograph/data/two_cases.txt/patient/1", "two_cases.txt", "case 1", "66", "female"),
        ("https://w3id.org/oncograph/data/two_cases.txt/patient/2", "two_cases.txt", "case 2", "52", "male"),
    ]


def test_primary_tumors(fixture_store: Store) -> None:
    cols = ("patient", "tumor_label", "site_label", "year")
    assert table(fixture_store, "primary-tumors", cols, "case_one.txt") == [
        (P, "gastrointestinal stromal tumor", "stomach", "2005")]
    assert xrefs(fixture_store, "primary-tumors", "site_label", "site_xref", "case_one.txt") == {
        "stomach": {"UBERON:0000945"}}
    (tumor_xref,) = table(fixture_store, "primary-tumors", ("tumor_xref",), "case_one.txt")
    assert "DOID:9253" in tumor_xref[0].split()


def test_metastases_with_laterality_in_the_site_label(fixture_store: Store) -> None:
    cols = ("patient", "site_label", "laterality", "year")
    assert table(fixture_store, "metastases", cols, "case_one.txt") == [
        (P, "left lung", "", "2011"),  # UBERON's own "left lung": no laterality needed
        (P, "sacrum", "", "2013"),
    ]
    assert xrefs(fixture_store, "metastases", "site_label", "site_xref", "case_one.txt") == {
        "left lung": {"UBERON:0002168"}, "sacrum": {"UBERON:0003690"}}
    evidence = dict(table(fixture_store, "metastases", ("site_label", "evidence"), "case_one.txt"))
    assert evidence["sacrum"].startswith("Two years later, MRI revealed a metastasis in the sacrum")
    # the liver is a negative finding; the discussion's sites are not the patient's
    sites = {r[0] for r in table(fixture_store, "metastases", ("site_label",))}
    assert not sites & {"liver", "peritoneum", "rib"}


def test_markers(fixture_store: Store) -> None:
    cols = ("patient", "marker_label", "status", "value")
    assert table(fixture_store, "markers", cols, "case_one.txt") == [
        (P, "ACTA2", "negative", ""),
        (P, "KIT", "positive", ""),
        (P, "MKI67", "", "8%"),
    ]
    assert "HGNC:6342" in xrefs(fixture_store, "markers", "marker_label", "marker_xref", "case_one.txt")["KIT"]


def test_treatments_exclude_biopsies_and_imaging(fixture_store: Store) -> None:
    cols = ("patient", "kind", "treatment_label", "dose", "dose_gy", "fractions", "intent", "year")
    assert table(fixture_store, "treatments", cols, "case_one.txt") == [
        (P, "surgery", "Gastrectomy", "", "", "", "", "2005"),
        (P, "drug", "imatinib", "400 mg/day", "", "", "adjuvant", "2005"),
        (P, "radiotherapy", "Radiosurgery", "", "24", "3", "", "2013"),
    ]
    labels = {r[0] for r in table(fixture_store, "treatments", ("treatment_label",))}
    assert not labels & {"Needle Biopsy", "Biopsy", "X-Ray Computed Tomography", "Magnetic Resonance Imaging"}


def test_study_statistics(fixture_store: Store) -> None:
    cols = ("document", "n_patients", "measure", "value", "unit")
    assert table(fixture_store, "study-statistics", cols) == [
        ("cohort.txt", "24", "3-year survival rate", "58.2", "%"),
        ("cohort.txt", "24", "5-year survival rate", "29.5", "%"),
        ("cohort.txt", "24", "median survival", "41", "months"),
    ]


def test_study_sites(fixture_store: Store) -> None:
    cols = ("document", "role", "site_label", "count")
    assert table(fixture_store, "study-sites", cols) == [
        ("cohort.txt", "metastasis", "liver", "6"),
        ("cohort.txt", "primary", "stomach", "10"),
        ("cohort.txt", "primary", "jejunum", "9"),
        ("cohort.txt", "primary", "duodenum", "5"),
    ]
    assert xrefs(fixture_store, "study-sites", "site_label", "site_xref", "cohort.txt")["duodenum"] == {
        "UBERON:0002114"}


# ---------------------------------------------------------------------------- parameters
def test_resolve_parameter_from_curie(fixture_store: Store) -> None:
    # a CURIE is the term's own identifier, and its IRI the OBO PURL or the Bioregistry IRI
    assert resolve_parameter(fixture_store, "UBERON:0001130") == ox.NamedNode(
        "http://purl.obolibrary.org/obo/UBERON_0001130")
    assert resolve_parameter(fixture_store, "HGNC:6342") == ox.NamedNode("https://bioregistry.io/hgnc:6342")
    assert resolve_parameter(fixture_store, "onc:Resection") == ox.NamedNode(str(ONC._NS) + "Resection")
    # a cross-reference maps to the term that has it
    assert resolve_parameter(fixture_store, "NCIT:C3868") == ox.NamedNode("http://purl.obolibrary.org/obo/MONDO_0011719")
    assert resolve_parameter(fixture_store, "<http://x.org/a>") == ox.NamedNode("http://x.org/a")
    assert resolve_parameter(fixture_store, "42") == ox.Literal(
        "42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert resolve_parameter(fixture_store, "female") == ox.Literal("female")


def test_unmapped_curie_is_a_query_error(fixture_store: Store) -> None:
    with pytest.raises(QueryError, match="UBERON:9999999"):
        resolve_parameter(fixture_store, "UBERON:9999999")


def test_param_binds_a_projected_variable(fixture_store: Store) -> None:
    rows = table(fixture_store, "metastases-in-region", ("patient", "site_label", "year"), "case_one.txt",
                 region="UBERON:0001130")
    assert rows == [(P, "sacrum", "2013")]


def test_param_for_a_variable_the_query_lacks(fixture_store: Store) -> None:
    with pytest.raises(QueryError, match="no variable"):
        run_query(fixture_store, "patients", {"nosuch": "1"})


def test_param_binds_an_unprojected_variable(fixture_store: Store) -> None:
    """Before: a parameter had to be projected by the SELECT or it was refused."""
    rows = table(fixture_store, "metastases", ("site_label",), site="UBERON:0003690")
    assert rows == [("sacrum",)] * len(rows) and rows


# ---------------------------------------------------------------------------- errors and the library
def test_malformed_sparql_is_a_query_error(fixture_store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# Question: broken?\n# Returns: x\nSELECT ?x WHERE { ?x ?y }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="malformed SPARQL"):
        run_query(fixture_store, str(bad))


def test_query_file_runs(fixture_store: Store, tmp_path: Path) -> None:
    q = tmp_path / "count.rq"
    q.write_text("# Question: how many patients?\n# Returns: n\nPREFIX onc: <https://w3id.org/oncograph/ontology/>\n"
                 "SELECT (COUNT(?p) AS ?n) WHERE { ?p a onc:Patient }\n", encoding="utf-8")
    result = run_query(fixture_store, str(q))
    assert (result.columns, result.rows) == (("n",), (("3",),))
    assert load_query(str(q)).question == "how many patients?"


def test_unknown_query_lists_the_library() -> None:
    with pytest.raises(QueryError) as info:
        load_query("no-such-query")
    message = str(info.value)
    assert "no-such-query" in message
    for name in ("patients", "metastases", "markers", "treatments", "study-sites"):
        assert name in message
    with pytest.raises(QueryError, match="no such query file"):
        load_query("missing.rq")


def test_every_library_query_loads_by_its_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no file of that name here
    for q in list_queries(internal=True):
        assert load_query(q.name) == q
    with pytest.raises(QueryError, match="unknown query"):
        load_query("Patients")  # names are the files' own, lower case


def test_every_query_file_starts_with_question_and_returns() -> None:
    files = sorted(QUERIES.glob("*.rq"))
    assert {f.stem for f in files} >= {"patients", "primary-tumors", "metastases", "markers", "treatments",
                                       "study-statistics", "study-sites"}
    for f in files:
        lines = f.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# Question: ") and lines[0].rstrip().endswith("?"), f.name
        assert lines[1].startswith("# Returns: "), f.name
    assert {q.name for q in list_queries(internal=True)} == {f.stem for f in files}
    internal = ("analysis-", "export-")
    assert {q.name for q in list_queries()} == {f.stem for f in files if not f.stem.startswith(internal)}


def declared_columns(returns: str) -> list[str]:
    return [c.strip() for c in re.sub(r"\(.*", "", returns).split(",") if c.strip()]


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_library_query_runs_and_returns_its_declared_columns(fixture_store: Store, query) -> None:
    result = run_query(fixture_store, query)
    assert list(result.columns) == declared_columns(query.returns)
    assert all(len(row) == len(result.columns) for row in result.rows)


def test_format_result() -> None:
    from oncograph.query import Result

    r = Result(("a", "b"), (("1", "x,y"), ("2", "")))
    assert format_result(r, "csv") == 'a,b\n1,"x,y"\n2,\n'
    assert format_result(r, "tsv") == "a\tb\n1\tx,y\n2\t\n"
    assert format_result(r, "json") == ('[\n  {\n    "a": "1",\n    "b": "x,y"\n  },\n'
                                        '  {\n    "a": "2",\n    "b": ""\n  }\n]\n')
    assert format_result(r, "table").splitlines()[-1] == "(2 rows)"
    with pytest.raises(QueryError, match="unknown format"):
        format_result(r, "xml")


def test_binding_a_variable_only_an_optional_part_sets_selects_rows(fixture_store: Store) -> None:
    every = table(fixture_store, "metastases", ("patient", "site_label", "year"))
    assert {"2011", "2013"} <= {year for _, _, year in every}
    assert table(fixture_store, "metastases", ("patient", "site_label", "year"), year="2013") == [
        row for row in every if row[2] == "2013"]
    # a year no metastasis has: no row at all (bound in advance, every row showed it)
    assert table(fixture_store, "metastases", ("site_label", "year"), year="1999") == []


def test_binding_an_optional_variable_that_is_no_column_is_refused(fixture_store: Store) -> None:
    with pytest.raises(QueryError, match=r"\?sentence is set only where an optional part .* not one of its columns"):
        run_query(fixture_store, "metastases", {"sentence": "a metastasis"})


def test_binding_a_required_variable_still_narrows_the_query(fixture_store: Store) -> None:
    rows = table(fixture_store, "metastases", ("patient", "site_label"), patient=P)
    assert rows == [(P, "left lung"), (P, "sacrum")]
