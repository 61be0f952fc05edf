"""`python build.py serve`: the live preview, through HTTP and in Chromium.

The server runs as an editor runs it, as a subprocess of the real command
line; the browser test never reloads the page itself: the page must reload by
itself after each change.
"""

from __future__ import annotations

import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

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


def test_the_error_page_shows_the_first_200_problems_and_counts_the_rest(served):
    many = "".join(f"unknown{i}: 1\n" for i in range(250))
    served.write("countries/DEU.yaml", "code: DEU\niso2: DE\nregion: weog\n" + many)
    body = wait_for_status(served.url + "en/index.html", 500).decode()
    assert "The content has 250 problems" in body
    assert body.count("<li><code>") == 201  # 200 problems, then the line that counts the other 50
    assert "unknown key &#x27;unknown199&#x27;" in body and "unknown key &#x27;unknown200&#x27;" not in body
    assert "<li><code>... and 50 more: 50 \u00d7 unknown key &#x27;...&#x27;" in body
    assert served.stop() == 0


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


# Hostile requests ------------------------------------------------------------


def raw(served: Served, target: bytes, *headers: bytes, method: bytes = b"GET", host: bytes | None = None):
    """(status, whole response) of one request sent byte for byte as given; Host is the preview's own unless
    `host` is given (b"" leaves it out)."""
    address = urlsplit(served.url)
    host = f"127.0.0.1:{address.port}".encode() if host is None else host
    lines = [method + b" " + target + b" HTTP/1.1", *([b"Host: " + host] if host else []), *headers]
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(b"\r\n".join([*lines, b"Connection: close", b"", b""]))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    assert response.startswith(b"HTTP/"), f"no answer to {target[:80]!r}: {response[:200]!r}"
    return int(response.split(b" ", 2)[1]), response


def no_traceback(served: Served) -> str:
    """What the server printed on standard error until it stopped, once checked to hold no traceback."""
    assert served.stop() == 0
    time.sleep(0.2)  # the reader thread takes the last lines
    printed = "".join(served.stderr)
    assert "Traceback" not in printed and "Error" not in printed, printed
    return printed


def test_only_the_preview_s_own_host_names_are_answered(served):
    port = urlsplit(served.url).port
    page = b"/en/countries/arm/index.html"
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}"):
        status, response = raw(served, page, host=host.encode())
        assert status == 200 and b"<h1>Armenia</h1>" in response, host

    # DNS rebinding: a page of another site, its name pointed at 127.0.0.1, asks with its own name.
    others = [
        "evil.example",
        f"evil.example:{port}",
        f"127.0.0.1:{port}.evil.example",
        f"localhost:{port}@evil.example",
        f"127.0.0.1:{port + 1}",
        "127.0.0.1",
        "localhost",
        f"[::1]:{port}",  # the preview does not listen there
        f"0.0.0.0:{port}",
        f"127.0.0.1:{port}, evil.example",
        f"127.0.0.1:{port}\tx",
    ]
    for host in others:
        for target in (page, b"/", b"/assets/style.css", b"/__uprsite__/reload.js", b"/__uprsite__/events?since=-5"):
            status, response = raw(served, target, host=host.encode())
            assert status == 421, (host, target, response[:300])
            assert b"Armenia" not in response and b"uprsitePreview" not in response
            assert response.endswith(b"</html>\n") and len(response) < 1000  # a short message
    assert raw(served, page, host=b"")[0] == 421  # no Host at all
    assert raw(served, page, b"Host: evil.example")[0] == 421  # two Host headers
    assert raw(served, b"/", method=b"OPTIONS", host=b"evil.example")[0] == 421

    # A page of another site may link to the preview, but not load its files into itself (a script read
    # cross-origin): browsers say which in Sec-Fetch-*.
    cross_site_script = (b"Sec-Fetch-Site: cross-site", b"Sec-Fetch-Mode: no-cors", b"Sec-Fetch-Dest: script")
    for target in (b"/en/search/index.html", b"/__uprsite__/reload.js", page):
        assert raw(served, target, *cross_site_script)[0] == 403
    assert raw(served, page, b"Sec-Fetch-Site: same-site", b"Sec-Fetch-Mode: cors")[0] == 403
    assert raw(served, page, b"Sec-Fetch-Site: cross-site", b"Sec-Fetch-Mode: navigate")[0] == 200
    assert raw(served, b"/__uprsite__/reload.js", b"Sec-Fetch-Site: same-origin", b"Sec-Fetch-Mode: no-cors")[0] == 200
    assert raw(served, page, b"Sec-Fetch-Site: none", b"Sec-Fetch-Mode: navigate")[0] == 200
    no_traceback(served)


MALFORMED = [
    (b"/%00", 400),
    (b"/en/%00index.html", 400),
    (b"/en/index.html%00.css", 400),
    (b"/\x00", 400),
    (b"/__uprsite__/%00", 400),
    (b"/%", 400),
    (b"/%4", 400),
    (b"/%zz/index.html", 400),
    (b"/%ff", 400),  # not UTF-8
    (b"/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", 400),  # overlong UTF-8 for '..'
    (b"/%ed%a0%80", 400),  # a lone surrogate
    (b"/%0d%0aSet-Cookie:%20x=1", 400),
    (b"/\xc3\xa9t\xc3\xa9", 400),  # raw bytes that are not ASCII
    (b"/../../../../etc/passwd", 400),
    (b"/en/../../../etc/passwd", 400),
    (b"/%2e%2e/%2e%2e/etc/passwd", 400),
    (b"/..%2f..%2fetc%2fpasswd", 400),
    (b"/en/..", 400),
    (b"/./en/index.html", 400),
    (b"/en/index.html/..%5c..%5c", 400),
    (b"http://evil.example/en/index.html", 400),  # absolute form: only paths are asked for
    (b"*", 400),
    (b"en/index.html", 400),
    (b"/" + b"a" * 300, 404),  # a name longer than the file system allows
    (b"/" + b"a/" * 1500, 414),
    (b"/" + b"a" * 70_000, 414),  # longer than http.server reads
    (b"/no/such/page.html", 404),
    (b"/en/countries/", 200),  # no listing of folders: the country index page
    (b"/__uprsite__/events?since=" + b"9" * 5000, 200),  # an unreadable generation: answered at once
    (b"/__uprsite__/events?since=%00", 200),
    (b"/en/index.html?%ff%00#x", 200),  # the query is not a path
]


@pytest.mark.parametrize("method", [b"GET", b"HEAD"])
def test_malformed_paths_get_a_clean_error_and_never_a_traceback(served, method):
    for target, expected in MALFORMED:
        status, response = raw(served, target, method=method)
        assert status == expected, (target[:80], response[:300])
        if expected >= 400 and method == b"GET":
            assert len(response) < 1000 and b"etc/passwd" not in response.split(b"\r\n\r\n", 1)[1]
    assert get(served.url + "en/countries/arm/index.html")[0] == 200  # still serving
    no_traceback(served)
