"""Figures of the corpus notebook: publication timeline and what the cleaner kept."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from helpers.figures.save import PALETTE, outlet_colors


def timeline(summary: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """Publication dates per outlet; month-only dates drawn hollow at mid-month."""
    data = summary[summary["published_month"].notna()].copy()
    data["date"] = pd.to_datetime(data["published"].fillna(data["published_month"] + "-15"))
    data["precision"] = data["published"].notna().map({True: "day", False: "month"})
    data = data.sort_values(["date", "outlet"], ignore_index=True)
    colors = outlet_colors(summary["outlet"].tolist())
    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * max(len(data), 1)))
    for row in data.itertuples():
        solid = row.precision == "day"
        ax.scatter(
            row.date,
            row.outlet,
            s=80,
            color=colors[row.outlet] if solid else "white",
            edgecolor=colors[row.outlet],
            linewidth=2,
            zorder=3,
        )
        ax.annotate(
            f"{row.n_words:,} words",
            (row.date, row.outlet),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    date_axis(ax, data["date"])
    ax.set(title="When each outlet published", xlabel="Publication date", ylabel="")
    ax.margins(y=0.2)
    return fig, data[["doc_id", "outlet", "date", "precision", "n_words"]]


def date_axis(ax: plt.Axes, dates: pd.Series) -> None:
    """Ticks that suit the span, from one day (hours) to years: matplotlib's automatic
    locator with its concise labels, over at least a week around the dates, with room on
    the right for the word-count labels."""
    if dates.empty:
        return
    first, last = dates.min(), dates.max()
    span = max(last - first, pd.Timedelta(days=7))
    ax.set_xlim(first - span * 0.1, last + span * 0.3)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def kept_shares(shares: pd.DataFrame, labels: pd.Series) -> tuple[plt.Figure, pd.DataFrame]:
    """Stacked bars: share of each page's raw lines by role group."""
    data = shares.assign(outlet=shares["doc_id"].map(labels))
    wide = data.pivot_table(index="outlet", columns="group", values="share", fill_value=0)
    order = ["article text", "quoted / embedded", "metadata", "captions & credits", "page chrome"]
    wide = wide.reindex(columns=[c for c in order if c in wide.columns])
    fig, ax = plt.subplots(figsize=(8, 0.6 + 0.5 * len(wide)))
    wide.mul(100).plot.barh(stacked=True, ax=ax, width=0.7, color=PALETTE[: len(wide.columns)])
    ax.set(
        title="What each page copy is made of", xlabel="Share of non-blank raw lines (%)", ylabel=""
    )
    ax.set_xlim(0, 100)
    ax.legend(ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.25), frameon=False)
    return fig, data.sort_values(["outlet", "group"], ignore_index=True)
