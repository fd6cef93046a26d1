"""Key-point summaries of meeting releases: summarize(text) -> Summary (rules engine, or a local model)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, UsageError

__all__ = ["summarize", "Summary"]

ENGINES = ("rules", "model")


@dataclass
class Summary:
    """A release's summary: language, kind ("meeting"|"other"), meeting facts and key points.

    key_points: [{"text", "paragraph", "sentence", "start", "end", "spans", "joiners"}]: the text (or
    "source_text" when the summary was translated) is the source's spans [[a, b], ...] with joiners[i] between
    span i and span i+1: "；" (zh) or "; " (en) between the pieces of a composed topic bullet; where a bullet
    leaves out words the facts block already gives (a title before a name, the date, 在重要讲话中) " " in
    English ("" before a comma) and "" in Chinese. A single span for most bullets; start/end run from the first span's start to the last one's
    end. paragraph counts the title as paragraph 0. (The model engine gives no "spans".)
    """

    language: str
    kind: str
    meeting: dict
    key_points: list[dict]
    source_language: str = ""
    engine: str = "rules"
    source_meeting: dict | None = None
    extra: dict = field(default_factory=dict)

    @property
    def translated(self) -> bool:
        return self.source_meeting is not None

    def to_json(self) -> dict[str, Any]:
        """The issue's JSON shape (plus source_language, engine, and source_meeting when translated)."""
        out: dict[str, Any] = {"language": self.language, "source_language": self.source_language,
                               "kind": self.kind, "engine": self.engine, "meeting": self.meeting,
                               "key_points": self.key_points}
        if self.source_meeting is not None:
            out["source_meeting"] = self.source_meeting
        return out

    def to_markdown(self, *, bilingual: bool = False) -> str:
        from .render import markdown

        return markdown(self, bilingual=bilingual)


def _language(text: str, lang_hint: str | None = None) -> tuple[str, str]:
    """(working language 'zh'|'en', detected code) of a release."""
    from ..detect import detect

    found = detect(text)
    if found.language == "und":
        raise InputError("no letters: language undetermined, nothing to summarize")
    if found.is_chinese:
        return "zh", found.language
    if found.language == "en":
        return "en", "en"
    from ..text import is_cjk_text

    if is_cjk_text(text):
        return "zh", found.language
    raise InputError(f"language '{found.language}' is not supported: summaries read Chinese or English releases")


def summarize(text: str, *, lang: str | None = None, max_bullets: int | None = None, engine: str = "rules",
              model: str | None = None, prompt: str | None = None, translator=None) -> Summary:
    """Summarize one release. *lang*: the summary's language ('zh' or 'en'; None = the release's own);
    when it differs, bullets and facts are translated (with *translator*, or a new Translator)."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}': choose one of {', '.join(ENGINES)}")
    if lang not in (None, "zh", "en"):
        raise UsageError(f"--lang must be 'zh' or 'en', not '{lang}'")
    if max_bullets is not None and max_bullets < 1:
        raise UsageError("--max-bullets must be at least 1")
    if text is None or not text.strip():
        raise InputError("empty input: nothing to summarize")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    work_lang, code = _language(text)

    from . import rules
    from .facts import extract
    from .structure import layout

    lay = layout(text, work_lang)
    kind = rules.classify(lay)
    meeting = extract(lay) if kind == "meeting" else _empty_meeting()
    if engine == "model":
        from .model import model_points

        points = model_points(lay, model=model, prompt=prompt, lang=work_lang, max_bullets=max_bullets)
    else:
        points = rules.key_points(lay, kind, max_bullets=max_bullets, meeting=meeting if kind == "meeting" else None)
    summary = Summary(language=work_lang, kind=kind, meeting=meeting, key_points=points, source_language=code,
                      engine=engine)
    if lang is not None and lang != work_lang:
        _translate(summary, lang, translator)
    return summary


def _empty_meeting() -> dict:
    return {"date": None, "organizer": None, "location": None, "officials": [], "attendance": None}


def _translate(summary: Summary, target: str, translator) -> None:
    """Translate bullets and facts into *target*, keeping the source text next to each."""
    import copy

    if translator is None:
        from ..translation import Translator

        translator = Translator()
    summary.extra["translator"] = translator  # the CLI reuses it for the next release
    meeting = summary.meeting
    pieces: list[str] = [p["text"] for p in summary.key_points]
    slots: list[tuple] = []
    for key in ("date", "organizer", "location", "attendance"):
        if meeting.get(key):
            slots.append((key,))
            pieces.append(meeting[key])
    for i, off in enumerate(meeting.get("officials") or []):
        for key in ("name", "role"):
            if off.get(key):
                slots.append(("officials", i, key))
                pieces.append(off[key])
    out = translator.translate_segments(pieces, source=summary.language, target=target) if pieces else []
    n = len(summary.key_points)
    for point, translated in zip(summary.key_points, out[:n]):
        point["source_text"] = point["text"]
        point["text"] = translated
    summary.source_meeting = copy.deepcopy(meeting)
    for slot, translated in zip(slots, out[n:]):
        if slot[0] == "officials":
            meeting["officials"][slot[1]][slot[2]] = translated
        else:
            meeting[slot[0]] = translated
    summary.language = target
