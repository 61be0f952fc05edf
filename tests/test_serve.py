"""`python build.py serve`: the live preview, through HTTP and in Chromium.

The server runs as an editor runs it, as a subprocess of the real command
line; the browser test never reloads the page itself: the page must reload by
itself after each change.
"""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import ROOT, tree_bytes

START_SECONDS = 60
CHANGE_MS = 30_000  # a rebuild of the small test content takes well under a second

GOOD_REVIEW = (
    'state: ARM\nrecommendations:\n  - id: "1"\n    by: [FRA]\n    text: {en: T}\n'
    "    themes: []\n    response: supported\n"
)
BAD_REVIEW = GOOD_REVIEW.replace("[FRA]", "[FRX]")


@dataclass
class Served:
    url: str
    content: Path
    out_dir: Path
    process: subprocess.Popen
    stderr: list[str] = field(default_factory=list)

    def write(self, rel: str, text: str) -> None:
        (self.content / rel).write_text(text, encoding="utf-8")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.process.returncode


@pytest.fixture
def served(make_content):
    content = make_content({"sessions/35/ARM.yaml": GOOD_REVIEW})
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    stderr: list[str] = []
    # Both pipes are drained all along, so the server never blocks on a full pipe.
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    threading.Thread(target=lambda: [stderr.append(line) for line in process.stderr], daemon=True).start()
    server = Served("", content, Path(), process, stderr)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not server.url or server.out_dir == Path():
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"serve printed no URL in {START_SECONDS} s; stderr: {''.join(stderr)}")
            if match := re.fullmatch(r"Preview of .* at (http://127\.0\.0\.1:\d+/)\n", line):
                server.url = match[1]
            elif match := re.match(r"\(built into (.+?); ", line):
                server.out_dir = Path(match[1])
        yield server
    finally:
        server.stop()


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for_status(url: str, status: int) -> bytes:
    deadline = time.monotonic() + CHANGE_MS / 1000
    while True:
        code, body = get(url)
        if code == status or time.monotonic() > deadline:
            assert code == status, body[:500]
            return body
        time.sleep(0.2)


@pytest.mark.browser
def test_the_open_page_follows_changes_errors_and_fixes_by_itself(served, page):
    page.goto(served.url + "en/countries/arm/index.html")
    expect(page.locator("h1")).to_have_text("Armenia")

    served.write("countries/ARM.yaml", 'code: ARM\niso2: AM\nregion: eeg\nname: {en: "Armenia, edited live"}\n')
    expect(page.locator("h1")).to_have_text("Armenia, edited live", timeout=CHANGE_MS)

    served.write("sessions/35/ARM.yaml", BAD_REVIEW)
    expect(page.locator("h1")).to_have_text("The content has 1 problem", timeout=CHANGE_MS)
    expect(page.locator("li")).to_have_text(
        [f"{served.content}/sessions/35/ARM.yaml:4:10: unknown State 'FRX' in by (hint: did you mean 'FRA'?)"]
    )

    served.write("sessions/35/ARM.yaml", GOOD_REVIEW)
    expect(page.locator("h1")).to_have_text("Armenia, edited live", timeout=CHANGE_MS)
    assert page.url == served.url + "en/countries/arm/index.html"


def test_served_pages_carry_one_reload_script_that_the_built_files_never_hold(served):
    status, body = get(served.url + "en/countries/arm/index.html")
    assert status == 200
    on_disk = (served.out_dir / "en/countries/arm/index.html").read_bytes()
    tag = b'<script src="/__uprsite__/reload.js?generation=1"></script>'
    assert body.count(b"__uprsite__") == 1
    assert body.replace(tag, b"") == on_disk and body.endswith(tag + b"</body>\n</html>")
    assert [p for p, data in tree_bytes(served.out_dir).items() if b"__uprsite__" in data] == []
    assert get(served.url)[1].count(tag) == 1  # the root page, asked for as a folder
    status, script = get(served.url + "__uprsite__/reload.js")
    assert status == 200 and b"location.reload()" in script
    # A page served at an older generation learns of the new one at once.
    assert get(served.url + "__uprsite__/events?since=0") == (200, b"uprsitePreview.seen(1);\n")


def test_invalid_content_gives_the_error_page_for_every_path_then_the_site_again(served):
    served.write(
        "sessions/35/ARM.yaml",
        BAD_REVIEW.replace("text: {en: T}", 'text: {en: "<b>T</b>"}').replace("[FRX]", "[FRX, '<i>']"),
    )
    for path in ("en/index.html", "assets/style.css", "no/such/page.html"):
        body = wait_for_status(served.url + path, 500).decode()
        assert (
            "<li><code>" + f"{served.content}/sessions/35/ARM.yaml:4:15: by: &#x27;&lt;i&gt;&#x27; is not valid here"
            in body
        )
        assert "<i>" not in body and '<script src="/__uprsite__/reload.js?generation=2"></script>' in body
    served.write("sessions/35/ARM.yaml", GOOD_REVIEW)
    wait_for_status(served.url + "en/index.html", 200)
    assert served.stop() == 0
    assert not served.out_dir.parent.exists()  # the private output folder goes with the server


def test_a_port_in_use_is_a_clear_usage_error(served):
    port = served.url.rsplit(":", 1)[1].strip("/")
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(served.content), "--port", port],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"cannot listen on 127.0.0.1:{port}: Address already in use (hint: ")
