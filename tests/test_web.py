"""The YASGUI page in headless Debian chromium, driven over the DevTools protocol."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncograph.server import EndpointConfig, SparqlServer
from oncograph.store import Store

from .test_semantic_queries import load_fixture
from .test_server import request, start, stop


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    path = tmp_path_factory.mktemp("web") / "store"
    store = load_fixture(Store(path))
    store.flush()
    del store
    s = start(path, EndpointConfig(workers=1))
    yield s
    stop(s)


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
        labels = [r.split("\t")[-1].strip() for r in rows]  # plain values: no quotes, no datatypes
        # the vocabulary's own labels (UBERON's), ORDER BY comparing code points
        assert labels == ["femur", "fused sacrum", "gluteal muscle", "liver", "lumbar vertebra 1", "lumbar vertebra 3",
                          "omentum", "rib"]
        # typed values read as plain values (before: "2016"^^xsd:integer in every cell)
        tools.eval("const z = oncographYasgui.getTab().getYasqe(); z.setValue("
                   "'SELECT ?year ?dose WHERE { VALUES (?year ?dose) { (2016 24.5) } }'); true")
        tools.eval("document.querySelector('.yasr tbody').innerHTML = ''; "
                   "document.querySelector('.yasqe_queryButton').click(); true")
        cells = tools.wait("(() => { const r = Array.from(document.querySelectorAll('.yasr tbody tr td'))"
                           ".map(td => td.innerText.trim()); return r.length > 1 ? r : null })()")
        assert cells[-2:] == ["2016", "24.5"]
        tools.ws.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
