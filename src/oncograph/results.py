"""SPARQL results and graphs in the formats of the SPARQL 1.1 Protocol, and content negotiation.

Used by the endpoint's worker processes (:mod:`oncograph.worker`), which serialise
what they computed before handing it to the server.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = [
    "FORMAT_ALIASES",
    "GRAPH_MEDIA",
    "GRAPH_TYPES",
    "SELECT_MEDIA",
    "SELECT_TYPES",
    "NotAcceptable",
    "negotiate",
    "serialize_boolean",
    "serialize_graph",
    "serialize_select",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: Accept types for SELECT and ASK results → result format.
SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/plain": "tsv",
}
SELECT_MEDIA = {"json": "application/sparql-results+json; charset=utf-8",
                "xml": "application/sparql-results+xml; charset=utf-8",
                "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}

#: Accept types for CONSTRUCT and DESCRIBE results → graph format.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "text/n3": "turtle",
    "text/rdf+n3": "turtle",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}
GRAPH_MEDIA = {"turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples; charset=utf-8",
               "jsonld": "application/ld+json; charset=utf-8", "rdfxml": "application/rdf+xml; charset=utf-8",
               "nquads": "application/n-quads; charset=utf-8", "trig": "application/trig; charset=utf-8"}
_OX_GRAPH = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
             "rdfxml": ox.RdfFormat.RDF_XML, "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}

#: Values of the ``format=`` / ``output=`` query parameters (as Fuseki and Virtuoso take them):
#: (result format for SELECT/ASK, graph format for CONSTRUCT/DESCRIBE).
FORMAT_ALIASES = {
    "json": ("json", "jsonld"), "srj": ("json", "jsonld"), "application/sparql-results+json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"), "srx": ("xml", "rdfxml"), "application/sparql-results+xml": ("xml", "rdfxml"),
    "csv": ("csv", "ntriples"), "text/csv": ("csv", "ntriples"),
    "tsv": ("tsv", "ntriples"), "text/tab-separated-values": ("tsv", "ntriples"),
    "text": ("tsv", "ntriples"),
    "turtle": ("json", "turtle"), "ttl": ("json", "turtle"), "text/turtle": ("json", "turtle"),
    "ntriples": ("tsv", "ntriples"), "nt": ("tsv", "ntriples"), "n-triples": ("tsv", "ntriples"),
    "application/n-triples": ("tsv", "ntriples"),
    "jsonld": ("json", "jsonld"), "json-ld": ("json", "jsonld"), "application/ld+json": ("json", "jsonld"),
    "rdfxml": ("xml", "rdfxml"), "rdf": ("xml", "rdfxml"), "rdf/xml": ("xml", "rdfxml"),
    "application/rdf+xml": ("xml", "rdfxml"),
}


class NotAcceptable(ValueError):
    """None of the client's Accept types can be produced."""


def negotiate(accept: str, table: dict[str, str], default: str) -> str:
    """The format for the best type of an ``Accept`` header (by q, then by order) found in ``table``.

    Examples
    --------
    >>> negotiate("application/rdf+xml, text/turtle;q=0.9", GRAPH_TYPES, "turtle")
    'rdfxml'
    >>> negotiate("", SELECT_TYPES, "json")
    'json'
    """
    if not accept.strip():
        return default
    ranked = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.replace(" ", "").lower().startswith("q="):
                try:
                    q = float(f.split("=", 1)[1])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, fields[0].lower()))
    for _, _, media in sorted(ranked):
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*", "*"):
            return default
    raise NotAcceptable(f"cannot answer in any of: {accept[:200]}")


def _json_term(t: Any) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != _XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    return {"type": "literal", "value": str(t)}  # pragma: no cover - triple terms


def _xml_term(t: Any) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return f"<literal>{escape(str(t))}</literal>"  # pragma: no cover


def serialize_select(variables: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> bytes:
    """SELECT results in the SPARQL 1.1 JSON, XML, CSV or TSV result format."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                    for row in rows]
        return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head>\n<results>")
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                            for v, t in zip(variables, row, strict=True) if t is not None)
                       + "</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        w.writerows([["" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value)
                      for t in row] for row in rows])
        return buf.getvalue().encode("utf-8")
    # tsv: terms in SPARQL/Turtle syntax
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """An ASK result."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return (("_askResult\r\n" if fmt == "csv" else "?_askResult\n") + ("true" if value else "false")
            + ("\r\n" if fmt == "csv" else "\n")).encode()


def serialize_graph(triples: Sequence[ox.Triple], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """CONSTRUCT/DESCRIBE triples as Turtle, N-Triples, JSON-LD or RDF/XML (N-Quads, TriG: the default graph)."""
    body = ox.serialize(triples, format=_OX_GRAPH[fmt],
                        prefixes=prefixes if fmt in ("turtle", "trig", "rdfxml") else None)
    if body:
        return bytes(body)
    if fmt == "rdfxml":
        return b'<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    if fmt == "jsonld":
        return b"[]"
    return b""
