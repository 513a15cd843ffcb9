"""Exports of the store for other tools: RDF files, OWL for Protégé, CSV of a query, SSSOM.

==========  ==========================================================================
format      what is written
==========  ==========================================================================
trig        every named graph (documents, ontology, closure), or one document's graph
nquads      the same as N-Quads
jsonld      the same as JSON-LD (named graphs kept)
turtle      the triples of the selected graphs, merged
owl         RDF/XML of the ontology plus the instance data of the selected documents
            (no closure: a reasoner infers it), which Protégé and the OWL API open
csv         the rows of a library query (``query``) as CSV
sssom       the ontology's mappings to external vocabularies (SSSOM TSV)
==========  ==========================================================================

Serialising is pyoxigraph's (fast, streaming) except for ``owl``, written by
rdflib's RDF/XML serialiser like the ontology release.

The interchange formats of other communities (clinical informatics, knowledge-graph
tooling, text mining) live in :mod:`oncograph.interchange`, one module per format,
registered in :data:`INTERCHANGE`. Each module has ``export(store, fmt, document=None)
-> bytes`` (one stream) and may have ``export_files(store, fmt, document=None) ->
dict[str, bytes]`` (file name -> content) for a format that is a set of files; the
command line writes those into the directory ``--out`` names.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .emit import graph_iri
from .errors import OncographError
from .interchange import EXPORT_FORMATS, INTERCHANGE
from .query import format_result, run_query
from .store import CLOSURE_GRAPH, ONTOLOGY_GRAPH

__all__ = ["FORMATS", "INTERCHANGE", "PREFIXES", "ExportError", "export", "export_files", "selected_graphs",
           "write_export", "write_files"]

FORMATS = EXPORT_FORMATS

PREFIXES = {
    "onc": "https://w3id.org/oncograph/ontology/",
    "data": "https://w3id.org/oncograph/data/",
    "obo": "http://purl.obolibrary.org/obo/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}

_OX_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD,
               "turtle": ox.RdfFormat.TURTLE}


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class ExportError(OncographError, ValueError):
    """An export was asked with bad options (unknown format, unknown document, no query)."""


class QuadSource(Protocol):
    """What an export reads: the local :class:`~oncograph.store.Store` or a remote one."""

    def document_graphs(self) -> list[str]: ...

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]: ...

    def query(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> Any: ...


def selected_graphs(store: QuadSource, document: str | None = None, *, with_ontology: bool = True) -> list[str]:
    """The named graphs an export covers: one document's, or every document's plus ontology and closure."""
    documents = store.document_graphs()
    if document is not None:
        wanted = document if document.startswith("https://") else str(graph_iri(document))
        if wanted not in documents:
            raise ExportError(f"no document {document!r} in the store")
        return [wanted]
    return documents + ([ONTOLOGY_GRAPH.value, CLOSURE_GRAPH.value] if with_ontology else [])


def _quads(store: QuadSource, graphs: Iterable[str]) -> Iterator[ox.Quad]:
    for g in graphs:
        yield from store.quads(g)


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # RDF 1.1: the same as a simple literal
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ExportError(f"cannot export the term {term!r}")


def _owl(store: QuadSource, document: str | None) -> bytes:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    for q in _quads(store, [ONTOLOGY_GRAPH.value, *selected_graphs(store, document, with_ontology=False)]):
        g.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
    return g.serialize(format="xml", encoding="utf-8")


def export(store: QuadSource, fmt: str, *, document: str | None = None, query: str | None = None,
           params: Mapping[str, str] | None = None) -> bytes:
    """The store (or one document of it) in format ``fmt``, as bytes.

    Parameters
    ----------
    store : Store or RemoteStore
    fmt : {"trig", "nquads", "turtle", "jsonld", "owl", "csv", "sssom"}
    document : str, optional
        A document's file name (or its graph IRI): export only its graph.
    query : str, optional
        For ``csv``: a library query name or a ``.rq`` file.
    params : mapping, optional
        For ``csv``: the query's parameters.

    Examples
    --------
    >>> from oncograph.store import Store
    >>> export(Store(), "nquads")
    b''
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt in INTERCHANGE:
        if query:
            raise ExportError("--query only goes with --format csv")
        return _interchange(fmt).export(store, fmt, document=document)  # type: ignore[no-any-return]
    if fmt == "csv":
        if not query:
            raise ExportError("--format csv needs --query NAME (a library query or a .rq file)")
        return format_result(run_query(store, query, params), "csv").encode("utf-8")  # type: ignore[arg-type]
    if query:
        raise ExportError("--query only goes with --format csv")
    if fmt == "sssom":
        return resources.files("oncograph.resources.ontology").joinpath("mappings.sssom.tsv").read_bytes()
    if fmt == "owl":
        return _owl(store, document)
    graphs = selected_graphs(store, document)
    out = io.BytesIO()
    if fmt == "turtle":
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in _quads(store, graphs)}
        ox.serialize(sorted(triples, key=str), out, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    elif fmt == "jsonld":
        ox.serialize(_quads(store, graphs), out, _OX_FORMATS[fmt])
    else:
        ox.serialize(_quads(store, graphs), out, _OX_FORMATS[fmt],
                     prefixes=PREFIXES if fmt == "trig" else None)
    return out.getvalue()


def _interchange(fmt: str) -> Any:
    import importlib

    return importlib.import_module(f"oncograph.interchange.{INTERCHANGE[fmt]}")


def has_files(fmt: str) -> bool:
    """Whether ``fmt`` can be written as a set of files (see :func:`export_files`)."""
    return fmt in INTERCHANGE and hasattr(_interchange(fmt), "export_files")


def export_files(store: QuadSource, fmt: str, *, document: str | None = None) -> dict[str, bytes]:
    """The store (or one document) in format ``fmt`` as files: relative file name -> content."""
    if not has_files(fmt):
        raise ExportError(f"--format {fmt} is one stream, not a set of files")
    return _interchange(fmt).export_files(store, fmt, document=document)  # type: ignore[no-any-return]


def write_files(files: Mapping[str, bytes], directory: str | Path) -> list[Path]:
    """Write ``files`` into ``directory`` (created), each atomically; the paths written, in order."""
    from .safeio import atomic_write

    root = Path(directory)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{root}: cannot create the output directory ({exc.strerror or exc})") from exc
    written = []
    for name in sorted(files):
        dest = root / name
        if dest.resolve().parent != root.resolve():
            raise ExportError(f"{name!r}: an export file name must not leave the output directory")
        atomic_write(dest, files[name])
        written.append(dest)
    return written


def write_export(data: bytes, dest: str | Path | None) -> None:
    """Write ``data`` to ``dest`` (atomically), or to standard output when None or ``-``."""
    if dest is None or str(dest) == "-":
        import sys

        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from .safeio import atomic_write

    atomic_write(Path(dest), data)
