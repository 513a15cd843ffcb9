"""Tests of :mod:`oncograph.normalise`: text clean-up with an exact offset map."""

from __future__ import annotations

import random

import pytest

from oncograph.normalise import is_heading, normalise


def _verbatim_ok(raw: str, text: str, offsets: tuple[int, ...]) -> None:
    """Every output character maps into ``raw``; copied characters map to themselves."""
    assert len(offsets) == len(text)
    assert all(0 <= k < len(raw) for k in offsets)
    assert list(offsets) == sorted(offsets)
    for i, c in enumerate(text):
        if c not in " \n":
            assert raw[offsets[i]] == c, (i, c, raw[offsets[i]])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The smear sho- \nwed atypical cells.", "The smear showed atypical cells."),
        ("nodal metas- \ntasis was absent.", "nodal metastasis was absent."),
        ("changed ima- \ntinib to regorafenib.", "changed imatinib to regorafenib."),
        ("pancreatic neo-\nplasms were excluded.", "pancreatic neoplasms were excluded."),
        ("hepatic metas- tasis implies spread.", "hepatic metastasis implies spread."),
        ("signal on T1- \nWI was low.", "signal on T1-WI was low."),
        ("a SPECT-\nCT study was done.", "a SPECT-CT study was done."),
        ("HMB-45 and Ki-67 and S-100 and 68Ga-DOTATATE.", "HMB-45 and Ki-67 and S-100 and 68Ga-DOTATATE."),
        ("the liver (25%- \n35%) is usual.", "the liver (25%-35%) is usual."),
        ("a 58-year-\nold woman.", "a 58-year-old woman."),
        ("intestinal-type tumour; an intestinal-\ntype tumour.", "intestinal-type tumour; an intestinal-type tumour."),
        ("pre- and postoperative scans.", "pre- and postoperative scans."),
    ],
)
def test_hyphenation(raw: str, expected: str) -> None:
    text, offsets = normalise(raw, "text")
    assert text == expected
    _verbatim_ok(raw, text, offsets)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("rare soft-tissue sarcomas7). The", "rare soft-tissue sarcomas. The"),
        ("distinguished from NETs3,9). Most", "distinguished from NETs. Most"),
        ("small arteries4,5. Bone involvement", "small arteries. Bone involvement"),
        ("of sarcomas [14]. This is", "of sarcomas. This is"),
        ("pulmonary or nodal(5), while few reports(6-12).", "pulmonary or nodal, while few reports."),
        ("Moreau et al.11) found that 9 (4.7%) had", "Moreau et al. found that 9 (4.7%) had"),
        ("in adolescents (<2%)6). Few", "in adolescents (<2%). Few"),
        ("fat was invaded (Fig. 2B). Moreover", "fat was invaded. Moreover"),
    ],
)
def test_reference_marks_removed(raw: str, expected: str) -> None:
    text, offsets = normalise(raw, "text")
    assert text == expected
    _verbatim_ok(raw, text, offsets)


@pytest.mark.parametrize(
    "kept",
    [
        "Ki-67 stained 8% of nuclei.",
        "The mass measured 9.5×6 cm.",
        "The spine (n=7) and skull (n=2).",
        "Lung spread in 212 of them (4.37%).",
        "was similar (P = 0.412).",
        "T4, T8 and L2 vertebral bodies.",
        "sunitinib 50 mg/day was started.",
        "a median of 41 (9-150) months.",
        "positive for CD34 (CD34) and (ALK) and CA19-9.",
        "PDGFRA exon18 mutation.",
    ],
)
def test_numbers_kept(kept: str) -> None:
    assert normalise(kept, "text")[0] == kept


def test_caption_in_mid_sentence_is_removed_and_sentence_rejoined() -> None:
    raw = (
        "1. Case 1\n"
        "A 52-year-old man was seen for swelling above the right \n"
        " Fig. 1. Knee radiographs. (A) Lateral view of the right\n"
        "knee is shown.\n"
        "\n"
        "Fig. 2. Histology of the biopsy. (C) SOX9 (+).\n"
        "\n"
        "knee that had grown for weeks. The radiograph showed a lytic area.\n"
        " \n"
        " Figure 3  MRI showing a soft-tissue component.\n"
        " \n"
        "Later deposits were seen.\n"
    )
    text, offsets = normalise(raw, "text")
    assert text == (
        "1. Case 1\n\nA 52-year-old man was seen for swelling above the right knee that had grown for weeks. "
        "The radiograph showed a lytic area.\n\nLater deposits were seen."
    )
    _verbatim_ok(raw, text, offsets)


def test_hard_wrapped_lines_and_headings() -> None:
    raw = (
        "SARCOMA REPORTS 12: 405-411, 2018\n\nAbstract. Chondrosarcomas of the\npelvis seldom spread.\n"
        " INTRODUCTION\nLung deposits are\nlate events.\nCase 1. A 59-year-old woman\nhad a cough.\n"
        "2. Case 2\n\nA 33-year-old man.\nMethods: Twelve\nrecords.\n"
    )
    text, offsets = normalise(raw, "text")
    assert text.split("\n\n") == [
        "SARCOMA REPORTS 12: 405-411, 2018",
        "Abstract. Chondrosarcomas of the pelvis seldom spread.",
        "INTRODUCTION",
        "Lung deposits are late events.",
        "Case 1. A 59-year-old woman had a cough.",
        "2. Case 2",
        "A 33-year-old man.",
        "Methods: Twelve records.",
    ]
    _verbatim_ok(raw, text, offsets)


def test_page_break_inside_word_is_rejoined() -> None:
    raw = "a deposit within the psoas muscle, ilia- \n\ncus muscle and iliac crest."
    assert normalise(raw, "text")[0] == "a deposit within the psoas muscle, iliacus muscle and iliac crest."


def test_running_header_and_page_number_removed() -> None:
    raw = (
        "The tumour did not recur.\n\n2207             OKAFOR et al: THIGH METASTASIS OF A SARCOMA\n\n"
        "14\n\nCase 2. A woman.\n"
    )
    assert normalise(raw, "text")[0] == "The tumour did not recur.\n\nCase 2. A woman."


def test_web_boilerplate_removed() -> None:
    # The furniture lines are PubMed's and SpringerLink's own page furniture (banners,
    # navigation, buttons, tail sections), the same on every page of those sites; the
    # article lines between them are made up for this test.
    raw = (
        "Skip to main page content\nU.S. flag  An official website of the United States government\n"
        "Access keys NCBI Homepage MyNCBI Homepage Main Content Main Navigation\n"
        "Search PubMed  [      ]  Search   Advanced\n\nAbstract\nA man of 47 had a thymoma.\n\n"
        "Keywords: thymoma; choroid.\n \nPublication types\n  Case Reports\nMeSH terms\n  Male\n"
        "LinkOut - more resources\nFOLLOW NCBI\n"
    )
    text, offsets = normalise(raw, "text")
    assert text == "Abstract\n\nA man of 47 had a thymoma.\n\nKeywords: thymoma; choroid."
    _verbatim_ok(raw, text, offsets)
    springer = (
        "Skip to main content\nAdvertisement\nSpringerLink    Search    Log in\n"
        "Research Article  |  Open access  |  Published: 14 June 2016\n"
        "Volume 9, pages 233-240, (2016)   Cite this article\n \nBody text here.\n \n"
        "Rights and permissions   Open Access   Reprints and permissions\nDownload PDF\n"
    )
    assert normalise(springer, "text")[0] == "Body text here."


def test_typography_minimal() -> None:
    raw = "CD117\u00a0positive,\r\n  \tdiffuse\u00adly   \ufb01brous."
    text, offsets = normalise(raw, "text")
    assert text == "CD117 positive, diffusely fibrous."
    assert raw[offsets[text.index("fibrous")]] == "\ufb01"


def test_random_spans_map_exactly() -> None:
    raw = open_fixture("pdf_case.txt")
    text, offsets = normalise(raw, "text")
    rng = random.Random(7)
    for _ in range(200):
        i = rng.randrange(len(text))
        j = rng.randrange(i, len(text)) + 1
        for k in range(i, j):
            if text[k] not in " \n":
                assert raw[offsets[k]] == text[k]
        # spans of a single word copied verbatim read back exactly
    for word in ("thigh", "months", "Ki-67", "9.5×6", "(n=3)."):
        k = text.index(word)
        start, end = offsets[k], offsets[k + len(word) - 1] + 1
        assert raw[start:end] == word


def test_is_heading() -> None:
    for line in (
        "INTRODUCTION",
        "CASE REPORT",
        "1. Case 1",
        "Case 2.",
        "Discussion",
        "Methods:",
        "Case presentation",
        "Conclusions",
        "Keywords",
        "Abstract",
    ):
        assert is_heading(line), line
    for line in ("Results were checked by two readers.", "MARTA LINDQVIST, TOMAS FERREIRA", ""):
        assert not is_heading(line), line


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown source format"):
        normalise("x", "pdf")


def open_fixture(name: str) -> str:
    from pathlib import Path

    return (Path(__file__).parent / "fixtures" / "read" / name).read_text(encoding="utf-8")
