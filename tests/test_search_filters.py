"""Position filters, visibility rules, stable pagination and hostile input in the search service."""

from datetime import date, datetime, timedelta

import pytest

from jobfair.extensions import db


@pytest.fixture
def set_published(app):
    """Give positions a chosen publication time (the maker stamps "now")."""
    from jobfair.database import writing
    from jobfair.models import Position

    def run(position_id: int, when: datetime):
        with app.app_context(), writing():
            db.session.get(Position, position_id).published_at = when
            db.session.commit()

    return run


def ids(result) -> set[int]:
    return {item.id for item in result.items}


def test_each_filter_narrows_the_list(search, make_employer, make_position):
    emp = make_employer()
    welder = make_position(employer=emp, salary_min=6000, salary_max=9000, groups=("veteran",))
    turner = make_position(
        employer=emp,
        title="数控车工",
        description="操作数控车床加工零件",
        occupation_code="6-18-01-01",
        salary_min=5000,
        salary_max=7000,
        district="浦口区",
        work_form="temporary",
        groups=("retired_fisher", "graduate"),
    )
    carer = make_position(
        employer=emp,
        title="养老护理员",
        description="照护老人",
        occupation_code="4-10-01-05",
        salary_min=4000,
        salary_max=5500,
        channel="public_welfare",
        work_form="part_time",
        groups=("urban_hardship",),
    )
    everyone = {welder.id, turner.id, carer.id}
    assert ids(search()) == everyone
    assert ids(search(district="浦口区")) == {turner.id}
    assert ids(search(occupation="6")) == {welder.id, turner.id}  # major group
    assert ids(search(occupation="6-18")) == {welder.id, turner.id}  # middle group
    assert ids(search(occupation="6-18-02")) == {welder.id}  # minor group
    assert ids(search(occupation="6-18-02-04")) == {welder.id}  # occupation
    assert ids(search(occupation="6-00-00-00")) == {welder.id, turner.id}  # full major code
    assert ids(search(occupation="4-10")) == {carer.id}
    assert ids(search(occupation="2")) == set()
    assert ids(search(salary=7000)) == {welder.id, turner.id}  # salary_max >= 7000
    assert ids(search(salary=9000)) == {welder.id}
    assert ids(search(salary=9001)) == set()
    assert ids(search(work_form="temporary")) == {turner.id}
    assert ids(search(channel="public_welfare")) == {carer.id}
    assert ids(search(group="retired_fisher")) == {turner.id}
    assert ids(search(group="veteran")) == {welder.id}
    assert ids(search(group="registered_poor")) == set()
    assert ids(search(occupation="6", salary=8000, group="veteran")) == {welder.id}
    item = next(i for i in search(group="retired_fisher").items)
    assert item.groups == ["graduate", "retired_fisher"]
    assert item.employer_name == emp.name and item.occupation_name == "车工"


def test_only_published_positions_before_their_deadline(search, make_employer, make_position):
    emp = make_employer()
    visible = {
        make_position(employer=emp).id,
        make_position(employer=emp, deadline=date.today() + timedelta(days=3)).id,
    }
    for status in ("draft", "held", "closed"):
        make_position(employer=emp, status=status)
    make_position(employer=emp, deadline=date.today() - timedelta(days=3))
    assert ids(search()) == visible
    assert ids(search(q="焊工")) == visible
    assert search(q="焊工").total == 2


@pytest.mark.parametrize("q", [None, "焊工"])
def test_pages_are_stable_and_complete(search, make_employer, make_position, set_published, q):
    emp = make_employer()
    made = [make_position(employer=emp).id for _ in range(23)]
    base = datetime(2026, 3, 1, 9, 0)
    for n, pid in enumerate(made):
        set_published(pid, base + timedelta(hours=n % 4))  # many exact ties: id decides
    args = {"q": q} if q else {}
    seen: list[int] = []
    for page in (1, 2, 3):
        result = search(page=page, page_size=10, **args)
        assert result.total == 23 and result.pages == 3
        seen += [item.id for item in result.items]
        assert search(page=page, page_size=10, **args).items == result.items  # repeatable
    assert len(seen) == len(set(seen)) == 23 and set(seen) == set(made)
    if not q:  # newest first, then higher id first
        keys = [(base + timedelta(hours=made.index(i) % 4), i) for i in seen]
        assert keys == sorted(keys, reverse=True)
    beyond = search(page=4, page_size=10, **args)
    assert beyond.items == [] and beyond.total == 23
    assert search(page=99999999, **args).items == []


def test_page_size_is_capped(search, make_employer, make_position):
    emp = make_employer()
    for _ in range(3):
        make_position(employer=emp)
    result = search(page_size=10_000)
    assert result.page_size == 50 and result.total == 3


HOSTILE = [
    "'",
    '"',
    "''; DROP TABLE positions; --",
    '" OR 1=1 --',
    '焊工" OR "会计',
    "%",
    "_",
    "%_%",
    "\\",
    "\\x00",
    "\x00",
    "焊\x00工",
    "ＳＥＬＥＣＴ　＊　ＦＲＯＭ　ｐｏｓｉｔｉｏｎｓ",
    "NEAR(焊工 会计, 2)",
    "焊工 NOT 会计",
    "焊工 AND OR",
    "(焊工",
    "焊工*",
    "^焊工",
    "title:焊工",
    "search_tokens : 焊工",
    "{search_tokens}: 焊工",
    "焊工 & | ! <-> :*",
    "<script>alert(1)</script>",
    "😀🔧",
    "\u202e\u200b焊工",
    "焊" * 100,
]


def test_hostile_keywords_are_harmless(app, search, make_position):
    from jobfair.models import Position

    pos = make_position()
    for q in HOSTILE:
        result = search(q=q)
        assert result.total in (0, 1), q
    assert search(q='焊工" OR "会计').total == 0  # both words required, no syntax
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Position)) == 1
        assert db.session.get(Position, pos.id).title == "电焊工"
        assert db.session.get(Position, pos.id).status == "published"


def test_too_long_or_malformed_filters_give_clear_messages(search):
    from jobfair.errors import DomainError

    cases = {
        "q": "焊" * 101,
        "district": "不存在区",
        "occupation": "6-18%",
        "salary": "很多",
        "work_form": "full_time'--",
        "channel": "x",
        "group": "\x00",
        "page": "0",
    }
    for key, value in cases.items():
        with pytest.raises(DomainError) as err:
            search(**{key: value})
        assert err.value.status == 422 and key in err.value.fields
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err.value.message)
