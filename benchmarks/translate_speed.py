"""Translation throughput side by side: transformers one at a time, summtool's engine, raw CTranslate2 int8.

Workload (as in issue 3): the opus-mt-zh-en architecture (d_model 512, 6+6 layers, 8 heads, FFN 2048,
vocab 65001) with random weights, 32 sentences of 40 source tokens, each decoded to exactly 40 tokens
(min = max new tokens), greedy. Every path gets the same token ids. Prints sentences/s and ratios.

    python benchmarks/translate_speed.py [--rounds 3] [--slow-sentences 8] [--device cpu]
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
warnings.filterwarnings("ignore")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

SENTENCES, SRC_TOKENS, NEW_TOKENS = 32, 40, 40


def make_sentences(vocab, n: int, seed: int = 0) -> list[str]:
    """Chinese strings that tokenize to exactly SRC_TOKENS ids (</s> included)."""
    from tiny_marian import corpus_lines

    chars = sorted({ch for line in corpus_lines("zh") for ch in line if "\u4e00" <= ch <= "\u9fff"})
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        text = ""
        while len(vocab.encode(text)) < SRC_TOKENS:
            text += rng.choice(chars)
        if len(vocab.encode(text)) == SRC_TOKENS:
            out.append(text)
    return out


def timed(fn, count: int, rounds: int) -> list[float]:
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        rates.append(count / (time.perf_counter() - start))
    return rates


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds per path (best and median reported)")
    ap.add_argument("--slow-sentences", type=int, default=8, help="sentences for the one-at-a-time path")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--batch-size", type=int, default=None, help="summtool engine batch size (default: its own)")
    ap.add_argument("--sentences", type=int, default=SENTENCES)
    args = ap.parse_args()

    import torch
    from tiny_marian import build_marian

    from summtool.models import ct2_available
    from summtool.translation import Translator

    work = Path(tempfile.mkdtemp(prefix="summtool-bench-"))
    os.environ["SUMMTOOL_HOME"] = str(work / "home")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch "
          f"{torch.__version__}, threads {torch.get_num_threads()}, device {args.device}", flush=True)
    t0 = time.perf_counter()
    model_dir = build_marian(work / "opus-mt-zh-en-random", source_lang="zh", target_lang="en", d_model=512,
                             layers=6, heads=8, ffn=2048, max_positions=512, vocab_size=65001)
    print(f"built the full-size random model in {time.perf_counter() - t0:.1f}s", flush=True)

    from summtool.models import MarianVocab

    vocab = MarianVocab(model_dir)
    texts = make_sentences(vocab, args.sentences)
    ids = vocab.encode_many(texts)
    results: dict[str, list[float]] = {}

    # 1. transformers, one sentence at a time, fp32 (what a naive loop over generate() does).
    from transformers import GenerationConfig, MarianMTModel

    model = MarianMTModel.from_pretrained(str(model_dir)).eval().to(args.device)
    gen = GenerationConfig(num_beams=1, do_sample=False, min_new_tokens=NEW_TOKENS, max_new_tokens=NEW_TOKENS,
                           decoder_start_token_id=vocab.pad_id, eos_token_id=vocab.eos_id, pad_token_id=vocab.pad_id)
    slow = ids[: args.slow_sentences]

    def one_at_a_time():
        with torch.inference_mode():
            for row in slow:
                model.generate(input_ids=torch.tensor([row], device=args.device), generation_config=gen)

    one_at_a_time()  # warm-up
    results["transformers, one at a time (fp32)"] = timed(one_at_a_time, len(slow), max(1, args.rounds - 1))
    model = None  # free its memory before the engines load their own copies

    # 2./3. summtool's engine on each backend: sentence planning, tokenization, sorting, batching.
    backends = ["transformers"] + (["ct2"] if ct2_available() else [])
    engines = {}
    for name in backends:
        tr = Translator(model=str(model_dir), backend=name, device=args.device, batch_size=args.batch_size)
        tr.force_new_tokens = NEW_TOKENS
        t0 = time.perf_counter()
        lm = tr.loaded("zh", "en")
        print(f"summtool {name}: loaded ({lm.backend.precision}) in {time.perf_counter() - t0:.1f}s", flush=True)
        tr.translate_segments(texts[:4], source="zh", target="en")  # warm-up
        engines[name] = (tr, lm.backend.precision)

    # 4. raw CTranslate2 int8, converted directly, same token ids, batch 32.
    raw = None
    if ct2_available():
        import ctranslate2

        raw_dir = work / "ct2-int8"
        ctranslate2.converters.TransformersConverter(str(model_dir)).convert(str(raw_dir), quantization="int8")
        raw = ctranslate2.Translator(str(raw_dir), device=args.device,
                                     compute_type="int8" if args.device == "cpu" else "int8_float16")
        tokens = [vocab.tokens(row) for row in ids]
        raw_call = lambda: raw.translate_batch(tokens, beam_size=1, max_batch_size=32,  # noqa: E731
                                               min_decoding_length=NEW_TOKENS, max_decoding_length=NEW_TOKENS)
        raw_call()

    # Interleave the fast paths round by round, so that a busy moment hurts them alike.
    for _ in range(args.rounds):
        for name, (tr, precision) in engines.items():
            key = f"summtool engine, {name} ({precision})"
            results.setdefault(key, []).extend(
                timed(lambda tr=tr: tr.translate_segments(texts, source="zh", target="en"), len(texts), 1))
        if raw is not None:
            results.setdefault("CTranslate2 int8, raw", []).extend(timed(raw_call, len(texts), 1))

    check = engines["transformers"][0].translate_segments(texts[:2], source="zh", target="en")
    assert all(check), "the engine returned an empty translation"
    reference = max(results.get("CTranslate2 int8, raw", [0])) or None
    print(f"\n{len(texts)} sentences x {SRC_TOKENS} source tokens -> {NEW_TOKENS} new tokens, greedy; "
          f"sentences/s (best of rounds, median in brackets)")
    for key, rates in results.items():
        best = max(rates)
        ratio = f"  {best / reference:5.2f}x CTranslate2" if reference else ""
        print(f"  {key:44s} {best:8.2f}  ({statistics.median(rates):.2f}){ratio}")
    import shutil

    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
