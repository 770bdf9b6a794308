"""The event bus: work queued for after the commit runs only if the data was committed."""

import logging

import pytest

from jobfair import events
from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import User
from jobfair.models.notification import Notification


def _user(name="事件测试"):
    return User(role="seeker", name=name, phone="13911112222", password_hash="x")


def test_after_commit_runs_once_the_data_is_committed(app):
    ran = []
    with app.app_context(), writing():
        db.session.add(_user())
        events.after_commit(lambda: ran.append("done"))
        assert ran == []  # not before the commit
        db.session.commit()
        assert ran == ["done"]
        db.session.commit()  # a later commit does not run it again
        assert ran == ["done"]


def test_after_commit_is_dropped_on_rollback(app):
    ran = []
    with app.app_context(), writing():
        db.session.add(_user())
        events.after_commit(lambda: ran.append("rolled back"))
        db.session.rollback()
        db.session.add(_user("第二次"))
        db.session.commit()
        assert ran == []
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_work_under_one_key_runs_once(app):
    ran = []
    with app.app_context(), writing():
        db.session.add(_user())
        for _ in range(3):
            events.after_commit(lambda: ran.append("cache cleared"), key="search-cache")
        events.after_commit(lambda: ran.append("other"))
        assert events.pending_after_commit(db.session()) == 2
        db.session.commit()
        assert sorted(ran) == ["cache cleared", "other"]


def test_a_failing_side_effect_does_not_undo_the_commit(app, caplog):
    def broken():
        raise RuntimeError("queue down")

    ran = []
    with app.app_context(), writing():
        db.session.add(_user())
        events.after_commit(broken)
        events.after_commit(lambda: ran.append("still runs"))
        with caplog.at_level(logging.ERROR, logger="jobfair.events"):
            db.session.commit()
        assert ran == ["still runs"]
        assert "after-commit work failed" in caplog.text
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_a_notification_is_announced_only_after_its_commit(app):
    seen = []

    def listener(_sender, user_id, payload, **_kw):
        seen.append((user_id, payload["title"]))

    events.notification_created.connect(listener)
    try:
        with app.app_context(), writing():
            user = _user()
            db.session.add(user)
            db.session.flush()
            db.session.add(
                Notification(user_id=user.id, kind="system", title="回滚的通知", body="")
            )
            db.session.flush()
            db.session.rollback()
            assert seen == []
            user = _user("另一位")
            db.session.add(user)
            db.session.flush()
            db.session.add(Notification(user_id=user.id, kind="system", title="已保存", body=""))
            db.session.flush()
            assert seen == []
            db.session.commit()
            assert seen == [(user.id, "已保存")]
    finally:
        events.notification_created.disconnect(listener)


@pytest.mark.parametrize(
    "signal",
    [
        events.application_submitted,
        events.application_status_changed,
        events.positions_changed,
        events.login_sessions_ended,
        events.user_access_revoked,
        events.notification_created,
    ],
    ids=lambda s: s.name,
)
def test_every_signal_says_who_sends_it_and_has_a_listener(app, signal):
    assert "Sent" in (signal.__doc__ or "")
    assert signal.receivers, f"nobody listens to {signal.name}"
