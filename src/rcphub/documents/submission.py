"""Submitting documents: what becomes of files sent to the hub, whatever the face.

The upload page, ``POST /api/v1/documents`` and ``rcphub ingest`` all call this module, and
only translate: a form, multipart JSON or files on disk in; a page, JSON or lines of text out;
the errors below into their own medium. One rule for each thing they share:

* :func:`admit` — the decision, taken once per submission before any file is read: refused
  (the exception says why), ingested, or proposed for a secretariat to approve
  (:class:`Route`);
* :func:`clean_filename` — the name a file keeps;
* :func:`read_limited` — the size limit (``RCPHUB_MAX_UPLOAD_MB`` per file), and
  :data:`MAX_FILES` per upload (a request; ``rcphub ingest`` is the operator's batch and has
  no such bound);
* :func:`submit_file` / :func:`submit_paths` — each file stored whole or not at all (or kept
  as a proposal), as a :class:`SubmittedFile`; a file that fails is reported and the batch
  goes on.

Refusals of the whole submission, in the order they are checked::

    NoFiles, TooManyFiles      InvalidInput (422)    the request carries 0 or > MAX_FILES files
    Unauthenticated            (401)                 nobody signed in
    Forbidden                  (403)                 the policy refuses these processes
    ProposalNotPublic          Forbidden (403)       a contributor's proposal marked restricted
    InvalidInput               (422)                 visibility neither public nor restricted,
                                                     or restricted and filed under no process
    NotFound                   (404)                 an unknown process or meeting

The policy comes before the links are looked up, so that whoever may not file documents
learns nothing about which IDs exist.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from rcphub.accounts.policy import Action, Outcome, Principal, authorize, check_visibility
from rcphub.config import Settings
from rcphub.documents.ingest import FileOutcome, IngestOptions, Ingestor, iter_files
from rcphub.documents.proposals import propose_document
from rcphub.documents.schemas import IngestReport, ProposalInfo
from rcphub.documents.service import ingest_report
from rcphub.errors import Forbidden, InvalidInput, TooLarge

MAX_FILES = 20
"""Files one upload (a request of the page or the API) may carry."""

ACCEPTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")
"""What a file chooser offers (the hub decides by content as well): the suffixes of
:data:`rcphub.documents.ingest.SUPPORTED_SUFFIXES`, in the order people know them."""

MAX_FILENAME = 200


class NoFiles(InvalidInput):
    """A submission without a file."""


class TooManyFiles(InvalidInput):
    """An upload of more than :data:`MAX_FILES` files."""


class ProposalNotPublic(Forbidden):
    """A contributor's proposal marked restricted: a secretariat adds restricted documents."""


class Route(StrEnum):
    """What the files of an admitted submission become."""

    INGEST = "ingest"
    PROPOSE = "propose"  # kept for a secretariat to approve (a contributor's files)


@dataclass
class SubmittedFile:
    """One file of a submission and what became of it."""

    filename: str  # the name kept (clean_filename)
    status: str  # created | existing | proposed | error
    path: str = ""  # where it came from: the name sent, or the path on disk
    document_id: str | None = None
    proposal: ProposalInfo | None = None
    error: str | None = None  # why it was refused, in English, naming the file
    too_large: bool = False

    def outcome(self) -> FileOutcome:
        return FileOutcome(
            path=self.path or self.filename,
            document_id=self.document_id,
            created=self.status == "created",
            error=self.error,
            too_large=self.too_large,
        )


def clean_filename(raw: str | None) -> str:
    """The name to keep for a submitted file: its last path part (``/`` or ``\\``), without
    control, format (bidi overrides), private-use or unassigned characters, trimmed, at most
    :data:`MAX_FILENAME` characters; "upload" when nothing is left."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    return name.strip()[:MAX_FILENAME].strip() or "upload"


def size_limit(settings: Settings) -> int:
    """Bytes one file may have."""
    return settings.max_upload_mb * 2**20


def request_limit(settings: Settings) -> int:
    """Bytes a whole upload request may have: :data:`MAX_FILES` files at the limit and a
    megabyte for the fields. Anything larger is refused before it is read."""
    return (MAX_FILES * settings.max_upload_mb + 1) * 2**20


def too_large(filename: str, settings: Settings) -> TooLarge:
    return TooLarge(f"{filename}: the file is over the {settings.max_upload_mb} MB limit")


def read_limited(stream: BinaryIO, filename: str, settings: Settings) -> bytes:
    """Read a submitted file, refusing it (:class:`TooLarge`) as soon as it passes the limit:
    never more than a megabyte past it is held."""
    limit = size_limit(settings)
    chunks, size = [], 0
    while chunk := stream.read(2**20):
        size += len(chunk)
        if size > limit:
            raise too_large(filename, settings)
        chunks.append(chunk)
    return b"".join(chunks)


def admit(ingestor: Ingestor, options: IngestOptions, files: int | None) -> Route:
    """The decision on a submission, before any file is read: :class:`Route`, or an error of
    the table above. ``files``: how many files an upload carries (None: a batch of the
    operator, not bounded). Normalises ``options.visibility``."""
    if files is not None:
        if files == 0:
            raise NoFiles("choose at least one file to upload")
        if files > MAX_FILES:
            raise TooManyFiles(f"send at most {MAX_FILES} files at a time")
    decision = authorize(options.actor, Action.DOCUMENT_ADD, options.processes, proposals=True)
    options.visibility = check_visibility(options.visibility).value
    if decision.outcome is Outcome.PROPOSE and options.visibility != "public":
        raise ProposalNotPublic("a proposal is public; a secretariat adds restricted documents")
    ingestor.check_options(options)
    return Route.PROPOSE if decision.outcome is Outcome.PROPOSE else Route.INGEST


def submit_file(
    ingestor: Ingestor,
    options: IngestOptions,
    route: Route,
    raw_name: str | None,
    stream: BinaryIO,
) -> SubmittedFile:
    """Store (or propose) one file of an admitted submission, in its own transaction;
    failures come back in the result, nothing of the file stored."""
    name = clean_filename(raw_name)
    try:
        data = read_limited(stream, name, ingestor.settings)
    except TooLarge as error:
        return SubmittedFile(name, "error", path=name, error=error.message, too_large=True)
    if route is Route.PROPOSE:
        made = propose_document(ingestor.database, options.actor, data, name, options)
        return SubmittedFile(name, "proposed", path=name, proposal=made)
    outcome = ingestor.ingest_bytes(data, name, options)
    if outcome.error or not outcome.document_id:
        return SubmittedFile(name, "error", path=name, error=outcome.error or f"{name}: not stored")
    status = "created" if outcome.created else "existing"
    return SubmittedFile(name, status, path=name, document_id=outcome.document_id)


def submit_paths(
    ingestor: Ingestor,
    options: IngestOptions,
    paths: Iterable[Path],
    progress: Callable[[FileOutcome], None] | None = None,
    *,
    workers: int = 1,
) -> list[SubmittedFile]:
    """Admit and store files and folders of the machine (``rcphub ingest``): the same decision
    and names as an upload, without its bound on the number of files. New documents stay
    queued for the tagger (:meth:`Ingestor.ingest_paths`)."""
    files = list(paths)
    route = admit(ingestor, options, None)
    if route is Route.PROPOSE:  # not the operator (the system may add anything)
        return [_propose_path(ingestor, options, path, progress) for path in iter_files(files)]
    outcomes = ingestor.ingest_paths(
        files, options, progress, workers=workers, filename=clean_filename
    )
    return [_from_outcome(outcome) for outcome in outcomes]


def _propose_path(
    ingestor: Ingestor,
    options: IngestOptions,
    path: Path,
    progress: Callable[[FileOutcome], None] | None,
) -> SubmittedFile:
    try:
        with path.open("rb") as stream:
            result = submit_file(ingestor, options, Route.PROPOSE, path.name, stream)
    except OSError as error:
        name = clean_filename(path.name)
        result = SubmittedFile(name, "error", error=f"{name}: {error.strerror}")
    result.path = str(path)
    if progress:
        progress(result.outcome())
    return result


def _from_outcome(outcome: FileOutcome) -> SubmittedFile:
    name = clean_filename(Path(outcome.path).name)
    if outcome.error or not outcome.document_id:
        return SubmittedFile(
            name, "error", path=outcome.path, error=outcome.error, too_large=outcome.too_large
        )
    status = "created" if outcome.created else "existing"
    return SubmittedFile(name, status, path=outcome.path, document_id=outcome.document_id)


def submission_report(
    session: Session, results: list[SubmittedFile], viewer: Principal
) -> IngestReport:
    """The report of stored files: ``rcphub ingest --json`` and the API's answer."""
    return ingest_report(session, [result.outcome() for result in results], viewer)
