"""Live layer: 直播带岗 rooms, fair lobby, booth queues and 1:1 chats over Socket.IO."""

from flask import Blueprint

bp = Blueprint("live", __name__)

from jobfair.live import views  # noqa: E402,F401
