"""API: subsidy applications — apply (platform facts filled in, the rest stated), correct and
resubmit, withdraw; organisers review, record payments and read the subsidy report."""

from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.errors import DomainError
from jobfair.models.policy import SubsidyStatus
from jobfair.policies import reports as policy_reports
from jobfair.policies import review, serializers, subsidies
from jobfair.security import role_required

bp = api_blueprint("api_subsidies", "/subsidies", "政策补贴申请、审核、拨付和统计")


class SubsidyApplyIn(Schema):
    policy_code = fields.Str(required=True, metadata={"description": "政策代码"})
    subject_id = fields.Int(
        metadata={"description": "按人申请的单位政策：入职人员的就业登记编号（见 form 接口）"}
    )
    period = fields.Str(metadata={"description": "申请期间：本期或上一期，如 2026、once"})
    facts = fields.Dict(
        metadata={
            "description": "平台没有记录、需申请人填报的情况 {事实代码: 值}（见 form 接口的 ask）"
        }
    )
    note = fields.Str(metadata={"description": "补充说明（1000字以内）"})


class SubsidyResubmitIn(Schema):
    facts = fields.Dict()
    note = fields.Str()


class SubsidyDecisionIn(Schema):
    action = fields.Str(
        required=True, metadata={"description": "approve 通过 / return 退回补正 / reject 不予通过"}
    )
    reason = fields.Str(metadata={"description": "审核意见；退回、不予通过时必填"})
    facts = fields.Dict(metadata={"description": "通过时核定申请人填报的情况（金额按规则重算）"})


class SubsidyPaymentIn(Schema):
    amount = fields.Str(metadata={"description": "拨付金额（元）；不填为全部未拨付金额"})
    paid_on = fields.Str(metadata={"description": "拨付日期 YYYY-MM-DD，默认今天"})
    reference = fields.Str(required=True, metadata={"description": "拨付凭证号"})


class SubsidyOut(Schema):
    id = fields.Int()
    policy_code = fields.Str()
    policy_name = fields.Str()
    period = fields.Str()
    period_label = fields.Str()
    applicant_role = fields.Str()
    subject_kind = fields.Str(metadata={"description": "person 人员 / employer 单位"})
    subject = fields.Str()
    district = fields.Str()
    status = fields.Str(metadata={"description": "、".join(f"{s.value}" for s in SubsidyStatus)})
    status_label = fields.Str()
    amount = fields.Str(allow_none=True, metadata={"description": "申请时按规则测算（元）"})
    approved_amount = fields.Str(allow_none=True, metadata={"description": "核定金额（元）"})
    paid_amount = fields.Str(allow_none=True)
    amount_working = fields.Str()
    review_reason = fields.Str()
    submitted_at = fields.Str()
    decided_at = fields.Str(allow_none=True)
    conditions = fields.List(fields.Dict())
    facts = fields.List(fields.Dict())
    note = fields.Str()
    events = fields.List(fields.Dict())
    payments = fields.List(fields.Dict())


class SubsidyList(Schema):
    items = fields.List(fields.Nested(SubsidyOut))


class SubsidyListQuery(Schema):
    status = fields.Str()
    policy = fields.Str()
    district = fields.Str()


class SubsidyFormQuery(Schema):
    subject_id = fields.Int()


class SubsidyAskOut(Schema):
    key = fields.Str()
    label = fields.Str()
    kind = fields.Str(metadata={"description": "bool 是/否 / number 数字"})
    unit = fields.Str()
    how = fields.Str(metadata={"description": "需要的证明"})


class SubsidyFormOut(Schema):
    policy_code = fields.Str()
    subjects = fields.List(
        fields.Dict(), metadata={"description": "可申请的入职人员 [{id, label}]"}
    )
    subject_id = fields.Int(allow_none=True)
    subject = fields.Str(allow_none=True)
    conditions = fields.List(fields.Dict(), metadata={"description": "按平台记录的判断"})
    amount = fields.Str(allow_none=True)
    amount_working = fields.Str()
    periods = fields.List(fields.Dict())
    ask = fields.List(
        fields.Nested(SubsidyAskOut), metadata={"description": "需要申请人填报的情况"}
    )


class SubsidyReportQuery(Schema):
    year = fields.Int()
    policy = fields.Str()
    district = fields.Str()


class SubsidyReportOut(Schema):
    year = fields.Int()
    policy = fields.Str()
    district = fields.Str()
    total = fields.Dict()
    by_policy = fields.List(fields.Dict())
    by_district = fields.List(fields.Dict())
    by_month = fields.List(fields.Dict())


def _out(application):
    return serializers.application_dict(application, current_user)


@bp.route("", methods=["GET"])
@bp.arguments(SubsidyListQuery, location="query", as_kwargs=True)
@bp.response(200, SubsidyList)
@role_required("seeker", "employer", "organiser")
def list_applications(status: str = "", policy: str = "", district: str = ""):
    """补贴申请列表：求职者、用人单位看自己的；组织方看全部（可按状态、政策、区筛选）"""
    if current_user.role == "organiser":
        rows = review.queue(current_user, status, policy, district)
    else:
        rows = subsidies.mine(current_user)
    return {"items": [serializers.application_dict(a, current_user, detail=False) for a in rows]}


@bp.route("/form/<code>", methods=["GET"])
@bp.arguments(SubsidyFormQuery, location="query", as_kwargs=True)
@bp.response(200, SubsidyFormOut)
@role_required("seeker", "employer")
def form(code: str, subject_id: int | None = None):
    """申请前：平台已有的情况（自动带出）、需要填报的情况、可选期间和测算金额"""
    ctx = subsidies.form_context(current_user, code, subject_id)
    return {
        "policy_code": ctx["policy"].code,
        "subjects": [{"id": i, "label": label} for i, label in ctx["choices"]],
        "subject_id": ctx["subject_id"],
        "subject": ctx["subject"]["label"] if ctx["subject"] else None,
        "conditions": [o.as_dict() for o in ctx["outcomes"]],
        "amount": None if ctx["amount"].value is None else f"{ctx['amount'].value:.2f}",
        "amount_working": ctx["amount"].working,
        "periods": [{"key": k, "label": label} for k, label in ctx["periods"]],
        "ask": [
            {"key": k, "label": s.label, "kind": s.kind, "unit": s.unit, "how": s.settle}
            for k, s in ctx["ask"]
        ],
    }


@bp.route("", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": SubsidyApplyIn}}})
@bp.response(201, SubsidyOut)
@role_required("seeker", "employer")
def apply():
    """提交补贴申请：平台记录自动带出，平台没有的情况在 facts 中填报；金额按政策规则计算。同一人员（或单位）同一政策同一期间只能有一份有效申请（409）"""
    data = json_body()
    code = data.get("policy_code")
    if not isinstance(code, str) or not code:
        raise DomainError("请指明政策代码。", fields={"policy_code": "此项必填。"})
    return _out(subsidies.submit(current_user, code, data))


@bp.route("/<int:application_id>", methods=["GET"])
@bp.response(200, SubsidyOut)
@role_required("seeker", "employer", "organiser")
def get_application(application_id: int):
    """一份补贴申请（申请人本人或组织方）"""
    return _out(subsidies.own_application(current_user, application_id))


@bp.route("/<int:application_id>/resubmit", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": SubsidyResubmitIn}}})
@bp.response(200, SubsidyOut)
@role_required("seeker", "employer")
def resubmit(application_id: int):
    """补正后重新提交（仅限退回补正的申请）"""
    return _out(subsidies.resubmit(current_user, application_id, json_body()))


@bp.route("/<int:application_id>/withdraw", methods=["POST"])
@bp.response(200, SubsidyOut)
@role_required("seeker", "employer")
def withdraw(application_id: int):
    """撤回尚未审核的申请"""
    return _out(subsidies.withdraw(current_user, application_id))


@bp.route("/<int:application_id>/decision", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": SubsidyDecisionIn}}})
@bp.response(200, SubsidyOut)
@role_required("organiser")
def decide(application_id: int):
    """审核（组织方）：通过（金额按规则核定）、退回补正或不予通过（须写明理由）；记入审计日志并通知申请人"""
    return _out(review.decide(current_user, application_id, json_body()))


@bp.route("/<int:application_id>/payments", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": SubsidyPaymentIn}}})
@bp.response(201, SubsidyOut)
@role_required("organiser")
def pay(application_id: int):
    """登记拨付（组织方）：可分次，合计不超过核定金额，拨足后为“已拨付”"""
    payment = review.record_payment(current_user, application_id, json_body())
    return _out(subsidies.own_application(current_user, payment.application_id))


@bp.route("/report", methods=["GET"])
@bp.arguments(SubsidyReportQuery, location="query", as_kwargs=True)
@bp.response(200, SubsidyReportOut)
@role_required("organiser")
def report(year: int | None = None, policy: str = "", district: str = ""):
    """政策补贴统计（组织方）：按政策、区、月的申请数、人数、单位数、核定和已拨付金额"""
    return policy_reports.report(**policy_reports.report_filters(year, policy, district))
