"""Turns loaded content into the model, or into every problem it has.

Knows the content contract (`content-format.md`): the shape of each file
(through `schemas/`), file names, references between files and the date rules.
Knows nothing of HTML. All problems are collected before giving up, so an
editor sees every mistake of a pull request at once.
"""

from __future__ import annotations

import datetime
import difflib
import os
import pickle
from collections import defaultdict
from dataclasses import dataclass

from babel import Locale

from . import model, schema
from .content import PARALLEL_THRESHOLD_BYTES, Loaded, Prevalidated, SourceFile, Unvalidated, parse
from .errors import ContentError, Problem
from .processes import can_fork, fork_map
from .yamlload import Mapping

_CLDR_TERRITORIES = Locale("en").territories
MAX_PAGES = 200  # explanatory pages (pages/<slug>.*.md), counted by slug


class _Reporter:
    def __init__(self):
        self.problems: list[Problem] = []

    def at(self, source: SourceFile, mark, message: str, hint: str = "") -> None:
        line, column = mark
        self.problems.append(Problem(source.shown, line, column, message, hint))

    def for_file(self, source: SourceFile):
        before = len(self.problems)

        def report(mark, message, hint=""):
            self.at(source, mark, message, hint)

        report.count = lambda: len(self.problems) - before  # type: ignore[attr-defined]
        return report


def _text(value) -> model.Text:
    return model.Text(tuple((lang, text) for lang, text in value.items()))


def _opt_text(value):
    return _text(value) if value is not None else None


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value is not None else None


def _suggest(value: str, known) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else ""


def validate(loaded: Loaded, cache=None) -> model.Database:
    """The model of valid content; raises ContentError listing every problem.

    With a cache, reviews found valid are stored (see content.Prevalidated),
    and reviews the loader found there are taken as they are.
    """
    out = _Reporter()
    out.problems.extend(loaded.problems)
    prevalidated: list[model.Review] = []
    unvalidated: list[tuple[SourceFile, Unvalidated]] = []

    # 1. Shape of each file, against its schema.
    good: dict[str, list[tuple[SourceFile, Mapping]]] = defaultdict(list)
    pages: dict[str, dict[str, str]] = defaultdict(dict)
    for source, value in loaded.files:
        if source.kind == "page":
            if source.language not in model.LANGUAGES:
                out.at(
                    source,
                    (1, 1),
                    f"'{source.language}' is not a language of the site",
                    "name pages <slug>.<lang>.md with lang en, fr or es",
                )
            elif not schema._ecma_to_python(r"^[a-z0-9]+(-[a-z0-9]+)*$").match(source.stem):
                out.at(
                    source,
                    (1, 1),
                    f"'{source.stem}' is not a valid page slug",
                    "use lower-case letters, digits and hyphens, e.g. what-is-the-upr",
                )
            else:
                pages[source.stem][source.language] = value
                from .render import image_problems  # Markdown is the renderer's: imported when there are pages
                from .urls import markdown_page

                for line, column, message, hint in image_problems(value, markdown_page(source.language, source.stem)):
                    out.at(source, (line, column), message, hint)
                bidi = schema.bidi_control_in(value)  # a page is a text: no bidirectional control either
                if bidi:
                    out.at(source, bidi[:2], *bidi[2:])
            continue
        if isinstance(value, Prevalidated):
            prevalidated.append(value.record)
            continue
        if isinstance(value, Unvalidated):
            unvalidated.append((source, value))
            continue
        report = out.for_file(source)
        schema.check(source.kind, value, report)
        if report.count() == 0:
            good[source.kind].append((source, value))

    if len(pages) > MAX_PAGES:
        # Every page is listed on each language's pages index and its title read in every render process.
        slug = sorted(pages)[MAX_PAGES]
        first = next(source for source, _ in loaded.files if source.kind == "page" and source.stem == slug)
        out.at(
            first,
            (1, 1),
            f"{len(pages):,} explanatory pages; the limit is {MAX_PAGES:,} (this is page {MAX_PAGES + 1:,} by name)",
            "pages explain the site and the UPR: merge pages on one subject into one",
        )

    # References to a file that exists but has problems of its own are not
    # reported again: one mistake, one message.
    country_files = {source.stem for source in loaded.sources if source.kind == "country"}
    broken = {source.kind for source in loaded.sources} - set(good) - {"review"}

    # 2. Site-wide files.
    site = None
    for _source, value in good["site"]:
        site = model.Site(
            title=_text(value["title"]),
            languages=tuple(value["languages"]),
            demo=value.get("demo", False),
            base_url=(value["base_url"].rstrip("/") + "/") if value.get("base_url") else None,
            attribution=_opt_text(value.get("attribution")),
            licence=_opt_text(value.get("licence")),
        )

    themes: dict[str, model.Theme] = {}
    for source, items in good["themes"]:
        for item in items:
            if item["id"] in themes:
                out.at(
                    source,
                    item.value_mark("id"),
                    f"theme '{item['id']}' is defined twice",
                    "give each theme its own id",
                )
            else:
                themes[item["id"]] = model.Theme(item["id"], _text(item["name"]))

    organisations: dict[str, model.Organisation] = {}
    for source, items in good["organisations"]:
        for item in items:
            if item["id"] in organisations:
                out.at(
                    source,
                    item.value_mark("id"),
                    f"organisation '{item['id']}' is defined twice",
                    "give each organisation its own id, or remove one of the two entries",
                )
            else:
                organisations[item["id"]] = model.Organisation(item["id"], _text(item["acronym"]), _text(item["name"]))

    # 3. Countries.
    countries: dict[str, model.Country] = {}
    iso2_seen: dict[str, str] = {}
    for source, value in good["country"]:
        code = value["code"]
        if code != source.stem:
            out.at(
                source,
                value.value_mark("code"),
                f"code '{code}' does not match the file name '{source.stem}.yaml'",
                f"rename the file to {code}.yaml or set code: {source.stem}",
            )
            continue
        iso2 = value["iso2"]
        if iso2 in iso2_seen:
            out.at(
                source,
                value.value_mark("iso2"),
                f"iso2 '{iso2}' is already used by {iso2_seen[iso2]}",
                f"each State has its own alpha-2 code: check this file and countries/{iso2_seen[iso2]}.yaml",
            )
        iso2_seen[iso2] = code
        if iso2 not in _CLDR_TERRITORIES and "name" not in value:
            out.at(
                source,
                value.value_mark("iso2"),
                f"'{iso2}' is not an ISO 3166-1 alpha-2 code known to CLDR",
                "check the code, or give the State's name in `name`",
            )
        for org, mark in zip(
            value.get("organisations", ()), getattr(value.get("organisations"), "item_marks", ()), strict=True
        ):
            if org not in organisations and "organisations" not in broken:
                out.at(
                    source,
                    mark,
                    f"unknown organisation '{org}'",
                    _suggest(org, organisations) or "define it in organisations.yaml",
                )
        countries[code] = model.Country(
            code=code,
            iso2=iso2,
            region=value["region"],
            organisations=tuple(value.get("organisations", ())),
            name=_opt_text(value.get("name")),
            aliases=tuple(value.get("aliases", ())),
        )

    # 4. Sessions.
    sessions: dict[int, model.Session] = {}
    for source, value in good["session"]:
        number = value["number"]
        if str(number) != source.folder:
            out.at(
                source,
                value.value_mark("number"),
                f"number {number} does not match the folder name 'sessions/{source.folder}/'",
                f"move the file to sessions/{number}/ or set number: {source.folder}",
            )
            continue
        start, end = _date(value.get("start")), _date(value.get("end"))
        if start and end and end < start:
            out.at(
                source,
                value.value_mark("end"),
                f"end {end} is before start {start}",
                "start is the first day of the session and end the last: check both dates",
            )
            start = end = None  # the reviews of this session are not checked against wrong dates
        pre = value.get("pre_session")
        pre_session = None
        if pre is not None:
            pre_session = model.PreSession(_date(pre["start"]), _date(pre["end"]), _opt_text(pre.get("venue")))
            if pre_session.end < pre_session.start:
                out.at(
                    source,
                    pre.value_mark("end"),
                    f"pre-session end {pre_session.end} is before its start {pre_session.start}",
                    "start is the first day of the pre-session and end the last: check both dates",
                )
            if start and pre_session.end > start:
                out.at(
                    source,
                    pre.value_mark("end"),
                    f"the pre-session ends on {pre_session.end}, after the session starts ({start})",
                    "the pre-session is held weeks before the session: check its dates and the session's",
                )
        sessions[number] = model.Session(number, value["cycle"], start, end, pre_session)

    # 5. Reviews and recommendations, in worker processes when there are many.
    ref = _Reference(
        countries=countries,
        themes=themes,
        sessions=sessions,
        country_files=frozenset(country_files),
        session_folders=frozenset(source.folder for source in loaded.sources if source.kind == "session"),
        broken=frozenset(broken),
        cache=cache,
        # Records are cached only when checked against sound reference files.
        keep_records=cache is not None and not out.problems,
    )
    reviews = list(prevalidated)
    for source, value in good["review"]:  # reviews given parsed
        review = _check_review(source, value, ref, out, loaded.digests.get(source.shown, ""))
        if review is not None:
            reviews.append(review)
    for review, problems in _check_reviews(unvalidated, ref, loaded.digests):
        out.problems.extend(problems)
        if review is not None:
            reviews.append(review)

    if out.problems or site is None:
        raise ContentError(out.problems)
    reviews.sort(key=lambda r: (r.session, r.state))
    return model.Database(
        site=site,
        themes=themes,
        organisations=organisations,
        countries=dict(sorted(countries.items())),
        sessions=dict(sorted(sessions.items())),
        reviews=tuple(reviews),
        pages={
            slug: model.MarkdownPage(slug, dict(sorted(sources.items()))) for slug, sources in sorted(pages.items())
        },
    )


@dataclass(frozen=True)
class _Reference:
    """What reviews are checked against: the other files, already validated."""

    countries: dict
    themes: dict
    sessions: dict
    country_files: frozenset
    session_folders: frozenset
    broken: frozenset  # kinds of files with problems of their own: references to them are not reported again
    cache: object  # of parsed values and valid records, or None
    keep_records: bool


def _check_reviews(unvalidated, ref: _Reference, digests: dict):
    """(review or None, problems) for each review file, in order; in worker processes when it pays."""
    size = sum(len(value.data) for _, value in unvalidated)
    workers = os.cpu_count() or 1
    if workers < 2 or size < PARALLEL_THRESHOLD_BYTES or not can_fork():
        return [_check_review_file(source, value, ref, digests.get(source.shown, "")) for source, value in unvalidated]
    blobs = fork_map(_check_in_worker, (unvalidated, ref, digests), range(len(unvalidated)), workers, chunksize=4)
    return [pickle.loads(blob) for blob in blobs]


def _check_in_worker(work: tuple, index: int) -> bytes:
    unvalidated, ref, digests = work
    source, value = unvalidated[index]
    return pickle.dumps(
        _check_review_file(source, value, ref, digests.get(source.shown, "")), protocol=pickle.HIGHEST_PROTOCOL
    )


def _check_review_file(source: SourceFile, unvalidated: Unvalidated, ref: _Reference, digest: str):
    """Parse (or take from the cache), check against its schema and the reference, and cache a review file."""
    cache = ref.cache
    hit, value = cache.get(unvalidated.key) if cache is not None else (False, None)
    if not hit:
        value, problem = parse(source, unvalidated.data)
        if problem:
            return None, [problem]
        if cache is not None:
            cache.put(unvalidated.key, value)
    out = _Reporter()
    report = out.for_file(source)
    schema.check(source.kind, value, report)
    if out.problems:
        return None, out.problems
    review = _check_review(source, value, ref, out, digest)
    if review is not None and not out.problems and ref.keep_records and unvalidated.review_key:
        cache.put(unvalidated.review_key, review)
    return (None if out.problems else review), out.problems


def _check_review(source: SourceFile, value: Mapping, ref: _Reference, out: _Reporter, digest: str):
    """The record of one review file whose shape is valid; its problems go to `out`."""
    state = value["state"]
    ok = True
    if state != source.stem:
        out.at(
            source,
            value.value_mark("state"),
            f"state '{state}' does not match the file name '{source.stem}.yaml'",
            f"rename the file to {state}.yaml or set state: {source.stem}",
        )
        ok = False
    elif state not in ref.countries:
        if state not in ref.country_files:
            out.at(
                source,
                value.value_mark("state"),
                f"unknown State '{state}'",
                _suggest(state, ref.countries) or "add countries/" + state + ".yaml",
            )
        ok = False
    number = int(source.folder) if source.folder.isascii() and source.folder.isdigit() else None
    if number not in ref.sessions:
        if source.folder not in ref.session_folders:
            out.at(
                source,
                (1, 1),
                f"sessions/{source.folder}/ has no session.yaml",
                "a review's folder must name an existing session",
            )
        ok = False
    session = ref.sessions.get(number)
    date = _date(value.get("date"))
    if date and session and session.start and session.end and not (session.start <= date <= session.end):
        out.at(
            source,
            value.value_mark("date"),
            f"date {date} is outside session {session.number} ({session.start} to {session.end})",
            f"the review takes place during its session: check this date, the folder, "
            f"and the dates in sessions/{session.number}/session.yaml",
        )

    recommendations = []
    ids: dict[str, tuple[int, int]] = {}
    for rec in value["recommendations"]:
        rec_id = rec["id"]
        if rec_id in ids:
            out.at(
                source,
                rec.value_mark("id"),
                f"recommendation id '{rec_id}' is used twice in this review (first at line {ids[rec_id][0]})",
                "give each recommendation of a review its own id",
            )
        ids.setdefault(rec_id, rec.value_mark("id"))
        for code, code_mark in zip(rec["by"], rec["by"].item_marks, strict=True):
            if code not in ref.countries and code not in ref.country_files:
                out.at(
                    source,
                    code_mark,
                    f"unknown State '{code}' in by",
                    _suggest(code, ref.countries) or f"add countries/{code}.yaml",
                )
        for theme, theme_mark in zip(rec["themes"], rec["themes"].item_marks, strict=True):
            if theme not in ref.themes and "themes" not in ref.broken:
                out.at(
                    source,
                    theme_mark,
                    f"unknown theme '{theme}'",
                    _suggest(theme, ref.themes) or "define it in themes.yaml",
                )
        assessments = []
        for item in rec.get("implementation", ()):
            assessment = model.Assessment(item["status"], _date(item["date"]), _opt_text(item.get("source")))
            if assessments and assessment.date < assessments[-1].date:
                out.at(
                    source,
                    item.value_mark("date"),
                    f"assessment of {assessment.date} comes after one of {assessments[-1].date}",
                    "list implementation assessments oldest first",
                )
            assessments.append(assessment)
        if session is not None:
            recommendations.append(
                model.Recommendation(
                    session=session.number,
                    state=state,
                    id=rec_id,
                    by=tuple(rec["by"]),
                    text=_text(rec["text"]),
                    themes=tuple(rec["themes"]),
                    response=rec["response"],
                    action=rec.get("action"),
                    sdgs=tuple(rec.get("sdgs", ())),
                    implementation=tuple(assessments),
                )
            )
    pledge_ids: set[str] = set()
    pledges = []
    for pledge in value.get("pledges", ()):
        if pledge["id"] in pledge_ids:
            out.at(
                source,
                pledge.value_mark("id"),
                f"pledge id '{pledge['id']}' is used twice in this review",
                "give each pledge of a review its own id",
            )
        pledge_ids.add(pledge["id"])
        pledges.append(model.Pledge(pledge["id"], _text(pledge["text"])))
    if ok and session is not None:
        return model.Review(
            session=session.number,
            state=state,
            date=date,
            documents=tuple(model.Document(d["type"], d["symbol"], d.get("url")) for d in value.get("documents", ())),
            pre_session_speakers=tuple(_text(t) for t in value.get("pre_session_speakers", ())),
            recommendations=tuple(recommendations),
            pledges=tuple(pledges),
            digest=digest,
        )
    return None
