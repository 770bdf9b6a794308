"""Background jobs: run once, retried on failure, progress visible, exports through the page."""

import uuid

import pytest
from conftest import sign_in
from sqlalchemy import func, select, text

from jobfair import jobs
from jobfair.database import writing
from jobfair.extensions import db
from jobfair.jobs import runner
from jobfair.models import JobRun, Notification
from jobfair.notifications.services import notify

CALLS: list[str] = []


def record_notice(user_id: int, title: str) -> dict:
    """A task with an effect a person notices: one notification."""
    CALLS.append(title)
    notify(user_id, "system", title)
    db.session.commit()
    return {"sent": 1}


def flaky(user_id: int, failures: int) -> dict:
    """Fails `failures` times (its notice rolled back each time), then sends it."""
    CALLS.append("try")
    notify(user_id, "system", "会议提醒")
    if len(CALLS) <= failures:
        raise ConnectionError("the mail relay hung up")
    db.session.commit()
    return {"sent": 1}


def counts_in_steps(steps: int) -> dict:
    """Reports progress; returns what another connection saw of it half-way."""
    jobs.progress(steps // 2, steps, "正在处理", force=True)
    with db.engine.connect() as conn:
        seen = conn.execute(
            text("SELECT progress, total, message FROM job_runs WHERE id = :id"),
            {"id": jobs.current_run_id()},
        ).one()
    return {"seen": list(seen)}


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


def notices(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(Notification).where(Notification.user_id == user_id)
        )


def start(app, task, *args, **kw) -> int:
    with app.app_context(), writing():
        run = jobs.enqueue(task, *args, **kw)
        db.session.commit()
        return run.id


def run_row(app, run_id: int) -> JobRun:
    with app.app_context():
        run = db.session.get(JobRun, run_id)
        db.session.expunge(run)
        return run


def test_a_run_performed_twice_sends_once(app, make_user):
    user = make_user()
    run_id = start(app, record_notice, user.id, "面试通知")
    assert run_row(app, run_id).status == "done" and notices(app, user.id) == 1
    runner.perform_here(app, run_id)  # the queue delivers the same job again
    assert notices(app, user.id) == 1 and CALLS == ["面试通知"]


def test_the_same_key_enqueues_once(app, make_user):
    user = make_user()
    first = start(app, record_notice, user.id, "督办", key="daily:2026-12-06")
    again = start(app, record_notice, user.id, "督办", key="daily:2026-12-06")
    assert first == again and notices(app, user.id) == 1


def test_a_failing_task_is_retried_without_sending_twice(app, make_user):
    user = make_user()
    run_id = start(app, flaky, user.id, 2)
    run = run_row(app, run_id)
    assert run.status == "done" and run.attempts == 3
    assert notices(app, user.id) == 1  # the failed attempts' notices were rolled back


def test_a_task_failing_every_time_ends_failed_with_the_reason(app, make_user):
    user = make_user()
    run_id = start(app, flaky, user.id, 99, retries=2)
    run = run_row(app, run_id)
    assert run.status == "failed" and run.attempts == 3
    assert "mail relay" in run.error and notices(app, user.id) == 0


def test_progress_is_visible_while_the_task_runs(app, make_user):
    run_id = start(app, counts_in_steps, 10)
    run = run_row(app, run_id)
    assert run.status == "done"
    assert '"seen": [5, 10, "正在处理"]' in run.result
    assert run.progress == 10  # done means all steps


def test_export_runs_as_a_job_with_progress_and_a_download(
    app, client, make_user, make_fair, tmp_path
):
    app.config["EXPORTS_DIR"] = str(tmp_path)
    organiser = make_user(role="organiser")
    sign_in(client, organiser)
    fair_id = make_fair()
    resp = client.post(
        "/reports/exports", data={"kind": "fair", "format": "csv", "fair_id": fair_id}
    )
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"])
    assert page.status_code == 200 and "export-progress" in page.text
    run_id = int(resp.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    status = client.get(f"/api/v1/jobs/{run_id}").get_json()
    assert status["status"] == "done" and status["percent"] == 100
    assert status["download_url"] == f"/reports/exports/{run_id}/download"
    with client.get(status["download_url"]) as file:
        assert file.status_code == 200 and file.mimetype == "text/csv"
        assert "招聘会" in file.data.decode("utf-8-sig")
        # Saved under the same names as the direct export: Chinese, with an ASCII fallback.
        disposition = file.headers["Content-Disposition"]
        assert f"filename=fair-{fair_id}-results.csv" in disposition
        assert "filename*=UTF-8''%E6%8B%9B%E8%81%98%E4%BC%9A" in disposition  # 招聘会…
    # Someone else cannot look at it.
    other = sign_in(app.test_client(), make_user(role="seeker"))
    assert other.get(f"/api/v1/jobs/{run_id}").status_code == 404
    assert other.get(status["download_url"]).status_code in (403, 404)


def test_a_bad_export_request_is_a_message_not_a_job(app, client, make_user):
    sign_in(client, make_user(role="organiser"))
    resp = client.post("/reports/exports", data={"kind": "fair", "format": "pdf"})
    assert resp.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JobRun)) == 0


def test_the_schedule_runs_a_slot_once(app):
    from jobfair.jobs import schedule

    with app.app_context():
        first = schedule.enqueue_slot("casework-escalate", "2026-12-06T00:00:00")
        again = schedule.enqueue_slot("casework-escalate", "2026-12-06T00:00:00")
        assert first.id == again.id and first.status == "done"
        digests = schedule.enqueue_slot("daily-digests", "2026-12-05T23:00:00")
        assert digests.status == "done" and '"due": 0' in digests.result
        assert db.session.scalar(select(func.count()).select_from(JobRun)) == 2


REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis is not reachable")
def test_with_redis_jobs_go_through_rq_and_run_once(make_app, make_user):
    from redis import Redis
    from rq import Queue, SimpleWorker

    name = "jobfair-test-" + uuid.uuid4().hex
    app = make_app(REDIS_URL=REDIS_URL, JOBS_MODE="rq", JOBS_QUEUE=name)
    user = make_user()
    run_id = start(app, record_notice, user.id, "岗位推送")
    connection = Redis.from_url(REDIS_URL)
    queue = Queue(name, connection=connection)
    try:
        assert queue.count == 1 and run_row(app, run_id).status == "queued"
        runner.bind_app(app)
        SimpleWorker([queue], connection=connection).work(burst=True)
        assert run_row(app, run_id).status == "done" and notices(app, user.id) == 1
        runner.perform_queued(run_id)  # delivered twice: nothing sent twice
        assert notices(app, user.id) == 1
    finally:
        runner.bind_app(None)
        queue.delete(delete_jobs=True)


def test_flask_scheduler_once_makes_up_the_latest_slots(app, runner, monkeypatch):
    from jobfair.recommendations import jobs as match_jobs

    monkeypatch.setattr(match_jobs, "rebuild_match_index", lambda: {"positions": 0})
    result = runner.invoke(args=["scheduler", "--once"])
    assert result.exit_code == 0, result.output
    # escalation, alert digests, notification summaries, interview reminders, fair surveys,
    # index rebuild
    assert result.output.count("done") == 6
    again = runner.invoke(args=["scheduler", "--once"])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JobRun)) == 6
    assert again.output.count("done") == 6  # the same runs: nothing ran twice
