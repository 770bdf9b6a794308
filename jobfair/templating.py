"""Jinja filters and globals: labels, masking, dates (the rules live in formatting/masking)."""

from flask import Flask

from jobfair import reference
from jobfair.formatting import LABELS, fmt_dt, label, salary
from jobfair.masking import mask_email, mask_phone


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        mask_phone=mask_phone, mask_email=mask_email, dt=fmt_dt, salary=salary, label=label
    )
    app.jinja_env.globals.update(LABELS=LABELS, districts=reference.districts)
