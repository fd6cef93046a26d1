"""summtool batch translate: one Translator per run, sentences batched across documents, chunked resume."""
from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from summtool.batch import run_batch
from summtool.translation import Translator
from summtool.cli import app

from conftest import DATA, read_release


runner = CliRunner()
ZH = ["zh_02", "zh_08", "zh_09", "pair_03.zh", "zh_04"]


@pytest.fixture
def zh_en_model(tiny_models):
    return tiny_models["zh-en"]


@pytest.fixture
def corpus(tmp_path, monkeypatch, tiny_models, ct2_home):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SUMMTOOL_MODEL_ZH_EN", str(tiny_models["zh-en"]))
    monkeypatch.setenv("SUMMTOOL_MODEL_EN_ZH", str(tiny_models["en-zh"]))
    monkeypatch.setenv("SUMMTOOL_HOME", str(ct2_home))  # convert each tiny model once, if at all
    (tmp_path / "in" / "sub").mkdir(parents=True)
    for i, name in enumerate(ZH):
        shutil.copy(DATA / f"{name}.txt", tmp_path / "in" / ("sub" if i % 2 else "") / f"{name}.txt")
    return tmp_path


def spy_translate_many(monkeypatch) -> list[int]:
    """Record how many documents each translate_many call got (the real method still runs)."""
    cls = Translator
    calls: list[int] = []
    real = cls.translate_many

    def counting(self, texts, **kw):
        calls.append(len(texts))
        return real(self, texts, **kw)

    monkeypatch.setattr(cls, "translate_many", counting)
    return calls


def test_batch_equals_the_api_and_batches_across_documents(corpus, monkeypatch, zh_en_model):
    # The same documents through the API in the run's order (in/, then in/sub/): the same model batches,
    # so each output file must hold exactly its own document's translation.
    order = [n for i, n in enumerate(ZH) if not i % 2] + [n for i, n in enumerate(ZH) if i % 2]
    api = Translator(model=str(zh_en_model), beams=1)
    results = api.translate_many([read_release(f"{name}.txt") for name in order], to="en")
    expected = {name: r.text for name, r in zip(order, results)}
    calls = spy_translate_many(monkeypatch)
    report = run_batch("translate", ["in"], "out", options={"to": "en", "beams": 1})
    assert report.ok and report.done == len(ZH)
    assert calls == [len(ZH)]  # one call: every document's sentences in the same model batches
    for path in (corpus / "out").rglob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert text.rstrip("\n") == expected[path.stem].rstrip("\n")
        assert text.count("\n\n") == read_release(f"{path.stem}.txt").count("\n\n")  # paragraphs 1:1


def test_chunks_bound_each_call_and_resume_per_document(corpus, monkeypatch):
    calls = spy_translate_many(monkeypatch)
    report = run_batch("translate", ["in"], "out", options={"to": "en", "beams": 1}, chunk_size=2)
    assert report.done == len(ZH) and calls == [2, 2, 1]
    (corpus / "out" / "in" / "sub" / "zh_08.txt").unlink()
    calls.clear()
    again = run_batch("translate", ["in"], "out", options={"to": "en", "beams": 1}, chunk_size=2)
    assert (again.done, again.skipped) == (1, len(ZH) - 1) and calls == [1]


def test_cli_json_and_jsonl_outputs_and_a_bad_document(corpus):
    (corpus / "in" / "numbers.txt").write_text("2024 12 31\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", "translate", "in", "--out", "out", "--to", "en", "--beams", "1",
                                 "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "in/numbers.txt" in result.stderr and f"{len(ZH)} done, 0 skipped, 1 failed" in result.stderr
    doc = json.loads((corpus / "out" / "in" / "zh_02.json").read_text(encoding="utf-8"))
    assert doc["source_language"].startswith("zh") and doc["target_language"] == "en"
    assert [p["source"] for p in doc["paragraphs"]] == [p.strip() for p in read_release("zh_02.txt").split("\n\n")
                                                        if p.strip()]
    (corpus / "in" / "numbers.txt").unlink()
    jl = runner.invoke(app, ["batch", "translate", "in", "--jsonl-in", "-", "--out", "all.jsonl", "--to", "en",
                             "--beams", "1"], input=json.dumps({"id": "n1", "text": read_release("zh_01.txt")}) + "\n")
    assert jl.exit_code == 0, jl.output
    records = [json.loads(line) for line in (corpus / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(ZH) + 1 and records[-1]["id"] == "n1"
    assert all(r["paragraphs"] and r["target_language"] == "en" for r in records)


def test_missing_model_stops_the_run_with_one_line(corpus, monkeypatch):
    monkeypatch.setenv("SUMMTOOL_MODEL_ZH_EN", "Helsinki-NLP/opus-mt-zh-en")  # not cached, offline
    result = runner.invoke(app, ["batch", "translate", "in", "--out", "out", "--to", "en"])
    assert result.exit_code == 1
    assert "opus-mt-zh-en" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("error:") == 1
    assert not list((corpus / "out").rglob("*.txt"))


def test_both_directions_in_one_run(corpus, monkeypatch):
    shutil.copy(DATA / "en_02.txt", corpus / "in" / "en_02.txt")
    shutil.copy(DATA / "pair_03.en.txt", corpus / "in" / "sub" / "pair_03.en.txt")
    calls = spy_translate_many(monkeypatch)
    result = runner.invoke(app, ["batch", "translate", "in", "--out", "res.jsonl"])
    assert result.exit_code == 0, result.output
    assert calls == [len(ZH) + 2]  # one chunk, two directions inside it
    records = {r["path"]: r for r in map(json.loads, (corpus / "res.jsonl").read_text(encoding="utf-8").splitlines())}
    assert records["in/en_02.txt"]["target_language"].startswith("zh")
    assert records["in/sub/pair_03.en.txt"]["target_language"].startswith("zh")
    assert records["in/zh_02.txt"]["target_language"] == "en"
