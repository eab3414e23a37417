"""Summaries of who speaks, on hand-made tables."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from helpers.across.alignment import align_quotes, utterance_versions
from helpers.analysis.sourcing import chain_layers, diff_html, most_relayed, quoted_share

ARTICLES = pd.DataFrame(
    {
        "doc_id": ["a", "b", "c"],
        "status": ["ok"] * 3,
        "outlet": ["A", "B", "C"],
        "n_words": [100, 50, 40],
    }
)


def q(doc, qid, text, speaker="Omer", kind="direct"):
    return {
        "doc_id": doc,
        "quote_id": qid,
        "line": qid + 1,
        "start": 0,
        "end": len(text),
        "text": text,
        "speaker": speaker,
        "kind": kind,
    }


QUOTES = pd.DataFrame(
    [
        q("a", 0, "ISIS and Turkey cooperate together on the ground against the Kurds"),
        q("a", 1, "ally", speaker="unattributed", kind="scare"),
        q("b", 0, "IS and Turkey cooperate on the ground against the Kurds"),
        q(
            "c",
            0,
            "ISIS and Turkey cooperate together on the ground against the Kurds",
            speaker="a former technician",
            kind="blockquote",
        ),
        q("c", 1, "an entirely different sentence that nobody else quotes at all"),
    ]
)


def test_alignment_groups_relays_and_names_the_speaker() -> None:
    aligned = align_quotes(QUOTES)
    ids = aligned.set_index(["doc_id", "quote_id"])["utterance_id"]
    assert ids[("a", 0)] == ids[("b", 0)] == ids[("c", 0)]
    assert len({ids[("a", 1)], ids[("c", 1)], ids[("a", 0)]}) == 3
    assert aligned.set_index(["doc_id", "quote_id"]).loc[("c", 0), "utterance_speaker"] == "Omer"


def test_versions_reference_and_changes() -> None:
    versions = utterance_versions(align_quotes(QUOTES), pd.Series({"a": "A", "b": "B", "c": "C"}))
    assert set(versions["doc_id"]) == {"a", "b", "c"}
    ref = versions[versions["reference"]]
    assert len(ref) == 1 and ref["doc_id"].iloc[0] in {"a", "c"}
    b = versions.set_index("doc_id").loc["b"]
    assert b["changes"] == "deletion; substitution" and b["fidelity"] < 1
    assert most_relayed(versions) == versions["utterance_id"].iloc[0]
    assert most_relayed(versions.iloc[0:0]) is None  # nothing shared, nothing shown
    page = diff_html(versions, versions["utterance_id"].iloc[0])
    assert "<del>together</del>" in page and "<ins>is</ins>" in page


def test_quoted_share_excludes_scare_quotes() -> None:
    table = quoted_share(align_quotes(QUOTES), ARTICLES).set_index("doc_id")
    assert table.loc["a", "quotes"] == 1
    assert table.loc["a", "quoted_words"] == 11
    assert table.loc["a", "quoted_share"] == 0.11


def test_chain_layers_follow_the_relay() -> None:
    graph = nx.DiGraph(
        [("Outlet", "RT"), ("RT", "Newsweek"), ("Newsweek", "Omer"), ("Blog", "Newsweek")]
    )
    layers = chain_layers(graph)
    assert layers == {"Outlet": 0, "Blog": 0, "RT": 1, "Newsweek": 2, "Omer": 3}
