"""The one predicate for "this seeker holds a verified priority-group status".

Every rule that restricts something to a group (公益性岗位 applications today) asks here.
Until 认定 (verification by a case worker) exists, the status that counts is a group the
seeker holds *with* explicit consent to store it (``SeekerProfile.group_consent``); the
认定 work replaces the body of ``has_verified_group`` and nothing else has to change.
"""

from collections.abc import Iterable

from jobfair.extensions import db
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import User


def has_verified_group(seeker: User, groups: Iterable[str]) -> bool:
    """True when the seeker holds at least one of ``groups`` as a status that counts."""
    wanted = {str(g) for g in groups}
    profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id))
    if profile is None or not profile.group_consent:
        return False
    return bool(wanted & set(profile.group_codes))
