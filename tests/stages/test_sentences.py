"""Sentence splitting: end punctuation, quotes, headings, exact offsets."""

import pytest

from pipeline.stages.sentences import split_sentences

# fmt: off
CASES = [
    ("会议强调,要抓好落实。会议要求,要压实责任!", ["会议强调,要抓好落实。", "会议要求,要压实责任!"]),
    ("他说:“我们一定要强化责任意识。统筹抓好疫情防控。”随后离开。",
     ["他说:“我们一定要强化责任意识。统筹抓好疫情防控。”", "随后离开。"]),
    ("被誉为“北方的红星。”长辛店为马克思主义的传播。", ["被誉为“北方的红星。”", "长辛店为马克思主义的传播。"]),
    ("在承诺践诺中筑牢战斗堡垒\n一个支部一座堡垒。", ["在承诺践诺中筑牢战斗堡垒", "一个支部一座堡垒。"]),
    ("一、聚焦举旗领航,把稳方向。二、聚焦赋能提质。", ["一、聚焦举旗领航,把稳方向。", "二、聚焦赋能提质。"]),
    ("会议提出“要做到‘两个维护’。”并部署工作。", ["会议提出“要做到‘两个维护’。”", "并部署工作。"]),
]
# fmt: on


@pytest.mark.parametrize("text,want", CASES, ids=[c[0][:8] for c in CASES])
def test_split(text, want):
    assert [s.text for s in split_sentences(text)] == want


def test_quote_that_continues_keeps_the_sentence_whole():
    text = "他强调“要坚持。要落实”,并要求各级党组织抓好执行。"
    assert [s.text for s in split_sentences(text)] == [text]


def test_offsets_map_back_into_the_text(seed_docs):
    for doc in seed_docs.values():
        text = doc.article.text
        assert doc.sentences, doc.article.source_path
        for s in doc.sentences:
            assert text[s.start:s.end] == s.text


@pytest.mark.issue(6)
@pytest.mark.parametrize("text", [
    "党员" * 5000,                                  # no punctuation at all
    ("1" * 50 + "个") * 2000,                       # a page of digits with measure words
    "“" * 4000 + "红墙先锋。" + "”" * 4000,          # quotes that close only at the end
    "党员先锋岗，" * 1500 + "结束。后面的句子。",      # clause marks, no end mark
])
def test_a_run_without_an_end_is_cut_into_sentences_of_at_most_max_sentence(text):
    from pipeline.stages.sentences import MAX_SENTENCE

    sents = split_sentences(text)
    assert all(len(s.text) <= MAX_SENTENCE and text[s.start:s.end] == s.text for s in sents)
    assert "".join(s.text for s in sents) == text  # nothing lost (no whitespace to trim here)
    assert [s.index for s in sents] == list(range(len(sents)))
    if "，" in text:  # cut after a clause mark, not inside a word
        assert all(s.text.endswith(("，", "。")) for s in sents)


@pytest.mark.issue(6)
def test_the_longest_real_sentence_stays_whole():
    """The longest sentence of the 19,547 CCTV stories (1,978 characters: a committee's names, listed
    with 、; tests/data/pages/xwlb_longest_sentence.txt) is one sentence under MAX_SENTENCE."""
    from pipeline.stages.sentences import MAX_SENTENCE
    from tests.conftest import ROOT

    text = (ROOT / "tests" / "data" / "pages" / "xwlb_longest_sentence.txt").read_text(encoding="utf-8")
    longest = max(split_sentences(text), key=lambda s: len(s.text))
    assert len(longest.text) == 1978 < MAX_SENTENCE and longest.text.count("、") > 400
