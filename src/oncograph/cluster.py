"""Run ingest's reading and extraction on a Dask cluster, past one machine.

:func:`ordered_map` is :func:`oncograph.parallel.ordered_map` on the workers of a Dask scheduler
(``tcp://scheduler:8786``): the items go in batches (a Dask task costs about a millisecond, a
report 15–200 ms; 50 reports a task by default), at most four batches per worker thread are in
flight, and the results come back in the order of the items, so the one writer (this process,
into the embedded store or a SPARQL server through :class:`oncograph.remote.RemoteStore`) stores
the same as a local ingest.

The state every call needs is sent to each worker once (``scatter`` with ``broadcast``); what
is heavy and the same everywhere (the lexicon, the term index) stays out of it: each worker
process loads its own from the package, once. The workers must run the same version of
oncograph and read the files at the same paths (a shared file system).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from .parallel import ParallelError

__all__ = ["CONNECT_TIMEOUT", "ordered_map"]

#: seconds to wait for the scheduler before giving up
CONNECT_TIMEOUT = 20

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


def _run_batch(func: Callable[[Any, Any], Any], state: Any, items: Sequence[Any]) -> list[Any]:
    return [func(state, item) for item in items]


def ordered_map(func: Callable[[S, T], R], state: S, items: Sequence[T], address: str, *,
                batch: int = 50) -> Iterator[R]:
    """``func(state, item)`` for each item, in the order of ``items``, on the cluster at ``address``.

    Raises
    ------
    ParallelError
        When the scheduler cannot be reached, or a task fails for a reason other than its function's.
    """
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - the cluster extra is not installed
        raise ParallelError("--dask needs the distributed package (pip install 'oncograph[cluster]')") from exc
    dist: Any = distributed  # untyped: its calls are typed here by what they return
    if not items:
        return
    try:
        client = dist.Client(address, timeout=f"{CONNECT_TIMEOUT}s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ParallelError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    with client:
        threads = max(1, sum(client.nthreads().values()))
        shared = client.scatter(state, broadcast=True, hash=False)
        pending: deque[Any] = deque()
        try:
            for start in range(0, len(items), batch):
                pending.append(client.submit(_run_batch, func, shared, items[start:start + batch], pure=False))
                if len(pending) >= 4 * threads:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except (OSError, TimeoutError, dist.KilledWorker) as exc:
            raise ParallelError(f"the Dask cluster at {address} failed: {exc}") from exc
        finally:
            for future in pending:
                future.cancel()
