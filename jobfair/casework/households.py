"""零就业家庭: registration, referral rounds of at least three positions, the deadline and
escalation to supervisors when a household is still open past it."""

import hashlib
from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from jobfair import audit, jobs, reference
from jobfair.casework.access import require_case_worker, scope
from jobfair.casework.campaign import settings
from jobfair.casework.queries import local_today
from jobfair.casework.schemas import (
    HOUSEHOLD_LABELS,
    REFERRAL_LABELS,
    HouseholdSchema,
    ReferralSchema,
)
from jobfair.database import begin_write
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.models.casework import (
    CaseWorker,
    Household,
    HouseholdMember,
    HouseholdReferral,
    ReferralAnswer,
)
from jobfair.models.common import utcnow
from jobfair.models.position import Position, PositionStatus
from jobfair.models.user import Role, User
from jobfair.notifications.services import notify
from jobfair.seekers.services import clean_text
from jobfair.transactions import conflict_as
from jobfair.validation import load


def household_status(hh: Household, today: date | None = None) -> dict:
    today = today or local_today()
    deadline = hh.identified_on + timedelta(days=hh.deadline_days)
    end = hh.closed_on or today
    rounds = hh.referrals
    full_rounds = sum(1 for r in rounds if len(r.positions) >= 3)
    refusals = sum(1 for r in rounds if r.answer == ReferralAnswer.DECLINED)
    limit = settings()["refusal_limit"]
    return {
        "refusals": refusals,
        "refusal_limit": limit,
        # The local rule: this many rounds refused without a reason flags the household.
        "flagged": refusals >= limit,
        # 托底安置 opens once three full market rounds have not led to work.
        "fallback_open": hh.closed_on is None and full_rounds >= 3,
        "reopened": hh.reopened_count or 0,
        "open": hh.closed_on is None,
        "days": (end - hh.identified_on).days,
        "deadline": deadline,
        "days_left": (deadline - today).days,
        "overdue": hh.closed_on is None and today > deadline,
        "rounds": len(rounds),
        "rounds_ok": full_rounds >= 3,
    }


def household_summary(district: str | None = None, today: date | None = None) -> dict:
    """Counts for dashboards: open, closed this month, overdue, escalated (no personal data)."""
    today = today or local_today()
    q = db.select(Household)
    if district:
        q = q.filter_by(district=district)
    rows = db.session.scalars(q).all()
    month_start = today.replace(day=1)
    open_rows = [h for h in rows if h.closed_on is None]
    overdue = [h for h in open_rows if today > h.identified_on + timedelta(days=h.deadline_days)]
    return {
        "open": len(open_rows),
        "closed_this_month": sum(
            1 for h in rows if h.closed_on and month_start <= h.closed_on <= today
        ),
        "overdue": len(overdue),
        "escalated": sum(1 for h in open_rows if h.escalated_at is not None),
    }


def list_households(actor, *, state: str | None = None, today: date | None = None):
    today = today or local_today()
    districts = scope(actor)
    q = db.select(Household).order_by(Household.closed_on.is_not(None), Household.identified_on)
    if districts is not None:
        q = q.where(Household.district.in_(districts or [""]))
    out = []
    for hh in db.session.scalars(q):
        st = household_status(hh, today)
        if state == "open" and not st["open"]:
            continue
        if state == "closed" and st["open"]:
            continue
        if state == "overdue" and not st["overdue"]:
            continue
        out.append((hh, st))
    return out


def get_household(actor, household_id: int) -> Household:
    require_case_worker(actor)
    hh = db.session.get(Household, require_id(household_id, "家庭不存在。"))
    if hh is None:
        raise NotFound("家庭不存在。")
    require_case_worker(actor, hh.district)
    return hh


def create_household(actor, data, *, form: bool = False) -> Household:
    require_case_worker(actor)
    values = load(HouseholdSchema(), data, labels=HOUSEHOLD_LABELS, form=form)
    if values["district"] not in reference.districts():
        raise DomainError("区不在本市范围内。", fields={"district": "请选择本市的区"})
    require_case_worker(actor, values["district"])
    if values["identified_on"] > local_today():
        raise DomainError("认定日期不能晚于今天。", fields={"identified_on": "不能晚于今天"})
    hh = Household(
        district=values["district"],
        label=clean_text(values["label"]),
        identified_on=values["identified_on"],
        deadline_days=values["deadline_days"] or settings()["household_deadline_days"],
        created_by=actor.id,
        closed_reason="",
    )
    for i, m in enumerate(values["members"]):
        seeker_id = None
        phone = clean_text(m.get("seeker_phone") or "")
        if phone:
            seeker = db.session.scalar(db.select(User).filter_by(phone=phone, role=Role.SEEKER))
            if seeker is None:
                raise DomainError(
                    f"第 {i + 1} 名成员的手机号没有对应的求职者账号。",
                    fields={f"members.{i}.seeker_phone": "没有该求职者"},
                )
            seeker_id = seeker.id
        name = clean_text(m["name"])
        if not name:
            raise DomainError(f"请填写第 {i + 1} 名成员的姓名。")
        hh.members.append(
            HouseholdMember(
                name=name, relation=clean_text(m.get("relation") or ""), seeker_id=seeker_id
            )
        )
    db.session.add(hh)
    db.session.flush()
    audit.record(actor.id, "casework.household_create", "household", hh.id, district=hh.district)
    db.session.commit()
    return hh


def add_referral(actor, household_id: int, data, *, form=False) -> HouseholdReferral:
    """One referral round of at least three distinct suitable (published) positions."""
    hh = get_household(actor, household_id)
    values = load(ReferralSchema(), data, labels=REFERRAL_LABELS, form=form)
    if hh.closed_on is not None:
        raise DomainError("该家庭已实现就业清零，无需再推荐岗位。", code="household_closed")
    ids = sorted(set(values["position_ids"]))
    if len(ids) < 3:
        raise DomainError(
            "每轮至少推荐 3 个不同的适合岗位。",
            code="too_few_positions",
            fields={"position_ids": "每轮至少 3 个岗位"},
        )
    positions = list(
        db.session.scalars(
            db.select(Position).where(
                Position.id.in_(ids), Position.status == PositionStatus.PUBLISHED
            )
        )
    )
    if len(positions) != len(ids):
        missing = sorted(set(ids) - {p.id for p in positions})
        raise DomainError(
            "以下岗位不存在或未在招聘中：" + "、".join(map(str, missing)),
            fields={"position_ids": "请选择招聘中的岗位"},
        )
    if values["referred_on"] > local_today():
        raise DomainError("推荐日期不能晚于今天。", fields={"referred_on": "不能晚于今天"})
    last = db.session.scalar(
        db.select(func.max(HouseholdReferral.round_no)).filter_by(household_id=hh.id)
    )
    ref = HouseholdReferral(
        household_id=hh.id,
        round_no=(last or 0) + 1,
        referred_on=values["referred_on"],
        note=clean_text(values["note"]),
        recorded_by=actor.id,
    )
    ref.positions = positions
    db.session.add(ref)
    # Round numbers are UNIQUE per household: two workers recording at once get a 409.
    with conflict_as("推荐轮次刚刚被其他人登记，请刷新后重试。"):
        db.session.flush()
    audit.record(
        actor.id,
        "casework.household_referral",
        "household",
        hh.id,
        note=f"第 {ref.round_no} 轮，{len(positions)} 个岗位",
    )
    db.session.commit()
    return ref


def suitable_positions(district: str, limit: int = 30) -> list[Position]:
    """Published positions, the household's district first (a starting list for a round)."""
    q = (
        db.select(Position)
        .where(Position.status == PositionStatus.PUBLISHED)
        .order_by(
            (Position.district == district).desc(), Position.published_at.desc(), Position.id.desc()
        )
        .limit(limit)
    )
    return list(db.session.scalars(q))


def _overdue_unescalated(today: date) -> list[Household]:
    return [
        h
        for h in db.session.scalars(
            db.select(Household).where(
                Household.closed_on.is_(None), Household.escalated_at.is_(None)
            )
        )
        if today > h.identified_on + timedelta(days=h.deadline_days)
    ]


def lazy_escalate(today: date | None = None) -> int:
    """For GET handlers: when a household is due for escalation, hand it to a background job
    (jobfair.casework.jobs.escalate_households, also run daily by `flask scheduler`).

    Keyed by the day and the households due, so pages opened together ask once.
    """
    today = today or local_today()
    due = _overdue_unescalated(today)
    if not due:
        return 0
    ids = ",".join(str(h.id) for h in sorted(due, key=lambda h: h.id))
    key = f"casework-escalate:{today.isoformat()}:{hashlib.sha256(ids.encode()).hexdigest()[:16]}"
    begin_write(db.session)
    try:
        jobs.enqueue("jobfair.casework.jobs.escalate_households", key=key)
        db.session.commit()
    except IntegrityError:  # another request enqueued the same escalation a moment ago
        db.session.rollback()
    return len(due)


def escalate_overdue(today: date | None = None) -> int:
    """Mark households open past their deadline as escalated and tell the supervisors.

    The notices are added in the same transaction as escalated_at (the notification centre
    delivers them after the commit); without that feature escalated_at is still recorded.
    """
    rows = _overdue_unescalated(today or local_today())
    if not rows:
        return 0
    now = utcnow()
    supervisors = list(
        db.session.scalars(db.select(CaseWorker.user_id).filter_by(is_supervisor=True))
    )
    for hh in rows:
        hh.escalated_at = now
        audit.record(None, "casework.household_escalate", "household", hh.id, district=hh.district)
        notify_escalation(hh, supervisors)
    db.session.commit()
    return len(rows)


def notify_escalation(hh: Household, supervisors: list[int]) -> None:
    """Tell these supervisors that a household is past its deadline (delivered after commit)."""
    for uid in supervisors:
        notify(
            uid,
            "casework",
            "零就业家庭超期未清零",
            f"{hh.district}的一户零就业家庭认定已超过 {hh.deadline_days} 天仍未清零，请督办。",
            f"/casework/households/{hh.id}",
        )
