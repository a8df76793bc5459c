"""Actor families: map the many spellings of an actor to one of the fixed groups in ``schema.GROUPS``.

The alias table ``data/actor_aliases.csv`` (columns ``pattern,family,rule,note``) is matched on
:func:`geodata.names.normalise_words` forms, so case, diacritics, apostrophes and punctuation never
matter. ``pattern`` is written in that normalised form. ``rule`` is one of:

- ``exact``: the whole name equals the pattern (UCDP's bare ``IS``);
- ``prefix``: the name starts with the pattern as whole words (``Military Forces of Mali (2021-)``);
- ``phrase``: the pattern occurs anywhere in the name as whole words (``Katiba Macina``, ``JNIM``);
- ``acronym``: like ``phrase``; in running text (:func:`find_names`) only when it starts with a capital
  (``JNIM``, ``FAMa``, ``Mujao``), so that ``msa`` or ``jas`` in lower case are no group;
- ``regex``: a Python regular expression searched in the normalised name.

The text reader (``geodata.text.actors``) finds group names in sentences with :func:`find_names`, from this same
table: one taxonomy for importers and text. Rows with rule ``exact`` are whole-name rules (UCDP's bare ``IS``) and
are not searched in running text.

When several rows match, the match that starts leftmost wins, then the longest one, then the first
row in the file: the name's head word decides (``Bambara dozo militia`` is a militia, not a state
force), and longer, more specific rows beat general ones (``islamic state west africa`` over
``islamic state``). A name with no match is ``Other``; an empty name or NA is NA.

The Islamic State's West African names are regional (:func:`by_region`): ``Islamic State West Africa
Province``/``ISWAP`` is the Lake Chad branch (family ``Lake Chad jihadists``, with Boko Haram/JAS), but in
2019-2022 the Sahel branch's attacks were also claimed under that name, and UCDP calls both branches ``IS``. A
name that says only that (no "Sahel", "Greater Sahara" or "Lake Chad") takes its family from the event's point:
Lake Chad jihadists east of :data:`LAKE_CHAD_EAST_OF` (Diffa, the Lake Chad basin), ISGS west of it (Tillabéri,
Tahoua, Mali, Burkina Faso). Named factions keep their row's family wherever they are.

A string naming several actors (ACLED's ``X and/or Y`` when the perpetrator is uncertain, or
``X; Y`` / ``X / Y`` lists in curated rows) gets the family of its FIRST actor, X: the event's
row keeps the full name in ``actor1``/``actor2``, and :func:`alternative_family` gives the
family of the second actor so a dashboard can still show the uncertainty.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from geodata.names import normalise_words
from geodata.schema import GROUPS

ALIASES_PATH = Path(__file__).resolve().parent / "data" / "actor_aliases.csv"
RULES = ("exact", "prefix", "phrase", "acronym", "regex")
OTHER = "Other"
LAKE_CHAD = "Lake Chad jihadists"
# East of this longitude (Diffa region, the Lake Chad basin) a name that says only "Islamic State (West Africa)" is
# the Lake Chad branch; west of it (Zinder's west, Tahoua, Tillabéri, Mali, Burkina Faso) the Sahel branch, ISGS.
LAKE_CHAD_EAST_OF = 10.0
# Names (normalised) that say "Islamic State" or its West Africa province and nothing about which branch.
_BRANCHLESS_IS = re.compile(r"^(?:is|islamic state|islamic state west africa(?: province)?(?: iswap)?|iswap)$")

# Separators between several actors named in one field: "X and/or Y", "X; Y", "X / Y".
_SEPARATOR = re.compile(r"\s+and\s*/\s*or\s+|;|\s/\s", flags=re.IGNORECASE)


@dataclass(frozen=True)
class Alias:
    """One row of the alias table, compiled."""

    pattern: str
    family: str
    rule: str
    regex: re.Pattern[str]


def load_aliases(path: Path = ALIASES_PATH) -> tuple[Alias, ...]:
    """Read and check the alias table; a bad family, rule or pattern raises ValueError naming the row."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    aliases = []
    for row_number, row in enumerate(table.itertuples(index=False), start=2):
        where = f"{path.name} line {row_number}"
        if row.family not in GROUPS:
            raise ValueError(f"{where}: family {row.family!r} is not one of {', '.join(GROUPS)}")
        if row.rule not in RULES:
            raise ValueError(f"{where}: rule {row.rule!r} is not one of {', '.join(RULES)}")
        if row.rule != "regex" and row.pattern != normalise_words(row.pattern):
            raise ValueError(f"{where}: pattern {row.pattern!r} is not normalised: {normalise_words(row.pattern)!r}")
        aliases.append(Alias(row.pattern, row.family, row.rule, _compile(row.pattern, row.rule)))
    return tuple(aliases)


def _compile(pattern: str, rule: str) -> re.Pattern[str]:
    words = re.escape(pattern)
    return re.compile(
        {"exact": rf"^{words}$", "prefix": rf"^{words}\b", "phrase": rf"\b{words}\b", "acronym": rf"\b{words}\b",
         "regex": pattern}[rule]
    )


@cache
def _default_aliases() -> tuple[Alias, ...]:
    return load_aliases()


@dataclass(frozen=True)
class NameInText:
    """A group name found in running text: its span in the text as written and its family."""

    start: int
    end: int
    family: str


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` normalised as :func:`geodata.names.normalise_words` does, and for each of its characters the
    offset in ``text`` it came from (so a match in the normalised form maps back to the words as written)."""
    out: list[str] = []
    offsets: list[int] = []
    for position, char in enumerate(text):
        if char in "'’`":
            continue
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii").casefold()
        for piece in folded:
            if piece.isalnum():
                out.append(piece)
                offsets.append(position)
            elif out and out[-1] != " ":
                out.append(" ")
                offsets.append(position)
    return "".join(out), offsets


@cache
def _text_regexes(aliases: tuple[Alias, ...]) -> tuple[tuple[re.Pattern[str], Alias], ...]:
    """Regexes for running text: a ``prefix`` row is searched as a phrase there; ``exact`` rows are left out."""
    return tuple(
        (re.compile(rf"\b{re.escape(alias.pattern)}\b") if alias.rule == "prefix" else alias.regex, alias)
        for alias in aliases
        if alias.rule != "exact"
    )


def find_names(text: str, aliases: tuple[Alias, ...] | None = None) -> list[NameInText]:
    """Every group name of the alias table in ``text``, as spans of ``text`` left to right, overlaps resolved as
    :func:`family_of` resolves them (leftmost, then longest, then first row); an ``acronym`` row only where the
    words are written with a capital."""
    key, offsets = _normalised_with_offsets(text)
    found: list[tuple[int, int, int, str]] = []
    for order, (regex, alias) in enumerate(_text_regexes(aliases or _default_aliases())):
        for match in regex.finditer(key):
            if match.end() == match.start():
                continue
            start, end = offsets[match.start()], offsets[match.end() - 1] + 1
            if alias.rule == "acronym" and not text[start].isupper():
                continue
            found.append((start, -end, order, alias.family))
    found.sort()
    kept: list[NameInText] = []
    for start, negative_end, _order, family_name in found:
        if kept and start < kept[-1].end:
            continue
        kept.append(NameInText(start, -negative_end, family_name))
    return kept


def split_actors(name: str) -> list[str]:
    """The actors named in one field, in order: ``'X and/or Y'`` -> ``['X', 'Y']``."""
    return [part.strip() for part in _SEPARATOR.split(name) if part.strip()]


def _match(name: str, aliases: tuple[Alias, ...]) -> str:
    key = normalise_words(name)
    best: tuple[int, int, int] | None = None
    family = OTHER
    for order, alias in enumerate(aliases):
        found = alias.regex.search(key)
        if found is None:
            continue
        rank = (found.start(), -(found.end() - found.start()), order)
        if best is None or rank < best:
            best, family = rank, alias.family
    return family


def family_of(name: str | None, aliases: tuple[Alias, ...] | None = None) -> str | None:
    """Family of the first actor named in ``name``; ``None`` for a missing or blank name."""
    if name is None or pd.isna(name) or not str(name).strip():
        return None
    actors = split_actors(str(name))
    return _match(actors[0], aliases or _default_aliases()) if actors else None


def alternative_family(name: str | None, aliases: tuple[Alias, ...] | None = None) -> str | None:
    """Family of the second actor of ``'X and/or Y'`` (or ``'X; Y'``); ``None`` when only one is named."""
    if name is None or pd.isna(name):
        return None
    actors = split_actors(str(name))
    return _match(actors[1], aliases or _default_aliases()) if len(actors) > 1 else None


def _per_distinct(names: pd.Series, function) -> pd.Series:
    uniques = names.dropna().unique()
    mapping = {value: function(value) for value in uniques}
    return names.map(mapping).astype("string")


def family(names: pd.Series, aliases: tuple[Alias, ...] | None = None) -> pd.Series:
    """Vectorised :func:`family_of`: computed once per distinct name, then mapped; NA stays NA."""
    table = aliases or _default_aliases()
    return _per_distinct(names, lambda name: family_of(name, table))


def alternative_families(names: pd.Series, aliases: tuple[Alias, ...] | None = None) -> pd.Series:
    """Vectorised :func:`alternative_family` (NA where a field names a single actor)."""
    table = aliases or _default_aliases()
    return _per_distinct(names, lambda name: alternative_family(name, table))


def branchless_is(names: pd.Series, *, alternative: bool = False) -> pd.Series:
    """Whether the first (``alternative``: the second) actor named is the Islamic State without its branch."""

    def check(name: str) -> bool:
        actors = split_actors(name)
        position = 1 if alternative else 0
        return len(actors) > position and _BRANCHLESS_IS.fullmatch(normalise_words(actors[position])) is not None

    uniques = names.dropna().unique()
    return names.map({value: check(value) for value in uniques}).fillna(False).astype(bool)


def by_region(families: pd.Series, names: pd.Series, longitude: pd.Series, *, alternative: bool = False) -> pd.Series:
    """``families`` with branchless Islamic State names (see the module notes) set by the point's longitude:
    Lake Chad jihadists east of :data:`LAKE_CHAD_EAST_OF`, ISGS west of it; a point without longitude keeps its
    family."""
    out = families.astype("string").copy()
    islamic_state = out.isin(["ISGS", LAKE_CHAD]).fillna(False).astype(bool)
    branchless = islamic_state & branchless_is(names.astype("string"), alternative=alternative)
    east = pd.to_numeric(longitude, errors="coerce") >= LAKE_CHAD_EAST_OF
    west = pd.to_numeric(longitude, errors="coerce") < LAKE_CHAD_EAST_OF
    out[branchless & east.fillna(False)] = LAKE_CHAD
    out[branchless & west.fillna(False)] = "ISGS"
    return out


def regional_families(events: pd.DataFrame) -> pd.DataFrame:
    """``events`` with group1/group2 (and group1_alt/group2_alt when present) passed through :func:`by_region`."""
    out = events.copy()
    for n in ("1", "2"):
        actor = out.get(f"actor{n}")
        if actor is None:
            continue
        if f"group{n}" in out:
            out[f"group{n}"] = by_region(out[f"group{n}"], actor, out["longitude"])
        if f"group{n}_alt" in out:
            out[f"group{n}_alt"] = by_region(out[f"group{n}_alt"], actor, out["longitude"], alternative=True)
    return out
