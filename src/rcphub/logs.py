"""How ``rcphub serve`` logs: lines for people, or JSON lines on stderr for a log collector.

:func:`log_config` builds the :func:`logging.config.dictConfig` that uvicorn applies at start,
covering its own loggers (errors, requests) and the hub's (``rcphub.*``). With
``RCPHUB_LOG_FORMAT=json`` each record is one JSON object on one line::

    {"time": "2026-12-06T09:30:00.123Z", "level": "INFO", "logger": "uvicorn.access",
     "message": "127.0.0.1:5000 - \\"GET /processes HTTP/1.1\\" 200",
     "client": "127.0.0.1:5000", "method": "GET", "path": "/processes", "status": 200}

A request record carries ``client``, ``method``, ``path`` and ``status`` as fields; an
exception its traceback as ``exc``.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from rcphub.config import Settings


class JsonFormatter(logging.Formatter):
    """One JSON object a line; never raises on odd records."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.name == "uvicorn.access" and isinstance(record.args, tuple):
            args = record.args
            if len(args) == 5:  # uvicorn: client, method, full path, HTTP version, status
                entry.update(client=args[0], method=args[1], path=args[2], status=_int(args[4]))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _int(value: object) -> object:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return value


def log_config(settings: Settings) -> dict[str, Any]:
    """The logging configuration of ``rcphub serve`` for ``settings.log_format``."""
    if settings.log_format == "json":
        formatters: dict[str, Any] = {
            "default": {"()": JsonFormatter},
            "access": {"()": JsonFormatter},
        }
    else:
        formatters = {
            "default": {
                "()": "uvicorn.logging.DefaultFormatter",
                "fmt": "%(levelprefix)s %(name)s: %(message)s",
            },
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s',
            },
        }
    handler = {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}
    # JSON: every record on stderr, which then holds nothing else; text: uvicorn's usual split
    access_stream = "ext://sys.stderr" if settings.log_format == "json" else "ext://sys.stdout"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": formatters,
        "handlers": {
            "default": {**handler, "formatter": "default"},
            "access": {**handler, "formatter": "access", "stream": access_stream},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "rcphub": {"handlers": ["default"], "level": "INFO", "propagate": False},
        },
    }
