"""On-site fairs: booth QR pages (public), booth staff and organisers at a booth (another
employer's booth is 403), the staff kiosk (organisers), claiming an account (public)."""

PUBLIC = ("ok", "ok", "ok", "ok")
SEEKER_ONLY = ("login", "ok", 403, 403)
ORGANISER_ONLY = ("login", 403, 403, "ok")
BOOTH_STAFF = ("login", 403, 403, "ok")  # the test employer is not this booth's employer

ENTRIES = {
    ("onsite.booth_scan", "GET"): PUBLIC,
    ("onsite.booth_scan", "POST"): ("login", "ok", 403, 403),
    ("onsite.booth_qr", "GET"): BOOTH_STAFF,
    ("onsite.booth_checkin", "GET"): BOOTH_STAFF,
    ("onsite.booth_checkin", "POST"): BOOTH_STAFF,
    ("onsite.kiosk", "GET"): ORGANISER_ONLY,
    ("onsite.kiosk_register", "POST"): ORGANISER_ONLY,
    ("onsite.kiosk_ticket", "POST"): ORGANISER_ONLY,
    ("onsite.claim", "GET"): PUBLIC,
    ("onsite.claim", "POST"): PUBLIC,
    ("api_onsite.booth_check_in", "POST"): BOOTH_STAFF,
    ("api_onsite.booth_qr", "GET"): BOOTH_STAFF,
    ("api_onsite.self_check_in", "POST"): SEEKER_ONLY,
    ("api_onsite.kiosk_register", "POST"): ORGANISER_ONLY,
    ("api_onsite.kiosk_ticket", "POST"): ORGANISER_ONLY,
    ("api_onsite.claim", "POST"): PUBLIC,
}
