"""Build Marian (opus-mt layout) model directories with random weights for tests and benchmarks."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable

DATA = Path(__file__).parent / "data"
# The language tokens opus-mt-en-zh carries in its vocabulary (a subset is enough for tests).
TARGET_TOKENS = (">>cmn_Hans<<", ">>cmn_Hant<<", ">>yue_Hans<<")


def corpus_lines(lang: str) -> list[str]:
    """Lines of the test releases in one language ('zh' or 'en'): sentencepiece training text."""
    out = []
    for path in sorted(DATA.glob("*.txt")):
        name = path.name
        is_zh = name.startswith("zh_") or name.endswith(".zh.txt")
        is_en = name.startswith("en_") or name.endswith(".en.txt")
        if (lang == "zh" and is_zh) or (lang == "en" and is_en):
            out.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def train_spm(lines: Iterable[str], prefix: Path, vocab_size: int) -> Path:
    """A small unigram sentencepiece model (Marian's kind) trained on *lines*."""
    import sentencepiece as spm

    text = prefix.with_suffix(".train.txt")
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(prefix), vocab_size=vocab_size, model_type="unigram",
        character_coverage=0.9995, hard_vocab_limit=False, num_threads=2, minloglevel=2,
        # Marian's spm models put </s> at 0 and <unk> at 1 and have no <s>.
        unk_id=1, eos_id=0, bos_id=-1, pad_id=-1,
    )
    text.unlink()
    model = prefix.with_suffix(".model")
    return model


def _pieces(model: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_marian(
    out: str | Path,
    *,
    source_lang: str,
    target_lang: str,
    d_model: int = 16,
    layers: int = 1,
    heads: int = 2,
    ffn: int = 32,
    max_positions: int = 64,
    spm_vocab: dict[str, int] | None = None,
    vocab_size: int | None = None,
    target_tokens: Iterable[str] = (),
    seed: int = 0,
) -> Path:
    """Write a complete Marian model directory (source.spm, target.spm, vocab.json, tokenizer_config.json,
    config.json, model.safetensors) with random weights. vocab_size pads the joint vocabulary with filler
    tokens (the benchmark's full-size 65001)."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    work = out / "_spm"
    work.mkdir(exist_ok=True)
    sizes = {"zh": 1200, "en": 500, **(spm_vocab or {})}
    src_model = train_spm(corpus_lines(source_lang), work / "source", sizes[source_lang])
    tgt_model = train_spm(corpus_lines(target_lang), work / "target", sizes[target_lang])
    (out / "source.spm").write_bytes(src_model.read_bytes())
    (out / "target.spm").write_bytes(tgt_model.read_bytes())
    for f in work.iterdir():
        f.unlink()
    work.rmdir()

    # Joint vocabulary as in opus-mt: </s> 0, <unk> 1, the pieces of both sides, language tokens,
    # <pad> last (it doubles as the decoder start token, and CTranslate2 requires it last).
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for piece in _pieces(out / "source.spm") + _pieces(out / "target.spm") + list(target_tokens):
        if piece not in vocab and not re.fullmatch(r"<.*>", piece):
            vocab[piece] = len(vocab)
    if vocab_size is not None:
        filler = 0
        while len(vocab) < vocab_size - 1:
            vocab[f"\u2581filler{filler}"] = len(vocab)
            filler += 1
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(json.dumps({
        "source_lang": source_lang, "target_lang": target_lang, "model_max_length": max_positions,
        "tokenizer_class": "MarianTokenizer", "separate_vocabs": False,
    }), encoding="utf-8")

    pad = len(vocab) - 1
    config = MarianConfig(
        vocab_size=len(vocab), decoder_vocab_size=len(vocab), d_model=d_model,
        encoder_layers=layers, decoder_layers=layers, encoder_attention_heads=heads,
        decoder_attention_heads=heads, encoder_ffn_dim=ffn, decoder_ffn_dim=ffn,
        max_position_embeddings=max_positions, activation_function="swish", scale_embedding=True,
        share_encoder_decoder_embeddings=True, tie_word_embeddings=True,
        pad_token_id=pad, decoder_start_token_id=pad, eos_token_id=0, bos_token_id=0,
        forced_eos_token_id=0, dropout=0.1, attention_dropout=0.0, activation_dropout=0.0,
        static_position_embeddings=True, normalize_embedding=False,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.eval()
    model.save_pretrained(out, safe_serialization=True)
    return out
