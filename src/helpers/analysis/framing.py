"""Summaries for the framing notebook: stance per outlet, the claim matrix with its sentence
counts, and the article-by-article similarity matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.across.claims import STATUS_ORDER, claims
from helpers.ingest.corpus import outlet_labels


def stance_profile(
    stance: pd.DataFrame, articles: pd.DataFrame, n_boot: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """Hedges, boosters and attributed sentences per 1,000 words for each article, with
    95 % bootstrap intervals over its sentences (fixed seed). Pass the author-voice
    sentences to describe the outlet's own stance, not its sources'."""
    rng = np.random.default_rng(seed)
    rows = []
    for doc_id, group in stance.groupby("doc_id", sort=True):
        words = group["n_words"].to_numpy()
        values = {
            "hedges": group["n_hedges"].to_numpy(),
            "boosters": group["n_boosters"].to_numpy(),
            "attributed": group["attributed"].to_numpy().astype(float),
        }
        picks = rng.integers(0, len(group), size=(n_boot, len(group)))
        for measure, counts in values.items():
            rate = 1000 * counts.sum() / words.sum()
            boot = 1000 * counts[picks].sum(axis=1) / words[picks].sum(axis=1)
            low, high = np.percentile(boot, [2.5, 97.5])
            rows.append(
                {
                    "doc_id": doc_id,
                    "measure": measure,
                    "per_1000_words": round(rate, 2),
                    "low": round(float(low), 2),
                    "high": round(float(high), 2),
                    "n_sentences": len(group),
                    "n_words": int(words.sum()),
                }
            )
    table = pd.DataFrame(rows)
    table.insert(1, "outlet", table["doc_id"].map(outlet_labels(articles)))
    return table


def attribution_density(stance: pd.DataFrame) -> pd.DataFrame:
    """Share of claim sentences (naming a study entity) tied to a source, per article."""
    claims = stance[stance["names_study_entity"]]
    table = claims.groupby("doc_id").agg(
        claim_sentences=("sent_id", "size"), attributed=("attributed", "sum")
    )
    table["density"] = (table["attributed"] / table["claim_sentences"]).round(3)
    return table.reset_index()


def claim_matrix(matches: pd.DataFrame, doc_ids: list[str]) -> pd.DataFrame:
    """Claim x article: the strongest status found (asserted > hedged > attributed)."""
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    grid = pd.DataFrame("absent", index=[c["id"] for c in claims()], columns=doc_ids)
    for (claim_id, doc_id), group in matches.groupby(["claim_id", "doc_id"]):
        grid.loc[claim_id, doc_id] = min(group["status"], key=rank.__getitem__)
    return grid


def claim_counts(matches: pd.DataFrame, doc_ids: list[str]) -> pd.DataFrame:
    """Claim x article: how many sentences match, 0 where none do. Rows and columns are
    those of ``claim_matrix``, so each framing cell can show the evidence behind it."""
    ids = [c["id"] for c in claims()]
    grid = pd.MultiIndex.from_product([ids, doc_ids], names=["claim_id", "doc_id"])
    counts = matches.groupby(["claim_id", "doc_id"]).size().reindex(grid, fill_value=0)
    return counts.unstack().reindex(index=ids, columns=doc_ids)


def similarity_matrix(similarity: pd.DataFrame) -> pd.DataFrame:
    """Article x article TF-IDF cosine, square over every article in either column, with 1
    on the diagonal (the table holds pairs only, and clustering needs the full square).
    Pairs the table does not list stay missing rather than being read as unrelated."""
    wide = similarity.pivot_table(index="doc_a", columns="doc_b", values="cosine")
    docs = sorted({*similarity["doc_a"], *similarity["doc_b"]})
    wide = wide.reindex(index=docs, columns=docs)
    for doc in docs:
        wide.loc[doc, doc] = 1.0
    return wide
