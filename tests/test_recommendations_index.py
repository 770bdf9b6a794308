"""Matching index lifecycle: publish, edit and close change recommendations at once, other
processes follow the version stamp incrementally, `flask match rebuild` persists the index."""

import time

import pytest
from conftest import WELDER_PROFILE, sign_in

from jobfair import create_app
from jobfair.database import writing
from jobfair.extensions import db
from jobfair.models import MatchIndexState


@pytest.fixture
def seeker_defaults():
    return WELDER_PROFILE  # make_seeker() makes a welder in 江宁区 unless told otherwise


def interval_passes(app) -> None:
    """As if CHECK_INTERVAL had gone by since this app last looked at the stamp (no sleep)."""
    from jobfair.recommendations import index

    with app.app_context():
        index._holder().last_check -= index.CHECK_INTERVAL


def recommended_ids(client) -> list[int]:
    resp = client.get("/api/v1/matching/recommendations")
    assert resp.status_code == 200, resp.get_json()
    return [i["position"]["id"] for i in resp.get_json()["items"]]


WELDER = {
    "title": "钢结构电焊工",
    "description": "负责钢结构件焊接，使用二氧化碳保护焊和氩弧焊。",
    "requirements": "持焊工证，有电焊经验",
    "occupation_code": "6-18-02-04",
    "salary_min": "7000",
    "salary_max": "9000",
    "headcount": "2",
    "district": "江宁区",
    "education": "none",
    "work_form": "full_time",
    "channel": "enterprise",
}


def test_publish_edit_close_change_recommendations_in_the_same_process(
    app, make_employer, make_position, make_seeker
):
    make_position(title="仓库管理员", occupation_code="4-02-06-01", description="负责仓库收发货")
    employer = make_employer()
    seeker = make_seeker()
    seeker_client, employer_client = app.test_client(), app.test_client()
    sign_in(seeker_client, seeker)
    sign_in(employer_client, employer.user)
    before = recommended_ids(seeker_client)  # builds the index

    resp = employer_client.post("/employer/positions/new", data=WELDER)
    assert resp.status_code == 302
    pid = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    assert pid not in recommended_ids(seeker_client)  # a draft is not recommended

    started = time.perf_counter()
    assert employer_client.post(f"/employer/positions/{pid}/publish").status_code == 302
    ids = recommended_ids(seeker_client)
    assert time.perf_counter() - started < 1.0
    assert ids[0] == pid and pid not in before

    # Editing the content is reflected: now it is a cook's job, no longer the welder's best.
    edited = dict(
        WELDER,
        title="中餐厨师",
        description="负责炒菜和备餐",
        requirements="有厨师证",
        occupation_code="4-03-02-01",
    )
    assert employer_client.post(f"/employer/positions/{pid}/edit", data=edited).status_code == 302
    items = seeker_client.get("/api/v1/matching/recommendations").get_json()["items"]
    assert not items or items[0]["position"]["id"] != pid
    assert employer_client.post(f"/employer/positions/{pid}/edit", data=WELDER).status_code == 302
    assert recommended_ids(seeker_client)[0] == pid

    assert employer_client.post(f"/employer/positions/{pid}/close").status_code == 302
    assert pid not in recommended_ids(seeker_client)


def test_changes_are_applied_incrementally_without_a_rebuild(app, make_position, make_seeker):
    from jobfair.recommendations import index

    seeker = make_seeker()
    client = app.test_client()
    sign_in(client, seeker)
    recommended_ids(client)
    with app.app_context():
        engine_before = index.get_engine()
        built_before = index._holder().stats["seconds"]
        version_before = index.index_version()
    pos = make_position(title="焊工", district="江宁区")
    assert recommended_ids(client)[0] == pos.id
    with app.app_context():
        assert index.get_engine() is engine_before  # same engine object: add(), not build()
        assert index._holder().stats["seconds"] == built_before
        assert index.index_version() > version_before
        state = db.session.get(MatchIndexState, 1)
        assert state.version == index.index_version()


def test_a_second_process_picks_up_the_stamp(app, app_config, make_position, make_seeker):
    """Two app instances on one database stand for two worker processes."""
    from jobfair.recommendations import index

    seeker = make_seeker()
    other = create_app(dict(app_config))
    try:
        client_b = other.test_client()
        sign_in(client_b, seeker)
        assert recommended_ids(client_b) == []
        with other.app_context():
            engine_b = index.get_engine()

        pos = make_position(title="电焊工", district="江宁区")  # written through instance A
        interval_passes(other)
        started = time.perf_counter()
        assert recommended_ids(client_b) == [pos.id]
        assert time.perf_counter() - started < 1.0
        with other.app_context():
            assert index.get_engine() is engine_b  # applied incrementally

        with app.app_context(), writing():
            from jobfair.models import Position

            db.session.get(Position, pos.id).status = "closed"
            db.session.commit()
        interval_passes(other)
        assert recommended_ids(client_b) == []
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_process_far_behind_rebuilds(app, make_position, make_seeker, monkeypatch):
    from jobfair.recommendations import index

    seeker = make_seeker()
    client = app.test_client()
    sign_in(client, seeker)
    recommended_ids(client)
    with app.app_context():
        engine_before = index.get_engine()
    monkeypatch.setattr(index, "MAX_INCREMENTAL", 1)
    a = make_position(title="电焊工")
    b = make_position(title="氩弧焊工")
    assert set(recommended_ids(client)[:2]) == {a.id, b.id}
    with app.app_context():
        assert index.get_engine() is not engine_before


def test_organiser_approval_of_a_held_position_reaches_recommendations(
    app, make_position, make_seeker, make_user
):
    held = make_position(status="held", title="电焊工")
    seeker = make_seeker()
    organiser = make_user(role="organiser")
    seeker_client, org_client = app.test_client(), app.test_client()
    sign_in(seeker_client, seeker)
    sign_in(org_client, organiser)
    assert held.id not in recommended_ids(seeker_client)
    resp = org_client.post(f"/organiser/positions/{held.id}/approve", data={"note": ""})
    assert resp.status_code in (200, 302)
    assert recommended_ids(seeker_client)[0] == held.id


def test_rebuild_command_persists_and_a_new_process_loads_the_file(
    app, app_config, make_position, make_seeker, tmp_path
):
    from jobfair.recommendations import index

    path = tmp_path / "match-index.bin"
    app.config["MATCH_INDEX_PATH"] = str(path)
    pos = make_position(title="电焊工")
    result = app.test_cli_runner().invoke(args=["match", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "岗位 1 个" in result.output and path.exists()

    other = create_app(dict(app_config, MATCH_INDEX_PATH=str(path)))
    try:
        with other.app_context():
            engine = index.get_engine()
            assert index._holder().stats["source"] == "file"
            assert len(engine) == 1
        # A position published after the file was written is caught up on load.
        later = make_position(title="氩弧焊工")
        other2 = create_app(dict(app_config, MATCH_INDEX_PATH=str(path)))
        with other2.app_context():
            assert len(index.get_engine()) == 2
            assert index._holder().stats["source"] == "file"
            db.session.remove()
            db.engine.dispose()
        # Weights that differ from the file's: the file is not used.
        other3 = create_app(
            dict(app_config, MATCH_INDEX_PATH=str(path), MATCH_WEIGHTS='{"district": 0.5}')
        )
        with other3.app_context():
            try:
                index.get_engine()
                assert index._holder().stats["source"] == "build"
            finally:
                db.session.remove()
                db.engine.dispose()
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
    assert pos.id != later.id


def test_weights_come_from_configuration(app):
    from jobfair.matching import ScoringWeights
    from jobfair.recommendations.index import weights_from_config

    assert weights_from_config(app) == ScoringWeights()
    app.config["MATCH_WEIGHTS"] = {"district": 0.0}
    assert weights_from_config(app) == ScoringWeights(district=0.0)
    app.config["MATCH_WEIGHTS"] = '{"district": 0.25}'
    assert weights_from_config(app).district == 0.25
    app.config["MATCH_WEIGHTS"] = '{"no_such_weight": 1}'
    with pytest.raises(RuntimeError, match="no_such_weight"):
        weights_from_config(app)
    app.config["MATCH_WEIGHTS"] = "{oops"
    with pytest.raises(RuntimeError, match="JSON"):
        weights_from_config(app)


def test_a_process_behind_a_pruned_change_log_rebuilds(app, app_config, make_position, make_seeker):
    from jobfair.recommendations import index

    seeker = make_seeker()
    other = create_app(dict(app_config))
    try:
        client_b = other.test_client()
        sign_in(client_b, seeker)
        recommended_ids(client_b)
        with other.app_context():
            engine_b = index.get_engine()
        a = make_position(title="电焊工")
        b = make_position(title="氩弧焊工")
        with app.app_context(), writing():
            assert index.prune_changes(keep_versions=1) >= 1
            db.session.commit()
        interval_passes(other)
        assert set(recommended_ids(client_b)) == {a.id, b.id}
        with other.app_context():
            assert index.get_engine() is not engine_b
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_resegment_command_rewrites_tokens_stored_under_older_text_rules(
    app, make_position, search
):
    """Positions saved before a text rule existed (markup, traditional characters) are found
    once `flask match resegment` has re-written their tokens; unchanged ones are not touched."""
    from jobfair.database import writing
    from jobfair.models import Position

    old = make_position(
        title="叉車司機",
        description="<p>倉庫&nbsp;叉車</p>",
        requirements="持叉車證",
        occupation_code="6-30-05-01",
    )
    fine = make_position(title="电焊工")
    with app.app_context(), writing():
        pos = db.session.get(Position, old.id)
        pos.search_tokens = "叉車司機 p 倉庫 nbsp 叉車"  # as the rules before wrote it
        db.session.commit()
    assert search(q="叉车司机").total == 0
    result = app.test_cli_runner().invoke(args=["match", "resegment"])
    assert result.exit_code == 0 and "flask match rebuild" in result.output, result.output
    assert [i.id for i in search(q="叉车司机").items] == [old.id]
    assert search(q="nbsp").total == 0
    assert [i.id for i in search(q="电焊工").items] == [fine.id]
    again = app.test_cli_runner().invoke(args=["match", "resegment"])
    assert "岗位 0 个、求职者资料 0 份有变化" in again.output, again.output
