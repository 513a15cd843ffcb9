"""The ``oncograph`` command line: parses arguments and calls the library.

Every user error is one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import OncographError
from .interchange import EXPORT_FORMATS

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])

_STORE_HELP = ("store folder, or http(s) URL of a SPARQL 1.1 server "
               "(default: .oncograph/store, or $ONCOGRAPH_STORE)")


def _default_store() -> str:
    from .store import DEFAULT_STORE

    return os.environ.get("ONCOGRAPH_STORE", str(DEFAULT_STORE))


def store_option(func: F) -> F:
    """The ``--store`` option, defined once."""
    return click.option("--store", "store_path", default=_default_store, show_default=False,
                        help=_STORE_HELP, metavar="DIR")(func)


class _Ctx:
    def __init__(self, verbosity: int) -> None:
        self.verbosity = verbosity

    def info(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "--version", package_name="oncograph", prog_name="oncograph")
@click.option("-v", "--verbose", count=True, help="more output (repeat for debug logs)")
@click.option("-q", "--quiet", is_flag=True, help="only errors")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """oncograph: a knowledge graph of tumours, metastases, markers and therapies from case reports."""
    verbosity = -1 if quiet else verbose
    logging.basicConfig(level=logging.DEBUG if verbosity >= 2 else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = _Ctx(verbosity)


def _progress(ctx: _Ctx, total: int | None) -> tuple[Callable[[str], None], Callable[[], None]]:
    """A rich progress bar on a terminal (stderr), silent otherwise."""
    if ctx.verbosity < 0 or not sys.stderr.isatty():
        return (lambda name: None), (lambda: None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True,
                   console=None)
    task = bar.add_task("ingesting", total=total)
    bar.start()

    def step(name: str) -> None:
        bar.update(task, advance=1, description=f"ingesting {name[:40]}")

    return step, bar.stop


def _count_files(paths: Sequence[str]) -> int:
    n = 0
    for p in paths:
        path = Path(p)
        n += sum(1 for f in path.rglob("*") if f.is_file() and not f.name.startswith(".")) if path.is_dir() else 1
    return n


def _print_ingest(ctx: _Ctx, report: Any) -> None:
    for d in report.documents:
        if d.kind == "cohort_study":
            what = f"cohort study, {d.statistics} statistics"
        else:
            what = (f"{d.patients} patient(s), {d.metastases} metastases, {d.markers} markers, "
                    f"{d.treatments} treatments")
        extra = "".join([f", {d.issues} quality issue(s)" if d.issues else "",
                         f", {d.curated} curation decision(s)" if d.curated else ""])
        ctx.info(f"  {d.name}: {what} ({d.triples} triples{extra})")
    if report.skipped:
        ctx.info(f"  {len(report.skipped)} unchanged document(s) skipped (--force reads them again)")
    for name in report.removed:
        ctx.info(f"  {name}: removed (its file is gone)")
    for warning in report.warnings:
        click.echo(f"oncograph: warning: {warning}", err=True)
    for err in report.errors:
        click.echo(f"oncograph: error: {err}", err=True)


def _curation(path: str | None) -> list[Any]:
    """The rows of --curation FILE, or of ./curation.tsv when it exists and no file is named."""
    from .curation import read_curation

    if path is None:
        path = CURATION_FILE if Path(CURATION_FILE).is_file() else None
    return read_curation(path) if path else []


CURATION_FILE = "curation.tsv"
curation_option = click.option(
    "--curation", "curation_path", default=None, metavar="FILE", type=click.Path(dir_okay=False),
    help=f"curation decisions to apply (default: ./{CURATION_FILE} when it exists)")

jobs_option = click.option(
    "--jobs", "-j", default=None, type=click.IntRange(min=1), metavar="N",
    help="worker processes that read and extract (default: the cores present); one process writes")


def _jobs(jobs: int | None) -> int:
    from .parallel import available_cores

    return jobs if jobs is not None else available_cores()


@cli.command()
@click.argument("seeds", default="seeds", type=click.Path(file_okay=False))
@store_option
@click.option("--out", "dump", default="graph/oncograph.nq", show_default=True, metavar="FILE",
              help="canonical dump (sorted N-Quads) of what the seeds yield")
@curation_option
@jobs_option
@click.pass_obj
def build(ctx: _Ctx, seeds: str, store_path: str, dump: str, curation_path: str | None, jobs: int | None) -> None:
    """Ingest the SEEDS folder into the store and write the canonical dump of the graph."""
    from .pipeline import build as run_build

    if not Path(seeds).is_dir():
        raise OncographError(f"{seeds}: no such folder of seed documents (nothing was written)")
    step, stop = _progress(ctx, _count_files([seeds]))
    try:
        result = run_build(seeds, _open_store(store_path), dump, progress=step, curation=_curation(curation_path),
                           jobs=_jobs(jobs))
    finally:
        stop()
    _print_ingest(ctx, result.ingest)
    if result.ingest.errors:
        click.echo(f"oncograph: error: the build failed; {result.dump} was left as it was", err=True)
        sys.exit(1)
    ctx.info(f"oncograph: built {len(result.ingest.documents) + len(result.ingest.skipped)} document(s) into "
             f"{store_path}; {result.quads} quads written to {result.dump}")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@click.option("--max-bytes", default=20 * 1024 * 1024, show_default=True, help="refuse larger files")
@click.option("--name", default=None, metavar="NAME", help="the name of the one file given (default: its file name)")
@click.option("--sync", is_flag=True, help="also remove the documents of each FOLDER given whose files are gone")
@click.option("--force", is_flag=True, help="read unchanged files again (skipped by their hash otherwise)")
@click.option("--follow-links", is_flag=True, help="read symlinks that lead outside the folder being ingested")
@curation_option
@click.option("--no-check", "no_check", is_flag=True,
              help="do not check the facts against the data-quality rules (faster bulk loads)")
@jobs_option
@click.option("--dask", "dask", default=None, metavar="ADDRESS",
              help="read and extract on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); "
                   "its workers must read the files at the same paths")
@click.option("--shards", "shards", default=None, metavar="DIR",
              help="write N-Quads shards for a bulk loader into the new folder DIR instead of a store")
@click.option("--shard-quads", default=1_000_000, show_default=True, metavar="N",
              help="with --shards: start a new shard after N quads")
@click.pass_obj
def ingest(ctx: _Ctx, paths: tuple[str, ...], store_path: str, max_bytes: int, name: str | None, sync: bool,
           force: bool, follow_links: bool, curation_path: str | None, no_check: bool, jobs: int | None,
           dask: str | None, shards: str | None, shard_quads: int) -> None:
    """Read case reports and abstracts (files or folders) into the store.

    A document is named by its path relative to the folder given (a/report.txt), or by its
    file name when the file is given by itself; two files taking one name are an error.
    """
    from .pipeline import ingest as run_ingest

    curation = _curation(curation_path)
    store: Any  # a Store, a RemoteStore or a ShardWriter: what ingest writes to
    if shards is not None:
        from .shards import ShardWriter

        if sync:
            raise OncographError("--sync needs a store: shards are written once, nothing is removed from them")

        store, store_path = ShardWriter(shards, shard_quads=shard_quads), shards
    else:
        store = _open_store(store_path)
    step, stop = _progress(ctx, _count_files(paths))
    try:
        report = run_ingest(paths, store, max_bytes=max_bytes, progress=step, name=name, sync=sync, force=force,
                            follow_links=follow_links, curation=curation, check=not no_check,
                            jobs=_jobs(jobs), dask=dask)
    finally:
        stop()
    _print_ingest(ctx, report)
    ctx.info(f"oncograph: {len(report.documents)} document(s) ingested into {store_path}"
             + (f", {len(report.skipped)} unchanged" if report.skipped else "")
             + (f", {len(report.removed)} removed" if report.removed else "")
             + (f", {len(report.errors)} refused" if report.errors else ""))
    if report.errors:
        sys.exit(1)


@cli.command()
@click.argument("names", nargs=-1, required=True)
@store_option
@click.pass_obj
def remove(ctx: _Ctx, names: tuple[str, ...], store_path: str) -> None:
    """Remove documents (by the NAME ingest printed) and everything read from them from the store."""
    from .pipeline import remove as run_remove

    removed = run_remove(names, _open_store(store_path))
    ctx.info(f"oncograph: removed {len(removed)} document(s) from {store_path}: {', '.join(removed)}")


@cli.command()
@click.argument("name", required=False)
@store_option
@click.option("--format", "fmt", type=click.Choice(["csv", "tsv", "json", "table"]), default="table",
              show_default=True)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="bind ?NAME to VALUE: a CURIE (UBERON:0001130), an IRI, a term's label or synonym "
                   "('vertebral column'), a patient's id as the tables show it, a number or text")
@click.option("--list", "list_", is_flag=True, help="list the research questions of the library")
@click.option("--show", "show", is_flag=True, help="print the query's SPARQL, its parameters and their defaults")
def query(name: str | None, store_path: str, fmt: str, params: tuple[str, ...], list_: bool, show: bool) -> None:
    """Run a query of the library (NAME) or a SPARQL file (FILE.rq) against the store."""
    from .query import format_result, list_queries, parameters, readable_labels, run_query, show_query

    if list_ or not name:
        for q in list_queries():
            ps = ", ".join(f"{p.name}={p.default}" for p in parameters(q))
            click.echo(f"{q.name:<27} {q.question}" + (f"  [--param {ps}]" if ps else ""))
        return
    if show:
        click.echo(show_query(name), nl=False)
        return
    store = _open_store(store_path, read_only=True)
    result = run_query(store, name, _parse_params(params))
    labels = readable_labels(store) if fmt == "table" else None
    click.echo(format_result(result, fmt, labels=labels), nl=False)


@cli.command()
@click.argument("text")
@click.option("--format", "fmt", type=click.Choice(["table", "tsv", "json"]), default="table", show_default=True)
@click.option("--limit", type=int, default=20, show_default=True, help="at most this many terms (0: all)")
@click.option("--tree", is_flag=True, help="also show each term's ancestors and direct descendants")
def lookup(text: str, fmt: str, limit: int, tree: bool) -> None:
    """Find vocabulary terms by label, synonym or identifier (UBERON:0001130, NCIT:C3868), for query writers."""
    from .lookup import format_matches
    from .lookup import lookup as find

    matches = find(text, limit=limit or None)
    if not matches:
        raise OncographError(f"no vocabulary term matches {text!r}")
    click.echo(format_matches(matches, fmt, tree=tree), nl=False)


def _open_store(location: str, *, read_only: bool = False) -> Any:
    """A local store folder, or a remote SPARQL server when ``location`` is an http(s) URL."""
    from .api import open as open_store

    return open_store(location, read_only=read_only).store


def _parse_params(params: Sequence[str]) -> dict[str, str]:
    bindings = {}
    for p in params:
        if "=" not in p:
            raise OncographError(f"--param {p!r}: expected NAME=VALUE")
        k, v = p.split("=", 1)
        bindings[k.strip().lstrip("?$")] = v.strip()
    return bindings


@cli.command()
@click.option("--format", "fmt", required=True,
              type=click.Choice(list(EXPORT_FORMATS)))
@click.option("--document", default=None, metavar="NAME", help="only this document's graph (its file name)")
@click.option("--query", "query_name", default=None, metavar="NAME", help="for csv: a library query or FILE.rq")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="for csv: bind ?NAME to VALUE")
@store_option
@click.option("--out", default=None, metavar="FILE|DIR",
              help="write here (default: standard output); a directory for a format of several files")
@click.pass_obj
def export(ctx: _Ctx, fmt: str, document: str | None, query_name: str | None, params: tuple[str, ...],
           store_path: str, out: str | None) -> None:
    """Export the graph (or one document) as TriG, N-Quads, Turtle, JSON-LD, OWL, a query's CSV, SSSOM, or KGX."""
    from .export import export as run_export
    from .export import export_files, has_files, write_export, write_files

    store = _open_store(store_path, read_only=True)
    if out and has_files(fmt) and (Path(out).is_dir() or not Path(out).suffix):
        written = write_files(export_files(store, fmt, document=document), out)
        ctx.info(f"oncograph: wrote {len(written)} {fmt} files to {out}")
        return
    data = run_export(store, fmt, document=document, query=query_name, params=_parse_params(params))
    write_export(data, out)
    if out and out != "-":
        ctx.info(f"oncograph: wrote {len(data)} bytes of {fmt} to {out}")


@cli.command()
@store_option
@click.option("--document", "documents", multiple=True, metavar="NAME", help="only this document (repeatable)")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation",
              show_default=True, help="exit with status 1 when an issue this grave (or graver) is found")
@click.pass_obj
def validate(ctx: _Ctx, store_path: str, documents: tuple[str, ...], fmt: str, fail_on: str) -> None:
    """Check the graph against the data-quality rules (SHACL shapes of ontology/shapes.ttl)."""
    from .validate import validate_store

    report = validate_store(_open_store(store_path, read_only=True), documents or None)
    click.echo(report.to_json() if fmt == "json" else report.to_text())
    if report.failed(fail_on):
        sys.exit(1)


@cli.command()
@click.argument("action", type=click.Choice(["suppress", "correct", "add"]))
@click.argument("target")
@click.argument("property_", metavar="[PROPERTY]", required=False, default="")
@click.argument("value", required=False, default="")
@click.option("--curator", required=True, help="who takes the decision")
@click.option("--reason", default="", help="why")
@click.option("--evidence", default="", help="for add: the words of the document that state the fact")
@click.option("--date", "date_", default=None, metavar="YYYY-MM-DD", help="default: today")
@click.option("--file", "path", default=CURATION_FILE, show_default=True, type=click.Path(dir_okay=False),
              help="the curation file to add the row to")
@store_option
@click.pass_obj
def curate(ctx: _Ctx, action: str, target: str, property_: str, value: str, curator: str, reason: str,
           evidence: str, date_: str | None, path: str, store_path: str) -> None:
    """Write a curation decision about a fact of the store (TARGET as queries show it: data:DOC/…).

    suppress TARGET removes a fact; correct TARGET PROPERTY VALUE sets a value; add TARGET
    PROPERTY VALUE --evidence "…" adds a fact the text states.  The row goes to the curation
    file; the next ingest applies it (and every one after it).
    """
    import datetime

    from .curation import append_row, draft_row, format_row

    row = draft_row(_open_store(store_path, read_only=True), action, target, property_, value, curator=curator,
                    date=date_ or datetime.date.today().isoformat(), reason=reason, evidence=evidence)
    append_row(path, row)
    click.echo(format_row(row))
    ctx.info(f"oncograph: added a {action} decision to {path}; run `oncograph ingest` to apply it")


@cli.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to listen on (loopback by default; ::1 works)")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="port (0: any free port)")
@click.option("--timeout", default=30.0, show_default=True, type=float, help="seconds per query; then it is killed")
@click.option("--max-rows", default=10_000, show_default=True, type=int,
              help="rows per answer; a longer result is refused (422) unless asked with partial=true")
@click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 64),
              help="worker processes (queries at once); at most half run long queries")
@click.option("--max-memory", "max_memory", default=2048, show_default=True, type=click.IntRange(64),
              help="MiB a query may use; then it is stopped")
@click.option("--write-token", default=None, envvar="ONCOGRAPH_WRITE_TOKEN", metavar="TOKEN",
              help="allow SPARQL updates with 'Authorization: Bearer TOKEN' (default: read-only)")
@click.option("--allow-service", is_flag=True, help="allow SERVICE (federated queries to other hosts)")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="also answer requests for this Host name (repeat; '*' for any; loopback names always)")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="send Access-Control-Allow-Origin to this origin (repeat; '*' for any; none by default)")
@click.pass_obj
def serve(ctx: _Ctx, store_path: str, host: str, port: int, timeout: float, max_rows: int, workers: int,
          max_memory: int, write_token: str | None, allow_service: bool, allowed_hosts: tuple[str, ...],
          cors_origins: tuple[str, ...]) -> None:
    """Serve the store as a SPARQL 1.1 endpoint at /sparql, with a query editor at /.

    Each query runs in a worker process that is killed at its time or memory limit; the
    endpoint sees every ingest committed into the store, with no restart.
    """
    import signal

    from .server import EndpointConfig, make_server

    if timeout <= 0 or max_rows <= 0:
        raise OncographError("--timeout and --max-rows must be positive")
    config = EndpointConfig(timeout, max_rows, write_token, allow_service, workers=workers, max_memory_mb=max_memory,
                            allowed_hosts=allowed_hosts, cors_origins=cors_origins)
    server = make_server(Path(store_path), host, port, config)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    ctx.info(f"oncograph: SPARQL endpoint {server.url}/sparql, editor at {server.url}/ "
             f"({'read-write with token' if write_token else 'read-only'}); Ctrl-C stops")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        ctx.info("oncograph: stopped")
    finally:
        server.server_close()


@cli.group()
def ontology() -> None:
    """Check the ontology or write its release files."""


@ontology.command("check")
@click.option("--owlcheck", type=click.Path(dir_okay=False), default=None,
              help="path of the shared owlcheck tool (default: ../shared/tools/owlcheck/owlcheck if present)")
@click.option("--no-reasoner", is_flag=True, help="skip the owlready2 + HermiT inferences")
@click.pass_obj
def ontology_check(ctx: _Ctx, owlcheck: str | None, no_reasoner: bool) -> None:
    """Check labels, definitions, identifiers, OWL 2 DL and the reasoner's inferences."""
    from .ontology import check_ontology

    tool = Path(owlcheck) if owlcheck else Path("../shared/tools/owlcheck/owlcheck")
    report = check_ontology(tool if tool.exists() else None, reasoner=not no_reasoner)
    ctx.info(f"oncograph: {report.n_classes} classes, {report.n_terms} domain terms, {report.n_xrefs} xrefs")
    for line in report.inferences:
        ctx.info(f"  inferred: {line}")
    for line in report.owlcheck:
        ctx.info(f"  {line}")
    for problem in report.problems:
        click.echo(f"oncograph: problem: {problem}", err=True)
    if not report.ok:
        sys.exit(1)
    ctx.info("oncograph: ontology OK")


@ontology.command("release")
@click.argument("dest", type=click.Path(dir_okay=False), default="oncograph.owl")
@click.pass_obj
def ontology_release(ctx: _Ctx, dest: str) -> None:
    """Write the RDF/XML release of the ontology (what Protégé and owlready2 open) to DEST."""
    from .ontology import write_release

    path = write_release(Path(dest))
    ctx.info(f"oncograph: wrote {path}")


def _register_analysis() -> None:
    from .analyze_cli import analyze

    cli.add_command(analyze)


_register_analysis()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the command line, turning oncograph errors into one line on stderr."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="oncograph", standalone_mode=False)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except click.exceptions.Abort:
        click.echo("oncograph: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        click.echo(f"oncograph: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except OncographError as exc:
        click.echo(f"oncograph: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("oncograph: interrupted", err=True)
        sys.exit(130)
    except OSError as exc:  # standard output on a full disk, a closed terminal…
        _quiet_stdout()
        click.echo(f"oncograph: error: cannot write the output: {exc.strerror or exc}", err=True)
        sys.exit(1)


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    main()
