"""Saved job alerts: save, list, stop, resume and delete alerts; stop links; reading digests.

Rules worth knowing:
- Seekers own two kinds: a saved search (keywords + the position search's filters, named)
  and one opt-in to positions that fit the wishes in their profile. Employers own talent
  alerts, one per position of their own. Organisers have none.
- Everything is owner-only: another user's alert or digest is 404, whatever the role.
- A stop link carries a signed, expiring token (alert id + owner id), so it stops the alert
  without signing in; a forged, altered or expired token is refused.
- Sending digests lives in ``alerts.services`` (``send_due_digests(now)``).
"""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from jobfair import reference
from jobfair.errors import DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.formatting import iso, label
from jobfair.ids import is_id
from jobfair.models.alert import ALERT_KIND_LABELS, AlertDigest, AlertKind, JobAlert
from jobfair.models.common import utcnow
from jobfair.models.position import Position, PositionStatus
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import Role
from jobfair.positions.search import FORM_KEYS, category_name, parse_filters
from jobfair.positions.services import get_own_position
from jobfair.transactions import commit_or_conflict
from jobfair.validation import strip_control

MAX_ALERTS = 20  # per user
NAME_MAX = 30
PROFILE_ALERT_NAME = "按我的求职意向"
STOP_SALT = "jobfair-alert-stop"
STOP_MAX_AGE_DAYS = 60
KINDS_BY_ROLE = {
    Role.SEEKER: (AlertKind.SEARCH, AlertKind.PROFILE),
    Role.EMPLOYER: (AlertKind.TALENT,),
}


# --- access ----------------------------------------------------------------------------------


def check_role(user) -> None:
    """Alerts are for seekers and employers; organisers get a 403."""
    if user.role not in KINDS_BY_ROLE:
        raise Forbidden("只有求职者和用人单位可以设置提醒。")


def own_alert(user, alert_id) -> JobAlert:
    check_role(user)
    alert = db.session.get(JobAlert, alert_id) if is_id(alert_id) else None
    if alert is None or alert.user_id != user.id:
        raise NotFound("提醒不存在。")
    return alert


def own_digest(user, digest_id) -> AlertDigest:
    check_role(user)
    digest = db.session.get(AlertDigest, digest_id) if is_id(digest_id) else None
    if digest is None or digest.user_id != user.id:
        raise NotFound("提醒内容不存在。")
    return digest


def list_alerts(user) -> list[JobAlert]:
    check_role(user)
    return list(
        db.session.scalars(
            select(JobAlert)
            .where(JobAlert.user_id == user.id)
            .order_by(JobAlert.active.desc(), JobAlert.created_at.desc(), JobAlert.id.desc())
        )
    )


def recent_digests(user, limit: int = 20) -> list[AlertDigest]:
    check_role(user)
    return list(
        db.session.scalars(
            select(AlertDigest)
            .where(AlertDigest.user_id == user.id)
            .order_by(AlertDigest.sent_at.desc(), AlertDigest.id.desc())
            .limit(max(1, min(int(limit), 100)))
        )
    )


# --- creating ---------------------------------------------------------------------------------


def clean_filters(data) -> dict:
    """The search filters as the position search validates them, blanks dropped."""
    values = parse_filters({k: data.get(k) for k in FORM_KEYS if data.get(k) not in (None, "")})
    return {k: values[k] for k in FORM_KEYS if values.get(k) not in (None, "", False)}


def describe_filters(filters: dict) -> str:
    """'关键词“焊工” · 江宁区 · 月薪不低于 6000 元': the conditions in words."""
    parts = []
    if filters.get("q"):
        parts.append(f"关键词“{filters['q']}”")
    if filters.get("district"):
        parts.append(filters["district"])
    if filters.get("occupation"):
        parts.append(category_name(filters["occupation"]) or filters["occupation"])
    if filters.get("salary"):
        parts.append(f"月薪不低于 {filters['salary']} 元")
    if filters.get("pay_unit"):
        parts.append("按" + label(filters["pay_unit"], "pay_unit") + "计薪")
    if filters.get("daily_pay"):
        parts.append("日结")
    for key in ("work_form", "channel", "group"):
        if filters.get(key):
            parts.append(label(filters[key], key))
    return " · ".join(parts)


def _name(value, fallback: str) -> str:
    if value is not None and not isinstance(value, str):
        raise DomainError(
            "提醒名称应为文字。", code="validation_error", fields={"name": "应为文本。"}
        )
    # One line of text: no NUL (PostgreSQL refuses it) or other control characters.
    name = " ".join(strip_control(value or "").split()) or fallback
    if len(name) > NAME_MAX:
        raise DomainError(
            f"提醒名称不能超过 {NAME_MAX} 个字。",
            code="validation_error",
            fields={"name": f"不能超过 {NAME_MAX} 个字。"},
        )
    return name


def _check_room(user) -> None:
    count = db.session.scalar(select(func.count(JobAlert.id)).where(JobAlert.user_id == user.id))
    if (count or 0) >= MAX_ALERTS:
        raise DomainError(
            f"最多设置 {MAX_ALERTS} 个提醒，请先删除不用的提醒。", code="too_many", status=409
        )


def _add(user, **values) -> JobAlert:
    _check_room(user)
    alert = JobAlert(user_id=user.id, active=True, created_at=utcnow(), **values)
    db.session.add(alert)
    commit_or_conflict("已有同名的提醒，请换一个名称。", code="duplicate_name")
    return alert


def create_search_alert(user, data: dict) -> JobAlert:
    """Save a search (keywords + filters) under a name; at least one condition is needed."""
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以保存搜索。")
    filters = clean_filters(data.get("filters") if isinstance(data.get("filters"), dict) else data)
    if not filters:
        raise DomainError(
            "请至少填写一个搜索条件（如关键词或工作地点），再保存为提醒。",
            code="validation_error",
            fields={"q": "请至少填写一个条件。"},
        )
    name = _name(data.get("name"), describe_filters(filters)[:NAME_MAX])
    return _add(user, kind=AlertKind.SEARCH, name=name, filters=filters)


def enable_profile_alert(user) -> JobAlert:
    """Opt in to alerts from the profile's wishes (turns a stopped one back on)."""
    if user.role != Role.SEEKER:
        raise Forbidden("只有求职者可以按求职意向接收提醒。")
    alert = db.session.scalar(
        select(JobAlert).where(JobAlert.user_id == user.id, JobAlert.kind == AlertKind.PROFILE)
    )
    if alert is not None:
        return resume(user, alert.id)
    return _add(user, kind=AlertKind.PROFILE, name=PROFILE_ALERT_NAME, filters={})


def create_talent_alert(user, position_id) -> JobAlert:
    """An employer's alert for new discoverable seekers who fit one of its positions."""
    if user.role != Role.EMPLOYER:
        raise Forbidden("只有用人单位可以设置人才提醒。")
    try:
        position_id = int(position_id)
    except (TypeError, ValueError):
        position_id = 0
    if not is_id(position_id):
        raise DomainError(
            "请选择要提醒的岗位。", code="validation_error", fields={"position_id": "请选择岗位。"}
        )
    position = get_own_position(user, position_id)
    if position.status != PositionStatus.PUBLISHED:
        raise DomainError("只有招聘中的岗位可以设置人才提醒。", code="not_published", status=409)
    existing = db.session.scalar(
        select(JobAlert).where(JobAlert.user_id == user.id, JobAlert.position_id == position.id)
    )
    if existing is not None:
        return resume(user, existing.id)
    name = f"人才：{position.title}"[:NAME_MAX]
    return _add(user, kind=AlertKind.TALENT, name=name, position_id=position.id, filters={})


def create_alert(user, data: dict) -> JobAlert:
    """The API's one entry: {"kind": "search" | "profile" | "talent", ...}."""
    check_role(user)
    kind = data.get("kind") or (AlertKind.TALENT if user.role == Role.EMPLOYER else "search")
    if kind not in KINDS_BY_ROLE[user.role]:
        raise DomainError(
            "提醒类型不正确。", code="validation_error", fields={"kind": "不是可选的值。"}
        )
    if kind == AlertKind.PROFILE:
        return enable_profile_alert(user)
    if kind == AlertKind.TALENT:
        return create_talent_alert(user, data.get("position_id"))
    return create_search_alert(user, data)


# --- stopping ------------------------------------------------------------------------------------


def stop(user, alert_id) -> JobAlert:
    alert = own_alert(user, alert_id)
    return _stop(alert)


def _stop(alert: JobAlert) -> JobAlert:
    if alert.active:
        alert.active = False
        alert.stopped_at = utcnow()
        db.session.commit()
    return alert


def resume(user, alert_id) -> JobAlert:
    """Turn an alert back on; what was published while it was off is not sent afterwards."""
    alert = own_alert(user, alert_id)
    if not alert.active:
        alert.active = True
        alert.stopped_at = None
        alert.last_sent_at = utcnow()
        db.session.commit()
    return alert


def delete(user, alert_id) -> None:
    alert = own_alert(user, alert_id)
    db.session.delete(alert)
    db.session.commit()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=STOP_SALT)


def stop_token(alert: JobAlert) -> str:
    return _serializer().dumps({"a": alert.id, "u": alert.user_id})


def stop_by_token(token: str) -> JobAlert:
    """Stop the alert a stop link names, without signing in. Idempotent."""
    try:
        data = _serializer().loads(token or "", max_age=STOP_MAX_AGE_DAYS * 86400)
    except SignatureExpired:
        raise DomainError(
            "这个停止链接已过期，请登录后在“我的提醒”里停止。", code="token_expired", status=400
        ) from None
    except BadSignature:
        raise DomainError("停止链接无效。", code="token_invalid", status=400) from None
    alert = None
    if isinstance(data, dict) and is_id(data.get("a")):
        alert = db.session.get(JobAlert, data["a"])
    if alert is None or alert.user_id != data.get("u"):
        raise NotFound("提醒不存在或已删除。")
    return _stop(alert)


# --- output ---------------------------------------------------------------------------------------


def alert_dict(alert: JobAlert, *, stop_url: str | None = None) -> dict:
    out = {
        "id": alert.id,
        "kind": alert.kind,
        "kind_label": ALERT_KIND_LABELS.get(alert.kind, ""),
        "name": alert.name,
        "filters": dict(alert.filters or {}),
        "conditions": describe(alert),
        "position_id": alert.position_id,
        "active": alert.active,
        "created_at": iso(alert.created_at),
        "last_sent_at": iso(alert.last_sent_at),
        "stopped_at": iso(alert.stopped_at),
    }
    if stop_url:
        out["stop_url"] = stop_url
    return out


def describe(alert: JobAlert) -> str:
    if alert.kind == AlertKind.SEARCH:
        return describe_filters(alert.filters or {})
    if alert.kind == AlertKind.PROFILE:
        return "按个人资料里的期望职业、地点、薪资等匹配"
    position = db.session.get(Position, alert.position_id) if alert.position_id else None
    return f"适合岗位“{position.title}”的公开求职者" if position else ""


def _still_discoverable(user_ids) -> set[int]:
    ids = [int(i) for i in user_ids]
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(SeekerProfile.user_id).where(
                SeekerProfile.user_id.in_(ids), SeekerProfile.discoverable.is_(True)
            )
        )
    )


def digest_dict(digest: AlertDigest) -> dict:
    """A digest as sent. In a talent digest, seekers who have since hidden their profile (or
    deleted their account) are left out: withdrawing consent reaches old digests too."""
    items = list(digest.items or [])
    if digest.alert and digest.alert.kind == AlertKind.TALENT:
        visible = _still_discoverable(i["id"] for i in items)
        items = [i for i in items if i["id"] in visible]
    return {
        "id": digest.id,
        "alert_id": digest.alert_id,
        "alert_name": digest.alert.name if digest.alert else "",
        "kind": digest.alert.kind if digest.alert else "",
        "day": iso(digest.day),
        "sent_at": iso(digest.sent_at),
        "total": digest.total,
        "items": [_with_marks(dict(item)) for item in items],
    }


def _with_marks(item: dict) -> dict:
    """Occupation marks as a separate field, never glued to the name."""
    if "occupation_name" in item:
        item["occupation_marks"] = reference.occupation_marks(
            item.get("occupation_code") or item["occupation_name"]
        )
        item["occupation_name"] = reference.occupation_display_name(item["occupation_name"])
    for occ in item.get("desired_occupations") or ():
        occ["marks"] = reference.occupation_marks(occ.get("code") or occ.get("name"))
        occ["name"] = reference.occupation_display_name(occ.get("name"))
    return item
