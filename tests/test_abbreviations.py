"""Abbreviations a document defines for itself (sentences written for the tests)."""

from __future__ import annotations

from oncograph.abbreviations import find_abbreviations, mark_abbreviations
from oncograph.recognise import lexicon


def _defs(*sentences: str) -> dict[str, str]:
    lx = lexicon()
    return {k: m.term for k, m in find_abbreviations((s, lx.find(s)) for s in sentences).items()}


def test_a_short_form_in_parentheses_names_the_term_before_it() -> None:
    # the plural short form defines the singular one; the term is the pancreatic neuroendocrine tumour
    assert _defs("Pancreatic neuroendocrine tumours (PNETs) are rare.") == {"PNET": "MONDO:0019954"}


def test_letters_must_appear_in_order_and_start_alike() -> None:
    assert _defs("She had a neuroendocrine tumour (grade 2).") == {}
    assert _defs("A neuroendocrine tumour (TNE) was found.") == {}


def test_a_defined_short_form_is_a_mention_wherever_it_is_used() -> None:
    lx = lexicon()
    first = "Well-differentiated neuroendocrine tumours (NETs) often spread to the liver."
    defs = find_abbreviations([(first, lx.find(first))])
    later = "The NET had spread to two lymph nodes."
    marked = mark_abbreviations(later, lx.find(later), defs)
    (net,) = [m for m in marked if m.text == "NET"]
    assert net.category == "tumor" and net.term == defs["NET"].term


def test_a_document_that_defines_one_uses_it_for_the_patient(case_patient) -> None:
    p = case_patient("In our unit, neuroendocrine tumours (NETs) are seen mostly in the ileum. In 2019 a NET of "
                     "the ileum was resected.")
    assert p.primary is not None and p.primary.site == "UBERON:0002116"
