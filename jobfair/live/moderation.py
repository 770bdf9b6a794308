"""Moderating live rooms: reports, deleting messages, muting and removing people."""

from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from jobfair.audit import record
from jobfair.errors import DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.live import broadcasts
from jobfair.live.access import is_organiser, organiser_fair, visible_message
from jobfair.live.queries import fair_id_of_room
from jobfair.live.serializers import message_dict
from jobfair.models.common import utcnow
from jobfair.models.live import (
    LiveMessage,
    LiveRestriction,
    MessageReport,
    ReportStatus,
    RestrictionKind,
)
from jobfair.models.user import Role, User

RESTRICT_MINUTES = (10, 30, 60, 24 * 60)


def report_message(user: User, message_id, reason="") -> dict:
    msg = visible_message(user, message_id)
    if msg.user_id == user.id:
        raise DomainError("不能举报自己的消息。", code="own_message")
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if len(reason) > 200:
        raise DomainError("举报理由不能超过 200 个字。", fields={"reason": "不超过 200 个字"})
    existing = db.session.scalar(
        db.select(MessageReport).filter_by(message_id=msg.id, reporter_id=user.id)
    )
    if existing is None:
        existing = MessageReport(message_id=msg.id, reporter_id=user.id, reason=reason)
        db.session.add(existing)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        else:
            fair_id = fair_id_of_room(msg.room_kind, msg.room_id)
            if fair_id is not None:
                broadcasts.console_changed(fair_id)
    return {"reported": True, "message_id": msg.id}


def delete_message(user: User, message_id) -> dict:
    if not is_organiser(user):
        raise Forbidden("只有主办方可以删除消息。")
    msg = db.session.get(LiveMessage, require_id(message_id, "消息不存在。"))
    if msg is None:
        raise NotFound("消息不存在。")
    if msg.deleted_at is None:
        now = utcnow()
        msg.deleted_at = now
        msg.deleted_by = user.id
        db.session.execute(
            db.update(MessageReport)
            .where(MessageReport.message_id == msg.id, MessageReport.status == ReportStatus.OPEN)
            .values(status=ReportStatus.RESOLVED, resolved_at=now, resolved_by=user.id)
            .execution_options(synchronize_session=False)
        )
        record(user.id, "live.message_delete", "live_message", msg.id, room=msg.room_kind)
        db.session.commit()
    data = message_dict(msg)
    broadcasts.message_deleted(msg, data)
    fair_id = fair_id_of_room(msg.room_kind, msg.room_id)
    if fair_id is not None:
        broadcasts.console_changed(fair_id)
    return data


def dismiss_report(user: User, report_id) -> None:
    if not is_organiser(user):
        raise Forbidden()
    report = db.session.get(MessageReport, require_id(report_id, "举报不存在。"))
    if report is None:
        raise NotFound("举报不存在。")
    if report.status == ReportStatus.OPEN:
        report.status = ReportStatus.DISMISSED
        report.resolved_at = utcnow()
        report.resolved_by = user.id
        db.session.commit()


def restrict_user(user: User, fair_id, target_id, kind, minutes, reason="") -> LiveRestriction:
    """Mute (may watch, may not write) or remove (disconnected, refused) a user for a period."""
    fair = organiser_fair(user, fair_id)
    target = db.session.get(User, require_id(target_id, "用户不存在。"))
    if target is None:
        raise NotFound("用户不存在。")
    if target.role == Role.ORGANISER:
        raise DomainError("不能禁言或移出主办方人员。", code="forbidden_target")
    if not isinstance(kind, str) or kind not in set(RestrictionKind):
        raise DomainError("请选择禁言或移出。", fields={"kind": "请选择禁言或移出"})
    try:
        minutes = int(minutes)
    except (TypeError, ValueError, OverflowError):  # 1e309 arrives as infinity
        minutes = 0
    if minutes not in RESTRICT_MINUTES:
        raise DomainError("请选择时长。", fields={"minutes": "请选择时长"})
    reason = (reason or "").strip()[:200] if isinstance(reason, str) else ""
    r = LiveRestriction(
        user_id=target.id,
        kind=kind,
        fair_id=fair.id,
        until=utcnow() + timedelta(minutes=minutes),
        reason=reason,
        created_by=user.id,
    )
    db.session.add(r)
    record(user.id, "live.restrict", "user", target.id, kind=kind, minutes=minutes, fair=fair.id)
    db.session.commit()
    if kind == RestrictionKind.BAN:
        broadcasts.kick(target.id)
    return r
