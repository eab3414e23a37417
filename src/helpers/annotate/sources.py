"""Every source an article attributes information to, one row per (source, cue), with its
type.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Span, Token

from helpers.annotate.context import UNATTRIBUTED, BlockDoc, Context, resolve_cue
from helpers.annotate.entities import aliases
from helpers.annotate.speakers import (
    DEFINITE,
    DETERMINERS,
    cue_words,
    lexicon,
    looks_like_name,
    phrase_source,
    subject_of,
)
from helpers.text import fold


def article_sources(blocks: list[BlockDoc], quotes: list[dict], ctx: Context) -> list[dict]:
    """Every attribution in the article, one row per (source, cue): quote speakers,
    reported speech, "according to" phrases, outlets spoken to, embedded accounts."""
    # one event per cue: a split quote ("…,” he said, “…”) is one attribution
    by_cue = {(q["speaker"], q["cue_at"]): q for q in quotes if q["speaker"] != UNATTRIBUTED}
    events = [(q["speaker"], q["phrase"], q["cue"]) for q in by_cue.values()]
    for block in blocks:
        if block.role == "embed":
            continue
        skip = [
            (q["start"] - block.start - 1, q["end"] - block.start + 1)
            for q in quotes
            if q["block_id"] == block.block_id
        ]
        for sent in block.doc.sents:
            events += _sentence_sources(sent, skip, ctx, block.start, block.cues)
    sources = {canonical for canonical, _, _ in events}
    shortest = _shortest_forms(sources)
    named = _named_persons(sources, ctx)
    table: dict[tuple[str, str], dict] = {}
    phrases: dict[str, list[str]] = {}
    for canonical, phrase, cue in events:
        canonical = named.get(canonical) or shortest[canonical]
        phrases.setdefault(canonical, []).append(phrase)
        row = table.setdefault(
            (canonical, cue.lower()), {"source": canonical, "cue": cue.lower(), "n": 0}
        )
        row["n"] += 1
    for row in table.values():
        row["source_type"] = source_type(row["source"], phrases[row["source"]])
    return sorted(table.values(), key=lambda r: (r["source"], r["cue"]))


def _named_persons(sources: set[str], ctx: Context) -> dict[str, str]:
    """A person first described, then named: "A former member of the Islamic State told
    Newsweek …" is the Sherko Omer whom "the former Islamic State technician, dubbed …"
    names, when the description shares two words or more with the sentences that name
    exactly one person who is a source too."""
    person_nouns = set(lexicon()["person_nouns"])
    function_words = DETERMINERS | set(lexicon()["function_words"])
    # the words of the sentences naming each person source, by full name or surname
    people = {
        s: set().union(*(w for k, w in ctx.person_words.items() if k == s or s.endswith(f" {k}")))
        - function_words
        for s in sources & ctx.person_words.keys()
    }
    out = {}
    for source in sources - people.keys():
        words = fold(source).split()
        # indefinite ("a former member") or bare, as in headlines ("Former ISIS Member says"),
        # and one person ("officials" is not)
        nouns = person_nouns & set(words)
        plural = any(n.endswith("s") and n[:-1] in person_nouns for n in nouns)
        if not words or words[0] in DEFINITE or not nouns or plural:
            continue
        content = set(words) - function_words
        matches = [p for p, known in people.items() if len(content & known) >= 2]
        if len(matches) == 1:
            out[source] = matches[0]
    return out


def _shortest_forms(sources: set[str]) -> dict[str, str]:
    """Each source, or a shorter one of two words or more that begins it: "Kurdish
    commanders in northeast Syria" is the "Kurdish commanders" of the headline."""
    folded = {s: fold(s) for s in sources}
    out = {}
    for source in sources:
        starts = [
            other
            for other in sources
            if len(other.split()) >= 2 and folded[source].startswith(folded[other] + " ")
        ]
        out[source] = min(starts, key=len) if starts else source
    return out


def _sentence_sources(
    sent: Span, skip: list[tuple[int, int]], ctx: Context, offset: int, cues: list[Token]
) -> list[tuple[str, str, str]]:
    """Reported speech and source phrases of one sentence not already used by a quote."""
    found = []
    impersonal = lexicon()["impersonal_subjects"]
    subjects: list[tuple[int, int]] = []
    media = {name for _, name in ctx.media}
    for token in cues:
        if not sent.start <= token.i < sent.end or any(a <= token.idx < b for a, b in skip):
            continue
        if token.lemma_.lower() in {"tell", "speak"}:  # "told Newsweek": the outlet relayed it
            found += [
                (o.text, o.text, cue_words(token).lower())
                for o in token.subtree
                if o.dep_ in {"dobj", "dative", "pobj"}
                and o.text in media
                and o.head in (token, *token.children)
            ]
        if offset + token.idx in ctx.used_cues:
            continue  # its speaker was counted with the quote
        subject = subject_of(token)
        if subject is None or subject.lower_ in impersonal:
            continue
        subjects.append((subject.left_edge.i, subject.right_edge.i))
        attr = resolve_cue((cue_words(token), subject, token.idx), ctx, offset)
        if attr.speaker != UNATTRIBUTED:
            ctx.note(attr, offset + subject.idx)
            found.append((attr.speaker, attr.phrase, attr.cue))
    phrase = phrase_source(sent)
    if phrase and not any(a <= phrase[1].i <= b for a, b in subjects):
        attr = resolve_cue((phrase[0], phrase[1], phrase[1].idx), ctx, offset)
        if attr.speaker != UNATTRIBUTED:
            found.append((attr.speaker, attr.phrase, attr.cue))
    return found


def source_type(source: str, phrases: list[str]) -> str:
    """The kind of source, from its name and the phrases used for it (first list wins)."""
    types = lexicon()["source_type"]
    words = " ".join([source, *phrases])
    low = fold(words)
    if "@" in words:
        return "social_media"
    # "Newsweek's source" is a person the outlet spoke to, not the outlet
    if _has_any(_POSSESSOR.sub(" ", low), types["news_media"]):
        return "news_media"
    for name in ("monitor_ngo", "court_legal"):
        if _has_any(low, types[name]):
            return name
    armed = _has_any(low, types["armed_groups"])
    if armed and _has_any(low, types["armed_group_spokesperson"]):
        return "armed_group_spokesperson"
    if _has_any(low, types["armed_group_member"]) and (armed or "former" in low):
        return "armed_group_member"
    if source in types["armed_groups"]:
        return "armed_group_spokesperson"
    for name in (
        "social_media",
        "military_official",
        "government_official",
        "document_statement",
        "local_residents",
    ):
        if _has_any(low, types[name]):
            return name
    if _has_any(low, types["anonymous_official"]) and not looks_like_name(source):
        return "anonymous_official"  # "a senior official", not a source named by the article
    if any(a.entity == source and a.label == "GPE" for a in aliases().values()):
        return "government_official"  # a state speaking: "Turkey argues …"
    return "other"


_POSSESSOR = re.compile(r"(?:^|(?<=\s))[\w.-]+(?:\s[\w.-]+){0,2}['’]s(?=\s)")


def _has_any(text: str, words: list[str]) -> bool:
    return bool(_word_pattern(tuple(words)).search(text))


@cache
def _word_pattern(words: tuple[str, ...]) -> re.Pattern:
    """One pattern for a word list, matched on folded text as whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(w)) for w in words) + r")(?!\w)")
