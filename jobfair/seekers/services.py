"""Seeker services: the profile, with consented priority groups (export and deletion: account.py)."""

import re
from datetime import date

from marshmallow import ValidationError as SchemaError
from marshmallow import fields, pre_load, validates_schema

from jobfair import events, reference
from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.formatting import address, iso
from jobfair.masking import mask_phone
from jobfair.matching.text import segment_for_index
from jobfair.models.common import (
    GROUP_LABELS,
    SEEKER_EDUCATION_LABELS,
    WORK_FORM_LABELS,
    Education,
    PriorityGroup,
    WorkForm,
    utcnow,
)
from jobfair.models.occupation import Occupation
from jobfair.models.seeker import SeekerGroup, SeekerOccupation, SeekerProfile
from jobfair.models.user import ADDRESS_FORM_LABELS, AddressForm, Role, User
from jobfair.security import require_confirmed_contact_change
from jobfair.transactions import commit_or_conflict
from jobfair.validation import PHONE_RE, BaseSchema, Bool, Choice, Int, Text, load

MAX_OCCUPATIONS = 5
MAX_DISTRICTS = 5
MAX_SALARY = 1_000_000
MIN_BIRTH_YEAR = 1940
MIN_AGE = 15
CONSENT_TEXT = "我同意平台为匹配岗位和就业帮扶使用我的重点群体身份信息（敏感个人信息）"
GROUPS_WITHOUT_CONSENT = (
    "选择重点群体身份前，请先单独勾选同意平台使用你的重点群体身份信息；本次资料未保存。"
)

# Separators people type between skills or occupations: commas (half/full width), 、, ;, newlines.
_SPLIT_RE = re.compile(r"[,，、;；\n\r]+")
_CODE_RE = re.compile(r"^\s*(\d-\d{2}-\d{2}-\d{2})\b")
# Control characters (NUL breaks PostgreSQL text columns) other than tab and newline.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value):
    """Strip surrounding space and control characters from text input; other values pass."""
    if isinstance(value, str):
        return _CONTROL_RE.sub("", value.replace("\r\n", "\n")).strip()
    return value


def split_items(values) -> list[str]:
    """'焊工、电工, 6-18-02-04' (or a list of such strings) → ['焊工', '电工', '6-18-02-04']."""
    if isinstance(values, str):
        values = [values]
    if values is None:
        values = []
    if not isinstance(values, list | tuple):
        raise DomainError(
            "提交的数据有误：期望职业应为文本或列表。",
            code="validation_error",
            fields={"desired_occupations": "应为列表。"},
        )
    out: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise DomainError(
                "提交的数据有误：期望职业应为文本。",
                code="validation_error",
                fields={"desired_occupations": "应为文本。"},
            )
        for part in _SPLIT_RE.split(clean_text(value)):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def max_birth_year() -> int:
    return date.today().year - MIN_AGE


_LIST_MSGS = {"invalid": "应为列表。", "null": "此项不能为空。"}


def _item() -> fields.String:
    return fields.String(error_messages={"invalid": "应为文本。", "null": "此项不能为空。"})


class ProfileSchema(BaseSchema):
    name = Text(max_len=50)
    phone = Text(max_len=11)
    birth_year = Int(allow_none=True, load_default=None)
    education = Choice(list(Education), load_default=Education.NONE)
    # How reps and live rooms address the seeker; "" = not chosen (then by name only).
    address_form = Choice(["", *AddressForm], load_default="")
    major = Text(max_len=100)
    skills = Text(max_len=500)
    experience = Text(max_len=5000)
    desired_occupations = fields.Raw(load_default=list)
    districts = fields.List(_item(), load_default=list, error_messages=_LIST_MSGS)
    salary_min = Int(min_value=0, max_value=MAX_SALARY, allow_none=True, load_default=0)
    work_forms = fields.List(_item(), load_default=list, error_messages=_LIST_MSGS)
    intro = Text(max_len=2000)
    discoverable = Bool(load_default=False)
    groups = fields.List(_item(), load_default=list, error_messages=_LIST_MSGS)
    group_consent = Bool(load_default=False)
    # Where the person lives (户籍 / 常住 and 街道), apart from where they wish to work.
    hukou_district = Text(max_len=50)
    residence_district = Text(max_len=50)
    residence_street = Text(max_len=50)

    @pre_load
    def _clean(self, data, **_kw):
        if not isinstance(data, dict):
            return data
        out = {k: clean_text(v) for k, v in data.items()}
        for key in ("birth_year", "salary_min"):
            if out.get(key) == "":
                out[key] = None
        if out.get("education") == "":
            out["education"] = str(Education.NONE)
        if isinstance(out.get("skills"), str):
            # One spelling for the list, so matching and display agree.
            out["skills"] = "、".join(split_items(out["skills"]))
        for key in ("districts", "work_forms", "groups"):
            if isinstance(out.get(key), list) and all(isinstance(x, str) for x in out[key]):
                out[key] = list(dict.fromkeys(clean_text(x) for x in out[key] if x != ""))
        return out

    # Runs even when a field failed, so one submit lists every mistake on the form.
    @validates_schema(skip_on_field_errors=False)
    def _rules(self, data, **_kw):
        errors: dict[str, str] = {}
        phone = data.get("phone")
        if phone and not PHONE_RE.match(phone):
            errors["phone"] = "请输入 11 位手机号，例如 13812345678。"
        year = data.get("birth_year")
        if year is not None and not (MIN_BIRTH_YEAR <= year <= max_birth_year()):
            errors["birth_year"] = f"应在 {MIN_BIRTH_YEAR} 到 {max_birth_year()} 之间。"
        if "districts" in data:
            allowed = set(reference.districts())
            if any(d not in allowed for d in data["districts"]):
                errors["districts"] = "请选择本市的区。"
            elif len(data["districts"]) > MAX_DISTRICTS:
                errors["districts"] = f"最多选择 {MAX_DISTRICTS} 个区。"
        for key in ("hukou_district", "residence_district"):
            if data.get(key) and data[key] not in set(reference.districts()):
                errors[key] = "请选择本市的区。"
        if "work_forms" in data and any(w not in set(WorkForm) for w in data["work_forms"]):
            errors["work_forms"] = "不是可选的用工形式。"
        if "groups" in data and any(g not in set(PriorityGroup) for g in data["groups"]):
            errors["groups"] = "不是可选的重点群体。"
        if errors:
            raise SchemaError(errors)


def get_profile(user: User) -> SeekerProfile | None:
    return db.session.scalar(db.select(SeekerProfile).filter_by(user_id=user.id))


def resolve_occupations(items) -> list[Occupation]:
    """Turn codes ('6-18-02-04'), names ('焊工') or 'code name' into level-4 occupations."""
    wanted = split_items(items)
    found: list[Occupation] = []
    unknown: list[str] = []
    for item in wanted:
        occ = None
        m = _CODE_RE.match(item)
        if m:
            occ = db.session.scalar(db.select(Occupation).filter_by(code=m.group(1), level=4))
        else:
            occ = db.session.scalar(
                db.select(Occupation).filter_by(name=item, level=4).order_by(Occupation.code)
            )
            if occ is None and len(item) <= 50:
                # Common job-board titles ("电焊工") are stored as comma-separated aliases.
                candidates = db.session.scalars(
                    db.select(Occupation)
                    .filter(
                        Occupation.level == 4, Occupation.aliases.contains(item, autoescape=True)
                    )
                    .order_by(Occupation.code)
                ).all()
                occ = next((c for c in candidates if item in c.aliases.split(",")), None)
        if occ is None:
            unknown.append(item[:30])
        elif occ not in found:
            found.append(occ)
    if unknown:
        raise DomainError(
            "没有找到这些职业：" + "、".join(unknown) + "。请填写职业名称（如“焊工”）或职业编码。",
            code="validation_error",
            fields={"desired_occupations": "没有找到：" + "、".join(unknown)},
        )
    if len(found) > MAX_OCCUPATIONS:
        raise DomainError(
            f"期望职业最多填写 {MAX_OCCUPATIONS} 个。",
            code="validation_error",
            fields={"desired_occupations": f"最多 {MAX_OCCUPATIONS} 个"},
        )
    return found


def index_profile(profile: SeekerProfile, occupations: list[Occupation]) -> None:
    """Name-free text of the profile, segmented once when written, for later matching."""
    profile.search_tokens = segment_for_index(
        profile.major,
        profile.skills.replace("、", " "),
        profile.experience,
        profile.intro,
        " ".join(o.name for o in occupations),
    )


def save_profile(
    user: User, data: dict, *, form: bool = False, confirmed: bool = True
) -> SeekerProfile:
    """Create or update the seeker's profile.

    ``confirmed``: the password was re-typed recently (views pass
    security.recently_confirmed(); trusted callers such as the CLI and demo data leave it);
    without it a stored phone number cannot be replaced.

    From the HTML form every field is present (a full update). From the API, fields left
    out keep their stored value. Priority groups are only stored with the separate consent;
    ticking groups without it refuses the whole save, and withdrawing it deletes them.
    """
    if user.role != Role.SEEKER:
        raise DomainError("只有求职者可以填写求职资料。", code="forbidden", status=403)
    values = load(ProfileSchema(), data, partial=not form, form=form)
    occupations = None
    if "desired_occupations" in values:
        occupations = resolve_occupations(values["desired_occupations"])

    profile = get_profile(user)
    require_confirmed_contact_change(
        confirmed, profile.phone if profile else None, values.get("phone")
    )
    had_consent = bool(profile and profile.group_consent)
    consent = values.get("group_consent", had_consent)
    if "groups" in values:
        groups = values["groups"]
    else:
        groups = profile.group_codes if profile and consent else []
    if groups and not consent:
        raise DomainError(
            GROUPS_WITHOUT_CONSENT,
            code="consent_required",
            fields={"group_consent": "请先勾选同意，或取消所选的重点群体"},
        )

    if profile is None:
        # Column defaults only apply on INSERT; a partial API save reads them before that.
        profile = SeekerProfile(
            user_id=user.id,
            name="",
            phone="",
            education=str(Education.NONE),
            major="",
            skills="",
            experience="",
            districts=[],
            hukou_district="",
            residence_district="",
            residence_street="",
            consent_note="",
            salary_min=0,
            work_forms=[],
            intro="",
            discoverable=False,
            group_consent=False,
        )
        db.session.add(profile)
    for key in (
        "name",
        "phone",
        "birth_year",
        "education",
        "major",
        "skills",
        "experience",
        "districts",
        "work_forms",
        "intro",
        "discoverable",
        "hukou_district",
        "residence_district",
        "residence_street",
    ):
        if key in values:
            setattr(profile, key, values[key])
    if "salary_min" in values:
        profile.salary_min = values["salary_min"] or 0
    if "address_form" in values:
        user.address_form = values["address_form"]
    if occupations is not None:
        profile.occupations = [SeekerOccupation(occupation_code=o.code) for o in occupations]
    else:
        occupations = occupations_of(profile)

    if consent:
        profile.group_consent = True
        if not had_consent or profile.group_consent_at is None:
            profile.group_consent_at = utcnow()
        if sorted(groups) != profile.group_codes:
            # Keep the rows (and any 认定 on them) of groups still ticked; new ones are 本人申报.
            keep = [g for g in profile.groups if g.group in set(groups)]
            have = {g.group for g in keep}
            profile.groups = keep + [SeekerGroup(group=g) for g in sorted(set(groups) - have)]
    else:
        profile.group_consent = False
        profile.group_consent_at = None
        profile.groups = []

    index_profile(profile, occupations)
    profile.updated_at = utcnow()
    events.seeker_profile_saved.send(profile)
    # Two first saves at the same moment (two tabs): the unique user_id keeps one.
    commit_or_conflict("资料刚刚在别处保存过，请刷新页面后重试。", code="profile_conflict")
    return profile


def occupations_of(profile: SeekerProfile | None) -> list[Occupation]:
    codes = profile.desired_occupations if profile else []
    if not codes:
        return []
    rows = db.session.scalars(db.select(Occupation).filter(Occupation.code.in_(codes))).all()
    by_code = {o.code: o for o in rows}
    return [by_code[c] for c in codes if c in by_code]


def has_contact(profile: SeekerProfile | None) -> bool:
    """Applying shares name and phone with the employer, so both must be filled in."""
    return bool(profile and profile.name.strip() and profile.phone)


# Fields counted for the completeness meter, with what to tell the seeker when missing.
_COMPLETENESS = (
    ("name", "姓名"),
    ("phone", "手机号"),
    ("birth_year", "出生年份"),
    ("education", "学历"),
    ("major", "专业"),
    ("skills", "技能"),
    ("experience", "工作经历"),
    ("desired_occupations", "期望职业"),
    ("districts", "期望区域"),
    ("salary_min", "期望月薪"),
    ("work_forms", "用工形式"),
    ("intro", "自我介绍"),
)


def completeness(profile: SeekerProfile | None) -> tuple[int, list[str]]:
    """(percent filled, labels of what is missing)."""
    missing = []
    for key, text in _COMPLETENESS:
        value = getattr(profile, key, None) if profile else None
        if key == "education" and value == Education.NONE:
            value = None
        if not value:
            missing.append(text)
    done = len(_COMPLETENESS) - len(missing)
    return round(100 * done / len(_COMPLETENESS)), missing


# --- serialisation ----------------------------------------------------------------------


def profile_dict(
    profile: SeekerProfile | None,
    *,
    owner: bool,
    reveal_contact: bool = False,
    user: User | None = None,
):
    """The profile as JSON. Only the owner sees priority groups; the full phone number is
    shown to the owner and, with reveal_contact, to an employer the seeker applied to."""
    occupations = occupations_of(profile)
    phone = profile.phone if profile else ""
    account = user or (profile.user if profile else None)
    form = account.address_form if account is not None else ""
    out = {
        "exists": profile is not None,
        "name": profile.name if profile else "",
        "address_form": form,
        "address_form_label": ADDRESS_FORM_LABELS.get(form, "未选择（只称呼姓名）"),
        "address": address(profile.name if profile else "", form),
        "phone": phone if (owner or reveal_contact) else mask_phone(phone),
        "birth_year": profile.birth_year if profile else None,
        "education": profile.education if profile else str(Education.NONE),
        "education_label": SEEKER_EDUCATION_LABELS.get(
            profile.education if profile else Education.NONE, ""
        ),
        "major": profile.major if profile else "",
        "skills": profile.skills if profile else "",
        "experience": profile.experience if profile else "",
        "desired_occupations": [
            {
                "code": o.code,
                "name": reference.occupation_display_name(o.name),
                "marks": reference.occupation_marks(o.code),
            }
            for o in occupations
        ],
        "districts": list(profile.districts) if profile else [],
        "salary_min": profile.salary_min if profile else 0,
        "work_forms": list(profile.work_forms) if profile else [],
        "work_form_labels": [WORK_FORM_LABELS.get(w, w) for w in (profile.work_forms or [])]
        if profile
        else [],
        "intro": profile.intro if profile else "",
        "updated_at": iso(profile.updated_at) if profile else None,
    }
    if owner:
        out["discoverable"] = bool(profile and profile.discoverable)
        out["group_consent"] = bool(profile and profile.group_consent)
        out["group_consent_at"] = iso(profile.group_consent_at) if profile else None
        out["groups"] = profile.group_codes if profile else []
        out["group_labels"] = [GROUP_LABELS.get(g, g) for g in out["groups"]]
        # 本人申报 or 认定: the seeker sees which of their statuses count.
        out["group_status"] = [
            {
                "group": g.group,
                "label": GROUP_LABELS.get(g.group, g.group),
                "source": g.source,
                "verified_on": g.verified_on.isoformat() if g.verified_on else None,
                "valid_until": g.valid_until.isoformat() if g.valid_until else None,
            }
            for g in sorted(profile.groups if profile else [], key=lambda g: g.group)
        ]
        out["hukou_district"] = profile.hukou_district if profile else ""
        out["residence_district"] = profile.residence_district if profile else ""
        out["residence_street"] = profile.residence_street if profile else ""
        out["completeness"] = completeness(profile)[0]
    return out
