"""Ingest on several worker processes: one writer, the same store for any number of workers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from oncograph.cli import cli
from oncograph.parallel import ParallelError, ordered_map
from oncograph.pipeline import ingest
from oncograph.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def _scaled(factor: int, item: int) -> int:
    return factor * item


def _die_on_seven(_: None, item: int) -> int:
    if item == 7:
        os._exit(3)  # a worker killed part way, as by the out-of-memory killer
    return item


def test_results_come_back_in_the_order_of_the_items() -> None:
    items = list(range(50))
    assert list(ordered_map(_scaled, 3, items, jobs=2, batch=4)) == [3 * i for i in items]


def test_one_job_runs_in_this_process() -> None:
    seen: list[int] = []

    def local(state: list[int], item: int) -> int:  # not picklable: only works in this process
        state.append(item)
        return item

    assert list(ordered_map(local, seen, [1, 2], jobs=1)) == [1, 2]
    assert seen == [1, 2]


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(ParallelError, match="worker process died"):
        list(ordered_map(_die_on_seven, None, list(range(20)), jobs=2, batch=2))


def _corpus(tmp_path: Path, *, with_empty_file: bool = True) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(3):
        for src in sorted(FIXTURES.glob("*.txt")):
            (folder / f"{i}_{src.name}").write_bytes(src.read_bytes())
    if with_empty_file:  # a file refused, in its place among the others
        (folder / "z_empty.txt").write_text("", encoding="utf-8")
    return folder


def test_two_workers_store_what_one_stores(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    one, two = Store(), Store()
    r1 = ingest([folder], one, jobs=1)
    r2 = ingest([folder], two, jobs=2)
    assert [d.name for d in r2.documents] == [d.name for d in r1.documents]
    assert len(r1.documents) == 9
    assert [(e.path, e.reason) for e in r2.errors] == [(e.path, e.reason) for e in r1.errors]
    one.dump_canonical(tmp_path / "one.nq")
    two.dump_canonical(tmp_path / "two.nq")
    assert (tmp_path / "one.nq").read_bytes() == (tmp_path / "two.nq").read_bytes()


def test_workers_skip_unchanged_files_by_their_hash(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    store = Store()
    ingest([folder], store, jobs=2)
    again = ingest([folder], store, jobs=2)
    assert again.documents == [] and len(again.skipped) == 9


def test_the_command_line_takes_a_number_of_jobs(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    store = str(tmp_path / "store")
    ok = CliRunner().invoke(cli, ["ingest", str(folder), "--store", store, "--jobs", "2"])
    assert "9 document(s) ingested" in ok.output, ok.output
    bad = CliRunner().invoke(cli, ["ingest", str(folder), "--store", store, "--jobs", "0"])
    assert bad.exit_code == 2 and "--jobs" in bad.output
