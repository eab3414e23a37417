"""The build keeps its promises under faults: output folders it may not use, a second build,
tampered caches, files that change, hostile paths, names and manifests, interrupts and
kills at every stage. Each case fails where the promise is broken; the long ones (builds
killed at several points, signals to a build of many articles) are marked ``slow`` and run
by ``make test-all``. After every recovery the tables are byte for byte those of a clean
build."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import zlib
from pathlib import Path

import pandas as pd
import pytest

import helpers.build.engine as engine
import helpers.build.rows as rows
import helpers.build.store as store
import helpers.ingest.corpus as corpus
import helpers.ingest.files as files
from helpers.__main__ import main
from helpers.analysis.tables import load_tables
from helpers.build.cache import MAGIC, DocCache, is_current
from helpers.build.layout import CURRENT, LOCK, VERSIONS, published
from helpers.build.pipeline import build
from helpers.build.store import OutputBusy, OutputRefused, locked
from helpers.paths import PROJ_ROOT, RAW_DIR
from helpers.schema import TABLES

SEEDS = sorted(RAW_DIR.glob("*.txt"))
GOOD = (
    "Turkey denies helping militants\n\nA former fighter told the magazine that the two "
    "sides had cooperated against the Kurds, a claim the government rejected.\n"
)
HTML = (
    "<html><head><title>Border news</title></head><body><article><h1>Border news</h1>"
    "<p>Kurdish officials said the crossing had been closed to aid convoys for weeks.</p>"
    "</article></body></html>"
)


def tables_bytes(out: Path) -> dict[str, bytes]:
    """Every published table's bytes, read the way a user reads them (the documented path)."""
    return {name: (out / f"{name}.parquet").read_bytes() for name in TABLES}


def versions(out: Path) -> list[str]:
    return sorted(p.name for p in (out / VERSIONS).iterdir())


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder)
    return folder


@pytest.fixture(scope="module")
def one_seed_clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The tables of a clean build (no cache) of the first seed: what every recovery and
    every rebuild must give back, byte for byte."""
    raw = tmp_path_factory.mktemp("clean-raw")
    shutil.copy(SEEDS[0], raw)
    out = tmp_path_factory.mktemp("clean") / "out"
    build(raw, out, progress=False, use_cache=False)
    return tables_bytes(out)


# --- the build writes only its own folder, one build at a time ----------------------------


def test_refused_folders_are_refused_before_any_work(raw: Path, tmp_path: Path, monkeypatch):
    """The raw folder, a folder in it, an existing file and a home-like folder of the
    user's own files are refused before a file is read, and nothing in them changes."""
    monkeypatch.setattr(rows, "load_article", lambda *a: pytest.fail("a file was read"))
    home = tmp_path / "home"
    for name, data in {
        ".cache/pip/wheels/x.whl": b"wheel",
        ".cache/huggingface/hub/model.bin": b"weights",
        "articles.parquet": b"the user's own file of that name",
        "notes.md": b"mine",
    }.items():
        (home / name).parent.mkdir(parents=True, exist_ok=True)
        (home / name).write_bytes(data)
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    before = {p: p.read_bytes() for p in [*home.rglob("*"), notes] if p.is_file()}
    for out, why in [
        (raw, "inside the raw folder"),
        (raw / "tables", "inside the raw folder"),
        (notes, "existing file"),
        (home, "not this kit's tables"),
    ]:
        with pytest.raises(OutputRefused, match=why):
            build(raw, out, progress=False)
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in home.rglob("*")) == sorted(
        {"pip", "wheels", "x.whl", "huggingface", "hub", "model.bin", ".cache"}
        | {"articles.parquet", "notes.md"}
    )
    assert sorted(p.name for p in raw.iterdir()) == [SEEDS[0].name]


def test_the_command_line_refuses_a_file_as_out_in_one_line(raw: Path, tmp_path: Path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    assert main(["build", str(raw), "--out", str(notes), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "existing file" in err and "Traceback" not in err
    assert notes.read_text() == "mine"


def test_a_second_build_is_refused_with_the_holder_s_pid(raw: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    with locked(out):
        with pytest.raises(OutputBusy, match=rf"another build \(pid {os.getpid()}\)"):
            build(raw, out, progress=False)
        assert main(["build", str(raw), "--out", str(out), "--quiet"]) == 2
        assert f"another build (pid {os.getpid()}) is writing to" in capsys.readouterr().err
    assert not (out / VERSIONS).exists() or versions(out) == []  # no work was done


def test_a_second_build_waits_for_the_first_when_asked(
    raw: Path, tmp_path: Path, one_seed_clean: dict[str, bytes]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    held = threading.Event()

    def hold() -> None:
        with locked(out):
            held.set()
            time.sleep(1.0)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    started = time.monotonic()
    build(raw, out, progress=False, wait=30)
    holder.join()
    assert time.monotonic() - started >= 0.9
    assert tables_bytes(out) == one_seed_clean


def test_a_stale_lock_of_a_build_that_died_is_taken(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK).write_text("999999999\n")  # a pid no process has: its build was killed
    build(raw, out, progress=False)
    assert (out / LOCK).read_text().strip() == str(os.getpid())
    assert is_current(raw, out, TABLES)


# --- publishing: one atomic step, readers see one version ---------------------------------


def _version(out: Path, tag: str) -> Path:
    folder = out / VERSIONS / tag
    folder.mkdir(parents=True)
    for name in TABLES:
        pd.DataFrame({"version": [tag]}).to_parquet(folder / f"{name}.parquet")
    return folder


def test_readers_see_one_version_while_versions_are_published(tmp_path: Path) -> None:
    """``load_tables`` (the notebooks' and the report's reader) reads every table from one
    version while another is published again and again."""
    out = tmp_path / "out"
    a = _version(out, "1000000000000000000-1")
    store.publish(out, a, "stamp a")
    b = _version(out, "1000000000000000001-1")
    stop, snapshots = threading.Event(), []

    def switch() -> None:
        while not stop.is_set():
            for version in (b, a):
                store.publish(out, version, f"stamp {version.name}")

    writer = threading.Thread(target=switch)
    writer.start()
    try:
        for _ in range(150):
            tables = load_tables(out)
            snapshots.append({t["version"].iloc[0] for t in tables.values()})
    finally:
        stop.set()
        writer.join()
    assert all(len(tags) == 1 for tags in snapshots)
    assert len(set().union(*snapshots)) == 2  # both versions were seen, never mixed


def test_a_failed_switch_leaves_the_previous_tables_and_the_next_build_cleans_up(
    raw: Path, tmp_path: Path, monkeypatch, one_seed_clean: dict[str, bytes]
) -> None:
    out = tmp_path / "out"
    build(raw, out, progress=False)
    before, stamp = tables_bytes(out), published(out) / ".build-stamp"
    stamp_text = stamp.read_text()
    shutil.copy(SEEDS[1], raw)  # every table would change
    replace = os.replace

    def refuse(src, dst):
        if Path(dst).name == CURRENT:
            raise KeyboardInterrupt  # Ctrl-C at the very moment of the switch
        return replace(src, dst)

    monkeypatch.setattr(store.os, "replace", refuse)
    with pytest.raises(KeyboardInterrupt):
        build(raw, out, progress=False)
    monkeypatch.undo()
    assert tables_bytes(out) == before
    assert (published(out) / ".build-stamp").read_text() == stamp_text
    (raw / SEEDS[1].name).unlink()
    assert is_current(raw, out, TABLES)  # still stamped with the input they came from
    assert len(versions(out)) == 1  # the stopped build removed its own version
    build(raw, out, progress=False, use_cache=False)
    assert tables_bytes(out) == one_seed_clean


def test_leftovers_of_a_killed_build_are_removed_and_only_they(raw: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(raw, out, progress=False)
    current = published(out).name
    (out / VERSIONS / "1000000000000000000-4242").mkdir()  # a killed build's version
    (out / f"{CURRENT}.4242.tmp").symlink_to("nowhere")  # its half-made link
    (out / VERSIONS / "keep-me").mkdir()  # not named as a version: not the build's
    (out / "my-notes.txt").write_text("mine")
    shutil.copy(SEEDS[1], raw)
    build(raw, out, progress=False)
    assert versions(out) == sorted([current, published(out).name, "keep-me"])
    assert not (out / f"{CURRENT}.4242.tmp").is_symlink()
    assert (out / "my-notes.txt").read_text() == "mine"


def test_the_documented_paths_read_the_published_tables(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(raw, out, progress=False)
    articles = pd.read_parquet(out / "articles.parquet")  # as the README shows
    assert articles["file"].tolist() == [SEEDS[0].name]
    assert set(load_tables(out)) == set(TABLES)


def test_an_older_layout_of_plain_table_files_becomes_links(raw: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(raw, out, progress=False)
    version = published(out)
    for name in [*(f"{t}.parquet" for t in TABLES), ".build-stamp"]:  # as an older kit left it
        (out / name).unlink()
        shutil.copy(version / name, out / name)
    (out / CURRENT).unlink()
    shutil.rmtree(out / VERSIONS)
    assert is_current(raw, out, TABLES)  # the older layout is still read
    shutil.copy(SEEDS[1], raw)
    build(raw, out, progress=False)
    assert all((out / f"{t}.parquet").is_symlink() for t in TABLES)
    assert len(pd.read_parquet(out / "articles.parquet")) == 2


# --- the cache: plain data, checked, never executed ---------------------------------------


class Payload:
    """Unpickling this creates a file: proof that a pickle was executed."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (Path(self.path).write_text, ("executed",))


def _entries(out: Path) -> list[Path]:
    return sorted((out / ".cache").glob("*/*.json.z"))


def test_tampered_truncated_and_foreign_cache_entries_are_ignored_never_run(
    tmp_path: Path, capsys, one_seed_clean: dict[str, bytes]
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEEDS[0], raw)
    out = tmp_path / "out"
    build(raw, out, progress=False)
    (entry,) = _entries(out)
    good = entry.read_bytes()
    proof = tmp_path / "proof"
    body = zlib.compress(json.dumps({"key": "x", "result": {}}).encode())
    import hashlib

    for bad in [
        pickle.dumps(Payload(str(proof))),  # a pickle put in its place
        good[: len(good) // 2],  # truncated
        good[:-3] + b"xyz",  # corrupt
        MAGIC + hashlib.sha256(body).digest() + body,  # another document's entry, well formed
        b"",
    ]:
        entry.write_bytes(bad)
        build(raw, out, progress=False, use_cache=True)
        assert "ignored, the document is annotated again" in capsys.readouterr().err
        assert not proof.exists()
        assert tables_bytes(out) == one_seed_clean
        assert entry.read_bytes() == good  # rewritten by the annotation


def test_no_pickle_is_loaded_from_disk_anywhere_and_the_spool_has_no_name(tmp_path: Path):
    sources = "\n".join(p.read_text() for p in (PROJ_ROOT / "src").rglob("*.py"))
    assert "pickle.load" not in sources and "import pickle" not in sources
    proof = tmp_path / "proof"
    with pytest.raises(ValueError):  # JSON: a pickle in the spool is an error, not code
        engine.annotate_batch(pickle.dumps(Payload(str(proof))))
    assert not proof.exists()
    import tempfile

    with tempfile.TemporaryFile() as spool:  # what run_documents spools batches into
        meta = os.fstat(spool.fileno())
        assert meta.st_nlink == 0  # no name: no other process can open it
        assert meta.st_mode & 0o077 == 0


def test_a_cache_that_is_a_regular_file_or_a_link_is_left_alone(
    raw: Path, tmp_path: Path, capsys, one_seed_clean: dict[str, bytes]
) -> None:
    out = tmp_path / "out"
    build(raw, out, progress=False)
    shutil.rmtree(out / ".cache")
    (out / ".cache").write_text("someone's file")
    build(raw, out, progress=False, use_cache=True)
    assert "is not a folder of the cache" in capsys.readouterr().err
    assert (out / ".cache").read_text() == "someone's file"
    assert tables_bytes(out) == one_seed_clean
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "0123456789abcdef").mkdir(parents=True)
    (out / ".cache").unlink()
    (out / ".cache").symlink_to(elsewhere)
    build(raw, out, progress=False, use_cache=True)
    assert (elsewhere / "0123456789abcdef").is_dir()  # not removed through the link
    assert DocCache.open(out / ".cache") is None


# --- the stamp cannot lie -----------------------------------------------------------------


def test_the_same_bytes_renamed_from_html_to_txt_are_read_again(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "page.html").write_text(HTML)
    build(raw, out, progress=False)
    (raw / "page.html").rename(raw / "page.txt")
    assert not is_current(raw, out, TABLES)
    build(raw, out, progress=False)
    clean = tmp_path / "clean"
    build(raw, clean, progress=False, use_cache=False)
    assert tables_bytes(out) == tables_bytes(clean)
    assert "<article>" in pd.read_parquet(out / "articles.parquet")["text"].iloc[0]


def test_a_link_whose_target_changes_is_not_up_to_date(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "sources").mkdir(parents=True)
    (raw / "sources" / "a.txt").write_text(GOOD)
    (raw / "sources" / "b.txt").write_text(GOOD.replace("magazine", "newspaper"))
    (raw / "linked.txt").symlink_to("sources/a.txt")
    build(raw, out, progress=False)
    assert is_current(raw, out, TABLES)
    (raw / "sources" / "a.txt").write_text(GOOD.replace("magazine", "weekly"))
    assert not is_current(raw, out, TABLES)  # the target's bytes changed
    build(raw, out, progress=False)
    (raw / "linked.txt").unlink()
    (raw / "linked.txt").symlink_to("sources/b.txt")
    assert not is_current(raw, out, TABLES)  # the link points elsewhere
    build(raw, out, progress=False)
    texts = pd.read_parquet(out / "articles.parquet").set_index("file")["text"]
    assert "newspaper" in texts["linked.txt"]
    (raw / "sources" / "b.txt").touch()  # same bytes, a new mtime: read again, same tables
    assert not is_current(raw, out, TABLES)


def test_a_file_changed_while_the_build_reads_is_flagged_and_read_again(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.txt").write_text(GOOD)
    (raw / "b.txt").write_text(GOOD.replace("magazine", "newspaper"))
    load = rows.load_article

    def edit_a_after_reading_it(path, *args):
        art = load(path, *args)
        if path.name == "b.txt":  # a.txt was read already: someone edits it now
            (raw / "a.txt").write_text(GOOD.replace("magazine", "weekly paper"))
        return art

    monkeypatch.setattr(rows, "load_article", edit_a_after_reading_it)
    build(raw, out, progress=False)
    assert "a.txt changed while the build read it" in capsys.readouterr().err
    assert not is_current(raw, out, TABLES)  # the stamp records what was read
    monkeypatch.undo()
    build(raw, out, progress=False)
    assert "weekly paper" in pd.read_parquet(out / "articles.parquet")["text"].iloc[0]
    assert is_current(raw, out, TABLES)


def test_an_up_to_date_check_and_a_build_read_no_file_twice_nor_a_large_one(
    tmp_path: Path, monkeypatch
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.txt").write_text(GOOD)
    for name in ("movie.mp4", "big.txt"):  # 2.5 GB each, sparse: must never be read
        with (raw / name).open("wb") as fh:
            fh.truncate(2_500_000_000)
    read: list[str] = []
    original = files.read_at_most

    def counted(path, limit):
        read.append(Path(path).name)
        return original(path, limit)

    monkeypatch.setattr(files, "read_at_most", counted)
    monkeypatch.setattr(corpus, "read_at_most", counted)
    tables = build(raw, out, progress=False)
    assert read == ["a.txt"]  # once, during the build; the stamp is what was read
    reasons = tables["articles"].set_index("file")["reason"]
    assert "too large (2500.0 MB" in reasons["big.txt"]
    assert "unsupported file type .mp4" in reasons["movie.mp4"]
    read.clear()
    assert is_current(raw, out, TABLES)
    assert read == ["a.txt"]


# --- every path accounted for -------------------------------------------------------------


def test_every_path_gets_a_row_or_a_warning_with_a_reason(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD)
    os.mkfifo(raw / "pipe.txt")
    (raw / "folder.txt").mkdir()
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(raw / "sock.txt"))
    (raw / "locked.txt").write_text(GOOD.replace("magazine", "weekly"))
    for name in ("y.txt", "y.html", "y.txt.txt"):  # document ids that would collide
        (raw / name).write_text(HTML if name.endswith("html") else f"{name}\n\n{GOOD}")
    (raw / "odd\x1b[2Jname\u202e.txt").write_text(GOOD.replace("Kurds", "rebels"))
    (raw / os.fsdecode(b"caf\xe9.txt")).write_text(GOOD.replace("Kurds", "others"))  # not UTF-8
    big_cell = "x" * 200_000  # over csv's 128 KB field limit
    (raw / "manifest.csv").write_text(f"file,outlet,author\ngood.txt,Example Times,{big_cell}\n")
    read = corpus.read_at_most

    def refused(path, limit):  # as root, a chmod 000 file is still readable: refuse here
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return read(path, limit)

    monkeypatch.setattr(corpus, "read_at_most", refused)
    try:
        assert main(["build", str(raw), "--out", str(out), "--quiet"]) == 0
    finally:
        server.close()
    captured = capsys.readouterr()
    arts = pd.read_parquet(out / "articles.parquet").set_index("file")
    names = {files.shown(p.name) for p in raw.iterdir()} - {"manifest.csv"}
    assert set(arts.index) == names  # every path has its row
    assert arts.loc["caf\\xe9.txt", "status"] == "ok"  # its name's bytes kept as escapes
    assert arts["doc_id"].is_unique
    assert arts.loc[["y.txt", "y.html", "y.txt.txt"], "doc_id"].tolist() == [
        "y.txt",
        "y.html",
        "y.txt.txt",
    ]
    rules = arts["rule"].to_dict()
    assert {rules[n] for n in ("pipe.txt", "folder.txt", "sock.txt")} == {"not_a_file"}
    assert "named pipe" in arts.loc["pipe.txt", "reason"]
    assert "a folder" in arts.loc["folder.txt", "reason"]
    assert "socket" in arts.loc["sock.txt", "reason"]
    assert rules["locked.txt"] == "unreadable"
    assert "permission denied" in arts.loc["locked.txt", "reason"]
    assert arts.loc["good.txt", "author"] == big_cell  # a field of any size is read
    printed = captured.out + captured.err
    assert "\x1b" not in printed and "\u202e" not in printed  # names are printed escaped
    assert "odd\\x1b[2Jname\\u202e.txt is not in manifest.csv" in printed


@pytest.mark.parametrize("kind", ["unreadable", "folder", "fifo", "bad csv"])
def test_a_manifest_that_cannot_be_used_is_a_warning_not_a_crash(
    tmp_path: Path, monkeypatch, capsys, kind: str
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD)
    manifest = raw / "manifest.csv"
    if kind == "folder":
        manifest.mkdir()
    elif kind == "fifo":
        os.mkfifo(manifest)  # opening it to read would wait for a writer forever
    else:
        manifest.write_text("file,outlet\ngood.txt,Example\x00 Times\n" if kind == "bad csv"
                            else "file,outlet\ngood.txt,Example Times\n")
    if kind == "unreadable":
        read = corpus.read_at_most

        def refused(path, limit):
            if Path(path).name == "manifest.csv":
                raise PermissionError(13, "Permission denied")
            return read(path, limit)

        monkeypatch.setattr(corpus, "read_at_most", refused)
    articles, _ = rows.read_tables(raw, progress=False)
    assert articles["file"].tolist() == ["good.txt"]
    err = capsys.readouterr().err
    assert "warning: manifest.csv" in err, err


# --- interrupts, kills and workers (slow: builds of many articles, killed at every stage) -


def run_build(raw: Path, out: Path, *args: str, patch: str = "") -> subprocess.Popen:
    """``python -m helpers build`` in a new session, with ``patch`` (Python) run first."""
    argv = ["build", str(raw), "--out", str(out), "--quiet", *args]
    code = textwrap.dedent(patch) + (
        f"\nimport sys\nfrom helpers.__main__ import main\nsys.exit(main({argv!r}))\n"
    )
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid``."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def wait_for_workers(process: subprocess.Popen, n: int, timeout: float = 120) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        below = descendants(process.pid)
        if len(below) >= n:
            return below
        if process.poll() is not None:
            pytest.fail(f"the build ended before its workers started: {process.communicate()}")
        time.sleep(0.05)
    pytest.fail("the workers never started")


@pytest.fixture(scope="module")
def big_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 60,000 words in ~170 articles: a build that annotates for a while."""
    from helpers.build.bench import synthetic_corpus

    raw = tmp_path_factory.mktemp("big-raw")
    synthetic_corpus(RAW_DIR, raw, 60_000)
    return raw


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGINT to the group", "SIGTERM", "SIGKILL"])
def test_a_stopped_or_killed_build_leaves_no_process_and_the_previous_tables(
    big_raw: Path, tmp_path: Path, how: str, one_seed_clean: dict[str, bytes]
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copy(SEEDS[0], raw)
    build(raw, out, progress=False)
    before = tables_bytes(out)
    process = run_build(big_raw, out, "-j", "2", "--no-cache")
    workers = wait_for_workers(process, 2)
    time.sleep(4)  # the workers load the model and annotate
    workers |= descendants(process.pid)
    stopped = time.monotonic()
    if how == "SIGINT to the group":  # Ctrl-C in a terminal reaches every process
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL)
    try:
        process.wait(30)
        ended = time.monotonic() - stopped
        while alive(workers) and time.monotonic() - stopped < 10:
            time.sleep(0.05)
        gone = time.monotonic() - stopped
        orphans = alive(workers)
    finally:  # a failing case leaves no process behind
        for pid in alive(workers):
            os.kill(pid, signal.SIGKILL)
        _, err = process.communicate(timeout=30)  # the orphans held its pipes
    assert not orphans, f"orphans: {orphans}"
    assert gone <= 2.0, f"workers gone {gone:.1f} s after {how}"
    if how != "SIGKILL":
        assert ended <= 2.0 and process.returncode == 130, err
        assert "Traceback" not in err and "keeps the tables it had" in err, err
    assert tables_bytes(out) == before == one_seed_clean
    assert is_current(raw, out, TABLES)
    assert len(versions(out)) == 1 or how == "SIGKILL"
    build(raw, out, progress=False)  # recovers: leftovers removed, same tables
    assert tables_bytes(out) == one_seed_clean and len(versions(out)) <= 2


KILL_POINTS = {
    "reading the files": """
        import os, signal, helpers.build.rows as rows
        load, calls = rows.load_article, []
        def kill(*a):
            calls.append(1)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGKILL)
            return load(*a)
        rows.load_article = kill
    """,
    "annotating": """
        import os, signal, helpers.build.engine as engine
        def kill(documents):
            os.kill(os.getpid(), signal.SIGKILL)
        engine.annotate_documents = kill
    """,
    "aligning quotes": """
        import os, signal, helpers.build.stages as stages
        stages.align = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
    """,
    "every table written": """
        import os, signal, helpers.build.pipeline as pipeline
        pipeline.publish = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
    """,
    "the stamp written": """
        import os, signal, helpers.build.store as store
        write = store._write_atomically
        def kill(path, data):
            write(path, data)
            os.kill(os.getpid(), signal.SIGKILL)
        store._write_atomically = kill
    """,
    "the switch made": """
        import os, signal, helpers.build.store as store
        remove, calls = store._remove_versions, []
        def kill(*a):
            calls.append(1)
            if len(calls) == 2:  # the first is at the start; the second after the switch
                os.kill(os.getpid(), signal.SIGKILL)
            return remove(*a)
        store._remove_versions = kill
    """,
}


@pytest.fixture(scope="module")
def two_seeds_clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    raw = tmp_path_factory.mktemp("two-raw")
    for seed in SEEDS[:2]:
        shutil.copy(seed, raw)
    out = tmp_path_factory.mktemp("two-clean") / "out"
    build(raw, out, progress=False, use_cache=False)
    return tables_bytes(out)


@pytest.mark.slow
@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_build_killed_at_any_stage_leaves_the_previous_tables_then_recovers(
    tmp_path: Path,
    point: str,
    one_seed_clean: dict[str, bytes],
    two_seeds_clean: dict[str, bytes],
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copy(SEEDS[0], raw)
    build(raw, out, progress=False)
    stamp = (out / ".build-stamp").read_text()
    shutil.copy(SEEDS[1], raw)  # the killed build would change every table
    process = run_build(raw, out, "--no-cache", patch=KILL_POINTS[point])
    _, err = process.communicate(timeout=300)
    assert process.returncode == -signal.SIGKILL, err
    published_now = tables_bytes(out)
    if point == "the switch made":  # killed after publishing: the new tables, whole
        assert published_now == two_seeds_clean
    else:
        assert published_now == one_seed_clean
        assert (out / ".build-stamp").read_text() == stamp
        (raw / SEEDS[1].name).unlink()
        assert is_current(raw, out, TABLES)
        shutil.copy(SEEDS[1], raw)
    build(raw, out, progress=False)
    assert tables_bytes(out) == two_seeds_clean
    assert len(versions(out)) <= 2 and is_current(raw, out, TABLES)


@pytest.mark.slow
def test_two_builds_started_together_into_one_folder(
    tmp_path: Path, two_seeds_clean: dict[str, bytes]
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, raw)
    first, second = (run_build(raw, out, "--no-cache") for _ in range(2))
    results = [(p.communicate(timeout=300)[1], p.returncode)[::-1] for p in (first, second)]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 2]), results  # the second started after the first, or not
    for code, err in results:
        assert "Traceback" not in err
        if code == 2:
            assert "another build (pid" in err
    assert tables_bytes(out) == two_seeds_clean
    waited = [run_build(raw, out, "--no-cache", "--wait", "300") for _ in range(2)]
    assert [(p.communicate(timeout=600), p.returncode)[1] for p in waited] == [0, 0]
    assert tables_bytes(out) == two_seeds_clean
