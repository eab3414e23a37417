"""Score the extractors against the hand annotation in ``data/annotations``.

Each scorer returns a one-row summary (precision, recall, F1 or accuracy, counts) and the
list of disagreements, so a reader can see both how far to trust a chart and where it errs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.annotate.stance import caveat
from helpers.paths import DATA_DIR, RAW_DIR
from helpers.text import fold

ANNOTATION_DIR = DATA_DIR / "annotations"


def read_annotations(folder: Path = ANNOTATION_DIR) -> dict[str, pd.DataFrame]:
    return {
        p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in sorted(folder.glob("*.csv"))
    }


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def body_lines(
    blocks: pd.DataFrame,
    gold: pd.DataFrame,
    raw_dir: Path = RAW_DIR,
) -> tuple[dict, pd.DataFrame]:
    """Line-level content/chrome agreement over every non-blank annotated raw line."""
    predicted = {
        (b.doc_id, n): bool(b.is_body)
        for b in blocks.itertuples()
        for n in range(b.line_start, b.line_end + 1)
    }
    rows = []
    for doc_id, spans in gold.groupby("doc_id"):
        lines = (raw_dir / f"{doc_id}.txt").read_text(encoding="utf-8").split("\n")
        for span in spans.itertuples():
            for n in range(int(span.first), int(span.last) + 1):
                if lines[n - 1].strip():
                    rows.append(
                        {
                            "doc_id": doc_id,
                            "line": n,
                            "gold": span.is_body == "1",
                            "predicted": predicted.get((doc_id, n), False),
                            "text": lines[n - 1].strip()[:80],
                        }
                    )
    table = pd.DataFrame(rows)
    tp = int((table["gold"] & table["predicted"]).sum())
    fp = int((~table["gold"] & table["predicted"]).sum())
    fn = int((table["gold"] & ~table["predicted"]).sum())
    misses = table[table["gold"] != table["predicted"]].reset_index(drop=True)
    return {"task": "body lines", "unit": "raw line", "n": len(table), **_prf(tp, fp, fn)}, misses


def entity_counts(mentions: pd.DataFrame, gold: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """Share of (article, study entity) mention counts that are exactly right."""
    found = mentions[mentions["target"]].groupby(["doc_id", "entity"]).size()
    table = gold.assign(gold=gold["count"].astype(int))
    table["predicted"] = [
        int(found.get((d, e), 0)) for d, e in zip(table["doc_id"], table["entity"], strict=True)
    ]
    exact = table["gold"] == table["predicted"]
    summary = {
        "task": "study-entity counts",
        "unit": "(article, entity) count",
        "n": len(table),
        "accuracy": round(float(exact.mean()), 3),
        "mean_abs_error": round(float((table["gold"] - table["predicted"]).abs().mean()), 3),
    }
    return summary, table.loc[~exact, ["doc_id", "entity", "gold", "predicted", "note"]]


def _norm(text: str) -> str:
    """Lower case, no diacritics, punctuation as spaces: for matching names and openings."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def _same_speaker(predicted: str, gold: str, alternatives: str) -> bool:
    if not gold:
        return predicted in {"", "unattributed"}
    names = [gold, *[a for a in alternatives.split("|") if a]]
    return _norm(predicted) in {_norm(n) for n in names}


def _pool(predicted: pd.DataFrame) -> pd.DataFrame:
    """Predicted rows ready for matching: their text normalised, their line a number."""
    return predicted.assign(norm=predicted["text"].map(_norm), line=predicted["line"].astype(int))


def _one_to_one(
    pool: pd.DataFrame, gold: pd.DataFrame, candidates: Callable[[tuple], pd.DataFrame]
) -> tuple[list[tuple[tuple, pd.Series | None]], pd.DataFrame]:
    """Each annotated row with the first of its ``candidates`` in ``pool`` that no earlier
    row took (None when there is none), and the predicted rows no annotated row took."""
    used: set[int] = set()
    pairs = []
    for g in gold.itertuples():
        hits = candidates(g)
        hits = hits[~hits.index.isin(used)]
        match = hits.iloc[0] if len(hits) else None
        if match is not None:
            used.add(match.name)
        pairs.append((g, match))
    return pairs, pool[~pool.index.isin(used)]


def quotes(predicted: pd.DataFrame, gold: pd.DataFrame) -> tuple[list[dict], pd.DataFrame]:
    """Quote detection (matched on article, raw line and first words), then kind and speaker
    accuracy on the matched quotes; speaker both as ``speaker`` and ``utterance_speaker``."""
    pool = _pool(predicted)
    pairs, extra = _one_to_one(
        pool,
        gold,
        lambda g: pool[
            (pool["doc_id"] == g.doc_id)
            & (pool["line"] == int(g.line))
            & pool["norm"].str.startswith(_norm(g.starts_with))
        ],
    )
    rows = []
    for g, match in pairs:
        rows.append(
            {
                "doc_id": g.doc_id,
                "line": int(g.line),
                "starts_with": g.starts_with,
                "found": match is not None,
                "gold_kind": g.kind,
                "kind": None if match is None else match["kind"],
                "gold_speaker": g.speaker,
                "speaker": None if match is None else match["speaker"],
                "speaker_ok": match is not None
                and _same_speaker(match["speaker"], g.speaker, g.speaker_alternatives),
                "utterance_speaker_ok": match is not None
                and _same_speaker(match["utterance_speaker"], g.speaker, g.speaker_alternatives),
            }
        )
    table = pd.DataFrame(rows)
    tp, fn, fp = int(table["found"].sum()), int((~table["found"]).sum()), len(extra)
    found = table[table["found"]]
    spoken = found[found["gold_kind"] != "scare"]
    summaries = [
        {"task": "quotes", "unit": "quotation", "n": len(table), **_prf(tp, fp, fn)},
        {
            "task": "quote kind",
            "unit": "matched quotation",
            "n": len(found),
            "accuracy": round(float((found["kind"] == found["gold_kind"]).mean()), 3),
        },
        {
            "task": "speaker",
            "unit": "matched spoken quotation",
            "n": len(spoken),
            "accuracy": round(float(spoken["speaker_ok"].mean()), 3),
        },
        {
            "task": "speaker (name agreed across relays)",
            "unit": "matched spoken quotation",
            "n": len(spoken),
            "accuracy": round(float(spoken["utterance_speaker_ok"].mean()), 3),
        },
    ]
    misses = table[
        ~table["found"] | (table["kind"] != table["gold_kind"]) | ~table["speaker_ok"]
    ].drop(columns=["utterance_speaker_ok"])
    extras = extra.assign(
        found=False,
        starts_with=extra["text"].str[:40],
        gold_kind="(none)",
        gold_speaker="(not a quote in the annotation)",
        speaker_ok=False,
    )
    columns = [
        "doc_id",
        "line",
        "starts_with",
        "found",
        "gold_kind",
        "kind",
        "gold_speaker",
        "speaker",
        "speaker_ok",
    ]
    return summaries, pd.concat([misses, extras.reindex(columns=columns)], ignore_index=True)


def _name_score(a: str, b: str) -> float:
    """How surely two source names refer to the same source: 3 equal, 2 one inside the
    other, else the share of content words they share (0 when none)."""
    x, y = _norm(a), _norm(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 3.0
    if x in y or y in x:
        return 2.0
    stop = {"the", "a", "an", "of", "in", "and", "from"}
    wx, wy = set(x.split()) - stop, set(y.split()) - stop
    return len(wx & wy) / min(len(wx), len(wy)) if wx and wy else 0.0


def sources(predicted: pd.DataFrame, gold: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """Recall (and precision) of attributed sources per article, with type accuracy."""
    rows, matched_predicted = [], set()
    for g in gold.itertuples():
        mine = predicted[predicted["doc_id"] == g.doc_id].drop_duplicates("source")
        names = [g.source, *[a for a in g.source_alternatives.split("|") if a]]
        scores = mine["source"].map(lambda s, names=names: max(_name_score(s, n) for n in names))
        # assign before filtering: a Series assigned to an empty frame would add rows
        scored = mine.assign(score=scores)
        hits = scored[scored["score"] >= 0.5].sort_values("score", ascending=False, kind="stable")
        match = hits.iloc[0] if len(hits) else None
        matched_predicted |= {(g.doc_id, s) for s in hits["source"]}
        types = {g.source_type, *[t for t in g.type_alternatives.split("|") if t]}
        rows.append(
            {
                "doc_id": g.doc_id,
                "source": g.source,
                "found": match is not None,
                "gold_type": g.source_type,
                "predicted": None if match is None else match["source"],
                "type": None if match is None else match["source_type"],
                "type_ok": match is not None and match["source_type"] in types,
            }
        )
    table = pd.DataFrame(rows)
    distinct = predicted.drop_duplicates(["doc_id", "source"])
    unmatched = distinct[
        [
            (d, s) not in matched_predicted
            for d, s in zip(distinct["doc_id"], distinct["source"], strict=True)
        ]
    ]
    tp, fn, fp = int(table["found"].sum()), int((~table["found"]).sum()), len(unmatched)
    found = table[table["found"]]
    summary = {
        "task": "sources",
        "unit": "(article, source)",
        "n": len(table),
        **_prf(tp, fp, fn),
        "accuracy": round(float(found["type_ok"].mean()), 3) if len(found) else 0.0,
    }
    extras = unmatched.assign(
        found=False,
        gold_type="(not in the annotation)",
        predicted=unmatched["source"],
        type=unmatched["source_type"],
        type_ok=False,
        source="",
    )
    misses = pd.concat(
        [table[~table["found"] | ~table["type_ok"]], extras.reindex(columns=table.columns)],
        ignore_index=True,
    )
    return summary, misses


def _sentence_match(pool: pd.DataFrame, doc_id: str, line: int, opening: str) -> pd.DataFrame:
    """The predicted sentences on an annotated sentence's line that begin with its opening
    words, or hold them (the two may split a line's sentences differently)."""
    start = _norm(opening)
    here = pool[(pool["doc_id"] == doc_id) & (pool["line"] == line)]
    return here[here["norm"].str.startswith(start) | here["norm"].str.contains(start, regex=False)]


def claims(predicted: pd.DataFrame, gold: pd.DataFrame) -> tuple[list[dict], pd.DataFrame]:
    """Claim detection, one unit per (sentence, claim), then the status (asserted,
    attributed, hedged, denied, questioned) of the claims found."""
    pool = _pool(predicted)

    def candidates(g: tuple) -> pd.DataFrame:
        hits = _sentence_match(pool, g.doc_id, int(g.line), g.starts_with)
        return hits[hits["claim_id"] == g.claim_id]

    pairs, extra = _one_to_one(pool, gold, candidates)
    rows = []
    for g, match in pairs:
        rows.append(
            {
                "doc_id": g.doc_id,
                "line": int(g.line),
                "starts_with": g.starts_with,
                "claim_id": g.claim_id,
                "found": match is not None,
                "gold_status": g.status,
                "status": None if match is None else match["status"],
            }
        )
    table = pd.DataFrame(
        rows,
        columns=["doc_id", "line", "starts_with", "claim_id", "found", "gold_status", "status"],
    )
    tp, fn, fp = int(table["found"].sum()), int((~table["found"]).sum()), len(extra)
    found = table[table["found"]]
    summaries = [
        {"task": "claims", "unit": "(sentence, claim)", "n": len(table), **_prf(tp, fp, fn)},
        {
            "task": "claim status",
            "unit": "matched (sentence, claim)",
            "n": len(found),
            "accuracy": round(float((found["status"] == found["gold_status"]).mean()), 3)
            if len(found)
            else 0.0,
        },
    ]
    extras = extra.assign(
        found=False, starts_with=extra["text"].str[:40], gold_status="(not in the annotation)"
    )
    misses = pd.concat(
        [
            table[~table["found"] | (table["status"] != table["gold_status"])],
            extras.reindex(columns=table.columns),
        ],
        ignore_index=True,
    )
    return summaries, misses


def caveats(sentences: pd.DataFrame, gold: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """Verification caveats ("could not independently verify", "unverified"): the
    sentences that state one, found or not, and the sentences taken for one wrongly."""
    said = sentences[sentences["text"].map(caveat) == "kept"]
    pool = _pool(said)
    pairs, extra = _one_to_one(
        pool,
        gold[gold["kind"] == "verification"],
        lambda g: _sentence_match(pool, g.doc_id, int(g.line), g.starts_with),
    )
    rows = [
        {"doc_id": g.doc_id, "line": int(g.line), "text": g.starts_with, "found": m is not None}
        for g, m in pairs
    ]
    table = pd.DataFrame(rows, columns=["doc_id", "line", "text", "found"])
    tp, fn, fp = int(table["found"].sum()), int((~table["found"]).sum()), len(extra)
    summary = {"task": "verification caveats", "unit": "sentence", "n": len(table)}
    misses = pd.concat(
        [table[~table["found"]], extra.assign(found=False).reindex(columns=table.columns)],
        ignore_index=True,
    )
    return {**summary, **_prf(tp, fp, fn)}, misses


SCORE_COLUMNS = [
    "task",
    "unit",
    "n",
    "precision",
    "recall",
    "f1",
    "accuracy",
    "mean_abs_error",
    "tp",
    "fp",
    "fn",
]
# task, annotation file, scorer of (tables, annotation, raw folder)
_SCORERS = [
    ("body lines", "body_lines", lambda t, g, raw: body_lines(t["blocks"], g, raw)),
    ("entity counts", "entity_counts", lambda t, g, _: entity_counts(t["mentions"], g)),
    ("quotes", "quotes", lambda t, g, _: quotes(t["quotes"], g)),
    ("sources", "sources", lambda t, g, _: sources(t["sources"], g)),
    ("claims", "claims", lambda t, g, _: claims(t["claims"], g)),
    ("caveats", "caveats", lambda t, g, _: caveats(t["sentences"], g)),
]
TASKS = tuple(task for task, _, _ in _SCORERS)


def annotated_documents(articles: pd.DataFrame, files: pd.DataFrame) -> list[str]:
    """The documents of a build that the annotation was made on: same document id and the
    same bytes (``files.csv`` holds each annotated file's sha256). A build of any other
    corpus, or of edited copies, has none, and is not scored against it."""
    built = set(zip(articles["doc_id"], articles["sha256"], strict=True))
    annotated = zip(files["doc_id"], files["sha256"], strict=True)
    return sorted(doc for doc, sha in annotated if (doc, sha) in built)


def evaluate(
    tables: dict[str, pd.DataFrame],
    folder: Path = ANNOTATION_DIR,
    raw_dir: Path = RAW_DIR,
    only: list[str] | None = None,
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Every score in one table, and the disagreements per task, over the documents the
    annotation belongs to (``annotated_documents``), or those of them in ``only``; no rows
    when there are none."""
    gold = read_annotations(folder)
    docs = annotated_documents(tables["articles"], gold["files"])
    if only is not None:
        docs = [d for d in docs if d in only]
    if not docs:
        return pd.DataFrame(columns=SCORE_COLUMNS), {task: pd.DataFrame() for task in TASKS}
    gold = {name: table[table["doc_id"].isin(docs)] for name, table in gold.items()}
    tables = {name: t[t["doc_id"].isin(docs)] if "doc_id" in t else t for name, t in tables.items()}
    # each task is scored where the annotation has it: a folder may annotate only some
    rows, misses = [], {}
    for task, name, score in _SCORERS:
        if name in gold:
            found, misses[task] = score(tables, gold[name], raw_dir)
            rows += found if isinstance(found, list) else [found]
    summary = pd.DataFrame(rows)
    return summary.reindex(columns=SCORE_COLUMNS), misses


def document_counts(
    tables: dict[str, pd.DataFrame], folder: Path = ANNOTATION_DIR, raw_dir: Path = RAW_DIR
) -> pd.DataFrame:
    """Each annotated document's counts per task (true and false positives and negatives,
    or right answers out of ``n``): the units a bootstrap over articles resamples."""
    gold = read_annotations(folder)
    rows = []
    for doc in annotated_documents(tables["articles"], gold["files"]):
        summary, _ = evaluate(tables, folder, raw_dir, only=[doc])
        for r in summary.itertuples():
            zero = {"doc_id": doc, "tp": 0, "fp": 0, "fn": 0, "right": 0}
            if pd.notna(r.f1):
                rows.append(
                    {**zero, "task": r.task, "tp": r.tp, "fp": r.fp, "fn": r.fn, "n": r.n}
                    | {"measure": "F1"}
                )
            if pd.notna(r.accuracy):
                # a source's type is scored over the sources found; accuracies are rounded
                # to 3 places, and a count below 500 survives it
                n = r.tp if pd.notna(r.f1) else r.n
                task = "source type" if pd.notna(r.f1) else r.task
                rows.append(
                    {**zero, "task": task, "right": round(r.accuracy * n), "n": n}
                    | {"measure": "accuracy"}
                )
    columns = ["doc_id", "task", "tp", "fp", "fn", "right", "n", "measure"]
    return pd.DataFrame(rows, columns=columns).astype(
        {c: int for c in ("tp", "fp", "fn", "right", "n")}
    )


def _scores(total: np.ndarray, is_f1: np.ndarray) -> np.ndarray:
    """F1 or share right from summed counts (last axis: tp, fp, fn, right, n)."""
    tp, fp, fn, right, n = np.moveaxis(total, -1, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(is_f1, 2 * tp / (2 * tp + fp + fn), right / n)


def bootstrap(
    counts: pd.DataFrame, replicates: int = 2000, level: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Each task's score with a percentile bootstrap interval over articles: articles are
    drawn with replacement and the score recomputed from their summed counts, so an
    interval says how much the figure would move on another sample of such articles."""
    columns = ["task", "measure", "score", "low", "high", "articles"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    tasks = list(dict.fromkeys(counts["task"]))
    docs = list(dict.fromkeys(counts["doc_id"]))
    array = np.zeros((len(docs), len(tasks), 5))
    rows = zip(counts["doc_id"].map(docs.index), counts["task"].map(tasks.index), strict=True)
    array[tuple(np.array(list(rows)).T)] = counts[["tp", "fp", "fn", "right", "n"]].to_numpy()
    measure = counts.groupby("task", sort=False)["measure"].first().reindex(tasks)
    is_f1 = (measure == "F1").to_numpy()
    draws = np.random.default_rng(seed).integers(0, len(docs), size=(replicates, len(docs)))
    spread = _scores(array[draws].sum(axis=1), is_f1)
    tail = (1 - level) / 2
    return pd.DataFrame(
        {
            "task": tasks,
            "measure": measure.to_numpy(),
            "score": _scores(array.sum(axis=0), is_f1),
            "low": np.nanquantile(spread, tail, axis=0),
            "high": np.nanquantile(spread, 1 - tail, axis=0),
            "articles": len(docs),
        },
        columns=columns,
    )


DEVSET_SCORES = DATA_DIR / "evaluation" / "devset.csv"  # written by ``make bench-devset``


def with_intervals(seeds: pd.DataFrame, devset: pd.DataFrame) -> pd.DataFrame:
    """One row per (task, measure): the score on the seed annotation and on the
    development set, each with its 95 % bootstrap interval over articles ("0.98 (0.95 to
    1.00)"), blank where a set does not score the task."""

    def cell(frame: pd.DataFrame) -> pd.Series:
        text = [
            f"{s:.2f} ({lo:.2f} to {hi:.2f}), {int(n)} articles"
            for s, lo, hi, n in zip(
                frame["score"], frame["low"], frame["high"], frame["articles"], strict=True
            )
        ]
        return pd.Series(text, index=pd.MultiIndex.from_frame(frame[["task", "measure"]]))

    columns = {"seeds": seeds, "development set": devset}
    joined = pd.concat({k: cell(v) for k, v in columns.items() if len(v)}, axis=1)
    return joined.reindex(columns=list(columns)).reset_index()
