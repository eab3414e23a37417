"""The build writes and deletes only its own files: output folders it may not use are
refused before any work, with a message saying why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.__main__ import main
from helpers.build.cache import DocCache
from helpers.build.pipeline import build
from helpers.build.store import MARKER, OutputRefused
from helpers.paths import RAW_DIR

SEED = RAW_DIR / "001_8432910c7f133115.txt"


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(SEED, folder)
    return folder


def _refused(raw: Path, out: Path, why: str) -> None:
    with pytest.raises(OutputRefused, match=why):
        build(raw, out, progress=False)


def test_the_raw_folder_or_a_folder_in_it_is_refused(raw: Path) -> None:
    _refused(raw, raw, "inside the raw folder")
    _refused(raw, raw / "tables", "inside the raw folder")
    assert sorted(p.name for p in raw.iterdir()) == [SEED.name]  # nothing written


def test_a_folder_holding_the_raw_folder_or_an_existing_file_is_refused(
    raw: Path, tmp_path: Path
) -> None:
    _refused(raw, tmp_path, "holds the raw folder")
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    _refused(raw, notes, "existing file")
    assert notes.read_text() == "mine"


def test_a_folder_of_someone_else_s_files_is_refused_and_left_alone(
    raw: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    (home / ".cache" / "huggingface").mkdir(parents=True)
    (home / ".cache" / "huggingface" / "model.bin").write_bytes(b"weights")
    (home / "articles.parquet").write_bytes(b"the user's own file of that name")
    _refused(raw, home / ".cache" / "..", "not this kit's tables")
    (home / "notes.md").write_text("mine")
    _refused(raw, home, r"not this kit's tables \(\.cache, notes\.md\)")
    assert (home / ".cache" / "huggingface" / "model.bin").read_bytes() == b"weights"
    assert (home / "articles.parquet").read_bytes() == b"the user's own file of that name"


def test_a_new_or_empty_folder_becomes_the_build_s_and_is_reused(
    raw: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".gitkeep").touch()  # a placeholder a repository keeps is no one's file
    build(raw, out, progress=False)
    assert (out / MARKER).exists()
    (out / "a-note-of-mine.txt").write_text("kept")  # once marked, the folder is the build's
    build(raw, out, progress=False)
    assert (out / "a-note-of-mine.txt").read_text() == "kept"


def test_a_folder_built_before_the_marker_existed_is_still_the_build_s(
    raw: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(raw, out, progress=False)
    (out / MARKER).unlink()  # as a build of an older version of the kit left it
    build(raw, out, progress=False)
    assert (out / MARKER).exists()


def test_the_cache_removes_only_its_own_older_versions(tmp_path: Path) -> None:
    root = tmp_path / ".cache"
    (root / "0123456789abcdef").mkdir(parents=True)  # an older version's folder
    (root / "huggingface").mkdir()  # not the cache's
    DocCache(root)
    assert sorted(p.name for p in root.iterdir() if p.name != DocCache(root).dir.name) == [
        "huggingface"
    ]


def test_the_command_line_says_why_an_output_is_refused(
    raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(raw), "--out", str(raw), "--quiet"]) == 2
    assert "inside the raw folder" in capsys.readouterr().err
