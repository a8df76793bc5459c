"""Rules that read one English sentence: is it a violent event, of what type, who fought, how many died, where.

Pure functions over strings, no I/O; ``geodata.text.extract`` runs them sentence by sentence. The choices
(fatality words, actor order, place phrase order) are documented on each function and in
``geodata/text/extract.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# ---------------------------------------------------------------- event words and types

_REMOTE = (
    r"IEDs?|improvised explosive|explosive devices?|land ?mines?|roadside bombs?|bombings?|bombed|suicide bomb\w*"
    r"|car bombs?|air ?strikes?|drone strikes?|shelling|shelled|mortars?|rockets?|explosions?"
)
_BATTLE = (
    r"clash(?:es|ed)?|battles?|fighting|fought|sieges?|besieged|ambush(?:es|ed)?|assaults?|assaulted"
    r"|offensives?|hostilities|skirmish(?:es)?|firefights?|combats?|overr[au]n|stormed|raids?|raided"
    r"|(?:seized|captured|took\s+(?:control\s+of|over))(?=\s+(?:the\s+|an?\s+|its\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:base|camp|barracks|post|outpost|position|garrison|town|village|checkpoint|airport|detachment)s?\b)"
)
_CIVILIAN_VIOLENCE = r"massacres?|massacred|executions?|executed|kidnapp(?:ing|ings|ed)|abduct(?:ed|ion|ions)"
_GENERIC = (
    r"attacks?|attacked|attacking|kill(?:s|ed|ing|ings)?|slain|murder(?:s|ed)?|deaths?|dead|bodies|corpses"
    r"|hit(?=\s+#?(?-i:[A-ZÀ-Ý]))"  # "gunmen hit #Solhan", not "hit hard"
    r"|open(?:ed|ing|s)?\s+fire|fired\s+(?:on|at|upon|into)|shot\s+at|gunned\s+down"
)

_REMOTE_RE = re.compile(rf"\b(?:{_REMOTE})\b", re.IGNORECASE)
_BATTLE_RE = re.compile(rf"\b(?:{_BATTLE})\b", re.IGNORECASE)
_CIVILIAN_VIOLENCE_RE = re.compile(rf"\b(?:{_CIVILIAN_VIOLENCE})\b", re.IGNORECASE)
_GENERIC_RE = re.compile(rf"\b(?:{_GENERIC})\b", re.IGNORECASE)
_EVENT_RE = re.compile(rf"\b(?:{_REMOTE}|{_BATTLE}|{_CIVILIAN_VIOLENCE}|{_GENERIC})\b", re.IGNORECASE)
_KIDNAP_RE = re.compile(r"\b(?:kidnapp\w*|abduct\w*)\b", re.IGNORECASE)
_AIR_RE = re.compile(r"\b(?:air ?strikes?|drone strikes?)\b", re.IGNORECASE)
_SHELL_RE = re.compile(r"\b(?:shelling|shelled|mortars?|rockets?)\b", re.IGNORECASE)
_SUICIDE_RE = re.compile(r"\bsuicide bomb\w*", re.IGNORECASE)

EVENT_TYPES = ("Battles", "Violence against civilians", "Explosions/Remote violence")


def event_keyword(sentence: str) -> re.Match[str] | None:
    """The first word that makes ``sentence`` report violence (clash, attack, siege, massacre, IED...), or None."""
    return _EVENT_RE.search(sentence)


def event_type(sentence: str, families: list[str]) -> tuple[str, str]:
    """ACLED event type and sub-event type of a violent sentence.

    Order of evidence: explosive/air words -> Explosions/Remote violence; explicit fighting words (clash,
    battle, fighting, siege, ambush, offensive...) -> Battles; massacre/execution/kidnapping ->
    Violence against civilians; a bare "attack"/"killing" -> Violence against civilians when civilians
    are the only other party named (``families``), else Battles.
    """
    if _REMOTE_RE.search(sentence):
        if _AIR_RE.search(sentence):
            return "Explosions/Remote violence", "Air/drone strike"
        if _SHELL_RE.search(sentence):
            return "Explosions/Remote violence", "Shelling/artillery/missile attack"
        if _SUICIDE_RE.search(sentence):
            return "Explosions/Remote violence", "Suicide bomb"
        return "Explosions/Remote violence", "Remote explosive/landmine/IED"
    if _BATTLE_RE.search(sentence):
        return "Battles", "Armed clash"
    if _CIVILIAN_VIOLENCE_RE.search(sentence):
        if _KIDNAP_RE.search(sentence):
            return "Violence against civilians", "Abduction/forced disappearance"
        return "Violence against civilians", "Attack"
    armed = [family for family in families if family != "Civilians"]
    if "Civilians" in families and len(armed) <= 1:
        return "Violence against civilians", "Attack"
    return "Battles", "Armed clash"


# ---------------------------------------------------------------- actors

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


# ---------------------------------------------------------------- fatalities

_UNITS = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}  # fmt: skip
_TENS = {word: 10 * value for value, word in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if word != "_"}  # fmt: skip
_NUMBER_WORD = r"(?:" + "|".join(sorted([*_UNITS, *_TENS, "hundred", "thousand"], key=len, reverse=True)) + r")"
_NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:an?\s+(?=hundred|thousand))?{_NUMBER_WORD}"
    rf"(?:(?:\s+and\s+|[\s-]+){_NUMBER_WORD}(?!\w))*)(?!\w)"
)
# Vague counts as (low, high): "dozens" is 24 to 99 (two dozen up to a hundred), "hundreds" 200 to 999.
_VAGUE = {"dozens": (24, 99), "scores": (40, None), "hundreds": (200, 999), "thousands": (2000, None),
          "tens": (20, 99)}
_PERSON = (
    r"(?:police|security|army|military|defen[cs]e)\s+(?:personnel|officers|agents|members)|people|persons|civilians|villagers|residents|inhabitants|soldiers|troops|fighters|militants|jihadists"
    r"|insurgents|members|militiamen|militia\s+members|gendarmes|police(?:men)?|officers|men|women|children"
    r"|worshippers|herders|farmers|traders|passengers|victims|assailants|attackers|terrorists|combatants|volunteers"
    r"|dozos|recruits|mercenaries|bodies|others|individuals|personnel|peacekeepers|hostages|jihadis|rebels"
    r"|pupils|students|schoolchildren|boys|girls|babies|infants|mourners|guests|shoppers|miners|gold\s+miners"
    r"|fishermen|pastoralists|refugees|displaced\s+people|patients|teachers|chiefs|elders|notables|drivers"
    r"|auxiliaries|guards|guardsmen|conscripts|cadets|trainees"
)
_QUALIFIER = (
    r"(?P<q>at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|well\s+over|more\s+than|over|upwards\s+of|in\s+excess\s+of|about|around|approximately|roughly"
    r"|some|an\s+estimated|nearly|almost|close\s+to|up\s+to|as\s+many\s+as|fewer\s+than|less\s+than|at\s+most)"
)
# Words that end the gap between a number and its people noun ("2022 left dozens of fighters" is not 2022 fighters).
_TAIL_STOP = rf"(?:and|or|were|was|had|have|left|killed|dozens|scores|hundreds|thousands|\d+|{_NUMBER_WORD})\b"
_FIGURE = re.compile(
    rf"\b(?:{_QUALIFIER}\s+)?(?:between\s+(?P<lo>{_NUMBER})\s+and\s+(?P<hi>{_NUMBER})"
    rf"|(?P<lo2>{_NUMBER})(?:\s*[–—]\s*|\s+(?:to|or)\s+|(?<=\d)-(?=\d))(?P<hi2>{_NUMBER})"
    rf"|(?P<dozen>an?\s+dozen|one\s+dozen)"
    rf"|(?P<vague>(?:several\s+)?(?:dozens|scores|hundreds|thousands|tens)|several\s+dozen)(?:\s+of)?"
    rf"|(?P<n>{_NUMBER}))"
    rf"(?P<tail>(?:\s+(?!{_TAIL_STOP})[\w'’-]+){{0,3}}?\s+(?:{_PERSON})\b"
    rf"|\s+(?:were\s+|was\s+|people\s+|(?:had|have)\s+(?:been\s+)?)?(?:killed|dead|died|slain|executed|massacred"
    rf"|fatalities|deaths)\b)",
    re.IGNORECASE,
)
_KILL_VERB_FIGURE = re.compile(
    rf"\b(?:killing|killed|kills|massacring|massacred|executing|executed|toll\s+(?:of|rose\s+to|reached|stood\s+at|at)"
    rf"|put\s+the\s+(?:death\s+)?(?:toll|number\s+of\s+(?:dead|deaths|victims)|figure)\s+at"
    rf"|claimed\s+the\s+lives\s+of|left)\s+(?:{_QUALIFIER}\s+)?(?:(?P<n>{_NUMBER})(?![\w-])"
    rf"|(?P<vague>dozens|scores|hundreds|several\s+dozen)(?![\w-]))",
    re.IGNORECASE,
)
# The dead written one by one with the article: "a peacekeeper was killed", "a UN peacekeeper and a Malian soldier
# were killed" (one each), and after a figure: "killing three foreigners, a Malian civilian and a soldier" (five).
_SINGULAR = (
    r"(?:soldier|peacekeeper|gendarme|police(?:man|\s+officer)|officer|civilian|villager|resident|guard|volunteer"
    r"|militiaman|fighter|militant|jihadist|attacker|assailant|man|woman|child|boy|girl|driver|trader|herder|farmer"
    r"|teacher|worker|miner|chief|imam|passenger|contractor|foreigner|national|employee)"
)
_ONE_ITEM = rf"(?:an?|one)\s+(?:(?!and\b)[A-Za-z'’-]+\s+){{0,2}}{_SINGULAR}\b"
_ONE_DEAD = re.compile(
    rf"\b(?P<n>{_ONE_ITEM}(?:(?:\s*,\s*(?:and\s+)?|,?\s+and\s+){_ONE_ITEM})*)"
    r"\s+(?:(?:was|were|had\s+been|have\s+been|has\s+been)\s+(?:(?:also|reportedly|later|shot)\s+)?"
    r"(?:killed|slain|executed|murdered|dead)|(?:also\s+|later\s+)?died)\b",
    re.IGNORECASE,
)
_JOINED_SINGLES = re.compile(
    r"^(?:\s+(?!(?:and|were|was|had|have|killed|dead|in|at|on|near)\b)[\w'’-]+){0,3}?"
    rf"(?P<items>(?:(?:\s*,\s*(?:and\s+)?|,?\s+(?:and|together\s+with|along\s+with|as\s+well\s+as)\s+){_ONE_ITEM}\b)+)"
    r"(?!\s+(?:(?:was|were|is|are|had\s+been|has\s+been|have\s+been)\s+(?:\w+\s+)?(?:wounded|injured|hurt|kidnapped"
    r"|abducted|captured|arrested|missing|rescued|freed|released|detained)|said|says|told|added|reported)\b)",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"\b(?:an?|one)\s", re.IGNORECASE)


_KILL_CUE = re.compile(
    r"\b(?:kill\w*|dead|deaths?|died|massacre\w*|execut\w*|slain|murder\w*|fatalit\w*"
    r"|casualt\w*|lives|toll|bodies|perished|lost)\b",
    re.IGNORECASE,
)
_NOT_DEATH_AFTER = re.compile(
    r"^[\s,]*(?:(?:were|was|are|had\s+been|have\s+been|being|got)\s+)?(?:wounded|injured|hurt|kidnapped|abducted"
    r"|captured|arrested|displaced|missing|taken\s+hostage|freed|released)\b",
    re.IGNORECASE,
)
_NOT_DEATH_BEFORE = re.compile(
    r"\b(?:wounding|injuring|wounded|injured|kidnapping|kidnapped|abducting|abducted"
    r"|abduction|capturing|captured|arresting|arrested|displacing|displaced|freeing|freed)\s+(?:of\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_SUBSET_BEFORE = re.compile(r"\b(?:including|among\s+them|among\s+whom|of\s+whom|of\s+which)\s+$", re.IGNORECASE)
_FLOOR = {"at least", "more than", "over", "upwards of", "in excess of", "no fewer than", "no less than",
          "not less than", "well over"}  # fmt: skip
_CEILING = {"up to", "as many as", "fewer than", "less than", "at most", "nearly", "almost", "close to"}


@dataclass(frozen=True)
class Fatalities:
    """Best figure and the bracket the text gives; None where unknown."""

    best: int | None
    low: int | None
    high: int | None


def parse_number(words: str) -> int | None:
    """``"forty"`` -> 40, ``"forty-two"`` -> 42, ``"two hundred and fifty"`` -> 250, ``"1,200"`` -> 1200."""
    text = words.strip().lower().replace(",", "")
    if text.isdigit():
        return int(text)
    total = current = 0
    seen = False
    for token in re.split(r"[\s-]+", text):
        if token in ("and", ""):
            continue
        if token == "a":
            current = max(current, 1)
        elif token in _UNITS:
            current += _UNITS[token]
        elif token in _TENS:
            current += _TENS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _one_figure(match: re.Match[str]) -> Fatalities | None:
    groups = match.groupdict()
    qualifier = re.sub(r"\s+", " ", (groups.get("q") or "").lower())
    if groups.get("dozen"):
        return Fatalities(12, 12, 12)
    if groups.get("vague"):
        word = groups["vague"].lower().split()[-1].replace("dozen", "dozens").replace("dozenss", "dozens")
        low, high = _VAGUE[word]
        return Fatalities(low, low, high)
    lo, hi = groups.get("lo") or groups.get("lo2"), groups.get("hi") or groups.get("hi2")
    if lo and hi:
        low, high = parse_number(lo), parse_number(hi)
        if low is None or high is None or high < low:
            return None
        return Fatalities(low, low, high)  # the lower figure is the best one, ACLED's conservative choice
    value = parse_number(groups["n"])
    if value is None:
        return None
    if qualifier in _FLOOR:
        return Fatalities(value, value, None)
    if qualifier in _CEILING:
        return Fatalities(value, None, value)
    return Fatalities(value, value, value)


_DEATH_AFTER = re.compile(
    # an appositive between the figure and its verb: "21 people, including two attackers, were killed"
    r"^\s*(?:,\s*(?:including|among\s+them|among\s+whom|of\s+whom|mostly|most\s+of\s+them|many\s+of\s+them)\b"
    r"[^,;.]{1,60},)?"
    r"\s*,?\s*(?:(?:who|which|that)\s+)?(?:(?:were|was|had\s+been|have\s+been|has\s+been|are|being|got|lay)\s+)?(?:(?:reportedly|reported|"
    r"confirmed|found|also|all|later|shot|burned|burnt|hacked)\s+)*(?:killed|dead|died|slain|executed|massacred|murdered"
    r"|perished|lost\s+their\s+lives|to\s+death)\b",
    re.IGNORECASE,
)
_DEATH_BEFORE = re.compile(
    rf"\b(?:kill(?:ed|ing|s)?|massacr(?:ed|ing|es)?|execut(?:ed|ing|es)?|murder(?:ed|ing|s)?|slaughter(?:ed|ing)?"
    rf"|shot\s+dead|left|leaving|claimed\s+the\s+lives\s+of|(?:the\s+)?(?:deaths?|killings?|bodies|lives)\s+of"
    rf"|toll\s+(?:\w+\s+){{0,2}}(?:to|at|of)|counted|documented|found|recovered|buried|death\s+toll\s+to"
    rf"|lost|raised\s+to|rose\s+to|risen\s+to|reached|put\s+(?:the\s+)?(?:[\w-]+\s+){0,4}at|estimated)"
    rf"\s+(?:the\s+)?(?:bodies\s+of\s+)?(?:{_QUALIFIER}\s+)?$",
    re.IGNORECASE,
)
_JOINED_BEFORE = re.compile(r"(?:,|\band|\bas\s+well\s+as|\balong\s+with|\bplus|\bwith)\s+(?:{q}\s+)?$".replace(
    "{q}", _QUALIFIER), re.IGNORECASE)  # fmt: skip
_CONTRAST = re.compile(
    r"\b(?:but|while|whereas|however|although|though|other\s+sources|another\s+source|put\s+the\s+(?:toll|figure"
    r"|number)|according\s+to|estimates?|tolls?|figures?|counts?|claimed|said)\b",
    re.IGNORECASE,
)
# Who the dead were: figures for the same kind of people compete, figures for different kinds add up.
_CATEGORIES = (
    ("state", r"soldiers?|troops|gendarmes|police\w*|officers|personnel|peacekeepers|recruits|servicemen|army"
              r"|guards(?:men)?|conscripts|cadets"),
    ("attackers", r"militants|jihadis\w*|insurgents|assailants|attackers|terrorists|fighters|combatants|rebels"
                  r"|gunmen|mercenaries"),
    ("militia", r"volunteers|militiam[ae]n|militia\s+members|dozos|VDP|vigilantes|(?:VDP\s+)?auxiliaries"),
)  # fmt: skip


@dataclass(frozen=True)
class DeathFigure:
    """One figure of dead in a sentence: where it stands, who the dead were (``state``, ``attackers``,
    ``militia`` or ``people``) and the figures."""

    span: tuple[int, int]
    category: str
    figures: Fatalities


def _category(words: str) -> str:
    """Who the dead were, from the words after the figure; ``unknown`` when no word for people follows."""
    head = re.match(r"^\W*(?:[\w'’-]+\s+){0,3}?(?P<noun>[\w'’-]+)", words)
    for name, pattern in _CATEGORIES:
        if re.search(rf"^\W*(?:[\w'’-]+\s+){{0,3}}?(?:{pattern})\b", words, re.IGNORECASE):
            return name
    if head and re.search(rf"^\W*(?:[\w'’-]+\s+){{0,3}}?(?:{_PERSON})\b", words, re.IGNORECASE):
        return "people"
    return "unknown"


_MOSTLY = re.compile(r"^\s*,\s*(?:mostly|most\s+of\s+them|the\s+majority|nearly\s+all|all\s+of\s+them)\s+"
                     r"(?P<who>[^,;.]{1,60}),", re.IGNORECASE)


_OTHER_INCIDENT = re.compile(
    r"(?:(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|\d+)\s+(?:days?|weeks?|months?"
    r"|years?)\s+)?(?:before|after|since|following|prior\s+to|ahead\s+of|in\s+the\s+wake\s+of|than|as\s+in|like"
    r"|unlike|compared|similar|recalling|reminiscent|the\s+(?:deadliest|worst|largest|biggest|bloodiest))\b",
    re.IGNORECASE,
)


def death_figures(sentence: str, exclude: list[tuple[int, int]] = ()) -> list[DeathFigure]:
    """The figures of dead ``sentence`` gives, left to right (see :func:`find_fatalities` for what counts)."""
    if not _KILL_CUE.search(sentence):
        return []
    # "a day after an attack in X left 30 soldiers dead": the dead of the incident the time clause recalls
    exclude = [*exclude, *(span for span in reference_spans(sentence) if _OTHER_INCIDENT.match(sentence, span[0]))]
    found: list[DeathFigure] = []
    spans: list[tuple[int, int]] = []
    sentence = _mask(sentence, list(exclude))
    candidates = []
    for regex in (_FIGURE, _KILL_VERB_FIGURE, _ONE_DEAD):
        for match in regex.finditer(sentence):
            candidates.append((_number_span(match), regex, match))
    subset_end: int | None = None
    for number_span, regex, match in sorted(candidates, key=lambda item: (item[0][0], -item[0][1])):
        if any(number_span[0] < end and start < number_span[1] for start, end in [*exclude, *spans]):
            continue
        before, after = sentence[: match.start()], sentence[match.end() :]
        if _NOT_DEATH_BEFORE.search(before) or _SUBSET_BEFORE.search(before):
            subset_end = match.end()
            continue
        if subset_end is not None and re.fullmatch(r"\s*(?:,\s*)?(?:and\s+)?", sentence[subset_end : match.start()]):
            subset_end = match.end()  # "including 50 women and 21 children": the second figure is in the subset too
            continue
        tail = match.groupdict().get("tail") or ""
        if regex is _FIGURE:
            dead_in_tail = re.search(r"killed|dead|died|slain|executed|massacred|fatalities|deaths", tail,
                                     re.IGNORECASE)  # fmt: skip
            if not dead_in_tail and _NOT_DEATH_AFTER.match(after):
                continue
            joined = bool(found) and match.start() - found[-1].span[1] < 100 and _JOINED_BEFORE.search(before)
            listed = _JOINED_SINGLES.match(after)  # "20 soldiers and a civilian were killed"
            joined = joined or (listed is not None and _DEATH_AFTER.match(after[listed.end() :]))
            if not (dead_in_tail or _DEATH_AFTER.match(after) or _DEATH_BEFORE.search(before) or joined):
                continue
        if regex is _ONE_DEAD:
            count = len(_ARTICLE.findall(match.group("n") + " "))
            figure, tail = Fatalities(count, count, count), _ARTICLE.sub("", match.group("n"), count=1)
        else:
            figure = _one_figure(match)
        if figure is None:
            continue
        singles = _JOINED_SINGLES.match(after) if regex is not _ONE_DEAD else None
        if singles:  # "killing three foreigners, a Malian civilian and a soldier": one more for each
            more = len(_ARTICLE.findall(singles.group("items") + " "))
            figure = Fatalities(*(None if v is None else v + more for v in (figure.best, figure.low, figure.high)))
            number_span = (number_span[0], match.end() + singles.end())
        spans.append(number_span)
        category = _category(tail or after[:40])
        mostly = _MOSTLY.match(after)  # "70 people, most of them gendarmes": gendarmes
        if category in ("people", "unknown") and mostly and _category(mostly.group("who")) in ("state", "militia"):
            category = _category(mostly.group("who"))
        found.append(DeathFigure(number_span, category, figure))
    return found


def combine(figures: list[DeathFigure], sentence: str = "") -> Fatalities:
    """One toll from several figures: different kinds of dead add up; two figures for the same kind compete
    (low the smaller, high the larger: "45 killed, but the army said 30") when words of contrast or of
    sources stand between them, and add up otherwise."""
    merged: list[DeathFigure] = []
    for figure in figures:
        rival = next((m for m in merged if figure.category in (m.category, "unknown") or m.category == "unknown"), None)
        between = sentence[rival.span[1] : figure.span[0]] if rival else ""
        joined = re.fullmatch(r"[\w\s'’-]{0,40}?(?:\band|,|\bplus|\bas\s+well\s+as)\s+(?:\w+\s+){0,2}", between)
        if rival is not None and (_CONTRAST.search(between) or not joined):
            both = competing(rival.figures, figure.figures)
            merged[merged.index(rival)] = DeathFigure(rival.span, rival.category, both)
        else:
            merged.append(figure)
    return _sum(m.figures for m in merged)


def find_fatalities(sentence: str, exclude: list[tuple[int, int]] = ()) -> Fatalities:
    """Deaths the sentence reports.

    Counted only when the sentence speaks of death (killed, dead, massacre, toll...) and the figure is tied to
    it: a death word right after it ("71 soldiers killed", "were found dead"), a killing word right before it
    ("killing 12", "the bodies of 79", "raised the toll to 38"), or joined by "and"/"along with" to a figure
    that is. Rules: a plain number or "about N" -> best = low = high = N; "at least/over/more than N" -> best =
    low = N (the floor the text states, as ACLED codes it), high unknown; "up to/nearly N" -> best = high = N;
    "between A and B"/"A to B" -> low = best = A, high B; "dozens"/"several dozen" -> 24 to 99, "scores" ->
    at least 40, "hundreds" -> 200 to 999 (best the low end); "a dozen" -> 12. Attackers' dead that the state side
    claims ("the army said it killed 40 terrorists") count in best and high, not in low, when the sentence gives
    another toll. Figures
    for wounded/kidnapped/captured people, figures inside ``exclude`` spans (dates) and subsets ("including 12
    soldiers") are skipped. Figures are combined by :func:`combine`. Nothing found -> all None.
    """
    figures = death_figures(sentence, exclude)
    text = _mask(sentence, list(exclude))
    total = combine(figures, text)
    claimed = state_claims(sentence, figures)
    if claimed and len(claimed) < len(figures):  # the toll without the state's claim is the low figure
        return Fatalities(total.best, combine([f for f in figures if f not in claimed], text).low, total.high)
    return total


# The state side speaking ("the army said", "according to the ministry of defence"): its count of attackers killed
# is its claim, kept apart from the toll of the incident (ACLED does not add such claims to the victims' toll).
_STATE_SPEAKER = (
    r"(?:army|military|armed\s+forces|FAMa|FDS|government|ministry(?:\s+of\s+\w+)?|junta|general\s+staff"
    r"|chief\s+of\s+staff|defen[cs]e\s+(?:ministry|forces)|gendarmerie|authorities|communiqu[eé])"
)
_STATE_CLAIM = re.compile(
    rf"\b{_STATE_SPEAKER}\b[^.;]{{0,60}}?\b(?:said|says|claimed|claims|announced|reported|stated|added)\b[^.;]{{0,50}}$"
    rf"|\baccording\s+to\s+(?:the\s+)?(?:\w+\s+){{0,2}}{_STATE_SPEAKER}\b[^.;]{{0,50}}$"
    r"|\b(?:neutrali[sz]ed|eliminated)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_STATE_CLAIM_AFTER = re.compile(
    rf"^[^.;]{{0,60}}?,\s*(?:the\s+)?(?:\w+\s+){{0,2}}{_STATE_SPEAKER}\s+(?:said|says|claimed|announced|reported)\b",
    re.IGNORECASE,
)


def state_claims(sentence: str, figures: list[DeathFigure]) -> list[DeathFigure]:
    """The figures of attackers killed that the state side claims ("the army said it had killed 40 terrorists")."""
    return [
        f for f in figures
        if f.category == "attackers"
        and (_STATE_CLAIM.search(sentence[: f.span[0]]) or _STATE_CLAIM_AFTER.match(sentence[f.span[1] :]))
    ]  # fmt: skip


# Who gives a figure: "according to X", "X said/put the toll at", in the clause of the figure.
_SOURCE_BREAK = re.compile(r",?\s+(?:but|while|whereas|although|though|yet)\s+|;\s*|\.\s+", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<who>[^,;.()]{2,60}?)(?=\s*(?:[,;.()]|$))", re.IGNORECASE)
_SOURCE_VERB = re.compile(
    r"(?P<who>[^,;()]{2,80}?)\s+(?:said|say|says|told|reported|claimed|counted|estimated|gave|announced"
    r"|put\s+the\s+(?:death\s+)?(?:toll|figure|number)|put\s+it)\b",
    re.IGNORECASE,
)
_SOURCE_QUALIFIER = re.compile(rf"{_QUALIFIER}\s+$", re.IGNORECASE)


def _source(clause: str) -> str | None:
    found = _ACCORDING.search(clause)
    if found:
        return found.group("who").strip()
    spoken = _SOURCE_VERB.search(clause)
    if spoken:
        words = spoken.group("who").split()
        if words and words[-1].lower() in ("it", "they", "he", "she", "which", "who"):
            return None
        words = words[-5:]
        while words and words[0].lower() in ("and", "that", "as", "had", "have", "but", "while"):
            words.pop(0)
        return " ".join(words) or None
    return None


def toll_sources(sentence: str, exclude: list[tuple[int, int]] = ()) -> str | None:
    """Whose figure is whose when a sentence gives competing tolls: "at least 50 (officials); more than 100
    (relatives of the victims)"; None when it gives one figure or names no source."""
    text = _mask(sentence, list(exclude))
    every = death_figures(sentence, exclude)
    claimed = state_claims(text, every)
    figures = [f for f in every if f not in claimed]
    if len(figures) < 2:
        return None
    breaks = [0, *(m.end() for m in _SOURCE_BREAK.finditer(text)), len(text)]
    parts, named = [], False
    for figure in figures:
        start = max(b for b in breaks if b <= figure.span[0])
        end = min((b for b in breaks if b > figure.span[1]), default=len(text))
        who = _source(text[start:end])
        qualifier = _SOURCE_QUALIFIER.search(text[: figure.span[0]])
        written = text[qualifier.start() if qualifier else figure.span[0] : figure.span[1]].lower()
        named = named or who is not None
        parts.append(f"{written} ({who})" if who else written)
    return "; ".join(parts) if named else None


def competing(a: Fatalities, b: Fatalities) -> Fatalities:
    """Two tolls of one incident from different sources ("45 ... but the army said 30"): low the smaller, high the
    larger, best the smaller (the conservative figure, as ACLED codes it); "at least 50 ... over 100": 50 to 100."""
    figures = [f for f in (a.best, a.low, a.high, b.best, b.low, b.high) if f is not None]
    if not figures:
        return Fatalities(None, None, None)
    return Fatalities(min(figures), min(figures), max(figures))  # high: the highest figure any source gives


def _number_span(match: re.Match[str]) -> tuple[int, int]:
    for group in ("lo", "lo2", "dozen", "vague", "n"):
        if match.groupdict().get(group):
            start = match.start(group)
            end = match.end("hi") if group == "lo" else match.end("hi2") if group == "lo2" else match.end(group)
            return start, end
    return match.span()


def _sum(figures) -> Fatalities:
    figures = list(figures)
    if not figures:
        return Fatalities(None, None, None)
    bests = [f.best for f in figures]
    lows = [f.low for f in figures if f.low is not None]
    highs = [f.high for f in figures]
    return Fatalities(
        sum(bests) if None not in bests else None,
        sum(lows) if lows else None,
        sum(highs) if None not in highs else None,
    )


# ---------------------------------------------------------------- places

_NAME_WORD = r"(?<![\w'’-])[A-ZÀ-Ý][\w'’]*(?:-[\w'’]+)*"
_CONNECTOR = r"(?:\s+(?:de|du|des|la|le|el|al|en|ag|wa)\s+|\s+|-)"
_NAME = rf"{_NAME_WORD}(?:{_CONNECTOR}{_NAME_WORD})*"
_NAMES = rf"{_NAME}(?:(?:,\s*|,?\s+and\s+){_NAME})*"
# A convoy "heading for X" was hit on its way there: near X (precision 2), not at it.
_DESTINATION = r"(?:heading|headed|bound|travell?ing|en\s+route|on\s+(?:its|their|the)\s+way)\s+(?:for|to)"
# "south of Ansongo": near Ansongo (precision 2), as close a tie as "near".
_COMPASS = r"(?:north|south|east|west)(?:[\s-]?(?:east|west))?(?:ern)?\s+of"
_PREPOSITIONS = (
    rf"{_DESTINATION}|{_COMPASS}|in|at|near|of|to|around|outside|from|towards?|between|inside|into|on|across"
    r"|nearby|close\s+to"
)
_COMPASS_RE = re.compile(rf"^{_COMPASS}$", re.IGNORECASE)
# Where a road leads ("on the road to Tessit") is not where it was attacked.
_ROAD_BEFORE = re.compile(r"\b(?:road|route|axis|highway|track|way)\s+$", re.IGNORECASE)
_NEAR_WORDS = {"near", "around", "outside", "nearby", "close to", "heading for", "heading to", "headed for",
               "headed to", "bound for", "travelling to", "traveling to", "en route to", "on its way to",
               "on their way to", "on the way to"}  # fmt: skip
# Names that are places but too vague for an event point (the caller refuses them, reporting why).
_COUNTRIES = frozenset(
    "mali|burkina faso|burkina|niger|mauritania|algeria|ghana|benin|togo|nigeria|chad|senegal|guinea|ivory coast"
    "|cote d'ivoire|côte d'ivoire|libya|sahel|sahara|africa|west africa|liptako-gourma|liptako gourma".split("|")
)
_REGION_WORDS = r"region|province|cercle|circle|commune|department|district|prefecture"
# Capitalised words that never start a place name here (function words, titles, media, months, weekdays).
_NOT_PLACE = frozenset(
    "the a an this that these those its their his her in on at by after before during while since when where despite"
    " although according neither both many most some several islamic islam muslims sharia al-naba al-qaeda god"
    " allah state government army operation operations mr mrs president general colonel january february march"
    " april may june july august september october november december monday tuesday wednesday thursday friday"
    " saturday sunday"
    # number words head counts ("Two attacks claimed by JNIM"), never place names
    " one two three four five six seven eight nine ten eleven twelve dozens hundreds thousands".split()
)

_PLACE_AFTER_PREPOSITION = re.compile(
    rf"\b(?P<prep>(?i:{_PREPOSITIONS}))\s+(?:(?i:the\s+)?(?:town|village|city|commune|locality|hamlet|camp)\s+of\s+"
    rf"|(?i:the)\s+(?=[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*)?\s+(?i:area|zone|sector|axis|outskirts|vicinity)\b))?"
    rf"(?P<names>{_NAMES})(?P<area>\s+(?i:area|zone|sector|axis|outskirts|vicinity)\b)?"
)
# "stormed a village called Solhan", "a hamlet known as X": the name a settlement word introduces.
_CALLED_PLACE = re.compile(
    rf"\b(?i:town|village|hamlet|locality|settlement|commune)\s+(?i:called|named|known\s+as)\s+(?P<names>{_NAMES})"
)
_PAIR_BEFORE_EVENT = re.compile(
    rf"(?P<names>{_NAME}(?:(?:,\s*|,?\s+and\s+){_NAME})+)\s+(?i:massacres|attacks|killings|ambushes|clashes"
    r"|battles|bombings|sieges|raids)\b"
)
_REGION = re.compile(
    rf"(?P<phrase>(?:(?:Burkina\s+Faso|{_NAME_WORD})['’]s\s+|(?i:the)\s+)?(?P<name>{_NAME})\s+(?i:{_REGION_WORDS})s?)\b"
)
# "in eastern Burkina Faso": Burkina Faso's regions are named by the compass, so the phrase names a region
# (ACLED's region-level fallback, precision 3); "northern" and "central" are left vague (the Sahel and Nord regions,
# the Centre around the capital: the word does not say which).
_COMPASS_REGION = {"eastern": "Est", "east": "Est", "south-western": "Sud-Ouest", "southwestern": "Sud-Ouest",
                   "south-west": "Sud-Ouest", "southwest": "Sud-Ouest", "north-central": "Centre-Nord",
                   "centre-north": "Centre-Nord", "center-north": "Centre-Nord", "east-central": "Centre-Est",
                   "centre-east": "Centre-Est", "center-east": "Centre-Est", "west-central": "Centre-Ouest",
                   "centre-west": "Centre-Ouest", "center-west": "Centre-Ouest"}
_COMPASS_COUNTRY = re.compile(
    r"\b(?P<compass>(?i:" + "|".join(sorted(_COMPASS_REGION, key=len, reverse=True)) + r"))\s+Burkina(?:\s+Faso)?\b"
)
_BORDER = re.compile(
    rf"(?P<phrase>\b(?i:the)\s+(?:{_NAME_WORD}(?:(?:-|\s+and\s+|,\s*){_NAME_WORD})*)\s+borders?"
    rf"(?:\s+(?:with|of)\s+{_NAME})?"
    # "the border with Niger", "the border between Mali and Niger", "the tri-border area of Mali, Niger and Burkina"
    rf"|\b(?i:the)\s+(?i:borders?|frontiers?)\s+(?i:with|between)\s+{_NAME}(?:\s+(?i:and)\s+{_NAME})?)"
)
# A place given by its distance (and bearing) from a named one: "about 90 km east of Timbuktu", "some thirty
# kilometres (20 miles) from Djibo", "25 km outside Gao". ACLED places such events at the named place (precision
# 2); we do too, and move the point by the distance when the text also gives a bearing (see extract.relate).
_BEARING = r"(?:north|south|east|west)(?:[\s-]?(?:east|west))?"
_RELATIVE_PLACE = re.compile(
    rf"(?P<phrase>(?i:(?:(?:about|some|around|roughly|nearly|approximately|almost|over|more\s+than|less\s+than|under"
    rf"|just|barely|only|at\s+least|a\s+few)\s+)?(?P<km>\d+(?:[.,]\d+)?|{_NUMBER_WORD}(?:[\s-]+(?:and\s+)?"
    rf"{_NUMBER_WORD})*)\s*-?\s*(?P<unit>km|kms|kilomet(?:re|er)s?|miles)\b(?:\s*\([^)]{{1,25}}\))?\s+"
    rf"(?:(?:to\s+the\s+)?(?P<bearing>{_BEARING})(?:ern)?\s+of|from|outside(?:\s+of)?|away\s+from|short\s+of|out\s+of"
    rf"|before|after)\s+"
    rf"(?:the\s+(?:(?:regional|provincial|northern|central|southern|eastern|western)\s+)?(?:town|city|village|commune"
    rf"|locality|capital|hub)(?:\s+of)?\s+)?)(?P<names>{_NAME}))"
)
# Where a place lies ("Inates lies about 48 km from Ouallam", "Djibo, which is near the border with Mali") describes
# that place; it is not where the violence was.
_DESCRIBES = re.compile(
    r"\b(?:lies|lay|lying|is|are|was|were|located|situated|sits|stands|based)\s+(?:(?:located|situated|just|only"
    r"|right)\s+)?(?:(?:near|close\s+to|along|by|on|in)\s+)?$",
    re.IGNORECASE,
)
_BEARING_DEGREES = {"north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180, "southwest": 225,
                    "west": 270, "northwest": 315}  # fmt: skip
# "on the Ouahigouya-Barga road", "the Djibo–Ouagadougou axis": a road named by its two ends.
_ROAD_PAIR = re.compile(
    r"(?P<names>(?<![\w'’-])[A-ZÀ-Ý][\w'’]*(?:\s+[A-ZÀ-Ý][\w'’]*)?\s*[-–—]\s*[A-ZÀ-Ý][\w'’]*(?:\s+[A-ZÀ-Ý][\w'’]*)?)"
    r"\s+(?i:road|route|axis|highway|corridor|track)\b"
)
# "the road connecting Matiakoali and Kantchari", "the highway linking Gao to Ansongo", "the road from X to Y".
_ROAD_LINKING = re.compile(
    rf"(?i:(?:on|along|off)\s+)?(?i:the\s+)?(?i:[\w-]+\s+)?(?i:road|route|axis|highway|track)\s+(?i:connecting|linking"
    rf"|joining|from)\s+(?P<a>{_NAME})\s+(?i:and|to|with)\s+(?P<b>{_NAME})"
)
_ROAD_WORDS = re.compile(r"(?:on|along|off)\s+the\s+(?:[\w-]+\s+)?(?:road|route|axis|highway|track)\s+$",
                         re.IGNORECASE)
_OBJECT_VERBS = (
    r"attacked|attacking|attacks|stormed|storming|surrounded|encircled|entered|invaded|raided|raiding|overran|overrun|overrunning|besieged|besieging"
    r"|bombed|shelled|struck|hit|targeted|targeting|ambushed|seized|captured|burned|burnt|torched|looted|razed"
)
_ONE_BEFORE_EVENT = re.compile(
    rf"(?<![\w'’-])(?P<names>{_NAME})\s+(?i:massacres?|attacks?|ambush(?:es)?|raids?|bombings?|killings|sieges?"
    r"|assaults?|clashes|fighting|battles?)\b"
)
_PASSIVE_SUBJECT = re.compile(
    rf"(?P<names>{_NAMES})(?:\s*,\s*[^,;.]{{3,60}},)?\s+(?i:(?:was|were|has|had|have)\s+(?:\w+\s+)?(?:been\s+)?(?:\w+\s+)?(?:attacked|raided|stormed|"
    r"overrun|targeted|besieged|struck|hit|shelled|bombed|ambushed|raided)|came\s+under\s+(?:attack|fire|siege))\b"
)
_OBJECT_OF_VERB = re.compile(
    rf"\b(?P<prep>(?i:{_OBJECT_VERBS}))\s+(?:(?i:the\s+)?(?:(?i:town|village|city|commune|locality|hamlet|camp|base|"
    rf"market)\s+(?i:of|in|at)\s+)?)?(?P<names>{_NAMES})"
)
# "targeted seven towns: A, B, C and D", "the following villages: A and B": a colon list of the places attacked.
_LISTED_PLACES = re.compile(
    r"\b(?P<prep>(?i:(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|\d{1,2}|the\s+following)"
    r"\s+(?:(?:other|more|neighbouring|nearby|different)\s+)?(?:towns|villages|cities|localities|communes|hamlets"
    rf"|places|locations|sites|military\s+(?:posts|bases|camps)|camps|bases)))\s*:\s*(?P<names>{_NAMES})"
)
# "in Mali's capital, Bamako", "the Burkinabe capital Ouagadougou": the capital's name in apposition.
_CAPITAL = re.compile(rf"\b(?i:capital)(?:\s+(?i:city))?,?\s+(?P<names>{_NAME})")
_PREPOSITION_BEFORE = re.compile(rf"\b(?P<prep>(?i:{_PREPOSITIONS}))\s+$")
_SPLIT_NAMES = re.compile(r",\s*and\s+|,\s*|\s+and\s+")


# Clauses that place the violence in time or compare it ("a week before the massacres in Tillia", "the deadliest
# since the Solhan massacre", "than in Tillia"): their places are references, never the place of the violence.
_REFERENCE_CLAUSE = re.compile(
    r"\b(?:(?:(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|\d+)\s+"
    r"(?:days?|weeks?|months?|years?)\s+)?(?:before|after|since|following|prior\s+to|ahead\s+of|until|in\s+the\s+wake"
    r"\s+of|in\s+(?:response|retaliation)\s+(?:to|for)|the\s+(?:deadliest|worst|largest|biggest|bloodiest)"
    r"(?:\s+\w+)?\s+since)\s+(?=(?:the|an?|its|their|last|this|that|those|these|earlier|previous)\b(?!\s+(?:week|month"
    r"|year|weekend|days?|night|morning)\b)|(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January"
    r"|February|March|April|May|June|July|August|September|October|November|December)\b)(?-i:[A-ZÀ-Ý]))"
    r"|\b(?:than|as\s+in|like|unlike|compared\s+(?:with|to)|similar\s+to|recalling|reminiscent\s+of)\s+"
    r"(?=(?:in|at|the|an?|those|that)\b|(?-i:[A-ZÀ-Ý]))"
    # where the dead were buried or the wounded taken, and where a source lives, are not where the violence was
    r"|\b(?:buried|burial|funerals?|taken|evacuated|transferred|hospitali[sz]ed|treated|fled)\b"
    # the displaced go somewhere ("displaced to Djibo"); "displaced on 2 January following attacks on X" is the attack
    r"|\bdisplaced\b(?=\s+(?:\w+\s+){0,3}?(?:to|towards?|into|in|at)\b)"
    r"|\b(?:officials?|spokes(?:man|woman|person)|sources?|witness(?:es)?|doctors?|journalists?|reporters?"
    r"|activists?|researchers?|analysts?)\s+(?:from|based\s+in)\s+)",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,;:.()\[\]—–]|\s-\s|\b(?:that|which|who|where|when|while|whereas|but|and\s+then)\b|$")
# A finite verb inside makes the clause a report of violence of its own ("after gunmen attacked Inates").
_FINITE_VIOLENCE = re.compile(
    r"\b(?:attacked|killed|stormed|raided|ambushed|clashed|fought|massacred|executed|bombed|shelled|overran|besieged"
    r"|abducted|kidnapped|struck|targeted|was|were|had\s+been|has\s+been)\b",
    re.IGNORECASE,
)
# Words before a capitalised name that make it a person, and given names that start one.
_PERSON_BEFORE = re.compile(
    r"\b(?:leader|commander|chief|emir|amir|spokesm[ae]n|spokesperson|president|minister|general|colonel|captain"
    r"|lieutenant|sergeant|imam|mayor|governor|prefect|deputy|senator|analyst|researcher|journalist|reporter"
    r"|correspondent|named|called|Mr|Mrs|Ms|Dr|sheikh|marabout|cleric|preacher|founder|according\s+to|by)\s*$",
    re.IGNORECASE,
)
_PERSON_AFTER = re.compile(r"^\s*(?:said|says|told|added|wrote|tweeted|stated)\b")
_GIVEN_NAMES = frozenset(
    "abu abou abdoul abdel abdul abdallah abdullah abdelmalek adnan ahmed ahmad amadou amadoun hamadoun mohamed "
    "mohammed muhammad mahamadou moussa musa ibrahim ibrahima iyad ali oumarou boubacar issa assimi adama aliou "
    "hamidou souleymane seydou youssouf yusuf sultan sadio mamadou modibo hama hamma ousmane oumar omar salif "
    "abdoulaye idrissa tammy jean pierre emmanuel".split()
)
_POSSESSIVE = re.compile(r"['’]s?$")
_UNIT_OF = re.compile(
    r"\b(?:cercle|department|commune|district|province|region|prefecture|municipality)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_CONTAINER_GAP = re.compile(
    r"^\s*(?:,|\(|\s)\s*(?:an?\s+(?:[\w-]+\s+){0,3}(?:village|town|commune|locality|hamlet|settlement|quarter|market"
    r"\s+town|district)\s+)?(?:(?:in|of|within)\s+)?(?:the\s+)?(?:(?:neighbou?ring|nearby|adjacent|same|northern|southern"
    r"|eastern|western|central|north(?:ern)?|south(?:ern)?|east(?:ern)?|west(?:ern)?|rural|urban)\s+)*$",
    re.IGNORECASE,
)
# The country of a national institution is no place of violence: "according to the Government of Mali", "the
# Ministry of Defence of Niger" (a local official's town often is: "the mayor of Banibangou was killed").
_INSTITUTION_OF = re.compile(
    r"\b(?:government|authorities|ministry(?:\s+of\s+\w+)?|president|presidency|parliament|embassy|junta"
    r"|minister(?:\s+of\s+\w+)?)\s+of\s+(?:the\s+)?"
    r"(?P<name>(?-i:[A-ZÀ-Ý][\w'’-]*)(?:\s+(?-i:[A-ZÀ-Ý][\w'’-]*)){0,3})"
    # a capital standing for its government: "the authorities in Ouagadougou have said nothing"
    r"|\b(?:authorities|government|junta|rulers|leaders)\s+in\s+"
    r"(?P<capital>(?-i:[A-ZÀ-Ý][\w'’-]*)(?:\s+(?-i:[A-ZÀ-Ý][\w'’-]*)){0,3})",
    re.IGNORECASE,
)
# Prepositions that rarely give the place of the violence itself (where the attackers came from).
_PREPOSITION_COST = {"from": 120, "of": 20, "to": 10, "towards": 10, "toward": 10, "into": 10, "between": 10}
STRONG_TIE = 90


@dataclass(frozen=True)
class PlaceGroup:
    """Place phrases read together: names joined by "and"/commas, or one region/border phrase.

    ``kind`` is ``name`` (a settlement), ``region``, ``border`` or ``country``; ``names`` are the phrases as
    written (the event's ``location``); ``queries`` what to ask the geocoder ("near Djibo" after "near", so
    the geocoder lowers the precision to 2). ``role`` says how the phrase relates to the violence: ``event``
    (a candidate for its place), ``container`` (it narrows the search for the names before it: "Tillia,
    Tahoua Region", "in the neighbouring Tillabéri Region") or ``reference`` (inside a time or comparison
    clause). ``distance`` measures its tie to the nearest violence word (characters, plus a cost for each
    comma, clause break or "from" in between); ``hints`` are the container phrases that narrow its search.
    """

    kind: str
    names: tuple[str, ...]
    queries: tuple[str, ...]
    start: int
    end: int = -1
    role: str = "event"
    distance: int = 0
    hints: tuple[str, ...] = ()
    route: bool = False  # "between X and Y": the ends of a road, one place of violence on it, not several
    relation: str = ""  # how the text places the violence relative to the named place: "about 90 km east of Timbuktu"
    offset: tuple[float, float] | None = None  # (km, bearing in degrees) when the text gives both


# "Ten people were killed after an attack on a convoy in eastern Burkina Faso": the attack the dead died in, not
# an earlier one ("a week after the attack on X" keeps its quantity and stays a reference).
_CAUSE_CLAUSE = re.compile(
    r"(?:after|following|in\s+the\s+wake\s+of)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:attack|ambush|raid|assault"
    r"|explosion|blast)\b",
    re.IGNORECASE,
)
_DEAD_BEFORE_CAUSE = re.compile(r"\b(?:killed|dead|died|wounded|injured|missing)\b[^.;]{0,60}$", re.IGNORECASE)


def reference_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of time and comparison clauses ("a week before the massacres in Tillia,") that do not report
    violence of their own (no finite violence verb inside), except the attack the dead of the main clause
    died in ("were killed after an attack on a convoy in X")."""
    spans = []
    for match in _REFERENCE_CLAUSE.finditer(sentence):
        if _CAUSE_CLAUSE.match(sentence, match.start()) and _DEAD_BEFORE_CAUSE.search(sentence[: match.start()]):
            continue
        end = match.end() + _CLAUSE_END.search(sentence[match.end():]).start()
        if not _FINITE_VIOLENCE.search(sentence[match.end():end]):
            spans.append((match.start(), end))
    return spans


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


_NEGATED = re.compile(r"\b(?:not|never|no\s+longer|without)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def _own_violence(sentence: str) -> list[re.Match[str]]:
    """Violence words outside time and comparison clauses and not negated ("had not been attacked since 2015")."""
    references = reference_spans(sentence)
    return [
        m
        for m in _EVENT_RE.finditer(sentence)
        if not _inside(m.start(), references) and not _NEGATED.search(sentence[: m.start()])
    ]


def violence_words(sentence: str) -> list[tuple[int, int]]:
    """Spans of the violence words that report this sentence's own violence (not those of a reference clause)."""
    return [m.span() for m in _own_violence(sentence)]


def main_keyword(sentence: str) -> re.Match[str] | None:
    """The first violence word outside time and comparison clauses, not negated: the sentence reports violence."""
    return next(iter(_own_violence(sentence)), None)


def _is_name(phrase: str) -> bool:
    words = phrase.split()
    if not words or words[0].lower() in _NOT_PLACE or phrase.lower() in _NOT_PLACE:
        return False
    if re.fullmatch(_DEMONYM, words[0]) or words[0].lower() in _GIVEN_NAMES:
        return False
    if _POSSESSIVE.search(words[-1]) and not phrase.endswith("s'"):  # "Abdoul Hakoum's", "Africa’s"
        return False
    return not re.fullmatch(r"[A-Z]{2,6}s?", phrase)  # acronyms are organisations, not places


def _person(text: str, start: int, end: int) -> bool:
    """A name written as a person: after a title ("commander X", "according to X") or before "said"."""
    return bool(_PERSON_BEFORE.search(text[:start]) or _PERSON_AFTER.match(text[end:]))


def _trim(part: str) -> str:
    """Drop leading capitalised function words: "The Tchoma Bangou" -> "Tchoma Bangou"."""
    words = part.split()
    while len(words) > 1 and words[0].lower() in _NOT_PLACE:
        words.pop(0)
    return " ".join(words)


def _country(phrase: str) -> bool:
    return phrase.casefold() in _COUNTRIES


def _mask(sentence: str, spans: list[tuple[int, int]]) -> str:
    """``sentence`` with ``spans`` overwritten by a non-word character, keeping every offset."""
    chars = list(sentence)
    for start, end in spans:
        chars[start:end] = "§" * (end - start)
    return "".join(chars)


def place_groups(sentence: str, blocked: list[tuple[int, int]] = ()) -> list[PlaceGroup]:
    """Candidate place phrases of ``sentence`` in the order the geocoder should try them.

    Phrases: settlement names after a preposition ("in X", "near X", "the village of X"), the object of a
    violence verb ("attacked X"), the subject of a passive one ("X was attacked"), names before an event noun
    ("the Tchoma Bangou and Zaroumdareye massacres", "the Solhan massacre"); region phrases ("Mali's Menaka
    region"); border phrases ("the Malian-Mauritanian border"); country-sized names ("in Mali", "the Sahel": the
    caller refuses them as too vague). Names joined by "and"/commas form one group.

    Order: the phrases tied to the violence first (``distance`` to the nearest violence word up to
    :data:`STRONG_TIE`), then settlement before region before border before country, then the closer one.
    Places inside time or comparison clauses get role ``reference`` and regions or countries written right
    after a settlement ("Tillia, Tahoua Region, Niger") role ``container``: both come last and are never the
    place of the violence. Actor names and ``blocked`` spans (dates) are masked first; month names, demonyms,
    acronyms, possessives ("Africa's"), person names and function words never start a place.
    """
    institutions = [m.span("name") if m.group("name") else m.span("capital")
                    for m in _INSTITUTION_OF.finditer(sentence)
                    if m.group("name") or not _country(m.group("capital"))]  # fmt: skip
    text = _mask(sentence, [*blocked, *actor_spans(sentence), *institutions]).replace("#", " ")
    text = re.sub(r"@\w+", lambda handle: "§" * len(handle.group(0)), text)
    groups: list[PlaceGroup] = []
    for match in _RELATIVE_PLACE.finditer(text):
        name = _trim(match.group("names"))
        if not _is_name(name) or _country(name):
            continue
        groups.append(PlaceGroup("name", (name,), (f"near {name}",), match.start(), match.end("names"),
                                 relation=sentence[match.start() : match.end()], offset=_offset(match)))  # fmt: skip
    text = _mask(text, [match.span() for match in _RELATIVE_PLACE.finditer(text)])
    for match in _ROAD_PAIR.finditer(text):
        names = tuple(re.split(r"\s*[-–—]\s*", match.group("names")))
        if all(_is_name(name) and not _country(name) for name in names):
            road = re.search(r"(?:on|along|off)\s+the\s+$", text[: match.start()], re.IGNORECASE)
            relation = sentence[road.start() if road else match.start() : match.end()]
            groups.append(PlaceGroup("name", names, tuple(f"near {name}" for name in names), match.start(),
                                     match.end(), route=True, relation=relation))  # fmt: skip
    text = _mask(text, [match.span() for match in _ROAD_PAIR.finditer(text)])
    for match in _ROAD_LINKING.finditer(text):
        names = (_trim(match.group("a")), _trim(match.group("b")))
        if all(_is_name(name) and not _country(name) for name in names):
            relation = sentence[match.start() : match.end()]
            groups.append(PlaceGroup("name", names, tuple(f"near {name}" for name in names), match.start("a"),
                                     match.end(), route=True, relation=relation))  # fmt: skip
    text = _mask(text, [match.span() for match in _ROAD_LINKING.finditer(text)])
    for match in _COMPASS_COUNTRY.finditer(text):
        region = _COMPASS_REGION[match.group("compass").lower()]
        groups.append(PlaceGroup("region", (f"{region} region",), (f"{region} region",), match.start(), match.end(),
                                 hints=("Burkina Faso",), relation=f"in {match.group(0)} (region-level)"))  # fmt: skip
    text = _mask(text, [match.span() for match in _COMPASS_COUNTRY.finditer(text)])
    for match in _BORDER.finditer(text):
        phrase = match.group("phrase")
        query = _with_near(text, match.start(), phrase)
        groups.append(PlaceGroup("border", (phrase,), (query,), match.start(), match.end(), relation=query))
    text = _mask(text, [match.span() for match in _BORDER.finditer(text)])
    regions, position = [], 0
    while (match := _REGION.search(text, position)) is not None:
        if not _is_name(match.group("name")):  # "In Burkina Faso's Nord region": try again from the next word
            position = match.start() + len(match.group(0).split()[0]) + 1
            continue
        position = match.end()
        regions.append(match.span())
        if not _country(match.group("name")) and not _country(match.group("name").split()[-1]):  # "Africa's Sahel"
            phrase = match.group("phrase")
            groups.append(PlaceGroup("region", (phrase,), (phrase,), match.start(), match.end(),
                                     relation=f"in {phrase} (region-level)"))  # fmt: skip
    text = _mask(text, regions)
    seen: set[int] = set()
    regexes = (_LISTED_PLACES, _CAPITAL, _CALLED_PLACE, _PAIR_BEFORE_EVENT, _ONE_BEFORE_EVENT, _PASSIVE_SUBJECT,
               _OBJECT_OF_VERB, _PLACE_AFTER_PREPOSITION)  # fmt: skip
    for regex in regexes:
        for match in regex.finditer(text):
            if match.start("names") in seen:
                continue
            seen.add(match.start("names"))
            offset = match.start("names")
            names, countries = [], []
            for part in _SPLIT_NAMES.split(match.group("names")):
                trimmed = _trim(part)
                at = offset + match.group("names").index(part) + part.index(trimmed) if trimmed in part else offset
                if _country(trimmed):
                    countries.append(trimmed)
                elif _is_name(trimmed) and (regex is _CALLED_PLACE or not _person(text, at, at + len(trimmed))):
                    names.append(trimmed)
            near = match.groupdict().get("prep", "") or ""
            route = near.lower() == "between" and len(names) >= 2
            cost = _PREPOSITION_COST.get(near.lower(), 0)
            if near.lower() in ("to", "towards", "toward") and _ROAD_BEFORE.search(text[: match.start("prep")]):
                cost += 150  # "on the road to X": where the road leads
            near = " ".join(near.lower().split())
            near = "near" if near in _NEAR_WORDS or _COMPASS_RE.match(near) else ""
            if match.groupdict().get("area"):
                near = "near"
            relation = ""
            between = (match.groupdict().get("prep") or "").lower() == "between"
            road_before = _ROAD_WORDS.search(text[: match.start("prep")]) if between else None
            route = route or (road_before is not None and len(names) == 1)  # "the road between Fada and the mine"
            if route:  # "on the road between X and Y": near X (ACLED: the nearest named place), the road in geo_note
                near = "near"
                road = _ROAD_WORDS.search(text[: match.start("prep")])
                relation = sentence[road.start() if road else match.start("prep") : match.end("names")]
            if names:
                queries = tuple(f"{near} {name}".strip() for name in names)
                end = match.end("area") if match.groupdict().get("area") else match.end("names")
                groups.append(PlaceGroup("name", tuple(names), queries, match.start("names"), end, distance=cost,
                                         route=route, relation=relation))  # fmt: skip
            if countries:
                groups.append(
                    PlaceGroup("country", tuple(countries), tuple(countries), match.start("names"), match.end("names"))
                )
        text = _mask(text, [match.span("names") for match in regex.finditer(text)])
    return _rank(sentence, groups)


def _rank(sentence: str, groups: list[PlaceGroup]) -> list[PlaceGroup]:
    """Roles, ties to the violence and the order described in :func:`place_groups`."""
    references = reference_spans(sentence)
    anchors = violence_words(sentence)
    groups = sorted(groups, key=lambda group: group.start)
    ranked: list[PlaceGroup] = []
    for position, group in enumerate(groups):
        role, hints = "event", ()
        if _inside(group.start, references) or (group.relation and _DESCRIBES.search(sentence[: group.start])):
            role = "reference"
        elif position > 0 and (group.kind in ("region", "country") or _UNIT_OF.search(sentence[: group.start])):
            before = groups[position - 1]
            if before.kind in ("name", "region") and before.end <= group.start:
                gap = _UNIT_OF.sub("", sentence[before.end : group.start])
                if _CONTAINER_GAP.match(gap):
                    role = "container"
        distance = group.distance + min((_gap(sentence, group, anchor) for anchor in anchors), default=10_000)
        ranked.append(replace(group, role=role, distance=distance, hints=hints))
    # Containers narrow the search for the settlement (or region) written just before them.
    for position, group in enumerate(ranked):
        if group.role == "container":
            owner = next(i for i in range(position - 1, -1, -1) if ranked[i].role != "container")
            ranked[owner] = replace(ranked[owner], hints=(*ranked[owner].hints, group.names[0]))
            # A container inherits nothing; its owner's tie is the tighter of the two.
            ranked[owner] = replace(ranked[owner], distance=min(ranked[owner].distance, group.distance))
    # "at Boukouma, some 20 km from Arbinda": the town a village is measured from is the village's fallback, as
    # tightly tied as the village (ACLED places an unknown village at the nearest named place, precision 2).
    for position, group in enumerate(ranked):
        if position and group.relation and group.kind == "name" and group.role == "event":
            owner = ranked[position - 1]
            gap = sentence[owner.end : group.start]
            attached = len(gap) <= 45 and not re.search(r"[;:()—–]|\s-\s", gap) and not _EVENT_RE.search(gap)
            if owner.kind == "name" and owner.role == "event" and not owner.relation and attached:
                ranked[position] = replace(group, distance=min(group.distance, owner.distance + 1))
    rank = {"name": 0, "region": 1, "border": 2, "country": 3}
    role_rank = {"event": 0, "container": 1, "reference": 2}
    return sorted(
        ranked,
        key=lambda g: (role_rank[g.role], g.distance > STRONG_TIE, rank[g.kind], g.distance, g.start),
    )


def _gap(sentence: str, group: PlaceGroup, anchor: tuple[int, int]) -> int:
    """Characters between a place phrase and a violence word, plus 40 per comma and 150 per clause break."""
    if group.start <= anchor[0] < group.end:
        return 0
    between = sentence[group.end : anchor[0]] if group.end <= anchor[0] else sentence[anchor[1] : group.start]
    return len(between) + 40 * between.count(",") + 150 * len(re.findall(r"[;:()—–]|\s-\s", between))


def _offset(match: re.Match[str]) -> tuple[float, float] | None:
    """(km, bearing degrees) of a relative place that gives both; None without a bearing or a readable number."""
    bearing = match.group("bearing")
    if not bearing:
        return None
    number = match.group("km").replace(",", ".")
    value = float(number) if re.fullmatch(r"\d+(?:\.\d+)?", number) else parse_number(number)
    if value is None:
        return None
    if match.group("unit").lower() == "miles":
        value *= 1.609344
    return float(value), float(_BEARING_DEGREES[re.sub(r"[\s-]", "", bearing.lower())])


def _with_near(text: str, start: int, phrase: str) -> str:
    before = _PREPOSITION_BEFORE.search(text[:start])
    if before and before.group("prep").lower() in _NEAR_WORDS:
        return f"{before.group('prep').lower()} {phrase}"
    return phrase
