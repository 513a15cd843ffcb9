"""The vocabulary's terms as extraction sees them: by CURIE, with categories and closure.

A thin view of :class:`oncograph.vocabulary.Vocabulary` with the questions the
extractor asks ("is this a kind or part of that?", "which term is called
'resection'?").  Terms are keyed by CURIE (``UBERON:0002107``, ``ONC:Resection``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

from .vocabulary import Term, Vocabulary, vocabulary

__all__ = ["Term", "TermIndex", "term_index"]


class TermIndex:
    """Terms by CURIE, with their closure of is-a and part-of.

    Parameters
    ----------
    vocab : Vocabulary
    """

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.terms: Mapping[str, Term] = vocab.terms

    def __contains__(self, name: object) -> bool:
        return name in self.terms

    def __getitem__(self, name: str) -> Term:
        return self.terms[name]

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def ancestors(self, name: str) -> frozenset[str]:
        """Every term ``name`` is a kind of or a part of, itself included."""
        return self.vocab.ancestors(name)

    def subsumes(self, general: str, specific: str) -> bool:
        """Whether ``specific`` is ``general`` or a kind or part of it."""
        return self.vocab.within(specific, general)

    def find_label(self, label: str) -> Term | None:
        """The term whose label (or else an exact synonym) is ``label``, case-insensitively."""
        return self.vocab.find(label)


@cache
def term_index() -> TermIndex:
    """The index of the packaged vocabulary (built once per process)."""
    return TermIndex(vocabulary())
