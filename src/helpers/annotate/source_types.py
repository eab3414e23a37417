"""The type of a source and the evidence that decided it.

The rules are the ordered ``[[source_type.rules]]`` of attribution.toml, checked over the
evidence for one source: its name, the head of every phrase used for it, the descriptions
the article gives of it, and those of the bodies a description names. The first rule with
a word in the evidence wins; its reason (``lexicon:TYPE:WORD``, or a special rule's key) is
the ``type_reason`` of the sources table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from helpers.annotate.source_names import alias_entities, head_word, norm, states, words
from helpers.annotate.speakers import lexicon, looks_like_name
from helpers.text import fold


@dataclass
class Evidence:
    """What the article says about one source."""

    name: str
    phrases: list[str] = field(default_factory=list)  # the phrases used for it, as written
    described: list[str] = field(default_factory=list)  # appositions, titles, clauses
    linked: list[str] = field(default_factory=list)  # descriptions of the bodies it names
    cues: set[str] = field(default_factory=set)
    named: bool = False  # a name, not a description ("Nura Sheikho", not "a senior official")
    label: str = ""  # the entity label the article's parse gives the name (GPE, ORG, …)


_POSSESSOR = re.compile(r"(?:^|(?<=\s))[\w.-]+(?:\s[\w.-]+){0,2}['’]s(?=\s|$)")
_AGE = re.compile(r"^\s*(?:aged\s+)?\d{1,3}\s*$")


@cache
def _rules() -> list[dict]:
    return lexicon()["source_type"]["rules"]


def source_type(evidence: Evidence) -> tuple[str, str]:
    """(type, reason) of one source."""
    name = evidence.name
    heads = [_core(p) for p in evidence.phrases]
    texts = {
        "name": norm(name),
        "described": norm(" | ".join(evidence.described)),
        "heads": norm(" | ".join(head_word(t) for t in [name, *heads, *evidence.described])),
        "all": norm(" | ".join([name, *heads, *evidence.described, *evidence.linked])),
    }
    for rule in _rules():
        special = rule.get("special")
        if special:
            found = _SPECIAL[special](evidence, heads, texts)
            if found:
                return found
            continue
        text = texts[rule.get("where", "all")]
        word = _first_word(text, tuple(rule["words"]))
        if word:
            return rule["type"], f"lexicon:{rule['type']}:{word}"
    return "other", "default_other"


_CLAUSE = re.compile(r"\s(?:who|whom|whose|which|that|where|when)\s|,\s*\w+ing\b|\s\(|\s[–—]\s")


def _core(phrase: str) -> str:
    """The phrase with its apposition but without its clauses, and only its first conjunct:
    "Muhammed Suad Çelen, one of the policemen who …" -> "…, one of the policemen";
    "residents and a war monitor" -> "residents"."""
    return re.split(r"\s+(?:and|or)\s+", _CLAUSE.split(phrase)[0])[0].strip(" ,")


def _embedded(ev: Evidence, heads: list[str], texts: dict) -> tuple[str, str] | None:
    if "embedded post" in ev.cues:
        return "social_media", "embedded_post"
    if "@" in ev.name or any("@" in p for p in ev.phrases):
        return "social_media", "handle"
    return None


def _known_outlet(ev: Evidence, heads: list[str], texts: dict) -> tuple[str, str] | None:
    """A name of the news_media list, not as a possessor ("Newsweek's source")."""
    outlets = tuple(w for w in lexicon()["source_type"]["news_media"] if w[:1].isupper())
    for text in (ev.name, *heads):
        word = _first_word(_POSSESSOR.sub(" ", norm(text)), outlets)
        if word:
            return "news_media", f"lexicon:news_media:{word}"
    return None


_OFFICIAL_HEADS = {"official", "officials", "source", "sources", "diplomat", "diplomats",
                   "insider", "insiders", "people", "person", "aide", "aides"}  # fmt: skip
_ANONYMITY = (
    "condition of anonymity", "not to be named", "not to be identified", "unnamed",
    "anonymous", "declined to be named", "not authorised to", "not authorized to",
    "familiar with", "close to", "briefed on", "with knowledge of", "who asked not",
)  # fmt: skip


def _anonymous(ev: Evidence, heads: list[str], texts: dict) -> tuple[str, str] | None:
    """An official or source the article does not name: "a senior official" (one, not
    named), "two officials, speaking on condition of anonymity", "sources
    close to the board", "two people familiar with the investigation"."""
    if ev.named or looks_like_name(ev.name):
        return None
    whole = norm(" ".join([ev.name, *ev.phrases]))
    marker = next((m for m in _ANONYMITY if m in whole), None)
    for text in (ev.name, *heads):
        head = head_word(text)
        if head not in _OFFICIAL_HEADS:
            continue
        if marker:
            return "anonymous_official", f"anonymous:{marker.replace(' ', '_')}"
        first = fold(text).split()[:1]
        if head in {"source", "sources"}:
            return "anonymous_official", "anonymous:source"
        if head in {"official", "diplomat", "aide", "insider"} and first[:1] != ["the"]:
            return "anonymous_official", f"anonymous:{head}"
    return None


def _armed(ev: Evidence, heads: list[str], texts: dict) -> tuple[str, str] | None:
    """A spokesperson or member of an armed group, or the group itself."""
    st = lexicon()["source_type"]
    own = norm(" | ".join([ev.name, *heads, *ev.described]))
    groups = _armed_words()
    group = _first_word(own, groups)
    if group:
        group = norm(alias_entities().get(group, group))
    if ev.name in st["armed_groups"] or (group and ev.name.endswith(f"({group.upper()})")):
        return "armed_group_spokesperson", f"armed_group:{group or ev.name}:group"
    speaking = (*st["armed_group_spokesperson"], "co-chair", "chairman", "chairwoman", "leader")
    if group and _first_word(own, speaking):
        return "armed_group_spokesperson", f"armed_group:{group}:spokesperson"
    members = (*st["armed_group_member"], "guard", "guards", "fighter")
    member = _first_word(own, members)
    if member and (group or _first_word(own, ("former",))):
        return "armed_group_member", f"armed_group:{group or 'former'}:{member}"
    if group and head_word(ev.name) in {*groups, "groups"}:
        return "armed_group_spokesperson", f"armed_group:{group}:group"
    return None


@cache
def _armed_words() -> tuple[str, ...]:
    """The armed groups, by every alias of entities.toml ("People's Protection Units"), and
    the words for armed groups in general."""
    st = lexicon()["source_type"]
    named = {norm(g) for g in st["armed_groups"]}
    # long forms only: "IS" and "US" are words too
    forms = {a for a, entity in alias_entities().items() if norm(entity) in named and len(a) > 4}
    general = ("rebel groups", "rebels", "rebel", "factions", "militia", "militias",
               "insurgents", "jihadist group", "armed group", "armed groups")  # fmt: skip
    return (*st["armed_groups"], *sorted(forms), *general)


def _age(ev: Evidence, heads: list[str], texts: dict) -> tuple[str, str] | None:
    if ev.named and any(_AGE.match(d) for d in ev.described):
        return "local_residents", "age"
    return None


def _state(ev: Evidence, heads: list[str], texts: dict) -> tuple[str, str] | None:
    if ev.name in states() or ev.label == "GPE":
        return "government_official", "gpe_state"
    return None


_SPECIAL = {
    "embedded_post": _embedded,
    "known_outlet": _known_outlet,
    "anonymous": _anonymous,
    "armed_group": _armed,
    "age": _age,
    "state": _state,
}


def _first_word(text: str, words_: tuple[str, ...]) -> str | None:
    m = _word_pattern(words_).search(text)
    return m.group(0) if m else None


@cache
def _word_pattern(words_: tuple[str, ...]) -> re.Pattern:
    """One pattern for a word list, matched on folded text as whole words, longest first."""
    ordered = sorted({norm(w) for w in words_}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in ordered) + r")(?!\w)")


__all__ = ["Evidence", "source_type", "words"]
