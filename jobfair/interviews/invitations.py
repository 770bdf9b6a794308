"""Employers invite seekers: to apply (from 推荐人才) or to come to their fair booth (from 推荐人才
or from the fair's registrations, before or during the fair).

Rules worth knowing:
- Only seekers the employer may already see are invited: those who chose to be discoverable
  (推荐人才), or, for a booth invitation, those registered for that booth's fair. The employer
  keeps seeing them masked (姓名、手机号 hidden) until they accept: accepting an invitation to
  apply is an application (which reveals them as any application does); accepting a booth
  invitation puts them in the booth's queue, where the desk shows them.
- The seeker sees the employer and the position or fair in the invitation itself.
- One pending invitation per employer, seeker and target (a database rule); at most
  DAILY_LIMIT invitations per employer per day.
"""

from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from jobfair.applications.services import apply, position_open
from jobfair.employers.acting import employer_of
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.fairs import registrations
from jobfair.formatting import fmt_dt, iso
from jobfair.ids import require_id
from jobfair.live import queues
from jobfair.live.access import rep_booth
from jobfair.live.desk import match_scores, profile_summary
from jobfair.masking import mask_name
from jobfair.models.application import Application, ApplicationOrigin, ApplicationStatus
from jobfair.models.common import EDUCATION_LABELS, utcnow
from jobfair.models.fair import Booth, BoothStatus, FairRegistration, FairStatus
from jobfair.models.interview import (
    INVITATION_KIND_LABELS,
    INVITATION_STATUS_LABELS,
    Invitation,
    InvitationKind,
    InvitationStatus,
)
from jobfair.models.live import ACTIVE_QUEUE, QueueEntry
from jobfair.models.position import Position
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import Role, User
from jobfair.notifications.services import notify
from jobfair.seekers.services import clean_text

DAILY_LIMIT = 100
K = InvitationKind
IS = InvitationStatus


def _acting_employer(user: User):
    if user.role != Role.EMPLOYER:
        raise Forbidden("只有用人单位可以邀请求职者。")
    employer = employer_of(user)
    if employer is None:
        raise DomainError("请先填写单位信息。", code="no_profile", status=422)
    return employer


def _profile(seeker_id: int) -> SeekerProfile | None:
    return db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker_id))


def _registered(seeker_id: int, fair_id: int) -> bool:
    return (
        db.session.scalar(
            db.select(FairRegistration.id).filter_by(fair_id=fair_id, seeker_user_id=seeker_id)
        )
        is not None
    )


def _own_booth(employer_id: int, booth_id) -> Booth:
    booth = db.session.get(Booth, require_id(booth_id, "展位不存在。"))
    if booth is None or booth.employer_id != employer_id:
        raise NotFound("展位不存在。")
    if booth.status != BoothStatus.APPROVED:
        raise Conflict("展位尚未通过审核，暂不能邀请求职者。", code="booth_not_approved")
    fair = booth.fair
    if fair.status != FairStatus.PUBLISHED or fair.phase(utcnow()) == "past":
        raise Conflict("招聘会已结束，不能再邀请。", code="fair_over")
    return booth


def invite(user: User, seeker_id, data: dict) -> Invitation:
    """Invite one seeker. data: kind (apply | queue), position_id (apply) or booth_id (queue),
    message (optional, ≤ 200 字). Commits."""
    employer = _acting_employer(user)
    kind = data.get("kind") or K.APPLY
    if not isinstance(kind, str) or kind not in set(K):
        raise DomainError("邀请类型无效。", code="validation_error", fields={"kind": "请选择"})
    message = clean_text(str(data.get("message") or ""))
    if len(message) > 200:
        raise DomainError(
            "邀请留言不能超过 200 个字。",
            code="validation_error",
            fields={"message": "不超过 200 字"},
        )
    # The target first: somebody else's position or booth is 404 whatever else is sent.
    position = booth = None
    if kind == K.APPLY:
        if not data.get("position_id"):
            raise DomainError("请选择邀请投递的岗位。", fields={"position_id": "请选择岗位"})
        position = db.session.get(Position, require_id(data.get("position_id"), "岗位不存在。"))
        if position is None or position.employer_id != employer.id:
            raise NotFound("岗位不存在。")
        if not position_open(position):
            raise Conflict("该岗位不在招聘中，不能邀请投递。", code="position_closed")
        target = f"position:{position.id}"
    else:
        if not data.get("booth_id"):
            raise DomainError("请选择展位。", fields={"booth_id": "请选择展位"})
        booth = _own_booth(employer.id, data.get("booth_id"))
        target = f"booth:{booth.id}"
    if not seeker_id:
        raise DomainError("请选择要邀请的求职者。", fields={"seeker_id": "请选择求职者"})
    seeker = db.session.get(User, require_id(seeker_id, "求职者不存在。"))
    if seeker is None or seeker.role != Role.SEEKER:
        raise NotFound("求职者不存在。")
    profile = _profile(seeker.id)
    discoverable = profile is not None and profile.discoverable
    # Only seekers this employer may already see: discoverable ones, or (booth) registered.
    if not (discoverable or (booth is not None and _registered(seeker.id, booth.fair_id))):
        raise NotFound("求职者不存在。")
    if position is not None:
        applied = db.session.scalar(
            db.select(Application.id).filter(
                Application.seeker_id == seeker.id,
                Application.position_id == position.id,
                Application.status != ApplicationStatus.WITHDRAWN,
            )
        )
        if applied is not None:
            raise Conflict("该求职者已投递这个岗位。", code="already_applied")
    since = utcnow() - timedelta(days=1)
    sent = db.session.scalar(
        db.select(func.count(Invitation.id)).filter(
            Invitation.employer_id == employer.id, Invitation.created_at >= since
        )
    )
    if sent >= DAILY_LIMIT:
        raise Conflict(
            f"每个单位每天最多发出 {DAILY_LIMIT} 份邀请，请明天再试。", code="too_many_invitations"
        )
    inv = Invitation(
        employer_id=employer.id,
        seeker_user_id=seeker.id,
        kind=kind,
        position_id=position.id if position else None,
        booth_id=booth.id if booth else None,
        target=target,
        message=message,
        created_by=user.id,
    )
    db.session.add(inv)
    if kind == K.APPLY:
        title = f"{employer.name}邀请你投递“{position.title}”"
    else:
        title = f"{employer.name}邀请你到“{booth.fair.title}”的展位面谈"
    notify(seeker.id, "invitation", title, message, "/me/invitations")
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(
            "已向这位求职者发出过同样的邀请，正在等待回复。", code="already_invited"
        ) from None
    return inv


def _seeker_invitation(user: User, invitation_id) -> Invitation:
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者本人可以回复邀请。")
    inv = db.session.get(Invitation, require_id(invitation_id, "邀请不存在。"))
    if inv is None or inv.seeker_user_id != user.id:
        raise NotFound("邀请不存在。")
    return inv


def _mark(inv: Invitation, status: str) -> None:
    result = db.session.execute(
        db.update(Invitation)
        .where(Invitation.id == inv.id, Invitation.status == IS.PENDING)
        .values(status=status, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict("这份邀请已经回复过了。", code="invitation_answered")
    db.session.expire(inv)


def respond(user: User, invitation_id, action: str) -> dict:
    """accept | decline. Accepting an invitation to apply applies with the profile; accepting a
    booth invitation registers for the fair when needed and, once the fair is on, queues.
    Returns {"invitation", "application_id"?, "queue_entry_id"?}."""
    inv = _seeker_invitation(user, invitation_id)
    if not isinstance(action, str) or action not in ("accept", "decline"):
        raise DomainError("操作无效。", code="validation_error", fields={"action": "请选择"})
    if inv.status != IS.PENDING:
        if (action == "accept") == (inv.status == IS.ACCEPTED):
            return {"invitation": inv}
        raise Conflict(
            f"这份邀请{INVITATION_STATUS_LABELS[inv.status]}，不能再更改。",
            code="invitation_answered",
        )
    out: dict = {"invitation": inv}
    if action == "decline":
        _mark(inv, IS.DECLINED)
        _tell_employer(inv, "一位求职者婉拒了邀请", _target_text(inv))
        db.session.commit()
        return out
    if inv.kind == K.APPLY:
        application, _ = apply(user, inv.position_id, {}, origin=ApplicationOrigin.INVITATION)
        out["application_id"] = application.id
        inv = db.session.get(Invitation, inv.id)
        _mark(inv, IS.ACCEPTED)
        name = _real_name(user.id)
        _tell_employer(inv, f"{name}接受邀请并投递了简历", _target_text(inv))
        db.session.commit()
        return out
    booth = inv.booth
    fair = booth.fair
    if fair.phase(utcnow()) == "past" or fair.status != FairStatus.PUBLISHED:
        raise Conflict("招聘会已结束。", code="fair_over")
    if not _registered(user.id, fair.id):
        registrations.register(user, fair.id)
    if fair.phase(utcnow()) == "ongoing":
        entry, _ = queues.join_queue(user, booth.id)
        out["queue_entry_id"] = entry.id
    inv = db.session.get(Invitation, inv.id)
    _mark(inv, IS.ACCEPTED)
    name = _real_name(user.id)
    when = "已在展位排队" if out.get("queue_entry_id") else "招聘会开始后会来展位"
    _tell_employer(inv, f"{name}接受了展位邀请", f"{_target_text(inv)}，{when}。")
    db.session.commit()
    out["invitation"] = inv
    return out


def join_accepted_queue(user: User, invitation_id) -> QueueEntry:
    """A booth invitation accepted before the fair: one click to queue once it is on."""
    inv = _seeker_invitation(user, invitation_id)
    if inv.kind != K.QUEUE or inv.status != IS.ACCEPTED:
        raise Conflict("请先接受展位邀请。", code="not_accepted")
    entry, _ = queues.join_queue(user, inv.booth_id)
    return entry


def _real_name(seeker_id: int) -> str:
    profile = _profile(seeker_id)
    return (profile.name if profile and profile.name else "") or "求职者"


def _target_text(inv: Invitation) -> str:
    if inv.kind == K.APPLY:
        return f"岗位：{inv.position.title}"
    return f"招聘会：{inv.booth.fair.title}"


def _tell_employer(inv: Invitation, title: str, body: str) -> None:
    to = {inv.created_by, inv.employer.user_id} - {None}
    link = f"/live/booths/{inv.booth_id}/desk" if inv.kind == K.QUEUE else "/employer/invitations"
    for uid in sorted(to):
        notify(uid, "invitation", title, body, link)


def cancel(user: User, invitation_id) -> Invitation:
    employer = _acting_employer(user)
    inv = db.session.get(Invitation, require_id(invitation_id, "邀请不存在。"))
    if inv is None or inv.employer_id != employer.id:
        raise NotFound("邀请不存在。")
    if inv.status != IS.PENDING:
        raise Conflict("这份邀请已经回复过了，不能撤回。", code="invitation_answered")
    _mark(inv, IS.CANCELLED)
    db.session.commit()
    return inv


# --- reading -----------------------------------------------------------------------------


def _booth_open_now(inv: Invitation) -> bool:
    if inv.kind != K.QUEUE:
        return False
    fair = inv.booth.fair
    return fair.status == FairStatus.PUBLISHED and fair.phase(utcnow()) == "ongoing"


def invitation_dict(inv: Invitation, *, for_seeker: bool) -> dict:
    out = {
        "id": inv.id,
        "kind": inv.kind,
        "kind_label": INVITATION_KIND_LABELS[inv.kind],
        "status": inv.status,
        "status_label": INVITATION_STATUS_LABELS[inv.status],
        "message": inv.message,
        "created_at": iso(inv.created_at),
        "answered_at": iso(inv.answered_at),
        "position": {"id": inv.position.id, "title": inv.position.title} if inv.position else None,
        "fair": (
            {
                "id": inv.booth.fair_id,
                "title": inv.booth.fair.title,
                "starts_at": iso(inv.booth.fair.starts_at),
                "starts_at_local": fmt_dt(inv.booth.fair.starts_at),
            }
            if inv.booth
            else None
        ),
        "booth_id": inv.booth_id,
    }
    if for_seeker:
        out["employer"] = {"id": inv.employer_id, "name": inv.employer.name}
        out["can_answer"] = inv.status == IS.PENDING
        out["can_queue"] = inv.status == IS.ACCEPTED and _booth_open_now(inv)
    else:
        profile = _profile(inv.seeker_user_id)
        name = profile.name if profile and profile.name else ""
        revealed = inv.status == IS.ACCEPTED
        out["seeker"] = {
            "id": inv.seeker_user_id,
            "name": (name or "求职者") if revealed else (mask_name(name) or "求职者"),
            "education": EDUCATION_LABELS.get(profile.education, "") if profile else "",
        }
        out["can_cancel"] = inv.status == IS.PENDING
    return out


def seeker_invitations(user: User) -> list[Invitation]:
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以查看收到的邀请。")
    return list(
        db.session.scalars(
            db.select(Invitation)
            .filter_by(seeker_user_id=user.id)
            .filter(Invitation.status != IS.CANCELLED)
            .order_by(Invitation.status != IS.PENDING, Invitation.id.desc())
            .limit(200)
        )
    )


def employer_invitations(user: User) -> list[Invitation]:
    employer = _acting_employer(user)
    return list(
        db.session.scalars(
            db.select(Invitation)
            .filter_by(employer_id=employer.id)
            .order_by(Invitation.id.desc())
            .limit(300)
        )
    )


def pending_for(employer_id: int, target: str) -> dict[int, str]:
    """{seeker id: status} of this employer's invitations to one target (for list buttons)."""
    rows = db.session.execute(
        db.select(Invitation.seeker_user_id, Invitation.status)
        .filter_by(employer_id=employer_id, target=target)
        .filter(Invitation.status.in_((IS.PENDING, IS.ACCEPTED)))
    ).all()
    return {sid: st for sid, st in rows}


def invite_booths(user: User, position: Position) -> list[Booth]:
    """The employer's approved booths at fairs not yet over that show this position."""
    employer = employer_of(user)
    if employer is None or position.employer_id != employer.id:
        return []
    booths = db.session.scalars(
        db.select(Booth).filter_by(employer_id=employer.id, status=BoothStatus.APPROVED)
    ).all()
    now = utcnow()
    return [
        b
        for b in booths
        if b.fair.status == FairStatus.PUBLISHED
        and b.fair.phase(now) != "past"
        and position.id in b.position_ids
    ]


def registered_candidates(user: User, booth_id) -> dict:
    """The booth's fair registrations, masked, with match scores and invitation state (the
    rep's pre-fair invitation list). Those already queueing here are marked."""
    booth = rep_booth(user, booth_id)
    regs = list(
        db.session.scalars(
            db.select(FairRegistration)
            .filter_by(fair_id=booth.fair_id)
            .order_by(FairRegistration.id)
            .limit(300)
        )
    )
    ids = [r.seeker_user_id for r in regs]
    scores = match_scores(ids, booth.position_ids)
    invited = pending_for(booth.employer_id, f"booth:{booth.id}")
    queued = set(
        db.session.scalars(
            db.select(QueueEntry.seeker_user_id).filter(
                QueueEntry.booth_id == booth.id,
                QueueEntry.status.in_(ACTIVE_QUEUE),
                QueueEntry.seeker_user_id.in_(ids or [0]),
            )
        )
    )
    rows = []
    for sid in ids:
        p = profile_summary(sid)
        rows.append(
            {
                "seeker_id": sid,
                "name": mask_name(p["name"]) or "求职者",
                "education": p["education"],
                "major": p["major"],
                "skills": p["skills"],
                "score": scores.get(sid),
                "invitation": invited.get(sid),
                "invitation_label": INVITATION_STATUS_LABELS.get(invited.get(sid), ""),
                "queued": sid in queued,
            }
        )
    rows.sort(key=lambda r: (-(r["score"] or -1), r["seeker_id"]))
    return {"booth": booth, "fair": booth.fair, "candidates": rows}
