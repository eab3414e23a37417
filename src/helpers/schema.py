"""Every table ``python -m helpers build`` writes (one Parquet file each): a ``TypedDict``
per row, whose annotations give each column its type, its allowed values (``Literal``) and
its description (``Annotated``). ``COLUMNS``, ``ORDER`` and the data dictionary
(``docs/data-dictionary.md``, from ``data_dictionary()``) are all derived from these rows.

Types become pandas dtypes as the tables read back: ``str``, ``int64``, ``float64``,
``bool``; ``Int64`` is an integer column with gaps (``int | None``), ``list[int64]`` a list
of integers per row.
"""

from __future__ import annotations

import types
from typing import Annotated, Literal, TypedDict, Union, get_args, get_origin, get_type_hints

# --- the values of closed columns -----------------------------------------------------------

ArticleStatus = Literal["ok", "rejected"]
BlockRole = Literal[
    # content
    "headline",
    "standfirst",
    "body",
    "subheading",
    "blockquote",
    "embed",
    # not content
    "byline",
    "dateline",
    "credit",
    "caption",
    "boilerplate",
]
MentionSource = Literal["alias", "rule", "ner"]
QuoteKind = Literal["direct", "partial", "blockquote", "tweet", "scare"]
SourceType = Literal[
    "news_media",
    "government_official",
    "anonymous_official",
    "military_official",
    "armed_group_member",
    "armed_group_spokesperson",
    "monitor_ngo",
    "court_legal",
    "social_media",
    "document_statement",
    "local_residents",
    "other",
]
LabelRelation = Literal["modifier", "apposition", "predicate", "head noun", "stand-in"]
Voice = Literal["quoted", "author"]
ChainRelation = Literal["republishes", "cites", "quotes", "embeds"]
DistinctiveMethod = Literal["fightin_words", "tfidf"]
ClaimStatus = Literal["asserted", "hedged", "attributed", "questioned", "denied"]
CaveatStatus = Literal["kept", "softened", "dropped", "not relayed"]

# Why the cleaner (helpers.ingest.clean) gave a block its role.
BlockRule = Literal[
    # wherever the block stands
    "page_chrome",  # matches a [chrome] pattern of boilerplate.toml
    "caption_label",  # "Image caption", "Media caption": a [caption_label] pattern
    "labelled_caption",  # the block under a caption label
    "bare_url",
    "post_attribution",  # "— Name (@handle) date" under an embedded post
    "dateline",
    "byline",
    "glued_teasers",  # teaser headlines run together into one line
    "menu_run",  # short line in a run of short lines
    "menu_item",  # short bullet
    "no_words",
    # before the first paragraph
    "headline",
    "standfirst",
    "repeated_headline",
    "before_text",  # an embedded post's line above any paragraph
    "header_furniture",
    # in the body
    "prose",
    "markup_blockquote",
    "introduced_by_colon",
    "post_text",  # the text of an embedded post
    "teaser_under_label",  # under a "Read more" label
    "image_label",
    "figure_caption",
    "short_paragraph",
    "teaser_card",  # a title or summary in a list of other stories or comments
    "repeated_paragraph",  # a copy of an earlier paragraph (a teaser, a paywall repeat)
    "quoted_line",  # wholly inside quotation marks: a pull quote or a quoted answer
    "list_item",
    "subheading",
    "orphan_short_line",  # short line not followed by body text
    # after the last paragraph or an end marker
    "tail_credit",
    "author_bio",  # "X is a … and writes …" closing the article
    "after_last_paragraph",
    "after_end",
    # HTML pages: the article extractor's reading, where it overrules the rules above
    "extracted_headline",  # the line that is the page's title
    "not_headline",  # the rules' headline, where the title is another line
    "above_headline",  # extracted text above the headline
    "extracted",  # in the extracted article text
    "not_extracted",  # content by the rules, not in the extracted text
    # a plain-text page in another language: kept whole
    "not_english",
]
# Why a file was rejected (helpers.ingest.corpus, helpers.ingest.decode, the duplicate
# check of helpers.build.rows). A kept article's rule is "", like its reason.
ArticleRule = Literal[
    "outside_raw",  # a link out of the raw folder
    "not_a_file",  # a folder, pipe, socket or device, or a link to nothing
    "unsupported_type",
    "too_large",
    "unreadable",  # the system refused to read it (permissions)
    "sha256_mismatch",  # differs from the digest in manifest.csv
    "empty",
    "binary",
    "undecodable",
    "whitespace",  # decodes to whitespace only
    "no_text",  # every line is page chrome
    "duplicate",
]

# --- per-article tables: written a document at a time ---------------------------------------

DocId = Annotated[
    str, "the document: file name without extension (the full name when two files share a stem)"
]
Offset = Annotated[int, "character offset in `articles.text`"]
Line = Annotated[int, "1-based raw line (the raw file split on `\\n`)"]


class ArticleRow(TypedDict):
    """One row per input file, rejected ones included."""

    doc_id: DocId
    file: Annotated[str, "file name in the raw folder"]
    sha256: Annotated[str, "hash of the raw bytes (empty when the file was not read)"]
    status: ArticleStatus
    reason: Annotated[str, "why a file was rejected, in words (empty when ok)"]
    rule: Annotated[ArticleRule | Literal[""], "the key of the reason, which code decides on"]
    outlet: Annotated[str, "from the manifest, else inferred from the page (may be null)"]
    url: Annotated[str, "from the manifest, else inferred from the page (may be null)"]
    published: Annotated[str, "ISO date, or null when unknown or only the month is known"]
    published_month: Annotated[str, "`YYYY-MM` (also set when only the month is known)"]
    author: Annotated[str, "from the manifest, else inferred from the page (may be null)"]
    headline: Annotated[str, "the headline as found on the page"]
    n_words: Annotated[int, "words in `text`"]
    text: Annotated[str, "the clean article body: content blocks joined by a blank line"]
    encoding: Annotated[str, "the encoding the file was decoded from"]
    language: Annotated[
        str,
        "ISO 639-1 code of the page's language (py3langid), `und` when not identified; the "
        "English rules and annotation run on `en` and `und` only",
    ]
    n_lines: Annotated[int, "blocks in the page"]
    n_body_lines: Annotated[int, "blocks kept as content"]
    metadata_evidence: Annotated[
        str, "where each metadata value came from (line numbers, manifest, HTML meta)"
    ]


class BlockRow(TypedDict):
    """One row per paragraph or line block of each raw file."""

    doc_id: DocId
    block_id: Annotated[int, "block order in the document (0-based)"]
    line_start: Annotated[int, "first raw line of the block (1-based, inclusive)"]
    line_end: Annotated[int, "last raw line of the block (1-based, inclusive)"]
    role: Annotated[BlockRole, "the first six are article content, the others are not"]
    is_body: Annotated[bool, "the block is article content (headline included)"]
    text: Annotated[str, "the block's text (wrapped lines joined by a space)"]
    start: Annotated[int | None, "offset of the block in `articles.text` (null when not content)"]
    end: Annotated[int | None, "end offset in `articles.text` (null when not content)"]
    reason: Annotated[str, "why the block got its role, in words"]
    rule: Annotated[BlockRule, "the key of the reason, which code decides on"]
    wraps: Annotated[
        list[int], "offsets in `text` where each further raw line of a wrapped paragraph starts"
    ]


class SentenceRow(TypedDict):
    """Sentences of content blocks."""

    doc_id: DocId
    sent_id: Annotated[int, "sentence order in the document (0-based)"]
    block_id: Annotated[int, "the block the sentence lies in (a block boundary ends a sentence)"]
    start: Offset
    end: Offset
    text: Annotated[str, "the sentence"]
    line: Annotated[int, "raw line the sentence starts on"]


class MentionRow(TypedDict):
    """Named entities in body text."""

    doc_id: DocId
    sent_id: Annotated[int | None, "the sentence holding the mention"]
    block_id: Annotated[int, "the block holding the mention"]
    start: Offset
    end: Offset
    line: Line
    surface: Annotated[str, 'the text as written ("Isis", "#Turkey", "Kobanê")']
    entity: Annotated[str, "canonical name; the study entities by their names in `entities.toml`"]
    label: Annotated[str, "spaCy label (`GPE`, `ORG`, `PERSON`, `NORP`, `LANGUAGE`, …)"]
    form: Annotated[
        str,
        "`name`, `abbreviation`, `hashtag`, `adjective`, `demonym`, `metonym`, `compound`; "
        "`city` or `language` for look-alikes",
    ]
    alias: Annotated[str, "the alias as listed in `entities.toml` (the naming choice)"]
    target: Annotated[bool, "the mention is of a study entity"]
    source: Annotated[
        MentionSource, "`alias`: the entity ruler, `rule`: a context rule, `ner`: spaCy's NER"
    ]


class QuoteRow(TypedDict):
    """Every quotation in body text, as one article's annotation gives it."""

    doc_id: DocId
    quote_id: Annotated[int, "quote order in the article"]
    block_id: Annotated[int, "the block where the quote starts"]
    line: Annotated[int, "raw line where the quote starts"]
    start: Annotated[int, "offset of the quoted words (marks excluded) in `articles.text`"]
    end: Annotated[int, "end offset of the quoted words in `articles.text`"]
    text: Annotated[str, "the quoted words (embedded posts: without media links)"]
    speaker: Annotated[str, "canonical speaker, or `unattributed`"]
    speaker_surface: Annotated[
        str, 'the words naming the speaker there ("he", "the magazine", "@PYD_Rojava")'
    ]
    cue: Annotated[str, 'the attribution cue ("told", "according to", "embedded post")']
    kind: Annotated[QuoteKind, "`scare`: scare quotes and nicknames, said by no one"]
    phrase: Annotated[str, "the whole subject phrase the speaker was read from"]


class AlignedQuoteRow(QuoteRow):
    """Every quotation in body text, with the utterance it renders across articles."""

    utterance_id: Annotated[
        str, "shared by quotes of different articles that render the same words"
    ]
    utterance_speaker: Annotated[str, "the name the versions of an utterance agree on"]


class SourceRow(TypedDict):
    """Every source an article attributes information to, one row per (source, cue):
    quotation speakers (once per cue), reported speech ("Omer said he…"), "according to X"
    and "a report by X", outlets spoken to ("told Newsweek"), embedded accounts."""

    doc_id: DocId
    source: Annotated[str, "canonical name of the source"]
    source_type: SourceType
    type_reason: Annotated[
        str,
        "the evidence that decided the type: `lexicon:TYPE:WORD` (a word of the type's rule in"
        " attribution.toml, in the source's name, phrases or descriptions), `anonymous:WHY`,"
        " `armed_group:GROUP:ROLE`, `embedded_post`, `handle`, `gpe_state`, `age` or"
        " `default_other`",
    ]
    cue: Annotated[str, "the attribution cue, lower case"]
    n: Annotated[int, "times the source is used with that cue"]


class LabelRow(TypedDict):
    """One row per label an article attaches to a study entity."""

    doc_id: DocId
    sent_id: Annotated[int, "the sentence holding the label"]
    block_id: Annotated[int, "the block holding the label"]
    start: Offset
    end: Offset
    line: Line
    entity: Annotated[str, "the study entity labelled"]
    label: Annotated[str, 'the label, lower case ("militants", "terrorist organisation")']
    relation: Annotated[LabelRelation, "how the label attaches to the entity in the parse"]
    surface: Annotated[str, "the words as written"]


class StanceRow(TypedDict):
    """One row per sentence of article text: its hedges, boosters and attribution."""

    doc_id: DocId
    sent_id: Annotated[int, "the sentence (`sentences.sent_id`)"]
    line: Line
    start: Offset
    end: Offset
    n_words: Annotated[int, "words in the sentence"]
    n_hedges: Annotated[int, "hedges found"]
    n_boosters: Annotated[int, "boosters found"]
    hedges: Annotated[str, "the hedges found, `; `-separated"]
    boosters: Annotated[str, "the boosters found, `; `-separated"]
    attributed: Annotated[bool, 'tied to a source: reporting verb, "according to", or a quotation']
    voice: Annotated[Voice, "`quoted` when mostly inside quotation marks, else `author`"]
    names_study_entity: Annotated[bool, "the sentence names a study entity"]


# --- tables across articles: written once every article is annotated ------------------------


class UtteranceRow(TypedDict):
    """Versions of the quotes two or more articles share, one row per article's version."""

    utterance_id: Annotated[str, "the utterance (`quotes.utterance_id`)"]
    doc_id: DocId
    outlet: Annotated[str, "the article's outlet label"]
    quote_ids: Annotated[str, "the article's quotes that render it, comma-separated"]
    line: Line
    speaker: Annotated[str, "the speaker this article gives"]
    reference: Annotated[bool, "the version closest to all others; never one with brackets"]
    fidelity: Annotated[float, "share of the reference's words kept, 0–1"]
    changes: Annotated[
        str,
        "`verbatim`, `substitution`, `insertion` of a bracket, `addition`, `deletion`, "
        "`truncation`, `merge` of two quotes, `paraphrase`; `; `-separated",
    ]
    diff: Annotated[str, "word-level differences from the reference"]
    text: Annotated[str, "this article's version"]


class ChainRow(TypedDict):
    """The attribution chain: who relays whom, one row per edge and article."""

    doc_id: DocId
    source: Annotated[str, "who relays"]
    target: Annotated[str, "whom it relays"]
    relation: Annotated[
        ChainRelation,
        "`republishes`: a credit line; `cites`: a news outlet named as a source; `quotes`: the "
        "outlet a quotation came through, to its speaker; `embeds`: an embedded account",
    ]
    line: Annotated[int | None, "raw line of the evidence"]


class DistinctiveRow(TypedDict):
    """One row per distinctive term of an outlet."""

    outlet: Annotated[str, "the outlet label"]
    method: DistinctiveMethod
    term: Annotated[str, "the word or two-word phrase"]
    count: Annotated[float, "uses by the outlet"]
    count_rest: Annotated[float, "uses by all other outlets"]
    z: Annotated[float, "Fightin' Words log-odds z-score, the outlet against all others"]
    tfidf: Annotated[float, "TF-IDF weight, outlets as documents"]


class SimilarityRow(TypedDict):
    """One row per ordered pair of articles that share text or vocabulary: every pair up to
    50 articles, above that each article's 10 closest partners."""

    doc_a: DocId
    doc_b: DocId
    cosine: Annotated[float, "TF-IDF cosine similarity"]
    share_of_a_in_b: Annotated[float, "share of A's words in 8-word runs also in B"]
    longest_passage: Annotated[int, "words in the longest shared run"]
    passages: Annotated[int, "shared runs of 8 words or more"]
    near_duplicate: Annotated[bool, "`share_of_a_in_b` ≥ 0.9"]
    republication: Annotated[bool, "`share_of_a_in_b` ≥ 0.5"]


class PassageRow(TypedDict):
    """One row per shared run of 8 words or more, for the pairs listed in `similarity`."""

    doc_a: DocId
    doc_b: DocId
    start_a: Annotated[int, "offset in A's `articles.text`"]
    end_a: Annotated[int, "end offset in A's `articles.text`"]
    start_b: Annotated[int, "offset in B's `articles.text`"]
    end_b: Annotated[int, "end offset in B's `articles.text`"]
    n_words: Annotated[int, "words in the run"]


class ClaimRow(TypedDict):
    """One row per sentence stating a claim of the study."""

    claim_id: Annotated[str, "the claim (`claims.toml`)"]
    doc_id: DocId
    sent_id: Annotated[int, "the sentence (`sentences.sent_id`)"]
    line: Line
    start: Offset
    end: Offset
    status: Annotated[ClaimStatus, "how the sentence states the claim"]
    cue: Annotated[str, "the hedge or attribution that set the status"]
    text: Annotated[str, "the sentence"]
    similarity: Annotated[float, "TF-IDF cosine to the claim's wording"]


class CaveatRow(TypedDict):
    """One row per article: whether it keeps the original's caveats about the testimony."""

    doc_id: DocId
    original: Annotated[str, "the outlet most articles cite"]
    status: CaveatStatus
    sentences_about: Annotated[int, "sentences about the relayed testimony"]
    line: Annotated[int | None, "raw line of the evidence"]
    evidence: Annotated[str, "the caveat's words, or the sentence that drops it"]


# Row type of each table, in the order they are built; row order of the per-article ones,
# by document first, so a table written a document at a time is sorted.
ROWS: dict[str, type] = {
    "articles": ArticleRow,
    "blocks": BlockRow,
    "sentences": SentenceRow,
    "mentions": MentionRow,
    "quotes": AlignedQuoteRow,
    "sources": SourceRow,
    "labels": LabelRow,
    "stance": StanceRow,
    "utterances": UtteranceRow,
    "chain": ChainRow,
    "distinctive": DistinctiveRow,
    "similarity": SimilarityRow,
    "passages": PassageRow,
    "claims": ClaimRow,
    "caveats": CaveatRow,
}
ORDER: dict[str, list[str]] = {
    "articles": ["doc_id"],
    "blocks": ["doc_id", "block_id"],
    "sentences": ["doc_id", "sent_id"],
    "mentions": ["doc_id", "start", "end"],
    "quotes": ["doc_id", "quote_id"],
    "sources": ["doc_id", "source", "cue"],
    "labels": ["doc_id", "start", "end", "label"],
    "stance": ["doc_id", "sent_id"],
}
# what one article's annotation gives, before the stages across articles add to it
PER_ARTICLE_ROWS: dict[str, type] = {**{t: ROWS[t] for t in ORDER}, "quotes": QuoteRow}
TABLES = tuple(ROWS)

_DTYPES = {str: "str", int: "int64", float: "float64", bool: "bool"}


def _bare(hint: object) -> object:
    """The type under ``Annotated``."""
    return get_args(hint)[0] if get_origin(hint) is Annotated else hint


def values_of(hint: object) -> tuple[str, ...]:
    """The allowed values of a ``Literal`` column (or a union of them); none for an open
    one."""
    hint = _bare(hint)
    if get_origin(hint) is Literal:
        return get_args(hint)
    members = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else ()
    if members and all(get_origin(m) is Literal for m in members):
        return tuple(v for m in members for v in get_args(m))
    return ()


def dtype(hint: object) -> str:
    """The pandas dtype of a column annotation."""
    if values_of(hint):
        return "str"
    hint = _bare(hint)
    if get_origin(hint) in (Union, types.UnionType):
        (inner,) = (a for a in get_args(hint) if a is not type(None))
        return {int: "Int64"}[inner]
    if get_origin(hint) is list:
        return f"list[{_DTYPES[get_args(hint)[0]]}]"
    return _DTYPES[hint]  # type: ignore[index]


def columns_of(row: type) -> dict[str, str]:
    """Column name -> pandas dtype, in declaration order."""
    return {name: dtype(h) for name, h in get_type_hints(row, include_extras=True).items()}


TABLE_COLUMNS: dict[str, dict[str, str]] = {t: columns_of(r) for t, r in ROWS.items()}
# the per-article tables' columns, as each document's rows are written
COLUMNS: dict[str, dict[str, str]] = {t: columns_of(r) for t, r in PER_ARTICLE_ROWS.items()}


def _description(hint: object) -> str:
    extras = get_args(hint)[1:] if get_origin(hint) is Annotated else ()
    return " ".join(str(e) for e in extras)


def data_dictionary() -> str:
    """Every table and column as Markdown: type, allowed values, description."""
    out = [
        "# Data dictionary",
        "",
        "Generated from `src/helpers/schema.py` by `python -m helpers schema`; do not edit.",
        "Each table is one Parquet file in the build's output folder. Types are pandas dtypes",
        "as the tables read back (`Int64`: integers with gaps).",
    ]
    for table, row in ROWS.items():
        doc = " ".join((row.__doc__ or "").split())
        out += ["", f"## `{table}`", "", doc, ""]
        if table in ORDER:
            out += [f"Rows sorted by {', '.join(f'`{c}`' for c in ORDER[table])}.", ""]
        out += ["| column | type | values | description |", "| --- | --- | --- | --- |"]
        for name, hint in get_type_hints(row, include_extras=True).items():
            values = ", ".join(f"`{v}`" if v else '`""`' for v in values_of(hint))
            out.append(f"| `{name}` | {dtype(hint)} | {values} | {_description(hint)} |")
    return "\n".join(out) + "\n"
