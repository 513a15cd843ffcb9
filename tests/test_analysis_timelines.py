"""Patient timelines and intervals on tiny hand-built graphs."""

from __future__ import annotations

import networkx as nx

from oncograph.analysis import interval_to_first, median_interval, patient_timelines


def course() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("p", kind="Patient", label="case 1")
    g.add_node("q", kind="Patient", label="case 2")
    g.add_node("r", kind="Patient", label="case 3")  # nothing dated: no timeline
    for n, attrs in {
        "dx": {"kind": "Diagnosis", "year": 2003},
        "m1": {"kind": "Metastasis", "year": 2004},
        "m2": {"kind": "Metastasis", "year": 2016, "laterality": "right"},
        "d1": {"kind": "DrugTreatment", "year": 2004, "dose": "400 mg/day"},
        "d2": {"kind": "DrugTreatment", "year": 2016},
        "rt": {"kind": "RadiotherapyEvent", "year": 2016, "dose_gy": 36.0, "fractions": 4},
        "qm": {"kind": "Metastasis", "year": 2010, "month": 7},
        "qs": {"kind": "SurgeryEvent", "year": 2009, "month": 1},
        "rm": {"kind": "Metastasis"},
    }.items():
        g.add_node(n, **attrs)
    for t, label in [("Liver", "liver"), ("Sacrum", "sacrum"), ("Imatinib", "imatinib"), ("Sunitinib", "sunitinib"),
                     ("SRS", "radiosurgery"), ("Wedge", "wedge resection")]:
        g.add_node(t, kind="Term", label=label)
    g.add_edge("Sacrum", "Bone", key="subClassOf")
    for u, v, k in [("p", "dx", "hasEvent"), ("p", "m1", "hasMetastasis"), ("p", "m2", "hasMetastasis"),
                    ("p", "d1", "hasTreatment"), ("p", "d2", "hasTreatment"), ("p", "rt", "hasTreatment"),
                    ("m1", "Liver", "hasSite"), ("m2", "Sacrum", "hasSite"), ("d1", "Imatinib", "hasAgent"),
                    ("d2", "Sunitinib", "hasAgent"), ("d2", "d1", "switchedFrom"), ("rt", "SRS", "hasProcedure"),
                    ("q", "qm", "hasMetastasis"), ("q", "qs", "hasTreatment"), ("qm", "Sacrum", "hasSite"),
                    ("qs", "Wedge", "hasProcedure"), ("r", "rm", "hasMetastasis"), ("rm", "Liver", "hasSite")]:
        g.add_edge(u, v, key=k)
    return g


def test_events_in_years_from_diagnosis() -> None:
    p, q = patient_timelines(course())
    assert (p.label, p.anchor, p.start_year, p.follow_up) == ("case 1", "diagnosis", 2003, 13.0)
    assert [(e.years, e.kind, e.label, e.detail) for e in p.events] == [
        (0.0, "diagnosis", "", ""),
        (1.0, "drug", "imatinib", "400 mg/day"),
        (1.0, "metastasis", "liver", ""),
        (13.0, "drug", "sunitinib", "switched from imatinib"),
        (13.0, "metastasis", "sacrum", "right"),
        (13.0, "radiotherapy", "radiosurgery", "36 Gy in 4 fractions"),
    ]
    # no diagnosis: anchored on the first event, months used when both dates have one
    assert (q.anchor, q.start_year) == ("first event", 2009)
    assert [(e.kind, e.years) for e in q.events] == [("surgery", 0.0), ("metastasis", 1.5)]


def test_interval_to_first_metastasis_in_a_region() -> None:
    g = course()
    intervals = interval_to_first(g, "Bone")
    assert [(i.label, i.years, i.site, i.year) for i in intervals] == [("case 1", 13.0, "sacrum", 2016)]
    assert interval_to_first(g, "Lung") == []
    assert median_interval(intervals) == 13.0
    assert median_interval([]) is None
