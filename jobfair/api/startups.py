"""API: 创业扶持 — start-up cases, 创业担保贷款 (interest subsidy by the policy catalogue),
创业导师, follow-ups, business registration (一次性创业补贴), and the start-up report.

A seeker opens and reads their own case and applies for a loan; case workers of the case's
district (supervisors: all) work it. Mentors are managed by organisers.
"""

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import PERIOD_REPORT_PARAMS, api_blueprint, json_body, period_report
from jobfair.errors import NotFound
from jobfair.security import role_required
from jobfair.startups import amounts, cases, loans, mentors, reports
from jobfair.startups.serializers import startup_dict

bp = api_blueprint("api_startups", "/startups", "创业扶持：创业档案、创业担保贷款、创业导师与回访")

organiser_only = role_required("organiser")
seeker_only = role_required("seeker")
signed_in = role_required("seeker", "organiser")


class StartupIn(Schema):
    case_id = fields.Int(metadata={"description": "工作人员建档时：帮扶档案编号"})
    business_name = fields.Str(required=True)
    business_kind = fields.Str(
        metadata={"description": "individual / company / cooperative / family_farm"}
    )
    sector = fields.Str()
    district = fields.Str(required=True, metadata={"description": "经营地所在区"})
    plan = fields.Str()
    returning_home = fields.Bool(metadata={"description": "返乡入乡创业"})


class LoanIn(Schema):
    amount = fields.Int(required=True, metadata={"description": "贷款金额（元）"})
    term_months = fields.Int(required=True, metadata={"description": "期限 1–36 个月"})
    guarantee = fields.Str(required=True, metadata={"description": "fund / guarantor / credit"})
    guarantor = fields.Str()
    bank = fields.Str(required=True)
    annual_rate = fields.Str(required=True, metadata={"description": '年利率百分数，如 "3.45"'})


class DecisionIn(Schema):
    decision = fields.Str(
        required=True, metadata={"description": "approve / reject / disburse / settle"}
    )
    reason = fields.Str(metadata={"description": "不通过时必填"})
    disbursed_on = fields.Date(metadata={"description": "放款日期（disburse），默认今天"})


class MentorIn(Schema):
    name = fields.Str(required=True)
    title = fields.Str()
    organisation = fields.Str()
    expertise = fields.Str()
    phone = fields.Str()
    districts = fields.List(fields.Str())
    max_cases = fields.Int()
    active = fields.Bool()


class FollowUpIn(Schema):
    followed_on = fields.Date(required=True)
    channel = fields.Str(
        required=True, metadata={"description": "phone / visit / office / wechat / sms"}
    )
    operating = fields.Str(
        required=True, metadata={"description": "operating / difficult / stopped"}
    )
    employees = fields.Int()
    by_mentor = fields.Bool()
    summary = fields.Str(required=True)


class BusinessRegistrationIn(Schema):
    credit_code = fields.Str(required=True, metadata={"description": "18 位统一社会信用代码"})
    registered_on = fields.Date(required=True)
    employees = fields.Int()


class MentorAssignIn(Schema):
    mentor_id = fields.Int(required=True)


def _case_out(row, worker: bool) -> dict:
    out = startup_dict(row, worker=worker)
    out["startup_grant"] = _grant()
    return out


def _grant() -> dict | None:
    grant = amounts.startup_grant()
    if grant is None:
        return None
    return {**grant, "value": None if grant["value"] is None else float(grant["value"])}


# --- cases -----------------------------------------------------------------------------------


@bp.route("/mine", methods=["GET"])
@seeker_only
def my_startup():
    """我的创业档案（求职者本人；没有时 404）"""
    row = cases.own_case(current_user)
    if row is None:
        raise NotFound("你还没有创业档案。")
    return _case_out(row, worker=False)


@bp.route("", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": StartupIn}}})
@signed_in
def open_case():
    """建立创业档案：求职者为自己；个案工作人员从帮扶档案（case_id）为帮扶对象（每人一份）"""
    row = cases.open_case(current_user, json_body())
    return _case_out(row, worker=current_user.role == "organiser"), 201


@bp.route("", methods=["GET"])
@bp.doc(
    parameters=[
        {"name": "status", "in": "query", "schema": {"type": "string"}},
        {"name": "returning", "in": "query", "schema": {"type": "boolean"}},
    ]
)
@organiser_only
def list_cases():
    """所辖区的创业档案（个案工作人员）"""
    returning = request.args.get("returning")
    rows = cases.list_cases(
        current_user,
        status=request.args.get("status", ""),
        returning=True if returning in ("1", "true") else None,
    )
    return {"items": [startup_dict(r, worker=True, brief=True) for r in rows]}


@bp.route("/<int:startup_id>", methods=["GET"])
@signed_in
def get_case(startup_id: int):
    """创业档案详情（本人，或负责该区的个案工作人员）"""
    row = cases.visible_case(current_user, startup_id)
    return _case_out(row, worker=current_user.role == "organiser")


@bp.route("/<int:startup_id>", methods=["PUT"])
@bp.doc(requestBody={"content": {"application/json": {"schema": StartupIn}}})
@signed_in
def update_case(startup_id: int):
    """修改创业档案（本人在登记注册前；或个案工作人员）"""
    row = cases.update_case(current_user, startup_id, json_body())
    return _case_out(row, worker=current_user.role == "organiser")


@bp.route("/<int:startup_id>/mentor", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": MentorAssignIn}}})
@organiser_only
def assign_mentor(startup_id: int):
    """安排创业导师（导师在岗、服务该区且未满额）"""
    data = json_body()
    return _case_out(cases.assign_mentor(current_user, startup_id, data.get("mentor_id")), True)


@bp.route("/<int:startup_id>/registration", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": BusinessRegistrationIn}}})
@organiser_only
def register(startup_id: int):
    """登记营业执照（统一社会信用代码校验）；之后满足条件可申请一次性创业补贴"""
    return _case_out(cases.register_business(current_user, startup_id, json_body()), True)


@bp.route("/<int:startup_id>/close", methods=["POST"])
@organiser_only
def close(startup_id: int):
    """停止扶持（reason 必填）"""
    data = json_body()
    return _case_out(
        cases.close_case(current_user, startup_id, str(data.get("reason") or "")), True
    )


@bp.route("/<int:startup_id>/follow-ups", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": FollowUpIn}}})
@organiser_only
def add_follow_up(startup_id: int):
    """记录跟踪回访（经营状况、带动就业人数）"""
    cases.add_follow_up(current_user, startup_id, json_body())
    return _case_out(cases.get_case(startup_id), True), 201


# --- loans -----------------------------------------------------------------------------------


@bp.route("/<int:startup_id>/loans", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": LoanIn}}})
@signed_in
def apply_loan(startup_id: int):
    """申请创业担保贷款；贴息按政策文件“创业担保贷款贴息”规则计算（每个项目同时只能有一笔在办）"""
    loan = loans.apply(current_user, startup_id, json_body())
    return loans.loan_dict(loan, with_guarantor=True), 201


@bp.route("/loans/<int:loan_id>/decision", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": DecisionIn}}})
@organiser_only
def decide_loan(loan_id: int):
    """审核贷款申请：approve / reject（需理由）/ disburse（放款日期）/ settle"""
    return loans.loan_dict(loans.decide(current_user, loan_id, json_body()), with_guarantor=True)


# --- mentors ---------------------------------------------------------------------------------


@bp.route("/mentors", methods=["GET"])
@organiser_only
def list_mentors():
    """创业导师专家团（组织方）"""
    load = cases.mentor_load()
    return {
        "items": [
            mentors.mentor_dict(m, load.get(m.id, 0), reveal_phone=True)
            for m in mentors.list_mentors()
        ]
    }


@bp.route("/mentors", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": MentorIn}}})
@organiser_only
def create_mentor():
    """添加创业导师"""
    return mentors.mentor_dict(
        mentors.save_mentor(current_user, json_body()), reveal_phone=True
    ), 201


@bp.route("/mentors/<int:mentor_id>", methods=["PUT"])
@bp.doc(requestBody={"content": {"application/json": {"schema": MentorIn}}})
@organiser_only
def update_mentor(mentor_id: int):
    """修改创业导师（active=false 停止接收新项目）"""
    row = mentors.save_mentor(current_user, json_body(), mentor=mentors.get_mentor(mentor_id))
    return mentors.mentor_dict(row, reveal_phone=True)


# --- report ----------------------------------------------------------------------------------


@bp.route("/report", methods=["GET"])
@bp.doc(parameters=PERIOD_REPORT_PARAMS)
@organiser_only
def report():
    """创业扶持统计：按区、按月份（建档、返乡入乡、导师、登记、带动就业、贷款与贴息）"""
    return period_report(reports.report, reports.tables, "创业扶持", ascii_stem="startups")
