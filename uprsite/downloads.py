"""The data files readers take away: CSV and JSON of the recommendations under site/data/.

A view of the model, like the pages: one set of files for all languages.
Each scope (the whole database, a country's received and made
recommendations, a session, a theme) gets up to three formats:

- `.csv`: UTF-8, a header, one row per recommendation (a joint recommendation
  is one row, its co-authors joined by `;`), one text column per language;
- `.json`: `{"format": ..., "recommendations": [...]}`, documented by
  docs/recommendations.schema.json (copied next to the data);
- `-upr-info.csv`: the UPR Info database export, byte for byte in its form
  (`;`, byte-order mark, CRLF, one row per recommending State, names in
  English, the text in its first available language, no final line break),
  so that spreadsheets built on that export keep working.

At 160,000 recommendations every copy of the database costs tens of MB, so
which scope gets which format is a decision (OFFERS below), and the files of
the whole database come gzip-compressed only. Every recommendation is encoded
once per format, as bytes; a file is its header and its recommendations'
lines joined, so the size of every file is known before any page is rendered
(pages show it) and the files themselves are assembled only when written.
Output is deterministic: gzip without a name and with mtime 0.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import labels, model, urls
from .localise import Localiser

SCHEMA_SOURCE = Path(__file__).resolve().parent.parent / "docs" / "recommendations.schema.json"
SCHEMA_PATH = urls.data("recommendations.schema.json")
JSON_FORMAT = "uprsite-recommendations/1"

CSV_COLUMNS = ("id", "session", "cycle", "state_under_review", "recommended_by",
               *(f"text_{lang}" for lang in model.LANGUAGES),
               "themes", "response", "action", "sdgs", "implementation_status")
UPR_INFO_HEADER = ("SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp", "Org", "Response", "Action", "Issue",
                   "Session")
# UPR Info's names of the regional groups.
UPR_INFO_REGIONS = {"africa": "Africa", "asia-pacific": "Asia", "eeg": "EEG", "grulac": "GRULAC",
                    "weog": "WEOG", "none": "Observer"}
GZIP_LEVEL = 6
COMPRESSORS = 2  # threads compressing at once

# Formats: (name, file suffix). "csv.gz" etc. are the gzip-compressed files.
CSV, JSON, UPR_INFO = "csv", "json", "upr-info"
SUFFIX = {CSV: ".csv", JSON: ".json", UPR_INFO: "-upr-info.csv"}

# Which formats each scope offers. Whole-database files are gzip-compressed
# only (a 60 MB CSV is no download for a phone); per-scope files are small
# and stay plain, so that they open with a double click.
WHOLE, RECEIVED, MADE, SESSION, THEME = "whole", "received", "made", "session", "theme"
OFFERS = {
    WHOLE: ((CSV, True), (JSON, True), (UPR_INFO, True)),
    RECEIVED: ((CSV, True),),
    MADE: ((CSV, True),),
    SESSION: ((CSV, True),),
    THEME: ((CSV, True),),
}


@dataclass(frozen=True, slots=True)
class Offer:
    """One file a page links to; its size is known once the files are finished."""

    format: str  # CSV | JSON | UPR_INFO
    gzip: bool
    path: str  # site path, under data/
    sizes: dict = field(repr=False, compare=False, hash=False)  # path -> bytes, filled by Downloads.finish

    @property
    def size(self) -> int:
        return self.sizes[self.path]


def scope_stem(scope: str, key) -> str:
    """The site path of a scope's files, without the format's suffix."""
    if scope == WHOLE:
        return urls.data("recommendations")
    if scope == RECEIVED:
        return urls.data(f"countries/{key.lower()}")
    if scope == MADE:
        return urls.data(f"countries/{key.lower()}-made")
    if scope == SESSION:
        return urls.data(f"sessions/{key}")
    if scope == THEME:
        return urls.data(f"themes/{key}")
    raise ValueError(scope)


def _quoted(text: str, delimiter: str) -> str:
    """A CSV field as the csv module writes it with QUOTE_MINIMAL (spreadsheets read either way)."""
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if delimiter in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


class Encoder:
    """Each recommendation's line in each format, as UTF-8 bytes.

    Written with f-strings rather than csv.writer and json.dumps of a dict:
    at 160,000 recommendations that is seconds saved on every build. Only
    texts and names can hold a delimiter, a quote or a line break; ids,
    codes, slugs and numbers cannot (the content contract says so).
    """

    def __init__(self, db: model.Database):
        self.db = db
        english = Localiser("en", db.site)
        self._cycle = {n: str(s.cycle) for n, s in db.sessions.items()}
        self._upr_state = {}
        for code, country in db.countries.items():
            orgs = ", ".join(_english(db.organisations[o].acronym, db.site) for o in country.organisations)
            fields = (english.country_name(country), UPR_INFO_REGIONS[country.region], orgs)
            self._upr_state[code] = ";".join(_quoted(f, ";") for f in fields)
        self._theme_name = {t.id: _english(t.name, db.site) for t in db.themes.values()}
        self._response_name = {k: ("Supported" if k == "supported" else "Noted" if k == "noted" else v)
                               for k, v in labels.RESPONSES.items()}

    def csv_lines(self, recs) -> list[bytes]:
        cycle = self._cycle
        lines = []
        for rec in recs:
            texts = dict(rec.text.values)
            text_fields = ",".join(_quoted(texts.get(lang, ""), ",") for lang in model.LANGUAGES)
            latest = rec.implementation[-1].status if rec.implementation else ""
            lines.append(f"{rec.id},{rec.session},{cycle[rec.session]},{rec.state},{';'.join(rec.by)},"
                         f"{text_fields},{';'.join(rec.themes)},{rec.response},{rec.action or ''},"
                         f"{';'.join(map(str, rec.sdgs))},{latest}\r\n".encode("utf-8"))
        return lines

    def json_lines(self, recs) -> list[bytes]:
        cycle, string = self._cycle, json.encoder.encode_basestring
        lines = []
        for rec in recs:
            texts = ",".join(f'"{lang}":{string(value)}' for lang in model.LANGUAGES
                             if (value := rec.text.get(lang)) is not None)
            by = ",".join(f'"{code}"' for code in rec.by)
            themes = ",".join(f'"{theme}"' for theme in rec.themes)
            implementation = ",".join(json.dumps(_assessment(a), ensure_ascii=False, separators=(",", ":"))
                                      for a in rec.implementation)
            lines.append(
                f'{{"id":"{rec.id}","session":{rec.session},"cycle":{cycle[rec.session]},"state":"{rec.state}",'
                f'"by":[{by}],"text":{{{texts}}},"themes":[{themes}],'
                f'"response":"{rec.response}","action":{rec.action or "null"},'
                f'"sdgs":[{",".join(map(str, rec.sdgs))}],"implementation":[{implementation}]}}'.encode("utf-8"))
        return lines

    def upr_info_lines(self, recs) -> list[bytes]:
        states, themes, responses = self._upr_state, self._theme_name, self._response_name
        languages = self.db.site.languages
        lines = []
        for rec in recs:
            text = _quoted(rec.text.choose(languages[0], languages)[0], ";")
            sur = states[rec.state]
            tail = _quoted(",".join(themes[t] for t in rec.themes), ";")
            tail = f"{responses[rec.response]};{rec.action or ''};{tail};{rec.session}\r\n"
            lines.append("".join(f"{sur};{text};{states[code]};{tail}" for code in rec.by).encode("utf-8"))
        return lines


def _english(text: model.Text, site: model.Site) -> str:
    return text.choose("en", site.languages)[0]


def _assessment(a: model.Assessment) -> dict:
    record = {"status": a.status, "date": a.date.isoformat()}
    if a.source:
        record["source"] = dict(a.source.values)
    return record


def _csv_header(columns, delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(columns)
    return buffer.getvalue().encode("utf-8")


CSV_HEADER = _csv_header(CSV_COLUMNS)
UPR_INFO_HEAD = "\ufeff".encode("utf-8") + _csv_header(UPR_INFO_HEADER, ";")
JSON_HEAD = b'{"format":"' + JSON_FORMAT.encode() + b'","recommendations":[\n'


class Downloads:
    """Every data file of a site: what each page offers, and the bytes to write.

    Compressing is most of the cost (seconds at 160,000 recommendations), and
    zlib works without Python's lock: so the files are compressed by threads
    in the background while the views are built on the main thread, and
    `finish()` waits for them before anything needs a size.
    """

    def __init__(self, db: model.Database):
        recs = list(db.recommendations())
        position = {id(rec): i for i, rec in enumerate(recs)}
        scopes = [(WHOLE, None, range(len(recs)))]
        for code in db.countries:
            scopes.append((RECEIVED, code, [position[id(r)] for review in db.reviews_of_state.get(code, ())
                                            for r in review.recommendations]))
            scopes.append((MADE, code, [position[id(r)] for r in db.made_by.get(code, ())]))
        for number in db.sessions:
            scopes.append((SESSION, number, [position[id(r)] for review in db.reviews_in_session.get(number, ())
                                             for r in review.recommendations]))
        for theme in db.themes:
            scopes.append((THEME, theme, [position[id(r)] for r in db.with_theme.get(theme, ())]))

        encoder = Encoder(db)
        used = {fmt for offers in OFFERS.values() for fmt, _ in offers}
        encode = {CSV: encoder.csv_lines, JSON: encoder.json_lines, UPR_INFO: encoder.upr_info_lines}
        self._lines = {fmt: encode[fmt](recs) for fmt in (CSV, JSON, UPR_INFO) if fmt in used}
        self._files: dict[str, tuple[str, object]] = {}  # path -> (format, positions of its recommendations)
        self._scopes: dict[tuple[str, object], list] = {}
        self.sizes: dict[str, int] = {}
        self.offers: dict[tuple[str, object], tuple[Offer, ...]] = {}
        compress = []
        for scope, key, members in scopes:
            self._scopes[(scope, key)] = members
            if not members and scope != WHOLE:
                self.offers[(scope, key)] = ()  # nothing to take away: no file, no link
                continue
            stem = scope_stem(scope, key)
            offers = []
            for fmt, gzipped in OFFERS[scope]:
                path = stem + SUFFIX[fmt] + (".gz" if gzipped else "")
                self._files[path] = (fmt, members)
                offers.append(Offer(fmt, gzipped, path, self.sizes))
                if gzipped:
                    compress.append(path)
                else:
                    self.sizes[path] = self._plain_size(path)
            self.offers[(scope, key)] = tuple(offers)
        # Biggest first, so that no thread is left alone with a big file at the end.
        compress.sort(key=lambda path: -len(self._files[path][1]))
        self._pool = ThreadPoolExecutor(max_workers=COMPRESSORS)
        self._compressing = {path: self._pool.submit(self._gzip, path) for path in compress}
        self._compressed: dict[str, bytes] = {}
        self._pool_open = True
        self._digests: dict[tuple, str] = {}

    def finish(self) -> None:
        """Wait for the compressed files; afterwards every size is known."""
        for path, future in self._compressing.items():
            self._compressed[path] = future.result()
            self.sizes[path] = len(self._compressed[path])
        self._compressing = {}
        self._pool.shutdown()
        self._pool_open = False
        # Lines that only compressed files needed are not kept through the render.
        plain = {fmt for path, (fmt, _) in self._files.items() if path not in self._compressed}
        self._lines = {fmt: lines for fmt, lines in self._lines.items() if fmt in plain}

    def _plain_size(self, path: str) -> int:
        fmt, members = self._files[path]
        lines = self._lines[fmt]
        body = sum(len(lines[i]) for i in members)
        if fmt == CSV:
            return len(CSV_HEADER) + body
        if fmt == UPR_INFO:
            return len(UPR_INFO_HEAD) + body - 2  # no line break after the last row, as in UPR Info's files
        return len(JSON_HEAD) + body + (2 * len(members) + 2 if members else 4)

    def _plain(self, path: str) -> bytes:
        fmt, members = self._files[path]
        lines = self._lines[fmt]
        if fmt == CSV:
            return CSV_HEADER + b"".join([lines[i] for i in members])
        if fmt == UPR_INFO:
            body = b"".join([lines[i] for i in members])
            return UPR_INFO_HEAD[:-2] + (b"\r\n" + body[:-2] if body else b"")
        return JSON_HEAD + b",\n".join([lines[i] for i in members]) + b"\n]}\n"

    def _gzip(self, path: str) -> bytes:
        # No file name in the header and mtime 0: the same data always gives the same bytes.
        return gzip.compress(self._plain(path), GZIP_LEVEL, mtime=0)

    def of(self, scope: str, key=None) -> tuple[Offer, ...]:
        """The files a page about this scope links to (none for an empty scope)."""
        return self.offers[(scope, key)]

    def digest(self, scope: str, key=None) -> str:
        """A digest of what a scope's files hold, known before they are compressed (call it before
        `finish`): pages that show the files' sizes but not all their content fingerprint it."""
        known = self._digests.get((scope, key))
        if known:
            return known
        if not self._pool_open:
            raise RuntimeError("digest() after finish()")
        digest = hashlib.blake2b(digest_size=16)
        for fmt in sorted({fmt for fmt, _ in OFFERS[scope]}):
            lines = self._lines[fmt]
            for i in self._scopes[(scope, key)]:
                digest.update(lines[i])
        self._digests[(scope, key)] = digest.hexdigest()
        return self._digests[(scope, key)]

    def write(self, writer) -> None:
        """Every data file, through the site writer."""
        self.finish()
        writer.write(SCHEMA_PATH, SCHEMA_SOURCE.read_bytes())
        for path in self._files:
            writer.write(path, self._compressed[path] if path in self._compressed else self._plain(path))
