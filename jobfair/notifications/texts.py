"""What the application pipeline tells people: Chinese notification texts for status changes."""

from flask import url_for

from jobfair.models.application import Application, ApplicationStatus
from jobfair.models.position import Position
from jobfair.notifications.services import notify

S = ApplicationStatus

# What the seeker reads when the employer moves the application on.
SEEKER_TEXTS = {
    S.VIEWED: ("用人单位已查看你的投递", "{employer}已查看你投递的“{title}”，请留意后续进展。"),
    S.INTERVIEW: ("你收到了面试邀请", "{employer}邀请你参加“{title}”的面试。{note}"),
    S.HIRED: ("恭喜，你已被录用", "{employer}决定录用你担任“{title}”。{note}"),
    S.ONBOARDED: ("入职已确认", "{employer}已确认你入职“{title}”。祝工作顺利！"),
    S.REJECTED: (
        "投递结果：未通过",
        "很遗憾，{employer}的“{title}”这次未能录用你。{note}平台还有更多适合你的岗位，去看看为你推荐的岗位吧。",
    ),
}


def _url(endpoint: str, fallback: str, **values) -> str:
    try:
        return url_for(endpoint, **values)
    except RuntimeError:  # no request (CLI): build the path by hand
        return fallback


def application_submitted(position: Position, *, reopened: bool = False) -> None:
    """Tell the employer about a new (or re-opened) application to one of its positions."""
    title = "重新投递" if reopened else "收到新投递"
    notify(
        position.employer.user_id,
        "application_new",
        f"{title}：{position.title}",
        "有求职者投递了“" + position.title + "”，请及时查看并处理。",
        _url(
            "applications.applicants",
            f"/employer/positions/{position.id}/applicants",
            position_id=position.id,
        ),
    )


def application_status_changed(app: Application, to_status: str, note: str = "") -> None:
    """Tell the seeker that the employer moved the application to to_status."""
    text = SEEKER_TEXTS.get(to_status)
    if text is None:
        return
    position = app.position
    title, body = text
    note = f"单位留言：{note}" if note else ""
    notify(
        app.seeker_id,
        "application_status",
        title,
        body.format(employer=position.employer.name, title=position.title, note=note).strip(),
        _url("applications.mine", "/me/applications"),
    )
