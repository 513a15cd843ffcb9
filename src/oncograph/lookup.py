"""Term lookup for query writers: find vocabulary terms by label, synonym or identifier.

``oncograph lookup "spine"`` lists the terms whose label, display name, an exact
synonym or an identifier (its own CURIE such as ``UBERON:0001130``, or a
cross-reference such as ``NCIT:C3868``) matches, case-insensitively, best first:
exact label, exact synonym or identifier, then labels with a word starting with
the text, then labels containing it.  ``--tree`` adds each term's ancestors and
its direct descendants, so a query writer sees what "anywhere in" a term covers.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from .errors import QueryError
from .terms import Term, TermIndex, term_index

__all__ = ["Match", "children", "format_matches", "lookup", "resolve_term"]


@dataclass(frozen=True)
class Match:
    """A term found by :func:`lookup`, with how well and where it matched."""

    term: Term
    rank: int  # 0 exact label, 1 exact synonym/identifier, 2 word prefix of the label, 3 substring of the label
    matched: str  # the label, synonym or identifier that matched


@cache
def _identifiers(index: TermIndex) -> dict[str, list[str]]:
    """Each term's own CURIE and cross-references, upper-cased → the terms that have it."""
    out: dict[str, list[str]] = defaultdict(list)
    for t in index:
        out[t.curie.upper()].append(t.curie)
        for x in t.xrefs:
            out[x.upper()].append(t.curie)
    return dict(out)


@cache
def _children(index: TermIndex) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for t in index:
        for p in t.parents:
            out[p].append(t.curie)
    return dict(out)


def children(curie: str, index: TermIndex | None = None) -> list[str]:
    """The terms whose parent (is-a, or for anatomy is-a or part-of) is ``curie``."""
    idx = index if index is not None else term_index()
    return sorted(_children(idx).get(curie, []))


def lookup(text: str, index: TermIndex | None = None, *, limit: int | None = None) -> list[Match]:
    """Terms of the vocabulary matching ``text``.

    Parameters
    ----------
    text : str
        A word, label, synonym or CURIE (``UBERON:0001130``).
    index : TermIndex, optional
        The terms to search (default: the packaged vocabulary).
    limit : int, optional
        At most this many matches.

    Returns
    -------
    list of Match
        Best first, then by label.

    Examples
    --------
    >>> [m.term.curie for m in lookup("UBERON:0001130")]
    ['UBERON:0001130']
    >>> lookup("vertebral column")[0].term.label
    'vertebral column'
    """
    key = text.strip().casefold()
    if not key:
        raise QueryError("lookup: give a word, label, synonym or identifier")
    idx = index if index is not None else term_index()
    found: dict[str, Match] = {}

    def add(term: Term, rank: int, matched: str) -> None:
        old = found.get(term.curie)
        if old is None or rank < old.rank:
            found[term.curie] = Match(term, rank, matched)

    for curie in _identifiers(idx).get(text.strip().upper(), []):
        add(idx[curie], 1, text.strip())
    for term in idx.vocab.by_label(text.strip()):
        add(term, 0 if term.label.casefold() == key or term.display.casefold() == key else 1,
            term.label if term.label.casefold() == key else text.strip())
    if limit is None or len(found) < limit:
        word = re.compile(r"(?:^|[\s\-_/(,])" + re.escape(key))
        for term in idx:
            if term.curie in found or not term.match:
                continue
            for name in (term.label, term.display):
                value = name.casefold()
                if not value or key not in value:
                    continue
                add(term, 2 if word.search(value) else 3, name)
    out = sorted(found.values(), key=lambda m: (m.rank, len(m.term.label), m.term.label.casefold(), m.term.curie))
    return out[:limit] if limit is not None else out


def resolve_term(text: str, index: TermIndex | None = None, *, required: bool = True, what: str = "") -> str | None:
    """The IRI of the one term whose label, exact synonym or identifier is ``text`` (any case).

    A label wins over a synonym; among synonyms, the term the lexicon prefers for that form
    (``preferences.tsv``) wins; otherwise several terms with that name are an error.

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
    matches = lookup(text, idx, limit=50)
    exact = [m for m in matches if m.rank <= 1]
    best = [m for m in exact if m.rank == exact[0].rank] if exact else []
    if len(best) > 1 and best[0].rank == 1:
        from .lexicon import lexicon

        preferred = lexicon().lookup(text)
        chosen = [m for m in best if preferred and m.term.curie == preferred[0]]
        if chosen and len({m.term.curie for m in best if m.term.curie in preferred[:1]}) == 1:
            best = chosen
    iris = sorted({idx.vocab.iri(m.term.curie) for m in best})
    if len(iris) == 1:
        return iris[0]
    if len(iris) > 1:
        listed = "; ".join(f"{m.term.shown} ({m.term.curie})" for m in best[:10])
        raise QueryError(f"{where}{text!r} names {len(iris)} terms: {listed}; give one of their CURIEs")
    if not required:
        return None
    near = ", ".join(repr(m.term.shown) for m in matches[:5])
    raise QueryError(f"{where}no ontology term is called {text!r}" + (f" (did you mean {near}?)" if near else
                                                                         " (see `oncograph lookup`)"))


def _tree(term: Term, index: TermIndex) -> tuple[list[Term], list[Term]]:
    ancestors = [index[c] for c in index.ancestors(term.curie) if c != term.curie and c in index]
    ancestors.sort(key=lambda t: (-len(index.ancestors(t.curie)), t.label))
    kids = [index[c] for c in children(term.curie, index) if c in index]
    return ancestors, kids


def format_matches(matches: list[Match], fmt: str = "table", *, tree: bool = False,
                   index: TermIndex | None = None) -> str:
    """Matches as an indented text listing, TSV or JSON; with ``tree``, ancestors and children too."""
    idx = index if index is not None else term_index()
    if fmt == "json":
        rows = []
        for m in matches:
            t = m.term
            row: dict[str, object] = {"iri": idx.vocab.iri(t.curie), "curie": t.curie, "label": t.label,
                                      "shown": t.shown,
                                      "category": t.category, "synonyms": list(t.synonyms),
                                      "xrefs": list(t.xrefs), "definition": t.definition, "matched": m.matched}
            if tree:
                anc, kids = _tree(t, idx)
                row["ancestors"] = [{"curie": a.curie, "label": a.shown} for a in anc]
                row["children"] = [{"curie": k.curie, "label": k.shown} for k in kids]
            rows.append(row)
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if fmt == "tsv":
        lines = ["curie\tiri\tlabel\tcategory\tsynonyms\txrefs" + ("\tancestors\tchildren" if tree else "")]
        for m in matches:
            t = m.term
            cells = [t.curie, idx.vocab.iri(t.curie), t.shown, t.category, "|".join(t.synonyms), " ".join(t.xrefs)]
            if tree:
                anc, kids = _tree(t, idx)
                cells += [" ".join(a.curie for a in anc), " ".join(k.curie for k in kids)]
            lines.append("\t".join(cells))
        return "\n".join(lines) + "\n"
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}; use table, tsv or json")
    out = []
    for m in matches:
        t = m.term
        out.append(f"{t.shown}  [{t.category}]  {t.curie}" + (f"  (label: {t.label})" if t.display else ""))
        out.append(f"    iri:       {idx.vocab.iri(t.curie)}")
        if t.xrefs:
            out.append(f"    xrefs:     {', '.join(t.xrefs)}")
        if t.synonyms:
            shown = list(t.synonyms[:12])
            more = f"; … ({len(t.synonyms)})" if len(t.synonyms) > 12 else ""
            out.append(f"    synonyms:  {'; '.join(shown)}{more}")
        if tree:
            anc, kids = _tree(t, idx)
            if anc:
                out.append(f"    ancestors: {'; '.join(f'{a.shown} ({a.curie})' for a in anc)}")
            if kids:
                out.append(f"    children:  {'; '.join(f'{k.shown} ({k.curie})' for k in kids[:30])}"
                           + (f"; … ({len(kids)})" if len(kids) > 30 else ""))
    out.append(f"({len(matches)} term{'s' if len(matches) != 1 else ''})")
    return "\n".join(out) + "\n"
