"""Fairness: protected attributes are no input, and words naming them change nothing."""

import dataclasses

from jobfair.matching import MatchingEngine, PositionDoc, SeekerDoc

PROTECTED = {"gender", "sex", "age", "birth_year", "ethnicity", "nation", "marital_status",
             "religion", "hukou", "origin", "name", "phone", "id_number", "photo", "height"}  # fmt: skip


def corpus():
    return [
        PositionDoc(1, "仓库理货员", "负责仓库理货、分拣、盘点，限男性，年龄35岁以下",
                    occupation_code="4-02-06-02", district="江宁区"),
        PositionDoc(2, "理货员", "超市理货上架，女性优先，已婚已育", occupation_code="4-02-06-02",
                    district="鼓楼区"),
        PositionDoc(3, "收银员", "超市收银，汉族，本地户籍", occupation_code="4-01-02-04",
                    district="鼓楼区"),
        PositionDoc(4, "保洁员", "写字楼保洁", occupation_code="4-09-08-01", district="江宁区"),
        PositionDoc(5, "分拣员", "快递分拣 夜班", occupation_code="4-02-06-02", district="栖霞区",
                    welcomed_groups=("rural_migrant",)),
    ]  # fmt: skip


def test_the_documents_have_no_field_for_protected_attributes():
    for doc in (PositionDoc, SeekerDoc):
        names = {f.name for f in dataclasses.fields(doc)}
        assert not names & PROTECTED, names & PROTECTED


def test_extra_attributes_on_a_subclass_are_ignored():
    @dataclasses.dataclass(frozen=True)
    class PersonSeeker(SeekerDoc):
        name: str = ""
        gender: str = ""
        age: int = 0
        ethnicity: str = ""

    engine = MatchingEngine.build(corpus())
    base = dict(text="理货 分拣 盘点", desired_occupations=("4-02-06-02",), districts=("鼓楼区",))
    a = PersonSeeker(1, name="张伟", gender="男", age=28, ethnicity="汉族", **base)
    b = PersonSeeker(1, name="李秀英", gender="女", age=52, ethnicity="回族", **base)
    plain = SeekerDoc(1, **base)
    assert engine.recommend(a) == engine.recommend(b) == engine.recommend(plain)
    assert engine.recommend(a)  # the ranking is real, not empty
    ranked_a = engine.rank_seekers(corpus()[0], [a, dataclasses.replace(b, id=2)])
    assert [m.score for m in ranked_a] == [ranked_a[0].score] * 2


def test_words_naming_protected_attributes_change_nothing():
    engine = MatchingEngine.build(corpus())
    base = "理货 分拣 盘点 超市 收银"
    variants = [
        base,
        base + " 男 28岁 汉族 未婚 本地户籍 身高180",
        base + " 女性 52岁 回族 已婚已育 外地人 宝妈",
        "女士 " + base + " 离异 少数民族",
    ]
    results = [engine.recommend(SeekerDoc(1, text, districts=("鼓楼区",))) for text in variants]
    assert results[0]
    assert all(r == results[0] for r in results[1:])
    # Discriminatory wording in a position earns it nothing either (限男性 / 女性优先 / 汉族).
    for m in results[0]:
        assert not any(w in r for r in m.reasons for w in ("男", "女", "汉族", "户籍", "岁"))


def test_priority_groups_count_only_when_passed_in():
    # The caller passes only groups the seeker consented to use; without them, no boost.
    engine = MatchingEngine.build(corpus())
    text = dict(text="分拣 理货", desired_occupations=("4-02-06-02",))
    without = engine.recommend(SeekerDoc(1, **text))
    consented = engine.recommend(SeekerDoc(1, groups=("rural_migrant",), **text))
    before = next(m for m in without if m.position_id == 5)
    after = next(m for m in consented if m.position_id == 5)
    assert after.score > before.score
    assert "岗位欢迎农村转移劳动力" in after.reasons
    assert not any("岗位欢迎" in r for m in without for r in m.reasons)
