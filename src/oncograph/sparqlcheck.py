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
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import QueryError

__all__ = ["MAX_DEPTH", "MAX_QUERY_BYTES", "QueryShape", "check_sparql", "inspect_sparql", "optional_variables",
           "required_variables"]

#: Deepest nesting of ``{ ( [`` accepted (pyoxigraph crashes near 3,000).
MAX_DEPTH = 128
#: Longest query or update text accepted, in UTF-8 bytes.
MAX_QUERY_BYTES = 1 << 20

# The name characters of SPARQL's grammar (PN_CHARS_BASE and the rest) as classes that compile in well
# under a millisecond: a class holding the range U+00C0..U+EFFFF takes sre 8 ms to compile, and the three
# of the word pattern were a quarter of the start-up of ``oncograph query``. Each is the complement of a
# few small ranges; CLASS_DEFINITIONS holds the plain form each equals (checked for every code point).
_START = r"[^\x00-\x40\x5b-\x5e\x60\x7b-\xbf\U000f0000-\U0010ffff]"
_LOCAL = r"[^\x00-\x2c\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\xa9\xab-\xb1\xb4\xb6\xb8\xbb\xbf\U000f0000-\U0010ffff]"
_LOCAL_PART = (r"[^\x00-\x24\x26-\x2c\x2f\x3b-\x40\x5b\x5d-\x5e\x60\x7b-\xa9\xab-\xb1\xb4\xb6\xb8\xbb\xbf"
               r"\U000f0000-\U0010ffff]")
_NAME = r"[^\x00-\x2c\x2e-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\xa9\xab-\xb1\xb4\xb6\xb8\xbb\xbf\U000f0000-\U0010ffff]"
CLASS_DEFINITIONS = {
    _START: r"[A-Za-z_\u00c0-\U000effff]",
    _LOCAL: r"[\w\-.\u00b7\u00c0-\U000effff]",
    _LOCAL_PART: r"[\w\-.:%\\\u00b7\u00c0-\U000effff]",
    _NAME: r"[\w\-\u00b7\u00c0-\U000effff]",
}

# Terminals other than strings, matched at the current position (strings are scanned by hand:
# an unterminated string would make a regular expression try every later quote, O(n^2)).
_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<comment>\#[^\n\r]*)
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
      | (?P<word>(?:START LOCAL*)?:(?:LOCAL_PART*)
                 |START NAME*|@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
      | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<other>.)""".replace("LOCAL_PART", _LOCAL_PART).replace("LOCAL", _LOCAL).replace("START", _START)
    .replace("NAME", _NAME),
    re.VERBOSE | re.DOTALL,
)
_KEYWORDS = frozenset({"SERVICE", "LOAD", "SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "INSERT", "DELETE", "CLEAR",
                       "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "FROM", "USING"})


def _string_end(text: str, i: int) -> int:
    """The index just after the string literal starting at ``text[i]`` (its end if unterminated)."""
    quote = text[i]
    long = text.startswith(quote * 3, i)
    j = i + (3 if long else 1)
    n = len(text)
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if long:
            if text.startswith(quote * 3, j):
                return j + 3
        elif c == quote:
            return j + 1
        elif c in "\n\r":
            return j  # a short string cannot span lines: the engine will refuse it
        j += 1
    return n


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """The significant tokens of ``text`` as (kind, text), one by one: no white space or comments; strings as
    ``string``."""
    i, n = 0, len(text)
    while i < n:
        if text[i] in "\"'":
            j = _string_end(text, i)
            yield "string", text[i:j]
            i = j
            continue
        m = _TOKEN.match(text, i)
        assert m is not None  # the last alternative matches any character
        i = m.end()
        if m.lastgroup not in ("ws", "comment"):
            yield m.lastgroup or "other", m.group()


@dataclass(frozen=True)
class QueryShape:
    """What the lexer saw in a SPARQL text."""

    depth: int
    uses_service: bool
    uses_load: bool
    keywords: frozenset[str]
    variables: frozenset[str] = frozenset()


def inspect_sparql(text: str) -> QueryShape:
    """Lex ``text`` once and report its nesting depth and the keywords that matter.

    Characters the grammar has no terminal for are skipped (the engine will
    refuse the text); only the depth and the keywords are decided here.
    """
    depth = deepest = 0
    keywords: set[str] = set()
    variables: set[str] = set()
    for kind, tok in _tokens(text):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "var":
            variables.add(tok[1:])
        elif kind == "word" and ":" not in tok and not tok.startswith("@"):
            word = tok.upper()
            if word in _KEYWORDS:
                keywords.add(word)
    return QueryShape(deepest, "SERVICE" in keywords, "LOAD" in keywords, frozenset(keywords), frozenset(variables))


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


#: a group right after one of these may leave its variables unbound (or never binds them outside)
_OPTIONAL_GROUP = frozenset({"OPTIONAL", "MINUS", "EXISTS", "UNION"})
#: after these, inside a group, come a subquery's projection or its modifiers, not patterns
_NOT_PATTERN = frozenset({"SELECT", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET"})


def required_variables(text: str) -> frozenset[str]:
    """The variables a query's pattern binds in every solution: each occurs in a triple pattern (or a
    ``VALUES`` block, or as a ``GRAPH`` name) of a group that is neither ``OPTIONAL``, ``MINUS``, an
    ``EXISTS`` nor a branch of a ``UNION``, nor inside one.

    Binding one of these in advance (pyoxigraph's substitutions) only selects solutions. Any other
    variable, bound in advance, is taken as bound wherever its optional part did not match, so a row
    without it would show the bound value as its own (a metastasis without a year shown with the year
    asked for). Variables only in expressions (``FILTER``, ``BIND``, a projection, ``GROUP BY``) are
    not required. Conservative: a variable required only inside a subquery is not counted.

    Examples
    --------
    >>> sorted(required_variables("SELECT ?m ?y WHERE { ?p :has ?m OPTIONAL { ?m :year ?y } }"))
    ['m', 'p']
    >>> sorted(required_variables("SELECT * { { ?a :x ?b } UNION { ?a :y ?c } BIND(1 AS ?d) }"))
    []
    """
    return _bound_variables(text)[0]


def optional_variables(text: str) -> frozenset[str]:
    """The variables a query may leave unbound: set only in an optional part of its pattern (see
    :func:`required_variables`), by a ``BIND`` or as the name of an expression (``(COUNT(?x) AS ?n)``).
    A variable neither required nor optional is only read (``FILTER(?v > ?min)``): a parameter.

    Examples
    --------
    >>> sorted(optional_variables("SELECT ?m ?y WHERE { ?p :has ?m OPTIONAL { ?m :year ?y } FILTER(?y > ?min) }"))
    ['y']
    """
    return _bound_variables(text)[1]


def _bound_variables(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(required, optional) of :func:`required_variables` and :func:`optional_variables`."""
    tokens = list(_tokens(text))
    groups: list[tuple[int, int]] = []  # the open groups: (id, paren depth at its opening)
    unsafe: set[int] = set()  # groups whose patterns may not match: optional, in an expression, a subquery's
    seen: list[tuple[str, tuple[int, ...]]] = []  # (variable, ids of the groups it occurs in, outermost first)
    named: set[str] = set()  # the variables named by AS (a BIND, a projected expression)
    parens = 0
    skipping: list[bool] = []  # per open group: inside a subquery's projection or modifiers
    previous = ""
    for k, (kind, tok) in enumerate(tokens):
        word = tok.upper() if kind == "word" else ""
        if tok == "{":
            gid = k  # the token's position: an id of the group
            if previous in _OPTIONAL_GROUP or parens > (groups[-1][1] if groups else 0) or (skipping and skipping[-1]):
                unsafe.add(gid)  # (the last: a subquery's WHERE, after its projection)
            if skipping:
                skipping[-1] = False
            groups.append((gid, parens))
            skipping.append(False)
        elif tok == "}":
            if groups:
                gid = groups.pop()[0]
                skipping.pop()
                after = tokens[k + 1] if k + 1 < len(tokens) else ("", "")
                if after[0] == "word" and after[1].upper() == "UNION":
                    unsafe.add(gid)  # the left branch of a UNION
        elif tok == "(":
            parens += 1
        elif tok == ")":
            parens = max(0, parens - 1)
        elif word in _NOT_PATTERN and groups:
            skipping[-1] = True
        elif kind == "var" and groups and not skipping[-1] and parens == groups[-1][1]:
            seen.append((tok[1:], tuple(g[0] for g in groups)))
        elif kind == "var" and previous == "AS":
            named.add(tok[1:])
        previous = word if kind == "word" and ":" not in tok else ""
    required = frozenset(v for v, path in seen if unsafe.isdisjoint(path))
    return required, frozenset({v for v, _ in seen} | named) - required
