"""The 长辈版 (适老化 mode) switch, the page that explains it, and the mode for templates."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair.display import services
from jobfair.errors import DomainError
from jobfair.security import safe_next

bp = Blueprint("display", __name__)


def request_mode() -> bool:
    user = current_user if current_user.is_authenticated else None
    return services.effective_mode(user, request.cookies.get(services.COOKIE))


@bp.app_context_processor
def _display_mode():
    """elder_mode: whether this page is drawn large, high-contrast, with the short menu."""
    return {"elder_mode": request_mode()}


def remember_on_device(response, on: bool):
    response.set_cookie(
        services.COOKIE,
        "1" if on else "0",
        max_age=services.COOKIE_MAX_AGE,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
    )
    return response


@bp.get("/display")
def settings():
    return render_template(
        "display/settings.html",
        next_url=safe_next(request.args.get("next")),
        grace_minutes=services.call_grace_minutes(True),
        warn_minutes=services.chat_warn_seconds(True) // 60,
    )


@bp.post("/display/elder-mode")
def switch():
    """Turn the mode on or off on this device, and on the account when signed in."""
    target = safe_next(request.form.get("next")) or url_for("main.index")
    try:
        on = services.parse_switch(request.form.get("elder_mode"))
    except DomainError as err:
        flash(err.message, "error")
        return redirect(url_for("display.settings"))
    if current_user.is_authenticated:
        services.set_account_mode(current_user, on)
    flash("已打开长辈版：字更大、颜色更清楚、菜单更简单。" if on else "已回到标准版。", "success")
    return remember_on_device(redirect(target), on)
