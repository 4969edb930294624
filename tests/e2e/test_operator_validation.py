"""The official validation order end to end (TNT-PH "Operator validation workflow", TNT-HELP "Getting
started"): a new operator is "New" under its authority's Actors > Operators; the user's role there
waits until the authority makes the operator "Valid"; and the validated user must sign in to TRACES
again: approve reads its rights from a fresh session, never from the one that began before. English
(the Swedish labels of these screens are the same page objects' catalogue entries)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from automation.config import Settings
from automation.factors import build_factor
from automation.ledger import Ledger
from automation.pages.traces.home import TracesHomePage
from automation.policy import Policy
from automation.stub.traces_data import BORDER_INSPECTOR
from flows.jobs.approvals import Approvals, Decision
from flows.jobs.signin import sign_in_to_traces
from tests.e2e.test_request_access import NEW, NEW_USER, request_access
from tests.helpers import Portal, traces_account

pytestmark = pytest.mark.e2e
APPROVE_NILS = Policy(approve_emails=frozenset({NEW_USER}), approve_domains=frozenset(), administrators=frozenset(),
                      unsuspend=frozenset(), operators=frozenset())


def approve(page: Page, settings: Settings, environ: dict[str, str], tmp_path: Path, email: str,
            apply: bool) -> list[Decision]:
    account = traces_account(email, "en", tmp_path)
    flow = Approvals(page, settings, account, Ledger.in_home(settings.home))
    return flow.run(account.password(environ), build_factor(account, environ), APPROVE_NILS, apply, None)


def test_the_operator_is_validated_first_then_the_role_then_the_user_signs_in_again(
    page: Page, browser: Browser, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    request_access(page, settings, environ, tmp_path, NEW, locale="en", role="cargo", create=True)
    operator_id = portal.state()["operators"][-1]["id"]

    authority = browser.new_context(base_url=settings.base_url).new_page()
    try:
        # The role cannot be validated while the operator is "New": approve leaves it, saying why.
        waiting = approve(authority, settings, environ, tmp_path, BORDER_INSPECTOR, apply=True)
        assert [(d.email, d.summary) for d in waiting] == [
            (NEW_USER, "skipped: the operator is not valid yet: its authority validates it first")]
        assert portal.form_count("traces.users.save") == 0

        # Actors > Operators: "Find my operators", "New", the pen icon, the green check, "Save" -> "Valid".
        account = traces_account(BORDER_INSPECTOR, "en", tmp_path)
        home: TracesHomePage = sign_in_to_traces(authority, settings, account, account.password(environ),
                                                 build_factor(account, environ)).home
        mine = home.open_operators().find_mine()
        row = mine.find(NEW.name)
        assert row is not None and row.status == "new"
        row.open().validate("Responsible for the consignment").save()
        assert portal.state()["user_actions"] == {f"validate_operator:{operator_id}": 1}
        assert next(o for o in portal.state()["operators"] if o["id"] == operator_id)["status"] == "valid"

        done = approve(authority, settings, environ, tmp_path, BORDER_INSPECTOR, apply=True)
        assert [(d.email, d.summary) for d in done] == [(NEW_USER, "done")]
    finally:
        authority.context.close()
    assert [(r["status"], r["administrator"]) for r in portal.state()["role_requests"]
            if r["username"] == NEW_USER] == [("authorised", True)]

    # The new administrator's browser still holds the session from before: approve signs in again
    # and is let into the users screens (the old session would still be refused them).
    signins = portal.state()["accounts"][NEW_USER]["traces_signins"]
    assert approve(page, settings, environ, tmp_path, NEW_USER, apply=False) == []
    assert portal.state()["accounts"][NEW_USER]["traces_signins"] == signins + 1
