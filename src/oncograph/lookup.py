"""Term lookup for query writers: find ontology terms by label, synonym, CURIE or local name.

``oncograph lookup "spine"`` lists the terms whose label, an exact synonym, an
external identifier (``UBERON:0001130``) or local name (``VertebralColumn``)
matches, case-insensitively, best matches first: exact label, exact synonym or
identifier, then words starting with the text, then any substring.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .errors import QueryError
from .terms import Term, TermIndex, term_index

__all__ = ["Match", "format_matches", "lookup", "resolve_term"]


@dataclass(frozen=True)
class Match:
    """A term found by :func:`lookup`, with how well and where it matched."""

    term: Term
    rank: int  # 0 exact label, 1 exact synonym/xref/name, 2 word prefix, 3 substring
    matched: str  # the label, synonym, identifier or name that matched


def _score(text: str, key: str) -> int | None:
    value = text.casefold()
    if value == key:
        return 0
    if re.search(r"(^|[\s\-_/(,])" + re.escape(key), value):
        return 2
    if key in value:
        return 3
    return None


def lookup(text: str, index: TermIndex | None = None, *, limit: int | None = None) -> list[Match]:
    """Terms of the ontology matching ``text``.

    Parameters
    ----------
    text : str
        A word, label, synonym, CURIE (``UBERON:0001130``) or local name.
    index : TermIndex, optional
        The terms to search (default: the packaged ontology).
    limit : int, optional
        At most this many matches.

    Returns
    -------
    list of Match
        Best first, then by label.

    Examples
    --------
    >>> [m.term.name for m in lookup("UBERON:0001130")]
    ['VertebralColumn']
    >>> lookup("spine")[0].term.label
    'vertebral column'
    """
    key = text.strip().casefold()
    if not key:
        raise QueryError("lookup: give a word, label, synonym or identifier")
    idx = index if index is not None else term_index()
    found: list[Match] = []
    for term in idx:
        best: tuple[int, str] | None = None
        candidates = [(term.label, 0)] + [(s, 1) for s in term.synonyms] + [(x, 1) for x in term.xrefs] \
            + [(term.name, 1)]
        for value, exact_rank in candidates:
            score = _score(value, key)
            if score is None:
                continue
            rank = exact_rank if score == 0 else score
            if best is None or rank < best[0]:
                best = (rank, value)
        if best is not None:
            found.append(Match(term, best[0], best[1]))
    found.sort(key=lambda m: (m.rank, m.term.label.casefold(), m.term.name))
    return found[:limit] if limit is not None else found


def resolve_term(text: str, index: TermIndex | None = None, *, required: bool = True, what: str = "") -> str | None:
    """The IRI of the one term whose label, exact synonym or identifier is ``text`` (any case).

    Raises
    ------
    QueryError
        When several terms have that name (the message lists them), or, with ``required``,
        when none has (the message suggests near matches).

    Examples
    --------
    >>> resolve_term("Vertebral Column") == resolve_term("UBERON:0001130")
    True
    """
    idx = index if index is not None else term_index()
    where = f"{what}: " if what else ""
    matches = lookup(text, idx)
    exact = [m for m in matches if m.rank <= 1]
    best = [m for m in exact if m.rank == exact[0].rank] if exact else []
    iris = sorted({str(m.term.iri) for m in best})
    if len(iris) == 1:
        return iris[0]
    if len(iris) > 1:
        listed = "; ".join(f"{m.term.label} ({', '.join(m.term.xrefs[:2]) or m.term.iri})" for m in best[:10])
        raise QueryError(f"{where}{text!r} names {len(iris)} terms: {listed}; give one of their CURIEs")
    if not required:
        return None
    near = ", ".join(repr(m.term.label) for m in matches[:5])
    raise QueryError(f"{where}no ontology term is called {text!r}" + (f" (did you mean {near}?)" if near else
                                                                       " (see `oncograph lookup`)"))


def format_matches(matches: list[Match], fmt: str = "table") -> str:
    """Matches as an indented text listing, TSV or JSON."""
    if fmt == "json":
        return json.dumps([{"iri": str(m.term.iri), "name": m.term.name, "label": m.term.label,
                            "category": m.term.category, "synonyms": list(m.term.synonyms),
                            "xrefs": list(m.term.xrefs), "matched": m.matched} for m in matches],
                          indent=2, ensure_ascii=False) + "\n"
    if fmt == "tsv":
        lines = ["iri\tlabel\tcategory\tsynonyms\txrefs"]
        lines += [f"{m.term.iri}\t{m.term.label}\t{m.term.category}\t{'|'.join(m.term.synonyms)}\t"
                  f"{' '.join(m.term.xrefs)}" for m in matches]
        return "\n".join(lines) + "\n"
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}; use table, tsv or json")
    out = []
    for m in matches:
        t = m.term
        out.append(f"{t.label}  [{t.category}]  onc:{t.name}")
        out.append(f"    iri:      {t.iri}")
        if t.xrefs:
            out.append(f"    xrefs:    {', '.join(t.xrefs)}")
        if t.synonyms:
            out.append(f"    synonyms: {'; '.join(t.synonyms)}")
    out.append(f"({len(matches)} term{'s' if len(matches) != 1 else ''})")
    return "\n".join(out) + "\n"
