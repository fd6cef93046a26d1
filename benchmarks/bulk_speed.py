"""Bulk speed: `summtool batch TASK` on 200 releases against a shell loop of single-file commands, side by side.

    python benchmarks/bulk_speed.py [--tasks summarize,translate] [--n 200] [--sample 20] [--translate-sample 6]

The releases are copies of tests/data/*.txt with small variations (a copy number in the title, every other
copy without its last paragraph). The shell loop runs the single-file command once per file, as a user's
`for f in ...; do summtool summarize "$f" > ...; done` would; when --sample is below --n it runs the loop
on that many files (spread evenly over the set) and extrapolates linearly to --n (the output says so).

translate uses a full-size opus-mt-zh-en architecture (65,001-token vocabulary, 6+6 layers, d_model 512)
with random weights, built once into .bench/, and a forced output length: every sentence decodes exactly
FORCED_TOKENS tokens, whatever the random weights say (see LAUNCHER), so that both sides do the same
decoding work. The backend is the engine's default (CTranslate2 int8 on CPU when installed). Chinese
releases only (it is a zh->en model), without the one 126-sentence CCTV transcript, to keep the run short.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CACHE = ROOT / ".bench"  # git-ignored
FORCED_TOKENS = 24
TARGETS = {"summarize": 20.0, "translate": 10.0, "detect": None}


def make_releases(out: Path, n: int, *, zh_only: bool = False) -> list[Path]:
    """n releases from tests/data, each a little different from its original."""
    sources = [p for p in sorted(DATA.glob("*.txt"))
               if not zh_only or ((p.name.startswith("zh_") or p.name.endswith(".zh.txt")) and p.name != "zh_01.txt")]
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        src = sources[i % len(sources)]
        title, _, body = src.read_text(encoding="utf-8").partition("\n")
        paras = [p for p in body.split("\n\n") if p.strip()]
        if i % 2 and len(paras) > 2:
            paras = paras[:-1]
        tag = f"（第{i + 1}稿）" if any("\u4e00" <= ch <= "\u9fff" for ch in title) else f" (copy {i + 1})"
        path = out / f"r{i:04d}_{src.stem}.txt"
        path.write_text(title + tag + "\n\n" + "\n\n".join(p.strip() for p in paras) + "\n", encoding="utf-8")
        made.append(path)
    return made


def launcher() -> list[str]:
    exe = shutil.which("summtool")
    return [exe] if exe else [sys.executable, "-m", "summtool"]


def timed(cmd: str, env: dict) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(["bash", "-c", cmd], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {cmd}\n{proc.stderr[-2000:]}")
    return elapsed


def quote(parts: list[str]) -> str:
    import shlex

    return " ".join(shlex.quote(p) for p in parts)


# Both sides run this launcher instead of the `summtool` script: it is the CLI with every Translator set to
# decode exactly BULK_FORCE_TOKENS tokens per sentence (Translator.force_new_tokens, the engine's
# benchmark switch), so random weights neither stop at once nor run to the cap.
LAUNCHER = """
import os
import summtool.translation as _t

_init = _t.Translator.__init__


def _forced(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self.force_new_tokens = int(os.environ["BULK_FORCE_TOKENS"])


_t.Translator.__init__ = _forced
from summtool.cli import app

app(prog_name="summtool")
"""


def full_size_zh_en() -> Path:
    """The opus-mt-zh-en architecture (65,001-token vocabulary, 6+6 layers, d_model 512) with random
    weights, built once."""
    target = CACHE / "opus-mt-zh-en-random"
    if (target / "model.safetensors").exists():
        return target
    sys.path.insert(0, str(ROOT / "tests"))
    from tiny_marian import build_marian  # the translation tests' builder, at full size here

    tmp = target.with_name(target.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    build_marian(tmp, source_lang="zh", target_lang="en", d_model=512, layers=6, heads=8, ffn=2048,
                 max_positions=512, vocab_size=65001)
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return target


def bench(task: str, files: list[Path], work: Path, *, sample: int, jobs: int, env: dict,
          task_args: list[str], single_args: list[str], cli: list[str] | None = None) -> None:
    cli = cli or launcher()
    n = len(files)
    # Untimed warm-up: file cache, and any one-time model conversion lands in the cache for both sides.
    timed(quote(cli + [task, str(files[0])] + single_args) + " > /dev/null", env)
    out = work / f"out-{task}"
    batch_cmd = quote(cli + ["batch", task, str(files[0].parent), "--out", str(out), "-q"] + task_args)
    batch_s = timed(batch_cmd, env)
    produced = sum(1 for p in out.rglob("*") if p.is_file())
    if produced != n:
        sys.exit(f"batch {task} wrote {produced} outputs for {n} inputs")
    take = files[:: max(1, n // max(1, sample))][: min(sample, n)]  # spread over the set, not its head
    loop = "; ".join(quote(cli + [task, str(f)] + single_args) + " > /dev/null" for f in take)
    loop_s = timed(loop, env)
    loop_total = loop_s * n / len(take)
    how = f"{len(take)} files run, x{n / len(take):.1f} extrapolated" if len(take) < n else "all files run"
    ratio = loop_total / batch_s
    target = TARGETS.get(task)
    verdict = f"  (target >= {target:.0f}x: {'met' if ratio >= target else 'NOT met'})" if target else ""
    print(f"{task:9s} batch ({n} files{', --jobs ' + str(jobs) if jobs > 1 else ''}): {batch_s:8.1f} s   "
          f"shell loop: {loop_total:8.1f} s ({how}; {loop_s / len(take):.2f} s/file)   "
          f"speed-up {ratio:6.1f}x{verdict}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default="summarize,translate")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--sample", type=int, default=20, help="single-file runs for summarize/detect")
    parser.add_argument("--translate-sample", type=int, default=6, help="single-file runs for translate")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="--jobs for detect/summarize")
    args = parser.parse_args()
    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; launcher: {' '.join(launcher())}")
    with tempfile.TemporaryDirectory(prefix="bulk_speed_") as tmp:
        work = Path(tmp)
        for task in tasks:
            if task == "translate":
                model = full_size_zh_en()
                files = make_releases(work / "zh", args.n, zh_only=True)
                (work / "launch.py").write_text(LAUNCHER, encoding="utf-8")
                tenv = {**env, "SUMMTOOL_MODEL_ZH_EN": str(model), "HF_HUB_OFFLINE": "1",
                        "SUMMTOOL_HOME": str(CACHE / "home"), "BULK_FORCE_TOKENS": str(FORCED_TOKENS)}
                opts = ["--to", "en", "--device", "cpu"]
                bench("translate", files, work, sample=args.translate_sample, jobs=1, env=tenv,
                      task_args=opts, single_args=opts, cli=[sys.executable, str(work / "launch.py")])
            elif task in ("summarize", "detect"):
                files = make_releases(work / "all", args.n)
                jobs = ["--jobs", str(args.jobs)] if args.jobs > 1 else []
                fmt = ["--format", "json"]
                bench(task, files, work, sample=args.sample, jobs=args.jobs, env=env,
                      task_args=fmt + jobs, single_args=fmt)
            else:
                sys.exit(f"unknown task {task}")


if __name__ == "__main__":
    main()
