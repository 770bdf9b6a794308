"""The one predicate for "this seeker holds a verified priority-group status".

Every rule that restricts something to a group (公益性岗位 applications, group-restricted
fairs) asks here. A status counts when the seeker consented to store it and a case worker of
their district recorded its 认定 (evidence, date, validity; see casework.status), valid today;
a group the seeker only ticked (本人申报) is a request, not a status.
"""

from collections.abc import Iterable

from jobfair.extensions import db
from jobfair.formatting import local_today
from jobfair.models.seeker import SeekerProfile
from jobfair.models.user import User


def has_verified_group(seeker: User, groups: Iterable[str]) -> bool:
    """True when the seeker holds at least one of ``groups`` as a status that counts."""
    wanted = {str(g) for g in groups}
    profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id))
    if profile is None:
        return False
    return bool(wanted & profile.verified_groups(local_today()))
