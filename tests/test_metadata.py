from __future__ import annotations

import pytest

from helpers.ingest.metadata import byline_name, find_date, is_date_line, parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("November 8, 2014", "2014-11-08"),
        ("13 October 2019", "2019-10-13"),
        ("Saturday, December 14, 2024", "2024-12-14"),
        ("Nov. 7, 2014", "2014-11-07"),
        ("Sept 3rd, 2015", "2015-09-03"),
        ("2019-08-06", "2019-08-06"),
        ("reported Newsweek on 7 November 2014, adding", "2014-11-07"),
        ("2014-11-08T10:05:00+03:00", "2014-11-08"),
        ("25/11/2014", "2014-11-25"),
        ("11/25/2014", "2014-11-25"),
        ("On 11/7/14 at 1:05 PM EST", "2014-11-07"),
    ],
)
def test_dates_parse_to_iso(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text",
    ["31 February 2019", "Tuesday 06 August", "2019-13-45", "08/11/2014", "soon", "", None, "nan"],
)
def test_malformed_or_partial_dates_are_null(text) -> None:
    assert parse_date(text) is None


def test_find_date_keeps_its_evidence() -> None:
    found = find_date("Updated on 9 October 2019 at 14:32")
    assert found is not None
    assert (found.value, found.evidence) == ("2019-10-09", "9 October 2019")


@pytest.mark.parametrize(
    "line",
    [
        "November 8, 2014",
        "Tuesday 06 August",
        "Updated: 9 October 2019, 14:32 BST",
        "Posted on January 28, 2015 by admin",
        "14:05, 29 May 2015",
        "8 November 2014 Saturday, 10:05",
        "Published: 07 Nov 2014 | 15:41 GMT",
        "Last Modified: Nov 8, 2014 10:05 AM",
        "2014-11-08T10:05:00+03:00",
        "08/11/2014 12:03",
        "10.11.2014",
    ],
)
def test_date_lines(line: str) -> None:
    assert is_date_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Tuesday 06 August - US Defence officials fingered Turkey",
        "In 2014, a former technician told Newsweek:",
        "Version 3.8.0 of the model",
        "14:05 is when the convoy crossed, on 29 May 2015",
    ],
)
def test_sentences_with_dates_are_not_date_lines(line: str) -> None:
    assert not is_date_line(line)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("By Tom Coburg", "Tom Coburg"),
        ("Tom Coburg by Tom Coburg", "Tom Coburg"),
        ("by The Canary", "The Canary"),
        ("By Jane Smith, Middle East Correspondent", "Jane Smith"),
        ("Author: M. Al-Ibrahim", "M. Al-Ibrahim"),
        ("By contrast, Turkey said nothing.", None),
        ("By 2015 the group held Raqqa", None),
        ("By Barney Guiton On 11/7/14 at 1:05 PM EST", "Barney Guiton"),
        ("By Tom Perry and Dominic Evans | Reuters", "Tom Perry"),
        ("By Patrick Cockburn @indyworld", "Patrick Cockburn"),
        ("BYLINE: Fazel Hawramy in Istanbul", "Fazel Hawramy"),
        ("Posted by Mark Campbell at 10:41 AM", "Mark Campbell"),
        ("November 9, 2014 by Daniel Rees", "Daniel Rees"),
        ("By Adam Withnall - Friday 07 November 2014 16:30 GMT", "Adam Withnall"),
        ("By Middle East Eye staff", "Middle East Eye staff"),
        ("By Sunday, 8 November 2014, the town had fallen", None),
    ],
)
def test_bylines(line: str, name: str | None) -> None:
    assert byline_name(line) == name
