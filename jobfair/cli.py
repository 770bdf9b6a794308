"""Flask CLI commands: users, seed, search."""

import click
from flask import Flask
from flask.cli import AppGroup

from jobfair.errors import DomainError


def init_cli(app: Flask) -> None:
    """Every command group, in one place: each feature defines its AppGroup, this adds it."""
    from jobfair.casework.commands import casework
    from jobfair.recommendations.cli import match
    from jobfair.seeding import seed_command

    for command in (users, seed_command, match, casework):
        app.cli.add_command(command)


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
