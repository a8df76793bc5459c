"""Sentences of a text: paragraphs cut into sentences with their reference numbers, and whether a sentence
points back at an incident already told. Shared by the document walk (``extract``) and places-in-text (``places``)
without an import circle."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEADING_REFS = re.compile(r"^\s*((?:\[\d+[a-z]?\])+)\s*")
_INLINE_REFS = re.compile(r"\s*((?:\[\d+[a-z]?\])+)")
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?:\[\d+[a-z]?\])*\s+(?=[\"“'(\[]?[A-Z0-9À-Ý])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen col lt capt sgt maj cpt cdr prof jan feb mar apr jun jul aug sep sept oct nov dec no vs"
    " etc e.g i.e u.s u.n approx fig al".split()
)


@dataclass(frozen=True)
class Sentence:
    """One sentence: 1-based number in the text, its words, the reference numbers citing it, its paragraph."""

    number: int
    text: str
    reference: str
    paragraph: int
    heading: bool = False


_BULLET = re.compile(r"^\s*(?:[•▪◦·*]|-(?=\s)|–|\d{1,2}[.)](?=\s))\s*")
# A timeline entry led by its date ("March 2012: army coup ...", "2015 - attacks in the capital"): each line is an
# incident of its own year, never run together with the line before when that one has no closing stop.
_DATED_LINE = re.compile(
    r"^\s*(?:(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)(?:\s+\d{1,2},?)?\s+)?(?:19|20)\d\d\s*[:–—-]\s+(?=[A-Za-z])"
)


def split_sentences(text: str) -> list[Sentence]:
    """Paragraphs (blank-line separated; each bullet line is a paragraph of its own) cut into sentences; a
    paragraph's leading "[37][38]" cites all of its sentences, reference marks inside a sentence cite that
    sentence too and are removed from its text. A one-line paragraph without closing punctuation is a heading
    (a title, "KEY INCIDENTS"): its sentence is marked ``heading`` and never becomes an event."""
    sentences: list[Sentence] = []
    blocks = []
    for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        current: list[str] = []
        bullet = False
        for line in paragraph.splitlines():
            entry = _BULLET.match(line) or _DATED_LINE.match(line)
            if entry and current:
                blocks.append((current, bullet))
                current = []
            if entry:
                bullet = True
            if line.strip():
                current.append(_BULLET.sub("", line, count=1) if _BULLET.match(line) else line)
        if current:
            blocks.append((current, bullet))
    for paragraph_number, (lines, bullet) in enumerate(blocks, start=1):
        body = " ".join(line.strip() for line in lines if line.strip())
        closed = re.search(r"[.!?:;\"”’)\]]\s*$", body)
        heading = len(lines) == 1 and len(body) <= 150 and not closed and not bullet
        leading = _LEADING_REFS.match(body)
        reference = leading.group(1) if leading else ""
        body = body[leading.end():] if leading else body
        for piece in _cut(body):
            inline = "".join(_INLINE_REFS.findall(piece))
            clean = re.sub(r"\s+", " ", _INLINE_REFS.sub("", piece)).strip()
            if clean:
                refs = reference + "".join(r for r in re.findall(r"\[\d+[a-z]?\]", inline) if r not in reference)
                sentences.append(Sentence(len(sentences) + 1, clean, refs, paragraph_number, heading))
    return sentences


# A photo credit run into the prose of a stored page ("... in Solhan. © 2021 NAME/AFP via Getty Images Just after
# 2 a.m. ..."): the credit ends a piece of its own, so the caption's date never dates the sentence after it.
_CREDIT = re.compile(r"©[^!?\n]{0,80}?(?:Getty\s+Images|AFP|Reuters|AP(?:\s+Photo)?|EPA|Photo)\s+(?=[A-Z])")


def _cut(body: str) -> list[str]:
    credits = [edge for credit in _CREDIT.finditer(body) for edge in credit.span()]
    if credits:  # cut before and after each credit, then cut each piece as usual
        bounds = [0, *credits, len(body)]
        return [piece for a, b in zip(bounds, bounds[1:], strict=False) for piece in _cut_at_ends(body[a:b])]
    return _cut_at_ends(body)


def _cut_at_ends(body: str) -> list[str]:
    pieces, start = [], 0
    for match in _BOUNDARY.finditer(body):
        if body[match.start()] == "." and _is_abbreviation(body[start : match.start()]) and not _ends_at_time(
                body[start : match.start()], body[match.end() :]):  # fmt: skip
            continue
        pieces.append(body[start : match.end()].strip())
        start = match.end()
    pieces.append(body[start:].strip())
    return [piece for piece in pieces if piece]


_CLOCK = re.compile(r"(?:^|\s)\d{1,2}(?:[:.]\d\d)?\s*[ap]\.m$", re.IGNORECASE)
_AFTER_CLOCK = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August"
    r"|September|October|November|December|GMT|UTC|[A-Z]{2,4}T|local|on|in|at|and|\()\b"
)


def _ends_at_time(before: str, after: str) -> bool:
    """"stormed the post at 5:30 a.m. The unit ...": a clock time ends the sentence, unless a day, a month or a
    zone follows it ("at 5 a.m. Sunday", "at 11 p.m. GMT")."""
    return _CLOCK.search(before) is not None and _AFTER_CLOCK.match(after) is None


def _is_abbreviation(before: str) -> bool:
    word = before.split()[-1] if before.split() else ""
    word = word.lstrip("(\"'“")
    return (
        word.lower().rstrip(".") in _ABBREVIATIONS
        or re.fullmatch(r"[A-Z]", word) is not None
        or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word) is not None
    )


# Words that point back at an incident already told ("The attacks killed 141 people", "Among the dead were ...").
_POINTS_BACK = re.compile(
    r"\b(?:the|these|this|those|that|such|its|their)\s+(?:[\w-]+\s+){0,2}(?:attacks?|massacres?|assaults?|raids?"
    r"|ambush(?:es)?|killings?|violence|incidents?|clash(?:es)?|fighting|bombings?|explosions?|blasts?|toll"
    r"|assailants|attackers|gunmen|militants|victims|dead|operation|offensive)\b|^(?:It|They)\b"
    r"|\bamong\s+the\s+(?:dead|victims|killed)\b"
    # a count of the dead with no place of its own: "the government counted 132 dead", "160 bodies were buried"
    r"|\b(?:counted|recorded|reported|confirmed|registered)\s+(?:\w+\s+){0,2}?(?:\d[\d,]*|[a-z]+)\s+(?:dead|bodies)\b"
    r"|\b\d[\d,]*\s+bodies\b",
    re.IGNORECASE,
)


def points_back(sentence: str) -> bool:
    """True when ``sentence`` refers to an incident told before ("The attacks killed 141 people")."""
    return _POINTS_BACK.search(sentence) is not None
