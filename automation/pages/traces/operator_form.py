"""TRACES "Create a new operator": operator details, identifier, chapter/section/activity, activity
address (globe), competent authority, then create and confirm (guide C8-C15)."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.errors import AuthorityNotFoundError, OperatorRefusedError
from automation.pages.base import BasePage, first_visible

# The chapter and section of each role the toolkit registers: an exporter as the guide says (C12); a
# cargo responsible as the official chapter says (TNT-PH: Plant Health "Responsible for the
# consignment", needed for Part I of a CHED-PP), no authority step. "cargo_other" is the guide's own
# picture (C13: chapter Other, then the authority search of C14), which only the guide check walks.
PLANT_HEALTH = "traces.operator_form.chapter_plants"
CHAPTERS = {"exporter": PLANT_HEALTH, "cargo": PLANT_HEALTH,
            "cargo_other": "traces.operator_form.chapter_other", "organic": "traces.operator_form.chapter_organic"}
SECTIONS = {"exporter": "traces.operator_form.section_eupo", "cargo": "traces.operator_form.section_consignment",
            "cargo_other": "traces.operator_form.section_cargo"}


class OperatorFormPage(BasePage):
    HEADING = "traces.operator_form.heading"
    NAME = "traces.operator_form.name"
    STREET = "traces.operator_form.street"
    POSTAL_CODE = "traces.operator_form.postal_code"
    CITY = "traces.operator_form.city"
    PHONE = "traces.operator_form.phone"
    ADD_EMAIL = "traces.operator_form.add_email"
    EMAIL = "traces.operator_form.email"
    ADD_IDENTIFIER = "traces.operator_form.add_identifier"
    IDENTIFIER_TYPE = "traces.operator_form.identifier_type"
    IDENTIFIER_NATIONAL = "traces.operator_form.identifier_national"
    IDENTIFIER = "traces.operator_form.identifier"
    CHAPTER = "traces.operator_form.chapter"
    SECTION = "traces.operator_form.section"
    ACTIVITY = "traces.operator_form.activity"
    IDENTIFICATION_CODE = "traces.operator_form.identification_code"
    CHOOSE_ADDRESS = "traces.operator_form.choose_address"
    ACTIVITY_ADDRESS = "traces.operator_form.activity_address"
    SEARCH_AUTHORITIES = "traces.operator_form.search_authorities"
    AUTHORITY_AUTOMATIC = "traces.operator_form.authority_automatic"
    CONTROL_BODY = "traces.operator_form.control_body"
    ADD_ADDRESS = "traces.operator_form.add_address"
    IDENTIFIER_HINT = "traces.operator_form.identifier_hint"
    MANDATORY_STAR = "traces.operator_form.mandatory_star"
    AUTHORITY_QUERY = "traces.operator_form.authority_query"
    AUTHORITY_SEARCH = "traces.operator_form.authority_search"
    AUTHORITY_RESULT = "traces.operator_form.authority_result"
    CHOOSE_AUTHORITY = "traces.operator_form.choose_authority"
    AUTHORITY_PLANTS = "traces.operator_form.authority_plants"
    AUTHORITY_CHED_PP = "traces.operator_form.authority_ched_pp"
    CREATE = "traces.operator_form.create"
    CONFIRM_SEND = "traces.operator_form.confirm_send"
    ERROR = "traces.operator_form.error"
    CREATED = "traces.operator_form.created"
    ready = HEADING

    @property
    def errors(self) -> Locator:
        return self._locator(self.ERROR)

    @property
    def authority_search_button(self) -> Locator:
        """"Search responsible authorities": offered only where the chapter has an authority step."""
        return self._locator(self.SEARCH_AUTHORITIES)

    @property
    def authority_assigned_note(self) -> Locator:
        """The note that the authority is assigned "based on geographical data" (Plant Health, EU CITES)."""
        return self._locator(self.AUTHORITY_AUTOMATIC)

    @property
    def control_body(self) -> Locator:
        """Organic's "Control Body / Control Authority" box."""
        return self._locator(self.CONTROL_BODY)

    @property
    def add_address_button(self) -> Locator:
        return self._locator(self.ADD_ADDRESS)

    @property
    def identifier_hint(self) -> Locator:
        return self._locator(self.IDENTIFIER_HINT)

    @property
    def mandatory_stars(self) -> Locator:
        return self._locator(self.MANDATORY_STAR)

    @property
    def authority_step_shown(self) -> bool:
        """Whether the chosen chapter asks for the authority search (Animal, Food, Other, Fishing)."""
        return self.authority_search_button.is_visible()

    def postal_codes(self) -> list[str]:
        """The portal's postal codes (it lacks some real ones, guide C9), as five digits."""
        options = self._require(self.POSTAL_CODE).locator("option").all_inner_texts()
        return [o.replace(" ", "") for o in options if o.strip()]

    def fill_details(self, name: str, street: str, postal_code: str, city: str, phone: str, email: str) -> Self:
        self._require(self.NAME).fill(name)
        self._require(self.STREET).fill(street)
        self._require(self.POSTAL_CODE).select_option(value=postal_code)
        self._require(self.CITY).fill(city)
        self._require(self.PHONE).fill(phone)
        self._require(self.ADD_EMAIL).click()  # the "+" after the phone (C10)
        self._require(self.EMAIL).fill(email)
        return self

    def add_identifier(self) -> Self:
        """"Add Identifier" (C11): a row with the default type."""
        self._require(self.ADD_IDENTIFIER).click()
        return self

    def add_national_registration_number(self, number: str) -> Self:
        """"Add Identifier", type changed from the default to "National registration number" (C11)."""
        self.add_identifier()._require(self.IDENTIFIER_TYPE).select_option(
            label=self.catalog.text(self.IDENTIFIER_NATIONAL))
        self._require(self.IDENTIFIER).fill(number)
        return self

    def choose_chapter(self, role: str) -> Self:
        """Chapter, then section, of the role (C12); the portal then offers the activity. A role
        without a section of its own ("organic") stops at the chapter."""
        self._require(self.CHAPTER).select_option(label=self.catalog.text(CHAPTERS[role]))
        if role in SECTIONS:
            self._require(self.SECTION).select_option(label=self.catalog.text(SECTIONS[role]))
        return self

    def choose_activity(self, role: str, identification_code: str) -> Self:
        """Chapter, section; the activity has a single choice, which the portal makes (C12)."""
        self.choose_chapter(role)
        activity = self._require(self.ACTIVITY)
        if not activity.input_value():
            options = [o for o in activity.locator("option").all_inner_texts() if o.strip()]
            activity.select_option(label=options[0])
        self._require(self.IDENTIFICATION_CODE).fill(identification_code)
        return self

    def chapter_label(self, role: str) -> str:
        return self.catalog.text(CHAPTERS[role])

    def section_label(self, role: str) -> str:
        return self.catalog.text(SECTIONS[role])

    def national_number_label(self) -> str:
        return self.catalog.text(self.IDENTIFIER_NATIONAL)

    @property
    def chosen_activity(self) -> str:
        return self._require(self.ACTIVITY).locator("option:checked").inner_text().strip()

    def choose_activity_address(self) -> Self:
        """The globe under "Activity address", then the company's address it offers (C12)."""
        self._require(self.CHOOSE_ADDRESS).click()
        address = self._require(self.ACTIVITY_ADDRESS)
        offered = [o for o in address.locator("option").all_inner_texts() if o.strip()]
        address.select_option(label=offered[0])
        return self

    def search_authorities(self, query: str) -> Locator:
        """"Search competent authorities", the query, "Search" (C14): the results, not chosen."""
        self._require(self.SEARCH_AUTHORITIES).click()
        self._require(self.AUTHORITY_QUERY).fill(query)
        self._require(self.AUTHORITY_SEARCH).click()
        results = self._locator(self.AUTHORITY_RESULT)
        results.first.wait_for(timeout=self.timeout_ms)
        return results

    def choose_competent_authority(self, query: str) -> str:
        """The authority search, and the one for plants and CHED-PP (C14); its name."""
        wanted = (self.catalog.text(self.AUTHORITY_PLANTS), self.catalog.text(self.AUTHORITY_CHED_PP))
        for result in self.search_authorities(query).all():
            if all(w in result.inner_text() for w in wanted):
                name = result.locator("strong").inner_text().strip()
                self._require(self.CHOOSE_AUTHORITY, name=name).click()
                return name
        raise AuthorityNotFoundError(f"no competent authority for plants and CHED-PP found for {query!r}")

    def open_confirmation(self) -> Self:
        """"Create new operator" (blue, top right): the dialog that asks to send the request (C15)."""
        self._require(self.CREATE).click()
        self._wait_for(self.CONFIRM_SEND)
        return self

    def close_confirmation(self) -> Self:
        """Escape: the dialog closes unsent (read-only walks)."""
        self.page.keyboard.press("Escape")
        self._locator(self.CONFIRM_SEND).wait_for(state="hidden", timeout=self.timeout_ms)
        return self

    def create(self) -> None:
        """"Create new operator", then "Send authorization request"; returns once TRACES confirms.
        A form sent back with errors raises OperatorRefusedError."""
        self.open_confirmation()._require(self.CONFIRM_SEND).click()
        if first_visible(self.page, {"created": self._locator(self.CREATED), "refused": self.errors},
                         self.timeout_ms, self.screen) == "refused":
            raise OperatorRefusedError("TRACES refused the new operator: " + " ".join(self.errors.all_inner_texts()))
