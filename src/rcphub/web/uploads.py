"""The upload form: what a result row says, and the hub's reasons for refusing a file put in
the visitor's language.

The ingest pipeline reports a failed file as one English sentence that names the file
("report.pdf: this PDF is damaged and cannot be read"). The page shows the reason in the
interface language when it is one the hub knows (:data:`REASONS`), and keeps the original
sentence, marked as English, as the detail.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rcphub.documents.schemas import DocumentSummary
from rcphub.followup.schemas import CandidateOut
from rcphub.wording.labels import N_

log = logging.getLogger(__name__)

REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), message)
    for pattern, message in (
        (r"PDF is damaged", N_("The PDF file is damaged and cannot be read.")),
        (
            r"PDF has no text layer",
            N_(
                "The PDF file has no text layer (scanned pages?); the hub cannot read text "
                "in images."
            ),
        ),
        (
            r"password-protected|encrypted",
            N_("The file is password-protected or encrypted; save an unprotected copy first."),
        ),
        (r"PDF has no pages", N_("The PDF file has no pages.")),
        (r"PDF has \d+ pages; the limit", N_("The PDF file has more pages than the hub accepts.")),
        (r"took too long", N_("Reading the file took too long.")),
        (
            r"zip bomb|too many parts|unpacks to",
            N_("The file unpacks to far more data than a document holds, so it was refused."),
        ),
        (
            r"damaged zip|damaged or not what its name says|not a Word document",
            N_("The file is damaged or is not what its name says."),
        ),
        (
            r"^unsupported file type|^this is ",
            N_(
                "This type of file is not supported. The hub reads .txt, .md, .html, .docx "
                "and .pdf files."
            ),
        ),
        (r"file is empty", N_("The file is empty.")),
        (
            r"no text was found|contains no text|not a text file",
            N_("No text was found in the file."),
        ),
        (r"nested too deeply|too much memory", N_("The file is too complex to read.")),
    )
)
SIZE = re.compile(r"MB limit|the limit is \d+ MB|too large", re.IGNORECASE)
GENERIC = N_("The file could not be read.")


@dataclass
class UploadRow:
    """One file of an upload and what became of it."""

    filename: str
    status: str  # created | existing | proposed | error
    document: DocumentSummary | None = None
    reason: str | None = None  # why it was refused, in the interface language
    detail: str | None = None  # the hub's own message, in English
    can_file: bool = False  # the uploader may file the stored document under what it suggests
    # what follow-up detection finds in the document, for the uploader to confirm
    recommendations: list[CandidateOut] = field(default_factory=list)


class UploadProblem(Exception):
    """A problem with the upload as a whole (no file, an unknown process...): the form is
    shown again with ``message``, already in the interface language."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def explain(
    gettext: Callable[[str], str], message: str, filename: str, limit_mb: int
) -> tuple[str, str]:
    """(the reason in the interface language, the original message without the file name)."""
    detail = message.removeprefix(f"{filename}: ").strip()
    if SIZE.search(detail):
        reason = gettext("The file is larger than the limit of %(mb)s MB.") % {"mb": limit_mb}
        return reason, detail
    for pattern, reason in REASONS:
        if pattern.search(detail):
            return gettext(reason), detail
    return gettext(GENERIC), detail


# ---------------------------------------------------------------------------- warming up

_warm_up_lock = threading.Lock()


def start_warm_up(state: Any, ingestor: Any) -> None:
    """Build what the first ingest needs (the entity linker, ~1.5 s; the language detector's
    models, ~2 s) in a background thread, once per application, when someone opens the
    upload form — so that their upload does not wait for it."""
    with _warm_up_lock:
        if getattr(state, "upload_warm_up", None) is not None:
            return
        thread = threading.Thread(
            target=_warm_up, args=(ingestor,), name="rcphub-upload-warm-up", daemon=True
        )
        state.upload_warm_up = thread
    thread.start()


def wait_for_warm_up(state: Any) -> None:
    """Let a warm-up under way finish before ingesting (rather than build the linker twice)."""
    thread = getattr(state, "upload_warm_up", None)
    if thread is not None and thread.is_alive():
        thread.join()


def _warm_up(ingestor: Any) -> None:
    from rcphub.documents.parsing import detect_language

    try:
        ingestor.linker  # noqa: B018 - built on first use
        detect_language("Lorem ipsum dolor sit amet")  # loads the detector's models
    except Exception:  # the upload itself will report anything real
        log.exception("warming up the ingest pipeline failed")
