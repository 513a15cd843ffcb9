"""The schema names of :mod:`oncograph.vocab` against the ontology file."""

from __future__ import annotations

import inspect
import re

import pytest
from rdflib import OWL, RDF, URIRef

import oncograph.vocab
from oncograph.ontology import load_ontology
from oncograph.vocab import ONC
from oncograph.vocabulary import vocabulary

KINDS = {
    "classes": OWL.Class,
    "object properties": OWL.ObjectProperty,
    "annotation properties": OWL.AnnotationProperty,
    "data properties": OWL.DatatypeProperty,
}


def declared_names() -> dict[str, URIRef]:
    """Each name of ``ONC`` with its kind, from the comment groups of vocab.py."""
    kind: URIRef | None = None
    names: dict[str, URIRef] = {}
    for line in inspect.getsource(oncograph.vocab).splitlines():
        group = re.match(r"\s*# --- (classes|object properties|annotation properties|data properties)", line)
        if group:
            kind = KINDS[group[1]]
            continue
        name = re.match(r"\s+([A-Za-z]\w*): URIRef", line)
        if name and kind is not None:
            names[name[1]] = kind
    return names


def domain_term_ids() -> set[str]:
    """The local names of the terms of our own namespace (``ontology/terms.tsv``)."""
    return {t.curie.split(":", 1)[1] for t in vocabulary() if t.ours}


def test_comment_groups_cover_every_name() -> None:
    names = declared_names()
    assert set(names) == set(ONC.__annotations__), "a name of ONC is outside the class/property groups"
    # spot checks of the grouping itself
    assert names["Patient"] == OWL.Class
    assert names["hasSite"] == OWL.ObjectProperty
    assert names["sentenceText"] == OWL.DatatypeProperty


@pytest.mark.parametrize(("name", "kind"), sorted(declared_names().items()))
def test_name_is_declared_with_its_kind(name: str, kind: URIRef) -> None:
    graph = load_ontology()
    iri = ONC[name]
    assert (iri, RDF.type, kind) in graph, f"onc:{name} is not declared as {kind}"
    other_kinds = set(KINDS.values()) - {kind}
    assert not any((iri, RDF.type, k) in graph for k in other_kinds), f"onc:{name} is punned"


def test_every_schema_entity_is_in_vocab() -> None:
    graph = load_ontology()
    ns = str(ONC._NS)
    declared = {
        str(s)[len(ns) :]
        for kind in KINDS.values()
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(ns)
    }
    schema = declared - domain_term_ids()
    assert schema == set(ONC.__annotations__)


def test_domain_terms_do_not_shadow_schema_names() -> None:
    assert not domain_term_ids() & set(ONC.__annotations__)
