"""Encryption at rest of sensitive personal information: AES-GCM with keys from the environment.

Use: ``from jobfair.crypto import EncryptedText`` and declare a column
``mapped_column(EncryptedText, default="")``; reads and writes stay plain ``str`` in Python.
Where the platform must filter by a value (priority-group membership) store a blind index
beside it: ``blind_index(value)`` is an HMAC-SHA256 under a separate key, equal for equal
values, useless without the key.

Keys (config, i.e. environment variables):
- ``JOBFAIR_DATA_KEYS="2027a:<base64 32 bytes>,2026b:<base64 32 bytes>"``: the first key
  encrypts; every listed key decrypts. A stored value is ``enc1:<key id>:<base64 nonce+ct>``,
  so rotation is: put a new key first, restart, run ``flask security rotate-key`` (it re-encrypts
  every encrypted column under the first key and recomputes the blind indexes), then drop the
  old key from the list.
- ``JOBFAIR_BLIND_INDEX_KEY=<base64 32 bytes>``: the blind-index key. Changing it needs
  ``flask security rotate-key`` at once (the indexes are recomputed from the decrypted values).
- Without them, debug and TESTING apps (``make run``'s ``--debug`` development, the test
  suite) use a development key derived from a fixed, published string: never for real data.
  Any other app refuses to start, like it does without JOBFAIR_SECRET_KEY.
Keys are never written to the database, exports or backups: a database dump alone does not
reveal the protected values. Values written before encryption was enabled are read as they
are (no ``enc1:`` prefix) until ``rotate-key`` encrypts them.
"""

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app
from sqlalchemy.types import Text, TypeDecorator

PREFIX = "enc1"
DEV_KEY_ID = "dev"
_DEV_SEED = b"jobfair development data key - never for real data"


def _dev_key(purpose: bytes) -> bytes:
    return hashlib.sha256(_DEV_SEED + b"/" + purpose).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key() -> str:
    """A fresh random 256-bit key, base64 (for JOBFAIR_DATA_KEYS / JOBFAIR_BLIND_INDEX_KEY)."""
    return _b64(os.urandom(32))


# The development keys written out, for processes a test starts with its own environment.
DEV_DATA_KEYS = f"{DEV_KEY_ID}:{_b64(_dev_key(b'data'))}"
DEV_BLIND_INDEX_KEY = _b64(_dev_key(b"blind-index"))


class CryptoKeyError(ValueError):
    """A stored value or a configured key cannot be used."""


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes]  # key id -> 32-byte AES key; the first one encrypts
    index_key: bytes

    @property
    def current(self) -> str:
        return next(iter(self.keys))

    def encrypt(self, plaintext: str) -> str:
        kid = self.current
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[kid]).encrypt(nonce, plaintext.encode(), kid.encode())
        return f"{PREFIX}:{kid}:{_b64(nonce + sealed)}"

    def decrypt(self, stored: str) -> str:
        if not is_encrypted(stored):
            return stored  # written before encryption; `flask security rotate-key` fixes it
        _, kid, body = stored.split(":", 2)
        key = self.keys.get(kid)
        if key is None:
            raise CryptoKeyError(f"no key with id {kid!r} in JOBFAIR_DATA_KEYS")
        raw = _unb64(body)
        return AESGCM(key).decrypt(raw[:12], raw[12:], kid.encode()).decode()

    def blind_index(self, value: str) -> str:
        return blind_index_with(self.index_key, value)


def blind_index_with(index_key: bytes, value: str) -> str:
    return hmac.new(index_key, value.encode(), hashlib.sha256).hexdigest()


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX + ":")


def parse_keys(spec: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        kid, sep, material = part.partition(":")
        kid = kid.strip()
        try:
            key = _unb64(material.strip()) if sep else b""
        except (binascii.Error, ValueError):
            key = b""
        if not kid or ":" in kid or len(key) != 32 or kid in keys:
            raise CryptoKeyError(
                "JOBFAIR_DATA_KEYS must be 'id:base64-32-bytes[,id:…]' with distinct ids "
                "(32 random bytes each, base64; see SECURITY.md)"
            )
        keys[kid] = key
    return keys


def build_keyring(app: Flask) -> Keyring:
    spec = app.config.get("DATA_KEYS") or ""
    index = app.config.get("BLIND_INDEX_KEY") or ""
    if not spec or not index:
        if not (app.debug or app.testing):
            raise RuntimeError(
                "Refusing to start without encryption keys: set JOBFAIR_DATA_KEYS and "
                "JOBFAIR_BLIND_INDEX_KEY (32 random bytes, base64; see SECURITY.md)."
            )
        spec = spec or DEV_DATA_KEYS
        index = index or DEV_BLIND_INDEX_KEY
    index_key = _unb64(index)
    if len(index_key) != 32:
        raise CryptoKeyError("JOBFAIR_BLIND_INDEX_KEY must be 32 bytes, base64")
    return Keyring(parse_keys(spec), index_key)


def init_crypto(app: Flask) -> None:
    app.extensions["keyring"] = build_keyring(app)


def keyring() -> Keyring:
    return current_app.extensions["keyring"]


def blind_index(value: str) -> str:
    return keyring().blind_index(value)


class EncryptedText(TypeDecorator):
    """A text column stored AES-GCM encrypted under the current data key (see module doc)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return keyring().encrypt(str(value))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return keyring().decrypt(value)


def encrypted_tables(metadata: sa.MetaData):
    """(table, key columns, encrypted columns, {index column: encrypted column}) for every
    table with an EncryptedText column; a blind index column says what it indexes through
    ``info={"blind_index_of": "<encrypted column>"}``."""
    for table in metadata.sorted_tables:
        encrypted = [c.name for c in table.columns if isinstance(c.type, EncryptedText)]
        if not encrypted:
            continue
        indexes = {
            c.name: c.info["blind_index_of"] for c in table.columns if "blind_index_of" in c.info
        }
        keys = [c.name for c in table.primary_key.columns]
        yield table.name, keys, encrypted, indexes


def rotate_all(conn, ring: Keyring, metadata: sa.MetaData) -> dict[str, int]:
    """Re-encrypt every encrypted column under the current key and recompute blind indexes."""
    return {
        name: rewrite_rows(conn, ring, name, keys, encrypted, indexes)
        for name, keys, encrypted, indexes in encrypted_tables(metadata)
    }


def rewrite_rows(
    conn,
    ring: Keyring,
    table: str,
    key_columns: list[str],
    encrypted: list[str],
    indexes: dict[str, str] | None = None,
) -> int:
    """Re-encrypt ``encrypted`` columns of every row under ring's current key (plaintext
    rows are encrypted) and recompute blind ``indexes`` ({index column: encrypted column}).

    Works on plain SQL (no ORM types), so migrations and the rotate-key command share it.
    Returns the number of rows rewritten.
    """
    indexes = indexes or {}
    cols = list(dict.fromkeys(key_columns + encrypted + list(indexes)))
    t = sa.table(table, *(sa.column(c) for c in cols))
    rows = conn.execute(sa.select(*(t.c[c] for c in cols))).mappings().all()
    count = 0
    for row in rows:
        plain = {c: None if row[c] is None else ring.decrypt(row[c]) for c in encrypted}
        values = {c: None if plain[c] is None else ring.encrypt(plain[c]) for c in encrypted}
        for index_col, source in indexes.items():
            values[index_col] = ring.blind_index(plain[source] or "")
        where = sa.and_(*(t.c[k] == row[k] for k in key_columns))
        conn.execute(sa.update(t).where(where).values(**values))
        count += 1
    return count
