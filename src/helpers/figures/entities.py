"""Figures of the entities notebook: mention rates, naming choices, co-occurrence, network."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import to_hex, to_rgb

from helpers.figures.save import PALETTE, outlet_colors

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase
    from matplotlib.patches import Rectangle


def mention_rates(counts: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """Mentions per 1,000 words, one panel per study entity on one shared scale (a bar of 2
    mentions is never drawn as long as one of 14), counts and words labelled."""
    entities = sorted(counts["entity"].unique())
    outlets = sorted(counts["outlet"].unique())
    colors = outlet_colors(outlets)
    fig, axes = plt.subplots(
        1,
        len(entities),
        figsize=(2.9 * len(entities), 1.2 + 0.45 * len(outlets)),
        sharey=True,
        sharex=True,
        squeeze=False,
        layout="constrained",
    )
    top = max(counts["per_1000_words"].max(), 1.0)
    for ax, entity in zip(axes[0], entities, strict=True):
        part = counts[counts["entity"] == entity].set_index("outlet").reindex(outlets)
        ax.barh(outlets, part["per_1000_words"], color=[colors[o] for o in outlets])
        for y, row in enumerate(part.itertuples()):
            ax.annotate(
                f"{row.mentions} / {row.n_words:,}",
                (row.per_1000_words, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=9,
            )
        ax.set_title(entity)
    axes[0, 0].set_xlim(0, top * 1.7)  # shared: room for the labels of the longest bar
    axes[0, 0].invert_yaxis()
    fig.supxlabel("Mentions per 1,000 words (labels: mentions / words), same scale in every panel")
    fig.suptitle("How often each outlet names the study entities")
    return fig, counts


NOT_NAMED = "not named"


def naming_choice_bars(choices: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """One panel per naming group: 100 % bars of each outlet's choices, labelled in place
    where the label fits its segment; an outlet that never names the entity says so."""
    groups = sorted(choices["group"].unique())
    outlets = sorted(choices["outlet"].unique())
    fig, axes = plt.subplots(
        len(groups), 1, figsize=(10, 1.2 + 2.0 * len(groups)), squeeze=False, layout="constrained"
    )
    for ax, group in zip(axes[:, 0], groups, strict=True):
        part = choices[choices["group"] == group]
        wide = part.pivot_table(index="outlet", columns="choice", values="share", fill_value=0)
        wide = wide.reindex(outlets, fill_value=0)
        ax.set(xlim=(0, 100), ylim=(len(outlets) - 0.5, -0.5))
        left = pd.Series(0.0, index=wide.index)
        for i, choice in enumerate(wide.columns):
            ax.barh(
                range(len(outlets)),
                wide[choice] * 100,
                left=left * 100,
                label=choice,
                color=PALETTE[i % len(PALETTE)],
                height=0.7,
            )
            left += wide[choice]
        for y, outlet in enumerate(outlets):
            if left[outlet] == 0:
                ax.text(1, y, NOT_NAMED, va="center", fontsize=9, style="italic", color="#555555")
        ax.set_yticks(range(len(outlets)), outlets)
        ax.set_title(group, loc="left")
        ax.legend(fontsize=9, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    axes[-1, 0].set_xlabel("Share of that outlet's references (%)")
    fig.suptitle("Which name each outlet uses")
    fig.draw_without_rendering()  # the layout first: whether a label fits depends on it
    renderer = fig.canvas.get_renderer()
    for ax in axes[:, 0]:
        for bars in ax.containers:
            for bar in bars:
                if bar.get_width() > 0:
                    _label_inside(ax, bar, bars.get_label(), renderer)
    return fig, choices


def _label_inside(ax: plt.Axes, bar: Rectangle, text: str, renderer: RendererBase) -> None:
    """The segment's name inside it, or nothing when it would spill over its edges (the
    legend names every colour)."""
    label = ax.text(
        bar.get_x() + bar.get_width() / 2,
        bar.get_y() + bar.get_height() / 2,
        text,
        ha="center",
        va="center",
        fontsize=9,
        color="white",
        fontweight="bold",
    )
    room = bar.get_window_extent(renderer).width - 6  # pixels, with a margin
    if label.get_window_extent(renderer).width > room:
        label.remove()


def heatmap_grid(
    pairs: pd.DataFrame,
    labels: pd.Series,
    entities: list[str],
    columns: int = 3,
) -> tuple[plt.Figure, pd.DataFrame]:
    """Per article: sentences in which two entities co-occur, the lower triangle of each
    symmetric grid, one colour scale for all, ``columns`` panels a row."""
    docs = sorted(pairs["doc_id"].unique(), key=lambda d: labels[d])
    ncols = max(1, min(columns, len(docs)))
    nrows = max(1, -(-len(docs) // ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(4.4 * ncols, 4.2 * nrows),
        squeeze=False,
        layout="constrained",
    )
    top = max(int(pairs["sentences"].max()) if len(pairs) else 1, 1)
    upper = np.triu(np.ones((len(entities) - 1, len(entities) - 1), dtype=bool), k=1)
    for ax, doc_id in zip(axes.flat, docs, strict=False):
        part = pairs[pairs["doc_id"] == doc_id]
        grid = pd.DataFrame(0, index=entities, columns=entities)
        for a, b, n in part[["entity_a", "entity_b", "sentences"]].itertuples(index=False):
            grid.loc[a, b] = grid.loc[b, a] = n
        sns.heatmap(  # below the diagonal only: the first row and last column are empty
            grid.iloc[1:, :-1],
            ax=ax,
            mask=upper,
            annot=True,
            fmt="d",
            cmap="Blues",
            cbar=False,
            square=True,
            annot_kws={"fontsize": 10},
            vmin=0,
            vmax=top,
            linewidths=0.5,
            linecolor="white",
        )
        ax.set_title(labels[doc_id])
        ax.tick_params(labelsize=10, length=0)
        ax.grid(False)
    for ax in axes.flat[len(docs) :]:
        ax.remove()
    fig.suptitle("Sentences naming both entities, per outlet (darker: more sentences)")
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


def entity_colors(entities: list[str]) -> dict[str, str]:
    """displaCy's colour for each entity (it looks labels up in capitals): light tints of
    the house palette, so each entity has its own and the black text stays readable."""
    tints = [
        to_hex([0.55 + 0.45 * c for c in to_rgb(PALETTE[i % len(PALETTE)])])
        for i in range(len(entities))
    ]
    return {entity.upper(): tint for entity, tint in zip(entities, tints, strict=True)}
