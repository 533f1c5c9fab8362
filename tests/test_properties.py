"""Property tests: no stage raises on any text, rows are valid models with exact offsets inside the text."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.nlp import build_nlp, person_mentions
from pipeline.stages.clean import clean_text, normalize_width, strip_pinyin, to_simplified
from pipeline.stages.counts import extract_counts
from pipeline.stages.events import extract_events
from pipeline.stages.ingest import decode_bytes
from pipeline.errors import InputError
from pipeline.stages.initiatives import extract_initiatives
from pipeline.stages.persons import extract_persons
from pipeline.stages.sentences import split_sentences
from tests.conftest import SEEDS, make_doc

SEED_SENTENCES = [s.text for p in sorted(SEEDS.glob("*.txt"))
                  for s in split_sentences(clean_text(p.read_text(encoding="utf-8")).text)]
PIECES = ["5739个", "12.9万名", "3.7亿元", "“", "”", "‘", "’", "、", "。", "\n", "11月3日", "区委书记", "张俊录",
          "“红墙先锋工程”", "工程", "第", "二十大", "99999999999999999999个", "0.000000001亿元", "一万亿亿个",
          "百分之", "(qū)", "區", "——", "文/记者 ", "相关阅读", "12345", "(", ")", "《", "》", "……", " ", "\t"]
CJK_TEXT = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF) | st.sampled_from(
    list("，。、；：？！“”‘’()（）《》0123456789个名项万亿元年月日 \n")), max_size=300)
MIXES = st.lists(st.sampled_from(SEED_SENTENCES) | st.sampled_from(PIECES), max_size=25).map("".join)
ANY_TEXT = st.text(max_size=300) | CJK_TEXT | MIXES
SETTINGS = settings(max_examples=int(__import__("os").environ.get("HYPOTHESIS_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
NLP = build_nlp("rjieba")


def _check_rows(doc, rows):
    for r in rows:
        field = {"text": doc.article.text, "byline": doc.article.byline, "title": doc.article.title}[r.source_field]
        assert 0 <= r.char_start < r.char_end <= len(field)
        assert field[r.char_start:r.char_end] == r.text


@SETTINGS
@given(ANY_TEXT)
def test_every_extractor_returns_valid_rows(text):
    try:
        doc = make_doc(text)
    except InputError as err:  # nothing usable left: a quarantine with its reason, not a crash
        assert err.code in ("Q001", "Q003")
        return
    mentions = person_mentions(doc, "rjieba")
    assert person_mentions(doc, NLP) == mentions  # the spaCy component finds the same
    for extract in (extract_counts, extract_initiatives):
        _check_rows(doc, extract(doc))
    _check_rows(doc, extract_persons(doc, mentions))
    _check_rows(doc, extract_events(doc, mentions))
    for s in doc.sentences:
        assert doc.article.text[s.start:s.end] == s.text


@SETTINGS
@given(ANY_TEXT)
def test_normalisation_is_idempotent(text):
    once = to_simplified(strip_pinyin(normalize_width(text))[0])
    assert to_simplified(strip_pinyin(normalize_width(once))[0]) == once


@SETTINGS
@given(MIXES)
def test_clean_body_is_stable(text):
    body = clean_text(text).text
    again = clean_text(body)
    assert again.text in body or body in again.text  # a second pass may only take a headline off the top
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,6}\)", again.text) or "(" in text


@SETTINGS
@given(st.binary(max_size=2000))
def test_decoding_never_fails_without_a_reason(data):
    try:
        text, encoding = decode_bytes(data)
    except InputError as err:
        assert re.match(r"^Q\d{3} ", err.reason) and "\n" not in err.reason
    else:
        assert isinstance(text, str) and encoding


@SETTINGS
@given(st.lists(st.text(alphabet=st.sampled_from(list("a.Ab文 .-")), min_size=1, max_size=8)
                .filter(lambda part: part not in (".", "..")), min_size=1, max_size=3).map("/".join))
def test_a_paths_suffix_is_pathlibs(rel):
    """The planner reads an input's kind from its suffix without making a Path; pathlib is the reference."""
    from pathlib import Path

    from pipeline.stages.ingest import _suffix

    assert _suffix(rel) == Path(rel.lower()).suffix


@SETTINGS
@given(st.text(alphabet="红墙先锋工程ab", max_size=60),
       st.lists(st.text(alphabet="红墙先锋工程ab", min_size=1, max_size=5), min_size=2, max_size=5))
def test_mentions_of_an_initiatives_forms_are_counted_as_a_regex_alternation_of_them_finds_them(text, forms):
    """Leftmost first, the longest where several start there, never overlapping: what the alternation
    the count was made with until it cost a regex compile per initiative and article."""
    from pipeline.lexicons import alternation
    from pipeline.stages.initiatives import _count_mentions

    assert _count_mentions(text, forms) == sum(1 for _ in re.finditer(alternation(forms), text))


def _list_groups_by_walking(s, quotes):
    """What initiatives._list_groups answered by walking from each quote (the square of a list's length)."""
    spans = []
    for i, (a, b, _c) in enumerate(quotes):
        first, j = a, i
        while j > 0 and quotes[j - 1][1] <= quotes[j][0] and re.fullmatch(r"[、]?", s[quotes[j - 1][1]:quotes[j][0]]):
            j -= 1
            first = quotes[j][0]
        last, k = b, i
        while (k + 1 < len(quotes) and quotes[k][1] <= quotes[k + 1][0]
               and re.fullmatch(r"[、]?", s[quotes[k][1]:quotes[k + 1][0]])):
            k += 1
            last = quotes[k][1]
        spans.append((first, last))
    return spans


@SETTINGS
@given(st.lists(st.sampled_from(["“红墙”", "“先锋工程”", "、", "“", "”", "红", "等", "‘", "’", "品牌"]), max_size=30).map("".join))
def test_quote_lists_are_grouped_as_the_walk_from_each_quote_grouped_them(s):
    """One pass each way finds, for every quote, its list's first start and last end (nested quotes too)."""
    from pipeline.stages.initiatives import _list_groups
    from pipeline.stages.spans import quote_spans

    quotes = quote_spans(s)
    assert _list_groups(s, quotes) == _list_groups_by_walking(s, quotes)
