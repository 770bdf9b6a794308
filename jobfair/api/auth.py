"""API: registration, login, logout, current user, personal access tokens."""

from flask import g
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.auth import services
from jobfair.auth.limits import login_limits, register_limit, token_limit
from jobfair.errors import DomainError
from jobfair.security import (
    confirm_password,
    create_api_token,
    end_session,
    login_required,
    start_session,
)

bp = api_blueprint("api_auth", "/auth", "注册、登录与访问令牌")


class UserOut(Schema):
    id = fields.Int()
    role = fields.Str()
    name = fields.Str()
    phone = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)


class RegisterIn(Schema):
    login = fields.Str(required=True, metadata={"description": "11 位手机号或邮箱"})
    password = fields.Str(required=True)
    name = fields.Str()
    role = fields.Str(metadata={"enum": ["seeker", "employer"]})


class LoginIn(Schema):
    login = fields.Str(required=True)
    password = fields.Str(required=True)


class TokenIn(Schema):
    name = fields.Str(required=True)


class ConfirmIn(Schema):
    password = fields.Str(required=True)


class MessageOut(Schema):
    message = fields.Str()


class TokenOut(Schema):
    token = fields.Str()


@bp.route("/register", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": RegisterIn}}})
@bp.response(202, MessageOut)
@register_limit
def register():
    """注册求职者或用人单位账号（之后登录）。号码是否已注册，答复都一样。"""
    services.register(json_body())
    return {"message": services.REGISTERED_MESSAGE}


@bp.route("/login", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": LoginIn}}})
@bp.response(200, UserOut)
@login_limits
def login():
    """登录（浏览器会话）"""
    try:
        user = services.authenticate(json_body())
    except DomainError as err:
        g.login_failed = err.code == "invalid_credentials"
        raise
    start_session(user)
    return user


@bp.route("/logout", methods=["POST"])
@bp.response(204)
def logout():
    """退出登录"""
    end_session()


@bp.route("/me", methods=["GET"])
@bp.response(200, UserOut)
@login_required
def me():
    """当前用户"""
    return current_user


@bp.route("/confirm", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": ConfirmIn}}})
@bp.response(204)
@login_required
def confirm():
    """重新输入密码确认身份（导出个人信息、修改联系电话前；仅浏览器会话）"""
    confirm_password(current_user, str(json_body().get("password", "")))


@bp.route("/tokens", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": TokenIn}}})
@bp.response(201, TokenOut)
@login_required
@token_limit
def new_token():
    """创建个人访问令牌（只显示一次）"""
    return {"token": create_api_token(current_user, json_body().get("name", ""))}
