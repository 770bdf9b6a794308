"""One-click exports: Excel opened with openpyxl (masked vs unmasked cells), CSV, audit."""

import csv
import io

from conftest import sign_in, this_year
from openpyxl import load_workbook

from jobfair.extensions import db


def _setup_target(app, make_priority_seeker, make_worker, make_position, make_hire):
    worker = make_worker(name="江宁负责人")
    client = sign_in(app.test_client(), worker)
    resp = client.post(
        "/api/v1/casework/targets",
        json={
            "year": this_year(),
            "district": "江宁区",
            "kind": "hardship",
            "goal": 4,
            "worker_id": worker.id,
        },
    )
    assert resp.status_code == 201
    seeker = make_priority_seeker("张建国")
    make_hire(seeker, make_position(title="保安员"), status="onboarded")
    return worker, client, seeker


def test_targets_excel_masks_people_for_organisers_without_the_district(
    app, make_user, make_priority_seeker, make_worker, make_position, make_hire
):
    _worker, client, seeker = _setup_target(
        app, make_priority_seeker, make_worker, make_position, make_hire
    )

    resp = client.get(f"/casework/targets/export?format=xlsx&year={this_year()}")
    assert resp.status_code == 200
    assert "attachment" in resp.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(resp.data))
    summary, people = wb["目标进度"], wb["计入人员"]
    assert [c.value for c in summary[1]][:6] == [
        "年度",
        "区",
        "目标类别",
        "目标人数",
        "已完成",
        "完成率(%)",
    ]
    assert [c.value for c in summary[2]] == [
        this_year(),
        "江宁区",
        "就业困难人员再就业",
        4,
        1,
        25,
        1,
        0,
        0,
        0,
        "江宁负责人",
    ]
    assert people["D2"].value == "张建国" and people["E2"].value == seeker.phone
    assert people["G2"].value == 1 and people["J2"].value == "保安员"

    outsider = sign_in(app.test_client(), make_user(role="organiser"))
    wb = load_workbook(io.BytesIO(outsider.get("/casework/targets/export?format=xlsx").data))
    people = wb["计入人员"]
    assert people["D2"].value == "张**"
    assert people["E2"].value == seeker.phone[:3] + "****" + seeker.phone[-4:]

    other_district = sign_in(app.test_client(), make_worker(districts=("鼓楼区",)))
    wb = load_workbook(
        io.BytesIO(other_district.get("/api/v1/casework/targets/export?format=xlsx").data)
    )
    assert wb["计入人员"]["D2"].value == "张**"


def test_targets_csv_is_the_summary_with_a_bom(
    app, make_priority_seeker, make_worker, make_position, make_hire
):
    _worker, client, _seeker = _setup_target(
        app, make_priority_seeker, make_worker, make_position, make_hire
    )
    resp = client.get("/casework/targets/export?format=csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    text = resp.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:5] == ["年度", "区", "目标类别", "目标人数", "已完成"]
    assert rows[1][:6] == [str(this_year()), "江宁区", "就业困难人员再就业", "4", "1", "25"]
    assert client.get("/casework/targets/export?format=pdf").status_code == 400
    # A year out of range is read as this year, on the page and in the API alike.
    for url in ("/casework/targets/export", "/api/v1/casework/targets/export"):
        odd = client.get(f"{url}?format=csv&year=1999")
        name = f'attachment; filename="targets-{this_year()}.csv"'
        assert odd.headers["Content-Disposition"] == name and odd.data == resp.data


def test_case_file_export_needs_a_reason_is_audited_and_scoped(
    app, make_user, make_priority_seeker, make_worker
):
    worker = make_worker()
    client = sign_in(app.test_client(), worker)
    mine = make_priority_seeker("王秀兰", groups=("urban_hardship", "registered_poor"))
    theirs = make_priority_seeker("李鼓楼", district="鼓楼区")
    assert client.post("/api/v1/casework/cases", json={"seeker_id": mine.id}).status_code == 201
    supervisor = sign_in(app.test_client(), make_worker(districts=(), supervisor=True))
    assert (
        supervisor.post("/api/v1/casework/cases", json={"seeker_id": theirs.id}).status_code == 201
    )

    resp = client.get("/api/v1/casework/cases/export?format=csv")
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "reason_required"
    page = client.get("/casework/cases/export?format=csv").get_data(as_text=True)
    assert "请选择查看事由" in page

    resp = client.get("/casework/cases/export", query_string={"format": "xlsx", "reason": "report"})
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.data))["帮扶档案"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["档案编号", "姓名", "手机号", "区", "重点群体"]
    assert ws.max_row == 2  # only the worker's own district
    assert ws["B2"].value == "王秀兰" and ws["C2"].value == mine.phone
    assert ws["E2"].value == "就业困难人员、建档立卡贫困人员"
    assert "身份证" not in "".join(header)

    resp = client.get("/casework/cases/export", query_string={"format": "csv"})
    assert resp.status_code == 200  # the visit's reason is reused
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8").lstrip("\ufeff"))))
    assert [r[1] for r in rows[1:]] == ["王秀兰"]

    from jobfair.models import AuditLog

    with app.app_context():
        logs = db.session.scalars(
            db.select(AuditLog).filter_by(action="casework.cases_export").order_by(AuditLog.id)
        ).all()
        assert [(r.actor_id, r.detail["reason"]) for r in logs] == [
            (worker.id, "统计报表"),
            (worker.id, "统计报表"),
        ]

    plain = sign_in(app.test_client(), make_user(role="organiser"))
    assert plain.get("/casework/cases/export?format=csv&reason=report").status_code == 403
    assert plain.get("/api/v1/casework/cases/export?format=csv&reason=report").status_code == 403


def test_formula_like_text_is_neutralised_in_exports(app, make_priority_seeker, make_worker):
    worker = make_worker()
    client = sign_in(app.test_client(), worker)
    seeker = make_priority_seeker("=HYPERLINK(1)")
    client.post("/api/v1/casework/cases", json={"seeker_id": seeker.id})
    resp = client.get("/api/v1/casework/cases/export?format=xlsx&reason=report")
    ws = load_workbook(io.BytesIO(resp.data))["帮扶档案"]
    assert ws["B2"].value == "'=HYPERLINK(1)"
