"""API: 面试安排 (scheduled interviews), 邀请 (employers invite seekers), 满意度调查."""

from flask import make_response, request
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.errors import DomainError
from jobfair.interviews import ics as ics_file
from jobfair.interviews import invitations, surveys
from jobfair.interviews import services as interviews
from jobfair.models.common import utcnow
from jobfair.security import login_required, role_required

bp = api_blueprint(
    "api_interviews",
    "",
    "面试安排（时间、地点或视频链接、联系人；求职者确认/改期/婉拒）、"
    "用人单位邀请求职者、招聘会满意度调查",
)

MODE_DOC = "onsite 现场面试 / video_link 外部视频链接 / platform 平台视频（以面试编号进入）"
STATUS_DOC = (
    "proposed 待求职者确认 / accepted 已确认 / reschedule 求职者申请改期 / "
    "declined 已婉拒 / cancelled 招聘方已取消"
)


class PlanIn(Schema):
    starts_at = fields.Str(
        required=True,
        metadata={"description": "面试开始时间：北京时间 YYYY-MM-DDTHH:MM，或带时区的 ISO 时间"},
    )
    minutes = fields.Int(metadata={"description": "预计时长，10–480 分钟，默认 30"})
    mode = fields.Str(required=True, metadata={"description": MODE_DOC})
    place = fields.Str(metadata={"description": "现场面试地点（onsite 必填）"})
    video_url = fields.Str(metadata={"description": "视频会议链接（video_link 必填，http/https）"})
    contact_name = fields.Str(required=True)
    contact_phone = fields.Str(required=True)
    note = fields.Str(metadata={"description": "给求职者的说明，不超过 500 字"})


class ScheduleIn(PlanIn):
    application_id = fields.Int(required=True, metadata={"description": "本单位岗位的投递"})


class RespondIn(Schema):
    action = fields.Str(
        required=True, metadata={"description": "accept 确认 / decline 婉拒 / reschedule 申请改期"}
    )
    message = fields.Str(metadata={"description": "留言；申请改期时必填（写明方便的时间）"})


class CancelIn(Schema):
    reason = fields.Str(metadata={"description": "取消原因（求职者可见），不超过 200 字"})


class Ref(Schema):
    id = fields.Int()
    title = fields.Str()


class NamedRef(Schema):
    id = fields.Int()
    name = fields.Str()


class InterviewOut(Schema):
    id = fields.Int()
    application_id = fields.Int()
    status = fields.Str(metadata={"description": STATUS_DOC})
    status_label = fields.Str()
    starts_at = fields.Str(metadata={"description": "UTC ISO 时间"})
    starts_at_local = fields.Str(metadata={"description": "北京时间"})
    minutes = fields.Int()
    mode = fields.Str(metadata={"description": MODE_DOC})
    mode_label = fields.Str()
    place = fields.Str()
    video_url = fields.Str(allow_none=True)
    video_room = fields.Str(
        allow_none=True, metadata={"description": "平台视频面试的房间名（interview:<编号>）"}
    )
    contact_name = fields.Str()
    contact_phone = fields.Str()
    note = fields.Str()
    seeker_reply = fields.Str()
    replied_at = fields.Str(allow_none=True)
    position = fields.Nested(Ref)
    employer = fields.Nested(NamedRef)
    ics_url = fields.Str(metadata={"description": "iCalendar 文件（登录后下载）"})
    revision = fields.Int(metadata={"description": "每次改动加 1（日历 SEQUENCE）"})
    can_accept = fields.Bool(metadata={"description": "仅求职者"})
    can_decline = fields.Bool(metadata={"description": "仅求职者"})
    can_reschedule = fields.Bool(metadata={"description": "仅求职者"})
    can_change = fields.Bool(metadata={"description": "仅用人单位"})


class InterviewList(Schema):
    items = fields.List(fields.Nested(InterviewOut))


def _out(iv) -> dict:
    return interviews.interview_dict(iv, viewer=current_user)


@bp.route("/interviews", methods=["GET"])
@bp.response(200, InterviewList)
@login_required
def list_interviews():
    """我的面试（求职者）或本单位的面试安排（用人单位及其招聘代表）"""
    if current_user.role == "seeker":
        rows = interviews.seeker_interviews(current_user)
    else:
        rows = interviews.employer_interviews(current_user)
    return {"items": [_out(iv) for iv in rows]}


@bp.route("/interviews", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": ScheduleIn}}})
@bp.response(201, InterviewOut)
@bp.alt_response(409, description="该投递已有待进行的面试安排（code: open_interview）或已结束")
@role_required("employer")
def schedule():
    """安排面试：投递转为“邀请面试”，求职者收到通知"""
    data = dict(json_body())
    application_id = data.pop("application_id", None)
    if not application_id:
        raise DomainError(
            "请提供 application_id（本单位岗位的投递）。", fields={"application_id": "必填"}
        )
    return _out(interviews.schedule(current_user, application_id, data))


@bp.route("/interviews/<int:interview_id>", methods=["GET"])
@bp.response(200, InterviewOut)
@login_required
def get_interview(interview_id: int):
    """一次面试安排（只有求职者本人和该单位可见）"""
    return _out(interviews.interview_for(current_user, interview_id))


@bp.route("/interviews/<int:interview_id>/respond", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": RespondIn}}})
@bp.response(200, InterviewOut)
@role_required("seeker")
def respond(interview_id: int):
    """求职者确认参加、婉拒或申请改期"""
    return _out(interviews.respond(current_user, interview_id, json_body()))


@bp.route("/interviews/<int:interview_id>/reschedule", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": PlanIn}}})
@bp.response(200, InterviewOut)
@role_required("employer")
def reschedule(interview_id: int):
    """用人单位提出新的时间（回应改期申请或主动调整），求职者需重新确认"""
    return _out(interviews.propose_new_time(current_user, interview_id, json_body()))


@bp.route("/interviews/<int:interview_id>/cancel", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": CancelIn}}, "required": False})
@bp.response(200, InterviewOut)
@role_required("employer")
def cancel(interview_id: int):
    """用人单位取消面试"""
    data = request.get_json(silent=True) or {}
    reason = data.get("reason", "") if isinstance(data, dict) else ""
    return _out(interviews.cancel(current_user, interview_id, reason))


@bp.route("/interviews/<int:interview_id>/ics", methods=["GET"])
@bp.doc(responses={"200": {"description": "text/calendar", "content": {"text/calendar": {}}}})
@login_required
def ics(interview_id: int):
    """面试的 iCalendar 文件（.ics），可导入手机或电脑日历"""
    iv = interviews.interview_for(current_user, interview_id)
    resp = make_response(ics_file.interview_ics(iv, request.host.split(":")[0], utcnow()))
    resp.headers["Content-Type"] = "text/calendar; charset=utf-8"
    resp.headers["Content-Disposition"] = f'attachment; filename="interview-{iv.id}.ics"'
    return resp


# --- invitations -------------------------------------------------------------------------


class InviteIn(Schema):
    seeker_id = fields.Int(required=True)
    kind = fields.Str(
        required=True, metadata={"description": "apply 邀请投递 / queue 邀请到展位面谈"}
    )
    position_id = fields.Int(metadata={"description": "kind=apply 时必填：本单位招聘中的岗位"})
    booth_id = fields.Int(metadata={"description": "kind=queue 时必填：本单位已通过审核的展位"})
    message = fields.Str(metadata={"description": "留言，不超过 200 字"})


class AnswerIn(Schema):
    action = fields.Str(required=True, metadata={"description": "accept 接受 / decline 婉拒"})


class FairRef(Schema):
    id = fields.Int()
    title = fields.Str()
    starts_at = fields.Str()
    starts_at_local = fields.Str()


class InvitedSeeker(Schema):
    id = fields.Int()
    name = fields.Str(metadata={"description": "求职者接受前为打码姓名"})
    education = fields.Str()


class InvitationOut(Schema):
    id = fields.Int()
    kind = fields.Str()
    kind_label = fields.Str()
    status = fields.Str(metadata={"description": "pending / accepted / declined / cancelled"})
    status_label = fields.Str()
    message = fields.Str()
    created_at = fields.Str()
    answered_at = fields.Str(allow_none=True)
    position = fields.Nested(Ref, allow_none=True)
    fair = fields.Nested(FairRef, allow_none=True)
    booth_id = fields.Int(allow_none=True)
    employer = fields.Nested(NamedRef, metadata={"description": "仅求职者"})
    can_answer = fields.Bool()
    can_queue = fields.Bool()
    seeker = fields.Nested(InvitedSeeker, metadata={"description": "仅用人单位"})
    can_cancel = fields.Bool()


class InvitationList(Schema):
    items = fields.List(fields.Nested(InvitationOut))


class AnswerOut(Schema):
    invitation = fields.Nested(InvitationOut)
    application_id = fields.Int(metadata={"description": "接受投递邀请后生成的投递"})
    queue_entry_id = fields.Int(metadata={"description": "接受展位邀请后的排队记录"})


class CandidateOut(Schema):
    seeker_id = fields.Int()
    name = fields.Str(metadata={"description": "打码姓名"})
    education = fields.Str()
    major = fields.Str()
    skills = fields.Str()
    score = fields.Int(allow_none=True)
    invitation = fields.Str(allow_none=True)
    queued = fields.Bool()


class CandidateList(Schema):
    items = fields.List(fields.Nested(CandidateOut))


@bp.route("/invitations", methods=["GET"])
@bp.response(200, InvitationList)
@login_required
def list_invitations():
    """求职者收到的邀请，或本单位发出的邀请"""
    if current_user.role == "seeker":
        rows = invitations.seeker_invitations(current_user)
        return {"items": [invitations.invitation_dict(i, for_seeker=True) for i in rows]}
    rows = invitations.employer_invitations(current_user)
    return {"items": [invitations.invitation_dict(i, for_seeker=False) for i in rows]}


@bp.route("/invitations", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": InviteIn}}})
@bp.response(201, InvitationOut)
@bp.alt_response(409, description="已有待回复的同样邀请（code: already_invited）等")
@role_required("employer")
def invite():
    """邀请求职者（推荐人才中愿意被发现的，或报名了本单位所在招聘会的）"""
    data = dict(json_body())
    inv = invitations.invite(current_user, data.pop("seeker_id", None), data)
    return invitations.invitation_dict(inv, for_seeker=False)


@bp.route("/invitations/<int:invitation_id>/answer", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": AnswerIn}}})
@bp.response(200, AnswerOut)
@role_required("seeker")
def answer(invitation_id: int):
    """接受或婉拒邀请：接受投递邀请即投递；接受展位邀请即报名并（招聘会进行中时）排队"""
    out = invitations.respond(current_user, invitation_id, json_body().get("action", ""))
    out["invitation"] = invitations.invitation_dict(out["invitation"], for_seeker=True)
    return out


@bp.route("/invitations/<int:invitation_id>/cancel", methods=["POST"])
@bp.response(200, InvitationOut)
@role_required("employer")
def cancel_invitation(invitation_id: int):
    """撤回尚未回复的邀请"""
    return invitations.invitation_dict(
        invitations.cancel(current_user, invitation_id), for_seeker=False
    )


@bp.route("/booths/<int:booth_id>/candidates", methods=["GET"])
@bp.response(200, CandidateList)
@role_required("employer")
def booth_candidates(booth_id: int):
    """本展位所在招聘会的报名求职者（打码），按匹配度排序，供会前邀请"""
    data = invitations.registered_candidates(current_user, booth_id)
    return {"items": data["candidates"]}


# --- survey ------------------------------------------------------------------------------


class SurveyIn(Schema):
    rating = fields.Int(required=True, metadata={"description": "总体满意度 1–5"})
    useful = fields.Int(
        required=True, metadata={"description": "求职者：找到合适岗位；单位：见到合适人选，1–5"}
    )
    would_return = fields.Bool(metadata={"description": "下次是否还会参加，默认是"})
    comment = fields.Str(metadata={"description": "意见和建议，不超过 300 字"})


class SurveyOut(Schema):
    fair_id = fields.Int()
    role = fields.Str()
    rating = fields.Int()
    useful = fields.Int()
    would_return = fields.Bool()
    comment = fields.Str()


class SurveyRoleResults(Schema):
    answers = fields.Int()
    rating = fields.Float(allow_none=True)
    useful = fields.Float(allow_none=True)
    would_return_pct = fields.Int(allow_none=True)
    distribution = fields.Dict()
    comments = fields.List(fields.Str())


class SurveyResults(Schema):
    seeker = fields.Nested(SurveyRoleResults)
    employer = fields.Nested(SurveyRoleResults)


@bp.route("/fairs/<int:fair_id>/survey", methods=["POST"])
@bp.doc(requestBody={"content": {"application/json": {"schema": SurveyIn}}})
@bp.response(201, SurveyOut)
@bp.alt_response(409, description="已填写过（already_answered）或尚未结束（survey_closed）")
@login_required
def submit_survey(fair_id: int):
    """招聘会结束后 30 天内，报名的求职者和参展单位各填一次"""
    row = surveys.submit(current_user, fair_id, json_body())
    return {
        "fair_id": row.fair_id,
        "role": row.role,
        "rating": row.rating,
        "useful": row.useful,
        "would_return": row.would_return,
        "comment": row.comment,
    }


@bp.route("/fairs/<int:fair_id>/survey/results", methods=["GET"])
@bp.response(200, SurveyResults)
@role_required("organiser")
def survey_results(fair_id: int):
    """满意度调查汇总和意见（组织方，不含姓名）"""
    fair = surveys.fair_or_404(fair_id)
    return surveys.results(fair.id, with_comments=True)
