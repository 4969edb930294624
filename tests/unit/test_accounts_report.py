"""`accounts history` and `accounts report` on a ledger the test fills with a known history: the
attempts listed and filtered, and in the report one row per account with as many points as
attempts and the days left before TRACES' inactivity (facts, not pixels)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from automation.dates import inactive_from
from automation.ledger import Ledger, SignInRecord
from flows.cli.main import main

NOW = datetime.now(UTC)
# account -> (days ago, outcome) of each sign-in attempt
HISTORY = {
    "fresh": [(40, "ok"), (10, "ok"), (2, "ok")],
    "drifting": [(110, "ok"), (80, "timeout"), (50, "unavailable")],
    "held": [(60, "ok"), (20, "refused")],
    "never": [],
}
ACCOUNTS = "".join(f'[accounts.{name}]\nemail = "{name}@example.se"\npassword_env = "PW"\nfactor = "password"\n'
                   for name in HISTORY)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The ledger of TRACESCTL_HOME (set per test by conftest), with the known history and one hold."""
    home = tmp_path / "home"
    ledger = Ledger.in_home(home)
    for name, attempts in HISTORY.items():
        for days, outcome in attempts:
            ledger.record_signin(SignInRecord(NOW - timedelta(days=days), name, "password", outcome, "", 1.5))
    ledger.place_hold("held@example.se", "wrong password", NOW - timedelta(days=20), account="held")
    ledger.close()
    (tmp_path / "accounts.toml").write_text(ACCOUNTS)
    return home


def days_left(name: str) -> int | None:
    successes = [NOW - timedelta(days=d) for d, outcome in HISTORY[name] if outcome == "ok"]
    return (inactive_from(max(successes)) - datetime.now(UTC)).days if successes else None


def run(tmp_path: Path, *args: str) -> int:
    return main(["--accounts", str(tmp_path / "accounts.toml"), "accounts", *args])


def test_history_lists_every_attempt_oldest_first_filtered_by_account_and_date(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "history", "--json") == 0
    every = json.loads(capsys.readouterr().out)
    assert len(every) == sum(map(len, HISTORY.values()))
    assert [e["at"] for e in every] == sorted(e["at"] for e in every)
    since = (NOW - timedelta(days=60)).date().isoformat()
    assert run(tmp_path, "history", "--account", "drifting", "--since", since, "--json") == 0
    assert [e["outcome"] for e in json.loads(capsys.readouterr().out)] == ["unavailable"]
    assert run(tmp_path, "history", "--account", "held") == 0
    table = capsys.readouterr().out
    assert "refused" in table and "ok" in table and "fresh" not in table


def test_history_refuses_a_date_it_cannot_read(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "history", "--since", "last tuesday") == 2
    assert "--since must be a date" in capsys.readouterr().err


class Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str | None]] = {}
        self.svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and "data-account" in found:
            self.rows[str(found["data-account"])] = found
        self.svg += tag == "svg"


def test_the_html_report_has_a_row_per_account_with_its_points_and_days_left(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "keepalive.html"
    assert run(tmp_path, "report", "--out", str(out)) == 0
    page = out.read_text(encoding="utf-8")
    parser = Rows()
    parser.feed(page)
    assert parser.svg >= 1
    assert not any(f"{attr}{quote}http" in page for attr in ("src=", "href=", "url(") for quote in ('"', "'", ""))
    assert set(parser.rows) == set(HISTORY)
    for name, attempts in HISTORY.items():
        assert parser.rows[name]["data-points"] == str(len(attempts))
        expected = days_left(name)
        assert parser.rows[name]["data-days-left"] == ("" if expected is None else str(expected))
    facts = json.loads(page.split('<script type="application/json" id="facts">')[1].split("</script>")[0])
    by_name = {a["account"]: a for a in facts["accounts"]}
    assert {n: len(a["points"]) for n, a in by_name.items()} == {n: len(h) for n, h in HISTORY.items()}
    assert {n: a["days_left"] for n, a in by_name.items()} == {n: days_left(n) for n in HISTORY}
    assert by_name["held"]["hold_since"] is not None and by_name["fresh"]["hold_since"] is None
    assert by_name["drifting"]["near_inactivity"] is True and by_name["fresh"]["near_inactivity"] is False
    assert "accounts status" in page and "wrong password" in page  # the status table, hold included


@pytest.mark.parametrize(("suffix", "magic"), [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_the_picture_alone_as_png_or_svg(home: Path, tmp_path: Path, suffix: str, magic: bytes) -> None:
    out = tmp_path / f"keepalive{suffix}"
    assert run(tmp_path, "report", "--out", str(out)) == 0
    assert out.read_bytes().startswith(magic) and out.stat().st_size > 5_000


def test_an_unknown_picture_format_is_refused_before_anything_is_drawn(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "report", "--out", str(tmp_path / "keepalive.pdf")) == 2
    assert "--out must end in .html, .png, .svg" in capsys.readouterr().err
    assert not (tmp_path / "keepalive.pdf").exists()
