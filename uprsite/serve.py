"""Live preview: `python build.py serve` builds, serves on 127.0.0.1, rebuilds on change.

An editor runs it beside their text editor and sees each saved change in the
browser a moment later. The site is built with the real build into a private
temporary folder (never ./site), so what is previewed is what would be
published. A watcher polls the files of the content folder, the templates,
static files, catalogs and schemas, and rebuilds when any of them changes.

The open page reloads itself after each rebuild: the server adds one external
script tag to every HTML page as it sends it (the built files never contain
it). The pages' Content-Security-Policy (`default-src 'none'; script-src
'self'`) forbids fetch, XHR and EventSource, so the script long-polls by
loading another same-origin script, `/__uprsite__/events?since=N`, which the
server answers when the build generation moves past N (or after a while, to
keep connections short).

When the content is invalid, every page request gets a page listing the
problems, `path:line:col: message` exactly as `check` prints them, instead of
the stale site; it reloads itself too, so the site comes back once fixed. It
is sent with status 500: the server cannot give the page asked for, and a
tool (curl -f, a link checker) must not take the error page for the site.

The preview holds drafts, so it answers only this computer's browser asking
for it by its own name: a request whose Host is not 127.0.0.1:<port> or
localhost:<port> gets 421 (a page of another site whose name is pointed at
127.0.0.1, DNS rebinding, asks with that other name), and one that a browser
says comes from another site's page, other than following a link (a script
tag reading the search data cross-origin), gets 403. A request target that is
not a clean path (NUL, control characters, bad percent-encoding or UTF-8,
`.` or `..` segments, too long) gets 400 or 414 before it reaches the file
system, and no request ever prints a traceback.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, unquote_to_bytes, urlsplit

from .errors import ContentError, report_lines
from .faults import EXIT_USAGE

HOST = "127.0.0.1"
PREFIX = "/__uprsite__/"
POLL_SECONDS = 0.3  # how often the watcher looks at the files
SETTLE_SECONDS = 0.1  # editors save in several steps: wait for them to finish
LONG_POLL_SECONDS = 25.0  # below the usual idle timeouts of browsers and proxies
MAX_PATH = 1024  # characters of a request's path, as sent; the site's longest is far shorter
# A clean request path: printable ASCII, every '%' followed by two hex digits.
_CLEAN_TARGET = re.compile(r"/(?:[!-$&-~]|%[0-9A-Fa-f]{2})*\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

RELOAD_JS = """\
// Added by `python build.py serve` to each page it sends; never in the built site.
// Reloads the page when the server has rebuilt the site. The page's
// Content-Security-Policy allows scripts from this server only (no fetch), so
// the script waits for news by loading another script that the server holds
// back until the next build.
(function () {
  "use strict";
  var shown = new URL(document.currentScript.src).searchParams.get("generation");
  var retry = 0;
  window.uprsitePreview = {
    seen: function (generation) {
      retry = 0;
      if (String(generation) !== shown) {
        location.reload();
      }
    }
  };
  function poll() {
    var script = document.createElement("script");
    script.src = "/__uprsite__/events?since=" + encodeURIComponent(shown) + "&t=" + Date.now();
    script.onload = function () { script.remove(); setTimeout(poll, 0); };
    script.onerror = function () {
      script.remove();
      retry = Math.min(retry * 2 || 250, 5000);  // the server is restarting or gone
      setTimeout(poll, retry);
    };
    document.head.appendChild(script);
  }
  // A script still loading would hold back the page's load event.
  if (document.readyState === "complete") {
    poll();
  } else {
    window.addEventListener("load", poll);
  }
}());
"""


def reload_tag(generation: int) -> bytes:
    return f'<script src="{PREFIX}reload.js?generation={generation}"></script>'.encode()


def inject(page: bytes, tag: bytes) -> bytes:
    """The page with the reload script just before </body> (or at the end)."""
    at = page.lower().rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


def watched_folders(content_dir: Path) -> list[Path]:
    """Everything a build reads: the content and the project's own inputs."""
    from .localise import I18N_DIR
    from .render import STATIC_DIR, TEMPLATE_DIR
    from .schema import SCHEMA_DIR

    return [content_dir, TEMPLATE_DIR, STATIC_DIR, I18N_DIR, SCHEMA_DIR]


def snapshot(folders: list[Path]) -> dict[str, tuple[int, int, int]]:
    """(modification time, size, inode) of every file under the folders."""
    found: dict[str, tuple[int, int, int]] = {}
    stack = [str(f) for f in folders]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # a folder removed or renamed while we look
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    info = entry.stat()
                    found[entry.path] = (info.st_mtime_ns, info.st_size, info.st_ino)
            except OSError:
                continue
    return found


def forget_cached_inputs() -> None:
    """Drop what uprsite's modules cache between builds (catalogs, compiled schemas).

    One build per process never needs this; the preview builds many times in
    one process, and an edited catalog or schema must count at once. Clearing
    every functools cache of the package keeps working as caches are added.
    """
    for name, module in list(sys.modules.items()):
        if name == "uprsite" or name.startswith("uprsite."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


class Preview:
    """The latest build: its generation number, and its problems if it failed."""

    def __init__(self, content_dir: Path, out_dir: Path):
        self.content_dir = content_dir
        self.out_dir = out_dir
        self.generation = 0
        self.problems: list[str] = []  # empty when the site in out_dir is current
        self.total = 0  # how many problems there are; `problems` shows the first 200 and counts the rest
        self.failure = ""  # a crash of the build itself, with its traceback
        self.changed = threading.Condition()

    def state(self) -> tuple[int, list[str], str, int]:
        """(generation, problems as shown, failure, number of problems) of the latest build, read together."""
        with self.changed:
            return self.generation, self.problems, self.failure, self.total

    def rebuild(self, log=sys.stderr) -> None:
        from .build import build

        started = time.perf_counter()
        problems: list[str] = []
        total = 0
        failure = ""
        try:
            # Serial rendering: this process also runs the HTTP server's threads (see render_pages).
            report = build(str(self.content_dir), self.out_dir, parallel=False)
        except ContentError as error:
            # As `check` prints them: the first 200, then one line counting the rest by kind
            # (a broken 10 MB file has millions; the page and the terminal would drown).
            problems = report_lines(error.problems)
            total = len(error.problems)
        except Exception as error:
            failure = _describe_failure(error)
        seconds = time.perf_counter() - started
        with self.changed:
            self.problems, self.failure, self.total = problems, failure, total
            self.generation += 1
            self.changed.notify_all()
        if problems:
            print("\n".join(problems), file=log)
            print(
                f"{total:,} problem{'s' if total != 1 else ''} found; the preview shows them until they are fixed.",
                file=log,
                flush=True,
            )
        elif failure:
            print(failure, file=log, flush=True)
        else:
            print(f"rebuilt {report.pages:,} pages in {seconds:.1f} s", file=log, flush=True)

    def wait_past(self, generation: int, timeout: float) -> int:
        """The generation once it is past `generation`, or the same after `timeout` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != generation, timeout=timeout)
            return self.generation


def error_page(generation: int, problems: list[str], failure: str, total: int = 0) -> bytes:
    """The page shown for every request while the content is invalid (or the build fails)."""
    if problems:
        count = total or len(problems)
        heading = f"The content has {count:,} problem{'s' if count != 1 else ''}"
        body = "<ol>\n" + "".join(f"<li><code>{html.escape(p)}</code></li>\n" for p in problems) + "</ol>\n"
    else:
        heading = "The build failed"
        body = f"<pre>{html.escape(failure)}</pre>\n"
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'self'; base-uri 'none'; form-action 'none'\">\n"
        f"<title>{heading} · uprsite preview</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem}"
        "code,pre{font:14px/1.4 ui-monospace,monospace;white-space:pre-wrap;overflow-wrap:anywhere}"
        "li{margin:.4rem 0}h1{color:#a00}</style>\n</head>\n<body>\n"
        f"<h1>{heading}</h1>\n"
        "<p>Nothing would be published from this content. Fix the files below and save: "
        "this page reloads by itself.</p>\n"
        f"{body}</body>\n</html>\n"
    )
    return inject(page.encode("utf-8"), reload_tag(generation))


def _describe_failure(error: Exception) -> str:
    # A template syntax error points into templates/ like a content problem does.
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if filename and line:
        return f"{filename}:{line}:1: {error.__class__.__name__}: {getattr(error, 'message', error)}"
    return "".join(traceback.format_exception(error)).rstrip()


class Handler(SimpleHTTPRequestHandler):
    """Serves the built site, the reload script and the long-poll, or the error page."""

    preview: Preview  # set on the subclass made for one server

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.preview.out_dir), **kwargs)

    def log_message(self, format, *args):
        pass  # one line per request would drown the build messages

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def parse_request(self):
        """The request line and headers, then the checks every request must pass, whatever its method."""
        if not super().parse_request():
            return False
        refusal = self._refusal()
        if refusal:
            self.send_error(*refusal)
            return False
        return True

    def _refusal(self) -> tuple[HTTPStatus, str] | None:
        port = self.server.server_address[1]
        names = {f"127.0.0.1:{port}", f"localhost:{port}"} | ({"127.0.0.1", "localhost"} if port == 80 else set())
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or hosts[0].lower() not in names:
            return HTTPStatus.MISDIRECTED_REQUEST, f"This preview answers only http://127.0.0.1:{port}/"
        # Sent by browsers: a page of another site may link here, never read the preview's files into itself.
        site = self.headers.get("Sec-Fetch-Site", "none").lower()
        if site not in ("same-origin", "none") and self.headers.get("Sec-Fetch-Mode", "").lower() != "navigate":
            return HTTPStatus.FORBIDDEN, "The preview is not for other sites' pages"
        target = self.path.split("?", 1)[0]
        if len(target) > MAX_PATH:
            return HTTPStatus.REQUEST_URI_TOO_LONG, f"The path is longer than {MAX_PATH} characters"
        if not _CLEAN_TARGET.match(target):
            return HTTPStatus.BAD_REQUEST, "The path is not a clean URL path"
        try:
            path = unquote_to_bytes(target).decode("utf-8")
        except UnicodeDecodeError:
            return HTTPStatus.BAD_REQUEST, "The path is not UTF-8"
        # Backslashes separate folders on Windows, where a `..\\` would climb out of the site.
        if _CONTROL.search(path) or "\\" in path or any(segment in (".", "..") for segment in path.split("/")):
            return HTTPStatus.BAD_REQUEST, "The path holds control characters, backslashes or . or .. segments"
        return None

    def send_head(self):
        path = urlsplit(self.path).path
        if path.startswith(PREFIX):
            return self._internal(path[len(PREFIX) :])
        generation, problems, failure, total = self.preview.state()
        if problems or failure:
            page = error_page(generation, problems, failure, total)
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", page)
        try:
            local = Path(self.translate_path(self.path))
            if local.is_dir() and path.endswith("/"):
                local = local / "index.html"
            if local.suffix == ".html" and local.is_file():
                return self._send(
                    HTTPStatus.OK, "text/html; charset=utf-8", inject(local.read_bytes(), reload_tag(generation))
                )
            return super().send_head()
        except OSError:  # a name too long for the file system, a file removed by a rebuild meanwhile, ...
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND, "No listing of folders")
        return None

    def _internal(self, name: str):
        if name == "reload.js":
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_JS.encode())
        if name == "events":
            query = parse_qs(urlsplit(self.path).query)
            try:
                since = int(query.get("since", ["-1"])[0])
            except ValueError:
                since = -1
            generation = self.preview.wait_past(since, LONG_POLL_SECONDS)
            return self._send(
                HTTPStatus.OK, "text/javascript; charset=utf-8", f"uprsitePreview.seen({generation});\n".encode()
            )
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def _send(self, status: HTTPStatus, content_type: str, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return BytesIO(body)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # waiting long-polls must not keep the process alive

    def handle_error(self, request, client_address):
        """One line, never a traceback, for a request that failed; nothing when the browser went away."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError):  # a reload or a closed tab mid-answer
            print(f"preview: a request failed: {error.__class__.__name__}: {error}", file=sys.stderr, flush=True)


def watch(preview: Preview, folders: list[Path], seen: dict, stop: threading.Event) -> None:
    """Rebuild whenever a watched file is added, changed or removed since `seen`."""
    while not stop.wait(POLL_SECONDS):
        now = snapshot(folders)
        if now == seen:
            continue
        time.sleep(SETTLE_SECONDS)
        settled = snapshot(folders)
        if _outside_content(seen, settled, preview.content_dir):
            forget_cached_inputs()
        seen = settled
        preview.rebuild()


def _outside_content(before: dict, after: dict, content_dir: Path) -> bool:
    """Whether a change touched the project's inputs (templates, catalogs, ...), not only content."""
    inside = str(content_dir) + os.sep
    return any(not p.startswith(inside) for p in before.keys() | after.keys() if before.get(p) != after.get(p))


class CannotListen(Exception):
    """The preview's port is taken or refused (exit 2, wrong usage: another --port will do)."""

    exit_code = EXIT_USAGE


def serve(content_dir: str, port: int) -> None:
    """Preview the content on HOST:port, rebuilt on every change, until Ctrl-C or SIGTERM; raises CannotListen."""
    content_dir = Path(content_dir)
    workdir = Path(tempfile.mkdtemp(prefix="uprsite-serve-"))
    preview = Preview(content_dir, workdir / "site")
    try:
        server = PreviewServer((HOST, port), type("PreviewHandler", (Handler,), {"preview": preview}))
    except OSError as error:
        shutil.rmtree(workdir, ignore_errors=True)
        raise CannotListen(
            f"cannot listen on {HOST}:{port}: {error.strerror} (hint: try another --port, or --port 0)"
        ) from error

    def stop_on_terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_terminate)

    stop = threading.Event()
    try:
        folders = watched_folders(content_dir)
        before_first_build = snapshot(folders)
        preview.rebuild()
        watcher = threading.Thread(
            target=watch, args=(preview, folders, before_first_build, stop), name="watch", daemon=True
        )
        watcher.start()
        host, port = server.server_address[:2]
        print(f"Preview of {content_dir} at http://{host}:{port}/", flush=True)
        print(
            f"(built into {preview.out_dir}; rebuilt on every change to "
            f"{', '.join(str(f) for f in folders)}; Ctrl-C stops)",
            flush=True,
        )
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        shutil.rmtree(workdir, ignore_errors=True)
