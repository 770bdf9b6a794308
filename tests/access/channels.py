"""Channels: posters, QR images and feeds are public (published objects only)."""

from datetime import timedelta

PUBLIC = ("ok", "ok", "ok", "ok")

ENTRIES = {
    ("channels.position_poster", "GET"): PUBLIC,
    ("channels.position_qr", "GET"): PUBLIC,
    ("channels.fair_poster", "GET"): PUBLIC,
    ("channels.fair_qr", "GET"): PUBLIC,
    ("channels.feed_rss", "GET"): PUBLIC,
    ("channels.feed_json", "GET"): PUBLIC,
}


def ids(app, ctx) -> dict:
    """A published fair for the fair poster (position posters use the world's published one)."""
    from jobfair.database import writing
    from jobfair.extensions import db
    from jobfair.models import Fair
    from jobfair.models.common import utcnow

    with app.app_context(), writing():
        now = utcnow()
        fair = Fair(
            title="渠道测试招聘会",
            status="published",
            starts_at=now,
            ends_at=now + timedelta(days=1),
        )
        db.session.add(fair)
        db.session.commit()
        return {"poster_fair_id": fair.id}
