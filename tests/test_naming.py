"""Counts, naming choices, prominence and co-occurrence on small hand-made tables."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.entities import (
    cooccurrence,
    displacy_payload,
    entity_graph,
    leading_choices,
    mention_counts,
    naming_choices,
    prominence,
)
from helpers.figures.entities import entity_colors

TEXT_A = "Isis and Turkey\n\nDaesh fighters met Turkish officials near Kobane. Kurdish forces fled."
ARTICLES = pd.DataFrame(
    {
        "doc_id": ["a", "b"],
        "status": ["ok", "ok"],
        "outlet": ["Alpha", None],
        "n_words": [500, 250],
        "headline": ["Isis and Turkey", "B"],
        "text": [TEXT_A, "ISIS ISIS"],
    }
)
BLOCKS = pd.DataFrame(
    {
        "doc_id": ["a", "a", "b"],
        "block_id": [0, 1, 0],
        "is_body": [True, True, True],
        "role": ["headline", "body", "body"],
    }
)


def m(doc, sent, block, start, surface, entity, alias):
    return {
        "doc_id": doc,
        "sent_id": sent,
        "block_id": block,
        "start": start,
        "end": start + len(surface),
        "line": 1 + 2 * block,
        "surface": surface,
        "entity": entity,
        "alias": alias,
    }


MENTIONS = pd.DataFrame(
    [
        m("a", 0, 0, 0, "Isis", "ISIS", "Isis"),
        m("a", 0, 0, 9, "Turkey", "Turkey", "Turkish"),
        m("a", 1, 1, 17, "Daesh", "ISIS", "Daesh"),
        m("a", 1, 1, 36, "Turkish", "Turkey", "Turkish"),
        m("a", 1, 1, 59, "Kobane", "Kobani", "Kobane"),
        m("b", 0, 0, 0, "ISIS", "ISIS", "ISIS"),
        m("b", 0, 0, 5, "ISIS", "ISIS", "ISIS"),
    ]
)
STUDY = ["ISIS", "Kobani", "Turkey", "YPG"]


def test_counts_include_zeros_and_rates() -> None:
    counts = mention_counts(MENTIONS, ARTICLES, STUDY).set_index(["doc_id", "entity"])
    assert len(counts) == 8
    assert counts.loc[("a", "ISIS"), "mentions"] == 2
    assert counts.loc[("a", "ISIS"), "per_1000_words"] == 4.0
    assert counts.loc[("b", "ISIS"), "per_1000_words"] == 8.0
    assert counts.loc[("b", "YPG"), "mentions"] == 0
    assert counts.loc[("b", "ISIS"), "outlet"] == "b"  # unknown outlet shows the doc id


def test_naming_choices_group_aliases_and_count_descriptors() -> None:
    table = naming_choices(MENTIONS, ARTICLES)
    group = table[(table["doc_id"] == "a") & (table["group"] == "What the group is called")]
    assert dict(zip(group["choice"], group["n"], strict=True)) == {"Daesh": 1, "ISIS / Isis": 1}
    kurds = table[(table["doc_id"] == "a") & table["group"].str.contains("Kurdish")]
    assert kurds["choice"].tolist() == ["Kurdish forces (unnamed)"]
    assert (table.groupby(["doc_id", "group"])["share"].sum().round(2) == 1.0).all()


def test_prominence_first_position_and_lead() -> None:
    table = prominence(MENTIONS, ARTICLES, BLOCKS, STUDY).set_index(["doc_id", "entity"])
    assert table.loc[("a", "ISIS"), "first_position"] == 0.0
    assert bool(table.loc[("a", "ISIS"), "in_headline"])
    assert not bool(table.loc[("a", "Kobani"), "in_headline"])
    # headline and first body paragraph are the lead: every mention of doc a is in it
    assert table.loc[("a", "Turkey"), "lead_share"] == 1.0


def test_cooccurrence_counts_sentences_once_per_pair() -> None:
    pairs = cooccurrence(MENTIONS, STUDY)
    got = {(r.doc_id, r.entity_a, r.entity_b): r.sentences for r in pairs.itertuples()}
    assert got == {
        ("a", "ISIS", "Turkey"): 2,
        ("a", "ISIS", "Kobani"): 1,
        ("a", "Kobani", "Turkey"): 1,
    }
    graph = entity_graph(pairs, MENTIONS)
    assert graph["ISIS"]["Turkey"]["weight"] == 2
    assert graph.nodes["ISIS"]["mentions"] == 4


def test_displacy_payload_uses_table_offsets() -> None:
    payload = displacy_payload(ARTICLES.iloc[0], MENTIONS, STUDY)
    spans = [payload["text"][e["start"] : e["end"]] for e in payload["ents"]]
    assert spans == ["Isis", "Turkey", "Daesh", "Turkish", "Kobane"]
    assert "title" not in payload  # the text opens with the headline: shown once


def test_displacy_colours_every_study_entity_apart() -> None:
    colors = entity_colors(STUDY)
    assert set(colors) == {e.upper() for e in STUDY}  # displaCy looks labels up in capitals
    assert len(set(colors.values())) == len(STUDY)


def test_leading_choice_pools_an_outlets_articles_and_breaks_ties_by_name() -> None:
    choices = pd.DataFrame(
        {
            "doc_id": ["a1", "a1", "a2", "b", "b", "b"],
            "group": ["G"] * 6,
            "outlet": ["A", "A", "A", "B", "B", "B"],
            "choice": ["IS", "Daesh", "Daesh", "ISIL", "IS", "Daesh"],
            "n": [3, 2, 2, 1, 4, 4],
            "share": [0.6, 0.4, 1.0, 0.111, 0.444, 0.444],
        }
    )
    leading = leading_choices(choices)
    got = {r.outlet: (r.choice, r.n, r.total) for r in leading.itertuples()}
    # A: Daesh 2 + 2 across its two articles beats IS 3; B: IS and Daesh tie, Daesh first
    assert got == {"A": ("Daesh", 4, 7), "B": ("Daesh", 4, 9)}
    assert leading["group"].tolist() == ["G", "G"]
