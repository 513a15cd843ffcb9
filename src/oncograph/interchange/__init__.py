"""Exports in the interchange formats of other communities, one module per format.

:data:`INTERCHANGE` maps a format name of ``oncograph export --format`` to the module
here that writes it; :data:`EXPORT_FORMATS` lists every export format. Both are kept in
this light module so that the command line can offer the choices without importing the
writers. The contract of a module is in :mod:`oncograph.export`.
"""

from __future__ import annotations

__all__ = ["EXPORT_FORMATS", "INTERCHANGE"]

#: interchange format -> the module of this package that writes it
INTERCHANGE: dict[str, str] = {
    "bioc": "bioc",
    "bioc-json": "bioc",
    "fhir": "fhir",
    "kgx": "kgx",
}

#: every format of ``oncograph export``: the RDF ones, csv, sssom, then the interchange ones
EXPORT_FORMATS: tuple[str, ...] = ("trig", "nquads", "turtle", "jsonld", "owl", "csv", "sssom", *INTERCHANGE)
