"""Epistemic stance: hedges, boosters and attribution, per sentence and per article."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import numpy as np
import pandas as pd

from .corpus import in_blocks, outlet_labels
from .lexicons import read_toml


@cache
def _patterns() -> dict[str, re.Pattern]:
    lex = read_toml("stance.toml")

    def alternation(words: list[str]) -> re.Pattern:
        ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
        return re.compile(
            r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])", re.IGNORECASE
        )

    return {
        "hedges": alternation(lex["hedges"]),
        "boosters": alternation(lex["boosters"]),
        "verification": re.compile(
            "|".join(f"(?:{p})" for p in lex["caveats"]["verification"]), re.IGNORECASE
        ),
        "soft": alternation(lex["caveats"]["soft"]),
    }


def markers(text: str) -> dict[str, list[str]]:
    """Hedges and boosters found in ``text`` (lower-cased, in order)."""
    text = text.replace("’", "'")
    hedges = list(_patterns()["hedges"].finditer(text))
    # a booster inside a hedge phrase ("if confirmed") is part of the hedge
    boosters = [
        m
        for m in _patterns()["boosters"].finditer(text)
        if not any(h.start() <= m.start() < h.end() for h in hedges)
    ]
    return {
        "hedges": [m.group(0).lower() for m in hedges],
        "boosters": [m.group(0).lower() for m in boosters],
    }


def caveat(text: str) -> str:
    """How a text treats the verification of a claim: ``kept`` (an explicit caveat),
    ``softened`` (only distancing words), ``dropped`` (neither)."""
    if _patterns()["verification"].search(text):
        return "kept"
    if _patterns()["soft"].search(text.replace("’", "'")):
        return "softened"
    return "dropped"


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


def about_testimony(
    sentences: pd.DataFrame, quotes: pd.DataFrame, chain: pd.DataFrame, original: str
) -> pd.Series:
    """Which sentences are about the testimony relayed from ``original``: those naming it
    or a speaker it is quoted as relaying (chain edges ``original -> speaker``), and those
    in paragraphs holding quotes of those speakers."""
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
    return names_it | in_blocks(sentences, quoted_blocks)


CAVEAT_TYPES = {  # the caveats table's columns and dtypes
    **dict.fromkeys(["doc_id", "original", "status"], "str"),
    **{"sentences_about": "int64", "line": "Int64", "evidence": "str"},
}


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
    return pd.DataFrame(rows, columns=list(CAVEAT_TYPES)).astype({"line": "Int64"})
