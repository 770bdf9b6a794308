"""为你推荐, 推荐人才, 重点群体精准匹配 and pushes, occupation suggestion: pages and API."""

import pytest
from conftest import WELDER_PROFILE

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import (
    Application,
    AuditLog,
    Notification,
    RecommendationLog,
    SeekerGroup,
    SeekerProfile,
    User,
)


@pytest.fixture
def seeker_defaults():
    return WELDER_PROFILE  # make_seeker() makes a welder in 江宁区 unless told otherwise


def log_rows(app, source=None):
    with app.app_context():
        q = db.select(RecommendationLog).order_by(RecommendationLog.id)
        if source:
            q = q.filter_by(source=source)
        return [(r.seeker_user_id, r.position_id, r.source) for r in db.session.scalars(q)]


# --- 为你推荐 ---------------------------------------------------------------------------


def test_seeker_home_shows_recommendations_with_score_reasons_and_apply(
    app, make_position, make_seeker, signed_in
):
    welder = make_position(title="钢结构电焊工", district="江宁区")
    make_position(
        title="收银员", occupation_code="4-01-02-04", description="超市收银", district="鼓楼区"
    )
    client = signed_in(make_seeker())
    html = client.get("/me").get_data(as_text=True)
    assert "为你推荐" in html and "钢结构电焊工" in html
    assert "匹配度" in html and "%" in html
    assert f"/positions/{welder.id}/apply" in html
    assert html.index("钢结构电焊工") < html.index("我的数据")

    data = client.get("/api/v1/matching/recommendations").get_json()
    assert data["ready"] is True
    top = data["items"][0]
    assert top["position"]["id"] == welder.id
    assert 0 < top["percent"] <= 100
    assert top["reasons"] and all(isinstance(r, str) and r for r in top["reasons"])


def test_seeker_without_profile_is_asked_to_complete_it_and_sees_newest(
    app, make_position, make_user, signed_in
):
    pos = make_position(title="叉车司机", occupation_code="6-30-05-01")
    client = signed_in(make_user())
    html = client.get("/me").get_data(as_text=True)
    assert "为你推荐" in html and "完善求职资料" in html
    assert "最新岗位" in html and "叉车司机" in html
    data = client.get("/api/v1/matching/recommendations").get_json()
    assert data["ready"] is False and data["reason"] == "no_profile"
    assert data["message"] and [p["id"] for p in data["fallback"]] == [pos.id]
    assert log_rows(app) == []


def test_seeker_with_only_contact_details_gets_the_prompt(app, make_user, make_position, signed_in):
    from jobfair.seekers import services

    user = make_user()
    with app.app_context(), writing():
        services.save_profile(db.session.get(User, user.id), {"name": "王芳", "phone": user.phone})
    make_position()
    data = signed_in(user).get("/api/v1/matching/recommendations").get_json()
    assert data["ready"] is False and data["reason"] == "no_text"


def test_home_list_is_logged_once_per_day(app, make_position, make_seeker, signed_in):
    for i in range(12):
        make_position(title=f"电焊工{i}")
    seeker = make_seeker()
    client = signed_in(seeker)
    client.get("/me")
    first = log_rows(app, "home")
    assert len(first) == 10 and {r[0] for r in first} == {seeker.id}
    client.get("/me")
    client.get("/api/v1/matching/recommendations")
    assert log_rows(app, "home") == first


# --- 推荐人才 -----------------------------------------------------------------------------


def test_talent_shows_only_discoverable_seekers_with_masked_contacts(
    app, make_employer, make_position, make_seeker, signed_in
):
    employer = make_employer()
    pos = make_position(employer=employer, title="电焊工")
    shown = make_seeker(name="张建国", discoverable=True, groups=["veteran"], group_consent=True)
    hidden = make_seeker(name="李秀英", discoverable=False)
    client = signed_in(employer.user)

    html = client.get(f"/employer/positions/{pos.id}/talent").get_data(as_text=True)
    assert "张**" in html and "张建国" not in html
    assert shown.phone not in html and shown.phone[:3] + "****" + shown.phone[-4:] in html
    assert "李**" not in html and "李秀英" not in html
    assert "退役军人" not in html  # employers never see priority-group status
    detail = client.get(f"/employer/positions/{pos.id}").get_data(as_text=True)
    assert f"/employer/positions/{pos.id}/talent" in detail

    data = client.get(f"/api/v1/matching/positions/{pos.id}/talent").get_json()
    ids = [s["seeker_id"] for s in data["items"]]
    assert ids == [shown.id] and hidden.id not in ids
    item = data["items"][0]
    assert item["name"] == "张**" and item["phone"] == shown.phone[:3] + "****" + shown.phone[-4:]
    assert item["applied"] is False and item["percent"] > 0
    assert "groups" not in item
    assert not any("退役军人" in r for r in item["reasons"])


def test_talent_reveals_contacts_after_the_seeker_applied_to_this_employer(
    app, make_employer, make_position, make_seeker, signed_in
):
    employer = make_employer()
    pos = make_position(employer=employer, title="电焊工")
    other_pos = make_position(employer=employer, title="氩弧焊工")
    seeker = make_seeker(name="张建国", discoverable=True)
    with app.app_context(), writing():
        db.session.add(Application(position_id=other_pos.id, seeker_id=seeker.id))
        db.session.commit()
    data = signed_in(employer.user).get(f"/api/v1/matching/positions/{pos.id}/talent").get_json()
    assert data["items"][0]["name"] == "张建国"
    assert data["items"][0]["phone"] == seeker.phone and data["items"][0]["applied"] is True


def test_talent_of_another_employers_position_is_404(app, make_employer, make_position, signed_in):
    pos = make_position()
    client = signed_in(make_employer().user)
    assert client.get(f"/employer/positions/{pos.id}/talent").status_code == 404
    assert client.get(f"/api/v1/matching/positions/{pos.id}/talent").status_code == 404


# --- 重点群体精准匹配 -------------------------------------------------------------------


def test_priority_matching_lists_only_consenting_group_members(
    app, make_position, make_seeker, make_user, signed_in
):
    pos = make_position(title="电焊工", groups=["veteran"])
    vet = make_seeker(name="王卫国", groups=["veteran"], group_consent=True)
    make_seeker(name="赵强", groups=["graduate"], group_consent=True)
    no_consent = make_seeker(name="孙立")
    with app.app_context(), writing():
        # A group row without consent (should never exist) must still be ignored.
        profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=no_consent.id))
        db.session.add(SeekerGroup(profile_id=profile.id, group="veteran"))
        db.session.commit()
    client = signed_in(make_user(role="organiser"))

    html = client.get("/organiser/priority-matching?group=veteran").get_data(as_text=True)
    assert "王卫国" in html and "赵强" not in html and "孙立" not in html
    assert f"/positions/{pos.id}" in html

    data = client.get("/api/v1/matching/priority?group=veteran").get_json()
    assert [r["seeker_id"] for r in data["rows"]] == [vet.id]
    assert data["total"] == 1 and data["rows"][0]["items"][0]["position"]["id"] == pos.id
    assert data["no_good_match"] == 0

    data = client.get("/api/v1/matching/priority?group=veteran&district=鼓楼区").get_json()
    assert data["total"] == 0
    resp = client.get("/api/v1/matching/priority?group=astronaut")
    assert resp.status_code == 422 and resp.get_json()["error"]["message"]


def test_priority_counts_seekers_without_a_good_match(
    app, make_position, make_seeker, make_user, signed_in
):
    make_position(title="电焊工")
    make_seeker(name="王卫国", groups=["veteran"], group_consent=True)
    make_seeker(
        name="钱多",
        groups=["veteran"],
        group_consent=True,
        skills="钢琴演奏",
        experience="在音乐学院教钢琴",
        desired_occupations=["2-09-02-03"],
        districts=["鼓楼区"],
    )
    data = (
        signed_in(make_user(role="organiser"))
        .get("/api/v1/matching/priority?group=veteran")
        .get_json()
    )
    assert data["total"] == 2 and data["no_good_match"] == 1
    assert [r["good_match"] for r in data["rows"]].count(False) == 1


def test_push_creates_notifications_log_rows_and_an_audit_entry(
    app, make_position, make_seeker, make_user, signed_in
):
    a = make_position(title="电焊工")
    b = make_position(title="氩弧焊工")
    vet1 = make_seeker(name="王卫国", groups=["veteran"], group_consent=True)
    vet2 = make_seeker(name="刘勇", groups=["veteran"], group_consent=True)
    organiser = make_user(role="organiser")
    client = signed_in(organiser)
    resp = client.post(
        "/organiser/priority-matching/push",
        data={"group": "veteran", "position_ids": [a.id, b.id], "seeker_ids": [vet1.id, vet2.id]},
    )
    assert resp.status_code == 302
    assert "已向 2 位求职者推送 2 个岗位" in client.get(resp.headers["Location"]).get_data(
        as_text=True
    )
    with app.app_context():
        notes = db.session.scalars(db.select(Notification).order_by(Notification.user_id)).all()
        assert [(n.user_id, n.kind) for n in notes] == [
            (vet1.id, "position_push"),
            (vet2.id, "position_push"),
        ]
        assert "电焊工" in notes[0].body
        audits = db.session.scalars(db.select(AuditLog).filter_by(action="match.push")).all()
        assert len(audits) == 1 and audits[0].actor_id == organiser.id
        assert audits[0].detail["seeker_count"] == 2 and audits[0].detail["group"] == "veteran"
    assert sorted(log_rows(app, "push")) == sorted(
        (s, p, "push") for s in (vet1.id, vet2.id) for p in (a.id, b.id)
    )
    # The seeker sees it in the notification centre.
    assert "为你推荐 2 个岗位" in signed_in(vet1).get("/notifications").get_data(as_text=True)


def test_push_refuses_seekers_without_consent_and_closed_positions(
    app, make_position, make_seeker, make_user, signed_in
):
    pos = make_position()
    closed = make_position(status="closed")
    vet = make_seeker(name="王卫国", groups=["veteran"], group_consent=True)
    plain = make_seeker(name="孙立")
    client = signed_in(make_user(role="organiser"))
    resp = client.post(
        "/api/v1/matching/push", json={"position_ids": [pos.id], "seeker_ids": [vet.id, plain.id]}
    )
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "consent_required"
    resp = client.post(
        "/api/v1/matching/push", json={"position_ids": [closed.id], "seeker_ids": [vet.id]}
    )
    assert resp.status_code == 422
    resp = client.post("/api/v1/matching/push", json={"position_ids": [], "seeker_ids": [vet.id]})
    assert resp.status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0
        assert db.session.scalar(db.select(db.func.count(AuditLog.id))) == 0
    resp = client.post(
        "/api/v1/matching/push",
        json={"position_ids": [pos.id], "seeker_ids": [vet.id], "group": "veteran"},
    )
    assert resp.status_code == 200 and resp.get_json()["notified"] == 1


def test_a_refused_push_keeps_the_ticks_and_the_note(
    app, make_position, make_seeker, make_user, signed_in
):
    """Forgetting to tick a position used to redirect to an empty form: ticks and note lost."""
    make_position(title="河蟹养殖员", groups=["retired_fisher"])
    fisher = make_seeker(name="刘浩", groups=["retired_fisher"], group_consent=True)
    client = signed_in(make_user(role="organiser"))
    resp = client.post(
        "/organiser/priority-matching/push",
        data={"group": "retired_fisher", "seeker_ids": [fisher.id], "message": "请尽快联系"},
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "请选择要推送的岗位。" in page and 'class="field-error"' in page
    assert f'name="seeker_ids" value="{fisher.id}" checked' in page
    assert 'value="请尽快联系"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0


# --- occupation suggestion ------------------------------------------------------------------


def test_suggest_occupations_api(client):
    resp = client.get("/api/v1/matching/suggest-occupations?text=急招叉车司机月入过万&k=5")
    assert resp.status_code == 200
    data = resp.get_json()
    assert 1 <= len(data["items"]) <= 5 and data["truncated"] is False
    assert data["items"][0]["code"] == "6-30-05-01"
    assert data["items"][0]["name"] and data["items"][0]["major_name"]


@pytest.mark.parametrize("text", ["", "   ", "😀😀🎉", "!!!@@@"])
def test_suggest_occupations_odd_text_gives_an_empty_or_small_list(client, text):
    resp = client.get("/api/v1/matching/suggest-occupations", query_string={"text": text})
    assert resp.status_code == 200
    assert resp.get_json()["items"] == []


def test_suggest_occupations_says_what_to_write_when_no_role_is_named(client):
    for text in ("长白班", "5000-8000", "🔥🔥🔥"):
        data = client.get("/api/v1/matching/suggest-occupations", query_string={"text": text})
        data = data.get_json()
        assert data["items"] == [] and "没有从这段文字里认出工种" in data["message"], text
    # A title that only says how the work is paid: usual jobs of that kind, marked as a guess.
    data = client.get("/api/v1/matching/suggest-occupations?text=宝妈兼职").get_json()
    assert data["items"] and "仅供参考" in data["message"]
    # A title with a role word needs no hint, in any script or spacing.
    for text in ("焊工", "電焊工", "电 焊 工"):
        data = client.get("/api/v1/matching/suggest-occupations", query_string={"text": text})
        data = data.get_json()
        assert data["items"][0]["name"] == "焊工" and data["message"] == "", text


def test_suggest_occupations_long_text_is_capped_and_said_so(client):
    resp = client.get("/api/v1/matching/suggest-occupations", query_string={"text": "焊工" * 5000})
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["truncated"] is True and "100" in data["message"]
    resp = client.get("/api/v1/matching/suggest-occupations", query_string={"text": "焊" * 10001})
    assert resp.status_code == 422 and "10000" in resp.get_json()["error"]["message"]
    resp = client.get("/api/v1/matching/suggest-occupations?text=焊工&k=0")
    assert resp.status_code == 422


def test_suggest_occupations_is_rate_limited(app, client):
    app.config["MATCH_SUGGEST_LIMIT"] = "3 per minute"
    codes = [
        client.get("/api/v1/matching/suggest-occupations?text=焊工").status_code for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_position_form_has_the_suggestion_box(app, make_employer, signed_in):
    html = signed_in(make_employer().user).get("/employer/positions/new").get_data(as_text=True)
    assert 'data-occupation-suggest data-source="#f-title"' in html
    assert "js/recommendations.js" in html
    assert '<select id="f-occupation_code"' in html  # the plain picker still works without JS


def test_priority_matching_can_be_narrowed_to_a_fairs_positions(
    app, make_employer, make_position, make_seeker, make_user, signed_in
):
    from datetime import timedelta

    from jobfair.models.common import utcnow
    from jobfair.models.fair import Booth, BoothPosition, Fair

    at_fair_emp = make_employer()
    best = make_position(title="钢结构电焊工")  # not at the fair
    at_fair = make_position(employer=at_fair_emp, title="焊接操作工", district="浦口区")
    vet = make_seeker(name="王卫国", groups=["veteran"], group_consent=True)
    with app.app_context(), writing():
        now = utcnow()
        fair = Fair(title="退役军人专场", starts_at=now, ends_at=now + timedelta(days=3))
        db.session.add(fair)
        db.session.flush()
        booth = Booth(fair_id=fair.id, employer_id=at_fair_emp.id, status="approved")
        db.session.add(booth)
        db.session.flush()
        db.session.add(BoothPosition(booth_id=booth.id, position_id=at_fair.id))
        db.session.commit()
        fair_id = fair.id
    client = signed_in(make_user(role="organiser"))
    everything = client.get("/api/v1/matching/priority?group=veteran").get_json()
    assert everything["rows"][0]["items"][0]["position"]["id"] == best.id
    data = client.get(f"/api/v1/matching/priority?group=veteran&fair_id={fair_id}").get_json()
    assert [i["position"]["id"] for i in data["rows"][0]["items"]] == [at_fair.id]
    assert data["rows"][0]["seeker_id"] == vet.id
    html = client.get(f"/organiser/priority-matching?group=veteran&fair_id={fair_id}").get_data(
        as_text=True
    )
    assert "退役军人专场" in html and "焊接操作工" in html and "钢结构电焊工" not in html
    assert client.get("/api/v1/matching/priority?group=veteran&fair_id=999999").status_code == 404
