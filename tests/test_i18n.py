"""UI catalogs: complete, not fuzzy, placeholders intact, in step with the sources."""

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from .conftest import ROOT

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def catalog(path):
    with open(path, "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_catalog_is_complete_and_not_fuzzy(language):
    entries = [m for m in catalog(ROOT / f"i18n/{language}/LC_MESSAGES/messages.po") if m.id]
    assert entries
    untranslated = [m.id for m in entries if not all(m.string if isinstance(m.string, tuple) else (m.string,))]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("language", ["fr", "es"])
def test_placeholders_are_kept(language):
    for message in catalog(ROOT / f"i18n/{language}/LC_MESSAGES/messages.po"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, message.id


def test_catalogs_hold_every_string_of_the_sources(tmp_path):
    """A UI string added to a template without updating the catalogs fails here."""
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    fresh = {m.id for m in catalog(pot) if m.id}
    assert fresh == {m.id for m in catalog(ROOT / "i18n/messages.pot") if m.id}
    for language in ("fr", "es"):
        assert fresh <= {m.id for m in catalog(ROOT / f"i18n/{language}/LC_MESSAGES/messages.po") if m.id}


def test_no_compiled_catalog_is_committed():
    tracked = subprocess.run(["git", "ls-files", "i18n"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert tracked and not [name for name in tracked if name.endswith(".mo")]
