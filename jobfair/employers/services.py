"""Employer services: company profile with 统一社会信用代码 check, dashboard figures.

Re-verification rule: a verified employer who changes the company name or the credit code
goes back to `pending` (the organiser verified a specific legal entity); other edits keep
the status. A rejected employer who saves the profile again resubmits it (`pending`).
Positions already published stay published while the employer is re-verified; publishing
new ones waits for the organiser.
"""

import re

from marshmallow import ValidationError, validates
from sqlalchemy import func

from jobfair import reference
from jobfair.employers.acting import owned_employer
from jobfair.errors import Conflict, DomainError
from jobfair.extensions import db
from jobfair.models.application import Application, ApplicationStatus
from jobfair.models.employer import Employer, EmployerStatus
from jobfair.models.position import Position, PositionStatus
from jobfair.security import require_confirmed_contact_change
from jobfair.transactions import commit_or_conflict
from jobfair.validation import (
    CONTACT_PHONE_MESSAGE,
    BaseSchema,
    Choice,
    Text,
    is_contact_phone,
    load,
    normalise_phone,
)

INDUSTRIES = (
    "制造业",
    "物流运输",
    "批发零售",
    "住宿餐饮",
    "居民服务",
    "养老服务",
    "医疗卫生",
    "农林牧渔",
    "建筑业",
    "信息技术",
    "教育培训",
    "金融",
    "公共管理",
    "其他",
)
SIZES = ("20人以下", "20-99人", "100-499人", "500-999人", "1000人以上")

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CHECK_MESSAGE = "统一社会信用代码校验位不正确，请核对营业执照。"


def normalise_credit_code(value) -> str:
    return re.sub(r"[\s-]", "", str(value or "")).upper()


def credit_code_problem(code: str) -> str | None:
    """None if the code is a well-formed GB 32100 code, else what is wrong (short, Chinese)."""
    if len(code) != 18:
        return "应为 18 位（营业执照上的统一社会信用代码）"
    if any(c not in CREDIT_ALPHABET for c in code):
        return "只能由数字和大写字母组成（不含 I、O、S、V、Z）"
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(code, CREDIT_WEIGHTS, strict=False))
    if CREDIT_ALPHABET[(31 - total % 31) % 31] != code[17]:
        return "校验位不正确，请核对营业执照"
    return None


def is_valid_credit_code(value) -> bool:
    return credit_code_problem(normalise_credit_code(value)) is None


class ProfileSchema(BaseSchema):
    name = Text(required=True, max_len=100)
    credit_code = Text(required=True, max_len=30)
    industry = Choice(INDUSTRIES, required=True)
    size = Choice(SIZES, required=True)
    district = Text(required=True, max_len=20)
    address = Text(required=True, max_len=200)
    contact_name = Text(required=True, max_len=50)
    contact_phone = Text(required=True, max_len=30)
    description = Text(max_len=2000)

    @validates("name")
    def _name(self, value, **_):
        if len(value.strip()) < 2:
            raise ValidationError("请填写营业执照上的单位全称。")

    @validates("credit_code")
    def _credit_code(self, value, **_):
        problem = credit_code_problem(normalise_credit_code(value))
        if problem:
            raise ValidationError(problem)

    @validates("district")
    def _district(self, value, **_):
        if value not in reference.districts():
            raise ValidationError("请选择所在区。")

    @validates("address")
    def _address(self, value, **_):
        if not value.strip():
            raise ValidationError("此项必填。")

    @validates("contact_name")
    def _contact_name(self, value, **_):
        if not value.strip():
            raise ValidationError("此项必填。")

    @validates("contact_phone")
    def _contact_phone(self, value, **_):
        if not is_contact_phone(value):
            raise ValidationError(CONTACT_PHONE_MESSAGE)


def _load_profile(data: dict, form: bool) -> dict:
    try:
        values = load(ProfileSchema(), data, form=form)
    except DomainError as err:
        if set(err.fields) == {"credit_code"} and "校验位" in err.fields["credit_code"]:
            err.message = CREDIT_CHECK_MESSAGE
        raise
    values["name"] = values["name"].strip()
    values["credit_code"] = normalise_credit_code(values["credit_code"])
    values["contact_phone"] = normalise_phone(values["contact_phone"])
    for key in ("address", "contact_name", "description"):
        values[key] = values[key].strip()
    return values


CREDIT_CODE_TAKEN = "该统一社会信用代码已注册。如属本单位，请联系组织方核实。"


def save_profile(
    user, data: dict, *, form: bool = False, confirmed: bool = True
) -> tuple[Employer, bool]:
    """Create or update the employer's profile. Returns (employer, sent_for_review).

    ``confirmed`` as in seekers.services.save_profile: replacing the contact phone needs
    the password re-typed recently.

    sent_for_review is True when this save put the profile (back) in the review queue.
    """
    values = _load_profile(data, form)
    employer = owned_employer(user)
    if employer is not None:
        try:
            require_confirmed_contact_change(
                confirmed, employer.contact_phone, values["contact_phone"]
            )
        except DomainError as err:
            err.fields = {"contact_phone": "请先确认身份"}
            raise
    taken = db.session.scalar(
        db.select(Employer.id).filter(
            Employer.credit_code == values["credit_code"],
            Employer.user_id != user.id,
        )
    )
    if taken:
        raise Conflict(CREDIT_CODE_TAKEN, code="credit_code_taken")
    sent_for_review = False
    if employer is None:
        employer = Employer(user_id=user.id, status=EmployerStatus.PENDING, **values)
        db.session.add(employer)
        sent_for_review = True
    else:
        identity_changed = (
            values["name"] != employer.name or values["credit_code"] != employer.credit_code
        )
        for key, value in values.items():
            setattr(employer, key, value)
        if employer.status == EmployerStatus.REJECTED or (
            employer.status == EmployerStatus.VERIFIED and identity_changed
        ):
            employer.status = EmployerStatus.PENDING
            employer.reviewed_at = None
            sent_for_review = True
    commit_or_conflict(CREDIT_CODE_TAKEN, code="credit_code_taken")
    return employer, sent_for_review


def dashboard(user) -> dict:
    """What the employer's home page shows: profile status and counts of positions."""
    employer = owned_employer(user)
    counts = {str(s): 0 for s in PositionStatus}
    new_applications = 0
    if employer is not None:
        rows = db.session.execute(
            db.select(Position.status, func.count())
            .filter_by(employer_id=employer.id)
            .group_by(Position.status)
        ).all()
        counts.update({status: n for status, n in rows})
        new_applications = db.session.scalar(
            db.select(func.count(Application.id))
            .join(Position, Position.id == Application.position_id)
            .filter(
                Position.employer_id == employer.id,
                Application.status == ApplicationStatus.SUBMITTED,
            )
        )
    return {
        "employer": employer,
        "position_counts": counts,
        "position_total": sum(counts.values()),
        "new_applications": new_applications or 0,
    }
