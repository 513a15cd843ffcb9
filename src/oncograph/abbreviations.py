"""Abbreviations a document defines for itself: "pancreatic neuroendocrine tumours (pNETs)".

A report that writes a term in full and its short form in parentheses goes on
with the short form ("the pNET had spread…"), which no vocabulary holds. The
rule is Schwartz and Hearst's (PSB 2003): the short form is one word of two to
ten characters with at least one capital; its first letter is the first letter
of the long form; its letters appear, in order, in the long form. Here the long
form must be a term the lexicon found just before the parentheses, so each
short form names that term for the rest of the document (and its plural, with
a final "s").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .recognise import Mention

__all__ = ["find_abbreviations", "mark_abbreviations"]

_SHORT = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z0-9\-]{1,9})\s*[;,)]")


def _letters_in_order(short: str, long: str) -> bool:
    """Schwartz–Hearst: each letter of the short form occurs in the long form, in order, from its end."""
    s, lf = short.lower(), long.lower()
    i = len(lf) - 1
    for ch in reversed(s):
        if not ch.isalnum():
            continue
        while i >= 0 and lf[i] != ch:
            i -= 1
        if i < 0:
            return False
        i -= 1
    return True


def find_abbreviations(sentences: Iterable[tuple[str, Sequence[Mention]]]) -> dict[str, Mention]:
    """Short form → the term mention it abbreviates, over every sentence of a document."""
    found: dict[str, Mention] = {}
    for text, mentions in sentences:
        for m in mentions:
            if m.category in ("marker",) or m.adjective:
                continue  # gene symbols are their own short forms
            sm = _SHORT.match(text, m.end)
            if not sm:
                continue
            short = sm.group(1)
            base = short[:-1] if short.endswith("s") and len(short) > 2 and short[-2].isupper() else short
            if not any(ch.isupper() for ch in base) or base.lower() == m.text.lower():
                continue
            if base[0].lower() != m.text[0].lower() or not _letters_in_order(base, m.text):
                continue
            found.setdefault(base, m)
    return found


@lru_cache(maxsize=64)
def _pattern(shorts: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a document's short forms (compiled once, not per sentence)."""
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in shorts) + r")s?(?![\w-])")


def mark_abbreviations(text: str, mentions: Sequence[Mention], abbreviations: dict[str, Mention]) -> list[Mention]:
    """``mentions`` plus every use of a defined short form in ``text`` that no mention covers."""
    if not abbreviations:
        return list(mentions)
    pattern = _pattern(tuple(sorted(abbreviations, key=len, reverse=True)))
    out = list(mentions)
    for m in pattern.finditer(text):
        if any(o.start < m.end() and m.start() < o.end for o in mentions):
            continue
        long = abbreviations[m.group(1)]
        out.append(Mention(m.start(), m.end(), m.group(0), long.term, long.category, False, long.named_sites))
    out.sort(key=lambda x: (x.start, -(x.end - x.start)))
    return out
