"""Skill gaps: positions a seeker nearly matches but for a skill, and the courses teaching it.

How a gap is found (the matching layer stays as it is; this reads its words and its ranking):
1. The matching engine ranks open positions for the seeker (为你推荐); those scoring at least
   NEAR_SCORE are near matches.
2. Every skill phrase of an open course is turned into matching terms (jieba words, with the
   search synonyms and sub-words as alternatives, jobfair.matching.text.expand_terms).
3. A phrase is *asked for* by a position when the position's words contain it, and *had* by
   the seeker when their profile's words (major, skills, experience, introduction) or a course
   they already passed contain it.
4. A near match asking for one or two phrases the seeker lacks is a gap; the open courses
   teaching those phrases are offered. More than MAX_MISSING missing skills is no near match.
"""

from dataclasses import dataclass, field

from jobfair.extensions import db
from jobfair.matching.text import expand_terms, segment_for_index, segment_query
from jobfair.models.position import Position
from jobfair.models.seeker import SeekerProfile
from jobfair.models.training import Course, CourseStatus, Enrolment, EnrolmentStatus
from jobfair.recommendations.index import get_engine
from jobfair.recommendations.services import percent, seeker_doc
from jobfair.training.courses import enrolment_problem
from jobfair.training.facts import completed_courses

NEAR_SCORE = 0.25  # engine score from which a position counts as nearly matched
POOL = 40  # positions ranked for the seeker before looking for gaps
MAX_MISSING = 2  # skills a near match may lack and still be "but for a skill"
MAX_GAPS = 10


@dataclass
class Gap:
    position: Position
    score: float
    missing: list[str]
    courses: list[Course] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return percent(self.score)


def _terms(phrase: str):
    return expand_terms(segment_query(phrase))


def _contains(tokens: set[str], terms) -> bool:
    """All terms of the phrase occur, each through any one of its alternatives."""
    return bool(terms) and all(any(all(t in tokens for t in alt) for alt in term) for term in terms)


def _position_tokens(position: Position) -> set[str]:
    stored = position.search_tokens or segment_for_index(
        position.title, position.description or "", position.requirements or ""
    )
    return set(stored.split())


def seeker_tokens(profile: SeekerProfile) -> set[str]:
    texts = [profile.major, profile.skills, profile.experience, profile.intro]
    for done in completed_courses(profile.user_id):
        texts.extend(done.skills)
    return set(segment_for_index(*(t for t in texts if t)).split())


def open_courses() -> list[Course]:
    rows = db.session.scalars(
        db.select(Course)
        .where(Course.status == CourseStatus.OPEN)
        .order_by(Course.starts_on, Course.id)
    )
    return [c for c in rows if enrolment_problem(c) is None]


def skill_gaps(profile: SeekerProfile | None, limit: int = MAX_GAPS) -> list[Gap]:
    """The seeker's near-match positions that lack one or two skills an open course teaches."""
    doc = seeker_doc(profile) if profile is not None else None
    if doc is None:
        return []
    matches = [m for m in get_engine().recommend(doc, k=POOL) if m.score >= NEAR_SCORE]
    if not matches:
        return []
    positions = {
        p.id: p
        for p in db.session.scalars(
            db.select(Position).where(Position.id.in_([m.position_id for m in matches]))
        )
        if p.is_public
    }
    taken = set(
        db.session.scalars(
            db.select(Enrolment.course_id).where(
                Enrolment.seeker_id == profile.user_id,
                Enrolment.status != EnrolmentStatus.WITHDRAWN,
            )
        )
    )
    courses = [c for c in open_courses() if c.id not in taken]
    teaching: dict[str, list[Course]] = {}
    for course in courses:
        for phrase in course.skills or []:
            teaching.setdefault(phrase, []).append(course)
    terms = {phrase: _terms(phrase) for phrase in teaching}
    have = seeker_tokens(profile)
    known = {phrase for phrase, t in terms.items() if _contains(have, t)}
    gaps = []
    for m in matches:
        pos = positions.get(m.position_id)
        if pos is None:
            continue
        words = _position_tokens(pos)
        missing = [p for p, t in terms.items() if p not in known and _contains(words, t)]
        if not missing or len(missing) > MAX_MISSING:
            continue
        offered: dict[int, Course] = {}
        for phrase in missing:
            for course in teaching[phrase]:
                offered.setdefault(course.id, course)
        gaps.append(Gap(pos, float(m.score), missing, list(offered.values())))
        if len(gaps) >= limit:
            break
    return gaps


def gap_dict(gap: Gap) -> dict:
    pos = gap.position
    return {
        "position": {
            "id": pos.id,
            "title": pos.title,
            "employer": pos.employer.name if pos.employer else "",
            "district": pos.district,
        },
        "percent": gap.percent,
        "missing_skills": list(gap.missing),
        "courses": [
            {
                "id": c.id,
                "title": c.title,
                "provider": c.provider,
                "starts_on": c.starts_on.isoformat(),
                "seats_left": c.seats_left,
                "teaches": [s for s in c.skills if s in gap.missing],
            }
            for c in gap.courses
        ],
    }
