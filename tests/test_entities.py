"""Study-entity extraction: aliases, forms, and the look-alikes that are not mentions."""

from __future__ import annotations

import pytest

from helpers.annotate.entities import aliases, describe, target_entities
from helpers.annotate.nlp import get_nlp


def mentions(text: str) -> list[tuple[str, str, str]]:
    """(surface, entity, form) of each study-entity mention in ``text``."""
    doc = get_nlp()(text)
    return [(e.text, d["entity"], d["form"]) for e in doc.ents if (d := describe(e))["target"]]


def test_the_four_study_entities() -> None:
    assert target_entities() == ["ISIS", "Kobani", "Turkey", "YPG"]


def test_alias_file_has_no_duplicate_aliases_across_entities() -> None:
    seen: dict[str, str] = {}
    for alias in aliases().values():
        assert seen.setdefault(alias.alias, alias.entity) == alias.entity, alias.alias


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Daesh (Isis/Isil) prisoners are planning to break out.",
            [
                ("Daesh", "ISIS", "name"),
                ("Isis", "ISIS", "abbreviation"),
                ("Isil", "ISIS", "abbreviation"),
            ],
        ),
        (
            "The former Islamic State (ISIS, ISIL) technician spoke.",
            [
                ("Islamic State", "ISIS", "name"),
                ("ISIS", "ISIS", "abbreviation"),
                ("ISIL", "ISIS", "abbreviation"),
            ],
        ),
        (
            "While #Turkey bombards the region, #ISIS fighters regroup.",
            [("#Turkey", "Turkey", "hashtag"), ("#ISIS", "ISIS", "hashtag")],
        ),
        (
            "Kobani, also Kobanê or Ain al-Arab, sits on the Turkey-Syria border.",
            [
                ("Kobani", "Kobani", "name"),
                ("Kobanê", "Kobani", "name"),
                ("Ain al-Arab", "Kobani", "name"),
                ("Turkey", "Turkey", "name"),
            ],
        ),
        (
            "Turkish-backed jihadists attacked the People’s Protection Units (YPG).",
            [
                ("Turkish", "Turkey", "adjective"),
                ("People’s Protection Units", "YPG", "name"),
                ("YPG", "YPG", "abbreviation"),
            ],
        ),
        ("Assad, whom Ankara opposes, met officials in Ankara.", [("Ankara", "Turkey", "metonym")]),
        (
            "The Turks said Turkey’s army and the YPG/PKK clashed.",
            [
                ("Turks", "Turkey", "demonym"),
                ("Turkey", "Turkey", "name"),
                ("YPG/PKK", "YPG", "compound"),
            ],
        ),
    ],
)
def test_aliases_resolve_to_canonical_entities(text: str, expected: list) -> None:
    assert mentions(text) == expected


def test_title_case_is_the_verb_not_the_group() -> None:
    found = mentions("Former ISIS Member Claims Turkey Is Allied with the Jihadist Group")
    assert found == [("ISIS", "ISIS", "abbreviation"), ("Turkey", "Turkey", "name")]


def test_lowercase_and_sentence_is_never_the_group() -> None:
    assert mentions("It is clear that the group is strong.") == []


def test_is_as_group_in_normal_text() -> None:
    found = mentions("IS commanders told us that IS and Turkey cooperate against the Kurds.")
    assert [m[1] for m in found] == ["ISIS", "ISIS", "Turkey"]


def test_all_caps_text_is_and_us_are_verb_and_pronoun() -> None:
    found = mentions("TURKEY IS HELPING ISIS, A DEFECTOR TOLD US")
    assert found == [("TURKEY", "Turkey", "name"), ("ISIS", "ISIS", "abbreviation")]


def test_all_caps_text_keeps_is_as_the_group_in_group_context() -> None:
    found = mentions("FIGHTERS OF IS CROSSED INTO TURKEY")
    assert [m[1] for m in found] == ["ISIS", "Turkey"]


def test_account_name_in_embedded_post_is_not_a_mention() -> None:
    assert mentions("— Turkey Untold (@TurkeyUntold) January 30, 2018") == []


def test_language_is_not_the_state() -> None:
    found = mentions("They mostly spoke in Turkish, and Turkish officials listened.")
    assert found == [("Turkish", "Turkey", "adjective")]


def test_no_entity_crosses_a_block() -> None:
    doc = get_nlp()("Kobane\n\nTurkey")
    assert all("\n" not in e.text for e in doc.ents)


def test_a_shouted_question_opening_prose_keeps_is_as_the_verb() -> None:
    # the block is mostly ordinary prose, the first sentence is set in capitals
    found = mentions(
        "IS THIS THE SMUGGLERS’ ROAD INTO TURKEY? Drivers say the convoys cross every night "
        "and nobody at the border asks where the cargo comes from."
    )
    assert [m[1] for m in found] == ["Turkey"]


def test_a_wire_dateline_place_is_no_mention() -> None:
    found = mentions("ANKARA (Harbour Wire) — Turkish officials said Ankara welcomed the talks.")
    assert [(m[0], m[2]) for m in found] == [("Turkish", "adjective"), ("Ankara", "metonym")]
    assert mentions("Ankara said on Monday it would reply.")[0][0] == "Ankara"  # no dateline
