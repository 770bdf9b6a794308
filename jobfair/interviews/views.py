"""Pages of scheduled interviews, invitations and the after-fair survey (forms post to the same
services as the JSON API)."""

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from jobfair.applications.services import employer_application
from jobfair.applications.views import render_employer_detail
from jobfair.employers.acting import employer_of, owned_employer
from jobfair.errors import DomainError, wants_json
from jobfair.extensions import db
from jobfair.fairs.schemas import local_input
from jobfair.interviews import ics as ics_file
from jobfair.interviews import (
    invitations,
    surveys,
    video,  # registers the "interview" call kind
)
from jobfair.interviews import services as interviews
from jobfair.models.common import utcnow
from jobfair.models.interview import (
    INTERVIEW_MODE_LABELS,
    INVITATION_STATUS_LABELS,
    InterviewMode,
    ScheduledInterview,
)
from jobfair.security import login_required, role_required, safe_next

bp = Blueprint("interviews", __name__)


def _fail(err: DomainError) -> None:
    """A broken rule is said on the page; somebody else's object stays a plain 404/403."""
    db.session.rollback()
    if wants_json() or err.status in (403, 404):
        raise err
    flash(err.message, "error")


def _back(default: str):
    return redirect(safe_next(request.form.get("next")) or default)


# --- template helpers ----------------------------------------------------------------------


@bp.app_template_global()
def application_interviews(app, user) -> list[dict]:
    return [interviews.interview_dict(iv, viewer=user) for iv in interviews.of_application(app.id)]


@bp.app_template_global()
def interview_modes() -> list[tuple[str, str]]:
    return [(m.value, INTERVIEW_MODE_LABELS[m]) for m in InterviewMode]


@bp.app_template_global()
def interview_plan_defaults(iv: dict | None = None) -> dict:
    """Form values: the arrangement being changed, or the signed-in rep as the contact."""
    if iv is not None:
        row = db.session.get(ScheduledInterview, iv["id"])
        return {
            "starts_at": local_input(row.starts_at),
            "minutes": row.minutes,
            "mode": row.mode,
            "place": row.place,
            "video_url": row.video_url,
            "contact_name": row.contact_name,
            "contact_phone": row.contact_phone,
            "note": row.note,
        }
    employer = employer_of(current_user)
    return {
        "minutes": 30,
        "mode": InterviewMode.ONSITE.value,
        "place": employer.address if employer is not None and employer.address else "",
        "contact_name": current_user.name or "",
        "contact_phone": current_user.phone or "",
    }


@bp.app_template_global()
def talent_invitation_state(position, seeker_id: int) -> dict:
    """For one row of 推荐人才: this employer's invitations to the seeker, and its booths."""
    apply_st = invitations.pending_for(position.employer_id, f"position:{position.id}").get(
        seeker_id
    )
    booths = []
    for b in invitations.invite_booths(current_user, position):
        st = invitations.pending_for(position.employer_id, f"booth:{b.id}").get(seeker_id)
        booths.append(
            {
                "id": b.id,
                "fair_title": b.fair.title,
                "status": st,
                "label": INVITATION_STATUS_LABELS.get(st, ""),
            }
        )
    return {
        "apply": apply_st,
        "apply_label": INVITATION_STATUS_LABELS.get(apply_st, ""),
        "booths": booths,
    }


@bp.app_template_global()
def fair_survey_state(fair) -> dict | None:
    if not current_user.is_authenticated:
        return None
    return surveys.state(current_user, fair)


@bp.app_template_global()
def fair_survey_results(fair) -> dict:
    return surveys.results(fair.id)


# --- seekers: interviews -----------------------------------------------------------------


@bp.get("/me/interviews")
@role_required("seeker")
def seeker_list():
    items = [
        interviews.interview_dict(iv, viewer=current_user)
        for iv in interviews.seeker_interviews(current_user)
    ]
    return render_template("interviews/seeker_list.html", items=items)


RESPONSE_DONE = {
    "accept": "已确认参加面试。面试开始前 2 小时会提醒你，也可以把面试加入手机日历。",
    "decline": "已婉拒这次面试，招聘方会收到你的回复。",
    "reschedule": "已申请改期，招聘方会提出新的时间。",
}


@bp.post("/me/interviews/<int:interview_id>/respond")
@role_required("seeker")
def respond(interview_id: int):
    form = request.form.to_dict()
    try:
        interviews.respond(current_user, interview_id, form, form=True)
        flash(RESPONSE_DONE.get(form.get("action"), "已回复。"), "success")
    except DomainError as err:
        _fail(err)
    return _back(url_for("interviews.seeker_list"))


@bp.get("/interviews/<int:interview_id>.ics")
@login_required
def ics(interview_id: int):
    iv = interviews.interview_for(current_user, interview_id)
    body = ics_file.interview_ics(iv, request.host.split(":")[0] or "jobfair", utcnow())
    resp = make_response(body)
    resp.headers["Content-Type"] = "text/calendar; charset=utf-8"
    resp.headers["Content-Disposition"] = f'attachment; filename="interview-{iv.id}.ics"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get("/interviews/<int:interview_id>/video")
@login_required
def video_page(interview_id: int):
    iv = video.video_interview(current_user, interview_id)
    try:
        video.calls.resolve(current_user, "interview", iv.id)
        can_call, reason = True, ""
    except DomainError as err:
        can_call, reason = False, err.message
    return render_template(
        "interviews/video.html",
        info=interviews.interview_dict(iv, viewer=current_user),
        is_seeker=current_user.id == iv.seeker_user_id,
        can_call=can_call,
        closed_reason=reason,
    )


# --- employers: interviews ---------------------------------------------------------------


@bp.get("/employer/interviews")
@role_required("employer")
def employer_list():
    items = [
        interviews.interview_dict(iv, viewer=current_user)
        for iv in interviews.employer_interviews(current_user)
    ]
    return render_template(
        "interviews/employer_list.html",
        items=items,
        owner=owned_employer(current_user) is not None,
    )


@bp.post("/employer/applications/<int:application_id>/interviews")
@role_required("employer")
def create(application_id: int):
    try:
        interviews.schedule(current_user, application_id, request.form.to_dict(), form=True)
        flash("面试邀请已发给求职者。", "success")
    except DomainError as err:
        _fail(err)
        if not request.form.get("next"):
            # The application page again, with what was typed and the message by its field.
            app = employer_application(current_user, application_id)
            plan = {"values": request.form.to_dict(), "errors": err.fields or {}}
            return render_employer_detail(app, status_code=err.status, plan=plan)
    return _back(url_for("applications.employer_detail", application_id=application_id))


def _employer_acts(action, done: str):
    """After an employer changes an interview: back to its application, or to the list."""
    try:
        iv = action()
        flash(done, "success")
        default = url_for("applications.employer_detail", application_id=iv.application_id)
    except DomainError as err:
        _fail(err)
        default = url_for("interviews.employer_list")
    return _back(default)


@bp.post("/employer/interviews/<int:interview_id>/change")
@role_required("employer")
def change(interview_id: int):
    return _employer_acts(
        lambda: interviews.propose_new_time(
            current_user, interview_id, request.form.to_dict(), form=True
        ),
        "新的面试安排已发给求职者，请等待确认。",
    )


@bp.post("/employer/interviews/<int:interview_id>/cancel")
@role_required("employer")
def cancel(interview_id: int):
    return _employer_acts(
        lambda: interviews.cancel(current_user, interview_id, request.form.get("reason", "")),
        "面试已取消，求职者会收到通知。",
    )


# --- invitations -------------------------------------------------------------------------


@bp.get("/me/invitations")
@role_required("seeker")
def seeker_invitations():
    items = [
        invitations.invitation_dict(i, for_seeker=True)
        for i in invitations.seeker_invitations(current_user)
    ]
    return render_template("interviews/seeker_invitations.html", items=items)


@bp.post("/me/invitations/<int:invitation_id>/answer")
@role_required("seeker")
def answer_invitation(invitation_id: int):
    action = request.form.get("action", "")
    try:
        out = invitations.respond(current_user, invitation_id, action)
    except DomainError as err:
        if err.code == "profile_incomplete":
            db.session.rollback()
            flash(err.message, "info")
            return redirect(
                url_for("seekers.profile", next=url_for("interviews.seeker_invitations"))
            )
        _fail(err)
        return redirect(url_for("interviews.seeker_invitations"))
    if action == "decline":
        flash("已婉拒这份邀请。", "success")
    elif out.get("application_id"):
        flash("已接受邀请并投递，可以在“我的投递”中查看进度。", "success")
        return redirect(url_for("applications.mine"))
    elif out.get("queue_entry_id"):
        flash("已接受邀请，已为你在该展位排队。", "success")
        return redirect(url_for("live.my_queues"))
    else:
        flash("已接受邀请。招聘会开始后，可以在这里一键到该展位排队。", "success")
    return redirect(url_for("interviews.seeker_invitations"))


@bp.post("/me/invitations/<int:invitation_id>/queue")
@role_required("seeker")
def queue_from_invitation(invitation_id: int):
    try:
        invitations.join_accepted_queue(current_user, invitation_id)
    except DomainError as err:
        _fail(err)
        return redirect(url_for("interviews.seeker_invitations"))
    flash("已为你在该展位排队。", "success")
    return redirect(url_for("live.my_queues"))


@bp.get("/employer/invitations")
@role_required("employer")
def employer_invitations():
    items = [
        invitations.invitation_dict(i, for_seeker=False)
        for i in invitations.employer_invitations(current_user)
    ]
    return render_template(
        "interviews/employer_invitations.html", items=items, daily_limit=invitations.DAILY_LIMIT
    )


@bp.post("/employer/invitations/<int:invitation_id>/cancel")
@role_required("employer")
def cancel_invitation(invitation_id: int):
    try:
        invitations.cancel(current_user, invitation_id)
        flash("邀请已撤回。", "success")
    except DomainError as err:
        _fail(err)
    return redirect(url_for("interviews.employer_invitations"))


@bp.post("/employer/positions/<int:position_id>/talent/invite")
@role_required("employer")
def invite_talent(position_id: int):
    f = request.form
    data = {
        "kind": f.get("kind", "apply"),
        "position_id": position_id,
        "booth_id": f.get("booth_id"),
        "message": f.get("message", ""),
    }
    try:
        invitations.invite(current_user, f.get("seeker_id"), data)
        flash("邀请已发出。求职者接受后，你就能看到对方的完整资料。", "success")
    except DomainError as err:
        _fail(err)
    return redirect(url_for("recommendations.talent", position_id=position_id))


@bp.get("/live/booths/<int:booth_id>/candidates")
@role_required("employer")
def booth_candidates(booth_id: int):
    data = invitations.registered_candidates(current_user, booth_id)
    return render_template("interviews/booth_candidates.html", **data)


@bp.post("/live/booths/<int:booth_id>/candidates/invite")
@role_required("employer")
def invite_candidate(booth_id: int):
    data = {"kind": "queue", "booth_id": booth_id, "message": request.form.get("message", "")}
    try:
        invitations.invite(current_user, request.form.get("seeker_id"), data)
        flash("邀请已发出。", "success")
    except DomainError as err:
        _fail(err)
    return redirect(url_for("interviews.booth_candidates", booth_id=booth_id))


# --- the after-fair survey ---------------------------------------------------------------


@bp.route("/fairs/<int:fair_id>/survey", methods=["GET", "POST"])
@login_required
def survey(fair_id: int):
    fair, state = surveys.survey_fair(current_user, fair_id)
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            surveys.submit(current_user, fair_id, values, form=True)
        except DomainError as err:
            db.session.rollback()
            if err.status in (403, 404):
                raise
            flash(err.message, "error")
            errors, status = err.fields or {}, err.status
        else:
            flash("谢谢你的评价！", "success")
            return redirect(url_for("fairs.detail", fair_id=fair_id))
    return (
        render_template(
            "interviews/survey.html",
            fair=fair,
            state=state,
            values=values,
            errors=errors,
            scale=surveys.SCALE,
        ),
        status,
    )
