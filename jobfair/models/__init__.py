"""Models, one module per aggregate; imported here so Alembic sees every table."""

from jobfair.models.application import Application, ApplicationEvent, ApplicationStatus
from jobfair.models.audit import AuditLog
from jobfair.models.employer import Employer, EmployerStatus
from jobfair.models.occupation import Occupation
from jobfair.models.position import Position, PositionGroup, PositionStatus
from jobfair.models.seeker import SeekerGroup, SeekerOccupation, SeekerProfile
from jobfair.models.user import ApiToken, LoginSession, Role, User, UserStatus

__all__ = [
    "ApiToken",
    "Application",
    "ApplicationEvent",
    "ApplicationStatus",
    "AuditLog",
    "Employer",
    "EmployerStatus",
    "LoginSession",
    "Occupation",
    "Position",
    "PositionGroup",
    "PositionStatus",
    "Role",
    "SeekerGroup",
    "SeekerOccupation",
    "SeekerProfile",
    "User",
    "UserStatus",
]
