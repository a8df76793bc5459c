"""Actor families: map the many spellings of an actor to one of the fixed groups in ``schema.GROUPS``.

The alias table ``data/actor_aliases.csv`` (columns ``pattern,family,rule,note``) is matched on
:func:`geodata.names.normalise_words` forms, so case, diacritics, apostrophes and punctuation never
matter. ``pattern`` is written in that normalised form. ``rule`` is one of:

- ``exact``: the whole name equals the pattern (UCDP's bare ``IS``);
- ``prefix``: the name starts with the pattern as whole words (``Military Forces of Mali (2021-)``);
- ``phrase``: the pattern occurs anywhere in the name as whole words (``Katiba Macina``, ``JNIM``);
- ``regex``: a Python regular expression searched in the normalised name.

When several rows match, the match that starts leftmost wins, then the longest one, then the first
row in the file: the name's head word decides (``Bambara dozo militia`` is a militia, not a state
force), and longer, more specific rows beat general ones (``islamic state west africa`` over
``islamic state``). A name with no match is ``Other``; an empty name or NA is NA.

A string naming several actors (ACLED's ``X and/or Y`` when the perpetrator is uncertain, or
``X; Y`` / ``X / Y`` lists in curated rows) gets the family of its FIRST actor, X: the event's
row keeps the full name in ``actor1``/``actor2``, and :func:`alternative_family` gives the
family of the second actor so a dashboard can still show the uncertainty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from geodata.names import normalise_words
from geodata.schema import GROUPS

ALIASES_PATH = Path(__file__).resolve().parent / "data" / "actor_aliases.csv"
RULES = ("exact", "prefix", "phrase", "regex")
OTHER = "Other"

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
        {"exact": rf"^{words}$", "prefix": rf"^{words}\b", "phrase": rf"\b{words}\b", "regex": pattern}[rule]
    )


@cache
def _default_aliases() -> tuple[Alias, ...]:
    return load_aliases()


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
