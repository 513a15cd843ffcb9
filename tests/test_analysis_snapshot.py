"""The snapshot of the analysis graph: read back while the store is unchanged, rebuilt after any write."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from oncograph.analysis import convert, snapshot
from oncograph.analysis.snapshot import analysis_graph, snapshot_path, store_fingerprint
from oncograph.analyze_cli import analyze
from oncograph.pipeline import ingest
from oncograph.store import Store

CANCERS = Path(__file__).parent / "fixtures" / "cancers"


def _same(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    return dict(a.nodes(data=True)) == dict(b.nodes(data=True)) and \
        sorted(a.edges(keys=True)) == sorted(b.edges(keys=True))


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ONCOGRAPH_CACHE", str(folder))
    return folder / "analysis"


@pytest.fixture()
def store_dir(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CANCERS / "breast.txt", docs)
    path = tmp_path / "store"
    s = Store(path)
    assert not ingest([docs], s, check=False).errors
    s.flush()
    del s
    return path


def _patients(g: nx.MultiDiGraph) -> int:
    return sum(1 for _, kind in g.nodes(data="kind") if kind == "Patient")


def test_second_read_comes_from_the_snapshot(store_dir: Path, cache: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(store_dir, read_only=True)
    first, labels = analysis_graph(store)
    assert _patients(first) >= 1 and labels
    path = snapshot_path(store)
    assert path is not None and path.parent == cache and path.is_file()

    def no_conversion(_store: Store) -> nx.MultiDiGraph:
        raise AssertionError("converted although the store is unchanged")

    monkeypatch.setattr(convert, "store_to_networkx", no_conversion)
    again, labels_again = analysis_graph(Store(store_dir, read_only=True))
    assert _same(first, again) and labels_again == labels
    again.add_node("scratch")  # the caller's own copy: the snapshot does not change
    assert "scratch" not in analysis_graph(Store(store_dir, read_only=True))[0]
    with pytest.raises(AssertionError, match="converted"):
        analysis_graph(Store(store_dir, read_only=True), cache=False)


def test_a_write_to_the_store_rebuilds_it(store_dir: Path, cache: Path, tmp_path: Path) -> None:
    before, _ = analysis_graph(Store(store_dir, read_only=True))
    fingerprint = store_fingerprint(Store(store_dir, read_only=True))
    more = tmp_path / "more"
    more.mkdir()
    shutil.copy(CANCERS / "lung.txt", more)
    s = Store(store_dir)
    assert not ingest([more], s, check=False).errors
    s.flush()
    del s
    reopened = Store(store_dir, read_only=True)
    assert store_fingerprint(reopened) != fingerprint
    after, _ = analysis_graph(reopened)
    assert _patients(after) > _patients(before)
    assert _same(after, convert.store_to_networkx(reopened))


def test_a_read_only_open_keeps_the_fingerprint(store_dir: Path) -> None:
    first = store_fingerprint(Store(store_dir, read_only=True))
    store = Store(store_dir, read_only=True)
    list(store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 5"))
    assert first is not None and store_fingerprint(store) == first


def test_an_unreadable_snapshot_is_rebuilt(store_dir: Path, cache: Path) -> None:
    store = Store(store_dir, read_only=True)
    good, _ = analysis_graph(store)
    path = snapshot_path(store)
    assert path is not None
    path.write_bytes(path.read_bytes()[:100])  # cut short
    rebuilt, _ = analysis_graph(store)
    assert _same(good, rebuilt)
    assert path.stat().st_size > 100  # written again


def test_other_code_rebuilds_it(store_dir: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(store_dir, read_only=True)
    analysis_graph(store)
    calls = []
    real = convert.store_to_networkx
    monkeypatch.setattr(convert, "store_to_networkx", lambda s: calls.append(1) or real(s))
    monkeypatch.setattr(snapshot, "_FORMAT", snapshot._FORMAT + 1)
    analysis_graph(store)
    assert calls == [1]


def test_in_memory_store_has_no_snapshot(cache: Path) -> None:
    store = Store()
    assert store_fingerprint(store) is None and snapshot_path(store) is None
    g, labels = analysis_graph(store)
    assert g.number_of_nodes() == 0 and labels == {}
    assert not cache.exists() or not any(cache.iterdir())


def test_at_most_keep_snapshots(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
                                store_dir: Path) -> None:
    monkeypatch.setattr(snapshot, "KEEP", 2)
    for i in range(3):
        copy = tmp_path / f"copy{i}"
        shutil.copytree(store_dir, copy, ignore=shutil.ignore_patterns("LOCK"))
        analysis_graph(Store(copy, read_only=True))
    assert len(list(cache.glob("*.pickle"))) == 2
    assert snapshot_path(Store(tmp_path / "copy2", read_only=True)).is_file()  # type: ignore[union-attr]


def test_cli_fresh_gives_the_same_tables(store_dir: Path, cache: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(analyze, ["network", "--store", str(store_dir)])
    assert first.exit_code == 0, first.output
    assert len(list(cache.glob("*.pickle"))) == 1
    again = runner.invoke(analyze, ["network", "--store", str(store_dir)])
    fresh = runner.invoke(analyze, ["network", "--fresh", "--store", str(store_dir)])
    assert first.output == again.output == fresh.output
    assert "== " in first.output
