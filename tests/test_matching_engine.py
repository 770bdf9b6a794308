"""The matching engine: scoring components, reasons, incremental updates, persistence, bad input."""

import dataclasses

import pytest

from jobfair.matching import (
    Match,
    MatchingEngine,
    PositionDoc,
    ScoringWeights,
    SeekerDoc,
    SeekerMatch,
    evaluate_recommendations,
    input_notes,
)
from jobfair.matching.text import segment_for_index

WELDER = "6-18-02-04"
FITTER = "6-18-02-05"  # same minor group 6-18-02 (机械加工材料切割工)
LATHE = "6-18-01-01"  # same middle group 6-18 (车工)
CARER = "4-10-01-05"  # 养老护理员
FORKLIFT = "6-30-05-01"


def pos(id, title, description="", **kw):
    kw.setdefault("occupation_code", "")
    kw.setdefault("district", "江宁区")
    kw.setdefault("salary_min", 5000)
    kw.setdefault("salary_max", 8000)
    return PositionDoc(id=id, title=title, description=description, **kw)


@pytest.fixture
def positions():
    return [
        pos(1, "电焊工（二保焊）", "负责机架焊接，二保焊、氩弧焊", occupation_code=WELDER,
            welcomed_groups=("veteran",), education="junior"),
        pos(2, "氩弧焊工", "不锈钢管道氩弧焊焊接", occupation_code=WELDER, district="鼓楼区"),
        pos(3, "养老护理员", "照护老人起居饮食，协助康复训练", occupation_code=CARER,
            district="鼓楼区"),
        pos(4, "叉车司机", "仓库叉车装卸作业，持叉车证", occupation_code=FORKLIFT),
        pos(5, "激光切割工", "操作激光切割机下料", occupation_code=FITTER),
        pos(6, "普通车工", "操作普通车床加工轴类零件", occupation_code=LATHE),
    ]  # fmt: skip


@pytest.fixture
def engine(positions):
    return MatchingEngine.build(positions)


def ids(matches):
    return [m.position_id for m in matches]


def test_a_welder_sees_welding_posts_first_with_reasons(engine):
    seeker = SeekerDoc(
        10, "会电焊、氩弧焊，五年焊接经验", desired_occupations=(WELDER,), districts=("鼓楼区",),
        salary_min=7000, education="junior", work_forms=("full_time",), groups=("veteran",),
    )  # fmt: skip
    matches = engine.recommend(seeker, k=3)
    assert ids(matches)[:2] in ([1, 2], [2, 1])
    assert all(isinstance(m, Match) and 0 < m.score <= 1 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    one = next(m for m in matches if m.position_id == 1)
    assert "岗位欢迎退役军人" in one.reasons
    assert "职业对口：焊工" in one.reasons
    assert "薪资符合期望" in one.reasons and "学历符合要求" in one.reasons
    assert "工作形式：全日制" in one.reasons
    skills = next(r for r in one.reasons if r.startswith("技能匹配："))
    assert "氩弧焊" in skills and "电焊" in skills
    two = next(m for m in matches if m.position_id == 2)
    assert "期望区域：鼓楼区" in two.reasons and "岗位欢迎退役军人" not in two.reasons


def test_reasons_only_name_what_contributed(engine):
    # Nothing about pay, education, form or district: those reasons must not appear.
    seeker = SeekerDoc(11, "照顾老人 护理")
    (first, *_) = engine.recommend(seeker, k=1)
    assert first.position_id == 3
    assert first.reasons and first.reasons[0].startswith("技能匹配：")
    assert not any(r.startswith(("期望区域", "薪资", "学历", "工作形式", "岗位欢迎", "职业"))
                   for r in first.reasons)  # fmt: skip


def test_occupation_levels_order_exact_minor_middle():
    same_text = "机械加工 车间 操作"
    docs = [
        pos(1, "岗位甲", same_text, occupation_code=LATHE),
        pos(2, "岗位乙", same_text, occupation_code=FITTER),
        pos(3, "岗位丙", same_text, occupation_code=WELDER),
        pos(4, "岗位丁", same_text, occupation_code=CARER),
    ]
    engine = MatchingEngine.build(docs)
    seeker = SeekerDoc(1, same_text, desired_occupations=(WELDER,))
    matches = engine.recommend(seeker)
    assert ids(matches) == [3, 2, 1, 4]
    assert "职业对口：焊工" in matches[0].reasons
    assert matches[1].reasons[0].startswith("职业相近：")


@pytest.mark.parametrize(
    ("field", "value", "position_field", "plain_value", "special_value", "reason"),
    [
        ("districts", ("鼓楼区",), "district", "江宁区", "鼓楼区", "期望区域：鼓楼区"),
        ("groups", ("retired_fisher",), "welcomed_groups", (), ("retired_fisher",),
         "岗位欢迎退捕渔民"),
        ("salary_min", 9000, "salary_max", 6000, 10000, "薪资符合期望"),
        ("education", "college", "education", "master", "senior", "学历符合要求"),
        ("work_forms", ("part_time",), "work_form", "full_time", "part_time", "工作形式：非全日制"),
    ],
)  # fmt: skip
def test_each_structured_signal_lifts_the_position_that_has_it(
    field, value, position_field, plain_value, special_value, reason
):
    text = "仓库 理货 分拣"
    plain = pos(1, "理货员", text, **{position_field: plain_value})
    special = dataclasses.replace(plain, id=2, **{position_field: special_value})
    engine = MatchingEngine.build([plain, special])
    seeker = SeekerDoc(7, text, **{field: value})
    matches = engine.recommend(seeker)
    assert ids(matches) == [2, 1]
    assert matches[0].score > matches[1].score
    assert reason in matches[0].reasons
    assert reason not in matches[1].reasons


def test_ties_are_broken_by_id_and_results_are_deterministic():
    docs = [pos(i, "保洁员", "写字楼保洁") for i in (9, 3, 7, 5)]
    engine = MatchingEngine.build(docs)
    seeker = SeekerDoc(1, "保洁")
    first = engine.recommend(seeker)
    assert ids(first) == [3, 5, 7, 9]
    assert engine.recommend(seeker) == first
    assert MatchingEngine.build(list(reversed(docs))).recommend(seeker) == first


def test_batch_single_and_pair_scores_agree(engine, positions):
    seekers = [
        SeekerDoc(1, "电焊 氩弧焊", desired_occupations=(WELDER,), districts=("鼓楼区",)),
        SeekerDoc(2, "护理老人", groups=("veteran",)),
        SeekerDoc(3, "叉车", salary_min=9000),
        SeekerDoc(4),
    ]
    batch = engine.recommend_many(seekers, k=4)
    assert batch == [engine.recommend(s, k=4) for s in seekers]
    for seeker, matches in zip(seekers, batch, strict=True):
        for m in matches:
            doc = next(p for p in positions if p.id == m.position_id)
            assert engine.score(seeker, doc) == m
    assert batch[3] == []


def test_rank_seekers_for_an_employer(engine, positions):
    seekers = [
        SeekerDoc(21, "照顾老人"),
        SeekerDoc(22, "电焊 氩弧焊 焊接", desired_occupations=(WELDER,), groups=("veteran",)),
        SeekerDoc(23, "电焊"),
        SeekerDoc(24),
    ]
    ranked = engine.rank_seekers(positions[0], seekers, k=5)
    assert [m.seeker_id for m in ranked] == [22, 23]
    assert all(isinstance(m, SeekerMatch) for m in ranked)
    assert "岗位欢迎退役军人" in ranked[0].reasons
    assert ranked[0].score == engine.score(seekers[1], positions[0]).score
    # A position that is not in the index (a draft) can be ranked too.
    draft = pos(99, "焊工", "电焊 焊接", occupation_code=WELDER)
    assert [m.seeker_id for m in engine.rank_seekers(draft, seekers)][:1] == [22]


def test_add_replace_and_remove_change_recommendations(engine):
    seeker = SeekerDoc(1, "叉车 装卸", desired_occupations=(FORKLIFT,))
    version = engine.version
    assert ids(engine.recommend(seeker))[0] == 4
    engine.add(pos(7, "叉车司机", "叉车 装卸 仓库", occupation_code=FORKLIFT, district="鼓楼区"))
    assert engine.version > version and 7 in engine and len(engine) == 7
    assert set(ids(engine.recommend(seeker))[:2]) == {4, 7}
    # Replace 7 with a cook's post: it drops out of the forklift seeker's top.
    engine.add(pos(7, "厨师", "炒菜 配菜", occupation_code="4-03-02-01"))
    assert len(engine) == 7 and ids(engine.recommend(seeker))[0] == 4
    assert 7 not in ids(engine.recommend(seeker)[:1])
    v = engine.version
    assert engine.remove(4) is True and engine.version == v + 1
    assert 4 not in ids(engine.recommend(seeker)) and len(engine) == 6
    assert engine.remove(4) is False and engine.version == v + 1


def test_many_adds_compact_and_refit_small_indices():
    engine = MatchingEngine.build([])
    assert len(engine) == 0 and engine.recommend(SeekerDoc(1, "焊工")) == []
    engine.add(pos(1, "面点师", "包子 馒头 面点"))
    # The word 面点 was unknown to the empty index; a small index refits and knows it now.
    assert ids(engine.recommend(SeekerDoc(1, "面点"))) == [1]
    for i in range(2, 40):
        engine.add(pos(i, f"岗位{i}", "保洁 清洁"))
    for i in range(2, 30):
        engine.remove(i)
    assert len(engine) == 11
    assert ids(engine.recommend(SeekerDoc(1, "保洁"), k=20)) == list(range(30, 40))


def test_save_and_load_round_trip(engine, tmp_path):
    seeker = SeekerDoc(1, "电焊 氩弧焊", desired_occupations=(WELDER,), districts=("鼓楼区",))
    path = tmp_path / "instance" / "matching.idx"
    engine.save(path)
    loaded = MatchingEngine.load(path)
    assert loaded.version == engine.version and len(loaded) == len(engine)
    assert loaded.recommend(seeker) == engine.recommend(seeker)
    loaded.add(pos(8, "焊工", "电焊", occupation_code=WELDER, district="鼓楼区"))
    assert 8 in ids(loaded.recommend(seeker)) and 8 not in engine
    (tmp_path / "bad.idx").write_bytes(b"not an index")
    with pytest.raises(Exception):  # noqa: B017 - any failure, never a half-loaded engine
        MatchingEngine.load(tmp_path / "bad.idx")


def test_bad_input_never_raises(engine, positions):
    odd = [
        SeekerDoc(1),
        SeekerDoc(2, "   \n"),
        SeekerDoc(3, "😀🎉👍"),
        SeekerDoc(4, "焊工" * 10_000),
        SeekerDoc(5, "Java 开发 and 电焊 welding"),
        SeekerDoc(6, desired_occupations=("9-99-99-99", "garbage", ""), districts=("火星区",)),
        SeekerDoc(7, groups=("not_a_group",), work_forms=("weird",), education="phd"),
    ]
    results = engine.recommend_many(odd)
    assert results[0] == results[1] == results[2] == [] == results[5] == results[6]
    assert results[3] and results[3][0].position_id in (1, 2)
    assert results[4] and results[4][0].position_id in (1, 2)
    assert input_notes(odd[3]) == ("文字过长，只分析了前 5000 个字。",)
    assert "未识别的职业编码已忽略" in input_notes(odd[5])[0]
    assert any("简历信息太少" in n for n in input_notes(odd[0]))
    assert engine.recommend(odd[4], k=0) == [] and engine.recommend_many([]) == []
    weird = pos(50, "😀", "", occupation_code="bad", district="", education="phd",
                work_form="weird", welcomed_groups=("nobody",))  # fmt: skip
    engine.add(weird)
    assert engine.score(SeekerDoc(1, "焊工"), weird).score >= 0
    assert engine.rank_seekers(weird, []) == []


def test_weights_are_configuration():
    text_only = ScoringWeights(occupation=0, occupation_minor=0, occupation_middle=0,
                               district=0, priority_group=0, work_form=0, salary=0,
                               education=0)  # fmt: skip
    docs = [pos(1, "焊工", "电焊 焊接 氩弧焊", district="鼓楼区"),
            pos(2, "焊工", "电焊", district="江宁区", occupation_code=WELDER)]  # fmt: skip
    seeker = SeekerDoc(1, "电焊 焊接 氩弧焊", desired_occupations=(WELDER,), districts=("江宁区",))
    assert ids(MatchingEngine.build(docs, text_only).recommend(seeker)) == [1, 2]
    assert ids(MatchingEngine.build(docs).recommend(seeker)) == [2, 1]
    assert ScoringWeights.from_mapping({"district": 0.3}).district == 0.3
    with pytest.raises(ValueError):
        ScoringWeights.from_mapping({"gender": 1})
    with pytest.raises(ValueError):
        ScoringWeights(occupation=0.1, occupation_minor=0.2)
    with pytest.raises(ValueError):
        ScoringWeights(text=-1)


def test_stored_tokens_are_used_without_segmenting_again(monkeypatch):
    tokens = segment_for_index("电焊工", "氩弧焊 焊接")
    docs = [PositionDoc(1, title="(标题不再分词)", tokens=tokens), pos(2, "厨师", "炒菜")]
    import jobfair.matching.features as features_module

    def boom(*texts):
        raise AssertionError("segmented again")

    engine = MatchingEngine.build(docs[:1])
    monkeypatch.setattr(features_module, "segment_for_index", boom)
    stored = SeekerDoc(1, text="ignored", tokens=segment_for_index("氩弧焊"))
    assert ids(engine.recommend(stored)) == [1]


def test_precision_at_10_counts_wished_occupations(engine):
    seekers = [
        (SeekerDoc(1, "电焊 氩弧焊 焊接"), [WELDER]),
        SeekerDoc(2, "护理 老人", desired_occupations=(CARER,)),
    ]
    p = evaluate_recommendations(engine, seekers, k=10)
    assert 0 < p <= 1
    assert evaluate_recommendations(engine, [], k=10) == 0.0


def test_a_position_outside_the_index_gives_reasons_from_its_own_words(engine):
    # A draft (not indexed) welder post: its skill reason names its words, not those of
    # whichever position happens to be first in the index.
    draft = pos(99, "钢结构焊工", "钢结构件焊接", occupation_code=WELDER)
    seeker = SeekerDoc(12, "会氩弧焊、二保焊，做过钢结构焊接", desired_occupations=(WELDER,))
    match = engine.score(seeker, draft)
    skills = next(r for r in match.reasons if r.startswith("技能匹配："))
    assert "焊接" in skills
    assert "氩弧焊" not in skills and "二保焊" not in skills
    (ranked,) = engine.rank_seekers(draft, [seeker], k=1)
    assert next(r for r in ranked.reasons if r.startswith("技能匹配：")) == skills
