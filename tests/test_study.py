"""Cohort studies as data: one rule per test, on sentences written for the test.

The five abstracts under ``fixtures/studies/`` (a registry study, a phase II trial, a systematic
review, a surgical series and a prospective cohort) were written for these tests too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from oncograph.emit import emit
from oncograph.recognise import lexicon
from oncograph.study.cohort import cited_source, cohort_size, stage_of, study_designs
from oncograph.study.figures import count_figures, sentence_figures
from oncograph.study.measures import defined_measures, find_measures, measure_vocabulary
from oncograph.study.numbers import find_values, parse_number
from oncograph.study.sites import site_counts
from oncograph.study.vocabulary import study_vocabulary_block
from oncograph.vocab import ONC

STUDIES = Path(__file__).parent / "fixtures" / "studies"


def figures(text: str, **kw: object) -> dict[str, tuple[float, str]]:
    """measure → (value, unit) of the figures of one sentence."""
    return {f.measure: (f.value, f.unit) for f in sentence_figures(text, **kw).figures}  # type: ignore[arg-type]


def one(text: str, **kw: object):  # type: ignore[no-untyped-def]
    found = sentence_figures(text, **kw).figures  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------------------- numbers
@pytest.mark.parametrize(("text", "value"), [("seventeen", 17), ("twenty-two", 22), ("Sixty four", 64),
                                             ("1,234", 1234), ("0.47", 0.47), ("one hundred", 100)])
def test_numbers_in_words_and_figures(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_a_percentage_in_words_is_a_value() -> None:
    assert [(v.value, v.unit) for v in find_values("a response in thirty-five per cent")] == [(35.0, "%")]


def test_a_count_of_a_group_with_its_share() -> None:
    (v,) = find_values("relapse followed in 12 of these 30 patients (40%)")
    assert (v.value, v.unit, v.count, v.denominator) == (40.0, "%", 12, 30)


def test_a_share_then_its_count_in_brackets() -> None:
    (v,) = find_values("the response rate was 17.4% (8 of 46)")
    assert (v.value, v.count, v.denominator) == (17.4, 8, 46)


def test_a_confidence_interval_and_p_value_qualify_the_value_before() -> None:
    (v,) = find_values("median PFS was 7.2 months (95% CI 5.1-9.3; p = 0.03)")
    assert (v.value, v.unit, v.low, v.high, v.interval, v.p_value) == (7.2, "months", 5.1, 9.3, "95% CI", "0.03")


def test_a_range_in_brackets_between_value_and_unit() -> None:
    (v,) = find_values("with a median of 30 (4-118) months")
    assert (v.value, v.unit, v.low, v.high, v.interval) == (30.0, "months", 4.0, 118.0, "range")


def test_a_unit_written_once_for_a_list() -> None:
    assert [v.value for v in find_values("rates of 90, 70 and 50%")] == [90.0, 70.0, 50.0]


@pytest.mark.parametrize("text", ["patients under 60 years", "aged 75 years or older", "a 12-month rate",
                                  "responses lasted 6-30 weeks", "at 3 years", "a 95% CI"])
def test_thresholds_time_points_and_bare_ranges_are_not_values(text: str) -> None:
    assert find_values(text) == []


# ---------------------------------------------------------------------------- measures
@pytest.mark.parametrize("text", ["5-year OS was 61%", "The five-year overall survival rate was 61%",
                                  "Overall survival at 5 years was 61%"])
def test_three_spellings_are_one_measure_at_one_time_point(text: str) -> None:
    f = one(text)
    assert (f.measure_id, f.time_point, f.time_unit, f.value, f.unit) == ("OverallSurvival", 5.0, "years", 61.0, "%")
    assert f.measure == "5-year overall survival rate"


def test_every_measure_has_a_label_kind_and_definition() -> None:
    ms = measure_vocabulary()
    assert len(ms) >= 25 and len({m.id for m in ms}) == len(ms)
    assert all(m.label and m.definition and m.kind in {"survival", "rate", "time", "ratio", "p", "age", "count"}
               for m in ms)


def test_a_short_form_the_document_defines_names_its_measure() -> None:
    defined = defined_measures(["We recorded the clinical benefit rate (CBR2) and toxicity."])
    assert defined == {"CBR2": "DiseaseControlRate"}
    assert one("The CBR2 reached 64%.", defined=defined).measure_id == "DiseaseControlRate"


def test_a_scope_word_before_a_measure_qualifies_it() -> None:
    assert one("The extracranial response rate was 31%.").measure == "extracranial response rate"


def test_time_to_an_event_is_named_by_the_event() -> None:
    (m,) = find_measures("the median time to peritoneal relapse was")
    assert (m.measure.id, m.label, m.statistic) == ("TimeToRecurrence", "time to peritoneal relapse", "median")


def test_an_event_after_a_median_time() -> None:
    f = one("Bone metastases developed after a median of 19 months.")
    assert (f.measure, f.value, f.unit, f.statistic) == ("median time to bone metastases", 19.0, "months", "median")


# ---------------------------------------------------------------------------- figures of a sentence
def test_time_points_are_shared_out_in_order() -> None:
    assert figures("The 1-, 2- and 4-year DFS rates were 80%, 61% and 43%, respectively.") == {
        "1-year disease-free survival rate": (80.0, "%"), "2-year disease-free survival rate": (61.0, "%"),
        "4-year disease-free survival rate": (43.0, "%")}


def test_two_measures_in_one_sentence() -> None:
    assert figures("Median PFS was 5.5 months and median OS 12.1 months.") == {
        "median progression-free survival": (5.5, "months"), "median overall survival": (12.1, "months")}


def test_the_words_after_a_value_are_its_subgroup() -> None:
    assert figures("Median OS was 40 months for node-negative and 19 months for node-positive patients.") == {
        "median overall survival for node-negative": (40.0, "months"),
        "median overall survival for node-positive patients": (19.0, "months")}


def test_responders_and_the_others() -> None:
    fs = sentence_figures("Median PFS reached 11 months among patients with a partial response, against 4 months "
                          "among those without.").figures
    assert [f.subgroup for f in fs] == ["among patients with a partial response (responders)",
                                        "among those without a partial response (non-responders)"]


def test_a_group_opening_the_sentence_is_the_subgroup() -> None:
    f = one("In arm C, the objective response rate was 22%.")
    assert (f.measure_id, f.subgroup, f.value) == ("ResponseRate", "in arm C", 22.0)


def test_a_group_as_the_subject_is_the_subgroup() -> None:
    assert one("Cohort 2 also had a disease control rate of 70%.").subgroup == "cohort 2"


def test_a_subgroup_between_measure_and_value() -> None:
    f = one("Median survival after the detection of pleural spread was 5 months.")
    assert f.measure == "median survival after the detection of pleural spread"


def test_a_subgroup_named_before_its_value_in_a_list() -> None:
    fs = sentence_figures("Median time to progression: surgery alone 14 months vs surgery and TKI 29 months.").figures
    assert [(f.subgroup, f.value) for f in fs] == [("surgery alone", 14.0), ("surgery and TKI", 29.0)]


def test_the_whole_cohort_is_no_subgroup() -> None:
    assert one("Median DSS was 33 months for the entire cohort.").subgroup == ""


def test_the_sentence_after_goes_on_with_the_measure() -> None:
    first = sentence_figures("Mean time to pulmonary metastasis was 2.1 years.")
    then = sentence_figures("The interval was 1.2 years in men and 3.0 years in women.", carried=first.last)
    assert [(f.measure_id, f.value, f.subgroup) for f in then.figures] == [
        ("TimeToEvent", 1.2, "in men"), ("TimeToEvent", 3.0, "in women")]


def test_a_hazard_ratio_with_interval_p_and_what_it_is_about() -> None:
    f = one("Positive margins were associated with death (HR 2.4, 95% CI 1.3-4.4; p = 0.005).")
    assert (f.measure_id, f.value, f.unit, f.low, f.high, f.p_value) == ("HazardRatio", 2.4, "ratio", 1.3, 4.4, "0.005")
    assert f.subgroup == "positive margins"


def test_a_p_value_of_a_comparison_without_a_figure() -> None:
    f = one("Patients with and without nodal disease did not differ in local control (p = 0.41).")
    assert (f.measure_id, f.value, f.unit, f.p_value) == ("PValue", 0.41, "p", "0.41")
    assert f.measure == "p value: Patients with vs without nodal disease did not differ in local control"


def test_an_odds_ratio() -> None:
    f = one("Synchronous disease raised the odds of relapse (odds ratio 3.1).")
    assert (f.measure_id, f.value) == ("OddsRatio", 3.1)


def test_a_rate_with_its_count() -> None:
    f = one("Local recurrence occurred in 9 of 52 patients (17%).")
    assert (f.measure_id, f.value, f.count, f.denominator) == ("Recurrence", 17.0, 9, 52)


def test_a_share_of_the_group_counted_before() -> None:
    fs = sentence_figures("Relapse was seen in 30 patients (60%), and the lung was involved in 12 of these 30 "
                          "patients (40%).").figures
    assert [(f.measure, f.value) for f in fs] == [("recurrence", 60.0), ("recurrence lung", 40.0)]


def test_mortality_in_days() -> None:
    f = one("Thirty-day mortality was 3.2%.")
    assert (f.measure, f.time_point, f.time_unit) == ("30-day mortality", 30.0, "days")


# ---------------------------------------------------------------------------- counts of patients
def counts(text: str, cohort: int | None = 80) -> dict[str, float]:
    return {f.measure: f.value for f in count_figures(text, cohort=cohort)}


def test_men_and_women() -> None:
    assert counts("There were 44 men and 36 women.") == {"male patients": 44, "female patients": 36}


def test_counts_shared_out_respectively() -> None:
    assert counts("KRAS, NRAS and BRAF mutations were found in 20, 3 and 5 cases, respectively.") == {
        "KRAS mutation": 20, "NRAS mutation": 3, "BRAF mutation": 5}


def test_patients_with_a_characteristic() -> None:
    assert counts("Twelve patients had synchronous liver metastases and 9 had received chemotherapy.") == {
        "synchronous liver metastasis": 12, "received chemotherapy": 9}


def test_a_group_and_its_size() -> None:
    assert counts("They formed group C (n = 14) and group D (n = 20).") == {"group C": 14, "group D": 20}


def test_a_share_of_patients_with_a_characteristic() -> None:
    (f,) = count_figures("Grade 3 fatigue occurred in 7 patients (15%).", cohort=46)
    assert (f.measure, f.value, f.unit, f.count) == ("proportion with Grade 3 fatigue", 15.0, "%", 7)


def test_the_whole_cohort_is_not_a_count_of_it() -> None:
    assert counts("All 80 patients had received chemotherapy.") == {}


# ---------------------------------------------------------------------------- site counts
def sites(text: str) -> set[tuple[str, str, int]]:
    return {(c.role, c.site, c.count) for c in site_counts(text, lexicon().find(text))}


def test_metastatic_sites_with_counts_after_them() -> None:
    assert sites("Metastases involved the liver in 61 patients, the lung in 30 and bone in 8.") == {
        ("metastasis", "UBERON:0002107", 61), ("metastasis", "UBERON:0002048", 30),
        ("metastasis", "UBERON:0001474", 8)}


def test_primary_sites_with_n_in_brackets() -> None:
    assert sites("The primary tumour lay in the stomach (n = 12) or the rectum (n = 3).") == {
        ("primary", "UBERON:0000945", 12), ("primary", "UBERON:0001052", 3)}


def test_a_count_that_opens_its_clause() -> None:
    assert sites("Eight primaries arose in the jejunum and four in the ileum.") == {
        ("primary", "UBERON:0002115", 8), ("primary", "UBERON:0002116", 4)}


def test_sites_of_recurrence() -> None:
    assert sites("Disease recurred in the peritoneum in 14 patients.") == {("recurrence", "UBERON:0002358", 14)}


def test_a_site_with_a_share() -> None:
    (c,) = site_counts("Brain metastases were found in 40 (12.5%).", lexicon().find("Brain metastases were found "
                                                                                   "in 40 (12.5%)."))
    assert (c.role, c.count, c.share) == ("metastasis", 40, 12.5)


def test_a_year_is_no_count() -> None:
    assert sites("Liver metastases were resected in 2014.") == set()


# ---------------------------------------------------------------------------- the study record
def test_the_cohort_is_the_largest_group_included() -> None:
    assert cohort_size(["We enrolled 64 patients.", "Of these, 40 patients received radiotherapy."]) == (64, 0)


def test_a_part_of_the_cohort_is_not_its_size() -> None:
    assert cohort_size(["Including our own three cases, twenty cases were pooled from published reports."]) == (20, 0)


def test_no_count_no_cohort() -> None:
    assert cohort_size(["We describe a rare presentation."]) is None


@pytest.mark.parametrize(("text", "designs"), [
    ("A retrospective review of the SEER database.", ("RetrospectiveStudy", "RegistryStudy")),
    ("This randomised phase III trial compared two regimens.", ("RandomizedControlledTrial", "PhaseIIITrial")),
    ("We performed a systematic review and meta-analysis.", ("SystematicReview", "MetaAnalysis")),
    ("An open-label phase II study.", ("PhaseIITrial",)),
])
def test_designs(text: str, designs: tuple[str, ...]) -> None:
    assert study_designs(text) == designs


def test_a_design_asked_for_is_not_the_design() -> None:
    assert study_designs(["Records were reviewed retrospectively.", "A prospective trial is warranted."]) == (
        "RetrospectiveStudy",)


def test_stage_of_the_population() -> None:
    assert (stage_of("patients with locally advanced disease"), stage_of("stage IV melanoma")) == (
        "locally advanced", "metastatic")


@pytest.mark.parametrize(("text", "source"), [
    ("Okafor et al. reported a 5-year OS of 38%.", "Okafor et al."),
    ("Berg and colleagues found a median OS of 9 months.", "Berg et al."),
    ("An earlier multicentre series gave a response rate of 20%.", "An earlier multicentre series"),
    ("Survival at 2 years was 30% [14].", "[14]"),
])
def test_who_a_cited_figure_belongs_to(text: str, source: str) -> None:
    assert cited_source(text) == source


def test_the_source_nearest_the_figure() -> None:
    text = "Ruiz et al. saw no deaths, and a later national study reported a mortality of 4%."
    assert cited_source(text, text.index("4%")) == "a later national study"


# ---------------------------------------------------------------------------- whole abstracts
@pytest.fixture(scope="module")
def studies(read_and_extract):  # type: ignore[no-untyped-def]
    return {p.stem: read_and_extract(p.read_text(encoding="utf-8"), p.name)[1].study
            for p in sorted(STUDIES.glob("*.txt"))}


def stats(study) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {s.measure: s.value for s in study.statistics}


def test_registry_study(studies) -> None:  # type: ignore[no-untyped-def]
    s = studies["registry_renal"]
    assert (s.n_patients, s.designs, s.stage) == (2615, ("RetrospectiveStudy", "RegistryStudy"), "metastatic")
    assert {(c.role, c.site, c.count, c.share) for c in s.site_counts} >= {
        ("metastasis", "UBERON:0002048", 1427, 54.6), ("metastasis", "UBERON:0000955", 201, 7.7)}
    got = stats(s)
    assert got["median overall survival"] == 14 and got["2-year overall survival rate"] == 28.4
    assert got["male patients"] == 1802 and got["hazard ratio liver involvement"] == 1.42


def test_phase_ii_trial(studies) -> None:  # type: ignore[no-untyped-def]
    s = studies["phase2_pancreas"]
    assert (s.n_patients, s.designs) == (46, ("PhaseIITrial", "MulticenterStudy"))
    got = stats(s)
    assert got["response rate"] == 17.4 and got["disease control rate"] == 52
    assert got["median progression-free survival"] == 3.9 and got["6-month overall survival rate"] == 55
    assert got["proportion with Grade 3-4 neutropenia"] == 24


def test_systematic_review_keeps_cited_figures_apart(studies, read_and_extract) -> None:  # type: ignore[no-untyped-def]
    s = studies["review_sarcoma"]
    assert s.n_patients == 38 and "SystematicReview" in s.designs
    assert stats(s)["median survival after the diagnosis of cardiac metastasis"] == 9
    assert all(st.value != 4.0 for st in s.statistics)
    path = STUDIES / "review_sarcoma.txt"
    claims = read_and_extract(path.read_text(encoding="utf-8"), path.name)[1].claims
    assert [(c.source, [st.value for st in c.statistics]) for c in claims if c.statistics] == [
        ("a national study", [4.0])]
    assert {"an earlier autopsy series", "a national study"} <= {c.source for c in claims}


def test_surgical_series(studies) -> None:  # type: ignore[no-untyped-def]
    got = stats(studies["surgical_colorectal"])
    assert {k: got[k] for k in ("1-year overall survival rate", "3-year overall survival rate",
                                "5-year overall survival rate", "5-year disease-free survival rate",
                                "90-day mortality", "complication rate")} == {
        "1-year overall survival rate": 92, "3-year overall survival rate": 64, "5-year overall survival rate": 45,
        "5-year disease-free survival rate": 24, "90-day mortality": 1.9, "complication rate": 27}


def test_prospective_cohort_arms(studies) -> None:  # type: ignore[no-untyped-def]
    s = studies["prospective_lung"]
    assert {(a.label, a.n) for a in s.arms} == {("group A", 33), ("group B", 24)}
    assert ("metastasis", "UBERON:0000955", 57) in {(c.role, c.site, c.count) for c in s.site_counts}
    assert stats(s)["intracranial response rate in group B"] == 58


def test_the_study_in_triples(studies) -> None:  # type: ignore[no-untyped-def]
    from oncograph.facts import DocumentFacts

    g = Graph()
    for t in emit(DocumentFacts("phase2_pancreas.txt", "cohort_study", (), studies["phase2_pancreas"])):
        g.add(t)
    q = g.query("""PREFIX onc: <https://w3id.org/oncograph/ontology/>
        SELECT ?value ?low ?high WHERE { ?study onc:hasDesign onc:PhaseIITrial ; onc:hasStatistic ?s .
          ?s onc:measureTerm onc:ProgressionFreeSurvival ; onc:statistic ?st ; onc:value ?value ;
             onc:lowerBound ?low ; onc:upperBound ?high FILTER(STR(?st) = "median") }""")
    assert [tuple(float(x) for x in r) for r in q] == [(3.9, 2.8, 5.1)]
    assert "response rate" in {str(o) for o in g.objects(None, ONC.measure)}


def test_the_ontology_holds_the_measure_vocabulary() -> None:
    from oncograph.ontology import ontology_path

    assert study_vocabulary_block() in ontology_path("ttl").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- queries and the forest plot
@pytest.fixture(scope="module")
def study_store():  # type: ignore[no-untyped-def]
    from oncograph.pipeline import ingest
    from oncograph.store import Store

    store = Store()
    ingest([STUDIES], store)
    return store


def test_study_statistics_keeps_its_columns(study_store) -> None:  # type: ignore[no-untyped-def]
    from oncograph.query import run_query

    result = run_query(study_store, "study-statistics")
    assert result.columns[:5] == ("document", "n_patients", "measure", "value", "unit")
    assert ("phase2_pancreas.txt", "46", "median progression-free survival", "3.9", "months") in {
        r[:5] for r in result.rows}


def test_one_measure_across_studies(study_store) -> None:  # type: ignore[no-untyped-def]
    from oncograph.query import run_query

    result = run_query(study_store, "measure-across-studies", {"measure": "onc:OverallSurvival", "at": "5"})
    col = {c: i for i, c in enumerate(result.columns)}
    got = {(r[col["document"]], r[col["subgroup"]], r[col["value"]]) for r in result.rows}
    assert got == {("surgical_colorectal.txt", "", "45"), ("surgical_colorectal.txt", "in the elderly", "41"),
                   ("surgical_colorectal.txt", "in younger patients", "46")}
    assert {r[col["design"]] for r in result.rows} == {"cohort study, retrospective study"}  # sorted


def test_whole_cohort_figures_pooled_by_measure_term(study_store) -> None:  # type: ignore[no-untyped-def]
    from oncograph.query import run_query

    rows = {r[0]: r for r in run_query(study_store, "cohort-figures").rows}
    median_os = rows["median overall survival"]
    assert median_os[1:6] == ("months", "2", "2661", "6.8", "14")


def test_cited_claims_are_not_study_figures(study_store) -> None:  # type: ignore[no-untyped-def]
    from oncograph.query import run_query

    claims = run_query(study_store, "cited-claims").rows
    assert [(r[0], r[1], r[3]) for r in claims] == [("review_sarcoma.txt", "a national study", "4")]
    stats = run_query(study_store, "study-statistics").rows
    assert not any(r[0] == "review_sarcoma.txt" and r[3] == "4" for r in stats)


def test_forest_plot_of_a_measure(tmp_path: Path, study_store) -> None:  # type: ignore[no-untyped-def]
    from oncograph.analysis.report import measure_report
    from oncograph.query import run_query

    result = run_query(study_store, "measure-across-studies", {"measure": "onc:OverallSurvival", "unit": "months"})
    report = measure_report(result, "median overall survival", tmp_path)
    summary = dict(report.tables)["summary"]
    assert summary.rows == (("6", "3", "2718", "13.8755"),)  # 46 × 6.8 and 2615 × 14, weighted by n
    assert {p.name for p in report.files} == {"measure.csv", "forest.png", "forest.svg"}
    assert all(p.stat().st_size > 1000 for p in report.files)


def test_subgroups_shared_out_respectively() -> None:
    assert figures("Disease control rates were 62% and 35% in arms X and Y, respectively.") == {
        "disease control rate in arm X": (62.0, "%"), "disease control rate in arm Y": (35.0, "%")}


def test_a_time_point_after_the_value() -> None:
    f = one("They reached a survival of 58% at 4 years.")
    assert (f.time_point, f.time_unit, f.measure) == (4.0, "years", "4-year survival rate")


def test_a_median_inside_a_subgroup_is_not_a_figure() -> None:
    assert figures("The relapse rate was 28% after a median of 31 months.") == {
        "recurrence after a median of 31 months": (28.0, "%")}


@pytest.mark.parametrize("module", ["oncograph.claims", "oncograph.study.numbers", "oncograph.study.measures",
                                    "oncograph.study.figures", "oncograph.study.sites", "oncograph.study.cohort",
                                    "oncograph.analysis.forest"])
def test_docstring_examples_run(module: str) -> None:
    import doctest
    import importlib

    assert doctest.testmod(importlib.import_module(module)).failed == 0


# ---------------------------------------------------------------------------- more wordings
def test_the_patients_a_results_sentence_opens_with_are_the_cohort() -> None:
    assert cohort_size(["Of 2,310 patients with melanoma, 40 (1.7%) developed bowel metastases."]) == (2310, 0)


def test_shares_of_patients_with_an_adverse_event() -> None:
    (a, b) = count_figures("Grade 3 rash occurred in 12% and diarrhoea in 8%.", cohort=50)
    assert [(a.measure, a.value), (b.measure, b.value)] == [("proportion with Grade 3 rash", 12.0),
                                                            ("proportion with diarrhoea", 8.0)]


def test_a_comparison_gives_each_value_its_group() -> None:
    fs = sentence_figures("Patients with a BRAF mutation had a shorter OS than those without it (9 vs 20 months).")
    assert [(f.subgroup, f.value) for f in fs.figures] == [("patients with a BRAF mutation", 9.0),
                                                           ("those without it", 20.0)]


def test_time_points_shared_out_again_for_a_second_group() -> None:
    fs = sentence_figures("The 2- and 4-year OS rates were 70% and 41%, compared with 88% and 75% for stage II.")
    assert [(f.time_point, f.value, f.subgroup) for f in fs.figures] == [
        (2.0, 70.0, ""), (4.0, 41.0, ""), (2.0, 88.0, "for stage II"), (4.0, 75.0, "for stage II")]


def test_a_hazard_ratio_in_brackets_is_about_what_stands_before_them() -> None:
    fs = sentence_figures("Peritoneal spread (hazard ratio [HR], 2.2; 95% CI, 1.4-3.5) predicted death.")
    assert [(f.subgroup, f.value) for f in fs.figures] == [("peritoneal spread", 2.2)]


def test_the_duration_of_a_named_treatment() -> None:
    f = one("The median duration of regorafenib therapy was 5.1 months.")
    assert (f.measure_id, f.measure) == ("DurationOfTreatment", "median duration of regorafenib therapy")


def test_a_share_between_a_count_and_its_sex() -> None:
    assert counts("Of them, 27 (54%) were women.", cohort=50) == {"female patients": 27}


def test_a_count_with_its_share_before_the_site() -> None:
    (c,) = site_counts("Overall, 40 (1.7%) developed bowel metastases.", lexicon().find(
        "Overall, 40 (1.7%) developed bowel metastases."))
    assert (c.role, c.count, c.share) == ("metastasis", 40, 1.7)


def test_an_interval_from_one_event_to_another_is_the_time_to_the_second() -> None:
    f = one("The median interval from nephrectomy to pancreatic metastasis was 8.4 years.")
    assert f.measure == "median time to pancreatic metastasis"


# ---------------------------------------------------------------------------- three more abstracts
MORE = Path(__file__).parent / "fixtures" / "studies_more"


def more(read_and_extract, name: str):  # type: ignore[no-untyped-def]
    path = MORE / name
    return read_and_extract(path.read_text(encoding="utf-8"), path.name)[1].study


def test_a_multicentre_series_of_a_rare_site(read_and_extract) -> None:  # type: ignore[no-untyped-def]
    s = more(read_and_extract, "brain_gist_multicentre.txt")
    assert s.n_patients == 1846 and "MulticenterStudy" in s.designs
    assert ("metastasis", "UBERON:0000955", 14, 0.8) in {(c.role, c.site, c.count, c.share) for c in s.site_counts}
    got = stats(s)
    assert (got["median time to brain metastasis"], got["median overall survival"]) == (46, 7.5)
    assert got["median survival patients treated with surgery or radiosurgery"] == 14


def test_a_second_line_cohort(read_and_extract) -> None:  # type: ignore[no-untyped-def]
    s = more(read_and_extract, "sunitinib_cohort.txt")
    assert (s.n_patients, s.tumor_types, s.treatments) == (61, ("MONDO:0011719",), ("CHEBI:38940",))
    got = stats(s)
    assert got["median duration of sunitinib treatment"] == 8.2 and got["disease control rate"] == 64
    assert got["progression-free survival those with an exon 11 mutation"] == 5.3


def test_a_national_database_study(read_and_extract) -> None:  # type: ignore[no-untyped-def]
    s = more(read_and_extract, "uveal_melanoma_ncdb.txt")
    assert (s.n_patients, s.designs) == (8921, ("RegistryStudy",))
    got = stats(s)
    assert got["1-year overall survival rate for patients without metastases"] == 96.0
    assert got["3-year overall survival rate of patients with metastatic disease"] == 12.6
    assert (got["hazard ratio hepatic metastasis"], got["hazard ratio age over 70 years"]) == (1.92, 1.35)
