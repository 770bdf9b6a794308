"""Employer-side position services: drafts, publish (with the discrimination check), close.

Status rules:
- create/edit of a draft or closed position just saves it;
- publish (from draft, held or closed) needs a verified employer and a deadline not in the
  past, then runs the discrimination check: any flagged phrase -> `held` for organiser review,
  otherwise `published`;
- editing a published or held position runs the same check again, so a published position
  edited to contain discriminatory text is held, and a held one cleaned up is published.
  Phrases an organiser already approved for this position do not hold it again.
- 五个一批 rules live in positions.channels: an employer's 公益性岗位 carries a review flag, so
  its publication is always held for an organiser; organisers post on an employer's behalf
  (``create_for_employer``) and their own posts need no second review.
Every save re-computes search_tokens through index_position.
"""

from datetime import UTC, date, datetime, timedelta, timezone

from marshmallow import ValidationError, validates

from jobfair import audit, events, moderation, occupations, reference
from jobfair.employers.acting import owned_employer, require_employer
from jobfair.errors import Conflict, DomainError, Forbidden, NotFound
from jobfair.extensions import db
from jobfair.formatting import fmt_dt, label
from jobfair.ids import is_id, parse_id
from jobfair.models.common import (
    PAY_UNIT_LABELS,
    Channel,
    Education,
    PayUnit,
    PriorityGroup,
    WorkForm,
    utcnow,
)
from jobfair.models.employer import Employer
from jobfair.models.position import Position, PositionGroup, PositionStatus
from jobfair.positions import channels
from jobfair.positions.indexing import index_position
from jobfair.validation import BaseSchema, Bool, Choice, ChoiceList, Date, Int, Text, load

MAX_SALARY = 1_000_000
MAX_HEADCOUNT = 10_000
# Pay per hour, day or piece above these is almost always a monthly figure in the wrong unit.
MAX_PAY_PER_UNIT = {PayUnit.HOUR: 2_000, PayUnit.DAY: 10_000, PayUnit.PIECE: 10_000}
CHECKED_FIELDS = ("title", "description", "requirements")
CHINA_TZ = timezone(timedelta(hours=8))


for _action, _label in {
    "position.post_for_employer": "代单位发布岗位",
    "employer.public_welfare_designate": "指定可发布公益性岗位",
    "employer.public_welfare_revoke": "取消发布公益性岗位资格",
}.items():
    audit.ACTION_LABELS.setdefault(_action, _label)


def today() -> date:
    """The date in China, where deadlines are read."""
    return datetime.now(UTC).astimezone(CHINA_TZ).date()


class PositionSchema(BaseSchema):
    title = Text(required=True, max_len=100)
    description = Text(required=True, max_len=10000)
    requirements = Text(max_len=5000)
    occupation_code = Text(required=True, max_len=12)
    salary_min = Int(required=True, min_value=1, max_value=MAX_SALARY)
    salary_max = Int(required=True, min_value=1, max_value=MAX_SALARY)
    pay_unit = Choice(PayUnit, load_default=PayUnit.MONTH)
    daily_pay = Bool(load_default=False)
    headcount = Int(required=True, min_value=1, max_value=MAX_HEADCOUNT)
    district = Text(required=True, max_len=20)
    address = Text(max_len=200)
    education = Choice(Education, load_default=Education.NONE)
    work_form = Choice(WorkForm, load_default=WorkForm.FULL_TIME)
    channel = Choice(Channel, load_default=Channel.ENTERPRISE)
    welcomed_groups = ChoiceList(PriorityGroup)
    deadline = Date(allow_none=True, load_default=None)
    trainee_months = Int(min_value=1, max_value=24, allow_none=True, load_default=None)
    tenure_limit_months = Int(min_value=1, max_value=120, allow_none=True, load_default=None)
    exam_date = Date(allow_none=True, load_default=None)
    exam_signup_ends = Date(allow_none=True, load_default=None)
    official_url = Text(max_len=500)

    @validates("title")
    def _title(self, value, **_):
        if not value.strip():
            raise ValidationError("此项必填。")

    @validates("description")
    def _description(self, value, **_):
        if not value.strip():
            raise ValidationError("此项必填。")

    @validates("official_url")
    def _official_url(self, value, **_):
        if value.strip():
            try:
                channels.check_url(value.strip())
            except ValueError as err:
                raise ValidationError(str(err)) from None

    @validates("district")
    def _district(self, value, **_):
        if value not in reference.districts():
            raise ValidationError("请选择工作地点所在区。")


# The schema's field names are the API's writable fields; documented by the API module.
WRITABLE_FIELDS = tuple(PositionSchema().fields)


def _employer(user) -> Employer:
    """The owner's company; positions need one (reps own none: see employers.acting)."""
    return require_employer(
        user, DomainError("请先填写单位信息，再管理岗位。", code="profile_required", status=409)
    )


def get_own_position(user, position_id: int) -> Position:
    """The position if it belongs to the acting employer; anything else is 404."""
    employer = owned_employer(user)
    position_id = parse_id(position_id)
    found = employer is not None and position_id is not None
    position = db.session.get(Position, position_id) if found else None
    if position is None or position.employer_id != employer.id:
        raise NotFound("岗位不存在。")
    return position


def list_own_positions(user, status: str | None = None) -> list[Position]:
    employer = _employer(user)
    q = db.select(Position).filter_by(employer_id=employer.id)
    if status in {str(s) for s in PositionStatus}:
        q = q.filter_by(status=status)
    return list(db.session.scalars(q.order_by(Position.updated_at.desc(), Position.id.desc())))


def _checked(data: dict, *, form: bool, partial: bool, current: Position | None) -> dict:
    """Loaded values that pass the cross-field rules too. A refused form names its field
    mistakes and a reversed pay range together, not one after the other."""
    try:
        values = _load(data, form=form, partial=partial)
    except DomainError as err:
        cross = _cross_field_error(_typed_pay(data), current)
        if cross is None or not err.fields:
            raise
        raise DomainError(
            err.message + cross.message,
            code=err.code,
            status=err.status,
            fields={**cross.fields, **err.fields},
        ) from None
    cross = _cross_field_error(values, current)
    if cross is not None:
        raise cross
    return values


def _typed_pay(data) -> dict:
    """The pay fields of a refused form that are readable as they were typed."""
    out: dict = {}
    if not isinstance(data, dict):
        return out
    for key in ("salary_min", "salary_max"):
        try:
            out[key] = int(str(data[key]).strip())
        except (KeyError, ValueError):
            continue
    if data.get("pay_unit") in {str(u) for u in PayUnit}:
        out["pay_unit"] = data["pay_unit"]
    return out


def _load(data: dict, *, form: bool, partial: bool) -> dict:
    values = load(PositionSchema(), data, form=form, partial=partial)
    for key in ("title", "description", "requirements", "address", "district", "official_url"):
        if key in values and isinstance(values[key], str):
            values[key] = values[key].strip()
    if "welcomed_groups" in values:
        values["welcomed_groups"] = sorted(set(values["welcomed_groups"]))
    return values


def _cross_field_error(values: dict, current: Position | None) -> DomainError | None:
    def pick(key):
        if key in values:
            return values[key]
        return getattr(current, key) if current is not None else None

    salary_min, salary_max = pick("salary_min"), pick("salary_max")
    unit = pick("pay_unit") or PayUnit.MONTH
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        word = "月薪" if unit == PayUnit.MONTH else "报酬"
        return DomainError(
            f"最低{word}不能高于最高{word}。",
            code="validation_error",
            fields={"salary_min": f"最低{word}不能高于最高{word}"},
        )
    limit = MAX_PAY_PER_UNIT.get(unit)
    if limit is not None and salary_max is not None and salary_max > limit:
        name = PAY_UNIT_LABELS[PayUnit(unit)]
        return DomainError(
            f"按{name}计薪时，报酬每{name}不能超过 {limit} 元，请确认计薪方式是否选对。",
            code="validation_error",
            fields={"salary_max": f"每{name}不超过 {limit} 元", "pay_unit": "请确认计薪方式"},
        )
    return None


def _apply(position: Position, values: dict) -> None:
    groups = values.pop("welcomed_groups", None)
    occupation = None
    if "occupation_code" in values:
        occupation = occupations.get_leaf(values["occupation_code"])
        values["occupation_code"] = occupation.code
    for key, value in values.items():
        setattr(position, key, value)
    if groups is not None:
        wanted = set(groups)
        position.groups = [g for g in position.groups if g.group in wanted] + [
            PositionGroup(group=g) for g in sorted(wanted - {g.group for g in position.groups})
        ]
    channels.normalise(position)
    if occupation is None:
        occupation = position.occupation or occupations.get_leaf(position.occupation_code)
    position.occupation = occupation
    index_position(position, occupation)


def _check_deadline(position: Position) -> None:
    if position.deadline is not None and position.deadline < today():
        raise DomainError(
            "截止日期已过，请修改截止日期后再发布。",
            code="validation_error",
            fields={"deadline": "截止日期不能早于今天"},
        )


def _moderate(position: Position, by_organiser: bool = False) -> None:
    """Publish, or hold for review when the text has phrases no organiser approved yet (or
    the post is an employer's 公益性岗位 no organiser has approved)."""
    approved = {
        (f.get("phrase"), f.get("category"), f.get("field"))
        for f in (position.review_flags or [])
        if f.get("approved")
    }
    flags = moderation.check_fields({f: getattr(position, f) or "" for f in CHECKED_FIELDS})
    flags += channels.needs_review(position, reviewed_by_organiser=by_organiser)
    pending = False
    for flag in flags:
        if (flag["phrase"], flag["category"], flag["field"]) in approved:
            flag["approved"] = True
        else:
            pending = True
    position.review_flags = flags
    if pending:
        was_held = position.status == PositionStatus.HELD
        position.status = PositionStatus.HELD
        if not was_held and not by_organiser:
            phrases = [f["phrase"] for f in flags if not f.get("approved")]
            events.position_held.send(position, phrases=phrases)
    else:
        if position.status != PositionStatus.PUBLISHED:
            position.published_at = utcnow()
        position.status = PositionStatus.PUBLISHED


def create_position(user, data: dict, *, form: bool = False) -> Position:
    """A new draft. Unverified employers may draft; publishing is a separate step."""
    employer = _employer(user)
    values = _checked(data, form=form, partial=False, current=None)
    channels.check_can_post(employer, values["channel"])
    position = Position(employer_id=employer.id, status=PositionStatus.DRAFT, review_flags=[])
    _apply(position, values)
    db.session.add(position)
    db.session.commit()
    return position


def update_position(
    user, position_id: int, data: dict, *, form: bool = False, partial: bool = False
) -> Position:
    """Edit a position. Published and held positions are checked again (see module doc)."""
    position = get_own_position(user, position_id)
    values = _checked(data, form=form, partial=partial, current=position)
    channels.check_can_post(position.employer, values.get("channel", position.channel))
    _apply(position, values)
    if position.status == PositionStatus.PUBLISHED:
        _check_deadline(position)
        _moderate(position)
    elif position.status == PositionStatus.HELD:
        if position.employer.is_verified:
            _check_deadline(position)
            _moderate(position)
        else:
            position.status = PositionStatus.DRAFT
    db.session.commit()
    return position


def publish_position(user, position_id: int) -> Position:
    position = get_own_position(user, position_id)
    if not position.employer.is_verified:
        raise Forbidden("单位通过审核后才能发布岗位。")
    channels.check_can_post(position.employer, position.channel)
    if position.status == PositionStatus.PUBLISHED:
        raise Conflict("岗位已在招聘中。", code="already_published")
    _check_deadline(position)
    position.review_note = ""
    _moderate(position)
    db.session.commit()
    return position


def close_position(user, position_id: int) -> Position:
    position = get_own_position(user, position_id)
    if position.status == PositionStatus.CLOSED:
        raise Conflict("岗位已关闭。", code="already_closed")
    if position.status == PositionStatus.DRAFT:
        raise Conflict("草稿尚未发布，无需关闭。", code="not_published")
    position.status = PositionStatus.CLOSED
    db.session.commit()
    return position


def form_values(position: Position | None) -> dict:
    """A position's fields as the edit form shows them."""
    if position is None:
        return {
            "education": str(Education.NONE),
            "work_form": str(WorkForm.FULL_TIME),
            "channel": str(Channel.ENTERPRISE),
            "welcomed_groups": [],
            "headcount": 1,
            "pay_unit": str(PayUnit.MONTH),
        }
    out = {name: getattr(position, name) for name in WRITABLE_FIELDS}
    for key in ("deadline", "exam_date", "exam_signup_ends"):
        out[key] = out[key].isoformat() if out[key] else ""
    for key in ("trainee_months", "tenure_limit_months"):
        out[key] = "" if out[key] is None else out[key]
    return out


EXPORT_COLUMNS = (
    "岗位名称",
    "职业编码",
    "职业名称",
    "职业标识",
    "状态",
    "工作地点",
    "最低报酬（元）",
    "最高报酬（元）",
    "计薪方式",
    "日结",
    "招聘人数",
    "用工形式",
    "岗位渠道",
    "截止日期",
    "发布时间（北京时间）",
)


def export_table(positions: list[Position]) -> list[list]:
    """The employer's positions as table rows (header first) for CSV/Excel downloads; the
    occupation's marks (绿色职业 / 数字职业) have their own column, never glued to the name."""
    rows: list[list] = [list(EXPORT_COLUMNS)]
    for p in positions:
        rows.append(
            [
                p.title,
                p.occupation_code,
                reference.occupation_display_name(p.occupation.name if p.occupation else ""),
                reference.marks_text(p.occupation_code),
                label(p.status, "position_status"),
                p.district,
                p.salary_min,
                p.salary_max,
                "按" + label(p.pay_unit, "pay_unit"),
                "是" if p.daily_pay else "否",
                p.headcount,
                label(p.work_form, "work_form"),
                label(p.channel, "channel"),
                p.deadline.isoformat() if p.deadline else "",
                fmt_dt(p.published_at),
            ]
        )
    return rows


# --- organisers posting on an employer's behalf ------------------------------------------------


def create_for_employer(actor, employer_id, data: dict, *, form: bool = False) -> Position:
    """An organiser posts for a verified employer (e.g. a 街道 for its 公益性岗位): published at
    once, since the organiser is the reviewer; discriminatory wording still holds it."""
    if actor.role != "organiser":
        raise Forbidden("只有组织方可以代单位发布岗位。")
    if employer_id is None:
        raise DomainError(
            "请选择用人单位。", code="validation_error", fields={"employer_id": "请选择用人单位。"}
        )
    ident = parse_id(employer_id)
    employer = db.session.get(Employer, ident) if ident is not None else None
    if employer is None:
        raise NotFound("单位不存在。")
    if not employer.is_verified:
        raise Conflict("该单位尚未通过审核，不能发布岗位。", code="employer_not_verified")
    values = _checked(data, form=form, partial=False, current=None)
    position = Position(employer_id=employer.id, status=PositionStatus.DRAFT, review_flags=[])
    _apply(position, values)
    _check_deadline(position)
    db.session.add(position)
    _moderate(position, by_organiser=True)
    db.session.flush()
    audit.record(
        actor.id,
        "position.post_for_employer",
        "position",
        position.id,
        title=position.title,
        channel=position.channel,
        employer_id=employer.id,
        employer_name=employer.name,
    )
    db.session.commit()
    return position


def designate_public_welfare(actor, employer_id, designated: bool) -> Employer:
    """An organiser designates (or stops designating) an employer to post 公益性岗位."""
    if actor.role != "organiser":
        raise Forbidden()
    employer = db.session.get(Employer, employer_id) if is_id(employer_id) else None
    if employer is None:
        raise NotFound("单位不存在。")
    employer.public_welfare_designated = bool(designated)
    audit.record(
        actor.id,
        "employer.public_welfare_designate" if designated else "employer.public_welfare_revoke",
        "employer",
        employer.id,
        name=employer.name,
    )
    db.session.commit()
    return employer
