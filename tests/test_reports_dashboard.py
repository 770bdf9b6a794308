"""Organiser dashboard: key counts, weekly trends, targets, households, charts with tables."""

import json
import re
from datetime import date, datetime, timedelta

import time_machine
from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db

# Wednesday 2026-03-18 10:00 Beijing time (02:00 UTC).
NOW = datetime(2026, 3, 18, 2, 0)


def _apps(app, make_user, make_position, when_hired):
    """Applications created at the given times; the (created, hired) pairs with hired set get
    a 录用 step at that time."""
    from jobfair.models import Application, ApplicationEvent

    pos = make_position()
    seekers = [make_user() for _ in when_hired]
    with app.app_context(), writing():
        for seeker, (created, hired) in zip(seekers, when_hired, strict=True):
            a = Application(
                position_id=pos.id,
                seeker_id=seeker.id,
                status="hired" if hired else "submitted",
                created_at=created,
            )
            db.session.add(a)
            db.session.flush()
            if hired:
                db.session.add(
                    ApplicationEvent(
                        application_id=a.id,
                        from_status="interview",
                        to_status="hired",
                        created_at=hired,
                    )
                )
        db.session.commit()


def test_weekly_trend_and_month_counts(app, make_user, make_position, make_employer):
    from jobfair.reports import services

    make_employer(status="pending")
    _apps(
        app,
        make_user,
        make_position,
        [
            (NOW - timedelta(hours=1), NOW - timedelta(minutes=5)),  # this week, hired this week
            (NOW - timedelta(days=7), None),  # last week
            (NOW - timedelta(days=7), None),
            # Monday 2026-03-16 00:30 Beijing = Sunday 16:30 UTC: belongs to this week.
            (datetime(2026, 3, 15, 16, 30), datetime(2026, 2, 27, 1, 0)),
            (NOW - timedelta(weeks=20), None),  # older than the 12 weeks shown
        ],
    )
    with app.app_context():
        trend = services.weekly_trend(NOW)
        counts = services.key_counts(NOW)
    assert len(trend["weeks"]) == 12
    assert trend["week_starts"][-1] == "2026-03-16"
    assert trend["applications"][-1] == 2
    assert trend["applications"][-2] == 2
    assert sum(trend["applications"]) == 4
    assert trend["hires"][-1] == 1
    assert trend["hires"][trend["week_starts"].index("2026-02-23")] == 1
    assert counts["hires_this_month"] == 1  # the February hire is last month
    assert counts["applications"] == 5
    assert counts["applications_this_month"] == 4
    assert counts["employers_pending"] == 1
    assert counts["month"] == "2026年3月"


def test_dashboard_page_has_charts_with_tables(client, app, make_user, make_position):
    from jobfair.models.casework import Household, Target

    organiser = make_user(role="organiser", name="李专员")
    with app.app_context(), writing():
        db.session.add(
            Target(year=2026, district="玄武区", kind="hardship", goal=40, worker_id=organiser.id)
        )
        db.session.add_all(
            [
                Household(
                    district="玄武区",
                    label="张家",
                    identified_on=date(2026, 1, 5),
                    deadline_days=30,
                ),
                Household(
                    district="玄武区",
                    label="王家",
                    identified_on=date(2026, 2, 1),
                    deadline_days=60,
                    closed_on=date(2026, 3, 2),
                ),
            ]
        )
        db.session.commit()
    _apps(app, make_user, make_position, [(NOW - timedelta(days=1), NOW)])
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        sign_in(client, organiser)
        resp = client.get("/organiser/dashboard")
    assert resp.status_code == 200
    html = resp.data.decode()
    # Target progress bar with its numbers in text.
    assert "玄武区" in html and "就业困难人员再就业" in html and "0 / 40 人" in html
    assert re.search(r'<progress[^>]*max="40"', html)
    # Households: one open and overdue, one closed this month.
    assert re.search(r'<span class="num">1</span><span class="lbl">超过期限', html)
    assert re.search(r'<span class="num">1</span><span class="lbl">本月清零', html)
    # Charts: data blocks for the JS and the same numbers as tables in the page.
    block = re.search(r'<script type="application/json" id="chart-trend-data">(.*?)</script>', html)
    trend = json.loads(block.group(1))
    assert trend["applications"][-1] == 1 and trend["hires"][-1] == 1
    assert 'data-chart="funnel"' in html and 'data-chart="trend"' in html
    assert '<th scope="row">2026-03-16</th><td class="num">1</td><td class="num">1</td>' in html
    assert '<th scope="row">平台注册</th>' in html
    assert "vendor/echarts.min.js" in html and "js/reports-charts.js" in html
    assert "<script>" not in html  # no inline scripts (CSP)


def test_reports_are_for_organisers_only(client, make_user):
    for url in (
        "/organiser/dashboard",
        "/reports/funnel",
        "/reports/fairness",
        "/reports/funnel.xlsx",
    ):
        resp = client.get(url)
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert client.get("/api/v1/reports/dashboard").status_code == 401
    sign_in(client, make_user(role="seeker"))
    assert client.get("/organiser/dashboard").status_code == 403
    assert client.get("/api/v1/reports/fairness").status_code == 403


def test_dashboard_api(client, make_user, make_position):
    make_position()
    sign_in(client, make_user(role="organiser"))
    body = client.get("/api/v1/reports/dashboard").get_json()
    assert body["counts"]["positions_published"] == 1
    assert len(body["trend"]["weeks"]) == 12
    assert body["funnel"]["stages"][0]["key"] == "registered"


def test_console_links_to_the_dashboard(client, make_user):
    sign_in(client, make_user(role="organiser"))
    assert "/organiser/dashboard" in client.get("/organiser").data.decode()
