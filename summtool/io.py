"""Read inputs (paths, '-', stdin), decode their bytes, reduce HTML to text, write outputs atomically."""
from __future__ import annotations

import codecs
import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator, Sequence

from .errors import InputError, UsageError

STDIN_NAME = "<stdin>"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy Chinese encodings are decoded with their supersets, so that a page labelled GB2312 but
# containing a GBK-only character (common on government sites) still decodes.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}
_HTML_SNIFF = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Elements whose text is never part of the release itself.
_CHROME_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
                "iframe", "svg", "button", "select")


@dataclass(frozen=True)
class Document:
    """One input release: its text and where it came from."""

    text: str
    source: str  # the path as given, or "<stdin>"
    encoding: str
    html: bool = False

    @property
    def path(self) -> Path | None:
        return None if self.source == STDIN_NAME else Path(self.source)


def _codec_name(name: str) -> str:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return name
    return _SUPERSETS.get(canonical, canonical)


def decode_bytes(data: bytes, *, source: str = STDIN_NAME) -> tuple[str, str]:
    """Decode *data*, returning (text, encoding). Raises InputError for binary or undecodable bytes."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name.replace("-sig", "") if name == "utf-8-sig" else name
            except UnicodeDecodeError:
                raise InputError(f"not valid {name} text although it starts with a {name} byte-order mark",
                                 source=source) from None
    if b"\x00" in data:
        raise InputError("binary data, not a text release", source=source)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _HTML_SNIFF.match(data[:2048]):
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            name = _codec_name(declared.group(1).decode("ascii", "replace"))
            try:
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                pass  # the declaration lies; fall back to detection
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError("cannot decode: not text in a known encoding", source=source)
    name = _codec_name(best.encoding)
    try:
        return data.decode(name), name
    except (LookupError, UnicodeDecodeError):
        return str(best), best.encoding


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:4096] if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    return controls > max(2, len(text[:4096]) // 100)


def is_html(data_or_text: bytes | str, name: str = "") -> bool:
    """True when the input is a saved web page rather than plain text."""
    if name.lower().endswith((".html", ".htm", ".xhtml", ".shtml")):
        return True
    head = data_or_text[:2048]
    if isinstance(head, str):
        head = head.encode("utf-8", "ignore")
    return bool(_HTML_SNIFF.match(head))


def html_to_text(markup: str) -> str:
    """Title and paragraphs of a saved release page, one paragraph per blank-line-separated block."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(_CHROME_TAGS):
        tag.decompose()
    title = ""
    heading = soup.find(["h1"])
    if heading and heading.get_text(strip=True):
        title = heading.get_text(" ", strip=True)
    elif soup.title and soup.title.get_text(strip=True):
        title = soup.title.get_text(" ", strip=True)
    body = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = []
    for el in body.find_all(["p", "h2", "h3", "h4", "li", "blockquote"]):
        if el.find(["p", "li"]):  # a container; its children are taken on their own
            continue
        text = " ".join(el.get_text(" ", strip=True).split()) if _is_latin(el) else el.get_text("", strip=True)
        if text and text != title:
            blocks.append(text)
    if not blocks:  # markup without paragraphs: fall back to its lines of text
        blocks = [line.strip() for line in body.get_text("\n").splitlines() if line.strip()]
        if blocks and blocks[0] == title:
            blocks = blocks[1:]
    return "\n\n".join([title] + blocks if title else blocks)


def _is_latin(el) -> bool:
    text = el.get_text("", strip=True)
    return not any("\u3400" <= ch <= "\u9fff" for ch in text[:200])


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def document_from_bytes(data: bytes, *, source: str = STDIN_NAME) -> Document:
    """Decode and clean one input the way every command sees it."""
    text, encoding = decode_bytes(data, source=source)
    if _looks_binary(text):
        raise InputError("binary data, not a text release", source=source)
    html = is_html(text, source)
    if html:
        text = html_to_text(text)
    text = normalize_newlines(text).lstrip("\ufeff")
    if not text.strip():
        raise InputError("empty input: no text to work on", source=source)
    return Document(text=text, source=source, encoding=encoding, html=html)


def read_path(path: str | os.PathLike[str]) -> Document:
    """Read one file the way the CLI does; errors name the path."""
    name = os.fspath(path)
    p = Path(name)
    if p.is_dir():
        raise InputError("is a directory, not a file", source=name)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", source=name) from None
    except PermissionError:
        raise InputError("permission denied", source=name) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", source=name) from None
    return document_from_bytes(data, source=name)


def read_stdin(stream: BinaryIO | None = None) -> Document:
    stream = stream if stream is not None else sys.stdin.buffer
    return document_from_bytes(stream.read(), source=STDIN_NAME)


def read_text(text: str, *, source: str = STDIN_NAME) -> Document:
    """A Document from text already in memory (the Python API's entry point)."""
    if is_html(text, source):
        text = html_to_text(text)
    text = normalize_newlines(text).lstrip("\ufeff")
    if not text.strip():
        raise InputError("empty input: no text to work on", source=source)
    return Document(text=text, source=source, encoding="utf-8", html=False)


def iter_documents(paths: Sequence[str], stdin: BinaryIO | None = None, *,
                   stdin_is_tty: bool | None = None) -> Iterator[Document | InputError]:
    """Yield each input as a Document, or the InputError that stopped it (so one bad file does not
    hide the others). No paths means stdin, which must not be a terminal."""
    if stdin is None:
        stdin = sys.stdin.buffer if sys.stdin is not None else None
    if not paths:
        if stdin is None or (stdin_is_tty if stdin_is_tty is not None else _isatty(stdin)):
            raise UsageError("no input: give a file path, or pipe text in (e.g. `cat release.txt | summtool ...`)")
        paths = ["-"]
    stdin_used = False
    for name in paths:
        try:
            if name == "-":
                if stdin_used:
                    raise InputError("stdin ('-') can be read only once", source=STDIN_NAME)
                stdin_used = True
                if stdin is None:
                    raise InputError("no standard input to read", source=STDIN_NAME)
                yield read_stdin(stdin)
            else:
                yield read_path(name)
        except InputError as err:
            yield err


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def write_atomic(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> None:
    """Write *text* to *path* so that readers see the old file or the whole new one, never a part."""
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
