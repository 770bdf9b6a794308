"""Access matrix entries of job alerts; alert_id and digest_id belong to another seeker, the
stop token is that seeker's (a stop link works without signing in)."""

OK, LOGIN = "ok", "login"
MINE = (LOGIN, OK, OK, 403)  # seekers' and employers' own lists; organisers have no alerts
OWNED = (LOGIN, 404, 404, 403)  # another user's alert or digest

ENTRIES = {
    ("alerts.index", "GET"): MINE,
    ("alerts.create", "POST"): (LOGIN, OK, 403, 403),
    ("alerts.enable_profile", "POST"): (LOGIN, OK, 403, 403),
    ("alerts.create_talent", "POST"): (LOGIN, 403, OK, 403),
    ("alerts.stop", "POST"): OWNED,
    ("alerts.resume", "POST"): OWNED,
    ("alerts.delete", "POST"): OWNED,
    ("alerts.digest", "GET"): OWNED,
    ("alerts.stop_link", "GET"): (OK, OK, OK, OK),
    ("api_alerts.list_alerts", "GET"): MINE,
    ("api_alerts.create_alert", "POST"): MINE,
    ("api_alerts.get_alert", "GET"): OWNED,
    ("api_alerts.delete_alert", "DELETE"): OWNED,
    ("api_alerts.stop_alert", "POST"): OWNED,
    ("api_alerts.resume_alert", "POST"): OWNED,
    ("api_alerts.list_digests", "GET"): MINE,
    ("api_alerts.get_digest", "GET"): OWNED,
}


def ids(app, ctx) -> dict:
    from datetime import date

    from jobfair.alerts.saved import stop_token
    from jobfair.database import writing
    from jobfair.extensions import db
    from jobfair.models import AlertDigest, JobAlert

    with app.app_context(), writing():
        alert = JobAlert(
            user_id=ctx["seeker_owner"].id, kind="search", name="焊工", filters={"q": "焊工"}
        )
        db.session.add(alert)
        db.session.flush()
        digest = AlertDigest(
            alert_id=alert.id, user_id=alert.user_id, day=date(2026, 1, 5), item_ids=[], items=[]
        )
        db.session.add(digest)
        db.session.commit()
        return {"alert_id": alert.id, "digest_id": digest.id, "token": stop_token(alert)}
