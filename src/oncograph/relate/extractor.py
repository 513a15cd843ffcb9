"""The patient extractor: its parts put together."""

from __future__ import annotations

from .lesions import LesionReader
from .markers import MarkerReader
from .reconcile import Reconciler
from .timeline import Timeline
from .tracking import Walker
from .treatments import TreatmentReader

__all__ = ["PatientExtractor"]


class PatientExtractor(Walker, Timeline, LesionReader, MarkerReader, TreatmentReader, Reconciler):
    """Extract the patients of one document from its sentences.

    Parameters
    ----------
    index : TermIndex
        The ontology's terms.
    lexicon : Lexicon
        The matcher made from them.

    Examples
    --------
    ``PatientExtractor(index, lexicon).run(sentence_infos)`` → the reconciled :class:`~oncograph.facts.Patient` s.
    """
