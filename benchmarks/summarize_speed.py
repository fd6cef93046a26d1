"""Summarizer speed: one release per process (start-up included) and 1,000 releases through the API."""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def per_process(paths: list[Path], runs: int = 3) -> float:
    """Median wall time of `python -m summtool summarize FILE` over the releases (targets: <= 0.5 s)."""
    times = []
    for _ in range(runs):
        for path in paths:
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "summtool", "summarize", "-f", "json", str(path)],
                           check=True, capture_output=True)
            times.append(time.perf_counter() - t)
    return statistics.median(times), max(times)


def through_api(texts: list[str], n: int = 1000) -> float:
    from summtool.summarizer import summarize

    t = time.perf_counter()
    for i in range(n):
        summarize(texts[i % len(texts)])
    return time.perf_counter() - t


def main() -> None:
    paths = sorted(DATA.glob("*.txt"))
    baseline = []
    for _ in range(3):  # bare interpreter start-up, measured side by side
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        baseline.append(time.perf_counter() - t)
    median, worst = per_process(paths)
    print(f"one release per process: median {median:.3f} s, worst {worst:.3f} s (target <= 0.5 s; "
          f"bare python start-up {statistics.median(baseline):.3f} s)")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    seconds = through_api(texts)
    print(f"1,000 releases through the API: {seconds:.2f} s (target <= 60 s; {1000 / seconds:.0f} releases/s)")


if __name__ == "__main__":
    main()
