"""Public RSS / JSON feeds of published positions: filters, escaping, caching, no personal data."""

import json
from xml.etree import ElementTree as ET


def _rss_titles(resp) -> list[str]:
    root = ET.fromstring(resp.data)  # noqa: S314 - our own output
    return [i.findtext("title") for i in root.iter("item")]


def test_feeds_list_only_published_positions_newest_first(client, make_position, make_employer):
    emp = make_employer(name="南京江宁机械有限公司")
    make_position(employer=emp, title="电焊工")
    make_position(employer=emp, title="装配工")
    make_position(employer=emp, title="草稿岗位", status="draft")
    make_position(employer=emp, title="待审岗位", status="held")

    rss = client.get("/feeds/positions.rss")
    assert rss.status_code == 200
    assert rss.mimetype == "application/rss+xml"
    titles = _rss_titles(rss)
    assert titles == ["装配工｜南京江宁机械有限公司", "电焊工｜南京江宁机械有限公司"]

    feed = client.get("/feeds/positions.json")
    assert feed.status_code == 200
    assert feed.mimetype == "application/feed+json"
    body = json.loads(feed.data)
    assert body["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["_jobfair"]["title"] for i in body["items"]] == ["装配工", "电焊工"]
    assert body["items"][0]["url"].startswith("http://localhost/positions/")


def test_feed_escapes_markup_in_titles(client, make_position):
    make_position(title="<script>alert(1)</script>&焊工", description="描述 <b>加粗</b> & 更多")
    rss = client.get("/feeds/positions.rss")
    assert b"<script>" not in rss.data
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in rss.data
    assert _rss_titles(rss)[0].startswith("<script>alert(1)</script>&焊工")  # parses back intact

    feed = client.get("/feeds/positions.json")
    assert b"<script>" not in feed.data and b"<b>" not in feed.data
    item = json.loads(feed.data)["items"][0]
    assert item["_jobfair"]["title"] == "<script>alert(1)</script>&焊工"


def test_feed_contains_no_personal_data(client, make_employer, make_position):
    emp = make_employer(contact_name="张联系人", contact_phone="13712345678")
    make_position(employer=emp)
    for url in ("/feeds/positions.rss", "/feeds/positions.json"):
        data = client.get(url).data.decode()
        assert "13712345678" not in data
        assert "张联系人" not in data
        assert emp.user.phone not in data


def test_feed_filters_by_district_and_group(client, make_position):
    make_position(title="江宁焊工", district="江宁区", groups=("veteran",))
    make_position(title="玄武保安", district="玄武区", groups=("veteran", "graduate"))
    make_position(title="玄武文员", district="玄武区")

    def titles(query):
        body = json.loads(client.get("/feeds/positions.json" + query).data)
        return sorted(i["_jobfair"]["title"] for i in body["items"])

    assert titles("?district=玄武区") == ["玄武保安", "玄武文员"]
    assert set(titles("?group=veteran")) == {"江宁焊工", "玄武保安"}
    assert titles("?group=veteran&district=玄武区") == ["玄武保安"]
    rss = client.get("/feeds/positions.rss?group=graduate")
    assert [t.split("｜")[0] for t in _rss_titles(rss)] == ["玄武保安"]
    assert "欢迎高校毕业生" in ET.fromstring(rss.data).findtext("channel/title")  # noqa: S314


def test_unknown_filter_values_are_a_chinese_400(client, make_position):
    make_position()
    resp = client.get("/feeds/positions.json?district=火星区")
    assert resp.status_code == 400
    assert "未知的区" in resp.get_json()["error"]["message"]
    resp = client.get("/feeds/positions.json?group=astronaut")
    assert resp.status_code == 400
    assert "未知的重点群体" in resp.get_json()["error"]["message"]
    resp = client.get("/feeds/positions.rss?fair=abc")
    assert resp.status_code == 400
    assert "招聘会编号" in resp.data.decode()
    resp = client.get("/feeds/positions.json?fair=999999")
    assert resp.status_code == 400
    assert "不存在或未发布" in resp.get_json()["error"]["message"]


def test_feed_is_cache_friendly(client, make_position):
    make_position()
    first = client.get("/feeds/positions.rss")
    assert first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert "public" in first.headers["Cache-Control"]
    again = client.get("/feeds/positions.rss", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    make_position(title="新岗位")
    changed = client.get("/feeds/positions.rss", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200


def test_feed_keeps_the_latest_100(client, app, make_employer, make_position):
    emp = make_employer()
    for i in range(103):
        make_position(employer=emp, title=f"岗位{i}")
    body = json.loads(client.get("/feeds/positions.json").data)
    assert len(body["items"]) == 100
    assert body["items"][0]["_jobfair"]["title"] == "岗位102"


def test_feed_leaves_out_positions_past_their_deadline(client, make_position):
    from datetime import date, timedelta

    make_position(title="已截止岗位", deadline=date.today() - timedelta(days=3))
    make_position(title="长期岗位")
    body = json.loads(client.get("/feeds/positions.json").data)
    assert [i["_jobfair"]["title"] for i in body["items"]] == ["长期岗位"]
