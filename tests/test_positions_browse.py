"""Public position pages: list with filters, detail, contact visibility, non-public positions."""

import pytest
from conftest import sign_in

HOSTILE_URLS = [
    "/positions?q=%27%22%25_%5C",
    "/positions?q=%00",
    "/positions?q=%E7%84%8A%00%E5%B7%A5",
    "/positions?q=" + "%E7%84%8A" * 101,
    "/positions?q=%22+OR+1%3D1+--",
    "/positions?district=%27",
    "/positions?district=%00",
    "/positions?occupation=6-18%25",
    "/positions?salary=-1",
    "/positions?salary=1e99",
    "/positions?salary=99999999999999999999999999",
    "/positions?work_form=%3Cscript%3E",
    "/positions?group=veteran&group=graduate",
    "/positions?page=-5",
    "/positions?page=abc",
    "/positions?page=999999999999999999999",
    "/positions?page_size=0",
    "/positions?q[]=x",
    "/positions/99999999999999999999",
    "/positions/-1",
]


def test_list_shows_positions_with_tags(client, make_employer, make_position):
    emp = make_employer(name="南京江宁焊接科技有限公司")
    make_position(employer=emp, groups=("retired_fisher", "veteran"), channel="trainee")
    body = client.get("/positions").get_data(as_text=True)
    assert "电焊工" in body and "南京江宁焊接科技有限公司" in body
    assert "6千–9千元/月" in body and "江宁区" in body and "全日制" in body
    assert "见习岗位" in body and "欢迎退捕渔民" in body and "欢迎退役军人" in body
    assert "共找到 <strong>1</strong> 个" in body


def test_filter_form_has_labels_and_choices(client):
    body = client.get("/positions").get_data(as_text=True)
    for field in ("q", "district", "occupation", "salary", "work_form", "channel", "group"):
        assert f'for="f-{field}"' in body and f'id="f-{field}"' in body
    assert "江宁区" in body and "生产制造及有关人员" in body  # districts, major groups
    assert 'value="6-18"' in body  # a middle group
    assert "公益性岗位兜底安置" in body and "退捕渔民" in body


def test_search_form_round_trip(client, make_position):
    make_position(title="叉车工", description="驾驶叉车装卸货物", occupation_code="6-30-05-01")
    make_position(title="会计", description="账务处理", occupation_code="2-06-03-00")
    body = client.get("/positions?q=叉车司机&district=&work_form=").get_data(as_text=True)
    assert "叉车工" in body and ">会计<" not in body
    assert 'value="叉车司机"' in body  # the query stays in the box


def test_no_results_and_beyond_the_last_page(client, make_position):
    make_position()
    body = client.get("/positions?q=宇航员").get_data(as_text=True)
    assert "没有找到符合条件的岗位" in body
    resp = client.get("/positions?page=50")
    assert resp.status_code == 200 and "这一页没有岗位了" in resp.get_data(as_text=True)


def test_pager_keeps_the_filters(client, make_employer, make_position):
    emp = make_employer()
    for _ in range(21):
        make_position(employer=emp)
    body = client.get("/positions?q=焊工&district=江宁区").get_data(as_text=True)
    assert "第 1 / 2 页" in body
    assert "page=2" in body and "q=%E7%84%8A%E5%B7%A5" in body and "district=" in body


def test_query_without_searchable_words_says_so(client, make_position):
    make_position()
    body = client.get("/positions?q=%25%25%25").get_data(as_text=True)
    assert "关键词里没有可以搜索的文字" in body and "电焊工" in body
    body = client.get("/positions?q=江宁区").get_data(as_text=True)  # a place, not nothing
    assert "关键词里没有可以搜索的文字" not in body and "工作地点：江宁区" in body


def test_too_long_query_gets_an_inline_message(client):
    resp = client.get("/positions?q=" + "焊" * 101)
    assert resp.status_code == 422
    assert "搜索关键词不能超过 100 个字" in resp.get_data(as_text=True)


def test_hostile_urls_never_fail(client, make_position):
    pos = make_position()
    for url in HOSTILE_URLS:
        resp = client.get(url)
        assert resp.status_code in (200, 404, 422), (url, resp.status_code)
        assert "<script>" not in resp.get_data(as_text=True)
    assert client.get(f"/positions/{pos.id}").status_code == 200
    assert "电焊工" in client.get("/positions").get_data(as_text=True)


def test_detail_shows_the_whole_position(client, make_position):
    pos = make_position(
        title="养老护理员",
        description="照护失能老人\n协助康复训练",
        requirements="持证优先",
        occupation_code="4-10-01-05",
        education="junior",
        work_form="part_time",
        channel="public_welfare",
        groups=("urban_hardship",),
        address="鼓楼区中山北路1号",
        district="鼓楼区",
    )
    body = client.get(f"/positions/{pos.id}").get_data(as_text=True)
    for text in (
        "养老护理员",
        pos.employer.name,
        "6千–9千元/月",
        "招聘人数",
        "3 人",
        "鼓楼区中山北路1号",
        "初中",
        "非全日制",
        "公益性岗位兜底安置",
        "就业困难人员",
        "长期有效",
        "<p>照护失能老人</p>",
        "<p>协助康复训练</p>",
        "持证优先",
    ):
        assert text in body, text


def test_contact_is_for_signed_in_users(client, make_user, make_position):
    pos = make_position()
    anonymous = client.get(f"/positions/{pos.id}").get_data(as_text=True)
    assert "13700001111" not in anonymous and "王经理" not in anonymous
    assert "登录后查看联系方式" in anonymous
    sign_in(client, make_user(role="seeker"))
    signed_in = client.get(f"/positions/{pos.id}").get_data(as_text=True)
    assert "13700001111" in signed_in and "王经理" in signed_in
    assert "登录后查看联系方式" not in signed_in


def test_user_text_is_escaped(client, make_position):
    pos = make_position(title="<script>alert(1)</script>焊工", description="<b>粗体</b>")
    for url in ("/positions", f"/positions/{pos.id}", "/"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "<b>粗体</b>" not in client.get(f"/positions/{pos.id}").get_data(as_text=True)


@pytest.mark.parametrize("status", ["draft", "held", "closed"])
def test_non_public_positions_are_404_except_for_owner_and_organiser(
    client, make_user, make_employer, make_position, status
):
    owner = make_employer()
    pos = make_position(employer=owner, status=status)
    url = f"/positions/{pos.id}"
    assert client.get(url).status_code == 404
    assert "电焊工" not in client.get("/positions").get_data(as_text=True)

    sign_in(client, make_user(role="seeker"))
    assert client.get(url).status_code == 404
    client.post("/logout")

    sign_in(client, make_employer().user)  # another employer
    assert client.get(url).status_code == 404
    client.post("/logout")

    sign_in(client, owner.user)
    resp = client.get(url)
    assert resp.status_code == 200 and "这个岗位当前状态" in resp.get_data(as_text=True)
    client.post("/logout")

    sign_in(client, make_user(role="organiser"))
    assert client.get(url).status_code == 200


def test_home_page_has_search_channels_groups_and_latest(client, make_employer, make_position):
    emp = make_employer()
    for n in range(12):
        make_position(employer=emp, title=f"岗位{n:02d}")
    make_position(employer=emp, title="草稿岗位", status="draft")
    body = client.get("/").get_data(as_text=True)
    assert 'action="/positions"' in body and 'name="q"' in body
    assert "/positions?channel=public_welfare" in body and "/positions?group=retired_fisher" in body
    assert "岗位11" in body and "岗位02" in body and "岗位01" not in body  # the newest ten
    assert "草稿岗位" not in body
