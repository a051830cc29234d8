"""World choropleth maps: vendored geometry, classification and SVG rendering."""

from __future__ import annotations

import csv
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources

import pytest
from markupsafe import Markup

from rcphub.maps import (
    MAX_BINS,
    class_breaks,
    has_geometry,
    iso3_with_geometry,
    render_world_map,
)

COUNTRY_CODES = resources.files("rcphub.refdata").joinpath("data", "m49", "country-codes.csv")
WORLD_JSON = resources.files("rcphub.maps").joinpath("data", "world.json")
BIG_STATES = ["PER", "AUS", "IDN", "FRA", "USA", "RUS", "CHN", "BRA", "ZAF"]
NAMES = {
    "PER": "Peru",
    "AUS": "Australia",
    "FRA": "France",
    "BRA": "Brazil",
    "USA": "United States of America",
    "TUV": "Tuvalu",
    "MLT": "Malta",
}


# --- a tiny DOM, to look at what a browser would see -------------------------
@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str) -> list[Node]:
        return [n for n in self.iter() if n.tag == tag]

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def all_text(self) -> str:
        return self.text + "".join(c.all_text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].text += data


def parse(markup: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(str(markup))
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def country(tree: Node, iso3: str) -> Node:
    """The element carrying data-iso3 (a <g>, an <a> or a bare no-data <path>)."""
    found = [n for n in tree.iter() if n.attrs.get("data-iso3") == iso3]
    assert len(found) == 1, f"{iso3}: {len(found)} elements"
    return found[0]


def fill_classes(node: Node) -> set[str]:
    """Classes of the shape(s) that get a fill: the path itself or its children."""
    shapes = [n for n in node.iter() if n.tag in ("path", "circle")]
    assert shapes
    classes = set.union(*(s.classes() for s in shapes))
    return classes - {"rcp-map__marker"}


def tooltip(node: Node) -> str:
    titles = [c for c in node.children if c.tag == "title"]
    assert len(titles) == 1
    return titles[0].text


def q_class(tree: Node, iso3: str) -> int:
    classes = [c for c in fill_classes(country(tree, iso3)) if re.fullmatch(r"q\d", c)]
    assert len(classes) == 1, classes
    return int(classes[0][1])


def render(values, **kwargs) -> Markup:
    kwargs.setdefault("names", NAMES)
    kwargs.setdefault("title", "A map")
    kwargs.setdefault("description", "What the map shows.")
    return render_world_map(values, **kwargs)


# --- geometry --------------------------------------------------------------------
def test_big_states_have_geometry():
    drawn = iso3_with_geometry()
    for iso3 in BIG_STATES:
        assert iso3 in drawn, iso3
        assert has_geometry(iso3)


def test_at_least_200_iso3_codes_have_geometry():
    drawn = iso3_with_geometry()
    assert len(drawn) >= 200
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in drawn)


def test_every_state_in_the_reference_list_can_be_shown():
    with COUNTRY_CODES.open(encoding="utf-8", newline="") as fh:
        codes = {row["ISO3166-1-Alpha-3"] for row in csv.DictReader(fh)}
    assert len(codes) > 240
    missing = sorted(c for c in codes if not has_geometry(c))
    assert missing == []
    assert has_geometry("xkx"), "Kosovo is keyed XKX"
    assert not has_geometry("CHI"), "Channel Islands have no code of their own"


def test_geometry_file_is_small_and_north_up():
    raw = WORLD_JSON.read_bytes()
    assert len(raw) <= 600_000
    world = json.loads(raw)
    _, _, width, height = (float(v) for v in world["viewBox"].split())
    assert 1.9 < width / height < 2.2  # Equal Earth: about 2.05 wide per 1 high
    assert world["licence"]
    assert world["source"]
    c = {k: v["centroid"] for k, v in world["countries"].items()}
    for iso3, (x, y) in c.items():
        assert 0 <= x <= width, iso3
        assert 0 <= y <= height, iso3
    # north up, west on the left, not mirrored or squashed
    assert c["NOR"][1] < c["FRA"][1] < c["NGA"][1] < c["ZAF"][1] < c["ATA"][1]
    assert c["USA"][0] < c["BRA"][0] < c["NGA"][0] < c["IND"][0] < c["JPN"][0]
    assert c["NZL"][0] > c["AUS"][0]
    assert c["NZL"][1] > c["AUS"][1]
    # areas are equal-area: Russia > Canada > China > Brazil > Australia > India
    a = {k: v["area"] for k, v in world["countries"].items()}
    assert a["RUS"] > a["CAN"] > a["CHN"] > a["BRA"] > a["AUS"] > a["IND"] > a["FRA"]
    # parts with their own ISO code are split from the sovereign state
    assert c["GUF"][1] > c["FRA"][1] + 100, "French Guiana is not drawn as part of France"


def _edges(d: str):
    """(x0, y0, x1, y1) of every straight edge of an M/m/l/z path."""
    x = y = start_x = start_y = 0.0
    command = ""
    numbers: list[float] = []
    for token in re.findall(r"[Mmlz]|-?(?:\d+\.?\d*|\.\d+)", d):
        if token in "Mmlz":
            command = token
            if token == "z":
                yield x, y, start_x, start_y
                x, y = start_x, start_y
            continue
        numbers.append(float(token))
        if len(numbers) < 2:
            continue
        (a, b), numbers = numbers, []
        if command in "Mm":
            x, y = (a, b) if command == "M" else (x + a, y + b)
            start_x, start_y = x, y
            command = "l"
        else:
            yield x, y, x + a, y + b
            x, y = x + a, y + b


def test_no_edge_runs_across_the_antimeridian():
    """Russia, Fiji and Antarctica cross 180°: no ring may streak across the map."""
    world = json.loads(WORLD_JSON.read_text(encoding="utf-8"))
    height = float(world["viewBox"].split()[3])
    for iso3 in ("RUS", "FJI", "ATA", "USA", "NZL", "KIR"):
        edges = list(_edges(world["countries"][iso3]["d"]))
        assert len(edges) > 3
        for x0, y0, x1, y1 in edges:
            at_pole = min(y0, y1) > height - 5  # the flat south pole line under Antarctica
            assert abs(x1 - x0) < 100 or at_pole, f"{iso3}: edge {(x0, y0, x1, y1)}"
            assert min(x0, x1) >= 0
            assert max(x0, x1) <= 1000
            assert 0 <= min(y0, y1) <= height


# --- classes -------------------------------------------------------------------------
def test_breaks_for_a_small_integer_range_are_whole_and_cover_it():
    breaks = class_breaks(range(1, 13), 5)
    assert [(b.low, b.high) for b in breaks] == [(1, 3), (4, 6), (7, 9), (10, 12)]


def test_breaks_for_few_distinct_values_give_one_class_each():
    assert [(b.low, b.high) for b in class_breaks([2, 2, 7, 7, 7, 9], 5)] == [
        (2, 2),
        (7, 7),
        (9, 9),
    ]


def test_breaks_for_equal_and_empty_input():
    assert [(b.low, b.high) for b in class_breaks([4, 4, 4], 5)] == [(4, 4)]
    assert class_breaks([], 5) == []
    assert class_breaks([None, float("nan"), float("inf")], 5) == []  # type: ignore[list-item]


@pytest.mark.parametrize("bins", range(1, MAX_BINS + 1))
def test_quantile_breaks_partition_skewed_data(bins):
    data = [int(1.7**i) for i in range(40)] + [3, 3, 3, 5, 5]
    breaks = class_breaks(data, bins)
    assert 1 <= len(breaks) <= bins
    lows = [b.low for b in breaks]
    assert lows == sorted(set(lows))
    assert breaks[0].low == min(data)
    assert breaks[-1].high == max(data)
    for b, nxt in itertools.pairwise(breaks):
        assert b.high == nxt.low - 1  # integers: classes touch without a gap
    for b in breaks:
        assert any(b.low <= v <= b.high for v in data), f"empty class {b}"
    if bins >= 4:
        assert len(breaks) >= bins - 1  # skewed data still spreads over the classes


def test_bins_out_of_range_are_refused():
    with pytest.raises(ValueError, match="bins"):
        class_breaks([1, 2, 3], 0)
    with pytest.raises(ValueError, match="bins"):
        render({"PER": 1}, bins=MAX_BINS + 1)


def test_higher_values_get_higher_classes():
    values = {"PER": 1, "AUS": 40, "FRA": 300, "BRA": 2_000, "USA": 90_000, "CHN": 5, "IND": 800}
    tree = parse(render(values, bins=5))
    ordered = sorted(values, key=values.get)
    classes = [q_class(tree, iso3) for iso3 in ordered]
    assert classes == sorted(classes)
    assert classes[0] == 0
    assert classes[-1] == 4
    figure = tree.find_all("figure")[0]
    assert "rcp-map--k5" in figure.classes()


def test_integer_range_one_to_twelve():
    values = dict(
        zip(
            ["PER", "AUS", "FRA", "BRA", "USA", "CHN", "IND", "RUS", "ZAF", "IDN", "CAN", "MEX"],
            range(1, 13),
            strict=True,
        )
    )
    tree = parse(render(values))
    labels = [n.text for n in tree.iter() if "rcp-map__legend-label" in n.classes()]
    assert labels == ["1\u20133", "4\u20136", "7\u20139", "10\u201312", "No data"]
    assert q_class(tree, "PER") == 0
    assert q_class(tree, "IND") == 2
    assert q_class(tree, "MEX") == 3


def test_all_equal_values_and_none():
    tree = parse(render({"PER": 7, "FRA": 7, "AUS": None, "BRA": float("nan")}))
    assert q_class(tree, "PER") == q_class(tree, "FRA") == 0
    assert "rcp-map--k1" in tree.find_all("figure")[0].classes()
    for iso3 in ("AUS", "BRA"):
        assert "nodata" in fill_classes(country(tree, iso3))
        assert tooltip(country(tree, iso3)).endswith(": No data")


def test_empty_input_draws_the_world_without_data():
    tree = parse(render({}))
    shapes = [n for n in tree.iter() if "data-iso3" in n.attrs]
    assert len(shapes) >= 200
    assert all(fill_classes(n) == {"nodata"} for n in shapes)
    labels = [n.text for n in tree.iter() if "rcp-map__legend-label" in n.classes()]
    assert labels == ["No data"]


# --- text, escaping, accessibility ------------------------------------------------------
def test_tooltips_show_name_and_formatted_value():
    tree = parse(render({"PER": 1234567, "AUS": 2}, lang="en"))
    assert tooltip(country(tree, "PER")) == "Peru: 1,234,567"
    assert tooltip(country(tree, "DEU")) == "DEU: No data"  # no name given: the code
    fr = parse(render({"PER": 1234567, "AUS": 2}, lang="fr"))
    assert re.fullmatch(r"Peru: 1\s234\s567", tooltip(country(fr, "PER")))
    custom = parse(render({"PER": 0.25, "AUS": 2}, value_label=lambda v: f"{v:.0%}"))
    assert tooltip(country(custom, "PER")) == "Peru: 25%"


def test_text_from_data_is_escaped():
    evil = '<script>alert("x")</script>'
    html = str(
        render(
            {"PER": 1, "AUS": 2, "CHI": 3},
            names={"PER": evil, "CHI": evil},
            title=evil,
            description=evil,
            legend_title=evil,
            no_data_label=evil,
            href=lambda iso3: f'/s/{iso3}?a=1&b="><script>',
        )
    )
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    tree = parse(html)
    assert tooltip(country(tree, "PER")) == f"{evil}: 1"
    link = country(tree, "PER")
    assert link.attrs["href"] == '/s/PER?a=1&b="><script>'
    assert tree.find_all("title")[0].text == evil


def test_no_inline_style_or_script():
    html = str(render({"PER": 1, "AUS": 3, "TUV": 2, "CHI": 1}, href=lambda c: f"/{c}"))
    tree = parse(html)
    for node in tree.iter():
        assert "style" not in node.attrs, node.tag
        assert not any(a.startswith("on") for a in node.attrs), node.tag
    assert not tree.find_all("script")
    assert not tree.find_all("style")
    assert not tree.find_all("text"), "legend text lives in HTML, so it follows dir=rtl"


def test_svg_is_labelled_for_assistive_technology():
    tree = parse(render({"PER": 1}, title="Members", description="Which states are members"))
    svg = tree.find_all("svg")[0]
    assert svg.attrs["role"] == "img"
    ids = {n.attrs["id"]: n for n in tree.iter() if "id" in n.attrs}
    title = ids[svg.attrs["aria-labelledby"]]
    desc = ids[svg.attrs["aria-describedby"]]
    assert (title.tag, title.text) == ("title", "Members")
    assert (desc.tag, desc.text) == ("desc", "Which states are members")
    assert title.parent is svg
    assert desc.parent is svg
    other = parse(render({"PER": 1}, title="Observers", description="Which states observe"))
    assert other.find_all("svg")[0].attrs["aria-labelledby"] != svg.attrs["aria-labelledby"]
    with pytest.raises(ValueError, match="id_prefix"):
        render({"PER": 1}, id_prefix='x" onload="')


def test_href_wraps_states_with_data_in_links():
    tree = parse(render({"PER": 1, "AUS": 5, "FRA": None}, href=lambda c: f"/states/{c}"))
    links = tree.find_all("a")
    assert {a.attrs["data-iso3"]: a.attrs["href"] for a in links} == {
        "PER": "/states/PER",
        "AUS": "/states/AUS",
    }
    for a in links:
        assert tooltip(a)  # the accessible name and the hover text
        assert any(n.tag == "path" for n in a.children)
    assert tree.find_all("svg")[0].attrs["role"] == "group"
    assert country(tree, "FRA").tag != "a"
    # shapes without data are hidden from screen readers when the map is interactive
    nodata = next(n for n in tree.iter() if "rcp-map__nodata" in n.classes())
    assert nodata.attrs.get("aria-hidden") == "true"
    plain = parse(render({"PER": 1}))
    assert plain.find_all("a") == []
    # keyboard order: shapes by name, then the states shown with a marker
    ordered = parse(render({"PER": 1, "MLT": 2, "BRA": 3, "AUS": 4}, href=lambda c: f"/{c}"))
    assert [a.attrs["data-iso3"] for a in ordered.find_all("a")] == ["AUS", "BRA", "PER", "MLT"]
    skipped = parse(render({"PER": 1, "AUS": 2}, href=lambda c: None if c == "AUS" else "/p"))
    assert [a.attrs["data-iso3"] for a in skipped.find_all("a")] == ["PER"]


def test_state_without_shape_gets_a_marker_or_a_caption_line():
    tree = parse(render({"TUV": 3, "CHI": 4, "PER": 1}, names={**NAMES, "CHI": "Channel Is."}))
    tuvalu = country(tree, "TUV")
    circles = tuvalu.find_all("circle")
    assert len(circles) == 1
    assert float(circles[0].attrs["r"]) > 1
    assert tooltip(tuvalu) == "Tuvalu: 3"
    caption = [n for n in tree.iter() if "rcp-map__not-drawn" in n.classes()]
    assert len(caption) == 1
    assert "Channel Is." in caption[0].all_text()
    assert "Tuvalu" not in caption[0].all_text()
    # nothing to list: no caption line
    none = parse(render({"PER": 1, "TUV": 2}))
    assert not [n for n in none.iter() if "rcp-map__not-drawn" in n.classes()]


def test_tiny_states_with_data_get_a_marker():
    tree = parse(render({"MLT": 5, "PER": 1, "FRA": 2}))
    assert country(tree, "MLT").find_all("circle"), "Malta is too small to see unmarked"
    assert not country(tree, "PER").find_all("circle")
    without = parse(render({"PER": 1}))
    assert not country(without, "MLT").find_all("circle")


def test_highlight_draws_categories():
    tree = parse(
        render(
            {"PER": 10},
            highlight={"PER": "chair", "AUS": "member", "fra": "observer", "BRA": "member"},
            category_labels={"member": "Member", "observer": "Observer", "chair": "Chair"},
            legend_title="Role",
            href=lambda c: f"/s/{c}",
        )
    )
    assert "rcp-map--categorical" in tree.find_all("figure")[0].classes()
    assert fill_classes(country(tree, "AUS")) == {"cat", "cat-member"}
    assert fill_classes(country(tree, "FRA")) == {"cat", "cat-observer"}
    assert fill_classes(country(tree, "PER")) == {"cat", "cat-chair"}
    assert fill_classes(country(tree, "USA")) == {"nodata"}
    assert tooltip(country(tree, "AUS")) == "Australia: Member"
    assert tooltip(country(tree, "PER")) == "Peru: Chair (10)"
    labels = [n.text for n in tree.iter() if "rcp-map__legend-label" in n.classes()]
    assert labels == ["Member", "Observer", "Chair", "No data"]
    swatches = [n for n in tree.iter() if "rcp-map__swatch" in n.classes()]
    assert swatches[0].classes() == {"rcp-map__swatch", "cat", "cat-member"}
    assert {a.attrs["data-iso3"] for a in tree.find_all("a")} == {"PER", "AUS", "FRA", "BRA"}
    with pytest.raises(ValueError, match="category"):
        render({}, highlight={"PER": 'x" onclick="'})


def test_antarctica_only_on_request():
    without = parse(render({}))
    assert not [n for n in without.iter() if n.attrs.get("data-iso3") == "ATA"]
    with_ = parse(render({}, antarctica=True))
    assert country(with_, "ATA")
    height = float(with_.find_all("svg")[0].attrs["viewbox"].split()[3])
    assert height > float(without.find_all("svg")[0].attrs["viewbox"].split()[3])


def test_rendering_is_fast():
    with COUNTRY_CODES.open(encoding="utf-8", newline="") as fh:
        names = {row["ISO3166-1-Alpha-3"]: row["official_name_en"] for row in csv.DictReader(fh)}
    values = {iso3: (i * 7919) % 1000 for i, iso3 in enumerate(names)}
    render(values, names=names, href=lambda c: f"/s/{c}")  # loads the geometry
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        render(values, names=names, href=lambda c: f"/s/{c}")
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.05  # about 2 ms here; generous for slow CI machines
