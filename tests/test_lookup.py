"""Term lookup: labels, synonyms and identifiers of the whole vocabulary, case-insensitive, best match first."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from oncograph.cli import cli
from oncograph.errors import QueryError
from oncograph.lookup import children, format_matches, lookup


def curies(text: str) -> list[str]:
    return [m.term.curie for m in lookup(text)]


def test_synonym_match_ranks_before_labels_that_contain_the_text() -> None:
    found = lookup("spine")
    assert found[0].term.curie == "UBERON:0001130"  # "spine" is a clinical synonym of the vertebral column
    assert found[0].rank == 1 and found[0].matched == "spine"
    assert all(m.rank >= 2 for m in found[1:])  # then labels with the word: "spine of scapula"…
    assert "UBERON:0002107" not in curies("spine")


def test_label_match_is_case_insensitive() -> None:
    assert curies("VERTEBRAL COLUMN")[0] == "UBERON:0001130"
    assert lookup("vertebral column")[0].rank == 0


def test_display_name_counts_as_a_label() -> None:
    # UBERON's label is "fused sacrum"; what is shown (and matched first) is "sacrum"
    first = lookup("sacrum")[0]
    assert (first.term.curie, first.rank, first.term.shown) == ("UBERON:0003690", 0, "sacrum")


def test_own_curie_and_cross_references() -> None:
    assert curies("UBERON:0001130") == ["UBERON:0001130"]
    assert curies("hgnc:6342") == ["HGNC:6342"]
    assert curies("CD117") == ["HGNC:6342"]
    assert curies("CHEBI:38637")[0] == "CHEBI:38637"
    assert "MONDO:0011719" in curies("NCIT:C3868")  # GIST, through MONDO's cross-reference to NCIt


def test_no_match_and_empty_text() -> None:
    assert lookup("zzzz-no-such-term") == []
    with pytest.raises(QueryError):
        lookup("  ")


def test_children_and_tree() -> None:
    assert "UBERON:0004617" in children("UBERON:0002414")  # L1 under the lumbar vertebra
    out = format_matches(lookup("UBERON:0002414"), tree=True)
    assert "ancestors: " in out and "vertebral column (UBERON:0001130)" in out
    assert "children:  " in out and "L1 vertebra (UBERON:0004617)" in out


def test_formats() -> None:
    matches = lookup("UBERON:0001130")
    (data,) = json.loads(format_matches(matches, "json", tree=True))
    assert data["iri"] == "http://purl.obolibrary.org/obo/UBERON_0001130"
    assert (data["curie"], data["label"], data["category"]) == ("UBERON:0001130", "vertebral column", "site")
    assert "spine" in data["synonyms"]
    assert {"curie": "UBERON:0001434", "label": "skeletal system"} in data["ancestors"]
    assert {"curie": "UBERON:0002412", "label": "vertebra"} in data["children"]
    tsv = format_matches(matches, "tsv").splitlines()
    assert tsv[1].split("\t")[:3] == ["UBERON:0001130", "http://purl.obolibrary.org/obo/UBERON_0001130",
                                      "vertebral column"]
    with pytest.raises(QueryError):
        format_matches(matches, "xml")


def test_cli_lookup() -> None:
    result = CliRunner().invoke(cli, ["lookup", "spine", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "vertebral column  [site]  UBERON:0001130"
    assert result.output.rstrip().endswith("(1 term)")
    tree = CliRunner().invoke(cli, ["lookup", "L3 vertebra", "--limit", "1", "--tree"])
    assert "lumbar vertebra (UBERON:0002414)" in tree.output
