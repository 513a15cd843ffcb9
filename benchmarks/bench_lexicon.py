"""Lexicon speed and memory, against baselines measured in the same run.

    python benchmarks/bench_lexicon.py [--megabytes 20]

Budget of issue 8: matching ≥ 10 MB/s of text on one core; loading the compiled
lexicon ≤ 0.5 s; resident memory for it ≤ 300 MB. Measured here:

- match: ``Lexicon.find_all`` over the sentences of each seed document (one call per
  document, as extraction does), the documents repeated to MEGABYTES of text; the
  baseline is one compiled regular expression pass over the same sentences
  (``re.finditer(r"\\w+")``, the floor of any tokenising matcher); ``Lexicon.find``
  called once per sentence is shown beside it; each is the best of three interleaved runs;
- load: loading the compiled lexicon from its cache, in a fresh process; the
  baseline is starting that process and importing the package without it;
- memory: the resident set of that fresh process after the load, against the
  same process before it (``/proc/self/status`` VmRSS and VmHWM).

Not run by the tests: timings belong in benchmarks, never in timed tests.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from oncograph.lexicon import lexicon
from oncograph.read import read_documents
from oncograph.segment import segment

_CHILD = r"""
import json, time, sys
def rss():
    out = {}
    for line in open("/proc/self/status"):
        if line.startswith(("VmRSS", "VmHWM")):
            out[line.split(":")[0]] = int(line.split()[1]) / 1024
    return out
t0 = time.perf_counter()
import oncograph.lexicon as L
t1 = time.perf_counter()
before = rss()
if sys.argv[1] == "load":
    lx = L.load_lexicon()
t2 = time.perf_counter()
after = rss()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "before": before, "after": after}))
"""


def _timed(func: Callable[[], None]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _child(mode: str) -> dict[str, float | dict[str, float]]:
    done = subprocess.run([sys.executable, "-c", _CHILD, mode], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _documents(seeds: Path) -> list[list[str]]:
    out: list[list[str]] = []
    for path in sorted(seeds.iterdir()):
        for doc in read_documents(path):
            out.append([s.text for s in segment(doc.text)])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--megabytes", type=float, default=20.0)
    ap.add_argument("--seeds", type=Path, default=Path("seeds"))
    args = ap.parse_args()
    _child("load")  # compiles and caches the lexicon in another process if the cache is stale: a compile in
    lx = lexicon()  # this one leaves millions of objects that the garbage collector then walks in the timings
    base = _documents(args.seeds)
    size = sum(len(s.encode()) for doc in base for s in doc)
    copies = max(1, int(args.megabytes * 1e6 / size))
    docs = base * copies
    text = [s for doc in docs for s in doc]
    mb = size * copies / 1e6
    word = re.compile(r"\w+")

    def scan() -> None:
        for s in text:
            for _ in word.finditer(s):
                pass

    hits = sum(len(h) for doc in base for h in lx.find_all(doc)) * copies

    def match() -> None:
        for doc in docs:
            lx.find_all(doc)

    def each() -> None:
        for s in text:
            lx.find(s)

    # the best of three runs of each, interleaved (timeit's rule: the fastest run is the least disturbed)
    t_base = t_match = t_each = float("inf")
    for _ in range(3):
        t_base = min(t_base, _timed(scan))
        t_match = min(t_match, _timed(match))
        t_each = min(t_each, _timed(each))

    runs = 3
    bare = [_child("bare") for _ in range(runs)]
    loads = [_child("load") for _ in range(runs)]
    t_load = min(float(x["load"]) for x in loads)  # type: ignore[arg-type]
    t_import = min(float(x["import"]) for x in bare)  # type: ignore[arg-type]
    rss_before = min(x["before"]["VmRSS"] for x in loads)  # type: ignore[index]
    rss_after = min(x["after"]["VmRSS"] for x in loads)  # type: ignore[index]
    peak = min(x["after"]["VmHWM"] for x in loads)  # type: ignore[index]

    print(f"lexicon: {lx.size:,} keys; text: {mb:.1f} MB in {len(text):,} sentences, {hits:,} terms found")
    print(f"match      {mb / t_match:7.1f} MB/s   baseline \\w+ scan {mb / t_base:7.1f} MB/s   "
          f"ratio {t_match / t_base:5.1f}x   (budget ≥ 10 MB/s)")
    print(f"  (find per sentence {mb / t_each:5.1f} MB/s)")
    print(f"load       {t_load:7.2f} s      baseline import {t_import:7.2f} s      "
          f"ratio {t_load / t_import:5.1f}x   (budget ≤ 0.5 s)")
    print(f"memory     {rss_after - rss_before:7.0f} MB     resident {rss_after:.0f} MB (before {rss_before:.0f} MB), "
          f"peak {peak:.0f} MB   (budget ≤ 300 MB)")


if __name__ == "__main__":
    main()
