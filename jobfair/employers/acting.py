"""Which company an employer-side account acts for: the one it owns, or the one it represents.

Two rules, deliberately named apart:
- ``owned_employer`` / ``require_employer``: the company whose *owner* this account is (the
  Employer row with its user_id). The company profile, positions, applicants, booth
  applications and rep accounts belong to the owner; a rep owns no company.
- ``employer_of``: the company this account *acts for* at fairs: the owner's own or, for a
  rep account (an EmployerRep row), the company it represents. Booth pages, the booth desk
  and live rooms use it.
"""

from jobfair.errors import DomainError, Forbidden
from jobfair.extensions import db
from jobfair.models.employer import Employer
from jobfair.models.fair import EmployerRep
from jobfair.models.user import Role

REP_REFUSED = "招聘代表账号不能申请或修改展位，请联系本单位管理员。"
# What the owner-only fair actions (booths, rep accounts) say when the profile is missing.
OWNER_NO_PROFILE = "请先填写单位信息并通过审核，再申请展位。"


def _employer_account(user) -> bool:
    return (
        user is not None and getattr(user, "is_authenticated", True) and user.role == Role.EMPLOYER
    )


def owned_employer(user) -> Employer | None:
    """The company this account owns; None for reps, other roles and owners without a profile."""
    return db.session.scalar(db.select(Employer).filter_by(user_id=user.id))


def employer_of(user) -> Employer | None:
    """The employer a signed-in employer-side user acts for: the owner's own, or a rep's."""
    if not _employer_account(user):
        return None
    own = owned_employer(user)
    if own is not None:
        return own
    return db.session.scalar(
        db.select(Employer)
        .join(EmployerRep, EmployerRep.employer_id == Employer.id)
        .filter(EmployerRep.user_id == user.id)
    )


def is_extra_rep(user) -> bool:
    """True for rep accounts (not the owner): they may not manage the company profile."""
    if not _employer_account(user):
        return False
    return db.session.scalar(db.select(EmployerRep.id).filter_by(user_id=user.id)) is not None


def is_rep_of(user, employer_id: int) -> bool:
    """May this user act at the booths of employer_id (owner or one of its reps)?"""
    employer = employer_of(user)
    return employer is not None and employer.id == employer_id


def require_employer(user, no_profile: DomainError) -> Employer:
    """The company an employer owner manages; other roles are Forbidden.

    Without a company of its own (an owner who has not filled in the profile yet, or a rep)
    the caller's ``no_profile`` error is raised: each feature words it for what the user was
    trying to do, and picks its status (positions 409, applicants 404, booths 422).
    """
    if user.role != Role.EMPLOYER:
        raise Forbidden()
    employer = owned_employer(user)
    if employer is None:
        raise no_profile
    return employer


def require_owner(user) -> Employer:
    """The owner's company for owner-only fair actions (booth applications, rep accounts):
    reps are refused by name rather than told to fill in a profile."""
    if is_extra_rep(user):
        raise Forbidden(REP_REFUSED)
    return require_employer(user, DomainError(OWNER_NO_PROFILE, code="no_profile"))
