"""Walk the guide against a live or offline UI, read-only, and report what drifted.

The walk signs in, then visits each screen the guide describes, in the guide's order, bringing
it into the state the guide shows (a menu opened, a chapter chosen, a dialog opened) without ever
submitting anything: no request, no new operator, no save. On each screen every label of the
steps that live there is looked up among the accessible names:

  match          the label is there, as what the guide says (a button, a column, ...)
  guide drift    the UI no longer shows the guide's text: the nearest label is suggested
  toolkit drift  the guide's text is there but the toolkit's catalogue locator finds nothing
  skipped        the account cannot reach the screen (no TRACES role, not an administrator)
  not checkable  it happens on the phone or in e-mail, or is a rule: listed, not checked
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from structlog.contextvars import bound_contextvars

from automation.boxes import Box, png_size
from automation.catalog import Catalog
from automation.config import AccountConfig, Settings
from automation.errors import TracesctlError
from automation.factors import Factor, SecondFactorStep
from automation.guide import Guide, Step
from automation.log import get_logger
from automation.pages.base import first_visible, portal_errors_as_transient
from automation.pages.eulogin.password import PasswordPage
from automation.pages.eulogin.whoami import WhoamiPage
from automation.pages.guide_screen import GuideScreen
from automation.pages.traces.entry import TracesEntryPage
from automation.pages.traces.home import TracesHomePage, landing_markers
from automation.pages.traces.users import UsersPage
from automation.secrets import Secret

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)
PRIORITY = ("toolkit drift", "guide drift", "not reached", "match")
OFF_SCREEN = {"email": "in the e-mail", "phone": "in the app on the phone"}  # label screens never walked
ADMIN_ONLY = "needs an administrator of an operator (TRACES refuses this account the users screens)"


@dataclass
class LabelResult:
    text: str
    as_: str
    outcome: str  # match | guide drift | toolkit drift
    suggestion: str | None = None
    catalog: str | None = None
    # Where it was at check time, in the pixels of `screenshot` (a full-page screenshot): the label
    # itself when found; the nearest candidate for guide drift; none when nothing like it is there.
    box: Box | None = None
    nearest_box: Box | None = None
    screenshot: str | None = None


@dataclass
class StepResult:
    step: Step
    outcome: str  # match | guide drift | toolkit drift | skipped | not checkable | not reached
    reason: str = ""
    labels: list[LabelResult] = field(default_factory=list)
    screenshot: str | None = None
    notes: list[str] = field(default_factory=list)
    screenshot_size: tuple[int, int] | None = None  # (width, height) in pixels


class GuideWalk:
    def __init__(self, page: Page, settings: Settings, account: AccountConfig, guide: Guide, locale: str,
                 report_dir: Path | None, catalog: Catalog | None = None) -> None:
        self.page = page
        self.settings = settings
        self.account = account
        self.guide = guide
        self.locale = locale
        self.catalog = catalog or Catalog(locale)
        self.screen = GuideScreen(page, self.catalog, settings.timeout_ms)
        self.report_dir = report_dir
        where = {"phone": "happens on the phone", "email": "happens in e-mail", "info": "a rule, not a screen"}
        self.results = {s.id: StepResult(s, "not checkable", where.get(s.kind, "")) for s in guide.steps}
        self.has_role = False
        self.is_admin = False
        self.notes: list[str] = []

    # --- the walk ------------------------------------------------------------------------------

    def run(self, password: Secret, factor: Factor) -> list[StepResult]:
        with bound_contextvars(flow="guide_check", account=self.account.name, locale=self.locale):
            for step in self.guide.steps:
                if step.checkable:
                    elsewhere = [f"{label.in_locale(self.locale)!r} is {OFF_SCREEN[label.screen]}: not checked"
                                 for label in step.labels if label.screen in OFF_SCREEN]
                    self.results[step.id] = StepResult(step, "not reached", "the walk did not get to its screen",
                                                       notes=elsewhere)
            visits: list[tuple[str, Callable[[], str | None]]] = [
                ("traces.entry", self._entry),
                ("eulogin.whoami", self._whoami),
                ("eulogin.register", self._register),
                ("eulogin.password", self._password_step),
                ("signed-in", lambda: self._sign_in(password, factor)),
                ("eulogin.signed_in_menu", self._eulogin_menu),
                ("eulogin.my_account", lambda: self._click("eulogin.header.my_account", "eulogin.my_account.heading")),
                ("eulogin.devices", lambda: self._click("eulogin.my_account.mobile_devices",
                                                        "eulogin.devices.heading")),
                ("eulogin.add_device", lambda: self._click("eulogin.devices.add", "eulogin.add_device.name")),
                ("traces.home_menu", self._traces_menu),
                ("traces.profile", lambda: self._role_only(lambda: self._click("traces.home.edit_profile",
                                                                                "traces.profile.heading"))),
                ("traces.role_selection", self._role_selection),
                ("traces.operator_search", lambda: self._click("traces.role_selection.operator",
                                                               "traces.search.heading")),
                ("traces.operator_results", self._search_all),
                ("traces.request_dialog", self._request_dialog),
                ("traces.operator_form", self._operator_form),
                ("traces.operator_form_plants", lambda: self._choose_chapter("chapter_plants", "section_eupo")),
                ("traces.operator_form_other", lambda: self._choose_chapter("chapter_other", "section_cargo")),
                ("traces.authority_search", self._authority_search),
                ("traces.confirm_dialog", self._confirm_dialog),
                ("traces.actors_menu", self._actors_menu),
                ("traces.users", self._users),
                ("traces.user_page", self._user_page),
            ]
            for screen, visit in visits:
                try:
                    with portal_errors_as_transient(self.page):
                        skip = visit()
                except TracesctlError as error:
                    self.notes.append(f"{screen}: could not open it: {error}")
                    log.warning("screen not reached", screen=screen, error=str(error))
                    continue
                self._check_screen(screen, skip)
            return [self.results[s.id] for s in self.guide.steps]

    def _check_screen(self, screen: str, skip: str | None) -> None:
        steps = [s for s in self.guide.steps if s.checkable and (s.screen == screen or any(
            label.screen == screen for label in s.labels))]
        if not steps:
            return
        size = None
        if skip is None and self.report_dir is not None:
            shot = self.report_dir / f"{screen}.png"
            self.screen.screenshot(str(shot))
            size = png_size(shot)
        elements = self.screen.elements() if skip is None else []
        for step in steps:
            result = self.results[step.id]
            if skip is not None:
                result.outcome, result.reason = "skipped", skip
                continue
            if result.outcome == "skipped":
                continue  # its own screen was out of reach: one reachable label does not make it checked
            if step.screen == screen:
                result.outcome, result.reason = "match", ""
                result.screenshot = f"{screen}.png" if self.report_dir else None
                result.screenshot_size = size
            for label in step.labels:
                if (label.screen or step.screen) == screen:
                    checked = self._check_label(label.in_locale(self.locale), label.as_, label.catalog, elements)
                    if size is not None:
                        self._locate(checked, elements, f"{screen}.png")
                    result.labels.append(checked)
            outcomes = [lr.outcome for lr in result.labels] + [result.outcome]
            result.outcome = next(o for o in PRIORITY if o in outcomes)

    def _check_label(self, text: str, as_: str, catalog: str | None, elements: list) -> LabelResult:  # type: ignore[type-arg]
        if not self.screen.has_label(text, as_, elements):
            suggestion = self.screen.nearest(text, as_, elements)
            return LabelResult(text, as_, "guide drift", suggestion, catalog)
        if catalog and not self.screen.catalogue_finds(catalog):
            return LabelResult(text, as_, "toolkit drift", None, catalog)
        return LabelResult(text, as_, "match", None, catalog)

    def _locate(self, checked: LabelResult, elements: list, shot: str) -> None:  # type: ignore[type-arg]
        """Box the label (or, for guide drift, its nearest candidate) for the report's screenshot."""
        checked.screenshot = shot
        if checked.outcome == "guide drift":
            if checked.suggestion is not None:
                checked.nearest_box = self.screen.box_of_name(checked.suggestion, checked.as_, elements)
        else:
            checked.box = self.screen.box_of(checked.text, checked.as_, elements)

    # --- screens: each brings the page to what the guide shows, and never submits ---------------

    def _click(self, key: str, then: str) -> None:
        used = self.screen.click(key)
        if used is not None:
            self.notes.append(f"{key}: the catalogue's label is gone; walked on through {used!r}")
        self.screen.wait_for(then)

    def _entry(self) -> None:
        TracesEntryPage(self.page, self.catalog, self.settings.timeout_ms).open(self.settings.traces_url) \
            .choose_language(self.locale)
        first_visible(self.page, {"entry": self.screen.catalogued("traces.entry.log_in")}, self.settings.timeout_ms)

    def _whoami(self) -> None:
        self.screen.click("traces.entry.log_in")
        WhoamiPage(self.page, self.catalog, self.settings.timeout_ms).wait_until_loaded()

    def _register(self) -> None:
        """"Create an account" (guide A1-A2): looked at, never filled in."""
        self._click("eulogin.whoami.create_account", "eulogin.signup.first_name")

    def _password_step(self) -> None:
        whoami = WhoamiPage(self.page, self.catalog, self.settings.timeout_ms)
        if not whoami.email_field.is_visible():
            self.page.go_back()  # from "Create an account" (if the walk got there) to the sign-in page
        whoami.wait_until_loaded().enter_email(self.account.email).next()

    def _sign_in(self, password: Secret, factor: Factor) -> str | None:
        password_page = PasswordPage(self.page, self.catalog, self.settings.timeout_ms)
        factor.prepare(self.page)
        try:
            password_page.enter_password(password).choose_method(factor.method).sign_in()
            landed = landing_markers(self.page, self.catalog, self.account.email)
            reached = factor.complete(SecondFactorStep(self.page, self.catalog, self.settings.timeout_ms,
                                                       password_page, landed))
        finally:
            factor.finish(self.page)
        roles = self.screen.catalogued("traces.role_selection.heading")
        self.has_role = reached == "home" and not roles.is_visible()
        return None

    def _eulogin_menu(self) -> None:
        self.page.goto(f"{self.settings.eulogin_url}/login")  # single sign-on: "Successful login"
        self.screen.wait_for("eulogin.success.heading")
        self.screen.click("eulogin.header.user_menu")

    def _role_only(self, visit: Callable[[], None]) -> str | None:
        if not self.has_role:
            return "needs a TRACES role (this account has none yet)"
        visit()
        return None

    def _traces_menu(self) -> str | None:
        def open_menu() -> None:
            home = TracesHomePage(self.page, self.catalog, self.settings.timeout_ms, self.account.email)
            home.open(self.settings.traces_url).user_menu.click()
        return self._role_only(open_menu)

    def _role_selection(self) -> None:
        if self.has_role:
            self._click("traces.profile.request_new_role", "traces.role_selection.heading")
        else:
            self.page.goto(f"{self.settings.traces_url}/home")
            self.screen.wait_for("traces.role_selection.heading")

    def _search_all(self) -> None:
        self.screen.catalogued("traces.search.country").select_option(
            label=self.catalog.text("traces.search.country_sweden"))
        with self.page.expect_navigation():
            self.screen.click("traces.search.submit")
        self.screen.wait_for("traces.search.row_select")

    def _request_dialog(self) -> None:
        self.screen.catalogued("traces.search.row_select").first.check()
        self._click("traces.search.request", "traces.request_dialog.dialog")

    def _operator_form(self) -> None:
        self.page.keyboard.press("Escape")  # close the request dialog unsent
        self._click("traces.search.create", "traces.operator_form.heading")
        self.screen.click("traces.operator_form.add_identifier")

    def _choose_chapter(self, chapter: str, section: str) -> None:
        form = "traces.operator_form"
        self.screen.catalogued(f"{form}.chapter").select_option(label=self.catalog.text(f"{form}.{chapter}"))
        self.screen.catalogued(f"{form}.section").select_option(label=self.catalog.text(f"{form}.{section}"))

    def _authority_search(self) -> None:
        self.screen.click("traces.operator_form.search_authorities")
        self.screen.catalogued("traces.operator_form.authority_query").fill("Helsingborg")
        self.screen.click("traces.operator_form.authority_search")
        self.screen.wait_for("traces.operator_form.authority_result")

    def _confirm_dialog(self) -> None:
        self._click("traces.operator_form.create", "traces.operator_form.confirm_send")

    def _actors_menu(self) -> str | None:
        """"Actors" opened; whether TRACES lets this account into "Users" decides the admin steps."""
        self.page.keyboard.press("Escape")  # close the confirmation unsent
        TracesHomePage(self.page, self.catalog, self.settings.timeout_ms, self.account.email) \
            .open(self.settings.traces_url)
        users = UsersPage(self.page, self.catalog, self.settings.timeout_ms)
        self.is_admin = users.open_from_menu() == "users"
        if not self.is_admin:
            return ADMIN_ONLY
        self.page.go_back()
        self.screen.click("traces.menu.actors")
        return None

    def _users(self) -> str | None:
        if not self.is_admin:
            return ADMIN_ONLY
        self._click("traces.menu.users", "traces.users.heading")
        return None

    def _user_page(self) -> str | None:
        if not self.is_admin:
            return ADMIN_ONLY
        users = UsersPage(self.page, self.catalog, self.settings.timeout_ms).search("", pending=True)
        rows = users.rows()
        if not rows:
            return "no pending request to open"
        users.open_user(rows[0])
        return None


def walk_guide(page: Page, settings: Settings, account: AccountConfig, password: Secret, factor: Factor,
               guide: Guide, locale: str, report_dir: Path | None, catalog: Catalog | None = None
               ) -> tuple[list[StepResult], list[str], float]:
    started = time.monotonic()
    walk = GuideWalk(page, settings, account, guide, locale, report_dir, catalog)
    results = walk.run(password, factor)
    return results, walk.notes, time.monotonic() - started
