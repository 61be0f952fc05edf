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
import multiprocessing
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


# What the workers of the running fork_map call and share. A module global
# rather than an argument: forked workers inherit it as it stands, so the
# shared data (a whole database, every review file) is never pickled to reach
# them, which would cost more than the work it lets them share.
_FORKED: tuple = ()


def can_fork() -> bool:
    """Whether this platform starts processes by fork, which fork_map needs to share without pickling."""
    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(function, shared, items, workers: int, chunksize: int | None = None, meanwhile=None) -> list:
    """function(shared, item) for each item, in order, in `workers` forked processes that die with this one.

    `shared` reaches the workers by fork inheritance, unpickled; only items and
    results are pickled. `meanwhile`, if given, runs in this process while the
    workers work. With fewer than one worker, or no fork, everything runs here.
    """
    global _FORKED
    if workers < 1 or not can_fork():
        if meanwhile is not None:
            meanwhile()
        return [function(shared, item) for item in items]
    _FORKED = (function, shared)
    try:
        with multiprocessing.get_context("fork").Pool(workers, **pool_options()) as pool:
            results = pool.map_async(_call_forked, items, chunksize=chunksize)
            if meanwhile is not None:
                meanwhile()
            return results.get()
    finally:
        _FORKED = ()


def _call_forked(item):
    function, shared = _FORKED
    return function(shared, item)
