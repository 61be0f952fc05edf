"""HTML validity: the Nu HTML Checker (vnu-jar from npm, run with Java) finds no error on any page.

One run of the checker over every page and stylesheet of the sample site
(the JVM starts once), with two deliberately broken files beside them, so that
the gate shows it can fail: their errors must be reported, and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"

BROKEN_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken</title></head>
<body>
<p><div>a block in a paragraph</p>
<img src="x.png">
</body>
</html>
"""
BROKEN_CSS = "a{color:bleu}\n"


@pytest.fixture(scope="module")
def vnu_report(sample_site, large_site, tmp_path_factory) -> tuple[list[Path], Path, list[dict]]:
    """(files checked, folder of the broken files, every message of the checker)."""
    java = shutil.which("java")
    if not java or not VNU.is_file():
        message = "the Nu HTML Checker needs Java and node_modules/vnu-jar (bash .ci/run installs both)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    canaries = tmp_path_factory.mktemp("vnu-canary")
    (canaries / "broken.html").write_text(BROKEN_PAGE, encoding="utf-8")
    (canaries / "broken.css").write_text(BROKEN_CSS, encoding="utf-8")
    # Every page of the sample; of the large site, a sample of each kind (every fourth page, in path
    # order: each language's State pages, review pages and their later pages, matrices, lists).
    files = sample_site.pages() + sorted(sample_site.root.rglob("*.css")) + large_site.pages()[::4]
    result = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--errors-only",
            "--also-check-css",
            "--format",
            "json",
            *map(str, files),
            str(canaries / "broken.html"),
            str(canaries / "broken.css"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stderr or result.stdout)
    return files, canaries, report["messages"]


def _where(message: dict, root: Path) -> str:
    path = message.get("url", "").removeprefix("file:")
    with contextlib.suppress(ValueError):
        path = Path(path).relative_to(root).as_posix()
    return f"{path}:{message.get('lastLine', '?')}: {message['message']}"


def test_the_checker_reports_errors_in_broken_files(vnu_report):
    _files, canaries, messages = vnu_report
    broken = {
        Path(m.get("url", "").removeprefix("file:")).name
        for m in messages
        if Path(m.get("url", "").removeprefix("file:")).parent == canaries
    }
    assert broken == {"broken.html", "broken.css"}


def test_no_page_or_stylesheet_of_the_sample_site_has_an_error(vnu_report, sample_site):
    files, _, messages = vnu_report
    states = len(list((ROOT / "content/countries").glob("*.yaml")))
    assert len([f for f in files if sample_site.root in f.parents]) > 3 * states  # every page, and more
    errors = [_where(m, sample_site.root) for m in messages if sample_site.root in _path(m).parents]
    assert errors == [], "\n".join(errors[:50])


def test_no_page_of_the_large_site_has_an_error(vnu_report, large_site):
    files, _, messages = vnu_report
    checked = [f for f in files if large_site.root in f.parents]
    assert any("/page-2/" in f.as_posix() for f in checked) and len(checked) > 250
    errors = [_where(m, large_site.root) for m in messages if large_site.root in _path(m).parents]
    assert errors == [], "\n".join(errors[:50])


def _path(message: dict) -> Path:
    return Path(message.get("url", "").removeprefix("file:"))
