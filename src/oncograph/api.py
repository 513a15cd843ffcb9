"""The Python API: open a store, ingest documents, ask questions, get pandas DataFrames.

>>> import oncograph as og
>>> kg = og.open()                       # a store in memory; og.open("DIR") or og.open("http://…/sparql")
>>> kg.sparql("SELECT (40 + 2 AS ?n) (1.5 AS ?x) ('a' AS ?s) WHERE {}").dtypes.astype(str).tolist()
['Int64', 'Float64', 'object']
>>> kg.sparql("ASK { ?s ?p ?o }")
False
>>> kg.sparql("SELECT ?v WHERE { VALUES ?v { 1 2 3 } FILTER(?v > ?min) }", min=1)["v"].tolist()
[2, 3]

``kg.query("metastases-in-region", region="vertebral column")`` runs a query of the library
with parameters given by what people type (a CURIE, an IRI, a label or synonym, a patient's
id); ``kg.graph()`` is the networkx graph the analyses use; ``kg.documents()`` lists the
documents with title, journal, year, first author, PMID, DOI and PMCID.  Every error is an
:class:`~oncograph.errors.OncographError` with a one-line message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import QueryError
from .query import QueryFile, list_queries, load_query, parameters, readable_labels, resolve_parameter, select

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from .pipeline import IngestReport
    from .remote import RemoteStore
    from .store import Store

__all__ = ["KnowledgeGraph", "ingest", "open"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                            "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
                            "unsignedByte", "gYear")}
_FLOATS = {_XSD + t for t in ("decimal", "double", "float")}
_DATES = {_XSD + "date", _XSD + "dateTime", _XSD + "dateTimeStamp"}


def _python(term: Any) -> Any:
    """An RDF term as a Python value: IRIs as strings, typed literals as int, float, date, bool."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value
        try:
            if dtype in _INTS:
                return int(term.value)
            if dtype in _FLOATS:
                return float(Decimal(term.value)) if dtype == _XSD + "decimal" else float(term.value)
            if dtype == _XSD + "boolean":
                return term.value in ("true", "1")
            if dtype == _XSD + "date":
                return dt.date.fromisoformat(term.value)
            if dtype in _DATES:
                return dt.datetime.fromisoformat(term.value.replace("Z", "+00:00"))
        except ValueError:
            return term.value
        return term.value
    return str(term)


def _frame(columns: Iterable[str], rows: list[list[Any]]) -> pd.DataFrame:
    """A DataFrame with a typed column per variable: Int64, Float64, datetime64, boolean or object (str)."""
    import pandas as pd

    cols = list(columns)
    data: dict[str, Any] = {}
    for i, c in enumerate(cols):
        values = [_python(r[i]) for r in rows]
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, bool) for v in present):
            data[c] = pd.array(values, dtype="boolean")
        elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            data[c] = pd.array(values, dtype="Int64")
        elif present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
            data[c] = pd.array([None if v is None else float(v) for v in values], dtype="Float64")
        elif present and all(isinstance(v, dt.date) for v in present):
            data[c] = pd.to_datetime(pd.Series(values, dtype="object"), utc=any(
                isinstance(v, dt.datetime) and v.tzinfo for v in present))
        else:
            data[c] = pd.Series([None if v is None else str(v) for v in values], dtype="object")
    return pd.DataFrame(data, columns=cols)


class KnowledgeGraph:
    """An oncograph store seen from Python (see :func:`open`).

    Parameters
    ----------
    store : Store or RemoteStore
        The backend: an embedded pyoxigraph store or a SPARQL 1.1 server.
    """

    def __init__(self, store: Store | RemoteStore) -> None:
        self.store = store

    def __repr__(self) -> str:
        where = getattr(self.store, "path", None) or getattr(self.store, "query_url", None) or "memory"
        return f"<oncograph.KnowledgeGraph {where}>"

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Flush an on-disk store and let it go (another process may then write it)."""
        store = self.__dict__.pop("store", None)
        if store is not None and getattr(store, "path", None) is not None:
            store.flush()

    # ------------------------------------------------------------------ questions
    def query(self, name: str, *, labels: bool = True, **params: str) -> pd.DataFrame:
        """The rows of a library query (or a ``.rq`` file) as a DataFrame with typed columns.

        Parameters
        ----------
        name : str
            A library query (``"metastases"``; see :meth:`queries`) or the path of a ``.rq`` file.
        labels : bool
            Add a ``patient_label`` (first author, year, case) beside a ``patient`` column.
        **params : str
            Values for the query's variables, as on the command line: ``region="UBERON:0001130"``,
            ``region="vertebral column"``, ``patient="case_one.txt/patient/1"``.
        """
        q = load_query(name)
        columns, rows = select(self.store, q, {k: str(v) for k, v in params.items()})  # type: ignore[arg-type]
        frame = _frame(columns, rows)
        if labels and "patient" in frame.columns and "patient_label" not in frame.columns:
            names = readable_labels(self.store)  # type: ignore[arg-type]
            frame.insert(list(frame.columns).index("patient") + 1, "patient_label",
                         [names.get(p, p) if isinstance(p, str) else p for p in frame["patient"]])
        return frame

    def sparql(self, text: str, **bindings: Any) -> Any:
        """Run SPARQL text with ``bindings`` for its variables (never pasted into the text).

        Returns
        -------
        DataFrame for SELECT, bool for ASK, rdflib.Graph for CONSTRUCT/DESCRIBE.
        """
        q = QueryFile("sparql", text, "", "", "<text>")
        terms = {k: self._term(k, v, q) for k, v in bindings.items()}
        if _is_graph_query(text):
            from rdflib import Graph

            from .export import _to_rdflib

            g = Graph()
            for t in self.store.query(text, terms):
                g.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
            return g
        columns, rows = select(self.store, q, bindings=terms)  # type: ignore[arg-type]
        if columns == ("result",) and rows and isinstance(rows[0][0], ox.Literal) \
                and rows[0][0].datatype.value == _XSD + "boolean":
            return rows[0][0].value == "true"
        return _frame(columns, rows)

    def _term(self, name: str, value: Any, q: QueryFile) -> ox.NamedNode | ox.Literal:
        if isinstance(value, ox.NamedNode | ox.Literal):
            return value
        if isinstance(value, bool):
            return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
        if isinstance(value, int):
            return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
        if isinstance(value, float):
            return ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + "double"))
        if isinstance(value, str):
            return resolve_parameter(self.store, value, name, q)  # type: ignore[arg-type]
        raise QueryError(f"cannot bind ?{name} to a {type(value).__name__}")

    def documents(self) -> pd.DataFrame:
        """The documents: title, journal, year, first author, authors, PMID, DOI, PMCID, patients."""
        return self.query("documents")

    def queries(self) -> pd.DataFrame:
        """The research questions of the library, with their parameters and defaults."""
        import pandas as pd

        return pd.DataFrame([{"name": q.name, "question": q.question, "returns": q.returns,
                              "parameters": ", ".join(f"{p.name}={p.default}" for p in parameters(q))}
                             for q in list_queries()])

    def graph(self, *, cache: bool = True) -> nx.MultiDiGraph:
        """The store as the networkx graph of the analyses (individuals and terms as nodes).

        From the snapshot of an unchanged on-disk store (:mod:`oncograph.analysis.snapshot`);
        ``cache=False`` converts the store afresh.
        """
        from .analysis.snapshot import analysis_graph

        return analysis_graph(self.store, cache=cache)[0]

    # ------------------------------------------------------------------ writing
    def ingest(self, paths: str | Path | Iterable[str | Path], **options: Any) -> IngestReport:
        """Read documents into this store (see :func:`oncograph.pipeline.ingest` for the options)."""
        from .pipeline import ingest as run

        items = [paths] if isinstance(paths, str | Path) else list(paths)
        return run(items, self.store, **options)  # type: ignore[arg-type]

    def remove(self, *names: str) -> list[str]:
        """Remove documents by name; the names removed."""
        from .pipeline import remove as run

        return run(names, self.store)  # type: ignore[arg-type]


def _is_graph_query(text: str) -> bool:
    from .sparqlcheck import inspect_sparql

    keywords = inspect_sparql(text).keywords
    return ("CONSTRUCT" in keywords or "DESCRIBE" in keywords) and "SELECT" not in keywords and "ASK" not in keywords


def open(store: str | Path | None = None, *, read_only: bool = False) -> KnowledgeGraph:
    """Open a store: a folder (created when needed), the URL of a SPARQL server, or None for memory.

    Raises
    ------
    OncographError
        The store cannot be opened (another process writes it, no store at a read-only path…).
    """
    if store is None:
        from .store import Store

        return KnowledgeGraph(Store())
    text = str(store)
    if text.startswith(("http://", "https://")):
        from .remote import RemoteStore

        return KnowledgeGraph(RemoteStore(text))
    from .store import Store

    return KnowledgeGraph(Store(Path(text), read_only=read_only))


def ingest(paths: str | Path | Iterable[str | Path], store: str | Path | KnowledgeGraph | None = None,
           **options: Any) -> IngestReport:
    """Read documents into ``store`` (a folder, a URL, or an open :class:`KnowledgeGraph`)."""
    kg = store if isinstance(store, KnowledgeGraph) else open(store)
    try:
        return kg.ingest(paths, **options)
    finally:
        if not isinstance(store, KnowledgeGraph):
            kg.close()

