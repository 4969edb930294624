"""Approve a company's pending TRACES user requests by policy, make administrators, unsuspend users
(guide D, E, F), with every change verified by reading the page again and written to the audit trail.

Idempotent and resumable: decisions are taken from what the portal shows now, so a run killed
mid-way and started again acts only on what is still to do, and never on anybody twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from structlog.contextvars import bound_contextvars

from automation.cancel import Interrupted, cancel_requested, interruption
from automation.catalog import Catalog
from automation.config import AccountConfig, Settings
from automation.errors import BusinessError, ExitCode, PlanRefusedError, SessionDroppedError, TransientError
from automation.factors import Factor
from automation.ledger import Ledger
from automation.log import get_logger
from automation.pages.base import portal_errors_as_transient
from automation.pages.traces.home import TracesHomePage
from automation.pages.traces.user import UserPage
from automation.pages.traces.users import UserRow, UsersPage
from automation.plans import Plan, PlannedDecision, PlanRef
from automation.policy import Policy
from automation.retry import retry_transient
from automation.secrets import Secret, redact
from flows.jobs.progress import Progress
from flows.jobs.traces_session import sign_in_afresh

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)


Action = Literal["approve", "approve+admin", "admin", "unsuspend", "leave"]
# What a decision's retry says it is doing, in words (automation.retry).
DOING: dict[Action, str] = {"approve": "approving", "approve+admin": "approving and making administrator",
                            "admin": "making administrator", "unsuspend": "unsuspending", "leave": "leaving pending"}
ACTIONS = ("approve", "make-admin", "unsuspend")  # the audit trail's names of the changes made here


class DecisionOutcome(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    SKIPPED = "skipped"  # nothing to do: the detail says why
    FAILED = "failed"  # the detail says why
    LEFT_PENDING = "left pending"  # the policy does not approve it


class Change(StrEnum):
    """What one change in the portal came to."""

    ALREADY = "already"  # nothing to do, and nothing of ours left unconfirmed
    LATE = "late"  # done by an earlier submission whose answer was lost: its intent now verified
    DONE = "done"
    NOT_DONE = "not-done"  # submitted, but the portal does not show it


@dataclass
class Decision:
    email: str
    name: str
    operator: str
    action: Action
    outcome: DecisionOutcome = DecisionOutcome.PLANNED
    detail: str = ""
    status: str = ""  # the request's status as the pending list showed it (what a plan records)

    def finish(self, outcome: DecisionOutcome, detail: str = "") -> None:
        self.outcome, self.detail = outcome, detail

    @property
    def summary(self) -> str:
        """The outcome as the table shows it: "skipped: already approved"."""
        return f"{self.outcome}: {self.detail}" if self.detail else str(self.outcome)


class Approvals:
    def __init__(self, page: Page, settings: Settings, account: AccountConfig, ledger: Ledger,
                 progress: Progress | None = None, plan_ref: PlanRef | None = None) -> None:
        self.page = page
        self.settings = settings
        self.account = account
        self.ledger = ledger
        self.catalog = Catalog(account.locale)
        self.timeout = settings.timeout_ms
        self.progress = progress  # told each decision as it is carried out (the cli draws it on a terminal)
        self._credentials: tuple[Secret, Factor] | None = None  # kept by sign_in(), to sign in again once
        self.plan_ref = plan_ref or PlanRef()  # what every audit row of this run names: plan, maker, applier

    def run(self, password: Secret, factor: Factor, policy: Policy, apply: bool, limit: int | None) -> list[Decision]:
        with bound_contextvars(flow="approve", account=self.account.name):
            self.sign_in(password, factor)
            with portal_errors_as_transient(self.page):
                if apply:
                    self.reconcile()
                decisions = self.plan(policy)
                if apply:
                    self.carry_out([d for d in decisions if d.action != "leave"][:limit], policy)
                return decisions

    def apply_plan(self, password: Secret, factor: Factor, plan: Plan, policy: Policy,
                   limit: int | None) -> list[Decision]:
        """Exactly the plan's decisions, each first read again from the portal: one whose request changed
        since the plan (withdrawn, decided by someone else, another status) is skipped with the reason;
        a request that came in since is not touched (it is in no plan)."""
        with bound_contextvars(flow="approve", account=self.account.name, plan=plan.digest[:12]):
            self.sign_in(password, factor)
            with portal_errors_as_transient(self.page):
                self.reconcile()
                decisions = [Decision(d.user, d.name, d.operator, action_of(d.action),
                                      DecisionOutcome.LEFT_PENDING if d.action == "leave" else DecisionOutcome.PLANNED,
                                      status=d.status) for d in plan.decisions]
                acting = [d for d in decisions if d.action != "leave"]
                pending = {(row.email.lower(), row.operator): row
                           for row in self._users_page().search("", pending=True).all_rows()}
                for decision in acting:
                    self._compare_with_portal(decision, pending, plan)
                self.carry_out([d for d in acting if d.outcome == DecisionOutcome.PLANNED][:limit], policy)
                return decisions

    def _compare_with_portal(self, decision: Decision, pending: dict[tuple[str, str], UserRow], plan: Plan) -> None:
        """Skip `decision`, saying why, when this plan did it already or its request is not as planned."""
        if self.ledger.done_by_plan(plan.digest, decision.email, ACTION_AUDITED[decision.action]):
            decision.finish(DecisionOutcome.SKIPPED, "already carried out by this plan")
            return
        if not decision.action.startswith("approve"):
            return  # administrators and unsuspensions: the change itself reads the user's state first
        row = pending.get((decision.email, decision.operator))
        if row is None:
            user = self._open(decision.email, pending=False, operator=decision.operator)
            decided = user is not None and user.has_box(decision.operator) and user.is_approved(decision.operator)
            decision.finish(DecisionOutcome.SKIPPED, "changed since the plan: approved by someone else" if decided
                            else "changed since the plan: the request was withdrawn")
        elif (row.name, row.status) != (decision.name, decision.status):
            decision.finish(DecisionOutcome.SKIPPED, f"changed since the plan: {decision.status!r} by "
                            f"{decision.name!r} is now {row.status!r} by {row.name!r}")

    def sign_in(self, password: Secret, factor: Factor) -> None:
        """Sign in to TRACES, keeping what it took: a session the portal ends midway is taken up again.
        Always a session begun now: an older one would still show the administrator rights (and the
        users' statuses) it began with."""
        self._credentials = (password, factor)
        sign_in_afresh(self.page, self.settings, self.account, password, factor, self.ledger)

    def _users_page(self) -> UsersPage:
        home = TracesHomePage(self.page, self.catalog, self.timeout, email=self.account.email,
                              grace_ms=self.settings.drift_grace_ms)
        return home.open(self.settings.traces_url).open_users()

    def reconcile(self) -> None:
        """Intents an earlier run left open (killed between the portal's save and the read-back):
        each is completed with what the portal shows now, so every change has its one audit row."""
        for intent, operator, email, action in self.ledger.unconfirmed_intents(self.account.name, ACTIONS):
            user = self._open(email, pending=False, operator=operator) or \
                self._open(email, pending=True, operator=operator)
            done = user is not None and self._shows_done(user, action, operator)
            if done:
                self.ledger.complete(intent, "verified-after-the-fact", "the portal's answer was lost; read back later")
            else:
                self.ledger.complete(intent, "failed", "not carried out: the run ended before the portal took it")
            log.info("earlier intent completed", user=email, action=action, done=done)

    @staticmethod
    def _shows_done(user: UserPage, action: str, operator: str) -> bool:
        if action == "unsuspend":
            return not user.is_suspended
        if not user.has_box(operator):
            return False
        return user.is_approved(operator) if action == "approve" else user.is_administrator(operator)

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
                decisions.append(Decision(email, row.name, row.operator, action, status=row.status))
            else:
                decisions.append(Decision(email, row.name, row.operator, "leave", DecisionOutcome.LEFT_PENDING,
                                          status=row.status))
        approving = {d.email for d in decisions if d.action.startswith("approve")}
        decisions += [Decision(e, "", "", "admin") for e in sorted(policy.administrators - approving)]
        decisions += [Decision(e, "", "", "unsuspend") for e in sorted(policy.unsuspend)]
        return decisions

    def carry_out(self, decisions: list[Decision], policy: Policy) -> None:
        try:
            self._carry_out_each(decisions, policy)
        except Interrupted as signalled:
            done = sum(d.outcome != DecisionOutcome.PLANNED for d in decisions)
            raise signalled.with_undone(
                f"approve: {done} of {len(decisions)} decisions carried out; {len(decisions) - done} left undone "
                "(a change whose answer did not come is checked and audited by the next run)") from None

    def _carry_out_each(self, decisions: list[Decision], policy: Policy) -> None:
        from automation.browser import restart_trace

        signed_in_again = False
        for index, decision in enumerate(decisions):
            self._tell(index, len(decisions), decision.email)
            if cancel_requested.is_set():  # a signal whose exception a retry or a handler turned into an error
                raise interruption()
            restart_trace(self.page.context)
            try:
                try:
                    self._carry_out_one(decision, policy)
                except SessionDroppedError:
                    if signed_in_again or self._credentials is None:
                        raise
                    # TRACES ended the session: sign in once more, rather than fail every decision left.
                    log.warning("TRACES ended the session; signing in again")
                    signed_in_again = True
                    self.sign_in(*self._credentials)
                    self._carry_out_one(decision, policy)
            except (BusinessError, TransientError) as error:  # transient ones were retried already
                if cancel_requested.is_set():
                    raise interruption() from None  # the browser closed under it: not the portal's answer
                decision.finish(DecisionOutcome.FAILED, redact(str(error)))
            log.info("decision", user=decision.email, action=decision.action, outcome=decision.summary)
        self._tell(len(decisions), len(decisions), "")

    def _tell(self, done: int, total: int, current: str) -> None:
        if self.progress is not None and total:
            self.progress(done, total, current)

    @retry_transient(lambda _self, decision, _policy: f"{DOING[decision.action]} {decision.email}")
    def _carry_out_one(self, decision: Decision, policy: Policy) -> None:
        # Every attempt starts from what the portal shows now: a retry never repeats a saved change.
        with portal_errors_as_transient(self.page):
            if decision.action.startswith("approve"):
                self._approve(decision)
            elif decision.action == "admin":
                self._make_admin_everywhere(decision, policy)
            elif decision.action == "unsuspend":
                self._unsuspend(decision)

    def _open(self, email: str, pending: bool, operator: str = "") -> UserPage | None:
        """The user's page, showing `operator`'s profile when the user has several ("As")."""
        row = self._users_page().search(email, pending=pending).find(email)
        user = row.open() if row else None
        return user.show_profile(operator) if user is not None and operator else user

    def _approve(self, decision: Decision) -> None:
        user = self._open(decision.email, pending=True, operator=decision.operator)
        if user is None or not user.has_box(decision.operator):
            user = self._open(decision.email, pending=False, operator=decision.operator)
            if user is None or not user.has_box(decision.operator):
                decision.finish(DecisionOutcome.SKIPPED, "the request vanished")
                return
        if not user.is_approved(decision.operator) and user.awaits_operator_validation(decision.operator):
            decision.finish(DecisionOutcome.SKIPPED, "the operator is not valid yet: its authority validates it first")
            return
        change = self._change(decision, "approve", decision.operator,
                              lambda: user.is_approved(decision.operator),
                              lambda: user.approve(decision.operator).save().reload())
        self._finish(decision, change, "already approved", "not approved after saving")
        if decision.action == "approve+admin" and user.is_approved(decision.operator):
            self._make_admin(user, decision, decision.operator)

    def _make_admin(self, user: UserPage, decision: Decision, operator: str) -> None:
        change = self._change(decision, "make-admin", operator, lambda: user.is_administrator(operator),
                              lambda: user.toggle_administrator(operator).save().reload())
        if change == Change.NOT_DONE:
            decision.finish(DecisionOutcome.FAILED, "not administrator after saving")
        elif change != Change.ALREADY and decision.outcome != DecisionOutcome.FAILED:
            self._finish(decision, change, "", "")

    def _make_admin_everywhere(self, decision: Decision, policy: Policy) -> None:
        user = self._open(decision.email, pending=False)
        if user is None:
            decision.finish(DecisionOutcome.SKIPPED, "no such user of your operators")
            return
        operators = [o for o in user.approved_operators() if policy.in_scope(o)]
        decision.operator = ", ".join(operators)
        decision.finish(DecisionOutcome.SKIPPED, "already administrator")
        for operator in operators:
            self._make_admin(user.show_profile(operator), decision, operator)

    def _unsuspend(self, decision: Decision) -> None:
        user = self._open(decision.email, pending=False)
        if user is None:
            decision.finish(DecisionOutcome.SKIPPED, "no such user of your operators")
        else:
            change = self._change(decision, "unsuspend", decision.operator, lambda: not user.is_suspended,
                                  lambda: user.unsuspend().reload())
            self._finish(decision, change, "not suspended", "still suspended")

    def _change(self, decision: Decision, action: str, operator: str, is_done: Callable[[], bool],
                submit: Callable[[], object]) -> Change:
        """One change, with exactly one audit row: the intent is written before the submission and
        completed with what the portal shows afterwards. Already done with an intent never
        confirmed (an answer lost, a run killed): that row is completed, verified after the fact."""
        if is_done():
            intent = self.ledger.unconfirmed_intent(operator, decision.email, action)
            if intent is None:
                return Change.ALREADY
            self.ledger.complete(intent, "verified-after-the-fact", "the portal's answer was lost; read back later")
            return Change.LATE
        ref = self.plan_ref
        intent = self.ledger.open_intent(self.account.name, operator, decision.email, action,
                                         (ref.digest, ref.planned_by, ref.applied_by))
        submit()
        done = is_done()
        self.ledger.complete(intent, "verified" if done else "not-verified")
        return Change.DONE if done else Change.NOT_DONE

    @staticmethod
    def _finish(decision: Decision, change: Change, already: str, not_done: str) -> None:
        if change == Change.ALREADY:
            decision.finish(DecisionOutcome.SKIPPED, already)
        elif change == Change.LATE:
            decision.finish(DecisionOutcome.DONE, "answer lost, verified")
        elif change == Change.DONE:
            decision.finish(DecisionOutcome.DONE)
        else:
            decision.finish(DecisionOutcome.FAILED, not_done)


ACTION_AUDITED = {"approve": "approve", "approve+admin": "approve", "admin": "make-admin", "unsuspend": "unsuspend"}


def action_of(text: str) -> Action:
    """A plan's action, checked (the plan is signed, but by a tracesctl that may know other actions)."""
    for action in ("approve", "approve+admin", "admin", "unsuspend", "leave"):
        if text == action:
            return action
    raise PlanRefusedError(f"the plan has an action this tracesctl does not know: {text!r}")


def to_plan(decisions: list[Decision], account: AccountConfig, portal: str, policy_sha256: str, made_at: datetime,
            made_by: str) -> Plan:
    """The dry run's decisions as a plan, with what the portal showed for each."""
    return Plan(account.name, account.email, portal, policy_sha256, made_at, made_by,
                tuple(PlannedDecision(d.email, d.name, d.operator, d.status, d.action) for d in decisions))


def run_exit_code(decisions: list[Decision]) -> ExitCode:
    """OK when every decision taken was carried out (or was already true); DECISIONS_FAILED when any failed."""
    return ExitCode.DECISIONS_FAILED if any(d.outcome == DecisionOutcome.FAILED for d in decisions) else ExitCode.OK
