"""The exception tree of the core, drawn once.

::

    RcphubError                  base: a message for people, a machine-readable code
    ├── NotFound                 an ID that names nothing (HTTP 404, CLI exit 3)
    ├── InvalidInput             a parameter or file the hub cannot accept (HTTP 422, exit 2)
    │   ├── TooLarge             a file over the size limit (HTTP 413)
    │   └── Gone                 a one-time link used already or expired (HTTP 410)
    ├── DataError                reference data that cannot be loaded as it stands (exit 4)
    ├── Unauthenticated          no principal, or credentials that are wrong (HTTP 401, exit 6)
    ├── Forbidden                a principal the policy refuses (HTTP 403, exit 6)
    │   └── CsrfRejected         a form without the token of its session (HTTP 403)
    └── TooManyAttempts          sign-in throttled or account locked (HTTP 429, exit 6)

The edges translate them: the CLI prints ``error: <message>`` and exits non-zero, the JSON API
answers ``{"error": {"code", "message"}}`` with :attr:`RcphubError.http_status`, pages render
a readable error page. Nothing else should escape to a user.
"""

from __future__ import annotations


class RcphubError(Exception):
    code = "error"
    http_status = 500
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(RcphubError):
    code = "not_found"
    http_status = 404
    exit_code = 3

    def __init__(self, kind: str, ident: str, suggestions: list[str] | None = None) -> None:
        self.kind = kind
        self.ident = ident
        self.suggestions = suggestions or []
        message = f"no {kind} with ID {ident!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class InvalidInput(RcphubError):
    code = "invalid_input"
    http_status = 422
    exit_code = 2


class TooLarge(InvalidInput):
    code = "too_large"
    http_status = 413


class Gone(InvalidInput):
    code = "gone"
    http_status = 410


class DataError(RcphubError):
    code = "data_error"
    http_status = 500
    exit_code = 4


class Unauthenticated(RcphubError):
    code = "unauthenticated"
    http_status = 401
    exit_code = 6


class Forbidden(RcphubError):
    code = "forbidden"
    http_status = 403
    exit_code = 6


class CsrfRejected(Forbidden):
    code = "csrf_rejected"


class TooManyAttempts(RcphubError):
    code = "too_many_attempts"
    http_status = 429
    exit_code = 6

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
