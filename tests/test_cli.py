"""The command line as a user runs it (``python -m oncograph``): output, exit codes, one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from oncograph import __version__
from oncograph.emit import graph_iri
from oncograph.query import list_queries
from oncograph.store import Store

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def run(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "oncograph", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


def assert_error_lines(proc: subprocess.CompletedProcess[str], *expected: str) -> list[str]:
    """Non-zero exit, no traceback, and exactly one ``oncograph: error:`` line per expected fragment."""
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == len(expected), proc.stderr
    for line, fragment in zip(lines, expected, strict=True):
        assert line.startswith("oncograph: error: "), line
        assert fragment in line, (fragment, line)
    return lines


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    proc = run("-q", "ingest", FIXTURES / "case_one.txt", FIXTURES / "cohort.txt", "--store", path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return path


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"oncograph, version {__version__}"


def test_query_list() -> None:
    proc = run("query", "--list")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [q.name for q in list_queries()]
    patients = next(line for line in lines if line.split()[0] == "patients")
    assert patients.endswith("Which patients do the ingested reports describe, with their age and sex?")


def test_query_csv(store: Path) -> None:
    proc = run("query", "patients", "--store", store, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ("patient,document,label,age,sex\n"
                           "https://w3id.org/oncograph/data/case_one.txt/patient/1,case_one.txt,patient,61,female\n")


def test_query_imports_neither_rdflib_nor_the_extractors(store: Path) -> None:
    # what `oncograph query` loads is its start-up time: rdflib alone was a third of it
    script = ("import sys\nfrom oncograph.cli import main\n"
              f"sys.argv = ['oncograph', 'query', 'patients', '--store', {str(store)!r}, '--format', 'csv']\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'ahocorasick', 'pyshacl')"
              " or m in ('oncograph.lexicon', 'oncograph.extract')))")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[]"
    assert proc.stdout.splitlines()[0] == "patient,document,label,age,sex"


def test_query_with_a_curie_parameter(store: Path) -> None:
    proc = run("query", "metastases-in-region", "--store", store, "--format", "tsv",
               "--param", "region=UBERON:0001130")
    assert proc.returncode == 0, proc.stderr
    header, *rows = proc.stdout.splitlines()
    assert header.split("\t")[:3] == ["patient", "document", "site_label"]
    assert [r.split("\t")[2] for r in rows] == ["sacrum"]


def test_query_without_a_store(tmp_path: Path) -> None:
    proc = run("query", "patients", "--store", tmp_path / "nowhere")
    assert_error_lines(proc, "no store here")
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--param", "region"), "expected NAME=VALUE"),
        (("--param", "region=UBERON:9999999"), "no ontology term is mapped to UBERON:9999999"),
        (("--param", "nosuch=1"), "no variable ?nosuch"),
    ],
)
def test_bad_param(store: Path, args: tuple[str, ...], fragment: str) -> None:
    assert_error_lines(run("query", "metastases-in-region", "--store", store, *args), fragment)


def test_param_for_an_unprojected_variable(store: Path) -> None:
    """Before: a RuntimeError traceback, then a refusal; now any variable can be bound."""
    proc = run("query", "metastases", "--store", store, "--param", "site=UBERON:0003690", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = proc.stdout.splitlines()[1:]
    assert rows and all(",sacrum," in r for r in rows)


def test_unknown_query(store: Path) -> None:
    (line,) = assert_error_lines(run("query", "no-such-query", "--store", store), "unknown query 'no-such-query'")
    assert "patients" in line and "metastases" in line


def test_malformed_query_file(store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {\n", encoding="utf-8")
    assert_error_lines(run("query", bad, "--store", store), "malformed SPARQL")


def test_unknown_format_is_a_usage_error(store: Path) -> None:
    proc = run("query", "patients", "--store", store, "--format", "xml")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_ingest_refuses_bad_files_and_keeps_the_others(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "empty.txt").write_text("   \n\n", encoding="utf-8")
    (docs / "binary.dat").write_bytes(b"\x00\x01\x02PK\x00\xff\xfe" * 20)
    (docs / "undecodable.txt").write_bytes(b"Tumour \x81\x8d\x8f\x90\x9d text")
    (docs / "entity.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        "<article><body><p>&xxe;</p></body></article>\n", encoding="utf-8")
    (docs / "malformed.xml").write_text(
        '<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation>\n', encoding="utf-8")
    good = docs / "case_one.txt"
    good.write_bytes((FIXTURES / "case_one.txt").read_bytes())
    path = tmp_path / "store"
    proc = run("-q", "ingest", *sorted(docs.iterdir()), "--store", path)
    lines = assert_error_lines(proc, "binary.dat", "empty.txt", "entity.xml", "malformed.xml", "undecodable.txt")
    assert not any("/etc/passwd" in line and "root:" in line for line in lines)
    store = Store(path, read_only=True)
    assert store.document_graphs() == [str(graph_iri("case_one.txt"))]


def test_ingest_of_a_folder_reports_bad_files_by_name(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "empty.txt").write_bytes(b"")
    (docs / "case_one.txt").write_bytes((FIXTURES / "case_one.txt").read_bytes())
    proc = run("-q", "ingest", docs, "--store", tmp_path / "store")
    assert_error_lines(proc, "empty.txt")
    assert Store(tmp_path / "store", read_only=True).document_graphs() == [str(graph_iri("case_one.txt"))]


def test_ingest_of_a_missing_file(tmp_path: Path) -> None:
    proc = run("-q", "ingest", tmp_path / "missing.txt", "--store", tmp_path / "store")
    assert_error_lines(proc, "missing.txt")


def test_ingest_twice_replaces_the_graph(tmp_path: Path) -> None:
    path = tmp_path / "store"
    for _ in range(2):
        proc = run("-q", "ingest", FIXTURES / "case_one.txt", "--store", path)
        assert proc.returncode == 0, proc.stderr
    proc = run("query", "metastases", "--store", path, "--format", "csv")
    assert [line.split(",")[2] for line in proc.stdout.splitlines()[1:]] == ["left lung", "sacrum"]


@pytest.mark.slow
def test_build_twice_gives_byte_identical_dumps(tmp_path: Path) -> None:
    first, second, third = tmp_path / "a.nq", tmp_path / "b.nq", tmp_path / "c.nq"
    assert run("-q", "build", "seeds", "--store", tmp_path / "s1", "--out", first).returncode == 0
    assert run("-q", "build", "seeds", "--store", tmp_path / "s1", "--out", second).returncode == 0
    assert run("-q", "build", "seeds", "--store", tmp_path / "s2", "--out", third).returncode == 0
    data = first.read_bytes()
    assert data == second.read_bytes() == third.read_bytes()
    lines = data.decode("utf-8").splitlines()
    assert lines == sorted(lines)
    graphs = {line.rsplit(" ", 2)[-2] for line in lines}
    assert graphs == {f"<{graph_iri(p.name)}>" for p in (REPO / "seeds").iterdir() if not p.name.startswith(".")}
