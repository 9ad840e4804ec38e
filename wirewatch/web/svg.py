"""Server-drawn inline SVG for the actor graph and the map, so both render with JavaScript off.

Every label comes from article data, so every text node and attribute is escaped here; the
markup uses classes (styled by our CSS) and presentation attributes, never inline style, so it
passes the web UI's strict Content-Security-Policy and also works inside the mailed report.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from wirewatch.web.geoshapes import Country


@dataclass
class GraphNode:
    """An actor: an entity id, its display name and type, and where its page is (or None)."""

    id: str
    label: str
    type: str = "other"
    href: str | None = None


@dataclass
class GraphEdge:
    """`source` acts on `target`: the predicates seen and how many claims say so."""

    source: str
    target: str
    labels: list[str]
    count: int = 1
    href: str | None = None  # where the claims behind the edge are cited


@dataclass
class MapPoint:
    """A place to pin: label, coordinates, how often it is mentioned and its page (or None)."""

    label: str
    lat: float
    lon: float
    weight: int = 1
    href: str | None = None


def _a(value: object) -> str:
    return escape(str(value), quote=True)


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def graph_svg(nodes: list[GraphNode], edges: list[GraphEdge], title: str = "Actor graph",
              width: int = 640, height: int = 440) -> Markup:
    """Draw actors on a circle (deterministic: in the given order) with arrows from actor to acted-on."""
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - 60
    pos: dict[str, tuple[float, float]] = {}
    for i, node in enumerate(nodes):
        if len(nodes) == 1:
            pos[node.id] = (cx, cy)
        else:
            angle = -math.pi / 2 + 2 * math.pi * i / len(nodes)
            pos[node.id] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    parts = [
        f'<svg class="graph" role="img" aria-labelledby="graph-title" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="graph-title">{_a(title)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead" fill="#555"/></marker></defs>',
    ]
    node_r = 9
    for edge in edges:
        if edge.source not in pos or edge.target not in pos:
            continue
        (x1, y1), (x2, y2) = pos[edge.source], pos[edge.target]
        label = ", ".join(edge.labels[:2]) + (f" \u00d7{edge.count}" if edge.count > 1 else "")
        if edge.source == edge.target:
            parts.append(f'<g class="edge"><title>{_a(label)}</title><circle cx="{x1:.1f}" cy="{y1 - 16:.1f}" r="12" '
                         f'fill="none" stroke="#777"/></g>')
            continue
        dist = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / dist, (y2 - y1) / dist
        sx, sy = x1 + ux * node_r, y1 + uy * node_r
        ex, ey = x2 - ux * (node_r + 2), y2 - uy * (node_r + 2)
        mx, my = (sx + ex) / 2, (sy + ey) / 2
        inner = (
            f'<title>{_a(label)}</title>'
            f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="#777" stroke-width="{min(1 + edge.count, 4)}" '
            f'marker-end="url(#arrow)"/>'
            f'<text x="{mx:.1f}" y="{my - 4:.1f}" class="edge-label" text-anchor="middle" font-size="11">{_a(_short(label, 24))}</text>'
        )
        parts.append(f'<a href="{_a(edge.href)}" class="edge">{inner}</a>' if edge.href else f'<g class="edge">{inner}</g>')
    for node in nodes:
        x, y = pos[node.id]
        below = y >= cy - 1
        ty = y + (22 if below else -14)
        shape = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{node_r}" class="node node-{_a(node.type)}"/>'
                 f'<text x="{x:.1f}" y="{ty:.1f}" text-anchor="middle" font-size="12" class="node-label">{_a(_short(node.label))}</text>')
        parts.append(_linked(node.href, "node-link", f"<title>{_a(node.label)} ({_a(node.type)})</title>{shape}"))
    parts.append("</svg>")
    return Markup("".join(parts))


def _linked(href: str | None, cls: str, inner: str) -> str:
    """Wrap SVG content in a link when there is somewhere to go, else in a plain group."""
    return f'<a href="{_a(href)}" class="{cls}">{inner}</a>' if href else f"<g>{inner}</g>"


def _view_box(points: list[MapPoint]) -> tuple[float, float, float, float]:
    """Degrees to show: the points' extent padded to at least 24 x 14 degrees, else the world."""
    if not points:
        return (-180.0, -58.0, 180.0, 84.0)
    lons = [p.lon for p in points]
    lats = [p.lat for p in points]
    lo_lon, hi_lon, lo_lat, hi_lat = min(lons), max(lons), min(lats), max(lats)
    pad_lon = max(6.0, (hi_lon - lo_lon) * 0.25)
    pad_lat = max(4.0, (hi_lat - lo_lat) * 0.25)
    lo_lon, hi_lon, lo_lat, hi_lat = lo_lon - pad_lon, hi_lon + pad_lon, lo_lat - pad_lat, hi_lat + pad_lat
    if hi_lon - lo_lon < 24.0:
        mid = (hi_lon + lo_lon) / 2
        lo_lon, hi_lon = mid - 12.0, mid + 12.0
    if hi_lat - lo_lat < 14.0:
        mid = (hi_lat + lo_lat) / 2
        lo_lat, hi_lat = mid - 7.0, mid + 7.0
    return (max(lo_lon, -180.0), max(lo_lat, -85.0), min(hi_lon, 180.0), min(hi_lat, 85.0))


def map_svg(points: list[MapPoint], countries: tuple[Country, ...] | list[Country], title: str = "Map of places",
            width: int = 640) -> Markup:
    """Draw country outlines (equirectangular) under numbered pins for the places; a grid when no outlines."""
    lo_lon, lo_lat, hi_lon, hi_lat = _view_box(points)
    scale = width / (hi_lon - lo_lon)
    height = max(160, round((hi_lat - lo_lat) * scale))

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - lo_lon) * scale, (hi_lat - lat) * scale

    parts = [
        f'<svg class="map" role="img" aria-labelledby="map-title" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="map-title">{_a(title)}</title>',
        f'<rect x="0" y="0" width="{width}" height="{height}" class="sea" fill="#dfeaf3"/>',
    ]
    if countries:
        paths = []
        for country in countries:
            b = country.bbox
            if b[2] < lo_lon or b[0] > hi_lon or b[3] < lo_lat or b[1] > hi_lat:
                continue
            d = []
            for ring in country.rings:
                coords = [xy(lon, lat) for lon, lat in ring]
                d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z")
            paths.append(f'<path class="land" fill="#f4f1ea" stroke="#9a9488" stroke-width="0.6" d="{"".join(d)}">'
                         f"<title>{_a(country.name)}</title></path>")
        parts.extend(paths)
    else:
        step = 30 if hi_lon - lo_lon > 90 else 10 if hi_lon - lo_lon > 30 else 5
        grid = []
        for lon in range(-180, 181, step):
            if lo_lon <= lon <= hi_lon:
                x, _ = xy(lon, 0)
                grid.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#b8c7d3" stroke-width="0.6"/>')
        for lat in range(-90, 91, step):
            if lo_lat <= lat <= hi_lat:
                _, y = xy(0, lat)
                grid.append(f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="#b8c7d3" stroke-width="0.6"/>')
        parts.append('<g class="grid">' + "".join(grid) + "</g>")
    for i, point in enumerate(points, start=1):
        x, y = xy(point.lon, point.lat)
        r = min(4 + 2 * math.log2(max(point.weight, 1)), 11)
        pin = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" class="pin" fill="#c0392b" stroke="#fff" stroke-width="1.5"/>'
               f'<text x="{x + r + 3:.1f}" y="{y + 4:.1f}" font-size="12" class="pin-label">{i}</text>')
        label = f"<title>{i}. {_a(point.label)} ({point.lat:.2f}, {point.lon:.2f})</title>"
        parts.append(_linked(point.href, "pin-link", label + pin))
    parts.append("</svg>")
    return Markup("".join(parts))
