"""Themes: the schemes as controlled vocabularies (SKOS export, crosswalk) and the tagger that
suggests concepts for passages, with the tags people confirm or reject."""

from rcphub.themes.crosswalk import ConceptMatch, load_crosswalk, matches_for
from rcphub.themes.ids import parse_tag_id, tag_id
from rcphub.themes.schemas import (
    Decision,
    DocumentTags,
    PassageTags,
    TaggingReport,
    TagOut,
    TagSource,
    TagStatus,
)
from rcphub.themes.service import (
    apply_tag_queue,
    decide_tag,
    document_tags,
    enqueue_tagging,
    passage_tags,
    pending_documents,
    retag,
    retag_targets,
)
from rcphub.themes.skos import export_scheme
from rcphub.themes.tagger import PassageInput, Suggestion, Tagger

__all__ = [
    "ConceptMatch",
    "Decision",
    "DocumentTags",
    "PassageInput",
    "PassageTags",
    "Suggestion",
    "TagOut",
    "TagSource",
    "TagStatus",
    "Tagger",
    "TaggingReport",
    "apply_tag_queue",
    "decide_tag",
    "document_tags",
    "enqueue_tagging",
    "export_scheme",
    "load_crosswalk",
    "matches_for",
    "parse_tag_id",
    "passage_tags",
    "pending_documents",
    "retag",
    "retag_targets",
    "tag_id",
]
