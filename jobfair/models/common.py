"""Shared column helpers and enumerations used by several aggregates."""

import enum
from datetime import UTC, datetime

from jobfair.matching.docs import GROUP_LABELS as MATCHING_GROUP_LABELS
from jobfair.matching.docs import WORK_FORM_LABELS as MATCHING_WORK_FORM_LABELS


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Education(enum.StrEnum):
    NONE = "none"
    PRIMARY = "primary"
    JUNIOR = "junior"
    SENIOR = "senior"
    COLLEGE = "college"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTOR = "doctor"


EDUCATION_LABELS = {
    Education.NONE: "不限",
    Education.PRIMARY: "小学",
    Education.JUNIOR: "初中",
    Education.SENIOR: "高中/中专/技校",
    Education.COLLEGE: "大专",
    Education.BACHELOR: "本科",
    Education.MASTER: "硕士",
    Education.DOCTOR: "博士",
}
EDUCATION_RANK = {e: i for i, e in enumerate(Education)}
# A seeker's education is a fact about them: "none" means they have not filled it in, which
# must never read as a requirement word like 不限 (that is for positions).
SEEKER_EDUCATION_LABELS = {**EDUCATION_LABELS, Education.NONE: "未填写"}


class WorkForm(enum.StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    TEMPORARY = "temporary"
    SEASONAL = "seasonal"
    FLEXIBLE = "flexible"


# The words live once, in the matching library (which may not import the app).
WORK_FORM_LABELS = {WorkForm(code): text for code, text in MATCHING_WORK_FORM_LABELS.items()}


class PayUnit(enum.StrEnum):
    """What a position's pay is counted per (零工 are paid by the hour, day or piece)."""

    HOUR = "hour"
    DAY = "day"
    PIECE = "piece"
    MONTH = "month"


PAY_UNIT_LABELS = {
    PayUnit.HOUR: "小时",
    PayUnit.DAY: "天",
    PayUnit.PIECE: "件",
    PayUnit.MONTH: "月",
}


class Channel(enum.StrEnum):
    PUBLIC_SECTOR = "public_sector"
    TRAINEE = "trainee"
    ENTERPRISE = "enterprise"
    GRASSROOTS = "grassroots"
    PUBLIC_WELFARE = "public_welfare"


CHANNEL_LABELS = {
    Channel.PUBLIC_SECTOR: "机关事业单位录用",
    Channel.TRAINEE: "见习岗位",
    Channel.ENTERPRISE: "企业招用",
    Channel.GRASSROOTS: "政府购买岗位基层安排",
    Channel.PUBLIC_WELFARE: "公益性岗位兜底安置",
}


class PriorityGroup(enum.StrEnum):
    GRADUATE = "graduate"
    DISPLACED_WORKER = "displaced_worker"
    RURAL_MIGRANT = "rural_migrant"
    VETERAN = "veteran"
    URBAN_HARDSHIP = "urban_hardship"
    ZERO_EMPLOYMENT_HOUSEHOLD = "zero_employment_household"
    RETIRED_FISHER = "retired_fisher"
    REGISTERED_POOR = "registered_poor"


GROUP_LABELS = {PriorityGroup(code): text for code, text in MATCHING_GROUP_LABELS.items()}


def enum_check(column: str, enum_cls: type[enum.StrEnum]) -> str:
    values = ", ".join(f"'{v.value}'" for v in enum_cls)
    return f"{column} IN ({values})"
