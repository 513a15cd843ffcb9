"""The study vocabulary as ontology terms: measures and designs as individuals, with their MeSH mappings.

``ontology/oncograph.ttl`` holds the block this module writes (between ``# --- BEGIN STUDY VOCABULARY``
and ``# --- END STUDY VOCABULARY ---``); ``scripts/build_ontology.py`` splices it in, and a test fails
when the block and ``ontology/measures.tsv`` disagree.
"""

from __future__ import annotations

from .cohort import DESIGNS
from .measures import measure_vocabulary

__all__ = ["BEGIN", "END", "study_vocabulary_block"]

BEGIN = "# --- BEGIN STUDY VOCABULARY: oncograph.study.vocabulary (from ontology/measures.tsv) ---"
END = "# --- END STUDY VOCABULARY ---"
_DESIGN_DEFINITIONS = {
    "RetrospectiveStudy": "A study that looks back at records of patients already treated or followed.",
    "ProspectiveStudy": "A study that enrols patients and then follows them forward in time.",
    "RegistryStudy": "A study of the records of a disease registry or population database, such as SEER or the NCDB.",
    "CaseSeries": "A description of a group of patients with the same condition or treatment, without a comparison "
                  "group.",
    "SystematicReview": "A study that searches the literature by a stated method and pools the patients or results "
                        "it finds.",
    "MetaAnalysis": "A study that combines the results of several studies by statistical methods.",
    "RandomizedControlledTrial": "A trial that assigns patients to its arms at random.",
    "PhaseITrial": "A clinical trial that tests the safety and dose of a treatment in a small group of patients.",
    "PhaseIITrial": "A clinical trial that tests whether a treatment works, usually measuring response in one or two "
                    "arms.",
    "PhaseIIITrial": "A clinical trial that compares a treatment with the standard one in a large group of patients.",
    "MulticenterStudy": "A study whose patients come from several institutions.",
    "CohortStudy": "A study that follows a defined group of patients and reports their outcomes.",
}
_MAPPINGS = {"exactMatch": "skos:exactMatch", "closeMatch": "skos:closeMatch", "relatedMatch": "skos:relatedMatch"}


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def study_vocabulary_block() -> str:
    """The Turtle block of the measure and design individuals."""
    lines = [BEGIN, "@prefix mesh: <https://bioregistry.io/mesh:> .", ""]
    for m in measure_vocabulary():
        props = [f"    rdfs:label {_lit(m.label)}", f"    obo:IAO_0000115 {_lit(m.definition)}",
                 f"    onc:measureKind {_lit(m.kind)}"]
        synonyms = [f for f in (*m.forms, *m.abbreviations) if f.lower() != m.label.lower()]
        if synonyms:
            props.append("    oboInOwl:hasExactSynonym " + " , ".join(_lit(s) for s in synonyms))
        if m.mesh:
            props.append(f"    {_MAPPINGS[m.mapping]} mesh:{m.mesh}")
        lines.append(f"onc:{m.id} a owl:NamedIndividual , onc:StudyMeasure ;\n" + " ;\n".join(props) + " .\n")
    for key, (label, mesh, _pattern) in DESIGNS.items():
        props = [f"    rdfs:label {_lit(label)}",
                 f"    obo:IAO_0000115 {_lit(_DESIGN_DEFINITIONS[key])}"]
        if mesh:
            props.append(f"    skos:exactMatch mesh:{mesh}")
        lines.append(f"onc:{key} a owl:NamedIndividual , onc:StudyDesign ;\n" + " ;\n".join(props) + " .\n")
    lines.append(END)
    return "\n".join(lines) + "\n"


def splice(ttl: str) -> str:
    """``ttl`` with its study-vocabulary block replaced by the current one (or added before the terms block)."""
    block = study_vocabulary_block()
    if BEGIN in ttl:
        head = ttl[: ttl.index(BEGIN)]
        tail = ttl[ttl.index(END) + len(END):].lstrip("\n")
        return head + block + "\n" + tail
    marker = "# --- BEGIN GENERATED TERMS"
    at = ttl.index(marker)
    return ttl[:at] + block + "\n" + ttl[at:]
