"""An interview as an iCalendar file (RFC 5545) that phone and desktop calendars import."""

from datetime import timedelta

from jobfair.formatting import fmt_dt
from jobfair.models.interview import InterviewMode, InterviewStatus, ScheduledInterview

PRODID = "-//jobfair//云招聘 面试安排//ZH"


def _escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "")
    )


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after one space."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return [out[0]] + [" " + rest for rest in out[1:]]


def _utc(value) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def interview_ics(iv: ScheduledInterview, host: str, stamp) -> str:
    """The calendar file of one interview; a cancelled or declined one cancels the entry."""
    app = iv.application
    title = f"面试：{iv.employer.name} · {app.position.title}"
    if iv.mode == InterviewMode.ONSITE:
        location = iv.place
    elif iv.mode == InterviewMode.VIDEO_LINK:
        location = iv.video_url
    else:
        location = "云招聘平台视频面试"
    lines_text = [
        f"时间：{fmt_dt(iv.starts_at)}（北京时间），约 {iv.minutes} 分钟",
        f"方式：{location}",
        f"联系人：{iv.contact_name} {iv.contact_phone}",
    ]
    if iv.note:
        lines_text.append(f"说明：{iv.note}")
    cancelled = iv.status in (InterviewStatus.CANCELLED, InterviewStatus.DECLINED)
    rows = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:interview-{iv.id}@{host}",
        f"SEQUENCE:{iv.revision}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(iv.starts_at)}",
        f"DTEND:{_utc(iv.starts_at + timedelta(minutes=iv.minutes))}",
        f"SUMMARY:{_escape(title)}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(chr(10).join(lines_text))}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED' if iv.status == 'accepted' else 'TENTATIVE'}",
    ]
    if iv.mode == InterviewMode.VIDEO_LINK and iv.video_url:
        rows.append("URL:" + "".join(c for c in iv.video_url if not c.isspace()))
    if not cancelled:
        rows += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_escape(title)}",
            "TRIGGER:-PT30M",
            "END:VALARM",
        ]
    rows += ["END:VEVENT", "END:VCALENDAR"]
    folded = [part for row in rows for part in _fold(row)]
    return "\r\n".join(folded) + "\r\n"
