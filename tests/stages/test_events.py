"""Events: date grammar, year resolution, trigger types, names, participants."""

import datetime as dt

import opencc
import pytest

from pipeline.stages.events import extract_events
from tests.conftest import make_doc


def events(text, mentions_of, published=None):
    doc = make_doc(text, published=published)
    return extract_events(doc, mentions_of(doc))


# fmt: off
CASES = [
    ("11月3日,西城区召开部署会。", dt.date(2022, 11, 3), [("2022-11-03", "meeting", "召开")]),
    ("2014年2月,习近平总书记视察北京。", None, [("2014-02", "inspection", "视察")]),
    ("10月28日,城西区确诊新冠肺炎病例。", None, [("XXXX-10-28", "incident", "确诊")]),
    ("今年5月,区委组织部启动“书记领航”计划。", dt.date(2023, 9, 1), [("2023-05", "launch", "启动")]),
    ("去年12月20日,社区党群服务中心揭牌成立。", dt.date(2023, 3, 1), [("2022-12-20", "ceremony", "揭牌")]),
    ("12月28日,市委书记到社区调研。", dt.date(2024, 1, 5), [("2023-12-28", "inspection", "调研")]),
    ("3月7日,2025年西城区组织工作部署会召开。", None, [("2025-03-07", "meeting", "召开")]),
    ("6月1日上午,街道举行表彰仪式。", dt.date(2021, 6, 2), [("2021-06-01", "ceremony", "举行")]),
    ("11月19日,省委常委宣讲全会精神;11月24日,区委书记赴街道宣讲。", None,
     [("XXXX-11-19", "speech", "宣讲"), ("XXXX-11-24", "speech", "宣讲")]),
    # written for these tests: a lecture, a study session, an anniversary, an inspection tour and its team
    ("9月12日,县委书记王强为新任村党组织书记讲授专题党课。", None, [("XXXX-09-12", "speech", "讲授")]),
    ("11月3日上午,县委理论学习中心组举行第十次集体学习。", None, [("XXXX-11-03", "meeting", "举行")]),
    ("6月30日,全市庆祝中国共产党成立103周年暨表彰大会隆重召开。", None, [("XXXX-06-30", "ceremony", "表彰")]),
    ("3月18日,省委第三巡视组对我县开展巡视回访。", None, [("XXXX-03-18", "inspection", "巡视")]),
    ("5月6日,中央巡视工作领导小组召开会议。", None, [("XXXX-05-06", "meeting", "召开")]),
    ("4月2日,县委成立工作专班。", None, [("XXXX-04-02", "launch", "成立")]),
    ("11月3日,市委督导组到县里督导工作。", None, [("XXXX-11-03", "inspection", "督导")]),
    ("1月28日,区委书记张伟走访慰问困难党员。", None, [("XXXX-01-28", "inspection", "走访")]),
    # an activity carried out (开展…活动) is an event when nothing else in the clause says what it was
    ("3月5日,社区开展学雷锋志愿服务活动。", None, [("XXXX-03-05", "other", "开展")]),
    ("4月12日,区委开展专题调研。", None, [("XXXX-04-12", "inspection", "调研")]),
    ("7月1日,街道党工委组织党员重温入党誓词。", None, [("XXXX-07-01", "ceremony", "重温入党誓词")]),
    ("5月10日,市委第三巡察组进驻区卫健委。", None, [("XXXX-05-10", "inspection", "巡察组进驻")]),
    # numeric dates with slashes or dots
    ("2023/11/3,西城区召开部署会。", None, [("2023-11-03", "meeting", "召开")]),
    ("2023.11.3上午,西城区召开部署会。", None, [("2023-11-03", "meeting", "召开")]),
    # a day alone: the publication's month (or the month before, when the day is still to come), or the month of
    # a date before it in the sentence
    ("本报讯(记者 李明)3日上午,县委召开常委会议。", dt.date(2023, 11, 4), [("2023-11-03", "meeting", "召开")]),
    ("本月3日,县委召开常委会议。", dt.date(2023, 11, 4), [("2023-11-03", "meeting", "召开")]),
    ("28日,县委书记到乡镇调研。", dt.date(2023, 11, 4), [("2023-10-28", "inspection", "调研")]),
    ("全县党建工作推进会将于28日召开。", dt.date(2023, 11, 4), [("2023-11-28", "meeting", "召开")]),
    ("28日,县委书记到乡镇调研。", dt.date(2024, 1, 4), [("2023-12-28", "inspection", "调研")]),
    ("11月2日至3日,县委召开全会。", dt.date(2023, 11, 4), [("2023-11-02", "meeting", "召开")]),
    ("大会将于3月5日上午开幕,13日上午闭幕。", dt.date(2023, 3, 4),
     [("2023-03-05", "meeting", "开幕"), ("2023-03-13", "meeting", "闭幕")]),
]
NEGATIVE = [
    "3个月以来,社区面貌焕然一新。",
    "连续3日,县防指召开防汛调度会。",
    "3日内,各街道要召开专题会议。",
    "2025年,全区将持续推进改革。",
    "11月份的工作重点是抓好落实。",
    "近日,区委召开常委会。",
    "10月1日的社论题为《庆祝中华人民共和国成立七十五周年》。",
    "5月8日,国家主席习近平就卢旺达遭受暴雨灾害向卢旺达总统卡加梅致慰问电。",  # a message is no visit
    "1月20日,区总工会向困难职工发放慰问金。",
    "5月30日,航天员顺利进驻天和核心舱。",  # 进驻 is an inspection only for an inspection team
    "6月1日,社区开展工作,效果良好。",  # 开展 without an activity
]
# fmt: on


@pytest.mark.parametrize("text,published,want", CASES, ids=[c[0][:10] for c in CASES])
def test_events(text, published, want, mentions_of):
    got = [(e.date, e.event_type, e.trigger) for e in events(text, mentions_of, published)]
    assert got == want


@pytest.mark.parametrize("text", NEGATIVE, ids=[c[:8] for c in NEGATIVE])
def test_not_events(text, mentions_of):
    assert events(text, mentions_of, dt.date(2024, 1, 1)) == []


@pytest.mark.parametrize("text,want", [
    # a day named from the publication's, dated from it (published on Friday 2024-03-22; written for these tests)
    ("昨天上午,区委书记张强主持召开区委常委会会议。", [("2024-03-21", "meeting", "昨天上午")]),
    ("今日,街道举行揭牌仪式。", [("2024-03-22", "ceremony", "今日")]),
    ("上周五,区委组织部召开全区组织工作会议。", [("2024-03-15", "meeting", "上周五")]),
    ("下星期一,区委将召开部署会。", [("2024-03-25", "meeting", "下星期一")]),
    ("前天,县委举行宣讲报告会。", [("2024-03-20", "meeting", "前天")]),
    # the day in brackets of Hong Kong's, Macau's and Taiwan's releases: 今(22)日, 昨(21)日
    ("行政长官今(22)日上午到北区视察长者服务中心。", [("2024-03-22", "inspection", "今(22)日上午")]),
    ("市长昨(21)日出席成果发表会并致辞。", [("2024-03-21", "speech", "昨(21)日")]),
    # the date in brackets is the one; today as the present time is no date
    ("昨天(3月20日)上午,区委召开全会。", [("2024-03-20", "meeting", "3月20日")]),
    ("直到今天,这里仍在举办展览。", []),
    ("今天的中国正在召开一次次会议。", []),
    # a weekday alone: the last one up to the publication, the next one when the clause is to come
    ("周三下午,县委组织部部长张志强一行深入巡司镇调研“红色网格”建设工作。", [("2024-03-20", "inspection", "周三下午")]),
    ("星期六,县委召开常委会议。", [("2024-03-16", "meeting", "星期六")]),
    ("区委将于周一上午召开部署会。", [("2024-03-25", "meeting", "周一上午")]),
    # ... but not a day of every week, a span or list of weekdays, a weekday after its date, a name
    ("每周三下午,社区召开党员议事会。", []),
    ("按计划,周一、周三、周五、周日,社区举行党员志愿服务活动。", []),
    ("10月18日(星期六)上午,区委召开全会。", [("2023-10-18", "meeting", "10月18日")]),
    ("周一鸣,区委召开会议。", []),
])
def test_days_named_from_the_publication(text, want, mentions_of):
    got = [(e.date, e.event_type, e.date_text) for e in events(text, mentions_of, dt.date(2024, 3, 22))]
    assert got == want


@pytest.mark.parametrize("text,want", [
    # the day of a date before it in the sentence, or the day after (written for these tests)
    ("5月12日上午,县委召开常委会会议;当天下午,县委书记王强到乡镇调研防汛工作。",
     [("2024-05-12", "meeting", "5月12日上午"), ("2024-05-12", "inspection", "当天下午")]),
    ("12月31日,县委召开全会,次日上午县委书记到乡镇调研。", [("2023-12-31", "meeting", "12月31日"), ("2024-01-01", "inspection", "次日上午")]),
    ("5月21日是国际茶日,当天,联合国总部举行了展览。", [("2024-05-21", "other", "当天")]),  # the date has no trigger of its own
    # ... but not with no date before it in the sentence, nor 当天的
    ("当天下午,县委书记王强到乡镇调研防汛工作。", []),
    ("5月12日上午,县委召开常委会会议,当天的会议还研究了防汛工作。", [("2024-05-12", "meeting", "5月12日上午")]),
])
def test_the_same_day_or_the_next_is_dated_from_the_date_before_it(text, want, mentions_of):
    got = [(e.date, e.event_type, e.date_text) for e in events(text, mentions_of, dt.date(2024, 6, 1))]
    assert got == want


def test_a_day_named_from_the_publication_needs_its_date(mentions_of):
    assert events("昨天上午,区委召开全会。", mentions_of) == []
    (e,) = events("昨天上午,区委召开全会。", mentions_of, dt.date(2024, 1, 1))
    assert (e.date, e.year_source) == ("2023-12-31", "published_date")


@pytest.mark.parametrize("text,want", [
    # a person named before with a title, named again bare in the clauses of an event (written for these tests)
    ("州委常委、组织部部长杨昌鹏在会上要求压实责任。此前,杨昌鹏曾于10月中旬赴从江县调研驻村帮扶工作。", ["杨昌鹏"]),
    ("国家主席习近平在京会见外宾。3月5日下午,习近平抵达苏州后,首先前往苏州工业园区考察。", ["习近平"]),
    # ... but not one who reports it, nor a body of thought named after a leader
    ("国务院总理李强会见外宾。李强表示,今年5月,双方领导人举行会晤。", []),
    ("国家主席习近平出席会议。2023年10月,全国宣传思想文化工作会议在京召开,首次提出习近平文化思想。", []),
])
def test_a_person_named_again_takes_part(text, want, mentions_of):
    e = events(text, mentions_of)[-1]
    assert [p.name for p in e.participants] == want


def test_an_announcement_in_taiwan_vocabulary_is_a_launch(mentions_of):
    """釋出 is Taiwan's word for 发布 (OpenCC s2twp): a page in its vocabulary gives the mainland page's event."""
    page = opencc.OpenCC("s2twp").convert("3月5日,中共某县委发布《关于推进数字乡村建设的实施方案》,明确12个重点项目。")
    assert "釋出" in page
    assert [(e.date, e.event_type, e.trigger) for e in events(page, mentions_of)] == [("XXXX-03-05", "launch", "发布")]


def test_name_and_participants(mentions_of):
    (e,) = events("12月3日,区委书记张俊录主持召开区委理论学习中心组学习会,开展专题研讨。", mentions_of)
    assert e.name == "区委理论学习中心组学习会"
    assert [(p.name, p.title) for p in e.participants] == [("张俊录", "区委书记")]
    (q,) = events("11月3日,西城区召开“学习贯彻党的二十大精神推动实施‘红墙先锋工程’部署会”。", mentions_of)
    assert q.name == "学习贯彻党的二十大精神推动实施‘红墙先锋工程’部署会"


@pytest.mark.parametrize("text,name", [
    # a quoted programme before the meeting's noun is part of the meeting's name, in the gold's single quotes
    ("9月10日,鼓楼区召开“党建+网格”工作推进会,区委书记吴强出席并讲话。", "‘党建+网格’工作推进会"),
    ("11月3日,西城区召开学习贯彻党的二十大精神推动实施“红墙先锋工程”部署会。",
     "学习贯彻党的二十大精神推动实施‘红墙先锋工程’部署会"),
    ("11月3日,西城区召开“2024年基层党建工作会议”。", "2024年基层党建工作会议"),  # the whole name quoted
])
def test_a_quote_inside_a_meetings_name(text, name, mentions_of):
    (e,) = events(text, mentions_of)
    assert e.name == name


@pytest.mark.parametrize("text,want", [
    # whose speech, letter or deeds a meeting studies is no participant (written for these tests)
    ("8月25日,州委召开常委会会议,传达学习习近平总书记重要讲话精神,州委书记罗强主持会议。", [("罗强", "州委书记")]),
    ("3月5日,区委召开会议,学习王伟同志先进事迹,区委书记张伟主持会议。", [("张伟", "区委书记")]),
    ("7月3日,论坛在北京开幕,国务院副总理丁薛祥出席开幕式,宣读习近平主席贺信并致辞。",
     [("丁薛祥", "国务院副总理")]),
    # ... but one who gave the speech at this meeting is
    ("3月13日,大会闭幕,习近平总书记在闭幕会上的重要讲话引起强烈反响。", [("习近平", "总书记")]),
])
def test_the_person_a_meeting_studies_is_no_participant(text, want, mentions_of):
    (e,) = events(text, mentions_of)
    assert [(p.name, p.title) for p in e.participants] == want


def test_participants_without_surname_or_in_dotted_parts(mentions_of):
    (e,) = events("5月30日,城關區委書記扎西次仁主持召開區委常委會會議。", mentions_of)
    assert [(p.name, p.title) for p in e.participants] == [("扎西次仁", "城关区委书记")]
    (e,) = events("7月10日,縣長買買提江‧阿不都拉主持召開縣政府黨組會議。", mentions_of)  # written with ‧
    assert [(p.name, p.title) for p in e.participants] == [("买买提江·阿不都拉", "县长")]  # named as in persons


@pytest.mark.parametrize("text,want", [
    # a meeting named before 在…举行: its name, quotes written as the gold writes them, and its type from the name
    ("5月23日,2024文化强国建设高峰论坛在广东深圳举办。", ("meeting", "2024文化强国建设高峰论坛")),
    ("9月5日,“和合共生,文明互鉴”文化遗产保护论坛在北京举行。", ("meeting", "‘和合共生,文明互鉴’文化遗产保护论坛")),
    ("4月5日,癸卯年清明公祭轩辕黄帝典礼在陕西黄陵县举行。", ("ceremony", "癸卯年清明公祭轩辕黄帝典礼")),
    # ... not who attended it or spoke to it, nor the wish sent to it
    ("10月18日上午,国家主席习近平在人民大会堂出席第三届“一带一路”国际合作高峰论坛开幕式。",
     ("meeting", "第三届‘一带一路’国际合作高峰论坛")),
    ("3月5日,区委书记张伟向大会致辞。", ("speech", "")),
])
def test_a_meeting_named_before_its_verb(text, want, mentions_of):
    (e,) = events(text, mentions_of, dt.date(2024, 6, 1))
    assert (e.event_type, e.name) == want


@pytest.mark.parametrize("text,want", [
    ("11月3-5日,全区举办党务干部培训班。", ("2023-11-03", "11月3-5日", "党务干部培训班")),  # a span of days: its first
    ("2023北京文化论坛将于9月14—15日举办。", ("2023-09-14", "9月14—15日", "")),
])
def test_a_span_of_days_dates_the_event_by_its_first(text, want, mentions_of):
    (e,) = events(text, mentions_of, dt.date(2023, 11, 6))
    assert (e.date, e.date_text, e.name) == want


def test_a_trigger_inside_a_book_title_is_no_event(mentions_of):
    text = "今天(10月9日)出版的人民日报发表社论,题目是《共创美好未来——热烈祝贺第十九届亚洲运动会闭幕》。"
    assert events(text, mentions_of, dt.date(2023, 10, 9)) == []


def test_one_who_sends_a_letter_is_no_participant(mentions_of):
    (e,) = events("11月1日,国家主席习近平向会议轮值主席致贺信,祝贺第31届阿拉伯国家联盟首脑理事会会议在阿尔及尔召开。",
                  mentions_of, dt.date(2022, 11, 2))
    assert (e.name, e.participants) == ("第31届阿拉伯国家联盟首脑理事会会议", [])


@pytest.mark.parametrize("text,date", [
    ("上月28日,区委召开全面从严治党工作会议。", "2023-12-28"),  # the month before the publication's, in the year before
    ("上个月5日,区委书记张伟到社区调研。", "2023-12-05"),
])
def test_a_day_of_last_month(text, date, mentions_of):
    (e,) = events(text, mentions_of, dt.date(2024, 1, 5))
    assert (e.date, e.year_source) == (date, "published_date")
    (e,) = events(text, mentions_of, dt.date(2024, 6, 5))
    assert e.date == "2024-05" + date[7:]


def test_no_year_is_never_guessed(mentions_of):
    (e,) = events("11月12日晚,城西区召开区委中心组(扩大)学习会议。", mentions_of)
    assert e.date == "XXXX-11-12" and e.year_source == "unknown"
