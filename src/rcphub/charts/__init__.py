"""Charts drawn on the server as accessible SVG (like :mod:`rcphub.maps`), the tables of the
numbers behind them (CSV, XLSX) and PNG images of both.

Every renderer takes plain data and a number formatter bound to the page's locale, and returns
a :class:`Chart` whose SVG has a title and description (``role="img"``), a tooltip on each mark,
``data-*`` attributes carrying the raw values, and only CSS classes for colours
(``web/static/css/charts.css``). Nothing here knows about the database or the web pages.
"""

from rcphub.charts.area import Band, Series, render_stacked_area
from rcphub.charts.bars import render_bars
from rcphub.charts.export import Column, Table, to_csv, to_xlsx
from rcphub.charts.heatmap import JACCARD_THRESHOLDS, render_heatmap
from rcphub.charts.network import Edge, Node, cluster_order, render_network
from rcphub.charts.png import compose, map_chart, to_png
from rcphub.charts.svg import Chart, Formatter, Label, script_class
from rcphub.charts.timeline import Event, Lane, render_timeline

__all__ = [
    "JACCARD_THRESHOLDS",
    "Band",
    "Chart",
    "Column",
    "Edge",
    "Event",
    "Formatter",
    "Label",
    "Lane",
    "Node",
    "Series",
    "Table",
    "cluster_order",
    "compose",
    "map_chart",
    "render_bars",
    "render_heatmap",
    "render_network",
    "render_stacked_area",
    "render_timeline",
    "script_class",
    "to_csv",
    "to_png",
    "to_xlsx",
]
