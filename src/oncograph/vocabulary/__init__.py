"""The vocabulary: every term extraction can find and the graph can point at.

Derived by :mod:`oncograph.vocabulary.build` from pinned releases (UBERON,
MONDO, ChEBI, HGNC, MeSH…) and committed as ``ontology/vocabulary/terms.tsv.gz``;
the few terms that no release has are curated in ``ontology/terms.tsv`` and live
in our own namespace.  A term is known by its CURIE (``UBERON:0002107``,
``HGNC:6342``, ``ONC:SoftTissue``) and its IRI is the external identifier itself
(the OBO PURL, or the Bioregistry IRI for HGNC and MeSH), expanded by a
``curies`` converter made from the Bioregistry (``prefixes.json``).

Examples
--------
>>> from oncograph.vocabulary import vocabulary
>>> v = vocabulary()
>>> v["UBERON:0002107"].label
'liver'
>>> v.iri("HGNC:6342")
'https://bioregistry.io/hgnc:6342'
>>> v.within("UBERON:0004619", "UBERON:0001130")  # L3 lies in the vertebral column
True
"""

from __future__ import annotations

import csv
import gzip
import importlib.resources
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ..errors import OntologyError

__all__ = ["CATEGORY", "ONC_PREFIX", "Term", "Vocabulary", "vocabulary", "vocabulary_dir"]

#: CURIE prefix of the terms of our own namespace
ONC_PREFIX = "ONC"
ONC_TERMS = "https://w3id.org/oncograph/ontology/"

#: the category extraction gives a term, by (branch, kind)
CATEGORY: dict[tuple[str, str], str] = {
    ("anatomy", "site"): "site",
    ("tumor", "tumor"): "tumor",
    ("marker", "gene"): "marker",
    ("marker", "protein"): "marker",
    ("drug", "drug"): "agent",
    ("drug", "regimen"): "agent",
    ("drug", "class"): "agent",
    ("drug", "chemical"): "chemical",
    ("role", "role"): "role",
    ("procedure", "surgery"): "surgery",
    ("procedure", "radiotherapy"): "radiotherapy",
    ("procedure", "systemic"): "systemic",
    ("procedure", "imaging"): "imaging",
    ("procedure", "diagnostic"): "diagnostic",
    ("procedure", "procedure"): "procedure",
}


def vocabulary_dir() -> Path:
    """The folder of the packaged vocabulary files."""
    return Path(str(importlib.resources.files("oncograph.resources.ontology").joinpath("vocabulary")))


@dataclass(frozen=True, slots=True)
class Term:
    """One term: an external class (or one of ours), with what the sources say of it."""

    curie: str
    branch: str
    kind: str
    label: str
    synonyms: tuple[str, ...] = ()
    definition: str = ""
    parents: tuple[str, ...] = ()
    relation: str = "is_a"  # "within": the parents are is-a or part-of parents, not told apart (UBERON)
    xrefs: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    match: bool = True
    ambiguous: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    display: str = ""  # the name shown for the term, when it is not its label (``labels.tsv``)

    @property
    def shown(self) -> str:
        """The name to show: the display name, or the label."""
        return self.display or self.label

    @property
    def category(self) -> str:
        return CATEGORY.get((self.branch, self.kind), self.branch)

    @property
    def ours(self) -> bool:
        """Whether the term is of our own namespace (no release has it)."""
        return self.curie.startswith(ONC_PREFIX + ":")

    @property
    def name(self) -> str:
        """The key extraction uses for the term (its CURIE)."""
        return self.curie

    @property
    def iri(self) -> str:
        """The term's IRI: the external identifier itself, or ours."""
        return vocabulary().iri(self.curie)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(s for s in cell.split(" | ") if s) if cell else ()


class Vocabulary:
    """Terms by CURIE, with their closure and IRIs.

    Parameters
    ----------
    terms : iterable of Term
    prefixes : list of dict
        An extended prefix map (``prefix``, ``uri_prefix``, ``prefix_synonyms``).
    """

    def __init__(self, terms: Iterable[Term], prefixes: list[dict[str, object]], *, digest: str | None = None) -> None:
        self.terms: dict[str, Term] = {t.curie: t for t in terms}
        self._prefixes = prefixes
        self._digest = digest
        import curies  # here, not at import: it costs a fifth of a second of start-up (pydantic)

        records = [curies.Record(prefix=str(p["prefix"]), uri_prefix=str(p["uri_prefix"]),
                                 prefix_synonyms=[str(s) for s in p.get("prefix_synonyms", [])])  # type: ignore[attr-defined]
                   for p in prefixes]
        records.append(curies.Record(prefix=ONC_PREFIX, uri_prefix=ONC_TERMS))
        self.converter = curies.Converter(records)
        self._closure: dict[str, frozenset[str]] = {}
        self._by_label: dict[str, list[str]] | None = None
        self._iris: dict[str, str] = {}  # expanded once: ingest asks again for every term of every document

    @property
    def digest(self) -> str:
        """What changes with the terms and prefixes: a SHA-256 of the files read, or of the terms themselves."""
        if self._digest is None:
            import hashlib

            h = hashlib.sha256(json.dumps(self._prefixes, sort_keys=True, default=str).encode())
            for curie in sorted(self.terms):
                h.update(repr(self.terms[curie]).encode())
            self._digest = h.hexdigest()
        return self._digest

    # ------------------------------------------------------------------ access
    def __contains__(self, curie: object) -> bool:
        return curie in self.terms

    def __getitem__(self, curie: str) -> Term:
        return self.terms[curie]

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def __len__(self) -> int:
        return len(self.terms)

    def get(self, curie: str) -> Term | None:
        return self.terms.get(curie)

    def iri(self, curie: str) -> str:
        """The IRI of a term (or of any CURIE of a known prefix)."""
        iri = self._iris.get(curie)
        if iri is None:
            iri = self.converter.expand(curie)
            if iri is None:
                raise OntologyError(f"{curie}: not a CURIE of a known prefix")
            self._iris[curie] = iri
        return iri

    def curie(self, iri: str) -> str | None:
        """The CURIE of an IRI, or None."""
        return self.converter.compress(iri)

    # ------------------------------------------------------------------ closure
    def ancestors(self, curie: str) -> frozenset[str]:
        """Every term ``curie`` is a kind of or a part of (through any chain of parents), itself included."""
        hit = self._closure.get(curie)
        if hit is None:
            seen = {curie}
            stack = [curie]
            while stack:
                term = self.terms.get(stack.pop())
                if term is None:
                    continue
                for p in term.parents:
                    if p not in seen:
                        seen.add(p)
                        stack.append(p)
            hit = self._closure[curie] = frozenset(seen)
        return hit

    def within(self, curie: str, region: str) -> bool:
        """Whether ``curie`` is ``region``, a kind of it, or a part of it."""
        return region in self.ancestors(curie)

    def closure_of(self, curies_: Iterable[str]) -> set[str]:
        """The terms, all their ancestors, and the roles of each (with the roles' ancestors)."""
        out: set[str] = set()
        for c in curies_:
            out |= self.ancestors(c)
        roles = {r for c in out if c in self.terms for r in self.terms[c].roles if r in self.terms}
        for r in roles:
            out |= self.ancestors(r)
        return out

    # ------------------------------------------------------------------ look-up
    def by_label(self, text: str) -> list[Term]:
        """Terms whose label or exact synonym is ``text`` (case-insensitive), labels first."""
        if self._by_label is None:
            index: dict[str, list[str]] = {}
            for t in self.terms.values():
                index.setdefault(t.label.casefold(), []).append(t.curie)
            for t in self.terms.values():
                for s in t.synonyms:
                    lst = index.setdefault(s.casefold(), [])
                    if t.curie not in lst:
                        lst.append(t.curie)
            self._by_label = index
        return [self.terms[c] for c in self._by_label.get(text.casefold(), [])]

    def find(self, label: str, *, branch: str | None = None) -> Term | None:
        """The first term (label before synonym) called ``label``, in ``branch`` if given."""
        for t in self.by_label(label):
            if branch is None or t.branch == branch:
                return t
        return None


def _read_rows(path: Path) -> Iterator[Term]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        if header[0] != "curie":
            raise OntologyError(f"{path}: not a vocabulary file")
        for line in fh:
            c = line.rstrip("\n").split("\t")
            yield Term(c[0], c[1], c[2], c[3], _split(c[4]), c[5], _split(c[6]), c[7], _split(c[8]), _split(c[9]),
                       c[10] == "1", _split(c[11]), _split(c[12]))


def _own_terms(path: Path) -> Iterator[Term]:
    """The curated terms of our own namespace (``ontology/terms.tsv``)."""
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader((ln for ln in fh if ln.strip() and not ln.startswith("#")), delimiter="\t")
        for r in rows:
            yield Term(f"{ONC_PREFIX}:{r['id']}", r["branch"], r["kind"], r["label"], _split(r["synonyms"]),
                       r["definition"], _split(r["parents"]), "is_a", (), _split(r.get("roles", "")))


_LEVEL = re.compile(r"[CTLS]\d{1,2} vertebra")
_INVERTED = re.compile(r"([^,]+), ([^,]+)")


def _with_forms(terms: list[Term], table: Path) -> list[Term]:
    """Add the clinical spellings of ``forms.tsv`` (kind ``synonym``) to the synonyms of the terms they name."""
    if not table.exists():
        return terms
    by_key: dict[tuple[str, str], list[str]] = {}
    with table.open(encoding="utf-8") as fh:
        for r in csv.DictReader((ln for ln in fh if ln.strip() and not ln.startswith("#")), delimiter="\t"):
            if r["kind"] == "synonym":
                by_key.setdefault((r["branch"], r["label"].casefold()), []).append(r["form"])
    out = []
    for t in terms:
        extra = by_key.get((t.branch, t.label.casefold()))
        if extra:
            known = {s.casefold() for s in (t.label, *t.synonyms)}
            t = replace(t, synonyms=t.synonyms + tuple(f for f in extra if f.casefold() not in known))
        out.append(t)
    return out


def _display_names(terms: list[Term], table: Path) -> list[Term]:
    """Give each term its display name: ``labels.tsv``, a vertebra's level, a MeSH heading in reading order."""
    wanted: dict[tuple[str, str], str] = {}
    if table.exists():
        with table.open(encoding="utf-8") as fh:
            for r in csv.DictReader((ln for ln in fh if ln.strip() and not ln.startswith("#")), delimiter="\t"):
                wanted[(r["branch"], r["label"])] = r["display"]
    out = []
    for t in terms:
        display = wanted.get((t.branch, t.label), "")
        if not display and t.branch == "anatomy":
            display = next((s for s in t.synonyms if _LEVEL.fullmatch(s)), "")
        if not display and t.curie.startswith("MESH:"):
            m = _INVERTED.fullmatch(t.label)
            if m:
                display = f"{m.group(2)} {m.group(1)}"
        out.append(replace(t, display=display) if display and display != t.label else t)
    return out


@cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary and our own terms (read once per process)."""
    folder = vocabulary_dir()
    prefixes = json.loads((folder / "prefixes.json").read_text(encoding="utf-8"))
    terms = list(_read_rows(folder / "terms.tsv.gz"))
    terms += list(_own_terms(folder.parent / "terms.tsv"))
    terms = _with_forms(terms, folder / "forms.tsv")
    import hashlib

    h = hashlib.sha256()
    for path in (folder / "prefixes.json", folder / "terms.tsv.gz", folder.parent / "terms.tsv",
                 folder / "forms.tsv", folder / "labels.tsv", Path(__file__)):
        h.update(path.name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return Vocabulary(_display_names(terms, folder / "labels.tsv"), prefixes, digest=h.hexdigest())
