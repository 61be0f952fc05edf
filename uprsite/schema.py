"""Checks loaded YAML values against the JSON Schema files in `schemas/`.

The schema files are the single source of truth for the shape of content:
editors' tools (yaml-language-server) read them to validate and complete YAML
as it is typed, and the build reads them here. We interpret the subset of JSON
Schema 2020-12 those files use, compiled once into closures, because a
general-purpose validator is both too slow for 160,000 recommendations and
unable to say where in a YAML file a value stood. Each failure is reported at
the line and column of the value at fault, with the schema's `description` as
the hint.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path

from .errors import cut
from .yamlload import Mapping

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
KINDS = ("site", "themes", "organisations", "country", "session", "review")

# report(mark, message, hint)
Report = Callable[[tuple[int, int], str, str], None]
Checker = Callable[[object, tuple[int, int], str, Report], None]


def describe(value) -> str:
    """How a value reads in an error message."""
    if value is None:
        return "nothing (an empty value)"
    if value is True or value is False:
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {cut(value)!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


_TYPE_TESTS = {
    "object": lambda v: v.__class__ is Mapping or isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_TYPE_NAMES = {
    "object": "a mapping (key: value lines)",
    "array": "a list",
    "string": "a text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


# A file with thousands of mistakes: past this many problems in one file, hints give the allowed
# values instead of a "did you mean" (difflib costs ~75 µs a key, most of a broken 10 MB file's check
# time). Only the first 200 problems are printed (errors.SHOWN_PROBLEMS): the budget is never seen.
SUGGESTION_BUDGET = 1000


def _suggesting(report) -> bool:
    count = getattr(report, "count", None)
    return count is None or count() < SUGGESTION_BUDGET


# Characters a reader does not see. Bidirectional controls (embeddings, overrides, isolates) reorder
# what is shown, so a text can read otherwise than what it holds ("Trojan Source"); zero-width
# characters make two equal-looking names or ids differ. Which of them a value may hold is the
# schema's pattern (common.schema.json: names and ids none, texts no bidirectional control); this
# says which one is at fault, where a pattern refuses a value for it.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\u202a-\u202e\u2066-\u2069\ufeff]")
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _invisible_message(value: str, found: re.Match) -> str:
    char = found.group()
    where = f"character {found.start() + 1:,} of {cut(_INVISIBLE.sub('', value), 30)!r}"
    return f"invisible character U+{ord(char):04X} ({unicodedata.name(char)}) at {where}"


def _invisible_hint(char: str) -> str:
    if char in _BIDI:
        return (
            "delete it (most editors do not show it): it changes the order in which the text is shown; "
            "the site's languages are written left to right, and browsers place words of other scripts by themselves"
        )
    return "delete it (most editors do not show it): names and ids hold no zero-width characters"


def bidi_control_in(text: str) -> tuple[int, int, str, str] | None:
    """(line, column, message, hint) of the first bidirectional control of a text no schema checks
    (a Markdown page), or None."""
    found = _BIDI_CONTROL.search(text)
    if found is None:
        return None
    index, char = found.start(), found.group()
    line, column = text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
    return line, column, f"invisible character U+{ord(char):04X} ({unicodedata.name(char)})", _invisible_hint(char)


_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _at(where: str, message: str) -> str:
    """A message about the value of key `where` (nothing before it for a whole file)."""
    return f"{where}: {message}" if where else message


def check_date(text: str) -> str | None:
    """None if `text` is a real YYYY-MM-DD date, else why not."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return f"{cut(text)!r} is not a date written YYYY-MM-DD"
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return f"{text!r} is not a real date"
    return None


def _ecma_to_python(pattern: str) -> re.Pattern:
    # JSON Schema patterns are ECMA regexes; `$` there never matches before a
    # trailing newline, as Python's does.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


class Compiler:
    def __init__(self, directory: Path):
        self.directory = directory
        self.documents: dict[str, dict] = {}

    def document(self, name: str) -> dict:
        if name not in self.documents:
            self.documents[name] = json.loads((self.directory / name).read_text(encoding="utf-8"))
        return self.documents[name]

    def resolve(self, ref: str, base: str) -> tuple[dict, str]:
        file, _, pointer = ref.partition("#")
        file = file or base
        node = self.document(file)
        for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
            node = node[part]
        return node, file

    def description(self, schema: dict, base: str) -> str:
        """A schema's description, or that of the schema it refers to."""
        while "description" not in schema and "$ref" in schema:
            schema, base = self.resolve(schema["$ref"], base)
        return schema.get("description", "")

    def compile_ref(self, ref: str, base: str) -> Checker:
        return self.compile({"$ref": ref}, base)

    def compile(self, schema: dict, base: str) -> Checker:
        # A reference with local keywords (usually a more specific
        # description) is the referenced schema with those keywords on top.
        while "$ref" in schema:
            target, base = self.resolve(schema["$ref"], base)
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        checks: list[Checker] = []
        hint = schema.get("description", "")

        if "enum" in schema:
            allowed = schema["enum"]
            allowed_set = set(allowed)
            listing = ", ".join(str(a) for a in allowed)

            def check_enum(v, m, w, r):
                if isinstance(v, str) and v in allowed_set:
                    return
                close = (
                    difflib.get_close_matches(str(v), [str(a) for a in allowed], n=1)
                    if isinstance(v, str) and _suggesting(r)
                    else []
                )
                h = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else "write one of the values listed, exactly as written there"
                )
                r(m, _at(w, f"{describe(v)} is not allowed here; expected one of {listing}"), h)

            checks.append(check_enum)

        types = schema.get("type")
        if types:
            type_test = _TYPE_TESTS[types]
            type_name = _TYPE_NAMES[types]

            def check_type(v, m, w, r, _t=type_test, _n=type_name):
                if _t(v):
                    return True
                h = hint
                if types == "string" and schema.get("format") == "date" and isinstance(v, (int, float)):
                    h = "write the date as YYYY-MM-DD, e.g. 2020-01-22"
                elif types == "string" and isinstance(v, bool):
                    h = f'put the value in double quotes, "{"true" if v else "false"}", to keep it as text; ' + hint
                elif types == "string" and isinstance(v, (int, float)):
                    h = 'put the value in double quotes, as written, e.g. "96.10"; ' + (hint or "")
                r(m, _at(w, f"expected {_n}, found {describe(v)}"), h.strip("; "))
                return False
        else:
            check_type = None

        if types == "string" or "pattern" in schema or "format" in schema:
            pattern = _ecma_to_python(schema["pattern"]) if "pattern" in schema else None
            is_date = schema.get("format") == "date"

            def check_string(v, m, w, r, _p=pattern):
                if not isinstance(v, str):
                    return
                if is_date:
                    why = check_date(v)
                    if why:
                        r(m, _at(w, why), hint or "write the date as YYYY-MM-DD")
                        return
                if _p is not None and not _p.search(v):
                    invisible = _INVISIBLE.search(v)
                    if invisible and _p.search(_INVISIBLE.sub("", v)):
                        r(m, _at(w, _invisible_message(v, invisible)), _invisible_hint(invisible.group()))
                    else:
                        r(m, _at(w, f"{cut(v)!r} is not valid here"), hint)

            checks.append(check_string)

        if "minimum" in schema or "maximum" in schema:
            low, high = schema.get("minimum"), schema.get("maximum")

            def check_range(v, m, w, r):
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    return
                if (low is not None and v < low) or (high is not None and v > high):
                    span = (
                        f"from {low} to {high}"
                        if low is not None and high is not None
                        else (f"at least {low}" if low is not None else f"at most {high}")
                    )
                    r(m, _at(w, f"{v!r} is out of range; expected a number {span}"), hint)

            checks.append(check_range)

        if types == "object" or "properties" in schema:
            properties = {k: self.compile(s, base) for k, s in schema.get("properties", {}).items()}
            required = schema.get("required", [])
            closed = schema.get("additionalProperties", True) is False
            min_properties = schema.get("minProperties", 0)
            dependent = schema.get("dependentRequired", {})
            known = list(properties)
            described = {k: self.description(s, base) for k, s in schema.get("properties", {}).items()}

            def check_object(v, m, w, r):
                if not isinstance(v, dict):
                    return
                key_marks = getattr(v, "key_marks", {})
                value_marks = getattr(v, "value_marks", {})
                for key, value in v.items():
                    checker = properties.get(key)
                    if checker is not None:
                        checker(value, value_marks.get(key, m), str(key), r)
                    elif closed:
                        close = difflib.get_close_matches(str(key), known, n=1) if _suggesting(r) else []
                        h = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(known)}"
                        if not close and value is None and len(v) > 1:
                            # `{en: Palais des Nations, Geneva}`: the comma ended the text.
                            h += (
                                "; if this is the end of a text after a comma, put the whole text in "
                                'double quotes: {en: "Palais des Nations, Geneva"}'
                            )
                        r(key_marks.get(key, m), f"unknown key '{cut(key)}'", h)
                for key in required:
                    if key not in v:
                        r(m, _at(w, f"missing key '{key}'"), described.get(key) or f"add the line {key}: ...")
                for key, needs in dependent.items():
                    if key in v:
                        for other in needs:
                            if other not in v:
                                r(
                                    key_marks.get(key, m),
                                    f"'{key}' is given without '{other}'",
                                    f"give both '{key}' and '{other}', or neither",
                                )
                if len(v) < min_properties:
                    r(m, _at(w, f"needs at least {min_properties} entr{'y' if min_properties == 1 else 'ies'}"), hint)

            checks.append(check_object)

        if types == "array" or "items" in schema:
            item_check = self.compile(schema["items"], base) if "items" in schema else None
            min_items = schema.get("minItems", 0)
            unique = schema.get("uniqueItems", False)

            def check_array(v, m, w, r):
                if not isinstance(v, list):
                    return
                marks = getattr(v, "item_marks", None) or [m] * len(v)
                if item_check is not None:
                    for value, mark in zip(v, marks, strict=True):
                        item_check(value, mark, w, r)
                if len(v) < min_items:
                    r(m, _at(w, f"needs at least {min_items} entr{'y' if min_items == 1 else 'ies'}"), hint)
                if unique:
                    seen = set()
                    for value, mark in zip(v, marks, strict=True):
                        try:
                            if value in seen:
                                r(mark, _at(w, f"{describe(value)} is listed twice"), "list each value once")
                            seen.add(value)
                        except TypeError:
                            pass

            checks.append(check_array)

        def run(v, m, w, r):
            if check_type is not None and not check_type(v, m, w, r):
                return
            for c in checks:
                c(v, m, w, r)

        return run


@cache
def checker(kind: str) -> Checker:
    """The compiled checker for one kind of content file."""
    compiler = _compiler()
    return compiler.compile_ref(f"{kind}.schema.json#", f"{kind}.schema.json")


@cache
def _compiler() -> Compiler:
    return Compiler(SCHEMA_DIR)


def check(kind: str, value, report: Report) -> None:
    mark = getattr(value, "mark", (1, 1))
    if value is None:
        report((1, 1), "the file is empty", "see schemas/" + kind + ".schema.json for what it holds")
        return
    checker(kind)(value, mark, "", report)
