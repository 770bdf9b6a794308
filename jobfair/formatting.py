"""How stored values read to people: Beijing time, ISO timestamps, pay and labels."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from jobfair.masking import mask_name
from jobfair.models.application import APPLICATION_STATUS_LABELS
from jobfair.models.common import (
    CHANNEL_LABELS,
    EDUCATION_LABELS,
    GROUP_LABELS,
    PAY_UNIT_LABELS,
    SEEKER_EDUCATION_LABELS,
    WORK_FORM_LABELS,
)
from jobfair.models.employer import EMPLOYER_STATUS_LABELS
from jobfair.models.position import POSITION_STATUS_LABELS
from jobfair.models.user import ADDRESS_FORM_LABELS, ROLE_LABELS, AddressForm

# What a page shows for a fact a person has not given: never a requirement word like 不限.
NOT_GIVEN = "未填写"

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_today() -> date:
    """Today's calendar date in Beijing."""
    return datetime.now(UTC).astimezone(LOCAL_TZ).date()


def to_local(value: datetime) -> datetime:
    """A stored time (naive UTC) in Beijing time."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LOCAL_TZ)


def fmt_dt(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Stored times are naive UTC; people read Beijing time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_local(value).strftime(fmt)
    return value.strftime("%Y-%m-%d")


def hhmm(value: datetime | None) -> str:
    """The clock time of a chat line or announcement; one from an earlier day names its day
    (12月6日 09:10), or a list crossing midnight reads 09:10 then 00:40."""
    if value is None:
        return ""
    local = to_local(value)
    if local.date() == local_today():
        return local.strftime("%H:%M")
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def iso(value: datetime | date | None) -> str | None:
    """JSON timestamps: stored naive UTC made explicit (…+00:00); dates as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat()
    return value.isoformat()


def salary(pos) -> str:
    """Pay with its unit, always: "4千–6千元/月", "25–35 元/小时", "200 元/天", "3 元/件"."""
    if not pos.salary_max:
        return "面议"
    unit = getattr(pos, "pay_unit", None) or "month"
    if unit == "month":

        def k(v: int) -> str:
            return f"{v / 1000:g}千" if v < 10000 else f"{v / 10000:g}万"

        return f"{k(pos.salary_min)}–{k(pos.salary_max)}元/月"
    low, high = pos.salary_min, pos.salary_max
    amount = f"{low}" if low == high else f"{low}–{high}"
    return f"{amount} 元/{PAY_UNIT_LABELS.get(unit, unit)}"


def pay_line(pos) -> str:
    """salary() plus 日结 when the position pays at the end of each day."""
    text = salary(pos)
    return f"{text} · 日结" if getattr(pos, "daily_pay", False) else text


LABELS = {
    "education": {str(k): v for k, v in EDUCATION_LABELS.items()},
    "seeker_education": {str(k): v for k, v in SEEKER_EDUCATION_LABELS.items()},
    "address_form": {str(k): v for k, v in ADDRESS_FORM_LABELS.items()},
    "work_form": {str(k): v for k, v in WORK_FORM_LABELS.items()},
    "channel": {str(k): v for k, v in CHANNEL_LABELS.items()},
    "pay_unit": {str(k): v for k, v in PAY_UNIT_LABELS.items()},
    "group": {str(k): v for k, v in GROUP_LABELS.items()},
    "application_status": {str(k): v for k, v in APPLICATION_STATUS_LABELS.items()},
    "position_status": {str(k): v for k, v in POSITION_STATUS_LABELS.items()},
    "employer_status": {str(k): v for k, v in EMPLOYER_STATUS_LABELS.items()},
    "role": {str(k): v for k, v in ROLE_LABELS.items()},
}


def label(value, kind: str) -> str:
    return LABELS[kind].get(str(value), str(value))


def address(name: str | None, form: str | None, *, public: bool = False) -> str:
    """How a seeker is addressed: in the form they chose (李先生 / 李女士 / by name), never
    one inferred from age, school or anything else.

    ``public`` is for rooms other seekers read (live chat, Q&A): by name there means the
    masked name (李**), as the full name is not for strangers. Reps who see the seeker's
    profile get the full name.
    """
    name = (name or "").strip()
    if not name:
        return "求职者"
    if form == AddressForm.MR:
        return name[0] + "先生"
    if form == AddressForm.MS:
        return name[0] + "女士"
    return mask_name(name) if public else name


def or_not_given(value) -> str:
    """A fact as given, or 未填写: for pages that show what a seeker told us."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return NOT_GIVEN
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value) if value else NOT_GIVEN
    return str(value)
