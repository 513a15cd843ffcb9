"""The main jobs: ingest documents into a store, and build the graph of the seeds.

``read → extract → emit → store``, one document at a time: a document that
cannot be read or extracted is reported and skipped, and the store is left as
it was for it; every other document is ingested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .emit import emit, graph_iri
from .errors import InputError, OncographError
from .extract import extract
from .facts import DocumentFacts
from .ontology import load_ontology
from .read import DEFAULT_MAX_BYTES, iter_documents
from .recognise import lexicon
from .store import Store
from .terms import term_index

__all__ = ["BuildReport", "DocumentReport", "IngestReport", "build", "ingest"]


@dataclass(frozen=True)
class DocumentReport:
    """What one ingested document yielded."""

    name: str
    kind: str
    triples: int
    patients: int
    metastases: int
    markers: int
    treatments: int
    statistics: int


@dataclass
class IngestReport:
    """The outcome of an ingest: documents stored and files refused."""

    documents: list[DocumentReport] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class BuildReport:
    """The outcome of a build: the ingest and the dump written."""

    ingest: IngestReport
    dump: Path
    quads: int


def _summary(facts: DocumentFacts, triples: int) -> DocumentReport:
    return DocumentReport(
        facts.name, facts.kind, triples, len(facts.patients),
        sum(len(p.metastases) for p in facts.patients), sum(len(p.markers) for p in facts.patients),
        sum(len([t for t in p.treatments if t.kind != "diagnostic"]) for p in facts.patients),
        len(facts.study.statistics) if facts.study else 0,
    )


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[str], None] | None = None,
) -> IngestReport:
    """Read, extract and store every document under ``paths``.

    Parameters
    ----------
    paths : iterable of path
        Files and folders (walked recursively).
    store : Store
        Where the graphs go; each document replaces its own named graph.
    max_bytes : int
        Larger files are refused unread.
    progress : callable, optional
        Called with each document's name once it is stored.

    Returns
    -------
    IngestReport
    """
    index = term_index()
    store.ensure_ontology(load_ontology(), index)
    lex = lexicon()
    report = IngestReport()
    for item in iter_documents(list(paths), max_bytes=max_bytes):
        if isinstance(item, InputError):
            report.errors.append(item)
            continue
        try:
            facts = extract(item, index, lex)
            triples = emit(facts, item.metadata)
            n = store.replace_graph(str(graph_iri(item.name)), triples)
        except OncographError as exc:
            report.errors.append(InputError(item.path, str(exc)))
            continue
        report.documents.append(_summary(facts, n))
        if progress is not None:
            progress(item.name)
    store.flush()
    return report


def build(
    seeds: str | Path = "seeds",
    store: Store | None = None,
    dump: str | Path = "graph/oncograph.nq",
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Ingest the seed documents and write the canonical dump of what they yield.

    The dump holds the named graphs of the documents under ``seeds`` as sorted
    N-Quads, so two builds of the same seeds give byte-identical files.
    """
    from .store import DEFAULT_STORE

    store = Store(DEFAULT_STORE) if store is None else store
    report = ingest([seeds], store, progress=progress)
    graphs = [str(graph_iri(d.name)) for d in report.documents]
    dest = Path(dump)
    n = store.dump_canonical(dest, graphs)
    return BuildReport(report, dest, n)
