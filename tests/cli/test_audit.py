"""Issue 22: `audit` filters by account, operator and action, and writes CSV as Swedish Excel reads
it (`--excel`: a byte order mark, ';'); `--json` is `--format json`."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
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


def test_xlsx_writes_a_real_workbook_to_out(trail: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Read back with openpyxl: the header, a row per change, `at` a date and time, a formula-looking
    target kept as the text it is (never a formula); the file private, as the trail names people."""
    import openpyxl

    Ledger.in_home(tmp_path / "home").audit("anna", "Grönt Export AB (556677-8899)", '=HYPERLINK("x")', "approve",
                                            "verified", "")
    out = tmp_path / "audit.xlsx"
    assert main(["audit", "--format", "xlsx", "--out", str(out)]) == 0
    assert "4 change(s) written to" in capsys.readouterr().err
    assert out.stat().st_mode & 0o777 == 0o600
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("at", "os_user", "account", "operator", "target", "action", "outcome")
    assert [r[4] for r in rows[1:]] == ["nils@x.se", "olle@y.se", "nils@x.se", '=HYPERLINK("x")']
    assert sheet.cell(row=5, column=5).data_type == "s"
    assert all(isinstance(r[0], datetime) for r in rows[1:]) and rows[1][3] == "Grönt Export AB (556677-8899)"


def test_xlsx_goes_to_a_redirected_stdout(trail: None, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    import openpyxl

    assert main(["audit", "--format", "xlsx", "--action", "make-admin"]) == 0
    sheet = openpyxl.load_workbook(io.BytesIO(capsysbinary.readouterr().out)).active
    assert [r[4] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["olle@y.se"]


def test_xlsx_is_refused_to_a_terminal(trail: None, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["audit", "--format", "xlsx"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "give --out FILE, or redirect stdout" in err


def test_json_is_format_json(trail: None, capsys: pytest.CaptureFixture[str]) -> None:
    """The same document either way, and the same JSON answer when it fails; they cannot disagree."""
    assert main(["audit", "--json"]) == 0
    by_flag = capsys.readouterr().out
    assert main(["audit", "--format", "json"]) == 0
    assert capsys.readouterr().out == by_flag and json.loads(by_flag)
    for spelling in (["--json"], ["--format", "json"]):
        assert main(["audit", *spelling, "--since", "yesterday"]) == 2
        answer = json.loads(capsys.readouterr().out)
        assert (answer["ok"], answer["exit_code"]) == (False, 2) and "--since" in answer["error"]
    assert main(["audit", "--json", "--format", "csv"]) == 2
    assert "--json is --format json" in capsys.readouterr().err


def test_the_cli_offers_every_format_the_report_writes() -> None:
    from flows.cli.traces import AUDIT_FORMATS
    from flows.reports.audit import FORMATS

    assert AUDIT_FORMATS == FORMATS
