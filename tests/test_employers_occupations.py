"""Occupation lookup API used by the occupation picker: ranking, escaping, limits."""

from jobfair.extensions import db
from jobfair.models.occupation import Occupation


def test_lookup_ranks_exact_then_prefix_then_contains_then_alias(client):
    resp = client.get("/api/v1/occupations?q=焊工&limit=10")
    assert resp.status_code == 200
    rows = resp.get_json()
    assert rows[0] == {
        "code": "6-18-02-04",
        "name": "焊工",
        "marks": [],
        "major_name": "生产制造及有关人员",
    }
    assert all(set(r) == {"code", "name", "marks", "major_name"} for r in rows)
    assert len(rows) <= 10


def test_lookup_finds_by_alias_and_only_level_four(client):
    rows = client.get("/api/v1/occupations?q=叉车&limit=50").get_json()
    assert rows, "叉车 is an alias of a level-4 occupation"
    assert all(r["code"].count("-") == 3 and not r["code"].endswith("-00-00-00") for r in rows)
    names = [r["name"] for r in client.get("/api/v1/occupations?q=焊").get_json()]
    assert names.index("焊工") < len(names)


def test_picker_finds_the_words_people_use(client):
    # The picker's own search uses the suggestion service's vocabulary.
    for typed, expected in (
        ("电焊", "焊工"),
        ("电焊工", "焊工"),
        ("焊", "焊工"),
        ("外卖", "网约配送员"),
        ("普工", "电子设备装接工"),
        ("开叉车", "起重装卸机械操作工"),
    ):
        rows = client.get("/api/v1/occupations", query_string={"q": typed}).get_json()
        assert rows and rows[0]["name"] == expected, (typed, rows[:3])


def test_a_word_used_across_trades_offers_each_trade(client):
    """普工 used to offer only 电子设备装接工: a packing or food factory had no right choice."""
    rows = client.get("/api/v1/occupations", query_string={"q": "普工"}).get_json()
    names = [r["name"] for r in rows]
    assert names[0] == "电子设备装接工"
    # 包装普工, 仓库普工, 服装普工 are job-board names of these occupations.
    assert {"装卸搬运工", "缝纫工"} <= set(names) and len(names) >= 4, names


def test_names_carry_no_marks_and_marks_are_a_field(app, client):
    with app.app_context():
        glued = db.session.scalars(
            db.select(Occupation.name).where(
                Occupation.name.like("%L") | Occupation.name.like("%S")
            )
        ).all()
    assert glued == []
    found = {
        r["name"]: r["marks"]
        for q in ("保洁员", "工业机器人系统运维员", "增材制造设备操作员")
        for r in client.get("/api/v1/occupations", query_string={"q": q}).get_json()
    }
    assert found["保洁员"] == ["green"]
    assert found["工业机器人系统运维员"] == ["digital"]
    assert found["增材制造设备操作员"] == ["green", "digital"]
    assert not any(name.endswith(("L", "S", "L/S")) for name in found)


def test_lookup_escapes_wildcards_and_clamps(client):
    assert client.get("/api/v1/occupations?q=%25").get_json() == []
    assert client.get("/api/v1/occupations?q=_").get_json() == []
    assert client.get("/api/v1/occupations?q=").get_json() == []
    assert client.get("/api/v1/occupations").get_json() == []
    assert client.get("/api/v1/occupations?q=工&limit=0").status_code == 422
    assert client.get("/api/v1/occupations?q=工&limit=abc").status_code == 422
    assert len(client.get("/api/v1/occupations?q=工&limit=50").get_json()) == 50
    assert client.get("/api/v1/occupations?q=%27%20OR%201=1--").get_json() == []


def test_lookup_is_documented_in_openapi(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in (
        "/api/v1/occupations",
        "/api/v1/employer/profile",
        "/api/v1/employer/positions/{position_id}/publish",
        "/api/v1/organiser/employers/{employer_id}/reject",
        "/api/v1/organiser/positions/held",
        "/api/v1/organiser/stats",
    ):
        assert path in spec["paths"], path


def test_picker_reads_full_width_traditional_and_spaced_typing(client):
    for typed, expected in (
        ("電焊", "焊工"),
        ("叉車司機", "起重装卸机械操作工"),
        ("电 焊", "焊工"),
    ):
        rows = client.get("/api/v1/occupations", query_string={"q": typed}).get_json()
        assert rows and rows[0]["name"] == expected, (typed, rows[:3])
    # The name and alias lookup reads it too: 服務員 and 司機 find what 服务员 and 司机 find.
    for typed, plain in (("服務員", "服务员"), ("司機", "司机")):
        got = client.get("/api/v1/occupations", query_string={"q": typed, "limit": 50})
        want = client.get("/api/v1/occupations", query_string={"q": plain, "limit": 50})
        assert got.get_json() == want.get_json() and len(want.get_json()) > 1, typed
