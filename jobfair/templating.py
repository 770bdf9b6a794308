"""Jinja filters and globals: labels, masking, dates (the rules live in formatting/masking)."""

from flask import Flask
from markupsafe import Markup

from jobfair import reference
from jobfair.formatting import LABELS, address, fmt_dt, label, or_not_given, pay_line
from jobfair.masking import mask_email, mask_phone


def occupation_badges(marks_or_code) -> Markup:
    """Small badges (绿色职业 / 数字职业) for an occupation: given its marks, code or name."""
    if isinstance(marks_or_code, list | tuple):
        marks = [m for m in marks_or_code if m in reference.MARK_LABELS]
    else:
        marks = reference.occupation_marks(marks_or_code)
    badge = Markup('<span class="mark mark-{}">{}</span>')
    return Markup("").join(badge.format(m, reference.MARK_LABELS[m]) for m in marks)


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        mask_phone=mask_phone,
        mask_email=mask_email,
        dt=fmt_dt,
        salary=pay_line,
        label=label,
        or_not_given=or_not_given,
        occupation_name=reference.occupation_display_name,
    )
    app.jinja_env.globals.update(
        LABELS=LABELS,
        districts=reference.districts,
        occupation_badges=occupation_badges,
        address=address,
        occupation_marks=reference.occupation_marks,
        MARK_LABELS=reference.MARK_LABELS,
    )
