"""JSON API under /api/v1, documented by flask-smorest at /api/v1/openapi.json."""

from flask import Flask
from flask_smorest import Api

from jobfair.extensions import csrf


def init_api(app: Flask) -> None:
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": "云招聘平台 JSON API。浏览器使用登录会话并携带 X-CSRFToken；"
                "其他客户端使用个人访问令牌：Authorization: Bearer <token>。"
            },
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer"},
                    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
                }
            },
            "security": [{"bearerAuth": []}, {"cookieAuth": []}],
        },
    )
    api = Api(app)
    from jobfair.api import (  # noqa: F401  (imports register their blueprints)
        alerts,
        applications,
        attendance,
        auth,
        campaigns,
        casework,
        display,
        employers,
        fairs,
        gigs,
        interviews,
        jobs,
        live,
        live_figures,
        matching,
        notifications,
        occupations,
        onsite,
        organiser,
        outcomes,
        policies,
        positions,
        reports,
        seekers,
        startups,
        subsidies,
        training,
    )
    from jobfair.api.registry import blueprints

    for bp in blueprints:
        csrf.exempt(bp)
        api.register_blueprint(bp, url_prefix="/api/v1" + (bp.url_prefix or ""))
