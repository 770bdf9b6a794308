"""Scheduled interviews, invitations and the after-fair survey.

Objects belong to other people: an interview the owner employer arranged for seeker_owner's
application, an invitation from the owner to seeker_owner, the owner's booth (tests/access/
fairs.py). The survey needs a registration or a booth at the fair, which the test roles lack."""

SIGNED_IN = ("login", "ok", "ok", "ok")
SEEKER_ONLY = ("login", "ok", 403, 403)
EMPLOYER_ONLY = ("login", 403, "ok", 403)
ORGANISER_ONLY = ("login", 403, 403, "ok")
OTHER_EMPLOYERS = ("login", 403, 404, 403)
OTHER_SEEKERS = ("login", 404, 403, 403)
PARTIES = ("login", 404, 404, 404)
PARTICIPANTS_ONLY = ("login", 403, 403, 403)
SEEKERS_AND_EMPLOYERS = ("login", "ok", "ok", 403)

ENTRIES = {
    ("interviews.seeker_list", "GET"): SEEKER_ONLY,
    ("interviews.respond", "POST"): OTHER_SEEKERS,
    ("interviews.ics", "GET"): PARTIES,
    ("interviews.video_page", "GET"): PARTIES,
    ("interviews.employer_list", "GET"): EMPLOYER_ONLY,
    ("interviews.create", "POST"): OTHER_EMPLOYERS,
    ("interviews.change", "POST"): OTHER_EMPLOYERS,
    ("interviews.cancel", "POST"): OTHER_EMPLOYERS,
    ("interviews.seeker_invitations", "GET"): SEEKER_ONLY,
    ("interviews.answer_invitation", "POST"): OTHER_SEEKERS,
    ("interviews.queue_from_invitation", "POST"): OTHER_SEEKERS,
    ("interviews.employer_invitations", "GET"): EMPLOYER_ONLY,
    ("interviews.cancel_invitation", "POST"): OTHER_EMPLOYERS,
    ("interviews.invite_talent", "POST"): OTHER_EMPLOYERS,
    ("interviews.booth_candidates", "GET"): OTHER_EMPLOYERS,
    ("interviews.invite_candidate", "POST"): OTHER_EMPLOYERS,
    ("interviews.survey", "GET"): PARTICIPANTS_ONLY,
    ("interviews.survey", "POST"): PARTICIPANTS_ONLY,
    ("api_interviews.list_interviews", "GET"): SEEKERS_AND_EMPLOYERS,
    ("api_interviews.schedule", "POST"): EMPLOYER_ONLY,
    ("api_interviews.get_interview", "GET"): PARTIES,
    ("api_interviews.respond", "POST"): OTHER_SEEKERS,
    ("api_interviews.reschedule", "POST"): OTHER_EMPLOYERS,
    ("api_interviews.cancel", "POST"): OTHER_EMPLOYERS,
    ("api_interviews.ics", "GET"): PARTIES,
    ("api_interviews.list_invitations", "GET"): SEEKERS_AND_EMPLOYERS,
    ("api_interviews.invite", "POST"): EMPLOYER_ONLY,
    ("api_interviews.answer", "POST"): OTHER_SEEKERS,
    ("api_interviews.cancel_invitation", "POST"): OTHER_EMPLOYERS,
    ("api_interviews.booth_candidates", "GET"): OTHER_EMPLOYERS,
    ("api_interviews.submit_survey", "POST"): PARTICIPANTS_ONLY,
    ("api_interviews.survey_results", "GET"): ORGANISER_ONLY,
}


def ids(app, ctx) -> dict:
    from datetime import timedelta

    from jobfair.database import writing
    from jobfair.extensions import db
    from jobfair.models import Application, Employer, Invitation, ScheduledInterview
    from jobfair.models.common import utcnow

    seeker = ctx["seeker_owner"]
    position = ctx["published"]
    with app.app_context(), writing():
        owner = db.session.get(Employer, ctx["owner"].id)
        app_row = db.session.scalar(
            db.select(Application).filter_by(seeker_id=seeker.id, position_id=position.id)
        )
        iv = ScheduledInterview(
            application_id=app_row.id,
            seeker_user_id=seeker.id,
            employer_id=owner.id,
            created_by=owner.user_id,
            starts_at=utcnow() + timedelta(days=2),
            minutes=30,
            mode="onsite",
            place="访问矩阵路 1 号",
            contact_name="访问矩阵",
            contact_phone="13900009999",
        )
        inv = Invitation(
            employer_id=owner.id,
            seeker_user_id=seeker.id,
            kind="queue",
            booth_id=ctx["fairs"]["booth_id"],
            target=f"booth:{ctx['fairs']['booth_id']}",
            created_by=owner.user_id,
        )
        db.session.add_all([iv, inv])
        db.session.commit()
        return {"interview_id": iv.id, "invitation_id": inv.id}
