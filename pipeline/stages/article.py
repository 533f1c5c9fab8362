"""Article: assemble the Article row and resolve the region it is about (EXTRACTION.md §1).

The district is the county-level unit the article names most (its title counts
more), resolved against China's division table: 西城区 -> 北京市/北京市, 城西区 ->
青海省/西宁市. Names shared by several places (朝阳区) are told apart by the
province and city the text names. An article that names only its streets (街道)
and towns gets the district they belong to.

A county named by one character and its suffix (和县, 兴县, 东区, 城区) often
sits inside other words: 集中区域, 示范县, 振兴县域, 各区和县市区. It counts only
where the word segmenter reads it as whole words (安徽歙县) or right after its
city or province (永州市道县, 陇南康县); and when jieba's dictionary knows it as
a common noun (城区, 郊区, 矿区, also 老城区 and 新城区), only right after its city
or province (阳泉市城区, 汕尾城区, 洛阳老城区), not in 中心城区, 城区水系 or 澳门老城区.
"""

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from pipeline.lexicons import Division, load_divisions
from pipeline.stages.clean import CleanResult, clean_field, same_headline, split_site
from pipeline.stages.sentences import split_sentences
from pipeline.stages.spans import segment, word_tag
from schemas.article import Article
from schemas.document import Document, RawDocument

SUFFIXES = ("区", "县", "市", "旗", "州", "盟", "省", "街道", "镇", "乡")
#: Longest division name read: 双江拉祜族佤族布朗族傣族自治县 has 15 characters (at 8, 160 counties and 14
#: prefectures of the minority regions were never found).
MAX_NAME = 16
SHORT_NAME = 8  # most names are no longer: 西宁市城西区 is two
#: Suffixes of autonomous units that news drops for the plain one: 察布查尔锡伯自治县 -> 察布查尔县, 伊犁哈萨克自治州
#: -> 伊犁州, 鄂伦春自治旗 -> 鄂伦春旗.
AUTONOMOUS = {"自治县": "县", "自治州": "州", "自治旗": "旗"}
TITLE_WEIGHT = 3.0
#: What a county's own city or province right before its name (福州鼓楼区, 长春朝阳区) adds for that one of the
#: counties of its name.
PARENT_BONUS = 0.5
#: A town name shared by more places than this says nothing about the district.
MAX_TOWN_CANDIDATES = 3
#: Characters either side of a one-character county name that the segmenter reads to judge it.
WORD_WINDOW = 6


@dataclass(frozen=True)
class Region:
    province: str | None
    city: str | None
    district: str | None


@cache
def _index() -> dict[str, dict[str, list[Division]]]:
    idx: dict[str, dict[str, list[Division]]] = {lvl: defaultdict(list) for lvl in ("province", "city", "county", "town")}
    divisions = load_divisions()
    for d in divisions:
        idx[d.level][d.name].append(d)
    names = {d.name for d in divisions}
    for d in divisions:  # the short form of an autonomous unit with its plain suffix, where no division has it
        plain = next((p for full, p in AUTONOMOUS.items() if d.name.endswith(full)), None)
        if plain and d.level in ("city", "county") and len(d.short) >= 2 and d.short + plain not in names:
            idx[d.level][d.short + plain].append(d)
    return idx


RE_SUFFIX = re.compile("|".join(SUFFIXES))


@cache
def _levels() -> dict[str, str]:
    """Division name -> the level it is read as (county before town, city, province)."""
    idx = _index()
    out: dict[str, str] = {}
    for lvl in ("county", "town", "city", "province"):
        for name in idx[lvl]:
            out.setdefault(name, lvl)
    return out


def _mentions(text: str, segmenter: str = "rjieba") -> list[tuple[str, str, int]]:
    """(level, name, start) of every division name in text: the longest name ending at each suffix."""
    levels = _levels()
    long_ends = _long_name_ends()
    out = []
    for m in RE_SUFFIX.finditer(text):
        suf, end = m.group(0), m.end()
        longest = MAX_NAME if text[end - 2:end] in long_ends else SHORT_NAME
        for length in range(min(longest, end), len(suf), -1):
            name = text[end - length:end]
            level = levels.get(name)
            if level and length - len(suf) < 2:
                if level == "town":
                    level = None  # 社区, 新镇: too generic to place anything
                elif not (_whole_words(text, end - length, end, segmenter)
                          or any(_parent_before(d, text[max(0, end - length - MAX_NAME):end - length])
                                 for d in _index()["county"][name])):
                    level = None  # 集中区域, 示范县, 各区和县市区: a county's name inside other words
            if level:
                out.append((level, name, end - length))
                break
    return out


@cache
def _long_name_ends() -> frozenset[str]:
    """The last two characters of the names longer than SHORT_NAME (自治县, 治州, 发区…): only a suffix that ends
    so is looked up at the longer lengths (the lookups of every length at every 区 县 市 cost a third more)."""
    return frozenset(name[-2:] for name in _levels() if len(name) > SHORT_NAME)


def _whole_words(text: str, start: int, end: int, segmenter: str) -> bool:
    """text[start:end] begins and ends where the segmenter cuts words (read in a window around it)."""
    a = max(0, start - WORD_WINDOW)
    cuts, pos = {a}, a
    for word in segment(text[a:end + WORD_WINDOW], segmenter):
        pos += len(word)
        cuts.add(pos)
    return start in cuts and end in cuts


def _common_noun(name: str) -> bool:
    """A one-character county that jieba knows as a word, not as a place: 城区 (n), 郊区 (s), 矿区 (n);
    or one such word after an adjective: 老城区, 新城区 (洛阳市老城区, but 澳门老城区)."""
    if len(name) == 3:
        rest = name[1:]  # a phrase of jieba's, an adjective before such a county: 老|城区, 新|城区, 古|城区
        return word_tag(name) != "" and word_tag(name[0]) == "a" and _levels().get(rest) == "county" and _common_noun(rest)
    tag = word_tag(name)
    return len(name) == 2 and tag != "" and not tag.startswith("ns")


def _parent_before(d: Division, before: str) -> bool:
    """before ends with the county's city or province, in full or short: 阳泉市|城区, 汕尾|城区, 山东|冠县."""
    idx = _index()
    for lvl, name in (("city", d.city), ("province", d.province)):
        forms = {name} | {p.short for p in idx[lvl].get(name, ()) if len(p.short) >= 2}
        if any(f and before.endswith(f) for f in forms):
            return True
    return False


def resolve_region(text: str, title: str | None = None, segmenter: str = "rjieba", hint: str | None = None) -> Region:
    """Province, city and district the article is mainly about.

    hint: who runs the site (its footer: 主办:中共福州市鼓楼区委组织部) or where a post was sent from
    (发表于福建); its province and city tell apart
    counties of one name (鼓楼区 is in 南京, 福州, 徐州 and 开封), and name nothing on their own.
    """
    idx = _index()
    found = [(lvl, n, 1.0, text[max(0, at - MAX_NAME):at]) for lvl, n, at in _mentions(text, segmenter)]
    if title:
        found += [(lvl, n, TITLE_WEIGHT, title[max(0, at - MAX_NAME):at]) for lvl, n, at in _mentions(title, segmenter)]
    hinted = [(lvl, n, 1.0, "") for lvl, n, _at in _mentions(hint, segmenter) if lvl in ("province", "city")] if hint else []
    context: Counter = Counter()
    for lvl, name, w, _before in found + hinted:
        if lvl in ("province", "city"):
            for d in idx[lvl][name]:
                context[d.province] += w
                if lvl == "city":
                    context[d.city] += w
    scores: Counter = Counter()
    named: Counter = Counter()  # county names mentioned in the text (not the title) and read as places
    for lvl, name, w, before in found:
        if lvl == "county":
            common = _common_noun(name)
            placed = [d for d in idx["county"][name] if not common or _parent_before(d, before)]
            for d in placed:  # 中心城区, 城区水系: the common noun, no place; 阳泉市城区 is one
                scores[(d.province, d.city, d.county)] += w
                if len(placed) > 1 and _parent_before(d, before):
                    scores[(d.province, d.city, d.county)] += PARENT_BONUS * w  # 福州|鼓楼区, 长春|朝阳区
            named[name] += bool(placed) and w == 1.0
        elif lvl == "town" and len(idx["town"][name]) <= MAX_TOWN_CANDIDATES:
            for d in idx["town"][name]:
                scores[(d.province, d.city, d.county)] += 0.5 * w / len(idx["town"][name])
    for key in list(scores):
        short = idx["county"][key[2]][0].short
        if short == key[2]:  # 城区, 歙县: no short form; the mentions read as whole words count (集中区 does not)
            scores[key] += 0.3 * named[key[2]]
        elif len(short) >= 2:
            scores[key] += 0.3 * text.count(short)  # 西城实践, 西城大妈 back up 西城区
    if scores:
        best = max(scores, key=lambda k: (scores[k] + 0.1 * (context[k[0]] + context[k[1]]), context[k[0]]))
        if _about_the_city(best, found, scores[best], text):
            return Region(best[0], best[1], best[1])
        return Region(*best)
    cities = Counter({n: w for lvl, n, w, _b in found if lvl == "city"})
    if cities:
        name = cities.most_common(1)[0][0]
        d = idx["city"][name][0]
        if _about_the_province(d.province, found, text, title):
            return Region(d.province, None, d.province)
        return Region(d.province, d.city, d.city)
    provinces = Counter({n: w for lvl, n, w, _b in found if lvl == "province"})
    if provinces:
        name = provinces.most_common(1)[0][0]
        return Region(name, None, name)
    return Region(None, None, None)


#: A prefecture's words for itself as a whole: its scope and its party and government bodies.
RE_CITY_SCOPE = re.compile(r"全[市州盟]|[市州盟]委|[市州盟](?:人民)?政府")


def _about_the_city(best: tuple[str, str, str], found: list, county_score: float, text: str) -> bool:
    """Whether an article is about the best county's city (a prefecture) rather than the county: the title
    names the city and no county, and the text speaks of the city as a whole (全州, 州委) and names it, not
    as a county's parent, together at least twice as often as the county (黔东南州:…品牌建设结硕果, then
    全州, 州委 and once 赴从江县调研; not 河南省安阳市文峰区安阳市凯信达商贸有限公司 and its fire)."""
    scope = len(RE_CITY_SCOPE.findall(text))
    if best[1] == best[2] or not scope:
        return False
    cities = _index()["city"]
    names = {name for lvl, name, _w, _b in found if lvl == "city" and any(d.city == best[1] for d in cities[name])}
    in_title = any(w == TITLE_WEIGHT and lvl == "city" and name in names for lvl, name, w, _b in found)
    county_in_title = any(w == TITLE_WEIGHT and lvl == "county" for lvl, _name, w, _b in found)
    if not in_title or county_in_title:
        return False
    parents = sum(1 for lvl, _name, w, before in found if w == 1.0 and lvl == "county" and before.endswith(tuple(names)))
    alone = sum(1 for lvl, name, w, _b in found if w == 1.0 and lvl == "city" and name in names) - parents
    return alone + scope >= 2 * county_score


#: A province's words for itself as a whole: its scope and its party and government bodies.
RE_PROVINCE_SCOPE = re.compile(r"全省|省委|省(?:人民)?政府")
#: Provinces that are cities: an article about one is about the city.
MUNICIPALITIES = frozenset(("北京市", "天津市", "上海市", "重庆市"))


def _about_the_province(province: str, found: list, text: str, title: str | None) -> bool:
    """Whether an article that names cities and no county is about their province as a whole: the title names
    no city (in full or short), the text no other province (in full or short), and it speaks of the province (全省, 省委) at least
    twice as often as it names its cities (全省抓党建促乡村振兴工作推进会在成都召开…成都市、南充市等6个市(州)作
    交流发言; not a national story's 安徽全省…江苏省…全省, nor 论坛在成都举行…中共四川省委…共同举办)."""
    scope = len(RE_PROVINCE_SCOPE.findall(text))
    named = sum(1 for lvl, _n, w, _b in found if w == 1.0 and lvl == "city")
    if scope < 2 or scope < 2 * named or province in MUNICIPALITIES:
        return False  # most articles: no 全省 or 省委 at all
    if any(w == TITLE_WEIGHT and lvl in ("city", "county") for lvl, _n, w, _b in found):
        return False
    if any(lvl == "province" and n != province for lvl, n, _w, _b in found):
        return False
    shorts = _shorts()
    if any(s in text for p, ps in shorts["province"].items() if p != province for s in ps):
        return False
    return not (title and any(s in title for s in shorts["city"].get(province, ())))


@cache
def _shorts() -> dict[str, dict[str, tuple[str, ...]]]:
    """Short forms of two characters or more: of each province ("province": province -> its own), and of each
    province's cities ("city": province -> theirs)."""
    out: dict[str, dict[str, list[str]]] = {"province": defaultdict(list), "city": defaultdict(list)}
    for lvl in out:
        for ds in _index()[lvl].values():
            for d in ds:
                if len(d.short) >= 2:
                    out[lvl][d.province].append(d.short)
    return {lvl: {p: tuple(dict.fromkeys(v)) for p, v in m.items()} for lvl, m in out.items()}


def _with_publisher(region: Region, publisher: str | None, segmenter: str) -> Region:
    """A district site's own articles often name no county (区委书记张伟主持召开…): where the text
    gives none, the publisher's county counts (来源：成都市武侯区委组织部), if it lies in the
    city and province the text names."""
    if not publisher or region.district not in (None, region.city, region.province):
        return region
    own = resolve_region(publisher, None, segmenter)
    if own.district in (None, own.city, own.province):
        return region
    if region.province not in (None, own.province) or region.city not in (None, region.province, own.city):
        return region
    return own


def _province_named(short: str | None) -> str | None:
    """The province a post's location names in short (福建 -> 福建省, 广西 -> 广西壮族自治区); None for
    anything else (a country, 海外)."""
    if not short:
        return None
    return next((name for name in _index()["province"] if name.startswith(short)), None)


def build_document(raw: RawDocument, cleaned: CleanResult, segmenter: str = "rjieba") -> Document:
    """The cleaned Document of a raw input: Article row plus sentences."""
    meta = raw.meta
    known = cleaned.known_title  # meta.title as clean_text cleaned it; it may add its site: the body's line is better
    headline, site = split_site(known) if known else (None, None)
    title = cleaned.title if known and cleaned.title and same_headline(cleaned.title, known) else headline
    title = title or cleaned.title
    published = meta.published_date or _date(cleaned.published)
    publisher = clean_field(meta.publisher, cleaned) or cleaned.publisher or site
    hint = " ".join(filter(None, (cleaned.site_owner, _province_named(cleaned.posted_from)))) or None
    region = _with_publisher(resolve_region(cleaned.text, title, segmenter, hint), publisher, segmenter)
    sentences = split_sentences(cleaned.text)
    byline = "\n".join(cleaned.byline)
    authors = list(dict.fromkeys([*filter(None, (clean_field(a, cleaned) for a in meta.authors)), *cleaned.authors]))
    article = Article(
        article_id=raw.article_id, source_path=raw.source_path, title=title, published_date=published,
        publisher=publisher, authors=authors, province=region.province,
        city=region.city, district=region.district, script=cleaned.script, text=cleaned.text,
        n_chars=len(cleaned.text), n_sentences=len(sentences), byline=byline, encoding=raw.encoding,
        input_format=raw.input_format, extra=json.dumps(meta.extra, ensure_ascii=False, sort_keys=True),
    )
    return Document(article=article, sentences=tuple(sentences),
                    byline_sentences=tuple(split_sentences(byline, field="byline")),
                    title_sentences=tuple(split_sentences(title, field="title")) if title else ())


def _date(ymd: tuple[int, int, int] | None) -> dt.date | None:
    if ymd is None:
        return None
    try:
        return dt.date(*ymd)
    except ValueError:
        return None
