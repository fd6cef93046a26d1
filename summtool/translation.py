"""Translate whole releases zh<->en sentence by sentence, batched, guarded, nothing dropped."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .errors import InputError, UsageError
from .text import clauses, lines, paragraphs, sentences

LANGS = ("zh", "en")
SCRIPTS = {"simplified": ">>cmn_Hans<<", "traditional": ">>cmn_Hant<<"}
# Quality falls off on long inputs well before opus-mt's 512 positions: cut longer segments at clauses.
MAX_SEGMENT_TOKENS = 200
# New-token cap relative to the source: generous for zh->en (an English word per one or two
# characters), and the line past which output counts as runaway.
_CAP_RATIO, _CAP_EXTRA = 2.5, 10


# --- results -------------------------------------------------------------------------------------------
@dataclass
class TranslationResult:
    """One document's translation, paragraph by paragraph."""

    source_language: str
    target_language: str
    model: str
    paragraphs: list[dict]  # [{"source": ..., "translation": ...}]
    retried_segments: int = 0
    seconds: float = 0.0
    passed_through: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(p["translation"] for p in self.paragraphs)

    def bilingual(self) -> str:
        return "\n\n".join(f"{p['source']}\n\n{p['translation']}" for p in self.paragraphs)

    def to_json(self) -> dict:
        return {"source_language": self.source_language, "target_language": self.target_language,
                "model": self.model, "paragraphs": [dict(p) for p in self.paragraphs],
                "retried_segments": self.retried_segments, "seconds": round(self.seconds, 3)}


# --- normalization -------------------------------------------------------------------------------------
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B))
                    + list(range(0xFF41, 0xFF5B))}
_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_ASCII_PUNCT_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s*([,;:?!()])\s*|\s*([,;:?!()])\s*(?=[{_CJK}])")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}，。、；：？！（）“”])\s+(?=[{_CJK}，。、；：？！（）“”])")
_TO_HALF = {"，": ", ", "；": "; ", "：": ": ", "？": "? ", "！": "! ", "（": " (", "）": ") ", "。": ". ",
            "、": ", ", "【": "[", "】": "]", "％": "%", "＂": '"', "＇": "'", "－": "-", "／": "/"}
_HALF_RE = re.compile("|".join(map(re.escape, _TO_HALF)))


def normalize(text: str, lang: str) -> str:
    """What opus-mt saw in training: half-width letters and digits, single ASCII spaces; Chinese with
    full-width punctuation and no spaces between characters, English with ASCII punctuation."""
    text = _ZERO_WIDTH.sub("", text).translate(_FULLWIDTH_ALNUM)
    text = _SPACES.sub(" ", text)
    if lang == "zh":
        # Web copies often carry ASCII ',' ':' in Chinese; keep numbers like 1,000 and 3:30 intact.
        text = _ASCII_PUNCT_NEAR_CJK.sub(lambda m: _TO_FULL[m.group(1) or m.group(2)], text)
        text = _SPACE_BETWEEN_CJK.sub("", text)
    else:
        text = _HALF_RE.sub(lambda m: _TO_HALF[m.group(0)], text)
        text = re.sub(r"\s+([,.;:?!)\]])", r"\1", re.sub(r"([(\[])\s+", r"\1", text))
    return re.sub(r" {2,}", " ", text).strip()


# --- degenerate output ---------------------------------------------------------------------------------
def repeated_loop(ids: Sequence[int], *, max_n: int = 6, min_repeats: int = 4, min_span: int = 8) -> bool:
    """True when some n-gram (n <= max_n) repeats back to back min_repeats times covering min_span
    tokens: 'the the the the ...', 'of the of the of the ...', the classic opus-mt loop."""
    length = len(ids)
    for n in range(1, max_n + 1):
        need = max(min_repeats, -(-min_span // n))  # repeats needed
        run = 0
        for j in range(length - n):
            if ids[j] == ids[j + n]:
                run += 1
                if run >= n * (need - 1):
                    return True
            else:
                run = 0
    return False


def collapse_loops(ids: list[int], *, max_n: int = 6, min_repeats: int = 3) -> list[int]:
    """Keep one copy of any n-gram repeated back to back min_repeats times or more."""
    out = list(ids)
    for n in range(max_n, 0, -1):
        j = 0
        while j + n <= len(out):
            gram = out[j:j + n]
            k = j + n
            while out[k:k + n] == gram:
                k += n
            if (k - j) // n >= min_repeats:
                del out[j + n:k]
            j += 1
    return out


# --- the engine ----------------------------------------------------------------------------------------
@dataclass
class _Line:
    """One line of a paragraph: its sentences, each a list of segment keys into the engine's table."""

    sentences: list[list[int]] = field(default_factory=list)


@dataclass
class _Plan:
    """A document cut into paragraphs > lines > sentences > segments, waiting for translations."""

    source_language: str
    target_language: str
    direction: tuple[str, str] | None  # None: passed through
    paragraphs: list[tuple[str, list[_Line]]]


def _lang_of(code: str) -> str:
    return "zh" if code.startswith("zh") else code


class Translator:
    """Reusable translator: loads each direction's model once, on first use."""

    def __init__(self, *, model: str | None = None, device: str = "auto", batch_size: int | None = None,
                 beams: int | None = None, script: str = "simplified", backend: str = "auto",
                 progress: bool = False) -> None:
        from .models import BACKENDS, DEVICES

        if script not in SCRIPTS:
            raise UsageError(f"unknown script {script!r}: use simplified or traditional")
        if device not in DEVICES:
            raise UsageError(f"unknown device {device!r}: use one of {', '.join(DEVICES)}")
        if backend not in BACKENDS:
            raise UsageError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
        if batch_size is not None and batch_size < 1:
            raise UsageError("batch size must be at least 1")
        if beams is not None and beams < 1:
            raise UsageError("beams must be at least 1")
        self.model = model
        self.device = device
        self.batch_size = batch_size
        self.beams = beams or 1
        self.script = script
        self.backend = backend
        self.progress = progress
        self._loaded: dict[tuple[str, str], Any] = {}
        # Called with a dict per model call (texts, input_ids, outputs, retry, direction): lets tests
        # and tools see exactly what the model was given.
        self.on_batch: Callable[[dict], None] | None = None
        # Benchmarks only: decode exactly this many tokens per segment, guard off.
        self.force_new_tokens: int | None = None
        self.notes: list[str] = []  # things worth a warning (e.g. a backend fallback)

    # -- models --
    def loaded(self, source: str, target: str):
        """The LoadedModel for one direction, loading it on first use."""
        key = (source, target)
        if key not in self._loaded:
            from .models import load, model_for

            # --model names one model: it applies to the direction(s) asked for.
            name = model_for(source, target, self.model)
            lm = load(name, device=self.device, backend=self.backend)
            self.notes.extend(lm.notes)
            self._loaded[key] = lm
        return self._loaded[key]

    def _prefix(self, lm, target: str) -> str:
        if target != "zh" or not lm.vocab.language_codes:
            return ""
        token = SCRIPTS[self.script]
        if token not in lm.vocab.encoder:
            from .errors import ModelError

            raise ModelError(f"model {lm.name} has no target-language token {token}")
        return token + " "

    # -- public API --
    def translate(self, text: str, *, to: str | None = None, source: str = "auto") -> TranslationResult:
        return self.translate_many([text], to=to, source=source)[0]

    def translate_many(self, texts: list[str], *, to: str | None = None,
                       source: str = "auto") -> list[TranslationResult]:
        """Whole documents; batches sentences ACROSS documents so every model call is full."""
        started = time.perf_counter()
        tables: dict[tuple[str, str], list[str]] = {}
        keyed: dict[tuple[str, str], dict[str, int]] = {}
        plans = [self._plan(text, to=to, source=source, tables=tables, index=keyed) for text in texts]
        translations: dict[tuple[str, str], list[str]] = {}
        retried: dict[tuple[str, str], set[int]] = {}
        for direction, segments in tables.items():
            translations[direction], retried[direction] = self._run(segments, *direction)
        elapsed = time.perf_counter() - started
        total_segments = sum(len(t) for t in tables.values()) or 1
        results = []
        for plan in plans:
            results.append(self._assemble(plan, translations, retried, elapsed, total_segments))
        return results

    def translate_segments(self, segments: list[str], *, source: str, target: str) -> list[str]:
        """Short independent pieces (e.g. summary bullets) -> one translation each, same order."""
        source, target = _lang_of(source), _lang_of(target)
        if source == "auto":
            raise UsageError("translate_segments needs an explicit source language")
        for lang in (source, target):
            if lang not in LANGS:
                raise UsageError(f"unsupported language {lang!r}: use zh or en")
        if source == target:
            return list(segments)
        direction = (source, target)
        table: list[str] = []
        index: dict[str, int] = {}
        structure = []
        for seg in segments:
            lines_ = [self._cut_line(line.text, source, direction, table, index) for line in lines(seg)]
            structure.append(lines_)
        done, _ = self._run(table, source, target)
        joiner = "" if target == "zh" else " "
        return ["\n".join(joiner.join(joiner.join(done[k] for k in sent) for sent in line.sentences)
                          for line in lines_) for lines_ in structure]

    def source_language(self, text: str, source: str = "auto") -> str:
        """The language *text* will be translated from ('zh-Hans', 'zh-Hant', 'en'); InputError when it
        is neither Chinese nor English (or has no letters)."""
        return self._detect(text, source)

    # -- planning --
    def _detect(self, text: str, source: str) -> str:
        if source != "auto":
            if _lang_of(source) not in LANGS:
                raise UsageError(f"unsupported source language {source!r}: use auto, zh or en")
            if source == "zh":
                from .detect import detect

                found = detect(text)
                return found.language if found.is_chinese else "zh-Hans"
            return source
        from .detect import detect

        found = detect(text)
        if found.language == "und":
            raise InputError("no letters: cannot tell the language to translate from")
        if not (found.is_chinese or found.language == "en"):
            raise InputError(f"text is in {found.language!r}; only Chinese and English can be translated "
                             "(use --from zh or --from en to insist)")
        return found.language

    def _target(self, source_language: str, to: str | None) -> tuple[str, str]:
        """(target language code, 'zh'/'en')."""
        if to is None:
            lang = "en" if source_language.startswith("zh") else "zh"
        else:
            lang = _lang_of(to)
            if lang not in LANGS:
                raise UsageError(f"unsupported target language {to!r}: use en or zh")
        if lang == "zh":
            return ("zh-Hant" if self.script == "traditional" else "zh-Hans"), "zh"
        return "en", "en"

    def _plan(self, text: str, *, to: str | None, source: str, tables: dict, index: dict) -> _Plan:
        src_code = self._detect(text, source)
        src = _lang_of(src_code)
        tgt_code, tgt = self._target(src_code, to)
        paras = paragraphs(text)
        if src == tgt:
            return _Plan(src_code, src_code, None, [(p.text, []) for p in paras])
        direction = (src, tgt)
        table, keys = tables.setdefault(direction, []), index.setdefault(direction, {})
        planned = []
        for para in paras:
            line_plans = [self._cut_line(line.text, src, direction, table, keys) for line in lines(para.text)]
            planned.append((para.text, line_plans))
        return _Plan(src_code, tgt_code, direction, planned)

    def _cut_line(self, line: str, src: str, direction: tuple[str, str], table: list[str],
                  index: dict[str, int]) -> _Line:
        """Sentences of a line, each cut to segments that fit the model; identical segments share a key."""
        lm = self.loaded(*direction)
        limit = max(8, min(MAX_SEGMENT_TOKENS, lm.max_positions - 2))
        out = _Line()
        for sent in sentences(line, src):
            keys = []
            for seg in split_segment(normalize(sent.text, src), src, limit, lm.vocab.count):
                if seg not in index:
                    index[seg] = len(table)
                    table.append(seg)
                keys.append(index[seg])
            out.sentences.append(keys)
        return out

    def _assemble(self, plan: _Plan, translations, retried, elapsed: float, total: int) -> TranslationResult:
        if plan.direction is None:
            return TranslationResult(plan.source_language, plan.target_language, "", [
                {"source": text, "translation": text} for text, _ in plan.paragraphs],
                0, elapsed, passed_through=True)
        done = translations[plan.direction]
        joiner = "" if plan.direction[1] == "zh" else " "
        paras, used = [], set()
        for text, line_plans in plan.paragraphs:
            rendered = []
            for line in line_plans:
                rendered.append(joiner.join(joiner.join(done[k] for k in sent) for sent in line.sentences))
                used.update(k for sent in line.sentences for k in sent)
            paras.append({"source": text, "translation": "\n".join(rendered)})
        share = len(used) / total
        return TranslationResult(plan.source_language, plan.target_language, self.loaded(*plan.direction).name,
                                 paras, len(used & retried[plan.direction]), elapsed * share)

    # -- running the model --
    def _run(self, segments: list[str], source: str, target: str) -> tuple[list[str], set[int]]:
        """Translate unique segments: sorted by length, batched, guarded. Returns (translations, retried keys)."""
        if not segments:
            return [], set()
        from .models import GenerateOptions

        lm = self.loaded(source, target)
        prefix = self._prefix(lm, target)
        texts = [prefix + s for s in segments]
        ids = lm.vocab.encode_many(texts)
        limit = lm.max_positions - 1
        caps = [min(limit, int(_CAP_RATIO * len(x) + _CAP_EXTRA)) for x in ids]
        batch_size = self.batch_size or lm.backend.default_batch_size
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        outputs: list[list[int]] = [[] for _ in ids]
        progress = _Progress(len(ids), enabled=self.progress)
        force = self.force_new_tokens
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            if force:
                opts = GenerateOptions(beams=self.beams, max_new_tokens=force, min_new_tokens=force)
            else:
                opts = GenerateOptions(beams=self.beams, max_new_tokens=max(caps[i] for i in chunk))
            got = lm.backend.generate([ids[i] for i in chunk], opts)
            for i, out in zip(chunk, got):
                # Greedy decoding is causal per row: cutting at the segment's own cap gives what a call
                # with that cap gives, so output never depends on the batch's other members.
                outputs[i] = out if force else out[: caps[i]]
            self._notify(source, target, [texts[i] for i in chunk], [ids[i] for i in chunk], got, False)
            progress.advance(len(chunk))
        progress.close()
        retried: set[int] = set()
        if not force:
            bad = [i for i in order if self._degenerate(outputs[i], caps[i])]
            # Retries use beam search, whose result may depend on the length limit: batch only
            # segments that share one limit.
            retry_caps = {i: min(limit, int(1.6 * len(ids[i]) + 8)) for i in bad}
            groups: dict[int, list[int]] = {}
            for i in bad:
                groups.setdefault(retry_caps[i], []).append(i)
            step = max(1, batch_size // 4)
            for cap, members in groups.items():
                for start in range(0, len(members), step):
                    chunk = members[start:start + step]
                    opts = GenerateOptions(beams=max(4, self.beams), no_repeat_ngram_size=3,
                                           repetition_penalty=1.2, min_new_tokens=1, max_new_tokens=cap)
                    got = lm.backend.generate([ids[i] for i in chunk], opts)
                    for i, out in zip(chunk, got):
                        outputs[i] = collapse_loops(out)
                    self._notify(source, target, [texts[i] for i in chunk], [ids[i] for i in chunk], got, True)
                    retried.update(chunk)
        result = []
        for i, out in enumerate(outputs):
            text = lm.vocab.decode(out)
            # Never lose a sentence: a model that says nothing at all leaves the source in place.
            result.append(text if text.strip() or force else segments[i])
        return result, retried

    @staticmethod
    def _degenerate(out: list[int], cap: int) -> bool:
        return not out or len(out) >= cap or repeated_loop(out)

    def _notify(self, source, target, texts, ids, outputs, retry) -> None:
        if self.on_batch is not None:
            self.on_batch({"direction": f"{source}-{target}", "texts": texts, "input_ids": ids,
                           "outputs": outputs, "retry": retry})


def split_segment(text: str, lang: str, limit: int, count: Callable[[str], int]) -> list[str]:
    """Pieces of one sentence that each fit *limit* source tokens: whole if it fits, else at clause
    boundaries, else by tokens. The pieces put back together give the sentence (bar spaces)."""
    if not text:
        return []
    if count(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    joiner = "" if lang == "zh" else " "
    for clause in clauses(text, lang):
        candidate = current + joiner + clause.text if current else clause.text
        if current and count(candidate) > limit:
            pieces.append(current)
            current = clause.text
        else:
            current = candidate
        if count(current) > limit:
            pieces.extend(_split_by_tokens(current, lang, limit, count))
            current = ""
    if current:
        pieces.append(current)
    return pieces


_EN_UNIT = re.compile(r"\S+\s*")


def _split_by_tokens(text: str, lang: str, limit: int, count: Callable[[str], int]) -> list[str]:
    """Greedy cut into runs of characters (zh) or words (en) of at most *limit* tokens each."""
    units = list(text) if lang == "zh" else _EN_UNIT.findall(text)
    pieces, start = [], 0
    while start < len(units):
        # Grow a window by doubling, then binary-search its largest fitting length: O(log n) counts.
        lo, hi = 1, 1
        while start + hi <= len(units) and count("".join(units[start:start + hi]).strip()) <= limit:
            lo, hi = hi, hi * 2
        hi = min(hi, len(units) - start + 1)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if count("".join(units[start:start + mid]).strip()) <= limit:
                lo = mid
            else:
                hi = mid
        piece = "".join(units[start:start + lo]).strip()
        if piece:
            pieces.append(piece)
        start += lo
    return pieces


class _Progress:
    """A rich progress bar on stderr, or nothing."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.bar = None
        if enabled and total > 1:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("translating"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("translate", total=total)

    def advance(self, n: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def translate(text: str, *, to: str | None = None, source: str = "auto", **translator_options) -> TranslationResult:
    """Translate one document; options as for Translator."""
    return Translator(**translator_options).translate(text, to=to, source=source)
