"""Figures of the sourcing notebook: source types, quote fidelity, the attribution chain."""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D

from helpers.figures.labels import RELATIONS, label
from helpers.figures.save import CATEGORY_PALETTE, wrap_ticks


def source_type_bars(counts: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """Stacked bars: attributions per outlet by source type."""
    wide = counts.pivot_table(
        index="outlet", columns="source_type", values="n", aggfunc="sum", fill_value=0
    ).rename(columns=label)
    fig, ax = plt.subplots(figsize=(9, 0.8 + 0.55 * len(wide)))
    colors = [CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)] for i in range(len(wide.columns))]
    wide.plot.barh(stacked=True, ax=ax, width=0.7, color=colors)
    ax.set(
        title="Whom each outlet attributes information to",
        xlabel="Attributions (quotes, reported speech, 'according to', embeds)",
        ylabel="",
    )
    ax.invert_yaxis()
    ax.legend(
        title="Source type",
        fontsize=9,
        loc="center left",
        bbox_to_anchor=(1.01, 0.5),
        frameon=False,
    )
    return fig, counts


def fidelity_heatmap(matrix: pd.DataFrame, texts: pd.Series) -> tuple[plt.Figure, pd.DataFrame]:
    """Utterance x outlet: how faithfully each outlet renders each shared quote; an outlet
    that does not carry a quotation says so in its cell."""
    labels = [f"{u}: {texts[u][:45]}…" for u in matrix.index]
    fig, ax = plt.subplots(
        figsize=(3.5 + 1.5 * len(matrix.columns), 1.6 + 0.55 * len(matrix)), layout="constrained"
    )
    sns.heatmap(
        matrix,
        ax=ax,
        annot=True,
        fmt=".2f",
        cmap="viridis",
        vmin=0.5,
        vmax=1,
        cbar_kws={"label": "Fidelity\n(1 = verbatim)", "shrink": 0.9},
        yticklabels=labels,
        annot_kws={"fontsize": 10},
    )
    for y, x in zip(*np.where(matrix.isna().to_numpy()), strict=True):
        ax.text(
            x + 0.5,
            y + 0.5,
            "not quoted",
            ha="center",
            va="center",
            fontsize=9,
            color="#777777",
            style="italic",
        )
    ax.grid(False)
    ax.set(title="Do the words survive the relay?", xlabel="", ylabel="")
    ax.tick_params(axis="y", labelsize=9)
    wrap_ticks(ax)
    return fig, matrix.reset_index().melt(id_vars="utterance_id", value_name="fidelity")


def chain_plot(graph: nx.DiGraph, layers: dict[str, int]) -> tuple[plt.Figure, pd.DataFrame]:
    """The attribution chain, left to right: the articles' outlets, then one column per
    step along the relay, each headed; labels sit beside their nodes, not over them."""
    pos = layered_positions(layers)
    tallest = max(pd.Series(layers).value_counts().max(), 4)
    fig, ax = plt.subplots(figsize=(12, 2.0 + 0.5 * tallest))
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
            node_size=120,
        )
    nx.draw_networkx_nodes(
        graph, pos, ax=ax, node_color="#f0f0f0", node_size=120, edgecolors="#888888"
    )
    last = max(layers.values(), default=0)
    for node, (x, y) in pos.items():
        first = layers[node] == 0  # the outlets: labels to the left, edges leave rightwards
        ax.annotate(
            node if len(node) <= 36 else node[:34] + "…",
            (x, y),
            xytext=(-9 if first else 9, 0),
            textcoords="offset points",
            ha="right" if first else "left",
            va="center",
            fontsize=10,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1},
            zorder=4,
        )
    top = max((y for _, y in pos.values()), default=0) + 1
    for layer in range(last + 1):
        ax.text(
            layer,
            top,
            column_heading(layer),
            ha="center",
            va="bottom",
            fontsize=11,
            fontweight="bold",
            color="#333333",
        )
    ax.set_title("Who relays whom", pad=40)
    handles = [
        Line2D([0], [0], color=c, linestyle=ls, label=RELATIONS[r]) for r, (c, ls) in styles.items()
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=4,
        frameon=False,
        fontsize=10,
    )
    ax.set_xlim(-0.6, last + 0.9)
    ax.axis("off")
    # explicit columns: attribute order in to_pandas_edgelist follows a set
    edges = nx.to_pandas_edgelist(graph)[["source", "target", "relation", "articles"]]
    return fig, edges.sort_values(["source", "target"], ignore_index=True)


def column_heading(layer: int) -> str:
    """What a column of the chain holds: the articles' outlets first, then what they name
    (outlets credited or cited, people quoted, accounts embedded), step by step."""
    if layer == 0:
        return "Outlet of the article"
    if layer == 1:
        return "Named by the article\n(outlet, person or post)"
    return f"Named {layer} steps away"


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
