"""Raw folder to normalised articles: file discovery, manifest, decoding, cleaning, metadata.

Nothing here raises on a bad input file: every path in the raw folder (hidden ones and
the manifest aside) becomes an article row with a ``status``, a human ``reason`` and its
``rule`` key, whatever it is (a folder, a pipe, a socket, a file it may not read). What a
path is and how large is decided from its metadata before anything is read, and nothing
is read outside the raw folder.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from helpers.ingest.clean import Block, body_text, classify_blocks, reason_for, split_blocks, words
from helpers.ingest.decode import UnreadableInput, decode_bytes
from helpers.ingest.files import (
    ABSENT,
    ARTICLE_SUFFIXES,
    HTML_SUFFIXES,
    MANIFEST,
    MAX_BYTES,
    MAX_MANIFEST_BYTES,
    NOT_A_FILE,
    DocIds,
    Probe,
    ordered_inputs,
    probe,
    read_at_most,
    sha256_of,
    shown,
    unreadable_reason,
)
from helpers.ingest.html import EXTRACTOR, read_html
from helpers.ingest.language import english_rules_apply, identify
from helpers.ingest.metadata import byline_name, find_date, looks_like_person_credit, parse_date
from helpers.schema import ArticleRule

MANIFEST_FIELDS = ("outlet", "url", "published", "author")
MANIFEST_COLUMNS = ("sha256", *MANIFEST_FIELDS)  # the columns of manifest.csv the build uses
_MONTH_ONLY = re.compile(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])")


@dataclass
class Article:
    """One input file after decoding and cleaning, with its blocks."""

    doc_id: str
    file: str
    sha256: str = ""
    status: str = "ok"
    reason: str = ""
    rule: ArticleRule | Literal[""] = ""  # "" while the article is kept, like ``reason``
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    published_month: str | None = None  # "YYYY-MM"; also set when only the month is known
    author: str | None = None
    headline: str | None = None
    n_words: int = 0
    text: str = ""
    encoding: str | None = None
    language: str = ""  # ISO 639-1 code, "und" when not identified, "" when not read
    evidence: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    probe: Probe | None = field(default=None, repr=False)  # what the path was when read

    def reject(self, rule: ArticleRule, reason: str) -> Article:
        """Reject with a key to decide on and the words to show, set together."""
        self.status, self.rule, self.reason = "rejected", rule, reason
        return self


ManifestValues = tuple[str, ...]  # a row's values of MANIFEST_COLUMNS, "" where empty


@dataclass(frozen=True)
class Manifest:
    rows: dict[str, ManifestValues]  # by file name
    warnings: tuple[str, ...]
    probe: Probe = ABSENT  # what manifest.csv was when read
    sha256: str = ""  # of its bytes, "" when they were not read


def manifest_row(values: ManifestValues | None) -> dict[str, str] | None:
    """A manifest row by column name, from its values."""
    return None if values is None else dict(zip(MANIFEST_COLUMNS, values, strict=True))


def read_manifest(raw_dir: Path) -> Manifest:
    """Rows of ``manifest.csv`` keyed by file name; unusable rows, and a manifest that is
    no regular file, too large or unreadable, become warnings. Fields of any size are read."""
    path = raw_dir / MANIFEST
    found = probe(path, raw_dir)
    if found.kind == "missing" and not found.link:
        return Manifest({}, ())

    def ignored(why: str, sha: str = "") -> Manifest:
        return Manifest({}, (f"{MANIFEST} ignored: {why}",), found, sha)

    if found.kind != "file":
        return ignored("link out of the raw folder" if found.kind == "outside" else
                       NOT_A_FILE.get(found.kind, "not a regular file"))
    if found.size > MAX_MANIFEST_BYTES:
        return ignored(f"too large ({found.size / 1e6:.0f} MB; limit "
                       f"{MAX_MANIFEST_BYTES / 1e6:.0f} MB)")
    try:
        data = read_at_most(path, MAX_MANIFEST_BYTES)
    except OSError as err:
        return ignored(f"it {unreadable_reason(err)}")
    if data is None:
        return ignored("it grew too large while it was read")
    sha = sha256_of(data)
    warnings: list[str] = []
    try:
        text = decode_bytes(data).text
    except UnreadableInput as err:
        return ignored(str(err), sha)
    limit = csv.field_size_limit(max(len(text), csv.field_size_limit()))  # any field's size
    try:
        rows = _manifest_rows(raw_dir, text, warnings)
    finally:
        csv.field_size_limit(limit)
    if rows is None:
        return ignored("it has no 'file' column", sha)
    return Manifest(rows, tuple(warnings), found, sha)


def _manifest_rows(
    raw_dir: Path, text: str, warnings: list[str]
) -> dict[str, ManifestValues] | None:
    reader = csv.DictReader(io.StringIO(text))
    try:
        fields = reader.fieldnames
    except csv.Error as err:
        warnings.append(f"{MANIFEST} line 1: {err}: the manifest's rows are ignored")
        return {}
    if not fields or "file" not in [f.strip().lower() for f in fields]:
        return None
    rows: dict[str, ManifestValues] = {}
    shared: dict[str, str] = {}  # one string per distinct value: outlets and dates repeat
    number = 1
    try:
        for number, row in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): _cell(v) for k, v in row.items()}
            name = row.get("file", "")
            if not name:
                warnings.append(f"{MANIFEST} line {number}: no file name")
            elif (
                Path(name).is_absolute() or ".." in Path(name).parts or "/" in name
                or "\\" in name
            ):
                warnings.append(
                    f"{MANIFEST} line {number}: path {name!r} ignored "
                    "(only plain file names inside the raw folder)"
                )
            elif not os.path.lexists(raw_dir / name):
                warnings.append(f"{MANIFEST} line {number}: {name!r} is not in the raw folder")
            else:
                values = (row.get(column, "") for column in MANIFEST_COLUMNS)
                rows[name] = tuple(shared.setdefault(v, v) for v in values)
    except csv.Error as err:
        warnings.append(
            f"{MANIFEST} line {number + 1}: {err}: the rows from there on are ignored"
        )
    return rows


def _cell(value: object) -> str:
    """A manifest cell as text: a row longer than the header gives its extra cells as a list."""
    if isinstance(value, list):
        value = ",".join(value)
    return (value or "").strip()


@dataclass(frozen=True)
class Inputs:
    """A raw folder's input files in the order of their document ids, which orders every
    table, each with its manifest values: all the build holds for every file while it
    reads them, besides the digests that find duplicates (~170 bytes a file, ~300 where
    the manifest gives URLs; the manifest's rows as dicts by file name took ~560 bytes a
    file, their document ids in a dict ~125)."""

    names: list[str]
    manifest: list[ManifestValues | None]  # each file's, None where the manifest has none
    doc_id: DocIds
    warnings: tuple[str, ...]  # about the manifest
    manifest_probe: Probe = ABSENT
    manifest_sha256: str = ""


def inputs(raw_dir: Path) -> Inputs:
    """The input files of ``raw_dir`` (``ordered_inputs``) with their manifest values."""
    manifest = read_manifest(raw_dir)
    names, doc_id = ordered_inputs(raw_dir)
    warnings = list(manifest.warnings)
    if manifest.rows:
        warnings += [
            f"{name} is not in manifest.csv: metadata inferred from the text"
            for name in names
            if name not in manifest.rows
        ]
    return Inputs(
        names,
        [manifest.rows.get(name) for name in names],
        doc_id,
        tuple(warnings),
        manifest.probe,
        manifest.sha256,
    )


def load_article(
    path: Path, raw_dir: Path, doc_id: str, manifest_row: dict | None, max_bytes: int = MAX_BYTES
) -> Article:
    """Read, decode and clean one file. Never raises for bad content or a path that is no
    readable file: what it is and its size are checked (``probe``) before it is read."""
    art = Article(doc_id=doc_id, file=shown(path.name))
    art.probe = found = probe(path, raw_dir)
    if found.kind == "outside":
        return art.reject("outside_raw", "link to a file outside the raw folder: not read")
    if found.kind != "file":
        return art.reject("not_a_file", NOT_A_FILE.get(found.kind, NOT_A_FILE["other"]))
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        return art.reject(
            "unsupported_type",
            f"unsupported file type {path.suffix or '(none)'}: use .txt, .html or .htm",
        )
    too_large = f"file too large ({found.size / 1e6:.1f} MB; limit {max_bytes / 1e6:.0f} MB)"
    if found.size > max_bytes:
        return art.reject("too_large", too_large)
    try:
        data = read_at_most(path, max_bytes)
    except OSError as err:
        return art.reject("unreadable", unreadable_reason(err))
    if data is None:
        return art.reject("too_large", "file too large: it grew while it was read")
    art.sha256 = sha256_of(data)
    if manifest_row and manifest_row.get("sha256") and manifest_row["sha256"].lower() != art.sha256:
        return art.reject(
            "sha256_mismatch", "content differs from the sha256 recorded in manifest.csv"
        )
    if not data.strip():
        return art.reject("empty", "empty file")
    try:
        decoded = decode_bytes(data)
    except UnreadableInput as err:
        return art.reject(err.rule, str(err))
    art.encoding = decoded.encoding
    if not decoded.text.strip():
        return art.reject("whitespace", "only whitespace")
    if path.suffix.lower() in HTML_SUFFIXES:
        page = read_html(decoded.text)
        blocks, head, head_evidence = page.blocks, page.meta, page.evidence
    else:
        url = (manifest_row or {}).get("url") or None
        blocks, head, head_evidence = classify_blocks(split_blocks(decoded.text), url=url), {}, {}
    art.language = identify("\n".join(b.text for b in blocks))
    if not english_rules_apply(art.language) and path.suffix.lower() not in HTML_SUFFIXES:
        # the English rules do worse than none on other languages: every line is kept
        for block in blocks:
            block.role, block.rule = "body", "not_english"
            block.reason = reason_for("not_english", art.language)
    art.blocks = blocks
    art.text = body_text(blocks)
    art.n_words = len(words(art.text))
    _infer_metadata(art, head, head_evidence)
    _apply_manifest(art, manifest_row)
    if art.n_words == 0:
        return art.reject("no_text", "no article text found: every line looks like page chrome")
    return art


def _infer_metadata(
    art: Article, head: dict[str, str], head_evidence: dict[str, str] | None = None
) -> None:
    """Headline, date and author from the page itself, each with its evidence.

    ``head`` holds an HTML page's metadata and ``head_evidence`` how each value was read.
    A date or author that trafilatura read from the page's metadata (JSON-LD, meta tags)
    comes first; then the page's own lines; then the HTML meta tags."""
    head_evidence = head_evidence or {}
    extracted = {k for k, v in head_evidence.items() if EXTRACTOR in v}
    by_role: dict[str, list[Block]] = {}
    for b in art.blocks:
        by_role.setdefault(b.role, []).append(b)
    headline = by_role.get("headline", [])
    if headline:
        art.headline = headline[0].text
        art.evidence.append(f"headline: line {headline[0].line_start}")
    elif head.get("headline"):
        art.headline = head["headline"]
        art.evidence.append(f"headline: {head_evidence.get('headline', 'HTML title')}")

    top = headline[0].line_start if headline else 0
    datelines = by_role.get("dateline", [])
    # A date under the headline is the article's; one above it is usually the page's.
    ordered = [b for b in datelines if b.line_start >= top] + [
        b for b in datelines if b.line_start < top
    ]
    first_body = next((b for b in art.blocks if b.role in {"body", "standfirst"}), None)
    # then a byline that carries the date ("By Jane Doe on 11/7/14"), then the first paragraph
    lines = ordered + by_role.get("byline", []) + ([first_body] if first_body else [])
    if "published" in extracted:
        art.published = head["published"]
        art.evidence.append(f"published: {head_evidence['published']}")
        lines = []
    for b in lines:
        found = find_date(b.text[:120] if b is first_body else b.text)
        if found:
            art.published = found.value
            art.evidence.append(f"published: line {b.line_start} '{found.evidence}'")
            break
    if art.published is None and head.get("published"):
        art.published = parse_date(head["published"])
        art.evidence.append("published: HTML meta")

    # a date line may name the author too ("November 9, 2014 by Daniel Rees")
    named = [
        (b, name)
        for b in by_role.get("byline", []) + datelines
        if (name := byline_name(b.text)) is not None
    ]
    credits = [b for b in by_role.get("credit", []) if looks_like_person_credit(b.text)]
    if "author" in extracted:
        art.author = head["author"]
        art.evidence.append(f"author: {head_evidence['author']}")
    elif named:
        block, art.author = named[0]
        art.evidence.append(f"author: {block.role} line {block.line_start}")
    elif credits:
        art.author = credits[-1].text
        art.evidence.append(f"author: credit line {credits[-1].line_start}")
    elif head.get("author"):
        art.author = head["author"]
        art.evidence.append("author: HTML meta")
    for key in ("outlet", "url"):
        if head.get(key):
            setattr(art, key, head[key])
            art.evidence.append(f"{key}: {head_evidence.get(key, 'HTML meta')}")


def _apply_manifest(art: Article, row: dict | None) -> None:
    """Manifest values win over inferred ones; a malformed date is noted, not used."""
    row = row or {}
    for key in MANIFEST_FIELDS:
        value = row.get(key, "")
        if not value:
            continue
        if key == "published":
            parsed = parse_date(value)
            if parsed is None and _MONTH_ONLY.fullmatch(value):
                art.published, art.published_month = None, value
                art.evidence.append("published: manifest gives the month only")
                continue
            if parsed is None:
                art.evidence.append(f"published: manifest value {value!r} is not a date")
                continue
            value = parsed
        setattr(art, key, value)
        art.evidence.append(f"{key}: manifest")
    if art.published:
        art.published_month = art.published[:7]


def outlet_labels(articles: pd.DataFrame) -> pd.Series:
    """A display name per document: the outlet, or the document id when it is unknown."""
    return articles["outlet"].fillna(articles["doc_id"]).set_axis(articles["doc_id"])


def in_blocks(rows: pd.DataFrame, blocks: set[tuple[str, int]]) -> pd.Series:
    """Whether each row's (doc_id, block_id) is one of ``blocks``."""
    keys = zip(rows["doc_id"], rows["block_id"], strict=True)
    return pd.Series([k in blocks for k in keys], index=rows.index, dtype=bool)
