"""What runs by the clock: the schedule table `flask scheduler` follows.

Tasks are named by dotted path (the scheduler never imports the features it runs, so the job
layer stays below them). Cron expressions are in UTC (RQ's cron scheduler counts in UTC):
"0 0 * * *" is 08:00 in China. Each entry's run of a day gets the key "<name>:<UTC date and
time of the slot>", so a scheduler restarted, or two schedulers by mistake, never run a slot
twice.
"""

from dataclasses import dataclass
from datetime import datetime

from croniter import croniter

from jobfair.extensions import db
from jobfair.jobs.queue import enqueue

# The alerts feature's daily digests (send_due_digests for the slot); an empty path is left out.
DIGESTS_TASK = "jobfair.alerts.jobs.send_daily_digests"


@dataclass(frozen=True)
class Entry:
    name: str
    task: str
    cron: str
    description: str
    pass_now: bool = False  # call task(now=<the slot's UTC datetime, ISO>)


SCHEDULE = [
    Entry(
        "casework-escalate",
        "jobfair.casework.jobs.escalate_households",
        "0 0 * * *",
        "每天 8:00 督办超期未清零的零就业家庭并通知督导",
    ),
    Entry(
        "daily-digests",
        DIGESTS_TASK,
        "0 23 * * *",
        "每天 7:00 发送岗位订阅的每日汇总",
        pass_now=True,
    ),
    Entry(
        "notification-digests",
        "jobfair.notifications.jobs.send_daily_summaries",
        "0 10 * * *",
        "每天 18:00 发送站内通知的每日汇总（用户选择了“每日汇总”的通知）",
        pass_now=True,
    ),
    Entry(
        "match-rebuild",
        "jobfair.recommendations.jobs.rebuild_match_index",
        "30 19 * * *",
        "每天凌晨 3:30 重建并保存岗位匹配索引",
    ),
]


def entries() -> list[Entry]:
    """The entries that name a task."""
    return [e for e in SCHEDULE if e.task]


def by_name(name: str) -> Entry:
    for entry in entries():
        if entry.name == name:
            return entry
    raise KeyError(name)


def last_slot(entry: Entry, now: datetime) -> datetime:
    """The most recent time the entry was due (naive UTC)."""
    return croniter(entry.cron, now).get_prev(datetime)


def next_slot(entry: Entry, now: datetime) -> datetime:
    return croniter(entry.cron, now).get_next(datetime)


def enqueue_slot(name: str, slot_iso: str):
    """Enqueue the run of one slot of an entry (keyed, so once per slot), and commit."""
    entry = by_name(name)
    kwargs = {"now": slot_iso} if entry.pass_now else {}
    run = enqueue(entry.task, key=f"{entry.name}:{slot_iso}", **kwargs)
    db.session.commit()
    return run
