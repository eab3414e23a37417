"""The start of a worker process of the local engine, light to import: it runs before the
worker imports the package's heavy modules (spaCy, pandas), so the worker is tied to the
build from its first moment.

A worker ignores Ctrl-C (the build stops its workers itself, at once), is sent SIGKILL by
the system when the build's process dies (Linux's parent-death signal), and has a thread
that ends it once its parent is gone (any system, and a parent that died before the
signal was set up). Only then does it import and run its warm-up.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_SECONDS = 0.25  # how often a worker looks for its parent


def named(fn: Callable[[], None]) -> str:
    """A module-level function as ``module:name``, imported by the worker when it starts."""
    return f"{fn.__module__}:{fn.__qualname__}"


def start_worker(parent: int, warm_up: str) -> None:
    """Tie this worker to its ``parent`` (the build's pid), then run ``warm_up``
    (``module:name``, see ``named``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    module, name = warm_up.split(":")
    getattr(importlib.import_module(module), name)()


@contextlib.contextmanager
def spawning() -> Iterator[None]:
    """Ctrl-C ignored while worker processes are spawned here, so that they start with it
    ignored (the disposition is inherited) and an interrupt during their start-up is the
    build's alone. Only in the main thread, where signals are handled."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
