"""jobfair: 云招聘 platform for a city's public employment service."""

from flask import Flask

from jobfair.config import ROOT, load_config


class JobfairFlask(Flask):
    """Flask that keeps ensure_sync's answer per function. Flask asks it for every hook and
    the view of every request (16 times for a search), and each answer inspects the function
    anew, though an app's hooks and views are fixed once it is built."""

    SYNC_KEPT = 1024  # functions whose answer is kept; the app has a few hundred

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync: dict = {}

    def ensure_sync(self, func):
        try:
            return self._sync[func]
        except KeyError:
            pass
        except TypeError:  # unhashable
            return super().ensure_sync(func)
        sync = super().ensure_sync(func)
        if len(self._sync) < self.SYNC_KEPT:
            self._sync[func] = sync
        return sync


def create_app(config: dict | None = None) -> Flask:
    """Build the application: a table of contents of register_* steps."""
    app = JobfairFlask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    load_config(app, config)
    register_converters(app)
    register_extensions(app)
    register_security(app)
    register_socketio(app)
    register_subscribers(app)
    register_blueprints(app)
    register_cli(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_fast_paths(app)
    register_proxy(app)
    return app


def register_fast_paths(app: Flask) -> None:
    """Anonymous public searches skip Flask's request cycle (same answer; see the module)."""
    from jobfair.api.anonymous_search import AnonymousSearch

    app.wsgi_app = AnonymousSearch(app, app.wsgi_app)


def register_proxy(app: Flask) -> None:
    """Behind nginx (JOBFAIR_PROXY_HOPS=1): client address, scheme and host from X-Forwarded-*
    (rate limits count per person, not per proxy). Outermost, so Socket.IO sees them too."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_converters(app: Flask) -> None:
    """<int:…> ids beyond what the database stores are a 404, not an overflow error."""
    from werkzeug.routing import IntegerConverter

    from jobfair.ids import MAX_ID

    class BoundedInt(IntegerConverter):
        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = BoundedInt


def register_extensions(app: Flask) -> None:
    from jobfair.extensions import init_extensions

    init_extensions(app)


def register_security(app: Flask) -> None:
    from jobfair.security import init_security

    init_security(app)


def register_socketio(app: Flask) -> None:
    """Socket.IO (with the Redis message queue when configured) and one Namespace per channel."""
    from jobfair.extensions import socketio
    from jobfair.live.namespaces import register_namespaces
    from jobfair.live.realtime import init_socketio

    init_socketio(app)
    register_namespaces(socketio)


def register_subscribers(app: Flask) -> None:
    """Connect each feature's handlers to the signals of jobfair.events (idempotent)."""
    from jobfair.casework import subscribers as casework_subscribers
    from jobfair.live import subscribers as live_subscribers
    from jobfair.notifications import subscribers as notifications_subscribers
    from jobfair.positions import subscribers as search_cache_subscribers
    from jobfair.recommendations import subscribers as match_index_subscribers
    from jobfair.startups import subscribers as startup_subscribers
    from jobfair.training import subscribers as training_subscribers

    for module in (
        notifications_subscribers,
        casework_subscribers,
        match_index_subscribers,
        search_cache_subscribers,
        live_subscribers,
        training_subscribers,
        startup_subscribers,
    ):
        module.connect()


def register_blueprints(app: Flask) -> None:
    from jobfair.alerts.views import bp as alerts_bp
    from jobfair.api import init_api
    from jobfair.applications.views import bp as applications_bp
    from jobfair.auth.views import bp as auth_bp
    from jobfair.casework.record_views import bp as records_bp
    from jobfair.casework.views import bp as casework_bp
    from jobfair.channels.views import bp as channels_bp
    from jobfair.display.views import bp as display_bp
    from jobfair.employers.views import bp as employers_bp
    from jobfair.fairs.views import bp as fairs_bp
    from jobfair.gigs.views import bp as gigs_bp
    from jobfair.interviews.views import bp as interviews_bp
    from jobfair.live.views import bp as live_bp
    from jobfair.main.views import bp as main_bp
    from jobfair.notifications.views import bp as notifications_bp
    from jobfair.onsite.views import bp as onsite_bp
    from jobfair.organiser.views import bp as organiser_bp
    from jobfair.policies.views import bp as policies_bp
    from jobfair.policies.views import sub as subsidies_bp
    from jobfair.positions.views import bp as positions_bp
    from jobfair.recommendations.views import bp as recommendations_bp
    from jobfair.reports.views import bp as reports_bp
    from jobfair.seekers.views import bp as seekers_bp
    from jobfair.startups.views import bp as startups_bp
    from jobfair.training.views import bp as training_bp

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
        records_bp,
        reports_bp,
        channels_bp,
        alerts_bp,
        interviews_bp,
        gigs_bp,
        onsite_bp,
        policies_bp,
        training_bp,
        startups_bp,
        subsidies_bp,
        display_bp,
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
