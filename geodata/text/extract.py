"""Events from English prose, read as a document: headline, dateline, lead and paragraphs, with the context a reader
carries from one sentence to the next.

The walk (:func:`extract_events`) reads a :class:`Document` sentence by sentence, in named steps: its date
(``_date_of``), its violence, places, actors and dead (``_read_violence``), whether it only tells an incident
already told (``_told_again``, ``_goes_on``), the date it takes from the story (``_story_and_when``), the place it
points at (``_context_place``), whether it must be held back (``_held_back``), and its events (``_add_events``);
``_finish`` then merges an incident told twice into one event. A violent sentence that cannot be dated or placed
goes to ``rejected`` with its reason; an unresolved name is reported with the geocoder's closest candidates.

- Date. The sentence's own date, the one nearest its violence word (``dates.find_dates``; a date naming the
  violence, "a May 14 attack", even after "claimed"; never a statement's or bulletin's date). Without one:
  "that same day/year", "two days earlier", "comes a week after" (counted from the story's date), the
  paragraph's heading day, the day of an earlier sentence of the paragraph, the reported week, the lead's date
  in a dated report, the week up to a report's date for its undated lead; else the *year context* or the
  *narrative bracket* of a history. Background (a stretch up to now, "since then"; a habit, "repeatedly") takes
  no date from around it. Relative words ("on Tuesday") need a document date (``--date``, dateline, stamp).
- Place. The candidate phrases of ``rules.place_groups`` tied to the violence; the first group with a name the
  geocoder resolves wins, one event per resolved name. Without a place of its own a dated sentence takes: the
  place of the sentence before in its paragraph (not for a recap), the settlement its paragraph is about when it
  says "the town"/"there" (not an existential "there were"), the last incident's when it says "there", "the
  same road/region", "on this road", else the headline's for the first incident. A country alone is too vague.
  A place "also targeted" is a second incident, not a follow-up of the last one.
- Actors. Named actors in order (perpetrator after "by" first; civilians second); "the two groups" take the
  nearest pair named before, else the document's *dyad*.
- One incident, one event: a later sentence at the same place on the same days whose date is the document's
  ("late Saturday", "this morning"), without a toll of its own or "another attack", is the incident told again.
- ``notes`` is the sentence(s), ``source`` the file name and reference numbers, ``location`` the place phrase
  as written; ``date_basis`` and ``place_basis`` say where the date and place came from when not from the
  sentence itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from geodata import geo, schema
from geodata.actors import regional_families
from geodata.names import normalise
from geodata.text.actors import (
    JIHADIST_FAMILIES,
    Actor,
    find_actors,
    is_generic,
    names_a_pair,
    order_actors,
)
from geodata.text.dates import (
    WEEKDAYS,
    DateMention,
    DocumentDate,
    date_prefix,
    dateline,
    document_date,
    find_dates,
    leading_date,
    measures_the_incident,
    refers_to_previous_date,
    stamp_lines,
    weekday_day,
    year_span,
    years_in,
)
from geodata.text.numbers import parse_number
from geodata.text.parties import dyad, pair, parties, recent_pair, victims_and_perpetrators, with_antecedent
from geodata.text.places import (
    COUNTRY_WORDS,
    THERE,
    PlaceLookup,
    UnitPlaced,
    as_result,
    document_countries,
    headline_place,
    inherited_place,
    paragraph_place,
    villages_told_near,
)
from geodata.text.rules import (
    STRONG_TIE,
    PlaceGroup,
    analysis,
    event_type,
    main_keyword,
    place_groups,
)
from geodata.text.sentences import Sentence, points_back, split_sentences
from geodata.text.tolls import (
    Fatalities,
    adds_to_toll,
    competing,
    death_figures,
    earlier_toll,
    find_fatalities,
    raises_toll,
    retold,
    state_claims,
    toll_sources,
    updated,
)

if TYPE_CHECKING:
    from geodata.places.geocode import Geocoder, GeocodeResult

REJECTED_COLUMNS = ("sentence_number", "sentence", "source", "reason", "name", "candidates")
BASIS_COLUMNS = ("date_basis", "place_basis")

@dataclass
class Extraction:
    """What :func:`extract_events` found: canonical events, rejected sentences, and how many sentences it read."""

    events: pd.DataFrame
    rejected: pd.DataFrame
    n_sentences: int


@dataclass(frozen=True)
class _When:
    start: date
    end: date
    precision: str
    basis: str


# Infobox and table lines: "Date: | 21 March 2021 |", "| Fatalities | 141 |", "Location: Tillia, Niger".
_INFOBOX_LINE = re.compile(
    r"^\s*\|?\s*(?P<key>[A-Za-z][A-Za-z ()/'’-]{0,40}?\d?)\s*(?::\s*\|?|\|)\s*(?P<value>[^|\n]*?)\s*\|?\s*$"
)
_INFOBOX_KEYS = {
    "date": "date", "dates": "date", "date of attack": "date",
    "location": "location", "locations": "location", "place": "location",
    "deaths": "deaths", "fatalities": "deaths", "killed": "deaths", "death toll": "deaths", "casualties": "deaths",
    "deaths (total)": "deaths", "dead": "deaths",
    "perpetrator": "perpetrator", "perpetrators": "perpetrator", "attackers": "perpetrator",
    "target": "target", "targets": "target", "victims": "target", "victim": "target",
    "attack type": "type", "type": "type",
    "injured": "other", "wounded": "other", "non-fatal injuries": "other", "coordinates": "other",
    "weapons": "other", "motive": "other", "no. of participants": "other", "accused": "perpetrator",
    "belligerents": "belligerents", "casualties and losses": "deaths", "casualties and losses (total)": "deaths",
}  # fmt: skip


# An infobox copied as plain lines, its key run into its value or a space apart: "Date16 December 2016",
# "Date 17–25 January 2012", "LocationAyorou, Niger", "Location Aguelhok, Mali".
_FLAT_INFOBOX = re.compile(r"^\s*(?P<key>Dates?|Location)\s?(?P<value>(?:[0-3]?\d|[A-Z])[^\n]{2,60}?)\s*$")


def _flat_infobox(line: str) -> tuple[str, str] | None:
    """(infobox key, value) of a flattened infobox line: a date line whose value is a date and nothing else (no
    sentence), a location line whose value is capitalised names and commas only."""
    found = _FLAT_INFOBOX.match(line)
    if found is None:
        return None
    value = found.group("value")
    if found.group("key") == "Location":
        names = re.fullmatch(r"[A-ZÀ-Ý][\w'’-]*(?:[ ,]+(?:[A-ZÀ-Ý][\w'’-]*|de|du|of))*", value)
        return ("location", value) if names else None
    mentions = [m for m in find_dates(value) if m.resolved and m.precision in ("day", "month")]
    spread = value[mentions[0].span[1] :].strip() if mentions else value
    return ("date", value) if mentions and mentions[0].span[0] == 0 and len(spread) <= 12 else None


@dataclass
class Layout:
    """A text read as a document: its prose (stamp and infobox lines blanked, datelines cut off), the facts of its
    infobox (key -> value, keys of ``_INFOBOX_KEYS``) and its infobox lines as written."""

    prose: str
    infobox: dict[str, str]
    infobox_lines: list[str]


def _has_dateline(text: str) -> bool:
    return any(dateline(p.strip()) is not None for p in re.split(r"\n\s*\n", text)[:6])


# A row of one side's losses under "Casualties and losses": "12 killed", "93-133 killed[3]", "• 9 captured".
_SIDE_LOSS = re.compile(
    r"^\s*(?:[•▪·*-]\s*)?\(?(?:[\d,]+(?:\s*[-–]\s*[\d,]+)?\+?|unknown)\s+(?:killed|dead|wounded|injured|captured"
    r"|missing|executed)\b",
    re.IGNORECASE,
)
_KILLED = re.compile(r"^\s*([\d,]+)(?:\s*[-–]\s*([\d,]+))?\+?\s+(?:killed|dead)\b", re.IGNORECASE)


def _side_losses(rows: list[str]) -> str:
    """The dead of each side's casualty row summed as the page sums them ("12 killed" and "2 killed" -> "14",
    "93-133 killed" and "4 killed" -> "97–137"); a row of the overall toll counts only when no side gives one."""
    sides = [row for row in rows if not re.search(r"\b(?:overall|total|in\s+all)\b", row, re.IGNORECASE)]
    counts = [found for row in sides if (found := _KILLED.match(row))]
    counts = counts or [found for row in rows if (found := _KILLED.match(row))]
    if not counts:
        return ""
    low = sum(int(c.group(1).replace(",", "")) for c in counts)
    high = sum(int((c.group(2) or c.group(1)).replace(",", "")) for c in counts)
    return str(low) if low == high else f"{low}–{high}"


def read_layout(text: str) -> Layout:
    """Separate what is not prose: a "date YYYY-MM-DD" stamp opening the text, "Published/Updated" lines,
    infobox or table lines and datelines."""
    prefix = date_prefix(text)
    text = text[prefix.end() :] if prefix is not None else text
    stamps = {stamp.start for stamp in stamp_lines(text)}
    opening = None if prefix is not None or stamps or _has_dateline(text) else leading_date(text)
    if opening is not None:  # "August 15, 2017On Monday night, ...": the stamp is no part of the first sentence
        text = text[: opening[0]] + " " * (opening[1] - opening[0]) + text[opening[1] :]
    lines, infobox, written = [], {}, []
    position, after_date = 0, False  # a flattened infobox's place row follows its date row, often without its key
    losses: list[str] | None = None  # the casualty rows by side being read
    for line in text.replace("\r\n", "\n").split("\n"):
        here, position = position, position + len(line) + 1
        found = _INFOBOX_LINE.match(line)
        key = " ".join(found.group("key").lower().split()) if found else ""
        if line.strip().lower() == "casualties and losses":  # a flattened box: each side's losses on lines below
            losses = []
            written.append(line.strip())
            lines.append("")
            continue
        if losses is not None and not _SIDE_LOSS.match(line) and not re.fullmatch(r"casualties\d", key):
            if _side_losses(losses):
                infobox.setdefault("deaths", _side_losses(losses))
            losses = None
        flat = _flat_infobox(line) or _flat_infobox(f"Location {line.strip()}" if after_date else "")
        after_date = flat is not None and flat[0] == "date" and "location" not in infobox
        if flat is not None:  # "Date16 December 2016", "LocationAyorou, Niger": an infobox copied without its cells
            infobox.setdefault(*flat)
            written.append(line.strip())
            lines.append("")
        elif here in stamps:
            lines.append("")
        elif losses is not None and _SIDE_LOSS.match(line):  # the lines under a flattened "Casualties and losses"
            losses.append(line.strip())
            written.append(line.strip())
            lines.append("")
        elif found and ("|" in line or (key in _INFOBOX_KEYS and len(line) < 120)):
            if re.fullmatch(r"casualties\d", key) and found.group("value"):  # a mirror's "Casualties1: | 4 killed |"
                losses = losses if losses is not None else []
                losses.append(found.group("value"))
                written.append(line.strip())
            elif key in _INFOBOX_KEYS and found.group("value"):
                infobox.setdefault(_INFOBOX_KEYS[key], found.group("value"))
                written.append(line.strip())
            lines.append("")
        else:
            lines.append(line)
    if losses and _side_losses(losses):
        infobox.setdefault("deaths", _side_losses(losses))
    paragraphs = re.split(r"(\n\s*\n)", "\n".join(lines))
    for number, paragraph in enumerate(paragraphs):
        stripped = paragraph.lstrip()
        line = dateline(stripped)
        if line is not None:
            paragraphs[number] = paragraph[: len(paragraph) - len(stripped)] + stripped[line.end() :]
    return Layout("".join(paragraphs), infobox, written)


@dataclass
class Document:
    """A text as the reader walks it: its sentences and what each names, the document's date, and the context
    gathered so far (dates and places told, the lead, the events found, the sentences held back)."""

    sentences: list[Sentence]
    anchor: DocumentDate | None
    actors: list[list[Actor]]
    years: list[list[int]]
    story_years: list[list[int]]  # the years that date something (not a yardstick's "since 2015")
    places: PlaceLookup
    dataset: str
    id_prefix: str
    source_name: str
    main: dict | None = None  # the infobox's incident
    headline: tuple[list, str] | None = None
    own_dates: dict[int, _When] = field(default_factory=dict)
    paragraph_dates: dict[int, _When] = field(default_factory=dict)
    placed: dict[int, list[tuple[str, GeocodeResult]]] = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    orphans: list[tuple[Sentence, list[Actor]]] = field(default_factory=list)  # follow-ups with no incident before
    country_leads: list[tuple[Sentence, _When, tuple[str, ...], Fatalities, list[Actor]]] = field(default_factory=list)
    lead: tuple[int, _When] | None = None  # the first violent sentence with a date: the story's date
    infobox_year: int | None = None

    @property
    def day(self) -> date | None:
        return self.anchor.day if self.anchor else None

    @property
    def written_years(self) -> list[int]:
        """Every year the text writes: "Sunday, August 13" is pinned to one of them."""
        return sorted({year for found in self.years for year in found})

    @property
    def dyad(self) -> tuple[Actor, Actor] | None:
        return dyad(self.actors)

    def lead_when(self) -> _When | None:
        return self.lead[1] if self.lead else None


@dataclass
class _Dating:
    """What a sentence and its neighbours say of its date."""

    own: _When | None
    unresolved: bool  # a relative date ("on Tuesday") and no document date to count from
    mentions: list[DateMention]  # the resolved ones
    all_mentions: list[DateMention]
    context_year: int | None
    window: list[Sentence]


@dataclass
class _Reading:
    """A violent sentence's own facts: type, candidate places, actors and dead."""

    sentence: Sentence
    source: str | None
    kind: str
    sub_kind: str
    date_spans: list[tuple[int, int]]
    all_groups: list[PlaceGroup]
    groups: list[PlaceGroup]
    found: list[tuple[str, GeocodeResult]]
    tried: list[tuple[str, list[str]]]
    vague: list[str]
    ordered: list[Actor]
    deaths: Fatalities
    place_basis: str = "sentence"


def read_document(text: str, geocoder: Geocoder, dataset: str, id_prefix: str, source_name: str,
                  document_day: date | None) -> Document:  # fmt: skip
    """The text cut into sentences with their actors and years, its date, its infobox incident and headline place."""
    layout = read_layout(text)
    anchor = DocumentDate(document_day, "--date") if document_day else document_date(text) or weekday_day(text)
    sentences = split_sentences(layout.prose)
    places = PlaceLookup(geocoder, document_countries(text), text)
    doc = Document(sentences, anchor, [find_actors(s.text) for s in sentences], [years_in(s.text) for s in sentences],
                   [years_in(s.text, story_only=True) for s in sentences], places, dataset, id_prefix,
                   source_name)  # fmt: skip
    doc.main, problem = _infobox_incident(layout, places, doc.day, id_prefix, dataset, source_name)
    if doc.main is not None:
        doc.rows.append(doc.main)
        doc.infobox_year = doc.main["date_start"].year
    if problem is not None:
        doc.rejected.append(problem)
    doc.headline = headline_place(sentences, places)
    return doc


def extract_events(
    text: str,
    geocoder: Geocoder,
    *,
    dataset: str = "text",
    id_prefix: str = "text",
    source_name: str = "",
    document_day: date | None = None,
) -> Extraction:
    """Read ``text`` and return its events (canonical columns, ids ``f"{id_prefix}:{sentence_number}"`` with
    -a/-b suffixes when one sentence gives several) and the violent sentences it could not date or place.

    ``document_day`` (the CLI's ``--date``) is the day the text was written; without it the text's dateline or
    "Published ..." line gives it, and relative words ("on Thursday") are never resolved without one."""
    doc = read_document(text, geocoder, dataset, id_prefix, source_name, document_day)
    for index, sentence in enumerate(doc.sentences):
        keyword = main_keyword(sentence.text) or (_ALSO_HIT.search(sentence.text) if doc.rows else None)
        dating = _date_of(doc, index, keyword)
        if keyword is None or sentence.heading:
            continue
        reading = _read_violence(doc, index, dating)
        if not reading.found and reading.tried and (
            near := villages_told_near(doc.sentences, index, doc.places, reading.groups, reading.tried)
        ):  # "the villages of A and B ... The attacks happened close to Y": A and B near Y
            (reading.found, reading.place_basis), reading.tried = near, []
        if _told_again(doc, reading, dating) or _goes_on(doc, index, reading, dating):
            continue
        story, when = _story_and_when(doc, index, dating)
        if not reading.found and not reading.groups and (dating.own or story) is not None:
            pointed = _context_place(doc.sentences, index, doc.placed, doc.places, doc.rows, doc.headline,
                                     dated=doc.anchor is not None)  # fmt: skip
            if pointed is not None:
                reading.found, reading.place_basis = pointed
        if reading.found:
            doc.placed[sentence.number] = reading.found
        if not _held_back(doc, reading, dating, when):
            _add_events(doc, index, reading, dating, when)
        elif dating.own is not None:
            _dates_the_lead(doc, reading, dating)
    return _finish(doc)


# "The attacks occurred on October 2 in X and on October 13 in Y", "The ambush took place on Sunday": the sentence
# that tells when the incident of the lead happened
_WHEN_IT_HAPPENED = re.compile(
    r"^(?:the|these|those|both|this|that)\s+(?:[\w-]+\s+){0,2}?(?:attacks?|assaults?|massacres?|raids?|ambush(?:es)?"
    r"|killings?|bombings?|strikes?)\s+(?:\w+\s+)?(?:occurred|happened|took\s+place|came|were\s+carried\s+out"
    r"|was\s+carried\s+out)\b",
    re.IGNORECASE,
)


def _dates_the_lead(doc: Document, reading: _Reading, dating: _Dating) -> None:
    """A lead dated only by the week up to the report ("Soldiers killed 31 people in two villages") takes the
    days of a later sentence that tells when that incident happened, though that sentence is held back for its
    place ("The attacks occurred on October 2 in X and on October 13 in Y", villages the gazetteer lacks): the
    report's own days, not a guess."""
    guessed = [row for row in doc.rows if str(row["date_basis"]).startswith("the week up to the document date")]
    if not guessed or not _WHEN_IT_HAPPENED.search(reading.sentence.text):
        return
    days = [m for m in dating.mentions if m.start is not None and m.precision in ("day", "week", "month")]
    if not days:
        return
    start, end = min(m.start for m in days), max(m.end for m in days)
    row = guessed[-1]
    when = _When(start, end, "day" if start == end else "week" if (end - start).days <= 7 else "month",
                 f"sentence {reading.sentence.number} (tells when the lead's incident happened)")  # fmt: skip
    row["date_start"], row["date_end"] = pd.Timestamp(start), pd.Timestamp(end)
    row["date_precision"], row["date_basis"] = when.precision, when.basis
    row["notes"] = f"{row['notes']} {reading.sentence.text}"
    if doc.lead is not None and doc.lead[1].basis.startswith("the week up to the document date"):
        doc.lead = (doc.lead[0], when)  # the sentences after it take the told days


def _date_of(doc: Document, index: int, keyword: re.Match[str] | None) -> _Dating:
    """The sentence's own date (the one nearest its violence word; else "that same day", "two days earlier",
    the paragraph's heading day), remembered for the sentences after it; the first violent one dated recently
    is the lead."""
    sentence = doc.sentences[index]
    window = _window(doc.sentences, index)
    context_year = next((doc.story_years[s.number - 1][-1] for s in reversed(window)
                         if doc.story_years[s.number - 1]), None)  # fmt: skip
    context_year = context_year or doc.infobox_year
    all_mentions = find_dates(sentence.text, context_year, doc.day, doc.written_years)
    mentions = [m for m in all_mentions if m.resolved]
    own = _own_date(mentions, keyword.start() if keyword else 0, sentence.text, doc.anchor)
    unresolved = own is None and any(m.relative and not m.resolved for m in all_mentions)
    if own is None and not unresolved:
        own = _anaphoric_date(sentence.text, window, doc.own_dates)
    if own is None and not unresolved:  # "Two days earlier, ...", "The next day, ..."
        own = _offset_date(sentence.text, _story_date(window, doc.own_dates) or doc.lead_when())
    if own is None and not unresolved and sentence.paragraph in doc.paragraph_dates:
        dated = doc.paragraph_dates[sentence.paragraph]
        own = _When(dated.start, dated.end, dated.precision, f"the paragraph's date ({dated.basis})")
    if own is not None and own.precision in ("quarter", "year") and points_back(sentence.text):
        own = _finer_story_date(own, _story_date(window, doc.own_dates) or doc.lead_when())
    if own is not None:
        doc.own_dates[sentence.number] = own
        if _only_a_date(sentence.text, all_mentions):  # "Thursday." heads the items of a round-up
            doc.paragraph_dates[sentence.paragraph] = own
    if doc.lead is None and keyword is not None and not _HABITUAL.search(sentence.text):
        first = own or _reported_week(mentions, sentence.text)
        recent = first is not None and first.precision in ("day", "week", "month")
        doc.lead = (sentence.number, first) if recent else None
    return _Dating(own, unresolved, mentions, all_mentions, context_year, window)


def _read_violence(doc: Document, index: int, dating: _Dating) -> _Reading:
    """Type, places tied to the violence (the first group the geocoder resolves), actors in order and the dead."""
    sentence = doc.sentences[index]
    source = " ".join(part for part in (doc.source_name, sentence.reference) if part) or None
    kind, sub_kind = event_type(sentence.text, [a.family for a in doc.actors[index]])
    date_spans = [m.span for m in dating.all_mentions]
    all_groups = place_groups(sentence.text, date_spans)
    groups = [g for g in all_groups if g.role == "event"]
    if any(g.distance <= STRONG_TIE and g.kind != "country" for g in groups):  # a place tied to the violence: never
        groups = [g for g in groups if g.distance <= STRONG_TIE]  # fall back to others (a country places nothing)
    found, tried, vague = doc.places.first_group(groups, sentence.text)
    if found and any(g.route and found[0][0] in g.names for g in groups):  # "a lorry between X and Y"
        found = found[:1]
    named = with_antecedent(sentence.text, parties(sentence.text, doc.actors[index]), doc.actors, index)
    if _HABITUAL_CLAIM.search(sentence.text):  # the groups blamed for attacks in general did no incident here
        named = [a for a in named if a.family not in (*JIHADIST_FAMILIES, "Militia")]
    ordered = order_actors(sentence.text, named, kind)
    deaths = find_fatalities(sentence.text, date_spans)
    return _Reading(sentence, source, kind, sub_kind, date_spans, all_groups, groups, found, tried, vague, ordered,
                    deaths)  # fmt: skip


def _names_the_told(text: str, name: str) -> bool:
    """True when the sentence's subject is "the <place> attack" ("The Timbuktu attack was the group's second in 48
    hours, following Sunday's raid on Boulkessi"): it speaks of an incident told before, whatever dates follow."""
    pattern = (rf"^(?:the|this|that)\s+{re.escape(name)}\s+(?:[\w-]+\s+)?(?:attack|assault|raid|ambush|massacre"
               r"|bombing|killings|siege)s?\b")  # fmt: skip
    return re.search(pattern, text, re.IGNORECASE) is not None


def _tolls_by_place(doc: Document, reading: _Reading, dating: _Dating) -> bool:
    """"31 people died in X and 13 in Y", about places already told: each told place takes its own toll (a figure
    for one place is finer than a toll for the incident's places together). True when it did."""
    text = reading.sentence.text
    figures = death_figures(text, reading.date_spans)
    if not figures or dating.own is not None:
        return False
    placeholder = _When(date.min, date.min, "day", "")
    steps = _sequence(text, reading.all_groups, dating.mentions, figures, placeholder) or []
    tolls = []
    for group, _step, toll in steps:
        names = {normalise(name) for name in group.names}
        rows = [row for row in doc.rows if normalise(str(row["location"])) in names]
        if toll.best is not None and rows:
            tolls.append((rows[0], toll))  # the first report of the place: later ones fold into it
    if len(tolls) < 2 or len(tolls) < sum(toll.best is not None for _, _, toll in steps):
        return False
    for row, toll in tolls:
        row["fatalities"], row["fatalities_low"], row["fatalities_high"] = toll.best, toll.low, toll.high
        row["notes"] = f"{row['notes']} {_with_toll_note(text, reading.date_spans)} [the toll of this place]"
        row["_place_toll"] = True
    return True


def _told_again(doc: Document, reading: _Reading, dating: _Dating) -> bool:
    """An undated sentence about a place already told adds its facts to that incident (or, for another village
    placed at the same seat's point, is a sibling event of the same date and actors); one that gives each told
    place its own toll gives it to each (:func:`_tolls_by_place`). True when it did."""
    if _tolls_by_place(doc, reading, dating):
        return True
    found = reading.found
    if not found or dating.unresolved or (dating.own is not None and not _names_the_told(reading.sentence.text,
                                                                                         found[0][0])):
        return False  # a dated sentence is its own incident unless it says "the Timbuktu attack" of a told one
    point = {"latitude": found[0][1].latitude, "longitude": found[0][1].longitude}
    told = [row for row in doc.rows if _km(row, point) <= 10]
    by_name = [row for row in told if normalise(str(row["location"])) == normalise(found[0][0])]
    told = by_name or told  # two villages placed at one seat's point stay apart
    # "jihadists are active in the region" (analysis) hits no village of its own
    if (told and not by_name and found[0][1].geo_precision >= 2 and told[-1]["geo_precision"] >= 2
            and not analysis(reading.sentence.text)):  # fmt: skip
        # another village of the incident ("then moved on to the nearby village of X, where they killed two
        # more"), placed at the same seat's point as the first: an event of its own, same date and actors
        doc.rows.append(_sibling(doc.rows, told[-1], reading.sentence, found[0], reading.ordered, reading.deaths,
                                 reading.source))  # fmt: skip
        return True
    if told:
        _follow_up(doc.rows, told[-1], reading.sentence, reading.ordered, reading.deaths, reading.source, None,
                   reading.date_spans)  # fmt: skip
        return True
    return False


def _goes_on(doc: Document, index: int, reading: _Reading, dating: _Dating) -> bool:
    """A sentence with no place tied to its violence goes on with the incident it continues ("it resumed until
    Saturday" extends its days), or, pointing back with no incident before it, waits for the infobox's. True
    when it was used so."""
    text, own = reading.sentence.text, dating.own
    loose = reading.groups and all(g.distance > STRONG_TIE for g in reading.groups)  # places not tied to violence
    if loose and _another_place_hit(text, reading.found, doc.rows):  # "A post in Bamba was also targeted"
        loose = False
    if (reading.groups and not loose) or dating.unresolved:
        return False
    target = _continued(doc.rows, doc.sentences, index, own, dated=doc.anchor is not None)
    if target is not None:
        if own is not None and _GOES_ON.search(text):  # "it resumed until Saturday"
            last_day = max(m.end for m in dating.mentions if m.end is not None)
            if target["date_end"].date() < last_day <= target["date_end"].date() + timedelta(days=3):
                target["date_end"] = pd.Timestamp(last_day)
                target["date_basis"] = f"{target['date_basis']}; until {last_day} (a follow-up sentence)"
                own = None  # its days extend the incident, they do not narrow it
        _follow_up(doc.rows, target, reading.sentence, reading.ordered, reading.deaths, reading.source, own,
                   reading.date_spans)  # fmt: skip
        if own is None and reading.found:
            _narrow_place(target, reading.found[0], reading.sentence)
        return True
    if own is None and doc.main is not None and points_back(text):
        doc.orphans.append((reading.sentence, reading.ordered))
        return True
    return False


def _within_region(result: GeocodeResult, row: dict) -> bool:
    """True when ``result`` (a town or village) lies in the region (admin-1) of ``row``, a region-level event."""
    region = row.get("admin1")
    return bool(region) and not pd.isna(region) and result.geo_precision <= 2 and (
        normalise(str(result.admin1 or "")) == normalise(str(region))
        and result.country_iso2 == row["country_iso2"]
    )


def _narrow_place(row: dict, found: tuple[str, GeocodeResult], sentence: Sentence) -> None:
    """An incident placed only at a border or a country-wide phrase (precision 4), or at a region (3), that a
    follow-up sentence places in a named unit or town of the same country (of that region) ("... near the Mali
    border. The troops were on patrol in the north of the Banibangou department"; "six killed in the region of
    Timbuktu. ... in a nearby locality, Gossi") moves there: the finer place the text gives for the same
    incident."""
    name, result = found
    if row["geo_precision"] < 3 or result.geo_precision >= row["geo_precision"]:
        return
    if row["geo_precision"] == 3 and not _within_region(result, row):  # "in the Timbuktu region ... a locality,
        return  # Gossi": a settlement of that very region, else another place
    border = re.search(r"\bborder", str(row["location"]), re.IGNORECASE)  # its point lies on either side
    if row["country_iso2"] and result.country_iso2 != row["country_iso2"] and not border:
        return
    row.update(location=name, latitude=result.latitude, longitude=result.longitude,
               geo_precision=result.geo_precision, country_iso2=result.country_iso2, admin1=result.admin1,
               admin2=result.admin2, place_basis=f"sentence {sentence.number} (a follow-up naming a finer place)",
               geo_note=getattr(result, "note", None) or None)  # fmt: skip


# Background, not an incident: a stretch up to now ("since then", "since 2012") or a habit ("repeatedly", "for years")
_BACKGROUND = re.compile(
    r"\bsince\b|\b(?:repeatedly|frequently|regularly|routinely|often|increasingly)\b|\bcontinu(?:e|es|ing)\s+to\b"
    r"|\bfor\s+(?:years|decades|months)\b",
    re.IGNORECASE,
)


_YARDSTICK = re.compile(r"\b(?:deadliest|worst|bloodiest|largest|biggest|heaviest|highest|first|most\s+\w+)\b[^.;]*$",
                        re.IGNORECASE)  # fmt: skip


def _background(text: str) -> bool:
    """True for a sentence of background: a stretch up to now or a habit, not a yardstick ("the deadliest attack
    since 2015" is about the incident); analysis or presence (:func:`geodata.text.rules.analysis`)."""
    if analysis(text):
        return True
    for found in _BACKGROUND.finditer(text):
        if found.group(0).lower() != "since" or not _YARDSTICK.search(text[max(0, found.start() - 80) : found.start()]):
            return True
    return False


def _story_and_when(doc: Document, index: int, dating: _Dating) -> tuple[_When | None, _When | None]:
    """(the story's date a sentence without its own takes, the date its event gets): the paragraph's day, the
    reported week, the lead's date, the week up to a report's date, else the year context."""
    sentence, own = doc.sentences[index], dating.own
    if dating.unresolved or (own is None and _background(sentence.text)):
        return None, None  # background takes no date from around it: "Since then, the town has been hit ..."
    story = None if own is not None else _story_date(dating.window, doc.own_dates)
    story = story or (None if own is not None else _reported_week(dating.mentions, sentence.text))
    undated_story = doc.lead is not None and doc.anchor is None and _same_story(doc, sentence)
    if story is None and own is None and doc.lead is not None and (doc.anchor is not None or undated_story):
        story = _lead_date(sentence, doc.lead, doc.story_years[index], dating.context_year)
    if story is None and own is None and doc.lead is None and doc.anchor is not None:
        story = _recent_past(sentence, doc.anchor, doc.story_years[index], dating.context_year)
        doc.lead = (sentence.number, story) if story is not None else None
    return story, own or story or _context_date(doc.story_years, index, dating.context_year)


def _same_story(doc: Document, sentence: Sentence) -> bool:
    """In a text with no date of its own, a later sentence is of the lead's written day when it points back at
    that incident ("The attackers killed four more as they withdrew") or the lead is a dated headline, and no
    other day has been told since: a history that moves on to other days keeps its sentences undated."""
    number, when = doc.lead
    if when.precision not in ("day", "week") or when.basis.startswith("the week"):
        return False
    told = [w for n, w in doc.own_dates.items() if number < n < sentence.number]
    if any((w.start, w.end) != (when.start, when.end) for w in told):
        return False
    return points_back(sentence.text) or doc.sentences[number - 1].heading


def _hold_back(doc: Document, reading: _Reading, reason: str, found: list | None = None) -> None:
    """Keep a violent sentence out of the events with its reason, the names it tried and their candidates."""
    found = reading.found if found is None else found
    names = [name for name, _ in found] + [name for name, _ in reading.tried]
    candidates = [f"{name} -> {result.matched_name}" for name, result in found]
    candidates += [c for _, cands in reading.tried for c in cands]
    doc.rejected.append(
        {
            "sentence_number": reading.sentence.number,
            "sentence": reading.sentence.text,
            "source": reading.source,
            "reason": reason,
            "name": "; ".join(dict.fromkeys(names)) or None,
            "candidates": "; ".join(dict.fromkeys(candidates)) or None,
        }
    )


def _held_back(doc: Document, reading: _Reading, dating: _Dating, when: _When | None) -> bool:
    """True when the sentence cannot be an event (no date, no place, a place too vague or not found); a country-
    level lead with a toll is kept aside for the text's incidents."""
    if dating.unresolved:
        _hold_back(doc, reading, RELATIVE_WITHOUT_ANCHOR)
        return True
    if when is None:
        _hold_back(doc, reading, "no date")
        if not reading.found and (reading.deaths.low is not None or reading.deaths.best is not None):
            # "Gunmen have killed 37 civilians in a village in Niger": a wire lead, its incident told next
            doc.country_leads.append((reading.sentence, None, tuple(reading.vague), reading.deaths, reading.ordered))
        return True
    if not reading.found:
        if reading.tried:
            _hold_back(doc, reading, "place not found")
        elif reading.vague:
            _hold_back(doc, reading, f"place too vague: only {', '.join(reading.vague)}")
            if reading.deaths.low is not None or reading.deaths.best is not None:  # "44 killed in an attack in Niger"
                doc.country_leads.append((reading.sentence, when, tuple(reading.vague), reading.deaths,
                                          reading.ordered))  # fmt: skip
        else:
            _hold_back(doc, reading, "no place")
            if reading.deaths.low is not None or reading.deaths.best is not None:  # "51 soldiers were killed Friday"
                doc.country_leads.append((reading.sentence, when, (), reading.deaths, reading.ordered))
        return True
    if reading.tried and reading.place_basis == "sentence":  # names of the winning group the geocoder missed
        _hold_back(doc, reading, "place not found (other places of this sentence were placed)", found=[])
    return False


def _add_events(doc: Document, index: int, reading: _Reading, dating: _Dating, when: _When) -> None:
    """The sentence's events: one per place of its winning group (the dead on the first), one per step of a
    sequence ("at X on 8 March, then at Y on 11 March"), one per further dated clause at the same place."""
    sentence, found, kind, sub_kind = reading.sentence, reading.found, reading.kind, reading.sub_kind
    spans = reading.date_spans
    extras = _other_incidents(sentence.text, when, dating.context_year, doc.anchor)
    main_text, ordered, deaths = sentence.text, reading.ordered, reading.deaths
    if extras:  # the first clause's actors and dead are the first incident's; the others have their own
        main_end = sentence.text.find(extras[0][0])
        main_text = sentence.text[:main_end]
        ordered = [a for a in ordered if not 0 <= a.start < 10_000 or a.start < main_end]
        deaths = find_fatalities(main_text, spans)
    ordered, new_kind = victims_and_perpetrators(ordered, death_figures(main_text, spans), kind, main_text)
    if new_kind != kind and kind == "Battles":
        kind, sub_kind = new_kind, "Attack"
    elif new_kind == "Battles" and kind == "Violence against civilians":  # armed men among the dead
        kind, sub_kind = new_kind, "Armed clash"
    actor1, actor2 = pair(ordered, recent_pair(doc.actors, index) or doc.dyad, names_a_pair(sentence.text), kind)
    victims = {f.category for f in death_figures(sentence.text, spans)}
    sequence = _sequence(sentence.text, reading.all_groups, dating.mentions, death_figures(sentence.text, spans), when)
    prefix = f"{doc.id_prefix}:{sentence.number}"
    if sequence is not None and reading.place_basis == "sentence":  # "at X on 8 March, then at Y on 11 March"
        stepped: set[str] = set()
        for number, (group, step_when, step_figures) in enumerate(sequence):
            step_found, _, _ = doc.places.first_group([group])
            if not step_found or normalise(step_found[0][0]) in stepped:  # "... an earlier count gave 49 in X"
                continue
            name, result = step_found[0]
            stepped.add(normalise(name))
            basis = "sentence (one of several places with their own date or toll)"
            doc.rows.append(_row(f"{prefix}-{chr(ord('a') + number)}", doc.dataset, step_when, kind, sub_kind, actor1,
                                 actor2, step_figures, name, result, reading.source, sentence.text, basis,
                                 sentence.number))  # fmt: skip
            doc.rows[-1]["_victims"] = victims
        return
    relations = {name: group for group in reading.groups if group.relation for name in group.names}
    shared = _shared_toll(sentence.text, len(found))
    for number, (name, result) in enumerate(found):
        suffix = f"-{chr(ord('a') + number)}" if len(found) > 1 else ""
        figures = deaths if number == 0 and not shared else Fatalities(None, None, None)
        doc.rows.append(_row(f"{prefix}{suffix}", doc.dataset, when, kind, sub_kind, actor1, actor2, figures, name,
                             result, reading.source, sentence.text, reading.place_basis, sentence.number))  # fmt: skip
        doc.rows[-1]["_shared"] = shared
        if number == 0:
            doc.rows[-1]["_victims"] = victims
            doc.rows[-1]["notes"] = _with_toll_note(sentence.text, spans)
            if shared and deaths.best is not None:
                doc.rows[-1]["notes"] += f" [toll {deaths.best} for all {len(found)} places together: none of each]"
        if reading.place_basis == "sentence" and name in relations:
            relate(doc.rows[-1], relations[name])
        if isinstance(result, UnitPlaced):  # a village the gazetteer lacks, at the unit the text names
            doc.rows[-1]["geo_note"] = result.note
    # "On 9 June, 19 people were shot dead in the town, and an attack on 20 November was repelled": a second dated
    # incident in a clause of its own, at the same place
    for extra, (clause, clause_when) in enumerate(extras):
        doc.rows.append(_clause_event(f"{prefix}-{extra + 2}", doc.dataset, clause, clause_when, found[0],
                                      reading.source, reading.place_basis, sentence.number))  # fmt: skip


def _finish(doc: Document) -> Extraction:
    """Attributions and country-level leads onto the incidents, one event per incident, actor pairs tidied."""
    _attributions(doc.sentences, doc.actors, doc.rows, doc.places)
    _infobox_parties(doc.main, doc.rows)
    _country_leads(doc.rows, doc.country_leads)
    for sentence, ordered in doc.orphans:
        if doc.main is None:
            doc.rejected.append(_rejection(sentence, doc.source_name, "no place"))
        else:
            _add_facts(doc.main, sentence, ordered, find_fatalities(sentence.text), None)
    rows = _one_event_per_incident(_placed_precisely(_placed_by_the_text(doc.rows)))
    for row in rows:
        row.pop("_sentence", None)
        _victims_second(row, row.pop("_victims", None))
        if row["group1"] is not None and row["group1"] == row["group2"]:  # one party named twice
            row["actor2"], row["group2"] = None, None
        if row["group1"] is None and row["group2"] == "Civilians":  # an IED that killed civilians, no one named
            row["actor1"], row["group1"], row["actor2"], row["group2"] = row["actor2"], "Civilians", None, None
        if row["group1"] == "Civilians" and row["group2"] is None:  # civilians attacked by no one named
            row["actor1"], row["group1"], row["actor2"], row["group2"] = (
                "unidentified armed group", "Other", row["actor1"], "Civilians",
            )  # fmt: skip
        if row["group1"] is None and row["group2"] is None:  # "the attack hit two villages": done by no one named
            row["actor1"], row["group1"] = "unidentified armed group", "Other"
    events = schema.conform(pd.DataFrame(rows, columns=[*schema.COLUMN_NAMES, *BASIS_COLUMNS]))
    if len(events):  # "Islamic State West Africa" claims in the Sahel are the Sahel branch's (ISGS)
        events = schema.conform(regional_families(events))
    for column in BASIS_COLUMNS:
        events[column] = events[column].astype("string")
    rejected_frame = pd.DataFrame(doc.rejected, columns=list(REJECTED_COLUMNS)).astype(
        {"sentence_number": "Int64", **{c: "string" for c in REJECTED_COLUMNS if c != "sentence_number"}}
    )
    return Extraction(events=events, rejected=rejected_frame, n_sentences=len(doc.sentences))


def _infobox_parties(main: dict | None, rows: list[dict]) -> None:
    """The infobox's perpetrator and target name the parties of the prose's events of its incident (its place
    within 10 km, overlapping days) that the prose left unnamed ("militants attacked four villages")."""
    if main is None:
        return
    named = [(main[f"actor{n}"], main[f"group{n}"]) for n in ("1", "2") if main[f"group{n}"]]
    for row in rows:
        if row is not main and named and _km(row, main) <= 10 and (
                row["date_start"] <= main["date_end"] and main["date_start"] <= row["date_end"]):  # fmt: skip
            _complete_actors(row, named)


def _victims_second(row: dict, victims: set[str] | None) -> None:
    """When all the event's dead are soldiers or militiamen, their side is the target (family2), the one who
    attacked them (named, or unnamed: "unidentified armed group", Other) the perpetrator, as ACLED codes it."""
    pro = ("State forces", "Militia", "Wagner Group")
    if not victims or not victims <= {"state", "militia"} or row["group1"] not in pro:
        return
    if row["group2"] is None:
        row["actor2"], row["group2"] = row["actor1"], row["group1"]
        row["actor1"], row["group1"] = "unidentified armed group", "Other"
    elif row["group2"] not in pro and row["group2"] != "Civilians":
        row["actor1"], row["group1"], row["actor2"], row["group2"] = (
            row["actor2"], row["group2"], row["actor1"], row["group1"],
        )  # fmt: skip


RELATIVE_WITHOUT_ANCHOR = "relative date without a document date"


_NEXT_DAY = re.compile(r"\b(?:the\s+(?:next|following)\s+day|a\s+day\s+later|the\s+day\s+after)\b", re.IGNORECASE)
# "30 people in X, two in Y and eight in Z", "... and three on the road between X and Y": a bare number before
# "in/at/near" or a road phrase is a toll for the place after it.
_ELLIPTIC_FIGURE = re.compile(
    r"(?:^|,|;|\band\b)\s*(?P<n>\d{1,4}|[a-z]+(?:-[a-z]+)?)\s+(?:more\s+|others?\s+)?(?:in|at|near|outside|around"
    r"|on\s+the\s+(?:road|axis|route|highway)\s+(?:between|to|from|linking|near))\s+$", re.IGNORECASE
)


def _sequence(text: str, groups: list, mentions: list[DateMention], figures: list, when: _When | None,
              ) -> list[tuple[object, _When, Fatalities]] | None:  # fmt: skip
    """Several places of one sentence told with their own date or their own toll ("at Tamalate on 8 and 9 March,
    then at Inchinane the next day and at Anderamboukane on 11 March"; "killed 30 people in X, two in Y and eight
    in Z"): one (group, date, toll) per place, or None when the places share the sentence's date and toll.

    A place's date is the first date written after it and before the next place ("the next day": the day after
    the place before); its toll is the figure written just before it. A place with neither takes the
    sentence's date and no toll."""
    named = sorted((g for g in groups if g.role == "event" and g.kind in ("name", "region")), key=lambda g: g.start)
    if len({normalise(g.names[0]) for g in named}) < 2 or when is None:  # a headline and lead naming X twice
        return None
    ends = [g.start for g in named[1:]] + [len(text)]
    dates: list[_When | None] = []
    for group, end in zip(named, ends, strict=True):
        own = [m for m in mentions if group.end <= m.span[0] < end]
        if own:
            dates.append(_When(own[0].start, own[0].end, own[0].precision, f'"{own[0].text}" after {group.names[0]}'))
        elif dates and dates[-1] is not None and _NEXT_DAY.search(text[group.end : end]):
            day = dates[-1].end + timedelta(days=1)
            dates.append(_When(day, day, "day", f"the day after {dates[-1].basis}"))
        else:
            dates.append(None)
    tolls: list[Fatalities | None] = []
    starts = [0] + [g.end for g in named[:-1]]
    for group, start in zip(named, starts, strict=True):
        spoken = [f for f in figures if start <= f.span[0] < group.start]
        elliptic = _ELLIPTIC_FIGURE.search(text[start : group.start])
        count = parse_number(elliptic.group("n")) if elliptic else None
        if spoken:
            tolls.append(spoken[-1].figures)
        elif count is not None and tolls:
            tolls.append(Fatalities(count, count, count))
        else:
            tolls.append(None)
    distinct_dates = len({(d.start, d.end) for d in dates if d is not None}) >= 2
    own_tolls = sum(t is not None for t in tolls) >= 2
    if not (distinct_dates or own_tolls):
        return None
    none = Fatalities(None, None, None)
    return [
        (group, (day if distinct_dates and day is not None else when), toll if own_tolls and toll else none)
        for group, day, toll in zip(named, dates, tolls, strict=True)
        if not distinct_dates or day is not None or group is named[0]
    ]


# Clause breaks between two incidents of one sentence: "...; ...", "..., and an attack on 20 November ...".
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:and|while|whereas|but)\s+(?=(?:an?|the|another|on|in|at|\d)\b)", re.IGNORECASE)


def _other_incidents(text: str, when: _When | None, context_year: int | None,
                     anchor: DocumentDate | None) -> list[tuple[str, _When]]:  # fmt: skip
    """Clauses after the first that report violence of their own on a date of their own, other than ``when``."""
    if when is None:
        return []
    day = anchor.day if anchor else None
    clauses = _CLAUSE_BREAK.split(text)
    found = []
    seen = {(when.start, when.end)}
    for clause in clauses[1:]:
        keyword = main_keyword(clause)
        if keyword is None:
            continue
        mentions = [m for m in find_dates(clause, context_year, day) if m.resolved]
        own = _own_date(mentions, keyword.start(), clause, anchor)
        if own is None or (own.start, own.end) in seen:
            continue
        seen.add((own.start, own.end))
        found.append((clause, _When(own.start, own.end, own.precision, f"{own.basis} (a clause of its own)")))
    return found


def _clause_event(event_id: str, dataset: str, clause: str, when: _When, place: tuple[str, GeocodeResult],
                  source: str | None, place_basis: str, sentence_number: int) -> dict:  # fmt: skip
    """The event of a clause that reports an incident of its own, at its sentence's place."""
    named = find_actors(clause)
    kind, sub_kind = event_type(clause, [a.family for a in named])
    ordered = order_actors(clause, parties(clause, named), kind)
    figures = death_figures(clause)
    ordered, new_kind = victims_and_perpetrators(ordered, figures, kind, clause)
    if new_kind != kind:
        kind, sub_kind = new_kind, "Attack" if new_kind == "Violence against civilians" else "Armed clash"
    actor1, actor2 = pair(ordered, None, False, kind)
    if actor1 is None and actor2 is None:
        actor1 = Actor("unidentified armed group", "Other", -1)
    name, result = place
    row = _row(event_id, dataset, when, kind, sub_kind, actor1, actor2, find_fatalities(clause), name, result, source,
               clause, place_basis, sentence_number)  # fmt: skip
    row["_victims"] = {f.category for f in figures}
    return row


def _only_a_date(text: str, mentions: list[DateMention]) -> bool:
    """A sentence that is only a date ("Thursday.", "12 September 2023:") dates the rest of its paragraph."""
    rest = text
    for mention in mentions:
        rest = rest.replace(mention.text, " ")
    return bool(mentions) and not re.search(r"[A-Za-z0-9]", re.sub(r"\b(?:on|the)\b", " ", rest, flags=re.I))


def _row(event_id, dataset, when, kind, sub_kind, actor1, actor2, figures, name, result, source, notes,
         place_basis, sentence_number) -> dict:  # fmt: skip
    return {
        "event_id": event_id,
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
        "notes": notes,
        "date_basis": when.basis,
        "place_basis": place_basis,
        "_sentence": sentence_number,
    }


def relate(row: dict, group: PlaceGroup) -> None:
    """A place the text gives relative to a named one ("about 90 km east of Timbuktu", "on the road between X and
    Y", "near the border with Niger", "in the Nord region") keeps the named place's point, as ACLED does, at
    precision 2 or coarser, with the relation in ``geo_note``. When the text gives a distance AND a bearing the point
    is moved there (the point the text describes; the named place stays in ``location``), and ``geo_note`` says so."""
    row["geo_note"] = group.relation
    if group.kind == "name":
        row["geo_precision"] = max(int(row["geo_precision"]), 2)
    if group.offset is not None:
        km, bearing = group.offset
        row["latitude"], row["longitude"] = destination(row["latitude"], row["longitude"], km, bearing)
        row["geo_note"] = f"{group.relation} (point moved {km:g} km at bearing {bearing:g} from {row['location']})"


def destination(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) on the great circle leaving it at ``bearing`` degrees (0 north, 90 east)."""
    delta, theta = km / geo.EARTH_KM, math.radians(bearing)
    phi1, lam1 = math.radians(lat), math.radians(lon)
    phi2 = math.asin(math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta))
    lam2 = lam1 + math.atan2(math.sin(theta) * math.sin(delta) * math.cos(phi1),
                             math.cos(delta) - math.sin(phi1) * math.sin(phi2))  # fmt: skip
    return round(math.degrees(phi2), 5), round(math.degrees(lam2), 5)


def _with_toll_note(text: str, date_spans: list[tuple[int, int]] = ()) -> str:
    """The sentence, with whose figure is whose when it gives competing tolls, and the attackers' dead the state
    side claims (in the best and high figures, not the low one): "... [toll: at least 50 (officials); over 100
    (relatives)]"."""
    notes = []
    sources = toll_sources(text, list(date_spans))
    if sources:
        notes.append(f"toll: {sources}")
    figures = death_figures(text, date_spans)
    claimed = state_claims(text, figures)
    if claimed and len(claimed) < len(figures):
        notes.append("attackers' dead claimed by the state side, in the best and high figures, not the low: "
                     + ", ".join(text[f.span[0] : f.span[1]] for f in claimed))  # fmt: skip
    return f"{text} [{'; '.join(notes)}]" if notes else text


def _rejection(sentence: Sentence, source_name: str, reason: str) -> dict:
    source = " ".join(part for part in (source_name, sentence.reference) if part) or None
    return {"sentence_number": sentence.number, "sentence": sentence.text, "source": source, "reason": reason,
            "name": None, "candidates": None}  # fmt: skip


# ---------------------------------------------------------------- one incident, one event



_HABITUAL = re.compile(
    r"\b(?:have|has|(?<!\bit\s)(?<!\bthey\s)had)\s+(?:\w+\s+)?(?:killed|been\s+killed|attacked|died|fought|displaced"
    r"|claimed)\b|\bsince\b"  # "the army said it had killed 40" reports one incident, not a habit
    r"|\b(?:every|each)\s+(?:year|month|week)\b|\bso\s+far\b"
    # a group's ongoing habit: "jihadists of AQIM continue to carry out suicide attacks" is no one incident's
    r"|\bcontinu(?:e|es|ing)\s+to\b|\b(?:regularly|frequently|repeatedly|routinely)\b"
    # a trend, not an incident: "has been battling an escalating wave of attacks over the last three years",
    # "attacks have spread to the East region"
    r"|\b(?:has|have)\s+been\s+(?:battling|fighting|grappling|facing|struggling|plagued|wracked)\b"
    r"|\b(?:attacks|violence|insurgency|unrest)\s+(?:has|have)\s+(?:also\s+)?(?:spread|surged|escalated|increased"
    r"|grown|intensified)\b|\bover\s+the\s+(?:last|past)\s+(?:\w+\s+)?(?:years|months|decade)\b",
    re.IGNORECASE,
)


# A sentence saying the fighting went on: its later days extend the incident told just before.
_GOES_ON = re.compile(
    r"\b(?:resum(?:ed|es)|continu(?:ed|es)|went\s+on|carried\s+on|lasted|raged|persisted|dragged\s+on|halted"
    r"|paused|until|through(?:out)?)\b",
    re.IGNORECASE,
)


# "A post in X was also targeted", "another attack hit X": a second incident at a place of its own
_ALSO_HIT = re.compile(
    r"\balso\s+(?:been\s+)?(?:targeted|attacked|hit|struck|raided|ambushed|shelled|stormed|overrun)\b"
    r"|\b(?:another|a\s+second|a\s+separate)\s+(?:\w+\s+)?(?:attack|assault|ambush|raid|strike|bombing)\b",
    re.IGNORECASE,
)


def _another_place_hit(text: str, found: list, rows: list[dict]) -> bool:
    """True when a sentence says a place it names was also hit and that place is not the last incident's: its
    place is a new incident's, not a loose mention to fold into the last one."""
    if not found or not rows or _ALSO_HIT.search(text) is None:
        return False
    _, result = found[0]
    return _km(rows[-1], {"latitude": result.latitude, "longitude": result.longitude}) > 10


def _continued(rows: list[dict], sentences: list[Sentence], index: int, own: _When | None,
               dated: bool = False) -> dict | None:  # fmt: skip
    """The event a placeless violent sentence continues, or None.

    Without a date of its own, and not a habitual statement ("attacks have killed thousands since 2015"): the
    last event, when it is in the same paragraph, or the sentence points back ("the attack", "the toll"), or the
    text is a dated report (news, bulletins tell their incidents in turn; a history does not). With a
    date of its own: the last event of its paragraph when the date lies in the event's dates or the week before
    them and the sentence points back, or across a paragraph break when it also is a day or week ("The assault
    began on Tuesday"). A date outside is a later stage, not a follow-up. The infobox's incident is continued
    by sentences that point back."""
    if not rows:
        return None
    last = rows[-1]
    current = sentences[index]
    refers = points_back(current.text)
    first = next(row for row in rows if row["_sentence"] == last["_sentence"])  # the figures sit on the first
    if last["_sentence"] == 0:  # the infobox's incident, about the whole article
        overlaps = own is None or (own.start <= first["date_end"].date() and first["date_start"].date() <= own.end)
        return first if refers and overlaps else None
    previous = sentences[last["_sentence"] - 1]
    if own is None:
        if _HABITUAL.search(current.text):
            return None
        # a dated report (news, bulletin) tells its incidents in turn: an undated placeless sentence goes on with
        # the last one told; a history (no document date) only within a paragraph or when it points back
        return first if previous.paragraph == current.paragraph or refers or dated else None
    counted = _COUNTED.search(current.text) and first["fatalities"] is None and first["fatalities_low"] is None
    if counted and first["date_start"].date() <= own.start <= first["date_end"].date() + timedelta(days=3):
        return first  # "This morning we counted 19 dead": the toll of the last incident, counted after it
    goes_on = _GOES_ON.search(current.text) and previous.paragraph == current.paragraph
    if refers and goes_on and first["date_start"].date() <= own.start <= first["date_end"].date() + timedelta(days=3):
        return first  # "a sandstorm halted the fighting on Friday; it resumed until Saturday"
    if not refers:
        return None
    if previous.paragraph != current.paragraph and own.precision not in ("day", "week"):
        return None
    if not (own.start <= first["date_end"].date() and first["date_start"].date() - timedelta(days=7) <= own.end):
        return None
    return first


# Counting or finding the dead after an incident ("we counted 19 dead", "the bodies of 12 were found").
_COUNTED = re.compile(r"\b(?:counted|recovered|found|buried|collected)\b[^.;]{0,40}\b(?:dead|bodies|corpses)\b"
                      r"|\b(?:bodies|corpses)\b[^.;]{0,40}\b(?:were|have\s+been|had\s+been)\s+(?:found|recovered"
                      r"|counted|buried)\b", re.IGNORECASE)  # fmt: skip


_CLAIM = re.compile(
    r"\b(?:claim(?:ed|s|ing)?|attribut(?:ed|es|ing)|blam(?:ed|es|ing)|responsibility|accus(?:ed|es)|suspected"
    r"|suspicion|suspects?|(?:presented|identified|introduced|described)\s+themselves\s+as|said\s+they\s+were"
    r"|belong(?:ed|s)?\s+to)\b"
    # a hedged attribution: "seven enemies, probably from the ISGS", "fighters believed to belong to JNIM"
    r"|\b(?:probably|likely|presumably|presumed|believed|thought)\s+(?:to\s+(?:be|have\s+been)\s+)?(?:from|of"
    r"|members\s+of|fighters\s+of|belonging\s+to|linked\s+to|affiliated\s+(?:to|with))\b"
    # a group's own word for it: "the Islamic State said through its Amaq agency that its fighters had killed 30"
    r"|\bsaid\b[^.;]{0,60}\b(?:its|their)\s+(?:fighters|militants|men|mujahideen)\s+(?:had\s+)?(?:killed|attacked"
    r"|ambushed|carried\s+out|struck|targeted)\b"
    r"|\b(?:said|says)\s+(?:that\s+)?(?:it|they)\s+(?:had\s+|was\s+|were\s+)?(?:carried\s+out|behind|staged|conducted"
    r"|launched|perpetrated)\b",  # "the jihadist Mujao group said it had carried out the two attacks"
    re.IGNORECASE,
)
_NOBODY = re.compile(r"\b(?:no|none|nobody|no\s+one)\b[^.;]{0,20}\bclaim", re.IGNORECASE)
# A claim or blame of attacks in general ("IS has increasingly attributed such attacks to ...", "most attacks in the
# region are blamed on ..."): background, no one incident's perpetrator.
_HABITUAL_CLAIM = re.compile(
    r"\b(?:increasingly|often|regularly|frequently|usually|generally|typically|routinely|mostly|largely|repeatedly"
    r"|commonly|widely)\b[^.;]{0,40}?\b(?:claim|attribut|blam|accus)"
    r"|\b(?:claim|attribut|blam|accus)\w*\s+(?:\w+\s+){0,3}?(?:such|most|many|numerous)\s+"
    r"(?:\w+\s+)?(?:attacks|assaults|raids|ambushes|killings)\b"
    r"|\b(?:such|most|many|numerous)\s+(?:\w+\s+)?(?:attacks|assaults|raids|ambushes|killings)\b[^.;]{0,60}?"
    r"\b(?:claimed|attributed|blamed)\b",
    re.IGNORECASE,
)
_ALL = re.compile(r"\b(?:both|either|all|the\s+(?:two|three|twin)|these)\b", re.IGNORECASE)


def _attributions(sentences: list[Sentence], actors: list[list[Actor]], rows: list[dict],
                  places: PlaceLookup) -> None:  # fmt: skip
    """"JNIM claimed the attack", "analysts attribute it to the ISGS": a sentence that claims or attributes violence
    to one jihadist group names the perpetrator that the events it speaks of left unnamed ("gunmen") or missing:
    the events at the places it names, else every earlier event when it says "both/either attacks", else the
    last one before it."""
    for index, sentence in enumerate(sentences):
        attributed = re.search(r"\b(?:attribut|blam|suspect|accus)", sentence.text, re.IGNORECASE)
        if (not _CLAIM.search(sentence.text) or (_NOBODY.search(sentence.text) and not attributed)
                or _HABITUAL_CLAIM.search(sentence.text)):
            continue
        groups = [a for a in actors[index] if a.family in JIHADIST_FAMILIES]
        if not groups:  # "local authorities suspect the Dan Na Ambassagou militia"
            claim_at = _CLAIM.search(sentence.text).start()
            groups = [a for a in actors[index] if a.family == "Militia" and a.start > claim_at
                      and not any(b.family in ("State forces", "Wagner Group") for b in actors[index])]
        if len({a.family for a in groups}) != 1:
            continue
        earlier = [row for row in rows if row["_sentence"] < sentence.number or row["_sentence"] == 0]
        tied = [g for g in place_groups(sentence.text) if g.role == "event" and g.distance <= STRONG_TIE]
        named = [(g, places.resolve(q, g.hints)) for g in tied for q in g.queries]
        points = [r for _, r in named if not isinstance(r, list)]
        written = {normalise(name) for g, r in named if not isinstance(r, list) for name in g.names}
        chosen = [row for row in rows if normalise(str(row["location"])) in written]  # by name first: two places
        if not chosen:  # that share a seat's point stay apart; else by distance ("Solhan" for "the Solhan post")
            chosen = [row for row in rows if any(_km(row, {"latitude": p.latitude, "longitude": p.longitude}) <= 10
                                                 for p in points)]  # fmt: skip
        if not chosen:  # "a resident of Mondoro said the attackers there ...": a source's town names the event
            anywhere = {normalise(name) for g in place_groups(sentence.text) for name in g.names}
            chosen = [row for row in earlier if normalise(str(row["location"])) in anywhere]
        if chosen:  # the events at the places it names
            pass
        elif _ALL.search(sentence.text):
            chosen = earlier
        else:  # the last incident: every event of its day (the base and the town of one assault)
            last = earlier[-1:]
            chosen = [row for row in earlier if last and row["date_start"] <= last[0]["date_end"]
                      and last[0]["date_start"] <= row["date_end"]]  # fmt: skip
        for row in chosen:
            _complete_actors(row, [(groups[0].name, groups[0].family)])
            if row["group2"] == groups[0].family and row["group1"] != groups[0].family:  # who claims is the attacker
                row["actor1"], row["group1"], row["actor2"], row["group2"] = (
                    row["actor2"], row["group2"], row["actor1"], row["group1"],
                )  # fmt: skip


def _told_next(rows: list[dict], number: int) -> int | None:
    """The sentence of the first incident told after sentence ``number`` (a placeless lead's own, told next)."""
    return min((row["_sentence"] for row in rows if row["_sentence"] > number), default=None)


_SEVERAL_ATTACKS = re.compile(r"\b(?:attacks|assaults|raids|ambushes|strikes|offensives)\b", re.IGNORECASE)
# Several places hit in one toll ("attacks on two villages, A and B, killed 100"): the toll is no one place's.
_SEVERAL_TARGETS = re.compile(r"\b(?:attacks|assaults|raids|ambushes|strikes|offensives|villages|towns|localities"
                              r"|hamlets|settlements)\b", re.IGNORECASE)  # fmt: skip


def _shared_toll(text: str, places: int) -> bool:
    """True when one toll covers several places hit ("raids on the villages of A and B killed 40"), not one
    incident between them ("ambushed between the villages of A and B")."""
    return places > 1 and _SEVERAL_TARGETS.search(text) is not None and not re.search(r"\bbetween\b", text)


def _country_leads(rows: list[dict],
                   leads: list[tuple[Sentence, _When | None, tuple[str, ...], Fatalities, list[Actor]]]) -> None:
    """A lead that gives the toll but only the country ("Forty-four people were killed in an attack on a mosque in
    Niger"), or no place at all ("51 soldiers were killed on Friday in the north"), placed later in the text ("The
    attack took place in Fambita"): its figures and actors go to the one event of the same days (in that country;
    told after it, for a placeless lead; the one told in the next two sentences, for an undated lead) that has no
    toll yet (none, or several places, and the lead stays held back)."""
    for sentence, when, vague, deaths, ordered in leads:
        if not vague and _SEVERAL_ATTACKS.search(sentence.text):  # a toll of "two attacks" is no one place's
            continue
        isos = {iso for name in vague for iso, pattern in COUNTRY_WORDS.items()
                if re.fullmatch(rf"(?:{pattern})", name, re.IGNORECASE)}  # fmt: skip
        if when is None:  # an undated lead: the incident told in the next two sentences, in its country
            nxt = _told_next(rows, sentence.number)
            candidates = [row for row in rows if nxt is not None and row["_sentence"] == nxt <= sentence.number + 2
                          and (not isos or row["country_iso2"] in isos) and row["fatalities"] is None
                          and row["fatalities_low"] is None]  # fmt: skip
        else:
            candidates = _dated_lead_candidates(rows, sentence, when, isos, vague)
        if not candidates:
            continue
        one_place = all(_km(candidates[0], other) <= 10 and _core_name(candidates[0]["location"])
                        == _core_name(other["location"]) for other in candidates)  # fmt: skip
        one_sentence = all(other["_sentence"] == candidates[0]["_sentence"] for other in candidates)
        if not (one_place or (one_sentence and not candidates[0].get("_shared"))):  # one incident told twice at one
            continue  # place is one event; "ambushed between A and B": the toll on the first; raids on A and B: none
        row = candidates[0]
        row["fatalities"], row["fatalities_low"], row["fatalities_high"] = deaths.best, deaths.low, deaths.high
        figures = death_figures(sentence.text)
        row["_victims"] = {f.category for f in figures}
        _complete_actors(row, [(a.name, a.family) for a in ordered])
        named = f"names only {', '.join(vague)}" if vague else "names no place"
        row["notes"] = f"{row['notes']} {_with_toll_note(sentence.text)} [toll from the lead, which {named}]"


def _dated_lead_candidates(rows: list[dict], sentence: Sentence, when: _When, isos: set[str],
                           vague: tuple[str, ...]) -> list[dict]:  # fmt: skip
    """The events without a toll a dated lead may give its toll to: of its days, in its country (or, for a
    placeless lead, the incident told next, no longer than the lead's span)."""
    return [
        row for row in rows
        if (row["country_iso2"] in isos or (not vague and row["_sentence"] == _told_next(rows, sentence.number)
                                            and when.end - when.start <= row["date_end"] - row["date_start"]
                                            + timedelta(days=6)))  # "in three weeks of fighting": no one day's
        and row["fatalities"] is None and row["fatalities_low"] is None
        and row["date_start"].date() <= when.end + timedelta(days=1)
        and when.start - timedelta(days=1) <= row["date_end"].date()
    ]  # fmt: skip


def _follow_up(rows: list[dict], target: dict, sentence: Sentence, ordered: list[Actor], deaths: Fatalities,
               source: str | None, own: _When | None, date_spans: list[tuple[int, int]]) -> None:  # fmt: skip
    """A follow-up adds its facts to ``target``, except civilians killed in an incident fought between armed
    parties: ACLED codes them as a second event (same place and day, the perpetrator against civilians). A
    sentence of background ("France often strikes militants") names no party of the incident."""
    if _background(sentence.text):
        ordered = [a for a in ordered if a.family == "Civilians"]
    figures = death_figures(sentence.text, date_spans)
    civilians = any(a.family == "Civilians" for a in ordered) or any(f.category == "people" for f in figures)
    # "two police officers were killed and five civilians wounded": the dead are the armed side's, no civilian event
    civilians = civilians and not all(f.category in ("state", "attackers", "militia") for f in figures)
    # "an earlier report gave 4 soldiers and 2 civilians killed": the whole incident's toll told again, no attack of
    # its own on civilians
    civilians = civilians and not any(f.category in ("state", "militia") for f in figures)
    parties = {target["group1"], target["group2"]}
    if figures and civilians and None not in parties and "Civilians" not in parties:
        perpetrator = next(
            (n for n in ("1", "2") if target[f"group{n}"] not in ("State forces", "Militia", "Wagner Group")), "1"
        )
        row = {**target, "event_id": f"{target['event_id'].rsplit(':', 1)[0]}:{sentence.number}",
               "actor1": target[f"actor{perpetrator}"], "group1": target[f"group{perpetrator}"],
               "actor2": "civilians", "group2": "Civilians", "event_type": "Violence against civilians",
               "sub_event_type": "Attack", "fatalities": deaths.best, "fatalities_low": deaths.low,
               "fatalities_high": deaths.high, "notes": sentence.text, "source": source or target["source"],
               "place_basis": f"{target['event_id']} (the same incident)", "_sentence": sentence.number,
               "_victims": {f.category for f in figures}}  # fmt: skip
        row["event_id"] = _free_id(rows, row["event_id"])
        rows.append(row)
        return
    unnamed_dead = any(f.category == "unknown" for f in figures) and not parties & {"State forces", "Militia",
                                                                                    "Wagner Group"}  # fmt: skip
    if (any(f.category == "people" for f in figures) or unnamed_dead) and "Civilians" not in parties and len(
            parties - {None}) <= 1:  # fmt: skip
        ordered = [*ordered, Actor("civilians", "Civilians", 10_000)]
    _add_facts(target, sentence, ordered, deaths, source, own)
    if normalise(str(target["location"])) not in normalise(sentence.text):  # of the whole incident, not one place
        for row in _listed_with(rows, target):  # "the villages of A, B and C": who was hit is the same in all three
            _complete_actors(row, [(a.name, a.family) for a in ordered if a.family == "Civilians"])


def _listed_with(rows: list[dict], target: dict) -> list[dict]:
    """The other places of ``target``'s sentence told as one incident (same sentence, same days)."""
    return [row for row in rows if row is not target and row.get("_sentence") == target.get("_sentence")
            and row["date_start"] == target["date_start"] and row["date_end"] == target["date_end"]]  # fmt: skip


def _sibling(rows: list[dict], base: dict, sentence: Sentence, place: tuple[str, GeocodeResult], ordered: list[Actor],
             deaths: Fatalities, source: str | None) -> dict:  # fmt: skip
    """Another village of the incident ``base``: its date and actors, its own place and toll."""
    name, result = place
    row = {**base, "event_id": _free_id(rows, f"{base['event_id'].rsplit(':', 1)[0]}:{sentence.number}"),
           "location": name, "latitude": result.latitude, "longitude": result.longitude,
           "geo_precision": result.geo_precision, "country_iso2": result.country_iso2, "admin1": result.admin1,
           "admin2": result.admin2, "fatalities": deaths.best, "fatalities_low": deaths.low,
           "fatalities_high": deaths.high, "notes": sentence.text, "source": source or base["source"],
           "date_basis": f"{base['event_id']} (the same incident)", "place_basis": "sentence",
           "_sentence": sentence.number, "_victims": {f.category for f in death_figures(sentence.text)}}  # fmt: skip
    _complete_actors(row, [(a.name, a.family) for a in ordered])
    return row


def _free_id(rows: list[dict], wanted: str) -> str:
    taken = {row["event_id"] for row in rows}
    if wanted not in taken:
        return wanted
    return next(f"{wanted}-{chr(ord('a') + n)}" for n in range(26) if f"{wanted}-{chr(ord('a') + n)}" not in taken)


def _add_facts(row: dict, sentence: Sentence, ordered: list[Actor], deaths: Fatalities, source: str | None,
               own: _When | None = None) -> None:  # fmt: skip
    """Fold a follow-up sentence into its event: deaths (added when the sentence says "other"/"another", else
    competing figures: low the smaller, high the larger), actors the event lacks or names only as "gunmen", a
    day of the week before the event's date ("The assault began on Tuesday" after "mourned on Thursday"; not the
    day of an earlier incident it recalls, "the killings came after an attack on Monday"), the sentence into
    ``notes``."""
    figures = death_figures(sentence.text)
    claimed = state_claims(sentence.text, figures)
    has_toll = any(row[c] is not None and not pd.isna(row[c]) for c in ("fatalities", "fatalities_low"))
    claim_note = ""
    only_claims = bool(claimed) and len(claimed) == len(figures) and has_toll
    if only_claims:  # "The army said it killed 40 terrorists": its claim, added to best and high, not to low
        claim_note = (" [attackers' dead claimed by the state side, in the best and high figures, not the low: "
                      + ", ".join(sentence.text[f.span[0] : f.span[1]] for f in claimed) + "]")  # fmt: skip
    zero = deaths == Fatalities(0, 0, 0) and has_toll  # "no one else was hurt" after a toll: no rival figure
    again = retold(figures, str(row["notes"] or ""))  # "77 militants were also killed" after "77 militants killed"
    # a place with its own toll ("31 died in X and 13 in Y") keeps it against a toll that does not name it
    again = again or (row.get("_place_toll") and normalise(str(row["location"])) not in normalise(sentence.text))
    if (deaths.low is not None or deaths.best is not None or deaths.high is not None) and not zero and not again:
        old = Fatalities(row["fatalities"], row["fatalities_low"], row["fatalities_high"])
        if old == Fatalities(None, None, None):
            new = deaths
            row["_victims"] = {f.category for f in death_figures(sentence.text)}
        elif raises_toll(sentence.text):  # "the toll later rose to 20": the update is the best figure
            new = updated(old, deaths)
        elif earlier_toll(sentence.text):  # "a previous report gave 4 dead": the count told before stays the best
            new = updated(deaths, old)
        elif adds_to_toll(sentence.text, figures):
            new = _sum_figures(old, deaths)
        else:
            victims = {f.category for f in death_figures(sentence.text)}
            same = not victims or not row.get("_victims") or bool(victims & row["_victims"]) or (
                "unknown" in victims | row["_victims"])  # a toll with no noun ("killed more than 60") competes
            new = competing(old, deaths) if same else _sum_figures(old, deaths)
            row["_victims"] = row.get("_victims", set()) | victims
        if only_claims:  # the attackers the state says it killed add to the toll's best and high figures
            added = _sum_figures(old, deaths)
            new = Fatalities(added.best, old.low, added.high)
        row["fatalities"], row["fatalities_low"], row["fatalities_high"] = new.best, new.low, new.high
    _complete_actors(row, [(a.name, a.family) for a in ordered])
    if own is not None and own.precision in ("day", "week") and _narrows(row, own) and not _recalled_day(sentence.text):
        row["date_start"], row["date_end"] = pd.Timestamp(own.start), pd.Timestamp(own.end)
        row["date_precision"], row["date_basis"] = own.precision, f"{own.basis} (a follow-up sentence)"
    row["notes"] = f"{row['notes']} {_with_toll_note(sentence.text)}{claim_note}"
    if source and row["source"] and sentence.reference:
        refs = [r for r in re.findall(r"\[\d+[a-z]?\]", sentence.reference) if r not in row["source"]]
        row["source"] += "".join(refs)


def _recalled_day(text: str) -> bool:
    """True when every date the sentence writes comes after a recall ("came after an attack on April 15", "a week
    after the raid on Monday"): the day of an earlier incident, not the story's ("The 9 January attack came a month
    after ...": the story's)."""
    recalls = [found.end() for found in _RECAP.finditer(text)]
    spans = [m.span[0] for m in find_dates(text)]
    return bool(recalls and spans) and all(any(0 <= start - end <= 100 for end in recalls) for start in spans)


def _narrows(row: dict, own: _When) -> bool:
    """A follow-up's day within the week up to the event's first day: the violence began then."""
    start = row["date_start"].date()
    return own.end <= row["date_end"].date() and start - timedelta(days=7) <= own.start and own.start != start


def _complete_actors(row: dict, named: list[tuple[str, str]]) -> None:
    """Fill the event's missing actors, and replace unnamed armed men ("gunmen": Other), with the armed
    families ``named`` (name, family) that it does not have yet. Only a jihadist group or a militia says who the
    "gunmen" were: soldiers or Wagner named later are another party (the responders), never the gunmen."""
    if row["group1"] is None and row["group2"] is None:  # nothing yet: the sentence's own order (attacker first)
        named = [item for n, item in enumerate(named) if item[1] not in {f for _, f in named[:n]}]
        for slot, (name, family) in zip(("1", "2"), named[:2], strict=False):
            row[f"actor{slot}"], row[f"group{slot}"] = name, family
        named = []
    families = {row["group1"], row["group2"]}
    armed = [(name, family) for name, family in named if family not in families and family != "Civilians"
             and not (family == "Other" and is_generic(name))]  # fmt: skip
    for slot in ("1", "2"):
        if not armed:
            break
        if row[f"group{slot}"] is None:
            row[f"actor{slot}"], row[f"group{slot}"] = armed.pop(0)
        elif row[f"group{slot}"] == "Other" and is_generic(row[f"actor{slot}"]):
            other_side = row["group2" if slot == "1" else "group1"]
            pro_state = other_side in ("State forces", "Wagner Group")  # the state's auxiliaries never attack it
            names = [item for item in armed if item[1] in JIHADIST_FAMILIES or (item[1] == "Militia" and not pro_state)]
            if names:
                armed.remove(names[0])
                row[f"actor{slot}"], row[f"group{slot}"] = names[0]
    for slot in ("1", "2"):  # each family once: "civilians ... civilians" is one party, not a pair
        families = {row["group1"], row["group2"]}
        rest = [(name, family) for name, family in named if family not in families]
        if row[f"group{slot}"] is None and rest:
            row[f"actor{slot}"], row[f"group{slot}"] = rest[0]
    if row["group1"] is None and row["group2"] is not None:
        row["actor1"], row["group1"], row["actor2"], row["group2"] = row["actor2"], row["group2"], None, None
    if row["group1"] == "Civilians" and row["group2"] not in (None, "Civilians"):
        row["actor1"], row["group1"], row["actor2"], row["group2"] = (
            row["actor2"], row["group2"], row["actor1"], row["group1"],
        )  # fmt: skip


def _sum_figures(a: Fatalities, b: Fatalities) -> Fatalities:
    def add(x, y):
        return None if x is None or y is None else x + y

    low = (a.low or 0) + (b.low or 0) if a.low is not None or b.low is not None else None
    return Fatalities(add(a.best, b.best), low, add(a.high, b.high))


def _km(a: dict, b: dict) -> float:
    """Great-circle distance in km between two event rows."""
    return geo.distance_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])


def _apart(a: dict, b: dict) -> bool:
    """Two villages with different names whose points are a seat's stand-in (precision 2 or more): near on the
    map, yet two places."""
    placeholder = a["geo_precision"] >= 2 and b["geo_precision"] >= 2
    return placeholder and _core_name(a["location"]) != _core_name(b["location"])


_UNIT_WORDS = re.compile(
    r"\b(?:the|near|outside|around|town|village|city|commune|rural|department|cercle|district|province|region|area"
    r"|zone|sector|of)\b",
    re.IGNORECASE,
)


def _core_name(location: object) -> str:
    """"the Banibangou commune", "near Banibangou" -> "banibangou": the name without unit or nearness words."""
    return normalise(" ".join(_UNIT_WORDS.sub(" ", str(location)).split()))


def _same_incident(a: dict, b: dict) -> bool:
    """Two rows of one text about one incident: same place (10 km), overlapping dates, compatible actor pairs."""
    if a["_sentence"] == b["_sentence"] or _km(a, b) > 10:
        return False
    if _apart(a, b):
        return False
    if not (a["date_start"] <= b["date_end"] and b["date_start"] <= a["date_end"]):
        if not _next_day_there(a, b):
            return False
    if _retold(a, b):  # "Our camp in Kidal was attacked early this morning": the incident told again, whoever it names
        return True
    pair_a = {g for g, n in ((a["group1"], a["actor1"]), (a["group2"], a["actor2"])) if g and not is_generic(n)}
    pair_b = {g for g, n in ((b["group1"], b["actor1"]), (b["group2"], b["actor2"])) if g and not is_generic(n)}
    return len(pair_a | pair_b) <= 2  # no third party: {State forces} and {ISGS} complete each other


def _next_day_there(a: dict, b: dict) -> bool:
    """``b`` says no place of its own (it points at ``a``'s: "the siege ended on Saturday after troops stormed the
    building"), is dated by a weekday against the document's date, falls on the day after ``a``'s days and tells
    of no further incident: the same incident, going on into the next day."""
    borrowed = str(b["place_basis"]).startswith(("sentence ", "text:")) and _core_name(a["location"]) == _core_name(
        b["location"])  # fmt: skip
    next_day = b["date_start"] == a["date_end"] + pd.Timedelta(days=1) and b["date_end"] == b["date_start"]
    return (borrowed and next_day and str(b["date_basis"]).startswith("document date")
            and _FURTHER.search(str(b["notes"])) is None)  # fmt: skip


# "another", "a second", "a new", "fresh", "separate": the words that tell a further incident at a place already told
_FURTHER = re.compile(
    r"\b(?:another|second|third|new|fresh|separate|renewed|further|earlier|previous)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:attacks?|assaults?|ambush(?:es)?|raids?|bombings?|bombers?|strikes?|blasts?|explosions?|incidents?|wave)\b"
    r"|\bagain\b",
    re.IGNORECASE,
)


def _retold(first: dict, row: dict) -> bool:
    """A row at the very place ``first`` names, whose date was resolved against the document's date ("late
    Saturday", "this morning"), that counts no dead of its own and whose sentence tells of no further incident: on
    days already told, it is that incident told again (a second incident there comes with its own toll or
    "another"). So is a row whose place and date both come from the sentences before, whatever it counts."""
    if _core_name(first["location"]) != _core_name(row["location"]):
        return False
    borrowed = (str(row["place_basis"]).startswith("sentence ") and str(row["date_basis"]).startswith(
        ("the date of sentence", "the lead's date", "the paragraph's date")))  # fmt: skip
    if borrowed and _FURTHER.search(str(row["notes"])) is None:  # neither its place nor its date is its own ("The
        return True  # members of JNIM swept into the outskirts on bikes"): more of the incident told, not a new one
    tolled = any(row[c] is not None and not pd.isna(row[c]) for c in ("fatalities", "fatalities_low"))
    return (not tolled and str(row["date_basis"]).startswith("document date")
            and _FURTHER.search(str(row["notes"])) is None)  # fmt: skip


# "on the same road", "in the same region", "the same location": the place of the incident told just before
_SAME_PLACE = re.compile(
    r"\b(?:the|that)\s+(?:very\s+)?same\s+(?:[\w-]+\s+)?(?P<unit>road|route|axis|highway|location|spot|place|area"
    r"|zone|sector|region|province|district)\b"
    r"|\b(?:on|along)\s+(?:this|that)\s+(?:[\w-]+\s+)?(?P<road>road|route|axis|highway|stretch)\b",  # "on this road"
    re.IGNORECASE,
)


# "there were Russians among the dead", "there is no toll yet": "there" that points at no place
_EXISTENTIAL = re.compile(r"\s+(?:is|are|was|were|has|have|had|will|would|may|might|could|must|seems?|seemed"
                          r"|appears?|appeared|remains?|remained)\b", re.IGNORECASE)  # fmt: skip


def _pointer(text: str) -> re.Match[str] | None:
    """The first words pointing at a place already told ("the town", "the camp", "there"), not an existential
    "there were"."""
    for found in THERE.finditer(text):
        if found.group(0).lower() == "there" and _EXISTENTIAL.match(text, found.end()):
            continue
        return found
    return None


# "the mayor of Kidal": an office that belongs to one town, the town a later "the town" in the sentence points at
_TOWN_OFFICE = re.compile(r"\b(?P<office>mayor|(?i:town\s+council(?:lor)?|municipal\s+council(?:lor)?))\s+of\s+"
                          r"(?P<name>(?-i:[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)?))", re.IGNORECASE)  # fmt: skip


def _context_place(sentences: list[Sentence], index: int, placed: dict, places: PlaceLookup, rows: list[dict],
                   headline: tuple[list, str] | None, dated: bool) -> tuple[list, str] | None:  # fmt: skip
    """The place of a dated violent sentence that names none, as a reader finds it: the sentence before's (not for
    a recap: "Eight days ago, gunmen attacked a hotel in the capital"), the settlement its paragraph is about
    when it says "the town"/"there", the last incident's when it says "there" or "the same road/region", else
    the headline's for the first incident told."""
    text = sentences[index].text
    inherited = None if _RECAP.search(text) else inherited_place(sentences, index, placed, dated=dated)
    if inherited:
        return inherited
    there = _pointer(text)
    if there and (spoken := paragraph_place(sentences, index, places)):
        return spoken  # "Banibangou has suffered again. ... the town's market": Banibangou
    if there and (mayor := _TOWN_OFFICE.search(text[: there.start()])):  # "The mayor of Kidal says ... around
        found = places.resolve(mayor.group("name"))  # the town": the town is the mayor's
        if not isinstance(found, list) and found.geo_precision <= 2:
            return [(mayor.group("name"), found)], f"the town whose {mayor.group('office').lower()} speaks"
    same = _SAME_PLACE.search(text)
    pointer = there or same
    if rows and pointer:  # "in the town", "the same village", "there", "on the same road"
        last = rows[-1]
        result = as_result(last)
        if pointer is same and (same.group("unit") or "").lower() in ("region", "province", "district"):
            result = replace(result, geo_precision=max(result.geo_precision, 3))  # the region, not the town
        return [(last["location"], result)], f"{last['event_id']} (\"{pointer.group(0)}\")"
    if not rows and headline is not None:  # the first incident told is the one the headline names
        return headline
    return None


def _one_event_per_incident(rows: list[dict]) -> list[dict]:
    """A later row about an incident already reported (same place, overlapping dates, compatible actors) whose
    date is not its own, or is the very same span, is folded into the first report of it."""
    kept: list[dict] = []
    for row in rows:
        restates = row["date_basis"] != "sentence" or row["place_basis"] == "infobox"
        first = next(
            (
                earlier
                for earlier in kept
                if _same_incident(earlier, row)
                and (
                    restates
                    or earlier["place_basis"] == "infobox"
                    or (earlier["date_start"], earlier["date_end"]) == (row["date_start"], row["date_end"])
                )
            ),
            None,
        )
        if first is None:
            kept.append(row)
            continue
        went_on = _next_day_there(first, row)  # the incident went on into the next day: its span covers both
        start, basis = first["date_start"], first["date_basis"]
        figures = {c: first[c] for c in ("fatalities", "fatalities_low", "fatalities_high")}
        _fill(first, row)
        if went_on:
            if re.search(r"-[a-z]$", str(first["event_id"])):  # one of several villages of one raid: a toll told
                first.update(figures)  # later for "the area" is the raid's, no one village's
            first["date_start"], first["date_end"] = start, row["date_end"]
            first["date_basis"] = f"{basis}; until {row['date_end']:%Y-%m-%d} ({row['event_id']})"
    return kept


_HEADLINE_REACH_KM = 150.0  # a headline names the wider place: "in Tillabéri" for villages of that region


def _placed_by_the_text(rows: list[dict]) -> list[dict]:
    """An event the headline placed (a region, a town: "100 killed in Tillabéri") gives way when the text itself
    places the same days' violence nearby ("70 died in Tchoma Bangou and 30 in Zaroumdareye"): the text's places
    are where it happened; the headline event's words go into the first of them."""
    kept = list(rows)
    for row in rows:
        if not str(row.get("place_basis") or "").startswith("the headline"):
            continue
        placed = [
            other for other in kept
            if other is not row and not str(other.get("place_basis") or "").startswith("the headline")
            and other["date_start"] <= row["date_end"] and row["date_start"] <= other["date_end"]
            and _km(row, other) <= _HEADLINE_REACH_KM
        ]  # fmt: skip
        if placed:
            kept.remove(row)
            for other in placed:
                _complete_actors(other, [(row[f"actor{n}"], row[f"group{n}"]) for n in ("1", "2") if row[f"group{n}"]])
            if row["notes"] not in placed[0]["notes"]:
                placed[0]["notes"] = f"{row['notes']} {placed[0]['notes']}"
    return kept


_VAGUE_REACH_KM = 300


def _placed_precisely(rows: list[dict]) -> list[dict]:
    """An event placed only at a border ("near the Mali border") gives way when the text places the same days'
    violence at a town or village within reach ("The attack in the town of Inates"): its facts and words go into the
    first such event. So does a region-level event of a day or a week when the text places violence of those days at a
    town or village of that region (a lead "in the Tillabéri region", a detail "in Anzourou"); a region-level event
    of a month or a year stays (histories tell separate events "in the Menaka region in 2019")."""
    kept = list(rows)
    for row in rows:
        border = row["geo_precision"] >= 4 and not pd.isna(row.get("geo_note")) and bool(row.get("geo_note"))
        region = row["geo_precision"] == 3 and row["date_precision"] in ("day", "week")
        if not (border or region):
            continue
        precise = [
            other for other in kept
            if other is not row and other["geo_precision"] <= 2
            and other["date_start"] <= row["date_end"] + pd.Timedelta(days=1)
            and row["date_start"] - pd.Timedelta(days=1) <= other["date_end"] and _km(row, other) <= _VAGUE_REACH_KM
            and (border or (_within_region(as_result(other), row)  # a settlement of that region, told of the same
                            and other["date_end"] - other["date_start"] <= pd.Timedelta(days=2)))  # days, not a year
        ]  # fmt: skip
        if precise:
            kept.remove(row)
            if region and precise[0]["group1"] is not None and precise[0]["group2"] is not None:
                # the detail already names both sides: a militia of the lead's wider words ("34 of them VDP")
                # is among the dead as often as among the attackers, and does not replace its gunmen
                row = {**row, **{f"{k}{n}": None for n in ("1", "2") if row[f"group{n}"] == "Militia"
                                 for k in ("actor", "group")}}  # fmt: skip
            _fill(precise[0], row)
    return kept


def _fill(row: dict, other: dict) -> None:
    """Facts of ``other`` that ``row`` lacks: fatalities, actors, a narrower date; its words go into notes."""
    if row["fatalities"] is None and row["fatalities_low"] is None and row["fatalities_high"] is None:
        for column in ("fatalities", "fatalities_low", "fatalities_high"):
            row[column] = other[column]
    elif other["fatalities"] is not None and raises_toll(str(other["notes"])):  # "the toll later rose to 20"
        new = updated(Fatalities(row["fatalities"], row["fatalities_low"], row["fatalities_high"]),
                      Fatalities(other["fatalities"], other["fatalities_low"], other["fatalities_high"]))
        row["fatalities"], row["fatalities_low"], row["fatalities_high"] = new.best, new.low, new.high
    _complete_actors(row, [(other[f"actor{n}"], other[f"group{n}"]) for n in ("1", "2") if other[f"group{n}"]])
    if other["date_end"] - other["date_start"] < row["date_end"] - row["date_start"] and (
        row["date_start"] <= other["date_start"] and other["date_end"] <= row["date_end"]
    ):
        for column in ("date_start", "date_end", "date_precision", "date_basis"):
            row[column] = other[column]
    if other["notes"] not in row["notes"]:
        row["notes"] = f"{row['notes']} {other['notes']}"


_STATE_WORDS = re.compile(r"\b(?:Mali|Malian|Niger|Nigerien|Burkina(?:\s+Faso)?|Burkinab[eè]|France|French)\b")


def _infobox_actors(box: dict[str, str]) -> list[Actor]:
    """Perpetrator first, then the target; "Belligerents: Mali ; ISGS" (a country is its state forces)."""
    perpetrators = find_actors(box.get("perpetrator", ""))
    targets = find_actors(box.get("target", ""))
    if not targets and re.search(r"civilian|villager|resident|worshipper", box.get("target", ""), re.IGNORECASE):
        targets = [Actor("civilians", "Civilians", 0)]
    sides = []
    for part in re.split(r";|\bvs\.?\b|\bversus\b", box.get("belligerents", "")):
        named = find_actors(part)
        if named:
            sides.append(named[0])
        elif _STATE_WORDS.search(part):
            sides.append(Actor(part.strip(), "State forces", 0))
    ordered: list[Actor] = []
    for actor in [*perpetrators[:1], *targets, *sides]:
        if actor.family not in {a.family for a in ordered}:
            ordered.append(actor)
    return ordered[:2]


def _infobox_incident(layout: Layout, places: PlaceLookup, day: date | None, id_prefix: str, dataset: str,
                      source_name: str) -> tuple[dict | None, dict | None]:  # fmt: skip
    """The infobox's facts are about the article's main incident: (its event, or None and why not)."""
    box = layout.infobox
    notes = " ".join(layout.infobox_lines)
    mentions = [m for m in find_dates(box.get("date", ""), None, day) if m.resolved]
    when = _When(mentions[0].start, mentions[-1].end, mentions[0].precision, "infobox") if mentions else None
    if mentions and len(mentions) > 1:
        when = _When(min(m.start for m in mentions), max(m.end for m in mentions), "day", "infobox")
        if (when.end - when.start).days > 6:
            when = _When(when.start, when.end, "month" if (when.end - when.start).days < 31 else "year", "infobox")
    found: list[tuple[str, GeocodeResult]] = []
    location = re.sub(r"\([^)]*\)", "", box.get("location", ""))
    parts = [p.strip() for p in re.split(r",|;|\band\b", location) if p.strip()[:1].isupper()]
    for position, part in enumerate(parts):
        result = places.resolve(part, tuple(parts[position + 1 :]))
        if not isinstance(result, list):
            found = [(part, result)]
            break
    ordered = _infobox_actors(box)
    kind, sub_kind = event_type(" ".join(box.values()), [a.family for a in ordered])
    actor1 = ordered[0] if ordered else None
    actor2 = ordered[1] if len(ordered) > 1 else None
    if when is not None and found:
        name, result = found[0]
        row = _row(f"{id_prefix}:infobox", dataset, when, kind, sub_kind, actor1, actor2,
                   _infobox_deaths(box.get("deaths", "")), name, result,
                   " ".join(p for p in (source_name, "infobox") if p), notes, "infobox", 0)  # fmt: skip
        return row, None
    if box.get("date") or box.get("location"):
        return None, {"sentence_number": None, "sentence": notes, "source": source_name or None,
                      "reason": "infobox: no date" if when is None else "infobox: place not found",
                      "name": box.get("location"), "candidates": None}  # fmt: skip
    return None, None


def _infobox_deaths(value: str) -> Fatalities:
    """"141", "137–141", "141+", "over 100" -> figures (a trailing "+" is a floor)."""
    value = re.sub(r"\([^)]*\)", "", value).strip()
    if re.fullmatch(r"[\d,]+\s*\+", value):
        value = f"at least {value.rstrip('+ ')}"
    return find_fatalities(f"{value} people killed")


# ---------------------------------------------------------------- dates in context


def _window(sentences: list[Sentence], index: int) -> list[Sentence]:
    """The sentences whose dates carry over: earlier ones of the same paragraph, or else the one just before."""
    first = index
    while first > 0 and sentences[first - 1].paragraph == sentences[index].paragraph:
        first -= 1
    return sentences[first:index] or sentences[max(index - 1, 0) : index]


_REPORTING_BEFORE = re.compile(
    r"\b(?:said|says|told|tweet(?:ed)?|posted|statement|announced|claimed|reported|wrote|published|communiqu[eé]|confirm(?:ed|s)"
    r"|update[ds]?|updating|video|interview|press\s+conference)\W+(?:\w+\W+){0,3}$"
    # "said in a statement sent to AFP on Friday"
    r"|\b(?:statement|communiqu[eé]|message|letter|release)\s+(?:\w+\s+){0,4}?on\s+$"
    # "(Daily Flash of 12 December 2019)", "Situation report for 3 May": the bulletin's own date
    r"|\b(?:flash|bulletin|sitrep|digest|newsletter|edition|situation\s+report|update)\s+(?:of|for|dated)\s+$"
    # "the chief of staff said during a visit on Sunday": the day of the visit, not of the violence
    r"|\b(?:during|at|in)\s+(?:a|an|the|his|her|its|their)\s+(?:\w+\s+)?(?:visit|press\s+conference|briefing"
    r"|interview|speech|meeting|ceremony|funeral)\s+(?:(?:\w+\s+){0,3}?on\s+)?$",
    re.IGNORECASE,
)


# "said that on Monday", "told AFP that late Sunday": what follows "that" is what was told, with its own date
_TOLD_THAT = re.compile(r"\bthat\s+(?:(?:late|early|on|last|this)\s+){0,2}$", re.IGNORECASE)


_REPORTING_AFTER = re.compile(
    r"^\s+(?:\w+\s+)?(?:said|says|told|published|announced|reported|released|issued|tweeted|posted|claimed)\b"
    # "in a Thursday statement"
    r"|^['’]?s?\s+(?:statement|communiqu[eé]|announcement|press\s+release|video|message|briefing)\b",
    re.IGNORECASE,
)


# "a May 14 attack", "Friday's ambush", "the 2 June raid": a date naming the violence is its date, whatever precedes it
_NAMES_THE_VIOLENCE = re.compile(
    r"^(?:['’]s)?\s+(?:(?:[\w-]+|\(\w+\))\s+){0,2}?(?:attacks?|assaults?|ambush(?:es)?|raids?|massacres?|killings?"
    r"|bombings?|strikes?|airstrikes?|clash(?:es)?|fighting|siege)\b",
    re.IGNORECASE,
)


def _reporting(mention: DateMention, sentence: str) -> bool:
    """True for the date of a statement or report ("said on Tuesday"), not of the violence itself."""
    if _NAMES_THE_VIOLENCE.match(sentence[mention.span[1] :]):
        return False
    if _TOLD_THAT.search(sentence[: mention.span[0]]) and not _REPORTING_AFTER.match(sentence[mention.span[1] :]):
        return False  # "the official told AFP that late Monday gunmen attacked": the told clause's own date
    return bool(
        _REPORTING_BEFORE.search(sentence[: mention.span[0]]) or _REPORTING_AFTER.match(sentence[mention.span[1] :])
    )


def _reported_week(mentions: list[DateMention], sentence: str) -> _When | None:
    """The week up to the day the violence was reported, when that day is the only date around it ("60 people
    have been killed in X, a prosecutor said late Sunday"): news tells its recent past."""
    reported = [m for m in mentions if m.precision == "day" and m.start is not None and _reporting(m, sentence)]
    if not reported:
        return None
    day = reported[-1].start
    if _OVERNIGHT.search(sentence):  # "killed overnight, the mayor said on Monday": the night into that day
        return _When(day - timedelta(days=1), day, "day", f"the night before it was reported (\"{reported[-1].text}\")")
    return _When(day - timedelta(days=6), day, "week", f"the week before it was reported (\"{reported[-1].text}\")")


_OVERNIGHT = re.compile(r"\bovernight\b(?!\s+(?:on\s+|from\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"
                        r"|Sunday|\d))", re.IGNORECASE)  # fmt: skip


# "the deadliest attack since 2015", "the worst in the region since 2019": a yardstick, not the day of the violence
# "the deadliest since the army began fighting militants in 2015": a "since" clause is the yardstick's, too
_COMPARED = re.compile(r"\b(?:ever\s+)?since\b[^,;:.]{0,140}$", re.IGNORECASE)


# "The attack echoed / came after / recalled a January massacre": a second, earlier incident with its own date
_RECALLS = re.compile(r"\b(?:echo(?:ed|es)|recall(?:ed|s)|mirror(?:ed|s)|(?:comes?|came)\s+(?:\w+\s+){0,3}?after"
                      r"|follow(?:ed|s)|reminiscent\s+of)\b", re.IGNORECASE)  # fmt: skip


# "The attack", "Monday's attack", "this ambush": the subject is an incident already told
_TOLD_INCIDENT = re.compile(
    r"(?:\b(?:the|this|that|these)|['’]s)\s+(?:[\w-]+\s+){0,2}?(?:attacks?|assaults?|massacres?|raids?|ambush(?:es)?"
    r"|killings?|bombings?|strikes?)\b",
    re.IGNORECASE,
)


def _own_date(mentions: list[DateMention], keyword_at: int, sentence: str = "",
              anchor: DocumentDate | None = None) -> _When | None:  # fmt: skip
    """The date nearest the violence word. A date of the reporting ("said on Tuesday", "in a statement on 18
    April", "(Update, Sept 19)", "on Tuesday published") is never the date of the violence, nor is a yardstick
    ("the deadliest since 2015")."""
    if not mentions:
        return None

    mentions = [m for m in mentions if not _reporting(m, sentence) and not _COMPARED.search(sentence[: m.span[0]])
                and not measures_the_incident(sentence[: m.span[0]])]  # fmt: skip
    # "last year's coup": a year or month naming an earlier incident in passing, when the sentence writes another
    # date ("Monday's attack" is the sentence's own incident)
    mentions = [m for m in mentions if m.precision == "day" or not re.match(r"['’]s\b", sentence[m.span[1] :])
                ] or mentions  # fmt: skip
    recalls = _RECALLS.search(sentence)
    if recalls and _TOLD_INCIDENT.search(sentence[: recalls.start()]):  # "Monday's attack echoed a January
        mentions = [m for m in mentions if m.span[0] > recalls.start()] or mentions  # massacre": the recalled is new
    if not mentions:
        return None
    nearest = min(
        mentions, key=lambda m: (min(abs(m.span[0] - keyword_at), abs(m.span[1] - keyword_at)), m.span)
    )
    if nearest.precision in ("quarter", "year"):  # "In August this year": the month inside the year
        inside = [m for m in mentions if m.precision in ("day", "week", "month") and nearest.start <= m.start
                  and m.end <= nearest.end]  # fmt: skip
        nearest = inside[0] if inside else nearest
    basis = f"document date {anchor.day.isoformat()} ({anchor.basis})" if nearest.relative and anchor else "sentence"
    return _When(nearest.start, nearest.end, nearest.precision, basis)


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


def _story_date(window: list[Sentence], own_dates: dict[int, _When]) -> _When | None:
    """The day (or week, month) an earlier sentence of the paragraph, or the sentence just before, gave: a
    sentence that tells more of the same story without a date of its own ("The assailants came on motorbikes")
    is of that date, not of the whole year written there."""
    for earlier in reversed(window):
        dated = own_dates.get(earlier.number)
        if dated is not None and dated.precision in ("day", "week", "month"):
            return _When(dated.start, dated.end, dated.precision, f"the date of sentence {earlier.number}")
    return None


# A sentence recalling another time than the story's: "comes a month after", "two weeks earlier", "last year".
_RECAP = re.compile(
    r"\b(?:comes?|came|follows?|followed)\s+(?:\w+\s+){0,3}?(?:after|on\s+the\s+heels)\b"
    r"|\b(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|\d+)\s+"
    r"(?:days?|weeks?|months?|years?)\s+"
    r"(?:after|before|earlier|later|ago|prior)\b|\b(?:earlier|previous(?:ly)?|last)\s+(?:year|month|week|attack)s?\b"
    r"|\b(?:recalls?|recalling|reminiscent|similar|in\s+the\s+past)\b",
    re.IGNORECASE,
)


_STRETCH = re.compile(
    r"\b(?:for|lasted|lasting|over|during)\s+(?:(?:the|a|an|\w+)\s+)?(?:days?|weeks?|months?|years?)\b", re.IGNORECASE
)


_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_OFFSET = re.compile(
    r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?P<unit>days?|weeks?)\s+"
    r"(?P<dir>earlier|later)\b"
    # "The attack comes a week after a siege at a Bamako hotel": the recalled incident, counted back from the story
    r"|\b(?:comes?|came)\s+(?:just\s+|only\s+|barely\s+|some\s+)?(?P<n2>\d{1,2}|a|an|one|two|three|four|five|six"
    r"|seven|eight|nine|ten)\s+(?P<unit2>days?|weeks?)\s+after\b"
    r"|\bthe\s+(?P<near>next|following|previous|preceding)\s+(?:day|morning|evening|night)\b"
    r"|\bthe\s+day\s+(?P<side>before|after)\b(?!\s+\w+ing)"
    # "the week before", "the following week", "the next Sunday", "later that month": counted from the story too
    r"|\bthe\s+(?P<wunit>week|month)\s+(?P<wside>before|after)\b(?!\s+\w+ing)"
    r"|\bthe\s+(?P<wnear>next|following|previous|preceding)\s+(?P<wunit2>week|month)\b"
    r"|\bthe\s+(?P<dnear>next|following|previous|preceding)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday"
    r"|Saturday|Sunday)\b"
    r"|\b(?P<part>earlier|later)\s+(?:that|the\s+same)\s+month\b",
    re.IGNORECASE,
)


def _around_story(found: re.Match[str], story: _When) -> _When | None:
    """The week or month before or after the story's days, the weekday before or after them, or the part of the
    story's month before or after them (groups of :data:`_OFFSET` beyond its day counts)."""
    said = f"{found.group(0)!r} from {story.basis}"
    if found.group("part"):
        first = story.start.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        if found.group("part").lower() == "earlier":
            return _When(first, story.start, "month", said)
        return _When(story.end, last, "month", said)
    side = (found.group("wside") or found.group("wnear") or found.group("dnear") or "").lower()
    before = side in ("before", "previous", "preceding")
    if found.group("wd"):
        wanted = WEEKDAYS.index(found.group("wd").lower())
        day = (story.start - timedelta(days=(story.start.weekday() - wanted - 1) % 7 + 1) if before
               else story.end + timedelta(days=(wanted - story.end.weekday() - 1) % 7 + 1))  # fmt: skip
        return _When(day, day, "day", said)
    length = 7 if (found.group("wunit") or found.group("wunit2")).lower() == "week" else 30
    if before:
        return _When(story.start - timedelta(days=length), story.start - timedelta(days=1), "week" if length == 7
                     else "month", said)  # fmt: skip
    return _When(story.end + timedelta(days=1), story.end + timedelta(days=length), "week" if length == 7 else "month",
                 said)  # fmt: skip


def _offset_date(text: str, story: _When | None) -> _When | None:
    """"Two days earlier", "a week later", "the next day", "the day before": days counted from the story's date
    (the sentence before, or the lead), when that date is a day."""
    found = _OFFSET.search(text)
    if found is None or story is None or story.precision not in ("day", "week"):
        return None
    if found.group("n2"):  # "comes a week after": that long before the story's days, a day either side for weeks
        word = found.group("n2").lower()
        count = int(word) if word.isdigit() else _NUMBER_WORDS[word]
        weeks = found.group("unit2").lower().startswith("week")
        back = timedelta(days=count * (7 if weeks else 1))
        slack = timedelta(days=1 if weeks else 0)
        start, end = story.start - back - slack, story.end - back + slack
        return _When(start, end, "day" if start == end else "week", f"{found.group(0)!r} from {story.basis}")
    if story.precision != "day":
        return None
    if found.group("wunit") or found.group("wunit2") or found.group("wd") or found.group("part"):
        return _around_story(found, story)
    if found.group("n"):
        word = found.group("n").lower()
        count = int(word) if word.isdigit() else _NUMBER_WORDS[word]
        days = count * (7 if found.group("unit").lower().startswith("week") else 1)
        sign = -1 if found.group("dir").lower() == "earlier" else 1
    else:
        days = 1
        before = (found.group("near") or "").lower() in ("previous", "preceding") or found.group("side") == "before"
        sign = -1 if before else 1
    anchor = story.start if sign < 0 else story.end
    day = anchor + timedelta(days=sign * days)
    return _When(day, day, "day", f"{found.group(0)!r} from {story.basis}")


def _finer_story_date(own: _When, story: _When | None) -> _When:
    """A sentence about the story ("The dawn assaults on X ... in retaliation for an offensive this year") whose
    only date is a year or season holding the story's day is of that day: the coarse date is background's."""
    if story is None or story.precision in ("quarter", "year") or not (own.start <= story.start <= own.end):
        return own
    return _When(story.start, story.end, story.precision, f"{story.basis}, within the sentence's {own.precision}")


def _recent_past(sentence: Sentence, anchor: DocumentDate, years: list[int], context_year: int | None) -> _When | None:
    """The week up to the document date for the lead of a dated report that dates nothing ("An attack on a convoy
    left 39 people dead"): news tells its recent past. Not for a sentence with a year around it, a habit or a
    recap."""
    if years or context_year is not None or _HABITUAL.search(sentence.text) or _RECAP.search(sentence.text):
        return None
    if _STRETCH.search(sentence.text):  # "the siege lasted for two weeks": its own stretch, not dated by the writing
        return None
    day = anchor.day
    return _When(day - timedelta(days=6), day, "week", f"the week up to the document date {day} (a report's lead)")


def _lead_date(sentence: Sentence, lead: tuple[int, _When], years: list[int], context_year: int | None) -> _When | None:
    """The lead's date (a day, week or month) for a later sentence of a dated report that writes no date or year
    of its own or around it ("The attack took place in Fambita", "Up to 70 died in X and 30 in Y"): a report
    tells its incident's date once; a history does not. A habitual sentence ("attacks have killed thousands")
    is not of that date."""
    number, when = lead
    if number == sentence.number or years or _HABITUAL.search(sentence.text):
        return None
    if _RECAP.search(sentence.text):  # "The attack comes a month after militants overran the camp at X"
        return None
    if context_year is not None and context_year not in (when.start.year, when.end.year):
        return None
    return _When(when.start, when.end, when.precision, f"the lead's date (sentence {number})")


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
