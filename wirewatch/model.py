"""The one data vocabulary every wirewatch stage speaks.

Plain, picklable dataclasses: ingest produces `Article`s, extraction turns each into an
`ArticleAnalysis` (entities, quantities, claims, time expressions local to that article),
resolution links entities across articles, and story building groups analyses into `Story`s.
`to_dict()` on each class gives the shape of ../shared/contract/analysis.schema.json.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES = ("person", "organization", "group", "place", "other")
ATTRIBUTION_KINDS = ("none", "named", "anonymous", "official", "document", "report")


def stable_id(prefix: str, *parts: object, length: int = 16) -> str:
    """Return a short id derived from `parts`, so the same input always gets the same id."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:length]}"


_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    if isinstance(value, _SCALARS):  # most values: checked first, as stores serialise thousands per batch
        return value
    if isinstance(value, _Record):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return value.to_dict() if hasattr(value, "to_dict") else dataclasses.asdict(value)
    if isinstance(value, (list, tuple)):
        return [v if isinstance(v, _SCALARS) else _plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Record:
    """Mixin: `to_dict` for the contract, `from_dict` to read a stored copy back."""

    _OMIT_NONE: tuple[str, ...] = ()  # keys the contract wants present with a value, or absent

    def to_dict(self) -> dict[str, Any]:
        names = type(self).__dict__.get("_field_names")
        if names is None:  # per class, once: dataclasses.fields() is slow next to the copying itself
            names = tuple(f.name for f in dataclasses.fields(self))  # type: ignore[arg-type]
            type(self)._field_names = names
        omit = self._OMIT_NONE
        out = {}
        for name in names:
            value = getattr(self, name)
            if value is None and name in omit:
                continue
            out[name] = value if isinstance(value, _SCALARS) else _plain(value)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in cls._coerce(dict(data)).items() if k in names})

    @classmethod
    def _coerce(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Turn nested plain dicts back into records; subclasses with nested records override."""
        return data


@dataclass
class Headline(_Record):
    """The headline and whether it claims more, or more loudly, than the body supports."""

    text: str
    sensational: bool = False
    signals: list[str] = field(default_factory=list)
    clickbait: float | None = None

    _OMIT_NONE = ("clickbait",)  # the contract wants a number or no key


@dataclass
class Article(_Record):
    """One news report as ingested: body text, metadata and the raw input it came from.

    `text` is the body exactly as every character offset in wirewatch indexes it; the headline is
    kept apart in `title`. `raw` is the untouched input (bytes of the file or record) so nothing
    is lost; `extra` keeps unknown JSON Lines keys and other metadata.
    """

    id: str
    title: str
    text: str
    outlet: str | None = None
    published: str | None = None
    author: str | None = None
    url: str | None = None
    path: str | None = None
    language: str | None = "en"
    format: str = "text"
    cited_sources: list[str] = field(default_factory=list)
    headline: Headline | None = None
    duplicate_of: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    raw: bytes | None = field(default=None, repr=False)

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:  # type: ignore[override]
        data = {
            "id": self.id,
            "path": self.path,
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "author": self.author,
            "language": self.language,
            "format": self.format,
            "cited_sources": list(self.cited_sources),
            "headline": (self.headline or Headline(text=self.title)).to_dict(),
            "duplicate_of": self.duplicate_of,
        }
        if self.extra:
            data["extra"] = _plain(self.extra)
        if with_text:
            data["text"] = self.text
        return data

    @classmethod
    def _coerce(cls, data: dict[str, Any]) -> dict[str, Any]:
        if isinstance(data.get("headline"), dict):
            data["headline"] = Headline.from_dict(data["headline"])
        data.setdefault("text", "")
        return data


@dataclass
class Rejection(_Record):
    """An input that could not be used, with where it was and why."""

    path: str
    reason: str
    line: int | None = None
    article: str | None = None  # id, when the article was read but could not be processed

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass
class Mention(_Record):
    """One exact span of an article that names an entity: `text == article.text[start:end]`."""

    article: str
    start: int
    end: int
    text: str


@dataclass
class Geo(_Record):
    """Where a place is: coordinates, ISO 3166-1 alpha-2 country and gazetteer id."""

    lat: float
    lon: float
    country: str | None = None
    gazetteer_id: str | None = None
    name: str | None = None
    feature: str | None = None
    score: float | None = None
    approximate: bool = False  # a street, building or facility placed at the town it is in
    literal: bool = True  # False for a metonymic use ("Moscow said"): linked, but not a map pin


@dataclass
class Entity(_Record):
    """A person, organization, group or place, with every mention, alias and role found for it."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    geo: Geo | None = None
    country: str | None = None  # for demonym groups ("Syrian"): the country they point to
    sector: str | None = None  # for generic agents ("the army"): Phoenix/CAMEO sector, e.g. "military"

    @classmethod
    def _coerce(cls, data: dict[str, Any]) -> dict[str, Any]:
        data["mentions"] = [m if isinstance(m, Mention) else Mention.from_dict(m) for m in data.get("mentions", [])]
        if isinstance(data.get("geo"), dict):
            data["geo"] = Geo.from_dict(data["geo"])
        return data


@dataclass
class Quantity(_Record):
    """A number in the text with what it counts, its unit and how approximate it is."""

    id: str
    article: str
    text: str
    start: int
    end: int
    value: float | None
    approximate: bool = False
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    counted: str | None = None


@dataclass
class Attribution(_Record):
    """Who a claim is attributed to: `kind` is one of ATTRIBUTION_KINDS, `source` as written."""

    kind: str = "none"
    source: str | None = None
    entity: str | None = None  # entity id of a named source, when known


@dataclass
class Claim(_Record):
    """One clause that asserts an event or state, with who says so and how firmly.

    `subject` and `object` are entity ids when linked, else the words as written.
    """

    id: str
    article: str
    text: str
    start: int
    end: int
    predicate: str
    subject: str | None = None
    object: str | None = None
    quantities: list[str] = field(default_factory=list)
    attribution: Attribution = field(default_factory=Attribution)
    hedged: bool = False
    negated: bool = False
    hedges: list[str] = field(default_factory=list)  # the cue words found, for display
    corroboration: int | None = None
    date: str | None = None
    plover: str | None = None  # PLOVER event type as event data codes it (None: no PLOVER event)
    event_mode: str | None = None  # PLOVER mode and context of that event, from the CAMEO crosswalk
    event_context: str | None = None
    place: str | None = None  # entity id of the place where the claimed event happens
    group: str | None = None  # claims of a story stating the same event or fact share it (claim_groups.py)
    independent: int | None = None  # distinct origins among the outlets carrying the group (origins.py)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        if data["independent"] is None:  # the contract wants a number or no key (set once a story holds it)
            del data["independent"]
        return data

    @classmethod
    def _coerce(cls, data: dict[str, Any]) -> dict[str, Any]:
        if isinstance(data.get("attribution"), dict):
            data["attribution"] = Attribution.from_dict(data["attribution"])
        return data


@dataclass
class TimeExpression(_Record):
    """A time expression in the text ("on Tuesday") resolved to an ISO date when possible."""

    article: str
    start: int
    end: int
    text: str
    date: str | None = None


@dataclass
class ArticleAnalysis(_Record):
    """Everything extracted from one article; entity ids here are local to the article."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ArticleAnalysis":
        return cls(
            article=Article.from_dict(data["article"]),
            entities=[Entity.from_dict(e) for e in data.get("entities", [])],
            quantities=[Quantity.from_dict(q) for q in data.get("quantities", [])],
            claims=[Claim.from_dict(c) for c in data.get("claims", [])],
            times=[TimeExpression.from_dict(t) for t in data.get("times", [])],
        )

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:  # type: ignore[override]
        return {
            "article": self.article.to_dict(with_text=with_text),
            "entities": [e.to_dict() for e in self.entities],
            "quantities": [q.to_dict() for q in self.quantities],
            "claims": [c.to_dict() for c in self.claims],
            "times": [t.to_dict() for t in self.times],
        }


@dataclass
class Bullet(_Record):
    """One snapshot bullet, built from the reports' own sentences, with all its support."""

    text: str
    articles: list[str]
    claims: list[str] = field(default_factory=list)
    hedged: bool = False
    corroboration: int = 1
    independent: int | None = None  # distinct origins behind the outlets carrying it (origins.py)
    origins: list[str] = field(default_factory=list)  # their names, when traced to a named origin
    group: str | None = None  # the claim group the bullet shows
    disputed: bool = False  # denied or contradicted by another origin: see the story's conflicts


@dataclass
class ConflictValue(_Record):
    """One side of a disagreement: the value one article gives, and where it says so."""

    value: Any
    article: str
    text: str | None = None
    quantity: str | None = None
    claim: str | None = None


@dataclass
class Conflict(_Record):
    """Sources of one story disagree on `about` (a counted thing, or an asserted/denied event)."""

    about: str
    values: list[ConflictValue]
    kind: str = "number"  # "number" or "denial"
    groups: list[str] = field(default_factory=list)  # claim groups this conflict disputes

    @classmethod
    def _coerce(cls, data: dict[str, Any]) -> dict[str, Any]:
        data["values"] = [ConflictValue.from_dict(v) for v in data.get("values", [])]
        return data


@dataclass
class FigureValue(_Record):
    """One value of a figure series: what one report says, when it held, and who gave it.

    `change` compares it with the series' figure before it: "up", "down" (a revision downwards),
    "same", "restated" (an older figure repeated later), or None (the first value, a hedged or vague
    one, a rival figure, or another source's compatible estimate).
    """

    value: Any
    article: str
    outlet: str | None = None
    date: str | None = None
    source: str | None = None
    text: str = ""
    quantity: str | None = None
    hedged: bool = False
    low: float | None = None
    high: float | None = None
    change: str | None = None


@dataclass
class FigureSeries(_Record):
    """Every figure a story's reports give for one counted thing, in time order (see stories/figures.py).

    `kind` is "revision", "disagreement" or "agreement"; `scope` says what is counted
    (who, what happened, where, period); `downward` marks a series revised downwards.
    """

    about: str
    kind: str
    values: list[FigureValue]
    latest: FigureValue | None = None
    scope: dict[str, Any] = field(default_factory=dict)
    downward: bool = False

    _OMIT_NONE = ("latest",)  # the contract wants an object or no key

    @classmethod
    def _coerce(cls, data: dict[str, Any]) -> dict[str, Any]:
        data["values"] = [FigureValue.from_dict(v) for v in data.get("values", [])]
        if isinstance(data.get("latest"), dict):
            data["latest"] = FigureValue.from_dict(data["latest"])
        return data


@dataclass
class TimelineEntry(_Record):
    """A report or a dated claim on a story's timeline."""

    date: str
    article: str
    claim: str | None = None
    text: str | None = None


@dataclass
class Origin(_Record):
    """An original source a story's reports rely on (a wire, an investigating outlet, a monitor)."""

    name: str
    articles: list[str] = field(default_factory=list)
    kind: str = "outlet"  # outlet, wire, monitor, official, document
    entity: str | None = None


@dataclass
class Story(_Record):
    """Reports of the same events, with a cited snapshot, conflicts and a timeline."""

    id: str
    title: str
    articles: list[str]
    snapshot: list[Bullet] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None
    figures: list[FigureSeries] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)

    @classmethod
    def _coerce(cls, data: dict[str, Any]) -> dict[str, Any]:
        data["origins"] = [Origin.from_dict(o) for o in data.get("origins", [])]
        data["snapshot"] = [Bullet.from_dict(b) for b in data.get("snapshot", [])]
        data["figures"] = [FigureSeries.from_dict(f) for f in data.get("figures", [])]
        data["conflicts"] = [Conflict.from_dict(c) for c in data.get("conflicts", [])]
        data["timeline"] = [TimelineEntry.from_dict(t) for t in data.get("timeline", [])]
        return data


@dataclass
class Analysis:
    """The result of analysing a set of articles: the contract document of `analyze --json`."""

    articles: list[Article] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        from wirewatch import __version__

        return {
            "wirewatch_version": __version__,
            "articles": [a.to_dict(with_text=with_text) for a in self.articles],
            "entities": [e.to_dict() for e in self.entities],
            "quantities": [q.to_dict() for q in self.quantities],
            "claims": [c.to_dict() for c in self.claims],
            "stories": [s.to_dict() for s in self.stories],
        }
