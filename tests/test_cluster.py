"""Ingest on a Dask cluster (a loopback one with two worker processes) into a SPARQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from oncograph.parallel import ParallelError
from oncograph.pipeline import ingest
from oncograph.remote import RemoteStore
from oncograph.store import Store

from .test_parallel import _corpus
from .test_remote import server  # noqa: F401  (the oxigraph server fixture)

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")

@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _graphs(store: Store | RemoteStore) -> dict[str, set[str]]:
    return {g: {f"{q.subject} {q.predicate} {q.object}" for q in store.quads(g)} for g in store.document_graphs()}


def test_a_cluster_ingest_into_a_server_equals_a_local_ingest(scheduler: str, server: str,  # noqa: F811
                                                               tmp_path: Path) -> None:
    folder = _corpus(tmp_path, with_empty_file=False)
    local = Store()
    ingest([folder], local)
    remote = RemoteStore(server)
    report = ingest([folder], remote, dask=scheduler)
    assert report.ok and len(report.documents) == 9
    assert _graphs(remote) == _graphs(local)
    again = ingest([folder], remote, dask=scheduler)
    assert len(again.skipped) == 9 and again.documents == []  # unchanged: a hash each, on the workers


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from oncograph import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)
    with pytest.raises(ParallelError, match="cannot reach the Dask scheduler"):
        ingest([_corpus(tmp_path, with_empty_file=False)], Store(), dask="tcp://127.0.0.1:9")
