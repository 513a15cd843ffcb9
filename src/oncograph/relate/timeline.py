"""Time: the year and month a fact is dated to, from the clause that states it or the narrative's anchor."""

from __future__ import annotations

from ..context import clause_bounds
from ..recognise import find_dates
from .drafts import PatientDraft, ReaderBase, SentenceInfo, When

__all__ = ["Timeline"]


class Timeline(ReaderBase):
    """Time (a part of :class:`~oncograph.relate.PatientExtractor`)."""

    # ------------------------------------------------------------------ one sentence
    def _at(self, text: str, when: When, pos: int) -> When:
        """The date of the clause around ``pos`` when it states one, else the sentence's."""
        cs, ce = clause_bounds(text, pos)
        near = [d for d in self._dates if cs <= d.start < ce and d.year]
        if not near:
            return when
        d = min(near, key=lambda d: abs(d.start - pos))
        return When(d.year, d.month, 3)

    def _when(self, p: PatientDraft, info: SentenceInfo) -> When:
        text = info.sentence.text
        dates = find_dates(text)
        self._dates = dates
        absolute = [d for d in dates if d.year]
        if absolute:
            d = absolute[0]
            when = When(d.year, d.month, 3)
            last = absolute[-1]
            p.anchor = When(last.year, last.month, 3)
            return when
        relative = [d for d in dates if d.relative_years or d.relative_months]
        if relative and p.anchor.year:
            d = relative[0]
            if d.relative_years and d.relative_years > 0:
                when = When(p.anchor.year + d.relative_years, None, 3)
                p.anchor = when
                return when
            if d.relative_months and d.relative_months > 0 and p.anchor.month and p.anchor.year:
                months = p.anchor.year * 12 + p.anchor.month - 1 + d.relative_months
                when = When(months // 12, months % 12 + 1, 3)
                p.anchor = when
                return when
            return When()
        if relative:
            return When()
        strength = 2 if info.sentence.section.kind == "case" else 1
        return When(p.anchor.year, p.anchor.month, strength if p.anchor.year else 0)
