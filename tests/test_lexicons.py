"""Lexicon helpers: the first-character lookahead finds exactly the matches of the pattern it fronts."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.lexicons import first_char_lookahead
from pipeline.stages import bylines, clean, events
from pipeline.stages.clean import _boilerplate_rules
from pipeline.stages.counts import _re_count
from tests.test_properties import ANY_TEXT

#: Characters the patterns below care about, so that generated lines often hold a match.
PIECES = ["ICP备", "icp证", "京ICP备0000号", "公网安备", "Copyright", "copyright ©", "(c) 2024", "(C)2024", "版权所有",
          "主办:", "近", "约", "超过", "逾", "上万", "数十", "5739个", "12.9万名", "3600余万元", "十二点九万", "六大",
          "3至5个", "20万余人", "5739 个", "80亿 人类", "100%", "个", "名", "ı", "İ", "K", "\u212a", " ", "\n", "。",
          "2025年", "11月3日", "十一月三日上午", "今年3月", "本月3日", ",3日", "于28日", "區(qū)", "們(men)", "文/", " 摄影:",
          "(记者 ", "1990年代", "至", "昨天上午", "今天(3月5日)", "上周五", "周三下午,", "于周五上午", "每周三,", "直到今天", "今天的"]
LINES = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=12).map("".join) | ANY_TEXT
#: The pipeline's patterns that stand behind a lookahead.
PATTERNS = [rx for rx, _action in _boilerplate_rules()] + [_re_count(), events.RE_DATE, events.RE_DAY_ONLY, events.RE_YEAR,
                                                           events.RE_RELATIVE_DAY,
                                                           clean.RE_PINYIN, bylines.RE_CREDIT]


def _original(fast: re.Pattern) -> re.Pattern:
    """The pattern first_char_lookahead was given: (?=[class])(?:PATTERN) unwrapped (the class escapes every ])."""
    if not fast.pattern.startswith("(?=["):
        return fast
    inner = fast.pattern[fast.pattern.index("])(?:") + 5:-1]
    return re.compile(inner[:-1] if fast.flags & re.VERBOSE else inner, fast.flags)


def _matches(rx: re.Pattern, s: str) -> list:
    return [(m.span(), m.groups(), m.groupdict()) for m in rx.finditer(s)]


def test_the_slow_patterns_have_a_lookahead():
    assert sum(rx is not _original(rx) for rx in PATTERNS) >= 8


@settings(max_examples=300, deadline=None)
@given(LINES)
def test_lookahead_keeps_every_match(line):
    for fast in PATTERNS:
        rx = _original(fast)
        assert _matches(fast, line) == _matches(rx, line), rx.pattern


def test_slow_patterns_get_a_lookahead_and_find_the_same():
    icp = re.compile(r"ICP\s*备|ICP证|公网安备", re.I)
    fast = first_char_lookahead(icp)
    assert fast is not icp and fast.pattern.startswith("(?=")
    line = "主办单位:某某区委宣传部 京icp备12345678号 公网安备 110102000001号"
    assert [m.span() for m in fast.finditer(line)] == [m.span() for m in icp.finditer(line)] != []
    counts = first_char_lookahead(re.compile(r"(?P<pre>近|约)?(?P<num>\d+)(?P<unit>个|名)  # 近500名", re.VERBOSE))
    assert counts.search("全区近500名党员")["pre"] == "近" and counts.search("全区500名党员")["num"] == "500"


@pytest.mark.parametrize("pattern, flags", [
    (r"^(相关阅读|相关新闻)\s*$", 0),  # anchored: tried at the start only
    (r"已有\s*\d+\s*人", 0),  # a literal prefix: re scans for it
    (r"(主办|承办)\s*[:：]", 0),  # a class of first characters: re scans for it
    (r"(?:近)?\d*", 0),  # may match the empty string: no first character
    (r"(?<=第)\d+", 0),  # a lookbehind takes no character: [\d] first
    (r".+号", 0),  # any character first
    (r"(a)\1", re.I),  # a backreference after a cased letter: still a class [a]
    (r"[^,，。]{2,40}会议", 0),  # a negated class: nearly every character may start a match
])
def test_lookahead_only_where_it_helps_and_is_known(pattern, flags):
    rx = re.compile(pattern, flags)
    fast = first_char_lookahead(rx)
    if pattern in (r"(a)\1", r"(?<=第)\d+"):
        line = "xAa 第12条"
        assert fast is not rx and fast.search(line).span() == rx.search(line).span()
    else:
        assert fast is rx


#: Lines of page furniture and of body text, for the boilerplate rules.
FURNITURE = ["相关阅读:", "【打印】【关闭】", "点赞(12)", "原标题:", "本文来源:新华网", "文/记者 张伟", "(作者简介:王", "首页 > 新闻",
             "当前位置:首页", "京ICP备05070218号", "Copyright © 2024", "主办:区委宣传部", "已有 3 人参与", " ", "|", "12345"]
BOILERPLATE_LINES = st.lists(st.sampled_from(FURNITURE) | st.sampled_from(PIECES) | st.text(max_size=3), max_size=5).map(
    "".join).map(str.strip) | ANY_TEXT.map(str.strip)


@settings(max_examples=500, deadline=None)
@given(BOILERPLATE_LINES)
def test_screened_boilerplate_rules_pick_the_rule_the_full_table_picks(line):
    """A line whose first character no ^-anchored rule can start with is tried against the other rules only."""
    screen, unanchored = clean._rules_for_line_starts()
    assert screen is not None and 0 < len(unanchored) < len(_boilerplate_rules())
    rules = _boilerplate_rules() if screen.match(line) else unanchored
    assert next((a for p, a in rules if p.search(line)), "") == next((a for p, a in _boilerplate_rules() if p.search(line)), "")


def _word_tags_line_by_line(text: str) -> dict[str, str]:
    tags = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            tags[parts[0]] = parts[2]
    return tags


@pytest.mark.issue(6)
def test_word_tags_of_jiebas_dictionary_without_importing_jieba():
    """The tags are all of jieba's dictionary, read without importing jieba (0.2 s; rjieba segments)."""
    import importlib.util
    import subprocess
    import sys
    from pathlib import Path

    from pipeline.lexicons import load_word_tags
    from tests.conftest import ROOT

    text = (Path(importlib.util.find_spec("jieba").submodule_search_locations[0]) / "dict.txt").read_text(encoding="utf-8")
    tags = load_word_tags()
    assert tags == _word_tags_line_by_line(text) and len(tags) > 300_000 and tags["党员"] == "n"
    code = "import sys; from pipeline.lexicons import load_word_tags; load_word_tags(); print('jieba' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.issue(6)
@pytest.mark.parametrize("text", [
    "党员 100 n\n先锋 20 n\n",      # jieba's shape: every line three fields (one split for all)
    "党员 100 n\n先锋 20 n",        # no newline at the end
    "党员 100 n\n\n先锋 20\n岗位 5 n\n",  # a blank line, a line without its tag
    "党员 100 n\n先锋 20\n岗位 5 n x\n",  # a short and a long line: 3 fields a line on average
    "党员 100 n\r\n先锋\t20 n\r\n",  # CRLF, a tab
    "党员 100 n\n\0 1 n\n",  # a NUL
    "",
])
def test_word_tags_of_any_dictionary_text_are_those_of_its_three_field_lines(text):
    from pipeline.lexicons import parse_word_tags

    assert parse_word_tags(text) == _word_tags_line_by_line(text)


def test_regional_vocabulary_keeps_only_words_the_mainland_hardly_writes():
    """scripts/build_regional_vocabulary.py's rule holds for every row: the regional form stands as a word in
    the mainland corpus at most 1% as often as the mainland form, the two differ, and each is read once."""
    from pipeline.lexicons import load_table

    rows = load_table("regional_vocabulary.tsv")
    assert len(rows) > 500 and {row[4] for row in rows} == {"TW", "HK"}
    assert len({row[0] for row in rows}) == len(rows)
    for regional, mainland, in_corpus, wanted, _source in rows:
        assert regional != mainland and regional and mainland
        assert int(in_corpus) <= 0.01 * int(wanted)
    words = {row[0]: row[1] for row in rows}
    assert words["释出"] == "发布" and words["专案"] == "项目" and words["社群"] == "社区"
    assert not {"文件", "支援", "资料", "档案", "新增", "智慧", "建立"} & set(words)  # mainland words too
