"""Background jobs of the matching feature: the nightly index rebuild."""

from jobfair import jobs
from jobfair.database import writing
from jobfair.extensions import db
from jobfair.recommendations import index


def rebuild_match_index() -> dict:
    """Rebuild and persist the matching index (what `flask match rebuild` does), then prune
    the change log; web processes load the saved file when they start."""
    jobs.progress(0, 3, "正在重建匹配索引", force=True)
    index.build()
    holder = index._holder()
    jobs.progress(1, 3, "正在保存", force=True)
    path = index.save(holder)
    db.session.commit()
    with writing():
        pruned = index.prune_changes()
        db.session.commit()
    return {"positions": holder.stats["positions"], "version": holder.version, "path": path,
            "pruned": pruned}  # fmt: skip
