"""Input schemas of start-up support, with the Chinese names of their fields."""

import re
from decimal import Decimal, InvalidOperation

from marshmallow import ValidationError as SchemaError
from marshmallow import fields, pre_load, validates_schema

from jobfair import reference
from jobfair.models.casework import ContactChannel
from jobfair.models.startup import BusinessKind, GuaranteeKind, OperatingStatus
from jobfair.seekers.services import clean_text
from jobfair.validation import (
    CONTACT_PHONE_MESSAGE,
    BaseSchema,
    Bool,
    Choice,
    Date,
    Int,
    Text,
    is_contact_phone,
)

MAX_LOAN = 5_000_000  # yuan: far above any 创业担保贷款; the policy caps what is subsidised

STARTUP_LABELS = {
    "seeker_id": "创业者",
    "case_id": "帮扶档案",
    "business_name": "项目或字号名称",
    "business_kind": "经营类型",
    "sector": "行业",
    "district": "经营地所在区",
    "plan": "创业计划",
    "returning_home": "返乡入乡创业",
    "employees": "带动就业人数",
}
LOAN_LABELS = {
    "amount": "贷款金额",
    "term_months": "贷款期限",
    "guarantee": "担保方式",
    "guarantor": "保证人或担保说明",
    "bank": "经办银行",
    "annual_rate": "年利率",
}
DECISION_LABELS = {"decision": "审核操作", "reason": "理由", "disbursed_on": "放款日期"}
FOLLOW_UP_LABELS = {
    "followed_on": "回访日期",
    "channel": "回访方式",
    "operating": "经营状况",
    "employees": "带动就业人数",
    "by_mentor": "创业导师参与",
    "summary": "回访记录",
}
REGISTER_LABELS = {
    "credit_code": "统一社会信用代码",
    "registered_on": "登记日期",
    "employees": "带动就业人数",
}
MENTOR_LABELS = {
    "name": "姓名",
    "title": "职称或身份",
    "organisation": "所在单位",
    "expertise": "擅长领域",
    "phone": "联系电话",
    "districts": "服务区域",
    "max_cases": "最多指导项目数",
    "active": "在岗",
}
RATE_RE = re.compile(r"^\d{1,2}(\.\d{1,2})?$")


def _strip(data):
    if not isinstance(data, dict):
        return data
    return {k: clean_text(v) if isinstance(v, str) else v for k, v in data.items()}


class StartupSchema(BaseSchema):
    seeker_id = Int(min_value=1, allow_none=True, load_default=None)
    case_id = Int(min_value=1, allow_none=True, load_default=None)
    business_name = Text(required=True, min_len=2, max_len=100)
    business_kind = Choice(list(BusinessKind), load_default=BusinessKind.INDIVIDUAL)
    sector = Text(max_len=50)
    district = Text(required=True, max_len=20)
    plan = Text(max_len=5000)
    returning_home = Bool(load_default=False)

    @pre_load
    def _clean(self, data, **_kw):
        out = _strip(data)
        if isinstance(out, dict):
            for key in ("seeker_id", "case_id"):
                if out.get(key) == "":
                    out[key] = None
            if out.get("returning_home") in ("1", "on", "true", "yes"):
                out["returning_home"] = True
        return out

    @validates_schema
    def _rules(self, data, **_kw):
        if data.get("district") and data["district"] not in set(reference.districts()):
            raise SchemaError({"district": "请选择本市的区。"})


class LoanSchema(BaseSchema):
    amount = Int(required=True, min_value=1000, max_value=MAX_LOAN)
    term_months = Int(required=True, min_value=1, max_value=36)
    guarantee = Choice(list(GuaranteeKind), required=True)
    guarantor = Text(max_len=200)
    bank = Text(required=True, min_len=2, max_len=100)
    annual_rate = fields.String(
        required=True, error_messages={"required": "此项必填。", "invalid": "应为数字。"}
    )

    @pre_load
    def _clean(self, data, **_kw):
        out = _strip(data)
        if isinstance(out, dict) and isinstance(out.get("annual_rate"), int | float):
            out["annual_rate"] = str(out["annual_rate"])
        if isinstance(out, dict) and isinstance(out.get("annual_rate"), str):
            out["annual_rate"] = out["annual_rate"].rstrip("%").strip()
        return out

    @validates_schema
    def _rules(self, data, **_kw):
        errors = {}
        rate = data.get("annual_rate", "")
        if not RATE_RE.match(rate or ""):
            errors["annual_rate"] = "请填写年利率百分数，如 3.45（最多两位小数）。"
        else:
            try:
                value = Decimal(rate)
            except InvalidOperation:
                value = Decimal(-1)
            if not Decimal(0) <= value <= Decimal(24):
                errors["annual_rate"] = "年利率应在 0 到 24 之间。"
        if data.get("guarantee") == GuaranteeKind.GUARANTOR and not data.get("guarantor"):
            errors["guarantor"] = "选择反担保时请填写保证人。"
        if errors:
            raise SchemaError(errors)


class DecisionSchema(BaseSchema):
    decision = Choice(["approve", "reject", "disburse", "settle"], required=True)
    reason = Text(max_len=300)
    disbursed_on = Date(allow_none=True, load_default=None)

    @pre_load
    def _clean(self, data, **_kw):
        out = _strip(data)
        if isinstance(out, dict) and out.get("disbursed_on") == "":
            out["disbursed_on"] = None
        return out


class FollowUpSchema(BaseSchema):
    followed_on = Date(required=True)
    channel = Choice(list(ContactChannel), required=True)
    operating = Choice(list(OperatingStatus), required=True)
    employees = Int(min_value=0, max_value=100000, load_default=0)
    by_mentor = Bool(load_default=False)
    summary = Text(required=True, min_len=1, max_len=1000)

    @pre_load
    def _clean(self, data, **_kw):
        out = _strip(data)
        if isinstance(out, dict):
            if out.get("employees") == "":
                out["employees"] = 0
            if out.get("by_mentor") in ("1", "on", "true", "yes"):
                out["by_mentor"] = True
        return out


class RegisterSchema(BaseSchema):
    credit_code = Text(required=True, max_len=30)
    registered_on = Date(required=True)
    employees = Int(min_value=0, max_value=100000, load_default=0)

    @pre_load
    def _clean(self, data, **_kw):
        out = _strip(data)
        if isinstance(out, dict) and out.get("employees") == "":
            out["employees"] = 0
        return out


class MentorSchema(BaseSchema):
    name = Text(required=True, min_len=2, max_len=50)
    title = Text(max_len=50)
    organisation = Text(max_len=100)
    expertise = Text(max_len=200)
    phone = Text(max_len=20)
    districts = fields.List(
        fields.String(error_messages={"invalid": "应为文本。"}),
        load_default=list,
        error_messages={"invalid": "应为列表。", "null": "此项不能为空。"},
    )
    max_cases = Int(min_value=1, max_value=200, load_default=10)
    active = Bool(load_default=True)

    @pre_load
    def _clean(self, data, **_kw):
        out = _strip(data)
        if isinstance(out, dict):
            if isinstance(out.get("districts"), str):
                out["districts"] = [out["districts"]] if out["districts"] else []
            if out.get("max_cases") == "":
                out["max_cases"] = 10
        return out

    @validates_schema
    def _rules(self, data, **_kw):
        allowed = set(reference.districts())
        if any(d not in allowed for d in data.get("districts") or []):
            raise SchemaError({"districts": "请选择本市的区。"})
        if (data.get("phone") or "").strip() and not is_contact_phone(data["phone"]):
            raise SchemaError({"phone": CONTACT_PHONE_MESSAGE})
