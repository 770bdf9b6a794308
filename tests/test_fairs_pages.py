"""Fairs, public pages: fair list, fair page and booth page are complete HTML without
JavaScript, show Beijing times and target groups, hide employer contacts from anonymous
visitors; the demo data loads idempotently."""

from datetime import datetime, timedelta

import pytest
from conftest import sign_in

from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import (
    Booth,
    BoothPosition,
    Fair,
    FairGroup,
    LiveSession,
    LiveSessionEmployer,
)


@pytest.fixture
def fair(app, make_employer, make_position, make_user):
    emp = make_employer(name="南京宁钢精工机械有限公司", contact_phone="13712345678")
    pos = make_position(employer=emp, title="电焊工")
    host = make_user(role="organiser", name="市就业中心")
    with app.app_context(), writing():
        # 2027-03-02 01:00 UTC = 09:00 Beijing time.
        start = datetime(2027, 3, 2, 1, 0)
        fair = Fair(
            title="2027 年春风行动线上招聘会",
            theme="春风送岗位",
            description="第一段介绍。\n第二段<script>alert(1)</script>",
            status="published",
            starts_at=start,
            ends_at=start + timedelta(hours=8),
        )
        fair.groups = [FairGroup(group="rural_migrant")]
        db.session.add(fair)
        db.session.flush()
        booth = Booth(fair_id=fair.id, employer_id=emp.id, status="approved", intro="欢迎技术工人")
        booth.position_links = [BoothPosition(position_id=pos.id)]
        ls = LiveSession(
            fair_id=fair.id,
            title="直播带岗：制造业专场",
            host_user_id=host.id,
            starts_at=start + timedelta(hours=2),
            ends_at=start + timedelta(hours=3),
        )
        ls.employer_links = [LiveSessionEmployer(employer_id=emp.id)]
        db.session.add_all([booth, ls])
        db.session.commit()
        return {"fair": fair.id, "booth": booth.id, "position": pos.id}


def test_fair_page_reads_without_javascript(client, fair):
    html = client.get(f"/fairs/{fair['fair']}").get_data(as_text=True)
    assert "2027 年春风行动线上招聘会" in html and "春风送岗位" in html
    assert "2027-03-02 09:00 至 2027-03-02 17:00（北京时间）" in html
    assert "农村转移劳动力" in html
    assert "南京宁钢精工机械有限公司" in html and "电焊工" in html
    assert f'href="/fairs/{fair["fair"]}/booths/{fair["booth"]}"' in html
    assert "直播带岗：制造业专场" in html and "2027-03-02 11:00–12:00" in html
    # User text is escaped, never rendered as markup.
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "登录后报名" in html
    # No inline scripts or handlers (CSP script-src 'self').
    assert "<script>" not in html and " onclick=" not in html


def test_booth_page_hides_contacts_from_anonymous(app, client, fair, make_user):
    url = f"/fairs/{fair['fair']}/booths/{fair['booth']}"
    html = client.get(url).get_data(as_text=True)
    assert "南京宁钢精工机械有限公司" in html and "欢迎技术工人" in html
    assert f'href="/positions/{fair["position"]}' in html  # apply links
    assert "13712345678" not in html and "王经理" not in html
    assert "登录后查看联系方式" in html
    listed = client.get(f"/api/v1/fairs/{fair['fair']}/booths").get_json()
    assert [b["id"] for b in listed] == [fair["booth"]]
    assert "contact_phone" not in listed[0]["employer"]
    api = client.get(f"/api/v1/fairs/{fair['fair']}/booths/{fair['booth']}").get_json()
    assert "contact_phone" not in api["employer"] and api["positions"][0]["title"] == "电焊工"
    assert (
        "contact_phone"
        not in client.get(f"/api/v1/fairs/{fair['fair']}").get_json()["booths"][0]["employer"]
    )

    seeker = app.test_client()
    sign_in(seeker, make_user())
    assert "13712345678" in seeker.get(url).get_data(as_text=True)


def test_unknown_and_mismatched_ids_are_404(client, fair):
    assert client.get("/fairs/999999").status_code == 404
    assert client.get(f"/fairs/{fair['fair']}/booths/999999").status_code == 404
    assert client.get(f"/fairs/{fair['fair'] + 1}/booths/{fair['booth']}").status_code == 404
    assert client.get("/api/v1/fairs/99999999999999").status_code == 404


def test_fair_list_groups_by_phase(client, fair):
    html = client.get("/fairs").get_data(as_text=True)
    assert "即将开始（1）" in html and "2027 年春风行动线上招聘会" in html
    items = client.get("/api/v1/fairs?phase=upcoming").get_json()
    assert [f["id"] for f in items] == [fair["fair"]]
    assert client.get("/api/v1/fairs?phase=past").get_json() == []


def test_nav_links(app, client, make_user):
    assert 'href="/fairs"' in client.get("/fairs").get_data(as_text=True)
    org = app.test_client()
    sign_in(org, make_user(role="organiser"))
    console = org.get("/organiser").get_data(as_text=True)
    assert 'href="/organiser/fairs"' in console


def test_demo_data_is_idempotent(app, runner):
    from jobfair.models import EmployerRep, FairRegistration, User

    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        fairs = {f.title: f for f in db.session.scalars(db.select(Fair))}
        assert {"高校毕业生云招聘专场", "退捕渔民转产就业专场"} <= set(fairs)
        # The campaign fairs are named after the season the seed runs in; find the one
        # running now by its showcase 直播带岗 session.
        spring = db.session.scalar(
            db.select(LiveSession).filter_by(title="直播带岗：制造业普工专场")
        ).fair
        assert spring.title in fairs and "年" in spring.title
        statuses = sorted(b.status for b in spring.booths)
        assert statuses.count("approved") >= 8 and "pending" in statuses and "declined" in statuses
        graduate = fairs["高校毕业生云招聘专场"]
        assert graduate.eligibility_group == "graduate"
        rep = db.session.scalar(db.select(User).filter_by(phone="13900000004"))
        assert rep.name == "王小凤" and not rep.must_change_password
        link = db.session.scalar(db.select(EmployerRep).filter_by(user_id=rep.id))
        demo_emp = db.session.scalar(db.select(User).filter_by(phone="13900000002"))
        assert link.employer.user_id == demo_emp.id
        assert any(
            b.employer_id == link.employer_id and b.status == "approved" for b in spring.booths
        )
        counts = (
            db.session.scalar(db.select(db.func.count(Booth.id))),
            db.session.scalar(db.select(db.func.count(FairRegistration.id))),
            db.session.scalar(db.select(db.func.count(LiveSession.id))),
        )
        assert counts[1] > 0 and counts[2] >= 3
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Fair.id))) == len(fairs)
        assert (
            db.session.scalar(db.select(db.func.count(Booth.id))),
            db.session.scalar(db.select(db.func.count(FairRegistration.id))),
            db.session.scalar(db.select(db.func.count(LiveSession.id))),
        ) == counts
