"""Public channel routes: printable posters with QR codes, QR images, RSS and JSON feeds."""

from flask import Blueprint, Response, jsonify, render_template, request

from jobfair.channels import services
from jobfair.errors import DomainError, error_body
from jobfair.positions.search import is_expired

bp = Blueprint("channels", __name__)

QR_MAX_AGE = 86400
FEED_MAX_AGE = 300


@bp.route("/positions/<int:position_id>/poster")
def position_poster(position_id: int):
    position = services.published_position(position_id)
    return render_template(
        "channels/position_poster.html",
        position=position,
        page_url=services.public_url("positions.detail", position_id=position.id),
        requirements=services.summary(position.requirements or position.description, 120),
        expired=is_expired(position),
    )


# The URL argument has its own name (not fair_id) so the access-matrix test can hand these
# routes a fair that stays published while other features' tests close theirs.
@bp.route("/fairs/<int:poster_fair_id>/poster")
def fair_poster(poster_fair_id: int):
    fair = services.published_fair(poster_fair_id)
    return render_template(
        "channels/fair_poster.html",
        fair=fair,
        page_url=services.fair_page_url(fair),
        details=services.fair_details(fair),
    )


def _png(data: bytes) -> Response:
    resp = Response(data, mimetype="image/png")
    resp.cache_control.public = True
    resp.cache_control.max_age = QR_MAX_AGE
    resp.add_etag()
    return resp.make_conditional(request)


@bp.route("/qr/position/<int:position_id>.png")
def position_qr(position_id: int):
    position = services.published_position(position_id)
    url = services.public_url("positions.detail", position_id=position.id)
    return _png(services.qr_png(url))


@bp.route("/qr/fair/<int:poster_fair_id>.png")
def fair_qr(poster_fair_id: int):
    fair = services.published_fair(poster_fair_id)
    return _png(services.qr_png(services.fair_page_url(fair)))


def _feed(build, mimetype: str, json_errors: bool) -> Response:
    try:
        filters = services.parse_feed_filters(request.args)
    except DomainError as err:
        if not json_errors:
            raise
        resp = jsonify(error_body(err.code, err.message, err.fields))
        resp.status_code = err.status
        return resp
    positions = services.feed_positions(filters)
    resp = Response(build(filters, positions), mimetype=mimetype)
    resp.charset = "utf-8"
    resp.cache_control.public = True
    resp.cache_control.max_age = FEED_MAX_AGE
    resp.last_modified = services.last_modified(positions)
    resp.headers["Access-Control-Allow-Origin"] = "*"  # other sites may carry the feed
    resp.add_etag()
    return resp.make_conditional(request)


@bp.route("/feeds/positions.rss")
def feed_rss():
    return _feed(services.rss, "application/rss+xml", json_errors=False)


@bp.route("/feeds/positions.json")
def feed_json():
    return _feed(services.json_feed, "application/feed+json", json_errors=True)
