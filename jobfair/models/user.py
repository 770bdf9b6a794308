"""Accounts, login sessions and personal access tokens."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.extensions import db
from jobfair.models.common import enum_check, utcnow


class Role(enum.StrEnum):
    SEEKER = "seeker"
    EMPLOYER = "employer"
    ORGANISER = "organiser"


ROLE_LABELS = {Role.SEEKER: "求职者", Role.EMPLOYER: "用人单位", Role.ORGANISER: "组织方"}


class AddressForm(enum.StrEnum):
    """How a seeker wants to be addressed by reps and in live rooms: chosen, never inferred."""

    NAME = "name"  # by name only
    MR = "mr"  # 先生
    MS = "ms"  # 女士


ADDRESS_FORM_LABELS = {
    AddressForm.NAME: "只称呼姓名",
    AddressForm.MR: "先生",
    AddressForm.MS: "女士",
}


class UserStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("phone IS NOT NULL OR email IS NOT NULL", name="ck_users_has_login"),
        CheckConstraint(enum_check("role", Role), name="ck_users_role"),
        CheckConstraint(enum_check("status", UserStatus), name="ck_users_status"),
        CheckConstraint(
            "address_form = '' OR " + enum_check("address_form", AddressForm),
            name="ck_users_address_form",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(16), index=True)
    phone: Mapped[str | None] = mapped_column(String(11), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(50), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default=UserStatus.ACTIVE)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # 适老化 mode (large type, high contrast, simple menu, longer waits) chosen by this account.
    elder_mode: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A seeker's chosen form of address (AddressForm); '' until chosen: then name only.
    address_form: Mapped[str] = mapped_column(String(8), default="", server_default="")

    sessions: Mapped[list["LoginSession"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_active(self) -> bool:  # Flask-Login: suspended users cannot log in
        return self.status == UserStatus.ACTIVE

    @property
    def login_name(self) -> str:
        return self.phone or self.email or ""

    def is_role(self, *roles: str) -> bool:
        return self.role in roles


class LoginSession(db.Model):
    """One signed-in browser. The cookie carries a random id; deleting the row ends it."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the password was last typed in this session (sign-in or re-authentication).
    confirmed_at: Mapped[datetime | None]
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(back_populates="sessions")


class ApiToken(db.Model):
    """Personal access token for non-browser API clients (Bearer)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
