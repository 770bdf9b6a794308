"""`flask casework escalate`: escalate zero-employment households open past their deadline."""

import click
from flask.cli import AppGroup

from jobfair.casework import households
from jobfair.database import writing

casework = AppGroup("casework", help="重点群体工作：督办零就业家庭")


@casework.command("escalate", help="督办超过清零时限仍未清零的零就业家庭，并通知督导")
def escalate_command():
    with writing():
        count = households.escalate_overdue()
    click.echo(f"新督办零就业家庭 {count} 户。")
