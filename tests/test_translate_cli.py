"""`summtool translate` through Typer's runner and real processes, on tiny random models."""
from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from conftest import DATA, read_release
from summtool.cli import app
from summtool.text import paragraphs

runner = CliRunner()


def run(tiny_models, *args, direction="zh-en", input=None):
    return runner.invoke(app, ["translate", "--model", str(tiny_models[direction]), "--backend", "transformers",
                               *args], input=input)


def test_text_output_keeps_paragraphs(tiny_models):
    res = run(tiny_models, str(DATA / "zh_03.txt"))
    assert res.exit_code == 0, res.stderr
    out = res.stdout.rstrip("\n").split("\n\n")
    assert len(out) == len(paragraphs(read_release("zh_03.txt"))) and all(p.strip() for p in out)


def test_json_shape_and_stdin(tiny_models):
    res = run(tiny_models, "--format", "json", "-", input=read_release("zh_02.txt"))
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert list(data) == ["source_language", "target_language", "model", "paragraphs", "retried_segments",
                          "seconds"]
    assert data["source_language"] == "zh-Hans" and data["target_language"] == "en"
    assert [p["source"] for p in data["paragraphs"]] == [p.text for p in paragraphs(read_release("zh_02.txt"))]
    assert isinstance(data["retried_segments"], int) and data["seconds"] >= 0


def test_bilingual_and_output_file(tiny_models, tmp_path):
    target = tmp_path / "out.txt"
    res = run(tiny_models, "--bilingual", "-o", str(target), str(DATA / "zh_02.txt"))
    assert res.exit_code == 0 and res.stdout == ""
    blocks = target.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    sources = [p.text for p in paragraphs(read_release("zh_02.txt"))]
    assert blocks[0::2] == sources and len(blocks) == 2 * len(sources)


def test_pass_through_warns_and_a_bad_input_fails_alone(tiny_models, tmp_path):
    missing = tmp_path / "missing.txt"
    res = run(tiny_models, "--to", "en", str(DATA / "en_02.txt"), str(missing))
    assert res.exit_code == 1
    assert "passed through unchanged" in res.stderr and "missing.txt: no such file" in res.stderr
    assert read_release("en_02.txt").splitlines()[0] in res.stdout


def test_en_to_zh_traditional_via_a_real_process(tiny_models):
    proc = subprocess.run([sys.executable, "-m", "summtool", "translate", "--model", str(tiny_models["en-zh"]),
                           "--backend", "transformers", "--script", "traditional", "--format", "json",
                           str(DATA / "en_01.txt")], capture_output=True, timeout=180)
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert data["target_language"] == "zh-Hant" and len(data["paragraphs"]) == len(
        paragraphs(read_release("en_01.txt")))
    assert proc.stderr == b""


def test_cli_import_stays_torch_free():
    code = "import sys, summtool.cli, summtool.translation, summtool.models; " \
           "assert 'torch' not in sys.modules and 'transformers' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
