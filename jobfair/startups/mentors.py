"""The panel of 创业导师: organisers add, edit and stand down mentors; case workers assign them."""

from jobfair import audit
from jobfair.errors import Forbidden, NotFound
from jobfair.extensions import db
from jobfair.ids import require_id
from jobfair.masking import mask_phone
from jobfair.models.startup import Mentor
from jobfair.models.user import Role
from jobfair.startups.cases import mentor_load
from jobfair.startups.schemas import MENTOR_LABELS, MentorSchema
from jobfair.validation import load


def require_organiser(user) -> None:
    if user is None or not user.is_authenticated or user.role != Role.ORGANISER:
        raise Forbidden("只有组织方工作人员可以管理创业导师。")


def list_mentors(*, active_only: bool = False) -> list[Mentor]:
    stmt = db.select(Mentor).order_by(Mentor.active.desc(), Mentor.name, Mentor.id)
    if active_only:
        stmt = stmt.where(Mentor.active.is_(True))
    return list(db.session.scalars(stmt))


def get_mentor(mentor_id) -> Mentor:
    row = db.session.get(Mentor, require_id(mentor_id, "创业导师不存在。"))
    if row is None:
        raise NotFound("创业导师不存在。")
    return row


def save_mentor(actor, data, *, mentor: Mentor | None = None, form: bool = False) -> Mentor:
    require_organiser(actor)
    values = load(MentorSchema(), data, labels=MENTOR_LABELS, form=form)
    creating = mentor is None
    if creating:
        mentor = Mentor()
        db.session.add(mentor)
    for key, value in values.items():
        setattr(mentor, key, value)
    db.session.flush()
    audit.record(
        actor.id,
        "startup.mentor_create" if creating else "startup.mentor_update",
        "mentor",
        mentor.id,
        name=mentor.name,
        active="是" if mentor.active else "否",
    )
    db.session.commit()
    return mentor


def mentor_dict(mentor: Mentor, load_count: int | None = None, *, reveal_phone: bool) -> dict:
    if load_count is None:
        load_count = mentor_load([mentor.id]).get(mentor.id, 0)
    return {
        "id": mentor.id,
        "name": mentor.name,
        "title": mentor.title,
        "organisation": mentor.organisation,
        "expertise": mentor.expertise,
        "phone": mentor.phone if reveal_phone else mask_phone(mentor.phone),
        "districts": list(mentor.districts or []),
        "max_cases": mentor.max_cases,
        "cases": load_count,
        "active": mentor.active,
    }
