"""Stance, caveats, labels, distinctive terms, reuse and claims on small known inputs."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from helpers.across.caveats import about_testimony, hedge_survival
from helpers.across.claims import claims, match_claims
from helpers.across.distinctive import fightin_words, tfidf_terms
from helpers.across.reuse import reuse_tables
from helpers.analysis.framing import (
    claim_counts,
    claim_matrix,
    similarity_matrix,
    stance_profile,
)
from helpers.annotate.labels import block_labels
from helpers.annotate.nlp import get_nlp
from helpers.annotate.stance import caveat, claim_status, markers


def test_markers_find_words_and_phrases_once() -> None:
    found = markers("It may be true; reportedly Turkey could, if confirmed, indeed act.")
    assert found["hedges"] == ["may", "reportedly", "could", "if confirmed"]
    assert found["boosters"] == ["true", "indeed"]


def test_markers_ignore_words_inside_other_words() -> None:
    assert markers("The mayor was mightily displeased; Newsweek's claimant.") == {
        "hedges": [],
        "boosters": [],
    }


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Newsweek was unable to independently verify Omer’s claims.", "kept"),
        ("The magazine could not confirm the account.", "kept"),
        ("The claims cannot be independently verified.", "kept"),
        ("A former member reportedly said so.", "softened"),
        ("If confirmed, the news could cast Turkey’s actions in a new light.", "softened"),
        ("A former member told Newsweek that Turkey helped.", "dropped"),
    ],
)
def test_caveat(text: str, status: str) -> None:
    assert caveat(text) == status


def test_stance_profile_rates_and_intervals() -> None:
    stance = pd.DataFrame(
        {
            "doc_id": ["a"] * 4,
            "sent_id": range(4),
            "n_words": [10, 10, 10, 10],
            "n_hedges": [1, 0, 1, 0],
            "n_boosters": [0, 0, 0, 0],
            "attributed": [True, False, False, False],
        }
    )
    articles = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"]})
    profile = stance_profile(stance, articles, n_boot=500).set_index("measure")
    assert profile.loc["hedges", "per_1000_words"] == 50.0
    assert profile.loc["attributed", "per_1000_words"] == 25.0
    assert profile.loc["boosters", ["low", "high"]].tolist() == [0.0, 0.0]
    assert profile.loc["hedges", "low"] <= 50.0 <= profile.loc["hedges", "high"]
    again = stance_profile(stance, articles, n_boot=500)
    assert again.equals(stance_profile(stance, articles, n_boot=500))


def test_hedge_survival_scopes_to_the_relayed_testimony() -> None:
    sentences = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "b", "c"],
            "sent_id": [0, 1, 0, 1, 0],
            "block_id": [0, 1, 0, 1, 0],
            "line": [1, 3, 1, 3, 1],
            "text": [
                "Newsweek was unable to independently verify the claims.",
                "Other news.",
                "Reportedly, a bridge fell.",
                "Omer told Newsweek it was easy.",
                "Officials spoke.",
            ],
        }
    )
    chain = pd.DataFrame(
        {"source": ["Newsweek"], "target": ["Sherko Omer"], "relation": ["quotes"]}
    )
    quotes = pd.DataFrame({"doc_id": ["b"], "block_id": [1], "utterance_speaker": ["Sherko Omer"]})
    table = hedge_survival(sentences, quotes, chain, "Newsweek").set_index("doc_id")
    assert table["status"].to_dict() == {"a": "kept", "b": "dropped", "c": "not relayed"}
    assert table.loc["a", "line"] == 1


def test_fightin_words_favours_the_words_an_outlet_uses_more() -> None:
    texts = pd.Series(
        {
            "a1": "daesh daesh invasion turkey border",
            "a2": "daesh invasion turkey",
            "b": "isis isis isis turkey border official",
            "c": "isis turkey border official statement",
        }
    )
    outlets = pd.Series({"a1": "A", "a2": "A", "b": "B", "c": "C"})
    docs = list(zip(outlets, texts, strict=True))
    table = fightin_words(docs)
    assert set(table["outlet"]) == {"A", "B", "C"}  # the two articles of A are pooled
    top = table.sort_values("z", ascending=False).groupby("outlet")["term"].first()
    assert top["A"] == "daesh"
    z = table.set_index(["outlet", "term"])["z"]
    assert z[("A", "daesh")] > 0 > z.get(("A", "isis"), -1)
    assert table.set_index(["outlet", "term"]).loc[("A", "daesh"), "count"] == 3
    assert set(tfidf_terms(docs).query("outlet == 'A'")["term"]) >= {"daesh", "invasion"}


def test_shared_passages_and_reuse_shares() -> None:
    common = "isis commanders told us to fear nothing at all because there was cooperation"
    texts = pd.Series(
        {
            "a": f"Intro words here. {common}. End.",
            "b": f"{common} and then many more words that appear only in this second text, "
            "enough of them to outweigh the passage it shares with the first one",
            "c": "completely different text without any overlap with the others at all",
        }
    )
    pairs, passages = reuse_tables(texts, n=8)
    ab = passages[(passages["doc_a"] == "a") & (passages["doc_b"] == "b")]
    assert len(ab) == 1 and ab["n_words"].iloc[0] == 13
    start, end = ab[["start_a", "end_a"]].iloc[0]
    assert texts["a"][start:end] == common
    pairs = pairs.set_index(["doc_a", "doc_b"])
    assert pairs.loc[("a", "b"), "share_of_a_in_b"] == round(13 / 17, 4)
    # pairs with nothing in common are not listed at all (the table is sparse)
    assert ("a", "c") not in pairs.index or pairs.loc[("a", "c"), "share_of_a_in_b"] == 0.0
    assert bool(pairs.loc[("a", "b"), "republication"])
    assert not bool(pairs.loc[("b", "a"), "republication"])


def test_claim_status_attributed_hedged_asserted() -> None:
    sentences = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "sent_id": [0, 0, 0, 0],
            "line": [1, 1, 1, 1],
            "start": [0, 0, 0, 0],
            "end": [10, 10, 10, 10],
            "text": [
                "Omer said Turkey let ISIS fighters cross the border.",
                "Turkey reportedly let ISIS fighters cross the border.",
                "Turkey let ISIS fighters cross the border.",
                "Turkey hosted a football match.",
            ],
        }
    )
    mentions = pd.DataFrame(
        {
            "doc_id": list("aabbccd"),
            "sent_id": [0] * 7,
            "entity": ["Turkey", "ISIS"] * 3 + ["Turkey"],
        }
    )
    stance = pd.DataFrame(
        {
            "doc_id": list("abcd"),
            "sent_id": [0] * 4,
            "attributed": [True, False, False, False],
            "n_hedges": [0, 1, 0, 0],
        }
    )
    matches = match_claims([(sentences, mentions, stance)])
    c1 = matches[matches["claim_id"] == "C1"].set_index("doc_id")["status"].to_dict()
    assert c1 == {"a": "attributed", "b": "hedged", "c": "asserted"}
    matrix = claim_matrix(matches, ["a", "b", "c", "d"])
    assert matrix.loc["C1"].tolist() == ["attributed", "hedged", "asserted", "absent"]
    assert (matrix.loc["C4"] == "absent").all()
    # documents in two chunks, each with its own mentions and stance: the same matches,
    # and every sentence of both still weighs in the TF-IDF
    halves = [
        tuple(
            t[t["doc_id"].isin(docs)].reset_index(drop=True) for t in (sentences, mentions, stance)
        )
        for docs in (["a", "b"], ["c", "d"])
    ]
    pd.testing.assert_frame_equal(match_claims(halves), matches)
    wording = {c["id"]: c["wording"] for c in claims()}
    vec = TfidfVectorizer(stop_words="english").fit([*sentences["text"], *wording.values()])
    for row in matches.itertuples():
        pair = vec.transform([row.text, wording[row.claim_id]])
        assert row.similarity == round(float((pair[0] @ pair[1].T).toarray()[0, 0]), 3)


def test_labels_from_the_parse() -> None:
    doc = get_nlp()(
        "The Turkish army gives IS terrorists weapons, and Turkey, a NATO "
        "member, says the extremist group is a threat."
    )
    found = {(r["entity"], r["label"], r["relation"]) for r in block_labels(doc)}
    assert ("ISIS", "terrorists", "head noun") in found
    assert ("Turkey", "nato member", "apposition") in found
    assert ("ISIS", "extremist group", "stand-in") in found


def test_reuse_scales_by_keeping_each_articles_closest_partners(monkeypatch) -> None:
    import helpers.across.reuse as reuse

    monkeypatch.setattr(reuse, "ALL_PAIRS_UP_TO", 3)
    base = "isis commanders told us to fear nothing at all because there was cooperation"
    texts = pd.Series(
        {f"d{i}": f"{base} story {i} " + " ".join(f"w{i}x{k}" for k in range(20)) for i in range(8)}
    )
    pairs, passages = reuse.reuse_tables(texts, n=8, top_k=2)
    assert passages.groupby("doc_a")["doc_b"].nunique().max() <= 2
    assert pairs.groupby("doc_a")["doc_b"].nunique().max() <= 4  # top 2 by reuse + by cosine
    # each shared run is the 13 base words plus "story": 14 words
    assert set(pairs["longest_passage"]) <= {0, 14}


def test_claim_counts_fill_every_claim_and_article_in_order() -> None:
    matches = pd.DataFrame(
        {
            "claim_id": ["C2", "C2", "C1", "C2"],
            "doc_id": ["b", "b", "a", "a"],
            "status": ["hedged", "asserted", "attributed", "hedged"],
        }
    )
    counts = claim_counts(matches, ["b", "a", "c"])
    ids = [c["id"] for c in claims()]
    assert counts.index.tolist() == ids  # the rows of claim_matrix, in claims.toml order
    assert counts.columns.tolist() == ["b", "a", "c"]
    assert counts.loc["C2"].tolist() == [2, 1, 0]
    assert counts.loc["C1"].tolist() == [0, 1, 0]
    assert int(counts.drop(index=["C1", "C2"]).to_numpy().sum()) == 0
    assert counts.index.equals(claim_matrix(matches, ["b", "a", "c"]).index)


def test_similarity_matrix_is_square_with_ones_on_the_diagonal() -> None:
    similarity = pd.DataFrame(
        {
            "doc_a": ["a", "b", "a", "c"],
            "doc_b": ["b", "a", "c", "a"],
            "cosine": [0.25, 0.25, 0.5, 0.5],
        }
    )
    wide = similarity_matrix(similarity)
    assert wide.index.tolist() == wide.columns.tolist() == ["a", "b", "c"]
    assert wide.loc["a"].tolist() == [1.0, 0.25, 0.5]
    assert wide.loc["c", "a"] == 0.5
    assert [wide.loc[d, d] for d in "abc"] == [1.0, 1.0, 1.0]
    # b and c share nothing the table lists: unknown, not 0
    assert pd.isna(wide.loc["b", "c"]) and pd.isna(wide.loc["c", "b"])


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("A spokesman denied any ransom had been paid.", "denied"),
        ("The company rejects the allegations.", "denied"),
        ("What we don’t know: whether the firm paid the ransom.", "questioned"),
        ("It is unclear whether the regulator will act.", "questioned"),
        ("The firm paid the ransom, the paper said.", None),
        ("Whether to pay was the board's decision.", None),
    ],
)
def test_a_denial_or_an_open_question_sets_the_claim_status(sentence: str, status: str) -> None:
    assert claim_status(sentence) == status


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("The Wire could not independently confirm the engineer's account.", "kept"),
        ("We could not verify the figures.", "kept"),
        ("The footage, which is unverified, shows the yard.", "kept"),
        ("The engineer reportedly signed the cards.", "softened"),
        ("The engineer signed the cards.", "dropped"),
    ],
)
def test_any_verification_caveat_is_recognised(sentence: str, verdict: str) -> None:
    assert caveat(sentence) == verdict


def test_a_caveat_that_names_neither_outlet_nor_speaker_is_about_the_relayed_account() -> None:
    sentences = pd.DataFrame(
        {
            "doc_id": ["w", "w", "x"],
            "block_id": [0, 1, 0],
            "text": [
                "The Courier quoted the engineer, Dana Whitlock.",
                "The Wire could not independently confirm the engineer's account.",
                "The Ledger could not verify the price of fuel.",  # relays nothing
            ],
        }
    )
    quotes = pd.DataFrame(columns=["doc_id", "block_id", "utterance_speaker"])
    chain = pd.DataFrame(
        {"source": ["Courier"], "target": ["Dana Whitlock"], "relation": ["quotes"]}
    )
    about = about_testimony(sentences, quotes, chain, "Courier")
    assert about.tolist() == [True, True, False]
