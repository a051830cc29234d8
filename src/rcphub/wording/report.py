"""A synthesis report worded in one of the six languages: the facts of
:func:`rcphub.reports.synthesis_content` turned into a :class:`ReportDocument` — headings,
introduction, citations as the document pages give them ("Chair's summary, Global RCP meeting
2013, paragraph 10(c)") — that every format writer renders as it stands.

It words the report with the interface catalogues and the citation rules of the document pages
(:mod:`rcphub.wording.passages`, :mod:`rcphub.wording.citations`); the CLI, the API and the
report page all call :func:`synthesis_document`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from rcphub import urls
from rcphub.accounts.policy import ANONYMOUS, Principal
from rcphub.config import RTL_LANGUAGES
from rcphub.reports import (
    Quote,
    RecommendationLine,
    ReportDocument,
    SynthesisContent,
    SynthesisQuery,
    ThemeSection,
    VoiceSection,
    synthesis_content,
)
from rcphub.wording import labels
from rcphub.wording.citations import designation
from rcphub.wording.i18n import load_translations
from rcphub.wording.tools import PageTools

_TOOLS: dict[str, PageTools] = {}


def report_tools(lang: str) -> PageTools:
    """The formatting helpers of ``lang`` (catalogue read once per process)."""
    if lang not in _TOOLS:
        _TOOLS[lang] = PageTools(lang, load_translations(lang))
    return _TOOLS[lang]


def synthesis_document(
    session: Session,
    query: SynthesisQuery,
    *,
    base_url: str = "",
    today: date | None = None,
    tools: PageTools | None = None,
    viewer: Principal = ANONYMOUS,
) -> ReportDocument:
    """The report for ``query``, worded in ``query.lang``; links start with ``base_url``
    (empty: links relative to the hub, as on its pages)."""
    content = synthesis_content(session, query, today=today, viewer=viewer)
    return word_report(content, tools or report_tools(content.query.lang), base_url)


def _direction(lang: str) -> str:
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


def theme_number(tools: PageTools, framework: str, code: str) -> str:
    _ = tools.gettext
    if framework == "hld2013":
        return _("Round table %(number)s") % {"number": code.removeprefix("RT")}
    if framework == "gcm":
        return _("Objective %(number)s") % {"number": code}
    return _("Target %(number)s") % {"number": code}


def word_report(content: SynthesisContent, tools: PageTools, base_url: str) -> ReportDocument:
    _ = tools.gettext
    query = content.query
    base = base_url.rstrip("/")
    meetings = list(content.meetings.values())
    scheme = _(labels.SCHEMES[query.framework])
    citations = {
        doc_id: designation(tools, doc, meetings) for doc_id, doc in content.documents.items()
    }

    def cite(document: str, ref: str) -> str:
        return _("%(document)s, %(passage)s") % {
            "document": citations[document],
            "passage": tools.refs.full(ref),
        }

    def href(document: str, ref: str) -> str:
        return base + urls.document(document, ref=ref)

    def voice_heading(key: str, names: dict[str, str]) -> tuple[str, str]:
        kind, _sep, ident = key.partition(":")
        if kind == "process":
            picked = tools.pick(names)
            return (picked.text, picked.lang) if picked else (ident, "en")
        if kind == "series" and ident in labels.SERIES:
            return _(labels.SERIES[ident]), tools.lang
        return _("Documents filed under no process"), tools.lang

    sections = []
    gaps = []
    gap_themes = []
    for theme in content.themes:
        number = theme_number(tools, query.framework, theme.code)
        picked = tools.pick(theme.labels) or tools.pick(theme.short_labels)
        label, label_lang = (picked.text, picked.lang) if picked else ("", tools.lang)
        label_note = tools.language_name(label_lang) if label_lang != tools.lang else ""
        if not theme.voices:
            marked = f"{label} ({label_note})" if label_note else label
            gaps.append(f"{number}: {marked}" if label else number)
            gap_themes.append(
                ThemeSection(
                    code=theme.code,
                    anchor="theme-" + theme.code.lower().replace(".", "-"),
                    number=number,
                    label=label,
                    label_lang=label_lang,
                    label_note=label_note,
                )
            )
            continue
        voices = []
        for voice in theme.voices:
            heading, heading_lang = voice_heading(voice.key, voice.names)
            quotes = []
            for s in voice.statements:
                machine = s.status != "confirmed"
                if machine:
                    note = _("score %(score)s") % {"score": tools.number(round(s.score or 0.0, 2))}
                elif s.source == "person":
                    note = _("added by a person")
                else:
                    note = _("confirmed by a person")
                if s.via == "mention":
                    note = _("%(note)s; the passage names the process") % {"note": note}
                quotes.append(
                    Quote(
                        document=s.document,
                        ref=s.ref,
                        text=s.text,
                        lang=s.language,
                        dir=_direction(s.language),
                        citation=cite(s.document, s.ref),
                        href=href(s.document, s.ref),
                        status=s.status,
                        source=s.source,
                        score=s.score,
                        machine=machine,
                        note=note,
                        via=s.via,
                    )
                )
            lines = []
            for r in voice.recommendations:
                parts = [
                    _(labels.FOLLOWUP_KIND.get(r.kind, r.kind)),
                    _("%(status)s, %(progress)s%% done")
                    % {
                        "status": _(labels.FOLLOWUP_STATUS.get(r.status, r.status)),
                        "progress": tools.number(r.progress),
                    },
                ]
                if r.light:
                    parts.append(_(labels.FOLLOWUP_LIGHT[r.light]))
                if r.last_update:
                    parts.append(_("last update %(date)s") % {"date": tools.date(r.last_update)})
                if r.due_date:
                    parts.append(_("due %(date)s") % {"date": tools.date(r.due_date)})
                lines.append(
                    RecommendationLine(
                        item=r.item,
                        item_href=base + urls.followup_item(r.item),
                        document=r.document,
                        ref=r.ref,
                        text=r.text,
                        lang=r.language,
                        dir=_direction(r.language),
                        citation=cite(r.document, r.ref),
                        href=href(r.document, r.ref),
                        kind=r.kind,
                        status=r.status,
                        light=r.light,
                        note=" · ".join(parts),
                    )
                )
            voices.append(
                VoiceSection(
                    key=voice.key,
                    heading=heading,
                    heading_lang=heading_lang,
                    heading_note=(
                        tools.language_name(heading_lang) if heading_lang != tools.lang else ""
                    ),
                    statements=quotes,
                    recommendations=lines,
                )
            )
        sections.append(
            ThemeSection(
                code=theme.code,
                anchor="theme-" + theme.code.lower().replace(".", "-"),
                number=number,
                label=label,
                label_lang=label_lang,
                label_note=label_note,
                voices=voices,
            )
        )

    return ReportDocument(
        lang=tools.lang,
        dir=tools.direction,
        title=_("Synthesis report: %(framework)s") % {"framework": scheme},
        subtitle=_("What regional consultative processes on migration said and recommended"),
        generated_on=_("Produced on %(date)s") % {"date": tools.date(content.generated_on)},
        introduction=[
            _(
                "This report brings together, theme by theme, what processes said and"
                " recommended in the outcome documents the hub holds. Passages are quoted in"
                " the language of their document, and each is cited to its paragraph with a"
                " link back to it."
            ),
        ],
        scope=_scope(content, tools, scheme),
        method=[
            _(
                "Passages were tagged to the themes by the hub's multilingual tagger (similarity"
                " to the texts of the themes, and keyword rules, calibrated for each framework)"
                " and checked by people where they have done so. Tags a person confirmed come"
                " first; machine suggestions with a score of at least %(threshold)s follow and"
                " are marked as machine-suggested; tags a person rejected are left out."
            )
            % {"threshold": tools.number(content.threshold)},
            _(
                "Recommendations are the follow-up items a person confirmed whose paragraph is"
                " tagged to the theme, with their status and traffic light (green: updated"
                " within 12 months; amber: update due; red: no update for over 24 months)."
            ),
            _(
                "A document counts for a process when it is filed under the process or one of"
                " its meetings; when processes are chosen, paragraphs of other documents that"
                " name them count too. Of the language versions of a document, one is quoted:"
                " the one in the report language where the hub holds it."
            ),
        ],
        gaps=gaps,
        gap_themes=gap_themes,
        sections=sections,
        words={
            "contents": _("Contents"),
            "introduction": _("Introduction"),
            "scope": _("Scope"),
            "method": _("How this report was made"),
            "gaps": _("Gaps"),
            "gaps_intro": _("Nothing in scope is tagged to these themes:"),
            "no_gaps": _("Every theme has at least one tagged paragraph."),
            "no_sections": _("Nothing in scope is tagged to any theme of this framework."),
            "said": _("What was said"),
            "recommended": _("What was recommended"),
            "machine": _("Machine-suggested"),
            "page": _("Page"),
            "tracked_item": _("Tracked item"),
        },
    )


def _scope(content: SynthesisContent, tools: PageTools, scheme: str) -> list[tuple[str, str]]:
    _ = tools.gettext
    query = content.query
    if query.processes:
        names = []
        for ident in query.processes:
            picked = tools.pick(content.processes.get(ident))
            if picked is None:
                names.append(ident)
            elif picked.fallback:
                names.append(f"{picked.text} ({tools.language_name(picked.lang)})")
            else:
                names.append(picked.text)
        processes = ", ".join(names)
    else:
        processes = _(
            "All processes, and the global meetings of chairs and secretariats of regional"
            " consultative processes"
        )
    first, last = query.year_from, query.year_to
    if first is None and last is None:
        years = _("All years")
    elif last is None:
        years = _("From %(year)s") % {"year": tools.year(first)}
    elif first is None:
        years = _("Up to %(year)s") % {"year": tools.year(last)}
    elif first == last:
        years = tools.year(first)
    else:
        years = f"{tools.year(first)}–{tools.year(last)}"
    return [
        (_("Framework"), scheme),
        (_("Processes"), processes),
        (_("Years"), years),
        (_("Documents in scope"), tools.number(content.document_count)),
        (_("Report language"), tools.language_name(query.lang)),
    ]
