"""Headline-versus-body check: does the headline claim more, or more loudly, than the body?

Two kinds of evidence are combined:

* style, from the headline alone: a clickbait score (a logistic regression over TF-IDF word 1-2
  grams, trained by scripts/train_clickbait.py on Chakraborty et al. 2016 and shipped as JSON so
  no scikit-learn is needed at run time), shouted words, exclamation marks, clickbait phrases and
  a short list of loaded words;
* support, from the body's claims: a headline that states flatly what the body only hedges
  ("reportedly", "allegedly"), and a headline number the body never gives.

Every signal is a plain-words reason a reader can check; see `check_headline` for how they make a
headline `sensational`.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as importlib_resources

from wirewatch.errors import ResourceError
from wirewatch.model import Article, Claim, Headline

__all__ = ["ClickbaitModel", "check_headline", "headline_features"]

MODEL_RESOURCE = "data/clickbait.json"

# --- features (shared verbatim with scripts/train_clickbait.py) --------------------------------

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[?!]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def _normalize(text: str) -> str:
    # Case is folded: the training headlines are title or lower case, and shouting is judged
    # separately, so an ALL-CAPS headline is scored on its words alone.
    return unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()


def headline_features(headline: str) -> list[str]:
    """Return the features the clickbait model counts: words (numbers folded to <num>) and word
    bigrams, with start/end markers so "<s> <num>" catches listicles ("17 things ...")."""
    words = ["<num>" if w[0].isdigit() else w for w in _WORD.findall(_normalize(headline))]
    return words + [f"{a} {b}" for a, b in zip(["<s>", *words], [*words, "</s>"])]


@dataclass
class ClickbaitModel:
    """A TF-IDF + logistic-regression clickbait classifier, evaluated in pure Python.

    `weights` maps a feature to (idf, coefficient). Scoring mirrors scikit-learn's
    `TfidfVectorizer(sublinear_tf=...)` followed by L2 normalisation and `predict_proba`.
    """

    weights: dict[str, tuple[float, float]]
    intercept: float
    sublinear_tf: bool = True
    meta: dict | None = None

    @classmethod
    def load(cls) -> "ClickbaitModel":
        """Read the model shipped as package data (wirewatch/extract/data/clickbait.json)."""
        try:
            raw = importlib_resources.files("wirewatch.extract").joinpath(MODEL_RESOURCE).read_text("utf-8")
        except (FileNotFoundError, ModuleNotFoundError) as exc:
            raise ResourceError(
                f"clickbait model {MODEL_RESOURCE} is missing from wirewatch.extract; "
                "reinstall wirewatch or run scripts/train_clickbait.py"
            ) from exc
        return cls.from_dict(json.loads(raw))

    @classmethod
    def from_dict(cls, data: dict) -> "ClickbaitModel":
        """Build a model from the exported JSON document."""
        weights = {f: (float(w[0]), float(w[1])) for f, w in zip(data["features"], data["weights"])}
        return cls(weights=weights, intercept=float(data["intercept"]),
                   sublinear_tf=bool(data.get("sublinear_tf", True)), meta=data.get("meta"))

    def score(self, headline: str) -> float:
        """Return the probability (0..1) that the headline's wording reads as clickbait."""
        counts = Counter(f for f in headline_features(headline) if f in self.weights)
        values = {}
        for feature, count in counts.items():
            tf = 1.0 + math.log(count) if self.sublinear_tf else float(count)
            values[feature] = tf * self.weights[feature][0]
        norm = math.sqrt(sum(v * v for v in values.values()))
        logit = self.intercept
        if norm > 0:
            logit += sum(v / norm * self.weights[f][1] for f, v in values.items())
        # Numerically safe logistic.
        if logit >= 0:
            return 1.0 / (1.0 + math.exp(-logit))
        z = math.exp(logit)
        return z / (1.0 + z)


# --- style signals ----------------------------------------------------------------------------

# Capitalised words that are names, not shouting. Words that the body also writes in capitals
# are skipped too, so an outlet's own acronyms (e.g. a militia's initials) need not be listed.
KNOWN_ACRONYMS = frozenset("""
    NATO OPEC ASEAN NASA UNICEF UNESCO UNHCR UNRWA FIFA UEFA COVID AIDS SARS MERS IAEA OSCE ECOWAS
    MERCOSUR BRICS INTERPOL EUROPOL FRONTEX ICANN OECD USAID NAACP NASCAR NCAA DARPA HAMAS SWAT
    LGBT LGBTQ IPCC WIPO CERN SWIFT HTML JSON NYSE NASDAQ FTSE DAX NIKKEI
""".split())
_CAPS_WORD = re.compile(r"\b[A-Z][A-Z'\u2019\-]*[A-Z]\b")
_ROMAN = re.compile(r"^[IVXLCDM]+$")

# Clickbait phrasings that promise a reaction rather than report an event.
CLICKBAIT_PHRASES = (
    r"you won'?t believe", r"you'?ll never guess", r"\bshocking\b", r"here'?s why", r"here is why",
    r"this is why", r"what happens next", r"will blow your mind", r"mind[- ]blowing",
    r"jaw[- ]dropping", r"everything you need to know", r"you need to (?:know|see)",
    r"goes viral", r"breaks the internet", r"\bmust[- ]see\b", r"one weird trick",
    r"will leave you", r"the reason why", r"can'?t stop (?:laughing|watching)",
)
_CLICKBAIT = re.compile("|".join(f"(?:{p})" for p in CLICKBAIT_PHRASES), re.IGNORECASE)

# Loaded words: nearly always figurative and emotive in a news headline. Deliberately short.
# Left out on purpose because conflict reporting uses them literally: "destroys", "blasts",
# "explosion", "attack". "explosive" counts only when it does not name a device.
LOADED_WORDS = (
    "bombshell", "slams", "slammed", "meltdown", "chaos", "chaotic", "fury", "furious", "outrage",
    "outraged", "humiliates", "humiliated", "humiliating", "obliterates", "eviscerates",
    "destroyed by", "rips into", "stunning", "horrifying",
    "terrifying", "insane", "unbelievable", "epic", "disgraceful", "shameful", "nightmare",
    "firestorm", "explosive",
)
_LOADED = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in LOADED_WORDS) + r")\b"
    r"(?!\s+(?:device|devices|ordnance|material|materials|charge|charges|vest|vests|drone|drones))",
    re.IGNORECASE,
)

# --- support signals --------------------------------------------------------------------------

# A headline carrying one of these already signals doubt or attribution.
_HEADLINE_HEDGE = re.compile(
    r"\b(?:reportedly|report(?:s|ed)?|allegedly|alleged|may|might|could|possibl[ey]|likely|"
    r"suspected|claims?|claimed|says?|said|according|sources?|appears?|apparently|believed|"
    r"feared|expected|accused|accuses|denies|denied|rumou?red|unconfirmed|seen as)\b|\?|[\"\u201c\u201d]",
    re.IGNORECASE,
)
_STOP = frozenset("""
    a an the and or but of in on at to for from by with as into over after before about against
    is are was were be been being has have had do does did will would shall should can this that
    these those it its their his her they them he she we our you your who whom which what when where
    why how not no new says say said amid than then there here up down out off more most all just
""".split())
_CONTENT_WORD = re.compile(r"[a-z][a-z'\-]+")


@lru_cache(maxsize=65536)  # pure; every headline and lead sentence asks for the same words
def _stem(word: str) -> str:
    """A crude suffix stripper so "plotting", "plots" and "plot" meet; no model needed."""
    word = word.replace("'s", "").strip("'-")
    for suffix in ("ations", "ation", "ings", "ing", "ers", "ies", "ied", "es", "ed", "er", "s"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    # "plott" (from "plotting") -> "plot": undo a doubled final consonant.
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def content_stems(text: str) -> set[str]:
    """Return the stems of a text's content words (stop words dropped)."""
    return {_stem(w) for w in _CONTENT_WORD.findall(_normalize(text)) if w not in _STOP and len(w) > 2}


_NUMBER = re.compile(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?![\w.,]?\d)")
_SMALL_NUMBERS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                  "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()


def _number_in_body(number: str, body: str) -> bool:
    plain = number.replace(",", "")
    for found in _NUMBER.findall(body):
        if found.replace(",", "") == plain:
            return True
    if plain.isdigit() and int(plain) < len(_SMALL_NUMBERS):
        return re.search(rf"\b{_SMALL_NUMBERS[int(plain)]}\b", body, re.IGNORECASE) is not None
    return False


def shouted_words(headline: str, body: str) -> list[str]:
    """Return ALL-CAPS words of 4+ letters that are shouting, not acronyms or names.

    A word is not shouting when it is a known acronym, a Roman numeral, written in capitals in
    the body as well (the body's own acronyms: NATO, a militia's initials), or a name the body
    capitalises ("KHARKIV" for "Kharkiv": the emphasis is on the words around it). A headline written
    entirely in capitals is a typographic style, not emphasis, so it yields no shouted words.
    """
    letters = [c for c in headline if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return []
    body_caps = set(_CAPS_WORD.findall(body))
    out = []
    for word in _CAPS_WORD.findall(headline):
        bare = word.replace("\u2019", "'").split("'")[0].strip("-")
        if sum(c.isalpha() for c in bare) < 4 or bare in KNOWN_ACRONYMS or _ROMAN.match(bare):
            continue
        if bare in body_caps or word in body_caps:
            continue
        if re.search(rf"\b{re.escape(bare.title())}\b", body):
            continue
        out.append(word)
    return out


def hedge_mismatch(headline: str, claims: list[Claim]) -> str | None:
    """Return the body's hedge cue when the headline states as fact what the body hedges.

    The claims about the headline's topic are those sharing at least two content-word stems with
    the headline (or its only content word, for a one-word headline) and at most one fewer than
    the best-matching claim, so passing mentions of one topic word don't vote. The signal fires
    when the headline has no hedge or attribution cue of its own, the first such claim in the
    body (the lead on that topic) is doubted, and at least half of those claims are doubted.
    "Doubted" means a hedge cue such as "reportedly", "allegedly" or "may"; attribution alone
    ("according to officials") and approximation ("estimated") do not count, since headlines
    routinely drop them.
    """
    if _HEADLINE_HEDGE.search(headline):
        return None
    topic = content_stems(headline)
    if not topic:
        return None
    scored = [(len(topic & content_stems(c.text)), c) for c in claims]
    best = max((n for n, _ in scored), default=0)
    need = max(min(2, len(topic)), best - 1)
    matching = sorted((c for n, c in scored if n >= need and n > 0), key=lambda c: c.start)
    doubted = [_doubt_cue(c) for c in matching]
    if not matching or not doubted[0]:
        return None
    if sum(bool(d) for d in doubted) * 2 < len(matching):
        return None
    return doubted[0]


# Hedge cues that attribute or approximate rather than doubt: wire headlines drop "according to
# officials" and "an estimated" as a matter of course, so they don't make a flat headline overreach.
_NOT_DOUBT = frozenset({
    "according to", "estimated", "estimate", "estimates", "expected", "expect", "assessed", "assess",
    "considered", "consider", "known", "know", "understood", "understand", "reported", "report",
    "say", "said", "says",
})


def _doubt_cue(claim: Claim) -> str | None:
    """Return the claim's first doubting hedge cue, or None if it is firm or merely attributed."""
    if not claim.hedged:
        return None
    if not claim.hedges:
        return "hedged"  # flagged without a cue: trust the flag
    return next((h for h in claim.hedges if h.strip().lower() not in _NOT_DOUBT), None)


def check_headline(article: Article, claims: list[Claim], model: ClickbaitModel | None) -> Headline:
    """Judge whether the headline claims more, or more loudly, than the body supports.

    Signals (plain-words reasons) come from the headline's style (shouted words, "!", "?!",
    clickbait phrases, loaded words), from the body (a flat headline over hedged claims, a
    headline number the body never gives) and from the clickbait model. The headline is
    `sensational` when it has a shouted word, a loaded word or clickbait phrase, or states as fact
    what the body hedges, or when the clickbait score is >= 0.8 together with any other signal.
    A score alone, an exclamation mark alone or an unmatched number alone is not enough.
    """
    text = (article.title or "").strip()
    if not text:
        return Headline(text="", sensational=False, signals=[], clickbait=None)
    body = article.text or ""
    signals: list[str] = []
    strong = False

    for word in shouted_words(text, body):
        signals.append(f'shouted word "{word}"')
        strong = True
    for match in _CLICKBAIT.finditer(text):
        signals.append(f'clickbait phrase "{match.group(0)}"')
        strong = True
    for match in _LOADED.finditer(text):
        signals.append(f'loaded word "{match.group(0)}"')
        strong = True
    if "?!" in text or "!?" in text:
        signals.append('"?!" in the headline')
    elif "!" in text:
        signals.append("exclamation mark")
    cue = hedge_mismatch(text, claims)
    if cue:
        signals.append(f'headline states as fact what the body hedges ("{cue}")')
        strong = True
    # An empty body (a feed entry with only a title) cannot contradict the headline.
    for number in _NUMBER.findall(text) if body.strip() else ():
        if not _number_in_body(number, body):
            signals.append(f'headline number "{number}" does not appear in the body')

    score = round(model.score(text), 4) if model is not None else None
    if score is not None and score >= 0.8:
        signals.append(f"reads as clickbait (score {score:.2f})")
        if len(signals) > 1:
            strong = True
    return Headline(text=text, sensational=strong, signals=signals, clickbait=score)
