"""Located problems in content, reported to editors as `path:line:col: message`.

Every stage that reads content (loader, validator, importer) reports through
these types so that the command line, the live preview and CI annotations all
print the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass


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
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
