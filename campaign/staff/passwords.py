"""Staff passwords: Argon2id hashes and a length-based policy with a breached-password list."""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 128
_hasher = PasswordHasher()


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("campaign.data").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


def policy_problem(password: str) -> str | None:
    """A German sentence saying what is wrong with the password, or None."""
    if len(password) < MIN_LENGTH:
        return f"Das Passwort muss mindestens {MIN_LENGTH} Zeichen haben"
    if len(password) > MAX_LENGTH:
        return f"Das Passwort darf höchstens {MAX_LENGTH} Zeichen haben"
    if password.casefold() in _common_passwords() or len(set(password)) < 4:
        return "Dieses Passwort ist zu leicht zu erraten. Wählen Sie ein anderes"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def dummy_verify(password: str) -> None:
    """Spend the time of a real check so unknown accounts are not faster to reject."""
    verify_password(_dummy_hash(), password)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not-a-real-password-for-timing")
