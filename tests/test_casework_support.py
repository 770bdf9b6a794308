"""The casework makers in conftest.py build what the casework tests expect."""

from jobfair.extensions import db


def test_support_makers_build_a_consenting_seeker_and_a_worker(
    app, make_priority_seeker, make_worker
):
    from jobfair.casework import access, queries
    from jobfair.models import SeekerProfile, User

    seeker = make_priority_seeker(groups=("retired_fisher",), district="六合区")
    worker = make_worker(districts=("六合区",))
    with app.app_context():
        profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id))
        assert queries.seeker_district(profile) == "六合区"
        assert queries.consented_groups(profile) == {"retired_fisher"}
        assert access.covers(db.session.get(User, worker.id), "六合区")
        assert not access.covers(db.session.get(User, worker.id), "江宁区")
