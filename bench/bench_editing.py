"""How long each editing write takes, end to end over HTTP (target: every write under 200 ms).

Starts the hub under uvicorn on a loopback port against a fresh database (SQLite in a temp
dir, or ``--database-url`` for PostgreSQL: the database must be empty), makes a secretariat of
the Bali Process with a write token and one document of the process, then times each write
``--rounds`` times through the JSON API — add a meeting, change a meeting, add a member,
end a membership, change a document's title, change the process's profile, revert a change,
a contributor's proposal and its approval, add a focal point, grant a role —
and prints client-side p50 / p95 / max per write, and the median CPU time of the process (client
and server run in it: a figure that a loaded machine inflates less than wall time).

    .venv/bin/python bench/bench_editing.py --rounds 30
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rcphub.app import create_app  # noqa: E402
from rcphub.bootstrap import prepare_database  # noqa: E402
from rcphub.config import Settings  # noqa: E402
from rcphub.db import Database  # noqa: E402
from rcphub.documents import IngestOptions, Ingestor  # noqa: E402
from tests.accounts_support import make_token, make_user  # noqa: E402
from tests.browser_support import running_server  # noqa: E402

TEXT = (
    "Chair's summary\n\n1. The participants discussed labour migration.\n"
    "2. The participants recommended sharing outcome documents.\n"
)


def summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database-url", help="an empty database (default: SQLite in a temp dir)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="rcphub-bench-editing-"))
    url = args.database_url or f"sqlite:///{tmp / 'hub.sqlite3'}"
    settings = Settings(database_url=url, data_dir=tmp / "data")
    database = Database(settings)
    prepare_database(database)
    make_user(database, "sec", "secretariat@bali-process")
    token = make_token(database, "sec")
    make_user(database, "contrib", "contributor@bali-process")
    contrib = {"Authorization": f"Bearer {make_token(database, 'contrib')}"}
    for n in range(args.rounds):
        make_user(database, f"bench-{n}")
    outcome = Ingestor(database).ingest_bytes(
        TEXT.encode(), "bench.txt", IngestOptions(processes=["bali-process"])
    )
    assert outcome.error is None, outcome.error
    doc = outcome.document_id
    headers = {"Authorization": f"Bearer {token}"}
    timings: dict[str, list[float]] = {}
    cpu_ms: dict[str, list[float]] = {}  # client and server share this process

    def timed(name: str, client: httpx.Client, method: str, path: str, as_=None, **kwargs):  # type: ignore[no-untyped-def]
        start, cpu = time.perf_counter(), time.process_time()
        response = client.request(method, path, headers=as_ or headers, **kwargs)
        timings.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        cpu_ms.setdefault(name, []).append((time.process_time() - cpu) * 1000)
        if response.status_code >= 300:
            raise SystemExit(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json()

    first = date.today() + timedelta(days=30)
    states = ["MAR", "TUN", "DZA", "EGY", "SEN", "GHA", "NGA", "KEN", "ETH", "MLI"]
    with (
        running_server(create_app(settings, database=database)) as base,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        for n in range(args.rounds):
            day = (first + timedelta(days=n)).isoformat()
            meeting = timed(
                "POST /processes/{id}/meetings",
                client,
                "POST",
                "/api/v1/processes/bali-process/meetings",
                json={"title": {"en": f"Workshop {n}"}, "start": day, "city": "Bali"},
            )
            timed(
                "PATCH /meetings/{id}",
                client,
                "PATCH",
                f"/api/v1/meetings/{meeting['id']}",
                json={"city": f"Jakarta {n}"},
            )
            member = timed(
                "POST /processes/{id}/memberships",
                client,
                "POST",
                "/api/v1/processes/bali-process/memberships",
                json={
                    "party": f"state:{states[n % len(states)]}",
                    "role": "observer",
                    "subgroup": f"bench-{n}",
                    "source": "https://example.org/list",
                    "as_of": "2026-12",
                },
            )
            timed(
                "POST /processes/{id}/memberships/{id}/end",
                client,
                "POST",
                f"/api/v1/processes/bali-process/memberships/{member['id']}/end",
                json={"until": "2026"},
            )
            timed(
                "PATCH /documents/{id}",
                client,
                "PATCH",
                f"/api/v1/documents/{doc}",
                json={"title": f"Chair's summary, revision {n}"},
            )
            timed(
                "PATCH /processes/{id}",
                client,
                "PATCH",
                "/api/v1/processes/bali-process",
                json={"website": f"https://example.org/bali/{n}"},
            )
            history = client.get(f"/api/v1/meetings/{meeting['id']}/history").json()
            timed(
                "POST /history/{id}/revert",
                client,
                "POST",
                f"/api/v1/history/{history['changes'][0]['id']}/revert",
            )
            proposal = timed(
                "POST /proposals (a contributor)",
                client,
                "POST",
                "/api/v1/proposals",
                as_=contrib,
                json={
                    "kind": "membership.add",
                    "target": "process:bali-process",
                    "changes": {
                        "party": f"state:{states[n % len(states)]}",
                        "role": "observer",
                        "subgroup": f"proposed-{n}",
                        "source": "https://example.org/list",
                    },
                },
            )
            timed(
                "POST /proposals/{id}/approve",
                client,
                "POST",
                f"/api/v1/proposals/{proposal['id']}/approve",
            )
            timed(
                "POST /processes/{id}/focal-points",
                client,
                "POST",
                "/api/v1/processes/bali-process/focal-points",
                json={"name": f"Focal point {n}", "email": f"fp{n}@example.org"},
            )
            timed(
                "POST /users/{name}/roles",
                client,
                "POST",
                f"/api/v1/users/bench-{n}/roles",
                json={"role": "contributor", "process": "bali-process"},
            )
    results = {name: summary(values) for name, values in timings.items()}
    for name, row in results.items():
        row["cpu_p50_ms"] = round(statistics.median(cpu_ms[name]), 1)
        print(
            f"{name:45} n={row['n']:4}  p50 {row['p50_ms']:6.1f}  "
            f"p95 {row['p95_ms']:6.1f}  max {row['max_ms']:6.1f} ms  "
            f"(CPU p50 {row['cpu_p50_ms']:5.1f} ms)"
        )
    print(json.dumps({"database": settings.safe_database_url, "results": results}))


if __name__ == "__main__":
    main()
