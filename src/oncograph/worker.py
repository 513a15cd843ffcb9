"""The endpoint's query workers: each query runs in a process that the server can kill.

pyoxigraph cannot cancel a running query from Python, so the server
(:mod:`oncograph.server`) hands every query and update to a worker process and
kills that process when the query passes its time or memory limit; nothing of
the query then keeps running, and an update that was killed was never committed
(each update is one oxigraph transaction).

A worker opens the on-disk store read-only and re-opens it whenever the store's
files changed, so each query sees every ingest committed before it started
(a read-only handle is a snapshot of the moment it was opened).  Updates open the
store read-write for the time of the update, so the store's lock orders them with
any ``oncograph ingest`` running beside the server.

This module imports only pyoxigraph and the serialisers: a new worker starts in a
fraction of a second.
"""

from __future__ import annotations

import os
import re
import signal
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .results import (
    FORMAT_ALIASES,
    GRAPH_MEDIA,
    GRAPH_TYPES,
    SELECT_MEDIA,
    SELECT_TYPES,
    NotAcceptable,
    negotiate,
    serialize_boolean,
    serialize_graph,
    serialize_select,
)
from .tables import TABLES_GRAPH

__all__ = ["Answer", "Job", "execute", "store_signature", "worker_main"]


@dataclass(frozen=True)
class Job:
    """One query or update for a worker."""

    kind: str  # "query" or "update"
    sparql: str
    accept: str = ""
    format: str = ""  # the format=/output= parameter, if any
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000
    partial: bool = False  # send the first max_rows rows of a longer result instead of refusing it
    prefixes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """A worker's answer: an HTTP status, a content type and a body (or a one-line error)."""

    status: int
    content_type: str
    body: bytes
    truncated: bool = False


def _error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message.replace("\n", " ") + "\n").encode("utf-8"))


def store_signature(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the store's files: changes with every committed write."""
    try:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(path)))
    except OSError:
        return ()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|\\^`]*")


def _iri(value: str) -> ox.NamedNode:
    if not _IRI.fullmatch(value):
        raise ValueError(f"not an absolute IRI: {value[:100]!r}")
    return ox.NamedNode(value)


def _graphs(job: Job) -> dict[str, Any]:
    from .sparqlcheck import inspect_sparql

    # the default graph is the union of all graphs, unless the request (default-graph-uri,
    # named-graph-uri) or the query itself (FROM, FROM NAMED) says which graphs to use
    own_dataset = "FROM" in inspect_sparql(job.sparql).keywords
    kwargs: dict[str, Any] = {"use_default_graph_as_union": not (job.default_graphs or job.named_graphs
                                                                  or own_dataset)}
    if job.default_graphs:
        kwargs["default_graph"] = [_iri(g) for g in job.default_graphs]
    if job.named_graphs:
        kwargs["named_graphs"] = [_iri(g) for g in job.named_graphs]
    return kwargs


def execute(store: ox.Store, job: Job) -> Answer:
    """Run a query ``job`` on ``store`` and serialise its answer (in this process)."""
    if job.format and job.format.lower() not in FORMAT_ALIASES:
        return _error(400, f"unknown format {job.format[:60]!r}; use json, xml, csv, tsv, turtle, ntriples, "
                           "jsonld or rdfxml")
    try:
        kwargs = _graphs(job)
    except ValueError as exc:
        return _error(400, f"default-graph-uri / named-graph-uri must be absolute IRIs: {_first_line(exc)}")
    try:
        result = store.query(job.sparql, **kwargs)
    except SyntaxError as exc:
        return _error(400, f"malformed SPARQL: {_first_line(exc)}")
    except (OSError, RuntimeError, ValueError) as exc:
        return _error(400, f"query failed: {_first_line(exc)}")
    alias = FORMAT_ALIASES.get(job.format.lower()) if job.format else None
    try:
        if isinstance(result, ox.QueryBoolean):
            fmt = alias[0] if alias else negotiate(job.accept, SELECT_TYPES, "json")
            return Answer(200, SELECT_MEDIA[fmt], serialize_boolean(bool(result), fmt))
        if isinstance(result, ox.QuerySolutions):
            fmt = alias[0] if alias else negotiate(job.accept, SELECT_TYPES, "json")
            variables = [v.value for v in result.variables]
            rows: list[list[Any]] = []
            truncated = False
            for sol in result:
                if len(rows) >= job.max_rows:
                    truncated = True
                    break
                rows.append([sol[v] for v in variables])
            if truncated and not job.partial:
                return _error(422, f"the result has more than {job.max_rows} rows, the limit of this endpoint: "
                                   f"add LIMIT {job.max_rows} (and OFFSET to page), or ask with partial=true "
                                   "for the first rows")
            return Answer(200, SELECT_MEDIA[fmt], serialize_select(variables, rows, fmt), truncated)
        fmt = alias[1] if alias else negotiate(job.accept, GRAPH_TYPES, "turtle")
        triples: list[ox.Triple] = []
        truncated = False
        for t in result:
            if len(triples) >= job.max_rows:
                truncated = True
                break
            triples.append(t)
        if truncated and not job.partial:
            return _error(422, f"the graph has more than {job.max_rows} triples, the limit of this endpoint: "
                               "add LIMIT, or ask with partial=true for the first triples")
        return Answer(200, GRAPH_MEDIA[fmt], serialize_graph(triples, fmt, job.prefixes), truncated)
    except NotAcceptable as exc:
        return _error(406, str(exc))
    except (OSError, RuntimeError, ValueError, SyntaxError) as exc:
        return _error(400, f"query failed: {_first_line(exc)}")


def _update(path: Path, job: Job) -> Answer:
    try:
        store = ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            return Answer(503, "text/plain; charset=utf-8",
                          b"the store is being written by another process (an ingest?); retry later\n")
        return _error(500, f"cannot open the store for writing: {_first_line(exc)}")
    try:
        # the documents' materialised tables (oncograph.tables) may no longer match what the update leaves:
        # dropped first, so a crash between the two leaves none rather than stale ones; queries run again
        store.update(f"DROP SILENT GRAPH {TABLES_GRAPH}")
        store.update(job.sparql)
        store.flush()
    except SyntaxError as exc:
        return _error(400, f"malformed SPARQL update: {_first_line(exc)}")
    except (OSError, RuntimeError, ValueError) as exc:
        return _error(400, f"update failed: {_first_line(exc)}")
    finally:
        del store
    return Answer(204, "text/plain; charset=utf-8", b"")


def worker_main(inbox: Connection, outbox: Connection, path: str) -> None:
    """The loop of a worker process: receive a :class:`Job`, send an :class:`Answer`, until ``None`` or EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    store_path = Path(path)
    store: ox.Store | None = None
    seen: tuple[tuple[str, int, int], ...] = ()
    while True:
        try:
            job = inbox.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        if job.kind == "update":
            store = None  # a read-write handle is opened by _update; drop the snapshot
            answer = _update(store_path, job)
        else:
            now = store_signature(store_path)
            if store is None or now != seen:
                try:
                    store, seen = ox.Store.read_only(str(store_path)), now
                except OSError as exc:
                    answer = _error(503, f"cannot open the store: {_first_line(exc)}")
                    outbox.send(answer)
                    store = None
                    continue
            answer = execute(store, job)
        try:
            outbox.send(answer)
        except (OSError, ValueError):
            return


if __name__ == "__main__":  # python -m oncograph.worker STORE READ_FD WRITE_FD (started by the server)
    import sys

    from oncograph.worker import worker_main as _main  # the module's own classes, not __main__'s

    _main(Connection(int(sys.argv[2]), writable=False), Connection(int(sys.argv[3]), readable=False),
                sys.argv[1])
