"""``rcphub webhooks``: subscriptions, the delivery log, redelivery and the deliverer.

The command acts as the operator of the machine (``cli:<os user>`` in the audit log), as the
account commands do.
"""

from __future__ import annotations

import threading
from dataclasses import asdict
from typing import Any

import click

from rcphub.cli.support import PLAIN_JSON_OPTION, emit, handle_errors, operator, pass_context
from rcphub.webhooks.events import EVENT_TYPES


@click.group()
def webhooks() -> None:
    """Webhooks: signed JSON events POSTed to other systems (docs/webhooks.md)."""


@webhooks.command("add")
@click.argument("url")
@click.option(
    "--event",
    "events",
    multiple=True,
    type=click.Choice(list(EVENT_TYPES)),
    help="An event type to send (repeat; default: all).",
)
@click.option("--process", help="Only events about this process (its ID).")
@click.option("--state", help="Only events about this state (ISO 3166-1 alpha-3).")
@click.option("--description", help="A note on who receives it.")
@PLAIN_JSON_OPTION
@pass_context
@handle_errors
def webhooks_add(ctx, url, events, process, state, description, as_json) -> None:  # type: ignore[no-untyped-def]
    """Register a webhook; prints its signing secret, which is never shown again."""
    from rcphub.webhooks.service import add_subscription

    with ctx.database.session() as session:
        made = add_subscription(
            session,
            ctx.settings,
            operator(),
            url,
            event_types=list(events),
            process=process,
            state=state,
            description=description,
        )
    sub = made.subscription
    text = (
        f"webhook {sub.id} → {sub.url} ({', '.join(sub.event_types)})\n"
        f"secret (shown once, keep it to verify signatures): {made.secret}"
    )
    emit(asdict(made), as_json, text)


@webhooks.command("list")
@click.option("--all", "include_removed", is_flag=True, help="Removed webhooks too.")
@PLAIN_JSON_OPTION
@pass_context
@handle_errors
def webhooks_list(ctx, include_removed, as_json) -> None:  # type: ignore[no-untyped-def]
    """Webhooks, with their pending and failed deliveries."""
    from rcphub.webhooks.service import list_subscriptions

    with ctx.database.session() as session:
        subs = list_subscriptions(session, operator(), include_removed=include_removed)

    def text(_data: Any) -> None:
        for s in subs:
            scope = " ".join(
                x
                for x in (s.process and f"process:{s.process}", s.state and f"state:{s.state}")
                if x
            )
            click.echo(
                f"{s.id}\t{s.url}\t{','.join(s.event_types)}\t{scope or '-'}\t"
                f"pending {s.pending}, failed {s.failed}" + ("" if s.active else "\tremoved")
            )

    emit([asdict(s) for s in subs], as_json, text)


@webhooks.command("remove")
@click.argument("webhook_id", type=int)
@pass_context
@handle_errors
def webhooks_remove(ctx, webhook_id) -> None:  # type: ignore[no-untyped-def]
    """Remove a webhook: its undelivered events are cancelled, its log is kept."""
    from rcphub.webhooks.service import remove_subscription

    with ctx.database.session() as session:
        remove_subscription(session, operator(), webhook_id)
    click.echo(f"webhook {webhook_id} removed")


@webhooks.command("deliveries")
@click.option("--webhook", "webhook_id", type=int, help="Only this webhook's.")
@click.option(
    "--status",
    type=click.Choice(["pending", "delivering", "delivered", "failed", "cancelled"]),
    help="Only deliveries in this state.",
)
@click.option("--show", "delivery_id", help="One delivery with its body and every attempt.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@PLAIN_JSON_OPTION
@pass_context
@handle_errors
def webhooks_deliveries(ctx, webhook_id, status, delivery_id, limit, as_json) -> None:  # type: ignore[no-untyped-def]
    """The delivery log, newest first (or one delivery's attempts with --show)."""
    from rcphub.webhooks.service import get_delivery, list_deliveries

    with ctx.database.session() as session:
        if delivery_id:
            one = get_delivery(session, operator(), delivery_id)
            found = [one]
        else:
            found = list_deliveries(
                session, operator(), subscription_id=webhook_id, status=status, limit=limit
            )

    def text(_data: Any) -> None:
        for d in found:
            click.echo(
                f"{d.id}\twebhook {d.subscription_id}\t{d.event_type}\t{d.status}\t"
                f"attempts {d.attempts}\t{d.last_error or ''}"
            )
            for a in d.attempt_log or []:
                click.echo(
                    f"  #{a.number} {a.started_at} {a.status_code or '-'} "
                    f"{a.duration_ms} ms {a.error or ''}"
                )

    payload = asdict(found[0]) if delivery_id else [asdict(d) for d in found]
    emit(payload, as_json, text)


@webhooks.command("redeliver")
@click.argument("delivery_id")
@pass_context
@handle_errors
def webhooks_redeliver(ctx, delivery_id) -> None:  # type: ignore[no-untyped-def]
    """Queue a delivery again (same ID and body); the deliverer sends it."""
    from rcphub.webhooks.service import redeliver

    with ctx.database.session() as session:
        redeliver(session, operator(), delivery_id)
    click.echo(f"delivery {delivery_id} queued again")


@webhooks.command("deliver")
@click.option("--once", is_flag=True, help="Attempt what is due now, then exit.")
@pass_context
@handle_errors
def webhooks_deliver(ctx, once) -> None:  # type: ignore[no-untyped-def]
    """Run the deliverer (`rcphub serve` runs one too, see RCPHUB_WEBHOOK_DELIVERER)."""
    from rcphub.webhooks.delivery import Deliverer

    deliverer = Deliverer(ctx.database)
    if once:
        report = deliverer.run_once()
        click.echo(
            f"delivered {report.delivered}, retrying {report.retrying}, failed {report.failed}"
        )
        return
    click.echo("delivering webhooks; Ctrl-C stops")
    stop = threading.Event()
    try:
        deliverer.run(stop)
    except KeyboardInterrupt:
        stop.set()
