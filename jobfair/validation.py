"""Marshmallow helpers with Chinese messages; services validate input with these schemas."""

import re
from collections.abc import Mapping
from datetime import date

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from jobfair.errors import DomainError, error_summary, flatten_messages

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
# Landlines: 025-12345678, 02512345678, with an optional extension; 400 service numbers.
LANDLINE_RE = re.compile(r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|400-?\d{3}-?\d{4})$")
CONTACT_PHONE_MESSAGE = "请填写 11 位手机号或带区号的固定电话，如 025-12345678。"
# C0 controls except tab/newline/carriage return, DEL and C1 controls: never part of a name,
# a note or a description; NUL is also refused by PostgreSQL, which made it a 500.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SINGLE_LINE_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# JSON request bodies: nesting deeper than this, or larger than this, is refused before parsing.
JSON_MAX_DEPTH = 32
JSON_MAX_BYTES = 1024 * 1024
EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$")

MESSAGES = {
    "required": "此项必填。",
    "null": "此项不能为空。",
    "invalid": "格式不正确。",
}


class BaseSchema(Schema):
    """Unknown fields are refused, so `role` or `is_verified` cannot sneak in."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "不允许的字段。", "type": "数据格式不正确。"}


def _msgs(extra: dict | None = None) -> dict:
    out = dict(MESSAGES)
    out.update(extra or {})
    return out


def normalise_phone(value) -> str:
    return re.sub(r"[\s()（）]", "", str(value or ""))


def is_contact_phone(value) -> bool:
    """A number someone can be called on: a mobile number or a landline with its area code."""
    phone = normalise_phone(value)
    return bool(PHONE_RE.match(phone) or LANDLINE_RE.match(phone))


def strip_control(value: str) -> str:
    """Drop NUL and other control characters (tab and line breaks stay)."""
    return CONTROL_RE.sub("", value)


class CleanString(fields.String):
    """A string with NUL and other control characters stripped (tab and line breaks stay).

    NUL made PostgreSQL refuse the row (a 500); the rest have no business in a name, a note
    or a description and can forge log lines or confuse what a reviewer sees.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        return strip_control(super()._deserialize(value, attr, data, **kwargs))


def Text(*, required=False, max_len=200, min_len=0, load_default="", **kw) -> fields.String:  # noqa: N802
    """Every text field of every schema: length limits and no control characters."""
    validators = [
        validate.Length(min=min_len, max=max_len, error=f"长度应在 {min_len}–{max_len} 个字之间。")
    ]
    if min_len == 0:
        validators = [validate.Length(max=max_len, error=f"不能超过 {max_len} 个字。")]
    kwargs = {
        "required": required,
        "validate": validators,
        "error_messages": _msgs({"invalid": "应为文本。"}),
    }
    if not required:
        kwargs["load_default"] = load_default
    kwargs.update(kw)
    return CleanString(**kwargs)


class WholeNumber(fields.Integer):
    """An integer, from JSON or a form; 1.5 or "1.5" is refused rather than truncated to 1."""

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        if isinstance(value, str):
            text = value.strip()
            if not re.fullmatch(r"[+-]?\d{1,18}", text):
                raise self.make_error("invalid", input=value)
        return super()._validated(value)


def Int(*, required=False, min_value=None, max_value=None, **kw) -> fields.Integer:  # noqa: N802
    validators = []
    if min_value is not None or max_value is not None:
        if min_value is not None and max_value is not None:
            msg = f"应在 {min_value} 到 {max_value} 之间。"
        elif min_value is not None:
            msg = f"不能小于 {min_value}。"
        else:
            msg = f"不能大于 {max_value}。"
        validators.append(validate.Range(min=min_value, max=max_value, error=msg))
    return WholeNumber(
        required=required,
        strict=False,
        validate=validators,
        error_messages=_msgs({"invalid": "应为整数（不能有小数）。", "too_large": "数字过大。"}),
        **kw,
    )


def Choice(choices, *, required=False, labels: dict | None = None, **kw) -> fields.String:  # noqa: N802
    values = [str(c) for c in choices]
    return fields.String(
        required=required,
        validate=validate.OneOf(values, error="不是可选的值。"),
        error_messages=_msgs(),
        **kw,
    )


def ChoiceList(choices, **kw) -> fields.List:  # noqa: N802
    values = [str(c) for c in choices]
    return fields.List(
        fields.String(validate=validate.OneOf(values, error="不是可选的值。")),
        load_default=list,
        error_messages=_msgs({"invalid": "应为列表。"}),
        **kw,
    )


def Bool(**kw) -> fields.Boolean:  # noqa: N802
    return fields.Boolean(error_messages=_msgs({"invalid": "应为是或否。"}), **kw)


# Every date a person types is a record of this century or the last: year 1 or 9999 is a slip
# (or a script), and adding a deadline or a Beijing offset to it overflows Python's date.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def Date(**kw) -> fields.Date:  # noqa: N802
    in_range = validate.Range(
        min=EARLIEST_DATE, max=LATEST_DATE, error="日期应在 1900 年到 2100 年之间。"
    )
    extra = kw.pop("validate", None) or []
    extra = list(extra) if isinstance(extra, list | tuple) else [extra]
    return fields.Date(
        error_messages=_msgs({"invalid": "日期格式应为 YYYY-MM-DD。"}),
        validate=[in_range, *extra],
        **kw,
    )


def json_too_deep(raw: bytes, limit: int = JSON_MAX_DEPTH) -> bool:
    """True if the JSON text nests arrays/objects deeper than ``limit`` (strings skipped).

    Checked on the bytes before parsing, because the parser itself overflows the stack
    (RecursionError) on a body nested ten thousand deep.
    """
    depth = 0
    for m in _JSON_TOKENS.finditer(raw):
        ch = m.group()
        if ch in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif ch in (b"]", b"}"):
            depth -= 1
    return False


_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[\]{}]')
# A \uD800-\uDFFF escape: half of a UTF-16 pair, or (alone) a character that does not exist.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_lone_surrogate(raw: bytes, data) -> bool:
    """True if parsed JSON holds a lone surrogate (``"\\ud800"``) in a string or a key.

    Python's parser accepts one; it cannot be encoded as UTF-8, so the database driver, a
    password hash or a log line failed on it later with a 500. Emoji sent as escaped pairs
    parse to one character and pass.
    """
    if not _SURROGATE_ESCAPE.search(raw):
        return False

    def walk(value) -> bool:
        if isinstance(value, str):
            return bool(_SURROGATE.search(value))
        if isinstance(value, dict):
            return any(walk(k) or walk(v) for k, v in value.items())
        if isinstance(value, list):
            return any(walk(v) for v in value)
        return False

    return walk(data)


def json_object(data) -> Mapping:
    """``data`` if it is an object, else an empty one (for code that only peeks, e.g. limits)."""
    return data if isinstance(data, Mapping) else {}


def body(data):
    """The request body as an object, or a 400 (a JSON list or string is not a request)."""
    if not isinstance(data, Mapping):
        raise DomainError("请求体应为 JSON 对象。", code="bad_request", status=400)
    return data


def load(schema: Schema, data, *, partial=False, form=False, labels=None) -> dict:
    """Validate input; raise one DomainError with per-field Chinese messages.

    ``labels`` names a form's own fields in the summary (falling back to FIELD_LABELS).
    """
    data = body(data)
    names = {**FIELD_LABELS, **(labels or {})}
    try:
        return schema.load(data, partial=partial, unknown=EXCLUDE if form else RAISE)
    except ValidationError as err:
        field_errors = flatten_messages({"json": err.messages})
        summary = error_summary(
            f"{names.get(k.split('.')[0], k)}：{v}" for k, v in field_errors.items()
        )
        raise DomainError(summary, code="validation_error", fields=field_errors) from None


# Field names shown to users in error summaries.
FIELD_LABELS = {
    "login": "手机号或邮箱",
    "password": "密码",
    "new_password": "新密码",
    "current_password": "当前密码",
    "name": "名称",
    "credit_code": "统一社会信用代码",
    "industry": "行业",
    "size": "规模",
    "district": "区域",
    "address": "地址",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "title": "岗位名称",
    "description": "岗位描述",
    "requirements": "任职要求",
    "occupation_code": "职业类别",
    "salary_min": "最低月薪",
    "salary_max": "最高月薪",
    "headcount": "招聘人数",
    "education": "学历",
    "work_form": "用工形式",
    "channel": "岗位渠道",
    "welcomed_groups": "欢迎的重点群体",
    "deadline": "截止日期",
    "phone": "手机号",
    "birth_year": "出生年份",
    "major": "专业",
    "skills": "技能",
    "experience": "工作经历",
    "desired_occupations": "期望职业",
    "districts": "期望区域",
    "work_forms": "用工形式",
    "intro": "自我介绍",
    "groups": "重点群体",
    "group_consent": "重点群体授权",
    "note": "附言",
    "status": "状态",
    "reason": "原因",
}
