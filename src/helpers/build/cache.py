"""Per-document results cached by the raw file's sha256 and the pipeline version.

The version is a hash of everything that shapes a document's results: the package's code,
its data files (lexicons, patterns), the study's files, and the spaCy, model, trafilatura
and py3langid versions. Change any of them and every document is processed again; change
nothing and a rebuild reads the cache. A stamp of the whole input lets an unchanged rebuild
stop before loading anything heavy.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
from functools import cache
from importlib.metadata import version
from pathlib import Path

from helpers.annotate.nlp import MODEL
from helpers.study import study_digest, study_dir

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


STAMP = ".build-stamp"
_VERSION = re.compile(r"[0-9a-f]{16}")  # pipeline_version(): a cache folder's name


def input_fingerprint(raw_dir: Path) -> str:
    """Pipeline version plus the name and bytes of every file in the raw folder."""
    digest = hashlib.sha256(pipeline_version().encode())
    for name in sorted(os.listdir(raw_dir)):  # names: a Path per file holds ~900 bytes
        path = raw_dir / name
        digest.update(name.encode())
        if path.is_symlink():
            digest.update(str(path.readlink()).encode())  # never read outside the folder
        elif path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def is_current(raw_dir: Path, out_dir: Path, tables: tuple[str, ...]) -> bool:
    """The tables in ``out_dir`` were built from exactly this input by this pipeline."""
    stamp = out_dir / STAMP
    return (
        stamp.exists()
        and all((out_dir / f"{t}.parquet").exists() for t in tables)
        and stamp.read_text() == input_fingerprint(raw_dir)
    )


def clear_stamp(out_dir: Path) -> None:
    """Tables being replaced are current for no input."""
    (out_dir / STAMP).unlink(missing_ok=True)


def write_stamp(raw_dir: Path, out_dir: Path) -> None:
    (out_dir / STAMP).write_text(input_fingerprint(raw_dir))


class DocCache:
    """One pickle per document under ``<dir>/<pipeline version>/``; older versions are
    removed when a new one is opened."""

    def __init__(self, root: Path) -> None:
        self.dir = root / pipeline_version()
        if root.exists():  # only folders of older versions, named as this one is named
            for old in root.iterdir():
                if old.is_dir() and old != self.dir and _VERSION.fullmatch(old.name):
                    shutil.rmtree(old)
        self.dir.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        return self.dir / f"{sha256}.pkl"

    def get(self, sha256: str) -> dict | None:
        path = self._path(sha256)
        if not path.exists():
            return None
        with path.open("rb") as fh:
            return pickle.load(fh)

    def put(self, sha256: str, result: dict) -> None:
        tmp = self._path(sha256).with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self._path(sha256))  # never a half-written entry
