"""零工: the public board, seekers' sign-ups (another seeker's is 404), an employer's shifts
(another employer's are 404)."""

from datetime import time

PUBLIC = ("ok", "ok", "ok", "ok")
SEEKER_ONLY = ("login", "ok", 403, 403)
OTHER_EMPLOYERS = ("login", 403, 404, 403)
OTHER_SEEKERS = ("login", 404, 403, 403)

ENTRIES = {
    ("gigs.board", "GET"): PUBLIC,
    ("gigs.sign_up", "POST"): SEEKER_ONLY,
    ("gigs.cancel_signup", "POST"): OTHER_SEEKERS,
    ("gigs.mine", "GET"): SEEKER_ONLY,
    ("gigs.position_shifts", "GET"): OTHER_EMPLOYERS,
    ("gigs.position_shifts", "POST"): OTHER_EMPLOYERS,
    ("gigs.roster", "GET"): OTHER_EMPLOYERS,
    ("gigs.cancel_shift", "POST"): OTHER_EMPLOYERS,
    ("gigs.confirm", "POST"): OTHER_EMPLOYERS,
    ("api_gigs.board", "GET"): PUBLIC,
    ("api_gigs.sign_up", "POST"): SEEKER_ONLY,
    ("api_gigs.cancel_signup", "POST"): OTHER_SEEKERS,
    ("api_gigs.mine", "GET"): SEEKER_ONLY,
    ("api_gigs.position_shifts", "GET"): OTHER_EMPLOYERS,
    ("api_gigs.create_shift", "POST"): OTHER_EMPLOYERS,
    ("api_gigs.roster", "GET"): OTHER_EMPLOYERS,
    ("api_gigs.cancel_shift", "POST"): OTHER_EMPLOYERS,
    ("api_gigs.confirm", "POST"): OTHER_EMPLOYERS,
}


def ids(app, ctx) -> dict:
    """A shift of the owner's published position tomorrow, with another seeker signed up."""
    from jobfair.database import writing
    from jobfair.extensions import db
    from jobfair.formatting import local_today
    from jobfair.models import Shift, ShiftSignup

    with app.app_context(), writing():
        from datetime import timedelta

        shift = Shift(
            position_id=ctx["published"].id,
            day=local_today() + timedelta(days=1),
            starts_at=time(8, 0),
            ends_at=time(12, 0),
            district="江宁区",
            place="访问矩阵仓库",
            headcount=5,
            taken=1,
            note="",
            status="open",
        )
        db.session.add(shift)
        db.session.flush()
        signup = ShiftSignup(shift_id=shift.id, seeker_id=ctx["seeker_owner"].id)
        db.session.add(signup)
        db.session.commit()
        return {"shift_id": shift.id, "signup_id": signup.id}
