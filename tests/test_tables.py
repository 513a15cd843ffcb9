"""Materialised per-document tables: the same rows as the queries, read back only while they are current."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from oncograph.pipeline import ingest, remove
from oncograph.query import _term_value, run_query, select
from oncograph.store import Store
from oncograph.tables import TABLES, TABLES_GRAPH, whole_table

FIXTURES = Path(__file__).parent / "fixtures" / "extract"

# written for this test: two patients, metastases in two years, markers of both signs, three treatments
_THIRD = """Hepatic and vertebral metastases of a rectal stromal tumour

Case report

A 55-year-old man had a gastrointestinal stromal tumor of the rectum resected in 2009. The tumour
cells stained for CD117 and DOG1 but were negative for desmin.
In 2012 he developed a metastasis in the liver and was started on imatinib 400 mg daily.
In 2014 a metastasis in the second lumbar vertebra was found and irradiated with 30 Gy in 10 fractions.
He was switched to sunitinib 50 mg daily. No metastasis was seen in the lung.
"""


def _by_query(store: Store, name: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    columns, rows = select(store, name)
    return columns, [tuple(_term_value(t) for t in row) for row in rows]


def _ingested(tmp_path: Path) -> Store:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("case_one.txt", "two_cases.txt"):
        (docs / name).write_bytes((FIXTURES / name).read_bytes())
    (docs / "third.txt").write_text(_THIRD, encoding="utf-8")
    s = Store(tmp_path / "store")
    report = ingest([docs], s, check=False)
    assert len(report.documents) == 3 and report.ok
    return s


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    return _ingested(tmp_path)


def test_every_table_reads_back_the_rows_and_order_of_its_query(store: Store) -> None:
    seen = 0
    for name in TABLES:
        table = whole_table(store, name)
        assert table is not None, name
        assert table == _by_query(store, name), name
        seen += len(table[1])
    assert seen > 30  # the reports gave rows to read back
    assert {r[1] for r in whole_table(store, "patients")[1]} == {"case_one.txt", "two_cases.txt", "third.txt"}


def test_run_query_answers_from_the_tables_while_they_are_current(store: Store,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _by_query(store, "metastases")
    from oncograph import query

    def no_sparql(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the table was queried")

    monkeypatch.setattr(query, "select", no_sparql)
    result = run_query(store, "metastases")
    assert (result.columns, list(result.rows)) == expected


def test_parameters_and_other_files_of_the_same_name_run_the_query(store: Store, tmp_path: Path) -> None:
    mine = tmp_path / "patients.rq"
    mine.write_text("# Question: How many patients?\n# Returns: n\nPREFIX onc: <https://w3id.org/oncograph/ontology/>\n"
                    "SELECT (COUNT(?p) AS ?n) WHERE { ?p a onc:Patient }\n", encoding="utf-8")
    assert run_query(store, str(mine)).rows == (("4",),)
    one = run_query(store, "metastases", {"patient": "third.txt/patient/1"})  # bound: by SPARQL, one patient's
    assert one.rows and {r[1] for r in one.rows} == {"third.txt"}
    assert len(one.rows) < len(whole_table(store, "metastases")[1])


def test_a_removed_document_leaves_its_rows_nowhere(store: Store) -> None:
    assert remove(["third.txt"], store) == ["third.txt"]
    for name in TABLES:
        table = whole_table(store, name)
        assert table is not None and table == _by_query(store, name)
        assert all(r[1] != "third.txt" for r in table[1])


def test_a_document_written_without_its_tables_makes_them_not_current(store: Store) -> None:
    graph = next(g for g in store.document_graphs() if g.endswith("third.txt"))
    quads = list(store.quads(graph))
    record = next(r for r in store.records().values() if r.graph == graph)
    store.replace_graph_quads(graph, quads, record)  # the graph again, but not its tables
    assert whole_table(store, "patients") is None
    result = run_query(store, "patients")  # answered by the query, whole
    assert (result.columns, list(result.rows)) == _by_query(store, "patients")
    again = ingest([Path(record.source)], store, name="third.txt", force=True)  # read again: with its tables
    assert again.documents and whole_table(store, "patients") == _by_query(store, "patients")


def test_tables_of_another_ontology_are_not_read(store: Store) -> None:
    db = store.oxigraph
    made = list(db.quads_for_pattern(None, ox.NamedNode("https://w3id.org/oncograph/store#table/markers"), None,
                                     TABLES_GRAPH))
    assert len(made) == 3 and whole_table(store, "markers") is not None
    _, _, rows = made[0].object.value.partition("\n")
    db.remove(made[0])
    db.add(ox.Quad(made[0].subject, made[0].predicate, ox.Literal("an older ontology/other code\n" + rows),
                   TABLES_GRAPH))
    assert whole_table(store, "markers") is None
    assert whole_table(store, "patients") is not None  # the other tables of that document are still current


def test_the_tables_of_a_document_no_longer_in_the_store_are_not_read(store: Store) -> None:
    graph = store.document_graphs()[0]
    before = whole_table(store, "patients")
    assert before is not None
    store.oxigraph.update(f"DROP GRAPH <{graph}>")  # by hand, past the store: its tables stay behind
    assert whole_table(store, "patients") is None
    result = run_query(store, "patients")  # by the query: without the dropped document's patients
    assert (result.columns, list(result.rows)) == _by_query(store, "patients")
    assert 0 < len(result.rows) < len(before[1])


def test_a_new_ontology_drops_every_table(store: Store) -> None:
    from oncograph.ontology import load_ontology
    from oncograph.vocabulary import vocabulary

    db = store.oxigraph
    db.update("DELETE WHERE { GRAPH <https://w3id.org/oncograph/graph/meta> { "
              "<https://w3id.org/oncograph/ontology/hash> ?p ?o } }")  # as if the ontology had changed
    assert store.ensure_ontology(load_ontology(), vocabulary()) is True
    assert not list(db.quads_for_pattern(None, None, None, TABLES_GRAPH))
    assert whole_table(store, "treatments") is None


def test_an_update_through_the_endpoint_drops_the_tables(tmp_path: Path) -> None:
    from oncograph.worker import Job, _update

    path = _ingested(tmp_path).path  # and closed: the endpoint's worker opens the store for writing
    assert path is not None and whole_table(Store(path, read_only=True), "patients") is not None
    answer = _update(path, Job("update", "PREFIX onc: <https://w3id.org/oncograph/ontology/>\n"
                                         "DELETE WHERE { GRAPH ?g { ?p onc:age ?age } }"))
    assert answer.status == 204
    again = Store(path)
    assert whole_table(again, "patients") is None  # the rows kept the ages the update deleted
    assert all(r[3] == "" for r in run_query(again, "patients").rows)
