"""`python build.py import-upr-info`: UPR Info exports in, content out, every row accounted for."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from babel import Locale

from uprsite import yamlload
from uprsite.content import load
from uprsite.model import RESPONSES
from uprsite.validate import validate
from uprsite.yamlwrite import dump

from .conftest import ROOT, SHARED, run_cli, tree_bytes

HEADER = "SuR;Rgrp;Org;Recommendation;RS;Rgrp;Org;Response;Action;Issue;Session"
EXPORT_DIR = SHARED / "data/upr-info-export-2018"
REPORT = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+): (?P<message>.*)$", re.M)

EXTRA_COUNTRIES = {
    # CLDR says "Bosnia & Herzegovina": the name override gives the export's spelling.
    "countries/BIH.yaml": "code: BIH\niso2: BA\nregion: eeg\nname: {en: Bosnia and Herzegovina}\n",
    "countries/KNA.yaml": 'code: KNA\niso2: KN\nregion: grulac\naliases: ["St Kitts & Nevis"]\n',
}


def write_export(path: Path, rows: list[str]) -> Path:
    """An export as UPR Info wrote them: UTF-8 with a byte-order mark, CRLF line ends."""
    path.write_bytes(("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8"))
    return path


def import_(tmp_path: Path, *args: str):
    return run_cli("import-upr-info", *args, cwd=tmp_path)


def reports(stderr: str) -> list[str]:
    return [m.group(0) for m in REPORT.finditer(stderr)]


def read_yaml(path: Path):
    return yamlload.load_bytes(path.read_bytes(), str(path))


# Lines 2-12 of the export; quoted names on lines 3 and 11 run on to the next line.
MIXED_ROWS = [
    # 2: first row of a joint recommendation; HTML entity (its ';' needs CSV quotes), double and
    # trailing spaces.
    'Egypt;Africa;AU;"Protect  women&#39;s rights: ""all"" of them # now ";France;WEOG;EU, OIF;Supported;5;'
    "Women's rights,Torture and other CID treatment;35",
    # 3-4: its co-author, a State name with an embedded line break, issues in another order.
    'Egypt;Africa;AU;Protect women\'s rights: "all" of them # now;"Bosnia and Herzegovina\n";EEG;;Supported;5;'
    "Torture and other CID treatment,Women's rights;35",
    # 5: an alias spelling, no issue, a text starting with a dash.
    "Egypt;Africa;AU;- Abolish the death penalty;St Kitts & Nevis;GRULAC;;Noted;1;;35",
    # 6: France again on the same recommendation.
    'Egypt;Africa;AU;Protect women\'s rights: "all" of them # now;France;WEOG;EU, OIF;Supported;5;'
    "Women's rights,Torture and other CID treatment;35",
    # 7: same text, other response: another recommendation.
    "Egypt;Africa;AU;Protect women's rights: \"all\" of them # now;Germany;WEOG;EU;Noted;5;Women's rights;35",
    # 8: a name that is no State.
    'Egypt;Africa;AU;Something else;"&#40;Unknown&#41;";"&#40;Unknown&#41;";;Supported;4;;35',
    # 9: no session.
    "Egypt;Africa;AU;Something else;Norway;WEOG;;Supported;4;Torture and other CID treatment;",
    # 10: a session the content does not have yet.
    "Norway;WEOG;;Adopt a law on torture.;Egypt;Africa;AU;Supported;4;Torture and other CID treatment;8",
    # 11-12: the co-author of line 3 again; reported at the line where the row starts.
    'Egypt;Africa;AU;Protect women\'s rights: "all" of them # now;"Bosnia and Herzegovina\r\n";EEG;;Supported;5;'
    "Torture and other CID treatment,Women's rights;35",
]

EXPECTED_EGY = """\
state: EGY
recommendations:
  - id: "1"
    by: [FRA, BIH]
    text:
      en: "Protect women's rights: \\"all\\" of them # now"
    themes: [womens-rights, torture]
    response: supported
    action: 5
  - id: "2"
    by: [KNA]
    text:
      en: "- Abolish the death penalty"
    themes: []
    response: noted
    action: 1
  - id: "3"
    by: [DEU]
    text:
      en: "Protect women's rights: \\"all\\" of them # now"
    themes: [womens-rights]
    response: noted
    action: 5
"""


def test_import_merges_joint_rows_and_reports_every_other_row(make_content, tmp_path):
    make_content(EXTRA_COUNTRIES)
    write_export(tmp_path / "export.csv", MIXED_ROWS)

    result = import_(tmp_path, "export.csv", "--content", "content")

    assert result.returncode == 0, result.stderr
    assert reports(result.stderr) == [
        "export.csv:6: France already co-authors this recommendation to EGY at session 35 (row at line 2)",
        "export.csv:8: recommending State '(Unknown)' matches no State "
        "(if it names one, add this spelling to the aliases in its countries/<CODE>.yaml)",
        "export.csv:9: the row has no Session",
        "export.csv:11: Bosnia and Herzegovina already co-authors this recommendation to EGY at session 35 "
        "(row at line 3)",
    ]
    # The session the import created has no dates (the export gives none): said once, after the rows.
    assert result.stderr.splitlines()[4] == (
        "warning: 1 session of the imported reviews has no dates (8): the export gives none, and the "
        "site's \"data as of\" date comes from the dates of the reviews' sessions; add start and end to "
        "sessions/<number>/session.yaml"
    )
    assert result.stderr.count("\n") == 5  # nothing else on stderr
    assert result.stdout == (
        "read 9 rows from 1 file\n"
        "imported 5 rows: 4 recommendations with 5 co-authorships (1 joint)\n"
        "reported 4 rows:\n"
        "  2 State already co-authors the same recommendation\n"
        "  1 no session\n"
        "  1 recommending State matches no State\n"
        "wrote 2 reviews (0 replaced, 2 new) and created 1 session (8) in content\n"
    )
    assert not REPORT.search(result.stdout)  # only row reports use the file:line: form

    content = tmp_path / "content"
    assert (content / "sessions/35/EGY.yaml").read_text(encoding="utf-8") == EXPECTED_EGY
    assert (content / "sessions/8/NOR.yaml").read_text(encoding="utf-8") == (
        'state: NOR\nrecommendations:\n  - id: "1"\n    by: [EGY]\n    text:\n      en: "Adopt a law on torture."\n'
        "    themes: [torture]\n    response: supported\n    action: 4\n"
    )
    # The new session has its number and cycle, and no invented date.
    assert (content / "sessions/8/session.yaml").read_text(encoding="utf-8") == "number: 8\ncycle: 1\n"
    assert (
        read_yaml(content / "sessions/35/EGY.yaml")["recommendations"][0]["text"]["en"]
        == 'Protect women\'s rights: "all" of them # now'
    )

    check = run_cli("check", "--content", str(content))
    assert check.returncode == 0, check.stderr
    assert "6 recommendations in 3 reviews" in check.stdout  # 4 imported, 2 in the sample ARM review


def test_missing_sessions_are_created_with_their_cycle(make_content, tmp_path):
    make_content()
    sessions = [1, 12, 13, 26, 27, 40, 41, 52]
    write_export(
        tmp_path / "export.csv", [f"Norway;WEOG;;Adopt a law.;Egypt;Africa;AU;Supported;4;;{n}" for n in sessions]
    )

    result = import_(tmp_path, "export.csv", "--content", "content")

    assert result.returncode == 0, result.stderr
    cycles = {n: read_yaml(tmp_path / f"content/sessions/{n}/session.yaml") for n in sessions}
    assert {n: dict(v) for n, v in cycles.items()} == {
        1: {"number": 1, "cycle": 1},
        12: {"number": 12, "cycle": 1},
        13: {"number": 13, "cycle": 2},
        26: {"number": 26, "cycle": 2},
        27: {"number": 27, "cycle": 3},
        40: {"number": 40, "cycle": 3},
        41: {"number": 41, "cycle": 4},
        52: {"number": 52, "cycle": 4},
    }
    assert "created 8 sessions (1, 12, 13, 26, 27, 40, 41, 52)" in result.stdout
    # Session 35 has dates; the created ones have none.
    assert "have no dates (1, 12, 13, 26, 27, 40, 41, 52)" in result.stderr
    # The session that already existed is left as it was.
    assert "start: 2020-01-20" in (tmp_path / "content/sessions/35/session.yaml").read_text()
    assert run_cli("check", "--content", str(tmp_path / "content")).returncode == 0


def test_rows_that_cannot_be_imported_are_reported_once_each(make_content, tmp_path):
    make_content()
    write_export(
        tmp_path / "export.csv",
        [
            "Atlantis;WEOG;;Adopt a law.;France;WEOG;;Supported;4;;35",  # 2
            "Egypt;Africa;AU;Adopt a law.;France;WEOG;;Pending;4;;35",  # 3
            "Egypt;Africa;AU;Adopt a law.;France;WEOG;;Supported;7;;35",  # 4
            "Egypt;Africa;AU;Adopt a law.;France;WEOG;;Supported;4;Torture and other CID treatment,Astrology;35",  # 5
            "Egypt;Africa;AU;   ;France;WEOG;;Supported;4;;35",  # 6
            "Egypt;Africa;AU;Adopt a law.;France;WEOG;;Supported;4;;thirty",  # 7
            "Egypt;Africa;AU;Adopt a law.;France",  # 8
            "egypt;Africa;AU;Adopt  a law. ;FRANCE;WEOG;;supported;;;35",  # 9: imported, no action
        ],
    )

    result = import_(tmp_path, "export.csv", "--content", "content")

    assert result.returncode == 0, result.stderr
    assert reports(result.stderr) == [
        "export.csv:2: State under Review 'Atlantis' matches no State "
        "(if it names one, add this spelling to the aliases in its countries/<CODE>.yaml)",
        "export.csv:3: Response 'Pending' is neither Supported nor Noted",
        "export.csv:4: Action '7' is not an action category 1-5",
        "export.csv:5: Issue 'Astrology' matches no theme's English name in themes.yaml",
        "export.csv:6: the row has no Recommendation text",
        "export.csv:7: Session 'thirty' is not a session number",
        "export.csv:8: the row has 5 fields separated by ';', not 11",
    ]
    assert (
        "read 8 rows from 1 file\nimported 1 row: 1 recommendation with 1 co-authorship (0 joint)\n"
        "reported 7 rows:\n" in result.stdout
    )
    review = read_yaml(tmp_path / "content/sessions/35/EGY.yaml")
    assert review["recommendations"] == [
        {"id": "1", "by": ["FRA"], "text": {"en": "Adopt a law."}, "themes": [], "response": "supported"}
    ]


# Texts that trip naive YAML writers; the CSV is written with Python's csv module.
AWKWARD_TEXTS = [
    'Ratify: the "Convention" #1, now',
    "* begins with an asterisk",
    "&amp; begins with an entity &lt;b&gt; and has & alone",
    "[brackets] {braces} | pipe > more ? query % per @ at ` tick ! bang",
    "'single quotes' and back\\slash \\n not a line break",
    "null",
    "1.5",
    "Ünïcödé — “curly” €, non-breaking\u00a0space",
    "a DEL\x7f, a NUL\x00\x1b and a byte-order mark \ufeff inside",
    "an override\u202e and an isolate\u2067 inside",
    "line\r\nbreaks\nand\ttabs",
    "long " + "word " * 4000,
]


def test_awkward_texts_are_written_as_yaml_that_reads_back_exactly(make_content, tmp_path):
    make_content()
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER.split(";"))
    for text in AWKWARD_TEXTS:
        writer.writerow(["Egypt", "Africa", "AU", text, "France", "WEOG", "", "Supported", "5", "", "35"])
    (tmp_path / "export.csv").write_bytes(("\ufeff" + stream.getvalue()).encode("utf-8"))

    result = import_(tmp_path, "export.csv", "--content", "content")

    assert result.returncode == 0, result.stderr
    review = read_yaml(tmp_path / "content/sessions/35/EGY.yaml")
    assert [r["text"]["en"] for r in review["recommendations"]] == [
        'Ratify: the "Convention" #1, now',
        "* begins with an asterisk",
        "& begins with an entity <b> and has & alone",
        "[brackets] {braces} | pipe > more ? query % per @ at ` tick ! bang",
        "'single quotes' and back\\slash \\n not a line break",
        "null",
        "1.5",
        "Ünïcödé — “curly” €, non-breaking space",
        "a DEL , a NUL and a byte-order mark \ufeff inside",  # control characters count as spaces
        "an override and an isolate inside",  # and so do bidirectional controls
        "line breaks and tabs",
        "long" + " word" * 4000,
    ]
    assert run_cli("check", "--content", str(tmp_path / "content")).returncode == 0


def test_yaml_writer_round_trips_through_the_loader():
    value = {
        "id": "96.10",
        "code": "NO",
        "n": 3,
        "flag": True,
        "empty": [],
        "list": ["a", "b-1", "10"],
        "items": [{"id": "1", "text": {"en": "x: y", "fr": "#z"}}, {"id": "p1", "text": {"en": "- w"}}],
    }
    text = dump(value, quote=frozenset({"id", "en", "fr"}))
    assert yamlload.load_text(text, "t.yaml") == value
    assert 'id: "96.10"' in text and "code: NO" in text and '"10"' in text
    assert dump(value, quote=frozenset({"id", "en", "fr"})) == text


def test_existing_review_needs_replace(make_content, tmp_path):
    content = make_content()
    write_export(
        tmp_path / "export.csv",
        [
            "Egypt;Africa;AU;Adopt a law.;France;WEOG;;Supported;4;;35",
            "Armenia;EEG;;Ratify the Convention.;Norway;WEOG;;Noted;5;;35",
        ],
    )
    before = tree_bytes(content)

    refused = import_(tmp_path, "export.csv", "--content", "content")

    assert refused.returncode == 1
    assert "1 review already exists in content; nothing was imported" in refused.stderr
    assert "--replace" in refused.stderr
    assert "content/sessions/35/ARM.yaml" in refused.stderr
    assert "EGY.yaml" not in refused.stderr
    assert tree_bytes(content) == before  # not even the new review was written

    replaced = import_(tmp_path, "export.csv", "--content", "content", "--replace")

    assert replaced.returncode == 0, replaced.stderr
    assert "wrote 2 reviews (1 replaced, 1 new)" in replaced.stdout
    armenia = read_yaml(content / "sessions/35/ARM.yaml")
    assert [r["by"] for r in armenia["recommendations"]] == [["NOR"]]
    assert "documents" not in armenia
    assert run_cli("check", "--content", str(content)).returncode == 0


def test_import_is_deterministic(make_content, tmp_path):
    first, second = make_content(EXTRA_COUNTRIES, name="a"), make_content(EXTRA_COUNTRIES, name="b")
    write_export(tmp_path / "export.csv", MIXED_ROWS)

    assert import_(tmp_path, "export.csv", "--content", "a").returncode == 0
    assert import_(tmp_path, "export.csv", "--content", "b").returncode == 0
    assert tree_bytes(first) == tree_bytes(second)

    once = tree_bytes(first)
    again = import_(tmp_path, "export.csv", "--content", "a", "--replace")
    assert again.returncode == 0 and "(2 replaced, 0 new) and created 0 sessions" in again.stdout
    assert tree_bytes(first) == once
    assert not list(first.rglob(".*"))  # no temporary file left behind


def test_unusable_input_stops_before_writing_anything(make_content, tmp_path):
    content = make_content()
    before = tree_bytes(content)
    (tmp_path / "other.csv").write_bytes(b"a;b;c\r\n1;2;3\r\n")
    (tmp_path / "latin1.csv").write_bytes(("\r\n".join([HEADER, "Égypte;x"]) + "\r\n").encode("latin-1"))
    write_export(tmp_path / "good.csv", ["Egypt;Africa;AU;Adopt a law.;France;WEOG;;Supported;4;;35"])

    wrong = import_(tmp_path, "good.csv", "other.csv", "--content", "content")
    assert wrong.returncode == 1
    assert "error: other.csv is not a UPR Info export" in wrong.stderr
    undecodable = import_(tmp_path, "latin1.csv", "--content", "content")
    assert undecodable.returncode == 1 and "latin1.csv is not UTF-8" in undecodable.stderr
    assert tree_bytes(content) == before

    (content / "countries/FRA.yaml").write_text("code: FRA\niso2: FR\nregion: wepg\n", encoding="utf-8")
    invalid = import_(tmp_path, "good.csv", "--content", "content")
    assert invalid.returncode == 1
    assert "content/countries/FRA.yaml:3:9:" in invalid.stderr
    assert not (content / "sessions/35/EGY.yaml").exists()


# The whole real export -------------------------------------------------------


def _name_key(name: str) -> str:
    return " ".join(html.unescape(name).split()).casefold()


def _csv_rows(path: Path):
    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream, delimiter=";")
        next(reader)
        yield from reader


def _row_at(path: Path, line: int) -> list[str]:
    """The CSV row that starts on physical line `line` of a file."""
    physical = path.read_bytes().decode("utf-8-sig").split("\n")
    return next(csv.reader(io.StringIO("\n".join(physical[line - 1 :])), delimiter=";"))


def _site_counts(site: Path):
    """(rows per State under Review, per session, per response) as the English review pages show them."""
    per_state, per_session, per_response = Counter(), Counter(), Counter()
    anchor = re.compile(r'<li\b[^>]*\bid="r-(\d+)-([A-Z]{3})-([^"]+)"[^>]*>')
    # The response is marked by a class: response-noted, r-noted, ... (the markup's naming may change).
    response_class = re.compile(r'class="(?:[^"]*\s)?(?:response-|r-)({})"'.format("|".join(RESPONSES)))
    for page in sorted((site / "en/countries").glob("*/[0-9]*/**/index.html")):
        code = page.relative_to(site / "en/countries").parts[0].upper()
        chunks = anchor.split(page.read_text(encoding="utf-8"))
        for session, state, _id, body in zip(chunks[1::4], chunks[2::4], chunks[3::4], chunks[4::4], strict=False):
            assert state == code, f"{page}: a recommendation to {state} on the page of {code}"
            response = response_class.search(body).group(1)
            # The field ends at the next field or at the end of the list (HTML lets </dt> and </dd> out).
            by = re.search(r"<dt>Recommended by(?:</dt>)?\s*<dd>(.*?)(?:</dd>|<dt>|</dl>)", body, re.S).group(1)
            authors = by.count("<a ")
            per_state[state] += authors
            per_session[int(session)] += authors
            per_response[response] += authors
    return per_state, per_session, per_response


@pytest.mark.slow
def test_whole_real_export_is_imported_and_built_with_every_row_accounted_for(tmp_path):
    files = sorted(EXPORT_DIR.glob("*.csv"))
    if not files:
        pytest.skip(f"the UPR Info export is not in {EXPORT_DIR}")
    # The shipped reference content without its sample reviews (or pages).
    content = tmp_path / "content"
    content.mkdir()
    for name in ("site.yaml", "themes.yaml", "organisations.yaml"):
        shutil.copy(ROOT / "content" / name, content / name)
    shutil.copytree(ROOT / "content/countries", content / "countries")
    for session in (ROOT / "content/sessions").iterdir():
        (content / "sessions" / session.name).mkdir(parents=True)
        shutil.copy(session / "session.yaml", content / "sessions" / session.name / "session.yaml")

    result = run_cli("import-upr-info", *map(str, files), "--content", str(content))
    assert result.returncode == 0, result.stderr[-3000:]

    # Every row: imported as a co-author, or reported exactly once.
    summary = re.search(
        r"read ([\d,]+) rows from 7 files\nimported ([\d,]+) rows: ([\d,]+) recommendations "
        r"with ([\d,]+) co-authorships",
        result.stdout,
    )
    rows, imported, recommendations, coauthorships = (int(g.replace(",", "")) for g in summary.groups())
    found = [(m["file"], int(m["line"]), m["message"]) for m in REPORT.finditer(result.stderr)]
    assert len(found) == len({(f, n) for f, n, _ in found})
    assert rows == 61_014 == imported + len(found) and imported == coauthorships
    assert f"reported {len(found):,} rows:" in result.stdout

    # The reported rows, read independently from the line each report names.
    reported = [_row_at(Path(f), n) for f, n, _ in found]
    for (f, n, message), row in zip(found, reported, strict=True):
        shown = [" ".join(html.unescape(name).split()) for name in (row[0], row[4])]
        assert shown[1] in message or shown[0] in message or row[10] == "", (f, n, message, row)
    # Every spelling of a State in the export resolves, except the export's own "(Unknown)".
    for _f, _n, message in found:
        assert (
            "the row has no Session" in message
            or "already co-authors this recommendation" in message
            or message.startswith("recommending State '(Unknown)' matches no State")
        ), message
    assert sum(1 for r in reported if r[10] == "") == 1
    assert sum(1 for r in reported if r[4] == "&#40;Unknown&#41;") == 9

    # What the CSV says, minus the reported rows.
    countries = {p.stem: yamlload.load_bytes(p.read_bytes(), p.name) for p in (content / "countries").glob("*.yaml")}
    names = {}
    for code, record in countries.items():
        for name in [
            Locale("en").territories.get(record["iso2"]),
            (record.get("name") or {}).get("en"),
            *record.get("aliases", ()),
        ]:
            if name:
                names[_name_key(name)] = code
    expected_state, expected_session, expected_response = Counter(), Counter(), Counter()
    for path in files:
        for row in _csv_rows(path):
            expected_state[names.get(_name_key(row[0]), row[0])] += 1
            expected_session[row[10]] += 1
            expected_response[row[7].lower()] += 1
    for row in reported:
        expected_state[names.get(_name_key(row[0]), row[0])] -= 1
        expected_session[row[10]] -= 1
        expected_response[row[7].lower()] -= 1
    expected_state, expected_response = +expected_state, +expected_response
    expected_session = Counter({int(k): v for k, v in expected_session.items() if v})
    assert len(expected_state) == 193 and len(expected_session) == 27

    # What the model says.
    db = validate(load(content))
    assert db.recommendation_count == recommendations
    model_state, model_session, model_response = Counter(), Counter(), Counter()
    for rec in db.recommendations():
        model_state[rec.state] += len(rec.by)
        model_session[rec.session] += len(rec.by)
        model_response[rec.response] += len(rec.by)
    assert model_state == expected_state
    assert model_session == expected_session
    assert model_response == expected_response

    # What the built site shows.
    site = tmp_path / "site"
    built = run_cli(
        "build", "--content", str(content), "--out", str(site), env={"XDG_CACHE_HOME": str(tmp_path / "cache")}
    )
    assert built.returncode == 0, built.stderr[-3000:]
    assert _site_counts(site) == (expected_state, expected_session, expected_response)


# What `check` would refuse is never written ------------------------------------


def test_a_review_too_big_for_check_is_refused_with_its_rows_and_nothing_is_written(make_content, tmp_path):
    content = make_content()
    before = tree_bytes(content)
    # 1,700 recommendations of 10,000 characters: over check's 16 MB per file, in one review.
    big = [f"Egypt;Africa;AU;Text {n} {'x' * 10_000};France;WEOG;;Supported;4;;35" for n in range(1_700)]
    fine = ["Norway;WEOG;;Adopt a law on torture.;Egypt;Africa;AU;Supported;4;;8"]  # a new session, a small review
    write_export(tmp_path / "export.csv", fine + big)

    result = import_(tmp_path, "export.csv", "--content", "content")

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "export.csv:3: `check` would refuse the review this row goes into: content/sessions/35/EGY.yaml:1:1: "
        f"the file would be {len(read_bytes_of_review(big)):,} bytes; the limit is 16,777,216 "
        "(hint: 1,700 recommendations from 1,700 rows of the export for EGY at session 35: "
        "more than one review file can hold; check those rows)",
        "error: `check` would refuse content after this import (1 problem); nothing was imported",
    ]
    assert result.stdout == ""
    assert tree_bytes(content) == before  # neither the small review nor the new session


def read_bytes_of_review(rows: list[str]) -> bytes:
    """The review the importer would write for rows of EGY at session 35 to FRA, each its own recommendation."""
    recommendations = [
        {
            "id": str(n),
            "by": ["FRA"],
            "text": {"en": row.split(";")[3]},
            "themes": [],
            "response": "supported",
            "action": 4,
        }
        for n, row in enumerate(rows, start=1)
    ]
    return dump({"state": "EGY", "recommendations": recommendations}, quote=frozenset({"id", "en"})).encode("utf-8")


def test_an_import_is_refused_when_check_would_refuse_the_content_after_it(make_content, tmp_path):
    # A review the import does not touch is invalid: after the import, `check` would still refuse the content.
    content = make_content({"sessions/35/ARM.yaml": BASE_ARM_WITH_UNKNOWN_STATE})
    before = tree_bytes(content)
    write_export(tmp_path / "export.csv", ["Egypt;Africa;AU;Adopt a law.;France;WEOG;;Supported;4;;35"])

    result = import_(tmp_path, "export.csv", "--content", "content")

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/sessions/35/ARM.yaml:4:10: unknown State 'FRX' in by (hint: did you mean 'FRA'?)",
        "error: `check` would refuse content after this import (1 problem); nothing was imported",
    ]
    assert tree_bytes(content) == before
    # The very message `check` gives.
    checked = run_cli("check", "--content", "content", cwd=tmp_path)
    assert checked.stderr.splitlines()[0] == result.stderr.splitlines()[0]

    # Once that review is replaced by the import, the content is valid, and the import goes ahead.
    write_export(tmp_path / "fix.csv", ["Armenia;EEG;;Ratify the Convention.;France;WEOG;;Noted;5;;35"])
    fixed = import_(tmp_path, "fix.csv", "--content", "content", "--replace")
    assert fixed.returncode == 0, fixed.stderr
    assert run_cli("check", "--content", str(content)).returncode == 0


BASE_ARM_WITH_UNKNOWN_STATE = (
    'state: ARM\nrecommendations:\n  - id: "1"\n    by: [FRX]\n    text: {en: T}\n    themes: []\n'
    "    response: supported\n"
)


# A quote left open is reported where it began ------------------------------------

GOOD_ROW = "Egypt;Africa;AU;Adopt a law.;France;WEOG;;Supported;4;;35"


@pytest.mark.parametrize(
    ("rows", "report"),
    [
        pytest.param(
            [GOOD_ROW, 'Egypt;Africa;AU;"Adopt a law.;Germany;WEOG;;Supported;4;;35', GOOD_ROW, GOOD_ROW],
            "export.csv:3: the quoted field that begins here "
            "(column 17: '\"Adopt a law.;Germany;WEOG;;Supported;4;;35') "
            "never closes: every line after it would be read as its text",
            id="to the end of the file",
        ),
        pytest.param(
            [
                GOOD_ROW,
                'Egypt;Africa;AU;"Adopt a law.;Germany;WEOG;;Supported;4;;35',
                GOOD_ROW,
                'Egypt;Africa;AU;"Protect ""all"" of them";Norway;WEOG;;Noted;4;;35',
                GOOD_ROW,
            ],
            "export.csv:3: the quoted field that begins here "
            "(column 17: '\"Adopt a law.;Germany;WEOG;;Supported;4;;35') "
            "is not closed on its line: it runs on to line 5, where a quote is followed by text",
            id="to the next quoted field",
        ),
        pytest.param(
            [GOOD_ROW, 'Egypt;Africa;AU;"Adopt" a law.;Germany;WEOG;;Supported;4;;35', GOOD_ROW],
            "export.csv:3: the quoted field that begins here "
            "(column 17: '\"Adopt\" a law.;Germany;WEOG;;Supported;4;;35') "
            "has text after its closing quote",
            id="text after the closing quote",
        ),
        pytest.param(
            # A name legitimately quoted over two lines (3-4), then a quote left open on the row's second line.
            [GOOD_ROW, 'Egypt;Africa;AU;Adopt a law.;"Bosnia and\nHerzegovina";EEG;;Supported;"4;;35', GOOD_ROW],
            "export.csv:4: the quoted field that begins here (column 29: '\"4;;35') "
            "never closes: every line after it would be read as its text",
            id="on the second line of a row",
        ),
    ],
)
def test_an_unbalanced_quote_is_reported_at_the_line_of_its_field_and_nothing_is_written(
    make_content, tmp_path, rows, report
):
    content = make_content(EXTRA_COUNTRIES)
    before = tree_bytes(content)
    write_export(tmp_path / "export.csv", rows)

    result = import_(tmp_path, "export.csv", "--content", "content")

    assert result.returncode == 1
    assert result.stderr == (
        report + ' (hint: a field that starts with " ends with " followed by ; or the end of the line; '
        'write each " inside it as ""); nothing was imported\n'
    )
    assert result.stdout == ""
    assert tree_bytes(content) == before
