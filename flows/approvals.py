"""Approve a company's pending TRACES user requests by policy, make administrators, unsuspend users
(guide D, E, F), with every change verified by reading the page again and written to the audit trail.

Idempotent and resumable: decisions are taken from what the portal shows now, so a run killed
mid-way and started again acts only on what is still to do, and never on anybody twice.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from structlog.contextvars import bound_contextvars

from automation.catalog import Catalog
from automation.config import AccountConfig, Settings
from automation.errors import BusinessError, NotAdministratorError, TransientError
from automation.factors import Factor
from automation.ledger import Ledger
from automation.log import get_logger
from automation.pages.base import portal_errors_as_transient
from automation.pages.traces.home import TracesHomePage
from automation.pages.traces.users import UserPage, UsersPage
from automation.policy import Policy
from automation.retry import retry_transient
from automation.secrets import Secret, redact
from flows.signin import sign_in_to_traces

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)


@dataclass
class Decision:
    email: str
    name: str
    operator: str
    action: str  # approve | approve+admin | admin | unsuspend | leave
    outcome: str = "planned"  # planned | done | skipped: <why> | failed: <why> | left pending


def print_progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        filled = int(30 * done / max(total, 1))
        print(f"\r[{'#' * filled}{' ' * (30 - filled)}] {done}/{total}", end="" if done < total else "\n",
              file=sys.stderr)


class Approvals:
    def __init__(self, page: Page, settings: Settings, account: AccountConfig, ledger: Ledger,
                 progress: Callable[[int, int], None] = print_progress) -> None:
        self.page = page
        self.settings = settings
        self.account = account
        self.ledger = ledger
        self.catalog = Catalog(account.locale)
        self.timeout = settings.timeout_ms
        self.progress = progress

    def run(self, password: Secret, factor: Factor, policy: Policy, apply: bool, limit: int | None) -> list[Decision]:
        with bound_contextvars(flow="approve", account=self.account.name):
            sign_in_to_traces(self.page, self.settings, self.account, password, factor)
            with portal_errors_as_transient(self.page):
                decisions = self.plan(policy)
                if apply:
                    self.carry_out([d for d in decisions if d.action != "leave"][:limit], policy)
                return decisions

    def _users_page(self) -> UsersPage:
        TracesHomePage(self.page, self.catalog, self.timeout, self.account.email).open(self.settings.traces_url)
        users = UsersPage(self.page, self.catalog, self.timeout)
        if users.open_from_menu() == "refused":
            raise NotAdministratorError(f"{self.account.email} is not an administrator of any operator: "
                                        "TRACES refuses the users screens")
        return users

    def plan(self, policy: Policy) -> list[Decision]:
        """One decision per pending request in scope, then the administrators and unsuspensions."""
        pending = self._users_page().search("", pending=True).all_rows()
        decisions = []
        for row in pending:
            if not policy.in_scope(row.operator):
                continue
            email = row.email.lower()
            if policy.approves(email):
                action = "approve+admin" if email in policy.administrators else "approve"
                decisions.append(Decision(email, row.name, row.operator, action))
            else:
                decisions.append(Decision(email, row.name, row.operator, "leave", "left pending"))
        approving = {d.email for d in decisions if d.action.startswith("approve")}
        decisions += [Decision(e, "", "", "admin") for e in sorted(policy.administrators - approving)]
        decisions += [Decision(e, "", "", "unsuspend") for e in sorted(policy.unsuspend)]
        return decisions

    def carry_out(self, decisions: list[Decision], policy: Policy) -> None:
        from automation.browser import restart_trace

        for index, decision in enumerate(decisions):
            restart_trace(self.page.context)
            try:
                self._carry_out_one(decision, policy)
            except BusinessError as error:
                decision.outcome = f"failed: {redact(str(error))}"
            except TransientError as error:  # retried already; report it and go on with the others
                decision.outcome = f"failed: {redact(str(error))}"
            self.progress(index + 1, len(decisions))
            log.info("decision", user=decision.email, action=decision.action, outcome=decision.outcome)

    @retry_transient
    def _carry_out_one(self, decision: Decision, policy: Policy) -> None:
        # Every attempt starts from what the portal shows now: a retry never repeats a saved change.
        with portal_errors_as_transient(self.page):
            if decision.action.startswith("approve"):
                self._approve(decision)
            elif decision.action == "admin":
                self._make_admin_everywhere(decision, policy)
            elif decision.action == "unsuspend":
                self._unsuspend(decision)

    def _open(self, email: str, pending: bool) -> UserPage | None:
        users = self._users_page().search(email, pending=pending)
        row = next((r for r in users.rows() if r.email.lower() == email), None)
        return users.open_user(row) if row else None

    def _approve(self, decision: Decision) -> None:
        user = self._open(decision.email, pending=True)
        if user is None or not user.has_box(decision.operator):
            user = self._open(decision.email, pending=False)
            if user is None or not user.has_box(decision.operator):
                decision.outcome = "skipped: the request vanished"
                return
        if user.is_approved(decision.operator):
            decision.outcome = "skipped: already approved"
        else:
            user.approve(decision.operator).save().reload()
            verified = user.is_approved(decision.operator)
            self._audit(decision, "approve", verified)
            decision.outcome = "done" if verified else "failed: not approved after saving"
        if decision.action == "approve+admin" and user.is_approved(decision.operator):
            self._make_admin(user, decision, decision.operator)

    def _make_admin(self, user: UserPage, decision: Decision, operator: str) -> None:
        if user.is_administrator(operator):
            return
        user.toggle_administrator(operator).save().reload()
        verified = user.is_administrator(operator)
        self._audit(decision, "make-admin", verified, operator)
        if not verified:
            decision.outcome = "failed: not administrator after saving"
        elif not decision.outcome.startswith("failed"):
            decision.outcome = "done"

    def _make_admin_everywhere(self, decision: Decision, policy: Policy) -> None:
        user = self._open(decision.email, pending=False)
        if user is None:
            decision.outcome = "skipped: no such user of your operators"
            return
        operators = [o for o in user.approved_operators() if policy.in_scope(o)]
        decision.operator = ", ".join(operators)
        decision.outcome = "skipped: already administrator"
        for operator in operators:
            self._make_admin(user, decision, operator)

    def _unsuspend(self, decision: Decision) -> None:
        user = self._open(decision.email, pending=False)
        if user is None:
            decision.outcome = "skipped: no such user of your operators"
        elif not user.is_suspended:
            decision.outcome = "skipped: not suspended"
        else:
            user.unsuspend().reload()
            verified = not user.is_suspended
            self._audit(decision, "unsuspend", verified)
            decision.outcome = "done" if verified else "failed: still suspended"

    def _audit(self, decision: Decision, action: str, verified: bool, operator: str | None = None) -> None:
        self.ledger.audit(self.account.name, operator or decision.operator, decision.email, action,
                          "verified" if verified else "not-verified", "")


def run_exit_code(decisions: list[Decision]) -> int:
    """0 when every decision taken was carried out (or was already true); 13 when any failed."""
    return 13 if any(d.outcome.startswith("failed") for d in decisions) else 0
