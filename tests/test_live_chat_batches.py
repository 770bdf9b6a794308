"""直播 chat committed in batches: nothing is heard before it is committed, numbers stay
gap-free under concurrent senders (two writers sharing the database too), every per-message
check still applies inside a batch, and a failed commit refuses the whole batch."""

from types import SimpleNamespace

import pytest
from conftest import World, ack, events, run_together

from jobfair.database import reset_write_intent, set_write_intent, writing
from jobfair.extensions import db

S = "/session"


@pytest.fixture
def app_config(app_config):
    # A wide gathering window, so concurrent senders really share write transactions.
    return {**app_config, "LIVE_COUNTS_DELAY": 0, "LIVE_CHAT_BATCH_MS": 30}


def stored_seqs(app, session_id):
    from jobfair.models import LiveMessage

    with app.app_context():
        return db.session.scalars(
            db.select(LiveMessage.seq)
            .filter_by(room_kind="session", room_id=session_id)
            .order_by(LiveMessage.seq)
        ).all()


def batch_sizes(monkeypatch):
    """Record how many messages each batch held (to know the test exercised batching)."""
    from jobfair.live import chat_writer

    sizes: list[int] = []
    real = chat_writer._store

    def store(batch):
        sizes.append(len(batch))
        return real(batch)

    monkeypatch.setattr(chat_writer, "_store", store)
    return sizes


def _all_ok(results) -> None:
    failed = [r for r in results if isinstance(r, BaseException)]
    assert not failed, failed


def test_no_one_hears_a_message_before_it_is_committed(app, world: World, sock, monkeypatch):
    from jobfair.live import broadcasts
    from jobfair.models import LiveMessage

    app.config["LIVE_MESSAGES_PER_WINDOW"] = 100
    sizes = batch_sizes(monkeypatch)
    seen_uncommitted: list[int] = []
    real = broadcasts.session_message

    def session_message(session_id, data):
        # Another connection sees only committed rows: the broadcast must come after.
        token = set_write_intent(False)
        try:
            with db.engine.connect() as conn:
                found = conn.execute(
                    db.select(LiveMessage.id).filter_by(id=data["id"])
                ).scalar_one_or_none()
        finally:
            reset_write_intent(token)
        if found is None:
            seen_uncommitted.append(data["id"])
        real(session_id, data)

    monkeypatch.setattr(broadcasts, "session_message", session_message)
    listener = sock(world.organiser, S)
    ack(listener, S, "join", session_id=world.session_id)
    senders = [sock(s, S) for s in world.seekers]
    for s in senders:
        ack(s, S, "join", session_id=world.session_id)
    answers: list[dict] = []

    def send(i):
        for k in range(3):
            answers.append(
                ack(
                    senders[i],
                    S,
                    "send",
                    session_id=world.session_id,
                    client_id=f"c{i}-{k}",
                    body="在吗",
                )
            )

    _all_ok(run_together(list(range(len(senders))), send))
    assert all(a["ok"] for a in answers), answers
    assert max(sizes) > 1  # several messages shared a write transaction
    assert seen_uncommitted == []
    heard = events(listener, S, "message")
    assert len(heard) == 12
    assert sorted(m["id"] for m in heard) == sorted(a["message"]["id"] for a in answers)


def test_concurrent_senders_get_gap_free_numbers_heard_in_order(
    app, world: World, sock, monkeypatch
):
    app.config["LIVE_MESSAGES_PER_WINDOW"] = 100
    sizes = batch_sizes(monkeypatch)
    listener = sock(world.organiser, S)
    ack(listener, S, "join", session_id=world.session_id)
    senders = [sock(s, S) for s in world.seekers]
    for s in senders:
        ack(s, S, "join", session_id=world.session_id)
    per_sender: dict[int, list[int]] = {}

    def send(i):
        seqs = per_sender.setdefault(i, [])
        for k in range(8):
            out = ack(
                senders[i],
                S,
                "send",
                session_id=world.session_id,
                client_id=f"g{i}-{k}",
                body=f"第{k}条",
            )
            assert out["ok"], out
            seqs.append(out["message"]["seq"])

    _all_ok(run_together(list(range(len(senders))), send))
    total = 8 * len(senders)
    assert max(sizes) > 1
    assert stored_seqs(app, world.session_id) == list(range(1, total + 1))
    every = sorted(q for seqs in per_sender.values() for q in seqs)
    assert every == list(range(1, total + 1))
    for seqs in per_sender.values():  # each sender's messages numbered in the order sent
        assert seqs == sorted(seqs)
    heard = [m["seq"] for m in events(listener, S, "message")]
    assert heard == list(range(1, total + 1))  # broadcast in number order, none missing


def _author(app, user_id):
    from jobfair.models import User

    with app.app_context():
        u = db.session.get(User, user_id)
        return SimpleNamespace(id=u.id, role=u.role, name=u.name, address_form=u.address_form)


def test_two_writers_sharing_the_database_never_repeat_or_skip_a_number(
    app, make_app, world: World
):
    """Two processes' group commits on one room: the room's turn-taking keeps 1, 2, 3…"""
    from jobfair.live import chat_writer

    app.config["LIVE_MESSAGES_PER_WINDOW"] = 100
    other = make_app(LIVE_MESSAGES_PER_WINDOW=100, LIVE_CHAT_BATCH_MS=30)
    apps = [app, other]
    authors = [_author(app, s.id) for s in world.seekers]
    got: list[int] = []

    def send(i):
        target = apps[i % 2]
        for k in range(6):
            with target.app_context():
                data, created = chat_writer.send(
                    authors[i % 4], world.session_id, f"w{i}-{k}", "你好"
                )
                db.session.remove()
            assert created
            got.append(data["seq"])

    _all_ok(run_together(list(range(8)), send))
    assert sorted(got) == list(range(1, 49))
    assert stored_seqs(app, world.session_id) == list(range(1, 49))


def test_every_check_still_applies_to_each_message_of_a_batch(app, world: World, sock, monkeypatch):
    from datetime import timedelta

    from jobfair.models import LiveRestriction
    from jobfair.models.common import utcnow

    sizes = batch_sizes(monkeypatch)  # the default limit: 5 messages in 10 seconds
    muted, chatty, other = world.seekers[0], world.seekers[1], world.seekers[2]
    with app.app_context(), writing():
        db.session.add(
            LiveRestriction(
                user_id=muted.id,
                kind="mute",
                fair_id=world.fair_id,
                until=utcnow() + timedelta(hours=1),
            )
        )
        db.session.commit()
    clients = {u.id: sock(u, S) for u in (muted, other)}
    chatty_tabs = [sock(chatty, S) for _ in range(7)]  # one user, seven tabs at once
    answers: dict[str, dict] = {}

    # (answer's name, socket, client id, body): seven tabs of one user, then three refusals.
    sends = [(f"chatty{i}", tab, f"t{i}", "刷屏") for i, tab in enumerate(chatty_tabs)] + [
        ("muted", clients[muted.id], "m", "我被禁言了吗"),
        ("long", clients[other.id], "l", "字" * 501),
        ("bad_id", clients[other.id], "", "x"),
    ]

    def send(i):
        name, client, client_id, body = sends[i]
        answers[name] = ack(
            client, S, "send", session_id=world.session_id, client_id=client_id, body=body
        )

    _all_ok(run_together(list(range(len(sends))), send))
    assert max(sizes) > 1
    chatty_ok = [a for k, a in answers.items() if k.startswith("chatty") and a["ok"]]
    limited = [a for k, a in answers.items() if k.startswith("chatty") and not a["ok"]]
    assert len(chatty_ok) == 5
    assert [a["error"]["code"] for a in limited] == ["rate_limited", "rate_limited"]
    assert "每 10 秒最多 5 条" in limited[0]["error"]["message"]
    assert answers["muted"]["error"]["code"] == "forbidden"
    assert "禁言" in answers["muted"]["error"]["message"]
    assert "不能超过 500 个字" in answers["long"]["error"]["message"]
    assert answers["bad_id"]["error"]["code"] == "bad_request"
    assert stored_seqs(app, world.session_id) == [1, 2, 3, 4, 5]


def test_a_failed_batch_commit_refuses_every_message_and_broadcasts_none(
    app, world: World, sock, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from jobfair.live import chat_writer

    sizes = batch_sizes(monkeypatch)

    def commit_fails():
        # The rows were inserted in the transaction; the commit is what fails.
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(chat_writer, "commit_batch", commit_fails)
    listener = sock(world.organiser, S)
    ack(listener, S, "join", session_id=world.session_id)
    senders = [sock(s, S) for s in world.seekers]
    answers: list[dict] = []

    def send(i):
        answers.append(
            ack(senders[i], S, "send", session_id=world.session_id, client_id=f"f{i}", body="你好")
        )

    _all_ok(run_together(list(range(len(senders))), send))
    assert max(sizes) > 1
    assert len(answers) == 4
    for a in answers:
        assert a["ok"] is False and a["error"]["code"] == "unavailable"
        assert "没有保存" in a["error"]["message"]
    assert events(listener, S, "message") == []
    assert stored_seqs(app, world.session_id) == []
    monkeypatch.undo()  # the database is back: the same messages go through, numbered from 1
    again = [
        ack(senders[i], S, "send", session_id=world.session_id, client_id=f"f{i}", body="你好")
        for i in range(4)
    ]
    assert [a["message"]["seq"] for a in again] == [1, 2, 3, 4]


def test_a_cached_identity_is_read_again_within_the_recheck_interval(app, world: World, sock):
    """A login session ended where this process did not hear of it (no signal, no kick):
    the socket's identity is trusted no longer than LIVE_SESSION_RECHECK_SECONDS."""
    import time

    from jobfair.models import LoginSession

    app.config["LIVE_SESSION_RECHECK_SECONDS"] = 0.3
    talker = sock(world.seekers[0], S)
    assert ack(talker, S, "send", session_id=world.session_id, client_id="i1", body="你好")["ok"]
    with app.app_context():
        db.session.query(LoginSession).filter_by(user_id=world.seekers[0].id).delete()
        db.session.commit()
    time.sleep(0.35)
    out = ack(talker, S, "send", session_id=world.session_id, client_id="i2", body="还在吗")
    assert out["ok"] is False and out["error"]["code"] == "unauthorized"
    assert stored_seqs(app, world.session_id) == [1]


def test_the_same_message_from_two_tabs_at_once_is_stored_once(
    app, world: World, sock, monkeypatch
):
    sizes = batch_sizes(monkeypatch)
    tabs = [sock(world.seekers[0], S) for _ in range(3)]
    answers: list[dict] = []

    def send(i):
        answers.append(
            ack(tabs[i], S, "send", session_id=world.session_id, client_id="dup", body="一次")
        )

    _all_ok(run_together(list(range(3)), send))
    assert max(sizes) > 1
    assert all(a["ok"] for a in answers), answers
    assert {a["message"]["id"] for a in answers} == {answers[0]["message"]["id"]}
    assert stored_seqs(app, world.session_id) == [1]
