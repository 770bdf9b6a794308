"""Discrimination rules: what is flagged, what is not, highlighting, organisers' additions."""

import os
import time

import pytest
from conftest import sign_in
from flask import Flask

from jobfair import moderation
from jobfair.extensions import db
from jobfair.models import AuditLog

MUST_FLAG = {
    "限男性": "性别",
    "仅限女性": "性别",
    "男性优先": "性别",
    "女士优先": "性别",
    "女性勿扰": "性别",
    "性别：男": "性别",
    "只招汉族": "民族",
    "限汉族": "民族",
    "维吾尔族勿扰": "民族",
    "无宗教信仰": "宗教",
    "信仰佛教者优先": "宗教",
    "要求信仰基督教": "宗教",
    "限本地户籍": "户籍/地域",
    "本地户口优先": "户籍/地域",
    "限南京户口": "户籍/地域",
    "非河南人": "户籍/地域",
    "非本地人勿扰": "户籍/地域",
    "河南人勿扰": "户籍/地域",
    "未婚": "婚育",
    "已婚已育": "婚育",
    "无生育计划": "婚育",
    "三年内不生育": "婚育",
    "孕妇勿扰": "婚育",
    "乙肝": "健康",
    "乙肝携带者勿扰": "健康",
    "无乙肝": "健康",
    "无传染病": "健康",
    "残疾人勿扰": "健康",
    "35岁以下": "年龄",
    "年龄18-35周岁": "年龄",
    "限90后": "年龄",
    "入职需缴纳押金": "收费",
    # Hype, fees and deposits (issue 14: 高薪保录 was published).
    "高薪保录": "夸大宣传",
    "高薪诚聘，保录取": "夸大宣传",
    "包就业": "夸大宣传",
    "入职交押金200元": "收费",
    "需交培训费": "收费",
    "服装费从首月工资扣": "收费",
    "可办理贷款培训": "收费",
    # Disguised discrimination.
    "只招帅哥": "性别",
    "美女优先": "性别",
    "有孩子勿扰": "婚育",
    "需签不生育承诺": "婚育",
    "农民工勿扰": "户籍/地域",
}

MUST_NOT_FLAG = [
    "持健康证",
    "持健康证上岗，身体健康",
    "体检合格",
    "男女不限",
    "性别不限，民族不限，户籍不限",
    "招聘男女普工若干",
    "年满18周岁，年龄18-60岁",
    "不招用未满16周岁的未成年人",
    "提供单身宿舍和工作餐",
    "退役军人、高校毕业生优先",
    "少数民族同胞优先",
    "持焊工证优先",
    "公司缴纳五险一金",
    "入职需提供身份证、户口本复印件",
    "非全日制，时间灵活",
    "非工作人员禁止入内",
    "工作环境非常适合新人",
    "月薪6000-9000元，工作时间8:00-17:00",
    "不收押金，不收任何费用",
    "免费培训，培训费由公司承担",
    "无需押金",
    "包吃包住，过年包往返车票",
    "提供工作服",
]


@pytest.fixture(scope="module")
def light_app(tmp_path_factory):
    """Matching needs only config, not a database: keeps these many small tests fast."""
    folder = tmp_path_factory.mktemp("moderation")
    app = Flask(__name__, instance_path=str(folder))
    app.config["DISCRIMINATION_RULES_EXTRA"] = str(folder / "extra-rules.csv")
    return app


@pytest.fixture
def ctx(light_app):
    with light_app.app_context():
        yield light_app


@pytest.mark.parametrize(("text", "category"), sorted(MUST_FLAG.items()))
def test_required_phrases_are_flagged(ctx, text, category):
    hits = moderation.scan("岗位要求：" + text + "。")
    assert category in {h.category for h in hits}, hits


@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_ordinary_wording_is_not_flagged(ctx, text):
    assert moderation.scan(text) == []


def test_every_builtin_rule_flags_its_own_example(ctx):
    builtin = [r for r in moderation.rules() if r.source == "builtin"]
    assert len(builtin) >= 50
    for rule in builtin:
        assert rule.example, rule.pattern
        assert rule.regex.search(moderation.normalise(rule.example)[0]), (
            rule.pattern,
            rule.example,
        )
        assert rule.category in moderation.CATEGORIES, rule.category


def test_builtin_rules_leave_the_safe_samples_alone(ctx):
    for rule in moderation.rules():
        for sample in moderation.SAFE_SAMPLES:
            assert not rule.regex.search(moderation.normalise(sample)[0]), (rule.pattern, sample)


@pytest.mark.parametrize(
    "text", ["限 男 性", "限·男·性", "限－男－性", "限\u200b男性", "ＨＢＶ阴性"]
)
def test_separators_full_width_and_invisible_characters_do_not_hide_phrases(ctx, text):
    hits = moderation.scan("要求：" + text)
    assert hits and hits[0].phrase.replace("\u200b", "") in text.replace("\u200b", "")


def test_phrase_is_reported_as_written(ctx):
    (hit,) = moderation.scan("年龄在 ３５ 岁以下")
    assert hit.phrase == "３５ 岁以下" and hit.category == "年龄"


def test_check_fields_names_the_field(ctx):
    flags = moderation.check_fields(
        {"title": "保安", "description": "夜班巡逻", "requirements": "限男性，乙肝携带者勿扰"}
    )
    assert [(f["phrase"], f["category"], f["field"]) for f in flags] == [
        ("限男性", "性别", "requirements"),
        ("乙肝携带者勿扰", "健康", "requirements"),
    ]


def test_highlight_escapes_before_marking():
    html = moderation.highlight('<b>限男性</b> & "限男性"\n第二行', ["限男性", "<b>"])
    assert str(html) == (
        '<mark class="flagged">&lt;b&gt;</mark><mark class="flagged">限男性</mark>&lt;/b&gt; '
        '&amp; &#34;<mark class="flagged">限男性</mark>&#34;<br>\n第二行'
    )


def test_extra_file_is_read_and_reloaded_when_it_changes(ctx, tmp_path):
    path = tmp_path / "extra-rules.csv"
    ctx.config["DISCRIMINATION_RULES_EXTRA"] = str(path)
    assert moderation.scan("限本街道居民") == []
    path.write_text("pattern,category,note\n限本街道,户籍/地域,试验\n", encoding="utf-8")
    assert [h.phrase for h in moderation.scan("限本街道居民")] == ["限本街道"]
    assert any(r.source == "extra" for r in moderation.rules())
    path.write_text(
        "pattern,category,note\n本街道居民,户籍/地域,改过\n(坏的,健康,\n", encoding="utf-8"
    )
    later = time.time() + 5
    os.utime(path, (later, later))
    assert [h.phrase for h in moderation.scan("限本街道居民")] == ["本街道居民"]
    path.unlink()
    assert moderation.scan("限本街道居民") == []


def test_organiser_adds_a_rule_through_the_console(app, client, make_user, tmp_path, make_employer):
    app.config["DISCRIMINATION_RULES_EXTRA"] = str(tmp_path / "rules.csv")
    organiser = make_user(role="organiser")
    sign_in(client, organiser)
    page = client.get("/organiser/rules").get_data(as_text=True)
    assert "限男性" in page or "(男|女)" in page
    resp = client.post("/organiser/rules", data={"pattern": "(坏", "category": "性别"})
    assert resp.status_code == 422 and "不是有效的正则表达式" in resp.get_data(as_text=True)
    resp = client.post("/organiser/rules", data={"pattern": "健康", "category": "健康"})
    assert resp.status_code == 422 and "误伤" in resp.get_data(as_text=True)
    resp = client.post("/organiser/rules", data={"pattern": "(a+)+b", "category": "健康"})
    assert resp.status_code == 422
    resp = client.post("/organiser/rules", data={"pattern": ".*", "category": "健康"})
    assert resp.status_code == 422
    assert not (tmp_path / "rules.csv").exists()
    resp = client.post(
        "/organiser/rules",
        data={"pattern": "限本街道(居民|户籍)", "category": "户籍/地域", "note": "街道自定"},
    )
    assert resp.status_code == 302
    assert "限本街道(居民|户籍)" in (tmp_path / "rules.csv").read_text(encoding="utf-8")
    assert (
        client.post(
            "/organiser/rules", data={"pattern": "限本街道(居民|户籍)", "category": "户籍/地域"}
        ).status_code
        == 409
    )
    with app.app_context():
        (row,) = db.session.scalars(db.select(AuditLog)).all()
        assert (
            row.action == "moderation.rule_add" and row.detail["pattern"] == "限本街道(居民|户籍)"
        )
    rules = client.get("/api/v1/organiser/rules").get_json()
    assert {
        "pattern": "限本街道(居民|户籍)",
        "category": "户籍/地域",
        "note": "街道自定",
        "source": "extra",
    } in rules
    # The new rule applies to the next publication at once.
    emp = make_employer(status="verified")
    other = app.test_client()
    sign_in(other, emp.user)
    pos = other.post(
        "/api/v1/employer/positions",
        json={
            "title": "社区保洁员",
            "description": "负责小区公共区域保洁。",
            "requirements": "限本街道居民",
            "occupation_code": "6-18-02-04",
            "salary_min": 3000,
            "salary_max": 3500,
            "headcount": 2,
            "district": "鼓楼区",
        },
    ).get_json()
    body = other.post(f"/api/v1/employer/positions/{pos['id']}/publish").get_json()
    assert body["status"] == "held" and body["review_flags"][0]["phrase"] == "限本街道居民"


def test_api_rule_add_refuses_extra_fields(app, client, make_user, tmp_path):
    app.config["DISCRIMINATION_RULES_EXTRA"] = str(tmp_path / "rules.csv")
    sign_in(client, make_user(role="organiser"))
    resp = client.post(
        "/api/v1/organiser/rules",
        json={"pattern": "限本街道", "category": "户籍/地域", "source": "builtin"},
    )
    assert resp.status_code == 422 and not (tmp_path / "rules.csv").exists()
    resp = client.post(
        "/api/v1/organiser/rules", json={"pattern": "限本街道", "category": "户籍/地域"}
    )
    assert resp.status_code == 201 and resp.get_json()["source"] == "extra"
