"""Reconciliation: a patient's drafts into facts (an account told twice merged, the generic yielding)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..facts import (
    Evidence,
    LocalRecurrence,
    MarkerResult,
    Metastasis,
    NegativeFinding,
    Patient,
    PrimaryTumor,
    Treatment,
)
from .drafts import Draft, FindingDraft, MarkerDraft, MetastasisDraft, PatientDraft, ReaderBase, TreatmentDraft

__all__ = ["Reconciler"]

_GOES_ON = re.compile(r"\b(?:continu\w*|remain\w* on|maintained on|still on|kept on)\b", re.IGNORECASE)


class Reconciler(ReaderBase):
    """Reconciliation (a part of :class:`~oncograph.relate.PatientExtractor`)."""

    # ------------------------------------------------------------------ reconciling
    def _finish(self, p: PatientDraft) -> Patient:
        primary = self._primary(p)
        mets = self._metastases(p, primary)
        follow = [d for d in p.treatments if d.kind == "followup" and d.when.year]
        last = max(follow, key=lambda d: (d.when.year or 0, d.when.month or 0)) if follow else None
        return Patient(
            key=p.key,
            label=p.label,
            age=p.age,
            sex=p.sex or p.pronoun_sex,
            primary=primary,
            metastases=mets,
            markers=self._markers_final(p),
            treatments=self._treatments_final(p),
            negatives=tuple(
                NegativeFinding(d.kind, d.term, (d.evidence,), str(d.attrs.get("status", "negated")),
                                str(d.attrs.get("trigger", ""))) for d in self._unique_findings(p.negatives)
                if not any(m.site == d.term for m in mets)
            ),
            evidence=tuple(sorted(set(p.evidence))),
            follow_up_year=last.when.year if last else None,
            follow_up_month=last.when.month if last else None,
            follow_up_evidence=(last.evidence,) if last else (),
            local_recurrences=self._local_recurrences(p, primary),
        )

    @staticmethod
    def _unique_findings(drafts: list[FindingDraft]) -> list[FindingDraft]:
        seen: dict[tuple[str, str, object], FindingDraft] = {}
        for d in drafts:
            seen.setdefault((d.kind, d.term, d.attrs.get("status")), d)
        return list(seen.values())

    @staticmethod
    def _unique(drafts: list[Draft]) -> list[Draft]:
        seen: dict[str, Draft] = {}
        for d in drafts:
            seen.setdefault(d.term, d)
        return list(seen.values())

    def _most_specific(self, names: list[str]) -> list[str]:
        return [n for n in names if not any(o != n and self.index.subsumes(n, o) for o in names)]

    def _primary(self, p: PatientDraft) -> PrimaryTumor | None:
        if not p.tumors:
            return None
        primaries = [d for d in p.tumors if not d.attrs.get("metastatic")] or p.tumors
        names = sorted({d.term for d in primaries})
        specific = self._most_specific(names)
        # the type named most often (then first) among the most specific ones
        counts = {n: sum(1 for d in p.tumors if self.index.subsumes(n, d.term) or d.term == n) for n in specific}
        first = {n: min(d.sentence for d in p.tumors if d.term == n) for n in specific}
        tumor_type = max(specific, key=lambda n: (counts[n], -first[n]))
        # a title that names this tumour more narrowly ("Angiosarcoma of the breast: a case report" for a
        # "gastric tumour") names the patient's type, when the document has one patient
        narrower = [t for t in self._title_tumors if t != tumor_type and self.index.subsumes(tumor_type, t)]
        from_title = bool(narrower and len(self.patients) == 1)
        if from_title:
            tumor_type = self._most_specific(narrower)[0]
        site = None
        if p.primary_sites:
            best = max(s for s, _ in p.primary_sites)
            cands = sorted({d.term for s, d in p.primary_sites if s == best})
            spec = self._most_specific(cands)
            site = spec[0] if spec else None
        # the year the primary was diagnosed or resected: the earliest dated tumour mention
        dated = [d for d in p.tumors if d.when.year and not d.attrs.get("metastatic")]
        year = month = None
        if dated:
            best_strength = max(d.when.strength for d in dated)
            d0 = min((d for d in dated if d.when.strength == best_strength),
                     key=lambda d: (d.evidence.section != "case", d.sentence))
            year, month = d0.when.year, d0.when.month
        risk = next((d.attrs["risk"] for d in p.tumors if d.attrs.get("risk")), None)
        sizes = [d for d in p.treatments if d.kind == "size"]
        size = sizes[-1].attrs.get("size_cm") if sizes else None
        evidence = {d.evidence for d in p.tumors if d.term == tumor_type}
        if from_title and self._title_evidence is not None:  # the title names the type; the text, the tumour
            evidence |= {self._title_evidence} | {d.evidence for d in primaries}
        return PrimaryTumor(tumor_type, site, year, month, float(size) if isinstance(size, float) else None, None,
                            str(risk) if risk else None, tuple(sorted(evidence)))

    def _metastases(self, p: PatientDraft, primary: PrimaryTumor | None) -> tuple[Metastasis, ...]:
        drafts = p.metastases
        if primary and primary.site:
            ps = primary.site
            drafts = [d for d in drafts if not self._at_primary(d, ps)]
        # merge by site and laterality
        groups: dict[tuple[str, str | None], list[Draft]] = {}
        for d in drafts:
            lat = d.attrs.get("laterality")
            groups.setdefault((d.term, lat if isinstance(lat, str) else None), []).append(d)
        for (term, lat), ds in list(groups.items()):
            if lat is None:
                sided = [k for k in groups if k[0] == term and k[1] is not None]
                if len(sided) == 1:
                    groups[sided[0]].extend(ds)
                    del groups[(term, lat)]
        # a general site ("spine") named apart from the specific ones ("L1", "L3") only repeats them
        terms = {t for t, _ in groups}
        keep: dict[tuple[str, str | None], list[Draft]] = {}
        for (term, lat), ds in groups.items():
            specifics = [o for o in terms if o != term and self.index.subsumes(term, o)]
            if specifics and not set(specifics) & p.coordinated.get(term, set()):
                continue
            keep[(term, lat)] = ds
        out = []
        for (term, lat), ds in sorted(keep.items(), key=lambda kv: min(d.sentence for d in kv[1])):
            dated = [d for d in ds if d.when.year]
            year = month = None
            if dated:
                best = max(dated, key=lambda d: (d.when.strength, d.evidence.section == "case", -d.sentence))
                year, month = best.when.year, best.when.month
            out.append(Metastasis(term, lat, year, month, tuple(sorted({d.evidence for d in ds}))))
        return tuple(out)

    def _at_primary(self, d: MetastasisDraft, primary_site: str) -> bool:
        """Whether a lesion lies at the primary site (and so is the primary, or its local recurrence)."""
        ps = primary_site
        return bool((self.index.subsumes(ps, d.term) or self.index.subsumes(d.term, ps))
                    and not (d.explicit and d.term != ps and not self.index.subsumes(ps, d.term)))

    def _local_recurrences(self, p: PatientDraft, primary: PrimaryTumor | None) -> tuple[LocalRecurrence, ...]:
        """The tumour grown again at the primary site: a lesion there, told as a recurrence, in a sentence that
        is not the primary's own."""
        if primary is None or not primary.site:
            return ()
        own = {e.start for e in primary.evidence}
        drafts = [d for d in p.metastases if d.recurrence and self._at_primary(d, primary.site)
                  and d.evidence.start not in own
                  and not (primary.year and d.when.year and d.when.year <= primary.year)]
        by_site: dict[str, list[MetastasisDraft]] = {}
        for d in drafts:
            by_site.setdefault(d.term, []).append(d)
        out = []
        for term, ds in by_site.items():
            dated = [d for d in ds if d.when.year]
            best = max(dated, key=lambda d: (d.when.strength, -d.sentence)) if dated else None
            out.append(LocalRecurrence(term, best.when.year if best else None, best.when.month if best else None,
                                       tuple(sorted({d.evidence for d in ds}))))
        return tuple(out)

    def _markers_final(self, p: PatientDraft) -> tuple[MarkerResult, ...]:
        by_marker: dict[tuple[str, str], list[MarkerDraft]] = {}
        for d in p.markers:
            # a status once per marker, a stained share once; each serum level its own result (serial values)
            value = d.attrs.get("value")
            kind = "status" if value is None else "percent" if d.attrs.get("percent") is not None else str(value)
            by_marker.setdefault((d.term, kind), []).append(d)
        out = []
        for (term, is_value), ds in by_marker.items():
            # the case section's statement wins over the abstract's
            ds.sort(key=lambda d: (d.evidence.section != "case", d.sentence))
            d = ds[0]
            status = d.attrs.get("status")
            value = d.attrs.get("value")
            pct = d.attrs.get("percent")
            out.append(MarkerResult(term, status if isinstance(status, str) else None,
                                    value if isinstance(value, str) else None,
                                    float(pct) if isinstance(pct, (int, float)) else None,
                                    tuple(sorted({x.evidence for x in ds}))))
            del is_value
        # "ER-positive … ER 90%": the share carries the status, so the bare status is not told twice
        shares = {(m.marker, m.status) for m in out if m.percent is not None and m.status}
        out = [m for m in out if m.value is not None or (m.marker, m.status) not in shares]
        return tuple(sorted(out, key=lambda m: min(e.start for e in m.evidence)))

    def _compatible(self, a: TreatmentDraft, b: TreatmentDraft) -> bool:
        """Whether two drafts can be the same treatment told twice."""
        if a.kind != b.kind:
            return False
        if a.term and b.term and not (self.index.subsumes(a.term, b.term) or self.index.subsumes(b.term, a.term)):
            return False
        if a.kind != "drug":
            ta, tb = a.attrs.get("target"), b.attrs.get("target")
            if ta and tb and ta != tb:
                return False
        for key in ("dose", "dose_gy", "fractions", "site"):
            va, vb = a.attrs.get(key), b.attrs.get(key)
            if va is not None and vb is not None and va != vb:
                return False
        return not (a.kind != "drug" and a.when.year and b.when.year and a.when.year != b.when.year
                    and min(a.when.strength, b.when.strength) >= 2)

    def _unify(self, keep: TreatmentDraft, other: TreatmentDraft) -> TreatmentDraft:
        term = keep.term
        if not term or (other.term and self.index.subsumes(term, other.term)):
            term = other.term
        attrs = {k: v for k, v in other.attrs.items() if keep.attrs.get(k) is None and v is not None}
        when = keep.when if keep.when.strength >= other.when.strength else other.when
        if keep.kind == "drug" and keep.when.year and other.when.year and keep.when.strength == other.when.strength:
            when = keep.when if keep.when.year <= other.when.year else other.when  # a drug dates from its start
        if not when.year:
            when = other.when if other.when.year else keep.when
        evidence = min(keep.evidence, other.evidence)
        return replace(keep, term=term, when=when, evidence=evidence, sentence=min(keep.sentence, other.sentence),
                       **attrs)

    def _treatments_final(self, p: PatientDraft) -> tuple[Treatment, ...]:
        drafts = [d for d in p.treatments if isinstance(d, TreatmentDraft) and d.kind != "followup"]
        # a dose sentence with no radiotherapy named refers to the last radiotherapy before it
        for i, d in enumerate(drafts):
            if d.kind == "radiotherapy" and not d.term:
                prev = [x for x in drafts[:i] if x.kind == "radiotherapy" and x.term]
                if prev:
                    drafts[i] = replace(d, term=prev[-1].term)
        drafts = [d for d in drafts if d.term]

        def info(d: TreatmentDraft) -> tuple[int, int, int]:
            n = sum(1 for v in d.attrs.values() if v is not None)
            return (n, len(self.index.ancestors(d.term)), d.when.strength)

        evidence_of: dict[int, set[Evidence]] = {}
        kept: list[TreatmentDraft] = []
        for d in sorted(drafts, key=lambda d: (tuple(-x for x in info(d)), d.sentence)):
            targets = [i for i, k in enumerate(kept) if self._compatible(k, d)]
            if targets:
                for i in targets:
                    evidence_of.setdefault(i, {kept[i].evidence}).add(d.evidence)
                    kept[i] = self._unify(kept[i], d)
            else:
                evidence_of[len(kept)] = {d.evidence}
                kept.append(d)
        # a therapy class named in the sentence that names the drug is that drug ("adjuvant chemotherapy with
        # capecitabine"); named on its own, it is a treatment of its own
        drug_sentences = {e.start for i, k in enumerate(kept) if k.kind == "drug"
                          for e in evidence_of.get(i, {k.evidence})}
        out = []
        for i, k in enumerate(kept):
            if k.kind == "systemic" and any(
                    e.start in drug_sentences
                    or (_GOES_ON.search(e.sentence) and any(s < e.start for s in drug_sentences))
                    for e in evidence_of.get(i, {k.evidence})):
                continue  # the drug itself, or the therapy under way going on ("continued chemotherapy")
            if k.kind == "surgery" and self._generic_surgery(k.term) and any(
                    o.kind == "surgery" and o is not k and not self._generic_surgery(o.term) for o in kept):
                continue
            if k.kind == "surgery" and k.term in (self._resection, self._excision) and all(
                    any(e in evidence_of.get(j, {o.evidence}) for j, o in enumerate(kept)
                        if o.kind == "surgery" and o.term not in (self._resection, self._excision))
                    for e in evidence_of.get(i, {k.evidence})):
                continue  # "a complete resection (distal pancreatectomy)": the resection is the operation it names
            out.append(Treatment(
                kind=k.kind, term=k.term, dose=k.dose,
                dose_value=float(k.dose_value) if k.dose_value is not None else None, dose_unit=k.dose_unit,
                dose_gy=float(k.dose_gy) if k.dose_gy is not None else None,
                fractions=int(k.fractions) if k.fractions is not None else None,
                intent=k.intent, site=k.site, year=k.when.year, month=k.when.month, switched_from=k.switched_from,
                evidence=tuple(sorted(evidence_of.get(i, {k.evidence}))),
                line=int(k.line) if k.line is not None else None, dose_change=k.dose_change,
            ))
        return tuple(sorted(out, key=lambda t: (min(e.start for e in t.evidence), t.term, t.dose_gy or 0)))

    def _generic_surgery(self, term: str) -> bool:
        t = self.index.terms.get(term)
        return t is not None and t.label in ("surgery", "surgical procedure", "operation")
