"""Issue 22: `audit` filters by account, operator and action, and writes CSV as Swedish Excel reads
it (`--excel`: a byte order mark, ';'); `--json` is `--format json`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from automation.ledger import Ledger
from flows.cli.main import main
from flows.cli.traces import AUDIT_ACTIONS
from flows.jobs import approvals, request_access


@pytest.fixture
def trail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACESCTL_HOME", str(tmp_path / "home"))
    ledger = Ledger.in_home(tmp_path / "home")
    ledger.audit("anna", "Grönt Export AB (556677-8899)", "nils@x.se", "approve", "verified", "")
    ledger.audit("anna", "Nordic Plant Trade AB (559988-7766)", "olle@y.se", "make-admin", "verified", "")
    ledger.audit("nils", "Nya Plantor AB (556321-9871)", "nils@x.se", "create-operator", "verified", "pending")


def test_the_cli_knows_every_action_the_flows_audit() -> None:
    assert set(AUDIT_ACTIONS) == set(request_access.ACTIONS) | set(approvals.ACTIONS)


def test_filters_narrow_the_trail(trail: None, capsys: pytest.CaptureFixture[str]) -> None:
    def targets(*args: str) -> list[str]:
        assert main(["audit", "--json", *args]) == 0
        return [row["target"] for row in json.loads(capsys.readouterr().out)]

    assert targets() == ["nils@x.se", "olle@y.se", "nils@x.se"]
    assert targets("--account", "anna") == ["nils@x.se", "olle@y.se"]
    assert targets("--operator", "grönt export") == ["nils@x.se"]
    assert targets("--operator", "559988") == ["olle@y.se"]
    assert targets("--action", "create-operator", "--account", "nils") == ["nils@x.se"]


def test_excel_csv_has_a_byte_order_mark_and_semicolons(trail: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--excel", "--account", "anna"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffat;os_user;account;operator;")
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))
    assert [r["operator"] for r in rows] == ["Grönt Export AB (556677-8899)", "Nordic Plant Trade AB (559988-7766)"]


def test_excel_is_a_kind_of_csv(trail: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--excel", "--json"]) == 2
    assert "--excel is a kind of CSV" in capsys.readouterr().err
