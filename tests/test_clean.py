"""Rules of the line classifier, on messy lines taken from real pages and invented ones."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers.ingest.clean as clean
from helpers.annotate.article import annotate_documents
from helpers.build.rows import INPUT_COLUMNS, block_rows
from helpers.ingest.clean import (
    REASONS,
    Block,
    block_features,
    clean_lines,
    is_prose,
    split_blocks,
)
from helpers.ingest.corpus import Article
from helpers.ingest.html import read_html
from helpers.schema import BlockRule


def roles(text: str) -> dict[int, str]:
    return {b.line_start: b.role for b in clean_lines(text)}


ARTICLE = [
    "Turkey an ‘ally’ in fight against Kurds",
    "",
    "A former member of the group told the magazine that the two sides cooperated on the "
    "ground and shared a common enemy in the Kurds.",
    "",
]


def page(*tail: str) -> str:
    return "\n".join([*ARTICLE, *tail])


def test_headline_and_prose_are_content() -> None:
    r = roles(page())
    assert (r[1], r[3]) == ("headline", "body")


def test_a_short_quoted_line_is_prose_once_its_clitics_are_split() -> None:
    # “It’s a lie.” is four words, three of them function words
    features = block_features("“It’s a lie.”")
    assert features["n_words"] == 4 and is_prose(features)
    assert block_features("Turkey’s border is shut.")["n_words"] == 4  # a possessive stays


def test_a_line_wholly_inside_quotation_marks_is_a_pull_quote_or_an_answer() -> None:
    text = page("“Nothing.”", "", "‘There isn’t one.’", "", "« previous next »", "", MORE)
    rules = {b.line_start: b.rule for b in clean_lines(text)}
    assert rules[5] == "quoted_line" and roles(text)[7] == "body"
    assert rules[9] != "quoted_line"  # forums draw arrows with guillemets
    assert roles(page("“Yes,” she said.", "", MORE))[5] == "body"  # after its opening mark


def test_a_short_block_after_a_colon_is_the_material_it_introduces() -> None:
    r = roles(page("The order told residents:", "", "Leave now. Go east.", "", MORE))
    assert r[7] == "blockquote"


def test_a_comment_counter_under_the_byline_does_not_end_the_article() -> None:
    text = "\n".join(
        [
            ARTICLE[0],
            "Drivers describe long waits at the checkpoint",
            "By Jane Doe",
            "212 comments",
            *[f"{MORE[:-1]} on day {n}." for n in range(1, 5)],
            "212 comments",
            "Great article, thanks for writing it up so clearly for us all.",
        ]
    )
    r = roles(text)
    assert [r[n] for n in range(5, 9)] == ["body"] * 4
    assert r[10] == "boilerplate"  # the counter under the text still ends it


def test_a_paragraph_the_page_repeats_is_a_copy() -> None:
    r = roles(page(MORE, "", "A caption. Picture: Jane Doe", "", MORE, "", MORE[:-1] + " again."))
    assert (r[5], r[7], r[9], r[11]) == ("body", "caption", "boilerplate", "body")


def test_quote_missing_its_opening_mark_is_kept() -> None:
    r = roles(page("I rarely heard them speak in Arabic, they mostly spoke in Turkish.”"))
    assert r[5] == "body"


def test_share_counters_and_reading_widgets_are_chrome() -> None:
    text = "\n".join(
        [
            "Reading Time: 6 mins read",
            "170 2",
            "A A",
            "0",
            "319",
            "SHARES",
            "2.5k",
            "VIEWS",
            "Share on FacebookShare on Twitter",
            "",
            *ARTICLE,
        ]
    )
    r = roles(text)
    assert all(r[n] == "boilerplate" for n in range(1, 10))
    assert r[13] == "body"


def test_glued_teaser_line_after_related_marker_is_chrome() -> None:
    glued = " ".join(
        [
            "Ministry offers 35.000 medical services to people who came from abroad",
            "Syrian team won 8 medals in World Masters Championship in South Africa",
            "Zionist occupation continues its wide-scale onslaught and bombard...",
            "UNIFIL: Any Deliberate Attack on Peacekeepers Constitutes a Human...",
            "Mexican President calls for the recognition of the State",
        ]
        * 2
    )
    r = roles(page("You might also like", "Latest news", glued))
    assert r[5] == r[6] == r[7] == "boilerplate"


def test_glued_teaser_line_is_chrome_even_without_a_marker() -> None:
    glued = " ".join(
        [
            "Leaders Meet In Geneva To Discuss Syrian Ceasefire Plan Talks...",
            "Oil Prices Fall Again As Markets React To Iran Sanctions News...",
            "Football Club Signs Star Striker In Record Transfer Deal Today...",
        ]
        * 2
    )
    assert roles(page(glued))[5] == "boilerplate"


def test_comment_form_ends_the_article() -> None:
    r = roles(page("Leave a Reply", "", "Great article, thanks for writing it up so clearly!"))
    assert r[5] == r[7] == "boilerplate"


def test_a_comment_counter_under_the_byline_leaves_the_paragraphs_below_it() -> None:
    paragraphs = [
        "The harbour board said on Monday that the new ferry would run twice a day from May.",
        "Passengers had waited three years for the service, which was cut after a storm.",
        "The board's chair said the timetable would be reviewed after the first summer.",
        "Fares will stay at their current level until the end of next year, the board said.",
    ]
    text = "\n\n".join(
        [
            "FERRY IS BACK? Board says island crossings ‘will run twice a day’ from May",
            "Exclusive: Islanders describe three years without a crossing as the board "
            "promises two a day from May",
            "By ANNA MORROW, TRANSPORT CORRESPONDENT",
            "Published: 10:02 GMT, 4 March 2024 | Updated: 11:40 GMT, 4 March 2024",
            "Share 1.2k",
            "87 comments",
            *paragraphs,
            "12 comments",
            "What a relief, we have waited long enough for this ferry to come back.",
        ]
    )
    r = roles(text)
    assert (r[5], r[7], r[11]) == ("byline", "dateline", "boilerplate")
    assert [r[n] for n in (13, 15, 17, 19)] == ["body"] * 4
    assert r[21] == r[23] == "boilerplate"  # a counter under the last paragraph still ends it


def test_subheading_between_paragraphs_is_content_caption_label_is_not() -> None:
    r = roles(
        page(
            "Arms",
            "",
            "More evidence emerged that appeared to provide details of "
            "similar operations in the same year.",
            "",
            "IS parade 55",
            "",
            "The detained officers were also involved in an operation that went public.",
        )
    )
    assert (r[5], r[7], r[9], r[11]) == ("subheading", "body", "caption", "body")


def test_embedded_tweet_with_attribution_is_kept_bare_url_is_not() -> None:
    r = roles(
        page(
            "https://twitter.com/someone/status/1183039968169648128?s=20",
            "",
            "Turkish bombardment on civilians on the road. pic.twitter.com/XnAa4oT3bR",
            "",
            "— pyd rojava (@PYD_Rojava) October 13, 2019",
            "",
            "Meanwhile the offensive continued for a third day according to local reports.",
        )
    )
    assert (r[5], r[7], r[9], r[11]) == ("boilerplate", "embed", "embed", "body")


def test_tweet_list_lines_belong_to_the_tweet() -> None:
    r = roles(
        page(
            "Meanwhile, a report stated that over 190,000 people had been displaced:",
            "",
            "Today's update on last 24 hours, based on eyewitness reports from the ground:",
            "",
            "– 190,000 now displaced",
            "– Some regions almost entirely displaced",
            "– In Kobane civilians protest pic.twitter.com/HSh7z0PWwS",
            "",
            "— Rojava Information Center (@RojavaIC) October 12, 2019",
        )
    )
    assert r[5] == "body"
    assert {r[n] for n in (7, 9, 10, 11, 13)} == {"embed"}


def test_tail_credits_are_not_content() -> None:
    r = roles(page("RT", "", "M. Al-Ibrahim"))
    assert r[5] == r[7] == "credit"


def test_authors_comment_is_content() -> None:
    r = roles(
        page(
            "Author's comment: This overt support is yet another reason why the "
            "country should never have been considered an ally.",
            "",
            "",
            "Share this video on social media:",
        )
    )
    assert (r[5], r[8]) == ("body", "boilerplate")


def test_repeated_headline_is_dropped_once() -> None:
    text = "\n".join(
        [
            "Former Member Claims Turkey Is Allied with the Group",
            "",
            "Former Member Claims Turkey Is Allied with the Group",
            "",
            *ARTICLE[2:],
        ]
    )
    r = roles(text)
    assert (r[1], r[3], r[5]) == ("headline", "boilerplate", "body")


def test_sentence_headline_before_byline_and_date() -> None:
    text = "\n".join(
        [
            "• Menu",
            "• News",
            "• Login",
            "",
            "When jihadists link up with Daesh, there’s only one outcome. And it’s begun.",
            "",
            "Tom Coburg by Tom Coburg",
            "13 October 2019",
            "",
            *ARTICLE[2:],
        ]
    )
    r = roles(text)
    assert (r[5], r[7], r[8], r[10]) == ("headline", "byline", "dateline", "body")


def test_hard_wrapped_paragraph_is_one_block_with_its_line_span() -> None:
    para = [
        "Residents of the Syrian border town of Kobani began returning on",
        "Wednesday, two days after Kurdish fighters declared victory over the",
        "Islamic State group following a four-month siege that drew US-led",
        "air strikes and global attention from the rest of the world.",
    ]
    text = "\n".join(["border residents return", "", *para, "", *para, "", *para])
    blocks = split_blocks(text)
    assert [(b.line_start, b.line_end) for b in blocks] == [(1, 1), (3, 6), (8, 11), (13, 16)]
    assert blocks[1].text.startswith("Residents") and blocks[1].text.endswith("world.")


def test_bulleted_sentences_inside_the_article_stay() -> None:
    r = roles(
        page(
            "• Turkish forces have crossed the border at three points, officials said.",
            "• At least eight civilians were killed in the first day of fighting.",
            "",
            "The offensive follows the withdrawal of US troops from the border area.",
        )
    )
    assert r[5] == r[6] == "body"


LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=80
)


@settings(max_examples=150, deadline=None)
@given(st.lists(LINE, max_size=30))
def test_every_nonblank_line_lands_in_exactly_one_block(lines: list[str]) -> None:
    text = "\n".join(lines)
    covered = [n for b in clean_lines(text) for n in range(b.line_start, b.line_end + 1)]
    expected = [n for n, line in enumerate(lines, start=1) if line.strip()]
    assert covered == expected


def test_the_line_introducing_an_embedded_post_is_the_authors() -> None:
    r = roles(
        page(
            "The spokesman wrote on Twitter:",
            "Factions are executing civilians on the highway. pic.twitter.com/Qw3rTy",
            "— Mustafa Bali (@mustefabali) 13 October 2019",
        )
    )
    assert (r[5], r[6], r[7]) == ("body", "embed", "embed")


# --- rules: the keys code decides on, beside the reasons people read ------------------

RULES = set(get_args(BlockRule))
PAGES = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.txt"))
PARAGRAPH = "<p>Kurdish officials said the crossing had been closed to aid convoys for weeks.</p>"
GLUED = " ".join(
    [
        "Leaders Meet In Geneva To Discuss Syrian Ceasefire Plan Talks...",
        "Oil Prices Fall Again As Markets React To Iran Sanctions News...",
        "Football Club Signs Star Striker In Record Transfer Deal Today...",
    ]
    * 2
)
HEADLINE = "Former Member Claims Turkey Is Allied with the Group"
MORE = "The detained officers were also involved in an operation that went public."
# A page for each rule that no fixture page reaches (HTML where only markup gives it).
BEYOND_FIXTURES: dict[str, str] = {
    "bare_url": page("https://example.com/some/path"),
    "glued_teasers": page(GLUED),
    "menu_item": page("• Kobani siege"),
    "no_words": page("…"),
    "repeated_headline": "\n".join([HEADLINE, "", HEADLINE, "", *ARTICLE[2:]]),
    "before_text": "\n".join(["— pyd rojava (@PYD_Rojava) October 13, 2019", "", *ARTICLE]),
    "image_label": page("IS parade 55", "", MORE),
    "orphan_short_line": page("Updated.", "", MORE),
    "quoted_line": page("“Nothing.”", "", MORE),
    "repeated_paragraph": page(MORE, "", MORE),
    "markup_blockquote": f"<html><body><h1>Turkey and the border</h1>\n{PARAGRAPH}\n"
    "<blockquote>We have nothing left to eat and the children are sick, she said.</blockquote>"
    f"\n{PARAGRAPH}</body></html>",
    "figure_caption": f"<html><body><h1>Turkey and the border</h1>\n{PARAGRAPH}\n"
    f"<figure><figcaption>Kurdish fighters near Kobani</figcaption></figure>\n{PARAGRAPH}"
    "</body></html>",
}
QUEUES = (
    "Residents described long queues at the only bakery still open, where bread ran out each "
    "morning before most of them reached the counter, and prices had tripled since the summer."
)
TITLED = "<html><head><title>Turkey and the border | Example News</title></head><body>"
# HTML pages where the article extractor overrules the rules
SWAPPED_HEADLINE = (
    f"{TITLED}<h2>Most read: markets rally</h2><p>By Jane Doe</p>{PARAGRAPH}"
    "<h1>Turkey and the border</h1>"
    f"<p>{QUEUES}</p>{PARAGRAPH}<p>Once more.</p></body></html>"
)
BEYOND_FIXTURES |= {
    "extracted_headline": SWAPPED_HEADLINE,
    "not_headline": SWAPPED_HEADLINE,
    "above_headline": SWAPPED_HEADLINE,
    "extracted": f"{TITLED}<article><h1>Turkey and the border</h1>{PARAGRAPH}"
    f"<p>The aid groups asked for three things:</p><ul><li>Food</li><li>Water</li>"
    f"<li>Medicine</li></ul><p>{QUEUES}</p></article></body></html>",
    "not_extracted": f"{TITLED}<article><h1>Turkey and the border</h1>{PARAGRAPH}"
    f"<p>{QUEUES}</p></article><div class='related-stories'>"
    f"<p>{QUEUES.replace('bakery', 'market')}</p></div></body></html>",
}
ATTRIBUTION = "— pyd rojava (@PYD_Rojava) October 13, 2019"
# a subheading over the link to a post, the post, its account line
TWEET_PAGE = page(
    "Attacks on the road",
    "",
    "https://twitter.com/PYD_Rojava/status/1183039968169648128",
    "",
    "Turkish bombardment on civilians on the road. pic.twitter.com/XnAa4oT3bR",
    "",
    ATTRIBUTION,
    "",
    MORE,
)
# a post of two paragraphs, the first introduced by the author's colon
COLON_POST_PAGE = page(
    "The statement from the group's leadership read in full as follows:",
    "",
    "We will defend our towns against the invasion whatever the cost to us.",
    "",
    "Our fighters are ready and our people stand with them on every front.",
    ATTRIBUTION,
)


def fixture_page(path: Path) -> str:
    """A fixture page without its two-character gold labels (see test_clean_pages)."""
    return "\n".join(line[2:] for line in path.read_text(encoding="utf-8").split("\n"))


def classified(page_text: str) -> list[Block]:
    """The classified blocks of a plain-text page or, from its markup, of an HTML page."""
    if page_text.startswith("<html"):
        return read_html(page_text).blocks
    return clean_lines(page_text)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_every_block_of_a_fixture_page_has_a_declared_rule(path: Path) -> None:
    blocks = clean_lines(fixture_page(path))
    assert {b.rule for b in blocks} <= RULES
    # and its reason is the rule's words, a chrome pattern's name filled in
    for b in blocks:
        name = b.reason.removeprefix("page chrome: ") if b.rule == "page_chrome" else ""
        assert b.reason == REASONS[b.rule].format(name=name), (b.rule, b.reason)


def test_every_rule_has_its_words() -> None:
    assert set(REASONS) == RULES


@pytest.mark.parametrize("rule", sorted(BEYOND_FIXTURES))
def test_a_rule_no_fixture_page_reaches_is_given_to_its_example(rule: str) -> None:
    assert rule in {b.rule for b in classified(BEYOND_FIXTURES[rule])}


# Rules given after the cleaner, when a page is read as an article (tests/test_language.py).
READING_RULES = {"not_english"}


def test_every_rule_of_the_vocabulary_is_given_to_some_page() -> None:
    from_pages = {b.rule for path in PAGES for b in clean_lines(fixture_page(path))}
    assert from_pages | set(BEYOND_FIXTURES) | READING_RULES == RULES


def test_rewording_every_reason_changes_no_role_or_rule(monkeypatch) -> None:
    """The cleaner's later passes (embedded posts, colon blockquotes, links above posts)
    read earlier verdicts: they must read the rule, never the words."""
    pages = [fixture_page(p) for p in PAGES] + [*BEYOND_FIXTURES.values()]
    pages += [TWEET_PAGE, COLON_POST_PAGE]

    def verdicts() -> list[list[tuple[str, str, str]]]:
        return [[(b.role, b.rule, b.reason) for b in classified(p)] for p in pages]

    before = verdicts()
    monkeypatch.setattr(clean, "REASONS", {rule: f"reworded {rule[::-1]}" for rule in REASONS})
    after = verdicts()
    assert [[v[:2] for v in p] for p in after] == [[v[:2] for v in p] for p in before]
    assert all(v[2].startswith("reworded") for p in after for v in p)


def tweet_quotes(blocks: list[Block]) -> list[dict]:
    """The quotes the annotation finds in the body blocks, passed as the build passes them."""
    rows = [r for r in block_rows(Article("a", "a.txt", blocks=blocks)) if r["is_body"]]
    return annotate_documents([[{k: r[k] for k in INPUT_COLUMNS} for r in rows]])[0]["quotes"]


def test_the_embedded_post_quote_follows_the_rule_not_the_reason() -> None:
    blocks = clean_lines(TWEET_PAGE)
    expected = tweet_quotes(blocks)
    tweets = [q for q in expected if q["kind"] == "tweet"]
    assert [(q["speaker"], q["text"][:9]) for q in tweets] == [("pyd rojava", "Turkish b")]
    for b in blocks:
        b.reason = "reworded"
    assert tweet_quotes(blocks) == expected
    attribution = next(b for b in blocks if b.rule == "post_attribution")
    attribution.rule = "prose"  # the same words, another rule: no post any more
    assert not [q for q in tweet_quotes(blocks) if q["kind"] == "tweet"]
