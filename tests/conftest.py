"""Shared fixtures: tiny hand-written documents, their facts, and a store holding them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from oncograph.document import Document
from oncograph.extract import extract
from oncograph.facts import DocumentFacts, Patient
from oncograph.read import read_string

EXTRACT_FIXTURES = Path(__file__).parent / "fixtures" / "extract"
REPO = Path(__file__).resolve().parents[1]

#: opens every case text: a person introduced in a paragraph long enough to be a case section
_CASE_INTRO = (
    "A 64-year-old woman with several months of abdominal discomfort was referred to our "
    "department, where a complete clinical, laboratory and radiological work-up was performed."
)


def _read(text: str, name: str) -> tuple[Document, DocumentFacts]:
    docs = read_string(text, name)
    assert len(docs) == 1
    return docs[0], extract(docs[0])


@pytest.fixture(scope="session")
def read_and_extract() -> Callable[..., tuple[Document, DocumentFacts]]:
    """``read_and_extract(text, name)``: the one document of ``text`` and its facts."""
    return lambda text, name="t.txt": _read(text, name)


@pytest.fixture(scope="session")
def case_patient() -> Callable[[str], Patient]:
    """``case_patient(body)``: the single patient of a case section whose text is the intro plus ``body``."""

    def run(body: str) -> Patient:
        _doc, facts = _read(f"Case presentation\n\n{_CASE_INTRO} {body}\n", "case.txt")
        assert facts.kind == "case_report"
        assert len(facts.patients) == 1, [p.label for p in facts.patients]
        patient = facts.patients[0]
        assert (patient.age, patient.sex) == (64, "female")
        return patient

    return run


@pytest.fixture(scope="session")
def fixture_path() -> Callable[[str], Path]:
    return lambda name: EXTRACT_FIXTURES / name


@pytest.fixture(scope="session")
def fixture_store():  # type: ignore[no-untyped-def]
    """An in-memory store with the ontology and three small documents ingested."""
    from oncograph.pipeline import ingest
    from oncograph.store import Store

    store = Store()
    report = ingest([EXTRACT_FIXTURES / n for n in ("case_one.txt", "cohort.txt", "two_cases.txt")], store)
    assert report.ok, report.errors
    assert sorted(d.name for d in report.documents) == ["case_one.txt", "cohort.txt", "two_cases.txt"]
    return store
