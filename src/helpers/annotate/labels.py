"""How an outlet labels each actor: words modifying, in apposition to, or standing in for
a study entity, read from the dependency parse."""

from __future__ import annotations

from functools import cache

from spacy.tokens import Doc, Span, Token

from helpers.annotate.entities import aliases, describe
from helpers.lexicons import read_toml
from helpers.study import read_study

_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their"}


@cache
def lexicon() -> dict:
    """The package's label words and the study's stand-ins."""
    return {**read_toml("labels.toml"), **read_study("labels.toml")}


def _phrase(token: Token, deps: set[str]) -> str:
    """A token with its modifiers of the given kinds (recursively), determiners dropped."""
    keep, stack = [token], [c for c in token.children if c.dep_ in deps]
    while stack:
        node = stack.pop()
        keep.append(node)
        stack.extend(c for c in node.children if c.dep_ in deps)
    keep = [t for t in keep if t.lower_ not in _DETERMINERS and not t.is_punct]
    return " ".join(t.text for t in sorted(keep, key=lambda t: t.i)).lower()


def _in_entity(token: Token) -> bool:
    return token.ent_iob_ != "O"


def mention_labels(ent: Span) -> list[tuple[str, str]]:
    """(label, relation) pairs attached to one study-entity mention."""
    info = describe(ent)
    deps = set(lexicon()["modifier_deps"])
    doc, root = ent.doc, ent.root
    found = []
    for child in root.children:
        if child.i in range(ent.start, ent.end) or _in_entity(child):
            continue
        if child.dep_ in deps and child.is_alpha:
            found.append((_phrase(child, deps), "modifier"))
        elif child.dep_ == "appos" and child.pos_ in {"NOUN", "PROPN"}:
            found.append((_phrase(child, deps), "apposition"))
    head = root.head
    if root.dep_ == "appos" and head.pos_ == "NOUN" and not _in_entity(head):
        found.append((_phrase(head, deps), "apposition"))
    # "Turkey is a NATO member", "considers Turkey an ally"
    if root.dep_ == "nsubj":
        predicates = (
            [head]
            if head.pos_ == "NOUN"
            else [c for c in head.children if c.dep_ in {"attr", "oprd"} and c.pos_ == "NOUN"]
        )
        found += [(_phrase(p, deps), "predicate") for p in predicates if not _in_entity(p)]
    # "IS terrorists", "ISIS fighters": the name premodifies a noun (read from word order,
    # which survives when the parser takes "IS" for a verb)
    after = doc[ent.end] if ent.end < len(doc) else None
    # the first noun of the compound chain that denotes people ("ISIS communications
    # technician" has none; "IS terrorists" is one even when misparsed as "… weapons")
    while (
        after is not None
        and info["form"] != "adjective"
        and after.pos_ == "NOUN"
        and not _in_entity(after)
    ):
        if after.lemma_.lower() in lexicon()["agent_nouns"]:
            found.append((_phrase(after, {"amod"}), "head noun"))
            break
        after = after.head if after.dep_ == "compound" and after.head.i == after.i + 1 else None
    return [(label, relation) for label, relation in found if _is_label(label)]


def _is_label(label: str) -> bool:
    """A short descriptive phrase: words only, naming no entity (no links, no debris of a
    title-case headline the parser misread)."""
    words = label.split()
    names = {a.alias.lower() for a in aliases().values() if a.target}
    words = [w for w in words if w not in lexicon()["neutral_modifiers"]]
    return (
        0 < len(words) <= 4
        and not names & set(words)
        and all(w.replace(".", "").replace("-", "").isalpha() for w in words)
    )


@cache
def _stand_in_heads() -> frozenset[str]:
    """Every noun that may head a stand-in, for any actor."""
    return frozenset(noun for nouns in lexicon()["stand_in"].values() for noun in nouns)


def stand_ins(doc: Doc) -> list[tuple[Span, str, str]]:
    """(span, actor, label) for noun phrases that stand in for an actor without naming it."""
    lex, heads = lexicon(), _stand_in_heads()
    found: list[tuple[Span, str, str]] = []
    if not any(t.lower_ in heads for t in doc):
        return found  # reading the noun chunks takes a pass over the parse in Python
    for chunk in doc.noun_chunks:
        head = chunk.root.lower_
        if head not in heads:
            continue
        words = {t.lemma_.lower() for t in chunk} | {t.lower_ for t in chunk}
        if any(t.ent_type_ and t.ent_type_ not in {"NORP"} for t in chunk):
            continue
        for actor, nouns in lex["stand_in"].items():
            required = set(lex["stand_in_requires"].get(actor, []))
            if head in nouns and (not required or words & required):
                label = " ".join(
                    t.text.lower() for t in chunk if t.lower_ not in _DETERMINERS and not t.is_punct
                )
                found.append((chunk, actor, label))
                break
    return found


def block_labels(doc: Doc) -> list[dict]:
    """Label rows (offsets within the block) for one parsed block."""
    rows = []
    for ent in doc.ents:
        info = describe(ent)
        if not info["target"]:
            continue
        for label, relation in mention_labels(ent):
            rows.append(
                {
                    "start": ent.start_char,
                    "end": ent.end_char,
                    "entity": info["entity"],
                    "label": label,
                    "relation": relation,
                    "surface": ent.text,
                }
            )
    for span, actor, label in stand_ins(doc):
        rows.append(
            {
                "start": span.start_char,
                "end": span.end_char,
                "entity": actor,
                "label": label,
                "relation": "stand-in",
                "surface": span.text,
            }
        )
    return rows
