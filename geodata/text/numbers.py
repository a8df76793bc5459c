"""Number words in English reporting: "forty-two", "two hundred and fifty", "1,200" (tolls and distances)."""

from __future__ import annotations

import re

UNITS = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}  # fmt: skip
TENS = {word: 10 * value for value, word in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if word != "_"}  # fmt: skip
NUMBER_WORD = r"(?:" + "|".join(sorted([*UNITS, *TENS, "hundred", "thousand"], key=len, reverse=True)) + r")"
NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:an?\s+(?=hundred|thousand))?{NUMBER_WORD}"
    rf"(?:(?:\s+and\s+|[\s-]+){NUMBER_WORD}(?!\w))*)(?!\w)"
)


def parse_number(words: str) -> int | None:
    """``"forty"`` -> 40, ``"forty-two"`` -> 42, ``"two hundred and fifty"`` -> 250, ``"1,200"`` -> 1200."""
    text = words.strip().lower().replace(",", "")
    if text.isdigit():
        return int(text)
    total = current = 0
    seen = False
    for token in re.split(r"[\s-]+", text):
        if token in ("and", ""):
            continue
        if token == "a":
            current = max(current, 1)
        elif token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None
