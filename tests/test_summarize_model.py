"""summtool summarize --engine model: prompt templates, context fitting and bullet parsing with a tiny model."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import DATA, read_release
from summtool.cli import app
from summtool.errors import ModelError, PromptError
from summtool.summarizer import summarize
from summtool.summarizer.model import fit_text, load_template, parse_bullets, render, template_fields
from summtool.summarizer.structure import layout

runner = CliRunner()


def test_shipped_templates_name_only_supplied_variables():
    for lang in ("en", "zh"):
        template = load_template(None, lang)
        assert set(template_fields(template)) <= {"title", "text", "language", "max_bullets"}
        assert "{text}" in template
        render(template, title="t", text="body", language="English", max_bullets=5)


def test_missing_variable_is_a_prompt_error(tmp_path):
    with pytest.raises(PromptError, match="audience"):
        render("Summarize for {audience}: {text}", text="x", title="", language="en", max_bullets=3)
    bad = tmp_path / "p.txt"
    bad.write_text("Release: {text}\nWrite for {audience}.\n", encoding="utf-8")
    with pytest.raises(PromptError):
        summarize(read_release("en_02.txt"), engine="model", model=str(tmp_path), prompt=str(bad))
    result = runner.invoke(app, ["summarize", "--engine", "model", "--model", str(tmp_path), "--prompt", str(bad),
                                 str(DATA / "en_02.txt")])
    assert result.exit_code == 1 and "audience" in result.output
    with pytest.raises(PromptError):
        summarize(read_release("en_02.txt"), engine="model", model=str(tmp_path), prompt=str(tmp_path / "none.txt"))


def test_fit_text_keeps_whole_leading_sentences():
    sents = ["One two three.", "Four five six.", "Seven eight nine."]
    assert fit_text(sents, lambda t: len(t.split()) <= 6, " ") == "One two three. Four five six."
    assert fit_text(sents, lambda t: len(t) <= 5, " ") == "One t"  # even the first is too long: its prefix


def test_parse_bullets():
    out = "Key points:\n- First point\n* second point\n1. third\n一是加强合作\n\n- First point\n•  x"
    assert parse_bullets(out) == ["Key points:", "First point", "second point", "third", "加强合作"]
    assert parse_bullets(out, 2) == ["Key points:", "First point"]


def test_missing_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError):
        summarize(read_release("en_02.txt"), engine="model", model=str(tmp_path / "nowhere"))
    result = runner.invoke(app, ["summarize", "--engine", "model", str(DATA / "en_02.txt")])
    assert result.exit_code == 2


@pytest.fixture(scope="session")
def tiny_gpt2(tmp_path_factory):
    """A 1-layer GPT-2 with random weights and a word-level tokenizer trained here on the test releases."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    out = tmp_path_factory.mktemp("tiny_gpt2")
    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.WordLevelTrainer(vocab_size=2000, special_tokens=["<unk>", "<eos>", "-", "\n"])
    tok.train_from_iterator([p.read_text(encoding="utf-8") for p in DATA.glob("*.txt")], trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", eos_token="<eos>", pad_token="<eos>",
                                   model_max_length=128)
    fast.save_pretrained(out)
    config = GPT2Config(vocab_size=len(fast), n_positions=128, n_embd=32, n_layer=1, n_head=2,
                        eos_token_id=fast.eos_token_id, bos_token_id=fast.eos_token_id)
    import torch

    torch.manual_seed(0)
    GPT2LMHeadModel(config).save_pretrained(out)
    return out


def test_tiny_causal_model_plumbing(tiny_gpt2):
    text = read_release("en_08.txt")  # far longer than the model's 128-token context
    summary = summarize(text, engine="model", model=str(tiny_gpt2), max_bullets=4)
    assert summary.engine == "model" and summary.kind == "meeting"
    assert summary.meeting["date"] == "November 26"  # facts still come from the release
    assert len(summary.key_points) <= 4
    for point in summary.key_points:
        assert set(point) == {"text", "paragraph", "sentence", "start", "end"}
        if point["start"] is not None:
            assert text[point["start"]:point["end"]] == point["text"]
    result = runner.invoke(app, ["summarize", "--engine", "model", "--model", str(tiny_gpt2), "-f", "json",
                                 str(DATA / "en_02.txt")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["engine"] == "model"


def test_context_fitting_cuts_on_sentence_boundaries(tiny_gpt2):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_gpt2)
    lay = layout(read_release("en_08.txt"), "en")
    template = load_template(None, "en")
    values = dict(title="", language="English", max_bullets=5)
    room = 110  # the template alone takes about 60 of the 128 positions

    def fits(body):
        return len(tok(render(template, text=body, **values))["input_ids"]) <= room

    body = fit_text([s.span.text for s in lay.sentences], fits, " ")
    assert body and fits(body)
    assert body.endswith(tuple(s.span.text for s in lay.sentences))  # whole sentences only
