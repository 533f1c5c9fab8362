"""Bylines and credits: who wrote, photographed or edited the article (EXTRACTION.md §1, §5).

    文/北京青年报记者 解丽          -> 解丽, title 记者, author
    摄影/北京青年报记者 魏彤        -> 魏彤, title 摄影
    编辑/张鹏                      -> 张鹏, title 编辑
    (作者简介:王少峰,中共北京市丰台区委书记) -> 王少峰, that title, author
    本报讯（记者 王小明 通讯员 李华）5月11日… -> 王小明 记者, 李华 通讯员, authors (the lead stays in the body)
    □本报记者王小明上海报道        -> 王小明, title 记者, author
    记者 刘洋 摄                   -> 刘洋, title 摄影
"""

import re

from pipeline.lexicons import first_char_lookahead

# role/rest: 文/… 摄影：… 责任编辑|…
ROLES = "文图|图文|文|图|摄影|摄|编辑|责任编辑|责编|编审|校对|审核|审校|监制|制作|记者|通讯员|作者|供稿|撰稿"
RE_ROLE = re.compile(rf"^\s*[(（【\[]?\s*(?P<role>{ROLES})\s*[/／|:：]\s*(?P<rest>.+?)[)）】\]]?\s*$")
#: Where a credit starts inside a line: a role and its separator after a space or a bracket.
RE_CREDIT = first_char_lookahead(re.compile(rf"(?:^|(?<=[\s(（【\[]))(?:{ROLES})\s*[/／|:：]"))
RE_PRESS = re.compile(r"^\s*[□■◎●▲△◆◇★☆]?\s*[(（【\[]?\s*(?P<role>本报记者|新华社记者|本报通讯员|本刊记者|特约记者|记者|通讯员)"
                      r"\s*(?P<rest>.+?)\s*[)）】\]]?\s*$")
#: A credit that opens a news lead: 本报讯（记者 王小明 通讯员 李华）, 新华社北京5月11日电（记者 王小明）,
#: 荆楚网消息（记者欣屏、通讯员伍宣）, 本网讯（通讯员 农海燕）. The lead stays in the body; the credit is a byline too.
RE_INLINE_CREDIT = first_char_lookahead(re.compile(
    r"^\s*(?:本[报刊网台站](?:[^\s(（，。]{1,12})?讯|[^\s(（，。]{2,24}电|[^\s(（，。]{2,12}(?:网讯|消息))\s*[(（]"
    r"(?P<credit>\s*(?:本报|本刊|特约)?(?:记者|通讯员|实习生)[^)）]{1,60})[)）]"))
#: Where one role of a credit ends and a name begins, written without a space: 记者王小明通讯员李华.
RE_ROLE_WORD = re.compile(r"(本报记者|本刊记者|特约记者|记者|通讯员|实习生)")
#: What follows the reporter's name in a press line: 王小明上海报道, 胡健发自北京, 刘洋 摄.
RE_REPORT_TAIL = re.compile(r"(?:报道|发自[\u4e00-\u9fff、]{2,12})$")
PHOTO_MARKS = ("摄", "摄影")
RE_AUTHOR_NOTE = re.compile(
    r"^\s*[(（]\s*(?:作者简介|作者单位|作者系|作者为)\s*[:：]?\s*(?P<name>[\u4e00-\u9fff·]{2,5})\s*[,，、:：]\s*(?P<title>[^)）]+?)\s*[)）]?\s*$"
)
RE_NAME = re.compile(r"[\u4e00-\u9fff·]{2,4}|[\u4e00-\u9fff]{1,8}(?:·[\u4e00-\u9fff]{1,8}){1,3}")  # 艾力·买买提
RE_INNER_ROLE = re.compile(r"(记者|通讯员|特约撰稿人|撰稿人)")
AUTHOR_ROLES = {"文", "文图", "图文", "记者", "通讯员", "作者", "撰稿", "供稿"}
ROLE_TITLES = {"摄": "摄影", "图": "摄影", "责编": "责任编辑"}


def parse_byline(line: str) -> list[tuple[str, str, bool]]:
    """(name, title, is_author) for every person a byline or credit line names; a line of several
    credits (（编辑：王芳 审核：李强）) is read credit by credit."""
    starts = [m.start() for m in RE_CREDIT.finditer(line)]
    if starts and (len(starts) > 1 or not RE_ROLE.match(line)):  # also 来源：人民网 编辑：刘一
        head = line[:starts[0]]
        bounds = [*starts, len(line)]
        return ((_parse_one(head) if head.strip(" (（【[") else [])
                + [got for a, b in zip(bounds, bounds[1:]) for got in _parse_one(line[a:b])])
    return _parse_one(line)


def _press_title(role: str) -> str:
    return "通讯员" if role.endswith("通讯员") else "记者" if role.endswith("记者") else role


def _reporter_name(tok: str) -> str | None:
    """The name in one word of a press line: 王小明, or 王小明上海报道 / 龙跃北京报道 / 胡健发自北京 without the
    place and the report mark (the place must be one the division tables or JioNLP's world list know)."""
    rest = RE_REPORT_TAIL.sub("", tok)
    if rest == tok:
        return tok if RE_NAME.fullmatch(tok) else None
    if RE_NAME.fullmatch(rest) and not tok.endswith("报道"):
        return rest  # 胡健|发自北京
    from pipeline.stages.persons import _place_names, _world_places

    def is_place(word: str) -> bool:
        return word in _place_names() or word in _world_places()

    for n in (2, 3):  # 王小明|上海|报道, 王小明|报道; a place alone (北京报道) is no name
        name, place = rest[:n], rest[n:]
        if RE_NAME.fullmatch(name) and not is_place(name) and (place == "" or is_place(place)):
            return name
    return None


def inline_credit(line: str) -> str | None:
    """The credit a news lead opens with (本报讯（记者 王小明）…: 记者 王小明), or None."""
    m = RE_INLINE_CREDIT.match(line)
    return m["credit"].strip() if m else None


def _parse_one(line: str) -> list[tuple[str, str, bool]]:
    note = RE_AUTHOR_NOTE.match(line)
    if note:
        return [(note["name"], note["title"].strip(), True)]
    if RE_NAME.fullmatch(line.strip()):
        return [(line.strip(), "", True)]
    m = RE_ROLE.match(line) or RE_PRESS.match(line)
    if not m:
        return []
    role = m["role"]
    rest = m["rest"]
    if m.re is RE_ROLE and role in AUTHOR_ROLES and RE_PRESS.match(rest):
        return _parse_one(rest)  # 作者:记者 沈勇强 通讯员 吴丽萍: each name its press role
    if m.re is RE_PRESS:  # 记者 王五 通讯员 赵六: each name gets the role written before it
        out, title = [], _press_title(role)
        toks = [t for t in re.split(r"[\s、,，;；/]+", RE_ROLE_WORD.sub(r" \1 ", rest).strip()) if t]
        photo = bool(toks) and toks[-1] in PHOTO_MARKS  # 记者 刘洋 摄: a photograph's credit
        for tok in toks:
            if RE_ROLE_WORD.fullmatch(tok):
                title = _press_title(tok)
            elif (name := _reporter_name(tok)) is not None:
                out.append((name, "摄影", False) if photo else (name, title, True))
        return out
    inner = None
    for inner in RE_INNER_ROLE.finditer(rest):
        pass
    if inner is not None:
        rest = rest[inner.end():]
    if inner is not None and role in AUTHOR_ROLES:
        title = inner.group(1)
    elif role.endswith("记者") or role.endswith("通讯员"):
        title = "记者" if role.endswith("记者") else "通讯员"
    elif role in AUTHOR_ROLES:
        title = ""
    else:
        title = ROLE_TITLES.get(role, role)
    is_author = role in AUTHOR_ROLES or role.endswith(("记者", "通讯员"))
    names = [n for n in re.split(r"[\s、,，;；/]+", rest.strip()) if RE_NAME.fullmatch(n)]
    return [(n, title, is_author) for n in names]
