"""Epistemic stance markers of one sentence: hedges, boosters, attribution, caveats."""

from __future__ import annotations

import re
from functools import cache

from helpers.lexicons import read_toml


@cache
def _patterns() -> dict[str, re.Pattern]:
    lex = read_toml("stance.toml")

    def alternation(words: list[str]) -> re.Pattern:
        ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
        return re.compile(
            r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])", re.IGNORECASE
        )

    return {
        "hedges": alternation(lex["hedges"]),
        "boosters": alternation(lex["boosters"]),
        "verification": re.compile(
            "|".join(f"(?:{p})" for p in lex["caveats"]["verification"]), re.IGNORECASE
        ),
        "soft": alternation(lex["caveats"]["soft"]),
    }


def markers(text: str) -> dict[str, list[str]]:
    """Hedges and boosters found in ``text`` (lower-cased, in order)."""
    text = text.replace("’", "'")
    hedges = list(_patterns()["hedges"].finditer(text))
    # a booster inside a hedge phrase ("if confirmed") is part of the hedge
    boosters = [
        m
        for m in _patterns()["boosters"].finditer(text)
        if not any(h.start() <= m.start() < h.end() for h in hedges)
    ]
    return {
        "hedges": [m.group(0).lower() for m in hedges],
        "boosters": [m.group(0).lower() for m in boosters],
    }


def claim_status(text: str) -> str | None:
    """``denied`` or ``questioned`` when the sentence's own words say so, else None."""
    text = text.replace("’", "'")
    for status in ("denied", "questioned"):
        if _status_patterns()[status].search(text):
            return status
    return None


@cache
def _status_patterns() -> dict[str, re.Pattern]:
    lex = read_toml("stance.toml")["claim_status"]
    return {
        status: re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)
        for status, patterns in lex.items()
    }


def caveat(text: str) -> str:
    """How a text treats the verification of a claim: ``kept`` (an explicit caveat),
    ``softened`` (only distancing words), ``dropped`` (neither)."""
    if _patterns()["verification"].search(text):
        return "kept"
    if _patterns()["soft"].search(text.replace("’", "'")):
        return "softened"
    return "dropped"
