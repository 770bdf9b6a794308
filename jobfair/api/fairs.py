"""API: 招聘会."""

from jobfair.api.registry import api_blueprint

bp = api_blueprint("api_fairs", "/fairs", "招聘会")
