"""The 适老化 mode of a person and device, and the time allowances it brings.

Rules worth knowing:
- The mode is remembered twice: on the account (users.elder_mode, so it follows the person
  to the community service station) and on the device (a cookie, so a shared tablet or an
  anonymous visitor keeps it). The device's choice wins on that device: it is the latest
  one made there. Switching while signed in writes both.
- 互联网网站适老化通用设计规范 asks that people are not hurried: a seeker in this mode who is
  called from a queue gets extra minutes to arrive (the chat's clock starts later and the rep
  cannot mark them absent before then), and a chat warns earlier before it ends.
"""

from flask import current_app

from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.models.user import User

COOKIE = "jf_elder"
COOKIE_MAX_AGE = 365 * 24 * 3600

ON_WORDS = ("1", "true", "on", "yes")
OFF_WORDS = ("0", "false", "off", "no")


def parse_switch(value) -> bool:
    """'1'/'0', true/false from a form or JSON; anything else is a clear 400."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in ON_WORDS:
        return True
    if text in OFF_WORDS:
        return False
    raise DomainError(
        "请选择打开或关闭长辈版。", code="validation_error", fields={"elder_mode": "应为开或关"}
    )


def device_choice(cookie_value: str | None) -> bool | None:
    """The device's remembered choice, or None if this device never chose."""
    if cookie_value == "1":
        return True
    if cookie_value == "0":
        return False
    return None


def effective_mode(user, cookie_value: str | None) -> bool:
    """Whether a page is shown in 适老化 mode: the device's choice, else the account's."""
    chosen = device_choice(cookie_value)
    if chosen is not None:
        return chosen
    return bool(getattr(user, "elder_mode", False)) if user is not None else False


def set_account_mode(user: User, on: bool) -> bool:
    """Remember the choice on the account; returns the new value."""
    if user.elder_mode != on:
        user.elder_mode = on
        db.session.commit()
    return user.elder_mode


def mode_dict(user: User | None, cookie_value: str | None = None) -> dict:
    on = effective_mode(user, cookie_value)
    return {
        "elder_mode": on,
        "account_elder_mode": bool(user.elder_mode) if user is not None else None,
        "chat_warn_seconds": chat_warn_seconds(on),
        "call_grace_minutes": call_grace_minutes(on),
    }


# --- time allowances ----------------------------------------------------------------------


def call_grace_minutes(elder: bool) -> int:
    """Minutes a called seeker has to arrive before the chat's clock starts (and before the
    rep may record them as absent)."""
    return int(current_app.config["ELDER_CALL_GRACE_MINUTES"]) if elder else 0


def chat_warn_seconds(elder: bool) -> int:
    """How long before a chat ends its countdown warns."""
    key = "ELDER_CHAT_WARN_SECONDS" if elder else "CHAT_WARN_SECONDS"
    return int(current_app.config[key])
