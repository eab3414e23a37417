"""Attribution chains: who relays whom, from credits, cited outlets and shared quotes."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from helpers.annotate.speakers import lexicon
from helpers.schema import TABLE_COLUMNS
from helpers.text import fold, outlet_key

EDGE_COLUMNS = list(TABLE_COLUMNS["chain"])


# the columns of the quotes table the chain reads
QUOTE_COLUMNS = [
    "doc_id",
    "block_id",
    "line",
    "kind",
    "speaker",
    "utterance_id",
    "utterance_speaker",
]


def _media_names() -> set[str]:
    return {fold(m) for m in lexicon()["source_type"]["news_media"]}


def chain_edges(
    articles: pd.DataFrame,
    blocks: pd.DataFrame,
    mentions: pd.DataFrame,
    quotes: pd.DataFrame,
    sources: pd.DataFrame,
    labels: pd.Series,
    cited_by_all: dict[str, frozenset[str]] | None = None,
) -> pd.DataFrame:
    """Every edge with its article and the raw line it rests on (one pass over each table).

    ``cited_by_all`` gives, for each utterance that several articles relay, the outlets
    all of them cite (``relay_citations``); by default it is found from ``quotes`` and
    ``sources``, so the tables may hold a part of the articles only when it is given.
    """
    media_names = _media_names()
    first_named = mentions.groupby(["doc_id", "entity"])["line"].min().to_dict()
    cited = cited_media(sources)
    if cited_by_all is None:
        cited_by_all = relay_citations(
            zip(quotes["utterance_id"], quotes["doc_id"], strict=True), cited
        )
    credits = blocks[blocks["role"] == "credit"]
    credits = credits.loc[[fold(t.strip()) in media_names for t in credits["text"]]]
    credits_by_doc: dict[str, list] = {}
    for credit in credits[["doc_id", "text", "line_start"]].itertuples(index=False):
        credits_by_doc.setdefault(credit.doc_id, []).append(credit)
    media = sorted({m for names in cited.values() for m in names})
    # the cited outlets each quoted paragraph names, not the paragraphs: small however many
    named_in = {
        (b.doc_id, b.block_id): tuple(m for m in media if m in b.text)
        for b in blocks[["doc_id", "block_id", "text"]].itertuples(index=False)
    }
    spoken = quotes[(quotes["kind"] != "scare") & (quotes["speaker"] != "unattributed")]
    quotes_by_doc: dict[str, list] = {}
    fields = ["doc_id", "block_id", "utterance_id", "utterance_speaker", "kind", "line"]
    for q in spoken[fields].itertuples(index=False):  # tuples: small, however many quotes
        quotes_by_doc.setdefault(q.doc_id, []).append(q)
    rows = []
    for doc_id in articles.loc[articles["status"] == "ok", "doc_id"]:
        outlet = labels[doc_id]
        origin = outlet
        for credit in credits_by_doc.get(doc_id, []):
            rows.append((doc_id, outlet, credit.text.strip(), "republishes", credit.line_start))
            origin = credit.text.strip()
        own_media = [m for m in cited.get(doc_id, []) if m != origin]
        for medium in own_media:
            rows.append((doc_id, origin, medium, "cites", first_named.get((doc_id, medium))))
        mine = quotes_by_doc.get(doc_id, [])
        channels = [
            _channel(named_in[(doc_id, q.block_id)], own_media, cited_by_all.get(q.utterance_id))
            for q in mine
        ]
        by_speaker: dict[str, str] = {}
        for q, channel in zip(mine, channels, strict=True):
            if channel:
                by_speaker.setdefault(q.utterance_speaker, channel)
        for q, channel in zip(mine, channels, strict=True):
            speaker = q.utterance_speaker
            if q.kind == "tweet":
                rows.append((doc_id, origin, speaker, "embeds", q.line))
            elif speaker not in own_media and speaker != origin:
                rows.append(
                    (
                        doc_id,
                        channel or by_speaker.get(speaker) or origin,
                        speaker,
                        "quotes",
                        q.line,
                    )
                )
    edges = pd.DataFrame(rows, columns=EDGE_COLUMNS).drop_duplicates(
        ["doc_id", "source", "target", "relation"]
    )
    edges["line"] = edges["line"].astype("Int64")
    return edges.sort_values(EDGE_COLUMNS, ignore_index=True)


def cited_media(sources: pd.DataFrame) -> dict[str, list[str]]:
    """The news outlets each article cites, in sort order."""
    media = sources[sources["source_type"] == "news_media"]
    return media.groupby("doc_id")["source"].agg(lambda s: sorted(set(s))).to_dict()


def relay_citations(
    quoted: Iterable[tuple[str, str]], cited: dict[str, list[str]]
) -> dict[str, frozenset[str]]:
    """For each utterance two or more articles relay (``quoted``: utterance and article
    pairs), the news outlets every one of those articles cites."""
    docs: dict[str, set[str]] = {}
    for utterance, doc_id in quoted:
        docs.setdefault(utterance, set()).add(doc_id)
    return {
        utterance: frozenset.intersection(*(frozenset(cited.get(d, ())) for d in relaying))
        for utterance, relaying in docs.items()
        if len(relaying) > 1
    }


def _channel(
    in_paragraph: tuple[str, ...], own_media: list[str], cited_by_all: frozenset[str] | None
) -> str | None:
    """The outlet a quote came through, when the page says or the relays agree: the first
    outlet this article cites that the quote's paragraph names (``in_paragraph``), else the
    one it cites that every article relaying the quote cites (``cited_by_all``; None when
    no other article relays it)."""
    named = [m for m in own_media if m in in_paragraph]
    if named:
        return named[0]
    common = [m for m in own_media if m in (cited_by_all or ())]
    return common[0] if len(common) == 1 else None


def most_cited_outlet(sources: pd.DataFrame) -> str:
    """The news outlet the most articles cite: the original reporting they relay. Only an
    outlet's own name counts, capitalised, not a person the lexicon typed by the outlet in
    their description ("Dana Whitlock of the Courier"); its forms with and without "The"
    count as one, and the form the most articles use names it."""
    media = sources[
        (sources["source_type"] == "news_media") & sources["source"].str[:1].str.isupper()
    ]
    if "type_reason" in media:
        matched = media["type_reason"].str.extract(r"^lexicon:news_media:(.*)$")[0]
        own = matched.isna() | (
            matched.fillna("").map(outlet_key) == media["source"].map(outlet_key)
        )
        media = media[own]
    if media.empty:
        return ""
    media = media.assign(key=media["source"].map(outlet_key))
    counts = media.groupby("key")["doc_id"].nunique()
    best = sorted(counts.index, key=lambda k: (-counts[k], k))[0]
    forms = media[media["key"] == best].groupby("source")["doc_id"].nunique()
    return sorted(forms.index, key=lambda f: (-forms[f], f))[0]
