"""Shared makers for the casework tests (imported by tests/test_casework_*.py)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from jobfair.database import writing
from jobfair.extensions import db


@pytest.fixture
def make_seeker(app, make_user):
    """make_seeker(name, groups=("urban_hardship",), district="江宁区", consent=True) -> User."""
    from jobfair.models import SeekerGroup, SeekerProfile

    def make(name="张三丰", groups=("urban_hardship",), district="江宁区", consent=True):
        user = make_user(name=name)
        with app.app_context(), writing():
            profile = SeekerProfile(
                user_id=user.id,
                name=name,
                phone=user.phone,
                districts=[district] if district else [],
                group_consent=consent,
            )
            profile.groups = [SeekerGroup(group=g) for g in groups] if consent else []
            db.session.add(profile)
            db.session.commit()
        return user

    return make


@pytest.fixture
def make_worker(app, make_user):
    """make_worker(districts=("江宁区",), supervisor=False) -> organiser User with a CaseWorker."""
    from jobfair.models import CaseWorker

    def make(districts=("江宁区",), supervisor=False, name="个案工作人员"):
        user = make_user(role="organiser", name=name)
        with app.app_context(), writing():
            db.session.add(
                CaseWorker(user_id=user.id, districts=list(districts), is_supervisor=supervisor)
            )
            db.session.commit()
        return user

    return make


@pytest.fixture
def make_hire(app):
    """make_hire(seeker, position, status="hired", at=datetime) -> application id.

    Writes an application with its history the way the employer pipeline records it.
    """
    from jobfair.models import Application, ApplicationEvent

    def make(seeker, position, status="hired", at=None):
        at = at or datetime.now(UTC).replace(tzinfo=None)
        path = {
            "submitted": ["submitted"],
            "interview": ["submitted", "viewed", "interview"],
            "hired": ["submitted", "viewed", "interview", "hired"],
            "onboarded": ["submitted", "viewed", "interview", "hired", "onboarded"],
            "rejected_after_hire": ["submitted", "viewed", "interview", "hired", "rejected"],
        }[status]
        with app.app_context(), writing():
            application = Application(
                position_id=position.id, seeker_id=seeker.id, status=path[-1], created_at=at
            )
            prev = None
            for i, st in enumerate(path):
                application.events.append(
                    ApplicationEvent(
                        from_status=prev,
                        to_status=st,
                        created_at=at - timedelta(hours=len(path) - 1 - i),
                    )
                )
                prev = st
            db.session.add(application)
            db.session.commit()
            return application.id

    return make


def this_year() -> int:
    return bj_today().year


def bj_today() -> date:
    """Today in Beijing: casework dates are local calendar dates."""
    from zoneinfo import ZoneInfo

    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()


def test_support_makers_build_a_consenting_seeker_and_a_worker(app, make_seeker, make_worker):
    from jobfair.casework import access, queries
    from jobfair.models import SeekerProfile, User

    seeker = make_seeker(groups=("retired_fisher",), district="六合区")
    worker = make_worker(districts=("六合区",))
    with app.app_context():
        profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id))
        assert queries.seeker_district(profile) == "六合区"
        assert queries.consented_groups(profile) == {"retired_fisher"}
        assert access.covers(db.session.get(User, worker.id), "六合区")
        assert not access.covers(db.session.get(User, worker.id), "江宁区")
