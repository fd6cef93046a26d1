"""Summary quality: key-point recall over the shipped corpus copy, next to the lead-sentences baseline.

It scores the way ../shared/score_keypoints.py does, so the figure can be checked from a fresh clone where
../shared does not exist: a hand-written key point is covered when one bullet holds at least half of its
tokens (zh: Han characters, en: lower-cased words without stop words); len_vs_ref is the bullets' length
over the key points' length, averaged per release (1.0: as long as the human summary). The baseline takes
the release's first sentences up to the same number of characters as the key points.

    python benchmarks/summarize_quality.py [-v]     (-v: every release, and the key points missed)
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
EN_STOP = set("""a an the of and or to in on for with by at from as is are was were be been that this
these those it its their his her he she they them we our you your which who whom said says will would
should shall can could may might also has have had not no but into over under about than then there""".split())
# reference points that only say the stored copy was cut off: the scorer drops these two phrasings
UNSCORED = ("stored text ends", "text is cut")


def language(name: str) -> str:
    """zh for zh_NN and pair_NN.zh releases (named without their .txt)."""
    return "zh" if name.startswith("zh_") or name.endswith(".zh") else "en"


def tokens(text: str, lang: str) -> list[str]:
    if lang == "zh":
        return [c for c in text if "\u4e00" <= c <= "\u9fff"] + re.findall(r"[A-Za-z]+|\d+", text)
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in EN_STOP]


def covered(ref: str, bullets: list[str], lang: str) -> float:
    """The largest share of *ref*'s tokens that one bullet holds."""
    rt = Counter(tokens(ref, lang))
    n = sum(rt.values())
    if not n:
        return 0.0
    return max((sum((rt & Counter(tokens(b, lang))).values()) / n for b in bullets), default=0.0)


def lead(text: str, chars: int) -> list[str]:
    """The first sentences of the body (the title is line 1) while they fit *chars* characters."""
    body = "\n".join(text.splitlines()[1:])
    parts = re.split(r"(?<=[。！？；;!?])|(?<=\.)\s+(?=[A-Z\"“])|\n+", body)
    parts = [p.strip() for p in parts if p and len(p.strip()) > 1]
    out, used = [], 0
    for p in parts:
        if out and used + len(p) > chars:
            break
        out.append(p)
        used += len(p)
    return out


def score(verbose: bool = False) -> dict[str, dict[str, float]]:
    """Per language: recall and len_vs_ref of summtool and of the lead baseline."""
    from summtool.summarizer import summarize

    stats: dict[str, Counter] = {}
    for kp in sorted(DATA.glob("*.keypoints.json")):
        name = kp.name.replace(".keypoints.json", "")
        lang = language(name)
        text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
        refs = [r for r in json.loads(kp.read_text(encoding="utf-8"))["key_points"]
                if not any(u in r for u in UNSCORED)]
        ref_chars = sum(map(len, refs))
        bullets = [p["text"] for p in summarize(text).key_points]
        baseline = lead(text, ref_chars)
        ours = [covered(r, bullets, lang) for r in refs]
        s = stats.setdefault(lang, Counter())
        s["docs"] += 1
        s["refs"] += len(refs)
        s["covered"] += sum(x >= 0.5 for x in ours)
        s["lead_covered"] += sum(covered(r, baseline, lang) >= 0.5 for r in refs)
        s["len_vs_ref"] += sum(map(len, bullets)) / ref_chars
        s["lead_len_vs_ref"] += sum(map(len, baseline)) / ref_chars
        if verbose:
            print(f"{name}: {sum(x >= 0.5 for x in ours)}/{len(refs)} covered, "
                  f"len_vs_ref {sum(map(len, bullets)) / ref_chars:.2f}")
            for r, x in zip(refs, ours):
                if x < 0.5:
                    print(f"    missed ({x:.2f}): {r}")
    return {lang: {"recall": s["covered"] / s["refs"], "len_vs_ref": s["len_vs_ref"] / s["docs"],
                   "lead_recall": s["lead_covered"] / s["refs"], "lead_len_vs_ref": s["lead_len_vs_ref"] / s["docs"],
                   "releases": s["docs"], "key_points": s["refs"]}
            for lang, s in sorted(stats.items())}


def main() -> None:
    figures = score(verbose="-v" in sys.argv)
    for lang, f in figures.items():
        print(f"{lang}: {f['releases']} releases, {f['key_points']} key points | summtool recall {f['recall']:.3f} "
              f"at len_vs_ref {f['len_vs_ref']:.2f} | lead sentences {f['lead_recall']:.3f} at "
              f"{f['lead_len_vs_ref']:.2f} | {f['recall'] / max(f['lead_recall'], 1e-9):.2f}x the baseline "
              f"(target: recall >= 0.90 at len_vs_ref <= 1.00)")


if __name__ == "__main__":
    main()
