"""The analyses as tables and files: what ``oncograph analyze`` prints and writes.

Each ``*_report`` function takes the knowledge graph (see
:func:`~oncograph.analysis.convert.store_to_networkx`), runs one analysis and
returns a :class:`Report`: titled tables (printed on the terminal) and, when an
output folder is given, the files written there (GraphML and GEXF for Gephi and
Cytoscape, CSV, PNG and SVG pictures).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from ..query import Result
from ..safeio import atomic_path
from .cooccurrence import cooccurrence, cooccurrence_matrix, feature_graph
from .network import metastasis_network, site_centrality, top_destinations
from .similarity import patient_communities, similarity_graph
from .timelines import interval_to_first, median_interval, patient_timelines

__all__ = [
    "Report",
    "cooccurrence_report",
    "export_graph",
    "measure_report",
    "network_report",
    "similarity_report",
    "timelines_report",
    "write_csv",
]


@dataclass(frozen=True)
class Report:
    """Titled tables and the files an analysis wrote."""

    tables: tuple[tuple[str, Result], ...]
    files: tuple[Path, ...] = field(default=())


def _scalar(value: Any) -> Any:
    if isinstance(value, tuple | list | set | frozenset):
        return "; ".join(str(v) for v in value)
    return value


def export_graph(graph: nx.Graph, base: Path) -> list[Path]:
    """Write ``graph`` as ``base.graphml`` and ``base.gexf`` (sequences joined by "; ")."""
    flat = graph.__class__()
    flat.graph.update({k: _scalar(v) for k, v in graph.graph.items()})
    for n, d in graph.nodes(data=True):
        flat.add_node(n, **{k: _scalar(v) for k, v in d.items() if v is not None})
    for u, v, d in graph.edges(data=True):
        flat.add_edge(u, v, **{k: _scalar(x) for k, x in d.items() if x is not None})
    graphml, gexf = base.with_suffix(".graphml"), base.with_suffix(".gexf")
    with atomic_path(graphml) as tmp:
        nx.write_graphml(flat, tmp)
    with atomic_path(gexf) as tmp:
        nx.write_gexf(flat, tmp)
    return [graphml, gexf]


def write_csv(path: Path, result: Result) -> Path:
    """Write a table as CSV."""
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
    return path


def _result(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Result:
    return Result(tuple(columns), tuple(tuple("" if c is None else str(c) for c in r) for r in rows))


def _label(g: nx.Graph, node: str) -> str:
    return str(g.nodes[node].get("label", node)) if node in g else node


def _patients(g: nx.Graph, patients: Sequence[str]) -> str:
    return "; ".join(_label(g, p) for p in patients)


def network_report(g: nx.MultiDiGraph, levels: Sequence[str] = (), out: Path | None = None) -> Report:
    """The metastasis network: edges, most frequent destinations per primary site, site centralities."""
    m = metastasis_network(g, levels)
    edges = _result(
        ("source", "target", "kind", "patients", "sites", "documents", "patient_labels"),
        [(m.nodes[u]["label"], m.nodes[v]["label"], "+".join(d["kind"]), d["weight"], ", ".join(d["sites"]),
          "; ".join(d["documents"]), _patients(g, d["patients"]))
         for u, v, d in sorted(m.edges(data=True), key=lambda e: (-e[2]["weight"], _label(m, e[0]), _label(m, e[1])))])
    top = _result(
        ("primary_site", "destination", "patients", "patient_labels"),
        [(m.nodes[u]["label"], m.nodes[v]["label"], n, _patients(g, ps))
         for u, dests in sorted(top_destinations(m).items(), key=lambda x: _label(m, x[0])) for v, n, ps in dests])
    cent = site_centrality(m)
    sites = _result(
        ("site", "curie", "members", "primary_patients", "metastatic_patients", "in_weight", "out_weight",
         "pagerank"),
        [(d["label"], d["curie"], ", ".join(d["members"]), d["primary"], d["metastatic"], cent[n]["in_weight"],
          cent[n]["out_weight"], f"{cent[n]['pagerank']:.3f}") for n, d in sorted(m.nodes(data=True),
                                                                                key=lambda x: x[1]["label"])])
    files: list[Path] = []
    if out is not None:
        from .plots import draw_metastasis_network

        files += export_graph(m, out / "metastasis-network")
        files += [write_csv(out / "metastasis-edges.csv", edges), write_csv(out / "metastasis-sites.csv", sites),
                  write_csv(out / "top-destinations.csv", top)]
        n_patients = len({p for *_, d in m.edges(data=True) for p in d["patients"]})
        files += draw_metastasis_network(m, [out / "metastasis-network.png", out / "metastasis-network.svg"],
                                         title=f"Metastasis network ({n_patients} patients)")
    return Report((("metastasis network: edges (patients per edge)", edges),
                   ("most frequent metastatic destinations per primary site", top),
                   ("sites", sites)), tuple(files))


def timelines_report(g: nx.MultiDiGraph, region: str, out: Path | None = None) -> Report:
    """Patient timelines, and the time from diagnosis to the first metastasis in ``region``."""
    tls = patient_timelines(g)
    events = _result(("patient", "years_from_start", "year", "kind", "what", "detail", "anchor"),
                     [(t.label, f"{e.years:g}", e.year, e.kind, e.label, e.detail, t.anchor)
                      for t in tls for e in t.events])
    intervals = interval_to_first(g, region, tls)
    med = median_interval(intervals)
    region_label = _label(g, region)
    first = _result(("patient", "years_to_first", "year", "site"),
                    [(i.label, f"{i.years:g}", i.year, i.site) for i in intervals]
                    + [(f"median over {len(intervals)} patient(s)", "" if med is None else f"{med:g}", "", "")])
    files: list[Path] = []
    if out is not None:
        from .plots import draw_swimmer_plot

        files += [write_csv(out / "timelines.csv", events), write_csv(out / "first-metastasis-interval.csv", first)]
        files += draw_swimmer_plot(tls, [out / "swimmer.png", out / "swimmer.svg"],
                                   title=f"Patient timelines ({len(tls)} patients with dated events)")
    return Report((("patient timelines (years from diagnosis)", events),
                   (f"years from diagnosis to the first metastasis in the {region_label}", first)), tuple(files))


def cooccurrence_report(g: nx.MultiDiGraph, levels: Sequence[str] = (), out: Path | None = None) -> Report:
    """Marker and therapy co-occurrence across patients."""
    b = feature_graph(g, levels)
    c = cooccurrence(b, ("marker", "therapy"))
    pairs = _result(("feature_a", "feature_b", "kinds", "patients", "patient_labels"),
                    [(c.nodes[u]["label"], c.nodes[v]["label"], f"{c.nodes[u]['kind']}-{c.nodes[v]['kind']}",
                      d["weight"], _patients(g, d["patients"]))
                     for u, v, d in sorted(c.edges(data=True),
                                           key=lambda e: (-e[2]["weight"], _label(c, e[0]), _label(c, e[1])))])
    files: list[Path] = []
    if out is not None:
        from .plots import draw_cooccurrence_heatmap

        files += export_graph(c, out / "cooccurrence")
        files.append(write_csv(out / "cooccurrence.csv", pairs))
        labels, rows = cooccurrence_matrix(c, ("marker",))
        files += draw_cooccurrence_heatmap(labels, rows, [out / "marker-cooccurrence.png",
                                                          out / "marker-cooccurrence.svg"])
    return Report((("marker and therapy co-occurrence (patients having both)", pairs),), tuple(files))


def similarity_report(g: nx.MultiDiGraph, levels: Sequence[str] = (), out: Path | None = None) -> Report:
    """Patient similarity (Jaccard over shared sites, markers, therapies) and communities."""
    b = feature_graph(g, levels)
    s = similarity_graph(b)
    pairs = _result(("patient_a", "patient_b", "jaccard", "shared"),
                    [(_label(g, u), _label(g, v), f"{d['weight']:.3f}",
                      ", ".join(f.split(":", 1)[1] + f" ({f.split(':', 1)[0]})" for f in d["shared"]))
                     for u, v, d in sorted(s.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1]))])
    comms = patient_communities(s)
    for i, com in enumerate(comms, 1):
        for p in com:
            s.nodes[p]["community"] = i
    communities = _result(("community", "patients", "patient_labels"),
                          [(i, len(com), _patients(g, sorted(com))) for i, com in enumerate(comms, 1)])
    files: list[Path] = []
    if out is not None:
        files += export_graph(s, out / "similarity")
        files += [write_csv(out / "similarity.csv", pairs), write_csv(out / "communities.csv", communities)]
    return Report((("patient similarity (Jaccard over sites, markers, therapies)", pairs),
                   ("communities (Louvain, weighted by similarity)", communities)), tuple(files))


def measure_report(result: Result, title: str, out: Path | None = None) -> Report:
    """One measure across studies (a ``measure-across-studies`` result): the table, and with ``out`` a CSV and
    a forest-plot style figure (PNG and SVG), with the pooled value of the whole-cohort figures."""
    from .forest import figures_of, pooled
    from .plots import draw_forest_plot

    figures = figures_of(result)
    mean = pooled(figures)
    summary = _result(("figures", "studies", "patients", "pooled_value"),
                      [(len(figures), len({f.document for f in figures}),
                        sum({f.document: f.n or 0 for f in figures}.values()),
                        "" if mean is None else f"{mean:g}")])
    files: list[Path] = []
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        files.append(write_csv(out / "measure.csv", result))
        units = {f.unit for f in figures}
        files += draw_forest_plot(figures, [out / "forest.png", out / "forest.svg"], title,
                                  unit=units.pop() if len(units) == 1 else "", pooled=mean)
    return Report((("figures of the measure, study by study", result), ("summary", summary)), tuple(files))
