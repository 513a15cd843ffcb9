"""``ingest --shards DIR``: N-Quads shards that load into the store a local ingest gives."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from oncograph.cli import cli, main
from oncograph.errors import StoreError
from oncograph.pipeline import ingest
from oncograph.shards import ShardWriter
from oncograph.store import DOCUMENT_GRAPH_PREFIX, Store

from .test_parallel import _corpus


def _loaded(folder: Path) -> ox.Store:
    store = ox.Store()
    for path in sorted(folder.glob("*.nq")):
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store


def _content(quads: ox.Store) -> tuple[set[str], int]:
    """The quads without blank nodes, and how many have one (their labels differ from load to load)."""
    plain, blank = set(), 0
    for q in quads:
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            blank += 1
        else:
            plain.add(str(q))
    return plain, blank


def test_shards_load_into_what_a_local_ingest_stores(tmp_path: Path) -> None:
    docs = _corpus(tmp_path)
    local = Store()
    expected = ingest([docs], local)
    writer = ShardWriter(tmp_path / "shards", shard_quads=500)
    report = ingest([docs], writer)
    assert [d.name for d in report.documents] == [d.name for d in expected.documents] and len(report.documents) == 9
    assert [e.path for e in report.errors] == [e.path for e in expected.errors]  # the empty file, refused
    assert writer.document_graphs() == local.document_graphs()
    assert _content(_loaded(tmp_path / "shards")) == _content(local.oxigraph)


def test_parts_hold_whole_documents_and_the_manifest_tells_them(tmp_path: Path) -> None:
    docs = _corpus(tmp_path, with_empty_file=False)
    writer = ShardWriter(tmp_path / "shards", shard_quads=500)
    ingest([docs], writer)
    parts = sorted((tmp_path / "shards").glob("part-*.nq"))
    assert len(parts) > 2 and writer.parts()[1:] == parts
    assert not list((tmp_path / "shards").glob(".*"))  # no temporary file left
    manifest = (tmp_path / "shards" / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    assert manifest[0] == "file\tquads\tsha256"
    for line, part in zip(manifest[1:], parts, strict=True):
        name, count, digest = line.split("\t")
        data = part.read_bytes()
        assert name == part.name and int(count) == data.count(b"\n")
        assert digest == hashlib.sha256(data).hexdigest()
    where: dict[str, set[str]] = {}
    for part in parts:
        for q in ox.parse(path=str(part), format=ox.RdfFormat.N_QUADS):
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(DOCUMENT_GRAPH_PREFIX):
                where.setdefault(q.graph_name.value, set()).add(part.name)
    assert len(where) == 9 and all(len(files) == 1 for files in where.values())


def test_the_shards_are_the_same_for_any_number_of_workers(tmp_path: Path) -> None:
    docs = _corpus(tmp_path, with_empty_file=False)
    ingest([docs], ShardWriter(tmp_path / "one", shard_quads=800), jobs=1)
    ingest([docs], ShardWriter(tmp_path / "two", shard_quads=800), jobs=2)
    names = sorted(p.name for p in (tmp_path / "one").glob("*.nq"))
    assert names == sorted(p.name for p in (tmp_path / "two").glob("*.nq")) and len(names) > 3
    for name in names:  # the same lines in each file; the vocabulary's blank nodes come in any order
        one, two = ((tmp_path / d / name).read_text(encoding="utf-8").splitlines() for d in ("one", "two"))
        assert len(one) == len(two), name
        assert {line for line in one if "_:" not in line} == {line for line in two if "_:" not in line}, name


def _fails(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What the command line prints on standard error when ``argv`` fails (it must)."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code != 0
    return capsys.readouterr().err


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "part-00000.nq").write_text("", encoding="utf-8")
    with pytest.raises(StoreError, match="not a new or empty folder"):
        ShardWriter(tmp_path / "full")
    err = _fails(["ingest", str(_corpus(tmp_path)), "--shards", str(tmp_path / "full")], capsys)
    assert "not a new or empty folder" in err and len(err.strip().splitlines()) == 1


def test_the_command_line_writes_shards_and_sync_needs_a_store(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    docs = _corpus(tmp_path, with_empty_file=False)
    result = CliRunner().invoke(cli, ["-q", "ingest", str(docs), "--shards", str(tmp_path / "out"),
                                      "--shard-quads", "1000"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "MANIFEST.tsv").exists() and len(list((tmp_path / "out").glob("part-*.nq"))) > 1
    assert "--sync needs a store" in _fails(["ingest", str(docs), "--shards", str(tmp_path / "again"), "--sync"],
                                            capsys)
