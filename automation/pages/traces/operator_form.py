"""TRACES "Create a new operator": operator details, identifier, chapter/section/activity, activity
address (globe), competent authority, then create and confirm (guide C8-C15)."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage, first_visible


class OperatorFormPage(BasePage):
    @property
    def heading(self) -> Locator:
        return self._locator("traces.operator_form.heading")

    @property
    def errors(self) -> Locator:
        return self._locator("traces.operator_form.error")

    def wait_until_loaded(self) -> Self:
        self._wait_for("traces.operator_form.heading")
        return self

    def postal_codes(self) -> list[str]:
        """The portal's postal codes (it lacks some real ones, guide C9), as five digits."""
        options = self._locator("traces.operator_form.postal_code").locator("option").all_inner_texts()
        return [o.replace(" ", "") for o in options if o.strip()]

    def fill_details(self, name: str, street: str, postal_code: str, city: str, phone: str, email: str) -> Self:
        self._locator("traces.operator_form.name").fill(name)
        self._locator("traces.operator_form.street").fill(street)
        self._locator("traces.operator_form.postal_code").select_option(value=postal_code)
        self._locator("traces.operator_form.city").fill(city)
        self._locator("traces.operator_form.phone").fill(phone)
        self._locator("traces.operator_form.add_email").click()  # the "+" after the phone (C10)
        self._locator("traces.operator_form.email").fill(email)
        return self

    def add_national_registration_number(self, number: str) -> Self:
        """"Add Identifier", type changed from the default to "National registration number" (C11)."""
        self._locator("traces.operator_form.add_identifier").click()
        self._locator("traces.operator_form.identifier_type").select_option(
            label=self.catalog.text("traces.operator_form.identifier_national"))
        self._locator("traces.operator_form.identifier").fill(number)
        return self

    def choose_activity(self, chapter_key: str, section_key: str, identification_code: str) -> Self:
        """Chapter, then section; the activity has a single choice, which the portal makes (C12)."""
        self._locator("traces.operator_form.chapter").select_option(label=self.catalog.text(chapter_key))
        self._locator("traces.operator_form.section").select_option(label=self.catalog.text(section_key))
        activity = self._locator("traces.operator_form.activity")
        if not activity.input_value():
            options = [o for o in activity.locator("option").all_inner_texts() if o.strip()]
            activity.select_option(label=options[0])
        self._locator("traces.operator_form.identification_code").fill(identification_code)
        return self

    @property
    def chosen_activity(self) -> str:
        activity = self._locator("traces.operator_form.activity")
        return activity.locator("option:checked").inner_text().strip()

    def choose_activity_address(self) -> Self:
        """The globe under "Activity address", then the company's address it offers (C12)."""
        self._locator("traces.operator_form.choose_address").click()
        address = self._locator("traces.operator_form.activity_address")
        offered = [o for o in address.locator("option").all_inner_texts() if o.strip()]
        address.select_option(label=offered[0])
        return self

    def choose_competent_authority(self, query: str) -> str:
        """"Search competent authorities", the query, "Search", and the one for plants and CHED-PP (C14)."""
        self._locator("traces.operator_form.search_authorities").click()
        self._locator("traces.operator_form.authority_query").fill(query)
        self._locator("traces.operator_form.authority_search").click()
        results = self._locator("traces.operator_form.authority_result")
        results.first.wait_for()
        wanted = (self.catalog.text("traces.operator_form.authority_plants"),
                  self.catalog.text("traces.operator_form.authority_ched_pp"))
        for result in results.all():
            text = result.inner_text()
            if all(w in text for w in wanted):
                name = result.locator("strong").inner_text().strip()
                self._locator("traces.operator_form.choose_authority", name=name).click()
                return name
        raise LookupError(f"no competent authority for plants and CHED-PP found for {query!r}")

    def create(self) -> None:
        """"Create new operator" (blue, top right), then "Send authorization request" in the dialog (C15)."""
        self._locator("traces.operator_form.create").click()
        self._locator("traces.operator_form.confirm_send").click()

    def wait_for_outcome(self) -> str:
        """"created" once TRACES confirms, or "refused" when the form comes back with errors."""
        return first_visible(self.page, {"created": self._locator("traces.operator_form.created"),
                                         "refused": self.errors}, self.timeout_ms)
