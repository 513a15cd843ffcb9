"""Remote stores that misbehave: refuse connections, hang, trickle, answer HTML.  Loopback only."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from oncograph.errors import OncographError, StoreError
from oncograph.remote import RemoteStore


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def fake_server() -> Iterator[Callable[[Callable[[socket.socket], None]], str]]:
    """``fake_server(handler)``: a loopback TCP server calling ``handler(conn)`` per connection; its URL."""
    stops: list[Callable[[], None]] = []

    def make(handler: Callable[[socket.socket], None]) -> str:
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", 0))
        srv.listen(8)
        srv.settimeout(0.2)
        done = threading.Event()

        def loop() -> None:
            while not done.is_set():
                try:
                    conn, _ = srv.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                threading.Thread(target=_serve, args=(handler, conn, done), daemon=True).start()

        threading.Thread(target=loop, daemon=True).start()

        def stop() -> None:
            done.set()
            srv.close()

        stops.append(stop)
        return f"http://127.0.0.1:{srv.getsockname()[1]}/sparql"

    yield make
    for stop in stops:
        stop()


def _serve(handler: Callable[[socket.socket], None], conn: socket.socket, done: threading.Event) -> None:
    try:
        conn.settimeout(10)
        conn.recv(65536)
        handler(conn)
    except OSError:
        pass
    finally:
        conn.close()


def test_connection_refused_is_one_clear_error() -> None:
    store = RemoteStore(f"http://127.0.0.1:{_free_port()}/sparql", timeout=3)
    t0 = time.monotonic()
    with pytest.raises(StoreError, match="cannot reach the SPARQL server"):
        store.query("ASK {}")
    assert time.monotonic() - t0 < 3


def test_a_hanging_server_gives_up_at_the_time_limit(fake_server) -> None:  # type: ignore[no-untyped-def]
    url = fake_server(lambda conn: time.sleep(8))
    store = RemoteStore(url, timeout=1.0)
    t0 = time.monotonic()
    with pytest.raises(StoreError, match="did not answer within 1 s"):
        store.query("ASK {}")
    assert time.monotonic() - t0 < 3


def test_a_trickling_server_is_cut_at_the_deadline_not_per_read(fake_server) -> None:  # type: ignore[no-untyped-def]
    # before: the 120 s timeout was per read, so one byte every 2 s held the client for minutes
    def trickle(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                     b"Content-Length: 100000\r\n\r\n")
        for _ in range(60):
            conn.sendall(b" ")
            time.sleep(0.2)

    store = RemoteStore(fake_server(trickle), timeout=1.5)
    t0 = time.monotonic()
    with pytest.raises(StoreError, match="did not answer within"):
        store.query("ASK {}")
    assert time.monotonic() - t0 < 4


def test_trickled_headers_are_cut_too(fake_server) -> None:  # type: ignore[no-untyped-def]
    def trickle(conn: socket.socket) -> None:
        for ch in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
            conn.sendall(bytes([ch]))
            time.sleep(0.1)

    store = RemoteStore(fake_server(trickle), timeout=1.0)
    t0 = time.monotonic()
    with pytest.raises(StoreError):
        store.query("ASK {}")
    assert time.monotonic() - t0 < 3


def test_an_html_answer_is_named(fake_server) -> None:  # type: ignore[no-untyped-def]
    page = b"<html><body>Please log in</body></html>"

    def html(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(page) + page)

    with pytest.raises(StoreError, match="HTML page"):
        RemoteStore(fake_server(html), timeout=3).query("ASK {}")


def test_garbage_answer_is_a_one_line_error(fake_server) -> None:  # type: ignore[no-untyped-def]
    def garbage(conn: socket.socket) -> None:
        conn.sendall(b"\x00\x01 not http at all\r\n\r\n")

    with pytest.raises(OncographError) as info:
        RemoteStore(fake_server(garbage), timeout=3).query("ASK {}")
    assert "\n" not in str(info.value)


def test_a_failed_write_is_an_error_and_one_request(fake_server) -> None:  # type: ignore[no-untyped-def]
    from rdflib import Literal, URIRef

    requests: list[float] = []

    def fail(conn: socket.socket) -> None:
        requests.append(time.monotonic())
        conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n"
                     b"Content-Length: 5\r\n\r\nboom\n")

    store = RemoteStore(fake_server(fail), timeout=3)
    with pytest.raises(StoreError, match="HTTP 500: boom"):
        store.replace_graph("urn:g", [(URIRef("urn:a"), URIRef("urn:b"), Literal("c"))])
    assert len(requests) == 1  # the graph and its removal went in one request: nothing half-written
