"""The tables of a build on disk: per-article tables written to Parquet as their rows
arrive, read back a few columns and only the rows a stage needs, so no process holds a
whole table however large the corpus.
"""

from __future__ import annotations

import fcntl
import io
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from helpers.build.layout import (
    _VERSION_NAME,
    CURRENT,
    LOCK,
    MARKER,
    STAMP,
    VERSIONS,
    published,
)
from helpers.schema import COLUMNS, ORDER, TABLES
from helpers.study import STUDY_RECORD
from helpers.text import printable

ARROW_TYPES = {
    "str": pa.large_string(),
    "int64": pa.int64(),
    "Int64": pa.int64(),
    "bool": pa.bool_(),
    "list[int64]": pa.list_(pa.int64()),
}


def arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema of a per-article table (``typed_schema``)."""
    return typed_schema(COLUMNS[name])


def typed_schema(types: dict[str, str]) -> pa.Schema:
    """The Arrow schema of columns of the given pandas dtypes, with the pandas metadata
    that gives the columns their dtypes when read back."""
    plain = pa.schema([(column, ARROW_TYPES[t]) for column, t in types.items()])
    empty = pd.DataFrame(
        {c: pd.Series(dtype=object if t.startswith("list") else t) for c, t in types.items()}
    )
    return pa.Table.from_pandas(empty, schema=plain, preserve_index=False).schema


class TableRows:
    """Rows of one table gathered in Arrow chunks: compact however many rows arrive. Typed
    by ``schema`` when given, else by the rows."""

    # Rows held as Python dicts at a time. In the build's main process they sit among the
    # objects of the files being read, so fewer at a time keep its heap smaller.
    CHUNK = 250

    def __init__(self, columns: list[str], order: list[str], schema: pa.Schema | None = None):
        self.columns, self.order, self.schema = columns, order, schema
        self.rows: list[dict] = []
        self.chunks: list[pa.Table] = []
        self.held = 0  # bytes in chunks

    def extend(self, rows: Iterable[dict]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            self.chunks.append(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.held += self.chunks[-1].nbytes
            self.rows = []

    def frame(self) -> pd.DataFrame:
        """All rows as a data frame in the table's row order (the rows move into it)."""
        self._flush()
        if not self.chunks:
            return pd.DataFrame(columns=self.columns)
        table = pa.concat_tables(self.chunks, promote_options="permissive").select(self.columns)
        self.chunks, self.held = [], 0  # the frame holds the rows from here on
        frame = table.to_pandas()
        del table  # before sorting, which copies
        return frame.sort_values(self.order, kind="stable").reset_index(drop=True)


class TableWriter(TableRows):
    """One per-article table written to Parquet as its rows arrive. Rows come a whole
    document at a time, documents in order; each row group is sorted by the table's
    order, which starts with the document, so the file is the table sorted as a whole."""

    ROW_GROUP_BYTES = 1 << 20  # held in Arrow before they are written, however long the rows

    def __init__(self, path: Path, name: str) -> None:
        super().__init__(list(COLUMNS[name]), ORDER[name], arrow_schema(name))
        self.file = pq.ParquetWriter(path, self.schema)
        self.last = ""  # the latest document

    def extend(self, rows: Iterable[dict]) -> None:
        """Add the rows of one or more whole documents, later in order than any before."""
        rows = list(rows)
        if rows and rows[0]["doc_id"] < self.last:
            raise ValueError(f"{rows[0]['doc_id']!r} arrived after {self.last!r}")
        if rows:
            self.last = rows[-1]["doc_id"]
        super().extend(rows)
        if self.held >= self.ROW_GROUP_BYTES:
            self._write()

    def _write(self) -> None:
        self._flush()
        if self.chunks:
            self.file.write_table(sorted_table(pa.concat_tables(self.chunks), self.order))
            self.chunks, self.held = [], 0

    def close(self) -> None:
        self._write()
        self.file.close()


def sorted_table(table: pa.Table, columns: list[str]) -> pa.Table:
    """``table`` sorted by ``columns`` (stable), itself where it is in order already: rows
    mostly arrive in order, and a sorted copy adds a third to the memory that writing a
    row group takes."""
    indices = pc.sort_indices(table, [(column, "ascending") for column in columns])
    if np.array_equal(indices, np.arange(len(table))):
        return table
    return table.take(indices)


TableFile = Path | bytes  # a Parquet file: its path, or its bytes for another machine


def row_groups(
    path: TableFile | BinaryIO,
    columns: list[str],
    where: Callable[[pd.DataFrame], pd.Series] | None = None,
    docs: tuple[str, str] | None = None,
) -> Iterator[pd.DataFrame]:
    """``columns`` of the table in the Parquet file at ``path`` (or given as its bytes, or
    an open one), one row group at a time, only the rows ``where`` keeps. With ``docs``
    (first, last doc_id; ``columns`` must hold doc_id), only those documents' rows, from
    only the row groups whose doc_id range meets theirs. A table with no row group is one
    empty part."""
    file = pq.ParquetFile(io.BytesIO(path) if isinstance(path, bytes) else path)
    if not file.num_row_groups:
        yield file.schema_arrow.empty_table().select(columns).to_pandas()
    for group in range(file.num_row_groups):
        if docs is not None and not _may_hold(file, group, docs):
            continue
        part = file.read_row_group(group, columns=columns).to_pandas()
        keep = pd.Series(True, index=part.index) if where is None else where(part)
        if docs is not None:
            keep &= part["doc_id"].between(*docs)
        yield part[keep]


def with_slices(
    parts: Iterable[pd.DataFrame], values: np.ndarray
) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
    """Each of consecutive parts of a table with its rows' slice of ``values`` (one value
    per row of the whole table)."""
    at = 0
    for part in parts:
        yield part, values[at : at + len(part)]
        at += len(part)


def read_table(
    path: TableFile | BinaryIO,
    columns: list[str],
    where: Callable[[pd.DataFrame], pd.Series] | None = None,
    docs: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """The rows ``row_groups`` gives, as one frame: only they are ever held."""
    return pd.concat(row_groups(path, columns, where, docs), ignore_index=True)


def _may_hold(file: pq.ParquetFile, group: int, docs: tuple[str, str]) -> bool:
    """Whether a row group's doc_id statistics leave room for documents ``docs``."""
    column = file.metadata.row_group(group).column(file.schema_arrow.get_field_index("doc_id"))
    stats = column.statistics
    if stats is None or not stats.has_min_max:
        return True
    return stats.min <= docs[1] and docs[0] <= stats.max


class OutputRefused(ValueError):
    """An output folder the build must not write to; the message says why and what to do."""


class OutputBusy(OutputRefused):
    """Another build holds the output folder's lock."""


def _ours(name: str, built: bool) -> bool:
    """A name the build writes in its output folder (or a placeholder a repository keeps);
    ``.cache`` and the versions only beside a build stamp (a home folder has a .cache of
    its own)."""
    tables = {f"{t}.parquet" for t in TABLES} | {f".{t}.parquet.part" for t in TABLES}
    names = {".quotes-unaligned.parquet.part", STAMP, STUDY_RECORD, MARKER, LOCK, ".gitkeep"}
    return name in tables | names or (built and name in {".cache", CURRENT, VERSIONS})


def claim_output(raw_dir: Path, out_dir: Path) -> None:
    """Make ``out_dir`` the build's own, or refuse it before any work: the build writes and
    deletes only its own files. Refused: an existing file, the raw folder or a folder in
    it (the next build would read the tables as articles), a folder that holds the raw
    folder, and a folder with files of someone else's and no marker of a build."""
    raw, out = raw_dir.resolve(), out_dir.resolve()
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"--out {out_dir} is an existing file: name a folder")
    if out == raw or out.is_relative_to(raw):
        raise OutputRefused(f"--out {out_dir} is inside the raw folder {raw_dir}: name another")
    if raw.is_relative_to(out):
        raise OutputRefused(f"--out {out_dir} holds the raw folder {raw_dir}: name another")
    if out.is_dir() and not (out / MARKER).is_file():
        built = (out / STAMP).exists()
        foreign = sorted(p.name for p in out.iterdir() if not _ours(p.name, built))
        if foreign:
            shown = ", ".join(map(printable, foreign[:3])) + (", …" if len(foreign) > 3 else "")
            raise OutputRefused(
                f"--out {out_dir} holds files that are not this kit's tables ({shown}): "
                "name an empty or new folder"
            )
    out.mkdir(parents=True, exist_ok=True)
    if not (out / MARKER).is_file():
        (out / MARKER).write_text("tables written by python -m helpers build\n")


@contextmanager
def locked(out_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the output folder's lock: one build writes a folder at a time. The lock is an
    ``flock`` on ``.lock``, which the system releases when its holder dies however it dies,
    so a lock left by a killed build is stale and taken; the file names the holder's pid.
    Another build's lock is waited for up to ``wait`` seconds, then refused (``OutputBusy``)."""
    path = out_dir / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
                    raise OutputBusy(
                        f"another build (pid {holder}) is writing to {out_dir}: wait for it "
                        "to finish, or stop it, then build again"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _remove_versions(out_dir: Path, keep: set[str]) -> None:
    """Remove the versions (and only folders named like versions) not in ``keep``."""
    versions = out_dir / VERSIONS
    if not versions.is_dir() or versions.is_symlink():
        return
    for entry in versions.iterdir():
        if _VERSION_NAME.fullmatch(entry.name) and entry.name not in keep:
            if entry.is_symlink() or not entry.is_dir():
                entry.unlink()
            else:
                shutil.rmtree(entry, ignore_errors=True)
    for entry in out_dir.iterdir():  # links half made by a build that stopped
        if entry.name.startswith(f"{CURRENT}.") and entry.name.endswith(".tmp"):
            entry.unlink(missing_ok=True)


def _published_ones(out_dir: Path) -> set[str]:
    """The published version and the one published before it (the latest older one: a
    build that failed removed its own), kept for readers that opened it."""
    current = _current_name(out_dir)
    if current is None or not _VERSION_NAME.fullmatch(current):
        return {current} if current else set()
    if not (out_dir / VERSIONS).is_dir():
        return {current}
    older = [
        p.name
        for p in (out_dir / VERSIONS).iterdir()
        if _VERSION_NAME.fullmatch(p.name) and _age(p.name) < _age(current)
    ]
    return {current, *([max(older, key=_age)] if older else [])}


def _age(name: str) -> int:
    return int(name.split("-")[0])


def _current_name(out_dir: Path) -> str | None:
    target = published(out_dir)
    return target.name if target != out_dir else None


@contextmanager
def new_version(raw_dir: Path, out_dir: Path, wait: float = 0.0) -> Iterator[Path]:
    """A new, empty version folder in ``out_dir`` for one build to write its tables into,
    with the folder claimed (``claim_output``) and locked (``locked``). What a build that
    stopped left behind (versions never published) is removed first; a build that fails
    removes its own version. The tables are published by ``publish``."""
    claim_output(raw_dir, out_dir)
    with locked(out_dir, wait):
        _remove_versions(out_dir, _published_ones(out_dir))
        version = out_dir / VERSIONS / f"{time.time_ns()}-{os.getpid()}"
        version.mkdir(parents=True)
        try:
            yield version
        except BaseException:
            shutil.rmtree(version, ignore_errors=True)
            raise


def publish(out_dir: Path, version: Path, stamp: str) -> Tables:
    """Publish a complete version: its stamp written last inside it, then ``.current``
    switched to it in one rename, so a reader sees the previous tables or these, never a
    mix. The tables' names in ``out_dir`` are fixed links through ``.current``
    (``articles.parquet`` -> ``.current/articles.parquet``), so the path a notebook or
    ``pd.read_parquet`` opens does not change; the previous version is kept for readers
    that opened it, older ones are removed."""
    previous = _current_name(out_dir)
    _write_atomically(version / STAMP, stamp.encode())
    link = out_dir / f"{CURRENT}.{os.getpid()}.tmp"
    link.unlink(missing_ok=True)
    os.symlink(f"{VERSIONS}/{version.name}", link)
    os.replace(link, out_dir / CURRENT)  # the one step that publishes
    for name in [*(f"{t}.parquet" for t in TABLES), STAMP, STUDY_RECORD]:
        path, target = out_dir / name, f"{CURRENT}/{name}"
        if path.is_symlink() and os.readlink(path) == target:
            continue
        fixed = out_dir / f".{name}.{os.getpid()}.tmp"
        fixed.unlink(missing_ok=True)
        os.symlink(target, fixed)
        os.replace(fixed, path)  # a table file of the older layout becomes the link
        (out_dir / f".{name}.part").unlink(missing_ok=True)  # the older layout's leftovers
    (out_dir / ".quotes-unaligned.parquet.part").unlink(missing_ok=True)
    _remove_versions(out_dir, {version.name} | ({previous} if previous else set()))
    return Tables(version)


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


class TableStore:
    """The tables of one build in ``folder`` (the build's version folder), as they are
    written; published together by ``publish``."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder

    def part(self, name: str) -> Path:
        return self.folder / f"{name}.parquet"

    def writer(self, name: str) -> TableWriter:
        return TableWriter(self.part(name), name)

    def write(self, name: str, table: pd.DataFrame | bytes) -> None:
        """Write a table given as a frame or as the bytes of its Parquet file."""
        if isinstance(table, bytes):
            self.part(name).write_bytes(table)
        else:
            table.to_parquet(self.part(name), index=False)

    def write_parts(
        self, name: str, parts: Iterable[pd.DataFrame], schema: pa.Schema | None = None
    ) -> None:
        """Write a table given a part at a time, each a row group, in the order of the
        table, so only one part is ever held. Parts take ``schema`` when given (from
        ``typed_schema``: a part whose column holds only nulls has no type of its own),
        else the first part's."""
        writer = None
        for part in parts:
            table = pa.Table.from_pandas(part, schema=schema, preserve_index=False)
            if writer is None:
                schema = schema or table.schema
                writer = pq.ParquetWriter(self.part(name), schema)
            writer.write_table(table)
        if writer is None:
            raise ValueError(f"no part of {name!r} to write")
        writer.close()

    def file(self, name: str) -> bytes:
        """The Parquet file of a table written (and closed) in this build."""
        return self.part(name).read_bytes()

    def read(
        self,
        name: str,
        columns: list[str],
        where: Callable[[pd.DataFrame], pd.Series] | None = None,
        docs: tuple[str, str] | None = None,
    ) -> pd.DataFrame:
        """Columns and rows of a table written (and closed) in this build (``read_table``)."""
        return read_table(self.part(name), columns, where, docs)


class Tables(Mapping):
    """The tables of one build by name, each read from its Parquet file when asked for:
    those of the version published in ``folder`` when it was opened (``published``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = published(folder)

    def path(self, name: str) -> Path:
        if name not in TABLES:
            raise KeyError(name)
        return self.folder / f"{name}.parquet"

    def __getitem__(self, name: str) -> pd.DataFrame:
        return pd.read_parquet(self.path(name))

    def rows(self, name: str) -> int:
        """How many rows the table has, without reading it."""
        return pq.ParquetFile(self.path(name)).metadata.num_rows

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)
