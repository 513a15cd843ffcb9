"""The analyses on the seeds plus the shared dev documents: the numbers the issue pins."""

from __future__ import annotations

import doctest
import importlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from oncograph.analysis import (
    interval_to_first,
    median_interval,
    metastasis_network,
    patient_timelines,
    resolve_term,
    store_to_networkx,
)
from oncograph.analyze_cli import analyze
from oncograph.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev" / "docs"
SEED0 = "000_217cd778b81c9127.txt"


@pytest.mark.parametrize("module", ["convert", "network", "timelines", "cooccurrence", "similarity", "plots"])
def test_docstring_examples(module: str) -> None:
    mod = importlib.import_module(f"oncograph.analysis.{module}")
    failed, _ = doctest.testmod(mod)
    assert failed == 0


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    if not DEV.is_dir():
        pytest.skip("../shared/eval/dev/docs is not here")
    from oncograph.pipeline import ingest

    path = tmp_path_factory.mktemp("store")
    s = Store(path)
    report = ingest([ROOT / "seeds", DEV], s)
    assert not report.errors
    s.flush()
    return s


def _edges(m: nx.DiGraph) -> dict[tuple[str, str], dict[str, object]]:
    return {(m.nodes[u]["label"], m.nodes[v]["label"]): d for u, v, d in m.edges(data=True)}


@pytest.mark.slow
def test_metastasis_network_on_seeds_and_dev(store: Store) -> None:
    g = store_to_networkx(store)
    levels = [resolve_term(store, "vertebral column"), resolve_term(store, "UBERON:0003690")]  # sacrum
    m = metastasis_network(g, levels)
    e = _edges(m)
    assert e[("stomach", "liver")]["weight"] == 2
    assert e[("stomach", "liver")]["documents"] == (SEED0, "06-gastric-gist-orbit-inferior-rectus.txt")
    assert e[("stomach", "sacrum")]["weight"] == 2  # both patients of seed 000
    assert e[("stomach", "sacrum")]["documents"] == (SEED0,)
    assert e[("stomach", "vertebral column")]["weight"] == 1
    assert e[("stomach", "vertebral column")]["sites"] == ("L1 vertebra", "L3 vertebra")
    assert e[("liver", "sacrum")]["kind"] == ("sequential",)  # 2004 liver, then 2016 sacrum
    vc = next(n for n, d in m.nodes(data=True) if d["label"] == "vertebral column")
    assert m.nodes[vc]["curie"] == "UBERON:0001130"
    # without the sacrum as a level of its own, the sacrum is part of the vertebral column
    e1 = _edges(metastasis_network(g, levels[:1]))
    assert e1[("stomach", "vertebral column")]["weight"] == 2
    assert ("stomach", "sacrum") not in e1
    # no roll-up: the recorded sites
    e0 = _edges(metastasis_network(g))
    assert e0[("stomach", "L1 vertebra")]["weight"] == 1 and ("stomach", "vertebral column") not in e0


@pytest.mark.slow
def test_timelines_of_seed_000(store: Store) -> None:
    g = store_to_networkx(store)
    tls = {t.label: t for t in patient_timelines(g)}
    one, two = tls[f"{SEED0}, case 1"], tls[f"{SEED0}, case 2"]
    assert (one.anchor, one.start_year, one.follow_up) == ("diagnosis", 2003, 13.0)
    assert (two.anchor, two.start_year, two.follow_up) == ("diagnosis", 2009, 8.0)
    assert sorted({e.year for e in one.events}) == [2003, 2004, 2016]
    assert sorted({e.year for e in two.events}) == [2009, 2014, 2017]
    intervals = interval_to_first(g, resolve_term(store, "bone"))
    assert [(i.label, i.years, i.site) for i in intervals] == [(f"{SEED0}, case 1", 13.0, "sacrum"),
                                                               (f"{SEED0}, case 2", 8.0, "L1 vertebra")]
    assert median_interval(intervals) == 10.5


@pytest.mark.slow
def test_cli_writes_tables_graphs_and_pictures(store: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    store.flush()
    path = str(store.path)
    res = runner.invoke(analyze, ["network", "--store", path, "--level", "vertebral column", "--level", "sacrum",
                                  "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert re.search(r"stomach\s+sacrum", res.output)
    for name in ("metastasis-network.graphml", "metastasis-network.gexf", "metastasis-network.png",
                 "metastasis-network.svg", "metastasis-edges.csv", "top-destinations.csv"):
        assert (tmp_path / name).stat().st_size > 0, name
    back = nx.read_graphml(tmp_path / "metastasis-network.graphml")
    labels = {(back.nodes[u]["label"], back.nodes[v]["label"]): d for u, v, d in back.edges(data=True)}
    assert labels[("stomach", "vertebral column")]["sites"] == "L1 vertebra; L3 vertebra"
    assert ET.parse(tmp_path / "metastasis-network.gexf").getroot().tag.endswith("gexf")
    for cmd, files in (("timelines", ("swimmer.png", "swimmer.svg", "timelines.csv")),
                       ("cooccurrence", ("marker-cooccurrence.png", "cooccurrence.graphml")),
                       ("similarity", ("similarity.gexf", "communities.csv"))):
        res = runner.invoke(analyze, [cmd, "--store", path, "--out", str(tmp_path)])
        assert res.exit_code == 0, res.output
        for name in files:
            assert (tmp_path / name).stat().st_size > 0, name
    out = runner.invoke(analyze, ["timelines", "--store", path]).output
    assert re.search(r"^median over 2 patient\(s\) +10\.5$", out, re.MULTILINE)
