#!/usr/bin/env python3
"""Rebuild ontology/vocabulary/ from the pinned sources (see src/oncograph/vocabulary/build.py)."""

import sys
from pathlib import Path

try:
    from oncograph.vocabulary.build import main
except ImportError:  # a source tree without an install
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from oncograph.vocabulary.build import main

if __name__ == "__main__":
    sys.exit(main())
