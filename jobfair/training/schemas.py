"""Input schemas of the training feature, with the Chinese names of their fields."""

from marshmallow import ValidationError as SchemaError
from marshmallow import fields, pre_load, validates_schema

from jobfair import reference
from jobfair.models.training import CertificateKind, CourseStatus
from jobfair.seekers.services import clean_text, split_items
from jobfair.validation import BaseSchema, Choice, Date, Int, Text

MAX_SKILLS = 12
MAX_OCCUPATIONS = 6
MAX_SKILL_LEN = 20
LIST_MSGS = {"invalid": "应为列表。", "null": "此项不能为空。"}
ITEM_MSGS = {"invalid": "应为文本。", "null": "此项不能为空。"}

COURSE_LABELS = {
    "title": "课程名称",
    "provider": "培训机构",
    "district": "培训地点所在区",
    "address": "上课地址",
    "occupation_codes": "对应职业",
    "skills": "所教技能",
    "hours": "课时",
    "starts_on": "开课日期",
    "ends_on": "结课日期",
    "seats": "名额",
    "fee": "培训费",
    "certificate": "结业证书",
    "subsidy_note": "补贴说明",
    "description": "课程介绍",
    "status": "状态",
}
COMPLETION_LABELS = {
    "passed": "考核结果",
    "hours_attended": "实际出勤课时",
    "completed_on": "结业日期",
    "certificate_no": "证书编号",
    "result_note": "备注",
}
REFERRAL_LABELS = {
    "course_id": "课程",
    "case_id": "帮扶档案",
    "seeker_id": "求职者",
    "position_id": "岗位",
    "skill": "所缺技能",
    "note": "推荐说明",
}


def _phrases(value) -> list[str]:
    """'叉车、电工' or a list of such strings -> distinct phrases (anything else is left for
    the schema to refuse as not a list)."""
    if isinstance(value, list):
        value = [x for x in value if isinstance(x, str)]
    items = split_items(value) if isinstance(value, str | list) else value
    if not isinstance(items, list):
        return items
    return list(dict.fromkeys(clean_text(x) for x in items if isinstance(x, str) and x.strip()))


class CourseSchema(BaseSchema):
    title = Text(required=True, min_len=2, max_len=100)
    provider = Text(required=True, min_len=2, max_len=100)
    district = Text(required=True, max_len=20)
    address = Text(max_len=200)
    occupation_codes = fields.List(
        fields.String(error_messages=ITEM_MSGS), load_default=list, error_messages=LIST_MSGS
    )
    skills = fields.List(
        fields.String(error_messages=ITEM_MSGS), load_default=list, error_messages=LIST_MSGS
    )
    hours = Int(required=True, min_value=1, max_value=2000)
    starts_on = Date(required=True)
    ends_on = Date(required=True)
    seats = Int(required=True, min_value=1, max_value=10000)
    fee = Int(min_value=0, max_value=1_000_000, load_default=0)
    certificate = Choice(list(CertificateKind), load_default=CertificateKind.TRAINING)
    subsidy_note = Text(max_len=200)
    description = Text(max_len=5000)
    status = Choice(list(CourseStatus), load_default=CourseStatus.OPEN)

    @pre_load
    def _clean(self, data, **_kw):
        if not isinstance(data, dict):
            return data
        out = {k: clean_text(v) if isinstance(v, str) else v for k, v in data.items()}
        for key in ("occupation_codes", "skills"):
            if key in out:
                out[key] = _phrases(out[key])
        for key in ("fee",):
            if out.get(key) == "":
                out[key] = 0
        return out

    @validates_schema
    def _rules(self, data, **_kw):
        errors: dict[str, str] = {}
        if data.get("district") and data["district"] not in set(reference.districts()):
            errors["district"] = "请选择本市的区。"
        skills = data.get("skills") or []
        if not skills:
            errors["skills"] = "请至少填写一项所教技能。"
        elif len(skills) > MAX_SKILLS:
            errors["skills"] = f"最多填写 {MAX_SKILLS} 项技能。"
        elif any(len(s) > MAX_SKILL_LEN for s in skills):
            errors["skills"] = f"每项技能不超过 {MAX_SKILL_LEN} 个字。"
        if len(data.get("occupation_codes") or []) > MAX_OCCUPATIONS:
            errors["occupation_codes"] = f"最多选择 {MAX_OCCUPATIONS} 个职业。"
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            errors["ends_on"] = "结课日期不能早于开课日期。"
        if errors:
            raise SchemaError(errors)


class CompletionSchema(BaseSchema):
    passed = fields.Boolean(
        required=True, error_messages={"required": "请选择考核结果。", "invalid": "应为是或否。"}
    )
    hours_attended = Int(min_value=0, max_value=2000, allow_none=True, load_default=None)
    completed_on = Date(allow_none=True, load_default=None)
    certificate_no = Text(max_len=40)
    result_note = Text(max_len=200)

    @pre_load
    def _clean(self, data, **_kw):
        if not isinstance(data, dict):
            return data
        out = {k: clean_text(v) if isinstance(v, str) else v for k, v in data.items()}
        for key in ("hours_attended", "completed_on"):
            if out.get(key) == "":
                out[key] = None
        if out.get("passed") in ("1", "true", "yes", "on"):
            out["passed"] = True
        elif out.get("passed") in ("0", "false", "no"):
            out["passed"] = False
        return out


class ReferralSchema(BaseSchema):
    course_id = Int(required=True, min_value=1)
    position_id = Int(min_value=1, allow_none=True, load_default=None)
    skill = Text(max_len=40)
    note = Text(max_len=500)

    @pre_load
    def _clean(self, data, **_kw):
        if not isinstance(data, dict):
            return data
        out = {k: clean_text(v) if isinstance(v, str) else v for k, v in data.items()}
        if out.get("position_id") == "":
            out["position_id"] = None
        return out
