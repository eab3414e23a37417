"""Study entities: entity-ruler patterns from the alias file, and context rules.

The ruler runs before the statistical NER, so alias matches win and NER fills in the rest.
``entity_rules`` then removes matches that only look like an entity: "IS"/"US" as a verb or
pronoun in all-capitals text, names inside an embedded post's account line ("— Turkey
Untold (@TurkeyUntold) …"); it relabels a capital used as the city ("in Ankara") and a
language ("spoke in Turkish"). A wire dateline's place ("ANKARA (Agency) —") is no
mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from helpers.ingest.clean import POST_ATTRIBUTION
from helpers.study import alias_rules, read_study


@dataclass(frozen=True)
class Alias:
    entity: str
    label: str
    form: str
    alias: str
    target: bool

    @property
    def key(self) -> str:
        return f"{self.entity}::{self.alias}"


@cache
def aliases() -> dict[str, Alias]:
    """Every alias of the study's entities by its pattern id."""
    found = {}
    for entity in read_study("entities.toml")["entity"]:
        for item in entity["aliases"]:
            alias = Alias(
                entity["name"],
                entity["label"],
                item["form"],
                item["text"],
                bool(entity.get("target", False)),
            )
            found[alias.key] = alias
    return found


@cache
def rules() -> dict:
    return alias_rules()


def target_entities() -> list[str]:
    return sorted({a.entity for a in aliases().values() if a.target})


def _token_pattern(words: list[str], upper: bool) -> list[dict]:
    """Letters match exactly (or in capitals); punctuation and clitics by their norm."""
    pattern = []
    for word in words:
        if any(ch.isalnum() for ch in word) and word not in {"'s", "’s"}:
            pattern.append({"ORTH": word.upper() if upper else word})
        else:
            pattern.append({"NORM": word.replace("’", "'")})
    return pattern


def ruler_patterns(nlp: Language) -> list[dict]:
    patterns = []
    for alias in aliases().values():
        words = [t.text for t in nlp.tokenizer(alias.alias)]
        variants = {False} | ({True} if alias.alias.upper() != alias.alias else set())
        for upper in sorted(variants):
            patterns.append(
                {"label": alias.label, "id": alias.key, "pattern": _token_pattern(words, upper)}
            )
    return patterns


def _caps_context(span: Span) -> bool:
    """Text set in capitals, judged by the sentence: a shouted headline ("IS THIS …?")
    can open a block of ordinary prose."""
    letters = [t.text for t in span if t.is_alpha and len(t.text) > 1]
    return len(letters) >= 3 and sum(w.isupper() for w in letters) / len(letters) >= 0.6


def _keep_in_caps(span: Span) -> bool:
    doc, r = span.doc, rules()
    before = doc[span.start - 1].text.upper() if span.start > 0 else ""
    after = doc[span.end].text.upper() if span.end < len(doc) else ""
    return before in r["caps_group_before"] or after in r["caps_group_after"]


DASHES = {"-", "--", "–", "—"}


def dateline_end(sent: Span) -> int:
    """The token index where a wire dateline opening a sentence ends ("PORTVALE (Coast
    Wire) —"), else -1: an all-capitals proper noun first, a dash within a dozen tokens."""
    first = sent[0]
    if not (first.is_upper and len(first) > 1 and first.pos_ == "PROPN"):
        return -1
    dash = next((t for t in sent[:12] if t.text in DASHES), None)
    return dash.i if dash is not None else -1


def _modifies_noun(span: Span) -> bool:
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    return nxt is not None and nxt.pos_ in {"NOUN", "PROPN", "ADJ"}


@Language.component("entity_rules")
def entity_rules(doc: Doc) -> Doc:
    """Drop alias matches that only look like the entity; relabel cities and languages."""
    r = rules()
    account = POST_ATTRIBUTION.match(doc.text)
    dateline = dateline_end(next(doc.sents)) if len(doc) else -1
    ents = []
    for ent in doc.ents:
        if account and ent.start_char < account.end("name"):
            continue  # an account's display name, not a mention
        if ent.end <= dateline:
            continue  # the dateline's place says where the copy was filed, not who acts
        if ent.text in r["caps_ambiguous"] and _caps_context(ent.sent) and not _keep_in_caps(ent):
            continue
        before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if ent.text in r["metonym_cities"] and before in r["city_before"]:
            ent = Span(doc, ent.start, ent.end, label="GPE", span_id=f"{ent.text}::city")
        elif (
            ent.text in r["languages"]
            and before in r["language_before"]
            and not _modifies_noun(ent)
        ):
            ent = Span(doc, ent.start, ent.end, label="LANGUAGE", span_id=f"{ent.text}::language")
        ents.append(ent)
    doc.ents = ents
    return doc


def add_entity_components(nlp: Language) -> None:
    """Entity ruler (patterns from the alias file) before NER, context rules after it."""
    patterns = ruler_patterns(nlp)
    if patterns:  # a study without entities: the recogniser alone
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"validate": True})
        ruler.add_patterns(patterns)
    nlp.add_pipe("entity_rules", after="ner")


def describe(ent: Span) -> dict:
    """Canonical entity, form and target flag of one entity span."""
    alias = aliases().get(ent.ent_id_)
    if alias:
        return {
            "entity": alias.entity,
            "label": alias.label,
            "form": alias.form,
            "alias": alias.alias,
            "target": alias.target,
            "source": "alias",
        }
    if ent.ent_id_.endswith(("::city", "::language")):
        name, kind = ent.ent_id_.split("::")
        return {
            "entity": name,
            "label": ent.label_,
            "form": kind,
            "alias": name,
            "target": False,
            "source": "rule",
        }
    surface = re.sub(r"^(?:the|The)\s+|(?:'s|’s)$", "", ent.text).strip()
    return {
        "entity": surface,
        "label": ent.label_,
        "form": "name",
        "alias": surface,
        "target": False,
        "source": "ner",
    }
