"""零工 shifts: create, sign up (capacity enforced by the database), confirm attendance and pay.

Rules worth knowing:
- A shift belongs to one of the employer's positions and shows that position's pay (with its
  unit: 元/小时, 元/天, 元/件, 元/月) and 日结.
- Sign-up takes a place with one conditional UPDATE (``taken = taken + 1 WHERE taken <
  headcount``) in the same transaction as the sign-up row, so 20 people pressing at once on a
  shift with 5 places leave exactly 5 signed up; ``CHECK (taken <= headcount)`` backs it.
  One row per person and shift (UNIQUE); cancelling gives the place back, signing up again
  reuses the row. Sign-up closes when the shift starts; a seeker cannot hold two shifts that
  overlap.
- The employer confirms, once the shift has started: 到岗 (with units worked and pay) or
  未到岗, and may correct it; a 就业登记 already written stays (a case worker records 离职
  if it was wrong).
- 灵活就业: when a person's confirmed 到岗 shifts within ``rules.GIG_DAYS`` days reach
  ``rules.gig_threshold()``, one 就业登记 (source 零工班次) is written for them, counted as the
  rules table's 零工 row says; another is written only after that one has ended.
"""

from datetime import UTC, date, datetime, time, timedelta

from marshmallow import ValidationError, fields, validate, validates
from sqlalchemy import update

from jobfair import audit, reference
from jobfair.casework import rules
from jobfair.casework.queries import profiles_by_user
from jobfair.casework.registrations import record_registration
from jobfair.employers.acting import employer_of
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.formatting import LOCAL_TZ, local_today, pay_line
from jobfair.ids import require_id
from jobfair.models.common import utcnow
from jobfair.models.gig import HOLDS_PLACE, Shift, ShiftSignup, ShiftStatus, SignupStatus
from jobfair.models.outcome import ContractType, EmploymentRegistration, EmploymentSource
from jobfair.models.position import Position, PositionStatus
from jobfair.models.user import Role, User
from jobfair.notifications.services import notify
from jobfair.seekers.services import clean_text
from jobfair.transactions import commit_or_conflict
from jobfair.validation import BaseSchema, Bool, Date, Int, Text, load

FULL = "这个班次已经报满了，请看看其他班次。"
MAX_SIGNUPS_AHEAD = 10  # open sign-ups one person may hold at once


def _parse_time(value: str) -> time:
    try:
        hh, mm = str(value).strip().split(":")[:2]
        return time(int(hh), int(mm))
    except (ValueError, TypeError):
        raise ValidationError("请按“时:分”填写，如 08:30。") from None


class ShiftSchema(BaseSchema):
    day = Date(required=True)
    starts_at = Text(required=True, min_len=4, max_len=5)
    ends_at = Text(required=True, min_len=4, max_len=5)
    district = Text(required=True, max_len=20)
    place = Text(required=True, min_len=1, max_len=200)
    headcount = Int(required=True, min_value=1, max_value=500)
    note = Text(max_len=500)

    @validates("starts_at")
    def _starts(self, value, **_):
        _parse_time(value)

    @validates("ends_at")
    def _ends(self, value, **_):
        _parse_time(value)

    @validates("district")
    def _district(self, value, **_):
        if value not in reference.districts():
            raise ValidationError("请选择本市的区。")


SHIFT_LABELS = {
    "day": "日期",
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "district": "所在区",
    "place": "上工地点",
    "headcount": "需要人数",
    "note": "说明",
}


class ConfirmSchema(BaseSchema):
    attended = Bool(required=True)
    units = fields.Float(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=10_000, error="数量应在 0 到 10000 之间。"),
        error_messages={"invalid": "应为数字。"},
    )
    pay_amount = Int(min_value=0, max_value=100_000, load_default=None, allow_none=True)
    paid = Bool(load_default=False)


CONFIRM_LABELS = {"attended": "是否到岗", "units": "工作量", "pay_amount": "报酬", "paid": "已结清"}


# --- time -------------------------------------------------------------------------------------


def start_utc(shift: Shift) -> datetime:
    """The shift's start as naive UTC (shifts are entered in Beijing time)."""
    local = datetime.combine(shift.day, shift.starts_at, tzinfo=LOCAL_TZ)
    return local.astimezone(UTC).replace(tzinfo=None)


def has_started(shift: Shift) -> bool:
    return utcnow() >= start_utc(shift)


# --- employer ---------------------------------------------------------------------------------


def _own_position(actor, position_id) -> Position:
    employer = employer_of(actor) if actor.role == Role.EMPLOYER else None
    pos = db.session.get(Position, require_id(position_id, "岗位不存在。"))
    if employer is None or pos is None or pos.employer_id != employer.id:
        raise NotFound("岗位不存在。")
    return pos


def own_shift(actor, shift_id) -> Shift:
    """A shift of one of the acting employer's positions (reps included), else 404."""
    shift = db.session.get(Shift, require_id(shift_id, "班次不存在。"))
    employer = employer_of(actor) if actor.role == Role.EMPLOYER else None
    if shift is None or employer is None or shift.position.employer_id != employer.id:
        raise NotFound("班次不存在。")
    return shift


def create_shift(actor, position_id, data, *, form=False) -> Shift:
    pos = _own_position(actor, position_id)
    if pos.status == PositionStatus.CLOSED:
        raise DomainError("岗位已关闭，不能再发布班次。", code="position_closed", status=409)
    values = load(ShiftSchema(), data, labels=SHIFT_LABELS, form=form)
    start, end = _parse_time(values["starts_at"]), _parse_time(values["ends_at"])
    if end <= start:
        raise DomainError(
            "结束时间应晚于开始时间（跨夜的班次请分成两个班次）。",
            fields={"ends_at": "应晚于开始时间"},
        )
    if values["day"] < local_today():
        raise DomainError("班次日期不能早于今天。", fields={"day": "不能早于今天"})
    if values["day"] > local_today() + timedelta(days=60):
        raise DomainError("只能发布 60 天内的班次。", fields={"day": "不能晚于 60 天后"})
    shift = Shift(
        position_id=pos.id,
        day=values["day"],
        starts_at=start,
        ends_at=end,
        district=values["district"],
        place=clean_text(values["place"]),
        headcount=values["headcount"],
        taken=0,
        note=clean_text(values["note"]),
        status=ShiftStatus.OPEN,
        created_by=actor.id,
    )
    if not shift.place:
        raise DomainError("请填写上工地点。", fields={"place": "此项必填。"})
    db.session.add(shift)
    db.session.flush()
    audit.record(actor.id, "gig.shift_create", "shift", shift.id, position=pos.id)
    db.session.commit()
    return shift


def cancel_shift(actor, shift_id) -> Shift:
    shift = own_shift(actor, shift_id)
    if shift.status == ShiftStatus.CANCELLED:
        return shift
    if has_started(shift):
        raise Conflict("班次已经开始，不能取消。", code="shift_started")
    shift.status = ShiftStatus.CANCELLED
    now = utcnow()
    when = f"{shift.day:%m月%d日} {shift.starts_at:%H:%M}"
    for s in signups_of(shift.id):
        if s.status == SignupStatus.SIGNED_UP:
            s.status, s.cancelled_at = SignupStatus.CANCELLED, now
            notify(
                s.seeker_id,
                "gig_cancelled",
                f"零工班次已取消：{shift.position.title}",
                f"{shift.position.employer.name} 取消了 {when} 在 {shift.place} 的班次，"
                "不用再去了。可以在“零工”页面报名别的班次。",
                "/gigs",
            )
    shift.taken = sum(1 for s in signups_of(shift.id) if s.status in HOLDS_PLACE)
    audit.record(actor.id, "gig.shift_cancel", "shift", shift.id)
    db.session.commit()
    return shift


def shifts_of_position(actor, position_id) -> tuple[Position, list[Shift]]:
    pos = _own_position(actor, position_id)
    rows = db.session.scalars(
        db.select(Shift)
        .filter_by(position_id=pos.id)
        .order_by(Shift.day.desc(), Shift.starts_at, Shift.id)
    )
    return pos, list(rows)


def signups_of(shift_id: int) -> list[ShiftSignup]:
    return list(
        db.session.scalars(
            db.select(ShiftSignup).filter_by(shift_id=shift_id).order_by(ShiftSignup.id)
        )
    )


def roster(actor, shift_id) -> tuple[Shift, list[ShiftSignup]]:
    shift = own_shift(actor, shift_id)
    return shift, [s for s in signups_of(shift.id) if s.status != SignupStatus.CANCELLED]


def names_of(rows: list[ShiftSignup]) -> dict[int, str]:
    """The names people gave on their profile (else the account name), for the roster."""
    profiles = profiles_by_user([r.seeker_id for r in rows])
    out = {}
    for r in rows:
        profile = profiles.get(r.seeker_id)
        out[r.seeker_id] = (profile.name if profile and profile.name else "") or r.seeker.name
    return out


def confirm(actor, signup_id, data, *, form=False) -> ShiftSignup:
    """到岗 with units and pay, or 未到岗 (once the shift has started; may be corrected)."""
    signup = db.session.get(ShiftSignup, require_id(signup_id, "报名记录不存在。"))
    if signup is None:
        raise NotFound("报名记录不存在。")
    shift = own_shift(actor, signup.shift_id)
    values = load(ConfirmSchema(), data, labels=CONFIRM_LABELS, form=form)
    if not has_started(shift):
        raise Conflict("班次还没开始，开始后才能确认到岗。", code="too_early")
    if signup.status == SignupStatus.CANCELLED:
        raise Conflict("对方已取消报名。", code="cancelled")
    now = utcnow()
    if values["attended"]:
        if values["pay_amount"] is None:
            raise DomainError("确认到岗时请填写报酬（元）。", fields={"pay_amount": "此项必填。"})
        signup.status = SignupStatus.ATTENDED
        signup.units, signup.pay_amount = values["units"], values["pay_amount"]
        signup.paid_at = (signup.paid_at or now) if values["paid"] else None
    else:
        signup.status = SignupStatus.ABSENT
        signup.units = signup.pay_amount = signup.paid_at = None
    signup.confirmed_at, signup.confirmed_by = now, actor.id
    audit.record(
        actor.id,
        "gig.confirm",
        "shift_signup",
        signup.id,
        attended=bool(values["attended"]),
        pay=signup.pay_amount,
    )
    if signup.status == SignupStatus.ATTENDED and signup.paid_at is not None:
        _maybe_register(signup, actor)
    db.session.commit()
    return signup


# --- 灵活就业 from confirmed shifts ------------------------------------------------------------


def counted_shifts(seeker_id: int, until: date) -> list[ShiftSignup]:
    """The seeker's 到岗, paid shifts in the GIG_DAYS days up to ``until``."""
    since = until - timedelta(days=rules.GIG_DAYS - 1)
    return list(
        db.session.scalars(
            db.select(ShiftSignup)
            .join(Shift, Shift.id == ShiftSignup.shift_id)
            .where(
                ShiftSignup.seeker_id == seeker_id,
                ShiftSignup.status == SignupStatus.ATTENDED,
                ShiftSignup.paid_at.is_not(None),
                Shift.day >= since,
                Shift.day <= until,
            )
            .order_by(Shift.day, Shift.id)
        )
    )


def _maybe_register(signup: ShiftSignup, actor) -> EmploymentRegistration | None:
    db.session.flush()
    open_gig = db.session.scalar(
        db.select(EmploymentRegistration.id).where(
            EmploymentRegistration.seeker_id == signup.seeker_id,
            EmploymentRegistration.source == EmploymentSource.GIG_SHIFTS,
            EmploymentRegistration.ended_on.is_(None),
        )
    )
    if open_gig is not None:
        return None
    shifts = counted_shifts(signup.seeker_id, signup.shift.day)
    if len(shifts) < rules.gig_threshold():
        return None
    pos = signup.shift.position
    titles = "、".join(dict.fromkeys(s.shift.position.title for s in shifts))[:60]
    reg = EmploymentRegistration(
        seeker_id=signup.seeker_id,
        employer_id=pos.employer_id,
        employer_name=pos.employer.name[:100],
        job_title=f"零工：{titles}"[:100],
        started_on=shifts[0].shift.day,
        contract_type=ContractType.FLEXIBLE,
        work_form="flexible",
        social_insurance=False,
        source=EmploymentSource.GIG_SHIFTS,
        evidence_note=(
            f"{rules.GIG_DAYS} 天内经用人单位确认到岗并结清报酬的零工班次 {len(shifts)} 个"
            f"（{shifts[0].shift.day.isoformat()} 至 {shifts[-1].shift.day.isoformat()}）"
        ),
        end_reason="",
        ended_role="",
        recorded_by=actor.id,
    )
    profile = profiles_by_user([signup.seeker_id]).get(signup.seeker_id)
    return record_registration(reg, profile, actor.id)


# --- seekers ----------------------------------------------------------------------------------


def _public_shift(shift_id) -> Shift:
    shift = db.session.get(Shift, require_id(shift_id, "班次不存在。"))
    if shift is None or shift.position.status != PositionStatus.PUBLISHED:
        raise NotFound("班次不存在或已下线。")
    return shift


def get_public_shift(shift_id) -> Shift:
    return _public_shift(shift_id)


def _overlaps(user_id: int, shift: Shift) -> bool:
    return (
        db.session.scalar(
            db.select(ShiftSignup.id)
            .join(Shift, Shift.id == ShiftSignup.shift_id)
            .where(
                ShiftSignup.seeker_id == user_id,
                ShiftSignup.status == SignupStatus.SIGNED_UP,
                Shift.id != shift.id,
                Shift.day == shift.day,
                Shift.starts_at < shift.ends_at,
                Shift.ends_at > shift.starts_at,
            )
        )
        is not None
    )


def sign_up(user: User, shift_id) -> tuple[ShiftSignup, bool]:
    """(sign-up, new place taken). Pressing again while signed up changes nothing."""
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以报名班次。")
    shift = _public_shift(shift_id)
    if shift.status != ShiftStatus.OPEN:
        raise Conflict("这个班次已取消。", code="shift_cancelled")
    if has_started(shift):
        raise Conflict("班次已经开始，不能再报名。", code="shift_started")
    row = db.session.scalar(db.select(ShiftSignup).filter_by(shift_id=shift.id, seeker_id=user.id))
    if row is not None and row.status in HOLDS_PLACE:
        return row, False
    if _overlaps(user.id, shift):
        raise Conflict("你在这个时间已经报名了别的班次。", code="overlap")
    held = db.session.scalar(
        db.select(db.func.count())
        .select_from(ShiftSignup)
        .join(Shift, Shift.id == ShiftSignup.shift_id)
        .where(
            ShiftSignup.seeker_id == user.id,
            ShiftSignup.status == SignupStatus.SIGNED_UP,
            Shift.day >= local_today(),
        )
    )
    if held >= MAX_SIGNUPS_AHEAD:
        raise Conflict(f"最多同时报名 {MAX_SIGNUPS_AHEAD} 个未开始的班次。", code="too_many")
    # The place: one conditional UPDATE; the database serialises concurrent ones on the row.
    took = db.session.execute(
        update(Shift)
        .where(
            Shift.id == shift.id, Shift.status == ShiftStatus.OPEN, Shift.taken < Shift.headcount
        )
        .values(taken=Shift.taken + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if took != 1:
        db.session.rollback()
        raise Conflict(FULL, code="shift_full")
    if row is None:
        row = ShiftSignup(shift_id=shift.id, seeker_id=user.id, status=SignupStatus.SIGNED_UP)
        db.session.add(row)
    else:
        row.status, row.cancelled_at, row.created_at = SignupStatus.SIGNED_UP, None, utcnow()
    commit_or_conflict("你已报名这个班次。", code="already_signed_up")
    db.session.refresh(shift)
    return row, True


def cancel_signup(user: User, signup_id) -> ShiftSignup:
    row = db.session.get(ShiftSignup, require_id(signup_id, "报名记录不存在。"))
    if row is None or row.seeker_id != user.id:
        raise NotFound("报名记录不存在。")
    if row.status != SignupStatus.SIGNED_UP:
        raise Conflict("这条报名已不能取消。", code="not_signed_up")
    if has_started(row.shift):
        raise Conflict("班次已经开始，不能取消；如不能到岗请联系用人单位。", code="shift_started")
    row.status, row.cancelled_at = SignupStatus.CANCELLED, utcnow()
    db.session.execute(
        update(Shift)
        .where(Shift.id == row.shift_id, Shift.taken > 0)
        .values(taken=Shift.taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return row


def my_signups(user: User) -> list[ShiftSignup]:
    return list(
        db.session.scalars(
            db.select(ShiftSignup)
            .join(Shift, Shift.id == ShiftSignup.shift_id)
            .where(ShiftSignup.seeker_id == user.id)
            .order_by(Shift.day.desc(), Shift.starts_at.desc())
            .limit(200)
        )
    )


def board(district: str | None = None, daily_only: bool = False) -> dict[date, list[Shift]]:
    """零工 board: open shifts of published positions today and tomorrow, near a district.

    With a district, that district's shifts come first, then the rest of the city.
    """
    if district and district not in reference.districts():
        raise DomainError("请选择本市的区。", code="bad_filter", status=400)
    today = local_today()
    days = (today, today + timedelta(days=1))
    q = (
        db.select(Shift)
        .join(Position, Position.id == Shift.position_id)
        .where(
            Shift.status == ShiftStatus.OPEN,
            Shift.day.in_(days),
            Position.status == PositionStatus.PUBLISHED,
        )
        .order_by(Shift.day, Shift.starts_at, Shift.id)
    )
    if daily_only:
        q = q.where(Position.daily_pay.is_(True))
    out: dict[date, list[Shift]] = {d: [] for d in days}
    now = utcnow()
    for shift in db.session.scalars(q.limit(500)):
        if start_utc(shift) <= now:
            continue  # already started: no longer open for sign-up
        out[shift.day].append(shift)
    if district:
        for d in days:
            out[d].sort(key=lambda s: (s.district != district, s.starts_at, s.id))
    return out


def shift_dict(shift: Shift) -> dict:
    pos = shift.position
    return {
        "id": shift.id,
        "position_id": pos.id,
        "title": pos.title,
        "employer_name": pos.employer.name,
        "day": shift.day.isoformat(),
        "starts_at": shift.starts_at.strftime("%H:%M"),
        "ends_at": shift.ends_at.strftime("%H:%M"),
        "district": shift.district,
        "place": shift.place,
        "headcount": shift.headcount,
        "taken": shift.taken,
        "places_left": shift.places_left,
        "pay_unit": pos.pay_unit,
        "daily_pay": pos.daily_pay,
        "salary_min": pos.salary_min,
        "salary_max": pos.salary_max,
        "salary_text": pay_line(pos),
        "status": shift.status,
        "note": shift.note,
    }
