"""Auth pages: register, login, logout, change password, personal access tokens."""

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair.auth import services
from jobfair.auth.limits import login_limits, register_limit, token_limit
from jobfair.display.services import COOKIE as DISPLAY_COOKIE
from jobfair.display.services import device_choice
from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.models.user import ApiToken, Role
from jobfair.security import (
    confirm_password,
    create_api_token,
    end_session,
    login_required,
    safe_next,
    signed_in,
    start_session,
)

bp = Blueprint("auth", __name__)


def home_for(user) -> str:
    if user.role == Role.ORGANISER:
        return url_for("organiser.console")
    if user.role == Role.EMPLOYER:
        return url_for("employers.dashboard")
    return url_for("seekers.home")


@bp.route("/register", methods=["GET", "POST"])
@register_limit
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    role = request.values.get("role", "seeker")
    errors: dict = {}
    if request.method == "POST":
        try:
            services.register(
                request.form.to_dict(),
                form=True,
                elder_mode=device_choice(request.cookies.get(DISPLAY_COOKIE)) is True,
            )
        except DomainError as err:
            flash(err.message, "error")
            errors = err.fields
        else:
            # The same answer for a new and a taken number (see services.register).
            flash(services.REGISTERED_MESSAGE, "success")
            # Signing in then leads back to the page that sent them here (a position, a fair).
            return redirect(url_for("auth.login", next=safe_next(request.args.get("next"))))
    return render_template("auth/register.html", role=role, errors=errors, form=request.form)


@bp.route("/login", methods=["GET", "POST"])
@login_limits
def login():
    if request.method == "POST":
        try:
            user = services.authenticate(request.form.to_dict(), form=True)
        except DomainError as err:
            g.login_failed = err.code == "invalid_credentials"
            flash(err.message, "error")
            return render_template("auth/login.html", form=request.form), err.status
        start_session(user)
        if user.must_change_password:
            flash("首次登录，请先修改初始密码。", "info")
            return redirect(url_for("auth.change_password"))
        return redirect(safe_next(request.args.get("next")) or home_for(user))
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render_template("auth/login.html", form={})


@bp.route("/logout", methods=["POST"])
def logout():
    end_session()
    flash("已退出登录。", "success")
    return redirect(url_for("main.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    errors: dict = {}
    if request.method == "POST":
        try:
            services.change_password(current_user, request.form.to_dict(), form=True)
        except DomainError as err:
            flash(err.message, "error")
            errors = err.fields
        else:
            flash("密码已修改，其他设备上的登录已失效。", "success")
            return redirect(home_for(current_user))
    return render_template("auth/password.html", errors=errors)


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
def confirm():
    """Re-type the password before a sensitive action; then back to where the user was."""
    next_url = safe_next(request.values.get("next"))
    errors: dict = {}
    if request.method == "POST":
        try:
            confirm_password(current_user, request.form.get("password", ""))
        except DomainError as err:
            flash(err.message, "error")
            errors = err.fields
        else:
            return redirect(next_url or home_for(current_user))
    return render_template(
        "auth/confirm.html",
        errors=errors,
        next_url=next_url,
        minutes=current_app.config["REAUTH_MINUTES"],
    )


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
@token_limit
def tokens():
    new_token = None
    if request.method == "POST":
        try:
            new_token = create_api_token(current_user, request.form.get("name", ""))
        except DomainError as err:
            flash(err.message, "error")
    rows = db.session.scalars(
        db.select(ApiToken).filter_by(user_id=current_user.id).order_by(ApiToken.id.desc())
    ).all()
    return render_template("auth/tokens.html", tokens=rows, new_token=new_token)


@bp.route("/account/tokens/<int:token_id>/delete", methods=["POST"])
@login_required
def delete_token(token_id: int):
    row = db.session.scalar(db.select(ApiToken).filter_by(id=token_id, user_id=current_user.id))
    if row is None:
        raise DomainError("令牌不存在。", code="not_found", status=404)
    db.session.delete(row)
    db.session.commit()
    flash("令牌已删除。", "success")
    return redirect(url_for("auth.tokens"))


@bp.before_app_request
def _force_password_change():
    if (
        signed_in()
        and current_user.must_change_password
        and request.endpoint not in ("auth.change_password", "auth.logout", "static")
        and not request.path.startswith("/api/")
    ):
        return redirect(url_for("auth.change_password"))
    return None
