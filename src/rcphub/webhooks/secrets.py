"""Signing secrets: made, sealed at rest, and used to sign bodies.

A subscription's secret is shown once, when it is created. The hub must keep it to sign, so it
cannot store a hash; it stores the secret *sealed* with the hub's webhook key
(``RCPHUB_WEBHOOK_KEY``, or else a random key in ``<data_dir>/webhook.key``, made with mode
0600 on first use). A copy of the database alone (a backup, a dump) does not reveal secrets.

The seal is built from the standard library only: a stream cipher whose key stream is
HMAC-SHA256(enc_key, nonce ‖ counter) (HMAC as a pseudo-random function in counter mode), and
encrypt-then-MAC with HMAC-SHA256(mac_key, nonce ‖ ciphertext). Both keys are derived from the
webhook key. A secret sealed under another key fails its MAC and is reported, never used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from rcphub.config import Settings
from rcphub.errors import DataError

__all__ = ["load_key", "new_secret", "seal", "sign", "unseal", "verify"]

PREFIX = "whsec_"
KEY_FILE = "webhook.key"
_VERSION = "v1"
_NONCE = 16
_TAG = 16


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def load_key(settings: Settings) -> bytes:
    """The webhook key: the setting, or the key file of the data directory (made if absent)."""
    if settings.webhook_key:
        return hashlib.sha256(settings.webhook_key.encode()).digest()
    path = Path(settings.data_dir) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError as exc:
        raise DataError(f"{path} is not a webhook key (64 hex digits)") from exc
    if len(key) < 16:
        raise DataError(f"{path} is too short to be a webhook key")
    return key


def _subkey(key: bytes, purpose: bytes) -> bytes:
    return hmac.new(key, b"rcphub-webhook-" + purpose, hashlib.sha256).digest()


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    enc = _subkey(key, b"enc")
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hmac.new(enc, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
        counter += 1
    return bytes(out[:length])


def _tag(key: bytes, nonce: bytes, ciphertext: bytes) -> bytes:
    mac = _subkey(key, b"mac")
    return hmac.new(mac, _VERSION.encode() + nonce + ciphertext, hashlib.sha256).digest()[:_TAG]


def seal(secret: str, key: bytes) -> str:
    plain = secret.encode()
    nonce = os.urandom(_NONCE)
    ciphertext = bytes(a ^ b for a, b in zip(plain, _stream(key, nonce, len(plain)), strict=True))
    packed = nonce + ciphertext + _tag(key, nonce, ciphertext)
    return f"{_VERSION}:" + base64.urlsafe_b64encode(packed).decode()


def unseal(sealed: str, key: bytes) -> str:
    version, _, packed_text = sealed.partition(":")
    try:
        packed = base64.urlsafe_b64decode(packed_text.encode())
    except ValueError:
        packed = b""
    nonce, ciphertext, tag = packed[:_NONCE], packed[_NONCE:-_TAG], packed[-_TAG:]
    if (
        version != _VERSION
        or len(packed) < _NONCE + _TAG
        or not hmac.compare_digest(tag, _tag(key, nonce, ciphertext))
    ):
        raise DataError(
            "a webhook secret cannot be unsealed: the webhook key (RCPHUB_WEBHOOK_KEY or"
            " webhook.key in the data directory) is not the one it was sealed with"
        )
    stream = _stream(key, nonce, len(ciphertext))
    return bytes(a ^ b for a, b in zip(ciphertext, stream, strict=True)).decode()


def sign(secret: str, body: bytes) -> str:
    """The ``X-Rcphub-Signature`` header: ``sha256=`` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does (docs/webhooks.md): compare in constant time."""
    return hmac.compare_digest(sign(secret, body), header or "")
