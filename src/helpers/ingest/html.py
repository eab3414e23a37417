"""HTML pages to classified blocks: every visible text block with the raw lines it stands
on, and trafilatura's reading of which of them are the article.

Three steps. ``html_blocks`` cuts the page into blocks the way a browser lays text out:
each run of text between block-level elements (or ``<br>`` breaks) is a block, so no
visible text is lost, whatever the markup's class names say. The kit's cleaner
(``classify_blocks``) gives each block a role and a reason, as for a plain-text copy.
``read_html`` then asks trafilatura, on the markup already in hand (it never fetches
anything), which text is the article, matches the paragraphs it extracted back onto the
blocks, and makes its reading the final one: extracted blocks are content, the others
are not, and each reason says when the kit's rules read the block otherwise.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass, field

import trafilatura
from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, Tag
from bs4.element import ProcessingInstruction

from helpers.ingest.clean import BODY_ROLES, Block, classify_blocks, reason_for
from helpers.ingest.metadata import parse_date
from helpers.schema import BlockRole, BlockRule

# trafilatura and htmldate log a warning for every page they find nothing in; without a
# handler Python prints those to stderr. Records still reach any handler the caller sets.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

# The extraction settings, chosen on the article-extraction benchmark (docs/evaluation.md).
# Fetching functions are never used: trafilatura only reads the string it is given.
TRAFILATURA_SETTINGS: dict[str, bool] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "deduplicate": False,  # its cache is shared across pages: results would depend on order
}
EXTRACTOR = f"trafilatura {trafilatura.__version__}"

# Elements whose text is never shown.
_INVISIBLE = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "svg",
        "iframe",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "map",
        "datalist",
    }
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Elements a browser lays out as their own box: text on either side is not one line.
_BLOCK_LEVEL = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "button",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "label",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "optgroup",
        "option",
        "p",
        "pre",
        "section",
        "select",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
_TOKEN = re.compile(r"\w+")
# A block is the article's when this share of its words lies in trafilatura's text.
MATCHED_SHARE = 0.5
# Fewer words than this in a row may match by chance.
_ANCHOR = 4
# A heading with this share of the page title's words is the headline.
_NEAR_TITLE = 0.75


@dataclass
class HtmlPage:
    """An HTML page read: its classified blocks, metadata and the evidence for each."""

    blocks: list[Block]
    meta: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)  # by meta key, how it was read


# --- blocks ----------------------------------------------------------------------------


def _hidden(tag: Tag) -> bool:
    if tag.name in _INVISIBLE or tag.has_attr("hidden"):
        return True
    if tag.name == "input" and (tag.get("type") or "").lower() == "hidden":
        return True
    return bool(_HIDDEN_STYLE.search(tag.get("style") or ""))


def _hint(stack: list[str]) -> str:
    """The structural hint of text whose block-level ancestors are ``stack``."""
    nearest = stack[-1] if stack else "body"
    if nearest == "h1":
        return "h1"
    if re.fullmatch(r"h[2-6]", nearest):
        return "h2"
    for name in ("blockquote", "figcaption", "li"):
        if name in stack:
            return name
    return nearest


class _Walker:
    """Walks the parsed page in document order, keeping the raw line it stands on."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.line = 1
        self.parts: list[str] = []
        self.start = self.end = 0
        self.stack: list[str] = []

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            self.blocks.append(Block(self.start, self.end, text, hint=_hint(self.stack)))
        self.parts = []

    def text(self, s: str) -> None:
        if s.strip():
            first = self.line + s[: len(s) - len(s.lstrip())].count("\n")
            if not self.parts or not "".join(self.parts).strip():
                self.start = first
            self.end = self.line + s.rstrip().count("\n")
        self.parts.append(s)
        self.line += s.count("\n")

    def walk(self, tag: Tag) -> None:
        for node in tag.children:
            if isinstance(node, Tag):
                if node.sourceline:
                    self.line = node.sourceline
                if _hidden(node):
                    self.line += sum(
                        str(s).count("\n") for s in node.descendants if isinstance(s, str)
                    )
                    continue
                if node.name == "br":
                    self.flush()
                elif node.name in _BLOCK_LEVEL:
                    self.flush()
                    self.stack.append(node.name)
                    self.walk(node)
                    self.flush()
                    self.stack.pop()
                else:
                    self.walk(node)
            elif isinstance(node, _NOT_TEXT):
                self.line += str(node).count("\n")
            elif isinstance(node, NavigableString):
                self.text(str(node))


def html_blocks(markup: str) -> tuple[list[Block], dict[str, str]]:
    """Every visible text block of an HTML page, unclassified, and metadata from its head.

    A block is a run of text between block-level elements or ``<br>`` breaks, with the
    raw lines its text stands on; its ``hint`` is the element it stands in (h1, h2 for
    any lower heading, blockquote, figcaption, li, else the nearest block's name). Only
    text a browser never shows (scripts, styles, templates, ``hidden`` elements) is
    left out."""
    soup = BeautifulSoup(markup, "html.parser")
    meta = _head_metadata(soup)
    walker = _Walker()
    walker.walk(soup)
    walker.flush()
    return walker.blocks, meta


def _head_metadata(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    wanted = {
        "og:title": "headline",
        "og:site_name": "outlet",
        "og:url": "url",
        "article:published_time": "published",
        "date": "published",
        "author": "author",
        "article:author": "author",
    }
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or "").lower()
        if key in wanted and tag.get("content") and wanted[key] not in found:
            found[wanted[key]] = tag["content"].strip()
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href") and "url" not in found:
        found["url"] = canonical["href"]
    if soup.title and soup.title.string and "headline" not in found:
        found["headline"] = soup.title.string.strip()
    return found


# --- trafilatura's reading --------------------------------------------------------------


def extract(markup: str):
    """trafilatura's document for ``markup`` (text and metadata), or None when it finds
    no article text. Only the string is read: nothing is fetched."""
    try:
        return trafilatura.bare_extraction(
            markup, with_metadata=True, output_format="python", **TRAFILATURA_SETTINGS
        )
    except Exception:  # a page trafilatura cannot parse falls back to the kit's rules
        return None


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def matched_shares(blocks: list[Block], extracted: str) -> list[float]:
    """The share of each block's words found in ``extracted``, trafilatura's text.

    Words are lined up in page order first, so a paragraph the extractor split or joined
    still matches, and a teaser repeating a sentence elsewhere on the page does not; a
    run of fewer than ``_ANCHOR`` words counts only when it is whole lines of the text (a
    short heading), not a stray pair of words. Lines the extractor moved out of page order
    are then looked for where their words stand on the page."""
    words = [_tokens(b.text) for b in blocks]
    page = [tok for toks in words for tok in toks]
    first = [0] * len(blocks)  # where each block's words start in ``page``
    for i in range(1, len(blocks)):
        first[i] = first[i - 1] + len(words[i - 1])
    lines = [t for t in map(_tokens, extracted.split("\n")) if t]
    ext = [tok for line in lines for tok in line]
    bounds = []  # each line's (start, end) in ``ext``
    for line in lines:
        at = bounds[-1][1] if bounds else 0
        bounds.append((at, at + len(line)))
    starts, ends = {a for a, _ in bounds}, {e for _, e in bounds}

    hit = [False] * len(page)
    used = [False] * len(ext)
    matcher = difflib.SequenceMatcher(None, page, ext, autojunk=False)
    for a, b, n in matcher.get_matching_blocks():
        if n >= _ANCHOR or (b in starts and b + n in ends):
            hit[a : a + n] = [True] * n
            used[b : b + n] = [True] * n

    grams: dict[tuple[str, ...], list[int]] = {}
    for k in range(len(page) - _ANCHOR + 1):
        grams.setdefault(tuple(page[k : k + _ANCHOR]), []).append(k)
    for line, (a, e) in zip(lines, bounds, strict=True):
        if sum(used[a:e]) >= MATCHED_SHARE * len(line):
            continue  # lined up in page order
        if len(line) < _ANCHOR:  # a short line moved: the first free block of just its words
            same = next(
                (i for i, toks in enumerate(words) if toks == line and not hit[first[i]]), None
            )
            if same is not None:
                hit[first[same] : first[same] + len(line)] = [True] * len(line)
            continue
        for k in range(len(line) - _ANCHOR + 1):
            at = grams.get(tuple(line[k : k + _ANCHOR]), [])
            free = next((p for p in at if not hit[p]), None)
            if free is not None:
                hit[free : free + _ANCHOR] = [True] * _ANCHOR
    return [
        sum(hit[first[i] : first[i] + len(toks)]) / len(toks) if toks else 0.0
        for i, toks in enumerate(words)
    ]


def _content_role(block: Block) -> BlockRole:
    """The content role of an extracted block the kit's rules did not read as content."""
    if block.hint in {"h1", "h2"}:
        return "subheading"
    if block.hint == "blockquote":
        return "blockquote"
    return "body"


def _headline(blocks: list[Block], title: str | None) -> tuple[int | None, str]:
    """The block that is the page's headline, and why ("" when the kit's rules chose
    it): the first block (an h1 first,
    then a lower heading) with the words of the title trafilatura read, with or without
    a site name after a separator ("Headline | Site"); else the first heading with most
    of its words, in order; else the kit's own headline."""
    wanted = [w for w in map(_tokens, _title_forms(title or "")) if w]
    if wanted:
        order = sorted(range(len(blocks)), key=lambda i: {"h1": 0, "h2": 1}.get(blocks[i].hint, 2))
        same = [i for i in order if _tokens(blocks[i].text) in wanted]
        if same:
            return same[0], f"the page's title as {EXTRACTOR} reads it"
        near = [
            i
            for i in order
            if blocks[i].hint in {"h1", "h2"}
            and any(_title_share(_tokens(blocks[i].text), w) >= _NEAR_TITLE for w in wanted)
        ]
        if near:
            return near[0], f"the heading nearest the page's title as {EXTRACTOR} reads it"
    kit = next((i for i, b in enumerate(blocks) if b.role == "headline"), None)
    return kit, ""


def _title_share(heading: list[str], title: list[str]) -> float:
    """The share of the title's words that a heading of at most twice its length holds,
    in order."""
    if len(heading) > 2 * len(title):
        return 0.0
    matcher = difflib.SequenceMatcher(None, heading, title, autojunk=False)
    return sum(n for _, _, n in matcher.get_matching_blocks()) / len(title)


_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·•»«]+\s+")


def _title_forms(title: str) -> list[str]:
    """The title, and the title less what follows (or precedes) its last (first)
    separator, where a site name usually stands."""
    parts = _TITLE_SEPARATOR.split(title.strip())
    if len(parts) < 2:
        return [title]
    return [title, " ".join(parts[:-1]), " ".join(parts[1:])]


def apply_extraction(blocks: list[Block], extracted: str, title: str | None) -> None:
    """Make trafilatura's reading final (in place): a block whose words are mostly in
    ``extracted`` is content, keeping the cleaner's role when that is a content role;
    any other block is not content. The article starts at its headline: what stands
    above it is not content (unless most of the text does). Reasons say when the kit's
    rules read a block otherwise."""
    shares = matched_shares(blocks, extracted)
    headline, why = _headline(blocks, title)
    # the article starts at its headline, if most of the extracted text stands below it
    top = 0
    if headline is not None:
        size = [len(b.text) * (s >= MATCHED_SHARE) for b, s in zip(blocks, shares, strict=True)]
        top = headline if sum(size[:headline]) < sum(size[headline + 1 :]) else 0
    for i, (b, share) in enumerate(zip(blocks, shares, strict=True)):
        kit = f"the kit's rules said {b.role}: {b.reason}"
        extracted_here = share >= MATCHED_SHARE
        if i == headline and not why:
            b.reason = f"{b.reason}; {EXTRACTOR} read no title like a line of the page"
        elif i == headline:
            _overrule(b, "headline", "extracted_headline", kit)
        elif b.role == "headline":
            _overrule(b, "boilerplate", "not_headline", kit)
        elif extracted_here and i < top:
            _overrule(b, "boilerplate", "above_headline", kit)
        elif extracted_here and b.role in BODY_ROLES:
            b.reason = f"{b.reason}; in {EXTRACTOR}'s article text"
        elif extracted_here:
            _overrule(b, _content_role(b), "extracted", kit)
        elif b.role in BODY_ROLES:
            _overrule(b, "boilerplate", "not_extracted", kit)
        else:
            b.reason = f"{b.reason}; not in {EXTRACTOR}'s article text either"


def _overrule(block: Block, role: BlockRole, rule: BlockRule, kit: str) -> None:
    """Give ``block`` the extractor's verdict, its reason saying what the kit's rules had
    said, where they said otherwise."""
    words = reason_for(rule, EXTRACTOR)
    same = block.role == role
    block.role, block.rule, block.reason = role, rule, words if same else f"{words} ({kit})"


_META_FIELDS = {"title": "headline", "author": "author", "date": "published", "sitename": "outlet"}


def read_html(markup: str) -> HtmlPage:
    """Classified blocks of an HTML page and its metadata, trafilatura deciding what is
    the article; where it finds no article text, the kit's rules decide alone."""
    blocks, meta = html_blocks(markup)
    classify_blocks(blocks)
    evidence = {key: "HTML meta" if key != "headline" else "HTML title" for key in meta}
    doc = extract(markup)
    text = (doc.text or "") if doc is not None else ""
    if not text.strip():
        for b in blocks:
            b.reason = f"{b.reason}; {EXTRACTOR} found no article text: the kit's rules decide"
        return HtmlPage(blocks, meta, evidence)
    apply_extraction(blocks, text, doc.title)
    for attr, key in _META_FIELDS.items():
        value = (getattr(doc, attr, None) or "").strip()
        if key == "published":
            value = parse_date(value) or ""
        if value:
            meta[key] = value
            evidence[key] = f"page metadata read by {EXTRACTOR} '{value}'"
    return HtmlPage(blocks, meta, evidence)
