"""Who did what to whom: the side the words say was hit comes second, whatever the order of mention.
Own-written sentences."""

from __future__ import annotations

import pytest

from geodata.text.actors import find_actors, order_actors


def families(sentence: str, kind: str = "Battles") -> list[str]:
    return [a.family for a in order_actors(sentence, find_actors(sentence), kind)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the target named first, the attacker later
        ("The raid on the Nigerien army at Chinagodrar was the worst this year; the Islamic State claimed it.",
         ["ISGS", "State forces"]),
        ("The ambush is the deadliest on Burkina's gendarmes since JNIM began its campaign.",
         ["JNIM", "State forces"]),
        ("Soldiers were ambushed near Diapaga, and JNIM said its men carried out the attack.",
         ["JNIM", "State forces"]),
        ("The VDP lost 14 men near Titao when JNIM fighters overran their post.", ["JNIM", "Militia"]),
        ("The army came under fire from ISGS fighters near Ayorou.", ["ISGS", "State forces"]),
        # passive agents
        ("The attack on the convoy, which killed nine soldiers, was blamed on JNIM.", ["JNIM", "State forces"]),
        ("The killings were attributed to the Islamic State Sahel Province by local officials.",
         ["ISGS"]),
        # the order of mention when the words say nothing
        ("JNIM fighters clashed with Wagner mercenaries near Hombori.", ["JNIM", "Wagner Group"]),
    ],
)
def test_the_side_that_was_hit_comes_second(sentence: str, expected: list[str]) -> None:
    assert families(sentence)[: len(expected)] == expected


def test_the_first_side_not_hit_leads_and_the_victims_follow_it() -> None:
    """Armed men attacked residents; the army is only named as whom the residents worked for."""
    sentence = "Armed men attacked residents of the town who were digging a trench for the army."
    assert families(sentence)[:2] == ["Other", "Civilians"]
    sentence = "Gunmen killed 11 soldiers and three civilians near the town."
    assert families(sentence)[:2] == ["Other", "State forces"]


def test_sides_hit_together_leave_the_attacker_unnamed() -> None:
    """"An attack against gendarmes and VDP": both were hit; the attacker is an unidentified armed group."""
    sentence = "The communiqué spoke of an attack against gendarmes and VDP at Falagountou."
    assert families(sentence)[:3] == ["Other", "State forces", "Militia"]


def test_a_side_killed_beside_another_is_hit() -> None:
    """"16 VDP and two civilians were killed": the VDP were hit, not the attackers."""
    sentence = "At least 16 VDP and two civilians were killed on Friday in an attack near Boulsa."
    assert families(sentence)[0] == "Other"


@pytest.mark.parametrize(
    ("sentence", "family"),
    [
        ("Two Mirages struck a gathering near Douentza.", "State forces"),
        ("French Rafale jets bombed the camp.", "State forces"),
        ("Barkhane troops clashed with gunmen near Ménaka.", "State forces"),
        ("Suspected jihadists attacked the market.", "Other"),
        ("Russian mercenaries and FAMa soldiers raided the village.", "Wagner Group"),
    ],
)
def test_foreign_forces_and_unnamed_jihadists(sentence: str, family: str) -> None:
    """The GUIDE's State forces include French troops and jets; 'suspected jihadists' name no group."""
    assert families(sentence)[0] == family


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The raid on the village left 40 dead and has not been claimed by any jihadist group or militia.", set()),
        ("Neither the ISGS nor the JNIM has said it carried out the ambush.", set()),
        ("The Katiba Macina killed nine herders, and no other group claimed any part in it.", {"JNIM", "Civilians"}),
    ],
)
def test_a_group_named_only_to_be_ruled_out_is_no_party(sentence: str, expected: set[str]) -> None:
    assert {a.family for a in find_actors(sentence)} == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("MNLA rebels stormed the garrison at Tessalit before dawn.", ["Other", "State forces"]),
        ("Two koglweogos and a teacher were killed when gunmen raided the market.", ["Other", "Militia"]),
        ("Donsos attacked a Fulani hamlet near Djenné.", ["Militia"]),
        ("Dana Ambassagou fighters burned the village.", ["Militia"]),
    ],
)
def test_groups_under_their_other_names(sentence: str, expected: list[str]) -> None:
    assert families(sentence)[: len(expected)] == expected
