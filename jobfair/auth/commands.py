"""`flask security …`: make encryption keys and rotate them (see jobfair/crypto.py)."""

import click
from flask.cli import AppGroup

from jobfair.crypto import keyring, new_key, rotate_all
from jobfair.database import writing
from jobfair.extensions import db


@click.group(cls=AppGroup, help="加密密钥：生成与轮换")
def security():
    pass


@security.command(
    "new-key", help="生成一个随机密钥（用于 JOBFAIR_DATA_KEYS 或 JOBFAIR_BLIND_INDEX_KEY）"
)
@click.option("--id", "key_id", default="", help="密钥编号，如 2027a；给出时打印 编号:密钥")
def new_key_command(key_id: str):
    click.echo(f"{key_id}:{new_key()}" if key_id else new_key())


@security.command(
    "rotate-key",
    help="用 JOBFAIR_DATA_KEYS 的第一个密钥重新加密全部敏感字段，并重算盲索引；"
    "完成后才可从列表中去掉旧密钥",
)
def rotate_key_command():
    ring = keyring()
    with writing():
        counts = rotate_all(db.session.connection(), ring, db.metadata)
        db.session.commit()
    total = sum(counts.values())
    click.echo(f"已用密钥 {ring.current} 重新加密 {total} 行：")
    for table, n in counts.items():
        click.echo(f"  {table}: {n}")
