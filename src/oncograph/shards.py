"""N-Quads shards for a bulk loader: ``ingest --shards DIR`` writes files instead of a store.

A corpus too big to write through SPARQL goes into a triple store faster through its bulk loader
(Virtuoso's ``ld_dir`` + ``rdf_loader_run``, :func:`oncograph.virtuoso.bulk_load`; Oxigraph's
``oxigraph load``; Jena's ``tdb2.tdbloader``; GraphDB's ``importrdf``).  :class:`ShardWriter` has
the methods of :class:`~oncograph.store.Store` that ingest uses, and writes what a store would hold:

- ``ontology.nq``: the ontology, the closure of its terms, and the ontology's hash;
- ``part-00000.nq``, ``part-00001.nq``, …: each document's graph with its record (graph ``…/graph/meta``)
  and the descriptions and closure of the terms it is the first to name, a new part after
  ``shard_quads`` quads (a document is never split);
- ``MANIFEST.tsv``: each part with its number of quads and its SHA-256.

Loading every file into an empty store gives the store a local ingest would give.  Each file is
written beside its final name and renamed when complete, so a folder holds whole shards only; the
order of the documents is the order of the files, whatever the number of workers, so the shards
are the same bytes for any ``--jobs``.  The folder must be new or empty: shards are a one-way
export, there is no store to compare a re-read file with.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph

from .errors import StoreError
from .store import (
    _META,
    _ONTOLOGY_HASH,
    _ONTOLOGY_SOURCE,
    CLOSURE_GRAPH,
    ONTOLOGY_GRAPH,
    TERMS_GRAPH,
    DocumentRecord,
    module_terms,
    ontology_digest,
    to_ox,
)
from .vocabulary import Vocabulary

__all__ = ["ShardWriter"]


class ShardWriter:
    """Writes ingested documents as N-Quads shards into ``folder`` (see the module notes)."""

    path = None
    read_only = False

    def __init__(self, folder: str | Path, *, shard_quads: int = 1_000_000) -> None:
        self.folder = Path(folder)
        if self.folder.exists() and (not self.folder.is_dir() or any(self.folder.iterdir())):
            raise StoreError(f"{self.folder}: not a new or empty folder (shards are written to a folder of their own)")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.shard_quads = shard_quads
        self._ontology_hash = ""
        self._known: set[str] = set()
        self._graphs: list[str] = []
        self._parts: list[tuple[str, int, str]] = []
        self._file: IO[bytes] | None = None
        self._hash = hashlib.sha256()
        self._count = 0
        self._blank: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"ShardWriter({str(self.folder)!r})"

    # ------------------------------------------------------------------ what ingest calls
    def ontology_source(self) -> str:
        """"": shards are written to a new folder, which holds no ontology to reuse."""
        return ""

    def ensure_ontology(self, ontology: Graph, vocab: Vocabulary, *, source: str = "") -> bool:
        """Write ``ontology.nq`` (once): the ontology, the closure of its terms, its hash and ``source``."""
        if (self.folder / "ontology.nq").exists():
            return False
        from .termgraph import closure_triples

        digest = ontology_digest(ontology, vocab)
        closure = list(closure_triples(module_terms(ontology, vocab), vocab))
        lines = [self._line(s, p, o, ONTOLOGY_GRAPH) for s, p, o in ontology]
        lines += [self._line(s, p, o, CLOSURE_GRAPH) for s, p, o in closure]
        lines.append(f"{_ONTOLOGY_HASH} {_ONTOLOGY_HASH} {ox.Literal(digest)} {_META} .\n")
        if source:
            lines.append(f"{_ONTOLOGY_SOURCE} {_ONTOLOGY_SOURCE} {ox.Literal(source)} {_META} .\n")
        self._known = {str(s) for s, p, o in closure if s == o}  # a term in the closure is within itself
        self._ontology_hash = digest
        _write_whole(self.folder / "ontology.nq", "".join(lines).encode("utf-8"))
        return True

    def records(self) -> dict[str, DocumentRecord]:
        """None: a new folder has no documents to skip."""
        return {}

    def document_graphs(self) -> list[str]:
        """The document graphs written so far, sorted."""
        return sorted(self._graphs)

    def add_terms(self, curies: Iterable[str], vocab: Vocabulary) -> int:
        """Describe, in the current part, the terms (and ancestors) no earlier document named."""
        from .termgraph import closure_triples, term_triples

        missing = sorted(c for c in vocab.closure_of(c for c in curies if c in vocab)
                         if vocab.iri(c) not in self._known)
        if not missing:
            return 0
        lines = [self._line(s, p, o, TERMS_GRAPH) for c in missing for s, p, o in term_triples(vocab[c], vocab)]
        lines += [self._line(s, p, o, CLOSURE_GRAPH) for s, p, o in closure_triples(missing, vocab)]
        self._append(lines)
        self._known.update(vocab.iri(c) for c in missing)
        return len(missing)

    def replace_graph_quads(self, graph: str, quads: Iterable[ox.Quad], record: DocumentRecord | None = None) -> int:
        """Append a document's graph and its record to the current part; a new part first when it is full."""
        if graph in self._graphs:
            raise StoreError(f"{self.folder}: {graph} is already in a shard (shards are written once)")
        name = ox.NamedNode(graph)
        self._document = name
        lines = [f"{self._term(q.subject)} {q.predicate} {self._term(q.object)} {name} .\n" for q in quads]
        count = len(lines)
        lines += [f"{q} .\n" for q in (record.quads() if record is not None else [])]
        if self._file is not None and self._count and self._count + len(lines) > self.shard_quads:
            self._close_part()
        self._append(lines)
        self._graphs.append(graph)
        return count

    _document: ox.NamedNode | None = None  # the last document written

    def write_tables(self, graph: str, quads: Iterable[ox.Quad]) -> int:
        """Append the materialised tables of the document just written (``graph``), stamped as a store would."""
        from .tables import stamped

        if self._document is None or self._document.value != graph:
            raise StoreError(f"{self.folder}: the tables of {graph} follow its graph")
        rows = stamped(quads, self._ontology_hash)
        self._append([f"{q} .\n" for q in rows])
        return len(rows)

    def remove_graph(self, graph: str) -> None:
        raise StoreError(f"{self.folder}: shards are written once; --sync needs a store")

    def flush(self) -> None:
        """Close the current part and write the manifest."""
        self._close_part()
        lines = ["file\tquads\tsha256\n"] + [f"{n}\t{c}\t{h}\n" for n, c, h in self._parts]
        _write_whole(self.folder / "MANIFEST.tsv", "".join(lines).encode("utf-8"))

    def parts(self) -> list[Path]:
        """The files a bulk loader takes: ``ontology.nq`` and the parts, in order."""
        return [self.folder / "ontology.nq", *(self.folder / n for n, _, _ in self._parts)]

    # ------------------------------------------------------------------ files
    def _term(self, term: Any) -> Any:
        """A blank node renamed by the order it is first written in (``_:b1``, ``_:b2``…), so that the shards
        are the same bytes from run to run (rdflib names them at random); other terms as they are."""
        if not isinstance(term, ox.BlankNode):
            return term
        name = self._blank.get(term.value)
        if name is None:
            name = self._blank[term.value] = f"_:b{len(self._blank) + 1}"
        return name

    def _line(self, s: object, p: object, o: object, graph: ox.NamedNode) -> str:
        return f"{self._term(to_ox(s))} {to_ox(p)} {self._term(to_ox(o))} {graph} .\n"  # type: ignore[arg-type]

    def _append(self, lines: list[str]) -> None:
        if self._file is None:
            self._name = f"part-{len(self._parts):05d}.nq"
            self._file = (self.folder / f".{self._name}.tmp").open("wb")
            self._hash, self._count = hashlib.sha256(), 0
        data = "".join(lines).encode("utf-8")
        self._file.write(data)
        self._hash.update(data)
        self._count += len(lines)

    def _close_part(self) -> None:
        if self._file is None:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._file = None
        os.replace(self.folder / f".{self._name}.tmp", self.folder / self._name)
        self._parts.append((self._name, self._count, self._hash.hexdigest()))




def _write_whole(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
