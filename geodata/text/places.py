"""Places in text: which place a report's sentence is about, and where that place is.

Candidate phrases come from :func:`geodata.text.rules.place_groups`; this module looks them up in the gazetteer
(through the geocoder, once per phrase and document), trusts or distrusts fuzzy matches by the countries the
document names, and finds the place of a sentence that only says "the village" or "there" (the headline, the
sentence before, the paragraph's subject). Split out of ``extract.py`` (issue 22: "places-in-text" as its own
module).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from geodata.geo import COUNTRY_WORDS as GEO_COUNTRY_WORDS
from geodata.geo import distance_km
from geodata.names import normalise, normalise_words
from geodata.places.geocode import GeocodeResult
from geodata.text.rules import STRONG_TIE, main_keyword, place_groups

if TYPE_CHECKING:
    from geodata.places.geocode import Geocoder
    from geodata.text.sentences import Sentence


@dataclass(frozen=True)
class UnitPlaced(GeocodeResult):
    """A settlement the gazetteer lacks, placed at the admin unit (or town) the text says it is in; ``note`` is the
    event's ``geo_note``."""

    note: str = ""


COUNTRY_WORDS = {
    "ML": r"Mali(?:an|ans)?\b",
    "BF": r"Burkina(?:\s+Faso)?\b|Burkinab[eè]s?\b",
    "NE": r"Niger\b(?!\s+(?:river|River|delta|Delta|bend|valley))|Nig[eé]rien(?:ne)?s?\b",
}


def named_countries(text: str) -> set[str]:
    """ISO codes of the map's countries (:data:`geodata.geo.COUNTRY_WORDS`) whose name or adjective ``text`` uses."""
    words = f" {normalise_words(text)} "
    return {iso for iso, names in GEO_COUNTRY_WORDS.items() if any(f" {name} " in words for name in names)}


def document_countries(text: str) -> tuple[str, ...]:
    """The countries of the war a text names (Mali/Malian, Burkina Faso/Burkinabe, Niger/Nigerien; not the Niger
    river), most named first (ties: the first named first): its place names are searched there first."""
    found = {iso: [m.start() for m in re.finditer(rf"(?<!\w)(?:{pattern})", text, flags=re.IGNORECASE)]
             for iso, pattern in COUNTRY_WORDS.items()}  # fmt: skip
    return tuple(iso for iso, at in sorted(found.items(), key=lambda item: (-len(item[1]), item[1][:1])) if at)


_ADMIN_UNIT = re.compile(
    r"^(?:(?:the\s+)?(?P<unit>department|cercle|circle|commune|district|prefecture|municipality|rural\s+commune)\s+of\s+"
    r"(?P<name>.+)|(?P<name2>.+?)\s+(?:department|cercle|circle|commune|district|prefecture|municipality|rural\s+commune))$",
    re.IGNORECASE,
)


# "the Bankass Cercle", "Soum province", "the department of Tillia": the units a document names anywhere
_UNIT_NAME = r"(?-i:[A-ZÀ-Ý][\w-]+)(?:[\s-](?-i:[A-ZÀ-Ý][\w-]+))?"
_UNIT_PHRASE = re.compile(
    rf"(?<![\w'’-])(?P<name>{_UNIT_NAME})\s+(?P<word>region|province|cercle|circle|department|prefecture)\b"
    rf"|\b(?P<word2>region|province|cercle|department|prefecture)\s+of\s+(?P<name2>{_UNIT_NAME})",
    re.IGNORECASE,
)

_UNIT_LEADING = re.compile(r"^(?:(?:the|in|at|on|of|near|from)\s+)+", re.IGNORECASE)


_REGION_QUERY = re.compile(r"\b(?:region|province|cercle|department|prefecture)s?$", re.IGNORECASE)


# The coarsest unit an unknown village is placed at: 2, a town or admin-2 unit (cercle, province, department,
# commune). Regions (3) are too coarse: measured on the own corpus and the tune set, every village placed at its
# region's capital lay 100-250 km from the village and matched no labelled event (own-corpus precision fell from
# 0.79 to 0.76); such a village stays a "place not found" sentence for a person to place.
MAX_UNIT_PRECISION = 2
# The geocoder's admin-2 units (at precision 3, "Bankass cercle (seat Bankass)") are districts too.
_ADMIN2_MATCH = re.compile(r"\b(?:cercle|province|department|commune)\s+\((?:seat|no seat)")


_LEADING_WORDS = re.compile(r"^(?:(?:near|outside|around|close\s+to|the|town|village|locality|of)\s+)+", re.IGNORECASE)


class PlaceLookup:
    """Geocodes each distinct phrase once and remembers what failed, with the geocoder's candidates."""

    def __init__(self, geocoder: Geocoder, countries: tuple[str, ...] = (), text: str = "") -> None:
        self.geocoder = geocoder
        self.cache: dict[object, GeocodeResult | list[str]] = {}
        self.countries = countries  # the countries the document names, most named first
        self.named = named_countries(text) | set(countries)  # every country of the map the document names
        self.taught: dict[str, UnitPlaced] = {}  # villages placed at a unit the text named for them, by key
        self.text = text
        self._units: list[tuple[str, GeocodeResult]] | None = None  # the regions and admin-2 units the text names

    def named_units(self) -> list[tuple[str, GeocodeResult]]:
        """The regions and admin-2 units (cercle, province, department) the document names anywhere, with their
        gazetteer units (precision 3), in the text's order; computed once per document."""
        if self._units is None:
            self._units = []
            for match in _UNIT_PHRASE.finditer(self.text):
                name = _UNIT_LEADING.sub("", match.group("name") or match.group("name2"))
                query = f"{name} {(match.group('word') or match.group('word2')).lower()}"
                for hint in (self.countries[0], None) if self.countries else (None,):  # its first country first
                    try:
                        found = self.geocoder.geocode(query, country=hint, restrict=hint is not None)
                    except (LookupError, ValueError):
                        continue
                    if found.geo_precision == 3 and found.admin1:
                        self._units.append((query, found))
                        break
        return self._units

    def _trusted(self, query: str, result: GeocodeResult | list[str],
                 country: str | None) -> GeocodeResult | list[str]:  # fmt: skip
        """A fuzzy match in a country the document never names ("Bouakee" in a report on Mali -> Bouaké, Côte
        d'Ivoire) is a misspelling of an unknown village, not that town: not found, with its candidates. So is a
        fuzzy match on part of a much longer name (an unknown "Sirakorola" is not "Sirakoro Méguétana")."""
        if isinstance(result, list):
            return result
        if result.score >= 100:  # an exact homonym in a country the text never names ("Soro" in a report on Burkina
            # Faso is not Soro, Guinea): the text's own village, unknown to the gazetteer
            if (self.countries and result.geo_precision == 1 and result.country_iso2 not in self.named
                    and result.country_iso2 != country):  # fmt: skip
                return [f"{result.matched_name} ({result.country_iso2}, a country the text never names)"]
            return result
        asked = normalise(_LEADING_WORDS.sub("", query))
        matched = normalise(re.sub(r"\s*\(.*\)\s*$", "", result.matched_name))  # "X region (capital Y)": X region
        if asked and len(matched) >= 1.4 * len(asked):  # "Sirakorola" -> "Sirakoro Méguétana"
            return [f"{result.matched_name} ({result.country_iso2}, a fuzzy match on part of a longer name)"]
        if self.countries and result.country_iso2 not in self.countries and result.country_iso2 != country:
            return [f"{result.matched_name} ({result.country_iso2}, a fuzzy match outside the text's countries)"]
        regions = {unit.admin1 for _, unit in self.named_units() if unit.country_iso2 == result.country_iso2}
        if result.geo_precision <= 2 and regions and result.admin1 not in regions:
            # "Segue" in a report on the Bankass cercle (Mopti region) is a village the gazetteer lacks, not Ségou
            # in the Ségou region: a misspelling is trusted only inside the regions the text names in that country
            return [f"{result.matched_name} ({result.country_iso2}, a fuzzy match outside the regions the text names)"]
        return result

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
            bare = re.sub(r"^(?:the|la|le)\s+|^\w+['’]s\s+", "", unit.group("name") or unit.group("name2"),
                          flags=re.IGNORECASE)  # fmt: skip
            found = self.resolve(bare, hints)
            if not isinstance(found, list) and found.geo_precision < 2:
                found = replace(found, geo_precision=2, matched_name=f"{found.matched_name} (its unit)")
            if not isinstance(found, list):  # else the geocoder's own admin units below ("Mali's Bankass Cercle")
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

    def first_group(self, groups, sentence: str = "",
                    ) -> tuple[list[tuple[str, GeocodeResult]], list[tuple[str, list[str]]], list[str]]:  # fmt: skip
        """(resolved names of the first group with one, unresolved names tried, country-sized names seen).

        When no name of any group is known, a settlement the gazetteer lacks is placed at the unit the text names
        for it (:meth:`at_named_unit`). In a list of settlements ("the villages of A, B and C", ``sentence`` being
        the text the groups come from) an unknown one is placed near the first known one, precision 2."""
        tried: list[tuple[str, list[str]]] = []
        vague: list[str] = []
        unit_placed: list[tuple[str, GeocodeResult]] = []  # an earlier unknown village at the unit the text names
        for position, group in enumerate(groups):
            if group.kind == "country":
                vague.extend(group.names)
                continue
            far = self._far_from_its_anchor(group, groups[position + 1 :], sentence)
            if far is not None:  # "the village of X, some 35 km from Y" but the gazetteer's X lies 160 km away
                return far, [], vague
            found: list[tuple[str, GeocodeResult]] = []
            missed: list[tuple[str, list[str]]] = []
            for name, query in zip(group.names, group.queries, strict=True):
                result = self.resolve(query, group.hints)
                if isinstance(result, list):
                    missed.append((name, result))
                else:
                    found.append((name, result))
            if group.route and len(found) == 2:  # "between Boni and Torodi": a road's ends lie near each other
                found, far = self._road_ends(found)
                missed.extend(far)
            if found and missed and _SETTLEMENT_LIST.search(sentence[: group.start]):
                name, known = found[0]
                placed = {miss: _near_sibling(miss, known, name) for miss, _ in missed}
                return [(n, placed.get(n) or r) for n, r in _in_order(group.names, found, placed)], [], vague
            if found and unit_placed and all(result.geo_precision > MAX_UNIT_PRECISION for _, result in found):
                # "Nassoumbou, Soum Province, ... 30 km from the border with Mali": the village at its province's
                # seat (precision 2) says more than the border or region named after it
                return unit_placed, _not_placed(tried, unit_placed), vague
            if found:
                return found, missed, vague
            tried.extend(missed)
            if not unit_placed and group.hints:
                unit_placed = self.at_named_unit(group)
        if unit_placed:
            return unit_placed, _not_placed(tried, unit_placed), vague
        for group in groups:  # nothing known: a settlement the gazetteer lacks, in a unit the text names
            placed = self.at_named_unit(group)
            if placed:
                names = {name for name, _ in placed}
                return placed, [(name, cands) for name, cands in tried if name not in names], vague
        return [], tried, vague

    def _road_ends(self, found: list[tuple[str, GeocodeResult]],
                   ) -> tuple[list[tuple[str, GeocodeResult]], list[tuple[str, list[str]]]]:  # fmt: skip
        """The two ends of a road the text names, or only the one in the text's main country when the gazetteer
        puts them more than :data:`MAX_ROAD_KM` apart: the other is a homonym ("between Boni and Torodi" in a
        report on Niger is not Boni, Mali, 470 km from Torodi), not found."""
        (a, first), (b, second) = found
        if distance_km(first.latitude, first.longitude, second.latitude, second.longitude) <= MAX_ROAD_KM:
            return found, []
        home = [(name, result) for name, result in found if result.country_iso2 == (self.countries or (None,))[0]]
        if len(home) != 1:
            return found, []
        far = next((name, result) for name, result in found if name != home[0][0])
        return home, [(far[0], [f"{far[1].matched_name} ({far[1].country_iso2}, {MAX_ROAD_KM} km+ from the road's "
                                f"other end, {home[0][0]})"])]  # fmt: skip

    def _far_from_its_anchor(self, group, rest, sentence: str) -> list[tuple[str, GeocodeResult]] | None:
        """A settlement written with its distance from a named place ("Loumbila, some 35 km from Ouahigouya")
        whose gazetteer point lies much farther from that place is a homonym the gazetteer lacks: it is placed at
        the named place, precision 2, the relation in its note (ACLED's nearest named place). None otherwise."""
        if group.kind != "name" or len(group.names) != 1 or not sentence:
            return None
        anchor = next((g for g in rest if g.kind == "name" and g.relation and g.start >= group.end), None)
        if anchor is None or not re.fullmatch(r"[\s,(]*", sentence[group.end : anchor.start]):
            return None
        km = _STATED_KM.search(anchor.relation)
        if km is None:
            return None
        own, there = self.resolve(group.queries[0], group.hints), self.resolve(anchor.names[0], anchor.hints)
        if isinstance(own, list) or isinstance(there, list) or there.geo_precision > 2:
            return None
        stated = float(km.group("km").replace(",", "")) * (1.609 if km.group("unit").lower().startswith("mile") else 1)
        if distance_km(own.latitude, own.longitude, there.latitude, there.longitude) <= 1.5 * stated + 30:
            return None
        note = (f"{group.names[0]} ({own.matched_name}, {own.admin1}) lies too far from {anchor.names[0]} for "
                f"\"{anchor.relation}\": placed at {anchor.names[0]}")  # fmt: skip
        return [(group.names[0], UnitPlaced(**{**there.to_dict(), "geo_precision": max(there.geo_precision, 2),
                                               "note": note}))]  # fmt: skip

    def at_named_unit(self, group) -> list[tuple[str, GeocodeResult]]:
        """"X, a hamlet in the department of Z", "X (Z cercle)", "X, near Z": when the gazetteer lacks X but knows
        the admin-2 unit or town the text places it in, X is placed there at precision 2 (its district), with a
        ``note`` saying so, rather than dropped. Regions and countries ("X, in the Mopti region", "X, central
        Mali") are too coarse (:data:`MAX_UNIT_PRECISION`): X stays not found.

        Without a container in the sentence, X goes where the document placed it before ("... at Bakorat, Tillia
        department. ... Bakorat was attacked again"); a region named elsewhere in the document is not used.
        """
        if group.kind != "name":
            return []
        if not group.hints:
            return self._taught(group)
        units = []
        for hint in group.hints:
            found = self.resolve(hint)
            if isinstance(found, list):
                continue
            if found.geo_precision <= MAX_UNIT_PRECISION or _ADMIN2_MATCH.search(found.matched_name):
                units.append((found.geo_precision, hint, found))
        if not units:
            return []
        _, hint, unit = min(units, key=lambda item: item[0])  # the most precise unit named
        placed = [(name, _at_unit(name, unit, hint, "the text names")) for name in group.names]
        for name, result in placed:  # the placing holds for the rest of the document
            self.taught.setdefault(normalise(name), result)
        return placed

    def _taught(self, group) -> list[tuple[str, GeocodeResult]]:
        """The names of ``group`` where the document placed them before (all of them, or none)."""
        placed = [(name, self.taught[normalise(name)]) for name in group.names if normalise(name) in self.taught]
        return placed if len(placed) == len(group.names) else []


# The longest road the text can mean between two places it names: a farther pair holds a homonym.
MAX_ROAD_KM = 250


# "some 35 kilometers (20 miles) from X", "about 40km from X": the distance a relation states
_STATED_KM = re.compile(r"(?P<km>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>km|kilometres?|kilometers?|miles?)\b", re.IGNORECASE)


# "the villages of A, B and C", "in the towns of A and B": settlements listed together lie close together.
_SETTLEMENT_LIST = re.compile(r"\b(?:villages|towns|hamlets|localities|settlements|communes)\s+(?:of\s+)?$",
                              re.IGNORECASE)  # fmt: skip


def _near_sibling(name: str, known: GeocodeResult, sibling: str) -> UnitPlaced:
    """``name`` (unknown) at the point of ``sibling``, a settlement listed with it, precision 2."""
    note = f"{name} is not in the gazetteer: placed near {sibling}, listed with it"
    return UnitPlaced(**{**known.to_dict(), "geo_precision": max(known.geo_precision, 2), "note": note})


def _not_placed(tried: list[tuple[str, list[str]]], placed: list[tuple[str, GeocodeResult]]) -> list:
    """The names tried that no placing covers, with their candidates."""
    names = {name for name, _ in placed}
    return [(name, cands) for name, cands in tried if name not in names]


def _in_order(names, found, placed) -> list[tuple[str, GeocodeResult | None]]:
    """The group's names in the text's order, each with its result (found or placed)."""
    results = dict(found)
    return [(n, results.get(n)) for n in names if n in results or n in placed]


def _at_unit(name: str, unit: GeocodeResult, phrase: str, why: str) -> UnitPlaced:
    """``name`` (a settlement the gazetteer lacks) at ``unit``'s point (a town or admin-2 unit), precision 2."""
    note = f"{name} is not in the gazetteer: placed at the town or district {why} ({phrase})"
    return UnitPlaced(**{**unit.to_dict(), "geo_precision": 2, "note": note})


THERE = re.compile(
    r"\b(?:the|that|this)\s+(?:same\s+)?(?:[\w-]+\s+){0,2}?(?:town|village|locality|commune|camp|base|area|market|site"
    r"|barracks|garrison|post|outpost|checkpoint|mine)\b|\bthere\b",
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


# "The attacks happened close to the village of Y", "The raid took place near Y": where the incident told just before
# took place, for villages of it the gazetteer lacks
_WHERE_IT_HAPPENED = re.compile(
    r"^(?:the|these|those|both|this|that)\s+(?:[\w-]+\s+){0,2}?(?:attacks?|assaults?|raids?|ambush(?:es)?|killings?"
    r"|massacres?|incidents?)\s+(?:\w+\s+)?(?:occurred|happened|took\s+place)\s+(?:\w+\s+){0,3}?"
    r"(?:close\s+to|near|around|outside|not\s+far\s+from)\s+",
    re.IGNORECASE,
)


def villages_told_near(sentences: list[Sentence], index: int, places: PlaceLookup, groups: list,
                       tried: list[tuple[str, list[str]]]) -> tuple[list, str] | None:  # fmt: skip
    """Villages the gazetteer lacks, that the sentence calls villages ("the villages of A and B"), placed near the
    town the first later sentence saying where the attack happened names ("The latest attacks happened close to the
    village of Y"), precision 2, the relation in their note: ACLED's nearest named place."""
    text = sentences[index].text
    unknown = {name for name, _ in tried}
    villages = [name for group in groups if group.kind == "name" and set(group.names) <= unknown
                and _called_villages(text, group) for name in group.names]  # fmt: skip
    if not villages:
        return None
    for later in sentences[index + 1 :]:
        told = _WHERE_IT_HAPPENED.search(later.text)
        if told is None:
            continue
        rest = later.text[told.end() :]
        anchor = next((g for g in place_groups(rest) if g.kind == "name" and g.start <= 25), None)
        found = places.resolve(anchor.names[0]) if anchor is not None else []
        if isinstance(found, list) or found.geo_precision > 2:
            return None
        note = f"not in the gazetteer: placed near {anchor.names[0]}, where sentence {later.number} says it happened"
        placed = [(name, UnitPlaced(**{**found.to_dict(), "geo_precision": 2, "note": f"{name} is {note}"}))
                  for name in villages]  # fmt: skip
        return placed, f"sentence {later.number} (where the attack happened)"
    return None


def _called_villages(text: str, group) -> bool:
    """Whether ``text`` calls the names of ``group`` villages or hamlets, before or after them."""
    return bool(_VILLAGE_BEFORE.search(text[: group.start]) or _VILLAGE_AFTER.search(text[group.start : group.end + 9]))


# "the village of X", "the hamlets of X and Y" / "X village", "X and Y villages": names a sentence calls villages
_VILLAGE_BEFORE = re.compile(r"\b(?:village|hamlet|settlement)s?\s+(?:of|called|named|known\s+as)\s+$", re.IGNORECASE)
_VILLAGE_AFTER = re.compile(r"\s(?:village|hamlet)s?\b", re.IGNORECASE)
