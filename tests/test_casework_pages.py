"""The case worker's HTML forms: open a file, write the plan, contacts, placements, households."""

from conftest import bj_today, sign_in

from jobfair.extensions import db


def test_case_worker_builds_a_file_through_the_forms(app, make_priority_seeker, make_worker):
    worker = make_worker(districts=("六合区",), name="六合工作人员")
    seeker = make_priority_seeker("姜伟", groups=("retired_fisher",), district="六合区")
    client = sign_in(app.test_client(), worker)

    page = client.get("/casework/cases/new").get_data(as_text=True)
    assert "为 姜伟 建档" in page
    resp = client.post("/casework/cases/new", data={"seeker_id": seeker.id})
    assert resp.status_code == 302
    case_url = resp.headers["Location"]
    case_id = int(case_url.rstrip("/").split("/")[-1])

    page = client.get(case_url, query_string={"reason": "follow_up"}).get_data(as_text=True)
    assert "待制定" in page  # plan due within 30 days

    today = bj_today().isoformat()
    resp = client.post(
        f"/casework/cases/{case_id}/update",
        data={
            "status": "in_progress",
            "worker_id": str(worker.id),
            "needs": "想学叉车",
            "plan_paths": ["training", "transfer"],
            "plan_note": "先培训再推荐",
            "outcome": "",
        },
        follow_redirects=True,
    )
    page = resp.get_data(as_text=True)
    assert "档案已更新" in page and "按期制定" in page

    resp = client.post(
        f"/casework/cases/{case_id}/update",
        data={"status": "employed", "outcome": ""},
        follow_redirects=True,
    )
    assert "标记为“已就业”时请选择就业结果" in resp.get_data(as_text=True)

    resp = client.post(
        f"/casework/cases/{case_id}/contacts",
        data={"contact_on": today, "channel": "visit", "summary": "上门摸底"},
        follow_redirects=True,
    )
    assert "上门摸底" in resp.get_data(as_text=True)
    resp = client.post(
        f"/casework/cases/{case_id}/contacts",
        data={"contact_on": today, "channel": "visit", "summary": ""},
        follow_redirects=True,
    )
    assert "联系内容" in resp.get_data(as_text=True)

    resp = client.post(
        f"/casework/cases/{case_id}/trainings",
        data={"course": "叉车司机", "provider": "六合区职业技能培训中心", "referred_on": today},
        follow_redirects=True,
    )
    assert "叉车司机（六合区职业技能培训中心）" in resp.get_data(as_text=True)

    resp = client.post(
        f"/casework/cases/{case_id}/placements",
        data={
            "employer_name": "六合区某物流公司",
            "job_title": "叉车司机",
            "placed_on": today,
            "evidence": "劳动合同已核验",
        },
        follow_redirects=True,
    )
    page = resp.get_data(as_text=True)
    assert "平台外就业已登记" in page and "已就业" in page

    from jobfair.models import CaseFile

    with app.app_context():
        case = db.session.get(CaseFile, case_id)
        assert (case.status, case.outcome) == ("employed", "placement")
        assert case.plan_paths == ["transfer", "training"]

    campaign = client.get("/casework/fishers").get_data(as_text=True)
    assert "1 / 1" in campaign and "按期制定" in campaign


def test_household_form_and_list(app, make_priority_seeker, make_worker):
    worker = make_worker(districts=("六合区",))
    member = make_priority_seeker("范强", groups=("zero_employment_household",), district="六合区")
    client = sign_in(app.test_client(), worker)
    resp = client.post(
        "/casework/households/new",
        data={
            "district": "鼓楼区",
            "label": "某户",
            "identified_on": bj_today().isoformat(),
            "member_name_1": "范强",
        },
    )
    assert resp.status_code == 403  # not this worker's district

    resp = client.post(
        "/casework/households/new",
        data={"district": "六合区", "label": "某户", "identified_on": bj_today().isoformat()},
    )
    assert resp.status_code == 422 and "家庭成员" in resp.get_data(as_text=True)

    resp = client.post(
        "/casework/households/new",
        data={
            "district": "六合区",
            "label": "龙袍街道 范家",
            "identified_on": bj_today().isoformat(),
            "member_name_1": "范强",
            "member_relation_1": "户主",
            "member_phone_1": member.phone,
            "member_name_2": "范父",
        },
        follow_redirects=True,
    )
    page = resp.get_data(as_text=True)
    assert "零就业家庭已登记" in page and "已关联求职者账号" in page
    listing = client.get("/casework/households?state=open").get_data(as_text=True)
    assert "龙袍街道 范家" in listing and "未满 3 轮" in listing


def test_supervisor_sets_the_campaign_and_the_view_counts_down(
    app, make_worker, make_priority_seeker
):
    from datetime import UTC, datetime

    import time_machine

    supervisor = make_worker(districts=(), supervisor=True)
    make_priority_seeker("唐家豪", groups=("retired_fisher",), district="六合区")
    with time_machine.travel(datetime(2026, 6, 10, 2, 0, tzinfo=UTC), tick=False):
        client = sign_in(app.test_client(), supervisor)
        resp = client.post(
            "/casework/settings",
            data={
                "campaign_start": "2026-06-01",
                "campaign_end": "2026-05-01",
                "plan_days": "30",
                "household_deadline_days": "30",
            },
        )
        assert resp.status_code == 422
        assert "攻坚结束日期不能早于开始日期" in resp.get_data(as_text=True)
        resp = client.post(
            "/casework/settings",
            data={
                "campaign_start": "2026-06-01",
                "campaign_end": "2026-09-08",
                "plan_days": "20",
                "household_deadline_days": "45",
            },
        )
        assert resp.status_code == 302
        page = client.get("/casework/fishers").get_data(as_text=True)
        assert "剩余 <strong>91</strong> 天" in page
        assert "0 / 1" in page and "20 天内制定方案" in page
        form = client.get("/casework/households/new").get_data(as_text=True)
        assert 'value="45"' in form

    plain = sign_in(app.test_client(), make_worker(districts=("六合区",)))
    assert plain.get("/casework/settings").status_code == 403
