"""The translation engine on tiny random Marian models: structure, nothing dropped, batching, guards."""
from __future__ import annotations

import re

import pytest

from conftest import read_release
from summtool.text import lines, paragraphs, sentences
from summtool.translation import (Translator, collapse_loops, normalize, repeated_loop, split_segment,
                                translate)


def make(tiny_models, direction="zh-en", **kw):
    kw.setdefault("backend", "transformers")
    return Translator(model=str(tiny_models[direction]), **kw)


def record(translator):
    calls = []
    translator.on_batch = calls.append
    return calls


def test_paragraphs_and_lines_are_preserved_one_to_one(tiny_models):
    text = read_release("zh_02.txt") + "\n\n第一行。\n第二行，没有句号\n第三行！"
    result = make(tiny_models).translate(text)
    assert [p["source"] for p in result.paragraphs] == [p.text for p in paragraphs(text)]
    for para in result.paragraphs:
        assert para["translation"].strip()
        assert para["translation"].count("\n") == para["source"].count("\n")
    assert result.text == "\n\n".join(p["translation"] for p in result.paragraphs)
    assert (result.source_language, result.target_language) == ("zh-Hans", "en")
    assert not result.passed_through


def test_every_sentence_reaches_the_model_and_gets_a_translation(tiny_models):
    translator = make(tiny_models)
    calls = record(translator)
    text = read_release("pair_02.zh.txt")
    translator.translate(text)
    sent = {t for c in calls if not c["retry"] for t in c["texts"]}
    expected = [normalize(s.text, "zh") for p in paragraphs(text) for ln in lines(p.text)
                for s in sentences(ln.text, "zh")]
    assert expected and all(s in sent for s in expected)
    # Each sentence translated on its own gives a non-empty translation.
    out = translator.translate_segments(expected, source="zh", target="en")
    assert len(out) == len(expected) and all(t.strip() for t in out)


def test_a_5000_character_sentence_without_punctuation_is_translated_in_full(tiny_models):
    corpus = re.sub(r"[^\u4e00-\u9fff]", "", read_release("zh_01.txt") + read_release("zh_03.txt"))
    sentence = (corpus * 3)[:5000]
    translator = make(tiny_models)
    calls = record(translator)
    result = translator.translate(sentence)
    lm = translator.loaded("zh", "en")
    first_pass = [t for c in calls if not c["retry"] for t in c["texts"]]
    chunks = split_segment(sentence, "zh", lm.max_positions - 2, lm.vocab.count)
    assert len(chunks) > 20
    assert "".join(chunks) == sentence  # every character is in exactly one chunk, in order
    assert sorted(first_pass) == sorted(set(chunks))  # and every chunk went to the model
    assert all(len(ids) <= lm.max_positions for c in calls for ids in c["input_ids"])
    assert len(result.paragraphs) == 1 and result.paragraphs[0]["translation"].strip()


def test_long_segments_split_at_clauses_first():
    words = lambda s: len(s.split())  # noqa: E731 - a token counter for the test
    text = "The meeting reviewed the work of the year, heard reports from ten ministries, " \
           "and set out the tasks for next year in detail."
    pieces = split_segment(text, "en", 10, words)
    assert pieces == ["The meeting reviewed the work of the year,", "heard reports from ten ministries,",
                      "and set out the tasks for next year in detail."]
    long_word_run = " ".join(f"w{i}" for i in range(25))
    pieces = split_segment(long_word_run, "en", 10, words)
    assert [words(p) for p in pieces] == [10, 10, 5] and " ".join(pieces) == long_word_run
    zh = "会议强调，要坚持稳中求进工作总基调、完整准确全面贯彻新发展理念；加快构建新发展格局"
    pieces = split_segment(zh, "zh", 12, len)
    assert "".join(pieces) == zh and all(len(p) <= 12 for p in pieces)
    assert pieces[0] == "会议强调，"


@pytest.mark.parametrize("backend", ["transformers-fp32", "ct2"])
def test_batched_output_equals_one_at_a_time(tiny_models, monkeypatch, ct2_home, backend):
    if backend == "ct2":
        pytest.importorskip("ctranslate2")
        monkeypatch.setenv("SUMMTOOL_HOME", str(ct2_home))
    else:
        # torch's dynamic int8 scales activations per batch; fp32 (and CTranslate2 int8) are exact.
        monkeypatch.setenv("SUMMTOOL_CPU_INT8", "0")
    name = backend.split("-")[0]
    text = read_release("zh_08.txt")
    batched = make(tiny_models, backend=name, batch_size=64).translate(text)
    single = make(tiny_models, backend=name, batch_size=1).translate(text)
    assert batched.paragraphs == single.paragraphs
    assert batched.retried_segments == single.retried_segments


def test_output_is_deterministic(tiny_models):
    text = read_release("en_03.txt")
    first = make(tiny_models, "en-zh").translate(text)
    second = make(tiny_models, "en-zh").translate(text)
    assert first.paragraphs == second.paragraphs


def test_en_zh_prepends_the_target_language_token_to_every_segment(tiny_models):
    for script, token in (("simplified", ">>cmn_Hans<<"), ("traditional", ">>cmn_Hant<<")):
        translator = make(tiny_models, "en-zh", script=script)
        calls = record(translator)
        result = translator.translate(read_release("en_01.txt"))
        token_id = translator.loaded("en", "zh").vocab.encoder[token]
        assert calls
        for call in calls:
            assert all(t.startswith(token + " ") for t in call["texts"])
            assert all(ids[0] == token_id and ids[-1] == 0 for ids in call["input_ids"])
        assert result.target_language == ("zh-Hans" if script == "simplified" else "zh-Hant")
    # zh->en has no such token.
    translator = make(tiny_models)
    calls = record(translator)
    translator.translate("会议在北京举行。")
    assert not any(t.startswith(">>") for c in calls for t in c["texts"])


def test_retried_segments_are_counted(tiny_models):
    translator = make(tiny_models)
    calls = record(translator)
    result = translator.translate(read_release("zh_04.txt"))
    retried = {t for c in calls if c["retry"] for t in c["texts"]}
    firsts = [(t, out) for c in calls if not c["retry"] for t, out in zip(c["texts"], c["outputs"])]
    # A random model loops: some segments must have been retried, and exactly those the guard flagged.
    assert result.retried_segments == len(retried) > 0
    assert all(repeated_loop(out) or len(out) >= 10 or not out for t, out in firsts if t in retried)
    assert result.to_json()["retried_segments"] == result.retried_segments


def test_translate_many_batches_across_documents(tiny_models, monkeypatch):
    monkeypatch.setenv("SUMMTOOL_CPU_INT8", "0")  # exact arithmetic, so batch-mates cannot matter
    texts = [read_release("zh_02.txt"), read_release("zh_03.txt"), read_release("pair_03.zh.txt")]
    translator = make(tiny_models, batch_size=256)
    calls = record(translator)
    many = translator.translate_many(texts)
    assert len([c for c in calls if not c["retry"]]) == 1  # one full model call for all three
    assert [len(r.paragraphs) for r in many] == [len(paragraphs(t)) for t in texts]
    one_by_one = [make(tiny_models, batch_size=256).translate(t) for t in texts]
    assert [r.paragraphs for r in many] == [r.paragraphs for r in one_by_one]


def test_translate_segments_keeps_order_and_count(tiny_models):
    bullets = ["会议强调，要扩大内需。", "稳外贸", "", "推进高水平对外开放。会议要求抓好落实。"]
    out = make(tiny_models).translate_segments(bullets, source="zh", target="en")
    assert len(out) == 4 and out[2] == "" and all(out[i].strip() for i in (0, 1, 3))
    assert make(tiny_models).translate_segments(["same"], source="en", target="en") == ["same"]


def test_text_in_the_target_language_passes_through_without_loading_a_model():
    text = read_release("en_02.txt")
    result = Translator(model="/nonexistent/model").translate(text, to="en")
    assert result.passed_through and result.text == "\n\n".join(p.text for p in paragraphs(text))
    assert result.retried_segments == 0


def test_python_api_and_json_shape(tiny_models):
    import summtool

    result = summtool.translate("会议在北京举行。\n\n会议强调，要做好工作。", model=str(tiny_models["zh-en"]),
                                backend="transformers")
    data = result.to_json()
    assert list(data) == ["source_language", "target_language", "model", "paragraphs", "retried_segments",
                          "seconds"]
    assert data["model"] == str(tiny_models["zh-en"])
    assert [set(p) for p in data["paragraphs"]] == [{"source", "translation"}] * 2
    assert isinstance(summtool.Translator(), Translator)
    # The function and the module share the name; both spellings work.
    assert translate("hello there, this is English.", to="en").passed_through
    assert summtool.translate("Hello there, this is English.", to="en").passed_through


def test_unsupported_language_is_an_input_error(tiny_models):
    from summtool.errors import InputError, UsageError

    with pytest.raises(InputError, match="only Chinese and English"):
        make(tiny_models).translate("Привет, как дела? Это тестовое сообщение на русском языке.")
    with pytest.raises(UsageError):
        make(tiny_models).translate("hello", to="fr")
    with pytest.raises(UsageError):
        Translator(device="tpu")


def test_custom_greedy_loop_matches_generate(tiny_models, monkeypatch):
    import torch

    from summtool.models import GenerateOptions

    monkeypatch.setenv("SUMMTOOL_CPU_INT8", "0")
    lm = make(tiny_models).loaded("zh", "en")
    batch = lm.vocab.encode_many(["会议在北京举行。", "中央经济工作会议12月11日至12日在北京举行", "好"])
    ours = lm.backend.generate(batch, GenerateOptions(beams=1, max_new_tokens=30))
    width = max(map(len, batch))
    ids = torch.tensor([b + [lm.vocab.pad_id] * (width - len(b)) for b in batch])
    ref = lm.backend.model.generate(input_ids=ids, attention_mask=(ids != lm.vocab.pad_id).long(),
                                    num_beams=1, do_sample=False, max_new_tokens=30)
    ref = [[t for t in row[1:] if t not in (0, lm.vocab.pad_id)] for row in ref.tolist()]
    assert ours == ref


def test_marian_vocab_matches_the_transformers_tokenizer(tiny_models):
    from transformers import MarianTokenizer

    from summtool.models import MarianVocab

    for direction, sample in (("zh-en", read_release("zh_03.txt")[:400]),
                              ("en-zh", ">>cmn_Hans<< " + read_release("en_04.txt")[:400])):
        ours = MarianVocab(tiny_models[direction])
        theirs = MarianTokenizer.from_pretrained(str(tiny_models[direction]))
        for line in sample.splitlines()[:6]:
            if line.strip():
                assert ours.encode(line) == theirs(line)["input_ids"]
        ids = list(range(2, 60))
        assert ours.decode(ids) == theirs.decode(ids, skip_special_tokens=True)


def test_normalize_what_opus_mt_was_trained_on():
    assert normalize("会议 强调,要做好ＡＢＣ１２３工作:一是", "zh") == "会议强调，要做好ABC123工作：一是"
    assert normalize("增长1,000亿元，时间3:30", "zh") == "增长1,000亿元，时间3:30"
    assert normalize("The meeting，held in Beijing（China）。", "en") == "The meeting, held in Beijing (China)."
    assert normalize("a\u3000b\u200bc", "en") == "a bc"


def test_loop_detection_and_collapse():
    assert repeated_loop([5, 6, 7] + [1, 2] * 5)
    assert repeated_loop([9] * 8)
    assert not repeated_loop([1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3])
    assert not repeated_loop([1, 1, 2, 2, 3, 3])
    assert collapse_loops([4, 1, 2, 1, 2, 1, 2, 1, 2, 5]) == [4, 1, 2, 5]
    assert collapse_loops([1, 2, 3]) == [1, 2, 3]


def test_ct2_backend_converts_once_and_translates(tiny_models, monkeypatch, ct2_home):
    pytest.importorskip("ctranslate2")
    from summtool.models import ct2_dir

    monkeypatch.setenv("SUMMTOOL_HOME", str(ct2_home))
    translator = Translator(model=str(tiny_models["en-zh"]), backend="auto", device="cpu")
    calls = record(translator)
    result = translator.translate(read_release("en_05.txt"))
    lm = translator.loaded("en", "zh")
    assert lm.backend.name == "ct2" and lm.backend.precision == "int8"
    converted = ct2_dir(tiny_models["en-zh"]) / "model.bin"
    assert converted.is_file()
    stamp = converted.stat().st_mtime_ns
    again = Translator(model=str(tiny_models["en-zh"]), backend="ct2").translate(read_release("en_05.txt"))
    assert converted.stat().st_mtime_ns == stamp  # reused, not converted again
    assert again.paragraphs == result.paragraphs
    assert all(p["translation"].strip() for p in result.paragraphs)
    assert all(t.startswith(">>cmn_Hans<< ") for c in calls for t in c["texts"])
