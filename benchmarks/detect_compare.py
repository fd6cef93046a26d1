"""Language detection: summtool.detect against bare langdetect on the same cases, accuracy and time."""
from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path

from summtool import detect

DATA = Path(__file__).parent.parent / "tests" / "data"
SHORT_CASES = [
    ("商务部", "zh-Hans"), ("會議強調", "zh-Hant"), ("会议强调", "zh-Hans"), ("Meeting", "en"),
    ("MOFCOM", "en"), ("The meeting emphasized", "en"), ("Premier Li Qiang (李强) presided over the meeting.", "en"),
    ("商务部部长王文涛会见美国商务部长Gina Raimondo。", "zh-Hans"), ("経済産業省は会議を開催した。", "ja"),
    ("東京で会議", "ja"), ("산업통상자원부는 회의를 개최했다.", "ko"), ("國務院常務會議", "zh-Hant"),
]
# langdetect's codes for the same languages
LANGDETECT_CODE = {"zh-Hans": "zh-cn", "zh-Hant": "zh-tw"}


def corpus_cases() -> list[tuple[str, str]]:
    expected = {"zh": "zh-Hans", "zh-Hant": "zh-Hant", "en": "en"}
    with open(DATA / "SOURCES.tsv", encoding="utf-8") as fh:
        return [((DATA / r["file"]).read_text(encoding="utf-8"), expected[r["language"]])
                for r in csv.DictReader(fh, delimiter="\t")]


def run(name, fn, cases):
    right, times = 0, []
    for text, want in cases:
        t0 = time.perf_counter()
        try:
            got = fn(text)
        except Exception:  # langdetect raises on text without features
            got = "error"
        times.append(time.perf_counter() - t0)
        right += got == want
    print(f"  {name:22s} {right:3d}/{len(cases)} right, median {statistics.median(times) * 1000:.2f} ms/call")


def main() -> None:
    from langdetect import DetectorFactory, detect as ld_detect

    DetectorFactory.seed = 0

    def bare(text):
        code = ld_detect(text)
        return {v: k for k, v in LANGDETECT_CODE.items()}.get(code, code)

    detect("warm up")
    bare("warm up")
    for title, cases in (("25 corpus releases", corpus_cases()), ("short and mixed strings", SHORT_CASES)):
        print(title)
        run("summtool.detect", lambda t: detect(t).language, cases)
        run("langdetect (seeded)", bare, cases)


if __name__ == "__main__":
    main()
