"""Marshmallow schemas of casework input, with the Chinese field names used in error summaries."""

from marshmallow import fields, validate

from jobfair.ids import MAX_ID
from jobfair.models.casework import (
    CaseOutcome,
    CaseStatus,
    ContactChannel,
    PlanPath,
    RecommendationResponse,
    ReferralAnswer,
    TargetKind,
)
from jobfair.models.common import PriorityGroup, WorkForm
from jobfair.models.outcome import ContractType, EmploymentSource, EvidenceType
from jobfair.validation import BaseSchema, Bool, Choice, ChoiceList, Date, Int, Text

# --- case workers and settings ------------------------------------------------------------


class CaseWorkerSchema(BaseSchema):
    user_id = Int(required=True, min_value=1, max_value=MAX_ID)
    is_supervisor = Bool(load_default=False)


class SettingsSchema(BaseSchema):
    campaign_start = Date(required=True)
    campaign_end = Date(required=True)
    plan_days = Int(required=True, min_value=1, max_value=365)
    household_deadline_days = Int(required=True, min_value=1, max_value=365)
    refusal_limit = Int(min_value=1, max_value=20, load_default=None, allow_none=True)


# --- targets and placements --------------------------------------------------------------


class TargetSchema(BaseSchema):
    year = Int(required=True, min_value=2000, max_value=2100)
    district = fields.String(required=True, error_messages={"required": "此项必填。"})
    kind = Choice(list(TargetKind), required=True)
    goal = Int(required=True, min_value=1, max_value=1_000_000)
    worker_id = Int(required=True, min_value=1, max_value=MAX_ID)
    note = Text(max_len=500)


TARGET_FIELD_LABELS = {
    "year": "年度",
    "district": "区",
    "kind": "目标类别",
    "goal": "目标人数",
    "worker_id": "负责人",
    "note": "备注",
}


class PlacementSchema(BaseSchema):
    seeker_id = Int(required=True, min_value=1, max_value=MAX_ID)
    employer_name = Text(required=True, min_len=1, max_len=100)
    job_title = Text(required=True, min_len=1, max_len=100)
    placed_on = Date(required=True)
    evidence = Text(required=True, min_len=1, max_len=1000)


PLACEMENT_LABELS = {
    "seeker_id": "求职者",
    "employer_name": "就业单位",
    "job_title": "岗位",
    "placed_on": "就业日期",
    "evidence": "佐证说明",
}


# --- case files ----------------------------------------------------------------------------


class CaseCreateSchema(BaseSchema):
    seeker_id = Int(required=True, min_value=1, max_value=MAX_ID)
    worker_id = Int(min_value=1, max_value=MAX_ID, load_default=None, allow_none=True)
    needs = Text(max_len=2000)


class CaseUpdateSchema(BaseSchema):
    worker_id = Int(min_value=1, max_value=MAX_ID, load_default=None, allow_none=True)
    status = Choice(list(CaseStatus), required=True)
    needs = Text(max_len=2000)
    plan_paths = ChoiceList(list(PlanPath))
    plan_note = Text(max_len=2000)
    outcome = fields.String(
        load_default="",
        validate=validate.OneOf([str(o) for o in CaseOutcome], error="不是可选的值。"),
    )
    outcome_note = Text(max_len=500)
    outcome_on = Date(load_default=None, allow_none=True)


CASE_LABELS = {
    "worker_id": "负责人",
    "status": "状态",
    "needs": "需求",
    "plan_paths": "帮扶路径",
    "plan_note": "帮扶方案",
    "outcome": "就业结果",
    "outcome_note": "结果说明",
    "outcome_on": "就业日期",
}


class ContactSchema(BaseSchema):
    contact_on = Date(required=True)
    channel = Choice(list(ContactChannel), required=True)
    summary = Text(required=True, min_len=1, max_len=1000)


CONTACT_LABELS = {"contact_on": "联系日期", "channel": "联系方式", "summary": "联系内容"}


class RecommendSchema(BaseSchema):
    position_id = Int(required=True, min_value=1, max_value=MAX_ID)
    recommended_on = Date(required=True)
    response = Choice(list(RecommendationResponse), load_default="no_answer")
    note = Text(max_len=500)


RECOMMEND_LABELS = {
    "position_id": "岗位编号",
    "recommended_on": "推荐日期",
    "response": "答复",
    "note": "备注",
}


class ResponseSchema(BaseSchema):
    response = Choice(list(RecommendationResponse), required=True)


class TrainingSchema(BaseSchema):
    course = Text(required=True, min_len=1, max_len=100)
    provider = Text(required=True, min_len=1, max_len=100)
    referred_on = Date(required=True)
    result = Text(max_len=200)


TRAINING_LABELS = {
    "course": "培训项目",
    "provider": "培训机构",
    "referred_on": "推荐日期",
    "result": "培训结果",
}


# --- follow-ups and households --------------------------------------------------------------


class FollowUpSchema(BaseSchema):
    hired_on = Date(required=True)
    day_mark = Int(required=True)
    still_employed = Bool(required=True)
    note = Text(max_len=500)


FOLLOW_UP_LABELS = {
    "hired_on": "入职日期",
    "day_mark": "回访节点",
    "still_employed": "是否仍在岗",
    "note": "备注",
}


class MemberSchema(BaseSchema):
    name = Text(required=True, min_len=1, max_len=50)
    relation = Text(max_len=20)
    seeker_phone = Text(max_len=11)


class HouseholdSchema(BaseSchema):
    district = fields.String(required=True, error_messages={"required": "此项必填。"})
    label = Text(required=True, min_len=1, max_len=200)
    identified_on = Date(required=True)
    deadline_days = Int(min_value=1, max_value=365, load_default=None, allow_none=True)
    members = fields.List(
        fields.Nested(MemberSchema),
        required=True,
        validate=validate.Length(min=1, max=10, error="请填写 1–10 名家庭成员。"),
        error_messages={"required": "请至少填写一名家庭成员。"},
    )


HOUSEHOLD_LABELS = {
    "district": "区",
    "label": "家庭（地址或标识）",
    "identified_on": "认定日期",
    "deadline_days": "清零时限",
    "members": "家庭成员",
}


class ReferralSchema(BaseSchema):
    referred_on = Date(required=True)
    position_ids = fields.List(
        fields.Integer(
            validate=validate.Range(min=1, max=MAX_ID, error="岗位编号不正确。"),
            error_messages={"invalid": "岗位编号应为整数。"},
        ),
        required=True,
        error_messages={"required": "请选择推荐的岗位。", "invalid": "应为列表。"},
    )
    note = Text(max_len=500)


REFERRAL_LABELS = {"referred_on": "推荐日期", "position_ids": "推荐岗位", "note": "备注"}


# --- 认定, 登记, 离职, walk-ins, household answers ----------------------------------------


class VerifySchema(BaseSchema):
    group = Choice(list(PriorityGroup), required=True)
    evidence_type = Choice(list(EvidenceType), required=True)
    evidence_note = Text(required=True, min_len=1, max_len=1000)
    verified_on = Date(load_default=None, allow_none=True)
    valid_until = Date(load_default=None, allow_none=True)


VERIFY_LABELS = {
    "group": "重点群体",
    "evidence_type": "认定依据",
    "evidence_note": "证明材料说明",
    "verified_on": "认定日期",
    "valid_until": "有效期至",
}


class UnemploymentSchema(BaseSchema):
    registered_on = Date(required=True)
    place = Text(required=True, min_len=1, max_len=100)


class EndSchema(BaseSchema):
    ended_on = Date(required=True)
    reason = Text(required=True, min_len=1, max_len=200)


END_LABELS = {
    "ended_on": "终止日期",
    "reason": "原因",
    "registered_on": "登记日期",
    "place": "登记地点",
}


class EmploymentSchema(BaseSchema):
    employer_name = Text(required=True, min_len=1, max_len=100)
    job_title = Text(required=True, min_len=1, max_len=100)
    started_on = Date(required=True)
    contract_type = Choice(list(ContractType), required=True)
    work_form = Choice(list(WorkForm), load_default=WorkForm.FULL_TIME)
    social_insurance = Bool(load_default=False)
    source = Choice([EmploymentSource.PLACEMENT, EmploymentSource.FOLLOW_UP], required=True)
    evidence_note = Text(required=True, min_len=1, max_len=1000)


EMPLOYMENT_LABELS = {
    "employer_name": "就业单位",
    "job_title": "岗位",
    "started_on": "入职日期",
    "contract_type": "合同类型",
    "work_form": "用工形式",
    "social_insurance": "是否缴纳社保",
    "source": "登记来源",
    "evidence_note": "佐证说明",
}


class WalkInSchema(BaseSchema):
    name = Text(required=True, min_len=1, max_len=50)
    phone = fields.String(required=True, error_messages={"required": "此项必填。"})
    birth_year = Int(min_value=1940, max_value=2015, load_default=None, allow_none=True)
    hukou_district = Text(max_len=50)
    residence_district = Text(required=True, min_len=1, max_len=50)
    residence_street = Text(required=True, min_len=1, max_len=50)
    districts = fields.List(fields.String(), load_default=list)
    consent_note = Text(required=True, min_len=1, max_len=500)
    group = Choice(list(PriorityGroup), load_default=None, allow_none=True)
    evidence_type = Choice(list(EvidenceType), load_default=None, allow_none=True)
    evidence_note = Text(max_len=1000)


WALK_IN_LABELS = {
    "name": "姓名",
    "phone": "手机号",
    "birth_year": "出生年份",
    "hukou_district": "户籍所在区",
    "residence_district": "常住区",
    "residence_street": "常住街道（镇）",
    "districts": "意向工作区域",
    "consent_note": "纸质同意书记录",
    "group": "重点群体",
    "evidence_type": "认定依据",
    "evidence_note": "证明材料说明",
}


class AnswerSchema(BaseSchema):
    answer = Choice([a for a in ReferralAnswer if a != ReferralAnswer.PENDING], required=True)
    answer_reason = Text(max_len=200)
    answered_on = Date(required=True)


ANSWER_LABELS = {"answer": "家庭答复", "answer_reason": "理由", "answered_on": "答复日期"}


class FallbackSchema(BaseSchema):
    member_id = Int(required=True, min_value=1, max_value=MAX_ID)
    position_id = Int(required=True, min_value=1, max_value=MAX_ID)
    started_on = Date(required=True)
    evidence_note = Text(required=True, min_len=1, max_len=1000)


FALLBACK_LABELS = {
    "member_id": "家庭成员",
    "position_id": "公益性岗位",
    "started_on": "上岗日期",
    "evidence_note": "佐证说明",
}
