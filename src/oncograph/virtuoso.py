"""OpenLink Virtuoso 7 as the store: a throwaway server on loopback, and its bulk loader.

:class:`~oncograph.remote.RemoteStore` talks to Virtuoso through ``http://host:8890/sparql``
(it recognises the server by its ``Server:`` header and writes graphs through
``/sparql-graph-crud``).  This module adds what HTTP does not do:

- :class:`LocalVirtuoso` starts ``virtuoso-t`` (Debian package ``virtuoso-opensource-7``) on free
  loopback ports with a database in a folder of its own, lets the anonymous SPARQL user update
  (``SPARQL_UPDATE`` and graph write permissions: loopback only), and stops it.  The tests and
  ``benchmarks/bench_virtuoso.py`` use it; it is also the quickest way to try oncograph on Virtuoso.
- :func:`bulk_load` loads N-Quads files (``oncograph export --format nquads``, or the shards of
  ``ingest --shards``) with Virtuoso's bulk loader (``ld_dir`` + ``rdf_loader_run`` through
  ``isql-vt``), the way to put millions of quads into it: each quad keeps its graph.

``ResultSetMaxRows`` (10,000 by default in Debian's ``virtuoso.ini``) cuts every larger answer
and says so only in an ``X-SPARQL-MaxRows`` header; :class:`~oncograph.remote.RemoteStore`
turns that into a :class:`~oncograph.errors.StoreError`.  :class:`LocalVirtuoso` sets it to
``max_rows`` (10 M by default).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from .errors import StoreError

__all__ = ["LocalVirtuoso", "bulk_load", "isql", "virtuoso_installed"]

SERVER, ISQL = "virtuoso-t", "isql-vt"


def virtuoso_installed() -> str | None:
    """Why Virtuoso cannot be started here, or None when ``virtuoso-t`` and ``isql-vt`` are on the PATH."""
    missing = [exe for exe in (SERVER, ISQL) if shutil.which(exe) is None]
    if missing:
        return (f"{' and '.join(missing)} not found: Virtuoso 7 is not installed "
                "(Debian: apt-get install virtuoso-opensource-7)")
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def isql(port: int, sql: str, *, user: str = "dba", password: str = "dba", timeout: float = 3600.0) -> str:
    """Run SQL statements (``;``-separated) through ``isql-vt``; its output, or a StoreError with its message."""
    exe = shutil.which(ISQL)
    if exe is None:
        raise StoreError(f"{ISQL} not found: Virtuoso 7 is not installed (Debian: apt-get install "
                         "virtuoso-opensource-7)")
    try:
        done = subprocess.run([exe, f"127.0.0.1:{port}", user, password, "VERBOSE=OFF", "PROMPT=OFF",
                               "BANNER=OFF", f"EXEC={sql}"], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise StoreError(f"isql on port {port}: no answer within {timeout:g} s") from exc
    out = done.stdout + done.stderr
    errors = [line for line in out.splitlines() if line.startswith("*** Error")]
    if done.returncode != 0 or errors:
        reason = (errors[0] if errors else out.strip().splitlines()[-1:] or ["exit code " + str(done.returncode)])
        raise StoreError(f"isql on port {port}: {''.join(reason)[:300]}")
    return out


def bulk_load(files: Iterable[str | Path], port: int, *, user: str = "dba", password: str = "dba") -> int:
    """Load N-Quads files with Virtuoso's bulk loader (each quad into its own graph); the number of files.

    The server must allow reading their folders (``DirsAllowed`` in ``virtuoso.ini``; :class:`LocalVirtuoso`
    allows its own folder and the folders given to it).  A file the loader refuses is a StoreError
    naming it and Virtuoso's reason; the files loaded before it stay loaded.
    """
    paths = [Path(f).resolve() for f in files]
    for path in paths:
        if not path.is_file():
            raise StoreError(f"{path}: no such N-Quads file")
        if not path.name.endswith(".nq"):
            raise StoreError(f"{path}: not an N-Quads file (.nq): the bulk loader reads N-Quads here")
    if not paths:
        return 0
    names = ", ".join(_sql_string(str(p)) for p in paths)
    registered = ";".join(f"ld_dir({_sql_string(str(p.parent))}, {_sql_string(p.name)}, 'urn:oncograph:unused')"
                          for p in paths)
    isql(port, f"DELETE FROM DB.DBA.load_list WHERE ll_file IN ({names}); {registered}; rdf_loader_run(); "
               "checkpoint;", user=user, password=password)
    out = isql(port, f"SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_file IN ({names}) "
                     "AND ll_error IS NOT NULL;", user=user, password=password)
    failed = [line.strip() for line in out.splitlines() if line.strip().startswith("/")]
    if failed:
        raise StoreError(f"Virtuoso's bulk loader refused {' '.join(failed[0].split())[:300]}")
    return len(paths)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {dirs}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 2G
ThreadsPerQuery = {threads}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 3600
MaxQueryCostEstimationTime = 3600
"""


class LocalVirtuoso:
    """A Virtuoso 7 server on loopback for tests and benchmarks: ``with LocalVirtuoso(folder) as v: v.url``.

    Parameters
    ----------
    folder : Path
        Where the database goes (created; a database already there is reopened).
    max_rows : int
        ``ResultSetMaxRows``: answers longer than this are cut (and RemoteStore says so).
    memory_mb : int
        The buffer pool (Virtuoso's advice: about two thirds of the memory it may use).
    allowed : iterable of paths
        More folders the bulk loader may read.
    """

    def __init__(self, folder: str | Path, *, max_rows: int = 10_000_000, memory_mb: int = 2000,
                 allowed: Iterable[str | Path] = (), start_timeout: float = 60.0) -> None:
        reason = virtuoso_installed()
        if reason:
            raise StoreError(reason)
        self.folder = Path(folder).resolve()
        self.max_rows, self.memory_mb, self.start_timeout = max_rows, memory_mb, start_timeout
        self.allowed = [Path(a).resolve() for a in allowed]
        self.sql_port = self.http_port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The SPARQL endpoint (``http://127.0.0.1:PORT/sparql``), what ``--store`` takes."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def start(self) -> LocalVirtuoso:
        """Write the configuration, start the server, wait for its SPARQL endpoint, open it to updates."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = _free_port(), _free_port()
        buffers = max(10_000, self.memory_mb * 1024 // 8 * 2 // 3)  # 8 kB pages
        vsp = Path("/var/lib/virtuoso-opensource-7/vsp")
        ini = self.folder / "virtuoso.ini"
        ini.write_text(_INI.format(db=self.folder, sql_port=self.sql_port, http_port=self.http_port,
                                   dirs=", ".join(str(d) for d in [Path("."), self.folder, *self.allowed]),
                                   buffers=buffers, dirty=buffers * 3 // 4, threads=os.cpu_count() or 1,
                                   vsp=vsp if vsp.is_dir() else self.folder, max_rows=self.max_rows),
                       encoding="utf-8")
        log = (self.folder / "server.log").open("ab")
        self._proc = subprocess.Popen([shutil.which(SERVER) or SERVER, "+foreground", "+configfile", str(ini)],
                                      cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        end = time.monotonic() + self.start_timeout
        while True:
            try:
                urllib.request.urlopen(self.url + "?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError as exc:
                if self._proc.poll() is not None or time.monotonic() > end:
                    self.stop()
                    tail = (self.folder / "virtuoso.log").read_text(errors="replace").strip().splitlines()[-1:] \
                        if (self.folder / "virtuoso.log").exists() else []
                    raise StoreError(f"{self.folder}: Virtuoso did not start: {''.join(tail) or exc}") from exc
                time.sleep(0.2)
        try:
            self._grant()
        except BaseException:
            self.stop()
            raise
        return self

    def _grant(self) -> None:
        """Let the anonymous SPARQL user update and write graphs (loopback only), once per database."""
        try:
            self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        except StoreError as exc:
            if "already have role" not in str(exc):
                raise
        self.isql("DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 7);")

    def isql(self, sql: str) -> str:
        """Run SQL on this server as ``dba``."""
        return isql(self.sql_port, sql)

    def bulk_load(self, files: Iterable[str | Path]) -> int:
        """:func:`bulk_load` into this server."""
        return bulk_load(files, self.sql_port)

    def stop(self) -> None:
        """Checkpoint and stop the server (killed if it has not stopped within 60 s)."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            isql(self.sql_port, "shutdown;", timeout=60)
        except StoreError:
            proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def __enter__(self) -> LocalVirtuoso:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
