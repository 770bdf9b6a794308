"""Skill gaps (a position the seeker nearly matches but for a skill, and the courses teaching
it) and referrals to courses from case files."""

from datetime import date, timedelta

import pytest
from conftest import WELDER_PROFILE

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import AuditLog, CaseFile, Course, Enrolment, Notification, Referral


@pytest.fixture
def seeker_defaults():
    return WELDER_PROFILE  # a welder in 江宁区: 电焊、氩弧焊、二保焊, no drawings, no 高处作业


@pytest.fixture
def make_course(app):
    def make(title, skills, seats=20, starts_in=10, **fields):
        today = date.today()
        with app.app_context(), writing():
            course = Course(
                title=title,
                provider=fields.pop("provider", "江宁区职业技能实训中心"),
                district=fields.pop("district", "江宁区"),
                skills=skills,
                occupation_codes=fields.pop("occupation_codes", []),
                hours=48,
                starts_on=today + timedelta(days=starts_in),
                ends_on=today + timedelta(days=starts_in + 14),
                seats=seats,
                enrolled=0,
                fee=900,
                **fields,
            )
            db.session.add(course)
            db.session.commit()
            return course.id

    return make


def test_a_near_match_lacking_one_skill_points_to_the_course_that_teaches_it(
    app, make_seeker, make_position, make_course, signed_in
):
    drawing = make_position(
        title="电焊工（二保焊）",
        description="负责工程机械结构件焊接。",
        requirements="持焊工证；能看懂简单的机械图纸；熟练平焊、立焊。",
    )
    # a position the welder already has every taught skill for: no gap
    make_position(title="氩弧焊工", requirements="熟练掌握氩弧焊，持焊工证。")
    # far from the welder's wishes: not a near match, even though a course teaches its skill
    make_position(
        title="育婴员",
        occupation_code="4-10-01-03",
        description="照看婴幼儿",
        requirements="持育婴员证书",
        district="鼓楼区",
    )
    course_id = make_course("机械识图（焊工提升班）", ["机械图纸"])
    make_course("氩弧焊提高班", ["氩弧焊"])  # the welder already has it
    make_course("育婴员", ["育婴"], district="鼓楼区")
    full = make_course("机械识图（已满）", ["机械图纸"], seats=1)
    with app.app_context(), writing():
        db.session.get(Course, full).enrolled = 1
        db.session.commit()

    seeker = make_seeker()
    client = signed_in(seeker)
    items = client.get("/api/v1/training/skill-gaps").get_json()["items"]
    assert [i["position"]["id"] for i in items] == [drawing.id]
    gap = items[0]
    assert gap["missing_skills"] == ["机械图纸"]
    assert [c["id"] for c in gap["courses"]] == [course_id]  # open courses only, not the full one
    assert gap["courses"][0]["teaches"] == ["机械图纸"]
    page = client.get("/training/mine").get_data(as_text=True)
    assert "差一项技能就能应聘的岗位" in page and "电焊工（二保焊）" in page
    assert "机械识图（焊工提升班）" in page

    # enrolling from the gap records a skill-gap referral tied to the position
    resp = client.post(
        f"/api/v1/training/courses/{course_id}/enrolments",
        json={"position_id": drawing.id, "skill": "机械图纸"},
    )
    assert resp.status_code == 201
    with app.app_context():
        ref = db.session.scalar(db.select(Referral).filter_by(seeker_id=seeker.id))
        assert (ref.source, ref.position_id, ref.skill, ref.referred_by) == (
            "skill_gap",
            drawing.id,
            "机械图纸",
            None,
        )
        assert db.session.scalar(db.select(Enrolment.referral_id)) == ref.id
    # once enrolled, the course is no longer offered for that gap
    assert client.get("/api/v1/training/skill-gaps").get_json()["items"] == []
    mine = client.get("/api/v1/training/referrals").get_json()["items"]
    assert [(r["source"], r["status"]) for r in mine] == [("skill_gap", "已报名")]


def test_a_passed_course_closes_the_gap(app, make_seeker, make_position, make_course, signed_in):
    make_position(title="钢结构电焊工", requirements="持焊工证，持高处作业证者优先。")
    done = make_course("高处作业安全", ["高处作业"], starts_in=-30)
    make_course("高处作业安全（下一期）", ["高处作业"])
    seeker = make_seeker()
    client = signed_in(seeker)
    assert client.get("/api/v1/training/skill-gaps").get_json()["items"][0]["missing_skills"] == [
        "高处作业"
    ]
    with app.app_context(), writing():
        db.session.add(
            Enrolment(
                course_id=done,
                seeker_id=seeker.id,
                status="completed",
                completed_on=date.today() - timedelta(days=16),
                certificate_no="PX-1",
            )
        )
        db.session.commit()
    assert client.get("/api/v1/training/skill-gaps").get_json()["items"] == []


def test_case_worker_refers_from_the_case_file(
    app, make_priority_seeker, make_worker, make_course, signed_in
):
    person = make_priority_seeker(name="姜伟", groups=("retired_fisher",), district="六合区")
    worker = make_worker(districts=("六合区",))
    outsider = make_worker(districts=("江宁区",))
    course_id = make_course("叉车司机（N1）", ["叉车"], district="六合区")
    with app.app_context(), writing():
        case = CaseFile(seeker_id=person.id, district="六合区", worker_id=worker.id)
        db.session.add(case)
        db.session.commit()
        case_id = case.id

    client = signed_in(worker)
    page = client.get(f"/training/cases/{case_id}").get_data(as_text=True)
    assert "叉车司机（N1）" in page
    resp = client.post(
        f"/training/cases/{case_id}/referrals",
        data={"course_id": course_id, "note": "本人同意报名叉车培训"},
    )
    assert resp.status_code == 302
    again = client.post(
        f"/api/v1/training/cases/{case_id}/referrals", json={"course_id": course_id}
    )
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_referred"
    # a case worker of another district may neither refer nor read the file's referrals
    other = signed_in(outsider)
    assert other.get(f"/api/v1/training/cases/{case_id}/referrals").status_code == 403
    assert (
        other.post(
            f"/api/v1/training/cases/{case_id}/referrals", json={"course_id": course_id}
        ).status_code
        == 403
    )

    listed = client.get(f"/api/v1/training/cases/{case_id}/referrals").get_json()["items"]
    assert [(r["source"], r["note"], r["status"]) for r in listed] == [
        ("case_file", "本人同意报名叉车培训", "已推荐，未报名")
    ]
    # the person is told, sees the referral without the worker's note, and enrols from it
    seeker = signed_in(person)
    mine = seeker.get("/api/v1/training/referrals").get_json()["items"]
    assert "note" not in mine[0] and mine[0]["course_title"] == "叉车司机（N1）"
    assert seeker.post(f"/api/v1/training/courses/{course_id}/enrolments").status_code == 201
    listed = client.get(f"/api/v1/training/cases/{case_id}/referrals").get_json()["items"]
    assert listed[0]["status"] == "已报名"
    with app.app_context():
        assert db.session.scalar(db.select(Notification.title).filter_by(user_id=person.id))
        assert db.session.scalar(
            db.select(AuditLog.id).filter_by(action="training.referral", object_id=case_id)
        )
        # the note is stored encrypted
        raw = db.session.execute(db.text("SELECT note FROM training_referrals")).scalar()
        assert "叉车" not in raw
