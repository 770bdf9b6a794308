"""Input of the fairs feature: Beijing-time fields, the fair, booth, decline and session schemas."""

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from marshmallow import ValidationError, fields, validates, validates_schema

from jobfair.formatting import LOCAL_TZ
from jobfair.ids import MAX_ID
from jobfair.models.common import PriorityGroup
from jobfair.validation import BaseSchema, Choice, ChoiceList, Int, Text, load

MAX_CAPACITY = 1_000_000
GROUP_CODES = [str(g) for g in PriorityGroup]
STREAM_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

FAIR_FIELD_LABELS = {
    "title": "名称",
    "theme": "主题",
    "description": "介绍",
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "capacity": "报名人数上限",
    "eligibility_group": "报名条件",
    "groups": "面向的重点群体",
    "position_ids": "展示岗位",
    "intro": "展位介绍",
    "chat_minutes": "每次洽谈时长",
    "max_chats": "每位招聘人员同时面谈数",
    "reason": "原因",
    "host_user_id": "主持人",
    "stream_url": "直播地址",
    "employer_ids": "参与单位",
}


# --- times -------------------------------------------------------------------------------


def parse_local_datetime(value) -> datetime:
    """Beijing-time input ('2027-03-01T09:00', '2027-03-01 09:00' or ISO with an offset)
    to naive UTC as stored."""
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value or "").strip().replace("/", "-")
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError("时间格式应为 YYYY-MM-DD HH:MM（北京时间）。") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    try:
        return parsed.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
    except OverflowError:  # 0001-01-01 00:00 in Beijing is before year 1 in UTC
        raise ValidationError("时间超出可用范围。") from None


def local_input(value: datetime | None) -> str:
    """Naive UTC to the value of an <input type="datetime-local"> in Beijing time."""
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


class LocalDateTime(fields.Field):
    default_error_messages = {"required": "此项必填。", "null": "此项不能为空。"}

    def _deserialize(self, value, attr, data, **kwargs):
        if value in (None, ""):
            raise ValidationError("此项必填。")
        return parse_local_datetime(value)


# --- loading -------------------------------------------------------------------------------


def load_fair_input(schema, data, *, form: bool, partial=False) -> dict:
    return load(schema, data, labels=FAIR_FIELD_LABELS, form=form, partial=partial)


def _optional(value):
    return None if value in (None, "") else value


def fair_input(data: dict, form: bool) -> dict:
    """Empty capacity / eligibility mean 'none'; forms may write 1,000 for a capacity."""
    data = dict(data)
    for key in ("capacity", "eligibility_group"):
        if key in data:
            data[key] = _optional(data[key])
    if form and isinstance(data.get("capacity"), str):
        data["capacity"] = data["capacity"].strip().replace(",", "") or None
    return data


# --- schemas -------------------------------------------------------------------------------


class FairSchema(BaseSchema):
    title = Text(required=True, max_len=100)
    theme = Text(max_len=200)
    description = Text(max_len=5000)
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)
    capacity = Int(min_value=1, max_value=MAX_CAPACITY, allow_none=True, load_default=None)
    eligibility_group = Choice(GROUP_CODES, allow_none=True, load_default=None)
    groups = ChoiceList(GROUP_CODES)

    @validates("title")
    def _title(self, value, **_):
        if len(value.strip()) < 4:
            raise ValidationError("名称至少 4 个字。")

    @validates_schema
    def _times(self, data, **_):
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            raise ValidationError("结束时间应晚于开始时间。", field_name="ends_at")


class BoothSchema(BaseSchema):
    position_ids = fields.List(
        fields.Integer(strict=False, error_messages={"invalid": "应为岗位编号。"}),
        load_default=list,
        error_messages={"invalid": "应为列表。"},
    )
    intro = Text(max_len=1000)
    chat_minutes = Int(min_value=1, max_value=60, load_default=10)
    max_chats = Int(min_value=1, max_value=5, load_default=2)


class DeclineSchema(BaseSchema):
    reason = Text(required=True, max_len=500)

    @validates("reason")
    def _reason(self, value, **_):
        if len(value.strip()) < 2:
            raise ValidationError("请填写未通过的原因（用人单位可以看到）。")


class SessionSchema(BaseSchema):
    title = Text(required=True, max_len=100)
    description = Text(max_len=2000)
    host_user_id = Int(required=True, min_value=1, max_value=MAX_ID)
    stream_url = Text(max_len=500)
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)
    employer_ids = fields.List(
        fields.Integer(strict=False, error_messages={"invalid": "应为单位编号。"}),
        load_default=list,
        error_messages={"invalid": "应为列表。"},
    )

    @validates("title")
    def _title(self, value, **_):
        if len(value.strip()) < 2:
            raise ValidationError("标题至少 2 个字。")

    @validates("stream_url")
    def _stream(self, value, **_):
        value = value.strip()
        if not value:
            return
        parts = urlsplit(value)
        if (
            not STREAM_URL_RE.match(value)
            or parts.scheme.lower() not in ("http", "https")
            or not parts.hostname
        ):
            raise ValidationError(
                "请填写以 http:// 或 https:// 开头的直播地址（HLS .m3u8、FLV 或直播平台的嵌入页面）。"
            )

    @validates_schema
    def _times(self, data, **_):
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            raise ValidationError("结束时间应晚于开始时间。", field_name="ends_at")
