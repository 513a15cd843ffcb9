"""The lexicon: one test per matching rule and per derived variant (see src/oncograph/lexicon.py).

Every sentence here is written for the test; identifiers are those of the packaged vocabulary.
"""

from __future__ import annotations

import pytest

from oncograph.lexicon import Lexicon, compile_lexicon, lexicon, load_lexicon, normal_form, to_stream
from oncograph.vocabulary import vocabulary, vocabulary_dir

STOMACH, LIVER, SKIN = "UBERON:0000945", "UBERON:0002107", "UBERON:0002097"
KIT, ESR1, PGR, ERBB2, MKI67 = "HGNC:6342", "HGNC:3467", "HGNC:8910", "HGNC:3430", "HGNC:7107"


@pytest.fixture(scope="module")
def lx() -> Lexicon:
    return lexicon()


def found(lx: Lexicon, text: str) -> list[tuple[str, str]]:
    return [(h.text, h.term) for h in lx.find(text)]


def terms(lx: Lexicon, text: str) -> list[str]:
    return [h.term for h in lx.find(text)]


# ------------------------------------------------------------------------------------------ normal form
def test_stream_keeps_length_and_offsets() -> None:
    text = "Ki-67 (≈20%) in the oesophagus"
    stream = to_stream(text)
    assert len(stream) == len(text) + 2
    assert stream[1:-1].split() == ["ki", "67", "20", "in", "the", "oesophagus"]
    assert normal_form("S-100  protein") == " s 100 protein"


def test_offsets_point_into_the_text(lx: Lexicon) -> None:
    text = "Lesions of the LIVER and the stomach."
    for h in lx.find(text):
        assert text[h.start:h.end] == h.text
    assert found(lx, text) == [("LIVER", LIVER), ("stomach", STOMACH)]


# ------------------------------------------------------------------------------------------ rules
def test_rule_1_word_boundaries(lx: Lexicon) -> None:
    assert terms(lx, "the liverwort grew") == []
    assert terms(lx, "a deliver y") == []
    assert terms(lx, "the liver.") == [LIVER]


def test_rule_1_longest_match_wins(lx: Lexicon) -> None:
    assert found(lx, "the body of the stomach") == [("body of the stomach", "UBERON:0001161")]


def test_rule_2_glued_prefix_is_not_a_term_of_its_own(lx: Lexicon) -> None:
    assert terms(lx, "a retro-orbital mass") == []
    # the whole hyphenated name is one term, "small cell" inside it is not a second one
    assert terms(lx, "non-small cell lung cancer") == ["MONDO:0005233"]


def test_rule_2_except_the_second_gene_of_a_fusion(lx: Lexicon) -> None:
    assert found(lx, "an EML4-ALK fusion was found") == [("EML4", "HGNC:1316"), ("ALK", "HGNC:427")]


def test_rule_3_capitals_must_match_case(lx: Lexicon) -> None:
    assert terms(lx, "the tumour cells were KIT positive") == [KIT]
    assert [h.category for h in lx.find("a biopsy kit was positive")] == ["diagnostic"]
    assert terms(lx, "We set the date.") == []


def test_rule_3_a_code_of_one_capital_and_digits(lx: Lexicon) -> None:
    # a single letter and a number is an article and a measurement in text
    assert [h.category for h in lx.find("She had a 10 cm mass.")] == []
    assert [h.category for h in lx.find("A 10 cm mass.")] == []


@pytest.mark.parametrize("text", ["ER-positive", "ER 90%", "stained for ER", "ER was positive", "ER (+)"])
def test_rule_4_short_symbol_in_a_marker_context(lx: Lexicon, text: str) -> None:
    assert terms(lx, text) == [ESR1]


@pytest.mark.parametrize("text", ["seen in the ER at night", "ER physicians", "the PR team"])
def test_rule_4_short_symbol_without_context_is_no_marker(lx: Lexicon, text: str) -> None:
    assert terms(lx, text) == []


def test_rule_4_list_joined_to_a_marker(lx: Lexicon) -> None:
    assert terms(lx, "Staining: ER, PR and HER2 were all negative") == [ESR1, PGR, ERBB2]


def test_rule_4_common_word_symbols(lx: Lexicon) -> None:
    assert terms(lx, "MET amplification was detected") == ["HGNC:7029"]
    assert terms(lx, "They MET in the clinic") == []


def test_rule_5_previous_symbol_yields(lx: Lexicon) -> None:
    # MTS1 was a symbol of S100A4 and is an alias of CDKN2A
    assert lx.lookup("MTS1")[0] == "HGNC:1787"
    assert terms(lx, "loss of MTS1 expression") == ["HGNC:1787"]


@pytest.mark.parametrize("text", ["the body", "an organ", "a tumor", "the cancer", "a neoplasm", "serum"])
def test_rule_6_excluded_forms(lx: Lexicon, text: str) -> None:
    assert terms(lx, text) == []


def test_rule_6_excluded_in_one_branch_only(lx: Lexicon) -> None:
    # "CA" is not carcinoma; CA 19-9 and CA 125 are markers
    assert terms(lx, "CA 19-9 was 300 U/mL and CA-125 was normal") == ["MESH:D018395", "HGNC:15582"]


@pytest.mark.parametrize(("text", "curie"), [
    ("skin nodules", SKIN),
    ("ER-negative", ESR1),
    ("TTF-1 positive", "HGNC:11825"),  # NKX2-1
    ("PSA was 40 ng/mL", "HGNC:6364"),  # KLK3
    ("CEA was raised", "HGNC:1817"),  # CEACAM5
    ("CA125 rose", "HGNC:15582"),  # MUC16, not NBR1
])
def test_rule_7_preferences(lx: Lexicon, text: str, curie: str) -> None:
    assert terms(lx, text) == [curie]


# ------------------------------------------------------------------------------------------ variants
@pytest.mark.parametrize("text", ["CD117", "CD 117", "CD-117", "cd117"])
def test_variant_letter_digit_junction(lx: Lexicon, text: str) -> None:
    assert terms(lx, f"{text} was positive") == [KIT]


@pytest.mark.parametrize("text", ["Ki-67", "Ki67", "Ki 67"])
def test_variant_ki67(lx: Lexicon, text: str) -> None:
    assert terms(lx, f"{text} index 5%") == [MKI67]


@pytest.mark.parametrize(("text", "curie"), [
    ("lymph nodes", "UBERON:0000029"),
    ("vertebrae", "UBERON:0001130"),
    ("ovaries", "UBERON:0000992"),
    ("carcinomas", "MONDO:0004993"),
    ("bronchi", "UBERON:0002185"),
])
def test_variant_plurals(lx: Lexicon, text: str, curie: str) -> None:
    assert terms(lx, f"in the {text}") == [curie]


def test_variant_british_spellings(lx: Lexicon) -> None:
    assert terms(lx, "the oesophagus") == terms(lx, "the esophagus") == ["UBERON:0001043"]
    assert terms(lx, "a gastrointestinal stromal tumour") == ["MONDO:0011719"]


def test_variant_article_inside_a_name(lx: Lexicon) -> None:
    assert terms(lx, "the head of the pancreas") == terms(lx, "the head of pancreas") == ["UBERON:0001069"]


@pytest.mark.parametrize("text", ["perirectal", "peri-rectal", "peri rectal"])
def test_variant_prefixed_words(lx: Lexicon, text: str) -> None:
    hits = lx.find(f"a {text} mass")
    assert [h.term for h in hits] == ["UBERON:8480019"]


def test_variant_regimen_acronym_without_its_head_noun(lx: Lexicon) -> None:
    assert [h.category for h in lx.find("She was given FOLFOX.")] == ["agent"]
    assert terms(lx, "folfox") == []  # a regimen's acronym is written in capitals


def test_brand_names_are_synonyms(lx: Lexicon) -> None:
    assert terms(lx, "Keytruda") == terms(lx, "pembrolizumab")
    assert len(terms(lx, "Keytruda")) == 1


def test_adjectives_name_sites(lx: Lexicon) -> None:
    hits = lx.find("hepatic and pulmonary nodules")
    assert [(h.term, h.adjective) for h in hits] == [(LIVER, True), ("UBERON:0002048", True)]


def test_find_within_a_tumour_name(lx: Lexicon) -> None:
    text = "a prostate adenocarcinoma and a leiomyosarcoma of the stomach"
    tumours = [h for h in lx.find(text) if h.category == "tumor"]
    inner = [[i.term for i in lx.find_within(text, t.start, t.end, "site")] for t in tumours]
    assert inner == [["UBERON:0002367"], [STOMACH]]


# ------------------------------------------------------------------------------------------ the tables
def test_every_table_row_names_one_term() -> None:
    """forms.tsv and preferences.tsv rows resolve (compile raises TableError otherwise)."""
    compiled = compile_lexicon(vocabulary(), vocabulary_dir())
    assert len(compiled) > 200_000


def test_cache_is_used_and_equals_a_fresh_compile(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ONCOGRAPH_CACHE", str(tmp_path))
    first = load_lexicon()
    assert list(tmp_path.glob("lexicon-*.pickle"))
    again = load_lexicon()
    text = "CD117-positive GIST of the stomach with liver metastases, treated with imatinib"
    assert found(first, text) == found(again, text) == found(load_lexicon(use_cache=False), text)


def test_find_all_is_find_on_each_text(lx: Lexicon) -> None:
    texts = ["A KIT mutation was found.", "", "Métastases hépatiques, then a CT of the lungs.",
             "Imatinib was started; the WAS gene was normal.", "liver"]
    assert lx.find_all(texts) == [lx.find(t) for t in texts]


def test_find_all_finds_no_term_across_two_texts(lx: Lexicon) -> None:
    node = {h.term for h in lx.find("biopsy of a lymph node") if h.text == "lymph node"}
    assert len(node) == 1
    texts = ["biopsy of a lymph", "node"]
    found = lx.find_all(texts)
    assert not node & {h.term for hits in found for h in hits}
    assert all(t[h.start:h.end] == h.text for t, hits in zip(texts, found, strict=True) for h in hits)
