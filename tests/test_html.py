"""HTML pages: every visible text block with its raw line and reason; trafilatura, on the
markup in hand, decides which blocks are the article."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import trafilatura
import trafilatura.downloads

from helpers.build.pipeline import build
from helpers.ingest.clean import BODY_ROLES
from helpers.ingest.corpus import load_article
from helpers.ingest.html import EXTRACTOR, html_blocks, matched_shares, read_html

PAGE = """<html><head><meta property="og:site_name" content="Example Times"></head><body>
<nav><a href="/">Home</a></nav>
<article>
<h1>Turkey accused of aiding ISIS against Kurds</h1>
<p>A former member of the group told Newsweek that the two sides cooperated on the ground.</p>
<div class="related-articles"><h3>Related</h3><p>Kobani siege: what we know so far</p></div>
<div class="text">The YPG has also accused Turkey of supplying the group with weapons.</div>
<div class="wrapper"><p>Turkey has denied the claims, calling them baseless and malicious.</p></div>
</article>
<footer><p>© 2014 Example Times. All rights reserved.</p></footer>
</body></html>
"""

# An article inside containers whose class names hold chrome words (sidebar, nav, modal,
# widget), next to a real sidebar and a footer.
SIDEBAR_CLASSES = """<!doctype html>
<html><head><title>Border crossing closed to aid convoys | Example Times</title>
<meta property="og:site_name" content="Example Times">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2019-10-13T10:00:00Z">
</head><body>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<div class="l-sidebar-fixed">
<article class="story has-section-nav modal-enabled">
<h1>Border crossing closed to aid convoys</h1>
<div class="elementor-widget-container">
<p>Kurdish officials said on Sunday that the main border crossing had been closed to aid
convoys for three weeks, leaving the town short of food and medicine.</p>
<p>The closure was ordered after shelling near the gate, according to a statement from the
local council, which said that more than forty trucks were waiting on the other side.</p>
<p>Aid agencies said they had asked both governments to reopen the crossing at once,
warning that stocks of flour in the town would run out within days.</p>
</div>
</article>
</div>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Ten things to know about the
election</a></li><li><a href="/b">Football results</a></li></ul></aside>
<footer><p>© 2019 Example Times. All rights reserved.</p></footer>
</body></html>
"""

# An ASP.NET-style page: everything inside one <form>.
WHOLE_PAGE_FORM = """<html><head><title>Council approves new budget</title></head><body>
<form method="post" action="./story.aspx" id="aspnetForm">
<div class="header"><a href="/">Home</a> <a href="/news">News</a></div>
<div id="content">
<h1>Council approves new budget</h1>
<p>The city council approved a new budget on Tuesday evening after a debate that lasted
more than four hours and drew dozens of residents to the chamber.</p>
<p>The budget raises spending on road repairs by a fifth and keeps property taxes at last
year's rate, the council's finance chair said after the vote.</p>
<p>Two members voted against it, saying that the plan relied on optimistic forecasts of
sales tax revenue that might not hold if the economy slowed.</p>
</div>
</form>
</body></html>
"""

# Text written straight into a div with <br> breaks, the div also holding a child block.
BR_TEXT = """<html><head><title>Floods hit the valley</title>
<script>
var tracker = "not text";
</script></head><body>
<h1>Floods hit the valley</h1>
<div class="post-body">Heavy rain flooded the valley overnight, forcing hundreds of
families to leave their homes before dawn on Monday.<br>
<br>
Rescue teams used boats to reach villages cut off by the water, and the regional governor
said that two bridges had been washed away.<br><br>
Forecasters expect more rain later in the week, and schools in the area will stay closed
until at least Thursday, officials said.
<div class="photo"><p>Residents wade through a flooded street.</p></div>
</div>
<template><p>Hidden template text</p></template>
<p hidden>Hidden paragraph</p>
</body></html>
"""


def content(blocks) -> list[str]:
    return [b.text for b in blocks if b.is_body]


def test_text_in_leaf_divs_is_kept_and_chrome_containers_are_not_content() -> None:
    page = read_html(PAGE)
    kept = [(b.line_start, b.text[:20]) for b in page.blocks if b.is_body]
    assert kept == [
        (4, "Turkey accused of ai"),
        (5, "A former member of t"),
        (7, "The YPG has also acc"),
        (8, "Turkey has denied th"),
    ]
    # the related list and the footer are blocks, with a reason, but not content
    dropped = {b.text: b.reason for b in page.blocks if not b.is_body}
    assert {"Home", "Related", "Kobani siege: what we know so far"} <= set(dropped)
    assert "© 2014 Example Times. All rights reserved." in dropped
    assert page.meta["outlet"] == "Example Times"


def test_an_article_in_containers_with_chrome_class_names_is_kept() -> None:
    page = read_html(SIDEBAR_CLASSES)
    kept = content(page.blocks)
    assert kept[0] == "Border crossing closed to aid convoys"
    assert [t[:20] for t in kept[1:]] == [
        "Kurdish officials sa",
        "The closure was orde",
        "Aid agencies said th",
    ]
    by_text = {b.text: b for b in page.blocks}
    assert not by_text["Most read"].is_body and not by_text["Football results"].is_body
    assert by_text["Home"].role == "boilerplate"


def test_a_page_wrapped_in_one_form_is_kept() -> None:
    page = read_html(WHOLE_PAGE_FORM)
    kept = content(page.blocks)
    assert kept[0] == "Council approves new budget"
    assert len(kept) == 4 and kept[-1].startswith("Two members voted against it")
    assert "Home News" in {b.text for b in page.blocks if not b.is_body}


def test_br_separated_text_in_a_div_with_a_child_block_is_emitted() -> None:
    blocks, _ = html_blocks(BR_TEXT)
    assert [(b.line_start, b.line_end, b.hint, b.text[:20]) for b in blocks] == [
        (5, 5, "h1", "Floods hit the valle"),
        (6, 7, "div", "Heavy rain flooded t"),
        (9, 10, "div", "Rescue teams used bo"),
        (11, 12, "div", "Forecasters expect m"),
        (13, 13, "p", "Residents wade throu"),
    ]
    # scripts, templates and hidden elements are not shown, so they are no blocks
    assert not any("not text" in b.text or "Hidden" in b.text for b in blocks)
    kept = content(read_html(BR_TEXT).blocks)
    assert [t[:12] for t in kept[1:4]] == ["Heavy rain f", "Rescue teams", "Forecasters "]


@pytest.mark.parametrize("markup", [PAGE, SIDEBAR_CLASSES, WHOLE_PAGE_FORM, BR_TEXT])
def test_every_block_has_its_source_line_and_a_reason(markup: str) -> None:
    lines = markup.split("\n")
    page = read_html(markup)
    for b in page.blocks:
        assert b.reason and b.role
        assert 1 <= b.line_start <= b.line_end <= len(lines)
        first, last = b.text.split()[0], b.text.split()[-1]
        assert first in lines[b.line_start - 1], (b.line_start, b.text)
        assert last in lines[b.line_end - 1], (b.line_end, b.text)
        assert EXTRACTOR in b.reason  # every reason says what trafilatura made of it
    # the text of every visible element is in some block
    visible = " ".join(b.text for b in page.blocks)
    for word in ("Home", "Related", "Most", "©", "Residents"):
        assert word in visible or word not in markup


def test_reasons_say_where_the_kit_and_trafilatura_disagree() -> None:
    page = read_html(SIDEBAR_CLASSES)
    by_text = {b.text: b for b in page.blocks}
    # the kit's rules read the sidebar's teaser as a paragraph; trafilatura left it out
    teaser = by_text["Ten things to know about the election"]
    assert not teaser.is_body
    assert "not in trafilatura" in teaser.reason
    body = [b for b in page.blocks if b.role == "body"]
    assert all("in trafilatura 2.3.1's article text" in b.reason for b in body)
    assert all(
        b.role not in BODY_ROLES or "article text" in b.reason or "title" in b.reason
        for b in page.blocks
    )


def test_split_joined_and_moved_paragraphs_match_their_blocks() -> None:
    blocks, _ = html_blocks(
        "<p>One two three four five six.</p><p>Seven eight nine ten eleven.</p>"
        "<p>Alpha beta gamma delta epsilon.</p><li>Share</li><p>Zeta eta theta iota.</p>"
    )
    # joined ("six. Seven"), split ("Alpha beta" | "gamma delta epsilon"), moved ("Zeta")
    extracted = "Zeta eta theta iota.\nOne two three four five six. Seven eight nine ten eleven.\n"
    extracted += "Alpha beta\ngamma delta epsilon."
    assert matched_shares(blocks, extracted) == [1.0, 1.0, 1.0, 0.0, 1.0]
    # a stray pair of common words is no match
    assert matched_shares(blocks, "the five six of it") == [0.0] * 5


def test_metadata_comes_from_trafilatura_with_its_evidence_and_the_manifest_wins(
    tmp_path: Path,
) -> None:
    page = read_html(SIDEBAR_CLASSES)
    assert page.meta["author"] == "Jane Doe"
    assert page.meta["published"] == "2019-10-13"
    assert page.meta["outlet"] == "Example Times"
    assert page.meta["headline"] == "Border crossing closed to aid convoys"
    assert page.evidence["author"] == f"page metadata read by {EXTRACTOR} 'Jane Doe'"
    (tmp_path / "page.html").write_text(SIDEBAR_CLASSES, encoding="utf-8")
    art = load_article(tmp_path / "page.html", tmp_path, "page", {"author": "John Roe"})
    assert art.author == "John Roe" and art.published == "2019-10-13"
    assert art.headline == "Border crossing closed to aid convoys"
    assert f"published: page metadata read by {EXTRACTOR} '2019-10-13'" in art.evidence
    assert art.evidence[-1] == "author: manifest"


def test_a_page_trafilatura_finds_nothing_in_falls_back_to_the_kit_with_a_reason() -> None:
    paragraph = "The council met on Tuesday and voted to close the bridge, officials said."
    page = read_html(f'<html><body><div class="cookie-banner">{paragraph}</div></body></html>')
    [block] = page.blocks
    assert block.role == "body"
    assert block.reason == f"prose; {EXTRACTOR} found no article text: the kit's rules decide"


def test_a_build_never_fetches(monkeypatch, tmp_path: Path) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError(f"network call during a build: {args!r}")

    for module in (trafilatura, trafilatura.downloads):
        for name in ("fetch_url", "fetch_response", "_send_urllib_request", "_send_pycurl_request"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, markup in [("a.html", SIDEBAR_CLASSES), ("b.html", WHOLE_PAGE_FORM)]:
        (raw / name).write_text(markup, encoding="utf-8")
    tables = build(raw, tmp_path / "out", progress=False, use_cache=False)
    arts = tables["articles"].set_index("doc_id")
    assert (arts["status"] == "ok").all()
    assert arts.loc["b", "text"].startswith("Council approves new budget\n\nThe city council")
