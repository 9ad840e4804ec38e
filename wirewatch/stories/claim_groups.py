"""Claim groups: claims from different reports of a story that state the same event or fact.

This is cross-document event coreference at the level of claims. The decision "do these two claims
report the same thing?" is a learned model (data/claim_groups.json, trained on ECB+ event
coreference by scripts/train_claim_groups.py) over the pair features of claim_features.py.

Grouping runs within one story and is online: claims are taken in story order (report by report,
then text order) and each joins the existing group it scores best against, when that score reaches
the model's threshold, else starts a group. Because every claim is decided once, against the groups
of the claims before it, rebuilding a story after a new report arrives gives the earlier claims the
same groups as before: the new report's claims only join or add groups. A group id is derived from
its first claim's id, so ids are stable as the story grows.

A claim is compared only with groups sharing a content word or a linked entity with it (an inverted
index), so the cost follows the story's vocabulary overlap rather than its number of claims squared.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from wirewatch.learned import LearnedModel, load_model
from wirewatch.model import ArticleAnalysis, Claim, stable_id
from wirewatch.stories.claim_features import FEATURES, ClaimView, RunningIdf, claim_views, pair_features, pair_values
from wirewatch.stories.conflicts import contradicts, denial_words
from wirewatch.stories.features import tokens

__all__ = ["GroupParams", "group_claims", "assign_groups", "grouped", "same_event_type", "default_model", "index_keys",
           "with_kept_out_denials"]

MODEL_RESOURCE = "data/claim_groups.json"
_IDF_COSINE = FEATURES.index("idf_cosine")
WORDING_WEIGHT = 0.1  # how much word overlap counts when choosing among groups the model accepts


@lru_cache(maxsize=1)
def default_model() -> LearnedModel:
    """The shipped pairing model (loaded once per process)."""
    return load_model("wirewatch.stories", MODEL_RESOURCE)


@dataclass(frozen=True)
class GroupParams:
    """How pair probabilities become groups; the defaults come from the shipped model's meta."""

    threshold: float | None = None  # join when the group score reaches this (None: the model's own)
    linkage: str | None = None  # "max" (best member) or "mean" (average over members)
    # Caps on the pairs scored per claim. On ECB+ train (the model's own split; claims grouped within
    # the pipeline's stories) 40 groups x 12 members, 10 x 4, 8 x 3, 6 x 3, 5 x 2 and 4 x 2 group
    # equally well (CoNLL 37.85, 37.88, 37.87, 37.70, 37.95, 37.92): the pairs scored are most of
    # grouping's cost, and 5 x 2 takes about half the time of 10 x 4 (3.8 s vs 7.0 s for 574 reports).
    max_candidates: int = 5  # groups scored exactly per claim, best by shared keys first
    max_members: int = 2  # members of a group a claim is compared with, most keys shared first
    same_report: float | None = None  # score a claim needs to join a group already holding a claim of its
    # own report (None: the model's; above 1: never): one report restating its lead is rarer than two reports


def index_keys(view: ClaimView, idf: RunningIdf) -> set[str]:
    # Words found in every report so far say nothing; the rarer ones key the index.
    words = {w for w in view.word_set if idf.get(w, 2.0) > 1.0} or view.word_set
    return {"w:" + w for w in words} | {"e:" + e for e in view.entities}


def group_claims(analyses: list[ArticleAnalysis], model: LearnedModel | None = None,
                 params: GroupParams = GroupParams(), cache: dict | None = None) -> dict[str, str]:
    """Map every claim id of the story's analyses (in story order) to its group id (pure).

    A claim that already has a `group` keeps it (its report was grouped when it arrived); the others
    are decided one by one against the groups of the claims before them. Word rarity is counted over
    the reports up to and including the current one, so grouping a story at once or report by report
    gives the same groups. `cache` (pair of claim ids -> probability) may be shared between calls
    that differ only in `params`.
    """
    model = model or default_model()
    threshold = params.threshold if params.threshold is not None else float(model.meta.get("threshold", 0.5))
    linkage = params.linkage or model.meta.get("linkage", "max")
    same_report = params.same_report if params.same_report is not None else float(model.meta.get("same_report", threshold))
    cache = {} if cache is None else cache
    idf = RunningIdf()
    groups: list[list[tuple[ClaimView, set[str]]]] = []
    ids: list[str] = []
    position: dict[str, int] = {}
    index: dict[str, set[int]] = {}
    out: dict[str, str] = {}
    reports_in: dict[int, set[str]] = {}
    for analysis in analyses:
        views = claim_views(analysis)
        idf.add({w for v in views for w in v.words})
        for view in views:
            keys = index_keys(view, idf)
            best = position.get(view.claim.group or "", -1)
            if best < 0 and view.claim.group is None:
                best = _best_group(view, keys, groups, index, idf, model, (threshold, same_report), linkage, params,
                                   cache, reports_in)
            if best < 0:
                best = len(groups)
                groups.append([])
                ids.append(view.claim.group or stable_id("g", view.claim.id))
                position[ids[best]] = best
            groups[best].append((view, keys))
            reports_in.setdefault(best, set()).add(view.claim.article)
            out[view.claim.id] = ids[best]
            for key in keys:
                index.setdefault(key, set()).add(best)
    return out


def _best_group(view: ClaimView, keys: set[str], groups: list[list[tuple[ClaimView, set[str]]]], index: dict[str, set[int]],
                idf: RunningIdf, model: LearnedModel, thresholds: tuple[float, float], linkage: str,
                params: GroupParams, cache: dict, reports_in: dict[int, set[str]]) -> int:
    """The index of the group the claim joins, or -1 when no candidate reaches the threshold."""
    hits: dict[int, int] = {}
    for key in keys:
        for g in index.get(key, ()):
            hits[g] = hits.get(g, 0) + 1
    best, best_score = -1, -1.0
    probability = model.reader(FEATURES)
    for g in sorted(hits, key=lambda g: (-hits[g], g))[:params.max_candidates]:
        need = thresholds[1] if view.claim.article in reports_in.get(g, ()) else thresholds[0]
        if need > 1.0:
            continue
        probs, overlaps = [], []
        members = groups[g]
        if len(members) > params.max_members:  # a big group: its members closest to the claim speak for it
            members = sorted(members, key=lambda m: -len(keys & m[1]))[:params.max_members]
        for member, _ in members:
            pair = (view.claim.id, member.claim.id)
            if pair not in cache:
                values = pair_values(view, member, idf)
                # A clause repeated word for word (a quote, a wire sentence) is the same statement,
                # however short: no model needed, and ECB+ has too few such pairs to teach it.
                same = view.verbatim and view.verbatim == member.verbatim
                cache[pair] = (1.0 if same else probability(values), values[_IDF_COSINE])
            probs.append(cache[pair][0])
            overlaps.append(cache[pair][1])
        score = max(probs) if linkage == "max" else sum(probs) / len(probs)
        if score < need:
            continue
        # Which group, among those the model accepts: the probability, with the wording as a tie-break
        # (the model saturates near 1 for any two lead claims of a story; the restated one is closer).
        rank = score + WORDING_WEIGHT * max(overlaps)
        if rank > best_score:  # exact ties go to the candidate sharing more keys (seen first)
            best, best_score = g, rank
    return best


def assign_groups(analyses: list[ArticleAnalysis], model: LearnedModel | None = None,
                  params: GroupParams = GroupParams()) -> list[list[Claim]]:
    """Set `claim.group` on every claim of the analyses and return the groups (claims in story order)."""
    mapping = group_claims(analyses, model, params)
    claims = [c for a in analyses for c in a.claims]
    for claim in claims:
        claim.group = mapping.get(claim.id)
    return grouped(claims)


def with_kept_out_denials(analyses: list[ArticleAnalysis], groups: list[list[Claim]],
                          model: LearnedModel | None = None) -> list[list[Claim]]:
    """The groups, each extended with the denials of its event that grouping had to keep out of it.

    A group holds one claim per report, so when one report gives both sides ("witnesses said troops
    fired; the army denied it"), the other reports' denials of that event start a group of their own
    and the denial check (which looks inside groups) never meets them. Here each negated claim is
    paired with the asserted claims of other groups that it contradicts (`conflicts.contradicts`,
    looked up by the words it denies), and when the pairing model accepts the pair at its grouping
    threshold (word rarity over the whole story), the denial joins that group's copy. A story with
    no such pair costs a word lookup per denial.
    """
    negated = [c for g in groups for c in g if c.negated]
    if not negated:
        return groups
    index: dict[str, list[tuple[int, Claim]]] = {}
    for i, group in enumerate(groups):
        for claim in group:
            if not claim.negated:
                for word in set(tokens(claim.text)):
                    index.setdefault(word, []).append((i, claim))
    group_of = {c.id: i for i, g in enumerate(groups) for c in g}
    candidates: dict[tuple[int, str, str], tuple[int, Claim, Claim]] = {}
    for denied in negated:
        for word in denial_words(denied):
            for i, asserted in index.get(word, ()):
                key = (i, asserted.id, denied.id)
                if key not in candidates and i != group_of[denied.id] and asserted.article != denied.article \
                        and contradicts(asserted, denied):
                    candidates[key] = (i, asserted, denied)
    if not candidates:
        return groups
    model = model or default_model()
    threshold = float(model.meta.get("threshold", 0.5))
    involved = {c.article for _, a, d in candidates.values() for c in (a, d)}
    views = {v.claim.id: v for a in analyses if a.article.id in involved for v in claim_views(a)}
    idf = RunningIdf()
    for analysis in analyses:
        idf.add({w for c in analysis.claims for w in tokens(c.text)})
    extended = [list(g) for g in groups]
    joined: set[tuple[int, str]] = set()
    for i, asserted, denied in candidates.values():
        if (i, denied.id) in joined or asserted.id not in views or denied.id not in views:
            continue
        if model.probability(pair_features(views[asserted.id], views[denied.id], idf)) >= threshold:
            extended[i].append(denied)
            joined.add((i, denied.id))
    return extended


_NEGATION = re.compile(r"\b(?:not|no|never|n't|neither|nor)\b|n't\b", re.I)


def same_event_type(groups: list[list[Claim]]) -> list[list[Claim]]:
    """Each group split by predicate, for denial checks: a denial disputes an assertion of the same
    kind of event ("denied that troops fired" vs "troops fired"), not every claim the group holds; an
    unnegated claim that still says "not" ("the decision not to extend the truce") asserts nothing a
    denial could contradict, so it is left out."""
    out = []
    for group in groups:
        by_type: dict[str, list[Claim]] = {}
        for claim in group:
            if claim.negated or not _NEGATION.search(claim.text):
                by_type.setdefault(claim.predicate, []).append(claim)
        out.extend(by_type.values())
    return out


def grouped(claims: list[Claim]) -> list[list[Claim]]:
    """Claims gathered by their `group` (a claim without one is its own group), first-seen order."""
    out: dict[str, list[Claim]] = {}
    for claim in claims:
        out.setdefault(claim.group or claim.id, []).append(claim)
    return list(out.values())
