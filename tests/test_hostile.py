"""Hostile and broken input: refused with the exact place and a hint, and nothing published changes.

Each refused case starts from a valid content folder whose site has been
built, changes a file or two, and runs the build through the command line
(in-process through `uprsite.cli.main`, a few as a subprocess): it must exit
with 1, print exactly the expected `path:line:col: message (hint: ...)`
lines, and leave the published folder byte for byte as it was. The accepted
cases are content that only looks dangerous or unusual: it is published, and
whatever looks like markup is shown as text.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from uprsite.cli import main
from uprsite.yamlload import MAX_FILE_BYTES

from .conftest import BASE_CONTENT, ROOT, run_cli, tree_bytes

R = "sessions/35/ARM.yaml"  # the review of the base content
HEAD = "state: ARM\nrecommendations:\n"
FIFTY_MB = 50 * 1024 * 1024
SITE = "title: {en: T}\nlanguages: [en, fr, es]\n"
BASE_URL_INJECTION = 'https://x.org/"><meta/http-equiv="refresh"/content="0;url=//127.0.0.1:9/pwn">'
SESSION_FOLDER = "a session folder's name is the session's number, in ASCII digits without leading zeros"
BIDI_HINT = (
    "delete it (most editors do not show it): it changes the order in which the text is shown; the site's "
    "languages are written left to right, and browsers place words of other scripts by themselves"
)
ZERO_WIDTH_HINT = "delete it (most editors do not show it): names and ids hold no zero-width characters"
NUL_HINT = (
    "delete it (most editors do not show it); a file with a NUL byte between all letters was saved as UTF-16: "
    "save it as UTF-8"
)
IMAGE_HINT = (
    "a page shows only the site's own files (static/, published as assets/); link to an image elsewhere instead: "
    "[a map of the regional groups](https://...)"
)
BASE_URL_HINT = (
    "the published address, ending in /, e.g. https://upr.example.org/ (letters, digits and - . _ ~ % ! $ & + , ; "
    "= : @ only); enables canonical links and sitemap.xml"
)


def rec(**fields) -> str:
    """One recommendation in block style; a field set to None is left out."""
    base = {"id": '"1"', "by": "[FRA]", "text": "{en: Do something.}", "themes": "[torture]", "response": "supported"}
    base.update(fields)
    lines = [f"    {key}: {value}" for key, value in base.items() if value is not None]
    return "  - " + "\n".join(lines)[4:] + "\n"


class Huge:
    """A valid-looking YAML file of `size` bytes, written in pieces (never held in memory)."""

    def __init__(self, size: int):
        self.size = size

    def write(self, path: Path) -> None:
        head = b"state: ARM\nrecommendations: []\n"
        line = b"# " + b"padding " * 12 + b"\n"
        with path.open("wb") as handle:
            handle.write(head)
            left = self.size - len(head)
            chunk = line * (1024 * 1024 // len(line))
            while left > 0:
                piece = chunk[:left]
                handle.write(piece)
                left -= len(piece)


class Link:
    """A symbolic link to `target`, as a pull request can add one."""

    def __init__(self, target: str):
        self.target = target


def write_files(root: Path, changes: dict) -> None:
    """Write files exactly as given (no dedent, no added newline); None removes one."""
    for rel, data in changes.items():
        path = root / rel
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Huge):
            data.write(path)
        elif isinstance(data, Link):
            path.symlink_to(data.target)
        else:
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


@dataclass(frozen=True)
class Published:
    root: Path  # holds content/ (valid) and site/ (built from it)
    files: dict[str, bytes]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Published:
    root = tmp_path_factory.mktemp("published")
    write_files(root / "content", {rel: text.lstrip("\n") for rel, text in _dedented(BASE_CONTENT).items()})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root / "cache"))
        patch.chdir(root)
        assert main(["build", "--content", "content", "--out", "site"]) == 0
    return Published(root, tree_bytes(root / "site"))


def _dedented(files: dict[str, str]) -> dict[str, str]:
    return {rel: textwrap.dedent(text) for rel, text in files.items()}


@pytest.fixture
def workdir(published, tmp_path, monkeypatch) -> Path:
    """A copy of the valid content and of its published site, as the current folder."""
    shutil.copytree(published.root / "content", tmp_path / "content")
    shutil.copytree(published.root / "site", tmp_path / "site")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".." / "cache"))
    return tmp_path


def summary(count: int) -> str:
    return f"{count} problem{'s' if count != 1 else ''} found; nothing was published."


def assert_refused(workdir: Path, published: Published, returncode: int, stderr: str, expected: list[str]) -> None:
    assert stderr.splitlines() == ["content/" + line for line in expected] + [summary(len(expected))]
    assert returncode == 1
    assert tree_bytes(workdir / "site") == published.files
    assert sorted(p.name for p in workdir.iterdir()) == ["content", "site"]  # no staging folder left behind


REFUSED = [
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2: DE\nregion: weog\nregion: eeg\n"},
        [
            "countries/DEU.yaml:4:1: duplicate key 'region' (first at line 3, column 1) (hint: remove one of the two entries)"
        ],
        id="duplicate-key",
    ),
    pytest.param(
        {R: HEAD + rec(text="{en: One., en: Two.}")},
        [
            "sessions/35/ARM.yaml:5:22: duplicate key 'en' (first at line 5, column 12) (hint: remove one of the two entries)"
        ],
        id="duplicate-key-in-flow-mapping",
    ),
    pytest.param(
        {"themes.yaml": "- &t\n  id: torture\n  name: {en: Torture}\n"},
        ["themes.yaml:1:3: YAML anchors (&t) are not allowed (hint: write the value out in full)"],
        id="anchor",
    ),
    pytest.param(
        {R: HEAD + rec(by="*states")},
        ["sessions/35/ARM.yaml:4:9: YAML aliases (*states) are not allowed (hint: write the value out in full)"],
        id="alias-without-anchor",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\n<<: *defaults\niso2: DE\nregion: weog\n"},
        ["countries/DEU.yaml:2:5: YAML aliases (*defaults) are not allowed (hint: write the value out in full)"],
        id="merge-key",
    ),
    pytest.param(
        {
            R: "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        },
        ["sessions/35/ARM.yaml:1:4: YAML anchors (&a) are not allowed (hint: write the value out in full)"],
        id="billion-laughs",
    ),
    pytest.param(
        {R: HEAD + rec(text="!!python/object/apply:os.system [echo pwned]")},
        [
            "sessions/35/ARM.yaml:5:11: YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed (hint: remove the tag)"
        ],
        id="python-tag",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: !upper deu\niso2: DE\nregion: weog\n"},
        ["countries/DEU.yaml:1:7: YAML tags (!upper) are not allowed (hint: remove the tag)"],
        id="custom-tag",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2: !!binary REU=\nregion: weog\n"},
        ["countries/DEU.yaml:2:7: YAML tags (tag:yaml.org,2002:binary) are not allowed (hint: remove the tag)"],
        id="binary-tag",
    ),
    pytest.param(
        {"site.yaml": "title: {en: T}\nlanguages: [en, fr, es]\ndemo: yes\n"},
        [
            "site.yaml:3:7: demo: expected true or false, found the text 'yes' (hint: true marks every page as showing sample data)"
        ],
        id="yes-for-boolean",
    ),
    pytest.param(
        {R: HEAD + rec(action="12:30")},
        [
            "sessions/35/ARM.yaml:8:13: action: expected a whole number, found the text '12:30' (hint: action category, a whole number from 1 to 5)"
        ],
        id="time-for-number",
    ),
    pytest.param(
        {"sessions/35/session.yaml": "number: 35\ncycle: 1e3\n"},
        [
            "sessions/35/session.yaml:2:8: cycle: expected a whole number, found the number 1000.0 (hint: the UPR cycle, 1 or more)"
        ],
        id="exponent-for-whole-number",
    ),
    pytest.param(
        {R: HEAD + rec(response="NO")},
        [
            "sessions/35/ARM.yaml:7:15: response: the text 'NO' is not allowed here; expected one of supported, noted, partially-supported, pending, no-response, withdrawn (hint: write one of the values listed, exactly as written there)"
        ],
        id="NO-for-enum",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2: DE\nregion: on\n"},
        [
            "countries/DEU.yaml:3:9: region: the text 'on' is not allowed here; expected one of africa, asia-pacific, eeg, grulac, weog, none (hint: did you mean 'none'?)"
        ],
        id="on-for-enum-region",
    ),
    pytest.param(
        {R: "state: ARM\ndate: 20200122\nrecommendations: []\n"},
        [
            "sessions/35/ARM.yaml:2:7: date: expected a text, found the number 20200122 (hint: write the date as YYYY-MM-DD, e.g. 2020-01-22)"
        ],
        id="number-for-date",
    ),
    pytest.param(
        {R: HEAD + rec(text="{en: true}")},
        [
            'sessions/35/ARM.yaml:5:16: en: expected a text, found the boolean true (hint: put the value in double quotes, "true", to keep it as text; a non-empty text)'
        ],
        id="true-for-text",
    ),
    pytest.param(
        {R: HEAD + rec(id="96.10")},
        [
            'sessions/35/ARM.yaml:3:9: id: expected a text, found the number 96.1 (hint: put the value in double quotes, as written, e.g. "96.10"; a quoted id, unique within the review: "96.1" (paragraph.item) or a sequence number "12")'
        ],
        id="unquoted-id-decimal",
    ),
    pytest.param(
        {R: HEAD + rec(id="12")},
        [
            'sessions/35/ARM.yaml:3:9: id: expected a text, found the number 12 (hint: put the value in double quotes, as written, e.g. "96.10"; a quoted id, unique within the review: "96.1" (paragraph.item) or a sequence number "12")'
        ],
        id="unquoted-id-integer",
    ),
    pytest.param(
        {R: HEAD + rec(by="FRA")},
        [
            "sessions/35/ARM.yaml:4:9: by: expected a list, found the text 'FRA' (hint: the recommending State(s): distinct country codes, e.g. [FRA, DEU])"
        ],
        id="wrong-type-list-expected",
    ),
    pytest.param(
        {R: HEAD + rec(text="Do something.")},
        [
            "sessions/35/ARM.yaml:5:11: text: expected a mapping (key: value lines), found the text 'Do something.' (hint: the recommendation's text per language, e.g. {en: Ratify ..., fr: Ratifier ...})"
        ],
        id="wrong-type-text-expected",
    ),
    pytest.param(
        {"countries/DEU.yaml": "- code: DEU\n- iso2: DE\n"},
        [
            "countries/DEU.yaml:1:1: expected a mapping (key: value lines), found a list (hint: one State: code, iso2 and region; optionally organisations, name and aliases)"
        ],
        id="wrong-type-file-is-a-list",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2:\nregion: weog\n"},
        [
            "countries/DEU.yaml:2:6: iso2: expected a text, found nothing (an empty value) (hint: ISO 3166-1 alpha-2 code in upper case, e.g. AM (quote NO if you like: it is read as text))"
        ],
        id="wrong-type-null-value",
    ),
    pytest.param(
        {R: HEAD + rec(response=None, respones="supported")},
        [
            "sessions/35/ARM.yaml:3:5: recommendations: missing key 'response' (hint: supported, noted, partially-supported, pending, no-response or withdrawn)",
            "sessions/35/ARM.yaml:7:5: unknown key 'respones' (hint: did you mean 'response'?)",
        ],
        id="unknown-key-typo",
    ),
    pytest.param(
        {R: HEAD + rec(text="{en: Do something., de: Etwas tun.}")},
        ["sessions/35/ARM.yaml:5:31: unknown key 'de' (hint: allowed keys: en, fr, es)"],
        id="unknown-language",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEX\niso2: DE\nregion: weog\n"},
        [
            "countries/DEU.yaml:1:7: code 'DEX' does not match the file name 'DEU.yaml' (hint: rename the file to DEX.yaml or set code: DEU)"
        ],
        id="name-and-code-disagree",
    ),
    pytest.param(
        {"sessions/35/session.yaml": "number: 36\ncycle: 3\n"},
        [
            "sessions/35/session.yaml:1:9: number 36 does not match the folder name 'sessions/35/' (hint: move the file to sessions/36/ or set number: 35)"
        ],
        id="folder-and-number-disagree",
    ),
    pytest.param(
        {R: "state: FRA\nrecommendations: []\n"},
        [
            "sessions/35/ARM.yaml:1:8: state 'FRA' does not match the file name 'ARM.yaml' (hint: rename the file to FRA.yaml or set state: ARM)"
        ],
        id="file-and-state-disagree",
    ),
    pytest.param(
        {R: HEAD + rec(by="[FRA, XYZ]")},
        ["sessions/35/ARM.yaml:4:15: unknown State 'XYZ' in by (hint: add countries/XYZ.yaml)"],
        id="dangling-state-in-by",
    ),
    pytest.param(
        {R: HEAD + rec(themes="[tortur]")},
        ["sessions/35/ARM.yaml:6:14: unknown theme 'tortur' (hint: did you mean 'torture'?)"],
        id="dangling-theme",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2: DE\nregion: weog\norganisations: [nato]\n"},
        ["countries/DEU.yaml:4:17: unknown organisation 'nato' (hint: define it in organisations.yaml)"],
        id="dangling-organisation",
    ),
    pytest.param(
        {"sessions/35/QAT.yaml": "state: QAT\nrecommendations: []\n"},
        ["sessions/35/QAT.yaml:1:8: unknown State 'QAT' (hint: add countries/QAT.yaml)"],
        id="review-of-unknown-state",
    ),
    pytest.param(
        {"sessions/99/ARM.yaml": "state: ARM\nrecommendations: []\n"},
        [
            "sessions/99/ARM.yaml:1:1: sessions/99/ has no session.yaml (hint: a review's folder must name an existing session)"
        ],
        id="review-without-session",
    ),
    pytest.param(
        {R: HEAD + rec() + rec(id='"2"') + rec()},
        [
            "sessions/35/ARM.yaml:13:9: recommendation id '1' is used twice in this review (first at line 3) (hint: give each recommendation of a review its own id)"
        ],
        id="duplicate-recommendation-id",
    ),
    pytest.param(
        {
            "themes.yaml": "- id: torture\n  name: {en: Torture}\n- id: womens-rights\n  name: {en: Women}\n- id: torture\n  name: {en: Torture again}\n"
        },
        ["themes.yaml:5:7: theme 'torture' is defined twice (hint: give each theme its own id)"],
        id="duplicate-theme-id",
    ),
    pytest.param(
        {R: "state: ARM\ndate: 2020-02-30\nrecommendations: []\n"},
        [
            "sessions/35/ARM.yaml:2:7: date: '2020-02-30' is not a real date (hint: day of the interactive dialogue, within the session)"
        ],
        id="impossible-date",
    ),
    pytest.param(
        {"sessions/35/session.yaml": "number: 35\ncycle: 3\nstart: 2021-02-29\nend: 2021-03-01\n"},
        [
            "sessions/35/session.yaml:3:8: start: '2021-02-29' is not a real date (hint: first day of the session (give end too))"
        ],
        id="not-a-leap-year",
    ),
    pytest.param(
        {R: HEAD + rec(implementation="[{status: not-implemented, date: 2022-13-01}]")},
        [
            "sessions/35/ARM.yaml:8:54: date: '2022-13-01' is not a real date (hint: the date of the assessment, YYYY-MM-DD)"
        ],
        id="month-out-of-range",
    ),
    pytest.param(
        {R: "state: ARM\ndate: 20201-01-22\nrecommendations: []\n"},
        [
            "sessions/35/ARM.yaml:2:7: date: '20201-01-22' is not a date written YYYY-MM-DD (hint: day of the interactive dialogue, within the session)"
        ],
        id="year-out-of-range",
    ),
    pytest.param(
        {"sessions/35/session.yaml": "number: 35\ncycle: 3\nstart: 2020-01-31\nend: 2020-01-20\n"},
        [
            "sessions/35/session.yaml:4:6: end 2020-01-20 is before start 2020-01-31 (hint: start is the first day of the session and end the last: check both dates)"
        ],
        id="end-before-start",
    ),
    pytest.param(
        {
            "sessions/35/session.yaml": "number: 35\ncycle: 3\nstart: 2020-01-20\nend: 2020-01-31\npre_session: {start: 2019-12-13, end: 2019-12-10}\n"
        },
        [
            "sessions/35/session.yaml:5:39: pre-session end 2019-12-10 is before its start 2019-12-13 (hint: start is the first day of the pre-session and end the last: check both dates)"
        ],
        id="pre-session-end-before-start",
    ),
    pytest.param(
        {R: "state: ARM\ndate: 2020-02-03\nrecommendations: []\n"},
        [
            "sessions/35/ARM.yaml:2:7: date 2020-02-03 is outside session 35 (2020-01-20 to 2020-01-31) (hint: the review takes place during its session: check this date, the folder, and the dates in sessions/35/session.yaml)"
        ],
        id="review-outside-session",
    ),
    pytest.param(
        {
            R: b'state: ARM\nrecommendations:\n  - id: "1"\n    by: [FRA]\n    text: {fr: Ratifier la Convention \xe9tendue.}\n    themes: []\n    response: noted\n'
        },
        ["sessions/35/ARM.yaml:5:39: the file is not valid UTF-8 (byte 0xe9) (hint: save the file as UTF-8)"],
        id="non-utf8-bytes",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2: DE\nregion: weog\n".encode("utf-16")},
        ["countries/DEU.yaml:1:1: the file is not valid UTF-8 (byte 0xff) (hint: save the file as UTF-8)"],
        id="utf16-file",
    ),
    pytest.param(
        {R: 'state: ARM\nrecommendations:\n\t- id: "1"\n'},
        [
            "sessions/35/ARM.yaml:3:1: invalid YAML: a tab character in the indentation (hint: indent with spaces, not tabs)"
        ],
        id="tab-indentation",
    ),
    pytest.param(
        {"countries/DEU.yaml": ""},
        ["countries/DEU.yaml:1:1: the file is empty (hint: see schemas/country.schema.json for what it holds)"],
        id="empty-file",
    ),
    pytest.param(
        {"sessions/35/session.yaml": "# to be filled in\n"},
        ["sessions/35/session.yaml:1:1: the file is empty (hint: see schemas/session.schema.json for what it holds)"],
        id="comments-only",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2: DE\nregion: weog\n---\ncode: FRA\n"},
        [
            "countries/DEU.yaml:4:1: a file holds one YAML document; found a second one (hint: remove the '---' line and split the file)"
        ],
        id="two-documents",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2: DE\nregion: weog\n...\ncode: FRA\n"},
        [
            "countries/DEU.yaml:5:1: invalid YAML: did not find expected <document start> (hint: a file holds one YAML document: remove the '...' line and what follows)"
        ],
        id="document-end-then-more",
    ),
    pytest.param(
        {R: "state: ARM\nrecommendations: " + "[" * 5000 + "]" * 5000 + "\n"},
        [
            "sessions/35/ARM.yaml:2:49: the content is nested more than 32 levels deep (hint: no content file needs this depth: check the brackets and the indentation)"
        ],
        id="deep-nesting",
    ),
    pytest.param(
        {R: Huge(FIFTY_MB)},
        [
            "sessions/35/ARM.yaml:1:1: the file is 52,428,800 bytes; the limit is 16,777,216 (hint: split the content into smaller files)"
        ],
        id="file-of-50-mb",
    ),
    pytest.param(
        {
            R: "state: ARM\ndocuments:\n  - type: addendum\n    symbol: A/HRC/1\n    url: javascript:alert(document.cookie)\nrecommendations: []\n"
        },
        [
            "sessions/35/ARM.yaml:5:10: url: 'javascript:alert(document.cookie)' is not valid here (hint: optional link to the document; http(s) only)"
        ],
        id="javascript-url",
    ),
    pytest.param(
        {
            R: 'state: ARM\ndocuments:\n  - {type: addendum, symbol: A/HRC/1, url: "JavaScript://%0aalert(1)"}\nrecommendations: []\n'
        },
        [
            "sessions/35/ARM.yaml:3:44: url: 'JavaScript://%0aalert(1)' is not valid here (hint: optional link to the document; http(s) only)"
        ],
        id="javascript-url-mixed-case",
    ),
    pytest.param(
        {
            R: 'state: ARM\ndocuments:\n  - {type: addendum, symbol: A/HRC/1, url: "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="}\nrecommendations: []\n'
        },
        [
            "sessions/35/ARM.yaml:3:44: url: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==' is not valid here (hint: optional link to the document; http(s) only)"
        ],
        id="data-url",
    ),
    pytest.param(
        {
            R: 'state: ARM\ndocuments:\n  - {type: addendum, symbol: A/HRC/1, url: "//evil.example/x.pdf"}\nrecommendations: []\n'
        },
        [
            "sessions/35/ARM.yaml:3:44: url: '//evil.example/x.pdf' is not valid here (hint: optional link to the document; http(s) only)"
        ],
        id="protocol-relative-url",
    ),
    pytest.param(
        {R: HEAD + rec(id='"../../index"')},
        [
            'sessions/35/ARM.yaml:3:9: id: \'../../index\' is not valid here (hint: a quoted id, unique within the review: "96.1" (paragraph.item) or a sequence number "12")'
        ],
        id="path-trick-in-recommendation-id",
    ),
    pytest.param(
        {"themes.yaml": "- id: ../../en/index\n  name: {en: Torture}\n"},
        [
            "themes.yaml:1:7: id: '../../en/index' is not valid here (hint: the theme's id, a lower-case slug used in recommendations' themes, e.g. womens-rights)"
        ],
        id="path-trick-in-theme-id",
    ),
    pytest.param(
        {R: "state: ../ARM\nrecommendations: []\n"},
        [
            "sessions/35/ARM.yaml:1:8: state: '../ARM' is not valid here (hint: the State under review; must equal the file name)"
        ],
        id="path-trick-in-state-code",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2: DE\nregion: weog\norganisations: [../../etc]\n"},
        [
            "countries/DEU.yaml:4:17: organisations: '../../etc' is not valid here (hint: a lower-case id of letters, digits and single hyphens, e.g. womens-rights)"
        ],
        id="path-trick-in-organisation",
    ),
    pytest.param(
        {"pages/%2e%2e%2findex.en.md": "# Hi\n"},
        [
            "pages/%2e%2e%2findex.en.md:1:1: '%2e%2e%2findex' is not a valid page slug (hint: use lower-case letters, digits and hyphens, e.g. what-is-the-upr)"
        ],
        id="path-trick-in-page-name",
    ),
    pytest.param(
        {"countries/FRA.yml": "code: FRA\n"},
        [
            "countries/FRA.yml:1:1: only <CODE>.yaml files belong in countries/ (hint: content holds site.yaml, themes.yaml, organisations.yaml, pages/<slug>.<lang>.md, countries/<CODE>.yaml, sessions/<N>/session.yaml and sessions/<N>/<CODE>.yaml)"
        ],
        id="misplaced-file",
    ),
    pytest.param(
        {R: HEAD + rec(text="{en: Adopt a plan: now}")},
        [
            "sessions/35/ARM.yaml:5:28: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping) (hint: a { ... } mapping is not closed or lacks a comma, or one of its texts holds a comma, colon or bracket and needs double quotes)"
        ],
        id="unquoted-colon-in-text",
    ),
    pytest.param(
        {
            "sessions/35/session.yaml": "number: 35\ncycle: 3\nstart: 2020-01-20\nend: 2020-01-31\npre_session:\n"
            "  start: 2019-12-10\n  end: 2019-12-13\n  venue: {en: Palais des Nations, Geneva}\n"
        },
        [
            "sessions/35/session.yaml:8:35: unknown key 'Geneva' (hint: allowed keys: en, fr, es; if this is the end of a "
            'text after a comma, put the whole text in double quotes: {en: "Palais des Nations, Geneva"})'
        ],
        id="unquoted-comma-in-flow-text",
    ),
    pytest.param(
        {"countries/ZZZ.yaml": Link("/etc/passwd")},
        [
            "countries/ZZZ.yaml:1:1: symbolic links are not allowed in the content folder (hint: put the file itself in its place)"
        ],
        id="link-to-a-system-file",
    ),
    pytest.param(
        {"sessions/36": Link("/etc")},
        [
            "sessions/36:1:1: symbolic links are not allowed in the content folder (hint: put the file itself in its place)"
        ],
        id="link-to-a-system-folder",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2: DE\nregion: " + "x" * 100_000 + "\n"},
        [
            "countries/DEU.yaml:3:9: region: the text 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not allowed "
            "here; expected one of africa, asia-pacific, eeg, grulac, weog, none (hint: write one of the values listed, "
            "exactly as written there)"
        ],
        id="long-value-is-quoted-cut",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2: DE\nregion: weog\n" + "k" * 100_000 + ": 1\n"},
        [
            "countries/DEU.yaml:4:100001: invalid YAML: could not find expected ':' (while scanning a simple key) (hint: "
            "write the line as key: value (a key holds at most 1024 characters); a text continued on this line must be "
            "indented more than its key)"
        ],
        id="key-longer-than-yaml-allows",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2: DE\nregion: weog\n" + "k" * 1000 + ": 1\n"},
        [
            "countries/DEU.yaml:4:1: unknown key 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...' (hint: allowed "
            "keys: code, iso2, region, organisations, name, aliases)"
        ],
        id="long-key-is-quoted-cut",
    ),
    pytest.param(
        {R: HEAD + rec(id='"1')},
        [
            "sessions/35/ARM.yaml:8:1: invalid YAML: found unexpected end of stream (while scanning a quoted scalar) (hint: a quoted text is not closed: add the closing quote)"
        ],
        id="unclosed-quote",
    ),
    # base_url is written into every page: a plain http(s) URL ending in / (issue 12, finding 1).
    pytest.param(
        {"site.yaml": SITE + "base_url: '" + BASE_URL_INJECTION + "'\n"},
        [
            'site.yaml:3:11: base_url: \'https://x.org/"><meta/http-equiv="refresh"/content="0;url...\' is not '
            "valid here (hint: " + BASE_URL_HINT + ")"
        ],
        id="markup-in-base-url",
    ),
    pytest.param(
        {"site.yaml": SITE + "base_url: https://x.org/upr\n"},
        ["site.yaml:3:11: base_url: 'https://x.org/upr' is not valid here (hint: " + BASE_URL_HINT + ")"],
        id="base-url-without-final-slash",
    ),
    pytest.param(
        {"site.yaml": SITE + "base_url: https://x.org/?a=1#/\n"},
        ["site.yaml:3:11: base_url: 'https://x.org/?a=1#/' is not valid here (hint: " + BASE_URL_HINT + ")"],
        id="query-and-fragment-in-base-url",
    ),
    # Session folders are canonical ASCII numbers: int() would read these as 35 (issue 12, finding 5).
    pytest.param(
        {"sessions/035/ARM.yaml": "state: ARM\nrecommendations: []\n"},
        ["sessions/035:1:1: " + SESSION_FOLDER + " (hint: rename the folder to sessions/35/)"],
        id="leading-zero-session-folder",
    ),
    pytest.param(
        {"sessions/\u0663\u0665/ARM.yaml": "state: ARM\nrecommendations: []\n"},
        ["sessions/\u0663\u0665:1:1: " + SESSION_FOLDER + " (hint: rename the folder to sessions/35/)"],
        id="arabic-indic-digits-session-folder",
    ),
    pytest.param(
        {"sessions/035/session.yaml": "number: 35\ncycle: 3\n", "sessions/035/ARM.yaml": HEAD + rec()},
        ["sessions/035:1:1: " + SESSION_FOLDER + " (hint: rename the folder to sessions/35/)"],
        id="second-session-35-with-its-session-yaml",
    ),
    pytest.param(
        {"sessions/\u00b2/ARM.yaml": "state: ARM\nrecommendations: []\n"},
        [
            "sessions/\u00b2:1:1: "
            + SESSION_FOLDER
            + " (hint: rename the folder to the session's number, e.g. sessions/35/)"
        ],
        id="superscript-digit-session-folder",
    ),
    pytest.param(
        {
            "sessions/36/ARM.yaml": "state: ARM\nrecommendations: []\n",
            "sessions/36/FRA.yaml": "state: FRA\nrecommendations: []\n",
        },
        [
            "sessions/36/ARM.yaml:1:1: sessions/36/ has no session.yaml (hint: a review's folder must name an existing session)",
            "sessions/36/FRA.yaml:1:1: sessions/36/ has no session.yaml (hint: a review's folder must name an existing session)",
        ],
        id="reviews-of-a-session-without-session-yaml",
    ),
    # Markdown pages show no image from elsewhere (issue 12, finding 13).
    pytest.param(
        {"pages/about.en.md": "# About\n\nOur map: ![map](https://tracker.example/pixel.png?who=reader)\n"},
        [
            "pages/about.en.md:3:10: the image 'https://tracker.example/pixel.png?who=reader' is not a file of the "
            "site (hint: " + IMAGE_HINT + ")"
        ],
        id="external-image-in-markdown",
    ),
    pytest.param(
        {"pages/about.en.md": "# About\n\nText,\nthen ![x](x.png) ![svg](data:image/png;base64,iVBORw0KGgo=)\n"},
        [
            "pages/about.en.md:4:6: the image 'x.png' is not a file of the site (hint: " + IMAGE_HINT + ")",
            "pages/about.en.md:4:18: the image 'data:image/png;base64,iVBORw0KGgo=' is not a file of the "
            "site (hint: " + IMAGE_HINT + ")",
        ],
        id="data-and-missing-images-in-markdown",
    ),
    pytest.param(
        {"pages/about.fr.md": "# À propos\n\n> [![logo](//cdn.example/logo.png)](https://example.org/)\n"},
        [
            "pages/about.fr.md:3:4: the image '//cdn.example/logo.png' is not a file of the site (hint: "
            + IMAGE_HINT
            + ")"
        ],
        id="scheme-relative-image-in-markdown",
    ),
    # Invisible characters: none in names and ids, no bidirectional control in texts; a raw NUL at its
    # place (issue 12, finding 14).
    pytest.param(
        {"countries/DEU.yaml": 'code: DEU\niso2: DE\nregion: weog\nname: {en: "Germany\\u202e"}\n'},
        [
            "countries/DEU.yaml:4:12: en: invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) at character 8 of "
            "'Germany' (hint: " + BIDI_HINT + ")"
        ],
        id="bidi-override-in-a-name",
    ),
    pytest.param(
        {"countries/DEU.yaml": "code: DEU\niso2: DE\nregion: weog\naliases: [Deutsch\u200bland]\n"},
        [
            "countries/DEU.yaml:4:11: aliases: invisible character U+200B (ZERO WIDTH SPACE) at character 8 of "
            "'Deutschland' (hint: " + ZERO_WIDTH_HINT + ")"
        ],
        id="zero-width-space-in-an-alias",
    ),
    pytest.param(
        {"themes.yaml": "- id: torture\n  name: {en: Torture, fr: \u2067Torture\u2069}\n"},
        [
            "themes.yaml:2:27: fr: invisible character U+2067 (RIGHT-TO-LEFT ISOLATE) at character 1 of 'Torture' "
            "(hint: " + BIDI_HINT + ")"
        ],
        id="bidi-isolate-in-a-theme-name",
    ),
    pytest.param(
        {"organisations.yaml": "- id: oif\n  acronym: {en: OI\u2060F}\n  name: {en: Francophonie}\n"},
        [
            "organisations.yaml:2:17: en: invisible character U+2060 (WORD JOINER) at character 3 of 'OIF' (hint: "
            + ZERO_WIDTH_HINT
            + ")"
        ],
        id="word-joiner-in-an-acronym",
    ),
    pytest.param(
        {R: HEAD + rec(id='"96.1\u200d"')},
        [
            "sessions/35/ARM.yaml:3:9: id: invisible character U+200D (ZERO WIDTH JOINER) at character 5 of "
            "'96.1' (hint: " + ZERO_WIDTH_HINT + ")"
        ],
        id="zero-width-joiner-in-a-recommendation-id",
    ),
    pytest.param(
        {R: HEAD + rec(text='{en: "Ratify the \u202egnp.exe convention."}')},
        [
            "sessions/35/ARM.yaml:5:16: en: invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) at character 12 of "
            "'Ratify the gnp.exe convention.' (hint: " + BIDI_HINT + ")"
        ],
        id="bidi-override-in-a-text",
    ),
    pytest.param(
        {"countries/DEU.yaml": b"code: DEU\niso2: DE\nregion: weog\nname: {en: Ger\x00many}\n"},
        ["countries/DEU.yaml:4:15: control character U+0000 (a NUL byte) in the file (hint: " + NUL_HINT + ")"],
        id="raw-nul-byte",
    ),
    pytest.param(
        {"pages/about.en.md": "# About\n\nA form\x0cfeed.\n"},
        ["pages/about.en.md:3:7: control character U+000C in the file (hint: delete it (most editors do not show it))"],
        id="raw-control-character-in-a-page",
    ),
    pytest.param(
        {"pages/about.en.md": "# About\n\nSee the file \u202egnp.exe for details.\n"},
        ["pages/about.en.md:3:14: invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) (hint: " + BIDI_HINT + ")"],
        id="bidi-override-in-a-page",
    ),
    # Explanatory pages are capped: each is listed on the pages index (issue 12, finding 10).
    pytest.param(
        {f"pages/p{n:03}.en.md": f"# Page {n}\n" for n in range(200)},
        [
            "pages/p199.en.md:1:1: 201 explanatory pages; the limit is 200 (this is page 201 by name) (hint: pages "
            "explain the site and the UPR: merge pages on one subject into one)"
        ],
        id="more-than-200-pages",
    ),
]


@pytest.mark.parametrize("changes, expected", REFUSED)
def test_refused_with_exact_place_and_published_site_untouched(workdir, published, capsys, changes, expected):
    write_files(workdir / "content", changes)
    capsys.readouterr()
    returncode = main(["build", "--content", "content", "--out", "site"])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert_refused(workdir, published, returncode, captured.err, expected)


# The same through a separate process, as an editor or CI runs it.
THROUGH_A_PROCESS = [p for p in REFUSED if p.id in ("python-tag", "non-utf8-bytes", "file-of-50-mb", "tab-indentation")]


@pytest.mark.parametrize("changes, expected", THROUGH_A_PROCESS)
def test_refused_through_the_command_line_process(workdir, published, changes, expected):
    write_files(workdir / "content", changes)
    result = run_cli(
        "build",
        "--content",
        "content",
        "--out",
        "site",
        cwd=workdir,
        env={"XDG_CACHE_HOME": str(workdir.parent / "cache"), "GITHUB_ACTIONS": ""},
    )
    assert result.stdout == ""
    assert_refused(workdir, published, result.returncode, result.stderr, expected)


def test_every_problem_of_several_files_at_once_and_as_github_annotations(workdir, published):
    write_files(
        workdir / "content",
        {
            "countries/DEU.yaml": "code: DEU\niso2: DE\nregion: west\n",
            "countries/FRA.yaml": "code: FRA\niso2: FR\nregion: weog\norganisations: [oiff]\n",
            R: HEAD + rec(id="96.10"),
            "sessions/35/session.yaml": "number: 35\ncycle: 3\nstart: 2020-01-31\nend: 2020-01-20\n",
        },
    )
    result = run_cli(
        "check",
        "--content",
        "content",
        cwd=workdir,
        env={"XDG_CACHE_HOME": str(workdir.parent / "cache"), "GITHUB_ACTIONS": "true"},
    )
    expected = [
        "countries/DEU.yaml:3:9: region: the text 'west' is not allowed here; expected one of africa, asia-pacific, "
        "eeg, grulac, weog, none (hint: write one of the values listed, exactly as written there)",
        "countries/FRA.yaml:4:17: unknown organisation 'oiff' (hint: did you mean 'oif'?)",
        "sessions/35/ARM.yaml:3:9: id: expected a text, found the number 96.1 (hint: put the value in double quotes, "
        'as written, e.g. "96.10"; a quoted id, unique within the review: "96.1" (paragraph.item) or a sequence '
        'number "12")',
        "sessions/35/session.yaml:4:6: end 2020-01-20 is before start 2020-01-31 (hint: start is the first day of "
        "the session and end the last: check both dates)",
    ]
    assert_refused(workdir, published, result.returncode, result.stderr, expected)
    assert result.stdout.splitlines() == [
        "::error file=content/countries/DEU.yaml,line=3,col=9::region: the text 'west' is not allowed here; "
        "expected one of africa, asia-pacific, eeg, grulac, weog, none (hint: write one of the values listed, "
        "exactly as written there)",
        "::error file=content/countries/FRA.yaml,line=4,col=17::unknown organisation 'oiff' (hint: did you mean 'oif'?)",
        "::error file=content/sessions/35/ARM.yaml,line=3,col=9::id: expected a text, found the number 96.1 "
        '(hint: put the value in double quotes, as written, e.g. "96.10"; a quoted id, unique within the review: '
        '"96.1" (paragraph.item) or a sequence number "12")',
        "::error file=content/sessions/35/session.yaml,line=4,col=6::end 2020-01-20 is before start 2020-01-31 "
        "(hint: start is the first day of the session and end the last: check both dates)",
    ]


def test_problems_after_the_first_200_are_counted_by_kind(workdir, published):
    """A file with thousands of mistakes gives 200 lines and a count of the rest, in `check` and `build`."""
    recs = "".join(
        f'  - {{id: "{n}", by: [FRA], text: {{en: T}}, themes: [], '
        f"response: {'NO' if n % 3 == 0 else 'supported'}, colour: red}}\n"
        for n in range(1, 1501)
    )
    write_files(workdir / "content", {R: HEAD + recs})
    env = {"XDG_CACHE_HOME": str(workdir.parent / "cache"), "GITHUB_ACTIONS": "true"}
    for command in (["check"], ["build", "--out", "site"]):
        result = run_cli(*command, "--content", "content", cwd=workdir, env=env)
        assert result.returncode == 1
        lines = result.stderr.splitlines()
        assert len(lines) == 202
        assert lines[0] == (
            "content/sessions/35/ARM.yaml:3:74: unknown key 'colour' (hint: allowed keys: id, by, text, themes, "
            "response, action, sdgs, implementation)"
        )
        assert all(line.startswith("content/sessions/35/ARM.yaml:") for line in lines[:200])
        # 1,500 unknown keys and 500 responses 'NO': 2,000 problems, 1,800 of them after the first 200.
        assert lines[200:] == [
            "... and 1,800 more: 1,350 \u00d7 unknown key '...'; 450 \u00d7 response: the text '...' is not allowed here; "
            "expected one of supported, note...",
            "2000 problems found; nothing was published.",
        ]
        annotations = result.stdout.splitlines()
        assert len(annotations) == 201 and all(a.startswith("::error file=content/") for a in annotations[:200])
        assert annotations[200] == "::error::" + lines[200]
    assert tree_bytes(workdir / "site") == published.files


def test_the_corpus_covers_at_least_ninety_cases_all_with_hints():
    assert len(REFUSED) >= 40
    assert len(REFUSED) + len(ACCEPTED) >= 90  # issue 12: every finding of the hostile probe joined it
    assert len({p.id for p in REFUSED + ACCEPTED}) == len(REFUSED) + len(ACCEPTED)
    for param in REFUSED:
        assert all("(hint: " in line for line in param.values[1]), param.id


SPEAKERS = "pre_session_speakers:\n  - en: yes\n  - en: 12:30\n  - en: NO\n  - en: off\n"
SCRIPT_TEXT = "<script>alert(1)</script>"
HANDLER_TEXT = '<img src=x onerror="alert(2)"> <a href="javascript:alert(3)" onclick="alert(4)">x</a>'


# Joiners spell words: Persian needs a ZWNJ (U+200C) in "mi-khâham", an emoji sequence a ZWJ (U+200D).
JOINED_TEXT = "Quote: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001f469\u200d\U0001f4bb."


def review_with(text: str) -> str:
    return HEAD + rec(text="{en: " + repr(text).replace("'", '"', 1)[:-1] + '"}')


# (changes, page to look at, what it must contain, what no HTML page may contain)
ACCEPTED = [
    pytest.param(
        {"countries/DEU.yaml": b"\xef\xbb\xbfcode: DEU\niso2: DE\nregion: weog\nname: {en: Germany (BOM)}\n"},
        "en/countries/deu/index.html",
        "<h1>Germany (BOM)</h1>",
        None,
        id="utf8-byte-order-mark",
    ),
    pytest.param(
        {R: (HEAD + rec(text="{en: Windows line ends.}")).replace("\n", "\r\n").encode()},
        "en/countries/arm/35/index.html",
        "<p>Windows line ends.<dl>",
        "\r",
        id="windows-line-ends",
    ),
    pytest.param(
        {R: (HEAD + rec(text="{en: No final newline.}")).rstrip("\n")},
        "en/countries/arm/35/index.html",
        "<p>No final newline.<dl>",
        None,
        id="no-final-newline",
    ),
    pytest.param(
        {"countries/NOR.yaml": "code: NOR\niso2: NO\nregion: weog\n"},
        "fr/countries/nor/index.html",
        "<h1>Norvège</h1>",
        None,
        id="iso2-NO-is-norway",
    ),
    pytest.param(
        {R: "state: ARM\n" + SPEAKERS + "recommendations: []\n"},
        "en/countries/arm/35/index.html",
        "<li>yes</li><li>12:30</li><li>NO</li><li>off</li>",
        None,
        id="yes-12:30-NO-off-are-texts-where-texts-are-expected",
    ),
    pytest.param(
        {R: HEAD + rec(text='{en: "<script>alert(1)</script>"}')},
        "en/countries/arm/35/index.html",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        SCRIPT_TEXT,
        id="script-in-a-text",
    ),
    pytest.param(
        {R: HEAD + rec(text="{en: '" + HANDLER_TEXT + "'}")},
        "en/countries/arm/35/index.html",
        "&lt;img src=x onerror=&#34;alert(2)&#34;&gt; &lt;a href=&#34;javascript:alert(3)&#34; "
        "onclick=&#34;alert(4)&#34;&gt;x&lt;/a&gt;",
        'onerror="alert(2)"',
        id="event-handlers-in-a-text",
    ),
    pytest.param(
        {
            "countries/DEU.yaml": "code: DEU\niso2: DE\nregion: weog\nname: {en: '<b onmouseover=alert(5)>Germany</b>'}\n"
        },
        "en/countries/deu/index.html",
        "<h1>&lt;b onmouseover=alert(5)&gt;Germany&lt;/b&gt;</h1>",
        "<b onmouseover",
        id="markup-in-a-name",
    ),
    pytest.param(
        {
            "pages/about.en.md": "# About\n\n<script>alert(6)</script>\n\n<img src=x onerror=alert(7)>\n\n"
            "[click](javascript:alert(8)) [data](data:text/html,x)\n"
        },
        "en/pages/about/index.html",
        "&lt;script&gt;alert(6)&lt;/script&gt;",
        "<script>alert(6)",
        id="markdown-page-with-raw-html-and-script-links",
    ),
    pytest.param(
        {"pages/about.en.md": "# About\n\n[Elsewhere](//other.example/page) and [ours](../../index.html)\n"},
        "en/pages/about/index.html",
        '<a href="//other.example/page" rel="external">Elsewhere</a> and <a href="../../index.html">ours</a>',
        None,
        id="scheme-relative-link-is-external",
    ),
    pytest.param(
        {"pages/about.en.md": "# About\n\n![The site's stylesheet](../../../assets/style.css)\n"},
        "en/pages/about/index.html",
        '<img src="../../../assets/style.css" alt="The site\'s stylesheet" />',
        None,
        id="image-that-is-a-file-of-the-site",
    ),
    pytest.param(
        {R: review_with(JOINED_TEXT)},
        "en/countries/arm/35/index.html",
        "<p>" + JOINED_TEXT + "<dl>",
        None,
        id="zero-width-joiners-in-a-text",
    ),
    pytest.param(
        {R: HEAD + rec(text="""{en: '=HYPERLINK("http://127.0.0.1:9/","Click")'}""")},
        "en/countries/arm/35/index.html",
        "<p>=HYPERLINK(&#34;http://127.0.0.1:9/&#34;,&#34;Click&#34;)<dl>",
        None,
        id="spreadsheet-formula-in-a-text",
    ),
]


@pytest.mark.parametrize("changes, shown_on, shown, in_no_page", ACCEPTED)
def test_accepted_and_shown_as_text(workdir, capsys, changes, shown_on, shown, in_no_page):
    write_files(workdir / "content", changes)
    assert main(["build", "--content", "content", "--out", "site"]) == 0, capsys.readouterr().err
    html = (workdir / "site" / shown_on).read_text(encoding="utf-8")
    assert shown in html
    if in_no_page is not None:
        pages = {p: data for p, data in tree_bytes(workdir / "site").items() if p.endswith(".html")}
        assert [p for p, data in pages.items() if in_no_page.encode() in data] == []


def test_markdown_links_to_scripts_and_data_are_not_links(workdir, capsys):
    (case,) = [p for p in ACCEPTED if p.id == "markdown-page-with-raw-html-and-script-links"]
    write_files(workdir / "content", case.values[0])
    assert main(["build", "--content", "content", "--out", "site"]) == 0
    html = (workdir / "site/en/pages/about/index.html").read_text(encoding="utf-8")
    assert "javascript:" not in html.replace("[click](javascript:alert(8))", "")
    assert 'href="data:' not in html and "<img" not in html


PEAK_MEMORY = """
import resource, sys
from uprsite.cli import main
code = main(["check", "--content", sys.argv[1]])
print("peak-kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""


def peak_kb_of_check(content: Path, cwd: Path) -> tuple[int, int, str]:
    result = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY, str(content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "XDG_CACHE_HOME": str(cwd / "cache-mem")},
    )
    peak = int(result.stdout.split("peak-kb ")[1].split()[0])
    return result.returncode, peak, result.stderr


def test_a_50_mb_file_is_refused_without_being_read(workdir, published):
    """The loader keeps memory bounded: a file over the limit is refused by its size alone."""
    assert FIFTY_MB > 3 * MAX_FILE_BYTES
    code, baseline_kb, _ = peak_kb_of_check(workdir / "content", workdir.parent)
    assert code == 0
    write_files(workdir / "content", {R: Huge(FIFTY_MB)})
    assert (workdir / "content" / R).stat().st_size == FIFTY_MB
    code, peak_kb, stderr = peak_kb_of_check(workdir / "content", workdir.parent)
    assert code == 1
    assert stderr.splitlines()[0] == (
        f"{workdir}/content/sessions/35/ARM.yaml:1:1: the file is 52,428,800 bytes; "
        "the limit is 16,777,216 (hint: split the content into smaller files)"
    )
    # Reading the file would take 50 MB at least; decoding it, 50 MB more.
    print(
        f"peak memory of check: {baseline_kb / 1024:.1f} MB on valid content, "
        f"{peak_kb / 1024:.1f} MB with a 50 MB file in it"
    )
    assert peak_kb - baseline_kb < 10 * 1024
