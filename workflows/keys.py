"""The lookup key printed on the citizen's receipt; only its hash is stored."""

from __future__ import annotations

import hashlib
import secrets

LOOKUP_KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: typed from a printed receipt
LOOKUP_KEY_LENGTH = 10


def hash_lookup_key(key: str) -> str:
    return hashlib.sha256(key.strip().upper().encode()).hexdigest()


def new_lookup_key() -> str:
    return "".join(secrets.choice(LOOKUP_KEY_ALPHABET) for _ in range(LOOKUP_KEY_LENGTH))
