"""The SPARQL query library and the formatting of results.

Queries live in ``queries/<name>.rq`` (shipped as package resources), each
starting with ``# Question:`` and ``# Returns:`` lines.  Parameters are passed as
bindings (pyoxigraph substitutions), never pasted into the query text; a CURIE
value such as ``UBERON:0001130`` resolves to the ontology term mapped to it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError
from .store import Store

__all__ = ["FORMATS", "QueryFile", "Result", "format_result", "list_queries", "load_query", "run_query"]

FORMATS = ("csv", "tsv", "json", "table")
_PACKAGE = "oncograph.resources.queries"


@dataclass(frozen=True)
class QueryFile:
    """A query of the library (or a researcher's own ``.rq`` file)."""

    name: str
    text: str
    question: str
    returns: str
    path: str


@dataclass(frozen=True)
class Result:
    """The rows of a SELECT query as plain strings ("" for unbound)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]



def _header(text: str, key: str) -> str:
    m = re.search(rf"^#\s*{key}:\s*(.+)$", text, re.MULTILINE)
    return m.group(1).strip() if m else ""


def _make(name: str, text: str, path: str) -> QueryFile:
    return QueryFile(name, text, _header(text, "Question"), _header(text, "Returns"), path)


def list_queries(*, internal: bool = False) -> list[QueryFile]:
    """The research questions of the shipped library, sorted by name.

    ``internal=True`` adds the queries the analyses use (``analysis-*``), which answer no research question.
    """
    out = []
    for entry in resources.files(_PACKAGE).iterdir():
        if entry.name.endswith(".rq") and (internal or not entry.name.startswith("analysis-")):
            out.append(_make(entry.name[:-3], entry.read_text(encoding="utf-8"), str(entry)))
    return sorted(out, key=lambda q: q.name)


def load_query(name_or_path: str) -> QueryFile:
    """A query by library name (``metastases``) or by the path of a ``.rq`` file."""
    path = Path(name_or_path)
    if name_or_path.endswith(".rq") or path.exists():
        if not path.is_file():
            raise QueryError(f"{name_or_path}: no such query file")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{name_or_path}: cannot read the query: {exc}") from exc
        return _make(path.stem, text, str(path))
    for q in list_queries(internal=True):
        if q.name == name_or_path:
            return q
    names = ", ".join(q.name for q in list_queries())
    raise QueryError(f"unknown query {name_or_path!r}; the library has: {names}")


def _term_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return str(term.value)
    return str(term)


def resolve_parameter(store: Store, value: str) -> ox.NamedNode | ox.Literal:
    """A ``--param`` value as an RDF term: an IRI in <>, a CURIE mapped to an ontology term, or a literal."""
    if value.startswith("<") and value.endswith(">"):
        return ox.NamedNode(value[1:-1])
    if re.fullmatch(r"https?://\S+", value):
        return ox.NamedNode(value)
    m = re.fullmatch(r"([A-Za-z][A-Za-z0-9_.]*):([A-Za-z0-9_.\-]+)", value)
    if m:
        if m.group(1) == "onc":
            from .vocab import ONC

            return ox.NamedNode(str(ONC._NS) + m.group(2))
        found = store.query(
            "PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>\n"
            "SELECT ?term ?curie WHERE { ?term oboInOwl:hasDbXref ?curie } ORDER BY ?term LIMIT 1",
            {"curie": ox.Literal(value)},
        )
        for row in found:
            term = row["term"]
            if isinstance(term, ox.NamedNode):
                return term
        raise QueryError(f"no ontology term is mapped to {value}")
    if re.fullmatch(r"-?\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return ox.Literal(value)


def run_query(store: Store, query: QueryFile | str, params: Mapping[str, str] | None = None) -> Result:
    """Run a library query (or a query file) with ``params`` bound to its variables."""
    q = query if isinstance(query, QueryFile) else load_query(query)
    bindings = {k: resolve_parameter(store, v) for k, v in (params or {}).items()}
    for k in bindings:
        if not re.search(rf"[?$]{re.escape(k)}\b", q.text):
            raise QueryError(f"query {q.name} has no variable ?{k}")
    solutions = store.query(q.text, bindings)
    if isinstance(solutions, ox.QueryBoolean):
        return Result(("result",), (("true" if bool(solutions) else "false",),))
    if isinstance(solutions, ox.QueryTriples):
        rows = tuple((_term_value(t.subject), _term_value(t.predicate), _term_value(t.object)) for t in solutions)
        return Result(("subject", "predicate", "object"), rows)
    columns = tuple(v.value for v in solutions.variables)
    table = tuple(tuple(_term_value(sol[c]) for c in columns) for sol in solutions)
    return Result(columns, table)


def format_result(result: Result, fmt: str) -> str:
    """The result as CSV, TSV, JSON (a list of objects) or an aligned text table."""
    if fmt == "csv" or fmt == "tsv":
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
        return buf.getvalue()
    if fmt == "json":
        return json.dumps([dict(zip(result.columns, r, strict=True)) for r in result.rows], indent=2,
                          ensure_ascii=False) + "\n"
    if fmt == "table":
        return _table(result.columns, result.rows)
    raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def short(v: str) -> str:
        v = v.rsplit("/", 1)[-1] if v.startswith("http") else v
        return v if len(v) <= 48 else v[:45] + "..."

    cells = [[short(c) for c in r] for r in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
