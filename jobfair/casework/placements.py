"""Placements (平台外就业) case workers record; each is also a 就业登记 (see registrations)."""

from jobfair import audit
from jobfair.casework import registrations
from jobfair.casework.access import require_case_worker, scope
from jobfair.casework.queries import local_today, profiles_by_user
from jobfair.casework.schemas import PLACEMENT_LABELS, PlacementSchema
from jobfair.errors import DomainError, NotFound
from jobfair.extensions import db
from jobfair.models.casework import Placement
from jobfair.models.common import WorkForm
from jobfair.models.outcome import ContractType, EmploymentRegistration, EmploymentSource
from jobfair.models.user import Role, User
from jobfair.seekers.services import clean_text
from jobfair.validation import load


def create_placement(actor, data, *, form: bool = False) -> Placement:
    require_case_worker(actor)
    values = load(PlacementSchema(), data, labels=PLACEMENT_LABELS, form=form)
    for key in ("employer_name", "job_title", "evidence"):
        values[key] = clean_text(values[key])
        if not values[key]:
            raise DomainError(f"{PLACEMENT_LABELS[key]}不能为空。", fields={key: "此项必填。"})
    if values["placed_on"] > local_today():
        raise DomainError("就业日期不能晚于今天。", fields={"placed_on": "不能晚于今天"})
    seeker = db.session.get(User, values["seeker_id"])
    profile = profiles_by_user([seeker.id]).get(seeker.id) if seeker else None
    if seeker is None or seeker.role != Role.SEEKER or profile is None:
        raise NotFound("求职者不存在。")
    district = profile.home_district
    require_case_worker(actor, district or "")
    placement = Placement(recorded_by=actor.id, district=district, **values)
    db.session.add(placement)
    db.session.flush()
    # The placement is a 就业登记 of its own (source 安置, evidence kept in evidence_note).
    registrations.record_registration(
        EmploymentRegistration(
            seeker_id=seeker.id,
            employer_name=values["employer_name"],
            job_title=values["job_title"],
            started_on=values["placed_on"],
            contract_type=ContractType.FIXED_TERM,
            work_form=WorkForm.FULL_TIME,
            social_insurance=True,
            source=EmploymentSource.PLACEMENT,
            evidence_note=values["evidence"],
            end_reason="",
            ended_role="",
            recorded_by=actor.id,
        ),
        profile,
        actor.id,
    )
    audit.record(actor.id, "casework.placement", "placement", placement.id, district=district)
    db.session.commit()
    return placement


def list_placements(actor, limit: int = 200) -> list[Placement]:
    districts = scope(actor)
    q = db.select(Placement).order_by(Placement.placed_on.desc(), Placement.id.desc())
    if districts is not None:
        q = q.where(Placement.district.in_(districts or [""]))
    return list(db.session.scalars(q.limit(limit)))
