"""Walking the document: which patient each sentence speaks of, and handing its sentences to the readers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ..context import Assertion, SentenceKind, find_age_sex, sentence_kind
from ..facts import Evidence, Patient
from ..quantities import tumour_size
from ..recognise import DateMention, Lexicon
from ..terms import TermIndex
from .drafts import DRAFT_TYPES, FindingDraft, PatientDraft, ReaderBase, SentenceInfo, TreatmentDraft, When
from .lesions import _METASTATIC_WORD

__all__ = ["Walker"]

NARRATIVE_SECTIONS = {"abstract", "case", "results"}
_FOLLOW_UP = re.compile(r"\bfollow[- ]up\b", re.IGNORECASE)
#: a title about a tumour taken for another names no type for the patient
_MIMIC = re.compile(r"\b(?:mimick\w*|masquerad\w*|misdiagnos\w*|mistaken|resembl\w*|simulat\w*|disguised|versus|vs\.?|"
                    r"or)\b|\bpresenting as\b", re.IGNORECASE)
_CAPTION = re.compile(r"\s*\[?\s*(?:figure|fig\.|table|image|photograph)\s*\d*[a-z]?\s*[:.)\]]", re.IGNORECASE)


class Walker(ReaderBase):
    """Walking the document (a part of :class:`~oncograph.relate.PatientExtractor`)."""

    def __init__(self, index: TermIndex, lexicon: Lexicon) -> None:
        self.index = index
        self.lexicon = lexicon
        self.patients: list[PatientDraft] = []
        self._current: PatientDraft | None = None
        self._placeholder = False
        self._section_id: int | None = None
        self._cited_paragraph: int | None = None
        self._dates: list[DateMention] = []
        self._title_tumors: list[str] = []  # the tumour types the document's title names
        self._title_evidence: Evidence | None = None  # and the title, as evidence for them
        self._resection = self._term("resection")
        self._excision = self._term("excision")
        self._metastasectomy = self._term("metastasectomy")

    def _term(self, label: str) -> str | None:
        term = self.index.find_label(label)
        return term.name if term else None

    # ------------------------------------------------------------------ walking
    def run(self, infos: Iterable[SentenceInfo]) -> tuple[Patient, ...]:
        """Walk the sentences in order and return the reconciled patients."""
        for info in infos:
            self._step(info)
        self._close_section()
        aged = [p for p in self.patients if p.age is not None]
        for p in [p for p in self.patients if p.age is None and not p.case_number]:
            if len(aged) == 1:
                aged[0].absorb(p)
                self.patients.remove(p)
        for i, p in enumerate(self.patients, 1):
            p.key = i
            if p.label.startswith("patient"):
                p.label = "patient" if len(self.patients) == 1 else f"patient {i}"
        return tuple(self._finish(p) for p in self.patients if self._has_content(p))

    @staticmethod
    def _has_content(p: PatientDraft) -> bool:
        return p.age is not None or bool(p.tumors or p.metastases or p.markers or p.treatments)

    def _close_section(self) -> None:
        cur = self._current
        if cur is not None and self._placeholder and cur.age is None:
            others = [p for p in self.patients if p is not cur]
            if len(others) == 1:
                others[0].absorb(cur)
                self.patients.remove(cur)
        self._current = None
        self._placeholder = False

    def _new_patient(self, label: str) -> PatientDraft:
        p = PatientDraft(key=len(self.patients) + 1, label=label)
        self.patients.append(p)
        return p

    def _step(self, info: SentenceInfo) -> None:
        s = info.sentence
        sec = s.section
        if s.index == 0 and sec.kind == "front" and not _MIMIC.search(s.text):
            self._title_tumors = [m.term for m in info.mentions if m.category == "tumor"]
            self._title_evidence = info.evidence
        if id(sec) != self._section_id:
            self._close_section()
            self._section_id = id(sec)
            self._cited_paragraph = None
            if sec.kind == "case":
                label = f"case {sec.case_number}" if sec.case_number else "patient"
                existing = [p for p in self.patients if p.case_number and p.case_number == sec.case_number]
                if existing:
                    self._current = existing[0]
                else:
                    self._current = self._new_patient(label)
                    self._current.case_number = sec.case_number
                    self._placeholder = True
            elif sec.kind == "results" and len(self.patients) == 1:
                self._current = self.patients[0]  # a report's results go on with its one patient
        if sec.kind not in NARRATIVE_SECTIONS:
            return
        text = s.text
        kind = sentence_kind(text)
        if self._cited_paragraph == s.paragraph:
            kind = SentenceKind.CITED
        intros = find_age_sex(text)
        if intros and kind == SentenceKind.CITED:
            self._cited_paragraph = s.paragraph
            return
        if intros and kind in (SentenceKind.PATIENT, SentenceKind.GENERIC, SentenceKind.SUMMARY):
            start, _end, age, sex = intros[0]
            if not re.search(r"\b(?:patients|cases)\b", text[:start]) or kind == SentenceKind.PATIENT:
                self._introduce(age, sex, sec.kind, info)
                kind = SentenceKind.PATIENT
        if kind != SentenceKind.PATIENT or self._current is None:
            return
        self._read_sentence(self._current, info)

    def _introduce(self, age: int, sex: str | None, section_kind: str, info: SentenceInfo) -> None:
        match = next((p for p in self.patients if p.age == age and (p.sex == sex or not p.sex or not sex)), None)
        cur = self._current
        if section_kind == "case" and cur is not None and self._placeholder and cur.age is None:
            if match is not None and match is not cur:
                if cur.case_number and not match.case_number:
                    match.label = cur.label
                match.absorb(cur)
                self.patients.remove(cur)
                self._current = match
            else:
                cur.age, cur.sex = age, sex
            self._placeholder = False
        elif match is not None:
            self._current = match
        else:
            n = len(self.patients) + 1
            self._current = self._new_patient("patient" if n == 1 else f"patient {n}")
            self._current.age, self._current.sex = age, sex
            self._placeholder = False
        if self._current is not None:
            if sex and not self._current.sex:
                self._current.sex = sex
            self._current.evidence.append(info.evidence)

    def _read_sentence(self, p: PatientDraft, info: SentenceInfo) -> None:
        text = info.sentence.text
        if not p.pronoun_sex:
            if re.search(r"\b(?:she|her)\b", text, re.IGNORECASE):
                p.pronoun_sex = "female"
            elif re.search(r"\b(?:he|his|him)\b", text, re.IGNORECASE):
                p.pronoun_sex = "male"
        when = self._when(p, info)
        mentions = list(info.mentions)
        size = tumour_size(text)
        if size is not None and not _METASTATIC_WORD.search(text) and not re.search(
                r"\b(?:recurren\w*|metasta\w*|lesions?|nodules?)\b", text, re.IGNORECASE):
            p.treatments.append(self._draft("size", "", When(), info, size_cm=size))
        self._tumors(p, info, mentions, when)
        self._resected_site(p, info, mentions, when)
        self._sites(p, info, mentions, when)
        self._markers(p, info, mentions)
        if not _CAPTION.match(text):  # a picture of a specimen shows what was done, it is not a new operation
            self._treatments(p, info, mentions, when)
        if _FOLLOW_UP.search(text) and when.strength == 3:
            p.treatments.append(TreatmentDraft("followup", "", when, info.evidence, info.sentence.index))

    def _finding(self, p: PatientDraft, kind: str, term: str, a: Assertion, info: SentenceInfo,
                 when: When) -> None:
        """Keep a finding the sentence names without asserting it (a relative's is not the patient's)."""
        if a.family or not term:
            return
        status = "negated" if a.negated else "uncertain" if a.uncertain else "hypothetical"
        p.negatives.append(FindingDraft(kind, term, replace(when), info.evidence, info.sentence.index, status=status,
                                        trigger=a.trigger))

    def _draft(self, kind: str, term: str, when: When, info: SentenceInfo, **attrs: Any) -> Any:
        """A draft of the type its kind takes, dated ``when``; an attribute the kind cannot carry is an error."""
        return DRAFT_TYPES[kind](kind, term, replace(when), info.evidence, info.sentence.index, **attrs)
