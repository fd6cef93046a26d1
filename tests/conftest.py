"""Shared fixtures: every test runs with an isolated, offline Hugging Face cache and no user config."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    """Keep tests away from the user's cache and the network, like llm's user-dir fixture."""
    home = tmp_path_factory.mktemp("hf_home")
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("SUMMTOOL_HOME", str(home / "summtool"))
    for var in ("SUMMTOOL_MODEL_ZH_EN", "SUMMTOOL_MODEL_EN_ZH", "SUMMTOOL_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    yield


@pytest.fixture
def data_dir() -> Path:
    return DATA


def read_release(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")
