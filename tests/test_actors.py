"""The actor alias table on real ACLED, UCDP and curated actor names."""

from __future__ import annotations

import pandas as pd
import pytest

from geodata.actors import (
    ALIASES_PATH,
    alternative_family,
    family,
    family_of,
    find_names,
    load_aliases,
    split_actors,
)
from geodata.names import normalise_words
from geodata.schema import GROUPS

EXPECTED = {
    "JNIM: Group for Support of Islam and Muslims": "JNIM",
    "Jama'at Nasr al-Islam wal Muslimin": "JNIM",
    "Jama'at Nasr al-Islam wal Muslimin (JNIM) (suspected)": "JNIM",
    "GSIM": "JNIM",
    "Katiba Macina": "JNIM",
    "Katiba Serma": "JNIM",
    "JNIM": "JNIM",
    "Ansaroul Islam": "Ansarul Islam",
    "Ansarul Islam": "Ansarul Islam",
    "Islamic State (Greater Sahara)": "ISGS",
    "Islamic State (Sahel)": "ISGS",
    "Islamic State Sahel Province": "ISGS",
    "Islamic State in the Greater Sahara (ISGS)": "ISGS",
    "Islamic State (West Africa) - Greater Sahara Faction": "ISGS",
    "ISGS": "ISGS",
    "IS Sahel": "ISGS",
    "EIGS": "ISGS",
    "IS": "ISGS",
    "État islamique au Grand Sahara": "ISGS",
    "Islamic State (West Africa) - Lake Chad Faction": "Lake Chad jihadists",
    "Islamic State West Africa Province (ISWAP)": "Lake Chad jihadists",
    "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad": "Lake Chad jihadists",
    "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad": "Lake Chad jihadists",
    "Military Forces of Mali (2021-)": "State forces",
    "Military Forces of Mali (2021-) Prison Guards": "State forces",
    "Police Forces of Burkina Faso (2022-)": "State forces",
    "Police Forces of Burkina Faso": "State forces",
    "Military Forces of Niger (2023-)": "State forces",
    "Government of Niger": "State forces",
    "Government of Mali": "State forces",
    "Government of Burkina Faso": "State forces",
    "Wagner Group": "Wagner Group",
    "Africa Corps": "Wagner Group",
    "Military Forces of Russia (2000-) Africa Corps": "Wagner Group",
    "Dozo Communal Militia (Burkina Faso)": "Militia",
    "Dozo Communal Militia": "Militia",
    "VDP: Volunteers for the Defense of the Homeland": "Militia",
    "Dan Na Ambassagou": "Militia",
    "MSA: Movement for the Salvation of Azawad": "Militia",
    "MSA": "Militia",
    "GATIA: Imghad Tuareg and Allies Self-Defense Group": "Militia",
    "GATIA": "Militia",
    "Fulani Ethnic Militia (Mali)": "Militia",
    "Communal Militia (Mali)": "Militia",
    "Koglweogo Militia": "Militia",
    "Civilians (Mali)": "Civilians",
    "Civilians (Burkina Faso)": "Civilians",
    "Civilians": "Civilians",
    "Unidentified Armed Group (Mali)": "Other",
    "Protesters (Niger)": "Other",
    "Military Forces of France (2017-2022)": "Other",
    "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali (2013-2023)": "Other",
    "Jihadist militants (unnamed in source)": "Other",
    # Rebels fighting the state are Other (the CMA, CSP-DPA and FLA rows); the MNLA founded them.
    "MNLA": "Other",
    "National Movement for the Liberation of Azawad (MNLA)": "Other",
    "Mouvement national de libération de l'Azawad": "Other",
    "HCUA: High Council for the Unity of Azawad": "Other",
    "Dana Ambassagou": "Militia",
    "Ganda Izo Militia": "Militia",
    "Homeland Defence Volunteers": "Militia",
    # Several actors in one field: the first one decides.
    "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Sahel)": "JNIM",
    "Islamic State (Sahel) and/or JNIM: Group for Support of Islam and Muslims": "ISGS",
    "Unidentified Armed Group (Mali) and/or JNIM: Group for Support of Islam and Muslims": "Other",
    "Bambara dozo militia; Military Forces of Mali": "Militia",
    "Jama'at Nasr al-Islam wal Muslimin (JNIM) / Katiba Macina": "JNIM",
    "Islamic State in the Greater Sahara (ISGS) (claimed as IS West Africa Province)": "ISGS",
}


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items())
def test_family_of_real_actor_names(name: str, expected: str) -> None:
    assert family_of(name) == expected


def test_family_is_vectorised_and_keeps_na() -> None:
    names = pd.Series([*EXPECTED, None, "", "   ", pd.NA], dtype="string")
    groups = family(names)
    assert groups.dtype == "string"
    assert groups.iloc[: len(EXPECTED)].tolist() == list(EXPECTED.values())
    assert groups.iloc[len(EXPECTED) :].isna().all()
    assert family_of(None) is None and family_of("") is None


def test_words_inside_other_words_do_not_match() -> None:
    # 'is' only matches the whole UCDP name; 'msa' and 'militia' only as whole words.
    assert family_of("Isolated gunmen") == "Other"
    assert family_of("Islamist militants") == "Other"
    assert family_of("Tamasheq herders") == "Other"


def test_alternative_family_of_and_or_actor() -> None:
    name = "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Sahel)"
    assert split_actors(name) == ["JNIM: Group for Support of Islam and Muslims", "Islamic State (Sahel)"]
    assert alternative_family(name) == "ISGS"
    assert alternative_family("Islamic State (Sahel)") is None


def test_alias_table_is_well_formed() -> None:
    aliases = load_aliases()
    assert {a.family for a in aliases} <= set(GROUPS)
    patterns = [(a.pattern, a.rule) for a in aliases]
    assert len(patterns) == len(set(patterns)), "a pattern appears twice with the same rule"
    assert all(a.pattern == normalise_words(a.pattern) for a in aliases if a.rule != "regex")


def test_bad_alias_table_names_the_line(tmp_path) -> None:
    bad = tmp_path / "aliases.csv"
    bad.write_text(ALIASES_PATH.read_text(encoding="utf-8") + "hezbollah,Hezbollah,phrase,not a family\n")
    with pytest.raises(ValueError, match=r"aliases.csv line \d+: family 'Hezbollah'"):
        load_aliases(bad)
    bad.write_text("pattern,family,rule,note\nJNIM,JNIM,phrase,not normalised\n")
    with pytest.raises(ValueError, match="line 2: pattern 'JNIM' is not normalised"):
        load_aliases(bad)


def test_names_in_running_text_come_from_the_table(tmp_path) -> None:
    """find_names searches a table's rows in a sentence and gives the spans as written; exact rows stay whole-name."""
    table = tmp_path / "aliases.csv"
    table.write_text("pattern,family,rule,note\nkatiba tessit,JNIM,phrase,made up\nis,ISGS,exact,whole name\n"
                     "zq,Militia,acronym,made up\n")
    aliases = load_aliases(table)
    text = "It is said the Katiba-Tessit and ZQ men and the zq road"
    names = find_names(text, aliases)
    assert [(text[n.start : n.end], n.family) for n in names] == [("Katiba-Tessit", "JNIM"), ("ZQ", "Militia")]
    assert family_of("zq", aliases) == "Militia"  # a whole name in a data file: the case does not matter there


def test_regex_rule(tmp_path) -> None:
    table = tmp_path / "aliases.csv"
    table.write_text("pattern,family,rule,note\n^katiba \\w+,JNIM,regex,any katiba\n")
    aliases = load_aliases(table)
    assert family_of("Katiba Hanifa", aliases) == "JNIM"
    assert family_of("The Katiba", aliases) == "Other"
