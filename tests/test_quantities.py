"""The recognise-stage tables and readers: number words, headings, doses, radiation, sizes (sentences written
for these tests)."""

from __future__ import annotations

import doctest
import importlib
import re

import pytest

from oncograph.headings import HEADINGS
from oncograph.numerals import number_value
from oncograph.quantities import dose_after, dose_change, radiation, tumour_size


@pytest.mark.parametrize("module", ["oncograph.numerals", "oncograph.headings", "oncograph.quantities"])
def test_docstring_examples_run(module: str) -> None:
    assert doctest.testmod(importlib.import_module(module)).failed == 0


@pytest.mark.parametrize(("word", "value"), [("Eleven", 11), ("forty-one", 41), ("ninety nine", 99),
                                             ("a hundred", 100), ("single", 1), ("1,200", 1200), ("many", None)])
def test_number_words(word: str, value: int | None) -> None:
    assert number_value(word) == value


def test_a_dose_per_day() -> None:
    assert dose_after("sunitinib 37.5 mg daily", 9) == {"dose": "37.5 mg/day", "dose_value": 37.5,
                                                        "dose_unit": "mg/day"}


def test_a_dose_belongs_to_its_drug_before_the_next_one() -> None:
    text = "capecitabine and oxaliplatin 130 mg/m2"
    assert dose_after(text, len("capecitabine"), until=text.index("oxaliplatin"), alone=False) == {}


def test_a_dose_raised_from_one_value_to_another() -> None:
    change = dose_change("erlotinib was increased from 100 mg/day to 150 mg/day", len("erlotinib"))
    assert change is not None
    assert (change.direction, change.old["dose_value"], change.new["dose_value"]) == ("increased", 100.0, 150.0)


def test_a_dose_lowered() -> None:
    change = dose_change("capecitabine was reduced to 1000 mg/m2", len("capecitabine"))
    assert change is not None and (change.direction, change.old) == ("reduced", {})


def test_a_dose_per_fraction_and_a_total_are_one_course() -> None:
    assert radiation("3 Gy per fraction to a total of 39 Gy") == [(39.0, 13)]


def test_fractions_in_words() -> None:
    assert radiation("24 Gy in three fractions") == [(24.0, 3)]


def test_a_size_needs_a_measuring_word() -> None:
    assert (tumour_size("a mass sized 6.2 x 4 cm"), tumour_size("resected 2 cm beyond the margin")) == (6.2, None)


def test_a_heading_of_a_part_opens_no_section() -> None:
    assert [k for p, k in HEADINGS if re.fullmatch(p, "pathology")] == [None]
