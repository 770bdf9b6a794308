"""五个一批 rules: what each channel asks of a post, who may post it and who may apply.

- 见习岗位 (trainee): the 见习 period in months is part of the post (1–24).
- 公益性岗位 (public_welfare): posted by an organiser, or by an employer an organiser has
  designated; an employer's post is always reviewed by an organiser before it is public. Only
  seekers holding a verified 就业困难人员 or 零就业家庭 status may apply (the predicate is
  ``seekers.status.has_verified_group``). The tenure limit in months is recorded (1–120).
- 机关事业单位录用 and 政府购买岗位基层安排 (事业编制, 三支一扶, 西部计划 …): announcements of a
  public exam with its date and the official link. Nobody applies on the platform.
Fields that do not belong to a post's channel are cleared when it is saved.
"""

from urllib.parse import urlsplit

from jobfair.errors import DomainError, Forbidden
from jobfair.models.common import Channel, PriorityGroup
from jobfair.models.employer import Employer
from jobfair.models.position import Position, PositionGroup
from jobfair.seekers.status import has_verified_group

ANNOUNCEMENT_CHANNELS = frozenset({Channel.PUBLIC_SECTOR, Channel.GRASSROOTS})
PUBLIC_WELFARE_GROUPS = (PriorityGroup.URBAN_HARDSHIP, PriorityGroup.ZERO_EMPLOYMENT_HOUSEHOLD)
EXAM_FIELDS = ("exam_date", "exam_signup_ends", "official_url")

EXAM_ONLY = (
    "事业编制、三支一扶、西部计划等岗位通过公开考试招录，不在本平台投递。"
    "请按招考公告的时间到官方网站报名。"
)
PUBLIC_WELFARE_ONLY = (
    "公益性岗位只面向经认定的就业困难人员和零就业家庭成员。"
    "如您属于这两类人员，请先到所在街道或区人社部门办理认定。"
)
NOT_DESIGNATED = (
    "公益性岗位由人社部门发布，或由人社部门指定的单位发布并经审核后公开。"
    "本单位尚未被指定，请联系当地人社部门。"
)
REVIEW_FLAG = {
    "phrase": "公益性岗位",
    "category": "公益性岗位",
    "field": "channel",
    "rule": "公益性岗位须经组织方审核后公开",
}


def is_announcement(position: Position) -> bool:
    """An exam announcement: shown with its exam dates and link, never applied to here."""
    return position.channel in ANNOUNCEMENT_CHANNELS


def check_can_post(employer: Employer, channel: str) -> None:
    """Ordinary employers may not post 公益性岗位 (organisers post them, or designate)."""
    if channel == Channel.PUBLIC_WELFARE and not employer.public_welfare_designated:
        raise Forbidden(NOT_DESIGNATED)


def _field_error(field: str, message: str) -> DomainError:
    return DomainError(message, code="validation_error", fields={field: message})


def normalise(position: Position) -> None:
    """Clear the fields of other channels, then check what this channel needs."""
    channel = position.channel
    if channel != Channel.TRAINEE:
        position.trainee_months = None
    if channel != Channel.PUBLIC_WELFARE:
        position.tenure_limit_months = None
    if channel not in ANNOUNCEMENT_CHANNELS:
        position.exam_date = position.exam_signup_ends = None
        position.official_url = ""
    if channel == Channel.TRAINEE and not position.trainee_months:
        raise _field_error("trainee_months", "见习岗位请填写见习期（月）。")
    if channel == Channel.PUBLIC_WELFARE:
        if not position.tenure_limit_months:
            raise _field_error("tenure_limit_months", "公益性岗位请填写在岗期限（月）。")
        # Open only to these two groups, whatever else was ticked.
        held = {g.group: g for g in position.groups}
        position.groups = [
            held.get(str(g)) or PositionGroup(group=g) for g in PUBLIC_WELFARE_GROUPS
        ]
    if channel in ANNOUNCEMENT_CHANNELS:
        if position.exam_date is None:
            raise _field_error("exam_date", "招考公告请填写考试日期。")
        if not position.official_url:
            raise _field_error("official_url", "招考公告请填写官方报名网址。")
        if position.exam_signup_ends and position.exam_signup_ends > position.exam_date:
            raise _field_error("exam_signup_ends", "报名截止日期不能晚于考试日期。")


def check_url(value: str) -> None:
    """An official link: http(s) with a host (used by the schema)."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("请填写以 http:// 或 https:// 开头的网址。")


def needs_review(position: Position, reviewed_by_organiser: bool) -> list[dict]:
    """The review flag an employer's 公益性岗位 carries until an organiser approves it."""
    if position.channel == Channel.PUBLIC_WELFARE and not reviewed_by_organiser:
        return [dict(REVIEW_FLAG)]
    return []


def check_can_apply(seeker, position: Position) -> None:
    """Raise the clear Chinese refusal when this seeker may not apply to this post."""
    if is_announcement(position):
        raise DomainError(EXAM_ONLY, code="exam_announcement", status=409)
    if position.channel == Channel.PUBLIC_WELFARE and not has_verified_group(
        seeker, PUBLIC_WELFARE_GROUPS
    ):
        raise Forbidden(PUBLIC_WELFARE_ONLY)


def apply_problem(seeker, position: Position) -> str | None:
    """The refusal as text (for pages that hide the apply button), or None."""
    try:
        check_can_apply(seeker, position)
    except DomainError as err:
        return err.message
    return None
