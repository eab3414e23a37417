"""What we found: short statements written from the tables, each with the evidence it rests
on. The report lists them all; each notebook ends with those of its topic. Nothing here
knows the story: every name, number and sentence is read from the tables and the study, and
an empty result is a sentence of its own."""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt

import networkx as nx
import pandas as pd

from helpers.across.claims import claims
from helpers.analysis.entities import leading_choices, naming_choices
from helpers.analysis.framing import claim_matrix
from helpers.analysis.sourcing import chain_graph
from helpers.annotate.entities import target_entities
from helpers.ingest.corpus import outlet_labels

TOPICS = ("corpus", "entities", "sourcing", "framing")
MAX_EVIDENCE = 3  # sentences quoted under a finding; the count says how many there are


@dataclass(frozen=True)
class Finding:
    topic: str  # one of TOPICS: the notebook that shows it
    text: str
    n: int  # how many items (articles, mentions, sentences) it rests on
    unit: str  # what those items are
    evidence: tuple[str, ...] = ()  # the sentences behind it: "Outlet, line N: text"

    def markdown(self) -> str:
        lines = [f"- {self.text} (evidence: {self.n} {self.unit})"]
        lines += [f"    - {sentence}" for sentence in self.evidence[:MAX_EVIDENCE]]
        return "\n".join(lines)


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a share of ``k`` in ``n``."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _listing(names: list[str]) -> str:
    names = sorted(names)
    if len(names) <= 1:
        return "".join(names) or "none"
    return ", ".join(names[:-1]) + " and " + names[-1]


def _cited(rows: pd.DataFrame, labels: pd.Series) -> tuple[str, ...]:
    """Each row's sentence with its outlet and raw line."""
    return tuple(
        f"{labels.get(doc, doc)}, line {int(line)}: {' '.join(str(text).split())}"
        for doc, line, text in rows[["doc_id", "line", "text"]].itertuples(index=False)
    )


def findings(t: dict[str, pd.DataFrame]) -> list[Finding]:
    """Every finding, in topic order."""
    articles = t["articles"]
    labels = outlet_labels(articles)
    ok = articles[articles["status"] == "ok"]
    return [
        *_corpus(articles, ok, labels),
        *_entities(t, articles),
        *_sourcing(t, labels),
        *_framing(t, ok, labels),
    ]


def _corpus(articles: pd.DataFrame, ok: pd.DataFrame, labels: pd.Series) -> list[Finding]:
    dates = ok["published"].dropna().sort_values()
    span = f", published {dates.iloc[0]} to {dates.iloc[-1]}" if len(dates) else ""
    text = (
        f"{len(ok)} articles from {labels[ok['doc_id']].nunique()} outlets{span}; "
        f"{int(ok['n_words'].sum()):,} words of article text after cleaning; "
        f"{int((articles['status'] != 'ok').sum())} files rejected."
    )
    return [Finding("corpus", text, len(articles), "files")]


def _entities(t: dict[str, pd.DataFrame], articles: pd.DataFrame) -> list[Finding]:
    mentions = t["mentions"]
    study = target_entities()
    named = mentions[mentions["entity"].isin(study)]
    if not len(named):
        text = "No study entity is named in these articles" + (
            f" (the study's are {_listing(study)})." if study else " (the study lists none)."
        )
        return [Finding("entities", text, len(mentions), "entity mentions")]
    counts = named.groupby("entity").size().sort_values(ascending=False, kind="stable")
    docs = named.groupby("entity")["doc_id"].nunique()
    parts = [f"{e} {n} times in {docs[e]} articles" for e, n in counts.items()]
    out = [
        Finding(
            "entities", "Study entities named: " + "; ".join(parts) + ".", len(named), "mentions"
        )
    ]
    choices = naming_choices(mentions, articles)
    for group, rows in leading_choices(choices).groupby("group", sort=True):
        parts = []
        for r in rows.itertuples():
            low, high = wilson(r.n, r.total)
            parts.append(
                f"{r.outlet} mostly writes “{r.choice}” ({r.n} of {r.total}, "
                f"95% interval {low:.0%}–{high:.0%})"
            )
        out.append(
            Finding(
                "entities",
                f"{group}: " + "; ".join(parts) + ".",
                int(rows["total"].sum()),
                "references",
            )
        )
    return out


def _sourcing(t: dict[str, pd.DataFrame], labels: pd.Series) -> list[Finding]:
    out = []
    versions = t["utterances"]
    if len(versions):
        counts = versions.groupby("utterance_id")["doc_id"].nunique()
        top_id = sorted(counts.index[counts == counts.max()])[0]
        group = versions[versions["utterance_id"] == top_id]
        reference = group[group["reference"]].iloc[0]
        words = " ".join(reference["text"].split()[:12])
        low = group.sort_values(["fidelity", "outlet"]).iloc[0]
        out.append(
            Finding(
                "sourcing",
                f"The most relayed quotation, “{words}…”, appears in {counts.max()} outlets; the "
                f"least faithful version ({low['outlet']}, fidelity {low['fidelity']:.2f}) "
                f"shows: {low['changes']}.",
                len(group),
                "versions",
                _cited(low.to_frame().T, labels),
            )
        )
    else:
        out.append(
            Finding(
                "sourcing",
                "No quotation is shared by two or more articles.",
                0,
                "shared quotations",
            )
        )
    chain = t["chain"]
    relays = chain[chain["relation"] != "embeds"]
    if len(relays):
        graph = chain_graph(relays)
        if nx.is_directed_acyclic_graph(graph) and graph.number_of_edges():
            path = nx.dag_longest_path(graph, weight="articles")  # the best-travelled
            out.append(
                Finding(
                    "sourcing",
                    "Main attribution chain: " + " → ".join(path) + ".",
                    len(relays),
                    "chain edges",
                )
            )
    out += _caveat(t["caveats"], labels)
    return out


def _caveat(caveats: pd.DataFrame, labels: pd.Series) -> list[Finding]:
    if not len(caveats):
        return [
            Finding(
                "sourcing", "No outlet is relayed by another: no caveat to follow.", 0, "articles"
            )
        ]
    by = caveats.assign(outlet=caveats["doc_id"].map(labels)).groupby("status")["outlet"]
    original = caveats["original"].iloc[0]
    parts = [
        f"{_listing(list(by.get_group(s)))} {verb}"
        for s, verb in [
            ("kept", "keep"),
            ("softened", "soften"),
            ("dropped", "drop"),
            ("not relayed", "do not relay"),
        ]
        if s in by.groups
    ]
    kept = caveats.dropna(subset=["evidence"]).rename(columns={"evidence": "text"})
    return [
        Finding(
            "sourcing",
            f"{original}'s verification caveat: " + "; ".join(parts) + " it.",
            len(caveats),
            "articles",
            _cited(kept, labels),
        )
    ]


def _framing(t: dict[str, pd.DataFrame], ok: pd.DataFrame, labels: pd.Series) -> list[Finding]:
    out = []
    matches = t["claims"]
    study_claims = claims()
    if not study_claims:
        out.append(Finding("framing", "The study lists no claims to compare.", 0, "claims"))
    elif not len(matches):
        out.append(
            Finding(
                "framing",
                f"None of the study's {len(study_claims)} claims is stated in these articles.",
                0,
                "sentences",
            )
        )
    matrix = claim_matrix(matches, sorted(ok["doc_id"])).rename(columns=labels)
    wording = {c["id"]: c["wording"] for c in study_claims}
    for claim_id, row in matrix.iterrows():
        asserted = [o for o, s in row.items() if s == "asserted"]
        if asserted:
            rows = matches[(matches["claim_id"] == claim_id) & (matches["status"] == "asserted")]
            out.append(
                Finding(
                    "framing",
                    f"“{wording[claim_id]}” is asserted as fact by {_listing(asserted)}; absent "
                    f"from {sum(row == 'absent')} of {len(row)} articles.",
                    len(rows),
                    "sentences",
                    _cited(rows, labels),
                )
            )
    sims = t["similarity"]
    if len(sims) and sims["share_of_a_in_b"].max() > 0:
        top = sims.sort_values(["share_of_a_in_b", "doc_a"], ascending=[False, True]).iloc[0]
        out.append(
            Finding(
                "framing",
                f"Largest text reuse: {top['share_of_a_in_b']:.0%} of "
                f"{labels[top['doc_a']]}'s words appear in passages shared with "
                f"{labels[top['doc_b']]}.",
                int(top["passages"]),
                "shared passages",
            )
        )
    return out


def what_we_found(t: dict[str, pd.DataFrame], topic: str) -> str:
    """A notebook's closing cell: its topic's findings as Markdown."""
    found = [f for f in findings(t) if f.topic == topic]
    lines = ["What we found (written from the tables):", *(f.markdown() for f in found)]
    return "\n".join(lines)
