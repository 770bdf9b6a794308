"""API: 岗位推荐与职业识别."""

from jobfair.api.registry import api_blueprint

bp = api_blueprint("api_matching", "/matching", "岗位推荐与职业识别")
