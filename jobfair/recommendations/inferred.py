"""Occupations inferred from a seeker's words while they wish for none: stored, kept current.

A profile without a wished occupation still says what work it is about (电焊、氩弧焊；在机械厂
干了五年). Its likely occupations, with calibrated confidences, are stored apart from the wished
ones (seeker_inferred_occupations) whenever the profile is saved and by `flask match rebuild`;
the matching engine weighs them by confidence and its reasons say 推测职业.
"""

from sqlalchemy import select

from jobfair.extensions import db
from jobfair.matching import infer_occupations_for_many
from jobfair.models.seeker import SeekerInferredOccupation, SeekerProfile

BATCH = 500


def seeker_text(profile: SeekerProfile) -> str:
    """The words inference reads, most telling first (skills, then major, intro, experience)."""
    parts = (profile.skills, profile.major, profile.intro, profile.experience)
    return " ".join(p.strip() for p in parts if p and p.strip())


def refresh_seekers(profiles: list[SeekerProfile]) -> int:
    """Recompute the inferred occupations of these profiles (inside the caller's transaction).

    Returns how many profiles changed. Profiles with a wished occupation keep none.
    """
    need = [p for p in profiles if not p.desired_occupations and seeker_text(p)]
    guesses = dict(
        zip(
            [p.id for p in need],
            infer_occupations_for_many([seeker_text(p) for p in need]),
            strict=True,
        )
    )
    changed = 0
    for profile in profiles:
        new = tuple((c, round(float(p), 3)) for c, p in guesses.get(profile.id, ()) if p > 0)
        if new == tuple((c, round(p, 3)) for c, p in profile.inferred_occupations):
            continue
        profile.inferred = [
            SeekerInferredOccupation(occupation_code=c, confidence=min(1.0, p)) for c, p in new
        ]
        changed += 1
    return changed


def refresh_all_seekers() -> int:
    """refresh_seekers over every profile, in batches (flask match rebuild)."""
    changed = 0
    last = 0
    while True:
        batch = db.session.scalars(
            select(SeekerProfile)
            .where(SeekerProfile.id > last)
            .order_by(SeekerProfile.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return changed
        changed += refresh_seekers(list(batch))
        last = batch[-1].id
