"""Figures of the evaluation notebook: scores against the hand annotation."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from helpers.figures.save import PALETTE


def score_bars(summary: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """One bar per task: F1 where it has precision and recall, else accuracy."""
    data = summary.assign(
        score=summary["f1"].fillna(summary["accuracy"]),
        measure=summary["f1"].notna().map({True: "F1", False: "accuracy"}),
    )
    fig, ax = plt.subplots(figsize=(8, 0.8 + 0.45 * len(data)))
    ax.barh(data["task"], data["score"], color=PALETTE[0])
    for y, row in enumerate(data.itertuples()):
        ax.annotate(
            f"{row.measure} {row.score:.2f} (n = {row.n})",
            (row.score, y),
            xytext=(-4, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            color="white",
            fontsize=8,
        )
    ax.set(
        title="Extractors against the hand annotation", xlim=(0, 1), ylabel="", xlabel="Score (0-1)"
    )
    ax.invert_yaxis()
    return fig, data[["task", "unit", "n", "measure", "score"]]
