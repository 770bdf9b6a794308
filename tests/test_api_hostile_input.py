"""What a script sending hostile JSON to the API broke: each a clear 4xx, nothing stored."""

import json

import pytest
from conftest import PASSWORD, ack

from jobfair.extensions import db
from jobfair.models import ApiToken, SeekerProfile

JSON = {"Content-Type": "application/json"}

# --- lone surrogates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{"login": "13812345670", "password": "\\ud800"}',
        '{"login": "\\udfff", "password": "x"}',
        '{"login": "13812345670", "password": "x", "\\ud83d": 1}',
    ],
)
def test_a_lone_surrogate_in_a_login_is_a_chinese_400(client, make_user, body):
    make_user(login="13812345670")
    resp = client.post("/api/v1/auth/login", data=body, headers=JSON)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["message"] == "提交的内容含有无法识别的字符，请删除后重试。"


def test_a_lone_surrogate_in_a_token_name_stores_no_token(app, client, make_user):
    make_user(login="13812345671")
    client.post("/api/v1/auth/login", json={"login": "13812345671", "password": PASSWORD})
    resp = client.post("/api/v1/auth/tokens", data='{"name": "ci-\\ud800"}', headers=JSON)
    assert resp.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_a_profile_with_a_lone_surrogate_is_refused_and_emoji_pairs_still_save(
    app, make_user, signed_in
):
    seeker = make_user()
    client = signed_in(seeker)
    resp = client.put(
        "/api/v1/me/profile",
        data='{"name": "王\\ud800明", "phone": "13812345672"}',
        headers=JSON,
    )
    assert resp.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id)) is None
    resp = client.put(
        "/api/v1/me/profile",
        data='{"name": "王明\\ud83d\\ude00", "phone": "13812345672"}',
        headers=JSON,
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["name"] == "王明😀"


# --- numbers past any id ---------------------------------------------------------------------


@pytest.mark.parametrize("after", [str(10**30), str(2**63)])
def test_live_messages_after_a_huge_number_are_none_not_a_500(world, signed_in, after):
    client = signed_in(world.seekers[0])
    resp = client.get(
        f"/api/v1/live/sessions/{world.session_id}/messages", query_string={"after_id": after}
    )
    assert resp.status_code == 200
    assert resp.get_json() == []


@pytest.mark.parametrize("last_seq", [10**30, float("inf")])
def test_rejoining_a_room_with_a_huge_last_number_gets_nothing_missed(world, sock, last_seq):
    reader = sock(world.seekers[1], "/session")
    back = ack(reader, "/session", "join", session_id=world.session_id, last_seq=last_seq)
    assert back["ok"] and back["messages"] == []


@pytest.mark.parametrize("position_id", [str(10**30), "0", "-1"])
def test_hire_prospects_for_a_position_id_past_any_id_is_a_404(
    make_position, signed_in, position_id
):
    position = make_position()
    client = signed_in(position.employer.user)
    resp = client.get("/api/v1/policies/hire-prospects", query_string={"position_id": position_id})
    assert resp.status_code == 404
    assert resp.get_json()["error"]["message"] == "岗位不存在。"


# --- the policy catalogue organisers upload --------------------------------------------------


def _catalogue_with(path: tuple, value) -> dict:
    from jobfair.policies import catalogue

    data = catalogue.read_seed("320100")
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("policies", 0, "for"), ["employer"], "for 应为 seeker 或 employer"),
        (("policies", 0, "claim_by"), {"employer": 1}, "claim_by"),
        (("policies", 0, "conditions", 0, "op"), ["gte"], "op"),
        (("policies", 0, "period", "kind"), ["once"], "period.kind"),
        (("policies", 0, "period", "text"), {"a": 1}, "period的 text 应为文字"),
        (("policies", 0, "amount", "kind"), {}, "amount.kind"),
        (("policies", 0, "amount", "rate"), "__INF__", "amount.rate"),
        (("title",), ["南京"], "title 应为文字"),
    ],
)
def test_a_catalogue_with_lists_objects_or_infinity_where_codes_belong_is_a_422(
    app, make_user, signed_in, path, value, problem
):
    client = signed_in(make_user(role="organiser"))
    body = json.dumps({"content": _catalogue_with(path, value)}).replace('"__INF__"', "1e309")
    resp = client.post("/api/v1/policies/catalogue/versions", data=body, headers=JSON)
    assert resp.status_code == 422
    assert problem in resp.get_json()["error"]["message"]
    assert client.get("/api/v1/policies/catalogue/versions").get_json()["items"] == []


@pytest.mark.parametrize("action", [["approve"], {"approve": True}])
def test_a_subsidy_decision_that_is_a_list_or_object_asks_for_a_decision(
    make_user, signed_in, action
):
    client = signed_in(make_user(role="organiser"))
    resp = client.post("/api/v1/subsidies/1/decision", json={"action": action})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["message"] == "请选择审核结果：通过、退回补正或不予通过。"


# --- marshmallow's English defaults ----------------------------------------------------------


def test_wrong_types_in_list_and_nullable_fields_are_explained_in_chinese(make_user, signed_in):
    client = signed_in(make_user())
    resp = client.put(
        "/api/v1/me/profile",
        json={"name": "王明", "phone": "13812345673", "desired_occupations": None},
    )
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["fields"] == {"desired_occupations": "此项不能为空。"}
    assert "Field may not be null" not in error["message"]


def test_a_list_item_of_the_wrong_type_is_explained_in_chinese(make_employer, signed_in):
    client = signed_in(make_employer().user)
    resp = client.post("/api/v1/employer/positions", json={"welcomed_groups": ["graduate", 1]})
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["fields"]["welcomed_groups.1"] == "应为文本。"
    assert "Not a valid" not in error["message"]


def test_query_parameters_of_the_wrong_type_are_explained_in_chinese(make_employer, signed_in):
    client = signed_in(make_employer().user)
    resp = client.get("/api/v1/policies/hire-prospects", query_string={"position_id": "abc"})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"] == {"position_id": "应为整数（不能有小数）。"}


# --- impossible times ------------------------------------------------------------------------


@pytest.mark.parametrize("when", ["0001-01-01", "0001-01-01T07:59", "9999-12-31T23:59-12:00"])
def test_a_fair_starting_before_year_one_in_utc_is_a_422(make_user, signed_in, when):
    client = signed_in(make_user(role="organiser"))
    resp = client.post(
        "/api/v1/fairs",
        json={"title": "春风行动", "starts_at": when, "ends_at": "2027-03-01T17:00"},
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"]["starts_at"] == "时间超出可用范围。"


# --- contact numbers -------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["0001-01-01", "-1", "\x00abc", "1e309"])
def test_a_mentor_phone_that_is_no_phone_number_is_refused(make_worker, signed_in, phone):
    staff = signed_in(make_worker(districts=("六合区",)))
    resp = staff.post("/api/v1/startups/mentors", json={"name": "李秀兰", "phone": phone})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"] == {
        "phone": "请填写 11 位手机号或带区号的固定电话，如 025-12345678。"
    }
    assert staff.get("/api/v1/startups/mentors").get_json()["items"] == []


@pytest.mark.parametrize("phone", ["", "13812345674", "025-84561234"])
def test_a_mentor_with_a_real_number_or_none_is_saved(make_worker, signed_in, phone):
    staff = signed_in(make_worker(districts=("六合区",)))
    resp = staff.post("/api/v1/startups/mentors", json={"name": "李秀兰", "phone": phone})
    assert resp.status_code == 201, resp.get_json()


# --- saved-search names ----------------------------------------------------------------------


@pytest.mark.parametrize("name", [["叉车"], {"a": 1}, 1.5, True])
def test_an_alert_name_that_is_not_text_is_refused_not_stored_as_its_repr(
    make_user, signed_in, name
):
    client = signed_in(make_user())
    resp = client.post("/api/v1/alerts", json={"name": name, "filters": {"q": "叉车"}})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["message"] == "提醒名称应为文字。"
    assert client.get("/api/v1/alerts").get_json()["items"] == []


def test_control_characters_are_dropped_from_an_alert_name(make_user, signed_in):
    client = signed_in(make_user())
    resp = client.post(
        "/api/v1/alerts", json={"name": "叉\x00车\x1b[31m 夜班", "filters": {"q": "叉车"}}
    )
    assert resp.status_code == 201
    assert resp.get_json()["name"] == "叉车[31m 夜班"


# --- the same inputs over Socket.IO ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "minutes", "code"),
    [(["mute"], 10, "invalid"), ({"mute": 1}, 10, "invalid"), ("mute", float("inf"), "invalid")],
)
def test_a_restriction_with_a_list_kind_or_infinite_minutes_asks_again(
    world, sock, kind, minutes, code
):
    org = sock(world.organiser, "/console")
    got = ack(
        org,
        "/console",
        "restrict",
        fair_id=world.fair_id,
        user_id=world.seekers[0].id,
        kind=kind,
        minutes=minutes,
    )
    assert got["ok"] is False
    assert got["error"]["code"] == code and got["error"]["message"] in (
        "请选择禁言或移出。",
        "请选择时长。",
    )


@pytest.mark.parametrize(
    "signal", [{"type": ["offer"]}, {"type": {"a": 1}}, {"type": "hangup", "reason": ["x"]}]
)
def test_a_call_signal_with_a_list_type_or_reason_is_refused_cleanly(signal):
    from jobfair.errors import DomainError
    from jobfair.live.calls import clean_signal

    with pytest.raises(DomainError) as err:
        clean_signal(signal)
    assert err.value.message == "视频通话数据不正确，请刷新页面后重试。"


@pytest.mark.parametrize("value", [["live"], {"live": 1}])
def test_session_status_and_announcement_scope_that_are_lists_are_bad_requests(world, sock, value):
    org = sock(world.organiser, "/console")
    got = ack(org, "/console", "session_status", session_id=world.session_id, status=value)
    assert got["ok"] is False and got["error"]["message"] == "直播状态无效。"
    viewer = sock(world.seekers[0], "/session")
    ack(viewer, "/session", "join", session_id=world.session_id)
    got = ack(viewer, "/session", "announcements", session_id=world.session_id, scope=value)
    assert got["ok"] is False and got["error"]["message"] == "公告范围不正确。"


# --- dates a person could not have meant -----------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_a_household_identified_in_year_one_is_refused(make_worker, signed_in, day):
    staff = signed_in(make_worker(districts=("六合区",)))
    body = {
        "district": "六合区",
        "label": "龙袍街道某户",
        "identified_on": day,
        "members": [{"name": "张三", "relation": "户主"}],
    }
    resp = staff.post("/api/v1/casework/households", json=body)
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"]["identified_on"] in (
        "日期应在 1900 年到 2100 年之间。",
        "不能晚于今天",
    )
    assert staff.get("/api/v1/casework/households").get_json()["items"] == []


def test_a_training_referral_dated_in_year_one_or_the_future_is_refused(
    make_worker, make_priority_seeker, signed_in
):
    staff = signed_in(make_worker())
    seeker = make_priority_seeker()
    case = staff.post("/api/v1/casework/cases", json={"seeker_id": seeker.id}).get_json()
    url = f"/api/v1/casework/cases/{case['id']}/trainings"
    base = {"course": "电焊工培训", "provider": "江宁技师学院"}
    old = staff.post(url, json={**base, "referred_on": "0001-01-01"})
    assert old.get_json()["error"]["fields"] == {"referred_on": "日期应在 1900 年到 2100 年之间。"}
    future = staff.post(url, json={**base, "referred_on": "2099-01-01"})
    assert future.status_code == 422
    assert future.get_json()["error"]["message"] == "推荐日期不能晚于今天。"


# --- what PostgreSQL refuses (the suite's PostgreSQL pass runs these too) --------------------


@pytest.mark.parametrize("phone", ["\x0013812345678", "138\x0012345678", ["13812345678"]])
def test_claiming_an_account_with_a_phone_no_account_can_have_is_a_422(client, phone):
    resp = client.post(
        "/api/v1/onsite/claim",
        json={"phone": phone, "code": "ABCD2345", "password": "a-long-new-password"},
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"] == "bad_claim"
