"""The build on hostile folders: every file accounted for, nothing read outside, no crash."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import get_args

import pandas as pd
import pytest

import helpers.build.stages as stages
import helpers.ingest.corpus as corpus
from helpers.__main__ import main
from helpers.analysis.tables import offset_mismatches
from helpers.build.cache import is_current
from helpers.build.pipeline import build
from helpers.build.rows import read_tables
from helpers.ingest.corpus import Article, DocIds
from helpers.paths import RAW_DIR
from helpers.schema import TABLES, ArticleRule

GOOD = (
    "Turkey denies helping militants\n\nA former fighter told the magazine that the two "
    "sides had cooperated against the Kurds, a claim the government rejected.\n"
)


@pytest.fixture
def messy_dir(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")
    (raw / "good_copy.txt").write_text(GOOD, encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blank.txt").write_text(" \n\t\n  ")
    (raw / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    (raw / "paper.txt").write_bytes(b"%PDF-1.4\n%binary")
    (raw / "cp1252.txt").write_bytes(GOOD.replace("told", "“told”").encode("cp1252"))
    (raw / "utf16.txt").write_bytes(GOOD.encode("utf-16"))
    (raw / "notes.docx").write_bytes(b"PK\x03\x04")
    (raw / "chrome.txt").write_text("Home\nLogin\nShare\n319\nSHARES\n")
    (raw / "page.html").write_text(
        "<html><head><title>Turkey and the border</title>"
        '<meta property="article:published_time" content="2019-10-13T10:00:00Z"></head>'
        "<body><nav><a>Home</a><a>World</a></nav><article><h1>Turkey and the border</h1>"
        "<p>Kurdish officials said the crossing had been closed to aid convoys for weeks, "
        "leaving the town short of food.</p></article>"
        '<div class="share-bar">Share 12</div><footer>© 2019 Example</footer></body></html>',
        encoding="utf-8",
    )
    big = raw / "huge.txt"
    with big.open("wb") as fh:  # 50 MB, sparse: cheap to create, must not be read
        fh.truncate(50_000_000)
    outside = tmp_path / "secret.txt"
    outside.write_text(GOOD)
    (raw / "link.txt").symlink_to(outside)
    (raw / "manifest.csv").write_text(
        "file,outlet,published,author,colour\n"
        "good.txt,Example Times,13 October 2019,Jane Doe,blue\n"
        "cp1252.txt,Old Site,not a date,,\n"
        "missing.txt,Ghost,2019-01-01,,\n"
        "../secret.txt,Evil,2019-01-01,,\n"
        "/etc/passwd,Evil,2019-01-01,,\n",
        encoding="utf-8",
    )
    return raw


def test_messy_folder_builds_with_a_reason_for_every_file(
    messy_dir: Path, tmp_path: Path, capsys
) -> None:
    tables = build(messy_dir, tmp_path / "out", progress=False)
    arts = tables["articles"].set_index("file")
    inputs = {p.name for p in messy_dir.iterdir() if p.name != "manifest.csv"}
    assert set(arts.index) == inputs
    assert arts["status"].isin({"ok", "rejected"}).all()
    assert (arts.loc[arts["status"] == "rejected", "reason"].str.len() > 0).all()
    ok = set(arts.index[arts["status"] == "ok"])
    assert ok == {"good.txt", "cp1252.txt", "utf16.txt", "page.html"}
    reasons = arts["reason"]
    assert reasons["good_copy.txt"] == "duplicate of good (identical bytes)"
    assert reasons["empty.txt"] == "empty file"
    assert "PDF" in reasons["paper.txt"]
    assert "NUL" in reasons["binary.txt"]
    assert "too large" in reasons["huge.txt"]
    assert "outside the raw folder" in reasons["link.txt"]
    assert "unsupported file type" in reasons["notes.docx"]
    assert "page chrome" in reasons["chrome.txt"]
    # manifest values win; a malformed date is noted, not used
    assert arts.loc["good.txt", ["outlet", "published", "author"]].tolist() == [
        "Example Times",
        "2019-10-13",
        "Jane Doe",
    ]
    assert pd.isna(arts.loc["cp1252.txt", "published"])
    assert "not a date" in arts.loc["cp1252.txt", "metadata_evidence"]
    assert "“told”" in arts.loc["cp1252.txt", "text"]
    # the HTML page: nav, share bar and footer gone, headline and paragraph kept
    assert arts.loc["page.html", "text"].startswith("Turkey and the border\n\nKurdish")
    assert arts.loc["page.html", "published"] == "2019-10-13"
    err = capsys.readouterr().err
    assert "'missing.txt' is not in the raw folder" in err
    assert "'../secret.txt' ignored" in err and "'/etc/passwd' ignored" in err
    assert "utf16.txt is not in manifest.csv" in err


def test_every_rejection_has_its_rule_and_every_rule_is_reached(
    messy_dir: Path, monkeypatch
) -> None:
    (messy_dir / "dangling.txt").symlink_to(messy_dir / "gone.txt")
    (messy_dir / "locked.txt").write_text(GOOD.replace("magazine", "weekly"))
    read = corpus.read_at_most

    def refused(path, limit):  # as root a chmod 000 file is still readable: refused here
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return read(path, limit)

    monkeypatch.setattr(corpus, "read_at_most", refused)
    (messy_dir / "bad_bom.txt").write_bytes(codecs.BOM_UTF8 + b"caf\xe9 au lait\n")
    (messy_dir / "tampered.txt").write_text(GOOD, encoding="utf-8")
    (messy_dir / "manifest.csv").write_text(f"file,sha256\ntampered.txt,{'0' * 64}\n")
    # bytes that are not blank, text that is once decoded and normalised
    (messy_dir / "invisible.txt").write_text("\u200b\n\u00a0\n", encoding="utf-8")
    articles, _ = read_tables(messy_dir, progress=False)
    assert articles.set_index("file")["rule"].to_dict() == {
        "bad_bom.txt": "undecodable",
        "binary.txt": "binary",
        "blank.txt": "empty",  # whitespace bytes are an empty file
        "chrome.txt": "no_text",
        "cp1252.txt": "",
        "dangling.txt": "not_a_file",
        "empty.txt": "empty",
        "good.txt": "",
        "good_copy.txt": "duplicate",
        "huge.txt": "too_large",
        "invisible.txt": "whitespace",
        "link.txt": "outside_raw",
        "locked.txt": "unreadable",
        "notes.docx": "unsupported_type",
        "page.html": "",
        "paper.txt": "binary",
        "tampered.txt": "sha256_mismatch",
        "utf16.txt": "",
    }
    # a kept article has no rule, as it has no reason; a rejected one has both
    kept = articles["status"] == "ok"
    assert (articles.loc[kept, ["rule", "reason"]] == "").all().all()
    assert set(articles.loc[~kept, "rule"]) == set(get_args(ArticleRule))


def test_a_duplicate_is_found_by_its_rule_not_its_reason(messy_dir: Path, monkeypatch) -> None:
    reject = Article.reject
    monkeypatch.setattr(
        Article, "reject", lambda self, rule, reason: reject(self, rule, f"reworded {rule}")
    )
    articles, blocks = read_tables(messy_dir, progress=False)
    rejected = articles.set_index("file").loc[lambda a: a["status"] == "rejected"]
    assert (rejected["reason"] == "reworded " + rejected["rule"]).all()
    # the duplicate's blocks would count twice; the rejected page's stay for the audit
    assert {"good", "chrome"} <= set(blocks["doc_id"])
    assert "good_copy" not in set(blocks["doc_id"])


def test_offsets_point_into_article_text(messy_dir: Path, tmp_path: Path) -> None:
    tables = build(messy_dir, tmp_path / "out", progress=False)
    assert offset_mismatches(tables["articles"], tables["blocks"]) == 0
    assert offset_mismatches(tables["articles"], tables["sentences"]) == 0
    assert offset_mismatches(tables["articles"], tables["mentions"], "surface") == 0


def test_rebuild_of_unchanged_input_is_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    build(RAW_DIR, first, progress=False)
    build(RAW_DIR, second, progress=False)
    for path in sorted(first.glob("*.parquet")):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_seed_corpus_whole_pipeline(seed_tables: dict[str, pd.DataFrame]) -> None:
    tables = seed_tables
    arts, blocks, sents = tables["articles"], tables["blocks"], tables["sentences"]
    n_files = len([p for p in RAW_DIR.iterdir() if p.suffix == ".txt"])
    assert len(arts) == n_files == 5
    assert (arts["status"] == "ok").all()
    # totals two ways: words in the article text vs. words summed over body blocks
    from helpers.ingest.clean import words

    per_block = (
        blocks[blocks["is_body"]]
        .groupby("doc_id")["text"]
        .apply(lambda t: sum(len(words(x)) for x in t))
    )
    assert per_block.to_dict() == arts.set_index("doc_id")["n_words"].to_dict()
    # every non-blank raw line is in exactly one block
    for doc_id, group in blocks.groupby("doc_id"):
        raw = (RAW_DIR / f"{doc_id}.txt").read_text(encoding="utf-8").split("\n")
        nonblank = {n for n, line in enumerate(raw, start=1) if line.strip()}
        spans = [
            n
            for a, b in zip(group["line_start"], group["line_end"], strict=True)
            for n in range(a, b + 1)
        ]
        assert sorted(spans) == sorted(nonblank)
    assert sents.groupby("doc_id").size().min() > 5
    # mentions lie in body blocks and in the sentence they name
    mentions = tables["mentions"]
    assert offset_mismatches(arts, mentions, "surface") == 0
    body = blocks[blocks["is_body"]].set_index(["doc_id", "block_id"])
    located = mentions.merge(
        body[["start", "end"]].add_suffix("_b"),
        how="left",
        left_on=["doc_id", "block_id"],
        right_index=True,
    )
    assert ((located["start"] >= located["start_b"]) & (located["end"] <= located["end_b"])).all()
    by_sent = mentions.merge(
        sents.set_index(["doc_id", "sent_id"])[["start", "end"]].add_suffix("_s"),
        how="left",
        left_on=["doc_id", "sent_id"],
        right_index=True,
    )
    assert ((by_sent["start"] >= by_sent["start_s"]) & (by_sent["end"] <= by_sent["end_s"])).all()
    targets = set(mentions.loc[mentions["target"], "entity"])
    assert targets == {"Turkey", "ISIS", "YPG", "Kobani"}


def run_cli(*args: str, seed: str = "0") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-m", "helpers", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_cli_missing_directory_is_a_one_line_error(tmp_path: Path) -> None:
    result = run_cli("build", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "no such directory" in result.stderr


def test_cli_builds_a_folder(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW_DIR / "001_8432910c7f133115.txt", raw)
    result = run_cli("build", str(raw), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "1 files: 1 ok, 0 rejected" in result.stdout
    assert len(pd.read_parquet(tmp_path / "out" / "articles.parquet")) == 1


def test_cli_names_each_rejected_file_with_its_reason_and_escapes_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "odd\x1b[31mname.txt").write_bytes(b"\x00\x01\x02" * 50)
    assert main(["build", str(raw), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "3 files: 1 ok, 2 rejected" in out
    rejected = [line for line in out.splitlines() if line.startswith("  rejected ")]
    assert len(rejected) == 2
    assert any(line.startswith("  rejected empty.txt: ") for line in rejected)
    assert any("odd\\x1b[31mname.txt" in line for line in rejected)
    assert "\x1b" not in out  # no raw escape reaches the terminal


def test_cli_prints_its_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"python -m helpers {version('helpers')}"


@pytest.mark.slow  # three builds in fresh processes: make test-all
def test_builds_in_processes_with_different_hash_seeds_are_identical(tmp_path: Path) -> None:
    for seed in ("1", "2"):
        result = run_cli("build", str(RAW_DIR), "--out", str(tmp_path / seed), "--quiet", seed=seed)
        assert result.returncode == 0, result.stderr
    for path in sorted((tmp_path / "1").glob("*.parquet")):
        assert path.read_bytes() == (tmp_path / "2" / path.name).read_bytes(), path.name


def test_folder_where_every_file_is_rejected_still_builds_every_table(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    (raw / "menu.txt").write_text("Home\nLogin\nShare\n")
    tables = build(raw, tmp_path / "out", progress=False)
    assert (tables["articles"]["status"] == "rejected").all()
    assert {p.stem for p in (tmp_path / "out").glob("*.parquet")} == set(tables)
    assert all(len(tables[name]) == 0 for name in ("sentences", "quotes", "claims"))


def test_a_build_that_stops_leaves_the_previous_tables(monkeypatch, tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW_DIR, raw)
    build(raw, out, progress=False)
    before = {p.name: p.read_bytes() for p in out.glob("*.parquet")}

    def fail(*args):
        raise RuntimeError("stopped")

    (raw / "zz_new.txt").write_text(GOOD, encoding="utf-8")  # every table would change
    monkeypatch.setattr(stages, "align", fail)
    with pytest.raises(RuntimeError, match="stopped"):
        build(raw, out, progress=False)
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == before
    (raw / "zz_new.txt").unlink()
    assert is_current(raw, out, TABLES)  # still stamped with the input they came from


def test_document_ids_are_file_stems_unless_two_files_share_one() -> None:
    names = ["a.txt", "a.html", "b.txt", "c.d.txt"]
    assert list(map(DocIds(names), names)) == ["a.txt", "a.html", "b", "c.d"]
    names = ["y.txt", "y.html", "y.txt.txt"]  # a stem that is another file's name
    assert list(map(DocIds(names), names)) == ["y.txt", "y.html", "y.txt.txt"]
