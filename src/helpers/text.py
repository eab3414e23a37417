"""Text helpers every stage shares."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics, for matching "Celen" to "Çelen"."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)
    )


def outlet_key(name: str) -> str:
    """An outlet's name folded, without a leading "The": "The Marlow Courier" and
    "Marlow Courier" are one outlet."""
    return fold(re.sub(r"^the\s+", "", name, flags=re.IGNORECASE))


def printable(name: str) -> str:
    """A file name (or a message naming one) safe to print: control characters (terminal
    escapes) and undecodable bytes written as escapes."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in name)
