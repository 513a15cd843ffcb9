"""oncograph: a knowledge graph of tumours, metastatic sites, markers and therapies.

>>> import oncograph as og
>>> kg = og.open()   # og.open("DIR"), og.open("http://host:7878/sparql")

``og.open``, ``og.ingest``, :class:`og.KnowledgeGraph` and the error hierarchy are imported
on first use, so ``import oncograph`` stays cheap (the endpoint's workers import it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import KnowledgeGraph, ingest, open
    from .errors import InputError, OncographError, OntologyError, QueryError, StoreError

__all__ = ["InputError", "KnowledgeGraph", "OncographError", "OntologyError", "QueryError", "StoreError",
           "__version__", "ingest", "open"]

_API = {"KnowledgeGraph": "api", "ingest": "api", "open": "api", "InputError": "errors",
        "OncographError": "errors", "OntologyError": "errors", "QueryError": "errors", "StoreError": "errors"}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # 15 ms: read when asked, not at import

    try:
        return version("oncograph")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        globals()["__version__"] = value = _version()
        return value
    if name in _API:
        from importlib import import_module

        value = getattr(import_module(f".{_API[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'oncograph' has no attribute {name!r}")
