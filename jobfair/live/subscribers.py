"""What the live layer does when other features act: close sockets, push notifications."""

from jobfair import events
from jobfair.live import identity, realtime


def _close_login_sessions(_sender, login_session_ids, **_kw) -> None:
    # A socket lives no longer than the login session it was opened with.
    identity.forget_login_sessions(login_session_ids)
    realtime.disconnect_login_sessions(login_session_ids)


def _close_user_sockets(_sender, user_id, **_kw) -> None:
    identity.forget_user(user_id)
    realtime.disconnect_user(user_id)


def _push_notification(_sender, user_id, payload, **_kw) -> None:
    realtime.emit_to_user(user_id, "notification", payload)


def connect() -> None:
    events.login_sessions_ended.connect(_close_login_sessions)
    events.user_access_revoked.connect(_close_user_sockets)
    events.notification_created.connect(_push_notification)
