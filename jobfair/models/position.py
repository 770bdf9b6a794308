"""Positions (岗位) and the priority groups they welcome."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.common import (
    Channel,
    Education,
    PayUnit,
    PriorityGroup,
    WorkForm,
    enum_check,
    utcnow,
)
from jobfair.models.employer import Employer
from jobfair.models.occupation import Occupation


class PositionStatus(enum.StrEnum):
    DRAFT = "draft"
    HELD = "held"  # waiting for organiser review (possible discriminatory wording)
    PUBLISHED = "published"
    CLOSED = "closed"


POSITION_STATUS_LABELS = {
    PositionStatus.DRAFT: "草稿",
    PositionStatus.HELD: "待审核",
    PositionStatus.PUBLISHED: "招聘中",
    PositionStatus.CLOSED: "已关闭",
}


class Position(db.Model):
    __tablename__ = "positions"
    __table_args__ = (
        CheckConstraint("salary_min >= 0 AND salary_min <= salary_max", name="ck_positions_salary"),
        CheckConstraint("headcount >= 1", name="ck_positions_headcount"),
        CheckConstraint(enum_check("status", PositionStatus), name="ck_positions_status"),
        CheckConstraint(enum_check("education", Education), name="ck_positions_education"),
        CheckConstraint(enum_check("work_form", WorkForm), name="ck_positions_work_form"),
        CheckConstraint(enum_check("channel", Channel), name="ck_positions_channel"),
        CheckConstraint(enum_check("pay_unit", PayUnit), name="ck_positions_pay_unit"),
        Index("ix_positions_public", "status", "published_at", "id"),
        CheckConstraint(
            "trainee_months IS NULL OR (trainee_months >= 1 AND trainee_months <= 24)",
            name="ck_positions_trainee_months",
        ),
        CheckConstraint(
            "tenure_limit_months IS NULL OR "
            "(tenure_limit_months >= 1 AND tenure_limit_months <= 120)",
            name="ck_positions_tenure_limit",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("employers.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    requirements: Mapped[str] = mapped_column(Text, default="")
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupations.code"), index=True)
    salary_min: Mapped[int]
    salary_max: Mapped[int]
    # salary_min/max are yuan per this unit: "25–30 元/小时" for a 钟点工, "4千–6千元/月".
    pay_unit: Mapped[str] = mapped_column(String(8), default=PayUnit.MONTH, index=True)
    # 日结: paid at the end of each working day (零工).
    daily_pay: Mapped[bool] = mapped_column(default=False)
    headcount: Mapped[int] = mapped_column(default=1)
    district: Mapped[str] = mapped_column(String(20), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    education: Mapped[str] = mapped_column(String(16), default=Education.NONE)
    work_form: Mapped[str] = mapped_column(String(16), default=WorkForm.FULL_TIME, index=True)
    channel: Mapped[str] = mapped_column(String(20), default=Channel.ENTERPRISE, index=True)
    deadline: Mapped[date | None]
    # 五个一批 rules (see positions.channels): 见习 months, the 公益性岗位 tenure limit, and the
    # exam announcement of 机关事业单位 / 三支一扶-style posts (no applications on the platform).
    trainee_months: Mapped[int | None]
    tenure_limit_months: Mapped[int | None]
    exam_date: Mapped[date | None]
    exam_signup_ends: Mapped[date | None]
    official_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default=PositionStatus.DRAFT)
    # Phrases flagged by the discrimination rules: [{"phrase", "category", "field"}]
    review_flags: Mapped[list] = mapped_column(JSON, default=list)
    review_note: Mapped[str] = mapped_column(String(500), default="")
    # jieba tokens of title, description, requirements and occupation, space separated;
    # written once when the position is saved and indexed by the full-text index.
    search_tokens: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    employer: Mapped[Employer] = relationship()
    occupation: Mapped[Occupation] = relationship(lazy="joined")
    groups: Mapped[list["PositionGroup"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )

    @property
    def welcomed_groups(self) -> list[str]:
        return sorted(g.group for g in self.groups)

    @property
    def is_public(self) -> bool:
        return self.status == PositionStatus.PUBLISHED


class PositionGroup(db.Model):
    __tablename__ = "position_groups"
    __table_args__ = (CheckConstraint(enum_check("group_code", PriorityGroup), name="ck_pg_group"),)

    position_id: Mapped[int] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True
    )
    group: Mapped[str] = mapped_column("group_code", String(30), primary_key=True, index=True)
