"""Model resolution: offline errors, env overrides, incomplete directories, the hub cache, `models` CLI."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from summtool.cli import app
from summtool.errors import ModelError
from summtool.models import model_for, resolve
from summtool.translation import Translator

MISSING = ("model Helsinki-NLP/opus-mt-zh-en is not downloaded; run "
           "`summtool models download Helsinki-NLP/opus-mt-zh-en` while online")


def test_missing_model_offline_is_one_clear_error():
    with pytest.raises(ModelError) as err:
        Translator(backend="transformers").translate("会议在北京举行。")
    assert str(err.value) == MISSING


def test_missing_model_offline_from_a_real_process(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "summtool", "translate", "-"], input="会议在北京举行。".encode(),
                          capture_output=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == f"summtool: error: {MISSING}"
    assert proc.stdout == b""


def test_env_var_and_option_choose_the_model(tiny_models, monkeypatch):
    assert model_for("zh", "en") == "Helsinki-NLP/opus-mt-zh-en"
    assert model_for("en", "zh") == "Helsinki-NLP/opus-mt-en-zh"
    monkeypatch.setenv("SUMMTOOL_MODEL_ZH_EN", str(tiny_models["zh-en"]))
    assert model_for("zh", "en") == str(tiny_models["zh-en"])
    assert model_for("zh", "en", "other/model") == "other/model"
    result = Translator(backend="transformers").translate("会议在北京举行。")
    assert result.model == str(tiny_models["zh-en"])


@pytest.mark.parametrize("missing", ["source.spm", "target.spm", "vocab.json", "model.safetensors"])
def test_incomplete_directory_names_the_missing_file(tiny_models, tmp_path, missing):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_models["zh-en"], broken)
    (broken / missing).unlink()
    with pytest.raises(ModelError, match=missing.replace(".", r"\.")):
        resolve(str(broken))


def test_not_a_directory_and_not_marian(tiny_models, tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        resolve(str(tmp_path / "nowhere"))
    other = tmp_path / "other"
    shutil.copytree(tiny_models["zh-en"], other)
    config = json.loads((other / "config.json").read_text())
    (other / "config.json").write_text(json.dumps({**config, "model_type": "bart"}))
    with pytest.raises(ModelError, match="only Marian"):
        resolve(str(other))


def _install_in_hub_cache(tmp_path_factory_dir, model_dir, model_id):
    """Lay a model out the way huggingface_hub caches it, under the test's HF_HOME."""
    import os

    hub = tmp_path_factory_dir / "hub" / ("models--" + model_id.replace("/", "--"))
    snapshot = hub / "snapshots" / ("0" * 40)
    shutil.copytree(model_dir, snapshot)
    (hub / "refs").mkdir(parents=True)
    (hub / "refs" / "main").write_text("0" * 40)
    assert os.environ["HF_HOME"]
    return snapshot


def test_cached_hub_model_is_found_offline_and_listed(tiny_models):
    import os
    from pathlib import Path

    snapshot = _install_in_hub_cache(Path(os.environ["HF_HOME"]), tiny_models["zh-en"], "Helsinki-NLP/opus-mt-zh-en")
    assert resolve("Helsinki-NLP/opus-mt-zh-en") == snapshot
    result = Translator(backend="transformers").translate("会议在北京举行。")
    assert result.model == "Helsinki-NLP/opus-mt-zh-en" and result.text.strip()
    runner = CliRunner()
    listed = runner.invoke(app, ["models", "list"])
    assert listed.exit_code == 0 and "Helsinki-NLP/opus-mt-zh-en" in listed.stdout
    assert str(snapshot) in listed.stdout
    as_json = json.loads(runner.invoke(app, ["models", "list", "--format", "json"]).stdout)
    assert as_json[0]["model"] == "Helsinki-NLP/opus-mt-zh-en" and as_json[0]["complete"]
    info = runner.invoke(app, ["models", "info", "Helsinki-NLP/opus-mt-zh-en"])
    assert info.exit_code == 0 and f"path: {snapshot}" in info.stdout
    # The en->zh default is not cached: info on the defaults reports it and exits 1.
    both = runner.invoke(app, ["models", "info"])
    assert both.exit_code == 1 and "opus-mt-en-zh is not downloaded" in both.stderr


def test_models_list_empty_and_download_offline():
    runner = CliRunner()
    listed = runner.invoke(app, ["models", "list"])
    assert listed.exit_code == 0 and listed.stdout == "" and "no models cached" in listed.stderr
    fetched = runner.invoke(app, ["models", "download", "Helsinki-NLP/opus-mt-zh-en"])
    assert fetched.exit_code == 1 and "offline" in fetched.stderr and "Traceback" not in fetched.stderr
