"""README.md stays true: its three commands are the ones CI runs, and its example exists."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Three commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_install_run_and_test_commands():
    install, run, test = readme_commands()
    assert install.startswith("pip install")
    assert run.startswith("summtool ")
    assert "pytest" in test


def test_ci_runs_the_readme_install_and_test_commands_verbatim():
    install, _, test = readme_commands()
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    torch_line = next(i for i, line in enumerate(ci_lines) if "torch==" in line)
    assert ci_lines.index(install) > torch_line
    assert ci_lines.index(test) > ci_lines.index(install)


def test_readme_example_release_is_shipped():
    _, run, _ = readme_commands()
    for word in run.split()[2:]:
        if "/" in word:
            assert (ROOT / word).is_file(), word
