"""Separate article content from page chrome in plain-text copies of web pages.

A page copy is cut into blocks (a line, or a hard-wrapped paragraph), each block gets
features (length, stopword density, end punctuation, chrome patterns), and the page is
read in three zones: the header before the first prose paragraph (headline, standfirst,
byline, dates, menus), the body up to an end marker or the last prose paragraph, and the
tail after it (credits, related lists, comment forms). Every block gets a ``role``, the
``rule`` that gave it (a key of ``BlockRule``, which code decides on) and a human
``reason`` (its words, free to reword); ``is_body`` follows from the role.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from spacy.lang.en.stop_words import STOP_WORDS

from helpers.ingest.metadata import is_byline, is_date_line
from helpers.lexicons import Boilerplate, load_boilerplate
from helpers.schema import BlockRole, BlockRule

BODY_ROLES = frozenset({"headline", "standfirst", "body", "subheading", "blockquote", "embed"})

_WORD = re.compile(r"[^\W\d_][\w'’.-]*|\d[\d.,]*", re.UNICODE)
_BULLET = re.compile(r"^\s*(?:[•·▪◦●○■□►▸‣⁃*|]|-(?=\s))\s*")
_TERMINAL = re.compile(r"[.!?…:;][\"'”’)\]]*$|[\"”’]$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$|^\S+\.(?:com|org|net|co\.uk|io)/\S*$", re.I)
# The line under an embedded post: "— Display Name (@handle) October 13, 2019" (or "13
# October 2019"). Shared by the cleaner (role), the entity rules (the name is not a
# mention) and sourcing (speaker).
POST_ATTRIBUTION = re.compile(
    r"^\s*[—–-]\s*(?P<name>.{1,80}?)\s*\((?P<handle>@\w{1,30})\)\s+"
    r"(?:\w+\.? \d{1,2},? \d{4}|\d{1,2} \w+\.?,? \d{4})\s*$"
)
# The author's line that introduces an embedded post: "X wrote on Twitter:", "He tweeted:".
_POST_INTRO = re.compile(
    r"\b(?:tweet(?:ed|s)?|wr(?:ote|ites)|posted|posts|shared|said|says|added)\b[^.!?]{0,40}:\s*$",
    re.I,
)
_TWEET_MEDIA = re.compile(r"\bpic\.twitter\.com/\w+|\bt\.co/\w+")
_ELLIPSIS_BREAK = re.compile(r"\w(?:\.\.\.|…)\s+[A-Z“\"]")

# The words each rule puts in a block's ``reason``; ``{name}`` is a chrome pattern's name.
REASONS: dict[BlockRule, str] = {
    "page_chrome": "page chrome: {name}",
    "bare_url": "bare URL",
    "post_attribution": "embedded post attribution line",
    "dateline": "date on its own line",
    "byline": "byline",
    "glued_teasers": "teaser headlines glued into one line",
    "menu_run": "navigation menu (run of short lines)",
    "menu_item": "navigation menu item",
    "no_words": "no words",
    "headline": "first title-like line before the text",
    "standfirst": "summary line between headline and text",
    "repeated_headline": "repeats the headline",
    "before_text": "before the article text",
    "header_furniture": "page furniture before the article text",
    "prose": "prose",
    "markup_blockquote": "quoted block in the markup",
    "introduced_by_colon": "paragraph introduced by a colon",
    "post_text": "embedded post text",
    "teaser_under_label": 'teaser under a link label ("Read more")',
    "image_label": "image label or file name",
    "figure_caption": "figure caption",
    "short_paragraph": "short paragraph inside the article",
    "list_item": "list item inside the article",
    "subheading": "short line leading into body text",
    "orphan_short_line": "short line not followed by body text",
    "tail_credit": "credit line after the article",
    "after_last_paragraph": "after the last paragraph",
    "after_end": "after the end of the article",
}
# Chrome categories whose lines are not boilerplate but metadata of their own kind.
_CHROME_ROLES: dict[str, BlockRole] = {"image_credit": "caption", "reporting_credit": "credit"}


class Verdict(NamedTuple):
    """A block's classification: its role, the rule that gave it, and the rule's words."""

    role: BlockRole
    rule: BlockRule
    reason: str


def _verdict(role: BlockRole, rule: BlockRule, name: str = "") -> Verdict:
    """The verdict of ``rule``, its words taken from ``REASONS`` so one rule always reads
    the same."""
    return Verdict(role, rule, REASONS[rule].format(name=name))


@dataclass
class Block:
    """A run of raw lines classified as one unit."""

    line_start: int
    line_end: int
    text: str
    role: BlockRole = "body"
    reason: str = ""
    rule: BlockRule | Literal[""] = ""  # "" until classify_blocks has run
    hint: str = ""  # structural hint from HTML markup (h1, h2, blockquote, li, figcaption)
    features: dict = field(default_factory=dict, repr=False)
    # offsets in ``text`` where each further raw line of a wrapped paragraph begins
    wraps: list[int] = field(default_factory=list, repr=False)

    @property
    def is_body(self) -> bool:
        return self.role in BODY_ROLES

    def assign(self, verdict: Verdict) -> None:
        """Set role, rule and reason together, so that they never disagree."""
        self.role, self.rule, self.reason = verdict


def words(text: str) -> list[str]:
    """Word tokens of ``text`` (letters-first words and numbers, punctuation dropped)."""
    return _WORD.findall(text)


def strip_bullet(text: str) -> str:
    return _BULLET.sub("", text).strip()


# --- segmentation --------------------------------------------------------------------


def _wrap_width(lines: list[str]) -> int | None:
    """The column a hard-wrapped text breaks at, or None when lines are not wrapped."""
    lengths = sorted(len(ln.rstrip()) for ln in lines if len(ln.strip()) >= 30)
    if len(lengths) < 8:
        return None
    width = lengths[int(0.95 * (len(lengths) - 1))]
    if width > 120:
        return None
    near = sum(1 for n in lengths if n >= 0.75 * width)
    return width if near >= 0.6 * len(lengths) else None


def split_blocks(text: str) -> list[Block]:
    """Cut text into blocks: one per non-blank line, wrapped paragraphs joined.

    Line numbers are 1-based positions in ``text.split("\\n")``.
    """
    lines = text.split("\n")
    width = _wrap_width(lines)
    blocks: list[Block] = []
    prev_open = False  # the previous line was a wrapped line that continues
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if not stripped:
            prev_open = False
            continue
        if prev_open and not _BULLET.match(raw):
            last = blocks[-1]
            last.wraps.append(len(last.text) + 1)
            last.text = f"{last.text} {stripped}"
            last.line_end = number
        else:
            blocks.append(Block(number, number, stripped))
        prev_open = width is not None and len(raw.rstrip()) >= 0.7 * width
    return blocks


# --- features ------------------------------------------------------------------------


def block_features(text: str) -> dict:
    """Surface features of one block used by the classifier."""
    core = strip_bullet(text)
    toks = words(core)
    n = len(toks)
    lowered = [t.lower().strip(".'’") for t in toks]
    stop = sum(1 for t in lowered if t in STOP_WORDS)
    caps = sum(1 for t in toks[1:] if t[:1].isupper())
    return {
        "core": core,
        "n_words": n,
        "stop_density": stop / n if n else 0.0,
        "cap_ratio": caps / (n - 1) if n > 1 else 0.0,
        "terminal": bool(_TERMINAL.search(core)),
        "bullet": bool(_BULLET.match(text)),
        "ellipsis_breaks": len(_ELLIPSIS_BREAK.findall(core)),
    }


def is_prose(f: dict) -> bool:
    """A sentence-like block: enough words, function words, and an ending."""
    n, density = f["n_words"], f["stop_density"]
    if n >= 4 and f["terminal"] and density >= 0.15:
        return True
    return n >= 12 and density >= 0.25


def is_glued_list(f: dict) -> bool:
    """Teaser headlines glued into one long line ("Latest news" widgets, tickers)."""
    if f["n_words"] < 40:
        return False
    per_break = f["n_words"] / (f["ellipsis_breaks"] + 1)
    return (f["ellipsis_breaks"] >= 2 and per_break < 120) or f["cap_ratio"] > 0.45


def _chrome_verdict(core: str, lex: Boilerplate) -> Verdict | None:
    """The verdict of the first chrome pattern the whole line matches, its role by the
    pattern's category."""
    for category, pattern in lex.chrome:
        if pattern.fullmatch(core):
            role = _CHROME_ROLES.get(category, "boilerplate")
            return _verdict(role, "page_chrome", name=category.replace("_", " "))
    return None


# --- classification ------------------------------------------------------------------


def _touching(above: Block, below: Block) -> bool:
    """No blank line between the two blocks."""
    return below.line_start == above.line_end + 1


def _menu_runs(blocks: list[Block]) -> set[int]:
    """Indices of short lines standing in runs of three or more adjacent short lines."""
    found: set[int] = set()
    run: list[int] = []

    def close() -> None:
        short = [i for i in run if blocks[i].features["n_words"] <= 5]
        if len(run) >= 3 and len(short) >= 0.6 * len(run):
            found.update(short)

    for i, block in enumerate(blocks):
        if run and not _touching(blocks[run[-1]], block):
            close()
            run = []
        run.append(i)
    close()
    return found


def classify_blocks(blocks: list[Block], lex: Boilerplate | None = None) -> list[Block]:
    """Give every block a role, rule and reason (in place); returns the same list."""
    lex = lex or load_boilerplate()
    for block in blocks:
        block.features = block_features(block.text)
    menu = _menu_runs(blocks)

    def pre_role(i: int) -> Verdict | None:
        """A role that holds wherever the block stands."""
        b = blocks[i]
        f = b.features
        core = f["core"]
        chrome = _chrome_verdict(core, lex)
        if chrome:
            return chrome
        if _URL.match(core):
            return _verdict("boilerplate", "bare_url")
        if POST_ATTRIBUTION.match(core):
            return _verdict("embed", "post_attribution")
        if is_date_line(core):
            return _verdict("dateline", "dateline")
        if is_byline(core):
            return _verdict("byline", "byline")
        if is_glued_list(f):
            return _verdict("boilerplate", "glued_teasers")
        if i in menu and not is_prose(f):
            return _verdict("boilerplate", "menu_run")
        if f["bullet"] and f["n_words"] <= 5 and not f["terminal"]:
            return _verdict("boilerplate", "menu_item")
        if f["n_words"] == 0:
            return _verdict("boilerplate", "no_words")
        return None

    fixed = [pre_role(i) for i in range(len(blocks))]
    prose = [
        fixed[i] is None and (is_prose(b.features) or b.hint == "p") for i, b in enumerate(blocks)
    ]

    # Body zone: from the first prose block to an end marker (or the page end).
    first = next((i for i, p in enumerate(prose) if p), len(blocks))
    if _is_prose_headline(blocks, fixed, prose, first):
        prose[first] = False
        first = next((i for i in range(first + 1, len(blocks)) if prose[i]), len(blocks))
    end = next(
        (
            i
            for i in range(first + 1, len(blocks))
            if any(p.match(blocks[i].features["core"]) for p in lex.end_markers)
            and not _header_counter(fixed, prose, first, i)
        ),
        len(blocks),
    )
    # A byline with more paragraphs above it than below is a post's footer or an author
    # box ("Posted by X at 10:41 AM", "Written by X" over a short bio): the article ends.
    end = next(
        (
            i
            for i in range(first + 1, end)
            if fixed[i]
            and fixed[i].role == "byline"
            and sum(prose[first:i]) >= 2
            and sum(prose[first:i]) > sum(prose[i + 1 : end])
        ),
        end,
    )
    last = max((i for i in range(first, end) if prose[i]), default=first)

    headline_text = _classify_header(blocks, fixed, first)
    for i in range(first, len(blocks)):
        b = blocks[i]
        if i >= end:
            verdict = fixed[i] or _verdict("boilerplate", "after_end")
            if verdict.role in BODY_ROLES or verdict.role in {"byline", "dateline"}:
                # what follows is comments and teasers: their dates are not the article's
                verdict = _verdict("boilerplate", "after_end")
            b.assign(verdict)
            continue
        if fixed[i]:
            b.assign(fixed[i])
            continue
        core = b.features["core"]
        if headline_text and core == headline_text:
            b.assign(_verdict("boilerplate", "repeated_headline"))
        elif (
            i > 0
            and not b.features["terminal"]
            and any(p.match(blocks[i - 1].features["core"]) for p in lex.teaser_labels)
        ):
            b.assign(_verdict("boilerplate", "teaser_under_label"))
        elif prose[i] and i == first and headline_text and not b.features["terminal"]:
            b.assign(_verdict("standfirst", "standfirst"))
        elif prose[i]:
            b.assign(_prose_role(blocks, i))
        elif any(p.fullmatch(core) for p in lex.captions):
            b.assign(_verdict("caption", "image_label"))
        elif i > last:
            b.assign(_tail_role(b))
        elif _TWEET_MEDIA.search(core):
            b.assign(_verdict("embed", "post_text"))
        elif b.hint == "figcaption":
            b.assign(_verdict("caption", "figure_caption"))
        elif _is_short_sentence(b.features):
            b.assign(_verdict("body", "short_paragraph"))
        elif b.features["bullet"] and (
            b.features["n_words"] >= 6 or _listed_after_colon(blocks, i)
        ):
            b.assign(_verdict("body", "list_item"))
        elif _followed_by_content(blocks, fixed, prose, i, end):
            b.assign(_verdict("subheading", "subheading"))
        else:
            b.assign(_verdict("boilerplate", "orphan_short_line"))
    _mark_embeds(blocks)
    return blocks


def _header_counter(fixed: list, prose: list, first: int, i: int) -> bool:
    """An end marker in the page header: a comment counter ("212 comments") right under
    the byline or date, with no more than a headline and a standfirst above it and the
    article's paragraphs below. A counter under a post's last paragraph still ends it."""
    header = [j for j in range(first, i) if fixed[j] and fixed[j].role in {"byline", "dateline"}]
    if not header or any(prose[header[-1] + 1 : i]):
        return False
    before, after = sum(prose[first : header[-1]]), sum(prose[i + 1 :])
    return before <= 3 and after >= max(4, 2 * before)


def _is_prose_headline(blocks: list[Block], fixed: list, prose: list, first: int) -> bool:
    """A sentence-like headline: short, then a byline or date before the text starts (an
    unpunctuated headline may have a standfirst between).

    Also a short question or exclamation standing first on the page with nothing
    title-like above it.
    """
    if first >= len(blocks) or blocks[first].features["n_words"] > 30:
        return False
    f = blocks[first].features
    standfirsts = 0 if f["terminal"] else 1
    for j in range(first + 1, len(blocks)):
        if prose[j]:
            if standfirsts == 0:
                break
            standfirsts -= 1
        elif fixed[j] and fixed[j].role in {"byline", "dateline"}:
            return True
    above = [i for i in range(first) if fixed[i] is None]
    return not above and f["n_words"] <= 20 and f["core"].endswith(("?", "!"))


def _classify_header(blocks: list[Block], fixed: list, first: int) -> str | None:
    """Roles for blocks before the first prose block; returns the headline text."""
    candidates = [
        i
        for i in range(first)
        if fixed[i] is None
        and 3 <= blocks[i].features["n_words"] <= 40
        and not (blocks[i].features["core"].isupper() and blocks[i].features["n_words"] < 6)
    ]
    h1 = [i for i in candidates if blocks[i].hint == "h1"]
    # the title-like lines right above the last byline or date line: headline, standfirst
    anchors = [i for i in range(first) if fixed[i] and fixed[i].role in {"byline", "dateline"}]
    above_byline = []
    for i in range(anchors[-1] - 1 if anchors else -1, -1, -1):
        if i not in candidates:
            break
        above_byline.insert(0, i)
    # a line wedged between menu lines is the site's tagline, not the headline
    outside_menus = [i for i in candidates if not _inside_menu(blocks, fixed, i)]
    preferred = h1 or above_byline or outside_menus or candidates
    headline = preferred[0] if preferred else None
    headline_text = blocks[headline].features["core"] if headline is not None else None
    for i in range(first):
        b = blocks[i]
        if fixed[i]:
            b.assign(fixed[i])
            if b.role in BODY_ROLES:  # an embed line before any prose is chrome
                b.assign(_verdict("boilerplate", "before_text"))
        elif i == headline:
            b.assign(_verdict("headline", "headline"))
        elif b.features["core"] == headline_text:
            b.assign(_verdict("boilerplate", "repeated_headline"))
        elif (
            headline is not None and i in candidates and i > headline and b.features["n_words"] >= 6
        ):
            b.assign(_verdict("standfirst", "standfirst"))
        else:
            b.assign(_verdict("boilerplate", "header_furniture"))
    return headline_text


def _inside_menu(blocks: list[Block], fixed: list, i: int) -> bool:
    """Both raw lines next to block ``i`` are page chrome (menu items, site links)."""
    if i == 0 or i + 1 >= len(blocks):
        return False
    touching = _touching(blocks[i - 1], blocks[i]) and _touching(blocks[i], blocks[i + 1])
    chrome = all(fixed[j] is not None and fixed[j].role == "boilerplate" for j in (i - 1, i + 1))
    return touching and chrome


def _prose_role(blocks: list[Block], i: int) -> Verdict:
    b = blocks[i]
    if b.hint == "blockquote":
        return _verdict("blockquote", "markup_blockquote")
    if _TWEET_MEDIA.search(b.text):
        return _verdict("embed", "post_text")
    prev = blocks[i - 1] if i else None
    if (
        prev is not None
        and prev.role == "body"
        and prev.text.rstrip().endswith(":")
        and not b.text.lstrip().startswith(("“", '"', "‘"))
    ):
        return _verdict("blockquote", "introduced_by_colon")
    return _verdict("body", "prose")


def _is_short_sentence(f: dict) -> bool:
    """A sentence too short to read as prose ("Turkey denies it."), inside the body."""
    core = f["core"]
    return (
        f["n_words"] >= 3
        and core[-1:] in ".!?"
        and core[:1].isupper()
        and f["stop_density"] > 0
        and not f["bullet"]
    )


def _listed_after_colon(blocks: list[Block], i: int) -> bool:
    """A bullet in an unbroken run of bullets under a paragraph that ends with a colon."""
    j = i - 1
    while j >= 0 and blocks[j].features["bullet"] and _touching(blocks[j], blocks[j + 1]):
        j -= 1
    return j >= 0 and blocks[j].features["core"].endswith(":") and not blocks[j].features["bullet"]


def _tail_role(block: Block) -> Verdict:
    """Short lines after the last paragraph: credits or furniture."""
    f = block.features
    if 1 <= f["n_words"] <= 4 and not f["terminal"] and f["core"][:1].isupper():
        return _verdict("credit", "tail_credit")
    return _verdict("boilerplate", "after_last_paragraph")


def _followed_by_content(blocks, fixed, prose, i: int, end: int) -> bool:
    """A subheading precedes prose (or an embed) inside the body zone."""
    f = blocks[i].features
    if f["n_words"] > 15 or (f["terminal"] and not f["core"].endswith(("?", "!", ":"))):
        return False
    for j in range(i + 1, end):
        if prose[j]:
            return True
        if fixed[j] and fixed[j].rule == "bare_url":
            continue  # a link to an embedded post
        return fixed[j] is None and bool(_TWEET_MEDIA.search(blocks[j].text))
    return False


def _mark_embeds(blocks: list[Block]) -> None:
    """The paragraph above an embedded post's attribution line is the post's text.

    Walks up from the attribution through adjacent lines; a blank line closes the post
    unless the paragraph above it was itself introduced by a colon.
    """
    for i, b in enumerate(blocks):
        if b.rule != "post_attribution":
            continue
        j = i - 1
        while (
            j >= 0
            and blocks[j].role not in {"headline", "byline", "dateline"}
            and blocks[j].rule not in {"page_chrome", "bare_url"}
            and not _POST_INTRO.search(blocks[j].text)  # "X wrote on Twitter:" is the author's
        ):
            blocks[j].assign(_verdict("embed", "post_text"))
            adjacent = j > 0 and _touching(blocks[j - 1], blocks[j])
            # a post of several paragraphs, opened by a line ending in a colon
            opened = j > 0 and blocks[j - 1].rule == "introduced_by_colon"
            if not (adjacent or opened):
                break
            j -= 1


def clean_lines(text: str) -> list[Block]:
    """Split and classify a plain-text page copy."""
    return classify_blocks(split_blocks(text))


def body_text(blocks: Iterable[Block]) -> str:
    """The article text: content blocks joined by a blank line (offsets in the tables
    count on this separator)."""
    return "\n\n".join(b.text for b in blocks if b.is_body)
