"""Seeker profile: saving, validation, masked phone for others, consent-gated priority groups."""

from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import SeekerGroup, SeekerProfile, User

FORM = {
    "name": "李建国",
    "phone": "13812345678",
    "birth_year": "1986",
    "education": "senior",
    "major": "焊接技术",
    "skills": "二氧化碳保护焊，氩弧焊、叉车驾驶",
    "experience": "在钢结构厂做焊工八年。\n负责立焊、仰焊。",
    # The no-JavaScript picker is a multiple <select> of level-4 codes.
    "desired_occupations": ["6-18-02-04", "4-10-01-05"],
    "districts": ["江宁区", "浦口区"],
    "salary_min": "7000",
    "work_forms": ["full_time", "temporary"],
    "intro": "吃苦耐劳，持焊工证。",
}


def profile_of(app, user) -> SeekerProfile | None:
    with app.app_context():
        profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=user.id))
        if profile is not None:
            _ = profile.group_codes, profile.desired_occupations
            db.session.expunge(profile)
        return profile


def test_profile_is_created_on_first_save_and_shown_again(client, app, make_user):
    user = make_user()
    sign_in(client, user)
    assert profile_of(app, user) is None
    page = client.get("/me/profile").get_data(as_text=True)
    assert 'name="desired_occupations" multiple' in page and "data-occupation-picker" in page
    resp = client.post("/me/profile", data=FORM)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    profile = profile_of(app, user)
    assert profile.name == "李建国" and profile.phone == "13812345678"
    assert profile.birth_year == 1986 and profile.salary_min == 7000
    assert profile.skills == "二氧化碳保护焊、氩弧焊、叉车驾驶"
    assert sorted(profile.desired_occupations) == ["4-10-01-05", "6-18-02-04"]
    assert profile.districts == ["江宁区", "浦口区"]
    assert profile.work_forms == ["full_time", "temporary"]
    assert profile.discoverable is False and profile.group_codes == []
    # Name-free tokens for matching.
    assert "焊工" in profile.search_tokens.split() and "李建国" not in profile.search_tokens
    page = client.get("/me/profile").get_data(as_text=True)
    assert "13812345678" in page and '<option value="6-18-02-04" selected>焊工' in page
    # Saving the same profile again works (occupations and groups are replaced cleanly).
    assert client.post("/me/profile", data=FORM).status_code == 302
    home = client.get("/me").get_data(as_text=True)
    assert "资料完整度" in home and "100%" in home


INVALID = [
    ("phone", "12812345678", "11 位手机号"),
    ("phone", "1381234567", "11 位手机号"),
    ("phone", "138123456789", "不能超过"),
    ("birth_year", "1939", "1940"),
    ("birth_year", "2020", "1940"),
    ("education", "phd", "不是可选的值"),
    ("skills", "焊" * 501, "500"),
    ("experience", "经" * 5001, "5000"),
    ("intro", "介" * 2001, "2000"),
    ("districts", ["江宁区", "海淀区"], "本市的区"),
    ("districts", ["玄武区", "秦淮区", "建邺区", "鼓楼区", "浦口区", "栖霞区"], "最多选择 5"),
    ("work_forms", ["forever"], "用工形式"),
    ("desired_occupations", ["9-99-99-99"], "没有找到"),
    ("desired_occupations", ["6-18-02-00"], "没有找到"),
    (
        "desired_occupations",
        ["6-18-02-04", "4-10-01-05", "4-07-05-02", "4-02-07-01", "4-01-02-01", "4-10-01-03"],
        "最多",
    ),
    ("salary_min", "-1", "应在 0 到"),
    ("salary_min", "abc", "整数"),
]


def test_invalid_profile_input_is_refused_and_nothing_stored(client, app, make_user):
    user = make_user()
    sign_in(client, user)
    for field, value, message in INVALID:
        resp = client.post("/me/profile", data=dict(FORM, **{field: value}))
        assert resp.status_code == 422, (field, value)
        assert message in resp.get_data(as_text=True), (field, value)
    assert profile_of(app, user) is None


def test_one_submit_names_every_mistake_in_one_clean_sentence(client, app, make_user):
    """A bad salary used to hide the phone and birth-year mistakes until the next submit."""
    user = make_user()
    sign_in(client, user)
    bad = dict(FORM, phone="1390000", birth_year="1871", salary_min="-5")
    page = client.post("/me/profile", data=bad).get_data(as_text=True)
    assert "请输入 11 位手机号" in page and "应在 1940 到" in page and "应在 0 到" in page
    # The typed values stay in the form, and the summary has no "。；" stutter.
    assert 'value="1390000"' in page and 'value="1871"' in page
    assert "。；" not in page
    assert profile_of(app, user) is None


def test_phone_is_full_for_the_owner_and_masked_for_everyone_else(app, make_user):
    from jobfair.seekers import services

    owner = make_user()
    with app.app_context(), writing():
        user = db.session.get(User, owner.id)
        services.save_profile(user, {"name": "张敏", "phone": "13812345678"})
        profile = services.get_profile(user)
        mine = services.profile_dict(profile, owner=True)
        other = services.profile_dict(profile, owner=False)
    assert mine["phone"] == "13812345678"
    assert other["phone"] == "138****5678"
    assert "groups" not in other and "group_consent" not in other


def test_api_profile_get_and_put(client, app, make_user):
    user = make_user()
    sign_in(client, user)
    assert client.get("/api/v1/me/profile").get_json()["exists"] is False
    resp = client.put(
        "/api/v1/me/profile",
        json={"name": "王芳", "phone": "13912345678", "desired_occupations": ["4-10-01-05"]},
    )
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["phone"] == "13912345678" and body["desired_occupations"][0]["name"] == "养老护理员"
    # Fields left out keep their values.
    body = client.put("/api/v1/me/profile", json={"major": "护理"}).get_json()
    assert body["name"] == "王芳" and body["major"] == "护理"
    assert len(body["desired_occupations"]) == 1
    # API clients may also name occupations (names and common job-board titles).
    body = client.put(
        "/api/v1/me/profile", json={"desired_occupations": "焊工、养老护理员"}
    ).get_json()
    assert sorted(o["code"] for o in body["desired_occupations"]) == ["4-10-01-05", "6-18-02-04"]
    resp = client.put("/api/v1/me/profile", json={"desired_occupations": ["宇宙飞船驾驶员"]})
    assert resp.status_code == 422 and "宇宙飞船驾驶员" in resp.get_json()["error"]["message"]


def test_api_put_with_unknown_fields_is_422_and_changes_nothing(client, app, make_user):
    user = make_user()
    sign_in(client, user)
    client.put("/api/v1/me/profile", json={"name": "王芳", "phone": "13912345678"})
    for extra in (
        {"role": "organiser"},
        {"user_id": 1},
        {"is_verified": True},
        {"group_consent_at": "2020-01-01T00:00:00"},
        {"search_tokens": "x"},
    ):
        resp = client.put("/api/v1/me/profile", json={"name": "改名了", **extra})
        assert resp.status_code == 422, extra
        assert resp.get_json()["error"]["code"] == "validation_error"
    profile = profile_of(app, user)
    assert profile.name == "王芳" and profile.group_consent_at is None
    with app.app_context():
        assert db.session.get(User, user.id).role == "seeker"


def test_api_put_rejects_bad_json_shapes(client, make_user):
    sign_in(client, make_user())
    assert client.put("/api/v1/me/profile", json=["x"]).status_code == 400
    resp = client.put("/api/v1/me/profile", json={"desired_occupations": 5})
    assert resp.status_code == 422
    resp = client.put("/api/v1/me/profile", json={"districts": "江宁区"})
    assert resp.status_code == 422
    for bad in ({"districts": [{"a": 1}]}, {"groups": [1]}, {"birth_year": "一九八六"}):
        resp = client.put("/api/v1/me/profile", json=bad)
        assert resp.status_code == 422
        message = resp.get_json()["error"]["message"]
        assert "Not a valid" not in message and "提交的数据有误" in message
    resp = client.put("/api/v1/me/profile", json={"name": "a\x00b<script>"})
    assert resp.status_code == 200 and resp.get_json()["name"] == "ab<script>"


def test_only_seekers_have_profiles(client, make_user):
    sign_in(client, make_user(role="employer"))
    assert client.get("/me/profile").status_code == 403
    assert client.put("/api/v1/me/profile", json={"name": "x"}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get("/me/profile").status_code == 302
    assert client.get("/api/v1/me/profile").status_code == 401


# --- priority groups and the separate consent ----------------------------------------------


def groups_in_db(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(SeekerGroup))


def test_consent_box_is_separate_and_unticked(client, make_user):
    sign_in(client, make_user())
    page = client.get("/me/profile").get_data(as_text=True)
    assert "我同意平台为匹配岗位和就业帮扶使用我的重点群体身份信息（敏感个人信息）" in page
    consent = page.split('name="group_consent"')[1].split(">")[0]
    assert "checked" not in consent


def test_groups_without_consent_are_refused_and_nothing_is_stored(client, app, make_user):
    user = make_user()
    sign_in(client, user)
    resp = client.post("/me/profile", data=dict(FORM, groups=["veteran", "graduate"]))
    assert resp.status_code == 422
    assert "单独勾选同意" in resp.get_data(as_text=True)
    assert profile_of(app, user) is None and groups_in_db(app) == 0
    resp = client.put("/api/v1/me/profile", json={"name": "李", "groups": ["veteran"]})
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "consent_required"
    assert profile_of(app, user) is None and groups_in_db(app) == 0


def test_groups_with_consent_are_stored_and_withdrawal_deletes_them(client, app, make_user):
    user = make_user()
    sign_in(client, user)
    data = dict(FORM, groups=["veteran", "retired_fisher"], group_consent="1")
    assert client.post("/me/profile", data=data).status_code == 302
    profile = profile_of(app, user)
    assert profile.group_codes == ["retired_fisher", "veteran"]
    assert profile.group_consent is True and profile.group_consent_at is not None
    first_consent = profile.group_consent_at
    # Saving again with consent keeps the original consent time.
    client.post("/me/profile", data=dict(data, groups=["veteran"]))
    profile = profile_of(app, user)
    assert profile.group_codes == ["veteran"] and profile.group_consent_at == first_consent
    # Withdrawing consent (untick) deletes the stored groups, even if boxes stay ticked.
    resp = client.post("/me/profile", data=dict(FORM), follow_redirects=True)
    assert "已撤回重点群体信息授权" in resp.get_data(as_text=True)
    profile = profile_of(app, user)
    assert profile.group_codes == [] and profile.group_consent is False
    assert profile.group_consent_at is None and groups_in_db(app) == 0


def test_api_consent_withdrawal_deletes_groups(client, app, make_user):
    user = make_user()
    sign_in(client, user)
    body = client.put(
        "/api/v1/me/profile", json={"groups": ["graduate"], "group_consent": True}
    ).get_json()
    assert body["groups"] == ["graduate"] and body["group_consent_at"]
    # Under a standing consent, groups can be changed without repeating it.
    body = client.put("/api/v1/me/profile", json={"groups": ["veteran"]}).get_json()
    assert body["groups"] == ["veteran"]
    body = client.put("/api/v1/me/profile", json={"group_consent": False}).get_json()
    assert body["groups"] == [] and body["group_consent_at"] is None
    assert groups_in_db(app) == 0
    resp = client.put("/api/v1/me/profile", json={"groups": ["veteran"]})
    assert resp.status_code == 422 and groups_in_db(app) == 0


def test_xss_in_profile_text_is_escaped_on_the_owners_pages(client, make_user):
    sign_in(client, make_user())
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    client.post("/me/profile", data=dict(FORM, intro=payload, major=payload[:100]))
    page = client.get("/me/profile").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<img src=x" not in page
