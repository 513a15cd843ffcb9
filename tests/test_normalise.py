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
        ("Results of the biopsy sho- \nwed GIST.", "Results of the biopsy showed GIST."),
        ("lymph node metas- \ntasis was seen.", "lymph node metastasis was seen."),
        ("switched ima- \ntinib to sunitinib.", "switched imatinib to sunitinib."),
        ("gastrointestinal neo-\nplasms are rare.", "gastrointestinal neoplasms are rare."),
        ("cutaneous metas- tasis signals spread.", "cutaneous metastasis signals spread."),
        ("hyperintense on T2- \nWI on MRI.", "hyperintense on T2-WI on MRI."),
        ("a PET-\nCT scan was done.", "a PET-CT scan was done."),
        ("C-kit and S-100 and Ki-67 and 18F-FDG.", "C-kit and S-100 and Ki-67 and 18F-FDG."),
        ("the stomach (60%- \n70%) is common.", "the stomach (60%-70%) is common."),
        ("a 71-year-\nold man.", "a 71-year-old man."),
        ("diffuse-type cancer; in diffuse-\ntype cancer.", "diffuse-type cancer; in diffuse-type cancer."),
        ("hypo- and hyperintense lesions.", "hypo- and hyperintense lesions."),
    ],
)
def test_hyphenation(raw: str, expected: str) -> None:
    text, offsets = normalise(raw, "text")
    assert text == expected
    _verbatim_ok(raw, text, offsets)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("malignant gastrointestinal neoplasms7). The", "malignant gastrointestinal neoplasms. The"),
        ("differentiated from GISTs2,7). Most", "differentiated from GISTs. Most"),
        ("large vessels1,2. Skin involvement", "large vessels. Skin involvement"),
        ("of malignancies [23]. It is", "of malignancies. It is"),
        ("hepatic or peritoneal(3), whereas only cases(4-10).", "hepatic or peritoneal, whereas only cases."),
        ("Jati et al.8) reported that 6 (3.2%) had", "Jati et al. reported that 6 (3.2%) had"),
        ("in children (<1%)9). Most", "in children (<1%). Most"),
        ("muscle was observed (Fig. 1A). Furthermore", "muscle was observed. Furthermore"),
    ],
)
def test_reference_marks_removed(raw: str, expected: str) -> None:
    text, offsets = normalise(raw, "text")
    assert text == expected
    _verbatim_ok(raw, text, offsets)


@pytest.mark.parametrize(
    "kept",
    [
        "The Ki-67 index was 20%.",
        "Tumor diameter was 17.5×12 cm.",
        "The pelvic bone (n=4) and ribs (n=4).",
        "Liver metastasis in 388 of them (9.19%).",
        "did not differ (P = 0.935).",
        "L1, L3 and T5 vertebral bodies.",
        "imatinib 400 mg/day was given.",
        "a median of 36 (17-227) months.",
        "positive for CD117 (CD117) and (HER2) and CA19-9.",
        "KIT exon11 mutation.",
    ],
)
def test_numbers_kept(kept: str) -> None:
    assert normalise(kept, "text")[0] == kept


def test_caption_in_mid_sentence_is_removed_and_sentence_rejoined() -> None:
    raw = (
        "1. Case 1\n"
        "A 71-year-old female patient was examined due to abdominal \n"
        " Fig. 1. Images of case 1 patient. (A) Preoperative T1 enhanced magnetic resonance\n"
        "image of the right sacrum is shown.\n"
        "\n"
        "Fig. 2. Histopathologic image of case 1 patient. (C) C-kit (+).\n"
        "\n"
        "discomfort developed. The examination showed a mass.\n"
        " \n"
        " Figure 3  CT showing lytic lesions.\n"
        " \n"
        "Later lesions were seen.\n"
    )
    text, offsets = normalise(raw, "text")
    assert text == (
        "1. Case 1\n\nA 71-year-old female patient was examined due to abdominal discomfort developed. "
        "The examination showed a mass.\n\nLater lesions were seen."
    )
    _verbatim_ok(raw, text, offsets)


def test_hard_wrapped_lines_and_headings() -> None:
    raw = (
        "ONCOLOGY LETTERS 9: 1814-1818, 2015\n\nAbstract. Gastrointestinal stromal\ntumors are rare.\n"
        " INTRODUCTION\nGISTs are rare\nin bone.\nCase 1. A 78-year-old man\nwas referred.\n"
        "2. Case 2\n\nA 41-year-old man.\nMethods: Eighteen\npatients.\n"
    )
    text, offsets = normalise(raw, "text")
    assert text.split("\n\n") == [
        "ONCOLOGY LETTERS 9: 1814-1818, 2015",
        "Abstract. Gastrointestinal stromal tumors are rare.",
        "INTRODUCTION",
        "GISTs are rare in bone.",
        "Case 1. A 78-year-old man was referred.",
        "2. Case 2",
        "A 41-year-old man.",
        "Methods: Eighteen patients.",
    ]
    _verbatim_ok(raw, text, offsets)


def test_page_break_inside_word_is_rejoined() -> None:
    raw = "mass lesions involving piriformis muscle, glu- \n\nteus muscle and sacral body."
    assert (
        normalise(raw, "text")[0]
        == "mass lesions involving piriformis muscle, gluteus muscle and sacral body."
    )


def test_running_header_and_page_number_removed() -> None:
    raw = (
        "The patient is alive.\n\n1816             SUZUKI et al: BONE METASTASIS OF A GIST\n\n"
        "12\n\nCase 2. A man.\n"
    )
    assert normalise(raw, "text")[0] == "The patient is alive.\n\nCase 2. A man."


def test_web_boilerplate_removed() -> None:
    raw = (
        "Skip to main page content\nU.S. flag  An official website of the United States government\n"
        "Access keys NCBI Homepage MyNCBI Homepage Main Content Main Navigation\n"
        "Search PubMed  [      ]  Search   Advanced\n\nAbstract\nA woman of 53 had GIST.\n\n"
        "Keywords: GIST; orbit.\n \nPublication types\n  Case Reports\nMeSH terms\n  Female\n"
        "LinkOut - more resources\nFOLLOW NCBI\n"
    )
    text, offsets = normalise(raw, "text")
    assert text == "Abstract\n\nA woman of 53 had GIST.\n\nKeywords: GIST; orbit."
    _verbatim_ok(raw, text, offsets)
    springer = (
        "Skip to main content\nAdvertisement\nSpringerLink    Search    Log in\n"
        "Research Article  |  Open access  |  Published: 23 March 2019\n"
        "Volume 21, pages 1654-1662, (2019)   Cite this article\n \nBody text here.\n \n"
        "Rights and permissions   Open Access   Reprints and permissions\nDownload PDF\n"
    )
    assert normalise(springer, "text")[0] == "Body text here."


def test_typography_minimal() -> None:
    raw = "CD117\u00a0positive,\r\n  \tdiffuse\u00adly   \ufb01brous."
    text, offsets = normalise(raw, "text")
    assert text == "CD117 positive, diffusely fibrous."
    assert raw[offsets[text.index("fibrous")]] == "\ufb01"


def test_random_spans_map_exactly() -> None:
    raw = open_fixture("case_pdf.txt")
    text, offsets = normalise(raw, "text")
    rng = random.Random(7)
    for _ in range(200):
        i = rng.randrange(len(text))
        j = rng.randrange(i, len(text)) + 1
        for k in range(i, j):
            if text[k] not in " \n":
                assert raw[offsets[k]] == text[k]
        # spans of a single word copied verbatim read back exactly
    for word in ("abdominal", "discomfort", "Ki-67", "17.5×12", "(n=4)."):
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
    for line in ("Results of the biopsy showed GIST.", "KAYO SUZUKI, TAKETOSHI YASUDA", ""):
        assert not is_heading(line), line


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown source format"):
        normalise("x", "pdf")


def open_fixture(name: str) -> str:
    from pathlib import Path

    return (Path(__file__).parent / "fixtures" / "docs" / name).read_text(encoding="utf-8")
