"""Pictures: the metastasis network, a swimmer plot of timelines, a co-occurrence heat map, a forest plot.

Matplotlib with the Agg backend (no display needed); every function writes the
figure to each path given (the format follows the suffix: ``.png``, ``.svg``…)
and returns the paths.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .timelines import Timeline

__all__ = ["draw_cooccurrence_heatmap", "draw_forest_plot", "draw_metastasis_network", "draw_swimmer_plot",
           "network_layers"]

_EDGE_COLOURS = {("primary",): "#2b6cb0", ("sequential",): "#dd6b20", ("primary", "sequential"): "#805ad5"}
_EDGE_NAMES = {("primary",): "primary site → metastasis", ("sequential",): "metastasis → later metastasis",
               ("primary", "sequential"): "both"}


def _save(fig: Any, paths: Sequence[Path]) -> list[Path]:
    """Each picture written whole (a temporary file renamed into place) or not at all."""
    from ..safeio import atomic_path

    out = []
    try:
        for p in paths:
            with atomic_path(p) as tmp:
                fig.savefig(tmp, dpi=150, bbox_inches="tight", format=p.suffix.lstrip(".") or "png")
            out.append(p)
    finally:
        plt.close(fig)
    return out


def _wrap(text: str, width: int) -> str:
    lines: list[str] = []
    for word in text.split(", "):
        if lines and len(lines[-1]) + len(word) + 2 <= width:
            lines[-1] += ", " + word
        else:
            lines.append(word)
    return ",\n".join(lines)


def network_layers(m: nx.DiGraph) -> dict[str, int]:
    """Column of each site: the longest chain of edges leading to it (cycles collapsed).

    Examples
    --------
    >>> import networkx as nx
    >>> network_layers(nx.DiGraph([("stomach", "liver"), ("liver", "sacrum"), ("stomach", "sacrum")]))
    {'liver': 1, 'sacrum': 2, 'stomach': 0}
    """
    cond = nx.condensation(m)
    depth: dict[int, int] = {}
    for c in nx.topological_sort(cond):
        depth[c] = max((depth[p] + 1 for p in cond.predecessors(c)), default=0)
    mapping = cond.graph["mapping"]
    return {n: depth[mapping[n]] for n in sorted(m)}


def _positions(m: nx.DiGraph) -> dict[str, tuple[float, float]]:
    layers = network_layers(m)
    columns: dict[int, list[str]] = defaultdict(list)
    for n, layer in layers.items():
        # a metastatic site whose patients' primary site is unknown stands among the metastases
        lone = m.in_degree(n) == 0 and not m.nodes[n].get("primary") and m.number_of_nodes() > 1
        columns[max(layer, 1) if lone else layer].append(n)
    pos: dict[str, tuple[float, float]] = {}
    for layer in sorted(columns):
        nodes = columns[layer]

        def bary(n: str) -> tuple[float, str]:
            ys = [pos[p][1] for p in m.predecessors(n) if p in pos]
            return (-(sum(ys) / len(ys)) if ys else 0.0, str(m.nodes[n].get("label", n)))

        nodes.sort(key=bary)
        for i, n in enumerate(nodes):
            pos[n] = (float(layer), -float(i) + (len(nodes) - 1) / 2)
    return pos


def draw_metastasis_network(m: nx.DiGraph, paths: Sequence[Path], title: str = "Metastasis network") -> list[Path]:
    """Draw the metastasis network left to right (primary sites first), nodes sized by patients."""
    pos = _positions(m)
    n_cols = max((int(x) for x, _ in pos.values()), default=0) + 1
    n_rows = max((sum(1 for x, _ in pos.values() if x == c) for c in range(n_cols)), default=1)
    fig, ax = plt.subplots(figsize=(max(8.0, 2.9 * n_cols + 2.0), max(5.0, 1.05 * n_rows + 1.2)))
    size = {n: 1 + max(int(d.get("primary", 0)), int(d.get("metastatic", 0))) for n, d in m.nodes(data=True)}
    is_primary = [int(m.nodes[n].get("primary", 0)) > 0 for n in m]
    nx.draw_networkx_nodes(m, pos, ax=ax, node_size=[120 * size[n] for n in m],
                           node_color=["#c53030" if p else "#718096" for p in is_primary],
                           edgecolors="white", linewidths=1.0)
    for kind, colour in _EDGE_COLOURS.items():
        edges = [(u, v) for u, v, d in m.edges(data=True) if tuple(d["kind"]) == kind]
        if not edges:
            continue
        nx.draw_networkx_edges(m, pos, ax=ax, edgelist=edges, edge_color=colour, alpha=0.75,
                               width=[1.2 + 1.6 * (m[u][v]["weight"] - 1) for u, v in edges],
                               arrows=True, arrowstyle="-|>", arrowsize=12, connectionstyle="arc3,rad=0.06",
                               node_size=[120 * size[n] for n in m], min_target_margin=6)
    for n, (x, y) in pos.items():
        d = m.nodes[n]
        ax.text(x, y + 0.17, str(d.get("label", n)), fontsize=9, va="bottom", ha="center", zorder=6,
                bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.85})
        below = [str(d["curie"])] if d.get("curie") else []
        members = [s for s in d.get("members", ()) if s != d.get("label")]
        if members:
            below.append(_wrap(", ".join(members), 34))
        if below:
            ax.text(x, y - 0.17, "\n".join(below), fontsize=7, va="top", ha="center", color="#4a5568", zorder=6,
                    bbox={"boxstyle": "round,pad=0.08", "fc": "white", "ec": "none", "alpha": 0.85})
    handles: list[Any] = [Line2D([], [], color=c, lw=2, label=_EDGE_NAMES[k]) for k, c in _EDGE_COLOURS.items()
                          if any(tuple(d["kind"]) == k for *_, d in m.edges(data=True))]
    handles += [Line2D([], [], marker="o", ls="", color="#c53030", ms=8, label="primary site"),
                Line2D([], [], marker="o", ls="", color="#718096", ms=8, label="metastatic site only"),
                Line2D([], [], color="#4a5568", lw=1.2, label="1 patient"),
                Line2D([], [], color="#4a5568", lw=2.8, label="2 patients"),
                Line2D([], [], color="#4a5568", lw=4.4, label="3 patients (node size: patients too)")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    xs = [x for x, _ in pos.values()] or [0.0]
    ys = [y for _, y in pos.values()] or [0.0]
    ax.set_xlim(min(xs) - 0.45, max(xs) + 0.45)
    ax.set_ylim(min(ys) - 0.75, max(ys) + 0.6)
    ax.set_title(title, fontsize=12)
    ax.axis("off")
    return _save(fig, paths)


_MARKERS: dict[str, dict[str, Any]] = {
    "metastasis": {"marker": "X", "color": "#c53030", "dy": 0.34, "ms": 9},
    "surgery": {"marker": "^", "color": "#2f855a", "dy": 0.14, "ms": 8},
    "diagnosis": {"marker": "D", "color": "black", "dy": 0.0, "ms": 7},
    "procedure": {"marker": "s", "color": "#4a5568", "dy": 0.14, "ms": 6},
    "radiotherapy": {"marker": "*", "color": "#d69e2e", "dy": -0.15, "ms": 12},
    "diagnostic": {"marker": "|", "color": "#a0aec0", "dy": -0.3, "ms": 9},
}
_DRUG_COLOURS = ["#3182ce", "#805ad5", "#38b2ac", "#ed64a6", "#dd6b20", "#718096"]
_LABEL_STEP = 0.24  # height of one stacked line of metastasis labels, in lane units


def _stack(items: Sequence[tuple[float, str]], inch: float, fontsize: float,
           bounds: tuple[float, float]) -> list[tuple[float, str, int]]:
    """Place labels centred near x, inside ``bounds``, in the lowest line where they overlap no earlier label."""
    placed: list[tuple[float, str, int]] = []
    ends: list[float] = []
    for x0, text in sorted(items):
        half = len(text) * fontsize * 0.58 / 72 * inch / 2
        x = min(max(x0, bounds[0] + half), bounds[1] - half)
        level = next((i for i, end in enumerate(ends) if x - half > end), len(ends))
        if level == len(ends):
            ends.append(0.0)
        ends[level] = x + half + 0.1 * inch
        placed.append((x, text, level))
    return placed


def draw_swimmer_plot(timelines: Sequence[Timeline], paths: Sequence[Path],
                      title: str = "Patient timelines") -> list[Path]:
    """A swimmer plot: one lane per patient, years from diagnosis, drugs as coloured spans.

    Each lane shows the diagnosis, surgeries, metastases (with their sites), radiotherapy,
    diagnostic events and drug spans (from a drug's start to the next drug or the last event),
    with the calendar year under each time point.
    """
    span = max((t.follow_up for t in timelines), default=1.0) or 1.0
    width_in = 9.0
    xlim = (-0.06 * span - 0.3, span * 1.06 + 0.3)
    inch = (xlim[1] - xlim[0]) / width_in  # data units per inch
    fs = 7.5
    placed = [_stack([(x, ", ".join(sorted({e.label for e in t.events if e.kind == "metastasis" and e.years == x},
                                           key=lambda lb: min(i for i, e in enumerate(t.events) if e.label == lb))))
                       for x in sorted({e.years for e in t.events if e.kind == "metastasis"})], inch, fs, xlim)
              for t in timelines]
    heights = [1.15 + _LABEL_STEP * (1 + max((lv for *_, lv in p), default=-1)) for p in placed]
    fig, ax = plt.subplots(figsize=(width_in + 3.2, 0.95 * sum(heights) + 1.3))
    ax.set_xlim(*xlim)
    drugs = sorted({e.label for t in timelines for e in t.events if e.kind == "drug"})
    colour = {d: _DRUG_COLOURS[i % len(_DRUG_COLOURS)] for i, d in enumerate(drugs)}
    ticks, labels = [], []
    top = 0.0
    for t, labels_here, h in zip(timelines, placed, heights, strict=True):
        y = top - h + 0.55
        top -= h
        ax.barh(y + 0.02, max(t.follow_up, 0.05), left=0, height=0.78, color="#f7fafc", edgecolor="#cbd5e0",
                zorder=1)
        starts = sorted((e for e in t.events if e.kind == "drug"), key=lambda e: e.years)
        for i, e in enumerate(starts):
            end = starts[i + 1].years if i + 1 < len(starts) else t.follow_up
            ax.barh(y, max(end - e.years, 0.1), left=e.years, height=0.09, color=colour[e.label], zorder=2)
        for kind, style in _MARKERS.items():
            xs = sorted({e.years for e in t.events if e.kind == kind})
            if xs:
                ax.plot(xs, [y + style["dy"]] * len(xs), ls="", marker=style["marker"], color=style["color"],
                        ms=style["ms"], zorder=4, markeredgewidth=0.5 if style["marker"] != "|" else 1.5,
                        markeredgecolor="white" if style["marker"] != "|" else style["color"])
        for x, text, level in labels_here:
            ax.text(x, y + 0.47 + _LABEL_STEP * level, text, fontsize=fs, ha="center", va="bottom",
                    color="#9b2c2c", zorder=5)
        for x in sorted({e.years for e in t.events}):
            year = min(e.year for e in t.events if e.years == x)
            ax.text(x, y - 0.42, str(year), fontsize=fs, ha="center", va="top", color="#2d3748")
        ticks.append(y)
        labels.append(f"{t.label}\n(diagnosed {t.start_year})" if t.anchor == "diagnosis"
                      else f"{t.label}\n(first event {t.start_year})")
    ax.set_yticks(ticks, labels, fontsize=8)
    ax.set_ylim(top - 0.15, 0.15)
    ax.set_xlabel("years from diagnosis (calendar year under each time point)")
    ax.grid(axis="x", color="#e2e8f0", zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles: list[Any] = [Line2D([], [], ls="", marker=s["marker"], color=s["color"], ms=s["ms"] * 0.9, label=k,
                                 markeredgewidth=1.5 if s["marker"] == "|" else 0.5)
                          for k, s in _MARKERS.items()
                          if any(e.kind == k for t in timelines for e in t.events)]
    handles += [Patch(color=c, label=f"drug: {d}") for d, c in colour.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.03, 1.0), fontsize=8, frameon=False)
    ax.set_title(title, fontsize=12)
    return _save(fig, paths)


def draw_cooccurrence_heatmap(labels: Sequence[str], rows: Sequence[Sequence[int]], paths: Sequence[Path],
                              title: str = "Marker co-occurrence (patients)") -> list[Path]:
    """A heat map of a square co-occurrence matrix, each cell annotated with its count."""
    k = max(len(labels), 1)
    fig, ax = plt.subplots(figsize=(1.6 + 0.62 * k, 1.2 + 0.55 * k))
    im = ax.imshow(rows if rows else [[0]], cmap="Blues", vmin=0)
    top = max((v for r in rows for v in r), default=0)
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            ax.text(j, i, str(v), ha="center", va="center", fontsize=8,
                    color="white" if top and v > 0.6 * top else "#1a202c" if v else "#a0aec0")
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    cbar = fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, ticks=MaxNLocator(integer=True))
    cbar.set_label("patients (diagonal: with the marker result)", fontsize=8)
    ax.set_title(title, fontsize=11)
    return _save(fig, paths)


def draw_forest_plot(figures: Sequence[Any], paths: Sequence[Path], title: str, unit: str = "",
                     pooled: float | None = None) -> list[Path]:
    """A forest-plot style figure: a row per study figure (a square sized by n, a line for its interval
    or range), the studies' labels on the left, a dashed line at the pooled value."""
    k = max(len(figures), 1)
    fig, ax = plt.subplots(figsize=(8.5, 1.2 + 0.42 * k))
    top = max((f.n or 0 for f in figures), default=0) or 1
    for i, f in enumerate(figures):
        y = k - 1 - i
        if f.low is not None and f.high is not None:
            ax.plot([f.low, f.high], [y, y], color="#4a5568", linewidth=1.2)
        size = 30 + 170 * ((f.n or 0) / top) ** 0.5
        ax.scatter([f.value], [y], s=size, marker="s", color="#2b6cb0" if not f.subgroup else "#dd6b20", zorder=3)
        ax.annotate(f"{f.value:g}", (f.value, y), xytext=(6, 6), textcoords="offset points", fontsize=7)
    labels = [f"{f.document}" + (f" — {f.subgroup}" if f.subgroup else (f"  (n={f.n})" if f.n else ""))
              for f in figures]
    ax.set_yticks(range(k - 1, k - 1 - len(labels), -1), [_wrap(lb, 60) for lb in labels], fontsize=8)
    if pooled is not None:
        ax.axvline(pooled, linestyle="--", color="#a0aec0", linewidth=1)
        ax.annotate(f"pooled {pooled:.3g}", (pooled, k - 0.5), fontsize=7, color="#718096", ha="center")
    ax.set_xlabel(unit or "value", fontsize=9)
    ax.set_ylim(-0.8, k - 0.2)
    ax.grid(axis="x", color="#edf2f7")
    ax.set_title(title, fontsize=11)
    handles = [Line2D([], [], marker="s", linestyle="", color="#2b6cb0", label="whole cohort"),
               Line2D([], [], marker="s", linestyle="", color="#dd6b20", label="subgroup")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    return _save(fig, paths)
