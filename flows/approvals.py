"""Approve a company's pending TRACES user requests by policy, make administrators, unsuspend users
(guide D, E, F), with every change verified by reading the page again and written to the audit trail.

Idempotent and resumable: decisions are taken from what the portal shows now, so a run killed
mid-way and started again acts only on what is still to do, and never on anybody twice.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from structlog.contextvars import bound_contextvars

from automation.catalog import Catalog
from automation.config import AccountConfig, Settings
from automation.errors import BusinessError, ExitCode, TransientError
from automation.factors import Factor
from automation.ledger import Ledger
from automation.log import get_logger
from automation.pages.base import portal_errors_as_transient
from automation.pages.traces.home import TracesHomePage
from automation.pages.traces.user import UserPage
from automation.pages.traces.users import UsersPage
from automation.policy import Policy
from automation.retry import retry_transient
from automation.secrets import Secret, redact
from flows.signin import sign_in_to_traces

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)


Action = Literal["approve", "approve+admin", "admin", "unsuspend", "leave"]


class Outcome(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    SKIPPED = "skipped"  # nothing to do: the detail says why
    FAILED = "failed"  # the detail says why
    LEFT_PENDING = "left pending"  # the policy does not approve it


@dataclass
class Decision:
    email: str
    name: str
    operator: str
    action: Action
    outcome: Outcome = Outcome.PLANNED
    detail: str = ""

    def finish(self, outcome: Outcome, detail: str = "") -> None:
        self.outcome, self.detail = outcome, detail

    @property
    def summary(self) -> str:
        """The outcome as the table shows it: "skipped: already approved"."""
        return f"{self.outcome}: {self.detail}" if self.detail else str(self.outcome)


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
        home = TracesHomePage(self.page, self.catalog, self.timeout, email=self.account.email)
        return home.open(self.settings.traces_url).open_users()

    def plan(self, policy: Policy) -> list[Decision]:
        """One decision per pending request in scope, then the administrators and unsuspensions."""
        pending = self._users_page().search("", pending=True).all_rows()
        decisions = []
        for row in pending:
            if not policy.in_scope(row.operator):
                continue
            email = row.email.lower()
            if policy.approves(email):
                action: Action = "approve+admin" if email in policy.administrators else "approve"
                decisions.append(Decision(email, row.name, row.operator, action))
            else:
                decisions.append(Decision(email, row.name, row.operator, "leave", Outcome.LEFT_PENDING))
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
                decision.finish(Outcome.FAILED, redact(str(error)))
            except TransientError as error:  # retried already; report it and go on with the others
                decision.finish(Outcome.FAILED, redact(str(error)))
            self.progress(index + 1, len(decisions))
            log.info("decision", user=decision.email, action=decision.action, outcome=decision.summary)

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
        row = self._users_page().search(email, pending=pending).find(email)
        return row.open() if row else None

    def _approve(self, decision: Decision) -> None:
        user = self._open(decision.email, pending=True)
        if user is None or not user.has_box(decision.operator):
            user = self._open(decision.email, pending=False)
            if user is None or not user.has_box(decision.operator):
                decision.finish(Outcome.SKIPPED, "the request vanished")
                return
        if user.is_approved(decision.operator):
            decision.finish(Outcome.SKIPPED, "already approved")
        else:
            user.approve(decision.operator).save().reload()
            verified = user.is_approved(decision.operator)
            self._audit(decision, "approve", verified)
            if verified:
                decision.finish(Outcome.DONE)
            else:
                decision.finish(Outcome.FAILED, "not approved after saving")
        if decision.action == "approve+admin" and user.is_approved(decision.operator):
            self._make_admin(user, decision, decision.operator)

    def _make_admin(self, user: UserPage, decision: Decision, operator: str) -> None:
        if user.is_administrator(operator):
            return
        user.toggle_administrator(operator).save().reload()
        verified = user.is_administrator(operator)
        self._audit(decision, "make-admin", verified, operator)
        if not verified:
            decision.finish(Outcome.FAILED, "not administrator after saving")
        elif decision.outcome != Outcome.FAILED:
            decision.finish(Outcome.DONE)

    def _make_admin_everywhere(self, decision: Decision, policy: Policy) -> None:
        user = self._open(decision.email, pending=False)
        if user is None:
            decision.finish(Outcome.SKIPPED, "no such user of your operators")
            return
        operators = [o for o in user.approved_operators() if policy.in_scope(o)]
        decision.operator = ", ".join(operators)
        decision.finish(Outcome.SKIPPED, "already administrator")
        for operator in operators:
            self._make_admin(user, decision, operator)

    def _unsuspend(self, decision: Decision) -> None:
        user = self._open(decision.email, pending=False)
        if user is None:
            decision.finish(Outcome.SKIPPED, "no such user of your operators")
        elif not user.is_suspended:
            decision.finish(Outcome.SKIPPED, "not suspended")
        else:
            user.unsuspend().reload()
            verified = not user.is_suspended
            self._audit(decision, "unsuspend", verified)
            if verified:
                decision.finish(Outcome.DONE)
            else:
                decision.finish(Outcome.FAILED, "still suspended")

    def _audit(self, decision: Decision, action: str, verified: bool, operator: str | None = None) -> None:
        self.ledger.audit(self.account.name, operator or decision.operator, decision.email, action,
                          "verified" if verified else "not-verified", "")


def run_exit_code(decisions: list[Decision]) -> ExitCode:
    """OK when every decision taken was carried out (or was already true); DECISIONS_FAILED when any failed."""
    return ExitCode.DECISIONS_FAILED if any(d.outcome == Outcome.FAILED for d in decisions) else ExitCode.OK
