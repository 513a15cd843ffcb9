"""Sections and sentences of a normalised document.

The normaliser leaves paragraphs separated by blank lines and headings on their
own line or at the start of a paragraph ("Case 1. A 63-year-old woman…",
"Abstract: We report…").  This stage names the section of every paragraph,
classifies it (abstract, introduction, case, methods, results, discussion, …)
and splits it into sentences whose offsets index the normalised text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .headings import HEADINGS
from .numerals import CARDINALS, ORDINALS, ROMAN

__all__ = ["Section", "Sentence", "sections", "segment", "split_sentences"]

_NUMBER_WORDS = {**CARDINALS, **ORDINALS, **ROMAN}  # "Case two", "Second case", "Case III"

# kind of section for each heading word (the rows of the one heading table that open a section)
_HEADINGS: tuple[tuple[str, str], ...] = tuple((p, k) for p, k in HEADINGS if k is not None)
_HEAD_RE = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+|[IVX]+\.\s+)?(" + "|".join(f"(?:{p})" for p, _ in _HEADINGS) + r")\s*[.:]?\s*$",
    re.IGNORECASE,
)
_INLINE_HEAD_RE = re.compile(
    r"^\s*(?:\d+\.\s+)?(abstract|background|purpose|objectives?|methods?|results?|conclusions?|"
    r"(?:case|patient)\s+(?:no\.?\s*)?(?:\d+|one|two|three|four|five|i{1,3}|iv|v)|case (?:report|presentation)|"
    r"key ?words?|introduction|discussion)\s*[.:]\s+(?=\S)",
    re.IGNORECASE,
)

_ABBREV = re.compile(
    r"(?:\b(?:et al|e\.g|i\.e|vs|Fig|Figs|Dr|Mr|Mrs|Ms|No|approx|ca|cf|resp|St|Jr|Sr|Inc|Ltd|Co|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|min|max|mo|yr|yrs|wk|Prof|Dept|Univ|Vol|pp|ed)"
    r"|\b[A-Z])\.$"
)


@dataclass(frozen=True)
class Section:
    """A run of paragraphs under one heading."""

    title: str
    kind: str  # abstract, introduction, case, methods, results, discussion, conclusion, keywords, back, front
    case_number: int | None
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence of the normalised text, with its section."""

    index: int
    start: int
    end: int
    text: str
    section: Section
    paragraph: int


def _heading_kind(title: str) -> tuple[str, int | None]:
    t = re.sub(r"^\s*(?:\d+(?:\.\d+)*\.?\s+|[IVX]+\.\s+)", "", title).strip().rstrip(".:").lower()
    for pattern, kind in _HEADINGS:
        if re.fullmatch(pattern, t):
            if kind == "case_n":
                word = t.split()[-1]
                number = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
                return "case", number
            if kind == "abstract_background":
                return "abstract", None
            return kind, None
    return "other", None


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: runs of non-blank lines; a heading line is a paragraph of its own."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    for m in re.finditer(r"[^\n]*", text):
        line = m.group()
        if not m.group() and m.start() > 0 and text[m.start() - 1] != "\n":
            continue  # the empty match after a line
        if not line.strip():
            if start is not None:
                spans.append((start, end))
                start = None
            continue
        ls = m.start() + len(line) - len(line.lstrip())
        le = m.start() + len(line.rstrip())
        if len(line.strip()) < 80 and _HEAD_RE.match(line):
            if start is not None:
                spans.append((start, end))
                start = None
            spans.append((ls, le))
            continue
        if start is None:
            start = ls
        end = le
    if start is not None:
        spans.append((start, end))
    return spans


def _looks_like_prose(chunk: str) -> bool:
    return len(chunk) > 200 and len(re.findall(r"[.!?](?:\s|$)", chunk)) >= 2


def sections(text: str) -> list[tuple[Section, list[tuple[int, int]]]]:
    """Group the paragraphs of ``text`` under their sections.

    Text before the first heading is front matter, except a long prose paragraph
    there, which is an untitled abstract.  Paragraphs after the keywords and
    before the next heading belong to no section of interest (``other``).
    """
    out: list[tuple[Section, list[tuple[int, int]]]] = []
    current: tuple[str, str, int | None, int] | None = None
    paras: list[tuple[int, int]] = []
    seen_heading = False

    def close(end: int) -> None:
        nonlocal paras
        if current is not None and paras:
            title, kind, number, start = current
            out.append((Section(title, kind, number, start, end), paras))
        paras = []

    for s, e in _paragraphs(text):
        chunk = text[s:e]
        first_line = chunk.split("\n", 1)[0]
        if len(chunk) < 80 and "\n" not in chunk.strip() and _HEAD_RE.match(chunk):
            kind, number = _heading_kind(chunk)
            close(s)
            current = (chunk.strip(), kind, number, s)
            seen_heading = True
            continue
        m = _INLINE_HEAD_RE.match(first_line)
        if m:
            kind, number = _heading_kind(m.group(1))
            prev_kind = current[1] if current else None
            # "Methods:" inside an abstract stays part of the abstract's structure
            close(s)
            current = (m.group(1), kind, number, s)
            seen_heading = True
            if kind == "keywords":
                paras.append((s, e))
                close(e)
                current = ("", "other", None, e)
                continue
            if prev_kind == "abstract" and kind in ("methods", "results", "conclusion"):
                current = (m.group(1), kind, number, s)
            paras.append((s + m.end(), e))
            continue
        if current is None:
            kind = "abstract" if _looks_like_prose(chunk) and not seen_heading else "front"
            current = ("", kind, None, s)
        elif current[1] == "front" and _looks_like_prose(chunk) and not seen_heading:
            close(s)
            current = ("", "abstract", None, s)
        paras.append((s, e))
    close(len(text))
    # a "Case report" heading over nothing but short lines is an article-type label in the front matter
    return [
        (replace(sec, kind="front"), paras)
        if sec.kind == "case" and sec.case_number is None and not any(pe - ps > 150 for ps, pe in paras)
        else (sec, paras)
        for sec, paras in out
    ]


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (a paragraph)."""
    spans: list[tuple[int, int]] = []
    s = start
    for m in re.finditer(r"[.!?](?:[\"')\]]*)(?=\s+[\"'(\[]?[A-Z0-9])", text[start:end]):
        e = start + m.end()
        before = text[s:e]
        if _ABBREV.search(before.rstrip()) or (re.search(r"\d\.$", before) and re.match(r"\s+\d", text[e:e + 3])):
            continue
        if before.strip():
            spans.append((s, e))
        s = e
        while s < end and text[s].isspace():
            s += 1
    if s < end and text[s:end].strip():
        spans.append((s, end))
    return spans


def segment(text: str) -> list[Sentence]:
    """Every sentence of ``text`` with its section, in order."""
    out: list[Sentence] = []
    for p_index, (section, paras) in enumerate(sections(text)):
        for ps, pe in paras:
            for ss, se in split_sentences(text, ps, pe):
                body = " ".join(text[ss:se].split())
                out.append(Sentence(len(out), ss, se, body, section, ps))
        del p_index
    return out
