"""API: 认定, 失业登记, 就业登记, 离职, walk-in seekers, household decisions and the figures.

Case-work actions answer only to case workers of the seeker's district of residence (403 in
Chinese otherwise). 离职 is open to the employer of a platform hire, the seeker and a case
worker; anyone else gets a 404. Figures hold no personal data.
"""

from datetime import date

from flask import request
from flask_login import current_user

from jobfair.api.registry import api_blueprint, json_body
from jobfair.casework import (
    access,
    household_decisions,
    outcomes,
    queries,
    registrations,
    rules,
    serializers,
    status,
)
from jobfair.errors import DomainError, NotFound
from jobfair.models.casework import CITY, TargetKind
from jobfair.models.user import Role
from jobfair.security import login_required, role_required

bp = api_blueprint("api_outcomes", "/casework", "认定、失业登记、就业登记与统计")
emp = api_blueprint("api_employments", "/employments", "就业登记与离职（单位、本人、工作人员）")
organiser_only = role_required("organiser")


def _records(seeker_id: int) -> dict:
    _seeker, profile = registrations.seeker_for_worker(current_user, seeker_id)
    return serializers.seeker_records_dict(
        profile,
        registrations.unemployment_of(seeker_id),
        registrations.registrations_of(seeker_id),
    )


@bp.route("/seekers/<int:seeker_id>/records", methods=["GET"])
@organiser_only
def seeker_records(seeker_id: int):
    """求职者的身份认定、失业登记和就业登记（本区个案工作人员）"""
    return _records(seeker_id)


@bp.route("/pending-verifications", methods=["GET"])
@organiser_only
def pending_verifications():
    """本区待认定的本人申报身份（求职者 id、姓名、常住地、待认定的身份）"""
    return {
        "items": [
            {
                "seeker_id": p.user_id,
                "name": p.name,
                "residence_district": p.home_district,
                "residence_street": p.residence_street,
                "groups": groups,
            }
            for p, groups in status.pending_verifications(current_user)
        ]
    }


@bp.route("/seekers/<int:seeker_id>/statuses", methods=["POST"])
@organiser_only
def verify_status(seeker_id: int):
    """认定重点群体身份：group, evidence_type, evidence_note, verified_on?, valid_until?"""
    row = status.verify_status(current_user, seeker_id, json_body())
    return serializers.status_dict(row), 201


@bp.route("/seekers/<int:seeker_id>/statuses/<group>/revoke", methods=["POST"])
@organiser_only
def revoke_status(seeker_id: int, group: str):
    """撤销认定（身份回到本人申报）"""
    return serializers.status_dict(status.revoke_status(current_user, seeker_id, group))


@bp.route("/seekers/<int:seeker_id>/unemployment", methods=["POST"])
@organiser_only
def open_unemployment(seeker_id: int):
    """失业登记：registered_on, place"""
    reg = registrations.open_unemployment(current_user, seeker_id, json_body())
    return serializers.unemployment_dict(reg), 201


@bp.route("/unemployment/<int:unemployment_id>/end", methods=["POST"])
@organiser_only
def end_unemployment(unemployment_id: int):
    """结束失业登记：ended_on, reason"""
    return serializers.unemployment_dict(
        registrations.end_unemployment(current_user, unemployment_id, json_body())
    )


@bp.route("/seekers/<int:seeker_id>/employments", methods=["POST"])
@organiser_only
def register_employment(seeker_id: int):
    """就业登记：employer_name, job_title, started_on, contract_type, work_form,
    social_insurance, source (placement / follow_up), evidence_note"""
    reg = registrations.register_employment(current_user, seeker_id, json_body())
    return serializers.employment_dict(reg), 201


@bp.route("/walk-ins", methods=["POST"])
@organiser_only
def walk_in():
    """窗口登记求职者（无智能手机的渔民等）：name, phone, residence_district, residence_street,
    consent_note（纸质同意书记录）, hukou_district?, districts?, group?, evidence_type?,
    evidence_note?"""
    user = status.register_walk_in(current_user, json_body())
    return _records(user.id), 201


@bp.route("/households/<int:household_id>/referrals/<int:round_no>/answer", methods=["POST"])
@organiser_only
def answer_referral(household_id: int, round_no: int):
    """记录家庭对某轮推荐的答复：answer, answer_reason, answered_on"""
    household_decisions.answer_referral(current_user, household_id, round_no, json_body())
    hh = household_decisions.get_household(current_user, household_id)
    return serializers.household_dict(hh)


@bp.route("/households/<int:household_id>/fallback", methods=["POST"])
@organiser_only
def fallback(household_id: int):
    """公益性岗位托底安置：member_id, position_id, started_on, evidence_note"""
    reg = household_decisions.fallback_placement(current_user, household_id, json_body())
    return serializers.employment_dict(reg), 201


@bp.route("/figures", methods=["GET"])
@bp.doc(
    parameters=[
        {"name": "year", "in": "query", "schema": {"type": "integer"}},
        {"name": "kind", "in": "query", "schema": {"type": "string", "enum": list(TargetKind)}},
        {"name": "district", "in": "query", "schema": {"type": "string", "default": CITY}},
        {"name": "until", "in": "query", "schema": {"type": "string", "format": "date"}},
    ]
)
@organiser_only
def figures():
    """按月、按区的统计数（只按不可更改的就业记录计算；until 取截至某月的数）"""
    access.require_case_worker(current_user)
    kind = request.args.get("kind") or TargetKind.NEW_EMPLOYMENT
    if kind not in set(TargetKind):
        raise DomainError("不是可选的统计类别。", fields={"kind": "不是可选的值。"})
    year = request.args.get("year", type=int) or queries.local_today().year
    if not 2000 <= year <= 2100:
        raise DomainError("年度应在 2000 到 2100 之间。", fields={"year": "年度不对"})
    until = request.args.get("until")
    try:
        until_day = date.fromisoformat(until) if until else None
    except ValueError:
        raise DomainError("日期格式应为 YYYY-MM-DD。", fields={"until": "日期格式不对"}) from None
    return outcomes.figures(year, kind, request.args.get("district") or CITY, until_day)


@bp.route("/employment-rules", methods=["GET"])
@login_required
def employment_rules():
    """灵活就业、非全日制等用工形式是否计入就业（可配置的规则表）"""
    return {"items": rules.rules_table()}


# --- 就业登记 seen by the employer and the seeker; 离职 ------------------------------------


@emp.route("", methods=["GET"])
@login_required
def my_employments():
    """本人的就业登记（求职者），或本单位的平台招聘就业登记（用人单位）"""
    if current_user.role == Role.SEEKER:
        rows = registrations.registrations_of(current_user.id)
        return {"items": [serializers.employment_dict(r, evidence=False) for r in rows]}
    if current_user.role == Role.EMPLOYER:
        rows = registrations.employer_registrations(current_user)
        return {"items": [serializers.employment_dict(r, evidence=False) for r in rows]}
    raise NotFound()


@emp.route("/<int:reg_id>/end", methods=["POST"])
@login_required
def end_employment(reg_id: int):
    """离职登记：ended_on, reason（用人单位、本人或本区个案工作人员）"""
    reg = registrations.end_employment(current_user, reg_id, json_body())
    return serializers.employment_dict(reg, evidence=current_user.role == Role.ORGANISER)
