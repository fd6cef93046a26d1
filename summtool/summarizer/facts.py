"""Meeting facts from a release's opening: date, organizer, location, officials with roles, attendance."""
from __future__ import annotations

import re

from .hanzi import fold
from .patterns import lazy
from .structure import Layout

# --- Chinese ---------------------------------------------------------------------------------------------
_ZH_TITLES = ("总书记|国家主席|主席|副主席|总理|副总理|国务委员|委员长|部长|副部长|部长助理|厅长|副厅长|局长|副局长|"
              "主任|副主任|司长|副司长|处长|书记|副书记|常委|委员|省长|副省长|市长|副市长|县长|区长|秘书长|副秘书长|"
              "代表|副代表|发言人|新闻发言人|巡视员|二级巡视员|董事长|总经理|大使|参赞|商务部长|贸易代表|成员")
_ZH_NAME = r"[\u4e00-\u9fff]{2,3}"
# role ... title + name (+ 、name ...) + an act of the meeting
_ZH_ROLE_NAME = lazy(
    rf"((?:[\u4e00-\u9fff（）()]{{0,24}}?(?:{_ZH_TITLES})[、，,兼]?)+?)((?:{_ZH_NAME}、)*{_ZH_NAME}?)"
    r"(?=\d{1,2}月|在|以|出席|参加|主持|表示|指出|强调|要求|会见|会晤|与|同|举行|作|发表|介绍|说|称|，|,|。)")
_ZH_NAME_TITLE = lazy(rf"({_ZH_NAME})((?:{_ZH_TITLES}))(?=在|主持|出席|参加|表示|指出|强调|要求)")
_ZH_ACTS = {"主持": "主持", "出席": "出席", "参加": "参加", "讲话": "讲话", "表示": "发言", "会见": "会见", "会晤": "会晤",
            "会谈": "会谈"}
_ZH_DATE = lazy(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:至\d{1,2}日)?(?:上午|下午|晚上|晚间|晚|早上)?(?![电讯]|消息)|日前|近日|今天（[^）]{1,10}）|今天")
_ZH_CONVENE = lazy(r"(?:主持)?(?:召开|举行|主办|举办)")
_ZH_ORG = lazy(r"([\u4e00-\u9fff()（）A-Za-z0-9]{2,20}?(?:部|厅|局|委员会|委|院|办公室|政府|中心|协会|集团|"
                     r"[（(]G20[）)]|联合会|商会|银行|大学|党组))$")
_ZH_LOCATION = lazy(r"在([\u4e00-\u9fff]{2,12}?(?:省|市|区|县|州))?([\u4e00-\u9fff]{2,8}?(?:市|区|县|州|京|海|港|门))?"
                          r"(?=以视频方式|召开|举行|主持|出席)")
_ZH_ATTEND = lazy(r"([^。；;]{4,300}?)(?:等)?(?:出席|参加|列席)(?:了)?(?:会议|会见|座谈会)")

# --- English ---------------------------------------------------------------------------------------------
_EN_NAME = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}"
_EN_TITLE = (r"(?:(?:Chinese|US|U\.S\.|Deputy|Vice|Commerce|Foreign|Executive|Assistant|Trade|State|Provincial|Municipal|"
             r"Party|General|First)[\s-]+)*(?:Premier|Minister|Secretary(?:-General)?|Mayor|Governor|President|"
             r"Director|Chairman|Representative|Spokesperson|Spokesman|Ambassador|Councilor|Commissioner)")
_EN_NAME_ROLE = lazy(
    rf"(?<![A-Za-z])({_EN_NAME}),\s+((?:a\s+|an\s+|the\s+)?[^,;]{{3,160}}?),\s+(?:who\s+|also\s+)?"
    r"(?:attended|presided|made|delivered|addressed|briefed|summarized|spoke|chaired|said|was|gave|hosted)")
_EN_TITLE_NAME = lazy(rf"(?<![A-Za-z])({_EN_TITLE})\s+({_EN_NAME})(?=[\s,.;])")
_EN_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_EN_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
             r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_EN_DATE = lazy(
    rf"(?:the\s+(?:morning|afternoon|evening)\s+of\s+)?{_EN_MONTH}\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?(?!\s*\(Xinhua\))"
    rf"|(?:from\s+)?{_EN_WEEKDAY}(?:\s+to\s+{_EN_WEEKDAY})?")
_EN_DATELINE = lazy(r"^[A-Z][A-Z .,'’-]{2,40}(?:,\s*[A-Z][a-z]{2,4}\.?\s*\d{1,2})?\s*(?:\([^)]{0,30}\))?\s*(?:--|—|–)\s*")
_EN_ORGANIZER = lazy(
    r"(?:^|[.;]\s+|,\s+)((?:the\s+|The\s+)?(?:China's\s+)?(?:ministry|department|commission|council|[A-Z])[\w'’&-]*(?:\s+(?:of|for|and|[A-Z][\w'’&()-]*))*?)"
    r"(?:\s+on\s+\w+day|\s+on\s+[A-Z][a-z]+\.?\s+\d{1,2})?\s+(?:has\s+)?(?:held|convened|hosted|hosts|organized|holds|convenes)\b")
_EN_MEETING_OF = lazy(r"\b(?:a|the)\s+((?:[A-Z][\w'’-]*\s+){1,4})(?:executive|plenary|standing|working|executive\s+)?\s*"
                            r"(?:meeting|conference|session)\b")
_EN_LOCATION = lazy(r"\b(?:held|convened|meeting|conference|teleconference|met\s+with\s+[^,.]{3,60}?)\b[^.]{0,80}?"
                          r"\bin\s+([A-Z][\w'’-]+(?:,\s+[A-Z][\w'’-]+\s+(?:province|Province))?)")
_EN_ATTEND = lazy(r"(?:^|[.;]\s+|,\s+and\s+)((?:More\s+than|Over|About|Nearly|Members|Representatives|Heads|Officials|"
                        r"Leaders|Deputy|Some|leaders|members|representatives|heads|officials)[^.;]{3,300}?)\s+"
                        r"attended\s+the\s+(?:meeting|conference|event|session)")
_EN_ACT = [("presided", "presided"), ("chaired", "presided"), ("attended and addressed", "attended and addressed"),
           ("addressed", "addressed"), ("made a speech", "spoke"), ("delivered a speech", "spoke"),
           ("briefed", "briefed"), ("attended", "attended")]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,，、:：;；")


def extract(layout: Layout) -> dict:
    """The meeting block: {"date", "organizer", "location", "officials": [{"name", "role"}], "attendance"}."""
    if layout.lang == "zh":
        return _zh(layout)
    return _en(layout)


def _head(layout: Layout, paragraphs: int = 2) -> tuple[int, int]:
    if not layout.body:
        return 0, 0
    paras = layout.body[:paragraphs]
    return paras[0].start, paras[-1].end


def _zh(layout: Layout) -> dict:
    f, text = layout.folded, layout.text
    a, b = _head(layout, 2)
    head = f[a:b]
    facts: dict = {"date": None, "organizer": None, "location": None, "officials": [], "attendance": None}
    m = _ZH_DATE.search(head)
    if m:
        facts["date"] = text[a + m.start():a + m.end()]
    facts["organizer"] = _zh_organizer(f, text, a, b)
    if facts["organizer"] is None and layout.title is not None:
        facts["organizer"] = _zh_organizer(f, text, layout.title.start, layout.title.end)
    m = _ZH_LOCATION.search(head)
    if m and (m.group(1) or m.group(2)):
        s = m.start(1) if m.group(1) else m.start(2)
        e = m.end(2) if m.group(2) else m.end(1)
        facts["location"] = text[a + s:a + e]
    else:
        m = re.search(r"在([\u4e00-\u9fff]{2,8}?)(?:以视频方式|召开|举行)", head)
        if m and not re.search(r"会议|方面|基础|期间|框架", m.group(1)):
            facts["location"] = text[a + m.start(1):a + m.end(1)]
    facts["officials"] = _zh_officials(layout)
    attendance = []
    for sent in layout.sentences:
        piece = f[sent.span.start:sent.span.end]
        for m in _ZH_ATTEND.finditer(piece):
            who = m.group(1)
            who = who[max(who.rfind("。"), who.rfind("，") if _ZH_ROLE_NAME.search(who) else -1) + 1:]
            if re.search(r"负责同志|负责人|代表|领导|同志|委员|巡视员|成员|有关部门", who) and not re.search(
                    rf"{_ZH_NAME}$", who.rstrip("等")) or re.search(r"负责同志|负责人|代表|领导同志", who):
                s = sent.span.start + m.start(1) + (len(m.group(1)) - len(who))
                attendance.append(_clean(text[s:s + len(who)]))
    if attendance:
        facts["attendance"] = "；".join(attendance)
    return facts


def _zh_organizer(f: str, text: str, a: int, b: int) -> str | None:
    """The subject of the first convening verb in f[a:b], unless that subject is the meeting itself."""
    head = f[a:b]
    for m in _ZH_CONVENE.finditer(head):
        clause_start = max(head.rfind(ch, 0, m.start()) for ch in "，,。：:；") + 1
        subject = head[clause_start:m.start()]
        subject = _ZH_DATE.sub("", subject)
        subject = re.sub(r"在[\u4e00-\u9fff]{2,12}$", "", subject)
        org = None
        if subject and not re.search(r"(?:会议|会|座谈会|论坛)$", subject):
            subject = re.split(r"与|同|和", subject)[0]
            person = _ZH_ROLE_NAME.search(subject + "，")
            if person and person.group(2):
                role = person.group(1)
                t = re.search(rf"(?:{_ZH_TITLES})+$", role)
                org_part = role[:t.start()] if t else role
                om = _ZH_ORG.search(org_part.rstrip("、，,"))
                org = om.group(1) if om else None
            else:
                om = _ZH_ORG.search(subject)
                org = om.group(1) if om else (subject if 2 <= len(subject) <= 16 and "长" not in subject else None)
        if org is None:
            # "主持召开国务院常务会议": the body that owns the meeting
            mm = re.match(r"([\u4e00-\u9fff]{2,10}?(?:院|部|厅|局|委|政府))(?:常务|全体|党组|办公|工作)", head[m.end():])
            if mm:
                org = mm.group(1)
        if org:
            pos = a + clause_start + subject.find(org) if org in subject else None
            return text[pos:pos + len(org)] if pos is not None and pos >= a else org
        return None
    return None


def _zh_officials(layout: Layout) -> list[dict]:
    f, text = layout.folded, layout.text
    seen: dict[str, dict] = {}
    for sent in layout.sentences:
        piece = f[sent.span.start:sent.span.end]
        base = sent.span.start
        for m in _ZH_ROLE_NAME.finditer(piece):
            names = m.group(2)
            if not names:
                continue
            role_text = text[base + m.start(1):base + m.end(1)]
            role = re.sub(r"^[\u4e00-\u9fff]*?(?:，|,|：|:|。)", "", role_text).strip("、，, ")
            role = re.sub(r"^(?:消息|讯|获悉|报道)", "", role)
            after = piece[m.end():m.end() + 12]
            act = next((v for k, v in _ZH_ACTS.items() if k in after), None)
            for n, name in enumerate(names.split("、")):
                start = base + m.start(2) + sum(len(x) + 1 for x in names.split("、")[:n])
                name = text[start:start + len(name)]
                if any(name in k for k in seen) or re.search(r"[与和的在以及等]", name[-1:] + name[:1]):
                    continue
                if not _plausible_zh_name(name):
                    continue
                seen[name] = {"name": name, "role": role + (f"，{act}" if act else "")}
        for m in _ZH_NAME_TITLE.finditer(piece):
            name = text[base + m.start(1):base + m.end(1)]
            if not any(name in k for k in seen) and _plausible_zh_name(name):
                seen[name] = {"name": name, "role": text[base + m.start(2):base + m.end(2)]}
    return list(seen.values())


_ZH_NOT_NAME = lazy("会议|国务|党中|中央|商务|中方|美方|双方|外贸|消费|发展|工作|人民|经济|领导|同志|负责|有关")


_ZH_NOT_NAME_WORDS = lazy(r"指出|要求|强调|表示|认为|主持|出席|参加|讲话|会见|介绍|[记长员委席理任]$|^[一二三四五六七八九十]")


def _plausible_zh_name(name: str) -> bool:
    if _ZH_NOT_NAME_WORDS.search(fold(name)):
        return False
    return 2 <= len(name) <= 3 and not _ZH_NOT_NAME.search(fold(name)) and name[0] not in "会在以与和及对并"


def _en(layout: Layout) -> dict:
    text = layout.text
    a, b = _head(layout, 2)
    head = text[a:b]
    facts: dict = {"date": None, "organizer": None, "location": None, "officials": [], "attendance": None}
    dl = _EN_DATELINE.match(head)
    skip = dl.end() if dl else 0
    m = _EN_DATE.search(head, skip)
    if m:
        facts["date"] = re.sub(r"^from\s+", "", m.group(0))
    m = _EN_ORGANIZER.search(head[skip:])
    org = None
    if m:
        org = _clean(m.group(1))
        org = re.sub(r"^(?:the|The)\s+", "", org)
        if org.lower() in ("ministry", "department", "commission", "council") or org.lower().startswith("it"):
            full = re.search(rf"((?:[A-Z][\w'-]*\s+)*{org.split()[-1].capitalize()}(?:\s+of\s+[A-Z][\w'-]*)+)", text)
            org = full.group(1) if full else None
    if org is None:
        mm = _EN_MEETING_OF.search(head, skip)
        if mm and re.search(r"(?:Council|Ministry|Department|Commission|Committee|Government|Bureau)\s*$", mm.group(1)):
            org = _clean(mm.group(1))
    if org and (re.match(rf"^{_EN_WEEKDAY}|^{_EN_MONTH}\b|^On\b|^In\b", org) or len(org) > 80):
        org = None
    facts["organizer"] = org
    m = _EN_LOCATION.search(head, skip)
    if m:
        facts["location"] = m.group(1)
    facts["officials"] = _en_officials(layout)
    attendance = [_clean(m.group(1)) for m in _EN_ATTEND.finditer(layout.text)]
    if attendance:
        facts["attendance"] = "; ".join(attendance)
    return facts


def _en_officials(layout: Layout) -> list[dict]:
    seen: dict[str, dict] = {}
    for sent in layout.sentences:
        piece = sent.span.text
        for part in re.split(r";\s+(?:and\s+)?", piece):
            for m in _EN_NAME_ROLE.finditer(part):
                name, role = m.group(1), _clean(m.group(2))
                if name.split()[0] in ("The", "In", "On", "At", "China", "Premier", "Both"):
                    continue
                tail = part[m.end(2):m.end(2) + 60]
                act = next((v for k, v in _EN_ACT if k in tail), None)
                seen.setdefault(name, {"name": name, "role": role + (f"; {act}" if act else "")})
            for m in _EN_TITLE_NAME.finditer(part):
                name = m.group(2)
                if any(name in k or k in name for k in seen):
                    continue
                tail = part[m.end():m.end() + 80]
                act = next((v for k, v in _EN_ACT if k in tail), None)
                seen[name] = {"name": name, "role": m.group(1) + (f"; {act}" if act else "")}
    return list(seen.values())
