"""Outcome funnel and fairness view on a constructed scenario (counts a user would check)."""

from datetime import date, timedelta

import pytest
from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db


@pytest.fixture
def scenario(app, make_user, make_employer, make_position):
    """One running fair with two approved booths and six seekers who got different distances.

    s1 graduate (consented), 玄武区: registered, attended, queued and called, applied at booth 1,
       invited and hired; 30-day follow-up still employed, 90-day not.
    s2 veteran WITHOUT consent, 江宁区: registered, attended, 1:1 chat, applied at booth 2,
       rejected after an interview invitation.
    s3 graduate (consented), 玄武区: registered only.
    s4 not registered: attended, queued (called), applied at booth 1 (counts on the platform only);
       a still-employed follow-up without any hire (must not count).
    s5 registered, applied to a position not shown at the fair.
    s6 registered, applied at booth 1 one day before the fair started.
    """
    from jobfair.models import (
        Application,
        ApplicationEvent,
        Booth,
        BoothPosition,
        EmploymentFollowUp,
        Fair,
        FairAttendance,
        FairRegistration,
        SeekerGroup,
        SeekerProfile,
    )
    from jobfair.models.common import utcnow
    from jobfair.models.live import FairVisit, InterviewChat, QueueEntry
    from jobfair.models.recommendation import RecommendationLog

    e1, e2 = make_employer(name="甲单位"), make_employer(name="乙单位")
    p1 = make_position(employer=e1, title="电工")
    p2 = make_position(employer=e2, title="保安")
    p3 = make_position(title="场外岗位")
    seekers = [make_user() for _ in range(6)]
    s1, s2, s3, s4, s5, s6 = (u.id for u in seekers)
    now = utcnow()
    with app.app_context(), writing():
        fair = Fair(
            title="春风行动",
            status="published",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=1),
        )
        db.session.add(fair)
        db.session.flush()
        b1 = Booth(fair_id=fair.id, employer_id=e1.id, status="approved")
        b2 = Booth(fair_id=fair.id, employer_id=e2.id, status="approved")
        db.session.add_all([b1, b2])
        db.session.flush()
        db.session.add_all(
            [
                BoothPosition(booth_id=b1.id, position_id=p1.id),
                BoothPosition(booth_id=b2.id, position_id=p2.id),
            ]
        )

        def profile(uid, district, groups, consent):
            prof = SeekerProfile(
                user_id=uid, name="某", districts=[district], group_consent=consent
            )
            prof.groups = [SeekerGroup(group=g) for g in groups]
            db.session.add(prof)

        profile(s1, "玄武区", ["graduate"], True)
        profile(s2, "江宁区", ["veteran"], False)
        profile(s3, "玄武区", ["graduate"], True)
        profile(s4, "鼓楼区", [], False)
        for uid in (s1, s2, s3, s5, s6):
            db.session.add(FairRegistration(fair_id=fair.id, seeker_user_id=uid))
        for uid in (s1, s2, s4):
            db.session.add(FairAttendance(fair_id=fair.id, seeker_user_id=uid, online_at=now))
        # Opening the lobby page is not 到场: s3 looked in but never joined.
        db.session.add(FairVisit(fair_id=fair.id, user_id=s3))
        db.session.add_all(
            [
                QueueEntry(booth_id=b1.id, seeker_user_id=s1, status="done", called_at=now),
                QueueEntry(booth_id=b1.id, seeker_user_id=s4, status="called", called_at=now),
                InterviewChat(booth_id=b2.id, seeker_user_id=s2, ends_at=now),
            ]
        )
        a1 = Application(position_id=p1.id, seeker_id=s1, status="hired", created_at=now)
        a2 = Application(position_id=p2.id, seeker_id=s2, status="rejected", created_at=now)
        a4 = Application(position_id=p1.id, seeker_id=s4, status="submitted", created_at=now)
        a5 = Application(position_id=p3.id, seeker_id=s5, status="submitted", created_at=now)
        a6 = Application(
            position_id=p1.id, seeker_id=s6, status="submitted", created_at=now - timedelta(days=2)
        )
        db.session.add_all([a1, a2, a4, a5, a6])
        db.session.flush()
        db.session.add_all(
            [
                ApplicationEvent(
                    application_id=a1.id, from_status="submitted", to_status="interview"
                ),
                ApplicationEvent(application_id=a1.id, from_status="interview", to_status="hired"),
                ApplicationEvent(
                    application_id=a2.id, from_status="submitted", to_status="interview"
                ),
                ApplicationEvent(
                    application_id=a2.id, from_status="interview", to_status="rejected"
                ),
            ]
        )
        today = date.today()
        db.session.add_all(
            [
                EmploymentFollowUp(
                    seeker_id=s1, hired_on=today, day_mark=30, still_employed=True, source="seeker"
                ),
                EmploymentFollowUp(
                    seeker_id=s1, hired_on=today, day_mark=90, still_employed=False, source="seeker"
                ),
                EmploymentFollowUp(
                    seeker_id=s4, hired_on=today, day_mark=30, still_employed=True, source="seeker"
                ),
            ]
        )
        for uid, n in ((s1, 3), (s2, 1)):
            for _ in range(n):
                db.session.add(
                    RecommendationLog(
                        seeker_user_id=uid, position_id=p1.id, source="home", score=0.5
                    )
                )
        db.session.commit()
        return {"fair_id": fair.id, "booths": (b1.id, b2.id)}


def counts(data) -> dict:
    return {s["key"]: s["count"] for s in data["stages"]}


def test_fair_funnel_counts_each_stage(app, scenario):
    from jobfair.reports import funnel

    with app.app_context():
        fair = funnel.get_fair(scenario["fair_id"])
        got = counts(funnel.funnel(fair))
    assert got == {
        "registered": 5,  # s1 s2 s3 s5 s6 (s4 attended without registering)
        "attended": 2,  # s1 s2 (s3 only opened the lobby page)
        "engaged": 2,  # s1 queued, s2 chatted
        "applied": 2,  # s5's position is not at the fair, s6 applied before it started
        "invited": 2,  # s2 was invited before being rejected
        "hired": 1,
        "employed_30": 1,
        "employed_90": 0,  # followed up, no longer employed
        "employed_180": 0,
    }


def test_platform_funnel_starts_at_registered_seekers(app, scenario):
    from jobfair.reports import funnel

    with app.app_context():
        got = counts(funnel.funnel())
    assert got["registered"] == 6
    assert "attended" not in got and "engaged" not in got  # fair stages only with a fair
    assert got["applied"] == 5
    assert got["invited"] == 2
    assert got["hired"] == 1
    assert got["employed_30"] == 1  # s4's follow-up has no hire behind it


def test_group_and_district_funnels_respect_consent(app, scenario):
    from jobfair.reports import funnel

    with app.app_context():
        fair = funnel.get_fair(scenario["fair_id"])
        graduates = counts(funnel.funnel(fair, group="graduate"))
        veterans = counts(funnel.funnel(fair, group="veteran"))
        jiangning = counts(funnel.funnel(fair, district="江宁区"))
        by_group = {r["key"]: r["counts"] for r in funnel.breakdown("group", fair)}
        by_district = {r["key"]: r["counts"] for r in funnel.breakdown("district")}
    assert graduates["registered"] == 2 and graduates["hired"] == 1
    assert veterans["registered"] == 0  # s2 did not consent: counts in no group
    assert jiangning["registered"] == 1 and jiangning["invited"] == 1
    assert by_group["graduate"]["attended"] == 1
    assert by_group["veteran"]["registered"] == 0
    assert by_district["玄武区"]["registered"] == 2
    assert by_district["未填写"]["registered"] == 2  # s5 and s6 have no profile


def test_funnel_page_and_api_use_the_same_numbers(client, app, make_user, scenario):
    sign_in(client, make_user(role="organiser"))
    resp = client.get(f"/reports/funnel?fair={scenario['fair_id']}&group=graduate")
    assert resp.status_code == 200
    html = resp.data.decode()
    assert "春风行动 · 高校毕业生" in html
    assert 'id="chart-funnel-data"' in html
    api = client.get(f"/api/v1/reports/funnel?fair={scenario['fair_id']}&group=graduate")
    assert api.status_code == 200
    assert counts(api.get_json())["registered"] == 2
    bad = client.get("/api/v1/reports/funnel?group=nobody")
    assert bad.status_code == 400
    assert "未知的重点群体" in bad.get_json()["error"]["message"]
    page = client.get("/reports/funnel?district=火星区")
    assert page.status_code == 400 and "未知的区" in page.data.decode()


def test_fairness_shares(app, client, make_user, scenario):
    from jobfair.reports.fairness import fairness

    with app.app_context():
        data = fairness()
    rows = {r["group"]: r for r in data["rows"]}
    grad = rows["graduate"]
    assert data["seekers_total"] == 6
    assert grad["seekers"] == 2 and grad["seeker_share"] == 33.3
    assert grad["recommendations"] == 3 and grad["recommendations_share"] == 75.0
    assert grad["recommendations_ratio"] == 2.25 and grad["recommendations_flag"] == "high"
    assert grad["calls"] == 1 and grad["calls_share"] == 50.0  # s1 of the two called
    assert grad["invitations"] == 1 and grad["invitations_share"] == 50.0
    assert rows["veteran"]["seekers"] == 0 and rows["veteran"]["recommendations"] == 0
    assert rows["veteran"]["recommendations_ratio"] is None
    sign_in(client, make_user(role="organiser"))
    html = client.get("/reports/fairness").data.decode()
    assert "怎么看" in html and "2.25 倍" in html
    api = client.get("/api/v1/reports/fairness").get_json()
    assert {r["group"]: r["recommendations"] for r in api["rows"]}["graduate"] == 3


def test_funnel_needs_few_queries(app, scenario):
    """The breakdown for every group costs the same handful of queries as one funnel."""
    from sqlalchemy import event

    from jobfair.reports import funnel

    statements = []
    with app.app_context():
        fair = funnel.get_fair(scenario["fair_id"])
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        funnel.breakdown("group", fair)
    assert len(statements) <= 10


# --- fair results and exports ---------------------------------------------------------------


def test_fair_results_per_booth(app, scenario):
    from jobfair.reports import exports, funnel

    with app.app_context():
        results = exports.fair_results(funnel.get_fair(scenario["fair_id"]))
    booths = {b["employer"]: b for b in results["booths"]}
    assert booths["甲单位"] == {
        "booth_id": scenario["booths"][0],
        "employer": "甲单位",
        "positions": 1,
        "queue_joins": 2,
        "calls": 2,
        "chats": 0,
        "applications": 2,  # s1 and s4 during the fair; s6's earlier one does not count
        "invitations": 1,
        "hires": 1,
    }
    assert booths["乙单位"]["chats"] == 1 and booths["乙单位"]["invitations"] == 1
    t = results["totals"]
    assert (t["booths"], t["registrations"], t["attended"], t["applications"], t["hires"]) == (
        2,
        5,
        3,
        3,
        1,
    )


def test_fair_excel_export_cells(client, make_user, scenario):
    import io

    from openpyxl import load_workbook

    sign_in(client, make_user(role="organiser"))
    resp = client.get(f"/reports/fairs/{scenario['fair_id']}/results.xlsx")
    assert resp.status_code == 200
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    disposition = resp.headers["Content-Disposition"]
    assert disposition.isascii()  # a raw Chinese header would break WSGI servers
    assert f"filename=fair-{scenario['fair_id']}-results.xlsx" in disposition
    assert "filename*=UTF-8''%E6%8B%9B%E8%81%98%E4%BC%9A" in disposition  # 招聘会…
    wb = load_workbook(io.BytesIO(resp.data))
    booths, funnel_sheet, live_sheet = wb.worksheets
    assert live_sheet["A3"].value == "直播场次" and live_sheet["B3"].value == "观看人次"
    assert "无个人信息" in booths.title
    assert "不含任何个人信息" in booths["A1"].value and "春风行动" in booths["A1"].value
    assert [c.value for c in booths[4]][:4] == ["参会展位", "展示岗位", "报名人数", "到场人数"]
    assert [c.value for c in booths[5]][:4] == [2, 2, 5, 3]
    assert booths["A7"].value == "参会单位"
    rows = {r[0]: r for r in booths.iter_rows(min_row=8, values_only=True)}
    assert rows["甲单位"][:8] == ("甲单位", 1, 2, 2, 0, 2, 1, 1)
    assert rows["合计（各展位）"][5] == 3  # applications over the booths
    stages = {r[0]: r[1] for r in funnel_sheet.iter_rows(min_row=3, values_only=True)}
    assert stages["报名参会"] == 5 and stages["录用/入职"] == 1
    # No person appears anywhere in the file.
    text = " ".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    )
    assert "1390000" not in text and "某" not in text


def test_fair_csv_and_funnel_exports(client, make_user, scenario):
    sign_in(client, make_user(role="organiser"))
    csv_resp = client.get(f"/reports/fairs/{scenario['fair_id']}/results.csv")
    assert csv_resp.status_code == 200 and csv_resp.mimetype == "text/csv"
    text = csv_resp.data.decode("utf-8-sig")
    assert "不含任何个人信息" in text.splitlines()[1]
    assert "甲单位,1,2,2,0,2,1,1" in text
    funnel_xlsx = client.get(
        f"/api/v1/reports/funnel/export?format=xlsx&fair={scenario['fair_id']}"
    )
    assert funnel_xlsx.status_code == 200 and funnel_xlsx.data[:2] == b"PK"
    funnel_csv = client.get("/reports/funnel.csv?group=graduate").data.decode("utf-8-sig")
    assert "全平台·高校毕业生" in funnel_csv
    assert client.get("/api/v1/reports/funnel/export?format=pdf").status_code == 400


def test_printable_fair_summary(client, make_user, scenario):
    sign_in(client, make_user(role="organiser"))
    resp = client.get(f"/reports/fairs/{scenario['fair_id']}/summary")
    assert resp.status_code == 200
    html = resp.data.decode()
    assert "春风行动 · 成果汇总" in html and "甲单位" in html
    assert "css/reports.css" in html  # print styles
    assert client.get("/reports/fairs/999999/summary").status_code == 404


# --- nesting: no stage above the one before -------------------------------------------------


def _add_unnested(app, scenario, make_user):
    """s7: registered, applied at booth 1 during the fair and invited without ever 到场 (e.g.
    from a shared link); s8: registered, checked in on site, hired (no queue, no interview)."""
    from jobfair.models import Application, ApplicationEvent, BoothPosition, FairRegistration
    from jobfair.models.common import utcnow
    from jobfair.models.fair import FairAttendance

    s7, s8 = make_user(), make_user()
    with app.app_context(), writing():
        position_id = db.session.scalar(
            db.select(BoothPosition.position_id).filter_by(booth_id=scenario["booths"][0])
        )
        for uid in (s7.id, s8.id):
            db.session.add(FairRegistration(fair_id=scenario["fair_id"], seeker_user_id=uid))
        db.session.add(
            FairAttendance(fair_id=scenario["fair_id"], seeker_user_id=s8.id, onsite_at=utcnow())
        )
        a7 = Application(position_id=position_id, seeker_id=s7.id, status="interview")
        a8 = Application(position_id=position_id, seeker_id=s8.id, status="hired")
        db.session.add_all([a7, a8])
        db.session.flush()
        db.session.add(
            ApplicationEvent(application_id=a8.id, from_status="viewed", to_status="hired")
        )
        db.session.commit()


def _non_increasing(counts: list[int]) -> bool:
    return all(b <= a for a, b in zip(counts, counts[1:], strict=False))


def test_every_stage_is_at_most_the_one_before_in_page_api_and_export(
    app, client, make_user, scenario
):
    import json
    import re

    _add_unnested(app, scenario, make_user)
    sign_in(client, make_user(role="organiser"))
    fair = scenario["fair_id"]

    api = client.get(f"/api/v1/reports/funnel?fair={fair}").get_json()
    got = counts(api)
    assert _non_increasing(list(got.values())), got
    assert got["attended"] == 3  # s1 s2 and s8 (checked in on site)
    # s7 applied and was invited without 到场: reported beside the stage, not counted in it.
    stages = {s["key"]: s for s in api["stages"]}
    assert stages["engaged"]["not_nested"] == 1 and got["applied"] == 3  # s1 s2 s8
    assert got["invited"] == 3 and got["hired"] == 2  # a hire counts as invited (s8)
    assert stages["invited"]["not_nested"] == 1  # s7 again, invited without 到场
    order = [s["key"] for s in api["stages"]]
    for rows in (api["by_group"], api["by_district"]):
        for row in rows:
            assert _non_increasing([row["counts"][k] for k in order]), row

    html = client.get(f"/reports/funnel?fair={fair}").data.decode()
    chart = json.loads(re.search(r'id="chart-funnel-data">(.*?)</script>', html, re.S).group(1))
    assert [s["count"] for s in chart] == list(got.values())
    table = re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', html)
    page_counts = [int(n) for _, n in table[: len(got)]]
    assert page_counts == list(got.values())

    csv_text = client.get(f"/reports/funnel.csv?fair={fair}").data.decode("utf-8-sig")
    lines = csv_text.splitlines()
    start = lines.index("阶段,人数,占起点,占上一阶段,未经上一阶段、未计入") + 1
    exported = [int(line.split(",")[1]) for line in lines[start : start + len(got)]]
    assert exported == list(got.values())

    dashboard = client.get("/api/v1/reports/dashboard").get_json()
    assert _non_increasing([s["count"] for s in dashboard["funnel"]["stages"]])
