"""The scorers themselves, on tiny inputs whose scores are worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.analysis.evaluation import body_lines, entity_counts, evaluate, quotes, sources
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
