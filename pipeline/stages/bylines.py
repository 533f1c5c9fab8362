"""Bylines and credits: who wrote, photographed or edited the article (EXTRACTION.md §1, §5).

    文/北京青年报记者 解丽          -> 解丽, title 记者, author
    摄影/北京青年报记者 魏彤        -> 魏彤, title 摄影
    编辑/张鹏                      -> 张鹏, title 编辑
    (作者简介:王少峰,中共北京市丰台区委书记) -> 王少峰, that title, author
"""

import re

from pipeline.lexicons import first_char_lookahead

# role/rest: 文/… 摄影：… 责任编辑|…
ROLES = "文图|图文|文|图|摄影|摄|编辑|责任编辑|责编|编审|校对|审核|审校|监制|制作|记者|通讯员|作者|供稿|撰稿"
RE_ROLE = re.compile(rf"^\s*[(（【\[]?\s*(?P<role>{ROLES})\s*[/／|:：]\s*(?P<rest>.+?)[)）】\]]?\s*$")
#: Where a credit starts inside a line: a role and its separator after a space or a bracket.
RE_CREDIT = first_char_lookahead(re.compile(rf"(?:^|(?<=[\s(（【\[]))(?:{ROLES})\s*[/／|:：]"))
RE_PRESS = re.compile(r"^\s*[□■◎●▲△◆◇★☆]?\s*(?P<role>本报记者|新华社记者|本报通讯员|本刊记者|特约记者|记者)\s+(?P<rest>.+)$")
RE_AUTHOR_NOTE = re.compile(
    r"^\s*[(（]\s*(?:作者简介|作者单位|作者系|作者为)\s*[:：]?\s*(?P<name>[\u4e00-\u9fff·]{2,5})\s*[,，、:：]\s*(?P<title>[^)）]+?)\s*[)）]?\s*$"
)
RE_NAME = re.compile(r"[\u4e00-\u9fff·]{2,4}")
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
    if m.re is RE_PRESS:  # 记者 王五 通讯员 赵六: each name gets the role written before it
        out, title = [], _press_title(role)
        for tok in re.split(r"[\s、,，;；/]+", rest.strip()):
            if RE_INNER_ROLE.fullmatch(tok):
                title = _press_title(tok)
            elif RE_NAME.fullmatch(tok):
                out.append((tok, title, True))
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
