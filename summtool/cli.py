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
PathsArg = typer.Argument(None, metavar="PATH", help="Input files; '-' reads stdin; with none, piped stdin is read.",
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


class Inputs:
    """The documents of one command: unreadable inputs are reported on stderr and skipped, and
    `failed` remembers that the run must end with exit 1."""

    def __init__(self, paths: Optional[List[str]]) -> None:
        self.paths = list(paths or [])
        self.failed = False

    def __iter__(self):
        from .io import iter_documents

        for doc in iter_documents(self.paths, streams.stdin):
            if isinstance(doc, SummtoolError):
                self.fail(doc)
            else:
                yield doc

    def fail(self, err: BaseException) -> None:
        report_error(err)
        self.failed = True

    def exit(self) -> None:
        if self.failed:
            raise typer.Exit(int(ExitStatus.ERROR))


def json_line(obj) -> str:
    return json.dumps(obj, ensure_ascii=False) + "\n"


def json_document(obj: dict, source: str, several: bool) -> str:
    """One input's result as indented JSON; with several inputs it names its path first."""
    if several:
        obj = {"path": source, **obj}
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


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

    sink, inputs = Sink(output), Inputs(paths)
    for doc in inputs:
        found = detect_language(doc.text)
        if found.language == "und":
            inputs.fail(InputError("no letters: language undetermined", source=doc.source))
        if format in (Format.json, Format.jsonl):
            sink.write(json_line({"path": doc.source, "language": found.language, "script": found.script,
                                  "confidence": found.confidence, "encoding": doc.encoding}))
        elif len(inputs.paths) > 1:
            sink.write(f"{doc.source}: {found.language}\n")
        else:
            sink.write(f"{found.language}\n")
    sink.close()
    inputs.exit()


# Further commands (translate, models, summarize, batch) are added below this line, each a thin
# function decorated with @app.command() and @boundary that imports its core lazily.


# --- summarize -------------------------------------------------------------------------------------
class SummaryFormat(str, Enum):
    markdown = "markdown"
    json = "json"
    jsonl = "jsonl"


class Engine(str, Enum):
    rules = "rules"
    model = "model"


def _check_summary_options(lang: Optional[str], engine: "Engine", model: Optional[str]) -> None:
    from .errors import UsageError

    if lang is not None and lang not in ("en", "zh"):
        raise UsageError(f"--lang must be 'en' or 'zh', not '{lang}'")
    if engine is Engine.model and not model:
        raise UsageError("--engine model needs --model ID_OR_DIR")


@app.command()
@boundary
def summarize(
    paths: Optional[List[str]] = PathsArg,
    lang: Optional[str] = typer.Option(None, "--lang", metavar="en|zh",
                                       help="Language of the summary (default: the release's own; "
                                            "another one translates bullets and facts)."),
    max_bullets: Optional[int] = typer.Option(None, "--max-bullets", "-n", min=1, metavar="N",
                                              help="At most N bullets (the most important ones)."),
    format: SummaryFormat = typer.Option(SummaryFormat.markdown, "--format", "-f",
                                         help="markdown (default), json (one object per input), or jsonl."),
    engine: Engine = typer.Option(Engine.rules, "--engine",
                                  help="rules: structure-aware extraction, no model (default); "
                                       "model: a local transformers model with a prompt template."),
    model: Optional[str] = typer.Option(None, "--model", metavar="ID_OR_DIR", help="Model for --engine model."),
    prompt: Optional[str] = typer.Option(None, "--prompt", metavar="FILE",
                                         help="Prompt template for --engine model (default: the shipped one)."),
    bilingual: bool = typer.Option(False, "--bilingual", help="Markdown: show the source text under each "
                                                              "translated bullet."),
    output: Optional[str] = OutputOpt,
) -> None:
    """Summarize meeting releases into key-point bullets, with the meeting's date, organizer and officials."""
    from .errors import InputError
    from .summarizer import summarize as summarize_text

    _check_summary_options(lang, engine, model)
    sink, inputs, translator = Sink(output), Inputs(paths), None
    results = []
    for doc in inputs:
        try:
            summary = summarize_text(doc.text, lang=lang, max_bullets=max_bullets, engine=engine.value,
                                     model=model, prompt=prompt, translator=translator)
        except InputError as err:
            err.source = err.source or doc.source
            inputs.fail(err)
            continue
        if lang is not None and summary.translated and translator is None:
            translator = summary.extra.get("translator")
        results.append((doc.source, summary))
    for n, (source, summary) in enumerate(results):
        if format is SummaryFormat.json:
            sink.write(json_document(summary.to_json(), source, len(results) > 1))
        elif format is SummaryFormat.jsonl:
            sink.write(json_line({"path": source, **summary.to_json()}))
        else:
            if len(results) > 1:
                sink.write(("\n" if n else "") + f"## {source}\n\n")
            sink.write(summary.to_markdown(bilingual=bilingual))
    sink.close()
    inputs.exit()


# --- translate and models (core in summtool/translation.py and summtool/models.py) ----------------------------
class TranslateFormat(str, Enum):
    text = "text"
    json = "json"


class TargetLang(str, Enum):
    en = "en"
    zh = "zh"


class SourceLang(str, Enum):
    auto = "auto"
    zh = "zh"
    en = "en"


class ScriptOpt(str, Enum):
    simplified = "simplified"
    traditional = "traditional"


class DeviceOpt(str, Enum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"
    mps = "mps"


class BackendOpt(str, Enum):
    auto = "auto"
    transformers = "transformers"
    ct2 = "ct2"


# Inputs longer than this get a progress bar (when stderr is a terminal).
_PROGRESS_CHARS = 3000


@app.command()
@boundary
def translate(
    paths: Optional[List[str]] = PathsArg,
    to: Optional[TargetLang] = typer.Option(None, "--to", help="Target language (default: the other one)."),
    source: SourceLang = typer.Option(SourceLang.auto, "--from", help="Source language (default: detected)."),
    model: Optional[str] = typer.Option(None, "--model", metavar="ID_OR_DIR",
                                        help="Marian model id or directory (default: Helsinki-NLP/opus-mt-zh-en "
                                             "or -en-zh; env SUMMTOOL_MODEL_ZH_EN / SUMMTOOL_MODEL_EN_ZH)."),
    script: ScriptOpt = typer.Option(ScriptOpt.simplified, "--script", help="Chinese script of en->zh output."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1, metavar="N",
                                             help="Sentences per model call (default: 32 on CPU, 512 on GPU)."),
    beams: Optional[int] = typer.Option(None, "--beams", min=1, metavar="N",
                                        help="Beam search width (default 1: greedy, fastest)."),
    device: DeviceOpt = typer.Option(DeviceOpt.auto, "--device", help="Where the model runs."),
    backend: BackendOpt = typer.Option(BackendOpt.auto, "--backend",
                                       help="auto: CTranslate2 int8 on CPU when installed (summtool[ct2]), "
                                            "else transformers."),
    format: TranslateFormat = typer.Option(TranslateFormat.text, "--format", "-f",
                                           help="text (default) or json (one object per input)."),
    bilingual: bool = typer.Option(False, "--bilingual", help="Text: each source paragraph, then its translation."),
    output: Optional[str] = OutputOpt,
) -> None:
    """Translate releases Chinese <-> English, paragraph by paragraph; text already in the target
    language passes through with a warning."""
    from .errors import InputError
    from .translation import Translator

    sink, inputs = Sink(output), Inputs(paths)
    docs = list(inputs)
    long_input = sum(len(d.text) for d in docs) > _PROGRESS_CHARS
    translator = Translator(model=model, device=device.value, batch_size=batch_size, beams=beams,
                            script=script.value, backend=backend.value,
                            progress=long_input and streams.err.isatty())
    todo = []
    for doc in docs:
        try:
            translator.source_language(doc.text, source.value)
        except InputError as err:
            err.source = err.source or doc.source
            inputs.fail(err)
            continue
        todo.append(doc)
    results = translator.translate_many([d.text for d in todo], to=to.value if to else None,
                                        source=source.value)
    for note in translator.notes:
        streams.message(f"warning: {note}")
    for n, (doc, result) in enumerate(zip(todo, results)):
        if result.passed_through:
            streams.message(f"warning: {doc.source}: already in {result.target_language}; passed through "
                            "unchanged")
        if format is TranslateFormat.json:
            sink.write(json_document(result.to_json(), doc.source, len(todo) > 1))
        else:
            if len(todo) > 1:
                sink.write(("\n" if n else "") + f"==> {doc.source} <==\n")
            sink.write((result.bilingual() if bilingual else result.text) + "\n")
    sink.close()
    inputs.exit()


models_app = typer.Typer(
    help="Translation models: what is cached (list), fetch for offline use (download), where they are (info).",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(models_app, name="models")


class ModelsFormat(str, Enum):
    text = "text"
    json = "json"


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


@models_app.command("list")
@boundary
def models_list(
    format: ModelsFormat = typer.Option(ModelsFormat.text, "--format", "-f", help="text or json."),
) -> None:
    """Show the Marian models in the Hugging Face cache (HF_HOME) and their CTranslate2 conversions."""
    from .models import cached_models, hub_cache_dir

    found = cached_models()
    if format is ModelsFormat.json:
        streams.out.write(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
        return
    if not found:
        streams.message(f"no models cached in {hub_cache_dir()}; fetch one with "
                        "`summtool models download Helsinki-NLP/opus-mt-zh-en`")
        return
    for item in found:
        flags = [] if item["complete"] else ["incomplete: missing " + ", ".join(item["missing"])]
        if item["ct2_path"]:
            flags.append("ct2")
        streams.out.write(f"{item['model']}\t{_size(item['size_bytes'])}\t{item['path']}"
                          + (f"\t[{'; '.join(flags)}]" if flags else "") + "\n")


@models_app.command("download")
@boundary
def models_download(
    models: Optional[List[str]] = typer.Argument(None, metavar="[MODEL]...", show_default=False,
                                                 help="Model ids (default: both opus-mt models in use)."),
    ct2: Optional[bool] = typer.Option(None, "--ct2/--no-ct2",
                                       help="Also convert for CTranslate2 (default: when it is installed)."),
) -> None:
    """Fetch models into the Hugging Face cache for offline use; print where each went."""
    from .models import DEFAULT_MODELS, ct2_available, download_model, ensure_ct2, model_for, resolve

    names = list(models or []) or [model_for(*direction) for direction in DEFAULT_MODELS]
    convert = ct2_available() if ct2 is None else ct2
    for name in names:
        path = resolve(name) if os.path.isdir(os.path.expanduser(name)) else download_model(name)
        line = f"{name}\t{path}"
        if convert:
            line += f"\tct2: {ensure_ct2(path, name)}"
        streams.out.write(line + "\n")


@models_app.command("info")
@boundary
def models_info(
    models: Optional[List[str]] = typer.Argument(None, metavar="[MODEL]...", show_default=False,
                                                 help="Model ids or directories (default: the models in use)."),
    format: ModelsFormat = typer.Option(ModelsFormat.text, "--format", "-f", help="text or json."),
) -> None:
    """Print where each model is, its size, architecture, and its CTranslate2 conversion (exit 1 if absent)."""
    from .models import DEFAULT_MODELS, model_for, model_info

    if models:
        names = [(None, name) for name in models]
    else:
        names = [(f"{s}->{t}", model_for(s, t)) for s, t in DEFAULT_MODELS]
    failed = False
    for direction, name in names:
        try:
            info = model_info(name)
        except SummtoolError as err:
            streams.message(f"error: {err}")
            failed = True
            continue
        if direction:
            info = {"direction": direction, **info}
        if format is ModelsFormat.json:
            streams.out.write(json_line(info))
        else:
            arch = info["architecture"]
            streams.out.write("".join([
                f"model: {info['model']}\n",
                f"direction: {direction}\n" if direction else "",
                f"path: {info['path']}\n",
                f"size: {_size(info['size_bytes'])}\n",
                f"complete: {'yes' if info['complete'] else 'no, missing ' + ', '.join(info['missing'])}\n",
                f"architecture: d_model {arch['d_model']}, {arch['encoder_layers']}+{arch['decoder_layers']} "
                f"layers, vocab {arch['vocab_size']}, max positions {arch['max_position_embeddings']}\n",
                f"ct2: {info['ct2_path'] or 'not converted'}\n",
                "\n",
            ]))
    if failed:
        raise typer.Exit(int(ExitStatus.ERROR))


# --- batch: many releases in one run (core in summtool/batch.py) ----------------------------------------
batch_app = typer.Typer(
    help="Convert many releases in one run: files, directories (recursive), '-' (a list of paths on stdin) "
    "or --jsonl-in FILE; --out DIR mirrors the input tree, --out FILE.jsonl writes one record per input.\n\n"
    "Resumable: a re-run skips inputs whose output is complete and newer than the input (--overwrite redoes "
    "them); outputs are written atomically. Exit 1 when any input failed, 130 on Ctrl-C.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(batch_app, name="batch")

BatchInputsArg = typer.Argument(None, metavar="INPUT...", show_default=False,
                                help="Files, directories (searched recursively), or '-' for a list of paths on stdin.")
BatchOutOpt = typer.Option(..., "--out", metavar="DIR|FILE.jsonl", show_default=False,
                           help="A directory (one output per input, mirroring the input tree) or a .jsonl file.")
BatchGlobOpt = typer.Option(None, "--glob", metavar="PATTERN",
                            help="Which files of a directory to take (repeatable). Default: *.txt *.html *.htm.")
BatchJsonlInOpt = typer.Option(None, "--jsonl-in", metavar="FILE",
                               help='A JSON Lines input: one release per line, a "text" field and an optional '
                               '"id" (repeatable; \'-\' = stdin).')
BatchOverwriteOpt = typer.Option(False, "--overwrite", help="Redo inputs whose output is already there.")
BatchFailFastOpt = typer.Option(False, "--fail-fast", help="Stop at the first input that fails.")
BatchJobsOpt = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Worker processes.")
BatchQuietOpt = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary line.")


def _option_of(command: Callable, name: str):
    """The typer.Option a single-file command declares for *name*: batch sub-commands take the very same
    definition (flags, default, help), so the two never drift apart."""
    import inspect

    return inspect.signature(command).parameters[name].default


def _run_batch(task: str, inputs, out, globs, jsonl_in, quiet: bool, **kwargs) -> None:
    """Run one batch task and report on stderr: each failure, then done/skipped/failed and the time."""
    from .batch import BatchInterrupted, run_batch

    progress = not quiet and streams.err.isatty()
    try:
        report = run_batch(task, list(inputs or []), out, globs=globs or None, jsonl_in=list(jsonl_in or []),
                           stdin=streams.stdin, progress=progress,
                           on_failure=lambda source, reason: streams.message(f"error: {reason}"),
                           on_warning=lambda text: streams.message(f"warning: {text}"), **kwargs)
    except BatchInterrupted as stop:
        if not quiet:
            streams.message(f"batch {task}: {stop.report.summary()}")
        raise KeyboardInterrupt from None
    if not quiet:
        streams.message(f"batch {task}: {report.summary()}")
    if not report.ok:
        raise typer.Exit(int(ExitStatus.ERROR))


def _value(option):
    return option.value if isinstance(option, Enum) else option


@batch_app.command("detect")
@boundary
def batch_detect(
    inputs: Optional[List[str]] = BatchInputsArg,
    out: str = BatchOutOpt,
    format: Optional[str] = typer.Option(None, "--format", "-f", metavar="json|text",
                                         help="Per-file output for --out DIR: json (default, .json) or text (.txt)."),
    glob: Optional[List[str]] = BatchGlobOpt,
    jsonl_in: Optional[List[str]] = BatchJsonlInOpt,
    overwrite: bool = BatchOverwriteOpt,
    fail_fast: bool = BatchFailFastOpt,
    jobs: int = BatchJobsOpt,
    quiet: bool = BatchQuietOpt,
) -> None:
    """Detect the language of many releases."""
    _run_batch("detect", inputs, out, glob, jsonl_in, quiet, format=format, overwrite=overwrite,
               fail_fast=fail_fast, jobs=jobs)


@batch_app.command("translate")
@boundary
def batch_translate(
    inputs: Optional[List[str]] = BatchInputsArg,
    out: str = BatchOutOpt,
    to: Optional[TargetLang] = _option_of(translate, "to"),
    source: SourceLang = _option_of(translate, "source"),
    model: Optional[str] = _option_of(translate, "model"),
    script: ScriptOpt = _option_of(translate, "script"),
    batch_size: Optional[int] = _option_of(translate, "batch_size"),
    beams: Optional[int] = _option_of(translate, "beams"),
    device: DeviceOpt = _option_of(translate, "device"),
    backend: BackendOpt = _option_of(translate, "backend"),
    bilingual: bool = _option_of(translate, "bilingual"),
    format: Optional[TranslateFormat] = typer.Option(None, "--format", "-f",
                                                     help="Per-file output for --out DIR: text (default, .txt) "
                                                          "or json (.json)."),
    glob: Optional[List[str]] = BatchGlobOpt,
    jsonl_in: Optional[List[str]] = BatchJsonlInOpt,
    overwrite: bool = BatchOverwriteOpt,
    fail_fast: bool = BatchFailFastOpt,
    quiet: bool = BatchQuietOpt,
) -> None:
    """Translate many releases with one model load; sentences are batched across documents."""
    options = {"to": _value(to), "source": _value(source), "model": model, "script": _value(script),
               "batch_size": batch_size, "beams": beams, "device": _value(device), "backend": _value(backend),
               "bilingual": bilingual or None}
    _run_batch("translate", inputs, out, glob, jsonl_in, quiet, format=_value(format), overwrite=overwrite,
               fail_fast=fail_fast, options=options)


class BatchSummaryFormat(str, Enum):
    markdown = "markdown"
    json = "json"


@batch_app.command("summarize")
@boundary
def batch_summarize(
    inputs: Optional[List[str]] = BatchInputsArg,
    out: str = BatchOutOpt,
    lang: Optional[str] = _option_of(summarize, "lang"),
    max_bullets: Optional[int] = _option_of(summarize, "max_bullets"),
    engine: Engine = _option_of(summarize, "engine"),
    model: Optional[str] = _option_of(summarize, "model"),
    prompt: Optional[str] = _option_of(summarize, "prompt"),
    bilingual: bool = _option_of(summarize, "bilingual"),
    format: Optional[BatchSummaryFormat] = typer.Option(None, "--format", "-f",
                                                        help="Per-file output for --out DIR: markdown (default, "
                                                             ".md) or json (.json)."),
    glob: Optional[List[str]] = BatchGlobOpt,
    jsonl_in: Optional[List[str]] = BatchJsonlInOpt,
    overwrite: bool = BatchOverwriteOpt,
    fail_fast: bool = BatchFailFastOpt,
    jobs: int = BatchJobsOpt,
    quiet: bool = BatchQuietOpt,
) -> None:
    """Summarize many releases into key-point bullets."""
    _check_summary_options(lang, engine, model)
    options = {"lang": lang, "max_bullets": max_bullets, "engine": _value(engine), "model": model,
               "prompt": prompt, "bilingual": bilingual or None}
    _run_batch("summarize", inputs, out, glob, jsonl_in, quiet, format=_value(format), overwrite=overwrite,
               fail_fast=fail_fast, jobs=jobs, options=options)
