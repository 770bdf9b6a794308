"""Job alerts: a digest at most once a (China) day with a frozen clock, saved searches and
profile opt-ins with reasons, stop links (forged and expired ones refused), employers' talent
digests that never show what an employer may not see."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from conftest import WELDER_PROFILE, events, sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import AlertDigest, JobAlert, Notification

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in China


def at(hours: float):
    from datetime import timedelta

    return time_machine.travel(T0 + timedelta(hours=hours), tick=False)


@pytest.fixture(autouse=True)
def _no_idle_timeout(app):
    """These tests jump the clock by hours between requests of one signed-in client; the idle
    timeout has its own tests (test_security_hardening.py)."""
    app.config["SESSION_IDLE_MINUTES"] = 24 * 60


@pytest.fixture
def send(app):
    """send() -> stats: today's digests, as `flask alerts send` runs them."""
    from jobfair.alerts.services import send_due_digests

    def do():
        with app.app_context(), writing():
            return send_due_digests()

    return do


def notes(app, user, kind="job_alert"):
    with app.app_context():
        return db.session.scalars(
            db.select(Notification).filter_by(user_id=user.id, kind=kind).order_by(Notification.id)
        ).all()


def digests(app, user):
    with app.app_context():
        rows = db.session.scalars(
            db.select(AlertDigest).filter_by(user_id=user.id).order_by(AlertDigest.id)
        ).all()
        return [(r.day.isoformat(), [i["id"] for i in r.items], r.items) for r in rows]


def save_search(client, **filters):
    resp = client.post(
        "/api/v1/alerts", json={"kind": "search", "name": "江宁焊工", "filters": filters}
    )
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_a_saved_search_sends_one_digest_a_day_at_most(
    app, client, runner, make_seeker, make_position, send
):
    with at(0):
        seeker = make_seeker(**WELDER_PROFILE)
        sign_in(client, seeker)
        alert = save_search(client, q="焊工", district="江宁区")
        assert alert["conditions"] == "关键词“焊工” · 江宁区"
    with at(1):
        welder = make_position(title="电焊工")
        make_position(title="电焊工", district="六合区")  # another district
        make_position(
            title="仓库管理员",
            description="负责仓库收发货。",
            requirements="",
            occupation_code="4-02-06-01",
        )  # no keyword
    with at(2):
        assert send()["sent"] == 1
    [(day, ids, items)] = digests(app, seeker)
    assert day == "2026-03-02" and ids == [welder.id]
    assert items[0]["reasons"][0] == "符合你保存的搜索：关键词“焊工” · 江宁区"
    assert len(items[0]["reasons"]) > 1  # and the engine's reasons for this seeker
    [note] = notes(app, seeker)
    assert note.title == "职位提醒：“江宁焊工”有 1 个新岗位"
    assert note.link.startswith("/alerts/digests/")

    # Later the same China day: a new matching position waits for tomorrow.
    with at(9):
        later = make_position(title="二保焊电焊工")
    with at(14):  # 23:00 in China
        assert send() == {"due": 0, "sent": 0, "empty": 0, "skipped": 0}
        result = runner.invoke(args=["alerts", "send"])
        assert result.exit_code == 0 and "已发送 0 个" in result.output
    assert len(notes(app, seeker)) == 1

    with at(16):  # 00:00 the next day in China: the waiting position, and only it
        assert send()["sent"] == 1
        assert send()["sent"] == 0
    assert [d[:2] for d in digests(app, seeker)] == [
        ("2026-03-02", [welder.id]),
        ("2026-03-03", [later.id]),
    ]
    assert len(notes(app, seeker)) == 2


def test_the_unique_record_refuses_a_second_digest_for_the_same_day(app, make_seeker):
    from datetime import date

    from sqlalchemy.exc import IntegrityError

    seeker = make_seeker()
    with app.app_context(), writing():
        alert = JobAlert(user_id=seeker.id, kind="profile", name="按我的求职意向", filters={})
        db.session.add(alert)
        db.session.flush()
        day = date(2026, 3, 2)
        db.session.add(AlertDigest(alert_id=alert.id, user_id=seeker.id, day=day))
        db.session.commit()
        db.session.add(AlertDigest(alert_id=alert.id, user_id=seeker.id, day=day))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_profile_alert_brings_positions_that_fit_with_reasons_and_arrives_live(
    app, client, make_seeker, make_position, send, sock
):
    with at(0):
        seeker = make_seeker(**WELDER_PROFILE)
        sign_in(client, seeker)
        resp = client.post("/alerts/profile")
        assert resp.status_code == 302
        page = client.get("/alerts").get_data(as_text=True)
        assert "按我的求职意向" in page and "提醒中" in page
        live = sock(seeker, "/")
        live.get_received("/")
    with at(1):
        fits = make_position(title="电焊工")
        make_position(
            title="养老护理员",
            description="照护老人起居。",
            requirements="",
            occupation_code="4-10-01-03",
            district="六合区",
        )
    with at(2):
        assert send()["sent"] == 1
        pushed = events(live, "/", "notification")
    [(_, ids, items)] = digests(app, seeker)
    assert ids == [fits.id]
    assert items[0]["percent"] >= 30 and items[0]["reasons"]
    assert [p["title"] for p in pushed] == ["职位提醒：“按我的求职意向”有 1 个新岗位"]

    with at(3):  # (login sessions expire when idle: read while the clock is still frozen)
        digest_id = client.get("/api/v1/alerts/digests").get_json()["items"][0]["id"]
        page = client.get(f"/alerts/digests/{digest_id}").get_data(as_text=True)
    assert "电焊工" in page and items[0]["reasons"][0] in page and "停止这个提醒" in page


def _stop_link(client, digest_id) -> str:
    page = client.get(f"/alerts/digests/{digest_id}").get_data(as_text=True)
    return re.search(r'href="(/alerts/stop/[^"]+)"', page).group(1)


def test_stop_link_works_signed_out_and_forged_or_expired_links_are_refused(
    app, client, make_seeker, make_position, send
):
    with at(0):
        seeker = make_seeker(**WELDER_PROFILE)
        sign_in(client, seeker)
        first = save_search(client, q="焊工")
        second = client.post(
            "/api/v1/alerts", json={"name": "叉车", "filters": {"q": "叉车"}}
        ).get_json()
    with at(1):
        make_position(title="电焊工")
        make_position(title="叉车司机", description="驾驶叉车搬运货物。", requirements="")
    with at(2):
        assert send()["sent"] == 2
        rows = client.get("/api/v1/alerts/digests").get_json()["items"]
        by_alert = {d["alert_id"]: d["id"] for d in rows}
        link = _stop_link(client, by_alert[first["id"]])
        other = _stop_link(client, by_alert[second["id"]])
        # Signed in, the page does not ask to sign in first.
        page = client.get(link).get_data(as_text=True)
        assert "已停止提醒" in page and "登录后" not in page

    anonymous = app.test_client()
    with at(3):
        page = anonymous.get(link)
        assert page.status_code == 200 and "已停止提醒" in page.get_data(as_text=True)
        assert "登录后在“我的提醒”里重新开启" in page.get_data(as_text=True)
        assert anonymous.get(link).status_code == 200  # a second click changes nothing

        forged = other[:-3] + ("AAA" if not other.endswith("AAA") else "BBB")
        resp = anonymous.get(forged)
        assert resp.status_code == 400 and "停止链接无效" in resp.get_data(as_text=True)
        # A well-formed token for this alert, signed with any other key, is refused too.
        from itsdangerous import URLSafeTimedSerializer

        from jobfair.alerts.saved import STOP_SALT

        fake = URLSafeTimedSerializer("guessed-key", salt=STOP_SALT).dumps(
            {"a": second["id"], "u": seeker.id}
        )
        assert anonymous.get(f"/alerts/stop/{fake}").status_code == 400

    with at(24 * 61):  # the link is older than 60 days
        resp = anonymous.get(other)
        assert resp.status_code == 400 and "已过期" in resp.get_data(as_text=True)

    with at(24):
        sign_in(client, seeker)
        alerts = {a["id"]: a for a in client.get("/api/v1/alerts").get_json()["items"]}
    assert alerts[first["id"]]["active"] is False
    assert alerts[second["id"]]["active"] is True
    with at(25):  # the next day: a forklift and a welding position; only 叉车 is still on
        make_position(title="电焊工（夜班）")
        make_position(title="叉车工", description="驾驶叉车。", requirements="")
    with at(26):
        assert send()["sent"] == 1
    with app.app_context():
        sent = db.session.scalars(
            db.select(AlertDigest.alert_id).filter_by(day=datetime(2026, 3, 3).date())
        ).all()
    assert sent == [second["id"]]


def test_employer_talent_digest_masks_names_and_never_shows_contacts_or_groups(
    app, client, make_employer, make_seeker, make_position, send
):
    with at(0):
        employer = make_employer()
        position = make_position(employer=employer, title="电焊工")
        sign_in(client, employer.user)
        resp = client.post("/api/v1/alerts", json={"kind": "talent", "position_id": position.id})
        assert resp.status_code == 201, resp.get_json()
        # Another employer cannot watch this position.
        other = app.test_client()
        sign_in(other, make_employer().user)
        resp = other.post("/api/v1/alerts", json={"kind": "talent", "position_id": position.id})
        assert resp.status_code == 404
    with at(1):
        make_seeker(
            **{**WELDER_PROFILE, "name": "周建军"},
            phone="13912345678",
            discoverable=True,
            groups=["veteran"],
            group_consent=True,
        )
        make_seeker(**{**WELDER_PROFILE, "name": "吴秀兰"}, discoverable=False)
    with at(2):
        assert send()["sent"] == 1
    [note] = notes(app, employer.user, kind="talent_alert")
    with at(3):
        digest = client.get("/api/v1/alerts/digests").get_json()["items"][0]
        page = client.get(f"/alerts/digests/{digest['id']}").get_data(as_text=True)
    assert [i["name"] for i in digest["items"]] == ["周**"]
    for text in (note.title + note.body, str(digest), page):
        assert "周建军" not in text and "吴秀兰" not in text and "吴**" not in text
        assert "13912345678" not in text and "5678" not in text
        assert "退役军人" not in text and "veteran" not in text
    assert "周**" in note.body and "周**" in page

    # The seeker hides the profile again: old digests stop showing them.
    with at(4):
        from jobfair.models import SeekerProfile

        with app.app_context(), writing():
            db.session.execute(db.update(SeekerProfile).values(discoverable=False))
            db.session.commit()
        again = client.get(f"/api/v1/alerts/digests/{digest['id']}").get_json()
        assert again["items"] == [] and again["total"] == 1
        assert "周**" not in client.get(f"/alerts/digests/{digest['id']}").get_data(as_text=True)


def test_saving_a_search_from_the_search_page_and_managing_alerts(
    app, client, make_seeker, make_user, make_employer
):
    seeker = make_seeker()
    sign_in(client, seeker)
    page = client.get("/positions?q=焊工&district=江宁区").get_data(as_text=True)
    assert "保存为提醒" in page
    resp = client.post("/alerts", data={"q": "焊工", "district": "江宁区", "name": ""})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/alerts")
    page = client.get("/alerts").get_data(as_text=True)
    assert "关键词“焊工” · 江宁区" in page

    # Nothing to search for: refused with a message, back on the search page.
    resp = client.post("/alerts", data={"name": "空"}, follow_redirects=True)
    assert "请至少填写一个搜索条件" in resp.get_data(as_text=True)

    [alert] = client.get("/api/v1/alerts").get_json()["items"]
    assert client.post(f"/api/v1/alerts/{alert['id']}/stop").get_json()["active"] is False
    assert client.post(f"/api/v1/alerts/{alert['id']}/resume").get_json()["active"] is True
    # Another seeker sees none of it.
    stranger = app.test_client()
    sign_in(stranger, make_seeker())
    assert stranger.get(f"/api/v1/alerts/{alert['id']}").status_code == 404
    assert stranger.post(f"/alerts/{alert['id']}/delete").status_code == 404
    assert client.delete(f"/api/v1/alerts/{alert['id']}").status_code == 204
    assert client.get("/api/v1/alerts").get_json()["items"] == []

    organiser = app.test_client()
    sign_in(organiser, make_user(role="organiser"))
    assert organiser.get("/alerts").status_code == 403
    assert "/alerts" in str(client.get("/api/v1/openapi.json").get_json()["paths"].keys())


def test_a_run_that_loses_the_race_sends_nothing(app, make_seeker, make_position, monkeypatch):
    """Two runs at once: the one whose digest row comes second writes nothing at all."""
    from datetime import date

    from jobfair.alerts import services

    with at(0):
        seeker = make_seeker(**WELDER_PROFILE)
        with app.app_context(), writing():
            db.session.add(JobAlert(user_id=seeker.id, kind="profile", name="按我的求职意向"))
            db.session.commit()
    with at(1):
        make_position(title="电焊工")
    found = services._seeker_items

    def other_run_first(alerts, now):
        items = found(alerts, now)
        # Meanwhile another process sent today's digest for this alert (committed; on SQLite
        # this run holds the write lock, so the row is written through its own session).
        db.session.execute(
            AlertDigest.__table__.insert().values(
                alert_id=alerts[0].id,
                user_id=seeker.id,
                day=date(2026, 3, 2),
                sent_at=datetime(2026, 3, 2, 2, 0),
                item_ids=[],
                items=[],
                total=0,
            )
        )
        db.session.commit()
        return items

    monkeypatch.setattr(services, "_seeker_items", other_run_first)
    with at(2), app.app_context():
        assert services.send_due_digests() == {"due": 1, "sent": 0, "empty": 0, "skipped": 1}
    assert notes(app, seeker) == []


def test_employer_turns_on_a_talent_alert_from_the_talent_page(
    client, make_employer, make_position
):
    employer = make_employer()
    position = make_position(employer=employer, title="电焊工")
    draft = make_position(employer=employer, title="仓库管理员", status="draft")
    sign_in(client, employer.user)
    page = client.get(f"/employer/positions/{position.id}/talent").get_data(as_text=True)
    assert "有新的合适求职者时提醒我" in page
    resp = client.post("/alerts/talent", data={"position_id": position.id})
    assert resp.status_code == 302
    page = client.get("/alerts").get_data(as_text=True)
    assert "人才：电焊工" in page and "适合岗位“电焊工”的公开求职者" in page
    # A draft cannot be watched; choosing nothing is a message, not an error page.
    resp = client.post("/alerts/talent", data={"position_id": draft.id}, follow_redirects=True)
    assert "只有招聘中的岗位可以设置人才提醒" in resp.get_data(as_text=True)
    resp = client.post("/alerts/talent", data={}, follow_redirects=True)
    assert "请选择要提醒的岗位" in resp.get_data(as_text=True)
