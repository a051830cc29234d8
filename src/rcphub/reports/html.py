"""The report as HTML: a standalone file (inline CSS, no external asset, no script) and the
body alone, which the report page shows as its preview and the PDF writer lays out."""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from rcphub.config import RTL_LANGUAGES
from rcphub.reports.schemas import ReportDocument


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("rcphub.reports", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.globals["dir_of"] = lambda code: "rtl" if code in RTL_LANGUAGES else "ltr"
    return env


@cache
def stylesheet(name: str = "synthesis.css") -> str:
    return (resources.files("rcphub.reports") / "templates" / name).read_text(encoding="utf-8")


def css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    escaped = "".join(c if c.isalnum() or c in " .,-" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def print_stylesheet(doc: ReportDocument) -> str:
    return stylesheet("synthesis-print.css").replace(
        "var(--page-word)", css_string(doc.words["page"])
    )


def render_body(doc: ReportDocument) -> Markup:
    """The ``<article class="synthesis">`` of the report (styled by :func:`stylesheet`)."""
    html = _environment().get_template("synthesis_body.html").render(doc=doc)
    return Markup(html)  # noqa: S704 - rendered by an autoescaping template


def render_html(doc: ReportDocument, *, for_print: bool = False) -> str:
    """A standalone HTML file: everything inline."""
    css = stylesheet() + ("\n" + print_stylesheet(doc) if for_print else "")
    template = _environment().get_template("synthesis.html")
    return template.render(doc=doc, css=css, body=render_body(doc))
