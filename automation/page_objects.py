"""Every page object of the toolkit, importable from this one module (README: Write your own checks).

    from automation.page_objects import TracesHomePage, UsersPage

A page object holds the locators of one screen (from the catalogue, in the account's locale);
its verbs act, its properties read state, navigation returns the next page object already
loaded. They never assert: tests do, with Playwright's `expect`.
"""

from __future__ import annotations

from automation.catalog import Catalog
from automation.pages.base import BasePage
from automation.pages.eulogin.app_pin import AppPinPage
from automation.pages.eulogin.app_qr import AppQrPage
from automation.pages.eulogin.devices import AddDevicePage, DevicesPage, EnrolmentPage
from automation.pages.eulogin.my_account import MyAccountPage
from automation.pages.eulogin.passkey import PasskeyPage
from automation.pages.eulogin.password import PasswordPage
from automation.pages.eulogin.password_reset import LostPasswordPage, NewPasswordPage
from automation.pages.eulogin.security_keys import SecurityKeysPage
from automation.pages.eulogin.signed_in import LoggedOutPage, SignedInPage
from automation.pages.eulogin.signup import RegistrationPage
from automation.pages.eulogin.whoami import WhoamiPage
from automation.pages.guide_screen import GuideScreen
from automation.pages.traces.entry import TracesEntryPage
from automation.pages.traces.home import TracesHomePage
from automation.pages.traces.operator_form import OperatorFormPage
from automation.pages.traces.operator_search import OperatorRow, OperatorSearchPage, RequestAuthorisationDialog
from automation.pages.traces.profile import ProfilePage, RoleRow
from automation.pages.traces.role_selection import RoleSelectionPage
from automation.pages.traces.users import UserPage, UserRow, UsersPage

__all__ = [
    "AddDevicePage", "AppPinPage", "AppQrPage", "BasePage", "Catalog", "DevicesPage", "EnrolmentPage", "GuideScreen",
    "LoggedOutPage", "LostPasswordPage", "MyAccountPage", "NewPasswordPage", "OperatorFormPage", "OperatorRow",
    "OperatorSearchPage", "PasskeyPage", "PasswordPage", "ProfilePage", "RegistrationPage",
    "RequestAuthorisationDialog", "RoleRow", "RoleSelectionPage", "SecurityKeysPage", "SignedInPage",
    "TracesEntryPage", "TracesHomePage", "UserPage", "UserRow", "UsersPage", "WhoamiPage",
]
