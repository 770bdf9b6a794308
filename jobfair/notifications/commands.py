"""`flask notifications digest`: send the daily summaries now (also run by the scheduler)."""

import click
from flask.cli import AppGroup

from jobfair.database import writing
from jobfair.notifications.digests import send_digests

notifications = AppGroup("notifications", help="站内通知")


@notifications.command("digest", help="发送每日汇总（每条通知只汇总一次；重复运行不会重复发送）")
def digest_command():
    with writing():
        stats = send_digests()
    click.echo(f"已向 {stats['users']} 位用户发送每日汇总，共汇总 {stats['items']} 条通知。")
