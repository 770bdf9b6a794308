"""Public position pages: the searchable list and the position detail."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from jobfair.errors import DomainError
from jobfair.positions.search import (
    FORM_KEYS,
    can_manage,
    can_see_contact,
    category_choices,
    category_name,
    get_public_position,
    is_expired,
    parse_filters,
    search_positions,
)

bp = Blueprint("positions", __name__)


@bp.route("/positions")
def index():
    errors: dict = {}
    message = ""
    result = None
    try:
        filters = parse_filters(request.args)
        result = search_positions(filters, filters["page"], filters["page_size"])
    except DomainError as err:
        errors, message = err.fields, err.message
        filters = {}
    form = {k: request.args.get(k, "") for k in FORM_KEYS}
    if result is not None:
        # A district typed into the keywords becomes the district filter; show it as chosen.
        form["district"] = result.filters.get("district") or form["district"]
    args = {k: v for k, v in form.items() if v}
    if filters.get("page_size", 20) != 20:
        args["page_size"] = filters["page_size"]
    html = render_template(
        "positions/index.html",
        result=result,
        form=form,
        args=args,
        errors=errors,
        message=message,
        categories=category_choices(),
        category_label=category_name(form["occupation"]) if result else "",
    )
    return html, (422 if message else 200)


@bp.route("/positions/<int:position_id>")
def detail(position_id: int):
    position = get_public_position(current_user, position_id)
    return render_template(
        "positions/detail.html",
        position=position,
        show_contact=can_see_contact(current_user),
        managing=can_manage(current_user, position),
        expired=is_expired(position),
    )
