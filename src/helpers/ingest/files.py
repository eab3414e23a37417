"""What the paths of a raw folder are and which of them the build reads, from their
metadata alone, and the digest of a folder as the build read it. Light to import: an
unchanged rebuild checks its stamp with this alone."""

from __future__ import annotations

import hashlib
import os
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

MANIFEST = "manifest.csv"
ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}
MAX_BYTES = 5_000_000  # a news article is far smaller; larger files are rejected, not read
MAX_MANIFEST_BYTES = 256_000_000  # a manifest of a million rows is far smaller


@dataclass(frozen=True)
class Probe:
    """What a path in the raw folder is, from its metadata alone (nothing is read): a
    link's target as written ("" when it is no link), then of what it leads to its kind
    (``file``, ``folder``, ``fifo``, ``socket``, ``device``, ``missing``, or ``outside``
    for a link out of the raw folder, which is never followed), mode, size and mtime."""

    link: str
    kind: str
    mode: int = 0
    size: int = 0
    mtime_ns: int = 0

    def key(self) -> str:
        return f"{self.link}\0{self.kind}\0{self.mode:o}\0{self.size}\0{self.mtime_ns}"


ABSENT = Probe("", "missing")

_KINDS = (
    (stat.S_ISREG, "file"),
    (stat.S_ISDIR, "folder"),
    (stat.S_ISFIFO, "fifo"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "device"),
    (stat.S_ISBLK, "device"),
)
NOT_A_FILE = {
    "folder": "a folder, not a file: not read",
    "fifo": "a named pipe (FIFO), not a file: not read",
    "socket": "a socket, not a file: not read",
    "device": "a device, not a file: not read",
    "missing": "a link to nothing, not a file",
    "other": "not a regular file: not read",
}


def probe(path: Path, raw_dir: Path) -> Probe:
    """What ``path`` is (``Probe``), following a link only into the raw folder."""
    try:
        found = os.lstat(path)
    except OSError:
        return Probe("", "missing")
    link = ""
    if stat.S_ISLNK(found.st_mode):
        try:
            link = os.readlink(path)
        except OSError:
            link = "?"
        if not path.resolve().is_relative_to(raw_dir.resolve()):
            return Probe(link, "outside", found.st_mode, found.st_size, found.st_mtime_ns)
        try:
            found = os.stat(path)
        except OSError:
            return Probe(link, "missing")
    kind = next((name for test, name in _KINDS if test(found.st_mode)), "other")
    return Probe(link, kind, found.st_mode, found.st_size, found.st_mtime_ns)


def read_at_most(path: Path, limit: int) -> bytes | None:
    """The bytes of the regular file at ``path``, None when it holds more than ``limit``
    (never more than ``limit`` + 1 bytes are read, whatever its size became since it was
    probed). Raises OSError when it cannot be read or is no longer a regular file (opened
    without blocking: a pipe put in its place is not waited on)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path.name} is no longer a regular file")
        chunks, held = [], 0
        while held <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - held))
            if not chunk:
                break
            chunks.append(chunk)
            held += len(chunk)
    finally:
        os.close(fd)
    return None if held > limit else b"".join(chunks)


def reads(name: str, found: Probe, max_bytes: int = MAX_BYTES) -> bool:
    """Whether the build reads the bytes of input ``name`` (``load_article``'s checks
    before it reads): a regular file in the raw folder, of an article type, not too large."""
    return (
        found.kind == "file"
        and PurePath(name).suffix.lower() in ARTICLE_SUFFIXES
        and found.size <= max_bytes
    )


def unreadable_reason(err: OSError) -> str:
    why = err.strerror or str(err)
    return f"cannot be read ({why.lower()}): check its permissions"


def list_inputs(raw_dir: Path) -> list[str]:
    """The name of every path directly in ``raw_dir`` (manifest and hidden files aside),
    whatever it is, sorted: each becomes a row, a folder or a pipe rejected with its reason.
    Names, not paths: a ``Path`` holds its parts and caches its string forms, held for
    every file while they are read (docs/scale.md)."""
    with os.scandir(raw_dir) as entries:
        return sorted(e.name for e in entries if e.name != MANIFEST and not e.name.startswith("."))


class DocIds:
    """The document id of each of ``names``: the file name without extension, the full
    name where two files share a stem or the stem is another file's full name (``y.txt``,
    ``y.html``, ``y.txt.txt``: ids ``y.txt``, ``y.html``, ``y.txt.txt``), so no two files
    share an id. Worked out when asked, not held (a dict of them was ~125 bytes a file)."""

    def __init__(self, names: Iterable[str]) -> None:
        names = list(names)
        stems = Counter(PurePath(name).stem for name in names)
        self.shared = {stem for stem, count in stems.items() if count > 1}
        self.shared |= set(stems).intersection(names)  # a stem that is a file's name

    def __call__(self, name: str) -> str:
        stem = PurePath(name).stem
        return shown(name if stem in self.shared else stem)


def shown(name: str) -> str:
    """A file name as the tables hold it: bytes that are not UTF-8 (kept by the system as
    surrogates, which Parquet cannot hold) written as escapes, ``\\xff``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def ordered_inputs(raw_dir: Path) -> tuple[list[str], DocIds]:
    """The input names of ``raw_dir`` (``list_inputs``) in the order of their document ids,
    which orders every table and the build's reading, and their ids."""
    names = list_inputs(raw_dir)
    doc_id = DocIds(names)
    names.sort(key=doc_id)
    return names, doc_id


class InputDigest:
    """The digest of a raw folder as the build read it: the manifest, then every input in
    reading order, each by name, what it was when read (``Probe``: link, kind, mode, size,
    mtime) and the sha256 of the bytes read ("" for a path that is not read). A file that
    changes while the build runs gives another digest afterwards, so the stamp holding
    this one is not current. Folded as the paths arrive: nothing is held per file."""

    def __init__(self) -> None:
        self.hash = hashlib.sha256()

    def add(self, name: str, found: Probe | None, sha256: str) -> None:
        key = found.key() if found is not None else "?"
        self.hash.update(f"{name}\0{key}\0{sha256}\n".encode("utf-8", "surrogateescape"))

    def hexdigest(self) -> str:
        return self.hash.hexdigest()


def input_digest(raw_dir: Path) -> str:
    """The ``InputDigest`` of ``raw_dir`` now, worked out the way the build reads it."""
    digest = InputDigest()
    manifest = raw_dir / MANIFEST
    found = probe(manifest, raw_dir)
    digest.add(MANIFEST, found, _sha_of(manifest, MAX_MANIFEST_BYTES) if found.kind == "file"
               and found.size <= MAX_MANIFEST_BYTES else "")
    for name in ordered_inputs(raw_dir)[0]:
        found = probe(raw_dir / name, raw_dir)
        digest.add(name, found, _sha_of(raw_dir / name, MAX_BYTES) if reads(name, found) else "")
    return digest.hexdigest()


def _sha_of(path: Path, limit: int) -> str:
    try:
        data = read_at_most(path, limit)
    except OSError:
        return ""
    return "" if data is None else sha256_of(data)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
