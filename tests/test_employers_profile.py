"""Employer profile: 统一社会信用代码 check, pending status, re-verification, API guards."""

import pytest
from conftest import credit_code, sign_in

from jobfair.employers.services import credit_code_problem, is_valid_credit_code
from jobfair.extensions import db
from jobfair.models import AuditLog, Employer

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def profile_form(**overrides):
    data = {
        "name": "南京示例机械制造有限公司",
        "credit_code": credit_code(501),
        "industry": "制造业",
        "size": "100-499人",
        "district": "江宁区",
        "address": "江宁区示例路 8 号",
        "contact_name": "李经理",
        "contact_phone": "025-52123456",
        "description": "主营数控机床配件。",
    }
    data.update(overrides)
    return data


def employers(app):
    with app.app_context():
        return [
            (e.user_id, e.name, e.credit_code, e.status)
            for e in db.session.scalars(db.select(Employer).order_by(Employer.id))
        ]


@pytest.mark.parametrize("n", [1, 7, 42, 501, 123456789])
def test_valid_codes_pass_and_every_single_character_change_fails(n):
    code = credit_code(n)
    assert is_valid_credit_code(code)
    for i in range(18):
        replacement = ALPHABET[(ALPHABET.index(code[i]) + 5) % 31]
        mutated = code[:i] + replacement + code[i + 1 :]
        assert not is_valid_credit_code(mutated), mutated


def test_lower_case_spaces_and_bad_characters():
    code = credit_code(3)
    assert is_valid_credit_code(code.lower())
    assert is_valid_credit_code(code[:6] + " " + code[6:])
    assert "18 位" in credit_code_problem(code[:-1])
    assert "不含" in credit_code_problem("I" + code[1:])  # I is not in the alphabet


def test_new_profile_is_pending_and_stored_upper_case(app, client, make_user):
    user = make_user(role="employer")
    sign_in(client, user)
    resp = client.post("/employer/profile", data=profile_form(credit_code=credit_code(501).lower()))
    assert resp.status_code == 302
    assert employers(app) == [(user.id, "南京示例机械制造有限公司", credit_code(501), "pending")]
    page = client.get("/employer").get_data(as_text=True)
    assert "待审核" in page and "南京示例机械制造有限公司" in page


def test_wrong_check_character_gets_clear_message_and_nothing_is_written(app, client, make_user):
    sign_in(client, make_user(role="employer"))
    code = credit_code(501)
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    resp = client.post("/employer/profile", data=profile_form(credit_code=bad))
    assert resp.status_code == 422
    assert "统一社会信用代码校验位不正确，请核对营业执照" in resp.get_data(as_text=True)
    assert employers(app) == []


def test_other_field_errors_are_reported(app, client, make_user):
    sign_in(client, make_user(role="employer"))
    resp = client.post(
        "/employer/profile",
        data=profile_form(contact_phone="12345", district="朝阳区", industry="赌场"),
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "固定电话" in page and "请选择所在区" in page and "不是可选的值" in page
    assert employers(app) == []


def test_duplicate_credit_code_is_refused(app, client, make_user, make_employer):
    make_employer(credit_code=credit_code(777))
    sign_in(client, make_user(role="employer"))
    resp = client.post("/employer/profile", data=profile_form(credit_code=credit_code(777)))
    assert resp.status_code == 409
    assert "该统一社会信用代码已注册" in resp.get_data(as_text=True)
    assert len(employers(app)) == 1


def test_verified_employer_renaming_goes_back_to_pending(app, client, make_employer):
    emp = make_employer(status="verified", credit_code=credit_code(900))
    sign_in(client, emp.user)
    form = profile_form(name=emp.name, credit_code=emp.credit_code, address="新地址 1 号")
    assert client.post("/employer/profile", data=form).status_code == 302
    assert employers(app)[0][3] == "verified"  # other fields: stays verified
    form["name"] = "南京改名后有限公司"
    client.post("/employer/profile", data=form)
    assert employers(app)[0][1:] == ("南京改名后有限公司", credit_code(900), "pending")


def test_rejected_employer_sees_reason_and_resubmits(app, client, make_employer):
    emp = make_employer(status="rejected", review_reason="单位名称与营业执照不一致")
    sign_in(client, emp.user)
    page = client.get("/employer").get_data(as_text=True)
    assert "未通过" in page and "单位名称与营业执照不一致" in page
    form = profile_form(name=emp.name + "（更正）", credit_code=emp.credit_code)
    client.post("/employer/profile", data=form)
    assert employers(app)[0][3] == "pending"


def test_api_profile_put_get_and_extra_fields(app, client, make_user):
    user = make_user(role="employer")
    sign_in(client, user)
    assert client.get("/api/v1/employer/profile").status_code == 404
    resp = client.put("/api/v1/employer/profile", json=profile_form(status="verified"))
    assert resp.status_code == 422
    assert "status" in resp.get_json()["error"]["fields"]
    resp = client.put("/api/v1/employer/profile", json=profile_form(is_verified=True))
    assert resp.status_code == 422
    assert employers(app) == []
    resp = client.put("/api/v1/employer/profile", json=profile_form())
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["status"] == "pending" and body["is_verified"] is False
    assert client.get("/api/v1/employer/profile").get_json()["credit_code"] == credit_code(501)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(AuditLog.id))) == 0


def test_api_profile_duplicate_code_is_409(app, client, make_user, make_employer):
    make_employer(credit_code=credit_code(501))
    sign_in(client, make_user(role="employer"))
    resp = client.put("/api/v1/employer/profile", json=profile_form())
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "credit_code_taken"


def test_positions_page_asks_for_profile_first(client, make_user):
    sign_in(client, make_user(role="employer"))
    resp = client.get("/employer/positions")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/employer/profile")
    assert client.post("/api/v1/employer/positions", json={}).status_code in (409, 422)


def test_dashboard_counts_positions_by_status(client, make_employer, make_position):
    emp = make_employer()
    make_position(employer=emp, status="published")
    make_position(employer=emp, status="published")
    make_position(employer=emp, status="draft")
    sign_in(client, emp.user)
    page = client.get("/employer").get_data(as_text=True)
    assert "已认证" in page
    assert '<span class="num">2</span>招聘中' in page
    assert '<span class="num">1</span>草稿' in page


def test_other_roles_cannot_use_employer_pages(client, make_user):
    sign_in(client, make_user(role="seeker"))
    assert client.get("/employer/profile").status_code == 403
    assert client.get("/api/v1/employer/positions").status_code == 403
