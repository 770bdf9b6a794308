"""Occupation classification data and the full-text search index for positions.

Revision ID: 0002
Revises: 0001
"""

import csv
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DATA = Path(__file__).resolve().parents[2] / "jobfair" / "data" / "occupations-2022.csv"


def _merge(a: str, b: str) -> str:
    return ",".join(dict.fromkeys(x for x in (a + "," + b).split(",") if x))


def upgrade():
    occupations = sa.table(
        "occupations",
        sa.column("code", sa.String),
        sa.column("level", sa.Integer),
        sa.column("name", sa.String),
        sa.column("definition", sa.Text),
        sa.column("aliases", sa.Text),
    )
    # The source has a few codes twice (a minor group that is also its only occupation,
    # repeated rows): keep the most specific level and merge the aliases.
    by_code: dict[str, dict] = {}
    with open(DATA, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            row = {
                "code": r["code"],
                "level": int(r["level"]),
                "name": r["name"],
                "definition": r["definition"] or "",
                "aliases": r["alias"] or "",
            }
            seen = by_code.get(row["code"])
            if seen is None or row["level"] > seen["level"]:
                if seen:
                    row["aliases"] = _merge(row["aliases"], seen["aliases"])
                by_code[row["code"]] = row
            else:
                seen["aliases"] = _merge(seen["aliases"], row["aliases"])
    rows = list(by_code.values())
    op.bulk_insert(occupations, rows)

    if op.get_bind().dialect.name == "sqlite":
        # External-content FTS5 index over the jieba tokens stored in positions.search_tokens.
        op.execute(
            "CREATE VIRTUAL TABLE positions_fts USING fts5("
            "search_tokens, content='positions', content_rowid='id', tokenize='unicode61')"
        )
        op.execute(
            "CREATE TRIGGER positions_fts_ai AFTER INSERT ON positions BEGIN "
            "INSERT INTO positions_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens); END"
        )
        op.execute(
            "CREATE TRIGGER positions_fts_ad AFTER DELETE ON positions BEGIN "
            "INSERT INTO positions_fts(positions_fts, rowid, search_tokens) "
            "VALUES ('delete', old.id, old.search_tokens); END"
        )
        op.execute(
            "CREATE TRIGGER positions_fts_au AFTER UPDATE OF search_tokens ON positions BEGIN "
            "INSERT INTO positions_fts(positions_fts, rowid, search_tokens) "
            "VALUES ('delete', old.id, old.search_tokens); "
            "INSERT INTO positions_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens); END"
        )
    else:
        op.execute(
            "ALTER TABLE positions ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_tokens)) STORED"
        )
        op.execute("CREATE INDEX ix_positions_search_vector ON positions USING gin (search_vector)")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in ("positions_fts_ai", "positions_fts_ad", "positions_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS positions_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_positions_search_vector")
        op.execute("ALTER TABLE positions DROP COLUMN IF EXISTS search_vector")
    op.execute("DELETE FROM occupations")
