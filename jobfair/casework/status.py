"""认定 of priority-group status, and walk-in seekers registered by staff.

Rules worth knowing:
- A group the seeker ticks is 本人申报: a request, shown as such, counted nowhere. A case
  worker of the seeker's district records the 认定 with the evidence type, a note of the
  evidence (its own column, ``evidence_note``), the date and an optional validity period.
- Only groups 认定 and still valid count in targets, the 百日攻坚 roster and group-restricted
  fairs; pushes may reach self-declared seekers and label them so.
- Status is sensitive personal information: it is stored only with the seeker's consent —
  online, or on paper for a walk-in (the paper consent is noted on the profile).
"""

import secrets

from sqlalchemy import and_, or_

from jobfair import audit, reference
from jobfair.casework.access import covers, require_case_worker, scope
from jobfair.casework.queries import local_today
from jobfair.casework.registrations import seeker_for_worker
from jobfair.casework.schemas import VERIFY_LABELS, WALK_IN_LABELS, VerifySchema, WalkInSchema
from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.models.common import Education, utcnow
from jobfair.models.seeker import SeekerGroup, SeekerProfile
from jobfair.models.user import Role, User
from jobfair.security import hash_password
from jobfair.seekers.services import clean_text, index_profile
from jobfair.transactions import commit_or_conflict
from jobfair.validation import PHONE_RE, load


def _apply_verification(row: SeekerGroup, values: dict, actor_id: int) -> None:
    row.evidence_type = values["evidence_type"]
    row.evidence_note = clean_text(values["evidence_note"])
    row.verified_by = actor_id
    row.verified_at = utcnow()
    row.verified_on = values.get("verified_on") or local_today()
    row.valid_until = values.get("valid_until")


def _check_dates(values: dict) -> None:
    on = values.get("verified_on") or local_today()
    if on > local_today():
        raise DomainError("认定日期不能晚于今天。", fields={"verified_on": "不能晚于今天"})
    if values.get("valid_until") and values["valid_until"] < on:
        raise DomainError("有效期不能早于认定日期。", fields={"valid_until": "不能早于认定日期"})


def verify_status(actor, seeker_id: int, data, *, form=False) -> SeekerGroup:
    """认定: a case worker of the seeker's district confirms a group with evidence."""
    _seeker, profile = seeker_for_worker(actor, seeker_id)
    values = load(VerifySchema(), data, labels=VERIFY_LABELS, form=form)
    if not clean_text(values["evidence_note"]):
        raise DomainError("证明材料说明不能为空。", fields={"evidence_note": "此项必填。"})
    _check_dates(values)
    if not profile.group_consent:
        raise DomainError(
            "该求职者未同意提供重点群体身份信息，不能登记认定（可请其在资料页勾选同意，"
            "或由窗口登记纸质同意书）。",
            code="consent_required",
        )
    row = next((g for g in profile.groups if g.group == values["group"]), None)
    if row is None:
        row = SeekerGroup(group=values["group"])
        profile.groups.append(row)
    _apply_verification(row, values, actor.id)
    db.session.flush()
    audit.record(
        actor.id,
        "casework.status_verify",
        "seeker",
        profile.user_id,
        group=values["group"],
        evidence=values["evidence_type"],
    )
    db.session.commit()
    return row


def pending_verifications(actor, limit: int = 300) -> list[tuple[SeekerProfile, list[str]]]:
    """Seekers living in the worker's districts with a 本人申报 status awaiting 认定."""
    districts = scope(actor)
    q = (
        db.select(SeekerProfile)
        .where(
            SeekerProfile.group_consent.is_(True),
            SeekerProfile.groups.any(SeekerGroup.verified_on.is_(None)),
        )
        .order_by(SeekerProfile.residence_district, SeekerProfile.id)
    )
    if districts is not None:
        q = q.where(
            or_(
                SeekerProfile.residence_district.in_(districts or [""]),
                and_(
                    SeekerProfile.residence_district == "",
                    SeekerProfile.hukou_district.in_(districts or [""]),
                ),
            )
        )
    return [
        (p, sorted(g.group for g in p.groups if g.verified_on is None))
        for p in db.session.scalars(q.limit(limit))
    ]


def revoke_status(actor, seeker_id: int, group: str) -> SeekerGroup:
    """Take back a 认定 (wrong evidence, no longer applies): the status is 本人申报 again."""
    _seeker, profile = seeker_for_worker(actor, seeker_id)
    row = next((g for g in profile.groups if g.group == group), None)
    if row is None or row.verified_on is None:
        raise DomainError("该身份没有认定记录。", code="not_verified", status=404)
    row.evidence_type, row.evidence_note = "", ""
    row.verified_by = row.verified_at = row.verified_on = row.valid_until = None
    audit.record(actor.id, "casework.status_revoke", "seeker", profile.user_id, group=group)
    db.session.commit()
    return row


def register_walk_in(actor, data, *, form=False, kiosk=False, commit=True) -> User:
    """A seeker registered at the window (e.g. a fisher without a smartphone).

    The account gets a random password (the person can reset it by phone later); consent is
    on paper and noted; a group given here is 认定 at once with its evidence.

    ``kiosk``: organiser staff at an on-site fair's kiosk, who need not be case workers; they
    may record a priority group only if they are a case worker of the person's district.
    ``commit=False`` leaves the new account in the caller's transaction (the kiosk adds the
    fair registration and queue ticket to it).
    """
    if kiosk:
        if actor.role != Role.ORGANISER:
            raise DomainError("只有组织方工作人员可以在现场登记求职者。", status=403)
    else:
        require_case_worker(actor)
    values = load(WalkInSchema(), data, labels=WALK_IN_LABELS, form=form)
    phone = values["phone"].strip()
    if not PHONE_RE.match(phone):
        raise DomainError("手机号格式不正确。", fields={"phone": "请填写 11 位手机号"})
    districts = set(reference.districts())
    for key in ("hukou_district", "residence_district"):
        if values[key] and values[key] not in districts:
            raise DomainError("区不在本市范围内。", fields={key: "请选择本市的区"})
    bad = [d for d in values["districts"] if d not in districts]
    if bad:
        raise DomainError("意向工作区域不在本市范围内。", fields={"districts": "请选择本市的区"})
    if not kiosk:
        require_case_worker(actor, values["residence_district"])
    elif values["group"] and not covers(actor, values["residence_district"]):
        raise DomainError(
            "现场登记不能认定重点群体身份，请由该区的个案工作人员在窗口办理。",
            fields={"group": "现场登记请留空"},
        )
    if values["group"] and (not values["evidence_type"] or not clean_text(values["evidence_note"])):
        raise DomainError(
            "登记重点群体身份须同时填写认定依据和证明材料说明。",
            fields={"evidence_type": "请选择认定依据", "evidence_note": "此项必填。"},
        )
    if db.session.scalar(db.select(User.id).filter_by(phone=phone)) is not None:
        raise DomainError("该手机号已注册。", code="already_registered", status=409)
    name = clean_text(values["name"])
    user = User(
        role=Role.SEEKER,
        phone=phone,
        name=name,
        password_hash=hash_password(secrets.token_urlsafe(16)),
        must_change_password=True,
    )
    db.session.add(user)
    db.session.flush()
    now = utcnow()
    profile = SeekerProfile(
        user_id=user.id,
        name=name,
        phone=phone,
        birth_year=values["birth_year"],
        education=str(Education.NONE),
        major="",
        skills="",
        experience="",
        districts=list(values["districts"]) or [values["residence_district"]],
        salary_min=0,
        work_forms=[],
        intro="",
        discoverable=False,
        hukou_district=values["hukou_district"],
        residence_district=values["residence_district"],
        residence_street=clean_text(values["residence_street"]),
        consent_note=clean_text(values["consent_note"]),
        registered_by=actor.id,
        group_consent=True,
        group_consent_at=now,
    )
    if values["group"]:
        row = SeekerGroup(group=values["group"])
        _apply_verification(row, values, actor.id)
        profile.groups = [row]
    index_profile(profile, [])
    db.session.add(profile)
    db.session.flush()
    audit.record(
        actor.id,
        "casework.walk_in",
        "seeker",
        user.id,
        district=values["residence_district"],
        kiosk=kiosk,
    )
    if commit:
        commit_or_conflict("该手机号已注册。", code="already_registered")
    return user
