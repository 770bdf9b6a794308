"""With Redis configured, login limits are shared by every worker process."""

import uuid

import pytest

from jobfair.extensions import limiter

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not redis_available(), reason="Redis is not reachable")


def test_two_app_instances_share_the_login_limit(make_app, make_user):
    make_user(login="13812342222")
    config = {"REDIS_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex}
    worker_a, worker_b = make_app(**config), make_app(**config)
    a, b = worker_a.test_client(), worker_b.test_client()
    bad = {"login": "13812342222", "password": "wrong password"}
    try:
        for i in range(10):
            assert (a if i % 2 else b).post("/login", data=bad).status_code == 401
        assert a.post("/login", data=bad).status_code == 429
        import redis

        keys = redis.Redis.from_url(REDIS_URL).keys("*" + config["RATELIMIT_KEY_PREFIX"] + "*")
        assert keys, "the counters live in Redis"
        assert b.post("/login", data=bad).status_code == 429
    finally:
        with worker_a.app_context():
            limiter.reset()
