"""Bulk conversion: many releases in, one output each (a mirrored tree or one JSON Lines file), resumable.

Safety and resume, in short (README's "Bulk conversion" section says the same for users):
- ``--out DIR``: every output file is written with ``write_atomic``, so it is either absent or whole. An
  input is skipped when its output exists and is not older than the input. Temp files that a killed run
  left behind are removed at the next start, so a killed-then-resumed run ends with exactly the files of an
  uninterrupted one.
- ``--out FILE.jsonl``: records go first to a journal, ``FILE.jsonl.part``, one complete line each, flushed
  as soon as an input is done. The journal starts with a header naming the task and its options; a re-run
  with the same ones reuses the journal's records (a torn last line from a kill is dropped), a re-run with
  other ones starts it afresh. Only when every input has been tried is ``FILE.jsonl`` written, atomically
  and in input order, and the journal removed. A re-run also reuses records of an existing ``FILE.jsonl``
  for inputs not modified since it was written. Either way the final file is byte-for-byte the one an
  uninterrupted run writes.
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Sequence

from .errors import InputError, ModelError, SummtoolError, UsageError
from .io import Document, read_path, read_text, write_atomic

TASKS = ("detect", "translate", "summarize")
DEFAULT_GLOBS = ("*.txt", "*.html", "*.htm")
# Output format -> extension of the output file, per task; the first one is the task's default.
FORMATS: dict[str, dict[str, str]] = {
    "detect": {"json": ".json", "text": ".txt"},
    "translate": {"text": ".txt", "json": ".json"},
    "summarize": {"markdown": ".md", "json": ".json"},
}
# Options each task understands (the keyword arguments of the single-document API).
TASK_OPTIONS = {
    "detect": frozenset(),
    "translate": frozenset({"to", "source", "model", "device", "batch_size", "beams", "script", "backend",
                            "bilingual"}),
    "summarize": frozenset({"lang", "max_bullets", "engine", "model", "prompt", "bilingual"}),
}
# Documents per translate_many call: enough to fill every model batch, few enough to bound memory and to
# lose little work when a run is killed.
CHUNK_DOCUMENTS = 64
JOURNAL_SUFFIX = ".part"
LOCK_NAME = ".summtool-batch.lock"
_JOURNAL_VERSION = 1
# write_atomic's temp files: ".NAME.XXXXXXXX.tmp" (tempfile.mkstemp's 8 random characters).
_STALE_TMP = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")
_UNSAFE_NAME = re.compile(r"[^\w.\-]+")


# --- inputs ---------------------------------------------------------------------------------------
@dataclass
class Item:
    """One input of a batch: a file, or one record of a JSON Lines file."""

    source: str  # how messages name it: the normalized path, or "FILE.jsonl:LINE"
    key: str = ""  # its output's path under --out DIR, without extension, '/'-separated
    path: str | None = None  # the file to read; None for a JSON Lines record
    text: str | None = None  # a JSON Lines record's text
    record_id: Any = None  # a JSON Lines record's "id"
    origin: str | None = None  # the JSON Lines file a record came from
    line: int | None = None
    stamp: tuple[int, int] = (0, 0)  # (mtime_ns, size) of the file holding the input
    problem: str | None = None  # why it cannot be used, found while collecting

    @property
    def ident(self) -> str:
        """Identity that survives re-runs (JSON Lines output matches records on it)."""
        if self.origin is None:
            return self.source
        if self.record_id is not None:
            return f"{self.origin}#{self.record_id}"
        return f"{self.origin}:{self.line}"

    def label(self) -> dict:
        """The fields that name this input in a JSON Lines record."""
        if self.origin is None:
            return {"path": self.source}
        label: dict[str, Any] = {}
        if self.record_id is not None:
            label["id"] = self.record_id
        label.update({"input": self.origin, "line": self.line})
        return label


def _stamp(path: str) -> tuple[int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (0, 0)  # reading it will fail with a clear message
    return (st.st_mtime_ns, st.st_size)


def path_key(path: str) -> str:
    """Where an input path's output goes under --out DIR (no extension): the path relative to the
    working directory, with '..' spelled '_up' and outside-absolute paths under '_root', so no input
    name can lead outside DIR."""
    p = os.path.normpath(path)
    if os.path.isabs(p):
        try:
            rel = os.path.relpath(p)
        except ValueError:  # another drive (Windows)
            rel = os.pardir
        if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
            p = rel
        else:
            drive, rest = os.path.splitdrive(p)
            p = os.path.join("_root", drive.strip(":\\/").replace(":", ""), rest.lstrip("\\/"))
    parts = ["_up" if part == os.pardir else part for part in re.split(r"[\\/]", p) if part not in ("", ".")]
    if not parts:
        parts = ["_"]
    stem, _ext = os.path.splitext(parts[-1])
    parts[-1] = stem or parts[-1]
    return "/".join(parts)


def _safe_name(text: str) -> str:
    name = _UNSAFE_NAME.sub("_", text).lstrip(".")[:100]
    return name or "_"


def _matches(name: str, patterns: Sequence[str]) -> bool:
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern) for pattern in patterns)


def collect_inputs(inputs: Sequence[str | os.PathLike] = (), *, globs: Sequence[str] | None = None,
                   jsonl_inputs: Sequence[str | os.PathLike] = (), stdin: BinaryIO | None = None,
                   exclude: Sequence[str | os.PathLike] = ()) -> list[Item]:
    """Expand INPUTs into Items, in a stable order: files as given, directories walked recursively
    (sorted; hidden entries skipped; names matched against *globs*, case-insensitively), '-' = a list of
    paths on *stdin*, then the records of each JSON Lines file ('-' = stdin). Paths under *exclude* (the
    output directory) are never inputs. Unreadable inputs become Items with a .problem."""
    patterns = [g.lower() for g in (globs or DEFAULT_GLOBS)]
    excluded = {os.path.realpath(os.fspath(p)) for p in exclude}
    items: list[Item] = []
    seen: set[str] = set()
    stdin_used = False

    def take_stdin(what: str) -> bytes:
        nonlocal stdin_used
        if stdin_used:
            raise UsageError(f"standard input can be read only once ('-' given twice, {what})")
        stdin_used = True
        stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise UsageError("'-' given but there is no standard input")
        try:
            interactive = stream.isatty()
        except (AttributeError, ValueError):
            interactive = False
        if interactive:
            raise UsageError(f"'-' reads standard input {what}, but it is a terminal: pipe something in")
        return stream.read()

    def add_file(name: str) -> None:
        source = os.path.normpath(name)
        identity = os.path.abspath(source)  # 'a/x.txt', './a/x.txt' and '/cwd/a/x.txt' are one input
        if identity in seen:
            return
        seen.add(identity)
        items.append(Item(source=source, key=path_key(source), path=source, stamp=_stamp(source)))

    def add(name: str) -> None:
        if not os.path.isdir(name):
            add_file(name)  # missing or unreadable: reading it names the problem
            return
        if os.path.realpath(name) in excluded:
            return
        for root, dirs, files in os.walk(name):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and os.path.realpath(os.path.join(root, d)) not in excluded)
            for fname in sorted(files):
                full = os.path.join(root, fname)
                # Only regular files: a FIFO or socket in a tree would block or fail the walk.
                if not fname.startswith(".") and _matches(fname, patterns) and os.path.isfile(full):
                    add_file(full)

    for raw in inputs:
        name = os.fspath(raw)
        if name == "-":
            listing = take_stdin("for a list of paths").decode("utf-8", "surrogateescape")
            for line in listing.splitlines():
                if line.strip():
                    add(line.rstrip("\r"))
        else:
            add(name)
    for raw in jsonl_inputs:
        name = os.fspath(raw)
        if name == "-":
            items.extend(_jsonl_items(take_stdin("for --jsonl-in"), origin="<stdin>", stamp=(0, 0)))
            continue
        try:
            data = Path(name).read_bytes()
        except OSError as err:
            reason = "no such file" if isinstance(err, FileNotFoundError) else (err.strerror or str(err))
            items.append(Item(source=name, key=path_key(name), origin=name, line=0, problem=reason))
            continue
        items.extend(_jsonl_items(data, origin=os.path.normpath(name), stamp=_stamp(name)))
    _resolve_collisions(items)
    return items


def _jsonl_items(data: bytes, *, origin: str, stamp: tuple[int, int]) -> list[Item]:
    base = "stdin" if origin == "<stdin>" else path_key(origin)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [Item(source=origin, key=base, origin=origin, line=0, stamp=stamp,
                     problem="JSON Lines input is not UTF-8")]
    items: list[Item] = []
    first_line: dict[str, int] = {}
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        item = Item(source=f"{origin}:{lineno}", key=f"{base}/line-{lineno}", origin=origin, line=lineno,
                    stamp=stamp)
        items.append(item)
        try:
            obj = json.loads(line)
        except ValueError as err:
            item.problem = f"not a JSON object: {err}"
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            item.problem = 'a JSON Lines record needs a "text" string'
            continue
        rid = obj.get("id")
        if rid is not None and (isinstance(rid, bool) or not isinstance(rid, (str, int))):
            item.problem = '"id" must be a string or an integer'
            continue
        item.text = obj["text"]
        if rid is not None:
            item.record_id = rid
            if str(rid) in first_line:
                item.problem = f"duplicate id {rid!r} (first on line {first_line[str(rid)]})"
                continue
            first_line[str(rid)] = lineno
            item.key = f"{base}/{_safe_name(str(rid))}"
    return items


def _resolve_collisions(items: list[Item]) -> None:
    """Give inputs that would share an output (x.txt and x.html; ids 'a/b' and 'a_b') distinct ones,
    the same way on every run."""
    for attempt in range(2):
        groups: dict[str, list[Item]] = {}
        for item in items:
            groups.setdefault(item.key.casefold(), []).append(item)  # case-insensitive file systems too
        clashes = [group for group in groups.values() if len(group) > 1]
        if not clashes:
            return
        for group in clashes:
            for item in group:
                if attempt == 0 and item.origin is None:
                    item.key = f"{item.key.rsplit('/', 1)[0]}/{Path(item.source).name}" if "/" in item.key \
                        else Path(item.source).name
                else:
                    item.key += "~" + hashlib.sha1(item.ident.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def load(item: Item) -> Document:
    """The Document of an Item (raises InputError naming it)."""
    if item.problem:
        raise InputError(item.problem, source=item.source)
    if item.path is not None:
        return read_path(item.path)
    return read_text(item.text or "", source=item.source)


# --- running one document -------------------------------------------------------------------------
@dataclass
class Output:
    """What one input produced: a file's text (--out DIR) or a record (--out FILE.jsonl)."""

    text: str | None = None
    record: dict | None = None


class Runner:
    """Turns Documents into Outputs for one task; built once per process (models load once)."""

    def __init__(self, task: str, options: dict, fmt: str, jsonl: bool, translator=None) -> None:
        self.task, self.options, self.format, self.jsonl = task, options, fmt, jsonl
        self._translator = translator

    @property
    def translator(self):
        if self._translator is None:
            from .translation import Translator

            opts = {k: self.options[k] for k in ("model", "device", "batch_size", "beams", "script", "backend")
                    if self.options.get(k) is not None}
            if self.task == "summarize":
                opts.pop("model", None)  # summarize's --model is the summary model
            self._translator = Translator(**opts)
        return self._translator

    def render(self, item: Item, data: dict, text: Callable[[], str]) -> Output:
        if self.jsonl:
            return Output(record={**item.label(), **data})
        if self.format == "json":
            return Output(text=json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        out = text()
        return Output(text=out if out.endswith("\n") else out + "\n")

    def one(self, item: Item, doc: Document) -> Output:
        if self.task == "detect":
            from .detect import detect

            found = detect(doc.text)
            if found.language == "und":
                raise InputError("no letters: language undetermined", source=doc.source)
            data = {"path": doc.source, "language": found.language, "script": found.script,
                    "confidence": found.confidence, "encoding": doc.encoding}
            if self.jsonl:
                data.pop("path")
            return self.render(item, data, lambda: found.language)
        if self.task == "summarize":
            from .summarizer import summarize

            opts = self.options
            kwargs = {k: opts[k] for k in ("lang", "max_bullets", "engine", "model", "prompt")
                      if opts.get(k) is not None}
            # A summary in another language needs the translator: one per process, not one per release.
            if opts.get("lang"):
                kwargs["translator"] = self.translator
            summary = summarize(doc.text, **kwargs)
            return self.render(item, summary.to_json(),
                               lambda: summary.to_markdown(bilingual=bool(opts.get("bilingual"))))
        return self.many([item], [doc])[0]

    def many(self, items: list[Item], docs: list[Document]) -> list[Output]:
        """Translate documents together, so that model batches are filled across them."""
        opts = self.options
        results = self.translator.translate_many([d.text for d in docs], to=opts.get("to"),
                                                 source=opts.get("source") or "auto")
        self.passed_through = [item.source for item, r in zip(items, results) if r.passed_through]
        bilingual = bool(opts.get("bilingual"))
        return [self.render(item, result.to_json(), lambda r=result: r.bilingual() if bilingual else r.text)
                for item, result in zip(items, results)]

    def check_source(self, doc: Document) -> None:
        """Raise InputError now for a document the translator cannot take (no letters, another
        language), so that it does not spoil its chunk."""
        check = getattr(self.translator, "source_language", None)
        if check is not None:
            check(doc.text, self.options.get("source") or "auto")


# Worker processes (--jobs N) each build one Runner; the parent writes every output.
_WORKER: Runner | None = None


def _init_worker(task: str, options: dict, fmt: str, jsonl: bool) -> None:
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()
    _WORKER = Runner(task, options, fmt, jsonl)


def _die_with_parent() -> None:
    """A worker whose parent was SIGKILLed would wait forever for work: let the kernel end it too."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:
            os._exit(0)
    except (OSError, AttributeError):
        pass


def _work(job: tuple[int, Item]) -> tuple[int, str, Any]:
    index, item = job
    assert _WORKER is not None
    return (index, *attempt(_WORKER, item))


def _reason(item: Item, err: SummtoolError) -> str:
    return str(err) if err.source else f"{item.source}: {err}"


def attempt(runner: Runner, item: Item) -> tuple[str, Any]:
    """('ok', Output) | ('failed', reason) | ('fatal', error): a bad input never stops the others; a
    missing model or an impossible option stops them all."""
    try:
        return "ok", runner.one(item, load(item))
    except (ModelError, UsageError) as err:  # the same for every input: stop the run
        return "fatal", err
    except SummtoolError as err:
        return "failed", _reason(item, err)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as err:  # a bug on one input must not lose the rest of the batch
        return "failed", f"{item.source}: internal error: {err.__class__.__name__}: {err}"


# --- targets --------------------------------------------------------------------------------------
class _Lock:
    """An exclusive, non-blocking lock, so two runs never write the same target at once."""

    def __init__(self, path: Path, *, remove: bool) -> None:
        self.path, self.remove, self.fd = path, remove, None

    def acquire(self, what: str) -> int:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; run one batch per target
            return self.fd
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            self.fd = None
            raise UsageError(f"another summtool batch is writing {what}; wait for it to finish") from None
        return self.fd

    def release(self, *, unlink: bool | None = None) -> None:
        if self.fd is None:
            return
        if self.remove if unlink is None else unlink:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
        os.close(self.fd)
        self.fd = None


def _remove_stale_temps(directory: Path, names: set[str]) -> None:
    """Remove write_atomic temp files for *names* that a killed run left in *directory*."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        m = _STALE_TMP.match(entry.name)
        if m and m.group("name") in names and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


class DirTarget:
    """--out DIR: one file per input, mirroring the inputs' tree, never outside DIR."""

    def __init__(self, root: str | os.PathLike, ext: str, *, overwrite: bool) -> None:
        self.root, self.ext, self.overwrite = Path(root), ext, overwrite
        self._lock = _Lock(self.root / LOCK_NAME, remove=True)
        self._safe_dirs: set[Path] = set()

    def path_for(self, item: Item) -> Path:
        return self.root.joinpath(*item.key.split("/")).with_name(item.key.rsplit("/", 1)[-1] + self.ext)

    def open(self, items: list[Item]) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise UsageError(f"--out {self.root}: exists and is not a directory (give a directory, "
                             "or a FILE.jsonl)")
        self.root.mkdir(parents=True, exist_ok=True)
        self._real_root = Path(os.path.realpath(self.root))
        self._lock.acquire(str(self.root))
        by_dir: dict[Path, set[str]] = {}
        for item in items:
            target = self.path_for(item)
            by_dir.setdefault(target.parent, set()).add(target.name)
        for directory, names in by_dir.items():
            _remove_stale_temps(directory, names)

    def is_done(self, item: Item) -> bool:
        if self.overwrite or item.problem:
            return False
        target = self.path_for(item)
        try:
            done = target.stat().st_mtime_ns >= item.stamp[0]
            # An "output" that is the input itself is not done: writing it is refused instead.
            return done and not (item.path is not None and os.path.samefile(target, item.path))
        except OSError:
            return False

    def _check_dir(self, directory: Path) -> None:
        """Refuse a directory under DIR that is (or passes through) a link leading elsewhere."""
        if directory in self._safe_dirs:
            return
        real = Path(os.path.realpath(directory))
        if real != self._real_root and self._real_root not in real.parents:
            raise InputError(f"output directory {directory} leads outside {self.root}; not writing there")
        self._safe_dirs.add(directory)

    def write(self, item: Item, output: Output) -> None:
        target = self.path_for(item)
        parent = target.parent
        # Check each level before creating it, so a planted symlink cannot make us create dirs outside.
        chain = [parent, *parent.parents]
        for directory in reversed(chain[: chain.index(self.root) if self.root in chain else len(chain)]):
            if directory in self._safe_dirs:
                continue
            if directory.exists() or directory.is_symlink():
                self._check_dir(directory)
            else:
                directory.mkdir(exist_ok=True)
                self._safe_dirs.add(directory)
        if item.path is not None and target.exists() and os.path.samefile(target, item.path):
            raise InputError("its output would overwrite the input itself; choose another --out",
                             source=item.source)
        write_atomic(target, output.text or "")

    def finish(self, items: list[Item]) -> None:
        pass

    def close(self) -> None:
        self._lock.release()


class JsonlTarget:
    """--out FILE.jsonl: one record per input, in input order, published atomically at the end."""

    def __init__(self, path: str | os.PathLike, fingerprint: dict, *, overwrite: bool) -> None:
        self.path = Path(path)
        self.journal = self.path.with_name(self.path.name + JOURNAL_SUFFIX)
        self.header = json.dumps({"summtool_batch_journal": _JOURNAL_VERSION, **fingerprint},
                                 ensure_ascii=False, sort_keys=True)
        self.overwrite = overwrite
        self.records: dict[str, str] = {}  # ident -> the record's JSON line
        self._lock = _Lock(self.journal, remove=False)
        self._fd: int | None = None

    def open(self, items: list[Item]) -> None:
        if self.path.is_dir():
            raise UsageError(f"--out {self.path}: is a directory")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = self._lock.acquire(str(self.path))
        _remove_stale_temps(self.path.parent, {self.path.name})
        wanted = {item.ident: item for item in items if not item.problem}
        if not self.overwrite:
            self._load_final(wanted)
            self._load_journal(wanted)
        else:
            self._start_journal()

    def _load_final(self, wanted: dict[str, Item]) -> None:
        try:
            mtime = self.path.stat().st_mtime_ns
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return
        for line in lines:
            try:
                record = json.loads(line)
                ident = _record_ident(record)
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
            item = wanted.get(ident)
            if item is not None and mtime >= item.stamp[0]:
                self.records[ident] = _dump(record)

    def _load_journal(self, wanted: dict[str, Item]) -> None:
        data = os.pread(self._fd, os.fstat(self._fd).st_size, 0)
        complete = data[: data.rfind(b"\n") + 1]  # a kill mid-line leaves a torn last line: drop it
        lines = complete.decode("utf-8", "replace").splitlines()
        if not lines or lines[0] != self.header:
            self._start_journal()  # none yet, or another task/options wrote it
            return
        os.ftruncate(self._fd, len(complete))
        for line in lines[1:]:
            try:
                entry = json.loads(line)
                ident, stamp, record = entry["ident"], tuple(entry["stamp"]), entry["record"]
            except (ValueError, KeyError, TypeError):
                continue
            item = wanted.get(ident)
            if item is not None and stamp == tuple(item.stamp):
                self.records[ident] = _dump(record)

    def _start_journal(self) -> None:
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, (self.header + "\n").encode("utf-8"), 0)

    def is_done(self, item: Item) -> bool:
        return not item.problem and item.ident in self.records

    def write(self, item: Item, output: Output) -> None:
        record = output.record or {}
        line = json.dumps({"ident": item.ident, "stamp": list(item.stamp), "record": record}, ensure_ascii=False)
        os.lseek(self._fd, 0, os.SEEK_END)
        os.write(self._fd, (line + "\n").encode("utf-8"))  # one write per complete line
        self.records[item.ident] = _dump(record)

    def finish(self, items: list[Item]) -> None:
        lines = [self.records[item.ident] + "\n" for item in items if not item.problem and item.ident in self.records]
        write_atomic(self.path, "".join(lines))
        self._lock.release(unlink=True)

    def close(self) -> None:
        self._lock.release()  # the journal stays: the next run resumes from it


def _dump(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def _record_ident(record: dict) -> str:
    if "input" in record and "line" in record:
        if record.get("id") is not None:
            return f"{record['input']}#{record['id']}"
        return f"{record['input']}:{record['line']}"
    return record["path"]


# --- the run --------------------------------------------------------------------------------------
@dataclass
class BatchReport:
    """How a batch went. failures: (input, reason) pairs."""

    task: str
    target: str
    total: int = 0
    done: int = 0
    skipped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False  # --fail-fast ended it early
    interrupted: bool = False

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.stopped and not self.interrupted

    def summary(self) -> str:
        text = f"{self.done} done, {self.skipped} skipped, {self.failed} failed in {self.seconds:.1f}s"
        if self.interrupted:
            text += f"; interrupted with {self.total - self.done - self.skipped - self.failed} left: rerun to resume"
        elif self.stopped:
            text += f"; stopped at the first failure with {self.total - self.done - self.skipped - self.failed} left"
        return text


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C during a batch; .report tells what was finished (and kept) before it."""

    def __init__(self, report: BatchReport) -> None:
        super().__init__()
        self.report = report


class _Progress:
    """A rich progress bar on stderr (files, sentences for translation, rate, ETA), or nothing."""

    def __init__(self, enabled: bool, task: str, total: int) -> None:
        self.bar = None
        if not enabled or total == 0:
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        columns = [TextColumn(f"{task}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                   TextColumn("{task.fields[rate]}")]
        if task == "translate":
            columns.append(TextColumn("{task.fields[sentences]} sentences"))
        columns += [TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn()]
        self.bar = Progress(*columns, console=Console(stderr=True), transient=False)
        self.task_id = self.bar.add_task(task, total=total, sentences=0, rate="")
        self.started = time.perf_counter()
        self.files = 0
        self.sentences = 0
        self.bar.start()

    def advance(self, files: int = 1, sentences: int = 0) -> None:
        if self.bar is None:
            return
        self.files += files
        self.sentences += sentences
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        self.bar.update(self.task_id, advance=files, sentences=self.sentences,
                        rate=f"{self.files / elapsed:.1f} files/s")

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _count_sentences(text: str) -> int:
    from .text import paragraphs, sentences

    return sum(len(sentences(p.text)) for p in paragraphs(text))


def run_batch(task: str, inputs: Sequence[str | os.PathLike] = (), out: str | os.PathLike = "", *,
              jsonl_in: Sequence[str | os.PathLike] = (), globs: Sequence[str] | None = None,
              format: str | None = None, options: dict | None = None, overwrite: bool = False,
              fail_fast: bool = False, jobs: int = 1, chunk_size: int = CHUNK_DOCUMENTS,
              stdin: BinaryIO | None = None, progress: bool = False,
              on_failure: Callable[[str, str], None] | None = None,
              on_warning: Callable[[str], None] | None = None, translator=None) -> BatchReport:
    """Run *task* ('detect', 'translate' or 'summarize') over many inputs into *out*: a directory, or a
    file ending in .jsonl. *options* are the task's keyword options (translate: to, source, model, device,
    batch_size, beams, script, backend; summarize: lang, max_bullets, engine, model, prompt, bilingual).
    Re-running resumes (see the module docstring). Returns a BatchReport; raises UsageError for impossible
    requests, ModelError when the task's model cannot load, BatchInterrupted on Ctrl-C.
    *translator*: a summtool.Translator to reuse (translate; summaries in another language)."""
    if task not in TASKS:
        raise UsageError(f"unknown task {task!r}: choose one of {', '.join(TASKS)}")
    options = {k: v for k, v in (options or {}).items() if v is not None}
    unknown = set(options) - TASK_OPTIONS[task]
    if unknown:
        raise UsageError(f"{task} has no option(s) {', '.join(sorted(unknown))}")
    if not out:
        raise UsageError("give an output: --out DIR or --out FILE.jsonl")
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    out_path = Path(out)
    jsonl = out_path.suffix.lower() == ".jsonl" and not out_path.is_dir()
    formats = FORMATS[task]
    if jsonl and format not in (None, "json"):
        raise UsageError(f"--out {out} writes JSON records; --format {format} needs --out DIR")
    fmt = format or next(iter(formats))
    if fmt not in formats:
        raise UsageError(f"{task} writes --format {' or '.join(formats)}, not {fmt}")

    started = time.perf_counter()
    items = collect_inputs(inputs, globs=globs, jsonl_inputs=jsonl_in, stdin=stdin,
                           exclude=[] if jsonl else [out_path])
    if jsonl and any(os.path.normpath(os.fspath(p)) == os.path.normpath(out_path) for p in jsonl_in):
        raise UsageError(f"--out {out} is also an input")
    if not items:
        if inputs or jsonl_in:
            raise InputError(f"no inputs: no file matched {' '.join(globs or DEFAULT_GLOBS)}")
        raise UsageError("no inputs: give files, directories, '-' (paths on stdin) or --jsonl-in FILE")
    report = BatchReport(task=task, target=os.fspath(out), total=len(items))
    target: DirTarget | JsonlTarget
    if jsonl:
        target = JsonlTarget(out_path, {"task": task, "options": options}, overwrite=overwrite)
    else:
        target = DirTarget(out_path, formats[fmt], overwrite=overwrite)
    runner = Runner(task, options, fmt, jsonl, translator=translator)
    pool = None
    bar: _Progress | None = None
    try:
        target.open(items)
        pending = [item for item in items if not target.is_done(item)]
        report.skipped = len(items) - len(pending)
        if task != "translate" and jobs > 1 and len(pending) > 1:
            pool = _make_pool(min(jobs, len(pending)), task, options, fmt, jsonl)  # before any thread starts
        bar = _Progress(progress, task, len(pending))

        def record(item: Item, status: str, payload: Any, sentences: int = 0) -> bool:
            """Write or report one outcome; False when the run must stop."""
            if status == "ok":
                try:
                    target.write(item, payload)
                    report.done += 1
                except SummtoolError as err:
                    status, payload = "failed", str(err)
                except OSError as err:
                    status, payload = "failed", f"{item.source}: cannot write its output: {err.strerror or err}"
            if status == "fatal":
                raise payload
            if status == "failed":
                report.failures.append((item.source, payload))
                if on_failure:
                    on_failure(item.source, payload)
            bar.advance(1, sentences)
            if status == "failed" and fail_fast:
                report.stopped = True
                return False
            return True

        if task == "translate":
            _run_translate(runner, pending, chunk_size, record, progress, on_warning)
        elif pool is not None:
            chunksize = max(1, min(16, len(pending) // (jobs * 8)))
            for index, status, payload in pool.imap_unordered(_work, enumerate(pending), chunksize=chunksize):
                if not record(pending[index], status, payload):
                    break
        else:
            for item in pending:
                if not record(item, *attempt(runner, item)):
                    break
        if not report.stopped:
            target.finish(items)
    except KeyboardInterrupt:
        report.interrupted = True
        report.seconds = time.perf_counter() - started
        raise BatchInterrupted(report) from None
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        if bar is not None:
            bar.stop()
        target.close()
    report.seconds = time.perf_counter() - started
    return report


def _make_pool(jobs: int, task: str, options: dict, fmt: str, jsonl: bool):
    import multiprocessing

    # fork starts workers in milliseconds; the parent has loaded no model and started no thread yet.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method).Pool(jobs, initializer=_init_worker,
                                                    initargs=(task, options, fmt, jsonl))


def _chunks(items: list[Item], size: int) -> Iterator[list[Item]]:
    for start in range(0, len(items), max(1, size)):
        yield items[start:start + max(1, size)]


def _run_translate(runner: Runner, pending: list[Item], chunk_size: int, record: Callable[..., bool],
                   progress: bool, on_warning: Callable[[str], None] | None) -> None:
    """One Translator for the run; documents go to translate_many a chunk at a time, so sentences are
    batched across documents, memory stays bounded, and a killed run loses at most one chunk."""
    warned = 0
    for chunk in _chunks(pending, chunk_size):
        ready: list[tuple[Item, Document]] = []
        for item in chunk:
            try:
                doc = load(item)
                runner.check_source(doc)
                ready.append((item, doc))
            except (ModelError, UsageError):
                raise
            except SummtoolError as err:
                if not record(item, "failed", _reason(item, err)):
                    return
        if not ready:
            continue
        items, docs = [i for i, _ in ready], [d for _, d in ready]
        try:
            outputs: list[tuple[str, Any]] = [("ok", o) for o in runner.many(items, docs)]
        except (ModelError, UsageError):
            raise
        except SummtoolError:
            # One document spoiled the chunk (e.g. no language to translate from): find it, keep the rest.
            outputs = []
            for item, doc in ready:
                try:
                    outputs.append(("ok", runner.many([item], [doc])[0]))
                except (ModelError, UsageError):
                    raise
                except SummtoolError as err:
                    outputs.append(("failed", _reason(item, err)))
        if on_warning:
            for note in getattr(runner.translator, "notes", ())[warned:]:
                on_warning(note)
            warned = len(getattr(runner.translator, "notes", ()))
            for source in getattr(runner, "passed_through", ()):
                on_warning(f"{source}: already in the target language; passed through unchanged")
        for (item, doc), (status, payload) in zip(ready, outputs):
            if not record(item, status, payload, _count_sentences(doc.text) if progress else 0):
                return
