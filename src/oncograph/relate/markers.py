"""Marker results: a status, a share of cells or a measured level, each on its own marker."""

from __future__ import annotations

import re

from ..context import assertion
from ..recognise import Mention
from .drafts import PatientDraft, ReaderBase, SentenceInfo, When

__all__ = ["MarkerReader"]

# marker polarity cues
_POST_POS = re.compile(
    r"\b(?:(?:was|were|is|are)\s+(?:(?:diffuse(?:ly)?|strong(?:ly)?|focal(?:ly)?|weak(?:ly)?|partial(?:ly)?|also|"
    r"all|both)\s+)*(?:positive|expressed|immunoreactive|detected|found|identified|present)(?!\s+(?:for|in|of)\b))|"
    r"\(\s*\+\s*\)|"
    r"-positive\b|\bpositive\b(?!\s+(?:for|in|of)\b)",
    re.IGNORECASE,
)
_POST_NEG = re.compile(
    r"\b(?:(?:was|were|is|are)\s+(?:(?:all|also|both|completely|entirely)\s+)*(?:negative|not expressed|not detected)"
    r"(?!\s+(?:for|in|of)\b))|\(\s*[-−–]\s*\)|-negative\b|\bnegative\b(?!\s+(?:for|in|of)\b)",
    re.IGNORECASE,
)
_PRE_POS = re.compile(
    r"\b(?:(?:positive|positivity|immunoreactivity|immunopositivity|reactivity) (?:for|in|of|to)|"
    r"stain(?:ed|ing)? (?:positively |strongly |diffusely )?for|express(?:ed|ion of|ing)|"
    r"immunoreactive (?:for|to)|immunopositive for)\b",
    re.IGNORECASE,
)
_PRE_NEG = re.compile(r"\b(?:(?:negative|negativity) (?:for|in|of)|not for|no (?:staining|expression|reactivity) "
                      r"(?:for|of)|but not|lack(?:ed|ing)? (?:expression of )?)\b", re.IGNORECASE)
# where a polarity stops: a new clause ("…negative for CK7, and a KRAS mutation was found")
_MARKER_BREAK = re.compile(r";|\bwhereas\b|\bwhile\b|\bbut\b|\bhowever\b|\.\s|"
                           r",\s*and\s+(?=(?:a|an|the|no|there|it|this|these)\b)", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"^[^.;%]{0,40}?(\d+(?:\.\d+)?)\s*%")
_UNIT = r"(?:ng|µg|μg|ug|pg|mg|k?U|m?IU|mU|nmol|pmol|µmol)\s*/\s*(?:m[lL]|d[lL]|[lL])"
_SERIAL_AFTER = re.compile(
    r"^[^.;%\d]{0,40}?\b(?:from|between)\s+(?P<first>\d+(?:[.,]\d+)?)\s*(?:" + _UNIT + r")?\s+(?:to|and)\s+"
    r"(?P<second>\d+(?:[.,]\d+)?)\s*(?P<unit>" + _UNIT + r")(?![\w/])")
# a gene named with a variant of it: "BRAF V600E mutation", "EGFR exon 19 deletion", "ALK rearrangement"
_VARIANT_AFTER = re.compile(
    r"^[\s-]*(?:(?:[A-Z]\d+[A-Z*]?|p\.\S+|c\.\S+|exon\s+\d+|codon\s+\d+|germline|somatic|pathogenic)\s+){0,3}"
    r"(?:mutations?|mutated|mutant|variants?|deletions?|insertions?|amplifi\w+|rearrange\w+|fusions?|"
    r"translocations?)\b")
_DENIED_BEFORE = re.compile(r"\b(?:no|not|without|absence of|neither|nor)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
# a serum level: "PSA of 12 ng/mL", "CA 19-9 was 800 U/mL"
_LEVEL_AFTER = re.compile(r"^[^.;%\d]{0,30}?(?<![\w.])(\d+(?:[.,]\d+)?)\s*(" + _UNIT + r")(?![\w/])")


class MarkerReader(ReaderBase):
    """Marker results (a part of :class:`~oncograph.relate.PatientExtractor`)."""

    def _markers(self, p: PatientDraft, info: SentenceInfo, mentions: list[Mention]) -> None:
        text = info.sentence.text
        markers = [m for m in mentions if m.category == "marker"]
        if not markers:
            return
        events: list[tuple[int, str, object]] = [(m.start, "marker", m) for m in markers]
        for regex, kind in ((_POST_POS, "post+"), (_POST_NEG, "post-"), (_PRE_POS, "pre+"), (_PRE_NEG, "pre-"),
                            (_MARKER_BREAK, "break")):
            for mm in regex.finditer(text):
                if kind.startswith("post") and any(mm.start() >= mk.start and mm.end() <= mk.end for mk in markers):
                    continue
                events.append((mm.start(), kind, mm))
        events.sort(key=lambda e: (e[0], e[1] != "pre-"))
        pre: str | None = None
        pending: list[Mention] = []
        status: dict[int, str] = {}

        def flush(polarity: str | None) -> None:
            for mk in pending:
                if polarity:
                    status.setdefault(mk.start, polarity)
            pending.clear()

        last_end = -1
        for pos, kind, obj in events:
            if pos < last_end and kind != "marker":
                continue
            if kind == "marker":
                pending.append(obj)  # type: ignore[arg-type]
            elif kind in ("post+", "post-"):
                if pre and pending:
                    # "negative for ER and PR, and HER2 was positive": a polarity after the list names only the
                    # markers of its own clause (after the last comma); those before keep the one before them
                    cut = text.rfind(",", pending[0].end, pos)
                    if cut >= 0:
                        own = [mk for mk in pending if mk.start > cut]
                        pending[:] = [mk for mk in pending if mk.start < cut]
                        flush(pre)
                        pending.extend(own)
                flush("positive" if kind == "post+" else "negative")
                pre = None
            elif kind in ("pre+", "pre-"):
                flush(pre)
                pre = "positive" if kind == "pre+" else "negative"
            else:
                flush(pre)
                pre = None
            if kind != "marker":
                last_end = obj.end()  # type: ignore[attr-defined]
        flush(pre)
        for mk in markers:
            value = _PERCENT_AFTER.match(text[mk.end:])
            if value and not re.search(r"\b(?:positive|negative)\b", text[mk.end:mk.end + value.end()]):
                pct = float(value.group(1))
                # "positive for ER (90%)": the share stained, and the polarity said before it
                pol = status.get(mk.start) if pct > 0 else None
                p.markers.append(self._draft("marker", mk.term, When(), info, status=pol,
                                             value=f"{value.group(1)}%", percent=pct))
                continue
            serial = _SERIAL_AFTER.match(text[mk.end:])
            if serial:
                # "CEA fell from 250 to 4.1 ng/mL": each measurement a result of its own
                unit = re.sub(r"\s+", "", serial.group("unit"))
                for v in (serial.group("first"), serial.group("second")):
                    p.markers.append(self._draft("marker", mk.term, When(), info, status=None, value=f"{v} {unit}"))
                continue
            level = _LEVEL_AFTER.match(text[mk.end:])
            if level and not re.search(r"\b(?:positive|negative)\b", text[mk.end:mk.end + level.end()]):
                unit = re.sub(r"\s+", "", level.group(2))
                p.markers.append(self._draft("marker", mk.term, When(), info, status=None,
                                             value=f"{level.group(1)} {unit}"))
                continue
            pol = status.get(mk.start)
            if not pol and _VARIANT_AFTER.match(text[mk.end:]):
                # "a BRCA1 variant", "KRAS G12D mutation": found unless the sentence denies it
                pol = "negative" if assertion(text, mk.start, mk.end).negated else "positive"
            if pol == "positive" and _DENIED_BEFORE.search(text[max(0, mk.start - 30):mk.start]):
                pol = "negative"  # "no ALK rearrangement was detected"
            if pol:
                p.markers.append(self._draft("marker", mk.term, When(), info, status=pol))
