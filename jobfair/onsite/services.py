"""On-site fairs: QR check-in at booths, the staff kiosk for walk-ins, and claim codes.

Rules worth knowing:
- 到场 stays one row per person and fair (fairs.attendance); this module adds 展位到访
  (``BoothVisit``, one per person and booth). Both feed the fair's funnel (reports.funnel):
  on-site check-in at the door or a booth is 到场, a booth visit is 与用人单位接触.
- Booth check-in: the booth's staff (a rep of the booth's employer, or an organiser) scan
  the seeker's check-in QR code; or the seeker scans the QR code printed at the booth, which
  carries a signed token of that booth (a URL without the token records nothing, so a visit
  cannot be claimed from home). The booth QR opens the booth's positions and queue.
- Kiosk: organiser staff on a tablet register a walk-in seeker with paper consent through
  the window's walk-in service (casework.status.register_walk_in), in one transaction with
  the fair registration, on-site 到场 and, if a booth is chosen, a queue ticket. The person
  gets a one-time claim code (QR) to set a password on their own phone later.
- Claim codes: 8 characters, stored as a keyed hash, valid CLAIM_DAYS days, used once, and
  void after CLAIM_MAX_FAILURES wrong tries for that phone.
"""

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from jobfair import audit
from jobfair.auth.services import check_password_policy
from jobfair.casework.status import register_walk_in
from jobfair.employers.acting import employer_of
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.fairs import attendance
from jobfair.fairs.fairs import public_fair_or_404
from jobfair.fairs.registrations import register as register_for_fair
from jobfair.fairs.registrations import registration_of
from jobfair.ids import require_id
from jobfair.live import broadcasts
from jobfair.live.queries import waiting_ids
from jobfair.masking import mask_name
from jobfair.models.common import utcnow
from jobfair.models.fair import Booth, BoothStatus, Fair, FairRegistration
from jobfair.models.live import QueueEntry, QueueStatus
from jobfair.models.onsite import BoothVisit, ClaimCode
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import Role, User
from jobfair.security import hash_password
from jobfair.transactions import commit_or_conflict, conflict_as
from jobfair.validation import PHONE_RE

CLAIM_DAYS = 14
CLAIM_MAX_FAILURES = 5
BAD_CLAIM = "手机号或领取码不正确，或领取码已过期、已使用。请核对，或到现场服务台重新领取。"
BOOTH_QR_SALT = "jobfair-booth-qr"

for _action, _label in {
    "onsite.booth_checkin": "展位签到",
    "onsite.kiosk_register": "现场登记求职者",
    "onsite.kiosk_ticket": "现场取号",
    "onsite.claim": "领取账号（设置密码）",
}.items():
    audit.ACTION_LABELS.setdefault(_action, _label)


# --- booths -----------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=BOOTH_QR_SALT)


def booth_token(booth: Booth) -> str:
    return _serializer().dumps([booth.fair_id, booth.id])


def token_matches(booth: Booth, token: str | None) -> bool:
    try:
        return _serializer().loads(token or "") == [booth.fair_id, booth.id]
    except BadSignature:
        return False


def approved_booth(booth_id) -> Booth:
    booth = db.session.get(Booth, require_id(booth_id, "展位不存在。"))
    if booth is None or booth.status != BoothStatus.APPROVED or not booth.fair.is_public:
        raise NotFound("展位不存在。")
    return booth


def can_staff_booth(actor, booth: Booth) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.role == Role.ORGANISER:
        return True
    employer = employer_of(actor) if actor.role == Role.EMPLOYER else None
    return employer is not None and employer.id == booth.employer_id


def staff_booth(actor, booth_id) -> Booth:
    booth = approved_booth(booth_id)
    if not can_staff_booth(actor, booth):
        raise Forbidden("只有本展位的工作人员和组织方可以办理展位签到。")
    return booth


def _visit(booth: Booth, seeker_id: int, how: str, by: int | None) -> tuple[BoothVisit, bool]:
    row = db.session.scalar(
        db.select(BoothVisit).filter_by(booth_id=booth.id, seeker_user_id=seeker_id)
    )
    if row is not None:
        return row, False
    row = BoothVisit(
        fair_id=booth.fair_id, booth_id=booth.id, seeker_user_id=seeker_id, how=how, recorded_by=by
    )
    db.session.add(row)
    return row, True


def _display_name(user_id: int) -> str:
    profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=user_id))
    user = db.session.get(User, user_id)
    return (profile.name if profile and profile.name else "") or (user.name if user else "")


def booth_check_in(actor, booth_id, code) -> dict:
    """Booth staff scan a seeker's check-in code: 展位到访 and on-site 到场 (name masked)."""
    booth = staff_booth(actor, booth_id)
    attendance.check_open(booth.fair)
    reg = attendance.registration_by_code(booth.fair_id, code)
    attendance.mark_onsite(booth.fair_id, reg.seeker_user_id, actor.id)
    row, first = _visit(booth, reg.seeker_user_id, "staff", actor.id)
    audit.record(actor.id, "onsite.booth_checkin", "booth", booth.id, seeker=reg.seeker_user_id)
    commit_or_conflict("刚刚已签到，请刷新页面。", code="already_checked_in")
    return {
        "booth_id": booth.id,
        "name": mask_name(_display_name(reg.seeker_user_id)),
        "visited_at": row.visited_at,
        "first_time": first,
    }


def self_check_in(user: User, booth_id, token) -> tuple[BoothVisit, bool]:
    """The seeker scanned the booth's printed QR code (with its signed token)."""
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以在展位签到。")
    booth = approved_booth(booth_id)
    if not token_matches(booth, token):
        raise DomainError("请在现场扫描展位上的二维码签到。", code="bad_booth_token", status=403)
    fair = booth.fair
    attendance.check_open(fair)
    if fair.phase(utcnow()) != "ongoing":
        raise Conflict("招聘会还没有开始，开始后才能签到。", code="fair_not_ongoing")
    if registration_of(user, fair.id) is None:
        register_for_fair(user, fair.id)  # on site, scanning a booth is signing up for the fair
    attendance.mark_onsite(fair.id, user.id, None)
    row, first = _visit(booth, user.id, "booth_qr", None)
    commit_or_conflict("刚刚已签到，请刷新页面。", code="already_checked_in")
    return row, first


def booth_visit_counts(fair_id: int) -> dict[int, int]:
    rows = db.session.execute(
        db.select(BoothVisit.booth_id, db.func.count())
        .filter_by(fair_id=fair_id)
        .group_by(BoothVisit.booth_id)
    )
    return {booth_id: n for booth_id, n in rows}


# --- kiosk ------------------------------------------------------------------------------------


def kiosk_fair(actor, fair_id) -> Fair:
    if actor.role != Role.ORGANISER:
        raise Forbidden("现场服务台只供组织方工作人员使用。")
    fair = public_fair_or_404(fair_id)
    attendance.check_open(fair)
    return fair


def _enqueue(fair: Fair, booth_id, seeker_id: int) -> QueueEntry | None:
    """A queue ticket at a booth of this fair, inside the caller's transaction."""
    if not booth_id:
        return None
    booth = approved_booth(booth_id)
    if booth.fair_id != fair.id:
        raise DomainError("请选择本场招聘会的展位。", fields={"booth_id": "不是本场的展位"})
    if fair.phase(utcnow()) != "ongoing":
        raise Conflict("招聘会开始后才能取号排队。", code="fair_not_ongoing")
    entry = db.session.scalar(
        db.select(QueueEntry).where(
            QueueEntry.booth_id == booth.id,
            QueueEntry.seeker_user_id == seeker_id,
            QueueEntry.status.in_((QueueStatus.WAITING, QueueStatus.CALLED, QueueStatus.IN_CHAT)),
        )
    )
    if entry is None:
        entry = QueueEntry(booth_id=booth.id, seeker_user_id=seeker_id)
        db.session.add(entry)
    _visit(booth, seeker_id, "kiosk", None)
    return entry


def ticket(entry: QueueEntry | None) -> dict | None:
    """What the printed or shown ticket says: booth, employer, place in the queue."""
    if entry is None:
        return None
    waiting = waiting_ids(entry.booth_id)
    place = waiting.index(entry.id) + 1 if entry.id in waiting else None
    return {
        "entry_id": entry.id,
        "number": f"{entry.booth_id:02d}-{entry.id:04d}",
        "booth_id": entry.booth_id,
        "employer_name": entry.booth.employer.name,
        "place": place,
        "ahead": (place - 1) if place else 0,
        "joined_at": entry.joined_at,
    }


def _claim_digest(code: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"claim:{code}".encode(), hashlib.sha256).hexdigest()


def issue_claim_code(user: User, actor_id: int | None, fair_id: int | None = None) -> str:
    """A new one-time code for this account (earlier unused ones stop working)."""
    now = utcnow()
    for old in db.session.scalars(db.select(ClaimCode).filter_by(user_id=user.id, used_at=None)):
        old.expires_at = min(old.expires_at, now)
    code = attendance.new_code()
    db.session.add(
        ClaimCode(
            user_id=user.id,
            code_hash=_claim_digest(code),
            fair_id=fair_id,
            created_by=actor_id,
            expires_at=now + timedelta(days=CLAIM_DAYS),
        )
    )
    return code


def kiosk_register(actor, fair_id, data, *, form=False) -> dict:
    """Walk-in at the kiosk: account (paper consent), fair registration, 到场, ticket, claim."""
    fair = kiosk_fair(actor, fair_id)
    with conflict_as("该手机号已注册，请用“已报名的求职者取号”。", code="already_registered"):
        user = register_walk_in(actor, data, form=form, kiosk=True, commit=False)
        db.session.add(
            FairRegistration(
                fair_id=fair.id, seeker_user_id=user.id, checkin_code=attendance.new_code()
            )
        )
        db.session.flush()
        attendance.mark_onsite(fair.id, user.id, actor.id)
        entry = _enqueue(fair, (data or {}).get("booth_id"), user.id)
        code = issue_claim_code(user, actor.id, fair.id)
        audit.record(actor.id, "onsite.kiosk_register", "seeker", user.id, fair=fair.id)
        db.session.commit()
    if entry is not None:
        broadcasts.queue_changed(entry.booth)
    return {
        "user_id": user.id,
        "name": user.name,
        "fair_id": fair.id,
        "ticket": ticket(entry),
        "claim_code": code,
        "claim_expires_days": CLAIM_DAYS,
    }


def kiosk_ticket(actor, fair_id, code, booth_id) -> dict:
    """A registered seeker (check-in code) takes a queue ticket at the kiosk; 到场 recorded."""
    fair = kiosk_fair(actor, fair_id)
    reg = attendance.registration_by_code(fair.id, code)
    if not booth_id:
        raise DomainError("请选择要排队的展位。", fields={"booth_id": "请选择展位"})
    attendance.mark_onsite(fair.id, reg.seeker_user_id, actor.id)
    entry = _enqueue(fair, booth_id, reg.seeker_user_id)
    audit.record(actor.id, "onsite.kiosk_ticket", "seeker", reg.seeker_user_id, fair=fair.id)
    commit_or_conflict("刚刚已取号，请刷新页面。", code="already_queued")
    broadcasts.queue_changed(entry.booth)
    return {
        "name": mask_name(_display_name(reg.seeker_user_id)),
        "fair_id": fair.id,
        "ticket": ticket(entry),
    }


def kiosk_booths(fair: Fair) -> list[Booth]:
    return list(
        db.session.scalars(
            db.select(Booth)
            .filter_by(fair_id=fair.id, status=BoothStatus.APPROVED)
            .order_by(Booth.id)
        )
    )


# --- claim ------------------------------------------------------------------------------------


def claim_account(phone, code, password) -> User:
    """Set the password of a kiosk-registered account with its one-time code."""
    phone = "".join(str(phone or "").split())
    value = attendance.normalise_code(code)
    if not phone or not value:
        raise DomainError("请填写手机号和领取码。", fields={"phone": "必填", "code": "必填"})
    if not PHONE_RE.match(phone):
        # Not a number any account has; never looked up (PostgreSQL refuses a NUL in it).
        raise DomainError(BAD_CLAIM, code="bad_claim", status=422, fields={"code": "领取码不正确"})
    user = db.session.scalar(db.select(User).filter_by(phone=phone, role=Role.SEEKER))
    now = utcnow()
    active = []
    if user is not None:
        active = list(
            db.session.scalars(
                db.select(ClaimCode).where(
                    ClaimCode.user_id == user.id,
                    ClaimCode.used_at.is_(None),
                    ClaimCode.expires_at > now,
                    ClaimCode.failures < CLAIM_MAX_FAILURES,
                )
            )
        )
    found = next(
        (c for c in active if hmac.compare_digest(c.code_hash, _claim_digest(value))), None
    )
    if found is None:
        for c in active:
            c.failures += 1
        db.session.commit()
        raise DomainError(BAD_CLAIM, code="bad_claim", status=422, fields={"code": "领取码不正确"})
    check_password_policy(password or "", Role.SEEKER)
    found.used_at = now
    user.password_hash = hash_password(password)
    user.must_change_password = False
    audit.record(user.id, "onsite.claim", "user", user.id)
    db.session.commit()
    return user
