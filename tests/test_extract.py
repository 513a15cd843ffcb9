"""Extraction on tiny hand-written texts: each test states one rule and the facts it must give."""

from __future__ import annotations

import re

import pytest

from oncograph.facts import DocumentFacts, Evidence, Patient

GIST_STOMACH = "A gastrointestinal stromal tumor of the stomach was resected."


def met_sites(p: Patient) -> set[str]:
    return {m.site for m in p.metastases}


def marker_table(p: Patient) -> dict[str, tuple[str | None, str | None]]:
    return {m.marker: (m.status, m.value) for m in p.markers}


def all_evidence(facts: DocumentFacts) -> set[Evidence]:
    out: set[Evidence] = set()
    for p in facts.patients:
        out.update(p.evidence)
        if p.primary is not None:
            out.update(p.primary.evidence)
        for fact in (*p.metastases, *p.markers, *p.treatments, *p.negatives):
            out.update(fact.evidence)
    if facts.study is not None:
        out.update(facts.study.evidence)
        for sfact in (*facts.study.site_counts, *facts.study.statistics, *facts.study.treatment_counts):
            out.update(sfact.evidence)
    return out


# ---------------------------------------------------------------------------- negation
@pytest.mark.parametrize(
    "sentence",
    [
        "There was no metastasis in the lymph nodes.",
        "No evidence of metastasis in the lymph nodes was found.",
        "Lymph node metastasis was ruled out.",
    ],
)
def test_negated_metastasis_is_a_negative_finding(case_patient, sentence: str) -> None:
    p = case_patient(f"{GIST_STOMACH} {sentence} A metastasis in the liver was found.")
    assert met_sites(p) == {"UBERON:0002107"}
    assert [(n.kind, n.term) for n in p.negatives] == [("metastasis", "UBERON:0000029")]
    assert any("lymph node" in ev.sentence.lower() for n in p.negatives for ev in n.evidence)


def test_negation_does_not_cross_a_clause_break(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} There was no metastasis in the liver, but a metastasis in the lung was found.")
    assert met_sites(p) == {"UBERON:0002048"}
    assert {n.term for n in p.negatives} == {"UBERON:0002107"}


# ---------------------------------------------------------------------------- markers
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("S-100 and c-kit were strongly positive, and both calponin and SMA were negative.",
         {"HGNC:6342": ("positive", None), "MESH:D009418": ("positive", None),
          "HGNC:130": ("negative", None), "HGNC:2155": ("negative", None)}),
        ("Neoplastic cells stained for DOG-1 and for CD-117, whereas myogenin was negative.",
         {"HGNC:6342": ("positive", None), "HGNC:21625": ("positive", None), "HGNC:7612": ("negative", None)}),
        ("The tumour cells expressed desmin but not S100 protein.",
         {"HGNC:2770": ("positive", None), "MESH:D009418": ("negative", None)}),
        ("A Ki-67 labelling index of 35% was noted.", {"HGNC:7107": (None, "35%")}),
        ("The tumour cells were diffusely positive for CD34, whereas desmin was negative.",
         {"HGNC:1662": ("positive", None), "HGNC:2770": ("negative", None)}),
        ("Vimentin was positive; calponin was negative.",
         {"HGNC:12692": ("positive", None), "HGNC:2155": ("negative", None)}),
    ],
)
def test_marker_polarity(case_patient, sentence: str, expected: dict[str, tuple[str | None, str | None]]) -> None:
    p = case_patient(f"{GIST_STOMACH} {sentence}")
    assert marker_table(p) == expected


def test_marker_percentage_is_a_number(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} The Ki-67 index was 12.5%.")
    (m,) = p.markers
    assert (m.marker, m.status, m.value, m.percent) == ("HGNC:7107", None, "12.5%", 12.5)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The tumour was positive for CD117 and DOG1 and negative for desmin.",
         {"HGNC:6342": ("positive", None), "HGNC:21625": ("positive", None), "HGNC:2770": ("negative", None)}),
        ("Immunohistochemically, the tumour was negative for CD117.", {"HGNC:6342": ("negative", None)}),
    ],
)
def test_marker_polarity_positive_for_negative_for(case_patient, sentence: str,
                                                   expected: dict[str, tuple[str | None, str | None]]) -> None:
    p = case_patient(f"{GIST_STOMACH} {sentence}")
    assert marker_table(p) == expected


# ---------------------------------------------------------------------------- patients
def test_abstract_and_case_sections_merge_by_age_and_sex(read_and_extract, fixture_path) -> None:
    path = fixture_path("two_cases.txt")
    _doc, facts = read_and_extract(path.read_text(encoding="utf-8"), path.name)
    assert facts.kind == "case_report"
    summary = [(p.key, p.label, p.age, p.sex) for p in facts.patients]
    assert summary == [(1, "case 1", 66, "female"), (2, "case 2", 52, "male")]
    first, second = facts.patients
    assert (first.primary.tumor_type, first.primary.site) == ("MONDO:0011719", "UBERON:0000945")
    assert (second.primary.tumor_type, second.primary.site) == ("MONDO:0011719", "UBERON:0002114")
    assert met_sites(first) == {"UBERON:0003690"}
    assert met_sites(second) == {"UBERON:0004618"}
    # each patient was told of in the abstract and in its own case section
    for p in facts.patients:
        assert {ev.section for ev in p.evidence} == {"abstract", "case"}
    assert [t.term for t in first.treatments if t.kind == "drug"] == ["CHEBI:45783"]
    assert [(t.term, t.dose_gy, t.fractions) for t in second.treatments if t.kind == "radiotherapy"] == [
        ("MESH:D011878", 30.0, 10)]


def test_introduction_discussion_and_cited_studies_give_no_patient_facts(read_and_extract, fixture_path) -> None:
    path = fixture_path("two_cases.txt")
    _doc, facts = read_and_extract(path.read_text(encoding="utf-8"), path.name)
    # rib, femur, skull, brain, orbit, lymph node, peritoneum
    named_elsewhere = {"UBERON:0002228", "UBERON:0000981", "UBERON:0003129", "UBERON:0000955", "UBERON:0001697",
                       "UBERON:0000029", "UBERON:0002358"}
    for p in facts.patients:
        assert not met_sites(p) & named_elsewhere
        assert not {n.term for n in p.negatives} & named_elsewhere
        assert all(ev.section in ("abstract", "case") for ev in all_evidence(facts))


def test_cited_study_in_case_section_is_not_the_patient(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} A metastasis in the liver was found. "
                     "Jati et al. reported a similar tumour that metastasised to the ribs.")
    assert met_sites(p) == {"UBERON:0002107"}


def test_a_second_introduction_in_a_cited_paragraph_is_not_a_patient(read_and_extract) -> None:
    text = ("Case presentation\n\n"
            "A 70-year-old man presented with melena, and endoscopy found a gastrointestinal stromal tumor "
            "of the stomach, which was resected. A metastasis in the liver was found one year after surgery.\n\n"
            "Kim et al. described a 45-year-old woman whose stromal tumour spread to the sternum. "
            "She was treated with sunitinib.\n")
    _doc, facts = read_and_extract(text)
    assert [(p.age, p.sex) for p in facts.patients] == [(70, "male")]
    assert met_sites(facts.patients[0]) == {"UBERON:0002107"}
    assert [t.term for t in facts.patients[0].treatments if t.kind == "drug"] == []


# ---------------------------------------------------------------------------- dates
def test_relative_years_count_from_the_last_stated_year(case_patient) -> None:
    p = case_patient("In 2003 a gastrointestinal stromal tumor of the stomach was resected. "
                     "Thirteen years later, a metastasis in the sacrum was found.")
    assert p.primary.year == 2003
    assert [(m.site, m.year) for m in p.metastases] == [("UBERON:0003690", 2016)]


def test_relative_months_roll_over_the_year(case_patient) -> None:
    p = case_patient("In October 2003 a gastrointestinal stromal tumor of the stomach was resected. "
                     "Six months later, a metastasis in the liver was found.")
    assert [(m.site, m.year, m.month) for m in p.metastases] == [("UBERON:0002107", 2004, 4)]


def test_each_fact_takes_the_year_of_its_own_clause(case_patient) -> None:
    """Regression: a sentence with two years used to date every fact with the first one."""
    p = case_patient("A gastrointestinal stromal tumor of the stomach was resected in 2005, "
                     "and a metastasis in the sacrum was found in 2011.")
    assert p.primary.year == 2005
    assert [(m.site, m.year) for m in p.metastases] == [("UBERON:0003690", 2011)]


# ---------------------------------------------------------------------------- treatments
def test_radiotherapy_doses_and_fractions(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} Metastases in the sacrum and the ilium were found. She underwent "
                     "stereotactic radiosurgery with 20 Gy in single fraction and 36 Gy divided into 4 fractions.")
    rt = sorted((t.term, t.dose_gy, t.fractions) for t in p.treatments if t.kind == "radiotherapy")
    assert rt == [("MESH:D016634", 20.0, 1), ("MESH:D016634", 36.0, 4)]


def test_dose_sentence_without_a_therapy_refers_to_the_last_one_named(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} A metastasis in the sacrum was treated with stereotactic radiosurgery. "
                     "A total of 24 Gy in 3 fractions was delivered.")
    rt = [(t.term, t.dose_gy, t.fractions) for t in p.treatments if t.kind == "radiotherapy"]
    assert rt == [("MESH:D016634", 24.0, 3)]


def test_drug_dose(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} She was given imatinib mesylate 400 mg/day.")
    (drug,) = [t for t in p.treatments if t.kind == "drug"]
    # the salt the text names is its own ChEBI entity (imatinib methanesulfonate)
    assert (drug.term, drug.dose, drug.dose_value, drug.dose_unit) == ("CHEBI:31690", "400 mg/day", 400.0, "mg/day")


def test_switched_from(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} She was given imatinib. After progression in 2012, the treatment was "
                     "switched from imatinib to sunitinib.")
    drugs = {t.term: t.switched_from for t in p.treatments if t.kind == "drug"}
    assert drugs == {"CHEBI:45783": None, "CHEBI:38940": "CHEBI:45783"}


def test_switched_from_when_the_old_drug_is_the_subject(case_patient) -> None:
    """Regression: the agent named before 'switched' used to be missed."""
    p = case_patient(f"{GIST_STOMACH} She was given imatinib. In 2012 imatinib was switched to sunitinib.")
    drugs = {t.term: t.switched_from for t in p.treatments if t.kind == "drug"}
    assert drugs == {"CHEBI:45783": None, "CHEBI:38940": "CHEBI:45783"}


def test_imaging_and_biopsy_are_diagnostic_not_treatment(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} A CT scan of the chest showed a metastasis in the lung, and a needle "
                     "biopsy confirmed it.")
    kinds = {(t.kind, t.term) for t in p.treatments}
    assert ("diagnostic", "MESH:D014057") in kinds
    assert ("diagnostic", "MESH:D001707") in kinds
    assert met_sites(p) == {"UBERON:0002048"}


# ---------------------------------------------------------------------------- sites
def test_primary_site_is_never_a_metastasis(case_patient) -> None:
    p = case_patient("A gastrointestinal stromal tumor of the stomach with metastases in the liver was resected. "
                     "The gastric tumour measured 8 cm.")
    assert (p.primary.tumor_type, p.primary.site) == ("MONDO:0011719", "UBERON:0000945")
    assert met_sites(p) == {"UBERON:0002107"}


def test_laterality(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} Metastases were found in the left scapula and the right femur.")
    assert {(m.site, m.laterality) for m in p.metastases} == {("UBERON:0006849", "left"), ("UBERON:0000981", "right")}


def test_a_sided_organ_the_vocabulary_names_is_that_term(case_patient) -> None:
    # UBERON has "left lung" of its own: the site is that term, and it needs no laterality
    p = case_patient(f"{GIST_STOMACH} Metastases were found in the left lung.")
    assert {(m.site, m.laterality) for m in p.metastases} == {("UBERON:0002168", None)}


def test_general_site_repeating_specific_ones_is_dropped(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} In 2010 metastases were found in the L1 and L3 vertebrae. "
                     "The spinal metastases caused back pain.")
    assert met_sites(p) == {"UBERON:0004617", "UBERON:0004619"}


def test_coordinated_general_and_specific_sites_are_all_kept(case_patient) -> None:
    # the pelvis contains the sacrum, but naming both side by side means both are involved
    p = case_patient(f"{GIST_STOMACH} In 2010 metastases were found in the sacrum, pelvis and L1 vertebra.")
    assert met_sites(p) == {"UBERON:0003690", "UBERON:0002355", "UBERON:0004617"}


def test_general_site_alone_is_kept(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} In 2010 a spinal metastasis was found.")
    assert met_sites(p) == {"UBERON:0001130"}


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("in the T5 and T9 vertebral bodies", {"UBERON:0004630", "UBERON:0004633"}),
        ("in the vertebral bodies of T11 and L2", {"UBERON:0004635", "UBERON:0004618"}),
        ("in the L1, L3 vertebral bodies", {"UBERON:0004617", "UBERON:0004619"}),
        ("at the C5 level", {"UBERON:0004614"}),
    ],
)
def test_vertebra_levels(case_patient, phrase: str, expected: set[str]) -> None:
    p = case_patient(f"{GIST_STOMACH} MRI showed metastases {phrase}.")
    assert met_sites(p) == expected


# ---------------------------------------------------------------------------- what is not the primary
def test_relative_with_cancer_is_not_the_primary(case_patient) -> None:
    p = case_patient("Her mother had breast cancer. Histology showed a leiomyosarcoma of the stomach.")
    assert (p.primary.tumor_type, p.primary.site) == ("MONDO:0003367", "UBERON:0000945")  # gastric leiomyosarcoma


def test_family_history_included_is_not_the_primary(case_patient) -> None:
    """Regression: 'history included' used to exempt a sentence from the family rule."""
    p = case_patient("Her family history included breast cancer in her mother. "
                     "Histology showed a leiomyosarcoma of the stomach.")
    assert (p.primary.tumor_type, p.primary.site) == ("MONDO:0003367", "UBERON:0000945")


@pytest.mark.parametrize(
    "sentence",
    [
        "Histology confirmed a gastrointestinal stromal tumor of the stomach rather than a leiomyosarcoma.",
        "The differential diagnosis included leiomyosarcoma and schwannoma. Histology confirmed a "
        "gastrointestinal stromal tumor of the stomach.",
        "Histology confirmed a gastrointestinal stromal tumor of the stomach, rather than primary cutaneous "
        "leiomyosarcoma.",
    ],
)
def test_differential_diagnosis_is_not_the_primary(case_patient, sentence: str) -> None:
    p = case_patient(sentence)
    assert (p.primary.tumor_type, p.primary.site) == ("MONDO:0011719", "UBERON:0000945")
    assert met_sites(p) == set()


# ---------------------------------------------------------------------------- cohort
def test_cohort_abstract(read_and_extract, fixture_path) -> None:
    path = fixture_path("cohort.txt")
    _doc, facts = read_and_extract(path.read_text(encoding="utf-8"), path.name)
    assert facts.kind == "cohort_study"
    assert facts.patients == ()
    s = facts.study
    assert s.n_patients == 24
    assert {(c.role, c.site, c.count) for c in s.site_counts} == {
        ("primary", "UBERON:0000945", 10), ("primary", "UBERON:0002114", 5), ("primary", "UBERON:0002115", 9),
        ("metastasis", "UBERON:0002107", 6)}
    # the introduction's figures come from an earlier series and are not read
    assert {(st.measure, st.value, st.unit) for st in s.statistics} == {
        ("3-year survival rate", 58.2, "%"), ("5-year survival rate", 29.5, "%"),
        ("median survival", 41.0, "months")}
    assert "MONDO:0011719" in s.tumor_types


def test_a_case_report_has_no_study(read_and_extract, fixture_path) -> None:
    path = fixture_path("case_one.txt")
    _doc, facts = read_and_extract(path.read_text(encoding="utf-8"), path.name)
    assert (facts.kind, facts.study) == ("case_report", None)


# ---------------------------------------------------------------------------- evidence
@pytest.mark.parametrize("name", ["case_one.txt", "two_cases.txt", "cohort.txt"])
def test_evidence_offsets_point_at_the_sentence(read_and_extract, fixture_path, name: str) -> None:
    path = fixture_path(name)
    doc, facts = read_and_extract(path.read_text(encoding="utf-8"), path.name)
    evidence = all_evidence(facts)
    assert len(evidence) >= 5
    for ev in evidence:
        assert 0 <= ev.start < ev.end <= len(doc.raw)
        assert " ".join(doc.raw[ev.start:ev.end].split()) == ev.sentence


def test_evidence_offsets_across_hyphenated_line_breaks(read_and_extract) -> None:
    raw = ("Case presentation\n\n"
           "A 58-year-old man with weight loss and anaemia was admitted for investigation, and a gastro-\n"
           "intestinal stromal tumor of the stomach was found and resected. Two years later a metas-\n"
           "tasis in the liver was detected, and he received imatinib 400 mg/day.\n")
    doc, facts = read_and_extract(raw)
    (p,) = facts.patients
    assert met_sites(p) == {"UBERON:0002107"}
    (met,) = p.metastases
    (ev,) = met.evidence
    span = doc.raw[ev.start:ev.end]
    for word in ("Two", "years", "later", "liver", "detected", "imatinib"):
        assert re.search(rf"\b{word}\b", span), word
    assert "resected" not in span  # the sentence before is not part of it
    drug = next(t for t in p.treatments if t.kind == "drug")
    assert "400 mg/day" in doc.raw[drug.evidence[0].start:drug.evidence[0].end]


def test_merged_patients_keep_the_years_of_the_case_sections(read_and_extract, fixture_path) -> None:
    """Regression: the abstract's two-year sentences used to date both facts with their first year."""
    path = fixture_path("two_cases.txt")
    _doc, facts = read_and_extract(path.read_text(encoding="utf-8"), path.name)
    first, second = facts.patients
    assert (first.primary.year, [(m.site, m.year) for m in first.metastases]) == (2005, [("UBERON:0003690", 2011)])
    assert (second.primary.year, [(m.site, m.year) for m in second.metastases]) == (2010, [("UBERON:0004618", 2014)])


# ---------------------------------------------------------------------------- rules of the wider vocabulary
def test_the_site_a_tumour_name_states_is_its_primary_site(case_patient) -> None:
    p = case_patient("A biopsy confirmed a prostate adenocarcinoma.")
    assert (p.primary.tumor_type, p.primary.site) == ("MONDO:0005082", "UBERON:0002367")


def test_a_stated_site_refines_the_one_the_name_states(case_patient) -> None:
    p = case_patient("A gastrointestinal stromal tumor of the jejunum was resected.")
    assert p.primary.site == "UBERON:0002115"  # jejunum, not the gastrointestinal tract


def test_side_word_between_the_tumour_and_its_site(case_patient) -> None:
    p = case_patient("She was found to have an invasive ductal carcinoma of the right breast.")
    assert p.primary.site == "UBERON:0000310"  # breast


def test_a_tumour_named_by_a_marker_result_states_the_marker(case_patient) -> None:
    p = case_patient("She was treated for an HER2-positive breast cancer.")
    assert p.primary.tumor_type == "MONDO:0006244"
    assert marker_table(p) == {"HGNC:3430": ("positive", None)}


def test_a_quoted_diagnosis_is_not_asserted(case_patient) -> None:
    p = case_patient("Years ago a mass of the ileum had been reported as a 'leiomyoma'. "
                     "A gastrointestinal stromal tumor of the stomach was resected.")
    assert p.primary.tumor_type == "MONDO:0011719"


def test_negation_in_a_relative_clause_ends_with_it(case_patient) -> None:
    p = case_patient("The woman, who had never smoked, was found to have an adenocarcinoma of the lung.")
    assert p.primary is not None and p.primary.site == "UBERON:0002048"


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The tumour was negative for ER and PR, and HER2 was positive.",
     {"HGNC:3467": ("negative", None), "HGNC:8910": ("negative", None), "HGNC:3430": ("positive", None)}),
    ("Cells were positive for CDX2 and negative for CK7, and a KRAS mutation was found.",
     {"HGNC:1806": ("positive", None), "HGNC:6445": ("negative", None), "HGNC:6407": ("positive", None)}),
    ("Sequencing showed a BRAF V600E mutation.", {"HGNC:1097": ("positive", None)}),
    ("No ALK rearrangement was detected.", {"HGNC:427": ("negative", None)}),
    ("The serum PSA was 35 ng/mL.", {"HGNC:6364": (None, "35 ng/mL")}),
    ("Her CA 19-9 was 950 U/mL.", {"MESH:D018395": (None, "950 U/mL")}),
])
def test_marker_polarity_in_wider_sentences(case_patient, sentence: str,
                                            expected: dict[str, tuple[str | None, str | None]]) -> None:
    assert marker_table(case_patient(sentence)) == expected


def test_a_laboratory_value_is_not_a_treatment(case_patient) -> None:
    p = case_patient("Her creatinine was 1.9 mg/dL and the serum calcium was raised. She received cisplatin.")
    assert {t.term for t in p.treatments if t.kind == "drug"} == {"CHEBI:27899"}


def test_each_drug_takes_its_own_dose(case_patient) -> None:
    p = case_patient("She received letrozole and capecitabine 1000 mg/m2 in 2019.")
    doses = {t.term: t.dose for t in p.treatments if t.kind == "drug"}
    assert doses == {"CHEBI:6413": None, "CHEBI:31348": "1000 mg/m2"}


def test_a_drug_class_counts_when_it_treats_the_tumour(case_patient) -> None:
    p = case_patient("She was given analgesics and antibiotics, then immune checkpoint inhibitors and bisphosphonates.")
    assert {t.term for t in p.treatments if t.kind == "drug"} == {"MESH:D000082082", "MESH:D004164"}


def test_a_therapy_class_with_its_drug_is_that_drug(case_patient) -> None:
    p = case_patient("She was given adjuvant chemotherapy with capecitabine.")
    assert {t.kind for t in p.treatments} == {"drug"}


def test_a_therapy_class_on_its_own_is_a_treatment_beside_later_drugs(case_patient) -> None:
    p = case_patient("She first received chemotherapy for six cycles. In 2020 erlotinib was started.")
    assert {t.kind for t in p.treatments} == {"systemic", "drug"}


def test_going_on_with_the_therapy_under_way_is_no_new_treatment(case_patient) -> None:
    p = case_patient("Sunitinib was started in 2018. She continued to receive chemotherapy until 2021.")
    assert {t.kind for t in p.treatments} == {"drug"}


def test_the_results_of_a_one_patient_report_are_that_patients(read_and_extract) -> None:
    text = ("A slowly growing liver tumour\n\nCase presentation\n\nA 71-year-old man with a hepatocellular "
            "carcinoma and portal vein thrombosis was referred to our department in 2019, where he was started on "
            "sorafenib at the full dose.\n\n"
            "Results\n\nBecause it was well tolerated, pembrolizumab was then added.\n")
    _doc, facts = read_and_extract(text, "report.txt")
    (p,) = facts.patients
    assert {t.term for t in p.treatments if t.kind == "drug"} == {"CHEBI:50924", "MESH:C582435"}


_BREAST_CASE = ("\n\nCase presentation\n\nA 66-year-old woman noticed a painless swelling of her left breast and "
                "was referred to our clinic in 2021, where a 5-cm breast tumour was found and excised with clear "
                "margins.\n")


def test_a_title_names_the_patients_tumour_more_narrowly(read_and_extract) -> None:
    _doc, facts = read_and_extract("Angiosarcoma of the breast: a case report" + _BREAST_CASE, "report.txt")
    (p,) = facts.patients
    assert p.primary.tumor_type == "MONDO:0003024"  # breast angiosarcoma, not breast tumour


def test_a_title_about_a_mimic_names_no_type(read_and_extract) -> None:
    _doc, facts = read_and_extract("A fibroadenoma mimicking angiosarcoma of the breast" + _BREAST_CASE, "report.txt")
    (p,) = facts.patients
    assert p.primary.tumor_type == "MONDO:0021100"  # the breast tumour the case speaks of


def test_a_resection_that_names_its_operation_is_that_operation(case_patient) -> None:
    p = case_patient("In 2016 the tumour was treated by complete resection (distal pancreatectomy).")
    assert {t.term for t in p.treatments} == {"ONC:DistalPancreatectomy"}


def test_a_resection_on_its_own_stays_beside_a_later_operation(case_patient) -> None:
    p = case_patient("In 2016 the tumour was resected. In 2018 a distal pancreatectomy followed.")
    assert {t.term for t in p.treatments} == {"ONC:Resection", "ONC:DistalPancreatectomy"}


def test_a_figure_caption_is_no_new_operation(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} [Figure 2: The resected liver specimen with two metastatic nodules.]")
    assert "MESH:D059146" not in {t.term for t in p.treatments}  # no metastasectomy from the picture


def test_a_cited_study_is_a_claim_not_the_patients(read_and_extract) -> None:
    text = ("Orbital spread of a stromal tumour\n\nCase presentation\n\nA 59-year-old man with a gastric "
            "gastrointestinal stromal tumour resected in 2015 was referred to our department in 2019 with liver "
            "metastases, and imatinib was started at 400 mg daily.\n\nDiscussion\n\nOkafor et al. described "
            "a gastrointestinal stromal tumour metastatic to the orbit that responded to sunitinib.\n")
    _doc, facts = read_and_extract(text, "report.txt")
    (p,) = facts.patients
    assert met_sites(p) == {"UBERON:0002107"}
    (claim,) = [c for c in facts.claims if c.source == "Okafor et al."]
    assert {"UBERON:0001697", "CHEBI:38940"} <= set(claim.terms)  # the orbit and sunitinib are the claim's
    assert "CHEBI:38940" not in {t.term for t in p.treatments}


def test_a_statement_about_published_cases_is_a_claim_of_the_literature(read_and_extract) -> None:
    text = ("Case presentation\n\nA 59-year-old man with a gastric gastrointestinal stromal tumour resected in "
            "2015 was referred to our department in 2019 with liver metastases, and imatinib was started at 400 mg "
            "daily.\n\nDiscussion\n\nOnly a few cases of bone metastasis have been reported in the literature.\n")
    _doc, facts = read_and_extract(text, "report.txt")
    assert [(c.source, "UBERON:0001474" in c.terms) for c in facts.claims] == [("the literature", True)]


def test_a_recurrence_at_the_primary_site_is_a_local_recurrence(case_patient) -> None:
    p = case_patient("A leiomyosarcoma of the uterus was removed in 2013. In 2017 the tumour relapsed in the uterus "
                     "and a lung metastasis was found.")
    assert [(r.site, r.year) for r in p.local_recurrences] == [("UBERON:0000995", 2017)]
    assert met_sites(p) == {"UBERON:0002048"}  # the primary site is still never a metastasis


def test_the_primary_told_again_is_no_recurrence(case_patient) -> None:
    p = case_patient("A recurrent gastrointestinal stromal tumor of the stomach was resected in 2014.")
    assert p.local_recurrences == ()


# ---------------------------------------------------------------------------- findings not asserted
def _findings(p: Patient) -> set[tuple[str, str, str, str]]:
    return {(n.kind, n.term, n.status, n.trigger) for n in p.negatives}


def test_a_denied_metastasis_is_a_negated_finding_with_its_trigger(case_patient) -> None:
    p = case_patient("A gastrointestinal stromal tumor of the stomach was resected. There was no evidence of liver "
                     "metastasis.")
    assert ("metastasis", "UBERON:0002107", "negated", "no evidence of") in _findings(p)
    assert "UBERON:0002107" not in met_sites(p)


def test_a_suspected_metastasis_is_an_uncertain_finding(case_patient) -> None:
    p = case_patient("A gastrointestinal stromal tumor of the stomach was resected. "
                     "A metastasis in the adrenal gland was suspected but could not be confirmed.")
    assert {(k, s) for k, t, s, _ in _findings(p) if t == "UBERON:0002369"} == {("metastasis", "uncertain")}
    assert "UBERON:0002369" not in met_sites(p)


def test_a_differential_diagnosis_is_an_uncertain_tumour(case_patient) -> None:
    p = case_patient("A gastrointestinal stromal tumor of the stomach was resected; a schwannoma was considered "
                     "in the differential.")
    assert p.primary.tumor_type == "MONDO:0011719"
    assert any(k == "tumor" and s == "uncertain" for k, _t, s, _ in _findings(p))


def test_a_drug_not_given_is_a_negated_treatment(case_patient) -> None:
    p = case_patient("A gastrointestinal stromal tumor of the stomach was resected. Adjuvant imatinib was not given.")
    assert ("treatment", "CHEBI:45783", "negated", "was not given") in _findings(p)
    assert not [t for t in p.treatments if t.term == "CHEBI:45783"]


def test_a_relatives_tumour_is_no_finding_of_the_patient(case_patient) -> None:
    p = case_patient("Her brother had melanoma. A gastrointestinal stromal tumor of the stomach was resected.")
    assert not [n for n in p.negatives if n.kind == "tumor"]


# ---------------------------------------------------------------------------- therapy lines and dose changes
def test_a_dose_change_is_a_fact_of_its_own(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} In 2014 imatinib was increased from 400 mg/day to 800 mg/day.")
    drugs = sorted((t.dose, t.dose_change) for t in p.treatments if t.term == "CHEBI:45783")
    assert drugs == [("400 mg/day", None), ("800 mg/day", "increased")]


def test_a_dose_reduced_without_the_old_dose(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} Because of oedema the sunitinib dose was reduced to 37.5 mg daily.")
    (t,) = [t for t in p.treatments if t.term == "CHEBI:38940"]
    assert (t.dose, t.dose_change) == ("37.5 mg/day", "reduced")


@pytest.mark.parametrize(("sentence", "line"), [
    ("Second-line sunitinib was started in 2015.", 2),
    ("In 2015 she received sunitinib as third-line therapy.", 3),
    ("Sunitinib was started in 2015.", None),
])
def test_line_of_therapy(case_patient, sentence: str, line: int | None) -> None:
    p = case_patient(f"{GIST_STOMACH} {sentence}")
    (t,) = [t for t in p.treatments if t.term == "CHEBI:38940"]
    assert t.line == line


# ---------------------------------------------------------------------------- regions examined, organs invaded
def test_a_region_that_names_the_examination_is_no_lesion(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} In 2018 a head CT showed a metastasis in the cerebellum.")
    assert met_sites(p) == {"UBERON:0002037"}


def test_an_organ_invaded_by_the_tumour_is_no_metastasis(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} The tumour directly invaded the adjacent spleen.")
    assert met_sites(p) == set()


def test_an_acronym_names_the_site_its_term_does(case_patient) -> None:
    p = case_patient("She was diagnosed with NSCLC in 2016.")
    assert (p.primary.tumor_type, p.primary.site) == ("MONDO:0005233", "UBERON:0002048")


def test_the_site_a_metastasis_came_from_does_not_cancel_it(case_patient) -> None:
    p = case_patient("In 2018 she had extensive hepatic metastases from an invasive ductal carcinoma of the left "
                     "breast.")
    assert met_sites(p) == {"UBERON:0002107"}
    assert p.primary.site == "UBERON:0000310"


@pytest.mark.parametrize(("phrase", "station"), [
    ("the lymph nodes of the left axilla", "UBERON:0001097"),  # axillary lymph node
    ("lymph nodes in the mediastinum", "UBERON:0002524"),  # mediastinal lymph node
])
def test_lymph_nodes_of_a_region_are_its_station(case_patient, phrase: str, station: str) -> None:
    p = case_patient(f"{GIST_STOMACH} In 2019 metastases were found in {phrase}.")
    assert met_sites(p) == {station}


def test_where_an_unnamed_tumour_was_resected_is_a_weak_primary_site(case_patient) -> None:
    p = case_patient("A mass of the ileum was removed at laparotomy in 2001. A second opinion on the blocks in "
                     "2020 gave a gastrointestinal stromal tumor.")
    assert (p.primary.tumor_type, p.primary.site) == ("MONDO:0011719", "UBERON:0002116")


def test_a_resected_recurrence_is_no_primary_site(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} In 2019 a recurrent tumour of the omentum was resected.")
    assert p.primary.site == "UBERON:0000945"


def test_an_organ_next_to_a_lesion_is_no_lesion(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} In 2019 CT showed a metastasis in the liver next to the gallbladder.")
    assert met_sites(p) == {"UBERON:0002107"}


def test_an_organ_next_to_part_of_a_lesion_is_no_lesion(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} In 2019 CT showed a metastasis in the liver abutting the upper pole of the "
                     "right kidney.")
    assert met_sites(p) == {"UBERON:0002107"}


def test_a_nodal_dissection_names_no_nodal_metastasis(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} A gastrectomy with a D2 lymph node dissection was performed.")
    assert met_sites(p) == set()
    assert "MESH:D008197" in {t.term for t in p.treatments}


def test_the_site_of_a_revised_diagnosis_is_still_the_primary_site(case_patient) -> None:
    p = case_patient("The excision in 1999 was of a so-called 'schwannoma' of the ileum. Immunostaining added in "
                     "2021 made it a gastrointestinal stromal tumor.")
    assert (p.primary.tumor_type, p.primary.site) == ("MONDO:0011719", "UBERON:0002116")


def test_the_tumour_a_metastasis_came_from_gives_the_primary_site(case_patient) -> None:
    p = case_patient("In 2020 a nodule of the right thigh was excised; it proved secondary to an "
                     "adenocarcinoma of the body of the pancreas.")
    assert p.primary.site == "UBERON:0001150"  # body of pancreas


def test_colorectal_names_the_large_intestine_so_a_rectal_primary_is_not_a_metastasis(case_patient) -> None:
    p = case_patient("In 2016 a rectal adenocarcinoma was resected. In 2018 CT showed colorectal liver metastases.")
    assert p.primary.site == "UBERON:0001052"
    assert met_sites(p) == {"UBERON:0002107"}


def test_a_stained_share_after_a_polarity_keeps_both(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} Nuclear staining was positive for ER (85%) and PR (40%).")
    assert marker_table(p) == {"HGNC:3467": ("positive", "85%"), "HGNC:8910": ("positive", "40%")}


def test_a_serum_level_from_one_value_to_another_is_two_results(case_patient) -> None:
    p = case_patient(f"{GIST_STOMACH} After chemotherapy the serum CEA level fell from 310.5 to 5.2 ng/mL.")
    assert [(m.marker, m.value) for m in p.markers] == [("HGNC:1817", "310.5 ng/mL"), ("HGNC:1817", "5.2 ng/mL")]


@pytest.mark.parametrize("sentence", [
    "In 2019 he received folinic acid, fluorouracil and oxaliplatin (FOLFOX).",
    "In 2019 he received FOLFOX (folinic acid, fluorouracil and oxaliplatin).",
])
def test_the_drugs_of_a_regimen_spelled_out_beside_it_are_the_regimen(case_patient, sentence: str) -> None:
    p = case_patient(f"{GIST_STOMACH} {sentence}")
    assert [t.term for t in p.treatments if t.kind == "drug"] == ["MESH:C410216"]
