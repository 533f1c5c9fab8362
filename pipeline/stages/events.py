"""Events: dated happenings with type, trigger, name and participants (EXTRACTION.md §4).

Each date expression of month or day precision (11月3日, 2014年2月, 11月12日晚,
今年5月, 2023/11/3, and 3日上午 at a clause's start, in the month of the date before
it or of the publication) opens a clause that runs to the next date, clause end (；。) or 100
characters; the first trigger word in it states the event (召开 -> meeting), passing
over those that name no happening there (成立103周年, 巡视组).
Years come from the expression itself, the publication date, a year named in
the same sentence, or stay XXXX: never a guessed year.
"""

import datetime as dt
import re
from functools import cache

from pipeline.errors import check_evidence_budget
from pipeline.ids import stable_id
from pipeline.lexicons import alternation, first_char_lookahead, load_map
from pipeline.stages.persons import REPEAT, PersonMention
from schemas.document import Document, Sentence
from schemas.events import Event, Participant

CN_NUM = "〇零一二三四五六七八九十"
RE_DATE = first_char_lookahead(re.compile(
    rf"""
    (?<![\d年月日号—~\-至到])
    (?:(?P<rel>今年|去年|前年|明年|当年)
      |(?P<year>\d{{4}}|[〇零一二三四五六七八九]{{4}})\s*年)?
    (?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?!份?[底末初中]?[以来后前]?[个])
    (?:(?P<day>3[01]|[12]\d|0?[1-9]|[一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九])
       (?:\s*[-—–~至到]\s*(?:3[01]|[12]\d|0?[1-9]))?\s*[日号])?      # 11月3-5日: the first day
    (?P<part>上午|下午|晚上|晚间|晚|早上|早晨|凌晨|中午|傍晚|夜间|夜里|上旬|中旬|下旬)?
    """,
    re.VERBOSE,
))
RE_ISO_DATE = re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d{2})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d.])")
#: A day without its month, the publication's month (本报讯 3日上午, 电(记者 张伟)3日, 本月3日): where a clause
#: begins, never in a span (连续3日, 3日内, 2日至3日) or after its month (11月3日 is RE_DATE's).
RE_DAY_ONLY = first_char_lookahead(re.compile(
    r"(?:^|(?<=[,，。;；:：\s)）])|(?<=本月)|(?<=当月)|(?<=于))"
    r"(?P<day>3[01]|[12]\d|[1-9])日(?P<part>上午|下午|晚上|晚间|晚|早上|早晨|凌晨|中午|傍晚|夜间)?"
    r"(?![内起前后左右以来之])"
))
#: A day of the month before the publication's (上月28日, 上个月5日): no year or month of its own.
RE_LAST_MONTH_DAY = re.compile(
    r"(?P<year>(?!x)x)?(?P<rel>(?!x)x)?上个?月(?P<day>3[01]|[12]\d|0?[1-9])\s*[日号]"
    r"(?P<part>上午|下午|晚上|晚间|晚|早上|早晨|凌晨|中午|傍晚|夜间)?"
)
#: A day named from the publication's (昨天上午, 今日, 今(6)日, 前天, 上周五, 下星期一), dated from its date; not where a
#: date in brackets follows (今天(7月20日): RE_DATE's), nor today as the present time (今天的中国, 直到今天).
#: A weekday alone starts a clause (or follows 于, 在) and a time of day or a comma follows it (周三下午,…): not 每周三, 周一至周五,
#: 10月18日(星期六), nor a name (周一鸣).
RE_RELATIVE_DAY = first_char_lookahead(re.compile(
    r"(?P<year>(?!x)x)?(?P<rel>(?!x)x)?(?<![至到])"
    r"(?:(?P<days>前天|前日|昨天|昨日|今天|今日|明天|明日)|(?P<day_of>[今昨前明])\s*[(（](?P<bracket>[1-9]|[12]\d|3[01])[)）]\s*日"
    r"|(?P<week>上|本|这|下)个?(?:周|星期|礼拜)(?P<weekday>[一二三四五六日天])"
    r"|(?:(?<=[于在])|(?<![、)）\d\u4e00-\u9fff]))(?:周|星期|礼拜)(?P<lone>[一二三四五六日])"
    r"(?=[上中下]午|晚|早|凌晨|傍晚|夜间|[,，\s]))"
    r"(?P<part>上午|下午|晚上|晚间|晚|早上|早晨|凌晨|中午|傍晚|夜间)?"
    r"(?!\s*[(（][^()（）]{0,12}[日号]|的)"
))  # the lookahead: 0.35 -> 0.04 s over 3,000 stories, tried at every position without it
RELATIVE_DAYS = {"前天": -2, "前日": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "明天": 1, "明日": 1}
RELATIVE_WEEKS = {"上": -1, "本": 0, "这": 0, "下": 1}
WEEKDAYS = {d: i for i, d in enumerate("一二三四五六日")} | {"天": 6}
#: Words before the trigger that put the day after publication (将于28日举行): the publication's month.
RE_FUTURE = re.compile(r"将|拟|计划|预计")
RE_YEAR = first_char_lookahead(re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!代)"))
RE_CLAUSE_END = re.compile(r"[;；。!?！？]")
MAX_REACH = 100
RELATIVE_YEARS = {"今年": 0, "当年": 0, "去年": -1, "前年": -2, "明年": 1}
MEETING_VERBS = ("召开", "主持召开", "举行", "举办")
#: Triggers that state no event where these follow them: an anniversary or a span since the founding
#: (成立103周年, 新中国成立以来), a body named after the work it does (巡视组, 中央巡视工作领导小组, 督导组),
#: a message (慰问电).
RE_ANNIVERSARY = re.compile(r"[\d一二三四五六七八九十百]+\s*周年|以来")
RE_BODY = re.compile(r"组|工作(?:领导)?小组|(?:工作)?办|室|机构")  # not 督导工作, 巡视工作: the work itself
#: A message of sympathy, or a gift, is no visit (致慰问电, 慰问信, 慰问金, 慰问品).
RE_MESSAGE = re.compile(r"[电信函金品款]")
NOT_EVENT_AFTER = {"成立": RE_ANNIVERSARY, "巡视": RE_BODY, "巡察": RE_BODY, "督导": RE_BODY, "慰问": RE_MESSAGE}
#: Triggers that state an event only where no other trigger in the clause says what it was (4月12日,区委开展调研:
#: an inspection), and only before an activity within 30 characters (3月5日,社区开展学雷锋志愿服务活动).
WEAK_TRIGGERS = frozenset(("开展",))
RE_ACTIVITY = re.compile(r"[^,，。;；]{0,30}?(?:活动|主题党日|志愿服务|义诊|演练|培训)")
#: A next sentence without a date of its own that says who attended: 区委书记刘东伟出席会议并讲话.
RE_ATTENDANCE = re.compile(r"(出席|主持|参加|讲话|致辞|陪同)")


@cache
def _triggers() -> dict[str, str]:
    return load_map("event_triggers.tsv")


@cache
def _nouns() -> dict[str, str]:
    return load_map("event_nouns.tsv")


@cache
def _re_trigger() -> re.Pattern:
    return re.compile(alternation(_triggers()))


#: A quoted part inside a meeting's name (实施“红墙先锋工程”部署会, “和合共生,文明互鉴”文化遗产保护论坛): read whole,
#: commas too.
QUOTED_PART = "“[^“”]{1,24}”"


@cache
def _re_name_after() -> re.Pattern:
    nouns = alternation(_nouns())
    return re.compile(rf"(?:了|的)?\s*(?:“(?P<quoted>[^”]{{2,60}})”(?P<tail>[^,，。;；“”!?]{{0,30}}?(?:{nouns}))?"
                      rf"|(?P<plain>(?:[^,，。;；“”!?]|{QUOTED_PART}){{2,40}}(?:{nouns})))")


@cache
def _re_name_before() -> re.Pattern:
    nouns = alternation(_nouns())
    return re.compile(rf"(?P<name>(?:[^,，。;；“”!?]|{QUOTED_PART}){{2,60}}(?:{nouns}))"  # “四下基层”与…研讨会
                      rf"\s*(?:(?:于|在)[^,，。;；“”!?]{{0,12}})?$")


def extract_events(doc: Document, mentions: dict[int, list[PersonMention]]) -> list[Event]:
    """Events in text order, one per dated clause with a trigger."""
    rows: list[Event] = []
    occurrence: dict[str, int] = {}
    published = doc.article.published_date
    evidence = 0
    for n, sent in enumerate(doc.sentences):
        dates = _dates(sent.text, published)
        last: tuple[str, str] | None = None  # the date and year source of the sentence's last date
        same_day = any(m.re is RE_SAME_DAY for m, _mo, _d in dates)  # only then does a date without a trigger count
        for i, (m, month, day) in enumerate(dates):
            reach_end = dates[i + 1][0].start() if i + 1 < len(dates) else len(sent.text)
            found = _trigger_in(sent.text, m.end(), reach_end)
            if found is None and not same_day:
                continue
            if m.re is RE_SAME_DAY and (last is None or len(last[0]) != 10):
                continue  # 当天 with no day before it in the sentence
            t_start = found[1] if found else reach_end
            clause_start = _clause_start(sent.text, m.start(), dates[i - 1][0].end() if i else 0)
            if m.re is RE_SAME_DAY:
                date, year_source = _same_day(last, m["same"] in NEXT_DAY)
            elif month is None:  # a day alone: the month of a date before it in the sentence, or the publication's
                date, year_source = _day_alone(day, _month_before(dates[:i], published, sent.text), published,
                                               sent.text[clause_start:t_start])
            else:
                date, year_source = _resolve(m, month, day, published, sent.text)
            last = (date, year_source)  # what a 当天 after it names, whether or not this date has a trigger
            if found is None:
                continue
            trig = found[0]
            etype = _event_type(sent.text, trig, t_start)
            clause = (clause_start, _clause_end(sent.text, t_start, reach_end))
            name = _event_name(sent.text, m.end(), trig, t_start)
            if etype == "other" and trig in ("举行", "举办") and name:  # 2024文化强国建设高峰论坛在广东深圳举办
                etype = next((t for noun, t in _nouns_longest_first() if name.endswith(noun)), etype)
            participants = _participants(sent, mentions.get(sent.index, []), clause,
                                         _short_clause(sent.text, m.start(), t_start + len(trig)))
            if etype == "meeting" and len(dates) == 1 and n + 1 < len(doc.sentences):
                participants += _attendees(doc.sentences[n + 1], mentions, participants, published)
            a, b = sent.start + m.start(), sent.start + m.end()
            key = f"{m.group(0)}|{trig}"
            k = occurrence.get(key, 0)
            occurrence[key] = k + 1
            rows.append(Event(
                article_id=doc.article.article_id, sentence_index=sent.index, char_start=a, char_end=b,
                sentence=sent.text, text=doc.article.text[a:b], method=f"events.{etype}",
                event_id=stable_id(doc.article.article_id, "event", key, k),
                date=date, date_text=m.group(0), event_type=etype, trigger=trig, name=name,
                participants=participants, year_source=year_source,
            ))
            evidence += len(sent.text)
            check_evidence_budget(evidence)  # Q015: a page of nothing but dated clauses
    return rows


def _dates(s: str, published: dt.date | None = None) -> list[tuple[re.Match, int | None, int | None]]:
    """(match, month, day) of every valid date expression in s, in order; month None for a day alone
    (3日上午), which counts only where the publication date gives its month."""
    out: list[tuple[re.Match, int | None, int | None]] = []
    found = list(RE_DATE.finditer(s)) if "月" in s else []
    if "-" in s or "/" in s or "." in s:
        found += RE_ISO_DATE.finditer(s)
    for m in found:
        month = _num(m["month"])
        day = _num(m["day"]) if m["day"] else None
        if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            continue
        out.append((m, month, day))
    if published is not None and "上" in s and "月" in s:
        last = published.month - 1 or 12
        out += [(m, last, int(m["day"])) for m in RE_LAST_MONTH_DAY.finditer(s)]
    if published is not None and RE_RELATIVE_HINT.search(s):
        taken = [(m.start(), m.end()) for m, _mo, _d in out]
        for m in RE_RELATIVE_DAY.finditer(s):
            if not any(a <= m.start() < b for a, b in taken):
                day = relative_day(m, published)
                out.append((m, day.month, day.day))
    alone = list(RE_DAY_ONLY.finditer(s)) if published is not None and "日" in s else ()
    if alone:
        taken = [(m.start(), m.end()) for m, _mo, _d in out]
        out += [(m, None, int(m["day"])) for m in alone if not any(a <= m.start() < b for a, b in taken)]
    if out and ("当" in s or "同" in s or "次" in s or "翌" in s or "第二天" in s):
        taken = [(m.start(), m.end()) for m, _mo, _d in out]
        first = min(m.start() for m, _mo, _d in out)
        out += [(m, None, None) for m in RE_SAME_DAY.finditer(s, first)
                if not any(a <= m.start() < b for a, b in taken)]
    return sorted(out, key=lambda x: x[0].start()) if len(out) > 1 else out


#: The day of a date before it in the sentence, or the day after (5月12日上午,县委召开常委会会议;当天下午,县委书记
#: 王强到乡镇调研): dated from that date. Not 当天的 (of that day), nor 当日起 (a span).
RE_SAME_DAY = re.compile(
    r"(?<![\u4e00-\u9fff])(?P<same>当天|当日|同日|同天|次日|翌日|第二天)"
    r"(?P<part>上午|下午|晚上|晚间|晚|早上|早晨|凌晨|中午|傍晚|夜间)?(?![的起以])")
NEXT_DAY = ("次日", "翌日", "第二天")


RE_RELATIVE_HINT = re.compile(r"[天日周期拜]")


def _same_day(last: tuple[str, str], next_day: bool) -> tuple[str, str]:
    """(ISO date, year source) of 当天 or 次日 after the date last (YYYY-MM-DD, or XXXX-MM-DD)."""
    date, source = last
    if not next_day:
        return date, source
    unknown = date.startswith("XXXX")  # a leap year, so that 2月29日 has a next day
    day = dt.date(2000 if unknown else int(date[:4]), int(date[5:7]), int(date[8:10])) + dt.timedelta(days=1)
    return ("XXXX" + day.isoformat()[4:] if unknown else day.isoformat()), source


def relative_day(m: re.Match, published: dt.date) -> dt.date:
    """The day a RE_RELATIVE_DAY match names, counted from the publication date."""
    if m["days"]:
        return published + dt.timedelta(days=RELATIVE_DAYS[m["days"]])
    if m["day_of"]:  # 今(6)日, 昨(11)日: Hong Kong's, Macau's and Taiwan's releases give the day in brackets
        day = published + dt.timedelta(days=RELATIVE_DAYS[m["day_of"] + "日"])
        return day if day.day == int(m["bracket"]) else _day_near(int(m["bracket"]), published)
    if m["lone"]:  # 周三下午: the last Wednesday up to the publication, the next one if the clause is to come
        weekday = WEEKDAYS[m["lone"]]
        before = re.split(r"[,，;；。!?！？]", m.string[:m.start()])[-1]
        clause = before + RE_CLAUSE_END.split(m.string[m.end():], maxsplit=1)[0]
        if RE_FUTURE.search(clause):
            return published + dt.timedelta(days=(weekday - published.weekday()) % 7)
        return published - dt.timedelta(days=(published.weekday() - weekday) % 7)
    monday = published - dt.timedelta(days=published.weekday())
    return monday + dt.timedelta(weeks=RELATIVE_WEEKS[m["week"]], days=WEEKDAYS[m["weekday"]])


def _day_near(day: int, published: dt.date) -> dt.date:
    """The date of a day of the month near the publication: in its month, or the month before when the day is
    still to come then (or does not exist in it)."""
    for back in (0, 1):
        month = (published.month - back - 1) % 12 + 1
        year = published.year - (published.month - back < 1)
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= published or back:
            return candidate
    return published


def _month_before(dates: list, published: dt.date | None, s: str) -> tuple[str, str] | None:
    """(YYYY-MM, year source) of the last date with a month before a day alone in the sentence
    (3月5日上午开幕,13日上午闭幕); None when there is none."""
    for m, month, day in reversed(dates):
        if month is not None:
            date, source = _resolve(m, month, day, published, s)
            return date[:7], source
    return None


def _day_alone(day: int, month_before: tuple[str, str] | None, published: dt.date, clause: str) -> tuple[str, str]:
    """(ISO date, year source) of a day named without its month: the month of the date before it in the
    sentence; else the publication's month, or the month before when the day is still to come then,
    unless the clause says it is (将于28日举行)."""
    if month_before is not None:
        (ym, source) = month_before
        if ym.startswith("XXXX"):
            return f"{ym}-{day:02d}", source
        year, month = int(ym[:4]), int(ym[5:7])
    else:
        year, month, source = published.year, published.month, "published_date"
        if day > published.day and not RE_FUTURE.search(clause):
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    try:
        dt.date(year, month, day)
    except ValueError:  # 31日 of a month of 30 days
        return f"{year:04d}-{month:02d}", source
    return f"{year:04d}-{month:02d}-{day:02d}", source


def _num(text: str) -> int:
    if text.isdigit():
        return int(text)
    import cn2an

    return int(cn2an.cn2an(text, "smart"))


RE_BOOK_TITLE = re.compile(r"《[^《》]*》")
RE_CONGRATULATE = re.compile(r"^(?:热烈)?祝贺")
RE_ATTENDS = re.compile(r"^.*(?:出席|参加|主持|莅临|亲临)(?=.)")
RE_TOWARDS = re.compile(r"(?<![面方导走转])向|给")


def _trigger_in(s: str, start: int, reach_end: int) -> tuple[str, int] | None:
    end = min(reach_end, start + MAX_REACH)
    stop = RE_CLAUSE_END.search(s, start, end)
    if stop:
        end = stop.start()
    weak = None
    titles = [(t.start(), t.end()) for t in RE_BOOK_TITLE.finditer(s, start, end)] if "《" in s else ()
    for m in _re_trigger().finditer(s, start, end):
        if any(a < m.start() < b for a, b in titles):
            continue  # 《…热烈祝贺第十九届亚洲运动会闭幕》: a title's words are not what the sentence reports
        after = NOT_EVENT_AFTER.get(m.group(0))
        if after is not None and after.match(s, m.end()):
            continue
        if m.group(0) in WEAK_TRIGGERS:
            if weak is None and RE_ACTIVITY.match(s, m.end(), end):
                weak = m.group(0), m.start()
            continue
        return m.group(0), m.start()
    return weak


@cache
def _nouns_longest_first() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(_nouns().items(), key=lambda kv: -len(kv[0])))


def _event_type(s: str, trig: str, t_start: int) -> str:
    etype = _triggers()[trig]
    if trig in ("举行", "举办"):
        after = s[t_start + len(trig):t_start + len(trig) + 40]
        for noun, noun_type in _nouns_longest_first():
            pos = after.find(noun)
            if pos >= 0 and not re.search(r"[,，。;；]", after[:pos]):
                return noun_type
        return "other"
    return etype


def _resolve(m: re.Match, month: int, day: int | None, published: dt.date | None, s: str) -> tuple[str, str]:
    """(ISO partial date, where its year came from)."""
    year: int | None = None
    source = "unknown"
    if m.re is RE_RELATIVE_DAY and published is not None:
        return relative_day(m, published).isoformat(), "published_date"
    if m["year"]:
        year, source = _num(m["year"]) if not m["year"].isdigit() else int(m["year"]), "explicit"
    elif "rel" in m.groupdict() and m["rel"]:
        if published:
            year, source = published.year + RELATIVE_YEARS[m["rel"]], "relative"
    elif published:
        year, source = published.year, "published_date"
        if (month, day or 1) > (published.month, published.day) and month - published.month > 1:
            year -= 1  # a date well after publication was last year's
    else:
        near = _year_nearby(s, m.start(), m.end())
        if near:
            year, source = near, "sentence"
    y = f"{year:04d}" if year else "XXXX"
    return (f"{y}-{month:02d}-{day:02d}" if day else f"{y}-{month:02d}"), source


def _year_nearby(s: str, start: int, end: int) -> int | None:
    """The year named closest to the date expression in its sentence (3月7日,2025年…部署会)."""
    best = None
    for ym in RE_YEAR.finditer(s):
        dist = ym.start() - end if ym.start() >= end else start - ym.end()
        if dist <= 12 and (best is None or dist < best[0]):
            best = (dist, int(ym.group(1)))
    return best[1] if best else None


def _clause_start(s: str, date_start: int, floor: int) -> int:
    cut = max((m.end() for m in RE_CLAUSE_END.finditer(s, floor, date_start)), default=floor)
    return cut


def _clause_end(s: str, t_start: int, reach_end: int) -> int:
    stop = RE_CLAUSE_END.search(s, t_start, reach_end)
    return stop.start() if stop else reach_end


def _attendees(nxt: Sentence, mentions, already: list[Participant], published: dt.date | None) -> list[Participant]:
    if _dates(nxt.text, published) or not RE_ATTENDANCE.search(nxt.text):
        return []
    have = {p.name for p in already}
    return [p for p in _participants(nxt, mentions.get(nxt.index, []), (0, len(nxt.text))) if p.name not in have]


def _event_name(s: str, date_end: int, trig: str, t_start: int) -> str:
    if trig in MEETING_VERBS:
        m = _re_name_after().match(s, t_start + len(trig))
        if m and m["tail"]:  # 召开“党建+网格”工作推进会: the quote names the programme, the meeting is all of it
            return f"‘{m['quoted']}’{m['tail']}"
        if m:  # a quote inside a plain name is written as the gold writes it: 实施‘红墙先锋工程’部署会
            return m["quoted"] or _single_quotes(m["plain"])
    before = s[date_end:t_start].lstrip(",， ")
    m = _re_name_before().search(before)
    if not m:
        return ""
    name = RE_CONGRATULATE.sub("", m["name"].strip())  # 致贺信,祝贺第31届…会议: the meeting, not the wish
    name = RE_ATTENDS.sub("", name)  # 国家主席习近平在人民大会堂出席|第三届…论坛: who attended it, not its name
    if RE_TOWARDS.search(name):
        return ""  # 区委书记张伟向大会|致辞: who speaks to the meeting, not its name
    return _single_quotes(name)


def _single_quotes(name: str) -> str:
    """A quote inside a meeting's name written as the gold writes it: 实施‘红墙先锋工程’部署会."""
    return name.replace("“", "‘").replace("”", "’")


def _participants(sent: Sentence, mentions: list[PersonMention], clause: tuple[int, int],
                  short: tuple[int, int] | None = None) -> list[Participant]:
    """Who took part: the people named in the clause, those named again without a title or cue
    (persons.REPEAT) only in its comma-clauses from the date to the trigger (short), outside a book's title."""
    a, b = sent.start + clause[0], sent.start + clause[1]
    seen: dict[str, Participant] = {}
    for m in mentions:
        name = m.person_name  # as the persons table writes it
        start, end = m.start - sent.start, m.end - sent.start
        if m.method == REPEAT and (short is None or not short[0] <= start < short[1] or _in_book_title(sent.text, start)):
            continue
        if a <= m.start < b and name not in seen and not _subject_matter(sent.text, start, end, m.title):
            seen[name] = Participant(name=name, title=m.title)
    return list(seen.values())


RE_COMMA_CLAUSE_END = re.compile(r"[,，:：;；。!?！？]")


def _short_clause(s: str, date_start: int, trigger_end: int) -> tuple[int, int]:
    """From the comma-clause of the date to the end of the trigger's (李强表示,今年5月,…举行会晤: not 李强)."""
    start = max((m.end() for m in RE_COMMA_CLAUSE_END.finditer(s, 0, date_start)), default=0)
    stop = RE_COMMA_CLAUSE_END.search(s, trigger_end)
    return start, stop.start() if stop else len(s)


def _in_book_title(s: str, pos: int) -> bool:
    return "《" in s and any(t.start() < pos < t.end() for t in RE_BOOK_TITLE.finditer(s))


#: What a meeting studies of a person (传达学习习近平总书记|重要讲话精神, 学习张伟同志|先进事迹): not a participant.
#: Not a speech "在…上的" this event heard (习近平总书记在闭幕会上的重要讲话): he took part in that one.
RE_WORK_AFTER = re.compile(r"(?:同志)?(?:关于[^,，。;；]{1,30}?的|的)?(?:重要|系列重要|最新)?"
                           r"(?:讲话|指示|批示|论述|思想|回信|贺信|贺电|来信|署名文章|文章|著作|要求|嘱托|先进事迹|事迹|精神)")
#: One who sends a letter to the event (习近平向…会议轮值主席致贺信) did not attend it.
RE_SENDS_AFTER = re.compile(r"(?:同志)?(?:向|给)[^,，。;；]{1,40}?(?:致|发来|发去|写)(?:贺信|贺电|贺词|慰问信|慰问电|回信|信)")
#: A leader's name in the name of a body of thought (习近平新时代中国特色社会主义思想, 习近平文化思想), or before
#: the one it names (李克强夫人程虹会见…: she met them).
RE_THOUGHT_AFTER = re.compile(r"(?:同志)?(?:新时代[^,，。;；]{0,12}|[\u4e00-\u9fff]{2,4})思想|的?(?:夫人|妻子|丈夫|之子|之女)")
RE_STUDY_BEFORE = re.compile(r"(?:学习|传达|贯彻|领会|研读|宣讲|学习了|传达了)$")


def _subject_matter(s: str, start: int, end: int, title: str) -> bool:
    """Is the person at s[start:end] what the meeting studies, not one who took part?"""
    if RE_STUDY_BEFORE.search(s, 0, start - len(title) if s.endswith(title, 0, start) else start):
        return True
    after = s[end:end + 40]
    if title and after.startswith(title):
        after = after[len(title):]
    return (RE_WORK_AFTER.match(after) is not None or RE_SENDS_AFTER.match(after) is not None
            or RE_THOUGHT_AFTER.match(after) is not None)
