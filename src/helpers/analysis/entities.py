"""Who is named, how, and next to whom: counts, naming choices, prominence, co-occurrence."""

from __future__ import annotations

import re
from itertools import combinations

import networkx as nx
import pandas as pd

from helpers.ingest.corpus import outlet_labels
from helpers.study import read_study


def mention_counts(
    mentions: pd.DataFrame, articles: pd.DataFrame, entities: list[str]
) -> pd.DataFrame:
    """Mentions of each entity per article, absolute and per 1,000 words (denominator shown)."""
    ok = articles[articles["status"] == "ok"]
    grid = pd.MultiIndex.from_product([ok["doc_id"], entities], names=["doc_id", "entity"])
    counts = (
        mentions[mentions["entity"].isin(entities)]
        .groupby(["doc_id", "entity"])
        .size()
        .reindex(grid, fill_value=0)
        .rename("mentions")
        .reset_index()
    )
    counts["n_words"] = counts["doc_id"].map(ok.set_index("doc_id")["n_words"])
    counts["per_1000_words"] = (1000 * counts["mentions"] / counts["n_words"]).round(2)
    counts.insert(1, "outlet", counts["doc_id"].map(outlet_labels(articles)))
    return counts


def naming_choices(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """For each naming group of the study (naming.toml): how often each outlet uses each choice."""
    labels = outlet_labels(articles)
    rows = []
    for group in read_study("naming.toml")["group"]:
        named = mentions[mentions["entity"] == group["entity"]]
        for doc_id, alias in named[["doc_id", "alias"]].itertuples(index=False):
            rows.append((doc_id, group["title"], group["choices"].get(alias, alias)))
        for desc in group["descriptors"]:
            pattern = re.compile(rf"\b{desc['pattern']}\b", re.IGNORECASE)
            for doc_id, text in articles[["doc_id", "text"]].itertuples(index=False):
                rows += [(doc_id, group["title"], desc["choice"])] * len(pattern.findall(text))
    table = pd.DataFrame(rows, columns=["doc_id", "group", "choice"])
    table = table.groupby(["doc_id", "group", "choice"], as_index=False).size()
    table = table.rename(columns={"size": "n"})
    table["share"] = table["n"] / table.groupby(["doc_id", "group"])["n"].transform("sum")
    table["share"] = table["share"].round(3)
    table.insert(1, "outlet", table["doc_id"].map(labels))
    return table.sort_values(["group", "outlet", "choice"], ignore_index=True)


def context_entities(mentions: pd.DataFrame, study: list[str], n: int = 4) -> list[str]:
    """The ``n`` entities besides the study's named by the most articles (then mentions)."""
    others = mentions[~mentions["entity"].isin(study)]
    ranked = others.groupby("entity").agg(docs=("doc_id", "nunique"), mentions=("doc_id", "size"))
    ranked = ranked.reset_index().sort_values(
        ["docs", "mentions", "entity"], ascending=[False, False, True]
    )
    return ranked["entity"].head(n).tolist()


def leading_choices(choices: pd.DataFrame) -> pd.DataFrame:
    """Per naming group and outlet, the choice it uses most, out of all its references
    (``total``): the one-line answer to "what does this outlet call them". An outlet's
    articles are pooled; a tie goes to the alphabetically first choice, so it is stable."""
    pooled = choices.groupby(["group", "outlet", "choice"], as_index=False)["n"].sum()
    pooled["total"] = pooled.groupby(["group", "outlet"])["n"].transform("sum")
    ranked = pooled.sort_values(
        ["group", "outlet", "n", "choice"], ascending=[True, True, False, True]
    )
    return ranked.groupby(["group", "outlet"]).head(1).reset_index(drop=True)


def prominence(
    mentions: pd.DataFrame, articles: pd.DataFrame, blocks: pd.DataFrame, entities: list[str]
) -> pd.DataFrame:
    """Where each entity first appears (share of the text read) and its share in the lead.

    The lead is the headline, the standfirst and the first body paragraph.
    """
    body = blocks[blocks["is_body"]]
    first_para = body[body["role"] == "body"].groupby("doc_id")["block_id"].min()
    lead = body[
        body["role"].isin({"headline", "standfirst"})
        | body["block_id"].eq(body["doc_id"].map(first_para))
    ]
    lead_ids = set(zip(lead["doc_id"], lead["block_id"], strict=True))
    headlines = set(
        zip(*[body.loc[body["role"] == "headline", c] for c in ("doc_id", "block_id")], strict=True)
    )
    length = articles.set_index("doc_id")["text"].str.len()
    rows = []
    targets = mentions[mentions["entity"].isin(entities)]
    for (doc_id, entity), group in targets.groupby(["doc_id", "entity"]):
        where = list(zip(group["doc_id"], group["block_id"], strict=True))
        n_lead = sum(w in lead_ids for w in where)
        first = group.sort_values("start").iloc[0]
        rows.append(
            {
                "doc_id": doc_id,
                "entity": entity,
                "first_line": int(first["line"]),
                "first_position": round(first["start"] / length[doc_id], 3),
                "in_headline": any(w in headlines for w in where),
                "lead_mentions": n_lead,
                "mentions": len(group),
                "lead_share": round(n_lead / len(group), 3),
            }
        )
    table = pd.DataFrame(rows)
    table.insert(1, "outlet", table["doc_id"].map(outlet_labels(articles)))
    return table.sort_values(["entity", "outlet"], ignore_index=True)


def cooccurrence(mentions: pd.DataFrame, entities: list[str]) -> pd.DataFrame:
    """Sentences in which two entities are both mentioned, per article (long form)."""
    named = mentions[mentions["entity"].isin(entities)].dropna(subset=["sent_id"])
    per_sentence = named.groupby(["doc_id", "sent_id"])["entity"].agg(lambda s: sorted(set(s)))
    rows = [
        (doc_id, a, b)
        for (doc_id, _), ents in per_sentence.items()
        for a, b in combinations(ents, 2)
    ]
    pairs = pd.DataFrame(rows, columns=["doc_id", "entity_a", "entity_b"])
    return (
        pairs.groupby(["doc_id", "entity_a", "entity_b"], as_index=False)
        .size()
        .rename(columns={"size": "sentences"})
        .sort_values(["doc_id", "entity_a", "entity_b"], ignore_index=True)
    )


def entity_graph(pairs: pd.DataFrame, mentions: pd.DataFrame) -> nx.Graph:
    """Corpus-wide network: nodes weighted by mentions, edges by shared sentences."""
    graph = nx.Graph()
    sizes = mentions.groupby("entity").size()
    totals = pairs.groupby(["entity_a", "entity_b"])["sentences"].sum()
    for (a, b), weight in totals.items():
        for node in (a, b):
            graph.add_node(node, mentions=int(sizes.get(node, 0)))
        graph.add_edge(a, b, weight=int(weight))
    return graph


def displacy_payload(article: pd.Series, mentions: pd.DataFrame, entities: list[str]) -> dict:
    """A manual displaCy document: the article text with its study-entity mentions. No
    title: the article text begins with its headline already."""
    own = mentions[
        (mentions["doc_id"] == article["doc_id"]) & mentions["entity"].isin(entities)
    ].sort_values("start")
    return {
        "text": article["text"],
        "ents": [
            {"start": int(s), "end": int(e), "label": ent}
            for s, e, ent in own[["start", "end", "entity"]].itertuples(index=False)
        ],
    }
