"""Normalise the text of a document while keeping a map back to the original.

:func:`normalise` turns the decoded original file (``raw``) into clean text for
the next stage: paragraphs separated by one blank line, headings as their own
paragraph, PDF line-break hyphenation undone, hard-wrapped lines joined,
reference marks, figure/table captions, running headers, page numbers and web
page boilerplate removed.  Every character of the output maps to a character
offset in ``raw``: ``offsets[i]`` is where ``text[i]`` comes from.  Characters
copied verbatim satisfy ``raw[offsets[i]] == text[i]``; the few characters the
normaliser makes up (a space joining two lines, the blank line between two
paragraphs, the ``:`` after a PubMed abstract label) map to the raw character
they stand for (the line break, the end of the paragraph, the tag).

Markup (PubMed XML, PMC JATS XML, HTML) is flattened by a small tokenizer over
the *decoded* source so that offsets index the original markup; the caller is
expected to have checked that XML is well formed and free of entity
declarations first (:mod:`oncograph.read` does, with :mod:`defusedxml`).

Examples
--------
>>> text, offsets = normalise("The biopsy sho- \\nwed GIST7).\\n", "text")
>>> text
'The biopsy showed GIST.'
>>> "The biopsy sho- \\nwed GIST7).\\n"[offsets[14]]
'w'
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .headings import NAMES

__all__ = [
    "FORMATS",
    "HEADING_RE",
    "is_author_line",
    "is_boilerplate",
    "is_heading",
    "normalise",
    "normalise_span",
]

#: The source formats :func:`normalise` understands.
FORMATS = ("text", "html", "pubmed-xml", "jats-xml")

# --------------------------------------------------------------------------- #
# Text with an offset map
# --------------------------------------------------------------------------- #


@dataclass
class _T:
    """A string with, for each character, its offset in the raw source."""

    s: str
    o: list[int]

    def cut(self, i: int, j: int) -> _T:
        return _T(self.s[i:j], self.o[i:j])

    def strip(self) -> _T:
        i, j = 0, len(self.s)
        while i < j and self.s[i].isspace():
            i += 1
        while j > i and self.s[j - 1].isspace():
            j -= 1
        return self.cut(i, j)

    def end_offset(self) -> int:
        return self.o[-1] + 1 if self.o else 0


def _cat(parts: Sequence[_T]) -> _T:
    offsets: list[int] = []
    for p in parts:
        offsets += p.o
    return _T("".join(p.s for p in parts), offsets)


def _synth(s: str, offset: int) -> _T:
    """Characters made up by the normaliser, all mapped to ``offset``."""
    return _T(s, [offset] * len(s))


# A replacement is ``None`` (keep the match), or a list of pieces: a ``(start,
# end)`` span of the current string to copy, or a ``str`` made up and mapped to
# the start of the match.
_Repl = list["tuple[int, int] | str"] | None


def _sub(t: _T, pattern: re.Pattern[str], fn: Callable[[re.Match[str]], _Repl]) -> _T:
    """Apply a regex substitution to ``t`` keeping the offset map."""
    parts: list[_T] = []
    last = 0
    for m in pattern.finditer(t.s):
        repl = fn(m)
        if repl is None:
            continue
        parts.append(t.cut(last, m.start()))
        anchor = t.o[m.start()] if m.start() < len(t.o) else t.end_offset()
        for piece in repl:
            if isinstance(piece, str):
                parts.append(_synth(piece, anchor))
            else:
                parts.append(t.cut(*piece))
        last = m.end()
    if not parts:
        return t
    parts.append(t.cut(last, len(t.s)))
    return _cat(parts)


def _delete(m: re.Match[str]) -> _Repl:
    return []


# --------------------------------------------------------------------------- #
# Headings
# --------------------------------------------------------------------------- #

_SECTION_NAMES = NAMES  # the one heading table (headings.py)
_NUMBERING = r"(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.|[A-D]\.)"

#: A line that is only a section heading ("INTRODUCTION", "1. Case 1", "Methods:").
HEADING_RE = re.compile(rf"^(?:{_NUMBERING}\s*)?(?:{_SECTION_NAMES})\s*[.:]?$", re.IGNORECASE)
_INLINE_HEADING_RE = re.compile(rf"^(?:{_NUMBERING}\s*)?(?:{_SECTION_NAMES})\s*[.:]\s+\S", re.IGNORECASE)
_CAPS_HEADING_RE = re.compile(r"^(?:\d{1,2}\.?\s+)?[A-Z][A-Z&/\- ]{2,50}[A-Z]:?$")


def is_heading(line: str) -> bool:
    """Tell whether a whole line is a section heading.

    Parameters
    ----------
    line : str
        One line (or one paragraph) of text.

    Returns
    -------
    bool
        True for a known section name, optionally numbered ("2. Case 2",
        "Methods:"), or a short upper-case line of at most five words.

    Examples
    --------
    >>> is_heading("CASE REPORT"), is_heading("1. Case 1"), is_heading("Results")
    (True, True, True)
    >>> is_heading("Results were checked by two readers.")
    False
    """
    line = line.strip()
    if not line or "\n" in line or len(line) > 60:
        return False
    if HEADING_RE.match(line):
        return True
    return bool(_CAPS_HEADING_RE.match(line)) and len(line.split()) <= 5 and "," not in line


# --------------------------------------------------------------------------- #
# Character level
# --------------------------------------------------------------------------- #

_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\v"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
_CHAR_RE = re.compile("\r\n?|\f|[" + _SPACES + "]|[" + _INVISIBLE + "]|[" + "".join(_LIGATURES) + "]")


def _chars(m: re.Match[str]) -> _Repl:
    c = m.group()
    if c in ("\r\n", "\r"):
        return ["\n"]
    if c == "\f":
        return ["\n\n"]
    if c in _SPACES:
        return [" "]
    if c in _INVISIBLE:
        return []
    return [_LIGATURES[c]]


def _clean_chars(t: _T) -> _T:
    """Line ends to ``\\n``, odd spaces to a space, soft hyphens out, ligatures split."""
    return _sub(t, _CHAR_RE, _chars)


# --------------------------------------------------------------------------- #
# Inline clean-up (within one paragraph)
# --------------------------------------------------------------------------- #

# "sho- wed" left inside a line by text that was re-wrapped.
_MIDLINE_HYPHEN_RE = re.compile(r"(-?\b[a-z]{2,}-) ([a-z]{2,}-?)")
_NOT_CONTINUATIONS = frozenset({"and", "or", "nor", "to", "versus", "vs", "but", "as", "than", "then"})


_FIG_REF_RE = re.compile(
    r" ?\((?:see )?(?:Figs?\.|Figures?|FIGS?\.|Tables?|Supplementary (?:Fig\.|Figure|Table))"
    r"\s*[^()]{0,40}\)"
)
_BRACKET_REF_RE = re.compile(r" ?\[\s*\d{1,3}(?:\s*[,;\-–]\s*\d{1,3})*\s*\]")
_PAREN_REF_GLUED_RE = re.compile(r"(?<=[A-Za-z.,;\]])\(\d{1,3}(?:\s*[,\-–]\s*\d{1,3})*\)")
_PAREN_REF_SPACED_RE = re.compile(r"(?<=[a-z]) \(\d{1,3}(?:\s*[,\-–]\s*\d{1,3})*\)(?=[.,;:])")
# "plasms7)", "GISTs2,7)", "et al.8)", "(<1%)9)": an unbalanced ")" after digits.
_CLOSE_REF_RE = re.compile(r"(?<![0-9]\.)(?<=[A-Za-z.)\]%])\d{1,3}(?:[,\-–]\d{1,3})*\)")
# "vessels1,2." superscripts flattened onto a lower-case word.
_SUPER_REF_RE = re.compile(r"(?<![A-Za-z])([a-z]{3,})(\d{1,3}(?:[,\-–]\d{1,3})*)(?=[.,;:]|\s|$)")
_SUPER_EXCEPT = frozenset({"exon", "exons", "codon", "intron", "chromosome", "grade", "stage", "type", "day"})
_EMPTY_BRACKETS_RE = re.compile(r" ?(?:\[[\s,;\-–]*\]|\([\s,;\-–]*\))")
_SPACE_RUN_RE = re.compile(r" {2,}")
_SPACES_RE = re.compile(r"(?! (?!\s))\s+")  # a run of white space other than one plain space
_SPACE_BEFORE_PUNCT_RE = re.compile(r" +(?=[.,;:])")


_PAREN_RE = re.compile(r"[()]")


def _depths(s: str) -> list[int]:
    """Parenthesis depth before each character (and after the last); an unmatched ")" does not go below 0."""
    depths: list[int] = []
    depth = last = 0
    for m in _PAREN_RE.finditer(s):
        i = m.start()
        depths += [depth] * (i + 1 - last)  # before each character up to this one, itself included
        depth = depth + 1 if s[i] == "(" else max(0, depth - 1)
        last = i + 1
    depths += [depth] * (len(s) + 1 - last)
    return depths


def _clean_inline(t: _T, vocabulary: frozenset[str] | None = None) -> _T:
    """Clean one paragraph: references, figure pointers, spaces, hyphenation.

    ``vocabulary`` is given for PDF-extracted text only: then a hyphen followed
    by a space inside a line ("metas- tasis") is undone like a line-break one.
    """
    t = _sub(t, _SPACES_RE, lambda m: [" "])
    if vocabulary is not None:
        vocab = vocabulary

        def midline(m: re.Match[str]) -> _Repl:
            if m.group(2).rstrip("-") in _NOT_CONTINUATIONS:
                return None
            if _drop_hyphen(m.group(1), m.group(2), vocab):
                return [(m.start(1), m.end(1) - 1), (m.start(2), m.end(2))]
            return None

        t = _sub(t, _MIDLINE_HYPHEN_RE, midline)
    t = _sub(t, _FIG_REF_RE, _delete)
    t = _sub(t, _BRACKET_REF_RE, _delete)
    t = _sub(t, _PAREN_REF_GLUED_RE, _delete)
    t = _sub(t, _PAREN_REF_SPACED_RE, _delete)
    depths = _depths(t.s)
    t = _sub(t, _CLOSE_REF_RE, lambda m: [] if depths[m.start()] == 0 else None)
    t = _sub(
        t,
        _SUPER_REF_RE,
        lambda m: None if m.group(1) in _SUPER_EXCEPT else [(m.start(1), m.end(1))],
    )
    t = _sub(t, _EMPTY_BRACKETS_RE, _delete)
    t = _sub(t, _SPACE_RUN_RE, lambda m: [(m.start(), m.start() + 1)])
    t = _sub(t, _SPACE_BEFORE_PUNCT_RE, _delete)
    return t.strip()


# --------------------------------------------------------------------------- #
# Plain text: lines, boilerplate, captions, paragraphs
# --------------------------------------------------------------------------- #

# Page furniture of PubMed, NCBI and SpringerLink pages (banners, navigation, buttons,
# share/cite bars): the same on every page of those sites, not lines of any one article.
_BOILERPLATE_LINE_RE = re.compile(
    r"^(?:skip to (?:main )?(?:page )?content|u\.s\. flag\b.*|dot gov\b.*|https|"
    r"an official website of the united states government.*|"
    r"the \.gov means it.s official\.?|federal government websites often end in .*|"
    r"the site is secure\.?|the https:// ensures that .*|access keys .*|"
    r"search pubmed.*|pubmed disclaimer|affiliations(?:\s+expand)?|expand|collapse|"
    r"full text links|free (?:pmc )?article|cite|save|email|send to|display options|"
    r"advertisement|log in|sign up|download pdf|download citation|"
    r"(?:about this article|cite this article|share)(?:\s+(?:about this article|"
    r"cite this article|share))*|cite this article.*|.*\s{2}cite this article|"
    r"reprints and permissions|open access|"
    r"(?:research|original|review) article\s*\|.*|"
    r"springerlink\b.*|over \d+ million scientific documents.*|springer nature.*|"
    r"(?:\(c\)|©|copyright)\s.*|all rights reserved\.?|"
    r"accepted for publication.*|received:? .*\d{4}.*accepted.*|"
    r"(?:home|about|articles|submission|editorial board|special issues|search|login)"
    r"(?:\s{2,}(?:home|about|articles|submission|editorial board|special issues|search|login))+)$",
    re.IGNORECASE,
)
# Lines after which a web page has no article text left.
_TAIL_RE = re.compile(
    r"^(?:similar articles|cited by(?: \d+ articles)?|publication types|mesh terms|"
    r"substances|grants and funding|linkout - more resources|related information|"
    r"follow ncbi|rights and permissions(?:\s+.*)?|references|bibliography|"
    r"literature cited)$",
    re.IGNORECASE,
)
_PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
# "2207     OKAFOR et al: THIGH METASTASIS OF A ..." / "... SARCOMA     2208"
_RUNNING_HEAD_RE = re.compile(r"^(?:\d{1,4}\s{2,}(?P<a>.+)|(?P<b>.+?)\s{2,}\d{1,4})$")
_CAPTION_RE = re.compile(
    r"^(?:Fig(?:ure)?s?\.?|FIG(?:URE)?S?\.?|Table|TABLE|Supplementary (?:Fig(?:ure)?\.?|Table))"
    r"\s*[0-9]{1,2}[A-Za-z]?(?:\s*[.:|]|\s{2,}|\s*[-–—]\s)"
)
_IDENTIFIER_LINE_RE = re.compile(
    r"^(?:(?:PMID|PMCID|DOI|doi|https?://(?:dx\.)?doi\.org/)\s*:?\s*\S+.*"  # identifiers
    r"|(?=.{0,200}$).*\bdoi:\s*10\.\d+/.*"  # "Ocul Oncol Rep. 2019. doi: 10.5555/..."
    r"|\.\s*(?:19|20)\d{2}\b.*;.*"  # ". 2011 Mar;19(2):101-7."
    r"|(?=.{0,160}$).+ et al\. .+\. (?:19|20)\d{2}(?: [A-Z][a-z]{2})?(?: \d{1,2})?\.)$"
)
_NAME = r"(?:[A-Z][A-Za-z'’\-]*\.?|[A-Z]\.)"
_PERSON = rf"{_NAME}(?: {_NAME}){{1,3}}"
_AUTHOR_LINE_RE = re.compile(rf"^{_PERSON}(?:(?:,| and| &|, and) {_PERSON})+,?(?: et al\.?)?$")


def is_boilerplate(line: str, *, identifiers: bool = True) -> bool:
    """Tell whether a line is web-page furniture, an identifier line or a page number.

    With ``identifiers=False``, lines holding a DOI, PMID or citation are not
    counted as boilerplate (the metadata reader wants them).

    Examples
    --------
    >>> is_boilerplate("Send to"), is_boilerplate("PMID: 98765401")
    (True, True)
    >>> is_boilerplate("Results were checked by two readers.")
    False
    """
    s = line.strip()
    return bool(
        _BOILERPLATE_LINE_RE.match(s)
        or (identifiers and _IDENTIFIER_LINE_RE.match(s))
        or _PAGE_NUMBER_RE.match(s)
        or _is_running_head(s)
        or _TAIL_RE.match(s)
    )


def is_author_line(line: str) -> bool:
    """Tell whether a line is a list of author names.

    Examples
    --------
    >>> is_author_line("M. K. Lindqvist, T. Ferreira, N. A. Haddad & P. Novak")
    True
    >>> is_author_line("Late lung deposits of a pelvic chondrosarcoma")
    False
    """
    line = line.strip()
    return len(line) < 400 and bool(_AUTHOR_LINE_RE.match(line))


_CITE_AS_RE = re.compile(r"^(?:cite this article as|please cite this article|to cite this article)\b", re.I)


def _is_running_head(line: str) -> bool:
    m = _RUNNING_HEAD_RE.match(line)
    if not m:
        return False
    words = m.group("a") or m.group("b") or ""
    letters = [c for c in words if c.isalpha()]
    if not letters:
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    return upper > 0.6 or " et al" in words


def _lines(t: _T) -> Iterator[_T]:
    start = 0
    for i, c in enumerate(t.s):
        if c == "\n":
            yield t.cut(start, i)
            start = i + 1
    yield t.cut(start, len(t.s))


@dataclass
class _Para:
    lines: list[_T]
    heading: bool = False
    after_gap: bool = False  # a blank line, caption or page furniture came before it


_TERMINAL = ".!?:;"


def _paragraphs(t: _T) -> list[_Para]:
    """Group the lines of plain text into paragraphs, dropping page furniture."""
    paras: list[_Para] = []
    cur: list[_T] = []
    gap = False
    in_caption = False
    in_cite = False

    def flush(heading: bool = False) -> None:
        nonlocal cur, gap
        if cur:
            paras.append(_Para(cur, heading=heading, after_gap=gap))
            cur = []
            gap = False

    for raw_line in _lines(t):
        line = raw_line.strip()
        s = line.s
        if not s:
            flush()
            gap = True
            in_caption = in_cite = False
            continue
        if in_caption or in_cite:
            continue
        if _TAIL_RE.match(s):
            break
        if _CITE_AS_RE.match(s):
            flush()
            gap = in_cite = True
            continue
        if (
            _BOILERPLATE_LINE_RE.match(s)
            or _IDENTIFIER_LINE_RE.match(s)
            or _PAGE_NUMBER_RE.match(s)
            or _is_running_head(s)
        ):
            flush()
            gap = True
            continue
        if _CAPTION_RE.match(s):
            flush()
            gap = in_caption = True
            continue
        if is_heading(s):
            flush()
            cur = [line]
            flush(heading=True)
            gap = True
            continue
        if is_author_line(s):
            flush()
            cur = [line]
            flush()
            continue
        if _INLINE_HEADING_RE.match(s):
            flush()
        cur.append(line)
    flush()
    return paras


def _continues(prev: _Para, nxt: _Para) -> bool:
    """Tell whether ``nxt`` continues the sentence ``prev`` was cut in (page break, caption)."""
    if prev.heading or nxt.heading or not nxt.after_gap:
        return False
    last = prev.lines[-1].s.rstrip()
    first = nxt.lines[0].s.lstrip()
    if _INLINE_HEADING_RE.match(first):
        return False
    if last.endswith(("-", ",")):
        return True
    return bool(first[:1].islower()) and not last.endswith(tuple(_TERMINAL))


def _merge(paras: list[_Para]) -> list[_Para]:
    out: list[_Para] = []
    for p in paras:
        if out and _continues(out[-1], p):
            out[-1].lines.extend(p.lines)
        else:
            out.append(p)
    return out


_KEEP_HYPHEN_RIGHT = frozenset(
    re.findall(
        r"\w+",
        "type types based related free associated specific induced mediated derived guided "
        "weighted enhanced positive negative grade risk dose term chain up wide sparing",
    )
)
_KEEP_HYPHEN_LEFT = frozenset(re.findall(r"\w+", "non self well ill high low long short all cross follow"))
_LEFT_FRAGMENT_RE = re.compile(r"(-?)([A-Za-z]+)-$")
_RIGHT_FRAGMENT_RE = re.compile(r"^([A-Za-z]+)(-?)")


def _drop_hyphen(left_line: str, right_line: str, vocabulary: frozenset[str]) -> bool:
    """Decide whether the hyphen ending ``left_line`` is a line-break hyphen.

    Drop it when both fragments are lower-case letters, unless the document
    itself spells the hyphenated form elsewhere, or one fragment is part of a
    longer compound ("71-year-old", "over-the-counter"), or the pair is a usual
    compound ("high-risk", "diffuse-type", "follow-up").
    """
    lm = _LEFT_FRAGMENT_RE.search(left_line)
    rm = _RIGHT_FRAGMENT_RE.match(right_line)
    if not lm or not rm:
        return False
    left, right = lm.group(2), rm.group(1)
    if not (left.islower() and right.islower()):
        return False
    if lm.group(1) or rm.group(2):
        return False
    if f"{left}-{right}" in vocabulary:
        return False
    if f"{left}{right}" in vocabulary:
        return True
    return right not in _KEEP_HYPHEN_RIGHT and left not in _KEEP_HYPHEN_LEFT


def _join_lines(lines: list[_T], vocabulary: frozenset[str]) -> _T:
    parts: list[_T] = []
    for k, line in enumerate(lines):
        if k == 0:
            parts.append(line)
            continue
        prev = parts[-1]
        gap_at = prev.end_offset()
        if prev.s.endswith("-") and prev.s[-2:-1] not in (" ", ""):
            if _drop_hyphen(prev.s, line.s, vocabulary):
                parts[-1] = prev.cut(0, len(prev.s) - 1)
            parts.append(line)
        else:
            parts.append(_synth(" ", gap_at))
            parts.append(line)
    return _cat(parts)


_WORD_RE = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def _vocabulary(s: str) -> frozenset[str]:
    """Words (and hyphenated words) that occur inside lines of ``s``, lower-cased."""
    words: set[str] = set()
    for line in s.split("\n"):
        found = _WORD_RE.findall(line.rstrip().removesuffix("-"))
        words.update(w.lower() for w in found)
    return frozenset(words)


def _from_text(t: _T) -> list[tuple[_T, bool]]:
    t = _clean_chars(t)
    vocabulary = _vocabulary(t.s)
    blocks: list[tuple[_T, bool]] = []
    for p in _merge(_paragraphs(t)):
        joined = _clean_inline(_join_lines(p.lines, vocabulary), vocabulary)
        if joined.s:
            blocks.append((joined, p.heading))
    return blocks


# --------------------------------------------------------------------------- #
# Markup: a tokenizer over the decoded source
# --------------------------------------------------------------------------- #

_TOKEN_RE = re.compile(
    r"<!--.*?-->|<!\[CDATA\[(?P<cdata>.*?)\]\]>|<\?.*?\?>|<!(?:[^\[>]|\[.*?\])*>|"
    r"<(?P<close>/)?(?P<name>[A-Za-z_][\w:.\-]*)(?P<attrs>(?:\s+[^\s=/>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)"
    r"\s*(?P<empty>/)?>",
    re.DOTALL,
)
_ATTR_RE = re.compile(r"([^\s=/>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_ENTITY_RE = re.compile(r"&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});?")
_RAW_TEXT_ELEMENTS = frozenset({"script", "style", "textarea", "title", "xmp"})


@dataclass(frozen=True)
class _Tag:
    name: str
    start: int  # offset of "<" in raw
    end: int  # offset after ">"
    attrs: dict[str, tuple[str, int]]  # name -> (value, offset of value in raw)
    closing: bool
    empty: bool


def _attrs(raw: str, base: int, text: str) -> dict[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    for m in _ATTR_RE.finditer(text):
        for g in (2, 3, 4):
            if m.group(g) is not None:
                out[m.group(1).lower()] = (m.group(g), base + m.start(g))
                break
        else:
            out[m.group(1).lower()] = ("", base + m.start(1))
    return out


def _decode_text(raw: str, i: int, j: int, *, html_entities: bool) -> _T:
    """Decode character references in ``raw[i:j]`` keeping offsets."""
    piece = _T(raw[i:j], list(range(i, j)))
    if "&" not in piece.s:
        return piece

    def repl(m: re.Match[str]) -> _Repl:
        name = m.group(1)
        if name.startswith(("#x", "#X")):
            value = chr(int(name[2:], 16)) if int(name[2:], 16) < 0x110000 else "\ufffd"
        elif name.startswith("#"):
            value = chr(int(name[1:])) if int(name[1:]) < 0x110000 else "\ufffd"
        else:
            key = name + ";" if m.group().endswith(";") else name
            known = html.entities.html5 if html_entities else _XML_ENTITIES
            if key not in known:
                return None
            value = known[key]
        return [value]

    return _sub(piece, _ENTITY_RE, repl)


_XML_ENTITIES = {"amp;": "&", "lt;": "<", "gt;": ">", "quot;": '"', "apos;": "'"}


def _tokens(raw: str, start: int, end: int, *, html_mode: bool) -> Iterator[_Tag | _T]:
    """Yield tags and decoded text runs of ``raw[start:end]``."""
    pos = start
    while pos < end:
        m = _TOKEN_RE.search(raw, pos, end)
        if not m:
            yield _decode_text(raw, pos, end, html_entities=html_mode)
            return
        if m.start() > pos:
            yield _decode_text(raw, pos, m.start(), html_entities=html_mode)
        pos = m.end()
        if m.group("cdata") is not None:
            i = m.start("cdata")
            yield _T(m.group("cdata"), list(range(i, m.end("cdata"))))
            continue
        name = m.group("name")
        if name is None:
            continue  # comment, processing instruction, doctype
        local = name.lower() if html_mode else name
        tag = _Tag(
            name=local.split(":")[-1] if html_mode else local,
            start=m.start(),
            end=m.end(),
            attrs=_attrs(raw, m.start("attrs"), m.group("attrs") or ""),
            closing=bool(m.group("close")),
            empty=bool(m.group("empty")),
        )
        yield tag
        if html_mode and tag.name in _RAW_TEXT_ELEMENTS and not tag.closing and not tag.empty:
            close = re.compile(rf"</{tag.name}\s*>", re.IGNORECASE).search(raw, pos, end)
            text_end = close.start() if close else end
            if tag.name in ("title", "textarea"):
                yield _decode_text(raw, pos, text_end, html_entities=True)
            pos = text_end


@dataclass(frozen=True)
class _Rules:
    """How to flatten one markup vocabulary."""

    skip: Callable[[_Tag], bool]
    blocks: frozenset[str]
    headings: frozenset[str]
    html: bool


def _flatten(raw: str, start: int, end: int, rules: _Rules) -> list[tuple[_T, bool]]:
    """Flatten markup into (paragraph, is_heading) blocks."""
    blocks: list[tuple[_T, bool]] = []
    cur: list[_T] = []
    heading_depth = 0
    skip_stack: list[str] = []
    open_stack: list[str] = []
    void = frozenset({"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"})

    def flush(heading: bool) -> None:
        nonlocal cur
        if cur:
            para = _clean_inline(_cat(cur))
            if para.s:
                blocks.append((para, heading))
            cur = []

    for tok in _tokens(raw, start, end, html_mode=rules.html):
        if isinstance(tok, _T):
            if not skip_stack:
                cur.append(tok)
            continue
        if rules.html and tok.name in void:
            if tok.name == "br" and not skip_stack:
                cur.append(_synth(" ", tok.start))
            continue
        if tok.closing:
            if skip_stack and skip_stack[-1] == tok.name:
                skip_stack.pop()
                continue
            if skip_stack:
                continue
            if tok.name in open_stack:
                while open_stack and open_stack.pop() != tok.name:
                    pass
            if tok.name in rules.headings:
                flush(heading=True)
                heading_depth = max(0, heading_depth - 1)
            elif tok.name in rules.blocks:
                flush(heading=heading_depth > 0)
            elif rules.html and tok.name in ("td", "th"):
                cur.append(_synth(" ", tok.start))
            continue
        if skip_stack:
            if tok.name == skip_stack[-1] and not tok.empty:
                skip_stack.append(tok.name)
            continue
        if rules.skip(tok):
            if not tok.empty:
                skip_stack.append(tok.name)
            continue
        if tok.empty:
            continue
        open_stack.append(tok.name)
        if tok.name in rules.headings:
            flush(heading=heading_depth > 0)
            heading_depth += 1
        elif tok.name in rules.blocks:
            flush(heading=heading_depth > 0)
    flush(heading=False)
    return blocks


def _named_heading(raw: str, tag: _Tag, word: str) -> _T:
    """A heading made from a tag name ("<Abstract>" -> "Abstract"), mapped to it."""
    i = tag.start + 1
    return _T(word, list(range(i, i + len(word))))


# ---- PubMed XML ---------------------------------------------------------- #

_PUBMED_SKIP = frozenset({"CopyrightInformation"})


def _from_pubmed(raw: str, start: int, end: int) -> list[tuple[_T, bool]]:
    """Title and abstract of one ``PubmedArticle`` in ``raw[start:end]``."""
    blocks: list[tuple[_T, bool]] = []
    rules = _Rules(
        skip=lambda tag: tag.name in _PUBMED_SKIP,
        blocks=frozenset({"AbstractText"}),
        headings=frozenset(),
        html=False,
    )
    stack: list[_Tag] = []
    for tok in _tokens(raw, start, end, html_mode=False):
        if not isinstance(tok, _Tag):
            continue
        if tok.closing:
            opener = stack.pop() if stack and stack[-1].name == tok.name else None
            if opener is None:
                continue
            if tok.name == "ArticleTitle":
                blocks.extend((b, False) for b, _ in _flatten(raw, opener.end, tok.start, rules))
            elif tok.name == "AbstractText":
                label = opener.attrs.get("label")
                if label and label[0].strip():
                    value, at = label
                    head = _T(value, list(range(at, at + len(value))))
                    blocks.append((_cat([head, _synth(":", at + len(value))]), True))
                blocks.extend(_flatten(raw, opener.end, tok.start, rules))
            continue
        if tok.empty:
            continue
        if tok.name == "Abstract" and not any(s.name == "Abstract" for s in stack):
            in_citation = any(s.name == "MedlineCitation" for s in stack)
            if in_citation:
                blocks.append((_named_heading(raw, tok, "Abstract"), True))
        stack.append(tok)
    return blocks


# ---- JATS XML ------------------------------------------------------------ #

_JATS_SKIP = frozenset(
    {
        "ref-list",
        "fig",
        "fig-group",
        "table-wrap",
        "table-wrap-group",
        "label",
        "caption",
        "supplementary-material",
        "fn-group",
        "fn",
        "media",
        "graphic",
        "inline-graphic",
        "alternatives",
        "tex-math",
        "object-id",
        "back",
        "floats-group",
        "sub-article",
        "response",
        "funding-group",
        "kwd-group",
        "author-notes",
        "permissions",
    }
)
_JATS_BLOCKS = frozenset(
    {
        "p",
        "sec",
        "abstract",
        "trans-abstract",
        "list",
        "list-item",
        "boxed-text",
        "disp-quote",
        "statement",
        "def-list",
        "def-item",
        "body",
        "article-title",
        "title-group",
        "disp-formula",
    }
)


def _jats_skip(tag: _Tag) -> bool:
    if tag.name in _JATS_SKIP or tag.name.startswith("mml:"):
        return True
    if tag.name == "xref" and tag.attrs.get("ref-type", ("", 0))[0] in ("bibr", "fn", "fig", "table"):
        return True
    return tag.name == "abstract" and tag.attrs.get("abstract-type", ("", 0))[0] in (
        "graphical",
        "teaser",
        "toc",
    )


def _from_jats(raw: str, start: int, end: int) -> list[tuple[_T, bool]]:
    """Title, abstract and body of one JATS ``<article>`` in ``raw[start:end]``."""
    rules = _Rules(
        skip=_jats_skip,
        blocks=_JATS_BLOCKS,
        headings=frozenset({"title"}),
        html=False,
    )
    blocks: list[tuple[_T, bool]] = []
    title: _Tag | None = None
    abstract_done = False
    for tok in _tokens(raw, start, end, html_mode=False):
        if not isinstance(tok, _Tag) or tok.empty:
            continue
        if tok.name == "article-title" and not tok.closing and title is None:
            title = tok
            close = raw.find("</article-title>", tok.end, end)
            if close > 0:
                blocks.extend((b, False) for b, _ in _flatten(raw, tok.end, close, rules))
        elif tok.name == "abstract" and not tok.closing and not abstract_done and not _jats_skip(tok):
            close = raw.find("</abstract>", tok.end, end)
            if close > 0:
                blocks.append((_named_heading(raw, tok, "Abstract"), True))
                blocks.extend(_flatten(raw, tok.end, close, rules))
                abstract_done = True
        elif tok.name == "body" and not tok.closing:
            close = raw.rfind("</body>", tok.end, end)
            if close > 0:
                blocks.extend(_flatten(raw, tok.end, close, rules))
            break
    return blocks


# ---- HTML ---------------------------------------------------------------- #

_HTML_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "nav",
        "footer",
        "form",
        "button",
        "select",
        "iframe",
        "canvas",
        "head",
        "figure",
        "figcaption",
        "aside",
        "object",
        "embed",
    }
)
_HTML_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "tr",
        "table",
        "blockquote",
        "pre",
        "header",
        "body",
        "html",
        "address",
        "center",
        "details",
        "summary",
        "caption",
        "thead",
        "tbody",
        "tfoot",
    }
)
_HTML_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HIDDEN_CLASS_RE = re.compile(r"\b(?:visually-hidden|sr-only|hidden|usa-banner|ncbi-header|skip-link)\b")
_REF_HREF_RE = re.compile(r"^#(?:b|r|ref|cr|bib|cit|ref-cr)[-_]?\d", re.IGNORECASE)


def _html_skip(tag: _Tag) -> bool:
    if tag.name in _HTML_SKIP:
        return True
    if "hidden" in tag.attrs or tag.attrs.get("aria-hidden", ("", 0))[0] == "true":
        return True
    if tag.attrs.get("role", ("", 0))[0] in ("navigation", "banner", "contentinfo", "search"):
        return True
    if _HIDDEN_CLASS_RE.search(tag.attrs.get("class", ("", 0))[0]):
        return True
    return tag.name == "a" and bool(_REF_HREF_RE.match(tag.attrs.get("href", ("", 0))[0]))


def _from_html(raw: str) -> list[tuple[_T, bool]]:
    rules = _Rules(skip=_html_skip, blocks=_HTML_BLOCKS, headings=_HTML_HEADINGS, html=True)
    flat = _flatten(raw, 0, len(raw), rules)
    # Run the plain-text rules over the flattened blocks: boilerplate lines,
    # captions and tail sections of saved web pages look the same there.
    blocks: list[tuple[_T, bool]] = []
    for block, heading in flat:
        s = block.s
        if _TAIL_RE.match(s):
            break
        if _BOILERPLATE_LINE_RE.match(s) or _CAPTION_RE.match(s) or _CITE_AS_RE.match(s):
            continue
        blocks.append((block, heading or is_heading(s)))
    return blocks


# --------------------------------------------------------------------------- #
# Public entry point
# --------------------------------------------------------------------------- #


def _join_blocks(blocks: list[tuple[_T, bool]]) -> _T:
    parts: list[_T] = []
    for block, _ in blocks:
        if parts:
            parts.append(_synth("\n\n", parts[-1].end_offset() if parts[-1].o else 0))
        parts.append(block)
    return _cat(parts) if parts else _T("", [])


def normalise_span(
    raw: str, source_format: str, start: int = 0, end: int | None = None
) -> tuple[str, tuple[int, ...]]:
    """Normalise the part ``raw[start:end]`` (one article of a multi-article file).

    Parameters
    ----------
    raw : str
        The decoded original file.
    source_format : str
        One of :data:`FORMATS`.
    start, end : int
        The part of ``raw`` to read; offsets still index the whole of ``raw``.

    Returns
    -------
    tuple of (str, tuple of int)
        The normalised text and, for each of its characters, an offset in ``raw``.
    """
    end = len(raw) if end is None else end
    if source_format == "text":
        blocks = _from_text(_T(raw[start:end], list(range(start, end))))
    elif source_format == "html":
        blocks = _from_html(raw)
    elif source_format == "pubmed-xml":
        blocks = _from_pubmed(raw, start, end)
    elif source_format == "jats-xml":
        blocks = _from_jats(raw, start, end)
    else:
        raise ValueError(f"unknown source format {source_format!r}; expected one of {FORMATS}")
    joined = _join_blocks(blocks)
    cap = max(len(raw) - 1, 0)
    if joined.o and max(joined.o) > cap:  # offsets past the end of raw (made-up closing text) are its last
        joined = _T(joined.s, [k if k < cap else cap for k in joined.o])
    return joined.s, tuple(joined.o)


def normalise(raw: str, source_format: str = "text") -> tuple[str, tuple[int, ...]]:
    """Normalise a decoded document and map every output character to ``raw``.

    Parameters
    ----------
    raw : str
        The decoded original file.
    source_format : str
        ``"text"`` (PDF-extracted text or a text copy of a web page),
        ``"html"``, ``"pubmed-xml"`` (first article only; use
        :func:`normalise_span` for the others) or ``"jats-xml"``.

    Returns
    -------
    text : str
        Paragraphs separated by one blank line; headings are paragraphs of
        their own.
    offsets : tuple of int
        ``offsets[i]`` is the offset in ``raw`` of ``text[i]``.

    Examples
    --------
    >>> normalise("CASE REPORT\\nA 64-year-old man was refer-\\nred for a painful\\n"
    ...           " Fig. 1. CT image.\\n\\nswelling of the thigh.")[0]
    'CASE REPORT\\n\\nA 64-year-old man was referred for a painful swelling of the thigh.'
    """
    return normalise_span(raw, source_format)
