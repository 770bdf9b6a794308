"""Fairs: public fair/booth pages, seeker registration, employer booths and reps, organiser
management. Objects belong to another employer; the live session is already live, so the
matrix's delete/update requests are refused (409) instead of removing it for later routes."""

from datetime import timedelta

PUBLIC = ("ok", "ok", "ok", "ok")
SEEKER_ONLY = ("login", "ok", 403, 403)
EMPLOYER_ONLY = ("login", 403, "ok", 403)
ORGANISER_ONLY = ("login", 403, 403, "ok")
OTHER_EMPLOYERS = ("login", 403, 404, 403)

ENTRIES = {
    # public and seeker pages
    ("fairs.index", "GET"): PUBLIC,
    ("fairs.detail", "GET"): PUBLIC,
    ("fairs.booth", "GET"): PUBLIC,
    ("fairs.register", "POST"): SEEKER_ONLY,
    ("fairs.unregister", "POST"): SEEKER_ONLY,
    ("fairs.mine", "GET"): SEEKER_ONLY,
    ("fairs.attend", "POST"): SEEKER_ONLY,
    ("fairs.checkin_code", "GET"): SEEKER_ONLY,
    # on-site check-in: organisers and booth staff (others are sent back to the fair page)
    ("fairs.checkin", "GET"): ("login", 403, "ok", "ok"),
    ("fairs.checkin", "POST"): ("login", 403, "ok", "ok"),
    ("api_attendance.join_online", "POST"): SEEKER_ONLY,
    ("api_attendance.checkin_code", "GET"): SEEKER_ONLY,
    ("api_attendance.check_in", "POST"): ("login", 403, 403, "ok"),
    # employer pages
    ("fairs.my_booths", "GET"): EMPLOYER_ONLY,
    ("fairs.employer_fairs", "GET"): EMPLOYER_ONLY,
    ("fairs.apply_booth", "GET"): EMPLOYER_ONLY,
    ("fairs.apply_booth", "POST"): EMPLOYER_ONLY,
    ("fairs.edit_booth", "GET"): OTHER_EMPLOYERS,
    ("fairs.edit_booth", "POST"): OTHER_EMPLOYERS,
    ("fairs.reps", "GET"): EMPLOYER_ONLY,
    ("fairs.reps", "POST"): EMPLOYER_ONLY,
    ("fairs.remove_rep", "POST"): OTHER_EMPLOYERS,
    # organiser pages
    ("fairs.manage_list", "GET"): ORGANISER_ONLY,
    ("fairs.new_fair", "GET"): ORGANISER_ONLY,
    ("fairs.new_fair", "POST"): ORGANISER_ONLY,
    ("fairs.manage_fair", "GET"): ORGANISER_ONLY,
    ("fairs.edit_fair", "GET"): ORGANISER_ONLY,
    ("fairs.edit_fair", "POST"): ORGANISER_ONLY,
    ("fairs.publish_fair", "POST"): ORGANISER_ONLY,
    ("fairs.close_fair", "POST"): ORGANISER_ONLY,
    ("fairs.booth_review", "GET"): ORGANISER_ONLY,
    ("fairs.approve_booth", "POST"): ORGANISER_ONLY,
    ("fairs.decline_booth", "POST"): ORGANISER_ONLY,
    ("fairs.registrations", "GET"): ORGANISER_ONLY,
    ("fairs.new_session", "GET"): ORGANISER_ONLY,
    ("fairs.new_session", "POST"): ORGANISER_ONLY,
    ("fairs.edit_session", "GET"): ORGANISER_ONLY,
    ("fairs.edit_session", "POST"): ORGANISER_ONLY,
    ("fairs.delete_session", "POST"): ORGANISER_ONLY,
    # API
    ("api_fairs.list_fairs", "GET"): PUBLIC,
    ("api_fairs.get_fair", "GET"): PUBLIC,
    ("api_fairs.list_booths", "GET"): PUBLIC,
    ("api_fairs.get_booth", "GET"): PUBLIC,
    ("api_fairs.list_sessions", "GET"): PUBLIC,
    ("api_fairs.register", "POST"): SEEKER_ONLY,
    ("api_fairs.unregister", "DELETE"): SEEKER_ONLY,
    ("api_fairs.mine", "GET"): SEEKER_ONLY,
    ("api_fairs.my_booths", "GET"): EMPLOYER_ONLY,
    ("api_fairs.apply_booth", "POST"): EMPLOYER_ONLY,
    ("api_fairs.update_booth", "PATCH"): OTHER_EMPLOYERS,
    ("api_fairs.manage_list", "GET"): ORGANISER_ONLY,
    ("api_fairs.create_fair", "POST"): ORGANISER_ONLY,
    ("api_fairs.update_fair", "PATCH"): ORGANISER_ONLY,
    ("api_fairs.publish_fair", "POST"): ORGANISER_ONLY,
    ("api_fairs.close_fair", "POST"): ORGANISER_ONLY,
    ("api_fairs.booth_applications", "GET"): ORGANISER_ONLY,
    ("api_fairs.approve_booth", "POST"): ORGANISER_ONLY,
    ("api_fairs.decline_booth", "POST"): ORGANISER_ONLY,
    ("api_fairs.registrations", "GET"): ORGANISER_ONLY,
    ("api_fairs.create_session", "POST"): ORGANISER_ONLY,
    ("api_fairs.update_session", "PATCH"): ORGANISER_ONLY,
    ("api_fairs.delete_session", "DELETE"): ORGANISER_ONLY,
}


def ids(app, ctx) -> dict:
    """An ongoing published fair with another employer's approved booth, a live session and
    a rep account of that employer. Stored in ctx["fairs"] for features that build on it."""
    from jobfair.database import writing
    from jobfair.extensions import db
    from jobfair.models import Booth, BoothPosition, EmployerRep, Fair, LiveSession
    from jobfair.models.common import utcnow

    owner = ctx["owner"]
    rep_user = ctx["make_user"](role="employer", name="访问矩阵代表")
    organiser = ctx["make_user"](role="organiser", name="访问矩阵主持人")
    with app.app_context(), writing():
        now = utcnow()
        fair = Fair(
            title="访问矩阵招聘会",
            status="published",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=1),
        )
        db.session.add(fair)
        db.session.flush()
        booth = Booth(fair_id=fair.id, employer_id=owner.id, status="approved", decided_at=now)
        booth.position_links = [BoothPosition(position_id=ctx["published"].id)]
        session = LiveSession(
            fair_id=fair.id,
            title="访问矩阵直播",
            host_user_id=organiser.id,
            starts_at=now - timedelta(minutes=30),
            ends_at=now + timedelta(hours=1),
            status="live",
        )
        rep = EmployerRep(employer_id=owner.id, user_id=rep_user.id)
        db.session.add_all([booth, session, rep])
        db.session.commit()
        out = {
            "fair_id": fair.id,
            "booth_id": booth.id,
            "session_id": session.id,
            "rep_id": rep.id,
        }
    ctx["fairs"] = dict(out, rep_user=rep_user, host=organiser)
    return out
