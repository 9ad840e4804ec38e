"""The coreference and clustering metrics the ECB+ benchmarks report, checked against hand-computed values."""
from __future__ import annotations

import pytest

from benchmarks.ecb_entities import bcubed, ceafe, conll, is_proper_name, muc

# Gold: {a b c} {d e}; response: {a b} {c d e}. Worked by hand:
# MUC recall = ((3-2) + (2-1)) / ((3-1) + (2-1)) = 2/3; precision = ((2-1) + (3-2)) / ((2-1) + (3-1)) = 2/3.
# B3 precision = (1 + 1 + 1/3 + 2/3 + 2/3) / 5 = 11/15; recall = (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15.
# CEAF-e: best alignment {abc}-{ab} (phi4 = 4/5), {de}-{cde} (4/5): P = R = 8/5 / 2 = 0.8.
GOLD = ["x", "x", "x", "y", "y"]
PRED = [1, 1, 2, 2, 2]


def test_muc_by_hand():
    p, r, f = muc(GOLD, PRED)
    assert p == pytest.approx(2 / 3) and r == pytest.approx(2 / 3) and f == pytest.approx(2 / 3)


def test_bcubed_by_hand():
    p, r, _ = bcubed(GOLD, PRED)
    assert p == pytest.approx(11 / 15) and r == pytest.approx(11 / 15)


def test_ceafe_by_hand():
    p, r, _ = ceafe(GOLD, PRED)
    assert p == pytest.approx(0.8) and r == pytest.approx(0.8)


def test_perfect_and_all_singletons():
    assert conll(GOLD, GOLD)["conll_f1"] == 100.0
    singletons = conll(GOLD, list(range(5)))
    assert singletons["muc"]["r"] == 0.0 and singletons["b3"]["p"] == 100.0


def test_proper_name_selection():
    assert is_proper_name("Vincent Jackson") and is_proper_name("Bank of America")
    assert not is_proper_name("he") and not is_proper_name("the player") and not is_proper_name("His")
