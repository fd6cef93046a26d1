"""Paragraphs, sentences and clauses of Chinese and English text, each with its character span."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator


@dataclass(frozen=True)
class Span:
    """A piece of a text and where it lies: text == source[start:end]."""

    text: str
    start: int
    end: int


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_BLANK_LINES = re.compile(r"\n[ \t\u3000]*\n\s*")

# zh sentences end at these marks, together with any closing quotes or brackets right after them.
_ZH_END = re.compile(r"(?:……|…|[。！？；!?;])[”’」』）)】》\"']*")
# en: a terminal mark, closing quotes/brackets, then whitespace before what starts a new sentence.
_EN_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9\u4e00-\u9fff])|[.!?]+[\"'”’)\]]*(?=\s*$)")
_EN_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "lt", "col", "capt", "gov", "sen", "rep",
    "rev", "hon", "pres", "vs", "no", "nos", "art", "fig", "vol", "p", "pp", "co", "corp", "inc", "ltd",
    "dept", "govt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "e.g", "i.e", "approx", "est", "u.s", "u.k", "u.n", "e.u", "p.r.c", "a.m", "p.m", "mt", "ft",
}
_EN_TOKEN_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_ZH_CLAUSE = re.compile(r"[，、；：,;:]")
_EN_CLAUSE = re.compile(r"(?:[,;:](?=\s))|(?:\s[-–—]{1,2}\s)")


def is_cjk_text(text: str) -> bool:
    """True when CJK characters make up a fair share of the letters: split it the Chinese way."""
    cjk = len(_CJK.findall(text))
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return cjk > 0 and cjk * 4 >= latin


def _lang_is_zh(text: str, lang: str | None) -> bool:
    if lang is None or lang == "auto":
        return is_cjk_text(text)
    return lang.startswith("zh")


def _strip_span(text: str, start: int, end: int, offset: int) -> Span | None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece.rstrip())
    if trail <= lead:
        return None
    return Span(piece[lead:trail], offset + start + lead, offset + start + trail)


def paragraphs(text: str) -> list[Span]:
    """Blocks separated by blank lines (a line break inside a block stays inside its paragraph)."""
    spans, pos = [], 0
    for m in _BLANK_LINES.finditer(text):
        span = _strip_span(text, pos, m.start(), 0)
        if span:
            spans.append(span)
        pos = m.end()
    span = _strip_span(text, pos, len(text), 0)
    if span:
        spans.append(span)
    return spans


def lines(text: str) -> list[Span]:
    """Non-blank lines of *text*."""
    spans, pos = [], 0
    for line in text.split("\n"):
        span = _strip_span(text, pos, pos + len(line), 0)
        if span:
            spans.append(span)
        pos += len(line) + 1
    return spans


def _cut(text: str, ends: Iterator[int], offset: int) -> list[Span]:
    spans, pos = [], 0
    for end in ends:
        span = _strip_span(text, pos, end, offset)
        if span:
            spans.append(span)
        pos = end
    span = _strip_span(text, pos, len(text), offset)
    if span:
        spans.append(span)
    return spans


def _en_sentence_ends(text: str) -> Iterator[int]:
    for m in _EN_END.finditer(text):
        if text[m.start()] == ".":
            before = _EN_TOKEN_BEFORE.search(text, 0, m.start())
            if before:
                word = before.group(1).lower().rstrip(".")
                if word in _EN_ABBREV or (len(word) == 1 and word.isalpha()):
                    continue  # "Sept. 4", "U.S. President", "Donald J. Trump", "No. 1"
        yield m.end()


def sentences(text: str, lang: str | None = None, *, offset: int = 0) -> list[Span]:
    """Sentences of one paragraph, spans counted from *offset*. lang: 'zh...', 'en' or None to guess."""
    if _lang_is_zh(text, lang):
        ends = (m.end() for m in _ZH_END.finditer(text))
    else:
        ends = _en_sentence_ends(text)
    return _cut(text, ends, offset)


def clauses(text: str, lang: str | None = None, *, offset: int = 0) -> list[Span]:
    """Clauses of one sentence, cut after commas, enumeration commas, semicolons, colons and dashes."""
    pattern = _ZH_CLAUSE if _lang_is_zh(text, lang) else _EN_CLAUSE
    return _cut(text, (m.end() for m in pattern.finditer(text)), offset)
