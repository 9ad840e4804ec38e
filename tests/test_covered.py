"""`Covered` answers exactly what the pairwise overlap test answers."""
from __future__ import annotations

import random

from wirewatch.resolve.covered import Covered


def _pairwise(spans, start, end):
    return any(s < end and start < e for s, e in spans)


def test_overlaps_agrees_with_the_pairwise_test():
    rnd = random.Random(2)
    for _ in range(300):
        spans = []
        covered = Covered()
        for _ in range(rnd.randint(0, 8)):
            s = rnd.randint(0, 40)
            span = (s, s + rnd.randint(0, 6))  # empty spans too
            spans.append(span)
            covered.add(*span)
            for _ in range(10):
                q = rnd.randint(0, 50)
                query = (q, q + rnd.randint(0, 6))
                assert covered.overlaps(*query) == _pairwise(spans, *query), (spans, query)


def test_spans_given_at_once_and_beyond_the_mask():
    covered = Covered([(3, 5), (10, 12)])
    assert covered.overlaps(4, 6) and covered.overlaps(0, 4) and not covered.overlaps(5, 10)
    assert not covered.overlaps(12, 100) and covered.overlaps(11, 100)
