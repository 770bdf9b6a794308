"""Account services: registration, credential checks, password change, organiser creation."""

import secrets
from pathlib import Path

from marshmallow import fields, validate

from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.models.common import utcnow
from jobfair.models.user import Role, User
from jobfair.notifications.services import notify
from jobfair.security import end_all_sessions, hash_password, verify_password
from jobfair.transactions import commit_or_conflict
from jobfair.validation import EMAIL_RE, PHONE_RE, BaseSchema, Choice, Text, load

MIN_PASSWORD = 8
# Employer and organiser accounts reach other people's personal data: a longer minimum.
MIN_STAFF_PASSWORD = 12
STAFF_ROLES = (Role.EMPLOYER, Role.ORGANISER)
MAX_PASSWORD = 128
_COMMON = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"


def _common_passwords() -> frozenset[str]:
    if not _COMMON.exists():
        return frozenset()
    return frozenset(line.strip() for line in _COMMON.read_text().splitlines() if line.strip())


COMMON_PASSWORDS = _common_passwords()


def check_password_policy(password: str, role: str = Role.SEEKER) -> None:
    minimum = MIN_STAFF_PASSWORD if role in STAFF_ROLES else MIN_PASSWORD
    if len(password) < minimum:
        raise DomainError(f"密码至少 {minimum} 位。", fields={"password": "密码太短"})
    if len(password) > MAX_PASSWORD:
        raise DomainError(f"密码不能超过 {MAX_PASSWORD} 位。", fields={"password": "密码太长"})
    if password.lower() in COMMON_PASSWORDS:
        raise DomainError(
            "这个密码太常见，容易被猜到，请换一个。", fields={"password": "密码太常见"}
        )


def normalize_login(value: str) -> tuple[str | None, str | None]:
    """Return (phone, email) from what a person typed; raise if it is neither."""
    value = (value or "").strip().replace(" ", "").replace("-", "")
    if PHONE_RE.match(value):
        return value, None
    if EMAIL_RE.match(value) and len(value) <= 254:
        return None, value.lower()
    raise DomainError(
        "请输入 11 位手机号或有效的邮箱地址。", fields={"login": "手机号或邮箱格式不正确"}
    )


def Password() -> fields.String:  # noqa: N802
    """A password is taken exactly as typed (never stripped like other text)."""
    return fields.String(
        required=True,
        validate=validate.Length(max=MAX_PASSWORD, error=f"不能超过 {MAX_PASSWORD} 个字。"),
        error_messages={"required": "此项必填。", "invalid": "应为文本。"},
    )


class RegisterSchema(BaseSchema):
    login = Text(required=True, max_len=254)
    password = Password()
    name = Text(max_len=50)
    role = Choice([Role.SEEKER, Role.EMPLOYER], load_default=Role.SEEKER)


# What registration answers, whether or not the number was free: the answer must not tell a
# stranger which numbers have accounts. The owner of a taken number hears of it in the account.
REGISTERED_MESSAGE = (
    "已受理。请用这个手机号（邮箱）和密码登录。"
    "如果这个号码以前注册过，请用原来的密码登录，账号里会收到一条提醒。"
)


def register(data: dict, *, form: bool = False, elder_mode: bool = False) -> User | None:
    """Self-registration for seekers and employers. Organisers come only from the CLI.

    ``elder_mode``: registered on a device in 长辈版, the account starts in it too.

    Returns the new account, or None if the phone/e-mail already has one. Both cost the same
    (one password hash) and the caller answers both the same way; the existing owner gets a
    notification instead.
    """
    values = load(RegisterSchema(), data, form=form)
    # Both checks run before either refuses, so one submit names every mistake.
    refused: list[DomainError] = []
    try:
        phone, email = normalize_login(values["login"])
    except DomainError as err:
        refused.append(err)
    try:
        check_password_policy(values["password"], values["role"])
    except DomainError as err:
        refused.append(err)
    if len(refused) == 1:
        raise refused[0]
    if refused:
        raise DomainError(
            "".join(e.message for e in refused),
            code=refused[0].code,
            fields={k: v for e in refused for k, v in (e.fields or {}).items()},
        )
    password_hash = hash_password(values["password"])
    existing = find_by_login(values["login"])
    if existing is None:
        user = User(
            role=values["role"],
            phone=phone,
            email=email,
            name=values["name"].strip(),
            password_hash=password_hash,
            elder_mode=elder_mode,
        )
        db.session.add(user)
        try:
            commit_or_conflict("该手机号或邮箱已注册，请直接登录。", code="already_registered")
        except DomainError:
            existing = find_by_login(values["login"])  # registered at the same moment
        else:
            return user
    if existing is not None:
        notify(
            existing.id,
            "system",
            "有人用您的手机号（邮箱）申请注册",
            "刚才有人用您的手机号（邮箱）申请注册新账号。您的账号已经存在，没有新建账号。"
            "如果不是您本人操作，请留意账号安全，必要时修改密码。",
            link="/account/password",
        )
        db.session.commit()
    return None


class LoginSchema(BaseSchema):
    login = Text(required=True, max_len=254)
    password = fields.String(required=True, error_messages={"required": "此项必填。"})


def find_by_login(value: str) -> User | None:
    try:
        phone, email = normalize_login(value)
    except DomainError:
        return None
    if phone:
        return db.session.scalar(db.select(User).filter_by(phone=phone))
    return db.session.scalar(db.select(User).filter_by(email=email))


INVALID_CREDENTIALS = "手机号/邮箱或密码不正确。"


def authenticate(data: dict, *, form: bool = False) -> User:
    """Check credentials. Unknown user and wrong password give the same error."""
    values = load(LoginSchema(), data, form=form)
    user = find_by_login(values["login"])
    if not verify_password(user, values["password"]) or user is None:
        raise DomainError(INVALID_CREDENTIALS, code="invalid_credentials", status=401)
    if not user.is_active:
        # Same message: a suspended account does not reveal itself either.
        raise DomainError(INVALID_CREDENTIALS, code="invalid_credentials", status=401)
    return user


class ChangePasswordSchema(BaseSchema):
    current_password = fields.String(required=True, error_messages={"required": "此项必填。"})
    new_password = Password()


def change_password(user: User, data: dict, *, form: bool = False) -> None:
    """Change the password and end every other session of this user."""
    values = load(ChangePasswordSchema(), data, form=form)
    if not verify_password(user, values["current_password"]):
        raise DomainError(
            "当前密码不正确。",
            code="invalid_credentials",
            status=403,
            fields={"current_password": "当前密码不正确"},
        )
    try:
        check_password_policy(values["new_password"], user.role)
    except DomainError as err:
        err.fields = {"new_password": next(iter(err.fields.values()), err.message)}
        raise
    user.password_hash = hash_password(values["new_password"])
    user.password_changed_at = utcnow()
    user.must_change_password = False
    end_all_sessions(user, keep_current=True)
    db.session.commit()


def create_organiser(login: str, name: str) -> tuple[User, str]:
    """Create an organiser with a random one-time password that must be changed at first login."""
    phone, email = normalize_login(login)
    password = secrets.token_urlsafe(12)
    user = User(
        role=Role.ORGANISER,
        phone=phone,
        email=email,
        name=name.strip()[:50],
        password_hash=hash_password(password),
        must_change_password=True,
    )
    db.session.add(user)
    commit_or_conflict("该手机号或邮箱已注册。", code="already_registered")
    return user, password
