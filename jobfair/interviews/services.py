"""Scheduled interviews (面试安排): the employer arranges, the seeker answers, both are reminded.

Rules worth knowing:
- An arrangement belongs to one application of the employer; one open arrangement (待确认,
  已确认 or 申请改期) per application is a database rule. Arranging moves the application to
  邀请面试 first (via 已查看 when new).
- The employer's owner account and its booth reps may arrange and change; only the seeker
  answers: accept, decline, or ask for another time (with the times that suit them). The
  employer answers a request for another time by proposing a new time (the same row changes,
  the .ics SEQUENCE goes up) or by cancelling.
- Every change writes one timeline entry on the application, attributed to whoever acted, with
  their own words as its note, and one notification for the other side.
- 平台视频 interviews are keyed by the interview id: ``video_room(iv)`` is the name the video
  feature joins both parties to.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from marshmallow import ValidationError, validates_schema
from sqlalchemy.exc import IntegrityError

from jobfair.applications.services import add_timeline_entry, advance_to_interview
from jobfair.employers.acting import employer_of
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.fairs.schemas import LocalDateTime
from jobfair.formatting import fmt_dt, iso
from jobfair.ids import require_id
from jobfair.models.application import Application, ApplicationStatus
from jobfair.models.common import utcnow
from jobfair.models.interview import (
    INTERVIEW_MODE_LABELS,
    INTERVIEW_STATUS_LABELS,
    OPEN_INTERVIEW,
    SEEKER_INTERVIEW_STATUS_LABELS,
    InterviewMode,
    InterviewStatus,
    ScheduledInterview,
)
from jobfair.models.position import Position
from jobfair.models.user import Role, User
from jobfair.notifications.services import notify
from jobfair.seekers.services import clean_text, get_profile
from jobfair.validation import PHONE_RE, BaseSchema, Choice, Int, Text, load

ST = InterviewStatus
MIN_LEAD = timedelta(minutes=5)  # an interview is arranged for later, not for the past
MAX_AHEAD = timedelta(days=180)
REMINDER_LEAD = timedelta(hours=2)  # the reminder goes out this long before the start
FORM_LABELS = {
    "starts_at": "面试时间",
    "minutes": "预计时长",
    "mode": "面试方式",
    "place": "面试地点",
    "video_url": "视频会议链接",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "note": "补充说明",
    "message": "留言",
    "action": "操作",
}
_TEL_CHARS = set("0123456789-+ ()转")


def video_room(iv: ScheduledInterview) -> str:
    """The signalling room of a 平台视频 interview (the video feature's hook)."""
    return f"interview:{iv.id}"


class PlanSchema(BaseSchema):
    starts_at = LocalDateTime(required=True)
    minutes = Int(min_value=10, max_value=480, load_default=30)
    mode = Choice(list(InterviewMode), required=True, labels=INTERVIEW_MODE_LABELS)
    place = Text(max_len=200)
    video_url = Text(max_len=500)
    contact_name = Text(max_len=30, required=True, min_len=1)
    contact_phone = Text(max_len=20, required=True, min_len=1)
    note = Text(max_len=500)

    @validates_schema
    def _consistent(self, data, **_kw):
        mode = data.get("mode")
        if mode == InterviewMode.ONSITE and not (data.get("place") or "").strip():
            raise ValidationError("现场面试请填写面试地点。", field_name="place")
        if mode == InterviewMode.VIDEO_LINK:
            url = (data.get("video_url") or "").strip()
            parts = urlsplit(url)
            if (
                parts.scheme not in ("http", "https")
                or not parts.netloc
                or any(c.isspace() or ord(c) < 32 for c in url)
            ):
                raise ValidationError(
                    "请填写以 https:// 开头的视频会议链接。", field_name="video_url"
                )
        phone = (data.get("contact_phone") or "").strip()
        if phone and not (PHONE_RE.match(phone) or (set(phone) <= _TEL_CHARS and len(phone) >= 7)):
            raise ValidationError(
                "请填写正确的联系电话（手机号或座机号）。", field_name="contact_phone"
            )


def clean_plan(data: dict, *, form: bool = False) -> dict:
    """Validate an arrangement (time, way, contact) without touching the database."""
    values = load(PlanSchema(), data, form=form, labels=FORM_LABELS)
    now = utcnow()
    if values["starts_at"] < now + MIN_LEAD:
        raise DomainError(
            "面试时间应晚于现在。", code="validation_error", fields={"starts_at": "应晚于现在"}
        )
    if values["starts_at"] > now + MAX_AHEAD:
        raise DomainError(
            "面试时间不能晚于半年以后。",
            code="validation_error",
            fields={"starts_at": "不能晚于半年以后"},
        )
    for key in ("place", "video_url", "contact_name", "contact_phone", "note"):
        values[key] = clean_text(values.get(key) or "")
    if values["mode"] != InterviewMode.ONSITE:
        values["place"] = values["place"] if values["mode"] == InterviewMode.PLATFORM else ""
    if values["mode"] != InterviewMode.VIDEO_LINK:
        values["video_url"] = ""
    return values


# --- access ------------------------------------------------------------------------------


def _employer_side(user: User, employer_id: int) -> bool:
    if user.role != Role.EMPLOYER:
        return False
    employer = employer_of(user)
    return employer is not None and employer.id == employer_id


def employer_application(user: User, application_id) -> Application:
    """An application to one of the positions of the employer the user acts for (owner or
    booth rep); anything else is 404."""
    if user.role != Role.EMPLOYER:
        raise Forbidden("只有用人单位可以安排面试。")
    employer = employer_of(user)
    app = db.session.get(Application, require_id(application_id, "投递记录不存在。"))
    if employer is None or app is None or app.position.employer_id != employer.id:
        raise NotFound("投递记录不存在。")
    return app


def interview_for(user: User, interview_id) -> ScheduledInterview:
    """An interview the user is a party to (its seeker, or its employer's owner or reps)."""
    iv = db.session.get(ScheduledInterview, require_id(interview_id, "面试安排不存在。"))
    if iv is None:
        raise NotFound("面试安排不存在。")
    if user.id == iv.seeker_user_id or _employer_side(user, iv.employer_id):
        return iv
    raise NotFound("面试安排不存在。")


def _seeker_interview(user: User, interview_id) -> ScheduledInterview:
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者本人可以回复面试邀请。")
    iv = interview_for(user, interview_id)
    if iv.seeker_user_id != user.id:
        raise NotFound("面试安排不存在。")
    return iv


def _employer_interview(user: User, interview_id) -> ScheduledInterview:
    if user.role != Role.EMPLOYER:
        raise Forbidden("只有用人单位可以修改面试安排。")
    return interview_for(user, interview_id)


# --- texts -------------------------------------------------------------------------------


def where_text(iv: ScheduledInterview) -> str:
    if iv.mode == InterviewMode.ONSITE:
        return f"现场面试，地点：{iv.place}"
    if iv.mode == InterviewMode.VIDEO_LINK:
        return f"视频面试，链接：{iv.video_url}"
    return "平台视频面试（到时在本平台打开面试页面即可）"


def summary(iv: ScheduledInterview) -> str:
    """One line a seeker can act on: when, where, whom to call."""
    return (
        f"{fmt_dt(iv.starts_at)}（北京时间，约 {iv.minutes} 分钟），{where_text(iv)}；"
        f"联系人 {iv.contact_name} {iv.contact_phone}"
    )


def _seeker_link() -> str:
    return "/me/interviews"


def _employer_link(iv: ScheduledInterview) -> str:
    return f"/employer/interviews#interview-{iv.id}"


def _tell_employer(iv: ScheduledInterview, title: str, body: str) -> None:
    """The person who arranged it, and the company's owner account."""
    to = {iv.created_by, iv.employer.user_id} - {None}
    for uid in sorted(to):
        notify(uid, "interview", title, body, _employer_link(iv))


# --- employer side -----------------------------------------------------------------------


def _apply_plan(iv: ScheduledInterview, values: dict) -> None:
    iv.starts_at = values["starts_at"]
    iv.minutes = values["minutes"]
    iv.mode = values["mode"]
    iv.place = values["place"]
    iv.video_url = values["video_url"]
    iv.contact_name = values["contact_name"]
    iv.contact_phone = values["contact_phone"]
    iv.note = values["note"]


def schedule(
    user: User, application_id, data: dict, *, form: bool = False, chat_id: int | None = None
) -> ScheduledInterview:
    """Arrange an interview for an application of the user's employer. Commits."""
    app = employer_application(user, application_id)
    values = clean_plan(data, form=form)
    if app.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED):
        raise Conflict("该投递已结束，不能安排面试。", code="application_closed")
    if _open_of(app.id) is not None:
        raise Conflict(
            "这份投递已有待进行的面试安排，请在原安排上改期或取消。", code="open_interview"
        )
    if app.status != ApplicationStatus.INTERVIEW:
        app = advance_to_interview(app, user, "")
    iv = ScheduledInterview(
        application_id=app.id,
        seeker_user_id=app.seeker_id,
        employer_id=app.position.employer_id,
        created_by=user.id,
        chat_id=chat_id,
        status=ST.PROPOSED,
    )
    _apply_plan(iv, values)
    employer_name, title, text = app.position.employer.name, app.position.title, summary(iv)
    try:
        # Inside the try: the insert may meet the one-open-arrangement rule at any flush.
        db.session.add(iv)
        db.session.flush()
        add_timeline_entry(app, "interview_proposed", user, text + _with_note(iv.note))
        notify(
            app.seeker_id,
            "interview",
            f"{employer_name}邀请你面试",
            f"岗位：{title}。{text}。请确认是否参加。",
            _seeker_link(),
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(
            "这份投递已有待进行的面试安排，请在原安排上改期或取消。", code="open_interview"
        ) from None
    return iv


def _with_note(note: str) -> str:
    return f"。说明：{note}" if note else ""


def _open_of(application_id: int) -> ScheduledInterview | None:
    return db.session.scalar(
        db.select(ScheduledInterview).filter(
            ScheduledInterview.application_id == application_id,
            ScheduledInterview.status.in_(OPEN_INTERVIEW),
        )
    )


def _guarded(iv: ScheduledInterview, allowed: tuple, values: dict) -> None:
    """Change the row only if its status is still one of ``allowed`` (two tabs, two people)."""
    values = {**values, "updated_at": utcnow(), "revision": ScheduledInterview.revision + 1}
    result = db.session.execute(
        db.update(ScheduledInterview)
        .where(ScheduledInterview.id == iv.id, ScheduledInterview.status.in_(allowed))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict("面试安排刚刚发生了变化，请刷新页面后再试。", code="stale_interview")
    db.session.expire(iv)


def propose_new_time(user: User, interview_id, data: dict, *, form: bool = False):
    """The employer changes the arrangement (its answer to a request for another time, or its
    own change): the seeker is asked to confirm again and will be reminded again."""
    iv = _employer_interview(user, interview_id)
    values = clean_plan(data, form=form)
    if iv.status not in OPEN_INTERVIEW:
        raise Conflict("该面试安排已结束，不能再改期。", code="interview_closed")
    _guarded(
        iv,
        OPEN_INTERVIEW,
        {
            **{k: values[k] for k in ("starts_at", "minutes", "mode", "place", "video_url")},
            "contact_name": values["contact_name"],
            "contact_phone": values["contact_phone"],
            "note": values["note"],
            "status": ST.PROPOSED,
            "reminded_at": None,
        },
    )
    app = iv.application
    add_timeline_entry(app, "interview_changed", user, summary(iv) + _with_note(iv.note))
    notify(
        iv.seeker_user_id,
        "interview",
        f"{iv.employer.name}调整了面试时间",
        f"岗位：{app.position.title}。新的安排：{summary(iv)}。请重新确认。",
        _seeker_link(),
    )
    db.session.commit()
    return iv


def cancel(user: User, interview_id, reason: str = "") -> ScheduledInterview:
    iv = _employer_interview(user, interview_id)
    reason = clean_text(str(reason or ""))[:200]
    if iv.status not in OPEN_INTERVIEW:
        raise Conflict("该面试安排已结束。", code="interview_closed")
    _guarded(iv, OPEN_INTERVIEW, {"status": ST.CANCELLED})
    app = iv.application
    add_timeline_entry(app, "interview_cancelled", user, reason)
    notify(
        iv.seeker_user_id,
        "interview",
        f"{iv.employer.name}取消了面试",
        f"岗位：{app.position.title}，原定 {fmt_dt(iv.starts_at)}。"
        + (f"单位说明：{reason}" if reason else ""),
        _seeker_link(),
    )
    db.session.commit()
    return iv


# --- seeker side -------------------------------------------------------------------------

ANSWERS = {"accept": ST.ACCEPTED, "decline": ST.DECLINED, "reschedule": ST.RESCHEDULE}
ANSWER_LABELS = {"accept": "确认参加", "decline": "婉拒", "reschedule": "申请改期"}


class AnswerSchema(BaseSchema):
    action = Choice(list(ANSWERS), required=True, labels=ANSWER_LABELS)
    message = Text(max_len=500)


def respond(user: User, interview_id, data: dict, *, form: bool = False) -> ScheduledInterview:
    """The seeker accepts, declines or asks for another time (saying which times suit)."""
    iv = _seeker_interview(user, interview_id)
    values = load(AnswerSchema(), data, form=form, labels=FORM_LABELS)
    action, message = values["action"], clean_text(values["message"])
    if action == "reschedule" and not message:
        raise DomainError(
            "申请改期请写明你方便的时间。",
            code="validation_error",
            fields={"message": "请写明方便的时间"},
        )
    allowed = {
        "accept": (ST.PROPOSED,),
        "decline": (ST.PROPOSED, ST.ACCEPTED, ST.RESCHEDULE),
        "reschedule": (ST.PROPOSED, ST.ACCEPTED),
    }[action]
    if iv.status not in allowed:
        if iv.status == ANSWERS[action]:
            return iv  # the same answer twice (a double click) changes nothing
        raise Conflict(
            f"该面试安排当前为“{SEEKER_INTERVIEW_STATUS_LABELS[iv.status]}”，"
            f"不能{ANSWER_LABELS[action]}。",
            code="interview_closed",
        )
    if action == "accept" and iv.starts_at <= utcnow():
        raise Conflict("面试时间已过，请联系招聘方重新安排。", code="interview_past")
    _guarded(
        iv, allowed, {"status": ANSWERS[action], "seeker_reply": message, "replied_at": utcnow()}
    )
    app = iv.application
    add_timeline_entry(app, f"interview_{ANSWERS[action]}", user, message)
    seeker_name = _seeker_name(iv)
    title = {
        "accept": f"{seeker_name}确认参加面试",
        "decline": f"{seeker_name}婉拒了面试",
        "reschedule": f"{seeker_name}申请改期",
    }[action]
    body = f"岗位：{app.position.title}，原定 {fmt_dt(iv.starts_at)}。"
    if message:
        body += f"求职者留言：{message}"
    if action == "reschedule":
        body += " 请在“面试安排”中提出新的时间。"
    _tell_employer(iv, title, body)
    db.session.commit()
    return iv


def _seeker_name(iv: ScheduledInterview) -> str:
    profile = get_profile(iv.seeker)
    return (profile.name if profile is not None and profile.name else "") or "求职者"


# --- reading -----------------------------------------------------------------------------


def seeker_interviews(user: User) -> list[ScheduledInterview]:
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以查看自己的面试安排。")
    return list(
        db.session.scalars(
            db.select(ScheduledInterview)
            .filter_by(seeker_user_id=user.id)
            .order_by(ScheduledInterview.starts_at.desc(), ScheduledInterview.id.desc())
            .limit(200)
        )
    )


def employer_interviews(user: User, *, upcoming_only: bool = False) -> list[ScheduledInterview]:
    if user.role != Role.EMPLOYER:
        raise Forbidden("只有用人单位可以查看本单位的面试安排。")
    employer = employer_of(user)
    if employer is None:
        return []
    q = db.select(ScheduledInterview).filter_by(employer_id=employer.id)
    if upcoming_only:
        q = q.filter(
            ScheduledInterview.status.in_(OPEN_INTERVIEW),
            ScheduledInterview.starts_at >= utcnow() - timedelta(hours=2),
        )
    return list(
        db.session.scalars(
            q.order_by(ScheduledInterview.starts_at, ScheduledInterview.id).limit(200)
        )
    )


def of_application(application_id: int) -> list[ScheduledInterview]:
    return list(
        db.session.scalars(
            db.select(ScheduledInterview)
            .filter_by(application_id=application_id)
            .order_by(ScheduledInterview.id.desc())
        )
    )


def employer_party(iv: ScheduledInterview) -> int:
    """Who takes a 平台视频 call for the employer: the person who arranged it, else the owner."""
    return iv.created_by or iv.employer.user_id


def interview_dict(iv: ScheduledInterview, *, viewer: User | None = None) -> dict:
    app = iv.application
    position: Position = app.position
    out = {
        "id": iv.id,
        "application_id": iv.application_id,
        "status": iv.status,
        "status_label": INTERVIEW_STATUS_LABELS.get(iv.status, iv.status),
        "starts_at": iso(iv.starts_at),
        "starts_at_local": fmt_dt(iv.starts_at),
        "minutes": iv.minutes,
        "mode": iv.mode,
        "mode_label": INTERVIEW_MODE_LABELS.get(iv.mode, iv.mode),
        "place": iv.place,
        "video_url": iv.video_url or None,
        "video_room": video_room(iv) if iv.mode == InterviewMode.PLATFORM else None,
        "contact_name": iv.contact_name,
        "contact_phone": iv.contact_phone,
        "note": iv.note,
        "seeker_reply": iv.seeker_reply,
        "replied_at": iso(iv.replied_at),
        "position": {"id": position.id, "title": position.title},
        "employer": {"id": iv.employer_id, "name": iv.employer.name},
        "ics_url": f"/interviews/{iv.id}.ics",
        "revision": iv.revision,
    }
    if viewer is not None and iv.mode == InterviewMode.PLATFORM:
        # Colleagues see the interview but only its two parties can open the call.
        out["joins_video"] = viewer.id in (iv.seeker_user_id, employer_party(iv))
    if viewer is not None and viewer.role == Role.SEEKER:
        out["status_label"] = SEEKER_INTERVIEW_STATUS_LABELS.get(iv.status, out["status_label"])
        out["can_accept"] = iv.status == ST.PROPOSED and iv.starts_at > utcnow()
        out["can_decline"] = iv.status in OPEN_INTERVIEW
        out["can_reschedule"] = iv.status in (ST.PROPOSED, ST.ACCEPTED)
    if viewer is not None and viewer.role == Role.EMPLOYER:
        out["can_change"] = iv.status in OPEN_INTERVIEW
    return out


# --- reminders ---------------------------------------------------------------------------


def send_due_reminders(now=None) -> int:
    """Remind both sides of each confirmed (or still unanswered) interview that starts within
    REMINDER_LEAD. Once per arrangement: a new time resets it. Commits; returns how many."""
    now = now or utcnow()
    due = list(
        db.session.scalars(
            db.select(ScheduledInterview)
            .filter(
                ScheduledInterview.status.in_((ST.ACCEPTED, ST.PROPOSED)),
                ScheduledInterview.reminded_at.is_(None),
                ScheduledInterview.starts_at > now,
                ScheduledInterview.starts_at <= now + REMINDER_LEAD,
            )
            .order_by(ScheduledInterview.starts_at, ScheduledInterview.id)
            .limit(500)
        )
    )
    sent = 0
    for iv in due:
        marked = db.session.execute(
            db.update(ScheduledInterview)
            .where(ScheduledInterview.id == iv.id, ScheduledInterview.reminded_at.is_(None))
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if marked.rowcount != 1:
            continue
        app = iv.application
        ask = "" if iv.status == ST.ACCEPTED else "你还没有确认是否参加，请尽快回复。"
        notify(
            iv.seeker_user_id,
            "interview",
            f"面试提醒：{fmt_dt(iv.starts_at, '%H:%M')} {iv.employer.name}",
            f"岗位：{app.position.title}。{summary(iv)}。{ask}",
            _seeker_link(),
        )
        _tell_employer(
            iv,
            f"面试提醒：{fmt_dt(iv.starts_at, '%H:%M')} {_seeker_name(iv)}",
            f"岗位：{app.position.title}。{summary(iv)}。"
            + ("求职者已确认参加。" if iv.status == ST.ACCEPTED else "求职者尚未确认。"),
        )
        sent += 1
    db.session.commit()
    return sent
