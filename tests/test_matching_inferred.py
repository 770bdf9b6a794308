"""Inferred occupations: positions without a code and seekers without a wish still match on
what the work is, weighted by how sure the guess is, and the reasons say it was a guess."""

import pytest

from jobfair.matching import (
    MatchingEngine,
    PositionDoc,
    SeekerDoc,
    infer_occupations,
    suggest_occupations,
)

WELDER = "6-18-02-04"
FORKLIFT = "6-30-05-01"
CUTTER = "6-18-02-05"  # same minor group as 焊工


def uncoded(id, title, **kw):
    return PositionDoc(id=id, title=title, inferred_occupations=infer_occupations(title), **kw)


def test_titles_get_calibrated_guesses():
    guesses = infer_occupations("急招 江宁 电焊工 包吃住 五险")
    assert guesses[0][0] == WELDER and 0.5 < guesses[0][1] <= 1.0
    assert sum(p for _, p in guesses) <= 1.0 + 1e-9
    assert infer_occupations("宝妈兼职 日结") == ()  # no role word: no guess to rely on
    # ... but suggestion still answers something sensible, best first.
    assert [s.code for s in suggest_occupations("日结", 3)][0] == "4-02-05-01"
    assert suggest_occupations("宝妈兼职", 3)


def test_uncoded_position_matches_a_wished_occupation_with_a_guess_reason():
    engine = MatchingEngine.build(
        [uncoded(1, "急招电焊工 包吃住"), uncoded(2, "叉车司机 长白班"), uncoded(3, "收银员")]
    )
    matches = engine.recommend(SeekerDoc(id=9, desired_occupations=(WELDER,)), 5)
    assert [m.position_id for m in matches] == [1]
    assert "推测职业：焊工" in matches[0].reasons
    assert engine.occupation_of(1) == "" and engine.inferred_of(1)[0][0] == WELDER


def test_the_occupation_term_is_weighted_by_confidence():
    sure = PositionDoc(id=1, title="岗位甲", inferred_occupations=((WELDER, 0.9),))
    unsure = PositionDoc(
        id=2, title="岗位乙", inferred_occupations=((WELDER, 0.3), (FORKLIFT, 0.6))
    )
    chosen = PositionDoc(id=3, title="岗位丙", occupation_code=WELDER)
    engine = MatchingEngine.build([sure, unsure, chosen])
    seeker = SeekerDoc(id=9, desired_occupations=(WELDER,))
    scores = {m.position_id: m.score for m in engine.recommend(seeker, 5)}
    assert scores[3] > scores[1] > scores[2] > 0
    # The same formula when scored one pair at a time.
    assert engine.score(seeker, unsure).score == pytest.approx(scores[2])
    assert "推测职业：焊工" in engine.score(seeker, unsure).reasons
    # A weak guess still counts a little, but is no reason to show.
    weak = PositionDoc(id=4, title="岗位丁", inferred_occupations=((WELDER, 0.1),))
    match = engine.score(seeker, weak)
    assert match.score > 0 and not any("职业" in r for r in match.reasons)


def test_a_chosen_code_wins_over_guesses_on_the_same_position():
    both = PositionDoc(
        id=1, title="叉车", occupation_code=WELDER, inferred_occupations=((FORKLIFT, 1.0),)
    )
    engine = MatchingEngine.build([both])
    assert engine.recommend(SeekerDoc(id=9, desired_occupations=(FORKLIFT,)), 5) == []
    assert engine.inferred_of(1) == ()


def test_seeker_without_a_wish_is_matched_by_inferred_codes():
    engine = MatchingEngine.build(
        [
            PositionDoc(id=1, title="岗位一", occupation_code=WELDER),
            PositionDoc(id=2, title="岗位二", occupation_code=CUTTER),
            PositionDoc(id=3, title="岗位三", occupation_code=FORKLIFT),
        ]
    )
    seeker = SeekerDoc(id=9, inferred_occupations=((WELDER, 0.8),))
    matches = engine.recommend(seeker, 5)
    assert [m.position_id for m in matches] == [1, 2]  # same occupation, then same minor group
    assert matches[0].reasons[0] == "推测职业：焊工"
    assert matches[1].reasons[0] == "推测职业相近：机械加工材料切割工"
    # A wished occupation replaces the guesses.
    wished = SeekerDoc(id=9, desired_occupations=(FORKLIFT,), inferred_occupations=((WELDER, 0.8),))
    assert [m.position_id for m in engine.recommend(wished, 5)] == [3]


def test_inferred_codes_survive_add_compaction_and_save(tmp_path):
    engine = MatchingEngine.build([uncoded(1, "电焊工")])
    for i in range(2, 40):
        engine.add(uncoded(i, "叉车工" if i % 2 else "氩弧焊工"))
    engine.remove(3)
    path = tmp_path / "index.joblib"
    engine.save(path)
    loaded = MatchingEngine.load(path)
    seeker = SeekerDoc(id=9, desired_occupations=(WELDER,))
    got = {m.position_id for m in loaded.recommend(seeker, 50)}
    assert got == {1, *range(2, 40, 2)}
    assert loaded.recommend(seeker, 50) == engine.recommend(seeker, 50)
