"""Who did what to whom across a text's sentences: the parties of an incident from the groups named, the group a
pronoun or "its fighters" points back to, and which side is the victim (the document reader's actor context; the
names themselves come from :mod:`geodata.text.actors`)."""

from __future__ import annotations

import re
from collections import Counter

from geodata.text.actors import (
    ARMED_FAMILIES,
    JIHADIST_FAMILIES,
    Actor,
    is_generic,
)
from geodata.text.rules import (
    main_keyword,
    reference_spans,
)


def dyad(actors: list[list[Actor]]) -> tuple[Actor, Actor] | None:
    """The two armed families named in the most sentences (ties: the first named first)."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for number, named in enumerate(actors):
        for actor in named:
            if actor.family in ARMED_FAMILIES:
                counts[actor.family] += 1
                first_seen.setdefault(actor.family, number)
    top = sorted(counts, key=lambda family: (-counts[family], first_seen[family]))[:2]
    if len(top) < 2:
        return None
    top.sort(key=lambda family: first_seen[family])
    return Actor(top[0], top[0], -1), Actor(top[1], top[1], -1)


_ITS_MEN = re.compile(
    r"\b(?:its|their|the\s+group['’]s|the\s+same\s+group['’]s)\s+(?:own\s+)?(?:fighters|militants|men|members|combatants"
    r"|gunmen|units?)\b",
    re.IGNORECASE,
)


# A group speaking of its own deed without its name: "it said it had attacked a base", "the group claimed its
# fighters killed 40 soldiers".
_IT_CLAIMS = re.compile(
    r"\b(?:it|they|the\s+(?:[\w-]+\s+)?(?:group|organi[sz]ation|movement))\s+(?:also\s+|later\s+)?"
    r"(?:said|says|claimed|claims|announced|stated)\b[^.;]{0,40}?\b(?:it|they|its\s+\w+|their\s+\w+)\s+"
    r"(?:had\s+|has\s+|have\s+)?(?:\w+\s+)?(?:attacked|killed|ambushed|carried\s+out|struck|targeted|seized|overran"
    r"|detonated|destroyed|shot|downed|captured|raided|executed|stormed)\b"
    # "the group's spokesperson took credit for the attack", "it claimed responsibility"
    r"|\b(?:it|they|the\s+(?:[\w-]+\s+)?(?:group|organi[sz]ation|movement)(?:['’]s\s+(?:spokes\w+|leader\w*|media\s+\w+"
    r"|propaganda\s+\w+|news\s+agency))?)\s+(?:\w+\s+)?(?:took|takes|claimed|claims|assumed)\s+(?:credit|responsibility)\b",
    re.IGNORECASE,
)


_FINDS = re.compile(
    r"^\s+(?:(?:has|have|had|later|also|then|only)\s+){0,2}(?:found|counted|documented|recovered|buried|discovered"
    r"|collected|searched|combed|identified\s+the|retrieved|exhumed)\b",
    re.IGNORECASE,
)
# Who only reacts to the violence ("MINUSMA strongly condemns the attacks", "the UN deplored") is no party to it.
_REACTS = re.compile(
    r"^\W*(?:\([^)]{0,40}\)\s*)?(?:(?:has|have|had|also|strongly|firmly|swiftly|later|then)\s+){0,2}"
    r"(?:condemn(?:s|ed)?|deplor(?:es|ed)|denounc(?:es|ed)|decr(?:ies|ied)|regrett?(?:s|ed)|mourn(?:s|ed)"
    r"|offer(?:s|ed)\s+(?:its|their)\s+condolences|express(?:es|ed)\s+(?:its|their|deep|grave)?)\b",
    re.IGNORECASE,
)


# An observer (UN mission, peacekeepers: family Other) that only reports on the violence is no party to it.
_REPORTS = re.compile(
    r"^\W*(?:\([^)]{0,40}\)\s*)?(?:(?:on|in|last|this)\s+\w+\s+)?(?:(?:has|have|had|also|later)\s+)?"
    r"(?:published|said|says|reported|announced|found|concluded|released|documented|investigated|stated|recorded"
    r"|confirmed|counted)\b",
    re.IGNORECASE,
)
# A time clause saying an actor had gone ("a day after the FAMa detachment had left"): it is no party.
_LEFT = re.compile(r"\b(?:left|withdr[ae]wn?|pulled\s+out|departed|moved\s+out|evacuated|abandoned)\b", re.IGNORECASE)


# Who found, recovered or evacuated the dead is no party to the violence ("bodies were recovered by the army").
_FOUND_BY = re.compile(
    r"\b(?:found|recovered|counted|collected|buried|retrieved|discovered|identified|evacuated|rescued|freed|released"
    r"|treated|transported)\s+(?:\w+\s+){0,2}?by\s+(?:the\s+)?$",
    re.IGNORECASE,
)


# Who only speaks about the violence ("according to a military source", "the army spokesman said") is no party.
_SPEAKER_AFTER = re.compile(
    r"^\s+(?:sources?|spokes(?:man|woman|person|people)|statement|communiqu[eé]|officials?|press\s+(?:office|release))\b",
    re.IGNORECASE,
)
_ACCORDING_TO = re.compile(r"\baccording\s+to\s+(?:a|an|the|one|two|several)?\s*(?:\w+\s+)?$", re.IGNORECASE)


def parties(text: str, named: list[Actor]) -> list[Actor]:
    """The actors of a sentence minus those who only found or counted the dead ("the army has found 79 bodies")
    and those who only condemn or mourn it ("MINUSMA strongly condemns the attacks")."""
    references = reference_spans(text)

    def gone(actor: Actor) -> bool:  # the subject of a leaving verb inside a time clause
        if not any(start <= actor.start < end for start, end in references):
            return False
        after = re.split(r"[.;]", text[actor.start + len(actor.name) :], maxsplit=1)[0]
        later = [a.start for a in named if a.start > actor.start]
        if later:
            after = after[: min(later) - actor.start - len(actor.name)]
        return _LEFT.search(after[:80]) is not None

    def reports(actor: Actor) -> bool:  # "MINUSMA on Tuesday published the findings of its inquiry into ..."
        return actor.family == "Other" and not is_generic(actor.name) and bool(
            _REPORTS.match(text[actor.start + len(actor.name) :]))

    return [
        a for a in named
        if not _FINDS.match(text[a.start + len(a.name) :]) and not _REACTS.match(text[a.start + len(a.name) :])
        and not gone(a) and not reports(a) and not _FOUND_BY.search(text[: a.start])
        and not _SPEAKER_AFTER.match(text[a.start + len(a.name) :]) and not _ACCORDING_TO.search(text[: a.start])
    ]  # fmt: skip


def with_antecedent(text: str, named: list[Actor], actors: list[list[Actor]], index: int,
                     lookback: int = 5) -> list[Actor]:  # fmt: skip
    """The sentence's actors; "its fighters" with no armed group named is the jihadist group named first (the
    subject) in the nearest of the ``lookback`` sentences before that names one."""
    claim = _IT_CLAIMS.search(text)
    if claim is not None and not any(a.family in JIHADIST_FAMILIES for a in named):
        for earlier in reversed(actors[max(index - lookback, 0) : index]):
            armed = sorted((a for a in earlier if a.family in ARMED_FAMILIES), key=lambda a: a.start)
            if armed:  # the nearest sentence naming an armed side: its subject, if a jihadist group, speaks here
                if armed[0].family not in JIHADIST_FAMILIES:
                    break
                generic = [a for a in named if not (a.family == "Other" and is_generic(a.name))]
                return [Actor(armed[0].name, armed[0].family, claim.start()), *generic]
    found = _ITS_MEN.search(text)
    if found is None or any(a.family in ARMED_FAMILIES for a in named):
        return named
    for earlier in reversed(actors[max(index - lookback, 0) : index]):
        jihadists = [a for a in earlier if a.family in JIHADIST_FAMILIES]
        if jihadists:
            latest = min(jihadists, key=lambda a: a.start)  # the subject comes first
            generic = [a for a in named if not (a.family == "Other" and is_generic(a.name))]
            return [Actor(latest.name, latest.family, found.start()), *generic]
    return named


def recent_pair(actors: list[list[Actor]], index: int, lookback: int = 3) -> tuple[Actor, Actor] | None:
    """The two armed families of the nearest of the ``lookback`` sentences before that names two."""
    for named in reversed(actors[max(index - lookback, 0) : index]):
        armed = [actor.family for actor in named if actor.family in ARMED_FAMILIES]
        if len(armed) >= 2:
            return Actor(armed[0], armed[0], -1), Actor(armed[1], armed[1], -1)
    return None


# Armed parties written as one subject ("soldiers and VDP militiamen", "the army, backed by Wagner") act together;
# words of fighting between them make them opponents.
_ALLIED = re.compile(
    r"^\s*(?:\([^)]{0,60}\)\s*)?(?:\w+\s+){0,2}?(?:,|and|with|alongside|backed\s+by|supported\s+by|together\s+with"
    r"|accompanied\s+by|assisted\s+by)\s+(?:\w+\s+){0,3}?$",
    re.IGNORECASE,
)
_OPPONENTS = re.compile(r"\b(?:battl\w*|fought|fight\w*|clash\w*|against|rivals?|versus|vs)\b", re.IGNORECASE)


def victims_and_perpetrators(ordered: list[Actor], deaths: list, kind: str,
                              text: str = "") -> tuple[list[Actor], str]:  # fmt: skip
    """ACLED's conventions for what a report leaves unnamed: dead "people" with at most one armed party named
    are civilians; violence against civilians, or against soldiers or militias, with no other party named is by
    an unidentified armed group (family Other), until the text names it. Armed parties that are all named
    before the violence word ("soldiers and VDP militiamen killed 58 civilians") act together: the first is the
    perpetrator, the civilians the victims (ACLED puts the ally in an associated actor)."""
    families = {a.family for a in ordered}
    armed = [a for a in ordered if a.family in ARMED_FAMILIES or a.family == "Other"]
    keyword = main_keyword(text) if text else None
    civilians = [a for a in ordered if a.family == "Civilians"]
    named = sorted((a for a in armed if not (a.family == "Other" and is_generic(a.name))
                    and (keyword is None or a.start < keyword.start())), key=lambda a: a.start)  # fmt: skip
    allies = (
        len(named) >= 2 and keyword is not None and 0 <= named[0].start and not _OPPONENTS.search(text)
        and all(_ALLIED.match(text[a.start + len(a.name) : b.start]) for a, b in zip(named, named[1:], strict=False))
        and not [a for a in armed if a not in named and not is_generic(a.name)]
    )  # fmt: skip
    if allies and (civilians or any(f.category == "people" for f in deaths)):
        victims = civilians[0] if civilians else Actor("civilians", "Civilians", 10_000)
        return [min(named, key=lambda a: a.start), victims], "Violence against civilians"
    unnamed_dead = any(f.category == "unknown" for f in deaths) and all(
        a.family not in ("State forces", "Militia", "Wagner Group") for a in armed)  # "18 dead" after gunmen attacked
    if "Civilians" not in families and len(armed) <= 1 and (any(f.category == "people" for f in deaths)
                                                             or unnamed_dead):  # fmt: skip
        ordered = [*ordered, Actor("civilians", "Civilians", 10_000)]
        kind = "Violence against civilians"
        families.add("Civilians")  # the dead are the victims: no unidentified third party beside the one named
    if not armed and kind == "Violence against civilians" and any(a.family == "Civilians" for a in ordered):
        ordered = [Actor("unidentified armed group", "Other", -1), *ordered]
    elif len(armed) == 1 and armed[0].family in ("State forces", "Militia") and "Civilians" not in families:
        ordered = [Actor("unidentified armed group", "Other", -1), *ordered]  # soldiers attacked by no one named
    elif (len(armed) >= 2 and {a.family for a in armed} <= {"State forces", "Militia", "Wagner Group"}
          and "Civilians" not in families and any(f.category in ("state", "militia") for f in deaths)):
        # "six soldiers and 34 VDP auxiliaries were killed": allies among the dead, their attacker unnamed
        pro = sorted(armed, key=lambda a: ("State forces", "Wagner Group", "Militia").index(a.family))
        ordered = [Actor("unidentified armed group", "Other", -1), *pro]
        kind = "Battles"
    return ordered, kind


def pair(ordered: list[Actor], dyad: tuple[Actor, Actor] | None, pair_named: bool,
          kind: str = "") -> tuple[Actor | None, ...]:  # fmt: skip
    """actor1 and actor2: the first two named; the dyad when a pair is pointed at but not named."""
    armed = [a for a in ordered if a.family in ARMED_FAMILIES or a.family == "Other"]
    civilians = [a for a in ordered if a.family == "Civilians"]
    if len(armed) < 2 and pair_named and dyad is not None:
        return dyad
    if not armed:
        return None, (civilians[0] if civilians else None)
    if len(ordered) == 1:
        return ordered[0], None
    return ordered[0], ordered[1]
