"""The strict YAML loader: YAML 1.2 scalars, located values, refusals."""

import pytest

try:
    import yaml._yaml as yaml_c
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    yaml_c = None

from uprsite.yamlload import MAX_DEPTH, MAX_FILE_BYTES, LoadError, load_bytes, load_text


def problem(text: str | bytes) -> str:
    with pytest.raises(LoadError) as info:
        load_bytes(text if isinstance(text, bytes) else text.encode(), "f.yaml")
    return str(info.value.problem)


def test_scalars_resolve_as_yaml_1_2():
    value = load_text(
        "a: NO\nb: yes\nc: 12:30\nd: 1e3\ne: 2020-01-22\nf: '96.10'\n"
        "g: 96.10\nh: true\ni: ~\nj: 0o17\nk: 0x1F\nl: off\n",
        "f.yaml",
    )
    assert value == {
        "a": "NO",
        "b": "yes",
        "c": "12:30",
        "d": 1000.0,
        "e": "2020-01-22",
        "f": "96.10",
        "g": 96.1,
        "h": True,
        "i": None,
        "j": 15,
        "k": 31,
        "l": "off",
    }
    assert type(value["d"]) is float and type(value["j"]) is int


def test_every_value_keeps_line_and_column():
    value = load_text("code: ARM\nlist:\n  - one\n  - {en: two}\n", "f.yaml")
    assert value.mark == (1, 1)
    assert value.key_marks["list"] == (2, 1)
    assert value.value_marks["code"] == (1, 7)
    assert value["list"].item_marks == [(3, 5), (4, 5)]
    assert value["list"][1].value_marks["en"] == (4, 10)


def test_duplicate_key_is_refused_at_the_second_key():
    assert (
        problem("a: 1\nb: 2\na: 3\n")
        == "f.yaml:3:1: duplicate key 'a' (first at line 1, column 1) (hint: remove one of the two entries)"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: &x 1\n", "f.yaml:1:4: YAML anchors (&x) are not allowed"),
        ("a: &x {b: 1}\nc: *x\n", "f.yaml:1:4: YAML anchors (&x) are not allowed"),
        ("a: *x\n", "f.yaml:1:4: YAML aliases (*x) are not allowed"),
        ("a: !custom 1\n", "f.yaml:1:4: YAML tags (!custom) are not allowed"),
        ("a: !!str 1\n", "f.yaml:1:4: YAML tags (tag:yaml.org,2002:str) are not allowed"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: a file holds one YAML document; found a second one"),
    ],
)
def test_refusals(text, expected):
    assert problem(text).startswith(expected)


def test_billion_laughs_stops_at_the_first_anchor():
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)
    )
    assert problem(text).startswith("f.yaml:1:4: YAML anchors (&a)")


def test_tab_indentation_is_located():
    assert (
        problem("a:\n\tb: 1\n")
        == "f.yaml:2:1: invalid YAML: a tab character in the indentation (hint: indent with spaces, not tabs)"
    )
    assert problem("a:\n  b: 1\n  \tc: 2\n").startswith("f.yaml:3:3: invalid YAML: a tab character in the indentation")


def test_syntax_error_is_located():
    assert problem("a: [1, 2\nb: 3\n").startswith("f.yaml:2:2: invalid YAML:")


def test_non_utf8_bytes_are_located():
    assert (
        problem(b"a: 1\nb: caf\xe9\n")
        == "f.yaml:2:7: the file is not valid UTF-8 (byte 0xe9) (hint: save the file as UTF-8)"
    )


def test_bom_crlf_and_missing_final_newline_are_accepted():
    assert load_bytes(b"\xef\xbb\xbfa: 1\r\nb: two", "f.yaml") == {"a": 1, "b": "two"}


def test_empty_file_is_none():
    assert load_bytes(b"", "f.yaml") is None
    assert load_bytes(b"# only a comment\n", "f.yaml") is None


def test_deep_nesting_is_refused_without_recursion():
    text = "[" * 10_000 + "]" * 10_000
    assert problem(text) == (
        f"f.yaml:1:{MAX_DEPTH + 1}: the content is nested more than {MAX_DEPTH} levels deep "
        "(hint: no content file needs this depth: check the brackets and the indentation)"
    )


DEEP_MESSAGE = (
    f"the content is nested more than {MAX_DEPTH} levels deep "
    "(hint: no content file needs this depth: check the brackets and the indentation)"
)


def test_deep_block_nesting_is_located_where_depth_33_starts():
    text = "".join(f"{'  ' * level}k{level}:\n" for level in range(60)) + "  " * 60 + "v\n"
    # Depth 33 is the mapping opened by the value of k31, on line 33 (its first key).
    assert problem(text) == f"f.yaml:33:65: {DEEP_MESSAGE}"


@pytest.mark.skipif(
    getattr(yaml_c, "_get_max_nest_level", lambda: -1)() < 0,
    reason="this PyYAML cannot set libyaml's nesting limit (PyYAML < 6.0.4 or libyaml < 0.2.6)",
)
@pytest.mark.parametrize("libyaml_limit", [8, 33, 1000])
def test_our_nesting_message_whatever_libyamls_own_limit(libyaml_limit):
    """libyaml stops at its own limit (1,000 in PyYAML 6.0.4), maybe before our 32: same message."""
    before = yaml_c._get_max_nest_level()
    yaml_c._set_max_nest_level(libyaml_limit)
    try:
        depth = 10_000 if libyaml_limit > MAX_DEPTH else 300  # below ours, the whole text is read again slowly
        assert problem("[" * depth + "]" * depth) == f"f.yaml:1:{MAX_DEPTH + 1}: {DEEP_MESSAGE}"
        # The root mapping is depth 1; the 32nd "{b: " opens depth 33.
        assert problem("a: " + "{b: " * 40 + "1" + "}" * 40 + "\n") == f"f.yaml:1:{4 + 4 * 31}: {DEEP_MESSAGE}"
        assert load_text("a: " + "[" * 5 + "1" + "]" * 5 + "\n", "f.yaml") == {"a": [[[[[1]]]]]}
    finally:
        yaml_c._set_max_nest_level(before)


def test_large_file_is_refused_before_parsing():
    data = b"a: " + b"x" * (MAX_FILE_BYTES + 1)
    assert problem(data).startswith("f.yaml:1:1: the file is 16,777,220 bytes; the limit is 16,777,216")


def test_complex_key_is_refused():
    assert problem("? [a, b]\n: 1\n").startswith("f.yaml:1:3: a mapping key must be a plain value")
