"""Summaries of who speaks: source types per outlet, quoted share, relay fidelity, and the
attribution chain as a graph.
"""

from __future__ import annotations

import html
from difflib import SequenceMatcher

import networkx as nx
import pandas as pd

from helpers.across.alignment import tokens
from helpers.ingest.corpus import outlet_labels


def chain_graph(edges: pd.DataFrame) -> nx.DiGraph:
    """Directed graph of the edges, weighted by the number of articles."""
    graph = nx.DiGraph()
    grouped = edges.groupby(["source", "target", "relation"])["doc_id"].nunique()
    for (source, target, relation), n in grouped.items():
        graph.add_edge(source, target, relation=relation, articles=int(n))
    return graph


SPOKEN = ("direct", "partial", "blockquote", "tweet")  # scare quotes are not speech


def source_type_counts(sources: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Attributions per outlet and source type (long form, with the outlet's total)."""
    labels = outlet_labels(articles)
    counts = sources.groupby(["doc_id", "source_type"], as_index=False)["n"].sum()
    counts["outlet"] = counts["doc_id"].map(labels)
    counts["share"] = (counts["n"] / counts.groupby("doc_id")["n"].transform("sum")).round(3)
    return counts.sort_values(["outlet", "source_type"], ignore_index=True)


def quoted_share(quotes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Share of each article's words that stand inside quotations (scare quotes aside)."""
    ok = articles[articles["status"] == "ok"].set_index("doc_id")
    spoken = quotes[quotes["kind"].isin(SPOKEN)]
    words = spoken.assign(n=spoken["text"].str.split().str.len()).groupby("doc_id")["n"].sum()
    table = pd.DataFrame(
        {
            "outlet": outlet_labels(articles).reindex(ok.index),
            "quotes": spoken.groupby("doc_id").size().reindex(ok.index, fill_value=0),
            "quoted_words": words.reindex(ok.index, fill_value=0).astype(int),
            "n_words": ok["n_words"],
            "speakers": spoken[spoken["speaker"] != "unattributed"]
            .groupby("doc_id")["utterance_speaker"]
            .nunique()
            .reindex(ok.index, fill_value=0),
        }
    )
    table["quoted_share"] = (table["quoted_words"] / table["n_words"]).round(3)
    return table.reset_index().sort_values("outlet", ignore_index=True)


def fidelity_matrix(versions: pd.DataFrame) -> pd.DataFrame:
    """Utterances (rows, most relayed first) x outlets: fidelity to the reference version."""
    order = (
        versions.groupby("utterance_id")["doc_id"]
        .nunique()
        .sort_values(ascending=False, kind="stable")
        .index
    )
    matrix = versions.pivot_table(index="utterance_id", columns="outlet", values="fidelity")
    return matrix.reindex(order)


def most_relayed(versions: pd.DataFrame) -> str | None:
    """The utterance quoted by the most articles (the lowest id among ties); None when no
    quotation is shared."""
    counts = versions.groupby("utterance_id")["doc_id"].nunique()
    return min(counts.index[counts == counts.max()], default=None)


def diff_html(versions: pd.DataFrame, utterance_id: str) -> str:
    """Each version against the reference, deleted words struck and added words marked."""
    group = versions[versions["utterance_id"] == utterance_id]
    reference = tokens(group.loc[group["reference"], "text"].iloc[0])
    rows = []
    for version in group.itertuples():
        mine = tokens(version.text)
        parts = []
        for op, i1, i2, j1, j2 in SequenceMatcher(
            None, reference, mine, autojunk=False
        ).get_opcodes():
            if op in {"delete", "replace"}:
                parts.append(f"<del>{html.escape(' '.join(reference[i1:i2]))}</del>")
            if op in {"insert", "replace"}:
                parts.append(f"<ins>{html.escape(' '.join(mine[j1:j2]))}</ins>")
            if op == "equal":
                parts.append(html.escape(" ".join(mine[j1:j2])))
        tag = " (reference)" if version.reference else f" — fidelity {version.fidelity:.2f}"
        rows.append(f"<p><b>{html.escape(version.outlet)}</b>{tag}: {' '.join(parts)}</p>")
    style = (
        "<style>del{background:#f4c7c3;text-decoration:line-through}"
        "ins{background:#c6e7c6;text-decoration:none}</style>"
    )
    return style + "".join(rows)


def chain_layers(graph: nx.DiGraph) -> dict[str, int]:
    """Column of each node: publishing outlets 0, then one column per relay step."""
    layers = {n: 0 for n in graph if graph.in_degree(n) == 0}
    for node in nx.topological_sort(graph) if nx.is_directed_acyclic_graph(graph) else graph:
        for succ in graph.successors(node):
            layers[succ] = max(layers.get(succ, 0), layers.get(node, 0) + 1)
    return layers
