"""Extraction quality through the command line, scored by the shared kgscore tool against gold facts."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
KGSCORE = SHARED / "tools" / "kgscore"

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("docs", "gold", "min_f1"),
    [
        ("seeds", "../shared/eval/seeds/gold", 0.98),
        ("../shared/eval/dev/docs", "../shared/eval/dev/gold", 0.90),
    ],
    ids=["seeds", "dev"],
)
def test_kgscore(docs: str, gold: str, min_f1: float) -> None:
    if not KGSCORE.exists() or not (REPO / gold).is_dir() or not (REPO / docs).is_dir():
        pytest.skip("../shared (kgscore and the gold sets) is not available")
    cli = f"{shlex.quote(sys.executable)} -m oncograph"
    proc = subprocess.run(
        [sys.executable, str(KGSCORE), "--docs", docs, "--gold", gold, "--cli", cli, "--min-f1", str(min_f1)],
        capture_output=True, text=True, cwd=REPO, timeout=1200,
    )
    print(proc.stdout)  # the per-category table, for the CI log
    print(proc.stderr, file=sys.stderr)
    m = re.search(r"^kgscore: micro-F1 (\d\.\d+) \(P (\d\.\d+), R (\d\.\d+)\) over (\d+) documents$",
                  proc.stdout, re.MULTILINE)
    assert m, proc.stdout + proc.stderr
    f1, n_docs = float(m.group(1)), int(m.group(4))
    assert n_docs == len(list((REPO / gold).glob("*.json")))
    assert proc.returncode == 0, f"micro-F1 {f1} < {min_f1}\n{proc.stdout}{proc.stderr}"
    assert f1 >= min_f1
