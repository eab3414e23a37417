"""Dates and bylines found in page text, each with the evidence it was read from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}[,،]?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+{_MONTH}[,،]?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
]
# A date with no year ("Tuesday 06 August"): evidence, but not enough for an ISO date.
_PARTIAL_DATES = (
    re.compile(rf"^{_WEEKDAY}{_DAY}\s+{_MONTH}(?!\w)", re.I),
    re.compile(rf"^{_WEEKDAY}{_MONTH}\s+{_DAY}(?!\w)", re.I),
)
# A clock time after a date: "14:32 BST", "at 1:05 PM EST", "| 15:41 GMT", "T10:05:00+03:00".
_CLOCK = (
    r"\d{1,2}[:.]\d\d(?::\d\d(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*"
    r"(?:Z|[+-]\d\d:?\d\d|[A-Z]{2,4}(?:[+-]\d{1,2})?)?"
)
_TIME = rf"(?:(?:\s*[,|•·–—-]\s*|\s+at\s+|\s+|T){_CLOCK})?"
# a time before the date ("14:05, 29 May 2015"): with a colon only, as "10.11.2014" is a date
_LEADING_TIME = re.compile(
    r"^\d{1,2}:\d\d\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?\s*[,|•·–—-]?\s*", re.I
)
_TRAILING_WEEKDAY = r"(?:,?\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)?"
_DATE_LINE_PREFIX = (
    r"(?:(?:published|posted|updated|last updated|last modified|modified|first published|edited"
    r"|created|date)(?: time| on| at)?:?\s*)?"
)
# Day and month in figures ("08/11/2014", "11/7/14", "10.11.2014"): a date line either way,
# a calendar date when the order is unambiguous or the form is the US "m/d/yy".
_NUMERIC_DATE = re.compile(
    r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<year>(?:19|20)?\d\d)(?![\d/.]*\d)"
)

_BY_SUFFIX = r"(?:\s+by\s+[\w .'’-]{1,40})?\s*"  # "Posted on 8 May 2015 by admin"
_NAME = (
    r"(?:[A-Z][\w’'.-]*|de|van|von|al|bin|el|la|le"
    r"|staff|reporters?|correspondents?|writers?|desk|team|editors?)"
)
_NAMES = rf"{_NAME}(?:\s+{_NAME}){{0,4}}"  # one person's name
_MORE_NAMES = rf"(?:\s*(?:,|and|&)\s*{_NAME}(?:\s+{_NAME}){{0,3}})*$"  # ", X and Y" to the end
_BYLINE = re.compile(
    rf"^(?:(?i:written|posted|reported|words|story|text)\s+)?(?i:by):?\s+(?P<name>{_NAMES})"
    + _MORE_NAMES
)
_NAME_BY_NAME = re.compile(rf"^(?P<name>{_NAME}(?:\s+{_NAME}){{1,3}})\s+by\s+(?P=name)$")
_AUTHOR_LABEL = re.compile(
    rf"^(?i:author|byline|reporter|words)\s*:\s*(?P<name>{_NAMES})" + _MORE_NAMES
)
# What may follow the names on a byline line and is cut before they are read: "| Reuters",
# "@handle", "at 10:41 AM", "in Istanbul"; and where a date that follows may begin (" On",
# ", ", " - "), cut there when the rest is a date ("On 11/7/14 at 1:05 PM EST").
_BYLINE_TAIL = re.compile(
    r"\s*[|•·]\s*(?:\S+\s*){1,4}$|\s+@\w+$|\s+at\s+\d{1,2}[:.]\d\d\b.*$|\s+in\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?$"
)
_BYLINE_DATE = re.compile(r"(?:\s+(?i:on|at|updated|published)\s+|\s*[,|•·–—]\s*|\s+-\s+)(?=\S)")
_PERSON_CREDIT = re.compile(r"^(?:[A-Z]\.\s?)?[A-Z][\w’'-]+(?:[ -][A-Z][\w’'-]+){0,3}$")


@dataclass(frozen=True)
class Found:
    value: str
    evidence: str


def _to_date(match: re.Match) -> date | None:
    month = match.group("month").lower().rstrip(".")
    month_n = int(month) if month.isdigit() else _MONTHS.get(month)
    try:
        return date(int(match.group("year")), month_n or 0, int(match.group("day")))
    except ValueError:
        return None


def _numeric_to_date(match: re.Match) -> date | None:
    a, b, year = int(match.group("a")), int(match.group("b")), int(match.group("year"))
    if year < 100:
        year += 2000 if year < 70 else 1900
    us_style = len(match.group("year")) == 2 and "/" in match.group(0)
    if a > 12 >= b or a == b:
        day, month = a, b
    elif b > 12 >= a or us_style:  # "11/7/14" is the US month/day/year
        day, month = b, a
    else:
        return None  # 08/11/2014: 8 November or August 11
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_date(text: str) -> Found | None:
    """The first complete calendar date in ``text`` as an ISO string, with its surface."""
    hits = [(m.start(), _to_date, m) for p in _DATE_PATTERNS for m in p.finditer(text)]
    hits += [(m.start(), _numeric_to_date, m) for m in _NUMERIC_DATE.finditer(text)]
    for _, to_date, match in sorted(hits, key=lambda h: h[0]):
        parsed = to_date(match)
        if parsed:
            return Found(parsed.isoformat(), match.group(0))
    return None


def parse_date(value: object) -> str | None:
    """An ISO date from a manifest value or free text; None when malformed or partial."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or text.lower() in {"nan", "none", "null", "nat"}:
        return None
    found = find_date(text)
    return found.value if found else None


def is_date_line(text: str) -> bool:
    """True when a line holds only a date (with an optional label, weekday or time), or
    dates set apart by bars ("PUBLISHED: 8 November 2014 | UPDATED: 9 November 2014")."""
    parts = text.split(" | ")
    return _is_one_date(text) or (len(parts) > 1 and all(_is_one_date(p) for p in parts))


def _is_one_date(text: str) -> bool:
    stripped = re.sub(_DATE_LINE_PREFIX, "", text.strip(), count=1, flags=re.I)
    stripped = _LEADING_TIME.sub("", stripped, count=1)
    for pattern in (*_DATE_PATTERNS, *_PARTIAL_DATES, _NUMERIC_DATE):
        match = pattern.match(stripped)
        rest = stripped[match.end() :] if match else ""
        if match and re.fullmatch(_TRAILING_WEEKDAY + _TIME + _BY_SUFFIX, rest, flags=re.I):
            return True
    return False


def is_byline(text: str) -> bool:
    return byline_name(text) is not None


def byline_name(text: str) -> str | None:
    """The author named by a byline line ("By Jane Doe", "Jane Doe by Jane Doe", "By Jane
    Doe | Reuters", "By Jane Doe on 11/7/14 at 1:05 PM", "Posted on 8 May 2015 by Jane Doe")."""
    text = text.strip()
    if len(text) > 80:
        return None
    head, by, name = text.rpartition(" by ")
    if by and is_date_line(head) and re.fullmatch(_NAMES, name):
        return name
    lines = [text, _BYLINE_TAIL.sub("", text, count=1)]
    lines += [
        text[: m.start()] for m in _BYLINE_DATE.finditer(text) if is_date_line(text[m.end() :])
    ]
    for line in dict.fromkeys(lines):
        for pattern in (_NAME_BY_NAME, _BYLINE, _AUTHOR_LABEL):
            match = pattern.match(line)
            if match:
                return match.group("name")
    return None


def looks_like_person_credit(text: str) -> bool:
    """A bare name line such as "M. Al-Ibrahim" (two or more name parts)."""
    return bool(_PERSON_CREDIT.match(text.strip())) and (" " in text.strip() or "." in text)
