"""Crash consistency with real processes: kill -9 during an ingest, two ingests at once, reads during writes.

Each document is written by one ``extend`` transaction, so whatever moment the writer dies
at, the store opens, holds no partial document graph, and a re-run equals a clean build.
"""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from oncograph.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "extract"

# A writer of synthetic documents, each a graph of N triples with a count triple, written the way
# the pipeline writes (Store.replace_graph): a reader can check each graph is whole.
WRITER = textwrap.dedent('''
    import sys
    from rdflib import Literal, URIRef
    from oncograph.store import DocumentRecord, Store

    store = Store(sys.argv[1])
    n_docs, size = int(sys.argv[2]), int(sys.argv[3])
    print("open", flush=True)
    for d in range(n_docs):
        g = f"https://w3id.org/oncograph/graph/document/doc{d}.txt"
        triples = [(URIRef(f"urn:doc{d}"), URIRef("urn:size"), Literal(size))]
        triples += [(URIRef(f"urn:doc{d}/t{i}"), URIRef("urn:in"), URIRef(f"urn:doc{d}")) for i in range(size)]
        store.replace_graph(g, triples, DocumentRecord(g, f"doc{d}.txt", "", "", str(d), "x"))
    store.flush()
    print("done", flush=True)
''')


def check_whole(store: Store) -> int:
    """Every document graph holds exactly size + 1 triples and has its record; the count of documents."""
    graphs = store.document_graphs()
    records = store.records()
    for g in graphs:
        quads = list(store.quads(g))
        sizes = [q.object.value for q in quads if q.predicate.value == "urn:size"]
        assert len(sizes) == 1, (g, len(quads))
        assert len(quads) == int(sizes[0]) + 1, (g, len(quads))
        assert g in records
    assert set(records) == set(graphs)
    return len(graphs)


def run_writer(path: Path, n_docs: int, size: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(n_docs), str(size)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_kill_9_at_random_moments_never_leaves_half_a_document(tmp_path: Path) -> None:
    rng = random.Random(14)
    survived = 0
    for trial in range(8):
        path = tmp_path / f"store{trial}"
        proc = run_writer(path, 40, 2000)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "open"
        time.sleep(rng.uniform(0.0, 1.2))
        proc.kill()
        proc.wait(30)
        store = Store(path)  # opens, whatever the moment
        check_whole(store)
        del store
        rerun = run_writer(path, 40, 2000)
        _out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err
        store = Store(path, read_only=True)
        assert check_whole(store) == 40
        survived += 1
        del store
    assert survived == 8


def test_a_real_ingest_killed_and_rerun_equals_a_clean_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(6):
        for f in FIXTURES.iterdir():
            (docs / f"{i}-{f.name}").write_bytes(f.read_bytes())
    store = tmp_path / "store"
    proc = subprocess.Popen([sys.executable, "-m", "oncograph", "-q", "ingest", str(docs), "--store", str(store)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(2.5)
    proc.kill()
    proc.wait(30)
    rerun = subprocess.run([sys.executable, "-m", "oncograph", "-q", "ingest", str(docs), "--store", str(store)],
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    clean = subprocess.run([sys.executable, "-m", "oncograph", "-q", "ingest", str(docs), "--store",
                            str(tmp_path / "clean")], capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stderr
    a, b = Store(store, read_only=True), Store(tmp_path / "clean", read_only=True)
    assert a.document_graphs() == b.document_graphs() and len(a.document_graphs()) == 18
    assert {str(q) for q in a.quads()} == {str(q) for q in b.quads()}


def test_two_concurrent_writers_the_second_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "store"
    first = run_writer(path, 200, 2000)
    assert first.stdout is not None and first.stdout.readline().strip() == "open"
    second = subprocess.run([sys.executable, "-m", "oncograph", "ingest", str(FIXTURES / "case_one.txt"),
                             "--store", str(path)], capture_output=True, text=True, timeout=120)
    first.kill()
    first.wait(30)
    assert second.returncode == 1
    assert second.stderr.strip().count("\n") == 0 and "being written by another process" in second.stderr


def test_readers_during_a_write_see_each_document_whole_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "store"
    Store(path).flush()
    writer = run_writer(path, 30, 3000)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "open"
    seen = set()
    end = time.monotonic() + 60
    while writer.poll() is None and time.monotonic() < end:
        reader = Store(path, read_only=True)  # what each server worker does when the files change
        seen.add(check_whole(reader))
        del reader
    writer.wait(60)
    assert writer.returncode == 0
    final = Store(path, read_only=True)
    assert check_whole(final) == 30
    assert len(seen) >= 2  # the reads did happen while the write went on


def test_store_opens_after_a_killed_writer_with_ox_directly(tmp_path: Path) -> None:
    path = tmp_path / "store"
    proc = run_writer(path, 100, 500)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    time.sleep(0.3)
    proc.kill()
    proc.wait(30)
    assert isinstance(ox.Store.read_only(str(path)), ox.Store)
