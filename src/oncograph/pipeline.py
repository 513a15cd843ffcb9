"""The main jobs: ingest documents into a store, and build the graph of the seeds.

``read → extract → emit → store``, one document at a time: a document that
cannot be read or extracted is reported and skipped, and the store is left as
it was for it; every other document is ingested.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .curation import CurationRow, apply_curation, curation_digest, rows_for
from .document import Document
from .emit import document_iri, emit, graph_iri, terms_used
from .errors import InputError, OncographError
from .extract import extract
from .facts import DocumentFacts
from .ontology import load_ontology
from .parallel import ordered_map
from .read import DEFAULT_MAX_BYTES, iter_documents
from .recognise import lexicon
from .store import DocumentRecord, Store, to_ox
from .tables import table_maker
from .terms import term_index
from .validate import check_triples, quality_triples
from .vocabulary import vocabulary

__all__ = ["BuildReport", "DocumentReport", "IngestReport", "build", "code_digest", "ingest", "remove"]


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
    issues: int = 0  # found by the data-quality rules (recorded in the graph)
    curated: int = 0  # curation decisions applied


@dataclass
class IngestReport:
    """The outcome of an ingest: documents stored and files refused."""

    documents: list[DocumentReport] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # unchanged since they were ingested
    removed: list[str] = field(default_factory=list)  # by --sync: their files are gone
    warnings: list[str] = field(default_factory=list)  # curation rows that no longer apply

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class BuildReport:
    """The outcome of a build: the ingest and the dump written."""

    ingest: IngestReport
    dump: Path
    quads: int


def _summary(facts: DocumentFacts, triples: int, issues: int = 0, curated: int = 0) -> DocumentReport:
    return DocumentReport(
        facts.name, facts.kind, triples, len(facts.patients),
        sum(len(p.metastases) for p in facts.patients), sum(len(p.markers) for p in facts.patients),
        sum(len([t for t in p.treatments if t.kind != "diagnostic"]) for p in facts.patients),
        len(facts.study.statistics) if facts.study else 0, issues, curated,
    )


@dataclass(frozen=True)
class Source:
    """A file to read, with the name its documents take and the folder it was found in."""

    path: Path
    name: str
    root: str  # absolute folder given to ingest, "" for a file given by itself


def _walk(paths: Sequence[str | Path], follow_links: bool, errors: list[InputError]) -> list[Source]:
    """The files under ``paths``: names relative to the folder given (a file alone: its base name).

    A symlink that leads outside the folder being ingested is refused unless ``follow_links``.
    """
    out: list[Source] = []
    for item in paths:
        path = Path(item)
        if not path.exists():
            errors.append(InputError(path, "no such file or directory"))
            continue
        if not path.is_dir():
            out.append(Source(path, path.name, ""))
            continue
        root = path.resolve()
        found: list[Path] = []
        for folder, dirs, files in os.walk(path, followlinks=follow_links):
            kept = []
            for d in sorted(dirs):
                full = Path(folder) / d
                if d.startswith("."):
                    continue
                if full.is_symlink() and not follow_links:
                    if not full.resolve().is_relative_to(root):
                        errors.append(InputError(full, "a symlink that leads outside the folder being ingested "
                                                       "(use --follow-links to read it)"))
                    continue  # a link inside the folder: its target is walked anyway
                kept.append(d)
            dirs[:] = kept
            for f in files:
                full = Path(folder) / f
                if f.startswith("."):
                    continue
                if full.is_symlink() and not follow_links and not full.resolve().is_relative_to(root):
                    errors.append(InputError(full, "a symlink that leads outside the folder being ingested "
                                                   "(use --follow-links to read it)"))
                    continue
                found.append(full)
        for full in sorted(found, key=lambda p: p.relative_to(path).parts):
            out.append(Source(full, full.relative_to(path).as_posix(), str(root)))
    return out


@dataclass(frozen=True)
class Job:
    """What every document of one ingest is read and extracted with (each worker gets it once)."""

    index: Any  # TermIndex; None: each worker process loads the package's own (a cluster's workers)
    lexicon: Any  # Lexicon; likewise
    code: str  # code_digest()
    records: Mapping[str, DocumentRecord]  # the store's, by graph IRI, when the ingest began
    by_name: Mapping[str, DocumentRecord]
    by_source: Mapping[str, tuple[DocumentRecord, ...]]  # by the absolute path of the file read
    curation: tuple[CurationRow, ...]
    max_bytes: int
    name: str | None
    force: bool
    check: bool
    tables: bool = True  # make the documents' tables (oncograph.tables): the store keeps them


@dataclass(frozen=True)
class Ready:
    """A document read and extracted, for the writer: its quads as N-Quads (cheap to pass between processes)."""

    name: str
    path: str
    graph: str
    record: DocumentRecord
    nquads: bytes
    tables: bytes  # its materialised tables (oncograph.tables), N-Quads; the writer stamps them
    terms: frozenset[str]
    report: DocumentReport
    stale: tuple[str, ...]  # curation rows that no longer apply


@dataclass(frozen=True)
class Unchanged:
    """A document whose content, code and curation are those it was stored with."""

    name: str
    path: str


@dataclass(frozen=True)
class Refused:
    """A document that could not be extracted, or whose name the store holds for another file."""

    name: str
    path: str
    error: InputError


Outcome = Ready | Unchanged | Refused


def _serialised(quads: Iterable[ox.Quad]) -> bytes:
    out = io.BytesIO()
    ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
    return out.getvalue()


def nquads(graph: str, triples: Iterable[tuple[Any, Any, Any]]) -> bytes:
    """``triples`` in the named graph ``graph`` as N-Quads."""
    g = ox.NamedNode(graph)
    return _serialised(ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples)  # type: ignore[arg-type]


def in_order(job: Job, sources: Sequence[Source], jobs: int,
             dask: str | None = None) -> Iterator[list[Outcome | InputError]]:
    """What :func:`prepare` makes of each source, in the order of ``sources``: on ``jobs`` processes
    here, or on the Dask cluster whose scheduler is at ``dask``."""
    if dask is not None:
        from .cluster import ordered_map as on_cluster

        return on_cluster(prepare, replace(job, index=None, lexicon=None), sources, dask)
    return ordered_map(prepare, job, sources, jobs)


def code_digest() -> str:
    """A digest of the code and ontology that read documents: a change re-reads unchanged files."""
    from importlib import resources

    h = hashlib.sha256()

    def walk(folder: Any, prefix: str, suffixes: tuple[str, ...]) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir():
                if entry.name not in ("__pycache__", "web"):
                    walk(entry, f"{prefix}{entry.name}/", suffixes)
            elif entry.name.endswith(suffixes):
                h.update(f"{prefix}{entry.name}".encode() + b"\0" + entry.read_bytes())

    walk(resources.files("oncograph"), "", (".py",))
    walk(resources.files("oncograph.resources.ontology"), "ontology/", (".ttl", ".tsv", ".gz", ".json"))
    return h.hexdigest()[:32]


def _named(docs: list[Document], source: Source, explicit: str | None) -> list[Document]:
    """The documents of one file, renamed by their identity: NAME, or NAME#PMID for one article of many
    (the second article with the same PMID in a file is NAME#PMID-2, never a silent replacement)."""
    base = explicit or source.name
    out, seen = [], {}  # type: ignore[var-annotated]
    for doc in docs:
        suffix = doc.name.split("#", 1)[1] if "#" in doc.name else None
        name = base if suffix is None else f"{base}#{suffix}"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name}-{seen[name]}"
        out.append(replace(doc, name=name))
    return out


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[str], None] | None = None,
    name: str | None = None,
    sync: bool = False,
    force: bool = False,
    follow_links: bool = False,
    curation: Sequence[CurationRow] = (),
    check: bool = True,
    jobs: int = 1,
    dask: str | None = None,
) -> IngestReport:
    """Read, extract and store every document under ``paths``.

    Parameters
    ----------
    paths : iterable of path
        Files and folders (walked recursively, hidden names skipped).  A document is named by
        its path relative to the folder given (``a/report.txt``), or by its file name when the
        file is given by itself; two files that would take the same name are an error naming both.
    store : Store
        Where the graphs go; each document replaces its own named graph.
    max_bytes : int
        Larger files are refused unread.
    progress : callable, optional
        Called with each document's name once it is stored (or skipped as unchanged).
    name : str, optional
        The name of the one file given (instead of its file name).
    sync : bool
        For each folder given, also remove the documents once ingested from it whose files are gone.
    force : bool
        Re-read files whose content and code are unchanged (skipped by default).
    follow_links : bool
        Read symlinks that lead outside the folder being ingested (refused by default).
    curation : sequence of CurationRow
        Curation decisions (:mod:`oncograph.curation`) to apply to the documents they name; a
        document whose decisions changed is read again.  Rows that no longer apply are reported
        in ``IngestReport.warnings``.
    check : bool
        Check each document's facts against the data-quality rules (:mod:`oncograph.validate`)
        and record the issues in its graph (about 50 ms a document).
    jobs : int
        Worker processes that read and extract (:mod:`oncograph.parallel`); this process alone
        writes, in the order of the files, so the store is the same for any number of workers.
    dask : str, optional
        The address of a Dask scheduler (``tcp://host:8786``): read and extract on its workers
        instead (:mod:`oncograph.cluster`); they must read the files at the same paths.

    Returns
    -------
    IngestReport
    """
    paths = list(paths)
    report = IngestReport()
    sources = _walk(paths, follow_links, report.errors)
    if name is not None and len(sources) != 1:
        raise InputError(name, f"--name names one file; {len(sources)} were given")
    code = code_digest()
    source = ontology_source(code)
    vocab = None  # parsed only when the ontology must be loaded or a document stored
    if store.ontology_source() != source:
        vocab = vocabulary()
        store.ensure_ontology(load_ontology(), vocab, source=source)
    records = store.records()
    by_source: dict[str, tuple[DocumentRecord, ...]] = {}
    for r in records.values():
        by_source[r.source] = (*by_source.get(r.source, ()), r)
    job = Job(None, None, code, records, {r.name: r for r in records.values()}, by_source,
              tuple(curation), max_bytes, name, force, check, tables=hasattr(store, "write_tables"))
    outcomes_seen = _all_unchanged(job, sources)
    if outcomes_seen is None:  # something is read: the lexicon is loaded here once, for every worker
        job = replace(job, index=term_index(), lexicon=lexicon())
    claimed: dict[str, str] = {}  # name → the file that took it in this run
    for outcomes in (outcomes_seen if outcomes_seen is not None else in_order(job, sources, jobs, dask)):
        for item in outcomes:
            if isinstance(item, InputError):  # the file could not be read
                report.errors.append(item)
                continue
            first = claimed.setdefault(item.name, item.path)
            if first != item.path:
                report.errors.append(InputError(item.path, f"the name {item.name!r} is already taken by {first} "
                                                           "(give a folder, or --name, to tell them apart)"))
                continue
            if isinstance(item, Refused):
                report.errors.append(item.error)
                continue
            if isinstance(item, Ready):
                if vocab is None:
                    vocab = vocabulary()
                try:
                    store.add_terms(item.terms, vocab)
                    store.replace_graph_quads(item.graph, ox.parse(item.nquads, format=ox.RdfFormat.N_QUADS),
                                              item.record)
                    if job.tables:  # a SPARQL server keeps none: it answers its queries itself
                        store.write_tables(item.graph, ox.parse(item.tables, format=ox.RdfFormat.N_QUADS))
                except OncographError as exc:
                    report.errors.append(InputError(item.path, str(exc)))
                    continue
                report.documents.append(item.report)
                report.warnings.extend(item.stale)
            else:
                report.skipped.append(item.name)
            if progress is not None:
                progress(item.name)
    if sync:
        roots = {str(Path(p).resolve()) for p in paths if Path(p).is_dir()}
        for graph, rec in sorted(store.records().items()):
            if rec.root in roots and rec.name not in claimed:
                store.remove_graph(graph)
                report.removed.append(rec.name)
    store.flush()
    return report


def ontology_source(code: str) -> str:
    """What the store's ontology is current for: the code and resource files (``code``) and the versions of
    the two libraries that parse and load it. A store whose ontology came from the same need not parse it."""
    from importlib.metadata import version

    return f"{code}/pyoxigraph-{ox.__version__}/rdflib-{version('rdflib')}"


def _all_unchanged(job: Job, sources: Sequence[Source]) -> list[list[Outcome | InputError]] | None:
    """Every source's outcome when each is unchanged (its hash, code and curation as stored), else None.

    An unchanged ingest then costs a hash of each file: neither the lexicon nor the vocabulary is loaded
    (2-3 s), nor a worker started. The scan stops at the first file that must be read.
    """
    out: list[list[Outcome | InputError]] = []
    for source in sources:
        unchanged = _unchanged(job, source, str(source.path.resolve()), _file_hash(source.path, job.max_bytes))
        if not unchanged:
            return None
        out.append(list(unchanged))
    return out


def prepare(job: Job, source: Source) -> list[Outcome | InputError]:
    """Read one file and extract each of its documents (in a worker or in this process).

    A file whose bytes, code and curation are those its documents were stored with costs its hash:
    it is not parsed again.
    """
    source_abs = str(source.path.resolve())
    file_hash = _file_hash(source.path, job.max_bytes)
    unchanged = _unchanged(job, source, source_abs, file_hash)
    if unchanged:
        return list(unchanged)
    try:
        docs = _named(list(_read_one(source.path, job.max_bytes)), source, job.name)
    except InputError as exc:
        return [exc]
    return [_prepare_one(job, doc, source, source_abs, file_hash) for doc in docs]


def _file_hash(path: Path, max_bytes: int) -> str:
    try:
        if path.stat().st_size > max_bytes:
            return ""
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # the reader says why


def _code_for(job: Job, name: str) -> str:
    """The code hash a document of this name is stored with: the code, its curation rows, the checks."""
    rows = rows_for(job.curation, name)
    return job.code + (f"+{curation_digest(rows)}" if rows else "") + ("" if job.check else "-unchecked")


def _unchanged(job: Job, source: Source, source_abs: str, file_hash: str) -> tuple[Unchanged, ...]:
    """The documents of ``source`` as stored, when the file and everything that read it are unchanged."""
    if job.force or not file_hash:
        return ()
    named = job.name or source.name
    stored = sorted((r for r in job.by_source.get(source_abs, ()) if r.name == named
                     or r.name.startswith(named + "#")), key=lambda r: r.name)
    if not stored or any(r.file_hash != file_hash or r.code_hash != _code_for(job, r.name) for r in stored):
        return ()
    return tuple(Unchanged(r.name, str(source.path)) for r in stored)


def _prepare_one(job: Job, doc: Document, source: Source, source_abs: str, file_hash: str) -> Outcome:
    path = str(source.path)
    graph = str(graph_iri(doc.name))
    old = job.records.get(graph) or job.by_name.get(doc.name)
    if old is not None and old.source not in ("", source_abs) and old.content_hash != doc.content_hash:
        return Refused(doc.name, path, InputError(source.path, f"the name {doc.name!r} is already taken in the "
                                                               f"store by {old.source} (run `oncograph remove "
                                                               f"{doc.name}` first, or give --name)"))
    rows = rows_for(job.curation, doc.name)
    doc_code = _code_for(job, doc.name)
    if (not job.force and old is not None and old.content_hash == doc.content_hash
            and old.code_hash == doc_code and old.source == source_abs):
        return Unchanged(doc.name, path)
    try:
        facts = extract(doc, job.index if job.index is not None else term_index(),
                        job.lexicon if job.lexicon is not None else lexicon())
        triples = emit(facts, doc.metadata)
        applied, curated_terms, stale = 0, frozenset[str](), tuple[str, ...]()
        if rows:
            outcome = apply_curation(triples, rows, doc.name, doc.raw)
            triples, applied, curated_terms = outcome.triples, outcome.applied, outcome.terms
            stale = tuple(outcome.stale)
        issues = check_triples(triples) if job.check else []
        triples += quality_triples(document_iri(doc.name), issues)
    except OncographError as exc:
        return Refused(doc.name, path, InputError(doc.path, str(exc)))
    record = DocumentRecord(graph, doc.name, source_abs, source.root, doc.content_hash, doc_code, file_hash)
    g = ox.NamedNode(graph)
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples]  # type: ignore[arg-type]
    terms = frozenset(terms_used(facts) | curated_terms)
    tables = table_maker().rows(graph, quads, terms) if job.tables else []
    return Ready(doc.name, path, graph, record, _serialised(quads), _serialised(tables), terms,
                 _summary(facts, len(triples), len(issues), applied), stale)


def remove(names: Iterable[str], store: Store) -> list[str]:
    """Remove documents (by name, as ``ingest`` printed it) from the store; return the names removed.

    Raises
    ------
    InputError
        For a name that is not in the store (nothing is removed then).
    """
    records = {r.name: g for g, r in store.records().items()}
    graphs = {g for g in store.document_graphs()}
    wanted = list(dict.fromkeys(names))
    todo = []
    for n in wanted:
        graph = records.get(n) or (str(graph_iri(n)) if str(graph_iri(n)) in graphs else None)
        if graph is None:
            known = ", ".join(sorted(records)[:10])
            raise InputError(n, f"no such document in the store (it has: {known}{'…' if len(records) > 10 else ''})")
        todo.append((n, graph))
    for _, graph in todo:
        store.remove_graph(graph)
    store.flush()
    return [n for n, _ in todo]


def _read_one(path: Path, max_bytes: int) -> Iterator[Document]:
    for item in iter_documents([path], max_bytes=max_bytes):
        if isinstance(item, InputError):
            raise item
        yield item


def build(
    seeds: str | Path = "seeds",
    store: Store | None = None,
    dump: str | Path = "graph/oncograph.nq",
    progress: Callable[[str], None] | None = None,
    curation: Sequence[CurationRow] = (),
    jobs: int = 1,
) -> BuildReport:
    """Ingest the seed documents and write the canonical dump of what they yield.

    The dump holds the named graphs of the documents under ``seeds`` as sorted
    N-Quads, so two builds of the same seeds give byte-identical files.
    """
    from .store import DEFAULT_STORE

    folder = Path(seeds)
    if not folder.is_dir():
        raise InputError(folder, "no such folder of seed documents (the dump was not touched)")
    store = Store(DEFAULT_STORE) if store is None else store
    report = ingest([folder], store, progress=progress, sync=True, curation=curation, jobs=jobs)
    dest = Path(dump)
    if not report.ok:  # a failed build leaves the committed dump as it was
        return BuildReport(report, dest, 0)
    root = str(folder.resolve())
    graphs = [g for g, r in store.records().items() if r.root == root]
    n = store.dump_canonical(dest, graphs)
    return BuildReport(report, dest, n)
