"""Who may do what in case work: case workers and their districts, supervisors, the 查看事由
rule, the management of case workers and the audit trail of case-file access."""

from sqlalchemy import or_

from jobfair import audit, reference
from jobfair.casework.schemas import CaseWorkerSchema
from jobfair.errors import DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.models.audit import AuditLog
from jobfair.models.casework import CaseWorker
from jobfair.models.user import Role, User
from jobfair.seekers.services import clean_text
from jobfair.validation import body, load

NOT_CASE_WORKER = "只有负责该区的个案工作人员才能查看重点群体帮扶档案和身份信息。"
NOT_SUPERVISOR = "只有督导（主管）个案工作人员可以进行此操作。"

# Why a case file is opened or exported (the audit log keeps the answer).
REASONS = {
    "follow_up": "日常跟踪帮扶",
    "recommend": "岗位推荐",
    "revisit": "就业回访核实",
    "report": "统计报表",
    "inspection": "督导检查",
    "other": "其他",
}


# --- permissions ---------------------------------------------------------------------------


def case_worker_of(user) -> CaseWorker | None:
    if user is None or not getattr(user, "is_authenticated", True) or user.role != Role.ORGANISER:
        return None
    return db.session.scalar(db.select(CaseWorker).filter_by(user_id=user.id))


def covers(user, district: str | None) -> bool:
    cw = case_worker_of(user)
    return cw is not None and cw.covers(district)


def require_case_worker(user, district: str | None = None) -> CaseWorker:
    cw = case_worker_of(user)
    if cw is None:
        raise Forbidden(NOT_CASE_WORKER)
    if district is not None and not cw.covers(district):
        raise Forbidden(f"你不负责{district}的重点群体帮扶工作，无权查看该区的档案。")
    return cw


def require_supervisor(user) -> CaseWorker:
    cw = require_case_worker(user)
    if not cw.is_supervisor:
        raise Forbidden(NOT_SUPERVISOR)
    return cw


def scope(user) -> list[str] | None:
    """The districts a case worker covers; None means all (supervisor)."""
    cw = require_case_worker(user)
    return None if cw.is_supervisor else list(cw.districts or [])


def check_reason(code: str | None, text: str | None = "") -> str:
    """The 查看事由 as stored in the audit log; raises a clear message when missing."""
    code = (code or "").strip()
    text = clean_text(text or "")[:100]
    if code not in REASONS:
        raise DomainError(
            "请先选择查看事由。", code="reason_required", fields={"reason": "请选择查看事由"}
        )
    if code == "other" and not text:
        raise DomainError(
            "选择“其他”时请填写具体事由。",
            code="reason_required",
            fields={"reason_text": "请填写具体事由"},
        )
    return REASONS[code] + (f"：{text}" if text else "")


# --- case workers (supervisors manage them) ------------------------------------------------


def list_case_workers() -> list[CaseWorker]:
    return list(
        db.session.scalars(db.select(CaseWorker).join(User).order_by(User.name, CaseWorker.id))
    )


def organisers() -> list[User]:
    return list(
        db.session.scalars(db.select(User).filter_by(role=Role.ORGANISER).order_by(User.name))
    )


def save_case_worker(actor, data, *, form: bool = False) -> CaseWorker:
    require_supervisor(actor)
    data = body(data)
    if form:
        data = dict(data)
    districts_in = data.get("districts") or []
    if isinstance(districts_in, str):
        districts_in = [districts_in]
    allowed = set(reference.districts())
    bad = [d for d in districts_in if d not in allowed]
    if bad:
        raise DomainError(
            "区域不在本市范围内：" + "、".join(map(str, bad)),
            fields={"districts": "请选择本市的区"},
        )
    values = load(
        CaseWorkerSchema(),
        {
            "user_id": data.get("user_id"),
            "is_supervisor": data.get("is_supervisor") in (True, "1", "true", "on", "y"),
        },
    )
    user = db.session.get(User, values["user_id"])
    if user is None or user.role != Role.ORGANISER:
        raise DomainError(
            "个案工作人员必须是组织方账号。", fields={"user_id": "请选择组织方工作人员"}
        )
    if not districts_in and not values["is_supervisor"]:
        raise DomainError(
            "请至少选择一个负责的区（督导可不选）。", fields={"districts": "请至少选择一个区"}
        )
    cw = db.session.scalar(db.select(CaseWorker).filter_by(user_id=user.id))
    if cw is None:
        cw = CaseWorker(user_id=user.id)
        db.session.add(cw)
    if cw.user_id == actor.id and not values["is_supervisor"]:
        raise DomainError("不能取消自己的督导权限。", fields={"is_supervisor": "不能取消自己"})
    cw.districts = sorted(set(districts_in), key=list(reference.districts()).index)
    cw.is_supervisor = values["is_supervisor"]
    db.session.flush()
    audit.record(
        actor.id,
        "casework.worker_save",
        "case_worker",
        cw.id,
        name=user.name,
        districts=cw.districts,
        supervisor="是" if cw.is_supervisor else "否",
    )
    db.session.commit()
    return cw


def remove_case_worker(actor, worker_id: int) -> None:
    require_supervisor(actor)
    cw = db.session.get(CaseWorker, require_id(worker_id))
    if cw is None:
        raise NotFound("个案工作人员不存在。")
    if cw.user_id == actor.id:
        raise DomainError("不能移除自己的个案工作人员权限。")
    audit.record(actor.id, "casework.worker_remove", "case_worker", cw.id, name=cw.user.name)
    db.session.delete(cw)
    db.session.commit()


# --- audit trail of case-file access ---------------------------------------------------------


def access_log(actor, limit: int = 200):
    require_supervisor(actor)
    return list(
        db.session.scalars(
            db.select(AuditLog)
            .where(
                or_(
                    AuditLog.action.like("casework.case%"),
                    AuditLog.action == "casework.cases_export",
                    AuditLog.action == "casework.records_view",
                    AuditLog.action.like("casework.status_%"),
                    AuditLog.action == "casework.targets_export",
                )
            )
            .order_by(AuditLog.id.desc())
            .limit(limit)
        )
    )


ACTION_LABELS = {
    "casework.case_view": "查看档案",
    "casework.case_self_view": "本人查看档案",
    "casework.case_create": "新建档案",
    "casework.case_update": "修改档案",
    "casework.cases_export": "导出档案",
    "casework.targets_export": "导出目标",
    "casework.records_view": "查看认定与登记",
    "casework.status_verify": "认定身份",
    "casework.status_revoke": "撤销认定",
}
