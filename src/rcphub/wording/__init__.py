"""The hub's words in the six languages, shared by the pages, the JSON API and the CLI.

::

    i18n       the gettext catalogues, language negotiation                  (i18n.py)
    labels     the labels of registry codes, marked for translation          (labels.py)
    tools      PageTools: messages, labels, names, numbers, dates in one language (tools.py)
    passages   passage references as each language writes them                (passages.py)
    citations  how a document and a meeting are named when cited              (citations.py)
    entries    what is new as Atom entries (feeds, "What's new", digests)     (entries.py)
    follows    what a user follows, by name (account page, "What's new", digests) (follows.py)
    digest     an e-mail digest, plain text and HTML                          (digest.py)
    report     a synthesis report worded in its language                     (report.py)

Nothing here imports :mod:`rcphub.web`, :mod:`rcphub.api` or the CLI; they import it.
"""
