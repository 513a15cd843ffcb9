"""Numbers written as words: the one table of number words, ordinals and Roman numerals.

>>> number_value("Seventeen"), number_value("twenty-two"), number_value("sixty four"), number_value("13")
(17, 22, 64, 13)
>>> ORDINALS["third"], ORDINALS["2nd"], ROMAN["iv"]
(3, 2, 4)
"""

from __future__ import annotations

__all__ = ["CARDINALS", "NUMBER_WORDS", "ORDINALS", "ROMAN", "number_value", "word_pattern"]

#: cardinal numbers in words, one to nineteen, the tens to ninety, and a hundred
CARDINALS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
#: words that count as one where a number is expected ("a year later", "a single fraction")
NUMBER_WORDS: dict[str, int] = {**CARDINALS, "a": 1, "an": 1, "single": 1}
#: ordinals ("second-line", "the third patient")
ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5,
}
#: Roman numerals as case and stage numbers use them
ROMAN: dict[str, int] = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}

_TENS = {w for w, n in CARDINALS.items() if n % 10 == 0 and 20 <= n <= 90}


def number_value(word: str) -> int | None:
    """The integer a numeral or number word stands for ("13", "Thirteen", "twenty-one", "a hundred")."""
    w = word.strip().lower().replace(",", "")
    if w.isdigit():
        return int(w)
    parts = w.replace("-", " ").split()
    if parts[:1] in (["a"], ["one"]) and parts[1:] == ["hundred"]:
        return 100
    if len(parts) == 2 and parts[0] in _TENS and CARDINALS.get(parts[1], 10) < 10:
        return CARDINALS[parts[0]] + CARDINALS[parts[1]]
    return NUMBER_WORDS.get(w)


def word_pattern(*, articles: bool = False) -> str:
    """A regular expression for a number in words ("seventeen", "twenty-two", with ``articles`` also "a")."""
    units = "|".join(w for w, n in CARDINALS.items() if n < 10)
    words = sorted(NUMBER_WORDS if articles else CARDINALS, key=len, reverse=True)
    return rf"(?:(?:{'|'.join(sorted(_TENS, key=len, reverse=True))})[- ](?:{units})|{'|'.join(words)})"
