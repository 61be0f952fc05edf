"""The command line: `python build.py [build|check] ...`.

Exit codes: 0 success, 1 invalid content (every problem printed as
`path:line:col: message`), 2 wrong usage (an `--out` a build must not
replace included), 3 the machine refused (disk full, read-only file system,
a mount point, ...), 4 a format's limit (see faults.py). Every failure is one
line, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys

from .errors import SHOWN_PROBLEMS, ContentError, remainder, report_lines
from .faults import EXIT_MACHINE, FormatLimit, MachineFault, OutputRefused, describe

DEFAULT_CONTENT = "content"
DEFAULT_OUT = "site"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the UPR recommendations site from YAML content."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the site (the default command)")
    build.add_argument("--content", default=DEFAULT_CONTENT, help="content folder (default: content)")
    build.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: site)")
    build.add_argument("-v", "--verbose", action="store_true", help="print timings per phase and the heaviest pages")
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore the build cache ($XDG_CACHE_HOME/uprsite): parse and render everything",
    )
    build.add_argument(
        "--archive-url",
        metavar="URL",
        help="where the offline archive is published: the home pages link to it with its size",
    )
    build.add_argument(
        "--archive-file",
        metavar="ZIP",
        help="the archive at URL, whose size is shown (default: dist/ + the URL's file name)",
    )

    check = commands.add_parser("check", help="validate the content only")
    check.add_argument("--content", default=DEFAULT_CONTENT, help="content folder (default: content)")

    importer = commands.add_parser("import-upr-info", help="turn UPR Info database exports (CSV) into content")
    importer.add_argument("files", nargs="+", metavar="FILE.csv", help="UPR Info export files")
    importer.add_argument("--content", default=DEFAULT_CONTENT, help="content folder to write into (default: content)")
    importer.add_argument("--replace", action="store_true", help="overwrite reviews that already exist")

    serve = commands.add_parser("serve", help="live preview on 127.0.0.1, rebuilt on every change")
    serve.add_argument("--content", default=DEFAULT_CONTENT, help="content folder (default: content)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")

    archive = commands.add_parser("archive", help="build the site and pack it as one zip for offline use")
    archive.add_argument("--content", default=DEFAULT_CONTENT, help="content folder (default: content)")
    archive.add_argument("--out", default=None, help="zip file (default: dist/uprsite-<date of newest data>.zip)")
    return parser


def report_problems(error: ContentError, stream=None) -> None:
    stream = stream or sys.stderr  # looked up at call time, so that a redirected stderr is honoured
    for line in report_lines(error.problems):
        print(line, file=stream)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        # Workflow commands go to standard output, where GitHub reads them; as many as are printed.
        for problem in error.problems[:SHOWN_PROBLEMS]:
            print(problem.github_annotation())
        more = remainder(error.problems)
        if more:
            print("::error::" + more.replace("%", "%25"))
    count = len(error.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was published.", file=stream)


# What report_failure reports: every failure a build can end with that is not a bug.
FAILURES = (ContentError, OutputRefused, MachineFault, FormatLimit, OSError, MemoryError)


def report_failure(error: Exception) -> int:
    """Report a build that stopped; the exit status says whose it is: the content's (1: every
    problem, located), the command's (2: Node.js or the npm packages missing, an `--out` that
    must not be replaced), the machine's (3: disk full, read-only, ...) or a format's (4)."""
    if isinstance(error, ContentError):
        report_problems(error)
        return 1
    if isinstance(error, OutputRefused):
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    if isinstance(error, (MachineFault, FormatLimit)):
        print(f"error: {error}; nothing was published.", file=sys.stderr)
        return error.exit_code
    if isinstance(error, OSError):
        print(f"error: {describe(error)}; nothing was published.", file=sys.stderr)
        return EXIT_MACHINE
    if isinstance(error, MemoryError):
        print("error: out of memory; nothing was published.", file=sys.stderr)
        return EXIT_MACHINE
    print(f"error: {error}; nothing was published.", file=sys.stderr)
    return 2


def _edition(parser: argparse.ArgumentParser, args):
    """The published site links to the offline archive when given its URL."""
    from .archive import published_edition
    from .views import Edition

    if not args.archive_url:
        if args.archive_file:
            parser.error("--archive-file needs --archive-url")
        return Edition()
    try:
        return published_edition(args.archive_url, args.archive_file)
    except ValueError as error:
        parser.error(str(error))


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    argv = list(argv or [])
    # `python build.py` and `python build.py --out x` mean `build`.
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]
    args = parser.parse_args(argv)

    from .build import build, load_database
    from .search.build import SearchBuildError

    if args.command == "import-upr-info":
        from .importer import ImportRefused, import_upr_info

        try:
            imported = import_upr_info(args.files, args.content, replace=args.replace)
        except ImportRefused as refused:
            print("\n".join(refused.lines), file=sys.stderr)
            return 1
        for line in [*imported.row_reports(), *imported.warnings()]:
            print(line, file=sys.stderr)
        print("\n".join(imported.summary()))
        return 0
    if args.command == "serve":
        from .serve import CannotListen, serve

        try:
            serve(args.content, args.port)
        except CannotListen as error:
            print(error, file=sys.stderr)
            return error.exit_code
        return 0
    try:
        if args.command == "archive":
            from .archive import make_archive

            made = make_archive(args.content, args.out)
            print(
                f"wrote {made.zip_path} ({made.size / 1e6:,.1f} MB, {made.files:,} files in {made.folder}/) "
                f"and its SHA-256 in {made.checksum_path}"
            )
            return 0
        if args.command == "check":
            db = load_database(args.content)
            print(
                f"{args.content}: valid ({db.recommendation_count:,} recommendations in "
                f"{len(db.reviews):,} reviews, {len(db.countries):,} States, {len(db.sessions):,} sessions)"
            )
            return 0
        edition = _edition(parser, args)
        report = build(args.content, args.out, verbose=args.verbose, use_cache=not args.no_cache, edition=edition)
        if report.up_to_date:
            print(f"{args.out}/ is up to date")
        else:
            print(f"built {report.pages:,} pages into {args.out}/")
        return 0
    except (*FAILURES, SearchBuildError) as error:
        return report_failure(error)
