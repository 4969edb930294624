"""Walk the guide against a live or offline UI, read-only, and report what drifted.

The walk signs in, then visits each screen the guide describes, in the guide's order, through the
same page objects the flows use: their navigation brings each screen into the state the guide
shows (a menu opened, a chapter chosen, a dialog opened) without ever submitting anything. On
each screen every label of the steps that live there is looked up:

  match          the label is there, as what the guide says (a button, a column, ...)
  guide drift    the UI no longer shows the guide's text: the nearest label is suggested
  toolkit drift  a page object cannot find the element it needs (the catalogue entry named):
                 the flows that use it would fail the same way, so this wins over guide drift
  skipped        the account cannot reach the screen (no TRACES role, not an administrator)
  not reached    the walk could not get to the screen (the reason says why)
  not checkable  it happens on the phone or in e-mail, or is a rule: listed, not checked

A refused sign-in stops the walk at once: every later screen needs it, and trying again could
cost one of EU Login's five password attempts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from structlog.contextvars import bound_contextvars

from automation.boxes import Box, png_size
from automation.catalog import Catalog
from automation.config import AccountConfig, Settings
from automation.errors import ToolkitDriftError
from automation.factors import Factor
from automation.files import private_folder
from automation.guide import Guide, Step
from automation.log import get_logger
from automation.pages.base import BasePage
from automation.pages.screen_reader import Element, ScreenReader
from automation.secrets import Secret
from flows.jobs.progress import Progress
from flows.jobs.screen_walk import SCREENS, ScreenWalk

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)
__all__ = ["SCREENS", "GuideWalk", "LabelResult", "GuideOutcome", "StepResult", "walk_guide"]


class GuideOutcome(StrEnum):
    MATCH = "match"
    GUIDE_DRIFT = "guide drift"
    TOOLKIT_DRIFT = "toolkit drift"
    SKIPPED = "skipped"
    NOT_REACHED = "not reached"
    NOT_CHECKABLE = "not checkable"
    ACCEPTED_DRIFT = "accepted drift"  # a drift the run's baseline accepts: reported, not failing


# A step's outcome is the most urgent of its labels' and its own.
PRIORITY = (GuideOutcome.TOOLKIT_DRIFT, GuideOutcome.GUIDE_DRIFT, GuideOutcome.NOT_REACHED, GuideOutcome.MATCH)
OFF_SCREEN = {"email": "in the e-mail", "phone": "in the app on the phone"}  # label screens never walked


@dataclass
class LabelResult:
    text: str
    as_: str
    outcome: GuideOutcome  # match | guide drift | toolkit drift
    suggestion: str | None = None
    catalog: str | None = None
    page_object: str | None = None  # the page object that needs the catalogue entry
    variant: str | None = None  # which of the catalogue entry's variants the screen shows
    # Where it was at check time, in the pixels of `screenshot` (a full-page screenshot): the label
    # itself when found; the nearest candidate for drift; none when nothing like it is there.
    box: Box | None = None
    nearest_box: Box | None = None
    screenshot: str | None = None
    # Toolkit drift only: was the guide's label itself on screen? None when the guide does not name
    # the missing element (a page object's own), so nothing was looked up. A nearest suggestion
    # alone cannot tell: a label that is gone may have nothing like it on screen either.
    on_screen: bool | None = None


@dataclass
class StepResult:
    step: Step
    outcome: GuideOutcome
    reason: str = ""
    labels: list[LabelResult] = field(default_factory=list)
    screenshot: str | None = None
    notes: list[str] = field(default_factory=list)
    screenshot_size: tuple[int, int] | None = None  # (width, height) in pixels


class GuideWalk(ScreenWalk):
    def __init__(self, page: Page, settings: Settings, account: AccountConfig, guide: Guide, locale: str,
                 report_dir: Path | None, catalog: Catalog | None = None, progress: Progress | None = None) -> None:
        super().__init__(page, settings, account, locale, catalog, progress)
        self.guide = guide
        self.reader = ScreenReader(page)
        self.report_dir = report_dir
        where = {"phone": "happens on the phone", "email": "happens in e-mail", "info": "a rule, not a screen"}
        self.results = {s.id: StepResult(s, GuideOutcome.NOT_CHECKABLE, where.get(s.kind, "")) for s in guide.steps}
        self.checked: dict[str, str] = {}  # page object → the last screen checked with it

    # --- the walk ------------------------------------------------------------------------------

    def run(self, password: Secret, factor: Factor) -> list[StepResult]:
        with bound_contextvars(flow="guide_check", account=self.account.name, locale=self.locale):
            for step in self.guide.steps:
                if step.checkable:
                    elsewhere = [f"{label.in_locale(self.locale)!r} is {OFF_SCREEN[label.screen]}: not checked"
                                 for label in step.labels if label.screen in OFF_SCREEN]
                    self.results[step.id] = StepResult(step, GuideOutcome.NOT_REACHED,
                                                       "the walk did not get to its screen", notes=elsewhere)
            self.walk_screens(password, factor, self._check_screen)
            return [self.results[s.id] for s in self.guide.steps]

    def under_way(self, screen: str) -> str:
        """The guide's steps on the screen first ("B4 eulogin.add_device"): the guide is what the person follows."""
        steps = [s.id for s in self.guide.steps if s.checkable and s.screen == screen]
        return f"{', '.join(steps)} {screen}" if steps else screen

    def screen_skipped(self, screen: str, reason: str) -> None:
        self._skip_screen(screen, reason)

    def screen_not_reached(self, screen: str, reason: str, drift: ToolkitDriftError | None) -> None:
        if drift is not None:
            self._drift_on_earlier_screen(drift)
        self._not_reached(screen, reason)

    def _drift_on_earlier_screen(self, drift: ToolkitDriftError) -> None:
        """The way on was missing from a screen checked before (a renamed button): its steps drifted."""
        screen = self.checked.get(drift.page_object)
        if screen is None:
            return
        steps = self._steps_on(screen)
        if any(label.catalog == drift.key for step in steps for label in step.labels):
            return  # the guide names that label: its own step was graded when the screen was checked
        for step in steps:
            result = self.results[step.id]
            if step.screen == screen and drift.key not in {lr.catalog for lr in result.labels}:
                result.labels.append(LabelResult(drift.label, "element", GuideOutcome.TOOLKIT_DRIFT, None, drift.key,
                                                 drift.page_object))
                result.outcome = GuideOutcome.TOOLKIT_DRIFT

    def _steps_on(self, screen: str) -> list[Step]:
        return [s for s in self.guide.steps if s.checkable and (s.screen == screen or any(
            label.screen == screen for label in s.labels))]

    def _skip_screen(self, screen: str, reason: str) -> None:
        for step in self._steps_on(screen):
            self.results[step.id].outcome, self.results[step.id].reason = GuideOutcome.SKIPPED, reason

    def _not_reached(self, screen: str, reason: str) -> None:
        for step in self._steps_on(screen):
            if step.screen == screen:
                self.results[step.id].reason = reason

    def _check_screen(self, screen: str, model: BasePage, drift: ToolkitDriftError | None) -> None:
        self.checked[type(model).__name__] = screen
        steps = self._steps_on(screen)
        if not steps:
            return
        shot, size = None, None
        if self.report_dir is not None:
            shot = f"{screen}.png"
            private_folder(self.report_dir)  # 0700 when made here: the screenshots show personal data
            self.reader.screenshot(str(self.report_dir / shot))
            size = png_size(self.report_dir / shot)
        elements = self.reader.elements()
        # A missing element the guide names is graded at its label; one it does not name, at every step here.
        drift_named = drift is not None and any(label.catalog == drift.key for step in steps for label in step.labels)
        for step in steps:
            result = self.results[step.id]
            if result.outcome == GuideOutcome.SKIPPED:
                continue  # its own screen was out of reach: one reachable label does not make it checked
            if step.screen == screen:
                result.outcome, result.reason, result.screenshot = GuideOutcome.MATCH, "", shot
                result.screenshot_size = size
            for label in step.labels:
                if (label.screen or step.screen) == screen:
                    checked = self._check_label(label.in_locale(self.locale), label.as_, label.catalog, model,
                                                elements)
                    if shot is not None:
                        self._locate(checked, elements, shot)
                    result.labels.append(checked)
            if drift is not None and step.screen == screen and not drift_named:
                # The page object needs an element the guide does not name: still toolkit drift.
                result.labels.append(LabelResult(drift.label, "element", GuideOutcome.TOOLKIT_DRIFT, None, drift.key,
                                                 drift.page_object))
            outcomes = [lr.outcome for lr in result.labels] + [result.outcome]
            result.outcome = next(o for o in PRIORITY if o in outcomes)

    def _check_label(self, text: str, as_: str, key: str | None, model: BasePage,
                     elements: list[Element]) -> LabelResult:
        on_screen = self.reader.has_label(text, as_, elements)
        suggestion = None if on_screen else self.reader.nearest(text, as_, elements)
        if key is not None and not model.finds(key):
            return LabelResult(text, as_, GuideOutcome.TOOLKIT_DRIFT, suggestion, key, type(model).__name__,
                               on_screen=on_screen)
        variant = self.catalog.variant_found(self.page, key) if key is not None else None
        if not on_screen:
            return LabelResult(text, as_, GuideOutcome.GUIDE_DRIFT, suggestion, key,
                               type(model).__name__ if key else None, variant)
        return LabelResult(text, as_, GuideOutcome.MATCH, None, key, type(model).__name__ if key else None, variant)

    def _locate(self, checked: LabelResult, elements: list[Element], shot: str) -> None:
        """Box the label (or, when it is gone, its nearest candidate) for the report's screenshot."""
        checked.screenshot = shot
        if checked.suggestion is not None:
            checked.nearest_box = self.reader.box_of_name(checked.suggestion, checked.as_, elements)
        elif checked.outcome != GuideOutcome.GUIDE_DRIFT:
            checked.box = self.reader.box_of(checked.text, checked.as_, elements)


def walk_guide(page: Page, settings: Settings, account: AccountConfig, password: Secret, factor: Factor,
               guide: Guide, locale: str, report_dir: Path | None, catalog: Catalog | None = None,
               progress: Progress | None = None) -> tuple[list[StepResult], list[str], float]:
    """The guide check; `progress` hears each screen as the walk gets to it (with its guide steps)."""
    started = time.monotonic()
    walk = GuideWalk(page, settings, account, guide, locale, report_dir, catalog, progress)
    results = walk.run(password, factor)
    return results, walk.notes, time.monotonic() - started
