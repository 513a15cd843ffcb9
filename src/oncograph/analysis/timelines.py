"""Patient timelines: every dated event, in years from the diagnosis of the primary tumour.

A timeline lists the diagnosis, surgeries, drugs (start, and switch from an
earlier drug), metastases, radiotherapy and diagnostic events of one patient.
Time zero is the year (and month, when every date involved has one) of the
primary tumour's diagnosis; a patient without it is anchored on the earliest
dated event (``anchor="first event"``).  The last dated event stands for the last
follow-up the report tells of.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from .convert import regions, targets
from .network import patient_documents

__all__ = [
    "EVENT_KINDS",
    "Interval",
    "Timeline",
    "TimelineEvent",
    "interval_to_first",
    "median_interval",
    "patient_timelines",
]

#: Class of an event → the kind shown in tables and plots.
EVENT_KINDS = {
    "Diagnosis": "diagnosis",
    "SurgeryEvent": "surgery",
    "DrugTreatment": "drug",
    "RadiotherapyEvent": "radiotherapy",
    "TreatmentEvent": "procedure",
    "Metastasis": "metastasis",
    "DiagnosticEvent": "diagnostic",
}
_WHAT = ("hasAgent", "hasProcedure", "hasSite")


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event of a patient's course."""

    kind: str  # a value of EVENT_KINDS
    label: str  # what: the drug, procedure or site
    year: int
    month: int | None
    years: float  # since time zero
    detail: str = ""  # dose, switch, laterality…
    node: str = ""


@dataclass(frozen=True)
class Timeline:
    """The course of one patient."""

    patient: str
    label: str
    documents: tuple[str, ...]
    anchor: str  # "diagnosis" or "first event"
    start_year: int
    start_month: int | None
    events: tuple[TimelineEvent, ...]

    @property
    def follow_up(self) -> float:
        """Years from time zero to the last dated event."""
        return max((e.years for e in self.events), default=0.0)


def _offset(year: int, month: int | None, y0: int, m0: int | None) -> float:
    if month is not None and m0 is not None:
        return round(year - y0 + (month - m0) / 12, 3)
    return float(year - y0)


def _what(g: nx.MultiDiGraph, node: str) -> list[str]:
    for key in _WHAT:
        found = targets(g, node, key)
        if found:
            return [str(g.nodes[t].get("label", t)) for t in found]
    return [""]


def patient_timelines(g: nx.MultiDiGraph) -> list[Timeline]:
    """The timeline of every patient with at least one dated event, sorted by patient.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The knowledge graph of patients, facts and terms.

    Returns
    -------
    list of Timeline

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p", kind="Patient", label="case 1")
    >>> g.add_node("dx", kind="Diagnosis", year=2003)
    >>> g.add_node("m", kind="Metastasis", year=2004)
    >>> g.add_node("Liver", kind="Term", label="liver")
    >>> for u, v, k in [("p", "dx", "hasEvent"), ("p", "m", "hasMetastasis"), ("m", "Liver", "hasSite")]:
    ...     _ = g.add_edge(u, v, key=k)
    >>> [(e.kind, e.label, e.years) for e in patient_timelines(g)[0].events]
    [('diagnosis', '', 0.0), ('metastasis', 'liver', 1.0)]
    """
    out = []
    for p in sorted(n for n, k in g.nodes(data="kind") if k == "Patient"):
        facts = set(targets(g, p, "hasEvent")) | set(targets(g, p, "hasTreatment")) | set(
            targets(g, p, "hasMetastasis"))
        dated = [f for f in sorted(facts)
                 if g.nodes[f].get("kind") in EVENT_KINDS and g.nodes[f].get("year") is not None]
        if not dated:
            continue
        dx = [f for f in dated if g.nodes[f]["kind"] == "Diagnosis"]
        if dx:
            first = min(dx, key=lambda f: (g.nodes[f]["year"], g.nodes[f].get("month") or 0))
            anchor = "diagnosis"
        else:
            first = min(dated, key=lambda f: (g.nodes[f]["year"], g.nodes[f].get("month") or 0))
            anchor = "first event"
        y0, m0 = g.nodes[first]["year"], g.nodes[first].get("month")
        events = []
        for f in dated:
            a = g.nodes[f]
            kind = EVENT_KINDS[a["kind"]]
            detail = []
            if a.get("laterality"):
                detail.append(str(a["laterality"]))
            if a.get("dose"):
                detail.append(str(a["dose"]))
            if a.get("dose_gy") is not None:
                frac = f" in {a['fractions']} fractions" if a.get("fractions") else ""
                detail.append(f"{a['dose_gy']:g} Gy{frac}")
            prev = targets(g, f, "switchedFrom")
            if prev:
                detail.append("switched from " + ", ".join(_what(g, prev[0])))
            for what in _what(g, f):
                events.append(TimelineEvent(kind, what, a["year"], a.get("month"),
                                            _offset(a["year"], a.get("month"), y0, m0), "; ".join(detail), f))
        events.sort(key=lambda e: (e.years, e.kind != "diagnosis", e.kind, e.label))
        out.append(Timeline(p, str(g.nodes[p].get("label", p)), tuple(patient_documents(g, p)), anchor,
                            y0, m0, tuple(events)))
    return out


@dataclass(frozen=True)
class Interval:
    """Years from time zero to the first metastasis inside a region, for one patient."""

    patient: str
    label: str
    years: float
    site: str  # the site of that first metastasis
    year: int


def interval_to_first(g: nx.MultiDiGraph, region: str, timelines: Sequence[Timeline] | None = None) -> list[Interval]:
    """For each patient anchored on a diagnosis, the time to the first metastasis lying in ``region``.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The knowledge graph.
    region : str
        A region term, e.g. the IRI of "bone".
    timelines : sequence of Timeline, optional
        Precomputed :func:`patient_timelines` of ``g``.

    Returns
    -------
    list of Interval
        Sorted by patient; patients with no such dated metastasis are left out.
    """
    out = []
    for t in timelines if timelines is not None else patient_timelines(g):
        if t.anchor != "diagnosis":
            continue
        hits = [e for e in t.events if e.kind == "metastasis"
                and any(region in regions(g, s) for s in targets(g, e.node, "hasSite"))]
        if hits:
            first = min(hits, key=lambda e: (e.years, e.label))
            out.append(Interval(t.patient, t.label, first.years, first.label, first.year))
    return out


def median_interval(intervals: Sequence[Interval]) -> float | None:
    """The median of the intervals' years (None when there are none).

    Examples
    --------
    >>> median_interval([Interval("a", "a", 13.0, "sacrum", 2016), Interval("b", "b", 8.0, "L1", 2017)])
    10.5
    """
    return float(statistics.median(i.years for i in intervals)) if intervals else None
