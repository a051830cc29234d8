"""Interface labels for the codes the registry uses (kinds, roles, subgroups, meeting series...).

The strings are marked with :func:`N_` so that Babel extracts them into the catalogue; they are
translated when a page is rendered (:meth:`rcphub.wording.tools.PageTools.label`). A code with
no label here (new data) is shown as it is, marked as English, rather than failing.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


KINDS = {
    "rcp": N_("Regional consultative process"),
    "irf": N_("Inter-regional forum"),
    "global": N_("Global process"),
    "regional-body": N_("Regional body"),
    "intl-org": N_("International organisation"),
}
KINDS_PLURAL = {
    "rcp": N_("Regional consultative processes on migration"),
    "irf": N_("Inter-regional forums on migration"),
    "global": N_("Global processes"),
    "regional-body": N_("Regional bodies"),
    "intl-org": N_("International organisations"),
}
ROLES = {
    "member": N_("Member"),
    "associate-member": N_("Associate member"),
    "observer": N_("Observer"),
    "participant": N_("Participant"),
    "partner": N_("Partner"),
    "founding-member": N_("Founding member"),
    "secretariat": N_("Secretariat"),
    "chair": N_("Chair"),
}
SUBGROUPS = {
    "origin": N_("Country of origin"),
    "destination": N_("Country of destination"),
    "eu": N_("EU member State"),
    "non-eu": N_("Non-EU State"),
    "african": N_("African State"),
    "european": N_("European State"),
    "silk-routes": N_("Silk Routes country"),
    "permanent-co-chair": N_("Permanent co-chair"),
    "permanent-chair": N_("Permanent chair"),
    "support-unit": N_("Support unit"),
    "administrative-host": N_("Administrative host"),
}
LISTS = {
    "members": N_("Members"),
    "observers": N_("Observers"),
    "secretariat": N_("Secretariat"),
    "chair": N_("Chair"),
}
SERIES = {
    "grcp": N_("Global Meetings of Chairs and Secretariats of Regional Consultative Processes"),
    "gfmd": N_("Global Forum on Migration and Development"),
    "hld": N_("High-level Dialogue on International Migration and Development"),
    "imrf": N_("International Migration Review Forum"),
    "process": N_("Meetings of processes"),
}
SERIES_SHORT = {
    "grcp": N_("Global RCP meeting"),
    "gfmd": N_("GFMD summit"),
    "hld": N_("High-level Dialogue"),
    "imrf": N_("International Migration Review Forum"),
    "process": N_("Process meeting"),
}
SCHEMES = {
    "hld2013": N_(
        "Round tables of the 2013 High-level Dialogue on International Migration and Development"
    ),
    "gcm": N_("Objectives of the Global Compact for Safe, Orderly and Regular Migration"),
    "gcm-principles": N_("Guiding principles of the Global Compact for Migration"),
    "sdg": N_("Sustainable Development Goals and targets"),
}
UN_STATUS = {
    "member": N_("United Nations Member State"),
    "observer": N_("Non-member observer State"),
    "": N_("Not a United Nations Member State"),
}
REGION_LEVELS = {
    "region": N_("Region"),
    "sub-region": N_("Sub-region"),
    "intermediate": N_("Intermediate region"),
}
CONFIDENCE = {
    "high": N_("High"),
    "medium": N_("Medium"),
    "low": N_("Low"),
}
MEETING_DETAILS = {
    "overarching_theme": N_("Overarching theme"),
    "round_tables": N_("Round tables"),
    "mandate": N_("Mandate"),
    "participation": N_("Participation"),
    "summary_doc": N_("Summary document"),
    "outcome": N_("Outcome"),
    "format": N_("Format"),
    "basis": N_("Basis"),
    "related": N_("Related events"),
}

DOC_TYPES = {
    "chair-summary": N_("Chair's summary"),
    "declaration": N_("Declaration"),
    "joint-communique": N_("Joint communiqué"),
    "conclusions": N_("Conclusions and recommendations"),
    "action-plan": N_("Action plan"),
    "letter": N_("Letter"),
    "report": N_("Report"),
    "resolution": N_("Resolution"),
    "other": N_("Other document"),
}
DOC_TYPES_PLURAL = {
    "chair-summary": N_("Chair's summaries"),
    "declaration": N_("Declarations"),
    "joint-communique": N_("Joint communiqués"),
    "conclusions": N_("Conclusions and recommendations"),
    "action-plan": N_("Action plans"),
    "letter": N_("Letters"),
    "report": N_("Reports"),
    "resolution": N_("Resolutions"),
    "other": N_("Other documents"),
}
DISTRIBUTION = {
    "general": N_("General"),
    "limited": N_("Limited"),
    "restricted": N_("Restricted"),
}
ENTITY_KINDS = {
    "state": N_("Countries and areas"),
    "process": N_("Processes"),
    "org": N_("Organisations"),
}
FOLLOWUP_STATUS = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "completed": N_("Completed"),
    "discontinued": N_("Discontinued"),
}
FOLLOWUP_LIGHT = {
    "green": N_("Green: updated within 12 months"),
    "amber": N_("Amber: update due"),
    "red": N_("Red: inactive, no update for over 24 months"),
    "closed": N_("Closed"),
}
FOLLOWUP_LIGHT_SHORT = {
    "green": N_("Green"),
    "amber": N_("Amber"),
    "red": N_("Red"),
    "closed": N_("Closed"),
}
FOLLOWUP_KIND = {
    "recommendation": N_("Recommendation"),
    "decision": N_("Decision"),
    "commitment": N_("Commitment"),
    "request": N_("Request"),
    "conclusion": N_("Conclusion"),
}
FOLLOWUP_REVIEW = {
    "proposed": N_("Proposed"),
    "confirmed": N_("Confirmed"),
    "rejected": N_("Rejected"),
}
FOLLOWUP_EVENT = {
    "adopted": N_("Adopted (date of the document)"),
    "proposed": N_("Proposed for tracking"),
    "confirmed": N_("Confirmed"),
    "rejected": N_("Rejected"),
    "update": N_("Update"),
}

ACCOUNT_ROLES = {
    "admin": N_("Administrator"),
    "secretariat": N_("Secretariat or focal point"),
    "contributor": N_("Contributor"),
    "reader": N_("Reader"),
}
TOKEN_SCOPES = {
    "read": N_("Read only"),
    "write": N_("Read and write"),
}
FOLLOW_KINDS = {
    "process": N_("Process"),
    "state": N_("Country or area"),
    "theme": N_("Theme"),
    "search": N_("Saved search"),
}
DIGESTS = {
    "off": N_("No digest"),
    "daily": N_("Daily"),
    "weekly": N_("Weekly"),
}
PROCESS_THEMES = {  # the controlled vocabulary of refdata/data/process-themes.yaml
    "labour-migration": N_("Labour migration and recruitment"),
    "regular-pathways": N_("Regular pathways, free movement and visas"),
    "development": N_("Migration and development, remittances and diasporas"),
    "irregular-migration": N_("Irregular and mixed migration"),
    "trafficking-smuggling": N_("Trafficking in persons and smuggling of migrants"),
    "borders": N_("Border management"),
    "return": N_("Return, readmission and reintegration"),
    "protection": N_("Asylum, refugees and international protection"),
    "rights": N_("Migrants' rights, children and gender"),
    "integration": N_("Integration and social cohesion"),
    "data": N_("Migration data and information"),
    "climate": N_("Climate, environment and emergencies"),
    "health": N_("Migrant health"),
    "governance": N_("Migration governance and GCM follow-up"),
}
NAME_QUALITY = {  # refdata/data/i18n/README.md
    "official": N_("official name"),
    "un-usage": N_("as the UN writes it"),
    "press": N_("as the press writes it"),
}
SOURCE_KINDS = {
    "development-site": N_("development site"),
    "code-repository": N_("code repository"),
    "wiki": N_("Wikipedia"),
    "wiki-mirror": N_("wiki or Wikipedia mirror"),
}
GROUPS: dict[str, dict[str, str]] = {
    "source_kind": SOURCE_KINDS,
    "name_quality": NAME_QUALITY,
    "process_theme": PROCESS_THEMES,
    "account_role": ACCOUNT_ROLES,
    "follow_kind": FOLLOW_KINDS,
    "digest": DIGESTS,
    "token_scope": TOKEN_SCOPES,
    "kind": KINDS,
    "kinds": KINDS_PLURAL,
    "role": ROLES,
    "subgroup": SUBGROUPS,
    "list": LISTS,
    "series": SERIES,
    "series_short": SERIES_SHORT,
    "scheme": SCHEMES,
    "un_status": UN_STATUS,
    "region_level": REGION_LEVELS,
    "confidence": CONFIDENCE,
    "meeting_detail": MEETING_DETAILS,
    "doc_type": DOC_TYPES,
    "doc_types": DOC_TYPES_PLURAL,
    "distribution": DISTRIBUTION,
    "entity_kind": ENTITY_KINDS,
    "followup_status": FOLLOWUP_STATUS,
    "followup_light": FOLLOWUP_LIGHT,
    "followup_light_short": FOLLOWUP_LIGHT_SHORT,
    "followup_kind": FOLLOWUP_KIND,
    "followup_review": FOLLOWUP_REVIEW,
    "followup_event": FOLLOWUP_EVENT,
}
"""Label group name → code → English label (the msgid)."""
