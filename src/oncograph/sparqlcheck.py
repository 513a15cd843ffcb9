"""Checks of a SPARQL text before any engine sees it: size, nesting depth, SERVICE, LOAD.

The text is split into the terminals of the SPARQL 1.1 grammar (IRIs, prefixed
names, variables, strings of the four kinds, comments, numbers, keywords and
punctuation) in one left-to-right pass, so that a keyword inside a string, an IRI
or a comment is never taken for the keyword, and a comment inside a string is
never taken for a comment.  On those tokens:

* the nesting depth of ``{ ( [`` is bounded (pyoxigraph's parser recurses and
  crashes the process on a few thousand levels);
* ``SERVICE`` (a federated query, anywhere: nested, with a variable endpoint,
  inside an update) and ``LOAD`` (an update that fetches a URL) are found as
  keywords, whatever their case.

Examples
--------
>>> inspect_sparql('SELECT * { ?s ?p "SERVICE" } # SERVICE').uses_service
False
>>> inspect_sparql('SELECT * { { SERVICE ?x { ?s ?p ?o } } }').uses_service
True
>>> inspect_sparql('SELECT * { { { ?s ?p ?o } } }').depth
3
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import QueryError

__all__ = ["MAX_DEPTH", "MAX_QUERY_BYTES", "QueryShape", "check_sparql", "inspect_sparql"]

#: Deepest nesting of ``{ ( [`` accepted (pyoxigraph crashes near 3,000).
MAX_DEPTH = 128
#: Longest query or update text accepted, in UTF-8 bytes.
MAX_QUERY_BYTES = 1 << 20

# The terminals that can hide other text: order matters (long strings before short ones).
_TOKEN = re.compile(
    r'''(?P<ws>\s+)
      | (?P<comment>\#[^\n\r]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                   |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
      | (?P<word>(?:[A-Za-z_\u00c0-\U000effff][\w\-.\u00b7\u00c0-\U000effff]*)?:(?:[\w\-.:%\\\u00b7\u00c0-\U000effff]*)
                 |[A-Za-z_\u00c0-\U000effff][\w\-\u00b7\u00c0-\U000effff]*|@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
      | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<other>\^\^|\|\||&&|!=|<=|>=|[.,;*=!<>+\-/|^a?])
      | (?P<bad>.)''',
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class QueryShape:
    """What the lexer saw in a SPARQL text."""

    depth: int
    uses_service: bool
    uses_load: bool
    keywords: frozenset[str]


def inspect_sparql(text: str) -> QueryShape:
    """Lex ``text`` once and report its nesting depth and the keywords that matter.

    Characters the grammar has no terminal for are skipped (the engine will
    refuse the text); only the depth and the keywords are decided here.
    """
    depth = deepest = 0
    keywords: set[str] = set()
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "word" and ":" not in m.group() and not m.group().startswith("@"):
            word = m.group().upper()
            if word in ("SERVICE", "LOAD", "SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "INSERT", "DELETE",
                        "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"):
                keywords.add(word)
    return QueryShape(deepest, "SERVICE" in keywords, "LOAD" in keywords, frozenset(keywords))


def check_sparql(text: str, *, max_depth: int = MAX_DEPTH, max_bytes: int = MAX_QUERY_BYTES) -> QueryShape:
    """:func:`inspect_sparql`, raising :class:`QueryError` for a text too long or nested too deep.

    Examples
    --------
    >>> check_sparql("SELECT * {" * 500 + "}" * 500)
    Traceback (most recent call last):
    ...
    oncograph.errors.QueryError: the query nests 500 levels of { ( [; the limit is 128
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueryError(f"the query is {size} bytes long; the limit is {max_bytes}")
    shape = inspect_sparql(text)
    if shape.depth > max_depth:
        raise QueryError(f"the query nests {shape.depth} levels of {{ ( [; the limit is {max_depth}")
    return shape
