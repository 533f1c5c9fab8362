"""Counts: cardinal quantities with their unit and counted noun (EXTRACTION.md §2).

    "12.9万名党员"  -> Count(value=129000, unit="名", entity="党员")
    "3.7亿元"       -> Count(value=370000000, unit="元", entity="")
    "六大系统"      -> Count(value=6, unit="", entity="系统")
    "500余家驻区单位" -> Count(value=500, unit="家", approximate=True)
    "3600余万元"    -> Count(value=36000000, unit="元", approximate=True)
    "党员先锋岗12个" -> Count(value=12, unit="个", entity="党员先锋岗")   (noun before the number)

Not counts: dates (2025年, 11月3日), ordinals (第一), party sessions (二十大,
十九届六中全会), numbers in quoted names and slogans (“两个维护”, “1+6”),
identifiers (12345 hotline), idioms (千家万户), the party line's formulas even
unquoted (四个意识), and 一 as an article (一名党员).
"""

import math
import re
from decimal import Decimal
from functools import cache, lru_cache

import cn2an

from pipeline.errors import check_evidence_budget
from pipeline.ids import stable_id
from pipeline.lexicons import alternation, first_char_lookahead, load_list, load_map
from pipeline.stages.spans import (QUOTE_PAIRS, RE_CJK_CHAR, TIME_UNITS, noun_chunk_after, noun_chunk_before,
                                   quote_spans, segment)
from schemas.counts import Count
from schemas.document import Document, Sentence

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万亿": 1e12}
# Words after N大 that make it a party congress, not a count: 党的七大精神.
CONGRESS_NEXT = ("精神", "报告", "代表", "以来", "召开", "期间", "会议", "胜利", "闭幕", "开幕", "重要", "党章", "提出", "作出", "强调")
RE_SESSION_AFTER = re.compile(
    r"^(?:[一二三四五六七八九十]中全会|全国|中央|全会|人大|政协|代表大会|[一二三四五六七八九十]+次|常委会|世界|亚洲|中国|国际"
    r"|[区市县省州镇乡]?(?:委|党委|党工委|纪委))")  # 十三届区委: the committee's number
BARE = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}
#: Units that count people themselves: what follows them is what the people do (5000余人|参与…).
PEOPLE_UNITS = ("人", "人次")
RE_YEAR_NEXT = re.compile(r"^(?:代|度|级|初|底|末|中|前后)")
#: A numbered session: 十四届全国人大二次会议, 区委十三届五次全会 (届 earlier in the clause, or a plenum).
RE_SESSION_BEFORE = re.compile(rf"(?:\d|[{CN_DIGITS}])届[^,，。;；、：:]{{0,10}}$")
RE_PLENUM_AFTER = re.compile(r"^(?:全会|全体(?:\(扩大\))?会议)")  # 五次全会, 五次全体(扩大)会议; not 十多次全体起立


@cache
def _re_count() -> re.Pattern:
    units = alternation(load_list("measure_words.txt") + ("%", "‰"))
    before = alternation(k for k, v in load_map("approx_markers.tsv").items() if v == "before")
    return first_char_lookahead(re.compile(
        rf"""
        (?P<pre>{before})?                                   # 近 约 超过 逾 上(万)
        (?>                                                  # atomic: a number is read whole, never cut back
        (?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?(?:(?:余|多)?(?:万亿|千万|百万|万|亿))?   # 5739  12.9万  3600余万
              |[{CN_DIGITS}]+(?:点[零〇一二两三四五六七八九]+(?:万|亿)?)?(?:(?:余|多)(?:万|亿))?)  # 十八  两  十余万  十二点九万
        (?P<range>(?:至|到|~|-|—|－)(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+))?   # 3至5
        )
        (?=(?:\ (?![人大]))?(?:大|(?:余|多)?(?:{units})))     # a count has a measure word or 大: 统一, 2025 are no match
        (?:\ (?![人大]))?                                     # 5739 个 (a space as some sites set it; 80亿 人类 is none)
        (?P<big>大)?                                         # 六大系统  5大类
        (?P<approx>余|多)?                                   # 500余家  20万余人
        (?P<unit>{units})?
        (?P<post>左右|以上|多(?=月|小时|星期|钟头|礼拜|来|的|时间|前|后|[,，。;；、]))?  # 3个多月, 5年多来
        """,
        re.VERBOSE,
    ))


@cache
def _unit_nouns() -> frozenset[str]:
    return frozenset(load_list("unit_nouns.txt"))


@cache
def _re_idioms() -> re.Pattern:
    """Idioms (千家万户) and the party line's numbered formulas, quoted or not (四个意识, 两个维护)."""
    formulas = tuple(w for w in load_list("slogans.txt") if set(w) & set(CN_DIGITS))
    return re.compile(alternation(load_list("numeric_idioms.txt") + formulas))


RE_ID_CHAR = re.compile(r"[A-Za-z0-9.#＃]")
RE_WORD_START = re.compile("[\u4e00-\u9fff\\d" + re.escape("".join(QUOTE_PAIRS)) + "]")  # or an opening quote
RE_ARABIC = re.compile(r"([\d,]+(?:\.\d+)?)(万亿|千万|百万|万|亿)?")
RE_SENTENCE_END = re.compile(r"[。!?！？]")
#: An approximation marker between a number and its multiplier: 3600余万元, 十多万人.
RE_INNER_APPROX = re.compile(r"[余多](?=万|亿|千万|百万)")
RE_PERCENT_CN = re.compile(r"百分之(?P<num>[零〇一二两三四五六七八九十百点.\d]+)")


def extract_counts(doc: Document) -> list[Count]:
    """Counts in text order, one per occurrence."""
    rows: list[Count] = []
    text = doc.article.text
    occurrence: dict[str, int] = {}
    evidence = 0
    for sent in doc.sentences:
        found = _sentence_counts(doc, sent, text, occurrence)
        if found:
            rows.extend(found)
            evidence += len(sent.text) * len(found)
            check_evidence_budget(evidence)  # Q015: a page of nothing but counts
    return rows


def _sentence_counts(doc: Document, sent: Sentence, text: str, occurrence: dict[str, int]) -> list[Count]:
    s = sent.text
    found: list[dict] = []
    excluded: list[tuple[int, int]] | None = None  # quoted names and idioms: found only once a sentence has a candidate
    for m in _re_count().finditer(s):
        cand = _candidate(s, m)
        if cand is None:
            continue
        if excluded is None:
            excluded = [(a, b) for a, b, content in quote_spans(s) if _is_name_quote(s, a, b, content)]
            excluded += [(i.start(), i.end()) for i in _re_idioms().finditer(s)]
        pos = m.start("num")
        if any(a <= pos < b for a, b in excluded):
            continue
        found.append(cand)
    for m in RE_PERCENT_CN.finditer(s) if "百分之" in s else ():
        value = _cn_value(m["num"].replace("点", "."))
        if value is not None:
            found.append({"start": m.start(), "end": m.end(), "value": value, "unit": "%", "approx": False,
                          "entity": "", "method": "counts.percent_cn", "num_end": m.end()})
    found.sort(key=lambda c: c["start"])
    _fill_compound_entities(found, s)
    rows = []
    for c in found:
        a, b = sent.start + c["start"], sent.start + c["end"]
        surface = text[a:b]
        k = occurrence.get(surface, 0)
        occurrence[surface] = k + 1
        rows.append(Count(
            article_id=doc.article.article_id, sentence_index=sent.index, char_start=a, char_end=b,
            sentence=s, text=surface, method=c["method"],
            count_id=stable_id(doc.article.article_id, "count", surface, k),
            value=c["value"], unit=c["unit"], entity=c["entity"], approximate=c["approx"],
        ))
    return rows


def _candidate(s: str, m: re.Match) -> dict | None:
    """The count a regex match stands for, or None when a rule of the spec excludes it."""
    num, unit, big = m["num"], m["unit"] or "", m["big"]
    if not unit and not big:
        return None  # most matches (统一, 一起): decided before any other work
    start, end = m.start("num"), m.end()
    prev = s[max(0, start - 2):start]
    if prev.endswith(("第", "每", "+", "前")) or (prev and RE_ID_CHAR.match(prev[-1])):
        return None
    after = s[end:end + 4]
    if after.startswith(("+", "＋")):
        return None
    if unit and after.startswith(unit[-1]) and len(unit) == 1:
        return None  # 一个个, 一件件: reduplication, not counting
    pre = m["pre"]
    if pre == "上" and not set(num) <= set("百千万亿") or pre == "数" and num[0] not in "十百千万亿":
        pre = None  # 上万 but not 上3个; 数十 数百 but not 人数1291万人
    if num == "一" or (set(num) <= set("百千万亿") and not (pre or m["approx"])) or set(num) <= set("零〇"):
        return None  # 一名党员 (article), 千家万户 (figurative), 零部件, 零容忍; 上万, 逾百家, 近千名, 百余名 are counts
    if unit == "年" and _is_year(num, after):
        return None
    if unit == "届" and RE_SESSION_AFTER.match(after):
        return None
    if unit == "次" and (RE_SESSION_BEFORE.search(s[max(0, start - 12):start]) or RE_PLENUM_AFTER.match(s[end:end + 8])):
        return None  # 十四届全国人大二次会议, 五次全会: the session's number, not a count of meetings
    if unit and s[m.start("unit"):m.start("unit") + 2] in _unit_nouns():
        unit = ""  # 五部门: 部门 is the noun, there is no measure word
        if m["big"] is None and not num.isdigit() and len(num) > 2:
            return None
    if big and not _is_count_big(num, s, start, end, unit):
        return None
    if not num[0].isdigit() and start and not pre and RE_CJK_CHAR.match(s[start - 1]) and _inside_word(s, start, end):
        return None  # 中国红十字会: 十字 is no count (a numeral inside a word), but 这两天 is
    pair = RE_CN_PAIR.fullmatch(num)
    value = _value(num) if pair is None else _pair_value(pair)
    if value is None:
        return None
    approx = bool(pre or m["approx"] or m["post"] or m["range"] or RE_INNER_APPROX.search(num) or pair)
    span_start = m.start("pre") if pre else start
    entity, ent_end, method = "", m.end(), "counts.measure" if unit else "counts.big"
    if not unit or unit not in ("元", "%", "‰"):
        entity, ent_end = noun_chunk_after(s, m.end() if unit or not m["unit"] else m.start("unit"),
                                           modifiers=unit not in PEOPLE_UNITS)
    if not entity and unit and unit not in TIME_UNITS + ("元", "%", "‰", "人") and _ends_clause(s, m.end()):
        back, back_start = noun_chunk_before(s, span_start)
        if back:
            entity, span_start, method = back, back_start, "counts.postposed"
            ent_end = m.end()
    return {"start": span_start, "end": max(ent_end, m.end()), "value": value, "unit": unit, "approx": approx,
            "entity": entity, "method": method, "num_end": m.end()}


def _inside_word(s: str, pos: int, end: int) -> bool:
    """Does the segmenter put s[pos:end] inside a word that begins before pos and goes on after end
    (中国|红十字会: 十字)? Not a word that ends with it (这两天, 近十年: counts)."""
    base = max(0, pos - 4)
    at = base
    for word in segment(s[base:end + 4]):
        if at < pos and at + len(word) > end:
            return True
        at += len(word)
        if at > pos:
            return False
    return False


def _ends_clause(s: str, pos: int) -> bool:
    """Nothing but punctuation (or the end) after pos: 党员先锋岗12个，"""
    return pos >= len(s) or not RE_WORD_START.match(s[pos])


def _is_year(num: str, after: str) -> bool:
    """2025年, 二〇二五年, 80年代: a year, not a count of years."""
    if RE_YEAR_NEXT.match(after[1:] if after.startswith("年") else after):
        return True
    if num.isdigit():
        return len(num) >= 3
    return len(num) >= 3 and not set(num) & set("十百千万亿")


def _is_count_big(num: str, s: str, start: int, end: int, unit: str) -> bool:
    """六大系统 is a count; 二十大 / 党的七大 are congresses."""
    if len(num) > 1 and not num.isdigit():
        return False
    if num.isdigit() and len(num) > 2:
        return False
    if s[max(0, start - 2):start] == "党的" or s[max(0, start - 1):start] == "届":
        return False
    return unit != "" or not s[end:end + 2].startswith(CONGRESS_NEXT)


def _times(digits: str, multiplier: str | None) -> float:
    """digits times a multiplier in decimal, so that 2.3亿 is 230000000.0, not 229999999.99999997."""
    if not multiplier:
        return float(digits)
    return float(Decimal(digits) * Decimal(int(MULTIPLIERS[multiplier])))


def _value(num: str) -> float | None:
    num = RE_INNER_APPROX.sub("", num)  # 3600余万 -> 3600万
    m = RE_ARABIC.fullmatch(num)
    if m:
        value = _times(m[1].replace(",", ""), m[2])
        return value if math.isfinite(value) else None  # 400 nines: no count, and no inf in a float column
    return _cn_value(num)


#: Two numerals side by side, with no place value between them: 两三个, 五六岁, 三四十人, 十七八岁, 三五年 (a range,
#: said loosely), 一一 (one by one), or a name (三七, a plant; 五四, 八一: dates). cn2an reads them digit by digit
#: (两三 -> 23).
RE_CN_PAIR = re.compile(r"(?P<head>[二三四五六七八九]?十)?(?P<a>[一二两三四五六七八九])(?P<b>[一二两三四五六七八九])"
                        r"(?P<tail>十万|百万|千万|十|百|千|万|亿)?")
CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
PLACE = {**BARE, **MULTIPLIERS, "十万": 1e5}


def _pair_value(m: re.Match) -> float | None:
    """The lower end of a loose range (两三 -> 2, 三四十 -> 30, 十七八 -> 17, 三五 -> 3: 'three to five'), as the spec
    takes 3至5; None for numerals side by side that are no range (一一, 三七, 五四)."""
    a, b = CN_DIGIT[m["a"]], CN_DIGIT[m["b"]]
    if b != a + 1 and (a, b) != (3, 5) or (a, b) == (3, 5) and m["head"]:
        return None  # and 十三五 is a five-year plan
    if m["head"] and m["tail"]:
        return None
    head = _cn_value(m["head"]) if m["head"] else 0.0  # 十, 二十
    return (head + a) * PLACE.get(m["tail"] or "", 1.0)


RE_CN_DECIMAL = re.compile(r"(?P<num>[零〇一二两三四五六七八九十百千]+点[零〇一二两三四五六七八九]+)(?P<mult>万|亿)?")


@lru_cache(maxsize=4096)  # cn2an takes ~80 µs a call; the same numerals (二十, 十四) recur
def _cn_value(num: str) -> float | None:
    if num in BARE:
        return BARE[num]
    decimal = RE_CN_DECIMAL.fullmatch(num)  # 十二点九万: cn2an reads 十二点九, not its multiplier
    try:
        if decimal:
            return _times(str(cn2an.cn2an(decimal["num"], "smart")), decimal["mult"])
        return float(cn2an.cn2an(num, "smart"))
    except (ValueError, KeyError, TypeError, IndexError, OverflowError):  # OverflowError: beyond a float
        return None


def _is_name_quote(s: str, a: int, b: int, content: str) -> bool:
    """A quoted name or slogan (numbers inside are not counts), not quoted speech."""
    return len(content) <= 25 and not RE_SENTENCE_END.search(content)


def _fill_compound_entities(found: list[dict], s: str) -> None:
    """6类30项重点民生实事项目: the first count borrows the noun of the second."""
    for cur, nxt in zip(found, found[1:]):
        if not cur["entity"] and cur["num_end"] == nxt["start"]:
            cur["entity"] = nxt["entity"]
