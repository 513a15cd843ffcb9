"""Property-based tests (hypothesis) over the readers, the normaliser and the SPARQL lexer.

Random text, bytes and XML-like input: only the project's own error is raised, each input
finishes within a second, and every character of the normalised text maps inside the original
(a span sliced by its offsets from the original is where the text came from).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncograph.errors import OncographError
from oncograph.read import decode, read_string
from oncograph.sparqlcheck import inspect_sparql

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.sampled_from(["The", "patient", "GIST", "sacrum", "metastasis", "C-kit", "(+)", "sho-", "wed", "Ki-67",
                         "negative", "2003", "Case", "1", "Abstract", "\n", "\n\n", "  ", "-", ".", ",", "7)", "Fig.",
                         "&amp;", "<b>", "</b>", "<p>", "é", "\u00ad", "\t", "CD117", "diffuse"])
CASE_LIKE = st.lists(WORDS, min_size=1, max_size=200).map(" ".join)
XML_LIKE = st.recursive(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    lambda children: st.builds(lambda tag, inner, attr: f"<{tag}{attr}>{''.join(inner)}</{tag}>",
                               st.sampled_from(["article", "PubmedArticle", "p", "sec", "title", "body", "abstract",
                                                "PMID", "html", "div", "Article", "AbstractText", "x"]),
                               st.lists(children, max_size=4),
                               st.sampled_from(["", ' id="1"', ' xmlns="http://jats.nlm.nih.gov"', " a='&lt;'"])),
    max_leaves=30)
PREFIXES = st.sampled_from(["", '<?xml version="1.0"?>', "<!DOCTYPE html>", "<PubmedArticleSet>",
                            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'])


def _check(raw: str) -> None:
    t0 = time.monotonic()
    try:
        docs = read_string(raw, "fuzz.txt")
    except OncographError:
        return
    finally:
        assert time.monotonic() - t0 < 1.0, f"{len(raw)} characters took {time.monotonic() - t0:.2f} s"
    for doc in docs:
        assert len(doc.offsets) == len(doc.text)
        assert all(0 <= o < len(doc.raw) for o in doc.offsets)
        for block in doc.blocks:
            start, end = doc.source_span(block.start, block.end)
            assert 0 <= start <= end <= len(doc.raw)
            # the first and last character of each block come from where its offsets say
            first, last = doc.text[block.start], doc.text[block.end - 1]
            if first.isalnum():
                assert doc.raw[doc.offsets[block.start]].casefold() == first.casefold() or not doc.raw[
                    doc.offsets[block.start]].isascii()
            if last.isalnum():
                assert doc.raw[doc.offsets[block.end - 1]].casefold() == last.casefold() or not doc.raw[
                    doc.offsets[block.end - 1]].isascii()


@SETTINGS
@given(st.text(max_size=2000))
def test_random_text(raw: str) -> None:
    _check(raw)


@SETTINGS
@given(CASE_LIKE)
def test_case_like_text(raw: str) -> None:
    _check(raw)


@SETTINGS
@given(PREFIXES, XML_LIKE)
def test_xml_like_input(prefix: str, body: str) -> None:
    _check(prefix + body)


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_decode_or_refuse(data: bytes) -> None:
    t0 = time.monotonic()
    try:
        text = decode(data, "fuzz.bin")
    except OncographError:
        return
    assert isinstance(text, str) and time.monotonic() - t0 < 1.0
    _check(text)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list('{}()[]"\'#<>?$ \nSERVICEservice:.x\\')), max_size=400))
def test_lexer_never_fails_and_bounds_depth(text: str) -> None:
    t0 = time.monotonic()
    shape = inspect_sparql(text)
    assert 0 <= shape.depth <= text.count("{") + text.count("(") + text.count("[")
    assert time.monotonic() - t0 < 1.0


@pytest.mark.parametrize("text", ['"""' + "x" * 200_000, "'" * 100_000, "<" * 100_000, "#" * 100_000 + "\n{",
                                  '"\\' * 50_000, "{" * 100_000])
def test_lexer_is_fast_on_adversarial_text(text: str) -> None:
    t0 = time.monotonic()
    inspect_sparql(text)
    assert time.monotonic() - t0 < 2.0


def test_the_name_classes_of_the_sparql_scanner_equal_their_definitions() -> None:
    import re

    from oncograph.sparqlcheck import CLASS_DEFINITIONS

    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for fast, plain in CLASS_DEFINITIONS.items():
        assert re.findall(fast, everything) == re.findall(plain, everything), plain
