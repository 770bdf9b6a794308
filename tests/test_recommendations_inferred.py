"""A seeker who names no wished occupation: the profile's words give inferred occupations,
kept current on every save and by `flask match rebuild`, and the reasons say 推测职业."""

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import SeekerInferredOccupation, SeekerProfile, User
from jobfair.seekers import services

WELDER = "6-18-02-04"
FORKLIFT = "6-30-05-01"


def inferred(app, user) -> list[str]:
    with app.app_context():
        profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=user.id))
        return [code for code, _ in profile.inferred_occupations]


def save(app, user, **data):
    with app.app_context(), writing():
        services.save_profile(db.session.get(User, user.id), data)


def test_profile_words_give_inferred_occupations_and_guess_reasons(
    app, make_position, make_seeker, signed_in
):
    welder = make_position(title="钢结构电焊工", district="江宁区")
    make_position(title="收银员", occupation_code="4-01-02-04", description="超市收银")
    seeker = make_seeker(skills="电焊、氩弧焊", experience="在机械厂干了五年")
    assert inferred(app, seeker)[0] == WELDER

    client = signed_in(seeker)
    data = client.get("/api/v1/matching/recommendations").get_json()
    top = data["items"][0]
    assert top["position"]["id"] == welder.id
    assert "推测职业：焊工" in top["reasons"]
    html = client.get("/me").get_data(as_text=True)
    assert "推测职业：焊工" in html


def test_inferences_follow_edits_and_give_way_to_a_wish(app, make_seeker):
    seeker = make_seeker(skills="电焊、氩弧焊")
    assert inferred(app, seeker)[0] == WELDER
    save(app, seeker, skills="会开叉车，有叉车证")
    assert inferred(app, seeker)[0] == FORKLIFT
    save(app, seeker, desired_occupations=["4-01-02-04"])
    assert inferred(app, seeker) == []  # a wished occupation needs no guess


def test_rebuild_refreshes_stale_inferences(app, make_seeker):
    seeker = make_seeker(skills="电焊、氩弧焊")
    with app.app_context(), writing():
        profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id))
        profile.inferred = [SeekerInferredOccupation(occupation_code=FORKLIFT, confidence=0.9)]
        db.session.commit()
    assert inferred(app, seeker) == [FORKLIFT]
    result = app.test_cli_runner().invoke(args=["match", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "推测职业" in result.output
    assert inferred(app, seeker)[0] == WELDER
