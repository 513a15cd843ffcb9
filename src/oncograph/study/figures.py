"""The figures of one sentence of a study: each value with its measure, time point and subgroup.

A value takes the nearest measure before it that can have it (a percentage is a rate, a duration a
median or a time), or the one right after it ("a 50% response rate"); a sentence that names no
measure but speaks of "the interval" or "the rate" goes on with the measure of the sentence before.
What follows a value ("in responders", "for rectal primaries") or opens the sentence ("In arm B,")
is its subgroup.

>>> [(f.measure, f.value, f.unit) for f in sentence_figures("Median OS was 20 months in the elderly.").figures]
[('median overall survival in the elderly', 20.0, 'months')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..facts import Evidence, StudyStatistic
from .measures import Measure, MeasureMention, find_measures, measure_by_id
from .numbers import NUM, Value, find_values, parse_number, qualify, time_unit

__all__ = ["SentenceFigures", "count_figures", "sentence_figures"]


@dataclass
class SentenceFigures:
    """The figures of a sentence and the measure it ends on (carried to a next sentence)."""

    figures: list[StudyStatistic] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # where each figure's value is written in the sentence
    last: MeasureMention | None = None


_STOP = (r"(?=\s*[,;:]|\s*\.\s*$|\.\s+(?-i:[A-Z])|\s+(?:and|or|but|whereas|while|versus|vs\.?|compared|respectively|"
         r"although|"
         r"though|which|than)\b|\s+\(?(?:p|hr|or)\s*[=<>]|\s*$)")
_AFTER = re.compile(
    r"^\s*(?:\([^()]*\)\s*)?(?P<sub>(?:for|in|among|with|without|after|once|since|from|of)\s+"
    rf"(?:[^,;()]|\([^()]*\))+?){_STOP}",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"^\s*(?:(?:however|overall|moreover|similarly|likewise|in addition|finally),?\s+)?(?P<sub>(?:in|among|for|"
    r"within)\s+"
    r"(?!all\b|total\b|this\b|these\b|our\b|the (?:whole|entire|present|current)\b)[^,;]{2,60}?)(?:,\s*|"
    r"\s+(?=(?-i:the|a|an)\b|median|mean|"
    r"overall|(?-i:[A-Z]{2,})\b))",
    re.IGNORECASE,
)
_SUBJECT = re.compile(
    r"^\s*(?P<sub>(?:(?:the\s+)?(?:group|arm|cohort)\s+(?:[A-Z]|\d+|[IVX]+)\b|(?:the\s+)?(?:patients|those|cases)\s+"
    r"(?:with|without|who|treated|receiving|undergoing|given|in|older|younger|aged|over|under)\b[^,;]{2,60}?))\s+(?:also\s+)?"
    r"(?:had|showed|achieved|experienced|reached|demonstrated|attained|displayed)\b",
    re.IGNORECASE,
)
_CARRY = re.compile(r"\b(?:interval|intervals|rates?|figures?|durations?|times?|corresponding|respective)\b|"
                    r"^\s*(?:it|this|these|they)\b",
                    re.IGNORECASE)
_EVENT_TIME = re.compile(
    rf"(?P<event>(?:[\w-]+\s+){{0,3}}(?:metastas[ie]s|metastasis|recurrence|relapse|progression|death|spread|deposits?))\s+"
    r"(?:was\s+|were\s+)?(?:appeared|developed|occurred|arose|was diagnosed|were diagnosed|diagnosed|followed|"
    r"recurred|emerged|presented)\s+(?P<stat>on average|at a median of|a median of|after a median of|a mean of|"
    r"after a mean of|at a mean of|after an average of|on median)?\s*(?:about|approximately|around|roughly)?\s*"
    rf"(?={NUM}\s*(?:months?|years?|weeks?|days?))",
    re.IGNORECASE,
)
_RATIO_VALUE = re.compile(rf"\s*(?:\([^()]*\)\s*|\[[^\[\]]*\]\s*)?(?:for\s+[^,;=()]{{2,50}}?\s*)?[\s,:=]*"
                          rf"(?:of|was|were|=|:|is)?\s*(?P<num>{NUM})"
                          r"(?![\w%])(?!\s*(?:%|months?|years?|weeks?|patients))", re.IGNORECASE)


def _measure_of(measure: Measure, start: int, end: int, label: str, stat: str = "") -> MeasureMention:
    return MeasureMention(start, end, measure, label, stat)


def _subgroup(text: str) -> str:
    """A subgroup as the figure names it, in canonical words."""
    s = " ".join(text.split()).strip(" ,;")
    if s[:1].isupper() and s[1:2].islower():
        s = s[0].lower() + s[1:]
    s = re.sub(r"\s*(?:\bplus\b|\+)\s*", " and ", s)
    s = re.sub(r"\b([A-Z]{2,})s\b", r"\1", s)  # "TKIs" → "TKI"
    s = re.sub(r"^(?:once|after|when|since)\s+(?:the\s+)?(.+?)\s+(?:had\s+been|has\s+been|was|were)\s+"
               r"(?:diagnosed|detected|found|resected)$", r"after \1", s, flags=re.IGNORECASE)
    low = s.lower()
    if re.fullmatch(r"(?:for|in|among|across)\s+(?:the\s+)?(?:whole|entire|overall|total|full)\s+(?:cohort|series|"
                    r"group|"
                    r"population|sample)|(?:in|for|among)\s+all\s+(?:\d+\s+)?(?:patients|cases)|overall", low):
        return ""  # the cohort as a whole
    if re.search(r"\b(?:with|achieving|who had)\s+(?:an?\s+)?(?:objective\s+|partial\s+|complete\s+)?response\b|"
                 r"\bwho responded\b|\bresponding\b", low) and "non" not in low:
        s += " (responders)"
    elif re.search(r"\bwithout\s+(?:an?\s+)?(?:objective\s+)?response\b|\bwho did not respond\b|\bnon-?respond", low):
        s += " (non-responders)"
    return s


def _without(sub: str, previous: str) -> str:
    """ "in those without" after "in patients with a complete response": the complement group."""
    if re.search(r"\bwithout\s*$", sub, re.IGNORECASE) and previous:
        pm = re.search(r"\bwith\s+(.+)", previous, re.IGNORECASE)
        rest = pm.group(1) if pm else previous
        rest = re.sub(r"\s*\((?:responders)\)$", "", rest)
        out = f"{sub} {rest}"
        return out + (" (non-responders)" if "(responders)" in previous else "")
    return sub


def _name(m: MeasureMention, stat: str, point: tuple[float, str] | None, unit: str, subgroup: str) -> str:
    words = []
    if stat and not m.label.startswith(stat):
        words.append(stat)
    if point:
        n = int(point[0]) if point[0] == int(point[0]) else point[0]
        words.append(f"{n}-{point[1].rstrip('s')}")
    words.append(m.label)
    if m.measure.kind == "survival" and unit == "%" and "rate" not in m.label:
        words.append("rate")
    if subgroup:
        words.append(subgroup)
    return " ".join(words)


def _ratio_values(text: str, measures: Sequence[MeasureMention], taken: Sequence[Value]) -> list[Value]:
    out: list[Value] = []

    for m in measures:
        if m.measure.kind != "ratio":
            continue
        rv = _RATIO_VALUE.match(text, m.end)
        if not rv:
            continue
        v = parse_number(rv.group("num"))
        if v is None or v > 100:
            continue
        s, e = rv.start("num"), rv.end("num")
        if any(t.start <= s < t.end for t in taken):
            continue
        q, _end = qualify(text, e)
        out.append(Value(s, e, v, "ratio", **q))  # type: ignore[arg-type]
    return out


def sentence_figures(text: str, evidence: Evidence | None = None, *, defined: Mapping[str, str] | None = None,
                     sites: Sequence[tuple[int, int]] = (), carried: MeasureMention | None = None) -> SentenceFigures:
    """The measured figures (rates, times, ratios) of one sentence.

    Parameters
    ----------
    text : str
        The sentence.
    evidence : Evidence, optional
        Where it was read; every figure carries it.
    defined : mapping, optional
        Short forms the document defines for measures ("RR" → "ResponseRate").
    sites : sequence of (start, end)
        Site mentions of the sentence (they qualify a measure written right after them).
    carried : MeasureMention, optional
        The measure the sentence before ended on.
    """
    ev = (evidence,) if evidence is not None else ()
    measures = find_measures(text, defined, sites)
    for em in _EVENT_TIME.finditer(text):
        event = re.sub(r"^(?:the|a|an)\s+", "", em.group("event").strip(), flags=re.IGNORECASE)
        if event[:1].isupper() and not event[1:2].isupper():
            event = event[0].lower() + event[1:]
        stat_words = (em.group("stat") or "").lower()
        stat = "median" if "median" in stat_words else ("mean" if stat_words else "")
        measures.append(_measure_of(measure_by_id("TimeToEvent"), em.start(), em.end(), f"time to {event}", stat))
    measures.sort(key=lambda m: m.start)
    values = find_values(text)
    values = sorted(values + _ratio_values(text, measures, values), key=lambda v: v.start)
    out = SentenceFigures(last=carried)
    lead = _LEAD.match(text) or _SUBJECT.match(text)
    lead_sub = _subgroup(lead.group("sub")) if lead else ""
    uses: dict[int, int] = {}
    covered: list[tuple[int, int]] = []  # the subgroups read so far: no figure starts inside one
    compared = _compared(text, values)
    previous_sub = ""
    for v in values:
        subject = ""
        if v.count is not None and v.unit == "%":
            clause = _clause_start(text, v.start)
            m = _nearest([x for x in measures if x.start >= clause], v,
                         accept=lambda x: x.measure.kind in ("rate", "survival"))
            if m is None and v.denominator is not None:
                # "… in 30 patients (60%), and X was seen in 12 of these 30 (40%)": X among the group before
                m = _nearest(measures, v, accept=lambda x: x.measure.kind == "rate")
                sm = _SHARE_SUBJECT.search(text[clause:v.start])
                subject = _subgroup(sm.group("subject")) if sm else ""
            if m is None:
                continue  # a share of patients with something: read with the counts
        else:
            m = _nearest(measures, v)
        if m is None and carried is not None and carried.measure.accepts(v.unit) and _CARRY.search(text):
            m = carried
        if m is None:
            continue
        if v.unit == "%" and m.measure.kind == "rate" and v.value > 100:
            continue
        out.last = m
        i = uses.get(id(m), 0)
        if v.unit == "%":
            uses[id(m)] = i + 1
        point = None
        if m.time_points:  # shared out in order, and again for a second group ("… and 96% and 85% for …")
            point = m.time_points[i % len(m.time_points)]
        if m.measure.kind == "survival" and v.unit != "%":
            point = None
        elif point is None and v.unit == "%":
            pa = _POINT_AFTER.match(text, v.span_end)
            if pa:
                n = parse_number(pa.group("n"))
                point = (n, time_unit(pa.group("unit"))) if n is not None else None
        if any(a <= v.start < b for a, b in covered):
            continue  # "… 35% after a median of 20 months": part of the figure before
        after = _AFTER.match(text[v.span_end:])
        if after:
            covered.append((v.end, v.span_end + after.end()))
        sub = _subgroup(after.group("sub")) if after else ""
        nxt = next((w for w in values if w.start > v.start and w.unit == v.unit), None)
        if not sub and nxt is not None and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*",
                                                        text[v.span_end:nxt.start]):
            shared = _AFTER.match(text[nxt.span_end:])  # "96% and 85% for patients without": both
            sub = _subgroup(shared.group("sub")) if shared else ""
        if not sub and v.unit != "ratio":
            sub = compared.get(v.start, "")
        sub = _without(sub, previous_sub)
        if sub:
            previous_sub = sub
        if not sub:
            sub = subject or _label_before(text, v, measures)
        if not sub and m.end <= v.start:
            inner = _INNER.match(text, m.end)
            if inner and inner.end() <= v.start:
                sub = _subgroup(inner.group("sub"))
        if not sub and v.unit == "ratio":
            rs = _RATIO_SUBJECT.match(text[_clause_start(text, m.start):m.start]) or _RATIO_SUBJECT.match(text)
            if rs:
                sub = _subgroup(rs.group("subject"))
        if not sub and v.unit == "ratio" and re.search(r"[(\[]\s*$", text[:m.start]):
            # "hepatic metastasis (HR, 1.9; …) and age over 70 years (HR, 1.4; …)": what stands before the bracket
            bracket = re.search(r"[(\[]\s*(?:(?:adjusted\s+)?(?:hazard|odds|risk|rate)\s+ratios?|relative\s+risk)?\s*"
                                r"[(\[]?\s*$", text[:m.start])
            before = text[:bracket.start()] if bracket else text[:m.start]
            cut = max(before.rfind(","), before.rfind(";"), before.rfind(":"), before.rfind(" and "),
                      before.rfind("("))
            sub = _subgroup(re.sub(r"^(?:\s*and\s+|\s+)", "", before[cut + 1:]))
        if not sub and lead_sub and (lead is None or lead.start("sub") < m.start + 1 or lead.end() <= v.start):
            sub = lead_sub
        stat = m.statistic
        if not stat and m.measure.kind in ("survival", "time", "age") and v.unit != "%":
            before = text[max(0, m.start - 25):v.start]
            stat = "median" if re.search(r"\bmedian\b", before, re.IGNORECASE) else (
                "mean" if re.search(r"\b(?:mean|average|averaged|on average)\b", before, re.IGNORECASE) else "")
        name = _name(m, stat, point, v.unit, sub)
        out.figures.append(StudyStatistic(
            name, v.value, v.unit, v.count, ev, m.measure.id, stat or ("rate" if v.unit == "%" else ""),
            point[0] if point else None, point[1] if point else "", v.low, v.high, v.interval, v.p_value,
            v.denominator, sub))
        out.positions.append(v.start)
    _respectively(text, out.figures)
    for figure, position in _lone_p_values(text, values, ev):
        out.figures.append(figure)
        out.positions.append(position)
    return out


_POINT_AFTER = re.compile(rf"\s*(?:\([^()]*\)\s*)?at\s+(?P<n>{NUM})\s*(?P<unit>years?|months?|weeks?|"
                          rf"days?)\b", re.IGNORECASE)
_ITEMS = re.compile(r"^(?P<prep>in|for|among|with|after)\s+(?:the\s+)?(?:(?P<noun>[a-z-]+)\s+)?"
                    r"(?P<items>[\w-]+(?:\s+[\w-]+)?(?:\s*,\s*[\w-]+(?:\s+[\w-]+)?)*\s*,?\s+and\s+[\w-]+(?:\s+[\w-]+)?)$",
                    re.IGNORECASE)


_RESPECTIVE = re.compile(r"(?P<sub>\b(?:in|for|among|with|after)\s+[^;:()]+?\s+and\s+[^,;:()]+?),?\s+respectively\b",
                         re.IGNORECASE)


def _respectively(text: str, figures: list[StudyStatistic]) -> None:
    """ "45% and 30% in arms A and B, respectively": each value has its own subgroup, in order."""
    if not figures or not re.search(r"\brespectively\b", text, re.IGNORECASE):
        return
    last = figures[-1]
    said = [m.group("sub") for m in _RESPECTIVE.finditer(text)]
    im = _ITEMS.match(" ".join(said[-1].split())) if said else None
    if not im:
        return
    items = [x for x in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", im.group("items")) if x]
    group = [i for i, f in enumerate(figures) if f.measure_id == last.measure_id and f.unit == last.unit]
    group = group[-len(items):]
    if len(items) < 2 or len(group) != len(items):
        return
    noun = im.group("noun") or ""
    if noun and any(x.lower().startswith(noun.lower() + " ") for x in items[1:]):
        items[0], noun = f"{noun} {items[0]}", ""  # "for stage I and stage II"
    if noun.lower().endswith("s") and len(noun) > 3:
        noun = noun[:-1]
    for i, item in zip(group, items, strict=True):
        f = figures[i]
        sub = " ".join(x for x in (im.group("prep"), noun, item) if x)
        base = f.measure[: len(f.measure) - len(f.subgroup)].rstrip() if f.subgroup and f.measure.endswith(f.subgroup) \
            else f.measure
        figures[i] = replace(f, measure=f"{base} {sub}", subgroup=sub)


_P_ANY = re.compile(r"\(?\s*\b[pP](?:\s*-?\s*value)?\s*(?P<cmp>[=<>≤≥])\s*(?P<p>0?\.\d+|1(?:\.0+)?)\s*\)?")


def _lone_p_values(text: str, values: Sequence[Value], ev: tuple[Evidence, ...]) -> list[tuple[StudyStatistic, int]]:
    """A p-value that qualifies no figure: the comparison the clause before it states."""
    out: list[tuple[StudyStatistic, int]] = []
    for p in _P_ANY.finditer(text):
        if any(v.end <= p.start() < v.span_end for v in values):
            continue
        value = parse_number(p.group("p"))
        if value is None:
            continue
        start = max(text.rfind(";", 0, p.start()), text.rfind(". ", 0, p.start())) + 1
        comparison = " ".join(text[start:p.start()].split()).strip(" ,;(")
        comparison = re.sub(r"\b(with|without|before|after)\s+and\s+(with|without|before|after)\b", r"\1 vs \2",
                            comparison, flags=re.IGNORECASE)
        if not comparison:
            continue
        cmp = "" if p.group("cmp") == "=" else p.group("cmp")
        out.append((StudyStatistic(f"p value: {comparison}", value, "p", None, ev, "PValue", "",
                                   p_value=cmp + p.group("p"), subgroup=comparison), p.start("p")))
    return out


_LABEL_BEFORE = re.compile(r"(?:^|[:;,(]|\bvs\.?|\bversus|"
                           r"\band)\s*(?P<label>(?:[\w+/-]+\s+){0,3}?[\w+/-]+)\s*[:=]?\s*$",
                           re.IGNORECASE)
_NOT_LABEL = re.compile(r"\b(?:was|were|is|are|had|has|of|at|to|the|a|an|about|approximately|median|mean|compared|"
                        r"averaged|lasted|ranged|by|than|be|been)\b", re.IGNORECASE)


def _label_before(text: str, v: Value, measures: Sequence[MeasureMention]) -> str:
    """A subgroup named right before its value in a list: "node-negative 40 months vs node-positive 19 months"."""
    before = text[:v.start]
    lb = _LABEL_BEFORE.search(before)
    if not lb or _NOT_LABEL.search(lb.group("label")) or re.search(r"\d", lb.group("label")):
        return ""
    if any(m.start < v.start and m.end > lb.start("label") for m in measures):
        return ""
    return _subgroup(lb.group("label"))


_THAN = re.compile(
    r"(?P<a>[^,;()]{3,80}?)\s+(?:had|showed|achieved|reached)\s+(?:a\s+|an\s+)?(?:significantly\s+|markedly\s+)?"
    r"(?:longer|shorter|higher|lower|better|worse|greater|smaller)\s+[^,;()]{2,60}?\s+than\s+(?P<b>[^,;()]{3,80}?)\s*\(",
    re.IGNORECASE)


def _compared(text: str, values: Sequence[Value]) -> dict[int, str]:
    """ "A had a longer PFS than B (12.1 vs 5.3 months)": the two values in the bracket are A's and B's."""
    out: dict[int, str] = {}
    for t in _THAN.finditer(text):
        close = text.find(")", t.end())
        inside = [v for v in values if t.end() <= v.start < (close if close >= 0 else len(text))]
        if len(inside) >= 2:
            out[inside[0].start] = _subgroup(t.group("a"))
            out[inside[1].start] = _subgroup(t.group("b"))
    return out


_INNER = re.compile(r"\s+(?P<sub>(?:after|from|since|following|in|among|for|with|without|of\s+(?=patients|those|cases))"
                    r"\s*[^,;()]{2,60}?)\s+"
                    r"(?:was|were|is|reached|averaged)\b", re.IGNORECASE)
_RATIO_SUBJECT = re.compile(
    r"^\s*(?:(?:on|in)\s+(?:multi|uni)?variab?l?e?\w*\s+(?:cox\s+)?(?:regression\s+)?analys[ie]s,?\s*)?(?:the\s+)?"
    r"(?P<subject>(?!a\b|an\b|the\b)[\w][^,;()]{2,60}?)\s+(?:carried|was associated with|were associated with|"
    r"predicted|"
    r"increased|reduced|doubled|halved|conferred|remained|improved|worsened|prolonged|shortened|lowered|raised|was "
    r"an? (?:independent )?(?:risk|prognostic) factor)\b",
    re.IGNORECASE)
_SHARE_SUBJECT = re.compile(
    r"^\s*(?:and\s+|but\s+|while\s+|whereas\s+)?(?:the\s+)?(?P<subject>[\w][\w\s-]{2,60}?)\s+(?:was|were)?\s*"
    r"(?:developed|documented|found|seen|observed|occurred|noted|present|detected|identified|confirmed|involved|"
    r"affected)\s+in\s+"
    rf"(?:{NUM})\b", re.IGNORECASE)


def _clause_start(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` starts (after the last comma, semicolon or colon before it)."""
    cut = max(text.rfind(",", 0, pos), text.rfind(";", 0, pos), text.rfind(":", 0, pos))
    return cut + 1 if cut >= 0 else 0


def _nearest(measures: Sequence[MeasureMention], v: Value, accept=None) -> MeasureMention | None:  # type: ignore[no-untyped-def]
    ok = [m for m in measures if m.measure.accepts(v.unit) and (accept is None or accept(m))]
    before = [m for m in ok if m.end <= v.start]
    if before:
        return before[-1]
    after = [m for m in ok if m.start >= v.end and m.start - v.end <= 25]
    return after[0] if after else None


# ---------------------------------------------------------------------------- counts of patients
_NOUN = r"(?:patients?|cases?|subjects?|participants?|tumou?rs?|lesions?|individuals?)"
_SEX = re.compile(rf"(?<![\d.,])\b(?P<n>{NUM})\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?"
                  rf"(?:were\s+|(?:{_NOUN})\s+were\s+)?(?P<sex>men|males?|male patients|boys|women|"
                  r"females?|female patients|girls)\b", re.IGNORECASE)
_VERB = (r"(?P<verb>were|was|had|showed|harboured|harbored|carried|received|underwent|developed|presented with|"
         r"achieved|died|survived)")
_WHAT = (r"(?P<what>(?:[^,;.()]|\([^()]*\))+?)"
         rf"(?=\s*[,;.]|\s+and\s+(?:{NUM}|the|in)\b|\s+while\b|\s+whereas\b|\s*\((?!\s*[A-Z]{{2,}})|$)")
_HAD = re.compile(
    rf"(?:^|(?<!\d)[,;:(]\s*|\band\s+|\bwhile\s+|\bwhereas\s+)(?P<n>{NUM})\s+(?:[a-z-]+\s+)?{_NOUN}\s+"
    r"(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?"
    rf"(?:of\s+(?:these|them)\s+)?{_VERB}\s+{_WHAT}",
    re.IGNORECASE,
)
_COHORT_WORD = re.compile(r"(?:identified|included|enrolled|analy[sz]ed|reviewed|eligible|evaluable|recruited|"
                          r"studied|selected|registered)(?:\s+\w+)?", re.IGNORECASE)
_SHARE_IN = re.compile(
    rf"(?:^|[,;]\s*|\band\s+)(?P<what>[A-Za-z][\w\s/-]{{2,60}}?)\s+(?:occurred|developed|was seen|was observed|"
    rf"was reported|was noted|were seen|were observed)\s+in\s+(?P<pct>{NUM})\s*%", re.IGNORECASE)
_AND_IN = re.compile(rf"\band\s+(?P<what>[A-Za-z][\w\s/-]{{2,40}}?)\s+in\s+(?P<pct>{NUM})\s*%", re.IGNORECASE)
_AND_MORE = re.compile(rf"\b(?:and|while|whereas)\s+(?P<n>{NUM})\s+{_VERB}\s+{_WHAT}", re.IGNORECASE)
_OF_THESE = re.compile(rf"\bof\s+(?:these|them|whom|"
                       rf"those)(?:\s+\w+)?,?\s+(?P<n>{NUM})\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?{_VERB}\s+{_WHAT}",
                       re.IGNORECASE)
_RESPECTIVELY = re.compile(
    r"(?<![\w-])(?P<what>(?:(?!and\b|or\b)[\w-]+(?:\s[\w-]+)?\s*,\s*)+(?!and\b|or\b)[\w-]+(?:\s[\w-]+)?\s*,?\s+(?:and|or)\s+"
    r"[\w-]+(?:\s+[\w-]+){0,2}?)\s+"
    r"(?:was|were)\s+(?:found|seen|present|detected|observed|identified|noted|reported|performed|given|documented)\s+"
    rf"in\s+(?P<nums>(?:{NUM}\s*,\s*)+{NUM}\s*,?\s*(?:and|or)\s+{NUM})(?:\s+{_NOUN})?,?\s*respectively",
    re.IGNORECASE,
)
_FOUND_IN = re.compile(
    r"(?P<what>[\w][\w\s/-]{2,60}?)\s+(?:(?:was|were)\s+(?:found|seen|present|detected|observed|identified|noted|"
    r"reported|performed|given|administered|documented|recorded|diagnosed)|occurred|developed|arose|was\s+seen)\s+in\s+"
    rf"(?P<nums>(?:{NUM}\s*,\s*)*{NUM}(?:\s*,?\s*(?:and|or)\s+{NUM})?)(?![\d.])(?!\s*%)"
    rf"(?:\s+(?:{_NOUN}))?(?P<resp>,?\s*respectively)?(?!\s*(?:of|/))",
    re.IGNORECASE,
)
_GROUP = re.compile(
    rf"\b(?P<label>(?:group|arm|cohort)\s+(?:[A-Z]|\d+|[IVX]+))\b(?:\s*[,(]\s*|\s+)\(?\s*n\s*=\s*(?P<n>{NUM})\s*\)?",
    re.IGNORECASE,
)


def _singular(what: str) -> str:
    """The last noun of a characteristic in the singular: "exon 11 mutations" → "exon 11 mutation"."""
    words = what.split()
    if not words:
        return what
    last = words[-1]
    if last.lower().endswith("stases"):
        words[-1] = last[:-2] + "is"
    elif len(last) > 4 and last.lower().endswith("s") and not last.lower().endswith(("ss", "us", "is", "ies")):
        words[-1] = last[:-1]
    return " ".join(words)


def count_figures(text: str, evidence: Evidence | None = None, *, cohort: int | None = None,
                  site_spans: Sequence[tuple[int, int]] = ()) -> list[StudyStatistic]:
    """Counts of the cohort's patients with a characteristic: sex, a finding, a treatment, a group."""
    ev = (evidence,) if evidence is not None else ()
    out: list[StudyStatistic] = []
    groups = {}
    for g in _GROUP.finditer(text):
        n = parse_number(g.group("n"))
        if n is not None:
            label = " ".join(g.group("label").split())
            label = label[0].lower() + label[1:]
            groups[int(n)] = label
            out.append(StudyStatistic(label, n, "patients", int(n), ev, "PatientCount", "count", subgroup=label))
    for s in _SEX.finditer(text):
        n = parse_number(s.group("n"))
        if n is None or (cohort is not None and n > cohort):
            continue
        sex = "male" if s.group("sex").lower().startswith(("m", "b")) else "female"
        out.append(StudyStatistic(f"{sex} patients", n, "patients", int(n), ev, "PatientCount", "count",
                                  subgroup=sex))

    def site_in(a: int, b: int) -> bool:
        return any(a <= s and e <= b for s, e in site_spans)

    def add(what: str, n: float, a: int, b: int) -> None:
        what = re.sub(r"\s*\([^()]*\bn\s*=\s*\d+[^()]*\)", "", " ".join(what.split()))
        what = re.sub(r"^(?:the|a|an|also|both|all|only)\s+", "", what, flags=re.IGNORECASE)
        if what[:1].isupper() and what[1:2].islower():
            what = what[0].lower() + what[1:]
        what = re.sub(r"\s+(?:at|on)\s+(?:presentation|diagnosis)$", "", what)
        if _COHORT_WORD.fullmatch(what):
            return  # "8,921 patients were identified": the cohort itself, not a characteristic
        if not what or len(what.split()) > 12 or site_in(a, b) or (cohort is not None and n >= cohort):
            return
        label = _singular(what)
        if int(n) in groups:
            label = f"{groups[int(n)]}: {label}"
        out.append(StudyStatistic(label, n, "patients", int(n), ev, "PatientCount", "count", subgroup=label))

    had = list(_HAD.finditer(text))
    more = [a for a in _AND_MORE.finditer(text) if had and a.start() > had[0].start()
            and all(a.start() != h.start() for h in had)]
    for h in (*had, *more, *_OF_THESE.finditer(text)):
        n = parse_number(h.group("n"))
        if n is None or re.match(r"(?:male|female|men|women)\b", h.group("what"), re.IGNORECASE):
            continue
        if re.match(r"\s*(?:in|at|on|from|of)\b", h.group("what")):
            continue  # "three were in the ileum": a site, read as a site count
        what = h.group("what") if h.group("verb").lower() in ("were", "was", "had") else \
            f"{h.group('verb').lower()} {h.group('what')}"
        add(what, n, h.start("what"), h.end("what"))
    for r in _RESPECTIVELY.finditer(text):
        nums = [x for x in (parse_number(y) for y in re.findall(NUM, r.group("nums"), re.IGNORECASE)) if x is not None]
        items = [x for x in re.split(r"\s*,\s*|\s+(?:and|or)\s+", r.group("what")) if x]
        if len(items) != len(nums):
            continue
        last = items[-1].split()
        tail = last[-1] if len(last) > len(items[0].split()) else ""
        for item, n in zip(items, nums, strict=True):
            add(item if not tail or item.endswith(tail) else f"{item} {tail}", n, r.start(), r.start())
    for f in _FOUND_IN.finditer(text):
        if f.group("resp"):
            continue
        nums = [x for x in (parse_number(y) for y in re.findall(NUM, f.group("nums"), re.IGNORECASE)) if x is not None]
        what = re.sub(r"^(?:on\s+[\w\s]+?,\s*)", "", f.group("what"), flags=re.IGNORECASE)
        if len(nums) != 1:
            continue
        share = re.match(rf"\s*[(\[]\s*(?P<pct>{NUM})\s*(?:%|per\s?cent|"
                         rf"percent)\s*[)\]]", text[f.end():], re.IGNORECASE)
        if share:
            if find_measures(what):
                continue  # "recurrence … in 17 patients (94%)": the rate of a measure, read with the figures
            pct = parse_number(share.group("pct"))
            if pct is not None and not site_in(f.start("what"), f.end("what")):
                label = _singular(re.sub(r"^(?:the|a|an)\s+", "", " ".join(what.split()), flags=re.IGNORECASE))
                out.append(StudyStatistic(f"proportion with {label}", pct, "%", int(nums[0]), ev, "Prevalence", "rate",
                                          subgroup=label))
            continue
        add(what, nums[0], f.start("what"), f.end("what"))
    for sm in _SHARE_IN.finditer(text):
        shares = [(sm.group("what"), sm.group("pct"))]
        for am in _AND_IN.finditer(text, sm.end()):
            shares.append((am.group("what"), am.group("pct")))
        for w, pc in shares:
            value = parse_number(pc)
            w = re.sub(r"^(?:the|a|an)\s+", "", " ".join(w.split()), flags=re.IGNORECASE)
            if value is None or find_measures(w) or site_in(text.find(w), text.find(w) + len(w)):
                continue
            out.append(StudyStatistic(f"proportion with {_singular(w)}", value, "%", None, ev, "Prevalence", "rate",
                                      subgroup=_singular(w)))
    return out
