"""Rules that read one English sentence: is it a violent event, of what type, and where (place phrases).

Pure functions over strings, no I/O; ``geodata.text.extract`` runs them sentence by sentence. Who fought is
``geodata.text.actors``, how many died ``geodata.text.tolls``. The choices (event words, place phrase order) are
documented on each function and in ``geodata/text/extract.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from geodata.text.actors import _DEMONYM, actor_spans
from geodata.text.numbers import NUMBER_WORD, parse_number

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
    r"attacks?|attacked|attacking|kill(?:s|ed|ing|ings)?|slain|murder(?:s|ed)?|deaths?|dead|died|bodies|corpses"
    r"|hit(?=\s+#?(?-i:[A-ZÀ-Ý]))"  # "gunmen hit #Solhan", not "hit hard"
    r"|open(?:ed|ing|s)?\s+fire|fired\s+(?:on|at|upon|into)|shot\s+at|gunned\s+down"
    r"|(?:death\s+)?toll(?=\s+(?:\w+\s+){0,3}?(?:rose|risen|climbed|increased|jumped|stands|stood|reached)\b)"
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
    " one two three four five six seven eight nine ten eleven twelve dozens hundreds thousands"
    # headline-case words before "attack" ("Gun attack on base in X", "Deadly attack", "Suicide bombing")
    " gun suicide deadly twin double triple drone terror terrorist jihadist militant bomb".split()
)

_PLACE_AFTER_PREPOSITION = re.compile(
    rf"\b(?P<prep>(?i:{_PREPOSITIONS}))\s+(?:(?i:the\s+)?(?:towns?|villages?|city|cities|communes?|localit(?:y|ies)|hamlets?|camps?)\s+of\s+"
    # "in a nearby locality, Gossi", "in the small village Kodyel": the settlement word's name
    rf"|(?i:(?:an?|the)\s+(?:nearby\s+|small\s+|neighbou?ring\s+|remote\s+)?(?:village|locality|hamlet))(?:,\s*|\s+)"
    rf"|(?i:the)\s+(?=[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*)?\s+(?i:area|zone|sector|axis|outskirts|vicinity"
    rf"|settlement|village|town|locality|hamlet)\b))?"  # "in the Yirgou settlement": its name
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
# "the region of Timbuktu", "the province of Soum": the region, not its capital town
_REGION_OF = re.compile(rf"(?P<phrase>\b(?i:the)\s+(?P<word>(?i:region|province))\s+of\s+(?P<name>{_NAME}))\b")
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
# "Burkina's northern Sahel region", "the Sahel region of Burkina Faso", "the Sahel region's Seno province": the
# Burkinabe region named Sahel (capital Dori), not the belt across Africa that "the Sahel region" alone names.
_BURKINA_SAHEL = re.compile(
    r"\bBurkina(?:\s+Faso)?['’]s\s+(?:(?:far\s+)?(?i:north(?:ern|-eastern|eastern)?)\s+)?Sahel\s+[Rr]egion\b"
    r"|\b(?:(?i:the)\s+)?Sahel\s+[Rr]egion(?:\s+of\s+Burkina(?:\s+Faso)?\b|['’]s(?=\s+[A-ZÀ-Ý]))"
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
    rf"|just|barely|only|at\s+least|a\s+few)\s+)?(?P<km>\d+(?:[.,]\d+)?|{NUMBER_WORD}(?:[\s-]+(?:and\s+)?"
    rf"{NUMBER_WORD})*)\s*-?\s*(?P<unit>km|kms|kilomet(?:re|er)s?|miles)\b(?:\s*\([^)]{{1,25}}\))?\s+"
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
# "the Segue and Sonfounou villages", "hit both A and B villages": settlements named before their plural noun (the noun
# ends the group, so a unit written after it, "... villages in the Bankass cercle", is the group's container). People's
# names before "villages" ("Fulani and Dogon villages") are no places.
_PEOPLES = (r"Fulani|Fula|Peulh?s?|Dogons?|Mossi|Tuaregs?|Bambaras?|Songhai|Songhay|Bozos?|Hausas?|Zarmas?|Djermas?"
            r"|Arabs?|Christians?|Muslims?|Gourmantch[eé]|Foulc?s[eé]|Kurumbas?|Dozos?|Daoussahaq|Idaksahak|Other")
_BEFORE_SETTLEMENT_NOUN = re.compile(
    rf"(?<![\w'’-])(?!(?:{_PEOPLES})\b)(?P<names>{_NAMES})(?P<noun>\s+(?i:villages|towns|hamlets|localities))\b"
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


# Violence spoken of as a trend or a threat, no incident: "an increase in attacks", "a wave of killings", "the threat
# of attacks", "threatened to attack", "could strike".
_NO_INCIDENT_BEFORE = re.compile(
    r"\b(?:(?:increase|rise|surge|upsurge|spike|escalation|resurgence|uptick|wave|spate|proliferation)s?\s+(?:in"
    r"|of)|(?:threat|risk|fear|danger|possibility|prospect|warning)s?\s+of|(?:threaten(?:ed|s|ing)?|vow(?:ed|s|ing)?"
    r"|plan(?:s|ned|ning)?|intend(?:s|ed)?|(?-i:could|may|might))(?:\s+to)?)\s+(?:[\w-]+\s+){0,2}?$",
    re.IGNORECASE,
)


def _own_violence(sentence: str) -> list[re.Match[str]]:
    """Violence words outside time and comparison clauses, not negated ("had not been attacked since 2015"), not a
    trend or a threat ("an increase in attacks")."""
    references = reference_spans(sentence)
    return [
        m
        for m in _EVENT_RE.finditer(sentence)
        if not _inside(m.start(), references) and not _NEGATED.search(sentence[: m.start()])
        and not _NO_INCIDENT_BEFORE.search(sentence[max(0, m.start() - 60) : m.start()])
    ]


# Analysis and presence, not an incident: "extremists are known to be active in the region", "analysts say",
# "the group has tightened its grip on the north", "this is not an isolated incident".
_ANALYSIS = re.compile(
    r"\b(?:(?:are|is|were|was|remain|remains|have\s+been|has\s+been)\s+(?:\w+\s+){0,2}?(?:active|present|operating"
    r"|entrenched|rampant)\s+(?:in|across|throughout|around)\b)"
    r"|\b(?:analysts?|experts?|observers?|researchers?|specialists?)\s+(?:say|says|said|believe|believed|note|noted"
    r"|warn|warned|argue|argued|explain|explained)\b|\baccording\s+to\s+(?:\w+\s+)?(?:analysts?|experts?|observers?)\b"
    r"|\b(?:has|have)\s+(?:\w+\s+)?(?:tightened|expanded|extended|consolidated|strengthened|reinforced)\s+(?:its|their)"
    r"\s+(?:control|grip|hold|presence|influence|foothold)\b|\bnot\s+an\s+isolated\s+(?:incident|case|attack)\b",
    re.IGNORECASE,
)


def analysis(sentence: str) -> bool:
    """True for a sentence of analysis or presence ("jihadists are active in the region", "analysts say", "the group
    has tightened its grip"): without a date of its own it tells no incident."""
    return _ANALYSIS.search(sentence) is not None


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

    Each step reads the text as the steps before it left it: what a step claims is masked, so a later, looser
    pattern cannot read the same words again.
    """
    text = _masked_for_places(sentence, blocked)
    groups: list[PlaceGroup] = []
    for step in (_relative_places, _road_pairs, _roads_linking, _compass_regions, _borders, _regions,
                 _named_places):  # fmt: skip
        found, text = step(sentence, text)
        groups.extend(found)
    return _rank(sentence, groups)


def _masked_for_places(sentence: str, blocked: list[tuple[int, int]]) -> str:
    """``sentence`` with what is never a place masked: ``blocked`` spans (dates), actor names, institutions named
    ("the government of X", "the authorities in Ouagadougou"), social-media handles; "#" read as a space."""
    institutions = [m.span("name") if m.group("name") else m.span("capital")
                    for m in _INSTITUTION_OF.finditer(sentence)
                    if m.group("name") or not _country(m.group("capital"))]  # fmt: skip
    text = _mask(sentence, [*blocked, *actor_spans(sentence), *institutions]).replace("#", " ")
    return re.sub(r"@\w+", lambda handle: "§" * len(handle.group(0)), text)


def _relative_places(sentence: str, text: str) -> tuple[list[PlaceGroup], str]:
    """Settlements placed by distance or direction ("about 90 km east of Timbuktu"): queried as "near X", with
    the phrase as the relation and the (km, bearing) offset where the text gives both."""
    groups = []
    for match in _RELATIVE_PLACE.finditer(text):
        name = _trim(match.group("names"))
        if not _is_name(name) or _country(name):
            continue
        groups.append(PlaceGroup("name", (name,), (f"near {name}",), match.start(), match.end("names"),
                                 relation=sentence[match.start() : match.end()], offset=_offset(match)))  # fmt: skip
    return groups, _mask(text, [match.span() for match in _RELATIVE_PLACE.finditer(text)])


def _road_pairs(sentence: str, text: str) -> tuple[list[PlaceGroup], str]:
    """Roads written as their two ends ("on the Djibo-Ouagadougou road"): one route group, each end "near"."""
    groups = []
    for match in _ROAD_PAIR.finditer(text):
        names = tuple(re.split(r"\s*[-–—]\s*", match.group("names")))
        if all(_is_name(name) and not _country(name) for name in names):
            road = re.search(r"(?:on|along|off)\s+the\s+$", text[: match.start()], re.IGNORECASE)
            relation = sentence[road.start() if road else match.start() : match.end()]
            groups.append(PlaceGroup("name", names, tuple(f"near {name}" for name in names), match.start(),
                                     match.end(), route=True, relation=relation))  # fmt: skip
    return groups, _mask(text, [match.span() for match in _ROAD_PAIR.finditer(text)])


def _roads_linking(sentence: str, text: str) -> tuple[list[PlaceGroup], str]:
    """Roads written as linking two places ("the road linking X to Y"): one route group, each end "near"."""
    groups = []
    for match in _ROAD_LINKING.finditer(text):
        names = (_trim(match.group("a")), _trim(match.group("b")))
        if all(_is_name(name) and not _country(name) for name in names):
            relation = sentence[match.start() : match.end()]
            groups.append(PlaceGroup("name", names, tuple(f"near {name}" for name in names), match.start("a"),
                                     match.end(), route=True, relation=relation))  # fmt: skip
    return groups, _mask(text, [match.span() for match in _ROAD_LINKING.finditer(text)])


def _compass_regions(sentence: str, text: str) -> tuple[list[PlaceGroup], str]:
    """A compass part of Burkina Faso ("eastern Burkina Faso") or its Sahel region ("Burkina's northern Sahel
    region", not the belt across Africa): the region it names, hinted to that country."""
    groups = []
    for match in _COMPASS_COUNTRY.finditer(text):
        region = _COMPASS_REGION[match.group("compass").lower()]
        groups.append(PlaceGroup("region", (f"{region} region",), (f"{region} region",), match.start(), match.end(),
                                 hints=("Burkina Faso",), relation=f"in {match.group(0)} (region-level)"))  # fmt: skip
    text = _mask(text, [match.span() for match in _COMPASS_COUNTRY.finditer(text)])
    for match in _BURKINA_SAHEL.finditer(text):
        groups.append(PlaceGroup("region", ("Sahel region",), ("Sahel region",), match.start(), match.end(),
                                 hints=("Burkina Faso",), relation=f"in {match.group(0)} (region-level)"))  # fmt: skip
    return groups, _mask(text, [match.span() for match in _BURKINA_SAHEL.finditer(text)])


def _borders(sentence: str, text: str) -> tuple[list[PlaceGroup], str]:
    """Border phrases ("the Malian-Mauritanian border"), queried with the preposition before them when it is a
    "near" word ("near the border with Mali")."""
    groups = []
    for match in _BORDER.finditer(text):
        phrase = match.group("phrase")
        query = _with_near(text, match.start(), phrase)
        groups.append(PlaceGroup("border", (phrase,), (query,), match.start(), match.end(), relation=query))
    return groups, _mask(text, [match.span() for match in _BORDER.finditer(text)])


def _regions(sentence: str, text: str) -> tuple[list[PlaceGroup], str]:
    """Region phrases ("Mali's Menaka region"); one whose name is a country or a continent's ("Africa's Sahel")
    is masked but not kept, and one that does not start with a name is tried again from its next word."""
    groups, regions, position = [], [], 0
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
    for match in _REGION_OF.finditer(text):  # "the region of Timbuktu": queried as "Timbuktu region"
        if not _is_name(match.group("name")) or _country(match.group("name")):
            continue
        regions.append(match.span())
        phrase, query = match.group("phrase"), f"{match.group('name')} {match.group('word').lower()}"
        groups.append(PlaceGroup("region", (phrase,), (query,), match.start(), match.end(),
                                 relation=f"in {phrase} (region-level)"))  # fmt: skip
    return groups, _mask(text, regions)


_NAMED_PLACE_PATTERNS = (_LISTED_PLACES, _CAPITAL, _CALLED_PLACE, _PAIR_BEFORE_EVENT, _ONE_BEFORE_EVENT,
                         _BEFORE_SETTLEMENT_NOUN, _PASSIVE_SUBJECT, _OBJECT_OF_VERB,
                         _PLACE_AFTER_PREPOSITION)  # fmt: skip


def _named_places(sentence: str, text: str) -> tuple[list[PlaceGroup], str]:
    """Settlement and country names by the patterns of :data:`_NAMED_PLACE_PATTERNS`, tightest first; a list
    of names is read once, by the first pattern that finds it, and each pattern masks what it read."""
    groups: list[PlaceGroup] = []
    seen: set[int] = set()
    for regex in _NAMED_PLACE_PATTERNS:
        for match in regex.finditer(text):
            if match.start("names") in seen:
                continue
            seen.add(match.start("names"))
            groups.extend(_named_group(sentence, text, regex, match))
        text = _mask(text, [match.span("names") for match in regex.finditer(text)])
    return groups, text


def _names_and_countries(text: str, regex: re.Pattern[str], match: re.Match[str]) -> tuple[list[str], list[str]]:
    """The parts of a match's list of names that are settlement names, and those that are countries; person
    names are dropped, except after "a village called" (:data:`_CALLED_PLACE`)."""
    offset = match.start("names")
    names, countries = [], []
    for part in _SPLIT_NAMES.split(match.group("names")):
        trimmed = _trim(part)
        at = offset + match.group("names").index(part) + part.index(trimmed) if trimmed in part else offset
        if _country(trimmed):
            countries.append(trimmed)
        elif _is_name(trimmed) and (regex is _CALLED_PLACE or not _person(text, at, at + len(trimmed))):
            names.append(trimmed)
    return names, countries


def _named_group(sentence: str, text: str, regex: re.Pattern[str], match: re.Match[str]) -> list[PlaceGroup]:
    """The settlement group and the country group of one match: the preposition sets the query ("near X"), the
    cost of the tie (more for "on the road to X", where the road leads) and whether it is a route ("between")."""
    names, countries = _names_and_countries(text, regex, match)
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
    groups = []
    if names:
        queries = tuple(f"{near} {name}".strip() for name in names)
        end = next((match.end(part) for part in ("area", "noun") if match.groupdict().get(part)), match.end("names"))
        groups.append(PlaceGroup("name", tuple(names), queries, match.start("names"), end, distance=cost,
                                 route=route, relation=relation))  # fmt: skip
    if countries:
        groups.append(
            PlaceGroup("country", tuple(countries), tuple(countries), match.start("names"), match.end("names"))
        )
    return groups


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
    # "at Boukouma, some 20 km from Arbinda", "in Boukouma, a village near Arbinda": the town a village is measured
    # from or said to be near is the village's fallback, as tightly tied as the village (ACLED places an unknown
    # village at the nearest named place, precision 2).
    for position, group in enumerate(ranked):
        near = group.queries[0].startswith("near ") and not group.route
        if position and (group.relation or near) and group.kind == "name" and group.role == "event":
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
