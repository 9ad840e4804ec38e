"""What the hand-labelled gold benchmarks share: where gold rows point, extraction of their files, the baseline gate."""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"
MARGIN = 0.02  # a figure may fall this far below its baseline before --check fails


def read_gold(path: Path) -> list[dict]:
    """The gold rows of a JSON Lines file, blank lines skipped."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_analyses(files: set[str]) -> dict[str, list]:
    """Extract every article of the named sample or seed files; return {file: [ArticleAnalysis in file order]}."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from wirewatch.extract import extract_batch
    from wirewatch.ingest import read_path
    from wirewatch.model import Article
    from wirewatch.resources import Resources

    articles, owner = [], []
    for name in sorted(files):
        path = SAMPLES / name if (SAMPLES / name).exists() else SEEDS / name
        for item in read_path(str(path)):
            if isinstance(item, Article):
                articles.append(item)
                owner.append(name)
    by_file: dict[str, list] = defaultdict(list)
    for name, analysis in zip(owner, extract_batch(articles, Resources())):
        by_file[name].append(analysis)
    return by_file


def print_confusion(title: str, confusion: dict[str, dict[str, int]], width: int = 12) -> None:
    """Print a gold -> predicted confusion table, one gold label a line."""
    print(f"{title} (gold -> predicted):")
    for label, row in sorted(confusion.items()):
        print(f"  {label:{width}} {dict(sorted(row.items()))}")


def below_baseline(figures: dict[str, float], baseline: dict[str, float], names) -> list[str]:
    """Names of the figures that fell more than MARGIN below their baseline."""
    return [name for name in names if figures[name] < baseline[name] - MARGIN]
