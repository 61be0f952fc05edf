"""The schema files editors' tools read agree with the build.

Editors' tools (yaml-language-server in VS Code and other LSP editors) read
`schemas/*.schema.json` through `.vscode/settings.json`; the build reads the
same files through `uprsite.schema`. Here an independent, general-purpose
validator (the `jsonschema` package) checks that the files are valid JSON
Schema 2020-12, that the shipped content passes them, that the editors'
file mapping gives every content file the schema of its kind, and that both
validators refuse the same mistakes.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from uprsite import content, schema
from uprsite.yamlload import load_text

from .conftest import ROOT

SCHEMA_DIR = ROOT / "schemas"
SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.schema.json"))


def plain(value):
    """YAML values as plain JSON data: what an editor's validator sees."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@pytest.fixture(scope="module")
def registry() -> Registry:
    # The files refer to each other relatively ("common.schema.json#/$defs/..."),
    # resolved against each file's $id, as an editor resolves them against its path.
    resources = []
    for path in SCHEMA_FILES:
        contents = json.loads(path.read_text(encoding="utf-8"))
        assert contents["$id"] == path.name
        resources.append((contents["$id"], Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def validator_for(kind: str, registry: Registry) -> Draft202012Validator:
    contents = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(contents, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_files_are_valid_json_schema_2020_12(path):
    contents = json.loads(path.read_text(encoding="utf-8"))
    assert contents["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(contents)


def test_every_kind_has_its_schema_file():
    assert {p.name for p in SCHEMA_FILES} == {f"{kind}.schema.json" for kind in schema.KINDS} | {"common.schema.json"}


def test_shipped_content_passes_the_schema_files_with_an_independent_validator(registry):
    sources, problems = content.discover(ROOT / "content")
    assert problems == []
    checked = dict.fromkeys(schema.KINDS, 0)
    failures = []
    validators = {kind: validator_for(kind, registry) for kind in schema.KINDS}
    for source in sources:
        if source.kind == "page":
            continue
        value = plain(load_text(source.path.read_text(encoding="utf-8"), source.shown))
        for error in validators[source.kind].iter_errors(value):
            failures.append(f"{source.shown}: {error.json_path}: {error.message}")
        checked[source.kind] += 1
    assert failures == []
    assert checked["country"] == 195 and checked["session"] == 47 and checked["review"] >= 28
    assert checked["site"] == checked["themes"] == checked["organisations"] == 1


def editor_mapping() -> dict[str, list[str]]:
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = {}
    for schema_path, globs in settings["yaml.schemas"].items():
        mapping[schema_path] = [globs] if isinstance(globs, str) else globs
    return mapping


def test_editor_mapping_gives_every_content_file_the_schema_of_its_kind():
    # yaml-language-server matches each glob as "**/<glob>" (picomatch, since
    # 1.24): a `*` stays within one folder, like PurePosixPath.match, which
    # also matches from the right.
    mapping = editor_mapping()
    for schema_path in mapping:
        assert (ROOT / schema_path).is_file(), schema_path
    sources, _ = content.discover(ROOT / "content")
    assert {s.kind for s in sources} == set(schema.KINDS) | {"page"}
    for source in sources:
        rel = PurePosixPath(source.path.relative_to(ROOT).as_posix())
        matched = [Path(s).name for s, globs in mapping.items() if any(rel.match(g) for g in globs)]
        expected = [] if source.kind == "page" else [f"{source.kind}.schema.json"]
        assert matched == expected, rel


# Mistakes both validators must refuse: (kind, YAML, the build's message).
REFUSED = [
    ("country", "code: ARM\niso2: AM\nregion: eeg\nregon: eeg\n", "unknown key 'regon'"),
    ("country", "code: ARM\niso2: 12\nregion: eeg\n", "iso2: expected a text, found the number 12"),
    ("country", "code: arm\niso2: AM\nregion: eeg\n", "code: 'arm' is not valid here"),
    ("country", "code: ARM\niso2: AM\nregion: west\n", "region: the text 'west' is not allowed here"),
    ("session", "number: 35\ncycle: 3\nstart: 2020-02-30\nend: 2020-03-01\n", "start: '2020-02-30' is not a real date"),
    ("session", "number: 35\ncycle: 3\nstart: 2020-02-03\n", "'start' is given without 'end'"),
    ("site", "title: {en: T}\nlanguages: [en, de]\n", "languages: the text 'de' is not allowed here"),
    ("site", "title: {}\nlanguages: [en]\n", "title: needs at least 1 entry"),
    ("site", "title: {en: T}\nlanguages: [en]\ndemo: yes\n", "demo: expected true or false, found the text 'yes'"),
    (
        "review",
        "state: ARM\nrecommendations:\n  - {id: 96.10, by: [FRA], text: {en: T}, themes: [], response: noted}\n",
        "id: expected a text, found the number 96.1",
    ),
    (
        "review",
        "state: ARM\nrecommendations:\n  - {id: '1', by: [], text: {en: T}, themes: [], response: noted}\n",
        "by: needs at least 1 entry",
    ),
    (
        "review",
        "state: ARM\nrecommendations:\n  - {id: '1', by: [FRA, FRA], text: {en: T}, themes: [], response: noted}\n",
        "by: the text 'FRA' is listed twice",
    ),
    (
        "review",
        "state: ARM\nrecommendations:\n  - {id: '1', by: [FRA], text: {en: T}, themes: [], response: noted, "
        "action: 12:30}\n",
        "action: expected a whole number, found the text '12:30'",
    ),
    (
        "review",
        "state: ARM\ndocuments:\n  - {type: addendum, symbol: A/1, url: 'data:text/html,x'}\nrecommendations: []\n",
        "url: 'data:text/html,x' is not valid here",
    ),
    ("review", "state: ARM\n", "missing key 'recommendations'"),
    ("themes", "- id: ../etc\n  name: {en: T}\n", "id: '../etc' is not valid here"),
    ("organisations", "- {id: eu, acronym: {en: EU}, name: {de: EU}}\n", "unknown key 'de'"),
]


@pytest.mark.parametrize("kind, text, message", REFUSED, ids=[f"{k}-{m[:30]}" for k, _, m in REFUSED])
def test_build_and_editor_validator_refuse_the_same_mistakes(registry, kind, text, message):
    value = load_text(text, "f.yaml")
    found = []
    schema.check(kind, value, lambda mark, msg, hint: found.append(msg))
    assert any(message in m for m in found), found
    assert list(validator_for(kind, registry).iter_errors(plain(value))) != []


def test_accepted_by_both(registry):
    # YAML 1.2: `NO` is the text "NO" (Norway), not false, for both validators.
    value = load_text("code: NOR\niso2: NO\nregion: weog\n", "f.yaml")
    found = []
    schema.check("country", value, lambda mark, msg, hint: found.append(msg))
    assert found == []
    assert list(validator_for("country", registry).iter_errors(plain(value))) == []


def test_the_build_is_stricter_than_json_on_whole_numbers(registry):
    # JSON has one kind of number: JSON Schema counts 1000.0 as an integer, so
    # an editor accepts `cycle: 1e3`. The build reads YAML, where `1e3` is a
    # float, and refuses it: a whole number must be written as one.
    value = load_text("number: 35\ncycle: 1e3\n", "f.yaml")
    found = []
    schema.check("session", value, lambda mark, msg, hint: found.append(msg))
    assert found == ["cycle: expected a whole number, found the number 1000.0"]
    assert list(validator_for("session", registry).iter_errors(plain(value))) == []
