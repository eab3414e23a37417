"""Keeping the build's main process small.

glibc gives each thread that allocates its own malloc arena and keeps what is freed there
for that thread. The build's main process runs helper threads (the worker pool's feed and
result threads, Arrow's thread pool) whose arenas grew with the corpus while holding
little: at 1 M words its peak was ~90 MB higher than with one arena, in which freed memory
is reused by every thread. The setting takes effect for arenas created after it, so it is
made before pandas and pyarrow are imported and start threads.
"""

from __future__ import annotations

import ctypes
import sys

M_ARENA_MAX = -8  # glibc's malloc.h


def one_malloc_arena() -> bool:
    """Serve every thread of this process from glibc's one main arena. False where the C
    library is not glibc, which then keeps its own policy."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    return bool(libc.mallopt(M_ARENA_MAX, 1))


def use_system_allocator() -> None:
    """Arrow's default allocator keeps freed pages for reuse; a build makes its large
    tables once, so the system allocator, which hands them back, keeps its peak lower."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
