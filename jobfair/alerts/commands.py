"""`flask alerts send`: today's job-alert digests (run it daily from cron or a job queue)."""

import click
from flask.cli import AppGroup

from jobfair.alerts.services import send_due_digests
from jobfair.database import writing

alerts = AppGroup("alerts", help="职位提醒与人才提醒")


@alerts.command("send", help="发送今天的提醒（每个提醒每天最多一次；重复运行不会重复发送）")
def send_command():
    with writing():
        stats = send_due_digests()
    click.echo(
        f"待发送提醒 {stats['due']} 个：已发送 {stats['sent']} 个，"
        f"没有新内容 {stats['empty']} 个，已由其他进程发送 {stats['skipped']} 个。"
    )
