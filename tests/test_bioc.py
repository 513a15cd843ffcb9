"""BioC exports: passages and mention offsets agree with the text, identifiers, assertion, DTD, read back, CLI.

The fixture is two short case reports written here (not taken from any corpus), ingested
by the pipeline into a store on disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bioc import biocjson, biocxml
from click.testing import CliRunner
from lxml import etree

from oncograph.cli import cli
from oncograph.export import ExportError, export
from oncograph.interchange import EXPORT_FORMATS, INTERCHANGE
from oncograph.interchange.bioc import _drafts, _FactTerm, _xml_safe, mention_spans
from oncograph.pipeline import ingest
from oncograph.query import run_query
from oncograph.store import Store

DTD = Path(__file__).parent / "fixtures" / "bioc" / "BioC.dtd"
DATA = "https://w3id.org/oncograph/data/"

ONE = """Spread of a gastric stromal tumour to the liver: a case report

PMID: 12345678
doi: 10.1000/example.2024.1

Case report

A 64-year-old man underwent resection of a gastrointestinal stromal tumour of the stomach in 2015.
Immunohistochemistry showed that the tumour cells were positive for KIT and negative for desmin.
In 2019, computed tomography revealed multiple liver metastases.
There was no evidence of metastasis to the lungs.
He was treated with imatinib 400 mg daily.
"""

TWO = """Case report

A 52-year-old woman presented with a leiomyosarcoma of the uterus in 2010.
Three years later bone metastases were found in the femur.
Metastasis to the brain could not be excluded.
"""


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = tmp_path_factory.mktemp("reports")
    (docs / "one.txt").write_text(ONE, encoding="utf-8")
    (docs / "two.txt").write_text(TWO, encoding="utf-8")
    path = tmp_path_factory.mktemp("store")
    s = Store(path)
    report = ingest([docs], s)
    assert report.ok, report.errors
    s.flush()
    del s
    return path


@pytest.fixture(scope="module")
def store(store_path: Path) -> Store:
    return Store(store_path, read_only=True)


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14


@pytest.fixture(scope="module")
def xml(store: Store) -> bytes:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return export(store, "bioc")


@pytest.fixture(scope="module")
def collection(xml: bytes) -> Any:
    return biocxml.loads(xml.decode("utf-8"))


def annotations(collection: Any, doc_id: str | None = None) -> list[tuple[Any, Any]]:
    """(passage, annotation) pairs of the collection, or of one document."""
    return [(p, a) for d in collection.documents if doc_id in (None, d.id) for p in d.passages for a in p.annotations]


def the(collection: Any, text: str) -> Any:
    """The one annotation whose text is ``text``."""
    found = [a for _, a in annotations(collection) if a.text == text]
    assert len(found) == 1, [a.text for _, a in annotations(collection)]
    return found[0]


def test_bioc_formats_are_registered() -> None:
    assert INTERCHANGE["bioc"] == INTERCHANGE["bioc-json"] == "bioc"
    assert {"bioc", "bioc-json"} <= set(EXPORT_FORMATS)


def test_passages_are_the_evidence_sentences_at_their_file_offsets(store: Store, collection: Any) -> None:
    evidence = {(int(r[5]), r[7]) for r in run_query(store, "evidence").rows if r[3] == "one.txt"}
    doc = next(d for d in collection.documents if d.infons["file_name"] == "one.txt")
    passages = {(p.offset, p.text) for p in doc.passages}
    assert passages <= evidence
    assert (ONE.index("In 2019"), "In 2019, computed tomography revealed multiple liver metastases.") in passages


def test_every_annotation_text_is_the_passage_text_at_its_location(collection: Any) -> None:
    pairs = annotations(collection)
    assert len(pairs) >= 10
    for p, a in pairs:
        (loc,) = a.locations
        assert p.text[loc.offset - p.offset:loc.offset - p.offset + loc.length] == a.text


def test_annotation_offsets_are_offsets_of_the_original_file(collection: Any) -> None:
    for _, a in annotations(collection, "12345678"):
        (loc,) = a.locations
        assert ONE[loc.offset:loc.offset + loc.length] == a.text


def test_identifiers_are_the_terms_curies_with_a_type(collection: Any) -> None:
    got = {a.text: (a.infons["type"], a.infons["identifier"]) for _, a in annotations(collection)}
    assert got["liver"] == ("Anatomy", "UBERON:0002107")
    assert got["KIT"] == ("Gene", "HGNC:6342")
    assert got["imatinib"][0] == "Chemical"
    assert got["imatinib"][1].startswith("CHEBI:")
    assert got["gastrointestinal stromal tumour"][0] == "Disease"
    assert got["gastrointestinal stromal tumour"][1].startswith("MONDO:")


def test_a_marker_reported_negative_is_a_negated_mention(collection: Any) -> None:
    desmin = the(collection, "desmin")
    assert (desmin.infons["negated"], desmin.infons["assertion"], desmin.infons["result"]) == (
        "true", "absent", "negative")


def test_a_marker_reported_positive_is_not_negated(collection: Any) -> None:
    kit = the(collection, "KIT")
    assert (kit.infons["negated"], kit.infons["result"]) == ("false", "positive")


def test_a_denied_finding_is_negated_with_its_trigger(collection: Any) -> None:
    lungs = the(collection, "lungs")
    assert lungs.infons["negated"] == "true"
    assert lungs.infons["certainty"] == "certain"
    assert lungs.infons["assertion_trigger"] == "no evidence of"


def test_an_uncertain_finding_is_not_certain_and_not_negated(collection: Any) -> None:
    brain = the(collection, "brain")
    assert (brain.infons["negated"], brain.infons["certainty"], brain.infons["assertion"]) == (
        "false", "uncertain", "uncertain")


def test_an_asserted_fact_is_present(collection: Any) -> None:
    liver = the(collection, "liver")
    assert (liver.infons["assertion"], liver.infons["negated"]) == ("present", "false")


def test_annotations_name_their_patient_and_facts(collection: Any) -> None:
    liver = the(collection, "liver")
    assert liver.infons["patient"] == DATA + "one.txt/patient/1"
    assert DATA + "one.txt/patient/1/metastasis/1" in liver.infons["fact"].split()
    assert "Metastasis" in liver.infons["fact_kind"].split()


def test_annotation_ids_are_unique_in_a_document(collection: Any) -> None:
    for d in collection.documents:
        ids = [a.id for p in d.passages for a in p.annotations]
        assert len(ids) == len(set(ids))


def test_document_id_is_the_pmid_else_the_file_name(collection: Any) -> None:
    assert [d.id for d in collection.documents] == ["12345678", "two.txt"]
    first = collection.documents[0]
    assert first.infons["pmid"] == "12345678"
    assert first.infons["doi"] == "10.1000/example.2024.1"
    assert first.infons["title"].startswith("Spread of a gastric stromal tumour")


def test_collection_header(collection: Any) -> None:
    assert collection.source == "oncograph"
    assert collection.date == "2023-11-14"
    assert "README" in collection.key


def test_a_metastasis_is_related_to_its_primary_tumour(collection: Any) -> None:
    doc = collection.documents[1]
    by_id = {a.id: a for p in doc.passages for a in p.annotations}
    rel = next(r for r in doc.relations if r.infons["type"] == "metastasis_of")
    roles = {n.role: by_id[n.refid].text for n in rel.nodes}
    assert roles == {"metastasis": "femur", "primary": "leiomyosarcoma of the uterus"}


def test_a_fact_naming_two_terms_is_a_relation(collection: Any) -> None:
    doc = collection.documents[1]
    by_id = {a.id: a for p in doc.passages for a in p.annotations}
    rel = next(r for r in doc.relations if r.infons["type"] == "PrimaryTumor")
    assert {n.role: by_id[n.refid].text for n in rel.nodes} == {
        "tumor_type": "leiomyosarcoma of the uterus", "site": "uterus"}


def test_the_xml_is_valid_against_the_bioc_dtd(xml: bytes) -> None:
    dtd = etree.DTD(str(DTD))
    doc = etree.fromstring(xml)
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()


def test_one_document_export(store: Store) -> None:
    c = biocxml.loads(export(store, "bioc", document="two.txt").decode("utf-8"))
    assert [d.id for d in c.documents] == ["two.txt"]
    assert etree.DTD(str(DTD)).validate(etree.fromstring(export(store, "bioc", document="two.txt")))


def test_an_unknown_document_is_an_export_error(store: Store) -> None:
    with pytest.raises(ExportError, match="no document"):
        export(store, "bioc", document="missing.txt")


def test_an_empty_store_is_an_export_error() -> None:
    with pytest.raises(ExportError, match="no documents"):
        export(Store(), "bioc-json")


def test_bioc_json_reads_back_as_the_xml_does(store: Store, collection: Any) -> None:
    c = biocjson.loads(export(store, "bioc-json").decode("utf-8"))

    def summary(col: Any) -> list[tuple[object, ...]]:
        return [(d.id, p.offset, a.id, a.text, a.locations[0].offset, a.locations[0].length, sorted(a.infons.items()))
                for d in col.documents for p in d.passages for a in p.annotations]

    assert summary(c) == summary(collection)
    assert [len(d.relations) for d in c.documents] == [len(d.relations) for d in collection.documents]


def test_exports_are_deterministic(store: Store) -> None:
    assert export(store, "bioc") == export(store, "bioc")
    assert export(store, "bioc-json") == export(store, "bioc-json")


def test_the_date_follows_source_date_epoch(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert biocjson.loads(export(store, "bioc-json").decode("utf-8")).date == "1970-01-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(ExportError, match="SOURCE_DATE_EPOCH"):
        export(store, "bioc")


def test_cli_exports_bioc(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    result = CliRunner().invoke(cli, ["export", "--format", "bioc", "--document", "one.txt",
                                      "--store", str(store_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [d.id for d in biocxml.loads(out.read_text(encoding="utf-8")).documents] == ["12345678"]


def test_cli_exports_bioc_json_to_standard_output(store_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "bioc-json", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert [d.id for d in biocjson.loads(result.output).documents] == ["12345678", "two.txt"]


def test_mentions_are_found_by_label_when_the_recogniser_has_none() -> None:
    assert mention_spans("Two nodules lay in the Zorblat glands.", "X:1", ["zorblat gland"]) == [(23, 37)]


def test_a_label_inside_a_longer_word_is_no_mention() -> None:
    assert mention_spans("A zorblatectomy was done.", "X:1", ["zorblat"]) == []


def test_the_recogniser_finds_the_terms_own_mentions() -> None:
    sentence = "Metastases were seen in the liver and, later, in the liver again."
    assert mention_spans(sentence, "UBERON:0002107") == [(28, 33), (53, 58)]
    assert mention_spans(sentence, "UBERON:0002048", ["lung"]) == []


def test_a_term_not_written_in_its_sentence_is_counted_not_annotated() -> None:
    ft = _FactTerm("ev", 0, 20, "Nothing to see here.", "", "fact", "Metastasis", "hasSite",
                   "http://purl.obolibrary.org/obo/UBERON_0002107", "", "", "", "", "", "")
    drafts, unlocated = _drafts([ft], {"ev": 0}, {})
    assert (drafts, unlocated) == ([], 1)


def test_characters_xml_cannot_hold_are_replaced_one_for_one() -> None:
    assert _xml_safe("a\x01b\rc") == "a\ufffdb c"
