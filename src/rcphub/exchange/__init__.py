"""Exchange between processes: updates they publish, what users follow, "What's new", and the
e-mail digests.

::

    updates   publish, edit and withdraw a process's updates         (updates.py)
    follows   follows, delivery preferences, "What's new"             (follows.py)
    digests   daily/weekly digests: what is due, sent, recorded       (digests.py)
    mail      SMTP sending (standard library)                         (mail.py)
    schemas   the plain data the services return                      (schemas.py)

Reads of updates and of what is new go through :mod:`rcphub.feeds.content`, where the
visibility rule lives. Feeds (Atom) are :mod:`rcphub.feeds`; the wording of the digests is the
wording's (:mod:`rcphub.wording.digest`).
"""

from rcphub.exchange.schemas import DigestReport, FollowOut, PreferencesOut

__all__ = ["DigestReport", "FollowOut", "PreferencesOut"]
