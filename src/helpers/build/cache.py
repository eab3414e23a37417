"""Per-document results cached by the raw file's sha256 and type and the pipeline version.

The version is a hash of everything that shapes a document's results: the package's code,
its data files (lexicons, patterns), the study's files, and the spaCy, model, trafilatura
and py3langid versions. Change any of them and every document is processed again; change
nothing and a rebuild reads the cache. A stamp of the whole input lets an unchanged rebuild
stop before loading anything heavy.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import zlib
from functools import cache
from importlib.metadata import version
from pathlib import Path

from helpers.annotate.nlp import MODEL
from helpers.build.layout import STAMP, published
from helpers.ingest.files import input_digest
from helpers.study import study_digest, study_dir
from helpers.text import printable

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def pipeline_version() -> str:
    """The package's version with the study in use (``HELPERS_STUDY``)."""
    digest = hashlib.sha256(_package_version().encode())
    digest.update(study_digest(study_dir()).encode())
    return digest.hexdigest()[:16]


@cache
def _package_version() -> str:
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE_DIR.rglob("*.py"), *(PACKAGE_DIR / "data").glob("*")]):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(f"spacy {version('spacy')} {MODEL} {version(MODEL)}".encode())
    digest.update(f"trafilatura {version('trafilatura')}".encode())  # reads HTML pages
    digest.update(f"py3langid {version('py3langid')}".encode())  # decides the language
    return digest.hexdigest()[:16]


_VERSION = re.compile(r"[0-9a-f]{16}")  # pipeline_version(): a cache folder's name


def input_fingerprint(raw_dir: Path) -> str:
    """Pipeline version plus the raw folder's ``InputDigest`` now: every input's type,
    mode, size, mtime and bytes, a link's target, the manifest."""
    return stamp_of(input_digest(raw_dir))


def stamp_of(digest: str) -> str:
    """The build stamp of an input digest, made by this pipeline."""
    return hashlib.sha256(f"{pipeline_version()}\0{digest}".encode()).hexdigest()


def is_current(raw_dir: Path, out_dir: Path, tables: tuple[str, ...]) -> bool:
    """The tables published in ``out_dir`` were built from exactly this input by this
    pipeline (the stamp and the tables of one version)."""
    version = published(out_dir)
    stamp = version / STAMP
    return (
        stamp.is_file()
        and all((version / f"{t}.parquet").is_file() for t in tables)
        and stamp.read_text() == input_fingerprint(raw_dir)
    )


MAGIC = b"helpers-cache 1\n"  # an entry: MAGIC, sha256 of the rest, zlib(JSON)


class DocCache:
    """One entry of plain data per document under ``<dir>/<pipeline version>/``: JSON,
    compressed, after the sha256 of what follows, and naming its own key. An entry that is
    truncated, corrupt, of another document or no entry at all is ignored with a warning
    (the document is annotated again and the entry rewritten); nothing read is ever
    executed. Older versions' folders (named as this one is named) are removed when a new
    one is opened. A ``root`` that is not a folder of its own (a file, a link) is left
    alone and the build runs without a cache (``DocCache.open``)."""

    def __init__(self, root: Path) -> None:
        self.dir = root / pipeline_version()
        if root.is_dir() and not root.is_symlink():  # only older versions, named as this one
            for old in root.iterdir():
                if old.is_dir() and not old.is_symlink() and old != self.dir and (
                    _VERSION.fullmatch(old.name)
                ):
                    shutil.rmtree(old)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.warned = 0

    @classmethod
    def open(cls, root: Path) -> DocCache | None:
        """The cache at ``root``, or None with a warning where ``root`` is not a folder the
        cache may use."""
        if root.is_symlink() or (root.exists() and not root.is_dir()):
            print(
                f"warning: {printable(str(root))} is not a folder of the cache: left alone, "
                "and every document annotated",
                file=sys.stderr,
            )
            return None
        try:
            return cls(root)
        except OSError as err:
            print(f"warning: no cache ({err}): every document annotated", file=sys.stderr)
            return None

    def _path(self, key: str) -> Path:
        return self.dir / f"{key}.json.z"

    def get(self, key: str) -> dict | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as err:
            return self._ignored(path, f"cannot be read ({err.strerror})")
        body = data[len(MAGIC) + 32 :]
        if not data.startswith(MAGIC) or hashlib.sha256(body).digest() != data[len(MAGIC) :][:32]:
            return self._ignored(path, "truncated or corrupt")
        try:
            entry = json.loads(zlib.decompress(body))
        except (ValueError, zlib.error):
            return self._ignored(path, "not an entry of this cache")
        if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(
            entry.get("result"), dict
        ):
            return self._ignored(path, "another document's entry")
        return entry["result"]

    def _ignored(self, path: Path, why: str) -> None:
        self.warned += 1
        if self.warned <= 10:
            print(
                f"warning: cache entry {path.name} {why}: ignored, the document is annotated "
                "again",
                file=sys.stderr,
            )
        return None

    def put(self, key: str, result: dict) -> None:
        body = zlib.compress(
            json.dumps({"key": key, "result": result}, separators=(",", ":")).encode(), 1
        )
        tmp = self.dir / f".{key}.{os.getpid()}.tmp"
        tmp.write_bytes(MAGIC + hashlib.sha256(body).digest() + body)
        tmp.replace(self._path(key))  # never a half-written entry
