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


# --- tiny Marian models (translation tests): random weights, built once per session -----------------
@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict:
    """{'zh-en': dir, 'en-zh': dir}: complete opus-mt-style directories with random weights; the en->zh
    one carries the >>cmn_Hans<< / >>cmn_Hant<< target tokens like Helsinki-NLP/opus-mt-en-zh."""
    from tiny_marian import TARGET_TOKENS, build_marian

    # Tiny models gain nothing from threads, and on a busy CI box spinning threads cost 10x: one each,
    # for this process (torch, CTranslate2) and the CLI subprocesses the tests start.
    os.environ["SUMMTOOL_THREADS"] = "1"
    os.environ["OMP_NUM_THREADS"] = "1"
    import torch

    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("tiny_marian")
    return {
        "zh-en": build_marian(root / "zh-en", source_lang="zh", target_lang="en", seed=0),
        "en-zh": build_marian(root / "en-zh", source_lang="en", target_lang="zh", target_tokens=TARGET_TOKENS,
                              seed=1),
    }


@pytest.fixture(scope="session")
def ct2_home(tmp_path_factory):
    """A SUMMTOOL_HOME shared by the CTranslate2 tests, so each tiny model is converted once."""
    return tmp_path_factory.mktemp("summtool_ct2_home")
