from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.ingest.decode import UnreadableInput, decode_bytes, normalize_text

SAMPLE = "Turkey’s “ally” — Kobanê, Erdoğan said: café."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_unicode_encodings_round_trip(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == SAMPLE
    assert decoded.encoding == encoding


def test_windows_1252_keeps_curly_quotes() -> None:
    text = "“ISIS and Turkey cooperate,” he said – a claim."
    assert decode_bytes(text.encode("cp1252")).text == text


def test_latin1_bytes_outside_cp1252_still_decode() -> None:
    data = "Kobanê café".encode("latin-1") + b"\x81"
    assert decode_bytes(data).text.startswith("Koban")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"abc\x00\x00\x00\x01\x02\x03\x00\x00\xff", "NUL"),
    ],
)
def test_binary_input_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableInput, match=reason):
        decode_bytes(data)


def test_normalisation_spaces_line_ends_and_nfc() -> None:
    raw = "Kobane\u0302\u00a0town\r\nline\u200b two\u2009end\rlast"
    assert normalize_text(raw) == "Kobanê town\nline two end\nlast"


def test_quote_characters_are_kept() -> None:
    text = "‘safe zone’ “ally” \"straight\" 'single'"
    assert normalize_text(text) == text


@given(st.text())
def test_any_text_survives_utf8_round_trip(text: str) -> None:
    try:
        decoded = decode_bytes(text.encode("utf-8", "surrogatepass"))
    except UnreadableInput:
        return  # NUL or control-heavy input is refused, never crashes
    assert decoded.text == normalize_text(
        text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    )


@given(st.binary(max_size=2000))
def test_arbitrary_bytes_decode_or_give_a_reason(data: bytes) -> None:
    try:
        decoded = decode_bytes(data)
    except UnreadableInput as err:
        assert str(err)
    else:
        assert "\r" not in decoded.text
        assert "\x00" not in decoded.text
