"""API: 职位提醒 / 人才提醒 (saved searches, profile opt-in, talent alerts, digests)."""

from flask import url_for
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.alerts import saved
from jobfair.api.registry import api_blueprint, json_body
from jobfair.security import login_required

bp = api_blueprint("api_alerts", "/alerts", "职位提醒与人才提醒（每个提醒每天最多一次汇总通知）")


class FiltersIn(Schema):
    q = fields.Str(metadata={"description": "关键词"})
    district = fields.Str(metadata={"description": "工作地点所在区"})
    occupation = fields.Str(metadata={"description": "职业类别编码或前缀"})
    salary = fields.Int(metadata={"description": "期望月薪（元）"})
    work_form = fields.Str(metadata={"description": "用工形式"})
    channel = fields.Str(metadata={"description": "岗位渠道"})
    group = fields.Str(metadata={"description": "欢迎的重点群体"})


class AlertIn(Schema):
    kind = fields.Str(
        metadata={
            "description": "search 保存的搜索（求职者）/ profile 按求职意向（求职者）/ "
            "talent 推荐人才（用人单位，需 position_id）"
        }
    )
    name = fields.Str(metadata={"description": "提醒名称（保存的搜索），最多 30 字"})
    filters = fields.Nested(FiltersIn, metadata={"description": "与岗位搜索相同的筛选条件"})
    position_id = fields.Int(metadata={"description": "本单位招聘中的岗位（人才提醒）"})


class AlertOut(Schema):
    id = fields.Int()
    kind = fields.Str()
    kind_label = fields.Str()
    name = fields.Str()
    filters = fields.Dict()
    conditions = fields.Str(metadata={"description": "条件的文字说明"})
    position_id = fields.Int(allow_none=True)
    active = fields.Bool()
    created_at = fields.Str()
    last_sent_at = fields.Str(allow_none=True)
    stopped_at = fields.Str(allow_none=True)
    stop_url = fields.Str(metadata={"description": "免登录一键停止链接（签名，60 天内有效）"})


class AlertList(Schema):
    items = fields.List(fields.Nested(AlertOut))


class DigestItem(Schema):
    id = fields.Int(metadata={"description": "岗位编号（职位提醒）或求职者编号（人才提醒）"})
    title = fields.Str()
    employer = fields.Str()
    district = fields.Str()
    salary = fields.Str()
    occupation_code = fields.Str()
    occupation_name = fields.Str(metadata={"description": "职业名称（不含标识字母）"})
    occupation_marks = fields.List(
        fields.Str(), metadata={"description": "职业标识：green 绿色职业 / digital 数字职业"}
    )
    name = fields.Str(metadata={"description": "求职者姓名（已打码）"})
    education = fields.Str()
    districts = fields.List(fields.Str())
    desired_occupations = fields.List(
        fields.Dict(), metadata={"description": "[{code, name, marks}]"}
    )
    percent = fields.Int(allow_none=True)
    reasons = fields.List(fields.Str(), metadata={"description": "匹配理由"})
    link = fields.Str()


class DigestOut(Schema):
    id = fields.Int()
    alert_id = fields.Int()
    alert_name = fields.Str()
    kind = fields.Str()
    day = fields.Str()
    sent_at = fields.Str()
    total = fields.Int()
    items = fields.List(fields.Nested(DigestItem))


class DigestList(Schema):
    items = fields.List(fields.Nested(DigestOut))


def _out(alert) -> dict:
    stop = url_for("alerts.stop_link", token=saved.stop_token(alert), _external=True)
    return saved.alert_dict(alert, stop_url=stop)


@bp.route("", methods=["GET"])
@bp.response(200, AlertList)
@login_required
def list_alerts():
    """我的提醒（求职者、用人单位）"""
    return {"items": [_out(a) for a in saved.list_alerts(current_user)]}


@bp.route("", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": AlertIn}}})
@bp.response(201, AlertOut)
@login_required
def create_alert():
    """新建提醒：求职者保存搜索或按求职意向开启；用人单位为自己的岗位开启人才提醒"""
    return _out(saved.create_alert(current_user, json_body()))


@bp.route("/<int:alert_id>", methods=["GET"])
@bp.response(200, AlertOut)
@login_required
def get_alert(alert_id: int):
    """一个提醒（只能查看自己的）"""
    return _out(saved.own_alert(current_user, alert_id))


@bp.route("/<int:alert_id>", methods=["DELETE"])
@bp.response(204)
@login_required
def delete_alert(alert_id: int):
    """删除提醒"""
    saved.delete(current_user, alert_id)
    return ""


@bp.route("/<int:alert_id>/stop", methods=["POST"])
@bp.response(200, AlertOut)
@login_required
def stop_alert(alert_id: int):
    """停止提醒"""
    return _out(saved.stop(current_user, alert_id))


@bp.route("/<int:alert_id>/resume", methods=["POST"])
@bp.response(200, AlertOut)
@login_required
def resume_alert(alert_id: int):
    """重新开启提醒（停止期间发布的内容不再补发）"""
    return _out(saved.resume(current_user, alert_id))


@bp.route("/digests", methods=["GET"])
@bp.response(200, DigestList)
@login_required
def list_digests():
    """最近收到的提醒汇总"""
    return {"items": [saved.digest_dict(d) for d in saved.recent_digests(current_user)]}


@bp.route("/digests/<int:digest_id>", methods=["GET"])
@bp.response(200, DigestOut)
@login_required
def get_digest(digest_id: int):
    """一次提醒汇总：每个岗位（或求职者）及其匹配理由"""
    return saved.digest_dict(saved.own_digest(current_user, digest_id))
