"""A document read from a file: its original text, normalised text and metadata.

A :class:`Document` keeps the decoded original file (``raw``), the normalised
text the later stages read (``text``) and, for every character of ``text``, the
offset in ``raw`` it comes from (``offsets``), so that evidence found in
``text`` can be pointed at in the original file.

Examples
--------
>>> doc = Document(name="a.txt", path="a.txt", source_format="text", raw="Ab  c",
...                text="Ab c", offsets=(0, 1, 2, 4), metadata=Metadata(),
...                content_hash="0")
>>> doc.source_span(1, 4)
(1, 5)
>>> doc.raw[slice(*doc.source_span(0, 2))]
'Ab'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from oncograph.normalise import is_heading

__all__ = ["Block", "Document", "Metadata"]


@dataclass(frozen=True)
class Metadata:
    """Bibliographic facts about a document; every field may be unknown.

    Attributes
    ----------
    title : str or None
        The article title.
    authors : tuple of str
        Author names as written, first author first; may be only the first
        author when the source says "et al.".
    journal : str or None
        Journal abbreviation (PubMed ``ISOAbbreviation``) when known, else its title.
    year : int or None
        Year of publication.
    doi, pmid, pmcid : str or None
        Identifiers, without prefixes (``"10.1093/jjco/hyi091"``, ``"15928182"``,
        ``"PMC1234567"``).
    """

    title: str | None = None
    authors: tuple[str, ...] = ()
    journal: str | None = None
    year: int | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph or heading of the normalised text: ``text[start:end]``."""

    start: int
    end: int
    text: str
    is_heading: bool


@dataclass(frozen=True)
class Document:
    """One article read from a file.

    Attributes
    ----------
    name : str
        The file's base name; ``"file.xml#PMID"`` for one article of a file
        holding several.
    path : str
        The path the file was read from.
    source_format : str
        ``"text"``, ``"html"``, ``"pubmed-xml"`` or ``"jats-xml"``.
    raw : str
        The decoded original file (the whole file, also for one article of many).
    text : str
        The normalised text: paragraphs separated by one blank line, headings
        as paragraphs of their own.
    offsets : sequence of int
        ``offsets[i]`` is the offset in ``raw`` of ``text[i]``.
    metadata : Metadata
        Title, authors, journal, year and identifiers.
    content_hash : str
        SHA-256 (hex) of the UTF-8 encoding of the part of ``raw`` this
        document covers.
    index : int
        Position of the article in its file (0 for single-article files).
    """

    name: str
    path: str
    source_format: str
    raw: str
    text: str
    offsets: Sequence[int] = field(repr=False)
    metadata: Metadata
    content_hash: str
    index: int = 0

    def __post_init__(self) -> None:
        if len(self.offsets) != len(self.text):
            raise ValueError(
                f"{self.name}: {len(self.offsets)} offsets for {len(self.text)} characters of text"
            )

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``text[start:end]`` to a span of ``raw``.

        Parameters
        ----------
        start, end : int
            A span of :attr:`text`, ``0 <= start <= end <= len(text)``.

        Returns
        -------
        tuple of int
            ``(raw_start, raw_end)``: from the offset of the first character to
            just after the offset of the last one. An empty span maps to an
            empty span at the offset of ``text[start]``.

        Raises
        ------
        IndexError
            If the span is not inside :attr:`text`.
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span ({start}, {end}) is outside a text of {len(self.text)} characters")
        if start == end:
            at = self.offsets[start] if start < len(self.offsets) else len(self.raw)
            return at, at
        first = self.offsets[start]
        last = max(self.offsets[start:end])
        return min(first, last), last + 1

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Paragraphs and headings of :attr:`text`, in order.

        Paragraphs are separated by a blank line; a block is a heading when it
        is a single line that :func:`oncograph.normalise.is_heading` accepts.
        """
        out: list[Block] = []
        start = 0
        text = self.text
        while start < len(text):
            end = text.find("\n\n", start)
            end = len(text) if end < 0 else end
            chunk = text[start:end]
            if chunk.strip():
                out.append(Block(start, end, chunk, is_heading(chunk)))
            start = end + 2
        return tuple(out)
