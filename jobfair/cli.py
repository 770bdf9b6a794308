"""Flask CLI commands: users, seed, search."""

import click
from flask import Flask
from flask.cli import AppGroup

from jobfair.errors import DomainError


def init_cli(app: Flask) -> None:
    """Every command group, in one place: each feature defines its AppGroup, this adds it."""
    from jobfair.alerts.commands import alerts
    from jobfair.auth.commands import security
    from jobfair.casework.commands import casework
    from jobfair.jobs import commands as jobs_commands
    from jobfair.notifications.commands import notifications
    from jobfair.recommendations.cli import match
    from jobfair.seeding import seed_command

    for command in (users, seed_command(demo_hooks()), match, casework, alerts, security):
        app.cli.add_command(command)
    app.cli.add_command(notifications)
    jobs_commands.init_app(app)


def demo_hooks() -> tuple:
    """Every feature's demo loader, in dependency order, for `flask seed`: accounts before the
    employers and seekers that use them, positions before applications, fairs before the live
    layer and case work that build on them."""
    from jobfair.alerts import demo as alerts
    from jobfair.applications import demo as applications
    from jobfair.auth import demo as auth
    from jobfair.casework import demo as casework
    from jobfair.display import demo as display
    from jobfair.employers import demo as employers
    from jobfair.fairs import demo as fairs
    from jobfair.gigs import demo as gigs
    from jobfair.interviews import demo as interviews
    from jobfair.live import demo as live
    from jobfair.notifications import demo as notifications
    from jobfair.policies import demo as policies
    from jobfair.positions import demo as positions
    from jobfair.recommendations import demo as recommendations
    from jobfair.seekers import demo as seekers
    from jobfair.startups import demo as startups
    from jobfair.training import demo as training

    return (
        auth.seed_demo,
        employers.seed_demo,
        positions.seed_demo,
        seekers.seed_demo,
        applications.seed_demo,
        recommendations.seed_demo,
        notifications.seed_demo,
        fairs.seed_demo,
        live.seed_demo,
        interviews.seed_demo,
        casework.seed_demo,
        alerts.seed_demo,
        training.seed_demo,
        startups.seed_demo,
        gigs.seed_demo,
        policies.seed_demo,
        display.seed_demo,
    )


@click.group(cls=AppGroup, help="管理账号")
def users():
    pass


@users.command("create-organiser", help="创建组织方账号，打印一次性初始密码（首次登录须修改）")
@click.argument("login")
@click.option("--name", default="组织方", help="显示名称")
def create_organiser(login: str, name: str):
    from jobfair.auth.services import create_organiser as create
    from jobfair.database import writing

    try:
        with writing():
            user, password = create(login, name)
    except DomainError as err:
        raise click.ClickException(err.message) from None
    click.echo(f"已创建组织方账号 {user.login_name}，初始密码：{password}（首次登录须修改）")
