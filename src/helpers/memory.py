"""Keeping the build's main process small.

glibc gives each thread that allocates its own malloc arena and keeps what is freed there
for that thread. The build's main process runs helper threads (the worker pool's feed and
result threads, Arrow's thread pool) whose arenas grew with the corpus while holding
little: at 1 M words its peak was ~90 MB higher than with one arena, in which freed memory
is reused by every thread. The setting takes effect for arenas created after it, so it is
made before pandas and pyarrow are imported and start threads.

glibc also raises the size from which it maps a block of its own (instead of carving it
from the heap) each time such a block is freed, up to 32 MB; the arrays the build makes
and frees then stay in the heap, where what is freed is rarely handed back. A fixed
threshold keeps large blocks mapped: at 4 M words the main process's peak fell from 370
to 347 MB. Workers keep glibc's defaults, as ``nlp.pipe`` does: with the same threshold
they annotated 4 M words in 512 s instead of 451 s.
"""

from __future__ import annotations

import ctypes
import sys

M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # glibc's malloc.h
MAP_FROM = 256 << 10  # bytes: blocks this large or larger are mapped, and unmapped when freed


def main_process_malloc() -> bool:
    """Serve every thread of this process from glibc's one main arena, and map blocks of
    ``MAP_FROM`` bytes or more. False where the C library is not glibc, which then keeps
    its own policy."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    return bool(libc.mallopt(M_ARENA_MAX, 1)) and bool(libc.mallopt(M_MMAP_THRESHOLD, MAP_FROM))


def use_system_allocator() -> None:
    """Arrow's default allocator keeps freed pages for reuse; a build makes its large
    tables once, so the system allocator, which hands them back, keeps its peak lower."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
