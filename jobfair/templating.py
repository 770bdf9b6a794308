"""Jinja filters and globals: labels, masking, dates."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from jobfair import reference
from jobfair.models.application import APPLICATION_STATUS_LABELS
from jobfair.models.common import CHANNEL_LABELS, EDUCATION_LABELS, GROUP_LABELS, WORK_FORM_LABELS
from jobfair.models.employer import EMPLOYER_STATUS_LABELS
from jobfair.models.position import POSITION_STATUS_LABELS
from jobfair.models.user import ROLE_LABELS


def mask_phone(phone: str | None) -> str:
    """138****5678: the owner sees the full number, everyone else this."""
    if not phone:
        return ""
    if len(phone) >= 7:
        return phone[:3] + "****" + phone[-4:]
    return "****"


def mask_email(email: str | None) -> str:
    if not email or "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return (local[:1] + "***@" + domain) if local else "***@" + domain


LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def fmt_dt(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Stored times are naive UTC; people read Beijing time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(LOCAL_TZ).strftime(fmt)
    return value.strftime("%Y-%m-%d")


def salary(pos) -> str:
    def k(v: int) -> str:
        return f"{v / 1000:g}千" if v < 10000 else f"{v / 10000:g}万"

    return f"{k(pos.salary_min)}–{k(pos.salary_max)}元/月" if pos.salary_max else "面议"


LABELS = {
    "education": {str(k): v for k, v in EDUCATION_LABELS.items()},
    "work_form": {str(k): v for k, v in WORK_FORM_LABELS.items()},
    "channel": {str(k): v for k, v in CHANNEL_LABELS.items()},
    "group": {str(k): v for k, v in GROUP_LABELS.items()},
    "application_status": {str(k): v for k, v in APPLICATION_STATUS_LABELS.items()},
    "position_status": {str(k): v for k, v in POSITION_STATUS_LABELS.items()},
    "employer_status": {str(k): v for k, v in EMPLOYER_STATUS_LABELS.items()},
    "role": {str(k): v for k, v in ROLE_LABELS.items()},
}


def label(value, kind: str) -> str:
    return LABELS[kind].get(str(value), str(value))


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        mask_phone=mask_phone, mask_email=mask_email, dt=fmt_dt, salary=salary, label=label
    )
    app.jinja_env.globals.update(LABELS=LABELS, districts=reference.districts)
