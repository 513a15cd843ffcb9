"""The Python API, parameters by what people type, every command with every store, and `serve` as a process."""

from __future__ import annotations

import contextlib
import doctest
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import oncograph as og
from oncograph.cli import cli
from oncograph.errors import OncographError, QueryError
from oncograph.lookup import resolve_term
from oncograph.query import load_query, resolve_parameter, run_query, show_query
from oncograph.server import EndpointConfig, SparqlServer
from oncograph.store import Store
from oncograph.terms import TermIndex

from .test_semantic_queries import load_fixture
from .test_server import start, stop

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
D = "https://w3id.org/oncograph/data/"


@pytest.mark.parametrize("module", ["oncograph", "oncograph.api", "oncograph.query", "oncograph.lookup",
                                    "oncograph.sparqlcheck", "oncograph.safeio", "oncograph.results",
                                    "oncograph.server", "oncograph.remote"])
def test_docstring_examples_run(module: str) -> None:
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0


@pytest.fixture(scope="module")
def kg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[og.KnowledgeGraph]:
    path = tmp_path_factory.mktemp("api") / "store"
    report = og.ingest([FIXTURES / "case_one.txt", FIXTURES / "two_cases.txt", FIXTURES / "cohort.txt"], path)
    assert report.ok and len(report.documents) == 3
    graph = og.open(path, read_only=True)
    yield graph
    graph.close()


def test_query_returns_a_dataframe_with_typed_columns(kg: og.KnowledgeGraph) -> None:
    df = kg.query("patients")
    assert list(df.columns[:3]) == ["patient", "patient_label", "document"]
    assert str(df["age"].dtype) == "Int64" and sorted(df["age"].tolist()) == [52, 61, 66]
    assert df["sex"].tolist() == ["female", "female", "male"]
    meta = kg.query("metastases")
    assert str(meta["year"].dtype) == "Int64"
    assert set(df["patient_label"]) == {"case_one.txt, patient", "two_cases.txt, case 1", "two_cases.txt, case 2"}


def test_query_parameters_by_label_curie_and_synonym_agree(kg: og.KnowledgeGraph) -> None:
    # before: --param region="vertebral column" was a literal and gave 0 rows without a word
    by_curie = kg.query("metastases-in-region", region="UBERON:0001130")
    by_label = kg.query("metastases-in-region", region="vertebral column")
    by_case = kg.query("metastases-in-region", region="Vertebral Column")
    assert len(by_curie) > 0
    assert by_label.equals(by_curie) and by_case.equals(by_curie)


def test_sparql_with_bindings_never_pasted(kg: og.KnowledgeGraph) -> None:
    q = ("PREFIX onc: <https://w3id.org/oncograph/ontology/> "
         "SELECT ?p WHERE { ?p a onc:Patient ; onc:age ?age } ORDER BY ?p")
    assert kg.sparql(q, age=61)["p"].tolist() == [D + "case_one.txt/patient/1"]
    assert kg.sparql(q, age='61 } ; DROP ALL ; SELECT * {').empty
    assert kg.sparql("ASK { ?s ?p ?o }") is True
    g = kg.sparql("CONSTRUCT { ?p a <urn:x> } WHERE { ?p a <https://w3id.org/oncograph/ontology/Patient> }")
    assert len(g) == 3


def test_documents_and_graph(kg: og.KnowledgeGraph) -> None:
    docs = kg.documents()
    assert docs["document"].tolist() == ["case_one.txt", "cohort.txt", "two_cases.txt"]
    assert {"title", "journal", "year", "first_author", "pmid", "doi", "pmcid"} <= set(docs.columns)
    assert docs.loc[docs["document"] == "two_cases.txt", "patients"].item() == 2
    g = kg.graph()
    assert sum(1 for _, k in g.nodes(data="kind") if k == "Patient") == 3
    assert "metastases-in-region" in set(kg.queries()["name"]) and not any(kg.queries()["name"].str.startswith(
        "analysis-"))


def test_errors_are_the_one_hierarchy(tmp_path: Path) -> None:
    with pytest.raises(OncographError, match="no store here"):
        og.open(tmp_path / "nothing", read_only=True)
    kg = og.open()
    with pytest.raises(og.QueryError, match="unknown query"):
        kg.query("no-such-question")
    with pytest.raises(og.QueryError, match="malformed SPARQL"):
        kg.sparql("SELECT WHERE {")


# ---------------------------------------------------------------------------- parameters
def test_bad_iri_parameter_is_one_line_not_a_traceback(kg: og.KnowledgeGraph) -> None:
    # before: --param 'region=<not an iri>' ended in a traceback
    with pytest.raises(QueryError, match="is not an IRI"):
        resolve_parameter(kg.store, "<not an iri>", "region")  # type: ignore[arg-type]


def test_unknown_label_for_a_term_parameter_is_an_error(kg: og.KnowledgeGraph) -> None:
    q = load_query("metastases-in-region")
    with pytest.raises(QueryError, match="no ontology term is called 'vertebral colum'"):
        resolve_parameter(kg.store, "vertebral colum", "region", q)  # type: ignore[arg-type]


def _index(*terms: tuple[str, str, tuple[str, ...]]) -> TermIndex:
    from oncograph.vocabulary import Term, Vocabulary

    prefixes: list[dict[str, object]] = [{"prefix": "X", "uri_prefix": "urn:t:"}]
    return TermIndex(Vocabulary([Term(c, "anatomy", "site", label, syns) for c, label, syns in terms], prefixes))


def test_an_ambiguous_synonym_lists_the_candidates() -> None:
    index = _index(("X:1", "left thing", ("thing",)), ("X:2", "right thing", ("thing",)), ("X:3", "thing part", ()))
    with pytest.raises(QueryError) as info:
        resolve_term("Thing", index)
    message = str(info.value)
    assert "names 2 terms" in message and "left thing (X:1)" in message and "right thing (X:2)" in message
    assert resolve_term("left thing", index) == "urn:t:1"
    assert resolve_term("X:3", index) == "urn:t:3"


def test_patient_by_the_short_id_the_tables_show(kg: og.KnowledgeGraph) -> None:
    # before: `query evidence --param patient=2` gave 0 rows although the table showed "2"
    store = kg.store
    one = run_query(store, "evidence", {"patient": "two_cases.txt/patient/2"})  # type: ignore[arg-type]
    assert one.rows and {r[0] for r in one.rows} == {D + "two_cases.txt/patient/2"}
    assert run_query(store, "evidence", {"patient": "2"}).rows == one.rows  # type: ignore[arg-type]
    assert run_query(store, "evidence", {"patient": "two_cases.txt, case 2"}).rows == one.rows  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="could be any of 2 patients"):
        run_query(store, "evidence", {"patient": "1"})  # type: ignore[arg-type]


def test_show_prints_sparql_parameters_and_defaults() -> None:
    text = show_query("metastases-in-region")
    assert text.splitlines()[0].startswith("metastases-in-region: Which metastases")
    assert re.search(r"region\s+default obo:UBERON_0001130", text)
    assert load_query("metastases-in-region").text.strip() in text
    r = CliRunner().invoke(cli, ["query", "drugs-by-role", "--show"])
    assert r.exit_code == 0 and "role" in r.output and "SELECT" in r.output


def test_list_shows_questions_and_parameters_only() -> None:
    r = CliRunner().invoke(cli, ["query", "--list"])
    assert r.exit_code == 0
    assert "analysis-" not in r.output  # before: internal queries were listed
    assert re.search(r"metastases-in-region .*\[--param region=obo:UBERON_0001130\]", r.output)
    assert "documents" in r.output


def test_table_fits_the_terminal_and_cuts_no_cell(kg: og.KnowledgeGraph) -> None:
    from oncograph.query import format_result, readable_labels

    result = run_query(kg.store, "evidence")  # type: ignore[arg-type]
    longest = max(result.rows, key=lambda r: len(r[-1]))[-1]
    assert len(longest) > 48
    wide = format_result(result, "table", labels=readable_labels(kg.store), width=400)  # type: ignore[arg-type]
    assert longest in wide  # before: every cell was cut at 48 characters, whatever the terminal
    for width in (80, 200):
        text = format_result(result, "table", labels=readable_labels(kg.store), width=width)  # type: ignore[arg-type]
        assert max(len(line) for line in text.splitlines()) <= width
        assert "..." not in text
        words = set(re.findall(r"\S+", text))
        assert all(w in words or any(w.startswith(x) for x in words) for w in longest.split()[:6])  # wrapped
    assert "two_cases.txt, case 2" in text and D not in text  # people, not IRIs


# ---------------------------------------------------------------------------- every command with every store
@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    path = tmp_path_factory.mktemp("served") / "store"
    store = load_fixture(Store(path))
    store.flush()
    del store
    s = start(path, EndpointConfig(workers=2))
    yield s
    stop(s)


def test_our_own_serve_is_a_store_for_query_export_and_analyze(served: SparqlServer, tmp_path: Path) -> None:
    # before: --store http://host:7878 meant Oxigraph's paths; analyze said "no store here"
    runner = CliRunner()
    for url in (served.url, served.url + "/sparql"):
        r = runner.invoke(cli, ["query", "bone-metastases", "--store", url, "--format", "csv"])
        assert r.exit_code == 0, r.output
        assert "sacrum" in r.output and "rib" in r.output
        r = runner.invoke(cli, ["analyze", "network", "--store", url, "--out", str(tmp_path / "net")])
        assert r.exit_code == 0, r.output
        assert (tmp_path / "net" / "metastasis-network.graphml").stat().st_size > 0
    r = runner.invoke(cli, ["export", "--format", "nquads", "--store", served.url + "/sparql",
                            "--out", str(tmp_path / "x.nq")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "x.nq").read_text(encoding="utf-8").count("\n") > 50


def test_ingest_through_our_serve_with_the_token(tmp_path: Path) -> None:
    path = tmp_path / "store"
    Store(path).flush()
    s = start(path, EndpointConfig(workers=1, write_token="tok"))
    try:
        env = {"ONCOGRAPH_STORE_TOKEN": "tok"}
        r = CliRunner().invoke(cli, ["ingest", str(FIXTURES / "case_one.txt"), "--store", s.url + "/sparql"], env=env)
        assert r.exit_code == 0, r.output
        r = CliRunner().invoke(cli, ["query", "patients", "--store", s.url, "--format", "csv"], env=env)
        assert r.exit_code == 0 and "case_one.txt" in r.output
    finally:
        stop(s)


def test_analyze_into_an_unwritable_folder_is_one_line(served: SparqlServer) -> None:
    proc = subprocess.run([sys.executable, "-m", "oncograph", "analyze", "network", "--store", served.url,
                           "--out", "/proc/oncograph-x"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "/proc/oncograph-x" in proc.stderr


def test_analyze_timelines_without_dates_warns(tmp_path: Path) -> None:
    path = tmp_path / "store"
    assert og.ingest([FIXTURES / "two_cases.txt"], path, force=True).ok
    proc = subprocess.run([sys.executable, "-m", "oncograph", "analyze", "timelines", "--store", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    if "(0 rows)" in proc.stdout:  # before: an empty plot without a word
        assert "warning" in proc.stderr


# ---------------------------------------------------------------------------- serve as a process
def _serve(path: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "oncograph", "serve", "--store", str(path), "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    line = proc.stderr.readline()
    m = re.search(r"(http://\S+)/sparql", line)
    assert m, line + proc.stderr.read()
    return proc, m.group(1)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_stops_within_a_second_even_with_a_query_running(tmp_path: Path, sig: int) -> None:
    import threading
    import urllib.parse
    import urllib.request

    path = tmp_path / "store"
    Store(path).flush()
    proc, url = _serve(path, "--timeout", "60")
    n = " ".join(map(str, range(500)))
    slow = f"SELECT (COUNT(*) AS ?c) WHERE {{ VALUES ?a {{ {n} }} VALUES ?b {{ {n} }} VALUES ?x {{ {n} }} }}"

    def run() -> None:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{url}/sparql?" + urllib.parse.urlencode({"query": slow}), timeout=30).read()

    threading.Thread(target=run, daemon=True).start()
    time.sleep(1.0)
    t0 = time.monotonic()
    proc.send_signal(sig)
    proc.wait(10)
    assert time.monotonic() - t0 < 1.5
    out = subprocess.run(["pgrep", "-f", f"oncograph.worker {path}"], capture_output=True, text=True)
    assert out.stdout.strip() == ""  # no worker left running


def test_serve_port_in_use_and_ipv6_are_one_line(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "store"
    Store(path).flush()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "oncograph", "serve", "--store", str(path), "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "cannot listen" in proc.stderr
    try:
        socket.socket(socket.AF_INET6).bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    served, url = _serve(path, "--host", "::1")
    try:
        assert url.startswith("http://[::1]:")
    finally:
        served.terminate()
        served.wait(10)




def test_build_through_our_serve(tmp_path: Path) -> None:
    import shutil as sh

    path = tmp_path / "store"
    Store(path).flush()
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    sh.copy(FIXTURES / "case_one.txt", seeds / "case_one.txt")
    s = start(path, EndpointConfig(workers=1, write_token="tok"))
    try:
        r = CliRunner().invoke(cli, ["build", str(seeds), "--store", s.url, "--out", str(tmp_path / "dump.nq")],
                               env={"ONCOGRAPH_STORE_TOKEN": "tok"})
        assert r.exit_code == 0, r.output
        local = tmp_path / "local.nq"
        assert CliRunner().invoke(cli, ["build", str(seeds), "--store", str(tmp_path / "l"), "--out",
                                        str(local)]).exit_code == 0
        assert (tmp_path / "dump.nq").read_bytes() == local.read_bytes()
    finally:
        stop(s)
