"""Figure builders shared by the notebooks; each returns the figure and the plotted data."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import seaborn as sns
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .figures import CATEGORY_PALETTE, PALETTE, outlet_colors


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
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set(title="When each outlet published", xlabel="Publication date (year)", ylabel="")
    ax.margins(x=0.15, y=0.2)
    return fig, data[["doc_id", "outlet", "date", "precision", "n_words"]]


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


def mention_rates(counts: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """Mentions per 1,000 words, one panel per study entity, counts and words labelled."""
    entities = sorted(counts["entity"].unique())
    outlets = sorted(counts["outlet"].unique())
    colors = outlet_colors(outlets)
    fig, axes = plt.subplots(
        1, len(entities), figsize=(3.2 * len(entities), 0.6 + 0.45 * len(outlets)), sharey=True
    )
    for ax, entity in zip(axes, entities, strict=True):
        part = counts[counts["entity"] == entity].set_index("outlet").reindex(outlets)
        ax.barh(outlets, part["per_1000_words"], color=[colors[o] for o in outlets])
        for y, row in enumerate(part.itertuples()):
            ax.annotate(
                f"{row.mentions} / {row.n_words:,}",
                (row.per_1000_words, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
            )
        ax.set(title=entity, xlabel="Mentions per 1,000 words")
        ax.margins(x=0.45)
    axes[0].invert_yaxis()
    fig.suptitle(
        "How often each outlet names the study entities (labels: mentions / words)", y=1.02
    )
    return fig, counts


def naming_choice_bars(choices: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """One panel per naming group: 100 % bars of each outlet's choices, labelled in place."""
    groups = sorted(choices["group"].unique())
    outlets = sorted(choices["outlet"].unique())
    fig, axes = plt.subplots(len(groups), 1, figsize=(9, 1.0 + 1.9 * len(groups)))
    for ax, group in zip(axes, groups, strict=True):
        part = choices[choices["group"] == group]
        wide = part.pivot_table(
            index="outlet", columns="choice", values="share", fill_value=0
        ).reindex(outlets, fill_value=0)
        left = pd.Series(0.0, index=wide.index)
        for i, choice in enumerate(wide.columns):
            ax.barh(
                wide.index,
                wide[choice] * 100,
                left=left * 100,
                label=choice,
                color=PALETTE[i % len(PALETTE)],
                height=0.7,
            )
            for y, (outlet, share) in enumerate(wide[choice].items()):
                if share >= 0.18:
                    ax.text(
                        (left[outlet] + share / 2) * 100,
                        y,
                        choice,
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white",
                        fontweight="bold",
                    )
            left += wide[choice]
        ax.set(title=group, xlim=(0, 100), xlabel="Share of that outlet's references (%)")
        ax.invert_yaxis()
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    fig.tight_layout()
    return fig, choices


def heatmap_grid(
    pairs: pd.DataFrame,
    labels: pd.Series,
    entities: list[str],
) -> tuple[plt.Figure, pd.DataFrame]:
    """Per article: sentences in which two entities co-occur (symmetric heatmaps)."""
    docs = sorted(pairs["doc_id"].unique(), key=lambda d: labels[d])
    fig, axes = plt.subplots(1, len(docs), figsize=(3.3 * len(docs), 3.6))
    for ax, doc_id in zip(axes, docs, strict=True):
        part = pairs[pairs["doc_id"] == doc_id]
        grid = pd.DataFrame(0, index=entities, columns=entities)
        for a, b, n in part[["entity_a", "entity_b", "sentences"]].itertuples(index=False):
            grid.loc[a, b] = grid.loc[b, a] = n
        sns.heatmap(
            grid,
            ax=ax,
            annot=True,
            fmt="d",
            cmap="Blues",
            cbar=False,
            square=True,
            annot_kws={"fontsize": 7},
            vmin=0,
        )
        ax.set_title(labels[doc_id], fontsize=9)
        ax.tick_params(labelsize=7)
    fig.suptitle("Sentences naming both entities, per outlet", y=1.02)
    return fig, pairs.assign(outlet=pairs["doc_id"].map(labels))


def network(graph: nx.Graph) -> tuple[plt.Figure, pd.DataFrame]:
    """Corpus-wide entity network: node area ~ mentions, edge width ~ shared sentences."""
    pos = nx.spring_layout(graph, seed=7, weight="weight")
    fig, ax = plt.subplots(figsize=(7, 6))
    weights = [d["weight"] for *_, d in graph.edges(data=True)]
    top = max(weights, default=1)
    nx.draw_networkx_edges(
        graph,
        pos,
        ax=ax,
        width=[0.5 + 6 * w / top for w in weights],
        edge_color="#999999",
        alpha=0.7,
    )
    sizes = [60 + 12 * d["mentions"] for _, d in graph.nodes(data=True)]
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=sizes, node_color=PALETTE[0], alpha=0.85)
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=9)
    ax.set_title("Who is named next to whom (whole corpus)")
    ax.axis("off")
    edges = nx.to_pandas_edgelist(graph)[["source", "target", "weight"]]
    return fig, edges.sort_values(["source", "target"], ignore_index=True)


def source_type_bars(counts: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """Stacked bars: attributions per outlet by source type."""
    wide = counts.pivot_table(
        index="outlet", columns="source_type", values="n", aggfunc="sum", fill_value=0
    )
    fig, ax = plt.subplots(figsize=(9, 0.8 + 0.55 * len(wide)))
    colors = [CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)] for i in range(len(wide.columns))]
    wide.plot.barh(stacked=True, ax=ax, width=0.7, color=colors)
    ax.set(
        title="Whom each outlet attributes information to",
        xlabel="Attributions (quotes, reported speech, 'according to', embeds)",
        ylabel="",
    )
    ax.invert_yaxis()
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return fig, counts


def fidelity_heatmap(matrix: pd.DataFrame, texts: pd.Series) -> tuple[plt.Figure, pd.DataFrame]:
    """Utterance x outlet: how faithfully each outlet renders each shared quote."""
    labels = [f"{u}: {texts[u][:45]}…" for u in matrix.index]
    fig, ax = plt.subplots(figsize=(2.0 + 1.3 * len(matrix.columns), 1.0 + 0.5 * len(matrix)))
    sns.heatmap(
        matrix,
        ax=ax,
        annot=True,
        fmt=".2f",
        cmap="viridis",
        vmin=0.5,
        vmax=1,
        cbar_kws={"label": "Fidelity to the reference version (1 = verbatim)"},
        yticklabels=labels,
    )
    ax.set(title="Do the words survive the relay?", xlabel="", ylabel="")
    ax.tick_params(axis="y", labelsize=8)
    plt.setp(ax.get_xticklabels(), rotation=20, ha="right")
    return fig, matrix.reset_index().melt(id_vars="utterance_id", value_name="fidelity")


def chain_plot(graph: nx.DiGraph, layers: dict[str, int]) -> tuple[plt.Figure, pd.DataFrame]:
    """The attribution chain, left to right: outlets, relays, speakers."""
    pos = layered_positions(layers)
    tallest = max(pd.Series(layers).value_counts().max(), 4)
    fig, ax = plt.subplots(figsize=(13, 1.5 + 0.6 * tallest))
    styles = {
        "republishes": ("#D55E00", "dashed"),
        "cites": ("#0072B2", "solid"),
        "quotes": ("#009E73", "solid"),
        "embeds": ("#CC79A7", "dotted"),
    }
    for relation, (color, style) in styles.items():
        edges = [(u, v) for u, v, d in graph.edges(data=True) if d["relation"] == relation]
        widths = [1 + graph.edges[e]["articles"] for e in edges]
        nx.draw_networkx_edges(
            graph,
            pos,
            edgelist=edges,
            ax=ax,
            edge_color=color,
            style=style,
            width=widths,
            arrowsize=12,
            node_size=300,
        )
    nx.draw_networkx_nodes(
        graph, pos, ax=ax, node_color="#f0f0f0", node_size=300, edgecolors="#888888"
    )
    nx.draw_networkx_labels(
        graph,
        pos,
        ax=ax,
        font_size=7,
        labels={n: n if len(n) <= 28 else n[:26] + "…" for n in graph},
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )
    ax.set_title("Who relays whom: outlet → credited/cited outlet → speaker")
    handles = [Line2D([0], [0], color=c, linestyle=ls, label=r) for r, (c, ls) in styles.items()]
    ax.legend(
        handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.12), ncols=4, frameon=False
    )
    ax.axis("off")
    # explicit columns: attribute order in to_pandas_edgelist follows a set
    edges = nx.to_pandas_edgelist(graph)[["source", "target", "relation", "articles"]]
    return fig, edges.sort_values(["source", "target"], ignore_index=True)


def layered_positions(layers: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Columns by layer, nodes sorted by name top to bottom (stable across runs)."""
    columns: dict[int, list[str]] = {}
    for node, layer in sorted(layers.items(), key=lambda item: (item[1], item[0].lower())):
        columns.setdefault(layer, []).append(node)
    return {
        node: (float(layer), -(i - (len(nodes) - 1) / 2))
        for layer, nodes in columns.items()
        for i, node in enumerate(nodes)
    }


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
    plt.setp(ax.get_xticklabels(), rotation=20, ha="right")
    return fig, counts


def fightin_words_bars(terms: pd.DataFrame, top: int = 8) -> tuple[plt.Figure, pd.DataFrame]:
    """Most distinctive terms per outlet (z-scored log-odds against the rest)."""
    outlets = sorted(terms["outlet"].unique())
    colors = outlet_colors(outlets)
    fig, axes = plt.subplots(1, len(outlets), figsize=(3.0 * len(outlets), 3.4))
    for ax, outlet in zip(axes, outlets, strict=True):
        part = terms[terms["outlet"] == outlet].nlargest(top, "z").iloc[::-1]
        ax.barh(part["term"], part["z"], color=colors[outlet])
        ax.axvline(1.96, color="#555555", linestyle=":", linewidth=1)
        ax.set(title=outlet, xlabel="z (log-odds, informative prior)")
        ax.title.set_fontsize(9)
    fig.suptitle("Words that set each outlet apart (dotted: z = 1.96)", y=1.03)
    return fig, terms


def similarity_clustermap(sims: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """TF-IDF cosine between articles, rows and columns ordered by clustering."""
    size = 2.5 + 1.0 * len(sims)
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
    plt.setp(grid.ax_heatmap.get_xticklabels(), rotation=30, ha="right")
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
        cbar_kws={"label": "% of the row article's words in shared 8-word passages"},
    )
    ax.set(
        title="Text reuse: how much of each article appears in another",
        xlabel="found in",
        ylabel="article",
    )
    plt.setp(ax.get_xticklabels(), rotation=20, ha="right")
    return fig, pairs


STATUS_COLORS = {
    "asserted": "#CC6677",
    "hedged": "#DDCC77",
    "attributed": "#88CCEE",
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
    plt.setp(ax.get_xticklabels(), rotation=20, ha="right")
    ax.legend(
        handles=[Patch(color=c, label=s) for s, c in STATUS_COLORS.items()],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.25),
        ncols=4,
        frameon=False,
    )
    long = matrix.reset_index(names="claim_id").melt(
        id_vars="claim_id", var_name="outlet", value_name="status"
    )
    return fig, long


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
