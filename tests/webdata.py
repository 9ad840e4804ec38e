"""Small hand-built stores for the web, API, export and report tests (invented people and outlets).

`build_store(path)` writes two reports of one invented flood story (with a numeric conflict and
an actor edge) plus one hostile report whose every field carries markup and script payloads.
"""
from __future__ import annotations

from wirewatch.ingest.ids import article_id
from wirewatch.model import (Article, ArticleAnalysis, Attribution, Bullet, Claim, Conflict, ConflictValue, Entity, Geo,
                             Headline, Mention, Quantity, Story, TimelineEntry)
from wirewatch.store import open_store

VALE, HARBOUR, TROMSO = "Etestvale0000001", "Etestharbour0001", "Etesttromso00001"
EVIL = "Etestevil0000001"
FLOOD_STORY, HOSTILE_STORY = "stestflood000001", "stesthostile0001"

# Payloads: each would run script, load a resource or break out of markup if printed unescaped.
PAYLOADS = (
    "<script>window.__pwned=1;alert(1)</script>",
    "<img src=x onerror=\"window.__pwned=1;alert(1)\">",
    "<svg onload=\"window.__pwned=1;alert(1)\">",
    "</textarea><script>document.title='pwned'</script>",
    "<a href=\"javascript:alert(1)\">click me</a>",
)
HOSTILE_TITLE = "Breaking " + PAYLOADS[0] + " " + PAYLOADS[1]
HOSTILE_OUTLET = PAYLOADS[2] + "Evil Outlet"
HOSTILE_TEXT = ("Officials said the mayor " + PAYLOADS[1] + " visited the port on Monday. "
                "Residents said " + PAYLOADS[0] + " nothing happened. "
                "Witnesses posted " + PAYLOADS[4] + " and " + PAYLOADS[3] + " online. "
                "A spokesman said " + PAYLOADS[2] + " 40 boats were damaged.")
HOSTILE_URL = "javascript:alert(1)"


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _claim(article: Article, sentence: str, predicate: str, **kw) -> Claim:
    start, end = _span(article.text, sentence)
    return Claim(id=f"c{article.id[1:9]}{start:04d}", article=article.id, text=sentence, start=start, end=end,
                 predicate=predicate, **kw)


def _mention(article: Article, words: str) -> Mention:
    start, end = _span(article.text, words)
    return Mention(article=article.id, start=start, end=end, text=words)


def flood_articles() -> list[ArticleAnalysis]:
    """Two outlets' reports of the same invented flood, disagreeing on homes evacuated."""
    t1 = ("TROMSO, Norway - Heavy rain flooded roads near Tromso on Monday, officials said. "
          "Mayor Ingrid Vale said 120 homes were evacuated. "
          "The Harbour Authority reportedly closed the port to Tromso shipping.")
    a1 = Article(id=article_id("Floods cut roads near Tromso", t1), title="Floods cut roads near Tromso", text=t1,
                 outlet="Lakeside Courier", published="2026-03-02T10:00:00+00:00", url="https://courier.example/floods",
                 headline=Headline(text="Floods cut roads near Tromso", clickbait=0.05))
    t2 = ("Mayor Ingrid Vale criticised the Harbour Authority on Tuesday. "
          "About 90 homes were evacuated in Tromso, she said.")
    a2 = Article(id=article_id("Mayor blames harbour chiefs", t2), title="Mayor blames harbour chiefs", text=t2,
                 outlet="Northern Post", published="2026-03-03T08:00:00+00:00",
                 headline=Headline(text="Mayor blames harbour chiefs", sensational=True, signals=["the body hedges"], clickbait=0.4))
    q1s, q1e = _span(t1, "120 homes")
    q2s, q2e = _span(t2, "About 90 homes")
    q1 = Quantity(id="qtestflood000001", article=a1.id, text="120 homes", start=q1s, end=q1e, value=120, counted="homes")
    q2 = Quantity(id="qtestflood000002", article=a2.id, text="About 90 homes", start=q2s, end=q2e, value=90,
                  approximate=True, counted="homes")
    c1 = _claim(a1, "Mayor Ingrid Vale said 120 homes were evacuated.", "EVACUATE", subject=VALE,
                attribution=Attribution(kind="named", source="Mayor Ingrid Vale", entity=VALE), quantities=[q1.id],
                corroboration=2)
    c2 = _claim(a1, "The Harbour Authority reportedly closed the port to Tromso shipping.", "CLOSE", subject=HARBOUR,
                object=TROMSO, hedged=True, hedges=["reportedly"], corroboration=1)
    c3 = _claim(a2, "Mayor Ingrid Vale criticised the Harbour Authority on Tuesday.", "CRITICIZE", subject=VALE,
                object=HARBOUR, corroboration=1, date="2026-03-03")
    c4 = _claim(a2, "About 90 homes were evacuated in Tromso, she said.", "EVACUATE", subject="residents",
                attribution=Attribution(kind="named", source="she"), negated=False, quantities=[q2.id], corroboration=2)
    geo = Geo(lat=69.6496, lon=18.956, country="NO", gazetteer_id="3133880", name="Tromso")

    def ents(article: Article) -> list[Entity]:
        return [Entity(id=VALE, name="Ingrid Vale", type="person", roles=["Mayor"], aliases=["Vale"],
                       mentions=[_mention(article, "Ingrid Vale")]),
                Entity(id=HARBOUR, name="Harbour Authority", type="organization", mentions=[_mention(article, "Harbour Authority")]),
                Entity(id=TROMSO, name="Tromso", type="place", geo=geo, mentions=[_mention(article, "Tromso")])]

    return [
        ArticleAnalysis(article=a1, entities=ents(a1), quantities=[q1], claims=[c1, c2]),
        ArticleAnalysis(article=a2, entities=ents(a2), quantities=[q2], claims=[c3, c4]),
    ]


def flood_story(analyses: list[ArticleAnalysis]) -> Story:
    a1, a2 = analyses
    c1, c2 = a1.claims
    c3, c4 = a2.claims
    return Story(
        id=FLOOD_STORY, title="Floods cut roads near Tromso", articles=[a1.article.id, a2.article.id],
        snapshot=[Bullet(text=c1.text, articles=[a1.article.id, a2.article.id], claims=[c1.id, c4.id], corroboration=2),
                  Bullet(text=c2.text, articles=[a1.article.id], claims=[c2.id], hedged=True)],
        conflicts=[Conflict(about="homes evacuated", values=[
            ConflictValue(value=120, article=a1.article.id, text="120 homes", quantity="qtestflood000001", claim=c1.id),
            ConflictValue(value=90, article=a2.article.id, text="About 90 homes", quantity="qtestflood000002", claim=c4.id)])],
        timeline=[TimelineEntry(date="2026-03-02", article=a1.article.id, text=a1.article.title),
                  TimelineEntry(date="2026-03-03", article=a2.article.id, claim=c3.id, text=c3.text)],
        outlets=["Lakeside Courier", "Northern Post"], first_published="2026-03-02T10:00:00+00:00",
        last_published="2026-03-03T08:00:00+00:00")


def hostile_analysis() -> ArticleAnalysis:
    """A report whose title, outlet, URL, text, entity names and claims all carry payloads."""
    article = Article(id=article_id(HOSTILE_TITLE, HOSTILE_TEXT), title=HOSTILE_TITLE, text=HOSTILE_TEXT,
                      outlet=HOSTILE_OUTLET, published="2026-04-01", url=HOSTILE_URL, author=PAYLOADS[3],
                      cited_sources=[PAYLOADS[4], "javascript:alert(2)"],
                      headline=Headline(text=HOSTILE_TITLE, sensational=True, signals=[PAYLOADS[0]], clickbait=0.9))
    sentences = [s.strip().rstrip(".") for s in HOSTILE_TEXT.split(". ") if s.strip()]
    claims = [_claim(article, s, "STATE", subject=EVIL if i == 0 else PAYLOADS[0], object=PAYLOADS[2],
                     attribution=Attribution(kind="named", source=PAYLOADS[1]), hedges=[PAYLOADS[3]], hedged=i == 1)
              for i, s in enumerate(sentences)]
    evil = Entity(id=EVIL, name=PAYLOADS[1] + " Mayor", type="person", roles=[PAYLOADS[0]], aliases=[PAYLOADS[2]],
                  mentions=[_mention(article, PAYLOADS[1])])
    place = Entity(id="Etestevilplace01", name=PAYLOADS[2] + "Port", type="place", mentions=[_mention(article, "the port")],
                   geo=Geo(lat=10.0, lon=20.0, name=PAYLOADS[0]))
    return ArticleAnalysis(article=article, entities=[evil, place], claims=claims,
                           quantities=[Quantity(id="qtestevil0000001", article=article.id, text="40 boats",
                                                start=_span(HOSTILE_TEXT, "40 boats")[0], end=_span(HOSTILE_TEXT, "40 boats")[1],
                                                value=40, counted=PAYLOADS[0])])


def hostile_story(analysis: ArticleAnalysis) -> Story:
    aid = analysis.article.id
    return Story(id=HOSTILE_STORY, title=PAYLOADS[0] + " story " + PAYLOADS[1], articles=[aid],
                 snapshot=[Bullet(text=PAYLOADS[4] + " bullet " + PAYLOADS[3], articles=[aid],
                                  claims=[analysis.claims[0].id])],
                 conflicts=[Conflict(about=PAYLOADS[2], values=[ConflictValue(value=PAYLOADS[0], article=aid, text=PAYLOADS[1]),
                                                                 ConflictValue(value=7, article=aid, text=PAYLOADS[3])])],
                 timeline=[TimelineEntry(date="2026-04-01", article=aid, text=PAYLOADS[0])],
                 outlets=[HOSTILE_OUTLET], first_published="2026-04-01", last_published="2026-04-01")


def build_store(path: str, hostile: bool = True) -> str:
    """Write the flood story (and the hostile story) into a new store at `path`; return the path."""
    store = open_store(path)
    try:
        flood = flood_articles()
        with store.transaction():
            for analysis in flood:
                store.add_analysis(analysis)
            store.save_story(flood_story(flood))
            if hostile:
                evil = hostile_analysis()
                store.add_analysis(evil)
                store.save_story(hostile_story(evil))
    finally:
        store.close()
    return path


def call(app, method: str, url: str, **kwargs):
    """Send one request to `app` in process through httpx's ASGI transport; return the response."""
    import asyncio

    import httpx

    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(go())


_CORPUS: dict[str, str] = {}


def corpus_db() -> str:
    """A store with samples/corpus ingested through the real pipeline, built once per test process."""
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    from wirewatch.pipeline import Wirewatch

    if "path" not in _CORPUS:
        folder = tempfile.mkdtemp(prefix="wirewatch-web-corpus-")
        atexit.register(shutil.rmtree, folder, True)
        path = str(Path(folder) / "corpus.db")
        with Wirewatch(path) as ww:
            ww.ingest([str(Path(__file__).resolve().parent.parent / "samples" / "corpus")])
        _CORPUS["path"] = path
    return _CORPUS["path"]


def biggest_story(path: str):
    """The story with the most reports in the store at `path` (ties: more outlets, then id)."""
    store = open_store(path)
    try:
        return max(store.list_stories(), key=lambda s: (len(s.articles), len(s.outlets), s.id))
    finally:
        store.close()
