"""Signing secrets: sealed at rest under the webhook key, the signature a receiver checks."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat

import pytest

from rcphub.config import Settings
from rcphub.errors import DataError
from rcphub.webhooks.secrets import load_key, new_secret, seal, sign, unseal, verify


def test_seal_round_trip_and_wrong_key(tmp_path):  # type: ignore[no-untyped-def]
    key = load_key(Settings(data_dir=tmp_path))
    assert stat.S_IMODE(os.stat(tmp_path / "webhook.key").st_mode) == 0o600
    assert load_key(Settings(data_dir=tmp_path)) == key  # kept, not made again
    secret = new_secret()
    sealed = seal(secret, key)
    assert secret not in sealed
    assert seal(secret, key) != sealed  # a fresh nonce each time
    assert unseal(sealed, key) == secret
    other = load_key(Settings(data_dir=tmp_path, webhook_key="another key, long enough"))
    with pytest.raises(DataError, match="cannot be unsealed"):
        unseal(sealed, other)
    tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    with pytest.raises(DataError):
        unseal(tampered, key)
    with pytest.raises(DataError):
        unseal("garbage", key)


def test_signature_is_the_hmac_of_the_body():
    body = '{"id":"x","type":"document.added","data":{"title":"Резюме"}}'.encode()
    expected = hmac.new(b"whsec_k", body, hashlib.sha256).hexdigest()
    assert sign("whsec_k", body) == "sha256=" + expected
    assert verify("whsec_k", body, "sha256=" + expected)
    assert not verify("whsec_other", body, "sha256=" + expected)
    assert not verify("whsec_k", body + b"\n", "sha256=" + expected)
    assert not verify("whsec_k", body, "")
