"""Ingest peak memory and time against the size of the store it writes into (issue 12).

    python benchmarks/bench_memory.py [--large 1000000] [--batch 300] [--check]

Builds, in one run, an empty store and a store of LARGE quads of generated reports
(``benchmarks/corpus.py``, ingested without the data-quality checks), then ingests the same BATCH new
reports into each in a fresh ``oncograph ingest`` process (``--no-check`` unless ``--check``) and
ingests them again unchanged (only hashes). For each it prints the peak resident set (the process's
own ``ru_maxrss``), the wall time and the ratio large/empty: the goal is a peak independent of the
store's size (ratio ≈ 1).

Not run by the tests: timings belong in benchmarks, never in timed tests.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate, write  # type: ignore[import-not-found]

from oncograph.pipeline import ingest
from oncograph.store import Store

_CHILD = ("import resource, sys\n"
          "from oncograph.cli import main\n"
          "sys.argv = ['oncograph', *sys.argv[1:]]\n"
          "try:\n    main()\n"
          "finally:\n    print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")


def _ingest(folder: Path, store: Path, check: bool) -> tuple[float, float]:
    """Seconds and peak MB of one ``oncograph ingest`` process."""
    cmd = [sys.executable, "-c", _CHILD, "-q", "ingest", str(folder), "--store", str(store), "--jobs", "1"]
    if not check:
        cmd.append("--no-check")
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"ingest into {store} failed: {done.stderr.strip()}")
    line = [x for x in done.stderr.splitlines() if x.startswith("maxrss ")][-1]
    return seconds, int(line.split()[1]) / 1024  # kB on Linux


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--large", type=int, default=1_000_000, help="quads in the large store")
    ap.add_argument("--batch", type=int, default=300, help="new reports ingested into both stores")
    ap.add_argument("--check", action="store_true", help="ingest the batch with the data-quality checks")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        empty, large, docs, batch = root / "empty", root / "large", root / "docs", root / "batch"
        for folder in (docs, batch):
            folder.mkdir()
        Store(empty).flush()
        store, reports = Store(large), generate(10_000_000, seed=7)
        start, n = time.perf_counter(), 0
        while len(store) < args.large:
            chunk = docs / f"chunk-{n:07d}"
            chunk.mkdir()
            for _ in range(500):
                name, text = next(reports)
                (chunk / name).write_text(text, encoding="utf-8")
                n += 1
            ingest([chunk], store, check=False)
        quads = len(store)
        store.flush()
        del store
        print(f"large store: {quads:,} quads from {n:,} reports in {time.perf_counter() - start:.0f} s")
        write(batch, args.batch, seed=11)
        for path in list(batch.iterdir()):  # names of their own: new documents in both stores
            path.rename(batch / f"batch-{path.name}")
        rows = []
        for what in ("new", "unchanged"):
            a = _ingest(batch, empty, args.check)
            b = _ingest(batch, large, args.check)
            rows.append((what, a, b))
    print(f"{'ingest of ' + str(args.batch) + ' reports':<28}{'empty store':>20}{'large store':>20}{'ratio':>14}")
    for what, (ta, ma), (tb, mb) in rows:
        print(f"{what:<28}{ta:8.1f} s {ma:7.0f} MB{tb:8.1f} s {mb:7.0f} MB{tb / ta:6.2f}× {mb / ma:5.2f}×")
    print("goal: peak memory independent of the store's size (ratio ≈ 1.00×)")


if __name__ == "__main__":
    main()
