"""Organiser services: verify employers, review held positions, figures, audit log, rules.

Every decision changes the row with a conditional UPDATE (so two organisers deciding at the
same moment cannot both win) and writes an audit row in the same transaction.
"""

from sqlalchemy import func, update

from jobfair import audit, events, moderation
from jobfair.errors import Conflict, DomainError, NotFound
from jobfair.extensions import db
from jobfair.models.application import Application, ApplicationStatus
from jobfair.models.audit import AuditLog
from jobfair.models.common import Channel, PriorityGroup, utcnow
from jobfair.models.employer import Employer, EmployerStatus
from jobfair.models.position import Position, PositionStatus
from jobfair.models.seeker import SeekerGroup, SeekerProfile, group_of_key
from jobfair.validation import BaseSchema, Text, load


class ReasonSchema(BaseSchema):
    reason = Text(required=True, max_len=500)


class NoteSchema(BaseSchema):
    note = Text(required=True, max_len=500)


class OptionalNoteSchema(BaseSchema):
    note = Text(max_len=500)


def _required_text(schema: BaseSchema, data: dict, key: str, message: str, form: bool) -> str:
    value = load(schema, data or {}, form=form)[key].strip()
    if not value:
        raise DomainError(message, code="validation_error", fields={key: "此项必填。"})
    return value


def _page(query, page: int, per_page: int):
    return db.paginate(query, page=max(1, page), per_page=per_page, error_out=False)


# --- employers -------------------------------------------------------------------------


def list_employers(status: str | None = EmployerStatus.PENDING, page: int = 1, per_page=20):
    q = db.select(Employer)
    if status in {str(s) for s in EmployerStatus}:
        q = q.filter_by(status=status)
    # Oldest first for the queue: whoever waited longest is decided first.
    order = (
        (Employer.created_at.asc(), Employer.id.asc())
        if status == EmployerStatus.PENDING
        else (Employer.updated_at.desc(), Employer.id.desc())
    )
    return _page(q.order_by(*order), page, per_page)


def get_employer(employer_id: int) -> Employer:
    employer = db.session.get(Employer, employer_id)
    if employer is None:
        raise NotFound("单位不存在。")
    return employer


def _decide_employer(actor, employer_id: int, to_status: str, action: str, reason: str):
    employer = get_employer(employer_id)
    previous = employer.status
    if previous != EmployerStatus.PENDING:
        raise Conflict("该单位不在待审核状态，可能已被其他组织方处理。", code="not_pending")
    now = utcnow()
    result = db.session.execute(
        update(Employer)
        .where(Employer.id == employer_id, Employer.status == EmployerStatus.PENDING)
        .values(status=to_status, review_reason=reason, reviewed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict("该单位不在待审核状态，可能已被其他组织方处理。", code="not_pending")
    audit.record(
        actor.id,
        action,
        "employer",
        employer_id,
        name=employer.name,
        credit_code=employer.credit_code,
        previous_status=previous,
        reason=reason or None,
    )
    events.employer_reviewed.send(
        employer, verified=to_status == EmployerStatus.VERIFIED, reason=reason or ""
    )
    db.session.commit()
    db.session.refresh(employer)
    return employer


def verify_employer(actor, employer_id: int) -> Employer:
    return _decide_employer(actor, employer_id, EmployerStatus.VERIFIED, "employer.verify", "")


def reject_employer(actor, employer_id: int, data: dict, *, form: bool = False) -> Employer:
    reason = _required_text(ReasonSchema(), data, "reason", "请填写驳回原因。", form)
    return _decide_employer(actor, employer_id, EmployerStatus.REJECTED, "employer.reject", reason)


# --- held positions --------------------------------------------------------------------


def list_held_positions(page: int = 1, per_page: int = 20):
    q = (
        db.select(Position)
        .filter_by(status=PositionStatus.HELD)
        .order_by(Position.updated_at.asc(), Position.id.asc())
    )
    return _page(q, page, per_page)


def get_position(position_id: int) -> Position:
    position = db.session.get(Position, position_id)
    if position is None:
        raise NotFound("岗位不存在。")
    return position


def _decide_position(actor, position_id: int, *, approve: bool, note: str) -> Position:
    position = get_position(position_id)
    if position.status != PositionStatus.HELD:
        raise Conflict("该岗位不在待审核状态，可能已被处理或修改。", code="not_held")
    if approve and not position.employer.is_verified:
        raise Conflict("该单位尚未通过审核，暂不能放行其岗位。", code="employer_not_verified")
    flags = [dict(f) for f in (position.review_flags or [])]
    now = utcnow()
    if approve:
        for f in flags:
            f["approved"] = True
        values = {
            "status": PositionStatus.PUBLISHED,
            "published_at": now,
            "review_flags": flags,
            "review_note": note,
        }
    else:
        values = {"status": PositionStatus.DRAFT, "review_note": note}
    result = db.session.execute(
        update(Position)
        .where(Position.id == position_id, Position.status == PositionStatus.HELD)
        .values(updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict("该岗位不在待审核状态，可能已被处理或修改。", code="not_held")
    # The bulk UPDATE above bypasses the ORM's change tracking: say so, in this transaction.
    events.positions_changed.send(None, position_ids={position_id})
    audit.record(
        actor.id,
        "position.approve" if approve else "position.reject",
        "position",
        position_id,
        title=position.title,
        employer_id=position.employer_id,
        employer_name=position.employer.name,
        previous_status=PositionStatus.HELD,
        note=note or None,
        phrases=[f.get("phrase") for f in flags],
    )
    events.position_reviewed.send(position, approved=approve, note=note or "")
    db.session.commit()
    db.session.refresh(position)
    return position


def approve_position(actor, position_id: int, data: dict | None = None, *, form=False):
    note = load(OptionalNoteSchema(), data or {}, form=form)["note"].strip()
    return _decide_position(actor, position_id, approve=True, note=note)


def reject_position(actor, position_id: int, data: dict, *, form: bool = False) -> Position:
    note = _required_text(NoteSchema(), data, "note", "请填写退回意见，单位会看到这条意见。", form)
    return _decide_position(actor, position_id, approve=False, note=note)


# --- figures ---------------------------------------------------------------------------


def _counts(column, keys, *filters, join=None, decode=str) -> dict[str, int]:
    q = db.select(column, func.count()).group_by(column)
    if join is not None:
        q = q.join(*join)
    for f in filters:
        q = q.filter(f)
    out = {str(k): 0 for k in keys}
    for key, n in db.session.execute(q).all():
        out[decode(key)] = n
    return out


def stats() -> dict:
    """Aggregates only: no person is identifiable from these numbers."""
    return {
        # Priority-group status is sensitive: only seekers who consented are counted.
        "seekers_by_group": _counts(
            SeekerGroup.group_key,  # stored encrypted: counted by blind index
            PriorityGroup,
            SeekerProfile.group_consent.is_(True),
            join=(SeekerProfile, SeekerProfile.id == SeekerGroup.profile_id),
            decode=group_of_key,
        ),
        "positions_by_channel": _counts(
            Position.channel, Channel, Position.status == PositionStatus.PUBLISHED
        ),
        "applications_by_status": _counts(Application.status, ApplicationStatus),
        "employers_by_status": _counts(Employer.status, EmployerStatus),
        "positions_by_status": _counts(Position.status, PositionStatus),
    }


def queue_sizes() -> dict:
    return {
        "pending_employers": db.session.scalar(
            db.select(func.count(Employer.id)).filter_by(status=EmployerStatus.PENDING)
        ),
        "held_positions": db.session.scalar(
            db.select(func.count(Position.id)).filter_by(status=PositionStatus.HELD)
        ),
    }


# --- audit log -------------------------------------------------------------------------


def audit_log(page: int = 1, per_page: int = 30, action: str | None = None):
    q = db.select(AuditLog)
    if action:
        q = q.filter_by(action=action)
    return _page(q.order_by(AuditLog.created_at.desc(), AuditLog.id.desc()), page, per_page)


# --- discrimination rules --------------------------------------------------------------


def list_rules() -> tuple[moderation.Rule, ...]:
    return moderation.rules()


class RuleSchema(BaseSchema):
    # Emptiness and choices are checked by moderation.validate_rule with Chinese messages.
    pattern = Text(max_len=moderation.MAX_PATTERN)
    category = Text(max_len=20)
    note = Text(max_len=200)


def add_rule(actor, data: dict, *, form: bool = False) -> moderation.Rule:
    """Append a rule to the organisers' file; it applies to every later check at once."""
    values = load(RuleSchema(), data or {}, form=form)
    pattern, category, note = moderation.validate_rule(
        values["pattern"], values["category"], values["note"]
    )
    moderation.append_rule(pattern, category, note)
    audit.record(
        actor.id,
        "moderation.rule_add",
        "moderation_rule",
        None,
        pattern=pattern,
        category=category,
        note=note or None,
    )
    db.session.commit()
    return next(r for r in moderation.rules() if r.pattern == pattern)
