"""Located problems in content, reported to editors as `path:line:col: message`.

Every stage that reads content (loader, validator, importer) reports through
these types so that the command line, the live preview and CI annotations all
print the same thing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# How many problems are printed one by one. A broken 10 MB file can hold millions (2 million
# "unknown key" lines, 237 MB of output, minutes of a terminal or a CI log); an editor fixes the
# first ones and runs check again, and the rest are summed up by kind.
SHOWN_PROBLEMS = 200


def cut(text: str, limit: int = 60) -> str:
    """A text short enough to quote in a message (which must never echo a whole file)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    path: str
    line: int
    column: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def github_annotation(self) -> str:
        # Workflow commands end at a newline and treat '%' specially, so those
        # characters are escaped as GitHub documents.
        message = str(self.message) + (f" (hint: {self.hint})" if self.hint else "")
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return f"::error file={path},line={self.line},col={self.column}::{message}"


class ContentError(Exception):
    """Raised when content is invalid; carries every problem found, sorted."""

    def __init__(self, problems: list[Problem]):
        # By a tuple key: dataclass comparisons, in Python, take seconds for a million problems.
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.message, p.hint))
        super().__init__(f"{len(self.problems)} problem(s)")

    def __str__(self) -> str:
        return "\n".join(report_lines(self.problems))

    def __reduce__(self):
        # Raised in render workers too: it crosses to the build process pickled, with its problems.
        return (ContentError, (self.problems,))


_QUOTED = re.compile(r"'[^']*'")
_NUMBER = re.compile(r"[0-9][0-9,.]*[0-9]|[0-9]")


def kind(problem: Problem) -> str:
    """What a message says without the values it quotes: `unknown key '...'`, `... (first at line N, ...)`."""
    return cut(_NUMBER.sub("N", _QUOTED.sub("'...'", problem.message)), 80)


def remainder(problems: list[Problem], shown: int = SHOWN_PROBLEMS) -> str | None:
    """One line counting the problems after the first `shown`, by kind, most frequent first; None if none."""
    rest = problems[shown:]
    if not rest:
        return None
    kinds = Counter(kind(p) for p in rest)
    listed = sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
    parts = [f"{count:,} \u00d7 {text}" for count, text in ((c, t) for t, c in listed[:10])]
    if len(listed) > 10:
        parts.append(f"{sum(c for _, c in listed[10:]):,} of {len(listed) - 10:,} other kinds")
    return f"... and {len(rest):,} more: " + "; ".join(parts)


def report_lines(problems: list[Problem], shown: int = SHOWN_PROBLEMS) -> list[str]:
    """The problems as `check` prints them: the first `shown` one a line, then a count of the rest by kind."""
    lines = [str(p) for p in problems[:shown]]
    more = remainder(problems, shown)
    if more:
        lines.append(more)
    return lines
