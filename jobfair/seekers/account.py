"""A seeker's own account: download everything held about them, delete the account."""

from marshmallow import fields

from jobfair.applications.services import application_dict
from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.formatting import iso
from jobfair.models.application import APPLICATION_STATUS_LABELS, Application
from jobfair.models.common import GROUP_LABELS, utcnow
from jobfair.models.outcome import EmploymentRegistration, UnemploymentRegistration
from jobfair.models.user import ApiToken, LoginSession, Role, User
from jobfair.security import verify_password
from jobfair.seekers.services import CONSENT_TEXT, get_profile, profile_dict
from jobfair.validation import BaseSchema, load

# --- download my data, delete my account ------------------------------------------------


def export_data(user: User) -> dict:
    """Everything held about the user, as plain JSON (no password hash, no token secrets)."""
    profile = get_profile(user)
    applications = db.session.scalars(
        db.select(Application).filter_by(seeker_id=user.id).order_by(Application.id)
    ).all()
    sessions = db.session.scalars(
        db.select(LoginSession).filter_by(user_id=user.id).order_by(LoginSession.id)
    ).all()
    tokens = db.session.scalars(
        db.select(ApiToken).filter_by(user_id=user.id).order_by(ApiToken.id)
    ).all()
    prof = profile_dict(profile, owner=True)
    unemployment = db.session.scalars(
        db.select(UnemploymentRegistration).filter_by(seeker_id=user.id)
    ).all()
    employments = db.session.scalars(
        db.select(EmploymentRegistration).filter_by(seeker_id=user.id)
    ).all()
    return {
        "exported_at": iso(utcnow()),
        "account": {
            "id": user.id,
            "role": user.role,
            "name": user.name,
            "phone": user.phone,
            "email": user.email,
            "status": user.status,
            "created_at": iso(user.created_at),
            "password_changed_at": iso(user.password_changed_at),
        },
        "profile": prof,
        "priority_groups": {
            "consent": prof["group_consent"],
            "consent_text": CONSENT_TEXT,
            "consent_at": prof["group_consent_at"],
            "groups": [{"code": g, "label": GROUP_LABELS.get(g, g)} for g in prof["groups"]],
            # 本人申报 or 认定, with the evidence recorded for the 认定.
            "status": [
                {
                    "code": g.group,
                    "source": g.source,
                    "evidence_type": g.evidence_type,
                    "evidence_note": g.evidence_note,
                    "verified_on": iso(g.verified_on),
                    "valid_until": iso(g.valid_until),
                }
                for g in (profile.groups if profile else [])
            ],
        },
        "unemployment_registrations": [
            {
                "registered_on": iso(u.registered_on),
                "place": u.place,
                "ended_on": iso(u.ended_on),
                "end_reason": u.end_reason,
            }
            for u in unemployment
        ],
        "employment_registrations": [
            {
                "employer_name": r.employer_name,
                "job_title": r.job_title,
                "started_on": iso(r.started_on),
                "contract_type": r.contract_type,
                "social_insurance": r.social_insurance,
                "source": r.source,
                "ended_on": iso(r.ended_on),
                "end_reason": r.end_reason,
            }
            for r in employments
        ],
        "applications": [application_dict(a, for_seeker=True) for a in applications],
        "login_sessions": [
            {
                "created_at": iso(s.created_at),
                "last_seen_at": iso(s.last_seen_at),
                "user_agent": s.user_agent,
            }
            for s in sessions
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": iso(t.created_at),
                "last_used_at": iso(t.last_used_at),
            }
            for t in tokens
        ],
        "status_labels": {str(k): v for k, v in APPLICATION_STATUS_LABELS.items()},
    }


class DeleteAccountSchema(BaseSchema):
    password = fields.String(required=True, error_messages={"required": "请输入当前密码。"})


def delete_account(user: User, data: dict, *, form: bool = False) -> None:
    """Delete a seeker's account after the password is re-typed.

    The database cascades to the profile, groups, applications (and their history),
    login sessions and tokens, so employers' applicant lists no longer show the seeker.
    """
    if user.role != Role.SEEKER:
        raise DomainError("只有求职者可以在这里注销账号。", code="forbidden", status=403)
    values = load(DeleteAccountSchema(), data, form=form)
    if not verify_password(user, values["password"]):
        raise DomainError(
            "密码不正确，账号未注销。",
            code="invalid_credentials",
            status=403,
            fields={"password": "密码不正确"},
        )
    db.session.execute(db.delete(User).where(User.id == user.id))
    db.session.commit()
