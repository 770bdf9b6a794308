"""Run the suite on SQLite, then its database tests again on a fresh PostgreSQL database
when one is reachable (tests that never touch the database run once: they would only repeat).
"""

import os
import subprocess
import sys
import uuid

PG_ADMIN_URL = os.environ.get(
    "JOBFAIR_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def pytest(extra_env: dict, label: str, marker: str = "") -> int:
    print(f"\n=== 测试套件 / test suite on {label} ===", flush=True)
    env = dict(os.environ, **extra_env)
    args = sys.argv[1:]
    if marker:
        args = with_marker(args, marker)
    code = subprocess.call([sys.executable, "-m", "pytest", *args], env=env)
    return code


def with_marker(args: list[str], marker: str) -> list[str]:
    """Add `-m marker`, combined with the caller's own -m expression if any."""
    out, given = [], []
    it = iter(args)
    for arg in it:
        if arg == "-m":
            given.append(next(it, ""))
        elif arg.startswith("-m") and len(arg) > 2:
            given.append(arg[2:])
        else:
            out.append(arg)
    expr = " and ".join(f"({e})" for e in [*given, marker])
    return ["-m", expr, *out]


def postgres_run() -> int:
    try:
        import psycopg
    except ImportError:
        print("SKIP PostgreSQL: psycopg is not installed.")
        return 0
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as err:
        print(
            f"SKIP PostgreSQL run: no server reachable at {PG_ADMIN_URL} ({err.__class__.__name__})."
        )
        return 0
    name = f"jobfair_test_{uuid.uuid4().hex[:10]}"
    admin.execute(
        f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
        "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
    )
    try:
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        return pytest({"JOBFAIR_TEST_DATABASE_URL": url}, f"PostgreSQL ({name})", marker="db")
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def main() -> int:
    code = pytest({}, "SQLite")
    if os.environ.get("JOBFAIR_SKIP_PG"):
        print("SKIP PostgreSQL run: JOBFAIR_SKIP_PG is set.")
        return code
    pg = postgres_run()
    return code or pg


if __name__ == "__main__":
    sys.exit(main())
