"""Campaigns: organisers group fairs and live sessions; the campaign has its own totals."""

from datetime import timedelta

from conftest import sign_in
from test_reports_funnel import scenario  # noqa: F401  (the fixture)

from jobfair.database import writing
from jobfair.extensions import db


def _standalone_session(app, make_employer, make_user):
    """A 直播带岗 of its own (no fair), one more employer presenting, one seeker watching."""
    from jobfair.models import LiveSession, LiveSessionEmployer
    from jobfair.models.common import utcnow
    from jobfair.models.live import SessionView

    presenter = make_employer(name="丙单位")
    viewer, organiser_viewer = make_user(), make_user(role="organiser")
    with app.app_context(), writing():
        now = utcnow()
        ls = LiveSession(
            title="民营企业招聘月直播", starts_at=now, ends_at=now + timedelta(hours=1)
        )
        ls.employer_links = [LiveSessionEmployer(employer_id=presenter.id)]
        db.session.add(ls)
        db.session.flush()
        db.session.add_all(
            [
                SessionView(session_id=ls.id, user_id=viewer.id),
                SessionView(session_id=ls.id, user_id=organiser_viewer.id),
            ]
        )
        db.session.commit()
        return ls.id


def test_campaign_totals_page_and_api(app, client, make_user, make_employer, scenario):  # noqa: F811
    session_id = _standalone_session(app, make_employer, make_user)
    sign_in(client, make_user(role="organiser"))
    body = {
        "title": "2027 年春风行动",
        "description": "春风送岗位。",
        "starts_on": "2027-01-01",
        "ends_on": "2027-03-31",
        "fair_ids": [scenario["fair_id"]],
        "session_ids": [session_id],
    }
    created = client.post("/api/v1/campaigns", json=body)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["totals"] == {
        "fairs": 1,
        "sessions": 1,
        "employers": 3,  # two booths and the session's presenter
        "positions": 2,
        "seekers_attending": 3,  # s1 s2 s4 came (到场)
        "session_viewers": 1,  # the organiser watching is not a seeker
        "applications": 3,  # a1 a2 a4 during the fair at its booths
        "hires": 1,
    }
    counts = [s["count"] for s in data["stages"]]
    assert counts[0] == 5 and all(b <= a for a, b in zip(counts, counts[1:], strict=False))
    cid = data["campaign"]["id"]

    dup = client.post("/api/v1/campaigns", json=body)
    assert dup.status_code == 409 and "同名" in dup.get_json()["error"]["message"]
    bad = client.post(
        "/api/v1/campaigns", json={**body, "title": "民营企业招聘月", "ends_on": "2026-12-31"}
    )
    assert bad.status_code == 422 and "结束日期" in bad.get_json()["error"]["message"]
    missing = client.post("/api/v1/campaigns", json={**body, "title": "其他", "fair_ids": [99999]})
    assert missing.status_code == 422

    page = client.get(f"/reports/campaigns/{cid}").data.decode()
    assert "2027 年春风行动" in page and "到场求职者" in page and "春风行动" in page
    assert "2027 年春风行动" in client.get("/reports/campaigns").data.decode()
    # The export carries the page's numbers: totals row and the nested funnel.
    csv_text = client.get(f"/reports/campaigns/{cid}/results.csv").data.decode("utf-8-sig")
    assert "不含任何个人信息" in csv_text
    assert "1,1,3,2,3,1,3,1" in csv_text  # fairs … hires, in TOTAL_LABELS order
    assert f"报名参会,{counts[0]}," in csv_text

    # Edit through the page: drop the session; totals follow.
    resp = client.post(
        f"/reports/campaigns/{cid}/edit",
        data={
            "title": "2027 年春风行动",
            "starts_on": "2027-01-01",
            "ends_on": "2027-03-31",
            "fair_ids": [str(scenario["fair_id"])],
        },
    )
    assert resp.status_code == 302
    after = client.get(f"/api/v1/campaigns/{cid}").get_json()
    assert after["totals"]["sessions"] == 0 and after["totals"]["employers"] == 2
    patched = client.patch(f"/api/v1/campaigns/{cid}", json={"description": "改过"}).get_json()
    assert patched["campaign"]["fair_ids"] == [scenario["fair_id"]]


def test_only_organisers_manage_campaigns(client, make_user, make_employer):
    sign_in(client, make_employer().user)
    body = {"title": "x", "starts_on": "2027-01-01", "ends_on": "2027-01-02"}
    assert client.post("/api/v1/campaigns", json=body).status_code == 403
    assert client.get("/reports/campaigns/new").status_code == 403
    organiser = sign_in(client, make_user(role="organiser"))
    form = organiser.post("/reports/campaigns/new", data={**body, "title": "民营企业招聘月"})
    assert form.status_code == 302


def test_funnel_page_api_and_export_by_campaign(app, client, make_user, scenario):  # noqa: F811
    sign_in(client, make_user(role="organiser"))
    body = {
        "title": "民营企业招聘月",
        "starts_on": "2027-01-01",
        "ends_on": "2027-01-31",
        "fair_ids": [scenario["fair_id"]],
    }
    cid = client.post("/api/v1/campaigns", json=body).get_json()["campaign"]["id"]
    api = client.get(f"/api/v1/reports/funnel?campaign={cid}").get_json()
    assert api["campaign"]["title"] == "民营企业招聘月"
    by_fair = client.get(f"/api/v1/reports/funnel?fair={scenario['fair_id']}").get_json()
    assert [s["count"] for s in api["stages"]] == [s["count"] for s in by_fair["stages"]]
    page = client.get(f"/reports/funnel?campaign={cid}").data.decode()
    assert "民营企业招聘月" in page and "报名本专项活动任一场招聘会" in page
    csv_text = client.get(f"/reports/funnel.csv?campaign={cid}").data.decode("utf-8-sig")
    assert "就业成效漏斗：民营企业招聘月" in csv_text
    both = client.get(f"/api/v1/reports/funnel?campaign={cid}&fair={scenario['fair_id']}")
    assert both.status_code == 400 and "只能选一个" in both.get_json()["error"]["message"]
    assert client.get("/api/v1/reports/funnel?campaign=999").status_code == 400
