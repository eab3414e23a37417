"""A starter study from a corpus (``python -m helpers study init RAW --out DIR``).

The corpus is built once with an empty study, so every name comes from spaCy's entity
recogniser. Candidate entities are its people, organisations and places, their surface
forms merged into one entity where one form is part of exactly one longer one ("Whitlock"
of "Dana Whitlock") or its initials ("CAB"), ranked by how many articles name them.
Candidate claims are groups of similar sentences (TF-IDF cosine, average linkage) that
recur across outlets, ranked by how many outlets carry them; each is written with the
entities most of its sentences name, the words they share as cues, its most central
sentence as wording, and every member sentence with its outlet as a comment.
"""

from __future__ import annotations

import json
import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.annotate.nlp import get_nlp
from helpers.annotate.speakers import lexicon
from helpers.build.pipeline import build
from helpers.study import EMPTY, FORMS, LABELS, stop_words
from helpers.text import fold, outlet_key

KINDS = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC")  # the labels worth a study entity
SIMILAR = 0.35  # cosine a group's sentences reach on average, at the least
N_ENTITIES, N_TARGETS, N_CLAIMS, N_CUES = 20, 4, 12, 3


@dataclass
class Candidate:
    name: str
    labels: Counter[str] = field(default_factory=Counter)
    forms: dict[str, str] = field(default_factory=dict)  # surface -> form
    mentions: int = 0
    docs: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return self.labels.most_common(1)[0][0]


def candidate_entities(mentions: pd.DataFrame) -> list[Candidate]:
    """The recogniser's names, merged and ranked (articles naming them, then mentions)."""
    rows = mentions[mentions["label"].isin(KINDS)]
    by_name: dict[str, Candidate] = {}
    for name, group in rows.groupby("entity"):
        if len(name) < 2 or not any(ch.isalpha() for ch in name):
            continue
        by_name[name] = Candidate(
            name, Counter(group["label"]), {name: "name"}, len(group), set(group["doc_id"])
        )
    for short in sorted(by_name, key=len):
        longer = [c for c in by_name.values() if c.name != short and _part_of(short, c.name)]
        if len(longer) == 1:
            into, part = longer[0], by_name.pop(short)
            into.labels.update(part.labels)
            into.forms[short] = "abbreviation" if short.isupper() else "name"
            into.mentions += part.mentions
            into.docs |= part.docs
    return sorted(by_name.values(), key=lambda c: (-len(c.docs), -c.mentions, c.name))


def _part_of(short: str, long: str) -> bool:
    """``short`` is a run of ``long``'s words, or the initials of its capitalised words."""
    words, parts = short.split(), long.split()
    if len(parts) <= len(words):
        return False
    runs = (parts[i : i + len(words)] for i in range(len(parts) - len(words) + 1))
    initials = "".join(p[0] for p in parts if p[:1].isupper())
    return any(run == words for run in runs) or (short.isupper() and short == initials)


@dataclass
class ClaimGroup:
    wording: str
    members: pd.DataFrame  # doc_id, outlet, line, text
    requires: list[str]
    cues: list[str]

    @property
    def outlets(self) -> int:
        return self.members["outlet"].nunique()


def candidate_claims(
    sentences: pd.DataFrame, mentions: pd.DataFrame, entities: list[Candidate]
) -> list[ClaimGroup]:
    """Groups of similar sentences in two outlets or more, most outlets first."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    sents = sentences[sentences["text"].str.split().str.len() >= 6].reset_index(drop=True)
    if len(sents) < 2:
        return []
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform(sents["text"])
    keep = np.asarray(matrix.sum(axis=1)).ravel() > 0
    sents, matrix = sents[keep].reset_index(drop=True), matrix[keep]
    if len(sents) < 2:
        return []
    groups = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1 - SIMILAR
    ).fit_predict(matrix.toarray())
    entity_of = {fold(form): c.name for c in entities for form in c.forms}
    named = mentions.assign(entity=mentions["entity"].map(lambda e: entity_of.get(fold(e))))
    named = named.dropna(subset=["entity"]).groupby(["doc_id", "sent_id"])["entity"].agg(set)
    terms = np.array(vectorizer.get_feature_names_out())
    # names and reporting words ("said", "according") are no cue of what is claimed
    skip = {w for c in entities for form in c.forms for w in fold(form).split()}
    skip |= _reporting_words(terms)
    found = []
    for group in sorted(set(groups)):
        rows = np.flatnonzero(groups == group)
        members = sents.iloc[rows]
        if members["outlet"].nunique() < 2:
            continue
        sub = matrix[rows]
        central = int(np.asarray((sub @ sub.T).sum(axis=1)).ravel().argmax())
        keys = zip(members["doc_id"], members["sent_id"], strict=True)
        counts = Counter(e for key in keys for e in named.get(key, set()))
        requires = [e for e, n in counts.most_common(2) if n * 2 >= len(members)]
        weight = np.asarray(sub.sum(axis=0)).ravel()
        order = [t for t in terms[np.argsort(-weight, kind="stable")] if t not in skip]
        found.append(
            ClaimGroup(
                members["text"].iloc[central],
                members[["doc_id", "outlet", "line", "text"]],
                requires,
                order[:N_CUES],
            )
        )
    return sorted(found, key=lambda g: (-g.outlets, -len(g.members), g.wording))[:N_CLAIMS]


def _reporting_words(terms: np.ndarray) -> set[str]:
    """The terms whose lemma is a speech verb of the attribution lexicon, or a word of its
    attribution phrases."""
    lex = lexicon()
    verbs = set(lex["speech_verbs"]) | {w for p in lex["phrases"] for w in p.split()}
    nlp = get_nlp()
    lemmas = (doc[0].lemma_ for doc in nlp.pipe(terms))
    return {t for t, lemma in zip(terms, lemmas, strict=True) if t in verbs or lemma in verbs}


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def entities_toml(entities: list[Candidate], outlets: set[str]) -> str:
    stop = stop_words()
    lines = [
        "# Candidate entities: the people, organisations and places the articles name most,",
        "# with the surface forms found (python -m helpers study init). Edit: merge, rename,",
        "# drop, add aliases and forms; `target = true` marks the study entities (notebook 02).",
        f"# Forms: {', '.join(FORMS)}.",
        f"# Labels: {', '.join(LABELS)}.",
        'version = "1"',
    ]
    taken: set[str] = set()
    targets = 0
    for cand in entities[:N_ENTITIES]:
        forms = {t: f for t, f in cand.forms.items() if t.lower() not in stop and t not in taken}
        if not forms:
            continue
        taken |= set(forms)
        target = targets < N_TARGETS and fold(cand.name) not in outlets
        targets += target
        aliases = ",\n".join(f"  {{ text = {_q(t)}, form = {_q(f)} }}" for t, f in forms.items())
        lines += [
            "",
            f"# {cand.mentions} mentions in {len(cand.docs)} articles",
            "[[entity]]",
            f"name = {_q(cand.name)}",
            f"label = {_q(cand.label)}",
            *(["target = true"] if target else []),
            f"aliases = [\n{aliases},\n]",
        ]
    return "\n".join(lines) + "\n"


def claims_toml(groups: list[ClaimGroup], known: set[str]) -> str:
    lines = [
        "# Candidate claims: groups of similar sentences that recur across outlets, most",
        "# outlets first (python -m helpers study init). Edit the wording into the claim as",
        "# you would phrase it neutrally; a sentence matches when it names every entity of",
        "# `requires` and one `cues` pattern (regular expressions, whole words).",
        'version = "1"',
    ]
    for n, group in enumerate(groups, 1):
        lines += [
            "",
            f"# {group.outlets} outlets, {len(group.members)} sentences:",
            *(
                f"#   {outlet} (line {line}): {' '.join(text.split())}"
                for outlet, line, text in group.members[["outlet", "line", "text"]].itertuples(
                    index=False
                )
            ),
            "[[claim]]",
            f'id = "K{n}"',
            f"wording = {_q(' '.join(group.wording.split()))}",
            f"requires = [{', '.join(_q(e) for e in group.requires if e in known)}]",
            f"cues = [{', '.join(_q(c) for c in group.cues)}]",
        ]
    return "\n".join(lines) + "\n"


def sources_toml(outlets: list[str]) -> str:
    return "\n".join([
        "# The corpus's outlets: a source named so is news media (python -m helpers study",
        "# init). Add the outlets the articles cite, and source-type rules (docs/study.md).",
        'version = "1"',
        f"news_media = [{', '.join(_q(o) for o in outlets)}]",
    ]) + "\n"  # fmt: skip


EMPTY_FILES = {
    "naming.toml": "# Naming-choice groups: how outlets refer to a study entity (docs/study.md).\n"
    'version = "1"\n',
    "labels.toml": "# Stand-ins: nouns that stand for an actor without naming it (docs/study.md).\n"
    'version = "1"\n\n[stand_in]\n\n[stand_in_requires]\n',
}


def init_study(raw_dir: Path, out_dir: Path) -> dict[str, Path]:
    """Write a starter study for the corpus in ``raw_dir`` into ``out_dir`` (which must not
    hold a study already). Returns the files written."""
    existing = [name for name in EMPTY if (out_dir / name).exists()]
    if existing:
        raise FileExistsError(f"{out_dir} already holds {', '.join(existing)}: choose a new folder")
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "study"
        empty.mkdir()
        (empty / "entities.toml").write_text('version = "1"\n')
        tables = build(raw_dir, Path(tmp) / "tables", progress=False, study=empty)
        articles = tables["articles"]
        mentions, sentences = tables["mentions"], tables["sentences"]
    ok = articles[articles["status"] == "ok"]
    outlet_of = ok.set_index("doc_id")["outlet"].fillna(ok.set_index("doc_id")["file"])
    sentences = sentences[sentences["doc_id"].isin(outlet_of.index)]
    sentences = sentences.assign(outlet=sentences["doc_id"].map(outlet_of))
    outlets = sorted(outlet_of.dropna().unique())
    entities = candidate_entities(mentions)
    bare = {outlet_key(o) for o in outlets}
    text = {
        "entities.toml": entities_toml(entities, bare),
        "sources.toml": sources_toml(outlets),
        **EMPTY_FILES,
    }
    known = {e["name"] for e in tomllib.loads(text["entities.toml"]).get("entity", [])}
    text["claims.toml"] = claims_toml(candidate_claims(sentences, mentions, entities), known)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, content in text.items():
        (out_dir / name).write_text(content, encoding="utf-8")
        written[name] = out_dir / name
    return written
