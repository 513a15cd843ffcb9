"""Benchmark: the endpoint under 200 concurrent clients, against a baseline measured in the same run.

Baseline: the same query run in this process on the same store with pyoxigraph directly.
The clients run in a separate process (so that they do not share the server's interpreter).
Printed: the baseline's time per query, the endpoint's p50/p95/p99 latency and throughput at
200 concurrent clients, the ratios to the baseline, the error count; then the same while
``--slow`` long queries (killed at the time limit) run beside them.  Loopback only, bounded.

    python benchmarks/bench_server.py [--clients 200] [--requests 2000] [--slow 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

from oncograph.server import EndpointConfig, make_server
from oncograph.store import Store

EX = "urn:bench:"
QUERY = f"SELECT ?p ?name WHERE {{ ?p <{EX}name> ?name ; <{EX}age> ?age FILTER(?age > 60) }} LIMIT 20"


def build(path: Path, n: int) -> None:
    store = Store(path)
    quads = []
    for i in range(n):
        p = ox.NamedNode(f"{EX}p{i}")
        g = ox.NamedNode(f"{EX}g{i % 100}")
        quads.append(ox.Quad(p, ox.NamedNode(EX + "name"), ox.Literal(f"person {i}"), g))
        quads.append(ox.Quad(p, ox.NamedNode(EX + "age"), ox.Literal(str(i % 90),
                                                                        datatype=ox.NamedNode(
                                                                            "http://www.w3.org/2001/XMLSchema#integer")),
                             g))
    store.oxigraph.extend(quads)
    store.flush()
    del store


def baseline(path: Path, repeat: int = 300) -> float:
    store = ox.Store.read_only(str(path))
    t0 = time.perf_counter()
    for _ in range(repeat):
        list(store.query(QUERY, use_default_graph_as_union=True))
    return (time.perf_counter() - t0) / repeat


def load(url: str, clients: int, requests: int, query: str = QUERY) -> tuple[list[float], dict[int, int]]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    todo = iter(range(requests))
    target = f"{url}/sparql?" + urllib.parse.urlencode({"query": query})

    def client() -> None:
        while True:
            with lock:
                if next(todo, None) is None:
                    return
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(target, timeout=60) as r:
                    r.read()
                    status = r.status
            except urllib.error.HTTPError as e:
                status = e.code
            except OSError:
                status = 0
            with lock:
                latencies.append(time.perf_counter() - t0)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    return latencies, statuses


def load_elsewhere(url: str, clients: int, requests: int) -> tuple[list[float], dict[int, int]]:
    """:func:`load` in a child process (its own interpreter and GIL)."""
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, __file__, "--client", url, "--clients", str(clients),
                          "--requests", str(requests)], capture_output=True, text=True, timeout=900, check=True)
    data = json.loads(out.stdout)
    return data["latencies"], {int(k): v for k, v in data["statuses"].items()}


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--people", type=int, default=20000)
    ap.add_argument("--slow", type=int, default=3, help="long queries running beside the load")
    ap.add_argument("--client", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.client:  # the load generator's process
        import json

        lat, statuses = load(a.client, a.clients, a.requests)
        print(json.dumps({"latencies": lat, "statuses": statuses}))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"
        build(path, a.people)
        base = baseline(path)
        server = make_server(path, "127.0.0.1", 0, EndpointConfig(timeout=5, workers=4, slow_after=1.0))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            load(server.url, 4, 40)  # warm the workers
            for label, slow in (("alone", 0), (f"with {a.slow} long queries", a.slow)):
                n = " ".join(map(str, range(400)))
                long_q = (f"SELECT (COUNT(*) AS ?c) WHERE {{ VALUES ?a {{ {n} }} VALUES ?b {{ {n} }} "
                          f"VALUES ?c {{ {n} }} }}")
                hogs = [threading.Thread(target=load, args=(server.url, 1, 2, long_q)) for _ in range(slow)]
                for h in hogs:
                    h.start()
                t0 = time.perf_counter()
                lat, statuses = load_elsewhere(server.url, a.clients, a.requests)
                wall = time.perf_counter() - t0
                for h in hogs:
                    h.join(120)
                p50, p95, p99 = pct(lat, 50), pct(lat, 95), pct(lat, 99)
                print(f"{label}: {a.requests} requests from {a.clients} clients in {wall:.2f} s "
                      f"({a.requests / wall:.0f}/s); statuses {dict(sorted(statuses.items()))}")
                print(f"  baseline (pyoxigraph in process): {base * 1000:.2f} ms per query")
                print(f"  endpoint p50 {p50 * 1000:.1f} ms ({p50 / base:.0f}x), p95 {p95 * 1000:.1f} ms, "
                      f"p99 {p99 * 1000:.1f} ms ({p99 / base:.0f}x)")
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
