"""Term lookup: labels, synonyms, CURIEs and names, case-insensitive, best match first."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from oncograph.cli import cli
from oncograph.errors import QueryError
from oncograph.lookup import format_matches, lookup


def names(text: str) -> list[str]:
    return [m.term.name for m in lookup(text)]


def test_synonym_match_ranks_exact_first() -> None:
    found = lookup("spine")
    assert found[0].term.name == "VertebralColumn"
    assert found[0].rank == 1 and found[0].matched == "spine"
    assert {"LumbarVertebra", "ThoracicVertebra", "CervicalVertebra", "Sacrum"} <= set(names("spine"))
    assert "Liver" not in names("spine")


def test_label_match_is_case_insensitive() -> None:
    assert names("SACRUM")[0] == "Sacrum"
    assert lookup("sacrum")[0].rank == 0


def test_xref_curie_and_local_name() -> None:
    assert names("UBERON:0001130") == ["VertebralColumn"]
    assert names("hgnc:6342") == ["KIT"]
    assert names("CD117") == ["KIT"]
    assert names("TyrosineKinaseInhibitorRole")[0] == "TyrosineKinaseInhibitorRole"


def test_no_match_and_empty_text() -> None:
    assert lookup("zzzz-no-such-term") == []
    with pytest.raises(QueryError):
        lookup("  ")


def test_formats() -> None:
    matches = lookup("UBERON:0001130")
    data = json.loads(format_matches(matches, "json"))
    assert data == [{"iri": "https://w3id.org/oncograph/ontology/VertebralColumn", "name": "VertebralColumn",
                     "label": "vertebral column", "category": "site",
                     "synonyms": ["backbone", "spinal column", "spine", "vertebrae"],
                     "xrefs": ["NCIT:C12998", "UBERON:0001130"], "matched": "UBERON:0001130"}]
    tsv = format_matches(matches, "tsv").splitlines()
    assert tsv[1].split("\t")[:2] == ["https://w3id.org/oncograph/ontology/VertebralColumn", "vertebral column"]
    with pytest.raises(QueryError):
        format_matches(matches, "xml")


def test_cli_lookup() -> None:
    result = CliRunner().invoke(cli, ["lookup", "spine", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "vertebral column  [site]  onc:VertebralColumn"
    assert "UBERON:0001130" in result.output
    assert result.output.rstrip().endswith("(1 term)")
