"""The study: what is specific to one story, in a folder the user owns.

A study folder holds the story's entities and their aliases (``entities.toml``), naming-choice
groups (``naming.toml``), claims (``claims.toml``), actor stand-ins (``labels.toml``) and its
outlets, armed groups and extra source types (``sources.toml``). The package keeps the
general rules; everything read here is merged into them. ``docs/study.md`` lists every field.

The folder in use is named by the ``HELPERS_STUDY`` environment variable (so the spawned
workers of a build read the same one), else ``study/`` at the project root.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from helpers.paths import LEXICON_DIR, PROJ_ROOT

STUDY_ENV = "HELPERS_STUDY"
DEFAULT_STUDY = PROJ_ROOT / "study"
STUDY_RECORD = ".study"  # in a build's folder: the study it read
# What an absent file stands for: a story with no claims, no naming groups, no stand-ins.
EMPTY = {
    "entities.toml": {"entity": []},
    "naming.toml": {"group": []},
    "claims.toml": {"claim": []},
    "labels.toml": {"stand_in": {}, "stand_in_requires": {}},
    "sources.toml": {
        "news_media": [],
        "armed_groups": [],
        "armed_group_spokesperson": [],
        "armed_group_member": [],
        "rules": [],
    },
}
FORMS = ("name", "abbreviation", "hashtag", "adjective", "demonym", "metonym", "compound")
LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
          "LAW", "LANGUAGE")  # fmt: skip
SPECIALS = ("armed_group",)  # the study's own source-type checks written in code


def study_dir() -> Path:
    return Path(os.environ.get(STUDY_ENV) or DEFAULT_STUDY)


def find_study(raw_dir: Path, explicit: Path | None = None) -> Path:
    """``explicit``, else a ``study/`` folder beside the raw folder, else the project's."""
    if explicit is not None:
        return explicit
    beside = raw_dir.resolve().parent / "study"
    return beside if beside.is_dir() else DEFAULT_STUDY


def recorded_study(tables_dir: Path) -> Path | None:
    """The study the build in ``tables_dir`` read (``build`` records it), if it still exists."""
    record = tables_dir / STUDY_RECORD
    path = Path(record.read_text(encoding="utf-8").strip()) if record.exists() else None
    return path if path is not None and path.is_dir() else None


def use_study(path: Path) -> None:
    """Read the study in ``path`` from now on, here and in the workers started after."""
    os.environ[STUDY_ENV] = str(path.resolve())


@cache
def _read(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def read_study(name: str) -> dict:
    """One study file of the folder in use, with the fields an absent file leaves empty."""
    path = study_dir() / name
    return {**EMPTY[name], **(_read(path) if path.exists() else {})}


def study_digest(path: Path) -> str:
    """The name and bytes of every study file in ``path``: part of the pipeline version."""
    digest = hashlib.sha256()
    for name in EMPTY:
        if (path / name).exists():
            digest.update(name.encode())
            digest.update((path / name).read_bytes())
    return digest.hexdigest()


@dataclass
class StudyError(ValueError):
    """A study file that cannot be used: where, what is wrong, and how to fix it."""

    file: Path
    line: int
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.problem}\n  fix: {self.fix}"


class _File:
    """One study file's text and data, for errors that name the line."""

    def __init__(self, path: Path, empty: dict) -> None:
        self.path = path
        self.text = path.read_text(encoding="utf-8") if path.exists() else ""
        try:
            self.data = {**empty, **tomllib.loads(self.text)}
        except tomllib.TOMLDecodeError as err:
            found = re.search(r"line (\d+)", str(err))
            raise StudyError(
                path,
                int(found[1]) if found else 1,
                f"invalid TOML: {err}",
                "correct the syntax (quotes, commas, brackets) on that line",
            ) from err

    def line(self, needle: str, nth: int = 1) -> int:
        """The line of the ``nth`` occurrence of ``needle`` (1 if it is not written);
        ``text = "x"`` matches however the ``=`` is spaced."""
        pattern = re.escape(needle).replace(r"\ =\ ", r"\s*=\s*")
        found = list(re.finditer(pattern, self.text))
        if len(found) < nth:
            return 1
        return self.text.count("\n", 0, found[nth - 1].start()) + 1

    def fail(self, needle: str, problem: str, fix: str, nth: int = 1) -> StudyError:
        return StudyError(self.path, self.line(needle, nth), problem, fix)

    def require(self, item: dict, fields: dict[str, type], where: str, needle: str) -> None:
        for field, kind in fields.items():
            if not isinstance(item.get(field), kind):
                raise self.fail(
                    needle,
                    f"{where}: missing or mistyped field `{field}`",
                    f"give `{field}` a {kind.__name__} value",
                )

    def known(self, item: dict, fields: set[str], where: str, needle: str) -> None:
        for field in item:
            if field not in fields:
                raise self.fail(
                    needle,
                    f"{where}: unknown field `{field}`",
                    f"use one of {', '.join(sorted(fields))}, or remove it",
                )


def _regex(file: _File, pattern: str, where: str) -> None:
    try:
        re.compile(pattern)
    except re.error as err:
        raise file.fail(
            pattern,
            f"{where}: invalid regular expression {pattern!r} ({err})",
            "escape special characters or correct the pattern",
        ) from err


def check_study(path: Path) -> None:
    """Raise ``StudyError`` for the first problem in the study folder ``path``."""
    if not (path / "entities.toml").exists():
        raise StudyError(
            path / "entities.toml",
            1,
            "the study has no entities.toml",
            "write one (python -m helpers study init RAW --out DIR starts it)",
        )
    files = {name: _File(path / name, empty) for name, empty in EMPTY.items()}
    entities = _check_entities(files["entities.toml"])
    _check_naming(files["naming.toml"], entities)
    _check_claims(files["claims.toml"], entities)
    _check_labels(files["labels.toml"])
    _check_sources(files["sources.toml"], entities)


def stop_words() -> frozenset[str]:
    """spaCy's English stop words: no alias may be one."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _check_entities(file: _File) -> dict[str, set[str]]:
    """The aliases of every entity, once each; the stop-word check allows the words in
    capitals that the package's entity rules handle ("IS", "US")."""
    caps = set(general_entity_rules()["caps_ambiguous"])
    stop = stop_words()
    file.known(file.data, {"version", "entity", "rules"}, "entities.toml", "[")
    rules = general_entity_rules()
    for key, words in file.data.get("rules", {}).items():
        if key not in rules:
            raise file.fail(
                key, f"[rules]: unknown list `{key}`", f"use one of {', '.join(sorted(rules))}"
            )
        if not (isinstance(words, list) and all(isinstance(w, str) for w in words)):
            raise file.fail(key, f"[rules] {key}: not a list of words", f'write {key} = ["..."]')
    caps |= set(file.data.get("rules", {}).get("caps_ambiguous", []))
    entities: dict[str, set[str]] = {}
    seen: dict[str, str] = {}
    written: Counter[str] = Counter()
    for entity in file.data["entity"]:
        needle = f'name = "{entity.get("name")}"' if "name" in entity else "[[entity]]"
        file.known(entity, {"name", "label", "target", "aliases"}, "[[entity]]", needle)
        file.require(entity, {"name": str, "label": str, "aliases": list}, "[[entity]]", needle)
        name = entity["name"]
        if name in entities:
            raise file.fail(
                needle,
                f"entity {name!r} is listed twice",
                "merge the two [[entity]] tables into one",
                nth=2,
            )
        if entity["label"] not in LABELS:
            raise file.fail(
                needle,
                f"entity {name!r}: unknown label {entity['label']!r}",
                f"use one of {', '.join(LABELS)}",
            )
        entities[name] = set()
        for alias in entity["aliases"]:
            text = alias.get("text") if isinstance(alias, dict) else None
            where = f"entity {name!r}, alias {text!r}"
            anchor = f'text = "{text}"' if text else needle
            if not isinstance(alias, dict):
                raise file.fail(
                    needle,
                    f"entity {name!r}: an alias that is not a table",
                    'write each alias as { text = "...", form = "name" }',
                )
            file.known(alias, {"text", "form"}, where, anchor)
            file.require(alias, {"text": str, "form": str}, where, anchor)
            if alias["form"] not in FORMS:
                raise file.fail(
                    anchor,
                    f"{where}: unknown form {alias['form']!r}",
                    f"use one of {', '.join(FORMS)}",
                )
            written[text] += 1
            if text in seen:
                raise file.fail(
                    anchor,
                    f"{where}: alias already listed for {seen[text]!r}",
                    "keep one of the two: an alias names one entity",
                    nth=written[text],
                )
            words = text.lower()
            if words in stop and (text == words or text not in caps):
                raise file.fail(
                    anchor,
                    f"{where}: the alias is the common word {words!r}",
                    'use a longer form ("the Group" -> its name), or drop it',
                )
            seen[text] = name
            entities[name].add(text)
    return entities


def _check_naming(file: _File, entities: dict[str, set[str]]) -> None:
    file.known(file.data, {"version", "group"}, "naming.toml", "[")
    for group in file.data["group"]:
        needle = f'entity = "{group.get("entity")}"'
        file.known(group, {"entity", "title", "choices", "descriptors"}, "[[group]]", needle)
        file.require(group, {"entity": str, "title": str, "choices": dict}, "[[group]]", needle)
        if group["entity"] not in entities:
            raise file.fail(
                needle,
                f"naming group for unknown entity {group['entity']!r}",
                "name an entity of entities.toml",
            )
        for alias in group["choices"]:
            if alias not in entities[group["entity"]]:
                raise file.fail(
                    f'"{alias}"',
                    f"choice {alias!r} is no alias of {group['entity']!r}",
                    "add it to the entity's aliases",
                )
        for item in group.get("descriptors", []):
            file.require(item, {"pattern": str, "choice": str}, "descriptor", needle)
            _regex(file, item["pattern"], "descriptor")


def _check_claims(file: _File, entities: dict[str, set[str]]) -> None:
    file.known(file.data, {"version", "claim"}, "claims.toml", "[")
    ids: set[str] = set()
    for claim in file.data["claim"]:
        needle = f'id = "{claim.get("id")}"' if "id" in claim else "[[claim]]"
        file.known(claim, {"id", "wording", "requires", "cues", "also"}, "[[claim]]", needle)
        file.require(
            claim, {"id": str, "wording": str, "requires": list, "cues": list}, "[[claim]]", needle
        )
        if claim["id"] in ids:
            raise file.fail(
                needle,
                f"claim id {claim['id']!r} is used twice",
                "give each claim its own id",
                nth=2,
            )
        ids.add(claim["id"])
        for name in [*claim["requires"], *claim.get("also", [])]:
            if name not in entities:
                raise file.fail(
                    f'"{name}"',
                    f"claim {claim['id']}: unknown entity {name!r}",
                    "name entities of entities.toml in `requires` and `also`",
                )
        for cue in claim["cues"]:
            _regex(file, cue, f"claim {claim['id']} cue")


def _check_labels(file: _File) -> None:
    file.known(file.data, {"version", "stand_in", "stand_in_requires"}, "labels.toml", "[")
    for table in ("stand_in", "stand_in_requires"):
        for actor, words in file.data[table].items():
            if not (isinstance(words, list) and all(isinstance(w, str) for w in words)):
                raise file.fail(
                    actor,
                    f"[{table}] {actor!r}: not a list of words",
                    f'write {actor} = ["word", ...]',
                )


def _check_sources(file: _File, entities: dict[str, set[str]]) -> None:
    lists = ("news_media", "armed_groups", "armed_group_spokesperson", "armed_group_member")
    file.known(file.data, {"version", "rules", *lists}, "sources.toml", "[")
    for field in lists:
        if not all(isinstance(w, str) for w in file.data[field]):
            raise file.fail(field, f"`{field}`: not a list of names", f'write {field} = ["..."]')
    for group in file.data["armed_groups"]:
        if group not in entities:
            raise file.fail(
                f'"{group}"',
                f"armed group {group!r} is no entity",
                "add it to entities.toml or remove it here",
            )
    for rule in file.data["rules"]:
        needle = f'"{rule.get("special") or rule.get("key")}"'
        if "special" in rule:
            if rule["special"] not in SPECIALS:
                raise file.fail(
                    needle,
                    f"unknown special rule {rule['special']!r}",
                    f"use one of {', '.join(SPECIALS)}",
                )
            continue
        file.known(rule, {"type", "key", "where", "words"}, "[[rules]]", needle)
        file.require(rule, {"type": str, "key": str, "words": list}, "[[rules]]", needle)
        if rule.get("where", "all") not in ("all", "name", "described", "heads"):
            raise file.fail(
                needle,
                f"rule {rule['key']!r}: unknown `where`",
                "use all, name, described or heads",
            )


def with_study_sources(lexicon: dict) -> dict:
    """The package's attribution lexicon with the study's outlets, armed groups and source
    types: its rules in the place of the ``special = "study"`` rule."""
    study = read_study("sources.toml")
    types = dict(lexicon["source_type"])
    types["news_media"] = [*study["news_media"], *types["news_media"]]
    for field in ("armed_groups", "armed_group_spokesperson", "armed_group_member"):
        types[field] = study[field]
    types["rules"] = [
        rule
        for general in types["rules"]
        for rule in (study["rules"] if general.get("special") == "study" else [general])
    ]
    return {**lexicon, "source_type": types}


def alias_rules() -> dict:
    """The package's context rules for aliases, with the words the study adds to them."""
    own = read_study("entities.toml").get("rules", {})
    return {key: [*words, *own.get(key, [])] for key, words in general_entity_rules().items()}


@cache
def general_entity_rules() -> dict:
    with (LEXICON_DIR / "entity_rules.toml").open("rb") as fh:
        return tomllib.load(fh)["rules"]
