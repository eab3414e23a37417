"""The layout of an output folder of tables, light to import (an unchanged rebuild reads
its stamp with this alone).

    out/.helpers-tables          the marker: a folder the build may write in
    out/.lock                    held by the one build writing here (its pid inside)
    out/.versions/<id>/          one build's tables and its stamp
    out/.current -> .versions/<id>   the published version, switched in one rename
    out/articles.parquet -> .current/articles.parquet   (each table, and .build-stamp)
    out/.cache/                  per-document results (``helpers.build.cache``)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MARKER = ".helpers-tables"  # names a folder of this kit's tables: the build may write there
CURRENT = ".current"  # a link to the published version: switched in one step
VERSIONS = ".versions"  # one folder per build, each holding every table and its stamp
LOCK = ".lock"  # held (flock) by the one build writing the folder; holds its pid
STAMP = ".build-stamp"  # in a version: the digest of the input it was built from
_VERSION_NAME = re.compile(r"\d{19,20}-\d+")  # time_ns-pid: a version's folder


def published(folder: Path) -> Path:
    """The folder of the tables a reader reads: the version ``.current`` links to, read
    once, so every table comes from the same build; ``folder`` itself where no build has
    published versions there (a folder of an older kit's tables)."""
    try:
        target = os.readlink(folder / CURRENT)
    except OSError:  # no link: the older layout
        return folder
    return folder / target
