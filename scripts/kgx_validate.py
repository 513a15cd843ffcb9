#!/usr/bin/env python3
"""Validate a KGX export (``nodes.tsv`` and ``edges.tsv``) with the ``kgx`` tool, offline.

Usage::

    python scripts/kgx_validate.py DIR [--python KGX_VENV/bin/python] [--report FILE]

``kgx`` (pip ``kgx``) has dependencies that conflict with oncograph's, so it lives in a venv of
its own: this script runs itself again with that venv's Python (``--python``, else
``$ONCOGRAPH_KGX_PYTHON``, else ``.oncograph/kgx-venv/bin/python``) and there calls the
``kgx validate -i tsv`` command.  Out of the box ``kgx`` fetches the Biolink model YAML and
JSON-LD contexts from the web; here they come from the pinned ``biolink-model`` pip package
instead (its schema and its prefix map), so the check needs no network.

The Biolink prefix map lacks the two prefixes of oncograph's own identifiers (``ONC`` for
the project's ontology terms, ``ONCDATA`` for patients and documents that have no PMID or
DOI): they are added to the prefix map kgx validates against, by name, with their IRI
prefixes (:data:`PROJECT_PREFIXES`) — no message of the report is filtered.

Exit status: 0 when the report has no error, 1 when it has errors, 2 when kgx could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

#: the project's own CURIE prefixes, registered with the validator (not in Biolink's map)
PROJECT_PREFIXES = {
    "ONC": "https://w3id.org/oncograph/ontology/",
    "ONCDATA": "https://w3id.org/oncograph/data/",
}

DEFAULT_PYTHON = Path(".oncograph/kgx-venv/bin/python")


def kgx_python(given: str | None) -> Path:
    """The Python of the venv that has ``kgx``: the option, the environment, or the default."""
    return Path(given or os.environ.get("ONCOGRAPH_KGX_PYTHON") or DEFAULT_PYTHON)


def _inside(nodes: str, edges: str, report: str) -> int:
    """Run in the kgx venv: point kgx at the packaged Biolink model, then run ``kgx validate``."""
    import biolink_model
    from bmt import Toolkit

    package = Path(next(iter(biolink_model.__path__)))
    schema = str(package / "schema" / "biolink_model.yaml")
    # kgx builds Toolkits with bmt's defaults (the YAML and predicate map on the web) at import time
    Toolkit.__init__.__defaults__ = (schema, {"predicate mappings": []})
    import kgx.config
    from kgx.cli import cli

    context = json.loads((package / "prefixmaps" / "biolink-model-prefix-map.json").read_text(encoding="utf-8"))
    context.update(PROJECT_PREFIXES)
    kgx.config.get_config()
    for name in ("biolink", "monarch_context", "obo_context"):
        kgx.config.jsonld_context_map[name] = context
    import kgx.error_detection

    # kgx 2.6's write_report writes to standard error whatever stream -o gives it: catch it there
    with open(report, "w", encoding="utf-8") as out:
        kgx.error_detection.stderr = out  # type: ignore[attr-defined]
        try:
            cli.main(["validate", "-i", "tsv", nodes, edges], standalone_mode=False)
        except SystemExit as exc:
            return int(exc.code or 0)
    return 0


def summarise(report: dict[str, dict[str, dict[str, list[str]]]]) -> dict[str, int]:
    """Messages per level (``ERROR``, ``WARNING``…) of a kgx validation report: (message, entity) pairs.

    kgx lists an entity once for each time it is read, so the same pair can come twice.
    """
    return {level: sum(len(set(entities)) for messages in kinds.values() for entities in messages.values())
            for level, kinds in report.items()}


def validate(directory: Path, python: Path, report_path: Path | None = None) -> tuple[int, dict[str, int], str]:
    """Validate ``directory``'s nodes.tsv and edges.tsv; (exit status, counts by level, report text)."""
    nodes, edges = directory / "nodes.tsv", directory / "edges.tsv"
    for f in (nodes, edges):
        if not f.is_file():
            return 2, {}, f"{f}: no such file"
    if not python.exists():
        return 2, {}, f"{python}: no Python with kgx (make the venv, or give --python)"
    with tempfile.TemporaryDirectory() as tmp:
        report = report_path or Path(tmp) / "report.json"
        done = subprocess.run([str(python), __file__, "--inside", str(nodes), str(edges), str(report)],
                              capture_output=True, text=True, timeout=900)
        if not report.exists() or done.returncode not in (0, 1):
            return 2, {}, done.stdout + done.stderr
        text = report.read_text(encoding="utf-8")
    data = json.loads(text) if text.strip() else {}
    counts = summarise(data)
    return (1 if counts.get("ERROR") else 0), counts, text


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module's docstring)."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--inside"]:
        return _inside(*args[1:4])
    parser = argparse.ArgumentParser(description="kgx validate, offline, on an oncograph KGX export")
    parser.add_argument("directory", type=Path, help="the folder with nodes.tsv and edges.tsv")
    parser.add_argument("--python", default=None, help="the Python of the venv that has kgx")
    parser.add_argument("--report", type=Path, default=None, help="also keep kgx's JSON report here")
    ns = parser.parse_args(args)
    status, counts, text = validate(ns.directory, kgx_python(ns.python), ns.report)
    if status == 2:
        print(f"kgx_validate: kgx did not run: {text.strip()}", file=sys.stderr)
        return 2
    if status:
        print(text.strip())
    shown = ", ".join(f"{n} {level.lower()}" for level, n in sorted(counts.items())) or "no messages"
    print(f"kgx validate: {shown} ({ns.directory})")
    return status


if __name__ == "__main__":
    sys.exit(main())
