"""jobfair: 云招聘 platform for a city's public employment service."""

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the application: a table of contents of register_* steps."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    from jobfair.config import load_config

    load_config(app, config)
    register_converters(app)
    register_extensions(app)
    register_security(app)
    register_blueprints(app)
    register_cli(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    return app


def register_converters(app: Flask) -> None:
    """<int:…> ids beyond what the database stores are a 404, not an overflow error."""
    from werkzeug.routing import IntegerConverter

    class BoundedInt(IntegerConverter):
        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", 2**31 - 1)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = BoundedInt


def register_extensions(app: Flask) -> None:
    from jobfair.extensions import init_extensions

    init_extensions(app)


def register_security(app: Flask) -> None:
    from jobfair.security import init_security

    init_security(app)


def register_blueprints(app: Flask) -> None:
    from jobfair.api import init_api
    from jobfair.applications import bp as applications_bp
    from jobfair.auth import bp as auth_bp
    from jobfair.casework import bp as casework_bp
    from jobfair.channels import bp as channels_bp
    from jobfair.employers import bp as employers_bp
    from jobfair.fairs import bp as fairs_bp
    from jobfair.live import bp as live_bp
    from jobfair.main import bp as main_bp
    from jobfair.notifications import bp as notifications_bp
    from jobfair.organiser import bp as organiser_bp
    from jobfair.positions import bp as positions_bp
    from jobfair.recommendations import bp as recommendations_bp
    from jobfair.reports import bp as reports_bp
    from jobfair.seekers import bp as seekers_bp

    for bp in (
        main_bp,
        auth_bp,
        positions_bp,
        seekers_bp,
        employers_bp,
        applications_bp,
        organiser_bp,
        recommendations_bp,
        notifications_bp,
        fairs_bp,
        live_bp,
        casework_bp,
        reports_bp,
        channels_bp,
    ):
        app.register_blueprint(bp)
    init_api(app)


def register_cli(app: Flask) -> None:
    from jobfair.cli import init_cli

    init_cli(app)


def register_errorhandlers(app: Flask) -> None:
    from jobfair.errors import init_errorhandlers

    init_errorhandlers(app)


def register_template_helpers(app: Flask) -> None:
    from jobfair.templating import init_templating

    init_templating(app)
