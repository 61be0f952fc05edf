"""Worker processes that do not outlive their build.

A build killed with `kill -9` cannot stop its forked workers; an idle pool
worker would then wait forever for work that never comes, and a busy one
would go on writing for nobody. Every pool is started with `die_with_parent`
as its initializer.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import signal

_PR_SET_PDEATHSIG = 1


@functools.cache
def libc():
    """The C library (prctl, renameat2, malloc_trim are not in `os`), or None where there is none to load."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


def die_with_parent(parent: int) -> None:
    """In a forked worker: be killed when the process `parent` dies (Linux's PR_SET_PDEATHSIG)."""
    with contextlib.suppress(AttributeError):  # not Linux: the check below still stands
        libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)


def pool_options() -> dict:
    """Keyword arguments for multiprocessing's Pool, for workers that die with this process."""
    return {"initializer": die_with_parent, "initargs": (os.getpid(),)}
