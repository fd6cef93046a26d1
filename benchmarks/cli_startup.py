"""Start-up cost: `summtool --help` against an empty two-command Typer app, measured side by side."""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EMPTY_APP = '''
import typer
app = typer.Typer()

@app.command()
def one(path: str = "") -> None:
    """First command."""

@app.command()
def two(path: str = "") -> None:
    """Second command."""

app()
'''


def timed(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, capture_output=True, check=True)  # warm the file cache
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main(runs: int = 15) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty_app.py"
        empty.write_text(EMPTY_APP)
        base = timed([sys.executable, str(empty), "--help"], runs)
        ours = timed([sys.executable, "-m", "summtool", "--help"], runs)
        detect = timed([sys.executable, "-m", "summtool", "detect", str(Path(__file__).parent.parent
                                                                        / "examples" / "en_08.txt")], runs)
    print(f"empty two-command Typer app --help : {base * 1000:7.1f} ms (median of {runs})")
    print(f"summtool --help                    : {ours * 1000:7.1f} ms   ratio {ours / base:.2f}x (goal <= 1.2x)")
    print(f"summtool detect examples/en_08.txt : {detect * 1000:7.1f} ms   ratio {detect / base:.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
