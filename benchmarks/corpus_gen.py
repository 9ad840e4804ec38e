"""Synthetic news corpus for the scale benchmark: invented stories of 1-8 reports, with analyses built in.

Usage: .venv/bin/python benchmarks/corpus_gen.py N  (prints a sample; the scale benchmark imports it)

Each story is one invented event (event kind x invented person x invented place x figures x date);
its reports come from different outlets over a few days, paraphrase the event with different
templates, sometimes disagree on the figure, and sometimes are wire copies under another masthead.
Because extraction of 100,000 articles would take hours on 2 cores, every report comes with a
ready `ArticleAnalysis` (entities with exact mention spans, claims, quantities) built by the
generator, so the benchmark measures linking + stories + store. Deterministic for a given seed.
"""
from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta

from wirewatch.model import Article, ArticleAnalysis, Claim, Entity, Geo, Mention, Quantity, stable_id

_SYL = ["ka", "lo", "mir", "ten", "va", "dor", "ule", "sa", "bri", "no", "zel", "fa", "ro", "quin", "tas", "el",
        "mon", "pri", "dra", "ves", "ga", "hul", "ri", "to", "ber", "ne", "os", "lan", "cy", "mar", "jo", "wen"]
_KINDS = {
    "flood": ("Floods hit {place}", "Heavy floods swept through {place} on {weekday}, killing {n} people",
              "people killed", "flood", "Officials in {place} said {n} people had died after rivers burst their banks"),
    "strike": ("Workers strike in {place}", "Thousands of workers at the {place} port walked out on {weekday}, "
               "leaving {n} containers stranded", "containers", "strike",
               "A strike at the port of {place} left {n} containers waiting to be moved"),
    "election": ("{person} wins vote in {place}", "{person} won the mayoral election in {place} on {weekday} with "
                 "{n} votes", "votes", "election", "Voters in {place} elected {person}, who received {n} votes"),
    "fire": ("Fire destroys homes in {place}", "A fire tore through a district of {place} on {weekday}, "
             "destroying {n} homes", "homes", "fire", "Firefighters in {place} said {n} homes were destroyed"),
    "arrest": ("{person} arrested in {place}", "Police in {place} arrested {person} on {weekday} and seized "
               "{n} kilograms of contraband", "kilograms", "arrest",
               "{person} was detained in {place} after police found {n} kilograms of contraband"),
    "attack": ("Attack on convoy near {place}", "Gunmen attacked a convoy near {place} on {weekday}, killing "
               "{n} people", "people killed", "attack", "An ambush near {place} left {n} people dead, officials said"),
    "quake": ("Earthquake shakes {place}", "An earthquake struck {place} on {weekday}, injuring {n} people",
              "people injured", "disaster", "Hospitals in {place} treated {n} people injured in the earthquake"),
    "trial": ("{person} goes on trial in {place}", "The trial of {person} opened in {place} on {weekday}, with "
              "{n} witnesses expected", "witnesses", "trial",
              "Prosecutors in {place} plan to call {n} witnesses against {person}"),
}
_EXTRA = [
    "{official} said the authorities were monitoring the situation closely.",
    "Residents described scenes of confusion as {official} called for calm.",
    "{official} promised an investigation and said more details would follow.",
    "The {org} said it had sent teams to {place} to assess the damage.",
    "Local media reported that the {org} was coordinating the response.",
    "It was the worst such event in {place} for several years, according to the {org}.",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_ORGS = ["Civil Protection Agency", "Interior Ministry", "Red Crescent", "Port Authority", "Electoral Commission",
         "Workers Union", "Regional Council", "National Police"]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYL) for _ in range(parts)).capitalize()


class CorpusGenerator:
    """Invents places, people and outlets once, then yields stories' reports in publication order."""

    def __init__(self, seed: int = 7, places: int = 3000, outlets: int = 60, per_day: int = 200):
        self.rng = random.Random(seed)
        self.places = [(f"{_name(self.rng, 2)}{_name(self.rng, 1).lower()}", str(100000 + i), f"Q{i % 90:02d}")
                       for i in range(places)]
        self.outlets = [f"The {_name(self.rng, 2)} {self.rng.choice(['Post', 'Times', 'Herald', 'Wire', 'Daily'])}"
                        for _ in range(outlets)]
        self.per_day = per_day

    def _person(self) -> str:
        return f"{_name(self.rng, 2)} {_name(self.rng, 3)}"

    def stories(self) -> Iterator[tuple[date, list[ArticleAnalysis]]]:
        """Yield each story's reports (1-8), stories starting `per_day / 4.5` a day from 2025-01-01."""
        rng = self.rng
        start = date(2025, 1, 1)
        k = 0
        while True:
            day = start + timedelta(days=int(k * 4.5 / self.per_day))
            kind = rng.choice(list(_KINDS))
            place, gaz, country = rng.choice(self.places)
            facts = {"place": place, "person": self._person(), "official": self._person(), "org": rng.choice(_ORGS),
                     "n": rng.randint(3, 900), "weekday": _WEEKDAYS[day.weekday()]}
            size = rng.randint(1, 8)
            outlets = rng.sample(self.outlets, size)
            reports = []
            for i in range(size):
                if i and rng.random() < 0.15:  # a wire copy under another masthead
                    orig = reports[rng.randrange(len(reports))]
                    reports.append(self._copy(orig, outlets[i], k, i))
                    continue
                n = facts["n"] if rng.random() < 0.7 else facts["n"] + rng.randint(1, 30)
                pub = day + timedelta(days=rng.randint(0, 2))
                reports.append(self._report(kind, dict(facts, n=n), gaz, country, outlets[i], pub, k, i))
            yield day, reports
            k += 1

    def _report(self, kind, facts, gaz, country, outlet, pub, k, i) -> ArticleAnalysis:
        rng = self.rng
        title_t, lead_t, counted, predicate, alt_t = _KINDS[kind]
        lead = (lead_t if rng.random() < 0.5 else alt_t).format(**facts) + "."
        extras = rng.sample(_EXTRA, 3)
        text = " ".join([lead, *(e.format(**facts) for e in extras)])
        aid = stable_id("a", k, i, outlet)
        article = Article(id=aid, title=title_t.format(**facts), text=text, outlet=outlet,
                          published=pub.isoformat() + "T08:00:00")
        analysis = ArticleAnalysis(article=article)
        names = [(facts["place"], "place"), (facts["person"], "person"), (facts["official"], "person"),
                 (facts["org"], "organization")]
        local = {}
        for j, (name, etype) in enumerate(names):
            spans = [m for m in _find_all(text, name)]
            if not spans:
                continue
            entity = Entity(id=f"L{j}", name=name, type=etype,
                            mentions=[Mention(article=aid, start=s, end=s + len(name), text=name) for s in spans])
            if etype == "place":
                entity.geo = Geo(lat=0.0, lon=0.0, country=country, gazetteer_id=gaz, name=name)
            analysis.entities.append(entity)
            local[name] = entity.id
        num = str(facts["n"])
        q_start = lead.index(num)
        analysis.quantities.append(Quantity(id=f"{aid}-q0", article=aid, text=lead[q_start:q_start + len(num)],
                                            start=q_start, end=q_start + len(num), value=float(facts["n"]),
                                            counted=counted))
        subject = local.get(facts["person"]) or local.get(facts["place"])
        analysis.claims.append(Claim(id=f"{aid}-c0", article=aid, text=lead[:-1], start=0, end=len(lead) - 1,
                                     predicate=predicate, subject=subject, quantities=[f"{aid}-q0"],
                                     date=pub.isoformat()))
        return analysis

    def _copy(self, orig: ArticleAnalysis, outlet: str, k: int, i: int) -> ArticleAnalysis:
        """The same wire text under another masthead (new headline prefix, same body and spans)."""
        import copy

        dup = copy.deepcopy(orig)
        aid = stable_id("a", k, i, outlet)
        dup.article.id, dup.article.outlet = aid, outlet
        dup.article.title = f"{outlet.split()[-1]}: {orig.article.title}"
        for e in dup.entities:
            for m in e.mentions:
                m.article = aid
        for q in dup.quantities:
            q.article, q.id = aid, f"{aid}-{q.id.rsplit('-', 1)[1]}"
        for c in dup.claims:
            c.article, c.id = aid, f"{aid}-{c.id.rsplit('-', 1)[1]}"
            c.quantities = [f"{aid}-{x.rsplit('-', 1)[1]}" for x in c.quantities]
        return dup


def _find_all(text: str, needle: str) -> list[int]:
    out, pos = [], text.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = text.find(needle, pos + len(needle))
    return out


def generate(n: int, seed: int = 7) -> Iterator[tuple[ArticleAnalysis, int]]:
    """Yield (analysis, story number) for `n` reports in publication order (stories interleave by day)."""
    gen = CorpusGenerator(seed)
    produced = 0
    pending: list[tuple[str, int, ArticleAnalysis]] = []
    for k, (day, reports) in enumerate(gen.stories()):
        for r in reports:
            pending.append((r.article.published, k, r))
        pending.sort(key=lambda t: t[0])
        # Release reports older than the newest story's start: later stories cannot precede them.
        horizon = day.isoformat()
        while pending and pending[0][0][:10] < horizon:
            _, story, analysis = pending.pop(0)
            yield analysis, story
            produced += 1
            if produced >= n:
                return


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for analysis, story in generate(count):
        print(story, analysis.article.published, analysis.article.outlet, "|", analysis.article.title)
        print("   ", analysis.article.text[:200])
