"""Tables as a reader sees them: words for column names, outlets by name, no index, blanks
for missing values, one number format, long text wrapped, long tables cut with the whole
saved beside the figures."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.publish.display import Shown, html_table, number, readable, show
from helpers.publish.report import header

QUOTE = (
    "The harbour master said the ferry had left without its papers and that nobody at the "
    "port office had been told"
)


def _quotes(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": [f"a{i:02d}_5f1e9c" for i in range(n)],
            "line": np.arange(1, n + 1) * 250,
            "speaker_surface": ["the harbour master", None] * (n // 2) + [None] * (n % 2),
            "fidelity": [0.5, np.nan] * (n // 2) + [1.0] * (n % 2),
            "reference": [True, False] * (n // 2) + [True] * (n % 2),
            "text": [QUOTE] * n,
        }
    )


def test_numbers_are_written_one_way() -> None:
    assert [number(v) for v in [3, np.int64(12_500), 0.5, 1.0, np.float64(1216.0)]] == [
        "3",
        "12,500",
        "0.50",
        "1.00",
        "1,216",
    ]
    assert [number(v) for v in [np.nan, None, pd.NA, True, np.bool_(False), "ISIS"]] == [
        "",
        "",
        "",
        "yes",
        "no",
        "ISIS",
    ]


def test_a_table_shows_outlets_and_words_not_ids_and_column_names() -> None:
    labels = pd.Series({"a00_5f1e9c": "Carrow Courier", "a01_5f1e9c": "Drum Weekly"})
    table = readable(_quotes(2), labels)
    assert list(table.columns) == [
        "Outlet",
        "Line",
        "Speaker as written",
        "Fidelity (1 = verbatim)",
        "Reference version",
        "Text",
    ]
    assert table["Outlet"].tolist() == ["Carrow Courier", "Drum Weekly"]
    assert table.iloc[1].tolist()[2:5] == ["", "", "no"]  # blanks, not NaN or None
    assert table["Fidelity (1 = verbatim)"].tolist() == ["0.50", ""]


def test_a_named_index_becomes_a_column_and_a_range_index_is_dropped() -> None:
    pivot = pd.DataFrame({"n_words": [351, 1216]}, index=pd.Index(["Drum", "Esk"], name="outlet"))
    assert readable(pivot).to_dict("list") == {"Outlet": ["Drum", "Esk"], "Words": ["351", "1,216"]}
    text = repr(show(pivot, "unused", Path("/nonexistent")))
    assert text.splitlines()[0].split() == ["Outlet", "Words"]  # no index column


def test_long_text_is_left_aligned_and_wrapped_and_numbers_right_aligned() -> None:
    page = html_table(readable(_quotes(2)))
    text_cell = page.split("<td")[-1]
    assert "text-align:left" in text_cell and "white-space:normal" in text_cell
    assert QUOTE in text_cell  # whole, not cut at a column width
    line_cell = page.split("<td")[2]
    assert "text-align:right" in line_cell
    plain = repr(Shown(readable(_quotes(2))))
    assert QUOTE in plain
    assert plain.splitlines()[1].index("the harbour master") == plain.splitlines()[0].index(
        "Speaker as written"
    )


def test_a_long_table_shows_its_top_rows_and_saves_all_of_them(tmp_path: Path) -> None:
    shown = show(_quotes(30), "03-quotations", tmp_path, top=12)
    assert len(shown.table) == 12
    saved = pd.read_csv(tmp_path / "03-quotations.csv")
    assert len(saved) == 30
    assert list(saved.columns) == list(shown.table.columns)  # without labels: the document
    assert saved["Line"].tolist() == list(range(250, 7501, 250))  # numbers, not "1,000"
    assert shown.note == "The first 12 of 30 rows; all of them: 03-quotations.csv."
    assert repr(shown).endswith(shown.note)
    assert shown.note in shown._repr_html_()
    assert show(_quotes(12), "short", tmp_path, top=12).note == ""
    assert not (tmp_path / "short.csv").exists()


def test_the_report_header_names_the_story_its_dates_the_day_made_and_the_version() -> None:
    articles = pd.DataFrame(
        {
            "doc_id": ["b", "a", "c"],
            "status": ["ok", "ok", "rejected"],
            "outlet": ["Drum Weekly", "Carrow Courier", None],
            "published": ["2016-03-02", None, None],
            "published_month": ["2016-03", "2014-11", None],
            "headline": ["Ferry papers row goes on", "Ferry left without papers", None],
            "file": ["b.txt", "a.txt", "c.txt"],
        }
    )
    title, line = header(articles, datetime(2025, 6, 7, tzinfo=UTC))
    assert title == "How the outlets covered “Ferry left without papers”"
    assert line == (
        "2 articles from 2 outlets, published November 2014 to 2 March 2016. "
        f"Made on 7 June 2025 with helpers {version('helpers')}."
    )
