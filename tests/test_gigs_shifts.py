"""零工: pay with its unit, 日结 filter, shifts filled to exactly their headcount under 20
simultaneous sign-ups, the employer's confirmation and the 灵活就业 rule."""

from datetime import time, timedelta

import pytest
from conftest import bj_today, run_together, sign_in, tabs

from jobfair.database import writing
from jobfair.extensions import db

N = 20


@pytest.fixture
def hourly(make_employer, make_position):
    emp = make_employer(name="南京好家政服务有限公司")
    return make_position(
        employer=emp,
        title="钟点保洁员",
        salary_min=25,
        salary_max=35,
        pay_unit="hour",
        work_form="part_time",
        district="鼓楼区",
    )


@pytest.fixture
def daily(make_employer, make_position):
    emp = make_employer(name="南京快运装卸有限公司")
    return make_position(
        employer=emp,
        title="仓库装卸工",
        salary_min=200,
        salary_max=260,
        pay_unit="day",
        daily_pay=True,
        work_form="temporary",
        district="江宁区",
    )


def _shift(app, position, *, headcount=5, days=1, start=time(8, 0), end=time(17, 0)):
    from jobfair.models import Shift

    with app.app_context(), writing():
        shift = Shift(
            position_id=position.id,
            day=bj_today() + timedelta(days=days),
            starts_at=start,
            ends_at=end,
            district=position.district,
            place="南京南站东广场集合",
            headcount=headcount,
            taken=0,
            note="",
            status="open",
        )
        db.session.add(shift)
        db.session.commit()
        return shift.id


def test_hourly_and_daily_pay_show_their_unit_everywhere(client, hourly, daily, make_position):
    monthly = make_position(title="叉车司机", salary_min=6000, salary_max=9000)
    page = client.get("/positions").get_data(as_text=True)
    assert "25–35 元/小时" in page and "200–260 元/天 · 日结" in page and "6千–9千元/月" in page
    detail = client.get(f"/positions/{hourly.id}").get_data(as_text=True)
    assert "25–35 元/小时" in detail and "元/月" not in detail
    api = client.get(f"/api/v1/positions/{daily.id}").get_json()
    assert api["pay_unit"] == "day" and api["daily_pay"] is True
    assert api["salary_text"] == "200–260 元/天 · 日结"
    items = {i["id"]: i for i in client.get("/api/v1/positions").get_json()["items"]}
    assert items[hourly.id]["salary_text"] == "25–35 元/小时"
    assert items[monthly.id]["pay_unit"] == "month"


@pytest.mark.parametrize("index", ["memory", "database"])
def test_pay_unit_and_daily_pay_filters(app, client, hourly, daily, make_position, index):
    app.config["SEARCH_INDEX"] = index
    app.config["SEARCH_CACHE_TTL"] = 0
    monthly = make_position(title="叉车司机", salary_min=6000, salary_max=9000)

    def ids(query):
        resp = client.get("/api/v1/positions?" + query)
        assert resp.status_code == 200, resp.get_json()
        return {i["id"] for i in resp.get_json()["items"]}

    assert ids("pay_unit=hour") == {hourly.id}
    assert ids("pay_unit=day") == {daily.id}
    assert ids("daily_pay=true") == {daily.id}
    assert ids("daily_pay=false") == {hourly.id, daily.id, monthly.id}
    # 期望月薪 3000 compares monthly pay only: 35 元/小时 is neither below nor above it.
    assert ids("salary=3000") == {monthly.id}
    assert ids("pay_unit=day&daily_pay=1&district=江宁区") == {daily.id}
    bad = client.get("/api/v1/positions?pay_unit=week")
    assert bad.status_code == 422 and "计薪方式" in bad.get_json()["error"]["message"]
    page = client.get("/positions?daily_pay=true").get_data(as_text=True)
    assert "仓库装卸工" in page and "钟点保洁员" not in page


def test_employer_sets_pay_unit_and_wrong_unit_is_refused(client, make_employer):
    emp = make_employer()
    sign_in(client, emp.user)
    base = {
        "title": "小时工（超市理货）",
        "description": "超市夜间理货上架。",
        "occupation_code": "6-18-02-04",
        "salary_min": 22,
        "salary_max": 28,
        "headcount": 4,
        "district": "玄武区",
        "work_form": "part_time",
        "pay_unit": "hour",
        "daily_pay": True,
    }
    resp = client.post("/api/v1/employer/positions", json=base)
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["pay_unit"] == "hour" and body["daily_pay"] is True
    wrong = client.post("/api/v1/employer/positions", json={**base, "salary_max": 4000})
    assert wrong.status_code == 422 and "按小时计薪" in wrong.get_json()["error"]["message"]
    form = client.post(
        "/employer/positions/new",
        data={**base, "daily_pay": "on", "pay_unit": "day", "salary_min": 180, "salary_max": 220},
    )
    assert form.status_code == 302
    page = client.get("/employer/positions").get_data(as_text=True)
    assert "180–220 元/天 · 日结" in page


def _clients(app, users):
    out = []
    for user in users:
        c = app.test_client()
        sign_in(c, user)
        out.append(c)
    return out


def test_shift_fills_to_exactly_its_headcount_under_20_simultaneous_signups(app, daily, make_user):
    from jobfair.models import Shift, ShiftSignup

    shift_id = _shift(app, daily, headcount=5)
    seekers = [make_user(name=f"工人{i}") for i in range(N)]
    clients = _clients(app, seekers)

    def sign_up(c):
        resp = c.post(f"/api/v1/gigs/shifts/{shift_id}/signups")
        return resp.status_code, resp.get_json()

    results = run_together(clients, sign_up, first="/gigs")
    assert not [r for r in results if isinstance(r, Exception)], results
    codes = sorted(code for code, _ in results)
    assert codes == [201] * 5 + [409] * 15, codes
    assert all(
        body["error"]["code"] == "shift_full" and "报满" in body["error"]["message"]
        for code, body in results
        if code == 409
    )
    with app.app_context():
        shift = db.session.get(Shift, shift_id)
        rows = db.session.scalar(
            db.select(db.func.count()).select_from(ShiftSignup).filter_by(shift_id=shift_id)
        )
        assert (shift.taken, rows) == (5, 5)


def test_same_seeker_twenty_tabs_takes_one_place(app, daily, make_user):
    from jobfair.models import Shift

    shift_id = _shift(app, daily, headcount=3)
    seeker = make_user()
    codes = run_together(
        tabs(app, seeker, N),
        lambda c: c.post(f"/api/v1/gigs/shifts/{shift_id}/signups").status_code,
    )
    assert codes.count(201) == 1 and set(codes) <= {201, 200, 409}, codes
    with app.app_context():
        assert db.session.get(Shift, shift_id).taken == 1


def test_board_cancel_and_resign(app, client, hourly, daily, make_seeker):
    today_id = _shift(app, hourly, days=0, start=time(23, 0), end=time(23, 59))
    tomorrow_id = _shift(app, daily, days=1, headcount=1)
    _shift(app, daily, days=3)  # not today or tomorrow: not on the board
    page = client.get("/gigs?district=江宁区").get_data(as_text=True)
    assert "今天" in page and "明天" in page and "200–260 元/天" in page
    board = client.get("/api/v1/gigs/shifts?daily_pay=true").get_json()
    assert [s["id"] for s in board["tomorrow"]] == [tomorrow_id] and board["today"] == []
    full = client.get("/api/v1/gigs/shifts").get_json()
    assert today_id in [s["id"] for s in full["today"]] or full["today"] == []  # 23:00 Beijing
    seeker = make_seeker()
    sign_in(client, seeker)
    resp = client.post(f"/gigs/shifts/{tomorrow_id}/signup")
    assert resp.status_code == 302
    mine = client.get("/api/v1/gigs/signups/mine").get_json()
    assert mine[0]["status"] == "signed_up" and mine[0]["shift"]["places_left"] == 0
    other = make_seeker(name="王芳")
    other_client = app.test_client()
    sign_in(other_client, other)
    assert other_client.post(f"/api/v1/gigs/shifts/{tomorrow_id}/signups").status_code == 409
    assert client.post(f"/api/v1/gigs/signups/{mine[0]['id']}/cancel").status_code == 200
    assert other_client.post(f"/api/v1/gigs/shifts/{tomorrow_id}/signups").status_code == 201


def test_employer_confirms_and_confirmed_shifts_count_as_flexible_employment(
    app, client, daily, make_seeker
):
    from jobfair.models import EmploymentRegistration, OutcomeRecord, ShiftSignup

    app.config["GIG_SHIFTS"] = 3
    seeker = make_seeker()
    sign_in(client, seeker)
    employer_client = app.test_client()
    sign_in(employer_client, daily.employer.user)
    # Shifts on the last three days (made directly: sign-up closes when a shift starts).
    signup_ids = []
    with app.app_context(), writing():
        from jobfair.models import Shift

        for back in (2, 1, 0):
            shift = Shift(
                position_id=daily.id,
                day=bj_today() - timedelta(days=back),
                starts_at=time(0, 0),  # started already, whatever the time of day
                ends_at=time(23, 0),
                district="江宁区",
                place="仓库",
                headcount=2,
                taken=1,
                note="",
                status="open",
            )
            db.session.add(shift)
            db.session.flush()
            row = ShiftSignup(shift_id=shift.id, seeker_id=seeker.id)
            db.session.add(row)
            db.session.flush()
            signup_ids.append(row.id)
        db.session.commit()
    not_paid = employer_client.post(
        f"/api/v1/gigs/signups/{signup_ids[0]}/confirmation", json={"attended": True}
    )
    assert not_paid.status_code == 422 and "报酬" in not_paid.get_json()["error"]["message"]
    for sid in signup_ids[:2]:
        resp = employer_client.post(
            f"/api/v1/gigs/signups/{sid}/confirmation",
            json={"attended": True, "units": 1, "pay_amount": 230, "paid": True},
        )
        assert resp.status_code == 200 and resp.get_json()["paid"] is True
    with app.app_context():
        assert (
            db.session.scalar(db.select(db.func.count()).select_from(EmploymentRegistration)) == 0
        )
    other = app.test_client()  # a seeker cannot confirm
    sign_in(other, seeker)
    assert (
        other.post(
            f"/api/v1/gigs/signups/{signup_ids[2]}/confirmation", json={"attended": True}
        ).status_code
        == 403
    )
    resp = employer_client.post(
        f"/employer/signups/{signup_ids[2]}/confirm",
        data={"attended": "true", "units": "1", "pay_amount": "230", "paid": "on"},
    )
    assert resp.status_code == 302
    with app.app_context():
        regs = list(db.session.scalars(db.select(EmploymentRegistration)))
        assert len(regs) == 1 and regs[0].source == "gig_shifts"
        assert regs[0].work_form == "flexible" and regs[0].started_on == bj_today() - timedelta(2)
        rec = db.session.get(OutcomeRecord, regs[0].outcome_id)
        assert rec.new_employment is True and rec.work_form == "flexible"
        row = db.session.get(ShiftSignup, signup_ids[2])
        assert row.status == "attended" and row.pay_amount == 230 and row.paid_at is not None
    mine = client.get("/gigs/mine").get_data(as_text=True)
    assert "实得 230 元（已结清）" in mine


def test_rules_table_shows_how_shifts_count(app, client, make_worker):
    worker = make_worker(supervisor=True)
    sign_in(client, worker)
    page = client.get("/casework/figures").get_data(as_text=True)
    assert "零工（平台确认的班次）" in page and "满 5 个" in page


def test_shift_form_validation_and_other_employer(app, client, daily, make_employer):
    sign_in(client, daily.employer.user)
    bad = client.post(
        f"/api/v1/gigs/positions/{daily.id}/shifts",
        json={
            "day": bj_today().isoformat(),
            "starts_at": "17:00",
            "ends_at": "08:00",
            "district": "江宁区",
            "place": "仓库",
            "headcount": 3,
        },
    )
    assert bad.status_code == 422 and "结束时间" in bad.get_json()["error"]["message"]
    ok = client.post(
        f"/employer/positions/{daily.id}/shifts",
        data={
            "day": (bj_today() + timedelta(days=1)).isoformat(),
            "starts_at": "08:00",
            "ends_at": "12:00",
            "district": "江宁区",
            "place": "江宁仓库 3 号门",
            "headcount": "4",
        },
    )
    assert ok.status_code == 302
    assert "江宁仓库 3 号门" in client.get(f"/employer/positions/{daily.id}/shifts").get_data(
        as_text=True
    )
    stranger = make_employer(name="别的单位有限公司")
    other = app.test_client()
    sign_in(other, stranger.user)
    assert other.get(f"/api/v1/gigs/positions/{daily.id}/shifts").status_code == 404


def test_employer_cancels_a_shift_and_the_signed_up_are_told(app, client, daily, make_seeker):
    shift_id = _shift(app, daily, headcount=2)
    seeker = make_seeker()
    sign_in(client, seeker)
    assert client.post(f"/api/v1/gigs/shifts/{shift_id}/signups").status_code == 201
    employer = app.test_client()
    sign_in(employer, daily.employer.user)
    roster = employer.get(f"/employer/shifts/{shift_id}").get_data(as_text=True)
    assert "李建国" in roster and "已报名 1 / 2 人" in roster
    assert "班次开始后才能确认到岗" in roster  # tomorrow's shift: no confirmation yet
    early = employer.get(f"/api/v1/gigs/shifts/{shift_id}/roster").get_json()
    too_early = employer.post(
        f"/api/v1/gigs/signups/{early[0]['id']}/confirmation", json={"attended": False}
    )
    assert too_early.status_code == 409
    assert employer.post(f"/employer/shifts/{shift_id}/cancel").status_code == 302
    notes = client.get("/api/v1/notifications").get_json()
    items = notes["items"] if isinstance(notes, dict) else notes
    assert any("零工班次已取消" in n["title"] for n in items)
    mine = client.get("/gigs/mine").get_data(as_text=True)
    assert "用人单位已取消这个班次" in mine
    assert client.post(f"/api/v1/gigs/shifts/{shift_id}/signups").status_code == 409
