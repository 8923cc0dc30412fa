"""The command line: parse arguments, load the config, call the build; errors become exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .articles import clean_documents
from .build import build
from .config import Config, load_config
from .copies import fold_copies
from .errors import DigestError, InputError, StrictError
from .progress import Progress
from .report import exit_status
from .serve import make_server, serve, server_url
from .sources import READERS
from .summaries import summarize
from .summarizers import SUMMARIZERS

log = logging.getLogger("digest")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest", description="Turn a folder of news articles into a briefing site."
    )
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", type=Path, help="config file (default: ./digest.toml if present)"
    )
    common.add_argument("--summarizer", choices=sorted(SUMMARIZERS), help="summarizer to use")
    common.add_argument("--words", type=int, dest="summary_words", help="summary length in words")
    common.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    common.add_argument("-v", "--verbose", action="store_true", help="print progress details")
    common.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")

    site = argparse.ArgumentParser(add_help=False)
    site.add_argument("--input", type=Path, help="folder of articles (default: seeds/)")
    site.add_argument("--output", type=Path, help="site folder to write (default: site/)")
    site.add_argument("--title", help="site title")
    site.add_argument("--base-url", dest="base_url", help="absolute URL the site is published at")
    site.add_argument(
        "--templates", type=Path, help="folder of templates that override the bundled ones"
    )
    site.add_argument("--strict", action="store_true", default=None, help="exit 1 if any warning")
    site.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        default=None,
        help="do not build the search page and index",
    )
    site.add_argument(
        "--search-articles",
        dest="search_articles",
        action="store_true",
        default=None,
        help="index each source article's full text too (setting: search_articles)",
    )
    site.add_argument(
        "--no-cache",
        dest="cache",
        action="store_const",
        const="",
        default=None,
        help="neither read nor write the build cache (setting: cache)",
    )
    site.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="worker processes for per-article and per-story work (default: one per core)",
    )
    site.add_argument(
        "--engine",
        choices=["local", "dask"],
        help="run that work on this machine (local) or on a Dask cluster (dask)",
    )
    site.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="the Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local Dask cluster)",
    )
    site.add_argument(
        "--report",
        type=Path,
        metavar="PATH",
        help="also write the build report here (it is always written as build-report.json "
        "in the site)",
    )

    b = commands.add_parser("build", parents=[common, site], help="build the briefing site")
    b.description = "Build the briefing site from the input folder into the output folder."

    v = commands.add_parser("serve", parents=[common, site], help="build the site and serve it")
    v.description = (
        "Build the site (as digest build does), then serve the output folder over HTTP on this "
        "machine until Ctrl-C."
    )
    v.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    v.add_argument(
        "--port",
        type=_port,
        default=8000,
        help="port to listen on, 0 for any (default: %(default)s)",
    )
    v.add_argument(
        "--no-build", action="store_true", help="serve the output folder as it is, without building"
    )

    s = commands.add_parser("summarize", parents=[common], help="summarize files as one story")
    s.description = "Summarize the given article files as one story, one sentence a line."
    s.add_argument("files", nargs="+", type=Path, metavar="FILE", help="article files")
    s.add_argument("--json", action="store_true", help="print JSON with each sentence's source")
    return parser


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    keys = (
        "input",
        "output",
        "title",
        "base_url",
        "templates",
        "summarizer",
        "summary_words",
        "strict",
        "search",
        "search_articles",
        "quiet",
        "report",
        "cache",
        "jobs",
        "engine",
        "scheduler",
    )
    return {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return int(text)


def _build(args: argparse.Namespace) -> int:
    _build_site(load_config(args.config, _overrides(args)))
    return 0


def _build_site(config: Config) -> None:
    """Build, report the result in one line; raise StrictError on warnings under --strict."""
    result = build(config)
    warnings = len(result.problems)
    log.info(
        "built %s from %d files (%d skipped): %d articles, %d stories, %d pages, "
        "%d warning%s in %.1f s",
        config.output,
        result.files,
        result.files_skipped,
        result.articles,
        result.stories,
        result.pages,
        warnings,
        "" if warnings == 1 else "s",
        result.seconds,
    )
    if exit_status(result, config):  # as build-report.json says
        raise StrictError(f"{warnings} warning{'s' if warnings != 1 else ''} with --strict")


def _serve(args: argparse.Namespace) -> int:
    config = load_config(args.config, _overrides(args))
    if not args.no_build:
        _build_site(config)
    server = make_server(config.output, args.host, args.port)
    print(f"Serving {config.output} at {server_url(server)} (Ctrl-C to stop)", flush=True)
    try:
        serve(server)
    except KeyboardInterrupt:  # the way to stop a server: not an error
        log.info("stopped serving")
    return 0


def _summarize(args: argparse.Namespace) -> int:
    config = load_config(args.config, _overrides(args))
    documents = []
    for path in args.files:
        reader = READERS.get(path.suffix.lower(), READERS[".txt"])
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        docs, problems = reader(path, path.as_posix())
        for problem in problems:
            log.warning("%s", problem)
        documents.extend(docs)
    articles, _ = clean_documents(documents)
    copies = fold_copies(articles, config.copy_threshold)
    summary = summarize("cli", articles, copies, config.summary_words, config.summarizer)
    source = {a.id: a.source_file for a in articles}
    if args.json:
        rows = [
            {
                "text": s.text,
                "article_id": s.article_id,
                "source_file": source[s.article_id],
                "paragraph": s.paragraph,
                "outlets": s.outlets,
            }
            for s in summary.sentences
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for sentence in summary.sentences:
            print(sentence.text)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the digest command line; returns the exit code."""
    args = _parser().parse_args(argv)
    level = logging.ERROR if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    handler = Progress(sys.stderr, show_starts=args.verbose)
    handler.setFormatter(logging.Formatter("digest: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.getLogger("digest").setLevel(level)
    try:
        return {"build": _build, "serve": _serve, "summarize": _summarize}[args.command](args)
    except DigestError as err:
        handler.clear()
        problems = getattr(err, "problems", None) or [str(err)]
        for problem in problems:
            print(f"digest: error: {problem}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        handler.clear()
        print("digest: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug: say so in one line unless asked for the traceback
        handler.clear()
        if args.debug:
            raise
        print(
            f"digest: internal error: {type(err).__name__}: {err} (rerun with --debug)",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
