"""Initiatives: named programmes and brands (EXTRACTION.md §3).

A quoted name is an initiative when the text around it says so:
    kind word after it        打造“长辛先锋”区域党建品牌      (strong)
    kind word ending it       实施“红墙先锋工程”             (strong)
    a copula to a kind word   “窗帘约定”本来是…的经典品牌     (strong)
    a programme verb before   首评“西融人才”                 (medium)
    a 以…为 frame              以“揭榜挂帅”大调研活动为引领    (medium)
and nothing vetoes it: party-line slogans (两个维护), virtues and ideas
(红墙意识, 政治领导力), numbered formulas (四个中心), quoted speech, generic
plurals (一系列“红色品牌”), meeting names (they belong to events).
"""

import re
from dataclasses import dataclass, field
from functools import cache

from pipeline.ids import name_id
from pipeline.lexicons import alternation, load_list, load_map
from pipeline.stages.spans import quote_spans, segment, word_tag
from schemas.document import Document, Sentence
from schemas.initiatives import Initiative

RE_BAD_CONTENT = re.compile(r"[,，。;；:：!?！？《》“”「」\"]")
RE_NUMBERED = re.compile(r"^[两二三四五六七八九十百]+个")
RE_GENERIC_BEFORE = re.compile(r"(一系列|一批|各类|各种|系列|多个|一些|这些|若干)$")
RE_MEETING_NAME = re.compile(r"(会议|大会|会)$")
#: Kind words that make a programme of the name before them (“玉林之家”党群服务中心), not of a name they end: a
#: quoted “城西区市民服务中心” is a building.
AFTER_ONLY = frozenset(("服务中心", "党群服务中心"))
#: A manner, not a name: “一站式”服务中心, 新时代“枫桥式”派出所, “组团式”帮扶 (but 模式, 方式, 仪式 are words).
RE_MANNER = re.compile(r"(?<![模方形仪程])式$")
RE_PUNCT = re.compile(r"[,，。;；:：!?！？、“”‘’「」『』\"()（）]")
#: How far before a quote a trigger verb may stand: 打造营商服务“先丰港”.
MAX_MODIFIER = 6


@dataclass
class _Mention:
    name: str
    start: int  # offset of the name (without quotes) in the sentence
    kind: str
    strength: str
    aliases: set[str] = field(default_factory=set)
    method: str = ""


@cache
def _kinds() -> dict[str, str]:
    return load_map("initiative_kinds.tsv")


@cache
def _patterns() -> dict[str, re.Pattern]:
    kinds = alternation(_kinds())
    triggers = alternation(load_list("initiative_triggers.txt"))
    speech = alternation(load_list("speech_verbs.txt"))
    frames = alternation(load_list("initiative_frames.txt"))
    return {
        "kind_end": re.compile(rf"({kinds})$"),
        "trigger": re.compile(rf"({triggers})(?P<mod>[\u4e00-\u9fff]{{0,{MAX_MODIFIER}}})$"),
        "speech": re.compile(rf"({speech})[了过]?$"),
        "frame_pre": re.compile(r"以[\u4e00-\u9fff]{0,8}$"),
        "frame_post": re.compile(rf"^[^,，。;；]{{0,24}}?为(?:{frames})"),
        "copula": re.compile(rf"^(?:本来|本身|就|也|正)?是[^,，。;；]{{0,24}}?({kinds})(?=$|[,，。;；、的])"),
    }


@cache
def _slogans() -> frozenset[str]:
    return frozenset(load_list("slogans.txt"))


@cache
def _virtue_end() -> re.Pattern:
    return re.compile(rf"({alternation(load_list('virtue_suffixes.txt'))})$")


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(load_list("stop_words.txt"))


def extract_initiatives(doc: Document) -> list[Initiative]:
    """One row per initiative per article, in order of first mention."""
    found: dict[str, tuple[_Mention, Sentence]] = {}
    for sent in doc.sentences:
        for men in _sentence_mentions(sent.text):
            key = men.name
            if key in found:
                found[key][0].aliases |= men.aliases
            else:
                found[key] = (men, sent)
    for sent in doc.title_sentences:  # a programme the headline alone names (“三个一”工作法激活红色细胞)
        for men in _sentence_mentions(sent.text):
            if _headline_programme(men) and not any(men.name == k or men.name in m.aliases for k, (m, _s) in found.items()):
                found[men.name] = (men, sent)
    merged = _merge_aliases(found)
    _add_quoted_stems(merged, doc)
    text = doc.article.text
    rows = []
    for men, sent in merged:
        a = sent.start + men.start
        forms = sorted({men.name, *men.aliases}, key=len, reverse=True)
        source = (doc.article.title or "") if sent.field == "title" else text
        rows.append(Initiative(
            article_id=doc.article.article_id, sentence_index=sent.index, char_start=a, char_end=a + len(men.name),
            sentence=sent.text, text=source[a:a + len(men.name)], method=men.method, source_field=sent.field,
            initiative_id=name_id("initiative", men.name), name=men.name,
            aliases=sorted(men.aliases - {men.name}), kind=men.kind,
            owner=_owner(sent.text, men.start, doc.article.district or ""),
            mentions=max(1, _count_mentions(text, forms)),
        ))
    return rows


def _headline_programme(men: _Mention) -> bool:
    """Whether a quote of a headline the body does not name is a programme: its kind is written (“三个一”工作法,
    “山水工程”), and it is no topic that opens with a verb (围绕“完善科技成果评价机制”协商议政). Headlines quote
    more freely than bodies (擦亮“千年敦煌”, 古城保护“新样本”), and give no sentence around the quote."""
    return men.kind != "other" and men.method in ("initiatives.kind_after", "initiatives.kind_inside") \
        and not word_tag(segment(men.name)[0]).startswith("v")


def _sentence_mentions(s: str) -> list[_Mention]:
    quotes = quote_spans(s)
    groups = _list_groups(s, quotes)
    out = []
    for (a, b, content), (first_a, last_b) in zip(quotes, groups):
        men = _judge(s, a, b, content, first_a, last_b)
        if men is not None:
            out.append(men)
    return out


def _list_groups(s: str, quotes):
    """For each quote, the start of its list's first quote and the end of its last one.

    “小社区撬动大部委”、“立体化党建四合院”等…品牌: both share the words after the list. A list is a run of
    quotes each right after the one before or after a 、 (a quote inside another is no next item); one pass
    each way (a walk per quote took the square of a list's length).
    """
    n = len(quotes)
    if n < 2:  # most sentences
        return [(a, b) for a, b, _c in quotes]
    follows = [i > 0 and quotes[i - 1][1] <= quotes[i][0] and s[quotes[i - 1][1]:quotes[i][0]] in ("", "、")
               for i in range(n)]
    firsts, first = [], 0
    for i in range(n):
        first = first if follows[i] else i
        firsts.append(quotes[first][0])
    lasts, last = [0] * n, n - 1
    for i in range(n - 1, -1, -1):
        last = last if i + 1 < n and follows[i + 1] else i
        lasts[i] = quotes[last][1]
    return list(zip(firsts, lasts))


def _judge(s: str, a: int, b: int, content: str, first_a: int, last_b: int) -> _Mention | None:
    if not 2 <= len(content) <= 20 or RE_BAD_CONTENT.search(content) or content in _slogans():
        return None
    if RE_MEETING_NAME.search(content) or RE_MANNER.search(content):
        return None
    pats = _patterns()
    pre = _clause_before(s, first_a)
    post = s[last_b:last_b + 30]
    if pats["speech"].search(pre) or RE_GENERIC_BEFORE.search(pre) or RE_HONOUR_AFTER.match(post):
        return None
    kind_after, after_phrase = _kind_after(post)
    copula = pats["copula"].match(s[b:b + 30])
    inside = pats["kind_end"].search(content)
    inside = inside if inside and len(content) > len(inside.group(1)) and inside.group(1) not in AFTER_ONLY else None
    trig = pats["trigger"].search(pre)
    trigger = bool(trig and "的" not in trig.group("mod") and "地" not in trig.group("mod"))
    frame = bool(pats["frame_pre"].search(pre) and pats["frame_post"].match(s[last_b:]))
    strong = kind_after or copula or inside
    if not strong and not (trigger or frame):
        return None
    if re.fullmatch(r"[\d.+\-]+", content) and not kind_after:
        return None  # a bare number in quotes is a name only with its kind word: “135”工作法
    if not (kind_after or copula):
        if _virtue_end().search(content) or (RE_NUMBERED.match(content) and not inside):
            return None
        if re.search(r"[\s、]", content) and not inside:
            return None
    kind = kind_after or (copula and _kinds()[copula.group(1)]) or (inside and _kinds()[inside.group(1)]) or "other"
    method = "initiatives." + ("kind_after" if kind_after else "copula" if copula else "kind_inside" if inside
                               else "trigger" if trigger else "frame")
    aliases = {content + after_phrase} if kind_after and last_b == b else set()
    return _Mention(name=content, start=a + 1, kind=kind, strength="strong" if strong else "medium",
                    aliases=aliases, method=method)


#: What follows the name of an honour, not of a programme: “优秀共产党员”“先进基层党组织”评选表彰活动, 荣获“全国
#: 文明单位”称号.
RE_HONOUR_AFTER = re.compile(r"(?:和|及)?(?:荣誉)?(?:称号|评选|表彰|奖章|荣誉|提名奖|候选)")


def _clause_before(s: str, a: int) -> str:
    head = s[max(0, a - 16):a]
    cut = max((m.end() for m in RE_PUNCT.finditer(head)), default=0)
    return head[cut:]


def _kind_after(post: str) -> tuple[str, str]:
    """The kind of a kind word closing the phrase after a quote: “五力”机制 -> mechanism."""
    text = post
    if text.startswith("等"):
        text = text[1:]
    phrase = ""
    kinds = _kinds()
    for i, tok in enumerate(segment(text[:20])):
        if i >= 6 or RE_PUNCT.match(tok) or tok in _stop_words() or tok.startswith(("“", "「", '"')):
            break
        phrase += tok
        for kw in sorted(kinds, key=len, reverse=True):
            if phrase.endswith(kw):
                return kinds[kw], phrase if not post.startswith("等") else ""
    return "", ""


def _merge_aliases(found: dict[str, tuple[_Mention, Sentence]]) -> list[tuple[_Mention, Sentence]]:
    """红墙先锋 is an alias of 红墙先锋工程 in the same article: keep the fuller name."""
    names = sorted(found, key=len, reverse=True)
    absorbed: set[str] = set()
    kinds = _kinds()
    for short in names:
        for full in names:
            if full == short or full in absorbed or not full.startswith(short):
                continue
            if full[len(short):] in kinds:
                found[full][0].aliases.add(short)
                found[full][0].aliases |= found[short][0].aliases
                absorbed.add(short)
                break
    kept = [found[n] for n in found if n not in absorbed]
    return sorted(kept, key=lambda ms: (ms[1].field != "title", ms[1].start + ms[0].start))  # the headline first


def _add_quoted_stems(merged, doc: Document) -> None:
    """A quoted stem elsewhere (“红墙先锋”) is an alias of 红墙先锋工程."""
    quoted = {c for sent in doc.sentences for _a, _b, c in quote_spans(sent.text)}
    kinds = _kinds()
    for men, _sent in merged:
        m = _patterns()["kind_end"].search(men.name)
        if m and men.name[: m.start()] in quoted and len(men.name[: m.start()]) >= 2 and m.group(1) in kinds:
            men.aliases.add(men.name[: m.start()])


def _count_mentions(text: str, forms: list[str]) -> int:
    """Non-overlapping mentions of any of the forms, leftmost first and the longest where several start
    there (what a regex alternation of them finds, without compiling one per initiative and article:
    ~0.1 s a batch of 2,500 articles, none of them cached)."""
    if len(forms) == 1:
        return text.count(forms[0])  # most initiatives: no alias
    nxt = {f: text.find(f) for f in set(forms) if f}  # each form's next occurrence at or after the cursor
    n = 0
    while live := [(i, -len(f)) for f, i in nxt.items() if i >= 0]:
        i, neg_len = min(live)
        n, end = n + 1, i - neg_len
        for f, j in nxt.items():
            if 0 <= j < end:
                nxt[f] = text.find(f, end)
    return n


@cache
def _org_suffixes() -> tuple[str, ...]:
    return tuple(sorted(load_list("org_suffixes.txt"), key=len, reverse=True))


def _owner(s: str, start: int, district: str) -> str:
    """The body heading the clause that runs it (区委组织部首评“西融人才”), else the district."""
    from pipeline.stages.spans import _is_stop, _noun_like

    clause_start = max((m.end() for m in re.finditer(r"[,，。;；:：!?！？“”]", s[:start - 1])), default=0)
    best = ""
    prefix = ""
    for tok in segment(s[clause_start:max(clause_start, start - 1)]):
        if _is_stop(tok) or not _noun_like(tok):
            break
        prefix += tok
        if prefix.endswith(_org_suffixes()) and len(prefix) >= 2:
            best = prefix
    return best or district
