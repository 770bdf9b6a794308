"""API: 重点群体就业帮扶 — targets, placements, case files, households, follow-ups, exports.

Case files, households and follow-ups answer only to case workers of the district (403 in
Chinese for other organisers, employers and seekers); opening a case file or exporting case
files needs `reason` (查看事由 code, `reason_text` when it is `other`) and is audit-logged.
"""

from flask import request
from flask_login import current_user

from jobfair.api.registry import api_blueprint, json_body
from jobfair.auth.limits import export_limit
from jobfair.casework import (
    access,
    campaign,
    cases,
    exports,
    followups,
    households,
    placements,
    queries,
    serializers,
    targets,
)
from jobfair.database import begin_write
from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.security import fresh_login_required, role_required

bp = api_blueprint("api_casework", "/casework", "重点群体就业帮扶")

organiser_only = role_required("organiser")
REASON_PARAMS = [
    {
        "name": "reason",
        "in": "query",
        "required": True,
        "schema": {"type": "string", "enum": list(access.REASONS)},
        "description": "查看事由：" + "，".join(f"{k} {v}" for k, v in access.REASONS.items()),
    },
    {"name": "reason_text", "in": "query", "schema": {"type": "string"}},
]
FORMAT_PARAM = {
    "name": "format",
    "in": "query",
    "schema": {"type": "string", "enum": ["csv", "xlsx"], "default": "xlsx"},
}


def _reason() -> str:
    return access.check_reason(request.args.get("reason"), request.args.get("reason_text"))


def _year() -> int:
    return queries.year_or_this(request.args.get("year", type=int))


# --- targets -------------------------------------------------------------------------------


@bp.route("/summary", methods=["GET"])
@organiser_only
def summary():
    """本年度目标进度与零就业家庭统计（不含个人信息）"""
    households.lazy_escalate()
    return {
        "year": queries.local_today().year,
        "targets": [serializers.target_dict(t, p) for t, p in targets.targets_with_progress()],
        "households": households.household_summary(),
    }


@bp.route("/targets", methods=["GET"])
@bp.doc(parameters=[{"name": "year", "in": "query", "schema": {"type": "integer"}}])
@organiser_only
def list_targets():
    """年度目标及完成进度（只按登记的录用和平台外就业计算）"""
    district = request.args.get("district") or None
    pairs = targets.targets_with_progress(_year(), district)
    return {"items": [serializers.target_dict(t, p) for t, p in pairs]}


@bp.route("/targets", methods=["POST"])
@organiser_only
def create_target():
    """新增年度目标：year, district, kind, goal, worker_id（负责该区的个案工作人员）, note"""
    target = targets.save_target(current_user, json_body())
    return serializers.target_dict(target), 201


@bp.route("/targets/<int:target_id>", methods=["GET"])
@organiser_only
def get_target(target_id: int):
    """目标详情、按月按区进度与计入的记录（delta -1 为更正；非本区个案工作人员看到的姓名、手机号已脱敏）"""
    target = targets.get_target(target_id)
    counted = targets.target_outcomes(target)
    reveal = access.covers(current_user, target.district)
    out = serializers.target_dict(target, targets.target_progress(target))
    out["outcomes"] = [serializers.outcome_dict(r, reveal) for r in counted]
    out["masked"] = not reveal
    return out


@bp.route("/targets/<int:target_id>", methods=["PUT"])
@organiser_only
def update_target(target_id: int):
    """修改年度目标"""
    target = targets.save_target(current_user, json_body(), target=targets.get_target(target_id))
    return serializers.target_dict(target)


@bp.route("/targets/<int:target_id>/progress", methods=["GET"])
@organiser_only
def target_progress(target_id: int):
    """目标完成进度：done, goal, pct, by_source"""
    return targets.target_progress(targets.get_target(target_id))


@bp.route("/targets/export", methods=["GET"])
@bp.doc(parameters=[FORMAT_PARAM, {"name": "year", "in": "query", "schema": {"type": "integer"}}])
@organiser_only
@fresh_login_required
@export_limit
def export_targets():
    """导出目标进度（CSV：汇总；Excel：汇总 + 计入人员，按权限脱敏）"""
    return exports.attachment(
        *exports.export_targets(current_user, _year(), request.args.get("format", "xlsx"))
    )


# --- placements ----------------------------------------------------------------------------


@bp.route("/placements", methods=["GET"])
@organiser_only
def list_placements():
    """本人负责区域的平台外就业登记"""
    return {
        "items": [serializers.placement_dict(p) for p in placements.list_placements(current_user)]
    }


@bp.route("/placements", methods=["POST"])
@organiser_only
def create_placement():
    """登记平台外就业：seeker_id, employer_name, job_title, placed_on, evidence（佐证，必填）"""
    return serializers.placement_dict(placements.create_placement(current_user, json_body())), 201


# --- case files ----------------------------------------------------------------------------


@bp.route("/cases", methods=["GET"])
@organiser_only
def list_cases():
    """本人负责区域的帮扶档案列表（status, group, district 可筛选）"""
    rows = cases.list_cases(
        current_user,
        status=request.args.get("status") or None,
        group=request.args.get("group") or None,
        district=request.args.get("district") or None,
    )
    return {"items": [serializers.case_dict(c, full=False) for c in rows]}


@bp.route("/cases", methods=["POST"])
@organiser_only
def create_case():
    """为同意提供重点群体身份的求职者建档：seeker_id, worker_id（可选）, needs"""
    case = cases.create_case(current_user, json_body())
    return serializers.case_dict(case), 201


@bp.route("/cases/export", methods=["GET"])
@bp.doc(parameters=[FORMAT_PARAM, *REASON_PARAMS])
@organiser_only
@fresh_login_required
@export_limit
def export_cases():
    """导出帮扶档案（须填写事由，记入查阅记录）"""
    access.require_case_worker(current_user)
    reason = _reason()
    return exports.attachment(
        *exports.export_cases(
            current_user,
            reason,
            request.args.get("format", "xlsx"),
            status=request.args.get("status") or None,
            group=request.args.get("group") or None,
            district=request.args.get("district") or None,
        )
    )


@bp.route("/cases/<int:case_id>", methods=["GET"])
@bp.doc(parameters=REASON_PARAMS)
@organiser_only
def get_case(case_id: int):
    """打开帮扶档案（须填写查看事由，记入查阅记录）"""
    cases.case_for_update(current_user, case_id)
    reason = _reason()
    begin_write(db.session)
    return serializers.case_dict(cases.open_case(current_user, case_id, reason))


@bp.route("/cases/<int:case_id>", methods=["PATCH"])
@organiser_only
def update_case(case_id: int):
    """修改档案：status, worker_id, needs, plan_paths, plan_note, outcome, outcome_note, outcome_on"""
    case = cases.update_case(current_user, case_id, json_body())
    return serializers.case_dict(case)


@bp.route("/cases/<int:case_id>/contacts", methods=["GET"])
@bp.doc(parameters=REASON_PARAMS)
@organiser_only
def list_contacts(case_id: int):
    """档案的联系记录（须填写查看事由）"""
    cases.case_for_update(current_user, case_id)
    reason = _reason()
    begin_write(db.session)
    case = cases.open_case(current_user, case_id, reason)
    return {"items": [serializers.contact_dict(c) for c in case.contacts]}


@bp.route("/cases/<int:case_id>/contacts", methods=["POST"])
@organiser_only
def add_contact(case_id: int):
    """添加联系记录：contact_on, channel, summary"""
    return serializers.contact_dict(cases.add_contact(current_user, case_id, json_body())), 201


@bp.route("/cases/<int:case_id>/recommendations", methods=["POST"])
@organiser_only
def add_recommendation(case_id: int):
    """记录推荐岗位：position_id, recommended_on, response, note"""
    row = cases.add_recommendation(current_user, case_id, json_body())
    return {"id": row.id, "position_id": row.position_id, "response": row.response}, 201


@bp.route("/cases/<int:case_id>/trainings", methods=["POST"])
@organiser_only
def add_training(case_id: int):
    """记录培训推荐：course, provider, referred_on, result"""
    row = cases.add_training(current_user, case_id, json_body())
    return {"id": row.id, "course": row.course}, 201


# --- 百日攻坚 -------------------------------------------------------------------------------


@bp.route("/fishers", methods=["GET"])
@organiser_only
def fishers():
    """退捕渔民百日攻坚：建档覆盖、方案按期情况、剩余天数"""
    c = campaign.fisher_campaign(current_user)
    return {
        "registered": c["registered"],
        "with_file": c["with_file"],
        "coverage_pct": c["coverage_pct"],
        "plan_days": c["plan_days"],
        "plan_states": c["plan_states"],
        "start": c["start"].isoformat() if c["start"] else None,
        "end": c["end"].isoformat() if c["end"] else None,
        "days_left": c["days_left"],
        "phase": c["phase"],
    }


# --- households ----------------------------------------------------------------------------


@bp.route("/households", methods=["GET"])
@bp.doc(
    parameters=[{"name": "state", "in": "query", "schema": {"enum": ["open", "closed", "overdue"]}}]
)
@organiser_only
def list_households():
    """本人负责区域的零就业家庭"""
    state = request.args.get("state") or None
    rows = households.list_households(current_user, state=state)
    return {"items": [serializers.household_dict(hh) for hh, _st in rows]}


@bp.route("/households", methods=["POST"])
@organiser_only
def create_household():
    """登记零就业家庭：district, label, identified_on, deadline_days（可选）, members"""
    return serializers.household_dict(households.create_household(current_user, json_body())), 201


@bp.route("/households/<int:household_id>", methods=["GET"])
@organiser_only
def get_household(household_id: int):
    """零就业家庭详情"""
    return serializers.household_dict(households.get_household(current_user, household_id))


@bp.route("/households/<int:household_id>/referrals", methods=["POST"])
@organiser_only
def add_referral(household_id: int):
    """记录一轮岗位推荐：referred_on, position_ids（至少 3 个招聘中岗位）, note"""
    ref = households.add_referral(current_user, household_id, json_body())
    return {
        "round_no": ref.round_no,
        "referred_on": ref.referred_on.isoformat(),
        "position_ids": [p.id for p in ref.positions],
    }, 201


# --- follow-ups ----------------------------------------------------------------------------


@bp.route("/follow-ups", methods=["GET"])
@organiser_only
def list_follow_ups():
    """本人负责区域的就业回访记录"""
    return {
        "items": [serializers.follow_up_dict(f) for f in followups.list_follow_ups(current_user)],
        "counts": {str(k): v for k, v in followups.follow_up_counts().items()},
    }


@bp.route("/follow-ups", methods=["POST"])
@role_required("organiser", "seeker")
def record_follow_up():
    """记录就业回访：seeker_id（求职者本人可省略）, hired_on, day_mark (30/90/180), still_employed"""
    data = dict(json_body())
    seeker_id = data.pop("seeker_id", None)
    if current_user.role == "seeker":
        seeker_id = current_user.id
    else:
        access.require_case_worker(current_user)
    if not isinstance(seeker_id, int):
        raise DomainError("请指定求职者（seeker_id）。", fields={"seeker_id": "此项必填。"})
    row = followups.record_follow_up(current_user, seeker_id, data)
    return serializers.follow_up_dict(row), 201


@bp.route("/me", methods=["GET"])
@role_required("seeker")
def mine():
    """我的帮扶档案摘要（负责人、方案、推荐岗位）与就业回访"""
    begin_write(db.session)
    case = cases.own_case(current_user)
    summary = None
    if case is not None:
        full = serializers.case_dict(case)
        summary = {
            "worker_name": full["worker"]["name"],
            "status": full["status"],
            "status_label": full["status_label"],
            "plan_paths": full["plan_paths"],
            "plan_path_labels": full["plan_path_labels"],
            "plan_note": full["plan_note"],
            "recommendations": full["recommendations"],
        }
    schedule = [
        {
            "hired_on": h["date"].isoformat(),
            "source": h["source"],
            "employer_name": h["employer_name"],
            "job_title": h["job_title"],
            "marks": [
                {
                    "day_mark": m["day_mark"],
                    "due": m["due"].isoformat(),
                    "is_due": m["is_due"],
                    "still_employed": m["record"].still_employed if m["record"] else None,
                }
                for m in h["marks"]
            ],
        }
        for h in followups.follow_up_schedule(current_user.id)
    ]
    return {"case": summary, "follow_ups": schedule}
