"""The schema declares every table the build writes; the data dictionary is made from it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, TypedDict, get_type_hints

import pandas as pd

from helpers.__main__ import main
from helpers.build.pipeline import build
from helpers.paths import PROJ_ROOT
from helpers.schema import (
    COLUMNS,
    ROWS,
    TABLE_COLUMNS,
    TABLES,
    columns_of,
    data_dictionary,
    values_of,
)

DICTIONARY = PROJ_ROOT / "docs" / "data-dictionary.md"


def _dtypes(table: pd.DataFrame) -> dict[str, str]:
    return {c: str(t) for c, t in table.dtypes.items()}


def _expected(types: dict[str, str]) -> dict[str, str]:
    return {c: "object" if t.startswith("list") else t for c, t in types.items()}


def test_every_table_has_exactly_the_declared_columns_and_types(seed_tables) -> None:
    assert set(seed_tables) == set(ROWS)
    for name, table in seed_tables.items():
        assert _dtypes(table) == _expected(TABLE_COLUMNS[name]), name
        assert list(table.columns) == list(TABLE_COLUMNS[name]), name


def test_an_empty_build_still_writes_every_declared_column(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    build(raw, tmp_path / "out", progress=False)
    for name in TABLES:
        table = pd.read_parquet(tmp_path / "out" / f"{name}.parquet")
        assert list(table.columns) == list(TABLE_COLUMNS[name]), name


def test_closed_columns_hold_only_their_declared_values(seed_tables) -> None:
    checked = 0
    for name, row in ROWS.items():
        for column, hint in get_type_hints(row, include_extras=True).items():
            allowed = set(values_of(hint))
            if allowed:
                found = set(seed_tables[name][column].dropna())
                assert found <= allowed, (name, column, found - allowed)
                checked += 1
    assert checked >= 10  # the roles, kinds, statuses and types are all declared


def test_per_article_columns_come_first_in_the_tables_read_back() -> None:
    for name, types in COLUMNS.items():
        assert list(TABLE_COLUMNS[name])[: len(types)] == list(types), name


def test_row_annotations_map_to_pandas_dtypes() -> None:
    class Row(TypedDict):
        a: str
        b: Annotated[int, "a count"]
        c: int | None
        d: Annotated[list[int], "offsets"]
        e: Literal["x", "y"]
        f: float
        g: bool

    assert columns_of(Row) == {
        "a": "str",
        "b": "int64",
        "c": "Int64",
        "d": "list[int64]",
        "e": "str",
        "f": "float64",
        "g": "bool",
    }
    assert values_of(get_type_hints(Row, include_extras=True)["e"]) == ("x", "y")


def test_the_data_dictionary_in_docs_is_the_generated_one() -> None:
    assert DICTIONARY.read_text(encoding="utf-8") == data_dictionary(), (
        "regenerate it: python -m helpers schema --out docs/data-dictionary.md"
    )


def test_the_data_dictionary_describes_every_column() -> None:
    text = data_dictionary()
    for name, types in TABLE_COLUMNS.items():
        section = text.split(f"## `{name}`")[1].split("\n## ")[0]
        for column in types:
            line = next(row for row in section.splitlines() if row.startswith(f"| `{column}` |"))
            assert line.rstrip(" |").split("|")[-1].strip() or values_of(
                get_type_hints(ROWS[name], include_extras=True)[column]
            ), (name, column)


def test_the_schema_command_writes_the_dictionary(tmp_path: Path) -> None:
    out = tmp_path / "dictionary.md"
    assert main(["schema", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == data_dictionary()
