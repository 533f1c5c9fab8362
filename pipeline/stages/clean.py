"""Clean: the article's own text, simplified, without page furniture (EXTRACTION.md §1).

Order matters: normalise widths and invisible characters, strip inline pinyin
(`區(qū)委` -> `區委`), convert to simplified Chinese (OpenCC: hk2s, or tw2s for Taiwan's forms; in a
traditional page, Taiwan's and Hong Kong's words the mainland does not write become the mainland's), then classify
lines: boilerplate is dropped, bylines and credits move to the byline, a
dateline gives publisher and date, a headline gives the title. Paragraphs broken
mid-sentence by blank lines are joined again. The result is idempotent:
clean(clean(x)) == clean(x).
"""

import codecs
import html
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from pipeline.lexicons import alternation, anchored_at_start, first_char_class, first_char_lookahead, load_list, load_table
from pipeline.stages.bylines import RE_NAME as RE_PERSON_NAME, inline_credit
from pipeline.stages.spans import TIME_UNITS, segment, stands_alone, word_tag

# Inline pinyin after a converted character: 區(qū) 號(hào). Only a valid syllable
# with a tone mark goes; (2025) (社区) (扩大) (PDF) stay.
RE_PINYIN = first_char_lookahead(re.compile(
    r"""(?<=[\u3400-\u9fff])        # right after a Chinese character
        \(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,7})\)   # (hào)
    """,
    re.VERBOSE,
))
RE_SYLLABLE = re.compile(
    r"^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn|ia|ie|iu|ua|uo|ui|ue|ve|er|a|o|e|i|u|v|ng|n|m)$"
)
_TONE_BASE = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvennnm"
)
_TONED = set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ")

# Characters that end a sentence or a paragraph's last sentence.
TERMINALS = "。！？!?…;；"
CLOSERS = "”’」』)）】》"
RE_ENUM_START = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+(?:、|[.．](?!\d)))")  # not 1.9倍

# A dateline near the top: 北京青年报客户端 2022-11-03 18:42 | 来源：人民网 2023年05月06日
RE_DATELINE_DATE = re.compile(
    r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?!\d)"
    r"|(?P<cn>[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)"  # 二〇二四年十一月五日
    r"|(?:民国|民國)?(?<!\d)(?P<roc>1[01]\d)\s*[-/.年]\s*(?P<roc_m>\d{1,2})\s*[-/.月]\s*(?P<roc_d>\d{1,2})\s*日?(?!\d)"
)  # Taiwan's years of the Republic (发布日期:114-03-12, 民国114年3月12日: 2025)
ROC_EPOCH = 1911
RE_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
RE_SOURCE = re.compile(r"(?:来源|稿源|出处)\s*[:：]\s*([^\s|｜]+)")
RE_AUTHOR_FIELD = re.compile(r"(?:作者|记者|撰稿)\s*[:：/]\s*([^|｜]+?)(?=\s{2,}|\s*[|｜]|$|\s*(?:来源|发布|时间|编辑|字号|浏览|点击|阅读|【))")
RE_HEADER_NOISE = re.compile(r"(发布时间|发布日期|时间|日期|浏览次数|阅读|字号|点击|【?字体[:：]?\s*大\s*中\s*小】?|\d+)\s*[:：]?")
#: A line labelled like a page's info bar is metadata wherever trafilatura left it.
RE_HEADER_LABEL = re.compile(r"(发布时间|发布日期|来源|稿源|浏览次数|阅读次数|点击数|字号|【字体)\s*[:：]?")
RE_PUBLISHER_SUFFIX = re.compile(r"(报|网|客户端|台|社|日报|晚报|新闻|杂志|号|政府|在线|频道|app|APP)$")
RE_FOOTER_OWNER = re.compile(r"主办(?:单位)?\s*[:：]\s*([^\s:：]+?)(?=\s+\S+[:：]|\s*$)")
RE_SUBTITLE = re.compile(r"^[—–-]{1,2}\s*\S")
#: A menu's item on a line of its own at the top of a copied page: 首页, |, 新闻中心, 党建动态 (2-5 characters,
#: no punctuation), or the separator between two.
RE_MENU_ITEM = re.compile(r"^(?:[\u4e00-\u9fff]{2,5}|[|｜>›»/·•]+)$")
MAX_MENU_ITEMS = 12
#: A column's label over the headline, a line of its own in brackets (【党建聚焦】, 【学习贯彻党的二十届三中全会精神】).
RE_COLUMN_LABEL = re.compile(r"^[【\[［〖][^【】\[\]［］〖〗]{2,24}[】\]］〗]$")
#: A news lead: 央视网消息(新闻联播): 新华社北京11月3日电(记者 张伟) 本报讯(记者 李明) 人民网北京3月5日电 —
#: the first paragraph's start, never a headline.
RE_NEWS_LEAD = re.compile(r"^[^\s,，。:：]{1,20}?(?:消息|(?<!通)讯|日电)\s*[(（:：]")  # 长篇通讯: is a headline
RE_NAME_LINE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
RE_CJK = re.compile(r"[\u3400-\u9fff]")
RE_BLANKS = re.compile(r"[ \t]+")


@dataclass
class CleanResult:
    text: str
    byline: list[str] = field(default_factory=list)
    title: str | None = None
    published: tuple[int, int, int] | None = None
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    script: str = "simplified"
    n_pinyin: int = 0
    opencc: str | None = None  # how the text writes 着 (opencc_config)
    known_title: str | None = None  # the headline the page's metadata gave, cleaned (clean_text's title)
    site_owner: str | None = None  # who runs the site, from its footer (主办:中共福州市鼓楼区委组织部)
    posted_from: str | None = None  # where a social-media post was sent from (发表于福建): a province


@cache
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


@cache
def _boilerplate_rules() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((first_char_lookahead(re.compile(pat, re.I)), action) for pat, action in load_table("boilerplate.tsv"))


@cache
def _credit_rules() -> tuple[re.Pattern, ...]:
    """The boilerplate rules that move a line to the byline (a credit, a source)."""
    return tuple(pat for pat, action in _boilerplate_rules() if action == "byline")


@cache
def _rules_for_line_starts() -> tuple[re.Pattern | None, tuple[tuple[re.Pattern, str], ...]]:
    """(a class of the characters a line must start with for any rule anchored at its start (^…) to match it,
    the rules that are not so anchored, in table order).

    Most lines of a body start with a character no such rule can: for them only the other rules are
    tried, which finds the same first match. None (no screen) when a rule's first character cannot be known.
    """
    rules = _boilerplate_rules()
    anchored = [anchored_at_start(rx) for rx, _action in rules]
    classes = [first_char_class(rx) for (rx, _action), at_start in zip(rules, anchored) if at_start]
    if None in classes:
        return None, rules
    screen = re.compile("^(?:" + "|".join(classes) + ")", re.I)
    return screen, tuple(rule for rule, at_start in zip(rules, anchored) if not at_start)


#: Full-width ASCII forms -> ASCII, wide spaces -> space, invisible characters -> nothing.
_WIDE_TO = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_WIDE_TO.update({ch: " " for ch in "\u3000\u00a0\u2002\u2003\u2009"})
_WIDE_TO.update({ch: "" for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad"})
RE_WIDE = re.compile("[" + "".join(re.escape(ch) for ch in _WIDE_TO) + "]")


def normalize_width(text: str) -> str:
    """Full-width ASCII forms to ASCII (，-> , ０-> 0), ideographic space to space, no invisibles.

    One str.replace per distinct character present: str.translate looks every character
    up in a dict and is four times slower on Chinese text.
    """
    for ch in set(RE_WIDE.findall(text)):
        text = text.replace(ch, _WIDE_TO[ch])
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: Toned annotations that show a text is annotated, so that its toneless ones (們(men)) go as well.
ANNOTATED_AT = 3


def strip_pinyin(text: str, annotated: bool = False) -> tuple[str, int]:
    """Remove pinyin annotations after characters; returns (text, how many were removed).

    A syllable with a tone mark goes (區(qū)); a toneless one (們(men), 的(de)) only in a text that has
    ANNOTATED_AT toned ones, or is known to be annotated (annotated=True): elsewhere (an), (PDF) are
    more likely than a neutral tone.
    """
    removed = 0
    toneless = annotated

    def repl(m: re.Match) -> str:
        nonlocal removed
        syl = m.group(1)
        if (toneless or _TONED.intersection(syl)) and RE_SYLLABLE.match(syl.translate(_TONE_BASE)):
            removed += 1
            return ""
        return m.group(0)

    while True:  # 區(qū)(qū): stacked annotations go too, so a second pass changes nothing
        before = removed
        text = RE_PINYIN.sub(repl, text)
        if removed == before:
            if toneless or removed < ANNOTATED_AT:
                return text, removed
            toneless = True  # once more, for the toneless ones


def to_simplified(text: str, config: str | None = None) -> str:
    """text in simplified characters (OpenCC), the variant forms of Hong Kong (衞 枱 敍: hk2s) and,
    where the text writes Taiwan's forms, of Taiwan (著 for 着: tw2s first) included.
    config: "tw2s" or "hk2s" to decide instead of the text (its body's, for a page's title)."""
    if (config or opencc_config(text)) == "tw2s":
        text = _converter("tw2s").convert(text)  # a Hong Kong form (衞) is left to hk2s
    return _converter("hk2s").convert(text)


@cache
def _regional_words() -> tuple[re.Pattern, dict[str, str]]:
    words = {row[0]: row[1] for row in load_table("regional_vocabulary.tsv")}
    return re.compile(alternation(words)), words


def mainland_vocabulary(text: str) -> str:
    """A traditional page's Taiwan and Hong Kong words, simplified, in the mainland's (释出 -> 发布, 专案 -> 项目,
    讯息 -> 消息, 社群 -> 社区), the longest first as OpenCC matches them. Only words the mainland hardly writes
    (regional_vocabulary.tsv, from OpenCC's own lists), so that a mainland article in traditional characters
    keeps its words (文件, 支援, 资料 are not changed back); and only where no word of the segmenter's
    dictionary runs across either end: 程式 stays in 化学方程式, 数位 in 多数|位于, 专案 in 专案组."""
    rx, words = _regional_words()
    if not rx.search(text):
        return text
    out, last = [], 0
    for m in rx.finditer(text):
        if stands_alone(text, m.start(), m.end()):
            out.append(text[last:m.start()])
            out.append(words[m.group()])
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def opencc_config(text: str) -> str | None:
    """Whose forms text writes: "tw2s" for Taiwan's (裡 where OpenCC and Hong Kong write 裏; or 著 and
    never 着), "hk2s" for the others' (着 or 裏), None where it shows neither (hk2s then)."""
    if "裡" in text or ("著" in text and "着" not in text):
        return "tw2s"
    return "hk2s" if "着" in text or "裏" in text else None


#: Ideographs as OpenCC reads them: radicals to CJK, compatibility ideographs, the planes of the extensions.
RE_IDEOGRAPH = re.compile("[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def _skip_non_ideographs(err: UnicodeEncodeError) -> tuple[str, int]:
    if RE_IDEOGRAPH.search(err.object, err.start, err.end):
        raise err
    return "?", err.end


codecs.register_error("dangjian-ideographs-only", _skip_non_ideographs)


def gb2312_ideographs_only(text: str) -> bool:
    """Is every ideograph of text in GB2312 (simplified characters; punctuation and Latin do not count)?

    Such a text is simplified and keep_simplified would leave all of it as it is: nothing to convert.
    The encoder is C, and gives up at the first other ideograph.
    """
    try:
        text.encode("gb2312", "dangjian-ideographs-only")
    except UnicodeEncodeError:
        return False
    return True


def keep_simplified(text: str, converted: str) -> str:
    """converted, except where a character of text is a simplified character already (in GB2312).

    For text that is simplified (detect_script), whose few traditional characters (a quoted
    page) must still change: OpenCC reads some simplified characters as traditional ones and
    would change them, 乾安县 to 干安县, 破坏土 to 破坯土. None of GB2312's characters is
    traditional-only but for rare variants (於 後 徵 夥), which a simplified text hardly writes.
    """
    if len(converted) != len(text) or converted == text:
        return converted
    out = list(converted)
    for i, (a, b) in enumerate(zip(text, converted)):
        if a != b and _in_gb2312(a):
            out[i] = a
    return "".join(out)


@cache
def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def detect_script(text: str, n_pinyin: int, converted: str | None = None) -> str:
    """simplified, traditional or traditional_pinyin: traditional when ≥ 5% of the Chinese characters
    are traditional ones, which change when simplified and are not in GB2312 (乾 in 乾安县 is not).

    converted: to_simplified(text), when the caller has it already.
    """
    sample = text[:20000]
    converted = converted if converted is not None and len(text) <= len(sample) else to_simplified(sample)
    if converted == sample:
        return "simplified"
    n_cjk = len(RE_CJK.findall(sample))
    if not n_cjk or len(converted) == len(sample) and not _traditional_share(sample, converted, n_cjk, 0.05):
        return "simplified"
    return "traditional_pinyin" if n_pinyin >= 3 else "traditional"


def _traditional_share(sample: str, converted: str, n_cjk: int, share: float) -> bool:
    """Whether at least share of n_cjk characters of sample change in converted (as long) and are not in GB2312.

    Counts only until the share is reached: in a traditional page that is within the first few lines,
    where counting the whole page took a tenth of the cleaning of the traditional pages.
    """
    changed = 0
    for a, b in zip(sample, converted):
        if a != b and not _in_gb2312(a):
            changed += 1
            if changed / n_cjk >= share:
                return True
    return False


def clean_text(raw: str, title: str | None = None) -> CleanResult:
    """Cleaned body, byline lines and page metadata of one raw text.

    title: the headline the page's metadata gives (its <title>, a JSONL record's title), if any.
    """
    text = strip_markup(raw)
    text, n_pinyin = strip_pinyin(text)
    config = opencc_config(text)
    if gb2312_ideographs_only(text):  # most simplified texts: what the lines below would give, faster
        simplified, script = text, "simplified"
    else:
        simplified = to_simplified(text, config)
        script = detect_script(text, n_pinyin, simplified)
        if script == "simplified":
            simplified = keep_simplified(text, simplified)
        else:
            simplified = mainland_vocabulary(simplified)
    lines = [ln.strip() for ln in RE_BLANKS.sub(" ", simplified).split("\n")]
    result = CleanResult(text="", script=script, n_pinyin=n_pinyin, opencc=config)
    body = _drop_boilerplate(lines, result)
    result.known_title = clean_field(title, result)
    body = _take_header(body, result, result.known_title)
    body = _take_inner_headline(body, result)
    if result.published is None:
        _take_closing_date(body, result)
    joined = "\n".join(_join_broken(body))
    # a paragraph broken right before an annotation (个\n(qū)) is joined only now: strip what that exposed,
    # so that cleaning its own output changes nothing
    result.text, n_exposed = strip_pinyin(joined, n_pinyin >= ANNOTATED_AT) if "(" in joined else (joined, 0)
    result.n_pinyin += n_exposed
    if "&" in result.text or "<" in result.text:  # markup that joining lines put together (&am|p;): gone too
        result.text = strip_markup(result.text, block="")
    return result


#: Markup a scraper left in a text field or a .txt file (JSONL corpora often keep it): entities, and tags
#: of blocks (a line break) and of inline styling (nothing). Only these tag names: <人民日报> stays.
RE_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,9}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")
RE_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:br|p|div|li|tr|td|h[1-6]|section|article|table|ul|ol)\b[^<>]{0,300}>", re.I)
RE_INLINE_TAG = re.compile(r"<\s*/?\s*(?:span|strong|b|i|em|font|a|img|u|sup|sub|small|big|label|center|o:p)\b[^<>]{0,300}>",
                           re.I)


def strip_markup(text: str, block: str = "\n") -> str:
    """text without the markup a scraper left (&ldquo;红墙先锋&rdquo;, &nbsp;, <br/>, <span …>), widths
    normalised (full-width letters and digits as ASCII), in NFC and without emoji; block tags become block
    (a line break). Repeated until nothing changes, so that cleaning its output again changes nothing
    (&amp;nbsp;)."""
    text = _normalized(text)
    for _ in range(MARKUP_ROUNDS):
        if "<" not in text and "&" not in text:
            break
        new = RE_INLINE_TAG.sub("", RE_BLOCK_TAG.sub(block, text)) if "<" in text else text
        if "&" in new:
            new = RE_ENTITY.sub(lambda m: html.unescape(m.group(0)), new)
        if new == text:
            break
        text = _normalized(new)
    return text


def _normalized(text: str) -> str:
    """Widths normalised, NFC, no emoji (🔥 鼓楼区…, 👇👇👇, 📌 往期推荐: social-media decoration, no text)."""
    text = unicodedata.normalize("NFC", normalize_width(text))
    return RE_EMOJI.sub("", text) if RE_EMOJI.search(text) else text


MARKUP_ROUNDS = 4
#: Pictographs and their modifiers (emoji): Unicode's emoji blocks, variation selector 16, zero-width joiner.
RE_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u26FF\u2700-\u27BF\uFE0F\u200D\u2B50\u2B06\u2B07\u2B05\u27A1]")


def clean_field(value: str | None, cleaned: CleanResult) -> str | None:
    """A page's metadata string (its <title>, a JSONL record's title, a publisher, an author) cleaned
    as its body was: widths, inline pinyin, script (the body's conversion), runs of blanks; None when
    nothing is left."""
    if not value:
        return None
    text, _n = strip_pinyin(unicodedata.normalize("NFC", normalize_width(value)), cleaned.n_pinyin >= ANNOTATED_AT)
    if cleaned.script != "simplified":
        simplified = mainland_vocabulary(to_simplified(text, cleaned.opencc or opencc_config(text)))
    elif gb2312_ideographs_only(text):
        simplified = text
    else:
        simplified = keep_simplified(text, to_simplified(text, cleaned.opencc or opencc_config(text)))
    return RE_BLANKS.sub(" ", simplified.replace("\n", " ")).strip() or None


def _drop_boilerplate(lines: list[str], result: CleanResult) -> list[str]:
    """Drop page furniture; move credits to the byline; keep the rest (blank lines kept as breaks)."""
    every_rule = _boilerplate_rules()
    screen, unanchored = _rules_for_line_starts()
    credits = _credit_rules()
    body: list[str] = []
    skip_mode = ""
    for line in lines:
        if skip_mode:
            # a credit ends a related-reading list (相关阅读 … 责任编辑:王芳): it is the article's own
            if _continues_block(line, skip_mode) and not any(pat.search(line) for pat in credits):
                continue
            skip_mode = ""
        rules = every_rule if screen is None or screen.match(line) else unanchored
        action = next((act for pat, act in rules if pat.search(line)), "")
        if not action:
            if line.endswith(END_MARKS):  # …交往交流交融。(完): the wire's end mark goes
                line = RE_END_MARK.sub("", line)
            body.append(line)
            credit = inline_credit(line)  # 本报讯（记者 王小明）…: the lead stays, its credit is a byline too
            if credit:
                _take_byline(credit, result)
            continue
        if action == "byline":
            _take_byline(line, result)
            if result.published is None and RE_DATELINE_DATE.search(line):
                _parse_dateline(line, result)
        elif action in ("drop_rest", "refs"):
            skip_mode = action
        owner = RE_FOOTER_OWNER.search(line)
        if owner:
            result.site_owner = result.site_owner or owner.group(1)
            result.publisher = result.publisher or owner.group(1)
    return body


END_MARKS = ("完)", "完）")
RE_END_MARK = re.compile(r"(?<=[。!?！？”」』])\s*[(（]完[)）]$")


def _continues_block(line: str, mode: str) -> bool:
    """Is this line still part of a related-reading list or a reference list?"""
    if not line:
        return True
    if mode == "refs":
        return bool(re.match(r"^\s*(\[\d+\]|\d+[.、．]\s*\S|［\d+］)", line))
    return len(line) <= 60 and not line.endswith("。")


def _take_byline(line: str, result: CleanResult) -> None:
    from pipeline.stages.bylines import parse_byline

    result.byline.append(line)
    for name, _title, is_author in parse_byline(line):
        if is_author and name not in result.authors:
            result.authors.append(name)
    src = RE_SOURCE.search(line)
    if src and not result.publisher and src.group(1) not in SELF_SOURCES:
        result.publisher = src.group(1)


def _take_header(lines: list[str], result: CleanResult, known: str | None = None) -> list[str]:
    """Headline and dateline at the top of the page become metadata; a menu's items above them go.

    known: the headline the page's metadata gives (cleaned): the line near the top that repeats it
    is the headline, whatever its length or the body's.
    """
    nonblank = [i for i, ln in enumerate(lines) if ln]
    repeated = next((i for i in nonblank[:MAX_MENU_ITEMS] if same_headline(lines[i], known)), None) if known else None
    if repeated is not None:
        menu = [i for i in nonblank if i < repeated and RE_MENU_ITEM.match(lines[i])]
    else:
        menu = list(itertools.takewhile(lambda i: RE_MENU_ITEM.match(lines[i]) is not None,
                                        nonblank[:MAX_MENU_ITEMS]))
        below = lines[nonblank[len(menu)]] if len(nonblank) > len(menu) else ""
        if menu and below and _parse_dateline(below, CleanResult(text="")):
            menu = menu[:-1] if lines[menu[-1]][0].isalpha() else []  # …, 党建动态, then 大美中国 over its dateline
        elif not (menu and _is_headline(below)):
            menu = []  # 首页 | 新闻中心 | 党建动态, a line each, then the headline
    labels = [i for i in nonblank[len(menu):len(menu) + 2] if RE_COLUMN_LABEL.match(lines[i])]
    nonblank = [i for i in nonblank if i not in menu and i not in labels]
    idx = nonblank[:4]
    consumed: set[int] = set(menu) | set(labels)
    for i, line in enumerate(lines):
        if (i in idx or RE_HEADER_LABEL.search(line)) and _parse_dateline(line, result):
            consumed.add(i)
    first = repeated if repeated is not None else next((i for i in idx if i not in consumed), None)
    after = "" if first is None else next(
        (ln for i, ln in enumerate(lines[first + 1:], first + 1) if ln and i not in consumed), "")
    if first is not None and (first == repeated or (
            _is_headline(lines[first]) and _has_body_after(lines, first)
            and not (after and (_breaks_off(lines[first], after) or _cannot_start(after))))):  # the first paragraph, broken
        result.title = RE_TITLE_LABEL.sub("", lines[first])  # 标题：汉台区开展…: the label goes
        consumed.add(first)
        nxt = next((i for i in nonblank if i > first and i not in consumed), None)
        if nxt is not None and nxt in idx and RE_SUBTITLE.match(lines[nxt]):
            consumed.add(nxt)
        elif nxt is not None and first != repeated and _second_headline_line(lines[nxt]) \
                and any(i > nxt for i in consumed & set(idx)):
            if RE_SITE_LINE.search(lines[first]):  # 澳门特别行政区政府新闻局 | 行政长官…视察…: the site, then the headline
                result.publisher = result.publisher or lines[first]
                result.title = lines[nxt]
            else:
                result.title = f"{lines[first]} {lines[nxt]}"  # the headline set on two lines over its dateline
            consumed.add(nxt)
        elif nxt is not None and first != repeated and _author_line(lines[nxt]) and any(i > nxt for i in consumed & set(idx)):
            consumed.add(nxt)  # 张小凤, alone between the headline and the dateline: the author
            result.byline.append(lines[nxt])
            if lines[nxt] not in result.authors:
                result.authors.append(lines[nxt])
        elif first != repeated and RE_SITE_LINE.search(result.title):  # 台中市政府新闻稿 | 发布日期…: no headline
            result.publisher = result.publisher or result.title
            result.title = None
    return [ln for i, ln in enumerate(lines) if i not in consumed]


#: A <title>'s site after the headline: 标题_北京市西城区人民政府, 标题 - 人民网, 标题|中国共产党新闻网 (then maybe
#: a channel before it: 标题_党建动态_西城区人民政府). Not after ——, which opens a headline's second part.
RE_SITE_SUFFIX = re.compile(r"\s*[_|｜\-–]\s*([^_|｜\-–—:：]{2,24}?(?:网|网站|政府|日报|晚报|报|新闻|客户端|频道|在线|门户|平台|"
                            r"电视台|融媒体中心|融媒))\s*$")
RE_CHANNEL_SUFFIX = re.compile(r"\s*[_|｜]\s*[\u4e00-\u9fff]{2,6}\s*$")


def split_site(title: str) -> tuple[str, str | None]:
    """(headline, site) of a page's <title>; (title, None) when it names no site after the headline."""
    m = RE_SITE_SUFFIX.search(title)
    if not m or len(title[:m.start()]) < 4:
        return title, None
    head = title[:m.start()]
    channel = RE_CHANNEL_SUFFIX.search(head)
    if channel and len(head[:channel.start()]) >= 4:
        head = head[:channel.start()]
    return head, m.group(1)


def same_headline(line: str, known: str) -> bool:
    """Is line the headline known from the page's metadata (which may add the site: 标题_中国共产党新闻网)?"""
    if line == known:
        return True
    if len(line) < 4 or not known.startswith(line):
        return False
    rest = known[len(line):].lstrip(" ")
    return rest[:1] in ("_", "|", "-", "–", "—", "｜")


#: Sources that name no one: the site or paper itself, the web (来源：本站).
SELF_SOURCES = frozenset(("本站", "本网", "本报", "本台", "本刊", "本网站", "网络", "原创", "互联网"))


#: WeChat's line under the headline: 2024-03-15 18:30 发表于福建 (the province of the poster's IP address).
RE_POSTED_FROM = re.compile(r"发表于\s*([\u4e00-\u9fff]{2,8})")


#: WeChat's line under the headline of an original post: 原创, the author's pen name, the account, the date, the
#: time and the province of the poster's IP address.
RE_WECHAT_HEAD = re.compile(r"^原创\s+(?:[^\s\d]{1,12}\s+)?(?P<account>[^\s\d]{2,16})\s+\d{4}\s*[-年/.]"
                            r"[^\s]*(?:\s+\d{1,2}:\d{2})?(?:\s+(?P<province>[\u4e00-\u9fff]{2,3}))?\s*$")


def _parse_dateline(line: str, result: CleanResult) -> bool:
    """A short line holding a date (and publisher, time, source): metadata, not body."""
    if len(line) > 80 or line.endswith("。"):
        return False
    m = RE_DATELINE_DATE.search(line)
    if not m:
        return False
    rest = RE_TIME.sub(" ", line[: m.start()] + " " + line[m.end():])
    src = RE_SOURCE.search(rest)
    author = RE_AUTHOR_FIELD.search(rest)
    leftover = RE_SOURCE.sub(" ", rest)
    leftover = RE_AUTHOR_FIELD.sub(" ", leftover)
    leftover = RE_HEADER_NOISE.sub(" ", leftover).strip(" |｜:：-")
    if len(RE_CJK.findall(leftover)) > 20:
        return False
    if result.published is None:
        if m["cn"]:
            result.published = _cn_date(m["cn"])
        elif m["roc"]:
            result.published = (int(m["roc"]) + ROC_EPOCH, int(m["roc_m"]), int(m["roc_d"]))
        else:
            result.published = (int(m[1]), int(m[2]), int(m[3]))
    posted = RE_POSTED_FROM.search(line)
    if posted and result.posted_from is None:
        result.posted_from = posted.group(1)
    wechat = RE_WECHAT_HEAD.match(line)
    if wechat:  # 原创 组工宣 绵阳组工 2025年06月12日 19:30 四川: the account publishes, from the province
        result.publisher = result.publisher or wechat["account"]
        result.posted_from = result.posted_from or wechat["province"]
    if src and not result.publisher and src.group(1) not in SELF_SOURCES:
        result.publisher = src.group(1)
    elif leftover and RE_PUBLISHER_SUFFIX.search(leftover.split()[0]) and not result.publisher:
        result.publisher = leftover.split()[0]
    if author:
        if line not in result.byline:
            result.byline.append(line)
        from pipeline.stages.bylines import parse_byline

        for name, _title, is_author in parse_byline(author.group(0)):  # 作者:记者 沈勇强 通讯员 吴丽萍
            if is_author and name not in result.authors:
                result.authors.append(name)
    return True


#: A line that is a date alone, as under a notice's signature or at the end of a press release: 2025年5月20日,
#: 2025年10月18日(星期六).
RE_WEEKDAY_SUFFIX = re.compile(r"\s*[(（]\s*(?:星期|周)[一二三四五六日天]\s*[)）]\s*$")
CLOSING_LINES = 3


def _take_closing_date(lines: list[str], result: CleanResult) -> None:
    """The date alone on one of the last lines (a notice's 中共某某县委组织部 | 2025年5月20日) is the publication
    date of a page whose header gives none. The line stays: it is the document's own (a letter's, a
    公告's), and a record's metadata date, where there is one, comes first."""
    for line in reversed([ln for ln in lines if ln][-CLOSING_LINES:]):
        line = RE_WEEKDAY_SUFFIX.sub("", line)
        if RE_DATELINE_DATE.fullmatch(line):  # a date alone: _parse_dateline takes it
            _parse_dateline(line, result)
            return


def _cn_date(text: str) -> tuple[int, int, int] | None:
    """二〇二四年十一月五日 -> (2024, 11, 5), by cn2an as the count and event stages read numerals;
    None for what is no numeral (十十月). An impossible date (二二月) is dropped where it becomes one."""
    import cn2an

    parts = re.split("[年月日]", text.replace("○", "〇"))[:3]
    try:
        return tuple(int(cn2an.cn2an(part, "smart")) for part in parts)
    except (ValueError, KeyError, TypeError, IndexError):  # what cn2an raises on non-numerals (as in counts)
        return None


def _is_headline(line: str) -> bool:
    return (4 <= len(line) <= 60 and not line.endswith(tuple(TERMINALS + ",:")) and not RE_ENUM_START.match(line)
            and not _has_full_stop(line) and not RE_NEWS_LEAD.match(line))


#: The label some sites set before the headline on its line.
RE_TITLE_LABEL = re.compile(r"^(?:标题|题目|文章标题)\s*[:：]\s*(?=\S)")
#: A line that names a site or a press office, not a headline: 澳门特别行政区政府新闻局, 台中市政府新闻稿.
RE_SITE_LINE = re.compile(r"(?:新闻局|新闻办|新闻办公室|新闻网|新闻稿|新闻中心|融媒体中心|政府网|日报|晚报|客户端|电视台)$")


def _second_headline_line(line: str) -> bool:
    """Can line, between the headline's first line and the dateline, be the headline's second line (儋州市那大镇:
    “椰乡先锋”联盟 | 让党建“红”转化为发展“绿”), or its first under a kicker? Not a name (the author's), a
    label's field (来源:…), a credit or an item."""
    return (_is_headline(line) and len(line) >= 6 and ":" not in line and not RE_HEADER_LABEL.search(line)
            and not RE_SUBTITLE.match(line) and not RE_COLUMN_LABEL.match(line)
            and not RE_PERSON_NAME.fullmatch(line) and not any(rule.search(line) for rule in _credit_rules()))


def _author_line(line: str) -> bool:
    """A person's name alone on its line: a surname and one or two characters (张小凤, 欧阳小凤; not 党建引领),
    or a name with · (艾尔肯·吐尔逊)."""
    from pipeline.stages.persons import _surnames

    if RE_PERSON_NAME.fullmatch(line) is None or word_tag(line):
        return False
    singles, doubles = _surnames()
    return "·" in line or (line[:2] in doubles and len(line) <= 4) or (line[0] in singles and len(line) <= 3)


def _has_full_stop(line: str) -> bool:
    """A full stop before the end: prose (a paragraph broken after its first sentence), never a heading."""
    return "。" in line[:-1]


def _has_body_after(lines: list[str], i: int) -> bool:
    return sum(len(ln) for ln in lines[i + 1:]) > 2 * len(lines[i])


def _take_inner_headline(lines: list[str], result: CleanResult) -> list[str]:
    """A second headline in the page: short line, '——subtitle', optional author line."""
    out: list[str] = []
    i = 0
    nonblank = [j for j, ln in enumerate(lines) if ln]
    following = {a: b for a, b in zip(nonblank, nonblank[1:])}
    skip: set[int] = set()
    for j in nonblank:
        sub = following.get(j)
        if j in skip or sub is None or not _is_headline(lines[j]) or len(lines[j]) > 30:
            continue
        if not RE_SUBTITLE.match(lines[sub]):
            continue
        skip.update((j, sub))
        if result.title is None:
            result.title = lines[j]
        name = following.get(sub)
        if name is not None and RE_NAME_LINE.match(lines[name]):
            skip.add(name)
            result.byline.append(lines[name])
            if lines[name] not in result.authors:
                result.authors.append(lines[name])
    for i, ln in enumerate(lines):
        if i not in skip:
            out.append(ln)
    return out


def _ends_sentence(para: str) -> bool:
    tail = para.rstrip(CLOSERS)
    return bool(tail) and (tail[-1] in TERMINALS or (tail != para and tail[-1] in "。!?！？"))


def _join_broken(lines: list[str]) -> list[str]:
    """Paragraphs, with those broken mid-sentence by blank lines joined again.

    A paragraph that ends without end punctuation continues in the next one when it runs
    on (_runs_on), unless the next one is a heading (short, no end punctuation) or an
    enumeration.
    """
    paras = [ln for ln in lines if ln]
    out: list[str] = []
    for para in paras:
        if out:
            prev = out[-1]
            heading_like = len(para) < 25 and not _ends_sentence(para) and not _has_full_stop(para)
            if (not _ends_sentence(prev) and prev[-1] not in ":：" and not heading_like
                    and not RE_ENUM_START.match(para) and _runs_on(prev, para)):
                out[-1] = prev + para
                continue
        out.append(para)
    return out


RE_CLAUSE_BREAK = re.compile("[,;，；]")
#: jieba's tags of words that cannot end a heading: prepositions, particles, conjunctions, adverbs,
#: pronouns, numerals, measure words, localisers (为|其他各类市场主体, 在|全区范围内).
NOT_HEADING_END_TAGS = ("p", "u", "c", "d", "r", "m", "q", "f")


def _runs_on(prev: str, para: str) -> bool:
    """Does prev, which ends without end punctuation, break off a sentence that para goes on with?

    Yes when prev is long, or _breaks_off says so.
    """
    return len(prev) >= 40 or _breaks_off(prev, para) or _cannot_start(para)


#: jieba's tags of words no paragraph starts with: particles (的 了 着 等), measure words of one character, suffixes.
CONTINUATION_TAGS = ("u", "q", "k")


def _cannot_start(para: str) -> bool:
    """Does para start with a word no paragraph starts with (|的工具, |名党员), or with a count that
    closes a clause (党群服务中心|142个,覆盖…)? Then it goes on a sentence."""
    if not RE_CJK.match(para):
        return para[:1].isdigit() and _re_count_closing().match(para) is not None
    word = segment(para[:8])[0]
    tag = word_tag(word)
    return tag.startswith(CONTINUATION_TAGS) and (len(word) == 1 or not tag.startswith("q"))  # not 美元|指数


#: Measure words after which a number at a paragraph's start can be the sentence's own (2022年,… 30岁时,…).
TIME_MEASURES = TIME_UNITS + ("岁",)


@cache
def _re_count_closing() -> re.Pattern:
    """A number, its measure word and the clause's end: 142个, 7.2万名。 (the counts stage's measure words)."""
    units = alternation(u for u in load_list("measure_words.txt") if u not in TIME_MEASURES)
    return re.compile(rf"\d+(?:\.\d+)?(?:余|多)?(?:万|亿)?(?:余|多)?(?:{units})(?:左右|以上)?[,，、。;；]")


def _breaks_off(prev: str, para: str) -> bool:
    """Does prev, whatever its length, show that it is part of a sentence that para goes on with?

    Yes when it ends with a comma, cuts a number, holds a full stop, opens with a news lead and goes
    on for a clause (央视网消息(新闻联播):明天(10月16日)出版的…; no heading does) or leaves a bracket or
    quote open (…——《区块链和); or when the break cuts a word (各类市|场主体, 世界互联网大会乌|镇峰会).
    After a clause break also when the word before the break cannot end a heading (…为|其他).
    Headings of three clauses are common in party writing (把握“先锋队”内涵,赓续传承红色基因,
    彰显新时代使命担当): a comma alone does not make a sentence.
    """
    if prev[-1] in ",;，；、" or _has_full_stop(prev) or _leaves_open(prev) or _cuts_number(prev, para):
        return True
    if RE_PROSE_OPENING.match(prev) or RE_REPORTED.search(prev) or (RE_DAY_END.search(prev) and RE_DAYTIME.match(para)):
        return True
    lead = RE_NEWS_LEAD.match(prev)
    if lead and len(prev) - _lead_end(prev, lead) >= LEAD_PROSE:
        return True
    if (prev[0] in "(（" and prev[-1] in ")）") or RE_ENUM_START.match(prev):
        return False
    if not (RE_CJK.match(prev[-1]) and RE_CJK.match(para[0])):
        return False
    clauses = RE_CLAUSE_BREAK.search(prev) is not None
    if clauses and RE_PROSE_WORDS.search(prev):
        return True
    tail = prev[-6:]
    words = segment(tail + para[:6])
    at = 0
    for word in words:
        at += len(word)
        if at >= len(tail):
            if at > len(tail):
                return clauses or _cuts_word(tail, word, at - len(tail))
            return clauses and word_tag(word).startswith(NOT_HEADING_END_TAGS)
    return False


#: A clause that opens a story's sentence, never a heading: a date or time and a comma (9月10日,
#: 昨天(4月3日), 去年12月以来, 当地时间6月21日), 近日, 据了解, 记者今天…从.
RE_PROSE_OPENING = re.compile(
    r"^(?:(?:(?:\d{4}|今|去|明)年)?\d{1,2}月(?:\d{1,2}日)?|\d{1,2}日|[今昨前明当]天|今年|去年|当日|近日|日前|近期|"
    r"近年来|目前|当前|随后|此前|当地时间|北京时间|截至[^,，。]{1,12})"
    r"(?:[(（][^()（）]{2,12}[)）])?(?:[上中下]午|晚上?|早上|凌晨|傍晚|夜间|以来|起|至今)?[,，]"
    r"|^据(?:了解|悉|介绍|统计|报道)[,，]|^记者(?:今天|昨天|近日|日前)?(?:[(（][^()（）]{2,12}[)）])?从")
#: A date cut from its time of day (当地时间6月21日|下午,).
RE_DAY_END = re.compile(r"\d{1,2}日$")
RE_DAYTIME = re.compile(r"(?:[上中下]午|晚上?|早上|凌晨|傍晚)")
#: Words of prose that headings of several clauses do without: 了 (not 为了), 等 closing a list, adverbs of
#: time and manner (连日来,官兵们通过电视、网络等多种形式深入学习|党的二十大精神).
RE_PROSE_WORDS = re.compile(r"(?<![为除])了|等(?:[多各一]|[\u4e00-\u9fff]{0,4}(?:形式|方式|领域|地区|国家|部门|单位))|通过|正在|已经|以及|并且|其中|目前|随着")
#: Reported speech (张又侠同志说, 报告指出,): a heading quotes with a colon.
RE_REPORTED = re.compile(r"[\u4e00-\u9fff](?:说|表示|指出|强调|认为|介绍|称)[,，]")
#: A news lead followed by this many characters on its line starts the story (央视网消息(新闻联播):明天(10月16日)
#: 出版的人民日报将发表); by fewer it can be the headline (央视网消息(新闻联播):江泽民伟大光辉的一生).
LEAD_PROSE = 12
#: Brackets and quotes a heading closes on its line.
PAIRS = ("《》", "“”", "()", "【】", "‘’", "「」", "『』")


def _lead_end(line: str, lead: re.Match) -> int:
    """Where the story starts in a line that opens with a news lead: after 央视网消息(新闻联播):,
    新华社北京5月11日电(记者 王小明), 本报讯:."""
    end = lead.end()
    if line[end - 1] in "(（":
        close = RE_CLOSE_PAREN.search(line, end)
        end = close.end() if close else end
    return end + 1 if line[end:end + 1] in (":", "：") else end


RE_CLOSE_PAREN = re.compile("[)）]")


def _cuts_number(prev: str, para: str) -> bool:
    """A number or a Latin word cut in two (武钢3|0多年来, C9|19大型客机, 植树5300|多万株)."""
    if prev[-1].isascii() and prev[-1].isalnum():
        return para[0].isascii() and para[0].isalnum() or (prev[-1].isdigit() and para[0] in "多余万亿")
    return False


def _leaves_open(line: str) -> bool:
    return any(line.count(a) > line.count(b) for a, b in PAIRS if a in line)


def _cuts_word(tail: str, word: str, ahead: int) -> bool:
    """Does the break cut a dictionary word (乌|镇), not end one word where the next begins?

    word runs from the end of tail into the next paragraph by ahead characters. A word the segmenter
    glues from unknown characters (贺电|拉乔利纳 -> 电拉乔利纳), a compound of two words (周年|纪念) or
    a word that takes the end of another (外长|沙伦赛 -> 长沙) does not count: a heading can end so.
    """
    left, right = word[:-ahead], word[-ahead:]
    if not word_tag(word) or (len(left) > 1 and word_tag(left)) or (len(right) > 1 and word_tag(right)):
        return False
    return segment(tail)[-1] == left
