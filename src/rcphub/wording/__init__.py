"""The hub's words in the six languages, shared by the pages, the JSON API and the CLI.

::

    i18n       the gettext catalogues, language negotiation                  (i18n.py)
    labels     the labels of registry codes, marked for translation          (labels.py)
    passages   passage references and citations as they are written         (passages.py)
    report     a synthesis report worded in its language                     (report.py)

Nothing here imports :mod:`rcphub.web`, :mod:`rcphub.api` or the CLI; they import it.
"""
