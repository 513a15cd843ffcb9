"""Ingest throughput, measured against a baseline taken in the same run.

    python benchmarks/bench_ingest.py [--copies 200]

Makes COPIES renamed copies of every document in seeds/ in a temporary folder,
then times, on the same machine in the same process:

- baseline: reading and normalising the files (``oncograph.read``), the floor any
  extractor pays;
- extract: reading + extraction (segment, recognise, relate, study);
- ingest: reading + extraction + emit + an on-disk pyoxigraph store.

It prints documents per second and each stage's cost as a ratio to the baseline.
Not run by the tests: timings belong in benchmarks, never in timed tests.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from oncograph.extract import extract
from oncograph.pipeline import ingest
from oncograph.read import iter_documents
from oncograph.recognise import lexicon
from oncograph.store import Store
from oncograph.terms import term_index


def _timed(func) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=200)
    ap.add_argument("--seeds", default="seeds")
    args = ap.parse_args()
    index, lex = term_index(), lexicon()  # built once, outside the timings
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for src in sorted(Path(args.seeds).iterdir()):
            for i in range(args.copies):
                shutil.copy(src, folder / f"{i:05d}_{src.name}")
        n = sum(1 for _ in folder.iterdir())

        def read_only() -> None:
            for doc in iter_documents([folder]):
                assert not isinstance(doc, Exception)

        def read_extract() -> None:
            for doc in iter_documents([folder]):
                assert not isinstance(doc, Exception)
                extract(doc, index, lex)

        def full() -> None:
            report = ingest([folder], Store(Path(tmp) / "store"))
            assert len(report.documents) == n

        base = _timed(read_only)
        ext = _timed(read_extract)
        ing = _timed(full)
    print(f"{n} documents")
    print(f"{'stage':<28}{'seconds':>9}{'docs/s':>10}{'× baseline':>12}")
    for name, t in (("read + normalise (baseline)", base), ("+ extract", ext), ("+ emit + on-disk store", ing)):
        print(f"{name:<28}{t:9.2f}{n / t:10.1f}{t / base:12.2f}")


if __name__ == "__main__":
    main()
