"""How a table is shown to a reader, in the notebooks and the report: column names in
words, outlets by name, no index, blanks for missing values, one number format, long text
left-aligned and wrapped, and a long table cut to its top rows with the whole of it saved
as CSV beside the figures."""

from __future__ import annotations

import html
import math
from numbers import Integral, Real
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.figures.labels import label

TOP = 20  # rows shown of a longer table
LONG_TEXT = 40  # characters: a column with longer values is text to read, wrapped


def number(value: object) -> str:
    """The one way a number is written: whole numbers with thousands separators, others
    with two decimals; missing values blank, truth values as yes / no."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, Integral):
        return f"{value:,}"
    if isinstance(value, Real):
        value = float(value)
        if math.isnan(value):
            return ""
        return f"{value:,.0f}" if value.is_integer() and abs(value) >= 100 else f"{value:,.2f}"
    return str(value)


def percent(share: float) -> str:
    """A share as a whole percentage ("78%")."""
    return f"{share:.0%}"


def readable(frame: pd.DataFrame, labels: pd.Series | None = None) -> pd.DataFrame:
    """The table as a reader sees it (``reader_columns``), every value written out
    (``number``)."""
    table = reader_columns(frame, labels)
    return table.astype(object).map(number) if len(table.columns) else table


def reader_columns(frame: pd.DataFrame, labels: pd.Series | None = None) -> pd.DataFrame:
    """The table's rows and values, arranged for a reader: a meaningful index becomes
    columns, document ids give way to outlet names (from ``labels`` when the table has no
    ``outlet``), columns are named in words."""
    table = frame.reset_index() if _named_index(frame) else frame.reset_index(drop=True)
    if "doc_id" in table:
        if "outlet" not in table and labels is not None:
            table.insert(0, "outlet", table["doc_id"].map(labels))
        if "outlet" in table:
            table = table.drop(columns="doc_id")
    return table.rename(columns=lambda c: label(str(c)))


def _named_index(frame: pd.DataFrame) -> bool:
    return any(name is not None for name in frame.index.names)


class Shown:
    """A table shown to a reader: plain text for a terminal and for nbval, HTML for
    JupyterLab and the report."""

    def __init__(self, table: pd.DataFrame, note: str = "") -> None:
        self.table, self.note = table, note

    def __repr__(self) -> str:
        if self.table.empty:
            return self.note or "(no rows)"
        widths = {  # text left-aligned, as in the HTML; numbers stay right-aligned
            c: max(len(str(c)), self.table[c].str.len().max())
            for c in self.table.columns
            if not _numeric(self.table[c])
        }
        text = self.table.to_string(
            index=False, formatters={c: f"{{:<{w}}}".format for c, w in widths.items()}
        )
        return f"{text}\n{self.note}" if self.note else text

    def _repr_html_(self) -> str:
        return html_table(self.table) + (
            f"<p style='font-size:0.9em;color:#555'>{html.escape(self.note)}</p>"
            if self.note
            else ""
        )


def html_table(table: pd.DataFrame) -> str:
    """The table as HTML with inline styles (JupyterLab keeps those, not a stylesheet):
    text to read left-aligned and wrapped, numbers right-aligned."""
    long = {c for c in table.columns if table[c].astype(str).str.len().max(skipna=True) > LONG_TEXT}
    numeric = {c for c in table.columns if c not in long and _numeric(table[c])}

    def cell(tag: str, column: str, value: str) -> str:
        if column in long:
            style = "text-align:left;white-space:normal;min-width:16em;max-width:40em"
        elif column in numeric:
            style = "text-align:right;white-space:nowrap"
        else:
            style = "text-align:left"
        return f"<{tag} style='{style};vertical-align:top'>{html.escape(value)}</{tag}>"

    head = "".join(cell("th", c, str(c)) for c in table.columns)
    rows = "".join(
        "<tr>"
        + "".join(cell("td", c, str(v)) for c, v in zip(table.columns, row, strict=True))
        + "</tr>"
        for row in table.itertuples(index=False)
    )
    return f"<table class='data'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _numeric(column: pd.Series) -> bool:
    values = column.astype(str).str.replace(",", "").str.replace("%", "")
    filled = values[values != ""]
    return len(filled) > 0 and pd.to_numeric(filled, errors="coerce").notna().all()


def show(
    frame: pd.DataFrame,
    name: str,
    out_dir: Path,
    labels: pd.Series | None = None,
    top: int = TOP,
) -> Shown:
    """``frame`` for a reader (``readable``); longer than ``top`` rows, its top rows only,
    the whole table written to ``out_dir/name.csv`` (the same columns, values unformatted
    for a spreadsheet) and the note saying so."""
    table = readable(frame, labels)
    if len(table) <= top:
        return Shown(table)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.csv"
    reader_columns(frame, labels).to_csv(path, index=False)
    return Shown(
        table.head(top), f"The first {top} of {len(table):,} rows; all of them: {path.name}."
    )
