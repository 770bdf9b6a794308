"""Access matrix entries of the notification centre; notification_id belongs to another user."""

OK, LOGIN = "ok", "login"
SIGNED_IN = (LOGIN, OK, OK, OK)

ENTRIES = {
    ("notifications.index", "GET"): SIGNED_IN,
    ("notifications.mark_read", "POST"): (LOGIN, 404, 404, 404),
    ("notifications.mark_all_read", "POST"): SIGNED_IN,
    ("api_notifications.list_notifications", "GET"): SIGNED_IN,
    ("api_notifications.unread_count", "GET"): SIGNED_IN,
    ("api_notifications.mark_read", "POST"): (LOGIN, 404, 404, 404),
    ("api_notifications.mark_all_read", "POST"): SIGNED_IN,
}


def ids(app, ctx) -> dict:
    from jobfair.database import writing
    from jobfair.extensions import db
    from jobfair.models import Notification

    with app.app_context(), writing():
        n = Notification(user_id=ctx["seeker_owner"].id, kind="system", title="测试通知", body="")
        db.session.add(n)
        db.session.commit()
        return {"notification_id": n.id}
