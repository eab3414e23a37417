"""HTML pages: block elements with their raw lines, chrome containers dropped."""

from __future__ import annotations

from helpers.ingest.clean import classify_blocks
from helpers.ingest.html import html_blocks

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


def test_text_in_leaf_divs_is_kept_and_chrome_containers_are_not() -> None:
    blocks, meta = html_blocks(PAGE)
    classify_blocks(blocks)
    content = [(b.line_start, b.text[:20]) for b in blocks if b.is_body]
    assert content == [
        (4, "Turkey accused of ai"),
        (5, "A former member of t"),
        (7, "The YPG has also acc"),
        (8, "Turkey has denied th"),
    ]
    assert meta["outlet"] == "Example Times"
