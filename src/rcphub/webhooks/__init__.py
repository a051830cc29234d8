"""Webhooks: signed JSON events from a transactional outbox, delivered at least once.

* :mod:`~rcphub.webhooks.events` — write paths emit events into the outbox, in their own
  transaction (and only what a subscriber may see);
* :mod:`~rcphub.webhooks.service` — subscriptions, the delivery log, manual redelivery;
* :mod:`~rcphub.webhooks.delivery` — the deliverer (``rcphub webhooks deliver``, a thread of
  ``rcphub serve``): lease, POST, backoff, give up;
* :mod:`~rcphub.webhooks.secrets` — signing secrets, sealed at rest; the signature.
"""

from rcphub.webhooks.events import EVENT_TYPES, document_added, emit, item_confirmed, update_added
from rcphub.webhooks.secrets import sign, verify
from rcphub.webhooks.service import (
    add_subscription,
    get_delivery,
    list_deliveries,
    list_subscriptions,
    redeliver,
    remove_subscription,
)

__all__ = [
    "EVENT_TYPES",
    "add_subscription",
    "document_added",
    "emit",
    "get_delivery",
    "item_confirmed",
    "list_deliveries",
    "list_subscriptions",
    "redeliver",
    "remove_subscription",
    "sign",
    "update_added",
    "verify",
]
