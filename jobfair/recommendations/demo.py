"""Demo recommendation log, loaded by `flask seed` after the core records.

The fairness view compares how many recommendations each priority group received with its
share of seekers; on a fresh install it needs some history. For every seeker with a profile
this records the top 10 of 为你推荐 as shown on one of the past days, computed by the real
engine. It runs once: when the log already has rows nothing is added.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, select

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models.recommendation import RecommendationLog
from jobfair.models.seeker import SeekerProfile
from jobfair.recommendations.index import get_engine
from jobfair.recommendations.services import LOG_K, seeker_doc


def seed_demo(now: datetime) -> dict[str, int]:
    if db.session.scalar(select(func.count(RecommendationLog.id))):
        return {"推荐记录": 0}
    engine = get_engine()
    made = 0
    db.session.commit()  # end any read transaction so the writes below take the lock first
    with writing():
        profiles = db.session.scalars(select(SeekerProfile).order_by(SeekerProfile.id)).all()
        for i, profile in enumerate(profiles):
            doc = seeker_doc(profile)
            if doc is None:
                continue
            shown = now - timedelta(days=1 + i % 7, hours=i % 11)
            for m in engine.recommend(doc, k=LOG_K):
                db.session.add(
                    RecommendationLog(
                        seeker_user_id=profile.user_id,
                        position_id=m.position_id,
                        source="home",
                        score=float(m.score),
                        created_at=shown,
                    )
                )
                made += 1
        db.session.commit()
    return {"推荐记录": made}
