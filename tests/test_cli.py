"""The CLI contract every command follows, exercised through `summtool detect`."""
from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from summtool.cli import app

from conftest import DATA, read_release

runner = CliRunner()


def summtool(*args: str, input: bytes | None = None, stdin=None, **kw) -> subprocess.CompletedProcess:
    """Run the CLI in a real process, as a user's shell would."""
    return subprocess.run([sys.executable, "-m", "summtool", *args], input=input, stdin=stdin,
                          capture_output=True, timeout=60, **kw)


def test_detect_prints_language_of_one_file():
    result = runner.invoke(app, ["detect", str(DATA / "zh_08.txt")])
    assert result.exit_code == 0
    assert result.stdout == "zh-Hant\n"


def test_detect_names_each_of_several_files():
    names = ["en_01.txt", "zh_01.txt", "zh_09.txt"]
    result = runner.invoke(app, ["detect", *[str(DATA / n) for n in names]])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"{DATA / n}: {lang}" for n, lang in
                                          zip(names, ["en", "zh-Hans", "zh-Hant"])]


def test_detect_json_reports_encoding_per_input(tmp_path):
    big5 = tmp_path / "release.big5.txt"
    big5.write_bytes(read_release("zh_09.txt").encode("big5"))
    result = runner.invoke(app, ["detect", "--format", "json", str(big5), str(DATA / "en_08.txt")])
    assert result.exit_code == 0
    objs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["language"] for o in objs] == ["zh-Hant", "en"]
    assert [o["encoding"] for o in objs] == ["big5hkscs", "utf-8"]
    assert set(objs[0]) == {"path", "language", "script", "confidence", "encoding"}
    assert objs[0]["script"] == "Hant" and objs[1]["script"] == "Latn"


def test_stdin_by_dash_and_by_pipe():
    text = read_release("zh_02.txt").encode("gb18030")
    for args in (["detect", "-"], ["detect"]):
        result = runner.invoke(app, args, input=text)
        assert result.exit_code == 0, result.output
        assert result.stdout == "zh-Hans\n"


def test_und_prints_the_object_and_exits_1():
    result = runner.invoke(app, ["detect", "--format", "json"], input="2020-11-26 12:00 — 15%\n")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["language"] == "und"
    assert "undetermined" in result.stderr


@pytest.mark.parametrize("make, message", [
    (lambda d: str(d / "missing.txt"), "no such file"),
    (lambda d: str(d), "is a directory"),
    (lambda d: _write(d / "empty.txt", b""), "empty input"),
    (lambda d: _write(d / "blank.txt", b" \n\n\t \n"), "empty input"),
    (lambda d: _write(d / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)), "binary data"),
])
def test_bad_inputs_give_one_line_naming_the_input_and_exit_1(tmp_path, make, message):
    path = make(tmp_path)
    result = runner.invoke(app, ["detect", path])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and path in lines[0]
    assert "Traceback" not in result.output


def _write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_one_bad_input_does_not_hide_the_good_ones(tmp_path):
    result = runner.invoke(app, ["detect", str(tmp_path / "nope.txt"), str(DATA / "en_02.txt")])
    assert result.exit_code == 1
    assert result.stdout.strip().endswith(": en")
    assert "nope.txt: no such file" in result.stderr


def test_output_file_is_written_atomically(tmp_path):
    out = tmp_path / "langs.jsonl"
    result = runner.invoke(app, ["detect", "-f", "json", "-o", str(out), str(DATA / "en_01.txt"),
                                 str(DATA / "zh_03.txt")])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert [json.loads(line)["language"] for line in out.read_text().splitlines()] == ["en", "zh-Hans"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["langs.jsonl"]


def test_usage_errors_exit_2():
    result = runner.invoke(app, ["detect", "--format", "yaml", str(DATA / "en_01.txt")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["no-such-command"])
    assert result.exit_code == 2


def test_version_and_help():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("summtool ")
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "detect" in result.stdout


# --- real processes ------------------------------------------------------------------------------
def test_pipe_through_a_real_shell():
    proc = subprocess.run(f"cat {DATA / 'zh_08.txt'} | {sys.executable} -m summtool detect -f json",
                          shell=True, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["language"] == "zh-Hant"
    assert proc.stderr == ""


def test_no_input_with_a_terminal_on_stdin_is_usage_error_with_hint():
    leader, follower = pty.openpty()
    try:
        proc = summtool("detect", stdin=follower)
    finally:
        os.close(leader)
        os.close(follower)
    assert proc.returncode == 2
    assert b"no input" in proc.stderr and b"pipe" in proc.stderr
    assert b"Traceback" not in proc.stderr


def test_utf16_file_in_a_real_process(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(read_release("en_05.txt").encode("utf-16"))
    proc = summtool("detect", "-f", "json", str(path))
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["encoding"] == "utf-16"


def test_debug_shows_the_traceback_otherwise_hidden(tmp_path):
    missing = str(tmp_path / "missing.txt")
    plain = summtool("detect", missing)
    debug = summtool("--debug", "detect", missing)
    assert plain.returncode == 1 and b"Traceback" not in plain.stderr
    assert b"Traceback" in debug.stderr and b"InputError" in debug.stderr


def test_closed_stdout_pipe_is_quiet():
    files = [str(DATA / n) for n in sorted(os.listdir(DATA)) if n.endswith(".txt")] * 40
    proc = subprocess.run(f"{sys.executable} -m summtool detect {' '.join(files)} | head -n 1",
                          shell=True, capture_output=True, text=True, timeout=120)
    assert proc.stdout.count("\n") == 1
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


@pytest.mark.skipif(shutil.which("summtool") is None, reason="console script not installed")
def test_installed_console_script():
    proc = subprocess.run(["summtool", "detect", str(DATA / "en_08.txt")], capture_output=True, text=True,
                          timeout=60)
    assert (proc.returncode, proc.stdout) == (0, "en\n")


def test_help_does_not_import_torch():
    code = ("import sys; from typer.testing import CliRunner; from summtool.cli import app;"
            "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0;"
            "print('torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"
