"""Materialised per-document tables: the rows each per-patient table gives for one document, kept in the store.

On the on-disk store a whole-store table costs the query's joins and a RocksDB read for every term of every
row: ``treatments`` took 5.6 s at 1 M quads, ``patients`` 1.1 s, growing faster than the data. Yet every row
of these tables comes from one document's graph (and the ontology, the terms and their closure), so ingest
runs each table's query on that document alone, where it extracted it (:class:`TableMaker`, in memory), and
keeps the rows as one JSON literal a table in graph ``…/graph/tables`` (subject: the document's graph),
written with the document. :func:`whole_table` reads a table back by one literal a document, in the order of
the query (every table orders by ``?document`` first), when the tables are current: every document of the
store has them, made for the store's ontology and for the query texts and code of this version. Otherwise (a
document rewritten without its tables, a new ontology, an update through the endpoint, an older version)
the query is run as usual; ``run_query`` never answers from stale rows.

Only a library table run whole (no parameter) is answered from here; the rows are those of
:func:`oncograph.query.run_query` (cells as text), not the typed terms of :func:`oncograph.query.select`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .collector import paused
from .namespaces import BASE

if TYPE_CHECKING:
    from rdflib import Graph

    from .query import QueryFile
    from .store import Store
    from .vocabulary import Vocabulary

__all__ = ["TABLES", "TABLES_GRAPH", "TableMaker", "document_table_quads", "stamped", "table_maker", "tables_stamp",
           "whole_table"]

#: The library queries kept per document: each row is one document's, each orders by ``?document`` first
#: (the seven per-patient tables, the documents, and the default runs of three semantic queries).
TABLES = ("patients", "primary-tumors", "metastases", "markers", "treatments", "evidence", "findings",
          "documents", "bone-metastases", "time-to-bone-metastasis", "drugs-by-role")
TABLES_GRAPH = ox.NamedNode(BASE + "graph/tables")
_TABLE = BASE + "store#table/"  # + the query's name: the document's rows


@cache
def _queries() -> dict[str, Any]:
    """The table queries of the library, read once (``QueryFile`` by name)."""
    from .query import load_query

    return {name: load_query(name) for name in TABLES}


@cache
def _code_stamp() -> str:
    """A digest of what makes the rows besides the data: the table queries, this module and query.py."""
    from . import query

    h = hashlib.sha256()
    for name in TABLES:
        h.update(_queries()[name].text.encode() + b"\0")
    for module in (__file__, query.__file__):
        h.update(Path(module).read_bytes())
    return h.hexdigest()


def tables_stamp(ontology_hash: str) -> str:
    """The stamp of tables made with the store's ontology ``ontology_hash`` by this version."""
    return f"{ontology_hash}/{_code_stamp()}"


class _OneDocument:
    """A store seen as one document's graph plus the ontology, terms and closure (for :func:`select`)."""

    def __init__(self, store: ox.Store, dataset: Sequence[ox.NamedNode]) -> None:
        self.store = store
        self.dataset: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(dataset)

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Any:
        return self.store.query(sparql, default_graph=self.dataset)


class TableMaker:
    """An in-memory store of the ontology and of the terms seen so far, into which one document at a time is
    put to compute its tables: what a store holds for that document, at in-memory speed, in the process that
    extracted it (a worker), not in the one writer. It is a :class:`~oncograph.store.Store`, filled by the
    same ``ensure_ontology`` and ``add_terms``, so the rows are those the store's own query gives.
    """

    def __init__(self, ontology: Graph, vocab: Vocabulary) -> None:
        from .store import Store

        self.vocab = vocab
        self.store = Store()
        self.store.ensure_ontology(ontology, vocab)

    def rows(self, graph: str, quads: Sequence[ox.Quad], terms: Iterable[str]) -> list[ox.Quad]:
        """The tables of the document whose graph ``graph`` holds ``quads`` and names ``terms`` (CURIEs)."""
        self.store.add_terms(terms, self.vocab)
        db = self.store.oxigraph
        db.extend(quads)
        try:
            return document_table_quads(db, graph)
        finally:
            db.update(f"DROP SILENT GRAPH <{graph}>")


@cache
def table_maker() -> TableMaker:
    """This process's :class:`TableMaker` of the packaged ontology and vocabulary."""
    from .ontology import load_ontology
    from .vocabulary import vocabulary

    return TableMaker(load_ontology(), vocabulary())


def document_table_quads(store: ox.Store, graph: str) -> list[ox.Quad]:
    """The rows of every table for the document of ``graph``, computed in ``store`` (which holds it and the
    ontology, terms and closure): one literal a table, not yet stamped (:func:`stamped`)."""
    from .query import _term_value, select
    from .store import CLOSURE_GRAPH, ONTOLOGY_GRAPH, TERMS_GRAPH

    g = ox.NamedNode(graph)
    view = _OneDocument(store, [g, ONTOLOGY_GRAPH, TERMS_GRAPH, CLOSURE_GRAPH])
    quads = []
    for name in TABLES:
        columns, rows = select(view, _queries()[name])  # type: ignore[arg-type]
        cells = [[_term_value(t) for t in row] for row in rows]
        documents = {r[columns.index("document")] for r in cells}
        key = documents.pop() if len(documents) == 1 else ""
        text = json.dumps([key, list(columns), cells], ensure_ascii=False, separators=(",", ":"))
        quads.append(ox.Quad(g, ox.NamedNode(_TABLE + name), ox.Literal(text), TABLES_GRAPH))
    return quads


def stamped(quads: Iterable[ox.Quad], ontology_hash: str) -> list[ox.Quad]:
    """A document's table literals (:func:`document_table_quads`) stamped for the store's ontology
    ``ontology_hash`` and this version: the stamp is the literal's first line, so reading a table checks it
    without a second quad a document."""
    head = tables_stamp(ontology_hash) + "\n"
    return [ox.Quad(q.subject, q.predicate, ox.Literal(head + q.object.value), q.graph_name)
            for q in quads if isinstance(q.object, ox.Literal)]


def whole_table(store: Store, query: QueryFile | str) -> tuple[tuple[str, ...], list[tuple[str, ...]]] | None:
    """The rows of a table over the whole store from the documents' tables, or None when ``query`` is not one of
    the library's tables (by name, or a ``QueryFile`` with the library's own text) or they are not current (then
    run the query): every document of the store, and none other, has this table stamped for the store's
    ontology by this version."""
    name = query if isinstance(query, str) else query.name
    if name not in TABLES or (not isinstance(query, str) and query != _queries()[name]):
        return None
    ontology_hash = store.ontology_hash()
    if not ontology_hash:
        return None
    stamp = tables_stamp(ontology_hash)
    db = store.oxigraph
    parts: list[tuple[str, str, list[tuple[str, ...]]]] = []
    columns: tuple[str, ...] = ()
    made = set()
    with paused():  # a million strings and no cycle: collections would find nothing
        for q in db.quads_for_pattern(None, ox.NamedNode(_TABLE + name), None, TABLES_GRAPH):
            if not isinstance(q.subject, ox.NamedNode) or not isinstance(q.object, ox.Literal):
                return None
            head, _, text = q.object.value.partition("\n")
            if head != stamp:
                return None
            key, cols, rows = json.loads(text)
            columns = tuple(cols)
            made.add(q.subject.value)
            if rows:
                if not key:  # rows of several documents in one graph: no order to give them
                    return None
                parts.append((key, q.subject.value, [tuple(r) for r in rows]))
        if not columns or made != set(store.document_graphs()):
            return None
        parts.sort(key=lambda p: (p[0], p[1]))
        return columns, [r for _, _, rows in parts for r in rows]
