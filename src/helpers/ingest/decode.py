"""Bytes to clean Unicode text: encoding detection, binary rejection, normalisation."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from helpers.schema import ArticleRule


class UnreadableInput(ValueError):
    """Raised when a file cannot be read as text; the message is a human reason and
    ``rule`` its key in the articles table, so callers never decide on the words."""

    def __init__(self, rule: ArticleRule, message: str) -> None:
        super().__init__(message)
        self.rule = rule


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (e.g. .docx)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
}
# Spaces that render like a plain space; normalised so rules and offsets see one kind.
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Invisible characters that break words for matching but carry no content.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _utf16_without_bom(data: bytes) -> str | None:
    """Recognise BOM-less UTF-16 by its NUL bytes falling on every other position."""
    if len(data) < 16 or len(data) % 2:
        return None
    sample = data[:4096]
    even = sample[0::2].count(0) / len(sample[0::2])
    odd = sample[1::2].count(0) / len(sample[1::2])
    guess = (
        "utf-16-le"
        if odd > 0.3 and even < 0.05
        else "utf-16-be"
        if even > 0.3 and odd < 0.05
        else None
    )
    if guess is None:
        return None
    try:
        text = data.decode(guess)
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text) else guess


def detect_encoding(data: bytes) -> str:
    """Name the encoding of ``data`` or raise :class:`UnreadableInput`."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise UnreadableInput("binary", f"binary file: looks like {what}")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    if b"\x00" in data:
        raise UnreadableInput("binary", "binary file: contains NUL bytes")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    # Web copies that are not UTF-8 are nearly always Windows-1252; try it before guessing.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise UnreadableInput(
                "undecodable", "undecodable bytes: no text encoding fits"
            ) from None
        return best.encoding
    if _CONTROL.search(text.replace("\t", "")):
        raise UnreadableInput("binary", "binary file: control characters in the text")
    return "cp1252"


def normalize_text(text: str) -> str:
    """NFC, one kind of space, ``\\n`` line ends; quote characters are kept as they are."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes) -> Decoded:
    """Decode raw file bytes into normalised text, or raise :class:`UnreadableInput`."""
    encoding = detect_encoding(data)
    bom = next((b for b, name in _BOMS if name == encoding and data.startswith(b)), b"")
    try:
        text = data[len(bom) :].decode(encoding)
    except (UnicodeDecodeError, LookupError) as err:
        raise UnreadableInput("undecodable", f"undecodable bytes as {encoding}") from err
    return Decoded(normalize_text(text), encoding)
