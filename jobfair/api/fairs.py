"""API: 招聘会 — public fair pages, seeker registration, booth applications, organiser
management and live-session scheduling."""

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from jobfair.api.registry import api_blueprint, json_body
from jobfair.errors import DomainError
from jobfair.fairs import attendance as attendance_ops
from jobfair.fairs import booths as booth_ops
from jobfair.fairs import fairs as fair_ops
from jobfair.fairs import registrations as registration_ops
from jobfair.fairs import schedule as schedule_ops
from jobfair.formatting import iso
from jobfair.masking import mask_phone
from jobfair.models.common import utcnow
from jobfair.models.fair import Booth, Fair, LiveSession
from jobfair.models.user import Role
from jobfair.security import role_required

bp = api_blueprint("api_fairs", "/fairs", "招聘会：报名、展位、直播带岗安排")

TIME_DOC = "ISO 8601；不带时区时按北京时间理解，如 2027-03-01T09:00"


# --- schemas (documentation of the JSON shapes) ---------------------------------------------


class FairOut(Schema):
    id = fields.Int()
    title = fields.Str()
    theme = fields.Str()
    description = fields.Str()
    status = fields.Str(metadata={"enum": ["draft", "published", "closed"]})
    phase = fields.Str(metadata={"enum": ["upcoming", "ongoing", "past"]})
    starts_at = fields.Str()
    ends_at = fields.Str()
    capacity = fields.Int(allow_none=True)
    eligibility_group = fields.Str(allow_none=True)
    groups = fields.List(fields.Str())
    registration_count = fields.Int()


class FairPositionRef(Schema):
    id = fields.Int()
    title = fields.Str()
    salary_min = fields.Int()
    salary_max = fields.Int()
    district = fields.Str()
    work_form = fields.Str()
    headcount = fields.Int()


class FairEmployerRef(Schema):
    id = fields.Int()
    name = fields.Str()
    industry = fields.Str()
    size = fields.Str()
    district = fields.Str()
    description = fields.Str()
    contact_name = fields.Str(metadata={"description": "仅登录用户可见"})
    contact_phone = fields.Str(metadata={"description": "仅登录用户可见"})


class BoothOut(Schema):
    id = fields.Int()
    fair_id = fields.Int()
    status = fields.Str(metadata={"enum": ["pending", "approved", "declined"]})
    decline_reason = fields.Str(metadata={"description": "仅本单位和组织方可见"})
    intro = fields.Str()
    chat_minutes = fields.Int()
    max_chats = fields.Int(metadata={"description": "每位招聘人员最多同时面谈数"})
    employer = fields.Nested(FairEmployerRef)
    positions = fields.List(fields.Nested(FairPositionRef))
    created_at = fields.Str()
    decided_at = fields.Str(allow_none=True)


class SessionOut(Schema):
    id = fields.Int()
    fair_id = fields.Int()
    title = fields.Str()
    description = fields.Str()
    host_user_id = fields.Int(allow_none=True)
    host_name = fields.Str()
    stream_url = fields.Str()
    stream_kind = fields.Str(metadata={"enum": ["hls", "flv", "embed", ""]})
    starts_at = fields.Str()
    ends_at = fields.Str()
    status = fields.Str(metadata={"enum": ["scheduled", "live", "ended"]})
    employer_ids = fields.List(fields.Int())


class FairDetailOut(FairOut):
    registered = fields.Bool(metadata={"description": "当前求职者是否已报名"})
    attended = fields.Bool(
        metadata={"description": "当前求职者是否已到场（线上进入会场或现场签到）"}
    )
    booths = fields.List(fields.Nested(BoothOut))
    sessions = fields.List(fields.Nested(SessionOut))


class PhaseQuery(Schema):
    phase = fields.Str(metadata={"enum": ["upcoming", "ongoing", "past"]})


class StatusQuery(Schema):
    status = fields.Str(metadata={"enum": ["pending", "approved", "declined"]})


class FairIn(Schema):
    title = fields.Str(required=True, metadata={"description": "4–100 字"})
    theme = fields.Str()
    description = fields.Str()
    starts_at = fields.Str(required=True, metadata={"description": TIME_DOC})
    ends_at = fields.Str(required=True, metadata={"description": TIME_DOC + "；须晚于开始时间"})
    capacity = fields.Int(allow_none=True, metadata={"description": "报名人数上限，≥1；null 不限"})
    eligibility_group = fields.Str(
        allow_none=True, metadata={"description": "仅限该重点群体报名（本人同意提供身份）"}
    )
    groups = fields.List(fields.Str(), metadata={"description": "面向的重点群体"})


class BoothIn(Schema):
    position_ids = fields.List(
        fields.Int(), required=True, metadata={"description": "本单位招聘中的岗位"}
    )
    intro = fields.Str()
    chat_minutes = fields.Int(metadata={"description": "1–60，默认 10"})
    max_chats = fields.Int(metadata={"description": "每位招聘人员同时面谈数，1–5，默认 2"})


class DeclineIn(Schema):
    reason = fields.Str(required=True, metadata={"description": "用人单位可见"})


class SessionIn(Schema):
    title = fields.Str(required=True)
    description = fields.Str()
    host_user_id = fields.Int(required=True, metadata={"description": "组织方账号"})
    stream_url = fields.Str(metadata={"description": "http(s)：HLS .m3u8、FLV 或嵌入页面"})
    starts_at = fields.Str(required=True, metadata={"description": TIME_DOC})
    ends_at = fields.Str(required=True, metadata={"description": TIME_DOC})
    employer_ids = fields.List(fields.Int(), metadata={"description": "本场已通过展位的单位"})


class RegistrationOut(Schema):
    fair_id = fields.Int()
    registered = fields.Bool()


class RegistrantOut(Schema):
    id = fields.Int()
    user_id = fields.Int()
    name = fields.Str()
    phone = fields.Str(metadata={"description": "已打码"})
    groups = fields.List(fields.Str())
    created_at = fields.Str()
    online_at = fields.Str(allow_none=True, metadata={"description": "线上进入会场时间（到场）"})
    onsite_at = fields.Str(allow_none=True, metadata={"description": "现场签到时间（到场）"})


class RegistrationsOut(Schema):
    fair = fields.Nested(FairOut)
    total = fields.Int()
    by_group = fields.Dict(keys=fields.Str(), values=fields.Int())
    items = fields.List(fields.Nested(RegistrantOut))


class ManagedFairOut(FairOut):
    counts = fields.Dict(keys=fields.Str(), values=fields.Int())


def _body(schema_cls):
    return {"requestBody": {"content": {"application/json": {"schema": schema_cls}}}}


# --- serialisation --------------------------------------------------------------------------


def fair_dict(fair: Fair, now=None, count: int | None = None) -> dict:
    return {
        "id": fair.id,
        "title": fair.title,
        "theme": fair.theme,
        "description": fair.description,
        "status": fair.status,
        "phase": fair.phase(now or utcnow()),
        "starts_at": iso(fair.starts_at),
        "ends_at": iso(fair.ends_at),
        "capacity": fair.capacity,
        "eligibility_group": fair.eligibility_group,
        "groups": fair.group_codes,
        "registration_count": fair_ops.registration_count(fair.id) if count is None else count,
    }


def _position_dict(p) -> dict:
    return {
        "id": p.id,
        "title": p.title,
        "salary_min": p.salary_min,
        "salary_max": p.salary_max,
        "district": p.district,
        "work_form": p.work_form,
        "headcount": p.headcount,
    }


def booth_dict(booth: Booth, *, private: bool = False) -> dict:
    """private: the booth's own employer or an organiser (decline reason, all positions)."""
    e = booth.employer
    employer = {
        "id": e.id,
        "name": e.name,
        "industry": e.industry,
        "size": e.size,
        "district": e.district,
        "description": e.description,
    }
    if current_user.is_authenticated:
        employer.update(contact_name=e.contact_name, contact_phone=e.contact_phone)
    positions = (
        [link.position for link in booth.position_links]
        if private
        else booth_ops.shown_positions(booth)
    )
    out = {
        "id": booth.id,
        "fair_id": booth.fair_id,
        "status": booth.status,
        "intro": booth.intro,
        "chat_minutes": booth.chat_minutes,
        "max_chats": booth.max_chats,
        "employer": employer,
        "positions": [_position_dict(p) for p in positions],
        "created_at": iso(booth.created_at),
        "decided_at": iso(booth.decided_at),
    }
    if private:
        out["decline_reason"] = booth.decline_reason
    return out


def session_dict(ls: LiveSession) -> dict:
    return {
        "id": ls.id,
        "fair_id": ls.fair_id,
        "title": ls.title,
        "description": ls.description,
        "host_user_id": ls.host_user_id,
        "host_name": ls.host.name if ls.host else "",
        "stream_url": ls.stream_url,
        "stream_kind": schedule_ops.stream_kind(ls.stream_url),
        "starts_at": iso(ls.starts_at),
        "ends_at": iso(ls.ends_at),
        "status": ls.status,
        "employer_ids": ls.employer_ids,
    }


def _is_organiser() -> bool:
    return current_user.is_authenticated and current_user.role == Role.ORGANISER


def _no_body() -> None:
    data = request.get_json(silent=True) if request.data else None
    if data:
        raise DomainError("该操作不接受任何字段。", code="validation_error")


# --- public ---------------------------------------------------------------------------------


@bp.route("", methods=["GET"])
@bp.arguments(PhaseQuery, location="query", as_kwargs=True)
@bp.response(200, FairOut(many=True))
def list_fairs(phase: str | None = None):
    """已发布的招聘会（可按 upcoming 即将开始 / ongoing 进行中 / past 已结束 筛选）"""
    now = utcnow()
    phases = fair_ops.public_fairs(now)
    if phase in phases:
        fairs = phases[phase]
    else:
        fairs = phases["ongoing"] + phases["upcoming"] + phases["past"]
    counts = fair_ops.fair_counts([f.id for f in fairs])
    return [fair_dict(f, now, counts[f.id]["registrations"]) for f in fairs]


@bp.route("/<int:fair_id>", methods=["GET"])
@bp.response(200, FairDetailOut)
def get_fair(fair_id: int):
    """招聘会详情：已通过的展位及其岗位、直播带岗日程（草稿仅组织方可见）"""
    fair = fair_ops.get_fair(fair_id) if _is_organiser() else fair_ops.public_fair_or_404(fair_id)
    out = fair_dict(fair)
    registration = registration_ops.registration_of(current_user, fair.id)
    out["registered"] = registration is not None
    out["attended"] = (
        registration is not None
        and attendance_ops.attendance_of(current_user.id, fair.id) is not None
    )
    out["booths"] = [booth_dict(b) for b in booth_ops.approved_booths(fair)]
    out["sessions"] = [session_dict(s) for s in schedule_ops.fair_sessions(fair)]
    return out


@bp.route("/<int:fair_id>/booths", methods=["GET"])
@bp.response(200, BoothOut(many=True))
def list_booths(fair_id: int):
    """已通过的展位及其在招岗位"""
    fair = fair_ops.public_fair_or_404(fair_id)
    return [booth_dict(b) for b in booth_ops.approved_booths(fair)]


@bp.route("/<int:fair_id>/booths/<int:booth_id>", methods=["GET"])
@bp.response(200, BoothOut)
def get_booth(fair_id: int, booth_id: int):
    """展位：单位信息（联系方式仅登录用户可见）与展示的在招岗位"""
    _fair, booth = booth_ops.public_booth(fair_id, booth_id)
    return booth_dict(booth)


@bp.route("/<int:fair_id>/sessions", methods=["GET"])
@bp.response(200, SessionOut(many=True))
def list_sessions(fair_id: int):
    """直播带岗日程"""
    fair = fair_ops.get_fair(fair_id) if _is_organiser() else fair_ops.public_fair_or_404(fair_id)
    return [session_dict(s) for s in schedule_ops.fair_sessions(fair)]


# --- seeker ---------------------------------------------------------------------------------


@bp.route("/<int:fair_id>/registration", methods=["POST"])
@bp.response(201, RegistrationOut)
@bp.alt_response(409, description="已报名（already_registered）、名额已满（fair_full）或已结束")
@bp.alt_response(403, description="不符合报名条件，如“本场招聘会仅面向高校毕业生”")
@role_required("seeker")
def register(fair_id: int):
    """报名招聘会"""
    registration_ops.register(current_user, fair_id)
    return {"fair_id": fair_id, "registered": True}


@bp.route("/<int:fair_id>/registration", methods=["DELETE"])
@bp.response(200, RegistrationOut)
@role_required("seeker")
def unregister(fair_id: int):
    """取消报名（未报名时也返回 registered: false）"""
    registration_ops.unregister(current_user, fair_id)
    return {"fair_id": fair_id, "registered": False}


@bp.route("/mine", methods=["GET"])
@bp.response(200, FairOut(many=True))
@role_required("seeker")
def mine():
    """我报名的招聘会"""
    now = utcnow()
    return [fair_dict(f, now) for f in registration_ops.my_fairs(current_user)]


# --- employer -------------------------------------------------------------------------------


@bp.route("/booths/mine", methods=["GET"])
@bp.response(200, BoothOut(many=True))
@role_required("employer")
def my_booths():
    """本单位的展位申请及审核结果（招聘代表也可查看）"""
    return [booth_dict(b, private=True) for b in booth_ops.employer_booths(current_user)]


@bp.route("/<int:fair_id>/booth", methods=["POST"])
@bp.doc(**_body(BoothIn))
@bp.response(201, BoothOut)
@bp.alt_response(409, description="已申请过（booth_exists）或招聘会已结束")
@role_required("employer")
def apply_booth(fair_id: int):
    """申请展位（单位须已认证；未通过的申请可以修改后重新提交）"""
    return booth_dict(booth_ops.apply_booth(current_user, fair_id, json_body()), private=True)


@bp.route("/booths/<int:booth_id>", methods=["PATCH"])
@bp.doc(**_body(BoothIn))
@bp.response(200, BoothOut)
@role_required("employer")
def update_booth(booth_id: int):
    """修改展位的展示岗位、介绍和洽谈时长（待审核或已通过时）"""
    booth = booth_ops.employer_booth(current_user, booth_id)
    data = {
        "position_ids": booth.position_ids,
        "intro": booth.intro,
        "chat_minutes": booth.chat_minutes,
        "max_chats": booth.max_chats,
        **json_body(),
    }
    return booth_dict(booth_ops.update_booth(current_user, booth.id, data), private=True)


# --- organiser ------------------------------------------------------------------------------


@bp.route("/manage", methods=["GET"])
@bp.response(200, ManagedFairOut(many=True))
@role_required("organiser")
def manage_list():
    """全部招聘会（含草稿）及报名、展位、直播场次计数"""
    now = utcnow()
    fairs = fair_ops.all_fairs()
    counts = fair_ops.fair_counts([f.id for f in fairs])
    out = []
    for f in fairs:
        row = fair_dict(f, now, counts[f.id]["registrations"])
        row["counts"] = counts[f.id]
        out.append(row)
    return out


@bp.route("", methods=["POST"])
@bp.doc(**_body(FairIn))
@bp.response(201, FairOut)
@role_required("organiser")
def create_fair():
    """新建招聘会（草稿）"""
    return fair_dict(fair_ops.create_fair(current_user, json_body()))


@bp.route("/<int:fair_id>", methods=["PATCH"])
@bp.doc(**_body(FairIn))
@bp.response(200, FairOut)
@role_required("organiser")
def update_fair(fair_id: int):
    """修改招聘会；只需提交要修改的字段"""
    return fair_dict(fair_ops.update_fair(current_user, fair_id, json_body(), partial=True))


@bp.route("/<int:fair_id>/publish", methods=["POST"])
@bp.response(200, FairOut)
@role_required("organiser")
def publish_fair(fair_id: int):
    """发布招聘会"""
    _no_body()
    return fair_dict(fair_ops.publish_fair(current_user, fair_id))


@bp.route("/<int:fair_id>/close", methods=["POST"])
@bp.response(200, FairOut)
@role_required("organiser")
def close_fair(fair_id: int):
    """关闭招聘会（不再接受报名和展位申请）"""
    _no_body()
    return fair_dict(fair_ops.close_fair(current_user, fair_id))


@bp.route("/<int:fair_id>/booth-applications", methods=["GET"])
@bp.arguments(StatusQuery, location="query", as_kwargs=True)
@bp.response(200, BoothOut(many=True))
@role_required("organiser")
def booth_applications(fair_id: int, status: str | None = None):
    """本场全部展位申请（可按状态筛选）"""
    return [
        booth_dict(b, private=True) for b in booth_ops.fair_booths(current_user, fair_id, status)
    ]


@bp.route("/booths/<int:booth_id>/approve", methods=["POST"])
@bp.response(200, BoothOut)
@role_required("organiser")
def approve_booth(booth_id: int):
    """通过展位申请"""
    _no_body()
    return booth_dict(booth_ops.approve_booth(current_user, booth_id), private=True)


@bp.route("/booths/<int:booth_id>/decline", methods=["POST"])
@bp.doc(**_body(DeclineIn))
@bp.response(200, BoothOut)
@role_required("organiser")
def decline_booth(booth_id: int):
    """驳回展位申请（原因必填，用人单位可见）"""
    return booth_dict(booth_ops.decline_booth(current_user, booth_id, json_body()), private=True)


@bp.route("/<int:fair_id>/registrations", methods=["GET"])
@bp.response(200, RegistrationsOut)
@role_required("organiser")
def registrations(fair_id: int):
    """报名名单与各重点群体人数（手机号打码）"""
    fair, rows, by_group = registration_ops.registrations(current_user, fair_id)
    return {
        "fair": fair_dict(fair, count=len(rows)),
        "total": len(rows),
        "by_group": by_group,
        "items": [
            {
                **r,
                "phone": mask_phone(r["phone"]),
                "created_at": iso(r["created_at"]),
                "online_at": iso(r["online_at"]),
                "onsite_at": iso(r["onsite_at"]),
            }
            for r in rows
        ],
    }


@bp.route("/<int:fair_id>/sessions", methods=["POST"])
@bp.doc(**_body(SessionIn))
@bp.response(201, SessionOut)
@role_required("organiser")
def create_session(fair_id: int):
    """安排直播带岗"""
    return session_dict(schedule_ops.create_session(current_user, fair_id, json_body()))


@bp.route("/<int:fair_id>/sessions/<int:session_id>", methods=["PATCH"])
@bp.doc(**_body(SessionIn))
@bp.response(200, SessionOut)
@role_required("organiser")
def update_session(fair_id: int, session_id: int):
    """修改直播安排（仅未开始的场次）；只需提交要修改的字段"""
    return session_dict(
        schedule_ops.update_session(current_user, fair_id, session_id, json_body(), partial=True)
    )


@bp.route("/<int:fair_id>/sessions/<int:session_id>", methods=["DELETE"])
@bp.response(204)
@role_required("organiser")
def delete_session(fair_id: int, session_id: int):
    """删除直播安排（仅未开始的场次）"""
    schedule_ops.delete_session(current_user, fair_id, session_id)
    return ""
