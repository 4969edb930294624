"""TRACES "Actors" → "Operators", for authority users: "Find my operators", each operator's Activity
Status ("New" until validated), the pen icon, and the operator's page with the green check and
"Save" (TNT-PH "Operator validation workflow"). Rows are region objects that open the operator."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage


class OperatorListRow:
    """One row of "Find my operators": its texts, read once, and the pen icon that opens it."""

    def __init__(self, operators: OperatorsPage, name: str, activities: list[str], status: str,
                 pen: Locator) -> None:
        self._operators = operators
        self.name = name
        self.activities = activities
        self.status = status  # new | valid | the portal's own word when neither
        self._pen = pen

    def open(self) -> OperatorPage:
        """The pen icon (TNT-PH: "open by name or the pen icon")."""
        self._pen.click()
        return self._operators._page(OperatorPage).wait_until_loaded()


class OperatorsPage(BasePage):
    HEADING = "traces.operators.heading"
    FIND_MINE = "traces.operators.find_mine"
    ROW = "traces.operators.row"
    EDIT = "traces.operators.edit"
    STATUS_NEW = "traces.operators.status_new"
    STATUS_VALID = "traces.operators.status_valid"
    ready = HEADING

    def find_mine(self) -> Self:
        """"Find my operators": the operators under this authority user's authority."""
        with self.page.expect_navigation():
            self._require(self.FIND_MINE).click()
        return self.wait_until_loaded()

    def rows(self) -> list[OperatorListRow]:
        statuses = {**{t: "new" for t in self.catalog.texts(self.STATUS_NEW)},
                    **{t: "valid" for t in self.catalog.texts(self.STATUS_VALID)}}
        texts: list[list[str]] = self._locator(self.ROW).evaluate_all(
            "rows => rows.map(row => [...row.querySelectorAll('td')].map(cell => cell.innerText.trim()))")
        found = []
        for cells in texts:
            if len(cells) < 3:
                continue  # the header row, or "no operator found"
            name, activities, status = cells[:3]
            found.append(OperatorListRow(self, name, [a.strip() for a in activities.splitlines() if a.strip()],
                                         statuses.get(status, status), self._locator(self.EDIT, name=name).first))
        return found

    def find(self, name: str) -> OperatorListRow | None:
        return next((row for row in self.rows() if row.name == name), None)


class OperatorPage(BasePage):
    HEADING = "traces.operator.heading"
    VALIDATE = "traces.operator.validate"
    SAVE = "traces.operator.save"
    SAVED = "traces.operator.saved"
    ready = HEADING

    def validate(self, activity: str) -> Self:
        """The green check of `activity`: marked only; "Save" keeps it."""
        self._require(self.VALIDATE, activity=activity).click()
        return self

    def is_validated(self, activity: str) -> bool:
        return self._require(self.VALIDATE, activity=activity).get_attribute("aria-pressed") == "true"

    def save(self) -> Self:
        with self.page.expect_navigation():
            self._require(self.SAVE).click()
        self._wait_for(self.SAVED)
        return self.wait_until_loaded()
