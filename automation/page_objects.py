"""Every page object of the toolkit, importable from this one module (README: Write your own checks).

    from automation.page_objects import TracesHomePage, UsersPage

A page object holds the locators of one screen (from the catalogue, in the account's locale);
its verbs act, its properties read state, navigation returns the next page object already
loaded. They never assert: tests do, with Playwright's `expect`.
"""

from __future__ import annotations

from automation.catalog import Catalog
from automation.pages.base import BasePage
from automation.pages.eulogin.add_device import AddDevicePage
from automation.pages.eulogin.app_pin import AppPinPage
from automation.pages.eulogin.app_qr import AppQrPage
from automation.pages.eulogin.devices import DevicesPage
from automation.pages.eulogin.enrolment import EnrolmentPage
from automation.pages.eulogin.logged_out import LoggedOutPage
from automation.pages.eulogin.lost_password import LostPasswordPage
from automation.pages.eulogin.my_account import MyAccountPage
from automation.pages.eulogin.new_password import NewPasswordPage
from automation.pages.eulogin.passkey import PasskeyPage
from automation.pages.eulogin.password import PasswordPage
from automation.pages.eulogin.security_keys import SecurityKeysPage
from automation.pages.eulogin.signed_in import SignedInPage
from automation.pages.eulogin.signup import RegistrationPage
from automation.pages.eulogin.whoami import WhoamiPage
from automation.pages.landing import EuLoginLanding, TracesLanding
from automation.pages.screen_reader import ScreenReader
from automation.pages.traces.entry import TracesEntryPage
from automation.pages.traces.home import TracesHomePage
from automation.pages.traces.operator_form import OperatorFormPage
from automation.pages.traces.registration import (
    OperatorRow,
    OperatorSearchPage,
    ProfilePage,
    RequestAuthorisationDialog,
    RoleRow,
    RoleSelectionPage,
)
from automation.pages.traces.status import StatusPage
from automation.pages.traces.user import UserPage
from automation.pages.traces.users import UserRow, UsersPage

__all__ = [
    "AddDevicePage", "AppPinPage", "AppQrPage", "BasePage", "Catalog", "DevicesPage", "EnrolmentPage",
    "EuLoginLanding", "LoggedOutPage", "LostPasswordPage", "MyAccountPage", "NewPasswordPage", "OperatorFormPage",
    "OperatorRow", "OperatorSearchPage", "PasskeyPage", "PasswordPage", "ProfilePage", "RegistrationPage",
    "RequestAuthorisationDialog", "RoleRow", "RoleSelectionPage", "ScreenReader", "SecurityKeysPage",
    "SignedInPage", "StatusPage", "TracesEntryPage", "TracesHomePage", "TracesLanding", "UserPage", "UserRow",
    "UsersPage", "WhoamiPage",
]
