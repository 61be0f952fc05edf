"""The shipped sample site, built once per test session for the quality gates.

The gates (links, HTML validity, accessibility, weight, phones and print)
look at every page of the same build of `content/`. Each gate module imports
the `sample_site` fixture from here; the build is kept at module level so that
it runs once however many modules use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import ROOT, run_cli

LANGUAGES = ("en", "fr", "es")

_built: dict[str, "SampleSite"] = {}


@dataclass(frozen=True)
class SampleSite:
    root: Path
    log: str  # what `build -v` printed (timings, heaviest pages)

    def pages(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> SampleSite:
    if "site" not in _built:
        out = tmp_path_factory.mktemp("sample-site") / "site"
        # --no-cache: the session's first test may run before the private cache is set up.
        result = run_cli("build", "--content", str(ROOT / "content"), "--out", str(out), "-v", "--no-cache")
        assert result.returncode == 0, result.stderr
        _built["site"] = SampleSite(out, result.stderr)
    return _built["site"]


class Elements(HTMLParser):
    """Every start tag of a page with its attributes and line, and the ids it defines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.text_of_script: list[tuple[int, dict, str]] = []
        self._script: tuple[int, dict] | None = None
        self._chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        line = self.getpos()[0]
        self.tags.append((line, tag, attributes))
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.ids.add(attributes["name"])
        if tag == "script":
            self._script, self._chunks = (line, attributes), []

    def handle_data(self, data):
        if self._script is not None:
            self._chunks.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.text_of_script.append((*self._script, "".join(self._chunks)))
            self._script = None


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


_parsed: dict[Path, dict[Path, Elements]] = {}


def parsed_pages(root: Path) -> dict[Path, Elements]:
    """Every HTML page under root, parsed once per session."""
    if root not in _parsed:
        _parsed[root] = {path: parse(path) for path in sorted(root.rglob("*.html"))}
    return _parsed[root]
