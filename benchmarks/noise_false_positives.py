"""How often the binary/noise test (wirewatch/ingest/sources.py `binary_kind`) calls real news text binary.

Usage: .venv/bin/python benchmarks/noise_false_positives.py [DATA_DIR]

Reads every file under DATA_DIR (default ../shared/data; skipped with a message when absent) and
every JSON Lines record with 512+ characters of title/text/body/content, each record tested three
ways: UTF-8 text, the same wrapped in an HTML page, and UTF-16. The thresholds were set on the
shipped sample corpus and synthetic noise, not on this data. Writes
benchmarks/results/noise_false_positives.json.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from wirewatch.ingest.sources import binary_kind  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "noise_false_positives.json"


def _records(data: bytes):
    for line in data.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            text = "\n\n".join(record[k] for k in ("title", "text", "body", "content") if isinstance(record.get(k), str))
            if len(text) >= 512:
                yield text


def main() -> int:
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    if not data_dir.is_dir():
        print(f"skipped: {data_dir} not found")
        return 0
    files = records = 0
    flagged: list[str] = []
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        data = path.read_bytes()
        files += 1
        if kind := binary_kind(data):
            flagged.append(f"{path}: {kind}")
        if path.suffix in (".jsonl", ".ndjson"):
            for text in _records(data):
                records += 1
                for blob in (text.encode(), f"<html><body><p>{text}</p></body></html>".encode(), text.encode("utf-16")):
                    if kind := binary_kind(blob):
                        flagged.append(f"{path.name} record {records}: {kind}")
                        break
    result = {"files": files, "records": records, "tests": files + 3 * records, "called_binary": len(flagged),
              "examples": flagged[:20]}
    print(f"{files} files and {records} records (x3 encodings): {len(flagged)} called binary")
    for line in flagged[:20]:
        print("  " + line)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
