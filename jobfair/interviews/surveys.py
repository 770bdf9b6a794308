"""The short survey after a fair (满意度调查): seekers who registered and the employers that had
a booth answer once; the fair report shows the figures."""

from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from jobfair.employers.acting import employer_of
from jobfair.errors import Conflict, DomainError, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.models.common import utcnow
from jobfair.models.fair import Booth, BoothStatus, Fair, FairRegistration, FairStatus
from jobfair.models.interview import FairSurvey, SurveyRole
from jobfair.models.notification import Notification
from jobfair.models.user import Role, User
from jobfair.notifications.services import notify
from jobfair.seekers.services import clean_text
from jobfair.validation import BaseSchema, Bool, Int, Text, load

OPEN_FOR = timedelta(days=30)  # the survey stays open this long after the fair ends
QUESTIONS = {
    SurveyRole.SEEKER: {
        "rating": "总体满意度",
        "useful": "找到合适岗位的程度",
        "would_return": "下次还会参加吗",
    },
    SurveyRole.EMPLOYER: {
        "rating": "总体满意度",
        "useful": "见到合适求职者的程度",
        "would_return": "下次还会参展吗",
    },
}
SCALE = {1: "很不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "很满意"}


class SurveySchema(BaseSchema):
    rating = Int(min_value=1, max_value=5, required=True)
    useful = Int(min_value=1, max_value=5, required=True)
    would_return = Bool(load_default=True)
    comment = Text(max_len=300)


LABELS = {
    "rating": "总体满意度",
    "useful": "收获",
    "would_return": "下次是否参加",
    "comment": "意见和建议",
}


def role_at(user: User, fair: Fair) -> tuple[str, int | None] | None:
    """(role, employer id) if the user may answer for this fair, else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.role == Role.SEEKER:
        reg = db.session.scalar(
            db.select(FairRegistration.id).filter_by(fair_id=fair.id, seeker_user_id=user.id)
        )
        return (SurveyRole.SEEKER, None) if reg is not None else None
    if user.role == Role.EMPLOYER:
        employer = employer_of(user)
        if employer is None:
            return None
        booth = db.session.scalar(
            db.select(Booth.id).filter_by(
                fair_id=fair.id, employer_id=employer.id, status=BoothStatus.APPROVED
            )
        )
        return (SurveyRole.EMPLOYER, employer.id) if booth is not None else None
    return None


def is_open(fair: Fair, now=None) -> bool:
    """From the end of the fair (or its early closing) for OPEN_FOR."""
    now = now or utcnow()
    if fair.status not in (FairStatus.PUBLISHED, FairStatus.CLOSED) or fair.phase(now) != "past":
        return False
    return now <= max(fair.ends_at, fair.updated_at or fair.ends_at) + OPEN_FOR


def state(user: User, fair: Fair) -> dict | None:
    """What the fair page shows the user about the survey, or None (nothing to show)."""
    who = role_at(user, fair)
    if who is None:
        return None
    answer = db.session.scalar(db.select(FairSurvey).filter_by(fair_id=fair.id, user_id=user.id))
    return {"role": who[0], "answer": answer, "open": is_open(fair), "questions": QUESTIONS[who[0]]}


def fair_or_404(fair_id) -> Fair:
    fair = db.session.get(Fair, require_id(fair_id, "招聘会不存在。"))
    if fair is None or fair.status == FairStatus.DRAFT:
        raise NotFound("招聘会不存在。")
    return fair


def survey_fair(user: User, fair_id) -> tuple[Fair, dict]:
    fair = fair_or_404(fair_id)
    st = state(user, fair)
    if st is None:
        raise DomainError(
            "只有报名参加本场的求职者和参展单位可以填写满意度调查。",
            code="not_participant",
            status=403,
        )
    return fair, st


def submit(user: User, fair_id, data: dict, *, form: bool = False) -> FairSurvey:
    fair, st = survey_fair(user, fair_id)
    if st["answer"] is not None:
        raise Conflict("你已经填写过本场招聘会的满意度调查，谢谢！", code="already_answered")
    if not st["open"]:
        raise Conflict("招聘会结束后才能填写满意度调查（结束后 30 天内）。", code="survey_closed")
    values = load(SurveySchema(), data, form=form, labels=LABELS)
    role, employer_id = role_at(user, fair)
    row = FairSurvey(
        fair_id=fair.id,
        user_id=user.id,
        role=role,
        employer_id=employer_id,
        rating=values["rating"],
        useful=values["useful"],
        would_return=bool(values["would_return"]),
        comment=clean_text(values["comment"] or ""),
    )
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(
            "你已经填写过本场招聘会的满意度调查，谢谢！", code="already_answered"
        ) from None
    return row


def results(fair_id: int, *, with_comments: bool = False) -> dict:
    """Figures per side: answers, average satisfaction and usefulness, share who would come
    back, the 1–5 distribution; comments (no names) only when asked for."""
    out = {}
    for role in SurveyRole:
        row = db.session.execute(
            db.select(
                func.count(FairSurvey.id),
                func.avg(FairSurvey.rating),
                func.avg(FairSurvey.useful),
                func.sum(db.case((FairSurvey.would_return.is_(True), 1), else_=0)),
            ).filter_by(fair_id=fair_id, role=role)
        ).one()
        n = int(row[0] or 0)
        dist = dict(
            db.session.execute(
                db.select(FairSurvey.rating, func.count(FairSurvey.id))
                .filter_by(fair_id=fair_id, role=role)
                .group_by(FairSurvey.rating)
            ).all()
        )
        item = {
            "answers": n,
            "rating": round(float(row[1]), 1) if n else None,
            "useful": round(float(row[2]), 1) if n else None,
            "would_return_pct": round(100 * int(row[3] or 0) / n) if n else None,
            "distribution": {str(k): int(dist.get(k, 0)) for k in range(1, 6)},
        }
        if with_comments:
            item["comments"] = list(
                db.session.scalars(
                    db.select(FairSurvey.comment)
                    .filter_by(fair_id=fair_id, role=role)
                    .filter(FairSurvey.comment != "")
                    .order_by(FairSurvey.id.desc())
                    .limit(100)
                )
            )
        out[role.value] = item
    return out


def invite_participants(now=None) -> int:
    """Tell the participants of fairs that ended in the last day that the survey is open:
    registered seekers and each booth employer's owner account, once each (a notification with
    the survey link is the record). Commits; returns how many were told."""
    now = now or utcnow()
    fairs = db.session.scalars(
        db.select(Fair).filter(
            Fair.status.in_((FairStatus.PUBLISHED, FairStatus.CLOSED)),
            Fair.ends_at <= now,
            Fair.ends_at > now - timedelta(days=1),
        )
    ).all()
    told = 0
    for fair in fairs:
        link = f"/fairs/{fair.id}/survey"
        people = set(
            db.session.scalars(
                db.select(FairRegistration.seeker_user_id).filter_by(fair_id=fair.id)
            )
        )
        people |= {
            b.employer.user_id
            for b in db.session.scalars(
                db.select(Booth).filter_by(fair_id=fair.id, status=BoothStatus.APPROVED)
            )
        }
        done = set(
            db.session.scalars(
                db.select(Notification.user_id).filter(
                    Notification.link == link, Notification.user_id.in_(people or {0})
                )
            )
        )
        for user_id in sorted(people - done):
            notify(
                user_id,
                "system",
                f"“{fair.title}”已结束，请花一分钟评价",
                "三个问题，结果只做汇总统计，帮助我们把下一场办得更好。",
                link,
            )
            told += 1
    db.session.commit()
    return told
