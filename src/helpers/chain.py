"""Attribution chains: who relays whom, from credits, cited outlets and shared quotes.

Edges (one row per article and evidence):
- ``republishes``: outlet -> an outlet credited on the page ("RT" under the text);
- ``cites``: the text's origin (credited outlet, else the outlet) -> a news outlet it names
  as a source ("told Newsweek", "according to Reuters");
- ``quotes``: the outlet a quote came through -> its speaker. The channel is the outlet
  named in the quote's paragraph, else the one outlet all articles sharing that quote
  cite, else the channel the same speaker has elsewhere in the article, else the
  article's own origin;
- ``embeds``: the origin -> an embedded social-media account.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from .sourcing import fold, lexicon

EDGE_COLUMNS = ["doc_id", "source", "target", "relation", "line"]


def _media_names() -> set[str]:
    return {fold(m) for m in lexicon()["source_type"]["news_media"]}


def chain_edges(
    articles: pd.DataFrame,
    blocks: pd.DataFrame,
    mentions: pd.DataFrame,
    quotes: pd.DataFrame,
    sources: pd.DataFrame,
    labels: pd.Series,
) -> pd.DataFrame:
    """Every edge with its article and the raw line it rests on."""
    media_names = _media_names()
    first_named = mentions.groupby(["doc_id", "entity"])["line"].min()
    cited = (
        sources[sources["source_type"] == "news_media"]
        .groupby("doc_id")["source"]
        .agg(lambda s: sorted(set(s)))
    )
    texts = blocks.set_index(["doc_id", "block_id"])["text"]
    rows = []
    for doc_id in articles.loc[articles["status"] == "ok", "doc_id"]:
        outlet = labels[doc_id]
        credits = blocks[
            (blocks["doc_id"] == doc_id)
            & (blocks["role"] == "credit")
            & blocks["text"].map(lambda t: fold(t.strip()) in media_names)
        ]
        origin = outlet
        for credit in credits.itertuples():
            rows.append((doc_id, outlet, credit.text.strip(), "republishes", credit.line_start))
            origin = credit.text.strip()
        own_media = [m for m in cited.get(doc_id, []) if m != origin]
        for medium in own_media:
            line = first_named.get((doc_id, medium))
            rows.append((doc_id, origin, medium, "cites", None if line is None else int(line)))
        mine = quotes[
            (quotes["doc_id"] == doc_id)
            & (quotes["kind"] != "scare")
            & (quotes["speaker"] != "unattributed")
        ]
        channels = {
            q.Index: _channel(q, texts[(doc_id, q.block_id)], own_media, quotes, cited)
            for q in mine.itertuples()
        }
        by_speaker = {}
        for q in mine.itertuples():
            if channels[q.Index]:
                by_speaker.setdefault(q.utterance_speaker, channels[q.Index])
        for q in mine.itertuples():
            speaker = q.utterance_speaker
            if q.kind == "tweet":
                rows.append((doc_id, origin, speaker, "embeds", q.line))
            elif speaker not in own_media and speaker != origin:
                channel = channels[q.Index] or by_speaker.get(speaker) or origin
                rows.append((doc_id, channel, speaker, "quotes", q.line))
    edges = pd.DataFrame(rows, columns=EDGE_COLUMNS).drop_duplicates(
        ["doc_id", "source", "target", "relation"]
    )
    edges["line"] = edges["line"].astype("Int64")
    return edges.sort_values(EDGE_COLUMNS, ignore_index=True)


def _channel(
    quote, paragraph: str, own_media: list[str], quotes: pd.DataFrame, cited: pd.Series
) -> str | None:
    """The outlet a quote came through, when the page says or the relays agree."""
    named = [m for m in own_media if m in paragraph]
    if named:
        return named[0]
    others = quotes.loc[
        (quotes["utterance_id"] == quote.utterance_id) & (quotes["doc_id"] != quote.doc_id),
        "doc_id",
    ].unique()
    if len(others) == 0:
        return None
    common = set(own_media)
    for other in others:
        common &= set(cited.get(other, []))
    return common.pop() if len(common) == 1 else None


def chain_graph(edges: pd.DataFrame) -> nx.DiGraph:
    """Directed graph of the edges, weighted by the number of articles."""
    graph = nx.DiGraph()
    grouped = edges.groupby(["source", "target", "relation"])["doc_id"].nunique()
    for (source, target, relation), n in grouped.items():
        graph.add_edge(source, target, relation=relation, articles=int(n))
    return graph
