"""Keeping the build's main process small.

glibc gives each thread that allocates its own malloc arena and keeps what is freed there
for that thread. The build's main process runs helper threads (the worker pool's feed and
result threads, Arrow's thread pool) whose arenas grew with the corpus while holding
little; with one arena, freed memory is reused by every thread. The setting takes effect
for arenas created after it, so it is made before pandas and pyarrow are imported and
start threads.

glibc also raises the size from which it maps a block of its own (instead of carving it
from the heap) each time such a block is freed; the arrays the build makes and frees
then stay in the heap, where what is freed is rarely handed back. A fixed threshold keeps
large blocks mapped. Workers keep glibc's defaults, as ``nlp.pipe`` does: with the same
threshold they annotate more slowly. The measurements are in docs/scale.md.

Arrow allocates from mimalloc by default, which keeps the pages it frees: reading the
tables back a row group at a time left more resident the larger the corpus, out of sight
of Python's and glibc's accounting. Arrow reads its allocator from
``ARROW_DEFAULT_MEMORY_POOL`` once, when pyarrow is imported; "system" makes it glibc's.
"""

from __future__ import annotations

import ctypes
import os
import sys

M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # glibc's malloc.h
MAP_FROM = 256 << 10  # bytes: blocks this large or larger are mapped, and unmapped when freed


def main_process_memory() -> bool:
    """Make Arrow allocate with the C library (for this process and the workers it starts,
    unless ``ARROW_DEFAULT_MEMORY_POOL`` is set already), serve every thread of this
    process from glibc's one main arena and map blocks of ``MAP_FROM`` bytes or more.
    Call it before pyarrow is imported. False where the C library is not glibc, which then
    keeps its own policy."""
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    return bool(libc.mallopt(M_ARENA_MAX, 1)) and bool(libc.mallopt(M_MMAP_THRESHOLD, MAP_FROM))
