"""API: the 长辈版 (适老化 mode) of the signed-in account."""

from flask import after_this_request, request
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.display import services
from jobfair.display.views import remember_on_device
from jobfair.security import login_required

bp = api_blueprint("api_display", "/me/display", "长辈版（适老化）显示模式")


class DisplayOut(Schema):
    elder_mode = fields.Bool(metadata={"description": "本设备当前是否为长辈版"})
    account_elder_mode = fields.Bool(
        allow_none=True, metadata={"description": "账号记住的选择（换设备登录时沿用）"}
    )
    chat_warn_seconds = fields.Int(metadata={"description": "面谈结束前多少秒提醒"})
    call_grace_minutes = fields.Int(
        metadata={"description": "叫号后留给求职者进入面谈的额外分钟数（长辈版 3 分钟）"}
    )


class DisplayIn(Schema):
    elder_mode = fields.Bool(required=True)


@bp.route("", methods=["GET"])
@bp.response(200, DisplayOut)
@login_required
def get_display():
    """当前显示模式"""
    return services.mode_dict(current_user, request.cookies.get(services.COOKIE))


@bp.route("", methods=["PUT"])
@bp.doc(requestBody={"content": {"application/json": {"schema": DisplayIn}}})
@bp.response(200, DisplayOut)
@login_required
def put_display():
    """打开或关闭长辈版（账号和本设备都会记住）"""
    data = json_body()
    if "elder_mode" not in data:
        services.parse_switch(None)
    on = services.parse_switch(data["elder_mode"])
    services.set_account_mode(current_user, on)
    # A browser calling the API keeps the choice on this device too, like the page switch.
    after_this_request(lambda response: remember_on_device(response, on))
    return services.mode_dict(current_user, "1" if on else "0")
