"""HTML routes of the notification centre, and the unread badge for the navigation bar."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair.errors import DomainError
from jobfair.models.notification import NOTIFICATION_KIND_LABELS
from jobfair.notifications import digests, preferences, services
from jobfair.security import login_required

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _unread_badge():
    """unread_notifications(): one COUNT query, only when a template asks for it."""

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(current_user.id)

    return {"unread_notifications": unread_notifications}


@bp.route("/notifications")
@login_required
def index():
    page = services.parse_page(request.args.get("page"))
    rows, total, unread = services.list_for(current_user, page=page)
    return render_template(
        "notifications/index.html",
        rows=rows,
        total=total,
        unread=unread,
        page=page,
        pages=max(1, -(-total // services.PAGE_SIZE)),
        kind_labels=NOTIFICATION_KIND_LABELS,
    )


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id: int):
    n = services.mark_read(current_user, notification_id)
    if request.form.get("open") and n.link:
        return redirect(n.link)
    return redirect(url_for("notifications.index", page=request.form.get("page") or None))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def mark_all_read():
    count = services.mark_all_read(current_user)
    flash(f"已将 {count} 条通知标为已读。" if count else "没有未读通知。", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@login_required
def preferences_page():
    error = None
    if request.method == "POST":
        try:
            preferences.save(current_user, preferences.from_form(current_user, request.form))
            flash("通知设置已保存。", "success")
            return redirect(url_for("notifications.preferences_page"))
        except DomainError as err:
            error = err.message
    return render_template(
        "notifications/preferences.html",
        rows=preferences.table(current_user),
        pending=digests.pending_count(current_user.id),
        error=error,
    ), (400 if error else 200)
