"""API: 统计与报表."""

from jobfair.api.registry import api_blueprint

bp = api_blueprint("api_reports", "/reports", "统计与报表")
