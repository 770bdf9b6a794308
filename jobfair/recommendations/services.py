"""Recommendation services: 为你推荐 (seekers), 推荐人才 (employers), 重点群体精准匹配 and pushes.

The adapter from models to the engine's documents lives here and in index.py, nowhere else.
Protected attributes (birth year, gender, ethnicity) are never passed to the engine. Priority
groups are passed only for seekers who consented and never when ranking talent for an employer,
so neither an employer's scores nor its reasons can reveal a seeker's group.
"""

from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from jobfair import audit, jobs, occupations, reference
from jobfair.database import begin_write, writing
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.ids import is_id
from jobfair.masking import mask_name, mask_phone
from jobfair.matching import Match, SeekerDoc, suggest_occupations
from jobfair.matching.occupations import FALLBACK_SCORE
from jobfair.models.application import Application, ApplicationStatus
from jobfair.models.common import GROUP_LABELS, PriorityGroup, utcnow
from jobfair.models.employer import Employer
from jobfair.models.fair import Booth, BoothPosition, BoothStatus, Fair
from jobfair.models.position import Position, PositionStatus
from jobfair.models.recommendation import RecommendationLog
from jobfair.models.seeker import SeekerGroup, SeekerProfile
from jobfair.models.user import Role, User
from jobfair.notifications.services import notify
from jobfair.recommendations.index import get_engine, position_doc

HOME_K = 10
LOG_K = 10
TALENT_K = 20
TALENT_POOL = 5000  # most recently updated discoverable profiles considered for one position
PRIORITY_TOP = 3
PRIORITY_MAX_SEEKERS = 200
PUSH_MAX_POSITIONS = 10
PUSH_MAX_SEEKERS = 500
FETCH_EXTRA = 10  # ask the engine for a few more: some may have closed or expired meanwhile


def good_score(app=None) -> float:
    """Below this score a seeker counts as having no good match (JOBFAIR_MATCH_GOOD_SCORE)."""
    return float((app or current_app).config.get("MATCH_GOOD_SCORE", 0.3))


def percent(score: float) -> int:
    return max(0, min(100, round(float(score) * 100)))


# --- models -> documents -----------------------------------------------------------------


def seeker_doc(profile: SeekerProfile | None, *, with_groups: bool = True):
    """The seeker as the engine sees it, or None when there is nothing to match on yet."""

    if profile is None:
        return None
    codes = tuple(profile.desired_occupations)
    tokens = profile.search_tokens or ""
    inferred = () if codes else tuple(profile.inferred_occupations)
    if not tokens.strip() and not codes and not inferred:
        return None
    groups = tuple(profile.group_codes) if (with_groups and profile.group_consent) else ()
    text = " ".join(
        x for x in (profile.major, profile.skills, profile.experience, profile.intro) if x
    )
    return SeekerDoc(
        id=profile.user_id,
        text=text,
        desired_occupations=codes,
        districts=tuple(profile.districts or ()),
        salary_min=profile.salary_min or 0,
        education=profile.education,
        work_forms=tuple(profile.work_forms or ()),
        groups=groups,
        tokens=tokens,
        inferred_occupations=inferred,
    )


def _open(position: Position) -> bool:
    return position.status == PositionStatus.PUBLISHED and (
        position.deadline is None or position.deadline >= date.today()
    )


def _positions_by_id(ids) -> dict[int, Position]:
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Position).where(Position.id.in_(ids)).options(selectinload(Position.employer))
    ).all()
    return {p.id: p for p in rows if _open(p)}


def _items(matches, limit: int, positions: dict[int, Position] | None = None) -> list[dict]:
    """Engine matches → [{position, score, percent, reasons}] of positions still open."""
    if positions is None:
        positions = _positions_by_id(m.position_id for m in matches)
    out = []
    for m in matches:
        pos = positions.get(m.position_id)
        if pos is None:
            continue
        out.append(
            {
                "position": pos,
                "score": float(m.score),
                "percent": percent(m.score),
                "reasons": [str(r) for r in m.reasons],
            }
        )
        if len(out) >= limit:
            break
    return out


def newest_positions(limit: int = HOME_K) -> list[Position]:
    today = date.today()
    return list(
        db.session.scalars(
            select(Position)
            .where(
                Position.status == PositionStatus.PUBLISHED,
                Position.deadline.is_(None) | (Position.deadline >= today),
            )
            .options(selectinload(Position.employer))
            .order_by(Position.published_at.desc(), Position.id.desc())
            .limit(limit)
        )
    )


# --- seekers: 为你推荐 -------------------------------------------------------------------


def for_seeker(user: User, k: int = HOME_K, *, log: bool = True) -> dict:
    """The seeker's recommendations, or a prompt to complete the profile plus newest positions.

    Returns {"ready": bool, "reason": str, "items": [...], "fallback": [positions]}.
    """
    if user.role != Role.SEEKER:
        raise DomainError("只有求职者可以查看岗位推荐。", code="forbidden", status=403)
    k = max(1, min(int(k or HOME_K), 50))
    profile = db.session.scalar(select(SeekerProfile).filter_by(user_id=user.id))
    doc = seeker_doc(profile)
    if doc is None:
        reason = "no_profile" if profile is None else "no_text"
        return {"ready": False, "reason": reason, "items": [], "fallback": newest_positions(k)}
    engine = get_engine()
    items = _items(engine.recommend(doc, k=k + FETCH_EXTRA), k)
    if log and items:
        log_home(user.id, items[:LOG_K])
    fallback = [] if items else newest_positions(k)
    return {
        "ready": True,
        "reason": "" if items else "no_match",
        "items": items,
        "fallback": fallback,
    }


def _day_start_utc(now: datetime) -> datetime:
    """Midnight of today in China (UTC+8), as naive UTC."""
    local = now + timedelta(hours=8)
    return datetime.combine(local.date(), time()) - timedelta(hours=8)


def log_home(seeker_user_id: int, items: list[dict]) -> bool:
    """Record the home list at most once per seeker per (China) day. True if written."""
    now = utcnow()
    since = _day_start_utc(now)
    seen = db.session.scalar(
        select(
            exists().where(
                RecommendationLog.seeker_user_id == seeker_user_id,
                RecommendationLog.source == "home",
                RecommendationLog.created_at >= since,
            )
        )
    )
    if seen:
        return False
    begin_write(db.session)
    if db.session.scalar(
        select(
            exists().where(
                RecommendationLog.seeker_user_id == seeker_user_id,
                RecommendationLog.source == "home",
                RecommendationLog.created_at >= since,
            )
        )
    ):
        return False
    db.session.add_all(
        RecommendationLog(
            seeker_user_id=seeker_user_id,
            position_id=item["position"].id,
            source="home",
            score=item["score"],
            created_at=now,
        )
        for item in items
    )
    db.session.commit()
    return True


# --- employers: 推荐人才 -----------------------------------------------------------------


def _own_position(user: User, position_id: int) -> Position:
    if user.role != Role.EMPLOYER:
        raise DomainError("没有权限执行此操作。", code="forbidden", status=403)
    if not is_id(position_id):
        raise NotFound("岗位不存在。")
    employer = db.session.scalar(select(Employer).filter_by(user_id=user.id))
    position = db.session.get(Position, position_id) if employer is not None else None
    if position is None or position.employer_id != employer.id:
        raise NotFound("岗位不存在。")
    return position


def talent(user: User, position_id: int, k: int = TALENT_K) -> dict:
    """Discoverable seekers who fit one of the employer's own positions, contacts masked
    unless the seeker applied to one of this employer's positions (and did not withdraw)."""
    position = _own_position(user, position_id)
    k = max(1, min(int(k or TALENT_K), 50))
    profiles = db.session.scalars(
        select(SeekerProfile)
        .where(SeekerProfile.discoverable.is_(True))
        .order_by(SeekerProfile.updated_at.desc(), SeekerProfile.id.desc())
        .limit(TALENT_POOL)
    ).all()
    docs, by_user = [], {}
    for p in profiles:
        doc = seeker_doc(p, with_groups=False)
        if doc is not None:
            docs.append(doc)
            by_user[p.user_id] = p
    ranked = get_engine().rank_seekers(position_doc(position), docs, k=k) if docs else []
    applied = set(
        db.session.scalars(
            select(Application.seeker_id)
            .join(Position, Position.id == Application.position_id)
            .where(
                Position.employer_id == position.employer_id,
                Application.status != ApplicationStatus.WITHDRAWN,
                Application.seeker_id.in_([m.seeker_id for m in ranked] or [0]),
            )
        )
    )
    occ_names = occupations.occupation_names(
        {c for m in ranked for c in by_user[m.seeker_id].desired_occupations}
    )
    rows = []
    for m in ranked:
        p = by_user[m.seeker_id]
        reveal = m.seeker_id in applied
        rows.append(
            {
                "seeker_id": m.seeker_id,
                "name": p.name if reveal else (mask_name(p.name) or "求职者"),
                "phone": p.phone if reveal else _mask_phone(p.phone),
                "applied": reveal,
                "score": float(m.score),
                "percent": percent(m.score),
                "reasons": [str(r) for r in m.reasons],
                "education": p.education,
                "districts": list(p.districts or []),
                "desired_occupations": [
                    {
                        "code": c,
                        "name": reference.occupation_display_name(occ_names.get(c, c)),
                        "marks": reference.occupation_marks(c),
                    }
                    for c in p.desired_occupations
                ],
                "skills": p.skills,
            }
        )
    return {"position": position, "items": rows, "pool": len(docs)}


def _mask_phone(phone: str | None) -> str:
    return mask_phone(phone)


# --- organisers: 重点群体精准匹配 ---------------------------------------------------------


def fair_choices() -> list[tuple[int, str]]:
    """Fairs to narrow the positions to, when the fairs feature is installed."""
    rows = db.session.execute(
        select(Fair.id, Fair.title).order_by(Fair.starts_at.desc(), Fair.id.desc()).limit(50)
    ).all()
    return [(r.id, r.title) for r in rows]


def _fair_position_ids(fair_id: int) -> set[int]:
    if not is_id(fair_id) or db.session.get(Fair, fair_id) is None:
        raise NotFound("招聘会不存在。")
    return set(
        db.session.scalars(
            select(BoothPosition.position_id)
            .join(Booth, Booth.id == BoothPosition.booth_id)
            .where(Booth.fair_id == fair_id, Booth.status == BoothStatus.APPROVED)
        )
    )


def _check_group(group: str | None) -> str:
    if group not in {str(g) for g in PriorityGroup}:
        raise DomainError(
            "请选择重点群体。",
            code="validation_error",
            status=422,
            fields={"group": "请选择重点群体"},
        )
    return group


def _check_district(district: str | None) -> str | None:
    if not district:
        return None
    if district not in reference.districts():
        raise DomainError(
            "请选择本市的区。",
            code="validation_error",
            status=422,
            fields={"district": "请选择本市的区"},
        )
    return district


def group_seekers(group: str, district: str | None = None, limit: int | None = None):
    """Consenting seekers of a priority group (optionally wishing to work in a district)."""
    q = (
        select(SeekerProfile)
        .join(SeekerGroup, SeekerGroup.profile_id == SeekerProfile.id)
        .where(SeekerGroup.group == group, SeekerProfile.group_consent.is_(True))
        .order_by(SeekerProfile.id)
    )
    rows = [p for p in db.session.scalars(q) if not district or district in (p.districts or [])]
    return rows[:limit] if limit else rows


def priority_matching(
    actor: User, group: str | None, district: str | None = None, fair_id: int | None = None
) -> dict:
    """Each consenting seeker of the group with their best positions, and how many have none."""
    if actor.role != Role.ORGANISER:
        raise DomainError("没有权限执行此操作。", code="forbidden", status=403)
    group = _check_group(group)
    district = _check_district(district)
    allowed = _fair_position_ids(fair_id) if fair_id else None
    threshold = good_score()
    profiles = group_seekers(group, district)
    total = len(profiles)
    engine = get_engine()
    rows, no_match = [], 0
    docs = [seeker_doc(p) for p in profiles]
    present = [d for d in docs if d is not None]
    if allowed is not None:
        fair_positions = _positions_by_id(allowed)
        found = {d.id: [] for d in present}
        for pos in fair_positions.values():
            # One pass per fair position scores every seeker of the group against it.
            for sm in engine.rank_seekers(position_doc(pos), present, k=len(present)):
                found[sm.seeker_id].append(Match(pos.id, sm.score, sm.reasons))
        for matches in found.values():
            matches.sort(key=lambda m: (-m.score, m.position_id))
    else:
        batches = engine.recommend_many(present, k=PRIORITY_TOP + FETCH_EXTRA) if present else []
        found = {d.id: ms for d, ms in zip(present, batches, strict=True)}
    positions = _positions_by_id({m.position_id for ms in found.values() for m in ms})
    for p, doc in zip(profiles, docs, strict=True):
        items = _items(found.get(p.user_id, []), PRIORITY_TOP, positions) if doc else []
        best = items[0]["score"] if items else 0.0
        good = best >= threshold
        if not good:
            no_match += 1
        if len(rows) < PRIORITY_MAX_SEEKERS:
            rows.append(
                {
                    "seeker_id": p.user_id,
                    "name": p.name or "（未填写姓名）",
                    "phone": p.phone,
                    "districts": list(p.districts or []),
                    # Pushes may reach 本人申报 seekers; the page labels them as such.
                    "verified": any(g.group == group and g.verified_on for g in p.groups),
                    "has_profile_text": doc is not None,
                    "good_match": good,
                    "items": items,
                }
            )
    return {
        "group": group,
        "group_label": GROUP_LABELS.get(group, group),
        "district": district,
        "fair_id": fair_id,
        "threshold": threshold,
        "total": total,
        "shown": len(rows),
        "no_good_match": no_match,
        "rows": rows,
    }


def push_positions(
    actor: User,
    position_ids,
    seeker_ids,
    *,
    group: str | None = None,
    district: str | None = None,
    message: str = "",
) -> dict:
    """Push chosen open positions to chosen consenting seekers as in-site notifications.

    Every recipient must have consented to use their priority-group status (and belong to
    `group` when given). Checked here, in the request; the fan-out (one notification per
    seeker, one log row per (seeker, position), one audit entry) is a background job,
    deliver_push, so a push to a whole priority group does not hold the request.
    """
    if actor.role != Role.ORGANISER:
        raise DomainError("没有权限执行此操作。", code="forbidden", status=403)
    pids = _ids(position_ids, "position_ids", "请选择要推送的岗位。", PUSH_MAX_POSITIONS)
    sids = _ids(seeker_ids, "seeker_ids", "请选择要推送的求职者。", PUSH_MAX_SEEKERS)
    if group:
        group = _check_group(group)
    message = (message or "").strip()[:200]
    positions = _positions_by_id(pids)
    missing = [i for i in pids if i not in positions]
    if missing:
        raise DomainError(
            "有岗位已关闭或不存在，请刷新页面后重新选择。",
            code="position_unavailable",
            status=422,
            fields={"position_ids": "岗位不可推送：" + "、".join(map(str, missing))},
        )
    q = select(SeekerProfile).where(
        SeekerProfile.user_id.in_(sids), SeekerProfile.group_consent.is_(True)
    )
    if group:
        q = q.join(SeekerGroup, SeekerGroup.profile_id == SeekerProfile.id).where(
            SeekerGroup.group == group
        )
    profiles = {p.user_id: p for p in db.session.scalars(q)}
    refused = [i for i in sids if i not in profiles]
    if refused:
        raise DomainError(
            "只能向已授权使用重点群体身份的求职者推送岗位，请刷新页面后重新选择。",
            code="consent_required",
            status=422,
            fields={"seeker_ids": f"{len(refused)} 位求职者不可推送"},
        )

    run = jobs.enqueue(
        deliver_push,
        actor.id,
        pids,
        sids,
        group=group,
        district=district,
        message=message,
        user_id=actor.id,
    )
    db.session.commit()
    return {
        "notified": len(sids),
        "positions": len(pids),
        "logged": len(sids) * len(pids),
        "job_id": run.id,
    }


def deliver_push(
    actor_id: int,
    pids: list[int],
    sids: list[int],
    *,
    group: str | None = None,
    district: str | None = None,
    message: str = "",
) -> dict:
    """A background job: the fan-out of push_positions (see _deliver_push)."""
    with writing():
        return _deliver_push(actor_id, pids, sids, group, district, message)


def _deliver_push(actor_id, pids, sids, group, district, message) -> dict:
    """The push's fan-out, as a background job: scores, log rows, one notification per seeker
    and the audit entry, all in one transaction (a failed attempt leaves nothing sent, so
    the retry sends each notice once). Positions closed and consents withdrawn since the
    request are left out."""
    positions = _positions_by_id(pids)
    pids = [i for i in pids if i in positions]
    q = select(SeekerProfile).where(
        SeekerProfile.user_id.in_(sids), SeekerProfile.group_consent.is_(True)
    )
    if group:
        q = q.join(SeekerGroup, SeekerGroup.profile_id == SeekerProfile.id).where(
            SeekerGroup.group == group
        )
    profiles = {p.user_id: p for p in db.session.scalars(q)}
    sids = [i for i in sids if i in profiles]
    if not pids or not sids:
        return {"notified": 0, "positions": len(pids), "logged": 0}
    jobs.progress(0, len(sids), "正在推送")
    engine = get_engine()
    ordered = [positions[i] for i in pids]
    docs = {p.id: position_doc(p) for p in ordered}
    titles = "、".join(f"“{p.title}”" for p in ordered[:3])
    title = (
        f"为你推荐 {len(ordered)} 个岗位"
        if len(ordered) > 1
        else f"为你推荐岗位：{ordered[0].title}"
    )
    link = f"/positions/{ordered[0].id}" if len(ordered) == 1 else "/me"
    try:
        from flask import url_for

        link = (
            url_for("positions.detail", position_id=ordered[0].id)
            if len(ordered) == 1
            else url_for("seekers.home")
        )
    except RuntimeError:
        pass
    body = (
        f"就业服务机构为你挑选了{titles}"
        + ("等岗位" if len(ordered) > 3 else "")
        + "，欢迎查看并投递。"
    )
    if message:
        body += "留言：" + message
    now = utcnow()
    logs = 0
    for done, sid in enumerate(sids):
        jobs.progress(done, len(sids))
        sdoc = seeker_doc(profiles[sid])
        for p in ordered:
            score = float(engine.score(sdoc, docs[p.id]).score) if sdoc is not None else 0.0
            db.session.add(
                RecommendationLog(
                    seeker_user_id=sid, position_id=p.id, source="push", score=score, created_at=now
                )
            )
            logs += 1
        notify(sid, "position_push", title, body, link)
    audit.record(
        actor_id,
        "match.push",
        "priority_group",
        None,
        group=group,
        district=district,
        position_ids=pids,
        seeker_count=len(sids),
        seeker_ids=sids,
    )
    db.session.commit()
    return {"notified": len(sids), "positions": len(pids), "logged": logs}


def _ids(values, field: str, empty: str, cap: int) -> list[int]:
    if values is None:
        values = []
    if isinstance(values, (str, int)):
        values = [values]
    if not isinstance(values, (list, tuple)):
        raise DomainError(empty, code="validation_error", status=422, fields={field: "应为列表"})
    out: list[int] = []
    for v in values:
        try:
            i = int(v)
        except (TypeError, ValueError):
            raise DomainError(
                "提交的数据有误。", code="validation_error", status=422, fields={field: "应为整数"}
            ) from None
        if not is_id(i):
            raise DomainError(
                "提交的数据有误。",
                code="validation_error",
                status=422,
                fields={field: "编号不正确"},
            )
        if i not in out:
            out.append(i)
    if not out:
        raise DomainError(empty, code="validation_error", status=422, fields={field: empty})
    if len(out) > cap:
        raise DomainError(
            f"一次最多选择 {cap} 项。",
            code="validation_error",
            status=422,
            fields={field: f"最多 {cap} 项"},
        )
    return out


# --- occupation suggestion ----------------------------------------------------------------

SUGGEST_MAX_CHARS = 100
SUGGEST_MAX_K = 10


SUGGEST_NO_ROLE = (
    "没有从这段文字里认出工种。请写上做什么工作（如“焊工”“收银员”“叉车司机”），"
    "或直接在职业列表里选择。"
)
SUGGEST_VAGUE = "标题只写了用工方式或待遇，没有写工种：下面是这类岗位常见的职业，仅供参考。"


def suggest(text: str | None, k: int = 5) -> dict:
    """Likely occupations for a position title or a seeker's wish: {items, truncated, hint}.

    Empty, blank or symbol-only text gives an empty list; text longer than
    SUGGEST_MAX_CHARS is cut (titles are short) and the answer says so. Text that names no
    role (长白班, 5000-8000) gets a hint saying what to write; a title that only says how the
    work is paid or who may do it (日结, 宝妈兼职) gets the usual jobs of that kind, marked
    as a guess.
    """

    text = " ".join((text or "").split())
    truncated = len(text) > SUGGEST_MAX_CHARS
    text = text[:SUGGEST_MAX_CHARS]
    k = max(1, min(int(k or 5), SUGGEST_MAX_K))
    items = []
    if text:
        majors = occupations.major_names()
        for s in suggest_occupations(text, k=k):
            items.append(
                {
                    "code": s.code,
                    "name": reference.occupation_display_name(s.name),
                    "marks": reference.occupation_marks(s.code),
                    "score": round(float(s.score), 4),
                    "major_name": majors.get(occupations.major_code(s.code), ""),
                }
            )
    hint = ""
    if text.strip() and not items:
        hint = SUGGEST_NO_ROLE
    elif items and items[0]["score"] <= FALLBACK_SCORE:
        hint = SUGGEST_VAGUE
    return {"items": items, "truncated": truncated, "hint": hint}


audit.ACTION_LABELS.setdefault("match.push", "向重点群体推送岗位")
audit.OBJECT_LABELS.setdefault("priority_group", "重点群体")
