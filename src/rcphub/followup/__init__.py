"""Follow-up of what meetings agreed: recommendations and conclusions detected in outcome
documents, confirmed by a person, tracked through dated updates to a traffic light.

::

    detect      pure detection over passages, six languages        (detect.py)
    light       the traffic light rule against a given "today"     (light.py)
    service     propose / confirm / edit / update / list           (service.py)
    csvio       CSV export and all-or-nothing import               (csvio.py)
"""

from rcphub.followup.csvio import (
    ITEM_COLUMNS,
    UPDATE_COLUMNS,
    export_items_csv,
    export_updates_csv,
    import_items_csv,
    import_updates_csv,
)
from rcphub.followup.detect import Candidate, detect_recommendations, due_date_in
from rcphub.followup.light import LIGHTS, STATUSES, Light, traffic_light
from rcphub.followup.service import (
    KINDS,
    REVIEWS,
    actor_label,
    add_update,
    authorize_followup,
    create_item,
    detect_document,
    edit_item,
    get_item,
    list_items,
    preview_detection,
    review_item,
    set_item_visibility,
    tracked_refs,
)

__all__ = [
    "ITEM_COLUMNS",
    "KINDS",
    "LIGHTS",
    "REVIEWS",
    "STATUSES",
    "UPDATE_COLUMNS",
    "Candidate",
    "Light",
    "actor_label",
    "add_update",
    "authorize_followup",
    "create_item",
    "detect_document",
    "detect_recommendations",
    "due_date_in",
    "edit_item",
    "export_items_csv",
    "export_updates_csv",
    "get_item",
    "import_items_csv",
    "import_updates_csv",
    "list_items",
    "preview_detection",
    "review_item",
    "set_item_visibility",
    "tracked_refs",
    "traffic_light",
]
