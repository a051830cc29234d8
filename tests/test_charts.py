"""The chart renderers on small inputs: well-formed, accessible SVG; hostile labels escaped;
classes by value; mirrored layouts for Arabic; empty data; tables, CSV, XLSX and PNG."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

from rcphub.charts import (
    Band,
    Chart,
    Column,
    Edge,
    Event,
    Label,
    Lane,
    Node,
    Series,
    Table,
    cluster_order,
    compose,
    map_chart,
    render_bars,
    render_heatmap,
    render_network,
    render_stacked_area,
    render_timeline,
    script_class,
    to_csv,
    to_png,
    to_xlsx,
)
from rcphub.charts.svg import fit, nice_ticks, wrap

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "quotes"'


def parse(svg: str) -> ET.Element:
    """The SVG as XML: it must be well formed."""
    return ET.fromstring(svg)  # noqa: S314 - our own output


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def assert_accessible(svg: str) -> ET.Element:
    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert title_id in ids
    assert desc_id in ids
    assert root.get("direction") == "ltr"
    assert "style=" not in svg
    assert "<script" not in svg
    return root


def heatmap(lang: str = "en", labels=None):  # type: ignore[no-untyped-def]
    labels = labels or [Label("AAA", key="a"), Label("BBB", key="b"), Label("CCC", key="c")]
    values = [[1.0, 0.5, 0.0], [0.5, 1.0, 0.15], [0.0, 0.15, 1.0]]
    counts = [[10, 5, 0], [5, 8, 2], [0, 2, 4]]
    tooltips = [[f"{a.text}/{b.text}" for b in labels] for a in labels]
    return render_heatmap(
        labels,
        values,
        counts,
        tooltips=tooltips,
        title="Overlap",
        description="Shared states",
        legend_title="Jaccard",
        diagonal_label="Size",
        zero_label="None",
        lang=lang,
    )


# ---------------------------------------------------------------------------- heatmap


def test_heatmap_cells_carry_values_classes_and_tooltips():
    chart = heatmap()
    root = assert_accessible(chart.svg)
    cells = [g for g in root.iter(f"{SVG}g") if g.get("class") == "hm-cell"]
    assert len(cells) == 9
    by_pair = {(g.get("data-row"), g.get("data-col")): g for g in cells}
    ab = by_pair[("a", "b")]
    assert ab.get("data-count") == "5"
    assert ab.get("data-value") == "0.5"
    assert ab.find(f"{SVG}title").text == "AAA/BBB"
    assert ab.find(f"{SVG}rect").get("class") == "hm-q5"  # 0.5 starts the sixth class
    assert by_pair[("a", "c")].find(f"{SVG}rect").get("class") == "hm-q0"  # nothing shared
    assert by_pair[("b", "c")].find(f"{SVG}rect").get("class") == "hm-q2"
    assert by_pair[("a", "a")].find(f"{SVG}rect").get("class") == "hm-diag"
    # zero cells write no count; the others do
    assert by_pair[("a", "c")].find(f"{SVG}text") is None
    assert by_pair[("b", "c")].find(f"{SVG}text").text == "2"
    assert "None" in texts(root)
    assert "Size" in texts(root)


def test_heatmap_mirrors_for_arabic():
    def x_of(chart, row, col):  # type: ignore[no-untyped-def]
        root = parse(chart.svg)
        for g in root.iter(f"{SVG}g"):
            if g.get("data-row") == row and g.get("data-col") == col:
                return float(g.find(f"{SVG}rect").get("x"))
        raise AssertionError

    ltr, rtl = heatmap("en"), heatmap("ar")
    assert x_of(ltr, "a", "a") < x_of(ltr, "a", "c")
    assert x_of(rtl, "a", "a") > x_of(rtl, "a", "c")  # the first column is the rightmost
    # row labels sit right of the grid, anchored by their left edge
    root = parse(rtl.svg)
    row_label = next(
        t for t in root.iter(f"{SVG}text") if t.text == "AAA" and t.get("transform") is None
    )
    assert row_label.get("text-anchor") == "start"
    assert float(row_label.get("x")) > x_of(rtl, "a", "a")


def test_hostile_labels_are_escaped_everywhere():
    labels = [Label(HOSTILE, key="x", title=HOSTILE), Label("B", key='"><b>'), Label("C")]
    chart = heatmap(labels=labels)
    root = assert_accessible(chart.svg)  # still well formed
    assert "<script>" not in chart.svg
    assert any(t.startswith("<script>") for t in texts(root))  # shown as text, not markup
    bars = render_bars(
        [HOSTILE],
        [Series("s", HOSTILE, [3])],
        tooltips=[[HOSTILE]],
        title=HOSTILE,
        description=HOSTILE,
    )
    assert "<script>" not in bars.svg
    parse(bars.svg)


def test_labels_in_another_language_are_marked():
    chart = heatmap(labels=[Label("Asia-Pacific", key="a", lang="en"), Label("B"), Label("C")])
    root = parse(chart.svg)
    marked = [t for t in root.iter(f"{SVG}text") if t.get("lang") == "en"]
    assert marked
    assert marked[0].text == "Asia-Pacific"


def test_script_classes_pick_one_font_per_text():
    assert script_class("Rabat") == "sc-latn"
    assert script_class("Численность") == "sc-latn"
    assert script_class("العملية") == "sc-arab"
    assert script_class("移民存量") == "sc-hani"
    assert script_class("المصدر: International Migrant Stock 2020") == "sc-mixed"
    chart = heatmap(labels=[Label("عملية", key="a"), Label("进程", key="b"), Label("C", key="c")])
    assert 'class="sc-arab"' in chart.svg
    assert 'class="sc-hani"' in chart.svg


def test_empty_data_draws_a_sentence():
    for chart in (
        render_heatmap(
            [],
            [],
            [],
            tooltips=[],
            title="T",
            description="D",
            legend_title="",
            empty_message="Nothing",
        ),
        render_network(
            [], [], title="T", description="D", group_labels={}, empty_message="Nothing"
        ),
        render_stacked_area(
            [], [], tooltips=[], title="T", description="D", empty_message="Nothing"
        ),
        render_timeline(
            [], start=2000, end=2010, title="T", description="D", empty_message="Nothing"
        ),
        render_bars([], [], tooltips=[], title="T", description="D", empty_message="Nothing"),
    ):
        root = assert_accessible(chart.svg)
        assert "Nothing" in texts(root)


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="one row per label"):
        render_heatmap(["a"], [], [], tooltips=[], title="", description="", legend_title="")
    with pytest.raises(ValueError, match="one value per category"):
        render_bars(["a", "b"], [Series("s", "S", [1])], tooltips=[[""]], title="", description="")
    with pytest.raises(ValueError, match="orientation"):
        render_bars(["a"], [Series("s", "S", [1])], tooltips=[["x"]], title="", description="",
                    orientation="diagonal")  # fmt: skip
    with pytest.raises(ValueError, match="id_prefix"):
        render_bars(["a"], [Series("s", "S", [1])], tooltips=[["x"]], title="", description="",
                    id_prefix='x" onload="')  # fmt: skip


# ---------------------------------------------------------------------------- network


def test_cluster_order_puts_similar_nodes_side_by_side():
    similarity = {("a", "c"): 0.9, ("b", "d"): 0.8, ("c", "e"): 0.1}
    order = cluster_order(["a", "b", "c", "d", "e"], similarity)
    assert sorted(order) == ["a", "b", "c", "d", "e"]
    assert abs(order.index("a") - order.index("c")) == 1
    assert abs(order.index("b") - order.index("d")) == 1
    # deterministic
    assert order == cluster_order(["a", "b", "c", "d", "e"], similarity)


def test_network_sizes_nodes_and_edges_by_value():
    nodes = [
        Node(Label("Big", key="big"), 40, "irf", "Big: 40"),
        Node(Label("Small", key="small"), 4, "rcp", "Small: 4"),
        Node(Label("Mid", key="mid"), 10, "rcp", "Mid: 10"),
    ]
    edges = [
        Edge("big", "small", 2, 0.05, "Big+Small"),
        Edge("big", "mid", 8, 0.2, "Big+Mid"),
    ]
    chart = render_network(
        nodes, edges, title="N", description="D", group_labels={"irf": "IRF", "rcp": "RCP"}
    )
    root = assert_accessible(chart.svg)
    radius = {
        g.get("data-key"): float(g.find(f"{SVG}circle").get("r"))
        for g in root.iter(f"{SVG}g")
        if g.get("data-key")
    }
    assert radius["big"] > radius["mid"] > radius["small"]
    widths = {
        (p.get("data-a"), p.get("data-b")): float(p.get("stroke-width"))
        for p in root.iter(f"{SVG}path")
        if p.get("data-a")
    }
    assert widths[("big", "mid")] > widths[("big", "small")]
    assert {"IRF", "RCP"} <= set(texts(root))
    assert 'class="nw-node nw-node--irf"' in chart.svg


# ---------------------------------------------------------------------------- areas, bars, timeline


def test_stacked_area_reports_each_year():
    chart = render_stacked_area(
        [2000, 2001, 2002],
        [Series("rcp", "RCPs", [1, 2, 2]), Series("irf", "IRFs", [0, 1, 3])],
        tooltips=["2000", "2001", "2002"],
        title="Growth",
        description="D",
        band=Band(2001, 2002, "2001–2002"),
    )
    root = assert_accessible(chart.svg)
    hits = {
        r.get("data-x"): r.get("data-values") for r in root.iter(f"{SVG}rect") if r.get("data-x")
    }
    assert hits == {"2000": "rcp=1;irf=0", "2001": "rcp=2;irf=1", "2002": "rcp=2;irf=3"}
    assert len(list(root.iter(f"{SVG}polygon"))) == 2
    assert "2001–2002" in texts(root)


def test_horizontal_bars_mirror_for_arabic():
    def bar_x(lang: str) -> tuple[float, float]:
        chart = render_bars(
            ["مصر", "ليبيا"],
            [Series("s", "S", [10, 5])],
            tooltips=[["a"], ["b"]],
            title="T",
            description="D",
            lang=lang,
        )
        root = parse(chart.svg)
        rect = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "ser ser-0")
        label = next(t for t in root.iter(f"{SVG}text") if t.text == "مصر")
        return float(rect.get("x")), float(label.get("x"))

    ltr_bar, ltr_label = bar_x("en")
    rtl_bar, rtl_label = bar_x("ar")
    assert ltr_label < ltr_bar  # labels left of the bars
    assert rtl_label > rtl_bar  # labels right of the bars


def test_bars_carry_values_and_format_them():
    chart = render_bars(
        [Label("MEX → USA", key="MEX-USA")],
        [Series("stock", "Migrants", [10853105])],
        tooltips=[["MEX → USA: 10,853,105"]],
        title="Corridors",
        description="D",
        fmt=lambda v: f"{v:,.0f}".replace(",", "\u202f"),
    )
    root = parse(chart.svg)
    bar = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "bar")
    assert bar.get("data-category") == "MEX-USA"
    assert bar.get("data-value") == "10853105"
    assert "10\u202f853\u202f105" in texts(root)


def test_columns_have_an_axis_and_a_legend():
    chart = render_bars(
        ["1990", "2020"],
        [Series("a", "Within", [5, 10]), Series("b", "All", [20, 40])],
        tooltips=[["x", "y"], ["z", "w"]],
        title="Trend",
        description="D",
        orientation="vertical",
        axis_fmt=lambda v: f"{v:g}!",
    )
    root = assert_accessible(chart.svg)
    assert {"Within", "All"} <= set(texts(root))
    assert "40!" in texts(root)
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]) == 4


def test_timeline_stacks_events_of_one_year():
    lanes = [
        Lane("gfmd", "GFMD", [Event(2007, "gfmd-2007", "Brussels"), Event(2008, "g8", "Manila")]),
        Lane("founded", "Founded", [Event(2008, "a", "A"), Event(2008, "b", "B")]),
    ]
    chart = render_timeline(lanes, start=2005, end=2010, title="T", description="D")
    root = assert_accessible(chart.svg)
    events = [g for g in root.iter(f"{SVG}g") if (g.get("class") or "").startswith("tl-event")]
    assert len(events) == 4
    founded = [g for g in events if g.get("data-lane") == "founded"]
    ys = {float(g.find(f"{SVG}rect").get("y")) for g in founded}  # the second lane: squares
    assert len(ys) == 2  # two events in 2008, one above the other
    assert "tl-lane--gfmd" in chart.svg


# ---------------------------------------------------------------------------- text helpers


def test_fit_and_wrap():
    assert fit("short", 12, 200) == "short"
    cut = fit("a very long label " * 5, 12, 80)
    assert cut.endswith("…")
    assert len(cut) < 30
    assert fit("عملية تشاورية إقليمية طويلة جدا جدا جدا", 12, 60).endswith("...")
    lines = wrap("one two three four five six seven", 12, 60)
    assert len(lines) > 1
    assert " ".join(lines) == "one two three four five six seven"
    assert nice_ticks(10_853_105)[-1] >= 10_853_105
    assert nice_ticks(0) == [0.0, 1.0]


# ---------------------------------------------------------------------------- tables and files


def table() -> Table:
    return Table(
        name="corridors",
        title="Corridors",
        columns=[
            Column("origin", "Origin"),
            Column("origin_name", "Origin name"),
            Column("stock", "Migrants", "int"),
            Column("share", "Share", "share"),
        ],
        rows=[
            ["MEX", Label("Mexique", lang=None), 10853105, 0.4912],
            ["XXX", '=HYPERLINK("http://x")', 1, None],
        ],
        source="UN DESA (2020), CC BY 3.0 IGO",
        notes=["A note"],
    )


def test_csv_has_header_rows_and_a_source_line():
    text = to_csv(table())
    assert text.startswith("\ufeffOrigin,")  # the BOM of every CSV of the hub
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["Origin", "Origin name", "Migrants", "Share"]
    assert rows[1] == ["MEX", "Mexique", "10853105", "0.4912"]
    assert rows[2][1].startswith("'=")  # not a formula in a spreadsheet
    assert rows[2][3] == ""
    lines = text.rstrip().splitlines()
    assert lines[-2:] == ["# UN DESA (2020), CC BY 3.0 IGO", "# A note"]


def test_xlsx_has_the_rows_and_a_source_sheet():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(to_xlsx(table(), right_to_left=True)))
    assert book.sheetnames == ["corridors", "source"]
    sheet = book["corridors"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Origin", "Origin name", "Migrants", "Share")
    assert values[1] == ("MEX", "Mexique", 10853105, 0.4912)
    assert sheet.cell(row=3, column=2).data_type == "s"  # text, never a formula
    assert sheet.sheet_view.rightToLeft
    source = [row[0] for row in book["source"].iter_rows(values_only=True) if row[0]]
    assert "UN DESA (2020), CC BY 3.0 IGO" in source


def test_png_is_a_real_image_with_title_and_source():
    chart = heatmap()
    svg = compose(chart, heading="Heading", footer="Source: UN DESA")
    root = parse(svg)
    # each line a bidi paragraph of its own, left to right on an English page
    assert {"\u2066Heading\u2069", "\u2066Source: UN DESA\u2069"} <= set(texts(root))
    png = to_png(chart, heading="Heading", footer="Source", zoom=1)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width >= chart.width
    assert height > chart.height


def _footer_ink(chart: Chart, footer: str):  # type: ignore[no-untyped-def]
    """The dark pixels of the source line (below the chart) of the composed image, as a
    boolean array, rendered by resvg with one face for every script (so that two renderings
    differ only by the text they lay out)."""
    import numpy as np
    import resvg_py
    from PIL import Image

    svg = compose(chart, heading="", footer=footer)
    png = bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg, style_sheet='text { font-family: "DejaVu Sans"; font-size: 11px; }'
        )
    )
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return pixels[int(chart.height) + 30 :, :] < 128


def test_an_arabic_source_line_keeps_its_word_order_in_the_png():
    """An Arabic page's source line that cites "UN DESA" and a year reads right to left: the
    Arabic word at the right end, the acronym and the year to its left — as rendered, not as
    written. (Laid out left to right, the Arabic word came first on the left.)"""
    import numpy as np

    chart = Chart("bars", '<svg xmlns="http://www.w3.org/2000/svg"/>', 480, 40, "t", "d", "ar")
    svg = compose(chart, heading="", footer="المصدر: UN DESA 2020")
    assert "\u2067المصدر: UN DESA 2020\u2069" in texts(parse(svg))  # RLI … PDI
    whole = _footer_ink(chart, "المصدر: UN DESA 2020")
    arabic = _footer_ink(chart, "المصدر:")
    latin = whole & ~arabic
    assert arabic.any()
    assert latin.sum() > 50
    arabic_columns = np.nonzero(arabic.any(axis=0))[0]
    latin_columns = np.nonzero(latin.any(axis=0))[0]
    assert latin_columns.max() < arabic_columns.min()  # "UN DESA 2020" left of "المصدر"
    assert arabic_columns.max() > 480 - 40  # the line starts at the right margin
    # an English page's line starts at the left margin, left to right
    english_chart = Chart("bars", chart.svg, 480, 40, "t", "d", "en")
    english = _footer_ink(english_chart, "Source: UN DESA")
    assert np.nonzero(english.any(axis=0))[0].min() < 40  # starts at the left margin


def test_world_map_becomes_a_chart_with_its_legend():
    from rcphub.maps import render_world_map

    markup = render_world_map(
        {"MEX": 3, "USA": 7, "FRA": 1},
        names={"MEX": "Mexico"},
        title="Map",
        description="D",
        legend_title="Processes",
        lang="en",
        id_prefix="m",
    )
    chart = map_chart(str(markup), title="Map", description="D", lang="en")
    root = parse(chart.svg)
    assert "Processes" in texts(root)
    assert re.search(r'class="rcp-map rcp-map--k\d"', chart.svg)
    assert chart.legend  # the classes and labels of the HTML legend
    png = to_png(chart, heading="Map", footer="Source", zoom=0.5)
    assert png.startswith(b"\x89PNG")
