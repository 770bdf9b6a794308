"""Sensitive personal information is encrypted at rest; keys come from the environment, rotate,
and never leave it."""

import json

import pytest
from conftest import PASSWORD, sign_in
from sqlalchemy import text

from jobfair import create_app
from jobfair.crypto import (
    DEV_BLIND_INDEX_KEY,
    DEV_DATA_KEYS,
    CryptoKeyError,
    Keyring,
    build_keyring,
    new_key,
    parse_keys,
)
from jobfair.extensions import db
from jobfair.models import SeekerGroup, SeekerProfile


def _raw(app, sql: str) -> list:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(text(sql)).all()]


def test_priority_group_is_stored_encrypted_with_a_blind_index(app, make_priority_seeker):
    seeker = make_priority_seeker(groups=("veteran", "registered_poor"))
    rows = _raw(app, "SELECT group_key, group_secret FROM seeker_groups")
    assert len(rows) == 2
    dump = json.dumps(rows)
    assert "veteran" not in dump and "registered_poor" not in dump
    assert all(secret.startswith("enc1:dev:") for _, secret in rows)
    assert all(len(key) == 64 for key, _ in rows)
    with app.app_context():
        profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id))
        assert profile.group_codes == ["registered_poor", "veteran"]
        # The platform still filters by group, through the blind index.
        found = db.session.scalars(
            db.select(SeekerProfile.user_id)
            .join(SeekerGroup, SeekerGroup.profile_id == SeekerProfile.id)
            .where(SeekerGroup.group == "veteran")
        ).all()
        assert found == [seeker.id]
        assert (
            db.session.scalars(
                db.select(SeekerGroup.profile_id).where(SeekerGroup.group.in_(["graduate"]))
            ).all()
            == []
        )


def test_two_encryptions_of_one_value_differ_and_tampering_is_detected(app):
    ring = Keyring(parse_keys(DEV_DATA_KEYS), b"k" * 32)
    a, b = ring.encrypt("需要焊工培训"), ring.encrypt("需要焊工培训")
    assert a != b and ring.decrypt(a) == ring.decrypt(b) == "需要焊工培训"
    flipped = a[:-2] + ("A" if a[-2] != "A" else "B") + a[-1]
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        ring.decrypt(flipped)
    assert ring.blind_index("veteran") == ring.blind_index("veteran") != ring.blind_index("x")


def test_case_file_free_text_is_encrypted(app, make_priority_seeker, make_worker):
    worker = make_worker()
    client = sign_in(app.test_client(), worker)
    seeker = make_priority_seeker("王秀兰")
    resp = client.post(
        "/api/v1/casework/cases", json={"seeker_id": seeker.id, "needs": "腰伤，想找焊工培训"}
    )
    assert resp.status_code == 201
    case_id = resp.get_json()["id"]
    (needs,) = _raw(app, "SELECT needs FROM case_files")[0]
    assert needs.startswith("enc1:") and "焊工" not in needs
    resp = client.get(f"/api/v1/casework/cases/{case_id}?reason=follow_up")
    assert resp.status_code == 200 and resp.get_json()["needs"] == "腰伤，想找焊工培训"


def test_key_rotation_reencrypts_everything_and_drops_the_old_key(
    app, make_app, make_priority_seeker, make_worker
):
    seeker = make_priority_seeker(groups=("veteran",))
    worker = make_worker()
    sign_in(app.test_client(), worker).post(
        "/api/v1/casework/cases", json={"seeker_id": seeker.id, "needs": "需要叉车证"}
    )
    new_data, new_index = f"k2027:{new_key()}", new_key()
    rotating = make_app(DATA_KEYS=f"{new_data},{DEV_DATA_KEYS}", BLIND_INDEX_KEY=new_index)
    result = rotating.test_cli_runner().invoke(args=["security", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert "k2027" in result.output and "seeker_groups: 1" in result.output
    secrets = _raw(app, "SELECT group_secret FROM seeker_groups") + _raw(
        app, "SELECT needs FROM case_files"
    )
    assert secrets and all(s.startswith("enc1:k2027:") for (s,) in secrets)

    # Only the new keys are needed now: the old one can leave JOBFAIR_DATA_KEYS.
    after = make_app(DATA_KEYS=new_data, BLIND_INDEX_KEY=new_index)
    with after.app_context():
        profile = db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id))
        assert profile.group_codes == ["veteran"]
        assert db.session.scalars(
            db.select(SeekerGroup.profile_id).where(SeekerGroup.group == "veteran")
        ).all() == [profile.id]
    # …and the development key can no longer read anything.
    with app.app_context(), pytest.raises(CryptoKeyError):
        db.session.scalar(db.select(SeekerProfile).filter_by(user_id=seeker.id)).group_codes  # noqa: B018


def test_production_refuses_to_start_without_keys():
    base = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "s" * 32}
    with pytest.raises(RuntimeError, match="JOBFAIR_DATA_KEYS"):
        create_app(base)
    with pytest.raises(CryptoKeyError):
        create_app({**base, "DATA_KEYS": "k1:short", "BLIND_INDEX_KEY": DEV_BLIND_INDEX_KEY})
    app = create_app({**base, "DATA_KEYS": f"a:{new_key()}", "BLIND_INDEX_KEY": new_key()})
    assert build_keyring(app).current == "a"


def test_personal_data_export_has_the_values_but_no_key_or_ciphertext(
    app, make_priority_seeker, login
):
    seeker = make_priority_seeker(groups=("veteran",))
    client = app.test_client()
    login(client, seeker, PASSWORD)
    body = client.get("/api/v1/me/export").get_data(as_text=True)
    assert "veteran" in body or "退役军人" in body
    assert "enc1:" not in body
    for part in DEV_DATA_KEYS.split(":")[1:] + [DEV_BLIND_INDEX_KEY]:
        assert part not in body
