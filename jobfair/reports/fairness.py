"""Fairness view: does each priority group get its share of recommendations, calls, invitations?

For each priority group (consented status only) we compare four shares:
  seekers          consented members of the group / all seeker accounts
  recommendations  rows of ``recommendation_log`` shown or pushed to members / all rows
  booth calls      queue entries of members that a booth called (``called_at`` set) / all calls
  invitations      applications of members that reached 邀请面试 or later / all such applications
A seeker may belong to several groups, so shares of different groups do not add up to 100 %.
The ratio share / seeker share is 1.0 when the group got exactly its proportional share; each
count is one GROUP BY query over the group table, whatever the number of seekers.
"""

from sqlalchemy import func, or_, select

from jobfair.extensions import db
from jobfair.models.application import Application
from jobfair.models.common import GROUP_LABELS, PriorityGroup
from jobfair.models.live import QueueEntry, QueueStatus
from jobfair.models.recommendation import RecommendationLog
from jobfair.models.seeker import SeekerGroup, SeekerProfile, group_of_key
from jobfair.models.user import Role, User
from jobfair.reports.funnel import INVITED, reached

LOW, HIGH = 0.8, 1.25  # outside this band the ratio is highlighted
MEASURES = (
    ("recommendations", "岗位推荐"),
    ("calls", "展位叫号"),
    ("invitations", "面试邀请"),
)
EXPLANATION = (
    "怎么看：“求职者占比”是该群体（本人同意提供身份的）占全部求职者的比例；其余三列是该群体"
    "获得的岗位推荐、展位叫号、面试邀请占全部的比例。“倍数”= 获得占比 ÷ 求职者占比："
    "等于 1 表示按人数比例获得了应有的份额，低于 0.8 标红，说明该群体得到的机会偏少，"
    "值得检查推荐规则、展位安排或单位的筛选；高于 1.25 标绿，说明得到了倾斜帮扶。"
    "一人可属于多个群体，所以各群体占比相加不等于 100%。人数很少时比例波动大，请结合人数看。"
)


def _per_group(count_expr, user_column, *where) -> dict[str, int]:
    """{group: count} for members with consent; one GROUP BY query."""
    q = (
        select(SeekerGroup.group_key, count_expr)
        .select_from(SeekerGroup)
        .join(SeekerProfile, SeekerProfile.id == SeekerGroup.profile_id)
        .join_from(SeekerProfile, user_column.table, user_column == SeekerProfile.user_id)
        .where(SeekerProfile.group_consent.is_(True), *where)
        .group_by(SeekerGroup.group_key)
    )
    # Groups are stored encrypted; the blind index counts them without decrypting a row.
    return {group_of_key(key): n for key, n in db.session.execute(q)}


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _ratio(share: float | None, base: float | None) -> float | None:
    if share is None or not base:
        return None
    return round(share / base, 2)


def fairness() -> dict:
    seekers_total = db.session.scalar(select(func.count(User.id)).where(User.role == Role.SEEKER))
    members = dict(
        db.session.execute(
            select(SeekerGroup.group_key, func.count(func.distinct(SeekerProfile.user_id)))
            .join(SeekerProfile, SeekerProfile.id == SeekerGroup.profile_id)
            .join(User, User.id == SeekerProfile.user_id)
            .where(SeekerProfile.group_consent.is_(True), User.role == Role.SEEKER)
            .group_by(SeekerGroup.group_key)
        ).all()
    )
    members = {group_of_key(key): n for key, n in members.items()}
    called = or_(
        QueueEntry.called_at.is_not(None),
        QueueEntry.status.in_((QueueStatus.CALLED, QueueStatus.IN_CHAT, QueueStatus.DONE)),
    )
    invited_ids = reached(INVITED).scalar_subquery()
    totals = {
        "recommendations": db.session.scalar(select(func.count(RecommendationLog.id))),
        "calls": db.session.scalar(select(func.count(QueueEntry.id)).where(called)),
        "invitations": db.session.scalar(
            select(func.count(Application.id)).where(Application.id.in_(invited_ids))
        ),
    }
    counts = {
        "recommendations": _per_group(
            func.count(RecommendationLog.id), RecommendationLog.seeker_user_id
        ),
        "calls": _per_group(func.count(QueueEntry.id), QueueEntry.seeker_user_id, called),
        "invitations": _per_group(
            func.count(Application.id), Application.seeker_id, Application.id.in_(invited_ids)
        ),
    }
    rows = []
    for g in PriorityGroup:
        n = members.get(str(g), 0)
        base = _share(n, seekers_total)
        row = {"group": str(g), "label": GROUP_LABELS[g], "seekers": n, "seeker_share": base}
        for key, _ in MEASURES:
            got = counts[key].get(str(g), 0)
            share = _share(got, totals[key])
            ratio = _ratio(share, base)
            row[key] = got
            row[f"{key}_share"] = share
            row[f"{key}_ratio"] = ratio
            row[f"{key}_flag"] = (
                "" if ratio is None else ("low" if ratio < LOW else "high" if ratio > HIGH else "")
            )
        rows.append(row)
    return {
        "seekers_total": seekers_total,
        "totals": totals,
        "rows": rows,
        "measures": [{"key": k, "label": v} for k, v in MEASURES],
        "explanation": EXPLANATION,
    }
