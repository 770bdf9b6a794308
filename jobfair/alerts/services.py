"""Daily digests of job alerts: what is new and matching since the last digest, sent once a day.

``send_due_digests(now)`` is the one entry point. The CLI (`flask alerts send`) calls it, and
so can a scheduler or a background job queue: it is safe to run any number of times a day,
from several processes at once. For every active alert that has no digest for today (China
day, UTC+8) it collects what is new since the alert's last digest, and when something is new
it writes the digest row and a notification in one transaction. The digest row is UNIQUE per
alert per day, so a second run — or a run racing this one — sends nothing twice.

- Seekers' alerts: positions published since the last digest (still open). A saved search
  matches with the position search's own keyword terms and filters; a profile alert with the
  matching engine (score at least the "good match" threshold). Each position carries the
  engine's reasons for this seeker.
- Employers' talent alerts: seekers who made their profile discoverable (or changed it)
  since the last digest, ranked for the position without priority groups; names masked,
  no contact data at all (the talent page reveals contacts only to whom it is due).
"""

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta

from flask import url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from jobfair.alerts.saved import describe_filters
from jobfair.database import begin_write
from jobfair.extensions import db
from jobfair.formatting import pay_line as salary
from jobfair.masking import mask_name
from jobfair.models.alert import AlertDigest, AlertKind, JobAlert
from jobfair.models.common import utcnow
from jobfair.models.position import Position, PositionStatus
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import User, UserStatus
from jobfair.notifications.services import notify
from jobfair.occupations import occupation_names
from jobfair.positions.search import china_today, occupation_prefix, query_terms
from jobfair.recommendations.index import get_engine
from jobfair.recommendations.services import good_score, percent, position_doc, seeker_doc

log = logging.getLogger(__name__)

DIGEST_MAX = 10  # items kept in one digest
NOTE_ITEMS = 3  # items written out in the notification itself
CANDIDATE_CAP = 2000  # newest positions / profiles looked at in one run
REASONS_MAX = 3


def china_day(now: datetime) -> date:
    """The China (UTC+8) calendar day of a naive UTC time: a digest a day means this day."""
    return (now + timedelta(hours=8)).date()


def _since(alert: JobAlert) -> datetime:
    return alert.last_sent_at or alert.created_at


# --- seekers: new positions ---------------------------------------------------------------------


def _new_positions(since: datetime, now: datetime) -> list[Position]:
    today = china_today()
    return list(
        db.session.scalars(
            select(Position)
            .where(
                Position.status == PositionStatus.PUBLISHED,
                Position.published_at > since,
                Position.published_at <= now,
                Position.deadline.is_(None) | (Position.deadline >= today),
            )
            .options(selectinload(Position.employer))
            .order_by(Position.published_at.desc(), Position.id.desc())
            .limit(CANDIDATE_CAP)
        )
    )


def _fits_filters(p: Position, f: dict, terms: list) -> bool:
    """The position search's rule for one position: every filter, every keyword term."""
    if f.get("district") and p.district != f["district"]:
        return False
    prefix = occupation_prefix(f.get("occupation"))
    if prefix and not (p.occupation_code == prefix or p.occupation_code.startswith(prefix + "-")):
        return False
    if f.get("salary") is not None and (p.pay_unit != "month" or p.salary_max < int(f["salary"])):
        return False
    if f.get("pay_unit") and p.pay_unit != f["pay_unit"]:
        return False
    if f.get("daily_pay") and not p.daily_pay:
        return False
    for key in ("work_form", "channel"):
        if f.get(key) and getattr(p, key) != f[key]:
            return False
    if f.get("group") and f["group"] not in p.welcomed_groups:
        return False
    if terms:
        tokens = set((p.search_tokens or "").split())
        for term in terms:
            if not any(all(t in tokens for t in alt) for alt in term):
                return False
    return True


def _position_item(p: Position, score: float, reasons) -> dict:
    occ = p.occupation
    return {
        "id": p.id,
        "title": p.title,
        "employer": p.employer.name if p.employer else "",
        "district": p.district,
        "salary": salary(p),
        "occupation_code": p.occupation_code,
        "occupation_name": occ.name if occ else "",
        "percent": percent(score) if score else None,
        "reasons": [str(r) for r in reasons][:REASONS_MAX],
        "link": f"/positions/{p.id}",
    }


def _seeker_items(alerts: list[JobAlert], now: datetime) -> dict[int, list[dict]]:
    """alert id -> new matching positions, best first."""
    positions = _new_positions(min(_since(a) for a in alerts), now)
    if not positions:
        return {}
    profiles = {
        p.user_id: p
        for p in db.session.scalars(
            select(SeekerProfile).where(SeekerProfile.user_id.in_({a.user_id for a in alerts}))
        )
    }
    docs = {uid: seeker_doc(p) for uid, p in profiles.items()}
    engine = get_engine()
    threshold = good_score()
    found: dict[int, list[tuple[float, Position, tuple]]] = defaultdict(list)
    profile_alerts = [a for a in alerts if a.kind == AlertKind.PROFILE and docs.get(a.user_id)]
    for p in positions:
        pdoc = position_doc(p)
        # Profile alerts: rank every waiting seeker for this position at once.
        waiting = [a for a in profile_alerts if _since(a) < p.published_at]
        if waiting:
            by_user = {a.user_id: a for a in waiting}
            ranked = engine.rank_seekers(pdoc, [docs[a.user_id] for a in waiting], k=len(waiting))
            for m in ranked:
                if m.score >= threshold:
                    found[by_user[m.seeker_id].id].append((m.score, p, m.reasons))
    for a in alerts:
        if a.kind != AlertKind.SEARCH:
            continue
        terms, f = query_terms(a.filters or {})
        doc = docs.get(a.user_id)
        why = f"符合你保存的搜索：{describe_filters(a.filters or {})}"
        for p in positions:
            if p.published_at <= _since(a) or not _fits_filters(p, f, terms):
                continue
            m = engine.score(doc, position_doc(p)) if doc is not None else None
            score = m.score if m is not None else 0.0
            found[a.id].append((score, p, (why, *(m.reasons if m else ()))))
    out = {}
    for alert_id, rows in found.items():
        rows.sort(key=lambda r: (-r[0], -r[1].published_at.timestamp(), -r[1].id))
        out[alert_id] = [_position_item(p, s, why) for s, p, why in rows]
    return out


# --- employers: new discoverable seekers -------------------------------------------------------


def _talent_items(alert: JobAlert, sent_before: set[int], now: datetime) -> list[dict]:
    position = db.session.get(Position, alert.position_id)
    if position is None or position.status != PositionStatus.PUBLISHED:
        return []
    profiles = db.session.scalars(
        select(SeekerProfile)
        .where(
            SeekerProfile.discoverable.is_(True),
            SeekerProfile.updated_at > _since(alert),
            SeekerProfile.updated_at <= now,
            SeekerProfile.user_id.not_in(sorted(sent_before) or [0]),
        )
        .order_by(SeekerProfile.updated_at.desc(), SeekerProfile.id.desc())
        .limit(CANDIDATE_CAP)
    ).all()
    # Never priority groups: neither the score nor a reason may reveal them to an employer.
    docs = [d for d in (seeker_doc(p, with_groups=False) for p in profiles) if d is not None]
    if not docs:
        return []
    by_user = {p.user_id: p for p in profiles}
    ranked = get_engine().rank_seekers(position_doc(position), docs, k=len(docs))
    threshold = good_score()
    ranked = [m for m in ranked if m.score >= threshold]
    names = occupation_names({c for m in ranked for c in by_user[m.seeker_id].desired_occupations})
    items = []
    for m in ranked:
        p = by_user[m.seeker_id]
        items.append(
            {
                "id": p.user_id,
                # Masked always, and no phone: contacts are for the talent and applicant pages.
                "name": mask_name(p.name) or "求职者",
                "education": p.education,
                "districts": list(p.districts or []),
                "desired_occupations": [
                    {"code": c, "name": names.get(c, c)} for c in p.desired_occupations
                ],
                "percent": percent(m.score),
                "reasons": [str(r) for r in m.reasons][:REASONS_MAX],
                "link": f"/employer/positions/{position.id}/talent",
            }
        )
    return items


# --- sending ----------------------------------------------------------------------------------------


def _path(endpoint: str, fallback: str, **values) -> str:
    try:
        return url_for(endpoint, **values)
    except RuntimeError:  # no request and no SERVER_NAME (CLI): the path by hand
        return fallback


def _note_text(alert: JobAlert, items: list[dict], total: int) -> tuple[str, str]:
    """(title, body) of the notification announcing a digest."""
    if alert.kind == AlertKind.TALENT:
        title = f"人才提醒：{total} 位新的求职者适合“{alert.position.title}”"
        lines = [
            f"{i['name']}（匹配 {i['percent']}%）：{'；'.join(i['reasons'][:2])}"
            for i in items[:NOTE_ITEMS]
        ]
    else:
        title = f"职位提醒：“{alert.name}”有 {total} 个新岗位"
        lines = [
            f"{i['title']} · {i['employer']} · {i['district']} · {i['salary']}"
            + (f"：{'；'.join(i['reasons'][:2])}" if i["reasons"] else "")
            for i in items[:NOTE_ITEMS]
        ]
    more = "查看全部" if total > NOTE_ITEMS else "查看详情"
    lines.append(f"{more}，或在提醒页面一键停止这个提醒。")
    return title, "\n".join(lines)


def _send_one(alert: JobAlert, items: list[dict], now: datetime, day: date) -> bool:
    """Write the digest and its notification in one transaction; False if already sent today."""
    total = len(items)
    kept = items[:DIGEST_MAX]
    digest = AlertDigest(
        alert_id=alert.id,
        user_id=alert.user_id,
        day=day,
        sent_at=now,
        item_ids=[i["id"] for i in items],
        items=kept,
        total=total,
    )
    try:
        db.session.add(digest)
        db.session.flush()  # the UNIQUE (alert, day) answers here when another run was first
        title, body = _note_text(alert, kept, total)
        link = _path("alerts.digest", f"/alerts/digests/{digest.id}", digest_id=digest.id)
        kind = "talent_alert" if alert.kind == AlertKind.TALENT else "job_alert"
        note = notify(alert.user_id, kind, title, body, link)
        db.session.flush()
        digest.notification_id = note.id
        alert.last_sent_at = now
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def send_due_digests(now: datetime | None = None) -> dict[str, int]:
    """Send today's digest for every active alert that has none yet. Idempotent per day.

    ``now`` is naive UTC (default: the current time); the day is the China day of ``now``.
    Returns counts: due (alerts without today's digest), sent, empty (nothing new) and
    skipped (another run sent it first). Callers: `flask alerts send`, cron, a job queue.
    """
    now = now or utcnow()
    day = china_day(now)
    begin_write(db.session)
    sent_today = select(AlertDigest.alert_id).where(AlertDigest.day == day)
    alerts = list(
        db.session.scalars(
            select(JobAlert)
            .join(User, User.id == JobAlert.user_id)
            .where(
                JobAlert.active.is_(True),
                JobAlert.id.not_in(sent_today),
                User.status == UserStatus.ACTIVE,
            )
            .order_by(JobAlert.id)
        )
    )
    stats = {"due": len(alerts), "sent": 0, "empty": 0, "skipped": 0}
    if not alerts:
        db.session.commit()
        return stats
    seekers = [a for a in alerts if a.kind != AlertKind.TALENT]
    items = _seeker_items(seekers, now) if seekers else {}
    sent_before: dict[int, set[int]] = defaultdict(set)
    for alert_id, ids in db.session.execute(
        select(AlertDigest.alert_id, AlertDigest.item_ids).where(
            AlertDigest.alert_id.in_([a.id for a in alerts])
        )
    ):
        sent_before[alert_id].update(int(i) for i in ids or ())
    work = []
    for alert in alerts:
        if alert.kind == AlertKind.TALENT:
            found = _talent_items(alert, sent_before[alert.id], now)
        else:
            found = [i for i in items.get(alert.id, []) if i["id"] not in sent_before[alert.id]]
        work.append((alert, found))
    for alert, found in work:
        if not found:
            stats["empty"] += 1
            continue
        if _send_one(alert, found, now, day):
            stats["sent"] += 1
        else:
            stats["skipped"] += 1
    db.session.commit()
    log.info("job alerts for %s: %s", day, stats)
    return stats
