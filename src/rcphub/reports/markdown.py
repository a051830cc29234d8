"""The report as Markdown (CommonMark): headings, quotations as block quotes, citations as
links. A quotation in a right-to-left language is wrapped in ``<div dir="rtl" lang="ar">``,
which Markdown renderers pass through."""

from __future__ import annotations

import re

from rcphub.reports.schemas import ReportDocument, ThemeSection

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def escape(text: str) -> str:
    """Text that Markdown prints as it is."""
    return _SPECIAL.sub(r"\\\1", text)


def _quote(text: str, lang: str, direction: str, report_lang: str) -> list[str]:
    body = escape(" ".join(text.split()))
    if direction == "rtl" or lang != report_lang:
        body = f'<div lang="{lang}" dir="{direction}">{body}</div>'
    return [f"> {body}", ""]


def render_markdown(doc: ReportDocument) -> str:
    words = doc.words
    out = [f"# {escape(doc.title)}", "", f"*{escape(doc.subtitle)}*", "", escape(doc.generated_on)]
    out += ["", f"## {escape(words['contents'])}", ""]
    out.append(f"1. [{escape(words['introduction'])}](#introduction)")
    for number, section in enumerate(doc.sections, start=2):
        label = _label(section)
        out.append(f"{number}. [{escape(label)}](#{section.anchor})")
    out += ["", f'## <a id="introduction"></a>{escape(words["introduction"])}', ""]
    for paragraph in doc.introduction:
        out += [escape(paragraph), ""]
    out += [f"### {escape(words['scope'])}", ""]
    out += [f"- **{escape(term)}:** {escape(value)}" for term, value in doc.scope]
    out += ["", f"### {escape(words['method'])}", ""]
    for paragraph in doc.method:
        out += [escape(paragraph), ""]
    out += [f"### {escape(words['gaps'])}", ""]
    if doc.gaps:
        out += [escape(words["gaps_intro"]), ""]
        out += [f"- {escape(gap)}" for gap in doc.gaps]
        out.append("")
    else:
        out += [escape(words["no_gaps"]), ""]
    if not doc.sections:
        out += [escape(words["no_sections"]), ""]
    for section in doc.sections:
        label = _label(section)
        out += [f'## <a id="{section.anchor}"></a>{escape(label)}', ""]
        for voice in section.voices:
            heading = voice.heading + (f" ({voice.heading_note})" if voice.heading_note else "")
            out += [f"### {escape(heading)}", ""]
            if voice.statements:
                out += [f"#### {escape(words['said'])}", ""]
                for q in voice.statements:
                    out += _quote(q.text, q.lang, q.dir, doc.lang)
                    mark = f"**{escape(words['machine'])}** · " if q.machine else ""
                    out += [f"— [{escape(q.citation)}]({q.href}) · {mark}{escape(q.note)}", ""]
            if voice.recommendations:
                out += [f"#### {escape(words['recommended'])}", ""]
                for r in voice.recommendations:
                    out += _quote(r.text, r.lang, r.dir, doc.lang)
                    out += [
                        f"— [{escape(r.citation)}]({r.href}) · {escape(r.note)} · "
                        f"[{escape(words['tracked_item'])} {r.item}]({r.item_href})",
                        "",
                    ]
    return "\n".join(out).rstrip() + "\n"


def _label(section: ThemeSection) -> str:
    """ "Round table 1: title", with "(English)" after a title not in the report language."""
    if not section.label:
        return section.number
    note = f" ({section.label_note})" if section.label_note else ""
    return f"{section.number}: {section.label}{note}"
