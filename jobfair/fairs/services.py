"""Fair services: organiser CRUD, booth applications, seeker registration, live-session
scheduling and employer rep accounts.

Rules worth knowing:
- A fair is visible to the public once published, and stays readable after it is closed.
  Drafts are seen by organisers only.
- Booths: the employer owner (not a rep) of a verified employer applies, choosing which of
  its *published* positions to show. A declined booth can be applied for again (it goes back
  to pending). Positions can be changed while the booth is pending or approved.
- Registration: seekers only, fair published and not over, capacity respected, and when a
  fair has an eligibility group only seekers who consented to store that group may register.
- Live sessions are scheduled here; the live layer starts and ends them. Only a scheduled
  session can be edited or deleted.
- Reps: extra accounts (role 'employer', no Employer row) managed by the employer owner.
  Removing a rep suspends the account and ends its sessions, so the phone cannot be reused
  to create a second company and the chat history keeps its author.
"""

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from marshmallow import ValidationError, fields, validates, validates_schema
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from jobfair import audit, events
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.models.common import GROUP_LABELS, PriorityGroup, utcnow
from jobfair.models.employer import Employer
from jobfair.models.fair import (
    Booth,
    BoothPosition,
    BoothStatus,
    EmployerRep,
    Fair,
    FairGroup,
    FairRegistration,
    FairStatus,
    LiveSession,
    LiveSessionEmployer,
    LiveSessionStatus,
)
from jobfair.models.position import Position, PositionStatus
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import Role, User, UserStatus
from jobfair.security import end_all_sessions, hash_password
from jobfair.validation import PHONE_RE, BaseSchema, Choice, ChoiceList, Int, Text, load

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
MAX_ID = 2**31 - 1
MAX_CAPACITY = 1_000_000
MAX_REPS = 20
GROUP_CODES = [str(g) for g in PriorityGroup]

FAIR_FIELD_LABELS = {
    "title": "名称",
    "theme": "主题",
    "description": "介绍",
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "capacity": "报名人数上限",
    "eligibility_group": "报名条件",
    "groups": "面向的重点群体",
    "position_ids": "展示岗位",
    "intro": "展位介绍",
    "chat_minutes": "每次洽谈时长",
    "reason": "原因",
    "host_user_id": "主持人",
    "stream_url": "直播地址",
    "employer_ids": "参与单位",
    "phone": "手机号",
    "name": "姓名",
    "password": "初始密码",
}


# How this feature's decisions read in the organiser's audit log.
for _action, _label in {
    "fair.create": "新建招聘会",
    "fair.update": "修改招聘会",
    "fair.publish": "发布招聘会",
    "fair.close": "关闭招聘会",
    "booth.approve": "通过展位申请",
    "booth.decline": "驳回展位申请",
    "live_session.create": "安排直播带岗",
    "live_session.update": "修改直播安排",
    "live_session.delete": "删除直播安排",
    "rep.create": "新增招聘代表",
    "rep.remove": "移除招聘代表",
}.items():
    audit.ACTION_LABELS.setdefault(_action, _label)
for _kind, _label in {
    "fair": "招聘会",
    "booth": "展位",
    "live_session": "直播带岗",
    "employer_rep": "招聘代表",
}.items():
    audit.OBJECT_LABELS.setdefault(_kind, _label)


def _id(value, message: str = "页面或数据不存在。") -> int:
    if not isinstance(value, int) or value < 1 or value > MAX_ID:
        raise NotFound(message)
    return value


# --- times -------------------------------------------------------------------------------


def parse_local_datetime(value) -> datetime:
    """Beijing-time input ('2027-03-01T09:00', '2027-03-01 09:00' or ISO with an offset)
    to naive UTC as stored."""
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value or "").strip().replace("/", "-")
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError("时间格式应为 YYYY-MM-DD HH:MM（北京时间）。") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    return parsed.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)


def local_input(value: datetime | None) -> str:
    """Naive UTC to the value of an <input type="datetime-local"> in Beijing time."""
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.replace(tzinfo=UTC).isoformat()


class LocalDateTime(fields.Field):
    default_error_messages = {"required": "此项必填。", "null": "此项不能为空。"}

    def _deserialize(self, value, attr, data, **kwargs):
        if value in (None, ""):
            raise ValidationError("此项必填。")
        return parse_local_datetime(value)


def _optional_int(value):
    return None if value in (None, "") else value


def _summary(err: DomainError) -> DomainError:
    """Re-word the validation summary with this feature's field names."""
    if err.fields:
        err.message = "提交的数据有误：" + "；".join(
            f"{FAIR_FIELD_LABELS.get(k.split('.')[0], k)}：{v}" for k, v in err.fields.items()
        )
    return err


def _load(schema, data, *, form: bool, partial=False) -> dict:
    try:
        return load(schema, data, form=form, partial=partial)
    except DomainError as err:
        raise _summary(err) from None


# --- rep helpers (used by the live layer too) ---------------------------------------------


def employer_of(user) -> Employer | None:
    """The employer a signed-in employer-side user acts for: the owner's own, or a rep's."""
    if user is None or not getattr(user, "is_authenticated", True) or user.role != Role.EMPLOYER:
        return None
    own = db.session.scalar(db.select(Employer).filter_by(user_id=user.id))
    if own is not None:
        return own
    return db.session.scalar(
        db.select(Employer)
        .join(EmployerRep, EmployerRep.employer_id == Employer.id)
        .filter(EmployerRep.user_id == user.id)
    )


def is_extra_rep(user) -> bool:
    """True for rep accounts (not the owner): they may not manage the company profile."""
    if user is None or not getattr(user, "is_authenticated", True) or user.role != Role.EMPLOYER:
        return False
    return db.session.scalar(db.select(EmployerRep.id).filter_by(user_id=user.id)) is not None


def is_rep_of(user, employer_id: int) -> bool:
    """May this user act at the booths of employer_id (owner or one of its reps)?"""
    employer = employer_of(user)
    return employer is not None and employer.id == employer_id


def booth_reps(booth: Booth) -> list[User]:
    """Everyone who can staff a booth: the employer owner and its active rep accounts."""
    owner_id = db.session.scalar(db.select(Employer.user_id).filter_by(id=booth.employer_id))
    rep_ids = db.session.scalars(
        db.select(EmployerRep.user_id).filter_by(employer_id=booth.employer_id)
    ).all()
    ids = [i for i in [owner_id, *rep_ids] if i is not None]
    if not ids:
        return []
    return list(
        db.session.scalars(
            db.select(User)
            .filter(User.id.in_(ids), User.status == UserStatus.ACTIVE)
            .order_by(User.id)
        )
    )


def stream_kind(url: str | None) -> str:
    """'hls', 'flv' or 'embed' for a stream URL, '' for none."""
    if not url:
        return ""
    path = urlsplit(url).path.lower()
    if path.endswith(".m3u8"):
        return "hls"
    if path.endswith(".flv"):
        return "flv"
    return "embed"


# --- fairs: organiser ---------------------------------------------------------------------


class FairSchema(BaseSchema):
    title = Text(required=True, max_len=100)
    theme = Text(max_len=200)
    description = Text(max_len=5000)
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)
    capacity = Int(min_value=1, max_value=MAX_CAPACITY, allow_none=True, load_default=None)
    eligibility_group = Choice(GROUP_CODES, allow_none=True, load_default=None)
    groups = ChoiceList(GROUP_CODES)

    @validates("title")
    def _title(self, value, **_):
        if len(value.strip()) < 4:
            raise ValidationError("名称至少 4 个字。")

    @validates_schema
    def _times(self, data, **_):
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            raise ValidationError("结束时间应晚于开始时间。", field_name="ends_at")


def _fair_input(data: dict, form: bool) -> dict:
    data = dict(data)
    for key in ("capacity", "eligibility_group"):
        if key in data:
            data[key] = _optional_int(data[key])
    if form and isinstance(data.get("capacity"), str):
        data["capacity"] = data["capacity"].strip().replace(",", "") or None
    return data


def _require_organiser(user) -> None:
    if user.role != Role.ORGANISER:
        raise Forbidden()


def get_fair(fair_id: int) -> Fair:
    fair = db.session.get(Fair, _id(fair_id))
    if fair is None:
        raise NotFound("招聘会不存在。")
    return fair


def public_fair_or_404(fair_id: int) -> Fair:
    """A published or closed fair; drafts do not exist for the public."""
    fair = db.session.get(Fair, _id(fair_id))
    if fair is None or fair.status == FairStatus.DRAFT:
        raise NotFound("招聘会不存在或尚未发布。")
    return fair


def _apply_fair_values(fair: Fair, values: dict) -> None:
    fair.title = values["title"].strip()
    fair.theme = values["theme"].strip()
    fair.description = values["description"].strip()
    fair.starts_at = values["starts_at"]
    fair.ends_at = values["ends_at"]
    fair.capacity = values["capacity"]
    fair.eligibility_group = values["eligibility_group"] or None
    wanted = set(values["groups"])
    if fair.eligibility_group:
        wanted.add(fair.eligibility_group)  # an eligibility group is always a target group
    fair.groups = [g for g in fair.groups if g.group in wanted] + [
        FairGroup(group=code) for code in sorted(wanted - {g.group for g in fair.groups})
    ]


def create_fair(actor: User, data: dict, *, form: bool = False) -> Fair:
    _require_organiser(actor)
    values = _load(FairSchema(), _fair_input(data, form), form=form)
    fair = Fair(status=FairStatus.DRAFT, created_by=actor.id)
    _apply_fair_values(fair, values)
    db.session.add(fair)
    db.session.flush()
    audit.record(actor.id, "fair.create", "fair", fair.id, title=fair.title)
    db.session.commit()
    return fair


def update_fair(
    actor: User, fair_id: int, data: dict, *, form: bool = False, partial: bool = False
) -> Fair:
    """Edit a fair; with partial, fields not given keep their current values."""
    _require_organiser(actor)
    fair = get_fair(fair_id)
    if fair.status == FairStatus.CLOSED:
        raise Conflict("已关闭的招聘会不能修改。", code="fair_closed")
    if partial:
        data = {**fair_form_values(fair), **data}
    values = _load(FairSchema(), _fair_input(data, form), form=form)
    registered = registration_count(fair.id)
    if values["capacity"] is not None and values["capacity"] < registered:
        raise DomainError(
            f"报名人数上限不能小于已报名人数（{registered} 人）。",
            fields={"capacity": f"已有 {registered} 人报名"},
        )
    _apply_fair_values(fair, values)
    audit.record(actor.id, "fair.update", "fair", fair.id, title=fair.title)
    db.session.commit()
    return fair


def publish_fair(actor: User, fair_id: int) -> Fair:
    _require_organiser(actor)
    fair = get_fair(fair_id)
    if fair.status == FairStatus.PUBLISHED:
        return fair
    if fair.status == FairStatus.CLOSED:
        raise Conflict("已关闭的招聘会不能再次发布。", code="fair_closed")
    if fair.ends_at <= utcnow():
        raise DomainError("结束时间已过，不能发布。请先修改时间。", code="fair_over")
    fair.status = FairStatus.PUBLISHED
    audit.record(actor.id, "fair.publish", "fair", fair.id, title=fair.title)
    db.session.commit()
    return fair


def close_fair(actor: User, fair_id: int) -> Fair:
    _require_organiser(actor)
    fair = get_fair(fair_id)
    if fair.status == FairStatus.CLOSED:
        return fair
    previous = fair.status
    fair.status = FairStatus.CLOSED
    audit.record(
        actor.id, "fair.close", "fair", fair.id, title=fair.title, previous_status=previous
    )
    db.session.commit()
    return fair


def all_fairs() -> list[Fair]:
    return list(db.session.scalars(db.select(Fair).order_by(Fair.starts_at.desc(), Fair.id)))


def fair_counts(fair_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per fair: registrations and booths by status, in two grouped queries."""
    out = {
        i: {"registrations": 0, "pending": 0, "approved": 0, "declined": 0, "sessions": 0}
        for i in fair_ids
    }
    if not fair_ids:
        return out
    for fid, n in db.session.execute(
        db.select(FairRegistration.fair_id, func.count())
        .filter(FairRegistration.fair_id.in_(fair_ids))
        .group_by(FairRegistration.fair_id)
    ):
        out[fid]["registrations"] = n
    for fid, status, n in db.session.execute(
        db.select(Booth.fair_id, Booth.status, func.count())
        .filter(Booth.fair_id.in_(fair_ids))
        .group_by(Booth.fair_id, Booth.status)
    ):
        out[fid][status] = n
    for fid, n in db.session.execute(
        db.select(LiveSession.fair_id, func.count())
        .filter(LiveSession.fair_id.in_(fair_ids))
        .group_by(LiveSession.fair_id)
    ):
        out[fid]["sessions"] = n
    return out


def registration_count(fair_id: int) -> int:
    return (
        db.session.scalar(db.select(func.count(FairRegistration.id)).filter_by(fair_id=fair_id))
        or 0
    )


def registrations(actor: User, fair_id: int) -> tuple[Fair, list[dict], dict[str, int]]:
    """Registrants of a fair with their (consented) priority groups, and counts per group."""
    _require_organiser(actor)
    fair = get_fair(fair_id)
    rows = db.session.execute(
        db.select(FairRegistration, User, SeekerProfile)
        .join(User, User.id == FairRegistration.seeker_user_id)
        .outerjoin(SeekerProfile, SeekerProfile.user_id == User.id)
        .filter(FairRegistration.fair_id == fair.id)
        .order_by(FairRegistration.created_at, FairRegistration.id)
    ).all()
    out, by_group = [], {code: 0 for code in GROUP_CODES}
    for reg, user, profile in rows:
        groups = profile.group_codes if profile and profile.group_consent else []
        for g in groups:
            by_group[g] += 1
        out.append(
            {
                "id": reg.id,
                "user_id": user.id,
                "name": (profile.name if profile and profile.name else user.name),
                "phone": (profile.phone if profile and profile.phone else user.phone) or "",
                "groups": groups,
                "created_at": reg.created_at,
            }
        )
    return fair, out, {k: v for k, v in by_group.items() if v}


# --- fairs: public ------------------------------------------------------------------------


def public_fairs(now: datetime | None = None) -> dict[str, list[Fair]]:
    """Published and closed fairs split into ongoing, upcoming and past."""
    now = now or utcnow()
    fairs = db.session.scalars(
        db.select(Fair)
        .filter(Fair.status.in_([FairStatus.PUBLISHED, FairStatus.CLOSED]))
        .order_by(Fair.starts_at, Fair.id)
    ).all()
    out: dict[str, list[Fair]] = {"ongoing": [], "upcoming": [], "past": []}
    for fair in fairs:
        out[fair.phase(now)].append(fair)
    out["past"].reverse()  # most recent first
    return out


def approved_booths(fair: Fair) -> list[Booth]:
    return list(
        db.session.scalars(
            db.select(Booth)
            .join(Employer, Employer.id == Booth.employer_id)
            .filter(Booth.fair_id == fair.id, Booth.status == BoothStatus.APPROVED)
            .order_by(Employer.name, Booth.id)
        )
    )


def shown_positions(booth: Booth) -> list[Position]:
    """The booth's positions that are still published (a closed position disappears)."""
    return sorted(
        (
            link.position
            for link in booth.position_links
            if link.position.status == PositionStatus.PUBLISHED
        ),
        key=lambda p: p.id,
    )


def fair_sessions(fair: Fair) -> list[LiveSession]:
    return list(
        db.session.scalars(
            db.select(LiveSession)
            .filter_by(fair_id=fair.id)
            .order_by(LiveSession.starts_at, LiveSession.id)
        )
    )


def public_booth(fair_id: int, booth_id: int) -> tuple[Fair, Booth]:
    fair = public_fair_or_404(fair_id)
    booth = db.session.get(Booth, _id(booth_id))
    if booth is None or booth.fair_id != fair.id or booth.status != BoothStatus.APPROVED:
        raise NotFound("展位不存在。")
    return fair, booth


# --- registration -------------------------------------------------------------------------


def _require_seeker(user) -> None:
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以报名招聘会。")


def registration_of(user, fair_id: int) -> FairRegistration | None:
    if user is None or not user.is_authenticated or user.role != Role.SEEKER:
        return None
    return db.session.scalar(
        db.select(FairRegistration).filter_by(fair_id=fair_id, seeker_user_id=user.id)
    )


def eligibility_problem(user: User, fair: Fair) -> str | None:
    """Why this seeker may not register for an eligibility-restricted fair, or None."""
    if not fair.eligibility_group:
        return None
    label = GROUP_LABELS.get(fair.eligibility_group, fair.eligibility_group)
    profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=user.id))
    if profile and profile.group_consent and fair.eligibility_group in profile.group_codes:
        return None
    return f"本场招聘会仅面向{label}。如您属于该群体，请在“我的资料”中勾选并同意使用重点群体信息后再报名。"


def register(user: User, fair_id: int) -> FairRegistration:
    _require_seeker(user)
    fair = public_fair_or_404(fair_id)
    # Lock the fair row (PostgreSQL) so two last-seat registrations cannot both pass the
    # capacity check; SQLite writers are already serialised by BEGIN IMMEDIATE.
    db.session.execute(db.select(Fair.id).filter_by(id=fair.id).with_for_update())
    if fair.status != FairStatus.PUBLISHED or fair.phase(utcnow()) == "past":
        raise Conflict("本场招聘会已结束，不能报名。", code="fair_over")
    if registration_of(user, fair.id) is not None:
        raise Conflict("你已报名本场招聘会。", code="already_registered")
    problem = eligibility_problem(user, fair)
    if problem:
        raise Forbidden(problem)
    if fair.capacity is not None and registration_count(fair.id) >= fair.capacity:
        raise Conflict("本场招聘会报名人数已满。", code="fair_full")
    reg = FairRegistration(fair_id=fair.id, seeker_user_id=user.id)
    db.session.add(reg)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("你已报名本场招聘会。", code="already_registered") from None
    return reg


def unregister(user: User, fair_id: int) -> bool:
    """Cancel a registration; False when there was none (nothing to do)."""
    _require_seeker(user)
    fair = public_fair_or_404(fair_id)
    reg = registration_of(user, fair.id)
    if reg is None:
        return False
    if fair.phase(utcnow()) == "past":
        raise Conflict("招聘会已结束，不能取消报名。", code="fair_over")
    db.session.delete(reg)
    db.session.commit()
    return True


def my_fairs(user: User) -> list[Fair]:
    _require_seeker(user)
    return list(
        db.session.scalars(
            db.select(Fair)
            .join(FairRegistration, FairRegistration.fair_id == Fair.id)
            .filter(FairRegistration.seeker_user_id == user.id)
            .order_by(Fair.starts_at.desc(), Fair.id)
        )
    )


# --- booths: employer ---------------------------------------------------------------------


class BoothSchema(BaseSchema):
    position_ids = fields.List(
        fields.Integer(strict=False, error_messages={"invalid": "应为岗位编号。"}),
        load_default=list,
        error_messages={"invalid": "应为列表。"},
    )
    intro = Text(max_len=1000)
    chat_minutes = Int(min_value=1, max_value=60, load_default=10)


def _owner_employer(user: User) -> Employer:
    """The employer whose owner is acting; reps and employers without a profile are refused."""
    if user.role != Role.EMPLOYER:
        raise Forbidden()
    if is_extra_rep(user):
        raise Forbidden("招聘代表账号不能申请或修改展位，请联系本单位管理员。")
    employer = db.session.scalar(db.select(Employer).filter_by(user_id=user.id))
    if employer is None:
        raise DomainError("请先填写单位信息并通过审核，再申请展位。", code="no_profile")
    return employer


def own_published_positions(employer: Employer) -> list[Position]:
    return list(
        db.session.scalars(
            db.select(Position)
            .filter_by(employer_id=employer.id, status=PositionStatus.PUBLISHED)
            .order_by(Position.id)
        )
    )


def _booth_values(employer: Employer, data: dict, form: bool) -> dict:
    data = dict(data)
    if form and data.get("chat_minutes") in ("", None):
        data.pop("chat_minutes", None)
    values = _load(BoothSchema(), data, form=form)
    ids = sorted({i for i in values["position_ids"] if isinstance(i, int)})
    if not ids:
        raise DomainError(
            "请至少选择一个招聘中的岗位在展位展示。", fields={"position_ids": "请选择岗位"}
        )
    allowed = {p.id for p in own_published_positions(employer)}
    if any(i not in allowed for i in ids):
        raise DomainError(
            "只能展示本单位招聘中的岗位。", fields={"position_ids": "包含不可展示的岗位"}
        )
    values["position_ids"] = ids
    values["intro"] = values["intro"].strip()
    return values


def _set_positions(booth: Booth, ids: list[int]) -> None:
    keep = [link for link in booth.position_links if link.position_id in ids]
    have = {link.position_id for link in keep}
    booth.position_links = keep + [BoothPosition(position_id=i) for i in ids if i not in have]


def booth_of(employer_id: int, fair_id: int) -> Booth | None:
    return db.session.scalar(db.select(Booth).filter_by(fair_id=fair_id, employer_id=employer_id))


def apply_booth(user: User, fair_id: int, data: dict, *, form: bool = False) -> Booth:
    employer = _owner_employer(user)
    if not employer.is_verified:
        raise Forbidden("单位通过认证后才能申请展位。")
    fair = public_fair_or_404(fair_id)
    if fair.status != FairStatus.PUBLISHED or fair.phase(utcnow()) == "past":
        raise Conflict("本场招聘会已结束，不能申请展位。", code="fair_over")
    values = _booth_values(employer, data, form)
    booth = booth_of(employer.id, fair.id)
    if booth is not None and booth.status != BoothStatus.DECLINED:
        raise Conflict("本单位已申请过本场招聘会的展位。", code="booth_exists")
    if booth is None:
        booth = Booth(fair_id=fair.id, employer_id=employer.id)
        db.session.add(booth)
    booth.status = BoothStatus.PENDING
    booth.decline_reason = ""
    booth.decided_at = None
    booth.intro = values["intro"]
    booth.chat_minutes = values["chat_minutes"]
    _set_positions(booth, values["position_ids"])
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("本单位已申请过本场招聘会的展位。", code="booth_exists") from None
    return booth


def employer_booth(user: User, booth_id: int) -> Booth:
    """A booth of the user's employer (owner or rep); another employer's booth is 404."""
    employer = employer_of(user)
    booth = db.session.get(Booth, _id(booth_id))
    if employer is None or booth is None or booth.employer_id != employer.id:
        raise NotFound("展位不存在。")
    return booth


def update_booth(user: User, booth_id: int, data: dict, *, form: bool = False) -> Booth:
    employer = _owner_employer(user)
    booth = employer_booth(user, booth_id)
    if booth.status == BoothStatus.DECLINED:
        raise Conflict("展位申请未通过，请修改后重新提交申请。", code="booth_declined")
    if booth.fair.status == FairStatus.CLOSED or booth.fair.phase(utcnow()) == "past":
        raise Conflict("招聘会已结束，不能修改展位。", code="fair_over")
    values = _booth_values(employer, data, form)
    booth.intro = values["intro"]
    booth.chat_minutes = values["chat_minutes"]
    _set_positions(booth, values["position_ids"])
    db.session.commit()
    return booth


def employer_booths(user: User, *, approved_only: bool = False) -> list[Booth]:
    employer = employer_of(user)
    if employer is None:
        return []
    q = (
        db.select(Booth)
        .join(Fair, Fair.id == Booth.fair_id)
        .filter(Booth.employer_id == employer.id)
        .order_by(Fair.starts_at.desc(), Booth.id)
    )
    if approved_only:
        q = q.filter(Booth.status == BoothStatus.APPROVED)
    return list(db.session.scalars(q))


# --- booths: organiser --------------------------------------------------------------------


class DeclineSchema(BaseSchema):
    reason = Text(required=True, max_len=500)

    @validates("reason")
    def _reason(self, value, **_):
        if len(value.strip()) < 2:
            raise ValidationError("请填写未通过的原因（用人单位可以看到）。")


def fair_booths(actor: User, fair_id: int, status: str | None = None) -> list[Booth]:
    _require_organiser(actor)
    fair = get_fair(fair_id)
    q = db.select(Booth).filter_by(fair_id=fair.id)
    if status in set(BoothStatus):
        q = q.filter_by(status=status)
    return list(db.session.scalars(q.order_by(Booth.created_at, Booth.id)))


def _organiser_booth(booth_id: int) -> Booth:
    booth = db.session.get(Booth, _id(booth_id))
    if booth is None:
        raise NotFound("展位不存在。")
    return booth


def approve_booth(actor: User, booth_id: int) -> Booth:
    _require_organiser(actor)
    booth = _organiser_booth(booth_id)
    if booth.status == BoothStatus.APPROVED:
        return booth
    previous = booth.status
    booth.status = BoothStatus.APPROVED
    booth.decline_reason = ""
    booth.decided_at = utcnow()
    audit.record(
        actor.id,
        "booth.approve",
        "booth",
        booth.id,
        fair_id=booth.fair_id,
        employer=booth.employer.name,
        previous_status=previous,
    )
    db.session.commit()
    return booth


def decline_booth(actor: User, booth_id: int, data: dict, *, form: bool = False) -> Booth:
    _require_organiser(actor)
    booth = _organiser_booth(booth_id)
    values = _load(DeclineSchema(), data, form=form)
    previous = booth.status
    booth.status = BoothStatus.DECLINED
    booth.decline_reason = values["reason"].strip()
    booth.decided_at = utcnow()
    audit.record(
        actor.id,
        "booth.decline",
        "booth",
        booth.id,
        fair_id=booth.fair_id,
        employer=booth.employer.name,
        reason=booth.decline_reason,
        previous_status=previous,
    )
    db.session.commit()
    return booth


# --- live sessions: scheduling ------------------------------------------------------------

STREAM_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class SessionSchema(BaseSchema):
    title = Text(required=True, max_len=100)
    description = Text(max_len=2000)
    host_user_id = Int(required=True, min_value=1, max_value=MAX_ID)
    stream_url = Text(max_len=500)
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)
    employer_ids = fields.List(
        fields.Integer(strict=False, error_messages={"invalid": "应为单位编号。"}),
        load_default=list,
        error_messages={"invalid": "应为列表。"},
    )

    @validates("title")
    def _title(self, value, **_):
        if len(value.strip()) < 2:
            raise ValidationError("标题至少 2 个字。")

    @validates("stream_url")
    def _stream(self, value, **_):
        value = value.strip()
        if not value:
            return
        parts = urlsplit(value)
        if (
            not STREAM_URL_RE.match(value)
            or parts.scheme.lower() not in ("http", "https")
            or not parts.hostname
        ):
            raise ValidationError(
                "请填写以 http:// 或 https:// 开头的直播地址（HLS .m3u8、FLV 或直播平台的嵌入页面）。"
            )

    @validates_schema
    def _times(self, data, **_):
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            raise ValidationError("结束时间应晚于开始时间。", field_name="ends_at")


def organisers() -> list[User]:
    return list(
        db.session.scalars(
            db.select(User)
            .filter_by(role=Role.ORGANISER, status=UserStatus.ACTIVE)
            .order_by(User.id)
        )
    )


def _session_values(fair: Fair, data: dict, form: bool) -> dict:
    data = dict(data)
    if form and data.get("host_user_id") == "":
        data.pop("host_user_id")
    values = _load(SessionSchema(), data, form=form)
    host = db.session.get(User, values["host_user_id"])
    if host is None or host.role != Role.ORGANISER or host.status != UserStatus.ACTIVE:
        raise DomainError("主持人须为组织方账号。", fields={"host_user_id": "请选择组织方账号"})
    ids = sorted({i for i in values["employer_ids"]})
    allowed = {b.employer_id for b in approved_booths(fair)}
    if any(i not in allowed for i in ids):
        raise DomainError(
            "参与单位只能从本场已通过展位的单位中选择。",
            fields={"employer_ids": "包含未通过展位的单位"},
        )
    values["employer_ids"] = ids
    values["title"] = values["title"].strip()
    values["description"] = values["description"].strip()
    values["stream_url"] = values["stream_url"].strip()
    return values


def _apply_session(ls: LiveSession, values: dict) -> None:
    for key in ("title", "description", "host_user_id", "stream_url", "starts_at", "ends_at"):
        setattr(ls, key, values[key])
    keep = [link for link in ls.employer_links if link.employer_id in values["employer_ids"]]
    have = {link.employer_id for link in keep}
    ls.employer_links = keep + [
        LiveSessionEmployer(employer_id=i) for i in values["employer_ids"] if i not in have
    ]


def get_session(fair_id: int, session_id: int) -> LiveSession:
    ls = db.session.get(LiveSession, _id(session_id))
    if ls is None or ls.fair_id != fair_id:
        raise NotFound("直播场次不存在。")
    return ls


def create_session(actor: User, fair_id: int, data: dict, *, form: bool = False) -> LiveSession:
    _require_organiser(actor)
    fair = get_fair(fair_id)
    if fair.status == FairStatus.CLOSED:
        raise Conflict("已关闭的招聘会不能再安排直播。", code="fair_closed")
    values = _session_values(fair, data, form)
    ls = LiveSession(fair_id=fair.id, status=LiveSessionStatus.SCHEDULED)
    _apply_session(ls, values)
    db.session.add(ls)
    db.session.flush()
    audit.record(actor.id, "live_session.create", "live_session", ls.id, title=ls.title)
    db.session.commit()
    return ls


def update_session(
    actor: User,
    fair_id: int,
    session_id: int,
    data: dict,
    *,
    form: bool = False,
    partial: bool = False,
) -> LiveSession:
    _require_organiser(actor)
    fair = get_fair(fair_id)
    ls = get_session(fair.id, session_id)
    if ls.status != LiveSessionStatus.SCHEDULED:
        raise Conflict("直播已开始或已结束，不能修改安排。", code="session_started")
    if partial:
        data = {**session_form_values(ls, fair), **data}
    values = _session_values(fair, data, form)
    _apply_session(ls, values)
    audit.record(actor.id, "live_session.update", "live_session", ls.id, title=ls.title)
    db.session.commit()
    return ls


def delete_session(actor: User, fair_id: int, session_id: int) -> None:
    _require_organiser(actor)
    fair = get_fair(fair_id)
    ls = get_session(fair.id, session_id)
    if ls.status != LiveSessionStatus.SCHEDULED:
        raise Conflict("直播已开始或已结束，不能删除。", code="session_started")
    audit.record(actor.id, "live_session.delete", "live_session", ls.id, title=ls.title)
    db.session.delete(ls)
    db.session.commit()


def session_form_values(ls: LiveSession | None, fair: Fair) -> dict:
    if ls is None:
        return {
            "title": "",
            "description": "",
            "host_user_id": "",
            "stream_url": "",
            "starts_at": local_input(fair.starts_at),
            "ends_at": "",
            "employer_ids": [],
        }
    return {
        "title": ls.title,
        "description": ls.description,
        "host_user_id": ls.host_user_id or "",
        "stream_url": ls.stream_url,
        "starts_at": local_input(ls.starts_at),
        "ends_at": local_input(ls.ends_at),
        "employer_ids": ls.employer_ids,
    }


def fair_form_values(fair: Fair | None) -> dict:
    if fair is None:
        return {
            "title": "",
            "theme": "",
            "description": "",
            "starts_at": "",
            "ends_at": "",
            "capacity": "",
            "eligibility_group": "",
            "groups": [],
        }
    return {
        "title": fair.title,
        "theme": fair.theme,
        "description": fair.description,
        "starts_at": local_input(fair.starts_at),
        "ends_at": local_input(fair.ends_at),
        "capacity": fair.capacity or "",
        "eligibility_group": fair.eligibility_group or "",
        "groups": fair.group_codes,
    }


# --- reps ---------------------------------------------------------------------------------


class RepSchema(BaseSchema):
    phone = Text(required=True, max_len=11)
    name = Text(required=True, max_len=50)
    password = Text(required=True, max_len=128)

    @validates("phone")
    def _phone(self, value, **_):
        if not PHONE_RE.match(value.strip()):
            raise ValidationError("请填写 11 位手机号。")

    @validates("name")
    def _name(self, value, **_):
        if len(value.strip()) < 2:
            raise ValidationError("请填写招聘代表的姓名。")


def reps(user: User) -> list[EmployerRep]:
    employer = _owner_employer(user)
    return list(
        db.session.scalars(
            db.select(EmployerRep).filter_by(employer_id=employer.id).order_by(EmployerRep.id)
        )
    )


def create_rep(owner: User, data: dict, *, form: bool = False) -> EmployerRep:
    """A rep account with an initial password that must be changed at first login."""
    from jobfair.auth.services import check_password_policy

    employer = _owner_employer(owner)
    values = _load(RepSchema(), data, form=form)
    try:
        check_password_policy(values["password"])
    except DomainError as err:
        err.fields = {"password": err.message}
        raise
    count = db.session.scalar(
        db.select(func.count(EmployerRep.id)).filter_by(employer_id=employer.id)
    )
    if count >= MAX_REPS:
        raise Conflict(f"每家单位最多 {MAX_REPS} 个招聘代表账号。", code="too_many_reps")
    phone = values["phone"].strip()
    if db.session.scalar(db.select(User.id).filter_by(phone=phone)) is not None:
        raise Conflict("该手机号已注册，请换一个手机号。", code="phone_taken")
    user = User(
        role=Role.EMPLOYER,
        phone=phone,
        name=values["name"].strip(),
        password_hash=hash_password(values["password"]),
        must_change_password=True,
    )
    db.session.add(user)
    db.session.flush()
    rep = EmployerRep(employer_id=employer.id, user_id=user.id)
    db.session.add(rep)
    db.session.flush()
    audit.record(
        owner.id, "rep.create", "employer_rep", rep.id, employer_id=employer.id, user_id=user.id
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("该手机号已注册，请换一个手机号。", code="phone_taken") from None
    return rep


def remove_rep(owner: User, rep_id: int) -> None:
    """Remove a rep: the account is suspended and signed out everywhere at once."""
    employer = _owner_employer(owner)
    rep = db.session.get(EmployerRep, _id(rep_id))
    if rep is None or rep.employer_id != employer.id:
        raise NotFound("招聘代表不存在。")
    user = rep.user
    user_id = user.id
    user.status = UserStatus.SUSPENDED
    end_all_sessions(user)
    audit.record(
        owner.id, "rep.remove", "employer_rep", rep.id, employer_id=employer.id, user_id=user_id
    )
    db.session.delete(rep)
    db.session.commit()
    events.user_access_revoked.send(None, user_id=user_id)
