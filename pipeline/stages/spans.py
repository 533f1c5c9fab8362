"""Shared span helpers: quotes, noun chunks and word tags used by several extractors."""

import re
from functools import cache, lru_cache

from pipeline.lexicons import load_list, load_word_tags

#: A token that is a number (55, 1.2万, 十二): the word after it is its measure word, not part of a noun.
RE_NUMBER_WORD = re.compile(r"\d[\d.,]*[万亿]?|[零〇一二两三四五六七八九十百千万亿]+")
#: Measure words of time (counts: no noun before 3年; clean: 2022年, at a line's start, may begin a sentence).
TIME_UNITS = ("天", "年", "周年", "小时", "分钟", "周", "月")
#: Measure words of time as the segmenter's words, where it keeps them whole (1—8|月份, 每|小时).
TIME_MEASURE_WORDS = frozenset(TIME_UNITS) | {"月份", "季度", "年度"}
QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "\"": "\""}
CLOSING_QUOTES = frozenset(QUOTE_PAIRS.values())
RE_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
#: Tags of jieba's dictionary that end a noun chunk (verbs, adverbs, prepositions, conjunctions …).
STOP_TAGS = ("d", "p", "c", "u", "r", "m", "q", "f", "t", "e", "y", "o", "w", "x", "zg")


RE_PAREN_NOUN = re.compile(r"([\u4e00-\u9fff]{1,4})\(([\u4e00-\u9fff]{1,4})\)")
RE_QUOTE_MARKS = re.compile("[“”‘’「」『』\"]")  # ASCII " too, as some sites quote: 启动"先锋引领"行动


@lru_cache(maxsize=256)  # counts and initiatives ask for the quotes of the same sentences
def quote_spans(s: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, content) of every balanced quotation in s; start/end include the marks."""
    out = []
    stack: list[tuple[str, int]] = []
    for m in RE_QUOTE_MARKS.finditer(s):
        i, ch = m.start(), m.group(0)
        if stack and ch == QUOTE_PAIRS[stack[-1][0]]:
            _op, a = stack.pop()
            out.append((a, i + 1, s[a + 1:i]))
        elif ch in QUOTE_PAIRS:
            stack.append((ch, i))
        elif ch == "”" and stack:
            stack.clear()
    return tuple(sorted(out))


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(load_list("stop_words.txt"))


def segment(text: str, segmenter: str = "rjieba") -> list[str]:
    """Words of text by the named segmenter (rjieba: jieba-rs, or jieba); always joins back to text."""
    if not text:
        return []
    if segmenter == "rjieba":
        import rjieba

        words = rjieba.cut(text)
    elif segmenter == "jieba":
        import jieba

        words = jieba.lcut(text)
    else:
        raise ValueError(f"unknown segmenter {segmenter!r}: use 'jieba' or 'rjieba'")
    return words if "".join(words) == text else list(text)  # never expected; keeps offsets exact


#: How far either side of a span stands_alone has the segmenter read.
WORD_CONTEXT = 12


def stands_alone(text: str, start: int, end: int) -> bool:
    """Whether no dictionary word runs across start or end of text, as the segmenter cuts a few characters
    either side (程式 in 化学方程式 does not stand alone, nor 数位 in 多数|位于). A word the dictionary lacks
    may (书记|周排程: Taiwan's 排程 is not in it)."""
    left = max(0, start - WORD_CONTEXT)
    at = left
    for word in segment(text[left:min(len(text), end + WORD_CONTEXT)]):
        a, at = at, at + len(word)
        if (a < start < at or a < end < at) and word_tag(word):
            return False
    return True


def word_tag(word: str) -> str:
    """jieba's dictionary tag of a word; '' for words it does not know (often names)."""
    return load_word_tags().get(word, "")


def _is_stop(tok: str) -> bool:
    if not RE_CJK_CHAR.match(tok) or tok in _stop_words():
        return True
    return word_tag(tok).startswith(STOP_TAGS)


#: One-character levels of government before a noun (村|党组织书记, 镇|干部).
LEVEL_PREFIXES = frozenset("村镇乡县区市省")
#: jieba's tags of adjectives (优秀, 困难; 年轻 is 'a', 积极 as an adverb 'ad' is not one).
ADJECTIVE_TAGS = ("a", "an")


#: Suffixes of people the segmenter leaves alone after a word it knows (网格|员, 宣讲|员, 参与|者).
PERSON_SUFFIXES = frozenset("员者")


def _with_suffixes(toks: list[str]) -> list[str]:
    """toks with a person suffix joined to the word before it: 网格|员 -> 网格员 (a noun)."""
    if not any(t in PERSON_SUFFIXES for t in toks):
        return toks
    out: list[str] = []
    for tok in toks:
        if tok in PERSON_SUFFIXES and out and len(out[-1]) > 1 and word_tag(out[-1]).startswith(("n", "v")):
            out[-1] += tok
        else:
            out.append(tok)
    return out


def noun_chunk_after(s: str, pos: int, max_chars: int = 10, modifiers: bool = True) -> tuple[str, int]:
    """The counted noun right after pos: 18项|重点举措，… -> ('重点举措', end).

    Words run until punctuation, a function word or a verb that no noun follows;
    a verb or adjective stays only as a modifier (隔离|酒店, 优秀|案例); a verb only
    when modifiers is true (after 5000人, 参与|志愿服务 is the predicate, but 300名|优秀|年轻干部).
    """
    tail = s[pos:pos + max_chars + 6]
    if tail[:1] in QUOTE_PAIRS:  # “口袋公园” 「口袋公园」 "口袋公园"
        close = tail.find(QUOTE_PAIRS[tail[0]], 1)
        if 1 < close <= max_chars + 1:
            return tail[1:close], pos + close + 1
    paren = RE_PAREN_NOUN.match(tail)
    if paren:
        return paren.group(0), pos + paren.end()
    toks = _with_suffixes(segment(tail))
    words: list[str] = []
    length = 0
    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if not words and tok in LEVEL_PREFIXES and not _is_stop(nxt) and (
                word_tag(nxt).startswith(("n", "j")) or not word_tag(nxt) and len(nxt) > 2):  # 村|党支部, not 县|整县
            words.append(tok)  # 98名|村|党组织书记: the level (jieba: 村 zg, a suffix) is part of the noun
            length += len(tok)
            continue
        long_after = words and len(tok) >= 4 and not all(word_tag(w) in ADJECTIVE_TAGS for w in words)
        if long_after and _long_head(tok, words) and length + len(tok) <= max_chars:
            words.append(tok)  # 村级党群|服务中心: the compound's head ends it
            length += len(tok)
            break
        if _is_stop(tok) or long_after or length + len(tok) > max_chars:
            break
        # a verb before the noun modifies it (隔离|酒店); after a noun it is the predicate (儿童|得到|救助)
        # unless the compound's head follows (科技|创新|集群). Adjectives modify anywhere (优质|高效|水稻).
        tag = word_tag(tok)
        modifier = len(tok) > 1 and nxt and _noun_like(nxt) and not _is_stop(nxt) and (
            (modifiers and (not words or not tag.startswith("v")
                            or (tok not in _predicate_verbs() and _compound_head_ahead(toks, i + 1))))
            or tag in ADJECTIVE_TAGS)  # 300名|优秀|年轻干部, 200户|困难|家庭, 24项|重大|水利工程
        if not _noun_like(tok) and not modifier:
            break
        words.append(tok)
        length += len(tok)
    while words and not _noun_like(words[-1]):
        length -= len(words.pop())
    if not words and toks and toks[0] in LEVEL_PREFIXES:
        words, length = [toks[0]], 1  # 15个|村|全部建成, 208个|村|。: the level alone is what is counted
    if not modifiers and words and word_tag(words[0]) in ADJECTIVE_TAGS and words[-1][-1] not in PERSON_HEADS:
        return "", pos  # 122.7万人|不同程度|受灾: after a number of people an adjective describes people
    return "".join(words), pos + length


def _long_head(tok: str, words: list[str]) -> bool:
    """Whether a word of four characters or more after the nouns words is the compound's head noun
    (村级党群|服务中心, 国家|重大水利工程, 亚组委|工作人员), not an idiom (加班加点, 星星点点), a verb and its
    object (坚守岗位) or the object of a verb among words (出台|政策措施)."""
    return (len(tok) >= 4 and word_tag(tok) in ("n", "nz") and tok.endswith(_compound_heads())
            and tok[0] != tok[2] and tok[2] != tok[3] and word_tag(tok[:2]) != "v"
            and not any(word_tag(w) == "v" for w in words))


#: The scope a sentence's subject names (全区|共有|基层党组织): a verb after it is the predicate.
RE_SCOPE = re.compile(r"[全各该本我][省市区县镇乡村街州盟旗]|全[国体部]|各级|街道|社区")
#: Verbs of reaching or changing by a total, and adverbs of the estimate, between a counted noun
#: and its number (旅客发送量|突破|2亿人次, 客流量|预计|突破|8.7万人次, 企业|同比|增加|4万多家).
REACH_BEFORE = ("突破", "达到", "高达", "多达", "累计", "合计", "共计", "总计", "增加", "增长", "减少", "下降", "提高",
                "预计", "日均", "同比", "共", "达", "计", "约", "近")  # longest first
#: Last characters of nouns for people (党员, 群众, 村民, 干部, 游客, 儿童).
PERSON_HEADS = frozenset("员众民者部客人工生童师")


def noun_chunk_before(s: str, pos: int, max_chars: int = 10) -> tuple[str, int]:
    """The noun right before pos (after 共/达/突破/约): 党员先锋岗|12个 -> ('党员先锋岗', start).

    A verb stays only between two nouns (工作|协调|委员会), never after an
    organisation, which is the subject (党组织|设立|党员先锋岗), nor before the
    people it acts on (培训|村干部; but 巡查|人员). The scope the subject names (全区|现有党员)
    is not part of the noun. A quoted name counts whole (“红色驿站”|15个).
    """
    end = pos
    while reach := next((w for w in REACH_BEFORE if s.endswith(w, 0, end)), ""):
        end -= len(reach)
    if end > 1 and s[end - 1] in CLOSING_QUOTES:
        quoted = next((a for a, b, content in quote_spans(s) if b == end and 1 < len(content) <= max_chars), None)
        if quoted is not None:
            return s[quoted + 1:end - 1], quoted
    toks = _with_suffixes(segment(s[max(0, end - max_chars - 4):end]))
    words: list[str] = []
    length = 0
    for i in range(len(toks) - 1, -1, -1):
        tok = toks[i]
        left = toks[i - 1] if i > 0 else ""
        sandwiched = (words and len(tok) > 1 and left and _noun_like(left) and not _is_stop(left)
                      and word_tag(left) != "nt" and not RE_SCOPE.fullmatch(left)
                      and left not in LEVEL_PREFIXES)  # 城关|区|共有|基层党组织: the place is the subject
        if left and (len(tok) == 1 or tok in TIME_MEASURE_WORDS) and RE_NUMBER_WORD.fullmatch(left):
            break  # 55|处|公园…总面积, 1-8|月份|新办…主体: the measure word of the number before it
        head_word = not words and word_tag(tok) in ("n", "nz")  # 村级党群|服务中心: a long noun may be the head
        if (_is_stop(tok) or (len(tok) >= 4 and not head_word) or length + len(tok) > max_chars
                or RE_SCOPE.fullmatch(tok) or tok in _predicate_verbs()):
            if not words and not _noun_like(tok) and (noun := _noun_suffix(tok)):
                words, length = [noun], len(noun)  # 发展党员|52名: the phrase's noun is what is counted
            break
        if (len(words) == 1 and words[0][-1] in PERSON_HEADS and words[0] != "人员" and word_tag(tok).startswith("v")
                and not sandwiched):
            break  # 培训|村干部, 服务|群众: a verb before the people it acts on is the predicate
        if not _noun_like(tok) and not sandwiched:
            break
        words.insert(0, tok)
        length += len(tok)
    if not words or not _noun_like(words[-1]):
        return "", pos
    return "".join(words), end - length


def _noun_suffix(word: str) -> str:
    """The noun after the verb of a verb phrase jieba's dictionary lists as one word (发展|党员: 党员, 攻关|项目);
    '' where the word does not begin with a verb of two characters or more (高等学校, 一季度, 出入境)."""
    for k in range(2, len(word) - 1):
        noun = word[k:]
        if (word_tag(word[:k]).startswith("v") and (word_tag(noun) in ("n", "nz") or noun in _noun_overrides())
                and not _is_stop(noun)):
            return noun  # 举办|活动: 活动 is a noun of noun_overrides.txt
    return ""


@cache
def _compound_heads() -> tuple[str, ...]:
    return load_list("compound_heads.txt")


@cache
def _predicate_verbs() -> frozenset[str]:
    return frozenset(load_list("predicate_verbs.txt"))


def _compound_head_ahead(toks: list[str], j: int) -> bool:
    """Whether the nouns from toks[j] on end with a compound's head (创新|平台, 种植|基地)."""
    while j < len(toks) and _noun_like(toks[j]) and not _is_stop(toks[j]):
        if toks[j].endswith(_compound_heads()):
            return True
        j += 1
    return False


@cache
def _noun_overrides() -> frozenset[str]:
    return frozenset(load_list("noun_overrides.txt"))


def _noun_like(word: str) -> bool:
    if word in _noun_overrides():
        return True
    tag = word_tag(word)
    return tag == "" or tag.startswith(("n", "j", "s", "vn", "an", "b", "g"))
