"""Places in text: which place a report's sentence is about, and where that place is.

Candidate phrases come from :func:`geodata.text.rules.place_groups`; this module looks them up in the gazetteer
(through the geocoder, once per phrase and document), trusts or distrusts fuzzy matches by the countries the
document names, and finds the place of a sentence that only says "the village" or "there" (the headline, the
sentence before, the paragraph's subject). Split out of ``extract.py`` (issue 22: "places-in-text" as its own
module).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from geodata.text.rules import STRONG_TIE, main_keyword, place_groups

if TYPE_CHECKING:
    from geodata.places.geocode import Geocoder, GeocodeResult
    from geodata.text.sentences import Sentence


COUNTRY_WORDS = {
    "ML": r"Mali(?:an|ans)?\b",
    "BF": r"Burkina(?:\s+Faso)?\b|Burkinab[eè]s?\b",
    "NE": r"Niger\b(?!\s+(?:river|River|delta|Delta|bend|valley))|Nig[eé]rien(?:ne)?s?\b",
}


def document_countries(text: str) -> tuple[str, ...]:
    """The countries of the war a text names (Mali/Malian, Burkina Faso/Burkinabe, Niger/Nigerien; not the Niger
    river), most named first (ties: the first named first): its place names are searched there first."""
    found = {iso: [m.start() for m in re.finditer(rf"(?<!\w)(?:{pattern})", text, flags=re.IGNORECASE)]
             for iso, pattern in COUNTRY_WORDS.items()}  # fmt: skip
    return tuple(iso for iso, at in sorted(found.items(), key=lambda item: (-len(item[1]), item[1][:1])) if at)


_ADMIN_UNIT = re.compile(
    r"^(?:(?:the\s+)?(?P<unit>department|cercle|commune|district|prefecture|municipality|rural\s+commune)\s+of\s+"
    r"(?P<name>.+)|(?P<name2>.+?)\s+(?:department|cercle|commune|district|prefecture|municipality|rural\s+commune))$",
    re.IGNORECASE,
)


_REGION_QUERY = re.compile(r"\b(?:region|province|cercle|department|prefecture)s?$", re.IGNORECASE)


class PlaceLookup:
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
                hint = country or (self.countries[:1] or [None])[0]
                if re.search(r"\bborder", query, re.IGNORECASE):  # "the border with Burkina Faso": the other side is
                    # the text's country that the phrase does not name
                    hint = country or next((iso for iso in self.countries if not re.search(
                        rf"(?<!\w)(?:{COUNTRY_WORDS[iso]})", query)), None)  # fmt: skip
                found = self.geocoder.geocode(query, country=hint, admin1=admin1)
                self.cache[key] = self._trusted(query, found, country)
            except PlaceNotFound as problem:
                self.cache[key] = list(problem.candidates)
                if _REGION_QUERY.search(query) and country is None:  # "the Tahoua region" in a report mostly on Mali:
                    for other in self.countries[1:]:  # region names are unique enough to try the text's other countries
                        try:
                            self.cache[key] = self.geocoder.geocode(query, country=other, admin1=admin1, restrict=True)
                            break
                        except PlaceNotFound:
                            continue
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


THERE = re.compile(
    r"\b(?:the|that|this)\s+(?:same\s+)?(?:[\w-]+\s+){0,2}?(?:town|village|locality|commune|camp|base|area|market|site"
    r"|barracks|garrison|post|mine)\b|\bthere\b",
    re.IGNORECASE,
)


def paragraph_place(sentences: list[Sentence], index: int, places: PlaceLookup) -> tuple[list, str] | None:
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
    from geodata.text.rules import PlaceGroup, _is_name

    opening = re.match(r"^(?P<name>(?-i:[A-ZÀ-Ý][\w'’-]+)(?:[\s-](?-i:[A-ZÀ-Ý][\w'’-]+))?)\s+(?:has|had|is|was|lies)\b",
                       text)  # fmt: skip
    if opening is None or not _is_name(opening.group("name")) or opening.group("name").lower() in ("it", "he", "she"):
        return []
    name = opening.group("name")
    return [PlaceGroup("name", (name,), (name,), 0, len(name))]


def headline_place(sentences: list[Sentence], places: PlaceLookup) -> tuple[list, str] | None:
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


def as_result(row: dict) -> GeocodeResult:
    """An event's place as a geocoding result, for a sentence that points at it ("in the town")."""
    from geodata.places.geocode import GeocodeResult

    return GeocodeResult(row["latitude"], row["longitude"], row["geo_precision"], row["country_iso2"],
                         row["admin1"], row["admin2"], row["location"], 100.0, f"event {row['event_id']}")  # fmt: skip


def inherited_place(
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
    from geodata.text.sentences import points_back

    follows = dated and previous.paragraph + 1 == current.paragraph and points_back(current.text)
    if previous.number not in placed or not (previous.paragraph == current.paragraph or shared or follows):
        return None
    why = f"shared reference {''.join(sorted(shared))}" if shared else "same paragraph" if not follows else (
        "the paragraph before, pointed back at")
    return placed[previous.number][:1], f"sentence {previous.number} ({why})"
