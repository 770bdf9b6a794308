"""API: 站内通知."""

from jobfair.api.registry import api_blueprint

bp = api_blueprint("api_notifications", "/notifications", "站内通知")
