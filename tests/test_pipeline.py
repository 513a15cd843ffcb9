"""read → extract → emit → store, one document at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncograph import pipeline
from oncograph.emit import graph_iri
from oncograph.errors import InputError, OncographError
from oncograph.pipeline import build, ingest
from oncograph.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def test_ingest_report_counts(tmp_path: Path) -> None:
    store = Store()
    seen: list[str] = []
    report = ingest([FIXTURES / "case_one.txt", FIXTURES / "cohort.txt"], store, progress=seen.append)
    assert report.ok
    assert seen == ["case_one.txt", "cohort.txt"]
    case, cohort = report.documents
    assert (case.kind, case.patients, case.metastases, case.markers, case.treatments, case.statistics) == (
        "case_report", 1, 2, 3, 3, 0)
    assert (cohort.kind, cohort.patients, cohort.statistics) == ("cohort_study", 0, 3)
    assert case.triples == len(list(store.quads(str(graph_iri("case_one.txt")))))


def test_a_refused_file_does_not_stop_the_others(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    store = Store()
    report = ingest([empty, FIXTURES / "case_one.txt"], store)
    assert not report.ok
    (err,) = report.errors
    assert isinstance(err, InputError)
    assert err.path == str(empty)
    assert [d.name for d in report.documents] == ["case_one.txt"]
    assert store.document_graphs() == [str(graph_iri("case_one.txt"))]


def test_a_failed_extraction_leaves_the_documents_graph_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store()
    ingest([FIXTURES / "case_one.txt"], store)
    before = {str(q) for q in store.quads(str(graph_iri("case_one.txt")))}

    def broken(doc, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OncographError("extraction failed on purpose")

    monkeypatch.setattr(pipeline, "extract", broken)
    report = ingest([FIXTURES / "case_one.txt"], store, force=True)  # unchanged files are skipped otherwise
    assert report.documents == []
    assert [e.reason for e in report.errors] == ["extraction failed on purpose"]
    assert {str(q) for q in store.quads(str(graph_iri("case_one.txt")))} == before


def test_build_dumps_only_the_seed_graphs(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "case_one.txt").write_bytes((FIXTURES / "case_one.txt").read_bytes())
    store = Store()
    ingest([FIXTURES / "cohort.txt"], store)  # already in the store, not a seed
    result = build(seeds, store, tmp_path / "out" / "graph.nq")
    assert result.ingest.ok
    text = result.dump.read_text(encoding="utf-8")
    assert result.quads == len(text.splitlines())
    graphs = {line.rsplit(" ", 2)[-2] for line in text.splitlines()}
    assert graphs == {f"<{graph_iri('case_one.txt')}>"}
    again = build(seeds, store, tmp_path / "again.nq")
    assert again.dump.read_bytes() == result.dump.read_bytes()


def test_findings_query_lists_what_a_report_denies_or_hedges(tmp_path: Path) -> None:
    from oncograph.query import run_query

    doc = tmp_path / "hedged.txt"
    doc.write_text(
        "Case presentation\n\nA 58-year-old man with weight loss over several months was admitted to our hospital "
        "for a complete work-up of a gastric mass found at endoscopy. A gastrointestinal stromal tumor of the "
        "stomach was resected in 2019. There was no evidence of liver metastasis. A lesion of the adrenal gland "
        "was suspected but could not be confirmed. Adjuvant imatinib was not given.\n", encoding="utf-8")
    store = Store()
    ingest([doc], store)
    result = run_query(store, "findings")
    assert result.columns[:7] == ("patient", "document", "kind", "term_label", "term_xref", "status", "trigger")
    got = {(r[2], r[5], r[6]) for r in result.rows}
    assert ("metastasis", "absent", "no evidence of") in got
    assert ("drug", "absent", "was not given") in got
    assert any(k == "metastasis" and s == "uncertain" for k, s, _ in got)
    # the competency queries still list only what the report asserts
    assert not [r for r in run_query(store, "metastases").rows if "UBERON:0002107" in r[3]]


def test_an_unchanged_file_is_skipped_without_being_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store()
    ingest([FIXTURES / "case_one.txt"], store)

    def no_reading(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("an unchanged file was parsed again")

    monkeypatch.setattr(pipeline, "_read_one", no_reading)
    again = ingest([FIXTURES / "case_one.txt"], store)
    assert again.skipped == ["case_one.txt"] and again.ok


_PROBE = """
import sys
from oncograph import ontology, recognise, terms, vocabulary
from oncograph.pipeline import ingest
from oncograph.store import Store
report = ingest([sys.argv[2]], Store(sys.argv[1]), force=sys.argv[3] == "force")
loaded = [f.cache_info().currsize for f in (recognise.lexicon, terms.term_index, vocabulary.vocabulary,
                                            ontology._load_cached)]
print(len(report.skipped), len(report.documents), *loaded)
"""


def test_an_unchanged_ingest_loads_neither_the_lexicon_nor_the_vocabulary(tmp_path: Path) -> None:
    import subprocess
    import sys

    store = Store(tmp_path / "store")
    ingest([FIXTURES / "case_one.txt"], store)
    store.flush()
    del store  # the other process opens it for writing

    def probe(mode: str) -> list[int]:
        out = subprocess.run([sys.executable, "-c", _PROBE, str(tmp_path / "store"), str(FIXTURES / "case_one.txt"),
                              mode], capture_output=True, text=True, check=True).stdout
        return [int(n) for n in out.split()]

    assert probe("again") == [1, 0, 0, 0, 0, 0]  # a hash of the file: nothing parsed, nothing loaded
    assert probe("force") == [0, 1, 1, 1, 1, 1]  # read again: lexicon, index, vocabulary, the checks' ontology


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_bytes((FIXTURES / "case_one.txt").read_bytes())
    store = Store()
    ingest([report], store)
    report.write_bytes((FIXTURES / "case_one.txt").read_bytes() + b"\nShe was well in 2021.\n")
    again = ingest([report], store)
    assert [d.name for d in again.documents] == ["report.txt"] and again.skipped == []
