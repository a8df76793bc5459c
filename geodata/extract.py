"""Events from English prose: one event per sentence that reports violence at a place, citing that sentence.

A sentence becomes an event when it has a violence word (``textrules.event_keyword``), a date and a place the
geocoder resolves; a sentence with a violence word that fails any of these goes to ``rejected`` with its
reason. Nothing is guessed: an unresolved name is reported with the geocoder's closest candidates.

Context rules (a sentence rarely says everything itself):

- Date. The sentence's own date, the one nearest its violence word (``textdates.find_dates``). Without
  one: "that same issue"/"around this same time" take the previous sentence's date whole, "that same year"
  its year; otherwise the *year context*: the last year written in the earlier sentences of the same
  paragraph or in the sentence just before (precision ``year``). Failing that, the *narrative bracket*: a
  history is told in order, so the sentence lies between the last year written anywhere before it and the
  first year written anywhere after it (Jan 1 of the one to Dec 31 of the other, precision ``year``).
  With no year anywhere around it the sentence is rejected "no date".
- Actors. Named actors in order (perpetrator after "by" first; civilians always second). When the sentence
  names fewer than two armed actors but points at a pair ("the two groups", "both sides", "each other",
  "the clashes") the pair is the one of the nearest of the three sentences before that names two armed
  families, else the document's *dyad*: the two armed families named in the most sentences (ties: first
  named first). Such context actors are written with their family names ("JNIM", "ISGS").
- Place. The candidate phrases of ``textrules.place_groups`` in order; the first group with a name the
  geocoder resolves wins, and every resolved name of that group becomes its own event ("the Tchoma Bangou
  and Zaroumdareye massacres" -> two events, suffixes -a, -b; the fatality figures go on the first only, so
  sums stay right). A country or "the Sahel" alone is too vague for an event. A sentence with its own date
  but no place phrase takes the place of the sentence just before it when both are in one paragraph or
  share a reference number ("[37][38]" and "[37][39]") - the same story, a later stage of it.
- ``notes`` is the sentence, ``source`` the file name and the paragraph's reference numbers
  ("jnim_isgs_war.txt [37][38]"), ``location`` the place phrase as written. Two extra columns say where the
  date and place came from when not from the sentence itself: ``date_basis``, ``place_basis``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from geodata import schema
from geodata.textdates import DateMention, find_dates, refers_to_previous_date, year_span, years_in
from geodata.textrules import (
    ARMED_FAMILIES,
    Actor,
    Fatalities,
    event_keyword,
    event_type,
    find_actors,
    find_fatalities,
    names_a_pair,
    order_actors,
    place_groups,
)

if TYPE_CHECKING:
    from geodata.geocode import Geocoder, GeocodeResult

REJECTED_COLUMNS = ("sentence_number", "sentence", "source", "reason", "name", "candidates")
BASIS_COLUMNS = ("date_basis", "place_basis")

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


@dataclass
class Extraction:
    """What :func:`extract_events` found: canonical events, rejected sentences, and how many sentences it read."""

    events: pd.DataFrame
    rejected: pd.DataFrame
    n_sentences: int


def split_sentences(text: str) -> list[Sentence]:
    """Paragraphs (blank-line separated) cut into sentences; a paragraph's leading "[37][38]" cites all of
    its sentences, reference marks inside a sentence cite that sentence too and are removed from its text."""
    sentences: list[Sentence] = []
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    for paragraph_number, paragraph in enumerate(paragraphs, start=1):
        body = " ".join(line.strip() for line in paragraph.splitlines() if line.strip())
        leading = _LEADING_REFS.match(body)
        reference = leading.group(1) if leading else ""
        body = body[leading.end():] if leading else body
        for piece in _cut(body):
            inline = "".join(_INLINE_REFS.findall(piece))
            clean = re.sub(r"\s+", " ", _INLINE_REFS.sub("", piece)).strip()
            if clean:
                refs = reference + "".join(r for r in re.findall(r"\[\d+[a-z]?\]", inline) if r not in reference)
                sentences.append(Sentence(len(sentences) + 1, clean, refs, paragraph_number))
    return sentences


def _cut(body: str) -> list[str]:
    pieces, start = [], 0
    for match in _BOUNDARY.finditer(body):
        if body[match.start()] == "." and _is_abbreviation(body[start : match.start()]):
            continue
        pieces.append(body[start : match.end()].strip())
        start = match.end()
    pieces.append(body[start:].strip())
    return [piece for piece in pieces if piece]


def _is_abbreviation(before: str) -> bool:
    word = before.split()[-1] if before.split() else ""
    word = word.lstrip("(\"'“")
    return (
        word.lower().rstrip(".") in _ABBREVIATIONS
        or re.fullmatch(r"[A-Z]", word) is not None
        or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word) is not None
    )


@dataclass(frozen=True)
class _When:
    start: date
    end: date
    precision: str
    basis: str


def extract_events(
    text: str,
    geocoder: Geocoder,
    *,
    dataset: str = "text",
    id_prefix: str = "text",
    source_name: str = "",
) -> Extraction:
    """Read ``text`` and return its events (canonical columns, ids ``f"{id_prefix}:{sentence_number}"`` with
    -a/-b suffixes when one sentence gives several) and the violent sentences it could not date or place."""
    sentences = split_sentences(text)
    actors = [find_actors(s.text) for s in sentences]
    years = [years_in(s.text) for s in sentences]
    dyad = _dyad(actors)
    places = _PlaceLookup(geocoder)
    own_dates: dict[int, _When] = {}
    placed: dict[int, list[tuple[str, GeocodeResult]]] = {}
    rows: list[dict] = []
    rejected: list[dict] = []

    for index, sentence in enumerate(sentences):
        keyword = event_keyword(sentence.text)
        window = _window(sentences, index)
        context_year = next((years[s.number - 1][-1] for s in reversed(window) if years[s.number - 1]), None)
        all_mentions = find_dates(sentence.text, context_year)
        mentions = [m for m in all_mentions if m.resolved]
        own = _own_date(mentions, keyword.start() if keyword else 0)
        if own is None:
            own = _anaphoric_date(sentence.text, window, own_dates)
        if own is not None:
            own_dates[sentence.number] = own
        if keyword is None:
            continue

        source = " ".join(part for part in (source_name, sentence.reference) if part) or None
        when = own or _context_date(years, index, context_year)
        kind, sub_kind = event_type(sentence.text, [a.family for a in actors[index]])
        date_spans = [m.span for m in all_mentions]
        groups = place_groups(sentence.text, date_spans)
        found, tried, vague = places.first_group(groups)
        place_basis = "sentence"
        if not found and not groups and own is not None:
            inherited = _inherited_place(sentences, index, placed)
            if inherited:
                found, place_basis = inherited
        if found:
            placed[sentence.number] = found

        def reject(reason: str, sentence=sentence, source=source, tried=tried, found=found) -> None:
            names = [name for name, _ in found] + [name for name, _ in tried]
            candidates = [f"{name} -> {result.matched_name}" for name, result in found]
            candidates += [c for _, cands in tried for c in cands]
            rejected.append(
                {
                    "sentence_number": sentence.number,
                    "sentence": sentence.text,
                    "source": source,
                    "reason": reason,
                    "name": "; ".join(dict.fromkeys(names)) or None,
                    "candidates": "; ".join(dict.fromkeys(candidates)) or None,
                }
            )

        if when is None:
            reject("no date")
            continue
        if not found:
            if tried:
                reject("place not found")
            elif vague:
                reject(f"place too vague: only {', '.join(vague)}")
            else:
                reject("no place")
            continue
        if tried and place_basis == "sentence":  # names of the winning group the geocoder could not resolve
            reject("place not found (other places of this sentence were placed)", found=[])

        ordered = order_actors(sentence.text, actors[index], kind)
        actor1, actor2 = _pair(ordered, _recent_pair(actors, index) or dyad, names_a_pair(sentence.text))
        deaths = find_fatalities(sentence.text, date_spans)
        for number, (name, result) in enumerate(found):
            suffix = f"-{chr(ord('a') + number)}" if len(found) > 1 else ""
            figures = deaths if number == 0 else Fatalities(None, None, None)
            rows.append(
                {
                    "event_id": f"{id_prefix}:{sentence.number}{suffix}",
                    "dataset": dataset,
                    "date_start": pd.Timestamp(when.start),
                    "date_end": pd.Timestamp(when.end),
                    "date_precision": when.precision,
                    "event_type": kind,
                    "sub_event_type": sub_kind,
                    "actor1": actor1.name if actor1 else None,
                    "actor2": actor2.name if actor2 else None,
                    "group1": actor1.family if actor1 else None,
                    "group2": actor2.family if actor2 else None,
                    "fatalities": figures.best,
                    "fatalities_low": figures.low,
                    "fatalities_high": figures.high,
                    "location": name,
                    "latitude": result.latitude,
                    "longitude": result.longitude,
                    "geo_precision": result.geo_precision,
                    "country_iso2": result.country_iso2,
                    "admin1": result.admin1,
                    "admin2": result.admin2,
                    "source": source,
                    "notes": sentence.text,
                    "date_basis": when.basis,
                    "place_basis": place_basis,
                }
            )

    events = schema.conform(pd.DataFrame(rows, columns=[*schema.COLUMN_NAMES, *BASIS_COLUMNS]))
    for column in BASIS_COLUMNS:
        events[column] = events[column].astype("string")
    rejected_frame = pd.DataFrame(rejected, columns=list(REJECTED_COLUMNS)).astype(
        {"sentence_number": "Int64", **{c: "string" for c in REJECTED_COLUMNS if c != "sentence_number"}}
    )
    return Extraction(events=events, rejected=rejected_frame, n_sentences=len(sentences))


# ---------------------------------------------------------------- dates in context


def _window(sentences: list[Sentence], index: int) -> list[Sentence]:
    """The sentences whose dates carry over: earlier ones of the same paragraph, or else the one just before."""
    first = index
    while first > 0 and sentences[first - 1].paragraph == sentences[index].paragraph:
        first -= 1
    return sentences[first:index] or sentences[max(index - 1, 0) : index]


def _own_date(mentions: list[DateMention], keyword_at: int) -> _When | None:
    if not mentions:
        return None
    nearest = min(mentions, key=lambda m: (min(abs(m.span[0] - keyword_at), abs(m.span[1] - keyword_at)), m.span))
    return _When(nearest.start, nearest.end, nearest.precision, "sentence")


def _anaphoric_date(text: str, window: list[Sentence], own_dates: dict[int, _When]) -> _When | None:
    """"In that same issue" -> the previous sentence's date; "that same year" -> its year."""
    refers = refers_to_previous_date(text)
    if refers is None:
        return None
    earlier = next((own_dates[s.number] for s in reversed(window) if s.number in own_dates), None)
    if earlier is None:
        return None
    basis = f"same {refers} as the sentence before"
    if refers == "year":
        start, end = year_span(earlier.start.year)
        return _When(start, end, "year", basis)
    return _When(earlier.start, earlier.end, earlier.precision, basis)


def _context_date(years: list[list[int]], index: int, context_year: int | None) -> _When | None:
    """Year context, else the narrative bracket between the years written before and after sentence ``index``
    (``years``: the years written in each sentence)."""
    if context_year is not None:
        start, end = year_span(context_year)
        return _When(start, end, "year", f"year context {context_year}")
    before = next((written[-1] for written in reversed(years[:index]) if written), None)
    after = next((written[0] for written in years[index + 1 :] if written), None)
    if before is None or after is None:
        return None
    first, last = sorted((before, after))
    return _When(year_span(first)[0], year_span(last)[1], "year", f"narrative bracket {first}-{last}")


# ---------------------------------------------------------------- actors in context


def _dyad(actors: list[list[Actor]]) -> tuple[Actor, Actor] | None:
    """The two armed families named in the most sentences (ties: the first named first)."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for number, named in enumerate(actors):
        for actor in named:
            if actor.family in ARMED_FAMILIES:
                counts[actor.family] += 1
                first_seen.setdefault(actor.family, number)
    top = sorted(counts, key=lambda family: (-counts[family], first_seen[family]))[:2]
    if len(top) < 2:
        return None
    top.sort(key=lambda family: first_seen[family])
    return Actor(top[0], top[0], -1), Actor(top[1], top[1], -1)


def _recent_pair(actors: list[list[Actor]], index: int, lookback: int = 3) -> tuple[Actor, Actor] | None:
    """The two armed families of the nearest of the ``lookback`` sentences before that names two."""
    for named in reversed(actors[max(index - lookback, 0) : index]):
        armed = [actor.family for actor in named if actor.family in ARMED_FAMILIES]
        if len(armed) >= 2:
            return Actor(armed[0], armed[0], -1), Actor(armed[1], armed[1], -1)
    return None


def _pair(ordered: list[Actor], dyad: tuple[Actor, Actor] | None, pair_named: bool) -> tuple[Actor | None, ...]:
    """actor1 and actor2: the first two named; the dyad when a pair is pointed at but not named."""
    armed = [a for a in ordered if a.family in ARMED_FAMILIES or a.family == "Other"]
    civilians = [a for a in ordered if a.family == "Civilians"]
    if len(armed) < 2 and pair_named and dyad is not None:
        return dyad
    if not armed:
        return None, (civilians[0] if civilians else None)
    if len(ordered) == 1:
        return ordered[0], None
    return ordered[0], ordered[1]


# ---------------------------------------------------------------- places in context


class _PlaceLookup:
    """Geocodes each distinct phrase once and remembers what failed, with the geocoder's candidates."""

    def __init__(self, geocoder: Geocoder) -> None:
        self.geocoder = geocoder
        self.cache: dict[str, GeocodeResult | list[str]] = {}

    def resolve(self, query: str) -> GeocodeResult | list[str]:
        from geodata.geocode import PlaceNotFound

        if query not in self.cache:
            try:
                self.cache[query] = self.geocoder.geocode(query)
            except PlaceNotFound as problem:
                self.cache[query] = list(problem.candidates)
        return self.cache[query]

    def first_group(self, groups) -> tuple[list[tuple[str, GeocodeResult]], list[tuple[str, list[str]]], list[str]]:
        """(resolved names of the first group with one, unresolved names tried, country-sized names seen)."""
        tried: list[tuple[str, list[str]]] = []
        vague: list[str] = []
        for group in groups:
            if group.kind == "country":
                vague.extend(group.names)
                continue
            found: list[tuple[str, GeocodeResult]] = []
            missed: list[tuple[str, list[str]]] = []
            for name, query in zip(group.names, group.queries, strict=True):
                result = self.resolve(query)
                if isinstance(result, list):
                    missed.append((name, result))
                else:
                    found.append((name, result))
            if found:
                return found, missed, vague
            tried.extend(missed)
        return [], tried, vague


def _inherited_place(
    sentences: list[Sentence], index: int, placed: dict[int, list[tuple[str, GeocodeResult]]]
) -> tuple[list[tuple[str, GeocodeResult]], str] | None:
    """The place of the sentence just before, when it is in the same paragraph or shares a reference number."""
    if index == 0:
        return None
    previous, current = sentences[index - 1], sentences[index]
    shared = set(re.findall(r"\[\d+[a-z]?\]", previous.reference)) & set(
        re.findall(r"\[\d+[a-z]?\]", current.reference)
    )
    if previous.number not in placed or not (previous.paragraph == current.paragraph or shared):
        return None
    why = f"shared reference {''.join(sorted(shared))}" if shared else "same paragraph"
    return placed[previous.number][:1], f"sentence {previous.number} ({why})"
