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

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from geodata import schema
from geodata.names import normalise
from geodata.textdates import (
    DateMention,
    DocumentDate,
    dateline,
    document_date,
    find_dates,
    refers_to_previous_date,
    stamp_lines,
    year_span,
    years_in,
)
from geodata.textrules import (
    ARMED_FAMILIES,
    JIHADIST_FAMILIES,
    STRONG_TIE,
    Actor,
    Fatalities,
    competing,
    death_figures,
    event_type,
    find_actors,
    find_fatalities,
    is_generic,
    main_keyword,
    names_a_pair,
    order_actors,
    parse_number,
    place_groups,
    reference_spans,
)

if TYPE_CHECKING:
    from geodata.places.geocode import Geocoder, GeocodeResult

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
    heading: bool = False


@dataclass
class Extraction:
    """What :func:`extract_events` found: canonical events, rejected sentences, and how many sentences it read."""

    events: pd.DataFrame
    rejected: pd.DataFrame
    n_sentences: int


_BULLET = re.compile(r"^\s*(?:[•▪◦·*]|-(?=\s)|–|\d{1,2}[.)](?=\s))\s*")


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
            if _BULLET.match(line) and current:
                blocks.append((current, bullet))
                current = []
            if _BULLET.match(line):
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


# Infobox and table lines: "Date: | 21 March 2021 |", "| Fatalities | 141 |", "Location: Tillia, Niger".
_INFOBOX_LINE = re.compile(
    r"^\s*\|?\s*(?P<key>[A-Za-z][A-Za-z ()/'’-]{0,40}?)\s*(?::\s*\|?|\|)\s*(?P<value>[^|\n]*?)\s*\|?\s*$"
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


@dataclass
class Layout:
    """A text read as a document: its prose (stamp and infobox lines blanked, datelines cut off), the facts of its
    infobox (key -> value, keys of ``_INFOBOX_KEYS``) and its infobox lines as written."""

    prose: str
    infobox: dict[str, str]
    infobox_lines: list[str]


def read_layout(text: str) -> Layout:
    """Separate what is not prose: "Published/Updated" lines, infobox or table lines and datelines."""
    stamps = {stamp.start for stamp in stamp_lines(text)}
    lines, infobox, written = [], {}, []
    position = 0
    for line in text.replace("\r\n", "\n").split("\n"):
        here, position = position, position + len(line) + 1
        found = _INFOBOX_LINE.match(line)
        key = " ".join(found.group("key").lower().split()) if found else ""
        if here in stamps:
            lines.append("")
        elif found and ("|" in line or (key in _INFOBOX_KEYS and len(line) < 120)):
            if key in _INFOBOX_KEYS and found.group("value"):
                infobox.setdefault(_INFOBOX_KEYS[key], found.group("value"))
                written.append(line.strip())
            lines.append("")
        else:
            lines.append(line)
    paragraphs = re.split(r"(\n\s*\n)", "\n".join(lines))
    for number, paragraph in enumerate(paragraphs):
        stripped = paragraph.lstrip()
        line = dateline(stripped)
        if line is not None:
            paragraphs[number] = paragraph[: len(paragraph) - len(stripped)] + stripped[line.end() :]
    return Layout("".join(paragraphs), infobox, written)


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
    layout = read_layout(text)
    anchor = DocumentDate(document_day, "--date") if document_day else document_date(text)
    day = anchor.day if anchor else None
    sentences = split_sentences(layout.prose)
    actors = [find_actors(s.text) for s in sentences]
    years = [years_in(s.text) for s in sentences]
    dyad = _dyad(actors)
    places = _PlaceLookup(geocoder, document_countries(text))
    own_dates: dict[int, _When] = {}
    paragraph_dates: dict[int, _When] = {}
    placed: dict[int, list[tuple[str, GeocodeResult]]] = {}
    rows: list[dict] = []
    rejected: list[dict] = []
    orphans: list[tuple[Sentence, list[Actor]]] = []  # follow-ups with no incident before them
    main, problem = _infobox_incident(layout, places, day, id_prefix, dataset, source_name)
    if main is not None:
        rows.append(main)
    if problem is not None:
        rejected.append(problem)
    infobox_year = main["date_start"].year if main is not None else None
    headline = _headline_place(sentences, places)

    for index, sentence in enumerate(sentences):
        keyword = main_keyword(sentence.text)
        window = _window(sentences, index)
        context_year = next((years[s.number - 1][-1] for s in reversed(window) if years[s.number - 1]), None)
        context_year = context_year or infobox_year
        all_mentions = find_dates(sentence.text, context_year, day)
        mentions = [m for m in all_mentions if m.resolved]
        own = _own_date(mentions, keyword.start() if keyword else 0, sentence.text, anchor)
        unresolved_relative = own is None and any(m.relative and not m.resolved for m in all_mentions)
        if own is None and not unresolved_relative:
            own = _anaphoric_date(sentence.text, window, own_dates)
        if own is None and not unresolved_relative and sentence.paragraph in paragraph_dates:
            dated = paragraph_dates[sentence.paragraph]
            own = _When(dated.start, dated.end, dated.precision, f"the paragraph's date ({dated.basis})")
        if own is not None:
            own_dates[sentence.number] = own
            if _only_a_date(sentence.text, all_mentions):  # "Thursday." heads the items of a round-up
                paragraph_dates[sentence.paragraph] = own
        if keyword is None or sentence.heading:
            continue

        source = " ".join(part for part in (source_name, sentence.reference) if part) or None
        kind, sub_kind = event_type(sentence.text, [a.family for a in actors[index]])
        date_spans = [m.span for m in all_mentions]
        all_groups = place_groups(sentence.text, date_spans)
        groups = [g for g in all_groups if g.role == "event"]
        if any(g.distance <= STRONG_TIE for g in groups):  # a place tied to the violence: never fall back to others
            groups = [g for g in groups if g.distance <= STRONG_TIE]
        found, tried, vague = places.first_group(groups)
        if found and any(g.route and found[0][0] in g.names for g in groups):  # "a lorry between X and Y"
            found = found[:1]
        place_basis = "sentence"
        ordered = order_actors(sentence.text, _with_antecedent(sentence.text, _parties(sentence.text, actors[index]),
                                                               actors, index), kind)  # fmt: skip
        deaths = find_fatalities(sentence.text, date_spans)

        if own is None and found and not unresolved_relative:  # an undated sentence about a place already told
            told = [row for row in rows if _km(row, {"latitude": found[0][1].latitude,
                                                      "longitude": found[0][1].longitude}) <= 10]  # fmt: skip
            by_name = [row for row in told if normalise(str(row["location"])) == normalise(found[0][0])]
            told = by_name or told  # two villages placed at one seat's point stay apart
            if told and not by_name and found[0][1].geo_precision >= 2 and told[-1]["geo_precision"] >= 2:
                # another village of the incident ("then moved on to the nearby village of X, where they killed
                # two more"), placed at the same seat's point as the first: an event of its own, same date and actors
                rows.append(_sibling(rows, told[-1], sentence, found[0], ordered, deaths, source))
                continue
            if told:
                _follow_up(rows, told[-1], sentence, ordered, deaths, source, None, date_spans)
                continue
        loose = groups and all(g.distance > STRONG_TIE for g in groups)  # places not tied to the violence
        if (not groups or loose) and not unresolved_relative:
            target = _continued(rows, sentences, index, own, dated=anchor is not None)
            if target is not None:
                if own is not None and _GOES_ON.search(sentence.text):  # "it resumed until Saturday"
                    last_day = max(m.end for m in mentions if m.end is not None)
                    if target["date_end"].date() < last_day <= target["date_end"].date() + timedelta(days=3):
                        target["date_end"] = pd.Timestamp(last_day)
                        target["date_basis"] = f"{target['date_basis']}; until {last_day} (a follow-up sentence)"
                        own = None  # its days extend the incident, they do not narrow it
                _follow_up(rows, target, sentence, ordered, deaths, source, own, date_spans)
                continue
            if own is None and main is not None and points_back(sentence.text):
                orphans.append((sentence, ordered))
                continue
        when = None if unresolved_relative else own or _context_date(years, index, context_year)
        if not found and not groups and own is not None:
            inherited = _inherited_place(sentences, index, placed, dated=anchor is not None)
            if inherited:
                found, place_basis = inherited
            elif _THERE.search(sentence.text) and (spoken := _paragraph_place(sentences, index, places)):
                found, place_basis = spoken  # "Banibangou has suffered again. ... the town's market": Banibangou
            elif rows and _THERE.search(sentence.text):  # "in the town", "the same village", "there"
                last = rows[-1]
                found = [(last["location"], _as_result(last))]
                place_basis = f"{last['event_id']} (\"{_THERE.search(sentence.text).group(0)}\")"
            elif not rows and headline is not None:  # the first incident told is the one the headline names
                found, place_basis = headline
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

        if unresolved_relative:
            reject(RELATIVE_WITHOUT_ANCHOR)
            continue
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

        extras = _other_incidents(sentence.text, when, context_year, anchor) if found else []
        main_text = sentence.text
        if extras:  # the first clause's actors and dead are the first incident's; the others have their own
            main_end = sentence.text.find(extras[0][0])
            main_text = sentence.text[:main_end]
            ordered = [a for a in ordered if not 0 <= a.start < 10_000 or a.start < main_end]
            deaths = find_fatalities(main_text, date_spans)
        ordered, new_kind = _victims_and_perpetrators(ordered, death_figures(main_text, date_spans), kind,
                                                      main_text)  # fmt: skip
        if new_kind != kind and kind == "Battles":
            kind, sub_kind = new_kind, "Attack"
        elif new_kind == "Battles" and kind == "Violence against civilians":  # armed men among the dead
            kind, sub_kind = new_kind, "Armed clash"
        actor1, actor2 = _pair(ordered, _recent_pair(actors, index) or dyad, names_a_pair(sentence.text), kind)
        sequence = _sequence(sentence.text, all_groups, mentions, death_figures(sentence.text, date_spans), when)
        if sequence is not None and place_basis == "sentence":  # "at X on 8 March, then at Y on 11 March"
            for number, (group, step_when, step_figures) in enumerate(sequence):
                step_found, _, _ = places.first_group([group])
                if not step_found:
                    continue
                name, result = step_found[0]
                rows.append(
                    _row(
                        f"{id_prefix}:{sentence.number}-{chr(ord('a') + number)}", dataset, step_when, kind,
                        sub_kind, actor1, actor2, step_figures, name, result, source, sentence.text,
                        "sentence (one of several places with their own date or toll)", sentence.number,
                    )
                )
                rows[-1]["_victims"] = {f.category for f in death_figures(sentence.text, date_spans)}
            continue
        for number, (name, result) in enumerate(found):
            suffix = f"-{chr(ord('a') + number)}" if len(found) > 1 else ""
            figures = deaths if number == 0 else Fatalities(None, None, None)
            rows.append(
                _row(
                    f"{id_prefix}:{sentence.number}{suffix}", dataset, when, kind, sub_kind, actor1, actor2,
                    figures, name, result, source, sentence.text, place_basis, sentence.number,
                )
            )
            if number == 0:
                rows[-1]["_victims"] = {f.category for f in death_figures(sentence.text, date_spans)}
        if found:  # "On 9 June, 19 people were shot dead in the town, and an attack
            # on 20 November was repelled": a second dated incident in a clause of its own, at the same place
            for extra, (clause, clause_when) in enumerate(extras):
                rows.append(_clause_event(f"{id_prefix}:{sentence.number}-{extra + 2}", dataset, clause, clause_when,
                                          found[0], source, place_basis, sentence.number))  # fmt: skip

    _attributions(sentences, actors, rows, places)
    for sentence, ordered in orphans:
        if main is None:
            rejected.append(_rejection(sentence, source_name, "no place"))
        else:
            _add_facts(main, sentence, ordered, find_fatalities(sentence.text), None)
    rows = _one_event_per_incident(rows)
    for row in rows:
        row.pop("_sentence", None)
        row.pop("_victims", None)
        if row["group1"] is not None and row["group1"] == row["group2"]:  # one party named twice
            row["actor2"], row["group2"] = None, None
        if row["group1"] is None and row["group2"] == "Civilians":  # an IED that killed civilians, no one named
            row["actor1"], row["group1"], row["actor2"], row["group2"] = row["actor2"], "Civilians", None, None
        if row["group1"] == "Civilians" and row["group2"] is None:  # civilians attacked by no one named
            row["actor1"], row["group1"], row["actor2"], row["group2"] = (
                "unidentified armed group", "Other", row["actor1"], "Civilians",
            )  # fmt: skip
    events = schema.conform(pd.DataFrame(rows, columns=[*schema.COLUMN_NAMES, *BASIS_COLUMNS]))
    for column in BASIS_COLUMNS:
        events[column] = events[column].astype("string")
    rejected_frame = pd.DataFrame(rejected, columns=list(REJECTED_COLUMNS)).astype(
        {"sentence_number": "Int64", **{c: "string" for c in REJECTED_COLUMNS if c != "sentence_number"}}
    )
    return Extraction(events=events, rejected=rejected_frame, n_sentences=len(sentences))


RELATIVE_WITHOUT_ANCHOR = "relative date without a document date"


_NEXT_DAY = re.compile(r"\b(?:the\s+(?:next|following)\s+day|a\s+day\s+later|the\s+day\s+after)\b", re.IGNORECASE)
# "30 people in X, two in Y and eight in Z": a bare number before "in/at" is a toll for the place after it.
_ELLIPTIC_FIGURE = re.compile(
    r"(?:^|,|;|\band\b)\s*(?P<n>\d{1,4}|[a-z]+(?:-[a-z]+)?)\s+(?:more\s+|others?\s+)?(?:in|at)\s+$", re.IGNORECASE
)


def _sequence(text: str, groups: list, mentions: list[DateMention], figures: list, when: _When | None,
              ) -> list[tuple[object, _When, Fatalities]] | None:  # fmt: skip
    """Several places of one sentence told with their own date or their own toll ("at Tamalate on 8 and 9 March,
    then at Inchinane the next day and at Anderamboukane on 11 March"; "killed 30 people in X, two in Y and eight
    in Z"): one (group, date, toll) per place, or None when the places share the sentence's date and toll.

    A place's date is the first date written after it and before the next place ("the next day": the day after
    the place before); its toll is the figure written just before it. A place with neither takes the
    sentence's date and no toll."""
    named = sorted((g for g in groups if g.role == "event" and g.kind == "name"), key=lambda g: g.start)
    if len(named) < 2 or when is None:
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


_COUNTRY_WORDS = {
    "ML": r"Mali(?:an|ans)?\b",
    "BF": r"Burkina(?:\s+Faso)?\b|Burkinab[eè]s?\b",
    "NE": r"Niger\b(?!\s+(?:river|River|delta|Delta|bend|valley))|Nig[eé]rien(?:ne)?s?\b",
}


def document_countries(text: str) -> tuple[str, ...]:
    """The countries of the war a text names (Mali/Malian, Burkina Faso/Burkinabe, Niger/Nigerien; not the Niger
    river), most named first: its place names are searched there first."""
    counts = {iso: len(re.findall(rf"(?<!\w)(?:{pattern})", text)) for iso, pattern in _COUNTRY_WORDS.items()}
    return tuple(iso for iso, n in sorted(counts.items(), key=lambda item: -item[1]) if n)


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
    ordered = order_actors(clause, _parties(clause, named), kind)
    figures = death_figures(clause)
    ordered, new_kind = _victims_and_perpetrators(ordered, figures, kind, clause)
    if new_kind != kind:
        kind, sub_kind = new_kind, "Attack" if new_kind == "Violence against civilians" else "Armed clash"
    actor1, actor2 = _pair(ordered, None, False, kind)
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


def _rejection(sentence: Sentence, source_name: str, reason: str) -> dict:
    source = " ".join(part for part in (source_name, sentence.reference) if part) or None
    return {"sentence_number": sentence.number, "sentence": sentence.text, "source": source, "reason": reason,
            "name": None, "candidates": None}  # fmt: skip


# ---------------------------------------------------------------- one incident, one event

_ADDITIVE = re.compile(r"\b(?:other|another|more|additional|further|also)\b", re.IGNORECASE)


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


_HABITUAL = re.compile(
    r"\b(?:have|has|had)\s+(?:\w+\s+)?(?:killed|been\s+killed|attacked|died|fought|displaced|claimed)\b|\bsince\b"
    r"|\b(?:every|each)\s+(?:year|month|week)\b|\bso\s+far\b",
    re.IGNORECASE,
)


# A sentence saying the fighting went on: its later days extend the incident told just before.
_GOES_ON = re.compile(
    r"\b(?:resum(?:ed|es)|continu(?:ed|es)|went\s+on|carried\s+on|lasted|raged|persisted|dragged\s+on|halted"
    r"|paused|until|through(?:out)?)\b",
    re.IGNORECASE,
)


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


_CLAIM = re.compile(
    r"\b(?:claim(?:ed|s|ing)?|attribut(?:ed|es|ing)|blam(?:ed|es|ing)|responsibility|accus(?:ed|es)|suspected"
    r"|suspicion|suspects?|(?:presented|identified|introduced|described)\s+themselves\s+as|said\s+they\s+were"
    r"|belong(?:ed|s)?\s+to)\b",
    re.IGNORECASE,
)
_NOBODY = re.compile(r"\b(?:no|none|nobody|no\s+one)\b[^.;]{0,20}\bclaim", re.IGNORECASE)
_ALL = re.compile(r"\b(?:both|either|all|the\s+(?:two|three|twin)|these)\b", re.IGNORECASE)


def _attributions(sentences: list[Sentence], actors: list[list[Actor]], rows: list[dict],
                  places: _PlaceLookup) -> None:  # fmt: skip
    """"JNIM claimed the attack", "analysts attribute it to the ISGS": a sentence that claims or attributes violence
    to one jihadist group names the perpetrator that the events it speaks of left unnamed ("gunmen") or missing:
    the events at the places it names, else every earlier event when it says "both/either attacks", else the
    last one before it."""
    for index, sentence in enumerate(sentences):
        attributed = re.search(r"\b(?:attribut|blam|suspect|accus)", sentence.text, re.IGNORECASE)
        if not _CLAIM.search(sentence.text) or (_NOBODY.search(sentence.text) and not attributed):
            continue
        groups = [a for a in actors[index] if a.family in JIHADIST_FAMILIES]
        if not groups:  # "local authorities suspect the Dan Na Ambassagou militia"
            claim_at = _CLAIM.search(sentence.text).start()
            groups = [a for a in actors[index] if a.family == "Militia" and a.start > claim_at]
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


def _follow_up(rows: list[dict], target: dict, sentence: Sentence, ordered: list[Actor], deaths: Fatalities,
               source: str | None, own: _When | None, date_spans: list[tuple[int, int]]) -> None:  # fmt: skip
    """A follow-up adds its facts to ``target``, except civilians killed in an incident fought between armed
    parties: ACLED codes them as a second event (same place and day, the perpetrator against civilians)."""
    figures = death_figures(sentence.text, date_spans)
    civilians = any(a.family == "Civilians" for a in ordered) or any(f.category == "people" for f in figures)
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
    day of the week before the event's date ("The assault began on Tuesday" after "mourned on Thursday"), the
    sentence into ``notes``."""
    if deaths.low is not None or deaths.best is not None or deaths.high is not None:
        old = Fatalities(row["fatalities"], row["fatalities_low"], row["fatalities_high"])
        if old == Fatalities(None, None, None):
            new = deaths
            row["_victims"] = {f.category for f in death_figures(sentence.text)}
        elif _ADDITIVE.search(sentence.text):
            new = _sum_figures(old, deaths)
        else:
            victims = {f.category for f in death_figures(sentence.text)}
            same = not victims or not row.get("_victims") or bool(victims & row["_victims"])
            new = competing(old, deaths) if same else _sum_figures(old, deaths)
            row["_victims"] = row.get("_victims", set()) | victims
        row["fatalities"], row["fatalities_low"], row["fatalities_high"] = new.best, new.low, new.high
    _complete_actors(row, [(a.name, a.family) for a in ordered])
    if own is not None and own.precision in ("day", "week") and _narrows(row, own):
        row["date_start"], row["date_end"] = pd.Timestamp(own.start), pd.Timestamp(own.end)
        row["date_precision"], row["date_basis"] = own.precision, f"{own.basis} (a follow-up sentence)"
    row["notes"] = f"{row['notes']} {sentence.text}"
    if source and row["source"] and sentence.reference:
        refs = [r for r in re.findall(r"\[\d+[a-z]?\]", sentence.reference) if r not in row["source"]]
        row["source"] += "".join(refs)


def _narrows(row: dict, own: _When) -> bool:
    """A follow-up's day within the week up to the event's first day: the violence began then."""
    start = row["date_start"].date()
    return own.end <= row["date_end"].date() and start - timedelta(days=7) <= own.start and own.start != start


def _complete_actors(row: dict, named: list[tuple[str, str]]) -> None:
    """Fill the event's missing actors, and replace unnamed armed men ("gunmen": Other), with the armed
    families ``named`` (name, family) that it does not have yet."""
    families = {row["group1"], row["group2"]}
    armed = [(name, family) for name, family in named if family not in families and family != "Civilians"
             and not (family == "Other" and is_generic(name))]  # fmt: skip
    for slot in ("1", "2"):
        if not armed:
            break
        if row[f"group{slot}"] is None or (row[f"group{slot}"] == "Other" and is_generic(row[f"actor{slot}"])):
            row[f"actor{slot}"], row[f"group{slot}"] = armed.pop(0)
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
    lat1, lon1, lat2, lon2 = map(math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


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
        return False
    pair_a = {g for g, n in ((a["group1"], a["actor1"]), (a["group2"], a["actor2"])) if g and not is_generic(n)}
    pair_b = {g for g, n in ((b["group1"], b["actor1"]), (b["group2"], b["actor2"])) if g and not is_generic(n)}
    return len(pair_a | pair_b) <= 2  # no third party: {State forces} and {ISGS} complete each other


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
        _fill(first, row)
    return kept


def _fill(row: dict, other: dict) -> None:
    """Facts of ``other`` that ``row`` lacks: fatalities, actors, a narrower date; its words go into notes."""
    if row["fatalities"] is None and row["fatalities_low"] is None and row["fatalities_high"] is None:
        for column in ("fatalities", "fatalities_low", "fatalities_high"):
            row[column] = other[column]
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


def _infobox_incident(layout: Layout, places: _PlaceLookup, day: date | None, id_prefix: str, dataset: str,
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
    r"\b(?:said|says|told|tweet(?:ed)?|posted|statement|announced|claimed|reported|wrote|published|communiqu[eé]"
    r"|update[ds]?|updating|video|interview|press\s+conference)\W+(?:\w+\W+){0,3}$"
    # "the chief of staff said during a visit on Sunday": the day of the visit, not of the violence
    r"|\b(?:during|at|in)\s+(?:a|an|the|his|her|its|their)\s+(?:\w+\s+)?(?:visit|press\s+conference|briefing"
    r"|interview|speech|meeting|ceremony|funeral)\s+(?:(?:\w+\s+){0,3}?on\s+)?$",
    re.IGNORECASE,
)


_REPORTING_AFTER = re.compile(
    r"^\s+(?:\w+\s+)?(?:said|says|told|published|announced|reported|released|issued|tweeted|posted|claimed)\b",
    re.IGNORECASE,
)


def _own_date(mentions: list[DateMention], keyword_at: int, sentence: str = "",
              anchor: DocumentDate | None = None) -> _When | None:  # fmt: skip
    """The date nearest the violence word. A date of the reporting ("said on Tuesday", "in a statement on 18
    April", "(Update, Sept 19)", "on Tuesday published") is never the date of the violence."""
    if not mentions:
        return None

    def reporting(mention: DateMention) -> bool:
        return bool(
            _REPORTING_BEFORE.search(sentence[: mention.span[0]]) or _REPORTING_AFTER.match(sentence[mention.span[1] :])
        )

    mentions = [m for m in mentions if not reporting(m)]
    if not mentions:
        return None
    nearest = min(
        mentions, key=lambda m: (min(abs(m.span[0] - keyword_at), abs(m.span[1] - keyword_at)), m.span)
    )
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


_ITS_MEN = re.compile(
    r"\b(?:its|their|the\s+group['’]s|the\s+same\s+group['’]s)\s+(?:own\s+)?(?:fighters|militants|men|members|combatants"
    r"|gunmen|units?)\b",
    re.IGNORECASE,
)


_FINDS = re.compile(
    r"^\s+(?:(?:has|have|had|later|also|then|only)\s+){0,2}(?:found|counted|documented|recovered|buried|discovered"
    r"|collected|searched|combed|identified\s+the|retrieved|exhumed)\b",
    re.IGNORECASE,
)
# Who only reacts to the violence ("MINUSMA strongly condemns the attacks", "the UN deplored") is no party to it.
_REACTS = re.compile(
    r"^\W*(?:\([^)]{0,40}\)\s*)?(?:(?:has|have|had|also|strongly|firmly|swiftly|later|then)\s+){0,2}"
    r"(?:condemn(?:s|ed)?|deplor(?:es|ed)|denounc(?:es|ed)|decr(?:ies|ied)|regrett?(?:s|ed)|mourn(?:s|ed)"
    r"|offer(?:s|ed)\s+(?:its|their)\s+condolences|express(?:es|ed)\s+(?:its|their|deep|grave)?)\b",
    re.IGNORECASE,
)


# An observer (UN mission, peacekeepers: family Other) that only reports on the violence is no party to it.
_REPORTS = re.compile(
    r"^\W*(?:\([^)]{0,40}\)\s*)?(?:(?:on|in|last|this)\s+\w+\s+)?(?:(?:has|have|had|also|later)\s+)?"
    r"(?:published|said|says|reported|announced|found|concluded|released|documented|investigated|stated|recorded"
    r"|confirmed|counted)\b",
    re.IGNORECASE,
)
# A time clause saying an actor had gone ("a day after the FAMa detachment had left"): it is no party.
_LEFT = re.compile(r"\b(?:left|withdr[ae]wn?|pulled\s+out|departed|moved\s+out|evacuated|abandoned)\b", re.IGNORECASE)


def _parties(text: str, named: list[Actor]) -> list[Actor]:
    """The actors of a sentence minus those who only found or counted the dead ("the army has found 79 bodies")
    and those who only condemn or mourn it ("MINUSMA strongly condemns the attacks")."""
    references = reference_spans(text)

    def gone(actor: Actor) -> bool:  # the subject of a leaving verb inside a time clause
        if not any(start <= actor.start < end for start, end in references):
            return False
        after = re.split(r"[.;]", text[actor.start + len(actor.name) :], maxsplit=1)[0]
        later = [a.start for a in named if a.start > actor.start]
        if later:
            after = after[: min(later) - actor.start - len(actor.name)]
        return _LEFT.search(after[:80]) is not None

    def reports(actor: Actor) -> bool:  # "MINUSMA on Tuesday published the findings of its inquiry into ..."
        return actor.family == "Other" and not is_generic(actor.name) and bool(
            _REPORTS.match(text[actor.start + len(actor.name) :]))

    return [
        a for a in named
        if not _FINDS.match(text[a.start + len(a.name) :]) and not _REACTS.match(text[a.start + len(a.name) :])
        and not gone(a) and not reports(a)
    ]  # fmt: skip


def _with_antecedent(text: str, named: list[Actor], actors: list[list[Actor]], index: int,
                     lookback: int = 5) -> list[Actor]:  # fmt: skip
    """The sentence's actors; "its fighters" with no armed group named is the jihadist group named first (the
    subject) in the nearest of the ``lookback`` sentences before that names one."""
    found = _ITS_MEN.search(text)
    if found is None or any(a.family in ARMED_FAMILIES for a in named):
        return named
    for earlier in reversed(actors[max(index - lookback, 0) : index]):
        jihadists = [a for a in earlier if a.family in JIHADIST_FAMILIES]
        if jihadists:
            latest = min(jihadists, key=lambda a: a.start)  # the subject comes first
            generic = [a for a in named if not (a.family == "Other" and is_generic(a.name))]
            return [Actor(latest.name, latest.family, found.start()), *generic]
    return named


def _recent_pair(actors: list[list[Actor]], index: int, lookback: int = 3) -> tuple[Actor, Actor] | None:
    """The two armed families of the nearest of the ``lookback`` sentences before that names two."""
    for named in reversed(actors[max(index - lookback, 0) : index]):
        armed = [actor.family for actor in named if actor.family in ARMED_FAMILIES]
        if len(armed) >= 2:
            return Actor(armed[0], armed[0], -1), Actor(armed[1], armed[1], -1)
    return None


# Armed parties written as one subject ("soldiers and VDP militiamen", "the army, backed by Wagner") act together;
# words of fighting between them make them opponents.
_ALLIED = re.compile(
    r"^\s*(?:\([^)]{0,60}\)\s*)?(?:\w+\s+){0,2}?(?:,|and|with|alongside|backed\s+by|supported\s+by|together\s+with"
    r"|accompanied\s+by|assisted\s+by)\s+(?:\w+\s+){0,3}?$",
    re.IGNORECASE,
)
_OPPONENTS = re.compile(r"\b(?:battl\w*|fought|fight\w*|clash\w*|against|rivals?|versus|vs)\b", re.IGNORECASE)


def _victims_and_perpetrators(ordered: list[Actor], deaths: list, kind: str,
                              text: str = "") -> tuple[list[Actor], str]:  # fmt: skip
    """ACLED's conventions for what a report leaves unnamed: dead "people" with at most one armed party named
    are civilians; violence against civilians, or against soldiers or militias, with no other party named is by
    an unidentified armed group (family Other), until the text names it. Armed parties that are all named
    before the violence word ("soldiers and VDP militiamen killed 58 civilians") act together: the first is the
    perpetrator, the civilians the victims (ACLED puts the ally in an associated actor)."""
    families = {a.family for a in ordered}
    armed = [a for a in ordered if a.family in ARMED_FAMILIES or a.family == "Other"]
    keyword = main_keyword(text) if text else None
    civilians = [a for a in ordered if a.family == "Civilians"]
    named = sorted((a for a in armed if not (a.family == "Other" and is_generic(a.name))
                    and (keyword is None or a.start < keyword.start())), key=lambda a: a.start)  # fmt: skip
    allies = (
        len(named) >= 2 and keyword is not None and 0 <= named[0].start and not _OPPONENTS.search(text)
        and all(_ALLIED.match(text[a.start + len(a.name) : b.start]) for a, b in zip(named, named[1:], strict=False))
        and not [a for a in armed if a not in named and not is_generic(a.name)]
    )  # fmt: skip
    if allies and (civilians or any(f.category == "people" for f in deaths)):
        victims = civilians[0] if civilians else Actor("civilians", "Civilians", 10_000)
        return [min(named, key=lambda a: a.start), victims], "Violence against civilians"
    unnamed_dead = any(f.category == "unknown" for f in deaths) and all(
        a.family not in ("State forces", "Militia", "Wagner Group") for a in armed)  # "18 dead" after gunmen attacked
    if "Civilians" not in families and len(armed) <= 1 and (any(f.category == "people" for f in deaths)
                                                             or unnamed_dead):  # fmt: skip
        ordered = [*ordered, Actor("civilians", "Civilians", 10_000)]
        kind = "Violence against civilians"
        families.add("Civilians")  # the dead are the victims: no unidentified third party beside the one named
    if not armed and kind == "Violence against civilians" and any(a.family == "Civilians" for a in ordered):
        ordered = [Actor("unidentified armed group", "Other", -1), *ordered]
    elif len(armed) == 1 and armed[0].family in ("State forces", "Militia") and "Civilians" not in families:
        ordered = [Actor("unidentified armed group", "Other", -1), *ordered]  # soldiers attacked by no one named
    elif (len(armed) >= 2 and {a.family for a in armed} <= {"State forces", "Militia", "Wagner Group"}
          and "Civilians" not in families and any(f.category in ("state", "militia") for f in deaths)):
        # "six soldiers and 34 VDP auxiliaries were killed": allies among the dead, their attacker unnamed
        pro = sorted(armed, key=lambda a: ("State forces", "Wagner Group", "Militia").index(a.family))
        ordered = [Actor("unidentified armed group", "Other", -1), *pro]
        kind = "Battles"
    return ordered, kind


def _pair(ordered: list[Actor], dyad: tuple[Actor, Actor] | None, pair_named: bool,
          kind: str = "") -> tuple[Actor | None, ...]:  # fmt: skip
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


_ADMIN_UNIT = re.compile(
    r"^(?:(?:the\s+)?(?P<unit>department|cercle|commune|district|prefecture|municipality|rural\s+commune)\s+of\s+"
    r"(?P<name>.+)|(?P<name2>.+?)\s+(?:department|cercle|commune|district|prefecture|municipality|rural\s+commune))$",
    re.IGNORECASE,
)


class _PlaceLookup:
    """Geocodes each distinct phrase once and remembers what failed, with the geocoder's candidates."""

    def __init__(self, geocoder: Geocoder, countries: tuple[str, ...] = ()) -> None:
        self.geocoder = geocoder
        self.cache: dict[object, GeocodeResult | list[str]] = {}
        self.countries = countries  # the countries the document names, most named first

    def _trusted(self, query: str, result: GeocodeResult | list[str],
                 country: str | None) -> GeocodeResult | list[str]:  # fmt: skip
        """A fuzzy match in a country the document never names ("Bouakee" in a report on Mali -> Bouaké, Côte
        d'Ivoire) is a misspelling of an unknown village, not that town: not found, with its candidates."""
        if isinstance(result, list) or result.score >= 100 or not self.countries:
            return result
        if result.country_iso2 in self.countries or result.country_iso2 == country:
            return result
        return [f"{result.matched_name} ({result.country_iso2}, a fuzzy match outside the text's countries)"]

    def resolve(self, query: str, hints: tuple[str, ...] = ()) -> GeocodeResult | list[str]:
        """The place of ``query``, searched in the country and region its container phrases (``hints``) name;
        a list of the closest candidates when nothing matches."""
        from geodata.places.geocode import PlaceNotFound

        country = admin1 = None
        for hint in hints:
            found = self.resolve(hint)
            if not isinstance(found, list):
                country = country or found.country_iso2
                admin1 = admin1 or (found.admin1 if found.geo_precision == 3 else None)
        key = (query, country, admin1)
        unit = _ADMIN_UNIT.match(query)
        if unit and key not in self.cache:  # "Tillia Department", "the cercle of Bankass": its seat, precision 2
            bare = re.sub(r"^(?:the|la|le)\s+", "", unit.group("name") or unit.group("name2"), flags=re.IGNORECASE)
            found = self.resolve(bare, hints)
            if not isinstance(found, list) and found.geo_precision < 2:
                found = replace(found, geo_precision=2, matched_name=f"{found.matched_name} (its unit)")
            self.cache[key] = found
        if key not in self.cache:
            try:
                found = self.geocoder.geocode(query, country=country or (self.countries[:1] or [None])[0],
                                              admin1=admin1)  # fmt: skip
                self.cache[key] = self._trusted(query, found, country)
            except PlaceNotFound as problem:
                self.cache[key] = list(problem.candidates)
            except ValueError:  # a hint the geocoder does not take
                self.cache[key] = self.resolve(query) if (country or admin1) else []
        return self.cache[key]

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
                result = self.resolve(query, group.hints)
                if isinstance(result, list):
                    missed.append((name, result))
                else:
                    found.append((name, result))
            if found:
                return found, missed, vague
            tried.extend(missed)
        return [], tried, vague


_THERE = re.compile(
    r"\b(?:the|that|this)\s+(?:same\s+)?(?:town|village|locality|commune|camp|base|area|market|site)\b|\bthere\b",
    re.IGNORECASE,
)


def _paragraph_place(sentences: list[Sentence], index: int, places: _PlaceLookup) -> tuple[list, str] | None:
    """The settlement an earlier sentence of the same paragraph is about, violent or not ("Banibangou has suffered
    repeatedly this year."), for a sentence that says "the town", "there": the nearest one that names one."""
    current = sentences[index]
    for earlier in reversed(sentences[:index]):
        if earlier.paragraph != current.paragraph:
            return None
        candidates = place_groups(earlier.text)
        groups = [g for g in candidates if g.role == "event" and g.kind == "name"]
        groups += _subject_place_groups(earlier.text)
        groups += [g for g in candidates if g.role == "reference" and g.kind == "name"]  # "a week after the assault
        # on Mansila, ...": the violence of a time clause is still what "there" points at
        found, _tried, _vague = places.first_group(groups[:1])
        if found:
            return found[:1], f"sentence {earlier.number} (the place its paragraph is about)"
    return None


def _subject_place_groups(text: str) -> list:
    """A sentence that opens on a place name as its subject ("Banibangou has suffered repeatedly")."""
    from geodata.textrules import PlaceGroup, _is_name

    opening = re.match(r"^(?P<name>(?-i:[A-ZÀ-Ý][\w'’-]+)(?:[\s-](?-i:[A-ZÀ-Ý][\w'’-]+))?)\s+(?:has|had|is|was|lies)\b",
                       text)  # fmt: skip
    if opening is None or not _is_name(opening.group("name")) or opening.group("name").lower() in ("it", "he", "she"):
        return []
    name = opening.group("name")
    return [PlaceGroup("name", (name,), (name,), 0, len(name))]


def _headline_place(sentences: list[Sentence], places: _PlaceLookup) -> tuple[list, str] | None:
    """The place a headline ties to violence ("Attack in Bamako", "What we know about the assault on Mansila"), or
    the one settlement it is about ("A week after Sobane Da"): the first heading of the text, when it names one
    known place."""
    for first in sentences[:3]:
        if not first.heading:  # only the headings above the first sentence of prose
            return None
        candidates = [g for g in place_groups(first.text) if g.kind == "name" and g.role != "container"]
        if main_keyword(first.text) is not None:  # "Attack in Bamako": the place tied to the violence
            groups = [g for g in candidates if g.role == "event" and g.distance <= STRONG_TIE]
        else:  # "Three days at Tinzaouaten", "A week after Sobane Da": the one settlement the title is about
            groups = candidates if len(candidates) == 1 and len(candidates[0].names) == 1 else []
        found, _tried, _vague = places.first_group(groups[:1])
        if len(found) == 1:
            return found, f"the headline (\"{first.text}\")"
    return None


def _as_result(row: dict) -> GeocodeResult:
    """An event's place as a geocoding result, for a sentence that points at it ("in the town")."""
    from geodata.places.geocode import GeocodeResult

    return GeocodeResult(row["latitude"], row["longitude"], row["geo_precision"], row["country_iso2"],
                         row["admin1"], row["admin2"], row["location"], 100.0, f"event {row['event_id']}")  # fmt: skip


def _inherited_place(
    sentences: list[Sentence], index: int, placed: dict[int, list[tuple[str, GeocodeResult]]], dated: bool = False
) -> tuple[list[tuple[str, GeocodeResult]], str] | None:
    """The place of the sentence just before, when it is in the same paragraph, shares a reference number, or
    ends the paragraph before one that points back at it in a dated report ("The victims were killed on
    Thursday")."""
    if index == 0:
        return None
    previous, current = sentences[index - 1], sentences[index]
    shared = set(re.findall(r"\[\d+[a-z]?\]", previous.reference)) & set(
        re.findall(r"\[\d+[a-z]?\]", current.reference)
    )
    # in a dated report, "The victims were killed on Thursday" goes on from the paragraph before
    follows = dated and previous.paragraph + 1 == current.paragraph and points_back(current.text)
    if previous.number not in placed or not (previous.paragraph == current.paragraph or shared or follows):
        return None
    why = f"shared reference {''.join(sorted(shared))}" if shared else "same paragraph" if not follows else (
        "the paragraph before, pointed back at")
    return placed[previous.number][:1], f"sentence {previous.number} ({why})"
