"""The organiser's schedule of 直播带岗 live sessions (the live layer starts and ends them)."""

from urllib.parse import urlsplit

from jobfair import audit
from jobfair.errors import Conflict, DomainError, NotFound
from jobfair.extensions import db
from jobfair.fairs.booths import approved_booths
from jobfair.fairs.fairs import get_fair, require_organiser
from jobfair.fairs.schemas import SessionSchema, load_fair_input, local_input
from jobfair.ids import require_id
from jobfair.models.fair import (
    Fair,
    FairStatus,
    LiveSession,
    LiveSessionEmployer,
    LiveSessionStatus,
)
from jobfair.models.user import Role, User, UserStatus

# --- reads ---------------------------------------------------------------------------------


def stream_kind(url: str | None) -> str:
    """'hls', 'flv' or 'embed' for a stream URL, '' for none."""
    if not url:
        return ""
    path = urlsplit(url).path.lower()
    if path.endswith(".m3u8"):
        return "hls"
    if path.endswith(".flv"):
        return "flv"
    return "embed"


def fair_sessions(fair: Fair) -> list[LiveSession]:
    return list(
        db.session.scalars(
            db.select(LiveSession)
            .filter_by(fair_id=fair.id)
            .order_by(LiveSession.starts_at, LiveSession.id)
        )
    )


def get_session(fair_id: int, session_id: int) -> LiveSession:
    ls = db.session.get(LiveSession, require_id(session_id))
    if ls is None or ls.fair_id != fair_id:
        raise NotFound("直播场次不存在。")
    return ls


def organisers() -> list[User]:
    """Who may host a session: active organiser accounts."""
    return list(
        db.session.scalars(
            db.select(User)
            .filter_by(role=Role.ORGANISER, status=UserStatus.ACTIVE)
            .order_by(User.id)
        )
    )


def session_form_values(ls: LiveSession | None, fair: Fair) -> dict:
    if ls is None:
        return {
            "title": "",
            "description": "",
            "host_user_id": "",
            "stream_url": "",
            "starts_at": local_input(fair.starts_at),
            "ends_at": "",
            "employer_ids": [],
        }
    return {
        "title": ls.title,
        "description": ls.description,
        "host_user_id": ls.host_user_id or "",
        "stream_url": ls.stream_url,
        "starts_at": local_input(ls.starts_at),
        "ends_at": local_input(ls.ends_at),
        "employer_ids": ls.employer_ids,
    }


# --- writes (organiser) --------------------------------------------------------------------


def _session_values(fair: Fair, data: dict, form: bool) -> dict:
    data = dict(data)
    if form and data.get("host_user_id") == "":
        data.pop("host_user_id")
    values = load_fair_input(SessionSchema(), data, form=form)
    host = db.session.get(User, values["host_user_id"])
    if host is None or host.role != Role.ORGANISER or host.status != UserStatus.ACTIVE:
        raise DomainError("主持人须为组织方账号。", fields={"host_user_id": "请选择组织方账号"})
    ids = sorted({i for i in values["employer_ids"]})
    allowed = {b.employer_id for b in approved_booths(fair)}
    if any(i not in allowed for i in ids):
        raise DomainError(
            "参与单位只能从本场已通过展位的单位中选择。",
            fields={"employer_ids": "包含未通过展位的单位"},
        )
    values["employer_ids"] = ids
    values["title"] = values["title"].strip()
    values["description"] = values["description"].strip()
    values["stream_url"] = values["stream_url"].strip()
    return values


def _apply_session(ls: LiveSession, values: dict) -> None:
    for key in ("title", "description", "host_user_id", "stream_url", "starts_at", "ends_at"):
        setattr(ls, key, values[key])
    keep = [link for link in ls.employer_links if link.employer_id in values["employer_ids"]]
    have = {link.employer_id for link in keep}
    ls.employer_links = keep + [
        LiveSessionEmployer(employer_id=i) for i in values["employer_ids"] if i not in have
    ]


def create_session(actor: User, fair_id: int, data: dict, *, form: bool = False) -> LiveSession:
    require_organiser(actor)
    fair = get_fair(fair_id)
    if fair.status == FairStatus.CLOSED:
        raise Conflict("已关闭的招聘会不能再安排直播。", code="fair_closed")
    values = _session_values(fair, data, form)
    ls = LiveSession(fair_id=fair.id, status=LiveSessionStatus.SCHEDULED)
    _apply_session(ls, values)
    db.session.add(ls)
    db.session.flush()
    audit.record(actor.id, "live_session.create", "live_session", ls.id, title=ls.title)
    db.session.commit()
    return ls


def update_session(
    actor: User,
    fair_id: int,
    session_id: int,
    data: dict,
    *,
    form: bool = False,
    partial: bool = False,
) -> LiveSession:
    require_organiser(actor)
    fair = get_fair(fair_id)
    ls = get_session(fair.id, session_id)
    if ls.status != LiveSessionStatus.SCHEDULED:
        raise Conflict("直播已开始或已结束，不能修改安排。", code="session_started")
    if partial:
        data = {**session_form_values(ls, fair), **data}
    values = _session_values(fair, data, form)
    _apply_session(ls, values)
    audit.record(actor.id, "live_session.update", "live_session", ls.id, title=ls.title)
    db.session.commit()
    return ls


def delete_session(actor: User, fair_id: int, session_id: int) -> None:
    require_organiser(actor)
    fair = get_fair(fair_id)
    ls = get_session(fair.id, session_id)
    if ls.status != LiveSessionStatus.SCHEDULED:
        raise Conflict("直播已开始或已结束，不能删除。", code="session_started")
    audit.record(actor.id, "live_session.delete", "live_session", ls.id, title=ls.title)
    db.session.delete(ls)
    db.session.commit()
