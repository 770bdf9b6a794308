"""What a live page missed while it was closed or offline: announcements after the numbers it
last saw, per scope ("fair:<id>", "session:<id>").

Every live page (lobby, 我的排队, 1:1 chat, 直播带岗 room, booth desk) renders the recent
announcements of its scopes and, on opening and on every reconnect, sends the last number it
saw of each scope (remembered in the browser); the server answers with everything after it,
paged. The scopes always come from the server's own reading of the page (the fairs of the
seeker's queues, the chat's fair…), never from the client, so a client cannot read another
fair's announcements by naming it.
"""

from jobfair.errors import DomainError
from jobfair.extensions import db
from jobfair.live import access, queries
from jobfair.live.serializers import announcement_dict
from jobfair.models.live import Announcement

RECENT_PER_SCOPE = 10


def fair_scope(fair_id: int) -> str:
    return f"fair:{fair_id}"


def recent(scopes: list[str], limit: int = RECENT_PER_SCOPE) -> list[dict]:
    """The newest announcements of each scope, oldest first (what a page renders)."""
    rows: list[Announcement] = []
    for scope in dict.fromkeys(scopes):
        got = db.session.scalars(
            db.select(Announcement)
            .filter(*queries.scope_filter(scope))
            .order_by(Announcement.seq.desc())
            .limit(limit)
        ).all()
        rows.extend(got)
    return [announcement_dict(a) for a in sorted(rows, key=lambda a: a.id)]


def since(scopes: list[str], seqs) -> tuple[list[dict], bool]:
    """(announcements after the client's last number per scope — the recent ones for a scope
    it sent no number for —, whether a scope has more pages to ask for)."""
    seqs = seqs if isinstance(seqs, dict) else {}
    rows: list[Announcement] = []
    more = False
    fresh = []
    for scope in dict.fromkeys(scopes):
        have = queries.parse_seq(seqs.get(scope))
        if have is None:
            fresh.append(scope)
            continue
        got, more_here = queries.announcements_after(scope, have)
        rows.extend(got)
        more = more or more_here
    out = [announcement_dict(a) for a in sorted(rows, key=lambda a: a.id)]
    if fresh:
        out = sorted(out + recent(fresh), key=lambda a: a["id"])
    return out, more


def page_after(scopes: list[str], scope, after_seq) -> dict:
    """One further page of a scope the page is entitled to (a long gap)."""
    if scope not in scopes:
        raise DomainError("公告范围不正确。", code="bad_request", status=400)
    rows, more = queries.announcements_after(scope, after_seq)
    return {"announcements": [announcement_dict(a) for a in rows], "more": more}


def public_fair_page(scope, after_seq) -> dict:
    """A page of a public fair's announcements (public, as on the fair's lobby)."""
    if not isinstance(scope, str) or not scope.startswith("fair:"):
        raise DomainError("公告范围不正确。", code="bad_request", status=400)
    fair = access.public_fair(scope.partition(":")[2])
    return page_after([fair_scope(fair.id)], fair_scope(fair.id), after_seq)
