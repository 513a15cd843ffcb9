"""The README's Python API example runs as written (a doctest), on a copy of the seeds."""

from __future__ import annotations

import doctest
import os
import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_readme_python_api_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### The Python API"):text.index("### The SPARQL endpoint")]
    (example,) = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(example, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 8
    assert os.path.isdir(tmp_path / ".oncograph" / "store")
