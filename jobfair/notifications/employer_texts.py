"""What employers are told about the organisers' decisions and their own rep accounts.

Each handler runs inside the sender's transaction, so the notification is committed with the
decision (or not at all). Everyone who acts for the employer hears of it: the owner account
and its active rep accounts.
"""

from flask import url_for

from jobfair.extensions import db
from jobfair.models.employer import Employer
from jobfair.models.fair import Booth, EmployerRep
from jobfair.models.position import Position
from jobfair.models.user import User, UserStatus
from jobfair.notifications.services import notify


def _url(endpoint: str, fallback: str, **values) -> str:
    try:
        return url_for(endpoint, **values)
    except RuntimeError:  # no request (CLI, a job): build the path by hand
        return fallback


def people_of(employer_id: int, *, leave_out: set[int] | None = None) -> list[int]:
    """The user ids acting for an employer (owner first), active accounts only."""
    owner = db.session.scalar(db.select(Employer.user_id).filter_by(id=employer_id))
    reps = db.session.scalars(
        db.select(EmployerRep.user_id).filter_by(employer_id=employer_id).order_by(EmployerRep.id)
    ).all()
    ids = [i for i in dict.fromkeys([owner, *reps]) if i is not None]
    if not ids:
        return []
    active = set(
        db.session.scalars(
            db.select(User.id).filter(User.id.in_(ids), User.status == UserStatus.ACTIVE)
        )
    )
    return [i for i in ids if i in active and i not in (leave_out or set())]


def _tell(employer_id: int, kind: str, title: str, body: str, link: str, **kw) -> None:
    for user_id in people_of(employer_id, **kw):
        notify(user_id, kind, title, body, link)


def employer_reviewed(employer: Employer, *, verified: bool, reason: str) -> None:
    link = _url("employers.profile", "/employer/profile")
    if verified:
        title = "单位审核已通过"
        body = f"“{employer.name}”已通过主办方审核，现在可以发布岗位、申请招聘会展位。"
    else:
        title = "单位审核未通过"
        body = (
            f"“{employer.name}”的单位信息未通过审核。驳回原因：{reason or '未填写'}。"
            "请按意见修改单位信息后重新提交。"
        )
    _tell(employer.id, "employer_review", title, body, link)


def _position_link(position: Position) -> str:
    return _url(
        "employers.position_detail",
        f"/employer/positions/{position.id}",
        position_id=position.id,
    )


def position_held(position: Position, *, phrases: list[str]) -> None:
    words = "、".join(dict.fromkeys(p for p in phrases if p))[:100]
    body = f"岗位“{position.title}”需要主办方审核后才会公开"
    body += f"（需核实的内容：{words}）。" if words else "。"
    body += "审核结果会再通知你。"
    _tell(position.employer_id, "position_review", "岗位待审核", body, _position_link(position))


def position_reviewed(position: Position, *, approved: bool, note: str) -> None:
    if approved:
        title = "岗位审核通过，已公开"
        body = f"岗位“{position.title}”已通过主办方审核，求职者现在可以看到并投递。"
        if note:
            body += f"审核意见：{note}"
    else:
        title = "岗位被退回，请修改"
        body = (
            f"岗位“{position.title}”被主办方退回，已转为草稿。退回意见：{note}。修改后可重新发布。"
        )
    _tell(position.employer_id, "position_review", title, body, _position_link(position))


def booth_decided(booth: Booth, *, approved: bool, reason: str) -> None:
    fair = booth.fair
    link = _url("fairs.employer_fairs", "/employer/fairs")
    if approved:
        title = "展位申请已通过"
        body = f"你单位在“{fair.title}”的展位申请已通过。招聘会开始后，招聘人员可在展位工作台接待求职者。"
    else:
        title = "展位申请未通过"
        body = f"你单位在“{fair.title}”的展位申请未通过。原因：{reason or '未填写'}。"
    _tell(booth.employer_id, "booth_decision", title, body, link)


def rep_changed(
    *, employer_id: int, rep_user_id: int, rep_name: str, added: bool, actor_id: int
) -> None:
    name = rep_name or "招聘代表"
    link = _url("fairs.reps", "/employer/reps")
    if added:
        title = f"新增招聘代表：{name}"
        body = f"本单位新增了招聘代表“{name}”，可在招聘会展位接待求职者。"
        leave_out = {actor_id, rep_user_id}
    else:
        title = f"已移除招聘代表：{name}"
        body = f"“{name}”已不再是本单位的招聘代表，账号已停用并退出登录。"
        leave_out = {actor_id}
    _tell(employer_id, "rep_change", title, body, link, leave_out=leave_out)
    if added:
        employer = db.session.get(Employer, employer_id)
        notify(
            rep_user_id,
            "rep_change",
            "你已成为招聘代表",
            f"你已被添加为“{employer.name if employer else '本单位'}”的招聘代表，"
            "可在“我的展位”进入招聘会展位工作台。",
            _url("fairs.my_booths", "/fairs/my-booths"),
        )
