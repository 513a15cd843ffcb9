"""BioC XML and BioC JSON (as PubTator3 writes it): the documents, their passages and mention annotations.

The store does not keep a document's full text, only the sentences its facts rest on
(``onc:Evidence``: the sentence text and its start and end offsets in the original file).
So a document's passages are its evidence sentences, each at the offset where it starts
in the original file; an annotation's location is, as BioC asks, the passage's offset plus
the mention's position in the passage text, so ``text[offset - passage.offset:][:length]``
is the annotation's text, always.

The graph records which term a fact names and on which sentence, not where in the
sentence the term was written. A mention is found again in the sentence, first by the
recogniser that extraction uses (:func:`oncograph.recognise.lexicon`, hits of the fact's
own term), else by the term's labels and synonyms in the store (whole words, a plural
ending allowed). A hit whose text is not the passage's text at its offset is dropped;
a fact term found neither way gets no annotation and is counted in the document's
``unlocated`` infon. Annotations of several facts on one span (a metastasis and its
detection) are one annotation that lists every fact.

Writers: :func:`export` (``bioc`` or ``bioc-json``); the collection is built once by
:func:`collection` and serialised by :func:`to_xml` or :func:`to_json`.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from .. import __version__
from ..emit import graph_iri
from ..export import ExportError, QuadSource, selected_graphs
from ..query import select

__all__ = ["FORMATS", "Annotation", "Collection", "Document", "Passage", "Relation", "collection", "export",
           "to_json", "to_xml"]

FORMATS = ("bioc", "bioc-json")
ONC = "https://w3id.org/oncograph/ontology/"
SOURCE = "oncograph"
KEY = "oncograph.key: the infons are described in oncograph's README, section BioC and PubTator"

#: the BioC annotation type of a term, by the category the vocabulary gives it (PubTator3's names where it has one)
TYPE_OF_CATEGORY: dict[str, str] = {
    "site": "Anatomy", "tumor": "Disease", "marker": "Gene", "agent": "Chemical", "chemical": "Chemical",
    "surgery": "Procedure", "radiotherapy": "Procedure", "systemic": "Procedure", "imaging": "Procedure",
    "diagnostic": "Procedure", "procedure": "Procedure",
}
#: the type of a term the vocabulary does not know, by the property the fact names it with
TYPE_OF_LINK: dict[str, str] = {
    "hasSite": "Anatomy", "hasTumorType": "Disease", "hasMarker": "Gene", "hasAgent": "Chemical",
    "hasProcedure": "Procedure", "hasPopulationTreatment": "Procedure",
}
#: a finding's ``onc:status`` -> the certainty infon (anything else is "certain")
_CERTAINTY = {"uncertain": "uncertain", "hypothetical": "hypothetical"}
#: the relation of a fact-to-fact link: type, role of the fact, role of the other fact
_LINKS = {"metastasisOf": ("metastasis_of", "metastasis", "primary"),
          "recurrenceOf": ("recurrence_of", "recurrence", "primary")}
#: characters XML 1.0 cannot hold (and CR, which parsers turn into LF): replaced one for one to keep offsets
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# ---------------------------------------------------------------------------- the BioC model


@dataclass
class Annotation:
    """A mention: its id, infons, one location (document offset, length) and the text there."""

    id: str
    offset: int
    length: int
    text: str
    infons: dict[str, str]


@dataclass
class Passage:
    """One evidence sentence at its offset in the original document, with its mentions."""

    offset: int
    text: str
    infons: dict[str, str]
    annotations: list[Annotation] = field(default_factory=list)


@dataclass
class Relation:
    """A fact that links mentions (a primary tumour's type and site) or facts (a metastasis to its primary)."""

    id: str
    infons: dict[str, str]
    nodes: list[tuple[str, str]]  # (refid, role)


@dataclass
class Document:
    """One ingested document: id (PMID, else file name), infons, passages and document-level relations."""

    id: str
    infons: dict[str, str]
    passages: list[Passage]
    relations: list[Relation]


@dataclass
class Collection:
    """A BioC collection."""

    source: str
    date: str
    key: str
    infons: dict[str, str]
    documents: list[Document]


# ---------------------------------------------------------------------------- what the store holds


@dataclass(frozen=True)
class _DocumentRow:
    iri: str
    name: str
    infons: dict[str, str]


@dataclass(frozen=True)
class _FactTerm:
    """One row of ``export-bioc-mentions``: a fact names a term on an evidence sentence."""

    evidence: str
    start: int
    end: int
    sentence: str
    section: str
    fact: str
    kind: str
    link: str
    term: str
    owner: str
    owner_kind: str
    owner_label: str
    status: str
    trigger: str
    value: str


def _value(term: Any) -> str:
    return "" if term is None else str(term.value)


def _rows(store: QuadSource, name: str, doc: str | None = None) -> list[dict[str, str]]:
    """The rows of the export query ``name`` as strings ("" for unbound), ``?doc`` bound when given."""
    bindings = {"doc": ox.NamedNode(doc)} if doc is not None else None
    columns, rows = select(store, name, bindings=bindings)  # type: ignore[arg-type]
    return [{c: _value(t) for c, t in zip(columns, row, strict=True)} for row in rows]


def _documents(store: QuadSource, document: str | None) -> list[_DocumentRow]:
    """The documents to export, in file-name order (one when ``document`` is given)."""
    wanted = set(selected_graphs(store, document, with_ontology=False))
    out = []
    for r in _rows(store, "export-bioc-documents"):
        if str(graph_iri(r["document"])) not in wanted:
            continue
        infons = {"file_name": r["document"]}
        for key in ("title", "journal", "year", "pmid", "doi", "pmcid", "characters"):
            if r[key]:
                infons[key] = r[key]
        out.append(_DocumentRow(r["doc"], r["document"], infons))
    if not out:
        raise ExportError("the store holds no documents: a BioC collection needs at least one")
    return out


def _fact_terms(store: QuadSource, doc: str) -> list[_FactTerm]:
    """Every (evidence sentence, fact, term) of one document."""
    out = []
    for r in _rows(store, "export-bioc-mentions", doc):
        out.append(_FactTerm(r["evidence"], int(r["start"]), int(r["end"]), _xml_safe(r["sentence"]), r["section"],
                             r["fact"], r["kind"], r["link"].removeprefix(ONC), r["term"], r["owner"],
                             r["owner_kind"], r["owner_label"], r["status"], r["trigger"], r["value"]))
    return out


def _labels(store: QuadSource, doc: str) -> dict[str, list[str]]:
    """The labels and synonyms of the terms one document's facts name, by term IRI."""
    out: dict[str, list[str]] = {}
    for r in _rows(store, "export-bioc-labels", doc):
        out.setdefault(r["term"], []).append(r["label"])
    return out


def _links(store: QuadSource, doc: str) -> list[tuple[str, str, str]]:
    """(fact, link, other fact) of one document: a metastasis or recurrence to its primary."""
    return [(r["fact"], r["link"].removeprefix(ONC), r["other"]) for r in _rows(store, "export-bioc-links", doc)]


# ---------------------------------------------------------------------------- terms


def _xml_safe(text: str) -> str:
    """``text`` with the characters XML cannot hold replaced one for one (offsets keep)."""
    return _NOT_XML.sub(lambda m: " " if m.group() == "\r" else "\ufffd", text)


@lru_cache(maxsize=4096)
def _curie(iri: str) -> str:
    """The CURIE of a term IRI by the project's converter (``MESH:D009418``), else the IRI itself."""
    from ..vocabulary import vocabulary

    return vocabulary().curie(iri) or iri


def _entity_type(curie: str, link: str) -> str:
    """The BioC type of a term: by its vocabulary category, else by the property naming it."""
    from ..vocabulary import vocabulary

    term = vocabulary().get(curie)
    if term is not None and term.category in TYPE_OF_CATEGORY:
        return TYPE_OF_CATEGORY[term.category]
    return TYPE_OF_LINK.get(link, "Concept")


def _assertion(ft: _FactTerm) -> dict[str, str]:
    """The assertion infons of a fact's mention: ``assertion``, ``negated``, ``certainty``.

    A denied finding (``NegativeFinding``) is negated; an uncertain or hypothetical one
    is not negated but not certain either. A marker reported negative is negated too (the
    recogniser reads that result from the negation of the marker's mention) and keeps its
    ``result``.
    """
    negated = ft.kind == "NegativeFinding" or ft.status == "absent" or (
        ft.kind == "MarkerResult" and ft.status == "negative")
    certainty = "certain" if negated else _CERTAINTY.get(ft.status, "certain")
    assertion = "absent" if negated else "present" if certainty == "certain" else certainty
    return {"assertion": assertion, "negated": "true" if negated else "false", "certainty": certainty}


# ---------------------------------------------------------------------------- finding mentions again


@lru_cache(maxsize=1)
def _lexicon() -> Any:
    from ..recognise import lexicon

    return lexicon()


@lru_cache(maxsize=4096)
def _hits(sentence: str) -> tuple[tuple[int, int, str, str], ...]:
    """The recogniser's term mentions in ``sentence``: (start, end, text, CURIE)."""
    return tuple((m.start, m.end, m.text, m.term) for m in _lexicon().find(sentence))


def _label_pattern(label: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in label.split()]
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?:e?s)?(?!\w)", re.IGNORECASE)


def _label_spans(sentence: str, labels: Sequence[str]) -> list[tuple[int, int]]:
    """Where the labels occur in ``sentence`` as whole words, longest label first, no overlaps."""
    spans: list[tuple[int, int]] = []
    for label in sorted({lb.strip() for lb in labels if len(lb.strip()) >= 3}, key=lambda x: (-len(x), x)):
        for m in _label_pattern(label).finditer(sentence):
            if not any(m.start() < e and s < m.end() for s, e in spans):
                spans.append((m.start(), m.end()))
    return sorted(spans)


def mention_spans(sentence: str, curie: str, labels: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Where ``sentence`` names the term ``curie``: spans of the sentence, in order.

    The recogniser's hits of the term come first; only when it finds none are the
    term's ``labels`` searched. A span whose recorded text differs from the sentence's
    text there is never returned.

    >>> mention_spans("Both lungs were clear.", "UBERON:0002048", ["lung"])
    [(5, 10)]
    """
    found = [(s, e) for s, e, text, term in _hits(sentence) if term == curie and sentence[s:e] == text and s < e]
    return sorted(set(found)) if found else _label_spans(sentence, labels)


# ---------------------------------------------------------------------------- building a document


@dataclass
class _Draft:
    """An annotation being gathered: one span, one term, one assertion; every fact that names it."""

    passage: int
    start: int
    end: int
    infons: dict[str, str]
    facts: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    owners: dict[str, tuple[str, str]] = field(default_factory=dict)  # IRI -> (kind, label)
    links: dict[str, str] = field(default_factory=dict)  # fact -> role of the term in it


def _role(link: str) -> str:
    """``hasTumorType`` -> ``tumor_type``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", link.removeprefix("has")).lower()


def _passages(rows: Iterable[_FactTerm]) -> tuple[list[Passage], dict[str, int]]:
    """One passage per evidence sentence, by offset; and the passage index of each evidence IRI."""
    by_evidence: dict[str, _FactTerm] = {}
    for ft in rows:
        prior = by_evidence.get(ft.evidence)
        if prior is None or (ft.section and (not prior.section or ft.section < prior.section)):
            by_evidence[ft.evidence] = ft
    ordered = sorted(by_evidence.values(), key=lambda f: (f.start, f.end, f.evidence))
    passages = [Passage(f.start, f.sentence, {"type": f.section or "sentence", "end": str(f.end),
                                              "evidence": f.evidence}) for f in ordered]
    return passages, {f.evidence: i for i, f in enumerate(ordered)}


def _drafts(rows: Sequence[_FactTerm], index: Mapping[str, int],
            labels: Mapping[str, Sequence[str]]) -> tuple[list[_Draft], int]:
    """The annotations of a document's fact terms, merged by span, term and assertion; and the unlocated count."""
    drafts: dict[tuple[object, ...], _Draft] = {}
    unlocated: set[tuple[str, str, str]] = set()
    for ft in rows:
        curie = _curie(ft.term)
        spans = mention_spans(ft.sentence, curie, labels.get(ft.term, ()))
        if not spans:
            unlocated.add((ft.evidence, ft.fact, ft.term))
            continue
        infons = {"type": _entity_type(curie, ft.link), "identifier": curie, **_assertion(ft)}
        for start, end in spans:
            key = (index[ft.evidence], start, end, tuple(sorted(infons.items())))
            d = drafts.setdefault(key, _Draft(index[ft.evidence], start, end, infons))
            _add_fact(d, ft)
    return sorted(drafts.values(), key=lambda d: (d.passage, d.start, d.end, sorted(d.infons.items()))), len(unlocated)


def _add_fact(d: _Draft, ft: _FactTerm) -> None:
    """Record on ``d`` that fact ``ft`` names its term there."""
    d.facts.add(ft.fact)
    d.kinds.add(ft.kind)
    d.links.setdefault(ft.fact, _role(ft.link))
    if ft.owner:
        d.owners[ft.owner] = (ft.owner_kind, ft.owner_label)
    if ft.kind == "MarkerResult" and ft.status:
        d.infons["result"] = ft.status
    if ft.value:
        d.infons["value"] = ft.value
    if ft.trigger:
        d.infons["assertion_trigger"] = ft.trigger


def _annotation(d: _Draft, ident: str, passage: Passage) -> Annotation:
    """The annotation of a draft, with its fact and patient infons, at its document offset."""
    infons = dict(d.infons)
    infons["fact"] = " ".join(sorted(d.facts))
    infons["fact_kind"] = " ".join(sorted(d.kinds))
    for kind, key in (("Patient", "patient"), ("Study", "study"), ("CitedStudy", "cited_study")):
        owners = sorted(iri for iri, (k, _) in d.owners.items() if k == kind)
        if owners:
            infons[key] = " ".join(owners)
            infons[key + "_label"] = " | ".join(d.owners[iri][1] for iri in owners)
    text = passage.text[d.start:d.end]
    return Annotation(ident, passage.offset + d.start, d.end - d.start, text, infons)


def _relations(drafts: Sequence[_Draft], ids: Sequence[str],
               links: Iterable[tuple[str, str, str]]) -> list[Relation]:
    """A relation for each fact whose terms are two or more mentions, and for each fact-to-fact link."""
    by_fact: dict[str, list[tuple[str, str]]] = {}
    kind_of: dict[str, str] = {}
    for d, ident in zip(drafts, ids, strict=True):
        for fact in sorted(d.facts):
            by_fact.setdefault(fact, []).append((ident, d.links[fact]))
    for d in drafts:
        for fact in d.facts:
            kind_of.setdefault(fact, sorted(d.kinds)[0])
    out: list[Relation] = []
    for fact in sorted(by_fact):
        nodes = by_fact[fact]
        if len({role for _, role in nodes}) >= 2:
            out.append(Relation("", {"type": kind_of[fact], "fact": fact}, nodes))
    for fact, link, other in links:
        if link in _LINKS and fact in by_fact and other in by_fact:
            kind, role, other_role = _LINKS[link]
            nodes = [(i, role) for i, _ in by_fact[fact]] + [(i, other_role) for i, r in by_fact[other]
                                                             if r == "tumor_type"]
            if len(nodes) > len(by_fact[fact]):
                out.append(Relation("", {"type": kind, "fact": fact, "other": other}, nodes))
    for n, rel in enumerate(out, 1):
        rel.id = f"R{n}"
    return out


def _document(store: QuadSource, row: _DocumentRow) -> Document:
    """One document: its passages, annotations and relations."""
    rows = _fact_terms(store, row.iri)
    passages, index = _passages(rows)
    drafts, unlocated = _drafts(rows, index, _labels(store, row.iri))
    ids = [f"T{n}" for n in range(1, len(drafts) + 1)]
    for d, ident in zip(drafts, ids, strict=True):
        passages[d.passage].annotations.append(_annotation(d, ident, passages[d.passage]))
    if not passages:  # the DTD wants a passage: an empty one says the document has no evidence
        passages = [Passage(0, "", {"type": "none"})]
    infons = {**row.infons, "passages": "evidence sentences", "unlocated": str(unlocated)}
    relations = _relations(drafts, ids, _links(store, row.iri))
    return Document(row.infons.get("pmid") or row.name, infons, passages, relations)


def export_date() -> str:
    """The collection's date: ``SOURCE_DATE_EPOCH`` (reproducible builds) when set, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise ExportError(f"SOURCE_DATE_EPOCH={epoch!r} is not a time in seconds") from exc
    return when.strftime("%Y-%m-%d")


def collection(store: QuadSource, document: str | None = None) -> Collection:
    """The BioC collection of every document of the store, or of the one ``document`` names."""
    docs = [_document(store, row) for row in _documents(store, document)]
    return Collection(SOURCE, export_date(), KEY, {"oncograph_version": __version__}, docs)


# ---------------------------------------------------------------------------- serialising


def _infons(parent: ET.Element, infons: Mapping[str, str]) -> None:
    for k, v in infons.items():
        ET.SubElement(parent, "infon", key=k).text = v


def _xml_passage(parent: ET.Element, p: Passage) -> None:
    el = ET.SubElement(parent, "passage")
    _infons(el, p.infons)
    ET.SubElement(el, "offset").text = str(p.offset)
    if p.text:
        ET.SubElement(el, "text").text = p.text
    for a in p.annotations:
        ann = ET.SubElement(el, "annotation", id=a.id)
        _infons(ann, a.infons)
        ET.SubElement(ann, "location", offset=str(a.offset), length=str(a.length))
        ET.SubElement(ann, "text").text = a.text


def _xml_relation(parent: ET.Element, r: Relation) -> None:
    el = ET.SubElement(parent, "relation", id=r.id)
    _infons(el, r.infons)
    for refid, role in r.nodes:
        ET.SubElement(el, "node", refid=refid, role=role)


def to_xml(c: Collection) -> bytes:
    """The collection as BioC XML (UTF-8, with the BioC DOCTYPE)."""
    root = ET.Element("collection")
    ET.SubElement(root, "source").text = c.source
    ET.SubElement(root, "date").text = c.date
    ET.SubElement(root, "key").text = c.key
    _infons(root, c.infons)
    for d in c.documents:
        el = ET.SubElement(root, "document")
        ET.SubElement(el, "id").text = d.id
        _infons(el, d.infons)
        for p in d.passages:
            _xml_passage(el, p)
        for r in d.relations:
            _xml_relation(el, r)
    ET.indent(root, space=" ")
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE collection SYSTEM "BioC.dtd">\n'
    return (head + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def _json_annotation(a: Annotation) -> dict[str, Any]:
    return {"id": a.id, "infons": a.infons, "text": a.text, "locations": [{"offset": a.offset, "length": a.length}]}


def _json_relation(r: Relation) -> dict[str, Any]:
    return {"id": r.id, "infons": r.infons, "nodes": [{"refid": i, "role": role} for i, role in r.nodes]}


def _json_document(d: Document) -> dict[str, Any]:
    passages = [{"offset": p.offset, "infons": p.infons, "text": p.text, "sentences": [],
                 "annotations": [_json_annotation(a) for a in p.annotations], "relations": []} for p in d.passages]
    return {"id": d.id, "infons": d.infons, "passages": passages, "annotations": [],
            "relations": [_json_relation(r) for r in d.relations]}


def to_json(c: Collection) -> bytes:
    """The collection as BioC JSON, the shape PubTator3 serves (UTF-8, one line per document)."""
    head = {"source": c.source, "date": c.date, "key": c.key, "infons": c.infons}
    docs = ",\n".join(json.dumps(_json_document(d), ensure_ascii=False) for d in c.documents)
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "documents": [\n' + docs + "\n]}\n"
    return text.encode("utf-8")


def export(store: QuadSource, fmt: str, document: str | None = None) -> bytes:
    """The store (or one document) as BioC: ``fmt`` is ``bioc`` (XML) or ``bioc-json``."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown BioC format {fmt!r}; use one of {', '.join(FORMATS)}")
    c = collection(store, document)
    return to_xml(c) if fmt == "bioc" else to_json(c)
