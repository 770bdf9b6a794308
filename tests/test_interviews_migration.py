"""Migration 0019 gives the live chat's old system text back to the system: applications a rep
opened with "直播面谈中由招聘方邀请面试" as the seeker's note become origin=employer, empty note."""

from sqlalchemy import create_engine, text

from jobfair import create_app
from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import Employer, Position, User

PREVIOUS = "0018_access"  # the migration before 0019_interviews
NOTE = "直播面谈中由招聘方邀请面试"


def test_old_live_invitations_are_reattributed(tmp_path):
    from flask_migrate import downgrade, upgrade

    url = "sqlite:///" + str(tmp_path / "m.sqlite")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), writing():
        upgrade(revision=PREVIOUS)
        seeker = User(role="seeker", phone="13800000001", name="周建军", password_hash="x")
        rep = User(role="employer", phone="13800000002", name="孙立新", password_hash="x")
        db.session.add_all([seeker, rep])
        db.session.flush()
        emp = Employer(
            user_id=rep.id,
            name="南京宁钢精工机械有限公司",
            credit_code="91320115JF0010009U",
            industry="制造业",
            size="100-499人",
            district="江宁区",
            address="江宁区宁钢路 18 号",
            contact_name="孙立新",
            contact_phone="13800000002",
            status="verified",
        )
        db.session.add(emp)
        db.session.flush()
        positions = [
            Position(
                employer_id=emp.id,
                status="published",
                title=title,
                description="钢结构焊接",
                requirements="",
                occupation_code="6-18-02-04",
                salary_min=6000,
                salary_max=9000,
                headcount=1,
                district="江宁区",
                address="江宁区宁钢路 18 号",
                education="none",
                work_form="full_time",
                channel="enterprise",
            )
            for title in ("电焊工", "铣工")
        ]
        db.session.add_all(positions)
        db.session.commit()
        ids = (seeker.id, rep.id, positions[0].id, positions[1].id)
        db.session.remove()
        db.engine.dispose()
    seeker_id, rep_id, p1, p2 = ids
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO applications (id, position_id, seeker_id, note, status, created_at,"
                " updated_at) VALUES (1, :p1, :s, :n, 'interview', :t, :t),"
                " (2, :p2, :s, '我有焊工证', 'submitted', :t, :t)"
            ),
            {"n": NOTE, "t": "2026-01-01 00:00:00", "p1": p1, "p2": p2, "s": seeker_id},
        )
        c.execute(
            text(
                "INSERT INTO application_events (application_id, from_status, to_status,"
                " actor_id, note, created_at) VALUES (1, NULL, 'submitted', :s, '', :t),"
                " (1, 'viewed', 'interview', :r, '直播面谈后邀请面试', :t),"
                " (2, NULL, 'submitted', :s, '', :t)"
            ),
            {"t": "2026-01-01 00:00:00", "s": seeker_id, "r": rep_id},
        )
    engine.dispose()
    with app.app_context():
        upgrade()
        # Nothing was lost on the way (a table copy would have cascaded to the timeline).
        assert db.session.execute(text("SELECT COUNT(*) FROM application_events")).scalar() == 3
        rows = db.session.execute(
            text("SELECT id, origin, note FROM applications ORDER BY id")
        ).all()
        assert [tuple(r) for r in rows] == [(1, "employer", ""), (2, "seeker", "我有焊工证")]
        first = db.session.execute(
            text(
                "SELECT actor_id, note FROM application_events WHERE application_id = 1"
                " AND from_status IS NULL"
            )
        ).one()
        assert tuple(first) == (None, NOTE)  # the system's words, no longer the seeker's
        rep = db.session.execute(
            text("SELECT actor_id FROM application_events WHERE to_status = 'interview'")
        ).scalar()
        assert rep == rep_id
        own = db.session.execute(
            text("SELECT actor_id FROM application_events WHERE application_id = 2")
        ).scalar()
        assert own == seeker_id
        db.session.remove()
        downgrade(revision=PREVIOUS)
        assert db.session.execute(text("SELECT COUNT(*) FROM application_events")).scalar() == 3
        db.session.remove()
        db.engine.dispose()
