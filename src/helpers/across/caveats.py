"""Caveat survival: whether articles relaying testimony keep the original's hedges."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from helpers.annotate.stance import caveat
from helpers.ingest.corpus import in_blocks
from helpers.schema import TABLE_COLUMNS


def about_testimony(
    sentences: pd.DataFrame, quotes: pd.DataFrame, chain: pd.DataFrame, original: str
) -> pd.Series:
    """Which sentences are about the testimony relayed from ``original``: those naming it
    or a speaker it is quoted as relaying (chain edges ``original -> speaker``), and those
    in paragraphs holding quotes of those speakers, and the verification caveats of the
    articles those are in."""
    speakers = set(
        chain.loc[(chain["source"] == original) & (chain["relation"] == "quotes"), "target"]
    )
    names = sorted({original} | {s.split()[-1] for s in speakers if s[:1].isupper()})
    relayed = quotes[quotes["utterance_speaker"].isin(speakers)]
    quoted_blocks = set(zip(relayed["doc_id"], relayed["block_id"], strict=True))
    names_it = (
        sentences["text"].str.contains("|".join(map(re.escape, names)), regex=True)
        if names
        else pd.Series(False, index=sentences.index)
    )
    about = names_it | in_blocks(sentences, quoted_blocks)
    # a verification caveat ("could not independently confirm the engineer's account") is
    # about the relayed testimony in an article that relays it, whatever it names
    relaying = sentences["doc_id"].isin(set(sentences.loc[about, "doc_id"]))
    return about | (relaying & sentences["text"].map(caveat).eq("kept"))


def hedge_survival(
    sentences: pd.DataFrame,
    quotes: pd.DataFrame,
    chain: pd.DataFrame,
    original: str,
    doc_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Per article (``doc_ids``, by default those with ``sentences``): does it keep the
    original outlet's verification caveat about the testimony it relays (``kept``),
    soften it to distancing words (``softened``), drop it (``dropped``), or not relay
    that outlet at all (``not relayed``)?

    Only sentences about the relayed testimony count (``about_testimony``), so
    ``sentences`` may hold just those.
    """
    about = sentences[about_testimony(sentences, quotes, chain, original)]
    verdict = about["text"].map(caveat)
    rank = verdict.map({"kept": 0, "softened": 1, "dropped": 2})
    best = (
        about.assign(caveat=verdict, rank=rank)
        .sort_values(["doc_id", "rank", "sent_id"])
        .groupby("doc_id")
        .head(1)
        .set_index("doc_id")
    )
    counts = about.groupby("doc_id").size()
    rows = []
    for doc_id in sorted(sentences["doc_id"].unique() if doc_ids is None else doc_ids):
        row = {
            "doc_id": doc_id,
            "original": original,
            "status": "not relayed",
            "sentences_about": int(counts.get(doc_id, 0)),
            "line": None,
            "evidence": None,
        }
        if doc_id in best.index:
            found = best.loc[doc_id]
            row["status"] = found["caveat"]
            if found["caveat"] != "dropped":
                row["line"], row["evidence"] = int(found["line"]), found["text"]
        rows.append(row)
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS["caveats"])).astype({"line": "Int64"})
