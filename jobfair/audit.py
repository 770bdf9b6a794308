"""Audit log helper: organiser decisions are recorded in the same transaction as the change."""

from jobfair.extensions import db
from jobfair.models.audit import AuditLog

# What each action means to an organiser reading the log.
ACTION_LABELS = {
    "employer.verify": "通过单位审核",
    "employer.reject": "驳回单位审核",
    "position.approve": "放行岗位",
    "position.reject": "退回岗位",
    "moderation.rule_add": "新增审核规则",
}

OBJECT_LABELS = {"employer": "用人单位", "position": "岗位", "moderation_rule": "审核规则"}


def record(
    actor_id: int | None, action: str, object_type: str, object_id: int | None, **detail
) -> AuditLog:
    """Add an audit row to the session; the caller commits it together with the change."""
    row = AuditLog(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail={k: v for k, v in detail.items() if v is not None},
    )
    db.session.add(row)
    return row
