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

from helpers.ingest.metadata import find_date, is_byline, is_date_line, looks_like_person_credit
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
    "caption_label": "label over a caption",
    "labelled_caption": "caption under its label",
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
    "repeated_paragraph": "repeats an earlier paragraph",
    "teaser_card": "teaser card (a title over a short summary) in a list of them",
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
    "quoted_line": "line wholly inside quotation marks (a pull quote or a quoted answer)",
    "list_item": "list item inside the article",
    "subheading": "short line leading into body text",
    "orphan_short_line": "short line not followed by body text",
    "tail_credit": "credit line after the article",
    "author_bio": "the author's note closing the article",
    "after_last_paragraph": "after the last paragraph",
    "after_end": "after the end of the article",
    # HTML pages, where the article extractor ({name}) overrules the rules above
    "extracted_headline": "the page's title as {name} reads it",
    "not_headline": "not the headline: the page's title as {name} reads it is another line",
    "above_headline": "above the headline, though in {name}'s article text",
    "extracted": "in {name}'s article text",
    "not_extracted": "not in {name}'s article text",
    # a page in another language ({name}: its code), where the English rules are not applied
    "not_english": "kept whole: the page is in '{name}', and the English rules are not applied",
}
# Chrome categories whose lines are not boilerplate but metadata of their own kind.
_CHROME_ROLES: dict[str, BlockRole] = {"image_credit": "caption", "reporting_credit": "credit"}


class Verdict(NamedTuple):
    """A block's classification: its role, the rule that gave it, and the rule's words."""

    role: BlockRole
    rule: BlockRule
    reason: str


def reason_for(rule: BlockRule, name: str = "") -> str:
    """The words of ``rule`` (``REASONS``), so one rule always reads the same."""
    return REASONS[rule].format(name=name)


def _verdict(role: BlockRole, rule: BlockRule, name: str = "") -> Verdict:
    return Verdict(role, rule, reason_for(rule, name))


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


# A verb's clitic, counted as the word it is ("It’s a lie." is four words, three of them
# function words); "’s" only after the pronouns it contracts, not the possessive.
_CLITIC = re.compile(r"(?i)^(\w+?)(n['’]t|['’](?:re|ll|ve|d|m|s))$")
_S_HOSTS = {"it", "that", "there", "he", "she", "what", "who", "here", "where", "how", "let"}


def _split_clitics(tokens: list[str]) -> list[str]:
    out = []
    for token in tokens:
        match = _CLITIC.match(token.rstrip(".'’"))
        if match and (match.group(2)[1:].lower() != "s" or match.group(1).lower() in _S_HOSTS):
            out += [match.group(1), match.group(2)]
        else:
            out.append(token)
    return out


def block_features(text: str) -> dict:
    """Surface features of one block used by the classifier."""
    core = strip_bullet(text)
    toks = _split_clitics(words(core))
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


def classify_blocks(
    blocks: list[Block], lex: Boilerplate | None = None, url: str | None = None
) -> list[Block]:
    """Give every block a role, rule and reason (in place); returns the same list.

    ``url`` is the page's address when known (the manifest's): its slug names the
    headline."""
    lex = lex or load_boilerplate()
    for block in blocks:
        block.features = block_features(block.text)
    menu = _menu_runs(blocks)

    def pre_role(i: int) -> Verdict | None:
        """A role that holds wherever the block stands."""
        b = blocks[i]
        f = b.features
        core = f["core"]
        if any(p.fullmatch(core) for p in lex.caption_labels):
            return _verdict("caption", "caption_label")
        if i and any(p.fullmatch(blocks[i - 1].features["core"]) for p in lex.caption_labels):
            return _verdict("caption", "labelled_caption")
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
    headline = _choose_headline(blocks, fixed, prose, _article_start(blocks, prose, first), url)
    if headline is not None and headline >= first:
        # what stands above the headline (a consent notice, a tagline, a teaser) is the
        # page's, and the text starts under it
        for j in range(headline + 1):
            prose[j] = False
        first = next((i for i in range(headline + 1, len(blocks)) if prose[i]), len(blocks))
    end = next(
        (
            i
            for i in range(first + 1, len(blocks))
            if any(p.match(blocks[i].features["core"]) for p in lex.end_markers)
            and not _header_counter(blocks, fixed, prose, first, i)
            and (
                any(p.match(blocks[i].features["core"]) for p in lex.final_markers)
                or not _article_continues(blocks, fixed, prose, i)
            )
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
            and not _article_continues(blocks, fixed, prose, i)
        ),
        end,
    )
    cards: set[int] = set()
    for zone in _teaser_zones(blocks, fixed, prose, first, end):
        if not _article_continues(blocks, fixed, prose, zone[-1]):
            end = zone[0]  # the article ended above its list of teasers
            break
        cards.update(zone)
    for i in cards:
        prose[i] = False
    last = max((i for i in range(first, end) if prose[i]), default=first)
    if last > first and any(p.fullmatch(blocks[last].features["core"]) for p in lex.author_bios):
        fixed[last] = _verdict("credit", "author_bio")
        prose[last] = False

    headline_text = _classify_header(blocks, fixed, first, headline)
    seen: set[str] = set()  # the paragraphs of the article so far
    for i in range(first, len(blocks)):
        b = blocks[i]
        if i < end and b.features["n_words"] >= 7:
            if b.features["core"] in seen:  # a copy the page repeats (teaser, paywall)
                b.assign(_verdict("boilerplate", "repeated_paragraph"))
                continue
            if fixed[i] is None:
                seen.add(b.features["core"])
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
        if i in cards:
            b.assign(_verdict("boilerplate", "teaser_card"))
            continue
        core = b.features["core"]
        if headline_text and core == headline_text:
            b.assign(_verdict("boilerplate", "repeated_headline"))
        elif _under_teaser_label(blocks, i, lex):
            b.assign(_verdict("boilerplate", "teaser_under_label"))
        elif prose[i] and i == first and headline_text and not b.features["terminal"]:
            b.assign(_verdict("standfirst", "standfirst"))
        elif prose[i]:
            b.assign(_prose_role(blocks, i))
        elif _is_quoted_line(b.features):
            b.assign(_verdict("body", "quoted_line"))
        elif _after_colon(blocks, i) and not any(p.fullmatch(core) for p in lex.captions):
            b.assign(_verdict("blockquote", "introduced_by_colon"))
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


# The article goes on past a sidebar heading or a byline when a run of this many
# paragraphs, of this many words together, starts within this many blocks below it.
_CONTINUATION_RUN, _CONTINUATION_WORDS, _CONTINUATION_REACH = 3, 60, 12


def _article_continues(blocks: list[Block], fixed: list, prose: list, i: int) -> bool:
    """Paragraphs of the article continue below block ``i``: a run of consecutive
    paragraphs (captions and other chrome lines may stand between them) starts soon after
    it. A "Most Popular" list or a share bar in the middle of a page is followed by the
    article; comment threads and teaser lists break every run with names, dates and
    titles."""
    run = n_words = 0
    for j in range(i + 1, min(len(blocks), i + 1 + _CONTINUATION_REACH + _CONTINUATION_RUN)):
        if prose[j]:
            run += 1
            n_words += blocks[j].features["n_words"]
            if run >= _CONTINUATION_RUN and n_words >= _CONTINUATION_WORDS:
                return True
        elif fixed[j] and fixed[j].rule == "page_chrome" and run:
            continue
        else:
            if j > i + _CONTINUATION_REACH:
                return False
            run = n_words = 0
    return False


# Teaser cards: a title over a summary of at most this many words, at least this many
# cards in a row, with at most this many lines between two summaries.
_CARD_WORDS, _CARD_RUN, _CARD_GAP = 80, 3, 4
_TIMESTAMP = reason_for("page_chrome", "timestamp")


def _teaser_zones(
    blocks: list[Block], fixed: list, prose: list, first: int, end: int
) -> list[list[int]]:
    """Runs of teaser cards below the start of the article, each as the indices of its
    blocks (titles, dates and summaries). A card is a lone short paragraph (no paragraph
    next to it) under a title-like line, a date or a byline, with a chrome line (a time
    stamp, a "Read more" label) among them; a run of them is a list of other stories or
    comments, where an article's paragraphs come in runs, and a section's subheading over
    one paragraph carries no time stamp."""

    def lone(j: int) -> bool:
        return (
            prose[j]
            and blocks[j].features["n_words"] <= _CARD_WORDS
            and not (j > 0 and prose[j - 1])
            and not (j + 1 < len(blocks) and prose[j + 1])
        )

    def heading(j: int) -> bool:
        if fixed[j] is not None and (
            fixed[j].role in {"dateline", "byline"} or fixed[j].reason == _TIMESTAMP
        ):
            return True
        titled = fixed[j] is None or fixed[j].rule == "menu_run"  # titles touching titles
        if prose[j]:
            return title(j)
        return titled and blocks[j].features["n_words"] >= 3

    zones: list[list[int]] = []
    run: list[int] = []  # the cards' summaries
    starts: list[int] = []  # the first block of each card

    def close() -> None:
        if len(run) >= _CARD_RUN and sum(prose[first : starts[0]]) >= 2:
            zones.append(list(range(starts[0], run[-1] + 1)))

    def title(j: int) -> bool:  # a teaser's title that reads like a sentence
        f = blocks[j].features
        return f["n_words"] <= 15 and not f["core"].rstrip(_CLOSING_MARKS).endswith(".")

    for j in range(first + 1, end):
        if not prose[j] or (run and title(j)):
            continue
        top = j
        while (
            top - 1 > first
            and j - (top - 1) <= _CARD_GAP
            and (not prose[top - 1] or title(top - 1))
        ):
            top -= 1
        gap = range(top, j)
        if lone(j) and any(map(heading, gap)) and any(fixed[g] is not None for g in gap):
            if run and top > run[-1] + 1 + _CARD_GAP:
                close()
                run, starts = [], []
            run.append(j)
            starts.append(top)
        else:
            close()
            run, starts = [], []
    close()
    return zones


def _under_teaser_label(blocks: list[Block], i: int, lex: Boilerplate) -> bool:
    """A title-like line under a "Read more" label, or touching a teaser under one: the
    links a label heads come in a run of lines."""
    f = blocks[i].features
    if i == 0 or f["n_words"] > 20 or f["core"].rstrip(_CLOSING_MARKS).endswith("."):
        return False
    above = blocks[i - 1]
    if any(p.match(above.features["core"]) for p in lex.teaser_labels):
        return not f["terminal"]
    return above.rule == "teaser_under_label" and _touching(above, blocks[i])


def _header_counter(blocks: list[Block], fixed: list, prose: list, first: int, i: int) -> bool:
    """An end marker in the header ("212 comments" under the byline) is a counter: it
    stands after a byline or date that follows no more than a headline and a standfirst,
    with no paragraph between, and the article follows it."""
    anchors = [a for a in range(first, i) if fixed[a] and fixed[a].role in {"byline", "dateline"}]
    if not anchors or any(prose[anchors[-1] + 1 : i]):
        return False
    above = [j for j in range(first, anchors[0]) if prose[j]]
    if len(above) > 2 or any(blocks[j].features["n_words"] > 40 for j in above):
        return False
    return sum(prose[i + 1 : i + 8]) >= 3


def _article_start(blocks: list[Block], prose: list, first: int) -> int:
    """The first block of the article's first run of paragraphs (two or more, of 25 words
    or more together), else the first paragraph."""
    for i in range(first, len(blocks) - 1):
        pair = blocks[i].features["n_words"] + blocks[i + 1].features["n_words"]
        if prose[i] and prose[i + 1] and pair >= 25:
            return i
    return first


_SLUG_WORD = re.compile(r"[a-z0-9]+")


def _slug_words(url: str | None) -> set[str]:
    """The words of a URL's longest path segment ("/2019/11/kurds-strike-deal-with-x")."""
    if not url:
        return set()
    segments = url.split("?")[0].split("#")[0].split("/")[3:]
    longest = max(segments, key=lambda seg: len(_SLUG_WORD.findall(seg.lower())), default="")
    found = _SLUG_WORD.findall(longest.lower())
    return {w for w in found if not w.isdigit()} if len(found) >= 3 else set()


# "3h ago Kurds say …": an entry of a feed (key events, latest news), not a title.
_RELATIVE_TIME = re.compile(
    r"\d+\s*(?:s|m|h|d|w|mins?|minutes?|hrs?|hours?|days?|weeks?)\s+ago\b", re.I
)
# A short line ending "by Name Surname" ("Interview by X", "Photos by X"): a credit.
_CREDIT_END = re.compile(r"\bby (?:[A-Z][\w'’.-]+ ?){1,4}$")


def _is_title_like(blocks: list[Block], fixed: list, i: int) -> bool:
    """A line that could be a headline: free of chrome, three to forty words, not a short
    all-capitals label, a bullet, a lead-in ending in a colon, a line carrying a date or a
    short credit ("Interview by X")."""
    f = blocks[i].features
    core = f["core"]
    return (
        fixed[i] is None
        and 3 <= f["n_words"] <= 40
        and not (core.isupper() and f["n_words"] < 6)
        and not f["bullet"]
        and not core.endswith(":")
        and not (f["n_words"] <= 12 and find_date(core) is not None)
        and not _RELATIVE_TIME.match(core)
        and not _is_credit(f)
    )


def _is_credit(f: dict) -> bool:
    """A short credit ("Interview by X") or a line of names only ("X, Y and Z"): the
    author line under a headline."""
    if f["n_words"] > 10:
        return False
    names = re.split(r",\s+|\s+and\s+|\s+&\s+", re.sub(r"\s*\([^()]*\)", "", f["core"]))
    return bool(_CREDIT_END.search(f["core"])) or all(map(looks_like_person_credit, names))


def _choose_headline(
    blocks: list[Block], fixed: list, prose: list, start: int, url: str | None
) -> int | None:
    """The headline, chosen against the whole top of the page: of the title-like lines
    above the article's first run of paragraphs, the one that reads most like the title
    of that article (the features and their weights are in ``_headline_score``)."""
    candidates = [
        i
        for i in range(min(start + 1, len(blocks)))
        if _is_title_like(blocks, fixed, i)
        and (i < start or not blocks[i].features["terminal"] or blocks[i].features["n_words"] <= 30)
    ]
    if start in candidates and not _opens_text(blocks, fixed, prose, start):
        candidates.remove(start)
    slug = _slug_words(url)
    scored = [
        (_headline_score(blocks, fixed, prose, i, start, candidates, slug), -i) for i in candidates
    ]
    if not scored:
        return None
    best = -max(scored)[1]
    # a headline the page prints twice is its first copy
    core = blocks[best].features["core"]
    return next(i for i in candidates if blocks[i].features["core"] == core)


def _opens_text(blocks: list[Block], fixed: list, prose: list, i: int) -> bool:
    """The first paragraph is the headline: short, more text below it, and either no
    full stop at its end or a byline or date line right under it."""
    f = blocks[i].features
    if f["n_words"] > 30 or not any(prose[i + 1 :]):
        return False
    below = fixed[i + 1] if i + 1 < len(blocks) else None
    dated = below is not None and below.role in {"byline", "dateline"}
    return dated or not f["core"].rstrip(_CLOSING_MARKS).endswith(".")


def _headline_score(
    blocks: list[Block], fixed: list, prose: list, i: int, start: int, candidates: list, slug: set
) -> float:
    """How much line ``i`` reads like the article's headline: long enough to name a story,
    an ``h1`` in the markup, a byline or date line just under it, a summary or the text
    right under it (more so a summary longer than it), the words of the URL's slug; less
    so when it ends like a sentence, reads like a run of menu words, stands between menu
    lines, and the more title-like lines stand between it and the text."""
    f = blocks[i].features
    score = min(f["n_words"], 10) / 10 - 0.5 * f["core"].rstrip(_CLOSING_MARKS).endswith(".")
    score += 1.5 * (blocks[i].hint == "h1")

    def dated(j: int) -> bool:
        if fixed[j] is not None and fixed[j].role in {"byline", "dateline"}:
            return True
        return (fixed[j] is None or fixed[j].rule == "menu_run") and _is_credit(blocks[j].features)

    nxt = next((j for j in range(i + 1, len(blocks)) if fixed[j] is None and not dated(j)), None)
    # a byline or date line under it, with chrome lines and at most a summary between; a
    # menu between them makes the date the page's
    below = [j for j in range(i + 1, min(i + 6, len(blocks))) if j != nxt or not prose[j]]
    stop = next(
        (j for j in below if not dated(j) and (fixed[j] is None or _is_menu(fixed[j]))),
        len(blocks),
    )
    score += 2 * any(dated(j) for j in below if j < stop)
    score += 1 * (nxt is not None and (prose[nxt] or nxt == start))
    # a summary under it, longer than it: the headline over its standfirst
    score += 0.5 * (
        nxt is not None
        and nxt != start
        and nxt in candidates
        and prose[nxt]
        and blocks[nxt].features["n_words"] > f["n_words"]
    )
    menu_like = f["stop_density"] == 0 and f["cap_ratio"] >= 0.9 and not f["terminal"]
    score -= 1.5 * (menu_like and f["n_words"] >= 4)
    score -= 1 * _inside_menu(blocks, fixed, i)  # a site's tagline between its menus
    score -= 0.15 * sum(1 for c in candidates if i < c < start)
    if slug:
        mine = {w.lower() for w in words(f["core"])}
        score += 4 * len(slug & mine) / len(slug)
    return score


def _classify_header(
    blocks: list[Block], fixed: list, first: int, headline: int | None
) -> str | None:
    """Roles for blocks before the first prose block, ``headline`` the headline's index;
    returns the headline text."""
    candidates = [
        i
        for i in range(first)
        if fixed[i] is None
        and 3 <= blocks[i].features["n_words"] <= 40
        and not (blocks[i].features["core"].isupper() and blocks[i].features["n_words"] < 6)
    ]
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


def _is_menu(verdict: Verdict | None) -> bool:
    return verdict is not None and (
        verdict.rule == "menu_run" or verdict.reason == reason_for("page_chrome", "navigation")
    )


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
    """A sentence too short to read as prose ("Turkey denies it.", "“Yes,” she said."),
    inside the body."""
    core = f["core"]
    bare = core.lstrip(_OPENING_MARKS)
    return (
        f["n_words"] >= 3
        and core.rstrip(_CLOSING_MARKS)[-1:] in ".!?"
        and bare[:1].isupper()
        and f["stop_density"] > 0
        and not f["bullet"]
    )


_OPENING_MARKS = "“‘\"'«„"
_CLOSING_MARKS = "”’\"'»"
# A line wholly inside one pair of quotation marks: a pull quote, or a quoted answer
# ("“Nothing.”", "‘There isn’t one.’").
# Guillemets are left out: forums draw "« previous next »" with them.
_QUOTED_LINE = re.compile(r"^(?:“[^“”]*”|\"[^\"]*\"|‘.*’)$")


def _is_quoted_line(f: dict) -> bool:
    inner = f["core"][1:-1].strip()
    return (
        bool(_QUOTED_LINE.match(f["core"]))
        and inner[:1].isupper()
        and any(c.isalpha() for c in inner)
        and not f["bullet"]
    )


def _after_colon(blocks: list[Block], i: int) -> bool:
    """The previous block is a paragraph of the article that ends in a colon: what
    follows is the material it introduces."""
    prev = blocks[i - 1] if i else None
    return (
        prev is not None
        and prev.role == "body"
        and prev.text.rstrip().endswith(":")
        and not blocks[i].features["bullet"]
        and blocks[i].features["n_words"] >= 2
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
