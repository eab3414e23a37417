"""Corpus-level summaries for the first notebook: what was kept, what was dropped, why."""

from __future__ import annotations

import pandas as pd

from helpers.ingest.corpus import outlet_labels
from helpers.schema import BlockRule

# Roles grouped for the kept/dropped picture.
ROLE_GROUPS = {
    "headline": "article text",
    "standfirst": "article text",
    "body": "article text",
    "subheading": "article text",
    "blockquote": "quoted / embedded",
    "embed": "quoted / embedded",
    "byline": "metadata",
    "dateline": "metadata",
    "credit": "metadata",
    "caption": "captions & credits",
    "boilerplate": "page chrome",
}


def corpus_summary(articles: pd.DataFrame, blocks: pd.DataFrame) -> pd.DataFrame:
    """One row per article: outlet, status, language (the English rules read only `en` and
    `und`), date, words kept, raw lines kept and dropped."""
    lines = blocks.assign(n=blocks["line_end"] - blocks["line_start"] + 1)
    kept = lines[lines["is_body"]].groupby("doc_id")["n"].sum()
    dropped = lines[~lines["is_body"]].groupby("doc_id")["n"].sum()
    columns = ["doc_id", "status", "language", "published", "published_month", "n_words"]
    out = articles[columns].copy()
    out.insert(1, "outlet", outlet_labels(articles).to_numpy())
    out["lines_kept"] = out["doc_id"].map(kept).fillna(0).astype(int)
    out["lines_dropped"] = out["doc_id"].map(dropped).fillna(0).astype(int)
    total = out["lines_kept"] + out["lines_dropped"]
    out["share_kept"] = (out["lines_kept"] / total.where(total > 0)).round(3)
    return out.sort_values(["published_month", "doc_id"], na_position="last", ignore_index=True)


def role_shares(blocks: pd.DataFrame) -> pd.DataFrame:
    """Share of each document's non-blank raw lines per role group (tidy, long form)."""
    lines = blocks.assign(
        n=blocks["line_end"] - blocks["line_start"] + 1,
        group=blocks["role"].map(ROLE_GROUPS).fillna("other"),
    )
    counts = lines.groupby(["doc_id", "group"], as_index=False)["n"].sum()
    counts["share"] = (counts["n"] / counts.groupby("doc_id")["n"].transform("sum")).round(4)
    return counts.sort_values(["doc_id", "group"], ignore_index=True)


def drop_reasons(blocks: pd.DataFrame) -> pd.DataFrame:
    """How many raw lines each reason removed, per document (wide: reasons x documents)."""
    dropped = blocks[~blocks["is_body"]]
    lines = dropped.assign(n=dropped["line_end"] - dropped["line_start"] + 1)
    table = lines.pivot_table(
        index="reason", columns="doc_id", values="n", aggfunc="sum", fill_value=0
    )
    return table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]


def judgement_calls(blocks: pd.DataFrame, width: int = 70) -> pd.DataFrame:
    """Dropped lines decided by context rather than by a chrome pattern: the ones to check."""
    pattern_rules: list[BlockRule] = ["page_chrome", "menu_run", "menu_item", "bare_url"]
    mask = ~blocks["is_body"] & ~blocks["rule"].isin(pattern_rules)
    out = blocks.loc[mask, ["doc_id", "line_start", "role", "reason", "text"]].copy()
    out["text"] = out["text"].str.slice(0, width)
    return out.reset_index(drop=True)
