"""Find the vocabulary's terms in text: one Aho-Corasick pass, longest match, word boundaries.

The lexicon holds every label and exact synonym of the vocabulary (about
250,000 strings), the clinical forms of ``ontology/vocabulary/forms.tsv``, and
the variants this module derives from them; it is compiled once into an
automaton (pyahocorasick) and cached on disk, so loading it costs a fraction of
a second.

Text and keys are compared in a normal form: every character that is not a
letter or a digit becomes a space, and (except for the forms that must match
case, which have an automaton of their own) letters are lower case.  So
"S-100", "S 100" and "s-100" are one key, and a key can only begin where a word
begins and end where a word ends (every key starts and ends with the separator).

Variants made for every form (one written table of derivations each):

* **letter–digit junctions** — "CD117" and "CD 117", "Ki-67" and "Ki67";
* **plurals** of the last word (:data:`PLURALS`): metastasis → metastases,
  bronchus → bronchi, omentum → omenta, carcinoma → carcinomas/carcinomata,
  ovary → ovaries, vertebra → vertebrae, lymph node → lymph nodes;
* **British spellings** (:data:`SPELLINGS`): tumor → tumour, esophagus → oesophagus…;
* **articles**: "head of pancreas" → "head of the pancreas";
* **prefixed words** written with a hyphen or a space (:data:`WORD_PREFIXES`): perirectal → peri-rectal;
* **regimens** without their head noun: "FOLFOX protocol" → "FOLFOX" (only where no other term has
  that form, and for four letters or more).

A derived form yields to any form the sources or the tables state.

Rules for a match (each has a test in ``tests/test_lexicon.py``):

1. **Word boundaries.** A match starts at the start of a word and ends at the
   end of one.
2. **Glued prefixes.** A word glued by a hyphen to a preceding word is not a
   match on its own: "retro-orbital" is not "orbital", "non-small cell" is
   not "small cell".
3. **Capitals.** An acronym the sources write in capitals (at most five
   letters, no digit: "CT", "GIST", "SMA") and a gene symbol or alias made of
   letters only ("KIT", "ALK", "Era") match only when the text writes them
   the same way; "set" or "kit" in lower case are words. A code of one capital
   and digits ("A10", "S-100") matches only in capitals, and never where the
   letter stands apart from the number ("a 10 cm mass").
4. **Marker context.** A gene symbol or alias that is short (two characters or
   fewer) or a common English word ("ER", "PR", "SET", "CAT", "MET", "IMPACT")
   counts only in a marker context: a polarity or assay word next to it
   ("ER-positive", "PR 80%", "MET amplification", "stained for ER",
   "expression of CAT"), or a list joined to another marker ("ER, PR and HER2").
5. **Previous symbols yield.** A previous HGNC symbol names its gene only when
   no other term has that form (KLK3 is the PSA gene, not the gene that once
   had the symbol).
6. **Excluded forms.** The forms of ``exclusions.tsv`` are never matched (generic
   words that some source lists as a synonym: "body", "organ", "other disease").
7. **Preferences.** Where several terms share a form, ``preferences.tsv`` says
   which one it names ("skin" is the skin of the body, not a zone of skin);
   otherwise a label beats a synonym, then the branch order
   :data:`BRANCH_ORDER`, then the lower identifier.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import itertools
import os
import pickle
import re
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

import ahocorasick

from .vocabulary import Vocabulary, vocabulary, vocabulary_dir

__all__ = [
    "BRANCH_ORDER",
    "PLURALS",
    "SPELLINGS",
    "Hit",
    "Lexicon",
    "lexicon",
    "normal_form",
]

#: bump when the compiled form changes (part of the cache key)
LEXICON_VERSION = "5"
SEP = " "

#: which branch a shared form names, when nothing else decides
BRANCH_ORDER = ("tumor", "anatomy", "drug", "procedure", "marker", "role")

# candidate flags
CS = 1  # case-sensitive
AMB = 2  # only in a marker context
WEAK = 4  # a previous symbol: yields to any other term
ADJ = 8  # an adjective naming a site
LABEL = 16  # the term's label
PREFERRED = 32  # named by preferences.tsv

#: plural of the last word: (singular ending, plural endings); first rule that fits wins
PLURALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sis", ("ses",)),  # metastasis, diagnosis
    ("oma", ("omas", "omata")),  # carcinoma
    ("us", ("i", "uses")),  # bronchus
    ("um", ("a", "ums")),  # omentum
    ("ra", ("rae", "ras")),  # vertebra
    ("ay", ("ays",)),
    ("ey", ("eys",)),
    ("oy", ("oys",)),
    ("y", ("ies",)),  # ovary
    ("x", ("xes",)),
    ("s", ("ses",)),
    ("sh", ("shes",)),
    ("ch", ("ches",)),
    ("", ("s",)),
)

#: American → British spellings, applied inside words
SPELLINGS: tuple[tuple[str, str], ...] = (
    ("tumor", "tumour"),
    ("esophag", "oesophag"),
    ("estrogen", "oestrogen"),
    ("leukemia", "leukaemia"),
    ("hemat", "haemat"),
    ("hemorrh", "haemorrh"),
    ("hemangio", "haemangio"),
    ("hemo", "haemo"),
    ("edema", "oedema"),
    ("anemia", "anaemia"),
    ("pediatric", "paediatric"),
    ("gynecolog", "gynaecolog"),
    ("orthoped", "orthopaed"),
    ("anesthe", "anaesthe"),
    ("fetal", "foetal"),
    ("celiac", "coeliac"),
)

#: prefixes of anatomical adjectives that reports write glued, hyphenated or apart
WORD_PREFIXES = ("peri", "para", "retro", "intra", "extra", "infra", "supra", "sub", "trans", "pre", "post")
_REGIMEN_HEAD = re.compile(r" (?:protocol|regimen|drug combination)$")

_NON_WORD = re.compile(r"[\W_]+")
_JOIN = "\x01"  # between the streams of several texts: in no key, so no match spans two texts
# at a junction of two or more letters and a digit ("cd117" / "cd 117"); one letter ("a10") is not split
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_]{2})(?=\d)|(?<=\d)(?=[^\W\d_]{2})")
_SEP_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_]{2}) (?=\d)|(?<=\d) (?=[^\W\d_]{2})")


def normal_form(text: str, *, fold: bool = True) -> str:
    """The key of a form: lower case (unless ``fold`` is false), separators as one space, a leading space."""
    if fold:
        text = text.lower()
    return SEP + _NON_WORD.sub(SEP, text).strip(SEP)


# the stream: every character not a letter or digit becomes the separator, length kept
_ASCII_TABLE = bytes((b if (b >= 128 or chr(b).isalnum()) else 32) for b in range(256))
_NON_ASCII_NON_WORD = re.compile(r"[^\x00-\x7f\w]|_")


def to_stream(text: str, *, fold: bool = True) -> str:
    """``text`` as the automata read it: same length, separators as spaces, framed by a space each side."""
    if fold:
        low = text.lower()
        text = low if len(low) == len(text) else "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    if not text.isascii():
        text = _NON_ASCII_NON_WORD.sub(SEP, text)
    return SEP + text.encode("utf-8", "surrogatepass").translate(_ASCII_TABLE).decode("utf-8", "surrogatepass") + SEP


def _variants(key: str) -> set[str]:
    out = {key}
    out.add(_LETTER_DIGIT.sub(SEP, key))
    out.add(_SEP_LETTER_DIGIT.sub("", key))
    return {k for k in out if len(k) > 2}


def _plurals(key: str) -> list[str]:
    head, _, last = key.rpartition(SEP)
    if not last.isalpha() or len(last) < 3:
        return []
    for sing, plurals in PLURALS:
        if last.endswith(sing):
            stem = last[: len(last) - len(sing)]
            return [f"{head}{SEP}{stem}{p}" for p in plurals]
    return []


def _articles(key: str) -> list[str]:
    """ "head of pancreas" is also written "head of the pancreas"."""
    if " of " in key and " of the " not in key:
        return [key.replace(" of ", " of the ")]
    return []


def _british(key: str) -> list[str]:
    out = []
    for us, gb in SPELLINGS:
        if us in key:
            out.append(key.replace(us, gb))
    return out


def _prefixed(key: str) -> list[str]:
    word = key[1:]
    for p in WORD_PREFIXES:
        if word.startswith(p) and len(word) > len(p) + 3 and SEP not in word[: len(p) + 1]:
            return [SEP + p + SEP + word[len(p):]]
    return []


def _is_capitals(form: str) -> bool:
    """An acronym of capitals (at most five letters, no digit, no lower case), or a code of one
    capital and digits ("A10", "T-1"): in lower case both are words or a number ("a10")."""
    if form.isalpha():
        return form.isupper() and len(form) <= 5
    letters = [ch for ch in form if ch.isalpha()]
    return len(letters) == 1 and form.isupper() and any(ch.isdigit() for ch in form)


# a word of one letter, a space and a number ("A 10"): an article and a measurement in text ("a 10 cm
# mass"), whatever code ("A-10", "S-100") the key came from
_LETTER_SPACE_NUMBER = re.compile(r"[^\W\d_]\s+\d")


def _read_table(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader((ln for ln in fh if ln.strip() and not ln.startswith("#")), delimiter="\t"))


def table_rows(name: str, tables: Path | None = None) -> list[dict[str, str]]:
    """The rows of one hand-written table of the vocabulary folder (``forms.tsv``…)."""
    return _read_table((tables or vocabulary_dir()) / name)


class TableError(ValueError):
    """A row of a hand-written table names no term, or several."""


def resolve(vocab: Vocabulary, branch: str, label: str) -> str:
    """The CURIE of the one term of ``branch`` whose label (or, failing that, one synonym) is ``label``."""
    terms = [t for t in vocab.by_label(label) if t.branch == branch]
    exact = [t for t in terms if t.label.casefold() == label.casefold()]
    pick = exact or terms
    if len(pick) != 1:
        names = ", ".join(t.curie for t in pick) or "no term"
        raise TableError(f"{branch} {label!r}: {names}")
    return pick[0].curie


class Hit(NamedTuple):
    """A term found in a text; offsets are those of the text given to :meth:`Lexicon.find`."""

    start: int
    end: int
    text: str
    term: str  # CURIE
    category: str
    adjective: bool = False


class Compiled:
    """The automata and their tables (what the cache holds), in compact arrays.

    ``folded`` reads the lower-cased text, ``exact`` the text as written (for the
    forms that must match case).  ``folded`` also holds every case-sensitive key
    lower-cased, so that one pass finds both kinds: its value is a key, or (from
    ``len(self)`` on) an entry of ``case``: the folded key of that word (or -1) and
    the case-sensitive keys to check against the text as written; :meth:`key` reads
    it.  Key ``k`` (an automaton's value) has candidates
    ``first[k]`` to ``first[k + 1]``: candidate ``i`` names term ``term[i]`` with
    ``flags[i]``; ``length[k]`` is the key's length in the stream.
    """

    def __init__(self, folded: ahocorasick.Automaton, exact: ahocorasick.Automaton, first: array[int],
                 length: array[int], term: array[int], flags: array[int], curies: list[str],
                 categories: list[str], case: tuple[tuple[int, tuple[tuple[int, str], ...]], ...] = ()) -> None:
        self.folded = folded
        self.exact = exact
        self.case = case
        self.first = first
        self.length = length
        self.term = term
        self.flags = flags
        self.curies = curies
        self.categories = categories

    def __len__(self) -> int:
        return len(self.length)

    def key(self, value: int) -> int:
        """The folded key an automaton value of ``folded`` stands for (-1: only case-sensitive keys)."""
        return value if value < len(self.length) else self.case[value - len(self.length)][0]

    def candidates(self, key: int) -> Iterator[tuple[int, int]]:
        for i in range(self.first[key], self.first[key + 1]):
            yield self.term[i], self.flags[i]


def compile_lexicon(vocab: Vocabulary, tables: Path) -> Compiled:
    """Compile every form of ``vocab`` and of the hand-written tables in ``tables``."""
    excluded: dict[str, set[str]] = {}
    for r in _read_table(tables / "exclusions.tsv"):
        excluded.setdefault(normal_form(r["form"]), set()).add(r["branch"])
    preferred: dict[str, str] = {}
    for r in _read_table(tables / "preferences.tsv"):
        preferred[normal_form(r["form"])] = resolve(vocab, r["branch"], r["label"])

    curies: list[str] = []
    index: dict[str, int] = {}
    forms: list[str] = []
    form_index: dict[str, int] = {}
    # (case-sensitive, key) → {term index: (rank, flags, form id)}
    table: dict[tuple[bool, str], dict[int, tuple[tuple[int, ...], int, int]]] = {}
    order = {b: i for i, b in enumerate(BRANCH_ORDER)}
    regimen_bare: list[tuple[str, int, int, int]] = []
    # every form the sources or the tables state (derived forms yield to them)
    stated: set[str] = set()
    for term in vocab:
        if term.match:
            for form in (term.label, *term.synonyms):
                stated.update(_variants(normal_form(form)))
    for r in _read_table(tables / "forms.tsv"):
        stated.update(_variants(normal_form(r["form"])))

    def add(form: str, curie: str, flags: int, derived: int) -> None:
        term = vocab[curie]
        key0 = normal_form(form)
        if len(key0) <= 2 or key0[1:].isdigit():
            return
        if term.branch in excluded.get(key0, ()) or "*" in excluded.get(key0, ()):
            return
        ti = index.get(curie)
        if ti is None:
            ti = index[curie] = len(curies)
            curies.append(curie)
        fi = form_index.get(form)
        if fi is None:
            fi = form_index[form] = len(forms)
            forms.append(form)
        keys = _variants(key0 if not flags & CS else normal_form(form, fold=False))
        derived_keys: set[str] = set()
        if not flags & CS:
            for k in list(keys):
                derived_keys.update(_british(k))
                derived_keys.update(_prefixed(k))
                derived_keys.update(_articles(k))
            if term.branch != "marker" and not flags & ADJ:
                for k in list(keys | derived_keys):
                    derived_keys.update(_plurals(k))
        if term.kind == "regimen":
            bare = _REGIMEN_HEAD.sub("", key0)
            if bare != key0 and len(bare.replace(SEP, "")) >= 4:
                regimen_bare.append((bare, ti, flags, fi))
        for k in keys | derived_keys:
            pref = preferred.get(k if not flags & CS else k.lower()) == curie
            if k not in keys and k in stated and not pref:
                continue  # a derived form yields to a stated one
            kflags = flags | (PREFERRED if pref else 0)
            rank = (0 if pref else 1, 1 if flags & WEAK else 0, derived + (k not in keys),
                    0 if flags & LABEL else 1, order.get(term.branch, 9), len(curie), ti)
            slot = table.setdefault((bool(flags & CS), k), {})
            old = slot.get(ti)
            if old is None or rank < old[0]:
                slot[ti] = (rank, kflags, fi)

    for term in vocab:
        if not term.match:
            continue
        gene = term.branch == "marker" and term.kind == "gene"
        amb = set(term.ambiguous)
        weak = set(term.weak)
        for i, form in enumerate((term.label, *term.synonyms)):
            flags = LABEL if i == 0 else 0
            if _is_capitals(form) or (gene and form.isalpha() and not form.islower() and len(form) <= 8):
                flags |= CS
            if form in amb:
                flags |= AMB
            if form in weak:
                flags |= WEAK
            add(form, term.curie, flags, 0)
    for r in _read_table(tables / "forms.tsv"):
        curie = resolve(vocab, r["branch"], r["label"])
        flags = (ADJ if r["kind"] == "adjective" else 0) | (CS if _is_capitals(r["form"]) else 0)
        add(r["form"], curie, flags, 0)

    for bare, ti, flags, fi in regimen_bare:
        cs = bare[1:].replace(SEP, "").isalpha() and len(bare) <= 7
        key = bare.upper() if cs else bare  # a regimen's acronym is written in capitals: "CHOP", "FOLFOX"
        if bare not in stated and (cs, key) not in table and (False, bare) not in table:
            table[(cs, key)] = {ti: ((1, 0, 1, 1, order["drug"], 0, ti), flags | (CS if cs else 0), fi)}
    automata = {cs: ahocorasick.Automaton(ahocorasick.STORE_INTS) for cs in (False, True)}
    first, length = array("I", [0]), array("H")
    term_arr, flag_arr = array("I"), array("B")
    folded_keys: dict[str, int] = {}
    case_keys: dict[str, list[tuple[int, str]]] = {}  # lower-cased form → the case-sensitive keys it folds
    for cs, key in sorted(table):
        automata[cs].add_word(key + SEP, len(length))  # a key ends where a word ends
        if cs:
            case_keys.setdefault((key + SEP).lower(), []).append((len(length), key + SEP))
        else:
            folded_keys[key + SEP] = len(length)
        length.append(len(key) + 1)
        for ti, (_, flags, _fi) in sorted(table[(cs, key)].items(), key=lambda kv: kv[1][0]):
            term_arr.append(ti)
            flag_arr.append(flags)
        first.append(len(term_arr))
    # one pass over the folded text finds both kinds: in the folded automaton, a word that some case-sensitive
    # key folds to stands for an entry of ``case`` (its own key, if any, and the case-sensitive keys to check
    # against the text as written)
    case: list[tuple[int, tuple[tuple[int, str], ...]]] = []
    n_keys = len(length)
    for word, exact in sorted(case_keys.items()):
        automata[False].add_word(word, n_keys + len(case))
        case.append((folded_keys.get(word, -1), tuple(exact)))
    for a in automata.values():
        a.make_automaton()
    categories = [vocab[c].category for c in curies]
    return Compiled(automata[False], automata[True], first, length, term_arr, flag_arr, curies, categories,
                    tuple(case))


# ---------------------------------------------------------------------------------- context
_MARKER_AFTER = re.compile(
    # "KIT was positive", "PSA was 12 ng/mL", "HER2 is amplified": a copula (and an adverb) may come between
    r"^[\s(:-]*(?:(?:was|were|is|are|of|at|staining)\s+(?:\w+ly\s+)?(?=[\d+\-−–]|positiv|negativ|express|"
    r"overexpress|amplifi|mutat|rearrang|elevat|raised|normal|intact|retained|lost|absent|present|detect|undetect))?"
    r"(?:[+\-−–]|positiv\w*|negativ\w*|expressi\w*|express\w*|stain\w*|immunoreactiv\w*|immunostain\w*|"
    r"overexpress\w*|amplifi\w*|mutat\w*|mutant|rearrang\w*|fusion|translocat\w*|status|score|low|high|loss|"
    r"deficien\w*|intact|retained|wild[- ]type|levels?|titers?|titres?|"
    r"elevat\w*|raised|normal|lost|absent|present|detect\w*|undetect\w*|\d+(?:\.\d+)?\s*(?:%|ng|µg|ug|u/|iu|mg/)|"
    r"\(\s*[+\-−]\s*\)|\d\+)",
    re.IGNORECASE,
)
_MARKER_BEFORE = re.compile(
    r"(?:positiv\w*|negativ\w*|expression|express\w*|stain\w*|immunoreactivity|immunostain\w*|IHC|"
    r"immunohistochem\w*|mutation|mutated|amplification|loss|overexpression|status|serum|elevated|raised)\s+"
    r"(?:for|of|in|to)?\s*"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
_LIST_GAP = re.compile(r"^\s*(?:,|/|;|and|or|nor|&|,\s*and|,\s*or)\s*$", re.IGNORECASE)


def _marker_context(text: str, start: int, end: int) -> bool:
    return bool(_MARKER_AFTER.match(text[end:end + 24]) or _MARKER_BEFORE.search(text[max(0, start - 40):start]))


class Lexicon:
    """Find terms in text.

    Parameters
    ----------
    compiled : Compiled
        What :func:`compile_lexicon` made (or the cache held).
    """

    def __init__(self, compiled: Compiled) -> None:
        self._c = compiled
        # per entry of ``case``: its folded key, its case-sensitive keys, and whether that entry stands only
        # for forms ending in a capital, so that a word ending in lower case ("was", "of") is passed at once
        self._case = tuple((kf, exacts, kf < 0 and all(form[-2].isupper() for _, form in exacts))
                           for kf, exacts in compiled.case)
        # per key: its candidates, previous symbols last (rule 5), decoded once on first use (see _info)
        self._choice: dict[int, tuple[tuple[tuple[int, int], ...], str, str, bool]] = {}

    @property
    def size(self) -> int:
        """The number of keys of the automaton."""
        return len(self._c)

    def lookup(self, form: str) -> list[str]:
        """The CURIEs a form names, best first (no context rules)."""
        c = self._c
        folded = c.folded.get(normal_form(form) + SEP, None)
        keys = [c.exact.get(normal_form(form, fold=False) + SEP, None), None if folded is None else c.key(folded)]
        return [c.curies[ti] for k in keys if k is not None and k >= 0 for ti, _ in c.candidates(k)]

    def find(self, text: str) -> list[Hit]:
        """Every term in ``text``, longest match first, no overlaps (rules 1–7 of the module)."""
        return self.find_all([text])[0]

    def find_all(self, texts: Sequence[str]) -> list[list[Hit]]:
        """:meth:`find` for each of ``texts`` (a document's sentences), in one pass of the automaton.

        The texts' streams are joined by a character no key holds, so no match spans two texts,
        and each text's matches are then chosen by the rules on that text alone: the result is
        that of :meth:`find` on each text, without the cost of a pass per sentence.
        """
        c = self._c
        length = c.length
        # every key occurrence that starts and ends at a word boundary (rule 1); at each start, the longest
        # first, and of two of the same span the one that matched case
        streams = [to_stream(t, fold=False) for t in texts]
        exact = _JOIN.join(streams)
        folded = exact.lower()
        if len(folded) != len(exact):
            folded = _JOIN.join(to_stream(t) if len(x.lower()) != len(x) else x.lower()
                                for t, x in zip(texts, streams, strict=True))
        ends = list(itertools.accumulate(len(x) + 1 for x in streams))  # where each stream ends (its joiner)
        n_keys, case = len(length), self._case
        founds: list[list[tuple[int, int, int, int]]] = [[] for _ in texts]
        i, end, offset = 0, (ends[0] if ends else 0), 0
        found = founds[0] if founds else []
        for last, v in c.folded.iter(folded):  # one pass: folded keys, and case-sensitive ones checked as written
            if last >= end:  # in a later text: the matches come in the order of their ends
                while last >= ends[i]:
                    i += 1
                offset, end, found = ends[i - 1], ends[i], founds[i]
            if v < n_keys:
                found.append((last + 1 - length[v] - offset, offset - last, 1, v))
                continue
            kf, exacts, capitals = case[v - n_keys]
            if capitals and not exact[last - 1].isupper():
                continue
            if kf >= 0:
                found.append((last + 1 - length[kf] - offset, offset - last, 1, kf))
            for ke, form in exacts:
                if exact.startswith(form, last + 1 - len(form)):
                    found.append((last + 1 - len(form) - offset, offset - last, 0, ke))
        return [self._choose(text, found) for text, found in zip(texts, founds, strict=True)]

    def _choose(self, text: str, found: list[tuple[int, int, int, int]]) -> list[Hit]:
        """The hits of ``text`` among its key occurrences (start, -last, case flag, key): rules 2–7."""
        if not found:
            return []
        found.sort()
        out: list[Hit] = []
        pending: list[tuple[int, int, int, int]] = []  # ambiguous: (start, end, term, flags)
        covered = 0
        choice = self._choice
        n = len(text)
        for ts, neg_last, _, k in found:
            if ts < covered:
                continue
            te = -neg_last - 1  # the word(s) in text offsets: text[ts:te]
            info = choice.get(k)
            if info is None:
                info = choice[k] = self._info(k)
            cands, curie, category, adjective = info
            if (curie and not (ts >= 1 and text[ts - 1] == "-")
                    and not (ts + 1 < n and text[ts + 1].isspace())):
                hit: Hit | None = Hit(ts, te, text[ts:te], curie, category, adjective)
            else:
                hit = self._accept(text, ts, te, cands, pending, out[-1] if out else None)
            if hit is not None:
                out.append(hit)
                covered = te
        if pending:
            out.extend(self._resolve_ambiguous(text, out, pending))
            out.sort(key=lambda h: h.start)
        return out

    def find_within(self, text: str, start: int, end: int, category: str) -> list[Hit]:
        """The terms of one category named inside a longer match text[start:end].

        "prostate adenocarcinoma" and "leiomyosarcoma of the stomach" are one
        tumour term each, and each names its site; this finds the site (rules 1,
        2 and 3 hold; a key over the whole span is the match itself and is skipped).
        """
        c = self._c
        part = text[start:end]
        found = [(last + 1 - c.length[k], -last, k) for last, k in c.exact.iter(to_stream(part, fold=False))]
        found += [(last + 1 - c.length[k], -last, k) for last, v in c.folded.iter(to_stream(part))
                  if (k := c.key(v)) >= 0]
        found.sort()
        out: list[Hit] = []
        covered = 0
        for ts, neg_last, k in found:
            te = -neg_last - 1
            if ts < covered or (ts == 0 and te == len(part)):
                continue
            if (ts >= 2 and part[ts - 1] == "-" and part[ts - 2].isalnum()) or _LETTER_SPACE_NUMBER.match(part, ts):
                continue
            cands = [(c.term[i], c.flags[i]) for i in range(c.first[k], c.first[k + 1])
                     if c.categories[c.term[i]] == category]
            strong = [x for x in cands if not x[1] & (WEAK | AMB)]
            if strong:
                ti, flags = strong[0]
                out.append(Hit(start + ts, start + te, part[ts:te], c.curies[ti], category, bool(flags & ADJ)))
                covered = te
        return out

    def _candidates(self, k: int) -> tuple[tuple[int, int], ...]:
        c = self._c
        cands = [(c.term[i], c.flags[i]) for i in range(c.first[k], c.first[k + 1])]
        strong = [x for x in cands if not x[1] & WEAK]  # rule 5: previous symbols yield
        return tuple(strong or cands)

    def _info(self, k: int) -> tuple[tuple[tuple[int, int], ...], str, str, bool]:
        """A key's candidates and, when it has one alone that no rule questions, its hit's term,
        category and adjective flag (the CURIE is "" otherwise)."""
        cands = self._candidates(k)
        ti, flags = cands[0]
        if len(cands) == 1 and not flags & AMB:
            return cands, self._c.curies[ti], self._c.categories[ti], bool(flags & ADJ)
        return cands, "", "", False

    def _accept(self, text: str, ts: int, te: int, cands: tuple[tuple[int, int], ...],
                pending: list[tuple[int, int, int, int]], previous: Hit | None) -> Hit | None:
        """The hit for the candidates of a key over text[ts:te], or None when a rule refuses it."""
        c = self._c
        if _LETTER_SPACE_NUMBER.match(text, ts):
            return None
        if ts >= 2 and text[ts - 1] == "-" and text[ts - 2].isalnum():
            # rule 2, except the second gene of a fusion ("EML4-ALK")
            fusion = previous is not None and previous.end == ts - 1 and previous.category == "marker"
            cands = tuple(x for x in cands if fusion and c.categories[x[0]] == "marker")
        for ti, flags in cands:
            if flags & AMB and not _marker_context(text, ts, te):
                pending.append((ts, te, ti, flags))
                return None
            return Hit(ts, te, text[ts:te], c.curies[ti], c.categories[ti], bool(flags & ADJ))
        return None

    def _resolve_ambiguous(self, text: str, hits: list[Hit],
                           pending: list[tuple[int, int, int, int]]) -> Iterable[Hit]:
        """Rule 4, lists: an ambiguous symbol joined to a marker by a list separator is a marker."""
        c = self._c
        taken = sorted((h.start, h.end) for h in hits)
        starts = [t[0] for t in taken]

        def free(ts: int, te: int) -> bool:
            i = bisect.bisect_left(starts, te)
            return i == 0 or taken[i - 1][1] <= ts

        todo = sorted(p for p in pending if free(p[0], p[1]))
        markers = sorted((h.start, h.end) for h in hits if h.category == "marker")
        accepted: list[Hit] = []
        changed = True
        while changed and todo:
            changed = False
            mstarts = [m[0] for m in markers]
            rest = []
            for ts, te, ti, flags in todo:
                i = bisect.bisect_left(mstarts, ts)
                before = markers[i - 1] if i > 0 else None
                after = markers[i] if i < len(markers) else None
                near = (before is not None and ts - before[1] <= 8 and _LIST_GAP.match(text[before[1]:ts])) or (
                    after is not None and 0 <= after[0] - te <= 8 and _LIST_GAP.match(text[te:after[0]]))
                if near:
                    accepted.append(Hit(ts, te, text[ts:te], c.curies[ti], c.categories[ti], bool(flags & ADJ)))
                    changed = True
                else:
                    rest.append((ts, te, ti, flags))
            if changed:
                markers = sorted(markers + [(h.start, h.end) for h in accepted[-(len(todo) - len(rest)):]])
            todo = rest
        return accepted


def _cache_dir() -> Path | None:
    env = os.environ.get("ONCOGRAPH_CACHE")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "oncograph"
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return base if os.access(base, os.W_OK) else None


def _digest(folder: Path) -> str:
    h = hashlib.sha256(LEXICON_VERSION.encode())
    for name in ("terms.tsv.gz", "prefixes.json", "forms.tsv", "exclusions.tsv", "preferences.tsv"):
        p = folder / name
        h.update(name.encode())
        h.update(p.read_bytes() if p.exists() else b"")
    own = folder.parent / "terms.tsv"
    h.update(own.read_bytes() if own.exists() else b"")
    # the code that compiles (a changed rule is a changed lexicon) and the vocabulary reader
    for code in (Path(__file__), Path(__file__).parent / "vocabulary" / "__init__.py"):
        h.update(code.read_bytes())
    return h.hexdigest()[:20]


def load_lexicon(vocab: Vocabulary | None = None, tables: Path | None = None, *, use_cache: bool = True) -> Lexicon:
    """The compiled lexicon of the packaged vocabulary, from the cache when it is there."""
    folder = tables or vocabulary_dir()
    cache_dir = _cache_dir() if use_cache and vocab is None else None
    path = cache_dir / f"lexicon-{_digest(folder)}.pickle" if cache_dir else None
    if path is not None and path.exists():
        try:
            with path.open("rb") as fh:
                return Lexicon(pickle.load(fh))
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    compiled = compile_lexicon(vocab or vocabulary(), folder)
    if path is not None:
        try:
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as out:
                pickle.dump(compiled, out, protocol=pickle.HIGHEST_PROTOCOL)
            Path(out.name).replace(path)
            for old in path.parent.glob("lexicon-*.pickle"):  # earlier versions
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
    return Lexicon(compiled)


@cache
def lexicon() -> Lexicon:
    """The lexicon of the packaged vocabulary (loaded once per process)."""
    return load_lexicon()
