"""Ingest throughput, measured against a baseline taken in the same run.

    python benchmarks/bench_ingest.py [--copies 200]

Makes COPIES renamed copies of every document in seeds/ in a temporary folder,
then times, on the same machine in the same process:

- baseline: reading and normalising the files (``oncograph.read``), the floor any
  extractor pays;
- extract: reading + extraction (segment, recognise, relate, study);
- ingest: reading + extraction + emit + checks + an on-disk pyoxigraph store, with one
  worker (``--jobs 1``) and with every core (``--jobs N``);
- the store's transactional limit: the same documents' quads, extracted beforehand, written
  into a fresh on-disk store one ``extend`` per document (what ingest could reach at best).

It prints documents per second and each stage's cost as a ratio to the baseline, the
speed-up of N workers over one, and ingest against the store's limit.
Not run by the tests: timings belong in benchmarks, never in timed tests.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from oncograph.emit import emit, graph_iri
from oncograph.extract import extract
from oncograph.parallel import available_cores
from oncograph.pipeline import ingest, nquads
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
    ap.add_argument("--jobs", type=int, default=available_cores(), help="workers of the parallel run")
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

        def full(jobs: int) -> tuple[float, float]:
            """An ingest on ``jobs`` workers, and an ingest again of the same, unchanged files."""
            store_dir = Path(tmp) / f"store-{jobs}"
            store = Store(store_dir)
            start = time.perf_counter()
            report = ingest([folder], store, jobs=jobs)
            elapsed = time.perf_counter() - start
            assert len(report.documents) == n
            start = time.perf_counter()
            again = ingest([folder], store, jobs=jobs)
            unchanged = time.perf_counter() - start
            assert len(again.skipped) == n
            del store
            shutil.rmtree(store_dir)
            return elapsed, unchanged

        payloads = []
        for doc in iter_documents([folder]):
            assert not isinstance(doc, Exception)
            graph = str(graph_iri(doc.name))
            payloads.append((graph, nquads(graph, emit(extract(doc, index, lex), doc.metadata))))

        def store_limit() -> None:
            store = Store(Path(tmp) / "store-limit")
            for graph, data in payloads:
                store.replace_graph_quads(graph, ox.parse(data, format=ox.RdfFormat.N_QUADS))
            store.flush()

        base = _timed(read_only)
        ext = _timed(read_extract)
        limit = _timed(store_limit)
        one, _ = full(1)
        many, again = full(args.jobs)
    print(f"{n} documents, {args.jobs} cores")
    print(f"{'stage':<34}{'seconds':>9}{'docs/s':>10}{'× baseline':>12}")
    for name, t in (("read + normalise (baseline)", base), ("+ extract", ext),
                     ("store limit (extend per document)", limit), ("ingest --jobs 1", one),
                     (f"ingest --jobs {args.jobs}", many), ("ingest again, unchanged", again)):
        print(f"{name:<34}{t:9.2f}{n / t:10.1f}{t / base:12.2f}")
    print(f"speed-up of {args.jobs} workers over 1: {one / many:.2f}×")
    print(f"ingest against the store's limit: --jobs 1 {limit / one:.2f}×, --jobs {args.jobs} {limit / many:.2f}×")


if __name__ == "__main__":
    main()
