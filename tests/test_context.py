"""Assertion status, sentence kind and introductions of persons."""

from __future__ import annotations

import pytest

from oncograph.context import Assertion, SentenceKind, assertion, clause_bounds, find_age_sex, sentence_kind


def assess(text: str, word: str) -> Assertion:
    start = text.index(word)
    return assertion(text, start, start + len(word))


@pytest.mark.parametrize(
    ("text", "word", "status"),
    [
        ("There was no metastasis in the liver.", "liver", "negated"),
        ("No evidence of metastasis in the liver, but a lesion in the lung was found.", "liver", "negated"),
        ("No evidence of metastasis in the liver, but a lesion in the lung was found.", "lung", "affirmed"),
        ("Liver metastasis was ruled out.", "Liver", "negated"),
        ("Metastasis in the lung was not seen.", "lung", "negated"),
        ("The patient was free of disease in the liver.", "liver", "negated"),
        ("There was no significant change in the liver lesion.", "liver", "affirmed"),
        ("The differential diagnosis included schwannoma.", "schwannoma", "uncertain"),
        ("A metastasis in the liver was suspected; a lesion in the lung was confirmed.", "lung", "affirmed"),
        ("A metastasis in the liver was suspected; a lesion in the lung was confirmed.", "liver", "uncertain"),
        ("A suspected metastasis in the liver.", "liver", "uncertain"),
        ("It was a stromal tumour rather than a leiomyosarcoma.", "leiomyosarcoma", "negated"),
        ("A metastasis in the liver was found.", "liver", "affirmed"),
        # a trigger after its term
        ("A lymphoma and a melanoma were considered in the differential.", "lymphoma", "uncertain"),
        ("A renal metastasis was suspected but could not be confirmed.", "renal", "uncertain"),
        ("Neither the pancreas nor the spleen was involved.", "spleen", "negated"),
        # treatments and stains
        ("Adjuvant sunitinib was not given.", "sunitinib", "negated"),
        ("The neoplastic cells did not stain for desmin.", "desmin", "negated"),
        ("Chemotherapy was declined by the patient.", "Chemotherapy", "negated"),
        # who, and when
        ("Her sister had ovarian cancer.", "ovarian", "family"),
        ("He had a history of colon cancer.", "colon", "historical"),
        ("The man, who had never smoked, was found to have a mass in the lung.", "lung", "affirmed"),
        ("Whether the bone lesion was a metastasis was unclear.", "bone", "hypothetical"),
    ],
)
def test_assertion(text: str, word: str, status: str) -> None:
    a = assess(text, word)
    assert a.status == status, a
    assert a.affirmed is (status in ("affirmed", "historical"))
    assert bool(a.trigger) is (status != "affirmed")


def test_the_rule_sets_are_medspacys_and_ours() -> None:
    from oncograph.assertion import rules

    sources = {r.source for r in rules()}
    assert sources == {"context_medspacy_en.json", "context_oncology.json"}
    assert sum(r.source == "context_medspacy_en.json" for r in rules()) == 102


def test_a_termination_ends_a_scope() -> None:
    text = "No mass in the liver apart from a cyst in the kidney."
    assert assess(text, "liver").negated
    assert not assess(text, "kidney").negated


def test_a_later_trigger_of_the_same_category_takes_over() -> None:
    from oncograph.assertion import modifiers

    text = "No evidence of disease in the liver, no nodes."
    mods = [m for m in modifiers(text) if m.category == "NEGATED_EXISTENCE" and m.direction == "FORWARD"]
    assert [m.text for m in mods] == ["No evidence of", "no"]
    assert mods[0].scope_end == mods[1].start


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


@pytest.mark.parametrize(("text", "expected"), [
    ("A 5-month-old boy was brought in.", (0, "male")),
    ("A 30-month-old girl presented with a mass.", (2, "female")),
    ("A 3-week-old infant had a mass.", (0, None)),
    ("A 47-year-old woman was seen.", (47, "female")),
])
def test_ages_in_months_weeks_and_days_are_whole_years(text: str, expected: tuple[int, str | None]) -> None:
    (found,) = find_age_sex(text)
    assert found[2:] == expected
