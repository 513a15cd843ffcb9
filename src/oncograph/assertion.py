"""Assertion status of a mention: the ConText algorithm with medspaCy's rule set, plus oncology rules.

ConText (Harkema et al., J Biomed Inform 2009) as medspaCy implements it: every
trigger phrase of the rules is found in the sentence; a trigger opens a scope
forward (to the end of the sentence), backward (to its start) or both; a
termination phrase ("but", "however", "apart from"…) and any later trigger of
the same category end a scope; a pseudo-trigger ("no significant change", "not
only") covers a phrase so that the shorter trigger inside it counts for nothing;
where triggers overlap, the longest wins. A mention in a trigger's scope takes
its category.

The rules are data: ``rules/context_medspacy_en.json`` is medspaCy's English
rule set (medspaCy 1.3.1, MIT licence, ``rules/LICENSE-medspacy.txt``), read as
it is; ``rules/context_oncology.json`` adds the wording of pathology and case
reports ("did not stain for", "was excluded", "could not be confirmed", "in the
differential", "rather than"), in the same format plus ``regex`` for a
punctuation or inflected trigger and ``PSEUDO`` as a direction. A rule's
``pattern`` is a list of spaCy-style tokens (``LOWER``, ``LOWER: {IN: […]}``,
``OP: "?"``), matched here on the text itself so every offset is an offset of
the sentence.

Categories and the status they give: ``NEGATED_EXISTENCE`` → negated,
``POSSIBLE_EXISTENCE`` → uncertain, ``HYPOTHETICAL`` → hypothetical,
``HISTORICAL`` → historical (still the patient's own fact), ``FAMILY`` → family.

Example
-------
>>> a = assertion_of("There was no metastasis in the liver.", "liver")
>>> a.negated, a.trigger
(True, 'no')
"""

from __future__ import annotations

import importlib.resources
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

__all__ = ["Assertion", "Modifier", "Rule", "assertion", "assertion_of", "modifiers", "rules"]

NEGATED, POSSIBLE, HYPOTHETICAL, HISTORICAL, FAMILY = (
    "NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HYPOTHETICAL", "HISTORICAL", "FAMILY")
FORWARD, BACKWARD, BIDIRECTIONAL, TERMINATE, PSEUDO = "FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"
_RULE_FILES = ("context_medspacy_en.json", "context_oncology.json")


@dataclass(frozen=True)
class Rule:
    """One ConText rule: a trigger phrase, its category and the direction of its scope."""

    category: str
    literal: str
    direction: str
    regex: re.Pattern[str]
    source: str


@dataclass(frozen=True)
class Modifier:
    """A trigger found in a sentence, with its scope (character offsets of the sentence)."""

    rule: Rule
    start: int
    end: int
    scope_start: int
    scope_end: int
    text: str

    @property
    def category(self) -> str:
        return self.rule.category

    @property
    def direction(self) -> str:
        return self.rule.direction


@dataclass(frozen=True)
class Assertion:
    """The status of a mention, and the trigger that gave it ("" when affirmed)."""

    negated: bool = False
    uncertain: bool = False
    hypothetical: bool = False
    historical: bool = False
    family: bool = False
    trigger: str = ""

    @property
    def affirmed(self) -> bool:
        """Stated of the patient as a fact (historical facts are; family, negated or hedged ones are not)."""
        return not (self.negated or self.uncertain or self.hypothetical or self.family)

    @property
    def status(self) -> str:
        """One word: negated, uncertain, hypothetical, family, historical or affirmed."""
        for name in ("negated", "uncertain", "hypothetical", "family", "historical"):
            if getattr(self, name):
                return name
        return "affirmed"


# ------------------------------------------------------------------------------------------ rules
def _token(spec: dict[str, object]) -> str:
    value = spec.get("LOWER", spec.get("TEXT", spec.get("LEMMA")))
    if isinstance(value, dict):
        words = value.get("IN") or value.get("in") or []
        return "(?:" + "|".join(re.escape(str(w)) for w in sorted(words, key=len, reverse=True)) + ")"
    if isinstance(value, str):
        return re.escape(value)
    raise ValueError(f"unsupported token pattern {spec!r}")


def _join(tokens: list[tuple[str, bool, bool]]) -> str:
    """Tokens (regex, optional, is-word) joined as spaCy tokens are: by spaces, or by nothing at punctuation."""
    out = ""
    for i, (tok, optional, word) in enumerate(tokens):
        sep = "" if i == 0 else (r"\s+" if word and tokens[i - 1][2] else r"\s*")
        piece = f"{sep}{tok}"
        out += f"(?:{piece})?" if optional else piece
    return out


def _compile(rule: dict[str, object], source: str) -> Rule:
    category, direction = str(rule["category"]).upper(), str(rule["direction"]).upper()
    literal = str(rule["literal"])
    if rule.get("regex"):
        body = str(rule["regex"])
    else:
        pattern = rule.get("pattern")
        if isinstance(pattern, list) and pattern:
            specs = [t for t in pattern if isinstance(t, dict)]
            tokens = []
            for spec in specs:
                tok = _token(spec)
                raw = spec.get("LOWER", spec.get("TEXT", ""))
                word = isinstance(raw, dict) or bool(re.match(r"\w", str(raw)))
                tokens.append((tok, spec.get("OP") == "?", word))
        else:
            tokens = [(re.escape(w), False, bool(re.match(r"\w", w)))
                      for w in re.findall(r"\w+|[^\w\s]", literal.lower())]
        body = _join(tokens)
        first_word, last_word = bool(re.match(r"\w", literal)), bool(re.search(r"\w$", literal))
        body = ("(?<!\\w)" if first_word else "") + body + ("(?!\\w)" if last_word else "")
    return Rule(category, literal, direction, re.compile(body, re.IGNORECASE), source)


def _rules_from(name: str) -> Iterable[Rule]:
    path = importlib.resources.files("oncograph").joinpath("rules", name)
    data = json.loads(path.read_text(encoding="utf-8"))
    for r in data["context_rules"]:
        yield _compile(r, name)


@cache
def rules() -> tuple[Rule, ...]:
    """Every rule: medspaCy's, then ours."""
    return tuple(r for name in _RULE_FILES for r in _rules_from(name))


# ------------------------------------------------------------------------------------------ the algorithm
# a trigger inside a relative clause ("a woman who had never smoked was found…") ends with the clause
_RELATIVE_OPEN = re.compile(r"\b(?:who|which|that)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_MAIN_VERB = re.compile(r"\b(?:was|were|is|are|had|has|have|underwent|presented|developed|received)\b",
                        re.IGNORECASE)


@lru_cache(maxsize=8192)
def modifiers(text: str) -> tuple[Modifier, ...]:
    """The triggers of ``text`` (one sentence) with their scopes, as ConText limits them."""
    found: list[tuple[int, int, Rule]] = []
    for rule in rules():
        for m in rule.regex.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), m.end(), rule))
    # where triggers overlap, the longest wins (a pseudo-trigger hides the trigger inside it)
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    kept: list[tuple[int, int, Rule]] = []
    for s, e, r in found:
        if not any(s < ke and ks < e for ks, ke, _ in kept):
            kept.append((s, e, r))
    kept.sort(key=lambda f: f[0])
    scopes = []
    for s, e, r in kept:
        lo = 0 if r.direction in (BACKWARD, BIDIRECTIONAL) else e
        hi = len(text) if r.direction in (FORWARD, BIDIRECTIONAL) else s
        if r.direction == FORWARD and _RELATIVE_OPEN.search(text[:s]):
            verb = _MAIN_VERB.search(text, e)
            if verb:
                hi = min(hi, verb.start())
        scopes.append([lo, hi])
    # a termination, or a later trigger of the same category, ends a scope (medspaCy's limit_scope)
    for i, (s, e, r) in enumerate(kept):
        if r.direction in (TERMINATE, PSEUDO):
            continue
        for j, (s2, e2, r2) in enumerate(kept):
            if i == j or not (r2.direction == TERMINATE or r2.category == r.category):
                continue
            if r.direction in (FORWARD, BIDIRECTIONAL) and s2 > s:
                scopes[i][1] = min(scopes[i][1], s2)
            if r.direction in (BACKWARD, BIDIRECTIONAL) and e2 < e:
                scopes[i][0] = max(scopes[i][0], e2)
    return tuple(Modifier(r, s, e, lo, hi, text[s:e]) for (s, e, r), (lo, hi) in zip(kept, scopes, strict=True))


def assertion(text: str, start: int, end: int) -> Assertion:
    """The status of the mention at ``text[start:end]`` of the sentence ``text``."""
    flags: dict[str, str] = {}
    for mod in modifiers(text):
        if mod.direction in (TERMINATE, PSEUDO) or (mod.start < end and start < mod.end):
            continue
        if mod.scope_start < end and start < mod.scope_end:
            flags.setdefault(mod.category, mod.text)
    trigger = next((flags[c] for c in (NEGATED, POSSIBLE, HYPOTHETICAL, FAMILY, HISTORICAL) if c in flags), "")
    return Assertion(negated=NEGATED in flags, uncertain=POSSIBLE in flags, hypothetical=HYPOTHETICAL in flags,
                     historical=HISTORICAL in flags, family=FAMILY in flags, trigger=trigger)


def assertion_of(text: str, word: str) -> Assertion:
    """The status of the first occurrence of ``word`` in ``text`` (for examples and tests)."""
    i = text.index(word)
    return assertion(text, i, i + len(word))
