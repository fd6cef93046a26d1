"""Find, fetch, check and load Marian translation models (transformers or CTranslate2 backend)."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from .errors import ModelError, UsageError

DEFAULT_MODELS = {("zh", "en"): "Helsinki-NLP/opus-mt-zh-en", ("en", "zh"): "Helsinki-NLP/opus-mt-en-zh"}
MODEL_ENV = {("zh", "en"): "SUMMTOOL_MODEL_ZH_EN", ("en", "zh"): "SUMMTOOL_MODEL_EN_ZH"}
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
DEVICES = ("auto", "cpu", "cuda", "mps")
BACKENDS = ("auto", "transformers", "ct2")
# Only what loading needs: no TF/Flax/Rust weights (opus-mt repos carry all of them).
_DOWNLOAD_PATTERNS = ["*.json", "*.spm", "*.txt", "*.model"]


# --- where things live -----------------------------------------------------------------------------
def summtool_home() -> Path:
    """SUMMTOOL_HOME, else ~/.cache/summtool: converted models and other derived files."""
    env = os.environ.get("SUMMTOOL_HOME")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "summtool"


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment on every call (HF_HUB_CACHE, HF_HOME)."""
    env = os.environ.get("HF_HUB_CACHE") or os.environ.get("HUGGINGFACE_HUB_CACHE")
    if env:
        return Path(env).expanduser()
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "huggingface")
    return Path(home).expanduser() / "hub"


def is_offline() -> bool:
    return any(os.environ.get(v, "").strip().lower() in ("1", "true", "yes", "on")
               for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def model_for(source: str, target: str, override: str | None = None) -> str:
    """The model id or directory for one direction: the explicit override, the env var, the default."""
    key = (source, target)
    if key not in DEFAULT_MODELS:
        raise UsageError(f"no translation model for {source}->{target}: only zh->en and en->zh are supported")
    return override or os.environ.get(MODEL_ENV[key]) or DEFAULT_MODELS[key]


def check_model_dir(path: Path, name: str) -> Path:
    """Raise ModelError naming the first file a Marian directory lacks."""
    if not (path / "config.json").is_file():
        raise ModelError(f"model {name}: {path} has no config.json; not a model directory")
    for fname in TOKENIZER_FILES:
        if not (path / fname).is_file():
            raise ModelError(f"model {name}: tokenizer file {fname} is missing from {path}")
    if not any((path / w).is_file() for w in WEIGHT_FILES):
        raise ModelError(f"model {name}: no weights in {path} (expected model.safetensors or pytorch_model.bin)")
    try:
        vocab = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(f"model {name}: vocab.json is unreadable: {err}") from None
    if "<unk>" not in vocab:
        raise ModelError(f"model {name}: vocab.json has no <unk> token")
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(f"model {name}: config.json is unreadable: {err}") from None
    if config.get("model_type") != "marian":
        raise ModelError(f"model {name}: model_type is {config.get('model_type')!r}; only Marian models are supported")
    return path


def not_downloaded(model_id: str) -> ModelError:
    return ModelError(f"model {model_id} is not downloaded; run `summtool models download {model_id}` while online")


def cached_snapshot(model_id: str) -> Path | None:
    """The local snapshot of a hub model, if config.json of it is cached."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(model_id, "config.json", cache_dir=str(hub_cache_dir()))
    except Exception:  # a malformed id: treat as not cached, the caller explains
        return None
    if isinstance(found, str) and os.path.isfile(found):
        return Path(found).parent
    return None


def resolve(model: str, *, download: bool | None = None) -> Path:
    """The directory holding *model* (a directory or a hub id), checked. Downloads a hub model only
    when online and *download* is not False; offline, a missing model is a ModelError saying how to fetch it."""
    path = Path(model).expanduser()
    if path.is_dir():
        return check_model_dir(path.resolve(), model)
    if model.startswith((".", "/", "~")) or model.count("/") > 1 or path.exists():
        raise ModelError(f"model directory {model} does not exist")
    snapshot = cached_snapshot(model)
    if snapshot is not None and all((snapshot / f).is_file() for f in TOKENIZER_FILES):
        return check_model_dir(snapshot, model)
    if is_offline() or download is False:
        raise not_downloaded(model)
    return download_model(model)


def download_model(model_id: str) -> Path:
    """Fetch what loading needs (safetensors preferred) into the hub cache; return the snapshot dir."""
    if is_offline():
        raise ModelError(f"cannot download {model_id}: offline (HF_HUB_OFFLINE is set); unset it and retry")
    import logging

    from huggingface_hub import list_repo_files, snapshot_download

    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)  # no retry chatter on our stderr

    try:
        files = set(list_repo_files(model_id))
        weights = next((w for w in WEIGHT_FILES if w in files), None)
        if weights is None:
            raise ModelError(f"model {model_id} has no PyTorch weights (model.safetensors or pytorch_model.bin)")
        path = snapshot_download(model_id, cache_dir=str(hub_cache_dir()),
                                 allow_patterns=_DOWNLOAD_PATTERNS + [weights])
    except ModelError:
        raise
    except Exception as err:  # network, auth, unknown repo: one line naming the model
        first = str(err).splitlines()[0] if str(err) else ""
        raise ModelError(f"cannot download {model_id} ({err.__class__.__name__}: {first}); when online, run "
                         f"`summtool models download {model_id}`, or set HF_HUB_OFFLINE=1 to fail fast") from None
    return check_model_dir(Path(path), model_id)


# --- listing -----------------------------------------------------------------------------------------
def _dir_size(path: Path) -> int:
    total = 0
    for p in path.rglob("*"):
        try:
            if p.is_file():
                total += p.stat().st_size  # follows hub symlinks to the blobs
        except OSError:
            pass
    return total


def cached_models() -> list[dict]:
    """Marian models in the hub cache and their CTranslate2 conversions."""
    out = []
    hub = hub_cache_dir()
    if hub.is_dir():
        for repo in sorted(hub.glob("models--*")):
            model_id = repo.name[len("models--"):].replace("--", "/")
            snapshot = cached_snapshot(model_id)
            if snapshot is None:
                continue
            out.append(_describe(model_id, snapshot))
    return out


def _describe(model_id: str, path: Path) -> dict:
    info: dict[str, Any] = {"model": model_id, "path": str(path), "size_bytes": _dir_size(path)}
    missing = [f for f in ("config.json",) + TOKENIZER_FILES if not (path / f).is_file()]
    if not any((path / w).is_file() for w in WEIGHT_FILES):
        missing.append("model.safetensors")
    info["complete"] = not missing
    info["missing"] = missing
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    info["model_type"] = config.get("model_type")
    info["architecture"] = {k: config.get(k) for k in ("d_model", "encoder_layers", "decoder_layers",
                                                       "vocab_size", "max_position_embeddings")}
    conv = ct2_dir(path)
    info["ct2_path"] = str(conv) if (conv / "model.bin").is_file() else None
    return info


def model_info(model: str) -> dict:
    """Where *model* (id or dir) lives and what it is; ModelError when it is not available locally."""
    path = resolve(model, download=False)
    return _describe(model, path)


# --- tokenization -----------------------------------------------------------------------------------
_LANG_CODE = re.compile(r">>.+<<")


class MarianVocab:
    """MarianTokenizer's encoding and decoding, on sentencepiece and vocab.json alone: the CTranslate2
    path then never imports torch or transformers (about 7 s cold)."""

    def __init__(self, path: Path) -> None:
        import sentencepiece as spm

        self.path = path
        self.encoder: dict[str, int] = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
        self.unk_id = self.encoder["<unk>"]
        self.eos_id = self.encoder.get("</s>", 0)
        self.pad_id = self.encoder.get("<pad>", len(self.encoder) - 1)
        target_vocab = path / "target_vocab.json"
        tconf = _read_json(path / "tokenizer_config.json")
        if tconf.get("separate_vocabs") and target_vocab.is_file():
            self.target_encoder = json.loads(target_vocab.read_text(encoding="utf-8"))
        else:
            self.target_encoder = self.encoder
        self.decoder = {i: t for t, i in self.target_encoder.items()}
        self.language_codes = [t for t in self.encoder if t.startswith(">>") and t.endswith("<<")]
        self.special_ids = {self.encoder.get(t) for t in ("</s>", "<unk>", "<pad>", "<eop>", "<eod>")} - {None}
        self.source_sp = spm.SentencePieceProcessor(model_file=str(path / "source.spm"))
        self.target_sp = spm.SentencePieceProcessor(model_file=str(path / "target.spm"))

    @property
    def size(self) -> int:
        return len(self.encoder)

    def encode(self, text: str) -> list[int]:
        """Source ids ending with </s>; a leading >>lang<< code maps to its own id, like MarianTokenizer."""
        match = _LANG_CODE.match(text)
        code = [match.group(0)] if match else []
        text = _LANG_CODE.sub("", text)
        pieces = code + self.source_sp.encode(text, out_type=str)
        unk = self.unk_id
        return [self.encoder.get(p, unk) for p in pieces] + [self.eos_id]

    def encode_many(self, texts: Sequence[str]) -> list[list[int]]:
        return [self.encode(t) for t in texts]

    def count(self, text: str) -> int:
        """Source tokens of *text*, without </s>."""
        return len(self.source_sp.encode(text))

    def decode(self, ids: Sequence[int]) -> str:
        pieces = [self.decoder[i] for i in ids if i not in self.special_ids and i in self.decoder]
        return self.target_sp.decode_pieces(pieces).replace("\u2581", " ").strip()

    def tokens(self, ids: Sequence[int]) -> list[str]:
        return [self.decoder.get(i, "<unk>") for i in ids]


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# --- devices and backends ------------------------------------------------------------------------------
def ct2_available() -> bool:
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def resolve_device(device: str) -> str:
    """'auto' → cuda, then mps, then cpu. Asks CTranslate2 first when installed, so CPU-only runs on the
    CTranslate2 path need not import torch."""
    if device not in DEVICES:
        raise UsageError(f"unknown device {device!r}: use one of {', '.join(DEVICES)}")
    if device != "auto":
        if device in ("cuda", "mps"):
            import torch

            ok = torch.cuda.is_available() if device == "cuda" else torch.backends.mps.is_available()
            if not ok:
                raise UsageError(f"device {device} is not available on this machine")
        return device
    if ct2_available() and sys.platform != "darwin":
        import ctranslate2

        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if sys.platform == "darwin" and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


@dataclass
class GenerateOptions:
    """Decoding settings for one batch; min_new_tokens forces length (benchmarks only)."""

    beams: int = 1
    max_new_tokens: int = 256
    min_new_tokens: int = 0
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0


class Backend:
    """Turns batches of source ids into target ids; concrete classes wrap transformers or CTranslate2."""

    name = "?"
    device = "cpu"
    precision = "float32"
    default_batch_size = 32

    def generate(self, batch: list[list[int]], options: GenerateOptions) -> list[list[int]]:
        raise NotImplementedError


class TransformersBackend(Backend):
    name = "transformers"

    def __init__(self, path: Path, vocab: MarianVocab, *, device: str, quantize: bool | None = None) -> None:
        _quiet_transformers()
        import torch
        from transformers import MarianMTModel

        self.torch = torch
        threads = _threads()
        if threads:
            torch.set_num_threads(threads)
        self.device = device
        self.vocab = vocab
        dtype = torch.float16 if device in ("cuda", "mps") else torch.float32
        try:
            model = MarianMTModel.from_pretrained(str(path), dtype=dtype, use_safetensors=None,
                                                  trust_remote_code=False)
        except Exception as err:
            raise ModelError(f"cannot load model from {path}: {err.__class__.__name__}: {err}") from None
        model.eval()
        with torch.no_grad():
            # <pad> is the decoder start token and must never be generated: opus-mt configs ban it with
            # bad_words_ids, which costs a logits processor per step; a -inf bias costs nothing.
            bias = getattr(model, "final_logits_bias", None)
            if bias is not None and bias.shape[-1] > vocab.pad_id:
                bias[..., vocab.pad_id] = float("-inf")
        if quantize is None:
            quantize = device == "cpu" and os.environ.get("SUMMTOOL_CPU_INT8", "1") not in ("0", "")
        if device == "cpu" and quantize:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
            self.precision = "int8 (dynamic)"
        else:
            self.precision = str(dtype).replace("torch.", "")
        from transformers import GenerationConfig

        # Replace the legacy generation keys opus-mt configs carry (num_beams 6, max_length 512,
        # bad_words_ids, forced_eos): generate() would fill every setting we leave unset from them.
        model.generation_config = GenerationConfig(
            decoder_start_token_id=model.config.decoder_start_token_id, eos_token_id=vocab.eos_id,
            pad_token_id=vocab.pad_id)
        self.model = model.to(device)
        self.config = model.config
        self.default_batch_size = 32 if device == "cpu" else 512

    def generate(self, batch: list[list[int]], options: GenerateOptions) -> list[list[int]]:
        torch = self.torch
        from transformers import GenerationConfig

        pad, eos = self.vocab.pad_id, self.vocab.eos_id
        width = max(len(ids) for ids in batch)
        input_ids = torch.full((len(batch), width), pad, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
            mask[row, : len(ids)] = 1
        if options.beams == 1 and not options.no_repeat_ngram_size and options.repetition_penalty == 1.0:
            return self._greedy(input_ids.to(self.device), mask.to(self.device), options)
        # A fresh config: the legacy keys in opus-mt configs (num_beams 6, max_length 512,
        # bad_words_ids) must not take over.
        config = GenerationConfig(
            num_beams=options.beams, do_sample=False, max_new_tokens=options.max_new_tokens,
            min_new_tokens=options.min_new_tokens or None, early_stopping=True if options.beams > 1 else False,
            no_repeat_ngram_size=options.no_repeat_ngram_size or None,
            repetition_penalty=options.repetition_penalty if options.repetition_penalty != 1.0 else None,
            decoder_start_token_id=self.config.decoder_start_token_id, eos_token_id=eos, pad_token_id=pad,
            num_return_sequences=1,
        )
        with torch.inference_mode():
            out = self.model.generate(input_ids=input_ids.to(self.device), attention_mask=mask.to(self.device),
                                      generation_config=config)
        result = []
        for row in out.tolist():
            ids = row[1:]  # the decoder start token
            if eos in ids:
                ids = ids[: ids.index(eos)]
            result.append([i for i in ids if i != pad][: options.max_new_tokens])
        return result


    def _greedy(self, input_ids, mask, options: GenerateOptions) -> list[list[int]]:
        """Greedy decoding in a plain loop: same tokens as generate(num_beams=1), without its per-step
        logits processors, stopping criteria and float32 logit copies (a third of the time on CPU), and
        with finished rows dropped from the batch as they end."""
        torch = self.torch
        from transformers.cache_utils import DynamicCache, EncoderDecoderCache

        model = self.model
        eos = self.vocab.eos_id
        with torch.inference_mode():
            states = model.get_encoder()(input_ids=input_ids, attention_mask=mask).last_hidden_state
            decoder = model.get_decoder()
            cache = EncoderDecoderCache(DynamicCache(config=self.config), DynamicCache(config=self.config))
            bias = model.final_logits_bias
            rows = torch.arange(input_ids.shape[0], device=input_ids.device)
            step_ids = torch.full((input_ids.shape[0], 1), self.config.decoder_start_token_id,
                                  dtype=torch.long, device=input_ids.device)
            results: list[list[int]] = [[] for _ in range(input_ids.shape[0])]
            produced = []  # (rows alive, their next tokens) per step, copied to Python once at the end
            for step in range(options.max_new_tokens):
                out = decoder(input_ids=step_ids, encoder_hidden_states=states, encoder_attention_mask=mask,
                              **{self._cache_kw: cache}, use_cache=True)
                logits = model.lm_head(out.last_hidden_state[:, -1]) + bias[0]
                if step < options.min_new_tokens:
                    logits[:, eos] = float("-inf")
                nxt = logits.argmax(-1)
                produced.append((rows, nxt))
                alive = nxt != eos
                if not bool(alive.all()):
                    if not bool(alive.any()):
                        break
                    keep = alive.nonzero().squeeze(-1)
                    cache.batch_select_indices(keep)
                    states, mask, rows, nxt = states[keep], mask[keep], rows[keep], nxt[keep]
                step_ids = nxt[:, None]
            for alive_rows, tokens in produced:
                for r, t in zip(alive_rows.tolist(), tokens.tolist()):
                    if t != eos:
                        results[r].append(t)
        return results

    @property
    def _cache_kw(self) -> str:
        import inspect

        params = inspect.signature(type(self.model.get_decoder()).forward).parameters
        return "cache" if "cache" in params else "past_key_values"


class CT2Backend(Backend):
    name = "ct2"

    def __init__(self, path: Path, vocab: MarianVocab, *, device: str, model_name: str) -> None:
        import ctranslate2

        self.device = device
        self.vocab = vocab
        converted = ensure_ct2(path, model_name)
        if device == "cpu":
            compute = "int8"
        else:
            compute = "int8_float16" if os.environ.get("SUMMTOOL_CT2_GPU_INT8") else "float16"
        self.precision = compute
        try:
            self.translator = ctranslate2.Translator(str(converted), device=device, compute_type=compute,
                                                     inter_threads=1, intra_threads=_threads() or 0)
        except Exception as err:
            raise ModelError(f"cannot load the CTranslate2 model in {converted}: {err}") from None
        self.tokens = [t for t, _ in sorted(vocab.encoder.items(), key=lambda kv: kv[1])]
        self.ids = vocab.target_encoder
        self.default_batch_size = 32 if device == "cpu" else 512

    def generate(self, batch: list[list[int]], options: GenerateOptions) -> list[list[int]]:
        tokens = self.tokens
        source = [[tokens[i] for i in ids] for ids in batch]
        results = self.translator.translate_batch(
            source, beam_size=options.beams, max_decoding_length=options.max_new_tokens,
            min_decoding_length=options.min_new_tokens, no_repeat_ngram_size=options.no_repeat_ngram_size,
            repetition_penalty=options.repetition_penalty, max_batch_size=0, return_scores=False,
        )
        unk, eos = self.vocab.unk_id, self.vocab.eos_id
        out = []
        for res in results:
            ids = [self.ids.get(t, unk) for t in res.hypotheses[0]]
            out.append([i for i in ids if i != eos])
        return out


def _threads() -> int | None:
    """SUMMTOOL_THREADS: CPU threads per model call (default: the backend's own choice). 1 suits small
    models and busy machines, where spinning threads only wait on each other."""
    value = os.environ.get("SUMMTOOL_THREADS", "").strip()
    if not value:
        return None
    try:
        return max(1, int(value))
    except ValueError:
        raise UsageError(f"SUMMTOOL_THREADS must be a number, not {value!r}") from None


def _fingerprint(path: Path) -> str:
    h = hashlib.sha1(str(path.resolve()).encode())
    for name in ("config.json", "vocab.json") + WEIGHT_FILES:
        p = path / name
        if p.exists():
            st = p.stat()
            h.update(f"{name}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:12]


def ct2_dir(path: Path) -> Path:
    """Where the int8-ready CTranslate2 conversion of the model in *path* is cached."""
    parts = path.resolve().parts
    label = "-".join(parts[-3:]) if "snapshots" in parts else path.resolve().name
    label = re.sub(r"[^A-Za-z0-9._-]+", "_", label.replace("models--", ""))[-60:]
    return summtool_home() / "ct2" / f"{label}-{_fingerprint(path)}"


def ensure_ct2(path: Path, model_name: str) -> Path:
    """Convert the Marian model in *path* for CTranslate2 once; later runs reuse the cached copy."""
    target = ct2_dir(path)
    if (target / "model.bin").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    _quiet_transformers()
    from ctranslate2.converters import TransformersConverter

    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # float16 storage: CTranslate2 quantizes to int8 (CPU) or keeps float16 (GPU) when loading.
            TransformersConverter(str(path), low_cpu_mem_usage=True).convert(
                str(tmp / "model"), quantization="float16", force=True)
        try:
            os.replace(tmp / "model", target)
        except OSError:
            if not (target / "model.bin").is_file():  # another process won the race otherwise
                raise
    except Exception as err:
        raise ModelError(f"cannot convert {model_name} for CTranslate2: {err.__class__.__name__}: {err}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _quiet_transformers() -> None:
    """Progress bars and advice from transformers/hub belong nowhere near our stderr."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"torch\.ao")
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except Exception:
        pass


@dataclass
class LoadedModel:
    """One direction's model: its name, directory, tokenizer and backend."""

    name: str
    path: Path
    vocab: MarianVocab
    backend: Backend
    max_positions: int
    notes: list[str] = field(default_factory=list)


def load(model: str, *, device: str = "auto", backend: str = "auto") -> LoadedModel:
    """Resolve, check and load *model*. backend 'auto': CTranslate2 on CPU when it is installed, else
    transformers (int8 dynamic on CPU, float16 on GPU)."""
    if backend not in BACKENDS:
        raise UsageError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
    path = resolve(model)
    vocab = MarianVocab(path)
    config = _read_json(path / "config.json")
    max_positions = int(config.get("max_position_embeddings") or 512)
    dev = resolve_device(device)
    notes: list[str] = []
    chosen = backend
    if backend == "ct2" and not ct2_available():
        raise UsageError("backend ct2 needs CTranslate2: pip install 'summtool[ct2]'")
    if backend == "auto":
        chosen = "ct2" if dev == "cpu" and ct2_available() and dev != "mps" else "transformers"
    if chosen == "ct2":
        try:
            engine: Backend = CT2Backend(path, vocab, device=dev, model_name=model)
        except ModelError as err:
            if backend == "ct2":
                raise
            notes.append(f"CTranslate2 unavailable for {model} ({err}); using transformers")
            engine = TransformersBackend(path, vocab, device=dev)
    else:
        engine = TransformersBackend(path, vocab, device=dev)
    return LoadedModel(model, path, vocab, engine, max_positions, notes)
