#!/usr/bin/env python3
"""Build the application ontology: the hand-written schema plus an import module cut from the vocabulary.

The module (ODK-style) holds the vocabulary terms that

* the shipped graph points at (``graph/oncograph.nq``),
* the query library names (``queries/*.rq``),
* the ontology check reasons about (:data:`oncograph.ontology.REQUIRED_INFERENCES`),
* and every term of our own namespace (``ontology/terms.tsv``),

with all their ancestors up to the roots, described by
:func:`oncograph.termgraph.term_triples` (the same triples the store holds).

Writes, deterministically:

1. the block of ``ontology/oncograph.ttl`` between ``# --- BEGIN GENERATED TERMS`` and
   ``# --- END GENERATED TERMS ---`` (the schema above it is written by hand), and the block of study
   measures and designs (:mod:`oncograph.study.vocabulary`, from ``ontology/measures.tsv``);
2. ``ontology/oncograph.owl``, the RDF/XML release of the whole Turtle file;
3. ``ontology/mappings.sssom.tsv``, the cross-references of the module's terms as SSSOM.

Usage::

    python scripts/build_ontology.py [--graph graph/oncograph.nq] [--out DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

REPO = Path(__file__).resolve().parent.parent
if "oncograph" not in sys.modules:  # a source tree without an install
    try:
        import oncograph  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(REPO / "src"))
from oncograph.ontology import REQUIRED_INFERENCES, canonical_graph, serialize_rdfxml  # noqa: E402
from oncograph.safeio import atomic_write  # noqa: E402
from oncograph.study.vocabulary import splice as splice_study_vocabulary  # noqa: E402
from oncograph.termgraph import terms_graph  # noqa: E402
from oncograph.vocab import ONC  # noqa: E402
from oncograph.vocabulary import Vocabulary, vocabulary  # noqa: E402

BEGIN = "# --- BEGIN GENERATED TERMS: scripts/build_ontology.py ---"
END = "# --- END GENERATED TERMS ---"
TERM_PROPERTIES = (ONC.hasSite, ONC.hasTumorType, ONC.hasMarker, ONC.hasAgent, ONC.hasProcedure)
SSSOM_PREFIXES = ("UBERON", "MONDO", "CHEBI", "HGNC", "MESH", "NCIT", "DOID", "EFO", "ICDO", "ONCOTREE", "ONC")


def graph_terms(nq: Path, vocab: Vocabulary) -> set[str]:
    """The CURIEs of the terms a dump's facts point at."""
    ds = Dataset()
    if nq.exists():
        ds.parse(nq, format="nquads")
    out = set()
    for prop in TERM_PROPERTIES:
        for _, _, o, _ in ds.quads((None, prop, None, None)):
            c = vocab.curie(str(o))
            if c is not None and c in vocab:
                out.add(c)
    return out


_IRI = re.compile(r"<([^>\s]+)>")
_OBO = re.compile(r"\bobo:([A-Za-z]+_[A-Za-z0-9]+)")


def query_terms(folder: Path, vocab: Vocabulary) -> set[str]:
    """The CURIEs of the terms the query library names."""
    out = set()
    for rq in sorted(folder.glob("*.rq")):
        text = rq.read_text(encoding="utf-8")
        iris = _IRI.findall(text) + ["http://purl.obolibrary.org/obo/" + m for m in _OBO.findall(text)]
        for iri in iris:
            c = vocab.curie(iri)
            if c is not None and c in vocab:
                out.add(c)
    return out


def module(vocab: Vocabulary, nq: Path, queries: Path) -> set[str]:
    seeds = graph_terms(nq, vocab) | query_terms(queries, vocab)
    seeds |= {t.curie for t in vocab if t.ours}
    seeds |= {c for sub, _, sup in REQUIRED_INFERENCES for c in (sub, sup) if c in vocab}
    return vocab.closure_of(seeds)


def generated_block(curies: set[str], vocab: Vocabulary) -> str:
    g = canonical_graph(terms_graph(curies, vocab))
    out = Graph()
    for prefix, ns in (("obo", "http://purl.obolibrary.org/obo/"), ("onc", str(ONC._NS)),
                       ("oboInOwl", "http://www.geneontology.org/formats/oboInOwl#"),
                       ("hgnc", "https://bioregistry.io/hgnc:"), ("mesh", "https://bioregistry.io/mesh:")):
        out.bind(prefix, ns, override=True, replace=True)
    for t in sorted(g):
        out.add(t)
    text = out.serialize(format="turtle")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
    prefixes = "\n".join(line for line in text.splitlines() if line.startswith("@prefix"))
    return f"{BEGIN}\n{prefixes}\n{body.strip()}\n{END}\n"


def splice(ttl: str, block: str) -> str:
    if BEGIN in ttl:
        head = ttl[: ttl.index(BEGIN)]
        tail = ttl[ttl.index(END) + len(END):].lstrip("\n")
    else:
        head, tail = ttl.rstrip("\n") + "\n\n", ""
    return head + block + tail


def sssom(curies: set[str], vocab: Vocabulary) -> str:
    conv = vocab.converter
    head = ["# curie_map:"]
    for p in sorted(SSSOM_PREFIXES):
        iri = conv.expand(f"{p}:x")
        if iri:
            head.append(f'#   {p}: "{iri[:-1]}"')
    head += ['#   oboInOwl: "http://www.geneontology.org/formats/oboInOwl#"',
             '#   semapv: "https://w3id.org/semapv/vocab/"',
             "# mapping_set_id: https://w3id.org/oncograph/ontology/mappings.sssom.tsv",
             "# mapping_set_description: Cross-references of the vocabulary terms of the oncograph ontology, as the"
             " releases state them (MONDO's xrefs, MeSH-HGNC and MeSH-ChEBI mappings, biomappings).",
             "# license: https://creativecommons.org/licenses/by/4.0/"]
    rows = ["subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification"]
    for c in sorted(curies):
        t = vocab[c]
        for x in t.xrefs:
            obj = vocab.get(x)
            rows.append(f"{c}\t{t.label}\toboInOwl:hasDbXref\t{x}\t{obj.label if obj else ''}\t"
                        "semapv:UnspecifiedMatching")
    return "\n".join(head + rows) + "\n"


def write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write(path, text)  # a failed run leaves the old file whole


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, default=REPO / "graph" / "oncograph.nq")
    ap.add_argument("--queries", type=Path, default=REPO / "queries")
    ap.add_argument("--out", type=Path, default=REPO / "ontology")
    args = ap.parse_args(argv)
    vocab = vocabulary()
    curies = module(vocab, args.graph, args.queries)
    src = REPO / "ontology" / "oncograph.ttl"
    ttl = splice(splice_study_vocabulary(src.read_text(encoding="utf-8")), generated_block(curies, vocab))
    args.out.mkdir(parents=True, exist_ok=True)
    write_if_changed(args.out / "oncograph.ttl", ttl)
    g = Graph()
    g.parse(data=ttl, format="turtle")
    write_if_changed(args.out / "oncograph.owl", serialize_rdfxml(g))
    write_if_changed(args.out / "mappings.sssom.tsv", sssom(curies, vocab))
    by_branch: dict[str, int] = {}
    for c in curies:
        by_branch[vocab[c].branch] = by_branch.get(vocab[c].branch, 0) + 1
    print(f"module: {len(curies)} terms ({', '.join(f'{k} {v}' for k, v in sorted(by_branch.items()))}); "
          f"{len(g)} triples in oncograph.ttl")
    _ = URIRef  # re-exported for scripts that import this module
    return 0


if __name__ == "__main__":
    sys.exit(main())
