"""Who did what to whom in one English sentence: the actors it names, their families, perpetrator first.

Pure functions over strings, no I/O; ``geodata.text.extract`` runs them sentence by sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ARMED_FAMILIES = ("JNIM", "ISGS", "Ansarul Islam", "Lake Chad jihadists", "State forces", "Wagner Group", "Militia")

_DEMONYM = (
    r"Malian|Burkinab[eè]|Nigerien|Nigérien|French|Mauritanian|Beninese|Togolese|Ivorian|Ghanaian|Chadian"
    r"|Algerian|Russian|Canadian|American|British|Australian|Chinese|Turkish|Moroccan|Senegalese|Guinean|German"
    r"|Italian|Spanish|Nigerian|Libyan|Swiss|Belgian|Dutch"
)
# Armed men the text does not name (ACLED's "unidentified armed group"): family Other, and only while no
# jihadist group is named beside them ("JNIM militants" are JNIM).
_GENERIC_ARMED = (
    r"(?:(?:unidentified|suspected|unknown|heavily\s+armed|armed|islamist|jihadist|presumed)\s+)*(?:gunmen|armed\s+men"
    r"|militants|jihadists|jihadis|assailants|attackers|insurgents|terrorists|extremists|islamists|armed\s+groups?"
    r"|bandits|raiders|(?:islamist|jihadist|armed|unidentified|suspected)\s+(?:fighters|groups?)"
    # men described by what they wore are not the army the uniform belongs to ("men in army fatigues")
    r"|(?:men|individuals|people|assailants|gunmen)\s+(?:(?:who\s+were\s+)?(?:dressed|clad|disguised)\s+)?"
    r"(?:in|wearing|donning|as)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:fatigues|uniforms?|soldiers|gendarmes)"
    r"(?:\s+of\s+the\s+(?:[\w-]+\s+){0,2}?(?:army|armed\s+forces|military|forces|gendarmerie|police))?)"
)
_GENERIC_RE = re.compile(rf"^(?:the\s+)?{_GENERIC_ARMED}$", re.IGNORECASE)
JIHADIST_FAMILIES = ("JNIM", "ISGS", "Ansarul Islam", "Lake Chad jihadists")
# (pattern, family, case-sensitive). Longest alternatives first inside one regex; families checked in this order.
_ACTOR_PATTERNS: tuple[tuple[str, str, bool], ...] = (
    (
        r"Jama['’ʼ`´‘]?a?t\s+(?:Nasr|Nusrat)\s+al[\s-]Islam\s+wa[\s-]?l?[\s-]*Muslim(?:in|een|un)"
        r"|Group\s+(?:for|to)\s+(?:the\s+)?Supports?\s+(?:of\s+)?(?:the\s+)?Islam\s+and\s+(?:the\s+)?Muslims"
        r"|(?:the\s+)?Support\s+(?:of|for)\s+Islam\s+and\s+Muslims(?:\s+[Gg]roup)?|Nusrat\s+al[\s-]Islam|Groupe\s+de\s+soutien\s+à\s+l['’]islam\s+et\s+aux\s+"
        r"musulmans|Katiba[ht]?\s+(?:Macina|Serma|Hanifa|Gourma)|Macina\s+Liberation\s+Front|Ansar\s+(?:Dine|Eddine)"
        r"|Al[\s-]Mourabito?un[e]?|al[\s-]Qa['’]?[ei]da(?:\s+in\s+the\s+Islamic\s+Maghreb)?"
        # MUJAO (2011-2013) merged into al-Mourabitoun, a founder of JNIM in 2017: the same family, as Ansar Dine
        r"|Movement\s+for\s+(?:Oneness|Unity|Unicity)\s+and\s+Jihad\s+in\s+West\s+Africa|Mujao|Mujwa",
        "JNIM",
        False,
    ),
    (r"JNIM|GSIM|AQIM|MUJAO|MUJWA|MOJWA", "JNIM", True),
    (r"Ansar(?:ul|oul|\s+ul|\s+al)[\s-]Islam", "Ansarul Islam", False),
    (
        r"Islamic\s+State\s+(?:in\s+the\s+)?(?:Greater\s+Sahara|Sahel(?:\s+Province)?)"
        r"|Islamic\s+State['’]s\s+(?:Sahel(?:\s+Province)?|Greater\s+Sahara(?:\s+branch)?)|Islamic\s+State"
        r"|État\s+islamique(?:\s+(?:dans\s+le|au)\s+Grand\s+Sahara)?|Etat\s+islamique",
        "ISGS",
        False,
    ),
    (r"ISGS|EIGS|ISSP|ISIS|ISIL|IS[\s-]Sahel|EI[\s-]Sahel|Daesh", "ISGS", True),
    (r"Boko\s+Haram|Islamic\s+State\s+(?:in\s+)?West\s+Africa(?:\s+Province)?", "Lake Chad jihadists", False),
    (r"ISWAP|JAS", "Lake Chad jihadists", True),
    (r"MINUSMA|UN\s+peacekeepers|(?:the\s+)?UN\s+mission|United\s+Nations\s+peacekeepers|peacekeepers", "Other", False),
    (r"Wagner(?:\s+Group)?(?:\s+mercenaries)?|Africa\s+Corps|Russian\s+(?:mercenaries|paramilitar(?:y|ies)"
     r"|(?:military\s+)?instructors|fighters|private\s+military\s+contractors)", "Wagner Group", False),
    (
        r"Volunteers\s+for\s+the\s+Defen[cs]e\s+of\s+the\s+Homeland|Volontaires\s+pour\s+la\s+défense\s+de\s+la\s+"
        r"patrie|Movement\s+for\s+the\s+Salvation\s+of\s+Azawad|Dan\s+Na\s+Ambassagou|Koglweogo|dozos?"
        r"|(?:pro-government\s+|ethnic\s+|self-defen[cs]e\s+|non-Islamist\s+|communal\s+|Dogon\s+|Bambara\s+"
        r"|Fulani\s+|Tuareg\s+)?militia(?:s|men)?|self-defen[cs]e\s+(?:groups?|committees?)"
        r"|(?:local\s+)?vigilance\s+committees?|vigilantes",
        "Militia",
        False,
    ),
    (r"VDP|MSA|GATIA", "Militia", True),
    # The CSP of 2022 was the framework of the armed groups that signed the 2015 accord (MSA, GATIA...), fighting
    # the ISGS beside the state; its successors CSP-PSD/CSP-DPA (2023-) and the FLA are rebels fighting the state.
    (r"CSP[\s-](?:DPA|PSD)|FLA|CMA", "Other", True),
    (r"Strategic\s+Framework\s+for\s+the\s+Defen[cs]e\s+of\s+the\s+People\s+of\s+Azawad|Azawad\s+Liberation\s+Front"
     r"|Coordination\s+of\s+Azawad\s+Movements", "Other", False),
    (r"CSP", "Militia", True),
    (r"Permanent\s+Strategic\s+Framework|Cadre\s+strat[ée]gique\s+permanent", "Militia", False),
    (
        rf"(?:(?:{_DEMONYM}|government|security|defen[cs]e|state)\s+)?(?:armed\s+forces|army|soldiers|troops|military"
        rf"|gendarmes|gendarmerie|police(?:men)?|juntas?|regiment|battalion|brigade|national\s+guard|guardsmen"
        rf"|garrison)|(?:{_DEMONYM}|government|security)\s+(?:forces|government)"
        r"|defen[cs]e\s+(?:and\s+security\s+)?forces|security\s+and\s+defen[cs]e\s+forces"
        r"|Barkhane|(?:(?:{d})\s+)?air\s+force|(?:{d})\s+(?:military\s+|army\s+)?(?:drones?|aircraft|warplanes?"
        r"|helicopters?|jets?|fighter\s+jets?)".replace("{d}", _DEMONYM),
        "State forces",
        False,
    ),
    (r"FAMa|FAMAs|FDS", "State forces", True),
    (_GENERIC_ARMED, "Other", False),
    (
        r"civilians|villagers|residents|inhabitants|worshippers|herders"
        r"|displaced\s+people",
        "Civilians",
        False,
    ),
)
_ACTOR_RES = tuple(
    (re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", 0 if exact else re.IGNORECASE), family)
    for pattern, family, exact in _ACTOR_PATTERNS
)
_PAIR_ANAPHOR = re.compile(
    r"\b(?:the\s+two\s+(?:groups|sides|rivals|organi[sz]ations)|both\s+(?:groups|sides)|either\s+side|neither\s+side"
    r"|each\s+other|one\s+another|the\s+(?:clashes|fighting|hostilities|war|rivals))\b",
    re.IGNORECASE,
)
_AGENT_BEFORE = re.compile(r"(?:\bby|\bat\s+the\s+hands\s+of)\s+(?:the\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Actor:
    """An actor named in a sentence: the words as written, its family and where it stands."""

    name: str
    family: str
    start: int


def find_actors(sentence: str) -> list[Actor]:
    """Actors named in ``sentence``, one per family, in the order of their first mention.

    A longer name claims its words before a shorter one ("Islamic State Sahel Province" before "Islamic State").
    """
    found: list[tuple[int, int, str, str]] = []
    for regex, family in _ACTOR_RES:
        for match in regex.finditer(sentence):
            found.append((match.start(), match.end(), match.group(0), family))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    kept: list[tuple[int, int, str, str]] = []
    for item in found:
        if kept and item[0] < kept[-1][1]:
            continue
        kept.append(item)
    seen: dict[str, Actor] = {}
    for start, _end, name, family in kept:
        seen.setdefault(family, Actor(name, family, start))
    if any(family in seen for family in JIHADIST_FAMILIES) and "Other" in seen and is_generic(seen["Other"].name):
        del seen["Other"]
    return list(seen.values())


def is_generic(name: str | None) -> bool:
    """True for armed men the text does not name ("gunmen", "suspected jihadists"): family Other, replaced
    as soon as the text names who they were."""
    return bool(name) and _GENERIC_RE.match(name) is not None


def actor_spans(sentence: str) -> list[tuple[int, int]]:
    """Character spans of every actor name (place phrases inside them are not places)."""
    return [match.span() for regex, _family in _ACTOR_RES for match in regex.finditer(sentence)]


def names_a_pair(sentence: str) -> bool:
    """True when the sentence points at "the two groups", "each other", "the clashes"... without naming them."""
    return _PAIR_ANAPHOR.search(sentence) is not None


_FACILITY_AFTER = re.compile(
    r"^['’]?s?\s+(?:[\w-]+\s+)?(?:base|camp|post|barracks|checkpoint|position|outpost|garrison|convoy|patrol|column"
    r"|vehicle|detachment|headquarters|station|school|academy)s?\b",
    re.IGNORECASE,
)


def order_actors(sentence: str, actors: list[Actor], event_type_name: str) -> list[Actor]:
    """Perpetrator first: a name right after "by"/"at the hands of" leads; a force named by its base, camp or
    convoy ("the army base", "a military convoy") comes after the others (it was attacked); civilians never lead a
    Violence-against-civilians event; otherwise the order of mention."""
    agents = [a for a in actors if _AGENT_BEFORE.search(sentence[: a.start])]
    ordered = agents + [a for a in actors if a not in agents]
    # "the army base came under attack, with JNIM fighters...": a force named by its base, camp or convoy is the target
    targets = [a for a in ordered if a not in agents and _FACILITY_AFTER.match(sentence[a.start + len(a.name) :])]
    if len(targets) < len(ordered):
        ordered = [a for a in ordered if a not in targets] + targets
    if event_type_name == "Violence against civilians":
        ordered = [a for a in ordered if a.family != "Civilians"] + [a for a in ordered if a.family == "Civilians"]
    return ordered
