"""A hub with a secretariat of the Bali Process, one of MIDSA, a member of the Bali Process, a
reader, an admin, a contributor of the Bali Process, and two documents of the Bali Process
(English and Spanish)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rcphub.db import AuditEntry, Database, EditRecord
from rcphub.documents import IngestOptions, Ingestor
from tests.accounts_support import make_token, make_user

USERS = ("admin", "sec", "other-sec", "member", "reader", "contrib")
TEXT_EN = (
    "Chair's summary of the Bali Process workshop\n\n"
    "1. The participants discussed labour migration in the region.\n"
    "2. The participants recommended sharing outcome documents.\n"
)
TEXT_ES = (
    "Resumen de la Presidencia del taller del Proceso de Bali\n\n"
    "1. Los participantes debatieron la migración laboral en la región.\n"
    "2. Los participantes recomendaron compartir los documentos finales.\n"
)


@dataclass
class Hub:
    database: Database
    app: object
    client: TestClient
    tokens: dict[str, str]
    docs: dict[str, str] = field(default_factory=dict)

    def headers(self, user: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}

    def call(self, method: str, path: str, user: str | None = None, **kwargs):  # type: ignore[no-untyped-def]
        return self.client.request(method, path, headers=self.headers(user), **kwargs)

    def counts(self) -> tuple[int, int]:
        with self.database.session() as session:
            return (
                session.scalar(select(func.count()).select_from(EditRecord)) or 0,
                session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            )


def make_hub(database_factory) -> Hub:  # type: ignore[no-untyped-def]
    from rcphub.app import create_app

    database = database_factory.new()
    make_user(database, "admin", "admin")
    make_user(database, "sec", "secretariat@bali-process")
    make_user(database, "other-sec", "secretariat@midsa")
    make_user(database, "member", "reader@bali-process")
    make_user(database, "reader", "reader")
    make_user(database, "contrib", "contributor@bali-process")
    tokens = {user: make_token(database, user) for user in USERS}
    ingestor = Ingestor(database)
    docs = {}
    for key, text in (("en", TEXT_EN), ("es", TEXT_ES)):
        outcome = ingestor.ingest_bytes(
            text.encode(), f"bali-{key}.txt", IngestOptions(processes=["bali-process"])
        )
        assert outcome.error is None, outcome.error
        docs[key] = outcome.document_id
    app = create_app(database.settings, database=database)
    client = TestClient(app)
    client.__enter__()
    return Hub(database, app, client, tokens, docs)
