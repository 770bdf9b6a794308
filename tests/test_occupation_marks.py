"""The 2022 classification's L (green) and S (digital) marks: badges beside occupation names in
pages and forms, a separate column in exports and a separate field in the API, never letters
glued to a name (保洁员L, 工业机器人系统运维员S)."""

import csv
import io

from conftest import sign_in

from jobfair import reference

CLEANER, ROBOTS, SURVEY = "4-09-08-01", "6-31-07-01", "2-02-02-01"


def test_marks_come_from_the_classification_by_code_or_name():
    assert reference.occupation_marks(CLEANER) == ["green"]
    assert reference.occupation_marks(ROBOTS) == ["digital"]
    assert reference.occupation_marks(SURVEY) == ["green", "digital"]
    assert reference.occupation_marks("保洁员") == ["green"]
    assert reference.occupation_marks("工业机器人系统运维员S") == ["digital"]
    assert reference.occupation_marks("6-18-02-04") == [] and reference.occupation_marks("") == []
    assert reference.occupation_display_name("大地测量工程技术人员L/S") == "大地测量工程技术人员"
    assert reference.occupation_display_name("焊工") == "焊工"
    assert reference.marks_text(SURVEY) == "绿色职业、数字职业"


def test_pages_show_badges_instead_of_letters(client, make_position, make_employer):
    employer = make_employer()
    cleaner = make_position(
        employer=employer,
        title="商场保洁员",
        description="负责商场公共区域清洁。",
        requirements="",
        occupation_code=CLEANER,
    )
    make_position(
        employer=employer,
        title="机器人运维",
        description="工业机器人日常运维。",
        requirements="",
        occupation_code=ROBOTS,
    )
    listing = client.get("/positions").get_data(as_text=True)
    assert "保洁员L" not in listing and "运维员S" not in listing
    assert '保洁员<span class="mark mark-green">绿色职业</span>' in listing
    assert '工业机器人系统运维员<span class="mark mark-digital">数字职业</span>' in listing

    detail = client.get(f"/positions/{cleaner.id}").get_data(as_text=True)
    assert "保洁员L" not in detail and '<span class="mark mark-green">绿色职业</span>' in detail

    sign_in(client, employer.user)
    for page in ("/employer/positions", f"/employer/positions/{cleaner.id}"):
        html = client.get(page).get_data(as_text=True)
        assert "保洁员L" not in html and "绿色职业" in html, page
    form = client.get("/employer/positions/new").get_data(as_text=True)
    assert "保洁员L" not in form and "运维员S" not in form
    assert f'<option value="{CLEANER}" data-name="保洁员" data-marks="green"' in form
    assert ">保洁员（绿色职业）</option>" in form


def test_the_export_has_a_marks_column(client, make_position, make_employer):
    employer = make_employer()
    make_position(employer=employer, title="商场保洁员", occupation_code=CLEANER)
    make_position(employer=employer, title="电焊工")
    sign_in(client, employer.user)
    resp = client.get("/employer/positions.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    text = resp.get_data().decode("utf-8-sig")
    assert "保洁员L" not in text
    rows = list(csv.reader(io.StringIO(text)))[1:]
    head = rows[0]
    by_title = {r[0]: dict(zip(head, r, strict=True)) for r in rows[1:]}
    assert by_title["商场保洁员"]["职业名称"] == "保洁员"
    assert by_title["商场保洁员"]["职业标识"] == "绿色职业"
    assert by_title["电焊工"]["职业标识"] == ""
    assert client.get("/employer/positions.xlsx").status_code == 200


def test_the_api_gives_marks_as_a_separate_field(client, make_position, make_employer):
    employer = make_employer()
    pos = make_position(employer=employer, title="商场保洁员", occupation_code=CLEANER)
    [item] = client.get("/api/v1/positions?q=保洁").get_json()["items"]
    assert item["occupation_name"] == "保洁员" and item["occupation_marks"] == ["green"]
    detail = client.get(f"/api/v1/positions/{pos.id}").get_json()
    assert detail["occupation_name"] == "保洁员" and detail["occupation_marks"] == ["green"]

    found = client.get("/api/v1/occupations?q=工业机器人系统运维").get_json()
    robots = next(o for o in found if o["code"] == ROBOTS)
    assert robots["name"] == "工业机器人系统运维员" and robots["marks"] == ["digital"]
    suggested = client.get("/api/v1/matching/suggest-occupations?text=商场保洁").get_json()
    cleaner = next(o for o in suggested["items"] if o["code"] == CLEANER)
    assert cleaner["name"] == "保洁员" and cleaner["marks"] == ["green"]

    sign_in(client, employer.user)
    mine = client.get(f"/api/v1/employer/positions/{pos.id}").get_json()
    assert mine["occupation_name"] == "保洁员" and mine["occupation_marks"] == ["green"]
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert "occupation_marks" in spec["PositionSummaryOut"]["properties"]
