"""How many died, by one English sentence: figures of dead, who they were, competing tolls and whose they are.

Pure functions over strings, no I/O; ``geodata.text.extract`` runs them sentence by sentence (the rules are on
:func:`find_fatalities`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geodata.text.numbers import NUMBER, NUMBER_WORD, parse_number
from geodata.text.rules import _mask, reference_spans

# Vague counts as (low, high): "dozens" is 24 to 99 (two dozen up to a hundred), "hundreds" 200 to 999.
_VAGUE = {"dozens": (24, 99), "scores": (40, None), "hundreds": (200, 999), "thousands": (2000, None),
          "tens": (20, 99)}
# Nationals in the plural, nouns only ("24 Burkinabe soldiers" are soldiers): people, but soldiers as often as not
# ("five Nigeriens and four Americans were killed" in an ambush on a patrol), so their category stays unknown.
_NATIONALS = (
    r"(?:Malians|Nigeriens|Nigériens|Nigerians|Burkinab[eè]s?|Americans|Europeans|Westerners|Frenchmen|Canadians"
    r"|Chadians|Mauritanians|Togolese|Beninese|Ivorians|Ghanaians|Algerians|Libyans|Senegalese|Guineans|Germans"
    r"|Italians|Spaniards|Belgians|Britons|Russians|Ukrainians|Moroccans|Turks|Chinese|Swiss|Dutch|Austrians)"
    r"(?!\s+(?:[\w-]+\s+)?(?:soldiers|troops|civilians|gendarmes|police\w*|nationals|citizens|people|men|women|workers"
    r"|officers|personnel|volunteers|fighters|militants|army|military|forces|guards|peacekeepers|hostages|tourists))"
)
_PERSON = (
    r"(?:police|security|army|military|defen[cs]e)\s+(?:personnel|officers|agents|members)|people|persons|civilians|villagers|residents|inhabitants|soldiers|troops|fighters|militants|jihadists"
    r"|insurgents|members|militiamen|militia\s+members|gendarmes|police(?:men)?|officers|men|women|children"
    r"|worshippers|herders|farmers|traders|passengers|victims|assailants|attackers|terrorists|combatants|volunteers"
    r"|dozos|recruits|mercenaries|bodies|others|individuals|personnel|peacekeepers|hostages|jihadis|rebels"
    r"|pupils|students|schoolchildren|boys|girls|babies|infants|mourners|guests|shoppers|miners|gold\s+miners"
    r"|fishermen|pastoralists|refugees|displaced\s+people|patients|teachers|chiefs|elders|notables|drivers"
    r"|auxiliaries|guards|guardsmen|conscripts|cadets|trainees|foreigners|expatriates|tourists|customers|workers"
    r"|employees|contractors|nationals|hunters|(?:suicide\s+)?bombers|lives"
    r"|" + _NATIONALS
)
_QUALIFIER = (
    r"(?P<q>at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|well\s+over|more\s+than|over|upwards\s+of|in\s+excess\s+of|about|around|approximately|roughly"
    r"|some|an\s+estimated|nearly|almost|close\s+to|up\s+to|as\s+many\s+as|fewer\s+than|less\s+than|at\s+most)"
)
# "a dozen" 12, "half a dozen" 6, "two dozen" 24 ("more than two dozen": at least 24).
_DOZEN = rf"(?:an?|one|half\s+a|{NUMBER})\s+dozen(?!s)"
# Words that end the gap between a number and its people noun ("2022 left dozens of fighters" is not 2022 fighters).
_TAIL_STOP = (rf"(?:and|or|were|was|had|have|left|killed|dozens|scores|hundreds|thousands|\d+|{NUMBER_WORD}"
              r"|wounded|injured|hurt|kidnapped|abducted|missing|when|while|after|as|by)\b")
_FIGURE = re.compile(
    rf"\b(?<!\bno\s)(?<!\bno-)(?:{_QUALIFIER}\s+)?(?:between\s+(?P<lo>{NUMBER})\s+and\s+(?P<hi>{NUMBER})"
    rf"|(?P<lo2>{NUMBER})(?:\s*[–—]\s*|\s+(?:to|or)\s+|(?<=\d)-(?=\d))(?P<hi2>{NUMBER})"
    rf"|(?P<dozen>{_DOZEN})"
    rf"|(?P<vague>(?:several\s+)?(?:dozens|scores|hundreds|thousands|tens)|several\s+dozen)(?:\s+of)?"
    rf"|(?P<n>{NUMBER}))"
    rf"(?P<tail>(?:\s+(?!{_TAIL_STOP})[\w'’-]+){{0,3}}?\s+(?:{_PERSON})\b"
    rf"|\s+(?:were\s+|was\s+|people\s+|(?:had|have)\s+(?:been\s+)?)?(?:killed|dead|died|slain|executed|massacred"
    rf"|fatalities|deaths|neutrali[sz]ed)\b)",
    re.IGNORECASE,
)
# What a verb's figure counts when it is no people: "executed two strikes", "left three vehicles burnt out".
_NOT_PEOPLE_AFTER = (
    r"(?!\s+(?:[\w-]+\s+)?(?:(?:air|drone)?strikes?|raids?|attacks?|operations?|sorties|missions?|vehicles?|cars?"
    r"|motorcycles?|motorbikes?|trucks?|pick-?ups?|buildings?|houses?|homes?|shops?|kilomet(?:re|er)s?|km|miles?"
    r"|days?|hours?|weeks?|months?|years?|times|rounds?|shots?|rockets?|shells?|bombs?|mines?)\b)"
)
_KILL_VERB_FIGURE = re.compile(
    rf"\b(?:killing|killed|kills|massacring|massacred|executing|executed"
    # "the toll rose to", "the death toll has risen to", "the toll now stands at", "a toll of"
    rf"|toll\s+(?:(?:has|had|have|now|officially|then|later|since)\s+)*(?:of|(?:rose|risen|climbed|increased|jumped"
    rf"|grew|gone\s+up|went\s+up)\s+to|reached|(?:stands?|stood)\s+at|at)"
    rf"|put\s+the\s+(?:death\s+)?(?:toll|number\s+of\s+(?:dead|deaths|victims)|figure)\s+at"
    rf"|claimed\s+the\s+lives\s+of|left|(?:the\s+)?loss\s+of|neutrali[sz]ing|neutrali[sz]ed)\s+(?:{_QUALIFIER}\s+)?(?:(?P<dozen>{_DOZEN})|(?P<n>{NUMBER})(?![\w-])"
    rf"|(?P<vague>dozens|scores|hundreds|several\s+dozen)(?![\w-])){_NOT_PEOPLE_AFTER}",
    re.IGNORECASE,
)
# The dead written one by one with the article: "a peacekeeper was killed", "a UN peacekeeper and a Malian soldier
# were killed" (one each), and after a figure: "killing three foreigners, a Malian civilian and a soldier" (five).
_SINGULAR = (
    r"(?:soldier|peacekeeper|gendarme|police(?:man|\s+officer)|officer|civilian|villager|resident|guard|volunteer"
    r"|militiaman|fighter|militant|jihadist|attacker|assailant|man|woman|child|boy|girl|driver|trader|herder|farmer"
    r"|teacher|worker|miner|chief|imam|passenger|contractor|foreigner|national|employee|person|rebel|insurgent"
    r"|terrorist|gunman|bandit|hunter|dozo|pupil|student|nurse|doctor|journalist|official|mayor|priest|pastor"
    r"|catechist|councill?or|elder|shepherd|fisherman|hostage|prisoner|auxiliary|policeman|guardsman|militia\s+member)"
)
_ONE_ITEM = rf"(?:an?|one)\s+(?:(?!and\b)[A-Za-z'’-]+\s+){{0,2}}{_SINGULAR}\b"
_ONE_DEAD = re.compile(
    rf"\b(?<!\bno\s)(?P<n>{_ONE_ITEM}(?:(?:\s*,\s*(?:and\s+)?|,?\s+and\s+){_ONE_ITEM})*)"
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
# "a chief who was killed along with four other people": the one and the others, five.
_WITH_OTHERS = re.compile(
    rf"\b(?:was|had\s+been|has\s+been)\s+(?:\w+\s+)?(?:killed|shot\s+dead|executed|murdered|slain)\s+(?:along"
    rf"|together)\s+with\s+(?:{_QUALIFIER}\s+)?(?P<n>{NUMBER})\s+others?\b",
    re.IGNORECASE,
)
# "five guards were killed together with a policeman and a contractor": one more for each named after the verb.
_KILLED_WITH_SINGLES = re.compile(
    r"^\s+(?:were|was|had\s+been|have\s+been)\s+(?:\w+\s+)?(?:killed|shot\s+dead|executed|murdered|slain)\s+"
    rf"(?:along|together)\s+with\s+(?P<items>{_ONE_ITEM}(?:(?:\s*,\s*(?:and\s+)?|,?\s+and\s+){_ONE_ITEM})*)",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"\b(?:an?|one)\s", re.IGNORECASE)
_KILLED_LEAD = re.compile(r"\s*(?:killing|killed|left|leaving)\b", re.IGNORECASE)
# Singles named before a figure of the same dead: "a gendarme and four civilians were killed".
_LEADING_SINGLES = re.compile(
    rf"(?:^|[.;:—–-]\s*|\b(?:killing|killed|left|leaving)\s+)(?P<items>{_ONE_ITEM}(?:\s*,\s*{_ONE_ITEM})*)"
    r"(?:\s*,)?\s+(?:and|as\s+well\s+as|plus)\s+$",
    re.IGNORECASE,
)


_KILL_CUE = re.compile(
    r"\b(?:kill\w*|dead|deaths?|died|massacre\w*|execut\w*|slain|murder\w*|fatalit\w*"
    r"|casualt\w*|lives|toll|bodies|perished|lost|loss|himself|herself|neutrali[sz]\w*)\b",
    re.IGNORECASE,
)
# A suicide bomber who dies by his own bomb is the incident's one death when the text counts no other.
_SELF_KILLED = re.compile(
    r"\bbomber\b[^.;]{0,50}?\b(?:(?:blew|blown|blowing)\s+(?:himself|herself)\s+up"
    r"|kill(?:ed|ing)\s+(?:only\s+)?(?:himself|herself))",
    re.IGNORECASE,
)
# "No one was killed", "there were no casualties": a toll of zero, when the sentence gives no other figure and
# speaks of no other side ("no casualties among the troops", "no one else was hurt" are not the incident's toll).
_NOBODY = re.compile(
    r"\b(?<!\bother\s)(?:no\s+one|no-one|nobody)\s+(?!else\b)(?:(?:was|were|has\s+been|had\s+been|have\s+been)\s+)"
    r"(?:\w+\s+)?(?:killed|hurt|injured|wounded|harmed)\b(?!\s+(?:among|in\s+the\s+ranks|on\s+the\s+side))"
    r"|\bno\s+(?:casualties|deaths|fatalities|loss\s+of\s+life)\b(?!\s+(?:among|in\s+the\s+ranks|on\s+the\s+side"
    r"|on\s+(?:our|their)\s+side))",
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
# Floors that exclude the figure itself: a round count ("a dozen") beyond them is one more. A figure written in digits
# keeps the figure ("more than 70": 70, as ACLED and the labels code it).
_BEYOND = {"more than", "over", "upwards of", "in excess of", "well over"}
_CEILING = {"up to", "as many as", "fewer than", "less than", "at most", "nearly", "almost", "close to"}


@dataclass(frozen=True)
class Fatalities:
    """Best figure and the bracket the text gives; None where unknown."""

    best: int | None
    low: int | None
    high: int | None


def _dozen(words: str) -> int | None:
    """``"a dozen"`` -> 12, ``"half a dozen"`` -> 6, ``"two dozen"`` -> 24."""
    head = re.sub(r"\s+dozen$", "", words.strip().lower())
    if head.startswith("half"):
        return 6
    count = 1 if head in ("a", "an", "one") else parse_number(head)
    return None if count is None else 12 * count


def _one_figure(match: re.Match[str]) -> Fatalities | None:
    groups = match.groupdict()
    qualifier = re.sub(r"\s+", " ", (groups.get("q") or "").lower())
    if groups.get("dozen"):
        count = _dozen(groups["dozen"])
        if count is None:
            return None
        if qualifier in _FLOOR:  # "more than a dozen" is thirteen or more; "at least a dozen" twelve or more
            floor = count + 1 if qualifier in _BEYOND else count
            return Fatalities(floor, floor, None)
        return Fatalities(count, None, count) if qualifier in _CEILING else Fatalities(count, count, count)
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
    # what the victims were doing: "21 traders returning from the market in a bus were killed"
    r"(?:\s+(?:returning|travell?ing|heading|coming|going|fleeing|attending|working|riding|walking|driving|on\s+their"
    r"\s+way)\b[^,;.]{1,60}?(?=\s+(?:were|was|had|have|has)\s))?"
    # where they were from or served: "18 soldiers in western Niger were killed", "12 traders from Gao were killed"
    r"(?:\s+(?:in|from|at|near|of)\s+[^,;.]{1,40}?(?=\s+(?:were|was|had\s+been|have\s+been|has\s+been)\s))?"
    r"\s*,?\s*(?:(?:who|which|that)\s+)?(?:(?:were|was|had\s+been|have\s+been|has\s+been|are|being|got|lay"
    r"|(?:had|have|has)(?=\s+(?:\w+\s+)?(?:died|perished)\b))\s+)?(?:(?:reportedly|reported|"
    r"confirmed|found|also|all|later|shot|burned|burnt|hacked|summarily|allegedly)\s+)*(?:killed|dead|died|slain|executed"
    r"|massacred|murdered|perished|lost\s+their\s+lives|to\s+death|neutrali[sz]ed)\b",
    re.IGNORECASE,
)
_DEATH_BEFORE = re.compile(
    rf"\b(?:kill(?:ed|ing|s)?|massacr(?:ed|ing|es)?|execut(?:ed|ing|es)?|murder(?:ed|ing|s)?|slaughter(?:ed|ing)?"
    rf"|shot\s+dead|left|leaving|claimed\s+the\s+lives\s+of"
    rf"|(?:the\s+)?(?:deaths?|killings?|bodies|lives|massacres?|murders?|executions?|slaughter)\s+of"
    rf"|claimed|cost"
    rf"|toll\s+(?:\w+\s+){{0,2}}(?:to|at|of)|counted|documented|found|recovered|buried|death\s+toll\s+to"
    rf"|lost|raised\s+to|rose\s+to|risen\s+to|reached|put\s+(?:the\s+)?(?:[\w-]+\s+){0,4}at|estimated)"
    rf"\s+(?:the\s+)?(?:bodies\s+of\s+)?(?:{_QUALIFIER}\s+)?$",
    re.IGNORECASE,
)
# "ten soldiers and three civilians were killed": a figure joined to a next one that the death word follows
_JOINED_AFTER = re.compile(
    rf"^(?:\s+(?:of|for|from)\s+[^,;.]{{1,40}}?)?(?:\s*,\s*(?:and\s+)?|,?\s+and\s+)(?:{_QUALIFIER}\s+)?(?:{_DOZEN}|{NUMBER}|an?)"
    rf"(?:\s+(?!{_TAIL_STOP})[\w'’-]+){{0,3}}?\s+(?:{_PERSON}|{_SINGULAR})\b",
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
    # singular too: "a UN peacekeeper and a Malian soldier were killed" are the state side's dead
    ("state", r"soldiers?|troops|gendarmes?|police\w*|officers?|personnel|peacekeepers?|recruits?|servicem[ae]n|army"
              r"|guards?(?:men|man)?|conscripts?|cadets?"),
    ("attackers", r"militants?|jihadis\w*|insurgents?|assailants?|attackers?|terrorists?|fighters|combatants?|rebels?"
                  r"|gunm[ae]n|mercenar(?:y|ies)"),
    ("militia", r"volunteers?|militiam[ae]n|militia\s+members|dozos?|VDP|vigilantes|(?:VDP\s+)?auxiliar(?:y|ies)"),
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
    person = re.search(rf"^\W*(?:[\w'’-]+\s+){{0,3}}?(?P<noun>{_PERSON})\b", words, re.IGNORECASE)
    if head and person and not re.fullmatch(_NATIONALS, person.group("noun")):
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


def _joined_ahead(after: str) -> bool:
    """The figures joined after this one ("and three civilians", ", two gendarmes and ...") end in a death word."""
    rest = after
    while (step := _JOINED_AFTER.match(rest)) is not None:
        rest = rest[step.end() :]
        if _DEATH_AFTER.match(rest):
            return True
    return False


_CUMULATIVE = re.compile(
    r"\b(?:this|last|that)\s+year\b|\bsince\s+(?:\d{4}|the\s+(?:start|beginning)|its\s+(?:creation|deployment))"
    r"|\bso\s+far\b|\bin\s+recent\s+(?:years|months|weeks)\b|\bover\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years?|months?"
    r"|weeks|decade)\b|\bin\s+total\b|\baltogether\b",
    re.IGNORECASE,
)


def _cumulative(sentence: str, span: tuple[int, int], written: str | None = None) -> bool:
    """A figure whose own clause counts over a period ("hundreds this year", "in recent years, with 56 killed").
    After the figure the period counts as ``written`` (a date there, "killed 200 this year", is the period); before
    it only as masked (a date there, "in August this year, 24 were killed", dates an incident)."""
    before = re.split(r"[;.()]|,\s+(?:and|but|while|as)\s", sentence[max(0, span[0] - 60) : span[0]])[-1]
    after = re.split(r"[,;.()]", (written or sentence)[span[1] : span[1] + 40])[0]
    return bool(_CUMULATIVE.search(before) or _CUMULATIVE.search(after))


def death_figures(sentence: str, exclude: list[tuple[int, int]] = ()) -> list[DeathFigure]:
    """The figures of dead ``sentence`` gives, left to right (see :func:`find_fatalities` for what counts)."""
    if not _KILL_CUE.search(sentence):
        return []
    # "a day after an attack in X left 30 soldiers dead": the dead of the incident the time clause recalls
    exclude = [*exclude, *(span for span in reference_spans(sentence) if _OTHER_INCIDENT.match(sentence, span[0]))]
    found: list[DeathFigure] = []
    spans: list[tuple[int, int]] = []
    written, sentence = sentence, _mask(sentence, list(exclude))  # a period ("this year") is a date: masked
    candidates = []
    for regex in (_WITH_OTHERS, _FIGURE, _KILL_VERB_FIGURE, _ONE_DEAD):
        for match in regex.finditer(sentence):
            candidates.append((_number_span(match), regex, match))
    subset_end: int | None = None
    for number_span, regex, match in sorted(candidates, key=lambda item: (item[0][0], -item[0][1])):
        if any(number_span[0] < end and start < number_span[1] for start, end in [*exclude, *spans]):
            continue
        before, after = sentence[: match.start()], sentence[match.end() :]
        after_number = sentence[number_span[1] :]
        of_them = re.search(r",\s*$", sentence[: number_span[0]]) and re.match(  # "160 bodies, twenty of them ..."
            r"\s+of\s+(?:them|whom|those)\b", after_number, re.IGNORECASE)
        if _NOT_DEATH_BEFORE.search(before) or _SUBSET_BEFORE.search(before) or of_them:  # "twenty of them children"
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
            joined = joined or _joined_ahead(after)  # "ten soldiers and three civilians were killed"
            lead = _LEADING_SINGLES.search(before)  # "killing a soldier and four civilians"
            killed_before = lead is not None and _KILLED_LEAD.match(lead.group(0)) is not None
            if not (dead_in_tail or _DEATH_AFTER.match(after) or _DEATH_BEFORE.search(before) or joined
                    or killed_before):  # fmt: skip
                continue
        if regex is _ONE_DEAD:
            others = _WITH_OTHERS.search(sentence, match.start())
            if others and others.start() < match.end():  # "a nurse was shot dead together with two others": three
                continue
            count = len(_ARTICLE.findall(match.group("n") + " "))
            figure, tail = Fatalities(count, count, count), _ARTICLE.sub("", match.group("n"), count=1)
        elif regex is _WITH_OTHERS:
            count = parse_number(match.group("n"))
            figure = None if count is None else Fatalities(count + 1, count + 1, count + 1)
        else:
            figure = _one_figure(match)
        if figure is None:
            continue
        singles = (_JOINED_SINGLES.match(after) or _KILLED_WITH_SINGLES.match(after)) if regex in (
            _FIGURE, _KILL_VERB_FIGURE) else None
        if singles:  # "killing three foreigners, a Malian civilian and a soldier": one more for each
            more = len(_ARTICLE.findall(singles.group("items") + " "))
            figure = Fatalities(*(None if v is None else v + more for v in (figure.best, figure.low, figure.high)))
            number_span = (number_span[0], match.end() + singles.end())
        leading = _LEADING_SINGLES.search(before) if regex is _FIGURE and not found else None
        if leading:  # "a gendarme and four civilians were killed": one more for each named before the figure
            more = len(_ARTICLE.findall(leading.group("items") + " "))
            figure = Fatalities(*(None if v is None else v + more for v in (figure.best, figure.low, figure.high)))
        spans.append(number_span)
        category = _category(tail or after[:40])
        mostly = _MOSTLY.match(after)  # "70 people, most of them gendarmes": gendarmes
        if category in ("people", "unknown") and mostly and _category(mostly.group("who")) in ("state", "militia"):
            category = _category(mostly.group("who"))
        if _cumulative(sentence, number_span, written):
            continue
        found.append(DeathFigure(number_span, category, figure))
    if not found:
        found = [DeathFigure(m.span(), "attackers", Fatalities(1, 1, 1)) for m in _SELF_KILLED.finditer(sentence)
                 if not any(m.start() < end and start < m.end() for start, end in exclude)]  # fmt: skip
    return found


def combine(figures: list[DeathFigure], sentence: str = "") -> Fatalities:
    """One toll from several figures: different kinds of dead add up; two figures for the same kind compete
    (low the smaller, high the larger: "45 killed, but the army said 30") when words of contrast or of
    sources stand between them, and add up otherwise."""
    merged: list[DeathFigure] = []
    for figure in figures:
        rival = next((m for m in reversed(merged)  # the nearest figure before it of the same kind
                      if figure.category in (m.category, "unknown") or m.category == "unknown"), None)  # fmt: skip
        between = sentence[rival.span[1] : figure.span[0]] if rival else ""
        joined = re.fullmatch(r"[\w\s'’-]{0,60}?(?:\band|,|\bplus|\bas\s+well\s+as)\s+(?:\w+\s+){0,2}", between)
        if rival is not None and (_CONTRAST.search(between) or not joined):
            both = competing(rival.figures, figure.figures)
            merged[merged.index(rival)] = DeathFigure(rival.span, rival.category, both)
        else:
            merged.append(figure)
    return _sum(m.figures for m in merged)


def find_fatalities(sentence: str, exclude: list[tuple[int, int]] = ()) -> Fatalities:
    """Deaths the sentence reports.

    Counted only when the sentence speaks of death (killed, dead, massacre, toll, neutralised, "the loss of"...)
    and the figure is tied to it: a death word right after it ("71 soldiers killed", "were found dead"), a killing
    word right before it ("killing 12", "the bodies of 79", "raised the toll to 38", "claimed 20 lives"), or joined
    by "and"/"along with"/commas to a figure that is, before or after it ("ten soldiers and three civilians were
    killed"). Rules: a plain number or "about N" -> best = low = high = N; "at least/over/more than N" -> best =
    low = N (the floor the text states, as ACLED codes it), high unknown; "up to/nearly N" -> best = high = N;
    "between A and B"/"A to B" -> low = best = A, high B; "dozens"/"several dozen" -> 24 to 99, "scores" ->
    at least 40, "hundreds" -> 200 to 999 (best the low end); "a dozen" -> 12, "half a dozen" 6, "two dozen" 24.
    Attackers' dead that the state side claims ("the army said it killed 40 terrorists") count in best and high,
    not in low, when the sentence gives another toll. "No one was killed"/"no casualties" with no other figure ->
    0; a suicide bomber who blew himself up, with no other figure -> 1. Figures for wounded/kidnapped/captured
    people, figures inside ``exclude`` spans (dates), subsets ("including 12 soldiers", ", ten of them children")
    and counts over a period ("hundreds this year", "in recent years, with 56 killed") are skipped. Figures are
    combined by :func:`combine`. Nothing found -> all None.
    """
    figures = death_figures(sentence, exclude)
    text = _mask(sentence, list(exclude))
    if not figures and _NOBODY.search(text):
        return Fatalities(0, 0, 0)
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


# A later toll that replaces an earlier one: "the toll rose to 20", "has risen to", "now stands at", "raised the
# toll to", "revised the toll upwards to".
_RAISED = re.compile(
    r"\btoll\b[^.;]{0,40}?\b(?:rose|risen|climbed|increased|jumped|grew|gone\s+up|went\s+up|now\s+stands|revised)"
    r"|\b(?:raised|revised|increased|pushed)\s+(?:the\s+)?(?:death\s+)?toll\b",
    re.IGNORECASE,
)


# Words that make a follow-up's dead more dead, not a rival count of the same dead, when they stand at the figure:
# "another 12", "a further five", "in addition to the seven killed", "also killed three"; "two more soldiers",
# "three others"; "a soldier was also killed". Elsewhere in the sentence ("without further details", "the army also
# said 30 were killed") they say nothing of the figure.
_MORE_BEFORE = re.compile(
    rf"\b(?:another|(?:a\s+)?further|(?:an\s+)?additional|in\s+addition\s+to(?:\s+the)?|besides(?:\s+the)?"
    rf"|also\s+(?:killed|killing|left|leaving|claimed))\s+(?:{_QUALIFIER}\s+)?$",
    re.IGNORECASE,
)
_MORE_AFTER = re.compile(
    r"^\s+(?:more|others?|additional)\b"
    r"|^(?:\s+[\w'’-]+){0,4}?\s+(?:(?:was|were|had\s+been|have\s+been|has\s+been)\s+)?(?:also|later)\s+"
    r"(?:(?:been|found)\s+)?(?:killed|dead|died|slain|executed|murdered)\b",
    re.IGNORECASE,
)


def retold(figures: list[DeathFigure], told: str) -> bool:
    """True when every figure of a follow-up sentence is one ``told`` (the event's sentences so far) already gives,
    for the same kind of dead ("the government said 77 militants were killed ... 77 militants were also killed"):
    the same dead told again, no new figure."""
    seen = {(f.category, f.figures.best) for f in death_figures(told)} if told else set()
    return bool(figures) and all((f.category, f.figures.best) in seen for f in figures)


def adds_to_toll(sentence: str, figures: list[DeathFigure]) -> bool:
    """True when a follow-up sentence's figure counts dead beyond those already told ("another 12 were killed",
    "two more soldiers died", "in addition to the seven killed"), not the same dead counted again."""
    return any(_MORE_BEFORE.search(sentence[max(0, f.span[0] - 40) : f.span[0]])
               or _MORE_AFTER.match(sentence[f.span[1] : f.span[1] + 80]) for f in figures)  # fmt: skip


# An older count than the one already told: "a previous army report gave 4 killed", "an initial toll of 12".
_EARLIER = re.compile(
    r"\b(?:previous|earlier|initial|first|preliminary|provisional|old)\s+(?:\w+\s+)?(?:reports?|tolls?|counts?"
    r"|figures?|assessments?|estimates?|reports?|statements?)\b",
    re.IGNORECASE,
)


def earlier_toll(sentence: str) -> bool:
    """True when ``sentence`` gives an older count of the dead than the one already told ("a previous report gave
    4 dead"): the later count stays the best figure, the older one only widens the range."""
    return _EARLIER.search(sentence) is not None


def raises_toll(sentence: str) -> bool:
    """True when ``sentence`` updates an earlier toll upwards ("the toll later rose to 20")."""
    return _RAISED.search(sentence) is not None


def updated(old: Fatalities, new: Fatalities) -> Fatalities:
    """An earlier toll and its update: the update is the best figure, the earlier one stays the low end."""
    lows = [f for f in (old.low, new.low) if f is not None]
    highs = [f for f in (old.high, new.high, new.best) if f is not None]
    return Fatalities(new.best if new.best is not None else old.best, min(lows) if lows else None,
                      max(highs) if highs else None)  # fmt: skip

