"""Sections and sentences of normalised text."""

from __future__ import annotations

import pytest

from oncograph.segment import sections, segment, split_sentences

LONG = ("The patient was followed in our clinic for several years, with regular imaging and blood tests, "
        "and no new complaint was reported during that time.")

TEXT = f"""A title of the paper

Abstract

We report a rare tumour. {LONG}

1. Introduction

Tumours of this kind are rare. {LONG}

Case 1. A 70-year-old man presented with pain. {LONG}

Case 2: A 60-year-old woman had a mass. {LONG}

Case presentation

A third patient is described here. {LONG}

DISCUSSION

We discuss the cases. {LONG}

References

1. Foo B. A paper. J Foo. 2001.
"""


def test_section_kinds_and_case_numbers() -> None:
    got = [(s.kind, s.case_number, s.title) for s, _paras in sections(TEXT)]
    assert got == [
        ("front", None, ""),
        ("abstract", None, "Abstract"),
        ("introduction", None, "1. Introduction"),
        ("case", 1, "Case 1"),
        ("case", 2, "Case 2"),
        ("case", None, "Case presentation"),
        ("discussion", None, "DISCUSSION"),
        ("back", None, "References"),
    ]


def test_inline_heading_is_cut_from_the_paragraph() -> None:
    by_number = {s.case_number: paras for s, paras in sections(TEXT) if s.kind == "case"}
    (start, end), = by_number[1]
    assert TEXT[start:end].startswith("A 70-year-old man")
    (start, end), = by_number[2]
    assert TEXT[start:end].startswith("A 60-year-old woman")


def test_sentences_carry_their_section_and_offsets() -> None:
    sents = segment(TEXT)
    assert [s.index for s in sents] == list(range(len(sents)))
    for s in sents:
        assert " ".join(TEXT[s.start:s.end].split()) == s.text
    first_case = [s.text for s in sents if s.section.case_number == 1]
    assert first_case == ["A 70-year-old man presented with pain.", LONG]
    assert {s.section.kind for s in sents if "rare" in s.text} == {"abstract", "introduction"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jati et al. reported it. The tumour measured 3.5 cm. It grew.",
         ["Jati et al. reported it.", "The tumour measured 3.5 cm.", "It grew."]),
        ("Mitoses were 5/50 HPF, i.e. high. Fig. 2 shows the tumour. Dr. Kim saw it.",
         ["Mitoses were 5/50 HPF, i.e. high.", "Fig. 2 shows the tumour.", "Dr. Kim saw it."]),
        ("Survival was 63.7% at 3 years. Median was 41.5 months!  Next one?",
         ["Survival was 63.7% at 3 years.", "Median was 41.5 months!", "Next one?"]),
        ("The dose was 2.5 Gy vs. 3 Gy (Fig. 1). Then 20 patients came.",
         ["The dose was 2.5 Gy vs. 3 Gy (Fig. 1).", "Then 20 patients came."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text, 0, len(text))] == expected


def test_split_sentences_within_a_paragraph_span() -> None:
    text = "Ignored. First here. Second here. Ignored too."
    start = text.index("First")
    end = text.index(" Ignored too")
    assert [text[a:b] for a, b in split_sentences(text, start, end)] == ["First here.", "Second here."]


def test_long_untitled_prose_before_any_heading_is_an_abstract() -> None:
    text = f"Short title\n\nWe report a rare tumour of the stomach. {LONG} {LONG}\n\nIntroduction\n\nText. {LONG}\n"
    assert [s.kind for s, _ in sections(text)] == ["front", "abstract", "introduction"]


def test_case_report_label_over_short_lines_is_front_matter() -> None:
    text = f"Case report\n\nJ Foo Surg. 2020\n\nAbstract\n\nWe report a case. {LONG}\n"
    assert [s.kind for s, _ in sections(text)] == ["front", "abstract"]
