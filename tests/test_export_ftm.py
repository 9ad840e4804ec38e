"""FollowTheMoney export: every line is a valid FtM entity by the followthemoney package's own
model, claim relations point at exported actors and at the report that cites them."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from wirewatch.cli import main

pytest.importorskip("followthemoney", reason="followthemoney not installed (pip install 'wirewatch[ftm]')")

REPORTS = {
    "a.txt": "Army shells Dunmore\n\nOutlet: The Varno Post\nPublished: 2026-05-02\n\n"
             "Nordavian security forces shelled the town of Dunmore on Friday, residents said. "
             "Interior Minister Halvor Brenne accused the rebels of hiding in schools. "
             "Police detained 30 protesters outside the Dunmore courthouse.\n",
    "b.txt": "Dunmore shelling condemned\n\nOutlet: Northwind Wire\nPublished: 2026-05-03\n\n"
             "Aid groups condemned the shelling of Dunmore. Halvor Brenne said the army would withdraw from the town "
             "within days, and the rebels denied that they had used schools.\n",
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ftm")
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = str(folder / "ftm.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(folder), "--db", db]).exit_code == 0
    out = folder / "out.ftm.json"
    result = runner.invoke(main, ["export", "--format", "ftm", "--db", db, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_every_line_validates_against_the_ftm_model(exported):
    from followthemoney import model

    assert exported
    for row in exported:
        schema = model.get(row["schema"])
        assert schema is not None, row["schema"]
        schema.validate(row)  # raises InvalidData on a bad property or value
        proxy = model.get_proxy(row, cleaned=False)
        assert proxy.id == row["id"]


def test_schemata_and_claim_relations(exported):
    by_id = {r["id"]: r for r in exported}
    schemata = {r["schema"] for r in exported}
    assert {"Person", "Article", "Address", "UnknownLink", "Documentation"} <= schemata
    assert schemata & {"PublicBody", "Organization"}
    names = {v for r in exported for v in r["properties"].get("name", [])}
    assert "Halvor Brenne" in names
    links = [r for r in exported if r["schema"] == "UnknownLink"]
    assert links
    for link in links:
        props = link["properties"]
        for end in ("subject", "object"):
            assert by_id[props[end][0]]["schema"] in ("Person", "Organization", "PublicBody", "Address")
        assert by_id[props["proof"][0]]["schema"] == "Article"
        assert props["summary"][0] and props["role"][0]
    # a generic agent of the state (security forces, police) is a public body with its sector
    bodies = [r for r in exported if r["schema"] == "PublicBody"]
    assert any("police" in r["properties"].get("classification", []) for r in bodies)


def test_missing_package_is_a_clear_error(monkeypatch):
    import builtins

    from wirewatch.errors import WirewatchError
    from wirewatch.export import ftm

    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name.startswith("followthemoney"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(WirewatchError, match="followthemoney"):
        ftm._model()
