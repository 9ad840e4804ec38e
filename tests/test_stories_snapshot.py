"""Snapshot ranking: full declarative sentences with the story's figures first; quotes, fragments, repeats down."""
from __future__ import annotations

from wirewatch.stories import build_story
from wirewatch.stories.snapshot import quality
from tests.test_stories_core import _analysis

LEAD = "A storm flattened 40 homes in the village of Kessby on Monday night, county officials said."
QUOTE = '"I heard the roar," said Mila Tranh, who sheltered in her cellar.'
ROOF = "The storm tore the roof off the Kessby primary school, the county said on Tuesday."
ROOF2 = "The storm tore the roof off the Kessby primary school, county officials said on Tuesday."


def _story():
    a = _analysis("k1", "Storm flattens 40 homes in Kessby", f"{LEAD} {QUOTE} {ROOF}", "Fen Courier", "2026-06-02",
                  claims=[(LEAD, "DAMAGE", {"quantities": ["k1-q0"]}), ("I heard the roar", "STATEMENT", {}),
                          (ROOF, "DAMAGE", {})],
                  quantities=[("40 homes", 40, {"counted": "homes"})])
    b = _analysis("k2", "Kessby counts the cost", f"Residents of Kessby swept up glass on Tuesday. {QUOTE} {ROOF2}",
                  "Marsh Times", "2026-06-03",
                  claims=[("I heard the roar", "STATEMENT", {}), (ROOF2, "DAMAGE", {})])
    return build_story("s", [a, b])


def test_quality_prefers_full_sentences_with_figures_over_quotes_and_fragments():
    story = _story()
    first_person = next(bl for bl in story.snapshot if "I heard the roar" in bl.text)
    texts = [bl.text for bl in story.snapshot]
    # The quote is carried by both outlets, the lead by one: the lead sentence with its figure still wins.
    assert texts.index(LEAD) < texts.index(first_person.text)
    assert story.snapshot[0] is not first_person
    assert first_person.articles == ["k1", "k2"]  # demoted, never stripped of its support


def test_fragment_claims_are_shown_as_their_sentence():
    story = _story()
    quote = next(bl for bl in story.snapshot if "I heard the roar" in bl.text)
    assert quote.text == QUOTE  # the four-word clause widened to the sentence that says who spoke


def test_near_duplicate_bullets_are_collapsed():
    story = _story()
    roofs = [bl for bl in story.snapshot if "tore the roof" in bl.text]
    assert len(roofs) == 1
    assert set(roofs[0].articles) == {"k1", "k2"}
    assert 1 <= len(story.snapshot) <= 7
    assert all(bl.articles and bl.claims for bl in story.snapshot)


def test_quality_factors():
    from wirewatch.model import Claim

    def claim(start=500, quantities=()):
        return Claim(id="c", article="a", text="x", start=start, end=start + 1, predicate="STATEMENT",
                     quantities=list(quantities))

    declarative = quality("The county closed three roads near the river on Monday.", claim(), set())
    assert quality("We lost everything we had in the flood on Monday.", claim(), set()) < declarative
    assert quality("closed three roads", claim(), set()) < declarative
    assert quality("The county closed three roads near the river on Monday.", claim(quantities=["q"]), set(),
                   {"q"}) > declarative
    assert quality("The county closed three roads near the river on Monday.", claim(start=0), set()) > declarative


def test_sentence_around_agrees_with_a_scan_of_the_text_before_it():
    import random

    from wirewatch.stories.snapshot import _SENTENCE_END, sentence_around

    def scanned_start(text, start):  # the sentence start as a scan of everything before `start` finds it
        return max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)

    rnd = random.Random(11)
    pieces = ["word", " ", "  ", ".", "!", "?", '"', "'", "\u201d", ")", "\n", "\n\n", "Mr", "3.5"]
    for _ in range(400):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        for start in range(len(text) + 1):
            end = min(len(text), start + rnd.randint(0, 4))
            assert sentence_around(text, start, end)[0] == scanned_start(text, start), (text, start, end)
