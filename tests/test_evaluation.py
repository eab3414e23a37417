"""The scorers themselves, on tiny inputs whose scores are worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.analysis.evaluation import (
    body_lines,
    bootstrap,
    caveats,
    claims,
    document_counts,
    entity_counts,
    evaluate,
    quotes,
    sources,
    with_intervals,
)
from helpers.analysis.tables import load_tables


def test_body_line_scores(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text("Head\n\nText one.\nMenu\nText two.\n", encoding="utf-8")
    gold = pd.DataFrame(
        {
            "doc_id": ["d", "d", "d"],
            "first": ["1", "4", "5"],
            "last": ["3", "4", "5"],
            "is_body": ["1", "0", "1"],
        }
    )
    blocks = pd.DataFrame(
        {
            "doc_id": ["d"] * 4,
            "line_start": [1, 3, 4, 5],
            "line_end": [1, 3, 4, 5],
            "is_body": [True, False, True, True],
        }
    )
    summary, misses = body_lines(blocks, gold, tmp_path)
    # gold content: lines 1, 3, 5 (line 2 is blank); predicted content: 1, 4, 5
    assert summary["n"] == 4
    assert (summary["tp"], summary["fp"], summary["fn"]) == (2, 1, 1)
    assert (summary["precision"], summary["recall"]) == (0.667, 0.667)
    assert set(misses["line"]) == {3, 4}


def test_entity_count_accuracy() -> None:
    gold = pd.DataFrame(
        {"doc_id": ["a", "a"], "entity": ["ISIS", "YPG"], "count": ["2", "0"], "note": ["", ""]}
    )
    mentions = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a"],
            "entity": ["ISIS", "ISIS", "ISIS"],
            "target": [True, True, True],
        }
    )
    summary, misses = entity_counts(mentions, gold)
    assert summary["accuracy"] == 0.5 and summary["mean_abs_error"] == 0.5
    assert misses[["entity", "gold", "predicted"]].values.tolist() == [["ISIS", 2, 3]]


def test_quote_matching_kinds_and_speakers() -> None:
    gold = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a"],
            "line": ["1", "3", "5"],
            "starts_with": ["We came", "ally", "Nobody found"],
            "kind": ["direct", "scare", "direct"],
            "speaker": ["Sherko Omer", "", "Omer"],
            "speaker_alternatives": ["", "", ""],
        }
    )
    predicted = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a"],
            "line": [1, 3, 9],
            "text": ["We came at night,", "ally", "Extra words"],
            "kind": ["direct", "partial", "direct"],
            "speaker": ["sherko omer", "unattributed", "X"],
            "utterance_speaker": ["Sherko Omer", "unattributed", "X"],
        }
    )
    rows, misses = quotes(predicted, gold)
    found, kind, speaker, _ = rows
    assert (found["tp"], found["fp"], found["fn"]) == (2, 1, 1)
    assert kind["accuracy"] == 0.5
    assert speaker["accuracy"] == 1.0 and speaker["n"] == 1
    assert len(misses) == 3  # the kind error, the missed quote, the extra quote


def test_source_recall_precision_and_best_match() -> None:
    gold = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a"],
            "source": ["report from Rojava", "Newsweek", "Prosecutors"],
            "source_type": ["document_statement", "news_media", "court_legal"],
            "type_alternatives": ["", "", ""],
            "source_alternatives": ["", "", ""],
        }
    )
    predicted = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a"],
            "source": ["Rojava Information Center", "a report from Rojava", "Newsweek"],
            "source_type": ["social_media", "document_statement", "news_media"],
        }
    )
    summary, misses = sources(predicted, gold)
    assert (summary["tp"], summary["fn"]) == (2, 1)
    assert summary["accuracy"] == 1.0  # the best match, not the first, is compared
    assert "Prosecutors" in set(misses["source"])


def test_a_corpus_the_annotation_does_not_belong_to_is_not_scored() -> None:
    tables = load_tables()
    other = {**tables, "articles": tables["articles"].assign(sha256="0" * 64)}
    summary, misses = evaluate(other)
    assert summary.empty and all(m.empty for m in misses.values())
    assert len(evaluate(tables)[0]) > 0  # the seeds themselves are scored


def _counts(rows: list[tuple]) -> pd.DataFrame:
    columns = ["doc_id", "task", "tp", "fp", "fn", "right", "n", "measure"]
    return pd.DataFrame(rows, columns=columns)


def test_bootstrap_pools_counts_and_brackets_the_score() -> None:
    counts = _counts(
        [
            ("a", "quotes", 3, 1, 0, 0, 4, "F1"),
            ("b", "quotes", 1, 0, 2, 0, 3, "F1"),
            ("a", "speaker", 0, 0, 0, 3, 3, "accuracy"),
            ("b", "speaker", 0, 0, 0, 0, 1, "accuracy"),
        ]
    )
    out = bootstrap(counts, replicates=400).set_index("task")
    assert out.loc["quotes", "score"] == 2 * 4 / (2 * 4 + 1 + 2)  # pooled, not averaged
    assert out.loc["speaker", "score"] == 3 / 4
    # every draw is some mix of the two articles: its F1 lies between theirs alone
    assert 2 / 4 <= out.loc["quotes", "low"] < out.loc["quotes", "score"]
    assert out.loc["quotes", "score"] < out.loc["quotes", "high"] <= 6 / 7
    assert (out["articles"] == 2).all()
    assert bootstrap(counts, replicates=400).equals(bootstrap(counts, replicates=400))
    assert bootstrap(counts.iloc[0:0]).empty


def test_a_perfect_article_set_has_no_spread_and_an_error_widens_it() -> None:
    perfect = _counts([(d, "quotes", 5, 0, 0, 0, 5, "F1") for d in "abcd"])
    out = bootstrap(perfect).iloc[0]
    assert out["score"] == out["low"] == out["high"] == 1.0
    flawed = _counts([*perfect.itertuples(index=False), ("e", "quotes", 1, 4, 4, 0, 5, "F1")])
    assert bootstrap(flawed).iloc[0]["low"] < 0.9


def test_document_counts_add_up_to_the_corpus_scores(seed_tables) -> None:
    summary, _ = evaluate(seed_tables)
    counts = document_counts(seed_tables)
    assert counts["doc_id"].nunique() == len(seed_tables["articles"])
    for r in summary[summary["f1"].notna()].itertuples():
        mine = counts[counts["task"] == r.task][["tp", "fp", "fn"]].sum()
        assert (mine["tp"], mine["fp"], mine["fn"]) == (r.tp, r.fp, r.fn)
    pooled = bootstrap(counts).set_index("task")["score"]
    for r in summary[summary["f1"].isna()].itertuples():
        assert round(pooled[r.task], 3) == r.accuracy
    typed = summary.set_index("task").loc["sources", "accuracy"]
    assert round(pooled["source type"], 3) == typed


def test_claims_are_matched_by_sentence_and_claim_then_status() -> None:
    predicted = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "b"],
            "line": [3, 3, 7, 2],
            "claim_id": ["C1", "C2", "C1", "C1"],
            "status": ["attributed", "asserted", "denied", "hedged"],
            "text": [
                "Officials said the ferry carried arms. Later they denied it.",
                "Officials said the ferry carried arms. Later they denied it.",
                "The ministry denied that the ferry carried arms.",
                "The ferry may have carried arms.",
            ],
        }
    )
    gold = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "b"],
            "line": ["3", "7", "2", "9"],
            "starts_with": ["Officials said the", "The ministry denied", "The ferry may", "Nobody"],
            "claim_id": ["C1", "C1", "C1", "C1"],
            "status": ["attributed", "denied", "questioned", "asserted"],
        }
    )
    (found, status), misses = claims(predicted, gold)
    assert (found["tp"], found["fn"], found["fp"]) == (3, 1, 1)  # C2 on line 3 is extra
    assert status["n"] == 3 and status["accuracy"] == round(2 / 3, 3)
    assert {"Nobody", "The ferry may"} <= set(misses["starts_with"])


def test_verification_caveats_found_missed_and_extra() -> None:
    sentences = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b"],
            "line": [4, 5, 2],
            "text": [
                "The account could not be independently verified.",
                "He said the trucks crossed at night.",
                "The Herald could not independently confirm the figures.",
            ],
        }
    )
    gold = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b"],
            "line": ["4", "5", "3"],
            "starts_with": ["The account could", "He said the", "No evidence was"],
            "kind": ["verification", "hedge", "verification"],
        }
    )
    summary, misses = caveats(sentences, gold)
    assert (summary["tp"], summary["fn"], summary["fp"]) == (1, 1, 1)  # b's line 2 is extra
    assert summary["n"] == 2  # hedges are not verification caveats
    assert set(misses["text"].str[:8]) == {"No evide", "The Hera"}


def test_scores_with_intervals_side_by_side_blank_where_a_set_has_none() -> None:
    seeds = pd.DataFrame(
        [("quotes", "F1", 1.0, 0.95, 1.0, 5), ("quote kind", "accuracy", 0.9, 0.8, 1.0, 5)],
        columns=["task", "measure", "score", "low", "high", "articles"],
    )
    devset = pd.DataFrame(
        [("quotes", "F1", 0.981, 0.962, 0.995, 20), ("headline", "exact", 0.5, 0.3, 0.7, 20)],
        columns=["task", "measure", "score", "low", "high", "articles"],
    )
    out = with_intervals(seeds, devset).set_index(["task", "measure"])
    assert out.loc[("quotes", "F1"), "development set"] == "0.98 (0.96 to 0.99), 20 articles"
    assert out.loc[("quotes", "F1"), "seeds"] == "1.00 (0.95 to 1.00), 5 articles"
    assert pd.isna(out.loc[("headline", "exact"), "seeds"])
    assert pd.isna(out.loc[("quote kind", "accuracy"), "development set"])
    assert list(with_intervals(seeds, devset.iloc[0:0]).columns)[-1] == "development set"
