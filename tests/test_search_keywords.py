"""Chinese keyword search finds what a person expects, through the database full-text index."""

import pytest

from jobfair.extensions import db

WELDER = dict(
    title="电焊工",
    description="负责钢结构件的焊接作业，熟练使用二氧化碳保护焊。",
    requirements="持焊工证，两年以上工作经验",
    occupation_code="6-18-02-04",
)
ARGON = dict(
    title="氩弧焊工（不锈钢）",
    description="不锈钢管道氩弧焊接，按图纸施工。",
    requirements="持有特种作业操作证",
    occupation_code="6-18-02-04",
)
FORKLIFT = dict(
    title="叉车工",
    description="仓库内驾驶叉车装卸货物，做好车辆日常点检。",
    requirements="持叉车证，一年以上叉车驾驶经验",
    occupation_code="6-30-05-01",
)
CARER = dict(
    title="养老护理员",
    description="在养老院照护失能、半失能老人，协助进食、清洁和康复活动。",
    requirements="有爱心，持养老护理员证书者优先",
    occupation_code="4-10-01-05",
)
HOSPITAL_AIDE = dict(
    title="医院护工",
    description="病房陪护，协助患者翻身、进食。",
    requirements="吃苦耐劳",
    occupation_code="4-14-01-02",
)
FISH_FARM = dict(
    title="水产养殖员",
    description="固城湖河蟹、鳜鱼水产养殖，负责投喂、水质检测和塘口巡查。",
    requirements="欢迎退捕渔民报名",
    occupation_code="5-04-02-01",
    district="高淳区",
)
FISHING = dict(
    title="捕捞工（季节性）",
    description="长江禁渔区外湖泊秋季起捕，随船作业。",
    requirements="会游泳，能适应水上作业",
    occupation_code="5-04-03-01",
    work_form="seasonal",
    district="高淳区",
)
ACCOUNTANT = dict(
    title="会计",
    description="负责公司日常账务处理、纳税申报和财务报表编制。",
    requirements="会计及相关专业，大专以上学历",
    occupation_code="2-06-03-00",
    district="鼓楼区",
    education="college",
)
CLEANER = dict(
    title="保洁员",
    description="写字楼公共区域清洁，垃圾分类收运。",
    requirements="身体健康，责任心强，欢迎退捕渔民报名",
    occupation_code="4-09-08-01",
    district="玄武区",
)
PIG_FARM = dict(
    title="生猪饲养员",
    description="规模化猪场生猪养殖，负责饲喂、防疫和圈舍清洁。",
    requirements="能吃苦，包食宿",
    occupation_code="5-03-02-01",
    district="六合区",
)
RIDER = dict(
    title="骑手",
    description="负责附近商圈的订单配送，电动车公司提供。",
    requirements="熟悉本地道路",
    occupation_code="4-10-08-01",
    district="建邺区",
)
CATALOGUE = {
    "rider": RIDER,
    "welder": WELDER,
    "argon": ARGON,
    "forklift": FORKLIFT,
    "carer": CARER,
    "aide": HOSPITAL_AIDE,
    "fish_farm": FISH_FARM,
    "fishing": FISHING,
    "accountant": ACCOUNTANT,
    "cleaner": CLEANER,
    "pig_farm": PIG_FARM,
}


@pytest.fixture
def catalogue(make_employer, make_position):
    employer = make_employer()
    return {key: make_position(employer=employer, **fields).id for key, fields in CATALOGUE.items()}


def found(result, catalogue) -> set[str]:
    names = {v: k for k, v in catalogue.items()}
    return {names[item.id] for item in result.items}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("焊工", {"welder", "argon"}),
        ("电焊", {"welder", "argon"}),
        ("氩弧焊", {"welder", "argon"}),
        ("叉车司机", {"forklift"}),
        ("养老护理", {"carer", "aide"}),
        ("护工", {"carer", "aide"}),
        ("渔业", {"fish_farm", "fishing"}),
        ("会计", {"accountant"}),
        ("保洁", {"cleaner"}),
        # The suggestion service's vocabulary: what people call the work.
        ("焊", {"welder", "argon"}),
        ("开叉车", {"forklift"}),
        ("外卖", {"rider"}),
    ],
)
def test_keywords_find_what_a_person_expects(search, catalogue, q, expected):
    result = search(q=q)
    assert found(result, catalogue) == expected
    assert result.total == len(expected)


def test_exact_wording_ranks_first(search, catalogue):
    result = search(q="养老护理员")
    assert result.items[0].id == catalogue["carer"]


def test_words_as_typed_rank_before_synonyms(search, catalogue):
    result = search(q="护工")  # 医院护工 has the word; 养老护理员 only a synonym
    assert [i.id for i in result.items] == [catalogue["aide"], catalogue["carer"]]
    result = search(q="捕捞")
    assert result.items[0].id == catalogue["fishing"]


def test_all_words_must_match(search, catalogue):
    assert found(search(q="焊工 不锈钢"), catalogue) == {"argon"}
    assert found(search(q="叉车 会计"), catalogue) == set()


def test_a_slash_or_a_list_comma_between_words_means_either(search, catalogue):
    for q in ("叉车/会计", "叉车／会计", "叉车、会计", "叉车|会计"):
        assert found(search(q=q), catalogue) == {"forklift", "accountant"}, q
    # Beside other words the rest still has to match; a slash inside pay is not "either".
    assert found(search(q="焊工/会计 不锈钢"), catalogue) == {"argon"}
    assert search(q="200元/天").filters.get("salary") is None


def test_a_district_typed_into_the_keywords_filters_by_district(search, catalogue):
    result = search(q="渔业 高淳区")
    assert found(result, catalogue) == {"fish_farm", "fishing"}
    assert result.filters["district"] == "高淳区"
    assert found(search(q="电焊 高淳"), catalogue) == set()  # the welders work in 江宁区


def test_keywords_combine_with_filters(search, catalogue):
    assert found(search(q="渔业", work_form="seasonal"), catalogue) == {"fishing"}
    assert found(search(q="电焊", district="江宁区"), catalogue) == {"welder", "argon"}
    assert found(search(q="电焊", district="鼓楼区"), catalogue) == set()


def test_unmatched_and_empty_queries(search, catalogue):
    assert search(q="宇航员").total == 0
    assert search(q="   ").total == len(CATALOGUE)  # nothing to search for: browse
    assert search(q="%%%___").total == len(CATALOGUE)


def test_latin_letters_naming_no_occupation_are_searched_as_typed(search, catalogue):
    """Pinyin or a typo used to be read as a look-alike occupation: baojie (保洁) gave the
    positions of 工业工程技术人员 (via "ie"), zzzzqqq those of 质检员 (via "qc")."""
    from jobfair.matching.vocabulary import search_terms

    assert search_terms(["baojie"]) == [(("baojie",),)]
    assert search_terms(["zzzzqqq"]) == [(("zzzzqqq",),)]
    assert ("数控",) in search_terms(["cnc"])[0]  # a known name still widens
    assert search(q="baojie").total == 0 and search(q="zzzzqqq").total == 0


def test_pinyin_that_finds_nothing_is_told_to_type_chinese(client):
    """Once, by the search's own notice (the API gets the same words)."""
    page = client.get("/positions?q=baojie").get_data(as_text=True)
    assert "没有找到符合条件的岗位" in page and page.count("汉字") == 1 and "请改用汉字" in page
    page = client.get("/positions?q=宇航员").get_data(as_text=True)
    assert "没有找到符合条件的岗位" in page and "改用汉字" not in page


def test_search_follows_edits_of_the_stored_tokens(app, search, catalogue):
    """The FTS index is kept in sync by the database (triggers / generated column)."""
    from jobfair.database import writing
    from jobfair.matching.text import segment_for_index
    from jobfair.models import Position

    with app.app_context(), writing():
        pos = db.session.get(Position, catalogue["cleaner"])
        pos.title = "保洁员（兼叉车司机）"
        pos.search_tokens = segment_for_index(pos.title, pos.description)
        db.session.commit()
    assert "cleaner" in found(search(q="叉车司机"), catalogue)
    with app.app_context(), writing():
        db.session.delete(db.session.get(Position, catalogue["forklift"]))
        db.session.commit()
    assert found(search(q="叉车司机"), catalogue) == {"cleaner"}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Traditional characters (phones set to 繁體, posts copied from Hong Kong or Taiwan).
        ("電焊工", {"welder", "argon"}),
        ("叉車司機", {"forklift"}),
        ("會計", {"accountant"}),
        # A space after every character, ideographic spaces, a zero-width space.
        ("电 焊 工", {"welder", "argon"}),
        ("叉　车　司　机", {"forklift"}),
        ("保\u200b洁", {"cleaner"}),
        # Markup and entities pasted from another site, emoji and shouting.
        ("<p>焊工&nbsp;</p>", {"welder", "argon"}),
        ("🔥急招🔥 焊工！！！", {"welder", "argon"}),
        # A misspelling pinyin input makes every day.
        ("电悍工", {"welder", "argon"}),
        # A number beside the role word is not a word the posts could contain.
        ("焊工 5000", {"welder", "argon"}),
    ],
)
def test_messy_keywords_find_what_was_meant(search, catalogue, q, expected):
    result = search(q=q)
    assert found(result, catalogue) == expected, q
    assert result.notice == ""


def test_imported_markup_in_a_description_is_not_searchable(search, make_employer, make_position):
    pos = make_position(
        employer=make_employer(),
        title="焊工",
        description="<p>负责钢结构焊接&nbsp;</p><ul><li>包吃住</li></ul>",
    )
    assert [i.id for i in search(q="钢结构").items] == [pos.id]
    for markup in ("nbsp", "li", "ul"):
        assert search(q=markup).total == 0, markup


def test_pay_in_the_keywords_becomes_the_monthly_pay_filter(search, make_employer, make_position):
    employer = make_employer()
    low = make_position(employer=employer, title="包装工", salary_min=3000, salary_max=4000)
    high = make_position(employer=employer, title="包装工", salary_min=6000, salary_max=8000)
    for q in ("5000-8000", "５０００元", "月薪5000以上"):
        result = search(q=q)
        assert [i.id for i in result.items] == [high.id], q
        assert result.filters["salary"] == 5000
        assert "期望月薪 5000 元" in result.notice
    result = search(q="包装工 月薪8k")
    assert [i.id for i in result.items] == [high.id] and result.filters["salary"] == 8000
    # Pay per day is not a monthly wage; a salary chosen in the form stays as chosen.
    assert search(q="200元/天").filters.get("salary") is None
    assert {i.id for i in search(q="5000-8000", salary=1000).items} == {low.id, high.id}


def test_daily_pay_in_the_keywords_becomes_the_daily_pay_filter(
    search, make_employer, make_position
):
    employer = make_employer()
    daily = make_position(
        employer=employer,
        title="装卸工",
        pay_unit="day",
        salary_min=200,
        salary_max=260,
        daily_pay=True,
    )
    make_position(employer=employer, title="装卸工")
    for q in ("日结", "装卸 日结", "当天结"):
        result = search(q=q)
        assert [i.id for i in result.items] == [daily.id], q
        assert "日结" in result.notice and "没有可以搜索的文字" not in result.notice


def test_letters_that_find_nothing_suggest_typing_characters(search, catalogue):
    for q in ("hangong", "dg", "焊工 hangong"):
        result = search(q=q)
        assert result.total == 0 and "拼音" in result.notice, q
    assert "拼音" not in search(q="宇航员").notice  # characters that find nothing: no pinyin hint


def test_the_api_says_what_it_did_with_the_keywords(client, catalogue):
    data = client.get("/api/v1/positions", query_string={"q": "5000-8000"}).get_json()
    assert "期望月薪 5000 元" in data["notice"]
    data = client.get("/api/v1/positions", query_string={"q": "hangong"}).get_json()
    assert data["total"] == 0 and "拼音" in data["notice"]
    assert client.get("/api/v1/positions?q=焊工").get_json()["notice"] == ""
