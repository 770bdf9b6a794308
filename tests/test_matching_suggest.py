"""Occupation suggestion: noisy job-board titles, hit rates on the labelled set, bad input."""

import pytest

from jobfair.matching import evaluate_suggestions, suggest_occupations, suggest_occupations_for_many
from jobfair.matching.occupations import clean_title, load_eval_rows
from jobfair.matching.text import DATA


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("高唐乐客咖啡店招聘咖啡师", "4-03-02-08"),
        ("急招叉车司机月入过万", "6-30-05-01"),
        ("诚聘包装工 长白班 包吃住", "6-31-05-00"),
        ("南京江宁区某物流公司招聘仓库管理员", "4-02-06-01"),
        ("高级Java开发工程师（15-25K·14薪）", "2-02-10-03"),
        ("养老护理员 包吃住 月薪5000-7000", "4-10-01-05"),
        ("ＣＮＣ操作工（两班倒）", "6-18-01-07"),
    ],
)
def test_noise_does_not_mislead_it(title, code):
    got = suggest_occupations(title, k=5)
    assert got and got[0].code == code, [(s.code, s.name) for s in got]
    assert got[0].name and got[0].score > 0
    assert [s.score for s in got] == sorted((s.score for s in got), reverse=True)


def test_cleaning_keeps_the_role_and_drops_company_place_pay_and_hype():
    assert clean_title("高唐乐客咖啡店招聘咖啡师") == ["咖啡师"]
    assert clean_title("急招叉车司机月入过万") == ["叉车司机"]
    assert clean_title("诚聘包装工 长白班 包吃住") == ["包装工"]
    assert clean_title("北京朝阳区急招保安 8k-12k") == ["保安"]


@pytest.mark.parametrize("title", ["", "   ", "😀🎉", "8k-12k 月入过万 包吃住", None])
def test_meaningless_titles_give_nothing(title):
    assert suggest_occupations(title) == []


@pytest.mark.parametrize(
    ("title", "plain"),
    [
        ("電焊工", "电焊工"),
        ("急招叉車司機 包吃住", "急招叉车司机 包吃住"),
        ("廚師（中餐）", "厨师（中餐）"),
        ("电 焊 工", "电焊工"),
        ("保\u200b洁\u200b员", "保洁员"),
        ("<p>养老护理员&nbsp;</p>", "养老护理员"),
        ("&lt;b&gt;收银员&lt;/b&gt;", "收银员"),
    ],
)
def test_traditional_spaced_and_marked_up_titles_suggest_as_the_plain_title(title, plain):
    got = [s.code for s in suggest_occupations(title, k=3)]
    assert got and got == [s.code for s in suggest_occupations(plain, k=3)], title


def test_acronyms_are_not_read_inside_english_words():
    # cto in factory, sem in assembly, ar in warehouse, ie in cashier were read as the acronyms
    # (企业经理, 电子商务师, 产品设计, 工业工程) with high confidence.
    for title in ("factory worker", "assembly line", "warehouse", "cashier", "Inspector"):
        got = suggest_occupations(title, k=1)
        assert not got or got[0].score < 0.3, (title, got)
    # On their own, or beside Chinese, they still name the work.
    for title, code in (
        ("CTO", "1-06-01-02"),
        ("HR专员", "4-07-03-04"),
        ("QC inspector", "6-31-03-05"),
    ):
        got = suggest_occupations(title, k=1)
        assert got and got[0].code == code, (title, got)


def test_odd_titles_do_not_raise():
    for title in ("x" * 20_000, "焊工" * 10_000, "Java and 电焊 welder", "<script>", "（）【】"):
        result = suggest_occupations(title, k=3)
        assert len(result) <= 3
    assert suggest_occupations("焊工", k=0) == []
    many = suggest_occupations_for_many(["焊工", "", "厨师"], k=2)
    assert [len(r) for r in many] == [2, 0, 2]


def test_hit_rates_on_the_labelled_titles_stay_above_the_guard():
    rows = load_eval_rows()
    assert len(rows) >= 300
    result = evaluate_suggestions(rows)
    # Guards just below what the project measures (see the report); held-out tuning honesty:
    # the test split was not used to tune, so it has its own, lower guard.
    assert result["exact@1"] >= 0.90 and result["exact@10"] >= 0.97
    assert result["major@1"] >= 0.95
    test = result["splits"]["test"]
    assert test["exact@1"] >= 0.85 and test["exact@10"] >= 0.95 and test["major@1"] >= 0.95
    assert result["ms_per_query"] > 0


def test_hit_rates_on_the_independent_messy_titles_stay_above_the_guard():
    # Written after the alias table, without looking at it, as real posters write titles
    # (jobfair/data/eval/README.md); guards a little below what the project measures.
    rows = load_eval_rows(DATA / "eval" / "occupation-titles-messy.csv")
    assert len(rows) >= 250
    result = evaluate_suggestions(rows)
    assert result["exact@1"] >= 0.90 and result["exact@10"] >= 0.97
    assert result["major@1"] >= 0.96
