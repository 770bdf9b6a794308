"""API: 直播带岗与展位排队."""

from jobfair.api.registry import api_blueprint

bp = api_blueprint("api_live", "/live", "直播带岗与展位排队")
