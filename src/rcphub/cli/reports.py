"""``rcphub report``: synthesis reports of what processes said and recommended, per theme."""

from __future__ import annotations

from pathlib import Path

import click

from rcphub.cli.support import Context, handle_errors, operator, pass_context
from rcphub.config import LANGUAGES

REPORT_FRAMEWORKS = ("hld2013", "gcm", "sdg")  # rcphub.reports.FRAMEWORKS, without importing it
REPORT_FORMATS = ("html", "md", "docx", "pdf", "json")


@click.group()
def report() -> None:
    """Reports built from the hub's documents."""


@report.command("synthesis")
@click.option(
    "--framework",
    required=True,
    type=click.Choice(REPORT_FRAMEWORKS),
    help="Themes to organise the report by: hld2013 (the four round tables of the 2013"
    " High-level Dialogue), gcm (the 23 GCM objectives) or sdg (SDG targets).",
)
@click.option(
    "--process",
    "processes",
    multiple=True,
    metavar="ID",
    help="Only this process (repeatable; default every process and the global meetings).",
)
@click.option("--from", "year_from", type=int, metavar="YEAR", help="First year of documents.")
@click.option("--to", "year_to", type=int, metavar="YEAR", help="Last year of documents.")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the headings and citations (quotations stay in their own).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    help="Output format (default: from the extension of -o).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write ('-' for standard output).",
)
@click.option(
    "--base-url",
    help="Start of the links back to the cited paragraphs (default http://HOST:PORT of the"
    " settings).",
)
@pass_context
@handle_errors
def report_synthesis(
    ctx: Context,
    framework: str,
    processes: tuple[str, ...],
    year_from: int | None,
    year_to: int | None,
    lang: str,
    fmt: str | None,
    output: Path,
    base_url: str | None,
) -> None:
    """Write a synthesis report: per theme of the framework, what each process said (tagged
    paragraphs, quoted in their language) and recommended (tracked follow-up items), each
    cited to its paragraph with a link back."""
    import time

    from rcphub.errors import InvalidInput
    from rcphub.reports import SynthesisQuery, render_report
    from rcphub.wording.report import synthesis_document

    if fmt is None:
        fmt = output.suffix.lstrip(".").lower()
        fmt = {"markdown": "md", "htm": "html"}.get(fmt, fmt)
        if fmt not in REPORT_FORMATS:
            raise InvalidInput(
                f"cannot tell the format from {output.name!r}: give --format"
                f" ({', '.join(REPORT_FORMATS)})"
            )
    query = SynthesisQuery(
        framework=framework,
        processes=list(processes),
        year_from=year_from,
        year_to=year_to,
        lang=lang,
    )
    base = base_url or f"http://{ctx.settings.host}:{ctx.settings.port}"
    started = time.perf_counter()
    with ctx.database.session() as session:
        document = synthesis_document(session, query, base_url=base, viewer=operator())
    if fmt == "json":
        data = document.model_dump_json(indent=2).encode("utf-8")
    else:
        data = render_report(document, fmt)
    if str(output) == "-":
        click.get_binary_stream("stdout").write(data)
        return
    partial = output.with_name(output.name + ".partial")
    partial.write_bytes(data)
    partial.replace(output)
    themes = sum(1 for _ in document.sections)
    click.echo(
        f"wrote {output} ({fmt}, {len(data):,} bytes): {themes} themes with content,"
        f" {len(document.gaps)} without, in {time.perf_counter() - started:.1f} s",
        err=True,
    )
