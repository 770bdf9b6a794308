"""Booths: the employer owner applies and edits, the organiser approves or declines; booth pages."""

from jobfair import audit, events
from jobfair.employers.acting import employer_of, require_owner
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.fairs.fairs import get_fair, public_fair_or_404, require_organiser
from jobfair.fairs.schemas import BoothSchema, DeclineSchema, load_fair_input
from jobfair.ids import require_id
from jobfair.models.common import utcnow
from jobfair.models.employer import Employer
from jobfair.models.fair import Booth, BoothPosition, BoothStatus, EmployerRep, Fair, FairStatus
from jobfair.models.position import Position, PositionStatus
from jobfair.models.user import User, UserStatus
from jobfair.transactions import commit_or_conflict

BOOTH_EXISTS = "本单位已申请过本场招聘会的展位。"


# --- reads ---------------------------------------------------------------------------------


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


def public_booth(fair_id: int, booth_id: int) -> tuple[Fair, Booth]:
    fair = public_fair_or_404(fair_id)
    booth = db.session.get(Booth, require_id(booth_id))
    if booth is None or booth.fair_id != fair.id or booth.status != BoothStatus.APPROVED:
        raise NotFound("展位不存在。")
    return fair, booth


def booth_of(employer_id: int, fair_id: int) -> Booth | None:
    return db.session.scalar(db.select(Booth).filter_by(fair_id=fair_id, employer_id=employer_id))


def own_published_positions(employer: Employer) -> list[Position]:
    return list(
        db.session.scalars(
            db.select(Position)
            .filter_by(employer_id=employer.id, status=PositionStatus.PUBLISHED)
            .order_by(Position.id)
        )
    )


def employer_booth(user: User, booth_id: int) -> Booth:
    """A booth of the user's employer (owner or rep); another employer's booth is 404."""
    employer = employer_of(user)
    booth = db.session.get(Booth, require_id(booth_id))
    if employer is None or booth is None or booth.employer_id != employer.id:
        raise NotFound("展位不存在。")
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


# --- writes: employer owner ----------------------------------------------------------------


def _booth_values(employer: Employer, data: dict, form: bool) -> dict:
    data = dict(data)
    if form and data.get("chat_minutes") in ("", None):
        data.pop("chat_minutes", None)
    values = load_fair_input(BoothSchema(), data, form=form)
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


def apply_booth(user: User, fair_id: int, data: dict, *, form: bool = False) -> Booth:
    employer = require_owner(user)
    if not employer.is_verified:
        raise Forbidden("单位通过认证后才能申请展位。")
    fair = public_fair_or_404(fair_id)
    if fair.status != FairStatus.PUBLISHED or fair.phase(utcnow()) == "past":
        raise Conflict("本场招聘会已结束，不能申请展位。", code="fair_over")
    values = _booth_values(employer, data, form)
    booth = booth_of(employer.id, fair.id)
    if booth is not None and booth.status != BoothStatus.DECLINED:
        raise Conflict(BOOTH_EXISTS, code="booth_exists")
    if booth is None:
        booth = Booth(fair_id=fair.id, employer_id=employer.id)
        db.session.add(booth)
    booth.status = BoothStatus.PENDING
    booth.decline_reason = ""
    booth.decided_at = None
    booth.intro = values["intro"]
    booth.chat_minutes = values["chat_minutes"]
    _set_positions(booth, values["position_ids"])
    commit_or_conflict(BOOTH_EXISTS, code="booth_exists")
    return booth


def update_booth(user: User, booth_id: int, data: dict, *, form: bool = False) -> Booth:
    employer = require_owner(user)
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


# --- organiser -----------------------------------------------------------------------------


def fair_booths(actor: User, fair_id: int, status: str | None = None) -> list[Booth]:
    require_organiser(actor)
    fair = get_fair(fair_id)
    q = db.select(Booth).filter_by(fair_id=fair.id)
    if status in set(BoothStatus):
        q = q.filter_by(status=status)
    return list(db.session.scalars(q.order_by(Booth.created_at, Booth.id)))


def organiser_booth(booth_id: int) -> Booth:
    booth = db.session.get(Booth, require_id(booth_id))
    if booth is None:
        raise NotFound("展位不存在。")
    return booth


def approve_booth(actor: User, booth_id: int) -> Booth:
    require_organiser(actor)
    booth = organiser_booth(booth_id)
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
    events.booth_decided.send(booth, approved=True, reason="")
    db.session.commit()
    return booth


def decline_booth(actor: User, booth_id: int, data: dict, *, form: bool = False) -> Booth:
    require_organiser(actor)
    booth = organiser_booth(booth_id)
    values = load_fair_input(DeclineSchema(), data, form=form)
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
    events.booth_decided.send(booth, approved=False, reason=booth.decline_reason)
    db.session.commit()
    return booth
