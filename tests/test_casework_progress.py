"""Targets move only on outcome records: 就业登记 at 入职 and placements, each person once."""

from datetime import datetime, timedelta

from conftest import bj_today, sign_in, this_year

from jobfair.extensions import db


def _progress(app, target_id):
    with app.app_context():
        from jobfair.casework import targets
        from jobfair.models import Target

        return targets.target_progress(db.session.get(Target, target_id))


def _create_target(client, worker, kind="hardship", goal=4, district="江宁区", year=None):
    resp = client.post(
        "/api/v1/casework/targets",
        json={
            "year": year or this_year(),
            "district": district,
            "kind": kind,
            "goal": goal,
            "worker_id": worker.id,
        },
    )
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def test_progress_moves_only_on_hires_and_placements_once_per_person(
    app, client, make_priority_seeker, make_worker, make_position, make_hire
):
    worker = make_worker()
    sign_in(client, worker)
    target_id = _create_target(client, worker)
    pos = make_position()
    pos2 = make_position(employer=pos.employer, title="仓库保管员")

    a = make_priority_seeker("王大力", groups=("urban_hardship",))
    make_hire(a, pos, status="submitted")
    assert _progress(app, target_id)["done"] == 0  # an application alone is no outcome

    b = make_priority_seeker("李秀英", groups=("zero_employment_household",))
    make_hire(b, pos, status="interview")
    assert _progress(app, target_id)["done"] == 0  # nor is an interview

    make_hire(a, pos2, status="hired")
    assert _progress(app, target_id)["done"] == 0  # 录用 is an offer, not work

    make_hire(a, make_position(employer=pos.employer, title="搬运工"), status="onboarded")
    p = _progress(app, target_id)
    assert (p["done"], p["by_source"]["platform_hire"], p["by_source"]["placement"]) == (1, 1, 0)

    # A placement for the same person does not count twice.
    resp = client.post(
        "/api/v1/casework/placements",
        json={
            "seeker_id": a.id,
            "employer_name": "江宁社区服务中心",
            "job_title": "保洁员",
            "placed_on": bj_today().isoformat(),
            "evidence": "劳动合同已核验",
        },
    )
    assert resp.status_code == 201
    assert _progress(app, target_id)["done"] == 1

    # A placement for another hardship seeker counts.
    resp = client.post(
        "/api/v1/casework/placements",
        json={
            "seeker_id": b.id,
            "employer_name": "某物业公司",
            "job_title": "绿化工",
            "placed_on": bj_today().isoformat(),
            "evidence": "社保缴费记录",
        },
    )
    assert resp.status_code == 201
    p = _progress(app, target_id)
    assert (p["done"], p["goal"], p["pct"]) == (2, 4, 50)
    assert (p["by_source"]["platform_hire"], p["by_source"]["placement"]) == (1, 1)


def test_other_district_group_year_and_undone_hires_do_not_count(
    app, client, make_priority_seeker, make_worker, make_position, make_hire
):
    worker = make_worker(supervisor=True)
    sign_in(client, worker)
    target_id = _create_target(client, worker, kind="hardship")
    pos = make_position()

    on = "onboarded"
    make_hire(make_priority_seeker("赵一", district="鼓楼区"), pos, status=on)  # lives elsewhere
    make_hire(make_priority_seeker("钱二", groups=("graduate",)), pos, status=on)  # not hardship
    last_year = datetime(this_year() - 1, 6, 1, 8)
    make_hire(make_priority_seeker("孙三"), pos, at=last_year, status=on)  # last year
    make_hire(
        make_priority_seeker("李四", groups=(), consent=False), pos, status=on
    )  # no consent: group unknown
    make_hire(make_priority_seeker("周五"), pos, status="rejected_after_hire")  # hire undone
    make_hire(make_priority_seeker("郑六", verified=False), pos, status=on)  # 本人申报 only
    assert _progress(app, target_id)["done"] == 0

    make_hire(
        make_priority_seeker("吴六", groups=("registered_poor", "veteran")), pos, status="onboarded"
    )
    assert _progress(app, target_id)["done"] == 1


def test_urban_unemployed_counts_only_people_with_a_unemployment_registration_before_the_hire(
    app, client, make_priority_seeker, make_worker, make_position, make_hire
):
    worker = make_worker()
    sign_in(client, worker)
    target_id = _create_target(client, worker, kind="urban_unemployed", goal=10)
    new_id = _create_target(client, worker, kind="new_employment", goal=10)
    pos = make_position()
    registered, same_day, none = (
        make_priority_seeker(n, groups=()) for n in ("郑七", "王八", "冯九")
    )
    earlier = (bj_today() - timedelta(days=40)).isoformat()
    for who, day in ((registered, earlier), (same_day, bj_today().isoformat())):
        resp = client.post(
            f"/api/v1/casework/seekers/{who.id}/unemployment",
            json={"registered_on": day, "place": "江宁区公共就业服务中心"},
        )
        assert resp.status_code == 201, resp.get_json()
    for who in (registered, same_day, none):
        make_hire(who, pos, status="onboarded")
    assert _progress(app, target_id)["done"] == 1  # only the one registered before
    assert _progress(app, new_id)["done"] == 3  # all three are 城镇新增就业
    # The registration closed on the first day of work.
    data = client.get(f"/api/v1/casework/seekers/{registered.id}/records").get_json()
    assert data["unemployment"][0]["ended_on"] == bj_today().isoformat()


def test_target_detail_masks_people_for_organisers_outside_the_district(
    app, client, make_user, make_priority_seeker, make_worker, make_position, make_hire
):
    worker = make_worker()
    sign_in(client, worker)
    target_id = _create_target(client, worker, goal=3)
    seeker = make_priority_seeker("欧阳明月")
    make_hire(seeker, make_position(), status="onboarded")

    page = client.get(f"/casework/targets/{target_id}").get_data(as_text=True)
    assert "已完成 <strong>1</strong> / 3 人（33%）" in page
    assert "欧阳明月" in page and seeker.phone in page

    outsider = sign_in(app.test_client(), make_user(role="organiser"))
    page = outsider.get(f"/casework/targets/{target_id}").get_data(as_text=True)
    assert "欧阳明月" not in page and "欧***" in page
    assert seeker.phone not in page
    data = outsider.get(f"/api/v1/casework/targets/{target_id}").get_json()
    assert data["masked"] is True and data["outcomes"][0]["name"] == "欧***"
    assert data["progress"]["done"] == 1


def test_target_validation_messages_in_chinese(app, client, make_user, make_worker):
    worker = make_worker()
    other = make_worker(districts=("鼓楼区",))
    sign_in(client, worker)
    base = {"year": this_year(), "district": "江宁区", "kind": "hardship", "goal": 5}

    resp = client.post("/api/v1/casework/targets", json={**base, "goal": 0, "worker_id": worker.id})
    assert resp.status_code == 422
    assert "目标人数" in resp.get_json()["error"]["message"]

    resp = client.post("/api/v1/casework/targets", json={**base, "worker_id": other.id})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["message"].startswith("负责人须为负责该区的个案工作人员")

    resp = client.post(
        "/api/v1/casework/targets", json={**base, "district": "火星区", "worker_id": worker.id}
    )
    assert resp.status_code == 422

    assert (
        client.post("/api/v1/casework/targets", json={**base, "worker_id": worker.id}).status_code
        == 201
    )
    resp = client.post("/api/v1/casework/targets", json={**base, "worker_id": worker.id})
    assert resp.status_code == 409 and "已存在" in resp.get_json()["error"]["message"]

    # The HTML form shows the message next to the field and keeps the input.
    resp = client.post(
        "/casework/targets/new",
        data={**base, "goal": "", "kind": "graduate", "worker_id": str(worker.id)},
    )
    assert resp.status_code == 422
    assert "目标人数" in resp.get_data(as_text=True)


def test_placement_needs_evidence_and_a_past_date(app, client, make_priority_seeker, make_worker):
    worker = make_worker()
    sign_in(client, worker)
    seeker = make_priority_seeker()
    body = {
        "seeker_id": seeker.id,
        "employer_name": "某公司",
        "job_title": "保安",
        "placed_on": bj_today().isoformat(),
        "evidence": "  ",
    }
    resp = client.post("/api/v1/casework/placements", json=body)
    assert resp.status_code == 422 and "佐证说明" in resp.get_json()["error"]["message"]
    tomorrow = (bj_today() + timedelta(days=2)).isoformat()
    resp = client.post(
        "/api/v1/casework/placements", json={**body, "evidence": "合同", "placed_on": tomorrow}
    )
    assert resp.status_code == 422 and "不能晚于今天" in resp.get_json()["error"]["message"]


def test_targets_page_lists_progress_bars_with_numbers(
    app, client, make_priority_seeker, make_worker, make_position, make_hire
):
    worker = make_worker()
    sign_in(client, worker)
    _create_target(client, worker, goal=2)
    make_hire(make_priority_seeker("甲"), make_position(), status="onboarded")
    page = client.get("/casework/targets").get_data(as_text=True)
    assert "江宁区 · 就业困难人员再就业" in page
    assert "已完成 <strong>1</strong> / 2 人（50%）" in page
    assert 'class="w50"' in page
