"""HTML routes of the casework feature: targets, case files, 百日攻坚, households, follow-ups."""

from datetime import UTC, datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from jobfair import reference
from jobfair.auth.limits import export_limit
from jobfair.casework import (
    access,
    campaign,
    exports,
    followups,
    household_decisions,
    queries,
    rules,
    serializers,
)

# Aliased because views named targets, cases, households and placements are endpoints.
from jobfair.casework import cases as case_files
from jobfair.casework import households as zero_households
from jobfair.casework import placements as placement_records
from jobfair.casework import targets as yearly_targets
from jobfair.database import begin_write
from jobfair.errors import DomainError, wants_json
from jobfair.extensions import db
from jobfair.models.casework import (
    CASE_OUTCOME_LABELS,
    CASE_STATUS_LABELS,
    CITY,
    CONTACT_CHANNEL_LABELS,
    DAY_MARKS,
    FOLLOW_UP_SOURCE_LABELS,
    PLAN_PATH_LABELS,
    REFERRAL_ANSWER_LABELS,
    RESPONSE_LABELS,
    TARGET_KIND_LABELS,
)
from jobfair.security import fresh_login_required, role_required, safe_next

bp = Blueprint("casework", __name__)

organiser_only = role_required("organiser")
seeker_only = role_required("seeker")
# A 查看事由 chosen once stays valid for this long in the same browser session.
REASON_TTL = timedelta(hours=4)


@bp.app_template_global()
def casework_nav_allowed() -> bool:
    """Whether the signed-in organiser is a case worker (for links to case-file pages)."""
    return access.case_worker_of(current_user) is not None


@bp.app_template_filter("cw_path")
def plan_path_label(code: str) -> str:
    return PLAN_PATH_LABELS.get(code, code)


def _form_error(err: DomainError):
    """403/404 (and JSON callers) go to the error handler; other rules become a flash."""
    if wants_json() or err.status in (401, 403, 404):
        raise err
    flash(err.message, "error")


def _year_arg() -> int:
    return queries.year_or_this(request.args.get("year", type=int))


def _session_reason() -> str | None:
    saved = session.get("casework_reason")
    if not isinstance(saved, dict):
        return None
    try:
        at = datetime.fromisoformat(saved["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if datetime.now(UTC) - at > REASON_TTL:
        return None
    return saved.get("text")


def _reason_from_request() -> str | None:
    """A reason given with this request (stored for the visit), else the visit's reason."""
    code = request.values.get("reason")
    if code:
        text = access.check_reason(code, request.values.get("reason_text"))
        session["casework_reason"] = {"text": text, "at": datetime.now(UTC).isoformat()}
        return text
    return _session_reason()


def _reason_page(status: int = 200):
    return render_template(
        "casework/reason.html",
        reasons=access.REASONS,
        next_url=request.full_path.rstrip("?"),
        action=request.path,
        keep={k: v for k, v in request.args.items() if k not in ("reason", "reason_text")},
    ), status


# --- home ----------------------------------------------------------------------------------


@bp.route("/casework")
@organiser_only
def home():
    zero_households.lazy_escalate()
    cw = access.case_worker_of(current_user)
    pairs = yearly_targets.targets_with_progress()
    district = None
    if cw is not None and not cw.is_supervisor and len(cw.districts or []) == 1:
        district = cw.districts[0]
    return render_template(
        "casework/home.html",
        cw=cw,
        pairs=pairs,
        year=queries.local_today().year,
        households=zero_households.household_summary(district),
        household_district=district,
    )


# --- targets -------------------------------------------------------------------------------


def _target_form_context(target=None, values=None, errors=None):
    workers = access.list_case_workers()
    return {
        "target": target,
        "values": values or {},
        "errors": errors or {},
        "kinds": list(TARGET_KIND_LABELS.items()),
        "districts": [CITY, *reference.districts()],
        "workers": workers,
        "this_year": queries.local_today().year,
    }


@bp.route("/casework/targets")
@organiser_only
def targets():
    year = _year_arg()
    district = request.args.get("district") or None
    if district not in (CITY, *reference.districts()):
        district = None
    return render_template(
        "casework/targets.html",
        pairs=yearly_targets.targets_with_progress(year, district),
        year=year,
        years=yearly_targets.target_years(),
        district=district,
    )


@bp.route("/casework/targets/new", methods=["GET", "POST"])
@organiser_only
def new_target():
    if request.method == "POST":
        try:
            target = yearly_targets.save_target(current_user, request.form.to_dict(), form=True)
        except DomainError as err:
            _form_error(err)
            ctx = _target_form_context(values=request.form, errors=err.fields)
            return render_template("casework/target_form.html", **ctx), err.status
        flash("目标已保存。完成进度只按就业登记（入职、安置、回访核实）形成的记录计算。", "success")
        return redirect(url_for("casework.target_detail", target_id=target.id))
    return render_template("casework/target_form.html", **_target_form_context())


@bp.route("/casework/targets/<int:target_id>")
@organiser_only
def target_detail(target_id: int):
    target = yearly_targets.get_target(target_id)
    counted = yearly_targets.target_outcomes(target)
    reveal = access.covers(current_user, target.district)
    return render_template(
        "casework/target_detail.html",
        target=target,
        progress=yearly_targets.target_progress(target),
        outcomes=[serializers.outcome_dict(r, reveal) for r in counted],
        reveal=reveal,
        rules=rules.rules_table(),
    )


@bp.route("/casework/targets/<int:target_id>/edit", methods=["GET", "POST"])
@organiser_only
def edit_target(target_id: int):
    target = yearly_targets.get_target(target_id)
    if request.method == "POST":
        try:
            yearly_targets.save_target(
                current_user, request.form.to_dict(), target=target, form=True
            )
        except DomainError as err:
            _form_error(err)
            target = yearly_targets.get_target(target_id)
            ctx = _target_form_context(target, request.form, err.fields)
            return render_template("casework/target_form.html", **ctx), err.status
        flash("目标已更新。", "success")
        return redirect(url_for("casework.target_detail", target_id=target_id))
    values = {
        "year": target.year,
        "district": target.district,
        "kind": target.kind,
        "goal": target.goal,
        "worker_id": target.worker_id,
        "note": target.note,
    }
    return render_template("casework/target_form.html", **_target_form_context(target, values))


@bp.route("/casework/targets/export")
@organiser_only
@fresh_login_required
@export_limit
def export_targets():
    fmt = request.args.get("format", "xlsx")
    body, name, mimetype = exports.export_targets(current_user, _year_arg(), fmt)
    return exports.attachment(body, name, mimetype)


# --- case files ----------------------------------------------------------------------------


@bp.route("/casework/cases")
@organiser_only
def cases():
    cw = access.require_case_worker(current_user)
    status = request.args.get("status") or None
    group = request.args.get("group") or None
    district = request.args.get("district") or None
    rows = case_files.list_cases(current_user, status=status, group=group, district=district)
    return render_template(
        "casework/cases.html",
        cw=cw,
        cases=rows,
        status=status,
        group=group,
        district=district,
        status_labels=CASE_STATUS_LABELS,
        group_options=case_files.GROUP_OPTIONS,
        reasons=access.REASONS,
        reason=_session_reason(),
        districts=reference.districts() if cw.is_supervisor else cw.districts,
    )


@bp.route("/casework/cases/new", methods=["GET", "POST"])
@organiser_only
def new_case():
    cw = access.require_case_worker(current_user)
    if request.method == "POST":
        try:
            case = case_files.create_case(current_user, request.form.to_dict(), form=True)
        except DomainError as err:
            _form_error(err)
        else:
            flash("档案已建立。请在规定天数内制定帮扶方案。", "success")
            return redirect(url_for("casework.case_detail", case_id=case.id))
    district = request.args.get("district") or None
    return render_template(
        "casework/case_new.html",
        cw=cw,
        seekers=case_files.eligible_seekers(current_user, district),
        district=district,
        districts=reference.districts() if cw.is_supervisor else cw.districts,
        seeker_district=queries.seeker_district,
        consented_groups=queries.consented_groups,
    )


@bp.route("/casework/cases/export")
@organiser_only
@fresh_login_required
@export_limit
def export_cases():
    access.require_case_worker(current_user)
    reason = _reason_from_request()
    if not reason:
        return _reason_page()
    body, name, mimetype = exports.export_cases(
        current_user,
        reason,
        request.args.get("format", "xlsx"),
        status=request.args.get("status") or None,
        group=request.args.get("group") or None,
        district=request.args.get("district") or None,
    )
    return exports.attachment(body, name, mimetype)


def _render_case(case_id: int, reason: str, errors=None, status=200):
    begin_write(db.session)
    case = case_files.open_case(current_user, case_id, reason)
    profile = case_files.profile_of(case)
    conf = campaign.settings()
    today = queries.local_today()
    workers = [w for w in access.list_case_workers() if w.covers(case.district)]
    return render_template(
        "casework/case_detail.html",
        case=case,
        profile=profile,
        groups=sorted(queries.consented_groups(profile)),
        verified=queries.verified_groups(profile),
        plan=campaign.plan_state(case, conf["plan_days"], today),
        workers=workers,
        reason=reason,
        errors=errors or {},
        status_labels=CASE_STATUS_LABELS,
        outcome_labels=CASE_OUTCOME_LABELS,
        path_labels=PLAN_PATH_LABELS,
        channel_labels=CONTACT_CHANNEL_LABELS,
        response_labels=RESPONSE_LABELS,
        source_labels=FOLLOW_UP_SOURCE_LABELS,
        positions=zero_households.suitable_positions(case.district),
        schedule=followups.follow_up_schedule(case.seeker_id, today),
        today=today,
    ), status


@bp.route("/casework/cases/<int:case_id>")
@organiser_only
def case_detail(case_id: int):
    case_files.case_for_update(current_user, case_id)  # 403/404 before asking for a reason
    try:
        reason = _reason_from_request()
    except DomainError as err:
        flash(err.message, "error")
        return _reason_page(422)
    if not reason:
        return _reason_page()
    return _render_case(case_id, reason)


def _case_post(case_id: int, action, success: str, anchor: str = ""):
    try:
        action()
    except DomainError as err:
        _form_error(err)
    else:
        flash(success, "success")
    return redirect(url_for("casework.case_detail", case_id=case_id) + anchor)


@bp.route("/casework/cases/<int:case_id>/update", methods=["POST"])
@organiser_only
def update_case(case_id: int):
    data = request.form.to_dict()
    data["plan_paths"] = request.form.getlist("plan_paths")
    return _case_post(
        case_id,
        lambda: case_files.update_case(current_user, case_id, data, form=True),
        "档案已更新。",
        "#plan",
    )


@bp.route("/casework/cases/<int:case_id>/contacts", methods=["POST"])
@organiser_only
def add_contact(case_id: int):
    return _case_post(
        case_id,
        lambda: case_files.add_contact(current_user, case_id, request.form.to_dict(), form=True),
        "联系记录已添加。",
        "#contacts",
    )


@bp.route("/casework/cases/<int:case_id>/recommendations", methods=["POST"])
@organiser_only
def add_recommendation(case_id: int):
    return _case_post(
        case_id,
        lambda: case_files.add_recommendation(
            current_user, case_id, request.form.to_dict(), form=True
        ),
        "推荐岗位已记录。",
        "#recommendations",
    )


@bp.route("/casework/cases/<int:case_id>/recommendations/<int:rec_id>", methods=["POST"])
@organiser_only
def set_response(case_id: int, rec_id: int):
    return _case_post(
        case_id,
        lambda: case_files.set_response(
            current_user, case_id, rec_id, request.form.to_dict(), form=True
        ),
        "答复已更新。",
        "#recommendations",
    )


@bp.route("/casework/cases/<int:case_id>/trainings", methods=["POST"])
@organiser_only
def add_training(case_id: int):
    return _case_post(
        case_id,
        lambda: case_files.add_training(current_user, case_id, request.form.to_dict(), form=True),
        "培训推荐已记录。",
        "#trainings",
    )


@bp.route("/casework/cases/<int:case_id>/placements", methods=["POST"])
@organiser_only
def add_placement(case_id: int):
    case = case_files.case_for_update(current_user, case_id)
    data = request.form.to_dict()
    data["seeker_id"] = case.seeker_id
    return _case_post(
        case_id,
        lambda: placement_records.create_placement(current_user, data, form=True),
        "平台外就业已登记，计入目标进度。",
        "#outcome",
    )


@bp.route("/casework/cases/<int:case_id>/follow-ups", methods=["POST"])
@organiser_only
def add_follow_up(case_id: int):
    case = case_files.case_for_update(current_user, case_id)
    return _case_post(
        case_id,
        lambda: followups.record_follow_up(
            current_user, case.seeker_id, request.form.to_dict(), form=True
        ),
        "回访已记录。",
        "#follow-ups",
    )


@bp.route("/casework/placements")
@organiser_only
def placements():
    return render_template(
        "casework/placements.html",
        placements=placement_records.list_placements(current_user),
        follow_ups=followups.list_follow_ups(current_user, limit=100),
    )


# --- 百日攻坚 -------------------------------------------------------------------------------


@bp.route("/casework/fishers")
@organiser_only
def fishers():
    return render_template("casework/fishers.html", campaign=campaign.fisher_campaign(current_user))


# --- households ----------------------------------------------------------------------------


@bp.route("/casework/households")
@organiser_only
def households():
    cw = access.require_case_worker(current_user)
    zero_households.lazy_escalate()
    state = request.args.get("state") or None
    if state not in ("open", "closed", "overdue"):
        state = None
    district = None if cw.is_supervisor or len(cw.districts) != 1 else cw.districts[0]
    return render_template(
        "casework/households.html",
        rows=zero_households.list_households(current_user, state=state),
        state=state,
        summary=zero_households.household_summary(district),
    )


def _household_members_from_form(form) -> list[dict]:
    members = []
    for i in range(1, 6):
        name = (form.get(f"member_name_{i}") or "").strip()
        relation = (form.get(f"member_relation_{i}") or "").strip()
        phone = (form.get(f"member_phone_{i}") or "").strip()
        if name or relation or phone:
            members.append({"name": name, "relation": relation, "seeker_phone": phone})
    return members


@bp.route("/casework/households/new", methods=["GET", "POST"])
@organiser_only
def new_household():
    cw = access.require_case_worker(current_user)
    districts = reference.districts() if cw.is_supervisor else cw.districts
    errors, values, status = {}, {}, 200
    if request.method == "POST":
        values = request.form
        data = {
            "district": request.form.get("district", ""),
            "label": request.form.get("label", ""),
            "identified_on": request.form.get("identified_on", ""),
            "deadline_days": request.form.get("deadline_days") or None,
            "members": _household_members_from_form(request.form),
        }
        try:
            hh = zero_households.create_household(current_user, data)
        except DomainError as err:
            _form_error(err)
            errors, status = err.fields, err.status
        else:
            flash("零就业家庭已登记。", "success")
            return redirect(url_for("casework.household_detail", household_id=hh.id))
    return render_template(
        "casework/household_form.html",
        districts=districts,
        values=values,
        errors=errors,
        default_days=campaign.settings()["household_deadline_days"],
        today=queries.local_today(),
    ), status


@bp.route("/casework/households/<int:household_id>")
@organiser_only
def household_detail(household_id: int):
    hh = zero_households.get_household(current_user, household_id)
    return render_template(
        "casework/household_detail.html",
        hh=hh,
        st=zero_households.household_status(hh),
        positions=zero_households.suitable_positions(hh.district),
        today=queries.local_today(),
        answer_labels=REFERRAL_ANSWER_LABELS,
        welfare_positions=household_decisions.public_welfare_positions(),
    )


@bp.route("/casework/households/<int:household_id>/referrals", methods=["POST"])
@organiser_only
def add_referral(household_id: int):
    ids = []
    for raw in request.form.getlist("position_ids"):
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    data = {
        "referred_on": request.form.get("referred_on", ""),
        "position_ids": ids,
        "note": request.form.get("note", ""),
    }
    try:
        ref = zero_households.add_referral(current_user, household_id, data)
    except DomainError as err:
        _form_error(err)
    else:
        flash(f"第 {ref.round_no} 轮推荐已记录。", "success")
    return redirect(url_for("casework.household_detail", household_id=household_id))


# --- supervisors ---------------------------------------------------------------------------


@bp.route("/casework/workers", methods=["GET", "POST"])
@organiser_only
def workers():
    access.require_supervisor(current_user)
    errors, status = {}, 200
    if request.method == "POST":
        data = request.form.to_dict()
        data["districts"] = request.form.getlist("districts")
        try:
            access.save_case_worker(current_user, data, form=True)
        except DomainError as err:
            _form_error(err)
            errors, status = err.fields, err.status
        else:
            flash("个案工作人员已保存。", "success")
            return redirect(url_for("casework.workers"))
    return render_template(
        "casework/workers.html",
        workers=access.list_case_workers(),
        organisers=access.organisers(),
        districts=reference.districts(),
        errors=errors,
    ), status


@bp.route("/casework/workers/<int:worker_id>/remove", methods=["POST"])
@organiser_only
def remove_worker(worker_id: int):
    try:
        access.remove_case_worker(current_user, worker_id)
    except DomainError as err:
        _form_error(err)
    else:
        flash("已移除该个案工作人员的权限。", "success")
    return redirect(url_for("casework.workers"))


@bp.route("/casework/settings", methods=["GET", "POST"])
@organiser_only
def settings():
    access.require_supervisor(current_user)
    errors, status, values = {}, 200, campaign.settings()
    if request.method == "POST":
        try:
            campaign.save_settings(current_user, request.form.to_dict(), form=True)
        except DomainError as err:
            _form_error(err)
            errors, status, values = err.fields, err.status, request.form
        else:
            flash("设置已保存。", "success")
            return redirect(url_for("casework.settings"))
    return render_template("casework/settings.html", values=values, errors=errors), status


@bp.route("/casework/access-log")
@organiser_only
def access_log():
    return render_template(
        "casework/access_log.html",
        rows=access.access_log(current_user),
        labels=access.ACTION_LABELS,
    )


# --- the seeker's own page -----------------------------------------------------------------


@bp.route("/me/casework")
@seeker_only
def mine():
    begin_write(db.session)
    case = case_files.own_case(current_user)
    return render_template(
        "casework/mine.html",
        case=case,
        schedule=followups.follow_up_schedule(current_user.id),
        path_labels=PLAN_PATH_LABELS,
        response_labels=RESPONSE_LABELS,
        status_labels=CASE_STATUS_LABELS,
        day_marks=DAY_MARKS,
    )


@bp.route("/me/casework/follow-ups", methods=["POST"])
@seeker_only
def confirm_follow_up():
    try:
        followups.record_follow_up(current_user, current_user.id, request.form.to_dict(), form=True)
    except DomainError as err:
        _form_error(err)
    else:
        flash("感谢确认！你的回访结果已记录。", "success")
    back = safe_next(request.form.get("next")) or url_for("casework.mine")
    return redirect(back)
