"""Honest waits: no time is promised while nobody serves a booth, and the estimate follows how
long the booth's recent chats really took (their median), not a constant."""

from datetime import timedelta

import pytest
from conftest import World, ack, events, sign_in

from jobfair.database import writing
from jobfair.extensions import db

B, LOBBY = "/booth", "/lobby"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LIVE_COUNTS_DELAY": 0}


_made = [0]


def finished_chats(app, world: World, minutes: list[float], status="done") -> None:
    """Chats of the booth that ended after the given minutes (seekers beyond the world's)."""
    from jobfair.models import InterviewChat, QueueEntry, User
    from jobfair.models.common import utcnow

    with app.app_context(), writing():
        now = utcnow()
        for i, m in enumerate(minutes):
            _made[0] += 1
            phone = f"1370000{_made[0]:04d}"
            seeker = User(role="seeker", phone=phone, name="历史", password_hash="x")
            db.session.add(seeker)
            db.session.flush()
            entry = QueueEntry(booth_id=world.booth_id, seeker_user_id=seeker.id, status=status)
            db.session.add(entry)
            db.session.flush()
            start = now - timedelta(hours=1, minutes=i)
            db.session.add(
                InterviewChat(
                    booth_id=world.booth_id,
                    queue_entry_id=entry.id,
                    seeker_user_id=seeker.id,
                    rep_user_id=world.rep.id,
                    started_at=start,
                    ends_at=start + timedelta(minutes=10),
                    ended_at=start + timedelta(minutes=m),
                )
            )
        db.session.commit()


def test_with_no_rep_online_the_queue_says_so_and_promises_no_time(world: World, sock, client):
    first = sock(world.seekers[0], B)
    ack(first, B, "join_queue", booth_id=world.booth_id)
    entry = ack(sock(world.seekers[1], B), B, "join_queue", booth_id=world.booth_id)["entry"]
    assert (entry["place"], entry["reps_online"], entry["wait_minutes"]) == (2, 0, None)
    sign_in(client, world.seekers[1])
    page = client.get("/live/queues").get_data(as_text=True)
    assert "目前没有招聘人员在线，暂时无法估计等待时间" in page
    assert "预计等待" not in page
    lobby = client.get(f"/fairs/{world.fair_id}").get_data(as_text=True)
    assert "暂无招聘人员在线" in lobby


def test_the_estimate_is_the_median_of_the_booths_recent_chats(app, world: World, sock):
    # 4, 6 and 20 minutes: median 6; a no-show and a seeker who left are not chats.
    finished_chats(app, world, [4, 6, 20])
    finished_chats(app, world, [0.2], status="skipped")
    rep = sock(world.rep, B)
    ack(rep, B, "desk", booth_id=world.booth_id)
    ack(sock(world.seekers[0], B), B, "join_queue", booth_id=world.booth_id)
    entry = ack(sock(world.seekers[1], B), B, "join_queue", booth_id=world.booth_id)["entry"]
    assert entry["reps_online"] == 1 and entry["typical_sample"] == 3
    assert entry["typical_minutes"] == 6.0
    assert entry["wait_minutes"] == 12  # 2nd in line × 6 minutes ÷ 1 rep
    lobby = ack(sock(None, LOBBY), LOBBY, "counts", fair_id=world.fair_id)["counts"]
    booth = next(b for b in lobby["booths"] if b["booth_id"] == world.booth_id)
    assert (booth["queue_length"], booth["wait_minutes"], booth["typical_minutes"]) == (2, 12, 6.0)
    # A second rep halves the wait.
    ack(sock(world.rep2, B), B, "desk", booth_id=world.booth_id)
    again = ack(sock(world.seekers[1], B), B, "watch_queues")["entries"][0]
    assert (again["reps_online"], again["wait_minutes"]) == (2, 6)


def test_too_few_chats_fall_back_to_the_booths_chat_length(app, world: World, sock):
    finished_chats(app, world, [3, 3])
    ack(sock(world.rep, B), B, "desk", booth_id=world.booth_id)
    entry = ack(sock(world.seekers[0], B), B, "join_queue", booth_id=world.booth_id)["entry"]
    assert (entry["typical_minutes"], entry["typical_sample"], entry["wait_minutes"]) == (
        10.0,
        2,
        10,
    )


def test_the_queue_hears_when_the_last_rep_goes_offline(world: World, sock):
    rep = sock(world.rep, B)
    ack(rep, B, "desk", booth_id=world.booth_id)
    seeker = sock(world.seekers[0], B)
    ack(seeker, B, "join_queue", booth_id=world.booth_id)
    seeker.get_received(B)
    rep.disconnect(B)
    states = events(seeker, B, "queue")
    assert states and states[-1]["reps_online"] == 0
    assert states[-1]["waiting"] and states[-1]["typical_minutes"] == 10.0
