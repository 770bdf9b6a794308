"""Models, one module per aggregate; imported here so Alembic sees every table."""

from jobfair.models.alert import AlertDigest, AlertKind, JobAlert
from jobfair.models.application import Application, ApplicationEvent, ApplicationStatus
from jobfair.models.audit import AuditLog
from jobfair.models.campaign import Campaign, CampaignFair, CampaignSession
from jobfair.models.casework import (
    CaseContact,
    CaseFile,
    CaseRecommendation,
    CaseTraining,
    CaseWorker,
    CaseworkSettings,
    EmploymentFollowUp,
    Household,
    HouseholdMember,
    HouseholdReferral,
    Placement,
    Target,
)
from jobfair.models.employer import Employer, EmployerStatus
from jobfair.models.fair import (
    Booth,
    BoothPosition,
    BoothStatus,
    EmployerRep,
    Fair,
    FairAttendance,
    FairGroup,
    FairRegistration,
    FairStatus,
    LiveSession,
    LiveSessionEmployer,
    LiveSessionStatus,
)
from jobfair.models.gig import Shift, ShiftSignup
from jobfair.models.job import JobRun, JobStatus
from jobfair.models.live import (
    Announcement,
    FairVisit,
    InterviewChat,
    LiveApplication,
    LiveMessage,
    LiveRestriction,
    MessageReport,
    PinnedPosition,
    Question,
    QuestionVote,
    QueueEntry,
    SessionView,
)
from jobfair.models.live_figures import LiveIntent, LivePeak
from jobfair.models.notification import Notification, NotificationPreference
from jobfair.models.occupation import Occupation
from jobfair.models.onsite import BoothVisit, ClaimCode
from jobfair.models.outcome import (
    EmploymentRegistration,
    OutcomeRecord,
    UnemploymentRegistration,
)
from jobfair.models.policy import (
    PolicyCatalogue,
    SubsidyApplication,
    SubsidyEvent,
    SubsidyPayment,
)
from jobfair.models.position import Position, PositionGroup, PositionStatus
from jobfair.models.recommendation import MatchIndexChange, MatchIndexState, RecommendationLog
from jobfair.models.seeker import (
    SeekerGroup,
    SeekerInferredOccupation,
    SeekerOccupation,
    SeekerProfile,
)
from jobfair.models.startup import (
    Mentor,
    StartupCase,
    StartupFollowUp,
    StartupLoan,
)
from jobfair.models.training import Course, Enrolment, Referral
from jobfair.models.user import ApiToken, LoginSession, Role, User, UserStatus

__all__ = [
    "EmploymentRegistration",
    "OutcomeRecord",
    "UnemploymentRegistration",
    "AlertDigest",
    "AlertKind",
    "JobAlert",
    "JobRun",
    "JobStatus",
    "Announcement",
    "LiveIntent",
    "LivePeak",
    "NotificationPreference",
    "FairVisit",
    "InterviewChat",
    "LiveApplication",
    "LiveMessage",
    "LiveRestriction",
    "MessageReport",
    "PinnedPosition",
    "Question",
    "QuestionVote",
    "QueueEntry",
    "SessionView",
    "ApiToken",
    "Application",
    "ApplicationEvent",
    "ApplicationStatus",
    "AuditLog",
    "Campaign",
    "CampaignFair",
    "CampaignSession",
    "CaseContact",
    "CaseFile",
    "CaseRecommendation",
    "CaseTraining",
    "CaseWorker",
    "CaseworkSettings",
    "EmploymentFollowUp",
    "Household",
    "HouseholdMember",
    "HouseholdReferral",
    "Placement",
    "Target",
    "Booth",
    "BoothPosition",
    "BoothStatus",
    "Employer",
    "EmployerRep",
    "EmployerStatus",
    "Fair",
    "FairAttendance",
    "FairGroup",
    "FairRegistration",
    "FairStatus",
    "LiveSession",
    "LiveSessionEmployer",
    "LiveSessionStatus",
    "LoginSession",
    "MatchIndexChange",
    "MatchIndexState",
    "Notification",
    "Occupation",
    "PolicyCatalogue",
    "SubsidyApplication",
    "SubsidyEvent",
    "SubsidyPayment",
    "Position",
    "PositionGroup",
    "PositionStatus",
    "RecommendationLog",
    "Role",
    "SeekerGroup",
    "SeekerOccupation",
    "SeekerInferredOccupation",
    "SeekerProfile",
    "User",
    "UserStatus",
    "Course",
    "Enrolment",
    "Referral",
    "Mentor",
    "StartupCase",
    "StartupFollowUp",
    "StartupLoan",
    "Shift",
    "ShiftSignup",
    "BoothVisit",
    "ClaimCode",
]
