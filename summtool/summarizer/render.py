"""Markdown rendering of a Summary."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from . import Summary

_LABELS = {
    "en": {"date": "Date", "organizer": "Organizer", "location": "Location", "officials": "Officials",
           "attendance": "Attendance", "none": "(no key points found)"},
    "zh": {"date": "日期", "organizer": "主办", "location": "地点", "officials": "出席领导", "attendance": "参会",
           "none": "（未找到要点）"},
}


def _facts_block(meeting: dict, lang: str) -> list[str]:
    labels = _LABELS["zh" if lang.startswith("zh") else "en"]
    sep = "：" if lang.startswith("zh") else ": "
    out = []
    for key in ("date", "organizer", "location"):
        if meeting.get(key):
            out.append(f"**{labels[key]}**{sep}{meeting[key]}")
    officials = meeting.get("officials") or []
    if officials:
        def one(o: dict) -> str:
            role = o.get("role")
            if not role:
                return o["name"]
            return f"{o['name']}（{role}）" if lang.startswith("zh") else f"{o['name']} ({role})"
        joiner = "；" if lang.startswith("zh") else "; "
        out.append(f"**{labels['officials']}**{sep}{joiner.join(one(o) for o in officials)}")
    if meeting.get("attendance"):
        out.append(f"**{labels['attendance']}**{sep}{meeting['attendance']}")
    # two trailing spaces: a Markdown line break, so the block stays compact
    return [line + "  " for line in out[:-1]] + out[-1:]


def _sentence_case(text: str) -> str:
    """A bullet cut from mid-sentence ("called on local authorities to ...") opens with a capital letter in
    Markdown, as a list item does; the JSON keeps the source's exact characters."""
    return text[:1].upper() + text[1:]


def markdown(summary: "Summary", *, bilingual: bool = False) -> str:
    """A short block of meeting facts, then one '- ' bullet per key point in document order."""
    lines: list[str] = []
    if summary.kind == "meeting":
        lines += _facts_block(summary.meeting, summary.language)
        if bilingual and summary.source_meeting is not None:
            source = _facts_block(summary.source_meeting, summary.source_language or "")
            if source:
                lines += [""] + source
        if lines:
            lines.append("")
    if not summary.key_points:
        lines.append(_LABELS["zh" if summary.language.startswith("zh") else "en"]["none"])
    for point in summary.key_points:
        lines.append(f"- {_sentence_case(point['text'])}")
        if bilingual and point.get("source_text"):
            lines.append(f"  ({point['source_text']})")
    return "\n".join(lines) + "\n"
