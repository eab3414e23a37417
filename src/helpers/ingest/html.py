"""HTML pages to classifiable blocks, with the raw line each block starts on."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from helpers.ingest.clean import Block

# Elements that are page chrome by definition, whatever they contain.
_DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "form",
    "nav",
    "footer",
    "aside",
    "button",
    "select",
    "input",
    "head",
]
_CHROME_ATTR = re.compile(
    r"\b(nav|menu|share|social|comment|related|newsletter|cookie|sidebar|footer|breadcrumb|"
    r"advert|promo|subscribe|login|signup|widget|popup|modal)\w*",
    re.I,
)
_BLOCK_TAGS = [
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "li",
    "blockquote",
    "figcaption",
    "pre",
    "td",
    "dt",
    "dd",
]


def _is_chrome_container(tag: Tag) -> bool:
    attrs = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return bool(attrs) and bool(_CHROME_ATTR.search(attrs)) and tag.name not in {"body", "html"}


def html_blocks(markup: str) -> tuple[list[Block], dict[str, str]]:
    """Block elements of an HTML page, and metadata from its head (title, date, author)."""
    soup = BeautifulSoup(markup, "html.parser")
    meta = _head_metadata(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if not tag.decomposed and _is_chrome_container(tag):
            tag.decompose()
    blocks: list[Block] = []
    for tag in soup.find_all([*_BLOCK_TAGS, "div"]):
        if tag.name == "div" and (tag.find(_BLOCK_TAGS) or tag.find("div") or not _own_text(tag)):
            continue  # a div is a block only when it holds text and no other block
        if tag.find_parent(["p", "li", "blockquote", "figcaption", "td", "dd"]):
            continue  # text already taken with its enclosing block
        text = " ".join(tag.get_text(" ", strip=True).split())
        if not text:
            continue
        start = tag.sourceline or 1
        end = start + str(tag).count("\n")
        hint = "h1" if tag.name == "h1" else "h2" if tag.name[0] == "h" else tag.name
        blocks.append(Block(start, end, text, hint=hint))
    return blocks, meta


def _own_text(tag: Tag) -> bool:
    """Text written directly in ``tag``, not only inside its children."""
    return any(isinstance(c, NavigableString) and c.strip() for c in tag.children)


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
