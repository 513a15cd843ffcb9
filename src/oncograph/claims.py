"""Claims: what a document attributes to other studies or to the literature, kept apart from its own facts.

A sentence that names its source ("Okafor et al. described…", "an earlier series", "[14]") or speaks of
published cases in general ("cases reported in the literature", "previous reports") is a claim of that
source: its tumours, sites, markers and treatments, and its figures, are the source's, never a patient's
or the cohort's. A sentence naming several sources gives each figure to the source nearest it.

>>> from oncograph.read import read_string
>>> from oncograph.extract import sentence_infos
>>> from oncograph.recognise import lexicon
>>> doc = read_string("Discussion\\n\\nLee et al. reported a median survival of 9 months.\\n")[0]
>>> [(c.source, [s.measure for s in c.statistics]) for c in extract_claims(sentence_infos(doc, lexicon()))]
[('Lee et al.', ['median survival'])]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .context import SentenceKind, sentence_kind
from .facts import Claim, StudyStatistic
from .relate import SentenceInfo
from .study.cohort import cited_source
from .study.figures import sentence_figures
from .study.measures import defined_measures

__all__ = ["LITERATURE", "extract_claims"]

#: the source of a statement about published cases in general
LITERATURE = "the literature"
_SKIPPED_SECTIONS = {"front", "back", "keywords"}
_TERM_CATEGORIES = ("tumor", "site", "marker", "agent", "surgery", "radiotherapy", "systemic")


def extract_claims(infos: Sequence[SentenceInfo], defined: Mapping[str, str] | None = None) -> tuple[Claim, ...]:
    """The claims of a document's sentences, in document order (``defined``: the document's short forms of
    measures, as :func:`~oncograph.study.measures.defined_measures` reads them)."""
    if defined is None:
        defined = defined_measures(i.sentence.text for i in infos)
    out: list[Claim] = []
    for info in infos:
        text = info.sentence.text
        if info.sentence.section.kind in _SKIPPED_SECTIONS:
            continue
        source = cited_source(text)
        if source is None and sentence_kind(text) != SentenceKind.CITED:
            continue
        spans = [(m.start, m.end) for m in info.mentions if m.category == "site"]
        read = sentence_figures(text, info.evidence, defined=defined, sites=spans)
        terms = tuple(dict.fromkeys(m.term for m in info.mentions if m.category in _TERM_CATEGORIES))
        if not terms and not read.figures:
            continue
        by_source: dict[str, list[StudyStatistic]] = {source or LITERATURE: []}
        for f, at in zip(read.figures, read.positions, strict=True):
            who = cited_source(text, at) or LITERATURE
            by_source.setdefault(who, []).append(f)
        for k, (who, stats) in enumerate(by_source.items()):
            if k and not stats:
                continue
            out.append(Claim(who, terms if k == 0 else (), tuple(stats), (info.evidence,)))
    return tuple(out)
