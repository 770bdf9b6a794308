"""API: 重点群体就业帮扶."""

from jobfair.api.registry import api_blueprint

bp = api_blueprint("api_casework", "/casework", "重点群体就业帮扶")
