"""Access matrix entries of notification settings, 直播带岗 figures and 达成意向 marks.

application_id is an application of another seeker to another employer's position (made from
a pinned card in tests/access/live.py's fair), so every employer but its own gets 404."""

OK, LOGIN = "ok", "login"
SIGNED_IN = (LOGIN, OK, OK, OK)
ORGANISER_ONLY = (LOGIN, 403, 403, OK)
EMPLOYER_ONLY = (LOGIN, 403, OK, 403)
OTHER_EMPLOYERS = (LOGIN, 403, 404, 403)

ENTRIES = {
    ("notifications.preferences_page", "GET"): SIGNED_IN,
    ("notifications.preferences_page", "POST"): SIGNED_IN,
    ("api_notifications.get_preferences", "GET"): SIGNED_IN,
    ("api_notifications.put_preferences", "PUT"): SIGNED_IN,
    ("live.intent", "POST"): OTHER_EMPLOYERS,
    ("api_live_figures.session_figures", "GET"): (LOGIN, 403, 403, OK),
    ("api_live_figures.fair_figures", "GET"): ORGANISER_ONLY,
    ("api_live_figures.room_applications", "GET"): EMPLOYER_ONLY,
    ("api_live_figures.mark_intent", "PUT"): OTHER_EMPLOYERS,
    ("api_live_figures.unmark_intent", "DELETE"): OTHER_EMPLOYERS,
}
