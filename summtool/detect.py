"""Language detection: a Unicode-script pass first, langdetect only for what scripts cannot tell."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Enough text to decide; a release's first few thousand characters tell its language.
_SAMPLE = 4000

_EN_FUNCTION_WORDS = frozenset("""
the of and to in on for with by at from as is are was were be been that this these those it its their
will would should shall has have had not but into over under about than which who also more said
""".split())
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f']+")


@dataclass(frozen=True)
class Detection:
    """The language of a text: a BCP-47-style code, the script, and how sure we are (0..1)."""

    language: str  # "zh-Hans", "zh-Hant", "en", other ISO 639-1 codes, or "und"
    script: str | None  # ISO 15924: "Hans", "Hant", "Latn", "Jpan", "Kore", "Cyrl", ...
    confidence: float

    def __str__(self) -> str:
        return self.language

    @property
    def is_chinese(self) -> bool:
        return self.language.startswith("zh")


_SCRIPT_OF_BLOCK = (
    ((0x3040, 0x30FF), "kana"), ((0x31F0, 0x31FF), "kana"), ((0xFF66, 0xFF9F), "kana"),
    ((0x1100, 0x11FF), "hangul"), ((0x3130, 0x318F), "hangul"), ((0xAC00, 0xD7AF), "hangul"),
    ((0x3400, 0x4DBF), "han"), ((0x4E00, 0x9FFF), "han"), ((0xF900, 0xFAFF), "han"),
    ((0x20000, 0x2FA1F), "han"),
)


@lru_cache(maxsize=4096)
def _script_of(ch: str) -> str | None:
    cp = ord(ch)
    for (lo, hi), name in _SCRIPT_OF_BLOCK:
        if lo <= cp <= hi:
            return name
    if not ch.isalpha():
        return None
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "other"
    return name.split(" ", 1)[0].lower()  # LATIN, CYRILLIC, GREEK, ARABIC, HEBREW, THAI, ...


def _count_scripts(sample: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in sample:
        if ch.isascii():
            if ch.isalpha():
                counts["latin"] = counts.get("latin", 0) + 1
            continue
        script = _script_of(ch)
        if script:
            counts[script] = counts.get(script, 0) + 1
    return counts


def _chinese_variant(sample: str) -> tuple[str, float]:
    import hanzidentifier

    sample = sample[:1500]
    kind = hanzidentifier.identify(sample)
    if kind == hanzidentifier.TRADITIONAL:
        return "Hant", 0.99
    if kind == hanzidentifier.MIXED:
        # Simplified text may quote a Traditional name or vice versa: the majority decides.
        trad = sum(1 for ch in sample if hanzidentifier.is_traditional(ch) and not hanzidentifier.is_simplified(ch))
        simp = sum(1 for ch in sample if hanzidentifier.is_simplified(ch) and not hanzidentifier.is_traditional(ch))
        return ("Hant", trad / (trad + simp)) if trad > simp else ("Hans", simp / max(1, trad + simp))
    # Only characters common to both scripts (商务部, 会): Simplified is far more likely in releases.
    return "Hans", 0.99 if kind == hanzidentifier.SIMPLIFIED else 0.8


def _latin_language(sample: str, latin_letters: int) -> Detection:
    words = _WORD.findall(sample)
    lowered = [w.lower() for w in words]
    hits = sum(1 for w in lowered if w in _EN_FUNCTION_WORDS)
    if hits >= 2 and hits * 8 >= len(words):
        return Detection("en", "Latn", round(min(0.99, 0.6 + hits / len(words)), 3))
    ascii_only = all(w.isascii() for w in words)
    if len(words) <= 3 and ascii_only and (hits or latin_letters < 40):
        # Too short for a statistical guess ("Meeting", "MOFCOM"): this is a tool for zh/en releases.
        return Detection("en", "Latn", 0.6)
    code, prob = _langdetect(sample)
    if code == "en" or (ascii_only and hits and prob < 0.9):
        return Detection("en", "Latn", round(prob, 3))
    return Detection(code, "Latn" if code != "und" else None, round(prob, 3))


def _langdetect(sample: str) -> tuple[str, float]:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # langdetect samples at random: seed it for repeatable answers
    try:
        best = detect_langs(sample[:1000])[0]
    except LangDetectException:
        return "und", 0.0
    code = best.lang.split("-")[0]
    return code, best.prob


_SCRIPT_CODES = {"cyrillic": "Cyrl", "greek": "Grek", "arabic": "Arab", "hebrew": "Hebr", "thai": "Thai",
                 "devanagari": "Deva"}


def detect(text: str) -> Detection:
    """The language of *text*. Deterministic; never raises; 'und' when the text has no letters."""
    sample = text[:_SAMPLE]
    counts = _count_scripts(sample)
    han, kana, hangul = counts.get("han", 0), counts.get("kana", 0), counts.get("hangul", 0)
    latin = counts.get("latin", 0)
    letters = sum(counts.values())
    if not letters:
        return Detection("und", None, 0.0)
    cjk = han + kana + hangul
    if kana and kana * 10 >= cjk:
        return Detection("ja", "Jpan", round(min(0.99, 0.7 + kana / cjk), 3))
    if hangul and hangul * 3 >= cjk:
        return Detection("ko", "Kore", round(min(0.99, 0.7 + hangul / cjk), 3))
    if han:
        # A Chinese character carries about as much as an English word: compare han with Latin words.
        latin_words = len(_WORD.findall(sample))
        if han >= latin_words:
            script, conf = _chinese_variant(sample)
            share = han / (han + latin_words)
            return Detection(f"zh-{script}", script, round(min(conf, 0.5 + share / 2), 3))
    if latin * 2 >= letters - han:
        return _latin_language(sample, latin)
    dominant = max((k for k in counts if k not in ("han", "latin")), key=counts.get)
    code, prob = _langdetect(sample)
    return Detection(code, _SCRIPT_CODES.get(dominant), round(prob, 3))
