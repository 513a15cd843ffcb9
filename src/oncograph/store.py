"""The RDF store: pyoxigraph on disk (or in memory), one named graph per document.

The store also holds the ontology (graph ``…/graph/ontology``: the schema and
the import module of the terms the library uses), the descriptions of every
other vocabulary term a document's facts point at, with all their ancestors
(graph ``…/graph/terms``, added as documents are ingested), and the
materialised closure of all those terms (graph ``…/graph/closure``: ``onc:within``
for each term it is, is a kind of or lies in, ``rdfs:subClassOf`` along is-a
chains; see :mod:`oncograph.termgraph`), so plain SPARQL can ask for
"metastases anywhere in the vertebral column".  Queries see the union of all
graphs as their default graph.

Writing a document is two oxigraph transactions: the old graph and its record
go, then the new graph and its record come in one ``extend`` (streamed, not one
update string): a reader (or a crash) sees the old document, no document, or the
new one, never half of one.  Each document has a record in the store's own graph
``…/graph/meta``: its name, the file it came from, the folder it was ingested from,
and the hash of its content and of the code that read it, so an unchanged file is
skipped, a file gone from a folder can be dropped (``ingest --sync``), and two
different files cannot silently take the same name.

An on-disk store is locked by the process that writes it: a second writer gets
one clear line, not a corrupted store.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import QueryError, StoreError
from .namespaces import BASE, ONC_NS
from .sparqlcheck import check_sparql
from .tables import TABLES_GRAPH

if TYPE_CHECKING:  # rdflib is imported where a graph is written, not to open a store and query it
    from rdflib import Graph
    from rdflib.term import Node

    from .vocabulary import Vocabulary

__all__ = [
    "CLOSURE_GRAPH",
    "DEFAULT_STORE",
    "ONTOLOGY_GRAPH",
    "TERMS_GRAPH",
    "DocumentRecord",
    "Store",
    "to_ox",
]

ONTOLOGY_GRAPH = ox.NamedNode(BASE + "graph/ontology")
CLOSURE_GRAPH = ox.NamedNode(BASE + "graph/closure")
TERMS_GRAPH = ox.NamedNode(BASE + "graph/terms")
_WITHIN = ox.NamedNode(ONC_NS + "within")
DOCUMENT_GRAPH_PREFIX = BASE + "graph/document/"
DEFAULT_STORE = Path(".oncograph/store")
_META = ox.NamedNode(BASE + "graph/meta")
_ONTOLOGY_HASH = ox.NamedNode(BASE + "ontology/hash")
_ONTOLOGY_SOURCE = ox.NamedNode(BASE + "ontology/source")  # the code and files the loaded ontology came from
_REC = BASE + "store#"  # the store's own bookkeeping, not part of the ontology
_REC_FIELDS = ("name", "source", "root", "contentHash", "codeHash", "fileHash")


@dataclass(frozen=True)
class DocumentRecord:
    """What the store remembers of an ingested document (graph ``…/graph/meta``).

    Attributes
    ----------
    graph : str
        The document's named graph.
    name : str
        Its name: the path relative to the folder it was ingested from, or the file name.
    source : str
        The absolute path of the file read.
    root : str
        The absolute path of the folder given to ``ingest`` ("" for a file given by itself).
    content_hash : str
        SHA-256 of the document's text in the file.
    code_hash : str
        Digest of the code and ontology that read it (a change re-reads unchanged files).
    file_hash : str
        SHA-256 of the whole file's bytes: an unchanged file is skipped without being parsed.
    """

    graph: str
    name: str
    source: str = ""
    root: str = ""
    content_hash: str = ""
    code_hash: str = ""
    file_hash: str = ""

    def quads(self) -> list[ox.Quad]:
        g = ox.NamedNode(self.graph)
        values = (self.name, self.source, self.root, self.content_hash, self.code_hash, self.file_hash)
        return [ox.Quad(g, ox.NamedNode(_REC + f), ox.Literal(v), _META) for f, v in zip(_REC_FIELDS, values,
                                                                                         strict=True)]


_RDFLIB_TERMS: tuple[type, type, type] | None = None


def ontology_digest(ontology: Graph, vocab: Vocabulary) -> str:
    """What a store holding this ontology, its closure and its terms' descriptions was loaded from.

    A SHA-256 of the ontology's canonical N-Triples (its blank nodes labelled by their place in the
    graph, not by the parser: the plain serialisation differed in every process, so every ingest
    loaded the ontology again and scanned the whole store for the terms its documents use), of the
    vocabulary's digest and of the code that makes the closure. A store holding this version need
    not load it again.
    """
    import hashlib

    from . import termgraph

    dataset = ox.Dataset(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in ontology)  # type: ignore[arg-type]
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)  # stable within a pyoxigraph version
    h = hashlib.sha256(f"{ox.__version__}\n{vocab.digest}\n".encode())
    h.update(Path(termgraph.__file__).read_bytes())
    for line in sorted(str(q) for q in dataset):
        h.update(line.encode() + b"\n")
    return h.hexdigest()


def to_ox(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    global _RDFLIB_TERMS
    if _RDFLIB_TERMS is None:
        from rdflib import BNode, Literal, URIRef

        _RDFLIB_TERMS = (URIRef, BNode, Literal)
    uri, bnode, literal = _RDFLIB_TERMS
    if isinstance(node, uri):
        return ox.NamedNode(str(node))
    if isinstance(node, bnode):
        return ox.BlankNode(str(node))
    if isinstance(node, literal):
        lit: Any = node
        if lit.language:
            return ox.Literal(str(lit), language=lit.language)
        if lit.datatype:
            return ox.Literal(str(lit), datatype=ox.NamedNode(str(lit.datatype)))
        return ox.Literal(str(lit))
    raise TypeError(f"not an RDF term: {node!r}")


def _open_read_only(path: Path, attempts: int = 20) -> ox.Store:
    """A read-only handle on an on-disk store, opened again if a file vanished under the open.

    A read-only open lists the store's files and then reads them; the writer may delete one in
    between (a write-ahead log the flush made obsolete, an SST file a compaction replaced). The
    files are consistent again at once, so the open is tried again.
    """
    import time

    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except OSError as exc:
            if "No such file or directory" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


class Store:
    """An oncograph store.

    Parameters
    ----------
    path : str or Path or None
        A folder for an on-disk store (created if needed); None for one in memory.
    read_only : bool
        Open an existing on-disk store for reading only.
    """

    #: Quads per write transaction (a document up to this size is written in one).
    BATCH = 100_000

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._written = 0  # quads written (or graphs dropped) through this object since it was opened
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                if not (self.path / "CURRENT").is_file():
                    raise StoreError(f"{self.path}: no store here (run `oncograph ingest` or `build` first)")
                self._store = _open_read_only(self.path)
            else:
                if self.path.exists() and not self.path.is_dir():
                    raise StoreError(f"{self.path}: not a folder, cannot hold a store")
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(f"{self.path}: the store is being written by another process (an ingest, "
                                 "or a server with --write-token); wait for it to finish") from exc
            raise StoreError(f"{self.path}: cannot open the store: {str(exc).splitlines()[0]}") from exc

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        return self._store

    # ------------------------------------------------------------------ ontology
    def ontology_source(self) -> str:
        """What the ontology in the store was loaded by (the ``source`` given to :meth:`ensure_ontology`), or "".

        Equal to the running code's: the ontology is current without parsing it or the vocabulary.
        """
        return self._own(_ONTOLOGY_SOURCE)

    def ontology_hash(self) -> str:
        """The digest of the ontology the store holds (:func:`ontology_digest`), or ""."""
        return self._own(_ONTOLOGY_HASH)

    def _own(self, key: ox.NamedNode) -> str:
        """The value of one of the store's own keys in its meta graph (``key key "value"``), or ""."""
        found = list(self._store.quads_for_pattern(key, key, None, _META))
        return found[0].object.value if found and isinstance(found[0].object, ox.Literal) else ""

    def ensure_ontology(self, ontology: Graph, vocab: Vocabulary, *, source: str = "") -> bool:
        """Load the ontology and the closure of its terms unless this very version is already there.

        The descriptions of the other terms the documents point at are then added again.  ``source``
        (a digest of the code and files that made ``ontology`` and ``vocab``) is recorded with it, for
        :meth:`ontology_source`.  Returns True when it (re)loaded them.
        """
        from .termgraph import closure_triples

        digest = ontology_digest(ontology, vocab)
        if self.ontology_hash() == digest:
            if source and self.ontology_source() != source:  # the same ontology from other code
                self._store.update(f"DELETE WHERE {{ GRAPH {_META} {{ {_ONTOLOGY_SOURCE} ?p ?o }} }}")
                self._store.extend([ox.Quad(_ONTOLOGY_SOURCE, _ONTOLOGY_SOURCE, ox.Literal(source), _META)])
                self._written += 1
            return False
        quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), ONTOLOGY_GRAPH)  # type: ignore[arg-type]
                 for s, p, o in ontology]
        quads += [ox.Quad(to_ox(s), to_ox(p), to_ox(o), CLOSURE_GRAPH)  # type: ignore[arg-type]
                  for s, p, o in closure_triples(module_terms(ontology, vocab), vocab)]
        # one transaction drops the old ontology, its terms, their closure and the hash; a crash after it
        # leaves no hash, so the next ingest loads the ontology again (never a store that thinks it has one)
        self._store.update(f"DROP SILENT GRAPH {ONTOLOGY_GRAPH} ; DROP SILENT GRAPH {CLOSURE_GRAPH} ; "
                           f"DROP SILENT GRAPH {TERMS_GRAPH} ; DROP SILENT GRAPH {TABLES_GRAPH} ; "
                           f"DELETE WHERE {{ GRAPH {_META} {{ {_ONTOLOGY_HASH} ?p ?o }} }} ; "
                           f"DELETE WHERE {{ GRAPH {_META} {{ {_ONTOLOGY_SOURCE} ?p ?o }} }}")
        self._store.extend(quads)
        self.add_terms(self.used_terms(vocab), vocab)  # the documents already here keep their terms
        done = [ox.Quad(_ONTOLOGY_HASH, _ONTOLOGY_HASH, ox.Literal(digest), _META)]
        if source:
            done.append(ox.Quad(_ONTOLOGY_SOURCE, _ONTOLOGY_SOURCE, ox.Literal(source), _META))
        self._store.extend(done)
        self._written += len(quads) + len(done)
        return True

    def used_terms(self, vocab: Vocabulary) -> set[str]:
        """The CURIEs of the vocabulary terms the document graphs point at."""
        out: set[str] = set()
        for prop in ("hasSite", "hasTumorType", "hasMarker", "hasAgent", "hasProcedure"):
            for q in self._store.quads_for_pattern(None, ox.NamedNode(ONC_NS + prop), None, None):
                if isinstance(q.object, ox.NamedNode) and isinstance(q.graph_name, ox.NamedNode) \
                        and q.graph_name.value.startswith(DOCUMENT_GRAPH_PREFIX):
                    c = vocab.curie(q.object.value)
                    if c is not None:
                        out.add(c)
        return out

    def add_terms(self, curies: Iterable[str], vocab: Vocabulary) -> int:
        """Describe the terms and their ancestors that the store does not hold yet; return how many it added.

        One transaction: a term is described and in the closure, or neither.
        """
        from .termgraph import closure_triples, term_triples

        missing = sorted(c for c in vocab.closure_of(c for c in curies if c in vocab)
                         if not self._has_closure(vocab.iri(c)))
        if not missing:
            return 0
        quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), TERMS_GRAPH)  # type: ignore[arg-type]
                 for c in missing for s, p, o in term_triples(vocab[c], vocab)]
        quads += [ox.Quad(to_ox(s), to_ox(p), to_ox(o), CLOSURE_GRAPH)  # type: ignore[arg-type]
                  for s, p, o in closure_triples(missing, vocab)]
        self._store.extend(quads)
        self._written += len(quads)
        return len(missing)

    def _has_closure(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return next(iter(self._store.quads_for_pattern(node, _WITHIN, node, CLOSURE_GRAPH)), None) is not None

    # ------------------------------------------------------------------ documents
    def replace_graph(self, graph: str, triples: Iterable[tuple[Node, Node, Node]],
                      record: DocumentRecord | None = None) -> int:
        """Replace the named graph ``graph`` by ``triples`` (and its record); return the triple count.

        The old graph and record go in one transaction; the new triples come in ``extend``
        transactions of at most :attr:`BATCH` quads, the record with the last one.  A document of
        up to ``BATCH`` triples (every real report) is thus written in one transaction: readers
        and crashes see it whole or not at all.  A larger one is written in bounded memory
        (about 1.5 KB a quad per batch, where one update string cost 3 KB a triple for all of
        them); a crash part way leaves a graph without a record, which the next ingest replaces.
        """
        g = ox.NamedNode(graph)
        return self.replace_graph_quads(
            graph, (ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples), record)  # type: ignore[arg-type]

    def replace_graph_quads(self, graph: str, quads: Iterable[ox.Quad], record: DocumentRecord | None = None) -> int:
        """:meth:`replace_graph` for quads already in pyoxigraph's terms (their graph names must be ``graph``)."""
        count = 0
        try:
            self._drop(graph)
            batch: list[ox.Quad] = []
            for quad in quads:
                count += 1
                batch.append(quad)
                if len(batch) >= self.BATCH:
                    self._store.extend(batch)
                    batch = []
            self._store.extend([*batch, *(record.quads() if record is not None else [])])
        except OSError as exc:  # pragma: no cover - disk failure
            raise StoreError(f"cannot write graph {graph}: {exc}") from exc
        self._written += count
        return count

    def _drop(self, graph: str) -> None:
        g = ox.NamedNode(graph)
        self._store.update(f"DROP SILENT GRAPH {g} ; DELETE WHERE {{ GRAPH {_META} {{ {g} ?p ?o }} }} ; "
                           f"DELETE WHERE {{ GRAPH {TABLES_GRAPH} {{ {g} ?p ?o }} }}")
        self._written += 1

    def write_tables(self, graph: str, quads: Iterable[ox.Quad]) -> int:
        """Keep the materialised tables of the document in ``graph`` (:mod:`oncograph.tables`), stamped with
        the store's ontology; after its graph. Returns the quads written."""
        from .tables import stamped

        rows = stamped(quads, self.ontology_hash())
        self._store.extend(rows)
        self._written += len(rows)
        return len(rows)

    def remove_graph(self, graph: str) -> None:
        """Drop a named graph (and its document record) if it exists."""
        self._drop(graph)

    def records(self) -> dict[str, DocumentRecord]:
        """The record of every ingested document, by graph IRI."""
        fields: dict[str, dict[str, str]] = {}
        for q in self._store.quads_for_pattern(None, None, None, _META):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal) \
                    and q.predicate.value.startswith(_REC):
                fields.setdefault(q.subject.value, {})[q.predicate.value[len(_REC):]] = str(q.object.value)
        return {g: DocumentRecord(g, f.get("name", ""), f.get("source", ""), f.get("root", ""),
                                  f.get("contentHash", ""), f.get("codeHash", ""), f.get("fileHash", ""))
                for g, f in fields.items()}

    def document_graphs(self) -> list[str]:
        """The named graphs of ingested documents, sorted."""
        return sorted(g.value for g in self._store.named_graphs()
                      if isinstance(g, ox.NamedNode) and g.value.startswith(DOCUMENT_GRAPH_PREFIX))

    def __len__(self) -> int:
        return len(self._store)

    # ------------------------------------------------------------------ queries
    def query(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> Any:
        """Run a SPARQL query over the union of all graphs, with ``bindings`` substituted for variables."""
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in (bindings or {}).items()}
        shape = check_sparql(sparql)  # depth and size before the engine: deep nesting crashes pyoxigraph
        union = "FROM" not in shape.keywords  # a query's own FROM / FROM NAMED is its dataset
        try:
            try:
                return self._store.query(sparql, use_default_graph_as_union=union, substitutions=subs or None)
            except RuntimeError as exc:
                if not subs or "projection" not in str(exc):
                    raise
            # a variable the query does not select: bound by a VALUES block opening the WHERE group
            from .remote import inject_values

            return self._store.query(inject_values(sparql, bindings or {}), use_default_graph_as_union=union)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {str(exc).splitlines()[0]}") from exc
        except (RuntimeError, ValueError, OSError) as exc:
            raise QueryError(f"the query failed: {str(exc).splitlines()[0]}") from exc

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad of one named graph, or of every document graph."""
        if graph is not None:
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            return
        for g in self.document_graphs():
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(g))

    def dump_canonical(self, dest: Path, graphs: Iterable[str] | None = None) -> int:
        """Write document graphs (all of them by default) as sorted N-Quads, byte-identical for identical content."""
        quads = self.quads() if graphs is None else (q for g in graphs for q in self.quads(g))
        lines = sorted({f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in quads})
        from .safeio import atomic_path

        with atomic_path(dest) as tmp:
            tmp.write_text("".join(lines), encoding="utf-8")
        return len(lines)

    def flush(self) -> None:
        """Make what this object wrote durable (on-disk stores), and give back the disk the write-ahead log held.

        RocksDB deletes a write-ahead log made obsolete by the flush only when it opens the store, so the
        store is opened again here (when nothing else holds the handle): after an ingest the log was
        two thirds of the store's size on disk.  The files are compacted too, even after a small write
        into a large store: left to RocksDB's background compaction, queries ran 15-25 % slower.
        Nothing written through this object (an unchanged ingest): nothing to do.
        """
        if self.path is None or self.read_only or not self._written:
            return
        self._store.flush()
        self._store.optimize()
        if sys.getrefcount(self._store) == 2:  # this attribute and the call's argument: no other holder
            self._store = None  # type: ignore[assignment]  # closes it: the lock is released
            self._store = ox.Store(str(self.path))
        self._written = 0


def module_terms(ontology: Graph, vocab: Vocabulary) -> list[str]:
    """The CURIEs of the vocabulary terms an ontology graph declares."""
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF

    out = []
    for subject in set(ontology.subjects(RDF.type, OWL.Class)):
        if isinstance(subject, URIRef):
            c = vocab.curie(str(subject))
            if c is not None and c in vocab:
                out.append(c)
    return sorted(out)
