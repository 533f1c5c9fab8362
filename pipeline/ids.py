"""Stable ids: article ids from raw bytes, row ids from what a row says, not where it sits."""

import hashlib


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def article_id(raw: bytes) -> str:
    """sha256 of the raw input bytes, first 16 hex chars (DATASET.md)."""
    return sha256_hex(raw)[:16]


def stable_id(*parts: object) -> str:
    """16 hex chars of sha256 over the parts, joined unambiguously."""
    joined = "\x1f".join(str(p) for p in parts)
    return sha256_hex(joined.encode("utf-8"))[:16]


def name_id(kind: str, name: str) -> str:
    """The same id for the same name in every article: person_id, initiative_id."""
    return stable_id(kind, name)
