"""Analyses of the oncograph graph with networkx.

The store is converted once, explicitly, into a networkx graph of individuals
and terms (:func:`store_to_networkx`); every analysis is then a function shaped
like a networkx algorithm: a graph in, plain data (or a new graph) out.
:func:`analysis_graph` keeps the converted graph of an on-disk store as a
snapshot until the store changes (:mod:`oncograph.analysis.snapshot`).
Pictures live in :mod:`oncograph.analysis.plots` (imported on demand: matplotlib
is slow to load).
"""

from __future__ import annotations

from .convert import AnalysisError, curie, regions, resolve_term, store_to_networkx
from .cooccurrence import cooccurrence, cooccurrence_matrix, feature_graph
from .network import metastasis_network, rollup, site_centrality, top_destinations
from .similarity import jaccard_similarity, patient_communities, similarity_graph
from .snapshot import analysis_graph
from .timelines import Interval, Timeline, TimelineEvent, interval_to_first, median_interval, patient_timelines

__all__ = [
    "AnalysisError",
    "Interval",
    "Timeline",
    "TimelineEvent",
    "analysis_graph",
    "cooccurrence",
    "cooccurrence_matrix",
    "curie",
    "feature_graph",
    "interval_to_first",
    "jaccard_similarity",
    "median_interval",
    "metastasis_network",
    "patient_communities",
    "patient_timelines",
    "regions",
    "resolve_term",
    "rollup",
    "similarity_graph",
    "site_centrality",
    "store_to_networkx",
    "top_destinations",
]
