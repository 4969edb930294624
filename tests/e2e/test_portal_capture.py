"""`portal capture` and `portal compare` against the offline portal: a capture submits nothing and
holds no personal data or secret; a renamed label and a changed id are found, exactly, by compare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from automation.config import Settings
from automation.factors import build_factor
from automation.stub.traces_data import seed_traces
from flows.jobs.portal_capture import capture_screens, write_capture
from flows.reports.portal_compare import Changed, Renamed, compare_captures, shape_problem
from tests.helpers import SEEDED, Portal, traces_account

pytestmark = pytest.mark.e2e

ADMIN = "anna.admin@vaxtexport.se"
ORG_NUMBERS = [o.organisation_number for o in seed_traces([]).operators if o.organisation_number]


def capture(page: Page, settings: Settings, environ: dict[str, str]) -> dict[str, Any]:
    account = traces_account(ADMIN, "sv", settings.home.parent)
    return capture_screens(page, settings, account, account.password(environ), build_factor(account, environ), "sv")


def test_a_capture_submits_nothing_and_holds_no_personal_data_or_secret(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """Every screen is captured read-only; the file has none of the account's data, tickets or cookies."""
    taken = capture(page, settings, environ)
    cookies = [c["value"] for c in page.context.cookies() if len(c["value"]) >= 8]
    out = tmp_path / "capture.json"
    write_capture(out, taken)
    text = out.read_text(encoding="utf-8")

    assert len(taken["screens"]) == 22 and taken["not_captured"] == {}
    state = portal.state()
    assert {k for k in state["forms"] if not k.startswith("cas.")} == set() and state["user_actions"] == {}
    assert all(r["status"] != "pending" or r["username"] != ADMIN for r in state["role_requests"])
    for personal in [ADMIN, SEEDED[ADMIN], "Anna Andersson", "Andersson", "Erik Eriksson", *ORG_NUMBERS,
                     "Grönt Export AB", "Hamngatan 1", "+46 42", "ST-", "TGT-", *cookies]:
        assert personal.casefold() not in text.casefold(), personal
    assert cookies  # a session was there to leak
    assert "<EMAIL>" in text and "<ORG_NUMBER>" in text and json.loads(text)["note"].startswith("Personal data")


def test_compare_finds_exactly_a_renamed_label_and_a_changed_id(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal
) -> None:
    """A rename is reported as renamed to the nearest name, with the catalogue entry it breaks; an id
    change on another screen as an id change; nothing else differs."""
    clean = capture(page, settings, environ)
    portal.drift("sv", "user.save", "Spåra")
    portal.drift_id("userQuery", "userSearchText")
    page.context.clear_cookies()
    drifted = capture(page, settings, environ)

    assert shape_problem(clean) is None and shape_problem(drifted) is None  # what load_capture accepts
    differing = {d.screen: d for d in compare_captures(clean, drifted) if d.differs or d.not_compared}
    assert set(differing) == {"traces.users", "traces.user_page"}
    users, user_page = differing["traces.users"], differing["traces.user_page"]
    assert users.changed == [Changed("searchbox", "Namn eller e-post", "id", ["userQuery"], ["userSearchText"])]
    assert (users.missing, users.extra, users.renamed, users.entries_broken) == ([], [], [], [])
    assert user_page.renamed == [Renamed("button", "Spara", "Spåra")]
    assert user_page.entries_broken == ["traces.user.save"]
    assert (user_page.missing, user_page.extra, user_page.changed, user_page.entries_only_in_capture) == \
        ([], [], [], [])
