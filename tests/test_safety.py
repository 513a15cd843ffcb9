"""Data safety: document identity, remove and sync, hash skips, symlinks, atomic writes, failed builds."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from oncograph.cli import cli, main
from oncograph.emit import graph_iri
from oncograph.errors import InputError, OncographError
from oncograph.pipeline import build, ingest, remove
from oncograph.safeio import WriteError, atomic_write
from oncograph.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
CASE = (FIXTURES / "case_one.txt").read_text(encoding="utf-8")
OTHER = (FIXTURES / "two_cases.txt").read_text(encoding="utf-8")


def names(store: Store) -> list[str]:
    return sorted(r.name for r in store.records().values())


# ---------------------------------------------------------------------------- identity
def test_same_base_name_in_two_folders_are_two_documents(tmp_path: Path) -> None:
    # before: `ingest a/report.txt b/report.txt` said "2 document(s)" and kept one graph
    (tmp_path / "in" / "a").mkdir(parents=True)
    (tmp_path / "in" / "b").mkdir()
    (tmp_path / "in" / "a" / "report.txt").write_text(CASE, encoding="utf-8")
    (tmp_path / "in" / "b" / "report.txt").write_text(OTHER, encoding="utf-8")
    store = Store()
    report = ingest([tmp_path / "in"], store)
    assert report.ok and sorted(d.name for d in report.documents) == ["a/report.txt", "b/report.txt"]
    assert len(store.document_graphs()) == 2 and names(store) == ["a/report.txt", "b/report.txt"]


def test_two_files_given_with_one_name_is_an_error_naming_both(tmp_path: Path) -> None:
    for d, text in (("a", CASE), ("b", OTHER)):
        (tmp_path / d).mkdir()
        (tmp_path / d / "report.txt").write_text(text, encoding="utf-8")
    store = Store()
    report = ingest([tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt"], store)
    (err,) = report.errors
    assert str(tmp_path / "b" / "report.txt") in str(err) and str(tmp_path / "a" / "report.txt") in str(err)
    assert [d.name for d in report.documents] == ["report.txt"] and len(store.document_graphs()) == 1


def test_a_different_file_cannot_take_a_stored_name(tmp_path: Path) -> None:
    for d, text in (("a", CASE), ("b", OTHER)):
        (tmp_path / d).mkdir()
        (tmp_path / d / "report.txt").write_text(text, encoding="utf-8")
    store = Store()
    assert ingest([tmp_path / "a" / "report.txt"], store).ok
    before = {str(q) for q in store.quads()}
    report = ingest([tmp_path / "b" / "report.txt"], store)
    (err,) = report.errors
    assert "already taken in the store" in str(err) and "oncograph remove" in str(err)
    assert {str(q) for q in store.quads()} == before
    assert ingest([tmp_path / "b" / "report.txt"], store, name="report-b.txt").ok  # --name tells them apart
    assert names(store) == ["report-b.txt", "report.txt"]


def test_two_articles_with_one_pmid_in_one_file_are_both_kept(tmp_path: Path) -> None:
    article = (Path(__file__).parent / "fixtures" / "read" / "pubmed_pair.xml").read_text(encoding="utf-8")
    import re

    pmids = re.findall(r'<PMID[^>]*>(\d+)</PMID>', article)
    assert len(set(pmids)) >= 2
    same = article.replace(f">{pmids[1]}</PMID>", f">{pmids[0]}</PMID>")
    (tmp_path / "two.xml").write_text(same, encoding="utf-8")
    store = Store()
    report = ingest([tmp_path / "two.xml"], store)
    assert report.ok
    assert sorted(d.name for d in report.documents) == [f"two.xml#{pmids[0]}", f"two.xml#{pmids[0]}-2"]
    assert len(store.document_graphs()) == 2


def test_unchanged_files_are_skipped_by_hash_and_changed_ones_read(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    f = tmp_path / "docs" / "r.txt"
    f.write_text(CASE, encoding="utf-8")
    store = Store()
    assert [d.name for d in ingest([tmp_path / "docs"], store).documents] == ["r.txt"]
    again = ingest([tmp_path / "docs"], store)
    assert again.documents == [] and again.skipped == ["r.txt"]
    f.write_text(OTHER, encoding="utf-8")
    assert [d.name for d in ingest([tmp_path / "docs"], store).documents] == ["r.txt"]
    assert [d.name for d in ingest([tmp_path / "docs"], store, force=True).documents] == ["r.txt"]


def test_remove_and_sync(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "one.txt").write_text(CASE, encoding="utf-8")
    (docs / "two.txt").write_text(OTHER, encoding="utf-8")
    store = Store()
    ingest([docs], store)
    (docs / "two.txt").unlink()  # before: a deleted file stayed in the store forever
    report = ingest([docs], store, sync=True)
    assert report.removed == ["two.txt"] and names(store) == ["one.txt"]
    assert store.document_graphs() == [str(graph_iri("one.txt"))]
    with pytest.raises(InputError, match="no such document"):
        remove(["nothing.txt"], store)
    assert remove(["one.txt"], store) == ["one.txt"]
    assert store.document_graphs() == [] and names(store) == []


def test_sync_leaves_documents_of_other_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_text(CASE, encoding="utf-8")
    (tmp_path / "b" / "y.txt").write_text(OTHER, encoding="utf-8")
    store = Store()
    ingest([tmp_path / "a", tmp_path / "b"], store)
    (tmp_path / "a" / "x.txt").unlink()
    assert ingest([tmp_path / "b"], store, sync=True).removed == []
    assert ingest([tmp_path / "a"], store, sync=True).removed == ["x.txt"]
    assert names(store) == ["y.txt"]


def test_symlink_outside_the_folder_is_refused_unless_followed(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text(CASE, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.txt").write_text(OTHER, encoding="utf-8")
    os.symlink(outside, docs / "link.txt")
    store = Store()
    report = ingest([docs], store)
    (err,) = report.errors
    assert "link.txt" in str(err) and "outside the folder" in str(err)
    assert names(store) == ["ok.txt"]
    assert ingest([docs], store, follow_links=True).ok and names(store) == ["link.txt", "ok.txt"]


def test_cli_remove_and_sync_and_name(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "one.txt").write_text(CASE, encoding="utf-8")
    store = str(tmp_path / "store")
    r = CliRunner().invoke(cli, ["ingest", str(docs), "--store", store])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["ingest", str(docs / "one.txt"), "--name", "renamed.txt", "--store", store])
    assert r.exit_code == 0 and "renamed.txt" in r.output
    r = CliRunner().invoke(cli, ["remove", "renamed.txt", "--store", store])
    assert r.exit_code == 0 and "removed 1" in r.output
    assert names(Store(store, read_only=True)) == ["one.txt"]


# ---------------------------------------------------------------------------- builds and writes
def test_build_of_a_missing_folder_leaves_the_dump(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # before: `oncograph build seed` (a typo) exited 1 after truncating graph/oncograph.nq to 0 bytes
    dump = tmp_path / "graph" / "oncograph.nq"
    dump.parent.mkdir()
    dump.write_text("<a> <b> <c> <g> .\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(tmp_path / "seed"), "--store", str(tmp_path / "store"), "--out", str(dump)])
    assert exit_info.value.code == 1
    assert dump.read_text(encoding="utf-8") == "<a> <b> <c> <g> .\n"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such folder" in err
    with pytest.raises(InputError):
        build(tmp_path / "seed", Store(), dump)
    assert dump.read_text(encoding="utf-8") == "<a> <b> <c> <g> .\n"


def test_build_with_a_bad_seed_leaves_the_dump(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text(CASE, encoding="utf-8")
    (seeds / "empty.txt").write_bytes(b"")
    dump = tmp_path / "dump.nq"
    dump.write_text("old\n", encoding="utf-8")
    result = build(seeds, Store(), dump)
    assert not result.ingest.ok and dump.read_text(encoding="utf-8") == "old\n"


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    if Path("/dev/full").exists():
        with pytest.raises(WriteError):
            atomic_write(Path("/proc/oncograph-no-such-dir/x"), b"new")
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "f").write_text("kept", encoding="utf-8")
    ro.chmod(0o500)
    try:
        if os.geteuid() != 0:  # root writes anywhere
            with pytest.raises(WriteError, match="cannot write"):
                atomic_write(ro / "f", b"new")
            assert (ro / "f").read_text(encoding="utf-8") == "kept"
    finally:
        ro.chmod(0o700)
    atomic_write(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_a_writer_that_fails_midway_leaves_the_old_file(tmp_path: Path) -> None:
    from oncograph.safeio import atomic_path

    target = tmp_path / "dump.nq"
    target.write_text("complete old content\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half of the new", encoding="utf-8")
        raise RuntimeError("the writer died")
    assert target.read_text(encoding="utf-8") == "complete old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dump.nq"]


def test_export_to_an_unwritable_place_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    Store(store).oxigraph.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"),
                                      ox.NamedNode(str(graph_iri("x.txt")))))
    with pytest.raises(SystemExit):
        main(["export", "--format", "nquads", "--store", str(store), "--out", "/proc/oncograph/x.nq"])
    err = capsys.readouterr().err
    assert err.startswith("oncograph: error: /proc/oncograph/x.nq: cannot write") and err.count("\n") == 1


def test_query_into_a_full_disk_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    store = tmp_path / "store"
    s = Store(store)
    s.oxigraph.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"), ox.NamedNode("urn:g")))
    del s
    q = tmp_path / "q.rq"
    q.write_text("# Question: all?\n# Returns: s\nSELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "oncograph", "query", str(q), "--store", str(store),
                               "--format", "csv"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "No space left" in proc.stderr


def test_query_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    import subprocess
    import sys

    store = tmp_path / "store"
    s = Store(store)
    s.oxigraph.extend([ox.Quad(ox.NamedNode(f"urn:a{i}"), ox.NamedNode("urn:b"), ox.Literal("c" * 50),
                               ox.NamedNode("urn:g")) for i in range(20000)])
    del s
    q = tmp_path / "q.rq"
    q.write_text("# Question: all?\n# Returns: s\nSELECT ?s ?o WHERE { ?s ?p ?o }\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "oncograph", "query", str(q), "--store", str(store),
                             "--format", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(100)
    proc.stdout.close()  # like `| head`
    err = proc.stderr.read().decode()
    assert proc.wait(60) in (0, 141) and "Traceback" not in err


def test_a_second_writer_is_refused_in_one_line(tmp_path: Path) -> None:
    first = Store(tmp_path / "store")
    try:
        with pytest.raises(OncographError, match="being written by another process"):
            Store(tmp_path / "store")
    finally:
        del first


def test_a_deeply_nested_query_is_one_line_not_a_segfault(tmp_path: Path) -> None:
    import subprocess
    import sys

    # before: `oncograph query` exited 139 (pyoxigraph crashes on ~3,000 nested groups)
    store = tmp_path / "store"
    Store(store).flush()
    q = tmp_path / "deep.rq"
    q.write_text("# Question: deep?\n# Returns: s\nSELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000 + "\n",
                 encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "oncograph", "query", str(q), "--store", str(store)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "nests 5000 levels" in proc.stderr


def test_a_bad_iri_parameter_on_the_command_line_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    store = tmp_path / "store"
    Store(store).flush()
    proc = subprocess.run([sys.executable, "-m", "oncograph", "query", "metastases-in-region", "--store", str(store),
                           "--param", "region=<not an iri>"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "is not an IRI" in proc.stderr


# ---------------------------------------------------------------------------- every writer, failing midway
def _fail_after_writing(real):  # type: ignore[no-untyped-def]
    """A writer that writes part of its output, then dies."""

    def broken(obj, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        Path(path).write_text("half of it", encoding="utf-8")
        raise OSError(28, "No space left on device")

    return broken


def test_every_writer_leaves_the_old_file_when_it_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import networkx as nx

    from oncograph.analysis import report
    from oncograph.export import write_export
    from oncograph.query import Result

    old = "the old, complete file\n"
    # 1. the canonical dump
    dump = tmp_path / "graph.nq"
    dump.write_text(old, encoding="utf-8")
    store = Store()
    store.oxigraph.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"),
                               ox.NamedNode(str(graph_iri("x.txt")))))
    monkeypatch.setattr(Path, "write_text", lambda self, *a, **k: (_ for _ in ()).throw(OSError(28, "disk full")))
    with pytest.raises(WriteError):
        store.dump_canonical(dump)
    monkeypatch.undo()
    assert dump.read_text(encoding="utf-8") == old
    # 2. exports
    out = tmp_path / "export.trig"
    out.write_text(old, encoding="utf-8")
    monkeypatch.setattr("oncograph.safeio.os.fsync", lambda fd: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(OncographError):
        write_export(b"new content", out)
    monkeypatch.undo()
    assert out.read_text(encoding="utf-8") == old
    # 3. analysis tables, GraphML/GEXF
    table = tmp_path / "edges.csv"
    table.write_text(old, encoding="utf-8")
    monkeypatch.setattr("csv.writer", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "disk full")))
    with pytest.raises(OncographError):
        report.write_csv(table, Result(("a",), (("1",),)))
    monkeypatch.undo()
    assert table.read_text(encoding="utf-8") == old
    graphml = tmp_path / "net.graphml"
    graphml.write_text(old, encoding="utf-8")
    monkeypatch.setattr(nx, "write_graphml", _fail_after_writing(nx.write_graphml))
    with pytest.raises(OncographError):
        report.export_graph(nx.DiGraph([("a", "b")]), tmp_path / "net")
    monkeypatch.undo()
    assert graphml.read_text(encoding="utf-8") == old
    # 4. pictures
    from oncograph.analysis import plots

    png = tmp_path / "plot.png"
    png.write_text(old, encoding="utf-8")

    class Fig:
        def savefig(self, path, **kwargs):  # type: ignore[no-untyped-def]
            Path(path).write_text("half a picture", encoding="utf-8")
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(plots.plt, "close", lambda fig: None)
    with pytest.raises(OncographError):
        plots._save(Fig(), [png])
    assert png.read_text(encoding="utf-8") == old
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


class _DiesAtWrite:
    """A pyoxigraph store whose ``step``-th write raises, like a process killed there."""

    def __init__(self, real: ox.Store, step: int) -> None:
        self.real, self.step, self.calls = real, step, 0

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        attr = getattr(self.real, name)
        if name not in ("update", "extend", "remove_graph", "add", "remove"):
            return attr

        def write(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.calls += 1
            if self.calls == self.step:
                raise OSError("killed here")
            return attr(*args, **kwargs)

        return write


def test_a_crash_at_any_step_of_replacing_the_ontology_never_leaves_a_hash_without_it() -> None:
    from rdflib import Literal, URIRef

    from oncograph.ontology import load_ontology
    from oncograph.store import _META, _ONTOLOGY_HASH, CLOSURE_GRAPH, ONTOLOGY_GRAPH
    from oncograph.vocabulary import vocabulary

    ontology, index = load_ontology(), vocabulary()
    from rdflib import Graph

    newer = Graph()
    for t in ontology:
        newer.add(t)
    newer.add((URIRef("urn:new"), URIRef("urn:version"), Literal("2")))  # another version
    for step in range(1, 4):
        store = Store()
        assert store.ensure_ontology(ontology, index)
        real = store._store
        store._store = _DiesAtWrite(real, step)  # type: ignore[assignment]
        with contextlib.suppress(OSError):
            store.ensure_ontology(newer, index)
        store._store = real
        has_hash = any(True for _ in real.quads_for_pattern(_ONTOLOGY_HASH, _ONTOLOGY_HASH, None, _META))
        if has_hash:  # a store that believes it has an ontology has one, with its closure
            assert real.contains_named_graph(ONTOLOGY_GRAPH) and real.contains_named_graph(CLOSURE_GRAPH)
            assert len(list(real.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))) > 1000
        assert store.ensure_ontology(newer, index) or has_hash
        assert real.contains_named_graph(ONTOLOGY_GRAPH)
