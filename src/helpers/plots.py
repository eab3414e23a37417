"""Figure builders shared by the notebooks; each returns the figure and the plotted data."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D

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
