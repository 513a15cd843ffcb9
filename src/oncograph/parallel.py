"""Run a function over many items in worker processes and get the results back in order.

Ingest reads and extracts in workers while one process writes (:func:`oncograph.pipeline.ingest`):
extraction is pure Python (the GIL allows one thread at a time), and a store takes one writer.

- The state every call needs (the lexicon, the term index, the store's records) is handed to each
  worker once, when it starts: inherited by ``fork`` where the platform has it (no copy, no
  pickling of the 100 MB lexicon), pickled once per worker otherwise.
- Items go in batches (a task costs about 1 ms of pickling and queueing; a report ~15 ms to
  extract), and at most ``4 × jobs`` batches are in flight, so memory stays bounded by the
  batches in flight, not by the size of the input.
- Results come back in the order of the items, whatever order the workers finish in, so what
  the writer does is the same for any number of workers.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .errors import OncographError

__all__ = ["ParallelError", "available_cores", "ordered_map"]

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

_STATE: Any = None  # the state of the worker process this module runs in


class ParallelError(OncographError, RuntimeError):
    """A worker process died (killed, or out of memory) before it returned its results."""


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform says, else the count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _start(state: Any) -> None:
    global _STATE
    _STATE = state


def _run_batch(func: Callable[[Any, Any], Any], items: Sequence[Any]) -> list[Any]:
    return [func(_STATE, item) for item in items]


def ordered_map(func: Callable[[S, T], R], state: S, items: Sequence[T], jobs: int, *,
                batch: int = 8) -> Iterator[R]:
    """``func(state, item)`` for each item, in the order of ``items``, on ``jobs`` worker processes.

    With ``jobs`` ≤ 1, or a single item, everything runs in this process (no worker starts).
    ``func`` must be a module-level function (workers find it by name).

    Raises
    ------
    ParallelError
        When a worker dies before returning its batch.

    Examples
    --------
    >>> list(ordered_map(divmod, 7, [7, 15, 22], jobs=1))
    [(1, 0), (2, 1), (3, 1)]
    """
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            yield func(state, item)
        return
    methods = mp.get_all_start_methods()
    context = mp.get_context("fork" if "fork" in methods else "spawn")
    batches = [items[i:i + batch] for i in range(0, len(items), batch)]
    workers = min(jobs, len(batches))
    pending: deque[Future[list[R]]] = deque()
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(state,)) as pool:
        todo = iter(batches)
        try:
            for chunk in todo:
                pending.append(pool.submit(_run_batch, func, chunk))
                if len(pending) >= 4 * workers:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BrokenProcessPool as exc:
            raise ParallelError(f"a worker process died ({exc}); run again with --jobs 1 to see the document "
                                "that caused it") from exc
        finally:
            for future in pending:
                future.cancel()
