"""From sentences and mentions to facts about the report's own patients.

The extractor walks the document once, keeping track of the patient a sentence
speaks of (a "Case 2" section, "A 58-year-old woman…", "In the second, a
37-year-old man…") and of the time the narrative has reached ("In May
2011", "Six years later").  Each sentence about a patient yields draft
facts; at the end, drafts of the same patient are reconciled: the abstract's
account and the case section's account merge, a generic mention ("spinal
metastasis", "surgery", "chemotherapy") yields to the specific ones it only
repeats, and the primary site is never also a metastasis.

The package, each module readable alone:

- ``drafts``: the records (a sentence with its mentions, the time, a typed draft per fact kind, a patient);
- ``tracking``: the walk, which patient each sentence is about, and what each sentence is read for;
- ``timeline``: the year and month of a fact;
- ``lesions``: tumours, primary sites, metastases and recurrences;
- ``markers``: marker results;
- ``treatments``: drugs, doses, lines, radiotherapy, operations, diagnostic procedures;
- ``reconcile``: a patient's drafts into its facts;
- ``extractor``: :class:`PatientExtractor`, the parts put together.
"""

from __future__ import annotations

from .drafts import SentenceInfo
from .extractor import PatientExtractor
from .tracking import NARRATIVE_SECTIONS

__all__ = ["NARRATIVE_SECTIONS", "PatientExtractor", "SentenceInfo"]
