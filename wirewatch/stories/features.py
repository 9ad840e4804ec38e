"""Article features for story clustering: TF-IDF terms, linked entities, places and time.

Term weights use a running document-frequency table kept in store state over a hashed vocabulary
(2**17 buckets, so its size is bounded whatever the corpus), which lets IDF follow the stream
without ever recomputing past articles. Entities are the linked global ids, places the gazetteer
ids and countries; each view is an L2-normalised sparse vector so views combine by weighted cosine.
"""
from __future__ import annotations

import base64
import math
import re
import zlib
from array import array
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources as importlib_resources

from wirewatch.model import ArticleAnalysis
from wirewatch.stories.counted import counted_figures

__all__ = ["ArticleFeatures", "DocFreq", "article_features", "centroid_cosine", "content_words", "cosine",
           "numbers_in", "parse_date", "tokens"]

DF_BUCKETS = 1 << 17
DF_STATE_KEY = "stories:df"
BROAD_PLACES = frozenset({"country", "continent", "region"})  # too wide to tie two reports
TITLE_WEIGHT = 2.0  # a headline term says more about the event than one body term
MAX_TERMS = 60
QUERY_TERMS = 15  # terms an article looks up in the story index (stories post 25)  # terms kept per article vector; the tail adds cost and little signal


def stop_words() -> list[str]:
    """scikit-learn's English stop words, shipped as data (importing scikit-learn costs 1.6 s a start)."""
    text = importlib_resources.files("wirewatch.stories").joinpath("data/stop_words.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+|\d{2,}")
_STOP = frozenset(stop_words()) | {
    "said", "says", "say", "told", "tell", "according", "reported", "report", "reports", "news",
    "mr", "mrs", "ms", "year", "years", "new", "just", "like", "people", "time", "day", "week",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "http", "https",
    "www", "com", "html", "htm",
}


@lru_cache(maxsize=1 << 16)
def _term(word: str) -> str | None:
    """The stemmed term of one matched word, or None for stop words and one-letter tokens.

    Cached: news vocabulary repeats, and stories re-tokenise their claims on every rebuild.
    """
    word = word.lower().strip("'-")
    if len(word) <= 1 or word in _STOP:
        return None
    return _stem(word)


def _stem(word: str) -> str:
    """Fold the commonest inflections so "arrested"/"arrests"/"arrest" share a term; deliberately crude."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed content words of `text` (stop words and one-letter tokens dropped)."""
    return list(_tokens(text))


@lru_cache(maxsize=32768)  # a story rebuild reads the same claims and sentences again and again
def _tokens(text: str) -> tuple[str, ...]:
    terms = (_term(w) for w in _WORD.findall(text))
    return tuple(t for t in terms if t is not None)


def content_words(text: str) -> set[str]:
    """The set of content words of a sentence or claim, for overlap tests."""
    return set(tokens(text))


def _bucket(term: str) -> int:
    return zlib.crc32(term.encode("utf-8")) & (DF_BUCKETS - 1)


class DocFreq:
    """Running document frequencies over a hashed vocabulary, saved as store state.

    Kept as a fixed-size array (base64 in the JSON state) so loading and saving cost the same at
    1,000 articles as at a million.
    """

    def __init__(self, n: int = 0, counts: array | None = None, undated: bool = False):
        self.n = n
        self.counts = counts if counts is not None else array("I", bytes(4 * DF_BUCKETS))
        self.undated = undated  # whether any undated article was seen (stories without a week exist)

    @classmethod
    def load(cls, store) -> "DocFreq":
        state = store.get_state(DF_STATE_KEY)
        if not state:
            return cls()
        counts = array("I")
        counts.frombytes(base64.b64decode(state["df"]))
        return cls(n=state["n"], counts=counts, undated=state.get("undated", False))

    def save(self, store) -> None:
        store.set_state(DF_STATE_KEY, {"n": self.n, "undated": self.undated,
                                       "df": base64.b64encode(self.counts.tobytes()).decode("ascii")})

    def add(self, terms) -> None:
        self.n += 1
        for bucket in {_bucket(t) for t in terms}:
            self.counts[bucket] += 1

    def idf(self, term: str) -> float:
        # Smoothed so the first articles of a stream, with no statistics yet, weigh terms evenly.
        return math.log((self.n + 1) / (self.counts[_bucket(term)] + 1)) + 1.0


def _normalise(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two sparse vectors (plain dot product when both are normalised)."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def centroid_cosine(vec: dict[str, float], centroid: dict, view: str) -> float:
    """Cosine of a unit-length article view with a story centroid's view, using the norm the centroid keeps.

    The hot loop of placement: centroid views are long (150 terms), so their norms are computed once
    when the centroid changes (key "norms") rather than for every article compared with it.
    """
    theirs = centroid.get(view) or {}
    if not vec or not theirs:
        return 0.0
    norm = centroid.get("norms", {}).get(view)
    if not norm:
        return cosine(vec, theirs)
    small, big = (vec, theirs) if len(vec) <= len(theirs) else (theirs, vec)
    return sum(v * big.get(k, 0.0) for k, v in small.items()) / norm


def parse_date(value: str | None) -> date | None:
    """The calendar date of an ISO timestamp or date string, or None when absent or unparseable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None


@dataclass
class ArticleFeatures:
    """The sparse views of one article that clustering compares."""

    article: str
    terms: dict[str, float]
    entities: dict[str, float]
    places: dict[str, float]
    day: date | None
    people: dict[str, float] = field(default_factory=dict)
    # Named things more specific than a country (towns, districts, people, organizations): what a
    # follow-up report a day later shares with its story even when its wording differs.
    local: frozenset[str] = frozenset()
    # Headline terms (IDF-weighted, normalised), and the numbers the body writes: years apart, since
    # undated reports of two events of one kind often differ only by the year they mention.
    title: dict[str, float] = field(default_factory=dict)
    figures: frozenset[str] = frozenset()
    years: frozenset[str] = frozenset()
    # The day was read from the text (a URL or "updated" stamp), not given as the publication date:
    # good enough to compare, too weak to confine the candidate search to a few weeks.
    day_from_text: bool = False
    # Words of the names extracted (all kinds, and people alone), IDF-weighted: unlike linked ids they
    # still match when cross-report linking missed ("Cheeks" in one report, "Maurice Cheeks" in another).
    names: dict[str, float] = field(default_factory=dict)
    person_names: dict[str, float] = field(default_factory=dict)
    # The counted figures the report gives ("people killed=7"): two reports of one event usually
    # agree on some of them, two events of one kind seldom do.
    counted: frozenset[str] = frozenset()

    def index_keys(self) -> dict[str, float]:
        """Weighted keys for the store's inverted index (term, entity and place postings)."""
        keys = {f"t:{k}": v for k, v in sorted(self.terms.items(), key=lambda kv: -kv[1])[:QUERY_TERMS]}
        keys.update({f"e:{k}": v for k, v in self.entities.items()})
        keys.update({f"e:{k}": v for k, v in self.people.items()})
        keys.update({f"p:{k}": v for k, v in self.places.items()})
        return keys


def raw_terms(analysis: ArticleAnalysis) -> dict[str, float]:
    """Term counts of title (weighted) and body, before IDF."""
    counts: dict[str, float] = {}
    for word in tokens(analysis.article.title or ""):
        counts[word] = counts.get(word, 0.0) + TITLE_WEIGHT
    for word in tokens(analysis.article.text):
        counts[word] = counts.get(word, 0.0) + 1.0
    return counts


def article_features(analysis: ArticleAnalysis, df: DocFreq, counts: dict[str, float] | None = None) -> ArticleFeatures:
    """Build the TF-IDF, entity, place and time views of one article (entity ids already global)."""
    counts = counts if counts is not None else raw_terms(analysis)
    weighted = {t: (1.0 + math.log(c)) * df.idf(t) for t, c in counts.items()}
    top = dict(sorted(weighted.items(), key=lambda kv: -kv[1])[:MAX_TERMS])
    entities: dict[str, float] = {}
    people: dict[str, float] = {}
    places: dict[str, float] = {}
    local: set[str] = set()
    names: dict[str, float] = {}
    person_names: dict[str, float] = {}
    for entity in analysis.entities:
        n = max(1, len(entity.mentions))
        for word in sorted(set(tokens(entity.name))):
            weight = (1.0 + math.log(n)) * df.idf(word)
            names[word] = names.get(word, 0.0) + weight
            if entity.type == "person":
                person_names[word] = person_names.get(word, 0.0) + weight
        if entity.type == "place":
            key = entity.geo.gazetteer_id if entity.geo and entity.geo.gazetteer_id else entity.id
            places[key] = places.get(key, 0.0) + 1.0 + math.log(n)
            if not (entity.geo and entity.geo.feature in BROAD_PLACES):
                local.add(key)
            country = (entity.geo.country if entity.geo else None) or entity.country
            if country:
                places[f"cc:{country}"] = places.get(f"cc:{country}", 0.0) + 0.5
        elif entity.type == "person":
            people[entity.id] = people.get(entity.id, 0.0) + 1.0 + math.log(n)
        else:
            entities[entity.id] = entities.get(entity.id, 0.0) + 1.0 + math.log(n)
        if entity.type != "place":
            local.add(entity.id)
    figures, years = numbers_in(analysis.article.title + "\n" + analysis.article.text)
    published = parse_date(analysis.article.published)
    day = published or date_in_text(analysis.article.title + "\n" + analysis.article.text)
    return ArticleFeatures(
        article=analysis.article.id,
        terms=_normalise(top),
        entities=_normalise(entities),
        places=_normalise(places),
        day=day,
        people=_normalise(people),
        local=frozenset(local),
        title=_normalise({t: df.idf(t) for t in tokens(analysis.article.title or "")}),
        figures=frozenset(figures),
        years=frozenset(years),
        day_from_text=published is None and day is not None,
        names=_normalise(names),
        person_names=_normalise(person_names),
        counted=counted_figures(analysis),
    )


_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,])|(?<![\w.,])\d+(?:\.\d+)?(?![\w])")


def numbers_in(text: str) -> tuple[set[str], set[str]]:
    """The figures (numbers other than 0 and 1, commas folded) and the years (1900-2099) a text writes."""
    figures: set[str] = set()
    years: set[str] = set()
    for m in _NUMBER.finditer(text):
        raw = m.group().replace(",", "")
        if len(raw) == 4 and raw.isdigit() and raw[:2] in ("19", "20") and "," not in m.group():  # not "20.6"
            years.add(raw)
        elif raw not in ("0", "1"):
            figures.add(raw)
    return figures, years


_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_FULL_DATE = re.compile(
    r"\b(?:(?P<m1>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(?P<y2>(?:19|20)\d\d)"
    r"|(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d))\b",
    re.IGNORECASE,
)


def date_in_text(text: str) -> date | None:
    """The first full calendar date written in an undated article (a dateline or "updated" stamp), else None.

    Used only when the article has no publication date, as the best available anchor in time.
    """
    for m in _FULL_DATE.finditer(text[:3000]):
        try:
            if m.group("y1"):
                return date(int(m.group("y1")), _MONTHS[m.group("m1")[:3].lower()], int(m.group("d1")))
            if m.group("y2"):
                return date(int(m.group("y2")), _MONTHS[m.group("m2")[:3].lower()], int(m.group("d2")))
            return date(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
        except ValueError:
            continue
    return None
