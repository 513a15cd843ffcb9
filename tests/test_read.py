"""Tests of :mod:`oncograph.read`: format detection, metadata, bad and hostile input."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from oncograph.document import Document
from oncograph.errors import InputError
from oncograph.normalise import HEADING_RE
from oncograph.read import decode, iter_documents, read_documents, read_string

DOCS = Path(__file__).parent / "fixtures" / "read"  # documents made up for these tests
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
    docs = read_documents(DOCS / "pubmed_pair.xml")
    assert [d.name for d in docs] == ["pubmed_pair.xml#98765401", "pubmed_pair.xml#98765402"]
    assert [d.index for d in docs] == [0, 1]
    assert {d.source_format for d in docs} == {"pubmed-xml"}
    first, second = docs
    m = first.metadata
    assert m.title == "Hepatic resection for metastatic uveal melanoma: a single-centre series."
    assert m.authors == ("Varga I", "Okonkwo C")
    assert (m.journal, m.year, m.doi, m.pmid, m.pmcid) == (
        "Ann Rare Tumours",
        2011,
        "10.5555/art.2011.0042",
        "98765401",
        None,
    )
    assert first.text.split("\n\n") == [
        "Hepatic resection for metastatic uveal melanoma: a single-centre series.",
        "Abstract",
        "BACKGROUND:",
        "Liver spread & its surgery in uveal melanoma.",
        "METHODS:",
        "Twenty-two patients had a partial hepatectomy (P < 0.01).",
    ]
    assert "Copyright" not in first.text
    assert second.metadata.year == 2018
    assert second.metadata.pmcid == "PMC9000002"
    assert second.metadata.authors == ("Lacrimal Tumour Consortium",)
    assert "lacrimal" in second.text and "Varga" not in second.text
    assert first.content_hash != second.content_hash
    for doc in docs:
        _check_offsets(doc)
    amp = first.text.index("&")
    assert first.raw[first.offsets[amp] : first.offsets[amp] + 5] == "&amp;"


def test_jats_article() -> None:
    (doc,) = read_documents(DOCS / "jats_case.xml")
    assert doc.source_format == "jats-xml"
    m = doc.metadata
    assert m.title == "Late lung deposits of a pelvic chondrosarcoma: report of a single case"
    assert m.authors == ("Marta Lindqvist", "Tomas Ferreira")
    assert (m.journal, m.year, m.doi, m.pmid, m.pmcid) == (
        "Sarcoma Rep",
        2016,
        "10.5555/sr.2016.0117",
        "98765403",
        "PMC7654321",
    )
    assert doc.text.split("\n\n") == [
        "Late lung deposits of a pelvic chondrosarcoma: report of a single case",
        "Abstract",
        "Chondrosarcoma seldom reaches the lung after ten years.",
        "Introduction",
        "Chondrosarcoma is a cartilage-forming sarcoma of bone.",
        "Case report",
        "Case 1",
        "A 59-year-old woman had nodules in both lungs.",
        "The nodules were excised. S-100 was positive.",
    ]
    assert [b.text for b in doc.blocks if b.is_heading] == [
        "Abstract",
        "Introduction",
        "Case report",
        "Case 1",
    ]
    _check_offsets(doc)


def test_html_page() -> None:
    (doc,) = read_documents(DOCS / "web_page.html")
    assert doc.source_format == "html"
    m = doc.metadata
    assert m.title == "Choroidal metastasis from a thymoma"
    assert m.authors == ("Novak, Petra", "Adeyemi, Tunde")
    assert (m.journal, m.year, m.doi, m.pmid) == ("Ocul Oncol Rep", 2019, "10.5555/oor.2019.0311", "98765404")
    assert doc.text == (
        "Choroidal metastasis from a thymoma\n\nAbstract\n\n"
        "A man of 47 had blurred vision of the right eye. Biopsy showed metastatic thymoma "
        "stained for CD5 & p63."
    )
    for junk in ("not text", "color", "Jump straight", "health agency", "Figure 1", "Similar", "FOLLOW"):
        assert junk not in doc.text
    _check_offsets(doc)


def test_pubmed_text_copy() -> None:
    (doc,) = read_documents(DOCS / "pubmed_page.txt")
    assert doc.source_format == "text"
    m = doc.metadata
    assert m.title == "Hepatic resection for metastatic uveal melanoma: a single-centre series"
    assert m.authors == ("Ilona Varga",)
    assert (m.journal, m.year, m.doi, m.pmid) == ("Ann Rare Tumours", 2011, "10.5555/art.2011.0042", "98765401")
    assert doc.text.split("\n\n") == [
        "Hepatic resection for metastatic uveal melanoma: a single-centre series",
        "Abstract",
        "Background: Uveal melanoma spreads to the liver in about half of all patients.",
        "Methods: Twenty-two patients who had a partial hepatectomy were reviewed.",
    ]
    _check_offsets(doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "SARCOMA REPORTS 12: 405-411, 2018\n\nLung metastasis of a chondrosarcoma:\nreport of a single case\n\n"
            "MARTA LINDQVIST, TOMAS FERREIRA and NOOR HADDAD\n\nDOI: 10.5555/sr.2018.0877\n\n"
            "Abstract. Chondrosarcomas are uncommon.",
            (
                "Lung metastasis of a chondrosarcoma: report of a single case",
                ("Marta Lindqvist", "Tomas Ferreira", "Noor Haddad"),
                "Sarcoma Reports",
                2018,
                "10.5555/sr.2018.0877",
            ),
        ),
        (
            "Clin Sarcoma Rep 2016: 7: 212-218        (c) 2016 Imaginary Press Ltd.\n"
            "doi: 10.5555/csr.2016.044\n\nA man of 58 had nodules of the chest wall.\n\n"
            "Haddad N, Ferreira T, Lindqvist M. Chest wall metastases from a myxoid liposarco-\n"
            "ma of the thigh: a case report. Clin Sarcoma Rep 2016; 7: 212-218.\n",
            (
                "Chest wall metastases from a myxoid liposarcoma of the thigh: a case report",
                ("Haddad N", "Ferreira T", "Lindqvist M"),
                "Clin Sarcoma Rep",
                2016,
                "10.5555/csr.2016.044",
            ),
        ),
    ],
)
def test_text_metadata(text: str, expected: tuple[object, ...]) -> None:
    (doc,) = read_string(text, "x.txt")
    m = doc.metadata
    assert (m.title, m.authors, m.journal, m.year, m.doi) == expected


def test_pdf_text_fixture() -> None:
    (doc,) = read_documents(DOCS / "pdf_case.txt")
    # The sentence cut by the figure captions is rejoined, the line-break hyphens are undone.
    assert "pain in the left thigh that had grown for months." in doc.text
    assert "A needle biopsy showed a deposit of leiomyosarcoma from the uterus." in doc.text
    assert "Fig." not in doc.text and "OKAFOR" not in doc.text
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
        # Only page furniture (PubMed's buttons and tail sections), no article text.
        (b"Display options\nSend to\nGrants and funding\nA B C\n", "no article text"),
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
        (DOCS / "pubmed_pair.xml")
        .read_bytes()
        .replace(b"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd", b"file:///etc/passwd")
    )
    path = tmp_path / "p.xml"
    path.write_bytes(data)
    docs = read_documents(path)
    assert len(docs) == 2 and all("root:" not in d.text for d in docs)


def test_format_by_content_not_extension(tmp_path: Path) -> None:
    path = tmp_path / "looks_like.txt"
    path.write_bytes((DOCS / "jats_case.xml").read_bytes())
    assert read_documents(path)[0].source_format == "jats-xml"
    (doc,) = read_string("<2% of sarcomas reach the skin.", "t")
    assert doc.source_format == "text"


def test_source_span() -> None:
    (doc,) = read_string("CASE REPORT\nA  64-year-old\nman.", "s")
    assert doc.text == "CASE REPORT\n\nA 64-year-old man."
    k = doc.text.index("64")
    assert doc.source_span(k, k + 11) == (15, 26)
    assert doc.raw[15:26] == "64-year-old"
    assert doc.source_span(k, k) == (15, 15)
    with pytest.raises(IndexError):
        doc.source_span(0, len(doc.text) + 1)


@pytest.mark.skipif(not SEED.exists(), reason="the seed documents are not in this checkout")
def test_real_seed() -> None:
    """The reader on a real PDF-extracted layout; only the structure is asserted, no text of the seed."""
    (doc,) = read_documents(SEED)
    raw, text = doc.raw, doc.text
    # Captions and figure pointers are dropped.
    assert "Fig." in raw and "Fig." not in text
    # Line-break hyphenation is undone: every lower-case word broken at a line end reads whole.
    broken = re.findall(r"\b([a-z]{2,})- ?\n([a-z]{2,})\b", raw)
    assert len(broken) > 10
    assert all(left + right in text and f"{left}-{right}" not in text for left, right in broken)
    assert not re.search(r"\b[a-z]{2,}- [a-z]{2,}\b", text)
    # Reference marks glued to a word ("word7).", "word2,7).") are removed.
    ref_mark = re.compile(r"[A-Za-z]\d{1,3}(?:,\d{1,3})*\)")
    assert ref_mark.search(raw) and not ref_mark.search(text)
    # Sentences cut by a caption or page break are rejoined: no paragraph starts in lower case.
    paragraphs = text.split("\n\n")
    assert len(paragraphs) > 10
    assert all(p[:1].isupper() or p[:1].isdigit() for p in paragraphs)
    # Six section headings, two of them numbered case headings, each a paragraph of its own.
    headings = [b.text for b in doc.blocks if b.is_heading]
    assert len(headings) == 6 and all(HEADING_RE.match(h) for h in headings)
    assert sum(h[:1].isdigit() for h in headings) == 2
    assert all(h in paragraphs for h in headings)
    _check_offsets(doc)
