"""A snapshot of the analysis graph, kept until the store changes.

Turning a store into the networkx graph of the analyses (:func:`~oncograph.analysis.convert.store_to_networkx`)
reads every patient, fact and link: at a million quads the on-disk store spends about 14 s decoding the
half a million rows the conversion needs, far more than any analysis then takes on the graph. Researchers
run several analyses on the same store (a network, then timelines of a region, then co-occurrence), so the
graph and the readable labels are written once to the cache folder (``$ONCOGRAPH_CACHE``, else
``~/.cache/oncograph``) and read back (about 1 s at a million quads) while the store is unchanged.

The store is unchanged when its files are: every committed write of the embedded store appends to its
write-ahead log or replaces its table files, so the names, sizes and modification times of the files of
the folder (not its ``LOG`` diary or ``LOCK``) are a fingerprint that changes with every write. A
read-only open changes none of them; a read-write open, even one that writes nothing, starts a new log
and so costs one rebuild, never a stale answer. An in-memory store or a remote server has no such
fingerprint and is always converted afresh. The snapshot also names the oncograph version and the code
of the conversion, so a changed conversion rebuilds it.

The snapshot is a pickle in the user's own cache folder, read only by the user who wrote it; a snapshot
that cannot be read (cut short, from another Python) is rebuilt. At most :data:`KEEP` snapshots are kept,
the least recently used removed first.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
from pathlib import Path
from typing import Any

import networkx as nx

from ..collector import paused

__all__ = ["KEEP", "analysis_graph", "snapshot_path", "store_fingerprint"]

log = logging.getLogger(__name__)

#: how many snapshots (one per store folder) the cache folder keeps
KEEP = 8
_FORMAT = 1


def store_fingerprint(store: Any) -> str | None:
    """What changes with every write to an on-disk embedded store; ``None`` for any other store."""
    from ..store import Store

    path = getattr(store, "path", None)
    if not isinstance(store, Store) or path is None:
        return None
    h = hashlib.sha256()
    try:
        entries = sorted((e.name, e.stat()) for e in os.scandir(path) if not e.name.startswith(("LOG", "LOCK")))
    except OSError:
        return None
    for name, st in entries:
        h.update(f"{name}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _code_key() -> str:
    from .. import __version__
    from ..query import load_query

    h = hashlib.sha256(f"{_FORMAT}\t{__version__}\n".encode())
    h.update(Path(__file__).with_name("convert.py").read_bytes())
    for name in ("analysis-individuals", "analysis-edges", "analysis-terms", "analysis-readable-labels"):
        h.update(load_query(name).text.encode())
    return h.hexdigest()


def _cache_folder() -> Path | None:
    env = os.environ.get("ONCOGRAPH_CACHE")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "oncograph"
    folder = base / "analysis"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def snapshot_path(store: Any) -> Path | None:
    """Where the snapshot of ``store``'s analysis graph is kept (``None`` when it cannot have one)."""
    path = getattr(store, "path", None)
    folder = _cache_folder()
    if path is None or folder is None or store_fingerprint(store) is None:
        return None
    name = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:20]
    return folder / f"{name}.pickle"


def _read(path: Path, key: str, fingerprint: str) -> tuple[nx.MultiDiGraph, dict[str, str]] | None:
    try:
        with path.open("rb") as fh, paused():
            found = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # cut short, another Python, another networkx: rebuild
        log.debug("%s: snapshot not readable (%s); rebuilding", path, exc)
        return None
    if not isinstance(found, dict) or found.get("key") != key or found.get("fingerprint") != fingerprint:
        return None
    graph, labels = found.get("graph"), found.get("labels")
    if not isinstance(graph, nx.MultiDiGraph) or not isinstance(labels, dict):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    return graph, labels


def _write(path: Path, payload: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:  # a full or read-only cache costs speed, never the analysis
        log.debug("%s: snapshot not written (%s)", path, exc)
        tmp.unlink(missing_ok=True)
        return
    snapshots = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in snapshots[KEEP:]:
        old.unlink(missing_ok=True)


def analysis_graph(store: Any, *, cache: bool = True) -> tuple[nx.MultiDiGraph, dict[str, str]]:
    """The analysis graph of ``store`` and the readable label of its patients and documents.

    Read from the snapshot when the store is unchanged since it was written, else converted
    (:func:`~oncograph.analysis.convert.store_to_networkx`, :func:`~oncograph.query.readable_labels`)
    and, for an on-disk embedded store, written as the new snapshot. ``cache=False`` converts afresh
    and leaves the snapshot alone. The graph is the caller's own: changing it changes no snapshot.
    """
    from ..query import readable_labels
    from .convert import store_to_networkx

    path = snapshot_path(store) if cache else None
    fingerprint = store_fingerprint(store) if path is not None else None
    key = _code_key() if path is not None else ""
    if path is not None and fingerprint is not None:
        found = _read(path, key, fingerprint)
        if found is not None:
            log.info("%s: analysis graph from the snapshot %s", getattr(store, "path", ""), path)
            return found
    with paused():
        graph = store_to_networkx(store)
        labels = readable_labels(store)
    if path is not None and fingerprint is not None and store_fingerprint(store) == fingerprint:
        _write(path, {"key": key, "fingerprint": fingerprint, "graph": graph, "labels": labels})
    return graph, labels
