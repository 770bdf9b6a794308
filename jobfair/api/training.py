"""API: 技能超市 — courses, enrolments (seats enforced), completions and certificates,
referrals from case files and skill gaps, training outcomes.

Courses are public; organisers publish and edit them, keep rosters and record 结业. Seekers
enrol and withdraw themselves. Referrals from a case file and a case file's skill gaps answer
only to case workers of the file's district (403 in Chinese otherwise).
"""

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import PERIOD_REPORT_PARAMS, api_blueprint, json_body, period_report
from jobfair.casework.cases import case_for_update, profile_of
from jobfair.errors import DomainError
from jobfair.security import login_required, role_required
from jobfair.seekers.services import get_profile
from jobfair.training import courses, enrolments, gaps, outcomes, referrals, subsidy

bp = api_blueprint(
    "api_training", "/training", "技能超市：培训课程、报名、结业、培训推荐与培训成效"
)

organiser_only = role_required("organiser")
seeker_only = role_required("seeker")


class CourseIn(Schema):
    title = fields.Str(required=True, metadata={"description": "课程名称"})
    provider = fields.Str(required=True, metadata={"description": "培训机构"})
    district = fields.Str(required=True, metadata={"description": "培训地点所在区（本市）"})
    address = fields.Str()
    occupation_codes = fields.List(fields.Str(), metadata={"description": "对应职业编码（2022）"})
    skills = fields.List(
        fields.Str(), required=True, metadata={"description": "所教技能（1–12 项，每项≤20字）"}
    )
    hours = fields.Int(required=True, metadata={"description": "课时 1–2000"})
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    seats = fields.Int(required=True, metadata={"description": "名额，不能少于已报名人数"})
    fee = fields.Int(metadata={"description": "培训费（元/人）"})
    certificate = fields.Str(metadata={"description": "skill_level / special / training"})
    subsidy_note = fields.Str()
    description = fields.Str()
    status = fields.Str(
        metadata={"description": "open 报名中 / closed 停止报名 / cancelled 已取消"}
    )


class Subsidy(Schema):
    policy_code = fields.Str()
    policy_name = fields.Str()
    amount = fields.Float(allow_none=True, metadata={"description": "每人可申请的补贴（元）"})
    amount_text = fields.Str(allow_none=True)
    working = fields.Str(metadata={"description": "按政策规则的计算过程"})
    rule = fields.Str()
    conditions = fields.List(fields.Str())
    demo = fields.Bool()


class CourseOut(Schema):
    id = fields.Int()
    title = fields.Str()
    provider = fields.Str()
    district = fields.Str()
    address = fields.Str()
    occupations = fields.List(fields.Dict(), metadata={"description": "[{code, name}]"})
    skills = fields.List(fields.Str())
    hours = fields.Int()
    starts_on = fields.Str()
    ends_on = fields.Str()
    seats = fields.Int()
    enrolled = fields.Int()
    seats_left = fields.Int()
    fee = fields.Int()
    certificate = fields.Str()
    certificate_label = fields.Str()
    subsidy_note = fields.Str()
    description = fields.Str()
    status = fields.Str()
    status_label = fields.Str()
    open_for_enrolment = fields.Bool()
    subsidy = fields.Nested(Subsidy, allow_none=True)


class CourseList(Schema):
    items = fields.List(fields.Nested(CourseOut))


class EnrolIn(Schema):
    position_id = fields.Int(
        metadata={"description": "从“差一项技能”的岗位来报名时，该岗位编号（记为技能差距推荐）"}
    )
    skill = fields.Str(metadata={"description": "所缺的技能"})


class EnrolmentOut(Schema):
    id = fields.Int()
    course_id = fields.Int()
    course_title = fields.Str()
    provider = fields.Str()
    starts_on = fields.Str()
    ends_on = fields.Str()
    status = fields.Str(
        metadata={"description": "enrolled / withdrawn / completed / not_completed"}
    )
    status_label = fields.Str()
    enrolled_at = fields.Str()
    hours_attended = fields.Int(allow_none=True)
    completed_on = fields.Str(allow_none=True)
    certificate_no = fields.Str(allow_none=True)
    certificate_label = fields.Str(allow_none=True)
    result_note = fields.Str()
    referral_id = fields.Int(allow_none=True)
    name = fields.Str(metadata={"description": "学员姓名（名单中）"})
    phone = fields.Str(metadata={"description": "手机号（已打码）"})


class EnrolmentList(Schema):
    items = fields.List(fields.Nested(EnrolmentOut))


class ResultIn(Schema):
    passed = fields.Bool(required=True, metadata={"description": "true 结业（合格）/ false 未结业"})
    hours_attended = fields.Int(allow_none=True)
    completed_on = fields.Date(allow_none=True, metadata={"description": "默认今天"})
    certificate_no = fields.Str(metadata={"description": "证书编号；不填由平台生成"})
    result_note = fields.Str()


class ReferralIn(Schema):
    course_id = fields.Int(required=True)
    position_id = fields.Int(metadata={"description": "为某岗位补技能时填写（技能差距推荐）"})
    skill = fields.Str()
    note = fields.Str(metadata={"description": "推荐说明（加密保存，仅工作人员可见）"})


class ReferralOut(Schema):
    id = fields.Int()
    seeker_id = fields.Int()
    course_id = fields.Int()
    course_title = fields.Str()
    provider = fields.Str()
    source = fields.Str(metadata={"description": "case_file 帮扶档案推荐 / skill_gap 技能差距推荐"})
    source_label = fields.Str()
    case_id = fields.Int(allow_none=True)
    position_id = fields.Int(allow_none=True)
    skill = fields.Str()
    created_at = fields.Str()
    status = fields.Str()
    enrolment_status = fields.Str(allow_none=True)
    note = fields.Str()
    district = fields.Str()


class ReferralList(Schema):
    items = fields.List(fields.Nested(ReferralOut))


class GapList(Schema):
    items = fields.List(
        fields.Dict(),
        metadata={
            "description": "[{position:{id,title,employer,district}, percent, missing_skills, "
            "courses:[{id,title,provider,starts_on,seats_left,teaches}]}]"
        },
    )


def _course_out(course) -> dict:
    out = courses.course_dict(course)
    out["subsidy"] = subsidy.course_subsidy(course)
    return out


# --- courses -------------------------------------------------------------------------------


@bp.route("/courses", methods=["GET"])
@bp.doc(
    parameters=[
        {"name": "q", "in": "query", "schema": {"type": "string"}},
        {"name": "district", "in": "query", "schema": {"type": "string"}},
        {"name": "occupation", "in": "query", "schema": {"type": "string"}},
    ]
)
@bp.response(200, CourseList)
def list_courses():
    """课程目录（公开；未结课、未取消的课程）"""
    rows = courses.list_courses(
        q=request.args.get("q", ""),
        district=request.args.get("district", ""),
        occupation=request.args.get("occupation", ""),
    )
    return {"items": [_course_out(c) for c in rows]}


@bp.route("/courses", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": CourseIn}}})
@bp.response(201, CourseOut)
@organiser_only
def create_course():
    """发布课程（组织方）"""
    return _course_out(courses.save_course(current_user, json_body()))


@bp.route("/courses/<int:course_id>", methods=["GET"])
@bp.response(200, CourseOut)
def get_course(course_id: int):
    """课程详情（公开）"""
    return _course_out(courses.visible_course(current_user, course_id))


@bp.route("/courses/<int:course_id>", methods=["PUT"])
@bp.doc(requestBody={"content": {"application/json": {"schema": CourseIn}}})
@bp.response(200, CourseOut)
@organiser_only
def update_course(course_id: int):
    """修改课程（组织方；名额不能少于已报名人数）"""
    row = courses.get_course(course_id)
    return _course_out(courses.save_course(current_user, json_body(), course=row))


@bp.route("/courses/<int:course_id>/enrolments", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": EnrolIn}}})
@bp.response(201, EnrolmentOut)
@seeker_only
def enrol(course_id: int):
    """报名（求职者本人；名额已满 409 course_full，重复报名 409 already_enrolled）"""
    data = request.get_json(silent=True) or {}
    if not isinstance(data, dict):
        raise DomainError("请求体应为 JSON 对象。", code="bad_request", status=400)
    row = enrolments.enrol(
        current_user,
        course_id,
        position_id=data.get("position_id"),
        skill=str(data.get("skill") or ""),
    )
    return enrolments.enrolment_dict(row)


@bp.route("/courses/<int:course_id>/enrolments", methods=["GET"])
@bp.response(200, EnrolmentList)
@organiser_only
def course_roster(course_id: int):
    """学员名单（组织方；手机号打码）"""
    _course, people = enrolments.roster(current_user, course_id)
    return {"items": people}


# --- enrolments, completions, certificates ----------------------------------------------------


@bp.route("/enrolments", methods=["GET"])
@bp.response(200, EnrolmentList)
@seeker_only
def my_enrolments():
    """我的报名（求职者）"""
    return {"items": [enrolments.enrolment_dict(e) for e in enrolments.my_enrolments(current_user)]}


@bp.route("/enrolments/<int:enrolment_id>/withdraw", methods=["POST"])
@bp.response(200, EnrolmentOut)
@login_required
def withdraw(enrolment_id: int):
    """退出课程（本人；释放名额）"""
    return enrolments.enrolment_dict(enrolments.withdraw(current_user, enrolment_id))


@bp.route("/enrolments/<int:enrolment_id>/result", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": ResultIn}}})
@bp.response(200, EnrolmentOut)
@organiser_only
def record_result(enrolment_id: int):
    """登记结业 / 未结业（组织方；结业时发证书编号）"""
    return enrolments.enrolment_dict(
        enrolments.record_result(current_user, enrolment_id, json_body())
    )


@bp.route("/enrolments/<int:enrolment_id>/certificate", methods=["GET"])
@bp.response(200, EnrolmentOut)
@login_required
def certificate(enrolment_id: int):
    """结业证明（本人或组织方；未结业 404）"""
    return enrolments.enrolment_dict(enrolments.certificate(current_user, enrolment_id))


# --- skill gaps and referrals -----------------------------------------------------------------


@bp.route("/skill-gaps", methods=["GET"])
@bp.response(200, GapList)
@seeker_only
def my_skill_gaps():
    """差一项技能就能应聘的岗位，以及教这项技能的课程（求职者本人）"""
    return {"items": [gaps.gap_dict(g) for g in gaps.skill_gaps(get_profile(current_user))]}


@bp.route("/referrals", methods=["GET"])
@bp.response(200, ReferralList)
@login_required
def list_referrals():
    """培训推荐：求职者看自己的；个案工作人员看所辖区帮扶档案发出的"""
    if current_user.role == "seeker":
        return {"items": referrals.my_referrals(current_user)}
    return {"items": referrals.worker_referrals(current_user)}


@bp.route("/cases/<int:case_id>/skill-gaps", methods=["GET"])
@bp.response(200, GapList)
@organiser_only
def case_skill_gaps(case_id: int):
    """帮扶对象的技能差距（负责该区的个案工作人员）"""
    case = case_for_update(current_user, case_id)
    return {"items": [gaps.gap_dict(g) for g in gaps.skill_gaps(profile_of(case))]}


@bp.route("/cases/<int:case_id>/referrals", methods=["GET"])
@bp.response(200, ReferralList)
@organiser_only
def case_referrals(case_id: int):
    """帮扶档案的培训推荐记录（负责该区的个案工作人员）"""
    return {"items": referrals.case_referrals(current_user, case_id)}


@bp.route("/cases/<int:case_id>/referrals", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": ReferralIn}}})
@bp.response(201, ReferralOut)
@organiser_only
def refer(case_id: int):
    """从帮扶档案推荐课程（带 position_id 时记为技能差距推荐；同一人同一课程只推荐一次）"""
    row = referrals.refer_from_case(current_user, case_id, json_body())
    return referrals.referral_dict(row, None, with_note=True)


# --- outcomes ---------------------------------------------------------------------------------


@bp.route("/outcomes", methods=["GET"])
@bp.doc(parameters=PERIOD_REPORT_PARAMS)
@organiser_only
def outcome_report():
    """培训成效：按课程、按结业月份的结业人数与结业后6个月内就业人数（汇总，无个人信息）"""
    return period_report(
        outcomes.report, outcomes.tables, "培训成效", ascii_stem="training-outcomes"
    )
