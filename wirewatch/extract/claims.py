"""Split an article into claims: one per clause that asserts an event or a state.

Each claim carries a predicate (predicates.py), subject and object from the dependency parse,
who it is attributed to (attribution.py), hedge cues (hedging.py) and negation.

Choices (documented in docs/ontology.md):
- A speech verb with a reported clause ("Al-Shami states that authorities are ready") only
  frames that content: the reported clause becomes the claim, attributed to the speaker; the
  framing clause is not a separate STATEMENT claim. A speech verb without a reported clause
  ("has acknowledged awareness of these plots") is itself a claim attributed to its subject.
- A denial verb ("denied that troops fired") frames and negates its reported clause.
- A negating verb ("withholds support", "refused to deploy") negates the event it governs; the
  predicate is that event's type (SUPPORT, MOBILIZE), or REJECT when it has none.
- "X's decision/refusal/plan not to Y" is a claim of its own (nominal clause).
- Headings (no end punctuation, mostly capitalised), questions and sentences without a finite
  verb make no claim. A sentence with one claim gives the sentence as text; with several, each
  claim is its clause's span.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy
from spacy.attrs import DEP, HEAD

from wirewatch.extract import attribution as attr
from wirewatch.extract.dateline import parse_dateline
from wirewatch.extract.hedging import HEDGE_ADVERBS, HEDGE_FRAME_VERBS, find_hedges, verb_chain
from wirewatch.extract.quotes import attribute_quotes
from wirewatch.extract.predicates import PLOVER_FALLBACK, Event, complement, event_for, lexicon, noun_event
from wirewatch.model import Article, Attribution, Claim, stable_id

_FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
_NOMINAL_EVENT_NOUNS = frozenset({
    "decision", "refusal", "plan", "pledge", "promise", "failure", "vow", "threat", "bid", "attempt",
    "offer", "agreement", "move", "order", "call", "demand", "determination", "reluctance", "readiness",
})
_TRIM_EDGE_DEPS = {"cc", "mark", "punct", "prep"}
_SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj", "expl")
_BULLETS = {"•", "·", "*", "-", "–", "—", "▪", "‣"}
_NP_LEFT_DEPS = {"compound", "amod", "det", "poss", "case", "nummod", "quantmod", "nmod", "punct"}
_CLOSERS = {".", "!", "?", '"', "”", "’", "'", ")"}
# Negation on a verb's complement negates the clause only through these (aspect/raising) links;
# "ordered not to keep records" asserts an order, it does not deny one.
_NEGATION_BLOCKERS = frozenset({"order", "ask", "urge", "tell", "advise", "warn", "instruct", "force", "allow",
                                "persuade", "encourage", "press", "call", "appeal", "request", "agree", "promise"})
# Nouns that hold a reported proposition: "denied claims that troops fired" denies the clause.
_CLAIM_NOUNS = frozenset({"claim", "report", "accusation", "allegation", "suggestion", "charge", "rumor", "rumour", "assertion"})
_WH_WORDS = frozenset({"whether", "if", "how", "what", "who", "whom", "whose", "which", "when", "where", "why"})
# Belief verbs frame a clause ("analysts believe X") but without one ("they fear reprisals") are no statement.
_BELIEF_VERBS = frozenset({"believe", "think", "fear", "suspect", "hope", "expect"})
_NOMINAL_NEGATORS = frozenset({"refusal", "failure", "reluctance"})


@dataclass(frozen=True)
class _Ctx:
    """What every clause of one article needs: entity lookup and where the dateline ends."""

    entity_at: object
    floor: int = 0  # character offset where the body starts after a dateline ("MANILA, Philippines —")


@dataclass
class _Frame:
    """What a framing speech verb passes down to the clauses it reports."""

    attribution: Attribution | None = None
    negate: bool = False
    hedges: list[str] = field(default_factory=list)
    reported: bool = False
    outer: "_Frame | None" = None  # the frame around the speech verb, for a mis-hung coordinated speech verb


def find_claims(doc, article: Article, entities, quantities) -> list[Claim]:
    """Return the claims of `article` (parsed as `doc`), in text order, with exact spans."""
    mentions = [(m.start, m.end, e.id) for e in entities for m in e.mentions if m.article in (article.id, "", None)]

    # a surname the tagger missed ("Lund states ...") still names the one person it is the last word of
    surnames: dict[str, str | None] = {}
    for e in entities:
        if e.type == "person" and " " in e.name:
            last = e.name.split()[-1]
            surnames[last] = e.id if surnames.get(last, e.id) == e.id else None

    def entity_at(start: int, end: int) -> str | None:
        best = None
        for m_start, m_end, eid in mentions:
            if m_start < end and start < m_end:
                if best is None or m_end - m_start > best[0]:
                    best = (m_end - m_start, eid)
        if best is None:
            return surnames.get(article.text[start:end])
        return best[1]

    # A dateline says where the report was filed: never a subject, a source or part of a claim.
    ctx = _Ctx(entity_at=entity_at, floor=parse_dateline(article.text, article.published)[2])
    claims: list[Claim] = []
    seen: set[tuple[int, int]] = set()
    # Heads and labels read once: a `Token` is built anew on every access, and each sentence is walked thrice.
    # (HEAD comes as unsigned offsets to the head: the cast to int64 gives the negative ones back.)
    head_of = (doc.to_array(HEAD).astype("int64") + numpy.arange(len(doc))).tolist()
    dep_of = doc.to_array(DEP).tolist()  # label string hashes
    relcl, acl = doc.vocab.strings["relcl"], doc.vocab.strings["acl"]
    toks = _Tokens(doc)
    for sent in (piece for s in doc.sents for piece in _pieces(s, ctx.floor, toks)):
        if _skip_sentence(sent, toks):
            continue
        found: list[tuple] = []
        lo, hi = sent.start, sent.end
        for i in range(lo, hi):
            if head_of[i] == i or not (lo <= head_of[i] < hi):
                _visit(doc[i], _Frame(), found, ctx, depth=0)
        frames = {head.i: frame for head, frame, _ in found}
        for tok in (doc[i] for i in range(lo, hi) if dep_of[i] == relcl):
            if _is_clause_verb(tok) and tok.i not in frames and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
                # "Police, who detained two protesters, said ...": the relative clause asserts an event too
                frame = next((frames[a.i] for a in tok.ancestors if a.i in frames), _Frame())
                before = len(found)
                _visit(tok, frame, found, ctx, depth=1)
                # only the relative clause's own event: what a relative speech verb reports
                # ("who said he worked there") is the speaker's background, not the report's claim
                found[before:] = [(h, f, "relcl") for h, f, _ in found[before:] if h.i == tok.i and _relcl_event(h)]
        for tok in (doc[i] for i in range(lo, hi) if dep_of[i] == acl):
            if tok.head.lemma_.lower() in _NOMINAL_EVENT_NOUNS and tok.pos_ == "VERB":
                # a nominal event inside a reported clause ("There was no order to fire", he said) shares its frame
                frame = next((frames[a.i] for a in tok.ancestors if a.i in frames), _Frame())
                found.append((tok, frame, "nominal"))
        heads = {item[0].i for item in found}
        for head, frame, how in found:
            start, end = _span(sent, head, heads, len(found) == 1, how)
            if end <= start or (start, end) in seen:
                continue
            seen.add((start, end))
            claims.append(_claim(doc, article, sent, head, frame, how, start, end, ctx, quantities))
    claims.sort(key=lambda c: (c.start, c.end))
    return attribute_quotes(article.text, claims)


class _Tokens:
    """What the sentence filters read of every token, read once per document (a `Token` is built
    anew on each access, and each sentence used to be walked three times)."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.text: list[str] = []
        self.text_ws: list[str] = []
        self.idx: list[int] = []
        self.alpha: list[bool] = []
        self.space: list[bool] = []
        self.tag: list[str] = []
        for t in doc:
            self.text.append(t.text)
            self.text_ws.append(t.text_with_ws)
            self.idx.append(t.idx)
            self.alpha.append(t.is_alpha)
            self.space.append(t.is_space)
            self.tag.append(t.tag_)


def _pieces(sent, floor: int, toks: _Tokens):
    """Split a parser sentence at blank lines and bullets: a heading glued to the next paragraph
    ("Story Snapshot\\n\\n  • Exiled ...") is a separate unit, never part of a claim. Tokens of
    a dateline (before `floor`) are dropped."""
    start, end = sent.start, sent.end
    if sent.start_char < floor:
        body = [i for i in range(start, end) if toks.idx[i] >= floor]
        if not body:
            return []
        start = body[0]
    cuts = [start]
    text, space = toks.text, toks.space
    for i in range(start, end):
        if (space[i] and text[i].count("\n") >= 2) or (text[i] in _BULLETS and i > start and "\n" in toks.text_ws[i - 1]):
            cuts.append(i + (1 if space[i] else 0))
    cuts.append(end)
    doc = toks.doc
    return [doc[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def _skip_sentence(sent, toks: _Tokens) -> bool:
    span = range(sent.start, sent.end)
    words = [toks.text[i] for i in span if toks.alpha[i]]
    if len(words) < 3:
        return True
    text = sent.text.strip()
    if text.endswith("?"):
        return True
    tags = toks.tag
    if not any(tags[i] in _FINITE_TAGS or (tags[i] == "VB" and any(c.dep_ == "aux" for c in toks.doc[i].children))
               for i in span):
        return True
    ends = text.rstrip("\"'”’)]").endswith((".", "!", ":", ";"))
    capitalised = sum(1 for w in words if w[:1].isupper()) / len(words)
    return not ends and capitalised >= 0.6  # a heading: "Exiled Loyalists Plot Uprisings from Russia"


def _is_clause_verb(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.tag_ not in ("TO",)


def _reported_clauses(verb):
    """Clauses a speech verb reports. An indirect question ("has not said how many ...") asserts
    nothing, so it is not one; "denied claims that X" reports X; "was quoted as saying X" reports X."""
    found = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and _is_clause_verb(c) and not _beyond_semicolon(c, verb)]
    if verb.lemma_.lower() in lexicon()["denial_verbs"]:
        for obj in (c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in _CLAIM_NOUNS):
            found.extend(c for c in obj.children if c.dep_ in ("acl", "ccomp") and _is_clause_verb(c)
                         and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children))
    return [c for c in found if not _indirect_question(c)]


def _beyond_semicolon(clause, verb) -> bool:
    """A clause the parser hung on a later speech verb across a semicolon is a sentence of its
    own ("X has not confirmed it; the union says ..."), not reported by that verb."""
    if clause.i > verb.i:
        return False
    doc = verb.doc
    return any(doc[i].text == ";" for i in range(clause.right_edge.i + 1, verb.i))


def _independent_clauses(verb):
    """Clause children of a speech verb that it does not report (see _beyond_semicolon)."""
    return [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and _is_clause_verb(c) and _beyond_semicolon(c, verb)]


def _quoted_as_saying(verb):
    """The speech verb of "X was quoted as saying ...", whose clauses X is reported to have said."""
    if verb.lemma_.lower() != "quote":
        return None
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"):
        inner = next((c for c in prep.children if c.dep_ == "pcomp" and c.lemma_.lower() in lexicon()["speech_verbs"]), None)
        if inner is not None:
            return inner
    return None


def _indirect_question(clause) -> bool:
    first = clause.left_edge
    if first.lower_ in _WH_WORDS and first.i < clause.i:
        return True
    return any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in clause.children)


def _parenthetical_source(tok, ctx):
    """The speaker of a parenthetical "..., Mayor X said, ..." hung on the clause as parataxis."""
    lex = lexicon()
    for child in tok.children:
        if child.dep_ in ("parataxis", "advcl") and child.lemma_.lower() in lex["speech_verbs"] and not _reported_clauses(child):
            who = next((c for c in child.children if c.dep_ == "nsubj"), None)
            if who is not None and child.i > tok.i:
                return child, attr.classify(who, ctx.entity_at, ctx.floor)
    return None, None


def _visit(tok, frame: _Frame, found: list, ctx, depth: int) -> None:
    """Collect clause heads under `tok`, passing speech frames down to reported clauses."""
    if depth > 8:
        return
    lex = lexicon()
    quoted = _quoted_as_saying(tok)
    speech = quoted if quoted is not None else tok
    speech_lemma = speech.lemma_.lower()
    reported = _reported_clauses(speech) if speech_lemma in lex["speech_verbs"] | lex["denial_verbs"] else []
    if reported and _is_clause_verb(tok):
        misparsed = _coordinated_frame(tok)
        who = _undateline(attr.speaker(misparsed or tok) if quoted is None else _passive_subject(tok), ctx.floor)
        if misparsed is not None and frame.outer is not None:
            frame = frame.outer
        if who is not None:
            source = attr.classify(who, ctx.entity_at, ctx.floor)
        else:
            source = attr.reported_cue(tok) or Attribution(kind="report")
        # a nested frame ("he said he believed", "I was told that") keeps the outer speaker
        if frame.attribution is not None and (who is None or who.pos_ == "PRON" or source.kind == "none"):
            source = frame.attribution
        denial = speech_lemma in lex["denial_verbs"]
        # "denied that X": X negated; "did not deny that X": not; "would not confirm that X":
        # X is left unconfirmed (hedged), not denied
        negate = frame.negate ^ (denial and not _has_neg(tok))
        hedges = frame.hedges + find_hedges(tok, [])
        if _has_neg(tok) and not denial:
            hedges.append(f"not {speech.lower_}")
        if quoted is not None:
            hedges.append("quoted as saying")
        elif speech_lemma in HEDGE_FRAME_VERBS:
            hedges.append(speech.lower_)
        inner = _Frame(attribution=source, negate=negate, hedges=hedges, reported=True, outer=frame)
        for clause in reported:
            _visit(clause, inner, found, ctx, depth + 1)
        for clause in _independent_clauses(speech):
            _visit(clause, frame, found, ctx, depth + 1)
    elif _is_clause_verb(tok) or tok.dep_ == "ROOT":
        if frame.attribution is None:
            aside, source = _parenthetical_source(tok, ctx)
            if aside is not None:
                frame = _Frame(attribution=source, hedges=find_hedges(aside, []), reported=True)
        found.append((tok, frame, "clause"))
    for child in tok.children:
        if child.dep_ == "conj" and _is_clause_verb(child):
            if not any(c.dep_ not in ("punct", "cc") for c in child.children):
                continue  # "killed or injured", "removed and recut": one event phrase, not a clause of its own
            _visit(child, frame, found, ctx, depth + 1)
        elif child.dep_ == "advcl" and child.lemma_.lower() in lex["speech_verbs"] and _reported_clauses(child):
            _visit(child, frame, found, ctx, depth + 1)  # "..., asserting that X"


def _coordinated_frame(verb):
    """The speech verb a subjectless speech verb is really coordinated with, when the parser hung
    it on the reported clause ("X denied that talks had collapsed and said talks would resume":
    "said" is X's, not part of what X denied)."""
    if verb.dep_ != "conj" or _own_subject(verb) or verb.head.dep_ != "ccomp":
        return None
    frame = verb.head.head
    lex = lexicon()
    if frame.lemma_.lower() in lex["speech_verbs"] | lex["denial_verbs"] and frame.i < verb.head.i:
        return frame
    return None


def _passive_subject(verb):
    return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)


def _undateline(tok, floor: int):
    """`tok`, or the phrase the parser hung on a dateline word ("MANILA, Philippines — A former
    officer told ..." parses MANILA as subject and the officer as its apposition)."""
    if tok is None or tok.idx >= floor:
        return tok
    later = [t for t in tok.subtree if t.idx >= floor and t.pos_ in ("NOUN", "PROPN", "PRON") and t.head.idx < floor]
    return later[0] if later else None


def _has_neg(tok) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _span(sent, head, heads: set[int], whole_sentence: bool, how: str) -> tuple[int, int]:
    """Character span of the claim: the sentence, or the clause minus the other claims' clauses."""
    if how == "relcl":
        # the noun the clause describes, then the clause: "a man who had attacked a guard"
        noun = head.head
        toks = [t for t in sent.doc[noun.left_edge.i : head.right_edge.i + 1] if t.i >= noun.left_edge.i]
    elif whole_sentence and how != "nominal":
        toks = list(sent)
    elif how == "nominal":
        noun = head.head
        toks = list(noun.subtree)
    else:
        excluded: set[int] = set()
        for child in head.children:
            if child.i in heads or (child.dep_ == "conj" and _is_clause_verb(child) and any(h in heads for h in (t.i for t in child.subtree))):
                excluded.update(t.i for t in child.subtree)
            elif child.dep_ == "cc" and any(c.dep_ == "conj" and c.i in heads for c in head.children):
                excluded.add(child.i)
        toks = [t for t in head.subtree if t.i not in excluded]
    toks = [t for t in toks if not t.is_space and sent.start <= t.i < sent.end]
    if not whole_sentence and toks:
        # only the run of kept tokens around the head: a sentence-final period hung on the head
        # must not stretch the span over a conjunct that was cut out
        kept = {t.i for t in toks}
        doc = sent.doc
        lo = hi = head.i if head.i in kept else toks[0].i
        while lo - 1 >= sent.start and (lo - 1 in kept or doc[lo - 1].is_space):
            lo -= 1
        while hi + 1 < sent.end and (hi + 1 in kept or doc[hi + 1].is_space):
            hi += 1
        toks = [t for t in toks if lo <= t.i <= hi]
    lead_deps = ("cc", "mark") if not whole_sentence or how == "nominal" else ()
    while toks and (toks[0].is_punct or toks[0].dep_ in lead_deps or toks[0].text in _BULLETS):
        toks = toks[1:]
    while toks and (toks[-1].dep_ == "cc" or (toks[-1].is_punct and toks[-1].text not in _CLOSERS)):
        toks = toks[:-1]
    if not toks:
        return 0, 0
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return start, end


def _claim(doc, article, sent, head, frame: _Frame, how, start, end, ctx, quantities) -> Claim:
    lex = lexicon()
    entity_at = ctx.entity_at
    clause = list(doc.char_span(start, end, alignment_mode="expand") or [])
    verbs = _negation_chain(verb_chain(head))
    negated = any(_has_neg(v) for v in verbs)
    event = event_for(head, reported=frame.reported)
    for v in verbs:
        v_lemma = v.lemma_.lower()
        if v_lemma in lex["negating_verbs"] or v_lemma in lex["denial_verbs"]:
            inner = complement(v)
            target = event_for(inner) if inner is not None else None
            if (target is None or target.predicate == "STATEMENT") and v_lemma not in lex["denial_verbs"]:
                # "withholds support": the negated event is the object noun's ("denied the
                # accusation" is not a negated accusation, so denials look at a verb only)
                obj = next((c for c in v.children if c.dep_ == "dobj"), None)
                kind = noun_event(obj) if obj is not None else None
                target = Event(kind, PLOVER_FALLBACK.get(kind, kind)) if kind and kind != "STATEMENT" else None
            if target is not None and target.predicate != "STATEMENT":
                event, negated = target, not negated
            break
    predicate = event.predicate
    if how == "nominal" and head.head.lemma_.lower() in _NOMINAL_NEGATORS:
        negated = not negated  # "the army's refusal to accept"
    if how == "nominal" and any(c.dep_ == "det" and c.lower_ == "no" for c in head.head.children):
        negated = not negated  # "no order to fire"
    if not negated:
        negated = any(c.dep_ == "det" and c.lower_ == "no" for v in verbs for o in v.children if o.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") for c in o.children)
        negated = negated or any(c.lower_ in ("never",) and c.dep_ in ("neg", "advmod") for v in verbs for c in v.children)
    negated = negated ^ frame.negate

    hedges = list(dict.fromkeys(frame.hedges + find_hedges(head, clause) + _shared_hedges(head)))
    attribution = frame.attribution
    if attribution is None:
        for verb in _coordination(head):
            attribution = attr.according_to(verb, entity_at, ctx.floor) or _leading_report_cue(verb, head)
            if attribution is not None:
                break
    if attribution is None and (head.lemma_.lower() in lex["speech_verbs"] - _BELIEF_VERBS or _is_denial(head)):
        # a speech act with no reported clause ("has not commented", "denied doing so") is the
        # speaker's own claim
        who = _undateline(attr.speaker(head), ctx.floor)
        if who is not None:
            attribution = attr.classify(who, entity_at, ctx.floor)
    if attribution is None:
        attribution = Attribution()
    if attribution.kind == "report" and not hedges:
        hedges = ["reported"]

    subj_tok = _subject(head) if how != "nominal" else next((c for c in head.head.children if c.dep_ == "poss"), None)
    obj_tok = _object(head)
    # a heading glued to the sentence by the parser, or a dateline, can hold the "subject": only words of this sentence count
    if subj_tok is not None and (not sent.start <= subj_tok.i < sent.end or subj_tok.idx < ctx.floor):
        subj_tok = _undateline(subj_tok, ctx.floor) if subj_tok.idx < ctx.floor and sent.start <= subj_tok.i else None
        subj_tok = subj_tok if subj_tok is not None and sent.start <= subj_tok.i < sent.end else _fallback_subject(sent, head)
    obj_tok = obj_tok if obj_tok is not None and sent.start <= obj_tok.i < sent.end else None
    return Claim(
        id=stable_id("c", article.id, start, end),
        article=article.id,
        text=article.text[start:end],
        start=start,
        end=end,
        predicate=predicate,
        subject=_phrase_or_entity(subj_tok, entity_at),
        object=_phrase_or_entity(obj_tok, entity_at),
        quantities=[q.id for q in quantities if q.start >= start and q.end <= end],
        attribution=attribution,
        hedged=bool(hedges),
        negated=negated,
        hedges=hedges,
        plover=event.plover,
        event_mode=event.mode or None,
        event_context=event.context or None,
    )


def _relcl_event(verb) -> bool:
    """Whether a relative clause asserts an event worth a claim ("who detained two protesters"),
    not a description ("who is a teacher") or a source's anonymity ("who asked not to be named")."""
    if attr.ANONYMITY.search(verb.doc[verb.left_edge.i : verb.right_edge.i + 1].text):
        return False
    return event_for(verb).predicate != "STATEMENT"


def _negation_chain(chain):
    """The verbs of `chain` whose negation negates the clause: the chain stops after a verb that
    governs its complement as an order or request ("ordered not to keep" is not negated)."""
    kept = []
    for verb in chain:
        kept.append(verb)
        if verb.lemma_.lower() in _NEGATION_BLOCKERS:
            break
    return kept


def _is_denial(verb) -> bool:
    """A denial the subject makes: "deny", or "reject/dispute" of a claim ("rejected the accusation")."""
    lemma = verb.lemma_.lower()
    if lemma == "deny":
        return True
    return lemma in lexicon()["denial_verbs"] and any(c.dep_ == "dobj" and c.lemma_.lower() in _CLAIM_NOUNS | {"account", "allegation", "idea"} for c in verb.children)


def _coordination(head):
    """`head` and the verbs coordinated with it: an "according to" or "reportedly" on one of
    them covers the whole coordination ("X allegedly forced ..., smashed ... and escaped")."""
    first = head
    while first.dep_ == "conj" and first.head.i != first.i and _is_clause_verb(first.head):
        first = first.head
    if head.i != first.i and _own_subject(head):
        return [head]  # "Police reportedly ..., and no arrests have been made": a new subject, a new clause
    verbs = [first] + [t for t in first.subtree if t.dep_ == "conj" and _is_clause_verb(t) and t.head.i != t.i and not _own_subject(t)]
    return [head] + [v for v in verbs if v.i != head.i]


def _own_subject(verb) -> bool:
    return any(c.dep_ in _SUBJ_DEPS for c in verb.children)


def _leading_report_cue(verb, head):
    """"reportedly" on `verb` counts for `head` when it is `head` itself or stands before the
    first verb of the coordination (so it scopes over all of it)."""
    cue = attr.reported_cue(verb)
    if cue is None or verb.i == head.i:
        return cue
    adverb = next((c for c in verb.children if c.dep_ == "advmod" and c.lower_ in ("reportedly", "allegedly")), None)
    return cue if adverb is not None and adverb.i < verb.i < head.i else None


def _shared_hedges(head):
    """Hedge adverbs before the first verb of a coordination scope over its later conjuncts too."""
    if head.dep_ != "conj":
        return []
    first = head
    while first.dep_ == "conj" and _is_clause_verb(first.head):
        first = first.head
    if first.i == head.i or _own_subject(head):
        return []
    return [c.lower_ for c in first.children if c.dep_ == "advmod" and c.i < first.i and c.lower_ in HEDGE_ADVERBS]


def _subject(head):
    tok = head
    for _ in range(5):
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
        subj = next((c for c in tok.children if c.dep_ in _SUBJ_DEPS), None)
        if subj is not None:
            if subj.dep_ == "expl":
                return None
            if subj.tag_ == "WDT" or subj.lower_ in ("who", "which", "that"):
                return tok.head if tok.dep_ == "relcl" else None
            return subj
        if tok.dep_ in ("conj", "xcomp", "advcl", "acl") and tok.head.i != tok.i:
            tok = tok.head
            if tok.pos_ in ("NOUN", "PROPN"):
                return next((c for c in tok.children if c.dep_ == "poss"), tok)
            continue
        return None
    return None


def _fallback_subject(sent, head):
    """The subject noun before the verb when the parser attached it to a glued heading."""
    blocked = {"prep", "pcomp", "advcl", "relcl", "acl", "dobj", "pobj", "appos", "conj", "npadvmod", "attr"}
    best = None
    for tok in sent.doc[sent.start : head.i]:
        if tok.pos_ not in ("NOUN", "PROPN", "PRON") or tok.dep_ in blocked | {"compound", "poss", "amod"}:
            continue
        anc = [a for a in tok.ancestors if sent.start <= a.i < sent.end and a.i != head.i]
        if any(a.dep_ in blocked for a in anc):
            continue
        best = tok
    return best


def _object(head):
    for verb in reversed(verb_chain(head)):
        for dep in ("dobj", "attr", "oprd", "acomp"):
            obj = next((c for c in verb.children if c.dep_ == dep), None)
            if obj is not None:
                return obj
        if verb.tag_ == "VBN" and any(c.dep_ == "agent" for c in verb.children):
            subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if subj is not None:
                return subj
        prep = next((c for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ not in ("according",)), None)
        if prep is not None:
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


_PARTITIVE_NOUNS = frozenset({"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "score", "scores",
                              "number", "some", "many", "most", "all", "several", "few", "million", "millions", "group"})


def _partitive(tok):
    """The noun a quantity word counts ("dozens of protesters" -> protesters), else the word itself."""
    if tok.lemma_.lower() in _PARTITIVE_NOUNS or tok.lower_ in _PARTITIVE_NOUNS or tok.pos_ == "NUM":
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is not None:
            return pobj
    return tok


def _phrase_or_entity(tok, entity_at) -> str | None:
    """Entity id when the noun phrase overlaps a known mention, else a short phrase as written."""
    if tok is None:
        return None
    tok = _partitive(tok)
    doc = tok.doc
    left = tok.i
    while left - 1 >= tok.left_edge.i and doc[left - 1].dep_ in _NP_LEFT_DEPS and (not doc[left - 1].is_punct or doc[left - 1].text == "-"):
        left -= 1
    right = tok.i
    # keep "of X" for short heads ("members of Syria's former regime")
    span = doc[left : right + 1]
    eid = entity_at(tok.idx, tok.idx + len(tok.text)) or entity_at(span.start_char, span.end_char)
    if eid:
        return eid
    text = span.text.strip()
    return text or None
