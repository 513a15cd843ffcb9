"""The extraction stage: a read document in, its facts out.

``segment`` → ``recognise`` → ``relate`` (patients), ``study`` (cohort figures) and
``claims`` (what the document attributes to other studies), with the evidence of every
fact mapped back to character offsets in the original file.
"""

from __future__ import annotations

from typing import Protocol

from . import __version__
from .abbreviations import find_abbreviations, mark_abbreviations
from .claims import extract_claims
from .facts import DocumentFacts, Evidence
from .recognise import Lexicon, lexicon
from .relate import PatientExtractor, SentenceInfo
from .segment import segment
from .study import extract_study
from .study.measures import defined_measures
from .terms import TermIndex, term_index

__all__ = ["EXTRACTOR_VERSION", "TextSource", "extract", "sentence_infos"]

EXTRACTOR_VERSION = f"oncograph-rules/{__version__}"


class TextSource(Protocol):
    """What extraction needs of a document: its name, normalised text and offset map."""

    @property
    def name(self) -> str: ...

    @property
    def text(self) -> str: ...

    def source_span(self, start: int, end: int) -> tuple[int, int]: ...


def sentence_infos(doc: TextSource, lex: Lexicon) -> list[SentenceInfo]:
    """Every sentence of ``doc`` with its term mentions and its evidence span in the original file."""
    sentences = segment(doc.text)
    found = lex.find_all([s.text for s in sentences])
    # short forms the document defines ("… tumours (NETs)") name their term wherever they are used
    abbreviations = find_abbreviations(zip((s.text for s in sentences), found, strict=True))
    out = []
    for s, mentions in zip(sentences, found, strict=True):
        start, end = doc.source_span(s.start, s.end)
        ev = Evidence(start, end, s.text, s.section.kind)
        out.append(SentenceInfo(s, tuple(mark_abbreviations(s.text, mentions, abbreviations)), ev))
    return out


def extract(doc: TextSource, index: TermIndex | None = None, lex: Lexicon | None = None) -> DocumentFacts:
    """Extract the patients and cohort figures of one document.

    Parameters
    ----------
    doc : TextSource
        A read document (:class:`oncograph.document.Document`).
    index, lex : optional
        The ontology's terms and lexicon; the packaged ontology's by default.

    Returns
    -------
    DocumentFacts
    """
    index = index or term_index()
    lex = lex or (lexicon() if index is term_index() else Lexicon(index))
    infos = sentence_infos(doc, lex)
    patients = PatientExtractor(index, lex).run(infos)
    defined = defined_measures(i.sentence.text for i in infos)  # "response rate (RR)": read once
    study = None if patients else extract_study(infos, defined)
    kind = "case_report" if patients else ("cohort_study" if study else "other")
    return DocumentFacts(doc.name, kind, patients, study, EXTRACTOR_VERSION, claims=extract_claims(infos, defined),
                         characters=len(getattr(doc, "raw", "")))
