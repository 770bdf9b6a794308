"""`flask worker` and `flask scheduler`: the processes that run background jobs by queue and clock."""

import logging
import time
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from redis import Redis
from rq import Queue, SimpleWorker
from rq.cron import CronScheduler

from jobfair.extensions import db
from jobfair.jobs import queue, runner, schedule


def _redis() -> Redis:
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException(
            "未设置 JOBFAIR_REDIS_URL：没有 Redis 时后台任务在网站进程内运行。"
        )
    return Redis.from_url(url)


@click.command("worker", help="运行后台任务（RQ 队列，需设置 JOBFAIR_REDIS_URL）")
@click.option("--burst", is_flag=True, help="队列清空后退出")
@with_appcontext
def worker_command(burst: bool):
    app = current_app._get_current_object()
    runner.bind_app(app)
    db.session.remove()
    # SimpleWorker runs jobs in this process (no fork per job), so the app, jieba and the
    # matching index are loaded once; RQ still enforces timeouts and retries.
    worker = SimpleWorker([Queue(queue.queue_name(), connection=_redis())], connection=_redis())
    worker.work(burst=burst, with_scheduler=True, logging_level="INFO")


def slot_job(name: str, slot_iso: str = "") -> None:
    """What the cron scheduler enqueues: the keyed run of this slot (see schedule.py)."""
    app = runner._app or current_app._get_current_object()
    with app.app_context():
        if not slot_iso:
            entry = schedule.by_name(name)
            slot_iso = schedule.last_slot(entry, datetime.now(UTC).replace(tzinfo=None)).isoformat()
        schedule.enqueue_slot(name, slot_iso)
        db.session.remove()


def catch_up() -> list:
    """Enqueue the latest slot of every entry; slots already run are keyed, so nothing twice."""
    now = datetime.now(UTC).replace(tzinfo=None)
    runs = []
    for entry in schedule.entries():
        slot = schedule.last_slot(entry, now).isoformat()
        runs.append((entry.name, slot, schedule.enqueue_slot(entry.name, slot)))
    return runs


@click.command("scheduler", help="按时间表把每日任务放入后台队列（督办、每日汇总、重建索引）")
@click.option("--once", is_flag=True, help="只补做最近一次到期的任务后退出")
@with_appcontext
def scheduler_command(once: bool):
    logging.basicConfig(level=logging.INFO)
    for name, slot, run in catch_up():  # a slot missed while no scheduler ran is made up
        click.echo(f"{name} {slot}: 任务 #{run.id} {run.status}")
    db.session.remove()  # hold no transaction open while waiting for the clock
    if once:
        return
    if current_app.config.get("REDIS_URL"):
        cron = CronScheduler(connection=_redis(), name=f"jobfair-scheduler-{int(time.time())}")
        for entry in schedule.entries():
            cron.register(
                slot_job, queue.queue_name(), args=(entry.name,), cron=entry.cron, name=entry.name
            )
        click.echo(f"时间表：{len(schedule.entries())} 项，按 UTC 计时。")
        cron.start()
        return
    while True:  # without Redis: look at the clock here, run due slots in this process
        time.sleep(30)
        catch_up()
        db.session.remove()


def init_app(app) -> None:
    app.cli.add_command(worker_command)
    app.cli.add_command(scheduler_command)
