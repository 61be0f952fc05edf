"""Validation: the contract's rules, each reported at the value at fault."""

import pytest

from uprsite import content
from uprsite.errors import ContentError
from uprsite.validate import validate

from .conftest import txtar


def problems(make_content, changes) -> list[str]:
    root = make_content(changes)
    with pytest.raises(ContentError) as info:
        validate(content.load(root))
    return [str(p).replace(str(root), "content") for p in info.value.problems]


def test_base_content_is_valid(make_content):
    db = validate(content.load(make_content()))
    assert db.recommendation_count == 2
    assert list(db.countries) == ["ARM", "DEU", "EGY", "FRA", "NOR"]
    assert db.countries["NOR"].iso2 == "NO"  # YAML 1.2: NO is a string


def test_all_errors_are_reported_at_once_and_sorted(make_content):
    found = problems(
        make_content,
        txtar("""
            -- countries/FRA.yaml --
            code: FRA
            iso2: FR
            region: weog
            organisations: [oiff]
            -- countries/DEU.yaml --
            code: DEU
            iso2: DE
            regon: weog
            """),
    )
    assert found == [
        "content/countries/DEU.yaml:1:1: missing key 'region' (hint: UN regional group: africa, asia-pacific, "
        "eeg, grulac, weog, or none for observer States)",
        "content/countries/DEU.yaml:3:1: unknown key 'regon' (hint: did you mean 'region'?)",
        "content/countries/FRA.yaml:4:17: unknown organisation 'oiff' (hint: did you mean 'oif'?)",
    ]


REVIEW_HEAD = "state: ARM\nrecommendations:\n"


def rec(**fields) -> str:
    base = {"id": '"1"', "by": "[FRA]", "text": "{en: Do something.}", "themes": "[torture]", "response": "supported"}
    base.update(fields)
    lines = [f"    {k}: {v}" for k, v in base.items() if v is not None]
    return "  - " + "\n".join(lines)[4:] + "\n"


@pytest.mark.parametrize(
    "review, expected",
    [
        (
            REVIEW_HEAD + rec(by="[FRA, XXX]"),
            "content/sessions/35/ARM.yaml:4:15: unknown State 'XXX' in by (hint: add countries/XXX.yaml)",
        ),
        (
            REVIEW_HEAD + rec(by="[FRQ]"),
            "content/sessions/35/ARM.yaml:4:10: unknown State 'FRQ' in by (hint: did you mean 'FRA'?)",
        ),
        (
            REVIEW_HEAD + rec(themes="[tortur]"),
            "content/sessions/35/ARM.yaml:6:14: unknown theme 'tortur' (hint: did you mean 'torture'?)",
        ),
        (
            REVIEW_HEAD + rec(id="96.10"),
            "content/sessions/35/ARM.yaml:3:9: id: expected a text, found the number 96.1 (hint: put the value in "
            'double quotes, as written, e.g. "96.10"; a quoted id, unique within the review: "96.1" (paragraph.item) '
            'or a sequence number "12")',
        ),
        (
            REVIEW_HEAD + rec(response="suported"),
            "content/sessions/35/ARM.yaml:7:15: response: the text 'suported' is not allowed here; expected one of "
            "supported, noted, partially-supported, pending, no-response, withdrawn (hint: did you mean 'supported'?)",
        ),
        (
            REVIEW_HEAD + rec(action="yes"),
            "content/sessions/35/ARM.yaml:8:13: action: expected a whole number, found the text 'yes' "
            "(hint: action category, a whole number from 1 to 5)",
        ),
        (
            REVIEW_HEAD + rec(action="6"),
            "content/sessions/35/ARM.yaml:8:13: action: 6 is out of range; expected a number from 1 to 5 "
            "(hint: action category, a whole number from 1 to 5)",
        ),
        (
            REVIEW_HEAD + rec(sdgs="[0, 16]"),
            "content/sessions/35/ARM.yaml:8:12: sdgs: 0 is out of range; expected a number from 1 to 17 "
            "(hint: a Sustainable Development Goal, 1 to 17)",
        ),
        (
            REVIEW_HEAD + rec() + rec(),
            "content/sessions/35/ARM.yaml:8:9: recommendation id '1' is used twice in this review (first at line 3) "
            "(hint: give each recommendation of a review its own id)",
        ),
        (
            "state: ARM\ndate: 2020-02-30\nrecommendations: []\n",
            "content/sessions/35/ARM.yaml:2:7: date: '2020-02-30' is not a real date "
            "(hint: day of the interactive dialogue, within the session)",
        ),
        (
            "state: ARM\ndate: 2020-02-03\nrecommendations: []\n",
            "content/sessions/35/ARM.yaml:2:7: date 2020-02-03 is outside session 35 (2020-01-20 to 2020-01-31) "
            "(hint: the review takes place during its session: check this date, the folder, and the dates in "
            "sessions/35/session.yaml)",
        ),
        (
            "state: FRA\nrecommendations: []\n",
            "content/sessions/35/ARM.yaml:1:8: state 'FRA' does not match the file name 'ARM.yaml' "
            "(hint: rename the file to FRA.yaml or set state: ARM)",
        ),
        (
            "state: ARM\ndocuments:\n  - type: national-report\n    symbol: A/1\n    url: javascript:alert(1)\n"
            "recommendations: []\n",
            "content/sessions/35/ARM.yaml:5:10: url: 'javascript:alert(1)' is not valid here "
            "(hint: optional link to the document; http(s) only)",
        ),
        (
            REVIEW_HEAD
            + rec(
                implementation="[{status: fully-implemented, date: 2023-01-01}, "
                "{status: not-implemented, date: 2022-01-01}]"
            ),
            "content/sessions/35/ARM.yaml:8:101: assessment of 2022-01-01 comes after one of 2023-01-01 "
            "(hint: list implementation assessments oldest first)",
        ),
    ],
)
def test_review_rules(make_content, review, expected):
    assert problems(make_content, {"sessions/35/ARM.yaml": review}) == [expected]


def test_session_rules(make_content):
    found = problems(
        make_content,
        {
            "sessions/35/session.yaml": "number: 36\ncycle: 3\n",
            "sessions/36/session.yaml": "number: 36\ncycle: 3\nstart: 2020-05-10\nend: 2020-05-01\n",
            "sessions/37/session.yaml": "number: 37\ncycle: 3\nstart: 2020-05-10\n",
        },
    )
    assert found == [
        "content/sessions/35/session.yaml:1:9: number 36 does not match the folder name 'sessions/35/' "
        "(hint: move the file to sessions/36/ or set number: 35)",
        "content/sessions/36/session.yaml:4:6: end 2020-05-01 is before start 2020-05-10 "
        "(hint: start is the first day of the session and end the last: check both dates)",
        "content/sessions/37/session.yaml:3:1: 'start' is given without 'end' "
        "(hint: give both 'start' and 'end', or neither)",
    ]


def test_review_in_a_folder_without_session(make_content):
    found = problems(make_content, {"sessions/40/ARM.yaml": "state: ARM\nrecommendations: []\n"})
    assert found == [
        "content/sessions/40/ARM.yaml:1:1: sessions/40/ has no session.yaml "
        "(hint: a review's folder must name an existing session)"
    ]


def test_unexpected_files_are_reported(make_content):
    found = problems(make_content, {"countries/notes.txt": "x", "stray.yaml": "a: 1\n"})
    assert found[0].startswith("content/countries/notes.txt:1:1: only <CODE>.yaml files belong in countries/")
    assert found[1].startswith("content/stray.yaml:1:1: unexpected file here")


def test_yaml_problems_and_schema_problems_together(make_content):
    found = problems(
        make_content,
        {
            "countries/DEU.yaml": "code: DEU\ncode: DEU\niso2: DE\nregion: weog\n",
            "countries/FRA.yaml": "",
        },
    )
    assert found == [
        "content/countries/DEU.yaml:2:1: duplicate key 'code' (first at line 1, column 1) "
        "(hint: remove one of the two entries)",
        "content/countries/FRA.yaml:1:1: the file is empty (hint: see schemas/country.schema.json for what it holds)",
    ]


def test_unknown_iso2_without_a_name(make_content):
    found = problems(make_content, {"countries/DEU.yaml": "code: DEU\niso2: QQ\nregion: weog\n"})
    assert found == [
        "content/countries/DEU.yaml:2:7: 'QQ' is not an ISO 3166-1 alpha-2 code known to CLDR "
        "(hint: check the code, or give the State's name in `name`)"
    ]


def test_path_tricks_in_codes_are_refused(make_content):
    found = problems(make_content, {"sessions/35/ARM.yaml": REVIEW_HEAD + rec(id='"../../etc"', by="[../x]")})
    assert found == [
        "content/sessions/35/ARM.yaml:3:9: id: '../../etc' is not valid here (hint: a quoted id, unique within "
        'the review: "96.1" (paragraph.item) or a sequence number "12")',
        "content/sessions/35/ARM.yaml:4:10: by: '../x' is not valid here (hint: an ISO 3166-1 alpha-3 code in "
        "upper case, e.g. ARM)",
    ]
