"""Get the operator role in TRACES for a company (guide C, C-exists, C-new, G).

Read-only until `apply`: the dry run walks to the operator search and prints the plan. With
`apply`, one submission at most: request authorisation on the operator found, or create it.
If the portal fails right after a submission, its state is read again: a request it received is
never sent a second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from structlog.contextvars import bound_contextvars

from automation.catalog import Catalog
from automation.company import Company
from automation.config import AccountConfig, Settings
from automation.errors import (
    AmbiguousOperatorError,
    IdentityBusyError,
    OperatorElsewhereError,
    OperatorNotFoundError,
    TransientError,
)
from automation.factors import Factor
from automation.ledger import Ledger
from automation.locks import acquire_waiting, organisation_lock
from automation.log import get_logger
from automation.pages.base import portal_errors_as_transient
from automation.pages.traces.home import TracesHomePage
from automation.pages.traces.registration import OperatorRow, OperatorSearchPage, RoleSelectionPage
from automation.secrets import Secret
from flows.jobs.traces_session import sign_in_afresh

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)

ROLES = ("exporter", "cargo")
ADVICE = "e-mail exportkontroll@jordbruksverket.se (guide C5) to have the plant activity added"
HELSINGBORG = "Helsingborg"  # the guide's search for the competent authority (C14), where a portal still asks


AccessOutcome = Literal["requested", "created", "verified-late", "already-pending", "already-authorised",
                        "plan-request", "plan-create"]
ACTIONS = ("request-authorisation", "create-operator")  # the audit trail's names of the two submissions


def audit_operator(operator: str, company: Company) -> str:
    """How the audit trail names the operator of a request: the name and the organisation number."""
    return f"{operator} ({company.organisation_number})"


@dataclass
class AccessResult:
    outcome: AccessOutcome
    operator: str
    plan: list[str] = field(default_factory=list)


class RequestAccess:
    def __init__(self, page: Page, settings: Settings, account: AccountConfig, ledger: Ledger) -> None:
        self.page = page
        self.settings = settings
        self.account = account
        self.ledger = ledger
        self.timeout = settings.timeout_ms

    def run(self, password: Secret, factor: Factor, company: Company, role: str, create_if_missing: bool,
            apply: bool) -> AccessResult:
        with bound_contextvars(flow="request_access", account=self.account.name, company=company.name):
            # The statuses read below decide what is submitted: only a session begun now shows them as
            # they are (TRACES keeps a session's statuses until the user signs in again).
            home = sign_in_afresh(self.page, self.settings, self.account, password, factor, self.ledger).home
            with portal_errors_as_transient(self.page), self._company_locked(company, create_if_missing and apply):
                return self._walk(home, company, role, create_if_missing, apply)

    @contextmanager
    def _company_locked(self, company: Company, may_create: bool) -> Iterator[None]:
        """A run that may create the operator searches and creates under the organisation number's lock
        (automation.locks): of two overlapping runs the second waits, then finds the operator the first
        created and requests authorisation for it, instead of creating a second one."""
        if not may_create:
            yield
            return
        with organisation_lock(self.settings, company.organisation_number) as lock:
            if not lock.try_acquire():
                log.info("waiting for another run that may be creating the operator",
                         organisation_number=company.organisation_number)
                if not acquire_waiting(lock, self.settings.operator_lock_wait_s):
                    raise IdentityBusyError(
                        f"another tracesctl run has been working on {company.name} ({company.organisation_number}) "
                        f"for over {self.settings.operator_lock_wait_s:.0f} s; nothing was submitted. Run again "
                        "when it has finished")
            yield

    def _walk(self, home: TracesHomePage, company: Company, role: str, create_if_missing: bool,
              apply: bool) -> AccessResult:
        roles_page = self._role_selection(home, company)
        if isinstance(roles_page, AccessResult):
            return roles_page
        search = roles_page.choose_operator().search(company.name)
        found = self._match(search.results(), company)
        if found is not None:
            return self._request(search, found, company, role, apply)
        if not create_if_missing:
            raise OperatorNotFoundError(f"{company.name} ({company.organisation_number}) is not in TRACES; "
                                        "run again with --create-if-missing to create it")
        return self._create(search, company, role, apply)

    # --- where the user starts ---------------------------------------------------------------

    def _role_selection(self, home: TracesHomePage, company: Company) -> RoleSelectionPage | AccessResult:
        """First sign-in: the role selection. Already in TRACES: the profile, then "Request new role" (G)."""
        if not home.has_role():
            return home.role_selection()
        profile = home.open_profile()
        for existing in profile.roles():
            if any(company.organisation_number in i for i in existing.identifiers):
                log.info("access already requested", status=existing.status)
                if self._confirm_lost_answer(existing.operator, company):
                    return AccessResult("verified-late", existing.operator)
                status: AccessOutcome = "already-authorised" if existing.status == "authorised" else "already-pending"
                return AccessResult(status, existing.operator)
        return profile.request_new_role()

    @staticmethod
    def _match(rows: list[OperatorRow], company: Company) -> OperatorRow | None:
        """By organisation number; by exact name only for rows that carry no number to contradict it."""
        by_number = [r for r in rows if any(company.organisation_number in i for i in r.identifiers)]
        if len(by_number) == 1:
            return by_number[0]
        candidates = by_number or [r for r in rows if r.name.casefold() == company.name.casefold()
                                   and not any(ch.isdigit() for i in r.identifiers for ch in i)]
        if len(candidates) > 1:
            listed = "; ".join(f"{r.name}, {r.address}" for r in candidates)
            raise AmbiguousOperatorError(f"{len(candidates)} operators match {company.name!r}: {listed}")
        return candidates[0] if candidates else None

    # --- C-exists: request authorisation -------------------------------------------------------

    def _request(self, search: OperatorSearchPage, row: OperatorRow, company: Company, role: str,
                 apply: bool) -> AccessResult:
        if not search.offers_role(row, role):
            raise OperatorElsewhereError(
                f"{row.name} is in TRACES only with another authority ({'; '.join(row.activities)}), "
                f"not as {role}: {ADVICE}. Nothing was submitted."
            )
        plan = [f"operator found: {row.name}, {row.address}", f"activities: {'; '.join(row.activities)}",
                "action: select it, Request Authorisation, Send authorisation request"]
        if not apply:
            return AccessResult("plan-request", row.name, plan)
        row.select()
        dialog = search.request_authorisation()
        self._submit_once(lambda: dialog.send(), company, "request-authorisation", row.name)
        return AccessResult("requested", row.name, plan)

    # --- C-new: create the operator ------------------------------------------------------------

    def _create(self, search: OperatorSearchPage, company: Company, role: str, apply: bool) -> AccessResult:
        form = search.create_new_operator()
        codes = form.postal_codes()
        postal_code, street = company.postal_code, company.street
        if postal_code not in codes:
            # Guide C9: pick a nearby listed code, write the real one with the street address.
            postal_code = min(codes, key=lambda code: abs(int(code) - int(company.postal_code)))
            street = f"{company.street}, {company.postal_code[:3]} {company.postal_code[3:]}"
        exporter = role == "exporter"
        plan = [
            f"operator not found: create {company.name}",
            f"name: {company.name}", f"address: {street}", f"postal code: {postal_code}"
            + ("" if postal_code == company.postal_code else f" (nearest listed; real {company.postal_code})"),
            f"city: {company.city}", "country: Sweden", f"phone: {company.phone}", f"e-mail: {company.email}",
            f"identifier: {form.national_number_label()} {company.organisation_number}",
            f"chapter: {form.chapter_label(role)}", f"section: {form.section_label(role)}",
            f"identification code: {company.organisation_number}", "activity address: the company's address",
        ]
        plan.append("competent authority: assigned by TRACES from the address (Plant Health has no authority step)")
        if not apply:
            return AccessResult("plan-create", company.name, plan)
        form.fill_details(company.name, street, postal_code, company.city, company.phone, company.email)
        form.add_national_registration_number(company.organisation_number)
        form.choose_activity(role, company.organisation_number)
        form.choose_activity_address()
        if not exporter and form.authority_step_shown:
            # A portal that still asks (the guide's older picture, C14): the Helsingborg one for plants and CHED-PP.
            plan.append(f"competent authority chosen: {form.choose_competent_authority(HELSINGBORG)}")

        self._submit_once(form.create, company, "create-operator", company.name)
        return AccessResult("created", company.name, plan)

    # --- submitting once -------------------------------------------------------------------------

    def _submit_once(self, submit: Callable[[], object], company: Company, action: str, operator: str) -> None:
        """Submit once, with one audit row: the intent is written first and completed with what the
        portal shows afterwards. If the answer is lost, the portal's state is read instead of
        submitting again; if that fails too, the intent stays open for the next run to complete."""
        intent = self.ledger.open_intent(self.account.name, audit_operator(operator, company), self.account.email,
                                         action)
        try:
            submit()
        except TransientError as error:
            log.warning("the portal failed after the submission; reading its state", error=str(error))
            if not self._request_recorded(company):
                self.ledger.complete(intent, "failed", str(error))
                raise
        verified = self._request_recorded(company)
        self.ledger.complete(intent, "verified" if verified else "not-verified", "pending approval by the authority")
        log.info("submitted", action=action, verified=verified)

    def _confirm_lost_answer(self, operator: str, company: Company) -> bool:
        """A request found in the profile whose submission this tool never confirmed (a lost answer,
        a killed run): its intent row is completed now, verified after the fact."""
        for action in ACTIONS:
            intent = self.ledger.unconfirmed_intent(audit_operator(operator, company), self.account.email, action)
            if intent is not None:
                self.ledger.complete(intent, "verified-after-the-fact", "the portal's answer was lost; read back later")
                return True
        return False

    def _request_recorded(self, company: Company) -> bool:
        home = TracesHomePage(self.page, Catalog(self.account.locale), self.timeout, email=self.account.email,
                              grace_ms=self.settings.drift_grace_ms) \
            .open(self.settings.traces_url)
        return any(company.organisation_number in i for r in home.open_profile().roles() for i in r.identifiers)
