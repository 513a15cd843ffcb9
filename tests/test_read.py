"""Tests of :mod:`oncograph.read`: format detection, metadata, bad and hostile input."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from oncograph.document import Document
from oncograph.errors import InputError
from oncograph.read import decode, iter_documents, read_documents, read_string

DOCS = Path(__file__).parent / "fixtures" / "docs"
SEED = Path("/work/main/seeds/000_217cd778b81c9127.txt")


def _check_offsets(doc: Document, seed: int = 0) -> None:
    """Random spans of the text map to spans of raw holding the same verbatim characters."""
    assert len(doc.offsets) == len(doc.text)
    rng = random.Random(seed)
    for _ in range(100):
        i = rng.randrange(len(doc.text))
        j = min(len(doc.text), i + rng.randrange(1, 40))
        start, end = doc.source_span(i, j)
        assert 0 <= start < end <= len(doc.raw)
        for k in range(i, j):
            assert start <= doc.offsets[k] < end
    # A word whose characters were copied verbatim and contiguously reads back exactly.
    checked = 0
    for word in {w for w in doc.text.split() if w.isalpha()}:
        k = doc.text.index(word)
        span = doc.offsets[k : k + len(word)]
        copied = all(doc.raw[o] == c for o, c in zip(span, word, strict=True))
        if copied and span[-1] - span[0] == len(word) - 1:
            start, end = doc.source_span(k, k + len(word))
            assert doc.raw[start:end] == word
            checked += 1
    assert checked > 0


def test_pubmed_xml_two_articles() -> None:
    docs = read_documents(DOCS / "pubmed_two.xml")
    assert [d.name for d in docs] == ["pubmed_two.xml#15928182", "pubmed_two.xml#33874832"]
    assert [d.index for d in docs] == [0, 1]
    assert {d.source_format for d in docs} == {"pubmed-xml"}
    first, second = docs
    m = first.metadata
    assert m.title == "Surgery including liver resection for metastatic gastrointestinal stromal tumors."
    assert m.authors == ("Nunobe S", "Sano T")
    assert (m.journal, m.year, m.doi, m.pmid, m.pmcid) == (
        "Jpn J Clin Oncol",
        2005,
        "10.1093/jjco/hyi091",
        "15928182",
        None,
    )
    assert first.text.split("\n\n") == [
        "Surgery including liver resection for metastatic gastrointestinal stromal tumors.",
        "Abstract",
        "BACKGROUND:",
        "Imatinib mesylate & surgery for GIST.",
        "METHODS:",
        "Eighteen patients underwent hepatectomy (P < 0.05).",
    ]
    assert "Copyright" not in first.text
    assert second.metadata.year == 2021
    assert second.metadata.pmcid == "PMC8123456"
    assert second.metadata.authors == ("Orbit Study Group",)
    assert "orbit" in second.text and "Nunobe" not in second.text
    assert first.content_hash != second.content_hash
    for doc in docs:
        _check_offsets(doc)
    amp = first.text.index("&")
    assert first.raw[first.offsets[amp] : first.offsets[amp] + 5] == "&amp;"


def test_jats_article() -> None:
    (doc,) = read_documents(DOCS / "jats_article.xml")
    assert doc.source_format == "jats-xml"
    m = doc.metadata
    assert m.title == "Bone metastasis of a gastrointestinal stromal tumor: A report of two cases"
    assert m.authors == ("Kayo Suzuki", "Taketoshi Yasuda")
    assert (m.journal, m.year, m.doi, m.pmid, m.pmcid) == (
        "Oncol Lett",
        2015,
        "10.3892/ol.2015.2976",
        "25789048",
        "PMC4356379",
    )
    assert doc.text.split("\n\n") == [
        "Bone metastasis of a gastrointestinal stromal tumor: A report of two cases",
        "Abstract",
        "Gastrointestinal stromal tumors (GISTs) rarely spread to bone.",
        "Introduction",
        "GISTs are the most common mesenchymal tumours of the gut.",
        "Case report",
        "Case 1",
        "A 78-year-old man had a lesion of the femoral neck.",
        "The deposit was resected. C-kit was positive.",
    ]
    assert [b.text for b in doc.blocks if b.is_heading] == [
        "Abstract",
        "Introduction",
        "Case report",
        "Case 1",
    ]
    _check_offsets(doc)


def test_html_page() -> None:
    (doc,) = read_documents(DOCS / "page.html")
    assert doc.source_format == "html"
    m = doc.metadata
    assert m.title == "Gastrointestinal stromal tumor metastatic to the orbit"
    assert m.authors == ("Smith, Jane", "Doe, John")
    assert (m.journal, m.year, m.doi, m.pmid) == ("Orbit", 2021, "10.1080/01676830.2021.1914671", "33874832")
    assert doc.text == (
        "Gastrointestinal stromal tumor metastatic to the orbit\n\nAbstract\n\n"
        "A woman of 53 had swelling of the left eyelid. Histology showed metastatic GIST "
        "stained for CD-117 & DOG-1."
    )
    for junk in ("not text", "color", "Skip to", "official website", "Figure 1", "Similar", "FOLLOW"):
        assert junk not in doc.text
    _check_offsets(doc)


def test_pubmed_text_copy() -> None:
    (doc,) = read_documents(DOCS / "pubmed_copy.txt")
    assert doc.source_format == "text"
    m = doc.metadata
    assert m.title == "Surgery including liver resection for metastatic gastrointestinal stromal tumors"
    assert m.authors == ("Souya Nunobe",)
    assert (m.journal, m.year, m.doi, m.pmid) == ("Jpn J Clin Oncol", 2005, "10.1093/jjco/hyi091", "15928182")
    assert doc.text.split("\n\n") == [
        "Surgery including liver resection for metastatic gastrointestinal stromal tumors",
        "Abstract",
        "Background: Imatinib mesylate has shown short-term usefulness for GIST.",
        "Methods: Eighteen patients who underwent hepatectomy were identified.",
    ]
    _check_offsets(doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ONCOLOGY LETTERS 9: 1814-1818, 2015\n\nBone metastasis of a GIST:\na report of two cases\n\n"
            "KAYO SUZUKI, TAKETOSHI YASUDA and TOMOATSU KIMURA\n\nDOI: 10.3892/ol.2015.2976\n\n"
            "Abstract. GISTs are rare.",
            (
                "Bone metastasis of a GIST: a report of two cases",
                ("Kayo Suzuki", "Taketoshi Yasuda", "Tomoatsu Kimura"),
                "Oncology Letters",
                2015,
                "10.3892/ol.2015.2976",
            ),
        ),
        (
            "J Cutan Pathol 2014: 41: 680-685        (c) 2014 John Wiley & Sons A/S.\n"
            "doi: 10.1111/cup.12329\n\nA woman of 71 had scalp nodules.\n\n"
            "Baltz RG, Kaley JR, Gardner JM. Cutaneous scalp metastases from retroperi-\n"
            "toneal leiomyosarcoma: a case report. J Cutan Pathol 2014; 41: 680-685.\n",
            (
                "Cutaneous scalp metastases from retroperitoneal leiomyosarcoma: a case report",
                ("Baltz RG", "Kaley JR", "Gardner JM"),
                "J Cutan Pathol",
                2014,
                "10.1111/cup.12329",
            ),
        ),
    ],
)
def test_text_metadata(text: str, expected: tuple[object, ...]) -> None:
    (doc,) = read_string(text, "x.txt")
    m = doc.metadata
    assert (m.title, m.authors, m.journal, m.year, m.doi) == expected


def test_pdf_text_fixture() -> None:
    (doc,) = read_documents(DOCS / "case_pdf.txt")
    assert "abdominal discomfort developed." in doc.text
    assert "biopsy showed sacral metastasis from GIST." in doc.text
    assert "Fig." not in doc.text and "SUZUKI" not in doc.text
    assert doc.metadata.title is None
    _check_offsets(doc)


def test_folder_sorted_recursive_hidden_skipped(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Second document text.")
    (tmp_path / "a.txt").write_text("First document text.")
    (tmp_path / ".secret.txt").write_text("Hidden document text.")
    (tmp_path / ".hidden" / "c.txt").write_text("Hidden too.")
    (tmp_path / "empty.txt").write_bytes(b"")
    items = list(iter_documents(tmp_path))
    assert [i.name if isinstance(i, Document) else "ERR" for i in items] == ["a.txt", "z.txt", "ERR"]
    error = items[1] if isinstance(items[1], InputError) else items[2]
    assert isinstance(error, InputError) and error.path.endswith("empty.txt")
    with pytest.raises(InputError, match="empty"):
        read_documents(tmp_path)


def _bad(tmp_path: Path, name: str, data: bytes, **kwargs: int) -> InputError:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_documents(path, **kwargs)
    error = info.value
    assert error.path == str(path)
    assert str(error).startswith(str(path) + ": ")
    assert "\n" not in str(error)
    return error


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (b"GIST\x00\x01\x02 metastasis", "binary"),
        (b"%PDF-1.4\n%\xe2\xe3", "PDF"),
        (bytes(range(128, 256)) * 4, "undecodable"),
        (b"\x01\x02\x03\x04\x05\x06 text" * 20, "binary"),
        (b"<PubmedArticleSet><PubmedArticle>", "malformed XML"),
        (b"<PubmedArticleSet></PubmedArticleSet>", "holds no <PubmedArticle>"),
        (b"<?xml version='1.0'?><catalog><book/></catalog>", "unknown kind of XML"),
        (b"<?xml version='1.0' encoding='klingon'?><a/>", "unknown XML encoding"),
        (b"Skip to main page content\nSimilar articles\nA B C\n", "no article text"),
    ],
)
def test_bad_input(tmp_path: Path, data: bytes, reason: str) -> None:
    error = _bad(tmp_path, "bad.txt", data)
    assert reason in error.reason


def test_too_large_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    path = tmp_path / "big.txt"
    path.write_bytes(b"GIST " * 100)
    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(InputError, match="too large") as info:
        read_documents(path, max_bytes=100)
    assert info.value.path == str(path)


def test_decoding() -> None:
    assert decode("caf\u00e9 GIST".encode("utf-8-sig")) == "caf\u00e9 GIST"
    assert decode("caf\u00e9 GIST".encode("utf-16")) == "caf\u00e9 GIST"
    assert decode("caf\u00e9 \u2013 GIST".encode("cp1252")) == "caf\u00e9 \u2013 GIST"
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><PubmedArticleSet/>'.encode("latin-1")
    assert decode(latin).startswith("<?xml")


HOSTILE = {
    "xxe.xml": b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n'
    b'  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
    b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
    b"<ArticleTitle>&xxe;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
    "laughs.xml": b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
    b"<article><body><p>&lol3;</p></body></article>",
    "param.xml": b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY % p SYSTEM '
    b'"http://example.invalid/x.dtd"> %p;]><article/>',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_xml_refused(tmp_path: Path, name: str) -> None:
    error = _bad(tmp_path, name, HOSTILE[name])
    assert "refused" in error.reason
    assert "root:" not in str(error) and "lollol" not in str(error)


def test_external_dtd_is_not_fetched(tmp_path: Path) -> None:
    data = (
        (DOCS / "pubmed_two.xml")
        .read_bytes()
        .replace(b"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd", b"file:///etc/passwd")
    )
    path = tmp_path / "p.xml"
    path.write_bytes(data)
    docs = read_documents(path)
    assert len(docs) == 2 and all("root:" not in d.text for d in docs)


def test_format_by_content_not_extension(tmp_path: Path) -> None:
    path = tmp_path / "looks_like.txt"
    path.write_bytes((DOCS / "jats_article.xml").read_bytes())
    assert read_documents(path)[0].source_format == "jats-xml"
    (doc,) = read_string("<1% of GISTs spread to bone.", "t")
    assert doc.source_format == "text"


def test_source_span() -> None:
    (doc,) = read_string("CASE REPORT\nA  71-year-old\nwoman.", "s")
    assert doc.text == "CASE REPORT\n\nA 71-year-old woman."
    k = doc.text.index("71")
    assert doc.source_span(k, k + 11) == (15, 26)
    assert doc.raw[15:26] == "71-year-old"
    assert doc.source_span(k, k) == (15, 15)
    with pytest.raises(IndexError):
        doc.source_span(0, len(doc.text) + 1)


@pytest.mark.skipif(not SEED.exists(), reason="the seed documents are not in this checkout")
def test_real_seed() -> None:
    (doc,) = read_documents(SEED)
    assert "Results of the pathologic biopsy showed that she had sacral metastasis from GIST." in doc.text
    assert "abdominal discomfort developed." in doc.text
    assert "Fig. 1" not in doc.text
    headings = [b.text for b in doc.blocks if b.is_heading]
    assert headings == ["INTRODUCTION", "CASE REPORT", "1. Case 1", "2. Case 2", "DISCUSSION", "CONCLUSION"]
    _check_offsets(doc)
