"""summtool batch: inputs, mirrored and JSON Lines outputs, resume, kills, Ctrl-C, path safety (via detect)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summtool import batch
from summtool.batch import run_batch
from summtool.cli import app

from conftest import DATA, read_release

runner = CliRunner()
LANG = {"en_01": "en", "en_02": "en", "zh_01": "zh-Hans", "zh_02": "zh-Hans", "zh_08": "zh-Hant",
        "pair_02.en": "en", "pair_02.zh": "zh-Hans"}


def make_tree(root: Path) -> list[str]:
    """A nested tree of real releases (plus one saved web page and files the glob must skip);
    returns the input paths relative to *root* in processing order."""
    (root / "in" / "zh" / "deep").mkdir(parents=True)
    (root / "in" / "en").mkdir(parents=True)
    for name in ("en_01", "en_02"):
        shutil.copy(DATA / f"{name}.txt", root / "in" / "en" / f"{name}.txt")
    for name in ("zh_01", "zh_02"):
        shutil.copy(DATA / f"{name}.txt", root / "in" / "zh" / f"{name}.txt")
    shutil.copy(DATA / "zh_08.txt", root / "in" / "zh" / "deep" / "zh_08.txt")
    body = "".join(f"<p>{p}</p>" for p in read_release("pair_02.en.txt").split("\n\n"))
    (root / "in" / "en" / "page.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    (root / "in" / "en" / "notes.md").write_text("not an input", encoding="utf-8")
    (root / "in" / ".hidden.txt").write_text("hidden files are skipped", encoding="utf-8")
    return ["in/en/en_01.txt", "in/en/en_02.txt", "in/en/page.html", "in/zh/zh_01.txt", "in/zh/zh_02.txt",
            "in/zh/deep/zh_08.txt"]


def tree(root: Path) -> dict[str, bytes]:
    """Every file under *root* (hidden ones included) and its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def summtool(*args: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summtool", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, **kw)


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- the Python API -------------------------------------------------------------------------------
def test_api_mirrors_a_nested_tree_and_reports(work):
    make_tree(work)
    report = run_batch("detect", ["in"], "out")
    assert (report.done, report.skipped, report.failed, report.total) == (6, 0, 0, 6)
    assert report.ok and report.seconds >= 0
    files = tree(work / "out")
    assert sorted(files) == ["in/en/en_01.json", "in/en/en_02.json", "in/en/page.json",
                             "in/zh/deep/zh_08.json", "in/zh/zh_01.json", "in/zh/zh_02.json"]
    got = {Path(k).stem: json.loads(v) for k, v in files.items()}
    assert got["zh_08"]["language"] == "zh-Hant" and got["zh_01"]["language"] == "zh-Hans"
    assert got["page"]["language"] == "en" and got["en_01"]["path"] == "in/en/en_01.txt"
    assert set(got["en_02"]) == {"path", "language", "script", "confidence", "encoding"}


def test_api_text_format_and_globs(work):
    make_tree(work)
    report = run_batch("detect", ["in"], "out", format="text", globs=["*.html", "*.MD"])
    assert report.done == 2
    assert tree(work / "out") == {"in/en/notes.txt": b"en\n", "in/en/page.txt": b"en\n"}


def test_api_collects_failures_and_keeps_going(work):
    make_tree(work)
    (work / "in" / "zh" / "broken.txt").write_bytes(b"\x00\x01\x02 binary")
    (work / "in" / "zh" / "digits.txt").write_text("2024 12 31\n", encoding="utf-8")
    seen = []
    report = run_batch("detect", ["in", "missing.txt"], "out", on_failure=lambda src, why: seen.append(src))
    assert report.done == 6 and not report.ok
    reasons = dict(report.failures)
    assert set(reasons) == {"in/zh/broken.txt", "in/zh/digits.txt", "missing.txt"} == set(seen)
    assert "binary" in reasons["in/zh/broken.txt"] and "no such file" in reasons["missing.txt"]
    assert "undetermined" in reasons["in/zh/digits.txt"]
    assert not (work / "out" / "in" / "zh" / "broken.json").exists()


def test_api_collision_of_names_gets_distinct_outputs(work):
    (work / "in").mkdir()
    shutil.copy(DATA / "en_01.txt", work / "in" / "x.txt")
    (work / "in" / "x.html").write_text("<html><body><p>大会今天在北京召开。</p></body></html>", encoding="utf-8")
    run_batch("detect", ["in"], "out")
    files = {k: json.loads(v)["language"] for k, v in tree(work / "out").items()}
    assert files == {"in/x.txt.json": "en", "in/x.html.json": "zh-Hans"}


def test_collect_inputs_order_dedupe_and_exclusion(work):
    make_tree(work)
    (work / "in" / "out").mkdir()
    (work / "in" / "out" / "old.txt").write_text("an earlier output", encoding="utf-8")
    items = batch.collect_inputs(["in/zh/zh_01.txt", "in", "./in/zh/zh_01.txt", str(work / "in/en/en_01.txt")],
                                 exclude=["in/out"])
    # A directory's own files come before its subdirectories'.
    assert [i.source for i in items] == ["in/zh/zh_01.txt", "in/en/en_01.txt", "in/en/en_02.txt",
                                         "in/en/page.html", "in/zh/zh_02.txt", "in/zh/deep/zh_08.txt"]


def test_path_keys_never_leave_the_output_directory(work):
    assert batch.path_key("a/b/x.txt") == "a/b/x"
    assert batch.path_key("../x.txt") == "_up/x"
    assert batch.path_key("../../up/../x.txt") == "_up/_up/x"
    assert batch.path_key(str(work / "a" / "x.txt")) == "a/x"  # absolute but under the working directory
    assert batch.path_key("/etc/x.txt").startswith("_root/") and ".." not in batch.path_key("/etc/../x.txt")


# --- the CLI --------------------------------------------------------------------------------------
def test_cli_mixed_inputs_files_dirs_stdin_list_and_jsonl(work):
    make_tree(work)
    shutil.copy(DATA / "zh_09.txt", work / "single.txt")
    (work / "recs.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "a1", "text": read_release("en_03.txt")},
        {"text": read_release("zh_03.txt")},
    ]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", "detect", "single.txt", "in/zh", "-", "--jsonl-in", "recs.jsonl",
                                 "--out", "out"], input="in/en/en_01.txt\n\nin/en/page.html\n")
    assert result.exit_code == 0, result.output
    assert "8 done, 0 skipped, 0 failed" in result.stderr
    assert result.stdout == ""
    langs = {k: json.loads(v)["language"] for k, v in tree(work / "out").items()}
    assert langs == {"single.json": "zh-Hant", "in/zh/zh_01.json": "zh-Hans", "in/zh/zh_02.json": "zh-Hans",
                     "in/zh/deep/zh_08.json": "zh-Hant", "in/en/en_01.json": "en", "in/en/page.json": "en",
                     "recs/a1.json": "en", "recs/line-2.json": "zh-Hans"}


def test_cli_resume_skips_done_redoes_newer_and_overwrite(work):
    make_tree(work)
    assert runner.invoke(app, ["batch", "detect", "in", "--out", "out"]).exit_code == 0
    out = work / "out" / "in" / "en" / "en_01.json"
    before = out.stat().st_mtime_ns
    again = runner.invoke(app, ["batch", "detect", "in", "--out", "out"])
    assert again.exit_code == 0 and "0 done, 6 skipped, 0 failed" in again.stderr
    assert out.stat().st_mtime_ns == before
    # An input edited after its output was written is done again.
    src = work / "in" / "en" / "en_01.txt"
    os.utime(src, ns=(before + 10**9, before + 10**9))
    third = runner.invoke(app, ["batch", "detect", "in", "--out", "out"])
    assert "1 done, 5 skipped" in third.stderr
    forced = runner.invoke(app, ["batch", "detect", "in", "--out", "out", "--overwrite"])
    assert "6 done, 0 skipped" in forced.stderr


def test_cli_bad_file_among_good_ones_and_fail_fast(work):
    make_tree(work)
    (work / "in" / "en" / "broken.txt").write_bytes(b"\xff\xfe\x00\x00\x00garbage")
    result = runner.invoke(app, ["batch", "detect", "in", "--out", "out"])
    assert result.exit_code == 1
    assert "in/en/broken.txt" in result.stderr and "6 done, 0 skipped, 1 failed" in result.stderr
    assert "Traceback" not in result.output
    assert len(tree(work / "out")) == 6
    stopped = runner.invoke(app, ["batch", "detect", "in", "--out", "out2", "--fail-fast"])
    assert stopped.exit_code == 1 and "stopped at the first failure" in stopped.stderr
    # broken.txt sorts first in in/en: nothing after it was done.
    assert not (work / "out2" / "in" / "zh").exists()


def test_cli_jsonl_in_and_out_in_input_order_with_bad_records(work):
    lines = [json.dumps({"id": "z", "text": read_release("zh_01.txt")}, ensure_ascii=False),
             "{not json",
             json.dumps({"id": 7, "text": read_release("en_05.txt")}),
             json.dumps({"title": "no text field"}),
             json.dumps({"id": "z", "text": "duplicate id"}),
             json.dumps({"text": read_release("zh_08.txt")}, ensure_ascii=False)]
    (work / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", "detect", "--jsonl-in", "in.jsonl", "--out", "res.jsonl"])
    assert result.exit_code == 1
    for n in (2, 4, 5):
        assert f"in.jsonl:{n}" in result.stderr
    assert "duplicate id" in result.stderr
    records = [json.loads(line) for line in (work / "res.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r.get("id"), r["line"], r["language"]) for r in records] == [
        ("z", 1, "zh-Hans"), (7, 3, "en"), (None, 6, "zh-Hant")]
    assert all(r["input"] == "in.jsonl" for r in records)
    assert not (work / "res.jsonl.part").exists()
    # JSON Lines from stdin, files into a .jsonl: paths name the records.
    make_tree(work)
    piped = runner.invoke(app, ["batch", "detect", "in/zh", "--jsonl-in", "-", "--out", "all.jsonl"],
                          input=json.dumps({"id": "p", "text": "The meeting was held in Beijing today."}) + "\n")
    assert piped.exit_code == 0, piped.output
    recs = [json.loads(line) for line in (work / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r.get("path") or r["id"] for r in recs] == ["in/zh/zh_01.txt", "in/zh/zh_02.txt",
                                                        "in/zh/deep/zh_08.txt", "p"]


def test_cli_jsonl_out_resumes_from_final_file_and_journal(work):
    make_tree(work)
    assert runner.invoke(app, ["batch", "detect", "in", "--out", "res.jsonl"]).exit_code == 0
    complete = (work / "res.jsonl").read_bytes()
    again = runner.invoke(app, ["batch", "detect", "in", "--out", "res.jsonl"])
    assert "0 done, 6 skipped" in again.stderr and (work / "res.jsonl").read_bytes() == complete
    # A journal from a killed run: header, two complete records, a torn line.
    (work / "res.jsonl").unlink()
    run_batch("detect", ["in"], "ref.jsonl")
    items = batch.collect_inputs(["in"])
    target = batch.JsonlTarget(work / "res.jsonl", {"task": "detect", "options": {}}, overwrite=False)
    target.open(items)
    runner_ = batch.Runner("detect", {}, "json", True)
    for item in items[:2]:
        target.write(item, batch.attempt(runner_, item)[1])
    target.close()
    with open(work / "res.jsonl.part", "a", encoding="utf-8") as fh:
        fh.write('{"ident": "in/zh/zh_02.txt", "stamp": [1, 2], "rec')
    resumed = runner.invoke(app, ["batch", "detect", "in", "--out", "res.jsonl"])
    assert "4 done, 2 skipped" in resumed.stderr
    assert (work / "res.jsonl").read_bytes() == complete == (work / "ref.jsonl").read_bytes()
    assert not (work / "res.jsonl.part").exists()


def test_cli_path_safety(work):
    (work / "deep" / "cwd").mkdir(parents=True)
    shutil.copy(DATA / "en_01.txt", work / "deep" / "x.txt")
    shutil.copy(DATA / "zh_01.txt", work / "outside.txt")
    (work / "ids.jsonl").write_text(json.dumps({"id": "../../../escape", "text": "The meeting opened."}) + "\n")
    cwd = work / "deep" / "cwd"
    os.chdir(cwd)
    result = runner.invoke(app, ["batch", "detect", "../x.txt", str(work / "outside.txt"),
                                 "--jsonl-in", "../../ids.jsonl", "--out", "out"])
    assert result.exit_code == 0, result.output
    written = sorted(tree(cwd / "out"))
    assert written[1:] == ["_up/_up/ids/_.._.._escape.json", "_up/x.json"]
    assert written[0].startswith("_root/") and written[0].endswith("/outside.json")
    assert sorted(p.name for p in work.rglob("*.json")) == ["_.._.._escape.json", "outside.json", "x.json"]
    assert all(cwd / "out" in p.parents for p in work.rglob("*.json"))
    # A link planted inside DIR that leads out of it is refused, not followed.
    (cwd / "out2").mkdir()
    os.symlink(work, cwd / "out2" / "_up")
    refused = runner.invoke(app, ["batch", "detect", "../x.txt", "--out", "out2"])
    assert refused.exit_code == 1 and "leads outside" in refused.stderr
    assert not (work / "x.json").exists()


def test_cli_never_overwrites_an_input(work):
    (work / "in").mkdir()
    shutil.copy(DATA / "en_01.txt", work / "in" / "x.txt")
    result = runner.invoke(app, ["batch", "detect", "in", "--out", ".", "--format", "text"])
    assert result.exit_code == 1 and "overwrite the input" in result.stderr
    assert (work / "in" / "x.txt").read_text(encoding="utf-8") == read_release("en_01.txt")


def test_cli_usage_errors(work):
    make_tree(work)
    bad_format = runner.invoke(app, ["batch", "detect", "in", "--out", "x.jsonl", "--format", "text"])
    assert bad_format.exit_code == 2 and "--format text needs --out DIR" in bad_format.stderr
    unknown = runner.invoke(app, ["batch", "detect", "in", "--out", "o", "--format", "markdown"])
    assert unknown.exit_code == 2
    nothing = runner.invoke(app, ["batch", "detect", "in", "--glob", "*.pdf", "--out", "o"])
    assert nothing.exit_code == 1 and "no inputs" in nothing.stderr
    (work / "file").write_text("x")
    not_dir = runner.invoke(app, ["batch", "detect", "in", "--out", "file"])
    assert not_dir.exit_code == 2 and "not a directory" in not_dir.stderr


def test_cli_refuses_a_second_run_on_the_same_target(work):
    fcntl = pytest.importorskip("fcntl")
    make_tree(work)
    (work / "out").mkdir()
    with open(work / "out" / batch.LOCK_NAME, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = runner.invoke(app, ["batch", "detect", "in", "--out", "out"])
    assert result.exit_code == 2 and "another summtool batch" in result.stderr


def test_cli_jobs_give_the_same_outputs(work):
    make_tree(work)
    for i in range(12):
        shutil.copy(DATA / ("zh_0%d.txt" % (i % 9 + 1)), work / "in" / f"copy{i:02d}.txt")
    one = runner.invoke(app, ["batch", "detect", "in", "--out", "one", "-q"])
    two = runner.invoke(app, ["batch", "detect", "in", "--out", "two", "--jobs", "3"])
    assert one.exit_code == two.exit_code == 0
    assert one.stderr == ""
    assert tree(work / "one") == tree(work / "two") and len(tree(work / "two")) == 18


# --- real processes: SIGKILL, Ctrl-C ------------------------------------------------------------------
FIFO_INPUTS = ["in/a", "in/b.txt", "in/c"]


def fifo_setup(root: Path) -> list[str]:
    """in/a/*, then a FIFO, then in/c/*: a run blocks on the FIFO, so a signal lands at a known point
    with in/a done and in/c not started."""
    for group, names in (("a", ["en_01", "zh_02", "en_03"]), ("c", ["zh_08", "en_04"])):
        (root / "in" / group).mkdir(parents=True)
        for name in names:
            shutil.copy(DATA / f"{name}.txt", root / "in" / group / f"{name}.txt")
    os.mkfifo(root / "in" / "b.txt")
    return FIFO_INPUTS


def wait_for(predicate, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the batch never got to the FIFO"
        time.sleep(0.02)


def uninterrupted(root: Path, out: str) -> dict[str, bytes]:
    ref = root / "ref"
    fifo_setup(ref)
    os.unlink(ref / "in" / "b.txt")
    shutil.copy(DATA / "zh_01.txt", ref / "in" / "b.txt")
    assert summtool("batch", "detect", "in/a", "in/b.txt", "in/c", "--out", out, cwd=ref).returncode == 0
    return tree(ref / "out") if out == "out" else {out: (ref / out).read_bytes()}


def start_blocked_run(run, out: str, **popen_kw) -> subprocess.Popen:
    """Start `batch detect` on the FIFO set-up and return once it has finished what comes before the FIFO
    and blocks on it: three outputs written (--out DIR) or the header and three records journaled (.jsonl)."""
    inputs = fifo_setup(run)
    proc = subprocess.Popen([sys.executable, "-m", "summtool", "batch", "detect", *inputs, "--out", out],
                            cwd=run, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen_kw)
    try:
        if out == "out":
            wait_for(lambda: len(list((run / "out").rglob("*.json"))) == 3, proc)
        else:
            journal = run / "out.jsonl.part"
            wait_for(lambda: journal.exists() and journal.read_text(encoding="utf-8").count("\n") == 4, proc)
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    return proc


@pytest.mark.parametrize("out", ["out", "out.jsonl"])
def test_sigkill_then_rerun_gives_the_uninterrupted_outputs(tmp_path, out):
    run = tmp_path / "run"
    proc = start_blocked_run(run, out)
    proc.kill()
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert not (run / "out.jsonl").exists()
    os.unlink(run / "in" / "b.txt")
    shutil.copy(DATA / "zh_01.txt", run / "in" / "b.txt")
    if out == "out":  # as if the kill had hit write_atomic mid-file
        (run / "out" / "in" / "c").mkdir(parents=True)
        (run / "out" / "in" / "c" / ".en_04.json.k1ll3d_x.tmp").write_text('{"path": "in/c/en')
    rerun = summtool("batch", "detect", *FIFO_INPUTS, "--out", out, cwd=run)
    assert rerun.returncode == 0, rerun.stderr
    assert "3 done, 3 skipped, 0 failed" in rerun.stderr
    got = tree(run / "out") if out == "out" else {out: (run / out).read_bytes()}
    assert got == uninterrupted(tmp_path, out)
    assert not (run / "out.jsonl.part").exists()


def test_sigkill_at_a_random_moment_with_workers(tmp_path):
    src = tmp_path / "run" / "in"
    src.mkdir(parents=True)
    releases = sorted(DATA.glob("*.txt"))
    for i in range(150):
        shutil.copy(releases[i % len(releases)], src / f"r{i:03d}.txt")
    args = ["batch", "detect", "in", "--out", "out.jsonl", "--jobs", "2"]
    proc = subprocess.Popen([sys.executable, "-m", "summtool", *args], cwd=tmp_path / "run",
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = tmp_path / "run" / "out.jsonl.part"
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if journal.exists() and journal.stat().st_size > 2000:
            break
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    rerun = summtool(*args, cwd=tmp_path / "run")
    assert rerun.returncode == 0, rerun.stderr
    shutil.copytree(src, tmp_path / "ref" / "in")
    ref = summtool(*args[:-2], cwd=tmp_path / "ref")
    assert ref.returncode == 0
    assert (tmp_path / "run" / "out.jsonl").read_bytes() == (tmp_path / "ref" / "out.jsonl").read_bytes()
    assert len((tmp_path / "ref" / "out.jsonl").read_bytes().splitlines()) == 150


@pytest.mark.parametrize("out", ["out", "out.jsonl"])
def test_ctrl_c_exits_130_cleanly_and_resumes(tmp_path, out):
    run = tmp_path / "run"
    proc = start_blocked_run(run, out, text=True)
    try:
        time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "Traceback" not in stderr and "interrupted" in stderr and "rerun to resume" in stderr
    assert stdout == ""
    leftovers = [p.name for p in run.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert not (run / "out.jsonl").exists()
    os.unlink(run / "in" / "b.txt")
    shutil.copy(DATA / "zh_01.txt", run / "in" / "b.txt")
    rerun = summtool("batch", "detect", *FIFO_INPUTS, "--out", out, cwd=run)
    assert rerun.returncode == 0 and "3 done, 3 skipped" in rerun.stderr
    got = tree(run / "out") if out == "out" else {out: (run / out).read_bytes()}
    assert got == uninterrupted(tmp_path, out)
