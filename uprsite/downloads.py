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
which scope gets which format is a decision (OFFERS below). Every file is its
format's head, the lines of its recommendations and its format's tail.

Incremental builds. Encoding 160,000 recommendations takes seconds and
compressing the files (480 MB of CSV and JSON) ten seconds of CPU, while an
edit changes one review. So both results are kept in the build cache:

- each review's encoded lines, under the hash of its file and of everything
  else the encoder reads (names, regions, organisations, themes, cycles,
  languages, the code): a review not edited is not encoded again;
- each file is compressed in *pieces*: the lines one review gives it (the
  whole database, a State's received recommendations, a session) or, for
  the files to which a review gives only a line or two (what a State made, a
  theme), the lines one session gives it. A piece is raw deflate ended by a
  sync flush, so pieces can be laid end to end, as pigz does: a file is a
  plain single-member gzip (header, pieces, a final block, CRC-32, length)
  that every tool reads. Pieces are cached, one entry per review and one per
  session and scope, and the files are assembled from them.

Why dictionaries: a piece compressed on its own starts with an empty window;
at 160k the files would weigh a quarter more (a made piece, ~7 KB, more than
twice as much). So each piece is compressed with the last 32 KiB the file
holds before it as its dictionary (what a decompressor has in its window
there): the previous review's piece, or the pieces of the previous sessions
(DICTIONARY_SESSIONS). At 160k the files then weigh 1.8% more than each
compressed as one stream. The price is that a piece depends on the pieces
before it too, and its cache entry is keyed by both: editing a review
compresses again its own pieces, the next ones in its files, and its
session's made and theme pieces and those of the next sessions (~12 MB of
text at 160k, against 480 MB for all). Small sites lose more to the pieces'
own Huffman tables (+17% on the shipped sample, 40 KB).

Why the CRC is combined: a gzip trailer needs the CRC-32 of the whole file,
and the raw bytes are not at hand on a warm build (reading them back from the
cache would cost more than all the rest). Each piece keeps the CRC of its
bytes and the file's is combined from them: with zlib's crc32_combine,
through ctypes since Python does not expose it (milliseconds for the 17,000
pieces at 160k), or else with CRC-32 being affine,
crc(A+B) = crc(zeros(|B|), crc(A)) ^ crc(B) ^ crc(zeros(|B|)), which zlib
runs at gigabytes a second (~0.2 s). JSON has a separator between records
and none before the first, so the first piece of a JSON file differs from
the cached one: it is compressed again, with the file's head, every build.

Output is deterministic: the gzip header has no name, mtime 0 and OS
"unknown", and a piece's bytes are a function of its lines, the lines of the
pieces in its dictionary, the compression level and the zlib version (all in
its cache key).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
import struct
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from . import labels, model, urls
from .localise import Localiser
from .reuse import NoCache, fingerprint

SCHEMA_SOURCE = Path(__file__).resolve().parent.parent / "docs" / "recommendations.schema.json"
SCHEMA_PATH = urls.data("recommendations.schema.json")
JSON_FORMAT = "uprsite-recommendations/1"

CSV_COLUMNS = (
    "id",
    "session",
    "cycle",
    "state_under_review",
    "recommended_by",
    *(f"text_{lang}" for lang in model.LANGUAGES),
    "themes",
    "response",
    "action",
    "sdgs",
    "implementation_status",
)
UPR_INFO_HEADER = (
    "SuR",
    "Rgrp",
    "Org",
    "Recommendation",
    "RS",
    "Rgrp",
    "Org",
    "Response",
    "Action",
    "Issue",
    "Session",
)
# UPR Info's names of the regional groups.
UPR_INFO_REGIONS = {
    "africa": "Africa",
    "asia-pacific": "Asia",
    "eeg": "EEG",
    "grulac": "GRULAC",
    "weog": "WEOG",
    "none": "Observer",
}
GZIP_LEVEL = 6
COMPRESSORS = 2  # threads compressing at once (zlib works without Python's lock)
# Bump when what the cache entries hold changes in a way the code digest would not show.
CACHE_FORMAT = "downloads-1"
WINDOW = 32 * 1024  # deflate's window: the most of what precedes a piece that its dictionary can use
# ID1 ID2, deflate, no flags (no name), mtime 0, no extra flags, OS unknown: the same bytes on every machine.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"

# Formats: (name, file suffix). "csv.gz" etc. are the gzip-compressed files.
CSV, JSON, UPR_INFO = "csv", "json", "upr-info"
SUFFIX = {CSV: ".csv", JSON: ".json", UPR_INFO: "-upr-info.csv"}

# Which formats each scope offers. Every file is gzip-compressed: at 160k
# recommendations the data would otherwise not fit with the pages in the
# 1 GB of a free static host. (False would make a plain file.)
WHOLE, RECEIVED, MADE, SESSION, THEME = "whole", "received", "made", "session", "theme"
OFFERS = {
    WHOLE: ((CSV, True), (JSON, True), (UPR_INFO, True)),
    RECEIVED: ((CSV, True),),
    MADE: ((CSV, True),),
    SESSION: ((CSV, True),),
    THEME: ((CSV, True),),
}
# Scopes whose files are made of whole reviews are cut into pieces by review;
# the others (a review gives them a line or two) by session.
BY_REVIEW = (WHOLE, RECEIVED, SESSION)
BY_SESSION = (MADE, THEME)
# How many sessions back the dictionary of a by-session piece reaches (up to
# WINDOW bytes): a State makes ~7 KB of recommendations a session at 160k, so
# its pieces need four sessions to fill the window (with one, the made files
# weigh a third more than compressed whole; with four, 7% more); a theme's
# pieces are bigger than the window already. Editing a review compresses the
# scope's pieces of its session and of this many sessions after it again.
DICTIONARY_SESSIONS = {MADE: 4, THEME: 1}


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


# A cell a spreadsheet would run as a formula (OWASP, "CSV Injection"): it starts with = + - @, a tab or
# a carriage return. Such a cell is written with a leading ' (which spreadsheets take as "this is text"),
# and so is one that starts with ' and then one of those, so that a reader can drop exactly one ' to get
# the text back (importer.spreadsheet_text): `=1` is written `'=1`, `'=1` is written `''=1`.
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def _quoted(text: str, delimiter: str) -> str:
    """A CSV field as the csv module writes it with QUOTE_MINIMAL (spreadsheets read either way), never a formula."""
    if FORMULA_START.match(text):
        text = "'" + text
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if delimiter in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


class Encoder:
    """Each recommendation's line in each format, as UTF-8 bytes.

    Written with f-strings rather than csv.writer and json.dumps of a dict:
    at 160,000 recommendations that is seconds saved on every cold build. Only
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
        self._response_name = {
            k: ("Supported" if k == "supported" else "Noted" if k == "noted" else v)
            for k, v in labels.RESPONSES.items()
        }

    def reference(self) -> str:
        """Everything besides the recommendations that the lines depend on."""
        return repr((self._cycle, self._upr_state, self._theme_name, self._response_name, self.db.site.languages))

    def lines(self, fmt: str, recs) -> list[bytes]:
        return {CSV: self.csv_lines, JSON: self.json_lines, UPR_INFO: self.upr_info_lines}[fmt](recs)

    def csv_lines(self, recs) -> list[bytes]:
        cycle = self._cycle
        lines = []
        for rec in recs:
            texts = dict(rec.text.values)
            text_fields = ",".join(_quoted(texts.get(lang, ""), ",") for lang in model.LANGUAGES)
            latest = rec.implementation[-1].status if rec.implementation else ""
            lines.append(
                f"{rec.id},{rec.session},{cycle[rec.session]},{rec.state},{';'.join(rec.by)},"
                f"{text_fields},{';'.join(rec.themes)},{rec.response},{rec.action or ''},"
                f"{';'.join(map(str, rec.sdgs))},{latest}\r\n".encode()
            )
        return lines

    def json_lines(self, recs) -> list[bytes]:
        cycle, string = self._cycle, json.encoder.encode_basestring
        lines = []
        for rec in recs:
            texts = ",".join(
                f'"{lang}":{string(value)}' for lang in model.LANGUAGES if (value := rec.text.get(lang)) is not None
            )
            by = ",".join(f'"{code}"' for code in rec.by)
            themes = ",".join(f'"{theme}"' for theme in rec.themes)
            implementation = ",".join(
                json.dumps(_assessment(a), ensure_ascii=False, separators=(",", ":")) for a in rec.implementation
            )
            lines.append(
                f'{{"id":"{rec.id}","session":{rec.session},"cycle":{cycle[rec.session]},"state":"{rec.state}",'
                f'"by":[{by}],"text":{{{texts}}},"themes":[{themes}],'
                f'"response":"{rec.response}","action":{rec.action or "null"},'
                f'"sdgs":[{",".join(map(str, rec.sdgs))}],"implementation":[{implementation}]}}'.encode()
            )
        return lines

    def upr_info_lines(self, recs) -> list[bytes]:
        # The line break comes before each row, not after: UPR Info's files end without one.
        states, themes, responses = self._upr_state, self._theme_name, self._response_name
        languages = self.db.site.languages
        lines = []
        for rec in recs:
            text = _quoted(rec.text.choose(languages[0], languages)[0], ";")
            sur = states[rec.state]
            tail = _quoted(",".join(themes[t] for t in rec.themes), ";")
            tail = f"{responses[rec.response]};{rec.action or ''};{tail};{rec.session}"
            lines.append("".join(f"\r\n{sur};{text};{states[code]};{tail}" for code in rec.by).encode("utf-8"))
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


class Layout(NamedTuple):
    """A file of a format: head + the lines joined by sep + tail."""

    head: bytes
    sep: bytes
    tail: bytes


LAYOUT = {
    CSV: Layout(CSV_HEADER, b"", b""),
    JSON: Layout(JSON_HEAD, b",\n", b"\n]}\n"),
    UPR_INFO: Layout(UPR_INFO_HEAD[:-2], b"", b""),  # each row brings its line break before it
}


class Piece(NamedTuple):
    """Some lines of a file, compressed: raw deflate ending on a byte boundary, no final block."""

    data: bytes
    length: int  # bytes it decompresses to
    crc: int  # CRC-32 of those bytes


def compress_piece(raw: bytes, dictionary: bytes = b"") -> Piece:
    """`raw` as a piece of a deflate stream whose window holds `dictionary` just before it."""
    if dictionary:
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15, zdict=dictionary)
    else:
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15)
    data = compressor.compress(raw) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return Piece(data, len(raw), zlib.crc32(raw))


def _final_block(tail: bytes) -> bytes:
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)


def _body_tail(lines: list[bytes], sep: bytes) -> bytes:
    """The last WINDOW bytes of sep.join(lines), joining no more than that."""
    size, start = 0, len(lines)
    while start > 0 and size < WINDOW + len(sep):
        start -= 1
        size += len(lines[start]) + len(sep)
    return sep.join(lines[start:])[-WINDOW:]


def _combine(*parts) -> str:
    return fingerprint.combine(*map(str, parts))


@dataclass
class _File:
    fmt: str
    gzip: bool
    scope: str
    key: object
    reviews: list[int]  # BY_REVIEW scopes: the reviews with recommendations, in file order
    head: Piece | None = None  # the head, with the first piece's lines where the format has a separator
    pieces: list[Piece] = field(default_factory=list)  # the rest, in order
    trailer: bytes = b""  # the final block, CRC-32 and length


class Downloads:
    """Every data file of a site: what each page offers, and the bytes to write.

    `Downloads(db, cache)` finds what the cache holds and starts compressing
    the rest in threads; `finish()` waits for them, after which every size
    is known; `write()` assembles the files from their pieces.
    """

    def __init__(self, db: model.Database, cache=None):
        self.db = db
        self._cache = cache if cache is not None else NoCache()
        self._encoder = Encoder(db)
        self._formats = {scope: tuple(fmt for fmt, _ in offers) for scope, offers in OFFERS.items()}
        used = {fmt for formats in self._formats.values() for fmt in formats}
        self._used = tuple(fmt for fmt in (CSV, JSON, UPR_INFO) if fmt in used)
        context = _combine(
            CACHE_FORMAT,
            fingerprint.code_digest(("uprsite",)),  # how records become lines
            zlib.ZLIB_RUNTIME_VERSION,
            GZIP_LEVEL,
            WINDOW,
            repr(OFFERS),
            self._encoder.reference(),
        )
        self._context = context
        reviews = db.reviews
        self._review_key = [_combine(context, r.session, r.state, r.digest or repr(r.recommendations)) for r in reviews]
        position = {id(r): i for i, r in enumerate(reviews)}
        self._sessions = [n for n in db.sessions if db.reviews_in_session.get(n)]  # the ones with reviews
        self._session_reviews = {n: [position[id(r)] for r in db.reviews_in_session[n]] for n in self._sessions}
        self._lines: dict[int, dict[str, list[bytes]]] = {}
        self._groups: dict[tuple[str, int], dict] = {}  # (scope, session) -> the lines it gives each file

        self._files: dict[str, _File] = {}
        self.sizes: dict[str, int] = {}
        self.offers: dict[tuple[str, object], tuple[Offer, ...]] = {}
        self._scope_files: dict[tuple[str, object], list[str]] = {}
        nonempty = [i for i, r in enumerate(reviews) if r.recommendations]
        self._add_scope(WHOLE, None, True, nonempty)  # offered even when empty: the site's data as it is
        for code in db.countries:
            received = [position[id(r)] for r in db.reviews_of_state.get(code, ()) if r.recommendations]
            self._add_scope(RECEIVED, code, bool(received), received)
            self._add_scope(MADE, code, bool(db.made_by.get(code)))
        for number in db.sessions:
            held = [position[id(r)] for r in db.reviews_in_session.get(number, ()) if r.recommendations]
            self._add_scope(SESSION, number, bool(held), held)
        for theme in db.themes:
            self._add_scope(THEME, theme, bool(db.with_theme.get(theme)))

        self._review_pieces: dict[int, dict] = {}
        self._session_pieces: dict[tuple[str, int], dict] = {}  # (scope, session) -> (key, format) -> piece
        self._pool = ThreadPoolExecutor(max_workers=COMPRESSORS)
        self._jobs: list = []
        self._start(nonempty)
        self._finished = False

    def _add_scope(self, scope: str, key, offered: bool, reviews=()) -> None:
        """The files of a scope (`reviews`: those with recommendations, for a BY_REVIEW scope)."""
        if not offered:
            self.offers[(scope, key)] = ()  # nothing to take away: no file, no link
            return
        stem = scope_stem(scope, key)
        offers, paths = [], []
        for fmt, gzipped in OFFERS[scope]:
            path = stem + SUFFIX[fmt] + (".gz" if gzipped else "")
            self._files[path] = _File(fmt, gzipped, scope, key, list(reviews))
            offers.append(Offer(fmt, gzipped, path, self.sizes))
            paths.append(path)
        self.offers[(scope, key)] = tuple(offers)
        self._scope_files[(scope, key)] = paths

    # -- the cache and the compressing threads ------------------------------
    def _start(self, nonempty: list[int]) -> None:
        """Take each entry from the cache, or start making it."""
        db = self.db
        previous = {WHOLE: {}, RECEIVED: {}, SESSION: {}}  # scope -> review -> the review before it in its files
        position = {id(r): i for i, r in enumerate(db.reviews)}
        for i in range(1, len(db.reviews)):
            previous[WHOLE][i] = i - 1
        for group, scope in ((db.reviews_of_state, RECEIVED), (db.reviews_in_session, SESSION)):
            for members in group.values():
                for before, after in itertools.pairwise(members):
                    previous[scope][position[id(after)]] = position[id(before)]
        for i in nonempty:
            before = {scope: previous[scope].get(i) for scope in BY_REVIEW}
            key = _combine(
                self._context,
                "review-pieces",
                self._review_key[i],
                *(self._review_key[b] if b is not None else "-" for b in before.values()),
            )
            hit, pieces = self._cache.get(key)
            if hit:
                self._review_pieces[i] = pieces
                continue
            for j in {i, *before.values()} - {None}:
                self._ensure_lines(j)
            self._jobs.append((i, self._pool.submit(self._make_review_pieces, i, before, key)))

        session_key = {n: _combine(*(self._review_key[i] for i in self._session_reviews[n])) for n in self._sessions}
        for scope in BY_SESSION:
            for k, number in enumerate(self._sessions):
                window = self._sessions[max(0, k - DICTIONARY_SESSIONS[scope]) : k]
                key = _combine(
                    self._context, "session-pieces", scope, number, *(session_key[n] for n in (*window, number))
                )
                hit, pieces = self._cache.get(key)
                if hit:
                    self._session_pieces[(scope, number)] = pieces
                    continue
                for n in (*window, number):
                    self._ensure_groups(scope, n)
                self._jobs.append(
                    ((scope, number), self._pool.submit(self._make_session_pieces, scope, number, window, key))
                )

    def _ensure_lines(self, i: int) -> dict[str, list[bytes]]:
        """A review's lines in every format used, from the cache or encoded (main thread only)."""
        lines = self._lines.get(i)
        if lines is not None:
            return lines
        recs = self.db.reviews[i].recommendations
        if not recs:
            lines = {fmt: [] for fmt in self._used}
        else:
            key = _combine(self._context, "lines", self._review_key[i])
            hit, lines = self._cache.get(key)
            if not hit:
                lines = {fmt: self._encoder.lines(fmt, recs) for fmt in self._used}
                self._cache.put(key, lines)
        self._lines[i] = lines
        return lines

    def _make_review_pieces(self, i: int, before: dict, key: str) -> dict:
        """The pieces review i gives each BY_REVIEW file (runs in a thread)."""
        lines = self._lines[i]
        pieces, made = {}, {}
        for scope in BY_REVIEW:
            for fmt in self._formats[scope]:
                previous = before[scope]
                if (fmt, previous) not in made:
                    sep = LAYOUT[fmt].sep
                    dictionary = _body_tail(self._lines[previous][fmt], sep) if previous is not None else b""
                    made[(fmt, previous)] = compress_piece(sep + sep.join(lines[fmt]), dictionary)
                pieces[(scope, fmt)] = made[(fmt, previous)]
        self._cache.put(key, pieces)
        return pieces

    def _ensure_groups(self, scope: str, number: int) -> dict[object, dict[str, list[bytes]]]:
        """The lines one session gives each file of a BY_SESSION scope: key -> format -> lines (main thread only)."""
        groups = self._groups.get((scope, number))
        if groups is not None:
            return groups
        groups = self._groups[(scope, number)] = {}
        formats = self._formats[scope]
        for i in self._session_reviews[number]:
            lines = self._ensure_lines(i)
            for k, rec in enumerate(self.db.reviews[i].recommendations):
                for key in rec.by if scope == MADE else rec.themes:
                    group = groups.get(key)
                    if group is None:
                        group = groups[key] = {fmt: [] for fmt in formats}
                    for fmt, members in group.items():
                        members.append(lines[fmt][k])
        return groups

    def _make_session_pieces(self, scope: str, number: int, window: list[int], key: str) -> dict:
        """The pieces session `number` gives each file of a BY_SESSION scope (runs in a thread).

        The dictionary is what the file holds just before the piece, from the
        pieces of the sessions in `window` (the ones just before this one).
        """
        earlier = [self._groups[(scope, n)] for n in window]
        pieces = {}
        for scope_key, group in self._groups[(scope, number)].items():
            for fmt, lines in group.items():
                sep = LAYOUT[fmt].sep
                before = [line for groups in earlier for line in groups.get(scope_key, {}).get(fmt, ())]
                pieces[(scope_key, fmt)] = compress_piece(sep + sep.join(lines), _body_tail(before, sep))
        self._cache.put(key, pieces)
        return pieces

    # -- sizes, files ---------------------------------------------------------
    def finish(self) -> None:
        """Wait for the compressed pieces; afterwards every size is known."""
        if self._finished:
            return
        for unit, future in self._jobs:
            (self._session_pieces if isinstance(unit, tuple) else self._review_pieces)[unit] = future.result()
        self._jobs = []
        heads: dict[str, Piece] = {}
        finals = {fmt: _final_block(LAYOUT[fmt].tail) for fmt in self._used}
        for path, file in self._files.items():
            layout = LAYOUT[file.fmt]
            pieces = self._pieces_of(file)
            if layout.sep and pieces:
                # No separator before the first record: that piece is made again with the head.
                first = self._units_lines(file, first_only=True)[0]
                file.head, file.pieces = compress_piece(layout.head + layout.sep.join(first)), pieces[1:]
            else:
                if file.fmt not in heads:
                    heads[file.fmt] = compress_piece(layout.head)
                file.head, file.pieces = heads[file.fmt], pieces
            if file.gzip:
                file.trailer = finals[file.fmt] + _trailer(file.head, file.pieces, layout.tail)
                self.sizes[path] = (
                    len(GZIP_HEADER) + len(file.head.data) + sum(len(p.data) for p in file.pieces) + len(file.trailer)
                )
            else:
                self.sizes[path] = file.head.length + sum(p.length for p in file.pieces) + len(layout.tail)
        self._pool.shutdown()
        self._finished = True
        if all(file.gzip for file in self._files.values()):
            # Plain files are assembled from the lines; compressed ones need them no more.
            self._lines, self._groups = {}, {}

    def _pieces_of(self, file: _File) -> list[Piece]:
        if file.scope in BY_REVIEW:
            return [self._review_pieces[i][(file.scope, file.fmt)] for i in file.reviews]
        return [
            piece
            for number in self._sessions
            if (piece := self._session_pieces[(file.scope, number)].get((file.key, file.fmt))) is not None
        ]

    def _units_lines(self, file: _File, first_only: bool = False) -> list[list[bytes]]:
        """The lines of each piece of a file, from the cache or encoded again (main thread only)."""
        units = []
        if file.scope in BY_REVIEW:
            for i in file.reviews[:1] if first_only else file.reviews:
                units.append(self._ensure_lines(i)[file.fmt])
        else:
            for number in self._sessions:
                lines = self._ensure_groups(file.scope, number).get(file.key)
                if lines:
                    units.append(lines[file.fmt])
                    if first_only:
                        break
        return units

    def of(self, scope: str, key=None) -> tuple[Offer, ...]:
        """The files a page about this scope links to (none for an empty scope)."""
        return self.offers[(scope, key)]

    def digest(self, scope: str, key=None) -> str:
        """A digest of what a scope's files hold (their pieces' lengths and CRC-32s); finishes the files."""
        self.finish()
        parts = []
        for path in self._scope_files.get((scope, key), ()):
            file = self._files[path]
            parts.append(path)
            parts += [f"{p.length}:{p.crc}" for p in (file.head, *file.pieces)]
        return _combine(*parts)

    def write(self, writer, reuse=None) -> None:
        """Every data file, through the site writer; a compressed file the reuse plan (reuse.Reuse)
        finds published with the same bytes is kept, without writing them."""
        self.finish()
        writer.write(SCHEMA_PATH, SCHEMA_SOURCE.read_bytes())
        for path, file in self._files.items():
            if not file.gzip:
                writer.write(path, self._plain(file))
                continue
            # Its key is a digest of its bytes, made piece by piece: no copy of the whole file is made
            # unless it is written, and hashing is several times faster than writing.
            if reuse is not None and reuse.decide(writer, path, self._gzip_key(file)):
                continue
            writer.write(path, self._gzip(file))

    def _gzip_key(self, file: _File) -> str:
        h = hashlib.blake2b(GZIP_HEADER, digest_size=20)
        h.update(file.head.data)
        for piece in file.pieces:
            h.update(piece.data)
        h.update(file.trailer)
        return h.hexdigest()

    def _gzip(self, file: _File) -> bytes:
        return b"".join([GZIP_HEADER, file.head.data, *(p.data for p in file.pieces), file.trailer])

    def _plain(self, file: _File) -> bytes:
        layout = LAYOUT[file.fmt]
        body = layout.sep.join(layout.sep.join(lines) for lines in self._units_lines(file))
        return layout.head + body + layout.tail


def _trailer(head: Piece, pieces: list[Piece], tail: bytes) -> bytes:
    """A gzip trailer: the CRC-32 and length of head + pieces + tail, combined from the pieces' CRCs."""
    crc, length = head.crc, head.length
    for piece in pieces:
        crc = crc32_combine(crc, piece.crc, piece.length)
        length += piece.length
    crc = zlib.crc32(tail, crc)
    return struct.pack("<II", crc, (length + len(tail)) & 0xFFFFFFFF)


def crc32_combine_by_zeros(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A+B from crc1 = crc(A), crc2 = crc(B) and |B|, with Python's zlib alone.

    CRC-32 is affine: crc(A+B) = crc(zeros(|B|), crc(A)) ^ crc(B) ^ crc(zeros(|B|)),
    and zlib runs over zeros at gigabytes a second.
    """
    zeros = bytes(length2)
    return zlib.crc32(zeros, crc1) ^ crc2 ^ zlib.crc32(zeros)


def _zlib_crc32_combine():
    """zlib's own crc32_combine (a few multiplications), from the system's zlib library.

    Python does not expose it; through ctypes it combines the 17,000 pieces of
    the files at 160k in milliseconds instead of the ~0.2 s the zeros take. It
    is checked against zlib.crc32 of a concatenation before it is trusted;
    where it cannot be loaded (zlib linked statically, no ctypes), or gives
    another answer, crc32_combine_by_zeros is used.
    """
    try:
        import ctypes

        for name in ("libz.so.1", "libz.dylib", "libz.so"):
            try:
                library = ctypes.CDLL(name)
                break
            except OSError:
                continue
        else:
            return None
        combine = library.crc32_combine64
        combine.restype, combine.argtypes = ctypes.c_ulong, (ctypes.c_ulong, ctypes.c_ulong, ctypes.c_int64)
    except (ImportError, AttributeError, OSError):
        return None
    a, b = b"uprsite downloads: ", bytes(range(256)) * 300
    if combine(zlib.crc32(a), zlib.crc32(b), len(b)) != zlib.crc32(a + b):
        return None
    return lambda crc1, crc2, length2: combine(crc1, crc2, length2) & 0xFFFFFFFF


crc32_combine = _zlib_crc32_combine() or crc32_combine_by_zeros
