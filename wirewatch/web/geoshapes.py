"""Country outlines for server-drawn maps, decoded from the world-atlas TopoJSON the set-up installs.

`scripts/map-assets.sh` installs the npm package world-atlas (Natural Earth countries-110m) into the
git-ignored build/ folder; nothing is fetched at run time. When the file is missing, maps still draw
points on a plain latitude/longitude grid and say so.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ATLAS_FILE = "countries-110m.json"
_REPO = Path(__file__).resolve().parents[2]
# Where the set-up may have put the file, most specific first.
SEARCH_DIRS = (
    _REPO / "build" / "map-assets" / "node_modules" / "world-atlas",
    Path(sys.prefix) / "share" / "wirewatch" / "world-atlas",
)

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Country:
    """One country: its name, ISO numeric id and polygon rings in (lon, lat) degrees."""

    id: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


def atlas_path() -> Path | None:
    """The installed countries TopoJSON file ($WIREWATCH_WORLD_ATLAS first), or None."""
    env = os.environ.get("WIREWATCH_WORLD_ATLAS")
    candidates = [Path(env)] if env else []
    candidates += [d / ATLAS_FILE for d in SEARCH_DIRS]
    return next((p for p in candidates if p.is_file()), None)


def _decode_arcs(topology: dict) -> list[Ring]:
    """Undo TopoJSON's quantization and delta encoding: each arc becomes (lon, lat) points."""
    transform = topology.get("transform")
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        points: Ring = []
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[Ring]) -> Ring:
    """Join arcs into a ring; a negative index (~i) means arc i reversed; shared end points once.

    Rings that cross the antimeridian (Fiji, Chukotka) are unwrapped to continuous longitudes,
    so no edge is drawn across the whole map; the part past +-180 falls outside the view.
    """
    ring: Ring = []
    for index in indices:
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        ring.extend(arc[1:] if ring else arc)
    for i in range(1, len(ring)):
        lon, lat = ring[i]
        prev = ring[i - 1][0]
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        ring[i] = (lon, lat)
    return ring


def decode_countries(topology: dict, object_name: str = "countries") -> list[Country]:
    """Turn a TopoJSON topology's polygons into `Country` records with bounding boxes."""
    arcs = _decode_arcs(topology)
    countries = []
    for geometry in topology["objects"][object_name]["geometries"]:
        kind = geometry.get("type")
        polygons = [geometry["arcs"]] if kind == "Polygon" else geometry.get("arcs", []) if kind == "MultiPolygon" else []
        rings = tuple(tuple(_ring(r, arcs)) for polygon in polygons for r in polygon)
        rings = tuple(r for r in rings if len(r) >= 3)
        if not rings:
            continue
        lons = [p[0] for r in rings for p in r]
        lats = [p[1] for r in rings for p in r]
        countries.append(Country(id=str(geometry.get("id", "")), name=str((geometry.get("properties") or {}).get("name", "")),
                                 rings=rings, bbox=(min(lons), min(lats), max(lons), max(lats))))
    return countries


@lru_cache(maxsize=2)
def _load(path: str) -> tuple[Country, ...]:
    with open(path, encoding="utf-8") as handle:
        return tuple(decode_countries(json.load(handle)))


def load_countries() -> tuple[Country, ...]:
    """The installed country outlines (decoded once per process), or () when not installed."""
    path = atlas_path()
    if path is None:
        return ()
    try:
        return _load(str(path))
    except (OSError, ValueError, KeyError, TypeError):
        return ()
