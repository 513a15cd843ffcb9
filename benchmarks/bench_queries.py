"""Growth of the competency queries with the data, on stores that ``oncograph ingest`` builds itself.

    python benchmarks/bench_queries.py [--small 100000] [--large 1000000] [--runs 5] [--jobs N]

Generates reports (``benchmarks/corpus.py``) and ingests them (without the data-quality checks, as a
bulk load would) into one on-disk store until it holds SMALL quads, times every query of the library
there (and each per-patient table for RUNS patients spread over the store, ``--param patient``), goes on
ingesting until it holds LARGE quads, and times them again; ``oncograph analyze network``
is timed at both sizes in a fresh process, converting the store (``--fresh``) and from the snapshot of
its analysis graph (``oncograph.analysis.snapshot``) that the run before wrote. For each it prints the
median (p50) and the spread (min–max) of RUNS runs and the growth factor against the growth of the data
(issue 12: no query may grow more than 12× for 10× the data; at 1 M quads, per-patient tables ≤ 300 ms,
semantic queries ≤ 500 ms, ``analyze network`` ≤ 5 s).

Not run by the tests: timings belong in benchmarks, never in timed tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate  # type: ignore[import-not-found]

from oncograph.parallel import available_cores
from oncograph.pipeline import ingest
from oncograph.query import list_queries, run_query
from oncograph.store import Store

#: the per-patient tables of the issue; every other query of the library counts as a semantic one
TABLES = ("patients", "primary-tumors", "metastases", "markers", "treatments", "evidence", "findings")


def _grow(store: Store, folder: Path, target: int, start: int, jobs: int, batch: int = 200) -> int:
    """Ingest generated reports until the store holds ``target`` quads; the next report number."""
    number = start
    reports = generate(10_000_000, seed=7)
    for _ in range(number):
        next(reports)
    per_report = 0.0
    while len(store) < target:
        chunk = folder / f"chunk-{number:07d}"
        chunk.mkdir()
        size, before = len(store), number
        todo = batch if not per_report else max(10, min(batch, int((target - size) / per_report) + 1))
        for _ in range(todo):
            name, text = next(reports)
            (chunk / name).write_text(text, encoding="utf-8")
            number += 1
        ingest([chunk], store, check=False, jobs=jobs)
        if size:  # the first chunk also loads the ontology: it tells nothing of a report's size
            per_report = (len(store) - size) / (number - before)
    return number


def _time(func, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        out.append(time.perf_counter() - start)
    return out


def _measure(path: Path, runs: int) -> dict[str, list[float]]:
    store = Store(path, read_only=True)
    times = {}
    for q in list_queries():
        times[q.name] = _time(lambda q=q: run_query(store, q), runs)  # type: ignore[misc]
    patients = [row[0] for row in run_query(store, "patients").rows]
    for name in TABLES:  # what a researcher asks of one patient: RUNS patients spread over the store
        chosen = iter(patients[i * len(patients) // runs] for i in range(runs))
        times[f"{name} (one patient)"] = _time(
            lambda name=name, chosen=chosen: run_query(store, name, {"patient": next(chosen)}), runs)  # type: ignore[misc]
    cmd = [sys.executable, "-m", "oncograph", "-q", "analyze", "network", "--store", str(path)]
    with tempfile.TemporaryDirectory() as cache:  # a cache of this run's own: the first run converts
        env = {**os.environ, "ONCOGRAPH_CACHE": cache}
        times["analyze network --fresh"] = _time(
            lambda: subprocess.run([*cmd, "--fresh"], check=True, capture_output=True, env=env), max(1, runs // 2))
        subprocess.run(cmd, check=True, capture_output=True, env=env)  # writes the snapshot
        times["analyze network"] = _time(lambda: subprocess.run(cmd, check=True, capture_output=True, env=env),
                                         max(1, runs // 2))
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", type=int, default=100_000)
    ap.add_argument("--large", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=available_cores())
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path, docs = Path(tmp) / "store", Path(tmp) / "docs"
        docs.mkdir()
        store = Store(path)
        n = _grow(store, docs, args.small, 0, args.jobs)
        small_quads = len(store)
        del store
        small = _measure(path, args.runs)
        store = Store(path)
        start = time.perf_counter()
        n2 = _grow(store, docs, args.large, n, args.jobs)
        grow_s = time.perf_counter() - start
        large_quads = len(store)
        del store
        large = _measure(path, args.runs)
        disk = sum(f.stat().st_size for f in path.iterdir())
    data = large_quads / small_quads
    print(f"small: {small_quads:,} quads ({n:,} reports); large: {large_quads:,} quads ({n2:,} reports); "
          f"data grew {data:.1f}× ({n2 / n:.1f}× the reports: the ontology and terms are a larger share of the "
          "small store)")
    print(f"ingest of the last {n2 - n:,} reports: {grow_s:.0f} s ({(n2 - n) / grow_s:.0f} reports/s); "
          f"disk {disk / large_quads:.0f} B a quad")
    print(f"{'query':<28}{'p50 small':>11}{'p50 large':>11}{'spread large':>16}{'growth':>9}  budget")
    for name in small:
        s, big = statistics.median(small[name]), statistics.median(large[name])
        table = name.removesuffix(" (one patient)") in TABLES
        budget = "≤ 5 s" if name.startswith("analyze network") else ("≤ 300 ms" if table else "≤ 500 ms")
        print(f"{name:<28}{s * 1000:9.0f}ms{big * 1000:9.0f}ms{min(large[name]) * 1000:8.0f}–"
              f"{max(large[name]) * 1000:.0f}ms{big / s:8.1f}×  {budget}, growth ≤ {1.2 * data:.0f}×")


if __name__ == "__main__":
    main()
