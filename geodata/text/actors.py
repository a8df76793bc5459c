"""Who did what to whom in one English sentence: the actors it names, their families, perpetrator first.

Pure functions over strings, no I/O; ``geodata.text.extract`` runs them sentence by sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geodata.actors import find_names
from geodata.text.numbers import NUMBER

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
    r"|gunman|attacker|assailant|(?:suicide\s+)?bombers?|suicide\s+attackers?"
    r"|bandits|raiders|(?:islamist|jihadist|armed|unidentified|suspected)\s+(?:fighters|groups?)"
    # men described by what they wore are not the army the uniform belongs to ("men in army fatigues")
    r"|(?:men|individuals|people|assailants|gunmen)\s+(?:(?:who\s+were\s+)?(?:dressed|clad|disguised)\s+)?"
    r"(?:in|wearing|donning|as)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:fatigues|uniforms?|soldiers|gendarmes)"
    r"(?:\s+of\s+the\s+(?:[\w-]+\s+){0,2}?(?:army|armed\s+forces|military|forces|gendarmerie|police))?)"
)
_GENERIC_RE = re.compile(rf"^(?:the\s+)?{_GENERIC_ARMED}$", re.IGNORECASE)
JIHADIST_FAMILIES = ("JNIM", "ISGS", "Ansarul Islam", "Lake Chad jihadists")
# Group NAMES (JNIM, Islamic State Sahel Province, Wagner, VDP, CSP...) come from the one actor taxonomy,
# ``geodata/data/actor_aliases.csv`` through :func:`geodata.actors.find_names`. What stays here are the words
# English uses to DESCRIBE a side without naming a group: a state's forces (the GUIDE's State forces include French
# and other foreign troops), militias by their people, UN peacekeepers, unnamed armed men, civilians.
# (pattern, family). Longest alternatives first inside one regex; case-insensitive.
_DESCRIPTIONS: tuple[tuple[str, str], ...] = (
    (r"UN\s+peacekeepers|(?:the\s+)?UN\s+mission|United\s+Nations\s+peacekeepers|peacekeepers", "Other"),
    (r"(?:pro-government|ethnic|self-defen[cs]e|non-Islamist|communal|Dogon|Bambara|Fulani|Tuareg)\s+militia(?:s|men)?"
     # Burkina's VDP as reporting describes them: "the army's civilian auxiliaries", "auxiliaries of the army"
     r"|(?:(?:the\s+)?(?:[A-Za-z-]+\s+)?(?:army|military)(?:['’]s)?\s+)?(?:civilian\s+)?auxiliar(?:y|ies)(?:\s+(?:of|to)\s+the"
     r"\s+(?:[\w-]+\s+)?(?:army|military|armed\s+forces|defen[cs]e\s+and\s+security\s+forces))?",
     "Militia"),
    (
        rf"(?:(?:{_DEMONYM}|government|security|defen[cs]e|state)\s+)?(?:armed\s+forces|army|soldiers?|troops|military"
        rf"|gendarmes?|gendarmerie|police(?:m[ae]n|\s+officers?)?|juntas?|regiment|battalion|brigade|national\s+guard"
        rf"|guards?m[ae]n"
        rf"|garrison)|(?:{_DEMONYM}|government|security)\s+(?:forces|government)"
        r"|defen[cs]e\s+(?:and\s+security\s+)?forces|security\s+and\s+defen[cs]e\s+forces"
        # France's forces in the Sahel: Barkhane, its Mirage and Rafale jets
        r"|Barkhane|(?:French\s+)?(?:Mirage|Rafale)(?:\s+2000)?(?:s|\s+(?:fighter\s+)?jets?)?"
        r"|(?:(?:{d})\s+)?air\s+force|(?:{d})\s+(?:military\s+|army\s+)?(?:drones?|aircraft|warplanes?"
        r"|helicopters?|jets?|fighter\s+jets?)".replace("{d}", _DEMONYM)
        # strikes from the air: in the Sahel flown by the states' (and France's) forces unless a group is named
        + r"|(?:drone|air|aerial)[\s-]?(?:strikes?|raids?|bombardments?|bombings?)|airstrikes?|warplanes?"
        r"|fighter\s+jets?|(?:helicopter\s+)?gunships?|military\s+(?:helicopters?|aircraft|drones?)",
        "State forces",
    ),
    (_GENERIC_ARMED, "Other"),
    (r"civilians|villagers|residents|inhabitants|worshippers|herders|displaced\s+people", "Civilians"),
)
_DESCRIPTION_RES = tuple(
    (re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), family) for pattern, family in _DESCRIPTIONS
) + (
    # "IS" in capitals is the Islamic State ("IS-affiliated", "IS fighters", "claimed by IS"), except inside a line
    # written in capitals ("THE ATTACK IS OVER"); the alias table keeps bare "IS" to whole names.
    (re.compile(r"(?<![A-Z][\s:-])(?<![A-Z])\bIS\b(?![\s:-]+[A-Z]{2,}\b)"), "ISGS"),
)
_PAIR_ANAPHOR = re.compile(
    r"\b(?:the\s+two\s+(?:groups|sides|rivals|organi[sz]ations)|both\s+(?:groups|sides)|either\s+side|neither\s+side"
    r"|each\s+other|one\s+another|the\s+(?:clashes|fighting|hostilities|war|rivals))\b",
    re.IGNORECASE,
)
_AGENT_BEFORE = re.compile(
    r"(?:\bby|\bat\s+the\s+hands\s+of|\b(?:blamed|pinned)\s+on|\battributed\s+to)\s+(?:the\s+)?"
    r"(?:(?:suspected|presumed|alleged)\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Actor:
    """An actor named in a sentence: the words as written, its family and where it stands."""

    name: str
    family: str
    start: int


# A group named only to be ruled out ("not claimed by any jihadist group or militia", "neither JNIM nor ...")
_DENIED_BEFORE = re.compile(r"(?:\b(?:not|never)\b[^,;.]{0,40}\bany\b|\bneither\b|\bnor\b)[^,;.]{0,40}$",
                            re.IGNORECASE)  # fmt: skip


# A side named only as the source of the report ("according to the army", "army sources said") is no party there;
# its other mentions in the sentence still are.
_SOURCE_BEFORE = re.compile(r"\b(?:according\s+to|citing|quoting|quoted\s+by)\s+(?:a|an|the|one|two|several)?\s*"
                            r"(?:\w+\s+)?$", re.IGNORECASE)  # fmt: skip
_SOURCE_AFTER = re.compile(
    r"^\s+(?:sources?|spokes(?:man|woman|person|people)|statement|communiqu[eé]|officials?|press\s+(?:office|release))\b",
    re.IGNORECASE,
)
# The speaker of a trailing attribution clause: "..., the army announced on Saturday."
_TRAILING_SPEAKER = re.compile(r"^\s+(?:(?:has|had|also|later)\s+)?(?:said|says|announced|reported|stated|confirmed"
                               r"|added|told\s+\w+)(?:\s+(?:on|in|late|early|this|last|at|yesterday|today)\b[^,;.]{0,30})?"
                               r"[.!?\"”]*\s*$", re.IGNORECASE)  # fmt: skip
_SPEAKER_BEFORE = re.compile(r"[,;\"”]\s*(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}$")


def _mentions(sentence: str, *, sources: bool = True) -> list[tuple[int, int, str]]:
    """(start, end, family) of every group name (the alias table) and description in ``sentence``, except those
    named only to be ruled out and, unless ``sources``, those named only as the source of the report."""
    found = [(name.start, name.end, name.family) for name in find_names(sentence)]
    for regex, family in _DESCRIPTION_RES:
        found += [(match.start(), match.end(), family) for match in regex.finditer(sentence)]
    found = [item for item in found if not _DENIED_BEFORE.search(sentence[max(0, item[0] - 80) : item[0]])]
    if sources:
        return found
    return [item for item in found if not _SOURCE_BEFORE.search(sentence[max(0, item[0] - 60) : item[0]])
            and not _SOURCE_AFTER.match(sentence[item[1] :])
            and not (_TRAILING_SPEAKER.match(sentence[item[1] :])
                     and _SPEAKER_BEFORE.search(sentence[max(0, item[0] - 40) : item[0]]))]  # fmt: skip


def find_actors(sentence: str) -> list[Actor]:
    """Actors named in ``sentence``, one per family, in the order of their first mention.

    A longer name claims its words before a shorter one ("Islamic State Sahel Province" before "Islamic State").
    """
    found = sorted(_mentions(sentence, sources=False), key=lambda item: (item[0], -(item[1] - item[0])))
    kept: list[tuple[int, int, str]] = []
    for item in found:
        if kept and item[0] < kept[-1][1]:
            continue
        kept.append(item)
    kept = _without_linked_pairs(sentence, kept)
    seen: dict[str, Actor] = {}
    for start, end, family in kept:
        seen.setdefault(family, Actor(sentence[start:end], family, start))
    if any(family in seen for family in JIHADIST_FAMILIES) and "Other" in seen and is_generic(seen["Other"].name):
        del seen["Other"]
    return list(seen.values())


# "militants linked to IS and al-Qaeda", "groups such as JNIM and the ISGS": rival jihadist families named together
# only to describe the region's armed men; none of them is this sentence's party.
_LINKED_BEFORE = re.compile(r"\b(?:linked|affiliated|allied|loyal|tied|connected|such\s+as|including|like|home\s+to)\b"
                            r"[^.;]{0,25}$", re.IGNORECASE)  # fmt: skip
_JOINED = re.compile(r"^\s*(?:,|and|or|,\s*and|as\s+well\s+as)\s+(?:the\s+|to\s+(?:the\s+)?)?$", re.IGNORECASE)


def _without_linked_pairs(sentence: str, kept: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``kept`` minus rival jihadist families listed together after "linked to", "such as", "home to"."""
    drop: set[int] = set()
    for i, (first, second) in enumerate(zip(kept, kept[1:], strict=False)):
        if (first[2] in JIHADIST_FAMILIES and second[2] in JIHADIST_FAMILIES and first[2] != second[2]
                and _JOINED.match(sentence[first[1] : second[0]])
                and _LINKED_BEFORE.search(sentence[max(0, first[0] - 60) : first[0]])):  # fmt: skip
            drop |= {i, i + 1}
    return [item for i, item in enumerate(kept) if i not in drop]


def is_generic(name: str | None) -> bool:
    """True for armed men the text does not name ("gunmen", "suspected jihadists"): family Other, replaced
    as soon as the text names who they were."""
    return bool(name) and _GENERIC_RE.match(name) is not None


def actor_spans(sentence: str) -> list[tuple[int, int]]:
    """Character spans of every actor name (place phrases inside them are not places)."""
    return [(start, end) for start, end, _family in _mentions(sentence)]


def names_a_pair(sentence: str) -> bool:
    """True when the sentence points at "the two groups", "each other", "the clashes"... without naming them."""
    return _PAIR_ANAPHOR.search(sentence) is not None


_FACILITY_AFTER = re.compile(
    r"^['’]?s?\s+(?:[\w-]+\s+)?(?:base|camp|post|barracks|checkpoint|position|outpost|garrison|convoy|patrol|column"
    r"|vehicle|detachment|headquarters|station|school|academy)s?\b",
    re.IGNORECASE,
)
# Where the words say a side was hit: "an attack on Niger's military", "ambushed soldiers", "killing 12 gendarmes",
# "the soldiers were ambushed", "the VDP lost 40 men", "the army came under fire". Never after "by".
_TARGET_BEFORE = re.compile(
    # "a camp 15 km from the town of the VDP", "the convoy of the Malian army": the side owning what was hit
    r"\b(?:camp|base|post|position|convoy|patrol|barracks|outpost|detachment|garrison|checkpoint)s?\s+"
    r"(?:[^,.;]{0,40}?\s)?of\s+(?:the\s+)?$"
    # the dead listed: "killing seven people, including five guards, a gendarme and a civilian"
    r"|\b(?:kill(?:ing|ed)|dead|deaths?|victims)\b[^.;]{0,40}\bincluding\s+(?:[^.;]{0,60}?(?:,|\band)\s+)?"
    r"(?:an?\s+|the\s+|\w+\s+)?$"
    r"|\b(?:attacks?|assaults?|ambush(?:es)?|raids?|offensive|deadliest|worst|bloodiest|deadly)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:on|against)\s+(?:the\s+|an?\s+)?(?:[\w-]+['’]s?\s+)?$"
    rf"|\b(?:target(?:ing|ed)|kill(?:ing|ed)|wound(?:ing|ed)|ambush(?:ing|ed)|attack(?:ing|ed)|massacr(?:ing|ed)"
    rf"|execut(?:ing|ed)|kidnapp(?:ing|ed)|abduct(?:ing|ed)|injur(?:ing|ed))\s+(?:(?:at\s+least|more\s+than|some|about|over|dozens\s+of"
    rf"|scores\s+of|several|(?:{NUMBER})|two\s+dozen|a\s+dozen)\s+)*(?:the\s+|an?\s+)?(?!by\b)"
    # "were killed when gunmen raided": a conjunction or preposition after the verb starts another clause or phrase
    rf"(?:(?!(?:when|as|after|while|before|because|since|during|until|once|in|at|on|near|outside|and)\b)[\w-]+\s+)?$",
    re.IGNORECASE,
)
_TARGET_AFTER = re.compile(
    # "16 VDP and two civilians were killed": the passive may follow a second party joined by "and", or an
    # apposition ("the VDP, the army's auxiliaries, were ambushed")
    r"^['’]?s?{apposition}(?:\s*,?\s+(?:and|as\s+well\s+as)(?:\s+[\w'’-]+){1,6}?{apposition})?\s+"
    r"(?:(?:were|was|had\s+been|have\s+been|has\s+been|being|got)\s+(?:\w+\s+)?(?:attacked|killed|ambushed"
    r"|targeted|wounded|kidnapped|abducted|massacred|executed|overrun|besieged)\b(?!\s+(?:and|as)\b)"
    r"|lost\s+(?:\w+\s+){0,3}?(?:men|members|soldiers|troops|fighters|personnel|lives|volunteers)\b"
    r"|came\s+under\s+(?:attack|fire|siege))".replace("{apposition}", r"(?:\s*\([^)]{0,80}\))?(?:\s*,[^,.;]{1,100},)?"),
    re.IGNORECASE,
)


def _target(sentence: str, actor: Actor) -> bool:
    """The words around ``actor`` say it was hit (see :data:`_TARGET_BEFORE`, :data:`_TARGET_AFTER`)."""
    after = sentence[actor.start + len(actor.name) :]
    return bool(_FACILITY_AFTER.match(after) or _TARGET_AFTER.match(after)
                or _TARGET_BEFORE.search(sentence[max(0, actor.start - 120) : actor.start]))  # fmt: skip


def order_actors(sentence: str, actors: list[Actor], event_type_name: str) -> list[Actor]:
    """Perpetrator first: a name right after "by"/"at the hands of"/"blamed on" leads; a side the words say was hit
    (named by its base, camp or convoy: "the army base"; after "an attack on", "killing 12", "ambushed"; before
    "were killed", "lost 40 men", "came under fire") never leads while a side that was not hit is named, and
    when every side named was hit the attacker is an unidentified armed group (ACLED's way); civilians never lead a
    Violence-against-civilians event; otherwise the order of mention."""
    agents = [a for a in actors if _AGENT_BEFORE.search(sentence[: a.start])]
    ordered = agents + [a for a in actors if a not in agents]
    hit: list[Actor] = []
    for actor in sorted(actors, key=lambda a: a.start):  # "an attack against gendarmes and VDP": both were hit
        joined = hit and re.fullmatch(r"\s*(?:,|,?\s+and|,?\s+as\s+well\s+as)\s+(?:the\s+)?",
                                      sentence[hit[-1].start + len(hit[-1].name) : max(actor.start, 0)])
        if actor not in agents and actor.start >= 0 and (joined or _target(sentence, actor)):
            hit.append(actor)
    lead = next((a for a in ordered if a not in hit), None)
    if lead is not None:  # the first side not hit leads; the others keep their order
        ordered = [lead] + [a for a in ordered if a is not lead]
    elif hit and not any(is_generic(a.name) for a in actors):  # every side named was hit: by no one named
        ordered = [Actor("unidentified armed group", "Other", -1), *ordered]
    if event_type_name == "Violence against civilians":
        ordered = [a for a in ordered if a.family != "Civilians"] + [a for a in ordered if a.family == "Civilians"]
    return ordered
