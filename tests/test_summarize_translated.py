"""Summaries in the other language: bullets and facts go through the real translation engine (tiny
random Marian models built at test time, loaded like the opus-mt ones)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from summtool import summarize
from summtool.cli import app
from summtool.summarizer.rules import join_spans
from summtool.translation import Translator

from conftest import DATA, read_release

runner = CliRunner()


def pieces_of(point: dict, source: str) -> str:
    lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in point["source_text"]) else "en"
    return join_spans(source, point["spans"], lang)


@pytest.mark.parametrize("name, lang, direction", [("zh_09.txt", "en", "zh-en"), ("en_05.txt", "zh", "en-zh")])
def test_bullets_and_facts_are_translated_and_keep_their_source(tiny_models, name, lang, direction):
    source = read_release(name)
    original = summarize(source)
    translator = Translator(model=str(tiny_models[direction]))
    seen: list[int] = []
    translator.on_batch = lambda call: seen.append(len(call["texts"]))
    summary = summarize(source, lang=lang, translator=translator)

    assert summary.language == lang and summary.source_language == original.source_language
    assert len(summary.key_points) == len(original.key_points)
    for before, after in zip(original.key_points, summary.key_points):
        # the translation sits in "text"; the source bullet, still traceable to its spans, in "source_text"
        assert after["source_text"] == before["text"] == pieces_of(after, source)
        assert isinstance(after["text"], str) and after["text"].strip()
        assert (after["start"], after["end"]) == (before["start"], before["end"])
    assert summary.source_meeting == original.meeting
    assert [o["name"] for o in summary.source_meeting["officials"]] == \
        [o["name"] for o in original.meeting["officials"]]
    # every bullet and every fact reached the model (one segment each, at least)
    facts = sum(1 for k in ("date", "organizer", "location", "attendance") if original.meeting.get(k))
    facts += sum(bool(o.get("name")) + bool(o.get("role")) for o in original.meeting["officials"])
    assert sum(seen) >= len(original.key_points) + facts
    as_json = summary.to_json()
    assert all({"text", "source_text", "start", "end"} <= set(p) for p in as_json["key_points"])


def test_same_language_needs_no_translator_and_never_imports_torch():
    code = ("import sys, summtool; s = summtool.summarize(sys.stdin.read(), lang='zh');"
            "assert not any('source_text' in p for p in s.key_points);"
            "print('torch' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], input=read_release("zh_04.txt"), capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_cli_lang_json_and_bilingual_markdown(tiny_models, monkeypatch):
    monkeypatch.setenv("SUMMTOOL_MODEL_ZH_EN", str(tiny_models["zh-en"]))
    path = str(DATA / "zh_08.txt")
    result = runner.invoke(app, ["summarize", "--lang", "en", "-f", "json", path])
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert obj["language"] == "en" and obj["source_language"] == "zh-Hant"
    assert obj["key_points"] and all(p["source_text"] for p in obj["key_points"])

    result = runner.invoke(app, ["summarize", "--lang", "en", "--bilingual", path])
    assert result.exit_code == 0, result.output
    for point in obj["key_points"]:
        assert f"  ({point['source_text']})" in result.stdout.splitlines()


def test_cli_lang_in_a_real_process_with_the_model_from_the_environment(tiny_models):
    env = {**os.environ, "SUMMTOOL_MODEL_EN_ZH": str(tiny_models["en-zh"])}
    proc = subprocess.run([sys.executable, "-m", "summtool", "summarize", "--lang", "zh", "-f", "json", "-"],
                          input=read_release("en_02.txt"), capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout)
    assert obj["language"] == "zh" and obj["source_language"] == "en"
    assert all(p["source_text"] in read_release("en_02.txt") for p in obj["key_points"]
               if len(p["spans"]) == 1)


def test_cli_lang_without_a_downloaded_model_is_one_clear_error():
    result = runner.invoke(app, ["summarize", "--lang", "en", str(DATA / "zh_02.txt")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Helsinki-NLP/opus-mt-zh-en" in result.stderr and "summtool models download" in result.stderr
    assert "Traceback" not in result.output
