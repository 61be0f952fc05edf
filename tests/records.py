"""The content read independently of uprsite, for checking figures and downloads.

Reads content YAML with PyYAML's own loader (not the project's loader,
model or statistics) and answers with plain dicts, so that tests compare
what the site shows with counts computed a second, separate way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml
from babel import Locale

RESPONSES = ("supported", "noted", "partially-supported", "pending", "no-response", "withdrawn")
STATUSES = ("not-implemented", "partially-implemented", "fully-implemented")
# The English UI names of values (what readers of the English pages see).
RESPONSE_NAMES = {
    "supported": "Supported",
    "noted": "Noted",
    "partially-supported": "Partially supported",
    "pending": "Pending",
    "no-response": "No response",
    "withdrawn": "Withdrawn",
}
ACTION_NAMES = {
    1: "1: Minimal action",
    2: "2: Continuing action",
    3: "3: Considering action",
    4: "4: General action",
    5: "5: Specific action",
    None: "No action category",
}
STATUS_NAMES = {
    "not-implemented": "Not implemented",
    "partially-implemented": "Partially implemented",
    "fully-implemented": "Fully implemented",
}


@dataclass
class Content:
    recs: list[dict]  # every recommendation, with "session", "state" and "cycle" added, in site order
    countries: dict[str, dict]
    themes: dict[str, dict]  # in file order
    sessions: dict[int, dict]
    reviews: dict[tuple[int, str], dict]

    def english_state(self, code: str) -> str:
        country = self.countries[code]
        return (country.get("name") or {}).get("en") or Locale("en").territories[country["iso2"]]

    def english_theme(self, theme_id: str) -> str:
        name = self.themes[theme_id]["name"]
        return name.get("en") or next(iter(name.values()))


def _load(path: Path):
    # BaseLoader keeps every scalar a string (as YAML 1.2's core schema would for these files).
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def read_content(root: Path) -> Content:
    countries = {}
    for path in sorted((root / "countries").glob("*.yaml")):
        data = _load(path)
        countries[data["code"]] = data
    themes = {t["id"]: t for t in _load(root / "themes.yaml")}
    sessions, reviews, recs = {}, {}, []
    for folder in sorted((root / "sessions").iterdir(), key=lambda p: int(p.name)):
        session = _load(folder / "session.yaml")
        number = int(session["number"])
        sessions[number] = session
        for path in sorted(folder.glob("[A-Z][A-Z][A-Z].yaml")):
            review = _load(path)
            reviews[(number, review["state"])] = review
            for rec in review.get("recommendations") or []:
                rec = dict(rec)
                rec["session"], rec["state"], rec["cycle"] = number, review["state"], int(session["cycle"])
                rec["action"] = int(rec["action"]) if rec.get("action") else None
                rec["sdgs"] = [int(g) for g in rec.get("sdgs") or []]
                rec["themes"] = list(rec.get("themes") or [])
                rec["implementation"] = list(rec.get("implementation") or [])
                recs.append(rec)
    return Content(recs, countries, themes, sessions, reviews)


def number_of(text: str) -> int:
    """'1,234', '1 234', '1.234' -> 1234."""
    return int(re.sub(r"\D", "", text))


def share_of(text: str) -> float:
    """'12.5%', '12,5 %' -> 12.5."""
    return float(re.sub(r"[^\d.]", "", text.replace(",", ".")))


class StatsPage(HTMLParser):
    """The statistics blocks of a page: key figures (dl.figures) and each chart's table and SVG."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []  # ("figures", {dt: dd}) | ("chart", id, caption, rows, svg_source_span)
        self._in = None
        self._cell: list[str] = []
        self._row: list[str] = []
        self._dl: dict | None = None
        self._dt = ""
        self._figure: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "dl" and attrs.get("class") == "figures":
            self._dl = {}
        elif tag == "figure" and attrs.get("class") == "chart":
            self._figure = {"rows": [], "caption": "", "id": None, "rects": 0}
        elif self._figure is not None:
            if tag == "svg":
                self._figure["id"] = attrs["aria-labelledby"].split()[0][:-2]
            elif tag == "rect":
                self._figure["rects"] += 1
            elif tag in ("th", "td") and self._row is not None:
                self._in, self._cell = tag, []
            elif tag == "figcaption":
                self._in, self._cell = "caption", []
            elif tag == "tr":
                self._row = []
        if self._dl is not None and tag in ("dt", "dd"):
            self._in, self._cell = tag, []

    def handle_data(self, data):
        if self._in:
            self._cell.append(data)

    def handle_endtag(self, tag):
        text = "".join(self._cell).strip()
        if self._dl is not None:
            if tag == "dt":
                self._dt, self._in = text, None
            elif tag == "dd":
                self._dl[self._dt], self._in = text, None
            elif tag == "dl":
                self.events.append(("figures", self._dl))
                self._dl = None
        if self._figure is not None:
            if tag == "figcaption":
                self._figure["caption"], self._in = text, None
            elif tag in ("th", "td") and self._in in ("th", "td"):
                self._row.append(text)
                self._in = None
            elif tag == "tr" and self._row and self._row[0] and len(self._row) == 3:
                if not (self._row[1] and not self._row[1][0].isdigit()):  # skip the header row
                    self._figure["rows"].append(tuple(self._row))
                self._row = []
            elif tag == "figure":
                self.events.append(("chart", self._figure["id"], self._figure))
                self._figure = None

    def blocks(self) -> dict[str, dict]:
        """prefix -> {"figures": {dt: dd}, "charts": {kind: figure}} (a chart id is <prefix>-<kind>)."""
        result: dict[str, dict] = {}
        pending = None
        for event in self.events:
            if event[0] == "figures":
                pending = event[1]
            else:
                prefix, kind = event[1].split("-", 1)
                block = result.setdefault(prefix, {"figures": pending, "charts": {}})
                block["charts"][kind] = event[2]
                pending = None
        return result


def stats_of(html: str) -> dict[str, dict]:
    parser = StatsPage()
    parser.feed(html)
    parser.close()
    return parser.blocks()
