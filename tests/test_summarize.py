"""summtool summarize: extractive, traceable key points and meeting facts over the corpus releases."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summtool.cli import app
from summtool.errors import InputError, UsageError
from summtool.summarizer import Summary, summarize
from summtool.summarizer.rules import joined

from conftest import DATA, read_release

RELEASES = sorted(p.name for p in DATA.glob("*.txt"))
MEETINGS = sorted(p.name.replace(".keypoints.json", ".txt") for p in DATA.glob("*.keypoints.json"))
OTHERS = ["zh_05.txt", "zh_06.txt", "zh_07.txt", "en_09.txt", "en_10.txt"]
GOLDEN = Path(__file__).parent / "golden"
GOLDEN_NAMES = ["en_08", "en_03", "zh_09", "pair_03.zh", "zh_02", "en_10"]
runner = CliRunner()


def _lang(name: str) -> str:
    return "zh" if name.startswith("zh_") or ".zh." in name else "en"


@pytest.mark.parametrize("name", RELEASES)
def test_every_bullet_is_a_span_of_the_source(name):
    text = read_release(name)
    summary = summarize(text)
    assert summary.key_points, name
    para_texts = [p for p in re.split(r"\n[ \t\u3000]*\n\s*", text)]
    sep = "；" if summary.language == "zh" else "; "
    for point in summary.key_points:
        # a bullet is one span of the source or several spans in order: the pieces of a composed topic bullet
        # joined by the separator, words left out inside a clause bridged by a space (en) or by nothing (zh, and
        # en before a comma); nothing else is added
        spans, joiners = point["spans"], point["joiners"]
        assert spans and all(a < b for a, b in spans)
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:])), "pieces in document order"
        assert [point["start"], point["end"]] == [spans[0][0], spans[-1][1]]
        assert len(joiners) == len(spans) - 1
        assert all(j in ((sep, " ", "") if summary.language == "en" else (sep, "")) for j in joiners)
        assert point["text"] == text[spans[0][0]:spans[0][1]] + "".join(
            j + text[a:b] for j, (a, b) in zip(joiners, spans[1:]))
        if len(spans) == 1:
            assert text[point["start"]:point["end"]] == point["text"]
        for a, b in spans:
            piece = text[a:b]
            assert piece == piece.strip() and len(piece) >= 2
            # the paragraph number points at the paragraph that holds the bullet (title = paragraph 0)
            assert piece in para_texts[point["paragraph"]].strip()
        assert isinstance(point["paragraph"], int) and isinstance(point["sentence"], int)
    starts = [p["start"] for p in summary.key_points]
    assert starts == sorted(starts), "bullets come in document order"


@pytest.mark.parametrize("name", RELEASES)
def test_kind_meeting_or_other(name):
    summary = summarize(read_release(name))
    assert summary.kind == ("other" if name in OTHERS else "meeting")
    if summary.kind == "other":
        assert summary.meeting["officials"] == [] and summary.meeting["date"] is None


def _norm(s: str | None) -> str:
    return re.sub(r"[\s\W_]+", "", (s or "").lower())


def _matches(got: str | None, expected: str | None) -> bool:
    """Lenient: whitespace/punctuation ignored; the answer, its bracket-free form or a bracketed alias
    contained in what we found, or the other way round."""
    if expected is None:
        return True
    if not got:
        return False
    base = re.sub(r"[（(][^）)]*[）)]", "", expected)
    aliases = [expected, base, *re.findall(r"[（(]([^）)]*)[）)]", expected)]
    g = _norm(got)
    return any(_norm(a) and (_norm(a) in g or g in _norm(a)) for a in aliases)


def test_meeting_facts_right_on_90_percent_of_meetings():
    right, wrong = 0, []
    for name in MEETINGS:
        answers = json.loads((DATA / name.replace(".txt", ".keypoints.json")).read_text(encoding="utf-8"))
        facts = summarize(read_release(name)).meeting
        names = [re.split(r"[,（(]", o)[0].strip() for o in answers["officials"]]
        found = [o["name"] for o in facts["officials"]]
        ok = (_matches(facts["date"], answers["date"]) and _matches(facts["organizer"], answers["organizer"])
              and all(any(_norm(n) in _norm(f) for f in found) for n in names))
        right += ok
        if not ok:
            wrong.append((name, facts["date"], facts["organizer"], found))
    assert right / len(MEETINGS) >= 0.9, wrong


def test_facts_of_the_seed_release():
    facts = summarize(read_release("en_08.txt")).meeting
    assert facts["date"] == "November 26" and facts["organizer"] == "MOFCOM" and facts["location"] == "Beijing"
    assert [o["name"] for o in facts["officials"]] == ["Wang Bingnan"]
    assert "Vice Minister of Commerce" in facts["officials"][0]["role"]
    assert facts["attendance"].startswith("More than 120 heads")


def test_facts_in_chinese_and_traditional_script():
    zh01 = summarize(read_release("zh_01.txt")).meeting
    assert zh01["date"] == "12月11日至12日" and zh01["location"] == "北京"
    assert [o["name"] for o in zh01["officials"]][:7] == ["习近平", "李强", "赵乐际", "王沪宁", "蔡奇", "丁薛祥", "李希"]
    assert "总书记" in zh01["officials"][0]["role"]
    assert "负责同志" in zh01["attendance"]
    zh09 = summarize(read_release("zh_09.txt")).meeting  # Traditional script
    assert zh09["date"] == "日前" and [o["name"] for o in zh09["officials"]] == ["王文濤"]
    assert "部長" in zh09["officials"][0]["role"]


# --- what the bullets say ---------------------------------------------------------------------------------
def _quality():
    """benchmarks/summarize_quality.py, which scores like ../shared/score_keypoints.py: one definition of it."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "summarize_quality.py"
    spec = importlib.util.spec_from_file_location("summarize_quality", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score()


# the figures measured when these were set (en 0.925, zh 0.941), less one key point each: a guard against
# regressions; the target itself (>= 0.90 at len_vs_ref <= 1.00) is the benchmark's to report
RECALL_FLOOR = {"en": 0.91, "zh": 0.92}


def test_key_point_recall_does_not_regress():
    figures = _quality()
    for lang, floor in RECALL_FLOOR.items():
        assert figures[lang]["recall"] >= floor, (lang, figures[lang])
        assert figures[lang]["len_vs_ref"] <= 1.0, (lang, figures[lang])
        assert figures[lang]["recall"] > 2 * figures[lang]["lead_recall"], (lang, figures[lang])


def test_enumerations_become_one_bullet_each():
    points = [p["text"] for p in summarize(read_release("zh_01.txt")).key_points]
    for mark in "一二三四五六七八九":
        assert sum(1 for p in points if p.startswith(f"{mark}是")) == 1, mark
    en = [p["text"] for p in summarize(read_release("en_08.txt")).key_points]
    assert [p.split(",")[0] for p in en if p.split(",")[0] in ("First", "Second", "Third", "Fourth")] == \
        ["First", "Second", "Third", "Fourth"]


def test_a_colon_list_of_short_items_is_kept_whole():
    # "seven aspects of work ...: A, B, ..., and making plans" - every item is a point, the last ones too
    points = [p["text"] for p in summarize(read_release("en_04.txt")).key_points]
    listed = [p for p in points if "prevention and control of COVID-19" in p]
    assert len(listed) == 1 and listed[0].endswith("and making plans")


def test_a_sentence_naming_what_a_speech_summarized_yields_to_what_it_said():
    # "Hua Yuan ... summarized Shanghai's commerce work ... He said that ..." - the second sentence is the point
    points = [p["text"] for p in summarize(read_release("en_04.txt")).key_points]
    assert not any("summarized" in p for p in points)
    assert any(p.startswith("the commerce system responded") for p in points)


def test_what_a_mid_sentence_reporting_clause_introduces_is_a_point():
    # "Noting that <background>, he said the government must act in a swift and decisive manner, ..."
    points = [p["text"] for p in summarize(read_release("en_07.txt")).key_points]
    assert any(p.startswith("act in a swift and decisive manner") for p in points)
    assert not any(p.startswith("Noting") for p in points)
    # "..., the ministry said in a news release ...": where it was said is no point
    points = [p["text"] for p in summarize(read_release("en_02.txt")).key_points]
    assert not any(p.startswith("in a news release") for p in points)


def test_an_inverted_reporting_tail_is_trimmed_like_the_plain_one():
    # "..., said the ministry in an online statement.": news English puts the verb first; still no point
    from summtool.summarizer import rules
    f = "The ministry called on local authorities to ensure exports this year, said the ministry in an online statement."
    a, b, _ = rules._trim_en(f, 0, len(f), False)
    assert f[a:b].endswith("ensure exports this year")
    points = [p["text"] for p in summarize(read_release("en_01.txt")).key_points]
    assert not any("said the ministry" in p for p in points)


def test_a_modal_subject_goes_only_when_it_is_who_acts():
    # "local authorities should adopt ...": who is asked goes; "transfer payments should play a role": the
    # subject is what the point is about, and without it the bullet says nothing of it
    from summtool.summarizer import rules

    def trim(t):
        a, b, _ = rules._trim_en(t, 0, len(t), False)
        return t[a:b]
    assert trim("Local commerce authorities should adopt systematic planning and a holistic approach.").startswith(
        "adopt systematic planning")
    assert trim("All departments of the State Council should work to put in place the arrangements.").startswith(
        "put in place")
    assert trim("We will work to promote the opening up of the service sector in a steady way.").startswith("promote")
    assert trim("The meeting said that transfer payments should play a role in guiding local development.").startswith(
        "transfer payments should play a role")
    assert trim("The meeting revealed that the next step would focus on three aspects of the work.").startswith(
        "the next step would focus")


def test_a_candidate_far_below_the_best_is_not_taken_for_room_left():
    # a budget with room to spare grows the chosen points rather than admit a weak aside
    from summtool.summarizer import rules
    point = "expand high-standard opening up and stabilize foreign trade and investment in the coming year"
    aside = "noting that the country faces increasingly complex and volatile challenges ahead"
    text = point + ". " + aside + "."
    segs = [rules.Segment(0, len(point), 0, 0, "plain", 1.0, 0),
            rules.Segment(len(point) + 2, len(text) - 1, 1, 0, "plain", 0.3, 1)]
    chosen = rules.select(segs, 400, text, "en")
    assert [s.order for s in chosen] == [0]
    chosen = rules.select(segs, 400, text, "zh")
    assert len(chosen) == 2


def test_zh_background_is_no_bullet_of_its_own_even_with_room_left():
    from summtool.summarizer import rules
    point = "双方应相向而行，为访问创造良好条件"
    ground = "展望未来，双边经贸合作前景广阔"
    text = point + "。" + ground + "。"
    segs = [rules.Segment(0, len(point), 0, 0, "cue", 1.0, 0),
            rules.Segment(len(point) + 1, len(text) - 1, 0, 1, "cue", 0.9, 1)]
    chosen = rules.select(segs, 400, text, "zh")
    assert [s.order for s in chosen] == [0]


def test_a_fronted_stressing_clause_stays_with_its_sentence():
    # "Stressing maintaining security, ..., Li urged greater progress in ...": one point, both halves; the
    # participle is a cue like "Li stressed", so the bullet starts with what was stressed
    points = [p["text"] for p in summarize(read_release("en_07.txt")).key_points]
    assert any(p.startswith("maintaining security, stability and other bottom lines")
               and "new quality productive forces" in p for p in points), points


def test_en_bullets_leave_out_the_titles_and_date_the_facts_block_gives():
    # "Premier Li Qiang on Monday presided over ...": the facts block names the Premier and the day
    # (as a purpose clause: "... meeting that approved X" would leave the lead to what the meeting did)
    text = read_release("pair_01.en.txt").replace("that approved", "to approve").replace("and made arr", "and make arr")
    summary = summarize(text)
    assert {"name": "Li Qiang", "role": "Premier; presided"} in summary.meeting["officials"]
    lead = summary.key_points[0]
    assert lead["text"].startswith("Li Qiang presided over a State Council executive meeting")
    assert len(lead["spans"]) == 2 and lead["joiners"] == [" "]
    # a title with its "of the ..." body goes too, before a name the facts block does not list
    bullets = [p["text"] for p in summarize(read_release("en_07.txt")).key_points]
    assert any("studying Xi Jinping's important speeches" in b for b in bullets)
    assert not any("General Secretary" in b or "on Friday" in b for b in bullets)


def test_en_an_enumerated_point_leaves_out_who_is_to_act():
    # "first, Zhejiang must keep steady ...": as at a point's start, the agent and its modal go after the
    # marker, which keeps its comma
    text = read_release("en_03.txt")
    points = {p["text"]: p for p in summarize(text).key_points}
    p = points.get("first, keep steady the development of the volume and quality of foreign trade")
    assert p is not None, list(points)
    assert [text[a:b] for a, b in p["spans"]] == ["first,", "keep steady the development of the volume and quality of foreign trade"]
    assert p["joiners"] == [" "]
    assert "third, improve the quality and expand the capacity of consumption" in points, list(points)


def test_en_bullets_leave_out_a_second_name():
    # ", also known as the Canton Fair," goes; the comma that closes it stays with what follows
    text = ("Ministry holds trade meeting\n\nBEIJING, March 3 -- The Ministry of Commerce on Friday held a meeting "
            "to prepare for the China Import and Export Fair, also known as the Canton Fair, which opens in April.\n\n"
            "The meeting stressed that local authorities should help exporters secure orders and stabilize foreign "
            "trade.\n")
    point = summarize(text).key_points[0]
    assert point["text"] == ("The Ministry of Commerce held a meeting to prepare for the China Import and Export Fair, "
                             "which opens in April")
    assert point["joiners"] == [" ", ""]


def test_en_what_only_says_who_met_is_left_to_the_facts_block():
    # "Shanghai Commission of Commerce convened the 2020 ... conference on July 27": the lead is the facts
    bullets = [p["text"] for p in summarize(read_release("en_04.txt")).key_points]
    assert not any("work conference" in b for b in bullets)
    # "Aiming to X, the ministry held a meeting ... in Xi'an": the aim is the point
    # "The Ministry of Commerce has called on ...": the organizer, subject of the lead, is the facts block's
    summary = summarize(read_release("en_01.txt"))
    assert summary.meeting["organizer"] == "The Ministry of Commerce"
    bullets = [p["text"] for p in summary.key_points]
    assert bullets[0].startswith("called on local commerce authorities to fully recognize")  # not "has called"
    aim = next(b for b in bullets if b.startswith("Aiming to promote"))
    assert "held a meeting" not in aim


def test_en_a_lead_keeps_what_the_meeting_did_not_who_convened_it():
    # "Premier Li Qiang on Monday presided over a State Council executive meeting that approved ...",
    # "China's State Council on Friday convened a plenary meeting, studying ...": the clause the meeting opens
    # is the point
    from summtool.summarizer import rules
    first = {name: summarize(read_release(name)).key_points[0]["text"] for name in ("pair_01.en.txt", "en_07.txt")}
    assert first["pair_01.en.txt"].startswith("approved a guideline on strictly regulating")
    assert first["en_07.txt"].startswith("studying Xi Jinping's important speeches")
    # "... convened a plenary meeting to discuss ..." opens no such clause: the lead stays whole
    lead = "China's State Council on Sunday convened a plenary meeting to discuss a draft government work report."
    assert rules._trim_en(lead, 0, len(lead) - 1, True)[0] == 0


def test_en_the_least_complete_bullet_grows_first():
    # the topic bullet's last piece reaches its end before the lead grows its closing clause
    bullets = [p["text"] for p in summarize(read_release("en_01.txt")).key_points]
    assert any(b.endswith("ensuring the export of advantageous products and developing new forms of foreign trade")
               for b in bullets)


def test_en_growth_stops_where_the_least_complete_bullet_does_not_fit():
    # the room left after "advance the AI Plus initiative" is too small for its next clause: it stays
    # unspent rather than add "and deliver tangible results" to the bullet already nearer whole
    from summtool.summarizer import rules
    a = ("launch special initiatives to boost consumption, build a unified national market, advance the AI Plus "
         "initiative, and promote the upgrading of the manufacturing sector")
    b = "act in a swift and decisive manner, tackle problems proactively, and deliver tangible results"
    text = a + ". " + b + "."
    segs = [rules.Segment(0, len(a), 0, 0, "plain", 1.0, 0),
            rules.Segment(len(a) + 2, len(text) - 1, 1, 0, "plain", 0.9, 1)]
    ends = [text[s.start:s.end].rsplit(",", 1)[-1].strip() for s in rules.select(segs, 210, text, "en")]
    assert ends == ["advance the AI Plus initiative", "tackle problems proactively"]
    ends = [text[s.start:s.end].rsplit(",", 1)[-1].strip() for s in rules.select(segs, 260, text, "en")]
    assert ends == ["and promote the upgrading of the manufacturing sector", "and deliver tangible results"]


def test_cue_words_boilerplate_and_header_facts_are_not_bullets():
    for name in MEETINGS:
        for point in summarize(read_release(name)).key_points:
            text = point["text"]
            assert not re.match(r"^(会议|會議)(指出|强调|強調|要求|认为|認為|确定|確定)", text), text
            assert not re.match(r"^The meeting (pointed out|emphasized|stressed)", text), text
            assert not re.search(r"出席会议并讲话|出席會議並|attended and addressed the meeting", text), text
            assert not text.startswith(("以习近平新时代中国特色社会主义思想为指导", "央视网消息", "BEIJING"))


# --- odd inputs -------------------------------------------------------------------------------------------
def test_empty_input_is_an_input_error():
    with pytest.raises(InputError):
        summarize("")
    with pytest.raises(InputError):
        summarize(" \n\n\t")


def test_bad_options_are_usage_errors():
    with pytest.raises(UsageError):
        summarize("text", engine="magic")
    with pytest.raises(UsageError):
        summarize("text", lang="fr")
    with pytest.raises(UsageError):
        summarize("text", max_bullets=0)


def test_title_only_input():
    summary = summarize("商务部召开全国商务工作会议\n")
    assert [p["text"] for p in summary.key_points] == ["商务部召开全国商务工作会议"]
    en = summarize("MOFCOM holds promotion meeting on consumption upgrade")
    assert len(en.key_points) == 1 and en.key_points[0]["start"] == 0


def test_no_cue_words_still_summarized():
    text = ("Local governments should provide practical support to exporters and help them gain orders. "
            "They should stabilize processing trade and expand imports. "
            "Officials also discussed new forms of foreign trade such as cross-border e-commerce.")
    summary = summarize(text)
    assert summary.key_points and all(text[p["start"]:p["end"]] == p["text"] for p in summary.key_points)


def test_one_paragraph_transcript_and_text_cut_mid_sentence():
    text = read_release("pair_01.zh.txt")  # one paragraph, as CCTV publishes it
    points = summarize(text).key_points
    assert len(points) >= 5 and len({p["paragraph"] for p in points}) == 1
    cut = read_release("pair_02.en.txt")  # stored copy ends mid-sentence
    assert summarize(cut).key_points
    half = read_release("zh_04.txt")[:300]  # cut by us, mid-sentence
    summary = summarize(half)
    assert summary.kind == "meeting" and all(joined(half, p["spans"], p["joiners"]) == p["text"]
                                             for p in summary.key_points)


def test_en_a_sentence_the_stored_copy_cuts_off_ends_on_a_whole_phrase():
    from summtool.summarizer import rules
    from summtool.summarizer.structure import layout

    # "... approved draft rules on standardizing intermediaries' services for the pub": the phrase the cut
    # broke goes; "... shoulder the responsi", with no whole phrase before the cut, is no candidate at all
    for name, last in (("pair_01.en.txt", "approved draft rules on standardizing intermediaries' services"),
                       ("pair_03.en.txt", None)):
        text = read_release(name)
        end = len(text.rstrip())
        segs = rules.segments(layout(text, "en"))
        assert all(s.end < end - 3 for s in segs), name
        if last:
            assert any(text[s.start:s.end].endswith(last) for s in segs)
        assert all(text[b:].strip() for p in summarize(text).key_points for _, b in p["spans"])


def test_traditional_script_cues_are_read():
    points = [p["text"] for p in summarize(read_release("zh_08.txt")).key_points]
    assert not any(p.startswith("會議要求") for p in points)
    assert any("穩定汽車家電等大宗消費" in p for p in points)


def test_max_bullets_keeps_the_most_important_in_document_order():
    three = summarize(read_release("zh_01.txt"), max_bullets=3)
    assert len(three.key_points) == 3
    starts = [p["start"] for p in three.key_points]
    assert starts == sorted(starts)


def test_non_meeting_gets_a_short_general_summary():
    text = read_release("en_10.txt")
    summary = summarize(text)
    assert summary.kind == "other" and 1 <= len(summary.key_points) <= 5
    assert sum(len(p["text"]) for p in summary.key_points) < len(text) / 2


def test_summary_json_shape():
    data = summarize(read_release("en_08.txt")).to_json()
    assert set(data) >= {"language", "kind", "meeting", "key_points"}
    assert set(data["meeting"]) == {"date", "organizer", "location", "officials", "attendance"}
    assert all(set(p) == {"text", "paragraph", "sentence", "start", "end", "spans", "joiners"} for p in data["key_points"])
    json.dumps(data)


def test_markdown_has_facts_block_then_bullets():
    md = summarize(read_release("en_08.txt")).to_markdown()
    head, _, bullets = md.partition("\n\n")
    assert "**Date**: November 26" in head and "Wang Bingnan" in head
    assert all(line.startswith("- ") for line in bullets.strip().splitlines())


# --- golden files -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_golden(name):
    """Reviewed summaries of corpus releases; SUMMTOOL_UPDATE_GOLDEN=1 rewrites them (then review the diff)."""
    got = summarize(read_release(f"{name}.txt")).to_markdown()
    path = GOLDEN / f"{name}.md"
    if os.environ.get("SUMMTOOL_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}: run with SUMMTOOL_UPDATE_GOLDEN=1 and review it"
    assert got == path.read_text(encoding="utf-8")


# --- CLI --------------------------------------------------------------------------------------------------
def test_cli_markdown_and_json():
    result = runner.invoke(app, ["summarize", str(DATA / "en_08.txt")])
    assert result.exit_code == 0, result.output
    assert "\n- " in result.stdout and result.stdout.startswith("**Date**")
    result = runner.invoke(app, ["summarize", "--format", "json", "--max-bullets", "2", str(DATA / "zh_09.txt")])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["kind"] == "meeting" and len(data["key_points"]) == 2


def test_cli_stdin_and_several_inputs():
    text = read_release("zh_02.txt")
    result = runner.invoke(app, ["summarize", "-"], input=text.encode("utf-8"))
    assert result.exit_code == 0 and "- 一是加强团结合作" in result.stdout
    result = runner.invoke(app, ["summarize", "-f", "jsonl", str(DATA / "en_01.txt"), str(DATA / "zh_02.txt")])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(x["path"]).name for x in lines] == ["en_01.txt", "zh_02.txt"]


def test_cli_errors(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(empty)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    result = runner.invoke(app, ["summarize", "--lang", "fr", str(DATA / "en_01.txt")])
    assert result.exit_code == 2
    out = tmp_path / "out.md"
    result = runner.invoke(app, ["summarize", str(DATA / "en_01.txt"), str(tmp_path / "missing.txt"), "-o", str(out)])
    assert result.exit_code == 1


def test_cli_output_file(tmp_path):
    out = tmp_path / "summary.json"
    result = runner.invoke(app, ["summarize", "-f", "json", "-o", str(out), str(DATA / "pair_03.zh.txt")])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["meeting"]["date"] == "9月29日上午"


def test_real_process_reads_stdin_and_never_imports_torch():
    code = ("import sys, summtool; s = summtool.summarize(sys.stdin.read()); "
            "assert s.key_points; print('torch' in sys.modules, 'transformers' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], input=read_release("zh_01.txt"), capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False"]
    proc = subprocess.run([sys.executable, "-m", "summtool", "summarize", "--format", "json", "-"],
                          input=read_release("en_05.txt"), capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["meeting"]["officials"][0]["name"] == "Hu Chunhua"


def test_summary_is_importable_from_the_package():
    import summtool

    # summtool.summarize stays the function even after its package, summtool.summarizer, is imported
    assert isinstance(summtool.summarize("商务部召开会议。会议强调，要稳外贸。"), Summary)
    assert isinstance(summarize("商务部召开会议。会议强调，要稳外贸。"), Summary)


def test_later_runs_of_a_long_point_stay_candidates():
    # a topic bullet takes a long point's first run of clauses only; the runs after it are points of their own
    points = [p["text"] for p in summarize(read_release("zh_08.txt")).key_points]
    assert any("促進消費持續恢復" in p for p in points), points


def test_situation_assessment_is_a_point():
    # "一季度，全省商务工作总体开局良好" is the meeting's assessment, not background to drop
    points = [p["text"] for p in summarize(read_release("zh_04.txt")).key_points]
    assert any("开局良好" in p for p in points), points
    points = [p["text"] for p in summarize(read_release("zh_03.txt")).key_points]
    assert any("中美经贸合作总体保持平稳态势" in p for p in points), points


def test_turn_to_the_problems_is_trimmed():
    from summtool.summarizer.rules import _trim_zh

    text = "但同时也要看到,工作中仍存在着主要指标增速回落等问题"
    assert text[_trim_zh(text, 0, len(text), False)[0]:].startswith("工作中仍存在")
    text = "同时必须看到，我国经济基础稳、优势多"
    assert text[_trim_zh(text, 0, len(text), False)[0]:].startswith("我国经济基础稳")


def test_framework_clause_at_the_head_is_trimmed_unless_it_quotes():
    from summtool.summarizer.rules import _trim_zh

    text = "紧紧围绕省委经济工作会议的安排部署,努力完成三大任务"
    assert text[_trim_zh(text, 0, len(text), False)[0]:] == "努力完成三大任务"
    text = "按照「疫情要防住、經濟要穩住」要求,部署統籌做好疫情防控工作"
    assert _trim_zh(text, 0, len(text), False)[0] == 0


def test_topic_piece_keeps_a_list_closed_by_deng_and_a_subject_with_a_time_word():
    from summtool.summarizer.rules import _piece

    text = "工作中仍存在着主要指标增速回落,工作措施落实不够,发展后劲不足等问题,二季度下行压力将继续增大"
    a, b = _piece(text, 0, len(text), "zh")
    assert text[a:b].endswith("发展后劲不足等问题")
    text = "今年全省商务工作思路更加清晰,工作重点更加明确"
    a, b = _piece(text, 0, len(text), "zh")
    assert text[a:b] == "今年全省商务工作思路更加清晰"
    text = "当前形势下,中美经贸合作总体保持平稳态势,前景广阔"
    a, b = _piece(text, 0, len(text), "zh")
    assert text[a:b].startswith("中美经贸合作")


def test_stacked_purpose_frames_are_not_a_topic_piece():
    from summtool.summarizer.rules import _piece

    text = "着眼于稳定市场预期，着眼于提高依法行政水平，严格规范涉企行政检查"
    a, b = _piece(text, 0, len(text), "zh")
    assert text[a:b] == "严格规范涉企行政检查"


def test_a_clause_that_only_asks_for_implementation_is_not_a_topic_piece():
    from summtool.summarizer.rules import _piece

    # "抓好机制实施" refers back to a measure named before; the measure that follows is the point
    text = "科学规范抓好机制实施，鼓励各地通过高质量发展涵养税源，增强发展主动性"
    a, b = _piece(text, 0, len(text), "zh")
    assert text[a:b] == "鼓励各地通过高质量发展涵养税源"
    # ... unlike a task that names its own content
    text = "做好岁末年初民生保障和安全稳定各项工作，深入排查化解各类矛盾纠纷"
    a, b = _piece(text, 0, len(text), "zh")
    assert text[a:b] == "做好岁末年初民生保障和安全稳定各项工作"


def test_zh_convening_clause_before_an_agenda_is_a_fact():
    from summtool.summarizer.rules import segments
    from summtool.summarizer.structure import layout

    head = "某某会议召开\n\n"
    rest = "会议指出，要压实企业主体责任，提升本质安全水平。\n"
    text = head + "国务院总理李强12月23日主持召开国务院常务会议，审议通过《关于加强安全生产工作的意见》，听取优化营商环境汇报。" + rest
    kinds = [(s.kind, text[s.start:s.end]) for s in segments(layout(text, "zh"))][:3]
    assert kinds == [("fact", "国务院总理李强12月23日主持召开国务院常务会议"),
                     ("lead", "审议通过《关于加强安全生产工作的意见》"), ("lead", "听取优化营商环境汇报")]
    # a lead that is nothing but the convening stays a candidate: it may be all the release says of the meeting
    text = head + "商务部12月23日召开全省商务工作会议。" + rest
    assert segments(layout(text, "zh"))[0].kind == "lead"


def test_a_topic_goes_on_from_the_decision_the_lead_reports():
    from summtool.summarizer.rules import segments, topics
    from summtool.summarizer.structure import layout

    text = ("国务院常务会议召开\n\n国务院总理李强主持召开国务院常务会议，审议通过《关于严格规范涉企行政检查的意见》。"
            "会议指出，要严格规范涉企行政检查，合理设置频度。要明确行政检查主体，清理公布行政检查事项。"
            "要合理确定检查方式，杜绝随意检查。\n")
    lay = layout(text, "zh")
    segs = segments(lay)
    (topic,) = topics(lay, segs)
    assert [text[a:b] for a, b in topic.pieces] == ["合理设置频度", "明确行政检查主体", "合理确定检查方式"]
    # ... and a point that says nothing beyond the decision has no piece, but the topic stands for it
    text = text.replace("要严格规范涉企行政检查，合理设置频度", "着眼于稳定市场预期，严格规范涉企行政检查")
    lay = layout(text, "zh")
    segs = segments(lay)
    (topic,) = topics(lay, segs)
    assert [text[a:b] for a, b in topic.pieces] == ["明确行政检查主体", "合理确定检查方式"]
    first = next(s for s in segs if text[s.start:s.end].endswith("严格规范涉企行政检查"))
    assert first.order in topic.members


def test_closing_formula_is_no_candidate_and_a_later_run_heads_nothing():
    from summtool.summarizer.rules import segments
    from summtool.summarizer.structure import layout

    text = read_release("pair_01.zh.txt")
    segs = segments(layout(text, "zh"))
    # "会议还研究了其他事项" is neither a point of its own nor merged into the run before it
    assert not any("其他事项" in text[s.start:s.end] for s in segs)
    assert not any(s.heading and s.rank for s in segs)


def test_what_the_main_speech_did_is_a_point():
    text = read_release("zh_01.txt")
    points = summarize(text).key_points
    # ... said without "在重要讲话中", which the facts block carries: two spans of one clause, joined by nothing
    point = next(p for p in points if p["text"].startswith("习近平总结2024年经济工作"))
    assert [text[a:b] for a, b in point["spans"]][:2] == ["习近平", "总结2024年经济工作，分析当前经济形势"], point
    assert text[point["spans"][0][1]:point["spans"][1][0]] == "在重要讲话中"


def test_agenda_items_the_body_takes_up_give_way_to_it():
    # "部署B，研究C，听取D汇报": the meeting's words on B, C and D are the points; "审议通过《A》" is a decision
    points = [p["text"] for p in summarize(read_release("pair_01.zh.txt")).key_points]
    assert "审议通过《关于严格规范涉企行政检查的意见》" in points, points
    assert not any(p.startswith(("部署", "研究", "听取")) for p in points), points
    assert any("合理设置频度" in p for p in points), points


def _zh01_topics() -> list[str]:
    """zh_01's composed topic bullets, their pieces joined with "|"."""
    from summtool.summarizer.rules import segments, topics
    from summtool.summarizer.structure import layout

    lay = layout(read_release("zh_01.txt"), "zh")
    return ["|".join(lay.text[a:b] for a, b in t.pieces) for t in topics(lay, segments(lay))]


def test_a_later_run_of_a_cue_sentence_opens_no_topic_block():
    texts = _zh01_topics()
    # "会议指出，当前……加深，……，主要是……" and the sentences after it make one block
    assert any(t.startswith("当前外部环境变化带来的不利影响加深|我国经济基础稳") for t in texts), texts


def test_parallel_points_state_their_shared_head_once():
    from summtool.summarizer.rules import _shared_heads

    texts = _zh01_topics()
    assert any(t.startswith("必须统筹好有效市场和有为政府的关系|总供给和总需求的关系|培育新动能和更新旧动能的关系")
               for t in texts), texts
    # a head is cut only where a verb's complement ends it: "加快推" would split a word
    f = "加快推进甲乙工作。加快推动丙丁工作。要抓好戊己工作。要抓好庚辛工作。"
    assert _shared_heads(f, [(0, 8), (9, 17)]) == [(0, 8), (9, 17)]
    assert _shared_heads(f, [(18, 25), (26, 33)]) == [(18, 25), (29, 33)]


def test_a_unify_thinking_formula_goes_and_both_halves_of_a_correlative_stay():
    texts = _zh01_topics()
    # "要自觉用……统一思想、统一意志、统一行动，既把握大势、坚定信心，又正视困难、保持清醒"
    assert any(t.startswith("既把握大势、坚定信心，又正视困难、保持清醒|全面贯彻") for t in texts), texts


def test_every_run_of_a_rallying_sentence_is_hollow():
    from summtool.summarizer.rules import HOLLOW, _role, segments
    from summtool.summarizer.structure import layout

    lay = layout(read_release("zh_01.txt"), "zh")
    # "会议号召，全党……要更加紧密地团结在……周围，认真落实会议各项部署，全面完成……": its later runs too
    rally = [s for s in segments(lay) if lay.text[s.start:s.end].startswith("认真落实会议各项部署")]
    assert rally and all(_role(lay.folded, s, "zh") == HOLLOW for s in rally)


def test_a_short_later_run_is_no_point_of_its_own():
    from summtool.summarizer.rules import segments
    from summtool.summarizer.structure import layout

    text = read_release("zh_08.txt")
    tail = "為穩住經濟大盤提供有力支撐"
    assert any(s.rank > 0 and text[s.start:s.end] == tail for s in segments(layout(text, "zh")))
    assert tail not in [p["text"] for p in summarize(text).key_points]


def test_agenda_item_the_title_names_gives_way_and_trailing_boilerplate_goes():
    points = [p["text"] for p in summarize(read_release("pair_03.zh.txt")).key_points]
    assert points[0] == "商务厅召开全省商务系统“决战四季度大干一百天”攻坚行动暨安全生产工作会议", points
    assert not any("进行安排" in p or "决策部署" in p for p in points), points
    assert any(p.endswith("确保年底前转化为实实在在的工作成效") for p in points), points
    # "对全省商务系统学习宣传贯彻工作进行研究部署" is the meeting's own task, not boilerplate
    points = [p["text"] for p in summarize(read_release("pair_02.zh.txt")).key_points]
    assert any(p.endswith("对全省商务系统学习宣传贯彻工作进行研究部署") for p in points), points


def test_en_clause_cuts_never_split_a_name_at_and():
    # en_01 names "the upcoming 133rd China Import and Export Fair": " and " between capitalized words is
    # inside a name, so no bullet may end at "China Import"
    for name in ("en_01.txt", "en_03.txt"):
        text = read_release(name)
        for p in summarize(text).key_points:
            for _, end in p["spans"]:
                assert not (re.search(r"[A-Z][a-z]+$", text[:end]) and re.match(r"\s+and\s+[A-Z]", text[end:])), p["text"]


def test_en_a_cue_drops_its_addressee():
    # "Li urged government departments to comprehensively advance ...": what is asked is the point
    text = ("BEIJING, March 14 (Xinhua) -- The State Council on Friday held a plenary meeting.\n\n"
            "Li urged government departments to comprehensively advance the implementation of the tasks outlined "
            "in this year's government work report.\n\n"
            "He also urged improved efficiency and concerted efforts to improve the country's overall capacity.\n")
    points = [p["text"] for p in summarize(text).key_points]
    assert any(p.startswith("comprehensively advance the implementation") for p in points), points
    # ... but a thing asked for is no addressee
    assert not any(p.startswith("improve the country") for p in points), points


def test_en_clause_cuts_never_leave_a_dangling_function_word():
    for name in ("en_01.txt", "en_04.txt", "en_07.txt", "en_08.txt", "pair_01.en.txt"):
        for p in summarize(read_release(name)).key_points:
            assert not re.search(r"\b(?:of|the|a|an|to|in|for|with|by|on|at|from|and|or)$", p["text"]), p["text"]



def test_en_parallel_infinitives_are_points_of_their_own():
    # "Li urged government departments to A, and to B": A is a point without B's tail
    points = [p["text"] for p in summarize(read_release("en_07.txt")).key_points]
    assert any(p.endswith("outlined in this year's government work report") for p in points), points


def test_en_no_bullet_ends_inside_a_shared_phrase():
    # "promote the transformation | and upgrading of the manufacturing sector": both heads share "of ...", so
    # a bullet ending after the first says something else; it takes the rest or gives up that clause
    for name in ("en_01.txt", "en_02.txt", "en_04.txt", "en_07.txt", "en_08.txt", "pair_01.en.txt", "pair_02.en.txt"):
        text = read_release(name)
        for p in summarize(text).key_points:
            for _, end in p["spans"]:
                assert not re.match(r"\s+and\s+(?:[\w'’-]+\s+){1,2}?of\s", text[end:]), p["text"]
                # two modifiers of one head ("specific economic | and trade concerns"), two or more verbs of one
                # object ("to maintain | and strengthen exchanges", "to learn, disseminate |, and implement")
                assert not (re.search(r"(?:\b[a-z]{3,}(?:ic|al)|\bto\s+[a-z]+(?:,\s+[a-z]+)*)$", text[:end])
                            and re.match(r",?\s+and\s+[\w-]+\s+[\w-]+", text[end:])), p["text"]


def test_en_where_a_release_said_it_is_no_point():
    # "..., the ministry said in a news release published on its website." leaves nothing to summarize
    from summtool.summarizer import rules, structure

    text = read_release("en_02.txt")
    layout = structure.layout(text, "en")
    assert not any(text[s.start:s.end].startswith("in a news release") for s in rules.segments(layout))


def test_en_a_later_clause_of_a_requirement_is_a_requirement():
    # "We should learn and implement the spirit ..., put it into concrete action, and reflect it in development
    # results": the "should" governs the whole sentence, not just the run it opens
    from summtool.summarizer import rules, structure

    text = read_release("pair_02.en.txt")
    layout = structure.layout(text, "en")
    later = [s for s in rules.segments(layout) if text[s.start:s.end].startswith("put it into concrete action")]
    assert later and all(rules._role(layout.folded, s, "en") > 0 for s in later)


def test_en_a_lists_announcement_is_no_point():
    # "the next step would focus on three aspects ...:" says only that the items follow, and they are points
    from summtool.summarizer import rules, structure

    text = read_release("pair_02.en.txt")
    layout = structure.layout(text, "en")
    announce = [s for s in rules.segments(layout) if "focus on three aspects" in text[s.start:s.end]]
    assert announce and all(rules._role(layout.folded, s, "en") == rules.HOLLOW for s in announce)
    # ... and its room goes to what the sentence before asks
    points = [p["text"] for p in summarize(text).key_points]
    assert "put it into concrete action, and reflect it in development results" in points, points


def test_markdown_bullets_open_with_a_capital_json_keeps_the_source():
    text = read_release("en_08.txt")
    summary = summarize(text)
    lowercase = [p for p in summary.key_points if p["text"][0].islower()]
    assert lowercase, "en_08 has bullets cut from mid-sentence"
    markdown = summary.to_markdown()
    for p in lowercase:
        assert f"- {p['text'][0].upper()}{p['text'][1:]}\n" in markdown
        assert text[p["spans"][0][0]] == p["text"][0]


def test_press_conference_courtesies_and_frames_are_not_points():
    # a Q&A transcript opens with "Friends from the media, good afternoon"; a wire copy with "据央视新闻，在今天……
    # 举行的例行新闻发布会上，": neither says anything of its own
    en = [p["text"] for p in summarize(read_release("en_09.txt")).key_points]
    assert en and not any(re.search(r"good afternoon|floor is open|take your questions", p) for p in en), en
    zh = [p["text"] for p in summarize(read_release("zh_06.txt")).key_points]
    assert zh and not any(p.startswith(("据", "在")) for p in zh), zh
    assert any(p.startswith("新闻发言人束珏婷介绍了") for p in zh), zh
