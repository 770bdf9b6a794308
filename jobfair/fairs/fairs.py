"""Fairs themselves: the organiser's create / edit / publish / close, listings and counts.

Rules worth knowing (for the whole fairs package):
- A fair is visible to the public once published, and stays readable after it is closed.
  Drafts are seen by organisers only (the rule is ``Fair.is_public``).
- Booths: the employer owner (not a rep) of a verified employer applies, choosing which of
  its *published* positions to show. A declined booth can be applied for again (it goes back
  to pending). Positions can be changed while the booth is pending or approved.
- Registration: seekers only, fair published and not over, capacity respected, and when a
  fair has an eligibility group only seekers who consented to store that group may register.
- Live sessions are scheduled here; the live layer starts and ends them. Only a scheduled
  session can be edited or deleted.
- Reps (extra employer accounts that staff the booths) live in jobfair.employers.reps.
"""

from datetime import datetime

from sqlalchemy import func

from jobfair import audit
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.fairs.schemas import FairSchema, fair_input, load_fair_input, local_input
from jobfair.ids import require_id
from jobfair.models.common import utcnow
from jobfair.models.fair import (
    Booth,
    Fair,
    FairGroup,
    FairRegistration,
    FairStatus,
    LiveSession,
)
from jobfair.models.user import Role, User

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
}.items():
    audit.ACTION_LABELS.setdefault(_action, _label)
for _kind, _label in {"fair": "招聘会", "booth": "展位", "live_session": "直播带岗"}.items():
    audit.OBJECT_LABELS.setdefault(_kind, _label)


def require_organiser(user) -> None:
    if user.role != Role.ORGANISER:
        raise Forbidden()


# --- reads ---------------------------------------------------------------------------------


def get_fair(fair_id: int) -> Fair:
    fair = db.session.get(Fair, require_id(fair_id))
    if fair is None:
        raise NotFound("招聘会不存在。")
    return fair


def public_fair_or_404(fair_id: int) -> Fair:
    """A published or closed fair; drafts do not exist for the public."""
    fair = db.session.get(Fair, require_id(fair_id))
    if fair is None or not fair.is_public:
        raise NotFound("招聘会不存在或尚未发布。")
    return fair


def all_fairs() -> list[Fair]:
    return list(db.session.scalars(db.select(Fair).order_by(Fair.starts_at.desc(), Fair.id)))


def public_fairs(now: datetime | None = None) -> dict[str, list[Fair]]:
    """Published and closed fairs split into ongoing, upcoming and past."""
    now = now or utcnow()
    fairs = db.session.scalars(
        db.select(Fair).filter(Fair.is_public).order_by(Fair.starts_at, Fair.id)
    ).all()
    out: dict[str, list[Fair]] = {"ongoing": [], "upcoming": [], "past": []}
    for fair in fairs:
        out[fair.phase(now)].append(fair)
    out["past"].reverse()  # most recent first
    return out


def registration_count(fair_id: int) -> int:
    return (
        db.session.scalar(db.select(func.count(FairRegistration.id)).filter_by(fair_id=fair_id))
        or 0
    )


def fair_counts(fair_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per fair: registrations, booths by status and live sessions, in grouped queries."""
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


# --- writes (organiser) --------------------------------------------------------------------


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
    require_organiser(actor)
    values = load_fair_input(FairSchema(), fair_input(data, form), form=form)
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
    require_organiser(actor)
    fair = get_fair(fair_id)
    if fair.status == FairStatus.CLOSED:
        raise Conflict("已关闭的招聘会不能修改。", code="fair_closed")
    if partial:
        data = {**fair_form_values(fair), **data}
    values = load_fair_input(FairSchema(), fair_input(data, form), form=form)
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
    require_organiser(actor)
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
    require_organiser(actor)
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
