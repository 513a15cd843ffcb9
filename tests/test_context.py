"""Assertion status, sentence kind and introductions of persons."""

from __future__ import annotations

import pytest

from oncograph.context import Assertion, SentenceKind, assertion, clause_bounds, find_age_sex, sentence_kind


def assess(text: str, word: str) -> Assertion:
    start = text.index(word)
    return assertion(text, start, start + len(word))


@pytest.mark.parametrize(
    ("text", "word", "negated", "hypothetical"),
    [
        ("There was no metastasis in the liver.", "liver", True, False),
        ("No evidence of metastasis in the liver, but a lesion in the lung was found.", "liver", True, False),
        ("No evidence of metastasis in the liver, but a lesion in the lung was found.", "lung", False, False),
        ("Liver metastasis was ruled out.", "Liver", True, False),
        ("Metastasis in the lung was not seen.", "lung", True, False),
        ("The patient was free of disease in the liver.", "liver", True, False),
        ("There was no significant change in the liver lesion.", "liver", False, False),
        ("The differential diagnosis included schwannoma.", "schwannoma", False, True),
        ("A metastasis in the liver was suspected; a lesion in the lung was confirmed.", "lung", False, False),
        ("A suspected metastasis in the liver.", "liver", False, True),
        ("It was a stromal tumour rather than a leiomyosarcoma.", "leiomyosarcoma", False, True),
        ("A metastasis in the liver was found.", "liver", False, False),
    ],
)
def test_assertion(text: str, word: str, negated: bool, hypothetical: bool) -> None:
    a = assess(text, word)
    assert (a.negated, a.hypothetical) == (negated, hypothetical)
    assert a.affirmed is (not negated and not hypothetical)


def test_clause_bounds() -> None:
    text = "No mass in the liver; a lesion in the lung, whereas the bone was clear."
    cs, ce = clause_bounds(text, text.index("lung"))
    assert text[cs:ce].strip() == "a lesion in the lung,"
    cs, ce = clause_bounds(text, text.index("liver"))
    assert text[cs:ce].strip() == "No mass in the liver"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Jati et al. reported a case with rib metastases.", SentenceKind.CITED),
        ("Such cases have been reported previously.", SentenceKind.CITED),
        ("Her mother had breast cancer.", SentenceKind.FAMILY),
        ("A family history of sarcoma was noted.", SentenceKind.FAMILY),
        ("We describe two cases of spinal metastasis.", SentenceKind.SUMMARY),
        ("GISTs are usually found in the stomach.", SentenceKind.GENERIC),
        ("Bone metastases are rare and may involve the ribs.", SentenceKind.GENERIC),
        ("She underwent gastrectomy.", SentenceKind.PATIENT),
        ("The tumour was resected in 2004.", SentenceKind.PATIENT),
        ("Her past medical history included hypertension.", SentenceKind.PATIENT),
        ("We describe a 71-year-old woman with a sacral metastasis.", SentenceKind.PATIENT),
    ],
)
def test_sentence_kind(text: str, kind: str) -> None:
    assert sentence_kind(text) == kind


def test_find_age_sex() -> None:
    text = ("A 71-year-old female and a 69-year-old Korean man; a woman aged 45; a 3.5 cm mass in a "
            "patient of 60; a 150-year-old man; a 7 year old boy")
    got = [(age, sex) for _s, _e, age, sex in find_age_sex(text)]
    assert got == [(71, "female"), (69, "male"), (45, "female"), (60, None), (7, "male")]
    spans = find_age_sex(text)
    assert [s for s, _e, _a, _x in spans] == sorted(s for s, _e, _a, _x in spans)
    start, end, _age, _sex = spans[0]
    assert text[start:end] == "71-year-old female"


def test_find_age_sex_ignores_measurements() -> None:
    assert find_age_sex("A mass of 12 cm in a woman of 3.5 cm") == []
    assert find_age_sex("The tumour had 5 mitoses per 50 high-power fields.") == []
