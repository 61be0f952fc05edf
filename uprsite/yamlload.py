"""Strict YAML reading: YAML 1.2 scalars, no aliases, anchors, tags or duplicate keys.

This module knows YAML and files and nothing of the UPR. It turns a file into
plain Python values in which every mapping and sequence remembers where each
of its entries stood (line and column, 1-based), so that later stages can point
an editor at the exact value at fault.

Why not `yaml.safe_load`: PyYAML resolves scalars as YAML 1.1 (`NO` is false,
`12:30` is 750), keeps the last of duplicate keys silently and expands aliases
(a few hundred bytes can expand to millions of nodes). We read libyaml's event
stream instead, which is fast (C parser), reports anchors and aliases before
anything is expanded, and lets us stop at the first sign of abuse.
"""

from __future__ import annotations

import re

import yaml
from yaml.parser import Parser as _PyParserBase
from yaml.reader import Reader as _Reader
from yaml.scanner import Scanner as _Scanner

from .errors import Problem, cut


class _PurePythonParser(_Reader, _Scanner, _PyParserBase):
    """PyYAML's own parser: slower, but with no nesting limit of its own."""

    def __init__(self, stream):
        _Reader.__init__(self, stream)
        _Scanner.__init__(self)
        _PyParserBase.__init__(self)


try:  # libyaml's C parser is ~20x faster; fall back to pure Python if absent.
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = _PurePythonParser  # type: ignore[assignment,misc]


MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32


class Mapping(dict):
    """A dict that remembers where it, each key and each value stood."""

    __slots__ = ("key_marks", "mark", "value_marks")

    def key_mark(self, key) -> tuple[int, int]:
        return self.key_marks.get(key, self.mark)

    def value_mark(self, key) -> tuple[int, int]:
        return self.value_marks.get(key, self.mark)


class Sequence(list):
    """A list that remembers where it and each item stood."""

    __slots__ = ("item_marks", "mark")


# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT10 = re.compile(r"[-+]?[0-9]+\Z")
_INT8 = re.compile(r"0o[0-7]+\Z")
_INT16 = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters YAML does not allow in a file (https://yaml.org/spec/1.2.2/#51-character-set): C0 and C1
# controls but tab, line feed, carriage return and NEL; U+FFFE and U+FFFF. Markdown pages neither.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# The first character decides quickly that most plain scalars are strings.
_MAYBE_NOT_STRING = set("0123456789+-.~nNtTfF")


def resolve_plain(value: str):
    if value == "" or value[0] not in _MAYBE_NOT_STRING:
        return None if value == "" else value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT10.match(value):
        return int(value)
    if _INT8.match(value):
        return int(value[2:], 8)
    if _INT16.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return float("-inf") if value[0] == "-" else float("inf")
    if _NAN.match(value):
        return float("nan")
    return value


class LoadError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


class NestedTooDeep(LoadError):
    """More than MAX_DEPTH levels of mappings and lists."""


def _mark(event) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without a byte-order mark) or a located error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise LoadError(
            Problem(
                path,
                line,
                column,
                f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                "save the file as UTF-8",
            )
        ) from None
    control = _RAW_CONTROL.search(text)
    if control:
        # libyaml reports these at 1:1 with a position in characters; the editor needs the line.
        index = control.start()
        line = text.count("\n", 0, index) + 1
        column = index - text.rfind("\n", 0, index)
        char = control.group()
        hint = "delete it (most editors do not show it)"
        if char == "\x00":
            hint += "; a file with a NUL byte between all letters was saved as UTF-16: save it as UTF-8"
        name = " (a NUL byte)" if char == "\x00" else ""
        raise LoadError(Problem(path, line, column, f"control character U+{ord(char):04X}{name} in the file", hint))
    return text


def load_bytes(data: bytes, path: str):
    """Parse one YAML document from bytes; raise LoadError with a location."""
    if len(data) > MAX_FILE_BYTES:
        raise LoadError(
            Problem(
                path,
                1,
                1,
                f"the file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                "split the content into smaller files",
            )
        )
    return load_text(decode(data, path), path)


# libyaml's wording -> what an editor most likely has to change.
_SYNTAX_HINTS = (
    ("'\\t'", "use spaces, not tabs, to indent"),
    ("mapping values are not allowed", 'put the text in double quotes: a ": " inside plain text starts a new key'),
    ("while scanning a quoted scalar", "a quoted text is not closed: add the closing quote"),
    ("unknown escape character", "in double quotes write a backslash as \\\\, or use single quotes"),
    (
        "flow sequence",
        "a [ ... ] list is not closed or lacks a comma, or one of its texts holds a comma, "
        "colon or bracket and needs double quotes",
    ),
    (
        "flow mapping",
        "a { ... } mapping is not closed or lacks a comma, or one of its texts holds a comma, "
        "colon or bracket and needs double quotes",
    ),
    ("while scanning an a", "put the text in double quotes: a leading & or * marks a YAML anchor or alias"),
    (
        "while scanning a simple key",
        "write the line as key: value (a key holds at most 1024 characters); "
        "a text continued on this line must be indented more than its key",
    ),
    ("cannot start any token", "put the text in double quotes: it starts with a character YAML reserves"),
    ("<document start>", "a file holds one YAML document: remove the '...' line and what follows"),
)
_DEFAULT_SYNTAX_HINT = "check the indentation (spaces, same depth for keys of one mapping) and the quotes here"


def syntax_hint(message: str) -> str:
    for needle, hint in _SYNTAX_HINTS:
        if needle in message:
            return hint
    return _DEFAULT_SYNTAX_HINT


def load_text(text: str, path: str):
    try:
        return _load_with(_Parser, text, path)
    except _LibyamlNestingLimit as limit:
        # libyaml (0.2.6 and later, as in PyYAML 6.0.4's wheels) stops at a nesting
        # limit of its own, and its scanner reads ahead, so with "[[[[..." it stops
        # before our parser has seen depth 33. Read the text again with PyYAML's
        # pure-Python parser, which has no limit and reaches ours, so the editor gets
        # the same message and location whatever libyaml does. Only the text up to
        # where libyaml stopped: it holds at least as many levels as libyaml's limit,
        # and the pure-Python scanner is quadratic in the depth of flow brackets.
        if limit.index > 0:
            try:
                _load_with(_PurePythonParser, text[: limit.index], path)
            except NestedTooDeep:
                raise
            except LoadError:
                pass  # the cut text ended before depth 33: read it all
        # A libyaml whose limit is below ours: the whole text, slowly.
        return _load_with(_PurePythonParser, text, path)


class _LibyamlNestingLimit(Exception):
    def __init__(self, index: int):
        self.index = index  # character offset where libyaml stopped (0: unknown)


def _load_with(parser_class, text: str, path: str):
    parser = parser_class(text)
    try:
        return _build(parser, path)
    except yaml.MarkedYAMLError as exc:
        if parser_class is not _PurePythonParser and "nesting depth" in (exc.problem or ""):
            raise _LibyamlNestingLimit(exc.problem_mark.index if exc.problem_mark else 0) from None
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or "invalid YAML"
        if exc.context:
            message = f"{exc.context}: {message}" if "while" not in exc.context else f"{message} ({exc.context})"
        source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
        if "\t" in indent:
            # libyaml words this differently in each state; an editor needs one plain message.
            column = indent.index("\t") + 1
            raise LoadError(
                Problem(
                    path,
                    line,
                    column,
                    "invalid YAML: a tab character in the indentation",
                    "indent with spaces, not tabs",
                )
            ) from None
        raise LoadError(Problem(path, line, column, f"invalid YAML: {message}", syntax_hint(message))) from None
    except yaml.YAMLError as exc:
        if parser_class is not _PurePythonParser and "nesting depth" in str(exc):
            raise _LibyamlNestingLimit(0) from None
        raise LoadError(Problem(path, 1, 1, f"invalid YAML: {exc}", syntax_hint(str(exc)))) from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()


def _build(parser, path: str):
    """Turn the event stream into values. Returns None for an empty file."""
    ScalarEvent = yaml.ScalarEvent
    MappingStartEvent = yaml.MappingStartEvent
    SequenceStartEvent = yaml.SequenceStartEvent
    MappingEndEvent = yaml.MappingEndEvent
    SequenceEndEvent = yaml.SequenceEndEvent
    AliasEvent = yaml.AliasEvent
    DocumentStartEvent = yaml.DocumentStartEvent

    def fail(event, message, hint=""):
        line, column = _mark(event)
        raise LoadError(Problem(path, line, column, message, hint))

    # Each open container is [container, pending_key_or_sentinel].
    stack: list[list] = []
    documents = 0
    root = None
    no_key = object()

    get_event = parser.get_event
    while True:
        event = get_event()
        if event is None:
            break
        cls = event.__class__
        if cls is ScalarEvent or cls is MappingStartEvent or cls is SequenceStartEvent:
            if event.anchor is not None:
                fail(event, f"YAML anchors (&{event.anchor}) are not allowed", "write the value out in full")
            if event.tag is not None:
                fail(event, f"YAML tags ({event.tag}) are not allowed", "remove the tag")
            mark = _mark(event)
            if cls is ScalarEvent:
                if event.implicit[0]:
                    value = resolve_plain(event.value)
                else:
                    value = event.value
                    # Only escapes in double quotes ("\0") can carry control characters.
                    control = _CONTROL.search(value)
                    if control:
                        fail(
                            event,
                            f"control character U+{ord(control.group()):04X} in a quoted value",
                            "remove the escape sequence (such as \\0 or \\x01) from the text",
                        )
            elif cls is MappingStartEvent:
                value = Mapping()
                value.mark = mark
                value.key_marks = {}
                value.value_marks = {}
            else:
                value = Sequence()
                value.mark = mark
                value.item_marks = []
            if stack:
                parent, key = top = stack[-1]
                if parent.__class__ is Sequence:
                    parent.append(value)
                    parent.item_marks.append(mark)
                elif key is no_key:
                    if cls is not ScalarEvent:
                        fail(
                            event,
                            "a mapping key must be a plain value, not a mapping or list",
                            "write each key as a plain word followed by a colon, e.g. code: ARM",
                        )
                    if value in parent:
                        first = parent.key_marks[value]
                        fail(
                            event,
                            f"duplicate key '{cut(value)}' (first at line {first[0]}, column {first[1]})",
                            "remove one of the two entries",
                        )
                    parent.key_marks[value] = mark
                    top[1] = value
                else:
                    parent[key] = value
                    parent.value_marks[key] = mark
                    top[1] = no_key
            else:
                root = value
            if cls is not ScalarEvent:
                if len(stack) >= MAX_DEPTH:
                    line, column = mark
                    raise NestedTooDeep(
                        Problem(
                            path,
                            line,
                            column,
                            f"the content is nested more than {MAX_DEPTH} levels deep",
                            "no content file needs this depth: check the brackets and the indentation",
                        )
                    )
                stack.append([value, no_key])
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            stack.pop()
        elif cls is AliasEvent:
            fail(event, f"YAML aliases (*{event.anchor}) are not allowed", "write the value out in full")
        elif cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                fail(
                    event,
                    "a file holds one YAML document; found a second one",
                    "remove the '---' line and split the file",
                )
    return root
