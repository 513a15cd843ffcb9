"""The competency queries on the embedded store against Virtuoso 7, same data, same run.

    python benchmarks/bench_virtuoso.py [--quads 1000000 | --store DIR] [--runs 3] [--memory-mb 4000]

Builds an embedded store of generated reports (``benchmarks/corpus.py``, ingested without the
data-quality checks) until it holds QUADS quads, or takes the store at DIR; dumps it as N-Quads;
starts Virtuoso on loopback (:class:`oncograph.virtuoso.LocalVirtuoso`) and bulk-loads the dump
(timed); then runs every query of the library on both, warm (one run each first), RUNS times, and
prints the median (p50), the spread (min–max) and the ratio embedded / Virtuoso for each, with the
number of rows of both (they must agree), then the same for the networkx conversion behind
``oncograph analyze``.  Needs Debian's ``virtuoso-opensource-7``.

Not run by the tests: timings belong in benchmarks, never in timed tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from bench_queries import TABLES, _grow  # type: ignore[import-not-found]

from oncograph.analysis import store_to_networkx
from oncograph.parallel import available_cores
from oncograph.query import list_queries, run_query
from oncograph.remote import RemoteStore
from oncograph.store import Store
from oncograph.virtuoso import LocalVirtuoso, virtuoso_installed


def _time(func: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    result = func()  # warm: the first run fills the caches of both engines
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        out.append(time.perf_counter() - start)
    return out, result


def _row(name: str, mine: list[float], theirs: list[float], rows: str, budget: str) -> str:
    a, b = statistics.median(mine), statistics.median(theirs)
    return (f"{name:<28}{a * 1000:9.0f}ms {min(mine) * 1000:6.0f}–{max(mine) * 1000:<6.0f}"
            f"{b * 1000:9.0f}ms {min(theirs) * 1000:6.0f}–{max(theirs) * 1000:<6.0f}{a / b:8.2f}×  {rows:<14}{budget}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quads", type=int, default=1_000_000)
    ap.add_argument("--store", type=Path, help="an embedded store to use instead of building one")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--memory-mb", type=int, default=4000, help="Virtuoso's buffer pool")
    ap.add_argument("--jobs", type=int, default=available_cores())
    args = ap.parse_args()
    reason = virtuoso_installed()
    if reason:
        sys.exit(f"bench_virtuoso: {reason}")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store
        if path is None:
            path, docs = Path(tmp) / "store", Path(tmp) / "docs"
            docs.mkdir()
            building = Store(path)
            _grow(building, docs, args.quads, 0, args.jobs)
            del building
        store = Store(path, read_only=True)
        dump = Path(tmp) / "load" / "all.nq"
        dump.parent.mkdir()
        start = time.perf_counter()
        store.oxigraph.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        dump_s = time.perf_counter() - start
        quads = len(store)
        with LocalVirtuoso(Path(tmp) / "virtuoso", memory_mb=args.memory_mb, allowed=[dump.parent]) as server:
            start = time.perf_counter()
            server.bulk_load([dump])
            load_s = time.perf_counter() - start
            remote = RemoteStore(server.url, timeout=3600)
            print(f"{quads:,} quads; N-Quads dump {dump_s:.1f} s; Virtuoso bulk load {load_s:.1f} s "
                  f"({quads / load_s:,.0f} quads/s); {args.runs} warm runs each")
            print(f"{'query (p50, ms)':<28}{'embedded':>11} {'spread':>13}{'Virtuoso':>11} {'spread':>13}"
                  f"{'ratio':>9}  {'rows':<14}budget (embedded)")
            for q in list_queries():
                mine, a = _time(lambda q=q: run_query(store, q), args.runs)  # type: ignore[misc]
                theirs, b = _time(lambda q=q: run_query(remote, q), args.runs)  # type: ignore[misc]
                rows = f"{len(a.rows)}" if sorted(a.rows) == sorted(b.rows) else f"{len(a.rows)}≠{len(b.rows)}"
                print(_row(q.name, mine, theirs, rows, "≤ 300 ms" if q.name in TABLES else "≤ 500 ms"), flush=True)
            mine, g = _time(lambda: store_to_networkx(store), max(1, args.runs // 2))
            theirs, h = _time(lambda: store_to_networkx(remote), max(1, args.runs // 2))
            same = dict(g.nodes(data=True)) == dict(h.nodes(data=True)) and \
                sorted(g.edges(keys=True)) == sorted(h.edges(keys=True))
            print(_row("networkx graph (analyze)", mine, theirs,
                       f"{g.number_of_nodes()} nodes" + ("" if same else " ≠"), "≤ 5 s"))


if __name__ == "__main__":
    main()
