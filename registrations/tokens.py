"""The registration's secrets at rest: looked up by hash, kept sealed for the links we build.

A registration has two random 256-bit tokens: the private link (``/r/<token>/``,
full control) and the calendar feed (``/calendar/<feed token>.ics``, read only).
The database never holds either in clear text:

- ``*_hash`` is the SHA-256 of the token, unique; a request is matched by the
  hash of the token it presents.
- ``*_sealed`` is the token encrypted (Fernet: AES-128-CBC + HMAC-SHA256) with a
  key derived from ``SECRET_KEY``, because emails are built later, from the
  outbox row, and must carry the private link, and the private-link page shows
  the feed address. Keys from ``SECRET_KEY_FALLBACKS`` still open older seals,
  so the key can be rotated (docs/deployment.md, "Rotating SECRET_KEY").

Someone who reads the database (a backup, a replica, an SQL injection, a
``dumpdata``) learns no link that works; they need the application's secret too.
"""

import base64
import functools
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

KEY_PURPOSE = b"intercluster.registrations.tokens:"


def new_token() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps to find a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(KEY_PURPOSE + key.encode()).digest()))


@functools.lru_cache(maxsize=4)
def _sealer(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_fernet(key) for key in keys])


def sealer() -> MultiFernet:
    """Seals with SECRET_KEY; opens with it or any of SECRET_KEY_FALLBACKS."""
    return _sealer((settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS))


def seal(token: str) -> str:
    return sealer().encrypt(token.encode()).decode()


def unseal(sealed: str) -> str:
    return sealer().decrypt(sealed.encode()).decode()


def reseal(sealed: str) -> str | None:
    """The seal made again under SECRET_KEY, or None if SECRET_KEY already opens it.

    Raises InvalidToken if no key (SECRET_KEY or a fallback) opens it.
    """
    try:
        _sealer((settings.SECRET_KEY,)).decrypt(sealed.encode())
    except InvalidToken:
        return sealer().rotate(sealed.encode()).decode()
    return None
