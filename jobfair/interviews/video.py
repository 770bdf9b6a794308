"""平台视频面试: a scheduled interview's two parties (the seeker and whoever arranged it) may
call each other over the live layer's WebRTC signalling, from 30 minutes before the start until
an hour after its planned end."""

from datetime import timedelta

from jobfair.errors import Conflict, NotFound
from jobfair.interviews.services import employer_party, interview_for
from jobfair.live import calls
from jobfair.models.common import utcnow
from jobfair.models.interview import InterviewMode, InterviewStatus, ScheduledInterview
from jobfair.models.user import User

OPENS_BEFORE = timedelta(minutes=30)
CLOSES_AFTER = timedelta(hours=1)


def window(iv: ScheduledInterview) -> tuple:
    return iv.starts_at - OPENS_BEFORE, iv.starts_at + timedelta(minutes=iv.minutes) + CLOSES_AFTER


def video_interview(user: User, interview_id) -> ScheduledInterview:
    """A 平台视频 interview the user is a party to (404 for anyone else or another mode)."""
    iv = interview_for(user, interview_id)
    if iv.mode != InterviewMode.PLATFORM or user.id not in (iv.seeker_user_id, employer_party(iv)):
        raise NotFound("视频面试不存在。")
    return iv


def _interview_call(user: User, interview_id: int) -> calls.CallRoom:
    iv = video_interview(user, interview_id)
    if iv.status not in (InterviewStatus.ACCEPTED, InterviewStatus.PROPOSED):
        raise Conflict("这场面试已取消或改期，不能视频通话。", code="interview_closed")
    opens, closes = window(iv)
    now = utcnow()
    if now < opens:
        raise Conflict("面试开始前 30 分钟才能进入视频面试。", code="interview_not_open")
    if now > closes:
        raise Conflict("面试时间已过，视频面试已结束。", code="interview_over")
    return calls.CallRoom("interview", iv.id, (iv.seeker_user_id, employer_party(iv)))


calls.register_kind("interview", _interview_call)
