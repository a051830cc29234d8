"""Passwords: argon2id hashes (argon2-cffi's defaults, RFC 9106), and the few rules a new
password must follow."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from rcphub.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 1024  # hashing megabytes of "password" is a denial of service, not a password


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def check_password_rules(password: str, username: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"a password has at most {MAX_LENGTH} characters")
    if username and password.casefold() == username.casefold():
        raise InvalidInput("the password must not be the username")
    if any(ord(c) < 32 for c in password):
        raise InvalidInput("a password cannot contain control characters")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@cache
def _dummy_hash() -> str:
    return _hasher().hash("not a password of anyone")


def spend_as_long_as_a_check(password: str) -> None:
    """Verify against a throwaway hash, so an unknown username takes as long to refuse as a
    wrong password (no user enumeration by timing)."""
    verify_password(_dummy_hash(), password[:MAX_LENGTH])
