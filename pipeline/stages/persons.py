"""Persons: named people with the title the article gives them (EXTRACTION.md §5).

Mentions are found over the pipeline's word tokens (pipeline.nlp runs this as a
spaCy component):
    title before the name     区委副书记、区长|郅海杰      -> title 区委副书记、区长
    a list after one title    区领导|张晓家、江岚、于家明   -> each with 区领导
    a list closed by 等        刘晓东、孙丽、周强|等代表     -> each, no title
    title after the name      习近平|总书记
    a name in dotted parts    县长|买买提江·阿不都拉, ，热依拉·吐尔逊|向…   (with a title or an act after it)
    a name without a surname  区委书记|扎西次仁|主持                       (Tibetan, Mongolian names)
    a known name alone        李大钊 (jieba's dictionary tags it as a person name)
    bylines and author notes  文/北京青年报记者 解丽         (pipeline.stages.bylines)
One row per name and article, with the fullest title it is given.
"""

import re
from dataclasses import dataclass
from functools import cache

from pipeline.ids import name_id
from pipeline.lexicons import alternation, load_divisions, load_list
from pipeline.stages.bylines import parse_byline
from pipeline.stages.spans import segment, stands_alone, word_tag
from schemas.document import Document, Sentence
from schemas.persons import Person

NAME_TAGS = ("", "nr", "nrfg", "nrt")
GIVEN_TAGS = ("", "nr", "nrfg", "nrt", "ns", "g", "ng", "nz")
TITLE_CONNECTORS = {"、", "副", "常务", "中共", "党组", "党委", "兼"}
#: Connectors that begin the title after them (副总统), kept where a title phrase starts with them.
TITLE_PREFIXES = {"副", "常务"}
TITLES_AFTER_NAME = ("同志",)  # plus pipeline/resources/titles_after_name.txt
#: Function characters the segmenter sometimes glues to a two-character name.
GLUED = set("在和说是与对向为将把被从也都就作摄")
#: Verbs of saying and going the segmenter glues to a name it does not know (罗戈津称, 张伟到|社区, 李明赴|京, 王强率|队),
#: and the day of Taiwan's press releases (卢秀燕今|(12)日, 昨|(11)日).
GLUED_MOVES = set("称到赴率今昨")
#: Of those, the ones that also end given names often (胡文和, 朱有为): a name keeps them when the word is a name.
GIVEN_TOO = set("和与为")
#: Surnames that are far more often function words: after a title they start no name unless the
#: dictionary knows the given name's tag (由|武术|、 is not a person).
FUNCTION_SURNAMES = set("由向从与将把对为及也还都就在和同")
#: Last characters of groups, offices and papers, not of names (宣讲团, 工作组, 筹备会, 居住证).
NOT_NAME_END = set("团组会部局办厅院处科所站队委社班协证")
#: Dictionary tags of a word that begins no body's name after a person's (北京: ns; 同: p).
NOT_BODY_TAGS = ("ns", "p", "c", "u", "d", "r", "m", "t", "f")
#: Characters of the clause around a title phrase, never of the body in it (这是|重庆市…检察官: 这是 is unknown to
#: jieba, as a body's own name often is).
CLAUSE_CHARS = frozenset("这那是的了着过在和与及或被把将从对向为也都就还又再才即")
#: Last characters of a body or a meeting, never of a name of three characters or more (高峰会 is nr in jieba);
#: not 科 社 所 of NOT_NAME_END (卢卡申科, 鹿心社).
BODY_ENDS = NOT_NAME_END - set("科社所")
#: Characters that end no given name standing alone after a two-character word (艾笑|那|是, 干部|应),
#: besides those of GLUED.
NOT_GIVEN = set("已不没未曾均亦仍致做那这的了着过又再才却便并而则但给让叫使讲问看想去来到上下里中内外前后时们个位名人之其各每某本该此应会能要可")
RE_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
#: What separates the parts of a transliterated name (艾尔肯·吐尼亚孜, 弗拉基米尔·普京): the middle dot and
#: the look-alikes that traditional-script and Japanese-set pages use.
NAME_DOTS = "·•・‧∙"
RE_DOTTED = re.compile(rf"[\u4e00-\u9fff][{NAME_DOTS}][\u4e00-\u9fff]")
DOT_TO_MIDDLE = str.maketrans({d: "·" for d in NAME_DOTS})
#: Longest part of a dotted name; shortest and longest name without a surname after a title (那顺乌力吉).
MAX_PART, FREE_LEN = 8, (2, 5)
#: Most dots in a name (胡安·卡洛斯·德·波旁 has three).
MAX_DOTS = 5
#: Dictionary tags of the words a name without a surname is made of (扎西: ns, 次仁: unknown, 乌力吉: nr).
FREE_TAGS = ("", "nr", "nrt", "nrfg", "ns")
#: Dictionary tags of words (two characters or more) that are no part of a dotted name: verbs, adverbs,
#: function words, numbers, times (single characters are often syllables of one: 吐 v, 拉 v).
NOT_PART_TAGS = ("v", "d", "p", "c", "u", "m", "q", "r", "f", "t", "a", "y", "e", "o", "l", "i")
#: Characters glued to the end of a transliterated name by the segmenter (阿费沃|基对, 约翰逊|为众).
GLUE = GLUED - set("都和与") | set("称当到随时")  # not 都 和 与: syllables of names too (阿不都)
#: Tags of single characters that are no syllable of a dotted name (以|杰克·佩里: p).
FUNCTION_TAGS = ("p", "c", "u", "r", "d", "y")
#: Last characters of common nouns for people (人士, 协调员, 顾问): such a word before a dotted name is
#: its title, not its first part.
PERSON_NOUN_ENDS = set("员士师长者家人官手问")


@dataclass(frozen=True)
class PersonMention:
    name: str  # as written: the evidence (艾尔肯‧吐尼亚孜 on a traditional page)
    start: int  # offsets into the text the tokens came from
    end: int
    title: str
    method: str

    @property
    def person_name(self) -> str:
        """The name as the persons table and event participants write it: a dotted name with the middle dot,
        whatever look-alike the page used (one person, one name)."""
        return self.name.translate(DOT_TO_MIDDLE)


@cache
def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    names = load_list("surnames.txt")
    return frozenset(n for n in names if len(n) == 1), frozenset(n for n in names if len(n) == 2)


@cache
def _titles() -> frozenset[str]:
    return frozenset(load_list("title_words.txt"))


@cache
def _title_end() -> re.Pattern:
    return re.compile(rf"({alternation(load_list('title_words.txt'))})$")


@cache
def _org_end() -> re.Pattern:
    return re.compile(rf"({alternation(load_list('org_suffixes.txt'))})$")


@cache
def _landmark_ends() -> frozenset[str]:
    return frozenset(load_list("landmark_suffixes.txt"))


@cache
def _place_names() -> frozenset[str]:
    names = set()
    for d in load_divisions():
        names.add(d.name)
        if len(d.short) >= 2:
            names.add(d.short)
    return frozenset(names)


@cache
def _world_places() -> frozenset[str]:
    """Countries and cities of the world (JioNLP's world_location.txt)."""
    import importlib.util
    from pathlib import Path

    # Locate JioNLP's data without importing it (its import prints a banner and costs 0.7 s).
    spec = importlib.util.find_spec("jionlp")
    path = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "world_location.txt"
    text = path.read_text(encoding="utf-8")
    places = set()
    for line in text.splitlines():
        for field in line.split("\t"):
            places.update(p for p in field.split("/") if p and not p.endswith(":"))
    return frozenset(places)


@cache
def _place_shorts() -> frozenset[str]:
    return frozenset(d.short for d in load_divisions() if len(d.short) >= 2 and d.level != "town")


@cache
def _anchors() -> tuple[re.Pattern, frozenset[str], frozenset[str]]:
    """One trie scan finds every anchor: title words, words after names, name-list joiners."""
    titles = frozenset(load_list("title_words.txt"))
    after = frozenset(load_list("titles_after_name.txt")) | frozenset(load_list("person_cues.txt"))
    return re.compile(alternation(titles | after | {"、", "和", "与"})), titles, after


def _anchor_hits(sentence: str):
    """Anchor matches with the shape a route needs around them (title+surname, surname…cue, name、name)."""
    rx, titles, after = _anchors()
    singles, doubles = _surnames()

    def surname_at(i: int) -> bool:
        return i < len(sentence) and (sentence[i] in singles or sentence[i:i + 2] in doubles)

    for m in rx.finditer(sentence):
        word, a, b = m.group(0), m.start(), m.end()
        if word in titles and (surname_at(b) or _free_name_ahead(sentence, b)):
            yield m
        elif word in after and any(surname_at(i) for i in range(max(0, a - 4), a - 1)):
            yield m
        elif word in ("、", "和", "与") and surname_at(b) and any(surname_at(i) for i in range(max(0, a - 3), a - 1)):
            yield m


def _free_name_ahead(sentence: str, b: int) -> bool:
    """A name without a surname can follow a title at b: a clause mark or a word that ends names comes
    two to five characters later (区委书记|扎西次仁|主持)."""
    enders = _enders()
    for k in range(b + FREE_LEN[0], min(len(sentence), b + FREE_LEN[1]) + 1):
        if k == len(sentence) or sentence[k] == "、" or RE_CLAUSE_MARK.match(sentence, k) \
                or sentence[k:k + 2] in enders or sentence[k] in enders:
            return True
    return False


RE_CLAUSE_MARK = re.compile(r"[,，。;；:：!?！？“”()（）]")
#: How far a window reaches: back to the clause start (a title phrase never crosses it), ahead past the name.
WINDOW_BACK, WINDOW_AHEAD = 48, 10


#: A cadre's profile: a name after no ideograph, then its sex between commas (陈建国,男,汉族,…,现任…).
RE_PROFILE = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,4}[,，][男女][,，]")
#: How far a profile's window runs from its name (birth, nation, party, schooling, then 现任 and the post).
PROFILE_WINDOW = 160


def person_windows(sentence: str) -> list[tuple[int, int]]:
    """Merged (start, end) windows of a sentence around every place a person can be named.

    A window runs from the start of the clause (at most WINDOW_BACK characters back, so a
    title phrase like 青海省西宁市城西区区委书记 is whole) to WINDOW_AHEAD past the match.
    """
    spans: list[tuple[int, int]] = []
    for m in _anchor_hits(sentence):
        floor = max(0, m.start() - WINDOW_BACK)
        marks = [c.end() for c in RE_CLAUSE_MARK.finditer(sentence, floor, m.start())]
        start = marks[-1] if marks else floor
        stop = RE_CLAUSE_MARK.search(sentence, m.end(), m.end() + WINDOW_AHEAD)
        end = stop.start() if stop else min(len(sentence), m.end() + WINDOW_AHEAD)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    # a cadre's profile runs over clauses, from the name to the post held now
    profiles = [(m.start(), min(len(sentence), m.start() + PROFILE_WINDOW)) for m in RE_PROFILE.finditer(sentence)] \
        if "男" in sentence or "女" in sentence else []
    dotted = [m.start() + 1 for m in RE_DOTTED.finditer(sentence)] if any(d in sentence for d in NAME_DOTS) else []
    if not dotted and not profiles:
        return spans
    spans += profiles
    for dot in dotted:  # a dotted name, with or without a title before it
        floor = max(0, dot - WINDOW_BACK)
        marks = [c.end() for c in RE_CLAUSE_MARK.finditer(sentence, floor, dot)]
        spans.append((marks[-1] if marks else floor, min(len(sentence), dot + 1 + MAX_PART + 4)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def find_person_mentions(text: str, tokens: list[tuple[str, int]]) -> list[PersonMention]:
    """Person mentions of one text, given its word tokens as (word, char offset)."""
    if "长" in text:
        tokens = _chief_unglued(text, tokens)
    if "等" in text:
        tokens = _deng_unglued(tokens)
    out: list[PersonMention] = []
    taken: set[int] = set()
    i = 0
    while i < len(tokens):
        word, idx = tokens[i]
        whole = _title_end().search(word)
        split = not whole and len(word) == 1 and i > 0 and _title_end().search(tokens[i - 1][0] + word)
        if (whole or split) and i + 1 < len(tokens):
            # 社区网格|员|李娜: the segmenter cut the title word in two
            title = _title_before(tokens, i - 1, taken) + word if split else _title_before(tokens, i, taken)
            j = i + 1
            while True:
                got = _name_at(tokens, j)
                if got is None:
                    break
                name, k = got
                start = tokens[j][1]
                out.append(PersonMention(name, start, start + len(name), title, "persons.title_before"))
                taken.update(range(j, k))
                if k + 1 < len(tokens) and tokens[k][0] == "、" and _next_in_list(tokens, k + 1):
                    j = k + 1
                    continue
                break
        i += 1
    if "等" in text:  # the lists closed by 等
        out += _name_list(tokens, taken)
    if any(d in text for d in NAME_DOTS):
        out += _untitled_dotted(tokens, taken)
    for i, (word, idx) in enumerate(tokens):
        if i in taken:
            continue
        if i and tokens[i - 1][0].endswith((*APPOINTING, *REMOVING)) and (listed := _appointed_list(tokens, i)):
            out += listed[0]
            taken.update(range(i, listed[1]))
            continue
        first = i  # the name's first token
        if len(word) == 2 and i and len(tokens[i - 1][0]) == 1 and _split_surname(tokens, i, taken):
            first, word, idx = i - 1, tokens[i - 1][0] + word, tokens[i - 1][1]  # 丁|薛祥|指出: the surname cut off
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        appointing = first > 0 and tokens[first - 1][0].endswith(APPOINTING)
        if len(word) >= 2 and _starts_with_surname(word) and word_tag(word) in NAME_TAGS and nxt in _titles_after() \
                and (word_tag(word) != "" or len(word) <= 3) and _is_name_word(word) \
                and not (appointing and _glued_wei(word)):  # 提名|刘洋为|区长|候选人: no 刘洋为, no 区长
            title, method = nxt, "persons.title_after"
            if nxt in ("同志", "先生", "女士"):  # 李华同志|任|…: the post of a frame after it, if any
                title, frame = _post_frame(tokens, i + 2, first)
                method = frame if frame == "persons.removed" else method
            out.append(PersonMention(word, idx, idx + len(word), title, method))
        elif nxt in ",，" and _profile_at(tokens, first, i, word):  # 陈建国,男,汉族,…,现任…: a cadre's profile
            out.append(PersonMention(word, idx, idx + len(word), _current_post(tokens, i + 1), "persons.profile"))
        elif nxt == "同志" and 2 <= len(word) <= 3 and _starts_with_surname(word) and word_tag(word) in NAME_TAGS \
                and RE_CJK_ONLY.match(word) and _is_name_word(word, judge_parts=False) \
                and (frame := _post_frame(tokens, i + 2, first))[0]:  # 张伟同志|不再担任…: 伟 alone is a word
            out.append(PersonMention(word, idx, idx + len(word), *frame))
        elif nxt in FRAME_STARTS and 2 <= len(word) <= 3 and _starts_with_surname(word) and word_tag(word) in NAME_TAGS \
                and RE_CJK_ONLY.match(word) and _clean_start(tokens, first) and _is_name_word(word, judge_parts=False) \
                and (frame := _post_frame(tokens, i + 1, first))[0]:  # the frame is strong: 王强 (强 a) is a name
            out.append(PersonMention(word, idx, idx + len(word), *frame))
        elif len(word) == 3 and word_tag(word) in ("nr", "nrfg") and _is_name_word(word):
            if nxt in _cues() or _in_name_list(tokens, i):
                out.append(PersonMention(word, idx, idx + len(word), "", "persons.lexicon"))
        elif nxt in _cues() and 2 <= len(word) <= 3 and word_tag(word) == "" and RE_CJK_ONLY.match(word) \
                and _is_name_word(word) and not _prev_is_title_ish(tokens, first):
            out.append(PersonMention(word, idx, idx + len(word), "", "persons.cue"))
    return sorted(_claimed_titles_dropped(text, out), key=lambda m: m.start)


def _deng_unglued(tokens: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """tokens with 等 cut out of a word the segmenter does not know (主任|格桑等区|领导 -> 格桑|等|区): a name
    before the 等 that closes a list of leaders."""
    out = []
    for word, at in tokens:
        k = word.find("等", 2)
        if k > 0 and word_tag(word) == "" and RE_CJK_ONLY.match(word):
            out += [(word[:k], at), ("等", at + k)] + ([(word[k + 1:], at + k + 1)] if word[k + 1:] else [])
        else:
            out.append((word, at))
    return out


#: A place's last character that makes its chief's title with 长 (武汉|市|长 -> 市长, 县长, 区长, 州长).
CHIEF_OF = "市县区州"
#: Last characters of a place named after another (蒙阴县|长明村, 长江大桥 is ns): no chief's name.
PLACE_ENDS = frozenset("村镇乡街路区县市州省山河湖江港湾岛桥站园寺楼门")


def _chief_unglued(text: str, tokens: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """tokens with a chief's title the segmenter glued to the place before it taken out again, where a name follows:
    武汉市|长程|用文 -> 武汉|市长|程用文, 台中市|长卢秀燕今 -> 台中|市长|卢秀燕|今. Not a place after a place
    (武汉市|长江大桥, 北京市|长安街, 蒙阴县|长明村), nor where no name follows (上海市|长期|以来)."""
    for i in range(len(tokens) - 1):
        place, (word, at) = tokens[i][0], tokens[i + 1]
        if not (word[0] == "长" and len(place) >= 3 and place[-1] in CHIEF_OF and word_tag(place).startswith("ns")
                and not word_tag(word).startswith("ns") and word[-1] not in PLACE_ENDS):
            continue
        rest = [(w, at + 1 + offset) for w, offset in tokens_of(segment(text[at + 1:]))]
        trial = tokens[:i] + [(place[:-1], tokens[i][1]), (place[-1] + "长", at - 1)] + rest
        if _name_at(trial, i + 2) is not None:
            return trial
    return tokens


#: Verbs of taking up a post between a name and the post (王强同志任区委组织部部长, 任命王强为…部长).
APPOINT_VERBS = frozenset(("任", "担任", "出任", "兼任", "当选", "当选为", "为"))
#: Before the name, what makes 为 an appointment (任命王强为…), not a purpose (王强为群众办实事).
APPOINTING = ("任命", "提名", "推选", "选举", "推荐", "决定")
#: Before a name, what removes it from a post (免去王强的区委组织部部长职务): the post is the title the article gives.
REMOVING = ("免去",)
#: Verbs after a name that leave a post (赵刚辞去副区长职务; 张伟不再担任…: 不再 then 担任 or 兼任).
LEAVING = frozenset(("辞去",))
#: What may follow a name in a frame of taking up or leaving a post (_post_frame).
FRAME_STARTS = APPOINT_VERBS | LEAVING | {"被", "不再"}
#: What may follow an appointed title: the clause's end, or words about the post (一职, 以来).
AFTER_POST = frozenset(("职务", "一职", "以来", "期间", "时", "后", "的", "等"))
MAX_POST = 24
#: Words after a post that make it the post a person is nominated for (提名刘洋为区长候选人).
NOMINEE_WORDS = frozenset(("候选人", "人选", "候选人选"))


def _clean_start(tokens: list[tuple[str, int]], first: int) -> bool:
    """Does a name begin at tokens[first], after the clause's start or a verb of appointing, not glued to a word
    before it that may hold its first syllables (批准米|舒斯京, 提名乌梅|罗夫: a transliteration cut)?"""
    prev = tokens[first - 1][0] if first else ""
    return not prev or not RE_CJK_ONLY.match(prev) or prev.endswith(APPOINTING) or prev in ("由", "经", "并", "同意")


def _appointed_title(tokens: list[tuple[str, int]], k: int, first: int) -> str:
    """The post a name takes up when tokens[k] is a verb of appointment (李华同志|任|区委宣传部副部长, 任命|王强|为|
    区委组织部部长): the words after it up to a title word that ends the clause; "" when there is none."""
    if k >= len(tokens) or tokens[k][0] not in APPOINT_VERBS:
        return ""
    if tokens[k][0] == "为" and not any(tokens[j][0].endswith(APPOINTING) for j in range(max(0, first - 3), first)):
        return ""
    return _post_after(tokens, k)


#: Where a cadre's profile says the post held now (陈建国,男,…,现任县委常委、组织部部长,拟任…).
CURRENT_POST = ("现任", "现为")


def _profile_at(tokens: list[tuple[str, int]], first: int, last: int, word: str) -> bool:
    """Does a cadre's profile open with the name word in tokens[first:last + 1] (a notice before appointment, a
    biography): after no word (at the start, after punctuation or a number: 1.陈建国), then a comma, its sex and
    a comma (陈建国|,|男|,)?"""
    return (2 <= len(word) <= 4 and RE_CJK_ONLY.match(word) is not None and _starts_with_surname(word)
            and (first == 0 or not RE_CJK_ONLY.match(tokens[first - 1][0]))
            and last + 3 < len(tokens) and tokens[last + 1][0] in ",，" and tokens[last + 2][0] in ("男", "女")
            and tokens[last + 3][0] in ",，" and word_tag(word) in NAME_TAGS and _is_name_word(word, judge_parts=False))


def _current_post(tokens: list[tuple[str, int]], k: int) -> str:
    """The post a profile says its person holds now (…,现任|县委|常委|、|组织部|部长|,), within the sentence; ""."""
    for j in range(k, len(tokens)):
        if tokens[j][0] in ("。", "；", ";", "\n"):
            return ""
        if tokens[j][0] in CURRENT_POST:
            return _post_after(tokens, j)
    return ""


def _post_frame(tokens: list[tuple[str, int]], k: int, first: int) -> tuple[str, str]:
    """(post, method) when the words from tokens[k] on, after a name, say it takes up a post (李华同志|任|…, 王强|被|
    任命|为|…, 孙硕|当选|为|…) or leaves one (赵刚|辞去|副区长|职务, 张伟|不再|担任|…); ("", "") otherwise."""
    word = tokens[k][0] if k < len(tokens) else ""
    nxt = tokens[k + 1][0] if k + 1 < len(tokens) else ""
    if word == "被" and nxt.endswith(APPOINTING) and k + 2 < len(tokens) and tokens[k + 2][0].startswith("为"):
        return _post_after_wei(tokens, k + 2), "persons.appointed"  # 被|任命|为, 被|选举|为区|…: 为 glued to the post
    if word in LEAVING or word == "不再" and nxt in ("担任", "兼任"):
        return _post_after(tokens, k if word in LEAVING else k + 1), "persons.removed"
    if word in ("当选", "担任", "出任") and nxt.startswith("为"):
        return _post_after_wei(tokens, k + 1), "persons.appointed"
    return _appointed_title(tokens, k, first), "persons.appointed"


def _post_after_wei(tokens: list[tuple[str, int]], k: int) -> str:
    """The post after tokens[k], a 为 that the segmenter may have glued to the post's first word (为区|人大常委会)."""
    post = _post_after(tokens, k)
    return tokens[k][0][1:] + post if post else ""


def _post_after(tokens: list[tuple[str, int]], k: int) -> str:
    """The post named by the words after tokens[k], up to a title word that ends the clause or the words about
    the post after it (区委宣传部副部长|。, 国家监委副主任|职务); "" when there is none."""
    last, length = None, 0
    j = k + 1
    while j < len(tokens) and (RE_CJK_ONLY.match(tokens[j][0]) and not set(tokens[j][0]) & CLAUSE_CHARS
                               or tokens[j][0] == "、" and last == j - 1):  # 福建省委委员、常委、书记
        length += len(tokens[j][0])
        if length > MAX_POST:
            return ""
        if _title_end().search(tokens[j][0]) or last == j - 1 and tokens[j][0] in NOMINEE_WORDS:
            last = j  # 区长|候选人: the post a nominee stands for
        elif last is not None and tokens[j][0] in AFTER_POST:
            break
        j += 1
    if last is None or (last + 1 < len(tokens) and RE_CJK_ONLY.match(tokens[last + 1][0])
                        and tokens[last + 1][0] not in AFTER_POST):
        return ""
    return "".join(t[0] for t in tokens[k + 1:last + 1])


def _wei_glued_name(tokens: list[tuple[str, int]], j: int) -> tuple[str, int] | None:
    """(name, index after it) of a name the segmenter glued to 为 before the post (任命|张伟为|县委|办公室|主任),
    which _name_at leaves when a title follows, as it leaves a body's name there (盛虹|控股|…|董事长)."""
    if j >= len(tokens) or not tokens[j][0].endswith("为"):
        return None
    got = _surname_name_at(tokens, j)  # its rule for 和 与 为 glued on, without _name_at's look at what follows
    return got if got is not None and got[0] + "为" == tokens[j][0] else None


def _appointed_list(tokens: list[tuple[str, int]], first: int) -> tuple[list[PersonMention], int] | None:
    """Names listed after a verb of appointing, each taking up the post after 为 (任命陈福利、冯怡为区委办公室副主任;
    the last name may come glued to 为: 张三为|副区长), or after 免去, each leaving the post after 的 (免去杨晓超、
    徐令义的国家监委副主任职务; one name too): (their mentions, the index after the names); None for fewer than
    two names appointed, or no post."""
    removal = tokens[first - 1][0].endswith(REMOVING)
    names: list[tuple[str, int]] = []
    j = first
    while (got := _name_at(tokens, j) or _wei_glued_name(tokens, j)) is not None:
        name, k = got
        if not (RE_CJK_ONLY.match(name) and 2 <= len(name) <= 4 and _is_name_word(name, judge_parts=False)):
            return None
        names.append((name, tokens[j][1]))
        if k + 1 < len(tokens) and tokens[k][0] == "、":
            j = k + 1
            continue
        break
    else:
        return None
    last, start = names[-1]
    taken_off = tokens[k - 1][0] == last + "为"  # 任命|张伟为|…: the name came without the 为 glued to it
    glued = not removal and (k >= len(tokens) or tokens[k][0] != "为") and (_glued_wei(last) or taken_off)
    if len(names) < (1 if removal or glued else 2):
        return None
    if removal:
        title = _post_after(tokens, k) if k < len(tokens) and tokens[k][0] == "的" else ""
    elif glued:  # 张三为|副区长: the verb glued to the name; the post follows that word
        if not taken_off:
            names[-1] = (last[:-1], start)
        title = _post_after(tokens, k - 1)
    else:
        title = _appointed_title(tokens, k, first) if k < len(tokens) and tokens[k][0] == "为" else ""
    if not title:
        return None
    method = "persons.removed" if removal else "persons.appointed"
    return [PersonMention(n, s, s + len(n), title, method) for n, s in names], k


def _glued_wei(word: str) -> bool:
    """Is word a name with the 为 of an appointment glued to it (提名|刘洋为|区长)? Read after a verb of appointing."""
    return len(word) >= 3 and word.endswith("为")


def _claimed_titles_dropped(text: str, mentions: list[PersonMention]) -> list[PersonMention]:
    """Without the names after a title that a name before it already holds: in 习近平|主席|贺信 and
    习近平|总书记|郑重宣布 the title is 习近平's, and 贺信, 郑重宣布 (names in jieba's dictionary) are none;
    but where the title before the second name holds the first, the first is a body (国家卫健委主任雷海潮).
    Nor the words that dictionary takes for names but no one is called (殷殷, 智慧: not_names.txt)."""
    after = [m for m in mentions if m.method == "persons.title_after" and m.title]
    drop: set[int] = set()
    own: dict[int, PersonMention] = {}
    for m in mentions:
        if m.method != "persons.title_before":
            continue
        for n in after:
            if n.end < m.start and text[n.end:m.start] == n.title:
                if n.name in m.title:  # the body in the title before a name is no person (国家|卫健委|主任|雷海潮)
                    drop.add(id(n))
                elif title := next((text[m.end:m.end + k] for k in (3, 2, 1)
                                    if text[m.end:m.end + k] in _titles_after()), ""):
                    own[id(m)] = PersonMention(m.name, m.start, m.end, title, "persons.title_after")  # 江泽民主席李鹏总理
                else:
                    drop.add(id(m))
    return [own.get(id(m), m) for m in mentions if m.name not in _not_names() and id(m) not in drop]


@cache
def _not_names() -> frozenset[str]:
    return frozenset(load_list("not_names.txt"))


def _next_in_list(tokens: list[tuple[str, int]], j: int) -> bool:
    """Does a second name sharing the title start at j (区委书记张伟、王强)? Not the body or country a next
    title belongs to (国王萨勒曼、王储|兼首相, 总统伊萨亚斯、南苏丹|总统, 主席法基、阿盟|秘书长)."""
    got = _name_at(tokens, j)
    if got is None:
        return False
    k = got[1]
    return k >= len(tokens) or not (tokens[k][0] in TITLE_CONNECTORS - {"、"} or _title_end().search(tokens[k][0]))


def _untitled_dotted(tokens: list[tuple[str, int]], taken: set[int]) -> list[PersonMention]:
    """Dotted names without a title before them (，热依拉·吐尔逊向调研组介绍): the parts run back from the
    dot to a word that is none; the name must be followed by a word that ends names (向, 说, 表示), a title
    after a name (总统) or 等, not by punctuation (a heading like 党建·民生 is no person)."""
    out: list[PersonMention] = []
    for i, (word, _idx) in enumerate(tokens):
        if word not in NAME_DOTS or i in taken or i == 0:
            continue
        first, part = i, 0
        while first > 0 and first - 1 not in taken and _part_word(tokens[first - 1][0]) \
                and (first == i or _more_syllables(tokens[first - 1][0]) or word_tag(tokens[first - 1][0]) == "ns"):
            part += len(tokens[first - 1][0])  # 非洲裔|男子|乔丹·尼利: the walk stops at 男子 (n)
            if part > MAX_PART:
                break
            first -= 1
        if first == i or part > MAX_PART:
            continue
        got = _dotted_name(tokens, first)
        if got is None or got[1] >= len(tokens) or any(t in taken for t in range(first, got[1])):
            continue
        name, k = got
        start = tokens[first][1]
        nxt = tokens[k][0]
        glued = start + len(name) < tokens[k - 1][1] + len(tokens[k - 1][0])  # 阿费沃|基对: 对 ends it
        if glued or _ends_name(nxt) or nxt in _titles_after() or nxt in _titles():
            out.append(PersonMention(name, start, start + len(name), "", "persons.dotted"))
            taken.update(range(first, k))
    return out


#: Words after 等 that make the names before it people: 刘晓东、孙丽、周强等|代表, 等|同志, 等|人.
AFTER_NAME_LIST = {"人", "同志", "代表", "一行", "同学"}


def _name_list(tokens: list[tuple[str, int]], taken: set[int]) -> list[PersonMention]:
    """Names listed with 、 and closed by 等 and a word for people: 刘晓东、孙丽、周强等代表 (no title before)."""
    out: list[PersonMention] = []
    i = 0
    while i < len(tokens):
        names: list[tuple[str, int, range]] = []  # (name, char offset, its tokens)
        j = i
        while (got := _list_name_at(tokens, j, taken)) is not None:
            names.append(got)
            j = got[2].stop
            if j < len(tokens) and tokens[j][0] == "、":
                j += 1
                continue
            break
        after = tokens[j:j + 2] if names else []
        if (len(names) >= 2 and len(after) == 2 and after[0][0] == "等"
                and (after[1][0] in AFTER_NAME_LIST or after[1][0] in _titles())):
            for name, idx, span in names:
                out.append(PersonMention(name, idx, idx + len(name), "", "persons.name_list"))
                taken.update(span)
            i = j
        else:
            i += 1
    return out


def _list_name_at(tokens: list[tuple[str, int]], j: int, taken: set[int]) -> tuple[str, int, range] | None:
    """The list name starting at tokens[j], also when the segmenter cut its surname off (丁|薛祥)."""
    if j >= len(tokens) or j in taken:
        return None
    if j + 1 < len(tokens) and _split_surname(tokens, j + 1, taken):
        name = tokens[j][0] + tokens[j + 1][0]
        return (name, tokens[j][1], range(j, j + 2)) if _list_name(name) else None
    return (tokens[j][0], tokens[j][1], range(j, j + 1)) if _list_name(tokens[j][0]) else None


def _list_name(word: str) -> bool:
    """A name in such a list: a word the dictionary does not know otherwise, starting with a surname. A
    two-character name is not judged by its given name alone (周强: 强 is an adjective in jieba)."""
    return (2 <= len(word) <= 3 and bool(RE_CJK_ONLY.match(word)) and word_tag(word) in NAME_TAGS
            and _is_name_word(word, judge_parts=len(word) == 3))


def _split_surname(tokens: list[tuple[str, int]], i: int, taken: set[int]) -> bool:
    """tokens[i] is a two-character given name whose surname the segmenter cut off as a word of its own
    (丁|薛祥, where 薛 is a surname too): a lone surname token that jieba reads as a name, not a function word."""
    if i == 0 or i - 1 in taken or len(tokens[i][0]) != 2 or not RE_CJK_ONLY.match(tokens[i][0]):
        return False
    prev = tokens[i - 1][0]
    return len(prev) == 1 and prev in _surnames()[0] and word_tag(prev) == "nr" and word_tag(tokens[i][0]) == ""


def _prev_is_title_ish(tokens: list[tuple[str, int]], i: int) -> bool:
    return i > 0 and bool(_title_end().search(tokens[i - 1][0]))


@cache
def _titles_after() -> frozenset[str]:
    return frozenset(load_list("titles_after_name.txt"))


@cache
def _cues() -> frozenset[str]:
    return frozenset(load_list("person_cues.txt"))


def _in_name_list(tokens: list[tuple[str, int]], i: int) -> bool:
    """李大钊、邓中夏等: a dictionary name next to another one through 、 和 与."""
    for j in (i - 2, i + 2):
        if 0 <= j < len(tokens) and tokens[(i + j) // 2][0] in ("、", "和", "与"):
            other = tokens[j][0]
            if word_tag(other) in ("nr", "nrfg") and _is_name_word(other):
                return True
    return False


def _is_name_word(word: str, judge_parts: bool = True) -> bool:
    """A dictionary person name, not a word jieba also tags nr (高素质, 牛鼻子, 张家界, 乌克兰, 龙王庙).

    judge_parts: also reject a name whose parts jieba knows as other words (高|素质)."""
    if not _starts_with_surname(word) or word in _place_names() or word[-1] in _landmark_ends():
        return False
    if word in _world_places():  # 哈萨克斯坦 (jieba: nrt)
        return False
    if word[:2] in _world_places() or word[:3] in _world_places():
        return False
    return not judge_parts or not any(word_tag(part) not in GIVEN_TAGS for part in (word[:2], word[1:]) if part in _known())


@cache
def _known():
    from pipeline.lexicons import load_word_tags

    return load_word_tags()


def _name_ends(tokens: list[tuple[str, int]], k: int) -> bool:
    """A name is followed by punctuation, the end, or a word that is not a noun (孙硕|指出, 江岚|、)."""
    if k >= len(tokens):
        return True
    word = tokens[k][0]
    if not RE_CJK_ONLY.match(word) or word in _titles() or _ends_name(word):
        return True
    tag = word_tag(word)
    return tag != "" and (not tag.startswith("n") or len(word) >= 3)


@cache
def _enders() -> frozenset[str]:
    return frozenset(load_list("name_enders.txt")) | _cues() | _titles_after()


def _ends_name(word: str) -> bool:
    """A word that ends a name whatever its dictionary tag (讲话, 通报: nouns in jieba): a word of
    name_enders.txt or one starting with such a two-character word (主持会议)."""
    return word in _enders() or (len(word) > 2 and word[:2] in _enders())


def _hard_end(tokens: list[tuple[str, int]], k: int) -> bool:
    """Stricter than _name_ends: the end of the text, punctuation, or a word of _ends_name."""
    if k >= len(tokens):
        return True
    word = tokens[k][0]
    return (not word[0].isalnum() and not RE_CJK_ONLY.match(word)) or _ends_name(word)


def _time_at(tokens: list[tuple[str, int]], k: int) -> bool:
    """A time word (当晚, 昨日) or a day's number (22|日) at tokens[k]: what follows a name, never a given name."""
    if k >= len(tokens):
        return False
    word = tokens[k][0]
    return word_tag(word) == "t" or word.isdigit() and k + 1 < len(tokens) and tokens[k + 1][0] == "日"


def _starts_with_surname(word: str) -> bool:
    singles, doubles = _surnames()
    return word[0] in singles or word[:2] in doubles


def _name_at(tokens: list[tuple[str, int]], j: int) -> tuple[str, int] | None:
    """(name, index after it) when tokens[j:] start with a person's name (called right after a title)."""
    if j >= len(tokens):
        return None
    got = _dotted_name(tokens, j) or _dotted_by_characters(tokens, j) or _surname_name_at(tokens, j)
    if got is not None and _title_chain(tokens, got[1]):
        return None  # 人大代表|盛虹|控股|集团|有限公司|董事长|缪汉根: 盛虹 begins the next title's body
    if got is None or got[1] < len(tokens) and word_tag(tokens[got[1]][0]) in NAME_TAGS[1:]:
        # 区长|那顺|乌力吉|主持: a name word after the name found, so both are one name without a surname
        free = _free_name(tokens, j)
        return free if free is not None and (got is None or free[1] > got[1]) else got
    return got


def _dotted_name(tokens: list[tuple[str, int]], j: int) -> tuple[str, int] | None:
    """(name, index after it) when tokens[j:] start with a transliterated name in parts joined by a dot
    (艾尔肯|·|吐|尼亚|孜|带队, 弗拉基米尔|·|普京|表示): each part words of syllables, up to a word that
    is none (带队, 表示, 向, punctuation). No part may be a place (新疆·喀什)."""
    k, part, dots = j, 0, 0
    while k < len(tokens):
        word = tokens[k][0]
        if word in NAME_DOTS:
            if part == 0 or k + 1 >= len(tokens) or not _part_word(tokens[k + 1][0]):
                break
            if dots == MAX_DOTS:
                return None  # a run of dotted words (a list, a heading) is no name, and is not walked to its end
            dots, part = dots + 1, 0
        elif part and not (_more_syllables(word) or not dots and word_tag(word) == "ns"):  # 道|登|会面, 为众
            if word_tag(word) == "" and any(ch in GLUE for ch in word[1:]):
                k += 1  # 伊萨亚斯·阿费沃|基对: taken here, cut before the glued character below
            break
        elif _part_word(word):
            part += len(word)
            if part > MAX_PART:
                return None
        else:
            break
        k += 1
    if not dots:
        return None
    name = "".join(t[0] for t in tokens[j:k])
    first_dot = next(i for i, ch in enumerate(name) if ch in NAME_DOTS)
    glued = next((i for i in range(first_dot + 2, len(name)) if name[i] in GLUE and name[i - 1] not in NAME_DOTS), None)
    if glued is not None:  # 安杰拉·雷纳为副, 贾瓦德·奥吉说: a function character inside a later part ends the name
        name, cut_at = name[:glued], tokens[j][1] + glued
        k = next(t for t in range(j, k) if tokens[t][1] + len(tokens[t][0]) > cut_at)
        k += tokens[k][1] < cut_at  # a token cut in two is used up
    if any(p in _place_names() or p in _world_places() for p in re.split(f"[{NAME_DOTS}]", name)) \
            or name[-1] in NOT_NAME_END:
        return None
    return name, k


def _dotted_by_characters(tokens: list[tuple[str, int]], j: int) -> tuple[str, int] | None:
    """(name, index after it) of a dotted name whose parts the segmenter cut into verbs and nouns
    (阿不都|热合|曼|·|买买提|介绍, 艾合|买|提|·|吐尔逊): every character a name syllable's, each part up to
    MAX_PART characters, ending where a word of acting or none of a name comes."""
    k, part, dots = j, 0, 0
    while k < len(tokens):
        word = tokens[k][0]
        if word in NAME_DOTS:
            if part < (2 if not dots else 1) or dots == MAX_DOTS:
                return None
            dots, part = dots + 1, 0
        elif (dots and _acts(word)) or _no_name_piece(word) or not all(ch in _syllable_chars() for ch in word):
            break
        else:
            part += len(word)
            if part > MAX_PART:
                return None
        k += 1
    if not dots or part == 0:
        return None
    name = "".join(t[0] for t in tokens[j:k])
    if any(p in _place_names() or p in _world_places() for p in re.split(f"[{NAME_DOTS}]", name)):
        return None
    return name, k


def _more_syllables(word: str) -> bool:
    """A word that can continue a part of a dotted name after its first word: a character, a word the
    dictionary knows as a name or not at all, or a word of name_syllables.txt; not an unknown word that
    starts with a function character (为众), nor a common noun (会面, 计划: n in jieba)."""
    if len(word) == 1:
        return _part_word(word)
    tag = word_tag(word)
    if tag == "ns":  # 吐|尼亚|孜 (ns), not 亨利|回国 (ns in jieba too)
        return all(ch in _syllable_chars() for ch in word) and _part_word(word)
    return (tag in NAME_TAGS and word[0] not in GLUE and not any(ch in GLUE for ch in word[1:]) and _part_word(word)
            or word in _syllable_words())


@cache
def _syllable_words() -> frozenset[str]:
    return frozenset(load_list("name_syllables.txt"))


def _no_name_piece(word: str) -> bool:
    """A token that is in no name, whatever the route: punctuation, a title, a word that ends names, a
    county or city, a lone function character."""
    return (not RE_CJK_ONLY.match(word) or word in _titles() or bool(_title_end().search(word))
            or _ends_name(word) or word in _place_names() or len(word) == 1 and (word in GLUED or word in NOT_GIVEN))


def _part_word(word: str) -> bool:
    """A word that can be (a syllable of) a part of a transliterated name."""
    if _no_name_piece(word):
        return False
    if len(word) == 1:
        return word_tag(word) not in FUNCTION_TAGS
    tag = word_tag(word)
    return not tag.startswith(NOT_PART_TAGS) and word not in _world_places() \
        and not (tag == "n" and word[-1] in PERSON_NOUN_ENDS)


#: Punctuation that may follow a name without a surname of three or more characters (cleaned text has ASCII
#: , ; ! ?): 县委书记扎西次仁、县长….
AFTER_FREE_NAME = frozenset(",，。;；!！?？、")


def _free_name(tokens: list[tuple[str, int]], j: int) -> tuple[str, int] | None:
    """(name, index after it) for a name without a surname right after a title, as Tibetan and Mongolian
    names are written (区委书记|扎西|次仁|主持, 部长|其其格|陪同): two to five characters of words the
    dictionary knows only as names or places, or not at all, up to punctuation or a word that ends names.
    A lone place word is no name (书记|顿珠: too often a place)."""
    k, n = j, 0
    while k < len(tokens):
        word = tokens[k][0]
        if _no_name_piece(word) or (word_tag(word) not in FREE_TAGS and word not in _syllable_words()):
            break  # 白玛|旺堆: a syllable of name_syllables.txt is one, whatever jieba tags it (n)
        n, k = n + len(word), k + 1
        if n > FREE_LEN[1]:
            return None
    if n < FREE_LEN[0] or not (k == len(tokens) or tokens[k][0] in ("。", "等") or _acts(tokens[k][0])
                               or n >= 3 and tokens[k][0] in AFTER_FREE_NAME  # 书记|带学|、督学: no name
                               or _acts_further(tokens, k)
                               or n >= 3 and tokens[k][0] == "时" and _when_clause(tokens, k + 1)
                               or n >= 3 and tokens[k][0] in ("和", "与") and _title_ahead(tokens, k + 1)):
        return None
    name = "".join(t[0] for t in tokens[j:k])
    if len(name) > FREE_LEN[0] and name[-1] in GLUE and word_tag(tokens[k - 1][0]) == "":
        name = name[:-1]  # 什梅加尔称: the word after the name glued on (its token is used up)
    lone_place = k - j == 1 and word_tag(name) == "ns" and not (
        name in _syllable_words() and k < len(tokens) and _acts(tokens[k][0]))  # 县长|扎西|出席会议: a name
    if lone_place or name in _world_places() or name[-1] in NOT_NAME_END \
            or name[0] in FUNCTION_SURNAMES or name[-1] in NOT_GIVEN:
        return None
    if len(name) <= 3 and _starts_with_surname(name) and _loose_name(name):
        return name, k  # a Han name the surname routes left (台盟中央主席|苏辉|、)
    return (name, k) if all(ch in _syllable_chars() for ch in name) else None


@cache
def _syllable_chars() -> frozenset[str]:
    """Characters of names without a surname: those of name_syllables.txt and of jieba's transliterated
    names (tag nrt)."""
    chars = {ch for word in load_list("name_syllables.txt") for ch in word}
    chars.update(ch for word, tag in _known().items() if tag == "nrt" and RE_CJK_ONLY.match(word) for ch in word)
    return frozenset(chars)


#: Words of name_enders.txt that end names but say nothing of a person: after a name without a surname,
#: they do not make it one (区领导|包片包案|等 is a way of working).
FUNCTION_ENDERS = frozenset("等 和 与 及 对 向 为 是 在 到 也 还 就 被 任 兼 率 作 获 分别 先后 首先 随后 围绕 结合 "
                            "代表 荣获 亲自 多次".split())


#: Words after a name that say where the person acts, before what they do: 白玛旺堆|到|城关区|调研, 在|会上|强调.
WHERE_WORDS = frozenset(("在", "到", "赴"))


def _acts_further(tokens: list[tuple[str, int]], k: int) -> bool:
    """tokens[k] says where (在 到) and a word of acting follows in the clause, within 6 words."""
    if k >= len(tokens) or tokens[k][0] not in WHERE_WORDS:
        return False
    for word, _at in tokens[k + 1:k + 7]:
        if not RE_CJK_ONLY.match(word):
            return False
        if _acts(word):
            return True
    return False


def _title_chain(tokens: list[tuple[str, int]], k: int) -> bool:
    """tokens[k:] are a body's name and a title: at most one word of the name, organisation words, then a title
    word (控股|集团|有限公司|董事长). What stands right before them is the start of that body's name, not a person's
    (人大代表|盛虹|控股…). Not a place, a function word or a word that ends names first (李希在|北京|同…)."""
    i = k
    if i < len(tokens) and not _org_end().search(tokens[i][0]):
        word = tokens[i][0]
        if not RE_CJK_ONLY.match(word) or _ends_name(word) or word_tag(word).startswith(NOT_BODY_TAGS):
            return False
        i += 1
    n_org = 0
    while i < len(tokens) and _org_end().search(tokens[i][0]) and not _title_end().search(tokens[i][0]):
        n_org, i = n_org + 1, i + 1
    return n_org > 0 and i < len(tokens) and bool(_title_end().search(tokens[i][0]))


def _title_ahead(tokens: list[tuple[str, int]], k: int) -> bool:
    """A title word comes within five words of tokens[k], in the same clause (市长帕埃斯和|里|约|州|州长卡斯特罗)."""
    for word, _at in tokens[k:k + 5]:
        if not RE_CJK_ONLY.match(word):
            return False
        if _title_end().search(word):
            return True
    return False


def _when_clause(tokens: list[tuple[str, int]], k: int) -> bool:
    """tokens[k] closes a clause 在…时 (在会见副总统阿尔克明时，李希表示): the 时 before it ends a name. The end
    of the tokens counts as a clause mark: a person window (person_windows) ends before one."""
    return (k >= len(tokens) or tokens[k][0] in AFTER_FREE_NAME and tokens[k][0] != "、") \
        and any(t[0] == "在" for t in tokens[:k])


def _acts(word: str) -> bool:
    """A word that says what a person named before it does or says (主持, 陪同, 说, 一行, 主持会议)."""
    return (word in _enders() or len(word) > 2 and word[:2] in _enders()) and word not in FUNCTION_ENDERS \
        and word[:2] not in FUNCTION_ENDERS


def _surname_name_at(tokens: list[tuple[str, int]], j: int) -> tuple[str, int] | None:
    """(name, index after it): the routes for names that start with a surname."""
    word = tokens[j][0]
    if not RE_CJK_ONLY.match(word) or not _starts_with_surname(word):
        return None
    given = tokens[j + 1][0] if j + 1 < len(tokens) else ""
    if 3 <= len(word) <= 4 and (word[-1] + given in _enders() and len(given) == 1
                                or word[-1] in GLUED - GIVEN_TOO | GLUED_MOVES and word_tag(word) == ""
                                or _when_clause(tokens, j + 1) and word[-1] == "时" and word_tag(word) == ""):
        return word[:-1], j + 1  # 李杰指|出, 陈志强|调 (强调), 邵鸿在, 罗戈津称, 张伟到, 在会见…卢拉时|，: glued on
    if (len(word) == 1 and len(given) == 2 and given[1] in GLUED - GIVEN_TOO and word not in FUNCTION_SURNAMES
            and given[0] not in GLUED | NOT_GIVEN | FUNCTION_SURNAMES and RE_CJK_ONLY.match(given)
            and word_tag(given) not in NAME_TAGS and _loose_name(word + given[0])):
        return word + given[0], j + 2  # 局长|赵|明说: a one-character given name and the verb after it
    if (len(word) == 2 and len(given) == 1 and word[0] in _surnames()[0] and _given_part(given)
            and (word_tag(word) in NAME_TAGS + ("ns",) or word[1] + given in _given_names())
            and (_hard_end(tokens, j + 2) or _time_at(tokens, j + 2)) and _loose_name(word + given)):
        return word + given, j + 2  # 刘海|亮|主持, 王国|庆, 李家|超|当晚: the segmenter cut the name's last character off
    if word_tag(word) == "nrt" and _cut_short(tokens, j + 1) and tokens[j + 1][0] in _syllable_chars() \
            and tokens[j + 1][0] not in GLUED | NOT_GIVEN and (_hard_end(tokens, j + 2) or tokens[j + 2][0] == "时"
                                                             and _when_clause(tokens, j + 3)):
        return word + tokens[j + 1][0], j + 2  # 副总统|阿尔克|明|时: a transliteration's last syllable cut off
    if 2 <= len(word) <= 4 and word not in _titles() and _name_ends(tokens, j + 1):
        if word_tag(word) in NAME_TAGS and word not in _world_places() \
                and not (len(word) >= 3 and word[-1] in BODY_ENDS):
            return word, j + 1  # not 主席阿里米、马拉维|总统 (a country), nor 企业家|高峰会 (a meeting; nr in jieba)
        if word_tag(word) == "ns" and _loose_name(word) and not _cut_short(tokens, j + 1):
            return word, j + 1  # 总统|普京 (ns in jieba's dictionary)
    if len(word) in (3, 4) and word[-1] in GLUED and word_tag(word) == "":
        return word[:-1], j + 1  # 王伟和|…: 和 与 为 glued on, where the whole word is no name
    if (len(word) == 1 or word in _surnames()[1]) and given:
        if (RE_CJK_ONLY.match(given) and len(word) + len(given) <= 4 and len(given) <= 2
                and word_tag(given) in GIVEN_TAGS and given not in _titles() and _name_ends(tokens, j + 2)):
            return word + given, j + 2
        if (word not in FUNCTION_SURNAMES and _given_part(given) and _hard_end(tokens, j + 2)
                and (len(given) == 1 or len(given) == 2 and given in _given_names()) and _loose_name(word + given)):
            return word + given, j + 2  # 姚|建军|主持: jieba tags many given names as nouns (建军: n)
    if (len(word) == 3 and (word[1:] in _given_names() or word[1:] not in _known()) and word not in _titles()
            and _hard_end(tokens, j + 1) and _loose_name(word)):
        return word, j + 1  # 周恩来|主持, 刘澜涛|主持 (tagged t and n in jieba's dictionary)
    return None


def _cut_short(tokens: list[tuple[str, int]], k: int) -> bool:
    """tokens[k] is a lone character that is no word after a name: the name before it is likely the start
    of a longer transliteration (哈苏|米, 马西|西) or of a place (伊斯|兰)."""
    return k < len(tokens) and len(tokens[k][0]) == 1 and bool(RE_CJK_ONLY.match(tokens[k][0])) \
        and tokens[k][0] not in _enders()


def _loose_name(name: str) -> bool:
    """The name test of the routes that take words of any dictionary tag: _is_name_word without judging
    the parts, and no last character of a group or an office (委员|宣讲团|等 is no person)."""
    return _is_name_word(name, judge_parts=False) and name[-1] not in NOT_NAME_END


def _given_part(word: str) -> bool:
    """A token that can be (the rest of) a given name: Chinese characters, no title, no word that ends a name,
    no function character."""
    return (bool(RE_CJK_ONLY.match(word)) and word not in _titles() and not _ends_name(word)
            and word not in GLUED and word not in NOT_GIVEN)


@cache
def _given_names() -> frozenset[str]:
    """Two-character given names attested in jieba's dictionary: the last two characters of its
    three-character person names (nr) that start with a surname (姚建军 -> 建军; 35,000 of them)."""
    singles = _surnames()[0]
    return frozenset(w[1:] for w, tag in _known().items()
                     if len(w) == 3 and tag in NAME_TAGS[1:] and w[0] in singles and RE_CJK_ONLY.match(w))


def _title_before(tokens: list[tuple[str, int]], i: int, taken: set[int] | frozenset = frozenset()) -> str:
    """The title phrase ending with tokens[i]: walk back over org, place and title words, never into a
    name found before it (taken: its tokens; 总统伊萨亚斯、南苏丹总统: the title is 南苏丹总统), and never
    further back than a window reaches (WINDOW_BACK characters: a run of title words with no clause mark,
    党员党员…, made every title the whole run, quadratic in its length)."""
    parts = [tokens[i][0]]
    k = i - 1
    place = 0  # characters of a place's unknown name taken before its division word (托克|扎克|镇)
    body = 0  # characters of a department's name taken before its one-character body word (外贸|司)
    while k >= 0 and k not in taken and tokens[i][1] - tokens[k][1] <= WINDOW_BACK:
        word = tokens[k][0]
        ok = (word in TITLE_CONNECTORS or _title_end().search(word) or _org_end().search(word)
              or word in _place_shorts() or word_tag(word) == "ns" or _deputy_glued(word) or RE_RANK.match(word)
              or (word_tag(word) == "" and RE_CJK_ONLY.match(word) and _org_end().search(parts[0].removesuffix("副"))
                  and not set(word) & CLAUSE_CHARS))
        if not ok and (parts[0] in DIVISION_WORDS or place) and place + len(word) <= MAX_PLACE_NAME \
                and word_tag(word) in UNKNOWN_NAME_TAGS and RE_CJK_ONLY.match(word) and not set(word) & CLAUSE_CHARS:
            ok, place = True, place + len(word)
        if not ok and (len(parts[0]) <= 2 and parts[0][-1] in BODY_CHARS or _body_glued(parts[0]) or body) \
                and body + len(word) <= MAX_BODY_NAME \
                and word_tag(word).startswith(("n", "vn", "l")) and RE_CJK_ONLY.match(word) and word not in _titles():
            ok, body = True, body + len(word)  # 商务部|外贸|司|司长, 行政|法务|司|司长: the department's name
        if not ok:
            j = _organ_back(tokens, k, i, taken)
            if j is None:
                break
            parts[:0] = [t[0] for t in tokens[j:k + 1]]  # 区|应急|管理局|局长: 应急 is no title word, 应急管理局 a body
            k = j - 1
            continue
        parts.insert(0, word)
        k -= 1
    while parts and parts[0] in TITLE_CONNECTORS - TITLE_PREFIXES:  # 副|总统: 副 is the title's own
        parts.pop(0)
    return "".join(parts)


#: The last character of a body word of one or two characters that the segmenter leaves after the
#: department's name (外贸|司, 法务|司, 民政|总署), and how long that name may be.
BODY_CHARS = frozenset("司署")
MAX_BODY_NAME = 6


def _body_glued(word: str) -> bool:
    """A body's last character glued to its head's title by the segmenter: 社会工作|局局长, 办公|室主任 (not
    a title word of the dictionary, like 处长 or 局长)."""
    return len(word) == 3 and word[0] == word[1] and word[1:] in _titles()


#: A rank before a title word (第一副|总参谋长, 一级|巡视员, 二级|调研员): the title's own, like 副.
RE_RANK = re.compile(r"^(?:第[一二三四五六七八九十]+副?|[一二三四五六]级|首席)$")
#: Division words a title can start with when the segmenter cut the place's name before them into pieces it
#: does not know or takes for names (托克|扎克|镇|党委书记, 阿|热勒|乡): the pieces are the place's name.
DIVISION_WORDS = frozenset({"镇", "乡", "村", "县", "区", "州", "旗", "盟", "街道", "社区", "苏木", "嘎查"})
UNKNOWN_NAME_TAGS = ("", "nr", "nrt", "nrfg", "nz")
MAX_PLACE_NAME = 6


@cache
def _organs() -> re.Pattern:
    return re.compile(alternation(load_list("organ_names.txt")))


#: Longest body name of organ_names.txt a title walk looks for (网络安全和信息化委员会办公室 has 14 characters).
ORGAN_REACH = 16


def _organ_back(tokens: list[tuple[str, int]], k: int, i: int, taken: set[int] | frozenset) -> int | None:
    """The index of the token where a body's name of organ_names.txt begins that runs from tokens[k] (where the
    title walk stopped) up to or into the title after it: 市|住房|和|城乡|建设局|局长 (住房和城乡建设局: the index
    of 住房), 区|工商联|党组书记 (工商联). None when no such name reaches the title: a body named before
    it with other words between is not the title's own."""
    if not RE_CJK_ONLY.match(tokens[k][0]):
        return None  # the walk stopped at punctuation: the clause before is not the title's
    start = tokens[k + 1][1]  # where the title found so far begins
    lo = k
    while lo > 0 and lo - 1 not in taken and start - tokens[lo - 1][1] <= ORGAN_REACH \
            and RE_CJK_ONLY.match(tokens[lo - 1][0]):
        lo -= 1
    if tokens[i][1] - tokens[lo][1] > WINDOW_BACK + ORGAN_REACH:
        return None
    base = tokens[lo][1]
    text = "".join(t[0] for t in tokens[lo:i + 1])
    first = None
    stop_at, stop_word = tokens[k][1], tokens[k][0]
    for m in _organs().finditer(text):
        a, b = base + m.start(), base + m.end()
        if a < start <= b or a < start and stop_at < b and stop_word[b - stop_at:] in TITLE_CONNECTORS:
            first = a  # (or the name ends inside the word the walk stopped at, glued to a connector: 建设部|部副|部长)
            break
    if first is None:
        return None
    j = k
    while tokens[j][1] > first:  # the token holding the name's first character (区网|信办: all of 区网)
        j -= 1
    return j


def _deputy_glued(word: str) -> bool:
    """A word the segmenter made of 副 and what stands before it: 常务副|市长, 银行卡|部副|总经理."""
    if len(word) < 2 or not word.endswith("副"):
        return False
    head = word[:-1]
    return head in TITLE_CONNECTORS or bool(_org_end().search(head))


def organization_of(title: str) -> str:
    """The organisation a title belongs to: 西城区委书记 -> 西城区委; 记者 -> ''."""
    first = re.split(r"[、,，]", title)[0]
    org = _title_end().sub("", first)
    while org and _title_end().search(org):
        org = _title_end().sub("", org)
    return org if _org_end().search(org) else ""


def tokens_of(words: list[str]) -> list[tuple[str, int]]:
    """(word, char offset) pairs."""
    tokens, pos = [], 0
    for w in words:
        tokens.append((w, pos))
        pos += len(w)
    return tokens


def person_mentions(doc: Document, nlp="rjieba") -> dict[int, list[PersonMention]]:
    """Person mentions per sentence index, offsets into the article text.

    Only the clauses around places where a person can be named (person_windows) are
    segmented: the rest cannot yield a mention, and skipping it keeps the hot path cheap.
    nlp: a segmenter name (the pipeline: segmenter and rules directly) or a spaCy pipeline
    from pipeline.nlp.build_nlp (the same rules as a spaCy component; same mentions, slower).
    """
    out: dict[int, list[PersonMention]] = {}
    windows = [(sent, a, b) for sent in doc.sentences for a, b in person_windows(sent.text)]
    texts = [sent.text[a:b] for sent, a, b in windows]
    if isinstance(nlp, str):
        found = (find_person_mentions(text, tokens_of(segment(text, nlp))) for text in texts)
    else:
        found = (sdoc._.person_mentions for sdoc in nlp.pipe(texts, batch_size=256))
    for (sent, a, _b), mentions in zip(windows, found):
        for m in mentions:
            out.setdefault(sent.index, []).append(
                PersonMention(m.name, sent.start + a + m.start, sent.start + a + m.end, m.title, m.method))
    if out:
        _add_repeats(doc, out)
    return out


#: A name the rules found once, named again without a title or cue (杨昌鹏曾于10月中旬赴从江县调研).
REPEAT = "persons.repeat"


def _add_repeats(doc: Document, out: dict[int, list[PersonMention]]) -> None:
    """Add the later and earlier mentions of names found in the article: a name of two characters or more,
    standing as a word (no word of the dictionary runs across either end: not 王平 in 王平安), outside
    the mentions found. They name event participants; a person's row comes from the mentions the rules found."""
    names = {m.name for ms in out.values() for m in ms if len(m.name) >= 2}
    for sent in doc.sentences:
        present = [n for n in names if n in sent.text]
        if not present:
            continue
        have = out.get(sent.index, [])
        taken = [(m.start - sent.start, m.end - sent.start) for m in have]
        added = []
        for name in present:
            at = sent.text.find(name)
            while at >= 0:
                end = at + len(name)
                if not any(a < end and at < b for a, b in taken) and stands_alone(sent.text, at, end):
                    added.append(PersonMention(name, sent.start + at, sent.start + end, "", REPEAT))
                    taken.append((at, end))
                at = sent.text.find(name, end)
        if added:
            out[sent.index] = sorted(have + added, key=lambda m: m.start)


def extract_persons(doc: Document, mentions: dict[int, list[PersonMention]]) -> list[Person]:
    """One row per person, the mention with the fullest title as evidence.

    mentions: per sentence index, from person_mentions.
    """
    best: dict[str, tuple[PersonMention, Sentence]] = {}
    order: list[str] = []
    for sent in doc.sentences:
        for m in mentions.get(sent.index, []):
            if m.method != REPEAT:
                _keep(best, order, m, sent)
    for sent in doc.byline_sentences:
        for name, title, _author in parse_byline(sent.text):
            pos = sent.text.find(name)
            if pos >= 0:
                m = PersonMention(name, sent.start + pos, sent.start + pos + len(name), title, "persons.byline")
                _keep(best, order, m, sent)
    rows = []
    for name in order:
        m, sent = best[name]
        rows.append(Person(
            article_id=doc.article.article_id, sentence_index=sent.index, char_start=m.start, char_end=m.end,
            sentence=sent.text, text=m.name, method=m.method, source_field=sent.field,
            person_id=name_id("person", name), name=name, title=m.title, organization=organization_of(m.title),
        ))
    return rows


def _keep(best, order, m: PersonMention, sent: Sentence) -> None:
    name = m.person_name  # the row's text keeps the page's own dot (evidence)
    if name not in best:
        order.append(name)
        best[name] = (m, sent)
    elif _rank(m) > _rank(best[name][0]):
        best[name] = (m, sent)


def _rank(m: PersonMention) -> tuple[int, int]:
    """Which of a person's mentions gives the row: the fullest title, but a post the person leaves (免去…职务)
    only where the article gives no other (免去贺荣的最高人民法院副院长职务 … 任命贺荣为司法部部长: 司法部部长)."""
    return (0 if not m.title else 1 if m.method == "persons.removed" else 2), len(m.title)
