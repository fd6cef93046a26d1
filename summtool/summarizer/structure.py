"""A release's layout: title, body paragraphs and sentences with spans, in a script-folded working copy."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import Span, paragraphs, sentences
from .hanzi import fold

_TITLE_END = re.compile(r"[。！？!?；;]\s*$|[.]\s*$")


@dataclass
class Sentence:
    """One sentence of the body: its span in the source, paragraph and sentence numbers."""

    span: Span
    para: int  # index among paragraphs(text), the title counting as paragraph 0 when there is one
    index: int  # index of the sentence inside its paragraph


@dataclass
class Layout:
    """What the summarizer works on: the source, a folded copy of equal length, and its parts."""

    text: str
    folded: str
    lang: str
    title: Span | None
    body: list[Span] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def body_chars(self) -> int:
        return sum(p.end - p.start for p in self.body)


def _looks_like_title(first: Span, rest: list[Span], lang: str) -> bool:
    if not rest or "\n" in first.text:
        return False
    limit = 80 if lang == "zh" else 320
    return len(first.text) <= limit and not (_TITLE_END.search(first.text) and len(first.text) > limit // 2)


def layout(text: str, lang: str) -> Layout:
    """Split *text* into title, paragraphs and sentences; *lang* is 'zh' or 'en'."""
    folded = fold(text) if lang == "zh" else text
    paras = paragraphs(text)
    title = None
    if paras and _looks_like_title(paras[0], paras[1:], lang):
        title = paras[0]
        body = paras[1:]
        first_index = 1
    else:
        body = paras
        first_index = 0
    out = Layout(text=text, folded=folded, lang=lang, title=title, body=body)
    for pi, para in enumerate(body, start=first_index):
        # A hard line break inside a paragraph ends a sentence too (transcripts, lists).
        pos = para.start
        for line in para.text.split("\n"):
            for sent in sentences(folded[pos:pos + len(line)], lang, offset=pos):
                out.sentences.append(Sentence(Span(text[sent.start:sent.end], sent.start, sent.end), pi, 0))
            pos += len(line) + 1
    counters: dict[int, int] = {}
    for s in out.sentences:
        s.index = counters.get(s.para, 0)
        counters[s.para] = s.index + 1
    return out
