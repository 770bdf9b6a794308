"""技能超市: publishing courses, enrolment with the seats enforced (20 at once), withdrawal,
结业 with certificate, and the subsidy computed by the policy catalogue."""

from datetime import timedelta

import pytest
from conftest import run_together, sign_in, tabs

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.formatting import local_today
from jobfair.models import AuditLog, Course, Enrolment, Notification

N = 20


@pytest.fixture
def make_course(app):
    """make_course(seats=5, starts_in=10, **fields) -> course id."""

    def make(seats=5, starts_in=10, days=20, **fields):
        today = local_today()
        with app.app_context(), writing():
            values = {
                "title": "叉车司机（N1）",
                "provider": "江宁区职业技能实训中心",
                "district": "江宁区",
                "skills": ["叉车"],
                "occupation_codes": ["6-30-05-01"],
                "hours": 56,
                "fee": 1200,
                "certificate": "special",
            }
            values.update(fields)
            course = Course(
                starts_on=today + timedelta(days=starts_in),
                ends_on=today + timedelta(days=starts_in + days),
                seats=seats,
                enrolled=0,
                **values,
            )
            db.session.add(course)
            db.session.commit()
            return course.id

    return make


def seats_taken(app, course_id):
    with app.app_context():
        course = db.session.get(Course, course_id)
        held = db.session.scalar(
            db.select(db.func.count(Enrolment.id)).where(
                Enrolment.course_id == course_id, Enrolment.status != "withdrawn"
            )
        )
        return course.enrolled, held


def test_twenty_simultaneous_enrolments_fill_five_seats_exactly(app, make_user, make_course):
    course_id = make_course(seats=5)
    clients = [sign_in(app.test_client(), make_user()) for _ in range(N)]

    def enrol(c):
        resp = c.post(f"/api/v1/training/courses/{course_id}/enrolments", json={})
        return resp.status_code, (resp.get_json().get("error") or {}).get("code")

    results = run_together(clients, enrol, first="/training")
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results, key=str) == sorted(
        [(201, None)] * 5 + [(409, "course_full")] * (N - 5), key=str
    ), results
    assert seats_taken(app, course_id) == (5, 5)
    # The 16th person sees the course as full, in plain words.
    late = sign_in(app.test_client(), make_user())
    body = late.post(f"/api/v1/training/courses/{course_id}/enrolments", json={}).get_json()
    assert body["error"]["message"] == "该课程名额已满。"


def test_one_seeker_pressing_enrol_in_twenty_tabs_takes_one_seat(app, make_user, make_course):
    course_id = make_course(seats=30)
    clients = tabs(app, make_user(), N)

    def enrol(c):
        return c.post(f"/api/v1/training/courses/{course_id}/enrolments", json={}).status_code

    results = run_together(clients, enrol, first="/training")
    assert sorted(results) == [201] + [409] * (N - 1), results
    assert seats_taken(app, course_id) == (1, 1)


def test_withdrawing_frees_the_seat_for_the_next_person(app, make_user, make_course):
    course_id = make_course(seats=1)
    a = sign_in(app.test_client(), make_user())
    b = sign_in(app.test_client(), make_user())
    enrolment = a.post(f"/api/v1/training/courses/{course_id}/enrolments", json={}).get_json()
    assert b.post(f"/api/v1/training/courses/{course_id}/enrolments", json={}).status_code == 409
    out = a.post(f"/api/v1/training/enrolments/{enrolment['id']}/withdraw")
    assert out.status_code == 200 and out.get_json()["status"] == "withdrawn"
    # twice is refused, and gives no second seat back
    assert a.post(f"/api/v1/training/enrolments/{enrolment['id']}/withdraw").status_code == 409
    assert seats_taken(app, course_id) == (0, 0)
    assert b.post(f"/api/v1/training/courses/{course_id}/enrolments", json={}).status_code == 201
    # another seeker cannot withdraw someone else's enrolment
    assert b.post(f"/api/v1/training/enrolments/{enrolment['id']}/withdraw").status_code == 404


def test_seats_cannot_be_cut_below_those_taken(app, make_user, make_course):
    course_id = make_course(seats=3)
    for _ in range(2):
        c = sign_in(app.test_client(), make_user())
        c.post(f"/api/v1/training/courses/{course_id}/enrolments", json={})
    org = sign_in(app.test_client(), make_user(role="organiser"))
    course = org.get(f"/api/v1/training/courses/{course_id}").get_json()
    payload = {
        k: course[k]
        for k in ("title", "provider", "district", "skills", "hours", "starts_on", "ends_on")
    }
    resp = org.put(f"/api/v1/training/courses/{course_id}", json={**payload, "seats": 1})
    assert resp.status_code == 422
    assert "名额不能少于已报名人数（2 人）" in resp.get_json()["error"]["message"]
    ok = org.put(f"/api/v1/training/courses/{course_id}", json={**payload, "seats": 2})
    assert ok.status_code == 200 and ok.get_json()["seats_left"] == 0


def test_organiser_publishes_a_course_through_the_form_with_clear_errors(app, make_user):
    org = sign_in(app.test_client(), make_user(role="organiser"))
    start = local_today() + timedelta(days=7)
    form = {
        "title": "低压电工作业",
        "provider": "浦口区职业培训学校",
        "district": "浦口区",
        "skills": "低压电工、电气原理图",
        "occupation_codes": "6-31-01-03",
        "hours": "80",
        "starts_on": start.isoformat(),
        "ends_on": (start - timedelta(days=1)).isoformat(),
        "seats": "25",
        "fee": "1500",
        "certificate": "special",
    }
    bad = org.post("/training/courses/new", data=form)
    assert bad.status_code == 422
    assert "结课日期不能早于开课日期" in bad.get_data(as_text=True)
    form["ends_on"] = (start + timedelta(days=20)).isoformat()
    resp = org.post("/training/courses/new", data=form)
    assert resp.status_code == 302
    page = org.get(resp.headers["Location"]).get_data(as_text=True)
    assert "低压电工作业" in page and "电气原理图" in page
    # the catalogue is public and shows the subsidy the policy catalogue gives (80% of 1500)
    public = app.test_client().get("/training?q=电工").get_data(as_text=True)
    assert "低压电工作业" in public and "1,200.00元" in public
    with app.app_context():
        assert db.session.scalar(
            db.select(db.func.count(AuditLog.id)).filter_by(action="training.course_create")
        )


def test_course_form_picks_occupations_by_name_not_by_typed_codes(app, make_user):
    """The form asked an official to type codes like 6-30-05-01 and showed them back bare."""
    org = sign_in(app.test_client(), make_user(role="organiser"))
    page = org.get("/training/courses/new").get_data(as_text=True)
    assert "data-occupation-picker" in page and "如 6-30-05-01" not in page
    start = local_today() + timedelta(days=7)
    form = {
        "title": "叉车司机培训",
        "provider": "江宁区职业培训学校",
        "district": "江宁区",
        "skills": "叉车",
        "occupation_codes": ["6-30-05-01", "4-02-05-01"],
        "hours": "40",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=10)).isoformat(),
        "seats": "20",
        "certificate": "special",
    }
    resp = org.post("/training/courses/new", data=form)
    assert resp.status_code == 302
    course_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    page = org.get(f"/training/courses/{course_id}/edit").get_data(as_text=True)
    assert '<option value="6-30-05-01" selected>起重装卸机械操作工' in page
    assert '<option value="4-02-05-01" selected>装卸搬运工' in page


def test_a_seeker_cannot_publish_and_the_api_refuses_bad_skills(app, make_user):
    seeker = sign_in(app.test_client(), make_user())
    assert seeker.post("/api/v1/training/courses", json={}).status_code == 403
    org = sign_in(app.test_client(), make_user(role="organiser"))
    start = local_today() + timedelta(days=3)
    resp = org.post(
        "/api/v1/training/courses",
        json={
            "title": "育婴员",
            "provider": "鼓楼区家政培训学校",
            "district": "火星区",
            "skills": [],
            "hours": 88,
            "starts_on": start.isoformat(),
            "ends_on": start.isoformat(),
            "seats": 30,
        },
    )
    assert resp.status_code == 422
    fields = resp.get_json()["error"]["fields"]
    assert fields["district"] == "请选择本市的区。"
    assert fields["skills"] == "请至少填写一项所教技能。"


def test_completion_issues_a_certificate_the_seeker_can_open(app, make_user, make_course):
    course_id = make_course(seats=10, starts_in=0, days=0)
    seeker_user = make_user(name="王秀英")
    seeker = sign_in(app.test_client(), seeker_user)
    other = sign_in(app.test_client(), make_user())
    org = sign_in(app.test_client(), make_user(role="organiser"))
    enrolment = seeker.post(f"/training/courses/{course_id}/enrol")
    assert enrolment.status_code == 302
    with app.app_context():
        enrolment_id = db.session.scalar(
            db.select(Enrolment.id).filter_by(course_id=course_id, seeker_id=seeker_user.id)
        )
    # the roster shows the name and a masked phone
    roster = org.get(f"/training/courses/{course_id}/roster").get_data(as_text=True)
    assert "王秀英" in roster and seeker_user.phone not in roster and "****" in roster
    # hours beyond the course are refused
    too_many = org.post(
        f"/api/v1/training/enrolments/{enrolment_id}/result",
        json={"passed": True, "hours_attended": 99},
    )
    assert (
        too_many.status_code == 422
        and "不能超过课程总课时" in too_many.get_json()["error"]["message"]
    )
    done = org.post(
        f"/api/v1/training/enrolments/{enrolment_id}/result",
        json={"passed": True, "hours_attended": 54, "certificate_no": "ZX2026-0001"},
    )
    assert done.status_code == 200
    assert done.get_json()["status"] == "completed"
    assert done.get_json()["certificate_no"] == "ZX2026-0001"
    cert = seeker.get(f"/training/enrolments/{enrolment_id}/certificate").get_data(as_text=True)
    assert "王秀英" in cert and "ZX2026-0001" in cert and "专项职业能力证书" in cert
    assert other.get(f"/training/enrolments/{enrolment_id}/certificate").status_code == 404
    with app.app_context():
        note = db.session.scalar(db.select(Notification).filter_by(user_id=seeker_user.id))
        assert note is not None and "结业" in note.title
    # the same certificate number cannot go to a second person
    second_user = make_user()
    sign_in(app.test_client(), second_user).post(f"/training/courses/{course_id}/enrol")
    with app.app_context():
        second_id = db.session.scalar(
            db.select(Enrolment.id).filter_by(course_id=course_id, seeker_id=second_user.id)
        )
    clash = org.post(
        f"/api/v1/training/enrolments/{second_id}/result",
        json={"passed": True, "certificate_no": "ZX2026-0001"},
    )
    assert clash.status_code == 409 and clash.get_json()["error"]["code"] == "certificate_taken"


def test_completed_course_is_a_fact_for_the_training_subsidy(app, make_user, make_course):
    from jobfair import events
    from jobfair.training import facts

    course_id = make_course(seats=10, starts_in=0, days=0, fee=1500)
    seeker_user = make_user()
    sign_in(app.test_client(), seeker_user).post(f"/api/v1/training/courses/{course_id}/enrolments")
    org = sign_in(app.test_client(), make_user(role="organiser"))
    heard = []

    def listener(sender, **kw):
        heard.append(kw["seeker_id"])

    events.training_completed.connect(listener)
    try:
        with app.app_context():
            assert facts.completed_courses(seeker_user.id) == []
            enrolment_id = db.session.scalar(db.select(Enrolment.id).filter_by(course_id=course_id))
        org.post(f"/api/v1/training/enrolments/{enrolment_id}/result", json={"passed": True})
    finally:
        events.training_completed.disconnect(listener)
    assert heard == [seeker_user.id]
    with app.app_context():
        done = facts.completed_courses(seeker_user.id)
        assert [(d.course_id, d.fee, d.certificate) for d in done] == [(course_id, 1500, "special")]
        assert done[0].certificate_no.startswith("ZX")


def test_the_policy_check_sees_a_passed_course(app, make_priority_seeker, make_user, make_course):
    """职业技能培训补贴: the certificate condition is met from the platform's own record, and the
    cost is the course fee (80% of 1,500, capped at 2,000 in the demo catalogue)."""
    course_id = make_course(seats=10, starts_in=0, days=0, fee=1500, certificate="skill_level")
    person = make_priority_seeker(name="范强", groups=("zero_employment_household",))
    seeker = sign_in(app.test_client(), person)

    def training_policy():
        body = seeker.post("/api/v1/policies/check", json={}).get_json()
        return next(p for p in body["policies"] if p["code"] == "skills_training")

    before = training_policy()
    assert before["eligible"] is None
    assert [c["state"] for c in before["conditions"]] == ["met", "unknown"]
    seeker.post(f"/api/v1/training/courses/{course_id}/enrolments")
    org = sign_in(app.test_client(), make_user(role="organiser"))
    with app.app_context():
        enrolment_id = db.session.scalar(db.select(Enrolment.id).filter_by(course_id=course_id))
    org.post(f"/api/v1/training/enrolments/{enrolment_id}/result", json={"passed": True})
    after = training_policy()
    assert after["eligible"] is True
    assert after["conditions"][1]["state"] == "met" and "证书编号" in after["conditions"][1]["why"]


def test_cancelling_a_course_tells_those_enrolled_and_hides_it(app, make_user, make_course):
    course_id = make_course(seats=5)
    person = make_user()
    sign_in(app.test_client(), person).post(f"/api/v1/training/courses/{course_id}/enrolments")
    org = sign_in(app.test_client(), make_user(role="organiser"))
    course = org.get(f"/api/v1/training/courses/{course_id}").get_json()
    payload = {
        k: course[k]
        for k in (
            "title",
            "provider",
            "district",
            "skills",
            "hours",
            "starts_on",
            "ends_on",
            "seats",
        )
    }
    assert (
        org.put(
            f"/api/v1/training/courses/{course_id}", json={**payload, "status": "cancelled"}
        ).status_code
        == 200
    )
    with app.app_context():
        titles = list(
            db.session.scalars(db.select(Notification.title).filter_by(user_id=person.id))
        )
    assert titles == ["培训课程已取消：叉车司机（N1）"]
    anonymous = app.test_client()
    assert anonymous.get(f"/api/v1/training/courses/{course_id}").status_code == 404
    assert "叉车司机" not in anonymous.get("/training").get_data(as_text=True)
