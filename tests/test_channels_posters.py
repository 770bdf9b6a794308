"""Share posters with QR codes: printable pages for published positions, PNG QR images."""

import io

from conftest import sign_in
from PIL import Image

from jobfair.channels.services import qr_png


def test_position_poster_shows_the_ad_and_its_qr(client, make_employer, make_position):
    emp = make_employer(name="南京港口物流有限公司", contact_phone="13755556666")
    pos = make_position(
        employer=emp, title="叉车司机", district="鼓楼区", requirements="持叉车证，能倒班。"
    )
    resp = client.get(f"/positions/{pos.id}/poster")
    assert resp.status_code == 200
    html = resp.data.decode()
    for text in ("叉车司机", "南京港口物流有限公司", "鼓楼区", "持叉车证，能倒班。", "如何报名"):
        assert text in html
    assert f"/qr/position/{pos.id}.png" in html
    assert f"http://localhost/positions/{pos.id}" in html
    assert "13755556666" not in html
    assert "<script>" not in html.split("</main>")[0]  # no inline script in the page body


def test_qr_png_is_a_png_pointing_to_the_public_page(client, app, make_position):
    pos = make_position()
    resp = client.get(f"/qr/position/{pos.id}.png")
    assert resp.status_code == 200
    assert resp.mimetype == "image/png"
    img = Image.open(io.BytesIO(resp.data))
    assert img.format == "PNG"
    assert img.size[0] == img.size[1] >= 210
    # The same URL encodes to the same image: the code carries the public page address.
    assert resp.data == qr_png(f"http://localhost/positions/{pos.id}")
    assert "max-age=86400" in resp.headers["Cache-Control"]
    again = client.get(
        f"/qr/position/{pos.id}.png", headers={"If-None-Match": resp.headers["ETag"]}
    )
    assert again.status_code == 304


def test_qr_uses_the_configured_public_url(client, app, make_position):
    app.config["PUBLIC_URL"] = "https://jobs.example.gov.cn"
    pos = make_position()
    resp = client.get(f"/qr/position/{pos.id}.png")
    assert resp.data == qr_png(f"https://jobs.example.gov.cn/positions/{pos.id}")
    assert (
        f"https://jobs.example.gov.cn/positions/{pos.id}"
        in client.get(f"/positions/{pos.id}/poster").data.decode()
    )


def test_no_poster_or_qr_for_positions_that_are_not_public(client, make_employer, make_position):
    emp = make_employer()
    for status in ("draft", "held", "closed"):
        pos = make_position(employer=emp, status=status)
        assert client.get(f"/positions/{pos.id}/poster").status_code == 404
        assert client.get(f"/qr/position/{pos.id}.png").status_code == 404
    # Not even the owning employer gets a poster for a draft: there is nothing to share yet.
    sign_in(client, emp.user)
    assert client.get(f"/positions/{pos.id}/poster").status_code == 404
    assert client.get("/positions/99999/poster").status_code == 404


def test_position_detail_links_to_the_poster(client, make_position):
    pos = make_position()
    html = client.get(f"/positions/{pos.id}").data.decode()
    assert f"/positions/{pos.id}/poster" in html


def _fair(app, make_employer, make_position, status="published"):
    """A fair with one approved booth (two positions, one a draft) and one pending booth."""
    from datetime import timedelta

    from jobfair.database import writing
    from jobfair.extensions import db
    from jobfair.models import Booth, BoothPosition, Fair
    from jobfair.models.common import utcnow

    approved_emp = make_employer(name="参会通过单位")
    pending_emp = make_employer(name="待审展位单位")
    shown = make_position(employer=approved_emp, title="展位岗位")
    draft = make_position(employer=approved_emp, title="展位草稿", status="draft")
    hidden = make_position(employer=pending_emp, title="未通过展位岗位")
    make_position(title="场外岗位")
    with app.app_context(), writing():
        now = utcnow()
        fair = Fair(
            title="春风行动<专场>",
            theme="返乡留乡就业",
            status=status,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=2),
        )
        db.session.add(fair)
        db.session.flush()
        ok = Booth(fair_id=fair.id, employer_id=approved_emp.id, status="approved")
        wait = Booth(fair_id=fair.id, employer_id=pending_emp.id, status="pending")
        db.session.add_all([ok, wait])
        db.session.flush()
        db.session.add_all(
            [
                BoothPosition(booth_id=ok.id, position_id=shown.id),
                BoothPosition(booth_id=ok.id, position_id=draft.id),
                BoothPosition(booth_id=wait.id, position_id=hidden.id),
            ]
        )
        db.session.commit()
        return fair.id


def test_fair_poster_and_qr(client, app, make_employer, make_position):
    fair_id = _fair(app, make_employer, make_position)
    resp = client.get(f"/fairs/{fair_id}/poster")
    assert resp.status_code == 200
    html = resp.data.decode()
    assert "春风行动&lt;专场&gt;" in html
    assert "参会通过单位" in html and "待审展位单位" not in html
    assert "1 个" in html  # one published position at approved booths
    qr = client.get(f"/qr/fair/{fair_id}.png")
    assert qr.status_code == 200 and qr.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert qr.data == qr_png(f"http://localhost/fairs/{fair_id}")  # the fair's public page


def test_fair_page_links_to_its_poster_and_feed(client, app, make_employer, make_position):
    fair_id = _fair(app, make_employer, make_position)
    html = client.get(f"/fairs/{fair_id}").data.decode()
    assert f"/fairs/{fair_id}/poster" in html
    assert f"/feeds/positions.rss?fair={fair_id}" in html


def test_no_fair_poster_for_a_draft_fair(client, app, make_employer, make_position):
    fair_id = _fair(app, make_employer, make_position, status="draft")
    assert client.get(f"/fairs/{fair_id}/poster").status_code == 404
    assert client.get(f"/qr/fair/{fair_id}.png").status_code == 404
    assert client.get(f"/feeds/positions.json?fair={fair_id}").status_code == 400


def test_feed_filtered_by_fair_shows_positions_at_approved_booths(
    client, app, make_employer, make_position
):
    import json

    fair_id = _fair(app, make_employer, make_position)
    body = json.loads(client.get(f"/feeds/positions.json?fair={fair_id}").data)
    assert [i["_jobfair"]["title"] for i in body["items"]] == ["展位岗位"]
    assert "春风行动" in body["title"]


def test_poster_escapes_the_ad_and_warns_when_expired(client, make_position):
    from datetime import date, timedelta

    pos = make_position(
        title="<script>alert(1)</script>焊工", deadline=date.today() - timedelta(days=2)
    )
    html = client.get(f"/positions/{pos.id}/poster").data.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;焊工" in html
    assert "已过报名截止日期" in html
