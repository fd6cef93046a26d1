"""summtool batch summarize: the same summaries as the single-document API, many at a time."""
from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from summtool.batch import run_batch
from summtool.cli import app

from conftest import DATA, read_release


runner = CliRunner()
NAMES = ["en_01", "en_08", "zh_02", "zh_09", "zh_05", "pair_02.zh"]


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in" / "zh").mkdir(parents=True)
    for name in NAMES:
        folder = tmp_path / "in" / ("zh" if "zh" in name else "")
        shutil.copy(DATA / f"{name}.txt", folder / f"{name}.txt")
    return tmp_path


def test_batch_json_equals_single_document_api(corpus):
    from summtool.summarizer import summarize
    report = run_batch("summarize", ["in"], "out", format="json", options={"max_bullets": 5}, jobs=2)
    assert report.ok and report.done == len(NAMES)
    for name in NAMES:
        rel = ("zh/" if "zh" in name else "") + name
        got = json.loads((corpus / "out" / "in" / f"{rel}.json").read_text(encoding="utf-8"))
        assert got == summarize(read_release(f"{name}.txt"), max_bullets=5).to_json()
        assert len(got["key_points"]) <= 5
    kinds = {json.loads(p.read_text(encoding="utf-8"))["kind"] for p in (corpus / "out").rglob("*.json")}
    assert kinds == {"meeting", "other"}  # zh_05 is statistics, not a meeting


def test_batch_markdown_by_default_and_jsonl(corpus):
    from summtool.summarizer import summarize
    result = runner.invoke(app, ["batch", "summarize", "in", "--out", "md", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    md = (corpus / "md" / "in" / "en_08.md").read_text(encoding="utf-8")
    expected = summarize(read_release("en_08.txt")).to_markdown()
    assert md.rstrip("\n") == expected.rstrip("\n") and "- " in md
    jl = runner.invoke(app, ["batch", "summarize", "in", "--out", "all.jsonl", "--max-bullets", "3"])
    assert jl.exit_code == 0, jl.output
    records = [json.loads(line) for line in (corpus / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["path"] for r in records] == ["in/en_01.txt", "in/en_08.txt", "in/zh/pair_02.zh.txt",
                                            "in/zh/zh_02.txt", "in/zh/zh_05.txt", "in/zh/zh_09.txt"]
    assert all(len(r["key_points"]) <= 3 and r["language"] for r in records)


def test_batch_summarize_bad_input_and_resume(corpus):
    (corpus / "in" / "empty.txt").write_text("  \n", encoding="utf-8")
    first = runner.invoke(app, ["batch", "summarize", "in", "--out", "out", "-f", "json"])
    assert first.exit_code == 1 and "in/empty.txt" in first.stderr
    assert f"{len(NAMES)} done, 0 skipped, 1 failed" in first.stderr
    second = runner.invoke(app, ["batch", "summarize", "in", "--out", "out", "-f", "json"])
    assert f"0 done, {len(NAMES)} skipped, 1 failed" in second.stderr


def test_an_impossible_option_stops_the_run_as_a_usage_error(corpus):
    result = runner.invoke(app, ["batch", "summarize", "in", "--out", "out", "--lang", "fr"])
    assert result.exit_code == 2 and "--lang" in result.stderr and "Traceback" not in result.output
    assert result.stderr.count("error:") == 1 and not list((corpus / "out").rglob("*.md"))
