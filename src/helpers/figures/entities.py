"""Figures of the entities notebook: mention rates, naming choices, co-occurrence, network."""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import seaborn as sns

from helpers.figures.save import PALETTE, outlet_colors


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
