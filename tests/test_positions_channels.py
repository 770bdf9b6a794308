"""五个一批 rules: 公益性岗位 (who posts, review, who applies), exam announcements, 见习 months."""

from datetime import date, timedelta

from conftest import sign_in
from test_positions_manage import form_data, position_data

from jobfair.extensions import db


def welfare(**overrides):
    values = {
        "title": "社区公益性岗位（保洁）",
        "channel": "public_welfare",
        "tenure_limit_months": 36,
        "welcomed_groups": ["veteran"],
    }
    return position_data(**{**values, **overrides})


def test_ordinary_employer_cannot_post_public_welfare(client, make_employer):
    employer = make_employer()
    sign_in(client, employer.user)
    resp = client.post("/api/v1/employer/positions", json=welfare())
    assert resp.status_code == 403
    assert "公益性岗位由人社部门发布" in resp.get_json()["error"]["message"]
    # The page says the same and keeps the form.
    page = client.post("/employer/positions/new", data=form_data(**welfare()))
    assert page.status_code == 403 and "尚未被指定" in page.data.decode()
    # Nor can an enterprise post be switched to a welfare post afterwards.
    created = client.post("/api/v1/employer/positions", json=position_data()).get_json()
    patch = client.patch(
        f"/api/v1/employer/positions/{created['id']}",
        json={"channel": "public_welfare", "tenure_limit_months": 12},
    )
    assert patch.status_code == 403


def test_designated_employer_post_is_held_until_an_organiser_approves(
    client, app, make_employer, make_user
):
    employer = make_employer()
    organiser = make_user(role="organiser")
    sign_in(client, organiser)
    resp = client.post(
        f"/api/v1/organiser/employers/{employer.id}/public-welfare", json={"designated": True}
    )
    assert resp.status_code == 200 and resp.get_json()["public_welfare_designated"] is True

    sign_in(client, employer.user)
    missing = client.post("/api/v1/employer/positions", json=welfare(tenure_limit_months=None))
    assert missing.status_code == 422
    assert "在岗期限" in missing.get_json()["error"]["message"]
    created = client.post("/api/v1/employer/positions", json=welfare()).get_json()
    # Only the two groups it is open to, whatever was ticked.
    assert created["welcomed_groups"] == ["urban_hardship", "zero_employment_household"]
    assert created["tenure_limit_months"] == 36
    published = client.post(f"/api/v1/employer/positions/{created['id']}/publish").get_json()
    assert published["status"] == "held"
    page = client.get(f"/employer/positions/{created['id']}").data.decode()
    assert "公益性岗位须经人社部门审核" in page and "歧视" not in page
    assert app.test_client().get(f"/api/v1/positions/{created['id']}").status_code == 404

    sign_in(client, organiser)
    ok = client.post(f"/api/v1/organiser/positions/{created['id']}/approve", json={})
    assert ok.status_code == 200 and ok.get_json()["status"] == "published"
    # An edit of the approved text does not send it back to review.
    sign_in(client, employer.user)
    edited = client.patch(
        f"/api/v1/employer/positions/{created['id']}", json={"headcount": 5}
    ).get_json()
    assert edited["status"] == "published"


def test_organiser_posts_public_welfare_for_an_employer(client, make_employer, make_user):
    employer = make_employer(name="某某街道社区服务中心")
    sign_in(client, make_user(role="organiser"))
    resp = client.post(
        "/api/v1/organiser/positions", json={**welfare(), "employer_id": employer.id}
    )
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["status"] == "published" and body["channel"] == "public_welfare"
    page = client.get(f"/positions/{body['id']}").data.decode()
    assert "最长 36 个月" in page
    form = client.post(
        "/organiser/positions/new",
        data={**form_data(**welfare(title="公益性岗位（绿化）")), "employer_id": str(employer.id)},
    )
    assert form.status_code == 302


def test_public_welfare_needs_a_verified_group(
    client, app, make_employer, make_position, make_seeker, make_priority_seeker
):
    position = make_position(channel="public_welfare", tenure_limit_months=24)
    eligible = make_priority_seeker(groups=("zero_employment_household",))
    no_consent = make_priority_seeker(name="李四", groups=("urban_hardship",), consent=False)
    ordinary = make_seeker()

    for seeker in (ordinary, no_consent):
        sign_in(client, seeker)
        resp = client.post(f"/api/v1/positions/{position.id}/applications", json={})
        assert resp.status_code == 403
        assert "经认定的就业困难人员和零就业家庭成员" in resp.get_json()["error"]["message"]
        page = client.get(f"/positions/{position.id}").data.decode()
        assert "经认定的就业困难人员和零就业家庭成员" in page and "投递简历" not in page
    sign_in(client, eligible)
    assert client.post(f"/api/v1/positions/{position.id}/applications", json={}).status_code == 201


def test_exam_announcements_cannot_be_applied_to(client, make_position, make_seeker, make_employer):
    employer = make_employer()
    sign_in(client, employer.user)
    exam = date.today() + timedelta(days=30)
    missing = client.post(
        "/api/v1/employer/positions", json=position_data(channel="public_sector")
    ).get_json()
    assert "考试日期" in missing["error"]["message"]
    bad_url = client.post(
        "/api/v1/employer/positions",
        json=position_data(
            channel="grassroots", exam_date=exam.isoformat(), official_url="javascript:alert(1)"
        ),
    )
    assert bad_url.status_code == 422
    created = client.post(
        "/api/v1/employer/positions",
        json=position_data(
            title="三支一扶（支农）",
            channel="grassroots",
            exam_date=exam.isoformat(),
            official_url="https://rsj.example.gov.cn/szyf",
        ),
    ).get_json()
    client.post(f"/api/v1/employer/positions/{created['id']}/publish")

    seeker = make_seeker()
    sign_in(client, seeker)
    detail = client.get(f"/api/v1/positions/{created['id']}").get_json()
    assert detail["accepts_applications"] is False
    assert detail["official_url"] == "https://rsj.example.gov.cn/szyf"
    resp = client.post(f"/api/v1/positions/{created['id']}/applications", json={})
    assert resp.status_code == 409
    assert "通过公开考试招录" in resp.get_json()["error"]["message"]
    page = client.get(f"/positions/{created['id']}").data.decode()
    assert "打开官方招考公告" in page and "投递简历" not in page
    form = client.post(f"/positions/{created['id']}/apply", data={"note": ""})
    assert form.status_code in (302, 409)
    with client.application.app_context():
        from jobfair.models import Application

        assert db.session.scalar(db.select(db.func.count(Application.id))) == 0


def test_trainee_posts_record_months(client, make_employer):
    employer = make_employer()
    sign_in(client, employer.user)
    missing = client.post("/api/v1/employer/positions", json=position_data(channel="trainee"))
    assert missing.status_code == 422 and "见习期" in missing.get_json()["error"]["message"]
    created = client.post(
        "/api/v1/employer/positions", json=position_data(channel="trainee", trainee_months=6)
    ).get_json()
    assert created["trainee_months"] == 6
    # Changing the channel clears what belonged to the old one.
    changed = client.patch(
        f"/api/v1/employer/positions/{created['id']}", json={"channel": "enterprise"}
    ).get_json()
    assert changed["trainee_months"] is None


def test_revoked_designation_stops_publishing(client, make_employer, make_user, signed_in):
    employer = make_employer()
    organiser = signed_in(make_user(role="organiser"))
    url = f"/organiser/employers/{employer.id}/public-welfare"
    assert organiser.post(url, data={"designated": "1"}).status_code == 302
    sign_in(client, employer.user)
    draft = client.post("/api/v1/employer/positions", json=welfare()).get_json()
    organiser.post(url, data={"designated": "0"})
    resp = client.post(f"/api/v1/employer/positions/{draft['id']}/publish")
    assert resp.status_code == 403 and "尚未被指定" in resp.get_json()["error"]["message"]
    log = organiser.get("/api/v1/organiser/audit").get_json()["items"]
    assert {r["action"] for r in log} >= {
        "employer.public_welfare_designate",
        "employer.public_welfare_revoke",
    }
