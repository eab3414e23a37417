"""Figures of the framing notebook: stance, labels, distinctive words, similarity, reuse,
claims.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from helpers.figures.save import outlet_colors, wrap_ticks


def stance_intervals(profile: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """Hedges, boosters and attributed sentences per 1,000 words, with 95 % intervals."""
    measures = ["hedges", "boosters", "attributed"]
    outlets = sorted(profile["outlet"].unique())
    colors = outlet_colors(outlets)
    fig, axes = plt.subplots(1, 3, figsize=(11, 0.8 + 0.5 * len(outlets)), sharey=True)
    for ax, measure in zip(axes, measures, strict=True):
        part = profile[profile["measure"] == measure].set_index("outlet").reindex(outlets)
        for y, (outlet, row) in enumerate(part.iterrows()):
            ax.errorbar(
                row["per_1000_words"],
                y,
                xerr=[[row["per_1000_words"] - row["low"]], [row["high"] - row["per_1000_words"]]],
                fmt="o",
                color=colors[outlet],
                capsize=3,
            )
        ax.set_yticks(range(len(outlets)), outlets)
        title = "sentences attributed" if measure == "attributed" else measure
        ax.set(title=title, xlabel="per 1,000 words")
        ax.set_xlim(left=0)
    axes[0].invert_yaxis()
    fig.suptitle("Epistemic stance in each outlet's own voice (95 % bootstrap intervals)", y=1.03)
    return fig, profile


def label_heatmap(labels: pd.DataFrame, top: int = 8) -> tuple[plt.Figure, pd.DataFrame]:
    """Labels per actor (rows) and outlet (columns): how often each outlet uses each."""
    counts = labels.groupby(["entity", "label", "outlet"]).size().rename("n").reset_index()
    totals = counts.groupby(["entity", "label"])["n"].sum().reset_index()
    keep = (
        totals.sort_values(["entity", "n", "label"], ascending=[True, False, True])
        .groupby("entity")
        .head(top)
    )
    counts = counts.merge(keep[["entity", "label"]], on=["entity", "label"])
    wide = counts.pivot_table(
        index=["entity", "label"], columns="outlet", values="n", fill_value=0
    ).astype(int)
    fig, ax = plt.subplots(figsize=(2.5 + 1.3 * len(wide.columns), 1.0 + 0.3 * len(wide)))
    sns.heatmap(
        wide,
        ax=ax,
        annot=True,
        fmt="d",
        cmap="Blues",
        cbar=False,
        yticklabels=[f"{e}: {lab}" for e, lab in wide.index],
    )
    ax.set(title="How each outlet labels the actors", xlabel="", ylabel="")
    wrap_ticks(ax)
    return fig, counts


def fightin_words_bars(
    terms: pd.DataFrame, top: int = 8, columns: int = 3
) -> tuple[plt.Figure, pd.DataFrame]:
    """Most distinctive terms per outlet (z-scored log-odds against the rest), ``columns``
    panels a row on one shared scale, the axis named once."""
    outlets = sorted(terms["outlet"].unique())
    colors = outlet_colors(outlets)
    ncols = max(1, min(columns, len(outlets)))
    nrows = max(1, -(-len(outlets) // ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(4.2 * ncols, 0.8 + 0.32 * top * nrows + 0.6 * nrows),
        sharex=True,
        squeeze=False,
        layout="constrained",
    )
    for ax, outlet in zip(axes.flat, outlets, strict=False):
        part = terms[terms["outlet"] == outlet].nlargest(top, "z").iloc[::-1]
        ax.barh(part["term"], part["z"], color=colors[outlet])
        ax.axvline(1.96, color="#555555", linestyle=":", linewidth=1)
        ax.set_title(outlet, fontsize=11)
        ax.tick_params(axis="y", labelsize=10)
        ax.tick_params(axis="x", labelbottom=True)
    for ax in axes.flat[len(outlets) :]:
        ax.remove()
    fig.supxlabel("z-score of the word's log-odds against the other outlets (dotted: z = 1.96)")
    fig.suptitle("Words that set each outlet apart")
    return fig, terms


def similarity_clustermap(sims: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """TF-IDF cosine between articles, rows and columns ordered by clustering. Pairs the
    similarity table does not list share no vocabulary (or, past 50 articles, are not among
    each other's closest): drawn as 0, as clustering needs every distance."""
    sims = sims.fillna(0.0)
    size = 3.0 + 1.5 * len(sims)
    grid = sns.clustermap(
        sims,
        annot=True,
        fmt=".2f",
        cmap="viridis",
        vmin=0,
        vmax=1,
        figsize=(size, size),
        method="average",
        metric="euclidean",
        cbar_kws={"label": "TF-IDF cosine"},
        dendrogram_ratio=0.15,
        cbar_pos=(1.02, 0.25, 0.03, 0.45),
    )
    grid.ax_heatmap.set(xlabel="", ylabel="")
    wrap_ticks(grid.ax_heatmap)
    grid.figure.suptitle("How alike the articles are (clustered)", y=1.02)
    return grid.figure, sims.reset_index(names="outlet")


def reuse_heatmap(pairs: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """Share of each article (row) found in passages it shares with another (column)."""
    wide = pairs.pivot_table(index="outlet_a", columns="outlet_b", values="share_of_a_in_b")
    fig, ax = plt.subplots(figsize=(2.5 + 1.3 * len(wide.columns), 1.2 + 0.6 * len(wide)))
    sns.heatmap(
        wide * 100,
        ax=ax,
        annot=True,
        fmt=".0f",
        cmap="Oranges",
        vmin=0,
        vmax=100,
        cbar_kws={"label": "% of the row article's words\nin shared 8-word passages"},
    )
    ax.grid(False)  # an article against itself has no cell: blank, not crossed by the grid
    ax.set(
        title="Text reuse: how much of each article appears in another",
        xlabel="found in",
        ylabel="article",
    )
    wrap_ticks(ax)
    return fig, pairs


STATUS_COLORS = {
    "asserted": "#CC6677",
    "hedged": "#DDCC77",
    "attributed": "#88CCEE",
    "questioned": "#AA99DD",
    "denied": "#44AA99",
    "absent": "#F0F0F0",
}


def claim_matrix_plot(
    matrix: pd.DataFrame, wording: dict[str, str], counts: pd.DataFrame
) -> tuple[plt.Figure, pd.DataFrame]:
    """Claim x outlet: asserted as fact, hedged, attributed to a source, or absent."""
    order = list(STATUS_COLORS)
    codes = matrix.apply(lambda col: col.map(order.index))
    fig, ax = plt.subplots(figsize=(2.5 + 1.5 * len(matrix.columns), 1.0 + 0.55 * len(matrix)))
    sns.heatmap(
        codes,
        ax=ax,
        cmap=ListedColormap(list(STATUS_COLORS.values())),
        vmin=-0.5,
        vmax=len(order) - 0.5,
        cbar=False,
        linewidths=1,
        linecolor="white",
        annot=counts.reindex_like(matrix).astype(int).astype(str).where(matrix != "absent", ""),
        fmt="s",
        yticklabels=[f"{c}: {wording[c]}" for c in matrix.index],
    )
    ax.set(
        title="How each outlet frames each claim (number: matching sentences)", xlabel="", ylabel=""
    )
    wrap_ticks(ax)
    ax.legend(  # beside the grid: below it, the rotated outlet names would run into it
        handles=[Patch(color=c, label=s) for s, c in STATUS_COLORS.items()],
        title="Strongest framing",
        loc="center left",
        bbox_to_anchor=(1.01, 0.5),
        frameon=False,
    )
    long = matrix.reset_index(names="claim_id").melt(
        id_vars="claim_id", var_name="outlet", value_name="status"
    )
    return fig, long
