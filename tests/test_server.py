"""The SPARQL endpoint, with real HTTP requests on 127.0.0.1 (ephemeral port, server in a thread)."""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef

from oncograph.server import EndpointConfig, SparqlServer, make_server, uses_service
from oncograph.store import Store

from .test_semantic_queries import A1, A2, B1, load_fixture

TOKEN = "s3cret-token"
Q_PATIENTS = ("PREFIX onc: <https://w3id.org/oncograph/ontology/> "
              "SELECT ?p ?label WHERE { ?p a onc:Patient ; onc:patientLabel ?label } ORDER BY ?p")


def start(store: Store, config: EndpointConfig) -> SparqlServer:
    server = make_server(store, "127.0.0.1", 0, config)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    s = start(load_fixture(Store()), EndpointConfig(timeout=5, max_rows=100, write_token=TOKEN))
    yield s
    s.shutdown()
    s.server_close()


def request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
            method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def get(server: SparqlServer, query: str, accept: str = "", **extra: str) -> tuple[int, dict[str, str], bytes]:
    qs = urllib.parse.urlencode({"query": query, **extra})
    return request(f"{server.url}/sparql?{qs}", headers={"Accept": accept} if accept else {})


def json_rows(body: bytes) -> list[dict[str, Any]]:
    data = json.loads(body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_get_select_json(server: SparqlServer) -> None:
    status, headers, body = get(server, Q_PATIENTS)
    assert status == 200
    assert headers["Content-Type"] == "application/sparql-results+json"
    assert json.loads(body)["head"]["vars"] == ["p", "label"]
    assert json_rows(body) == [{"p": A1, "label": "case 1"}, {"p": A2, "label": "case 2"},
                               {"p": B1, "label": "case 1"}]


def test_post_form_and_sparql_query(server: SparqlServer) -> None:
    form = urllib.parse.urlencode({"query": Q_PATIENTS}).encode()
    s1, _, b1 = request(f"{server.url}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})
    s2, _, b2 = request(f"{server.url}/sparql", Q_PATIENTS.encode(), {"Content-Type": "application/sparql-query"})
    assert s1 == s2 == 200
    assert json_rows(b1) == json_rows(b2) and len(json_rows(b1)) == 3


def test_xml_csv_tsv(server: SparqlServer) -> None:
    _, h, body = get(server, Q_PATIENTS, "application/sparql-results+xml")
    assert h["Content-Type"] == "application/sparql-results+xml"
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    uris = [e.text for e in ET.fromstring(body).findall(".//r:binding[@name='p']/r:uri", ns)]
    assert uris == [A1, A2, B1]
    _, h, body = get(server, Q_PATIENTS, "text/csv")
    assert h["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(body.decode()))) == [["p", "label"], [A1, "case 1"], [A2, "case 2"],
                                                            [B1, "case 1"]]
    _, h, body = get(server, Q_PATIENTS, "text/tab-separated-values")
    assert body.decode().splitlines() == ["?p\t?label", f'<{A1}>\t"case 1"', f'<{A2}>\t"case 2"',
                                          f'<{B1}>\t"case 1"']


def test_ask(server: SparqlServer) -> None:
    _, _, body = get(server, f"ASK {{ <{A1}> ?p ?o }}")
    assert json.loads(body)["boolean"] is True


def test_construct_and_describe(server: SparqlServer) -> None:
    q = ("PREFIX onc: <https://w3id.org/oncograph/ontology/> "
         "CONSTRUCT { ?p onc:patientLabel ?l } WHERE { ?p onc:patientLabel ?l }")
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        status, h, body = get(server, q, accept)
        assert status == 200 and h["Content-Type"].startswith(accept)
        g = Graph().parse(data=body, format=fmt)
        assert len(g) == 3
    status, _, body = get(server, f"DESCRIBE <{B1}>")
    g = Graph().parse(data=body, format="turtle")
    assert (URIRef(B1), URIRef("https://w3id.org/oncograph/ontology/patientLabel"), None) in g


def test_library_query_with_a_binding(server: SparqlServer) -> None:
    from oncograph.query import load_query

    _, _, body = get(server, load_query("bone-metastases").text)
    assert [(r["patient"], r["site_label"]) for r in json_rows(body)] == [
        (A1, "sacrum"), (A2, "femur"), (A2, "L1 vertebra"), (A2, "L3 vertebra"), (B1, "rib")]


def test_malformed_sparql_is_400_one_line(server: SparqlServer) -> None:
    status, h, body = get(server, "SELECT WHERE {")
    assert status == 400
    assert h["Content-Type"].startswith("text/plain")
    assert body.decode().startswith("malformed SPARQL") and body.decode().count("\n") == 1


def test_service_refused(server: SparqlServer) -> None:
    status, _, body = get(server, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert status == 403 and b"SERVICE" in body
    assert uses_service("select * { service <x:y> {} }")
    assert not uses_service('SELECT ("SERVICE" AS ?x) {} # SERVICE')


def test_not_acceptable_and_not_found(server: SparqlServer) -> None:
    assert get(server, Q_PATIENTS, "image/png")[0] == 406
    assert request(f"{server.url}/nothing")[0] == 404
    assert request(f"{server.url}/sparql", b"x", {"Content-Type": "text/html"})[0] == 415


def test_row_limit() -> None:
    s = start(load_fixture(Store()), EndpointConfig(timeout=5, max_rows=2))
    try:
        status, h, body = get(s, Q_PATIENTS)
        assert status == 200 and h["X-Oncograph-Truncated"] == "true"
        assert len(json_rows(body)) == 2
    finally:
        s.shutdown()
        s.server_close()


def test_time_limit() -> None:
    s = start(load_fixture(Store()), EndpointConfig(timeout=0.05, max_rows=10))
    try:
        # a cross product of the ~3,000 quads: about a second of work, abandoned after 0.05 s
        # (the worker thread finishes it in the background: pyoxigraph cannot be interrupted)
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
        status, _, body = get(s, slow)
        assert status == 503 and b"time limit" in body
        s.config = EndpointConfig(timeout=30, max_rows=10)
        assert get(s, Q_PATIENTS)[0] == 200  # the server still answers
    finally:
        s.shutdown()
        s.server_close()


def test_update_needs_the_token(server: SparqlServer) -> None:
    update = 'INSERT DATA { GRAPH <urn:test> { <urn:a> <urn:b> "c" } }'
    url = f"{server.url}/sparql"
    ctype = {"Content-Type": "application/sparql-update"}
    assert request(url, update.encode(), ctype)[0] == 401
    assert request(url, update.encode(), {**ctype, "Authorization": "Bearer wrong"})[0] == 401
    assert request(f"{url}?{urllib.parse.urlencode({'update': update})}")[0] == 405
    assert request(url, update.encode(), {**ctype, "Authorization": f"Bearer {TOKEN}"})[0] == 204
    assert json.loads(get(server, "ASK { <urn:a> <urn:b> \"c\" }")[2])["boolean"] is True
    form = urllib.parse.urlencode({"update": "DROP GRAPH <urn:test>"}).encode()
    assert request(url, form, {"Content-Type": "application/x-www-form-urlencoded",
                               "Authorization": f"Bearer {TOKEN}"})[0] == 204
    assert json.loads(get(server, "ASK { <urn:a> <urn:b> \"c\" }")[2])["boolean"] is False


def test_read_only_without_token(tmp_path: Path) -> None:
    s = start(load_fixture(Store()), EndpointConfig())
    try:
        status, _, body = request(f"{s.url}/sparql", b"CLEAR ALL", {"Content-Type": "application/sparql-update",
                                                                    "Authorization": "Bearer x"})
        assert status == 403 and b"read-only" in body
    finally:
        s.shutdown()
        s.server_close()


def test_web_page_and_library(server: SparqlServer) -> None:
    status, h, body = request(f"{server.url}/")
    assert status == 200 and h["Content-Type"].startswith("text/html")
    assert b"/static/yasgui.min.js" in body
    status, h, js = request(f"{server.url}/static/yasgui.min.js")
    assert status == 200 and len(js) > 500_000
    library = json.loads(request(f"{server.url}/queries.json")[2])
    names = [q["name"] for q in library]
    assert "metastases-in-region" in names and "patients" in names
    assert all(q["query"].startswith("# Question:") for q in library)


# ---------------------------------------------------------------------------- the web page in a browser
def _chromium() -> str | None:
    """Debian's chromium: installed by apt when CI=true or when missing and apt is usable."""
    import os
    import shutil
    import subprocess

    path = shutil.which("chromium")
    if path is None and (os.environ.get("CI") == "true" or shutil.which("apt-get")) and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], capture_output=True, timeout=900,
                       check=False)
        path = shutil.which("chromium")
    return path


class _DevTools:
    """A minimal Chrome DevTools Protocol client over websocket-client."""

    def __init__(self, ws_url: str) -> None:
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=20, suppress_origin=True)
        self.next_id = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(msg["error"])
                return dict(msg["result"])

    def eval(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result["result"].get("value")

    def wait(self, expression: str, seconds: float = 30) -> Any:
        import time

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {expression}")


@pytest.mark.slow
def test_editor_in_headless_chromium(server: SparqlServer, tmp_path: Path) -> None:
    import subprocess
    import time

    pytest.importorskip("websocket")
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed and cannot be installed here")
    profile = tmp_path / "profile"
    proc = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--remote-debugging-port=0", "--remote-allow-origins=*", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        end = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            assert time.monotonic() < end, "chromium did not start"
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        pages = json.loads(request(f"http://127.0.0.1:{port}/json/list")[2])
        tools = _DevTools(next(p for p in pages if p["type"] == "page")["webSocketDebuggerUrl"])
        tools.call("Page.enable")
        tools.call("Page.navigate", url=f"{server.url}/")
        n = tools.wait("document.body && document.body.getAttribute('data-library-loaded')")
        assert int(n) >= 14  # one example tab per library query
        assert "metastases-in-region" in tools.eval(
            "Array.from(document.querySelectorAll('.tabPanel, [role=tab]')).map(e => e.textContent).join(' ')"
            " || document.body.innerText")
        # the scratch tab: clear the editor, type a query, run it
        tools.eval("const y = oncographYasgui.getTab().getYasqe(); y.setValue(''); y.focus(); true")
        query = ("PREFIX onc: <https://w3id.org/oncograph/ontology/>\n"
                 "SELECT ?label WHERE { ?p onc:hasMetastasis/onc:hasSite/rdfs:label ?label }\nORDER BY ?label")
        tools.call("Input.insertText", text=query.replace("rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>"))
        typed = tools.eval("oncographYasgui.getTab().getYasqe().getValue()")
        assert "onc:hasMetastasis" in typed
        tools.eval("document.querySelector('.yasqe_queryButton').click(); true")
        rows = tools.wait("(() => { const r = Array.from(document.querySelectorAll('.yasr tbody tr'))"
                          ".map(tr => tr.innerText.trim()); return r.length ? r : null })()")
        labels = [r.split("\t")[-1].strip().strip('"') for r in rows]
        assert labels == ["L1 vertebra", "L3 vertebra", "femur", "gluteal muscle", "liver", "omentum", "rib",
                          "sacrum"]  # ORDER BY compares code points
        tools.ws.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
