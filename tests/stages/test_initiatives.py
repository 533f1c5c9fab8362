"""Initiatives: kind words, triggers, frames, copulas; slogans, virtues and speech kept out."""

import pytest

from pipeline.stages.initiatives import extract_initiatives
from tests.conftest import make_doc


def names(sentence: str) -> list[str]:
    return [i.name for i in extract_initiatives(make_doc(sentence))]


# fmt: off
POSITIVE = [
    ("西城区创新实施“红墙先锋工程”,以高质量党建引领发展。", ["红墙先锋工程"]),
    ("探索打造“长辛先锋”区域党建品牌。", ["长辛先锋"]),
    ("建立党建引领“公事共办”体制机制。", ["公事共办"]),
    ("以“揭榜挂帅”大调研活动为引领。", ["揭榜挂帅"]),
    ("“窗帘约定”本来是白纸坊街道的经典品牌。", ["窗帘约定"]),
    ("积极培树“小社区撬动大部委”、“立体化党建四合院”等100个为民服务品牌。", ["小社区撬动大部委", "立体化党建四合院"]),
    ("实施年轻干部“五个一”工程。", ["五个一"]),
    # written for these tests
    ("杭州市上城区推出“红色根脉强基”工程,建强基层组织。", ["红色根脉强基"]),
    ("成都市武侯区打造“社区合伙人”治理平台。", ["社区合伙人"]),
    ("全县深入开展“万名党员进万家”主题活动。", ["万名党员进万家"]),
    ("该街道首创“135”工作法,破解治理难题。", ["135"]),
    ("以“党建+物业”为抓手,提升小区治理水平。", ["党建+物业"]),
    ("全面推行“街乡吹哨、部门报到”制度。", ["街乡吹哨、部门报到"]),
    # ASCII and corner quotes, as some sites and traditional pages write them; a quote inside a name
    ('全市启动"先锋引领"行动,打造"长辛先锋"区域党建品牌。', ["先锋引领", "长辛先锋"]),
    ("實施「紅牆先鋒工程」,打造『長辛先鋒』品牌。", ["红墙先锋工程", "长辛先锋"]),
    ("“清朗·从严整治‘自媒体’乱象”专项行动取得阶段性成效。", ["清朗·从严整治‘自媒体’乱象"]),
    # a named service centre or night school is a platform
    ("今年以来,玉林街道依托“玉林之家”党群服务中心,组建志愿服务队伍45支。", ["玉林之家"]),
    ("村里办起“农民夜校”,请农技专家授课。", ["农民夜校"]),
]
NEGATIVE = [
    "自觉做到“两个维护”,增强“四个意识”、坚定“四个自信”。",
    # honours, not programmes: the names before 评选表彰, 称号
    "决定开展2025年度“优秀共产党员”“优秀党务工作者”和“先进基层党组织”评选表彰活动。",
    "该村荣获“全国文明村”称号。",
    "深入践行“红墙意识”,大力弘扬“红墙文化”。",
    "围绕“政治领导力”“思想引领力”五个方面明确举措。",
    "紧紧抓住疏解非首都功能这个“牛鼻子”。",
    "习近平总书记强调“看北京首先要从政治上看”。",
    "打造新兴领域党建的“西城样板”,探索基层治理的“西城路径”。",
    "打造了一系列“红色品牌”。",
    "持续擦亮“城之源 都之始 河之端”西城文化标识。",
    "当好居民生命安全的“门神”。",
    "把“突出政治中心、突出人民群众”作为行动指南。",
    # party-line formulas and what the party opposes (written for these tests)
    "持续深化纠治“四风”,一体推进“三不腐”。",
    "坚决反对外部势力干涉和“台独”分裂活动。",
    "全面落实“爱国者治港”原则。",
    # a manner is no name (written for these tests after the 10k corpus's 一站式, 枫桥式, 组团式)
    "打造“一站式”服务中心,方便群众办事。",
    "积极创建新时代“枫桥式”派出所。",
    "群众可到“城西区市民服务中心”办理。",  # a building: 服务中心 names a programme only after the quote
]
# fmt: on


@pytest.mark.parametrize("sentence,want", POSITIVE, ids=[c[0][:10] for c in POSITIVE])
def test_initiatives(sentence, want):
    assert names(sentence) == want


@pytest.mark.parametrize("sentence", NEGATIVE, ids=[c[:10] for c in NEGATIVE])
def test_not_initiatives(sentence):
    assert names(sentence) == []


def test_alias_merged_and_mentions_counted():
    doc = make_doc("以“红墙先锋”新作为推动发展。接续实施“红墙先锋工程”,深化“红墙先锋工程”建设。")
    (i,) = extract_initiatives(doc)
    assert (i.name, i.aliases, i.mentions) == ("红墙先锋工程", ["红墙先锋"], 3)


def test_same_initiative_same_id_across_articles():
    a = extract_initiatives(make_doc("丰台区打造“先丰港”平台。", name="a.txt"))
    b = extract_initiatives(make_doc("“先丰港”平台服务企业超过百家,深化“先丰港”平台建设。", name="b.txt"))
    assert a[0].initiative_id == b[0].initiative_id and a[0].article_id != b[0].article_id


def test_kind_and_owner():
    (i,) = extract_initiatives(make_doc("区委社会工作部首创“三新学院”新模式。"))
    assert (i.kind, i.owner) == ("mechanism", "区委社会工作部")
    (j,) = extract_initiatives(make_doc("九一先智科技集团有限公司党支部创立的“红色引擎工程”工作法很有成效。"))
    assert j.owner == "九一先智科技集团有限公司党支部"


def test_evidence_offsets(seed_docs):
    for doc in seed_docs.values():
        for i in extract_initiatives(doc):
            assert doc.article.text[i.char_start:i.char_end] == i.text == i.name


HEADLINE_BODY = "\n2025-08-08 10:00\n\n今年以来,金水区积极探索“一网统领、一岗示范”工作法,推动党员在基层治理中亮身份、作表率。"


@pytest.mark.parametrize("headline,want", [
    ("“三个一”工作法激活红色细胞", ["三个一"]),
    ("“山水工程”累计完成治理面积8000万亩", ["山水工程"]),
    # ... but not a quote for emphasis, nor a topic that opens with a verb
    ("苏州打造古城保护“新样本”", []),
    ("围绕“完善科技成果评价机制”协商议政", []),
], ids=["kind-after", "kind-inside", "emphasis", "topic"])
def test_an_initiative_only_the_headline_names(headline, want):
    """Its evidence is the headline: source_field title, offsets into articles.title (written for this test)."""
    doc = make_doc(headline + HEADLINE_BODY)
    rows = [i for i in extract_initiatives(doc) if i.source_field == "title"]
    assert [i.name for i in rows] == want
    for i in rows:
        assert doc.article.title[i.char_start:i.char_end] == i.text == i.name and i.sentence == doc.article.title


def test_an_initiative_the_body_names_keeps_the_bodys_evidence():
    doc = make_doc("“一网统领、一岗示范”工作法激活红色细胞" + HEADLINE_BODY)
    (row,) = extract_initiatives(doc)
    assert (row.name, row.source_field) == ("一网统领、一岗示范", "text")
