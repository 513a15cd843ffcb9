#!/usr/bin/env python3
"""Build the domain terms of the oncograph ontology from curated tables.

Reads ``ontology/terms.tsv`` (our curated domain terms) and the verified
vocabulary slice in ``../shared/vocab/`` (``terms.tsv`` and ``chebi_roles.tsv``),
then

1. rewrites, in place, the block of ``ontology/oncograph.ttl`` between the lines
   ``# --- BEGIN GENERATED TERMS: scripts/build_ontology.py ---`` and
   ``# --- END GENERATED TERMS ---``;
2. writes ``ontology/oncograph.owl``, the RDF/XML release of the whole Turtle file;
3. writes ``ontology/mappings.sssom.tsv``, every ``skos:exactMatch`` and
   ``skos:closeMatch`` of the ontology as SSSOM TSV.

The output is deterministic: running the script twice gives identical files.
The script fails (exit status 1) when ``terms.tsv`` is inconsistent, and in
particular when it names an external CURIE that is not a row of the verified
vocabulary: identifiers are never invented.

Columns of ``ontology/terms.tsv`` (lists are joined with `` | ``):

``id``               local name in the ``onc:`` namespace (CamelCase)
``category``         anatomy, tumor_type, marker, role, agent, agent_class, procedure, imaging
``label``            the rdfs:label (unique in the ontology)
``parents``          superclasses, local names (ours or a schema root such as AnatomicalSite)
``part_of``          wholes, local names; becomes ``⊑ ∃ BFO:0000050 some whole``
``xrefs``            verified CURIEs; exact matches bare, close matches as ``close:CURIE``
``extra_synonyms``   the clinical spellings of case reports (curated, always kept)
``definition``       obo:IAO_0000115 text
``has_role``         roles asserted by us in addition to the ChEBI roles of the exact CHEBI
                     xref; for category agent_class the one role of the defining axiom
``exclude_synonyms`` synonyms of the external vocabularies not to copy (adjectives, junk)

Usage::

    python scripts/build_ontology.py [--vocab DIR] [--ontology-dir DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

REPO = Path(__file__).resolve().parent.parent
try:  # the one RDF/XML writer, shared with the library
    from oncograph.ontology import PREFIX_MAP, serialize_rdfxml
except ImportError:  # running from a source tree without an install
    sys.path.insert(0, str(REPO / "src"))
    from oncograph.ontology import PREFIX_MAP, serialize_rdfxml
BEGIN = "# --- BEGIN GENERATED TERMS: scripts/build_ontology.py ---"
END = "# --- END GENERATED TERMS ---"
ONC = "https://w3id.org/oncograph/ontology/"
PART_OF = "http://purl.obolibrary.org/obo/BFO_0000050"

#: Schema classes that domain terms may name as parents.
SCHEMA_ROOTS = frozenset(
    {
        "AnatomicalSite",
        "TumorType",
        "Marker",
        "TherapeuticAgent",
        "AgentRole",
        "Procedure",
        "SurgicalProcedure",
        "RadiotherapyProcedure",
        "SystemicTherapy",
        "DiagnosticProcedure",
        "ImagingProcedure",
    }
)
CATEGORIES = frozenset(
    {"anatomy", "tumor_type", "marker", "role", "agent", "agent_class", "procedure", "imaging"}
)
COLUMNS = [
    "id",
    "category",
    "label",
    "parents",
    "part_of",
    "xrefs",
    "extra_synonyms",
    "definition",
    "has_role",
    "exclude_synonyms",
]
LOCAL_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
CURIE = re.compile(r"^(?P<prefix>[A-Z]+):(?P<local>[A-Za-z0-9]+)$")


class BuildError(Exception):
    """terms.tsv or the vocabulary is inconsistent."""


@dataclass(frozen=True)
class VocabRow:
    """One verified (term, vocabulary) row of ../shared/vocab/terms.tsv."""

    curie: str
    label: str
    synonyms: tuple[str, ...]


@dataclass
class Term:
    """One row of ontology/terms.tsv, with the synonyms resolved."""

    id: str
    category: str
    label: str
    parents: list[str]
    part_of: list[str]
    exact: list[str]
    close: list[str]
    extra_synonyms: list[str]
    definition: str
    has_role: list[str]
    exclude: set[str]
    synonyms: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


def split(cell: str) -> list[str]:
    """Split a `` | `` joined cell into its non-empty items."""
    return [x.strip() for x in cell.split("|") if x.strip()]


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Read a TSV file with a header line, skipping ``#`` comment lines."""
    if not path.is_file():
        raise BuildError(f"{path}: file not found")
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_vocab(vocab: Path) -> tuple[dict[str, VocabRow], dict[str, list[str]], dict[str, str]]:
    """Read the verified vocabulary: rows by CURIE, ChEBI roles by drug, role labels."""
    rows: dict[str, VocabRow] = {}
    for row in read_tsv(vocab / "terms.tsv"):
        curie = row["curie"].strip()
        if curie not in rows:
            rows[curie] = VocabRow(curie, row["official_label"].strip(), tuple(split(row["synonyms"])))
    roles: dict[str, list[str]] = defaultdict(list)
    role_labels: dict[str, str] = {}
    for row in read_tsv(vocab / "chebi_roles.tsv"):
        roles[row["drug_curie"].strip()].append(row["role_curie"].strip())
        role_labels[row["role_curie"].strip()] = row["role_label"].strip()
    return rows, dict(roles), role_labels


def read_terms(path: Path) -> list[Term]:
    """Read and validate the shape of ontology/terms.tsv."""
    raw = read_tsv(path)
    if not raw or list(raw[0].keys()) != COLUMNS:
        got = list(raw[0].keys()) if raw else []
        raise BuildError(f"{path}: columns must be {COLUMNS}, got {got}")
    terms = []
    for n, row in enumerate(raw, start=2):
        if None in row or any(v is None for v in row.values()):
            raise BuildError(f"{path}:{n}: wrong number of columns")
        exact, close = [], []
        for x in split(row["xrefs"]):
            (close if x.startswith("close:") else exact).append(x.removeprefix("close:"))
        term = Term(
            id=row["id"].strip(),
            category=row["category"].strip(),
            label=row["label"].strip(),
            parents=split(row["parents"]),
            part_of=split(row["part_of"]),
            exact=exact,
            close=close,
            extra_synonyms=split(row["extra_synonyms"]),
            definition=row["definition"].strip(),
            has_role=split(row["has_role"]),
            exclude={s.casefold() for s in split(row["exclude_synonyms"])},
        )
        where = f"{path}:{n} ({term.id})"
        if not LOCAL_NAME.match(term.id):
            raise BuildError(f"{where}: id must be a CamelCase local name")
        if term.category not in CATEGORIES:
            raise BuildError(f"{where}: unknown category {term.category!r}")
        if not term.label or not term.definition:
            raise BuildError(f"{where}: label and definition are required")
        if not term.parents:
            raise BuildError(f"{where}: at least one parent is required")
        terms.append(term)
    return terms


def check_terms(terms: list[Term], vocab: dict[str, VocabRow], role_labels: dict[str, str]) -> None:
    """Fail on dangling references, unverified CURIEs, duplicate ids or labels, cycles."""
    ids = [t.id for t in terms]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise BuildError(f"duplicate ids in terms.tsv: {dup}")
    known = set(ids) | SCHEMA_ROOTS
    by_id = {t.id: t for t in terms}
    labels: dict[str, str] = {}
    for t in terms:
        key = t.label.casefold()
        if key in labels:
            raise BuildError(f"label {t.label!r} of {t.id} is also the label of {labels[key]}")
        labels[key] = t.id
        for ref in t.parents + t.part_of + t.has_role:
            if ref not in known:
                raise BuildError(f"{t.id}: unknown term {ref!r} (not in terms.tsv, not a schema root)")
            if ref == t.id:
                raise BuildError(f"{t.id}: refers to itself")
        for ref in t.has_role:
            if ref in SCHEMA_ROOTS or by_id[ref].category != "role":
                raise BuildError(f"{t.id}: has_role {ref!r} is not a role term")
        if t.category == "agent_class" and len(t.has_role) != 1:
            raise BuildError(f"{t.id}: an agent_class is defined by exactly one role")
        for curie in t.exact + t.close:
            m = CURIE.match(curie)
            if not m or m["prefix"] not in PREFIX_MAP:
                raise BuildError(f"{t.id}: {curie!r} is not a CURIE with a known prefix")
            if curie not in vocab and curie not in role_labels:
                raise BuildError(
                    f"{t.id}: {curie} is not a verified identifier "
                    "(no row in ../shared/vocab/terms.tsv or role in chebi_roles.tsv)"
                )
        if len(set(t.exact + t.close)) != len(t.exact + t.close):
            raise BuildError(f"{t.id}: an xref is listed twice")
    # every term reaches a schema root through parents, without a cycle
    for t in terms:
        seen: set[str] = set()
        stack = [t.id]
        reached = False
        while stack:
            cur = stack.pop()
            if cur in SCHEMA_ROOTS:
                reached = True
                continue
            if cur in seen:
                continue
            seen.add(cur)
            stack.extend(by_id[cur].parents)
        if not reached:
            raise BuildError(f"{t.id}: does not reach a schema root through its parents")
        if t.id in {p for x in seen - {t.id} for p in by_id[x].parents}:
            raise BuildError(f"{t.id}: is_a cycle")
    # a curated synonym must not name another term
    curated: dict[str, str] = {}
    for t in terms:
        for s in t.extra_synonyms:
            key = s.casefold()
            other = labels.get(key)
            if other is not None and other != t.id:
                raise BuildError(f"{t.id}: synonym {s!r} is the label of {other}")
            if curated.get(key, t.id) != t.id:
                raise BuildError(f"{t.id}: synonym {s!r} is also a synonym of {curated[key]}")
            curated[key] = t.id


def resolve(terms: list[Term], vocab: dict[str, VocabRow], chebi_roles: dict[str, list[str]]) -> None:
    """Fill in each term's synonyms and roles.

    Curated synonyms are always kept. The external synonyms (labels and exact
    synonyms of the exact xrefs) are kept unless they are the term's own label,
    listed in ``exclude_synonyms``, one or two characters long (except for
    imaging), or name another term (its label or curated synonym, or an external
    synonym of another term too).
    """
    labels = {t.label.casefold(): t.id for t in terms}
    curated = {s.casefold(): t.id for t in terms for s in t.extra_synonyms}
    external: dict[str, list[str]] = {}
    owners: dict[str, set[str]] = defaultdict(set)
    for t in terms:
        found = []
        for curie in t.exact:
            row = vocab.get(curie)
            if row is None:
                continue
            for s in (row.label, *row.synonyms):
                key = s.casefold()
                if key == t.label.casefold() or key in t.exclude:
                    continue
                if len(s) <= 2 and t.category != "imaging":
                    continue
                found.append(s)
                owners[key].add(t.id)
        external[t.id] = found
    for t in terms:
        keep: dict[str, str] = {}
        for s in t.extra_synonyms:
            keep.setdefault(s.casefold(), s)
        for s in external[t.id]:
            key = s.casefold()
            if labels.get(key, t.id) != t.id or curated.get(key, t.id) != t.id:
                continue
            if owners[key] != {t.id}:
                continue
            keep.setdefault(key, s)
        t.synonyms = sorted(keep.values(), key=lambda s: (s.casefold(), s))
    role_of_curie = {c: t.id for t in terms if t.category == "role" for c in t.exact}
    for t in terms:
        roles = set(t.has_role)
        if t.category == "agent":
            for curie in t.exact:
                roles.update(role_of_curie[r] for r in chebi_roles.get(curie, []) if r in role_of_curie)
        t.roles = sorted(roles)


def iri_of(curie: str) -> str:
    """Expand a verified CURIE to the IRI used in skos mappings."""
    prefix, local = curie.split(":", 1)
    return PREFIX_MAP[prefix] + local


def lit(text: str) -> str:
    """A Turtle string literal."""
    return Literal(text).n3()


def some(prop: str, filler: str) -> str:
    """A Turtle existential restriction."""
    return f"[ a owl:Restriction ; owl:onProperty {prop} ; owl:someValuesFrom onc:{filler} ]"


def curie_key(curie: str) -> tuple[str, str]:
    """Sort key: prefix, then the local part padded so numbers sort numerically."""
    prefix, local = curie.split(":", 1)
    return prefix, local.rjust(20, "0")


def term_turtle(t: Term) -> str:
    """The Turtle block of one term."""
    lines = [f"onc:{t.id} a owl:Class ;", f"    rdfs:label {lit(t.label)} ;"]
    supers: list[str] = []
    if t.category == "agent_class":
        role = t.has_role[0]
        lines.append(
            "    owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( onc:TherapeuticAgent "
            f"{some('onc:hasRole', role)} ) ] ;"
        )
        supers = [f"onc:{p}" for p in sorted(t.parents) if p != "TherapeuticAgent"]
    else:
        supers = [f"onc:{p}" for p in sorted(t.parents)]
        supers += [some("onc:hasRole", r) for r in t.roles]
    supers += [some("obo:BFO_0000050", w) for w in sorted(t.part_of)]
    if supers:
        lines.append("    rdfs:subClassOf " + " ,\n        ".join(supers) + " ;")
    lines.append(f"    obo:IAO_0000115 {lit(t.definition)} ;")
    if t.synonyms:
        lines.append("    oboInOwl:hasExactSynonym " + " ,\n        ".join(lit(s) for s in t.synonyms) + " ;")
    xrefs = sorted(t.exact + t.close, key=curie_key)
    if xrefs:
        lines.append("    oboInOwl:hasDbXref " + " , ".join(lit(x) for x in xrefs) + " ;")
    if t.exact:
        iris = " , ".join(f"<{iri_of(x)}>" for x in sorted(t.exact, key=curie_key))
        lines.append(f"    skos:exactMatch {iris} ;")
    if t.close:
        iris = " , ".join(f"<{iri_of(x)}>" for x in sorted(t.close, key=curie_key))
        lines.append(f"    skos:closeMatch {iris} ;")
    lines[-1] = lines[-1][:-2] + " ."
    return "\n".join(lines)


def generated_block(terms: list[Term]) -> str:
    """The whole generated block, markers included, sorted by category then id."""
    order = ["anatomy", "tumor_type", "marker", "role", "agent_class", "agent", "procedure", "imaging"]
    parts = [BEGIN, "# Domain terms. Source: ontology/terms.tsv and ../shared/vocab/ (verified IDs only)."]
    for cat in order:
        group = sorted((t for t in terms if t.category == cat), key=lambda t: t.id)
        if group:
            parts.append(f"\n# --- {cat} ({len(group)}) ---\n")
            parts.append("\n\n".join(term_turtle(t) for t in group))
    parts.append("")
    parts.append(END)
    return "\n".join(parts)


def splice(ttl: str, block: str) -> str:
    """Replace the generated block of the Turtle text."""
    start, stop = ttl.find(BEGIN), ttl.find(END)
    if start < 0 or stop < 0 or stop < start or ttl.count(BEGIN) != 1 or ttl.count(END) != 1:
        raise BuildError("oncograph.ttl must hold the BEGIN and END GENERATED TERMS lines once each")
    return ttl[:start] + block + ttl[stop + len(END) :]


def sssom(graph: Graph, vocab: dict[str, VocabRow], role_labels: dict[str, str]) -> str:
    """Every skos mapping of the ontology as SSSOM TSV."""
    from rdflib.namespace import RDFS, SKOS

    rows = []
    for pred, pred_curie in ((SKOS.exactMatch, "skos:exactMatch"), (SKOS.closeMatch, "skos:closeMatch")):
        for s, o in graph.subject_objects(pred):
            s, o = str(s), str(o)
            if not s.startswith(ONC):
                continue
            obj = next(
                (f"{p}:{o[len(base) :]}" for p, base in PREFIX_MAP.items() if o.startswith(base)), None
            )
            if obj is None:
                raise BuildError(f"mapping object {o} expands from no known prefix")
            obj_label = vocab[obj].label if obj in vocab else role_labels.get(obj, "")
            label = str(graph.value(URIRef(s), RDFS.label) or "")
            rows.append(
                ("onc:" + s[len(ONC) :], label, pred_curie, obj, obj_label, "semapv:ManualMappingCuration")
            )
    rows.sort(key=lambda r: (r[0], r[2], curie_key(r[3])))
    header = [
        "# curie_map:",
        # quoted: a YAML plain scalar cannot end with ":" (the HGNC prefix does)
        *[f'#   {p}: "{PREFIX_MAP[p]}"' for p in sorted(PREFIX_MAP)],
        f"#   onc: {ONC}",
        "#   semapv: https://w3id.org/semapv/vocab/",
        "#   skos: http://www.w3.org/2004/02/skos/core#",
        f"# mapping_set_id: {ONC}mappings.sssom.tsv",
        "# mapping_set_description: Mappings of the oncograph ontology terms to external vocabularies.",
        "# license: https://creativecommons.org/licenses/by/4.0/",
        "# mapping_date: 2026-11-21",
    ]
    cols = ["subject_id", "subject_label", "predicate_id", "object_id", "object_label"]
    cols.append("mapping_justification")
    body = ["\t".join(cols)] + ["\t".join(r) for r in rows]
    return "\n".join(header + body) + "\n"


def write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8, LF) unless it already holds exactly that."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8", newline="\n")


def build(vocab_dir: Path, ontology_dir: Path, out_dir: Path) -> list[Term]:
    """Run the whole build; return the terms."""
    vocab, chebi_roles, role_labels = read_vocab(vocab_dir)
    terms = read_terms(ontology_dir / "terms.tsv")
    check_terms(terms, vocab, role_labels)
    resolve(terms, vocab, chebi_roles)
    ttl_path = ontology_dir / "oncograph.ttl"
    if not ttl_path.is_file():
        raise BuildError(f"{ttl_path}: file not found")
    ttl = splice(ttl_path.read_text(encoding="utf-8"), generated_block(terms))
    graph = Graph()
    try:
        graph.parse(data=ttl, format="turtle")
    except Exception as exc:  # rdflib raises several exception types
        raise BuildError(f"the generated Turtle does not parse: {exc}") from exc
    out_dir.mkdir(parents=True, exist_ok=True)
    write_if_changed(out_dir / "oncograph.ttl", ttl)
    write_if_changed(out_dir / "oncograph.owl", serialize_rdfxml(graph))
    write_if_changed(out_dir / "mappings.sssom.tsv", sssom(graph, vocab, role_labels))
    if out_dir.resolve() != ontology_dir.resolve():
        write_if_changed(out_dir / "terms.tsv", (ontology_dir / "terms.tsv").read_text(encoding="utf-8"))
    return terms


def parse_args(argv: Iterable[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--vocab",
        type=Path,
        default=REPO.parent / "shared" / "vocab",
        help="folder of the verified vocabulary (default ../shared/vocab)",
    )
    parser.add_argument(
        "--ontology-dir",
        type=Path,
        default=REPO / "ontology",
        help="folder holding terms.tsv and oncograph.ttl (default ontology/)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="write the outputs here instead of into --ontology-dir"
    )
    return parser.parse_args(None if argv is None else list(argv))


def main(argv: Iterable[str] | None = None) -> int:
    """Command-line entry point."""
    args = parse_args(argv)
    try:
        terms = build(args.vocab, args.ontology_dir, args.out or args.ontology_dir)
    except BuildError as exc:
        print(f"build_ontology: error: {exc}", file=sys.stderr)
        return 1
    no_id = sum(1 for t in terms if not t.exact and not t.close)
    where = args.out or args.ontology_dir
    print(f"build_ontology: {len(terms)} terms ({no_id} without a verified ID) -> {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
