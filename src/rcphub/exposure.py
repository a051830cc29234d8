"""May this hub listen beyond the machine it runs on? :func:`check_listening` answers before
``rcphub serve`` starts.

On a loopback address (``127.0.0.1``, ``::1``, ``localhost``) anything goes: that is a
developer's or a single user's hub. On any other address the hub refuses to start while a secret
it relies on is a default, a placeholder or too short to resist guessing:

* ``RCPHUB_WEBHOOK_KEY``, which seals the webhook signing secrets: when set it must be at least
  :data:`MIN_KEY_LENGTH` characters, not a placeholder such as ``change-me``, and not one
  character repeated (left empty, the hub makes a random key file of its own — that is fine);
* the key file ``webhook.key`` of the data directory must not be readable by other users of the
  machine.

Sessions and API tokens are random per sign-in and stored hashed, so there is no other secret
with a default value to check.
"""

from __future__ import annotations

import ipaddress
import stat
from pathlib import Path

from rcphub.config import Settings
from rcphub.errors import RcphubError

MIN_KEY_LENGTH = 32
PLACEHOLDERS = frozenset(
    {
        "change-me",
        "changeme",
        "change_me",
        "default",
        "example",
        "password",
        "rcphub",
        "secret",
        "secret-key",
        "test",
        "webhook-key",
    }
)


class UnsafeToExpose(RcphubError):
    code = "unsafe_to_expose"
    exit_code = 2  # as any other bad setting or option


def is_local(host: str) -> bool:
    """Does ``host`` only accept connections from this machine?"""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def problems(settings: Settings) -> list[str]:
    """What makes this configuration unsafe to serve beyond loopback (empty: nothing)."""
    found = []
    key = settings.webhook_key
    if key:
        if key.strip().lower() in PLACEHOLDERS:
            found.append("RCPHUB_WEBHOOK_KEY is a placeholder value")
        elif len(key) < MIN_KEY_LENGTH:
            found.append(
                f"RCPHUB_WEBHOOK_KEY has {len(key)} characters; it needs {MIN_KEY_LENGTH} or more"
            )
        elif len(set(key)) == 1:
            found.append("RCPHUB_WEBHOOK_KEY is one character repeated")
    else:
        from rcphub.webhooks.secrets import KEY_FILE

        path = Path(settings.data_dir) / KEY_FILE
        if path.exists() and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            found.append(f"{path} can be read by other users of this machine (chmod 600 it)")
    return found


def check_listening(settings: Settings) -> None:
    """Raise :class:`UnsafeToExpose` if ``settings.host`` is not loopback and a secret is weak."""
    if is_local(settings.host):
        return
    found = problems(settings)
    if found:
        raise UnsafeToExpose(
            f"refusing to serve on {settings.host}: "
            + "; ".join(found)
            + ". Set RCPHUB_WEBHOOK_KEY to a long random value (e.g. the output of"
            " `python -c 'import secrets; print(secrets.token_urlsafe(48))'`), or leave it empty"
            " to use the key file the hub makes, or listen on 127.0.0.1 behind a proxy."
        )
