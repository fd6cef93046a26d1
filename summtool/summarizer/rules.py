"""The default summarizer: structure-aware, extractive key points of meeting releases, no model weights."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from .patterns import lazy
from .structure import Layout

# --- patterns (matched on the folded text, so Traditional script reads the same) ---------------------
_ZH_NUM = "一二三四五六七八九十"
# Enumeration markers that open an item: 一是 / 第一， / （一） / 一、 / 1. / 首先，
_ZH_ENUM = lazy(
    rf"(?:(?<=^)|(?<=[，,；;：:。\s]))(?:[{_ZH_NUM}]{{1,2}}是|第[{_ZH_NUM}]{{1,2}}[，,、]|[（(][{_ZH_NUM}\d]{{1,2}}[）)]"
    rf"|[{_ZH_NUM}]{{1,2}}、|\d{{1,2}}[.．、](?!\d)|其[{_ZH_NUM}][，,、]|首先[，,]|其次[，,]|再次[，,]|最后[，,])"
)
_EN_ORD = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|finally|lastly"
_EN_ENUM = lazy(rf"(?:(?<=^)|(?<=[;:,]\s)|(?<=[;:]))\s*(?:(?:{_EN_ORD}),|\(\d{{1,2}}\)|\d{{1,2}}\.(?=\s))",
                      re.IGNORECASE)
_EN_ENUM_START = lazy(rf"^(?:(?:{_EN_ORD}),|\(\d{{1,2}}\)|\d{{1,2}}\.\s)", re.IGNORECASE)
# Parallel requirement clauses: "…，要A，要B" -> one item per 要 clause.
_ZH_YAO = lazy(r"(?<=[，,；;])要(?![求点素闻件])")

_ZH_CUE_VERBS = ("强调指出|明确指出|指出|强调|要求|认为|确定|决定|表示|提出|通报|透露|号召|介绍|希望|建议|"
                 "称|说|听取|研究|部署|审议")
_ZH_CUE_CLAUSE = lazy(rf"^[^，,：:。；;]{{0,18}}?(?:{_ZH_CUE_VERBS})[，,：:]")
_ZH_CUE_WORD = lazy(rf"^(?:会议|会上|会议上|大会|他|她|我们|双方|中方|美方)?(?:还|也|进一步|同时)?(?:{_ZH_CUE_VERBS})")
# A press conference's courtesies ("Friends from the media, good afternoon", "下面开始提问") carry no point
_GREETING = lazy(
    r"(?i)(?:\bgood\s+(?:morning|afternoon|evening)|\bwelcome\s+to\s+(?:the|this|our)\b[^.;]{0,60}"
    r"\b(?:press\s+conference|briefing)|\bthe\s+floor\s+is\s+open|\b(?:take|answer)\s+your\s+questions|"
    r"^(?:[^:：]{1,40}[:：]\s*)?thank\s+you(?:\s+(?:all|very\s+much))?|大家好|朋友们?[^，,。]{0,4}好|"
    r"欢迎[^，,。]{0,20}(?:发布会|记者会|吹风会)|(?:下面|现在)[^，,。]{0,8}(?:提问|回答)|^(?:[^:：]{1,12}[:：])?谢谢(?:大家)?)[.!。！]?$")
# "在今天商务部举行的例行新闻发布会上，": where it was said, the facts' business; what was said follows
_ZH_EVENT_FRAME = lazy(r"^在[^，,：:。；;]{2,40}(?:会|会议|发布会|论坛|仪式|活动|峰会|采访)(?:上|中|期间)[，,]")
_ZH_FRAME = lazy(r"^(?:对|在|就|关于|针对|围绕|从|同时|此外|另外|下一步)[^，,：:。]{0,16}[，,]")
# the closing formula of a State Council release: no point, not even one to fill a budget with
_ZH_CLOSING = lazy(r"^(?:会议)?(?:还|也)?(?:研究|讨论)了?其他事项$")
_ZH_SUBJECT_ONLY = lazy(r"^[^，,：:。；;]{0,12}?(?:会议|会上)[，,]?$")
_ZH_DATELINE = lazy(
    r"^(?:【[^】]{0,20}】)?(?:(?:[^，,：:。；;\n]{0,30}?(?:消息|讯|电|报道|获悉|快讯)(?:[（(][^）)]{0,12}[）)])?[）)】]?"
    r"|据[^，,：:。；;\n]{2,16}?(?:报道|消息|新闻|网)?)[：:，,/]\s*){1,4}")
_ZH_DATE_CLAUSE = lazy(
    r"^(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:至\d{1,2}日)?(?:上午|下午|晚上|晚间|晚|早上)?|日前|近日|今天|昨天)[，,]")
_ZH_BOILER = lazy(
    r"(?:深入)?学习(?:宣传)?贯彻|贯彻落实[^，,。]{0,40}(?:精神|决策部署|部署|要求)$|以习近平[^，,。]{0,30}为指导|"
    r"^全面贯彻[^，,。]{0,30}精神$|^(?:坚决)?贯彻落实党中央|在[^，,。]{0,30}精神(?:引领|指引|指导)下|^按照[^，,。]{0,30}部署$|"
    r"^进一步增强[^，,。]{0,12}感$|^坚持稳中求进工作总基调$|^完整准确全面贯彻新发展理念$|^加快构建新发展格局$|"
    r"^以[^，,。]{0,20}为(?:指导|统领|引领)$|统一思想、统一意志、统一行动$")
_ZH_BOILER_TAIL = lazy(r"^(?:认真|坚决|深入)?(?:学习)?贯彻(?:落实)?[^，,。]{0,40}(?:精神|决策部署|部署|要求)$")
# "但同时也要看到，……": the turn of an assessment to its problems; what follows is the point
_ZH_SEE = lazy(r"^(?:但|但是|同时|然而|当然)?(?:同时)?(?:也|还|更)?(?:要|必须|应当|应该)?(?:清醒|清醒地|深刻)?(?:看到|认识到)[，,]")
_ZH_SUBJECT_YAO = lazy(r"^(?:各级|各地|全省|全国|全市|各|我们|双方|中方)[^，,：:。；;要]{0,12}?要(?![求点素闻件])")
_ZH_FRAME_CLAUSE = lazy(r"^(?:做好|推进|抓好|围绕|对|就|关于)[^，,。]{0,10}(?:工作)?$")
_ZH_FACT = lazy(
    r"(?:出席|参加|列席|主持)(?:了)?(?:会议|会见|会谈|座谈会|大会|开幕式|活动)|出席并(?:讲话|致辞)|"
    r"(?:出席|参加)会议并(?:发表)?(?:重要)?讲话|(?:作|发表)(?:了)?(?:重要|总结)?讲话$|参加会见")
_ZH_STOP = set("的和与及并是在了要等对为将把从以于也还其这那之而或被由向中上下个们有所各该此其")

_EN_DATELINE = lazy(
    r"^[A-Z][A-Z .,'’-]{2,40}(?:,\s*[A-Z][a-z]{2,4}\.?\s*\d{1,2})?\s*(?:\([^)]{0,30}\))?\s*(?:--|—|–)\s*")
_EN_DATE_CLAUSE = lazy(
    r"^(?:On|In)\s+(?:the\s+(?:morning|afternoon|evening)\s+of\s+)?(?:[A-Z][a-z]+\.?\s+\d{1,2}(?:,\s*\d{4})?|"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\s*,\s*")
_EN_SUBJ = (r"(?:The|the)\s+(?:meeting|conference|ministry|session|participants|minister|premier|vice\s+premier|"
            r"teleconference|forum|two\s+sides)|It|it|He|he|She|she|They|they|We|we|"
            r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}")
_EN_CUE_VERB = (r"(?:also\s+|further\s+|then\s+)?(?:pointed\s+out|emphasized|emphasised|stressed|noted|said|believed|"
                r"decided|revealed|called\s+for|called\s+on|urged|highlighted|underlined|required|demanded|"
                r"asked|added|stated|maintained)")
# "urged government departments to advance X": who is asked is not what is asked, and a bullet that opens
# with the addressee reads as a fragment. The addressee is an agent (authorities, enterprises, all
# localities ...); "urged improved efficiency and concerted efforts to ..." asks for a thing, and stays.
_EN_AGENTS = (r"(?:authorities|departments|governments|localities|officials|enterprises|companies|firms|cadres|members|"
              r"agencies|bodies|organs|institutions|regions|provinces|cities|ministries|parties|sides|countries|"
              r"sectors|units|staff|everyone)")
_EN_ADDRESSEE = rf"(?:all\s+|the\s+)?(?:[\w'’-]+\s+){{0,3}}?{_EN_AGENTS}(?:\s+at\s+all\s+levels)?\s+to"
_EN_CUE_HEAD = lazy(
    rf"^(?:{_EN_SUBJ}|(?:[A-Z][\w'’.-]*\s+){{1,6}}(?:on\s+\w+day\s+)?|(?:[A-Z][\w'’.-]*\s+){{0,5}}[A-Z][\w'’.-]*,"
    rf"\s+(?:who|also)\s+[^,]{{0,120}},\s+)\s*{_EN_CUE_VERB}"
    r"(?:\s+that|\s+efforts\s+to|\s+the\s+importance\s+of|\s+the\s+need\s+to|\s+" + _EN_ADDRESSEE + r")?\s+")
# "Stressing X, Li urged Y": the fronted participle is a cue like "Li stressed", X a point like Y
_EN_CUE_FRONTED = lazy(r"^(?:Stressing|Emphasi[sz]ing|Highlighting|Underlining)(?:\s+that|\s+the\s+need\s+to|"
                             r"\s+the\s+importance\s+of)?\s+")
_EN_AIM_THEN_CONVENE = lazy(
    r"(?:Aiming|Aimed|In\s+order|With\s+a\s+view)\s+to\s[^;]{20,}?(?=,\s+[^,;]{0,60}?\b(?:held|convened|hosted|organized)\b)")
# "Li Qiang presided over a State Council executive meeting that approved X": who convened which meeting is
# the facts block's news; what the meeting did, told in the clause it opens, is the point ("approved X")
_EN_CONVENED_THEN = lazy(
    r"[^,;:.\"“]{0,120}?\b(?:convened|held|hosted|chaired|presided\s+over)\s+(?:a|an|the|its)\s+[^,;:\"“]{0,60}?"
    r"\b(?:meeting|session|conference|teleconference|symposium)(?:\s+(?:that|which)\s+(?=[a-z]+ed\b)|,\s+(?=[a-z]+ing\b))")
_EN_FILLER_HEAD = lazy(
    r"^(?:(?:Efforts|Work|Measures|Steps)\s+(?:should|must|will|need\s+to)\s+be\s+(?:made|done|taken)\s+to|"
    # an active subject goes when it is an agent ("local governments should ...", "we will ...": who acts is
    # the facts block's or the reader's); a subject that is a thing ("transfer payments should play a role",
    # "the next step would focus on") is what the point is about and stays, as a passive one does
    rf"(?:[Ii]t|[Hh]e|[Ss]he|[Ww]e|[Tt]hey|(?:[A-Z][\w'’-]*\s+){{0,2}}[A-Z][\w'’-]*|"
    rf"(?:[\w'’-]+\s+){{0,4}}?(?:{_EN_AGENTS}|government)(?:\s+(?:of|at|in|across)(?:\s+[\w'’-]+){{1,4}}?)?)\s+(?:should|must|need\s+to|needs\s+to|will|would)(?:\s+work\s+to|\s+continue\s+to)?(?=\s+(?!be\s)[a-z])|"
    r"(?:As|When|While|Since|Now\s+that)\s[^,]{5,80},|"
    r"(?:In\s+addition\s+to\s+urging\s+(?:[\w-]+\s+){1,5}?to)|"
    r"[Ii]t\s+is\s+(?:necessary|crucial|important|essential|imperative)\s+to|(?:In\s+addition|Meanwhile|Moreover|"
    r"Furthermore|Besides|Also|Additionally),)\s+")
_EN_INNER_CUE = lazy(
    rf",\s+(?:{_EN_SUBJ})\s+{_EN_CUE_VERB}(?:\s+that)?(?:\s+(?:the\s+importance\s+of|the\s+need\s+to))?\s+|"
    r",\s+according\s+to\s+the\s+\w+,\s+which\s+(?:noted|said|stressed|pointed\s+out)(?:\s+that)?\s+")
_EN_TAIL = lazy(
    rf",?\s+(?:according\s+to\s+(?:the|China's)\s+[\w' -]{{2,30}}|(?:{_EN_SUBJ}|the\s+\w+)\s+(?:also\s+)?"
    r"(?:said|noted|added|stressed|said\s+in\s+[^,.;]{0,80}|noted\s+in\s+[^,.;]{0,80})|data\s+showed"
    # the inverted order of news English: "…, said the ministry in an online statement"
    rf"|(?:said|noted|added|stressed)\s+(?:{_EN_SUBJ}|the\s+\w+)(?:\s+(?:in|on|at)\s+[^,.;]{{0,80}})?)[.!]?$")
_EN_BOILER = lazy(
    r"\b(?:implements?|implementing|to\s+implement|acts?\s+on|following|carry\s+out|carries\s+out|study\s+and\s+implement)"
    r"\s+(?:the\s+)?(?:spirit|major\s+decisions|decisions\s+and\s+(?:deployment|arrangements)|important\s+instructions)",
    re.IGNORECASE)
_EN_FACT = lazy(
    r"\b(?:attended|presided\s+over|chaired|was\s+present\s+at|attended\s+and\s+addressed|addressed)\s+"
    r"(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}(?:meeting|conference|session|event|teleconference|ceremony|talks)"
    r"(?:\s+(?:and\s+)?(?:delivered|made|gave)\s+a\s+speech)?|\b(?:made|delivered|gave)\s+a\s+speech|"
    r"\bbriefed\s+the\s+relevant\s+work|\bmade\s+the\s+remarks\s+(?:during|at)\b", re.IGNORECASE)
_EN_STOP = set("""a an the of and or to in on for with by at from as is are was were be been that this these those it
its their his her he she they them we our you your which who whom said says will would should shall can could may might
also has have had not no but into over under about than then there""".split())

_TRAIL_PUNCT = "。.;；,，:：、 \t\n"


@dataclass
class Segment:
    """A candidate key point: a trimmed span of the source plus what the summarizer knows about it."""

    start: int
    end: int
    para: int
    sent: int
    kind: str = "plain"  # lead, cue, enum, detail, plain, fact; topic for a composed topic bullet
    score: float = 0.0
    order: int = 0
    rank: int = 0  # 0 for a whole piece or its first run of clauses, 1, 2 ... for the runs after it
    # a composed topic bullet: its pieces (spans of the source, joined with SEP) and the segments it stands for
    pieces: list[tuple[int, int]] | None = None
    members: frozenset[int] = frozenset()
    more: list[list[int]] | None = None  # per piece, the clause ends it may grow to
    heading: bool = False  # zh: a short requirement sentence merged with the details that follow it


# --- splitting ------------------------------------------------------------------------------------------
def _split(layout: Layout, start: int, end: int, lang: str) -> list[tuple[int, int, bool, bool]]:
    """Pieces of one sentence: enumeration items and parallel 要 clauses. The flags mark an enumeration item,
    and a piece that a reporting clause inside the sentence opens ("..., he said the government must ...")."""
    f = layout.folded
    cuts: dict[int, int] = {}  # where a piece ends -> where the next one starts (a gap drops a cue)
    enum_points: set[int] = set()
    reported: set[int] = set()
    if lang == "zh":
        for m in _ZH_ENUM.finditer(f, start, end):
            cuts[m.start()] = m.start()
            enum_points.add(m.start())
        yao = [m.start() for m in _ZH_YAO.finditer(f, start, end)]
        head = f[start:end].lstrip()
        opens_yao = head.startswith("要") or bool(re.match(rf"^[^，,]{{0,18}}(?:{_ZH_CUE_VERBS})[，,：:]要", head))
        if len(yao) + (1 if opens_yao else 0) >= 2:
            cuts.update((p, p) for p in yao)
        # "；" parts of one sentence are parallel tasks, each a point of its own
        for m in re.finditer(r"[；;]\s*", f[start:end]):
            cuts.setdefault(start + m.start() + 1, start + m.end())
    else:
        for m in _EN_ENUM.finditer(f, start, end):
            p = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            cuts[p] = p
            enum_points.add(p)
        for m in re.finditer(r";\s+(?:and\s+)?", f[start:end]):
            cuts[start + m.start() + 1] = start + m.end()
        # "urged X to A, and to B": parallel infinitives are requirements of their own, each asked like A
        for m in re.finditer(r",\s+and\s+to\s+(?=[a-z])", f[start:end]):
            cuts[start + m.start()] = start + m.end()
            reported.add(start + m.end())
        for m in _EN_INNER_CUE.finditer(f, start, end):
            cuts[m.start()] = m.end()
            # "..., the ministry said in a statement": what follows is where it was said, not what, and
            # no candidate at all when nothing else follows
            if not re.match(r"(?:in|at|on|during|through|via)\s", f[m.end():end]):
                reported.add(m.end())
            elif not re.search(r"[,;:]", f[m.end():end].rstrip(_TRAIL_PUNCT)):
                cuts[m.start()] = end
    out: list[tuple[int, int, bool, bool]] = []
    pos = start
    for cut in sorted(c for c in cuts if start < c < end) + [end]:
        if cut > pos:
            out.append((pos, cut, pos in enum_points or (pos == start and _enum_start(f, pos, lang)), pos in reported))
            pos = cuts.get(cut, end)
    return out


def _enum_start(folded: str, pos: int, lang: str) -> bool:
    piece = folded[pos:pos + 12]
    if lang == "zh":
        return bool(_ZH_ENUM.match(piece))
    return bool(_EN_ENUM_START.match(piece))


# --- trimming -------------------------------------------------------------------------------------------
def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n\u3000":
        start += 1
    while end > start and text[end - 1] in _TRAIL_PUNCT:
        end -= 1
    return start, end


def _zh_clauses(f: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in re.finditer(r"[，,：:]", f[start:end]):
        out.append((pos, start + m.end()))
        pos = start + m.end()
    if pos < end:
        out.append((pos, end))
    return out


def _trim_zh(f: str, start: int, end: int, first: bool) -> tuple[int, int, bool]:
    """Drop datelines, date clauses, cue clauses and boilerplate at the head; True when a cue was cut."""
    cue = False
    if first:
        m = _ZH_DATELINE.match(f[start:end])
        if m and m.end() < 60:
            start += m.end()
    for _ in range(4):
        piece = f[start:end]
        m = _ZH_DATE_CLAUSE.match(piece) or _ZH_SEE.match(piece) or _ZH_EVENT_FRAME.match(piece)
        if m:
            start += m.end()
            continue
        m = _ZH_CUE_CLAUSE.match(piece)
        if m and "要" not in m.group(0)[:-1].replace("要求", ""):
            start += m.end()
            cue = True
            continue
        m = _ZH_FRAME.match(piece)
        if m:
            rest = piece[m.end():]
            m2 = _ZH_CUE_CLAUSE.match(rest)
            if m2:
                start += m.end() + m2.end()
                cue = True
                continue
        break
    m = _ZH_SUBJECT_YAO.match(f[start:end])
    if m:
        start += m.end()
    # boilerplate clauses at the head, as long as something follows them
    clauses = _zh_clauses(f, start, end)
    while len(clauses) > 1:
        head = f[clauses[0][0]:clauses[0][1]].rstrip("，,：: ")
        nxt = f[clauses[1][0]:clauses[1][1]].rstrip("，,：: ").lstrip("要")
        # ... and a framework clause ("紧紧围绕……的安排部署") unless it quotes what it follows ("按照「……」要求")
        if (_ZH_BOILER.search(head) or (_ZH_FRAME_CLAUSE.match(head) and _ZH_BOILER.search(nxt))
                or (_ZH_FRAMEWORK.match(head) and not re.search(r"[「“『\"]", head))):
            clauses.pop(0)
            start = clauses[0][0]
            continue
        break
    # ... and at the tail ("召开会议，贯彻落实……决策部署"), where the agenda item that followed was cut off
    while len(clauses) > 1 and _ZH_BOILER_TAIL.match(f[clauses[-1][0]:clauses[-1][1]].rstrip("，,：: 。")):
        clauses.pop()
        end = clauses[-1][1]
    if start < end and f[start] == "要" and _ZH_BOILER.search(f[start + 1:clauses[0][1]].rstrip("，,：: ")):
        if len(clauses) > 1:
            start = clauses[1][0]
            return _trim_zh(f, start, end, False)[0], end, cue
    return start, end, cue


def _trim_en(f: str, start: int, end: int, first: bool) -> tuple[int, int, bool]:
    """Drop datelines, date clauses, filler and cue heads at the head, a reporting clause at the tail ("...,
    the ministry said"), and an implementing boilerplate run; True when a cue was cut."""
    cue = False
    if first:
        m = _EN_DATELINE.match(f[start:end])
        if m:
            start += m.end()
        m = _EN_CONVENED_THEN.match(f, start, end)
        if m:
            start = m.end()
    for _ in range(4):
        piece = f[start:end]
        m = _EN_DATE_CLAUSE.match(piece) or _EN_FILLER_HEAD.match(piece)
        if m:
            start += m.end()
            continue
        m = _EN_CUE_HEAD.match(piece) or _EN_CUE_FRONTED.match(piece)
        if m and end - start - m.end() > 20:
            start += m.end()
            cue = True
            continue
        break
    piece = f[start:end]
    m = _EN_TAIL.search(piece)
    if m and m.start() > 20:
        end = start + m.start()
    # "Aiming to X, the ministry held a meeting in Y": the aim is the point, who met where the facts block's
    m = _EN_AIM_THEN_CONVENE.match(f, start, end)
    if m:
        end = m.end()
    # "implements the spirit of ..., acts on ..., and makes further plans to ..." -> keep the last part
    piece = f[start:end]
    if _EN_BOILER.search(piece[:80]):
        for m in re.finditer(r",\s+(?:and\s+)?(?=\w)", piece):
            if not _EN_BOILER.search(piece[m.end():m.end() + 80]) and end - (start + m.end()) > 30:
                start += m.end()
                break
    return start, end, cue


# --- scoring --------------------------------------------------------------------------------------------
def tokens(text: str, lang: str) -> list[str]:
    if lang == "zh":
        chars = [c for c in text if "\u4e00" <= c <= "\u9fff" and c not in _ZH_STOP]
        return [a + b for a, b in zip(chars, chars[1:])] + re.findall(r"[A-Za-z]+|\d+", text)
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _EN_STOP]


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def budget(chars: int, lang: str, kind: str) -> int:
    """Characters of bullets a release of *chars* characters deserves: long releases get relatively fewer."""
    if chars <= 0:
        return 0
    if lang == "zh":
        b = 8.8 * chars ** 0.53
    else:
        b = 4.2 * chars ** 0.72
    if kind != "meeting":
        b *= 0.55
    return int(b)


# --- the engine -----------------------------------------------------------------------------------------
def segments(layout: Layout) -> list[Segment]:
    """Every candidate key point of the body, trimmed, classified and scored, in document order."""
    lang = layout.lang
    f = layout.folded
    trim = _trim_zh if lang == "zh" else _trim_en
    out: list[Segment] = []
    in_enum_item = False
    last_para = None
    # a stored copy cut off mid-sentence ends on a letter, maybe half a word: where its last sentence stops
    cut_off = len(layout.text.rstrip()) if re.search(r"[A-Za-z]$", layout.text.rstrip()) else -1
    for n, sent in enumerate(layout.sentences):
        if sent.para != last_para:
            in_enum_item = False
            last_para = sent.para
        pieces = _split(layout, sent.span.start, sent.span.end, lang)
        lead_pieces = 1
        if n == 0 and lang == "zh" and pieces:
            items = _agenda(layout, *pieces[0][:3])
            pieces = [(x, y, e, False) for x, y, e in items] + pieces[1:]
            lead_pieces = len(items)
        for k, (a, b, is_enum, reported) in enumerate(pieces):
            a2, b2, cue = trim(f, a, b, n == 0 and k == 0)
            cue = cue or reported  # what "he said" introduces mid-sentence (en) is as much a point as after a head cue
            a2, b2 = _strip(layout.text, a2, b2)
            if lang == "en" and b2 == cut_off:
                b2 = _before_cut(f, a2, b2)
            if b2 - a2 < 2:
                continue
            piece = f[a2:b2]
            kind = "plain"
            if n == 0 and k < lead_pieces:
                kind = "lead"
            if cue:
                kind = "cue"
            if is_enum:
                kind = "enum"
                in_enum_item = True
            elif in_enum_item and lang == "zh" and k == 0 and not cue:
                kind = "detail"
            elif cue:
                in_enum_item = False
            # zh: a lead that goes on to list its agenda ("……主持召开常务会议，审议通过A，部署B") has its
            # points in the items; the convening clause before them is who met when, the facts block's news
            convened = kind == "lead" and (
                (lang == "en" and _EN_CONVENE_ONLY.match(piece) and not _EN_CONVENE_MORE.search(piece))
                or (lead_pieces > 1 and _ZH_CONVENE_ONLY.search(piece) and not _ZH_DECIDE.search(piece)))
            if _is_fact(piece, lang) or convened:
                kind = "fact"
            elif lang == "zh" and (_ZH_SUBJECT_ONLY.match(piece) or (_ZH_CUE_WORD.match(piece) and len(piece) < 8)
                                   or _ZH_CLOSING.search(piece)):
                continue
            elif _GREETING.search(piece):
                continue
            if lang == "zh" and kind != "fact" and b2 - a2 > CHUNK_OVER:
                for rank, (c1, c2) in enumerate(_chunks(layout.text, a2, b2)):
                    out.append(Segment(c1, c2, sent.para, sent.index, kind, order=len(out), rank=rank))
                continue
            out.append(Segment(a2, b2, sent.para, sent.index, kind, order=len(out)))
    if lang == "zh":
        out = _merge_headings(f, out)
    _score(layout, out)
    return out


# the last prepositional phrase of a sentence, whose object a cut may have taken away ("services for the pub")
_EN_LAST_PP = lazy(r"\s(?:for|in|on|at|of|to|with|by|from|into|over|under)\s(?!.*\s(?:for|in|on|at|of|to|with|by|"
                         r"from|into|over|under)\s)")


def _before_cut(f: str, start: int, end: int) -> int:
    """Where a point that a cut-off copy leaves unfinished ("... approved draft rules on standardizing
    intermediaries' services for the pub") still reads whole: at its last comma, else before its last
    prepositional phrase; *start* (nothing) when neither leaves a whole phrase. Its last word may be a cut
    one, and a bullet never ends on a broken word."""
    comma = f.rfind(",", start, end)
    if comma - start >= 4:
        b = _strip(f, start, comma)[1]
        if not _inside_phrase(f, start, b):
            return b
    m = _EN_LAST_PP.search(f, start, end)
    if m and m.start() - start >= 4 and not _inside_phrase(f, start, m.start()):
        return m.start()
    return start


# The lead of a meeting release lists its agenda: "召开会议，审议通过A，部署B，研究C，听取D汇报".
_ZH_ARRANGE = r"对([^，,。；;]{2,40})(?:进行|作出|作)(?:了)?(?:安排|部署)"
_ZH_AGENDA = lazy(rf"[，,](?=(?:审议通过|审议|部署|研究|听取|讨论|通报|传达学习|{_ZH_ARRANGE}))")
# a topic put on the agenda ("部署X", "对X进行安排"), unlike a decision taken on it (审议通过)
_ZH_AGENDA_TOPIC = lazy(rf"^(?:部署|研究|听取|讨论|通报)(.+)$|^{_ZH_ARRANGE}$")


def _agenda(layout: Layout, start: int, end: int, is_enum: bool) -> list[tuple[int, int, bool]]:
    """The lead's agenda items, one piece each, less the topics a later sentence takes up (what the
    meeting said of a topic is its point, its place on the agenda is not) or the title names (the work a
    meeting is named after: "召开……安全生产工作会议，对……安全生产工作进行安排")."""
    f = layout.folded
    out, pos = [], start
    cuts = [m.start() for m in _ZH_AGENDA.finditer(f, start, end)]
    for cut in cuts + [end]:
        a = pos + 1 if pos > start else pos
        m = _ZH_AGENDA_TOPIC.match(f[a:cut].rstrip(_TRAIL_PUNCT))
        what = (1 if m.group(1) else 2) if m else 0  # the topic named, less the verb that puts it on the agenda
        if not (m and _restated(layout, a + m.start(what), a + m.end(what))):
            out.append((a, cut, is_enum and a == start))
        pos = cut
    return out


def _restated(layout: Layout, start: int, end: int) -> bool:
    """Whether one later sentence, or the title, repeats most of f[start:end]: a character counts when a
    word it forms with a neighbour recurs there."""
    f = layout.folded
    chars = [c for c in f[start:end] if "\u4e00" <= c <= "\u9fff" and c not in _ZH_STOP]
    later = [(s.span.start, s.span.end) for s in layout.sentences if s.span.start >= end]
    if layout.title is not None:
        later.append((layout.title.start, layout.title.end))  # the meeting's name: what it was held for
    for x, y in later:
        there = f[x:y]
        found = [a + b in there for a, b in zip(chars, chars[1:])]
        said = sum(1 for i in range(len(chars)) if (i > 0 and found[i - 1]) or (i < len(found) and found[i]))
        if len(chars) > 2 and said >= 0.5 * len(chars):
            return True
    return False


HEADING_MAX = 16


def _merge_headings(f: str, segs: list[Segment]) -> list[Segment]:
    """A short requirement sentence that heads a paragraph's details ("要实施更加积极的财政政策。") is a
    point only with what follows it: it takes the next sentence of its paragraph into one segment."""
    out: list[Segment] = []
    skip = False
    for i, s in enumerate(segs):
        if skip:
            skip = False
            continue
        nxt = segs[i + 1] if i + 1 < len(segs) else None
        if (nxt is not None and s.kind in ("plain", "cue") and s.rank == 0 and nxt.kind not in ("fact", "enum", "cue")
                and nxt.para == s.para and nxt.sent != s.sent and s.end - s.start <= HEADING_MAX
                and re.match(r"[。！？!?]", f[s.end:s.end + 1] or "")
                # a heading is one clause, and the details it heads are not a new cue's ("会议强调，……")
                and not re.search(r"[，,；;]", f[s.start:s.end]) and not _ZH_CUE_CLAUSE.match(f[nxt.start:nxt.end])
                and ("要" in f[s.start:s.start + 4] or _ZH_REQ_HEAD.match(f[s.start:s.end]))):
            s.end = nxt.end
            s.heading = True
            skip = True
        s.order = len(out)
        out.append(s)
    return out


RUN_STEP = 0.15
CHUNK_OVER = 60  # zh pieces longer than this become runs of clauses, each a candidate of its own
CHUNK_SIZE = 24


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in _ZH_CLAUSE_END.finditer(text, start, end):
        if m.start() - pos >= CHUNK_SIZE and end - m.end() >= 8:
            a, b = _strip(text, pos, m.start())
            if b > a:
                out.append((a, b))
            pos = m.end()
    a, b = _strip(text, pos, end)
    if b > a:
        out.append((a, b))
    return out


def _is_fact(piece: str, lang: str) -> bool:
    """Whether *piece* ends with who attended or presided (its last attendance phrase closes it)."""
    pattern, slack = (_ZH_FACT, 4) if lang == "zh" else (_EN_FACT, 25)
    ends = [m.end() for m in pattern.finditer(piece)]
    return bool(ends) and len(piece) - ends[-1] <= slack


def _score(layout: Layout, segs: list[Segment]) -> None:
    lang = layout.lang
    f = layout.folded
    vecs = [Counter(tokens(f[s.start:s.end], lang)) for s in segs]
    doc = Counter()
    for v in vecs:
        doc.update(v)
    if layout.title is not None:
        doc.update(tokens(f[layout.title.start:layout.title.end], lang))
    bonus = {"lead": 1.0, "enum": 0.9, "cue": 0.8, "plain": 0.4, "detail": 0.1, "fact": -9.0}
    short = 10 if lang == "zh" else 35
    for s, v in zip(segs, vecs):
        length = s.end - s.start
        s.score = 0.5 * _cosine(v, doc) + bonus.get(s.kind, 0.0) - RUN_STEP * s.rank + _role(f, s, lang)
        if length < short:
            s.score -= 0.25


# What a point does matters more than where it sits: requirements, decisions and tasks are what hand-written
# key points keep; a bare "the meeting was held" clause belongs to the facts block, background to nobody.
_ZH_REQ_BEFORE = lazy(r"(?:要|应当|应|必须|需要|须)(?:[^，,。；;]{0,3})$|(?:要求|强调|提出|号召)[^。；;]{0,12}[，,：:]$")
_ZH_REQ_HEAD = lazy(r"^(?:要|应当|应|必须|需要|须|坚决|坚持|加快|加强|推动|推进|深化|扩大|实施|支持|提高|稳定|促进|着力|确保|持续)")
_ZH_DECIDE = lazy(r"(?:审议通过|通过了|确定|决定|部署|研究了?|听取)")
# what a speech did ("习近平在重要讲话中总结……，部署……"): the release's own summary of its main event
_ZH_SPEECH = lazy(r"^[^，,。；;]{1,20}在[^，,。；;]{0,8}讲话中[^，,。；;]{0,4}(?:总结|分析|部署|回顾|阐述|提出|强调)")
_ZH_CONVENE_ONLY = lazy(r"(?:召开|举行|开幕|闭幕|在[^，,。]{1,12}召开)(?:了)?$|会议$|座谈会$|会谈$|大会$")
# Background is what a point rests on: "X是……的重要方式", "X事关……". A sentence that opens with its period
# ("一季度，……开局良好", "当前……不利影响加深") is the meeting's assessment of the situation, and hand-written
# key points keep that.
_ZH_BACKGROUND = lazy(r"^(?:实践中|展望未来)|(?:是[^，,。]{2,20}(?:重要|关键|根本)|事关)")
_ZH_FRAMEWORK = lazy(r"^(?:紧紧围绕|围绕|按照|根据|结合|立足|聚焦)[^，,。]{0,40}(?:部署|精神|要求|安排|工作)$")
_EN_REQ = lazy(r"\b(?:should|must|need\s+to|needs\s+to|will\s+work\s+to|called\s+for|urged|stressed|"
                     r"emphasi[sz]ed|demanded|required)\b", re.IGNORECASE)
_EN_DECIDE = lazy(r"\b(?:approved|adopted|decided|passed|deployed|made\s+arrangements|arranged|studied|reviewed)\b",
                        re.IGNORECASE)
_EN_CONVENE_ONLY = lazy(r"^[^,;:]{0,100}?\b(?:held|convened|hosted|met\s+with|chaired|presided\s+over)\b[^,;:]{0,120}$")
# ... unless it goes on to say what the meeting was for or did
_EN_CONVENE_MORE = lazy(r"\b(?:to|that|which|where|approved|adopted|decided|discussed|studied|reviewed|deployed)\b")
# "Noting that ..." sets the scene; a fronted "Stressing X, Li urged Y" is a requirement like Y, so not here
_EN_BACKGROUND = lazy(r"^(?:Noting|Since|As|With|Over)\b")
# "X summarized the work of the first half. He said that ..." - the first sentence only names what a speech
# was about; what it said, the next sentence's content, is the point.
_EN_SPEECH_TOPIC = lazy(r"\b(?:summarized|summarised|reviewed|looked\s+back\s+on)\s[^,;:]{0,80}$")
_EN_SPEECH_NEXT = lazy(r"^\.\s+(?:He|She|They)\s+(?:also\s+)?(?:said|noted|pointed\s+out|stressed)\b")


# Points that say nothing of their own: a list's announcement ("要抓好以下重点任务") whose items follow as points,
# and the rallying close of a long release ("团结在……周围", "为……而奋斗").
_ZH_HOLLOW = lazy(r"(?:以下|如下)[^，,。；;]{0,6}(?:任务|工作|方面|几点|要求|措施|建议|事项)$|如下$|"
                        r"[在从抓][两二三四五六七八九十几][个项大]?方面(?:着力|发力|下功夫|用力|入手)?$|"
                        r"团结在[^。；;]{0,30}周围|(?:而|继续)(?:不懈)?(?:努力)?奋斗$|奋力谱写[^。；;]{0,30}篇章$")
_EN_HOLLOW = lazy(r"\bthe\s+following\s+(?:tasks|aspects|measures|points|areas|requirements|priorities)\b[^,;.]{0,20}$|"
                        # "the next step would focus on three aspects in combination with ...:"
                        r"\bfocus(?:ing)?\s+on\s+(?:two|three|four|five|six|seven|several)\s+(?:aspects|areas|fronts|tasks)\b[^,;:.]{0,50}$|"
                        r"\bas\s+follows$|\brally\s+(?:closely\s+)?(?:around|behind)\b",
                        re.IGNORECASE)
_ZH_RALLY = lazy(r"团结在[^。；;]{0,30}周围")  # a whole sentence's role, see _role
HOLLOW = -0.6
BACKGROUND = -0.3


def _role(f: str, s: Segment, lang: str) -> float:
    """Score bonus for what *s* does: + requirement/decision/task, - convening-only lead, framework, background."""
    piece = f[s.start:s.end]
    before = f[max(0, s.start - 16):s.start]
    cut = max(before.rfind("。"), before.rfind("."), before.rfind("\n"))
    before = before[cut + 1:]
    if (_ZH_HOLLOW if lang == "zh" else _EN_HOLLOW).search(piece):
        return HOLLOW
    if lang == "zh":
        # the sentence so far: a later part of "会议强调，要A，B；C" is as much a requirement as A
        sent_head = f[max(0, s.start - 300):s.start]
        sent_head = sent_head[max(sent_head.rfind("。"), sent_head.rfind("\n")) + 1:]
        # ... and one that rallies ("团结在……周围，认真落实……，全面完成……") rallies to its end
        if _ZH_RALLY.search(sent_head):
            return HOLLOW
        if s.kind == "lead" and _ZH_CONVENE_ONLY.search(piece) and not _ZH_DECIDE.search(piece):
            return -0.45
        if _ZH_FRAMEWORK.match(piece):
            return -0.5
        if s.kind in ("enum", "detail"):
            return 0.0
        # what the main speech did counts with what the meeting asked for
        if (_ZH_REQ_BEFORE.search(before) or piece.startswith("要") or _ZH_REQ_HEAD.match(piece) or _ZH_SPEECH.match(piece)
                or re.search(r"(?:要求|强调|^要|[，,：:]要)", sent_head)):
            return 0.45 if s.kind == "plain" else 0.15
        if _ZH_BACKGROUND.search(piece):
            return BACKGROUND
        if _ZH_DECIDE.search(piece[:8]):
            return 0.3
        return 0.0
    if s.kind in ("enum", "fact"):
        return 0.0
    if s.kind == "lead" and _EN_CONVENE_ONLY.match(piece) and not _EN_CONVENE_MORE.search(piece):
        return -0.9  # who met where and when: the title's news, not a point of its own
    if _EN_BACKGROUND.match(piece):
        return BACKGROUND
    if _EN_SPEECH_TOPIC.search(piece) and _EN_SPEECH_NEXT.match(f[s.end:s.end + 40]):
        return HOLLOW
    # the sentence so far: a later run of "We should A, put it into action, and B" is as much asked for as A
    sent_head = f[max(0, s.start - 300):s.start]
    sent_head = sent_head[max(sent_head.rfind(". "), sent_head.rfind("\n")) + 1:]
    if _EN_REQ.search(sent_head) or _EN_REQ.search(piece[:60]) or _EN_DECIDE.search(piece[:80]):
        return 0.4 if s.kind == "plain" else 0.1
    return 0.0


_ZH_CLAUSE_END = lazy(r"[，,；;：:]")
_EN_CLAUSE_END = lazy(r"[,;:](?=\s)|\s(?=(?:and|while|as\s+well\s+as|so\s+as\s+to|to\s+promote|to\s+ensure)\s)")


# A colon-announced run of short items ("seven tasks: A, B, C, and D"): every item is a point of its own,
# already as short as it gets, so the run is kept whole rather than cut after its first items.
_EN_LIST = lazy(r":\s+(?:[^,;:.]{2,80},\s+){2,}(?:and\s+|or\s+)?[^,;:.]{2,80}$")


def _inside_name(text: str, pos: int) -> bool:
    """Whether " and " at *pos* joins capitalized words, as inside a name ("China Import and Export Fair")."""
    return bool(re.match(r"\s+and\s+[A-Z]", text[pos:pos + 12])
                and re.search(r"(?:^|\s)[A-Z][\w’'-]*$", text[max(0, pos - 30):pos]))


# A cut must leave a whole phrase: never after a word that still needs its object ("promote the", "a
# reduction of", "access to").
_EN_OPEN_END = lazy(r"\b(?:of|the|a|an|to|in|into|for|with|by|on|at|from|and|or|its|their|our|this|these)$",
                          re.IGNORECASE)


def _inside_phrase(text: str, start: int, pos: int) -> bool:
    return bool(_EN_OPEN_END.search(text[max(start, pos - 30):pos].rstrip(_TRAIL_PUNCT)))


# "the transformation and upgrading of the sector": two heads that share their complement. A cut between them
# stays a place to cut (its first part may be all a tight budget allows of a point), but no bullet ends there.
_EN_SHARED = lazy(r"\s+and\s+(?:[\w'’-]+\s+){1,2}?of\s")
# ... as do two modifiers of one head, "specific economic | and trade concerns" (an adjective's ending, then
# "and" and a modifier with its noun), and two or more verbs of one object, "to maintain | and strengthen
# exchanges", "to learn, disseminate |, and implement the spirit"
_EN_MODIFIER_END = lazy(r"\b[a-z]{3,}(?:ic|al)$|\bto\s+[a-z]+(?:,\s+[a-z]+)*$")
_EN_SHARED_HEAD = lazy(r",?\s+and\s+[\w-]+\s+[\w-]+")


def _open_tail(text: str, pieces: list[tuple[int, int]]) -> bool:
    """Whether a piece of a bullet stops inside a coordination that shares what follows ("promote the
    transformation | and upgrading of the manufacturing sector"): no bullet may end there."""
    return any(text[b - 1:b].isalnum() and (_EN_SHARED.match(text, b) or (
        _EN_MODIFIER_END.search(text, max(0, b - 30), b) and _EN_SHARED_HEAD.match(text, b))) for _, b in pieces)


def _clause_ends(text: str, seg: Segment, lang: str) -> list[int]:
    """Places where *seg* may be cut short, ascending, ending with its own end."""
    pattern = _ZH_CLAUSE_END if lang == "zh" else _EN_CLAUSE_END
    whole = _EN_LIST.search(text, seg.start, seg.end) if lang == "en" else None
    ends = []
    for m in pattern.finditer(text, seg.start, seg.end):
        end = m.start()
        if whole and end >= whole.start():
            break
        if lang == "en" and (_inside_name(text, end) or _inside_phrase(text, seg.start, end)):
            continue
        while end > seg.start and text[end - 1] in _TRAIL_PUNCT:
            end -= 1
        if end - seg.start >= 4 and (not ends or end > ends[-1]):
            ends.append(end)
    ends.append(seg.end)
    return ends


SEP = {"zh": "；", "en": "; "}
TOPIC_BONUS = 0.3  # a topic bullet outranks the points it stands for
TOPIC_CORE = 0.3  # share of its full length a topic starts with; it grows like any segment
TOPIC_PIECES = 5
# blocks not composed: the lead (agenda list), facts, and enumerated items (their marker + head clause is the point)
TOPIC_SKIP = ("lead", "fact", "enum")
REDUNDANT = 0.5  # skip a candidate sharing more than this share of its words with a chosen one
PIECE_MIN = {"zh": 6, "en": 30}
PIECE_MAX = {"zh": 40, "en": 160}


def _piece(f: str, a: int, end: int, lang: str) -> tuple[int, int] | None:
    """The part of a point that goes into a topic bullet: its leading clause, at least PIECE_MIN long."""
    stop = re.search(r"[。！？!?]", f[a:end]) if lang == "zh" else None
    if stop and stop.start() >= PIECE_MIN[lang]:
        end = a + stop.start()  # a merged heading ("要A。B"): its own first sentence
    ends = _clause_ends(f, Segment(a, end, 0, 0), lang)
    frame = _ZH_PIECE_FRAME if lang == "zh" else _EN_PIECE_FRAME
    # a frame clause ("In terms of X," "在……期间，") says where the point sits, not what it is; Chinese
    # stacks them ("着眼于A，着眼于B，严格规范C")
    for _ in range(3 if lang == "zh" else 1):
        if not (len(ends) > 1 and f[ends[0]:ends[0] + 1] in ",，:：" and frame.match(f[a:ends[0]])):
            break
        a = ends[0]
        while a < end and (f[a] in _TRAIL_PUNCT or f[a] in "”’"):
            a += 1
        ends = ends[1:]
    # a piece ends at punctuation ("A and B" stays whole), once it says enough
    b = next((e for e in ends if (e == ends[-1] or f[e:e + 1] in ",，;；:：")
              and _weight(f[a:e], lang) >= PIECE_MIN[lang]), ends[-1])
    if lang == "zh":
        # "存在A，B，C等问题": a list closed by 等 is one phrase; its first item alone says little
        m = _ZH_LIST_END.match(f, b, end)
        if m:
            b = m.end()
        # "既A，又B" is one phrase too: A alone half-says it
        m = _ZH_BOTH_END.match(f, b, end)
        if "既" in f[a:b] and m:
            b = m.end()
    if b - a > PIECE_MAX[lang] or b - a < 2 or (frame.match(f[a:b]) and f[b:b + 1] in ",，:："):
        return None  # too long to be a piece, or nothing but a frame
    return a, b


_ZH_BOTH_END = lazy(r"[，,][又也][^，,。；;：:]{1,20}(?=$|[，,。；;：:])")
_ZH_LIST_END = lazy(r"(?:[，,、][^，,。；;：:]{2,16}){0,4}?[，,、][^，,。；;：:]{2,16}等[^，,。；;：:]{0,4}(?=$|[，,。；;：:])")
# a time word frames a point only as a clause of its own ("当前，"), not as a subject's attribute ("今年全省……");
# a clause that only asks to carry out what is already named ("抓好机制实施", "狠抓落实") frames the measure
# that follows it as well
_ZH_PIECE_FRAME = lazy(r"^(?:对|在|就|关于|针对|围绕|着眼于|从|同时|此外|另外|下一步)|^(?:当前|目前|今年|明年)[^，,]{0,4}$|"
                             r"(?:期间|以来|时期|方面|过程中|基础上|背景下)$|^[^，,]{0,6}?(?:抓好|做好|狠抓|抓实|抓紧)[^，,]{0,4}(?:实施|落实|执行)$")
_EN_PIECE_FRAME = lazy(r"^(?:In|On|For|With|As|Regarding|Under|Through|During|Since|After|Before|Meanwhile|"
                             r"Moreover|Also|Besides)\b", re.IGNORECASE)


def _weight(piece: str, lang: str) -> int:
    """A piece's size in what it says: Chinese characters for zh, characters for en."""
    if lang == "zh":
        return sum(1 for c in piece if "\u4e00" <= c <= "\u9fff")
    return len(piece)


def topics(layout: Layout, segs: list[Segment]) -> list[Segment]:
    """Composed, still extractive topic bullets: the leading clause of every point of a topic block.

    A block runs from a cue sentence ("会议指出，", "The meeting stressed ...") to the next cue, enumeration
    item or paragraph end. Hand-written key points condense such a block into one line ("A：B，C，D"); the
    leading clause of each of its points carries most of what they keep. A topic starts with the first
    clauses and grows (see _steps) towards the whole points; blocks opened by TOPIC_SKIP kinds are left alone.
    """
    lang = layout.lang
    f = layout.folded
    heads = {(s.para, s.index): s.span.start for s in layout.sentences}
    cue = _ZH_CUE_CLAUSE if lang == "zh" else _EN_CUE_HEAD
    blocks: list[list[Segment]] = []
    seen: set[tuple[int, int]] = set()
    for s in segs:
        key = (s.para, s.sent)
        first_of_sentence = key not in seen
        seen.add(key)
        head = heads.get(key, s.start)
        # en: a point that "he said" opens inside a sentence shares its block with the sentence's first part
        reported = lang == "en" and s.kind == "cue" and not first_of_sentence
        # the later runs of a long sentence carry its kind; only its first run opens a block
        opens = (((s.kind in ("lead", "enum", "fact") or (s.kind == "cue" and not reported)) and s.rank == 0)
                 or s.heading  # zh: a merged heading ("要A。B") opens a block of its own details
                 or (first_of_sentence and bool(cue.match(f[head:head + 200].lstrip())))
                 or not blocks or blocks[-1][-1].para != s.para)
        if opens:
            blocks.append([s])
        else:
            blocks[-1].append(s)
    leads = [f[s.start:s.end] for s in segs if s.kind == "lead"]  # zh: the agenda items of the lead
    out: list[Segment] = []
    for block in blocks:
        if block[0].kind in TOPIC_SKIP:
            continue
        pieces, used, more = [], [], []
        for m in block:
            if m.rank > 0 or m.kind == "fact" or _role(f, m, lang) < 0:
                continue
            a = m.start
            if lang == "zh" and f[a] == "要" and m.end - a > 3:
                a += 1
            piece = _piece(f, a, m.end, lang)
            # a block often opens by restating the decision the lead reports ("审议通过《关于严格规范涉企行政检查
            # 的意见》" ... "要严格规范涉企行政检查，合理设置频度"): the lead's bullet says it, so the piece is what
            # the point adds; a point that adds nothing has no piece, and the topic still stands for it
            if lang == "zh" and piece is not None and any(f[piece[0]:piece[1]] in lead for lead in leads):
                rest = piece[1]
                while rest < m.end and f[rest] in _TRAIL_PUNCT:
                    rest += 1
                if f[rest:rest + 1] == "要" and m.end - rest > 3:
                    rest += 1
                piece = _piece(f, rest, m.end, lang) if m.end - rest >= 2 else None
                if piece is None:
                    used.append(m)
                    continue
            if piece is not None and len(pieces) < TOPIC_PIECES:
                pieces.append(piece)
                used.append(m)
                more.append([e for e in _clause_ends(f, Segment(a, m.end, 0, 0), lang) if e > piece[1]])
        if len(pieces) < 2:
            continue
        if lang == "zh":
            pieces = _shared_heads(f, pieces)
        top = max(block, key=lambda m: m.score)
        t = Segment(pieces[0][0], pieces[-1][1], block[0].para, block[0].sent, "topic",
                    top.score + TOPIC_BONUS, order=-1)
        t.pieces = pieces
        t.more = more
        # the points it stands for: those it took a piece of; the later runs of a long point's sentence stay
        # candidates of their own, as a topic only grows within the runs it took
        t.members = frozenset(m.order for m in used)
        out.append(t)
    return out


# where a head repeated by parallel points ends: a verb and its complement ("必须统筹好", "要抓好", "着力于")
_ZH_HEAD_END = "好于到"


def _shared_heads(f: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parallel points repeat their head ("必须统筹好A的关系。必须统筹好B的关系。"); a topic states it once,
    as hand-written key points do ("必须统筹好A的关系；B的关系"): a later piece starts after the head it shares
    with the one before."""
    out = [pieces[0]]
    for (a0, b0), (a, b) in zip(pieces, pieces[1:]):
        n = 0
        while a0 + n < b0 and a + n < b and f[a0 + n] == f[a + n] and "\u4e00" <= f[a + n] <= "\u9fff":
            n += 1
        while n > 0 and f[a + n - 1] not in _ZH_HEAD_END:
            n -= 1
        out.append((a + n, b) if n >= 3 and b - a - n >= 4 else (a, b))
    return out


def _steps(text: str, s: Segment, lang: str) -> list[list[tuple[int, int]]]:
    """The forms *s* may take, shortest first: a clause-cut prefix of a segment; for a topic, a prefix of its
    pieces, then all of them with every piece grown a clause at a time, in turn, towards its whole point."""
    if s.pieces is None:
        return [[(s.start, e)] for e in _clause_ends(text, s, lang)]
    steps = [s.pieces[:k] for k in range(1, len(s.pieces) + 1)]
    cur = list(s.pieces)
    for depth in range(max(map(len, s.more or []), default=0)):
        for i, ends in enumerate(s.more):
            if depth < len(ends):
                cur[i] = (cur[i][0], ends[depth])
                steps.append(list(cur))
    return steps


# --- elision --------------------------------------------------------------------------------------------
# Hand-written key points sit under a facts block that already names the officials and the date, and never
# repeat them: "Premier Li Qiang on Monday presided over" is "Li Qiang presided over" there. A bullet may skip
# such words inside a clause; the words around the gap still read as one sentence, so a plain space joins
# them (topic pieces keep SEP).
_EN_TITLE_WORDS = (r"(?:(?:Chinese|US|U\.S\.|Deputy|Vice|Commerce|Foreign|Executive|Assistant|Trade|State|Provincial|"
                   r"Municipal|Party|General|First)[\s-]+)*(?:Premier|Minister|Secretary(?:-General)?|Mayor|Governor|"
                   r"President|Director|Chairman|Representative|Spokesperson|Spokesman|Ambassador|Councilor|Commissioner)")
# a title (with "of the <body>" and a determiner or possessive that belongs to it) right before a two-word
# name; the lazy "of the" run stops where the name starts ("... Central Committee Xi Jinping's")
_EN_TITLE_BEFORE_NAME = lazy(
    rf"(?<![\w’'-])(?:(?:the|The|[A-Z][a-z]+['’]s)\s+)?{_EN_TITLE_WORDS}"
    r"(?:\s+of\s+the(?:\s+(?:[A-Z][\w’'-]*|of|and))+?)?\s+"
    r"(?=[A-Z][a-z]+\s+[A-Z][a-z]+(?:['’]s\b|\s+[a-z]|[,;.]))")
# "on Friday", "on the morning of April 29": the meeting's date, when the facts block gives it
_EN_ON_DATE = lazy(r"(?<=\s)on\s+((?:the\s+(?:morning|afternoon|evening)\s+of\s+)?(?:[A-Z][a-z]+day|"
                         r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))\s+(?=[a-z])")
# ", also known as the Canton Fair," - a second name for what the bullet already names
_EN_ALIAS = lazy(r",\s+(?:also\s+)?(?:known|referred\s+to)\s+as\s+[^,;.()]{2,60}?(?=[,.;]|$)")
# "习近平在重要讲话中总结……": where the speaker said it is the facts block's news (it lists the speech); the
# point is who did what, and the clause reads on without the adverbial
_ZH_SPEECH_MEDIUM = lazy(r"(?:^|(?<=[，,。；;：:\n]))[^，,。；;：:在\n]{2,20}?(在[^，,。；;：:]{0,8}(?:讲话|致辞|发言)中)(?=[\u4e00-\u9fff]{2})")


_SPACE = lazy(r"\s*")


def gaps(layout: Layout, date: str | None, organizer: str | None = None) -> tuple[tuple[int, int], ...]:
    """Stretches of the source a bullet may leave out: (en) titles before names, the meeting's date, aliases,
    and the organizer as the subject of what it did ("The ministry has called on ..."); (zh) where a speaker
    said something ("在重要讲话中")."""
    f = layout.folded
    if layout.lang == "zh":
        return tuple(m.span(1) for m in _ZH_SPEECH_MEDIUM.finditer(f))
    patterns = [_EN_TITLE_BEFORE_NAME, _EN_ALIAS]
    if organizer:
        name = re.escape(re.sub(r"^(?:the|The)\s+", "", organizer))
        patterns.append(re.compile(
            rf"(?:(?<=\s)|^)(?:[Tt]he\s+)?{name}\s+(?:(?:has|have)\s+)?(?=(?:[a-z]+ed|held|met|made)\b)"))
    out = [m.span() for pattern in patterns for m in pattern.finditer(f)]
    if date:
        out += [m.span() for m in _EN_ON_DATE.finditer(f) if m.group(1) in date]
    # "first, Zhejiang must keep steady ...": after its marker, an enumerated point drops who is to act as
    # a point's start does ("first, keep steady ..."); the marker stays, it says which point this is
    for m in _EN_ENUM.finditer(f):
        a = _SPACE.match(f, m.end()).end()
        head = _EN_FILLER_HEAD.match(f[a:a + 300])
        if head:
            out.append((a, a + head.end()))
    return tuple(sorted(out))


def elide(text: str, pieces: list[tuple[int, int]], gaps: tuple, lang: str) -> tuple[list[tuple[int, int]], list[str]]:
    """The spans of *pieces* less the gaps inside them, and what joins each span to the next."""
    spans: list[tuple[int, int]] = []
    joiners: list[str] = []
    for piece in pieces:
        a, b = piece
        own: list[tuple[int, int]] = []
        for g1, g2 in gaps:
            if g2 <= a or g1 >= b:
                continue
            if g1 <= a:
                a = max(a, g2)  # the piece opens with the gap: it starts after it
                continue
            left = _strip(text, a, g1)
            if _EN_ENUM_START.fullmatch(text[left[0]:left[1] + 1]):
                left = (left[0], left[1] + 1)  # a marker keeps its comma: "first, keep steady ..."
            if not text[g2:b].strip(_TRAIL_PUNCT):
                b = left[1]  # nothing but punctuation after the gap: the piece ends before it
                break
            if left[1] > left[0]:
                own.append(left)
            a = g2
        if b > a:
            own.append(_strip(text, a, b))
        if not own:
            own = [piece]
        if spans:
            joiners.append(SEP[lang])
        # a gap that ended a clause leaves its comma to the next span, which then needs no space; Chinese
        # needs no space at all
        joiners += ["" if lang == "zh" or text[x] in ",;:" else " " for x, _ in own[1:]]
        spans += own
    return spans, joiners


def joined(text: str, spans: list[tuple[int, int]], joiners: list[str]) -> str:
    """A bullet's text: its spans of *text* with the joiners between them."""
    return text[spans[0][0]:spans[0][1]] + "".join(j + text[a:b] for j, (a, b) in zip(joiners, spans[1:]))


# --- selection ------------------------------------------------------------------------------------------
@dataclass(eq=False)
class _Pick:
    """A chosen candidate while select() sizes it: the forms it may take (shortest first), their sizes, and
    the form taken."""

    seg: Segment
    steps: list[list[tuple[int, int]]]
    sizes: list[int]
    open: list[bool]  # per form: it stops inside a shared phrase (en, _open_tail), so no bullet may end there
    k: int

    @property
    def form(self) -> list[tuple[int, int]]:
        return self.steps[self.k]

    @property
    def size(self) -> int:
        return self.sizes[self.k]

    @property
    def stuck(self) -> bool:
        """Whether the form taken and every shorter one stop inside a shared phrase: none to fall back to."""
        return all(self.open[:self.k + 1])

    def next_step(self) -> int:
        """The next form that ends on a whole phrase (or the last form); len(steps) when none is left."""
        k = self.k + 1
        while k + 1 < len(self.steps) and self.open[k]:
            k += 1
        return k

    def fits_next(self, used: int, limit: int) -> bool:
        """Whether the next form fits *limit* with *used* characters taken (this bullet's included)."""
        j = self.next_step()
        return j < len(self.steps) and used + self.sizes[j] - self.size <= limit


def _used(picks: list[_Pick]) -> int:
    return sum(p.size for p in picks)


def _grow_in_turn(picks: list[_Pick], limit: int) -> None:
    """zh: every bullet, best first, grows a clause, round after round until none fits: the characters left
    are shared out, as hand-written key points compress every point a little rather than drop some."""
    grown = True
    while grown:
        grown = False
        for p in picks:
            if p.fits_next(_used(picks), limit):
                p.k = p.next_step()
                grown = True


def _grow_least_complete(picks: list[_Pick], limit: int) -> None:
    """en: one clause at a time to the bullet furthest from whole (share of its full length), until its next
    clause does not fit. In turn, a long bullet's tail clauses would take the characters a short point needs
    to be complete. A bullet stuck inside a phrase goes first: it has no whole shorter form to fall back to.

    Growth stops there rather than hand the rest to bullets nearer whole: their next clauses are the tails
    hand-written points drop first ("..., and deliver tangible results"), and which point got completed would
    turn on a few characters of budget. budget()'s factor is set for this: the characters a release is
    given go to the points still far from whole."""
    while True:
        growable = [p for p in picks if p.next_step() < len(p.steps)]
        if not growable:
            return
        p = min(growable, key=lambda q: (not q.stuck, q.size / q.sizes[-1]))
        if not p.fits_next(_used(picks), limit):
            return
        p.k = p.next_step()


def _close_open_tails(picks: list[_Pick], limit: int) -> bool:
    """en: a bullet still left inside a shared phrase ("promote the transformation | and upgrading of ..."),
    as admission took its first form by size and nothing fits to complete it, reads as cut off. It is
    completed in place of the last-ranked bullet, if one ranks below it, or else gives up clauses back to its
    last whole phrase; the characters left go to the others. True when a bullet took another form."""
    changed = False
    for p in list(picks):  # best first: *picks* is in rank order
        if p not in picks or not p.open[p.k]:
            continue
        last = min(picks, key=lambda q: q.seg.score)
        j = p.next_step()
        if last is not p and j < len(p.steps) and _used(picks) - last.size + p.sizes[j] - p.size <= limit:
            picks.remove(last)
        else:
            j = next((i for i in range(p.k - 1, -1, -1) if not p.open[i]), p.k)
        changed = changed or j != p.k
        p.k = j
    return changed


def select(segs: list[Segment], limit: int, text: str, lang: str, *, max_bullets: int | None = None,
           gaps: tuple = ()) -> list[Segment]:
    """Best-scoring segments that fit *limit* characters, back in document order.

    Breadth before depth: first the leading part (about CORE of it, cut at a clause end) of as many
    good segments as fit, then all of them grow a clause at a time (en: the least complete first),
    while characters are left: hand-written key points compress every point a little rather than drop half
    of them. A composed topic bullet and the segments it stands for exclude each other: whichever ranks
    first is taken.
    """
    core, floor = CORE[lang], FLOOR[lang]
    ranked = sorted((s for s in segs if s.kind != "fact"), key=lambda s: -s.score)
    picks: list[_Pick] = []
    vecs: list[Counter] = []
    taken: set[int] = set()
    for s in ranked:
        if max_bullets and len(picks) >= max_bullets:
            break
        own = s.members if s.pieces is not None else frozenset((s.order,))
        if own & taken:
            continue
        steps = _steps(text, s, lang)
        # each form as the bullet will read (elided, joined): its length is what counts towards *limit*
        forms = [joined(text, *elide(text, p, gaps, lang)) for p in steps]
        sizes = [len(form) for form in forms]
        want = max(floor, (TOPIC_CORE if s.pieces is not None else core) * sizes[-1])
        k = next((i for i, n in enumerate(sizes) if n >= want), len(sizes) - 1)
        # a later run too short to stand alone is a sentence's tail ("为……提供有力支撑"): it says something only
        # with the run before it
        if s.rank > 0 and s.pieces is None and sizes[-1] < floor:
            continue
        if picks and _used(picks) + sizes[k] > limit:
            continue
        # far below the best point, a candidate is a release's background or aside ("Noting that China
        # faces ..."): the room it would take is the chosen points' to grow into
        if picks and s.score < MARGIN.get(lang, 0.0) * picks[0].seg.score:
            continue
        # zh: what a point rests on ("展望未来，……前景广阔", "X事关Y") is no point of its own however much room is
        # left (hand-written key points fold it into the point it supports, if anywhere); zh scores carry kind
        # bonuses that keep such a sentence above any share of the best, so it goes by its role
        if lang == "zh" and s.pieces is None and _role(text, s, lang) == BACKGROUND:
            continue
        # a candidate whose words a chosen bullet mostly has already says nothing new
        v = Counter(tokens(forms[k], lang))
        n = max(1, sum(v.values()))
        if any(sum(min(c, w.get(t, 0)) for t, c in v.items()) / n > REDUNDANT for w in vecs):
            continue
        vecs.append(v)
        picks.append(_Pick(s, steps, sizes, [lang == "en" and _open_tail(text, p) for p in steps], k))
        taken |= own
    # a bullet completed or cut back to a whole phrase changes the room left: the others grow once more
    for _ in range(2):
        if lang == "en":
            _grow_least_complete(picks, limit)
        else:
            _grow_in_turn(picks, limit)
        if not _close_open_tails(picks, limit):
            break
    out = [Segment(p.form[0][0], p.form[-1][1], p.seg.para, p.seg.sent, p.seg.kind, p.seg.score, p.seg.order,
                   pieces=list(p.form)) for p in picks]
    return sorted(out, key=lambda s: s.start)


CORE = {"zh": 0.65, "en": 0.65}
FLOOR = {"zh": 14, "en": 50}
MARGIN = {"en": 0.4}  # least share of the best candidate's score another needs to be taken


# --- meeting or not -------------------------------------------------------------------------------------
_ZH_MEETING = lazy(r"(?:召开|举行|主持)[^。]{0,40}(?:会议|会谈|座谈会|大会|会)|会议(?:指出|强调|要求|认为|确定|决定|透露|号召)|"
                         r"(?:会议|座谈会|大会|会谈)[^。，,]{0,12}(?:召开|举行)|(?:会见|会晤|会谈)")
_ZH_OTHER = lazy(r"新闻发布会|发布会|记者会|接受[^。]{0,12}采访|数据显示|统计数据|答记者问|新闻发言人")
_EN_MEETING = lazy(r"\b(?:held|convened|hosted|presided\s+over|chaired|attended)\b[^.]{0,80}\b(?:meeting|conference|"
                         r"teleconference|session|symposium|forum)\b|\b(?:meeting|conference|teleconference)\b[^.]{0,40}"
                         r"\b(?:held|convened|pointed\s+out|emphasized|stressed|called)\b|\bmet\s+with\b|"
                         r"\bteleconference\b|\bThe\s+meeting\b", re.IGNORECASE)
_EN_OTHER = lazy(r"\b(?:press|news)\s+conference\b|\bspokes(?:man|person|woman)\b|\binterview\b|\bdata\s+showed\b|"
                       r"\bstatistics\b|\byear-on-year\b", re.IGNORECASE)


def classify(layout: Layout) -> str:
    """'meeting' when the release reports a meeting (who met, what it decided); otherwise 'other'."""
    head_end = layout.body[min(1, len(layout.body) - 1)].end if layout.body else 0
    start = layout.title.start if layout.title is not None else 0
    head = layout.folded[start:head_end]
    if layout.lang == "zh":
        meeting, other = _ZH_MEETING, _ZH_OTHER
    else:
        meeting, other = _EN_MEETING, _EN_OTHER
    if other.search(head[:400]):
        return "other"
    return "meeting" if meeting.search(head) else "other"


def key_points(layout: Layout, kind: str, *, max_bullets: int | None = None, meeting: dict | None = None) -> list[dict]:
    """The release's key points as the JSON's dicts, in document order; *meeting* (facts.extract's) tells
    what bullets may leave out because the facts block says it."""
    segs = segments(layout)
    if kind != "meeting":
        for s in segs:
            if s.kind in ("cue", "enum", "detail"):
                s.kind = "plain"
        _score(layout, segs)
    limit = budget(layout.body_chars, layout.lang, kind)
    if kind == "meeting":
        segs = segs + topics(layout, segs)
    facts = meeting or {}
    skip = gaps(layout, facts.get("date"), facts.get("organizer"))
    chosen = select(segs, limit, layout.folded, layout.lang, max_bullets=max_bullets, gaps=skip)
    if not chosen and layout.sentences:
        # nothing but facts or fragments (e.g. a title-only input): its first sentence is the summary
        s = layout.sentences[0]
        a, b = _strip(layout.text, s.span.start, s.span.end)
        chosen = [Segment(a, b, s.para, s.index)] if b > a else []
    text = layout.text
    out = []
    for s in chosen:
        spans, joiners = elide(layout.folded, s.pieces or [(s.start, s.end)], skip, layout.lang)
        out.append({"text": joined(text, spans, joiners), "paragraph": s.para, "sentence": s.sent, "start": spans[0][0],
                    "end": spans[-1][1], "spans": [[a, b] for a, b in spans], "joiners": joiners})
    return out
