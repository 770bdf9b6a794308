"""Each user's choice, per kind of notification, of how to get it: 实时提醒 (pushed to open
pages), 通知中心 (listed one by one) and 每日汇总 (gathered into one summary a day).

No row means the defaults: live and in the centre, no summary. Every notification is still
written (its kind, time and text are the record of what the platform told whom); the choices
decide whether it is pushed, listed, and summarised.
"""

from dataclasses import dataclass

from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.models.notification import NOTIFICATION_KIND_LABELS, NotificationPreference
from jobfair.models.user import Role, User
from jobfair.transactions import commit_or_conflict

# What each role can receive and choose for, in the order the page lists them. Kinds not
# listed (system notices, the daily summary itself) always arrive live and in the centre.
KINDS_BY_ROLE = {
    Role.SEEKER: [
        "live",
        "application_status",
        "position_push",
        "job_alert",
        "casework",
    ],
    Role.EMPLOYER: [
        "employer_review",
        "position_review",
        "booth_decision",
        "rep_change",
        "application_new",
        "talent_alert",
        "live",
    ],
    Role.ORGANISER: ["casework"],
}

KIND_HINTS = {
    "live": "排队叫号、面谈转交等现场招聘消息",
    "application_status": "用人单位查看、邀请面试、录用等投递进度",
    "position_push": "平台为你推荐的岗位",
    "job_alert": "你订阅的岗位提醒",
    "casework": "就业帮扶相关事项",
    "employer_review": "单位资质审核通过或被驳回",
    "position_review": "岗位待审核、被退回或审核通过",
    "booth_decision": "招聘会展位申请通过或未通过",
    "rep_change": "本单位新增或移除招聘代表",
    "application_new": "求职者投递了本单位的岗位",
    "talent_alert": "符合条件的新人才",
}


@dataclass(frozen=True)
class Delivery:
    live: bool = True
    centre: bool = True
    digest: bool = False


DEFAULT = Delivery()


def kinds_for(user: User) -> list[str]:
    return list(KINDS_BY_ROLE.get(user.role, []))


def delivery(user_id: int, kind: str) -> Delivery:
    """How this user wants this kind (a primary-key read, cached by the session).

    Called by notify() in the middle of the caller's transaction: the read must not flush the
    caller's pending writes, or a UNIQUE refusal the caller turns into a clear 409 at its
    commit (commit_or_conflict) would surface here as a 500.
    """
    with db.session.no_autoflush:
        pref = db.session.get(NotificationPreference, (user_id, kind))
    if pref is None:
        return DEFAULT
    return Delivery(live=pref.live, centre=pref.centre, digest=pref.digest)


def table(user: User) -> list[dict]:
    """The user's choices for every kind they can receive (the page and the API)."""
    rows = {
        p.kind: p
        for p in db.session.scalars(db.select(NotificationPreference).filter_by(user_id=user.id))
    }
    out = []
    for kind in kinds_for(user):
        p = rows.get(kind)
        d = Delivery(p.live, p.centre, p.digest) if p else DEFAULT
        out.append(
            {
                "kind": kind,
                "label": NOTIFICATION_KIND_LABELS.get(kind, kind),
                "hint": KIND_HINTS.get(kind, ""),
                "live": d.live,
                "centre": d.centre,
                "digest": d.digest,
            }
        )
    return out


def _flag(value, kind: str, what: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in (None, "", "0", "false", "off"):
        return False
    if value in ("1", "true", "on", 1):
        return True
    raise DomainError(
        f"“{NOTIFICATION_KIND_LABELS.get(kind, kind)}”的{what}设置应为开或关。",
        code="validation_error",
        fields={kind: "应为开或关"},
    )


def save(user: User, choices: dict) -> list[dict]:
    """Replace the user's choices. choices: {kind: {"live", "centre", "digest"}}; kinds not
    given keep their setting. Unknown kinds are refused whole (nothing is written)."""
    if not isinstance(choices, dict):
        raise DomainError("设置格式不正确。", code="validation_error", status=400)
    allowed = kinds_for(user)
    unknown = [k for k in choices if k not in allowed]
    if unknown:
        raise DomainError(
            "不能设置这类通知："
            + "、".join(NOTIFICATION_KIND_LABELS.get(k, str(k)[:30]) for k in unknown[:5]),
            code="validation_error",
            fields={str(k)[:30]: "不能设置" for k in unknown[:5]},
        )
    parsed = {}
    for kind, value in choices.items():
        if not isinstance(value, dict):
            raise DomainError("设置格式不正确。", code="validation_error", status=400)
        parsed[kind] = Delivery(
            live=_flag(value.get("live", False), kind, "实时提醒"),
            centre=_flag(value.get("centre", False), kind, "通知中心"),
            digest=_flag(value.get("digest", False), kind, "每日汇总"),
        )
    for kind, d in parsed.items():
        pref = db.session.get(NotificationPreference, (user.id, kind))
        if d == DEFAULT:
            if pref is not None:
                db.session.delete(pref)
            continue
        if pref is None:
            pref = NotificationPreference(user_id=user.id, kind=kind)
            db.session.add(pref)
        pref.live, pref.centre, pref.digest = d.live, d.centre, d.digest
    commit_or_conflict("通知设置刚被另一个页面修改，请刷新后再保存。", code="stale")
    return table(user)


def from_form(user: User, form) -> dict:
    """{kind: {...}} from the page's checkboxes (name "<kind>.live" and so on)."""
    return {
        kind: {f: form.get(f"{kind}.{f}") == "on" for f in ("live", "centre", "digest")}
        for kind in kinds_for(user)
    }
