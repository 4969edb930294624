"""The screens the toolkit knows, walked read-only through the flows' own page objects.

Signs in, then brings each screen up in the guide's order: a menu opened, a chapter chosen, a
dialog opened, never anything submitted. Whoever walks (the guide check, `portal capture`) is
handed each screen as it comes, with the page object that models it; a screen the account cannot
reach (no role, not an administrator) or that the walk could not get to is reported to the walker
instead. One walk for both, so the check and the capture can never disagree about what a screen is.

A refused sign-in stops the walk at once: every later screen needs it, and trying again could
cost one of EU Login's five password attempts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from automation.attempts import PasswordAttempt
from automation.catalog import Catalog
from automation.config import AccountConfig, Settings
from automation.errors import (
    NotAdministratorError,
    PortalUnavailableError,
    SessionDroppedError,
    ToolkitDriftError,
    TracesctlError,
)
from automation.factors import Factor
from automation.ledger import Ledger
from automation.log import get_logger
from automation.pages.base import BasePage, portal_errors_as_transient
from automation.pages.eulogin.add_device import AddDevicePage
from automation.pages.eulogin.devices import DevicesPage
from automation.pages.eulogin.my_account import MyAccountPage
from automation.pages.eulogin.password import PasswordPage
from automation.pages.eulogin.signed_in import SignedInPage
from automation.pages.eulogin.signup import RegistrationPage
from automation.pages.eulogin.whoami import WhoamiPage
from automation.pages.landing import TracesLanding
from automation.pages.traces.entry import TracesEntryPage
from automation.pages.traces.home import TracesHomePage
from automation.pages.traces.operator_form import OperatorFormPage
from automation.pages.traces.registration import (
    OperatorSearchPage,
    ProfilePage,
    RequestAuthorisationDialog,
    RoleSelectionPage,
)
from automation.pages.traces.status import StatusPage
from automation.pages.traces.user import UserPage
from automation.pages.traces.users import UsersPage
from automation.secrets import Secret
from flows.jobs.progress import Progress
from flows.jobs.signin import password_step, post_password

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)
P = TypeVar("P", bound=BasePage)

ADMIN_ONLY = "needs an administrator of an operator (TRACES refuses this account the users screens)"
ROLE_ONLY = "needs a TRACES role (this account has none yet)"
# EC-APP: with a device registered, "Add a mobile device" wants a sign-in with it first.
DEVICE_FIRST = "needs a sign-in with the registered mobile device (this account has one, and signed in otherwise)"
AUTHORITY_QUERY = "Helsingborg"  # the guide's search for the competent authority (C14)

# The page object that models each screen the walk visits, in the walk's order: its catalogue
# entries are the only ones the guide check may ask about there (a unit test holds the guide to it).
SCREENS: dict[str, type[BasePage]] = {
    "traces.entry": TracesEntryPage,
    "eulogin.whoami": WhoamiPage,
    "eulogin.register": RegistrationPage,
    "eulogin.password": PasswordPage,
    "eulogin.signed_in_menu": SignedInPage,
    "eulogin.my_account": MyAccountPage,
    "eulogin.devices": DevicesPage,
    "eulogin.add_device": AddDevicePage,
    "traces.home_menu": TracesHomePage,
    "traces.profile": ProfilePage,
    "traces.role_selection": RoleSelectionPage,
    "traces.operator_search": OperatorSearchPage,
    "traces.operator_results": OperatorSearchPage,
    "traces.request_dialog": RequestAuthorisationDialog,
    "traces.operator_form": OperatorFormPage,
    "traces.operator_form_plants": OperatorFormPage,
    "traces.operator_form_other": OperatorFormPage,
    "traces.authority_search": OperatorFormPage,
    "traces.confirm_dialog": OperatorFormPage,
    "traces.actors_menu": TracesHomePage,
    "traces.users": UsersPage,
    "traces.user_page": UserPage,
}

# What a walker is handed for each screen reached: its name, the page object that models it, and
# the toolkit drift met on the way when the screen came up all the same (its own label missing).
OnScreen = Callable[[str, BasePage, ToolkitDriftError | None], None]


class Skip(Exception):
    """A screen this account cannot reach (no role, not an administrator): its steps are skipped."""


class ScreenWalk:
    """The read-only walk over every screen in SCREENS. Subclasses hear about the screens it could
    not show through `screen_skipped` and `screen_not_reached`."""

    def __init__(self, page: Page, settings: Settings, account: AccountConfig, locale: str,
                 catalog: Catalog | None = None, progress: Progress | None = None) -> None:
        self.page = page
        self.progress = progress  # told each screen as the walk gets to it, and the sign-in
        self.settings = settings
        self.account = account
        self.locale = locale
        self.catalog = catalog or Catalog(locale)
        self.timeout = settings.timeout_ms
        self.notes: list[str] = []
        self._memo: dict[str, BasePage | TracesctlError] = {}
        self.has_role = False
        self.is_admin = False

    def _once(self, name: str, cls: type[P], navigate: Callable[[], P]) -> P:
        """A navigation done once: later screens reuse its page object, or its failure at once
        (a missing button costs one grace period, not one per screen behind it). Drift on the
        screen it reached (its own label missing) still counts as having got there."""
        if name not in self._memo:
            try:
                self._memo[name] = navigate()
            except ToolkitDriftError as error:
                there = self._new(cls)
                self._memo[name] = there if there.is_shown() else error
                raise
            except TracesctlError as error:
                self._memo[name] = error
                raise
        done = self._memo[name]
        if isinstance(done, TracesctlError):
            raise done
        return done  # type: ignore[return-value]  # the memo holds what `navigate` returned

    def _new(self, cls: type[P]) -> P:
        return cls(self.page, self.catalog, self.timeout, grace_ms=self.settings.drift_grace_ms)

    # --- the walk ------------------------------------------------------------------------------

    def walk_screens(self, password: Secret, factor: Factor, on_screen: OnScreen) -> None:
        """Visit every screen in SCREENS' order, handing each one reached to `on_screen`."""
        before: list[tuple[str, Callable[[], BasePage]]] = [
            ("traces.entry", self._entry),
            ("eulogin.whoami", self._whoami),
            ("eulogin.register", self._register),
            ("eulogin.password", self._password_step),
        ]
        after: list[tuple[str, Callable[[], BasePage]]] = [
            ("eulogin.signed_in_menu", self._eulogin_menu),
            ("eulogin.my_account", self._my_account),
            ("eulogin.devices", self._devices),
            ("eulogin.add_device", self._add_device),
            ("traces.home_menu", self._traces_menu),
            ("traces.profile", self._profile),
            ("traces.role_selection", self._role_selection),
            ("traces.operator_search", self._operator_search),
            ("traces.operator_results", self._search_all),
            ("traces.request_dialog", self._request_dialog),
            ("traces.operator_form", self._operator_form),
            ("traces.operator_form_plants", lambda: self._chapter("exporter")),
            # The guide's own picture of the cargo case (C13-C14: chapter Other, then the authority search).
            ("traces.operator_form_other", lambda: self._chapter("cargo_other")),
            ("traces.authority_search", self._authority_search),
            ("traces.confirm_dialog", self._confirm_dialog),
            ("traces.actors_menu", self._actors_menu),
            ("traces.users", self._users),
            ("traces.user_page", self._user_page),
        ]
        total = len(before) + len(after)
        for done, (screen, visit) in enumerate(before):
            self._tell(done, total, self.under_way(screen))
            self._visit(screen, visit, on_screen)
        # The sign-in can be a long wait (the app-PIN countdown): the person sees that this is it.
        self._tell(len(before), total, "signing in")
        with portal_errors_as_transient(self.page):
            self._sign_in(password, factor)  # a refusal ends the walk: never a second attempt
        for done, (screen, visit) in enumerate(after, len(before)):
            self._tell(done, total, self.under_way(screen))
            self._visit(screen, visit, on_screen)
        self._tell(total, total, "")

    def _tell(self, done: int, total: int, current: str) -> None:
        if self.progress is not None:
            self.progress(done, total, current)

    def under_way(self, screen: str) -> str:
        """What the progress names while `screen` is brought up; walkers may say more."""
        return screen

    def _visit(self, screen: str, visit: Callable[[], BasePage], on_screen: OnScreen) -> None:
        """Bring the screen up through its page objects, then hand it on. A page object that
        cannot find what it needs on the way is toolkit drift; if the screen is there all the same
        (the label missing was on it), it is still handed on."""
        drift: ToolkitDriftError | None = None
        try:
            with portal_errors_as_transient(self.page):
                model = visit()
        except Skip as skip:
            self.screen_skipped(screen, str(skip))
            return
        except ToolkitDriftError as error:
            drift = error
            model = self._new(SCREENS[screen])
            self.notes.append(f"{screen}: {error}")
            log.warning("toolkit drift", screen=screen, page_object=error.page_object, key=error.key)
            if not model.is_shown():
                self.screen_not_reached(screen, f"toolkit drift on the way: {error}", error)
                return
        except (PortalUnavailableError, SessionDroppedError):
            raise  # a 5xx or an ended session fails the walk fast, as in the flows: no screen after it can come
        except TracesctlError as error:
            self.notes.append(f"{screen}: could not open it: {error}")
            log.warning("screen not reached", screen=screen, error=str(error))
            self.screen_not_reached(screen, f"could not open it: {error}", None)
            return
        on_screen(screen, model, drift)

    def screen_skipped(self, screen: str, reason: str) -> None:
        """The account cannot reach the screen (no role, not an administrator)."""

    def screen_not_reached(self, screen: str, reason: str, drift: ToolkitDriftError | None) -> None:
        """The walk could not get to the screen: `drift` when a page object missed its way on."""

    # --- screens: each brings the page to what the guide shows, and never submits ---------------
    # The walk is in the guide's order: each screen goes on from where the one before left the
    # browser. `_once` keeps each navigation's page object (or its failure) for the screens after it.

    def _entry(self) -> TracesEntryPage:
        return self._once("entry", TracesEntryPage, lambda: self._new(TracesEntryPage).open(self.settings.traces_url)
                          .choose_language(self.locale).wait_until_loaded())

    def _whoami(self) -> WhoamiPage:
        def navigate() -> WhoamiPage:
            landed = self._entry().log_in(self.account.email)
            if isinstance(landed, PasswordPage):
                return WhoamiPage.instead_of(landed)  # EU Login remembered someone: step 1 is one link away
            if not isinstance(landed, WhoamiPage):
                raise TracesctlError("a TRACES session is live already: EU Login's sign-in screens were not shown")
            return landed
        return self._once("whoami", WhoamiPage, navigate)

    def _register(self) -> RegistrationPage:
        """"Create an account" (guide A1-A2): looked at, never filled in."""
        return self._once("register", RegistrationPage, lambda: self._whoami().create_account())

    def _password_step(self) -> PasswordPage:
        def navigate() -> PasswordPage:
            whoami = self._new(WhoamiPage)
            if "register" in self._memo and not whoami.is_shown():
                self._new(RegistrationPage).back_to_sign_in()  # from "Create an account" to the sign-in page
            return password_step(whoami.wait_until_loaded(), self.account.email)
        return self._once("password", PasswordPage, navigate)

    def _sign_in(self, password: Secret, factor: Factor) -> None:
        password_page = self._password_step()
        factor.prepare(self.page)
        try:
            attempt = PasswordAttempt(Ledger.open(self.settings), self.account, self.settings.artifacts_dir)
            landed = post_password(self.page, password_page, password, factor, TracesLanding(self.account.email),
                                   attempt)
        finally:
            factor.finish(self.page)
        if isinstance(landed, StatusPage):
            raise landed.error(self.account.email)
        self.has_role = landed.has_role()

    def _eulogin_menu(self) -> SignedInPage:
        return self._once("eulogin", SignedInPage, lambda: self._new(SignedInPage).open(self.settings.eulogin_url)
                          .open_user_menu())

    def _my_account(self) -> MyAccountPage:
        return self._once("my_account", MyAccountPage, lambda: self._eulogin_menu().open_my_account())

    def _devices(self) -> DevicesPage:
        return self._once("devices", DevicesPage, lambda: self._my_account().open_mobile_devices())

    def _add_device(self) -> AddDevicePage:
        def navigate() -> AddDevicePage:
            landed = self._devices().add_device()
            if not isinstance(landed, AddDevicePage):
                raise Skip(DEVICE_FIRST)  # the walk signs in once, and never to register anything
            return landed
        return self._once("add_device", AddDevicePage, navigate)

    def _traces_home(self) -> TracesHomePage:
        return TracesHomePage(self.page, self.catalog, self.timeout, email=self.account.email,
                              grace_ms=self.settings.drift_grace_ms) \
            .open(self.settings.traces_url)

    def _traces_menu(self) -> TracesHomePage:
        if not self.has_role:
            raise Skip(ROLE_ONLY)
        return self._once("home_menu", TracesHomePage, lambda: self._traces_home().open_user_menu())

    def _profile(self) -> ProfilePage:
        if not self.has_role:
            raise Skip(ROLE_ONLY)
        return self._once("profile", ProfilePage, lambda: self._traces_menu().open_profile())

    def _role_selection(self) -> RoleSelectionPage:
        def navigate() -> RoleSelectionPage:
            if not self.has_role:
                return self._traces_home().role_selection()
            return self._profile().request_new_role()
        return self._once("role_selection", RoleSelectionPage, navigate)

    def _operator_search(self) -> OperatorSearchPage:
        return self._once("search", OperatorSearchPage, lambda: self._role_selection().choose_operator())

    def _search_all(self) -> OperatorSearchPage:
        """Sweden, no name: every operator (guide C3-C4)."""
        return self._once("results", OperatorSearchPage, lambda: self._operator_search().search(""))

    def _request_dialog(self) -> RequestAuthorisationDialog:
        def navigate() -> RequestAuthorisationDialog:
            search = self._search_all()
            results = search.results()
            if not results:
                raise TracesctlError("the search found no operator to select")
            results[0].select()
            return search.request_authorisation()
        return self._once("dialog", RequestAuthorisationDialog, navigate)

    def _operator_form(self) -> OperatorFormPage:
        def navigate() -> OperatorFormPage:
            dialog = self._new(RequestAuthorisationDialog)
            search = dialog.close() if dialog.is_shown() else self._search_all()
            return search.create_new_operator().add_identifier()
        return self._once("form", OperatorFormPage, navigate)

    def _chapter(self, role: str) -> OperatorFormPage:
        return self._operator_form().choose_chapter(role)

    def _authority_search(self) -> OperatorFormPage:
        form = self._operator_form()
        form.search_authorities(AUTHORITY_QUERY)
        return form

    def _confirm_dialog(self) -> OperatorFormPage:
        return self._operator_form().open_confirmation()

    def _actors_menu(self) -> TracesHomePage:
        """"Actors" opened; whether TRACES lets this account into "Users" decides the admin steps."""
        form = self._new(OperatorFormPage)
        if form.is_shown():
            form.close_confirmation()  # unsent
        try:
            self._traces_home().open_users()
        except NotAdministratorError:
            self.is_admin = False
            raise Skip(ADMIN_ONLY) from None
        self.is_admin = True
        return self._once("actors", TracesHomePage, lambda: self._traces_home().open_actors_menu())

    def _users(self) -> UsersPage:
        if not self.is_admin:
            raise Skip(ADMIN_ONLY)
        return self._once("users", UsersPage, lambda: self._actors_menu().open_users())

    def _user_page(self) -> UserPage:
        if not self.is_admin:
            raise Skip(ADMIN_ONLY)
        rows = self._users().search("", pending=True).rows()
        if not rows:
            raise Skip("no pending request to open")
        return rows[0].open()
