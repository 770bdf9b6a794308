"""Booth rep accounts: extra employer-side logins that the employer owner creates and removes.

Reps are accounts with role 'employer' and no Employer row of their own, linked to the
company by an EmployerRep row. Removing a rep suspends the account and ends its sessions
(rather than deleting it), so the phone cannot be reused to create a second company and the
chat history keeps its author.
"""

from marshmallow import ValidationError, validates
from sqlalchemy import func

from jobfair import audit, events
from jobfair.auth.services import check_password_policy
from jobfair.employers.acting import require_owner
from jobfair.errors import Conflict, DomainError, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.models.fair import EmployerRep
from jobfair.models.user import Role, User, UserStatus
from jobfair.security import end_all_sessions, hash_password
from jobfair.transactions import commit_or_conflict
from jobfair.validation import PHONE_RE, BaseSchema, Text, load

MAX_REPS = 20
PHONE_TAKEN = "该手机号已注册，请换一个手机号。"
REP_FIELD_LABELS = {"phone": "手机号", "name": "姓名", "password": "初始密码"}

audit.ACTION_LABELS.setdefault("rep.create", "新增招聘代表")
audit.ACTION_LABELS.setdefault("rep.remove", "移除招聘代表")
audit.OBJECT_LABELS.setdefault("employer_rep", "招聘代表")


class RepSchema(BaseSchema):
    phone = Text(required=True, max_len=11)
    name = Text(required=True, max_len=50)
    password = Text(required=True, max_len=128)

    @validates("phone")
    def _phone(self, value, **_):
        if not PHONE_RE.match(value.strip()):
            raise ValidationError("请填写 11 位手机号。")

    @validates("name")
    def _name(self, value, **_):
        if len(value.strip()) < 2:
            raise ValidationError("请填写招聘代表的姓名。")


def reps(user: User) -> list[EmployerRep]:
    employer = require_owner(user)
    return list(
        db.session.scalars(
            db.select(EmployerRep).filter_by(employer_id=employer.id).order_by(EmployerRep.id)
        )
    )


def create_rep(owner: User, data: dict, *, form: bool = False) -> EmployerRep:
    """A rep account with an initial password that must be changed at first login."""
    employer = require_owner(owner)
    values = load(RepSchema(), data, labels=REP_FIELD_LABELS, form=form)
    try:
        check_password_policy(values["password"], Role.EMPLOYER)
    except DomainError as err:
        err.fields = {"password": err.message}
        raise
    count = db.session.scalar(
        db.select(func.count(EmployerRep.id)).filter_by(employer_id=employer.id)
    )
    if count >= MAX_REPS:
        raise Conflict(f"每家单位最多 {MAX_REPS} 个招聘代表账号。", code="too_many_reps")
    phone = values["phone"].strip()
    if db.session.scalar(db.select(User.id).filter_by(phone=phone)) is not None:
        raise Conflict(PHONE_TAKEN, code="phone_taken")
    user = User(
        role=Role.EMPLOYER,
        phone=phone,
        name=values["name"].strip(),
        password_hash=hash_password(values["password"]),
        must_change_password=True,
    )
    db.session.add(user)
    db.session.flush()
    rep = EmployerRep(employer_id=employer.id, user_id=user.id)
    db.session.add(rep)
    db.session.flush()
    audit.record(
        owner.id, "rep.create", "employer_rep", rep.id, employer_id=employer.id, user_id=user.id
    )
    events.rep_changed.send(
        None,
        employer_id=employer.id,
        rep_user_id=user.id,
        rep_name=user.name,
        added=True,
        actor_id=owner.id,
    )
    commit_or_conflict(PHONE_TAKEN, code="phone_taken")
    return rep


def remove_rep(owner: User, rep_id: int) -> None:
    """Remove a rep: the account is suspended and signed out everywhere at once."""
    employer = require_owner(owner)
    rep = db.session.get(EmployerRep, require_id(rep_id))
    if rep is None or rep.employer_id != employer.id:
        raise NotFound("招聘代表不存在。")
    user = rep.user
    user_id = user.id
    user.status = UserStatus.SUSPENDED
    end_all_sessions(user)
    audit.record(
        owner.id, "rep.remove", "employer_rep", rep.id, employer_id=employer.id, user_id=user_id
    )
    db.session.delete(rep)
    db.session.flush()  # the removed rep is no longer one of the employer's people
    events.rep_changed.send(
        None,
        employer_id=employer.id,
        rep_user_id=user_id,
        rep_name=user.name,
        added=False,
        actor_id=owner.id,
    )
    db.session.commit()
    events.user_access_revoked.send(None, user_id=user_id)
