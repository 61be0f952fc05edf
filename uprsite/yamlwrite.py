"""Writes content files as YAML: deterministic, always readable back as the same values.

The counterpart of `yamlload` for programs that generate content (the UPR
Info importer, benchmark generators). It emits block mappings, block
sequences of mappings and flow sequences of scalars, in the order given, so
the same values always give the same bytes. Strings are written plain only
when YAML 1.2 would read them back as that very string; every other string
(and every text a reader sees) is double-quoted, JSON style, which is valid
YAML 1.2 whatever it holds: colons, quotes, '#', leading dashes or asterisks,
line breaks, very long lines.
"""

from __future__ import annotations

import json
import re

from .yamlload import resolve_plain

# Plain scalars are kept to identifiers: codes, slugs, numbers-as-strings are quoted.
_PLAIN_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")

# Characters YAML (or libyaml's reader) does not accept raw, or reads as line
# breaks inside a quoted scalar: escape them. JSON already escapes C0 controls.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def quoted(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `text`."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def scalar(value) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot write {type(value).__name__} as a YAML scalar")
    if _PLAIN_SAFE.match(value) and resolve_plain(value) == value:
        return value
    return quoted(value)


def dump(value, quote: frozenset[str] = frozenset()) -> str:
    """YAML text for a mapping; keys named in `quote` always get quoted string values."""
    lines: list[str] = []
    _mapping(value, "", lines, quote)
    return "".join(line + "\n" for line in lines)


def _value(value, key: str, quote) -> str:
    if isinstance(value, str) and key in quote:
        return quoted(value)
    return scalar(value)


def _mapping(mapping: dict, indent: str, lines: list[str], quote, first_prefix: str | None = None) -> None:
    for n, (key, value) in enumerate(mapping.items()):
        prefix = first_prefix if (n == 0 and first_prefix is not None) else indent
        head = f"{prefix}{scalar(key)}:"
        if isinstance(value, dict):
            if not value:
                lines.append(f"{head} {{}}")
                continue
            lines.append(head)
            _mapping(value, indent + "  ", lines, quote)
        elif isinstance(value, (list, tuple)):
            if value and all(isinstance(item, dict) for item in value):
                lines.append(head)
                for item in value:
                    _mapping(item, indent + "    ", lines, quote, first_prefix=indent + "  - ")
            elif any(isinstance(item, (dict, list, tuple)) for item in value):
                raise TypeError(f"'{key}': a list mixes mappings and other values")
            else:
                lines.append(f"{head} [{', '.join(_value(item, key, quote) for item in value)}]")
        else:
            lines.append(f"{head} {_value(value, key, quote)}")
