"""Persons: titles before and after names, lists, bylines, author notes; no common words."""

import datetime as dt

import pytest

from pipeline.stages.bylines import parse_byline
from pipeline.stages.persons import extract_persons, organization_of
from tests.conftest import make_doc


def persons(text, mentions_of):
    doc = make_doc(text)
    return [(p.name, p.title) for p in extract_persons(doc, mentions_of(doc))]


# fmt: off
CASES = [
    ("区委副书记、区长郅海杰主持会议。", [("郅海杰", "区委副书记、区长")]),
    # a ministry's department (司) and an administration (总署) keep their names, which the segmenter cuts into
    # common words (外贸|司, 法务|司, 民政|总署; written for these tests)
    ("商务部外贸司司长李兴乾表示,今年外贸稳中有进。", [("李兴乾", "商务部外贸司司长")]),
    ("行政法务司司长张永春出席颁奖典礼并致辞。", [("张永春", "行政法务司司长")]),
    ("民政总署署长戴祖义出席。", [("戴祖义", "民政总署署长")]),
    ("区领导张晓家、江岚、于家明、王中峰出席。", [("张晓家", "区领导"), ("江岚", "区领导"), ("于家明", "区领导"), ("王中峰", "区领导")]),
    ("11月24日下午,青海省西宁市城西区区委书记张俊录赴虎台街道宣讲。", [("张俊录", "青海省西宁市城西区区委书记")]),
    ("习近平总书记强调,党建工作的难点在基层。", [("习近平", "总书记")]),
    ("李大钊、邓中夏等为探索救国救民真理奔走。", [("李大钊", ""), ("邓中夏", "")]),
    ("区财巷社区党委书记、居委会主任李洪安带领工作人员值守。", [("李洪安", "区财巷社区党委书记、居委会主任")]),
    # written for these tests
    ("杭州市上城区委书记王小明在调研时指出,要抓好落实。", [("王小明", "杭州市上城区委书记")]),
    ("市政府副市长欧阳建华出席并讲话。", [("欧阳建华", "市政府副市长")]),
    ("街道党工委书记刘芳介绍了相关情况。", [("刘芳", "街道党工委书记")]),
    # the segmenter cuts 丁|薛祥 (薛 is a surname too): the name is whole, not 薛祥
    ("丁薛祥同志在参加代表团审议时指出,要加强基层党组织建设。", [("丁薛祥", "")]),
    ("丁薛祥强调,要持续深化党建引领基层治理。", [("丁薛祥", "")]),
    # a title word the segmenter cuts (网格|员), and names listed without a title, closed by 等 and a word for people
    ("社区网格员李娜说,居民有事都愿意来找党组织。", [("李娜", "社区网格员")]),
    ("在座谈会上,刘晓东、孙丽、周强等代表先后发言。", [("刘晓东", ""), ("孙丽", ""), ("周强", "")]),
    # jieba's dictionary tags many given names, and what officials do next, as nouns (建军, 志峰; 讲话, 通报, 带队)
    ("区委常委、组织部部长王建国通报了全区基层党建述职评议情况。", [("王建国", "区委常委、组织部部长")]),
    ("市委副书记林建军讲话。", [("林建军", "市委副书记")]),
    ("县委书记赵志峰带队检查防汛工作。", [("赵志峰", "县委书记")]),
    # the segmenter cuts a name (王国|庆, 刘海|亮) or glues the next word's first character to it (李杰指|出)
    ("镇党委书记王国庆主持会议。", [("王国庆", "镇党委书记")]),
    ("街道党工委书记刘海亮主持座谈会。", [("刘海亮", "街道党工委书记")]),
    ("区长李杰指出,要压实责任。", [("李杰", "区长")]),
    ("市委书记陈晓明作工作报告。", [("陈晓明", "市委书记")]),
    # foreign names jieba tags as places (普京: ns) or misses; the country next to them is no name
    ("俄罗斯总统普京出席峰会并发表讲话。", [("普京", "俄罗斯总统")]),
    ("越共中央总书记苏林会见代表团。", [("苏林", "越共中央总书记")]),
    ("主席团常务主席阿里米、马拉维总统出席。", [("阿里米", "常务主席")]),
    # transliterated names in parts joined by a dot, after a title or not; the word after them is no part
    ("7月12日,疏附县委书记艾尔肯·吐尼亚孜带队调研。", [("艾尔肯·吐尼亚孜", "疏附县委书记")]),
    ("县委副书记、县长买买提江·阿不都拉主持召开会议。", [("买买提江·阿不都拉", "县委副书记、县长")]),
    ("在布拉克苏乡,热依拉·吐尔逊向调研组介绍了情况。", [("热依拉·吐尔逊", "")]),
    ("英国副首相奥利弗·道登会面时表示。", [("奥利弗·道登", "英国副首相")]),
    ("縣長買買提江‧阿不都拉主持會議。", [("买买提江·阿不都拉", "县长")]),  # a traditional page's dot: the name has ·
    ("厄立特里亚总统伊萨亚斯·阿费沃基对此表示感谢。", [("伊萨亚斯·阿费沃基", "厄立特里亚总统")]),
    # names without a surname, as Tibetan and Mongolian names are written
    ("5月30日,城關區委書記扎西次仁主持召開區委常委會會議。", [("扎西次仁", "城关区委书记")]),
    ("区委副书记、区长次仁卓嘎出席会议并讲话。", [("次仁卓嘎", "区委副书记、区长")]),
    ("区委常委、组织部部长其其格陪同调研。", [("其其格", "区委常委、组织部部长")]),
    ("区长那顺乌力吉主持会议。", [("那顺乌力吉", "区长")]),
    # a name without a surname before 、 (three characters or more), and a jieba noun that is a name syllable
    ("县委书记扎西次仁、县长洛桑顿珠参加活动。", [("扎西次仁", "县委书记"), ("洛桑顿珠", "县长")]),
    ("区委书记白玛旺堆主持会议。", [("白玛旺堆", "区委书记")]),
    # a dotted name whose first part the segmenter cut into a verb and a name (阿不都|热合|曼)
    ("乡党委书记阿不都热合曼·买买提介绍了情况。", [("阿不都热合曼·买买提", "乡党委书记")]),
    ("村党支部书记艾合买提·吐尔逊介绍了情况。", [("艾合买提·吐尔逊", "村党支部书记")]),
    # where the person acts (在 到), then what they do
    ("拉萨市委书记白玛旺堆到城关区调研。", [("白玛旺堆", "拉萨市委书记")]),
    ("全国人大常委会副委员长洛桑江村在参加西藏代表团审议时说。", [("洛桑江村", "全国人大常委会副委员长")]),
    # after 、 the body or country of the next title is no second name
    ("沙特国王萨勒曼、王储兼首相穆罕默德表示哀悼。", [("萨勒曼", "国王"), ("穆罕默德", "首相")]),
    ("厄立特里亚总统伊萨亚斯、南苏丹总统萨尔瓦·基尔出席。", [("伊萨亚斯", "厄立特里亚总统"), ("萨尔瓦·基尔", "南苏丹总统")]),
    # a body's name the segmenter cuts into common words (应急|管理局, 住房|和|城乡|建设局) is the title's own
    ("区应急管理局局长王海涛介绍了有关情况。", [("王海涛", "区应急管理局局长")]),
    ("市住房和城乡建设局党组书记、局长郑军介绍。", [("郑军", "市住房和城乡建设局党组书记、局长")]),
    ("区人力资源和社会保障局局长冯涛参加调研。", [("冯涛", "区人力资源和社会保障局局长")]),
    ("民政及青年事务局局长麦美娟今日到访深水埗区。", [("麦美娟", "民政及青年事务局局长")]),  # Hong Kong's 及
    ("社会工作局局长韩卫等陪同视察。", [("韩卫", "社会工作局局长")]),  # 社会工作|局局长: the body's 局 glued on
    ("行政长官岑浩辉视察北区。", [("岑浩辉", "行政长官")]),
    # a name without a surname that closes a list with 等 (格桑等区: one word), one the dictionary tags a place
    ("区委副书记、区长白玛央金,区人大常委会主任格桑等区领导出席会议。",
     [("白玛央金", "区委副书记、区长"), ("格桑", "区人大常委会主任")]),
    ("旧金山市长布里德等美方代表到机场送行。", [("布里德", "旧金山市长")]),
    ("县长扎西出席会议。", [("扎西", "县长")]),
    ("党委书记顿珠镇的发展。", []),  # ... a place's name before its division word is none
    ("香港特区行政长官李家超当晚发表声明。", [("李家超", "香港特区行政长官")]),  # 李家|超|当晚: a time after the name
    ("区委统战部部长、区工商联党组书记周敏主持会议。", [("周敏", "区委统战部部长、区工商联党组书记")]),
    ("来看记者对国家发展改革委党组书记、主任郑栅洁的采访。", [("郑栅洁", "国家发展改革委党组书记、主任")]),
    ("中国残联主席张海迪代表主席团向大会作了工作报告。", [("张海迪", "中国残联主席")]),
    # 副 and 常务 open the title after them: a deputy is no chief
    ("在巴期间,王岐山还分别会见新任副总统阿尔克明和时任副总统莫朗。", [("阿尔克明", "副总统"), ("莫朗", "副总统")]),
    # 副 glued to what stands before it by the segmenter (常务副|市长, 建设|部副|部长)
    ("广州市委常委、常务副市长苏泽群昨日表示。", [("苏泽群", "广州市委常委、常务副市长")]),
    # the verb after a one-character given name glued to it (韩|正在, 赵|明说), and 在…时
    ("9月19日,国家副主席韩正在济南出席纪念活动开幕式并致辞。", [("韩正", "国家副主席")]),
    ("区退役军人事务局局长赵明说,今年要办好实事。", [("赵明", "区退役军人事务局局长")]),
    ("在会见巴西总统卢拉时,李希转达问候。", [("卢拉", "巴西总统")]),
    ("在会见副总统阿尔克明时,李希表示。", [("阿尔克明", "副总统")]),
    # a name followed by 和 and the next title
    ("普京在莫斯科与亚美尼亚总理帕什尼扬和阿塞拜疆总统阿利耶夫举行会谈。",
     [("帕什尼扬", "亚美尼亚总理"), ("阿利耶夫", "阿塞拜疆总统")]),
    # grassroots titles, and verbs of saying after the name (建议, 谈, 告诉)
    ("村支书李建华告诉记者,村里新修了路。", [("李建华", "村支书")]),
    ("社区网格长张丽介绍,今年以来共走访居民300户。", [("张丽", "社区网格长")]),
    ("由此,中国房地产经理人联盟秘书长陈云峰建议,应立法明确监管主体。", [("陈云峰", "联盟秘书长")]),
    ("湘潭县河口镇中心学校的党总支书记谭建宁立即着手把学校收拾出来。", [("谭建宁", "党总支书记")]),
    # a ministry, its name glued to 副 by the segmenter (建设|部副|部长)
    ("住房和城乡建设部副部长齐骥在谈及保障性住房时表示。", [("齐骥", "住房和城乡建设部副部长")]),
    # names ending in characters of bodies (卢卡申科, 鹿心社) are names
    ("白俄罗斯总统卢卡申科11日表示。", [("卢卡申科", "白俄罗斯总统")]),
    ("环境与资源保护委员会主任委员鹿心社、社会建设委员会主任委员杨振武分别作报告。",
     [("鹿心社", "环境与资源保护委员会主任委员"), ("杨振武", "委员会主任委员")]),
    # the clause before a title phrase is not in it (这是|重庆市…), and a body's name after a title is no person
    ("普法宣传进校园,这是重庆市大渡口区检察院检察官梅玫的工作日常。", [("梅玫", "重庆市大渡口区检察院检察官")]),
    ("两会刚结束,全国人大代表盛虹控股集团有限公司董事长缪汉根就赶回企业。", [("缪汉根", "人大代表盛虹控股集团有限公司董事长")]),
    # a title after a name is that name's, not the title of the word after it (贺信, 郑重宣布: nr in jieba)
    ("国务院副总理丁薛祥出席开幕式,宣读习近平主席贺信并致辞。", [("丁薛祥", "国务院副总理"), ("习近平", "主席")]),
    ("六年前的今天,习近平总书记郑重宣布,支持海南全岛建设自由贸易试验区。", [("习近平", "总书记")]),
    # ... unless the title before the next name holds the first: then it was a body (卫健委, 卫 a surname)
    ("受国务院委托,国家卫健委主任雷海潮作了说明。", [("雷海潮", "国家卫健委主任")]),
    # a place's name the segmenter does not know, before its division word, is in the title
    ("托克扎克镇党委书记王海军表示,将深化民族团结进步创建。", [("王海军", "托克扎克镇党委书记")]),
    # a verb of going glued to a name the segmenter does not know (张伟到: one word)
    ("28日,区委书记张伟到社区调研。", [("张伟", "区委书记")]),
    # a chief's title the segmenter glued to the place (武汉市|长程|用文), and a Taiwan release's day (今(12)日)
    ("武汉市长程用文出席。", [("程用文", "武汉市长")]),
    ("台中市长卢秀燕今(12)日出席成果发表会。", [("卢秀燕", "台中市长")]),
    ("武汉市长江大桥通车。", []),  # ... not a place after a place
    ("山东省临沂市蒙阴县长明村的金银花次第开放。", []),
    ("上海市长期以来坚持改革。", []),
    # ranks and parties inside a title (第一副, 一级; 国民党: 党 ends a body), a party commission's office
    ("俄武装力量总参谋部第一副总参谋长鲁茨科伊表示,北约国家的军人参战。", [("鲁茨科伊", "总参谋部第一副总参谋长")]),
    ("国家金融监督管理总局稽查局一级巡视员贾沛文出席。", [("贾沛文", "国家金融监督管理总局稽查局一级巡视员")]),
    ("中国国民党副主席夏立言在致辞中表示。", [("夏立言", "中国国民党副主席")]),
    ("中共中央政治局委员、中央外事工作委员会办公室主任王毅等出席欢迎仪式。",
     [("王毅", "中共中央政治局委员、中央外事工作委员会办公室主任")]),
    # a post taken up: the title after the verb of appointment (任, 当选, 任命…为)
    ("经研究决定,李华同志任区委宣传部副部长。", [("李华", "区委宣传部副部长")]),
    ("周祖翼同志任福建省委委员、常委、书记。", [("周祖翼", "福建省委委员、常委、书记")]),
    ("会议经表决,任命贺荣为司法部部长。", [("贺荣", "司法部部长")]),
    ("经县委常委会研究决定,任命张伟为县委办公室主任。", [("张伟", "县委办公室主任")]),  # one name glued to 为
    # a nominee: a named person, the post stood for with its 候选人 (刘洋为: the segmenter glued 为)
    ("会议提名刘洋为区长候选人。", [("刘洋", "区长候选人")]),
    ("丁仲礼当选主席。", [("丁仲礼", "主席")]),
    # a list of names appointed together, each taking the post (the segmenter cuts 陈|福利; glues 张三为)
    ("会议经表决,任命陈福利、冯怡为全国人大常委会副秘书长。",
     [("陈福利", "全国人大常委会副秘书长"), ("冯怡", "全国人大常委会副秘书长")]),
    ("会议经过表决,决定刘奇、刘俊臣、信春鹰为大会副秘书长。",
     [("刘奇", "大会副秘书长"), ("刘俊臣", "大会副秘书长"), ("信春鹰", "大会副秘书长")]),
    ("会议决定任命王强、李华明、张三为副区长。", [("王强", "副区长"), ("李华明", "副区长"), ("张三", "副区长")]),
    # a post left: the title the article gives (one name or a list, 的 before the post, 职务 after it)
    ("会议经表决,免去石泰峰的全国人大教科文卫委副主任委员职务。", [("石泰峰", "全国人大教科文卫委副主任委员")]),
    ("免去杨晓超、徐令义的国家监委副主任职务。", [("杨晓超", "国家监委副主任"), ("徐令义", "国家监委副主任")]),
    # the other frames of personnel news: 被任命为, 当选|为, 不再担任/兼任, 辞去 (张伟: 伟 alone is a word)
    ("王强被任命为西城区委书记。", [("王强", "西城区委书记")]),
    ("王东明当选为中华全国总工会主席。", [("王东明", "中华全国总工会主席")]),
    ("张伟同志不再担任区委副书记职务。", [("张伟", "区委副书记")]),
    ("蔡奇同志不再兼任北京市委书记、常委、委员职务;", [("蔡奇", "北京市委书记、常委、委员")]),
    ("增补刘结一为全国政协委员,张敬安不再担任提案委员会驻会副主任。", [("张敬安", "提案委员会驻会副主任")]),
    ("经区委研究,同意赵刚辞去副区长职务。", [("赵刚", "副区长")]),
    # one name glued to the 为 of its appointment (任命|刘洋为|区长): the name without it
    ("会议经表决,任命刘洋为区长。", [("刘洋", "区长")]),
    # a cadre's profile (notices before appointment, written for this test): the post held now, after 现任
    ("陈建国,男,汉族,1975年6月生,中共党员,大学学历,现任某某县委常委、组织部部长,拟任县委副书记。",
     [("陈建国", "某某县委常委、组织部部长")]),
    ("王芳,女,1980年3月出生,现任区委办公室主任。", [("王芳", "区委办公室主任")]),
    ("张伟,男,退休干部。", [("张伟", "")]),
]
NEGATIVE = [
    "党建·民生",  # a heading: a dotted name needs a word after it that says what the person does
    "新疆·喀什:打造红色驿站。",
    "中方希望通过此访同柬方共叙团结友好。",
    "两国总统念兹在兹,推动合作。",
    "建立区委书记周调度、区领导包片包案等工作机制。",
    "建设堪当民族复兴重任的高素质干部队伍。",
    "紧紧抓住这个“牛鼻子”,推动高水平人才高地建设。",
    "西城大妈、西城小哥穿梭在街头巷尾。",
    "哈萨克斯坦总统会见了中方代表团。",  # a country (jieba tags it as a transliterated name, nrt)
    "吉尔吉斯斯坦总理出席开幕式并致辞。",
    "北京、上海、广州等城市率先开展试点。",
    "高校、企业、社区等代表参加座谈。",
    "党员领导干部要带头讲党课。",  # 领导|干部: 干 is a surname
    "充分发挥政协委员宣讲团等平台作用。",  # a group after a title
    "港澳台居民居住证、护照等证件均可办理。",
    "浙江宁波推行领导干部领学、党组织书记带学、党支部督学的机制。",
    "努力加强亚太地区企业间的广泛合作,公司总裁高峰会今天开幕。",  # 高峰会: nr in jieba's dictionary
    "成都海关联合口岸主管海关成立联合保障工作组。",  # 主管 the verb
    "广大青年表示,一定不辜负总书记殷殷嘱托。",  # words jieba takes for names (not_names.txt)
    "把政协委员智慧和力量汇集到伟业中去。",
    "王强为群众办实事,推动基层治理。",  # 为 without an appointing verb: a purpose
    "会议决定王强、李明为群众办实事。",  # a list before 为 and no post after it
    "会议决定免去王强的职务。",  # a post left that the sentence does not name
    "王强被评为优秀党员。",  # 被 without a verb of appointing
    "党员,男,女都参加。",  # no name before the sex (党 is a surname, 党员 a noun)
    "俄罗斯国家杜马全体会议批准米舒斯京出任总理。",  # a name cut by the segmenter (批准米|舒斯京) is none
]
# fmt: on


@pytest.mark.parametrize("text,want", CASES, ids=[c[0][:10] for c in CASES])
def test_persons(text, want, mentions_of):
    assert persons(text, mentions_of) == want


@pytest.mark.parametrize("text", NEGATIVE, ids=[c[:10] for c in NEGATIVE])
def test_not_persons(text, mentions_of):
    assert persons(text, mentions_of) == []


def test_a_post_left_is_the_title_only_where_the_article_gives_no_other(mentions_of):
    """免去 X 的 A 职务, 任命 X 为 B: the person's row has the post taken up, B, even where A is the longer title."""
    text = "会议经表决,免去贺荣的最高人民法院副院长、审判委员会委员职务;任命贺荣为司法部部长。"
    doc = make_doc(text)
    assert [(p.name, p.title) for p in extract_persons(doc, mentions_of(doc))] == [("贺荣", "司法部部长")]
    doc = make_doc("会议经表决,免去贺荣的最高人民法院副院长职务。贺荣表示,坚决拥护。")
    assert [(p.name, p.title) for p in extract_persons(doc, mentions_of(doc))] == [("贺荣", "最高人民法院副院长")]


def test_bylines_and_author_notes(seed_docs, mentions_of):
    doc = seed_docs["000_11a0a0e47bdaf19f.txt"]
    got = {p.name: (p.title, p.source_field) for p in extract_persons(doc, mentions_of(doc))}
    assert got["解丽"] == ("记者", "byline") and got["魏彤"] == ("摄影", "byline") and got["张鹏"] == ("编辑", "byline")
    doc = seed_docs["003_bcf7a606c28bbe6f.txt"]
    got = {p.name: p.title for p in extract_persons(doc, mentions_of(doc))}
    assert got["王少峰"] == "中共北京市丰台区委书记"


@pytest.mark.parametrize("line,want", [
    # several credits on one line, each with its own role (written for this test)
    ("（编辑：王芳 审核：李强）", [("王芳", "编辑", False), ("李强", "审核", False)]),
    ("来源：人民网 编辑：刘一", [("刘一", "编辑", False)]),
    ("文：张三 图：李四", [("张三", "", True), ("李四", "摄影", False)]),
    ("记者 王五 通讯员 赵六", [("王五", "记者", True), ("赵六", "通讯员", True)]),
    ("来源：西城区委组织部", []),
    # press lines as local papers set them: no spaces, a place and 报道, a bracket, a photograph's credit
    ("□本报记者王小明上海报道", [("王小明", "记者", True)]),
    ("本报记者 龙跃 北京报道", [("龙跃", "记者", True)]),
    ("每经记者胡健发自北京", []),  # not a line of the press roles (每经记者), left as it is
    ("记者胡健发自北京", [("胡健", "记者", True)]),
    ("（记者 王小明 通讯员 李华 张芳）", [("王小明", "记者", True), ("李华", "通讯员", True), ("张芳", "通讯员", True)]),
    ("（记者 艾力·买买提 通讯员 古丽娜尔）", [("艾力·买买提", "记者", True), ("古丽娜尔", "通讯员", True)]),  # a dotted name
    ("记者王小明通讯员李华", [("王小明", "记者", True), ("李华", "通讯员", True)]),
    ("记者 刘洋 摄", [("刘洋", "摄影", False)]),
])
def test_credit_lines(line, want):
    assert parse_byline(line) == want


def test_credit_line_persons_in_an_article(mentions_of):
    doc = make_doc("区委书记张伟出席会议。\n（编辑：王芳 审核：李强）")
    got = {p.name: (p.title, p.source_field) for p in extract_persons(doc, mentions_of(doc))}
    assert got == {"张伟": ("区委书记", "text"), "王芳": ("编辑", "byline"), "李强": ("审核", "byline")}


@pytest.mark.parametrize("lead", [
    "本报讯（记者 王小明 通讯员 李华）5月11日,区委召开党建工作推进会,区委书记张伟出席并讲话。",
    "本报讯（记者王小明 通讯员李华）5月11日,区委召开党建工作推进会,区委书记张伟出席并讲话。",
    "新华社北京5月11日电（记者 王小明 通讯员 李华）区委召开党建工作推进会,区委书记张伟出席并讲话。",
    "本网讯（记者 王小明 通讯员 李华）5月11日,区委召开党建工作推进会,区委书记张伟出席并讲话。",
    "本台讯（记者 王小明 通讯员 李华）5月11日,区委召开党建工作推进会,区委书记张伟出席并讲话。",
])
def test_a_leads_credit_names_its_reporters(lead, mentions_of):
    doc = make_doc(f"区委召开党建工作推进会\n{lead}\n会议强调,要深化“红色物业”工程,推动基层治理提质增效。")
    got = {p.name: p.title for p in extract_persons(doc, mentions_of(doc))}
    assert got == {"王小明": "记者", "李华": "通讯员", "张伟": "区委书记"}
    assert doc.article.authors == ["王小明", "李华"]
    assert lead.split("）")[1][:8] in doc.article.text  # the lead stays in the body


def test_an_author_field_of_press_roles_names_each_reporter(mentions_of):
    doc = make_doc("长兴县召开会议\n时间：2025-10-09 16:22:07 来源：湖州日报 作者：记者 沈勇强 通讯员 吴丽萍\n"
                   "近年来,长兴县以“红色物业”为抓手,推动物业服务企业党组织覆盖率达到95%以上。")
    assert doc.article.authors == ["沈勇强", "吴丽萍"]  # was 记者, 沈勇强, 通讯员, 吴丽萍
    assert {p.name: p.title for p in extract_persons(doc, mentions_of(doc))} == {"沈勇强": "记者", "吴丽萍": "通讯员"}


@pytest.mark.parametrize("header", ["2025-09-12 10:21:33 来源：伊犁日报 作者：阿依古丽·买买提 字号：【大 中 小】",
                                    "2025-09-12 来源：伊犁日报 作者：阿依古丽·买买提 浏览次数：35"])
def test_an_author_field_in_a_dateline_names_the_author(header, mentions_of):
    """The author field ends where the dateline's next field begins, and a name may hold a middle dot."""
    doc = make_doc(f"伊宁县召开党建工作会议\n{header}\n9月10日,伊宁县委书记到乡里调研。")
    assert doc.article.authors == ["阿依古丽·买买提"]
    assert doc.article.published_date == dt.date(2025, 9, 12)
    assert {p.name: p.title for p in extract_persons(doc, mentions_of(doc))} == {"阿依古丽·买买提": ""}  # 作者 is no title


def test_fullest_title_wins_and_ids_are_global(seed_docs, mentions_of):
    doc = seed_docs["004_012d474a664d6f6c.txt"]
    rows = {p.name: p for p in extract_persons(doc, mentions_of(doc))}
    assert rows["张俊录"].title == "青海省西宁市城西区区委书记"
    other = make_doc("区委书记张俊录主持会议。")
    (p,) = extract_persons(other, mentions_of(other))
    assert p.person_id == rows["张俊录"].person_id


@pytest.mark.parametrize("title,org", [("西城区委书记", "西城区委"), ("区人大常委会主任", "区人大常委会"), ("记者", "")])
def test_organization_of_title(title, org):
    assert organization_of(title) == org


def test_evidence_offsets(seed_docs, mentions_of):
    for doc in seed_docs.values():
        for p in extract_persons(doc, mentions_of(doc)):
            field = doc.article.text if p.source_field == "text" else doc.article.byline
            assert field[p.char_start:p.char_end] == p.text == p.name


@pytest.mark.issue(6)
def test_a_title_reaches_back_no_further_than_a_window():
    """A run of title words with no clause mark (书记书记…王强) made every title phrase the whole run: quadratic
    in its length (a 200 KB page took minutes). The title of the name at its end is a window's width."""
    from pipeline.stages.persons import WINDOW_BACK, find_person_mentions, tokens_of
    from pipeline.stages.spans import segment

    text = "书记" * 3000 + "王强讲话。"
    [mention] = find_person_mentions(text, tokens_of(segment(text)))
    assert mention.name == "王强" and mention.title.endswith("书记") and len(mention.title) <= WINDOW_BACK + 2


@pytest.mark.issue(6)
def test_a_run_of_dotted_words_is_walked_no_further_than_a_names_dots(mentions_of):
    """Each dot of 艾尔肯·吐尼亚孜·艾尔肯·… walked the whole run (160k characters took minutes); a name has
    at most MAX_DOTS dots (胡安·卡洛斯·德·波旁 has three), and a run with more holds no name of more."""
    from pipeline.stages.persons import MAX_DOTS, NAME_DOTS, find_person_mentions, tokens_of
    from pipeline.stages.spans import segment

    text = "艾尔肯·吐尼亚孜·" * 3000 + "表示。"
    found = find_person_mentions(text, tokens_of(segment(text)))
    assert all(sum(ch in NAME_DOTS for ch in m.name) <= MAX_DOTS for m in found)
    got = mentions_of(make_doc("西班牙国王胡安·卡洛斯·德·波旁表示，"))
    assert [(m.name, m.title) for ms in got.values() for m in ms] == [("胡安·卡洛斯·德·波旁", "西班牙国王")]
