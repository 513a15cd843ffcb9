"""Read document files into :class:`~oncograph.document.Document` objects.

The format is told from the content, never from the file name:

``pubmed-xml``
    PubMed/MEDLINE XML (``<PubmedArticleSet>``, one document per ``<PubmedArticle>``).
``jats-xml``
    PMC JATS XML (``<article>``, or several in a ``<pmc-articleset>``).
``html``
    A saved web page.
``text``
    Anything else that decodes as text: PDF-extracted text, text copies of
    PubMed, SpringerLink or journal pages.

Decoding: a UTF-8, UTF-16 or UTF-32 byte order mark is obeyed; an XML
declaration's ``encoding`` is obeyed; otherwise UTF-8, and only if that fails,
cp1252 when it decodes without error and the result looks like text (few
control characters, mostly ASCII). Anything else is an :class:`InputError`.

XML is parsed with :mod:`defusedxml`: entity declarations (external entities,
"billion laughs") and document type declarations with an internal subset are
refused; a ``<!DOCTYPE ... PUBLIC "..." "....dtd">`` line as PubMed and PMC
write it is accepted and never fetched.

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "case.txt").write_text("CASE REPORT\\nA 71-year-old woman had GIST7).\\n")
>>> [doc.text for doc in read_documents(folder / "case.txt")]
['CASE REPORT\\n\\nA 71-year-old woman had GIST.']
"""

from __future__ import annotations

import codecs
import hashlib
import html
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as SafeET

from oncograph.document import Document, Metadata
from oncograph.errors import InputError
from oncograph.normalise import HEADING_RE, is_author_line, is_boilerplate, is_heading, normalise_span

__all__ = [
    "DEFAULT_MAX_BYTES",
    "decode",
    "detect_format",
    "iter_documents",
    "read_documents",
    "read_string",
]

#: Files larger than this many bytes are refused (before they are read).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

PathLike = str | os.PathLike[str]

# --------------------------------------------------------------------------- #
# Bytes to text
# --------------------------------------------------------------------------- #

_MAGIC = (
    (b"%PDF-", "a PDF file: extract its text first"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document), not text"),
    (b"\x89PNG", "a PNG image, not text"),
    (b"\xff\xd8\xff", "a JPEG image, not text"),
    (b"GIF8", "a GIF image, not text"),
    (b"\x1f\x8b", "a gzip archive, not text"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_ENCODING_RE = re.compile(rb"^<\?xml[^>]*\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # C0 but tab, newlines, form feed; DEL; C1


def _control_ratio(text: str) -> float:
    sample = text[:100_000]
    return len(_CONTROL_RE.findall(sample)) / max(1, len(sample))


def decode(data: bytes, path: PathLike = "<bytes>") -> str:
    """Decode the bytes of a document file.

    Parameters
    ----------
    data : bytes
        The whole file.
    path : str or path-like
        Used in error messages only.

    Returns
    -------
    str
        The decoded text, without byte order mark.

    Raises
    ------
    InputError
        Empty, binary or undecodable input.

    Examples
    --------
    >>> decode("caf\\u00e9".encode("utf-16"))
    'café'
    >>> decode(b"caf\\xe9 au lait")
    'café au lait'
    """
    if not data:
        raise InputError(path, "empty file")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(path, f"binary file: {what}")
    encoding: str | None = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    if encoding is None:
        if b"\x00" in data[:65536]:
            raise InputError(path, "binary file: contains NUL bytes")
        declared = _XML_ENCODING_RE.match(data[:200])
        if declared:
            encoding = declared.group(1).decode("ascii")
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise InputError(path, f"unknown XML encoding {encoding!r}") from None
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(
                path, f"cannot be decoded as {encoding}: {exc.reason} at byte {exc.start}"
            ) from None
        text = text.removeprefix("\ufeff")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _decode_cp1252(data, path, exc)
    if _control_ratio(text) > 0.01:
        raise InputError(path, "binary file: mostly non-text characters")
    if not text.strip():
        raise InputError(path, "empty file: only white space")
    return text


def _decode_cp1252(data: bytes, path: PathLike, utf8_error: UnicodeDecodeError) -> str:
    why = f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start})"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(path, f"undecodable: {why}, nor cp1252") from None
    non_ascii = sum(1 for c in text if ord(c) > 127) / max(1, len(text))
    if non_ascii > 0.3 or _control_ratio(text) > 0.01:
        raise InputError(path, f"undecodable: {why}, and does not look like cp1252 text")
    return text


# --------------------------------------------------------------------------- #
# Format detection and XML
# --------------------------------------------------------------------------- #

_MARKUP_START_RE = re.compile(r"^\s*<(?:\?xml|!DOCTYPE|!--|[A-Za-z])", re.IGNORECASE)
_HTML_START_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+html\b|<html\b)", re.IGNORECASE | re.DOTALL
)
_INTERNAL_SUBSET_RE = re.compile(r"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_HTML_ROOTS = frozenset({"html", "head", "body", "div", "p", "section", "main", "span", "table"})
_HTML_TAG_RE = re.compile(r"<(?:html|body|head|p|div|br)\b", re.IGNORECASE)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_xml(text: str, path: PathLike) -> ET.Element:
    if _INTERNAL_SUBSET_RE.search(text[:100_000]):
        raise InputError(path, "XML with an internal DTD subset (entity declarations) is refused")
    try:
        root: ET.Element = SafeET.fromstring(
            text, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as exc:
        raise InputError(path, f"unsafe XML refused: {type(exc).__name__}") from None
    except ET.ParseError as exc:
        raise InputError(path, f"malformed XML: {exc}") from None
    return root


def detect_format(text: str, path: PathLike = "<string>") -> tuple[str, ET.Element | None]:
    """Tell the format of decoded document text from its content.

    Returns
    -------
    tuple
        The format (``"text"``, ``"html"``, ``"pubmed-xml"``, ``"jats-xml"``)
        and, for XML, the parsed root element.

    Raises
    ------
    InputError
        Malformed or unsafe XML, or XML of an unknown kind.

    Examples
    --------
    >>> detect_format("<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>")[0]
    'pubmed-xml'
    >>> detect_format("<2% of cases")[0]
    'text'
    """
    if not _MARKUP_START_RE.match(text):
        return "text", None
    if _HTML_START_RE.match(text):
        return "html", None
    try:
        root = _parse_xml(text, path)
    except InputError as exc:
        if exc.reason.startswith("malformed") and _HTML_TAG_RE.search(text[:10_000]):
            return "html", None
        raise
    name = _local(root.tag)
    if name in ("PubmedArticleSet", "PubmedArticle"):
        return "pubmed-xml", root
    if name in ("article", "pmc-articleset"):
        return "jats-xml", root
    if name.lower() in _HTML_ROOTS:
        return "html", None
    raise InputError(path, f"unknown kind of XML: root element <{name}>")


# --------------------------------------------------------------------------- #
# Metadata from XML
# --------------------------------------------------------------------------- #


def _strip_namespaces(root: ET.Element) -> None:
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = _local(el.tag)


def _text_of(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    value = " ".join("".join(el.itertext()).split())
    return value or None


def _year(value: str | None) -> int | None:
    m = re.search(r"\b(1[89]\d\d|20\d\d)\b", value or "")
    return int(m.group(1)) if m else None


def _pubmed_metadata(article: ET.Element) -> Metadata:
    cit = article.find("MedlineCitation")
    art = cit.find("Article") if cit is not None else None
    authors: list[str] = []
    journal = year = None
    title = doi = pmcid = None
    if art is not None:
        title = _text_of(art.find("ArticleTitle"))
        for author in art.findall("AuthorList/Author"):
            last = _text_of(author.find("LastName"))
            initials = _text_of(author.find("Initials")) or _text_of(author.find("ForeName"))
            collective = _text_of(author.find("CollectiveName"))
            if last:
                authors.append(f"{last} {initials}" if initials else last)
            elif collective:
                authors.append(collective)
        journal = _text_of(art.find("Journal/ISOAbbreviation")) or _text_of(art.find("Journal/Title"))
        pub_date = art.find("Journal/JournalIssue/PubDate")
        if pub_date is not None:
            year = _year(_text_of(pub_date.find("Year")) or _text_of(pub_date.find("MedlineDate")))
        year = year or _year(_text_of(art.find("ArticleDate/Year")))
        for eloc in art.findall("ELocationID"):
            if eloc.get("EIdType") == "doi":
                doi = _text_of(eloc)
    for aid in article.findall("PubmedData/ArticleIdList/ArticleId"):
        kind = aid.get("IdType")
        if kind == "doi" and not doi:
            doi = _text_of(aid)
        elif kind == "pmc":
            pmcid = _text_of(aid)
    pmid = _text_of(cit.find("PMID")) if cit is not None else None
    return Metadata(title, tuple(authors), journal, year, doi, pmid, _pmc(pmcid))


def _pmc(value: str | None) -> str | None:
    if not value:
        return None
    return value if value.upper().startswith("PMC") else f"PMC{value}"


def _jats_metadata(article: ET.Element) -> Metadata:
    meta = article.find("front/article-meta")
    jmeta = article.find("front/journal-meta")
    title = journal = doi = pmid = pmcid = None
    year = None
    authors: list[str] = []
    if jmeta is not None:
        abbrevs = {a.get("abbrev-type"): _text_of(a) for a in jmeta.iter("abbrev-journal-title")}
        journal = (
            abbrevs.get("iso-abbrev")
            or abbrevs.get("nlm-ta")
            or _text_of(jmeta.find(".//journal-title"))
            or next(iter(abbrevs.values()), None)
        )
    if meta is not None:
        title = _text_of(meta.find("title-group/article-title"))
        for contrib in meta.iter("contrib"):
            if contrib.get("contrib-type", "author") != "author":
                continue
            surname = _text_of(contrib.find(".//surname"))
            given = _text_of(contrib.find(".//given-names"))
            collab = _text_of(contrib.find("collab"))
            if surname:
                authors.append(f"{given} {surname}" if given else surname)
            elif collab:
                authors.append(collab)
        for aid in meta.findall("article-id"):
            kind = aid.get("pub-id-type")
            if kind == "doi":
                doi = _text_of(aid)
            elif kind == "pmid":
                pmid = _text_of(aid)
            elif kind in ("pmc", "pmcid"):
                pmcid = _pmc(_text_of(aid))
        dates = meta.findall("pub-date")
        dates.sort(
            key=lambda d: 0 if (d.get("pub-type") or d.get("date-type")) in ("epub", "ppub", "pub") else 1
        )
        for date in dates:
            year = _year(_text_of(date.find("year")))
            if year:
                break
    return Metadata(title, tuple(authors), journal, year, doi, pmid, pmcid)


# --------------------------------------------------------------------------- #
# Metadata from text and HTML
# --------------------------------------------------------------------------- #

_DOI_RE = re.compile(r"(?:\bdoi\s*:?\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_PMID_RE = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b")
_PMCID_RE = re.compile(r"\b(PMC\d{4,9})\b")
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_JOURNAL = r"(?P<journal>[A-Z][A-Za-z.&' ]{0,79}?[A-Za-z])"
# Citation lines of text copies of articles and PubMed pages (the journals, names and
# numbers in the examples below are made up).
_TEXT_CITATION_RES = (
    # "Ilona Varga et al. Ann Rare Tumours. 2011 Mar."
    re.compile(rf"^(?P<author>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){{0,3}}) et al\. {_JOURNAL}\. {_YEAR}\b"),
    # "Haddad N, Ferreira T. Title. Clin Sarcoma Rep 2016; 7: 212-218." / "... Ann Rare Tumours."
    re.compile(
        r"^(?:Cite this article as:\s*)?"
        r"(?P<authors>[A-Z][\w'’-]+ [A-Z]{1,3}(?:, [A-Z][\w'’-]+ [A-Z]{1,3})*(?:,? et al)?)\. "
        rf"(?P<title>[^.]{{10,300}}?[.?]) {_JOURNAL}\.?(?: {_YEAR}\b|$)"
    ),
    # "Ocul Oncol Rep. 2019. doi: ..." / "Ann Rare Tumours. 2011 Mar;19(2):101-7."
    re.compile(rf"^{_JOURNAL}\. {_YEAR}(?: [A-Z][a-z]{{2}}(?: \d{{1,2}})?)?[.;]"),
    # ". 2011 Mar;19(2):101-7." (a PubMed page's citation line, journal name on the line before)
    re.compile(rf"^\.\s*{_YEAR}(?: [A-Z][a-z]{{2}})?;"),
    # "SARCOMA REPORTS 12: 405-411, 2018" (a running journal header)
    re.compile(rf"^{_JOURNAL}\s+\d+\s*:\s*\d+\s*[-–]\s*\d+,\s*{_YEAR}\b"),
    # "Clin Sarcoma Rep 2016: 7: 212-218"
    re.compile(rf"^{_JOURNAL}\s+{_YEAR}\s*[:;]\s*\d+\s*[:(]"),
)
_PUBLISHED_RE = re.compile(rf"\bPublished:?\s+(?:\d{{1,2}}\s+)?[A-Z][a-z]+\.?\s+{_YEAR}\b")
_JOURNAL_LINE_RE = re.compile(
    r"^(?:The )?(?:Journal|Annals|Archives|Proceedings|Bulletin) of [A-Z][\w ,&-]+$"
)
_STOP_TITLE_RE = re.compile(
    r"^(?:abstract|summary|introduction|background|methods?|materials and methods|key ?words)\b", re.I
)
_NOT_TITLE_RE = re.compile(
    r"^(?:Department|Division|University|Institute|School|Faculty|Hospital|Cent(?:er|re)|Correspondence)\b"
    r"|\bet al\b|\(c\)|©|\bdoi\b|\bPMID\b|\d+\s*:\s*\d+"
)


def _paragraph_lines(raw: str) -> list[str]:
    """Lines of the header area of ``raw``, with wrapped citations joined."""
    lines: list[str] = []
    for para in re.split(r"\n\s*\n", raw[:20_000]):
        joined = re.sub(r"(?<=[a-z])-\s*\n\s*(?=[a-z])", "", para)
        parts = [
            " ".join(line.split())
            for line in joined.splitlines()
            if not is_boilerplate(line, identifiers=False)
        ]
        lines.extend(p for p in parts if p)
        flat = " ".join(parts).strip()
        if flat and len(parts) > 1:
            lines.append(flat)
    return lines


def _split_authors(line: str) -> tuple[str, ...]:
    line = re.sub(r",?\s*et al\.?$", "", line.strip())
    names = [n.strip() for n in re.split(r",\s*and\s+|,\s*|\s+and\s+|\s*&\s*", line) if n.strip()]
    return tuple(n.title() if n.isupper() else n for n in names)


def _title_and_authors(text: str) -> tuple[str | None, tuple[str, ...]]:
    """Guess title and author list from the first paragraphs of normalised text."""
    candidates: list[str] = []
    authors: list[str] = []
    for block in text.split("\n\n")[:40]:
        words = block.split()
        if _STOP_TITLE_RE.match(block) or len(words) > 60:
            break
        if is_author_line(block):
            if not authors or candidates:
                authors.extend(_split_authors(block))
            continue
        if is_heading(block) or HEADING_RE.match(block) or _JOURNAL_LINE_RE.match(block):
            continue
        digits = sum(c.isdigit() for c in block) / max(1, len(block))
        if (
            4 <= len(words) <= 40
            and not block.endswith(".")
            and digits < 0.1
            and not _NOT_TITLE_RE.search(block)
        ):
            candidates.append(block)
    title = max(candidates, key=lambda c: len(c.split()), default=None)
    return title, tuple(authors)


def _text_metadata(raw: str, text: str) -> Metadata:
    """Read bibliographic metadata from a text copy of an article or web page."""
    lines = _paragraph_lines(raw)
    found: dict[str, str] = {}
    authors: tuple[str, ...] = ()
    for line in lines:
        for pattern in _TEXT_CITATION_RES:
            m = pattern.match(line)
            if not m:
                continue
            groups = {k: v for k, v in m.groupdict().items() if v}
            for key in ("journal", "year", "title"):
                if key in groups and key not in found:
                    found[key] = groups[key].strip().rstrip(".")
            if not authors and "authors" in groups:
                authors = _split_authors(groups["authors"])
            elif not authors and "author" in groups:
                authors = (groups["author"],)
    if "journal" not in found:
        for line in lines[:30]:
            if _JOURNAL_LINE_RE.match(line):
                found["journal"] = line
                break
    published = _PUBLISHED_RE.search(raw[:20_000])
    if published and "year" not in found:
        found["year"] = published.group("year")
    journal = found.get("journal")
    if journal and journal.isupper():
        journal = journal.title()
    title, text_authors = _title_and_authors(text)
    doi = _DOI_RE.search(raw)
    pmid = _PMID_RE.search(raw)
    pmcid = _PMCID_RE.search(raw)
    return Metadata(
        title=found.get("title") or title,
        authors=authors or text_authors,
        journal=journal,
        year=int(found["year"]) if "year" in found else None,
        doi=doi.group(1).rstrip(".,;)]") if doi else None,
        pmid=pmid.group(1) if pmid else None,
        pmcid=pmcid.group(1) if pmcid else None,
    )


_META_TAG_RE = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_META_ATTR_RE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TITLE_TAG_RE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def _html_metadata(raw: str, text: str) -> Metadata:
    """Read ``citation_*`` / Dublin Core ``<meta>`` tags, then fall back on the text."""
    metas: dict[str, list[str]] = {}
    for tag in _META_TAG_RE.findall(raw[:500_000]):
        attrs = {
            m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or "")
            for m in _META_ATTR_RE.finditer(tag)
        }
        key = (attrs.get("name") or attrs.get("property") or "").lower()
        if key and attrs.get("content", "").strip():
            metas.setdefault(key, []).append(" ".join(attrs["content"].split()))

    def first(*keys: str) -> str | None:
        for key in keys:
            if metas.get(key):
                return metas[key][0]
        return None

    fallback = _text_metadata(raw, text)
    title = first("citation_title", "dc.title", "og:title")
    if not title:
        m = _TITLE_TAG_RE.search(raw)
        page_title = " ".join(html.unescape(m.group(1)).split()) if m else ""
        title = re.sub(r"\s+[-|]\s+(?:PubMed|PMC|SpringerLink|ScienceDirect).*$", "", page_title) or None
    doi = first("citation_doi", "dc.identifier", "prism.doi")
    if doi:
        doi = re.sub(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", "", doi, flags=re.IGNORECASE)
        doi = doi if doi.startswith("10.") else None
    authors = tuple(metas.get("citation_author", []) or metas.get("dc.creator", []))
    return Metadata(
        title=title or fallback.title,
        authors=authors or fallback.authors,
        journal=first("citation_journal_abbrev", "citation_journal_title", "prism.publicationname")
        or fallback.journal,
        year=_year(first("citation_publication_date", "citation_date", "citation_online_date", "dc.date"))
        or fallback.year,
        doi=doi or fallback.doi,
        pmid=first("citation_pmid", "ncbi_uid") or fallback.pmid,
        pmcid=_pmc(first("citation_pmcid")) or fallback.pmcid,
    )


# --------------------------------------------------------------------------- #
# Documents
# --------------------------------------------------------------------------- #


def _hash(part: str) -> str:
    return hashlib.sha256(part.encode("utf-8", "surrogatepass")).hexdigest()


def _element_spans(raw: str, name: str) -> list[tuple[int, int]]:
    """Source spans of the (non-nested) elements called ``name``."""
    spans = []
    for m in re.finditer(rf"<{name}(?=[\s>/])[^>]*?(/?)>", raw):
        if m.group(1):
            spans.append((m.start(), m.end()))
            continue
        close = raw.find(f"</{name}>", m.end())
        end = len(raw) if close < 0 else close + len(name) + 3
        spans.append((m.start(), end))
    return spans


def _make(
    path: PathLike, raw: str, fmt: str, metadata: Metadata, span: tuple[int, int], name: str, index: int
) -> Document:
    text, offsets = normalise_span(raw, fmt, *span)
    if not text.strip():
        raise InputError(path, f"no article text found in {name}")
    return Document(
        name=name,
        path=str(path),
        source_format=fmt,
        raw=raw,
        text=text,
        offsets=offsets,
        metadata=metadata,
        content_hash=_hash(raw[span[0] : span[1]]),
        index=index,
    )


def _documents(raw: str, path: PathLike, name: str) -> list[Document]:
    fmt, root = detect_format(raw, path)
    whole = (0, len(raw))
    if fmt == "text":
        doc = _make(path, raw, fmt, Metadata(), whole, name, 0)
        return [replace(doc, metadata=_text_metadata(raw, doc.text))]
    if fmt == "html":
        doc = _make(path, raw, fmt, Metadata(), whole, name, 0)
        return [replace(doc, metadata=_html_metadata(raw, doc.text))]
    assert root is not None
    _strip_namespaces(root)
    if fmt == "pubmed-xml":
        items = [root] if root.tag == "PubmedArticle" else root.findall("PubmedArticle")
        tag, read_meta, several = "PubmedArticle", _pubmed_metadata, root.tag != "PubmedArticle"
    else:
        items = [root] if root.tag == "article" else root.findall("article")
        tag, read_meta, several = "article", _jats_metadata, root.tag != "article"
    if not items:
        raise InputError(path, f"<{root.tag}> holds no <{tag}>")
    spans = [whole] if not several else _element_spans(raw, tag)
    if len(spans) != len(items):
        raise InputError(path, f"cannot locate the {len(items)} <{tag}> elements in the source")
    docs = []
    for index, (item, span) in enumerate(zip(items, spans, strict=True)):
        metadata = read_meta(item)
        label = metadata.pmid or metadata.pmcid or str(index + 1)
        doc_name = f"{name}#{label}" if several else name
        docs.append(_make(path, raw, fmt, metadata, span, doc_name, index))
    return docs


def read_string(raw: str, name: str = "<string>") -> list[Document]:
    """Read documents from an already decoded string.

    Parameters
    ----------
    raw : str
        The document text (any supported format).
    name : str
        Name (and path) given to the documents.

    Returns
    -------
    list of Document

    Raises
    ------
    InputError
        Empty input, malformed or unsafe XML, no article text.
    """
    if not raw.strip():
        raise InputError(name, "empty file: only white space")
    return _documents(raw, name, name)


def read_documents(path: PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Document]:
    """Read every document in a file (or, recursively, in a folder).

    Parameters
    ----------
    path : str or path-like
        A file, or a folder whose non-hidden files are read in sorted order.
    max_bytes : int
        Files larger than this are refused before being read.

    Returns
    -------
    list of Document
        One per article: several for a PubMed XML file with several articles.

    Raises
    ------
    InputError
        The first file that cannot be read, with the reason.
    """
    docs: list[Document] = []
    for item in iter_documents([path], max_bytes=max_bytes):
        if isinstance(item, InputError):
            raise item
        docs.append(item)
    return docs


def _files(path: Path) -> Iterator[Path | InputError]:
    if path.is_dir():
        found: list[Path] = []
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found.extend(Path(root) / f for f in files if not f.startswith("."))
        yield from sorted(found, key=lambda p: p.relative_to(path).parts)
    elif path.exists():
        yield path
    else:
        yield InputError(path, "no such file or directory")


def _read_file(path: Path, max_bytes: int) -> list[Document]:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InputError(path, "not a regular file")
        if size > max_bytes:
            raise InputError(path, f"file too large: {size} bytes, the limit is {max_bytes}")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(path, f"file too large: more than {max_bytes} bytes")
    return _documents(decode(data, path), path, path.name)


def iter_documents(
    paths: PathLike | Iterable[PathLike], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | InputError]:
    """Read files and folders one by one, yielding documents or errors.

    Parameters
    ----------
    paths : path or iterable of paths
        Files and folders; folders are walked recursively in sorted order,
        skipping hidden files and folders (names starting with ``.``).
    max_bytes : int
        Files larger than this are refused before being read.

    Yields
    ------
    Document or InputError
        The documents of each file in order, or one :class:`InputError` for a
        file that cannot be read (the iteration goes on with the next file).
    """
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    for item in items:
        for file in _files(Path(item)):
            if isinstance(file, InputError):
                yield file
                continue
            try:
                yield from _read_file(file, max_bytes)
            except InputError as exc:
                yield exc
