"""The layout of a copied page: where the article starts and ends, and which line is its
headline, on invented pages (outlets and people made up for the kit)."""

from __future__ import annotations

from pathlib import Path

from helpers.ingest.clean import classify_blocks, clean_lines, split_blocks
from helpers.ingest.corpus import load_article

PARAGRAPHS = [
    "The water board said on Tuesday that the reservoir above the village had fallen to a "
    "third of its usual level after the driest spring in forty years.",
    "Farmers in the valley have been told they may not draw water for their fields until "
    "the level rises, a rule that applies for the first time since 1976.",
    "“We have never seen the banks this bare,” said Oskar Lind, who keeps sheep on the "
    "slopes above the dam. “The children walk where the fish used to be.”",
    "The board said rain forecast for the weekend would not be enough to lift the ban, "
    "which will be reviewed at the end of the month.",
]
HEADLINE = "Reservoir falls to a third as drought ban reaches the valley farms"


def content(text: str) -> list[str]:
    return [b.text for b in clean_lines(text) if b.is_body]


def rules(text: str) -> dict[str, str]:
    return {b.text: b.rule for b in clean_lines(text)}


def test_a_sidebar_heading_does_not_end_an_article_whose_paragraphs_continue() -> None:
    lists = ["Most Popular", "Mayor opens the new bridge", "Ten walks for the summer"]
    text = "\n".join([HEADLINE, "", PARAGRAPHS[0], "", *lists, "", *PARAGRAPHS[1:]])
    assert content(text) == [HEADLINE, *PARAGRAPHS]


def test_a_sidebar_heading_still_ends_an_article_when_only_teasers_follow() -> None:
    tail = ["Most Popular", "Mayor opens the new bridge", "Ten walks for the summer"]
    text = "\n".join([HEADLINE, "", *PARAGRAPHS, "", *tail])
    assert content(text) == [HEADLINE, *PARAGRAPHS]


def test_a_byline_after_the_first_paragraph_does_not_end_the_article() -> None:
    text = "\n".join([HEADLINE, "", PARAGRAPHS[0], "", "By Mira Sandoval", "", *PARAGRAPHS[1:]])
    assert content(text) == [HEADLINE, *PARAGRAPHS]


def test_the_headline_is_the_title_over_the_article_not_a_teaser_above_it() -> None:
    teaser = [
        "Library to open on Sundays from June",
        "The council will pay for the extra hours from its culture budget.",
    ]
    text = "\n".join([*teaser, "", HEADLINE, "By Mira Sandoval", "3 May 2022", "", *PARAGRAPHS])
    blocks = clean_lines(text)
    assert [b.text for b in blocks if b.role == "headline"] == [HEADLINE]
    assert [b.text for b in blocks if b.is_body] == [HEADLINE, *PARAGRAPHS]


def test_a_long_sentence_case_headline_over_a_names_line_is_the_headline() -> None:
    headline = "The night the valley ran dry, and why the warnings came a year too late"
    summary = "A drought ban was always coming. What nobody said was how little time was left."
    text = "\n".join(["Valley Voice", "News", "Opinion", "Sport", "", headline, "Mira Sandoval"])
    text += "\n" + "\n".join([summary, "3 May 2022", "", *PARAGRAPHS])
    blocks = clean_lines(text)
    assert [b.text for b in blocks if b.role == "headline"] == [headline]
    assert [b.text for b in blocks if b.is_body] == [headline, summary, *PARAGRAPHS]


def test_menu_runs_toolbars_taglines_dates_and_banners_are_never_the_headline() -> None:
    top = [
        "We care about your privacy",
        "We and our 140 partners store and access information on your device, such as "
        "cookies, to measure how the site is used.",
        "Accept all",
        "Valley Voice",
        "The valley's news, every day since 1952, from the people who live here.",
        "Home",
        "News",
        "Sport",
        "News Opinion Sport Culture Travel",
        "MAY 3, 2022 / 4:37 PM / UPDATED 2 YEARS AGO",
        "Download   Print   Email   Save to folder",
        "",
        HEADLINE,
        "3 May 2022",
        "",
    ]
    blocks = clean_lines("\n".join([*top, *PARAGRAPHS]))
    assert [b.text for b in blocks if b.role == "headline"] == [HEADLINE]
    assert [b.text for b in blocks if b.is_body] == [HEADLINE, *PARAGRAPHS]


def test_the_url_slug_names_the_headline(tmp_path: Path) -> None:
    other = "Library to open on Sundays from June after a vote"
    text = "\n".join([other, "", HEADLINE, "", *PARAGRAPHS])
    blocks = classify_blocks(split_blocks(text))
    assert [b.text for b in blocks if b.role == "headline"] == [other]
    slug = "https://valley.example/news/2022/05/reservoir-falls-to-a-third-as-drought-ban-bites"
    blocks = classify_blocks(split_blocks(text), url=slug)
    assert [b.text for b in blocks if b.role == "headline"] == [HEADLINE]
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    art = load_article(tmp_path / "page.txt", tmp_path, "page", {"url": slug})
    assert art.headline == HEADLINE


def test_a_list_of_teaser_cards_inside_the_page_is_chrome() -> None:
    cards = []
    for title, stamp, summary in [
        ("Mayor opens the new bridge", "2h ago", "The bridge links the two halves of the town."),
        ("School wins the county cup", "5h ago", "Pupils beat last year's winners by three goals."),
        (
            "Bakery closes after ninety years",
            "1 day ago",
            "The owners say they are retiring in May.",
        ),
    ]:
        cards += [title, stamp, summary]
    more = "Water will be brought to the farms by tanker from next week, the board said."
    text = "\n".join(
        [HEADLINE, "", *PARAGRAPHS[:2], "", *cards, "Advertisement", "", *PARAGRAPHS[2:]]
    )
    text += "\n" + more
    found = rules(text)
    assert found["The bridge links the two halves of the town."] == "teaser_card"
    assert found["Pupils beat last year's winners by three goals."] == "teaser_card"
    assert found["2h ago"] == "page_chrome"
    assert content(text) == [HEADLINE, *PARAGRAPHS, more]
    # the same list with nothing of the article below it ends the article
    text = "\n".join([HEADLINE, "", *PARAGRAPHS, "", *cards])
    assert content(text) == [HEADLINE, *PARAGRAPHS]
    assert rules(text)["The bridge links the two halves of the town."] == "after_end"


def test_single_paragraphs_under_subheadings_are_no_teaser_cards() -> None:
    sections = []
    for heading, paragraph in zip(
        ["What the board says", "What the farmers say", "What happens next"],
        PARAGRAPHS[1:],
        strict=True,
    ):
        sections += [heading, paragraph]
    text = "\n".join([HEADLINE, "", PARAGRAPHS[0], "", *sections])
    assert content(text) == [HEADLINE, PARAGRAPHS[0], *sections]


def test_a_caption_label_marks_the_next_block_as_a_caption_wherever_it_stands() -> None:
    caption = "Farmers at the dry bed of the reservoir on Monday, as the ban began"
    for label in ["Image caption", "Media caption,", "Photograph:", "Image source"]:
        text = "\n".join([HEADLINE, "", *PARAGRAPHS[:2], "", label, caption, "", *PARAGRAPHS[2:]])
        found = {b.text: (b.role, b.rule) for b in clean_lines(text)}
        assert found[label] == ("caption", "caption_label")
        assert found[caption] == ("caption", "labelled_caption")
        assert content(text) == [HEADLINE, *PARAGRAPHS]


def test_appeals_prompts_contributor_lines_and_bios_are_not_the_article() -> None:
    chrome = [
        "You have reached your limit of free articles",
        "Subscribe to the Valley Voice for just £1 a week and read without limits.",
        "Already a subscriber? Log in",
        "We noticed you are using an ad blocker. Please turn it off to keep reading.",
        "Was this article helpful?",
        "Do you know more? Email tips@valley.example or call the newsdesk.",
    ]
    closing = [
        "Sandoval reported from Ashby. Tomas Reyes in Kerrow contributed to this report.",
        "Mira Sandoval is a former water engineer and writes a weekly column for the Voice.",
    ]
    text = "\n".join([HEADLINE, "", *PARAGRAPHS[:2], "", *chrome, "", *PARAGRAPHS[2:], *closing])
    blocks = clean_lines(text)
    assert [b.text for b in blocks if b.is_body] == [HEADLINE, *PARAGRAPHS]
    assert {b.text: b.rule for b in blocks}[closing[1]] == "author_bio"


def test_the_end_of_a_press_release_ends_it_though_notes_follow() -> None:
    notes = [
        "1. Oskar Lind is available for interview on the number below until Friday.",
        "2. The figures come from the water board's weekly reports since January 2021.",
        "3. Photographs of the reservoir may be used with the credit of the board.",
    ]
    text = "\n".join([HEADLINE, "", *PARAGRAPHS, "", "Ends", "", "Notes to editors", *notes])
    assert content(text) == [HEADLINE, *PARAGRAPHS]


def test_teaser_cards_whose_titles_read_like_sentences_are_chrome_too() -> None:
    cards = []
    for title, date in [
        ("Why the valley farmers are selling their sheep before the winter comes", "3 May 2022"),
        ("How the water board decides who may draw water from the river", "2 May 2022"),
        ("What the drought means for the price of milk in the valley shops", "1 May 2022"),
    ]:
        summary = f"The board's figures, and what they mean: a report published on {date}."
        cards += [title, date, summary, "Read More"]
    text = "\n".join([HEADLINE, "", *PARAGRAPHS, "", *cards])
    assert content(text) == [HEADLINE, *PARAGRAPHS]


def test_a_reposts_link_to_the_original_ends_it_and_forum_furniture_is_chrome() -> None:
    replies = [
        "Link: https://valley.example/news/reservoir-falls",
        "Sad to see. We used to swim there every summer when I was a boy, it was always full.",
        "« Last Edit: May 3, 2022, 08:21:03 AM by hillwalker »",
        "Logged",
        "« Reply #1 on: May 3, 2022, 09:40:02 AM »",
        "The board should have started the ban in March, everyone in the valley knew it.",
        "They always wait too long, and then the farmers pay for it as they did in 1976.",
        "Nobody listens to the people who actually live by the water, that is the problem.",
    ]
    text = "\n".join([HEADLINE, "", *PARAGRAPHS, *replies])
    blocks = clean_lines(text)
    assert [b.text for b in blocks if b.is_body] == [HEADLINE, *PARAGRAPHS]
    assert {b.text: b.rule for b in blocks}["Logged"] == "page_chrome"
