"""Typer commands only: parse, call the core, render, and map errors to exit codes at one boundary."""
from __future__ import annotations

import functools
import json
import os
import sys
from enum import Enum
from typing import Callable, List, Optional

import typer

from .errors import ExitStatus, SummtoolError

app = typer.Typer(
    name="summtool",
    help="Detect, translate (Chinese <-> English) and summarize official press releases.\n\n"
    "Inputs are file paths, '-' for stdin, or piped stdin. Results go to stdout; messages to stderr.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


# --- shared options ------------------------------------------------------------------------------
PathsArg = typer.Argument(None, metavar="[PATH]...", help="Input files; '-' reads stdin. None: piped stdin.",
                          show_default=False)
OutputOpt = typer.Option(None, "--output", "-o", help="Write results to FILE (atomically) instead of stdout.",
                         metavar="FILE")


class Streams:
    """Where results and messages go; tests swap them through the CLI runner."""

    @property
    def out(self):
        return sys.stdout

    @property
    def err(self):
        return sys.stderr

    @property
    def stdin(self):
        return getattr(sys.stdin, "buffer", sys.stdin)

    def message(self, text: str) -> None:
        print(f"summtool: {text}", file=self.err, flush=True)


streams = Streams()


_options = {"debug": False}  # global options of this invocation, set by the app callback


def _debug_enabled() -> bool:
    return _options["debug"] or os.environ.get("SUMMTOOL_DEBUG", "") not in ("", "0")


def report_error(err: BaseException) -> None:
    """One line on stderr for an input that failed while others go on; its traceback with --debug."""
    if _debug_enabled():
        import traceback

        traceback.print_exception(err, file=streams.err)
    streams.message(f"error: {err}")


def boundary(func: Callable) -> Callable:
    """Turn domain errors into one stderr line and an exit code; Ctrl-C into 130; no traceback
    unless --debug."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SummtoolError as err:
            if _debug_enabled():
                raise
            streams.message(f"error: {err}")
            raise typer.Exit(int(err.exit_status)) from None
        except KeyboardInterrupt:
            streams.message("interrupted")
            raise typer.Exit(int(ExitStatus.INTERRUPTED)) from None
        except BrokenPipeError:
            # `summtool ... | head`: the reader left; quietly stop like other Unix tools.
            try:
                sys.stdout = open(os.devnull, "w")
            except OSError:
                pass
            raise typer.Exit(int(ExitStatus.OK)) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as err:  # a bug: one line for users, the traceback with --debug
            if _debug_enabled() or err.__class__.__module__.startswith("click"):
                raise
            streams.message(f"internal error: {err.__class__.__name__}: {err} (rerun with --debug for details)")
            raise typer.Exit(int(ExitStatus.ERROR)) from None

    return wrapper


class Sink:
    """Collects results for stdout, or for -o FILE written atomically once everything succeeded."""

    def __init__(self, output: Optional[str]) -> None:
        self.output = output
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        if self.output:
            self.parts.append(text)
        else:
            streams.out.write(text)
            streams.out.flush()

    def close(self) -> None:
        if self.output and self.parts:
            from .io import write_atomic

            write_atomic(self.output, "".join(self.parts))


def documents(paths: Optional[List[str]]):
    """Yield each input Document, reporting unreadable ones on stderr; returns through .failed."""
    from .io import iter_documents

    return iter_documents(paths or [], streams.stdin)


def json_line(obj) -> str:
    return json.dumps(obj, ensure_ascii=False) + "\n"


# --- commands --------------------------------------------------------------------------------------
def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        print(f"summtool {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors.", envvar="SUMMTOOL_DEBUG"),
    version: bool = typer.Option(False, "--version", help="Print the version and exit.", is_eager=True,
                                 callback=_print_version),
) -> None:
    _options["debug"] = debug


@app.command()
@boundary
def detect(
    paths: Optional[List[str]] = PathsArg,
    format: Format = typer.Option(Format.text, "--format", "-f", help="text, or json/jsonl (one object per line)."),
    output: Optional[str] = OutputOpt,
) -> None:
    """Print each input's language: zh-Hans, zh-Hant, en, ja, ko, ... or 'und' (exit 1)."""
    from .detect import detect as detect_language
    from .errors import InputError

    sink, failed = Sink(output), False
    items = list(paths or [])
    for doc in documents(items):
        if isinstance(doc, InputError):
            report_error(doc)
            failed = True
            continue
        found = detect_language(doc.text)
        if found.language == "und":
            streams.message(f"error: {doc.source}: no letters: language undetermined")
            failed = True
        if format in (Format.json, Format.jsonl):
            sink.write(json_line({"path": doc.source, "language": found.language, "script": found.script,
                                  "confidence": found.confidence, "encoding": doc.encoding}))
        elif len(items) > 1:
            sink.write(f"{doc.source}: {found.language}\n")
        else:
            sink.write(f"{found.language}\n")
    sink.close()
    if failed:
        raise typer.Exit(int(ExitStatus.ERROR))


# Further commands (translate, models, summarize, batch) are added below this line, each a thin
# function decorated with @app.command() and @boundary that imports its core lazily.
