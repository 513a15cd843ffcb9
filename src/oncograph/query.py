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
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import QueryError
from .store import Store

__all__ = [
    "FORMATS",
    "Parameter",
    "QueryFile",
    "Result",
    "format_result",
    "list_queries",
    "load_query",
    "parameters",
    "readable_labels",
    "resolve_parameter",
    "run_query",
    "select",
    "short_id",
    "show_query",
]

FORMATS = ("csv", "tsv", "json", "table")
_PACKAGE = "oncograph.resources.queries"
_INTERNAL = ("analysis-", "export-")  # name prefixes of the queries that answer no research question


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


_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")  # the names of the library's queries (file names without .rq)


def _library() -> Path:
    """The folder of the shipped queries (wheels install unzipped; importlib.resources cost 15 ms at start-up)."""
    import importlib

    package = importlib.import_module(_PACKAGE)
    return Path(package.__file__ or "").parent


def list_queries(*, internal: bool = False) -> list[QueryFile]:
    """The research questions of the shipped library, sorted by name.

    ``internal=True`` adds the queries the analyses and the interchange exports use (``analysis-*``,
    ``export-*``), which answer no research question.
    """
    out = []
    for entry in _library().iterdir():
        if entry.name.endswith(".rq") and (internal or not entry.name.startswith(_INTERNAL)):
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
    if _NAME.fullmatch(name_or_path):  # a library name: its one file, not the whole library
        entry = _library() / f"{name_or_path}.rq"
        if entry.is_file():
            return _make(name_or_path, entry.read_text(encoding="utf-8"), str(entry))
    names = ", ".join(q.name for q in list_queries())
    raise QueryError(f"unknown query {name_or_path!r}; the library has: {names}")


def _term_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return str(term.value)
    return str(term)


@dataclass(frozen=True)
class Parameter:
    """A parameter a library query documents: the variable, and the default the query falls back on."""

    name: str
    default: str


def parameters(query: QueryFile | str) -> list[Parameter]:
    """The variables a query reads with a constant default (``COALESCE(?name, default)``), in order.

    Any other variable of the query can be bound too; these are the ones meant for it.

    Examples
    --------
    >>> [(p.name, p.default) for p in parameters("metastases-in-region")][:1]
    [('region', 'obo:UBERON_0001130')]
    """
    q = query if isinstance(query, QueryFile) else load_query(query)
    body = _CONCAT.sub("", "\n".join(line for line in q.text.splitlines() if not line.lstrip().startswith("#")))
    # the default is a constant: COALESCE(?pref_label, ?label) picks a value, it reads no parameter
    found = re.findall(r"COALESCE\(\s*[?$](\w+)\s*,\s*(?![\s?$])((?:<[^>]*>|[^(),]|\([^()]*\))+)\)", body,
                       re.IGNORECASE)
    out: dict[str, Parameter] = {}
    for name, default in found:
        out.setdefault(name, Parameter(name, default.strip()))
    return list(out.values())


def query_variables(text: str) -> set[str]:
    """Every variable name in a query (outside comments, strings and IRIs)."""
    from .sparqlcheck import inspect_sparql

    return set(inspect_sparql(text).variables)


def resolve_parameter(store: Store, value: str, name: str | None = None,
                      query: QueryFile | None = None) -> ox.NamedNode | ox.Literal:
    """A ``--param`` value as an RDF term, from what people type.

    In order: an IRI (``<…>`` or ``http(s)://…``); a CURIE (``UBERON:0001130``: the ontology
    term it identifies or is mapped to); a patient or document by the short id the tables show
    (``case_one.txt/patient/1``), by its readable label, or, for a ``patient``, by its number
    when one document alone has it; an ontology term by label or exact synonym (``"vertebral
    column"``, any case); a number; else a plain literal.  A value that could name several
    terms is an error listing them; so is a term parameter (one whose default is a term) with a
    value that names no term.
    """
    from .lookup import resolve_term  # the term index is loaded only when needed

    value = value.strip()
    if value.startswith("<") or value.endswith(">"):
        iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
        return _iri(iri, name)
    if re.fullmatch(r"https?://\S+", value):
        return _iri(value, name)
    m = re.fullmatch(r"([A-Za-z][A-Za-z0-9_.]*):([A-Za-z0-9_.\-]+)", value)
    if m:
        if m.group(1) == "onc":
            from .vocab import ONC

            return ox.NamedNode(str(ONC._NS) + m.group(2))
        term = _term_by_curie(store, value)
        if term is not None:
            return term
        raise QueryError(f"no ontology term is mapped to {value}" + (f" (--param {name})" if name else ""))
    individual = _individual(store, value, name)
    if individual is not None:
        return individual
    term_param = query is not None and name is not None and any(
        p.name == name and not re.fullmatch(r'[-+0-9."\']', p.default[:1]) for p in parameters(query))
    if not re.fullmatch(r"-?\d+(\.\d+)?", value):
        found = resolve_term(value, required=term_param, what=f"--param {name}" if name else "")
        if found is not None:
            return ox.NamedNode(found)
    if re.fullmatch(r"-?\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if re.fullmatch(r"-?\d+\.\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    return ox.Literal(value)


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|\\^`]*")


def _iri(value: str, name: str | None) -> ox.NamedNode:
    if not _IRI.fullmatch(value):
        raise QueryError(f"{'--param ' + name + ': ' if name else ''}{value[:100]!r} is not an IRI")
    return ox.NamedNode(value)


def _term_by_curie(store: Store, curie: str) -> ox.NamedNode | None:
    """The term a CURIE identifies: a vocabulary term (its IRI is the identifier itself), else the one term
    the vocabulary maps it to (an NCIt or DOID cross-reference), else a term of the store that has it as a
    cross-reference."""
    from .vocabulary import vocabulary

    vocab = vocabulary()
    prefix, _, local = curie.partition(":")
    own = next((c for c in (curie, f"{prefix.upper()}:{local}") if c in vocab), None)
    if own is not None:
        return ox.NamedNode(vocab.iri(own))
    from .lookup import _identifiers
    from .terms import term_index

    mapped = sorted(set(_identifiers(term_index()).get(curie.upper(), [])))
    if len(mapped) == 1:
        return ox.NamedNode(vocab.iri(mapped[0]))
    if len(mapped) > 1:
        names = "; ".join(f"{vocab[c].shown} ({c})" for c in mapped[:10])
        raise QueryError(f"{curie} is a cross-reference of {len(mapped)} terms: {names}; give one of their CURIEs")
    found = store.query(
        "PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>\n"
        "SELECT ?term ?curie WHERE { ?term oboInOwl:id|oboInOwl:hasDbXref ?curie } ORDER BY ?term LIMIT 1",
        {"curie": ox.Literal(curie)},
    )
    for row in found:
        term = row["term"]
        if isinstance(term, ox.NamedNode):
            return term
    return None


_DATA = "https://w3id.org/oncograph/data/"


def readable_labels(store: Store) -> dict[str, str]:
    """A readable label (first author, year, case) for every patient and document IRI of the store."""
    try:
        rows = store.query(load_query("analysis-readable-labels").text)
        return {str(r["node"].value): str(r["label"].value) for r in rows if r["label"] is not None}
    except QueryError:
        return {}


def short_id(iri: str) -> str:
    """What tables show for an individual of the data: its IRI after ``…/data/`` (``a.txt/patient/1``)."""
    from urllib.parse import unquote

    return unquote(iri[len(_DATA):]) if iri.startswith(_DATA) else iri


def _individual(store: Store, value: str, name: str | None) -> ox.NamedNode | None:
    """A patient or document by short id, readable label or (for ``patient``) its number."""
    from urllib.parse import quote

    candidate = _DATA + quote(value, safe="/._-~#")
    if _IRI.fullmatch(candidate) and _exists(store, candidate):
        return ox.NamedNode(candidate)
    labels = readable_labels(store)
    by_label = [iri for iri, label in labels.items() if label.casefold() == value.casefold()]
    if len(by_label) == 1:
        return ox.NamedNode(by_label[0])
    if name == "patient" and re.fullmatch(r"\d+", value):
        hits = sorted(iri for iri in labels if iri.endswith(f"/patient/{value}"))
        if len(hits) == 1:
            return ox.NamedNode(hits[0])
        if len(hits) > 1:
            shown = "; ".join(f"{short_id(h)} ({labels[h]})" for h in hits[:8])
            raise QueryError(f"--param patient={value} could be any of {len(hits)} patients: {shown}; "
                             "give one of these ids")
    if len(by_label) > 1:
        raise QueryError(f"{value!r} is the label of {len(by_label)} individuals: "
                         + "; ".join(short_id(i) for i in by_label[:8]))
    return None


def _exists(store: Store, iri: str) -> bool:
    return any(True for _ in store.query("SELECT ?p WHERE { ?s ?p ?o } LIMIT 1", {"s": ox.NamedNode(iri)}))


def bind(store: Store, query: QueryFile, params: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """``params`` resolved to RDF terms for ``query`` (every name must be a variable of it)."""
    if not params:
        return {}
    variables = query_variables(query.text)
    bindings = {}
    for k, v in params.items():
        if k not in variables:
            raise QueryError(f"query {query.name} has no variable ?{k}"
                             + (f"; its parameters: {', '.join(p.name for p in parameters(query))}"
                                if parameters(query) else ""))
        bindings[k] = resolve_parameter(store, v, k, query)
    return bindings


def select(store: Store, query: QueryFile | str, params: Mapping[str, str] | None = None,
           bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> tuple[tuple[str, ...], list[list[Any]]]:
    """Run a query; its column names and rows of RDF terms (``None`` for unbound)."""
    q = query if isinstance(query, QueryFile) else load_query(query)
    b = {**bind(store, q, params or {}), **(bindings or {})}
    b, wanted = _split_bindings(q, b)
    solutions = store.query(q.text, b)
    if wanted and not isinstance(solutions, ox.QuerySolutions):
        raise QueryError(f"query {q.name}: ?{', ?'.join(wanted)} is set only where an optional part of the query "
                         "matches, so it can be bound only in a SELECT query that returns it as a column")
    if isinstance(solutions, ox.QueryBoolean):
        return ("result",), [[ox.Literal("true" if bool(solutions) else "false",
                                         datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))]]
    if isinstance(solutions, ox.QueryTriples):
        return ("subject", "predicate", "object"), [[t.subject, t.predicate, t.object] for t in solutions]
    columns = tuple(v.value for v in solutions.variables)
    missing = sorted(wanted.keys() - set(columns))
    if missing:
        raise QueryError(f"query {q.name}: ?{missing[0]} is set only where an optional part of the query matches and "
                         "is not one of its columns, so it cannot be bound (rows without it would show the value)")
    rows = [[sol[c] for c in columns] for sol in solutions]
    if wanted:
        at = [(columns.index(name), term) for name, term in wanted.items()]
        rows = [row for row in rows if all(row[i] == term for i, term in at)]
    lists = [(columns.index(c), sep) for c, sep in concatenations(q.text).items() if c in columns]
    if lists:
        for row in rows:
            for i, sep in lists:
                row[i] = _sorted_list(row[i], sep)
    return columns, rows


def _split_bindings(query: QueryFile, bindings: Mapping[str, ox.NamedNode | ox.Literal]
                    ) -> tuple[dict[str, ox.NamedNode | ox.Literal], dict[str, ox.NamedNode | ox.Literal]]:
    """``bindings`` as those to substitute before evaluation and those to select rows by afterwards.

    A substitution binds the variable from the start, which only selects solutions where the query's
    pattern binds it in every solution (:func:`~oncograph.sparqlcheck.required_variables`) or only reads
    it (``COALESCE(?name, default)``, ``FILTER(?v > ?min)``). A variable only an OPTIONAL part (a UNION
    branch, a BIND, an aggregate) sets (:func:`~oncograph.sparqlcheck.optional_variables`) would, bound
    in advance, show the value on rows where that part did not match: such a variable must be a column
    (checked by :func:`select` once the query is planned), and the rows whose cell is that term are kept.
    """
    if not bindings:
        return {}, {}
    from .sparqlcheck import optional_variables

    unsafe = optional_variables(query.text) - {p.name for p in parameters(query)}
    later = {k: v for k, v in bindings.items() if k in unsafe}
    return {k: v for k, v in bindings.items() if k not in later}, later


_CONCAT = re.compile(r'GROUP_CONCAT\(\s*(?:DISTINCT\s+)?(?:\?\w+|COALESCE\(\s*\?\w+\s*,\s*""\s*\))\s*;'
                     r'\s*SEPARATOR\s*=\s*"((?:[^"\\]|\\.)*)"\s*\)\s*AS\s*\?(\w+)', re.IGNORECASE)


def concatenations(text: str) -> dict[str, str]:
    """The columns a query makes with ``GROUP_CONCAT(… ; separator="s") AS ?c``: {column: separator}.

    Examples
    --------
    >>> concatenations('SELECT (GROUP_CONCAT(DISTINCT ?x; separator="\\u001F") AS ?all) WHERE {}')
    {'all': '\\x1f'}
    """
    unescape = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "'": "'", "\\": "\\"}

    def one(e: re.Match[str]) -> str:
        return chr(int(e.group(1), 16)) if e.group(1) else unescape.get(e.group(2), e.group(2))

    return {m.group(2): re.sub(r"\\u([0-9A-Fa-f]{4})|\\(.)", one, m.group(1)) for m in _CONCAT.finditer(text)}


def _sorted_list(term: Any, sep: str) -> Any:
    """A GROUP_CONCAT cell with its items sorted (the engine's order is its plan's, not the data's), empty
    items left out, and unbound when none is left.

    The queries concatenate ``COALESCE(?x, "")``: for GROUP_CONCAT, Oxigraph makes the whole group's cell
    unbound when ``?x`` is unbound in one of its rows (an error of the aggregate), so a claim naming one
    term without a cross-reference lost the cross-references of all its terms.
    """
    if not isinstance(term, ox.Literal) or not sep or (sep not in term.value and term.value):
        return term
    items = sorted(item for item in term.value.split(sep) if item)
    if not items:
        return None
    value = sep.join(items)
    return ox.Literal(value, language=term.language) if term.language else ox.Literal(value, datatype=term.datatype)


def run_query(store: Store, query: QueryFile | str, params: Mapping[str, str] | None = None) -> Result:
    """Run a library query (or a query file) with ``params`` bound to its variables (projected or not).

    A per-patient table of the library run whole on the embedded store is read from the documents'
    materialised tables when they are current (:mod:`oncograph.tables`): the same rows, without the joins.
    """
    if not params and isinstance(store, Store):
        from .tables import whole_table

        q = query if isinstance(query, QueryFile) else load_query(query)
        table = whole_table(store, q)  # None unless the library's own table, and current
        if table is not None:
            return Result(table[0], tuple(table[1]))
        query = q
    columns, rows = select(store, query, params)
    return Result(columns, tuple(tuple(_term_value(t) for t in row) for row in rows))


def show_query(query: QueryFile | str) -> str:
    """The question, columns, parameters with their defaults, and the SPARQL text of a query."""
    q = query if isinstance(query, QueryFile) else load_query(query)
    lines = [f"{q.name}: {q.question}", f"returns: {q.returns}"]
    params = parameters(q)
    if params:
        lines.append("parameters (--param NAME=VALUE; a CURIE, IRI, label or synonym; any other variable too):")
        lines += [f"  {p.name:<12} default {p.default}" for p in params]
    else:
        lines.append("parameters: none with a default (--param NAME=VALUE binds any variable)")
    lines += ["", q.text.rstrip()]
    return "\n".join(lines) + "\n"


def format_result(result: Result, fmt: str, *, labels: Mapping[str, str] | None = None,
                  width: int | None = None) -> str:
    """The result as CSV, TSV, JSON (a list of objects) or a text table.

    The table shows patients and documents by their readable ``labels`` (first author, year,
    case) when given, other IRIs of the data by their short id, and fits the terminal's width
    (or ``width``): long cells wrap, none is cut.
    """
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
        return _table(result.columns, result.rows, labels or {}, width)
    raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _display(value: str, labels: Mapping[str, str]) -> str:
    if value in labels:
        return labels[value]
    if value.startswith(_DATA):
        return short_id(value)
    return value


_GAP = "   "  # between two columns of a table


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]], labels: Mapping[str, str],
           width: int | None) -> str:
    """A plain-text table: a header, a rule, the rows; cells wrap at spaces (or fold) to fit ``width``."""
    import shutil
    import textwrap

    total = width or shutil.get_terminal_size((160, 24)).columns
    cells = [list(columns)] + [[_display(v, labels) for v in r] for r in rows]
    widths = [max(len(line) for row in cells for line in row[i].splitlines() or [""]) for i in range(len(columns))]
    room = max(len(columns), total - len(_GAP) * (len(columns) - 1))
    # narrow the widest column a character at a time: first down to its longest word (cells wrap at
    # spaces), then, if the table still does not fit, down to one character (long words fold)
    words = [max((len(w) for row in cells for w in row[i].split()), default=1) for i in range(len(columns))]
    for floor in (words, [1] * len(columns)):
        while sum(widths) > room:
            i = max(range(len(widths)), key=lambda j: widths[j] - floor[j])
            if widths[i] <= floor[i]:
                break
            widths[i] -= 1

    def lines(text: str, w: int) -> list[str]:
        return [part for para in (text.splitlines() or [""])
                for part in (textwrap.wrap(para, w, break_long_words=True, break_on_hyphens=False) or [""])]

    out = []
    for n, row in enumerate(cells):
        wrapped = [lines(cell, w) for cell, w in zip(row, widths, strict=True)]
        for k in range(max(len(c) for c in wrapped)):
            out.append(_GAP.join((c[k] if k < len(c) else "").ljust(w)
                                 for c, w in zip(wrapped, widths, strict=True)).rstrip())
        if n == 0:
            out.append("─" * min(total, sum(widths) + len(_GAP) * (len(widths) - 1)))
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
