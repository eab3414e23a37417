"""Versioned data files (lexicons, patterns) shipped in ``helpers/data``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from helpers.paths import LEXICON_DIR


@dataclass(frozen=True)
class Boilerplate:
    version: str
    chrome: tuple[tuple[str, re.Pattern], ...]
    end_markers: tuple[re.Pattern, ...]
    final_markers: tuple[re.Pattern, ...]  # end the article whatever follows them
    author_bios: tuple[re.Pattern, ...]
    captions: tuple[re.Pattern, ...]
    caption_labels: tuple[re.Pattern, ...]
    teaser_labels: tuple[re.Pattern, ...]


def read_toml(name: str) -> dict:
    with (LEXICON_DIR / name).open("rb") as fh:
        return tomllib.load(fh)


@cache
def load_boilerplate() -> Boilerplate:
    data = read_toml("boilerplate.toml")

    def comp(patterns: list[str]) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in patterns)

    chrome = tuple(
        (category, pattern)
        for category, patterns in data["chrome"].items()
        for pattern in comp(patterns)
    )
    return Boilerplate(
        version=data["version"],
        chrome=chrome,
        end_markers=comp(data["end_marker"]["patterns"] + data["end_marker"]["final"]),
        final_markers=comp(data["end_marker"]["final"]),
        author_bios=comp(data["author_bio"]["patterns"]),
        captions=comp(data["caption"]["patterns"]),
        caption_labels=comp(data["caption_label"]["patterns"]),
        teaser_labels=comp(data["teaser_label"]["patterns"]),
    )
