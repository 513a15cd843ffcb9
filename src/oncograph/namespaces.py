"""The IRIs of oncograph's namespaces as plain strings, for modules that must not import rdflib.

:mod:`oncograph.vocab` declares the same namespaces as rdflib ``Namespace`` objects; the
store, the query library and the command line use these strings so that ``oncograph
query`` starts without importing rdflib (a third of its start-up time).
"""

from __future__ import annotations

__all__ = ["BASE", "ONC_NS"]

BASE = "https://w3id.org/oncograph/"
ONC_NS = BASE + "ontology/"
