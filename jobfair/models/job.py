"""Background job runs: what was asked, by whom, how far it got, what it produced."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.extensions import db
from jobfair.models.common import utcnow


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    DONE = "done"
    FAILED = "failed"


class JobRun(db.Model):
    """One run of a background task (jobfair/jobs). `key` makes a run happen once: asking
    again with the same key returns the existing run instead of a second one."""

    __tablename__ = "job_runs"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in JobStatus) + ")",
            name="ck_job_runs_status",
        ),
        CheckConstraint("progress >= 0 AND total >= 0", name="ck_job_runs_progress"),
        UniqueConstraint("key", name="uq_job_runs_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(200))
    task: Mapped[str] = mapped_column(String(200))
    arguments: Mapped[str] = mapped_column(Text, default="{}")  # JSON: {"args": [], "kwargs": {}}
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(200), default="")
    result: Mapped[str] = mapped_column(Text, default="")  # JSON of what the task returned
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=4)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
