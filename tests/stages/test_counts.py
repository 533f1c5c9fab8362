"""Counts: numerals, multipliers, units, approximation, entity; the spec's exclusions."""

import pytest

from pipeline.stages.counts import extract_counts
from tests.conftest import make_doc


def counts(sentence: str) -> list[tuple[float, str, bool]]:
    return [(c.value, c.unit, c.approximate) for c in extract_counts(make_doc(sentence))]


# fmt: off
POSITIVE = [
    ("全区5739个党组织、12.9万名党员立标杆。", [(5739, "个", False), (129000, "名", False)]),
    ("投资3.7亿元实施8055套老旧小区综合整治改造。", [(370000000, "元", False), (8055, "套", False)]),
    ("推动500余家驻区单位形成1500个共建项目清单。", [(500, "家", True), (1500, "个", False)]),
    ("围绕五个方面明确了18项重点举措。", [(5, "个", False), (18, "项", False)]),
    ("机关、教育、卫生、国资、街道和两新六大系统同步实施。", [(6, "", False)]),
    ("截至目前,完成6类30项重点民生实事项目。", [(6, "类", False), (30, "项", False)]),
    ("彭家寨镇各基层党组织设立党员先锋岗12个。", [(12, "个", False)]),
    ("组织召开专题座谈会共3场。", [(3, "场", False)]),
    ("连续三年开展5大类办实事项目。", [(3, "年", False), (5, "类", False)]),
    # written for these tests, not from the seeds
    ("全市共有一千四百二十二个基层党支部。", [(1422, "个", False)]),
    ("近20万余人参与志愿服务。", [(200000, "人", True)]),
    ("项目总投资500万元,惠及群众约3000户。", [(5000000, "元", False), (3000, "户", True)]),
    ("辖区面积12.5平方公里,常住人口超过8万人。", [(12.5, "平方公里", False), (80000, "人", True)]),
    ("党员参与率达到95%。", [(95, "%", False)]),
    ("每个社区配备3至5名专职网格员。", [(3, "名", True)]),
    ("两年来,全县新建十八个党群服务中心。", [(2, "年", False), (18, "个", False)]),
    ("上万名志愿者投身疫情防控。", [(10000, "名", True)]),
    ("全区300名左右的党员干部下沉社区。", [(300, "名", True)]),
    ("覆盖百分之九十的行政村。", [(90, "%", False)]),
    # meetings counted, not a numbered session (本届 has no number)
    ("区人大常委会本届以来召开12次常务会议。", [(12, "次", False)]),
    ("连续举办三届党建论坛。", [(3, "届", False)]),
    ("与会代表十多次全体起立鼓掌。", [(10, "次", True)]),
    # a bare hundred or thousand with an approximation marker; compound measure words (written for these tests)
    ("全市逾百家企业参与共建,近千名党员下沉社区。", [(100, "家", True), (1000, "名", True)]),
    # the approximation after a bare 百/千 (百余名), and 数 before one (数十家, 数百名); 人数 is no marker
    ("百余名志愿者参与活动,数十家企业参加,数百名党员到场。", [(100, "名", True), (10, "家", True), (100, "名", True)]),
    ("参会人数1200人。", [(1200, "人", False)]),
    ("全年开展主题党日活动200余场次,调运物资24批次。", [(200, "场次", True), (24, "批次", False)]),
    # the approximation between the number and its multiplier (3600余万元, 十多万人, 1万多个)
    ("累计投入资金3600余万元,吸纳十多万人就业,覆盖1万多个基层党支部。",
     [(36000000, "元", True), (100000, "人", True), (10000, "个", True)]),
    ("撬动社会资金1.5亿多元。", [(150000000, "元", True)]),
    # Chinese decimals with a multiplier; a space between the number and its measure word, as some sites set it
    ("全省共有党员十二点九万名,投入资金三点七亿元。", [(129000, "名", False), (370000000, "元", False)]),
    # currencies of Hong Kong, Macau and abroad: the unit as written, the value not converted
    ("将投入约1.5亿澳门元,另投入3亿港元和200万欧元。", [(150000000, "澳门元", True), (300000000, "港元", False),
                                                     (2000000, "欧元", False)]),
    # 多 after the measure word of a time (3个多月, 5年多来): approximate too; not 3个|多部门
    ("历时3个多月,5年多来全县新建党群服务中心3个多部门联合验收。", [(3, "个", True), (5, "年", True), (3, "个", False)]),
    # a multiplier applied in decimal: 2.3 * 1e8 in floats is 229999999.99999997
    ("市府将投入新台币2.3亿元,另投入二点三亿元。", [(230000000, "元", False), (230000000, "元", False)]),
    ("全区共有 5739 个党组织。", [(5739, "个", False)]),
    # two numerals side by side are a loose range, taken as 3至5 is: the lower end, approximate (cn2an reads 两三 as 23)
    ("每个小组有两三个人负责,村里有三四十户人家。", [(2, "个", True), (30, "户", True)]),
    ("参加活动的多是十七八岁的青年,计划用三五年时间完成改造。", [(17, "岁", True), (3, "年", True)]),
    ("增长了七八倍,一两百名党员参加。", [(7, "倍", True), (100, "名", True)]),
]
NEGATIVE = [
    "中国红十字会向灾区运送物资。",  # 十字: a numeral inside a word
    "世界人口达到80亿 人类期待共同发展。",  # a space that parts two phrases of a headline
    "学习贯彻党的二十大精神。",
    "深入学习党的十九届六中全会精神。",
    "自觉做到“两个维护”,坚定“四个自信”。",
    "形成“1+6”组织体系,统筹“四个中心”建设。",
    "通过12345市民服务热线受理诉求。",
    "2022年11月3日,西城区召开部署会。",
    "一个支部一座堡垒,一名党员一面旗帜。",
    "用心用情办好千家万户的大事小情。",
    "全区接诉即办排名全市第一,首批基地挂牌。",
    "以一件件惠民实事成就群众幸福。",
    "打造了一系列红色品牌。",
    "20世纪80年代以来,城市面貌发生巨大变化。",
    "文件编号为京政发〔2023〕5号。",
    # numbered sessions, zero, magnitudes (written for these tests)
    "区十四届人大二次会议胜利闭幕。",
    "深入学习贯彻区委十三届五次全会精神。",
    "会议传达了区委五次全体(扩大)会议精神。",
    "十三届区委第三轮巡察工作动员部署会召开。",
    "坚持零容忍,汽车零部件产业实现两位数增长。",
    # numerals side by side that are no range: one by one (一一), a plant (三七)
    "网格员一一个走访群众。",
    "破解三七种植难题。",
]
# fmt: on


@pytest.mark.parametrize("sentence,want", POSITIVE, ids=[c[0][:10] for c in POSITIVE])
def test_counts(sentence, want):
    got = counts(sentence)
    assert [(v, u, a) for v, u, a in got] == [(float(v), u, a) for v, u, a in want]


@pytest.mark.parametrize("sentence", NEGATIVE, ids=[c[:10] for c in NEGATIVE])
def test_not_counts(sentence):
    assert counts(sentence) == []


def test_entity_and_surface_text():
    doc = make_doc("全区5739个党组织、12.9万名党员立标杆,组织870余名机关党员充分发挥作用。")
    got = [(c.text, c.entity) for c in extract_counts(doc)]
    assert got == [("5739个党组织", "党组织"), ("12.9万名党员", "党员"), ("870余名机关党员", "机关党员")]


def test_postposed_entity():
    doc = make_doc("全区建立各级党建工作协调委员会279个。")
    (c,) = extract_counts(doc)
    assert (c.text, c.entity, c.value) == ("党建工作协调委员会279个", "党建工作协调委员会", 279.0)
    # a verb right after the scope (全县|共有, 全区|划分) is the predicate, not part of the noun
    got = [(c.text, c.entity) for c in extract_counts(make_doc("全县共有基层党组织1096个,全区划分网格1280个。"))]
    assert got == [("基层党组织1096个", "基层党组织"), ("网格1280个", "网格")]


@pytest.mark.parametrize("sentence,want", [
    # a long noun as the head, and a quoted name (written for these tests)
    ("全镇建成村级党群服务中心98个。", ("村级党群服务中心98个", "村级党群服务中心")),
    ("全区已建成“红色驿站”15个。", ("“红色驿站”15个", "红色驿站")),
    # the scope is not part of the noun; nor is the verb of reaching the total, nor an estimate's adverb
    ("全区现有党员1.2万名。", ("现有党员1.2万名", "现有党员")),
    ("春运期间全国铁路旅客发送量突破2亿人次。", ("铁路旅客发送量突破2亿人次", "铁路旅客发送量")),
    ("全市客流量预计突破8.7万人次。", ("客流量预计突破8.7万人次", "客流量")),
    # a verb before the people it acts on is the predicate, and so is a verb of running programmes,
    # even between two nouns or where jieba tags it a noun (选派 n)
    ("全年培训村干部1200余人次。", ("村干部1200余人次", "村干部")),
    ("各村党组织开展活动120场。", ("活动120场", "活动")),
    ("全县选派第一书记86名。", ("第一书记86名", "第一书记")),
    # verbs of growing, settling and spending before the noun (培育, 化解, 新增, 累计)
    ("全区培育五星支部38个。", ("五星支部38个", "五星支部")),
    ("累计走访群众1.2万户。", ("群众1.2万户", "群众")),
    ("昨日新增新冠肺炎确诊病例521例。", ("新冠肺炎确诊病例521例", "新冠肺炎确诊病例")),
    ("全区选聘专兼职网格员3800余名。", ("网格员3800余名", "网格员")),  # 网格|员 (written for this test)
    ("1—8月份新开工重大项目34个。", ("新开工重大项目34个", "新开工重大项目")),  # 月份: the measure of 1—8
    ("帮助群众解决实际困难1300余件。", ("实际困难1300余件", "实际困难")),  # 解决: a predicate
    # a verb and its noun that jieba's dictionary lists as one word (发展党员): the noun
    ("全县今年发展党员52名。", ("党员52名", "党员")),
    ("今年共举办活动250余场。", ("活动250余场", "活动")),  # 举办活动: one word
    # requests are nouns before their number (诉求, jieba: v); having is the predicate after any place
    ("今年以来累计解决群众诉求两千三百余件。", ("群众诉求两千三百余件", "群众诉求")),
    ("全州共有基层党组织1.6万余个。", ("基层党组织1.6万余个", "基层党组织")),
    ("城关区共有基层党组织1086个。", ("基层党组织1086个", "基层党组织")),
    ("北京拥有独角兽企业102家。", ("独角兽企业102家", "独角兽企业")),
])
def test_postposed_entity_boundaries(sentence, want):
    (c,) = extract_counts(make_doc(sentence))
    assert (c.text, c.entity) == want


@pytest.mark.parametrize("sentence,want", [
    # after a noun, a verb is the predicate (written for these tests)
    ("全市14条高速公路建成通车。", ("14条高速公路", "高速公路")),
    ("全县120个党组织开展主题党日活动。", ("120个党组织", "党组织")),
    # ... unless the words after it end with a compound's head
    ("全省23个省级创新平台通过验收。", ("23个省级创新平台", "省级创新平台")),
    ("建成5个水稻种植基地。", ("5个水稻种植基地", "水稻种植基地")),
    # after 人 and 人次, what follows is what the people do
    ("下沉社区党员干部5000余人参与志愿服务。", ("5000余人", "")),
    # adjectives describe what is counted, people too, before a long noun as well
    ("选派300名优秀年轻干部到社区任职。", ("300名优秀年轻干部", "优秀年轻干部")),
    ("共有120名优秀共产党员受到表彰。", ("120名优秀共产党员", "优秀共产党员")),
    ("国家150项重大水利工程之一开工建设。", ("150项重大水利工程", "重大水利工程")),
    # ... but after a number of people only when they end the noun with people
    ("全省122.7万人不同程度受灾。", ("122.7万人", "")),
    # a person suffix the segmenter leaves alone (网格|员) belongs to the noun
    ("选聘3800名网格员参与网格治理。", ("3800名网格员", "网格员")),
    # a level of government before the noun is part of it (村: a suffix in jieba's dictionary)
    ("全县98名村党组织书记参加培训。", ("98名村党组织书记", "村党组织书记")),
    ("辖5个村党支部。", ("5个村党支部", "村党支部")),
    # ... and the level alone is what is counted where no noun follows it (written for these tests)
    ("全镇15个村全部建成红色驿站。", ("15个村", "村")),
    ("覆盖全县208个村。", ("208个村", "村")),
    # a long noun after the modifiers is the compound's head (服务中心, 水利工程, 工作人员) and ends the noun,
    # but not an idiom, a verb and its object, or the object of a verb before it
    ("建成15个村级党群服务中心。", ("15个村级党群服务中心", "村级党群服务中心")),
    ("全市66项全国重大水利工程已开工。", ("66项全国重大水利工程", "全国重大水利工程")),
    ("1万多名亚组委工作人员投入到筹备工作中。", ("1万多名亚组委工作人员", "亚组委工作人员")),
    ("200多名产业工人加班加点。", ("200多名产业工人", "产业工人")),
    ("40多名医护人员坚守岗位。", ("40多名医护人员", "医护人员")),
    ("我国出台12条举措促进电子产品消费。", ("12条举措", "举措")),
])
def test_entity_after_stops_at_the_predicate(sentence, want):
    (c,) = extract_counts(make_doc(sentence))
    assert (c.text, c.entity) == want


def test_party_formulas_are_no_counts_unquoted():
    # the spec's “两个维护” rule holds without the quotes; 五个方面 stays a count (written for these tests)
    doc = make_doc("牢固树立四个意识,坚决做到两个维护,统筹两个大局,从五个方面推进。")
    assert [(c.text, c.value) for c in extract_counts(doc)] == [("五个方面", 5.0)]


def test_numbers_in_quoted_speech_still_count():
    doc = make_doc("“22天没有吃口热乎饭……我们24人组成的保障组连夜奋战。”他回忆说。")
    assert [(c.value, c.unit) for c in extract_counts(doc)] == [(22.0, "天"), (24.0, "人")]


def test_evidence_offsets(seed_docs):
    for doc in seed_docs.values():
        for c in extract_counts(doc):
            assert doc.article.text[c.char_start:c.char_end] == c.text
            assert c.text in c.sentence


@pytest.mark.parametrize("open_, close", [("“", "”"), ('"', '"'), ("「", "」")], ids=["curly", "ascii", "corner"])
def test_a_quoted_noun_is_the_entity_whatever_the_quotes(open_, close):
    sentence = f"开工建设{open_}口袋公园{close}2038个,创建3600多个{open_}一村一品{close}示范村镇,自觉做到{open_}两个维护{close}。"
    got = [(c.value, c.entity) for c in extract_counts(make_doc(sentence))]
    assert got == [(2038, "口袋公园"), (3600, "一村一品")]


@pytest.mark.parametrize("number", ["9" * 400, "九" * 400, "9" * 300 + "万亿"])
def test_a_number_beyond_a_float_is_no_count_and_breaks_nothing(number):
    """A page's string of 400 nines (Arabic or Chinese) overflowed a float: inf in a non-null column, or an
    OverflowError that stopped the run. It is no count; the sentence's other counts stay."""
    assert counts(f"全区有{number}个党组织，共有5739名党员。") == [(5739, "名", False)]
