"""Section headings: the one table of the names reports give their sections, and what each opens.

``normalise`` uses every row to tell a heading line from text; ``segment`` uses the rows with a kind to
open a section of that kind (a row without one is a heading line that opens no section of its own:
"Treatment", "Follow-up" and the like stay in the case they belong to).

>>> import re
>>> [kind for pattern, kind in HEADINGS if kind and re.fullmatch(pattern, "case presentation")]
['case']
>>> [kind for pattern, kind in HEADINGS if re.fullmatch(pattern, "follow-up")]
[None]
"""

from __future__ import annotations

__all__ = ["HEADINGS", "NAMES"]

#: (pattern, kind of section): patterns are matched whole, in lower case, without numbering
HEADINGS: tuple[tuple[str, str | None], ...] = (
    (r"abstract|summary", "abstract"),
    (r"background|purpose|objectives?|aims?|introduction and objectives?", "abstract_background"),
    (r"(?:materials? and |patients and |subjects and )?methods?", "methods"),
    (r"results?|findings", "results"),
    (r"conclusions?|interpretation", "conclusion"),
    (r"introduction", "introduction"),
    (r"case (?:reports?|presentations?|descriptions?|histor(?:y|ies)|summar(?:y|ies))"
     r"|clinical (?:case|presentation)|report of (?:the )?cases?", "case"),
    (r"(?:case|patient)\s+(?:no\.?\s*)?(?:\d+|one|two|three|four|five|i{1,3}|iv|v)", "case_n"),
    (r"discussion|comments?", "discussion"),
    (r"key ?words?|index terms|mesh terms", "keywords"),
    (r"references?|bibliography|acknowledge?ments?|funding|conflicts? of interests?|"
     r"disclosures?|author contributions?|declarations?|ethics.*", "back"),
    # heading lines that open no section of their own
    (r"methodology|(?:materials?|patients?|subjects?)(?: and| &) methods", None),
    (r"case (?:reports?|presentations?|descriptions?|history|summary|series)|(?:clinical )?presentation", None),
    (r"(?:case|patient) (?:\d{1,2}|[ivx]{1,4}|[a-d])|reports? of (?:a |two |three |the )?cases?", None),
    (r"review of (?:the )?literature|literature review", None),
    (r"key ?words|abbreviations|acknowledge?ments?|references|bibliography", None),
    (r"funding|conflicts? of interest|declarations?|ethics(?: statement)?|author contributions|consent", None),
    (r"treatment|follow-up|outcome|pathology|imaging", None),
)

#: every heading name, as one alternation (for a regular expression)
NAMES = "|".join(f"(?:{p})" for p, _ in HEADINGS)
