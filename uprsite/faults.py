"""Failures that are not the content's, each with its exit code and a one-line message.

Exit codes (README "Exit codes"): 1 is the content's (every problem located),
2 wrong usage (here: an `--out` a build must not replace), 3 the machine
refused (disk full, read-only file system, no permission, a mount point),
4 a format's limit (a zip cannot store a date after 2107).
"""

from __future__ import annotations

import errno

EXIT_USAGE = 2
EXIT_MACHINE = 3
EXIT_FORMAT = 4

# What the machine said, in the words an operator looks for.
_FAULTS = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EBUSY: "busy (a mount point?)",
    errno.EXDEV: "on another file system (a mount point?)",
    errno.EIO: "input/output error",
    errno.EMFILE: "too many open files",
    errno.ENFILE: "too many open files",
    errno.ENOMEM: "out of memory",
}


class OutputRefused(Exception):
    """The output folder is not one a build may replace (exit 2); nothing was touched."""

    exit_code = EXIT_USAGE


class MachineFault(Exception):
    """The machine refused what the build needed (exit 3)."""

    exit_code = EXIT_MACHINE


class FormatLimit(Exception):
    """What the content holds cannot be written in an output format (exit 4)."""

    exit_code = EXIT_FORMAT


def describe(error: OSError) -> str:
    """`path: fault` for an OSError, on one line."""
    fault = _FAULTS.get(error.errno) or error.strerror or str(error) or type(error).__name__
    where = error.filename
    return f"{where}: {fault}" if where else fault
