"""The one error hierarchy of oncograph.

Every error a user can cause (a bad file, a bad query, a missing store) is an
:class:`OncographError`; the command line prints its message on one line and
exits non-zero, never with a traceback.
"""

from __future__ import annotations

__all__ = [
    "InputError",
    "OncographError",
    "OntologyError",
    "QueryError",
    "StoreError",
]


class OncographError(Exception):
    """Base class of every error oncograph raises on purpose."""


class InputError(OncographError, ValueError):
    """A document cannot be read: empty, binary, undecodable, malformed, too large."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:  # back from a worker process whole
        return (type(self), (self.path, self.reason))


class QueryError(OncographError, ValueError):
    """A SPARQL query is unknown, malformed, or given bad parameters."""


class StoreError(OncographError):
    """The store cannot be opened, read or written."""


class OntologyError(OncographError):
    """The ontology is missing, malformed or fails a check."""
