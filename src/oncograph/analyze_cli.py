"""``oncograph analyze``: the networkx analyses of the store, as tables and files.

Registered on the main command line by ``cli.add_command(analyze)``.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = ["analyze"]

F = TypeVar("F", bound=Callable[..., Any])


def _default_store() -> str:
    from .store import DEFAULT_STORE

    return os.environ.get("ONCOGRAPH_STORE", str(DEFAULT_STORE))


def _options(func: F) -> F:
    """--store, --level and --out, defined once for every subcommand."""
    func = click.option("--out", type=click.Path(file_okay=False), default=None, metavar="DIR",
                        help="write GraphML, GEXF, CSV and pictures (PNG, SVG) to DIR")(func)
    func = click.option("--level", "levels", multiple=True, metavar="LABEL-OR-CURIE",
                        help="roll sites up to this region (label or CURIE, e.g. 'vertebral column' or "
                             "UBERON:0001130); repeat for several, the most specific wins")(func)
    func = click.option("--fresh", is_flag=True,
                        help="convert the store again even if the snapshot of its analysis graph is current")(func)
    return click.option("--store", "store_path", default=_default_store, metavar="DIR",
                        help="store folder, or http(s) URL of a SPARQL 1.1 server "
                             "(default: .oncograph/store, or $ONCOGRAPH_STORE)")(func)


def _run(store_path: str, levels: tuple[str, ...], out: str | None, name: str, fresh: bool = False,
         **kw: Any) -> None:
    from .analysis import report as rep
    from .analysis.convert import AnalysisError, resolve_term
    from .analysis.snapshot import analysis_graph
    from .api import open as open_store
    from .query import format_result

    store = open_store(store_path, read_only=True).store
    level_iris = [resolve_term(store, lv) for lv in levels]  # type: ignore[arg-type]
    g, labels = analysis_graph(store, cache=not fresh)
    gc.freeze()  # the graph lives as long as this command: collections need not walk its million objects again
    if not any(k == "Patient" for _, k in g.nodes(data="kind")):
        raise AnalysisError(f"{store_path}: no patients in the store (run `oncograph ingest` first)")
    out_dir = Path(out) if out else None
    for node, label in labels.items():  # people, not hashes, in tables and pictures
        if node in g:
            g.nodes[node]["label"] = label
    if name == "network":
        result = rep.network_report(g, level_iris, out_dir)
    elif name == "timelines":
        result = rep.timelines_report(g, resolve_term(store, kw["region"]), out_dir)  # type: ignore[arg-type]
    elif name == "cooccurrence":
        result = rep.cooccurrence_report(g, level_iris, out_dir)
    else:
        result = rep.similarity_report(g, level_iris, out_dir)
    for title, table in result.tables:
        click.echo(f"== {title}")
        click.echo(format_result(table, "table", labels=labels))
        if not table.rows:
            click.echo(f"oncograph: warning: {title}: no rows"
                       + (" (no patient has dated events)" if name == "timelines" else "")
                       + ("; the files written for it are empty" if out_dir else ""), err=True)
    for path in result.files:
        click.echo(f"oncograph: wrote {path}", err=True)


@click.group()
def analyze() -> None:
    """Analyse the graph: metastasis network, timelines, co-occurrence, similarity (networkx); a measure across "
      "studies."""


@analyze.command()
@_options
def network(store_path: str, levels: tuple[str, ...], out: str | None, fresh: bool) -> None:
    """Sites as nodes, primary → metastatic and metastatic → later metastatic edges, weighted by patients."""
    _run(store_path, levels, out, "network", fresh)


@analyze.command()
@_options
@click.option("--region", default="bone", show_default=True, metavar="LABEL-OR-CURIE",
              help="region of the first metastasis to time (from diagnosis)")
def timelines(store_path: str, levels: tuple[str, ...], out: str | None, fresh: bool, region: str) -> None:
    """Each patient's events in years from diagnosis; a swimmer plot with --out."""
    _run(store_path, levels, out, "timelines", fresh, region=region)


@analyze.command()
@_options
def cooccurrence(store_path: str, levels: tuple[str, ...], out: str | None, fresh: bool) -> None:
    """Markers and therapies that occur together across patients; a heat map with --out."""
    _run(store_path, levels, out, "cooccurrence", fresh)


@analyze.command()
@_options
def similarity(store_path: str, levels: tuple[str, ...], out: str | None, fresh: bool) -> None:
    """Patient similarity (Jaccard over shared sites, markers, therapies) and communities."""
    _run(store_path, levels, out, "similarity", fresh)


@analyze.command()
@click.option("--store", "store_path", default=_default_store, metavar="DIR",
              help="store folder, or http(s) URL of a SPARQL 1.1 server (default: .oncograph/store, or "
                   "$ONCOGRAPH_STORE)")
@click.option("--out", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="write the table as CSV and a forest plot (PNG, SVG) to DIR")
@click.option("--measure", default="onc:OverallSurvival", show_default=True, metavar="TERM",
              help="a measure of ontology/measures.tsv: onc:ProgressionFreeSurvival, onc:ResponseRate…")
@click.option("--at", "at", default=None, metavar="N", help="only figures at this time point (5 for 5-year rates)")
@click.option("--unit", default=None, metavar="UNIT", help="only figures in this unit (%, months…)")
def measure(store_path: str, out: str | None, measure: str, at: str | None, unit: str | None) -> None:
    """One measure across studies, figure by figure, with a forest plot (--out): e.g. 5-year overall survival."""
    from .analysis import report as rep
    from .api import open as open_store
    from .query import format_result, run_query

    params = {"measure": measure, **({"at": at} if at else {}), **({"unit": unit} if unit else {})}
    store = open_store(store_path, read_only=True).store
    result = run_query(store, "measure-across-studies", params)  # type: ignore[arg-type]
    from .study.measures import measure_vocabulary

    name = next((m.label for m in measure_vocabulary() if m.id == measure.removeprefix("onc:")), measure)
    title = name + (f" at {at}" if at else "") + (f" ({unit})" if unit else "")
    report = rep.measure_report(result, title, Path(out) if out else None)
    for name, table in report.tables:
        click.echo(f"== {name}")
        click.echo(format_result(table, "table"))
    if not result.rows:
        click.echo(f"oncograph: warning: no study reports {title}", err=True)
    for path in report.files:
        click.echo(f"oncograph: wrote {path}", err=True)
