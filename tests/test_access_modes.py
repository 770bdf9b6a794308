"""长辈版 (适老化 mode) and forms of address, as a person using the pages and the API sees them."""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from conftest import World, sign_in

from jobfair.extensions import db
from jobfair.models import SeekerProfile, User
from jobfair.models.common import utcnow
from jobfair.models.live import InterviewChat, QueueEntry

NAV = re.compile(r'<nav class="nav" id="site-nav" aria-label="主导航">(.*?)</nav>', re.S)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LIVE_COUNTS_DELAY": 0}


def _client(app, user=None):
    c = app.test_client()
    if user is not None:
        sign_in(c, user)
    return c


def _nav_links(page: str) -> list[str]:
    return re.findall(r"<a [^>]*>([^<]+)", NAV.search(page).group(1))


def _is_elder(page: str) -> bool:
    return '<html lang="zh-CN" class="elder">' in page


# --- the switch ---------------------------------------------------------------------------


def test_switch_is_on_every_page_and_remembered_on_the_device(app):
    c = _client(app)
    page = c.get("/positions").get_data(as_text=True)
    assert not _is_elder(page)
    assert ">长辈版</button>" in page

    resp = c.post("/display/elder-mode", data={"elder_mode": "1", "next": "/positions?q=焊工"})
    assert resp.status_code == 302
    assert unquote(resp.headers["Location"]).endswith("/positions?q=焊工")
    assert "jf_elder=1" in resp.headers["Set-Cookie"]
    assert "Max-Age=31536000" in resp.headers["Set-Cookie"]

    page = c.get("/").get_data(as_text=True)
    assert _is_elder(page)
    assert ">退出长辈版</button>" in page
    assert "常用服务" in page  # the big task buttons on the home page
    assert _nav_links(page) == ["找岗位", "招聘会", "登录", "注册"]

    c.post("/display/elder-mode", data={"elder_mode": "0"})
    assert not _is_elder(c.get("/").get_data(as_text=True))


def test_switch_refuses_nonsense_and_foreign_targets(app):
    c = _client(app)
    resp = c.post("/display/elder-mode", data={"elder_mode": "maybe"}, follow_redirects=True)
    assert "请选择打开或关闭长辈版" in resp.get_data(as_text=True)
    assert not _is_elder(c.get("/").get_data(as_text=True))

    resp = c.post("/display/elder-mode", data={"elder_mode": "1", "next": "//evil.example/x"})
    assert resp.headers["Location"] == "/"


def test_account_remembers_the_mode_and_the_device_choice_wins(app, make_user):
    seeker = make_user(name="王海生")
    phone = _client(app, seeker)
    phone.post("/display/elder-mode", data={"elder_mode": "1"})
    with app.app_context():
        assert db.session.get(User, seeker.id).elder_mode is True

    # Another device, never switched: the account's choice.
    station = _client(app, seeker)
    page = station.get("/me").get_data(as_text=True)
    assert _is_elder(page)
    # The simple menu: the few tasks a seeker needs; the rest is one tap away on 我的求职.
    assert _nav_links(page) == [
        "找岗位",
        "招聘会",
        "我的投递",
        "我的排队",
        "我的资料",
        "更多服务",
        "通知",
    ]
    assert "我的就业登记" in page  # still reachable from the page itself

    # A device switched off keeps its own choice.
    station.set_cookie("jf_elder", "0")
    page = station.get("/me").get_data(as_text=True)
    assert not _is_elder(page)
    assert "我的就业登记" in _nav_links(page)


def test_registering_on_a_device_in_elder_mode_starts_the_account_in_it(app):
    c = _client(app)
    c.post("/display/elder-mode", data={"elder_mode": "1"})
    c.post(
        "/register",
        data={
            "name": "陈阿姨",
            "login": "13955550111",
            "password": "chen-ayi-2026",
            "role": "seeker",
        },
    )
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(phone="13955550111"))
        assert user is not None and user.elder_mode is True


def test_staff_keep_their_full_menu_in_large_type(app, make_user):
    organiser = make_user(role="organiser")
    c = _client(app, organiser)
    c.post("/display/elder-mode", data={"elder_mode": "1"})
    page = c.get("/").get_data(as_text=True)
    assert _is_elder(page)
    assert "数据看板" in _nav_links(page) and "账号安全" in _nav_links(page)
    assert "常用服务" not in page


def test_display_api(app, make_user):
    seeker = make_user()
    c = _client(app, seeker)
    got = c.get("/api/v1/me/display").get_json()
    assert got["elder_mode"] is False and got["chat_warn_seconds"] == 60
    assert got["call_grace_minutes"] == 0

    resp = c.put("/api/v1/me/display", json={"elder_mode": True})
    assert resp.status_code == 200
    got = resp.get_json()
    assert got["elder_mode"] is True and got["account_elder_mode"] is True
    assert got["chat_warn_seconds"] == 180 and got["call_grace_minutes"] == 3
    assert "jf_elder=1" in resp.headers["Set-Cookie"]
    with app.app_context():
        assert db.session.get(User, seeker.id).elder_mode is True

    for bad in ({"elder_mode": "perhaps"}, {}, {"elder_mode": None}):
        resp = c.put("/api/v1/me/display", json=bad)
        assert resp.status_code == 422, bad
        assert "长辈版" in resp.get_json()["error"]["message"]
    assert _client(app).get("/api/v1/me/display").status_code == 401


# --- forms of address and 未填写 -------------------------------------------------------------


def _save_profile(client, **overrides):
    data = {"name": "李建国", "phone": "13800000000", "education": "none"}
    data.update(overrides)
    return client.post("/me/profile", data=data)


def test_profile_offers_the_forms_of_address_and_the_api_stores_them(app, make_user):
    seeker = make_user(name="李建国")
    c = _client(app, seeker)
    page = c.get("/me/profile").get_data(as_text=True)
    assert "希望招聘人员怎样称呼您" in page
    for text in ("只称呼姓名", "先生", "女士"):
        assert text in page
    assert "同学" not in page
    # Education not given reads 未填写 in the form, never the requirement word 不限.
    assert '<option value="none" selected>未填写</option>' in page

    assert _save_profile(c, address_form="ms").status_code == 302
    got = c.get("/api/v1/me/profile").get_json()
    assert got["address_form"] == "ms" and got["address"] == "李女士"
    assert got["education_label"] == "未填写"

    resp = c.put("/api/v1/me/profile", json={"address_form": "madam"})
    assert resp.status_code == 422
    resp = c.put("/api/v1/me/profile", json={"address_form": "mr"})
    assert resp.get_json()["address"] == "李先生"
    with app.app_context():
        assert db.session.get(User, seeker.id).address_form == "mr"


def test_reps_and_live_rooms_use_the_chosen_form_never_tongxue(app, world: World):
    from jobfair.live import chat as live_chat

    li, wang, zhang = world.seekers[:3]  # 李建国, 王芳, 张伟
    _save_profile(_client(app, li), name="李建国", address_form="mr")
    _save_profile(_client(app, wang), name="王芳", phone="13800000001", address_form="ms")
    with app.app_context():
        db.session.get(User, li.id).address_form = "mr"
        db.session.get(User, wang.id).address_form = "ms"
        db.session.commit()

    # Public live room: 李先生, 王女士, and a seeker who chose nothing by masked name.
    with app.app_context():
        authors = {}
        for n, user in enumerate((li, wang, zhang)):
            data = live_chat.send_session_message(
                db.session.get(User, user.id), world.session_id, f"c-{n}", "请问招几个人？"
            )
            authors[user.name] = data["author"]
    assert authors == {"李建国": "李先生", "王芳": "王女士", "张伟": "张*"}

    # The rep's desk: the name, how to address them, and 未填写 for education not given.
    for seeker in (li, zhang):
        _client(app, seeker).post(f"/live/booths/{world.booth_id}/queue")
    rep = _client(app, world.rep)
    desk = rep.get(f"/live/booths/{world.booth_id}/desk").get_data(as_text=True)
    assert "称呼：李先生" in desk and "称呼：张伟" in desk
    assert "学历：未填写" in desk
    assert "同学" not in desk and "不限" not in desk

    resp = rep.post(f"/live/booths/{world.booth_id}/call")
    chat_page = rep.get(resp.headers["Location"]).get_data(as_text=True)
    assert "称呼：李先生" in chat_page and "同学" not in chat_page


def test_applicant_without_education_reads_wei_tianxie(app, make_user, make_position):
    position = make_position(title="钟点保洁员")
    seeker = make_user(name="周大海")
    c = _client(app, seeker)
    _save_profile(c, name="周大海", phone="13800000009", address_form="mr")
    c.post(f"/positions/{position.id}/apply", data={"note": ""})
    boss = _client(app, position.employer.user)
    listing = boss.get(f"/employer/positions/{position.id}/applicants").get_data(as_text=True)
    assert "未填写" in listing and "不限" not in listing
    link = re.search(r'href="(/employer/applications/\d+)"', listing).group(1)
    detail = boss.get(link).get_data(as_text=True)
    assert "<dt>学历</dt><dd>未填写</dd>" in detail
    assert "<dt>出生年份</dt><dd>未填写</dd>" in detail
    assert "<dt>称呼</dt><dd>周先生</dd>" in detail


# --- no hurry: longer waits for a seeker in 长辈版 ------------------------------------------


def test_elder_seeker_called_from_the_queue_gets_more_time(app, world: World):
    li, wang = world.seekers[:2]
    with app.app_context():
        db.session.get(User, li.id).elder_mode = True
        db.session.commit()
    _client(app, li).post(f"/live/booths/{world.booth_id}/queue")
    rep = _client(app, world.rep)
    before = utcnow()
    resp = rep.post(f"/live/booths/{world.booth_id}/call")
    chat_id = int(re.search(r"/live/chats/(\d+)", resp.headers["Location"]).group(1))
    with app.app_context():
        chat = db.session.get(InterviewChat, chat_id)
        # 10-minute chats at this booth, plus 3 minutes to arrive.
        assert chat.ends_at - before >= timedelta(minutes=13) - timedelta(seconds=5)

    page = rep.get(f"/live/chats/{chat_id}").get_data(as_text=True)
    assert 'data-warn-seconds="180"' in page and "这位求职者使用长辈版" in page
    seeker_page = _client(app, li).get(f"/live/chats/{chat_id}").get_data(as_text=True)
    assert 'data-warn-seconds="180"' in seeker_page
    queues = _client(app, li).get("/live/queues").get_data(as_text=True)
    assert "会多留 3 分钟让您进入面谈" in queues


def test_elder_seeker_is_not_marked_absent_before_the_extra_minutes(app, world: World):
    li = world.seekers[0]
    with app.app_context():
        db.session.get(User, li.id).elder_mode = True
        db.session.commit()
    _client(app, li).post(f"/live/booths/{world.booth_id}/queue")
    rep = _client(app, world.rep)
    resp = rep.post(f"/live/booths/{world.booth_id}/call")
    chat_id = int(re.search(r"/live/chats/(\d+)", resp.headers["Location"]).group(1))
    end = {"notes": "", "next_step": "none", "no_show": "1"}
    resp = rep.post(f"/live/chats/{chat_id}/end", data=end, follow_redirects=True)
    assert "叫号后请至少等待 3 分钟再登记未到场" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(InterviewChat, chat_id).ended_at is None
        entry = db.session.scalar(db.select(QueueEntry).filter_by(seeker_user_id=li.id))
        entry.called_at = utcnow() - timedelta(minutes=4)
        entry_id = entry.id
        db.session.commit()
    rep.post(f"/live/chats/{chat_id}/end", data=end)
    with app.app_context():
        assert db.session.get(InterviewChat, chat_id).ended_at is not None
        assert db.session.get(QueueEntry, entry_id).status == "skipped"


def test_standard_seeker_keeps_the_usual_timing(app, world: World):
    wang = world.seekers[1]
    _client(app, wang).post(f"/live/booths/{world.booth_id}/queue")
    rep = _client(app, world.rep)
    before = utcnow()
    resp = rep.post(f"/live/booths/{world.booth_id}/call")
    chat_id = int(re.search(r"/live/chats/(\d+)", resp.headers["Location"]).group(1))
    with app.app_context():
        chat = db.session.get(InterviewChat, chat_id)
        assert chat.ends_at - before < timedelta(minutes=10, seconds=5)
    page = rep.get(f"/live/chats/{chat_id}").get_data(as_text=True)
    assert 'data-warn-seconds="60"' in page and "使用长辈版" not in page
    resp = rep.post(f"/live/chats/{chat_id}/end", data={"next_step": "none", "no_show": "1"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(SeekerProfile.id).filter_by(user_id=wang.id)) is not None
