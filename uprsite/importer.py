"""`python build.py import-upr-info FILE.csv... --content DIR [--replace]`.

Turns UPR Info database exports (one CSV row per recommending State per
recommendation) into content in the format of `content-format.md`: one
review file per State under Review and session, with joint recommendations
merged into one recommendation whose `by` lists every co-author.

Every row is accounted for: it becomes one co-author of a recommendation, or
it is reported exactly once as `file:line: reason` (line = the physical line
where the row starts) and counted in the summary under its reason. Names are
resolved against the target content itself (CLDR English names, `name`
overrides and `aliases` of the country records; English theme names), read
and checked by the project's own loader and validator, so the importer and
the build agree on the contract. Before anything is written, the content as
it would be after the import goes through `check`'s own size limit, parser
and validator, in memory: an import that `check` would refuse writes nothing.
Output is deterministic and written one file at a time, atomically.
"""

from __future__ import annotations

import bisect
import csv
import html
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale

from . import model
from .atomic import write_atomically
from .content import Loaded, SourceFile, Unvalidated, discover, parse, read_bytes, read_file
from .errors import ContentError, Problem, cut
from .reuse.cache import digest
from .validate import validate
from .yamlload import MAX_FILE_BYTES
from .yamlwrite import dump

HEADER = ["SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp", "Org", "Response", "Action", "Issue", "Session"]
SUR, TEXT, RS, RESPONSE, ACTION, ISSUE, SESSION = 0, 3, 4, 7, 8, 9, 10
RESPONSES = {"supported": "supported", "noted": "noted"}
ACTIONS = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
# Values the content format always wants quoted: ids (an unquoted 96.10 is a
# number) and texts (anything may be in them).
QUOTED_KEYS = frozenset({"id", *model.LANGUAGES})

# Reasons a row is not imported, as counted in the summary.
NO_SESSION = "no session"
BAD_SESSION = "session is not a number"
UNKNOWN_REVIEWED = "State under Review matches no State"
UNKNOWN_RECOMMENDING = "recommending State matches no State"
AMBIGUOUS_NAME = "State name matches several States"
DUPLICATE_COAUTHOR = "State already co-authors the same recommendation"
NO_TEXT = "no recommendation text"
BAD_RESPONSE = "unknown response"
BAD_ACTION = "action is not 1-5"
UNKNOWN_ISSUE = "issue matches no theme"
BAD_FIELDS = "wrong number of fields"


class ImportFailure(Exception):
    """Nothing can be imported: a file is unreadable or the content is not valid."""


class UnreadableRow(ImportFailure):
    """A file is not valid CSV from a given line on; the message starts with `file:line:`."""


def cycle_of(session: int) -> int:
    """The UPR cycle of a session: 1-12, 13-26, 27-40, then 41 on."""
    if session <= 12:
        return 1
    if session <= 26:
        return 2
    if session <= 40:
        return 3
    return 4


# Control characters cannot be published (the content loader refuses them), nor can bidirectional
# controls (the schema refuses them in texts); in a text they can only be debris of some export, so
# they count as spaces.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f\u202a-\u202e\u2066-\u2069]")


def normalise(text: str) -> str:
    """HTML entities decoded, runs of white space (line breaks and control characters included)
    as one space, ends trimmed."""
    return " ".join(_CONTROL.sub(" ", html.unescape(text)).split())


# The site's own CSV files write a cell that a spreadsheet would run as a formula with a leading '
# (downloads.FORMULA_START: `=1` as `'=1`, `'=1` as `''=1`); one ' less is the text that was written.
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def spreadsheet_text(cell: str) -> str:
    """A CSV cell without the ' that kept a spreadsheet from reading it as a formula."""
    return cell[1:] if _NEUTRALISED.match(cell) else cell


def _name_key(name: str) -> str:
    return normalise(name).casefold()


@dataclass(frozen=True, slots=True)
class Report:
    file: str
    line: int
    reason: str  # one of the reasons above: what the summary counts
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(slots=True)
class Recommendation:
    text: str
    themes: tuple[str, ...]
    response: str
    action: int | None
    by: dict[str, tuple[str, int]] = field(default_factory=dict)  # co-author -> (file, line), first-seen order


@dataclass(slots=True)
class Plan:
    """What an import would write, and every row's fate."""

    rows: int = 0
    files: int = 0
    reviews: dict[tuple[int, str], list[Recommendation]] = field(default_factory=dict)
    reports: list[Report] = field(default_factory=list)
    sessions_to_create: list[int] = field(default_factory=list)
    # Sessions of imported reviews with no dates (created, or without start and end): the reviews
    # have none either, so the site's "data as of" date cannot come from them.
    undated_sessions: list[int] = field(default_factory=list)

    @property
    def recommendations(self) -> int:
        return sum(len(recs) for recs in self.reviews.values())

    @property
    def coauthorships(self) -> int:
        return sum(len(rec.by) for recs in self.reviews.values() for rec in recs)


class Lookups:
    """Export spellings -> content ids, from the target content's own records."""

    def __init__(self, db: model.Database):
        cldr = Locale("en").territories
        self.states: dict[str, set[str]] = {}
        for country in db.countries.values():
            names = [cldr.get(country.iso2), country.name.get("en") if country.name else None, *country.aliases]
            for name in names:
                if name:
                    self.states.setdefault(_name_key(name), set()).add(country.code)
        self.themes = {_name_key(theme.name.get("en") or ""): theme.id for theme in db.themes.values()}
        self.sessions = set(db.sessions)

    def state(self, name: str) -> tuple[str | None, str]:
        """(code, "") or (None, reason)."""
        codes = self.states.get(_name_key(name), ())
        if len(codes) == 1:
            return next(iter(codes)), ""
        return None, (AMBIGUOUS_NAME if codes else "")


def read_rows(path: str):
    """(line where the row starts, fields) for each row of one export file."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            # Strict: a quote left open would otherwise take every row after it as its text, silently.
            reader = csv.reader(stream, delimiter=";", strict=True)
            ended = 0
            try:
                header = next(reader, None)
                if header != HEADER:
                    raise ImportFailure(f"{path} is not a UPR Info export: its first line should be {';'.join(HEADER)}")
                # line_num is the line where the row just read ends; a row
                # starts on the line after the previous one ended.
                ended = reader.line_num
                for fields in reader:
                    start, ended = ended + 1, reader.line_num
                    if fields:  # csv gives [] for an empty line, which holds no row
                        yield start, fields
            except csv.Error as exc:
                raise UnreadableRow(_unreadable(path, ended + 1, reader.line_num, exc)) from None
    except UnicodeDecodeError as exc:
        raise ImportFailure(
            f"{path} is not UTF-8 (byte 0x{exc.object[exc.start]:02x}); export it again as UTF-8"
        ) from None
    except OSError as exc:
        raise ImportFailure(f"cannot read {path}: {exc.strerror}") from None


def _unreadable(path: str, row_start: int, error_line: int, error: csv.Error) -> str:
    """Why the row starting on `row_start` is not CSV, at the line where its faulty quoted field began.

    csv notices a quote left open only where it runs into trouble, often many lines later
    (at the end of the file, or at the next quote); an editor needs the line of the opening quote.
    """
    found = _open_quote(path, row_start)
    if found is None:
        return f"{path}:{row_start}: unreadable CSV ({error}, at line {error_line})"
    began, column, stopped, field = found
    shown = repr(cut(field.split("\n")[0].split("\r")[0]))
    if stopped is None:
        why = "never closes: every line after it would be read as its text"
    elif stopped == began:
        why = "has text after its closing quote"
    else:
        why = f"is not closed on its line: it runs on to line {stopped}, where a quote is followed by text"
    return (
        f"{path}:{began}: the quoted field that begins here (column {column}: {shown}) {why} "
        '(hint: a field that starts with " ends with " followed by ; or the end of the line; '
        'write each " inside it as "")'
    )


def _open_quote(path: str, row_start: int) -> tuple[int, int, int | None, str] | None:
    """(line, column, line where it goes wrong or None at the end of the file, text) of the first quoted
    field from `row_start` on that does not end as csv wants, read with csv's own rules; None if all do."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
        state = "start"  # of a field; or "plain", "quoted", "closed" (just after a quoted field's closing quote)
        began = (0, 0, 0)  # line, column and offset in `text` of the open quoted field
        text: list[str] = []  # the lines since that field began
        for number, line in enumerate(itertools.islice(stream, row_start - 1, None), row_start):
            if state != "quoted":
                text = []
            offset = sum(map(len, text))
            text.append(line)
            i = 0
            while i < len(line):
                char = line[i]
                if state == "quoted":
                    if char == '"':
                        if line[i + 1 : i + 2] == '"':
                            i += 1
                        else:
                            state = "closed"
                elif char in "\r\n;":  # outside quotes, the end of a field or of the row
                    state = "start"
                elif state == "closed":
                    return began[0], began[1], number, "".join(text)[began[2] :]
                elif state == "start":
                    if char == '"':
                        state, began = "quoted", (number, i + 1, offset + i)
                    else:
                        state = "plain"
                i += 1
        if state == "quoted":
            return began[0], began[1], None, "".join(text)[began[2] :]
    return None


def plan_import(files: list[str], db: model.Database) -> Plan:
    """Read every row of the export files and decide where each one goes."""
    lookups = Lookups(db)
    plan = Plan(files=len(files))
    joint: dict[tuple, Recommendation] = {}
    new_sessions: set[int] = set()

    for path in files:
        for line, fields in read_rows(path):
            plan.rows += 1

            def report(reason: str, message: str, path=path, line=line) -> None:
                plan.reports.append(Report(path, line, reason, message))

            if len(fields) != len(HEADER):
                report(BAD_FIELDS, f"the row has {len(fields)} fields separated by ';', not {len(HEADER)}")
                continue
            fields = [spreadsheet_text(cell) for cell in fields]
            session_field = normalise(fields[SESSION])
            if not session_field:
                report(NO_SESSION, "the row has no Session")
                continue
            if not session_field.isascii() or not session_field.isdigit() or int(session_field) < 1:
                report(BAD_SESSION, f"Session '{session_field}' is not a session number")
                continue
            session = int(session_field)

            codes = []
            for column, unknown in ((SUR, UNKNOWN_REVIEWED), (RS, UNKNOWN_RECOMMENDING)):
                code, why = lookups.state(fields[column])
                if code is None:
                    role = "State under Review" if column == SUR else "recommending State"
                    shown = normalise(fields[column])
                    if why == AMBIGUOUS_NAME:
                        matches = ", ".join(sorted(lookups.states[_name_key(shown)]))
                        report(AMBIGUOUS_NAME, f"{role} '{shown}' is the name of several States ({matches})")
                    else:
                        report(
                            unknown,
                            f"{role} '{shown}' matches no State (if it names one, "
                            "add this spelling to the aliases in its countries/<CODE>.yaml)",
                        )
                    break
                codes.append(code)
            if len(codes) < 2:
                continue
            reviewed, recommending = codes

            text = normalise(fields[TEXT])
            if not text:
                report(NO_TEXT, "the row has no Recommendation text")
                continue
            response = RESPONSES.get(normalise(fields[RESPONSE]).casefold())
            if response is None:
                report(BAD_RESPONSE, f"Response '{normalise(fields[RESPONSE])}' is neither Supported nor Noted")
                continue
            action_field = normalise(fields[ACTION])
            action = ACTIONS.get(action_field) if action_field else None
            if action_field and action is None:
                report(BAD_ACTION, f"Action '{action_field}' is not an action category 1-5")
                continue
            themes: list[str] = []
            unknown_issue = None
            for issue in fields[ISSUE].split(","):
                if not normalise(issue):
                    continue
                theme = lookups.themes.get(_name_key(issue))
                if theme is None:
                    unknown_issue = normalise(issue)
                    break
                if theme not in themes:
                    themes.append(theme)
            if unknown_issue is not None:
                report(UNKNOWN_ISSUE, f"Issue '{unknown_issue}' matches no theme's English name in themes.yaml")
                continue

            key = (session, reviewed, text, response, action, frozenset(themes))
            rec = joint.get(key)
            if rec is None:
                rec = joint[key] = Recommendation(text, tuple(themes), response, action)
                plan.reviews.setdefault((session, reviewed), []).append(rec)
            if recommending in rec.by:
                first_file, first_line = rec.by[recommending]
                where = f"line {first_line}" if first_file == path else f"{first_file}, line {first_line}"
                report(
                    DUPLICATE_COAUTHOR,
                    f"{normalise(fields[RS])} already co-authors this recommendation "
                    f"to {reviewed} at session {session} (row at {where})",
                )
                continue
            rec.by[recommending] = (path, line)
            if session not in lookups.sessions:
                new_sessions.add(session)

    plan.sessions_to_create = sorted(new_sessions)
    return plan


def review_document(state: str, recommendations: list[Recommendation]) -> dict:
    items = []
    for number, rec in enumerate(recommendations, start=1):
        item = {
            "id": str(number),
            "by": list(rec.by),
            "text": {"en": rec.text},
            "themes": list(rec.themes),
            "response": rec.response,
        }
        if rec.action is not None:
            item["action"] = rec.action
        items.append(item)
    return {"state": state, "recommendations": items}


def check_after_import(
    content_dir: str, planned: dict[Path, bytes], too_big: dict[Path, str]
) -> tuple[list[Problem], dict[str, Path]]:
    """(every problem `check` would report on the content once the planned files are written, the planned
    files by the path problems show), found without writing anything: the files of the folder, with the
    planned ones in place of (or beside) them, go through `check`'s own file size limit, parser and
    validator. `too_big` holds the hint for a planned file over the size limit."""
    sources, problems = discover(content_dir)
    on_disk = {source.path for source in sources}
    shown_root = str(content_dir).rstrip("/\\") or "."  # as discover() shows paths
    for path in planned:
        if path not in on_disk:
            parts = path.relative_to(content_dir).parts  # sessions/<N>/<name>
            folder, name = parts[1], parts[2]
            kind, stem = ("session", folder) if name == "session.yaml" else ("review", name.removesuffix(".yaml"))
            sources.append(SourceFile(kind, "/".join((shown_root, *parts)), path, stem, folder))
    loaded = Loaded(problems=problems, sources=sources)
    for source in sources:
        data = planned.get(source.path)
        if data is None:
            data, problem = read_bytes(source)
        elif len(data) > MAX_FILE_BYTES:
            problem = Problem(
                source.shown,
                1,
                1,
                f"the file would be {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                too_big.get(source.path, ""),
            )
        else:
            problem = None
        if problem is None:
            loaded.digests[source.shown] = digest(data)
            if source.kind == "review":  # as content.load() gives reviews to validate
                value = Unvalidated(data, loaded.digests[source.shown], None)
            else:
                value, problem = parse(source, data)
        if problem is None:
            loaded.files.append((source, value))
        else:
            loaded.problems.append(problem)
    shown = {source.shown: source.path for source in sources if source.path in planned}
    try:
        validate(loaded)
    except ContentError as error:
        return error.problems, shown
    return [], shown


def refusal(problem: Problem, recommendations: list[Recommendation], data: bytes) -> str:
    """`file:line: ...` of the export row that made the recommendation a problem of a planned review is in
    (the review's first row if the problem is not in one of its recommendations)."""
    # review_document() starts each recommendation with `  - id:`, and writes each value on one line.
    starts = [number for number, line in enumerate(data.decode("utf-8").split("\n"), 1) if line.startswith("  - ")]
    index = max(bisect.bisect_right(starts, problem.line) - 1, 0)
    file, line = next(iter(recommendations[index].by.values()))
    return f"{file}:{line}: `check` would refuse the review this row goes into: {problem}"


def load_target(content_dir: str) -> model.Database:
    """The target content's States, themes and sessions, checked by the build's own rules.

    Existing reviews are not read: the importer never needs them, and a
    review about to be replaced must not stand in the way of its replacement.
    """
    sources, problems = discover(content_dir)
    loaded = Loaded(problems=problems, sources=[s for s in sources if s.kind != "review"])
    for source in loaded.sources:
        value, problem = read_file(source)
        if problem:
            loaded.problems.append(problem)
        else:
            loaded.files.append((source, value))
    return validate(loaded)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (plural or word + 's')}"


class ImportRefused(Exception):
    """Nothing was imported; `lines` say why, one a line, as printed on standard error (exit 1)."""

    def __init__(self, lines: list[str]):
        self.lines = [str(line) for line in lines]
        super().__init__("\n".join(self.lines))


@dataclass
class Imported:
    """What an import wrote."""

    plan: Plan
    replaced: int  # reviews that existed before
    content_dir: str

    def row_reports(self) -> list[str]:
        """The rows not imported, one a line, as printed on standard error."""
        return [str(report) for report in self.plan.reports]

    def warnings(self) -> list[str]:
        """What the content still lacks after the import, as printed on standard error."""
        undated = self.plan.undated_sessions
        if not undated:
            return []
        return [
            f"warning: {_plural(len(undated), 'session')} of the imported reviews "
            f"{'has' if len(undated) == 1 else 'have'} no dates ({', '.join(map(str, undated))}): "
            'the export gives none, and the site\'s "data as of" date comes from the dates of the '
            "reviews' sessions; add start and end to sessions/<number>/session.yaml"
        ]

    def summary(self) -> list[str]:
        """What was read, imported, reported and written, as printed on standard output."""
        plan = self.plan
        imported = plan.coauthorships
        joint = sum(1 for recs in plan.reviews.values() for rec in recs if len(rec.by) > 1)
        reasons = Counter(report.reason for report in plan.reports)
        return [
            f"read {_plural(plan.rows, 'row')} from {_plural(plan.files, 'file')}",
            f"imported {_plural(imported, 'row')}: {_plural(plan.recommendations, 'recommendation')} "
            f"with {_plural(imported, 'co-authorship')} ({joint:,} joint)",
            f"reported {_plural(len(plan.reports), 'row')}" + (":" if reasons else ""),
            *(
                f"  {count:,} {reason}"
                for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
            ),
            f"wrote {_plural(len(plan.reviews), 'review')} ({self.replaced:,} replaced, "
            f"{len(plan.reviews) - self.replaced:,} new) and created {_plural(len(plan.sessions_to_create), 'session')}"
            + (f" ({', '.join(map(str, plan.sessions_to_create))})" if plan.sessions_to_create else "")
            + f" in {self.content_dir}",
        ]


def import_upr_info(files: list[str], content_dir: str, replace: bool = False) -> Imported:
    """Turn UPR Info exports into review files of content_dir, all or none; raises ImportRefused."""
    root = Path(content_dir)
    try:
        db = load_target(content_dir)
    except ContentError as error:
        raise ImportRefused(
            [*error.problems, f"error: {content_dir} is not valid content; fix it before importing into it"]
        ) from error
    try:
        plan = plan_import(list(files), db)
    except UnreadableRow as failure:
        raise ImportRefused([f"{failure}; nothing was imported"]) from failure
    except ImportFailure as failure:
        raise ImportRefused([f"error: {failure}; nothing was imported"]) from failure
    review_paths = {
        (session, state): root / "sessions" / str(session) / f"{state}.yaml" for session, state in plan.reviews
    }
    existing = [path for path in review_paths.values() if path.exists()]
    if existing and not replace:
        raise ImportRefused(
            [
                f"error: {_plural(len(existing), 'review')} already exist{'s' if len(existing) == 1 else ''} "
                f"in {content_dir}; nothing was imported. Rerun with --replace to overwrite "
                f"{'it' if len(existing) == 1 else 'them'}:",
                *(f"  {path}" for path in sorted(existing, key=lambda p: (int(p.parent.name), p.name))),
            ]
        )

    planned: dict[Path, bytes] = {}
    for session in plan.sessions_to_create:
        # Only number and cycle: the export has no dates, and none is invented.
        planned[root / "sessions" / str(session) / "session.yaml"] = dump(
            {"number": session, "cycle": cycle_of(session)}
        ).encode("utf-8")
    for (session, state), recommendations in sorted(plan.reviews.items()):
        planned[review_paths[(session, state)]] = dump(
            review_document(state, recommendations), quote=QUOTED_KEYS
        ).encode("utf-8")
    too_big = {
        path: f"{_plural(len(plan.reviews[key]), 'recommendation')} from "
        f"{_plural(sum(len(rec.by) for rec in plan.reviews[key]), 'row')} of the export for {key[1]} at session "
        f"{key[0]}: more than one review file can hold; check those rows"
        for key, path in review_paths.items()
    }
    refused, shown = check_after_import(content_dir, planned, too_big)
    if refused:
        review_at = {path: key for key, path in review_paths.items()}
        lines = []
        for problem in refused:
            path = shown.get(problem.path)
            review = review_at.get(path)
            lines.append(refusal(problem, plan.reviews[review], planned[path]) if review else problem)
        lines.append(
            f"error: `check` would refuse {content_dir} after this import "
            f"({_plural(len(refused), 'problem')}); nothing was imported"
        )
        raise ImportRefused(lines)

    for path, data in planned.items():
        # Replaced whole, so `check` or `serve` never read half a file.
        write_atomically(path, data)
    plan.undated_sessions = sorted(
        {
            session
            for session, _ in plan.reviews
            if session not in db.sessions or not (db.sessions[session].end or db.sessions[session].start)
        }
    )

    if plan.rows != plan.coauthorships + len(plan.reports):  # pragma: no cover - an invariant, kept visible
        raise ImportRefused([f"error: {plan.rows - plan.coauthorships - len(plan.reports):,} rows unaccounted for"])
    return Imported(plan, len(existing), content_dir)
