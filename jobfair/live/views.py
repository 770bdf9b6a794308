"""HTML routes of the live feature: session room, my queues, booth desk, 1:1 chat, console.

Pages render everything they show on the server (they read without JavaScript); forms post
to the same services the sockets use; the page scripts add the live updates.
"""

import secrets
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from jobfair.database import begin_write
from jobfair.display.services import call_grace_minutes, chat_warn_seconds
from jobfair.display.views import request_mode
from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.fairs.booths import approved_booths, booth_reps, shown_positions
from jobfair.fairs.schedule import fair_sessions, stream_kind
from jobfair.ids import require_id
from jobfair.interviews import services as interviews
from jobfair.live import (
    access,
    announcements,
    figures,
    missed,
    moderation,
    queries,
    queues,
    serializers,
    sessions,
)
from jobfair.live import desk as booth_desk  # the name desk is the rep's page below
from jobfair.models.common import utcnow
from jobfair.models.fair import LIVE_SESSION_STATUS_LABELS, LiveSession
from jobfair.models.live import NEXT_STEP_LABELS, RESTRICTION_LABELS, RoomKind
from jobfair.security import CSP, login_required, role_required

bp = Blueprint("live", __name__)


@bp.app_context_processor
def _live_template_helpers():
    """Callables for the live includes that other features' templates pull in."""
    return {
        "live_now": utcnow,
        "live_lobby": lambda fair: queries.lobby_state(fair.id),
        "live_pins": lambda fair: queries.active_pins(fair_id=fair.id),
    }


def _back(default: str):
    """Redirect to a same-site path given in the form, else to default."""
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return redirect(target)
    return redirect(default)


def _flash_error(err: DomainError) -> None:
    """Rule broken: say so on the page. Somebody else's object stays a plain 404."""
    db.session.rollback()
    if err.status == 404:
        raise err
    flash(err.message, "error")


# --- 直播带岗 room ---------------------------------------------------------------------------


@bp.get("/live/sessions/<int:session_id>")
@login_required
def session_room(session_id: int):
    ls = access.visible_session(current_user, session_id)
    try:
        access.check_not_banned(current_user, ls.fair_id)
        banned = None
    except DomainError as err:
        banned = err.message
    begin_write(db.session)
    sessions.record_session_view(current_user, ls, visit=True)
    messages = [] if banned else queries.recent_messages(RoomKind.SESSION, ls.id)
    kind = stream_kind(ls.stream_url)
    origin = _stream_origin(ls.stream_url, kind)
    html = render_template(
        "live/session.html",
        live_session=ls,
        status_label=LIVE_SESSION_STATUS_LABELS.get(ls.status, ls.status),
        stream_kind=kind,
        embed=kind == "embed" and bool(origin),
        playable=kind in ("hls", "flv") and bool(origin),
        messages=[serializers.message_dict(m) for m in messages],
        questions=queries.session_questions(ls, current_user),
        pins=queries.active_pins(session_id=ls.id),
        announcements=queries.announcements(ls.fair_id, ls.id),
        counters=queries.session_counters(ls),
        host=access.can_host(current_user, ls),
        pinnable=announcements.pinnable_positions(ls) if access.can_host(current_user, ls) else [],
        banned=banned,
        room_apps=figures.room_applications(current_user, session_id=ls.id)
        if current_user.role == "employer"
        else None,
    )
    resp = make_response(html)
    if origin:
        resp.headers["Content-Security-Policy"] = _stream_policy(kind, origin)
    return resp


def _stream_origin(url: str, kind: str) -> str | None:
    """The origin the page may reach for its stream: https only for an embedded page; an
    HLS/FLV stream may be plain http (the player explains when an https page cannot load it)."""
    parts = urlsplit(url or "")
    schemes = ("https",) if kind == "embed" else ("http", "https")
    if kind not in ("embed", "hls", "flv") or parts.scheme not in schemes:
        return None
    if not parts.netloc or any(c in parts.netloc for c in " ;,'\""):
        return None
    return f"{parts.scheme}://{parts.netloc}"


def _stream_policy(kind: str, origin: str) -> str:
    """The page's policy widened by exactly the organiser's stream origin, nothing else."""
    if kind == "embed":
        return CSP + f"; frame-src {origin}"
    # hls.js and mpegts.js fetch the playlist and segments (connect-src) and feed the video
    # through Media Source Extensions (a blob: URL); Safari's native player loads it directly.
    policy = CSP.replace("connect-src 'self'", f"connect-src 'self' {origin}")
    return policy + f"; media-src 'self' blob: {origin}"


@bp.post("/live/pins/<int:pin_id>/apply")
@role_required("seeker")
def apply_pin(pin_id: int):
    try:
        announcements.apply_from_pin(current_user, pin_id)
        flash("投递成功，可在“我的投递”查看进度。", "success")
    except DomainError as err:
        _flash_error(err)
    return _back(url_for("applications.mine"))


@bp.post("/live/messages/<int:message_id>/report")
@login_required
def report_message(message_id: int):
    try:
        moderation.report_message(current_user, message_id, request.form.get("reason", ""))
        flash("已举报，主办方会尽快处理。", "success")
    except DomainError as err:
        _flash_error(err)
    return _back(url_for("main.index"))


# --- seekers: queues -------------------------------------------------------------------------


@bp.get("/live/queues")
@role_required("seeker")
def my_queues():
    entries = queries.my_queues(current_user)
    return render_template(
        "live/queues.html",
        entries=entries,
        max_queues=queues.MAX_QUEUES,
        announcements=missed.recent([missed.fair_scope(e["fair_id"]) for e in entries]),
    )


@bp.post("/live/booths/<int:booth_id>/queue")
@role_required("seeker")
def join_queue(booth_id: int):
    try:
        entry, created = queues.join_queue(current_user, booth_id)
        flash("已加入排队。" if created else "你已在这个展位的队列中。", "success")
    except DomainError as err:
        _flash_error(err)
    return redirect(url_for("live.my_queues"))


@bp.post("/live/queue/<int:entry_id>/leave")
@role_required("seeker")
def leave_queue(entry_id: int):
    try:
        queues.leave_queue(current_user, entry_id)
        flash("已离开队列。", "success")
    except DomainError as err:
        _flash_error(err)
    return redirect(url_for("live.my_queues"))


# --- reps: booth desk and chats --------------------------------------------------------------


@bp.get("/live/booths/<int:booth_id>/desk")
@role_required("employer")
def desk(booth_id: int):
    data = booth_desk.desk(current_user, booth_id)
    booth = access.rep_booth(current_user, booth_id)
    return render_template(
        "live/desk.html",
        desk=data,
        booth=booth,
        fair=booth.fair,
        announcements=missed.recent([missed.fair_scope(booth.fair_id)], limit=5),
        room_apps=figures.room_applications(current_user, fair_id=booth.fair_id),
    )


@bp.post("/live/booths/<int:booth_id>/call")
@role_required("employer")
def call_next(booth_id: int):
    try:
        chat = booth_desk.call_next(current_user, booth_id, request.form.get("entry_id") or None)
    except DomainError as err:
        _flash_error(err)
        return redirect(url_for("live.desk", booth_id=booth_id))
    return redirect(url_for("live.chat_page", chat_id=chat.id))


@bp.get("/live/chats/<int:chat_id>")
@login_required
def chat_page(chat_id: int):
    begin_write(db.session)
    chat = booth_desk.open_chat(current_user, chat_id)
    is_rep = current_user.id == chat.rep_user_id
    booth = chat.booth
    seeker_elder = bool(chat.seeker.elder_mode)
    # 适老化: the seeker in 长辈版 (on this device or by account) is warned earlier, and
    # so is the rep talking to them.
    elder = seeker_elder if is_rep else (seeker_elder or request_mode())
    return render_template(
        "live/chat.html",
        warn_seconds=chat_warn_seconds(elder),
        seeker_elder=seeker_elder,
        grace_minutes=call_grace_minutes(True),
        chat=chat,
        info=serializers.chat_dict(chat),
        booth=booth,
        is_rep=is_rep,
        messages=[
            serializers.message_dict(m)
            for m in queries.messages_after_id(RoomKind.CHAT, chat.id, 0)
        ],
        positions=shown_positions(booth) if is_rep else [],
        colleagues=[u for u in booth_reps(booth) if u.id != current_user.id] if is_rep else [],
        profile=booth_desk.profile_summary(chat.seeker_user_id) if is_rep else None,
        next_steps=NEXT_STEP_LABELS,
        announcements=missed.recent([missed.fair_scope(booth.fair_id)], limit=5),
        my_chats=booth_desk.rep_open_chats(current_user.id) if is_rep else [],
    )


@bp.post("/live/chats/<int:chat_id>/end")
@role_required("employer")
def end_chat(chat_id: int):
    form = request.form.to_dict()
    # 邀请面试 with a time: the arrangement is checked before the chat ends, sent after.
    plan = form.get("next_step") == "interview" and bool(form.get("starts_at"))
    try:
        if plan:
            interviews.clean_plan(form, form=True)
        chat = booth_desk.end_chat(current_user, chat_id, form)
    except DomainError as err:
        _flash_error(err)
        return redirect(url_for("live.chat_page", chat_id=chat_id))
    if plan and chat.application_id:
        try:
            interviews.schedule(current_user, chat.application_id, form, form=True, chat_id=chat.id)
        except DomainError as err:
            db.session.rollback()
            flash("面谈已结束，但面试安排没有发出：" + err.message, "error")
            return redirect(url_for("interviews.employer_list"))
        flash("面谈已结束，面试邀请已发给求职者。", "success")
        return redirect(url_for("live.desk", booth_id=chat.booth_id))
    flash("面谈已结束，记录已保存。", "success")
    return redirect(url_for("live.desk", booth_id=chat.booth_id))


# --- organiser console -----------------------------------------------------------------------


@bp.get("/live/console/<int:fair_id>")
@role_required("organiser")
def console(fair_id: int):
    fair = access.organiser_fair(current_user, fair_id)
    booths = approved_booths(fair)
    return render_template(
        "live/console.html",
        fair=fair,
        counters=queries.fair_counters(fair),
        sessions=fair_sessions(fair),
        session_labels=LIVE_SESSION_STATUS_LABELS,
        pins=queries.active_pins(fair_id=fair.id),
        positions=[(b, p) for b in booths for p in shown_positions(b)],
        reports=queries.open_reports(fair.id),
        announcements=list(reversed(queries.announcements(fair.id))),
        restriction_labels=RESTRICTION_LABELS,
        restrict_minutes=moderation.RESTRICT_MINUTES,
        announce_client_id=_form_id(),
        live_figures=figures.fair_figures(fair),
    )


CONSOLE_DONE = {
    "announce": "公告已发布。",
    "pin": "岗位已置顶。",
    "unpin": "已取消置顶。",
    "session_live": "直播已开始。",
    "session_ended": "直播已结束。",
    "delete_message": "消息已删除。",
    "dismiss_report": "已忽略该举报。",
    "restrict": "已处理该用户。",
}


@bp.post("/live/console/<int:fair_id>/action")
@role_required("organiser")
def console_action(fair_id: int):
    fair = access.organiser_fair(current_user, fair_id)
    f = request.form
    action = f.get("action", "")
    try:
        if action == "announce":
            announcements.announce(
                current_user, fair.id, f.get("client_id") or _form_id(), f.get("body")
            )
        elif action == "pin":
            announcements.pin_position(current_user, f.get("position_id"), fair_id=fair.id)
        elif action == "unpin":
            announcements.unpin(current_user, f.get("pin_id"))
        elif action in ("session_live", "session_ended"):
            ls = db.session.get(LiveSession, require_id(f.get("session_id"), "直播不存在。"))
            if ls is None or ls.fair_id != fair.id:
                abort(404)
            sessions.set_session_status(current_user, ls.id, action.split("_", 1)[1])
        elif action == "delete_message":
            moderation.delete_message(current_user, f.get("message_id"))
        elif action == "dismiss_report":
            moderation.dismiss_report(current_user, f.get("report_id"))
        elif action == "restrict":
            moderation.restrict_user(
                current_user,
                fair.id,
                f.get("user_id"),
                f.get("kind"),
                f.get("minutes"),
                f.get("reason"),
            )
        else:
            raise DomainError("未知操作。", code="bad_request", status=400)
        flash(CONSOLE_DONE[action], "success")
    except DomainError as err:
        _flash_error(err)
    return _back(url_for("live.console", fair_id=fair.id))


def _form_id() -> str:
    return "form-" + secrets.token_hex(8)


# --- 达成意向 (reps) ---------------------------------------------------------------------------


@bp.post("/live/applications/<int:application_id>/intent")
@role_required("employer")
def intent(application_id: int):
    try:
        if request.form.get("action") == "unmark":
            figures.unmark_intent(current_user, application_id)
            flash("已取消达成意向。", "success")
        else:
            figures.mark_intent(current_user, application_id)
            flash("已标记达成意向。", "success")
    except DomainError as err:
        _flash_error(err)
    return _back(url_for("fairs.my_booths"))
