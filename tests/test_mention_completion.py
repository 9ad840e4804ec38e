"""Repeat mentions extraction missed are added to the report's own entities before linking."""
from __future__ import annotations

from wirewatch.model import Article, ArticleAnalysis, Entity, Mention
from wirewatch.resolve.linking import normalize_name
from wirewatch.resolve.mention_completion import complete_mentions, entity_forms, known_name_spans
from wirewatch.store import open_store


def _analysis(aid: str, text: str, names: list[tuple[str, str]]) -> ArticleAnalysis:
    entities = []
    for i, (name, etype) in enumerate(names):
        start = text.index(name)
        entities.append(Entity(id=f"{aid}-L{i}", name=name, type=etype,
                               mentions=[Mention(article=aid, start=start, end=start + len(name), text=name)]))
    return ArticleAnalysis(article=Article(id=aid, title=aid, text=text), entities=entities)


def test_forms_are_the_names_surname_and_team_head_word():
    team = Entity(id="x", name="the Lakeside Herons", type="organization")
    person = Entity(id="y", name="Dr. Orla Venn's", type="person")
    assert entity_forms(team) == {"Lakeside Herons", "Herons"}
    assert "Venn" in entity_forms(person)
    assert entity_forms(Entity(id="z", name="Bank of Tarvo", type="organization")) == {"Bank of Tarvo"}


def test_repeat_mentions_in_the_same_report_are_added_and_capitals_count():
    text = "HERONS WIN AGAIN\nThe Lakeside Herons beat Port Alder. Coach Orla Venn said the Herons earned it. Venn smiled."
    analysis = _analysis("a1", text, [("Lakeside Herons", "organization"), ("Orla Venn", "person")])
    added = complete_mentions(analysis)
    team, coach = analysis.entities
    assert {m.text for m in team.mentions} == {"Lakeside Herons", "Herons", "HERONS"}
    assert [m.text for m in coach.mentions] == ["Orla Venn", "Venn"]
    assert added == 3
    for m in team.mentions + coach.mentions:
        assert text[m.start:m.end] == m.text


def test_a_form_two_entities_share_is_not_guessed():
    text = "Orla Venn and Ivo Venn arrived. Venn spoke first."
    analysis = _analysis("a1", text, [("Orla Venn", "person"), ("Ivo Venn", "person")])
    assert complete_mentions(analysis) == 0


def test_known_name_spans_find_a_name_the_store_knows_but_extraction_missed():
    with open_store(":memory:") as store:
        store.upsert_entity(Entity(id="E1", name="Lakeside Herons", type="organization"))
        store.add_entity_keys("E1", ["n:org:lakeside herons", "x:herons"])
        store.set_state("entity:E1", {"name": "Lakeside Herons", "family": "org", "types": {"organization": 3}})
        text = "Fans of the Herons gathered downtown. Herons supporters sang. Nobody from Tarvo came."
        analysis = _analysis("a2", text, [])
        assert known_name_spans(analysis, store, normalize_name) == 1
        (entity,) = analysis.entities
        assert entity.type == "organization"
        # The sentence-opening "Herons" is skipped; the one inside the sentence is taken.
        assert [(m.text, m.start) for m in entity.mentions] == [("Herons", text.index("Herons"))]


def test_occurrences_match_one_regex_alternation_of_the_forms():
    import random
    import re

    from wirewatch.resolve.mention_completion import _occurrences

    rnd = random.Random(5)
    pieces = ["San Diego", "San Diego Chargers", "Chargers", "U.S.", "U.S. Navy", "Navy", "Anti-Navy", "Navy-led",
              "navy", "Diego", "  ", ", ", "-", "\n", "é", "_", "the ", "Chargers'", "SAN DIEGO"]
    forms = sorted({"San Diego Chargers", "San Diego", "Chargers", "U.S. Navy", "U.S.", "Navy", "SAN DIEGO",
                    "Diego"}, key=len, reverse=True)
    pattern = "|".join(re.escape(f) for f in forms)
    for _ in range(300):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 25)))
        want = [(m.start(), m.end(), m.group()) for m in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", text)]
        assert _occurrences(text, forms) == want, text
